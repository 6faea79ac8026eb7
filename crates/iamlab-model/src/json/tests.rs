//! Data-driven tests of the JSON reader: each case is an input and the diagnostics it must
//! produce, written as `code line:col-line:col message` (1-based, columns in chars), one line
//! each, primary label first; an empty expectation means "well-formed, no findings".

use super::*;
use crate::LineIndex;

fn render(text: &str) -> String {
    let parsed = parse_json(text);
    let index = LineIndex::new(text);
    let mut lines = Vec::new();
    for diagnostic in &parsed.diagnostics {
        let mut line = diagnostic.code.clone();
        for label in &diagnostic.labels {
            let start = index.line_col_chars(text, label.span.start);
            let end = index.line_col_chars(text, label.span.end);
            let marker = if label.primary { "" } else { "~" };
            line.push_str(&format!(" {marker}{}:{}-{}:{}", start.line + 1, start.col + 1, end.line + 1, end.col + 1));
        }
        line.push_str(&format!(" {}", diagnostic.message));
        if let Some(path) = &diagnostic.path {
            line.push_str(&format!(" @{path}"));
        }
        lines.push(line);
    }
    assert_eq!(parsed.value.is_some(), !parsed.diagnostics.iter().any(|d| d.code != "json::duplicate-key"));
    lines.join("\n")
}

fn check(input: &str, expect: &str) {
    let actual = render(input);
    assert_eq!(actual, expect.trim(), "\ninput: {input}\nactual:\n{actual}\n");
}

#[test]
fn well_formed_documents() {
    check(r#"{"a": [1, -2.5e3, true, false, null, "x\n\u00e9\ud83d\ude00"], "b": {}}"#, "");
    check("  [ ]  ", "");
    check("\u{feff}{}", "");
    check("0", "");
}

#[test]
fn syntax_errors() {
    check(r#"{"a": 1,}"#, "json::trailing-comma 1:8-1:9 trailing comma");
    check(r#"[1, 2,]"#, "json::trailing-comma 1:6-1:7 trailing comma");
    check(r#"{"a" 1}"#, "json::unexpected-character 1:6-1:7 expected `:` after the key, found `1`");
    check(r#"{"a": 1 "b": 2}"#, "json::missing-comma 1:9-1:9 expected `,` between members");
    check(r#"{'a': 1}"#, "json::single-quote 1:2-1:5 JSON strings use double quotes");
    check(r#"{a: 1}"#, "json::unquoted-key 1:2-1:3 object keys must be strings in double quotes");
    check(r#"{"a": True}"#, "json::unexpected-character 1:7-1:11 expected a value, found `True` @/a");
    check(r#"{"a": 01}"#, "json::invalid-number 1:7-1:9 invalid number @/a");
    check(r#"{"a": 1.}"#, "json::invalid-number 1:7-1:9 invalid number @/a");
    check(r#"{"a": "x"#, "json::unterminated-string 1:7-1:9 unterminated string @/a");
    check(r#"{"a": "\x"}"#, "json::invalid-escape 1:8-1:10 invalid escape sequence @/a");
    // A multi-byte character right after a short `\u` escape: the underline stops before it.
    check("{\"a\": \"\\u00e\u{1F600}\"}", "json::invalid-escape 1:8-1:13 invalid unicode escape @/a");
    check(r#"{"a": "\ud800"}"#, "json::invalid-escape 1:8-1:14 unpaired UTF-16 surrogate in unicode escape @/a");
    check("{\"a\": \"\t\"}", "json::control-character 1:8-1:9 control character U+0009 is not allowed in a string @/a");
    check("{\"a\": 1} // note", "json::comment 1:10-1:17 comments are not allowed in JSON");
    check("{} {}", "json::trailing-content 1:4-1:6 ~1:1-1:3 unexpected content after the JSON value");
    check("", "json::empty-input 1:1-1:1 expected a JSON value, found nothing");
    check(
        "{\n  \"a\": [1,\n",
        "json::unexpected-end 3:1-3:1 ~2:8-2:9 unexpected end of input, expected a value or `]` @/a",
    );
}

#[test]
fn duplicate_keys_are_all_reported_with_both_places() {
    check(
        r#"{"a": 1, "b": {"c": 1, "c": 2}, "a": 3, "a": 4}"#,
        r#"
json::duplicate-key 1:24-1:27 ~1:16-1:19 duplicate key `c` @/b/c
json::duplicate-key 1:33-1:36 ~1:2-1:5 duplicate key `a` @/a
json::duplicate-key 1:41-1:44 ~1:2-1:5 duplicate key `a` @/a"#,
    );
    // Keys compare after unescaping: "\u0061" is "a".
    check(r#"{"a": 1, "\u0061": 2}"#, "json::duplicate-key 1:10-1:18 ~1:2-1:5 duplicate key `a` @/a");
}

#[test]
fn spans_cover_keys_and_values() {
    let text = r#"{"Statement": [{"Effect": "Allow"}]}"#;
    let parsed = parse_json(text);
    let value = parsed.value.unwrap();
    let effect = value.pointer("/Statement/0/Effect").unwrap();
    assert_eq!(effect.span.slice(text), Some("\"Allow\""));
    let member = value.pointer("/Statement/0").unwrap().member("Effect").unwrap();
    assert_eq!(member.key_span.slice(text), Some("\"Effect\""));
    assert_eq!(value.pointer("/Statement").unwrap().span.slice(text), Some(r#"[{"Effect": "Allow"}]"#));
}

#[test]
fn nesting_is_limited_with_a_diagnostic() {
    let deep = "[".repeat(100_000);
    let parsed = parse_json(&deep);
    assert!(parsed.value.is_none());
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].code, "json::too-deep");
    assert_eq!(parsed.diagnostics[0].primary_span(), Some(crate::Span::new(128, 129)));
    let just_fits = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(parse_json(&just_fits).diagnostics.is_empty());
}

#[test]
fn decoded_offsets_map_back_to_the_source() {
    // The literal `"a\"b\u00e9c"` decodes to `a"béc`: `c` is decoded byte 5, raw byte 12.
    let text = r#"{"e": "a\"b\u00e9c"}"#;
    let literal = parse_json(text).value.unwrap().get("e").unwrap().span;
    assert_eq!(decoded_offset_to_source(text, literal, 0), 7);
    assert_eq!(decoded_offset_to_source(text, literal, 1), 8);
    assert_eq!(decoded_offset_to_source(text, literal, 2), 10);
    assert_eq!(decoded_offset_to_source(text, literal, 5), 17);
    assert_eq!(&text[decoded_span_to_source(text, literal, Span::new(3, 5)).range()], "\\u00e9");
}

#[test]
fn serde_values_match_serde_jsons_reading() {
    for text in
        [r#"{"a": [1, -2, 3.5, 1e300, 18446744073709551615], "b": {"c": null, "d": "é\u00e9"}}"#, "true", r#""x""#]
    {
        assert_eq!(serde_value_from_text(text), Ok(serde_json::from_str::<serde_json::Value>(text).unwrap()), "{text}");
    }
    // The last of duplicate keys wins, as in serde_json.
    assert_eq!(serde_value_from_text(r#"{"a": 1, "a": 2}"#), Ok(serde_json::json!({"a": 2})));
    assert_eq!(
        serde_value_from_text("{\n  \"a\": tru\n}"),
        Err("expected a value, found `tru` at line 2 column 8".to_owned())
    );
}
