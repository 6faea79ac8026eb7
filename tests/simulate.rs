//! Golden files (insta) of whole decisions, explanation and CEL traces included, as
//! `iamlab simulate --format json` prints them (`Decision::to_json_string_with_names`, indented),
//! and of what it prints when it refuses a document.

use crate::support::{render_decision_json, render_validation};
use iamlab_engine::pipeline::decision_spans_outside;
use iamlab_engine::{DocumentId, DocumentRole, Options, SimulateError, Source};
use iamlab_model::{Decision, Provider};

/// One named document of a simulation; ids follow the order given.
struct Named<'text> {
    name: &'text str,
    role: DocumentRole,
    text: &'text str,
}

fn policy<'text>(name: &'text str, text: &'text str) -> Named<'text> {
    Named { name, role: DocumentRole::Policy, text }
}

fn request(text: &str) -> Named<'_> {
    Named { name: "request.json", role: DocumentRole::Request, text }
}

fn simulate(provider: Provider, documents: &[Named<'_>]) -> Result<Decision, SimulateError> {
    simulate_with(&Options::for_provider(provider), documents)
}

fn simulate_with(options: &Options, documents: &[Named<'_>]) -> Result<Decision, SimulateError> {
    let sources: Vec<Source<'_>> = documents
        .iter()
        .enumerate()
        .map(|(index, document)| Source {
            id: DocumentId(u32::try_from(index).unwrap()),
            role: document.role,
            text: document.text,
        })
        .collect();
    iamlab_engine::simulate(options, &sources)
}

/// Simulates and snapshots the decision; every span of it must lie in its document, and every
/// traced CEL sub-expression's span must underline its text (Exoscale and Scaleway traces quote
/// the expression; Outscale/AWS traces name a condition and its key instead).
fn check(snapshot: &str, provider: Provider, documents: &[Named<'_>]) {
    check_with(snapshot, &Options::for_provider(provider), documents);
}

/// [`check`] with options beyond the provider's defaults (Scaleway's `owner`).
fn check_with(snapshot: &str, options: &Options, documents: &[Named<'_>]) {
    let provider = options.provider();
    let decision = simulate_with(options, documents).unwrap();
    let text_of = |id: DocumentId| documents.get(id.0 as usize).map(|document| document.text.to_owned());
    assert_eq!(decision_spans_outside(&decision, &text_of), [], "{snapshot}: spans outside their documents");
    let quotes_expressions = matches!(provider, Provider::Exoscale | Provider::Scaleway);
    for step in decision.explanation.iter().filter(|_| quotes_expressions) {
        let Some(text) = step.locator.document.and_then(text_of) else { continue };
        for entry in &step.trace {
            let raw = entry.span.and_then(|span| span.slice(&text)).unwrap();
            // The document holds the expression JSON-escaped; without escapes the two agree.
            if !raw.contains('\\') {
                assert_eq!(raw, entry.text, "{snapshot}: trace span and text disagree");
            }
        }
    }
    let names: Vec<&str> = documents.iter().map(|document| document.name).collect();
    insta::assert_snapshot!(snapshot, render_decision_json(&decision, &names));
}

const PRIVATE_INSTANCE_ROLE: &str = r#"{
  "name": "my-api-role",
  "description": "Role that allows only deploying private instances.",
  "editable": true,
  "policy": {
    "default-service-strategy": "allow",
    "services": {
      "compute": {
        "type": "rules",
        "rules": [
          {
            "expression": "operation == 'create-instance' && (!parameters.has('public_ip_assignment') || parameters.public_ip_assignment != 'none')",
            "action": "deny"
          },
          { "expression": "true", "action": "allow" }
        ]
      },
      "compute-legacy": { "type": "deny" }
    }
  }
}
"#;

#[test]
fn exoscale_public_instance_denied() {
    check(
        "exoscale-public-instance-denied",
        Provider::Exoscale,
        &[
            policy("role.json", PRIVATE_INSTANCE_ROLE),
            request(
                r#"{ "operation": "create-instance", "parameters": { "public-ip-assignment": "inet4", "name": "web" } }"#,
            ),
        ],
    );
}

#[test]
fn exoscale_private_instance_allowed_by_both_layers() {
    let organization = r#"{
  "default-service-strategy": "allow",
  "services": {
    "compute": { "type": "rules", "rules": [
      { "action": "deny", "expression": "!(zone in ['ch-gva-2', 'ch-dk-2'])" },
      { "action": "allow", "expression": "true" }
    ] }
  }
}
"#;
    check(
        "exoscale-private-instance-allowed",
        Provider::Exoscale,
        &[
            policy("role.json", PRIVATE_INSTANCE_ROLE),
            Named { name: "org.json", role: DocumentRole::OrganizationPolicy, text: organization },
            request(
                r#"{ "operation": "create-instance", "zone": "ch-gva-2", "parameters": { "public_ip_assignment": "none" } }"#,
            ),
        ],
    );
}

#[test]
/// TF `iam-bucket-access`'s deny rule `!(parameters.bucket in [...])` on a request without
/// `bucket`: Exoscale's evaluator (exoscale/cel-parser) makes the `in` false, so the rule denies.
fn exoscale_bucket_rule_fails_closed() {
    let role = r#"{
  "default-service-strategy": "deny",
  "services": {
    "sos": { "type": "rules", "rules": [
      { "action": "allow", "expression": "operation in ['list-sos-buckets-usage', 'list-buckets']" },
      { "action": "deny", "expression": "!(parameters.bucket in ['my-test-bucket', 'my-other-bucket'])" },
      { "action": "deny", "expression": "operation in ['create-bucket', 'delete-bucket']" },
      { "action": "allow", "expression": "true" }
    ] }
  }
}
"#;
    check(
        "exoscale-bucket-rule-fails-closed",
        Provider::Exoscale,
        &[policy("role.json", role), request(r#"{ "operation": "get-object" }"#)],
    );
}

#[test]
fn exoscale_invalid_request_is_refused() {
    let text = r#"{ "operation": "create-instanse", "zone": 2, "extra": true }"#;
    let result = simulate(Provider::Exoscale, &[policy("role.json", PRIVATE_INSTANCE_ROLE), request(text)]);
    let Err(SimulateError::InvalidDocument { document, diagnostics }) = result else {
        panic!("an invalid request must not be simulated: {result:?}");
    };
    assert_eq!(document, DocumentId(1), "the request is refused");
    insta::assert_snapshot!("exoscale-invalid-request", render_validation("request.json", text, &diagnostics));
}

#[test]
fn outscale_deny_of_vm_deletion_with_resource_and_condition_notes() {
    check(
        "outscale-deny-vm-deletion",
        Provider::Outscale,
        &[
            policy(
                "full-access.json",
                r#"{"Statement": [{"Sid": "FullAccess", "Effect": "Allow", "Action": ["*"], "Resource": ["*"]}]}"#,
            ),
            policy(
                "deny-deletion.json",
                r#"{"Statement": [
  {"Sid": "DenyDeletion", "Effect": "Deny", "Action": ["api:DeleteVms", "ec2:TerminateInstances"], "Resource": ["arn:aws:ec2:eu-west-2::vm/i-1"]},
  {"Sid": "FromOffice", "Effect": "Allow", "Action": ["api:Read*"], "Resource": ["*"], "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}}
]}"#,
            ),
            request(r#"{"action": "api:DeleteVms", "context": {"aws:SourceIp": "198.51.100.4"}}"#),
        ],
    );
}

#[test]
fn aws_condition_with_a_missing_key_and_a_variable_resource() {
    check(
        "aws-missing-key-and-variable",
        Provider::Aws,
        &[
            policy(
                "home.json",
                r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "OwnFolder", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::bucket/home/${aws:username}/*"},
  {"Sid": "TeamOnly", "Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "blue"}, "Bool": {"aws:SecureTransport": "true"}}},
  {"Sid": "NoIam", "Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}
]}"#,
            ),
            request(
                r#"{"action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/home/alice/x", "context": {"aws:username": "bob", "aws:SecureTransport": true}}"#,
            ),
        ],
    );
}

#[test]
fn aws_allow_through_multivalued_condition() {
    check(
        "aws-for-all-values",
        Provider::Aws,
        &[
            policy(
                "tags.json",
                r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}, "Null": {"aws:TagKeys": "false"}}}
]}"#,
            ),
            request(r#"{"action": "ec2:CreateTags", "context": {"aws:TagKeys": ["env"]}}"#),
        ],
    );
}

#[test]
fn outscale_near_misses_are_explained() {
    check(
        "outscale-near-misses",
        Provider::Outscale,
        &[
            policy(
                "typos.json",
                r#"{"Statement": [
  {"Effect": "Allow", "Action": ["fcu:DescribeInstances"], "Resource": ["*"]},
  {"Effect": "Allow", "Action": ["EC2:describeinstances"], "Resource": ["*"]}
]}"#,
            ),
            request(r#"{"action": "ec2:DescribeInstances"}"#),
        ],
    );
}

const SCALEWAY_USER_POLICY: &str = r#"{
  "name": "developer",
  "organization_id": "c6842bac-7938-4c04-9e03-f48147eee1f1",
  "user_id": "6a0c2ca8-917a-418a-90a3-05949b55a7ae",
  "rules": [
    {
      "permission_set_names": ["InstancesFullAccess"],
      "project_ids": ["2aeadddc-c589-4784-8ef5-fae989a4bac8"],
      "condition": "request.time.getHours(\"Europe/Paris\") >= 8 && request.time.getHours(\"Europe/Paris\") < 18 && inIpRange(request.ip, \"203.0.113.0/24\")"
    },
    {
      "permission_set_names": ["SecretManagerReadOnly"],
      "project_ids": ["2aeadddc-c589-4784-8ef5-fae989a4bac8"],
      "condition": "resource.name.startsWith(\"/team/\") || !has(resource.id)"
    }
  ]
}
"#;

const SCALEWAY_GROUP_POLICY: &str = r#"{
  "name": "ops-group",
  "organization_id": "c6842bac-7938-4c04-9e03-f48147eee1f1",
  "group_id": "3f6ab0c5-33b2-4fe9-8f52-2b8d21f1e0d4",
  "rules": [
    {
      "permission_set_names": ["AllProductsFullAccess"],
      "organization_id": "c6842bac-7938-4c04-9e03-f48147eee1f1",
      "condition": "request.user_agent.contains(\"terraform/\")"
    },
    { "permission_set_names": ["InstancesReadOnly"], "project_ids": ["0c3c57f5-1d58-4b4e-bd3b-1b6f3f0e5a77"] }
  ]
}
"#;

/// A user's policy and a group's: the first rule misses by its hour only (the nearest miss),
/// the group's rule by its user agent, the other rules by scope or set.
#[test]
fn scaleway_denied_with_condition_traces_and_a_nearest_miss() {
    check(
        "scaleway-denied-out-of-hours",
        Provider::Scaleway,
        &[
            policy("developer.json", SCALEWAY_USER_POLICY),
            policy("ops-group.json", SCALEWAY_GROUP_POLICY),
            request(
                r#"{"permission_set": "InstancesFullAccess", "project_id": "2aeadddc-c589-4784-8ef5-fae989a4bac8",
 "context": {"ip": "203.0.113.7", "time": "2026-11-23T19:30:00Z", "user_agent": "scaleway-cli/2.30"}}"#,
            ),
        ],
    );
}

/// The group's Organization-wide `AllProductsFullAccess` grants a Project's `SecretManagerReadOnly`
/// through the curated containment table; the decision says the answer depends on it. The
/// user's own rule grants it too (a list call: no resource), so two rules allow (union).
#[test]
fn scaleway_allowed_by_union_and_containment() {
    check(
        "scaleway-allowed-by-union-and-containment",
        Provider::Scaleway,
        &[
            policy("developer.json", SCALEWAY_USER_POLICY),
            policy("ops-group.json", SCALEWAY_GROUP_POLICY),
            request(
                r#"{"permission_set": "SecretManagerReadOnly", "project_id": "2aeadddc-c589-4784-8ef5-fae989a4bac8",
 "context": {"ip": "198.51.100.1", "time": "2026-11-23T09:30:00Z", "user_agent": "scaleway-sdk-go/v1.0.0 terraform-provider/2.52.0 terraform/1.11.3"}}"#,
            ),
        ],
    );
}

/// A resource outside the rule's prefix, a condition that errors (no `request.ip` given), and a
/// policy without principal.
#[test]
fn scaleway_resource_condition_error_and_no_principal() {
    let orphan = r#"{ "name": "orphan", "no_principal": true,
  "rules": [{ "permission_set_names": ["SecretManagerReadOnly"], "organization_id": "c6842bac-7938-4c04-9e03-f48147eee1f1" }] }"#;
    let by_ip = r#"{ "name": "by-ip", "user_id": "6a0c2ca8-917a-418a-90a3-05949b55a7ae",
  "rules": [{ "permission_set_names": ["SecretManagerFullAccess"], "project_ids": ["2aeadddc-c589-4784-8ef5-fae989a4bac8"], "condition": "inIpRange(request.ip, \"203.0.113.0/24\")" }] }"#;
    check(
        "scaleway-resource-condition-error-and-no-principal",
        Provider::Scaleway,
        &[
            policy("developer.json", SCALEWAY_USER_POLICY),
            policy("orphan.json", orphan),
            policy("by-ip.json", by_ip),
            request(
                r#"{"permission_set": "SecretManagerReadOnly", "project_id": "2aeadddc-c589-4784-8ef5-fae989a4bac8",
 "resource": {"name": "/other/db-password", "id": "11111111-2222-4333-8444-555555555555", "locality": "fr-par"}}"#,
            ),
        ],
    );
}

/// The Organization Owner is allowed anything; no policy is read.
#[test]
fn scaleway_owner_is_allowed() {
    let mut options = Options::for_provider(Provider::Scaleway);
    options.set_flag("owner").unwrap();
    check_with(
        "scaleway-owner-allowed",
        &options,
        &[
            policy("developer.json", SCALEWAY_USER_POLICY),
            request(
                r#"{"permission_set": "OrganizationManager", "organization_id": "c6842bac-7938-4c04-9e03-f48147eee1f1"}"#,
            ),
        ],
    );
}

#[test]
fn scaleway_invalid_request_is_refused() {
    let text = r#"{ "permission_set": "InstanceFullAccess", "project_id": "p", "organization_id": "o", "context": { "ip": "not-an-ip", "time": "yesterday", "agent": "x" } }"#;
    let result = simulate(Provider::Scaleway, &[policy("developer.json", SCALEWAY_USER_POLICY), request(text)]);
    let Err(SimulateError::InvalidDocument { document, diagnostics }) = result else {
        panic!("an invalid request must not be simulated: {result:?}");
    };
    assert_eq!(document, DocumentId(1), "the request is refused");
    insta::assert_snapshot!("scaleway-invalid-request", render_validation("request.json", text, &diagnostics));
}
