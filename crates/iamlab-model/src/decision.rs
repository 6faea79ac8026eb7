use crate::Span;
use serde::{Deserialize, Serialize};

/// The caller's handle for one document (a file in the CLI, an editor in the playground).
///
/// Answers carry it instead of a name, so that a caller never has to match names again to find
/// the text a span belongs to (cedar-policy answers with `PolicyID` the same way). Names exist
/// only at the edge: see [`Decision::to_json_string_with_names`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocumentId(pub u32);

/// The outcome of a simulated request, the same three values for every provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// A statement or rule allowed the request and nothing denied it.
    Allow,
    /// A deny statement, deny rule or deny-typed service matched.
    ExplicitDeny,
    /// Nothing allowed the request (the default for every provider).
    ImplicitDeny,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "allow",
            Effect::ExplicitDeny => "explicit_deny",
            Effect::ImplicitDeny => "implicit_deny",
        }
    }
}

/// An authorization layer, where a provider evaluates several in turn (Exoscale: the
/// organization policy, then the role).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    Organization,
    Role,
}

impl Layer {
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Organization => "organization",
            Layer::Role => "role",
        }
    }
}

/// The answer to "would this request be allowed, and why?".
///
/// Serialized as exactly `{ "effect", "decisive", "explanation" }`: the CLI's JSON output and
/// the UI rely on these names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub effect: Effect,
    /// The statements, rules or defaults that decided; empty only for an implicit deny where
    /// nothing applied at all.
    pub decisive: Vec<DecisiveEntry>,
    /// One step per statement or rule considered, in evaluation order, saying why it did or did
    /// not apply, plus notes (e.g. assumptions the engine made).
    pub explanation: Vec<ExplanationStep>,
}

impl Decision {
    /// The step the engine marked as the nearest miss of a denied request, with its miss.
    pub fn nearest_miss(&self) -> Option<(&ExplanationStep, &NearestMiss)> {
        self.explanation.iter().find_map(|step| step.nearest_miss.as_ref().map(|miss| (step, miss)))
    }

    /// The decision as the CLI prints it, as JSON text in field order: every `document` is the
    /// name `name_of` gives the id (an empty string where a step belongs to no document).
    pub fn to_json_string_with_names(&self, name_of: &dyn Fn(DocumentId) -> String) -> String {
        let ids = self
            .decisive
            .iter()
            .map(|entry| &entry.locator)
            .chain(self.explanation.iter().map(|step| &step.locator))
            .filter_map(|locator| locator.document);
        let mut names: Vec<(DocumentId, String)> = Vec::new();
        for id in ids {
            if !names.iter().any(|(known, _)| *known == id) {
                names.push((id, name_of(id)));
            }
        }
        DOCUMENT_NAMES.with(|cell| *cell.borrow_mut() = Some(names));
        let text = serde_json::to_string(self).unwrap_or_default();
        DOCUMENT_NAMES.with(|cell| *cell.borrow_mut() = None);
        text
    }
}

thread_local! {
    /// While [`Decision::to_json_string_with_names`] serializes, the names documents are
    /// printed under; otherwise `None`, and documents serialize as their ids.
    static DOCUMENT_NAMES: std::cell::RefCell<Option<Vec<(DocumentId, String)>>> =
        const { std::cell::RefCell::new(None) };
}

/// Serializes a locator's document as its name while names are set, as its id otherwise.
fn serialize_document<S: serde::Serializer>(document: &Option<DocumentId>, serializer: S) -> Result<S::Ok, S::Error> {
    let named = DOCUMENT_NAMES.with(|cell| {
        cell.borrow().as_ref().map(|names| {
            document
                .and_then(|id| names.iter().find(|(known, _)| *known == id).map(|(_, name)| name.clone()))
                .unwrap_or_default()
        })
    });
    match named {
        Some(name) => serializer.serialize_str(&name),
        None => document.serialize(serializer),
    }
}

/// Where an element of a policy is: the document, the layer, a readable path and the span.
///
/// Shared by [`DecisiveEntry`] and [`ExplanationStep`] (flattened into both when serialized).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Locator {
    /// The document, or `None` for a remark about the evaluation as a whole.
    #[serde(default, serialize_with = "serialize_document")]
    pub document: Option<DocumentId>,
    /// The authorization layer, where the provider has several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<Layer>,
    /// A readable locator such as `Statement[2]` or `services.compute.rules[0]`.
    pub element: String,
    /// The statement or rule index, zero-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    /// The statement's `Sid`, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

impl Locator {
    /// An element of `document`, with no layer, index, sid or span yet.
    pub fn element(document: DocumentId, element: impl Into<String>) -> Locator {
        Locator { document: Some(document), element: element.into(), ..Locator::default() }
    }

    pub fn with_layer(mut self, layer: Layer) -> Locator {
        self.layer = Some(layer);
        self
    }

    pub fn with_index(mut self, index: Option<u32>) -> Locator {
        self.index = index;
        self
    }

    pub fn with_sid(mut self, sid: Option<String>) -> Locator {
        self.sid = sid;
        self
    }

    pub fn with_span(mut self, span: Option<Span>) -> Locator {
        self.span = span;
        self
    }

    /// `layer document element (Sid sid)`, leaving out what is absent: how the CLI and the UI
    /// name the element.
    pub fn describe(&self, document_name: &str) -> String {
        let layer = self.layer.map(|layer| format!("{} ", layer.as_str())).unwrap_or_default();
        let sid = self.sid.as_deref().map(|sid| format!(" (Sid {sid})")).unwrap_or_default();
        let place: Vec<&str> =
            [document_name, self.element.as_str()].into_iter().filter(|part| !part.is_empty()).collect();
        if place.is_empty() {
            String::new()
        } else {
            format!("{layer}{}{sid}", place.join(" "))
        }
    }
}

/// Points at the policy element that decided, in words and by position.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DecisiveEntry {
    #[serde(flatten)]
    pub locator: Locator,
    /// Why it decided, in words close to the provider's own error messages.
    pub reason: String,
}

impl DecisiveEntry {
    pub fn new(locator: Locator, reason: impl Into<String>) -> DecisiveEntry {
        DecisiveEntry { locator, reason: reason.into() }
    }
}

/// What happened to one statement or rule during the evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepOutcome {
    /// It applied to the request (its effect counted).
    Matched,
    /// It was evaluated and did not apply.
    NotMatched,
    /// It was evaluated but failed (e.g. a CEL error), and so did not apply.
    Errored,
    /// It was never reached (e.g. a rule after the one that decided).
    NotEvaluated,
    /// A remark about the evaluation as a whole, not about one element.
    Note,
}

impl StepOutcome {
    /// The word the CLI and the UI both print for the outcome.
    pub fn as_str(self) -> &'static str {
        match self {
            StepOutcome::Matched => "matched",
            StepOutcome::NotMatched => "not matched",
            StepOutcome::Errored => "error",
            StepOutcome::NotEvaluated => "not evaluated",
            StepOutcome::Note => "note",
        }
    }
}

/// One line of the explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplanationStep {
    #[serde(flatten)]
    pub locator: Locator,
    pub outcome: StepOutcome,
    pub reason: String,
    /// Sub-expression values (CEL) or per-condition results, outermost first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trace: Vec<TraceEntry>,
    /// Set on one step of a denied request: the allow statement or rule that came closest to
    /// applying. Absent otherwise, so the JSON of other steps is unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nearest_miss: Option<NearestMiss>,
}

/// Why the closest allow statement or rule of a denied request did not apply, and what would
/// make it apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NearestMiss {
    /// How many of its parts failed (top-level CEL conjuncts, conditions, `Action`/`Resource`).
    pub failing_parts: u32,
    /// The parts that failed, with their values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failing: Vec<TraceEntry>,
    /// The smallest change that would flip the decision, where it can be said, e.g.
    /// "`parameters.type` is `'A'`; this rule allows only `'TXT'`".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<String>,
}

impl ExplanationStep {
    /// A step about one element.
    pub fn step(locator: Locator, outcome: StepOutcome, reason: impl Into<String>) -> ExplanationStep {
        ExplanationStep { locator, outcome, reason: reason.into(), trace: Vec::new(), nearest_miss: None }
    }

    /// A remark about the evaluation as a whole; `document` and `element` say what it is
    /// about when that is one document (e.g. the request), and are empty otherwise.
    pub fn note(document: Option<DocumentId>, element: &str, reason: impl Into<String>) -> ExplanationStep {
        let locator = Locator { document, element: element.to_owned(), ..Locator::default() };
        ExplanationStep {
            locator,
            outcome: StepOutcome::Note,
            reason: reason.into(),
            trace: Vec::new(),
            nearest_miss: None,
        }
    }

    pub fn with_trace(mut self, trace: Vec<TraceEntry>) -> ExplanationStep {
        self.trace = trace;
        self
    }
}

/// The value one sub-expression or condition had, for explanations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraceEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// The source text of the sub-expression or condition.
    pub text: String,
    /// Its value rendered as the provider's language writes it, or the error.
    pub value: String,
}
