//! The pieces of the `iamlab` CLI that the integration tests use too: the one renderer of
//! diagnostics and decisions, so that golden files show exactly what users see (ruff's
//! snapshots print with the product's renderer the same way), the SARIF and JUnit writers,
//! and output that survives a closed pipe.

pub mod junit;
pub mod output;
pub mod render;
pub mod sarif;
pub mod terraform;
