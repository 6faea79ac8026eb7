//! iamlab's integration tests: one binary (ripgrep style), one module per area.
//! Add a module here when you add a file; `support` holds the shared helpers.

mod support;

mod json_reader;
