use super::{check_eval, check_trace};
use crate::Dialect::Standard;

const NO_VARIABLES: &str = "{}";
const VARIABLES: &str = r#"{"x": 0, "name": "web-01", "tags": {"env": "prod"}, "list": [1, 2, 3]}"#;

#[test]
fn logical_operators_absorb_errors() {
    check_eval(
        Standard,
        VARIABLES,
        r#"
false && 1 / x > 0
=> false
"#,
    );
    check_eval(
        Standard,
        VARIABLES,
        r#"
1 / x > 0 && false
=> false
"#,
    );
    check_eval(
        Standard,
        VARIABLES,
        r#"
1 / x > 0 || true
=> true
"#,
    );
    check_eval(
        Standard,
        VARIABLES,
        r#"
1 / x > 0 || false
^^^^^ division by zero
"#,
    );
    check_eval(
        Standard,
        VARIABLES,
        r#"
true && 'yes'
^^^^^^^^^^^^^ no such overload: bool && string
"#,
    );
}

#[test]
fn integer_overflow_is_an_error() {
    check_eval(
        Standard,
        NO_VARIABLES,
        r#"
9223372036854775807 + 1
^^^^^^^^^^^^^^^^^^^^^^^ integer overflow
"#,
    );
    check_eval(
        Standard,
        NO_VARIABLES,
        r#"
-9223372036854775808 / -1
^^^^^^^^^^^^^^^^^^^^^^^^^ integer overflow
"#,
    );
    check_eval(
        Standard,
        NO_VARIABLES,
        r#"
0u - 1u
^^^^^^^ unsigned integer overflow
"#,
    );
    check_eval(
        Standard,
        NO_VARIABLES,
        r#"
1 + 1u
^^^^^^ no such overload: int + uint
"#,
    );
}

#[test]
fn heterogeneous_equality() {
    for source in [
        "1 == 1u",
        "1 == 1.0",
        "[1, 2] == [1.0, 2u]",
        "{'a': 1} == {'a': 1u}",
        "1 != 'a'",
        "null != 0",
        "2 in [1.0, 2.0]",
        "1u in {1: 'one'}",
        "double('NaN') != double('NaN')",
        "1 < 1.5 && 2u > 1 && -1 < 0u",
    ] {
        check_eval(Standard, NO_VARIABLES, &format!("{source}\n=> true\n"));
    }
}

#[test]
fn string_functions() {
    for source in [
        "size('héllo') == 5 && size(b'h\\xc3\\xa9') == 3 && [1, 2].size() == 2 && size({}) == 0",
        "name.contains('eb') && name.startsWith('web') && name.endsWith('01')",
        // Standard `matches` is RE2 search: any substring may match.
        "name.matches('b-0') && matches(name, '^web-[0-9]+$') && !name.matches('^b')",
    ] {
        check_eval(Standard, VARIABLES, &format!("{source}\n=> true\n"));
    }
    check_eval(
        Standard,
        VARIABLES,
        r#"
name.matches('(')
^^^^^^^^^^^^^^^^^ invalid regular expression: found open group without closing ')'
"#,
    );
}

#[test]
fn conversions() {
    let cases = [
        ("int('42') + int(3.9) + int(-3.9) + int(2u)", "44"),
        ("uint(42) + uint('7')", "49u"),
        ("double(1) + double('2.5')", "3.5"),
        ("string(1) + string(2u) + string(1.5) + string(true) + string(b'ok')", "'121.5trueok'"),
        ("bytes('é')", "b'\\xc3\\xa9'"),
        ("bool('true') && !bool('false')", "true"),
        ("type(1) == int && type('a') == string && type(type(1)) == type", "true"),
        ("timestamp('2024-01-01T12:00:00+01:00')", "timestamp('2024-01-01T11:00:00Z')"),
        ("duration('1h30m') == duration('5400s')", "true"),
        ("string(duration('1.5s'))", "'1.5s'"),
        ("int(timestamp('1970-01-02T00:00:00Z'))", "86400"),
    ];
    for (source, expected) in cases {
        check_eval(Standard, NO_VARIABLES, &format!("{source}\n=> {expected}\n"));
    }
    check_eval(
        Standard,
        NO_VARIABLES,
        r#"
int('1.5')
^^^^^^^^^^ cannot convert '1.5' to int
"#,
    );
    check_eval(
        Standard,
        NO_VARIABLES,
        r#"
int(1e19)
^^^^^^^^^ int overflow
"#,
    );
}

#[test]
fn string_of_a_double_is_go_shortest_g_formatting() {
    // cel-go `strconv.FormatFloat(d, 'g', -1, 64)`; cel-cpp gives the same digits (differential
    // run, `cargo xtask cel-differential`).
    for (source, expected) in [
        ("string(123456.0)", "'123456'"),
        ("string(1234567.0)", "'1.234567e+06'"),
        ("string(1000000.0)", "'1e+06'"),
        ("string(1e19)", "'1e+19'"),
        ("string(1.8446744073709552e19)", "'1.8446744073709552e+19'"),
        ("string(6.666666666666667e18)", "'6.666666666666667e+18'"),
        ("string(0.0001)", "'0.0001'"),
        ("string(0.00001)", "'1e-05'"),
        ("string(-4.5e-3)", "'-0.0045'"),
        ("string(1e-300)", "'1e-300'"),
        ("string(-0.0)", "'-0'"),
        ("string(0.1)", "'0.1'"),
        ("string(1.0 / 0.0)", "'+Inf'"),
    ] {
        check_eval(Standard, NO_VARIABLES, &format!("{source}\n=> {expected}\n"));
    }
}

#[test]
fn double_to_int_and_uint_range_rules() {
    // cel-spec `conversions.textproto` (sections `int`, `uint`), cel-go `doubleToInt64Checked` /
    // `doubleToUint64Checked` and cel-cpp: a double converts when it truncates into range, except
    // that every double below zero is out of uint's range, even one that truncates to 0.
    for (source, expected) in [
        ("int(-0.25)", "0"),
        ("int(-9223372036854774784.0)", "-9223372036854774784"),
        ("int(9223372036854774784.0)", "9223372036854774784"),
        ("uint(0.75)", "0u"),
        ("uint(-0.0)", "0u"),
        ("uint(18446744073709549568.0)", "18446744073709549568u"),
    ] {
        check_eval(Standard, NO_VARIABLES, &format!("{source}\n=> {expected}\n"));
    }
    for (source, message) in [
        ("uint(-0.25)", "uint overflow"),
        ("uint(-1.0)", "uint overflow"),
        ("uint(18446744073709551615.0)", "uint overflow"),
        ("uint(double('NaN'))", "uint overflow"),
        ("int(9223372036854775807.0)", "int overflow"),
        ("int(-9223372036854775808.0)", "int overflow"),
        ("int(double('-Infinity'))", "int overflow"),
    ] {
        let carets = "^".repeat(source.chars().count());
        check_eval(Standard, NO_VARIABLES, &format!("{source}\n{carets} {message}\n"));
    }
}

#[test]
fn timestamps_and_durations() {
    let cases = [
        ("timestamp('2024-01-15T16:30:00Z') + duration('1h30m')", "timestamp('2024-01-15T18:00:00Z')"),
        ("timestamp('2024-01-15T16:30:00Z') - timestamp('2024-01-15T15:00:00Z')", "duration('5400s')"),
        ("duration('90m') - duration('1h')", "duration('1800s')"),
        ("timestamp('2024-01-15T16:30:00Z') < timestamp('2024-01-15T16:30:00.5Z')", "true"),
        // Winter: Paris is UTC+1; summer (DST): UTC+2. The zone must not silently be UTC.
        ("timestamp('2024-01-15T16:30:00Z').getHours('Europe/Paris')", "17"),
        ("timestamp('2024-07-15T16:30:00Z').getHours('Europe/Paris')", "18"),
        ("timestamp('2024-07-15T16:30:00Z').getHours()", "16"),
        ("timestamp('2024-07-15T16:30:00Z').getHours('+05:30')", "22"),
        ("timestamp('2024-07-15T16:30:00Z').getMinutes('Asia/Kolkata')", "0"),
        ("timestamp('2024-12-31T23:30:00Z').getFullYear('Asia/Tokyo')", "2025"),
        // Monday 15 January 2024; Sunday is 0.
        ("timestamp('2024-01-15T16:30:00Z').getDayOfWeek()", "1"),
        ("timestamp('2024-01-15T16:30:00Z').getMonth()", "0"),
        ("timestamp('2024-01-15T16:30:00Z').getDate()", "15"),
        ("timestamp('2024-01-15T16:30:00Z').getDayOfMonth()", "14"),
        ("timestamp('2024-03-01T00:00:00Z').getDayOfYear()", "60"),
        ("timestamp('2024-01-15T16:30:00.250Z').getMilliseconds()", "250"),
        ("duration('3h25m').getMinutes()", "205"),
    ];
    for (source, expected) in cases {
        check_eval(Standard, NO_VARIABLES, &format!("{source}\n=> {expected}\n"));
    }
    check_eval(
        Standard,
        NO_VARIABLES,
        r#"
timestamp('2024-01-15T16:30:00Z').getHours('Mars/Olympus')
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ unknown time zone 'Mars/Olympus'
"#,
    );
    check_eval(
        Standard,
        NO_VARIABLES,
        r#"
timestamp('9999-12-31T23:59:59Z') + duration('1s')
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ timestamp out of range
"#,
    );
    check_eval(
        Standard,
        NO_VARIABLES,
        r#"
timestamp('2024-02-30T00:00:00Z')
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ invalid timestamp '2024-02-30T00:00:00Z'
"#,
    );
}

#[test]
fn fields_keys_and_has() {
    check_eval(
        Standard,
        VARIABLES,
        r#"
has(tags.env) && !has(tags.team) && tags.env == 'prod' && tags['env'] == 'prod'
=> true
"#,
    );
    check_eval(
        Standard,
        VARIABLES,
        r#"
tags.team == 'a'
^^^^^^^^^ no such key: team
"#,
    );
    check_eval(
        Standard,
        VARIABLES,
        r#"
list[3]
^^^^^^^ index out of range: 3
"#,
    );
    check_eval(
        Standard,
        VARIABLES,
        r#"
missing == 1
^^^^^^^ undeclared reference to 'missing'
"#,
    );
    check_eval(
        Standard,
        NO_VARIABLES,
        r#"
{'a': 1, 'a': 2}
         ^^^ Failed with repeated key
"#,
    );
}

#[test]
fn macros() {
    let cases = [
        ("list.all(n, n > 0) && list.exists(n, n == 2) && list.exists_one(n, n > 2)", "true"),
        ("list.map(n, n * 2)", "[2, 4, 6]"),
        ("list.map(n, n > 1, n * 10)", "[20, 30]"),
        ("list.filter(n, n % 2 == 1)", "[1, 3]"),
        ("tags.exists(k, k == 'env')", "true"),
        // An error in one element is absorbed when another element decides.
        ("[0, 1].exists(n, 1 / n > 0)", "true"),
        ("[0, 1].all(n, 1 / n < 0)", "false"),
        ("list.all(i, v, v == i + 1)", "true"),
        ("tags.transformMap(k, v, v + '!')", "{'env': 'prod!'}"),
    ];
    for (source, expected) in cases {
        check_eval(Standard, VARIABLES, &format!("{source}\n=> {expected}\n"));
    }
    check_eval(
        Standard,
        VARIABLES,
        r#"
[0, 1].all(n, 1 / n > 0)
              ^^^^^ division by zero
"#,
    );
}

#[test]
fn trace_shows_each_sub_expression() {
    check_trace(
        Standard,
        r#"{"parameters": {"type": "A"}}"#,
        r#"
parameters.type != 'TXT'
parameters => {'type': 'A'}
parameters.type => 'A'
'TXT' => 'TXT'
parameters.type != 'TXT' => true
"#,
    );
}

#[test]
fn trace_shows_which_operand_decided() {
    // The right operand of a decided `&&` is never evaluated, so it is not in the trace.
    check_trace(
        Standard,
        r#"{"operation": "get-instance", "parameters": {}}"#,
        r#"
operation == 'create-instance' && parameters.type == 'A'
operation => 'get-instance'
'create-instance' => 'create-instance'
operation == 'create-instance' => false
operation == 'create-instance' && parameters.type == 'A' => false
"#,
    );
    check_trace(
        Standard,
        r#"{"parameters": {}}"#,
        r#"
parameters.type == 'A' || true
parameters => {}
parameters.type => error: no such key: type
parameters.type == 'A' => error: no such key: type
true => true
parameters.type == 'A' || true => true
"#,
    );
}

#[test]
fn trace_spans_of_parents_cover_parenthesized_operands() {
    // A parenthesized operand keeps its own span, but its parent covers the parentheses, so that
    // an explanation quotes the whole source text.
    check_trace(
        Standard,
        r#"{"a": 1}"#,
        r#"
(a + 2) * 3 == 9 && (true)
a => 1
2 => 2
a + 2 => 3
3 => 3
(a + 2) * 3 => 9
9 => 9
(a + 2) * 3 == 9 => true
true => true
(a + 2) * 3 == 9 && (true) => true
"#,
    );
}

#[test]
fn values_stay_small() {
    // Every evaluation step moves values around: keep them at three machine words.
    assert!(std::mem::size_of::<crate::Value>() <= 24, "{}", std::mem::size_of::<crate::Value>());
}

/// Comprehensions are compiled with their variables in local slots; what the compiler leaves to
/// the tree walk inside them (a map literal) still sees those variables, and the filter keeps
/// the element, the key or the index as the tree walk does (`check_eval` compares both).
#[test]
fn compiled_comprehensions_agree_with_the_tree_walk() {
    check_eval(
        Standard,
        VARIABLES,
        r#"
list.map(x, {'v': x}).filter(m, m.v > 1).map(m, m.v)
=> [2, 3]
"#,
    );
    check_eval(
        Standard,
        VARIABLES,
        r#"
list.transformList(i, v, v > 1, i * 10 + v)
=> [12, 23]
"#,
    );
    check_eval(
        Standard,
        VARIABLES,
        r#"
tags.filter(k, tags[k] == 'prod') == ['env'] && list.all(x, list.exists(y, y >= x))
=> true
"#,
    );
    check_eval(
        Standard,
        VARIABLES,
        r#"
list.exists_one(x, x / (x - 2) > 0)
                   ^^^^^^^^^^^ division by zero
"#,
    );
    check_eval(
        Standard,
        VARIABLES,
        r#"
[1, 2].map(x, [x, x * 10]).map(pair, pair[1])
=> [10, 20]
"#,
    );
    check_eval(
        Standard,
        VARIABLES,
        r#"
name.all(x, true)
^^^^ no such overload: all() on a value of type string
"#,
    );
}
