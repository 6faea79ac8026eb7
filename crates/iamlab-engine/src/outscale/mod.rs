//! The OUTSCALE EIM / AWS IAM identity-policy engine, in phases (cedar-policy style), one
//! module each: text → JSON tree with spans ([`iamlab_model::json`]) → policy syntax tree
//! (`syntax`, building the types of `tree`) → validation (`validate`) and lints (`lints`) →
//! evaluation of a request (`request`, `evaluate`, `conditions`). `operators` names the
//! condition operators, `pattern` and `variables` the wildcards and policy variables, `catalog`
//! the actions and global condition keys, `codes` every diagnostic code; `aws_catalog` is the
//! AWS action catalogue (loaded at run time in the playground) and `aws_checks` the `aws`
//! profile's checks against it.
//!
//! Two profiles share the language: [`Profile::Outscale`] (EIM: its service prefixes, case
//! sensitive actions, no resource-level restrictions, undocumented conditions) and
//! [`Profile::Aws`] (the full AWS IAM identity-policy grammar). The rules and their sources are
//! in docs/semantics/outscale.md and docs/semantics/aws.md.

pub mod aws_catalog;
mod aws_checks;
pub(crate) mod catalog;
mod codes;
mod conditions;
mod evaluate;
mod examples;
pub(crate) use examples::AWS_EXAMPLES;
mod lints;
pub(crate) mod operators;
pub(crate) mod pattern;
pub(crate) mod request;
pub(crate) mod syntax;
mod tree;
mod validate;
mod variables;

pub use codes::Code;
/// The wildcard matcher of actions, resources and `StringLike`, public for the scale series of
/// `cargo xtask bench-peers` (`examples/scale_series.rs`).
pub use pattern::Pattern;
pub use request::Request;
pub use tree::Document;

use crate::catalog::CatalogInfo;
use crate::pipeline::{
    CodeInfo, DocumentRole, Example, Parsed, ProviderEngine, Read, RoleCount, RoleInfo, SimulateError, Source,
};
use iamlab_model::{Decision, Diagnostic};

/// Which dialect of the policy language a document is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Profile {
    /// OUTSCALE EIM: its service prefixes, case-sensitive actions, no resource-level
    /// restrictions, undocumented conditions.
    #[default]
    Outscale,
    /// The full AWS IAM identity-policy language (`--provider aws`).
    Aws,
}

/// The profile is the only thing an Outscale/AWS simulation needs beyond its documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    pub profile: Profile,
}

/// What the document's role says of EIM's managed-policy size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    /// A managed policy: more than 5120 non-whitespace characters is an error.
    Managed,
    /// An inline user or group policy: no limit.
    Inline,
    /// A policy of unknown kind: more than the limit is a warning.
    Unknown,
}

impl PolicyKind {
    pub fn for_role(role: DocumentRole) -> PolicyKind {
        match role {
            DocumentRole::ManagedPolicy => PolicyKind::Managed,
            DocumentRole::InlinePolicy => PolicyKind::Inline,
            _ => PolicyKind::Unknown,
        }
    }
}

/// The OUTSCALE EIM / AWS IAM engine (the profile is in [`Options`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Outscale;

const ROLES: &[RoleInfo] = &[
    RoleInfo { role: DocumentRole::Policy, hint: "a policy document", count: RoleCount::Any },
    RoleInfo { role: DocumentRole::ManagedPolicy, hint: "a managed policy document", count: RoleCount::Any },
    RoleInfo { role: DocumentRole::InlinePolicy, hint: "an inline user or group policy", count: RoleCount::Any },
    RoleInfo { role: DocumentRole::Request, hint: "an action, a resource and a context", count: RoleCount::ExactlyOne },
];

impl ProviderEngine for Outscale {
    type Document = Document;
    type Request = Request;
    type Options = Options;

    fn roles() -> &'static [RoleInfo] {
        ROLES
    }

    fn read(source: &Source<'_>, _options: &Options) -> Read<Document> {
        let parsed = iamlab_model::json::parse_json(source.text);
        let mut diagnostics = parsed.diagnostics;
        let tree = parsed.value.map(|root| syntax::read_document(source.text, &root, &mut diagnostics));
        Read { tree, diagnostics }
    }

    fn check(source: &Source<'_>, document: &Document, options: &Options) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        let kind = PolicyKind::for_role(source.role);
        validate::validate(options.profile, kind, source.text, document, &mut diagnostics);
        if let Some(policy) = &document.policy {
            lints::lint(options.profile, policy, &mut diagnostics);
            if options.profile == Profile::Aws {
                aws_checks::check(aws_catalog::loaded(), policy, &mut diagnostics);
            }
        }
        diagnostics
    }

    fn read_request(source: &Source<'_>, _options: &Options) -> Read<Request> {
        match request::read_request(source.text) {
            Ok(request) => Read { tree: Some(request), diagnostics: Vec::new() },
            Err(diagnostics) => Read { tree: None, diagnostics },
        }
    }

    /// Fails when a document's shape could not be read at all; lint findings (unknown actions,
    /// ARN syntax) never stop it.
    fn evaluate(
        documents: &[Parsed<'_, Document>],
        request: &Parsed<'_, Request>,
        options: &Options,
        detail: crate::pipeline::Detail,
    ) -> Result<Decision, SimulateError> {
        let mut policies = Vec::with_capacity(documents.len());
        for document in documents {
            let Some(policy) = &document.tree.policy else {
                return Err(SimulateError::InvalidDocument {
                    document: document.source.id,
                    diagnostics: vec![Code::UnreadablePolicy.diagnostic("the policy could not be read")],
                });
            };
            policies.push(evaluate::DocumentPolicy { document: document.source.id, policy });
        }
        let catalog = match options.profile {
            Profile::Aws => aws_catalog::loaded(),
            Profile::Outscale => None,
        };
        Ok(evaluate::evaluate(options.profile, detail, catalog, &policies, &request.tree))
    }

    fn examples() -> &'static [Example] {
        examples::EXAMPLES
    }

    fn codes() -> &'static [CodeInfo] {
        codes::CODES
    }

    fn catalogs() -> &'static [CatalogInfo] {
        &[catalog::CATALOG_INFO]
    }
}

/// The catalogues of the `aws` profile: the shared one, and the AWS action catalogue (whether
/// or not it is loaded: a share link records the version its page would use).
pub const AWS_PROFILE_CATALOGS: &[CatalogInfo] = &[catalog::CATALOG_INFO, aws_catalog::AWS_CATALOG_INFO];

impl Outscale {
    /// The catalogues a profile reads (share links record their versions).
    pub fn catalogs_of(profile: Profile) -> &'static [CatalogInfo] {
        match profile {
            Profile::Outscale => <Outscale as ProviderEngine>::catalogs(),
            Profile::Aws => AWS_PROFILE_CATALOGS,
        }
    }
}

#[cfg(test)]
mod tests;
