//! Golden files (insta) of whole decisions, explanation included, for the OUTSCALE and AWS
//! profiles: what the CLI's `--format json` and the UI show.

use iamlab_engine::{NamedDocument, SimulationInput};
use iamlab_model::Provider;

fn check(name: &str, provider: Provider, policies: &[(&str, &str)], request: &str) {
    let input = SimulationInput {
        provider,
        policies: policies.iter().map(|(name, text)| NamedDocument { name, text }).collect(),
        organization_policy: None,
        owner: false,
        request: NamedDocument { name: "request.json", text: request },
    };
    let decision = iamlab_engine::simulate(&input).unwrap();
    insta::with_settings!({ prepend_module_to_snapshot => false, snapshot_path => "snapshots" }, {
        insta::assert_json_snapshot!(format!("outscale_explain__{name}"), decision);
    });
}

#[test]
fn outscale_deny_of_vm_deletion_with_resource_and_condition_notes() {
    check(
        "outscale-deny-vm-deletion",
        Provider::Outscale,
        &[
            (
                "full-access.json",
                r#"{"Statement": [{"Sid": "FullAccess", "Effect": "Allow", "Action": ["*"], "Resource": ["*"]}]}"#,
            ),
            (
                "deny-deletion.json",
                r#"{"Statement": [
  {"Sid": "DenyDeletion", "Effect": "Deny", "Action": ["api:DeleteVms", "ec2:TerminateInstances"], "Resource": ["arn:aws:ec2:eu-west-2::vm/i-1"]},
  {"Sid": "FromOffice", "Effect": "Allow", "Action": ["api:Read*"], "Resource": ["*"], "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"}}}
]}"#,
            ),
        ],
        r#"{"action": "api:DeleteVms", "context": {"aws:SourceIp": "198.51.100.4"}}"#,
    );
}

#[test]
fn aws_condition_with_a_missing_key_and_a_variable_resource() {
    check(
        "aws-missing-key-and-variable",
        Provider::Aws,
        &[(
            "home.json",
            r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "OwnFolder", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::bucket/home/${aws:username}/*"},
  {"Sid": "TeamOnly", "Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "blue"}, "Bool": {"aws:SecureTransport": "true"}}},
  {"Sid": "NoIam", "Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}
]}"#,
        )],
        r#"{"action": "s3:GetObject", "resource": "arn:aws:s3:::bucket/home/alice/x", "context": {"aws:username": "bob", "aws:SecureTransport": true}}"#,
    );
}

#[test]
fn aws_allow_through_multivalued_condition() {
    check(
        "aws-for-all-values",
        Provider::Aws,
        &[(
            "tags.json",
            r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}, "Null": {"aws:TagKeys": "false"}}}
]}"#,
        )],
        r#"{"action": "ec2:CreateTags", "context": {"aws:TagKeys": ["env"]}}"#,
    );
}

#[test]
fn outscale_near_misses_are_explained() {
    check(
        "outscale-near-misses",
        Provider::Outscale,
        &[(
            "typos.json",
            r#"{"Statement": [
  {"Effect": "Allow", "Action": ["fcu:DescribeInstances"], "Resource": ["*"]},
  {"Effect": "Allow", "Action": ["EC2:describeinstances"], "Resource": ["*"]}
]}"#,
        )],
        r#"{"action": "ec2:DescribeInstances"}"#,
    );
}
