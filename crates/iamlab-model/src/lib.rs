//! Types every iamlab crate shares.
//!
//! The core works in byte offsets ([`Span`]); conversion to line/column (UTF-8 for terminals,
//! UTF-16 for the browser) happens only at the edges through [`LineIndex`]. Every parser,
//! validator, the CLI renderer and the UI speak [`Diagnostic`]; every simulation answers with a
//! [`Decision`].

mod decision;
mod diagnostic;
pub mod json;
mod line_index;
pub mod order;
mod provider;
mod span;
mod spanned;
pub mod suggest;

pub use decision::{
    Decision, DecisiveEntry, DocumentId, Effect, ExplanationStep, Layer, Locator, NearestMiss, StepOutcome, TraceEntry,
};
pub use diagnostic::{sort_diagnostics, Diagnostic, Fix, Label, Severity};
pub use line_index::{floor_char_boundary, utf16_to_utf8_offset, utf8_to_utf16_offset, LineCol, LineIndex};
pub use provider::{ParseProviderError, Provider};
pub use span::Span;
pub use spanned::Spanned;
