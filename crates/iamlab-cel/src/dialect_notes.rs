//! Where an expression relies on something a provider's own evaluator computes differently
//! from cel-spec. The evaluator follows the provider (see `DIALECTS.md`); these notes tell the
//! author that the expression means something else elsewhere, or that iamlab cannot predict it.
//!
//! Only the Exoscale dialect has notes: its provider publishes its evaluator,
//! `exoscale/cel-parser` (Clojure, on the JVM). The checker ([`crate::check_with_notes`]) finds
//! them, because most need the operand types it infers; the policy engine reports each kind
//! under its own code.

use crate::time::{java_zone_offset, parse_timestamp, parse_timestamp_clojure, zone_offset, Timestamp};
use iamlab_model::Span;

/// What an expression relies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DialectNoteKind {
    /// A `matches` pattern whose meaning depends on Java's regex syntax: Java-only constructs
    /// (backreferences, lookaround, `\p{…}` classes) iamlab cannot evaluate, and constructs Java
    /// reads differently or rejects.
    JavaRegex,
    /// A timestamp literal that Exoscale's reader and standard CEL read differently (a partial
    /// timestamp only the former accepts, a lower-case `t` or `z` only the latter accepts).
    TimestampFormat,
    /// A time-zone literal Java does not know: Exoscale evaluates it as GMT, without an error.
    UnknownTimeZone,
    /// `timestamp - timestamp`, which Exoscale computes with the operands swapped.
    SwappedSubtraction,
    /// `bool(…)`, which is Java's `Boolean.parseBoolean` on Exoscale.
    ParseBoolean,
    /// `getMilliseconds()` of a duration, which is the whole seconds on Exoscale.
    DurationMilliseconds,
}

/// One place where an expression relies on a [`DialectNoteKind`], with a message and help in
/// the style of diagnostics (lowercase, no trailing period).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialectNote {
    pub kind: DialectNoteKind,
    pub span: Span,
    pub message: String,
    pub help: String,
}

impl DialectNote {
    pub(crate) fn new(kind: DialectNoteKind, span: Span, message: String, help: impl Into<String>) -> DialectNote {
        DialectNote { kind, span, message, help: help.into() }
    }
}

/// What a `matches` pattern relies on in Java's `java.util.regex.Pattern` (exoscale/cel-parser
/// `expr.clj` l.529 compiles it with Clojure's `re-pattern`): one (message, help) per kind of
/// construct found, in the order found. The scan is lexical: escapes are skipped and bracket
/// classes tracked, which is enough to tell these constructs apart from literal text.
pub(crate) fn java_regex_notes(pattern: &str) -> Vec<(String, String)> {
    let mut notes: Vec<(&'static str, String, String)> = Vec::new();
    let mut push = |key: &'static str, message: String, help: &str| {
        if !notes.iter().any(|(seen, _, _)| *seen == key) {
            notes.push((key, message, help.to_owned()));
        }
    };
    let cannot_evaluate = "iamlab evaluates RE2 syntax, so the simulation fails on this rule where Exoscale may match; rewrite the pattern without it if you can";
    let characters: Vec<char> = pattern.chars().collect();
    let at = |index: usize| characters.get(index).copied();
    let mut class_depth = 0usize;
    let mut index = 0;
    while let Some(character) = at(index) {
        match character {
            '\\' => {
                let escaped = at(index + 1);
                match escaped {
                    Some(digit @ '1'..='9') if class_depth == 0 => push(
                        "backreference",
                        format!("the backreference `\\{digit}` works in Exoscale's Java regex, not in iamlab"),
                        cannot_evaluate,
                    ),
                    Some('k') if at(index + 2) == Some('<') => push(
                        "backreference",
                        "the named backreference `\\k<…>` works in Exoscale's Java regex, not in iamlab"
                            .to_owned(),
                        cannot_evaluate,
                    ),
                    Some('Q') => push(
                        "quote",
                        "the quotation `\\Q…\\E` works in Exoscale's Java regex, not in iamlab".to_owned(),
                        "escape each special character with a backslash instead, which both read the same way",
                    ),
                    Some(other @ ('h' | 'H' | 'v' | 'V' | 'R' | 'X' | 'G' | 'Z')) => push(
                        "java-escape",
                        format!(
                            "`\\{other}` means something else in RE2 or nothing at all, so iamlab cannot predict what Exoscale's Java regex does with it"
                        ),
                        cannot_evaluate,
                    ),
                    // iamlab's `regex-lite` refuses every `\p{…}` class; Java has Unicode ones and
                    // ASCII-only POSIX ones (`\p{Alpha}`).
                    Some(letter @ ('p' | 'P')) => push(
                        "property",
                        format!("the class `\\{letter}{{…}}` works in Exoscale's Java regex, not in iamlab"),
                        "write the set out (`[a-zA-Z]`, `[0-9]`, …), which both read the same way; iamlab cannot evaluate the rule otherwise",
                    ),
                    _ => {}
                }
                index += 2;
                // `\p{Alpha}`, `\x{263A}`: the braces belong to the escape (a `}+` there is no
                // possessive quantifier).
                if at(index) == Some('{') {
                    while at(index).is_some_and(|c| c != '}') {
                        index += 1;
                    }
                    index += 1;
                }
                continue;
            }
            '[' => {
                if class_depth > 0 && at(index + 1) == Some(':') {
                    push(
                        "posix-bracket",
                        "there are no POSIX bracket classes in Exoscale's Java regex: `[[:alpha:]]` is a set of single characters there".to_owned(),
                        "write `\\p{Alpha}` or the set itself, e.g. `[a-zA-Z]`",
                    );
                }
                class_depth += 1;
            }
            ']' if class_depth > 0 => class_depth -= 1,
            '(' if class_depth == 0 && at(index + 1) == Some('?') => match (at(index + 2), at(index + 3)) {
                (Some('=' | '!'), _) | (Some('<'), Some('=' | '!')) => push(
                    "lookaround",
                    "lookahead and lookbehind (`(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`) work in Exoscale's Java regex, not in iamlab".to_owned(),
                    cannot_evaluate,
                ),
                (Some('>'), _) => push(
                    "atomic",
                    "the atomic group `(?>…)` works in Exoscale's Java regex, not in iamlab".to_owned(),
                    cannot_evaluate,
                ),
                (Some('P'), Some('<')) => push(
                    "python-group",
                    "the group `(?P<name>…)` is rejected by Exoscale's Java regex: the expression fails there"
                        .to_owned(),
                    "write the named group as `(?<name>…)`, which both accept",
                ),
                _ => {}
            },
            '*' | '+' | '?' | '}' if class_depth == 0 && at(index + 1) == Some('+') => {
                // `(?+` is no quantifier; every other quantifier followed by `+` is possessive.
                let is_group_start = character == '?' && index > 0 && at(index - 1) == Some('(');
                if !is_group_start {
                    push(
                        "possessive",
                        format!("the possessive quantifier `{character}+` works in Exoscale's Java regex, not in iamlab"),
                        cannot_evaluate,
                    );
                }
            }
            _ => {}
        }
        index += 1;
    }
    notes.into_iter().map(|(_, message, help)| (message, help)).collect()
}

/// How Exoscale's reader and standard CEL read a timestamp literal, when they differ.
pub(crate) fn timestamp_literal_note(text: &str) -> Option<(String, String)> {
    match (parse_timestamp_clojure(text), parse_timestamp(text)) {
        (Ok(exoscale), Err(_)) => Some((
            format!(
                "`{text}` is read as {} by Exoscale's evaluator and rejected by standard CEL",
                crate::format_timestamp(exoscale)
            ),
            format!(
                "Clojure's `read-instant-timestamp` accepts partial timestamps; write `{}` so that the rule means the same everywhere",
                crate::format_timestamp(exoscale)
            ),
        )),
        (Err(_), Ok(_)) => Some((
            format!("`{text}` is rejected by Exoscale's evaluator: the expression fails there"),
            "Clojure's `read-instant-timestamp` knows only an upper-case `T` and `Z` and at most 60 seconds at minute 59; write e.g. `2026-01-01T00:00:00Z`".to_owned(),
        )),
        (Ok(exoscale), Ok(standard)) if exoscale != standard => Some((
            format!(
                "`{text}` is read as {} by Exoscale's evaluator, as {} by standard CEL",
                crate::format_timestamp(exoscale),
                crate::format_timestamp(standard)
            ),
            "a leap second rolls over into the next minute in Java's lenient calendar; avoid second 60".to_owned(),
        )),
        _ => None,
    }
}

/// A time-zone argument Java does not know, which Exoscale evaluates as GMT.
pub(crate) fn time_zone_note(zone: &str) -> Option<(String, String)> {
    // Whether Java knows an ID does not depend on the instant.
    let epoch = Timestamp::from_unix(0, 0)?;
    if java_zone_offset(epoch, zone).1 {
        return None;
    }
    let looks_like_offset = zone.starts_with(['+', '-']) || zone.as_bytes().first().is_some_and(u8::is_ascii_digit);
    let help = if looks_like_offset {
        format!(
            "Java reads an offset only as a `GMT` ID: write `GMT{}`",
            if zone.starts_with(['+', '-']) { zone.to_owned() } else { format!("+{zone}") }
        )
    } else if zone_offset(epoch, zone).is_ok() {
        "Java's zone IDs are case-sensitive: write e.g. `UTC` or `Europe/Zurich`".to_owned()
    } else {
        "use a tz database name such as `Europe/Zurich`, `UTC`, or an offset such as `GMT+02:00`".to_owned()
    };
    Some((
        format!("time zone `{zone}` is unknown to Java: Exoscale's evaluator uses GMT instead, without an error"),
        help,
    ))
}

/// What `bool(text)` gives on Exoscale (Java's `Boolean.parseBoolean`) against standard CEL,
/// when they differ.
pub(crate) fn parse_boolean_literal_note(text: &str) -> Option<(String, String)> {
    let exoscale = text.eq_ignore_ascii_case("true");
    let standard = match text {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    };
    if standard == Some(exoscale) {
        return None;
    }
    let standard = match standard {
        Some(value) => format!("standard CEL gives {value}"),
        None => "standard CEL reports an error".to_owned(),
    };
    Some((
        format!("`bool('{text}')` is {exoscale} on Exoscale (Java's `Boolean.parseBoolean`); {standard}"),
        "only `true` in any case is true on Exoscale, every other string is false; compare the string itself, e.g. `x == 'true'`".to_owned(),
    ))
}
