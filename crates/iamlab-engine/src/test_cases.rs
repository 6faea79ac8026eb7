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

use crate::pipeline::{Detail, DocumentId, DocumentRole, Read, SimulateError, Source};
use crate::Options;
use iamlab_model::json::{parse_json, JsonValue};
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
    let requests: Vec<Source<'_>> = cases
        .iter()
        .enumerate()
        .map(|(index, case)| Source { id: case_request_id(index), role: DocumentRole::Request, text: &case.request })
        .collect();
    crate::simulate_each(options, policies, &requests, detail)
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
        for (element, span) in elements(&root) {
            entries.push(CoverageEntry {
                locator: Locator::element(source.id, element).with_span(Some(span)),
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

/// The statements and rules of a policy document, by the element names the engines give them
/// in explanations (`Statement[1]`, `services.dns.rules[0]`, `rules[2]`).
fn elements(root: &JsonValue) -> Vec<(String, Span)> {
    // An Exoscale role holds its policy under `policy`.
    let policy = root.get("policy").filter(|policy| policy.get("services").is_some()).unwrap_or(root);
    let mut found = Vec::new();
    if let Some(statement) = policy.get("Statement") {
        match statement.as_array() {
            Some(items) => {
                found.extend(items.iter().enumerate().map(|(index, item)| (format!("Statement[{index}]"), item.span)))
            }
            None => found.push(("Statement".to_owned(), statement.span)),
        }
    }
    if let Some(services) = policy.get("services").and_then(JsonValue::as_object) {
        for service in services {
            match service.value.get("rules").and_then(JsonValue::as_array) {
                Some(rules) => found.extend(
                    rules
                        .iter()
                        .enumerate()
                        .map(|(index, rule)| (format!("services.{}.rules[{index}]", service.key), rule.span)),
                ),
                None => found.push((format!("services.{}", service.key), service.value.span)),
            }
        }
    }
    if let Some(rules) = policy.get("rules").and_then(JsonValue::as_array) {
        found.extend(rules.iter().enumerate().map(|(index, rule)| (format!("rules[{index}]"), rule.span)));
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
                let cases: Vec<TestCase> = example
                    .cases
                    .iter()
                    .map(|case| TestCase {
                        name: case.name.to_owned(),
                        request: case.request.to_owned(),
                        expect: case.expect,
                    })
                    .collect();
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
}
