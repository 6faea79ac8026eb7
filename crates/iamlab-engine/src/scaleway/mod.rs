//! The Scaleway engine: not implemented yet beyond JSON syntax (its issue builds it on this
//! shape). Simulation answers [`SimulateError::NotImplemented`], never a made-up decision.

mod examples;

use crate::pipeline::{
    CodeInfo, DocumentRole, Example, Parsed, ProviderEngine, Read, RoleCount, RoleInfo, SimulateError, Source,
};
use iamlab_model::json::JsonValue;
use iamlab_model::{Decision, Diagnostic, Provider};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scaleway;

/// What a Scaleway simulation needs beyond its documents.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Options {
    /// The principal is the Organization Owner.
    pub owner: bool,
}

const ROLES: &[RoleInfo] = &[
    RoleInfo { role: DocumentRole::Policy, hint: "a policy with its rules", count: RoleCount::Any },
    RoleInfo {
        role: DocumentRole::Request,
        hint: "a permission set, its scope and the request's CEL variables",
        count: RoleCount::ExactlyOne,
    },
];

impl ProviderEngine for Scaleway {
    type Document = JsonValue;
    type Request = JsonValue;
    type Options = Options;

    fn roles() -> &'static [RoleInfo] {
        ROLES
    }

    fn read(source: &Source<'_>, _options: &Options) -> Read<JsonValue> {
        let parsed = iamlab_model::json::parse_json(source.text);
        Read { tree: parsed.value, diagnostics: parsed.diagnostics }
    }

    fn check(_source: &Source<'_>, _document: &JsonValue, _options: &Options) -> Vec<Diagnostic> {
        Vec::new()
    }

    fn read_request(source: &Source<'_>, options: &Options) -> Read<JsonValue> {
        Scaleway::read(source, options)
    }

    fn evaluate(
        _documents: &[Parsed<'_, JsonValue>],
        _request: &Parsed<'_, JsonValue>,
        _options: &Options,
    ) -> Result<Decision, SimulateError> {
        Err(SimulateError::NotImplemented(Provider::Scaleway))
    }

    fn examples() -> &'static [Example] {
        examples::EXAMPLES
    }

    // Replaced by the provider's `Code` enum (issue 8): until then the registry is empty and
    // `cargo xtask tidy` has nothing to check.
    fn codes() -> &'static [CodeInfo] {
        &[]
    }
}
