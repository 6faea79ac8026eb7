//! The compiler: an [`Expr`] to the nodes of [`super::Program`].

use super::{Call, Loop, Node, NodeKind, Prepared, Root, Step};
use crate::ast::{BinaryOp, ComprehensionKind, Expr, ExprKind};
use crate::eval::literal_value;
use crate::functions::{compile_regex, regex_source, Getter, IpRange, Needle};
use crate::literal_pattern::LiteralPattern;
use crate::table::{Hint, KeyPrint};
use crate::time::PreparedZone;
use crate::value::Value;
use crate::Dialect;
use std::rc::Rc;

pub(super) struct Compiler {
    pub(super) names: Vec<(Box<str>, KeyPrint, Hint)>,
    pub(super) dialect: Dialect,
    /// The comprehension variables in scope, outermost first, with their local slots.
    pub(super) scope: Vec<(Box<str>, usize)>,
    pub(super) locals: usize,
}

fn is_constant_string(node: &Node) -> Option<Rc<str>> {
    match &node.kind {
        NodeKind::Constant(Value::String(text)) => Some(text.clone()),
        _ => None,
    }
}

impl Compiler {
    pub(super) fn node(&mut self, expr: &Expr) -> Node {
        let kind = self.kind(expr);
        Node { span: expr.span, kind }
    }

    fn boxed(&mut self, expr: &Expr) -> Box<Node> {
        Box::new(self.node(expr))
    }

    fn slot(&mut self, name: &str) -> usize {
        match self.names.iter().position(|(known, _, _)| &**known == name) {
            Some(slot) => slot,
            None => {
                self.names.push((name.into(), KeyPrint::of(name), Hint::default()));
                self.names.len() - 1
            }
        }
    }

    fn tree(&self, expr: &Expr) -> NodeKind {
        NodeKind::Tree { expr: Box::new(expr.clone()), scope: self.scope.clone().into_boxed_slice() }
    }

    fn kind(&mut self, expr: &Expr) -> NodeKind {
        match &expr.kind {
            ExprKind::Literal(literal) => NodeKind::Constant(literal_value(literal)),
            ExprKind::Ident(name) => {
                let root = match self.scope.iter().rev().find(|(scoped, _)| **scoped == **name) {
                    Some((_, local)) => Root::Local(*local),
                    None => Root::Variable { slot: self.slot(name), name: name.as_str().into(), span: expr.span },
                };
                NodeKind::Path { root, steps: Box::new([]) }
            }
            // `google.protobuf.Timestamp` may be a type name: the tree walk's qualified lookup.
            ExprKind::Select { field, test_only: false, .. } if field == "Timestamp" || field == "Duration" => {
                self.tree(expr)
            }
            ExprKind::Select { operand, field, test_only: false, .. } => {
                let operand = self.node(operand);
                let step = Step {
                    field: field.as_str().into(),
                    print: KeyPrint::of(field),
                    hint: Hint::default(),
                    span: expr.span,
                };
                match operand.kind {
                    NodeKind::Path { root, steps } => {
                        let mut steps = steps.into_vec();
                        steps.push(step);
                        NodeKind::Path { root, steps: steps.into_boxed_slice() }
                    }
                    kind => NodeKind::Select { operand: Box::new(Node { span: operand.span, kind }), step },
                }
            }
            ExprKind::Select { operand, field, test_only: true, .. } => {
                NodeKind::Has { operand: self.boxed(operand), field: field.as_str().into(), print: KeyPrint::of(field) }
            }
            ExprKind::Index { operand, index } => {
                NodeKind::Index { operand: self.boxed(operand), index: self.boxed(index) }
            }
            ExprKind::Call { target, function, args, .. } => self.call(target.as_deref(), function, args),
            ExprKind::List(items) => {
                let items: Vec<Node> = items.iter().map(|item| self.node(item)).collect();
                let constants: Option<Vec<Value>> = items
                    .iter()
                    .map(|item| match &item.kind {
                        NodeKind::Constant(value) => Some(value.clone()),
                        _ => None,
                    })
                    .collect();
                match constants {
                    Some(values) => NodeKind::Constant(Value::list(values)),
                    None => NodeKind::List(items.into_boxed_slice()),
                }
            }
            ExprKind::Unary { op, operand } => NodeKind::Unary { op: *op, operand: self.boxed(operand) },
            ExprKind::Binary { op: op @ (BinaryOp::And | BinaryOp::Or), left, right } => {
                NodeKind::Logical { left: self.boxed(left), right: self.boxed(right), absorbing: *op == BinaryOp::Or }
            }
            ExprKind::Binary { op: BinaryOp::In, left, right } => self.membership(left, right),
            ExprKind::Binary { op: op @ (BinaryOp::Equal | BinaryOp::NotEqual), left, right } => {
                let (left, right) = (self.boxed(left), self.boxed(right));
                match (left.kind, right.kind) {
                    (NodeKind::Constant(constant), kind) if !matches!(kind, NodeKind::Constant(_)) => {
                        NodeKind::Equality {
                            op: *op,
                            operand: Box::new(Node { span: right.span, kind }),
                            constant,
                            constant_first: true,
                        }
                    }
                    (kind, NodeKind::Constant(constant)) => NodeKind::Equality {
                        op: *op,
                        operand: Box::new(Node { span: left.span, kind }),
                        constant,
                        constant_first: false,
                    },
                    (left_kind, right_kind) => NodeKind::Binary {
                        op: *op,
                        left: Box::new(Node { span: left.span, kind: left_kind }),
                        right: Box::new(Node { span: right.span, kind: right_kind }),
                    },
                }
            }
            ExprKind::Binary { op, left, right } => {
                NodeKind::Binary { op: *op, left: self.boxed(left), right: self.boxed(right) }
            }
            ExprKind::Conditional { condition, then, otherwise } => NodeKind::Conditional {
                condition: self.boxed(condition),
                then: self.boxed(then),
                otherwise: self.boxed(otherwise),
            },
            ExprKind::Comprehension(comprehension)
                if !matches!(
                    comprehension.kind,
                    ComprehensionKind::TransformMap | ComprehensionKind::TransformMapEntry
                ) =>
            {
                let range = self.node(&comprehension.range);
                let depth = self.scope.len();
                let first = depth;
                self.scope.push((comprehension.variable.as_str().into(), first));
                let second = comprehension.second_variable.as_ref().map(|(name, _)| {
                    self.scope.push((name.as_str().into(), first + 1));
                    first + 1
                });
                self.locals = self.locals.max(self.scope.len());
                let body = self.node(&comprehension.body);
                let filter = comprehension.filter.as_ref().map(|filter| self.node(filter));
                self.scope.truncate(depth);
                NodeKind::Comprehension(Box::new(Loop { kind: comprehension.kind, range, first, second, body, filter }))
            }
            ExprKind::Map(_) | ExprKind::Struct { .. } | ExprKind::Comprehension(_) | ExprKind::Error => {
                self.tree(expr)
            }
        }
    }

    fn membership(&mut self, left: &Expr, right: &Expr) -> NodeKind {
        let needle = self.boxed(left);
        let haystack = self.boxed(right);
        if let Some(text) = is_constant_string(&needle) {
            return NodeKind::KeyIn {
                key: Value::String(text.clone()),
                print: KeyPrint::of(&text),
                hint: Hint::default(),
                text,
                haystack,
            };
        }
        if let NodeKind::Constant(list @ Value::List(items)) = &haystack.kind {
            let strings = items.iter().all(|item| matches!(item, Value::String(_)));
            return NodeKind::InConstantList { needle, list: list.clone(), strings };
        }
        if self.dialect == Dialect::Exoscale {
            return NodeKind::ExoscaleIn { left: needle, right: haystack };
        }
        match haystack.kind {
            NodeKind::List(items) => NodeKind::InListLiteral { needle, items },
            kind => {
                NodeKind::Binary { op: BinaryOp::In, left: needle, right: Box::new(Node { span: haystack.span, kind }) }
            }
        }
    }

    fn call(&mut self, target: Option<&Expr>, function: &str, args: &[Expr]) -> NodeKind {
        let target = target.map(|target| self.node(target));
        let args: Vec<Node> = args.iter().map(|arg| self.node(arg)).collect();
        let constant_args: Option<Box<[Value]>> = args
            .iter()
            .map(|arg| match &arg.kind {
                NodeKind::Constant(value) => Some(value.clone()),
                _ => None,
            })
            .collect();
        let last_string = args.last().and_then(is_constant_string);
        let prepared = match (function, target.is_some(), args.len(), last_string) {
            ("startsWith", true, 1, Some(part)) => Prepared::StartsWith(part),
            ("endsWith", true, 1, Some(part)) => Prepared::EndsWith(part),
            ("contains", true, 1, Some(part)) => Prepared::Contains(Box::new(Needle::new(part))),
            ("matches", has_target, arity, Some(pattern)) if arity == if has_target { 1 } else { 2 } => {
                let full_match = self.dialect == Dialect::Exoscale;
                match compile_regex(&pattern, full_match) {
                    // A pattern of a few literal strings is matched by comparing strings; the
                    // regular expression, compiled first, is what says that the pattern is valid.
                    Ok(regex) => match LiteralPattern::of(&regex_source(&pattern, full_match)) {
                        Some(literals) => Prepared::Literals { pattern: Box::new(literals), global: !has_target },
                        None => Prepared::Matches { regex: Box::new(regex), global: !has_target },
                    },
                    Err(_) => Prepared::None,
                }
            }
            ("inIpRange", true, 1, Some(range)) if self.dialect != Dialect::Standard => match IpRange::parse(&range) {
                Ok(range) => Prepared::InIpRange { range, global: false },
                Err(_) => Prepared::None,
            },
            ("inIpRange", false, 2, Some(range)) if self.dialect == Dialect::Scaleway => match IpRange::parse(&range) {
                Ok(range) => Prepared::InIpRange { range, global: true },
                Err(_) => Prepared::None,
            },
            ("has", true, 1, Some(key)) if self.dialect == Dialect::Exoscale => {
                Prepared::Has { print: KeyPrint::of(&key), key }
            }
            (name, true, 0, None) => match Getter::from_name(name) {
                Some(getter) => Prepared::Getter { getter, zone: None },
                None => Prepared::None,
            },
            // The Exoscale dialect resolves zones as Java does: on every call, by name.
            (name, true, 1, Some(zone)) if self.dialect != Dialect::Exoscale => match Getter::from_name(name) {
                Some(getter) => Prepared::Getter { getter, zone: Some(Box::new(PreparedZone::new(zone))) },
                None => Prepared::None,
            },
            _ => Prepared::None,
        };
        NodeKind::Call(Box::new(Call {
            function: function.into(),
            target,
            args: args.into_boxed_slice(),
            constant_args,
            prepared,
        }))
    }
}
