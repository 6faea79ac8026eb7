//! Runtime values.

use crate::table::{Hint, KeyPrint, Table};
use crate::time::{format_duration, format_timestamp, Duration, Timestamp};
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

/// A CEL value. Strings, bytes, lists and maps are reference-counted so that copying a value
/// (into a variable, a list, a trace) is cheap.
#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Double(f64),
    String(Rc<str>),
    Bytes(Rc<[u8]>),
    List(Rc<[Value]>),
    Map(Rc<Map>),
    Timestamp(Timestamp),
    Duration(Duration),
    /// A type value such as `int` or `google.protobuf.Timestamp`, as returned by `type(x)`.
    Type(&'static str),
}

/// A map key: CEL allows bool, int, uint and string keys. Int and uint keys with the same
/// numeric value are the same key (heterogeneous equality).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum MapKey {
    Bool(bool),
    /// Int and uint keys, compared by numeric value.
    Number(i128),
    String(Rc<str>),
}

/// A CEL map: keys in a canonical order (bools, numbers, then strings), each with the key value
/// as written (so that `1u` stays a uint) and the mapped value. String keys live in their own
/// table (`crate::table`), so that a field lookup (`parameters.type`) needs no allocation and,
/// in a compiled program, compares strings only for the key it finds.
#[derive(Debug, Clone, Default)]
pub struct Map {
    others: BTreeMap<MapKey, (Value, Value)>,
    strings: Table<(Value, Value)>,
}

impl Map {
    pub fn new() -> Map {
        Map::default()
    }

    pub fn len(&self) -> usize {
        self.others.len() + self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.others.is_empty() && self.strings.is_empty()
    }

    /// Looks up a key; a double key finds the int entry with the same value.
    pub fn get(&self, key: &Value) -> Option<&Value> {
        if let Value::String(text) = key {
            return self.get_str(text);
        }
        let key = MapKey::lookup(key)?;
        self.others.get(&key).map(|(_, value)| value)
    }

    /// Whether some key is a string (they are all kept in the string tree).
    pub(crate) fn has_string_keys(&self) -> bool {
        !self.strings.is_empty()
    }

    pub fn get_str(&self, key: &str) -> Option<&Value> {
        self.strings.get(key).map(|(_, value)| value)
    }

    /// [`Map::get_str`] with the key's fingerprint computed beforehand.
    #[inline]
    pub(crate) fn get_printed(&self, key: &str, print: &KeyPrint) -> Option<&Value> {
        self.strings.get_printed(key, print).map(|(_, value)| value)
    }

    /// [`Map::get_printed`] with a hint of where the key was found the last time.
    #[inline(always)]
    pub(crate) fn get_hinted(&self, key: &str, print: &KeyPrint, hint: &Hint) -> Option<&Value> {
        self.strings.get_hinted(key, print, hint).map(|(_, value)| value)
    }

    /// Inserts; returns false (and keeps the first value) when the key is already present.
    pub fn insert(&mut self, key: Value, value: Value) -> Result<bool, String> {
        if let Value::String(text) = &key {
            if self.strings.contains_key(text) {
                return Ok(false);
            }
            self.strings.insert(text.clone(), (key, value));
            return Ok(true);
        }
        let Some(map_key) = MapKey::from_value(&key) else {
            return Err(format!("unsupported key type: {}", key.type_name()));
        };
        if self.others.contains_key(&map_key) {
            return Ok(false);
        }
        self.others.insert(map_key, (key, value));
        Ok(true)
    }

    /// Entries in canonical key order.
    pub fn iter(&self) -> impl Iterator<Item = (&Value, &Value)> {
        self.others.values().chain(self.strings.values()).map(|(key, value)| (key, value))
    }
}

impl MapKey {
    /// The key for a value that may be stored as a key.
    pub fn from_value(value: &Value) -> Option<MapKey> {
        match value {
            Value::Bool(value) => Some(MapKey::Bool(*value)),
            Value::Int(value) => Some(MapKey::Number(i128::from(*value))),
            Value::Uint(value) => Some(MapKey::Number(i128::from(*value))),
            Value::String(value) => Some(MapKey::String(value.clone())),
            _ => None,
        }
    }

    /// The key for a lookup: also accepts integral doubles (`{1: 'a'}[1.0]`).
    pub fn lookup(value: &Value) -> Option<MapKey> {
        match value {
            Value::Double(value) => {
                if value.fract() == 0.0 && value.abs() < 1.9e19 {
                    Some(MapKey::Number(*value as i128))
                } else {
                    None
                }
            }
            other => MapKey::from_value(other),
        }
    }
}

impl Value {
    pub fn string(text: impl Into<Rc<str>>) -> Value {
        Value::String(text.into())
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Rc::from(items))
    }

    /// The CEL type name (`int`, `string`, `map`, `google.protobuf.Timestamp`…).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null_type",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Uint(_) => "uint",
            Value::Double(_) => "double",
            Value::String(_) => "string",
            Value::Bytes(_) => "bytes",
            Value::List(_) => "list",
            Value::Map(_) => "map",
            Value::Timestamp(_) => "google.protobuf.Timestamp",
            Value::Duration(_) => "google.protobuf.Duration",
            Value::Type(_) => "type",
        }
    }

    /// Converts JSON: integral numbers that fit an int become `Int`, other numbers `Double`;
    /// objects become maps with string keys.
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(value) => Value::Bool(*value),
            serde_json::Value::Number(number) => {
                if let Some(value) = number.as_i64() {
                    Value::Int(value)
                } else {
                    Value::Double(number.as_f64().unwrap_or(f64::NAN))
                }
            }
            serde_json::Value::String(text) => Value::String(Rc::from(text.as_str())),
            serde_json::Value::Array(items) => Value::List(items.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(object) => {
                let mut map = Map::new();
                for (key, value) in object {
                    let key: Rc<str> = Rc::from(key.as_str());
                    map.strings.insert(key.clone(), (Value::String(key), Value::from_json(value)));
                }
                Value::Map(Rc::new(map))
            }
        }
    }

    /// Converts to JSON: numbers as numbers (non-finite doubles as strings), bytes as base64,
    /// timestamps as RFC 3339 strings, durations as `"5400s"`, map keys as strings.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(value) => serde_json::Value::Bool(*value),
            Value::Int(value) => serde_json::Value::from(*value),
            Value::Uint(value) => serde_json::Value::from(*value),
            Value::Double(value) => match serde_json::Number::from_f64(*value) {
                Some(number) => serde_json::Value::Number(number),
                None => serde_json::Value::String(format_double(*value)),
            },
            Value::String(text) => serde_json::Value::String(text.to_string()),
            Value::Bytes(bytes) => serde_json::Value::String(base64_encode(bytes)),
            Value::List(items) => serde_json::Value::Array(items.iter().map(Value::to_json).collect()),
            Value::Map(map) => {
                let mut object = serde_json::Map::new();
                for (key, value) in map.iter() {
                    let key = match key {
                        Value::String(text) => text.to_string(),
                        other => other.to_string(),
                    };
                    object.insert(key, value.to_json());
                }
                serde_json::Value::Object(object)
            }
            Value::Timestamp(timestamp) => serde_json::Value::String(format_timestamp(*timestamp)),
            Value::Duration(duration) => serde_json::Value::String(format_duration(*duration)),
            Value::Type(name) => serde_json::Value::String((*name).to_owned()),
        }
    }
}

/// Structural equality for tests and callers; CEL's `==` (heterogeneous numbers, NaN) is
/// [`crate::eval::values_equal`].
impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Uint(a), Value::Uint(b)) => a == b,
            (Value::Double(a), Value::Double(b)) => a == b || (a.is_nan() && b.is_nan()),
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Bytes(a), Value::Bytes(b)) => a == b,
            (Value::List(a), Value::List(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => {
                a.len() == b.len() && a.iter().all(|(key, value)| b.get(key).is_some_and(|other| other == value))
            }
            (Value::Timestamp(a), Value::Timestamp(b)) => a == b,
            (Value::Duration(a), Value::Duration(b)) => a == b,
            (Value::Type(a), Value::Type(b)) => a == b,
            _ => false,
        }
    }
}

fn format_double(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value.is_infinite() {
        if value > 0.0 { "+infinity" } else { "-infinity" }.to_owned()
    } else {
        format!("{value:?}")
    }
}

fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b0 = u32::from(chunk.first().copied().unwrap_or(0));
        let b1 = u32::from(chunk.get(1).copied().unwrap_or(0));
        let b2 = u32::from(chunk.get(2).copied().unwrap_or(0));
        let triple = (b0 << 16) | (b1 << 8) | b2;
        for (index, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if index <= chunk.len() {
                let sextet = ((triple >> shift) & 0x3f) as usize;
                out.push(char::from(ALPHABET.get(sextet).copied().unwrap_or(b'A')));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Writes `text` as a single-quoted CEL string literal.
pub(crate) fn write_quoted(out: &mut impl fmt::Write, text: &str) -> fmt::Result {
    out.write_char('\'')?;
    for character in text.chars() {
        match character {
            '\'' => out.write_str("\\'")?,
            '\\' => out.write_str("\\\\")?,
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            '\t' => out.write_str("\\t")?,
            character if character.is_control() => write!(out, "\\u{:04x}", u32::from(character))?,
            character => out.write_char(character)?,
        }
    }
    out.write_char('\'')
}

/// Renders the value as a CEL literal that evaluates back to it: `'A'`, `1u`, `[1, 2]`,
/// `timestamp('2024-01-01T00:00:00Z')`.
impl fmt::Display for Value {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => formatter.write_str("null"),
            Value::Bool(value) => write!(formatter, "{value}"),
            Value::Int(value) => write!(formatter, "{value}"),
            Value::Uint(value) => write!(formatter, "{value}u"),
            Value::Double(value) => {
                if value.is_finite() {
                    write!(formatter, "{value:?}")
                } else {
                    write!(formatter, "double('{}')", format_double(*value))
                }
            }
            Value::String(text) => write_quoted(formatter, text),
            Value::Bytes(bytes) => {
                formatter.write_str("b'")?;
                for byte in bytes.iter() {
                    match byte {
                        b'\'' => formatter.write_str("\\'")?,
                        b'\\' => formatter.write_str("\\\\")?,
                        0x20..=0x7e => formatter.write_char(char::from(*byte))?,
                        _ => write!(formatter, "\\x{byte:02x}")?,
                    }
                }
                formatter.write_str("'")
            }
            Value::List(items) => {
                formatter.write_str("[")?;
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        formatter.write_str(", ")?;
                    }
                    write!(formatter, "{item}")?;
                }
                formatter.write_str("]")
            }
            Value::Map(map) => {
                formatter.write_str("{")?;
                for (index, (key, value)) in map.iter().enumerate() {
                    if index > 0 {
                        formatter.write_str(", ")?;
                    }
                    write!(formatter, "{key}: {value}")?;
                }
                formatter.write_str("}")
            }
            Value::Timestamp(timestamp) => {
                formatter.write_str("timestamp(")?;
                write_quoted(formatter, &format_timestamp(*timestamp))?;
                formatter.write_str(")")
            }
            Value::Duration(duration) => {
                formatter.write_str("duration(")?;
                write_quoted(formatter, &format_duration(*duration))?;
                formatter.write_str(")")
            }
            Value::Type(name) => formatter.write_str(name),
        }
    }
}

use std::fmt::Write as _;
