//! Lints: the pitfalls found in Scaleway's own documentation (each with its source in
//! `docs/semantics/scaleway.md`, "Lints") and the security smells of a policy.
//!
//! Condition lints read the compiled CEL tree; none of them changes a decision.

use super::catalog::{catalog, supports_resource_conditions, POLICY_WRITING_SETS};
use super::syntax::{Condition, Policy, Principal, Rule, Scope};
use super::Code;
use iamlab_cel::{walk, BinaryOp, Expr, ExprKind, Literal, UnaryOp};
use iamlab_model::{Diagnostic, Span};
use std::net::IpAddr;

/// CEL functions whose lower-case spellings appear in Scaleway's pages (`startswith`).
const CASED_FUNCTIONS: [&str; 16] = [
    "startsWith",
    "endsWith",
    "contains",
    "matches",
    "inIpRange",
    "getHours",
    "getMinutes",
    "getSeconds",
    "getDayOfWeek",
    "getDayOfMonth",
    "getDayOfYear",
    "getDate",
    "getMonth",
    "getFullYear",
    "getMilliseconds",
    "timestamp",
];

const DAY_GETTERS: [&str; 5] = ["getDayOfWeek", "getDayOfMonth", "getDate", "getDayOfYear", "getMonth"];
const HOUR_GETTERS: [&str; 2] = ["getHours", "getMinutes"];
const DURATION_GETTERS: [&str; 4] = ["getHours", "getMinutes", "getSeconds", "getMilliseconds"];

pub fn lint_policy(source: &str, policy: &Policy, diagnostics: &mut Vec<Diagnostic>) {
    if let Some(principal) = &policy.principal {
        if principal.value == Principal::NoPrincipal {
            diagnostics.push(Code::NoPrincipal.at(
                "a policy without principal has no effect until a principal is attached",
                principal.span,
                &format!("{}/no_principal", policy.pointer),
                "attach the policy to a `user_id`, `group_id` or `application_id`",
            ));
        }
    }
    for rule in &policy.rules {
        lint_rule_sets(rule, diagnostics);
        if let Some(condition) = &rule.condition {
            if let Some(ast) = &condition.compiled.ast {
                let context = ConditionContext { source, rule, condition };
                lint_condition(&context, ast, diagnostics);
            }
        }
    }
}

fn lint_rule_sets(rule: &Rule, diagnostics: &mut Vec<Diagnostic>) {
    for (index, set) in rule.permission_sets.iter().enumerate() {
        // Written for findings only: most sets have none, and this runs on every keystroke.
        let set_pointer = || format!("{}/permission_set_names/{index}", rule.pointer);
        if POLICY_WRITING_SETS.contains(&set.value.as_str()) {
            diagnostics.push(Code::PolicyWriter.at(
                format!("holders of `{}` can write policies that give themselves any other permission", set.value),
                set.span,
                &set_pointer(),
                "grant it only to administrators; for read access use `IAMReadOnly`",
            ));
            if let Some(condition) = &rule.condition {
                diagnostics.push(Code::IamLockoutRisk.at(
                    format!(
                        "`{}` depends on the condition `{}`: when it stops holding, the principal can no longer edit this policy to fix it",
                        set.value, condition.text
                    ),
                    set.span,
                    &set_pointer(),
                    "keep an unconditioned IAM-management rule for someone, or rely on the Owner, who is never subject to policies",
                ));
            }
        }
        if set.value == "AllProductsFullAccess" {
            if let Some(scope) = &rule.scope {
                if matches!(scope.value, Scope::Organization(_)) {
                    diagnostics.push(Code::AllProductsOrganizationWide.at(
                        "`AllProductsFullAccess` on `organization_id` gives full access to every resource of every current and future Project",
                        set.span,
                        &set_pointer(),
                        "this is the Editor role; scope it with `project_ids` where the principal needs fewer Projects",
                    ));
                }
            }
        }
    }
}

struct ConditionContext<'input> {
    source: &'input str,
    rule: &'input Rule,
    condition: &'input Condition,
}

impl ConditionContext<'_> {
    /// A finding in the condition; its pointer is written here, for findings only.
    fn finding(&self, code: Code, message: impl Into<String>, span: Span, help: impl Into<String>) -> Diagnostic {
        let pointer = format!("{}/condition", self.rule.pointer);
        code.at(message, self.condition.to_source(self.source, span), &pointer, help)
    }

    fn text(&self, span: Span) -> &str {
        self.condition.text.get(span.range()).unwrap_or_default()
    }
}

/// Whether the node reads the variable written `path` (`request.time`, `resource`): an
/// identifier, or a chain of field selections on one. It compares without building the path:
/// the lints ask this of every node of every condition on every keystroke.
fn path_is(expr: &Expr, path: &str) -> bool {
    match &expr.kind {
        ExprKind::Ident(name) => name == path,
        ExprKind::Select { operand, field, test_only: false, .. } => path
            .strip_suffix(field.as_str())
            .and_then(|parent| parent.strip_suffix('.'))
            .is_some_and(|parent| path_is(operand, parent)),
        _ => false,
    }
}

fn is_comparison(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::Equal
            | BinaryOp::NotEqual
            | BinaryOp::Less
            | BinaryOp::LessEqual
            | BinaryOp::Greater
            | BinaryOp::GreaterEqual
    )
}

fn string_literal(expr: &Expr) -> Option<&str> {
    match &expr.kind {
        ExprKind::Literal(Literal::String(text)) => Some(text),
        _ => None,
    }
}

/// A getter call on `request.time`: its name and zone argument (`None` = UTC).
fn time_getter(expr: &Expr) -> Option<(&str, Option<String>)> {
    let ExprKind::Call { target: Some(target), function, args, .. } = &expr.kind else { return None };
    if !path_is(target, "request.time") {
        return None;
    }
    let zone = match args.as_slice() {
        [] => None,
        [zone] => Some(string_literal(zone)?.to_owned()),
        _ => return None,
    };
    Some((function.as_str(), zone))
}

fn lint_condition(context: &ConditionContext<'_>, ast: &Expr, diagnostics: &mut Vec<Diagnostic>) {
    let mut reads_ip = false;
    let mut reads_resource: Option<Span> = None;
    let mut guards_listing = false;
    let mut ip_literals: Vec<(Span, String)> = Vec::new();
    let mut day_calls: Vec<(Span, String)> = Vec::new();
    let mut hour_calls: Vec<(Span, String)> = Vec::new();
    // The whole `&&` chains, for `lint_never_true`: the `&&` nodes inside a chain hold a subset
    // of its parts, so they are not chains of their own.
    let mut chains: Vec<&Expr> = Vec::new();
    let mut inner_ands: Vec<&Expr> = Vec::new();
    walk(ast, &mut |node| match &node.kind {
        ExprKind::Binary { op: BinaryOp::And, left, right } => {
            if !inner_ands.iter().any(|seen| std::ptr::eq(*seen, node)) {
                chains.push(node);
            }
            for side in [&**left, &**right] {
                if matches!(side.kind, ExprKind::Binary { op: BinaryOp::And, .. }) {
                    inner_ands.push(side);
                }
            }
        }
        ExprKind::Select { operand, test_only, .. } => {
            if !*test_only && path_is(operand, "resource") {
                reads_resource.get_or_insert(node.span);
            }
            if path_is(node, "request.ip") {
                reads_ip = true;
            }
        }
        ExprKind::Unary { op: UnaryOp::Not, operand } => {
            if let ExprKind::Select { operand: inner, test_only: true, .. } = &operand.kind {
                if path_is(inner, "resource") {
                    guards_listing = true;
                }
            }
        }
        ExprKind::Literal(Literal::String(text)) if private_address(text) => {
            ip_literals.push((node.span, text.to_string()));
        }
        ExprKind::Call { target, function, function_span, args } => {
            lint_call(context, node, target.as_deref(), function, *function_span, args, diagnostics);
            if let Some((getter, zone)) = time_getter(node) {
                let zone = zone.unwrap_or_else(|| "UTC".to_owned());
                if DAY_GETTERS.contains(&getter) {
                    day_calls.push((node.span, zone));
                } else if HOUR_GETTERS.contains(&getter) {
                    hour_calls.push((node.span, zone));
                }
            }
        }
        ExprKind::Binary { op, left, right } if is_comparison(*op) => {
            lint_comparison(context, node, left, right, diagnostics);
        }
        _ => {}
    });
    if reads_ip {
        for (span, literal) in ip_literals {
            diagnostics.push(context.finding(
                Code::PrivateIp,
                format!("`{literal}` is a private address: Scaleway supports only public IP addresses in `request.ip`"),
                span,
                "a condition on a private address is never true for calls that reach the API; use the public address of your NAT or gateway",
            ));
        }
    }
    if let Some((day_span, day_zone)) = day_calls.first() {
        if let Some((_, hour_zone)) = hour_calls.iter().find(|(_, zone)| !zone.eq_ignore_ascii_case(day_zone)) {
            diagnostics.push(context.finding(
                Code::MixedTimeZones,
                format!("the day is read in {day_zone} but the hour in {hour_zone}: near midnight they describe different days"),
                *day_span,
                format!("give every getter the same zone, e.g. `{}(\"{hour_zone}\")`", context.text(*day_span).split('(').next().unwrap_or_default().rsplit('.').next().unwrap_or_default()),
            ));
        }
    }
    if let Some(span) = reads_resource {
        lint_resource_condition(context, span, guards_listing, diagnostics);
    }
    lint_never_true(context, &chains, diagnostics);
}

fn lint_call(
    context: &ConditionContext<'_>,
    node: &Expr,
    target: Option<&Expr>,
    function: &str,
    function_span: Span,
    args: &[Expr],
    diagnostics: &mut Vec<Diagnostic>,
) {
    if !CASED_FUNCTIONS.contains(&function) {
        if let Some(right) = CASED_FUNCTIONS.iter().find(|known| known.eq_ignore_ascii_case(function)) {
            diagnostics.push(context.finding(
                Code::MiscasedFunction,
                format!("`{function}` is not a CEL function: names are case-sensitive"),
                function_span,
                format!("write `{right}`"),
            ));
        }
    }
    if let Some((getter, None)) = time_getter(node) {
        if getter == "getHours" {
            diagnostics.push(context.finding(
                Code::HoursInUtc,
                "`getHours()` without a time zone is the hour in UTC",
                node.span,
                "give the zone the hours are meant in, e.g. `request.time.getHours(\"Europe/Paris\")`",
            ));
        }
    }
    if let Some(target) = target {
        let on_duration = match &target.kind {
            ExprKind::Call { target: None, function, .. } => function == "duration",
            ExprKind::Binary { op: BinaryOp::Subtract, left, .. } => {
                path_is(left, "request.time")
                    || matches!(&left.kind, ExprKind::Call { function, .. } if function == "timestamp")
            }
            _ => false,
        };
        if on_duration && DURATION_GETTERS.contains(&function) && args.is_empty() {
            diagnostics.push(context.finding(
                Code::DurationGetterTotal,
                format!("`{function}()` of a duration converts the whole duration (`duration(\"1h30m\").getMinutes()` is 90), not its component"),
                node.span,
                "compare with the total, e.g. `< 90` for an hour and a half",
            ));
        }
    }
}

fn lint_comparison(
    context: &ConditionContext<'_>,
    node: &Expr,
    left: &Expr,
    right: &Expr,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (variable, other) in [(left, right), (right, left)] {
        if path_is(variable, "request.time") {
            if let Some(text) = string_literal(other) {
                diagnostics.push(context.finding(
                    Code::TimeComparedWithString,
                    "`request.time` is a timestamp: comparing it with a string is never true",
                    node.span,
                    format!("convert the string: `timestamp(\"{text}\")`"),
                ));
            }
        }
        if let (Some(("getDayOfMonth", _)), ExprKind::Literal(Literal::Int(day))) = (time_getter(variable), &other.kind)
        {
            diagnostics.push(context.finding(
                Code::DayOfMonthZeroBased,
                format!("`getDayOfMonth()` counts from 0: {day} is day {} of the month", day.saturating_add(1)),
                node.span,
                format!("use `getDate()` for the day of the month counted from 1 (`getDate() == {day}`)"),
            ));
        }
    }
}

fn lint_resource_condition(
    context: &ConditionContext<'_>,
    span: Span,
    guards_listing: bool,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let unsupported: Vec<String> = context
        .rule
        .permission_sets
        .iter()
        .filter(|set| catalog().get(&set.value).is_some_and(|known| !supports_resource_conditions(known)))
        .map(|set| format!("`{}`", set.value))
        .collect();
    if !unsupported.is_empty() {
        diagnostics.push(context.finding(
            Code::ResourceConditionUnsupportedProduct,
            format!(
                "resource-level conditions are supported only by IAM, Key Manager and Secret Manager, not by the products of {}",
                unsupported.join(", ")
            ),
            span,
            "Scaleway does not document what `resource.*` means for other products: keep such conditions on IAM, Key Manager or Secret Manager sets",
        ));
    }
    if !guards_listing {
        diagnostics.push(context.finding(
            Code::ResourceConditionBreaksListing,
            "a `resource.*` condition breaks list calls, which have no single resource",
            span,
            "add `|| !has(resource.id)` to keep listing working",
        ));
    }
}

/// The operands of a chain of `&&`.
fn conjuncts<'e>(expr: &'e Expr, into: &mut Vec<&'e Expr>) {
    let mut stack = vec![expr];
    while let Some(node) = stack.pop() {
        match &node.kind {
            ExprKind::Binary { op: BinaryOp::And, left, right } => {
                stack.push(right);
                stack.push(left);
            }
            _ => into.push(node),
        }
    }
}

/// `x == 'a' && x == 'b'` anywhere a conjunction is visible: `x` cannot be both. `chains` are
/// the condition's whole `&&` chains, in pre-order.
fn lint_never_true(context: &ConditionContext<'_>, chains: &[&Expr], diagnostics: &mut Vec<Diagnostic>) {
    for chain in chains.iter().copied() {
        let mut parts = Vec::new();
        conjuncts(chain, &mut parts);
        // A chain has a handful of parts: a list is cheaper than a map here.
        let mut seen: Vec<(String, String)> = Vec::new();
        for part in parts {
            let ExprKind::Binary { op: BinaryOp::Equal, left, right } = &part.kind else { continue };
            let (subject, literal) = match (&left.kind, &right.kind) {
                (ExprKind::Literal(_), _) => (right, left),
                (_, ExprKind::Literal(_)) => (left, right),
                _ => continue,
            };
            let subject_text = context.text(subject.span).split_whitespace().collect::<String>();
            let literal_text = context.text(literal.span).replace('\'', "\"");
            match seen.iter().find(|(subject, _)| *subject == subject_text) {
                Some((_, previous)) if *previous != literal_text => {
                    diagnostics.push(context.finding(
                        Code::ConditionNeverTrue,
                        format!("`{subject_text}` cannot equal both {previous} and {literal_text}: the condition is never true"),
                        chain.span,
                        "did you mean `||`? Scaleway validates only the syntax of a condition, not whether it can hold",
                    ));
                    return;
                }
                Some(_) => {}
                None => seen.push((subject_text, literal_text)),
            }
        }
    }
}

/// Whether `text` is a private, loopback, link-local or unique-local address or range.
fn private_address(text: &str) -> bool {
    let address = text.split('/').next().unwrap_or(text).trim();
    match address.parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => {
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.octets()[0] == 100 && (64..128).contains(&v4.octets()[1])
        }
        Ok(IpAddr::V6(v6)) => {
            let first = v6.segments()[0];
            v6.is_loopback() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::private_address;

    #[test]
    fn private_addresses_are_the_rfc1918_loopback_link_local_and_shared_ranges() {
        for private in
            ["10.154.3.1", "10.0.0.0/8", "192.168.1.1", "172.16.0.1", "127.0.0.1", "100.64.0.1", "fd00::1", "fe80::1"]
        {
            assert!(private_address(private), "{private}");
        }
        for public in ["203.0.113.7", "51.15.0.0/16", "2001:bc8::1", "terraform/", "172.32.0.1"] {
            assert!(!private_address(public), "{public}");
        }
    }
}
