//! Hostile inputs: the parser and evaluator answer with diagnostics, never a crash.

use crate::{check, evaluate, parse, Activation, Declarations, Dialect, Program, Value};

fn run_on_small_stack(test: impl FnOnce() + Send + 'static) {
    // 1 MiB, the default stack of wasm32-unknown-unknown; a debug build (this test) needs several
    // times the stack of the release build that ships, so this holds with a wide margin.
    std::thread::Builder::new().stack_size(1024 * 1024).spawn(test).unwrap().join().unwrap();
}

fn codes(source: &str) -> Vec<String> {
    parse(source, Dialect::Standard).diagnostics.into_iter().map(|diagnostic| diagnostic.code).collect()
}

#[test]
fn ten_thousand_nested_parentheses() {
    run_on_small_stack(|| {
        let source = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert_eq!(codes(&source), ["cel::too-deep"]);
        let unbalanced = "(".repeat(10_000);
        assert!(codes(&unbalanced).contains(&"cel::too-deep".to_owned()));
    });
}

#[test]
fn deep_lists_maps_calls_and_unary_chains() {
    run_on_small_stack(|| {
        for source in [
            format!("{}1{}", "[".repeat(5_000), "]".repeat(5_000)),
            format!("{}1{}", "{1: ".repeat(5_000), "}".repeat(5_000)),
            format!("{}1{}", "size(".repeat(5_000), ")".repeat(5_000)),
            format!("{}true", "!".repeat(100_000)),
            format!("a{}", ".b".repeat(100_000)),
            format!("1{}", " + 1".repeat(100_000)),
            format!("x{}", "[0]".repeat(100_000)),
        ] {
            assert!(codes(&source).contains(&"cel::too-deep".to_owned()), "{}", &source[..20]);
        }
        // Within the limits, deep trees evaluate.
        let nested = format!("{}1{}", "[".repeat(60), "]".repeat(60));
        let ast = parse(&nested, Dialect::Standard).ast.unwrap();
        assert!(evaluate(&ast, &Activation::new(), Dialect::Standard).is_ok());
        assert!(Program::compile(&ast, Dialect::Standard).evaluate(&Activation::new()).is_ok());
        let chain = format!("1{}", " + 1".repeat(100));
        let ast = parse(&chain, Dialect::Standard).ast.unwrap();
        assert_eq!(evaluate(&ast, &Activation::new(), Dialect::Standard), Ok(Value::Int(101)));
        assert_eq!(Program::compile(&ast, Dialect::Standard).evaluate(&Activation::new()), Ok(Value::Int(101)));
        assert!(check(&ast, &Declarations::new(), Dialect::Standard).is_empty());
    });
}

#[test]
fn one_megabyte_expression() {
    let long_string = format!("'{}' == 'a'", "x".repeat(1 << 20));
    let ast = parse(&long_string, Dialect::Standard).ast.unwrap();
    assert_eq!(evaluate(&ast, &Activation::new(), Dialect::Standard), Ok(Value::Bool(false)));
    let wide_list = format!("[{}].size()", "1, ".repeat(300_000));
    let ast = parse(&wide_list, Dialect::Standard).ast.unwrap();
    assert_eq!(evaluate(&ast, &Activation::new(), Dialect::Standard), Ok(Value::Int(300_000)));
    let garbage = "@#)(]}{~".repeat(1 << 17);
    let parsed = parse(&garbage, Dialect::Standard);
    assert!(parsed.has_errors());
}

#[test]
fn huge_integers_and_odd_escapes() {
    assert_eq!(codes("99999999999999999999999999999"), ["cel::integer-out-of-range"]);
    assert_eq!(codes("0xFFFFFFFFFFFFFFFFFFu"), ["cel::integer-out-of-range"]);
    assert_eq!(codes("-9223372036854775809"), ["cel::integer-out-of-range"]);
    assert!(codes("1e999").is_empty());
    assert_eq!(codes(r"'\xZZ'"), ["cel::invalid-escape"]);
    assert_eq!(codes(r"'\U00110000'"), ["cel::invalid-escape"]);
    assert_eq!(codes(r"'\400'"), ["cel::invalid-escape"]);
    assert_eq!(codes("'\\"), ["cel::unterminated-string"]);
    assert_eq!(codes("b'\\u00e9'"), Vec::<String>::new());
    assert!(codes("\u{0}\u{feff}\u{202e}").iter().all(|code| code == "cel::invalid-character"));
}
