//! The JSON reader on inputs a playground meets: megabyte pastes with every span kept, and an
//! error at the very end of one. (What the CLI prints for its diagnostics is in
//! `cli_validate`.)

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
