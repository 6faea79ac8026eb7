//! Reading a provider's schema out of the span-keeping JSON tree: the findings every provider
//! reports the same way (wrong type, missing field, unknown field with "did you mean", a value
//! outside an enum), each under the provider's own codes ([`SchemaCodes`]), with a JSON pointer.

use iamlab_model::json::{escape_pointer_segment, JsonMember, JsonValue};
use iamlab_model::{Diagnostic, Severity, Span, Spanned};

/// The codes a provider reports schema findings under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaCodes {
    pub wrong_type: &'static str,
    pub missing_field: &'static str,
    pub unknown_field: &'static str,
    /// Unknown fields are warnings where the provider's API ignores them, errors where it
    /// rejects them.
    pub unknown_field_severity: Severity,
    pub invalid_value: &'static str,
}

/// The pointer of `segment` below `parent` (`/services/compute`).
pub fn child_pointer(parent: &str, segment: &str) -> String {
    format!("{parent}/{}", escape_pointer_segment(segment))
}

/// A finding at `span` with a JSON pointer, and help when there is some to give.
pub fn finding(
    code: &str,
    severity: Severity,
    message: impl Into<String>,
    span: Span,
    pointer: &str,
    help: impl Into<String>,
) -> Diagnostic {
    let help = help.into();
    let diagnostic = Diagnostic::new(code, severity, message).with_primary(span, "").with_path(pointer.to_owned());
    if help.is_empty() {
        diagnostic
    } else {
        diagnostic.with_help(help)
    }
}

/// "`field` must be an integer, found string".
pub fn wrong_type(codes: &SchemaCodes, value: &JsonValue, pointer: &str, field: &str, expected: &str) -> Diagnostic {
    let article = if expected.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    finding(
        codes.wrong_type,
        Severity::Error,
        format!("`{field}` must be {article} {expected}, found {}", value.kind_name()),
        value.span,
        pointer,
        "",
    )
}

/// "expected string or array of strings, found number", labelled with the expectation: the
/// wording of grammars that name the expected type rather than the field (the IAM policy
/// grammar, whose types are unions such as "string or array of strings").
pub fn expected_type(code: &str, value: &JsonValue, pointer: &str, expected: &str) -> Diagnostic {
    Diagnostic::error(code, format!("expected {expected}, found {}", value.kind_name()))
        .with_primary(value.span, format!("expected {expected}"))
        .with_path(pointer.to_owned())
}

/// "the rule has no `action`", underlining the object's opening brace only.
pub fn missing_field(
    codes: &SchemaCodes,
    object: &JsonValue,
    pointer: &str,
    field: &str,
    owner: &str,
    help: &str,
) -> Diagnostic {
    finding(
        codes.missing_field,
        Severity::Error,
        format!("the {owner} has no `{field}`"),
        object.opening_span(),
        pointer,
        help,
    )
}

/// The known field `key` was most likely meant to be: the same name up to case and `-`/`_`,
/// else the closest by edit distance.
pub fn closest_field<'known>(key: &str, known: &[&'known str]) -> Option<&'known str> {
    let normalized = key.replace('-', "_").to_ascii_lowercase();
    known
        .iter()
        .find(|candidate| candidate.replace('-', "_").to_ascii_lowercase() == normalized)
        .copied()
        .or_else(|| iamlab_model::suggest::closest(key, known.iter().copied()))
}

/// "unknown rule field `expresion`" with "did you mean `expression`?", or the list of fields.
pub fn unknown_field(
    codes: &SchemaCodes,
    member: &JsonMember,
    pointer: &str,
    owner: &str,
    known: &[&str],
) -> Diagnostic {
    let help = match closest_field(&member.key, known) {
        Some(candidate) => format!("did you mean `{candidate}`?"),
        None => {
            let names: Vec<String> = known.iter().filter(|key| **key != "id").map(|key| format!("`{key}`")).collect();
            format!("a {owner} has {}; the API ignores other fields", names.join(", "))
        }
    };
    finding(
        codes.unknown_field,
        codes.unknown_field_severity,
        format!("unknown {owner} field `{}`", member.key),
        member.key_span,
        pointer,
        help,
    )
}

/// An enum whose values are read from JSON strings, spelled as the provider spells them.
pub trait SchemaEnum: Copy + 'static {
    const VALUES: &'static [(&'static str, Self)];
}

/// Reads a string that must be one of `T`'s spellings (case-sensitive, with a hint when only
/// the case differs).
pub fn read_enum<T: SchemaEnum>(
    codes: &SchemaCodes,
    value: &JsonValue,
    pointer: &str,
    field: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Spanned<T>> {
    let Some(text) = value.as_str() else {
        diagnostics.push(wrong_type(codes, value, pointer, field, "string"));
        return None;
    };
    if let Some((_, parsed)) = T::VALUES.iter().find(|(spelling, _)| *spelling == text) {
        return Some(Spanned::new(*parsed, value.span));
    }
    let quoted: Vec<String> = T::VALUES.iter().map(|(spelling, _)| format!("`{spelling}`")).collect();
    let case_only = T::VALUES.iter().find(|(spelling, _)| spelling.eq_ignore_ascii_case(text.trim()));
    let help = match case_only {
        Some((spelling, _)) => format!("values are case-sensitive: write `{spelling}`"),
        None => format!("use one of {}", quoted.join(", ")),
    };
    diagnostics.push(finding(
        codes.invalid_value,
        Severity::Error,
        format!("`{text}` is not a valid `{field}`"),
        value.span,
        pointer,
        help,
    ));
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODES: SchemaCodes = SchemaCodes {
        wrong_type: "test::wrong-type",
        missing_field: "test::missing-field",
        unknown_field: "test::unknown-field",
        unknown_field_severity: Severity::Warning,
        invalid_value: "test::invalid-value",
    };

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Effect {
        Allow,
        Deny,
    }

    impl SchemaEnum for Effect {
        const VALUES: &'static [(&'static str, Effect)] = &[("allow", Effect::Allow), ("deny", Effect::Deny)];
    }

    fn read(text: &str) -> (Option<Effect>, Vec<(String, Option<String>)>) {
        let parsed = iamlab_model::json::parse_json(text);
        let mut diagnostics = Vec::new();
        let value = parsed.value.unwrap();
        let effect = read_enum::<Effect>(&CODES, &value, "/effect", "effect", &mut diagnostics).map(|s| s.value);
        (effect, diagnostics.into_iter().map(|d| (d.code, d.help)).collect())
    }

    #[test]
    fn enums_read_exact_spellings_and_hint_at_case() {
        assert_eq!(read("\"deny\""), (Some(Effect::Deny), vec![]));
        let (effect, findings) = read("\"Allow\"");
        assert_eq!(effect, None);
        assert_eq!(
            findings,
            vec![("test::invalid-value".to_owned(), Some("values are case-sensitive: write `allow`".to_owned()))]
        );
        let (_, findings) = read("3");
        assert_eq!(findings[0].0, "test::wrong-type");
    }

    #[test]
    fn expected_types_name_the_expectation_and_what_was_found() {
        let value = iamlab_model::json::parse_json("[1]").value.unwrap();
        let diagnostic = expected_type("test::wrong-type", &value, "/Action", "string or array of strings");
        assert_eq!(diagnostic.message, "expected string or array of strings, found array");
        assert_eq!(diagnostic.labels[0].message, "expected string or array of strings");
        assert_eq!(diagnostic.path.as_deref(), Some("/Action"));
    }

    #[test]
    fn unknown_fields_suggest_the_closest_known_one() {
        assert_eq!(
            closest_field("default_service_strategy", &["default-service-strategy", "services"]),
            Some("default-service-strategy")
        );
        assert_eq!(closest_field("expresion", &["action", "expression"]), Some("expression"));
        assert_eq!(closest_field("zzz", &["action", "expression"]), None);
    }
}
