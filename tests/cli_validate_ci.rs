//! `iamlab validate` in CI: `--deny` (the severity that fails), `--format sarif` (validated
//! against the SARIF 2.1.0 schema, vendored in `tests/fixtures/sarif/`), `--fix` (the edits
//! findings carry, written atomically), and the output surviving a closed pipe.

use crate::support::{fixture, test_data, TestCommand};
use std::sync::OnceLock;

fn sarif_validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let text = std::fs::read_to_string(test_data("fixtures/sarif/sarif-schema-2.1.0.json")).unwrap();
        jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
    })
}

fn assert_valid_sarif(log: &serde_json::Value) {
    let errors: Vec<String> =
        sarif_validator().iter_errors(log).map(|error| format!("{} at {}", error, error.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}\n{log:#}");
}

#[test]
fn deny_sets_the_severity_that_fails() {
    // org-denies-iam.json as an organization policy: a warning, no error.
    let organization = fixture("cli/exoscale/org-denies-iam.json");
    let run = |deny: &str| {
        TestCommand::new()
            .args(["validate", "--provider", "exoscale", "--kind", "organization", "--deny", deny, &organization])
            .output()
            .code
    };
    assert_eq!(run("error"), Some(0));
    assert_eq!(run("warning"), Some(1));
    assert_eq!(run("info"), Some(1));
    let clean = fixture("cli/outscale/aws-home-folder.json");
    TestCommand::new().args(["validate", "--provider", "aws", "--deny", "hint", &clean]).assert_exit(0);
    let finished = TestCommand::new().args(["validate", "--provider", "aws", "--deny", "never", &clean]).assert_exit(2);
    assert!(finished.stderr.contains("invalid value 'never'"), "{}", finished.stderr);
}

#[test]
fn sarif_output_is_valid_for_every_provider() {
    for (provider, file, code) in [
        ("exoscale", "cli/exoscale/faulty-policy.json", "exoscale::unknown-operation"),
        ("outscale", "cli/outscale/fcu-prefix.json", "outscale::fcu-prefix"),
        ("aws", "cli/outscale/aws-missing-effect.json", "aws::"),
        ("scaleway", "json/duplicate-keys.json", "json::duplicate-key"),
    ] {
        let finished = TestCommand::new()
            .args(["validate", "--provider", provider, "--format", "sarif", &fixture(file)])
            .assert_exit(1);
        let log = finished.json();
        assert_valid_sarif(&log);
        let run = &log["runs"][0];
        let result = run["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|result| result["ruleId"].as_str().unwrap().starts_with(code))
            .unwrap_or_else(|| panic!("{provider}: no {code} in {log:#}"));
        let rule = &run["tool"]["driver"]["rules"][result["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], result["ruleId"]);
        assert!(rule["shortDescription"]["text"].as_str().is_some_and(|text| !text.is_empty()), "{rule}");
        assert!(
            rule["helpUri"].as_str().unwrap().contains("/docs/semantics/")
                || rule["helpUri"].as_str().unwrap().contains("DIALECTS.md"),
            "{rule}"
        );
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1 && region["startColumn"].as_u64().unwrap() >= 1, "{region}");
    }
}

#[test]
fn sarif_regions_match_the_json_report() {
    let path = fixture("cli/exoscale/faulty-policy.json");
    let sarif = TestCommand::new()
        .args(["validate", "--provider", "exoscale", "--format", "sarif", &path])
        .assert_exit(1)
        .json();
    let report = TestCommand::new()
        .args(["validate", "--provider", "exoscale", "--format", "json", &path])
        .assert_exit(1)
        .json();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let diagnostics = report["files"][0]["diagnostics"].as_array().unwrap();
    assert_eq!(results.len(), diagnostics.len());
    for (result, diagnostic) in results.iter().zip(diagnostics) {
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], diagnostic["start"]["line"]);
        assert_eq!(region["startColumn"], diagnostic["start"]["column"]);
        assert_eq!(region["endColumn"], diagnostic["end"]["column"]);
        assert_eq!(result["ruleId"], diagnostic["code"]);
    }
    // The wrong-case strategy carries its fix.
    assert_eq!(results[0]["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"], "\"deny\"");
    let clean = TestCommand::new()
        .args(["validate", "--provider", "aws", "--format", "sarif", &fixture("cli/outscale/aws-home-folder.json")])
        .assert_exit(0)
        .json();
    assert_valid_sarif(&clean);
    assert_eq!(clean["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn fix_applies_the_edits_and_reports_what_is_left() {
    let scratch = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(test_data("fixtures/cli/exoscale/faulty-policy.json")).unwrap();
    std::fs::write(scratch.path().join("policy.json"), &original).unwrap();
    let finished = TestCommand::new()
        .current_dir(scratch.path())
        .args(["validate", "--provider", "exoscale", "--fix", "policy.json"])
        .assert_exit(0);
    insta::assert_snapshot!("validate-fix", finished.stdout);
    let fixed = std::fs::read_to_string(scratch.path().join("policy.json")).unwrap();
    assert_eq!(fixed, original.replacen("\"Deny\"", "\"deny\"", 1));
    // Nothing left to fix: the file is untouched, and no temporary file stays behind.
    let again = TestCommand::new()
        .current_dir(scratch.path())
        .args(["validate", "--provider", "exoscale", "--fix", "--format", "json", "policy.json"])
        .assert_exit(0)
        .json();
    assert_eq!(again["fixed"], serde_json::json!([]));
    let names: Vec<_> = std::fs::read_dir(scratch.path()).unwrap().map(|entry| entry.unwrap().file_name()).collect();
    assert_eq!(names, ["policy.json"]);
    let finished =
        TestCommand::new().args(["validate", "--provider", "exoscale", "--fix", "-"]).stdin("{}").assert_exit(2);
    assert!(finished.stderr.contains("cannot fix standard input"), "{}", finished.stderr);
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    // 3000 findings: far more than a pipe holds, so the CLI writes into a closed pipe.
    let statements: Vec<String> =
        (0..3000).map(|_| r#"{"Effect": "Allow", "Action": "fcu:RunInstances", "Resource": "*"}"#.to_owned()).collect();
    let policy = format!(r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#, statements.join(","));
    let scratch = tempfile::tempdir().unwrap();
    std::fs::write(scratch.path().join("policy.json"), policy).unwrap();
    let mut child = std::process::Command::new(crate::support::iamlab_binary())
        .current_dir(scratch.path())
        .args(["validate", "--provider", "outscale", "policy.json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Read 10 bytes (`| head -c 10`), then close the pipe.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 10];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{stderr}");
    // The exit code is the command's own (1: the policy has errors), not a panic's 101.
    assert_eq!(output.status.code(), Some(1), "{stderr}");
}
