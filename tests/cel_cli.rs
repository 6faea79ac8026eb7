//! `iamlab cel eval`: the output contract (human and JSON), exit codes and the three dialects.

use crate::support::{iamlab_command, workspace_root};
use std::io::Write as _;

fn run(args: &[&str], variables: Option<&str>) -> (i32, String, String) {
    let mut command = iamlab_command();
    command.args(["cel", "eval"]);
    let mut file = None;
    if let Some(variables) = variables {
        let directory = workspace_root().join("target").join("cel-cli-tests");
        std::fs::create_dir_all(&directory).unwrap();
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let index = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = directory.join(format!("vars-{}-{index}.json", std::process::id()));
        std::fs::File::create(&path).unwrap().write_all(variables.as_bytes()).unwrap();
        command.arg("--vars").arg(&path);
        file = Some(path);
    }
    command.args(args);
    let output = command.output().unwrap();
    if let Some(path) = file {
        let _ = std::fs::remove_file(path);
    }
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout.trim()).unwrap_or_else(|error| panic!("{error}: {stdout}"))
}

#[test]
fn cel_eval_json_values() {
    let cases = [
        ("1 + 2", serde_json::json!({"value": 3})),
        ("7u", serde_json::json!({"value": 7})),
        ("1.5 * 2.0", serde_json::json!({"value": 3.0})),
        ("'a' + 'b'", serde_json::json!({"value": "ab"})),
        ("null", serde_json::json!({"value": null})),
        ("[1, 'x', true]", serde_json::json!({"value": [1, "x", true]})),
        ("{'k': [1u]}", serde_json::json!({"value": {"k": [1]}})),
        ("timestamp('2024-01-01T00:00:00Z') + duration('1h')", serde_json::json!({"value": "2024-01-01T01:00:00Z"})),
        ("duration('1h30m')", serde_json::json!({"value": "5400s"})),
    ];
    for (expression, expected) in cases {
        let (code, stdout, _) = run(&["--format", "json", expression], None);
        assert_eq!(code, 0, "{expression}");
        assert_eq!(json(&stdout), expected, "{expression}");
    }
}

#[test]
fn cel_eval_errors_carry_a_span_and_exit_1() {
    let (code, stdout, _) =
        run(&["--dialect", "exoscale", "--format", "json", "parameters.type == 'A'"], Some(r#"{"parameters": {}}"#));
    assert_eq!(code, 1);
    assert_eq!(json(&stdout), serde_json::json!({"error": "no such key: type", "span": [0, 15]}));
    let (code, stdout, _) = run(&["--format", "json", "1 = 2"], None);
    assert_eq!(code, 1);
    assert_eq!(json(&stdout), serde_json::json!({"error": "`=` is not an operator", "span": [2, 3]}));
    let (code, _, stderr) = run(&["1 = 2"], None);
    assert_eq!(code, 1);
    assert!(stderr.contains("did you mean `==`?"), "{stderr}");
}

#[test]
fn cel_eval_dialects_and_explanation() {
    let (code, stdout, _) = run(
        &["--dialect", "exoscale", "--explain", "parameters.has('type') && parameters.type != 'TXT'"],
        Some(r#"{"parameters": {"type": "A"}}"#),
    );
    assert_eq!(code, 0);
    assert!(stdout.contains("parameters.type != 'TXT'  →  'A' != 'TXT'  →  true"), "{stdout}");
    assert!(stdout.ends_with("true\n"), "{stdout}");
    let (code, stdout, _) = run(
        &["--dialect", "scaleway", "--format", "json", "request.time.getHours('Europe/Paris')"],
        Some(r#"{"request": {"time": "2024-07-16T06:30:00Z"}}"#),
    );
    assert_eq!(code, 0);
    assert_eq!(json(&stdout), serde_json::json!({"value": 8}));
    let (code, stdout, _) = run(
        &["--dialect", "scaleway", "--format", "json", "inIpRange(request.ip, '10.0.0.0/8')"],
        Some(r#"{"request": {"ip": "10.1.2.3"}}"#),
    );
    assert_eq!((code, json(&stdout)), (0, serde_json::json!({"value": true})));
    let (code, _, stderr) = run(&["--dialect", "scaleway", "1"], Some("not json"));
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid JSON"), "{stderr}");
}
