//! The policy syntax tree: what reading ([`super::syntax`]) builds, and what validation, lints
//! and evaluation read. It has a module of its own so that the condition code
//! ([`super::conditions`]) can name its types without depending on the reader, which depends on
//! the operators.

use super::operators::Operator;
use super::pattern::Pattern;
use super::request::Context;
use super::variables::{Template, UnresolvedVariable};
use iamlab_model::{Diagnostic, Span, Spanned};

/// A read document: its span, its policy when the shape could be read, and the findings of
/// reading that must not stop a simulation.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The whole JSON value (the managed-policy size limit underlines it).
    pub span: Span,
    pub policy: Option<Policy>,
    /// Keys that differ from another only in case and unknown elements: found while reading,
    /// reported by checking. A simulation ignores such keys, as it always did; making them stop
    /// it (AWS rejects such documents) is a fidelity choice for docs/semantics/aws.md.
    pub reading_findings: Vec<Diagnostic>,
}

/// The policy language version, which decides whether `${…}` is a variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V2012,
    V2008,
    Missing,
    /// Some other value (validation reports a string; a wrong type is already a reading
    /// error); read like a missing version.
    Other,
}

impl Version {
    pub fn has_variables(self) -> bool {
        self == Version::V2012
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementEffect {
    Allow,
    Deny,
}

impl StatementEffect {
    pub fn as_str(self) -> &'static str {
        match self {
            StatementEffect::Allow => "Allow",
            StatementEffect::Deny => "Deny",
        }
    }
}

/// How `Statement` is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementList {
    /// A single statement object.
    Object,
    /// An array of this many items (objects or not).
    Array { items: usize },
    /// Neither: a reading error.
    Other,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// The policy's opening brace: where a finding about the policy as a whole points.
    pub opening_span: Span,
    pub version: Version,
    /// `Version` as written, when it is a string.
    pub version_text: Option<Spanned<String>>,
    /// How `Statement` is written, with the span of its value; `None` when it is absent.
    pub statement_list: Option<Spanned<StatementList>>,
    pub statements: Vec<Statement>,
}

impl Policy {
    /// `Statement[2]`, or `Statement` when the document has a single statement object.
    pub fn element_name(&self, statement: &Statement) -> String {
        match self.statement_list.as_ref().map(|list| list.value) {
            Some(StatementList::Object) => "Statement".to_owned(),
            _ => format!("Statement[{}]", statement.index),
        }
    }
}

/// `Principal` or `NotPrincipal`: identity policies cannot have them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalElement {
    Principal,
    NotPrincipal,
}

impl PrincipalElement {
    pub fn name(self) -> &'static str {
        match self {
            PrincipalElement::Principal => "Principal",
            PrincipalElement::NotPrincipal => "NotPrincipal",
        }
    }
}

/// Where a node of the tree is in its document: an RFC 6901 JSON pointer, written out only when
/// a finding needs it. Reading a policy (once per request in a simulation) then writes none for
/// its statements, elements and their items; a pointer under `Condition`, whose keys are the
/// policy's own, is written while reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pointer {
    /// The document itself (the empty pointer).
    Root,
    /// `/Statement` (a single statement object, `index` `None`) or `/Statement/2`, then the
    /// element (`/Action`) and the item's index in its array (`/0`) when there are.
    Statement {
        index: Option<usize>,
        element: Option<ElementKind>,
        item: Option<usize>,
    },
    Written(String),
}

impl Pointer {
    pub fn write(&self) -> String {
        match self {
            Pointer::Root => String::new(),
            Pointer::Written(text) => text.clone(),
            Pointer::Statement { index, element, item } => {
                let mut out = match index {
                    Some(index) => format!("/Statement/{index}"),
                    None => "/Statement".to_owned(),
                };
                if let Some(kind) = element {
                    out.push('/');
                    out.push_str(kind.name());
                }
                if let Some(item) = item {
                    out.push_str(&format!("/{item}"));
                }
                out
            }
        }
    }

    /// The pointer of the element `kind` of the statement this points at.
    pub fn element(&self, kind: ElementKind) -> Pointer {
        match self {
            Pointer::Statement { index, .. } => Pointer::Statement { index: *index, element: Some(kind), item: None },
            other => Pointer::Written(crate::schema::child_pointer(&other.write(), kind.name())),
        }
    }

    /// The pointer of item `index` of the array this points at.
    pub fn item(&self, index: usize) -> Pointer {
        match self {
            Pointer::Statement { index: statement, element: Some(kind), item: None } => {
                Pointer::Statement { index: *statement, element: Some(*kind), item: Some(index) }
            }
            other => Pointer::Written(format!("{}/{index}", other.write())),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub index: usize,
    pub span: Span,
    pub pointer: Pointer,
    pub sid: Option<Spanned<String>>,
    pub effect: Option<Spanned<StatementEffect>>,
    pub actions: Option<Element>,
    pub resources: Option<Element>,
    pub condition_key_span: Option<Span>,
    /// `Condition` is a JSON object (possibly empty).
    pub condition_is_object: bool,
    pub conditions: Vec<ConditionBlock>,
    /// `NotPrincipal` when present, else `Principal`, with the span of its key.
    pub principal: Option<Spanned<PrincipalElement>>,
}

impl Statement {
    pub fn allows(&self) -> bool {
        self.effect.as_ref().is_some_and(|effect| effect.value == StatementEffect::Allow)
    }

    pub fn denies(&self) -> bool {
        self.effect.as_ref().is_some_and(|effect| effect.value == StatementEffect::Deny)
    }
}

/// Which of the four list elements of a statement an [`Element`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementKind {
    Action,
    NotAction,
    Resource,
    NotResource,
}

impl ElementKind {
    pub fn name(self) -> &'static str {
        match self {
            ElementKind::Action => "Action",
            ElementKind::NotAction => "NotAction",
            ElementKind::Resource => "Resource",
            ElementKind::NotResource => "NotResource",
        }
    }

    /// `NotAction` and `NotResource` apply to everything they do not list.
    pub fn is_negated(self) -> bool {
        matches!(self, ElementKind::NotAction | ElementKind::NotResource)
    }

    /// Actions never take policy variables; resources do (under Version 2012-10-17).
    pub fn takes_variables(self) -> bool {
        matches!(self, ElementKind::Resource | ElementKind::NotResource)
    }
}

/// `Action`/`NotAction` or `Resource`/`NotResource`.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub kind: ElementKind,
    pub key_span: Span,
    pub value_span: Span,
    pub pointer: Pointer,
    pub items: Vec<Item>,
}

impl Element {
    pub fn name(&self) -> &'static str {
        self.kind.name()
    }

    pub fn negated(&self) -> bool {
        self.kind.is_negated()
    }
}

/// One string value, with its policy variables when the element supports them.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub text: String,
    /// The span of the JSON value (quotes included for strings).
    pub span: Span,
    pub pointer: Pointer,
    /// The variables of `text`; no pieces at all when it is read as plain text (the text is
    /// then not copied again: [`Item::resolve_pattern`] reads it).
    pub template: Template,
    /// Malformed `${…}`, with spans already mapped to the document.
    pub variable_errors: Vec<Spanned<String>>,
    /// The JSON value was a string (condition values may also be numbers or booleans).
    pub is_string: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConditionBlock {
    pub operator: Operator,
    pub operator_text: String,
    pub operator_span: Span,
    pub pointer: Pointer,
    pub entries: Vec<ConditionEntry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConditionEntry {
    pub key: String,
    pub key_span: Span,
    pub value_span: Span,
    pub pointer: Pointer,
    pub values: Vec<Item>,
}

impl Item {
    /// The value after variable substitution, `*` and `?` read as wildcards.
    pub fn resolve_pattern(&self, context: &Context) -> Result<Pattern, UnresolvedVariable> {
        if self.template.pieces.is_empty() {
            return Ok(Pattern::glob(&self.text));
        }
        self.template.resolve_pattern(context)
    }

    /// The value after variable substitution, every character literal.
    pub fn resolve_literal(&self, context: &Context) -> Result<Pattern, UnresolvedVariable> {
        if self.template.pieces.is_empty() {
            return Ok(Pattern::literal(&self.text));
        }
        self.template.resolve_literal(context)
    }
}
