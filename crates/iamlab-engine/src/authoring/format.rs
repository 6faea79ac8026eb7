//! Canonical formatting of a provider's documents: two-space indentation, one member or item
//! per line, and each object's keys in the order the provider documents them (keys it does not
//! document follow, in their original order). Strings and numbers keep their exact text, so
//! formatting never changes a value. `iamlab fmt` and the playground's Format button call this.
//!
//! Key orders and their sources:
//! - Outscale/AWS policy documents: the element order of the IAM JSON policy grammar (`Version`,
//!   `Id`, `Statement`; `Sid`, `Effect`, `Principal`, `Action`, `Resource`, `Condition`).
//! - Exoscale roles: the `update-user-role` request example of the Exoscale API reference
//!   (`name`, `description`, `permissions`, `labels`, `editable`, `policy`), then the fields
//!   only `create-iam-role` lists; policies: `default-service-strategy`, `services`; a service:
//!   `type`, `rules`; a rule: `action`, `expression`, `resources`.
//! - Scaleway policies: the `x-properties-order` of `scaleway.iam.v1alpha1.Policy` (with
//!   `rules` after `organization_id`, where the `CreatePolicy` quickstart writes it) and of
//!   `scaleway.iam.v1alpha1.Rule`.
//! - Requests: the order the provider's request reader documents.

use crate::pipeline::DocumentRole;
use crate::scaleway;
use iamlab_model::json::{parse_json, JsonKind, JsonValue};
use iamlab_model::{Diagnostic, Provider};

/// One step of the path to an object: a member's key, or any item of an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step<'a> {
    Key(&'a str),
    Item,
}

/// A pattern over the end of a path: a literal key, `*` for any key, `[]` for an array item.
/// An empty pattern means the document's root.
struct KeyOrder {
    suffix: &'static [&'static str],
    keys: &'static [&'static str],
}

const AWS_STATEMENT: &[&str] =
    &["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"];

const OUTSCALE_POLICY: &[KeyOrder] = &[
    KeyOrder { suffix: &[], keys: &["Version", "Id", "Statement"] },
    KeyOrder { suffix: &["Statement", "[]"], keys: AWS_STATEMENT },
    KeyOrder { suffix: &["Statement"], keys: AWS_STATEMENT },
];

const EXOSCALE_POLICY_KEYS: &[&str] = &["default-service-strategy", "services"];

const EXOSCALE_POLICY: &[KeyOrder] = &[
    // A role, or a bare policy: a policy's keys follow the role's, so both sort right.
    KeyOrder {
        suffix: &[],
        keys: &[
            "id",
            "name",
            "description",
            "permissions",
            "labels",
            "editable",
            "max-session-ttl",
            "policy",
            "assume-role-policy",
            "default-service-strategy",
            "services",
        ],
    },
    KeyOrder { suffix: &["policy"], keys: EXOSCALE_POLICY_KEYS },
    // `{"rules": [...]}` (egoscale v3 `iam-assume-role-policy`); its rules sort as every rule.
    KeyOrder { suffix: &["assume-role-policy"], keys: &["rules"] },
    KeyOrder { suffix: &["services", "*"], keys: &["type", "rules"] },
    KeyOrder { suffix: &["rules", "[]"], keys: &["action", "expression", "resources"] },
];

// The reader's own lists (`crate::scaleway`), so that the two never disagree. The split form's
// root (`policy`, `rules`, `total_count`) sorts by the policy's keys too, which puts `rules`
// first and the two keys an inline policy does not have after it, in their original order.
const SCALEWAY_POLICY: &[KeyOrder] = &[
    KeyOrder { suffix: &[], keys: &scaleway::POLICY_KEYS },
    KeyOrder { suffix: &["policy"], keys: &scaleway::POLICY_KEYS },
    KeyOrder { suffix: &["rules", "[]"], keys: &scaleway::RULE_KEYS },
];

const OUTSCALE_REQUEST: &[KeyOrder] = &[KeyOrder { suffix: &[], keys: &["action", "resource", "context"] }];

const EXOSCALE_REQUEST: &[KeyOrder] = &[KeyOrder {
    suffix: &[],
    keys: &["operation", "service", "zone", "parameters", "resources", "source_ip", "now", "api_key", "identity"],
}];

const SCALEWAY_REQUEST: &[KeyOrder] = &[
    KeyOrder { suffix: &[], keys: &scaleway::REQUEST_KEYS },
    KeyOrder { suffix: &["context"], keys: &scaleway::CONTEXT_KEYS },
    KeyOrder { suffix: &["resource"], keys: &scaleway::RESOURCE_KEYS },
];

fn key_orders(provider: Provider, role: DocumentRole) -> &'static [KeyOrder] {
    match (provider, role) {
        (Provider::Exoscale, DocumentRole::Request) => EXOSCALE_REQUEST,
        (Provider::Exoscale, _) => EXOSCALE_POLICY,
        (Provider::Scaleway, DocumentRole::Request) => SCALEWAY_REQUEST,
        (Provider::Scaleway, _) => SCALEWAY_POLICY,
        (Provider::Outscale | Provider::Aws, DocumentRole::Request) => OUTSCALE_REQUEST,
        (Provider::Outscale | Provider::Aws, _) => OUTSCALE_POLICY,
    }
}

fn matches(suffix: &[&str], path: &[Step<'_>]) -> bool {
    if suffix.is_empty() {
        return path.is_empty();
    }
    if suffix.len() > path.len() {
        return false;
    }
    let tail = path.iter().skip(path.len() - suffix.len());
    suffix.iter().zip(tail).all(|(pattern, step)| match (*pattern, step) {
        ("[]", Step::Item) => true,
        ("*", Step::Key(_)) => true,
        (key, Step::Key(actual)) => key == *actual,
        _ => false,
    })
}

fn documented_keys(orders: &[KeyOrder], path: &[Step<'_>]) -> &'static [&'static str] {
    orders.iter().find(|order| matches(order.suffix, path)).map_or(&[], |order| order.keys)
}

/// `text` formatted canonically, or the JSON errors that prevent it (a document that does not
/// read is never rewritten: the result would be a guess).
pub fn format_document(provider: Provider, role: DocumentRole, text: &str) -> Result<String, Vec<Diagnostic>> {
    let parsed = parse_json(text);
    let errors: Vec<Diagnostic> = parsed.diagnostics.into_iter().filter(Diagnostic::is_error).collect();
    match parsed.value {
        Some(value) if errors.is_empty() => {
            let mut output = String::with_capacity(text.len() + text.len() / 4);
            let mut path = Vec::new();
            write_value(&mut output, text, &value, key_orders(provider, role), &mut path, 0);
            output.push('\n');
            Ok(output)
        }
        _ => Err(errors),
    }
}

fn new_line(output: &mut String, depth: usize) {
    output.push('\n');
    for _ in 0..depth {
        output.push_str("  ");
    }
}

/// Writes one value. The reader bounds nesting (128 levels), so the recursion is bounded too.
fn write_value<'a>(
    output: &mut String,
    text: &str,
    value: &'a JsonValue,
    orders: &[KeyOrder],
    path: &mut Vec<Step<'a>>,
    depth: usize,
) {
    match &value.kind {
        JsonKind::Object(members) if members.is_empty() => output.push_str("{}"),
        JsonKind::Object(members) => {
            let keys = documented_keys(orders, path);
            let mut ordered: Vec<_> = members.iter().enumerate().collect();
            // Documented keys first, in their order; the others after, as they were.
            iamlab_model::order::sort_by_key(&mut ordered, |(index, member)| {
                (keys.iter().position(|key| *key == member.key).unwrap_or(keys.len()), *index)
            });
            output.push('{');
            for (position, (_, member)) in ordered.into_iter().enumerate() {
                if position > 0 {
                    output.push(',');
                }
                new_line(output, depth + 1);
                output.push_str(member.key_span.slice(text).unwrap_or("\"\""));
                output.push_str(": ");
                path.push(Step::Key(&member.key));
                write_value(output, text, &member.value, orders, path, depth + 1);
                path.pop();
            }
            new_line(output, depth);
            output.push('}');
        }
        JsonKind::Array(items) if items.is_empty() => output.push_str("[]"),
        JsonKind::Array(items) => {
            output.push('[');
            path.push(Step::Item);
            for (position, item) in items.iter().enumerate() {
                if position > 0 {
                    output.push(',');
                }
                new_line(output, depth + 1);
                write_value(output, text, item, orders, path, depth + 1);
            }
            path.pop();
            new_line(output, depth);
            output.push(']');
        }
        // Scalars keep their exact text: escapes, number spellings.
        _ => output.push_str(value.span.slice(text).unwrap_or("null")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(provider: Provider, role: DocumentRole, input: &str, expect: &str) {
        let formatted = format_document(provider, role, input).unwrap();
        assert_eq!(formatted, expect.trim_start());
        // Formatting is idempotent and never changes a value.
        assert_eq!(format_document(provider, role, &formatted).unwrap(), formatted);
        let value = |text: &str| parse_json(text).value.unwrap().to_serde();
        assert_eq!(value(&formatted), value(input));
    }

    #[test]
    fn outscale_statements_follow_the_grammar_order() {
        check(
            Provider::Outscale,
            DocumentRole::Policy,
            r#"{"Statement": [{"Resource": ["*"], "Action": "api:Read*", "Effect": "Allow", "X": 1}], "Version": "2012-10-17"}"#,
            r#"
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "api:Read*",
      "Resource": [
        "*"
      ],
      "X": 1
    }
  ]
}
"#,
        );
    }

    #[test]
    fn exoscale_roles_policies_and_rules_follow_the_api_reference() {
        check(
            Provider::Exoscale,
            DocumentRole::Policy,
            r#"{"policy": {"services": {"dns": {"rules": [{"expression": "a\u0020b", "action": "allow"}], "type": "rules"}}, "default-service-strategy": "deny"}, "name": "r", "labels": {}}"#,
            r#"
{
  "name": "r",
  "labels": {},
  "policy": {
    "default-service-strategy": "deny",
    "services": {
      "dns": {
        "type": "rules",
        "rules": [
          {
            "action": "allow",
            "expression": "a\u0020b"
          }
        ]
      }
    }
  }
}
"#,
        );
    }

    #[test]
    fn scaleway_rules_and_requests() {
        check(
            Provider::Scaleway,
            DocumentRole::Policy,
            r#"{"rules": [{"organization_id": "o", "permission_set_names": ["IAMManager"]}], "name": "p", "application_id": "a"}"#,
            r#"
{
  "name": "p",
  "rules": [
    {
      "permission_set_names": [
        "IAMManager"
      ],
      "organization_id": "o"
    }
  ],
  "application_id": "a"
}
"#,
        );
        check(
            Provider::Scaleway,
            DocumentRole::Request,
            r#"{"context": {"b": 1.50, "a": -0}, "permission_set": "x"}"#,
            "\n{\n  \"permission_set\": \"x\",\n  \"context\": {\n    \"b\": 1.50,\n    \"a\": -0\n  }\n}\n",
        );
    }

    #[test]
    fn scaleway_request_context_and_resource_follow_the_reader() {
        check(
            Provider::Scaleway,
            DocumentRole::Request,
            r#"{"resource": {"locality": "fr-par", "name": "/a"}, "context": {"user_agent": "u", "ip": "203.0.113.7"}, "project_id": "p", "permission_set": "x"}"#,
            r#"
{
  "permission_set": "x",
  "project_id": "p",
  "context": {
    "ip": "203.0.113.7",
    "user_agent": "u"
  },
  "resource": {
    "name": "/a",
    "locality": "fr-par"
  }
}
"#,
        );
        // The split form's policy object sorts as an inline policy does.
        check(
            Provider::Scaleway,
            DocumentRole::Policy,
            r#"{"policy": {"user_id": "u", "name": "p"}, "rules": []}"#,
            "\n{\n  \"rules\": [],\n  \"policy\": {\n    \"name\": \"p\",\n    \"user_id\": \"u\"\n  }\n}\n",
        );
    }

    #[test]
    fn documents_with_json_errors_are_not_rewritten() {
        let errors = format_document(Provider::Aws, DocumentRole::Policy, r#"{"a": 1,}"#).unwrap_err();
        assert_eq!(errors.first().map(|error| error.code.as_str()), Some("json::trailing-comma"));
        assert!(format_document(Provider::Aws, DocumentRole::Policy, r#"{"a": 1, "a": 2}"#).is_err());
    }
}
