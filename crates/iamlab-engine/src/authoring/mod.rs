//! What an editor needs from the engine beyond validation and simulation: machine-applicable
//! fixes on diagnostics, the nearest miss of a denied request, formatting, highlighting with
//! bracket matching, hover and (in later modules) completion. The playground calls these so
//! that it never re-implements policy logic; the CLI can reuse them (`--fix`, a nearest-miss
//! line in `simulate`).

pub mod complete;
pub mod fixes;
pub mod format;
pub mod highlight;
pub mod hover;
#[cfg(feature = "json-schema")]
pub mod json_schema;
pub mod nearest_miss;
pub mod request_form;
