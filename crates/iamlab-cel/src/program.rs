//! The compile phase: an [`Expr`] turned once into a [`Program`] whose evaluation does no name
//! lookups and no allocation on the common paths.
//!
//! What compiling resolves:
//! - variables to slots: each distinct variable name is looked up once per evaluation, however
//!   often the expression reads it;
//! - literals, and list literals of literals, to values built once (read by reference, so that
//!   `x in ['a', 'b']` copies nothing);
//! - field paths (`resources.instance.name`) to borrows into the activation's values;
//! - the functions IAM conditions call with a literal argument to a prepared form: `startsWith`,
//!   `endsWith`, `contains`, `matches` (the regular expression compiled once) and `inIpRange`
//!   (the CIDR block parsed once). Every other call goes through the same dispatch as the tree
//!   walk.
//!
//! The semantics are the tree walk's ([`crate::evaluate`]), value for value and error for error
//! (message and span): each compiled node mirrors the walk's untraced branch for its node kind,
//! and the operators, functions and equality are the same functions. Node kinds that are rare
//! in policies (comprehensions, map literals, message constructions, syntax-error holes, the
//! dotted type names `google.protobuf.Timestamp`) are kept as subtrees for the tree walk; no
//! compiled node sits inside them, so they never need comprehension variables from outside. An
//! activation with dotted variable names (`"request.ip"` bound as one name) is evaluated by the
//! tree walk as a whole. Traces come from [`crate::evaluate_traced`]: a program records nothing.

use crate::ast::{BinaryOp, Expr, ExprKind, UnaryOp};
use crate::eval::{error, evaluate_subtree, literal_value, type_value, Activation, EvalError};
use crate::functions::{self, compile_regex, parse_ip_address, IpRange};
use crate::operators::{binary_in, contains, index_value, select, unary, values_equal};
use crate::value::Value;
use crate::Dialect;
use iamlab_model::Span;
use std::borrow::Cow;

/// A compiled expression: compile once with [`Program::compile`], evaluate many times with
/// [`Program::evaluate`].
#[derive(Debug, Clone)]
pub struct Program {
    root: Node,
    /// The variable names the expression reads, one slot each.
    names: Vec<Box<str>>,
    dialect: Dialect,
    /// The source tree, for activations with dotted variable names.
    expr: Expr,
}

#[derive(Debug, Clone)]
struct Node {
    span: Span,
    kind: NodeKind,
}

#[derive(Debug, Clone)]
enum NodeKind {
    Constant(Value),
    Variable {
        slot: usize,
        name: Box<str>,
    },
    Select {
        operand: Box<Node>,
        field: Box<str>,
        test_only: bool,
    },
    Index {
        operand: Box<Node>,
        index: Box<Node>,
    },
    Call(Box<Call>),
    List(Box<[Node]>),
    Unary {
        op: UnaryOp,
        operand: Box<Node>,
    },
    /// `&&` (`absorbing` false) and `||` (`absorbing` true).
    Logical {
        left: Box<Node>,
        right: Box<Node>,
        absorbing: bool,
    },
    /// `in` in the Exoscale dialect, whose failed needle is not an error.
    ExoscaleIn {
        left: Box<Node>,
        right: Box<Node>,
    },
    /// `x in [a, b]` outside Exoscale: compared element by element, the list never built.
    InListLiteral {
        needle: Box<Node>,
        items: Box<[Node]>,
    },
    Binary {
        op: BinaryOp,
        left: Box<Node>,
        right: Box<Node>,
    },
    Conditional {
        condition: Box<Node>,
        then: Box<Node>,
        otherwise: Box<Node>,
    },
    /// A subtree left to the tree walk.
    Tree(Box<Expr>),
}

#[derive(Debug, Clone)]
struct Call {
    function: Box<str>,
    target: Option<Node>,
    args: Box<[Node]>,
    /// The arguments' values when they are all literals (the common case), so that the generic
    /// dispatch borrows them instead of building them.
    constant_args: Option<Box<[Value]>>,
    prepared: Prepared,
}

/// A call whose function and literal argument are known at compile time. Each variant handles
/// only the receiver type its function is defined on; any other value takes the generic
/// dispatch, which produces the same result or error as the tree walk.
#[derive(Debug, Clone)]
enum Prepared {
    None,
    StartsWith(std::rc::Rc<str>),
    EndsWith(std::rc::Rc<str>),
    Contains(std::rc::Rc<str>),
    /// `text.matches('literal')` (`global` false) or `matches(text, 'literal')`.
    Matches {
        regex: Box<regex_lite::Regex>,
        global: bool,
    },
    /// `ip.inIpRange('literal')` (`global` false) or `inIpRange(ip, 'literal')`.
    InIpRange {
        range: IpRange,
        global: bool,
    },
}

/// A value borrowed from the program or the activation, or computed.
type Evaluated<'p> = Result<Cow<'p, Value>, Box<EvalError>>;

struct Context<'p, 's> {
    slots: &'s [Option<&'p Value>],
    activation: &'p Activation,
    dialect: Dialect,
}

impl Program {
    /// Compiles `expr` for `dialect`. Never fails: whatever cannot be prepared (an invalid
    /// literal regular expression, say) is evaluated as the tree walk does, error included.
    pub fn compile(expr: &Expr, dialect: Dialect) -> Program {
        let mut compiler = Compiler { names: Vec::new(), dialect };
        let root = compiler.node(expr);
        Program { root, names: compiler.names, dialect, expr: expr.clone() }
    }

    /// The dialect the program was compiled for.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Evaluates the program against `activation`: the same value or error as
    /// [`crate::evaluate`] on the source tree.
    pub fn evaluate(&self, activation: &Activation) -> Result<Value, EvalError> {
        if activation.has_dotted_names {
            return crate::eval::evaluate(&self.expr, activation, self.dialect);
        }
        // Policies read a handful of variables: keep their slots on the stack.
        const INLINE_SLOTS: usize = 8;
        let mut inline: [Option<&Value>; INLINE_SLOTS] = [None; INLINE_SLOTS];
        let mut spilled: Vec<Option<&Value>> = Vec::new();
        let slots: &mut [Option<&Value>] = if self.names.len() <= INLINE_SLOTS {
            inline.get_mut(..self.names.len()).unwrap_or(&mut [])
        } else {
            spilled.resize(self.names.len(), None);
            &mut spilled
        };
        for (slot, name) in slots.iter_mut().zip(&self.names) {
            *slot = activation.variables.get(&**name);
        }
        let context = Context { slots, activation, dialect: self.dialect };
        eval(&self.root, &context).map(Cow::into_owned).map_err(|failure| *failure)
    }
}

struct Compiler {
    names: Vec<Box<str>>,
    dialect: Dialect,
}

impl Compiler {
    fn node(&mut self, expr: &Expr) -> Node {
        let kind = self.kind(expr);
        Node { span: expr.span, kind }
    }

    fn boxed(&mut self, expr: &Expr) -> Box<Node> {
        Box::new(self.node(expr))
    }

    fn slot(&mut self, name: &str) -> usize {
        match self.names.iter().position(|known| &**known == name) {
            Some(slot) => slot,
            None => {
                self.names.push(name.into());
                self.names.len() - 1
            }
        }
    }

    fn kind(&mut self, expr: &Expr) -> NodeKind {
        match &expr.kind {
            ExprKind::Literal(literal) => NodeKind::Constant(literal_value(literal)),
            ExprKind::Ident(name) => NodeKind::Variable { slot: self.slot(name), name: name.as_str().into() },
            // `google.protobuf.Timestamp` may be a type name: the tree walk's qualified lookup.
            ExprKind::Select { field, test_only: false, .. } if field == "Timestamp" || field == "Duration" => {
                NodeKind::Tree(Box::new(expr.clone()))
            }
            ExprKind::Select { operand, field, test_only, .. } => {
                NodeKind::Select { operand: self.boxed(operand), field: field.as_str().into(), test_only: *test_only }
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
            ExprKind::Binary { op: BinaryOp::In, left, right } if self.dialect == Dialect::Exoscale => {
                NodeKind::ExoscaleIn { left: self.boxed(left), right: self.boxed(right) }
            }
            ExprKind::Binary { op: BinaryOp::In, left, right } if matches!(right.kind, ExprKind::List(_)) => {
                let ExprKind::List(items) = &right.kind else {
                    return NodeKind::Tree(Box::new(expr.clone()));
                };
                let items: Vec<Node> = items.iter().map(|item| self.node(item)).collect();
                NodeKind::InListLiteral { needle: self.boxed(left), items: items.into_boxed_slice() }
            }
            ExprKind::Binary { op, left, right } => {
                NodeKind::Binary { op: *op, left: self.boxed(left), right: self.boxed(right) }
            }
            ExprKind::Conditional { condition, then, otherwise } => NodeKind::Conditional {
                condition: self.boxed(condition),
                then: self.boxed(then),
                otherwise: self.boxed(otherwise),
            },
            ExprKind::Map(_) | ExprKind::Struct { .. } | ExprKind::Comprehension(_) | ExprKind::Error => {
                NodeKind::Tree(Box::new(expr.clone()))
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
        let last_string = match args.last().map(|arg| &arg.kind) {
            Some(NodeKind::Constant(Value::String(text))) => Some(text.clone()),
            _ => None,
        };
        let prepared = match (function, target.is_some(), args.len(), last_string) {
            ("startsWith", true, 1, Some(part)) => Prepared::StartsWith(part),
            ("endsWith", true, 1, Some(part)) => Prepared::EndsWith(part),
            ("contains", true, 1, Some(part)) => Prepared::Contains(part),
            ("matches", has_target, arity, Some(pattern)) if arity == if has_target { 1 } else { 2 } => {
                match compile_regex(&pattern, self.dialect == Dialect::Exoscale) {
                    Ok(regex) => Prepared::Matches { regex: Box::new(regex), global: !has_target },
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

fn eval<'p>(node: &'p Node, context: &Context<'p, '_>) -> Evaluated<'p> {
    let span = node.span;
    match &node.kind {
        NodeKind::Constant(value) => Ok(Cow::Borrowed(value)),
        NodeKind::Variable { slot, name } => match context.slots.get(*slot).copied().flatten() {
            Some(value) => Ok(Cow::Borrowed(value)),
            None => match type_value(name) {
                Some(type_name) => Ok(Cow::Owned(Value::Type(type_name))),
                None => Err(error(format!("undeclared reference to '{name}'"), span)),
            },
        },
        NodeKind::Select { operand, field, test_only } => {
            let target = eval(operand, context)?;
            if let (Cow::Borrowed(Value::Map(map)), false) = (&target, test_only) {
                if let Some(value) = map.get_str(field) {
                    return Ok(Cow::Borrowed(value));
                }
            }
            select(&target, field, *test_only).map(Cow::Owned).map_err(|message| error(message, span))
        }
        NodeKind::Index { operand, index } => {
            let target = eval(operand, context)?;
            let index = eval(index, context)?;
            index_value(&target, &index).map(Cow::Owned).map_err(|message| error(message, span))
        }
        NodeKind::Call(call) => eval_call(call, span, context),
        NodeKind::List(items) => {
            let mut values = Vec::with_capacity(items.len());
            for item in items.iter() {
                values.push(eval(item, context)?.into_owned());
            }
            Ok(Cow::Owned(Value::list(values)))
        }
        NodeKind::Unary { op, operand } => {
            let value = eval(operand, context)?;
            unary(*op, &value).map(Cow::Owned).map_err(|message| error(message, span))
        }
        NodeKind::Logical { left, right, absorbing } => logical(left, right, *absorbing, span, context),
        NodeKind::ExoscaleIn { left, right } => {
            let needle = eval(left, context);
            let haystack = eval(right, context)?;
            let found = match (&needle, &*haystack) {
                (Ok(needle), _) => contains(Some(needle), &haystack, context.dialect),
                (Err(_), Value::List(_) | Value::Map(_)) => contains(None, &haystack, context.dialect),
                (Err(_), _) => return needle,
            };
            found.map(|found| Cow::Owned(Value::Bool(found))).map_err(|message| error(message, span))
        }
        NodeKind::InListLiteral { needle, items } => {
            let needle = eval(needle, context)?;
            let mut found = false;
            for item in items.iter() {
                let value = eval(item, context)?;
                found = found || values_equal(&needle, &value);
            }
            Ok(Cow::Owned(Value::Bool(found)))
        }
        NodeKind::Binary { op, left, right } => {
            let left = eval(left, context)?;
            let right = eval(right, context)?;
            binary_in(context.dialect, *op, &left, &right).map(Cow::Owned).map_err(|message| error(message, span))
        }
        NodeKind::Conditional { condition, then, otherwise } => match &*eval(condition, context)? {
            Value::Bool(true) => eval(then, context),
            Value::Bool(false) => eval(otherwise, context),
            other => Err(error(format!("no such overload: condition of type {}", other.type_name()), condition.span)),
        },
        NodeKind::Tree(expr) => evaluate_subtree(expr, context.activation, context.dialect).map(Cow::Owned),
    }
}

/// The tree walk's `&&` and `||`: the absorbing value wins over errors on either side;
/// otherwise the left error wins.
fn logical<'p>(
    left: &'p Node,
    right: &'p Node,
    absorbing: bool,
    span: Span,
    context: &Context<'p, '_>,
) -> Evaluated<'p> {
    let left_value = eval(left, context);
    if let Ok(value) = &left_value {
        if let Value::Bool(value) = **value {
            if value == absorbing {
                return Ok(Cow::Owned(Value::Bool(absorbing)));
            }
        }
    }
    let right_value = eval(right, context);
    let left_bool = match &left_value {
        Ok(value) => match **value {
            Value::Bool(value) => Some(value),
            _ => None,
        },
        Err(_) => None,
    };
    let right_bool = match &right_value {
        Ok(value) => match **value {
            Value::Bool(value) => Some(value),
            _ => None,
        },
        Err(_) => None,
    };
    if right_bool == Some(absorbing) {
        return Ok(Cow::Owned(Value::Bool(absorbing)));
    }
    if left_bool.is_some() && right_bool.is_some() {
        return Ok(Cow::Owned(Value::Bool(!absorbing)));
    }
    match (left_value, right_value) {
        (Err(left_error), _) => Err(left_error),
        (_, Err(right_error)) => Err(right_error),
        (Ok(left_value), Ok(right_value)) => {
            let symbol = if absorbing { "||" } else { "&&" };
            Err(error(
                format!("no such overload: {} {symbol} {}", left_value.type_name(), right_value.type_name()),
                span,
            ))
        }
    }
}

#[inline(never)]
fn eval_call<'p>(call: &'p Call, span: Span, context: &Context<'p, '_>) -> Evaluated<'p> {
    let target = match &call.target {
        Some(target) => Some(eval(target, context)?),
        None => None,
    };
    let boolean = |value: bool| Ok(Cow::Owned(Value::Bool(value)));
    match (&call.prepared, target.as_deref()) {
        (Prepared::StartsWith(part), Some(Value::String(text))) => return boolean(text.starts_with(&**part)),
        (Prepared::EndsWith(part), Some(Value::String(text))) => return boolean(text.ends_with(&**part)),
        (Prepared::Contains(part), Some(Value::String(text))) => return boolean(text.contains(&**part)),
        (Prepared::Matches { regex, global: false }, Some(Value::String(text))) => {
            return boolean(regex.is_match(text));
        }
        (Prepared::InIpRange { range, global: false }, Some(Value::String(text))) => {
            return in_range(*range, text, span);
        }
        _ => {}
    }
    // The global forms `matches(text, 'literal')` and `inIpRange(ip, 'literal')`: the first
    // argument is the subject.
    let mut first = None;
    if let (Prepared::Matches { global: true, .. } | Prepared::InIpRange { global: true, .. }, Some(subject)) =
        (&call.prepared, call.args.first())
    {
        let subject = eval(subject, context)?;
        match (&call.prepared, &*subject) {
            (Prepared::Matches { regex, .. }, Value::String(text)) => return boolean(regex.is_match(text)),
            (Prepared::InIpRange { range, .. }, Value::String(text)) => return in_range(*range, text, span),
            _ => first = Some(subject.into_owned()),
        }
    }
    if let (Some(constants), None) = (&call.constant_args, &first) {
        return functions::call(&call.function, target.as_deref(), constants, context.dialect)
            .map(Cow::Owned)
            .map_err(|message| error(message, span));
    }
    // Most calls take one or two arguments: keep those on the stack.
    let count = call.args.len();
    let mut inline: [Value; 2] = [Value::Null, Value::Null];
    let mut spilled = Vec::new();
    let values: &mut [Value] = if count > 2 {
        spilled.resize(count, Value::Null);
        &mut spilled
    } else {
        inline.get_mut(..count).unwrap_or(&mut [])
    };
    for (index, (slot, arg)) in values.iter_mut().zip(call.args.iter()).enumerate() {
        *slot = match first.take() {
            Some(value) if index == 0 => value,
            _ => eval(arg, context)?.into_owned(),
        };
    }
    functions::call(&call.function, target.as_deref(), values, context.dialect)
        .map(Cow::Owned)
        .map_err(|message| error(message, span))
}

fn in_range<'p>(range: IpRange, ip: &str, span: Span) -> Evaluated<'p> {
    parse_ip_address(ip)
        .map(|address| Cow::Owned(Value::Bool(range.contains(address))))
        .map_err(|message| error(message, span))
}
