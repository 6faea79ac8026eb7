//! Reading and writing the JSON of share links and stored workspaces by hand, over the
//! `serde_json::Value` the model's reader gives: derived serde impls cost about 10 KB of
//! gzip'd wasm for a few small structs. Messages are serde's own words, so that a broken link
//! or stored state is refused as before.

use serde_json::{Map, Value};

pub type Result<T> = std::result::Result<T, String>;

/// A JSON object's members, in the order serde visits them (the map's own, sorted).
pub type Members = Map<String, Value>;

/// "invalid type: <what `value` is>, expected <expected>", in serde_json's words (its
/// `JsonUnexpected`): written out rather than built through `serde::de::Error`, whose
/// formatting machinery is a further 2 KB of wasm.
pub fn invalid_type(value: &Value, expected: &str) -> String {
    let unexpected = match value {
        Value::Null => "null".to_owned(),
        Value::Bool(value) => format!("boolean `{value}`"),
        // serde_json prints a float with `ryu`, as `Number`'s `Display` does.
        Value::Number(number) if number.is_f64() => format!("floating point `{number}`"),
        Value::Number(number) => format!("integer `{number}`"),
        Value::String(text) => format!("string {text:?}"),
        Value::Array(_) => "sequence".to_owned(),
        Value::Object(_) => "map".to_owned(),
    };
    format!("invalid type: {unexpected}, expected {expected}")
}

pub fn missing_field(field: &'static str) -> String {
    format!("missing field `{field}`")
}

/// A field a struct with `deny_unknown_fields` does not have (every such struct here has more
/// than two fields: serde's wording for those).
pub fn unknown_field(field: &str, expected: &'static [&'static str]) -> String {
    format!("unknown field `{field}`, expected {}", one_of(expected))
}

/// "one of `a`, `b`, `c`", as serde lists the names it expected.
fn one_of(names: &[&str]) -> String {
    let names: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    format!("one of {}", names.join(", "))
}

/// A required field, or the message serde gives when it is missing.
pub fn required<T>(value: Option<T>, field: &'static str) -> Result<T> {
    value.ok_or_else(|| missing_field(field))
}

/// The members of a struct's object; `name` is the struct's, for the message.
pub fn members<'a>(value: &'a Value, name: &str) -> Result<&'a Members> {
    value.as_object().ok_or_else(|| invalid_type(value, &format!("struct {name}")))
}

pub fn string(value: &Value) -> Result<String> {
    value.as_str().map(str::to_owned).ok_or_else(|| invalid_type(value, "a string"))
}

/// An `Option<String>`: `null` is `None`.
pub fn optional_string(value: &Value) -> Result<Option<String>> {
    if value.is_null() {
        Ok(None)
    } else {
        string(value).map(Some)
    }
}

pub fn boolean(value: &Value) -> Result<bool> {
    value.as_bool().ok_or_else(|| invalid_type(value, "a boolean"))
}

/// A JSON array, each item read with `item`.
pub fn list<T>(value: &Value, item: impl Fn(&Value) -> Result<T>) -> Result<Vec<T>> {
    let items = value.as_array().ok_or_else(|| invalid_type(value, "a sequence"))?;
    items.iter().map(item).collect()
}

/// A JSON object read as key-value pairs in key order, each value read with `item`; a repeated
/// key keeps its last value, as a map would. Pairs rather than a `BTreeMap<String, T>`: each
/// B-tree type costs the wasm about a kilobyte of gzip for its insert, search and drop code,
/// and these objects are small (a link's catalogues, a stored workspace's documents).
pub fn pairs<T>(value: &Value, item: impl Fn(&Value) -> Result<T>) -> Result<Vec<(String, T)>> {
    let members = value.as_object().ok_or_else(|| invalid_type(value, "a map"))?;
    let mut pairs = Vec::with_capacity(members.len());
    for (key, value) in members {
        insert_pair(&mut pairs, key.clone(), item(value)?);
    }
    Ok(pairs)
}

/// Puts `value` under `key` in `pairs`, kept in key order: a new key in its place, a known one's
/// value replaced.
pub fn insert_pair<T>(pairs: &mut Vec<(String, T)>, key: String, value: T) {
    match pairs.iter().position(|(known, _)| *known >= key) {
        Some(index) if pairs.get(index).is_some_and(|(known, _)| *known == key) => {
            if let Some(pair) = pairs.get_mut(index) {
                pair.1 = value;
            }
        }
        Some(index) => pairs.insert(index, (key, value)),
        None => pairs.push((key, value)),
    }
}

/// A unit variant of a `rename_all = "snake_case"` enum, as serde reads it from a string.
pub fn variant<T: Copy>(value: &Value, variants: &[T], key: impl Fn(T) -> &'static str) -> Result<T> {
    let Some(name) = value.as_str() else { return Err(invalid_type(value, "string or map")) };
    variants.iter().copied().find(|variant| key(*variant) == name).ok_or_else(|| {
        let names: Vec<&'static str> = variants.iter().map(|variant| key(*variant)).collect();
        format!("unknown variant `{name}`, expected {}", one_of(&names))
    })
}

pub fn provider(value: &Value) -> Result<iamlab_model::Provider> {
    variant(value, &iamlab_model::Provider::ALL, iamlab_model::Provider::as_str)
}

/// `text` as a JSON string, escaped as `serde_json` escapes it.
pub fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// Writes one JSON object, member by member, in the order they are given.
pub struct ObjectWriter {
    text: String,
}

impl ObjectWriter {
    pub fn new() -> ObjectWriter {
        ObjectWriter { text: String::from("{") }
    }

    /// A member whose value is already JSON.
    pub fn raw(&mut self, key: &str, json: &str) -> &mut ObjectWriter {
        if self.text.len() > 1 {
            self.text.push(',');
        }
        self.text.push_str(&quoted(key));
        self.text.push(':');
        self.text.push_str(json);
        self
    }

    pub fn string(&mut self, key: &str, text: &str) -> &mut ObjectWriter {
        self.raw(key, &quoted(text))
    }

    pub fn finish(&mut self) -> String {
        let mut text = std::mem::take(&mut self.text);
        text.push('}');
        text
    }
}

/// A JSON array of items already written as JSON.
pub fn array(items: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", items.into_iter().collect::<Vec<_>>().join(","))
}

/// A JSON object of strings, in the map's order.
pub fn string_map<'a>(map: impl IntoIterator<Item = (&'a String, &'a String)>) -> String {
    let mut writer = ObjectWriter::new();
    for (key, value) in map {
        writer.string(key, value);
    }
    writer.finish()
}
