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

/// Runs `iamlab validate` and returns the exit code and the diagnostic codes it reported.
fn validate_codes(args: &[&str]) -> (Option<i32>, Vec<(String, String)>) {
    let output = iamlab_command().arg("validate").args(args).args(["--format", "json"]).output().expect("iamlab runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_default();
    let codes = report["files"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|file| file["diagnostics"].as_array().cloned().unwrap_or_default())
        .map(|diagnostic| {
            (
                diagnostic["code"].as_str().unwrap_or("").to_owned(),
                diagnostic["severity"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    (output.status.code(), codes)
}

#[test]
fn validate_kind_selects_the_provider_specific_checks() {
    let organization = "tests/fixtures/cli/org-denies-iam.json";
    let (code, codes) = validate_codes(&["--provider", "exoscale", "--kind", "organization", organization]);
    assert_eq!(code, Some(0));
    assert!(codes.contains(&("exoscale::org-policy-iam-lockout".to_owned(), "warning".to_owned())), "{codes:?}");
    let (_, codes) = validate_codes(&["--provider", "exoscale", organization]);
    assert!(
        !codes.iter().any(|(code, severity)| code == "exoscale::org-policy-iam-lockout" && severity == "warning"),
        "{codes:?}"
    );

    // 60 statements: more than 5120 non-whitespace characters.
    let large = "tests/fixtures/cli/large-eim-policy.json";
    let (code, codes) = validate_codes(&["--provider", "outscale", "--kind", "managed", large]);
    assert_eq!(code, Some(1), "{codes:?}");
    assert!(codes.iter().any(|(_, severity)| severity == "error"), "{codes:?}");
    let (code, codes) = validate_codes(&["--provider", "outscale", "--kind", "inline", large]);
    assert_eq!(code, Some(0), "{codes:?}");

    check_exit(
        &["validate", "--provider", "aws", "--kind", "organization", organization],
        2,
        "organization policy documents do not exist for aws",
    );
    check_exit(
        &["validate", "--provider", "exoscale", "--kind", "managed", organization],
        2,
        "managed policy documents do not exist for exoscale",
    );
}
