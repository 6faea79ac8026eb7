//! Static checks (filled below).
use crate::{Declarations, Dialect, Expr};
use iamlab_model::Diagnostic;

/// Warnings about `expr` against `declarations`.
pub fn check(_expr: &Expr, _declarations: &Declarations, _dialect: Dialect) -> Vec<Diagnostic> {
    Vec::new()
}
