use crate::Span;
use serde::{Deserialize, Serialize};

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

    pub fn is_allowed(self) -> bool {
        self == Effect::Allow
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

/// Points at the policy element that decided, in words and by position.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DecisiveEntry {
    /// The document's name: a file name, or a name the caller gave.
    pub document: String,
    /// A provider-specific layer, e.g. `organization` or `role` for Exoscale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
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
    /// Why it decided, in words close to the provider's own error messages.
    pub reason: String,
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

/// One line of the explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplanationStep {
    pub document: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    pub element: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    pub outcome: StepOutcome,
    pub reason: String,
    /// Sub-expression values (CEL) or per-condition results, outermost first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trace: Vec<TraceEntry>,
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
