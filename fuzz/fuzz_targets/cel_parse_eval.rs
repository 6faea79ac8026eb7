//! Parse, check and evaluate arbitrary text in every dialect: no panic, no stack overflow, no
//! hang (libFuzzer's `-timeout` turns a hang into a finding).
#![no_main]

use iamlab_cel::{check, evaluate, evaluate_traced, parse, Activation, Declarations, Dialect, Value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let variables = serde_json::json!({
        "operation": "create-instance",
        "parameters": {"type": "A", "name": "www", "list": [1, 2.5, "x", null, true]},
        "source_ip": "192.0.2.10",
        "now": "2024-05-06T07:08:09Z",
        "request": {"ip": "2001:db8::1", "time": "2024-05-06T07:08:09.123Z", "user_agent": "terraform/1.0"},
    });
    for (dialect, declarations) in [
        (Dialect::Standard, Declarations::new()),
        (Dialect::Exoscale, Declarations::exoscale()),
        (Dialect::Scaleway, Declarations::scaleway()),
    ] {
        let parsed = parse(source, dialect);
        let Some(ast) = parsed.ast else {
            continue;
        };
        let _ = check(&ast, &declarations, dialect);
        let activation = Activation::from_json_object(&variables, &declarations)
            .unwrap_or_else(|_| Activation::new().with("x", Value::Int(1)));
        let plain = evaluate(&ast, &activation, dialect);
        let (traced, _trace) = evaluate_traced(&ast, &activation, dialect);
        // Tracing must not change the outcome.
        assert_eq!(plain, traced);
        if let Ok(value) = plain {
            let _ = value.to_string();
            let _ = value.to_json();
        }
    }
});
