//! Semantic checks of a read policy: CEL syntax and types of every rule expression (through
//! `iamlab-cel`, Exoscale dialect) and the catalogue checks — unknown service classes,
//! unknown operation names, parameters no reachable operation has, operations of another
//! service class than the rule's.

use super::catalog::{catalog, Catalog, Operation};
use super::codes::Code;
use super::syntax::{AssumeRolePolicy, Expression, Policy, Rule, Service};
use crate::catalog::Evidence;
use iamlab_cel::facts::{Comparison, FieldRead};
use iamlab_model::Diagnostic;

/// How many "did you mean" searches one policy may run: each compares a name with every
/// catalogue entry, and a pasted policy may hold thousands of unknown names.
const SUGGESTION_BUDGET: usize = 64;

/// Runs every semantic check on `policy`.
pub fn check_policy(source: &str, policy: &Policy, diagnostics: &mut Vec<Diagnostic>) {
    let catalog = catalog();
    let mut suggestions = SUGGESTION_BUDGET;
    for service in &policy.services {
        check_service_class(catalog, service, &mut suggestions, diagnostics);
        // What the rules that name no operation can reach, gathered once per service: sorting
        // every parameter name of the class for each such rule was most of checking a role of
        // 50 rules (560 of 620 µs, native), and this runs on every keystroke.
        let mut class_parameters = None;
        for rule in &service.rules {
            let Some(expression) = check_expression(source, rule, diagnostics) else { continue };
            let context = RuleContext { source, service, rule, expression };
            check_operations(catalog, &context, &mut suggestions, diagnostics);
            check_parameters(catalog, &context, &mut class_parameters, diagnostics);
        }
    }
}

/// Runs the CEL checks of every rule of a role's `assume-role-policy`. The catalogue checks do
/// not apply: no operation is assumed, and which variables these rules see is undocumented.
pub fn check_assume_role_policy(source: &str, policy: &AssumeRolePolicy, diagnostics: &mut Vec<Diagnostic>) {
    for rule in &policy.rules {
        check_expression(source, rule, diagnostics);
    }
}

/// Maps the findings of a rule's expression into the document: the CEL findings, then the
/// places where the rule relies on what Exoscale's own evaluator computes (`DIALECTS.md`).
/// Returns the expression when there is one to check further.
fn check_expression<'rule>(
    source: &str,
    rule: &'rule Rule,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<&'rule Expression> {
    let expression = rule.expression.as_ref()?;
    if expression.text.trim().is_empty() {
        return None;
    }
    let expression_pointer = format!("{}/expression", rule.pointer);
    // The expression was compiled when the document was read: only its findings are mapped into
    // the document here.
    for diagnostic in &expression.compiled().diagnostics {
        diagnostics.push(
            diagnostic.clone().map_spans(|span| expression.span_in(source, span)).with_path(expression_pointer.clone()),
        );
    }
    for note in &expression.compiled().notes {
        diagnostics.push(Code::of_note(note.kind).finding(
            note.message.clone(),
            expression.span_in(source, note.span),
            &expression_pointer,
            note.help.clone(),
        ));
    }
    Some(expression)
}

/// Spends one suggestion from the budget; `None` once it is spent.
fn suggest<'catalog>(budget: &mut usize, search: impl FnOnce() -> Option<&'catalog str>) -> Option<&'catalog str> {
    *budget = budget.checked_sub(1)?;
    search()
}

fn check_service_class(
    catalog: &Catalog,
    service: &Service,
    suggestions: &mut usize,
    diagnostics: &mut Vec<Diagnostic>,
) {
    match catalog.service_class(&service.class) {
        None => {
            let known: Vec<String> = catalog.service_classes.iter().map(|class| format!("`{}`", class.name)).collect();
            let help = match suggest(suggestions, || catalog.closest_service_class(&service.class)) {
                Some(candidate) => format!("did you mean `{candidate}`?"),
                None => format!("known service classes: {}", known.join(", ")),
            };
            diagnostics.push(Code::UnknownServiceClass.finding(
                format!("unknown service class `{}`", service.class),
                service.key_span,
                &service.pointer,
                help,
            ));
        }
        Some(class) if class.evidence == Evidence::Inferred => diagnostics.push(Code::InferredServiceClass.finding(
            format!("service class `{}` is inferred, not documented", service.class),
            service.key_span,
            &service.pointer,
            format!("no Exoscale source confirms this class key: {}", class.description),
        )),
        Some(_) => {}
    }
}

/// One rule expression under check, with where it sits.
struct RuleContext<'input> {
    source: &'input str,
    service: &'input Service,
    rule: &'input Rule,
    expression: &'input Expression,
}

fn check_operations(
    catalog: &Catalog,
    context: &RuleContext<'_>,
    suggestions: &mut usize,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let RuleContext { source, service, rule, expression } = *context;
    let pointer = format!("{}/expression", rule.pointer);
    let class_known = catalog.service_class(&service.class).is_some();
    for literal in expression.facts().comparisons_of("operation") {
        let name = literal.value.as_str();
        let span = expression.span_in(source, literal.span);
        if literal.comparison == Comparison::Prefix {
            if !catalog.operations.iter().any(|operation| operation.name.starts_with(name)) {
                diagnostics.push(Code::UnknownOperation.finding(
                    format!("no known operation starts with `{}`", name),
                    span,
                    &pointer,
                    "operation names are kebab-case API operation ids such as `create-instance`",
                ));
            }
            continue;
        }
        // `list-sos-buckets-usage` is both a legacy name and a v2 operation: v2 wins.
        if catalog.operation(name).is_none() && catalog.is_legacy_operation(name) {
            diagnostics.push(Code::LegacyOperation.finding(
                format!("`{}` is a legacy access-key operation name that role policies never see", name),
                span,
                &pointer,
                "role policies use the S3 operation names (`get-object`, `list-objects`, …) in the `sos` class",
            ));
            continue;
        }
        match catalog.operation(name) {
            None => {
                let help = match suggest(suggestions, || catalog.closest_operation(name)) {
                    Some(candidate) => format!("did you mean `{candidate}`?"),
                    None => "operation names are the API's operation ids, e.g. `create-instance`".to_owned(),
                };
                diagnostics.push(Code::UnknownOperation.finding(
                                        format!("unknown operation `{}`", name),
                    span,
                    &pointer,
                    help,
                ));
            }
            Some(operation) if class_known && operation.service_class != service.class => {
                diagnostics.push(Code::OperationInOtherService.finding(
                                        format!(
                        "operation `{}` belongs to service class `{}`, not `{}`: this rule never sees it",
                        name, operation.service_class, service.class
                    ),
                    span,
                    &pointer,
                    format!(
                        "move the rule to `services.{}` (the class is {} in the catalogue)",
                        operation.service_class,
                        operation.evidence.as_str()
                    ),
                ));
            }
            Some(operation) if operation.evidence == Evidence::Inferred => diagnostics.push(Code::InferredOperationClass.finding(
                                format!(
                    "operation `{}` is in service class `{}` by inference, not documented",
                    name, operation.service_class
                ),
                span,
                &pointer,
                "the catalogue found no Exoscale policy placing this operation; if the rule never matches, its class may differ",
            )),
            Some(_) => {}
        }
    }
}

/// Operations a rule can reach, and their parameters' expression names, sorted, without repeats.
type Reachable<'catalog> = (Vec<&'catalog Operation>, Vec<&'catalog str>);

fn reachable_parameters(operations: Vec<&Operation>) -> Reachable<'_> {
    let mut known: Vec<&str> = operations
        .iter()
        .flat_map(|operation| operation.parameters.iter().map(|parameter| parameter.expression_name()))
        .collect();
    iamlab_model::order::sort(&mut known);
    known.dedup();
    (operations, known)
}

/// `class_parameters` holds what every operation of the service's class reaches once a rule
/// that names no operation needed it.
fn check_parameters<'catalog>(
    catalog: &'catalog Catalog,
    context: &RuleContext<'_>,
    class_parameters: &mut Option<Reachable<'catalog>>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let RuleContext { source, service, rule, expression } = *context;
    let reads: Vec<&FieldRead> = expression.facts().reads_of("parameters").collect();
    if reads.is_empty() {
        return;
    }
    let named: Option<Vec<&Operation>> = expression
        .facts()
        .named_values("operation")
        .map(|names| names.into_iter().filter_map(|name| catalog.operation(name)).collect::<Vec<_>>())
        .filter(|operations| !operations.is_empty());
    let named = named.map(reachable_parameters);
    let (reachable, known) = match &named {
        Some(named) => named,
        None => class_parameters.get_or_insert_with(|| {
            let class = &service.class;
            reachable_parameters(
                catalog.operations.iter().filter(|operation| operation.service_class == *class).collect(),
            )
        }),
    };
    if reachable.is_empty() {
        // An unknown class or one without catalogued operations (`compute-legacy`): nothing to
        // compare with.
        return;
    }
    let pointer = format!("{}/expression", rule.pointer);
    // A rule reads a handful of fields: a vector, not a hash set of its own type in the wasm.
    let mut reported: Vec<&str> = Vec::new();
    for read in reads {
        if known.binary_search(&read.field.key.as_str()).is_ok() || reported.contains(&read.field.key.as_str()) {
            continue;
        }
        reported.push(&read.field.key);
        let message = match reachable.as_slice() {
            [only] => format!("operation `{}` has no parameter `{}`", only.name, read.field.key),
            _ => {
                format!("no operation this rule can reach in `{}` has a parameter `{}`", service.class, read.field.key)
            }
        };
        let help = if read.field.key.contains('-') {
            format!(
                "expressions write parameter names with underscores: `parameters.{}`",
                read.field.key.replace('-', "_")
            )
        } else if known.len() <= 12 {
            let listed: Vec<String> = known.iter().map(|name| format!("`{name}`")).collect();
            format!("known parameters: {}", listed.join(", "))
        } else {
            "parameter names are the API's body, path and query names with `-` written `_`".to_owned()
        };
        diagnostics.push(Code::UnknownParameter.finding(
            message,
            expression.span_in(source, read.span),
            &pointer,
            help,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exoscale::test_support::{fixture, render_diagnostics};
    use crate::exoscale::{Exoscale, Options};
    use crate::pipeline::{DocumentId, DocumentRole, ProviderEngine, Source};

    /// Reads `input` as a policy and renders the semantic checks' findings only.
    #[track_caller]
    fn check(input: &str, expect: &str) {
        let text = fixture(input);
        let source = Source { id: DocumentId(0), role: DocumentRole::Policy, text };
        let document = Exoscale::read(&source, &Options).tree.unwrap();
        let mut diagnostics = Vec::new();
        if let Some(policy) = &document.policy {
            check_policy(text, policy, &mut diagnostics);
        }
        if let Some(policy) = &document.assume_role_policy {
            check_assume_role_policy(text, policy, &mut diagnostics);
        }
        assert_eq!(render_diagnostics(text, &diagnostics), fixture(expect));
    }

    #[test]
    fn cel_findings_are_mapped_into_the_json_string_and_facts_survive_syntax_errors() {
        check(
            r#"
{"default-service-strategy": "deny", "services": {"compute": {"type": "rules", "rules": [
  {"action": "allow", "expression": "parameters.type = \"TXT\" && zon == 'a'"}
]}}}
"#,
            r#"
cel::assignment /services/compute/rules/0/expression `=`: `=` is not an operator
  help: did you mean `==`?
exoscale::unknown-parameter /services/compute/rules/0/expression `parameters.type`: no operation this rule can reach in `compute` has a parameter `type`
  help: parameter names are the API's body, path and query names with `-` written `_`
"#,
        );
        check(
            r#"
{"default-service-strategy": "deny", "services": {"compute": {"type": "rules", "rules": [
  {"action": "allow", "expression": "zon == \"a\""}
]}}}
"#,
            r#"
cel::unknown-variable /services/compute/rules/0/expression `zon`: unknown variable `zon`
  help: did you mean `zone`?
"#,
        );
    }

    #[test]
    fn assume_role_policy_rules_get_the_cel_checks_only() {
        check(
            r#"
{"name": "ci", "policy": {"default-service-strategy": "deny", "services": {}},
 "assume-role-policy": {"rules": [{"action": "allow", "expression": "operation = 'x' || parameters.nothing == 1"}]}}
"#,
            r#"
cel::assignment /assume-role-policy/rules/0/expression `=`: `=` is not an operator
  help: did you mean `==`?
"#,
        );
    }

    #[test]
    fn rules_that_rely_on_the_java_evaluator() {
        check(
            r#"
{"default-service-strategy": "deny", "services": {"compute": {"type": "rules", "rules": [
  {"action": "allow", "expression": "parameters.name.matches('(web)-\\\\1') && timestamp(now) < timestamp('2027-01-01')"},
  {"action": "deny", "expression": "timestamp(now).getHours('CEST') > 18 || bool(parameters.flag) || timestamp(now) - timestamp('2026-01-01T00:00:00Z') > duration('1h')"}
]}}}
"#,
            r#"
exoscale::java-regex /services/compute/rules/0/expression `'(web)-\\\\1'`: the backreference `\1` works in Exoscale's Java regex, not in iamlab
  help: iamlab evaluates RE2 syntax, so the simulation fails on this rule where Exoscale may match; rewrite the pattern without it if you can
exoscale::timestamp-format /services/compute/rules/0/expression `'2027-01-01'`: `2027-01-01` is read as 2027-01-01T00:00:00Z by Exoscale's evaluator and rejected by standard CEL
  help: Clojure's `read-instant-timestamp` accepts partial timestamps; write `2027-01-01T00:00:00Z` so that the rule means the same everywhere
exoscale::unknown-time-zone /services/compute/rules/1/expression `'CEST'`: time zone `CEST` is unknown to Java: Exoscale's evaluator uses GMT instead, without an error
  help: use a tz database name such as `Europe/Zurich`, `UTC`, or an offset such as `GMT+02:00`
exoscale::parse-boolean /services/compute/rules/1/expression `bool(parameters.flag)`: `bool()` is Java's `Boolean.parseBoolean` on Exoscale: `true` in any case is true, every other string is false, never an error
  help: standard CEL accepts `1`, `t`, `True`… and rejects other strings; compare the string itself, e.g. `x == 'true'`, to mean the same everywhere
exoscale::swapped-subtraction /services/compute/rules/1/expression `timestamp(now) - timestamp('2026-01-01T0…`: this subtraction is computed by Exoscale with the operands swapped: `a - b` of two timestamps is `b - a` there
  help: exoscale/cel-parser computes `Duration.between(a, b)`; compare the timestamps instead (`a > b + duration('1h')`), which means the same everywhere
exoscale::unknown-parameter /services/compute/rules/1/expression `parameters.flag`: no operation this rule can reach in `compute` has a parameter `flag`
  help: parameter names are the API's body, path and query names with `-` written `_`
"#,
        );
    }

    #[test]
    fn service_classes_against_the_catalogue() {
        check(
            r#"
{"default-service-strategy": "deny", "services": {"compte": {"type": "allow"}, "ai": {"type": "deny"}, "kms": {"type": "deny"}}}
"#,
            r#"
exoscale::unknown-service-class /services/compte `"compte"`: unknown service class `compte`
  help: did you mean `compute`?
exoscale::inferred-service-class /services/ai `"ai"`: service class `ai` is inferred, not documented
  help: no Exoscale source confirms this class key: GUESS: AI / Dedicated Inference (deployments, models, AI API keys). Class key not confirmed; alternatives "dedicated-inference" or "compute".
"#,
        );
    }

    #[test]
    fn operations_against_the_catalogue() {
        check(
            r#"
{"default-service-strategy": "deny", "services": {"compute": {"type": "rules", "rules": [
  {"action": "deny", "expression": "operation == 'create-instanse' || operation.startsWith('zzz-')"},
  {"action": "deny", "expression": "operation in ['get-sos-object', 'create-dns-domain', 'create-vpc']"}
]}}}
"#,
            r#"
exoscale::unknown-operation /services/compute/rules/0/expression `'create-instanse'`: unknown operation `create-instanse`
  help: did you mean `create-instance`?
exoscale::unknown-operation /services/compute/rules/0/expression `'zzz-'`: no known operation starts with `zzz-`
  help: operation names are kebab-case API operation ids such as `create-instance`
exoscale::legacy-operation /services/compute/rules/1/expression `'get-sos-object'`: `get-sos-object` is a legacy access-key operation name that role policies never see
  help: role policies use the S3 operation names (`get-object`, `list-objects`, …) in the `sos` class
exoscale::operation-in-other-service /services/compute/rules/1/expression `'create-dns-domain'`: operation `create-dns-domain` belongs to service class `dns`, not `compute`: this rule never sees it
  help: move the rule to `services.dns` (the class is inferred in the catalogue)
exoscale::inferred-operation-class /services/compute/rules/1/expression `'create-vpc'`: operation `create-vpc` is in service class `compute` by inference, not documented
  help: the catalogue found no Exoscale policy placing this operation; if the rule never matches, its class may differ
"#,
        );
    }

    #[test]
    fn parameters_of_the_operations_a_rule_can_reach() {
        check(
            r#"
{"default-service-strategy": "deny", "services": {"compute": {"type": "rules", "rules": [
  {"action": "deny", "expression": "operation == 'create-instance' && parameters.public_ip == 'none'"},
  {"action": "deny", "expression": "operation == 'create-instance' && parameters['public-ip-assignment'] == 'none'"},
  {"action": "allow", "expression": "parameters.public_ip_assignment == 'none'"}
]}}}
"#,
            r#"
exoscale::unknown-parameter /services/compute/rules/0/expression `parameters.public_ip`: operation `create-instance` has no parameter `public_ip`
  help: parameter names are the API's body, path and query names with `-` written `_`
exoscale::unknown-parameter /services/compute/rules/1/expression `parameters['public-ip-assignment']`: operation `create-instance` has no parameter `public-ip-assignment`
  help: expressions write parameter names with underscores: `parameters.public_ip_assignment`
"#,
        );
    }
}
