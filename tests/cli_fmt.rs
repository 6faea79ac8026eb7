//! `iamlab fmt`: canonical indentation and each provider's documented key order, written
//! atomically; `--check` prints a diff and exits 1; documents with JSON errors are left alone.

use crate::support::{fixture, TestCommand};

#[test]
fn check_prints_a_diff_and_exits_1() {
    let finished = TestCommand::new()
        .args(["fmt", "--check", "--provider", "exoscale", &fixture("cli/exoscale/private-instance-role.json")])
        .assert_exit(1);
    insta::assert_snapshot!("fmt-check-exoscale-role", finished.stdout);
}

#[test]
fn formatting_writes_the_file_and_a_second_run_changes_nothing() {
    for (provider, kind, file) in [
        ("exoscale", "policy", "cli/exoscale/org-gva-only.json"),
        ("outscale", "policy", "cli/outscale/full-access.json"),
        ("aws", "request", "cli/outscale/aws-request-other-folder.json"),
        ("scaleway", "policy", "cli/test/scaleway-policy.json"),
    ] {
        let scratch = tempfile::tempdir().unwrap();
        let original = std::fs::read_to_string(crate::support::workspace_root().join(fixture(file))).unwrap();
        std::fs::write(scratch.path().join("document.json"), &original).unwrap();
        let fmt = |check: bool| {
            let mut command = TestCommand::new();
            command.current_dir(scratch.path()).args(["fmt", "--provider", provider, "--kind", kind]);
            if check {
                command.arg("--check");
            }
            command.arg("document.json").output()
        };
        let first = fmt(false);
        assert_eq!(first.code, Some(0), "{provider}: {first:?}");
        let formatted = std::fs::read_to_string(scratch.path().join("document.json")).unwrap();
        let value = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
        assert_eq!(value(&formatted), value(&original), "{provider}: formatting changed a value");
        let check = fmt(true);
        assert_eq!((check.code, check.stdout.as_str()), (Some(0), ""), "{provider}: formatting is not stable");
        insta::assert_snapshot!(format!("fmt-{provider}-{kind}"), formatted);
    }
}

#[test]
fn standard_input_is_formatted_to_standard_output() {
    let stdout = TestCommand::new()
        .args(["fmt", "--provider", "outscale", "-"])
        .stdin(r#"{"Statement":[{"Resource":"*","Effect":"Deny","Action":"api:DeleteVms"}],"Version":"2012-10-17"}"#)
        .stdout();
    assert_eq!(
        stdout,
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Deny\",\n      \"Action\": \"api:DeleteVms\",\n      \"Resource\": \"*\"\n    }\n  ]\n}\n"
    );
}

#[test]
fn documents_with_errors_are_left_alone() {
    let scratch = tempfile::tempdir().unwrap();
    std::fs::write(scratch.path().join("broken.json"), "{\"Version\": \"2012-10-17\",}").unwrap();
    let finished =
        TestCommand::new().current_dir(scratch.path()).args(["fmt", "--provider", "aws", "broken.json"]).assert_exit(1);
    assert!(finished.stderr.contains("json::trailing-comma"), "{}", finished.stderr);
    assert_eq!(std::fs::read_to_string(scratch.path().join("broken.json")).unwrap(), "{\"Version\": \"2012-10-17\",}");
    let finished = TestCommand::new().args(["fmt", "--provider", "aws", "tests/fixtures/missing.json"]).assert_exit(2);
    assert!(finished.stderr.contains("cannot read tests/fixtures/missing.json"), "{}", finished.stderr);
    let finished =
        TestCommand::new().args(["fmt", "--provider", "aws", "--kind", "organization", "-"]).stdin("{}").assert_exit(2);
    assert!(finished.stderr.contains("organization policy documents do not exist for aws"), "{}", finished.stderr);
}
