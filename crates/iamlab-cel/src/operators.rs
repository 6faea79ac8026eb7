//! The operators and accessors evaluation applies to values: field selection, indexing, unary
//! and binary operators, and CEL's heterogeneous equality and numeric ordering. Kept apart from
//! the tree walk in `eval.rs`, which decides *when* they run (error absorption, short circuits).

use crate::ast::{BinaryOp, UnaryOp};
use crate::value::{MapKey, Value};
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
