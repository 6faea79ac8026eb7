//! The `iamlab` binary with `--provider outscale` and `--provider aws`: validate and simulate
//! end to end, exit codes and JSON output (fixtures in `tests/scenarios/outscale/cli/`).

use crate::support::iamlab_command;
use serde_json::Value;

const DIR: &str = "tests/scenarios/outscale/cli";

fn run(args: &[&str]) -> (i32, String, String) {
    let output = iamlab_command().args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

#[test]
fn validate_outscale_reports_the_fcu_prefix_and_fails() {
    let (code, stdout, stderr) = run(&["validate", "--provider", "outscale", &fixture("fcu-prefix.json")]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stdout.contains("outscale::fcu-prefix"), "{stdout}");
    assert!(stdout.contains("use `ec2:`"), "{stdout}");
}

#[test]
fn validate_outscale_json_output_lists_codes_and_positions() {
    let (code, stdout, _) =
        run(&["validate", "--provider", "outscale", "--format", "json", &fixture("fcu-prefix.json")]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(stdout.trim()).unwrap();
    let text = report.to_string();
    assert!(text.contains("outscale::fcu-prefix"), "{text}");
    assert!(text.contains("/Statement/0/Action/0"), "{text}");
}

#[test]
fn validate_aws_accepts_a_valid_policy() {
    let (code, stdout, stderr) = run(&["validate", "--provider", "aws", &fixture("aws-home-folder.json")]);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

#[test]
fn simulate_outscale_explicit_deny_names_the_statement() {
    let (code, stdout, stderr) = run(&[
        "simulate",
        "--provider",
        "outscale",
        "--policy",
        &fixture("full-access.json"),
        "--policy",
        &fixture("deny-vm-deletion.json"),
        "--request",
        &fixture("request-delete-vms.json"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let decision: Value = serde_json::from_str(stdout.trim()).unwrap();
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
fn simulate_outscale_allow_in_human_format() {
    let (code, stdout, stderr) = run(&[
        "simulate",
        "--provider",
        "outscale",
        "--policy",
        &fixture("full-access.json"),
        "--policy",
        &fixture("deny-vm-deletion.json"),
        "--request",
        &fixture("request-read-vms.json"),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.to_lowercase().contains("allow"), "{stdout}");
    assert!(stdout.contains("FullAccess") || stdout.contains("full-access.json"), "{stdout}");
}

#[test]
fn simulate_aws_variable_resource_is_an_implicit_deny() {
    let (code, stdout, stderr) = run(&[
        "simulate",
        "--provider",
        "aws",
        "--policy",
        &fixture("aws-home-folder.json"),
        "--request",
        &fixture("aws-request-other-folder.json"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let decision: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(decision["effect"], "implicit_deny", "{decision}");
    assert_eq!(decision["decisive"].as_array().unwrap().len(), 0);
    let reason = decision["explanation"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("did not match"), "{reason}");
}

#[test]
fn simulate_aws_refuses_a_policy_without_effect() {
    let (code, stdout, stderr) = run(&[
        "simulate",
        "--provider",
        "aws",
        "--policy",
        &fixture("aws-missing-effect.json"),
        "--request",
        &fixture("aws-request-other-folder.json"),
    ]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains("aws::missing-effect"), "{stderr}");
}
