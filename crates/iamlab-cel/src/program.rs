//! The compile phase: an [`Expr`] turned once into a [`Program`] whose evaluation does no name
//! lookups and no allocation on the common paths.
//!
//! What compiling resolves:
//! - variables to slots: each distinct variable name is fingerprinted once, at compile time, and looked
//!   up once per evaluation, however often the expression reads it; comprehension variables
//!   (`list.all(x, …)`) to local slots, which hold a borrow of the element when the range is
//!   borrowed;
//! - field paths (`resources.instance.name`) to one node that borrows into the activation's
//!   values, each field name fingerprinted at compile time (`crate::table`);
//! - literals, and list literals of literals, to values built once (read by reference, so that
//!   `x in ['a', 'b']` copies nothing), and the idioms of IAM conditions to nodes of their own:
//!   `x in [literals]`, `'key' in map`, `x == literal`, `x != literal`;
//! - the functions IAM conditions call with a literal argument to a prepared form: `startsWith`,
//!   `endsWith`, `contains`, `matches` (the regular expression compiled once; a pattern of a few
//!   literal strings, `^(create|update)-record$`, compared as strings: `crate::literal_pattern`), `inIpRange`
//!   (the CIDR block parsed once), Exoscale's `map.has('key')` and the timestamp getters
//!   (`getHours('Europe/Paris')`, the zone resolved once). Every other call goes through the
//!   same dispatch as the tree walk.
//!
//! The semantics are the tree walk's ([`crate::evaluate`]), value for value and error for error
//! (message and span): each compiled node mirrors the walk's untraced branch for its node kind,
//! and the operators, functions and equality are the same functions; a specialised node takes
//! its fast path only for the value types where that path is the general one's answer, and
//! calls the general function otherwise. Node kinds that are rare in policies (map literals,
//! message constructions, `transformMap`, syntax-error holes, the dotted type names
//! `google.protobuf.Timestamp`) are kept as subtrees for the tree walk, which receives the
//! comprehension variables in scope there. An activation with dotted variable names
//! (`"request.ip"` bound as one name) is evaluated by the tree walk as a whole. Traces come from
//! [`crate::evaluate_traced`]: a program records nothing.

mod compile;
mod comprehension;

use crate::ast::{BinaryOp, ComprehensionKind, Expr, UnaryOp};
use crate::eval::{error, evaluate_subtree, type_value, Activation, EvalError};
use crate::functions::{self, getter_offset, parse_ip_address, Getter, IpRange};
use crate::literal_pattern::LiteralPattern;
use crate::operators::{binary_in, contains, index_value, select, unary, values_equal};
use crate::table::{Hint, KeyPrint};
use crate::time::PreparedZone;
use crate::value::Value;
use crate::Dialect;
use compile::Compiler;
use comprehension::eval_comprehension;
use iamlab_model::Span;
use std::borrow::Cow;
use std::net::IpAddr;
use std::rc::Rc;

/// A compiled expression: compile once with [`Program::compile`], evaluate many times with
/// [`Program::evaluate`].
#[derive(Debug, Clone)]
pub struct Program {
    root: Node,
    /// The variable names the expression reads, one slot each, with their fingerprints and
    /// where each was found the last time.
    names: Vec<(Box<str>, KeyPrint, Hint)>,
    /// The most comprehension variables in scope at once.
    locals: usize,
    dialect: Dialect,
    /// The source tree, for activations with dotted variable names.
    expr: Expr,
}

#[derive(Debug, Clone)]
struct Node {
    span: Span,
    kind: NodeKind,
}

/// Where a path starts.
#[derive(Debug, Clone)]
enum Root {
    /// An activation variable: its slot, and its name for the error when it is unbound.
    Variable { slot: usize, name: Box<str>, span: Span },
    /// A comprehension variable.
    Local(usize),
}

/// One field read of a path: `.name`, with the span of the select node it ends.
#[derive(Debug, Clone)]
struct Step {
    field: Box<str>,
    print: KeyPrint,
    hint: Hint,
    span: Span,
}

#[derive(Debug, Clone)]
enum NodeKind {
    Constant(Value),
    /// A variable and the fields read from it, `resource.name`, in one loop.
    Path {
        root: Root,
        steps: Box<[Step]>,
    },
    /// `operand.field` on an operand that is not a path.
    Select {
        operand: Box<Node>,
        step: Step,
    },
    /// `has(operand.field)`.
    Has {
        operand: Box<Node>,
        field: Box<str>,
        print: KeyPrint,
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
    /// `x in [literals]`: the list built at compile time. `strings` when every element is a
    /// string (so that a string needle is compared with strings only).
    InConstantList {
        needle: Box<Node>,
        list: Value,
        strings: bool,
    },
    /// `x in [a, b]` outside Exoscale with some element computed: compared element by element,
    /// the list never built.
    InListLiteral {
        needle: Box<Node>,
        items: Box<[Node]>,
    },
    /// `'key' in operand`.
    KeyIn {
        key: Value,
        text: Rc<str>,
        print: KeyPrint,
        hint: Hint,
        haystack: Box<Node>,
    },
    /// `operand == literal`, `operand != literal` (or the literal first).
    Equality {
        op: BinaryOp,
        operand: Box<Node>,
        constant: Value,
        constant_first: bool,
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
    Comprehension(Box<Loop>),
    /// A subtree left to the tree walk, with the comprehension variables in scope there
    /// (outermost first) and their local slots.
    Tree {
        expr: Box<Expr>,
        scope: Box<[(Box<str>, usize)]>,
    },
}

/// A compiled comprehension (`all`, `exists`, `exists_one`, `map`, `filter`, `transformList`).
#[derive(Debug, Clone)]
struct Loop {
    kind: ComprehensionKind,
    range: Node,
    /// The local slot of the first variable, and of the second one of a two-variable form.
    first: usize,
    second: Option<usize>,
    body: Node,
    filter: Option<Node>,
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
    StartsWith(Rc<str>),
    EndsWith(Rc<str>),
    Contains(Box<functions::Needle>),
    /// `text.matches('literal')` (`global` false) or `matches(text, 'literal')`.
    Matches {
        regex: Box<regex_lite::Regex>,
        global: bool,
    },
    /// `matches` with a literal pattern whose language is a few literal strings
    /// (`crate::literal_pattern`), compared without the regular expression.
    Literals {
        pattern: Box<LiteralPattern>,
        global: bool,
    },
    /// `ip.inIpRange('literal')` (`global` false) or `inIpRange(ip, 'literal')`.
    InIpRange {
        range: IpRange,
        global: bool,
    },
    /// Exoscale's `map.has('literal')`.
    Has {
        key: Rc<str>,
        print: KeyPrint,
    },
    /// `timestamp.getHours()`, `timestamp.getHours('zone')`; `None` is UTC.
    Getter {
        getter: Getter,
        zone: Option<Box<PreparedZone>>,
    },
}

/// A value borrowed from the program or the activation, or computed.
type Evaluated<'p> = Result<Cow<'p, Value>, Box<EvalError>>;

/// The value of a comprehension variable.
#[derive(Debug, Clone)]
enum Local<'p> {
    Unbound,
    Borrowed(&'p Value),
    Owned(Value),
}

impl<'p> Local<'p> {
    fn value(&self) -> Option<Cow<'p, Value>> {
        match self {
            Local::Unbound => None,
            Local::Borrowed(value) => Some(Cow::Borrowed(*value)),
            Local::Owned(value) => Some(Cow::Owned(value.clone())),
        }
    }
}

struct Context<'p, 's> {
    slots: &'s [Option<&'p Value>],
    locals: &'s mut [Local<'p>],
    activation: &'p Activation,
    dialect: Dialect,
    /// The last address `inIpRange` parsed in this evaluation, by the address of its text, so
    /// that `ip.inIpRange(a) || ip.inIpRange(b)` parses `ip` once. The text is borrowed from
    /// the program or the activation for the whole evaluation, so its address identifies it.
    last_address: Option<(*const u8, usize, IpAddr)>,
}

impl Program {
    /// Compiles `expr` for `dialect`. Never fails: whatever cannot be prepared (an invalid
    /// literal regular expression, say) is evaluated as the tree walk does, error included.
    pub fn compile(expr: &Expr, dialect: Dialect) -> Program {
        let mut compiler = Compiler { names: Vec::new(), dialect, scope: Vec::new(), locals: 0 };
        let root = compiler.node(expr);
        Program { root, names: compiler.names, locals: compiler.locals, dialect, expr: expr.clone() }
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
        // Policies read a handful of variables and have a comprehension or two at most: their
        // slots on the stack, so that an evaluation allocates nothing. The arrays are built only
        // when needed (most programs have no comprehension).
        const INLINE_SLOTS: usize = 8;
        const INLINE_LOCALS: usize = 2;
        let mut inline: [Option<&Value>; INLINE_SLOTS] = [None; INLINE_SLOTS];
        let mut spilled: Vec<Option<&Value>>;
        let slots: &mut [Option<&Value>] = match self.names.len() {
            count if count <= INLINE_SLOTS => inline.get_mut(..count).unwrap_or(&mut []),
            count => {
                spilled = vec![None; count];
                &mut spilled
            }
        };
        for (slot, (name, print, hint)) in slots.iter_mut().zip(&self.names) {
            *slot = activation.variables.get_hinted(name, print, hint);
        }
        let mut inline_locals: [Local; INLINE_LOCALS];
        let mut spilled_locals: Vec<Local>;
        let locals: &mut [Local] = match self.locals {
            0 => &mut [],
            count if count <= INLINE_LOCALS => {
                inline_locals = [Local::Unbound, Local::Unbound];
                inline_locals.get_mut(..count).unwrap_or(&mut [])
            }
            count => {
                spilled_locals = vec![Local::Unbound; count];
                &mut spilled_locals
            }
        };
        let mut context = Context { slots, locals, activation, dialect: self.dialect, last_address: None };
        eval(&self.root, &mut context).map(Cow::into_owned).map_err(|failure| *failure)
    }
}

/// Reads `step` from a value: a borrow of the field when the value is borrowed.
#[inline]
fn field<'p>(value: Cow<'p, Value>, step: &Step) -> Evaluated<'p> {
    match value {
        Cow::Borrowed(Value::Map(map)) => match map.get_hinted(&step.field, &step.print, &step.hint) {
            Some(found) => Ok(Cow::Borrowed(found)),
            None => Err(error(format!("no such key: {}", step.field), step.span)),
        },
        other => select(&other, &step.field, false).map(Cow::Owned).map_err(|message| error(message, step.span)),
    }
}

#[inline(always)]
fn boolean<'p>(value: bool) -> Evaluated<'p> {
    Ok(Cow::Owned(Value::Bool(value)))
}

/// Evaluates a node. Literals and paths from a bound variable, the operands of most nodes, are
/// read here without entering [`eval_node`], whose frame holds every node kind. Always inlined
/// in optimised builds: opt-level `z` would not, and the playground's wasm has no compiled
/// programs (it evaluates with traces), so that this costs the site no bytes (the CEL
/// benchmark's wasm, 6.8 KB gzip). Not in debug builds, which give every inlined copy its own
/// stack slots: `eval_node`'s frame would outgrow the 1 MiB stack of the robustness tests.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
fn eval<'p>(node: &'p Node, context: &mut Context<'p, '_>) -> Evaluated<'p> {
    match &node.kind {
        NodeKind::Constant(value) => Ok(Cow::Borrowed(value)),
        NodeKind::Path { root: Root::Variable { slot, .. }, steps } => {
            match context.slots.get(*slot).copied().flatten() {
                Some(value) => borrowed_path(value, steps),
                None => eval_node(node, context),
            }
        }
        // A comprehension variable bound to an element of a borrowed list or map.
        NodeKind::Path { root: Root::Local(local), steps } => match context.locals.get(*local) {
            Some(Local::Borrowed(value)) => borrowed_path(value, steps),
            _ => eval_node(node, context),
        },
        _ => eval_node(node, context),
    }
}

/// The fields `steps` read from a borrowed value, as [`field`] reads them one by one.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
fn borrowed_path<'p>(value: &'p Value, steps: &'p [Step]) -> Evaluated<'p> {
    let mut current = value;
    for step in steps {
        current = match current {
            Value::Map(map) => match map.get_hinted(&step.field, &step.print, &step.hint) {
                Some(found) => found,
                None => return Err(error(format!("no such key: {}", step.field), step.span)),
            },
            other => {
                return select(other, &step.field, false).map(Cow::Owned).map_err(|message| error(message, step.span));
            }
        };
    }
    Ok(Cow::Borrowed(current))
}

#[inline(never)]
fn eval_node<'p>(node: &'p Node, context: &mut Context<'p, '_>) -> Evaluated<'p> {
    let span = node.span;
    match &node.kind {
        NodeKind::Constant(value) => Ok(Cow::Borrowed(value)),
        NodeKind::Path { root, steps } => {
            let mut current = match root {
                Root::Variable { slot, name, span } => match context.slots.get(*slot).copied().flatten() {
                    Some(value) => Cow::Borrowed(value),
                    None => unbound(name, *span)?,
                },
                Root::Local(local) => local_value(context, *local, span)?,
            };
            for step in steps.iter() {
                current = field(current, step)?;
            }
            Ok(current)
        }
        NodeKind::Select { operand, step } => {
            let target = eval(operand, context)?;
            field(target, step)
        }
        NodeKind::Has { operand, field, print } => {
            let target = eval(operand, context)?;
            match &*target {
                Value::Map(map) => boolean(map.get_printed(field, print).is_some()),
                other => select(other, field, true).map(Cow::Owned).map_err(|message| error(message, span)),
            }
        }
        NodeKind::Index { operand, index } => {
            let target = eval(operand, context)?;
            let index = eval(index, context)?;
            if let (Cow::Borrowed(Value::Map(map)), Value::String(key)) = (&target, &*index) {
                if let Some(found) = map.get_str(key) {
                    return Ok(Cow::Borrowed(found));
                }
            }
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
            match (op, &*value) {
                (UnaryOp::Not, Value::Bool(value)) => boolean(!value),
                (op, value) => unary(*op, value).map(Cow::Owned).map_err(|message| error(message, span)),
            }
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
        NodeKind::InConstantList { needle, list, strings } => in_constant_list(needle, list, *strings, span, context),
        NodeKind::InListLiteral { needle, items } => {
            let needle = eval(needle, context)?;
            let mut found = false;
            for item in items.iter() {
                let value = eval(item, context)?;
                found = found || values_equal(&needle, &value);
            }
            boolean(found)
        }
        NodeKind::KeyIn { key, text, print, hint, haystack } => {
            let haystack = eval(haystack, context)?;
            if let Value::Map(map) = &*haystack {
                if map.get_hinted(text, print, hint).is_some() {
                    return boolean(true);
                }
                // A string key is absent: the answer of both `in`s unless Exoscale's map has
                // keys of other types only, which the general function reports.
                if context.dialect != Dialect::Exoscale || map.is_empty() || map.has_string_keys() {
                    return boolean(false);
                }
            }
            binary_in(context.dialect, BinaryOp::In, key, &haystack)
                .map(Cow::Owned)
                .map_err(|message| error(message, span))
        }
        NodeKind::Equality { op, operand, constant, constant_first } => {
            let value = eval(operand, context)?;
            let equal = match (&*value, constant) {
                (Value::String(a), Value::String(b)) => Some(a == b),
                (Value::Int(a), Value::Int(b)) => Some(a == b),
                (Value::Bool(a), Value::Bool(b)) => Some(a == b),
                _ => None,
            };
            match equal {
                Some(equal) => boolean(equal == (*op == BinaryOp::Equal)),
                None => {
                    let (left, right) = if *constant_first { (constant, &*value) } else { (&*value, constant) };
                    binary_in(context.dialect, *op, left, right).map(Cow::Owned).map_err(|message| error(message, span))
                }
            }
        }
        NodeKind::Binary { op, left, right } => {
            let left = eval(left, context)?;
            let right = eval(right, context)?;
            if let (Value::Int(a), Value::Int(b)) = (&*left, &*right) {
                let ordered = match op {
                    BinaryOp::Less => Some(a < b),
                    BinaryOp::LessEqual => Some(a <= b),
                    BinaryOp::Greater => Some(a > b),
                    BinaryOp::GreaterEqual => Some(a >= b),
                    _ => None,
                };
                if let Some(ordered) = ordered {
                    return boolean(ordered);
                }
            }
            binary_in(context.dialect, *op, &left, &right).map(Cow::Owned).map_err(|message| error(message, span))
        }
        NodeKind::Conditional { condition, then, otherwise } => {
            let condition_value = eval(condition, context)?;
            match &*condition_value {
                Value::Bool(true) => eval(then, context),
                Value::Bool(false) => eval(otherwise, context),
                other => {
                    Err(error(format!("no such overload: condition of type {}", other.type_name()), condition.span))
                }
            }
        }
        NodeKind::Comprehension(comprehension) => eval_comprehension(comprehension, span, context),
        NodeKind::Tree { expr, scope } => tree(expr, scope, context),
    }
}

#[inline(never)]
fn unbound<'p>(name: &str, span: Span) -> Evaluated<'p> {
    match type_value(name) {
        Some(type_name) => Ok(Cow::Owned(Value::Type(type_name))),
        None => Err(error(format!("undeclared reference to '{name}'"), span)),
    }
}

fn local_value<'p>(context: &Context<'p, '_>, local: usize, span: Span) -> Evaluated<'p> {
    context
        .locals
        .get(local)
        .and_then(Local::value)
        .ok_or_else(|| error("internal error: comprehension variable read outside its loop", span))
}

#[inline(never)]
fn tree<'p>(expr: &'p Expr, scope: &'p [(Box<str>, usize)], context: &Context<'p, '_>) -> Evaluated<'p> {
    let scopes = scope
        .iter()
        .filter_map(|(name, local)| {
            let value = context.locals.get(*local).and_then(Local::value)?;
            Some((&**name, value.into_owned()))
        })
        .collect();
    evaluate_subtree(expr, context.activation, context.dialect, scopes).map(Cow::Owned)
}

/// `needle in [literals]`, in either dialect.
#[inline(never)]
fn in_constant_list<'p>(
    needle: &'p Node,
    list: &'p Value,
    strings: bool,
    span: Span,
    context: &mut Context<'p, '_>,
) -> Evaluated<'p> {
    let exoscale = context.dialect == Dialect::Exoscale;
    let value = eval(needle, context);
    let items: &[Value] = match list {
        Value::List(items) => items,
        _ => &[],
    };
    // A string against strings: found or not, in both dialects (a list of strings only is
    // uniform for Exoscale's `in`).
    if let (Ok(needle), true) = (&value, strings) {
        if let Value::String(text) = &**needle {
            return boolean(items.iter().any(|item| matches!(item, Value::String(item) if item == text)));
        }
    }
    match value {
        Ok(needle) if exoscale => contains(Some(&needle), list, context.dialect),
        Ok(needle) => Ok(items.iter().any(|item| values_equal(&needle, item))),
        Err(_) if exoscale => contains(None, list, context.dialect),
        Err(failure) => return Err(failure),
    }
    .map(|found| Cow::Owned(Value::Bool(found)))
    .map_err(|message| error(message, span))
}

/// The tree walk's `&&` and `||`: the absorbing value wins over errors on either side;
/// otherwise the left error wins.
#[cfg_attr(not(debug_assertions), inline(always))]
#[cfg_attr(debug_assertions, inline)]
fn logical<'p>(
    left: &'p Node,
    right: &'p Node,
    absorbing: bool,
    span: Span,
    context: &mut Context<'p, '_>,
) -> Evaluated<'p> {
    let left_value = eval(left, context);
    let left_bool = match &left_value {
        Ok(value) => match **value {
            Value::Bool(value) => Some(value),
            _ => None,
        },
        Err(_) => None,
    };
    if left_bool == Some(absorbing) {
        return boolean(absorbing);
    }
    let right_value = eval(right, context);
    let right_bool = match &right_value {
        Ok(value) => match **value {
            Value::Bool(value) => Some(value),
            _ => None,
        },
        Err(_) => None,
    };
    if right_bool == Some(absorbing) {
        return boolean(absorbing);
    }
    if left_bool.is_some() && right_bool.is_some() {
        return boolean(!absorbing);
    }
    logical_failure(left_value, right_value, absorbing, span)
}

#[inline(never)]
fn logical_failure<'p>(left: Evaluated<'p>, right: Evaluated<'p>, absorbing: bool, span: Span) -> Evaluated<'p> {
    match (left, right) {
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
fn eval_call<'p>(call: &'p Call, span: Span, context: &mut Context<'p, '_>) -> Evaluated<'p> {
    let target = match &call.target {
        Some(target) => Some(eval(target, context)?),
        None => None,
    };
    match (&call.prepared, target.as_deref()) {
        (Prepared::StartsWith(part), Some(Value::String(text))) => return boolean(text.starts_with(&**part)),
        (Prepared::EndsWith(part), Some(Value::String(text))) => return boolean(text.ends_with(&**part)),
        (Prepared::Contains(needle), Some(Value::String(text))) => return boolean(needle.is_in(text)),
        (Prepared::Matches { regex, global: false }, Some(Value::String(text))) => {
            return boolean(regex.is_match(text));
        }
        (Prepared::Literals { pattern, global: false }, Some(Value::String(text))) => {
            return boolean(pattern.is_match(text));
        }
        (Prepared::InIpRange { range, global: false }, Some(Value::String(text))) => {
            let borrowed = matches!(target, Some(Cow::Borrowed(_)));
            return in_range(*range, text, borrowed, span, context);
        }
        (Prepared::Has { key, print }, Some(Value::Map(map))) => return boolean(map.get_printed(key, print).is_some()),
        (Prepared::Getter { getter, zone }, Some(Value::Timestamp(timestamp))) => {
            let offset = match zone {
                Some(zone) => zone.offset(*timestamp),
                None => getter_offset(*timestamp, None, context.dialect),
            };
            return offset
                .map(|offset| Cow::Owned(getter.value(*timestamp, offset)))
                .map_err(|message| error(message, span));
        }
        _ => {}
    }
    // The global forms `matches(text, 'literal')` and `inIpRange(ip, 'literal')`: the first
    // argument is the subject.
    let mut first = None;
    if let (
        Prepared::Matches { global: true, .. }
        | Prepared::Literals { global: true, .. }
        | Prepared::InIpRange { global: true, .. },
        Some(subject),
    ) = (&call.prepared, call.args.first())
    {
        let subject = eval(subject, context)?;
        match (&call.prepared, &*subject) {
            (Prepared::Matches { regex, .. }, Value::String(text)) => return boolean(regex.is_match(text)),
            (Prepared::Literals { pattern, .. }, Value::String(text)) => return boolean(pattern.is_match(text)),
            (Prepared::InIpRange { range, .. }, Value::String(text)) => {
                let borrowed = matches!(subject, Cow::Borrowed(_));
                return in_range(*range, text, borrowed, span, context);
            }
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

/// `inIpRange` with a prepared range. `borrowed` says that `ip` lives as long as the
/// evaluation (it is read from the activation or the program), so that its parsed address may
/// be remembered by the text's address; a computed text may be freed and its address reused.
fn in_range<'p>(range: IpRange, ip: &str, borrowed: bool, span: Span, context: &mut Context<'p, '_>) -> Evaluated<'p> {
    let key = (ip.as_ptr(), ip.len());
    let address = match context.last_address {
        Some((pointer, length, address)) if borrowed && (pointer, length) == key => address,
        _ => {
            let address = parse_ip_address(ip).map_err(|message| error(message, span))?;
            if borrowed {
                context.last_address = Some((key.0, key.1, address));
            }
            address
        }
    };
    boolean(range.contains(address))
}
