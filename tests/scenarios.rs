//! Data-driven scenarios of every provider, one schema and one runner: every
//! `tests/scenarios/<provider>/*.json` (the folder named as `--provider` names it) holds an
//! array of scenarios, each run through [`check`]:
//!
//! ```json
//! { "name": "…", "source": "where the expected answer comes from",
//!   "options": { "profile": "aws", "owner": true },
//!   "documents": [ { "role": "policy", "json": { … } }, { "role": "organization", "text": "{ …" } ],
//!   "request": { … },
//!   "expect": { "effect": "explicit_deny",
//!               "decisive": [ { "document": 0, "layer": "role", "element": "services.compute.rules[0]",
//!                               "index": 0, "sid": "…", "reason_contains": " for compute - " } ],
//!               "explanation_contains": ["…"], "steps": 2 } }
//! ```
//!
//! - `options` (optional): `profile` picks another provider served by the folder's engine
//!   (`aws` in `outscale/`); any other key set to `true` is a yes/no option of the engine
//!   (`iamlab_engine::Options::set_flag`, e.g. Scaleway's `owner`).
//! - `documents`: each a `role` (`policy`, `organization`, `managed`, `inline`: the CLI's
//!   `--kind` values) and either `json` (a value, written out pretty-printed) or `text` (the
//!   exact text, for documents that are not valid JSON). The document at index `i` is
//!   `DocumentId(i)`; the request comes after them.
//! - `saved_documents` (optional): a saved version of the documents, the one at index `i` being
//!   the saved `DocumentId(i)`; the findings of `iamlab_engine::compare_versions` (saved →
//!   current) count among the current documents' codes.
//! - `request` (a value) or `request_text` (exact text). A scenario without a request is a
//!   validation scenario: it expects `codes`, the diagnostic codes of its documents in any order,
//!   and nothing else.
//! - `expect.effect` (`allow`, `explicit_deny`, `implicit_deny`), or `expect.refused`
//!   `{ "document": <index> | "request", "codes": [ … ] }` when the simulation must refuse a
//!   document (its errors, in any order, when `codes` is given).
//! - `expect.decisive` (optional): the decisive entries in the order the decision lists them,
//!   exactly as many; each checks only the fields it gives (`"index": null` says "no index").
//! - `expect.explanation_contains`: phrases each found in some explanation step's or decisive
//!   entry's reason; `expect.steps`: the number of explanation steps that are not notes;
//!   `expect.codes` in a simulation scenario: the codes of every document and the request.
//!
//! Beyond what a scenario expects, every scenario checks the pipeline's invariants: every span
//! of every diagnostic and of the decision lies inside its document on character boundaries
//! (`iamlab_engine::pipeline::spans_outside` and `decision_spans_outside`), `analyze` agrees with
//! `validate` and `simulate`, and every message is lowercase without a trailing period.

use crate::support::test_data;
use iamlab_cli::render::render_decision;
use iamlab_engine::pipeline::{decision_spans_outside, spans_outside};
use iamlab_engine::{DocumentId, DocumentRole, Options, SimulateError, Source};
use iamlab_model::{Decision, DecisiveEntry, Diagnostic, Effect, Layer, Provider, StepOutcome};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    name: String,
    source: String,
    #[serde(default)]
    options: serde_json::Map<String, Value>,
    documents: Vec<ScenarioDocument>,
    /// The saved version of the documents, for what only a comparison shows (a lock-out).
    #[serde(default)]
    saved_documents: Vec<ScenarioDocument>,
    #[serde(default)]
    request: Option<Value>,
    #[serde(default)]
    request_text: Option<String>,
    expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioDocument {
    role: String,
    #[serde(default)]
    json: Option<Value>,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default)]
    effect: Option<Effect>,
    #[serde(default)]
    decisive: Option<Vec<ExpectedEntry>>,
    #[serde(default)]
    explanation_contains: Vec<String>,
    #[serde(default)]
    steps: Option<usize>,
    #[serde(default)]
    refused: Option<Refusal>,
    #[serde(default)]
    codes: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedEntry {
    #[serde(default)]
    document: Option<usize>,
    #[serde(default)]
    layer: Option<Layer>,
    #[serde(default)]
    element: Option<String>,
    /// Absent: not checked; `null`: the entry has no index.
    #[serde(default, deserialize_with = "present")]
    index: Option<Option<u32>>,
    #[serde(default)]
    sid: Option<String>,
    #[serde(default)]
    reason_contains: Option<String>,
}

/// Tells a `null` field (`Some(None)`) from an absent one (`None`, the serde default).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Refusal {
    document: DocumentRef,
    #[serde(default)]
    codes: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum DocumentRef {
    Index(usize),
    Request(RequestKeyword),
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum RequestKeyword {
    Request,
}

/// One provider's scenario files.
struct ProviderCorpus {
    provider: Provider,
    files: Vec<(PathBuf, Vec<Scenario>)>,
}

impl ProviderCorpus {
    fn scenarios(&self) -> impl Iterator<Item = (&Path, &Scenario)> {
        self.files.iter().flat_map(|(path, scenarios)| scenarios.iter().map(move |scenario| (path.as_path(), scenario)))
    }
}

/// Every provider folder of `tests/scenarios/`, in name order. A folder may be empty (a provider
/// whose scenarios are still to come); anything but `*.json` files in it is an error, so that
/// fixtures stay in `tests/fixtures/`.
fn corpus() -> Vec<ProviderCorpus> {
    let root = test_data("scenarios");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&root).unwrap().map(|entry| entry.unwrap().path()).collect();
    folders.sort();
    folders
        .into_iter()
        .map(|folder| {
            let name = folder.file_name().unwrap().to_string_lossy().into_owned();
            let provider: Provider = name
                .parse()
                .unwrap_or_else(|error| panic!("{}: folders are named after providers: {error}", folder.display()));
            let mut paths: Vec<PathBuf> =
                std::fs::read_dir(&folder).unwrap().map(|entry| entry.unwrap().path()).collect();
            paths.sort();
            let files = paths
                .into_iter()
                .map(|path| {
                    assert!(
                        path.is_file() && path.extension().is_some_and(|extension| extension == "json"),
                        "{}: a scenario folder holds only scenario files (fixtures go to tests/fixtures/)",
                        path.display()
                    );
                    let text = std::fs::read_to_string(&path).unwrap();
                    let scenarios: Vec<Scenario> =
                        serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
                    (path, scenarios)
                })
                .collect();
            ProviderCorpus { provider, files }
        })
        .collect()
}

#[test]
fn scenarios_of_every_provider() {
    let mut failures = Vec::new();
    let mut total = 0;
    for corpus in corpus() {
        let mut count = 0;
        for (path, scenario) in corpus.scenarios() {
            count += 1;
            if let Err(problem) = check(corpus.provider, scenario) {
                let file = path.file_name().unwrap_or_default().to_string_lossy();
                failures.push(format!("--- {} {file} / {}: {problem}", corpus.provider, scenario.name));
            }
        }
        println!("{}: {count} scenarios in {} files", corpus.provider, corpus.files.len());
        total += count;
    }
    assert!(failures.is_empty(), "{} of {total} scenarios failed:\n{}", failures.len(), failures.join("\n"));
}

/// A floor under each corpus, so that a file dropped by mistake fails loudly; names are unique
/// within a provider so that a failure names one scenario.
#[test]
fn scenario_corpus_sizes_and_unique_names() {
    let corpus = corpus();
    for (provider, minimum) in [(Provider::Exoscale, 200), (Provider::Outscale, 276)] {
        let count = corpus
            .iter()
            .filter(|corpus| corpus.provider == provider)
            .map(|corpus| corpus.scenarios().count())
            .sum::<usize>();
        assert!(count >= minimum, "{provider}: only {count} scenarios, expected at least {minimum}");
    }
    for corpus in &corpus {
        let mut names: Vec<&str> = corpus.scenarios().map(|(_, scenario)| scenario.name.as_str()).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "{}: scenario names must be unique", corpus.provider);
    }
}

/// The engine options a scenario asks for, starting from the provider's defaults.
fn options(provider: Provider, given: &serde_json::Map<String, Value>) -> Result<Options, String> {
    let provider = match given.get("profile") {
        None => provider,
        Some(Value::String(profile)) => {
            let profiled: Provider = profile.parse().map_err(|error| format!("profile: {error}"))?;
            // A profile is another provider served by the same engine (AWS by the Outscale one).
            let same_engine = std::mem::discriminant(&Options::for_provider(profiled))
                == std::mem::discriminant(&Options::for_provider(provider));
            if !same_engine {
                return Err(format!("profile {profiled} is not served by the {provider} engine"));
            }
            profiled
        }
        Some(other) => return Err(format!("profile must be a provider name, not {other}")),
    };
    let mut options = Options::for_provider(provider);
    for (key, value) in given.iter().filter(|(key, _)| *key != "profile") {
        match value {
            Value::Bool(true) => options.set_flag(key).map_err(|error| error.to_string())?,
            Value::Bool(false) => {}
            other => {
                return Err(format!(
                    "option `{key}`: {other} is neither a profile nor a yes/no flag (extend `options` in tests/scenarios.rs)"
                ))
            }
        }
    }
    Ok(options)
}

/// A scenario's documents and request as the engine takes them: texts, roles and ids.
struct Inputs {
    texts: Vec<(DocumentRole, String)>,
    /// Whether the last entry of `texts` is the request.
    has_request: bool,
}

impl Inputs {
    fn read(provider: Provider, scenario: &Scenario) -> Result<Inputs, String> {
        let mut texts = document_texts(provider, "documents", &scenario.documents)?;
        let request = match (&scenario.request, &scenario.request_text) {
            (Some(json), None) => Some(serde_json::to_string_pretty(json).unwrap()),
            (None, Some(text)) => Some(text.clone()),
            (None, None) => None,
            (Some(_), Some(_)) => return Err("give at most one of `request` and `request_text`".to_owned()),
        };
        let has_request = request.is_some();
        texts.extend(request.map(|text| (DocumentRole::Request, text)));
        Ok(Inputs { texts, has_request })
    }

    fn sources(&self) -> Vec<Source<'_>> {
        self.texts
            .iter()
            .enumerate()
            .map(|(index, (role, text))| Source { id: DocumentId(u32::try_from(index).unwrap()), role: *role, text })
            .collect()
    }

    fn request_id(&self) -> Option<DocumentId> {
        self.has_request.then(|| DocumentId(u32::try_from(self.texts.len() - 1).unwrap()))
    }

    fn text(&self, id: DocumentId) -> Option<&str> {
        self.texts.get(id.0 as usize).map(|(_, text)| text.as_str())
    }

    /// How failure messages name a document.
    fn name(&self, id: DocumentId) -> String {
        if Some(id) == self.request_id() {
            "request".to_owned()
        } else {
            format!("documents[{}]", id.0)
        }
    }
}

/// The roles and texts of `documents` (the scenario's field `field`).
fn document_texts(
    provider: Provider,
    field: &str,
    documents: &[ScenarioDocument],
) -> Result<Vec<(DocumentRole, String)>, String> {
    let mut texts = Vec::with_capacity(documents.len() + 1);
    for (index, document) in documents.iter().enumerate() {
        let role = DocumentRole::from_key(&document.role)
            .filter(|role| *role != DocumentRole::Request)
            .ok_or_else(|| format!("{field}[{index}]: unknown role `{}`", document.role))?;
        iamlab_engine::check_role(provider, role).map_err(|error| format!("{field}[{index}]: {error}"))?;
        let text = match (&document.json, &document.text) {
            (Some(json), None) => serde_json::to_string_pretty(json).unwrap(),
            (None, Some(text)) => text.clone(),
            _ => return Err(format!("{field}[{index}]: give exactly one of `json` and `text`")),
        };
        texts.push((role, text));
    }
    Ok(texts)
}

/// What comparing the scenario's saved version with its documents finds, each finding checked
/// as every other.
fn version_findings(
    provider: Provider,
    options: &Options,
    scenario: &Scenario,
    inputs: &Inputs,
) -> Result<Vec<Diagnostic>, String> {
    if scenario.saved_documents.is_empty() {
        return Ok(Vec::new());
    }
    let saved_texts = document_texts(provider, "saved_documents", &scenario.saved_documents)?;
    let saved: Vec<Source<'_>> = saved_texts
        .iter()
        .enumerate()
        .map(|(index, (role, text))| Source { id: DocumentId(u32::try_from(index).unwrap()), role: *role, text })
        .collect();
    let mut findings = Vec::new();
    for (id, diagnostic) in iamlab_engine::compare_versions(options, &saved, &inputs.sources()) {
        let text = inputs.text(id).ok_or_else(|| format!("a version finding names no document: {id:?}"))?;
        check_diagnostics(&inputs.name(id), text, std::slice::from_ref(&diagnostic))?;
        findings.push(diagnostic);
    }
    Ok(findings)
}

/// Runs one scenario of `provider`'s folder; returns what went wrong, if anything.
fn check(provider: Provider, scenario: &Scenario) -> Result<(), String> {
    if scenario.source.trim().is_empty() {
        return Err("every scenario names its source".to_owned());
    }
    let options = options(provider, &scenario.options)?;
    let inputs = Inputs::read(provider, scenario)?;
    let sources = inputs.sources();
    let reports: Vec<Vec<Diagnostic>> =
        sources.iter().map(|source| iamlab_engine::validate(&options, source)).collect();
    for (source, diagnostics) in sources.iter().zip(&reports) {
        check_diagnostics(&inputs.name(source.id), source.text, diagnostics)?;
    }
    let versions = version_findings(provider, &options, scenario, &inputs)?;
    let expect = &scenario.expect;
    if !inputs.has_request {
        let simulation_expectations = expect.effect.is_some()
            || expect.decisive.is_some()
            || expect.refused.is_some()
            || expect.steps.is_some()
            || !expect.explanation_contains.is_empty();
        if simulation_expectations {
            return Err("a scenario without a request only validates: it expects `codes` and nothing else".to_owned());
        }
        let expected = expect.codes.as_ref().ok_or("a validation scenario expects `codes`")?;
        return compare_codes(reports.iter().flatten().chain(&versions), expected);
    }
    if let Some(expected) = &expect.codes {
        compare_codes(reports.iter().flatten().chain(&versions), expected)?;
    }

    let result = iamlab_engine::simulate(&options, &sources);
    // The playground's path reads each document once: it must find what `validate` finds and
    // decide what `simulate` decides.
    let analysis = iamlab_engine::analyze(&options, &sources);
    for (source, diagnostics) in sources.iter().zip(&reports) {
        if analysis.diagnostics(source.id) != diagnostics.as_slice() {
            return Err(format!(
                "analyze and validate disagree on {}:\n{:#?}\n{diagnostics:#?}",
                inputs.name(source.id),
                analysis.diagnostics(source.id)
            ));
        }
    }
    if analysis.decision != result {
        return Err(format!("analyze and simulate disagree:\n{:#?}\n{result:#?}", analysis.decision));
    }
    // The decision-only level (compiled programs, no traces) decides the same and explains the
    // same steps; the Outscale/AWS engine writes no step reasons and no notes there.
    let decided = iamlab_engine::decide(&options, &sources);
    if decided.clone().map(without_traces) != result.clone().map(|decision| at_decision_level(&options, decision)) {
        return Err(format!("decide and simulate disagree:\n{decided:#?}\n{result:#?}"));
    }
    if decided.iter().flat_map(|decision| &decision.explanation).any(|step| step.nearest_miss.is_some()) {
        return Err("decide looked for a nearest miss".to_owned());
    }

    match (result, &expect.refused) {
        (Ok(decision), None) => {
            let outside = decision_spans_outside(&decision, &|id| inputs.text(id).map(str::to_owned));
            if !outside.is_empty() {
                return Err(format!("decision spans outside their documents: {outside:?}\n{decision:#?}"));
            }
            compare_decision(expect, scenario.documents.len(), &decision)
                .map_err(|problem| format!("{problem}\n{}", render_decision(&decision, &|id| inputs.name(id))))
        }
        (Ok(decision), Some(refusal)) => Err(format!(
            "expected {} to be refused, got a decision:\n{}",
            refused_name(&inputs, &refusal.document),
            render_decision(&decision, &|id| inputs.name(id))
        )),
        (Err(SimulateError::InvalidDocument { document, diagnostics }), Some(refusal)) => {
            if expect.effect.is_some() || expect.decisive.is_some() {
                return Err("a refusal has no effect or decisive entries to expect".to_owned());
            }
            let expected_document = match refusal.document {
                DocumentRef::Index(index) if index < scenario.documents.len() => {
                    DocumentId(u32::try_from(index).unwrap())
                }
                DocumentRef::Index(index) => {
                    return Err(format!("refused.document {index} is not an index of `documents`"))
                }
                DocumentRef::Request(RequestKeyword::Request) => inputs.request_id().ok_or("no request")?,
            };
            if document != expected_document {
                return Err(format!(
                    "{} was refused, expected {}: {diagnostics:#?}",
                    inputs.name(document),
                    inputs.name(expected_document)
                ));
            }
            let text = inputs.text(document).ok_or_else(|| format!("the refusal names unknown {document:?}"))?;
            let outside = spans_outside(text, &diagnostics);
            if !outside.is_empty() {
                return Err(format!("refusal spans outside {}: {outside:?}", inputs.name(document)));
            }
            match &refusal.codes {
                Some(expected) => compare_codes(diagnostics.iter(), expected),
                None => Ok(()),
            }
        }
        (Err(error), _) => Err(format!("simulation failed: {error:?}")),
    }
}

/// A decision without what only [`iamlab_engine::Detail::Explained`] records.
fn without_traces(mut decision: Decision) -> Decision {
    for step in &mut decision.explanation {
        step.trace.clear();
        step.nearest_miss = None;
    }
    decision
}

/// What [`iamlab_engine::decide`] answers for the explained `decision`: no traces; for the
/// Outscale/AWS engine no notes and no step reasons; for the Exoscale engine no reasons on the
/// steps of rules.
fn at_decision_level(options: &Options, decision: Decision) -> Decision {
    let mut decision = without_traces(decision);
    match options {
        Options::Outscale(_) => {
            decision.explanation.retain(|step| step.outcome != StepOutcome::Note);
            for step in &mut decision.explanation {
                step.reason.clear();
            }
        }
        Options::Exoscale(_) => {
            for step in decision.explanation.iter_mut().filter(|step| step.locator.element.contains(".rules[")) {
                step.reason.clear();
            }
        }
        Options::Scaleway(_) => {}
    }
    decision
}

fn refused_name(inputs: &Inputs, document: &DocumentRef) -> String {
    match document {
        DocumentRef::Index(index) => format!("documents[{index}]"),
        DocumentRef::Request(_) => inputs.request_id().map_or("the request".to_owned(), |id| inputs.name(id)),
    }
}

/// The invariants every diagnostic keeps: spans inside the text on character boundaries, a
/// primary span, and a message that starts lowercase (or with an acronym) without a trailing
/// period.
fn check_diagnostics(document: &str, text: &str, diagnostics: &[Diagnostic]) -> Result<(), String> {
    let outside = spans_outside(text, diagnostics);
    if !outside.is_empty() {
        return Err(format!("{document}: spans outside the text or off a character boundary: {outside:?}"));
    }
    for diagnostic in diagnostics {
        if diagnostic.primary_span().is_none() {
            return Err(format!("{document}: {} has no primary span", diagnostic.code));
        }
        if diagnostic.message.ends_with('.') || starts_like_a_sentence(&diagnostic.message) {
            return Err(format!("{document}: {}: message style: {}", diagnostic.code, diagnostic.message));
        }
    }
    Ok(())
}

/// "Statement must…" is sentence case; "EIM does not…" starts with an acronym, which is fine.
fn starts_like_a_sentence(message: &str) -> bool {
    let mut chars = message.chars();
    chars.next().is_some_and(char::is_uppercase) && chars.next().is_some_and(char::is_lowercase)
}

fn compare_codes<'a>(diagnostics: impl Iterator<Item = &'a Diagnostic>, expected: &[String]) -> Result<(), String> {
    let diagnostics: Vec<&Diagnostic> = diagnostics.collect();
    let mut codes: Vec<&str> = diagnostics.iter().map(|diagnostic| diagnostic.code.as_str()).collect();
    codes.sort_unstable();
    let mut expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    expected.sort_unstable();
    if codes != expected {
        return Err(format!("codes {codes:?}, expected {expected:?}\n{diagnostics:#?}"));
    }
    Ok(())
}

/// `documents` is how many documents the scenario has (the request comes after them).
fn compare_decision(expect: &Expect, documents: usize, decision: &Decision) -> Result<(), String> {
    let expected_effect = expect.effect.ok_or("a simulation scenario expects `effect` or `refused`")?;
    if decision.effect != expected_effect {
        return Err(format!("effect {}, expected {}", decision.effect.as_str(), expected_effect.as_str()));
    }
    if let Some(expected) = &expect.decisive {
        if expected.len() != decision.decisive.len() {
            return Err(format!("{} decisive entries, expected {}", decision.decisive.len(), expected.len()));
        }
        for (position, (expected, entry)) in expected.iter().zip(&decision.decisive).enumerate() {
            if expected.document.is_some_and(|index| index >= documents) {
                return Err(format!("decisive[{position}].document is not an index of `documents`"));
            }
            compare_entry(expected, entry).map_err(|problem| format!("decisive[{position}]: {problem}"))?;
        }
    }
    for phrase in &expect.explanation_contains {
        let found = decision.explanation.iter().any(|step| step.reason.contains(phrase.as_str()))
            || decision.decisive.iter().any(|entry| entry.reason.contains(phrase.as_str()));
        if !found {
            return Err(format!("no explanation step or decisive reason contains {phrase:?}"));
        }
    }
    if let Some(expected) = expect.steps {
        let steps = decision.explanation.iter().filter(|step| step.outcome != StepOutcome::Note).count();
        if steps != expected {
            return Err(format!("{steps} explanation steps that are not notes, expected {expected}"));
        }
    }
    Ok(())
}

fn compare_entry(expected: &ExpectedEntry, entry: &DecisiveEntry) -> Result<(), String> {
    let locator = &entry.locator;
    let document = locator.document.map(|id| id.0 as usize);
    if expected.document.is_some() && expected.document != document {
        return Err(format!("document {document:?}, expected {:?}", expected.document));
    }
    if expected.layer.is_some() && expected.layer != locator.layer {
        return Err(format!("layer {:?}, expected {:?}", locator.layer, expected.layer));
    }
    if let Some(element) = &expected.element {
        if &locator.element != element {
            return Err(format!("element {}, expected {element}", locator.element));
        }
    }
    if let Some(index) = expected.index {
        if locator.index != index {
            return Err(format!("index {:?}, expected {index:?}", locator.index));
        }
    }
    if expected.sid.is_some() && expected.sid != locator.sid {
        return Err(format!("sid {:?}, expected {:?}", locator.sid, expected.sid));
    }
    if let Some(phrase) = &expected.reason_contains {
        if !entry.reason.contains(phrase.as_str()) {
            return Err(format!("reason {:?} does not contain {phrase:?}", entry.reason));
        }
    }
    Ok(())
}
