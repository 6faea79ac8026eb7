//! The `iamlab` binary with `--provider exoscale`: validate and simulate, human and JSON output,
//! exit codes (0 clean or decided, 1 errors in a document).

use crate::support::{iamlab_command, test_data};
use serde_json::Value;
use std::process::Output;

fn fixture(name: &str) -> String {
    test_data(&format!("scenarios/exoscale/cli/{name}")).display().to_string()
}

fn run(args: &[&str]) -> Output {
    iamlab_command().args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn simulate_json(extra: &[&str]) -> (i32, Value) {
    let role = fixture("private-instance-role.json");
    let mut args = vec!["simulate", "--provider", "exoscale", "--policy", role.as_str(), "--format", "json"];
    args.extend_from_slice(extra);
    let output = run(&args);
    let json = serde_json::from_str(&stdout(&output)).unwrap_or_else(|error| panic!("{error}: {}", stdout(&output)));
    (output.status.code().unwrap(), json)
}

#[test]
fn exoscale_cli_validate_clean_role_exits_0() {
    let output = run(&["validate", "--provider", "exoscale", &fixture("private-instance-role.json")]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(!stdout(&output).contains("exoscale::"), "{}", stdout(&output));
}

#[test]
fn exoscale_cli_validate_reports_errors_and_warnings_with_exit_1() {
    let output = run(&["validate", "--provider", "exoscale", &fixture("faulty-policy.json")]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("exoscale::invalid-value"), "{text}");
    assert!(text.contains("exoscale::unknown-operation"), "{text}");
    assert!(text.contains("list-instances"), "the did-you-mean is shown: {text}");
}

#[test]
fn exoscale_cli_validate_json_lists_codes_and_paths() {
    let output = run(&["validate", "--provider", "exoscale", "--format", "json", &fixture("faulty-policy.json")]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let report: Value = serde_json::from_str(&text).unwrap();
    let rendered = report.to_string();
    assert!(rendered.contains("exoscale::invalid-value"), "{rendered}");
    assert!(rendered.contains("/default-service-strategy"), "{rendered}");
}

#[test]
fn exoscale_cli_simulate_public_instance_is_denied_by_rule_0() {
    let (code, decision) = simulate_json(&["--request", &fixture("request-public-instance.json")]);
    assert_eq!(code, 0);
    assert_eq!(decision["effect"], "explicit_deny");
    assert_eq!(
        decision["decisive"][0]["reason"],
        "Forbidden by role policy for compute - A deny rule matched. Rule index: 0"
    );
    assert_eq!(decision["decisive"][0]["layer"], "role");
    assert_eq!(decision["decisive"][0]["index"], 0);
}

#[test]
fn exoscale_cli_simulate_private_instance_passes_both_layers() {
    let org = fixture("org-gva-only.json");
    let (code, decision) =
        simulate_json(&["--org-policy", &org, "--request", &fixture("request-private-instance.json")]);
    assert_eq!(code, 0);
    assert_eq!(decision["effect"], "allow");
    let layers: Vec<&str> =
        decision["decisive"].as_array().unwrap().iter().map(|entry| entry["layer"].as_str().unwrap()).collect();
    assert_eq!(layers, ["organization", "role"]);
}

#[test]
fn exoscale_cli_simulate_organization_policy_denies_first() {
    let org = fixture("org-gva-only.json");
    let (code, decision) =
        simulate_json(&["--org-policy", &org, "--request", &fixture("request-private-instance-vienna.json")]);
    assert_eq!(code, 0);
    assert_eq!(decision["effect"], "explicit_deny");
    assert_eq!(decision["decisive"][0]["layer"], "organization");
    assert_eq!(
        decision["decisive"][0]["reason"],
        "Forbidden by organization policy for compute - A deny rule matched. Rule index: 0"
    );
}

#[test]
fn exoscale_cli_simulate_human_output_names_the_rule() {
    let output = run(&[
        "simulate",
        "--provider",
        "exoscale",
        "--policy",
        &fixture("private-instance-role.json"),
        "--request",
        &fixture("request-public-instance.json"),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.contains("Forbidden by role policy for compute - A deny rule matched. Rule index: 0"), "{text}");
}

#[test]
fn exoscale_cli_simulate_invalid_request_exits_1() {
    let (code, report) = simulate_json(&["--request", &fixture("request-invalid.json")]);
    assert_eq!(code, 1);
    assert!(report.to_string().contains("exoscale::invalid-request"), "{report}");
}
