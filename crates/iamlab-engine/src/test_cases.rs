//! Test-case files: named requests with the effect each should have, the format the
//! playground's grid imports and exports and `iamlab test` reads (see
//! `docs/semantics/tests.md`):
//!
//! ```json
//! { "iamlab_tests": 1, "provider": "exoscale",
//!   "cases": [ { "name": "…", "request": { … }, "expect": "allow" } ] }
//! ```
//!
//! Reading keeps spans (every finding points into the file); running simulates every case
//! against the same documents, read once; coverage says which statements and rules no case
//! exercises.

use crate::pipeline::{Analysis, Detail, DocumentId, DocumentRole, Read, SimulateError, Source};
use crate::Options;
use iamlab_model::json::{decoded_span_to_source, parse_json, JsonValue};
use iamlab_model::{Decision, Diagnostic, Effect, Locator, Provider, Severity, Span, StepOutcome};

/// The version of the format this reader knows.
pub const FORMAT_VERSION: u64 = 1;

/// The reader's codes, registered among [`crate::pipeline::PIPELINE_CODES`] (where `cargo
/// xtask tidy` finds them) and documented in `docs/semantics/tests.md`.
fn severity_of(code: &str) -> Severity {
    crate::pipeline::PIPELINE_CODES.iter().find(|info| info.code == code).map_or(Severity::Error, |info| info.severity)
}

/// What a case expects: one of the three effects, or `Deny` for either kind of denial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Expectation {
    Allow,
    Deny,
    ExplicitDeny,
    ImplicitDeny,
}

impl Expectation {
    pub const ALL: [Expectation; 4] =
        [Expectation::Allow, Expectation::Deny, Expectation::ExplicitDeny, Expectation::ImplicitDeny];

    pub fn as_str(self) -> &'static str {
        match self {
            Expectation::Allow => "allow",
            Expectation::Deny => "deny",
            Expectation::ExplicitDeny => "explicit_deny",
            Expectation::ImplicitDeny => "implicit_deny",
        }
    }

    pub fn from_key(key: &str) -> Option<Expectation> {
        Expectation::ALL.into_iter().find(|expectation| expectation.as_str() == key)
    }

    /// The exact expectation of a decision's effect ("pin current decisions").
    pub fn of(effect: Effect) -> Expectation {
        match effect {
            Effect::Allow => Expectation::Allow,
            Effect::ExplicitDeny => Expectation::ExplicitDeny,
            Effect::ImplicitDeny => Expectation::ImplicitDeny,
        }
    }

    pub fn admits(self, effect: Effect) -> bool {
        match self {
            Expectation::Allow => effect == Effect::Allow,
            Expectation::Deny => effect != Effect::Allow,
            Expectation::ExplicitDeny => effect == Effect::ExplicitDeny,
            Expectation::ImplicitDeny => effect == Effect::ImplicitDeny,
        }
    }
}

/// One named request and what it should give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCase {
    pub name: String,
    /// The request as JSON text, in the provider's request shape.
    pub request: String,
    pub expect: Expectation,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestSuite {
    pub provider: Provider,
    pub cases: Vec<TestCase>,
}

fn finding(code: &'static str, message: String, span: Span, pointer: &str) -> Diagnostic {
    Diagnostic::new(code, severity_of(code), message.clone()).with_primary(span, message).with_path(pointer)
}

/// Reads a test-case file. A case with an error is left out (and said so); the suite is built
/// whenever the file's header can be read.
pub fn read_test_cases(text: &str) -> Read<TestSuite> {
    let parsed = parse_json(text);
    let mut diagnostics = parsed.diagnostics;
    let Some(root) = parsed.value else { return Read { tree: None, diagnostics } };
    let Some(members) = root.as_object() else {
        diagnostics.push(
            finding("tests::invalid-version", "a test-case file is a JSON object".to_owned(), root.span, "")
                .with_help("start with `{ \"iamlab_tests\": 1, \"provider\": …, \"cases\": [] }`"),
        );
        return Read { tree: None, diagnostics };
    };
    for member in members {
        if !["iamlab_tests", "provider", "cases"].contains(&member.key.as_ref()) {
            let help = match iamlab_model::suggest::closest(&member.key, ["iamlab_tests", "provider", "cases"]) {
                Some(candidate) => format!("did you mean `{candidate}`?"),
                None => "a test-case file has `iamlab_tests`, `provider` and `cases`".to_owned(),
            };
            diagnostics.push(
                finding("tests::unknown-field", format!("unknown field `{}`", member.key), member.key_span, "")
                    .with_help(help),
            );
        }
    }
    match root.get("iamlab_tests") {
        Some(version) if version.as_number().and_then(|number| number.as_u64()) == Some(FORMAT_VERSION) => {}
        Some(version) => {
            diagnostics.push(
                finding(
                    "tests::invalid-version",
                    "unsupported test-case format version".to_owned(),
                    version.span,
                    "/iamlab_tests",
                )
                .with_help("this reader knows version 1: `\"iamlab_tests\": 1`"),
            );
            return Read { tree: None, diagnostics };
        }
        None => {
            diagnostics.push(
                finding(
                    "tests::invalid-version",
                    "not a test-case file: no `iamlab_tests`".to_owned(),
                    root.opening_span(),
                    "",
                )
                .with_help("add `\"iamlab_tests\": 1`"),
            );
            return Read { tree: None, diagnostics };
        }
    }
    let provider = match root.get("provider") {
        Some(value) => match value.as_str().and_then(|name| name.parse::<Provider>().ok()) {
            Some(provider) => Some(provider),
            None => {
                let names: Vec<&str> = Provider::ALL.iter().map(|provider| provider.as_str()).collect();
                diagnostics.push(
                    finding("tests::invalid-field", "unknown provider".to_owned(), value.span, "/provider")
                        .with_help(format!("one of {}", names.join(", "))),
                );
                None
            }
        },
        None => {
            diagnostics.push(
                finding("tests::missing-field", "missing field `provider`".to_owned(), root.opening_span(), "")
                    .with_help("add `\"provider\": \"exoscale\"` (or scaleway, outscale, aws)"),
            );
            None
        }
    };
    let mut cases = Vec::new();
    match root.get("cases") {
        Some(value) => match value.as_array() {
            Some(items) => {
                for (index, item) in items.iter().enumerate() {
                    if let Some(case) = read_case(text, item, index, &mut diagnostics) {
                        if cases.iter().any(|known: &TestCase| known.name == case.name) {
                            let span = item.get("name").map_or(item.span, |name| name.span);
                            diagnostics.push(
                                finding(
                                    "tests::duplicate-name",
                                    format!("two cases are named `{}`", case.name),
                                    span,
                                    &format!("/cases/{index}/name"),
                                )
                                .with_help("give every case its own name, so that a failure names one case"),
                            );
                        }
                        cases.push(case);
                    }
                }
            }
            None => {
                diagnostics.push(finding("tests::invalid-field", "`cases` is a list".to_owned(), value.span, "/cases"))
            }
        },
        None => diagnostics.push(
            finding("tests::missing-field", "missing field `cases`".to_owned(), root.opening_span(), "")
                .with_help("add `\"cases\": []`"),
        ),
    }
    iamlab_model::sort_diagnostics(&mut diagnostics);
    Read { tree: provider.map(|provider| TestSuite { provider, cases }), diagnostics }
}

fn read_case(text: &str, item: &JsonValue, index: usize, diagnostics: &mut Vec<Diagnostic>) -> Option<TestCase> {
    let pointer = format!("/cases/{index}");
    let Some(members) = item.as_object() else {
        diagnostics.push(finding("tests::invalid-field", "a case is an object".to_owned(), item.span, &pointer));
        return None;
    };
    for member in members {
        if !["name", "request", "expect"].contains(&member.key.as_ref()) {
            let help = match iamlab_model::suggest::closest(&member.key, ["name", "request", "expect"]) {
                Some(candidate) => format!("did you mean `{candidate}`?"),
                None => "a case has `name`, `request` and `expect`".to_owned(),
            };
            diagnostics.push(
                finding(
                    "tests::unknown-field",
                    format!("unknown case field `{}`", member.key),
                    member.key_span,
                    &pointer,
                )
                .with_help(help),
            );
        }
    }
    let mut complete = true;
    let mut field = |key: &str, expected: &str| -> Option<&JsonValue> {
        let value = item.get(key);
        if value.is_none() {
            complete = false;
            diagnostics.push(
                finding("tests::missing-field", format!("case {index} has no `{key}`"), item.opening_span(), &pointer)
                    .with_help(format!("add `\"{key}\"`: {expected}")),
            );
        }
        value
    };
    let name = field("name", "a string");
    let request = field("request", "the request object");
    let expect = field("expect", "\"allow\", \"deny\", \"explicit_deny\" or \"implicit_deny\"");
    let name = name.and_then(|value| match value.as_str() {
        Some(name) => Some(name.to_owned()),
        None => {
            diagnostics.push(finding(
                "tests::invalid-field",
                "a case's `name` is a string".to_owned(),
                value.span,
                &format!("{pointer}/name"),
            ));
            None
        }
    });
    let request = request.and_then(|value| value.span.slice(text)).map(str::to_owned);
    let expect = expect.and_then(|value| match value.as_str().and_then(Expectation::from_key) {
        Some(expectation) => Some(expectation),
        None => {
            diagnostics.push(
                finding(
                    "tests::invalid-field",
                    "unknown expectation".to_owned(),
                    value.span,
                    &format!("{pointer}/expect"),
                )
                .with_help("one of `allow`, `deny` (either denial), `explicit_deny`, `implicit_deny`"),
            );
            None
        }
    });
    match (complete, name, request, expect) {
        (true, Some(name), Some(request), Some(expect)) => Some(TestCase { name, request, expect }),
        _ => None,
    }
}

/// The file of `suite`, two-space indented, keys in the documented order; each request keeps
/// its own text, re-indented to its place.
pub fn write_test_cases(suite: &TestSuite) -> String {
    let quote = |text: &str| serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned());
    let cases: Vec<String> = suite
        .cases
        .iter()
        .map(|case| {
            let request = case.request.trim();
            let request = if request.is_empty() { "{}" } else { request };
            let request = request.lines().collect::<Vec<_>>().join("\n      ");
            format!(
                "    {{\n      \"name\": {},\n      \"request\": {request},\n      \"expect\": {}\n    }}",
                quote(&case.name),
                quote(case.expect.as_str())
            )
        })
        .collect();
    let cases = if cases.is_empty() { "[]".to_owned() } else { format!("[\n{}\n  ]", cases.join(",\n")) };
    format!(
        "{{\n  \"iamlab_tests\": {FORMAT_VERSION},\n  \"provider\": {},\n  \"cases\": {cases}\n}}\n",
        quote(suite.provider.as_str())
    )
}

/// The document id the request of case `index` is simulated under (counting down from the
/// largest id, so that it never meets the ids of the caller's documents).
pub fn case_request_id(index: usize) -> DocumentId {
    DocumentId(u32::MAX - u32::try_from(index).unwrap_or(u32::MAX - 1).min(u32::MAX - 1))
}

/// What one case gave.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    pub decision: Result<Decision, SimulateError>,
    /// Whether the decision is what the case expects (never for a refusal).
    pub passed: bool,
}

/// Simulates every case against `policies` (the documents other than the request), reading
/// the documents once; `detail` says whether the decisions carry traces (the CLI prints them,
/// the playground's grid and its coverage read effects and steps only).
pub fn run_test_cases(
    options: &Options,
    policies: &[Source<'_>],
    cases: &[TestCase],
    detail: Detail,
) -> Vec<CaseResult> {
    let requests = case_requests(cases);
    case_results(crate::simulate_each(options, policies, &requests, detail), cases)
}

/// `crate::analyze` of `sources` and every case run against their policy documents, each
/// document read once for both: what the playground runs on every keystroke. The results are
/// [`run_test_cases`]'s for the policy documents of `sources`.
pub fn analyze_with_cases(
    options: &Options,
    sources: &[Source<'_>],
    cases: &[TestCase],
    detail: Detail,
) -> (Analysis, Vec<CaseResult>) {
    let requests = case_requests(cases);
    let (analysis, decisions) = crate::analyze_each(options, sources, &requests, detail);
    (analysis, case_results(decisions, cases))
}

/// Each case's request as a source, under [`case_request_id`].
fn case_requests(cases: &[TestCase]) -> Vec<Source<'_>> {
    cases
        .iter()
        .enumerate()
        .map(|(index, case)| Source { id: case_request_id(index), role: DocumentRole::Request, text: &case.request })
        .collect()
}

fn case_results(decisions: Vec<Result<Decision, SimulateError>>, cases: &[TestCase]) -> Vec<CaseResult> {
    decisions
        .into_iter()
        .zip(cases)
        .map(|(decision, case)| {
            let passed = decision.as_ref().is_ok_and(|decision| case.expect.admits(decision.effect));
            CaseResult { decision, passed }
        })
        .collect()
}

/// How often one statement or rule applied, and decided, over the cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageEntry {
    pub locator: Locator,
    /// In how many cases it applied (its step matched).
    pub applied: u32,
    /// In how many cases it was among the deciding entries.
    pub decided: u32,
}

/// Every statement and rule of `policies` with how the decisions used it, in document order:
/// an entry with `applied == 0` is one no case exercises.
pub fn coverage(policies: &[Source<'_>], decisions: &[&Decision]) -> Vec<CoverageEntry> {
    let mut entries = Vec::new();
    for source in policies.iter().filter(|source| source.role != DocumentRole::Request) {
        let Some(root) = parse_json(source.text).value else { continue };
        for (element, value) in elements(&root) {
            entries.push(CoverageEntry {
                locator: Locator::element(source.id, element).with_span(Some(value.span)),
                applied: 0,
                decided: 0,
            });
        }
    }
    let same = |entry: &CoverageEntry, locator: &Locator| {
        entry.locator.document == locator.document && entry.locator.element == locator.element
    };
    for decision in decisions {
        for entry in &mut entries {
            if decision
                .explanation
                .iter()
                .any(|step| step.outcome == StepOutcome::Matched && same(entry, &step.locator))
            {
                entry.applied += 1;
            }
            if decision.decisive.iter().any(|decisive| same(entry, &decisive.locator)) {
                entry.decided += 1;
            }
        }
    }
    entries
}

/// One branch of a rule's CEL expression (Exoscale) or condition (Scaleway): an operand of a
/// chain of `&&` or `||`, or the condition of a `?:` (true takes the `then` arm, false the
/// `else` arm), with how the cases' evaluations used it. Read from the traces of
/// [`Detail::Explained`] decisions: a branch that short-circuiting skipped is not counted, so
/// `true_in + false_in` is how often it was evaluated to a boolean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchCoverage {
    /// The rule's element, with the branch's span in its document.
    pub locator: Locator,
    /// The branch as the expression writes it.
    pub text: String,
    /// In how many cases it was evaluated and true.
    pub true_in: u32,
    /// In how many cases it was evaluated and false.
    pub false_in: u32,
}

impl BranchCoverage {
    /// Whether the cases leave this branch's outcome unpinned: no case makes it true, or none
    /// makes it false.
    pub fn is_uncovered(&self) -> bool {
        self.true_in == 0 || self.false_in == 0
    }
}

/// Every branch of the rules' CEL expressions and conditions in `policies`, in document order,
/// counted over `cases` run with [`Detail::Explained`] (the traces hold the branches' values).
/// Policies without CEL cost no simulation. Parts inside a macro (`exists`, `all`, …) are left
/// out: their trace holds the last iteration's value only.
pub fn branch_coverage(options: &Options, policies: &[Source<'_>], cases: &[TestCase]) -> Vec<BranchCoverage> {
    let mut branches = Vec::new();
    for source in policies.iter().filter(|source| source.role != DocumentRole::Request) {
        let Some(root) = parse_json(source.text).value else { continue };
        for (element, rule) in elements(&root) {
            let (literal, dialect) = match (rule.get("expression"), rule.get("condition")) {
                (Some(expression), _) => (expression, iamlab_cel::Dialect::Exoscale),
                (None, Some(condition)) => (condition, iamlab_cel::Dialect::Scaleway),
                (None, None) => continue,
            };
            let Some(text) = literal.as_str() else { continue };
            let Some(ast) = iamlab_cel::parse(text, dialect).ast else { continue };
            for span in cel_branches(&ast) {
                let locator = Locator::element(source.id, element.clone()).with_span(Some(decoded_span_to_source(
                    source.text,
                    literal.span,
                    span,
                )));
                let text = span.slice(text).unwrap_or_default().to_owned();
                branches.push(BranchCoverage { locator, text, true_in: 0, false_in: 0 });
            }
        }
    }
    if branches.is_empty() {
        return branches;
    }
    let results = run_test_cases(options, policies, cases, Detail::Explained);
    let decisions = results.iter().filter_map(|result| result.decision.as_ref().ok());
    for decision in decisions {
        for branch in &mut branches {
            let values = decision
                .explanation
                .iter()
                .filter(|step| {
                    step.locator.document == branch.locator.document && step.locator.element == branch.locator.element
                })
                .flat_map(|step| step.trace.iter())
                .filter(|entry| entry.span == branch.locator.span);
            let (mut was_true, mut was_false) = (false, false);
            for entry in values {
                was_true |= entry.value == "true";
                was_false |= entry.value == "false";
            }
            branch.true_in += u32::from(was_true);
            branch.false_in += u32::from(was_false);
        }
    }
    branches
}

/// The operands of every `&&`/`||` chain (`a && b && c` has three, not the nested pair) and the
/// condition of every `?:`, in source order, outside macros. A literal operand is left out: its
/// value is fixed (and the trace leaves literals out).
fn cel_branches(ast: &iamlab_cel::Expr) -> Vec<Span> {
    use iamlab_cel::{BinaryOp, ExprKind};
    let mut found = Vec::new();
    let mut stack = vec![ast];
    while let Some(node) = stack.pop() {
        match &node.kind {
            ExprKind::Binary { op: op @ (BinaryOp::And | BinaryOp::Or), .. } => {
                // The chain's operands, left to right: descend while the operator stays the same.
                let mut operands = Vec::new();
                let mut pending = vec![node];
                while let Some(part) = pending.pop() {
                    match &part.kind {
                        ExprKind::Binary { op: inner, left, right } if inner == op => {
                            pending.push(right);
                            pending.push(left);
                        }
                        _ => operands.push(part),
                    }
                }
                let variable = operands.iter().filter(|operand| !matches!(operand.kind, ExprKind::Literal(_)));
                found.extend(variable.map(|operand| operand.span));
                stack.extend(operands.into_iter().rev());
            }
            ExprKind::Conditional { condition, then, otherwise } => {
                found.push(condition.span);
                stack.extend([&**otherwise, &**then, &**condition]);
            }
            ExprKind::Comprehension(_) => {}
            _ => stack.extend(node.children().into_iter().rev()),
        }
    }
    iamlab_model::order::sort_by_key(&mut found, |span| (span.start, std::cmp::Reverse(span.end)));
    found
}

/// The statements and rules of a policy document, by the element names the engines give them
/// in explanations (`Statement[1]`, `services.dns.rules[0]`, `rules[2]`), with their values.
fn elements<'tree, 'text>(root: &'tree JsonValue<'text>) -> Vec<(String, &'tree JsonValue<'text>)> {
    // An Exoscale role holds its policy under `policy`.
    let policy = root.get("policy").filter(|policy| policy.get("services").is_some()).unwrap_or(root);
    let mut found = Vec::new();
    if let Some(statement) = policy.get("Statement") {
        match statement.as_array() {
            Some(items) => {
                found.extend(items.iter().enumerate().map(|(index, item)| (format!("Statement[{index}]"), item)))
            }
            None => found.push(("Statement".to_owned(), statement)),
        }
    }
    if let Some(services) = policy.get("services").and_then(JsonValue::as_object) {
        for service in services {
            match service.value.get("rules").and_then(JsonValue::as_array) {
                Some(rules) => found.extend(
                    rules
                        .iter()
                        .enumerate()
                        .map(|(index, rule)| (format!("services.{}.rules[{index}]", service.key), rule)),
                ),
                None => found.push((format!("services.{}", service.key), &service.value)),
            }
        }
    }
    if let Some(rules) = policy.get("rules").and_then(JsonValue::as_array) {
        found.extend(rules.iter().enumerate().map(|(index, rule)| (format!("rules[{index}]"), rule)));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_read(text: &str, expect: &str) {
        let read = read_test_cases(text);
        let mut lines: Vec<String> = read
            .diagnostics
            .iter()
            .map(|diagnostic| {
                let span = diagnostic.primary_span().unwrap_or_default();
                format!("{} {}..{}", diagnostic.code, span.start, span.end)
            })
            .collect();
        if let Some(suite) = &read.tree {
            lines.push(format!("{} {}", suite.provider.as_str(), suite.cases.len()));
        }
        assert_eq!(lines.join("\n"), expect.trim());
    }

    const FILE: &str = r#"{
  "iamlab_tests": 1,
  "provider": "outscale",
  "cases": [
    {
      "name": "reads",
      "request": {"action": "api:ReadVms", "resource": "*", "context": {}},
      "expect": "allow"
    },
    {
      "name": "deletes",
      "request": {"action": "api:DeleteVms", "resource": "*", "context": {}},
      "expect": "deny"
    },
    {
      "name": "creates",
      "request": {"action": "api:CreateVms", "resource": "*", "context": {}},
      "expect": "allow"
    }
  ]
}
"#;

    #[test]
    fn reads_a_file_and_reports_with_spans() {
        check_read(FILE, "outscale 3");
        check_read("[]", "tests::invalid-version 0..2");
        check_read(r#"{"iamlab_tests": 2}"#, "tests::invalid-version 17..18");
        check_read(
            r#"{"iamlab_tests": 1, "provider": "gcp", "casez": []}"#,
            "tests::missing-field 0..1\ntests::invalid-field 32..37\ntests::unknown-field 39..46",
        );
        check_read(
            r#"{"iamlab_tests": 1, "provider": "aws", "cases": [{"name": "a", "request": {}, "expect": "maybe"}, {"name": "a", "request": {}, "expect": "deny"}, 3]}"#,
            "tests::invalid-field 88..95\ntests::invalid-field 146..147\naws 1",
        );
        check_read(
            r#"{"iamlab_tests": 1, "provider": "aws", "cases": [{"name": "a", "request": {}, "expect": "deny"}, {"name": "a", "request": {}, "expect": "deny"}]}"#,
            "tests::duplicate-name 106..109\naws 2",
        );
    }

    #[test]
    fn a_written_file_reads_back_the_same() {
        let suite = read_test_cases(FILE).tree.unwrap();
        let written = write_test_cases(&suite);
        let again = read_test_cases(&written);
        assert_eq!(again.diagnostics, Vec::new(), "{written}");
        assert_eq!(again.tree.as_ref(), Some(&suite));
        assert_eq!(write_test_cases(&again.tree.unwrap()), written);
        let empty = TestSuite { provider: Provider::Exoscale, cases: Vec::new() };
        assert_eq!(read_test_cases(&write_test_cases(&empty)).tree, Some(empty));
    }

    #[test]
    fn cases_run_against_the_policy_and_coverage_counts_what_they_used() {
        let policy = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "api:Read*", "Resource": "*"},
  {"Effect": "Deny", "Action": "api:DeleteVms", "Resource": "*"},
  {"Effect": "Allow", "Action": "api:CreateVolume", "Resource": "*"}
]}"#;
        let suite = read_test_cases(FILE).tree.unwrap();
        let policies = [Source { id: DocumentId(7), role: DocumentRole::Policy, text: policy }];
        let results =
            run_test_cases(&Options::for_provider(Provider::Outscale), &policies, &suite.cases, Detail::Explained);
        let outcomes: Vec<(bool, Option<Effect>)> = results
            .iter()
            .map(|result| (result.passed, result.decision.as_ref().ok().map(|decision| decision.effect)))
            .collect();
        assert_eq!(
            outcomes,
            [(true, Some(Effect::Allow)), (true, Some(Effect::ExplicitDeny)), (false, Some(Effect::ImplicitDeny))]
        );
        let decisions: Vec<&Decision> = results.iter().filter_map(|result| result.decision.as_ref().ok()).collect();
        let used: Vec<(String, u32, u32)> = coverage(&policies, &decisions)
            .into_iter()
            .map(|entry| (entry.locator.element, entry.applied, entry.decided))
            .collect();
        assert_eq!(
            used,
            [("Statement[0]".to_owned(), 1, 1), ("Statement[1]".to_owned(), 1, 1), ("Statement[2]".to_owned(), 0, 0)]
        );
        // The same answers as one simulation per case.
        for (case, result) in suite.cases.iter().zip(&results) {
            let request = Source { id: DocumentId(8), role: DocumentRole::Request, text: &case.request };
            let alone = crate::simulate(&Options::for_provider(Provider::Outscale), &[policies[0], request]);
            assert_eq!(alone.map(|decision| decision.effect), result.decision.clone().map(|decision| decision.effect));
        }
    }

    /// Runs `requests` (explained) against the one `policy` of `provider` and renders each CEL
    /// branch: its rule, its text, its kind, how often it was true and false, and whether the
    /// cases leave it uncovered.
    #[track_caller]
    fn check_branches(provider: Provider, policy: &str, requests: &[&str], expect: &str) {
        let policies = [Source { id: DocumentId(0), role: DocumentRole::Policy, text: policy }];
        let cases: Vec<TestCase> = requests
            .iter()
            .map(|request| TestCase { name: String::new(), request: (*request).to_owned(), expect: Expectation::Deny })
            .collect();
        let options = Options::for_provider(provider);
        let results = run_test_cases(&options, &policies, &cases, Detail::DecisionOnly);
        assert!(results.iter().all(|result| result.decision.is_ok()), "{results:?}");
        let rendered: Vec<String> = branch_coverage(&options, &policies, &cases)
            .iter()
            .map(|branch| {
                let span = branch.locator.span.unwrap();
                assert_eq!(&policy[span.range()].replace("\\\"", "\""), &branch.text, "the span is the branch's");
                format!(
                    "{} `{}` true {} false {}{}",
                    branch.locator.element,
                    branch.text,
                    branch.true_in,
                    branch.false_in,
                    if branch.is_uncovered() { " uncovered" } else { "" }
                )
            })
            .collect();
        assert_eq!(rendered.join("\n"), expect.trim());
    }

    #[test]
    fn branch_coverage_counts_each_operand_true_and_false() {
        let policy = r#"{"default-service-strategy": "deny", "services": {"dns": {"type": "rules", "rules": [
  {"action": "allow", "expression": "operation == 'create-dns-domain-record' && (parameters.type == 'TXT' || parameters.type == 'A') && parameters.ttl > 60"},
  {"action": "allow", "expression": "parameters.type == 'MX' ? (zone == 'ch-gva-2' && parameters.ttl > 0) : false"},
  {"action": "allow", "expression": "['a'].exists(x, x == 'a' && true)"}
]}}}"#;
        let request = |kind: &str, ttl: u32| {
            format!(
                r#"{{"operation": "create-dns-domain-record", "zone": "ch-gva-2", "parameters": {{"domain_id": "d", "type": "{kind}", "ttl": {ttl}, "name": "n", "content": "c"}}}}"#
            )
        };
        let (txt, a, mx) = (request("TXT", 3600), request("A", 30), request("MX", 3600));
        check_branches(
            Provider::Exoscale,
            policy,
            &[&txt, &a, &mx],
            r#"
services.dns.rules[0] `operation == 'create-dns-domain-record'` true 3 false 0 uncovered
services.dns.rules[0] `parameters.type == 'TXT' || parameters.type == 'A'` true 2 false 1
services.dns.rules[0] `parameters.type == 'TXT'` true 1 false 2
services.dns.rules[0] `parameters.type == 'A'` true 1 false 1
services.dns.rules[0] `parameters.ttl > 60` true 1 false 1
services.dns.rules[1] `parameters.type == 'MX'` true 1 false 1
services.dns.rules[1] `zone == 'ch-gva-2'` true 1 false 0 uncovered
services.dns.rules[1] `parameters.ttl > 0` true 1 false 0 uncovered
"#,
        );
    }

    #[test]
    fn branch_coverage_reads_scaleway_conditions() {
        let policy = r#"{"name": "p", "organization_id": "c6842bac-7938-4c04-9e03-f48147eee1f1", "user_id": "6a0c2ca8-917a-418a-90a3-05949b55a7ae", "rules": [
  {"permission_set_names": ["InstancesFullAccess"], "project_ids": ["2aeadddc-c589-4784-8ef5-fae989a4bac8"],
   "condition": "request.user_agent.contains(\"terraform/\") || request.ip == \"203.0.113.7\""}
]}"#;
        let request = |agent: &str| {
            format!(
                r#"{{"permission_set": "InstancesFullAccess", "project_id": "2aeadddc-c589-4784-8ef5-fae989a4bac8", "context": {{"ip": "198.51.100.1", "time": "2026-11-23T09:30:00Z", "user_agent": "{agent}"}}}}"#
            )
        };
        let (terraform, curl) = (request("terraform/1.11.3"), request("curl/8"));
        check_branches(
            Provider::Scaleway,
            policy,
            &[&terraform, &curl],
            r#"
rules[0] `request.user_agent.contains("terraform/")` true 1 false 1
rules[0] `request.ip == "203.0.113.7"` true 0 false 1 uncovered
"#,
        );
    }

    #[test]
    fn a_policy_with_errors_refuses_every_case() {
        let suite = read_test_cases(FILE).tree.unwrap();
        let policies = [Source { id: DocumentId(7), role: DocumentRole::Policy, text: "{" }];
        let results =
            run_test_cases(&Options::for_provider(Provider::Outscale), &policies, &suite.cases, Detail::Explained);
        assert_eq!(results.len(), 3);
        assert!(results.iter().all(|result| !result.passed && result.decision.is_err()));
    }

    /// The gallery loads each example's documents and grid as they are: none may have an
    /// error, and every case must have the effect its source gives it.
    #[test]
    fn every_documented_example_reads_without_errors_and_its_cases_pass() {
        let mut checked = 0;
        for provider in Provider::ALL {
            let options = Options::for_provider(provider);
            for example in crate::examples(provider) {
                assert!(example.origin.starts_with("https://"), "{}: {}", example.title, example.origin);
                let sources: Vec<Source<'_>> = example
                    .documents
                    .iter()
                    .enumerate()
                    .map(|(index, (role, text))| Source { id: DocumentId(index as u32), role: *role, text })
                    .collect();
                let analysis = crate::analyze(&options, &sources);
                for (id, diagnostics) in &analysis.reports {
                    let errors: Vec<&str> =
                        diagnostics.iter().filter(|d| d.is_error()).map(|d| d.code.as_str()).collect();
                    assert!(errors.is_empty(), "{provider} {:?} document {id:?}: {errors:?}", example.title);
                }
                assert!(analysis.decision.is_ok(), "{provider} {:?}: {:?}", example.title, analysis.decision);
                let policies: Vec<Source<'_>> =
                    sources.iter().copied().filter(|source| source.role != DocumentRole::Request).collect();
                let cases = example_cases(example);
                assert!(!cases.is_empty(), "{provider} {:?} has no cases", example.title);
                for (case, result) in cases.iter().zip(run_test_cases(&options, &policies, &cases, Detail::Explained)) {
                    let got = result.decision.as_ref().map(|decision| decision.effect);
                    assert!(
                        result.passed,
                        "{provider} {:?} case {:?}: expected {:?}, got {got:?}",
                        example.title, case.name, case.expect
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked >= 30, "{checked} cases");
    }

    /// The cases of a documented example as the grid holds them.
    fn example_cases(example: &crate::pipeline::Example) -> Vec<TestCase> {
        example
            .cases
            .iter()
            .map(|case| TestCase { name: case.name.to_owned(), request: case.request.to_owned(), expect: case.expect })
            .collect()
    }

    /// One reading for the analysis and the grid gives what the two separate calls give: for
    /// every documented example, as it is, with its request broken (the grid still runs), with
    /// its first policy document broken (everything refused), and at both levels of detail.
    #[test]
    fn one_reading_answers_as_analyze_and_run_test_cases_do() {
        let mut compared = 0;
        for provider in Provider::ALL {
            let options = Options::for_provider(provider);
            for example in crate::examples(provider) {
                let cases = example_cases(example);
                let first_policy = example.documents.iter().position(|(role, _)| *role != DocumentRole::Request);
                for variant in ["as written", "broken request", "broken policy"] {
                    let sources: Vec<Source<'_>> = example
                        .documents
                        .iter()
                        .enumerate()
                        .map(|(index, (role, text))| {
                            let broken = match variant {
                                "broken request" => *role == DocumentRole::Request,
                                "broken policy" => Some(index) == first_policy,
                                _ => false,
                            };
                            let text = if broken { "{\"oops\": " } else { *text };
                            Source { id: DocumentId(index as u32), role: *role, text }
                        })
                        .collect();
                    let policies: Vec<Source<'_>> =
                        sources.iter().copied().filter(|source| source.role != DocumentRole::Request).collect();
                    for detail in [Detail::DecisionOnly, Detail::Explained] {
                        let together = analyze_with_cases(&options, &sources, &cases, detail);
                        let apart =
                            (crate::analyze(&options, &sources), run_test_cases(&options, &policies, &cases, detail));
                        assert_eq!(together, apart, "{provider} {:?} {variant} {detail:?}", example.title);
                        let refused = together.1.iter().filter(|result| result.decision.is_err()).count();
                        match variant {
                            "broken policy" => assert_eq!(refused, cases.len(), "{provider} {:?}", example.title),
                            _ => assert_eq!(refused, 0, "{provider} {:?} {variant}", example.title),
                        }
                        assert_eq!(together.0.decision.is_err(), variant != "as written");
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared >= 60, "{compared} comparisons");
    }
}
