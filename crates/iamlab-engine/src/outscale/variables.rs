//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'default'}` and the three
//! escapes `${*}`, `${?}`, `${$}` (docs/semantics/aws.md, "Policy variables").
//!
//! Templates are parsed once, when the statement is read; substitution happens per request.

use super::pattern::{Pattern, Token};
use super::request::Context;

/// One piece of a string that may contain policy variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text copied as is (wildcards in it keep their meaning where the element has wildcards).
    Text(String),
    /// `${*}`, `${?}` or `${$}`: the character itself, never a wildcard.
    Escaped(char),
    Variable(Variable),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// The context key, as written (lookups ignore case).
    pub key: String,
    pub default: Option<String>,
    /// Byte range of `${…}` in the decoded string.
    pub start: usize,
    pub end: usize,
}

/// Returned when a `${` is not a well-formed variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableError {
    /// Byte range in the decoded string.
    pub start: usize,
    pub end: usize,
    pub message: String,
}

/// A parsed string: literal text, or pieces with variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub pieces: Vec<Piece>,
}

impl Template {
    pub fn variables(&self) -> impl Iterator<Item = &Variable> {
        self.pieces.iter().filter_map(|piece| match piece {
            Piece::Variable(variable) => Some(variable),
            _ => None,
        })
    }

    pub fn has_variables(&self) -> bool {
        self.pieces.iter().any(|piece| !matches!(piece, Piece::Text(_)))
    }

    /// Substitutes the variables from `context`, reading `*` and `?` of the text as wildcards
    /// (`Resource`, `StringLike`, the `Arn…` operators). Fails with the first variable that has
    /// no value and no default: the value then matches nothing.
    pub fn resolve_pattern(&self, context: &Context) -> Result<Pattern, UnresolvedVariable> {
        self.resolve(context, Pattern::push_glob)
    }

    /// Substitutes the variables from `context`, reading every character of the text literally
    /// (`StringEquals`, `Bool`…).
    pub fn resolve_literal(&self, context: &Context) -> Result<Pattern, UnresolvedVariable> {
        self.resolve(context, Pattern::push_literal)
    }

    fn resolve(&self, context: &Context, push_text: fn(&mut Pattern, &str)) -> Result<Pattern, UnresolvedVariable> {
        let mut pattern = Pattern::default();
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => push_text(&mut pattern, text),
                Piece::Escaped(ch) => pattern.tokens.push(Token::Literal(*ch)),
                Piece::Variable(variable) => match context.single_value(&variable.key) {
                    Some(value) => pattern.push_literal(value),
                    None => match &variable.default {
                        Some(default) => pattern.push_literal(default),
                        None => return Err(UnresolvedVariable { key: variable.key.clone() }),
                    },
                },
            }
        }
        Ok(pattern)
    }
}

/// Returned when a policy variable has no value in the request and no default.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("policy variable `${{{key}}}` has no value")]
pub struct UnresolvedVariable {
    /// The context key, as the policy writes it.
    pub key: String,
}

/// Parses the policy variables of `text`. Collects every malformed `${` rather than stopping.
pub fn parse_template(text: &str) -> (Template, Vec<VariableError>) {
    let mut pieces = Vec::new();
    let mut errors = Vec::new();
    let mut literal = String::new();
    let mut rest_start = 0usize;
    while let Some(found) = text.get(rest_start..).and_then(|rest| rest.find("${")) {
        let start = rest_start + found;
        literal.push_str(text.get(rest_start..start).unwrap_or(""));
        let body_start = start + 2;
        let Some(close) = text.get(body_start..).and_then(find_closing_brace) else {
            errors.push(VariableError {
                start,
                end: text.len(),
                message: "policy variable is not closed with `}`".to_owned(),
            });
            literal.push_str(text.get(start..).unwrap_or(""));
            rest_start = text.len();
            break;
        };
        let body_end = body_start + close;
        let end = body_end + 1;
        let body = text.get(body_start..body_end).unwrap_or("");
        match parse_body(body) {
            Ok(BodyKind::Escaped(ch)) => {
                flush(&mut literal, &mut pieces);
                pieces.push(Piece::Escaped(ch));
            }
            Ok(BodyKind::Variable { key, default }) => {
                flush(&mut literal, &mut pieces);
                pieces.push(Piece::Variable(Variable { key, default, start, end }));
            }
            Err(message) => {
                errors.push(VariableError { start, end, message });
                literal.push_str(text.get(start..end).unwrap_or(""));
            }
        }
        rest_start = end;
    }
    literal.push_str(text.get(rest_start..).unwrap_or(""));
    flush(&mut literal, &mut pieces);
    (Template { pieces }, errors)
}

fn flush(literal: &mut String, pieces: &mut Vec<Piece>) {
    if !literal.is_empty() {
        pieces.push(Piece::Text(std::mem::take(literal)));
    }
}

/// The offset of the `}` closing a variable body, skipping braces inside a quoted default.
fn find_closing_brace(body: &str) -> Option<usize> {
    let mut in_quote = false;
    for (index, ch) in body.char_indices() {
        match ch {
            '\'' => in_quote = !in_quote,
            '}' if !in_quote => return Some(index),
            _ => {}
        }
    }
    None
}

enum BodyKind {
    Escaped(char),
    Variable { key: String, default: Option<String> },
}

fn parse_body(body: &str) -> Result<BodyKind, String> {
    match body {
        "*" => return Ok(BodyKind::Escaped('*')),
        "?" => return Ok(BodyKind::Escaped('?')),
        "$" => return Ok(BodyKind::Escaped('$')),
        _ => {}
    }
    let (key_part, default) = match body.split_once(',') {
        Some((key_part, default_part)) => (key_part, Some(parse_default(default_part.trim())?)),
        None => (body, None),
    };
    let key = key_part.trim();
    if key.is_empty() {
        return Err("policy variable has no key name".to_owned());
    }
    if let Some(bad) = key.chars().find(|ch| !is_key_char(*ch)) {
        return Err(format!("policy variable key `{key}` contains `{bad}`, which a context key cannot contain"));
    }
    Ok(BodyKind::Variable { key: key.to_owned(), default })
}

fn is_key_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric() || matches!(ch, ':' | '/' | '-' | '_' | '.' | '@' | '+' | '=')
}

/// A default value is single-quoted; `''` inside it stands for one quote.
fn parse_default(text: &str) -> Result<String, String> {
    let inner = text
        .strip_prefix('\'')
        .and_then(|rest| rest.strip_suffix('\''))
        .filter(|_| text.len() >= 2)
        .ok_or_else(|| format!("default value `{text}` must be enclosed in single quotes"))?;
    let mut value = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch == '\'' {
            if chars.peek() == Some(&'\'') {
                chars.next();
                value.push('\'');
            } else {
                return Err("a single quote inside a default value must be doubled (`''`)".to_owned());
            }
        } else {
            value.push(ch);
        }
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_variables_defaults_and_escapes() {
        let text = "home/${aws:username}/${*}x${ aws:PrincipalTag/team , 'it''s' }";
        let (template, errors) = parse_template(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(template.pieces.len(), 6);
        assert_eq!(
            template.pieces.get(5),
            Some(&Piece::Variable(Variable {
                key: "aws:PrincipalTag/team".to_owned(),
                default: Some("it's".to_owned()),
                start: 26,
                end: text.len()
            }))
        );
        assert_eq!(template.pieces.get(3), Some(&Piece::Escaped('*')));
    }

    #[test]
    fn reports_malformed_variables() {
        let (_, errors) = parse_template("a${} b${x, default} c${y");
        let messages: Vec<&str> = errors.iter().map(|error| error.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "policy variable has no key name",
                "default value `default` must be enclosed in single quotes",
                "policy variable is not closed with `}`"
            ]
        );
    }
}
