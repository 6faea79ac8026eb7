//! iamlab's integration tests: one binary (ripgrep style), one module per area.
//! Add a module here when you add a file; `support` holds the shared helpers.

mod support;

#[cfg(feature = "browser")]
mod browser;
mod cel_cli;
mod cel_conformance;
mod cli_contract;
mod exoscale_cli;
mod exoscale_scenarios;
mod exoscale_snapshots;
mod json_reader;
mod outscale_catalog;
mod outscale_cli;
mod outscale_explain;
mod outscale_scenarios;
mod outscale_validate;
