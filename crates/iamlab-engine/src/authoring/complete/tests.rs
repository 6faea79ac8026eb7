use super::*;

/// Where the cursor is in a test input.
const CURSOR: &str = "§";

/// Completes at the `§` of `input` and compares with `expect`: the replaced source text on the
/// first line, then the first items as `label => insert_text (kind: detail)`, then how many
/// more there are. Every result is also checked to be a well-formed edit. No AWS catalogue: the
/// `aws` profile's actions are the built-in ones (see [`check_with_aws_catalogue`]).
fn check(provider: Provider, role: DocumentRole, input: &str, expect: &str) {
    check_completions(provider, role, input, expect, None);
}

/// [`check`] for the `aws` profile with the small test AWS catalogue loaded.
fn check_with_aws_catalogue(input: &str, expect: &str) {
    let catalog = crate::outscale::aws_catalog::tests::small();
    check_completions(Aws, Policy, input, expect, Some(&catalog));
}

fn check_completions(provider: Provider, role: DocumentRole, input: &str, expect: &str, aws: Option<&AwsCatalog>) {
    let offset = input.find(CURSOR).expect("the input has a cursor marker");
    let text = input.replacen(CURSOR, "", 1);
    let completions = complete_with(provider, role, &text, offset as u32, aws);
    assert_well_formed(&text, offset, &completions);
    let replaced = completions.replace.slice(&text).unwrap_or("?");
    let mut actual = format!("replace {replaced:?}\n");
    const SHOWN: usize = 6;
    for item in completions.items.iter().take(SHOWN) {
        let detail = if item.detail.is_empty() { String::new() } else { format!(": {}", item.detail) };
        actual.push_str(&format!("{} => {:?} ({}{detail})\n", item.label, item.insert_text, item.kind.as_str()));
    }
    if completions.items.len() > SHOWN {
        actual.push_str(&format!("+{} more\n", completions.items.len() - SHOWN));
    }
    assert_eq!(actual.trim_end(), expect.trim(), "\ninput: {input}\n");
}

/// The replaced span is inside the text, on character boundaries, and holds the cursor.
fn assert_well_formed(text: &str, offset: usize, completions: &Completions) {
    let Span { start, end } = completions.replace;
    let (start, end) = (start as usize, end as usize);
    assert!(start <= end && end <= text.len(), "{start}..{end} outside a text of {} bytes", text.len());
    assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
    if !completions.items.is_empty() {
        assert!(start <= offset && offset <= end, "the cursor {offset} is not in {start}..{end}");
    }
}

use DocumentRole::{OrganizationPolicy, Policy, Request};
use Provider::{Aws, Exoscale, Outscale, Scaleway};

#[test]
fn exoscale_keys_follow_the_validators_lists_and_skip_present_ones() {
    check(
        Exoscale,
        Policy,
        "{\n  \"default-service-strategy\": \"deny\",\n  §\n}",
        r#"
replace ""
name => "\"name\": " (key)
description => "\"description\": " (key)
editable => "\"editable\": " (key)
labels => "\"labels\": " (key)
permissions => "\"permissions\": " (key)
max-session-ttl => "\"max-session-ttl\": " (key)
+4 more"#,
    );
    check(
        Exoscale,
        OrganizationPolicy,
        r#"{"services": {}, "§"#,
        r#"
replace "\""
default-service-strategy => "\"default-service-strategy\": " (key)"#,
    );
    // A rule: the keys after the cursor count as present too; a key followed by `:` is renamed.
    check(
        Exoscale,
        Policy,
        r#"{"services": {"dns": {"type": "rules", "rules": [{"ac§": "allow", "expression": "true"}]}}}"#,
        r#"
replace "\"ac\""
action => "\"action\"" (key)"#,
    );
    check(
        Exoscale,
        Policy,
        r#"{"services": {"dns": {"rules": [], §"#,
        r#"
replace ""
type => "\"type\": " (key)"#,
    );
}

#[test]
fn exoscale_service_classes_and_enums() {
    check(
        Exoscale,
        Policy,
        r#"{"services": {"dn§"#,
        r#"
replace "\"dn"
dns => "\"dns\": " (service class: DNS domains and records.)"#,
    );
    check(
        Exoscale,
        Policy,
        r#"{"services": {"dns": {"type": "§"#,
        r#"
replace "\""
allow => "\"allow\"" (value)
deny => "\"deny\"" (value)
rules => "\"rules\"" (value)"#,
    );
    check(
        Exoscale,
        Policy,
        r#"{"default-service-strategy": d§}"#,
        r#"
replace "d"
deny => "\"deny\"" (value)"#,
    );
}

#[test]
fn exoscale_operations_inside_an_expression() {
    // The rule's class bounds the operations; the unterminated CEL string gets its quote.
    check(
        Exoscale,
        Policy,
        r#"{"services": {"dns": {"type": "rules", "rules": [{"action": "allow", "expression": "operation == 'create-dns-domain-r§"#,
        r#"
replace "create-dns-domain-r"
create-dns-domain-record => "create-dns-domain-record'" (operation: dns)"#,
    );
    // Closed strings, a name after the cursor, and `in [...]` lists.
    check(
        Exoscale,
        Policy,
        r#"{"services": {"sos": {"type": "rules", "rules": [{"action": "allow", "expression": "operation in ['list-buckets', 'get-obj§ect']"}]}}}"#,
        r#"
replace "get-object"
get-object => "get-object" (operation: sos · SOS (S3 protocol) operation)
get-object-lock-configuration => "get-object-lock-configuration" (operation: sos · SOS (S3 protocol) operation)"#,
    );
    // Outside a service class: every operation.
    check(
        Exoscale,
        Policy,
        r#"{"assume-role-policy": {"rules": [{"expression": "operation != 'list-zon§"#,
        r#"
replace "list-zon"
list-zones => "list-zones'" (operation: compute)"#,
    );
    // Not after `operation ==`: nothing.
    check(Exoscale, Policy, r#"{"services": {"dns": {"rules": [{"expression": "parameters.x == 'a§"#, r#"replace """#);
}

#[test]
fn exoscale_parameters_of_the_reachable_operations() {
    check(
        Exoscale,
        Policy,
        r#"{"services": {"compute": {"type": "rules", "rules": [{"action": "deny", "expression": "operation == 'create-instance' && parameters.public_ip§"}]}}}"#,
        r#"
replace "public_ip"
public_ip_assignment => "public_ip_assignment" (parameter: string · create-instance)"#,
    );
    // Without an operation test: the class's operations, each field once.
    check(
        Exoscale,
        Policy,
        r#"{"services": {"dns": {"type": "rules", "rules": [{"action": "allow", "expression": "parameters.§"#,
        r#"
replace ""
content => "content" (parameter: string · create-dns-domain-record and 1 more)
domain_id => "domain_id" (parameter: string · create-dns-domain-record and 4 more)
id => "id" (parameter: string · delete-dns-domain and 2 more)
name => "name" (parameter: string · create-dns-domain-record and 1 more)
priority => "priority" (parameter: integer · create-dns-domain-record and 1 more)
record_id => "record_id" (parameter: string · delete-dns-domain-record and 2 more)
+3 more"#,
    );
}

#[test]
fn exoscale_requests() {
    check(
        Exoscale,
        Request,
        r#"{"operation": "create-ins§"}"#,
        r#"
replace "\"create-ins\""
create-instance => "\"create-instance\"" (operation: compute)
create-instance-pool => "\"create-instance-pool\"" (operation: compute)"#,
    );
    check(
        Exoscale,
        Request,
        r#"{"operation": "x", "zo§"#,
        r#"
replace "\"zo"
zone => "\"zone\": " (key)"#,
    );
}

#[test]
fn scaleway_permission_sets_with_their_scope() {
    check(
        Scaleway,
        Policy,
        r#"{"name": "p", "rules": [{"permission_set_names": ["IAMMa§"]}]}"#,
        r#"
replace "\"IAMMa\""
IAMManager => "\"IAMManager\"" (permission set: organization scope · IAM)"#,
    );
    check(
        Scaleway,
        Policy,
        r#"{"rules": [{"permission_set_names": ["InstancesFullAccess"], "project_ids": [], "§"}]}"#,
        r#"
replace "\"\""
id => "\"id\": " (key)
permission_sets_scope_type => "\"permission_sets_scope_type\": " (key)
condition => "\"condition\": " (key)
organization_id => "\"organization_id\": " (key)
account_root_user_id => "\"account_root_user_id\": " (key)"#,
    );
    check(
        Scaleway,
        Request,
        r#"{"permission_set": "InstancesRead§"#,
        r#"
replace "\"InstancesRead"
InstancesReadOnly => "\"InstancesReadOnly\"" (permission set: projects scope · CPU & GPU Instances)"#,
    );
    check(
        Scaleway,
        Request,
        r#"{"context": {"u§"#,
        r#"
replace "\"u"
user_agent => "\"user_agent\": " (key)"#,
    );
}

#[test]
fn outscale_actions_with_wildcards() {
    check(
        Outscale,
        Policy,
        r#"{"Statement": [{"Effect": "Allow", "Action": ["api:ReadV§"]}]}"#,
        r#"
replace "\"api:ReadV\""
api:ReadV* => "\"api:ReadV*\"" (wildcard: 10 actions)
api:ReadVirtualGateways => "\"api:ReadVirtualGateways\"" (action)
api:ReadVmGroups => "\"api:ReadVmGroups\"" (action)
api:ReadVmTemplates => "\"api:ReadVmTemplates\"" (action)
api:ReadVmTypes => "\"api:ReadVmTypes\"" (action)
api:ReadVms => "\"api:ReadVms\"" (action)
+5 more"#,
    );
    check(
        Outscale,
        Policy,
        r#"{"Statement": {"Effect": "Allow", "Action": "ec2:Descr§"#,
        r#"
replace "\"ec2:Descr"
ec2:Describe* => "\"ec2:Describe*\"" (wildcard: 50 actions)
ec2:DescribeAccountAttributes => "\"ec2:DescribeAccountAttributes\"" (action)
ec2:DescribeAddresses => "\"ec2:DescribeAddresses\"" (action)
ec2:DescribeAvailabilityZones => "\"ec2:DescribeAvailabilityZones\"" (action)
ec2:DescribeBundleTasks => "\"ec2:DescribeBundleTasks\"" (action)
ec2:DescribeConversionTasks => "\"ec2:DescribeConversionTasks\"" (action)
+45 more"#,
    );
    // A typed prefix that is not a whole verb is a wildcard of its own.
    check(
        Outscale,
        Policy,
        r#"{"Statement": {"Action": "api:ReadVm§"#,
        r#"
replace "\"api:ReadVm"
api:ReadVm* => "\"api:ReadVm*\"" (wildcard: 6 actions)
api:ReadVmGroups => "\"api:ReadVmGroups\"" (action)
api:ReadVmTemplates => "\"api:ReadVmTemplates\"" (action)
api:ReadVmTypes => "\"api:ReadVmTypes\"" (action)
api:ReadVms => "\"api:ReadVms\"" (action)
api:ReadVmsHealth => "\"api:ReadVmsHealth\"" (action)
+1 more"#,
    );
    // Before the colon: one wildcard per service.
    check(
        Outscale,
        Request,
        r#"{"action": "§"}"#,
        r#"
replace "\"\""
* => "\"*\"" (wildcard: every action)
api:* => "\"api:*\"" (wildcard: 235 actions)
directconnect:* => "\"directconnect:*\"" (wildcard: 10 actions)
ec2:* => "\"ec2:*\"" (wildcard: 180 actions)
elasticloadbalancing:* => "\"elasticloadbalancing:*\"" (wildcard: 27 actions)
iam:* => "\"iam:*\"" (wildcard: 45 actions)"#,
    );
    // The AWS profile: the AWS-named services only.
    check(
        Aws,
        Policy,
        r#"{"Statement": [{"NotAction": "§"#,
        r#"
replace "\""
* => "\"*\"" (wildcard: every action)
directconnect:* => "\"directconnect:*\"" (wildcard: 10 actions)
ec2:* => "\"ec2:*\"" (wildcard: 180 actions)
elasticloadbalancing:* => "\"elasticloadbalancing:*\"" (wildcard: 27 actions)
iam:* => "\"iam:*\"" (wildcard: 45 actions)"#,
    );
}

#[test]
fn aws_actions_come_from_the_aws_catalogue_when_it_is_loaded() {
    check_with_aws_catalogue(
        r#"{"Statement": [{"Action": "§"#,
        r#"
replace "\""
* => "\"*\"" (wildcard: every action)
ec2:* => "\"ec2:*\"" (wildcard: 3 actions)
iam:* => "\"iam:*\"" (wildcard: 2 actions)
s3:* => "\"s3:*\"" (wildcard: 4 actions)"#,
    );
    check_with_aws_catalogue(
        r#"{"Statement": [{"Action": ["s3:Get§"]}]}"#,
        r#"
replace "\"s3:Get\""
s3:Get* => "\"s3:Get*\"" (wildcard: 2 actions)
s3:GetObject => "\"s3:GetObject\"" (action)
s3:GetObjectAcl => "\"s3:GetObjectAcl\"" (action)"#,
    );
}

#[test]
fn outscale_elements_effects_and_versions() {
    check(
        Outscale,
        Policy,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}, {"Effect": "§"}]}"#,
        r#"
replace "\"\""
Allow => "\"Allow\"" (value)
Deny => "\"Deny\"" (value)"#,
    );
    check(
        Outscale,
        Policy,
        r#"{"Version": "§"#,
        r#"
replace "\""
2012-10-17 => "\"2012-10-17\"" (value)"#,
    );
    check(
        Aws,
        Policy,
        "{\"Version\": \"2012-10-17\",\n §",
        r#"
replace ""
Id => "\"Id\": " (key)
Statement => "\"Statement\": " (key)"#,
    );
    check(
        Outscale,
        Policy,
        r#"{"Statement": [{"Effect": "Allow", "Action": "*", "Res§"#,
        r#"
replace "\"Res"
Resource => "\"Resource\": " (key)
NotResource => "\"NotResource\": " (key)"#,
    );
}

#[test]
fn outscale_condition_operators_and_keys_with_their_types() {
    check(
        Outscale,
        Policy,
        r#"{"Statement": [{"Condition": {"IpA§"#,
        r#"
replace "\"IpA"
IpAddress => "\"IpAddress\": " (operator: IPAddress)
IpAddressIfExists => "\"IpAddressIfExists\": " (operator: IPAddress, true when the key is missing)
NotIpAddress => "\"NotIpAddress\": " (operator: IPAddress)
NotIpAddressIfExists => "\"NotIpAddressIfExists\": " (operator: IPAddress, true when the key is missing)
ForAnyValue:IpAddress => "\"ForAnyValue:IpAddress\": " (operator: IPAddress)
ForAnyValue:NotIpAddress => "\"ForAnyValue:NotIpAddress\": " (operator: IPAddress)
+6 more"#,
    );
    check(
        Aws,
        Policy,
        r#"{"Statement": {"Condition": {"Bool": {"aws:Sec§": "true"}}}}"#,
        r#"
replace "\"aws:Sec\""
aws:SecureTransport => "\"aws:SecureTransport\"" (condition key: Bool)"#,
    );
    check(
        Outscale,
        Policy,
        r#"{"Statement": {"Condition": {"ForAnyValue:StringLike": {"aws:Tag§"#,
        r#"
replace "\"aws:Tag"
aws:TagKeys => "\"aws:TagKeys\": " (condition key: String, multivalued)"#,
    );
    check(
        Outscale,
        Request,
        r#"{"action": "api:ReadVms", "context": {"aws:PrincipalT§"#,
        r#"
replace "\"aws:PrincipalT"
aws:PrincipalType => "\"aws:PrincipalType\": " (condition key: String)
aws:PrincipalTag/ => "\"aws:PrincipalTag/\": " (condition key: String, add a tag key)"#,
    );
}

#[test]
fn nothing_where_nothing_fits() {
    check(Outscale, Policy, r#"{"Statement": [{"Effect": "Allow" §"#, r#"replace """#);
    check(Outscale, Policy, r#"{"Sid": "a§"#, r#"replace """#);
    check(Exoscale, Policy, r#"{} §"#, r#"replace """#);
    check(Scaleway, Policy, r#"§"#, r#"replace """#);
}

/// Completion runs on every keystroke's text: every prefix of every example, and every
/// offset in each whole example, gives a well-formed answer (and never panics).
#[test]
fn every_prefix_and_offset_of_the_examples_is_safe() {
    for provider in Provider::ALL {
        for example in crate::examples(provider) {
            for (role, text) in example.documents {
                let boundaries: Vec<usize> = (0..=text.len()).filter(|at| text.is_char_boundary(*at)).collect();
                for &end in &boundaries {
                    let prefix = text.get(..end).unwrap_or("");
                    let completions = complete(provider, *role, prefix, end as u32);
                    assert_well_formed(prefix, end, &completions);
                    let completions = complete(provider, *role, text, end as u32);
                    assert_well_formed(text, end, &completions);
                }
            }
        }
    }
    // Offsets past the end and inside a multi-byte character are clamped.
    let completions = complete(Outscale, Policy, "{\"é", 3);
    assert_well_formed("{\"é", 2, &completions);
    assert_eq!(complete(Outscale, Policy, "{", 99), complete(Outscale, Policy, "{", 1));
}
