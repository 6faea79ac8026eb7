//! The comprehension macros (`all`, `exists`, `exists_one`, `map`, `filter` and the two-variable
//! forms): their arguments are checked and turned into one `Comprehension` node here, apart from
//! the expression grammar in `mod.rs`.

use super::{Parsed, Parser};
use crate::ast::{Comprehension, ComprehensionKind, Expr, ExprKind};
use iamlab_model::{Diagnostic, Span};

impl Parser<'_> {
    pub(super) fn comprehension(
        &mut self,
        kind: ComprehensionKind,
        range: Parsed,
        args: Vec<Expr>,
        height: u32,
        span: Span,
    ) -> Parsed {
        let two_variables = match kind {
            ComprehensionKind::TransformList
            | ComprehensionKind::TransformMap
            | ComprehensionKind::TransformMapEntry => true,
            ComprehensionKind::All | ComprehensionKind::Exists | ComprehensionKind::ExistsOne => args.len() == 3,
            ComprehensionKind::Map | ComprehensionKind::Filter => false,
        };
        let mut args = args.into_iter();
        let variable_name = |parser: &mut Self, arg: Option<Expr>| -> Option<(String, Span)> {
            match arg {
                Some(Expr { kind: ExprKind::Ident(name), span }) => Some((name, span)),
                Some(other) => {
                    parser.report(
                        Diagnostic::error(
                            "cel::invalid-macro-variable",
                            format!("argument of `{}` must be a simple name", kind.name()),
                        )
                        .with_primary(other.span, "")
                        .with_help(format!("write e.g. `list.{}(x, …)`", kind.name())),
                    );
                    None
                }
                None => None,
            }
        };
        let first = variable_name(self, args.next());
        let second = if two_variables { variable_name(self, args.next()) } else { None };
        let rest: Vec<Expr> = args.collect();
        let (filter, body) = match rest.len() {
            2 => {
                let mut rest = rest.into_iter();
                (rest.next(), rest.next())
            }
            _ => (None, rest.into_iter().next()),
        };
        let (Some((variable, variable_span)), Some(body)) = (first, body) else {
            return self.error_node(span);
        };
        if two_variables && second.is_none() {
            return self.error_node(span);
        }
        let comprehension =
            Comprehension { kind, range: range.expr, variable, variable_span, second_variable: second, body, filter };
        self.node(span, ExprKind::Comprehension(Box::new(comprehension)), height)
    }
}
