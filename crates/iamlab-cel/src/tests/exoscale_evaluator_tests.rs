//! The Exoscale dialect where it follows Exoscale's own evaluator, exoscale/cel-parser
//! (`src/exoscale/cel/expr.clj` and `visitor.clj` at `d2c64e8d2e466d4b57b3b7d13025327976b4745b`),
//! against standard CEL on the same expressions. The sources of each rule are in DIALECTS.md.

use super::{check_check, check_eval, check_notes};
use crate::Dialect::{Exoscale, Standard};

const NONE: &str = "{}";
const NO_BUCKET: &str = r#"{"parameters": {}}"#;

/// Evaluates each (expression, value) pair in `dialect`.
#[track_caller]
fn values(dialect: crate::Dialect, variables: &str, cases: &[(&str, &str)]) {
    for (source, expected) in cases {
        check_eval(dialect, variables, &format!("{source}\n=> {expected}\n"));
    }
}

/// Evaluates each (expression, message) pair in `dialect`: an error of the whole expression.
#[track_caller]
fn errors(dialect: crate::Dialect, variables: &str, cases: &[(&str, &str)]) {
    for (source, message) in cases {
        let carets = "^".repeat(source.chars().count());
        check_eval(dialect, variables, &format!("{source}\n{carets} {message}\n"));
    }
}

#[test]
fn matches_is_a_full_match_with_ascii_classes() {
    // `s-matches` (l.529) is Clojure's `re-matches`: `Matcher.matches()`, the whole input.
    values(
        Exoscale,
        NONE,
        &[
            ("'hubba'.matches('ubb')", "false"),
            ("'abc'.matches('')", "false"),
            ("'web-12-old'.matches('web-[0-9]+')", "false"),
            ("'myweb-12'.matches('web-[0-9]+')", "false"),
            ("'web-12'.matches('web-[0-9]+')", "true"),
            // Java's `\d`, `\w` and `\s` are ASCII-only, as RE2's are.
            ("'١٢'.matches('\\\\d+')", "false"),
            ("'12'.matches('\\\\d+')", "true"),
            ("'café'.matches('\\\\w+')", "false"),
            ("'x\\u00a0y'.matches('x\\\\sy')", "false"),
            ("'١'.matches('[^\\\\d]')", "true"),
            ("'a\\\\d'.matches('a\\\\\\\\d')", "true"),
        ],
    );
    values(
        Standard,
        NONE,
        &[
            ("'hubba'.matches('ubb')", "true"),
            ("'١٢'.matches('\\\\d+')", "false"),
            ("'café'.matches('^\\\\w+$')", "false"),
        ],
    );
    // Java accepts backreferences, RE2 does not: iamlab cannot evaluate them (and says so in a
    // dialect note, below).
    errors(
        Exoscale,
        NONE,
        &[("'ab'.matches('(a)\\\\1?b')", "invalid regular expression: backreferences are not supported")],
    );
}

#[test]
fn a_failing_left_operand_of_in_is_not_an_error() {
    // The `in` overload takes an error value as its needle (`any?`, l.462 and l.845–846), and
    // `has-element` (l.252–275) finds no element of its type: false, unless the list mixes types.
    values(
        Exoscale,
        NO_BUCKET,
        &[
            ("!(parameters.bucket in ['my-test-bucket', 'my-other-bucket'])", "true"),
            ("parameters.bucket in ['my-test-bucket']", "false"),
            ("parameters.bucket.name in ['a']", "false"),
            ("undeclared in ['a']", "false"),
            ("parameters.bucket in []", "false"),
            ("parameters.bucket in {}", "false"),
            ("'a' in ['a', 1]", "true"),
        ],
    );
    errors(
        Exoscale,
        NO_BUCKET,
        &[
            ("parameters.bucket in ['a', 1]", "no such overload: `in` on a list of mixed types"),
            ("'b' in ['a', 1]", "no such overload: `in` on a list of mixed types"),
            ("parameters.bucket in {'a': 1}", "unsupported key type: error"),
            ("1 in {'a': 1}", "unsupported key type: int"),
        ],
    );
    // Elsewhere a missing key stays an error, in `!` as in `==`.
    check_eval(
        Exoscale,
        NO_BUCKET,
        r#"
!(parameters.bucket == 'a')
  ^^^^^^^^^^^^^^^^^ no such key: bucket
"#,
    );
    check_eval(
        Standard,
        NO_BUCKET,
        r#"
!(parameters.bucket in ['my-test-bucket'])
  ^^^^^^^^^^^^^^^^^ no such key: bucket
"#,
    );
    // `in` is typed too: an int is never found among doubles.
    values(Exoscale, NONE, &[("1 in [1.0, 2.0]", "false"), ("'k' in {'k': 1}", "true")]);
    values(Standard, NONE, &[("1 in [1.0, 2.0]", "true")]);
}

#[test]
fn equality_and_ordering_are_typed_except_against_null() {
    // `same?` guards `==`, `!=` and the orderings (l.811–812, l.841–844).
    errors(
        Exoscale,
        NONE,
        &[
            ("'a' != 1", "no such overload: string != int"),
            ("1 == 1.0", "no such overload: int == double"),
            ("1 == 1u", "no such overload: int == uint"),
            ("1 < 1.5", "no such overload: int < double"),
            ("[1] == [1.0]", "no such overload: [int] == [double]"),
            ("{'a': 1} == {1: 'a'}", "no such overload: map == map with keys of different types"),
        ],
    );
    values(
        Exoscale,
        NONE,
        &[
            // Choice: null compares with anything (Exoscale's bucket-policy page relies on
            // `identity.key != null`).
            ("'EXO123' != null", "true"),
            ("null == 'EXO123'", "false"),
            ("null == null", "true"),
            ("1.0 == 1.0 && 1u < 2u && 'a' < 'b'", "true"),
            ("[1, 2] == [1.0, 2.0]", "false"),
            ("[1, 2] == [1, 2]", "true"),
            ("{'a': 1} == {'a': 1} && {'a': 1} != {'a': 2}", "true"),
            ("{'a': 1} == {'a': 'x'}", "false"),
        ],
    );
    values(Standard, NONE, &[("'a' != 1", "true"), ("1 == 1.0 && 1 == 1u && 1 < 1.5", "true")]);
    // The documented IP filter: an authenticated caller passes whatever its address.
    values(
        Exoscale,
        r#"{"identity": {"key": "EXO123"}, "source_ip": "192.0.2.1"}"#,
        &[("identity.key != null || source_ip.inIpRange('89.145.160.0/24')", "true")],
    );
    // An unauthenticated one (no key) falls through to the IP test.
    check_eval(
        Exoscale,
        r#"{"identity": {}, "source_ip": "192.0.2.1"}"#,
        r#"
identity.key != null || source_ip.inIpRange('89.145.160.0/24')
^^^^^^^^^^^^ no such key: key
"#,
    );
}

#[test]
fn timestamps_as_clojure_reads_them() {
    // `read-timestamp` (l.499–504): `clojure.instant/read-instant-timestamp`.
    values(
        Exoscale,
        NONE,
        &[
            ("timestamp('2026-11-22')", "timestamp('2026-11-22T00:00:00Z')"),
            ("timestamp('2026')", "timestamp('2026-01-01T00:00:00Z')"),
            ("timestamp('2026-11-22T10')", "timestamp('2026-11-22T10:00:00Z')"),
            ("timestamp('2026-11-22T10:00Z')", "timestamp('2026-11-22T10:00:00Z')"),
            ("timestamp('2026-11-22T10:00:00')", "timestamp('2026-11-22T10:00:00Z')"),
            ("timestamp('2026-11-22T10:00:00.1234567891+01:00')", "timestamp('2026-11-22T09:00:00.123456789Z')"),
            // The grammar's regular expression backtracks: no day, then an offset.
            ("timestamp('2026-11-05:00')", "timestamp('2026-11-01T05:00:00Z')"),
            // Second 60 only at minute 59, carried into the next minute.
            ("timestamp('2016-12-31T23:59:60Z')", "timestamp('2017-01-01T00:00:00Z')"),
            ("timestamp(timestamp('2026-01-01'))", "timestamp('2026-01-01T00:00:00Z')"),
        ],
    );
    errors(
        Exoscale,
        NONE,
        &[
            ("timestamp('2026-11-22t10:00:00z')", "invalid timestamp '2026-11-22t10:00:00z'"),
            ("timestamp('2016-12-31T23:58:60Z')", "invalid timestamp '2016-12-31T23:58:60Z'"),
            ("timestamp('2026-11-22T10:00:00+24:00')", "invalid timestamp '2026-11-22T10:00:00+24:00'"),
            ("timestamp('2026-02-30')", "invalid timestamp '2026-02-30'"),
            ("timestamp('26-11-22')", "invalid timestamp '26-11-22'"),
            ("timestamp('0000-12-31')", "timestamp '0000-12-31' is out of range (years 1 to 9999)"),
        ],
    );
    values(Standard, NONE, &[("timestamp('2026-11-22t10:00:00z')", "timestamp('2026-11-22T10:00:00Z')")]);
    errors(Standard, NONE, &[("timestamp('2026-11-22')", "invalid timestamp '2026-11-22'")]);
}

#[test]
fn an_unknown_time_zone_is_gmt() {
    // The getters (l.649–797) resolve the zone with `java.util.TimeZone.getTimeZone`.
    let at = "timestamp('2026-07-15T16:30:00Z')";
    values(
        Exoscale,
        NONE,
        &[
            (&format!("{at}.getHours('Mars/Olympus')"), "16"),
            (&format!("{at}.getHours('+02:00')"), "16"),
            (&format!("{at}.getHours('europe/zurich')"), "16"),
            (&format!("{at}.getHours('Europe/Zurich')"), "18"),
            (&format!("{at}.getHours('GMT+02:00')"), "18"),
            (&format!("{at}.getHours('GMT+2')"), "18"),
            (&format!("{at}.getMinutes('GMT-0930')"), "0"),
            (&format!("{at}.getHours('GMT-0930')"), "7"),
            (&format!("{at}.getHours('GMT+24')"), "16"),
            (&format!("{at}.getHours('PST')"), "9"),
            (&format!("{at}.getHours('EST')"), "11"),
            (&format!("{at}.getDayOfWeek('JST')"), "4"),
            (&format!("{at}.getHours('UTC')"), "16"),
        ],
    );
    values(Standard, NONE, &[(&format!("{at}.getHours('+02:00')"), "18")]);
    errors(Standard, NONE, &[(&format!("{at}.getHours('Mars/Olympus')"), "unknown time zone 'Mars/Olympus'")]);
}

#[test]
fn quirks_that_exoscale_computes() {
    // `sub-time-duration` (l.629–635): `Duration.between(a, b)` is `b - a`.
    values(
        Exoscale,
        NONE,
        &[
            ("timestamp('2026-01-01T01:00:00Z') - timestamp('2026-01-01T00:00:00Z')", "duration('-3600s')"),
            ("timestamp('2026-01-01T01:00:00Z') - duration('1h')", "timestamp('2026-01-01T00:00:00Z')"),
            ("duration('2h') - duration('30m')", "duration('5400s')"),
        ],
    );
    values(
        Standard,
        NONE,
        &[("timestamp('2026-01-01T01:00:00Z') - timestamp('2026-01-01T00:00:00Z')", "duration('3600s')")],
    );
    // `s->bool` (l.577–581) is `Boolean.parseBoolean`, on strings only (l.866).
    values(
        Exoscale,
        NONE,
        &[
            ("bool('true') && bool('TRUE') && bool('tRuE')", "true"),
            ("bool('1') || bool('t') || bool('yes') || bool('') || bool('false')", "false"),
        ],
    );
    errors(Exoscale, NONE, &[("bool(true)", "no such overload: bool(bool)")]);
    values(Standard, NONE, &[("bool('1') && bool('t') && bool(true)", "true")]);
    errors(Standard, NONE, &[("bool('yes')", "cannot convert 'yes' to bool")]);
    // `get-milliseconds` of a duration (l.763–770) is `Duration.toSeconds`.
    values(Exoscale, NONE, &[("duration('61.5s').getMilliseconds()", "61"), ("duration('61.5s').getSeconds()", "61")]);
    values(Standard, NONE, &[("duration('61.5s').getMilliseconds()", "500")]);
    // `sizeof` of a string (l.170) is Java's `String.length()`: UTF-16 code units.
    values(Exoscale, NONE, &[("size('😀') == 2 && 'é😀'.size() == 3 && size([1]) == 1", "true")]);
    values(Standard, NONE, &[("size('😀')", "1")]);
    // `to-uint` (l.548–553) truncates before its sign test, unlike cel-spec.
    values(Exoscale, NONE, &[("uint(-0.25)", "0u")]);
    errors(Exoscale, NONE, &[("uint(-1.5)", "uint overflow")]);
    errors(Standard, NONE, &[("uint(-0.25)", "uint overflow")]);
}

#[test]
fn notes_where_a_rule_relies_on_the_java_evaluator() {
    check_notes(
        Exoscale,
        r#"
operation.matches('(a)\\1?b') && operation.matches('(?=x)x(?P<n>y)') && zone.matches('[[:alpha:]]\\d+\\w*+')
                  ^^^^^^^^^^ JavaRegex the backreference `\1` works in Exoscale's Java regex, not in iamlab
  help: iamlab evaluates RE2 syntax, so the simulation fails on this rule where Exoscale may match; rewrite the pattern without it if you can
                                                   ^^^^^^^^^^^^^^^^ JavaRegex lookahead and lookbehind (`(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`) work in Exoscale's Java regex, not in iamlab
  help: iamlab evaluates RE2 syntax, so the simulation fails on this rule where Exoscale may match; rewrite the pattern without it if you can
                                                   ^^^^^^^^^^^^^^^^ JavaRegex the group `(?P<name>…)` is rejected by Exoscale's Java regex: the expression fails there
  help: write the named group as `(?<name>…)`, which both accept
                                                                                     ^^^^^^^^^^^^^^^^^^^^^^ JavaRegex there are no POSIX bracket classes in Exoscale's Java regex: `[[:alpha:]]` is a set of single characters there
  help: write `\p{Alpha}` or the set itself, e.g. `[a-zA-Z]`
                                                                                     ^^^^^^^^^^^^^^^^^^^^^^ JavaRegex the possessive quantifier `*+` works in Exoscale's Java regex, not in iamlab
  help: iamlab evaluates RE2 syntax, so the simulation fails on this rule where Exoscale may match; rewrite the pattern without it if you can
"#,
    );
    check_notes(
        Exoscale,
        r#"
timestamp(now) > timestamp('2026-11-22') && timestamp(now) < timestamp('2026-12-01t00:00:00z') && timestamp(now) < timestamp('2027-01-01T00:00:00Z')
                           ^^^^^^^^^^^^ TimestampFormat `2026-11-22` is read as 2026-11-22T00:00:00Z by Exoscale's evaluator and rejected by standard CEL
  help: Clojure's `read-instant-timestamp` accepts partial timestamps; write `2026-11-22T00:00:00Z` so that the rule means the same everywhere
                                                                       ^^^^^^^^^^^^^^^^^^^^^^ TimestampFormat `2026-12-01t00:00:00z` is rejected by Exoscale's evaluator: the expression fails there
  help: Clojure's `read-instant-timestamp` knows only an upper-case `T` and `Z` and at most 60 seconds at minute 59; write e.g. `2026-01-01T00:00:00Z`
"#,
    );
    check_notes(
        Exoscale,
        r#"
timestamp(now).getHours('Mars/Olympus') > 8 && timestamp(now).getHours('+02:00') < 17 && timestamp(now).getDayOfWeek('Europe/Zurich') != 0 && timestamp(now).getHours('utc') > 1
                        ^^^^^^^^^^^^^^ UnknownTimeZone time zone `Mars/Olympus` is unknown to Java: Exoscale's evaluator uses GMT instead, without an error
  help: use a tz database name such as `Europe/Zurich`, `UTC`, or an offset such as `GMT+02:00`
                                                                       ^^^^^^^^ UnknownTimeZone time zone `+02:00` is unknown to Java: Exoscale's evaluator uses GMT instead, without an error
  help: Java reads an offset only as a `GMT` ID: write `GMT+02:00`
                                                                                                                                                                      ^^^^^ UnknownTimeZone time zone `utc` is unknown to Java: Exoscale's evaluator uses GMT instead, without an error
  help: Java's zone IDs are case-sensitive: write e.g. `UTC` or `Europe/Zurich`
"#,
    );
    check_notes(
        Exoscale,
        r#"
timestamp(now) - timestamp('2026-01-01T00:00:00Z') > duration('1h') && (timestamp(now) - timestamp(now)).getMilliseconds() == 0
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ SwappedSubtraction this subtraction is computed by Exoscale with the operands swapped: `a - b` of two timestamps is `b - a` there
  help: exoscale/cel-parser computes `Duration.between(a, b)`; compare the timestamps instead (`a > b + duration('1h')`), which means the same everywhere
                                                                        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ SwappedSubtraction this subtraction is computed by Exoscale with the operands swapped: `a - b` of two timestamps is `b - a` there
  help: exoscale/cel-parser computes `Duration.between(a, b)`; compare the timestamps instead (`a > b + duration('1h')`), which means the same everywhere
                                                                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ DurationMilliseconds `getMilliseconds()` of a duration gives its whole seconds in Exoscale's evaluator, not its millisecond part
  help: exoscale/cel-parser calls `Duration.toSeconds` here; use `getSeconds()` if that is what you mean
"#,
    );
    check_notes(
        Exoscale,
        r#"
bool(parameters.flag) && bool('1') && bool('true') && bool('True')
^^^^^^^^^^^^^^^^^^^^^ ParseBoolean `bool()` is Java's `Boolean.parseBoolean` on Exoscale: `true` in any case is true, every other string is false, never an error
  help: standard CEL accepts `1`, `t`, `True`… and rejects other strings; compare the string itself, e.g. `x == 'true'`, to mean the same everywhere
                         ^^^^^^^^^ ParseBoolean `bool('1')` is false on Exoscale (Java's `Boolean.parseBoolean`); standard CEL gives true
  help: only `true` in any case is true on Exoscale, every other string is false; compare the string itself, e.g. `x == 'true'`
"#,
    );
    // Braces of an escape are no quantifier: `\p{Alpha}+` is one construct, `\x{41}+` none.
    check_notes(
        Exoscale,
        r#"
zone.matches('\\p{Alpha}+\\x{41}+')
             ^^^^^^^^^^^^^^^^^^^^^ JavaRegex the class `\p{…}` works in Exoscale's Java regex, not in iamlab
  help: write the set out (`[a-zA-Z]`, `[0-9]`, …), which both read the same way; iamlab cannot evaluate the rule otherwise
"#,
    );
    // Other dialects have no notes.
    check_notes(
        Standard,
        r#"
'a'.matches('(a)\\1') && bool('1') && timestamp('2026') - timestamp('2025') > duration('1h')
"#,
    );
}

#[test]
fn the_checker_warns_of_cross_type_comparisons_in_exoscale() {
    check_check(
        Exoscale,
        r#"
zone == 1 || parameters.size == 1 || 1 == 1.0 || operation != null || 1 < 1.5 || 1 in [1.0]
^^^^^^^^^ cel::type-mismatch comparing a string with a int is an error in Exoscale's evaluator (help: Exoscale compares only values of one type (`1 == 1.0` fails too); convert one side, e.g. `double(x)` or `timestamp(x)`)
                                     ^^^^^^^^ cel::type-mismatch comparing a int with a double is an error in Exoscale's evaluator (help: Exoscale compares only values of one type (`1 == 1.0` fails too); convert one side, e.g. `double(x)` or `timestamp(x)`)
                                                                      ^^^^^^^ cel::type-mismatch `<` cannot compare a int with a double
                                                                                 ^^^^^^^^^^ cel::type-mismatch a int is never in a list of double
"#,
    );
    check_check(
        Standard,
        r#"
1 == 1.0 || 1 < 1.5 || 1 in [1.0]
"#,
    );
}
