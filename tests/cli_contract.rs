//! The CLI contract every provider shares: exit codes and the "no made-up decision" rule.

use crate::support::iamlab_command;

fn check_exit(args: &[&str], expect_code: i32, expect_stderr: &str) {
    let output = iamlab_command().args(args).output().expect("iamlab runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(expect_code), "args {args:?}\nstderr: {stderr}");
    assert!(stderr.contains(expect_stderr), "args {args:?}\nstderr: {stderr}\nexpected: {expect_stderr}");
    assert!(output.stdout.is_empty(), "no decision may be printed: {}", String::from_utf8_lossy(&output.stdout));
}

#[test]
fn simulate_without_an_engine_exits_2_and_prints_no_decision() {
    let policy = "tests/fixtures/json/well-formed.json";
    check_exit(
        &["simulate", "--provider", "scaleway", "--policy", policy, "--request", policy, "--format", "json"],
        2,
        "not implemented yet for scaleway",
    );
}

#[test]
fn simulate_rejects_options_of_another_provider() {
    let policy = "tests/fixtures/json/well-formed.json";
    check_exit(
        &["simulate", "--provider", "aws", "--policy", policy, "--org-policy", policy, "--request", policy],
        2,
        "--org-policy applies to --provider exoscale only",
    );
    check_exit(
        &["simulate", "--provider", "exoscale", "--owner", "--policy", policy, "--request", policy],
        2,
        "--owner applies to --provider scaleway only",
    );
    check_exit(&["simulate", "--provider", "aws", "--policy", policy], 2, "--request");
    check_exit(
        &["simulate", "--provider", "aws", "--policy", "tests/no-such-file.json", "--request", policy],
        2,
        "cannot read",
    );
}
