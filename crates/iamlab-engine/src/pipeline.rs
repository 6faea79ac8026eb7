//! The shape every provider fills in, and the steps written once for all of them.
//!
//! A provider is a folder that implements [`ProviderEngine`]: it reads a document (syntax:
//! JSON tree → its own tree, schema findings), checks it (validation and lints), reads a
//! request, and evaluates the request against the documents it read. [`validate`],
//! [`simulate`] and [`analyze`] are written here once: they read every document exactly once,
//! refuse to simulate when a document has errors, and keep the span invariant (every span lies
//! inside its document, on character boundaries). `lib.rs` only picks the provider.
//!
//! Nothing here imports `lib.rs`, so no provider depends on the facade.

use iamlab_model::{Decision, Diagnostic, Provider, Severity, Span};

pub use iamlab_model::DocumentId;

/// What a document is to the provider. One enum for every provider; each provider lists the
/// roles it knows in [`ProviderEngine::roles`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocumentRole {
    /// The principal's policy: an Exoscale role or bare policy, a Scaleway policy, an
    /// Outscale/AWS policy document of unknown kind.
    Policy,
    /// Exoscale: the organization policy, evaluated before the role.
    OrganizationPolicy,
    /// Outscale/AWS: a managed policy (the 5120-character limit is an error).
    ManagedPolicy,
    /// Outscale/AWS: an inline user or group policy (no managed-policy size limit).
    InlinePolicy,
    /// The request to simulate.
    Request,
}

impl DocumentRole {
    pub const ALL: [DocumentRole; 5] = [
        DocumentRole::Policy,
        DocumentRole::OrganizationPolicy,
        DocumentRole::ManagedPolicy,
        DocumentRole::InlinePolicy,
        DocumentRole::Request,
    ];

    /// The value of the CLI's `--kind` and the key of stored work and share links.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentRole::Policy => "policy",
            DocumentRole::OrganizationPolicy => "organization",
            DocumentRole::ManagedPolicy => "managed",
            DocumentRole::InlinePolicy => "inline",
            DocumentRole::Request => "request",
        }
    }

    /// How people call it, e.g. in "organization policy documents do not exist for aws".
    pub fn display_name(self) -> &'static str {
        match self {
            DocumentRole::Policy => "policy",
            DocumentRole::OrganizationPolicy => "organization policy",
            DocumentRole::ManagedPolicy => "managed policy",
            DocumentRole::InlinePolicy => "inline policy",
            DocumentRole::Request => "request",
        }
    }

    pub fn from_key(key: &str) -> Option<DocumentRole> {
        DocumentRole::ALL.into_iter().find(|role| role.as_str() == key)
    }
}

/// How a provider uses one of its roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleInfo {
    pub role: DocumentRole,
    /// What the editor or file of this role holds, in a few words.
    pub hint: &'static str,
    /// How many documents of this role a simulation takes.
    pub count: RoleCount,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleCount {
    ExactlyOne,
    AtMostOne,
    Any,
}

/// One document handed to the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source<'text> {
    pub id: DocumentId,
    pub role: DocumentRole,
    pub text: &'text str,
}

/// What reading a document gave: its tree when it could be built, and every finding on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Read<T> {
    pub tree: Option<T>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A document that was read, with its source.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<'text, T> {
    pub source: Source<'text>,
    pub tree: T,
}

/// A documented example: what the playground starts with, what its gallery loads and what
/// `--example` would print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    pub title: &'static str,
    /// Where the example comes from: the URL of a documentation page or of the file in a
    /// provider's repository, which the playground shows as the example's source link.
    pub origin: &'static str,
    /// The documents in order; a role the provider reads any number of may come more than once.
    pub documents: &'static [(DocumentRole, &'static str)],
    /// The requests the source discusses, each with the effect the source says it has: the
    /// playground's gallery loads them as the test grid, and a test checks every one.
    pub cases: &'static [ExampleCase],
}

/// One request of an [`Example`] and the effect its source gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExampleCase {
    pub name: &'static str,
    /// The request as JSON, in the provider's request shape.
    pub request: &'static str,
    pub expect: crate::test_cases::Expectation,
}

impl Example {
    /// The text of the example's document of `role`.
    pub fn text(&self, role: DocumentRole) -> Option<&'static str> {
        self.documents.iter().find(|(candidate, _)| *candidate == role).map(|(_, text)| *text)
    }
}

/// How much of the explanation a simulation builds. The effect, the decisive entries and the
/// explanation steps (locator and outcome of every element considered) are the same at both
/// levels; so are the steps' reasons and the notes, except at [`Detail::DecisionOnly`] the
/// Outscale/AWS engine writes neither (its steps then have empty reasons, and it adds no notes)
/// and the Exoscale engine writes no reasons for the steps of rules. `tests/scenarios.rs`
/// checks it on every scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// Each step of an evaluated expression with the values of its sub-expressions (traced by
    /// the tree walk), and the nearest miss of a denied request, which reads those values: what
    /// the decision view and the CLI show.
    #[default]
    Explained,
    /// No CEL traces and no nearest miss; expressions are evaluated by their compiled programs
    /// (`iamlab_cel::Program`). An Outscale/AWS step has no reason and no per-condition trace,
    /// and a statement's parts are looked at only while it can still apply; an Exoscale rule's
    /// step has no reason. For the readers of the effect, the decisive entries and the steps'
    /// outcomes only (a grid of test cases and its coverage, throughput benchmarks). Without
    /// the `programs` feature (the web build: they cost 16.5 KB gzip there) the tree walk runs
    /// without recording a trace.
    DecisionOnly,
}

/// Returned when a simulation cannot produce a decision.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimulateError {
    /// Returned when the provider's engine has not landed yet: never a made-up decision.
    #[error("simulation is not implemented yet for {0}")]
    NotImplemented(Provider),
    /// Returned when a policy or the request has errors that make its meaning unknown, or when
    /// the documents given do not make a simulation (no role, two roles).
    #[error("a document has errors")]
    InvalidDocument { document: DocumentId, diagnostics: Vec<Diagnostic> },
}

/// Returned when a document role does not exist for the provider.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} documents do not exist for {provider}", role.display_name())]
pub struct RoleNotApplicable {
    pub provider: Provider,
    pub role: DocumentRole,
}

/// The form a provider fills in. Each method is one phase, in its own module of the provider's
/// folder (`syntax.rs`, `validate.rs` + `lints.rs`, `request.rs`, `evaluate.rs`, `examples.rs`).
pub trait ProviderEngine {
    /// The provider's own tree of a document (policy, role, organization policy…).
    type Document;
    /// The simulated request, as the provider's evaluation reads it.
    type Request;
    /// Everything a simulation needs beyond the documents, as one value (rust-analyzer's
    /// "options as one struct").
    type Options: Default + Clone;

    /// The roles of the provider's documents, in the order a simulation reads them (the first
    /// document with errors is the one a refusal names).
    fn roles() -> &'static [RoleInfo];
    /// Syntax: the JSON tree and the provider's schema. Findings here stop a simulation.
    fn read(source: &Source<'_>, options: &Self::Options) -> Read<Self::Document>;
    /// Validation and lints of a document that was read. Findings here never stop a simulation.
    fn check(source: &Source<'_>, document: &Self::Document, options: &Self::Options) -> Vec<Diagnostic>;
    fn read_request(source: &Source<'_>, options: &Self::Options) -> Read<Self::Request>;
    /// Decides the request against documents that were read without errors; `detail` says
    /// whether the steps carry traces (a provider without expressions has none either way).
    fn evaluate(
        documents: &[Parsed<'_, Self::Document>],
        request: &Parsed<'_, Self::Request>,
        options: &Self::Options,
        detail: Detail,
    ) -> Result<Decision, SimulateError>;
    /// The documented examples, the first being the default.
    fn examples() -> &'static [Example];
    /// Every diagnostic code the provider's phases can report (its `Code` enum), for the
    /// codes reference and `cargo xtask tidy`, which checks each is documented.
    fn codes() -> &'static [CodeInfo];
    /// Findings that only a comparison of two versions of the documents can show (an edit that
    /// takes away the principal's own IAM-management rights), each on a current document. Both
    /// versions were read without reading errors. None by default.
    fn compare_versions(
        saved: &[Parsed<'_, Self::Document>],
        current: &[Parsed<'_, Self::Document>],
        options: &Self::Options,
    ) -> Vec<(DocumentId, Diagnostic)> {
        let _ = (saved, current, options);
        Vec::new()
    }
    /// The embedded catalogues the provider's checks and evaluation read, whose versions share
    /// links record. None by default, for a provider that embeds none.
    fn catalogs() -> &'static [crate::catalog::CatalogInfo] {
        &[]
    }
}

/// One diagnostic code: its stable name (`exoscale::unknown-operation`), the severity it is
/// reported with, and a one-line summary for the codes reference and SARIF rule metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    pub code: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
}

/// The pipeline's own codes (see `docs/semantics/common.md`), then those of the test-case file
/// reader (`crate::test_cases`, documented in `docs/semantics/tests.md`).
pub const PIPELINE_CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "pipeline::unreadable",
        severity: Severity::Error,
        summary: "a reader built nothing and reported nothing",
    },
    CodeInfo {
        code: "tests::invalid-version",
        severity: Severity::Error,
        summary: "not a test-case file of a known version",
    },
    CodeInfo {
        code: "tests::missing-field",
        severity: Severity::Error,
        summary: "a test-case file or case lacks a field",
    },
    CodeInfo {
        code: "tests::invalid-field",
        severity: Severity::Error,
        summary: "a field has the wrong type or value",
    },
    CodeInfo { code: "tests::unknown-field", severity: Severity::Warning, summary: "a field the format does not have" },
    CodeInfo { code: "tests::duplicate-name", severity: Severity::Warning, summary: "two cases have the same name" },
];

/// The request findings every provider reports with the same codes and severities (the
/// request shapes differ, the ways to get one wrong do not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestCode {
    /// Returned when the request is not a JSON object.
    NotAnObject,
    /// Returned when a field the provider needs is absent.
    MissingField,
    /// Returned when a field has the wrong type or an impossible value.
    InvalidField,
    /// Returned when the request has a field the provider does not read: a typo there would
    /// silently change the decision, so it is an error and the simulation stops.
    UnknownField,
    /// Returned when no request was given to a simulation.
    Missing,
}

impl RequestCode {
    pub const ALL: [RequestCode; 5] = [
        RequestCode::NotAnObject,
        RequestCode::MissingField,
        RequestCode::InvalidField,
        RequestCode::UnknownField,
        RequestCode::Missing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestCode::NotAnObject => "request::not-an-object",
            RequestCode::MissingField => "request::missing-field",
            RequestCode::InvalidField => "request::invalid-field",
            RequestCode::UnknownField => "request::unknown-field",
            RequestCode::Missing => "request::missing",
        }
    }

    pub fn info(self) -> CodeInfo {
        let summary = match self {
            RequestCode::NotAnObject => "the request is not a JSON object",
            RequestCode::MissingField => "the request lacks a field the provider needs",
            RequestCode::InvalidField => "a request field has the wrong type or value",
            RequestCode::UnknownField => "the request has a field the provider does not read",
            RequestCode::Missing => "no request was given",
        };
        CodeInfo { code: self.as_str(), severity: Severity::Error, summary }
    }

    /// A finding of this code, at its one severity.
    pub fn diagnostic(self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.as_str(), Severity::Error, message)
    }
}

/// Whether `role` is one of the provider's.
pub fn has_role<E: ProviderEngine>(role: DocumentRole) -> bool {
    E::roles().iter().any(|info| info.role == role)
}

/// Validates one document: every finding of reading and checking, sorted by position.
pub fn validate<E: ProviderEngine>(source: &Source<'_>, options: &E::Options) -> Vec<Diagnostic> {
    let mut diagnostics = if source.role == DocumentRole::Request {
        E::read_request(source, options).diagnostics
    } else {
        let read = E::read(source, options);
        let mut diagnostics = read.diagnostics;
        if let Some(tree) = &read.tree {
            diagnostics.extend(E::check(source, tree, options));
        }
        diagnostics
    };
    crate::authoring::fixes::derive_fixes(source.text, &mut diagnostics);
    iamlab_model::sort_diagnostics(&mut diagnostics);
    diagnostics
}

/// Simulates the request among `sources` against the other documents.
pub fn simulate<E: ProviderEngine>(sources: &[Source<'_>], options: &E::Options) -> Result<Decision, SimulateError> {
    simulate_with::<E>(sources, options, Detail::Explained)
}

/// [`simulate`] at the level of `detail`.
pub fn simulate_with<E: ProviderEngine>(
    sources: &[Source<'_>],
    options: &E::Options,
    detail: Detail,
) -> Result<Decision, SimulateError> {
    // No one looks at the findings here, so the checking phase is skipped: a simulation costs
    // reading and evaluating only.
    let levels = Levels { request: detail, rows: detail };
    read_and_evaluate::<E>(sources, &[], options, levels, None).0
}

/// Simulates each of `requests` against the documents of `policies` (sources of other roles),
/// reading the documents once: what a grid of test cases runs on every keystroke. Every answer
/// is the one [`simulate_with`] would give for the documents, that request and `detail`.
pub fn simulate_each<E: ProviderEngine>(
    policies: &[Source<'_>],
    requests: &[Source<'_>],
    options: &E::Options,
    detail: Detail,
) -> Vec<Result<Decision, SimulateError>> {
    let policies: Vec<Source<'_>> =
        policies.iter().filter(|source| source.role != DocumentRole::Request).copied().collect();
    read_and_evaluate::<E>(&policies, requests, options, Levels { request: detail, rows: detail }, None).1
}

/// The findings of [`ProviderEngine::compare_versions`] for the policy documents of a saved
/// version and of the current one (requests are left out). Nothing when a document of either
/// version has a reading error: half a policy set would look like lost rights while it is typed.
pub fn compare_versions<E: ProviderEngine>(
    saved: &[Source<'_>],
    current: &[Source<'_>],
    options: &E::Options,
) -> Vec<(DocumentId, Diagnostic)> {
    let (Some(saved), Some(current)) = (read_all::<E>(saved, options), read_all::<E>(current, options)) else {
        return Vec::new();
    };
    let mut findings = E::compare_versions(&saved, &current, options);
    iamlab_model::order::sort_by_key(&mut findings, |(id, diagnostic)| {
        (id.0, diagnostic.primary_span().map(|span| span.start))
    });
    findings
}

/// Every policy document of `sources` read, or `None` when one has a reading error.
fn read_all<'text, E: ProviderEngine>(
    sources: &[Source<'text>],
    options: &E::Options,
) -> Option<Vec<Parsed<'text, E::Document>>> {
    let mut documents = Vec::with_capacity(sources.len());
    for source in sources.iter().filter(|source| source.role != DocumentRole::Request && has_role::<E>(source.role)) {
        let read = E::read(source, options);
        if read.diagnostics.iter().any(Diagnostic::is_error) {
            return None;
        }
        documents.push(Parsed { source: *source, tree: read.tree? });
    }
    Some(documents)
}

/// Every document's findings and the decision, each document read once (the playground calls
/// this on every keystroke).
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// One entry per source, in the order given, findings sorted by position.
    pub reports: Vec<(DocumentId, Vec<Diagnostic>)>,
    pub decision: Result<Decision, SimulateError>,
}

impl Analysis {
    pub fn diagnostics(&self, id: DocumentId) -> &[Diagnostic] {
        self.reports.iter().find(|(candidate, _)| *candidate == id).map_or(&[], |(_, diagnostics)| diagnostics)
    }
}

/// Validates every source and simulates the request, reading each document once.
pub fn analyze<E: ProviderEngine>(sources: &[Source<'_>], options: &E::Options) -> Analysis {
    analyze_each::<E>(sources, &[], options, Detail::DecisionOnly).0
}

/// [`analyze`], and each of `requests` simulated at the level of `detail` against the policy
/// documents of `sources`, from the same reading: what the playground runs on every keystroke
/// with a grid of test cases. The analysis is the one [`analyze`] gives, and each answer the one
/// [`simulate_each`] would give for those policy documents and that request.
pub fn analyze_each<E: ProviderEngine>(
    sources: &[Source<'_>],
    requests: &[Source<'_>],
    options: &E::Options,
    detail: Detail,
) -> (Analysis, Vec<Result<Decision, SimulateError>>) {
    let mut reports: Vec<(DocumentId, Vec<Diagnostic>)> = Vec::with_capacity(sources.len());
    let mut record = |source: &Source<'_>, diagnostics: Vec<Diagnostic>| {
        let mut diagnostics = diagnostics;
        crate::authoring::fixes::derive_fixes(source.text, &mut diagnostics);
        iamlab_model::sort_diagnostics(&mut diagnostics);
        reports.push((source.id, diagnostics));
    };
    let levels = Levels { request: Detail::Explained, rows: detail };
    let (decision, answers) = read_and_evaluate::<E>(sources, requests, options, levels, Some(&mut record));
    iamlab_model::order::sort_by_key(&mut reports, |(id, _)| sources.iter().position(|source| source.id == *id));
    (Analysis { reports, decision }, answers)
}

/// What receives each document's findings while it is read.
type Recorder<'record> = dyn FnMut(&Source<'_>, Vec<Diagnostic>) + 'record;

/// How explained the request among the sources and the other requests are.
#[derive(Debug, Clone, Copy)]
struct Levels {
    request: Detail,
    rows: Detail,
}

/// The one reading of documents behind [`simulate_with`], [`simulate_each`] and
/// [`analyze_each`]: every source read once, in role order, and checked when there is a
/// `record`er for the findings; then the request among `sources` and each of `requests`
/// evaluated against the policy documents. Every document is read even after one that has
/// errors, so that every editor shows its findings; the decision is refused for the first source
/// in role order that has errors (policy document or request), the other requests only for such
/// a policy document: its meaning is unknown, so no decision can be trusted.
fn read_and_evaluate<E: ProviderEngine>(
    sources: &[Source<'_>],
    requests: &[Source<'_>],
    options: &E::Options,
    levels: Levels,
    mut record: Option<&mut Recorder<'_>>,
) -> (Result<Decision, SimulateError>, Vec<Result<Decision, SimulateError>>) {
    let mut ordered: Vec<&Source<'_>> = sources.iter().collect();
    iamlab_model::order::sort_by_key(&mut ordered, |source| {
        E::roles().iter().position(|info| info.role == source.role).unwrap_or(usize::MAX)
    });
    let mut documents = Vec::with_capacity(sources.len());
    let mut request = None;
    let mut first_refused: Option<SimulateError> = None;
    let mut policy_refused: Option<SimulateError> = None;
    for source in ordered {
        if source.role == DocumentRole::Request {
            let read = E::read_request(source, options);
            let refused = refusal(source, &read.diagnostics);
            if let Some(record) = record.as_mut() {
                record(source, read.diagnostics);
            }
            match (read.tree, refused) {
                (Some(tree), None) => request = Some(Parsed { source: *source, tree }),
                (_, refused) => {
                    first_refused.get_or_insert_with(|| refused.unwrap_or_else(|| no_tree(source)));
                }
            }
            continue;
        }
        let read = E::read(source, options);
        let refused = refusal(source, &read.diagnostics);
        if let Some(record) = record.as_mut() {
            let mut diagnostics = read.diagnostics;
            if let Some(tree) = &read.tree {
                diagnostics.extend(E::check(source, tree, options));
            }
            record(source, diagnostics);
        }
        match (read.tree, refused) {
            (Some(tree), None) => documents.push(Parsed { source: *source, tree }),
            (_, refused) => {
                let error = refused.unwrap_or_else(|| no_tree(source));
                policy_refused.get_or_insert_with(|| error.clone());
                first_refused.get_or_insert(error);
            }
        }
    }
    let decision = match (first_refused, request) {
        (Some(error), _) => Err(error),
        (None, None) => Err(missing_request(sources)),
        (None, Some(request)) => evaluate_read::<E>(&documents, &request, sources, options, levels.request),
    };
    let answers = match policy_refused {
        Some(error) => requests.iter().map(|_| Err(error.clone())).collect(),
        None => {
            let mut texts: Vec<Source<'_>> =
                sources.iter().filter(|source| source.role != DocumentRole::Request).copied().collect();
            requests
                .iter()
                .map(|source| {
                    let read = E::read_request(source, options);
                    if let Some(error) = refusal(source, &read.diagnostics) {
                        return Err(error);
                    }
                    let request = Parsed { source: *source, tree: read.tree.ok_or_else(|| no_tree(source))? };
                    // The nearest miss reads the policy documents and this request.
                    texts.push(*source);
                    let answer = evaluate_read::<E>(&documents, &request, &texts, options, levels.rows);
                    texts.pop();
                    answer
                })
                .collect()
        }
    };
    (decision, answers)
}

/// A request already read, evaluated against documents already read; `sources` are the texts
/// the nearest miss reads.
fn evaluate_read<E: ProviderEngine>(
    documents: &[Parsed<'_, E::Document>],
    request: &Parsed<'_, E::Request>,
    sources: &[Source<'_>],
    options: &E::Options,
    detail: Detail,
) -> Result<Decision, SimulateError> {
    let mut decision = E::evaluate(documents, request, options, detail)?;
    if detail == Detail::Explained {
        crate::authoring::nearest_miss::annotate(&mut decision, sources);
    }
    Ok(decision)
}

/// The refusal when no request was given.
fn missing_request(sources: &[Source<'_>]) -> SimulateError {
    let document = sources.first().map_or(DocumentId(0), |source| source.id);
    SimulateError::InvalidDocument {
        document,
        diagnostics: vec![RequestCode::Missing
            .diagnostic("no request to simulate")
            .with_help("give the request as a document of role `request`")],
    }
}

/// The refusal for a document whose reading found errors (only the errors travel with it).
fn refusal(source: &Source<'_>, diagnostics: &[Diagnostic]) -> Option<SimulateError> {
    let errors: Vec<Diagnostic> = diagnostics.iter().filter(|diagnostic| diagnostic.is_error()).cloned().collect();
    (!errors.is_empty()).then_some(SimulateError::InvalidDocument { document: source.id, diagnostics: errors })
}

/// A reader that built no tree must have said why; should one not, the simulation still stops.
fn no_tree(source: &Source<'_>) -> SimulateError {
    SimulateError::InvalidDocument {
        document: source.id,
        diagnostics: vec![Diagnostic::error("pipeline::unreadable", "the document could not be read")
            .with_help("the provider's reader built nothing and said nothing: please report this")],
    }
}

/// The pipeline's invariant: every span of every diagnostic lies inside its document and on
/// UTF-8 character boundaries. Returns the offending spans (empty when it holds); the tests run
/// it over every provider's scenario corpus and the fuzz targets over random input.
pub fn spans_outside(text: &str, diagnostics: &[Diagnostic]) -> Vec<Span> {
    diagnostics
        .iter()
        .flat_map(|diagnostic| diagnostic.labels.iter().map(|label| label.span))
        .filter(|span| !span_fits(text, *span))
        .collect()
}

/// The same invariant for a decision: every decisive entry, step and trace span lies inside the
/// text of the document it names (`text_of` gives it).
pub fn decision_spans_outside(decision: &Decision, text_of: &dyn Fn(DocumentId) -> Option<String>) -> Vec<Span> {
    let mut outside = Vec::new();
    let locators = decision
        .decisive
        .iter()
        .map(|entry| (&entry.locator, &[][..]))
        .chain(decision.explanation.iter().map(|step| (&step.locator, step.trace.as_slice())));
    for (locator, trace) in locators {
        let spans = locator.span.into_iter().chain(trace.iter().filter_map(|entry| entry.span));
        let text = locator.document.and_then(text_of);
        for span in spans {
            if !text.as_deref().is_some_and(|text| span_fits(text, span)) {
                outside.push(span);
            }
        }
    }
    outside
}

fn span_fits(text: &str, span: Span) -> bool {
    span.start <= span.end && span.slice(text).is_some()
}
