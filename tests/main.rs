//! iamlab's integration tests: one binary (ripgrep style), one module per feature. Add a module
//! here when you add a file; `support` holds the shared helpers (`TestCommand`, the CLI's
//! renderer for golden files).

mod support;

#[cfg(feature = "browser")]
mod browser;
mod cel_conformance;
mod cli_aws_catalog;
mod cli_cel;
mod cli_fmt;
mod cli_misc;
mod cli_pull;
mod cli_schema;
mod cli_simulate;
mod cli_terraform;
mod cli_test;
mod cli_validate;
mod cli_validate_ci;
mod json_reader;
mod scenarios;
mod simulate;
mod validate;
