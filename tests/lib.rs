//! Empty: the package exists to own the integration-test binary `main.rs`.
