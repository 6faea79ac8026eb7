//! Wildcard patterns (`*` any run of characters, `?` exactly one) as IAM uses them in actions,
//! resources, `StringLike` and the `Arn*` operators.
//!
//! A pattern is a list of tokens rather than a string so that `${*}` and `${?}` (policy
//! variables that stand for a literal `*` or `?`) and substituted variable values stay literal.

/// One element of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    Literal(char),
    /// `?`: exactly one character.
    AnyChar,
    /// `*`: any run of characters, the empty one included.
    AnyRun,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pattern {
    pub tokens: Vec<Token>,
}

impl Pattern {
    /// Reads `*` and `?` as wildcards, every other character literally.
    pub fn glob(text: &str) -> Pattern {
        let mut pattern = Pattern::default();
        pattern.push_glob(text);
        pattern
    }

    /// Reads every character literally.
    pub fn literal(text: &str) -> Pattern {
        let mut pattern = Pattern::default();
        pattern.push_literal(text);
        pattern
    }

    pub fn push_glob(&mut self, text: &str) {
        self.tokens.extend(text.chars().map(|ch| match ch {
            '*' => Token::AnyRun,
            '?' => Token::AnyChar,
            other => Token::Literal(other),
        }));
    }

    pub fn push_literal(&mut self, text: &str) {
        self.tokens.extend(text.chars().map(Token::Literal));
    }

    pub fn has_wildcards(&self) -> bool {
        self.tokens.iter().any(|token| !matches!(token, Token::Literal(_)))
    }

    /// The pattern's characters with wildcards written as `*` and `?` (for messages).
    pub fn display(&self) -> String {
        self.tokens
            .iter()
            .map(|token| match token {
                Token::Literal(ch) => *ch,
                Token::AnyChar => '?',
                Token::AnyRun => '*',
            })
            .collect()
    }

    /// Whether the whole of `text` matches the pattern, case sensitive.
    pub fn matches(&self, text: &str) -> bool {
        tokens_match(self.tokens.as_slice(), text, Case::Sensitive)
    }

    /// Whether the whole of `text` matches the pattern, ignoring ASCII case.
    pub fn matches_ignoring_case(&self, text: &str) -> bool {
        tokens_match(self.tokens.as_slice(), text, Case::Insensitive)
    }

    /// Compares `text` literally, wildcard tokens standing for the characters `*` and `?`.
    pub fn equals_text(&self, text: &str) -> bool {
        self.display() == text
    }

    /// [`Pattern::equals_text`] ignoring ASCII case.
    pub fn equals_text_ignoring_case(&self, text: &str) -> bool {
        self.display().eq_ignore_ascii_case(text)
    }

    /// Splits the pattern at its literal colons into at most six ARN segments (the last one
    /// keeps any further colons).
    pub fn arn_segments(&self) -> Vec<&[Token]> {
        let mut segments = Vec::with_capacity(6);
        let mut rest: &[Token] = &self.tokens;
        while segments.len() < 5 {
            let Some(position) = rest.iter().position(|token| *token == Token::Literal(':')) else {
                break;
            };
            let (head, tail) = rest.split_at(position);
            segments.push(head);
            rest = tail.get(1..).unwrap_or(&[]);
        }
        segments.push(rest);
        segments
    }

    fn starts_with_arn(&self) -> bool {
        self.tokens.get(..4)
            == Some(&[Token::Literal('a'), Token::Literal('r'), Token::Literal('n'), Token::Literal(':')])
    }
}

/// Whether letters that differ only in case match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Sensitive,
    Insensitive,
}

/// Case-insensitive comparisons fold ASCII letters only: action names and condition keys are
/// ASCII, and Unicode case tables would add about 12 KB to the wasm bundle
/// (docs/semantics/aws.md).
fn chars_equal(left: char, right: char, case: Case) -> bool {
    left == right || (case == Case::Insensitive && left.eq_ignore_ascii_case(&right))
}

/// Classic iterative wildcard matching with one backtracking point: linear in practice,
/// O(n·m) at worst, no recursion (a 5,000-character pattern cannot blow the stack) and no
/// allocation (it runs for every action of every statement on every keystroke).
fn tokens_match<T: Tokens + ?Sized>(tokens: &T, text: &str, case: Case) -> bool {
    let char_width = |offset: usize| text.get(offset..).and_then(|rest| rest.chars().next()).map(char::len_utf8);
    let mut token_index = 0usize;
    let mut offset = 0usize;
    let mut backtrack: Option<(usize, usize)> = None;
    while let Some(current) = text.get(offset..).and_then(|rest| rest.chars().next()) {
        let width = current.len_utf8();
        match tokens.token(token_index) {
            Some(Token::AnyRun) => {
                backtrack = Some((token_index, offset));
                token_index += 1;
                continue;
            }
            Some(Token::AnyChar) => {
                token_index += 1;
                offset += width;
                continue;
            }
            Some(Token::Literal(expected)) if chars_equal(expected, current, case) => {
                token_index += 1;
                offset += width;
                continue;
            }
            _ => {}
        }
        // Let the last `*` take one more character and try again from there.
        match backtrack {
            Some((star_token, star_offset)) => {
                let next = star_offset + char_width(star_offset).unwrap_or(1);
                token_index = star_token + 1;
                offset = next;
                backtrack = Some((star_token, next));
            }
            None => return false,
        }
    }
    (token_index..tokens.count()).all(|index| tokens.token(index) == Some(Token::AnyRun))
}

/// What the matcher reads a pattern from: its tokens, or the bytes of an ASCII glob written in
/// a policy (matched without building a [`Pattern`], so without allocating).
trait Tokens {
    fn token(&self, index: usize) -> Option<Token>;
    fn count(&self) -> usize;
}

impl Tokens for [Token] {
    fn token(&self, index: usize) -> Option<Token> {
        self.get(index).copied()
    }

    fn count(&self) -> usize {
        self.len()
    }
}

/// An ASCII glob: one token per byte.
struct AsciiGlob<'text>(&'text [u8]);

impl Tokens for AsciiGlob<'_> {
    fn token(&self, index: usize) -> Option<Token> {
        self.0.get(index).map(|byte| match byte {
            b'*' => Token::AnyRun,
            b'?' => Token::AnyChar,
            other => Token::Literal(char::from(*other)),
        })
    }

    fn count(&self) -> usize {
        self.0.len()
    }
}

/// [`Pattern::glob`]`(pattern).matches_ignoring_case(text)` without building the pattern when it
/// is ASCII (action patterns are): it runs for every action item of every statement.
pub fn glob_matches_ignoring_case(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() {
        tokens_match(&AsciiGlob(pattern.as_bytes()), text, Case::Insensitive)
    } else {
        Pattern::glob(pattern).matches_ignoring_case(text)
    }
}

/// [`Pattern::glob`]`(pattern).matches(text)`, without building the pattern when it is ASCII.
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() {
        tokens_match(&AsciiGlob(pattern.as_bytes()), text, Case::Sensitive)
    } else {
        Pattern::glob(pattern).matches(text)
    }
}

/// Matches an ARN (or any resource text) against a pattern. A pattern that starts with `arn:`
/// is matched segment by segment (the six colon-separated parts; the last one keeps any further
/// colons), so that a wildcard never spans a colon of the first five. A shorter `arn:` pattern
/// is padded with `*` segments (`arn:aws:s3` covers every S3 ARN), as IAM reads identity
/// policies. A text that is not a six-part ARN, and any pattern not starting with `arn:`
/// (`*`), are matched as a whole.
pub fn arn_matches(pattern: &Pattern, text: &str) -> bool {
    if !pattern.starts_with_arn() || !is_arn(text) {
        return pattern.matches(text);
    }
    arn_segments_match(&pattern.tokens, Token::Literal(':'), text, |tokens, segment| {
        tokens_match(tokens, segment, Case::Sensitive)
    })
}

/// [`arn_matches`]`(&Pattern::glob(pattern), text)` without building the pattern when it is
/// ASCII: it runs for every plain resource of every statement of every request.
pub fn arn_glob_matches(pattern: &str, text: &str) -> bool {
    if !pattern.is_ascii() {
        return arn_matches(&Pattern::glob(pattern), text);
    }
    if !pattern.starts_with("arn:") || !is_arn(text) {
        return tokens_match(&AsciiGlob(pattern.as_bytes()), text, Case::Sensitive);
    }
    arn_segments_match(pattern.as_bytes(), b':', text, |bytes, segment| {
        tokens_match(&AsciiGlob(bytes), segment, Case::Sensitive)
    })
}

/// Whether `text` has the six colon-separated parts of an ARN (five colons at least), as
/// `text.splitn(6, ':').count() == 6` says, without a searcher per part.
pub fn is_arn(text: &str) -> bool {
    text.bytes().filter(|byte| *byte == b':').count() >= 5
}

/// The segment-by-segment match of [`arn_matches`], over the pattern's tokens or an ASCII
/// glob's bytes (`colon` is the pattern's literal colon).
fn arn_segments_match<T: Copy + PartialEq>(
    pattern: &[T],
    colon: T,
    text: &str,
    segment_matches: impl Fn(&[T], &str) -> bool,
) -> bool {
    // The pattern's segments are taken one by one as the text's are (no list is built: this
    // runs for every resource of every statement of every request), as `arn_segments` splits.
    let mut rest: Option<&[T]> = Some(pattern);
    let mut text_rest = Some(text);
    for index in 0..6 {
        let Some(remaining) = text_rest else {
            break;
        };
        // The text's segments as `splitn(6, ':')` gives them, found byte by byte.
        let text_colon = if index < 5 { remaining.bytes().position(|byte| byte == b':') } else { None };
        let segment = match text_colon {
            Some(position) => {
                text_rest = remaining.get(position + 1..);
                remaining.get(..position).unwrap_or("")
            }
            None => {
                text_rest = None;
                remaining
            }
        };
        // A missing segment of a short pattern is a `*`.
        let Some(current) = rest else {
            return true;
        };
        let at = if index < 5 { current.iter().position(|token| *token == colon) } else { None };
        let tokens = match at {
            Some(position) => {
                rest = Some(current.get(position + 1..).unwrap_or(&[]));
                current.get(..position).unwrap_or(&[])
            }
            None => {
                rest = None;
                current
            }
        };
        if !segment_matches(tokens, segment) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expect` is what a case-sensitive match gives, then what a match ignoring case gives.
    fn check(pattern: &str, text: &str, expect: (bool, bool)) {
        let pattern_value = Pattern::glob(pattern);
        let actual = (pattern_value.matches(text), pattern_value.matches_ignoring_case(text));
        assert_eq!(actual, expect, "{pattern} vs {text}");
    }

    #[test]
    fn globs() {
        check("*", "", (true, true));
        check("ec2:*", "ec2:DescribeInstances", (true, true));
        check("ec2:Describe*", "ec2:describeinstances", (false, true));
        check("iam:?etUser", "iam:GetUser", (true, true));
        check("iam:?etUser", "iam:etUser", (false, false));
        check("*:Read*", "api:ReadVms", (true, true));
        check("a*b*c", "aXXbYYc", (true, true));
        check("a*b*c", "aXXbYY", (false, false));
        // Multi-byte characters are one character each, for `?` and for backtracking.
        check("a*é", "abcé", (true, true));
        check("?", "é", (true, true));
        check("??", "é", (false, false));
        check("E*", "ecole", (false, true));
        // Only ASCII letters fold.
        check("É*", "école", (false, false));
        check("*😀?", "x😀😀y", (true, true));
    }

    #[test]
    fn arn_segments_do_not_let_wildcards_span_colons() {
        let pattern = Pattern::glob("arn:aws:s3:::bucket/*");
        assert!(arn_matches(&pattern, "arn:aws:s3:::bucket/a:b"));
        let pattern = Pattern::glob("arn:aws:ec2:*:123456789012:instance/*");
        assert!(arn_matches(&pattern, "arn:aws:ec2:eu-west-1:123456789012:instance/i-1"));
        assert!(!arn_matches(&pattern, "arn:aws:ec2:eu-west-1:210987654321:instance/i-1"));
        let pattern = Pattern::glob("arn:aws:iam::*");
        assert!(arn_matches(&pattern, "arn:aws:iam::123456789012:user/bob"));
        let pattern = Pattern::glob("arn:aws:ec2:us-*:instance/*");
        assert!(!arn_matches(&pattern, "arn:aws:ec2:us-east-1:123456789012:instance/i-1"));
        assert!(arn_matches(&Pattern::glob("arn:aws:s3"), "arn:aws:s3:::bucket/key"));
        assert!(!arn_matches(&Pattern::glob("arn:aws:s3"), "arn:aws:sqs:eu-west-1:123456789012:queue"));
        assert!(arn_matches(&Pattern::glob("*"), "arn:aws:ec2:us-east-1:123456789012:instance/i-1"));
    }

    #[test]
    fn plain_arn_globs_match_as_their_patterns_do() {
        let texts = ["arn:aws:s3:::bucket/a:b", "arn:aws:ec2:eu-west-1:123456789012:instance/i-1", "bucket", "*"];
        let patterns =
            ["arn:aws:s3:::bucket/*", "arn:aws:ec2:*:123456789012:instance/*", "arn:aws:s3", "*", "b*t", "arn:é*"];
        for pattern in patterns {
            for text in texts {
                assert_eq!(
                    arn_glob_matches(pattern, text),
                    arn_matches(&Pattern::glob(pattern), text),
                    "{pattern} {text}"
                );
            }
        }
        assert!(arn_glob_matches(
            "arn:aws:ec2:*:123456789012:instance/*",
            "arn:aws:ec2:eu-west-1:123456789012:instance/i-1"
        ));
        assert!(!arn_glob_matches("arn:aws:ec2:us-*:instance/*", "arn:aws:ec2:us-east-1:123456789012:instance/i-1"));
    }
}
