//! The JSON reader on inputs a playground meets: megabyte pastes, absurd nesting, and the
//! rustc-style rendering of its diagnostics by the CLI (golden files in `tests/snapshots/`).

use crate::support::iamlab_command;
use iamlab_model::json::parse_json;
use std::time::Instant;

/// A syntactically valid policy-like document of about `target_bytes`.
fn large_document(target_bytes: usize) -> String {
    let mut text = String::from("{\"Version\": \"2012-10-17\", \"Statement\": [");
    let mut index = 0;
    while text.len() < target_bytes {
        if index > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            "{{\"Sid\": \"S{index}\", \"Effect\": \"Allow\", \"Action\": [\"api:ReadVms\", \"ec2:Describe*\"], \"Resource\": \"*\"}}"
        ));
        index += 1;
    }
    text.push_str("]}");
    text
}

#[test]
fn one_megabyte_document_is_read_with_every_span() {
    let text = large_document(1 << 20);
    let started = Instant::now();
    let parsed = parse_json(&text);
    let elapsed = started.elapsed();
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics.first());
    let value = parsed.value.expect("well-formed");
    let statements = value.get("Statement").and_then(|statements| statements.as_array()).expect("array");
    assert!(statements.len() > 10_000);
    let last = statements.last().and_then(|statement| statement.get("Sid")).expect("Sid");
    assert_eq!(last.span.slice(&text), Some(format!("\"S{}\"", statements.len() - 1).as_str()));
    // Not a timing assertion (benchmarks prove speed); printed so that a regression is visible.
    println!("read {} bytes in {elapsed:?}", text.len());
}

#[test]
fn one_megabyte_document_with_an_error_at_the_end_reports_its_position() {
    let mut text = large_document(1 << 20);
    text.pop();
    text.push(',');
    let parsed = parse_json(&text);
    assert!(parsed.value.is_none());
    let diagnostic = parsed.diagnostics.first().expect("a diagnostic");
    assert_eq!(diagnostic.code, "json::unexpected-end");
    assert_eq!(diagnostic.primary_span().map(|span| span.start as usize), Some(text.len()));
}

#[test]
fn hundred_thousand_nested_brackets_give_a_diagnostic_through_the_cli() {
    let path = std::env::temp_dir().join(format!("iamlab-deep-{}.json", std::process::id()));
    std::fs::write(&path, "[".repeat(100_000) + &"]".repeat(100_000)).expect("temp file");
    let output =
        iamlab_command().args(["validate", "--provider", "scaleway"]).arg(&path).output().expect("iamlab runs");
    let _ = std::fs::remove_file(&path);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "stdout: {stdout}");
    assert!(stdout.contains("error[json::too-deep]: nesting deeper than 128 levels"), "stdout: {stdout}");
    assert!(stdout.contains(":1:129"), "the 129th bracket is the culprit: {stdout}");
}

/// Runs `iamlab validate` on a fixture and snapshots what a person sees.
fn check_cli_rendering(fixture: &str) -> String {
    let output = iamlab_command()
        .args(["validate", "--provider", "scaleway"])
        .arg(format!("tests/fixtures/json/{fixture}"))
        .output()
        .expect("iamlab runs");
    format!("exit: {:?}\n{}", output.status.code(), String::from_utf8_lossy(&output.stdout))
}

#[test]
fn cli_renders_json_diagnostics_like_rustc() {
    for fixture in ["duplicate-keys.json", "trailing-comma.json", "unterminated-string.json", "wide-characters.json"] {
        insta::assert_snapshot!(format!("json_cli_{fixture}"), check_cli_rendering(fixture));
    }
}

#[test]
fn cli_json_output_has_byte_offsets_and_line_columns() {
    let output = iamlab_command()
        .args(["validate", "--provider", "scaleway", "--format", "json", "tests/fixtures/json/wide-characters.json"])
        .output()
        .expect("iamlab runs");
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    let diagnostic = &report["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "json::duplicate-key");
    assert_eq!(diagnostic["severity"], "error");
    // Line 4 is `  "😀é": 3`, the repeated key: it starts at char column 3, after 2 spaces.
    assert_eq!(diagnostic["start"], serde_json::json!({"line": 4, "column": 3}));
    let text =
        std::fs::read_to_string(crate::support::test_data("fixtures/json/wide-characters.json")).expect("fixture");
    let start = diagnostic["span"]["start"].as_u64().expect("byte offset") as usize;
    let end = diagnostic["span"]["end"].as_u64().expect("byte offset") as usize;
    assert_eq!(&text[start..end], "\"😀é\"");
    assert_eq!(report["summary"]["errors"], 1);
}

#[test]
fn cli_usage_and_io_errors_exit_with_2() {
    let missing = iamlab_command()
        .args(["validate", "--provider", "aws", "tests/fixtures/json/missing.json"])
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read tests/fixtures/json/missing.json"));
    let bad_provider = iamlab_command().args(["validate", "--provider", "gcp", "x.json"]).output().expect("runs");
    assert_eq!(bad_provider.status.code(), Some(2));
    let clean = iamlab_command()
        .args(["validate", "--provider", "scaleway", "--format", "json", "tests/fixtures/json/well-formed.json"])
        .output()
        .expect("runs");
    assert_eq!(clean.status.code(), Some(0), "{}", String::from_utf8_lossy(&clean.stdout));
}
