//! Policy engines, one module per provider, each in phases: parse (the span-keeping JSON
//! reader of `iamlab-model`) → validate (schema, semantics, lints) → evaluate (simulate a
//! request into a [`Decision`]).
//!
//! The CLI and the web UI call only the functions of this file; they never re-implement
//! policy logic.

pub mod exoscale;
pub mod outscale;
pub mod scaleway;

use iamlab_model::{json, Decision, Diagnostic, Provider};

/// One policy text with the name it is reported under (a file name in the CLI, a tab name in
/// the UI).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NamedDocument<'text> {
    pub name: &'text str,
    pub text: &'text str,
}

/// Validates one policy document of `provider`: JSON syntax, duplicate keys, then whatever the
/// provider's engine checks. Returns every finding, sorted by position.
pub fn validate(provider: Provider, text: &str) -> Vec<Diagnostic> {
    let mut diagnostics = match provider {
        Provider::Exoscale => exoscale::validate_document(text),
        Provider::Scaleway => scaleway::validate_document(text),
        Provider::Outscale | Provider::Aws => outscale::validate_document(provider, text),
    };
    iamlab_model::sort_diagnostics(&mut diagnostics);
    diagnostics
}

/// What a document is, where a provider tells kinds apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DocumentKind {
    /// Whatever the provider's default is: an Exoscale role or bare policy, an Outscale/AWS
    /// policy whose kind (managed or inline) is unknown.
    #[default]
    Unspecified,
    /// An Exoscale organization policy (lints about locking everyone out apply).
    OrganizationPolicy,
    /// An Outscale/AWS managed policy (the 5120-character limit is an error).
    ManagedPolicy,
    /// An Outscale/AWS inline user or group policy (no managed-policy size limit).
    InlinePolicy,
}

/// Returned when a document kind does not exist for the provider.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} documents do not exist for {provider}")]
pub struct KindNotApplicable {
    pub provider: Provider,
    pub kind: &'static str,
}

/// Validates `text` as a document of `kind` (see [`validate`] for the default kind).
pub fn validate_as(provider: Provider, text: &str, kind: DocumentKind) -> Result<Vec<Diagnostic>, KindNotApplicable> {
    let mut diagnostics = match (provider, kind) {
        (_, DocumentKind::Unspecified) => return Ok(validate(provider, text)),
        (Provider::Exoscale, DocumentKind::OrganizationPolicy) => exoscale::validate_organization_policy(text),
        (Provider::Outscale | Provider::Aws, DocumentKind::ManagedPolicy | DocumentKind::InlinePolicy) => {
            let options = outscale::ValidateOptions { managed_policy: Some(kind == DocumentKind::ManagedPolicy) };
            outscale::validate_document_with(provider, text, &options)
        }
        (_, DocumentKind::OrganizationPolicy) => {
            return Err(KindNotApplicable { provider, kind: "organization policy" })
        }
        (_, DocumentKind::ManagedPolicy) => return Err(KindNotApplicable { provider, kind: "managed policy" }),
        (_, DocumentKind::InlinePolicy) => return Err(KindNotApplicable { provider, kind: "inline policy" }),
    };
    iamlab_model::sort_diagnostics(&mut diagnostics);
    Ok(diagnostics)
}

/// What a simulation is asked: the principal's policies, the request, and provider options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimulationInput<'text> {
    pub provider: Provider,
    /// Exoscale: role objects or bare policies; Scaleway: policy objects with `rules`;
    /// Outscale/AWS: policy documents.
    pub policies: Vec<NamedDocument<'text>>,
    /// Exoscale only: the organization policy (absent: allow everything).
    pub organization_policy: Option<NamedDocument<'text>>,
    /// Scaleway only: the principal is the Organization Owner.
    pub owner: bool,
    /// The request as JSON text; its shape is defined per provider.
    pub request: NamedDocument<'text>,
}

/// Returned when a simulation cannot produce a decision.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SimulateError {
    /// Returned when the provider's engine has not landed yet: never a made-up decision.
    #[error("simulation is not implemented yet for {0}")]
    NotImplemented(Provider),
    /// Returned when a policy or the request has errors that make its meaning unknown.
    #[error("{document} has errors")]
    InvalidDocument { document: String, diagnostics: Vec<Diagnostic> },
}

/// Simulates `input.request` against the policies and explains the decision.
pub fn simulate(input: &SimulationInput<'_>) -> Result<Decision, SimulateError> {
    match input.provider {
        Provider::Exoscale => exoscale::simulate(input),
        Provider::Scaleway => scaleway::simulate(input),
        Provider::Outscale | Provider::Aws => outscale::simulate(input),
    }
}

/// The JSON syntax and duplicate-key findings every provider starts with. Engines call this
/// and continue with the tree when there is one.
pub fn read_json(text: &str) -> json::ParsedJson {
    json::parse_json(text)
}
