//! The literal fast path of `matches` (`crate::literal_pattern`): what it reads, and that it
//! answers as `regex-lite` does on every pattern it accepts.

use super::check_eval;
use crate::functions::{compile_regex, regex_source};
use crate::literal_pattern::{Anchoring, LiteralPattern};
use crate::Dialect;

/// The strings `pattern` stands for, one per line as `anchoring text` (`Debug` of the text), or
/// `regex` when the pattern is left to regex-lite. The pattern must compile.
#[track_caller]
fn check(pattern: &str, expect: &str) {
    assert!(compile_regex(pattern, false).is_ok(), "{pattern} does not compile");
    let rendered = match LiteralPattern::of(pattern) {
        Some(literals) => literals
            .strings()
            .map(|(anchoring, text)| {
                let anchoring = match anchoring {
                    Anchoring::Whole => "whole",
                    Anchoring::Prefix => "prefix",
                    Anchoring::Suffix => "suffix",
                    Anchoring::Within => "within",
                };
                format!("{anchoring} {text:?}\n")
            })
            .collect::<String>(),
        None => "regex\n".to_owned(),
    };
    assert_eq!(rendered, expect.strip_prefix('\n').unwrap_or(expect), "{pattern}");
}

#[test]
fn literal_patterns() {
    check(
        "^(create|update)-dns-domain-record$",
        r#"
whole "create-dns-domain-record"
whole "update-dns-domain-record"
"#,
    );
    check("^web-", "prefix \"web-\"\n");
    check("\\.example\\.com$", "suffix \".example.com\"\n");
    check("terraform/", "within \"terraform/\"\n");
    check("", "within \"\"\n");
    check("(?:a|)b?", "within \"ab\"\nwithin \"a\"\nwithin \"b\"\nwithin \"\"\n");
    check("\\Aéte\\z|^x|y$", "whole \"éte\"\nprefix \"x\"\nsuffix \"y\"\n");
    check("a\\-b\\t}]#&~ ", "within \"a-b\\t}]#&~ \"\n");
    // Anchors inside the text can never hold: those strings are gone, the rest stay.
    check("a^b|c", "within \"c\"\n");
    check("a$b", "");
    check("$^", "whole \"\"\n");
    check("(^a)(b$)", "whole \"ab\"\n");
    // Exoscale's full match wraps the pattern, so that `$` of `a$|b` binds the first branch only in a search.
    check(&regex_source("a|b", true), "whole \"a\"\nwhole \"b\"\n");
}

#[test]
fn patterns_left_to_regex_lite() {
    for pattern in [
        "^web-[0-9]+$",
        "a.b",
        "a*",
        "a+",
        "a{2}",
        "a?+",
        "a???",
        "(?i)abc",
        "(?i:abc)",
        "(?m)^a$",
        "(?s)a",
        "(?P<name>a)",
        "(?<name>a)",
        "\\d",
        "\\ba\\b",
        "\\x41",
        "\\u{41}",
        "(a|b)(c|d)(e|f)(g|h)(i|j)",
        "((((((((((((((((((a))))))))))))))))))",
    ] {
        check(pattern, "regex\n");
    }
}

/// A small xorshift generator: the same sequence on every run, no dependency.
struct Random(u64);

impl Random {
    fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound as u64) as usize
    }

    fn pick<'a>(&mut self, choices: &[&'a str]) -> &'a str {
        choices[self.below(choices.len())]
    }
}

/// Random patterns built from literals, escapes, groups, alternations, `?`, anchors and some
/// constructs the fast path refuses, each compared with regex-lite on random texts (and on
/// the pattern's own strings with a character around them), as a search and as Exoscale's full
/// match.
#[test]
fn literal_patterns_answer_as_regex_lite() {
    const PIECES: &[&str] = &[
        "a", "b", "ab", "-", "é", "\\.", ".", "\\n", "\n", "^", "$", "\\A", "\\z", "(", "(?:", ")", "|", "|", "?",
        "??", "*", "[ab]", "(?i)", "(?m)", "A", "\\-", "}", "]", " ", "\\\\", "\\$", "\\^", "\\?",
    ];
    const TEXT: &[&str] = &["a", "b", "-", "é", ".", "\n", "A", "$", "^", "?", "\\", " "];
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let (mut accepted, mut compared) = (0, 0);
    for _ in 0..10_000 {
        let pattern: String = (0..1 + random.below(8)).map(|_| random.pick(PIECES)).collect();
        for full_match in [false, true] {
            let Ok(regex) = compile_regex(&pattern, full_match) else { continue };
            let Some(literals) = LiteralPattern::of(&regex_source(&pattern, full_match)) else { continue };
            accepted += 1;
            let mut texts: Vec<String> =
                (0..24).map(|_| (0..random.below(6)).map(|_| random.pick(TEXT)).collect()).collect();
            for (_, string) in literals.strings() {
                let around = random.pick(TEXT);
                texts.extend([string.to_owned(), format!("{around}{string}"), format!("{string}{around}")]);
            }
            for text in &texts {
                compared += 1;
                assert_eq!(
                    literals.is_match(text),
                    regex.is_match(text),
                    "pattern {pattern:?} (full match {full_match}) on {text:?}: {literals:?}"
                );
            }
        }
    }
    // The loop must exercise the fast path, not only the patterns it refuses.
    assert!(accepted > 5_000 && compared > 150_000, "{accepted} patterns, {compared} comparisons");
}

#[test]
fn compiled_literal_matches() {
    let variables = r#"{"operation": "update-dns-domain-record", "name": "web-01"}"#;
    check_eval(
        Dialect::Exoscale,
        variables,
        "
operation.matches('(create|update)-dns-domain-record') && !operation.matches('update') && !name.matches('web-0')
=> true
",
    );
    check_eval(
        Dialect::Standard,
        variables,
        "
operation.matches('^(create|update)-dns') && matches(name, 'b-0') && !name.matches('^b') && !operation.matches('^$')
=> true
",
    );
    check_eval(
        Dialect::Scaleway,
        variables,
        "
matches(name, '^web-01$') && !matches(name, 'web-01\\n')
=> true
",
    );
}

/// The substring searches of `contains` (Horspool's, with its needle prepared) and of unanchored
/// literals answer as `str::contains`,
/// for needles on both sides of its short-needle limit and characters of several bytes.
#[test]
fn substring_search_answers_as_str_contains() {
    const TEXT: &[&str] = &["a", "b", "ab", "é", "€", "/", "terraform"];
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    let mut found = 0;
    for _ in 0..20_000 {
        let text: String = (0..random.below(12)).map(|_| random.pick(TEXT)).collect();
        let part: String = (0..random.below(5)).map(|_| random.pick(TEXT)).collect();
        let expected = text.contains(&part);
        found += usize::from(expected);
        assert_eq!(crate::functions::contains_text(&text, &part), expected, "{part:?} in {text:?}");
        assert_eq!(crate::functions::Needle::new(part.as_str().into()).is_in(&text), expected, "{part:?} in {text:?}");
    }
    assert!(found > 2_000, "only {found} needles found");
}
