//! `matches` without a regular-expression engine when the pattern is a few literal strings.
//!
//! IAM conditions mostly match names against a constant alternation,
//! `operation.matches('^(create|update)-dns-domain-record$')`. The language of such a pattern is
//! a small finite set of strings, each perhaps tied to the start or the end of the text, and
//! matching it is a string comparison: `regex-lite` in a size-optimised wasm build runs its
//! Pike VM character by character, many times slower. [`LiteralPattern::of`] reads the source
//! that `regex-lite` compiled (after the Exoscale full-match wrapping) and accepts only
//! literal characters, the escapes of single characters, groups (`(…)`, `(?:…)`), alternation,
//! `?`, and the anchors `^`, `$`, `\A`, `\z`; any other construct (classes, `.`, repetition,
//! flags such as `(?i)` or `(?m)`, word boundaries) leaves the pattern to `regex-lite`.
//! Without the `m` flag, which is refused, RE2's `^` matches only at the start of the text and
//! `$` only at its end (not before a final newline), so that a string of the set is: equal to
//! the text (both anchors), a prefix (`^` only), a suffix (`$` only) or a substring (none),
//! CEL's `matches` being a search. Literal characters are compared as UTF-8 bytes, which is
//! the same as comparing characters.

/// The most strings a pattern's language may hold: `(a|b)(c|d)` multiplies.
const MOST_STRINGS: usize = 16;
/// The deepest nesting of groups read.
const DEEPEST: usize = 16;

/// Where a string of the language must sit in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchoring {
    /// `^…$`: the whole text.
    Whole,
    /// `^…`: a prefix.
    Prefix,
    /// `…$`: a suffix.
    Suffix,
    /// Anywhere.
    Within,
}

/// A pattern whose language is a finite set of literal strings, each with its anchoring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LiteralPattern {
    strings: Box<[(Anchoring, Box<str>)]>,
}

/// One string of the language while it is read: whether a start anchor and an end anchor hold
/// at its ends. An anchor that cannot hold (`a^b`) removes the string from the language.
#[derive(Debug, Clone)]
struct Piece {
    start: bool,
    text: String,
    end: bool,
}

impl Piece {
    fn empty() -> Piece {
        Piece { start: false, text: String::new(), end: false }
    }

    /// `self` followed by `next`; `None` when an anchor between them cannot hold: a start
    /// anchor after some text, or some text after an end anchor.
    fn then(&self, next: &Piece) -> Option<Piece> {
        if (next.start && !self.text.is_empty()) || (self.end && !next.text.is_empty()) {
            return None;
        }
        Some(Piece {
            start: self.start || next.start,
            text: format!("{}{}", self.text, next.text),
            end: self.end || next.end,
        })
    }
}

impl LiteralPattern {
    /// The literal strings of `source`, or `None` when its language is not a small finite set
    /// of literals that this reader understands. `source` is a pattern `regex-lite` compiled.
    pub(crate) fn of(source: &str) -> Option<LiteralPattern> {
        let mut reader = Reader { chars: source.chars().peekable() };
        let pieces = reader.alternation(0)?;
        if reader.chars.next().is_some() {
            return None;
        }
        let strings = pieces
            .into_iter()
            .map(|piece| {
                let anchoring = match (piece.start, piece.end) {
                    (true, true) => Anchoring::Whole,
                    (true, false) => Anchoring::Prefix,
                    (false, true) => Anchoring::Suffix,
                    (false, false) => Anchoring::Within,
                };
                (anchoring, piece.text.into_boxed_str())
            })
            .collect();
        Some(LiteralPattern { strings })
    }

    /// Whether the pattern matches somewhere in `text`, as `regex_lite::Regex::is_match`.
    pub(crate) fn is_match(&self, text: &str) -> bool {
        self.strings.iter().any(|(anchoring, literal)| match anchoring {
            Anchoring::Whole => text == &**literal,
            Anchoring::Prefix => text.starts_with(&**literal),
            Anchoring::Suffix => text.ends_with(&**literal),
            Anchoring::Within => crate::functions::contains_text(text, literal),
        })
    }

    /// The strings and their anchoring, in the pattern's order (for the tests).
    #[cfg(test)]
    pub(crate) fn strings(&self) -> impl Iterator<Item = (Anchoring, &str)> {
        self.strings.iter().map(|(anchoring, text)| (*anchoring, &**text))
    }
}

struct Reader<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
}

impl Reader<'_> {
    /// `a|b|…` up to a `)` or the end, which it does not consume.
    fn alternation(&mut self, depth: usize) -> Option<Vec<Piece>> {
        let mut pieces = self.concatenation(depth)?;
        while self.chars.next_if_eq(&'|').is_some() {
            pieces.extend(self.concatenation(depth)?);
            if pieces.len() > MOST_STRINGS {
                return None;
            }
        }
        Some(pieces)
    }

    fn concatenation(&mut self, depth: usize) -> Option<Vec<Piece>> {
        let mut pieces = vec![Piece::empty()];
        while let Some(&next) = self.chars.peek() {
            if next == '|' || next == ')' {
                break;
            }
            let mut item = self.item(depth)?;
            if self.chars.next_if_eq(&'?').is_some() {
                // `??` is the lazy form: the same language.
                self.chars.next_if_eq(&'?');
                item.push(Piece::empty());
            }
            if matches!(self.chars.peek(), Some('?' | '*' | '+' | '{')) {
                return None;
            }
            let mut joined = Vec::new();
            for left in &pieces {
                for right in &item {
                    joined.extend(left.then(right));
                }
            }
            if joined.len() > MOST_STRINGS {
                return None;
            }
            pieces = joined;
        }
        Some(pieces)
    }

    /// One character, escape, anchor or group.
    fn item(&mut self, depth: usize) -> Option<Vec<Piece>> {
        let literal = |character: char| Some(vec![Piece { start: false, text: character.to_string(), end: false }]);
        let start = Some(vec![Piece { start: true, text: String::new(), end: false }]);
        let end = Some(vec![Piece { start: false, text: String::new(), end: true }]);
        match self.chars.next()? {
            '(' => {
                // `(?:…)` and `(…)` only: `(?i)`, `(?m:…)`, named groups and the rest go to regex-lite.
                if self.chars.next_if_eq(&'?').is_some() && self.chars.next() != Some(':') {
                    return None;
                }
                if depth >= DEEPEST {
                    return None;
                }
                let inner = self.alternation(depth + 1)?;
                self.chars.next_if_eq(&')')?;
                Some(inner)
            }
            '^' => start,
            '$' => end,
            '\\' => match self.chars.next()? {
                'A' => start,
                'z' => end,
                'a' => literal('\x07'),
                'f' => literal('\x0C'),
                't' => literal('\t'),
                'n' => literal('\n'),
                'r' => literal('\r'),
                'v' => literal('\x0B'),
                // regex-lite reads the escape of any ASCII punctuation but `<` and `>` as the
                // character itself.
                escaped if escaped.is_ascii_punctuation() && escaped != '<' && escaped != '>' => literal(escaped),
                _ => None,
            },
            '.' | '[' | '*' | '+' | '?' | '{' => None,
            character => literal(character),
        }
    }
}
