//! Fixes derived from what a finding already says: a help of the form "did you mean `X`?" or
//! "write `X`" names the replacement of its primary span. Findings that build their own
//! [`Fix`] (the JSON reader's trailing comma) keep theirs.

use iamlab_model::{Diagnostic, Fix};

/// Adds a fix to every finding of `text` whose help names a replacement for its primary span,
/// when that span is a whole JSON string or a bare name (so the edit cannot break the text
/// around it).
pub fn derive_fixes(text: &str, diagnostics: &mut [Diagnostic]) {
    for diagnostic in diagnostics.iter_mut().filter(|diagnostic| diagnostic.fixes.is_empty()) {
        let Some(candidate) = diagnostic.help.as_deref().and_then(suggested_name) else { continue };
        let Some(span) = diagnostic.primary_span() else { continue };
        let Some(written) = span.slice(text) else { continue };
        let replacement = if is_json_string(written) {
            serde_json::to_string(candidate).ok()
        } else if is_bare_name(written) && is_bare_name(candidate) {
            Some(candidate.to_owned())
        } else {
            None
        };
        if let Some(replacement) = replacement.filter(|replacement| replacement != written) {
            diagnostic.fixes.push(Fix::new(format!("replace with `{candidate}`"), span, replacement));
        }
    }
}

/// The name a help suggests: the quoted text after "did you mean" or "write".
fn suggested_name(help: &str) -> Option<&str> {
    ["did you mean `", "write `"].into_iter().find_map(|lead| {
        let rest = help.get(help.find(lead)? + lead.len()..)?;
        let name = rest.get(..rest.find('`')?)?;
        (!name.is_empty()).then_some(name)
    })
}

/// A complete JSON string literal: quotes at both ends and no unescaped quote between.
fn is_json_string(written: &str) -> bool {
    let Some(inner) = written.strip_prefix('"').and_then(|rest| rest.strip_suffix('"')) else { return false };
    let mut escaped = false;
    for ch in inner.chars() {
        match (escaped, ch) {
            (true, _) => escaped = false,
            (false, '\\') => escaped = true,
            (false, '"') => return false,
            _ => {}
        }
    }
    !escaped
}

/// A name as CEL variables, fields, operators and actions are written.
fn is_bare_name(written: &str) -> bool {
    !written.is_empty()
        && written.chars().all(|ch| ch.is_alphanumeric() || matches!(ch, '_' | '-' | ':' | '.' | '*' | '/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use iamlab_model::Span;

    fn check(text: &str, span: (u32, u32), help: &str, expect: Option<&str>) {
        let mut diagnostics =
            vec![Diagnostic::error("t", "m").with_primary(Span::new(span.0, span.1), "").with_help(help)];
        derive_fixes(text, &mut diagnostics);
        let fixed = diagnostics[0].fixes.first().and_then(|fix| fix.apply(text));
        assert_eq!(fixed.as_deref(), expect, "{text:?} with {help:?}");
    }

    #[test]
    fn a_did_you_mean_replaces_a_json_string_or_a_bare_name() {
        check(r#"{"expresion": 1}"#, (1, 12), "did you mean `expression`?", Some(r#"{"expression": 1}"#));
        check(
            r#"{"Effect": "allow"}"#,
            (11, 18),
            "effect values are case sensitive: write `Allow`",
            Some(r#"{"Effect": "Allow"}"#),
        );
        check(r#""paramters.type == 'A'""#, (1, 10), "did you mean `parameters`?", Some(r#""parameters.type == 'A'""#));
    }

    #[test]
    fn no_fix_where_the_edit_could_break_the_text() {
        // The span covers more than a name.
        check(r#"{"a": 1, "b": 2}"#, (1, 8), "did you mean `c`?", None);
        check(r#"{"a": 1}"#, (1, 4), "a policy has `b`", None);
        // A name with a quote would end the JSON string early.
        check("abc", (0, 3), "did you mean `a\"b`?", None);
        check(r#"{"a": 1}"#, (1, 4), "did you mean `a`?", None);
        check("ab", (5, 9), "did you mean `x`?", None);
    }
}
