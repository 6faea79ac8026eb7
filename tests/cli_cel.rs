//! `iamlab cel eval`: the output contract (human and JSON), exit codes and the three dialects.
//! Variables come from standard input (`--vars -`) or, once, from a file.

use crate::support::{fixture, TestCommand};
use serde_json::json;

/// `iamlab cel eval <args>`, with `variables` on standard input when given.
fn cel_eval(args: &[&str], variables: Option<&str>) -> TestCommand {
    let mut command = TestCommand::new();
    command.args(["cel", "eval"]);
    if let Some(variables) = variables {
        command.args(["--vars", "-"]).stdin(variables);
    }
    command.args(args);
    command
}

#[test]
fn cel_eval_json_values() {
    let cases = [
        ("1 + 2", json!({"value": 3})),
        ("7u", json!({"value": 7})),
        ("1.5 * 2.0", json!({"value": 3.0})),
        ("'a' + 'b'", json!({"value": "ab"})),
        ("null", json!({"value": null})),
        ("[1, 'x', true]", json!({"value": [1, "x", true]})),
        ("{'k': [1u]}", json!({"value": {"k": [1]}})),
        ("timestamp('2024-01-01T00:00:00Z') + duration('1h')", json!({"value": "2024-01-01T01:00:00Z"})),
        ("duration('1h30m')", json!({"value": "5400s"})),
    ];
    for (expression, expected) in cases {
        assert_eq!(cel_eval(&["--format", "json", expression], None).assert_exit(0).json(), expected, "{expression}");
    }
}

#[test]
fn cel_eval_errors_carry_a_span_and_exit_1() {
    let finished = cel_eval(
        &["--dialect", "exoscale", "--format", "json", "parameters.type == 'A'"],
        Some(r#"{"parameters": {}}"#),
    )
    .assert_exit(1);
    assert_eq!(finished.json(), json!({"error": "no such key: type", "span": [0, 15]}));
    let finished = cel_eval(&["--format", "json", "1 = 2"], None).assert_exit(1);
    assert_eq!(finished.json(), json!({"error": "`=` is not an operator", "span": [2, 3]}));
    let finished = cel_eval(&["1 = 2"], None).assert_exit(1);
    assert!(finished.stderr.contains("did you mean `==`?"), "{}", finished.stderr);
}

#[test]
fn cel_eval_dialects_and_explanation() {
    let stdout = TestCommand::new()
        .args(["cel", "eval", "--vars", &fixture("cel/dns-record-a.json")])
        .args(["--dialect", "exoscale", "--explain", "parameters.has('type') && parameters.type != 'TXT'"])
        .stdout();
    assert!(stdout.contains("parameters.type != 'TXT'  →  'A' != 'TXT'  →  true"), "{stdout}");
    assert!(stdout.ends_with("true\n"), "{stdout}");
    let finished = cel_eval(
        &["--dialect", "scaleway", "--format", "json", "request.time.getHours('Europe/Paris')"],
        Some(r#"{"request": {"time": "2024-07-16T06:30:00Z"}}"#),
    )
    .assert_exit(0);
    assert_eq!(finished.json(), json!({"value": 8}));
    let finished = cel_eval(
        &["--dialect", "scaleway", "--format", "json", "inIpRange(request.ip, '10.0.0.0/8')"],
        Some(r#"{"request": {"ip": "10.1.2.3"}}"#),
    )
    .assert_exit(0);
    assert_eq!(finished.json(), json!({"value": true}));
    let finished = cel_eval(&["--dialect", "scaleway", "1"], Some("not json")).assert_exit(2);
    assert!(finished.stderr.contains("invalid JSON"), "{}", finished.stderr);
}
