//! `iamlab validate` for every provider: human and JSON output, `--kind`, exit codes (0 clean,
//! 1 an error in a document, 2 usage or I/O errors), and the rustc-style rendering of JSON
//! syntax errors (golden files). Fixtures are in `tests/fixtures/cli/<provider>/` and
//! `tests/fixtures/json/`.

use crate::support::{fixture, test_data, TestCommand};

/// `iamlab validate <args> --format json`: the exit code and every (code, severity) reported.
fn validate_codes(args: &[&str]) -> (Option<i32>, Vec<(String, String)>) {
    let finished = TestCommand::new().arg("validate").args(args).args(["--format", "json"]).output();
    let report = finished.json();
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
    (finished.code, codes)
}

#[test]
fn exoscale_clean_role_exits_0() {
    let stdout = TestCommand::new()
        .args(["validate", "--provider", "exoscale", &fixture("cli/exoscale/private-instance-role.json")])
        .stdout();
    assert!(!stdout.contains("exoscale::"), "{stdout}");
}

#[test]
fn exoscale_errors_and_warnings_exit_1() {
    let finished = TestCommand::new()
        .args(["validate", "--provider", "exoscale", &fixture("cli/exoscale/faulty-policy.json")])
        .assert_exit(1);
    let text = finished.stdout;
    assert!(text.contains("exoscale::invalid-value"), "{text}");
    assert!(text.contains("exoscale::unknown-operation"), "{text}");
    assert!(text.contains("list-instances"), "the did-you-mean is shown: {text}");
}

#[test]
fn exoscale_json_lists_codes_and_paths() {
    let report = TestCommand::new()
        .args(["validate", "--provider", "exoscale", "--format", "json", &fixture("cli/exoscale/faulty-policy.json")])
        .assert_exit(1)
        .json();
    let rendered = report.to_string();
    assert!(rendered.contains("exoscale::invalid-value"), "{rendered}");
    assert!(rendered.contains("/default-service-strategy"), "{rendered}");
}

#[test]
fn outscale_reports_the_fcu_prefix_and_fails() {
    let stdout = TestCommand::new()
        .args(["validate", "--provider", "outscale", &fixture("cli/outscale/fcu-prefix.json")])
        .assert_exit(1)
        .stdout;
    assert!(stdout.contains("outscale::fcu-prefix"), "{stdout}");
    assert!(stdout.contains("use `ec2:`"), "{stdout}");
}

#[test]
fn outscale_json_output_lists_codes_and_positions() {
    let report = TestCommand::new()
        .args(["validate", "--provider", "outscale", "--format", "json", &fixture("cli/outscale/fcu-prefix.json")])
        .assert_exit(1)
        .json();
    let text = report.to_string();
    assert!(text.contains("outscale::fcu-prefix"), "{text}");
    assert!(text.contains("/Statement/0/Action/0"), "{text}");
}

#[test]
fn aws_accepts_a_valid_policy() {
    TestCommand::new().args(["validate", "--provider", "aws", &fixture("cli/outscale/aws-home-folder.json")]).stdout();
}

#[test]
fn kind_selects_the_provider_specific_checks() {
    let organization = fixture("cli/exoscale/org-denies-iam.json");
    let (code, codes) = validate_codes(&["--provider", "exoscale", "--kind", "organization", &organization]);
    assert_eq!(code, Some(0));
    assert!(codes.contains(&("exoscale::org-policy-iam-lockout".to_owned(), "warning".to_owned())), "{codes:?}");
    let (_, codes) = validate_codes(&["--provider", "exoscale", &organization]);
    assert!(
        !codes.iter().any(|(code, severity)| code == "exoscale::org-policy-iam-lockout" && severity == "warning"),
        "{codes:?}"
    );

    // 60 statements: more than 5120 non-whitespace characters.
    let large = fixture("cli/outscale/large-eim-policy.json");
    let (code, codes) = validate_codes(&["--provider", "outscale", "--kind", "managed", &large]);
    assert_eq!(code, Some(1), "{codes:?}");
    assert!(codes.iter().any(|(_, severity)| severity == "error"), "{codes:?}");
    let (code, codes) = validate_codes(&["--provider", "outscale", "--kind", "inline", &large]);
    assert_eq!(code, Some(0), "{codes:?}");
}

#[test]
fn kind_of_another_provider_exits_2() {
    let organization = fixture("cli/exoscale/org-denies-iam.json");
    for (provider, kind, message) in [
        ("aws", "organization", "organization policy documents do not exist for aws"),
        ("exoscale", "managed", "managed policy documents do not exist for exoscale"),
    ] {
        let finished =
            TestCommand::new().args(["validate", "--provider", provider, "--kind", kind, &organization]).assert_exit(2);
        assert!(finished.stderr.contains(message), "{}", finished.stderr);
        assert!(finished.stdout.is_empty(), "nothing is validated: {}", finished.stdout);
    }
}

#[test]
fn hundred_thousand_nested_brackets_give_a_diagnostic() {
    let stdout = TestCommand::new()
        .args(["validate", "--provider", "scaleway", "-"])
        .stdin("[".repeat(100_000) + &"]".repeat(100_000))
        .assert_exit(1)
        .stdout;
    assert!(stdout.contains("error[json::too-deep]: nesting deeper than 128 levels"), "stdout: {stdout}");
    assert!(stdout.contains(":1:129"), "the 129th bracket is the culprit: {stdout}");
}

#[test]
fn json_syntax_errors_are_rendered_like_rustc() {
    for case in ["duplicate-keys", "trailing-comma", "unterminated-string", "wide-characters"] {
        let finished = TestCommand::new()
            .args(["validate", "--provider", "scaleway", &fixture(&format!("json/{case}.json"))])
            .output();
        insta::assert_snapshot!(format!("json-{case}"), format!("exit: {:?}\n{}", finished.code, finished.stdout));
    }
}

#[test]
fn json_output_has_byte_offsets_and_line_columns() {
    let path = fixture("json/wide-characters.json");
    let report = TestCommand::new()
        .args(["validate", "--provider", "scaleway", "--format", "json", &path])
        .assert_exit(1)
        .json();
    // Scaleway's schema findings come too (this is not a policy); the JSON one is what is checked.
    let diagnostics = report["files"][0]["diagnostics"].as_array().unwrap();
    let diagnostic = diagnostics.iter().find(|diagnostic| diagnostic["code"] == "json::duplicate-key").unwrap();
    assert_eq!(diagnostic["severity"], "error");
    // Line 4 is `  "😀é": 3`, the repeated key: it starts at char column 3, after 2 spaces.
    assert_eq!(diagnostic["start"], serde_json::json!({"line": 4, "column": 3}));
    let text = std::fs::read_to_string(test_data("fixtures/json/wide-characters.json")).unwrap();
    let start = diagnostic["span"]["start"].as_u64().unwrap() as usize;
    let end = diagnostic["span"]["end"].as_u64().unwrap() as usize;
    assert_eq!(&text[start..end], "\"😀é\"");
    let json_errors =
        diagnostics.iter().filter(|diagnostic| diagnostic["code"].as_str().unwrap().starts_with("json::"));
    assert_eq!(json_errors.count(), 1);
}

#[test]
fn usage_and_io_errors_exit_2() {
    let missing =
        TestCommand::new().args(["validate", "--provider", "aws", "tests/fixtures/json/missing.json"]).assert_exit(2);
    assert!(missing.stderr.contains("cannot read tests/fixtures/json/missing.json"), "{}", missing.stderr);
    TestCommand::new().args(["validate", "--provider", "gcp", "x.json"]).assert_exit(2);
    TestCommand::new()
        .args(["validate", "--provider", "scaleway", "--format", "json", &fixture("json/well-formed.json")])
        .stdout();
}

#[test]
fn saved_version_shows_a_scaleway_lock_out_that_one_file_cannot() {
    let edited = fixture("cli/scaleway/admin-edited.json");
    let saved = fixture("cli/scaleway/admin-saved.json");
    // Alone, the edited policy is clean.
    assert_eq!(validate_codes(&["--provider", "scaleway", &edited]), (Some(0), Vec::new()));
    // Against the saved version, the lost IAMManager is a warning: `--deny warning` fails the run.
    let against_saved = ["--provider", "scaleway", "--saved", &saved, &edited];
    let expected = vec![("scaleway::iam-lockout".to_owned(), "warning".to_owned())];
    assert_eq!(validate_codes(&against_saved), (Some(0), expected.clone()));
    let denied = [&against_saved[..], &["--deny", "warning"]].concat();
    assert_eq!(validate_codes(&denied), (Some(1), expected));
    // The human report names the right the saved version gave and where it now points.
    let stdout = TestCommand::new().arg("validate").args(against_saved).stdout();
    assert!(stdout.contains("takes away the principal's last right to write policies (`IAMManager`"), "{stdout}");
    assert!(stdout.contains("admin-edited.json:4:"), "{stdout}");
}
