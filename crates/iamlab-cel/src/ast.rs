//! The syntax tree: every node carries the byte span of its source text.

use iamlab_model::Span;
use std::rc::Rc;

/// One expression node. `span` covers the node's whole source text (for a call, from the target
/// or function name to the closing parenthesis).
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub span: Span,
    pub kind: ExprKind,
}

/// A literal constant as written in the source (escapes already decoded).
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Double(f64),
    String(Rc<str>),
    Bytes(Rc<[u8]>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `!x`
    Not,
    /// `-x`
    Negate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    And,
    Or,
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    In,
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
}

impl BinaryOp {
    /// The operator as written in CEL source.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::And => "&&",
            BinaryOp::Or => "||",
            BinaryOp::Equal => "==",
            BinaryOp::NotEqual => "!=",
            BinaryOp::Less => "<",
            BinaryOp::LessEqual => "<=",
            BinaryOp::Greater => ">",
            BinaryOp::GreaterEqual => ">=",
            BinaryOp::In => "in",
            BinaryOp::Add => "+",
            BinaryOp::Subtract => "-",
            BinaryOp::Multiply => "*",
            BinaryOp::Divide => "/",
            BinaryOp::Remainder => "%",
        }
    }
}

impl UnaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            UnaryOp::Not => "!",
            UnaryOp::Negate => "-",
        }
    }
}

/// The macros of cel-spec (`all`, `exists`, `exists_one`, `map`, `filter`) and the two-variable
/// comprehensions of cel-go's `ext.TwoVarComprehensions` used by the conformance suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComprehensionKind {
    /// `range.all(x, predicate)` / `range.all(i, v, predicate)`
    All,
    /// `range.exists(x, predicate)`
    Exists,
    /// `range.exists_one(x, predicate)` (also spelled `existsOne`)
    ExistsOne,
    /// `range.map(x, transform)` / `range.map(x, filter, transform)`
    Map,
    /// `range.filter(x, predicate)`
    Filter,
    /// `range.transformList(i, v, [filter,] transform)`
    TransformList,
    /// `range.transformMap(k, v, [filter,] transform)`
    TransformMap,
    /// `range.transformMapEntry(k, v, [filter,] transform)` where `transform` yields a map entry
    TransformMapEntry,
}

impl ComprehensionKind {
    pub fn name(self) -> &'static str {
        match self {
            ComprehensionKind::All => "all",
            ComprehensionKind::Exists => "exists",
            ComprehensionKind::ExistsOne => "exists_one",
            ComprehensionKind::Map => "map",
            ComprehensionKind::Filter => "filter",
            ComprehensionKind::TransformList => "transformList",
            ComprehensionKind::TransformMap => "transformMap",
            ComprehensionKind::TransformMapEntry => "transformMapEntry",
        }
    }
}

/// A macro expanded into a loop over `range`.
#[derive(Debug, Clone, PartialEq)]
pub struct Comprehension {
    pub kind: ComprehensionKind,
    pub range: Expr,
    /// The (first) loop variable: the element of a list, the key of a map; with two variables
    /// the index of a list or the key of a map.
    pub variable: String,
    pub variable_span: Span,
    /// The second loop variable of a two-variable comprehension: the element or the map value.
    pub second_variable: Option<(String, Span)>,
    /// The predicate (`all`, `exists`, `exists_one`, `filter`) or the transform (`map`, `transform*`).
    pub body: Expr,
    /// The filter of the three-argument `map(x, filter, transform)` and of `transform*`.
    pub filter: Option<Expr>,
}

/// `name: value` of a message construction `Type{name: value}`.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldInit {
    pub field: String,
    pub field_span: Span,
    pub value: Expr,
}

/// `key: value` of a map literal.
#[derive(Debug, Clone, PartialEq)]
pub struct MapEntry {
    pub key: Expr,
    pub value: Expr,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Literal(Literal),
    /// A variable or type name (`operation`, `int`); a leading-dot name keeps its dot (`.x`).
    Ident(String),
    /// `operand.field`, or `has(operand.field)` when `test_only`.
    Select {
        operand: Box<Expr>,
        field: String,
        field_span: Span,
        test_only: bool,
    },
    /// `operand[index]`
    Index {
        operand: Box<Expr>,
        index: Box<Expr>,
    },
    /// A global call `f(args)` (no target) or a receiver call `target.f(args)`.
    Call {
        target: Option<Box<Expr>>,
        function: String,
        function_span: Span,
        args: Vec<Expr>,
    },
    List(Vec<Expr>),
    Map(Vec<MapEntry>),
    /// A protobuf message construction `Type{field: value}`: parsed so that diagnostics are
    /// precise, but iamlab has no message types, so evaluating it is an error.
    Struct {
        type_name: String,
        fields: Vec<FieldInit>,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `condition ? then : otherwise`
    Conditional {
        condition: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    Comprehension(Box<Comprehension>),
    /// A place where the parser could not build a node; a diagnostic always explains it.
    Error,
}

impl Expr {
    pub fn new(span: Span, kind: ExprKind) -> Expr {
        Expr { span, kind }
    }

    /// The direct children in source order.
    pub fn children(&self) -> Vec<&Expr> {
        let mut children = Vec::new();
        match &self.kind {
            ExprKind::Literal(_) | ExprKind::Ident(_) | ExprKind::Error => {}
            ExprKind::Select { operand, .. } => children.push(&**operand),
            ExprKind::Index { operand, index } => {
                children.push(&**operand);
                children.push(&**index);
            }
            ExprKind::Call { target, args, .. } => {
                if let Some(target) = target {
                    children.push(&**target);
                }
                children.extend(args.iter());
            }
            ExprKind::List(items) => children.extend(items.iter()),
            ExprKind::Map(entries) => {
                for entry in entries {
                    children.push(&entry.key);
                    children.push(&entry.value);
                }
            }
            ExprKind::Struct { fields, .. } => children.extend(fields.iter().map(|field| &field.value)),
            ExprKind::Unary { operand, .. } => children.push(&**operand),
            ExprKind::Binary { left, right, .. } => {
                children.push(&**left);
                children.push(&**right);
            }
            ExprKind::Conditional { condition, then, otherwise } => {
                children.push(&**condition);
                children.push(&**then);
                children.push(&**otherwise);
            }
            ExprKind::Comprehension(comprehension) => {
                children.push(&comprehension.range);
                if let Some(filter) = &comprehension.filter {
                    children.push(filter);
                }
                children.push(&comprehension.body);
            }
        }
        children
    }
}

/// Visits `expr` and all its descendants in pre-order (a node before its children, children in
/// source order). Iterative, so it cannot overflow the stack whatever the tree's depth. The
/// visitor may keep the references it is given (they live as long as the tree).
pub fn walk<'e>(expr: &'e Expr, visit: &mut impl FnMut(&'e Expr)) {
    let mut stack = vec![expr];
    while let Some(node) = stack.pop() {
        visit(node);
        let children = node.children();
        stack.extend(children.into_iter().rev());
    }
}
