//! Policy engines, one folder per provider, each filling in the form of
//! [`pipeline::ProviderEngine`]: read (the span-keeping JSON reader of `iamlab-model`, then the
//! provider's schema) → check (validation, lints) → evaluate (simulate a request into a
//! [`Decision`]).
//!
//! This file is the one door: the CLI and the web UI call only its functions and re-exports,
//! and never re-implement policy logic. Each public function is one dispatch on the provider;
//! everything else is written once in [`pipeline`].

pub mod authoring;
pub mod catalog;
pub mod cel_rules;
pub mod exoscale;
pub mod outscale;
pub mod pipeline;
pub mod scaleway;
pub mod schema;
pub mod test_cases;

pub use pipeline::{
    Analysis, CodeInfo, Detail, DocumentId, DocumentRole, Example, ExampleCase, RequestCode, RoleCount, RoleInfo,
    RoleNotApplicable, SimulateError, Source,
};

use iamlab_model::{Decision, Diagnostic, Provider};
use pipeline::ProviderEngine;

/// Everything a simulation needs beyond its documents, as one value per provider. The variant
/// also says which engine runs: build it with [`Options::for_provider`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Options {
    Exoscale(exoscale::Options),
    Scaleway(scaleway::Options),
    Outscale(outscale::Options),
}

/// Returned when a flag is set for a provider that has no such option.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{flag}` is not an option of {provider}")]
pub struct UnknownOption {
    pub provider: Provider,
    pub flag: String,
}

impl Options {
    /// The defaults of `provider`'s engine (`Aws` is the Outscale engine in its AWS profile).
    pub fn for_provider(provider: Provider) -> Options {
        match provider {
            Provider::Exoscale => Options::Exoscale(exoscale::Options),
            Provider::Scaleway => Options::Scaleway(scaleway::Options::default()),
            Provider::Outscale => Options::Outscale(outscale::Options { profile: outscale::Profile::Outscale }),
            Provider::Aws => Options::Outscale(outscale::Options { profile: outscale::Profile::Aws }),
        }
    }

    pub fn provider(&self) -> Provider {
        match self {
            Options::Exoscale(_) => Provider::Exoscale,
            Options::Scaleway(_) => Provider::Scaleway,
            Options::Outscale(options) => match options.profile {
                outscale::Profile::Outscale => Provider::Outscale,
                outscale::Profile::Aws => Provider::Aws,
            },
        }
    }

    /// Turns on a yes/no option by name (the CLI's `--owner`); see [`option_flags`].
    pub fn set_flag(&mut self, flag: &str) -> Result<(), UnknownOption> {
        match (self, flag) {
            (Options::Scaleway(options), "owner") => {
                options.owner = true;
                Ok(())
            }
            (options, _) => Err(UnknownOption { provider: options.provider(), flag: flag.to_owned() }),
        }
    }
}

/// The yes/no options each provider has, for callers that offer them generically.
pub fn option_flags(provider: Provider) -> &'static [&'static str] {
    match provider {
        Provider::Scaleway => &["owner"],
        Provider::Exoscale | Provider::Outscale | Provider::Aws => &[],
    }
}

/// The document roles of `provider`, in the order a simulation reads them.
pub fn roles(provider: Provider) -> &'static [RoleInfo] {
    match provider {
        Provider::Exoscale => exoscale::Exoscale::roles(),
        Provider::Scaleway => scaleway::Scaleway::roles(),
        Provider::Outscale | Provider::Aws => outscale::Outscale::roles(),
    }
}

/// Whether `role` is one of `provider`'s document roles.
pub fn check_role(provider: Provider, role: DocumentRole) -> Result<(), RoleNotApplicable> {
    if roles(provider).iter().any(|info| info.role == role) {
        Ok(())
    } else {
        Err(RoleNotApplicable { provider, role })
    }
}

/// The documented examples of `provider`, the first being the default.
pub fn examples(provider: Provider) -> &'static [Example] {
    match provider {
        Provider::Exoscale => exoscale::Exoscale::examples(),
        Provider::Scaleway => scaleway::Scaleway::examples(),
        Provider::Outscale => outscale::Outscale::examples(),
        // The profiles share an engine but not their documentation's examples.
        Provider::Aws => outscale::AWS_EXAMPLES,
    }
}

/// Every diagnostic code `provider`'s engine can report, with its severity and summary.
pub fn codes(provider: Provider) -> &'static [pipeline::CodeInfo] {
    match provider {
        Provider::Exoscale => exoscale::Exoscale::codes(),
        Provider::Scaleway => scaleway::Scaleway::codes(),
        Provider::Outscale | Provider::Aws => outscale::Outscale::codes(),
    }
}

/// The embedded catalogues `provider`'s engine reads, with their versions (for share links).
pub fn catalogs(provider: Provider) -> &'static [catalog::CatalogInfo] {
    match provider {
        Provider::Exoscale => exoscale::Exoscale::catalogs(),
        Provider::Scaleway => scaleway::Scaleway::catalogs(),
        Provider::Outscale => outscale::Outscale::catalogs_of(outscale::Profile::Outscale),
        Provider::Aws => outscale::Outscale::catalogs_of(outscale::Profile::Aws),
    }
}

/// Installs the AWS action catalogue from its text (the playground fetches it at run time; the
/// CLI embeds it through feature `aws-catalog`). Every later `aws` analysis uses it.
pub fn install_aws_catalog(text: &str) -> Result<(), outscale::aws_catalog::AwsCatalogError> {
    outscale::aws_catalog::install(text).map(|_| ())
}

/// Whether the `aws` profile has its action catalogue (installed or embedded).
pub fn aws_catalog_loaded() -> bool {
    outscale::aws_catalog::loaded().is_some()
}

/// The services and actions of the `aws` profile's catalogue, when it has one.
pub fn aws_catalog_counts() -> Option<(usize, usize)> {
    outscale::aws_catalog::loaded().map(|catalog| (catalog.service_count(), catalog.action_count()))
}

/// Validates one document (a policy of any role, or the request): JSON syntax, duplicate keys,
/// then whatever the provider's engine checks. Returns every finding, sorted by position.
pub fn validate(options: &Options, source: &Source<'_>) -> Vec<Diagnostic> {
    match options {
        Options::Exoscale(options) => pipeline::validate::<exoscale::Exoscale>(source, options),
        Options::Scaleway(options) => pipeline::validate::<scaleway::Scaleway>(source, options),
        Options::Outscale(options) => pipeline::validate::<outscale::Outscale>(source, options),
    }
}

/// Simulates the request among `sources` against the other documents and explains the decision.
pub fn simulate(options: &Options, sources: &[Source<'_>]) -> Result<Decision, SimulateError> {
    match options {
        Options::Exoscale(options) => pipeline::simulate::<exoscale::Exoscale>(sources, options),
        Options::Scaleway(options) => pipeline::simulate::<scaleway::Scaleway>(sources, options),
        Options::Outscale(options) => pipeline::simulate::<outscale::Outscale>(sources, options),
    }
}

/// [`simulate`]'s decision without its traces and nearest miss ([`Detail::DecisionOnly`]): the
/// same effect, decisive entries and steps (Outscale/AWS steps without reasons, and no notes;
/// Exoscale rule steps without reasons),
/// with expressions evaluated by compiled programs.
pub fn decide(options: &Options, sources: &[Source<'_>]) -> Result<Decision, SimulateError> {
    let detail = Detail::DecisionOnly;
    match options {
        Options::Exoscale(options) => pipeline::simulate_with::<exoscale::Exoscale>(sources, options, detail),
        Options::Scaleway(options) => pipeline::simulate_with::<scaleway::Scaleway>(sources, options, detail),
        Options::Outscale(options) => pipeline::simulate_with::<outscale::Outscale>(sources, options, detail),
    }
}

/// Simulates each request of `requests` against the documents of `policies`, reading the
/// documents once (a grid of test cases), explained as `detail` says.
pub fn simulate_each(
    options: &Options,
    policies: &[Source<'_>],
    requests: &[Source<'_>],
    detail: Detail,
) -> Vec<Result<Decision, SimulateError>> {
    match options {
        Options::Exoscale(options) => {
            pipeline::simulate_each::<exoscale::Exoscale>(policies, requests, options, detail)
        }
        Options::Scaleway(options) => {
            pipeline::simulate_each::<scaleway::Scaleway>(policies, requests, options, detail)
        }
        Options::Outscale(options) => {
            pipeline::simulate_each::<outscale::Outscale>(policies, requests, options, detail)
        }
    }
}

/// What an edit does that only a comparison with the saved version shows (a lock-out): findings
/// on the documents of `current`, by id. See [`pipeline::compare_versions`].
pub fn compare_versions(
    options: &Options,
    saved: &[Source<'_>],
    current: &[Source<'_>],
) -> Vec<(DocumentId, Diagnostic)> {
    match options {
        Options::Scaleway(options) => pipeline::compare_versions::<scaleway::Scaleway>(saved, current, options),
        // These engines keep the trait's default (nothing across versions: their lock-outs show
        // in one document). Not reading their documents here keeps the wasm smaller; an engine
        // that implements `compare_versions` gets its arm.
        Options::Exoscale(_) | Options::Outscale(_) => Vec::new(),
    }
}

/// Validates every source and simulates the request, reading each document once: what the
/// playground runs on every keystroke.
pub fn analyze(options: &Options, sources: &[Source<'_>]) -> Analysis {
    match options {
        Options::Exoscale(options) => pipeline::analyze::<exoscale::Exoscale>(sources, options),
        Options::Scaleway(options) => pipeline::analyze::<scaleway::Scaleway>(sources, options),
        Options::Outscale(options) => pipeline::analyze::<outscale::Outscale>(sources, options),
    }
}

/// [`analyze`], and each request of `requests` simulated at the level of `detail` against the
/// policy documents of `sources`, from the same reading: the playground's keystroke with a grid
/// of test cases. Each answer is the one [`simulate_each`] gives. See [`pipeline::analyze_each`].
pub fn analyze_each(
    options: &Options,
    sources: &[Source<'_>],
    requests: &[Source<'_>],
    detail: Detail,
) -> (Analysis, Vec<Result<Decision, SimulateError>>) {
    match options {
        Options::Exoscale(options) => pipeline::analyze_each::<exoscale::Exoscale>(sources, requests, options, detail),
        Options::Scaleway(options) => pipeline::analyze_each::<scaleway::Scaleway>(sources, requests, options, detail),
        Options::Outscale(options) => pipeline::analyze_each::<outscale::Outscale>(sources, requests, options, detail),
    }
}
