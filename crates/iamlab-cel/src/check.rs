//! Static checks against a [`Declarations`] catalogue. Everything found is a warning: the
//! expression may still evaluate (CEL is dynamically typed), but most of these are mistakes.

use crate::ast::{BinaryOp, ComprehensionKind, Expr, ExprKind, Literal, UnaryOp};
use crate::declarations::{CelType, Declarations};
use crate::dialect_notes::{
    java_regex_notes, parse_boolean_literal_note, time_zone_note, timestamp_literal_note, DialectNote, DialectNoteKind,
};
use crate::parser::qualified_name;
use crate::Dialect;
use iamlab_model::{Diagnostic, Span};

/// Checks `expr`: unknown variables and fields (with "did you mean"), unknown functions and
/// wrong arity, and type mismatches visible without running it. Returns warnings in source
/// order of discovery.
pub fn check(expr: &Expr, declarations: &Declarations, dialect: Dialect) -> Vec<Diagnostic> {
    check_with_notes(expr, declarations, dialect).0
}

/// [`check`], plus the places where the expression relies on what the dialect's provider
/// evaluator computes differently from cel-spec ([`DialectNote`]; only Exoscale has them), found
/// in the same pass because most need the operand types the checker infers.
pub fn check_with_notes(
    expr: &Expr,
    declarations: &Declarations,
    dialect: Dialect,
) -> (Vec<Diagnostic>, Vec<DialectNote>) {
    let mut checker = Checker { declarations, dialect, diagnostics: Vec::new(), notes: Vec::new(), scopes: Vec::new() };
    checker.infer(expr);
    (checker.diagnostics, checker.notes)
}

struct Checker<'a> {
    declarations: &'a Declarations,
    dialect: Dialect,
    diagnostics: Vec<Diagnostic>,
    notes: Vec<DialectNote>,
    scopes: Vec<(String, CelType)>,
}

/// How a function may be called.
struct Signature {
    name: &'static str,
    /// Receiver-style (`x.f()`) when true, global (`f(x)`) when false.
    receiver: bool,
    arities: &'static [usize],
    /// Dialects that have it; empty = all.
    dialects: &'static [Dialect],
}

const fn signature(name: &'static str, receiver: bool, arities: &'static [usize]) -> Signature {
    Signature { name, receiver, arities, dialects: &[] }
}

const TIME_GETTERS: &[&str] = &[
    "getFullYear",
    "getMonth",
    "getDayOfYear",
    "getDayOfMonth",
    "getDate",
    "getDayOfWeek",
    "getHours",
    "getMinutes",
    "getSeconds",
    "getMilliseconds",
];

const SIGNATURES: &[Signature] = &[
    signature("size", false, &[1]),
    signature("size", true, &[0]),
    signature("contains", true, &[1]),
    signature("startsWith", true, &[1]),
    signature("endsWith", true, &[1]),
    signature("matches", true, &[1]),
    signature("matches", false, &[2]),
    signature("int", false, &[1]),
    signature("uint", false, &[1]),
    signature("double", false, &[1]),
    signature("string", false, &[1]),
    signature("bool", false, &[1]),
    signature("bytes", false, &[1]),
    signature("timestamp", false, &[1]),
    signature("duration", false, &[1]),
    signature("type", false, &[1]),
    signature("dyn", false, &[1]),
    Signature { name: "has", receiver: true, arities: &[1], dialects: &[Dialect::Exoscale] },
    Signature { name: "inIpRange", receiver: true, arities: &[1], dialects: &[Dialect::Exoscale, Dialect::Scaleway] },
    Signature { name: "inIpRange", receiver: false, arities: &[2], dialects: &[Dialect::Scaleway] },
];

use iamlab_model::suggest::closest;

fn literal_type(literal: &Literal) -> CelType {
    match literal {
        Literal::Null => CelType::Null,
        Literal::Bool(_) => CelType::Bool,
        Literal::Int(_) => CelType::Int,
        Literal::Uint(_) => CelType::Uint,
        Literal::Double(_) => CelType::Double,
        Literal::String(_) => CelType::String,
        Literal::Bytes(_) => CelType::Bytes,
    }
}

/// Whether values of the two types could ever be compared with `==` meaningfully. Exoscale's
/// evaluator compares only values of one type (and, by iamlab's choice, anything with null):
/// int, uint and double are not comparable there.
fn comparable(left: &CelType, right: &CelType, dialect: Dialect) -> bool {
    match (left, right) {
        (CelType::Dyn, _) | (_, CelType::Dyn) | (CelType::Null, _) | (_, CelType::Null) => true,
        _ if left.is_numeric() && right.is_numeric() => dialect != Dialect::Exoscale || left == right,
        (CelType::List(_), CelType::List(_)) => true,
        (CelType::Map(..) | CelType::Object(_), CelType::Map(..) | CelType::Object(_)) => true,
        _ => std::mem::discriminant(left) == std::mem::discriminant(right),
    }
}

fn is_known(cel_type: &CelType) -> bool {
    !matches!(cel_type, CelType::Dyn)
}

impl Checker<'_> {
    /// Records a dialect note; only the Exoscale dialect has them.
    fn note(&mut self, kind: DialectNoteKind, span: Span, (message, help): (String, String)) {
        if self.dialect == Dialect::Exoscale {
            self.notes.push(DialectNote::new(kind, span, message, help));
        }
    }

    fn warn(&mut self, code: &str, message: String, span: Span, help: Option<String>) {
        let mut diagnostic = Diagnostic::warning(code, message).with_primary(span, "");
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        self.diagnostics.push(diagnostic);
    }

    fn variable_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.scopes.iter().map(|(name, _)| name.clone()).collect();
        for (name, _) in self.declarations.variables() {
            names.push(name.split('.').next().unwrap_or(name).to_owned());
        }
        names
    }

    fn infer(&mut self, expr: &Expr) -> CelType {
        match &expr.kind {
            ExprKind::Literal(literal) => literal_type(literal),
            ExprKind::Error => CelType::Dyn,
            ExprKind::Ident(name) => self.ident(name, expr.span),
            ExprKind::Select { operand, field, field_span, test_only } => {
                if !test_only {
                    if let Some(name) = qualified_name(expr) {
                        let root = name.split('.').next().unwrap_or("");
                        let shadowed = self.scopes.iter().any(|(scoped, _)| scoped == root);
                        if !shadowed {
                            if let Some(found) = self.declarations.variable(&name) {
                                return found.clone();
                            }
                        }
                    }
                }
                let operand_type = self.infer(operand);
                let field_type = self.field(&operand_type, field, *field_span, operand.span);
                if *test_only {
                    CelType::Bool
                } else {
                    field_type
                }
            }
            ExprKind::Index { operand, index } => {
                let operand_type = self.infer(operand);
                let index_type = self.infer(index);
                match operand_type {
                    CelType::List(element) => {
                        if is_known(&index_type) && !matches!(index_type, CelType::Int | CelType::Uint) {
                            self.warn(
                                "cel::type-mismatch",
                                format!("a list is indexed by an int, not a {index_type}"),
                                index.span,
                                None,
                            );
                        }
                        *element
                    }
                    CelType::Map(_, value) => *value,
                    CelType::Dyn | CelType::Object(_) => CelType::Dyn,
                    other => {
                        self.warn(
                            "cel::type-mismatch",
                            format!("a value of type {other} cannot be indexed"),
                            operand.span,
                            None,
                        );
                        CelType::Dyn
                    }
                }
            }
            ExprKind::Call { target, function, function_span, args } => {
                let target_type = target.as_ref().map(|target| self.infer(target));
                let arg_types: Vec<CelType> = args.iter().map(|arg| self.infer(arg)).collect();
                self.call(expr, target.as_deref(), target_type, function, *function_span, args, &arg_types)
            }
            ExprKind::List(items) => {
                let types: Vec<CelType> = items.iter().map(|item| self.infer(item)).collect();
                let element = match types.split_first() {
                    Some((first, rest)) if rest.iter().all(|other| other == first) => first.clone(),
                    _ => CelType::Dyn,
                };
                CelType::List(Box::new(element))
            }
            ExprKind::Map(entries) => {
                let mut key_types = Vec::new();
                let mut value_types = Vec::new();
                for entry in entries {
                    key_types.push(self.infer(&entry.key));
                    value_types.push(self.infer(&entry.value));
                }
                let unify = |types: &[CelType]| match types.split_first() {
                    Some((first, rest)) if rest.iter().all(|other| other == first) => first.clone(),
                    _ => CelType::Dyn,
                };
                CelType::Map(Box::new(unify(&key_types)), Box::new(unify(&value_types)))
            }
            ExprKind::Struct { type_name, fields } => {
                for field in fields {
                    self.infer(&field.value);
                }
                self.warn(
                    "cel::unsupported-message",
                    format!("message construction `{type_name}{{…}}` is not supported"),
                    expr.span,
                    Some("iamlab has no protobuf message types; use a map literal".to_owned()),
                );
                CelType::Dyn
            }
            ExprKind::Unary { op, operand } => {
                let operand_type = self.infer(operand);
                match op {
                    UnaryOp::Not => {
                        self.expect_bool(&operand_type, operand.span, "`!`");
                        CelType::Bool
                    }
                    UnaryOp::Negate => {
                        if is_known(&operand_type)
                            && !matches!(operand_type, CelType::Int | CelType::Double | CelType::Duration)
                        {
                            self.warn(
                                "cel::type-mismatch",
                                format!("`-` cannot negate a {operand_type}"),
                                operand.span,
                                None,
                            );
                        }
                        operand_type
                    }
                }
            }
            ExprKind::Binary { op, left, right } => {
                let left_type = self.infer(left);
                let right_type = self.infer(right);
                self.binary(*op, expr.span, left, &left_type, right, &right_type)
            }
            ExprKind::Conditional { condition, then, otherwise } => {
                let condition_type = self.infer(condition);
                self.expect_bool(&condition_type, condition.span, "the condition of `?:`");
                let then_type = self.infer(then);
                let otherwise_type = self.infer(otherwise);
                if then_type == otherwise_type {
                    then_type
                } else {
                    CelType::Dyn
                }
            }
            ExprKind::Comprehension(comprehension) => {
                let range_type = self.infer(&comprehension.range);
                let (first, second) = match &range_type {
                    CelType::List(element) => {
                        if comprehension.second_variable.is_some() {
                            (CelType::Int, (**element).clone())
                        } else {
                            ((**element).clone(), CelType::Dyn)
                        }
                    }
                    CelType::Map(key, value) => ((**key).clone(), (**value).clone()),
                    CelType::Object(_) => (CelType::String, CelType::Dyn),
                    CelType::Dyn => (CelType::Dyn, CelType::Dyn),
                    other => {
                        self.warn(
                            "cel::type-mismatch",
                            format!("`{}` needs a list or a map, not a {other}", comprehension.kind.name()),
                            comprehension.range.span,
                            None,
                        );
                        (CelType::Dyn, CelType::Dyn)
                    }
                };
                let depth = self.scopes.len();
                self.scopes.push((comprehension.variable.clone(), first));
                if let Some((name, _)) = &comprehension.second_variable {
                    self.scopes.push((name.clone(), second));
                }
                if let Some(filter) = &comprehension.filter {
                    let filter_type = self.infer(filter);
                    self.expect_bool(&filter_type, filter.span, "a filter");
                }
                let body_type = self.infer(&comprehension.body);
                self.scopes.truncate(depth);
                match comprehension.kind {
                    ComprehensionKind::All | ComprehensionKind::Exists | ComprehensionKind::ExistsOne => {
                        self.expect_bool(&body_type, comprehension.body.span, "a predicate");
                        CelType::Bool
                    }
                    ComprehensionKind::Filter => {
                        self.expect_bool(&body_type, comprehension.body.span, "a predicate");
                        range_type
                    }
                    ComprehensionKind::Map | ComprehensionKind::TransformList => CelType::List(Box::new(body_type)),
                    ComprehensionKind::TransformMap => CelType::Map(Box::new(CelType::Dyn), Box::new(body_type)),
                    ComprehensionKind::TransformMapEntry => {
                        CelType::Map(Box::new(CelType::Dyn), Box::new(CelType::Dyn))
                    }
                }
            }
        }
    }

    fn expect_bool(&mut self, found: &CelType, span: Span, what: &str) {
        if is_known(found) && *found != CelType::Bool {
            self.warn("cel::type-mismatch", format!("{what} must be a bool, not a {found}"), span, None);
        }
    }

    fn ident(&mut self, name: &str, span: Span) -> CelType {
        if let Some((_, found)) = self.scopes.iter().rev().find(|(scoped, _)| scoped == name) {
            return found.clone();
        }
        if let Some(found) = self.declarations.variable(name) {
            return found.clone();
        }
        // A dotted declaration (`request.ip`) makes its first part a known prefix.
        let prefix = format!("{name}.");
        if self.declarations.variables().any(|(declared, _)| declared.starts_with(&prefix)) {
            return CelType::Dyn;
        }
        let is_type_name = matches!(
            name,
            "int" | "uint" | "double" | "bool" | "string" | "bytes" | "list" | "map" | "null_type" | "type" | "google"
        );
        if is_type_name {
            return CelType::Dyn;
        }
        let names = self.variable_names();
        let suggestion = closest(name, names.iter().map(String::as_str)).map(str::to_owned);
        let help = match suggestion {
            Some(suggestion) => Some(format!("did you mean `{suggestion}`?")),
            None if names.is_empty() => Some("no variables are declared here".to_owned()),
            None => {
                let mut known: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
                iamlab_model::order::sort(&mut known);
                known.dedup();
                Some(format!("known variables: {}", known.join(", ")))
            }
        };
        self.warn("cel::unknown-variable", format!("unknown variable `{name}`"), span, help);
        CelType::Dyn
    }

    fn field(&mut self, operand_type: &CelType, field: &str, field_span: Span, operand_span: Span) -> CelType {
        match operand_type {
            CelType::Object(fields) => match operand_type.field(field) {
                Some(found) => found.clone(),
                None => {
                    let suggestion = closest(field, fields.iter().map(|(name, _)| name.as_str()));
                    let help = match suggestion {
                        Some(suggestion) => format!("did you mean `{suggestion}`?"),
                        None => {
                            let known: Vec<String> = fields.iter().map(|(name, _)| format!("`{name}`")).collect();
                            format!("known fields: {}", known.join(", "))
                        }
                    };
                    self.warn("cel::unknown-field", format!("unknown field `{field}`"), field_span, Some(help));
                    CelType::Dyn
                }
            },
            CelType::Map(_, value) => (**value).clone(),
            CelType::Dyn => CelType::Dyn,
            other => {
                self.warn(
                    "cel::type-mismatch",
                    format!("a value of type {other} has no field `{field}`"),
                    operand_span.cover(field_span),
                    None,
                );
                CelType::Dyn
            }
        }
    }

    #[expect(clippy::too_many_arguments, reason = "the parts of one call node, kept apart for borrowing")]
    fn call(
        &mut self,
        expr: &Expr,
        target: Option<&Expr>,
        target_type: Option<CelType>,
        function: &str,
        function_span: Span,
        args: &[Expr],
        arg_types: &[CelType],
    ) -> CelType {
        let receiver = target.is_some();
        let is_getter = TIME_GETTERS.contains(&function);
        let available =
            |signature: &&Signature| signature.dialects.is_empty() || signature.dialects.contains(&self.dialect);
        let matching: Vec<&Signature> =
            SIGNATURES.iter().filter(|signature| signature.name == function).filter(available).collect();
        if matching.is_empty() && !is_getter {
            let mut names: Vec<&str> = SIGNATURES.iter().filter(available).map(|signature| signature.name).collect();
            names.extend(TIME_GETTERS);
            let suggestion = closest(function, names);
            let elsewhere: Vec<&str> = SIGNATURES
                .iter()
                .filter(|signature| signature.name == function)
                .flat_map(|signature| signature.dialects.iter().map(|dialect| dialect.name()))
                .collect();
            let help = match (suggestion, elsewhere.is_empty()) {
                (_, false) => Some(format!("`{function}` exists only in the {} dialect", elsewhere.join(" and "))),
                (Some(suggestion), true) => Some(format!("did you mean `{suggestion}`?")),
                (None, true) => None,
            };
            self.warn("cel::unknown-function", format!("unknown function `{function}`"), function_span, help);
            return CelType::Dyn;
        }
        if self.dialect == Dialect::Exoscale {
            self.call_notes(expr, target_type.as_ref(), function, args, arg_types);
        }
        if is_getter {
            if !receiver || args.len() > 1 {
                self.warn(
                    "cel::wrong-arity",
                    format!("`{function}` is called on a timestamp or a duration, with an optional time zone"),
                    expr.span,
                    Some(format!("write e.g. `request.time.{function}(\"Europe/Paris\")`")),
                );
            }
            match &target_type {
                Some(CelType::Timestamp) => {}
                Some(CelType::Duration) if args.is_empty() && function != "getFullYear" => {}
                Some(CelType::Duration) => self.warn(
                    "cel::type-mismatch",
                    format!("`{function}` on a duration takes no time zone"),
                    expr.span,
                    None,
                ),
                Some(other) if is_known(other) => {
                    let help =
                        (*other == CelType::String).then(|| "convert the string first: `timestamp(value)`".to_owned());
                    self.warn(
                        "cel::type-mismatch",
                        format!("`{function}` needs a timestamp, not a {other}"),
                        target.map_or(expr.span, |target| target.span),
                        help,
                    );
                }
                _ => {}
            }
            if let Some(zone) = arg_types.first() {
                if is_known(zone) && *zone != CelType::String {
                    self.warn("cel::type-mismatch", format!("a time zone is a string, not a {zone}"), expr.span, None);
                }
            }
            return CelType::Int;
        }
        let form: Vec<&&Signature> = matching.iter().filter(|signature| signature.receiver == receiver).collect();
        if form.is_empty() {
            let help = if receiver {
                format!("call it as a function: `{function}(…)`")
            } else {
                format!("call it as a method: `value.{function}(…)`")
            };
            self.warn(
                "cel::wrong-arity",
                format!("`{function}` cannot be called {}", if receiver { "on a value" } else { "without a receiver" }),
                function_span,
                Some(help),
            );
            return CelType::Dyn;
        }
        if !form.iter().any(|signature| signature.arities.contains(&args.len())) {
            let expected: Vec<String> =
                form.iter().flat_map(|signature| signature.arities.iter().map(usize::to_string)).collect();
            self.warn(
                "cel::wrong-arity",
                format!("`{function}` takes {} argument(s), found {}", expected.join(" or "), args.len()),
                expr.span,
                None,
            );
            return CelType::Dyn;
        }
        // Operand types the function needs, where they are known.
        let string_receiver = matches!(function, "contains" | "startsWith" | "endsWith" | "matches" | "inIpRange");
        if string_receiver {
            let mut operands: Vec<(Option<&Expr>, Option<&CelType>)> = Vec::new();
            if receiver {
                operands.push((target, target_type.as_ref()));
            }
            operands.extend(args.iter().map(Some).zip(arg_types.iter().map(Some)));
            for (operand, operand_type) in operands {
                if let (Some(operand), Some(operand_type)) = (operand, operand_type) {
                    if is_known(operand_type) && *operand_type != CelType::String {
                        self.warn(
                            "cel::type-mismatch",
                            format!("`{function}` works on strings, not on a {operand_type}"),
                            operand.span,
                            None,
                        );
                    }
                }
            }
        }
        if function == "has" {
            if let Some(target_type) = &target_type {
                if is_known(target_type) && !matches!(target_type, CelType::Map(..) | CelType::Object(_)) {
                    self.warn(
                        "cel::type-mismatch",
                        format!("`has` looks up a key of a map, not of a {target_type}"),
                        target.map_or(expr.span, |target| target.span),
                        None,
                    );
                }
            }
        }
        match function {
            "size" | "int" => CelType::Int,
            "uint" => CelType::Uint,
            "double" => CelType::Double,
            "string" => CelType::String,
            "bytes" => CelType::Bytes,
            "bool" | "contains" | "startsWith" | "endsWith" | "matches" | "has" | "inIpRange" => CelType::Bool,
            "timestamp" => CelType::Timestamp,
            "duration" => CelType::Duration,
            _ => CelType::Dyn,
        }
    }

    /// The dialect notes of a call (Exoscale only): Java regex syntax in a literal pattern,
    /// timestamp literals Exoscale reads differently, unknown time-zone literals, `bool()` and a
    /// duration's `getMilliseconds()`.
    fn call_notes(
        &mut self,
        expr: &Expr,
        target_type: Option<&CelType>,
        function: &str,
        args: &[Expr],
        arg_types: &[CelType],
    ) {
        let literal = |index: usize| match args.get(index).map(|arg| &arg.kind) {
            Some(ExprKind::Literal(Literal::String(text))) => Some(text.clone()),
            _ => None,
        };
        let receiver = target_type.is_some();
        match function {
            "matches" => {
                let pattern = if receiver { literal(0) } else { literal(1) };
                let span = args.get(if receiver { 0 } else { 1 }).map_or(expr.span, |arg| arg.span);
                for found in pattern.map(|pattern| java_regex_notes(&pattern)).unwrap_or_default() {
                    self.note(DialectNoteKind::JavaRegex, span, found);
                }
            }
            "timestamp" if !receiver => {
                if let (Some(text), Some(arg)) = (literal(0), args.first()) {
                    if let Some(found) = timestamp_literal_note(&text) {
                        self.note(DialectNoteKind::TimestampFormat, arg.span, found);
                    }
                }
            }
            "bool" if !receiver => {
                let found = match (literal(0), arg_types.first()) {
                    (Some(text), _) => parse_boolean_literal_note(&text),
                    (None, Some(CelType::Bool)) => Some((
                        "`bool()` of a bool has no overload in Exoscale's evaluator: the expression fails there".to_owned(),
                        "drop the conversion".to_owned(),
                    )),
                    (None, Some(CelType::String | CelType::Dyn)) => Some((
                        "`bool()` is Java's `Boolean.parseBoolean` on Exoscale: `true` in any case is true, every other string is false, never an error".to_owned(),
                        "standard CEL accepts `1`, `t`, `True`… and rejects other strings; compare the string itself, e.g. `x == 'true'`, to mean the same everywhere".to_owned(),
                    )),
                    _ => None,
                };
                if let Some(found) = found {
                    self.note(DialectNoteKind::ParseBoolean, expr.span, found);
                }
            }
            "getMilliseconds" if target_type == Some(&CelType::Duration) => self.note(
                DialectNoteKind::DurationMilliseconds,
                expr.span,
                (
                    "`getMilliseconds()` of a duration gives its whole seconds in Exoscale's evaluator, not its millisecond part".to_owned(),
                    "exoscale/cel-parser calls `Duration.toSeconds` here; use `getSeconds()` if that is what you mean".to_owned(),
                ),
            ),
            getter if TIME_GETTERS.contains(&getter) && receiver => {
                if let (Some(zone), Some(arg)) = (literal(0), args.first()) {
                    if let Some(found) = time_zone_note(&zone) {
                        self.note(DialectNoteKind::UnknownTimeZone, arg.span, found);
                    }
                }
            }
            _ => {}
        }
    }

    fn binary(
        &mut self,
        op: BinaryOp,
        span: Span,
        left: &Expr,
        left_type: &CelType,
        right: &Expr,
        right_type: &CelType,
    ) -> CelType {
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let symbol = format!("an operand of `{}`", op.symbol());
                self.expect_bool(left_type, left.span, &symbol);
                self.expect_bool(right_type, right.span, &symbol);
                CelType::Bool
            }
            BinaryOp::Equal | BinaryOp::NotEqual if self.dialect == Dialect::Exoscale => {
                if !comparable(left_type, right_type, self.dialect) {
                    self.warn(
                        "cel::type-mismatch",
                        format!("comparing a {left_type} with a {right_type} is an error in Exoscale's evaluator"),
                        span,
                        Some("Exoscale compares only values of one type (`1 == 1.0` fails too); convert one side, e.g. `double(x)` or `timestamp(x)`".to_owned()),
                    );
                }
                CelType::Bool
            }
            BinaryOp::Equal | BinaryOp::NotEqual => {
                if !comparable(left_type, right_type, self.dialect) {
                    let help = match (left_type, right_type) {
                        (CelType::Timestamp, CelType::String) | (CelType::String, CelType::Timestamp) => {
                            Some("convert the string: `timestamp('2024-01-01T00:00:00Z')`".to_owned())
                        }
                        (CelType::Duration, CelType::String) | (CelType::String, CelType::Duration) => {
                            Some("convert the string: `duration('1h')`".to_owned())
                        }
                        _ => None,
                    };
                    let outcome = if op == BinaryOp::Equal { "false" } else { "true" };
                    self.warn(
                        "cel::type-mismatch",
                        format!("comparing a {left_type} with a {right_type} is always {outcome}"),
                        span,
                        help,
                    );
                }
                CelType::Bool
            }
            BinaryOp::Less | BinaryOp::LessEqual | BinaryOp::Greater | BinaryOp::GreaterEqual => {
                let orderable = |cel_type: &CelType| {
                    matches!(
                        cel_type,
                        CelType::Int
                            | CelType::Uint
                            | CelType::Double
                            | CelType::String
                            | CelType::Bytes
                            | CelType::Bool
                            | CelType::Timestamp
                            | CelType::Duration
                    )
                };
                let known = is_known(left_type) && is_known(right_type);
                // Exoscale's evaluator orders only values of one type.
                let mixed_numbers =
                    left_type.is_numeric() && right_type.is_numeric() && self.dialect != Dialect::Exoscale;
                let compatible = mixed_numbers || left_type == right_type;
                if known && (!compatible || !orderable(left_type)) {
                    let help = match (left_type, right_type) {
                        (CelType::Timestamp, CelType::String) | (CelType::String, CelType::Timestamp) => {
                            Some("convert the string: `timestamp('2024-01-01T00:00:00Z')`".to_owned())
                        }
                        _ => None,
                    };
                    self.warn(
                        "cel::type-mismatch",
                        format!("`{}` cannot compare a {left_type} with a {right_type}", op.symbol()),
                        span,
                        help,
                    );
                }
                CelType::Bool
            }
            BinaryOp::In => {
                match right_type {
                    CelType::List(element) => {
                        if !comparable(left_type, element, self.dialect) {
                            self.warn(
                                "cel::type-mismatch",
                                format!("a {left_type} is never in a list of {element}"),
                                span,
                                None,
                            );
                        }
                    }
                    CelType::Map(..) | CelType::Object(_) | CelType::Dyn => {}
                    other => self.warn(
                        "cel::type-mismatch",
                        format!("`in` needs a list or a map on its right, not a {other}"),
                        right.span,
                        None,
                    ),
                }
                CelType::Bool
            }
            BinaryOp::Add | BinaryOp::Subtract | BinaryOp::Multiply | BinaryOp::Divide | BinaryOp::Remainder => {
                if !is_known(left_type) || !is_known(right_type) {
                    return CelType::Dyn;
                }
                let result = match (op, left_type, right_type) {
                    (_, CelType::Int, CelType::Int) => Some(CelType::Int),
                    (_, CelType::Uint, CelType::Uint) => Some(CelType::Uint),
                    (BinaryOp::Remainder, CelType::Double, CelType::Double) => None,
                    (_, CelType::Double, CelType::Double) => Some(CelType::Double),
                    (BinaryOp::Add, CelType::String, CelType::String) => Some(CelType::String),
                    (BinaryOp::Add, CelType::Bytes, CelType::Bytes) => Some(CelType::Bytes),
                    (BinaryOp::Add, CelType::List(_), CelType::List(_)) => Some(left_type.clone()),
                    (BinaryOp::Add, CelType::Timestamp, CelType::Duration)
                    | (BinaryOp::Add, CelType::Duration, CelType::Timestamp)
                    | (BinaryOp::Subtract, CelType::Timestamp, CelType::Duration) => Some(CelType::Timestamp),
                    (BinaryOp::Subtract, CelType::Timestamp, CelType::Timestamp) => {
                        self.note(
                            DialectNoteKind::SwappedSubtraction,
                            span,
                            (
                                "this subtraction is computed by Exoscale with the operands swapped: `a - b` of two timestamps is `b - a` there".to_owned(),
                                "exoscale/cel-parser computes `Duration.between(a, b)`; compare the timestamps instead (`a > b + duration('1h')`), which means the same everywhere".to_owned(),
                            ),
                        );
                        Some(CelType::Duration)
                    }
                    (BinaryOp::Add | BinaryOp::Subtract, CelType::Duration, CelType::Duration) => {
                        Some(CelType::Duration)
                    }
                    _ => None,
                };
                match result {
                    Some(result) => result,
                    None => {
                        let help = (left_type.is_numeric() && right_type.is_numeric()).then(|| {
                            "CEL does not mix int, uint and double in arithmetic; convert with int(), uint() or double()"
                                .to_owned()
                        });
                        self.warn(
                            "cel::type-mismatch",
                            format!("`{}` is not defined for {left_type} and {right_type}", op.symbol()),
                            span,
                            help,
                        );
                        CelType::Dyn
                    }
                }
            }
        }
    }
}
