//! `iamlab simulate` for every provider: the decision in human and JSON output, exit codes (0
//! decided, 1 a document has errors, 2 usage errors) and the "no made-up
//! decision" rule. Fixtures are in `tests/fixtures/cli/<provider>/`.

use crate::support::{fixture, TestCommand};
use serde_json::Value;

/// Runs `iamlab <args>`, expects exit 2 with `message` on stderr and no decision on stdout.
fn check_usage_error(args: &[&str], message: &str) {
    let finished = TestCommand::new().args(args).assert_exit(2);
    assert!(finished.stderr.contains(message), "args {args:?}\nstderr: {}\nexpected: {message}", finished.stderr);
    assert!(finished.stdout.is_empty(), "no decision may be printed: {}", finished.stdout);
}

#[test]
fn scaleway_allows_through_the_rule_whose_scope_set_and_condition_hold() {
    let policy = fixture("cli/scaleway/instances-in-project.json");
    let finished = TestCommand::new()
        .args(["simulate", "--provider", "scaleway", "--policy", &policy, "--request"])
        .arg(fixture("cli/scaleway/request-office.json"))
        .assert_exit(0);
    assert!(finished.stdout.starts_with("effect: allow\n"), "{}", finished.stdout);
    assert!(finished.stdout.contains("decided by: tests/fixtures/cli/scaleway/instances-in-project.json rules[1]:"));
    assert!(finished.stdout.contains("request.ip.inIpRange('203.0.113.0/24') → true"), "{}", finished.stdout);
}

#[test]
fn scaleway_denies_outside_the_condition_and_the_owner_is_always_allowed() {
    let policy = fixture("cli/scaleway/instances-in-project.json");
    let request = fixture("cli/scaleway/request-home.json");
    let decision = TestCommand::new()
        .args(["simulate", "--provider", "scaleway", "--format", "json", "--policy", &policy, "--request", &request])
        .assert_exit(0)
        .json();
    assert_eq!(decision["effect"], "implicit_deny");
    assert_eq!(decision["decisive"], Value::Array(Vec::new()));
    let steps = decision["explanation"].as_array().unwrap();
    let rule_1 = steps.iter().find(|step| step["element"] == "rules[1]").unwrap();
    assert_eq!(rule_1["outcome"], "not_matched");
    assert!(rule_1["reason"].as_str().unwrap().contains("condition"), "{rule_1}");
    let owner = TestCommand::new()
        .args(["simulate", "--provider", "scaleway", "--owner", "--policy", &policy, "--request", &request])
        .assert_exit(0);
    assert!(owner.stdout.starts_with("effect: allow\n"), "{}", owner.stdout);
    assert!(owner.stdout.contains("Organization Owner"), "{}", owner.stdout);
}

#[test]
fn options_of_another_provider_are_rejected() {
    let policy = fixture("json/well-formed.json");
    check_usage_error(
        &["simulate", "--provider", "aws", "--policy", &policy, "--org-policy", &policy, "--request", &policy],
        "--org-policy applies to --provider exoscale only",
    );
    check_usage_error(
        &["simulate", "--provider", "exoscale", "--owner", "--policy", &policy, "--request", &policy],
        "--owner applies to --provider scaleway only",
    );
    check_usage_error(&["simulate", "--provider", "aws", "--policy", &policy], "--request");
    check_usage_error(
        &["simulate", "--provider", "aws", "--policy", "tests/no-such-file.json", "--request", &policy],
        "cannot read",
    );
}

/// `iamlab simulate --provider exoscale --policy <private-instance-role> --format json <extra>`.
fn exoscale_simulate_json(extra: &[&str], code: i32) -> Value {
    TestCommand::new()
        .args(["simulate", "--provider", "exoscale", "--format", "json"])
        .args(["--policy", &fixture("cli/exoscale/private-instance-role.json")])
        .args(extra)
        .assert_exit(code)
        .json()
}

#[test]
fn exoscale_public_instance_is_denied_by_rule_0() {
    let decision = exoscale_simulate_json(&["--request", &fixture("cli/exoscale/request-public-instance.json")], 0);
    assert_eq!(decision["effect"], "explicit_deny");
    assert_eq!(
        decision["decisive"][0]["reason"],
        "Forbidden by role policy for compute - A deny rule matched. Rule index: 0"
    );
    assert_eq!(decision["decisive"][0]["layer"], "role");
    assert_eq!(decision["decisive"][0]["index"], 0);
}

#[test]
fn exoscale_private_instance_passes_both_layers() {
    let decision = exoscale_simulate_json(
        &[
            "--org-policy",
            &fixture("cli/exoscale/org-gva-only.json"),
            "--request",
            &fixture("cli/exoscale/request-private-instance.json"),
        ],
        0,
    );
    assert_eq!(decision["effect"], "allow");
    let layers: Vec<&str> =
        decision["decisive"].as_array().unwrap().iter().map(|entry| entry["layer"].as_str().unwrap()).collect();
    assert_eq!(layers, ["organization", "role"]);
}

#[test]
fn exoscale_organization_policy_denies_first() {
    let decision = exoscale_simulate_json(
        &[
            "--org-policy",
            &fixture("cli/exoscale/org-gva-only.json"),
            "--request",
            &fixture("cli/exoscale/request-private-instance-vienna.json"),
        ],
        0,
    );
    assert_eq!(decision["effect"], "explicit_deny");
    assert_eq!(decision["decisive"][0]["layer"], "organization");
    assert_eq!(
        decision["decisive"][0]["reason"],
        "Forbidden by organization policy for compute - A deny rule matched. Rule index: 0"
    );
}

#[test]
fn exoscale_human_output_names_the_rule() {
    let stdout = TestCommand::new()
        .args(["simulate", "--provider", "exoscale"])
        .args(["--policy", &fixture("cli/exoscale/private-instance-role.json")])
        .args(["--request", &fixture("cli/exoscale/request-public-instance.json")])
        .stdout();
    assert!(stdout.contains("Forbidden by role policy for compute - A deny rule matched. Rule index: 0"), "{stdout}");
}

#[test]
fn exoscale_invalid_request_exits_1() {
    let report = exoscale_simulate_json(&["--request", &fixture("cli/exoscale/request-invalid.json")], 1);
    assert!(report.to_string().contains("request::invalid-field"), "{report}");
}

#[test]
fn outscale_explicit_deny_names_the_statement() {
    let decision = TestCommand::new()
        .args(["simulate", "--provider", "outscale", "--format", "json"])
        .args(["--policy", &fixture("cli/outscale/full-access.json")])
        .args(["--policy", &fixture("cli/outscale/deny-vm-deletion.json")])
        .args(["--request", &fixture("cli/outscale/request-delete-vms.json")])
        .assert_exit(0)
        .json();
    assert_eq!(decision["effect"], "explicit_deny", "{decision}");
    let decisive = decision["decisive"].as_array().unwrap();
    assert_eq!(decisive.len(), 1, "{decision}");
    assert!(decisive[0]["document"].as_str().unwrap().ends_with("deny-vm-deletion.json"), "{decision}");
    assert_eq!(decisive[0]["sid"], "DenyVmDeletion");
    assert_eq!(decisive[0]["element"], "Statement[0]");
    // One explanation step per statement of each document.
    let steps: Vec<&Value> =
        decision["explanation"].as_array().unwrap().iter().filter(|step| step["outcome"] != "note").collect();
    assert_eq!(steps.len(), 2, "{decision}");
}

#[test]
fn outscale_allow_in_human_format() {
    let stdout = TestCommand::new()
        .args(["simulate", "--provider", "outscale"])
        .args(["--policy", &fixture("cli/outscale/full-access.json")])
        .args(["--policy", &fixture("cli/outscale/deny-vm-deletion.json")])
        .args(["--request", &fixture("cli/outscale/request-read-vms.json")])
        .stdout();
    assert!(stdout.to_lowercase().contains("allow"), "{stdout}");
    assert!(stdout.contains("FullAccess") || stdout.contains("full-access.json"), "{stdout}");
}

#[test]
fn aws_variable_resource_is_an_implicit_deny() {
    let decision = TestCommand::new()
        .args(["simulate", "--provider", "aws", "--format", "json"])
        .args(["--policy", &fixture("cli/outscale/aws-home-folder.json")])
        .args(["--request", &fixture("cli/outscale/aws-request-other-folder.json")])
        .assert_exit(0)
        .json();
    assert_eq!(decision["effect"], "implicit_deny", "{decision}");
    assert_eq!(decision["decisive"].as_array().unwrap().len(), 0);
    let reason = decision["explanation"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("did not match"), "{reason}");
}

#[test]
fn aws_refuses_a_policy_without_effect() {
    let finished = TestCommand::new()
        .args(["simulate", "--provider", "aws"])
        .args(["--policy", &fixture("cli/outscale/aws-missing-effect.json")])
        .args(["--request", &fixture("cli/outscale/aws-request-other-folder.json")])
        .assert_exit(1);
    assert!(finished.stderr.contains("aws::missing-effect"), "{}", finished.stderr);
}
