//! iamlab's integration tests: one binary (ripgrep style), one module per area.
//! Add a module here when you add a file; `support` holds the shared helpers.

mod support;

mod cli_contract;
mod json_reader;
#[cfg(feature = "browser")]
mod browser;
mod cel_conformance;
mod outscale_scenarios;
mod outscale_validate;
mod exoscale_scenarios;
mod outscale_cli;
mod outscale_catalog;
