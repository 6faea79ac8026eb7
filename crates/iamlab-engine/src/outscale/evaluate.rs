//! The evaluation phase: a request against parsed policies → a [`Decision`] that names the
//! deciding statements and explains every other one (docs/semantics/aws.md, "Decision").

use super::aws_catalog::{AwsAction, AwsCatalog, AwsService};
use super::catalog;
use super::conditions::evaluate_entry;
use super::pattern::{arn_glob_matches, arn_matches, glob_matches, glob_matches_ignoring_case, Pattern};
use super::request::{Context, Request};
use super::tree::{Element, Item, Policy, Statement, StatementEffect};
use super::Profile;
use crate::pipeline::Detail;
use iamlab_model::{
    Decision, DecisiveEntry, DocumentId, Effect, ExplanationStep, Locator, NearestMiss, StepOutcome, TraceEntry,
};

/// A parsed policy with the document it was read from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DocumentPolicy<'policy> {
    pub document: DocumentId,
    pub policy: &'policy Policy,
}

struct StatementOutcome {
    applies: bool,
    reason: String,
    trace: Vec<TraceEntry>,
    /// The `Action`/`Resource` parts that kept it from applying, with the reason of the first
    /// (explained only): with the false condition entries of the trace, the failing parts the
    /// nearest miss counts.
    misses: Misses,
}

#[derive(Default)]
struct Misses {
    count: usize,
    first: Option<String>,
}

impl Misses {
    fn record(&mut self, part: &str) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some(part.to_owned());
        }
    }
}

/// What the AWS action catalogue says of the requested action, for the `aws` profile.
#[derive(Clone, Copy)]
enum Catalogued<'catalog> {
    /// Not the `aws` profile.
    NotApplicable,
    /// The `aws` profile without its catalogue (the playground could not fetch it).
    NotLoaded,
    Unknown(&'catalog AwsCatalog),
    Known(&'catalog AwsCatalog, &'catalog AwsService, &'catalog AwsAction),
}

impl<'catalog> Catalogued<'catalog> {
    fn of(profile: Profile, catalog: Option<&'catalog AwsCatalog>, action: &str) -> Catalogued<'catalog> {
        match (profile, catalog) {
            (Profile::Outscale, _) => Catalogued::NotApplicable,
            (Profile::Aws, None) => Catalogued::NotLoaded,
            (Profile::Aws, Some(catalog)) => match catalog.action(action) {
                Some((service, known)) => Catalogued::Known(catalog, service, known),
                None => Catalogued::Unknown(catalog),
            },
        }
    }

    fn catalog(self) -> Option<&'catalog AwsCatalog> {
        match self {
            Catalogued::Unknown(catalog) | Catalogued::Known(catalog, _, _) => Some(catalog),
            Catalogued::NotApplicable | Catalogued::NotLoaded => None,
        }
    }

    /// A request on `*` for an action without resource types: only `*` itself is asked for.
    fn wildcard_only(self) -> bool {
        matches!(self, Catalogued::Known(_, _, action) if action.is_wildcard_only())
    }
}

/// Explicit deny in any document wins, else any allow, else the implicit deny. `catalog` is the
/// AWS action catalogue when the `aws` profile has it. At [`Detail::DecisionOnly`] the steps
/// carry their locator and outcome but no reason and no per-condition trace, and there are no
/// notes: nothing is written that only a reader of the explanation would read. At
/// [`Detail::Explained`] the nearest miss of a denied request is marked here, on the statements
/// already read (`nearest_miss::annotate` would read the documents again).
pub fn evaluate(
    profile: Profile,
    detail: Detail,
    catalog: Option<&AwsCatalog>,
    policies: &[DocumentPolicy<'_>],
    request: &Request,
) -> Decision {
    let explain = detail == Detail::Explained;
    let catalogued = Catalogued::of(profile, catalog, &request.action);
    let mut explanation = Vec::new();
    let mut allows = Vec::new();
    let mut denies = Vec::new();
    let mut conditions_applied = false;
    let mut resources_ignored = false;
    // The steps of allow statements that did not apply, for the nearest miss, and how many
    // steps did not apply (`nearest_miss::annotate` measures among the first of those only).
    let mut candidates = Vec::new();
    let mut not_matched = 0usize;
    for named in policies {
        for statement in &named.policy.statements {
            let Some(effect) = statement.effect.as_ref().map(|effect| effect.value) else {
                continue;
            };
            let outcome = evaluate_statement(profile, explain, catalogued, effect, statement, request);
            let locator = Locator::element(named.document, named.policy.element_name(statement))
                .with_index(u32::try_from(statement.index).ok())
                .with_sid(statement.sid.as_ref().map(|sid| sid.value.clone()))
                .with_span(Some(statement.span));
            if outcome.applies {
                let reason = match effect {
                    StatementEffect::Deny => format!(
                        "explicitly denies `{}` on `{}`: an explicit deny overrides every allow",
                        request.action, request.resource
                    ),
                    StatementEffect::Allow => format!("allows `{}` on `{}`", request.action, request.resource),
                };
                let entry = DecisiveEntry::new(locator.clone(), reason);
                match effect {
                    StatementEffect::Deny => denies.push(entry),
                    StatementEffect::Allow => allows.push(entry),
                }
            } else {
                if explain && effect == StatementEffect::Allow && not_matched < MAX_MISS_CANDIDATES {
                    candidates.push((explanation.len(), outcome.misses));
                }
                not_matched += 1;
            }
            let step_outcome = if outcome.applies { StepOutcome::Matched } else { StepOutcome::NotMatched };
            explanation.push(ExplanationStep::step(locator, step_outcome, outcome.reason).with_trace(outcome.trace));
            if profile == Profile::Outscale && explain {
                conditions_applied |= !statement.conditions.is_empty();
                resources_ignored |= statement.resources.as_ref().is_some_and(|resources| {
                    resources.negated() || resources.items.iter().any(|item| item.text != "*")
                });
            }
        }
    }
    let mut notes = Vec::new();
    if explain {
        notes.extend(catalogue_note(catalogued, request));
    }
    if conditions_applied {
        notes.push(
            "Condition was applied although EIM does not document it: the AWS rules were used, and OUTSCALE may \
             ignore or reject it"
                .to_owned(),
        );
    }
    if resources_ignored {
        notes.push(
            "Resource and NotResource were ignored: EIM does not support resource-level restrictions, policies apply \
             to all resources"
                .to_owned(),
        );
    }
    let (effect, decisive) = if profile == Profile::Aws && request.action.eq_ignore_ascii_case("sts:GetCallerIdentity")
    {
        // AWS STS API reference, GetCallerIdentity: "No permissions are required to perform this
        // operation. If an administrator attaches a policy to your identity that explicitly denies
        // access to the sts:GetCallerIdentity action, you can still perform this operation."
        let reason = "AWS STS answers GetCallerIdentity without any permission, even when a policy denies it";
        if explain {
            notes.push(reason.to_owned());
        }
        let locator = Locator { element: "sts:GetCallerIdentity".to_owned(), ..Locator::default() };
        let entry = DecisiveEntry::new(locator, reason);
        (Effect::Allow, vec![entry])
    } else if !denies.is_empty() {
        (Effect::ExplicitDeny, denies)
    } else if !allows.is_empty() {
        (Effect::Allow, allows)
    } else {
        if explain {
            notes.push(format!(
                "no statement allows `{}` on `{}`: the request is implicitly denied",
                request.action, request.resource
            ));
        }
        (Effect::ImplicitDeny, Vec::new())
    };
    if explain {
        if profile == Profile::Outscale && request.action.split_once(':').is_some_and(|(prefix, _)| prefix == "icu") {
            // OUTSCALE QA `test_create_policy.py` (T4573 l.86 and every other test): whatever the policy.
            notes.push(
                "ICU answers every EIM user with 400 NotImplemented \"IAM authentication is not supported for ICU.\", \
                 whatever the policy allows"
                    .to_owned(),
            );
        }
        if profile == Profile::Outscale && effect != Effect::Allow {
            let user = request.context.single_value("aws:username").unwrap_or("<user>");
            notes.extend(catalog::denial_answer(&request.action, user));
        }
    }
    explanation.extend(notes.into_iter().map(|reason| ExplanationStep::note(None, "", reason)));
    let mut decision = Decision { effect, decisive, explanation };
    if explain && effect != Effect::Allow {
        mark_nearest_miss(&mut decision, candidates);
    }
    decision
}

/// How many steps that did not apply the nearest miss looks at, as `nearest_miss::annotate`
/// does for the other providers: a policy of thousands of statements must not make every
/// keystroke measure thousands.
const MAX_MISS_CANDIDATES: usize = 500;

/// Marks, among `candidates` (the steps of allow statements that did not apply, in order, with
/// their missed `Action`/`Resource` parts), the first with the fewest failing parts: each false
/// condition entry and each missed element is one, and when only one fails, the change is what
/// it says ("action … did not match …", or "`StringEquals aws:username` is false").
fn mark_nearest_miss(decision: &mut Decision, candidates: Vec<(usize, Misses)>) {
    let mut best: Option<(usize, NearestMiss)> = None;
    for (index, misses) in candidates {
        let Some(step) = decision.explanation.get(index) else { continue };
        let failing: Vec<TraceEntry> = step.trace.iter().filter(|entry| entry.value == "false").cloned().collect();
        let count = failing.len() + misses.count;
        let change = (count == 1).then(|| match misses.first {
            Some(part) => part,
            None => failing.first().map(|entry| format!("`{}` is false", entry.text)).unwrap_or_default(),
        });
        let miss = NearestMiss { failing_parts: u32::try_from(count.max(1)).unwrap_or(u32::MAX), failing, change };
        if best.as_ref().is_none_or(|(_, closest)| miss.failing_parts < closest.failing_parts) {
            best = Some((index, miss));
        }
    }
    if let Some((index, miss)) = best {
        if let Some(step) = decision.explanation.get_mut(index) {
            step.nearest_miss = Some(miss);
        }
    }
}

/// How many resource types a note names before it counts the rest.
const NAMED_RESOURCE_TYPES: usize = 5;

/// What the AWS action catalogue made of the request, or that it is missing
/// (docs/semantics/aws.md, "The action catalogue").
fn catalogue_note(catalogued: Catalogued<'_>, request: &Request) -> Option<String> {
    let action = &request.action;
    match catalogued {
        Catalogued::NotApplicable => None,
        Catalogued::NotLoaded => Some(
            "the AWS action catalogue is not loaded: wildcard-only actions are not recognised, and a request on `*` \
             asks whether the action is allowed on some resource"
                .to_owned(),
        ),
        Catalogued::Unknown(_) => Some(format!(
            "`{action}` is not in the AWS action catalogue{}",
            if request.resource == "*" {
                ": the request on `*` asks whether it is allowed on some resource"
            } else {
                ""
            }
        )),
        Catalogued::Known(_, service, known) if known.is_wildcard_only() && request.resource == "*" => Some(format!(
            "`{}:{}` supports no resource type (AWS Service Authorization Reference): it is requested on `*`, and \
             only statements whose resources match `*` itself apply",
            service.prefix, known.name
        )),
        Catalogued::Known(_, service, known) if request.resource == "*" => {
            // A few names are enough to say which (`ec2:CreateTags` takes over a hundred).
            let mut types: Vec<String> = service
                .resource_types_of(known)
                .take(NAMED_RESOURCE_TYPES)
                .map(|resource_type| format!("`{}`", resource_type.name))
                .collect();
            let more = service.resource_types_of(known).count().saturating_sub(NAMED_RESOURCE_TYPES);
            if more > 0 {
                types.push(format!("and {more} more"));
            }
            Some(format!(
                "`{}:{}` takes resource types ({}): the request names no resource, so it asks whether the action is \
                 allowed on some resource",
                service.prefix,
                known.name,
                types.join(", ")
            ))
        }
        Catalogued::Known(..) => None,
    }
}

/// Decides one statement; with `explain`, says why in its reason and traces each condition
/// entry. Without it, a part is only looked at while the statement can still apply.
fn evaluate_statement(
    profile: Profile,
    explain: bool,
    catalogued: Catalogued<'_>,
    effect: StatementEffect,
    statement: &Statement,
    request: &Request,
) -> StatementOutcome {
    let mut reasons = Reasons::new(effect, explain);
    let mut misses = Misses::default();
    let mut applies = true;
    if let Some(actions) = &statement.actions {
        let (matched, item) = element_applies(actions, |item| action_matches(profile, &item.text, &request.action));
        applies &= matched;
        if explain {
            let reason = element_reason(actions, "action", &request.action, None, item);
            if !matched {
                misses.record(&reason);
            }
            reasons.push(reason);
            if let Some(catalog) = catalogued.catalog() {
                if let Some(expansion) = wildcard_expansion(catalog, actions, item) {
                    reasons.push(expansion);
                }
            }
            if profile == Profile::Outscale && !actions.negated() && !matched {
                if let Some(hint) = outscale_near_miss(actions, &request.action) {
                    reasons.push(hint);
                }
            }
        }
    }
    match (&statement.resources, profile) {
        _ if !applies && !explain => {}
        (Some(resources), Profile::Aws) if request.resource == "*" && catalogued.wildcard_only() => {
            // A wildcard-only action is requested on `*` itself: `arn:…` patterns do not cover it.
            let context = &request.context;
            let (matched, item) = element_applies(resources, |item| resource_matches(item, context, "*"));
            applies &= matched;
            if explain {
                let reason = element_reason(resources, "resource", "*", Some(context), item);
                let reason = format!("{reason} (a wildcard-only action is requested on `*` itself)");
                if !matched {
                    misses.record(&reason);
                }
                reasons.push(reason);
            }
        }
        (Some(resources), Profile::Aws) if request.resource == "*" => {
            let (matched, reason) = any_resource_outcome(statement, resources, explain);
            applies &= matched;
            reasons.push(reason);
        }
        (Some(resources), Profile::Aws) => {
            // A variable without value matches nothing; `describe` says which one.
            let (context, resource) = (&request.context, request.resource.as_str());
            let (matched, item) = element_applies(resources, |item| resource_matches(item, context, resource));
            applies &= matched;
            if explain {
                let reason = element_reason(resources, "resource", resource, Some(context), item);
                if !matched {
                    misses.record(&reason);
                }
                reasons.push(reason);
            }
        }
        (Some(_), Profile::Outscale) => {
            reasons.push("resource ignored (EIM policies apply to all resources)");
        }
        (None, _) => {}
    }
    let mut trace = Vec::new();
    let mut first_false = None;
    'blocks: for block in &statement.conditions {
        for entry in &block.entries {
            if !applies && !explain {
                break 'blocks;
            }
            let (operator, text) = (&block.operator, &block.operator_text);
            let mut outcome = evaluate_entry(operator, text, &entry.key, &entry.values, &request.context, explain);
            if explain {
                trace.push(TraceEntry {
                    span: Some(entry.key_span.cover(entry.value_span)),
                    text: format!("{} {}", block.operator_text, entry.key),
                    value: outcome.value.to_string(),
                });
            }
            if !outcome.value && first_false.is_none() {
                first_false = Some(std::mem::take(&mut outcome.reason));
            }
        }
    }
    if !statement.conditions.is_empty() {
        match first_false {
            Some(reason) => {
                applies = false;
                reasons.push(reason);
            }
            None => reasons.push("every condition is true"),
        }
    }
    StatementOutcome { applies, reason: reasons.text, trace, misses }
}

/// Whether a `Resource` item covers `resource`: a plain one as written (nothing is built), one
/// with variables once they are substituted (one without value matches nothing).
fn resource_matches(item: &Item, context: &Context, resource: &str) -> bool {
    if item.template.pieces.is_empty() {
        return arn_glob_matches(&item.text, resource);
    }
    item.resolve_pattern(context).is_ok_and(|pattern| arn_matches(&pattern, resource))
}

/// A statement's step reason, "Allow statement: " and its parts joined by "; ", written into
/// one string as they come (no list of parts to join, no copy into a prefixed string). Without
/// `explain` nothing is written.
struct Reasons {
    text: String,
    parts: usize,
    explain: bool,
}

impl Reasons {
    fn new(effect: StatementEffect, explain: bool) -> Reasons {
        if !explain {
            return Reasons { text: String::new(), parts: 0, explain };
        }
        let mut text = String::with_capacity(160);
        text.push_str(effect.as_str());
        text.push_str(" statement: ");
        Reasons { text, parts: 0, explain }
    }

    fn push(&mut self, part: impl AsRef<str>) {
        if !self.explain {
            return;
        }
        if self.parts > 0 {
            self.text.push_str("; ");
        }
        self.text.push_str(part.as_ref());
        self.parts += 1;
    }
}

/// "`s3:Get*` grants 47 actions": how many catalogued actions the pattern that matched
/// (`matched`, the element's first matching item) stands for.
fn wildcard_expansion(catalog: &AwsCatalog, actions: &Element, matched: Option<&Item>) -> Option<String> {
    if actions.negated() {
        return None;
    }
    let item = matched?;
    if !item.text.contains(['*', '?']) {
        return None;
    }
    let count = catalog.expansion_count(&item.text);
    let noun = if count == 1 { "action" } else { "actions" };
    Some(format!("`{}` grants {count} catalogued {noun}", item.text))
}

/// Whether an `Action`/`Resource` element (or its `Not` form) lets the statement apply, and
/// the first item that `matches`.
fn element_applies(element: &Element, mut matches: impl FnMut(&Item) -> bool) -> (bool, Option<&Item>) {
    let matched = element.items.iter().find(|item| matches(item));
    (matched.is_some() != element.negated(), matched)
}

/// Why `value` did or did not match the element, `matched` being its first matching item.
fn element_reason(
    element: &Element,
    noun: &str,
    value: &str,
    context: Option<&Context>,
    matched: Option<&Item>,
) -> String {
    // Written straight into one string: no string per described item.
    let mut reason = String::with_capacity(96);
    let listed = |reason: &mut String| {
        for (index, item) in element.items.iter().enumerate() {
            if index > 0 {
                reason.push_str(", ");
            }
            describe_into(reason, item, context);
        }
    };
    reason.push_str(noun);
    reason.push_str(" `");
    reason.push_str(value);
    match (element.negated(), matched) {
        (false, Some(item)) => {
            reason.push_str("` matched ");
            describe_into(&mut reason, item, context);
        }
        (false, None) => {
            reason.push_str("` did not match ");
            if element.items.len() != 1 {
                reason.push_str("any of ");
            }
            listed(&mut reason);
        }
        (true, Some(item)) => {
            reason.push_str("` is excluded by ");
            reason.push_str(element.name());
            reason.push(' ');
            describe_into(&mut reason, item, context);
        }
        (true, None) => {
            reason.push_str("` is not in ");
            reason.push_str(element.name());
            reason.push(' ');
            listed(&mut reason);
        }
    }
    reason
}

/// A request without a resource (`*`) asks whether the action is allowed on some resource,
/// as iam-simulate reads it: an `Allow` on specific resources applies, a `Deny` applies only
/// when it covers every resource (`Resource: "*"`); `NotResource` excludes the request only when
/// it lists `*`, and a `Deny` with `NotResource` never covers every resource. The reason is
/// written only with `explain`.
fn any_resource_outcome(statement: &Statement, resources: &Element, explain: bool) -> (bool, String) {
    let all = resources.items.iter().any(|item| item.text == "*");
    let allow = statement.allows();
    let applies = match (resources.negated(), all) {
        (false, true) => true,
        (false, false) | (true, false) => allow,
        (true, true) => false,
    };
    if !explain {
        return (applies, String::new());
    }
    let listed = resources.items.iter().map(|item| format!("`{}`", item.text)).collect::<Vec<_>>().join(", ");
    let reason = match (resources.negated(), all, allow) {
        (false, true, _) => "resource `*` matched `*`".to_owned(),
        (false, false, true) => {
            format!("the request names no resource (`*`) and this Allow covers some resources ({listed})")
        }
        (false, false, false) => {
            format!("the request names no resource (`*`) and this Deny covers only some resources ({listed})")
        }
        (true, true, _) => "the request names no resource (`*`), which NotResource `*` excludes".to_owned(),
        (true, false, true) => format!("the request names no resource (`*`) and NotResource excludes only {listed}"),
        (true, false, false) => {
            format!("the request names no resource (`*`) and this Deny does not cover {listed}, so not every resource")
        }
    };
    (applies, reason)
}

/// A pattern as written, followed by its value after variable substitution when it has any.
fn describe_into(out: &mut String, item: &Item, context: Option<&Context>) {
    match context {
        Some(context) if item.template.has_variables() => match item.resolve_pattern(context) {
            Ok(pattern) => out.push_str(&format!("`{}` (`{}` in this request)", item.text, pattern.display())),
            Err(unresolved) => out.push_str(&format!("`{}` (`${{{}}}` has no value)", item.text, unresolved.key)),
        },
        _ => {
            out.push('`');
            out.push_str(&item.text);
            out.push('`');
        }
    }
}

/// Why an EIM action pattern that looks right did not match: EIM is case sensitive, and `fcu:`
/// is not its FCU prefix (docs/semantics/outscale.md, "Actions").
fn outscale_near_miss(actions: &Element, action: &str) -> Option<String> {
    actions.items.iter().find_map(|item| {
        if Pattern::glob(&item.text).matches_ignoring_case(action) {
            return Some(format!("`{}` differs only in case, and EIM is case sensitive", item.text));
        }
        let (service, name) = item.text.split_once(':')?;
        let fcu = service.eq_ignore_ascii_case("fcu") || service.eq_ignore_ascii_case("fcuext");
        (fcu && action_matches(Profile::Outscale, &format!("ec2:{name}"), action))
            .then(|| format!("`{}` would match as `ec2:{name}`: `{service}:` is not an EIM prefix", item.text))
    })
}

/// Action matching per profile (docs/semantics/aws.md, "Matching actions and resources"; outscale.md, "Actions").
pub fn action_matches(profile: Profile, pattern: &str, action: &str) -> bool {
    match profile {
        // EIM: case sensitive, and `*` may stand in the service part (`*:Read*`).
        Profile::Outscale => glob_matches(pattern, action),
        // AWS: case insensitive; the service part must be written out (only `*` alone is all).
        Profile::Aws => {
            if pattern == "*" {
                return true;
            }
            let (Some((pattern_service, pattern_name)), Some((service, name))) =
                (pattern.split_once(':'), action.split_once(':'))
            else {
                return false;
            };
            !pattern_service.contains(['*', '?'])
                && pattern_service.eq_ignore_ascii_case(service)
                && glob_matches_ignoring_case(pattern_name, name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_rendered, read};
    use super::*;
    use crate::outscale::request::read_request;

    /// Evaluates `request` against `policies` (documents 0, 1, …) in `profile`: the effect, the
    /// decisive entries, then one line per explanation step with its trace.
    #[track_caller]
    fn check(profile: Profile, policies: &[&str], request: &str, expect: &str) {
        check_with(profile, None, policies, request, expect);
    }

    /// [`check`] with the AWS action catalogue given (or not) to the `aws` profile.
    #[track_caller]
    fn check_with(profile: Profile, catalog: Option<&AwsCatalog>, policies: &[&str], request: &str, expect: &str) {
        let documents: Vec<Policy> = policies.iter().map(|text| read(text).0.policy.unwrap()).collect();
        let named: Vec<DocumentPolicy<'_>> = documents
            .iter()
            .zip(0..)
            .map(|(policy, index)| DocumentPolicy { document: DocumentId(index), policy })
            .collect();
        let decision = evaluate(profile, Detail::Explained, catalog, &named, &read_request(request).unwrap());
        // ` #1 Statement[0] (Sid All)`, or nothing for a remark about the whole evaluation.
        let place = |locator: &Locator| {
            let document = locator.document.map(|id| format!("#{}", id.0)).unwrap_or_default();
            let described = locator.describe(&document);
            if described.is_empty() {
                described
            } else {
                format!(" {described}")
            }
        };
        let mut out = format!("{}\n", decision.effect.as_str());
        for entry in &decision.decisive {
            out.push_str(&format!("decisive{}: {}\n", place(&entry.locator), entry.reason));
        }
        for step in &decision.explanation {
            out.push_str(&format!("{}{}: {}\n", step.outcome.as_str(), place(&step.locator), step.reason));
            for traced in &step.trace {
                out.push_str(&format!("    {} => {}\n", traced.text, traced.value));
            }
        }
        assert_rendered(&out, expect);
    }

    #[test]
    fn an_explicit_deny_overrides_every_allow() {
        check(
            Profile::Aws,
            &[
                r#"{"Version": "2012-10-17", "Statement": [{"Sid": "All", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}"#,
                r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*"}}"#,
            ],
            r#"{"action": "ec2:terminateinstances"}"#,
            r#"
explicit_deny
decisive #1 Statement: explicitly denies `ec2:terminateinstances` on `*`: an explicit deny overrides every allow
matched #0 Statement[0] (Sid All): Allow statement: action `ec2:terminateinstances` matched `ec2:*`; resource `*` matched `*`
matched #1 Statement: Deny statement: action `ec2:terminateinstances` matched `ec2:TerminateInstances`; resource `*` matched `*`
note: the AWS action catalogue is not loaded: wildcard-only actions are not recognised, and a request on `*` asks whether the action is allowed on some resource
"#,
        );
    }

    #[test]
    fn resources_variables_and_conditions() {
        check(
            Profile::Aws,
            &[r#"{"Version": "2012-10-17", "Statement": [
{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/home/${aws:username}/*"},
{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::b/private/*",
 "Condition": {"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:PrincipalTag/team": "blue"}}}]}"#],
            r#"{"action": "s3:GetObject", "resource": "arn:aws:s3:::b/home/alice/x", "context": {"aws:username": "bob", "aws:SecureTransport": true}}"#,
            r#"
implicit_deny
not matched #0 Statement[0]: Allow statement: action `s3:GetObject` matched `s3:GetObject`; resource `arn:aws:s3:::b/home/alice/x` did not match `arn:aws:s3:::b/home/${aws:username}/*` (`arn:aws:s3:::b/home/bob/*` in this request)
not matched #0 Statement[1]: Allow statement: action `s3:GetObject` matched `s3:GetObject`; resource `arn:aws:s3:::b/home/alice/x` is not in NotResource `arn:aws:s3:::b/private/*`; condition StringEquals aws:PrincipalTag/team is false because the key is missing from the request context
    Bool aws:SecureTransport => true
    StringEquals aws:PrincipalTag/team => false
note: the AWS action catalogue is not loaded: wildcard-only actions are not recognised, and a request on `*` asks whether the action is allowed on some resource
note: no statement allows `s3:GetObject` on `arn:aws:s3:::b/home/alice/x`: the request is implicitly denied
"#,
        );
        check(
            Profile::Aws,
            &[r#"{"Version": "2012-10-17", "Statement": [
{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b"},
{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::b"}]}"#],
            r#"{"action": "s3:ListBucket"}"#,
            r#"
allow
decisive #0 Statement[0]: allows `s3:ListBucket` on `*`
matched #0 Statement[0]: Allow statement: action `s3:ListBucket` matched `s3:ListBucket`; the request names no resource (`*`) and this Allow covers some resources (`arn:aws:s3:::b`)
not matched #0 Statement[1]: Deny statement: action `s3:ListBucket` matched `s3:*`; the request names no resource (`*`) and this Deny covers only some resources (`arn:aws:s3:::b`)
note: the AWS action catalogue is not loaded: wildcard-only actions are not recognised, and a request on `*` asks whether the action is allowed on some resource
"#,
        );
    }

    #[test]
    fn eim_ignores_resources_and_explains_near_misses() {
        check(
            Profile::Outscale,
            &[r#"{"Statement": [
{"Effect": "Allow", "Action": ["api:readvms", "fcu:DescribeInstances"], "Resource": "*"},
{"Effect": "Allow", "Action": "api:Read*", "Resource": "arn:osc:vm/*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}"#],
            r#"{"action": "api:ReadVms", "context": {"aws:SecureTransport": "true"}}"#,
            r#"
allow
decisive #0 Statement[1]: allows `api:ReadVms` on `*`
not matched #0 Statement[0]: Allow statement: action `api:ReadVms` did not match any of `api:readvms`, `fcu:DescribeInstances`; `api:readvms` differs only in case, and EIM is case sensitive; resource ignored (EIM policies apply to all resources)
matched #0 Statement[1]: Allow statement: action `api:ReadVms` matched `api:Read*`; resource ignored (EIM policies apply to all resources); every condition is true
    Bool aws:SecureTransport => true
note: Condition was applied although EIM does not document it: the AWS rules were used, and OUTSCALE may ignore or reject it
note: Resource and NotResource were ignored: EIM does not support resource-level restrictions, policies apply to all resources
"#,
        );
        check(
            Profile::Outscale,
            &[],
            r#"{"action": "ec2:DescribeInstances"}"#,
            r#"
implicit_deny
note: no statement allows `ec2:DescribeInstances` on `*`: the request is implicitly denied
note: OUTSCALE answers this call with 400 UnauthorizedOperation: "User: <user> is not authorized to perform: ec2:DescribeInstances" (FCU)
"#,
        );
    }

    #[test]
    fn eim_denials_carry_outscale_answers() {
        // OUTSCALE QA test_create_policy.py: T4609 (`toto:*` grants nothing), T4607 (`kms:*`
        // grants OKMS), T4573 (the answers of LBU, OAPI and ICU).
        let policy =
            r#"{"Statement": [{"Action": ["toto:*", "ec2:toto", "kms:*"], "Resource": ["*"], "Effect": "Allow"}]}"#;
        check(
            Profile::Outscale,
            &[policy],
            r#"{"action": "elasticloadbalancing:DescribeLoadBalancers", "context": {"aws:username": "bob"}}"#,
            r#"
implicit_deny
not matched #0 Statement[0]: Allow statement: action `elasticloadbalancing:DescribeLoadBalancers` did not match any of `toto:*`, `ec2:toto`, `kms:*`; resource ignored (EIM policies apply to all resources)
note: no statement allows `elasticloadbalancing:DescribeLoadBalancers` on `*`: the request is implicitly denied
note: OUTSCALE answers this call with 400 AccessDenied: "User: bob is not authorized to perform: ElasticLoadBalancing:DescribeLoadBalancers" (LBU)
"#,
        );
        check(
            Profile::Outscale,
            &[policy],
            r#"{"action": "kms:ListKeys"}"#,
            r#"
allow
decisive #0 Statement[0]: allows `kms:ListKeys` on `*`
matched #0 Statement[0]: Allow statement: action `kms:ListKeys` matched `kms:*`; resource ignored (EIM policies apply to all resources)
"#,
        );
        check(
            Profile::Outscale,
            &[
                r#"{"Statement": [{"Action": "*", "Resource": "*", "Effect": "Allow"}, {"Action": "api:*", "Resource": "*", "Effect": "Deny"}]}"#,
            ],
            r#"{"action": "api:ReadVms"}"#,
            r#"
explicit_deny
decisive #0 Statement[1]: explicitly denies `api:ReadVms` on `*`: an explicit deny overrides every allow
matched #0 Statement[0]: Allow statement: action `api:ReadVms` matched `*`; resource ignored (EIM policies apply to all resources)
matched #0 Statement[1]: Deny statement: action `api:ReadVms` matched `api:*`; resource ignored (EIM policies apply to all resources)
note: OUTSCALE answers this call with 401 AccessDenied (OUTSCALE API error code 4)
"#,
        );
        check(
            Profile::Outscale,
            &[r#"{"Statement": [{"Action": "*", "Resource": "*", "Effect": "Allow"}]}"#],
            r#"{"action": "icu:ReadCatalog"}"#,
            r#"
allow
decisive #0 Statement[0]: allows `icu:ReadCatalog` on `*`
matched #0 Statement[0]: Allow statement: action `icu:ReadCatalog` matched `*`; resource ignored (EIM policies apply to all resources)
note: ICU answers every EIM user with 400 NotImplemented "IAM authentication is not supported for ICU.", whatever the policy allows
"#,
        );
    }

    #[test]
    fn wildcard_only_actions_are_requested_on_star_itself() {
        let catalog = crate::outscale::aws_catalog::tests::small();
        let policy = r#"{"Version": "2012-10-17", "Statement": [
{"Effect": "Allow", "Action": ["ec2:Describe*", "s3:Get*"], "Resource": "arn:aws:iam::123456789012:user/ops/*"},
{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"}]}"#;
        check_with(
            Profile::Aws,
            Some(&catalog),
            &[policy],
            r#"{"action": "ec2:DescribeInstances"}"#,
            r#"
implicit_deny
not matched #0 Statement[0]: Allow statement: action `ec2:DescribeInstances` matched `ec2:Describe*`; `ec2:Describe*` grants 1 catalogued action; resource `*` did not match `arn:aws:iam::123456789012:user/ops/*` (a wildcard-only action is requested on `*` itself)
not matched #0 Statement[1]: Allow statement: action `ec2:DescribeInstances` did not match `iam:ListUsers`; resource `*` matched `*` (a wildcard-only action is requested on `*` itself)
note: `ec2:DescribeInstances` supports no resource type (AWS Service Authorization Reference): it is requested on `*`, and only statements whose resources match `*` itself apply
note: no statement allows `ec2:DescribeInstances` on `*`: the request is implicitly denied
"#,
        );
        // An action with resource types keeps the "some resource" reading, and says so.
        check_with(
            Profile::Aws,
            Some(&catalog),
            &[policy],
            r#"{"action": "s3:GetObject"}"#,
            r#"
allow
decisive #0 Statement[0]: allows `s3:GetObject` on `*`
matched #0 Statement[0]: Allow statement: action `s3:GetObject` matched `s3:Get*`; `s3:Get*` grants 2 catalogued actions; the request names no resource (`*`) and this Allow covers some resources (`arn:aws:iam::123456789012:user/ops/*`)
not matched #0 Statement[1]: Allow statement: action `s3:GetObject` did not match `iam:ListUsers`; resource `*` matched `*`
note: `s3:GetObject` takes resource types (`object`): the request names no resource, so it asks whether the action is allowed on some resource
"#,
        );
        // Without the catalogue the old reading stays, and the decision says why.
        check_with(
            Profile::Aws,
            None,
            &[policy],
            r#"{"action": "ec2:DescribeInstances"}"#,
            r#"
allow
decisive #0 Statement[0]: allows `ec2:DescribeInstances` on `*`
matched #0 Statement[0]: Allow statement: action `ec2:DescribeInstances` matched `ec2:Describe*`; the request names no resource (`*`) and this Allow covers some resources (`arn:aws:iam::123456789012:user/ops/*`)
not matched #0 Statement[1]: Allow statement: action `ec2:DescribeInstances` did not match `iam:ListUsers`; resource `*` matched `*`
note: the AWS action catalogue is not loaded: wildcard-only actions are not recognised, and a request on `*` asks whether the action is allowed on some resource
"#,
        );
        // NotResource of an ARN does not exclude `*`; a Deny on `*` covers a wildcard-only action.
        check_with(
            Profile::Aws,
            Some(&catalog),
            &[r#"{"Version": "2012-10-17", "Statement": [
{"Effect": "Allow", "Action": "iam:ListUsers", "NotResource": "arn:aws:iam::*:user/admin"},
{"Effect": "Deny", "Action": "iam:*", "Resource": "arn:aws:iam::*:user/*"}]}"#],
            r#"{"action": "iam:listusers"}"#,
            r#"
allow
decisive #0 Statement[0]: allows `iam:listusers` on `*`
matched #0 Statement[0]: Allow statement: action `iam:listusers` matched `iam:ListUsers`; resource `*` is not in NotResource `arn:aws:iam::*:user/admin` (a wildcard-only action is requested on `*` itself)
not matched #0 Statement[1]: Deny statement: action `iam:listusers` matched `iam:*`; `iam:*` grants 2 catalogued actions; resource `*` did not match `arn:aws:iam::*:user/*` (a wildcard-only action is requested on `*` itself)
note: `iam:ListUsers` supports no resource type (AWS Service Authorization Reference): it is requested on `*`, and only statements whose resources match `*` itself apply
"#,
        );
    }

    #[test]
    fn get_caller_identity_needs_no_permission_on_aws() {
        check(
            Profile::Aws,
            &[r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}"#],
            r#"{"action": "sts:GetCallerIdentity"}"#,
            r#"
allow
decisive sts:GetCallerIdentity: AWS STS answers GetCallerIdentity without any permission, even when a policy denies it
matched #0 Statement: Deny statement: action `sts:GetCallerIdentity` matched `*`; resource `*` matched `*`
note: the AWS action catalogue is not loaded: wildcard-only actions are not recognised, and a request on `*` asks whether the action is allowed on some resource
note: AWS STS answers GetCallerIdentity without any permission, even when a policy denies it
"#,
        );
    }
}
