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
    let sources: Vec<Source<'_>> = documents
        .iter()
        .enumerate()
        .map(|(index, document)| Source {
            id: DocumentId(u32::try_from(index).unwrap()),
            role: document.role,
            text: document.text,
        })
        .collect();
    iamlab_engine::simulate(&Options::for_provider(provider), &sources)
}

/// Simulates and snapshots the decision; every span of it must lie in its document, and every
/// traced CEL sub-expression's span must underline its text (Exoscale traces quote the
/// expression; Outscale/AWS traces name a condition and its key instead).
fn check(snapshot: &str, provider: Provider, documents: &[Named<'_>]) {
    let decision = simulate(provider, documents).unwrap();
    let text_of = |id: DocumentId| documents.get(id.0 as usize).map(|document| document.text.to_owned());
    assert_eq!(decision_spans_outside(&decision, &text_of), [], "{snapshot}: spans outside their documents");
    let quotes_expressions = provider == Provider::Exoscale;
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
