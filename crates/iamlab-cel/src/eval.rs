//! The evaluator: a tree walk over [`Expr`] with cel-spec semantics.
//!
//! Tracing is a flag of the one evaluator: [`evaluate`] records nothing and reads variables in
//! place where it can; [`evaluate_traced`] keeps every node's outcome. One evaluator rather than
//! one per mode (a generic recorder): the playground's wasm evaluates both ways (traced for the
//! explanation, untraced for the grid's rows) and a second copy of the walk would cost it 4 KB
//! gzip.

use crate::ast::{BinaryOp, Comprehension, ComprehensionKind, Expr, ExprKind, Literal};
use crate::declarations::{CelType, Declarations};
use crate::functions;
use crate::operators::{binary_in, contains, index_value, select, unary, values_equal};
use crate::parser::qualified_name;
use crate::table::Table;
use crate::time::{parse_duration, parse_timestamp};
use crate::value::{Map, Value};
use crate::Dialect;
use iamlab_model::Span;
use std::rc::Rc;

/// A runtime error and the span of the node that failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct EvalError {
    pub message: String,
    pub span: Span,
}

/// One evaluated node: its span and its value or error.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceNode {
    pub span: Span,
    pub outcome: Result<Value, EvalError>,
}

/// Every evaluated node in evaluation order (children before their parent). Nodes that were
/// not evaluated (the other branch of `?:`, the right operand of a short-circuited `&&`) are
/// absent.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Trace {
    pub nodes: Vec<TraceNode>,
}

impl Trace {
    /// The last recorded outcome of the node with exactly this span.
    pub fn outcome_of(&self, span: Span) -> Option<&Result<Value, EvalError>> {
        self.nodes.iter().rev().find(|node| node.span == span).map(|node| &node.outcome)
    }
}

/// Variable bindings.
#[derive(Debug, Clone, Default)]
pub struct Activation {
    /// For the handful of variables of a policy, a vector scanned by hash (`crate::table`); a
    /// compiled program hashes the names it reads once, at compile time.
    pub(crate) variables: Table<Value>,
    /// Whether some name contains a dot, so that `a.b` must first be looked up as one name.
    pub(crate) has_dotted_names: bool,
}

impl Activation {
    pub fn new() -> Activation {
        Activation::default()
    }

    pub fn with(mut self, name: impl Into<String>, value: Value) -> Activation {
        self.insert(name, value);
        self
    }

    pub fn insert(&mut self, name: impl Into<String>, value: Value) {
        let name: String = name.into();
        self.has_dotted_names |= name.contains('.');
        self.variables.insert(Rc::from(name), value);
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.variables.get(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.variables.iter().map(|(name, _)| name)
    }

    /// Builds bindings from a JSON object, converting values to their declared types: RFC 3339
    /// strings become timestamps, `"5400s"` durations, integers uints or doubles where so
    /// declared (also inside declared records, lists and maps). Undeclared variables are taken
    /// as JSON. Keys may be dotted (`"request.ip"`).
    pub fn from_json_object(json: &serde_json::Value, declarations: &Declarations) -> Result<Activation, String> {
        let serde_json::Value::Object(object) = json else {
            return Err("variables must be a JSON object".to_owned());
        };
        let mut activation = Activation::new();
        for (name, value) in object {
            let declared = declarations.type_of_path(name).unwrap_or(CelType::Dyn);
            let converted =
                convert_json(value, &declared).map_err(|message| format!("variable `{name}`: {message}"))?;
            activation.insert(name.clone(), converted);
        }
        Ok(activation)
    }
}

/// Converts JSON to a value of the declared type (see [`Activation::from_json_object`]).
pub(crate) fn convert_json(json: &serde_json::Value, declared: &CelType) -> Result<Value, String> {
    match (declared, json) {
        (CelType::Timestamp, serde_json::Value::String(text)) => parse_timestamp(text).map(Value::Timestamp),
        (CelType::Duration, serde_json::Value::String(text)) => parse_duration(text).map(Value::Duration),
        (CelType::Uint, serde_json::Value::Number(number)) => {
            number.as_u64().map(Value::Uint).ok_or_else(|| format!("{number} is not a uint"))
        }
        (CelType::Double, serde_json::Value::Number(number)) => Ok(Value::Double(number.as_f64().unwrap_or(f64::NAN))),
        (CelType::List(element), serde_json::Value::Array(items)) => {
            let items: Result<Vec<Value>, String> = items.iter().map(|item| convert_json(item, element)).collect();
            Ok(Value::list(items?))
        }
        (CelType::Map(_, value_type), serde_json::Value::Object(object)) => {
            let mut map = Map::new();
            for (key, value) in object {
                map.insert(Value::string(key.as_str()), convert_json(value, value_type)?)?;
            }
            Ok(Value::Map(Rc::new(map)))
        }
        (CelType::Object(_), serde_json::Value::Object(object)) => {
            let mut map = Map::new();
            for (key, value) in object {
                let field_type = declared.field(key).unwrap_or(&CelType::Dyn);
                let converted =
                    convert_json(value, field_type).map_err(|message| format!("field `{key}`: {message}"))?;
                map.insert(Value::string(key.as_str()), converted)?;
            }
            Ok(Value::Map(Rc::new(map)))
        }
        _ => Ok(Value::from_json(json)),
    }
}

/// Evaluates `expr`. Errors carry the span of the node that failed.
pub fn evaluate(expr: &Expr, activation: &Activation, dialect: Dialect) -> Result<Value, EvalError> {
    let mut evaluator = Evaluator { activation, dialect, recorder: Recorder::off(), scopes: Vec::new() };
    evaluator.eval(expr).map_err(|error| *error)
}

/// Evaluates a subtree that [`crate::program`] does not compile (map literals, `transformMap`…)
/// with the tree walk, untraced; `scopes` are the comprehension variables visible there,
/// innermost last.
pub(crate) fn evaluate_subtree<'e>(
    expr: &'e Expr,
    activation: &Activation,
    dialect: Dialect,
    scopes: Vec<(&'e str, Value)>,
) -> Result<Value, Box<EvalError>> {
    let mut evaluator = Evaluator { activation, dialect, recorder: Recorder::off(), scopes };
    evaluator.eval(expr)
}

/// Evaluates `expr` and records the outcome of every evaluated node.
pub fn evaluate_traced(expr: &Expr, activation: &Activation, dialect: Dialect) -> (Result<Value, EvalError>, Trace) {
    let mut evaluator = Evaluator { activation, dialect, recorder: Recorder::on(), scopes: Vec::new() };
    let result = evaluator.eval(expr).map_err(|error| *error);
    (result, Trace { nodes: evaluator.recorder.nodes })
}

/// What the evaluator records: every node's outcome when `enabled`, else nothing.
struct Recorder {
    enabled: bool,
    nodes: Vec<TraceNode>,
}

impl Recorder {
    fn off() -> Recorder {
        Recorder { enabled: false, nodes: Vec::new() }
    }

    fn on() -> Recorder {
        Recorder { enabled: true, nodes: Vec::new() }
    }

    fn record(&mut self, span: Span, outcome: &Evaluated) {
        let outcome = match outcome {
            Ok(value) => Ok(value.clone()),
            Err(error) => Err((**error).clone()),
        };
        self.nodes.push(TraceNode { span, outcome });
    }
}

struct Evaluator<'e, 'a> {
    activation: &'a Activation,
    dialect: Dialect,
    recorder: Recorder,
    /// Comprehension variables, innermost last.
    scopes: Vec<(&'e str, Value)>,
}

/// The evaluator's internal result: the error is boxed so that the success path, which every
/// node takes, moves only a value-sized result.
type Evaluated = Result<Value, Box<EvalError>>;

pub(crate) fn error(message: impl Into<String>, span: Span) -> Box<EvalError> {
    Box::new(EvalError { message: message.into(), span })
}

pub(crate) fn literal_value(literal: &Literal) -> Value {
    match literal {
        Literal::Null => Value::Null,
        Literal::Bool(value) => Value::Bool(*value),
        Literal::Int(value) => Value::Int(*value),
        Literal::Uint(value) => Value::Uint(*value),
        Literal::Double(value) => Value::Double(*value),
        Literal::String(value) => Value::String(value.clone()),
        Literal::Bytes(value) => Value::Bytes(value.clone()),
    }
}

/// The type names that are values (`type(1) == int`): `Some` of the name a `Value::Type`
/// carries, `None` for a name that is not a type iamlab knows (e.g. a protobuf message).
pub fn type_value(name: &str) -> Option<&'static str> {
    Some(match name {
        "int" => "int",
        "uint" => "uint",
        "double" => "double",
        "bool" => "bool",
        "string" => "string",
        "bytes" => "bytes",
        "list" => "list",
        "map" => "map",
        "null_type" => "null_type",
        "type" => "type",
        "google.protobuf.Timestamp" => "google.protobuf.Timestamp",
        "google.protobuf.Duration" => "google.protobuf.Duration",
        _ => return None,
    })
}

impl<'e> Evaluator<'e, '_> {
    fn eval(&mut self, expr: &'e Expr) -> Evaluated {
        let result = self.eval_node(expr);
        if self.recorder.enabled {
            self.recorder.record(expr.span, &result);
        }
        result
    }

    fn lookup_ref(&self, name: &str) -> Option<&Value> {
        if let Some((_, value)) = self.scopes.iter().rev().find(|(scoped, _)| *scoped == name) {
            return Some(value);
        }
        self.activation.variables.get(name)
    }

    /// The value of a variable or of a field path into it (`resources.instance.name`), borrowed
    /// where it is stored; `None` whenever the normal evaluation is needed (a missing key, a
    /// non-map, dotted variable names), which then reports any error.
    fn borrow_path(&self, expr: &Expr) -> Option<&Value> {
        if self.activation.has_dotted_names {
            return None;
        }
        match &expr.kind {
            ExprKind::Ident(name) => self.lookup_ref(name),
            ExprKind::Select { operand, field, test_only: false, .. } => match self.borrow_path(operand)? {
                Value::Map(map) => map.get_str(field),
                _ => None,
            },
            _ => None,
        }
    }

    fn lookup(&self, name: &str) -> Option<Value> {
        if let Some((_, value)) = self.scopes.iter().rev().find(|(scoped, _)| *scoped == name) {
            return Some(value.clone());
        }
        self.activation.variables.get(name).cloned()
    }

    fn eval_node(&mut self, expr: &'e Expr) -> Evaluated {
        match &expr.kind {
            ExprKind::Literal(literal) => Ok(literal_value(literal)),
            ExprKind::Ident(name) => match self.lookup(name) {
                Some(value) => Ok(value),
                None => match type_value(name) {
                    Some(type_name) => Ok(Value::Type(type_name)),
                    None => Err(error(format!("undeclared reference to '{name}'"), expr.span)),
                },
            },
            ExprKind::Select { operand, field, test_only, .. } => {
                if !test_only {
                    if let Some(value) = self.qualified_lookup(expr) {
                        return Ok(value);
                    }
                }
                // `variable.field`: read the field through a borrow of the variable instead of
                // copying it first (not when tracing, which records the variable's value).
                if !self.recorder.enabled {
                    if let Some(target) = self.borrow_path(operand) {
                        return select(target, field, *test_only).map_err(|message| error(message, expr.span));
                    }
                }
                let target = self.eval(operand)?;
                select(&target, field, *test_only).map_err(|message| error(message, expr.span))
            }
            ExprKind::Index { operand, index } => {
                let target = self.eval(operand)?;
                let index = self.eval(index)?;
                index_value(&target, &index).map_err(|message| error(message, expr.span))
            }
            ExprKind::Call { target, function, args, .. } => self.call(expr, target.as_deref(), function, args),
            ExprKind::List(items) => self.list(items),
            ExprKind::Map(entries) => self.map(entries),
            ExprKind::Struct { type_name, .. } => {
                Err(error(format!("message types are not supported: cannot construct '{type_name}'"), expr.span))
            }
            ExprKind::Unary { op, operand } => {
                let value = self.eval(operand)?;
                unary(*op, &value).map_err(|message| error(message, expr.span))
            }
            ExprKind::Binary { op: BinaryOp::And, left, right } => self.logical(left, right, false, expr.span),
            ExprKind::Binary { op: BinaryOp::Or, left, right } => self.logical(left, right, true, expr.span),
            ExprKind::Binary { op: BinaryOp::In, left, right } if self.dialect == Dialect::Exoscale => {
                self.exoscale_in(left, right, expr.span)
            }
            ExprKind::Binary { op: BinaryOp::In, left, right }
                if !self.recorder.enabled && matches!(right.kind, ExprKind::List(_)) =>
            {
                // `x in ['a', 'b']`, the most common IAM idiom: compare element by element
                // instead of building the list (a trace records the list as usual).
                let needle = self.eval(left)?;
                let ExprKind::List(items) = &right.kind else {
                    return Err(error("internal error: list literal expected", right.span));
                };
                let mut found = false;
                for item in items {
                    let value = self.eval(item)?;
                    found = found || values_equal(&needle, &value);
                }
                Ok(Value::Bool(found))
            }
            ExprKind::Binary { op, left, right } => {
                let left = self.eval(left)?;
                // `'type' in parameters`: borrow a variable operand instead of copying it.
                let dialect = self.dialect;
                if !self.recorder.enabled {
                    if let Some(right) = self.borrow_path(right) {
                        return binary_in(dialect, *op, &left, right).map_err(|message| error(message, expr.span));
                    }
                }
                let right = self.eval(right)?;
                binary_in(dialect, *op, &left, &right).map_err(|message| error(message, expr.span))
            }
            ExprKind::Conditional { condition, then, otherwise } => match self.eval(condition)? {
                Value::Bool(true) => self.eval(then),
                Value::Bool(false) => self.eval(otherwise),
                other => {
                    Err(error(format!("no such overload: condition of type {}", other.type_name()), condition.span))
                }
            },
            ExprKind::Comprehension(comprehension) => self.comprehension(comprehension, expr.span),
            ExprKind::Error => Err(error("the expression has a syntax error here", expr.span)),
        }
    }

    // The less common node kinds live in their own functions so that `eval_node`, which every
    // node goes through, keeps a small stack frame.

    #[inline(never)]
    fn call(&mut self, expr: &'e Expr, target: Option<&'e Expr>, function: &str, args: &'e [Expr]) -> Evaluated {
        // A receiver that is a variable or a field path is borrowed, not copied. Reading it
        // cannot fail, so reading it after the arguments changes nothing observable.
        let borrowed_target = !self.recorder.enabled && target.is_some_and(|target| self.borrow_path(target).is_some());
        let owned_target = match target {
            Some(target) if !borrowed_target => Some(self.eval(target)?),
            _ => None,
        };
        // Most calls take one or two arguments: keep those on the stack.
        let mut arguments: [Value; 2] = [Value::Null, Value::Null];
        let mut spilled = Vec::new();
        match args {
            [] => {}
            [first] => arguments = [self.eval(first)?, Value::Null],
            [first, second] => arguments = [self.eval(first)?, self.eval(second)?],
            _ => {
                spilled.reserve(args.len());
                for arg in args {
                    spilled.push(self.eval(arg)?);
                }
            }
        }
        let values: &[Value] = if args.len() > 2 { &spilled } else { arguments.get(..args.len()).unwrap_or(&[]) };
        let target_value = match (borrowed_target, target) {
            (true, Some(target)) => self.borrow_path(target),
            _ => owned_target.as_ref(),
        };
        functions::call(function, target_value, values, self.dialect).map_err(|message| error(message, expr.span))
    }

    /// Exoscale's `in`: a left operand that fails is not an error when the right one is a list
    /// (or an empty map), as in exoscale/cel-parser, whose `in` overload (`expr.clj` l.845–846)
    /// accepts an error value as its needle (`any?` is `(comp some? typeof)`, l.462) and whose
    /// `has-element` finds no element of the error's type. So `!(parameters.bucket in ['a'])`
    /// is true on a request without `bucket`.
    #[inline(never)]
    fn exoscale_in(&mut self, left: &'e Expr, right: &'e Expr, span: Span) -> Evaluated {
        let needle = self.eval(left);
        let haystack = self.eval(right)?;
        match (&needle, &haystack) {
            (Ok(needle), _) => contains(Some(needle), &haystack, self.dialect),
            (Err(_), Value::List(_) | Value::Map(_)) => contains(None, &haystack, self.dialect),
            (Err(failure), _) => return Err(failure.clone()),
        }
        .map(Value::Bool)
        .map_err(|message| error(message, span))
    }

    #[inline(never)]
    fn list(&mut self, items: &'e [Expr]) -> Evaluated {
        let mut values = Vec::with_capacity(items.len());
        for item in items {
            values.push(self.eval(item)?);
        }
        Ok(Value::List(Rc::from(values)))
    }

    #[inline(never)]
    fn map(&mut self, entries: &'e [crate::ast::MapEntry]) -> Evaluated {
        let mut map = Map::new();
        for entry in entries {
            let key = self.eval(&entry.key)?;
            let value = self.eval(&entry.value)?;
            match map.insert(key, value) {
                Ok(true) => {}
                Ok(false) => return Err(error("Failed with repeated key", entry.key.span)),
                Err(message) => return Err(error(message, entry.key.span)),
            }
        }
        Ok(Value::Map(Rc::new(map)))
    }

    /// `a.b.c` bound as one dotted name, or a dotted type name (`google.protobuf.Timestamp`).
    fn qualified_lookup(&self, expr: &Expr) -> Option<Value> {
        if !self.activation.has_dotted_names
            && !matches!(&expr.kind, ExprKind::Select { field, .. } if field == "Timestamp" || field == "Duration")
        {
            return None;
        }
        let name = qualified_name(expr)?;
        let root = name.split('.').next().unwrap_or("");
        if self.scopes.iter().any(|(scoped, _)| *scoped == root) {
            return None;
        }
        if let Some(value) = self.activation.variables.get(&name) {
            return Some(value.clone());
        }
        if self.activation.variables.contains_key(root) {
            return None;
        }
        type_value(&name).map(Value::Type)
    }

    /// `&&` (`absorbing` = false) and `||` (`absorbing` = true): the absorbing value wins over
    /// errors on either side; otherwise the left error wins.
    fn logical(&mut self, left: &'e Expr, right: &'e Expr, absorbing: bool, span: Span) -> Evaluated {
        let left_value = self.eval(left);
        if let Ok(Value::Bool(value)) = left_value {
            if value == absorbing {
                return Ok(Value::Bool(absorbing));
            }
        }
        let right_value = self.eval(right);
        match (&left_value, &right_value) {
            (_, Ok(Value::Bool(value))) if *value == absorbing => Ok(Value::Bool(absorbing)),
            (Ok(Value::Bool(_)), Ok(Value::Bool(_))) => Ok(Value::Bool(!absorbing)),
            (Err(left_error), _) => Err(left_error.clone()),
            (_, Err(right_error)) => Err(right_error.clone()),
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
    fn comprehension(&mut self, comprehension: &'e Comprehension, span: Span) -> Evaluated {
        let range = self.eval(&comprehension.range)?;
        let two_variables = comprehension.second_variable.is_some();
        let scope_depth = self.scopes.len();
        // (first variable, second variable) per iteration, read from the range without copying
        // it into a buffer first.
        let result = match &range {
            Value::List(items) => {
                let pairs = items.iter().enumerate().map(|(index, item)| (Value::Int(index as i64), item.clone()));
                self.comprehension_loop(comprehension, pairs, two_variables, true, span)
            }
            Value::Map(map) => {
                let pairs = map.iter().map(|(key, value)| (key.clone(), value.clone()));
                self.comprehension_loop(comprehension, pairs, two_variables, false, span)
            }
            other => Err(error(
                format!("no such overload: {}() on a value of type {}", comprehension.kind.name(), other.type_name()),
                comprehension.range.span,
            )),
        };
        self.scopes.truncate(scope_depth);
        result
    }

    fn bind(
        &mut self,
        comprehension: &'e Comprehension,
        first: Value,
        second: Value,
        two_variables: bool,
        is_list: bool,
    ) {
        if two_variables {
            self.scopes.push((comprehension.variable.as_str(), first));
            if let Some((name, _)) = &comprehension.second_variable {
                self.scopes.push((name.as_str(), second));
            }
        } else if is_list {
            self.scopes.push((comprehension.variable.as_str(), second));
        } else {
            self.scopes.push((comprehension.variable.as_str(), first));
        }
    }

    fn predicate(&mut self, expr: &'e Expr) -> Result<bool, Box<EvalError>> {
        match self.eval(expr)? {
            Value::Bool(value) => Ok(value),
            other => Err(error(format!("no such overload: predicate of type {}", other.type_name()), expr.span)),
        }
    }

    fn comprehension_loop(
        &mut self,
        comprehension: &'e Comprehension,
        pairs: impl Iterator<Item = (Value, Value)>,
        two_variables: bool,
        is_list: bool,
        span: Span,
    ) -> Evaluated {
        let base = self.scopes.len();
        match comprehension.kind {
            ComprehensionKind::All | ComprehensionKind::Exists => {
                let decisive = comprehension.kind == ComprehensionKind::Exists;
                let mut first_error = None;
                for (first, second) in pairs {
                    self.scopes.truncate(base);
                    self.bind(comprehension, first, second, two_variables, is_list);
                    match self.predicate(&comprehension.body) {
                        Ok(value) if value == decisive => return Ok(Value::Bool(decisive)),
                        Ok(_) => {}
                        Err(failure) => {
                            first_error.get_or_insert(failure);
                        }
                    }
                }
                match first_error {
                    Some(failure) => Err(failure),
                    None => Ok(Value::Bool(!decisive)),
                }
            }
            ComprehensionKind::ExistsOne => {
                let mut count = 0usize;
                for (first, second) in pairs {
                    self.scopes.truncate(base);
                    self.bind(comprehension, first, second, two_variables, is_list);
                    if self.predicate(&comprehension.body)? {
                        count += 1;
                    }
                }
                Ok(Value::Bool(count == 1))
            }
            ComprehensionKind::Map | ComprehensionKind::Filter | ComprehensionKind::TransformList => {
                let mut out = Vec::new();
                for (first, second) in pairs {
                    self.scopes.truncate(base);
                    let element = if two_variables || !is_list { None } else { Some(second.clone()) };
                    let key = first.clone();
                    self.bind(comprehension, first, second, two_variables, is_list);
                    if comprehension.kind == ComprehensionKind::Filter {
                        if self.predicate(&comprehension.body)? {
                            out.push(element.unwrap_or(key));
                        }
                        continue;
                    }
                    if let Some(filter) = &comprehension.filter {
                        if !self.predicate(filter)? {
                            continue;
                        }
                    }
                    out.push(self.eval(&comprehension.body)?);
                }
                Ok(Value::List(Rc::from(out)))
            }
            ComprehensionKind::TransformMap | ComprehensionKind::TransformMapEntry => {
                let mut out = Map::new();
                for (first, second) in pairs {
                    self.scopes.truncate(base);
                    let key = first.clone();
                    self.bind(comprehension, first, second, two_variables, is_list);
                    if let Some(filter) = &comprehension.filter {
                        if !self.predicate(filter)? {
                            continue;
                        }
                    }
                    let value = self.eval(&comprehension.body)?;
                    if comprehension.kind == ComprehensionKind::TransformMap {
                        out.insert(key, value).map_err(|message| error(message, span))?;
                        continue;
                    }
                    let Value::Map(entry) = value else {
                        return Err(error(
                            "transformMapEntry: the transform must yield a map",
                            comprehension.body.span,
                        ));
                    };
                    for (entry_key, entry_value) in entry.iter() {
                        let inserted = out
                            .insert(entry_key.clone(), entry_value.clone())
                            .map_err(|message| error(message, span))?;
                        if !inserted {
                            return Err(error(format!("insert failed: key {entry_key} already exists"), span));
                        }
                    }
                }
                Ok(Value::Map(Rc::new(out)))
            }
        }
    }
}
