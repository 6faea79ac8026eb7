//! The operators and accessors evaluation applies to values: field selection, indexing, unary
//! and binary operators, and CEL's heterogeneous equality and numeric ordering. Kept apart from
//! the tree walk in `eval.rs`, which decides *when* they run (error absorption, short circuits).

use crate::ast::{BinaryOp, UnaryOp};
use crate::value::{Map, MapKey, Value};
use crate::Dialect;
use std::rc::Rc;

pub(crate) fn select(target: &Value, field: &str, test_only: bool) -> Result<Value, String> {
    match target {
        Value::Map(map) => {
            let found = map.get_str(field);
            if test_only {
                Ok(Value::Bool(found.is_some()))
            } else {
                found.cloned().ok_or_else(|| format!("no such key: {field}"))
            }
        }
        other => Err(format!("type '{}' does not support field selection", other.type_name())),
    }
}

pub(crate) fn index_value(target: &Value, index: &Value) -> Result<Value, String> {
    match target {
        Value::List(items) => {
            let position = match index {
                Value::Int(value) => i128::from(*value),
                Value::Uint(value) => i128::from(*value),
                Value::Double(value) if value.fract() == 0.0 && value.is_finite() => *value as i128,
                Value::Double(value) => return Err(format!("unsupported index value {value}")),
                other => return Err(format!("no such overload: list[{}]", other.type_name())),
            };
            usize::try_from(position)
                .ok()
                .and_then(|position| items.get(position))
                .cloned()
                .ok_or_else(|| format!("index out of range: {position}"))
        }
        Value::Map(map) => {
            if MapKey::lookup(index).is_none() && !matches!(index, Value::Double(_)) {
                return Err(format!("unsupported key type: {}", index.type_name()));
            }
            map.get(index).cloned().ok_or_else(|| format!("no such key: {index}"))
        }
        other => Err(format!("no such overload: {}[{}]", other.type_name(), index.type_name())),
    }
}

pub(crate) fn unary(op: UnaryOp, value: &Value) -> Result<Value, String> {
    match (op, value) {
        (UnaryOp::Not, Value::Bool(value)) => Ok(Value::Bool(!value)),
        (UnaryOp::Negate, Value::Int(value)) => {
            value.checked_neg().map(Value::Int).ok_or_else(|| "integer overflow".to_owned())
        }
        (UnaryOp::Negate, Value::Double(value)) => Ok(Value::Double(-value)),
        (UnaryOp::Negate, Value::Duration(value)) => {
            value.negate().map(Value::Duration).ok_or_else(|| "duration out of range".to_owned())
        }
        (op, value) => Err(format!("no such overload: {}{}", op.symbol(), value.type_name())),
    }
}

/// CEL equality: numbers compare by value across int, uint and double; lists and maps
/// element-wise; values of different types are unequal.
pub fn values_equal(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Bytes(a), Value::Bytes(b)) => a == b,
        (Value::Timestamp(a), Value::Timestamp(b)) => a == b,
        (Value::Duration(a), Value::Duration(b)) => a == b,
        (Value::Type(a), Value::Type(b)) => a == b,
        (Value::List(a), Value::List(b)) => {
            a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| values_equal(x, y))
        }
        (Value::Map(a), Value::Map(b)) => {
            a.len() == b.len()
                && a.iter().all(|(key, value)| b.get(key).is_some_and(|other| values_equal(value, other)))
        }
        _ => compare_numbers(left, right) == Some(std::cmp::Ordering::Equal),
    }
}

/// Orders two numbers of any numeric types; `None` for NaN or non-numbers. Ints and uints
/// compare exactly; against a double they are converted to double first, as cel-go does (so
/// `9223372036854775807 < 9223372036854775808.0` is false).
pub(crate) fn compare_numbers(left: &Value, right: &Value) -> Option<std::cmp::Ordering> {
    match (left, right) {
        (Value::Int(a), Value::Int(b)) => Some(a.cmp(b)),
        (Value::Uint(a), Value::Uint(b)) => Some(a.cmp(b)),
        (Value::Double(a), Value::Double(b)) => a.partial_cmp(b),
        (Value::Int(a), Value::Uint(b)) => Some(i128::from(*a).cmp(&i128::from(*b))),
        (Value::Uint(a), Value::Int(b)) => Some(i128::from(*a).cmp(&i128::from(*b))),
        (Value::Int(a), Value::Double(b)) => (*a as f64).partial_cmp(b),
        (Value::Uint(a), Value::Double(b)) => (*a as f64).partial_cmp(b),
        (Value::Double(a), Value::Int(b)) => a.partial_cmp(&(*b as f64)),
        (Value::Double(a), Value::Uint(b)) => a.partial_cmp(&(*b as f64)),
        _ => None,
    }
}

pub(crate) fn is_number(value: &Value) -> bool {
    matches!(value, Value::Int(_) | Value::Uint(_) | Value::Double(_))
}

/// Exoscale's evaluator, exoscale/cel-parser (`src/exoscale/cel/expr.clj` at
/// `d2c64e8d2e466d4b57b3b7d13025327976b4745b`), where its operators differ from cel-spec:
/// equality, ordering and `in` are typed, and timestamps subtract the other way round.
mod exoscale {
    use super::{Map, Value};

    /// Whether two values have the same CEL type, as cel-parser's `same?` guard (l.608–610)
    /// compares them: by type name, so int, uint and double are three types. Each variant of
    /// [`Value`] has its own type name, so comparing variants is comparing names, without
    /// comparing strings.
    pub(super) fn same_type(left: &Value, right: &Value) -> bool {
        std::mem::discriminant(left) == std::mem::discriminant(right)
    }

    /// cel-parser's `equal?` method (l.62–419) on values of any types: scalars are equal when
    /// they have the same type and value; lists and maps as [`typed_equal`], with an error
    /// counting as unequal (which is what the callers in cel-parser, `(:x (equal? …))`, read).
    pub(super) fn loose_equal(left: &Value, right: &Value) -> bool {
        same_type(left, right) && typed_equal(left, right).unwrap_or(false)
    }

    /// The `:equality` overload (l.812) once its `same?` guard has passed: `Err` where
    /// cel-parser's answer is an `ErrorType`.
    pub(super) fn typed_equal(left: &Value, right: &Value) -> Result<bool, String> {
        match (left, right) {
            (Value::Double(a), Value::Double(b)) => Ok(a == b),
            (Value::List(a), Value::List(b)) => list_equal(a, b),
            (Value::Map(a), Value::Map(b)) => map_equal(a, b),
            _ => Ok(same_type(left, right) && left == right),
        }
    }

    /// `CollType`'s `equal?` (l.220–242): two one-element lists compare their elements with the
    /// typed equality (an error when their types differ); lists of other equal lengths compare
    /// element by element, an element of another type being unequal.
    fn list_equal(left: &[Value], right: &[Value]) -> Result<bool, String> {
        match (left, right) {
            ([a], [b]) if same_type(a, b) => typed_equal(a, b),
            ([a], [b]) => Err(format!("no such overload: [{}] == [{}]", a.type_name(), b.type_name())),
            _ if left.len() != right.len() => Ok(false),
            _ => Ok(left.iter().zip(right).all(|(a, b)| loose_equal(a, b))),
        }
    }

    /// `MapType`'s `equal?` (l.288–324): two one-entry maps need keys of the same type; maps
    /// whose keys are of one type and of several types cannot be compared; otherwise every key
    /// must map to equal values of the same type on both sides.
    fn map_equal(left: &Map, right: &Map) -> Result<bool, String> {
        let key_types = |map: &Map| {
            let mut types: Vec<&str> = map.iter().map(|(key, _)| key.type_name()).collect();
            iamlab_model::order::sort(&mut types);
            types.dedup();
            types
        };
        let (left_types, right_types) = (key_types(left), key_types(right));
        if left.len() == 1 && right.len() == 1 {
            if left_types != right_types {
                return Err("no such overload: map == map with keys of different types".to_owned());
            }
            let entry = |map: &Map| map.iter().next().map(|(key, value)| (key.clone(), value.clone()));
            return match (entry(left), entry(right)) {
                (Some((left_key, left_value)), Some((right_key, right_value))) => {
                    // `bool-and` of the keys' and the values' `equal?`, which does not check types.
                    Ok(loose_equal(&left_key, &right_key) && loose_equal(&left_value, &right_value))
                }
                _ => Ok(false),
            };
        }
        if left.len() != right.len() {
            return Ok(false);
        }
        let mixed = |types: &[&str]| types.len() > 1;
        if (left_types.len() == 1 && mixed(&right_types)) || (right_types.len() == 1 && mixed(&left_types)) {
            return Err("no such overload: map == map with keys of different types".to_owned());
        }
        let mut all_keys = left.iter().chain(right.iter()).map(|(key, _)| key);
        Ok(all_keys.all(|key| match (left.get(key), right.get(key)) {
            (Some(a), Some(b)) => loose_equal(a, b),
            _ => false,
        }))
    }

    /// `CollType`'s `has-element` (l.252–275), for `needle in list`: found when an element has
    /// the needle's type and equals it; otherwise false when the list is empty or all its
    /// elements have one type, and an error for a list of mixed types. A needle that failed
    /// (`None`) has cel-parser's error type, which no element has: so `x in ['a', 'b']` is false,
    /// not an error, when `x` reads a missing key.
    pub(super) fn list_contains(list: &[Value], needle: Option<&Value>) -> Result<bool, String> {
        let found = needle.is_some_and(|needle| {
            list.iter().any(|item| same_type(item, needle) && typed_equal(item, needle) == Ok(true))
        });
        if found {
            return Ok(true);
        }
        let uniform = list.split_first().is_none_or(|(first, rest)| rest.iter().all(|item| same_type(item, first)));
        if uniform {
            Ok(false)
        } else {
            Err("no such overload: `in` on a list of mixed types".to_owned())
        }
    }

    /// `MapType`'s `has-element` (l.330–357), for `needle in map`: found when a key has the
    /// needle's type and equals it; otherwise false for an empty map, an error ("unsupported key
    /// type") when no key has the needle's type, which a failed needle never has, and false.
    pub(super) fn map_contains(map: &Map, needle: Option<&Value>) -> Result<bool, String> {
        let Some(needle) = needle else {
            return if map.is_empty() { Ok(false) } else { Err("unsupported key type: error".to_owned()) };
        };
        // A string needle can only equal a string key, and string keys live in their own tree:
        // the same answer as the scan below without visiting every key.
        if let Value::String(text) = needle {
            if map.get_str(text).is_some() {
                return Ok(true);
            }
            return if map.is_empty() || map.has_string_keys() {
                Ok(false)
            } else {
                Err(format!("unsupported key type: {}", needle.type_name()))
            };
        }
        let mut has_type = false;
        for (key, _) in map.iter() {
            if same_type(key, needle) {
                has_type = true;
                if typed_equal(key, needle) == Ok(true) {
                    return Ok(true);
                }
            }
        }
        if map.is_empty() || has_type {
            Ok(false)
        } else {
            Err(format!("unsupported key type: {}", needle.type_name()))
        }
    }
}

/// `needle in haystack` in `dialect`; a needle that failed to evaluate is `None`, which only
/// Exoscale's `in` accepts (see `exoscale::list_contains`): in other dialects the caller has
/// already returned its error.
pub(crate) fn contains(needle: Option<&Value>, haystack: &Value, dialect: Dialect) -> Result<bool, String> {
    match (dialect, haystack, needle) {
        (Dialect::Exoscale, Value::List(items), _) => exoscale::list_contains(items, needle),
        (Dialect::Exoscale, Value::Map(map), _) => exoscale::map_contains(map, needle),
        (_, Value::List(items), Some(needle)) => Ok(items.iter().any(|item| values_equal(item, needle))),
        (_, Value::Map(map), Some(needle)) => Ok(map.get(needle).is_some()),
        (_, other, Some(needle)) => Err(format!("no such overload: {} in {}", needle.type_name(), other.type_name())),
        (_, other, None) => Err(format!("no such overload: in {}", other.type_name())),
    }
}

/// Applies a binary operator (not `&&`, `||`, whose error absorption is the evaluator's) in
/// `dialect`.
pub(crate) fn binary_in(dialect: Dialect, op: BinaryOp, left: &Value, right: &Value) -> Result<Value, String> {
    if dialect != Dialect::Exoscale {
        return binary(op, left, right);
    }
    let overload = || format!("no such overload: {} {} {}", left.type_name(), op.symbol(), right.type_name());
    match op {
        // cel-parser guards `==` and `!=` with `same?` (l.811–812), so `'a' != 1` and `1 == 1.0`
        // are errors there. Choice: a comparison with `null` is a comparison (null equals only
        // null), because Exoscale's bucket-policy documentation writes `identity.key != null`
        // for "the request is authenticated", which an error would break.
        BinaryOp::Equal | BinaryOp::NotEqual => {
            let equal = if exoscale::same_type(left, right) {
                exoscale::typed_equal(left, right)?
            } else if matches!(left, Value::Null) || matches!(right, Value::Null) {
                false
            } else {
                return Err(overload());
            };
            Ok(Value::Bool(equal == (op == BinaryOp::Equal)))
        }
        // Ordering is guarded by `same?` too (l.841–844).
        BinaryOp::Less | BinaryOp::LessEqual | BinaryOp::Greater | BinaryOp::GreaterEqual
            if !exoscale::same_type(left, right) =>
        {
            Err(overload())
        }
        BinaryOp::In => contains(Some(left), right, dialect).map(Value::Bool),
        // `sub-time-duration` (l.629–635) computes `Duration.between(a, b)`, which is `b - a`:
        // `timestamp(a) - timestamp(b)` has the opposite sign of cel-spec's.
        BinaryOp::Subtract => match (left, right) {
            (Value::Timestamp(a), Value::Timestamp(b)) => {
                b.difference(*a).map(Value::Duration).ok_or_else(|| "duration out of range".to_owned())
            }
            _ => binary(op, left, right),
        },
        _ => binary(op, left, right),
    }
}

pub(crate) fn binary(op: BinaryOp, left: &Value, right: &Value) -> Result<Value, String> {
    use std::cmp::Ordering;
    let overload = || format!("no such overload: {} {} {}", left.type_name(), op.symbol(), right.type_name());
    match op {
        BinaryOp::Equal => Ok(Value::Bool(values_equal(left, right))),
        BinaryOp::NotEqual => Ok(Value::Bool(!values_equal(left, right))),
        BinaryOp::Less | BinaryOp::LessEqual | BinaryOp::Greater | BinaryOp::GreaterEqual => {
            let ordering = match (left, right) {
                (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
                (Value::Bytes(a), Value::Bytes(b)) => Some(a.cmp(b)),
                (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
                (Value::Timestamp(a), Value::Timestamp(b)) => Some(a.cmp(b)),
                (Value::Duration(a), Value::Duration(b)) => Some(a.cmp(b)),
                _ if is_number(left) && is_number(right) => compare_numbers(left, right),
                _ => return Err(overload()),
            };
            let result = match ordering {
                // NaN is unordered: every comparison with it is false.
                None => false,
                Some(ordering) => match op {
                    BinaryOp::Less => ordering == Ordering::Less,
                    BinaryOp::LessEqual => ordering != Ordering::Greater,
                    BinaryOp::Greater => ordering == Ordering::Greater,
                    _ => ordering != Ordering::Less,
                },
            };
            Ok(Value::Bool(result))
        }
        BinaryOp::In => match right {
            Value::List(items) => Ok(Value::Bool(items.iter().any(|item| values_equal(item, left)))),
            Value::Map(map) => Ok(Value::Bool(map.get(left).is_some())),
            _ => Err(overload()),
        },
        BinaryOp::Add => match (left, right) {
            (Value::Int(a), Value::Int(b)) => {
                a.checked_add(*b).map(Value::Int).ok_or_else(|| "integer overflow".to_owned())
            }
            (Value::Uint(a), Value::Uint(b)) => {
                a.checked_add(*b).map(Value::Uint).ok_or_else(|| "unsigned integer overflow".to_owned())
            }
            (Value::Double(a), Value::Double(b)) => Ok(Value::Double(a + b)),
            (Value::String(a), Value::String(b)) => {
                let mut joined = String::with_capacity(a.len() + b.len());
                joined.push_str(a);
                joined.push_str(b);
                Ok(Value::String(Rc::from(joined)))
            }
            (Value::Bytes(a), Value::Bytes(b)) => Ok(Value::Bytes(a.iter().chain(b.iter()).copied().collect())),
            (Value::List(a), Value::List(b)) => Ok(Value::List(a.iter().chain(b.iter()).cloned().collect())),
            (Value::Timestamp(a), Value::Duration(b)) | (Value::Duration(b), Value::Timestamp(a)) => {
                a.checked_add(*b).map(Value::Timestamp).ok_or_else(|| "timestamp out of range".to_owned())
            }
            (Value::Duration(a), Value::Duration(b)) => {
                a.checked_add(*b).map(Value::Duration).ok_or_else(|| "duration out of range".to_owned())
            }
            _ => Err(overload()),
        },
        BinaryOp::Subtract => match (left, right) {
            (Value::Int(a), Value::Int(b)) => {
                a.checked_sub(*b).map(Value::Int).ok_or_else(|| "integer overflow".to_owned())
            }
            (Value::Uint(a), Value::Uint(b)) => {
                a.checked_sub(*b).map(Value::Uint).ok_or_else(|| "unsigned integer overflow".to_owned())
            }
            (Value::Double(a), Value::Double(b)) => Ok(Value::Double(a - b)),
            (Value::Timestamp(a), Value::Duration(b)) => {
                a.checked_sub(*b).map(Value::Timestamp).ok_or_else(|| "timestamp out of range".to_owned())
            }
            (Value::Timestamp(a), Value::Timestamp(b)) => {
                a.difference(*b).map(Value::Duration).ok_or_else(|| "duration out of range".to_owned())
            }
            (Value::Duration(a), Value::Duration(b)) => {
                a.checked_sub(*b).map(Value::Duration).ok_or_else(|| "duration out of range".to_owned())
            }
            _ => Err(overload()),
        },
        BinaryOp::Multiply => match (left, right) {
            (Value::Int(a), Value::Int(b)) => {
                a.checked_mul(*b).map(Value::Int).ok_or_else(|| "integer overflow".to_owned())
            }
            (Value::Uint(a), Value::Uint(b)) => {
                a.checked_mul(*b).map(Value::Uint).ok_or_else(|| "unsigned integer overflow".to_owned())
            }
            (Value::Double(a), Value::Double(b)) => Ok(Value::Double(a * b)),
            _ => Err(overload()),
        },
        BinaryOp::Divide => match (left, right) {
            (Value::Int(_), Value::Int(0)) | (Value::Uint(_), Value::Uint(0)) => Err("division by zero".to_owned()),
            (Value::Int(a), Value::Int(b)) => {
                a.checked_div(*b).map(Value::Int).ok_or_else(|| "integer overflow".to_owned())
            }
            (Value::Uint(a), Value::Uint(b)) => {
                a.checked_div(*b).map(Value::Uint).ok_or_else(|| "unsigned integer overflow".to_owned())
            }
            (Value::Double(a), Value::Double(b)) => Ok(Value::Double(a / b)),
            _ => Err(overload()),
        },
        BinaryOp::Remainder => match (left, right) {
            (Value::Int(_), Value::Int(0)) | (Value::Uint(_), Value::Uint(0)) => Err("modulus by zero".to_owned()),
            (Value::Int(a), Value::Int(b)) => {
                a.checked_rem(*b).map(Value::Int).ok_or_else(|| "integer overflow".to_owned())
            }
            (Value::Uint(a), Value::Uint(b)) => {
                a.checked_rem(*b).map(Value::Uint).ok_or_else(|| "unsigned integer overflow".to_owned())
            }
            _ => Err(overload()),
        },
        BinaryOp::And | BinaryOp::Or => Err(overload()),
    }
}
