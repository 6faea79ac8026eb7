use crate::Span;
use std::borrow::Cow;

/// A JSON value with the span of its source text (for strings, quotes included). Strings and
/// keys without escapes borrow from the text (`'text`): reading a document allocates for its
/// arrays and objects, not for each string (a simulation reads every policy for each request).
#[derive(Debug, Clone, PartialEq)]
pub struct JsonValue<'text> {
    pub span: Span,
    pub kind: JsonKind<'text>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum JsonKind<'text> {
    Null,
    Bool(bool),
    Number(JsonNumber),
    /// The decoded text: borrowed from the source unless it has escapes.
    String(Cow<'text, str>),
    Array(Vec<JsonValue<'text>>),
    /// Members in source order. Duplicate keys are kept (and reported by the reader); lookups
    /// return the last one, as `JSON.parse` and most servers do.
    Object(Vec<JsonMember<'text>>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct JsonMember<'text> {
    /// The decoded key: borrowed from the source unless it has escapes.
    pub key: Cow<'text, str>,
    /// The key's span, quotes included.
    pub key_span: Span,
    pub value: JsonValue<'text>,
}

/// A number as written, so that `1`, `1.0` and `1e0` stay distinguishable and large integers
/// keep their precision.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonNumber {
    pub raw: String,
}

impl JsonNumber {
    pub fn as_f64(&self) -> Option<f64> {
        self.raw.parse().ok()
    }

    /// The value as an integer, when it is written without fraction or exponent.
    pub fn as_i64(&self) -> Option<i64> {
        self.raw.parse().ok()
    }

    pub fn as_u64(&self) -> Option<u64> {
        self.raw.parse().ok()
    }

    pub fn is_integer(&self) -> bool {
        !self.raw.contains(['.', 'e', 'E'])
    }
}

impl<'text> JsonValue<'text> {
    /// `"null"`, `"boolean"`, `"number"`, `"string"`, `"array"` or `"object"`, for messages.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            JsonKind::Null => "null",
            JsonKind::Bool(_) => "boolean",
            JsonKind::Number(_) => "number",
            JsonKind::String(_) => "string",
            JsonKind::Array(_) => "array",
            JsonKind::Object(_) => "object",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            JsonKind::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            JsonKind::Bool(value) => Some(value),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&JsonNumber> {
        match &self.kind {
            JsonKind::Number(number) => Some(number),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[JsonValue<'text>]> {
        match &self.kind {
            JsonKind::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[JsonMember<'text>]> {
        match &self.kind {
            JsonKind::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The span of the value's first character (the `{` of an object): where a finding about
    /// the whole value points without underlining all of it.
    pub fn opening_span(&self) -> Span {
        Span::new(self.span.start, self.span.start.saturating_add(1).min(self.span.end))
    }

    /// The member named `key` (the last one if the key is duplicated).
    pub fn member(&self, key: &str) -> Option<&JsonMember<'text>> {
        self.as_object()?.iter().rev().find(|member| member.key == key)
    }

    /// The value of member `key` (the last one if the key is duplicated).
    pub fn get(&self, key: &str) -> Option<&JsonValue<'text>> {
        self.member(key).map(|member| &member.value)
    }

    /// Follows an RFC 6901 JSON pointer such as `/Statement/0/Action`.
    pub fn pointer(&self, pointer: &str) -> Option<&JsonValue<'text>> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut current = self;
        for raw_segment in pointer.strip_prefix('/')?.split('/') {
            let segment = raw_segment.replace("~1", "/").replace("~0", "~");
            current = match &current.kind {
                JsonKind::Object(_) => current.get(&segment)?,
                JsonKind::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(current)
    }

    /// Converts to a `serde_json::Value` (spans dropped; duplicate keys: the last one wins).
    /// The reader limits nesting, so this recursion is bounded by [`super::MAX_DEPTH`].
    pub fn to_serde(&self) -> serde_json::Value {
        match &self.kind {
            JsonKind::Null => serde_json::Value::Null,
            JsonKind::Bool(value) => serde_json::Value::Bool(*value),
            JsonKind::Number(number) => number
                .as_i64()
                .map(serde_json::Value::from)
                .or_else(|| number.as_u64().map(serde_json::Value::from))
                .or_else(|| number.as_f64().and_then(serde_json::Number::from_f64).map(serde_json::Value::Number))
                .unwrap_or(serde_json::Value::Null),
            JsonKind::String(text) => serde_json::Value::String(text.to_string()),
            JsonKind::Array(items) => serde_json::Value::Array(items.iter().map(JsonValue::to_serde).collect()),
            JsonKind::Object(members) => {
                // Inserted one by one: `collect` would sort the members first, with one more
                // copy of the standard sort in the wasm (`crate::order`).
                let mut map = serde_json::Map::new();
                for member in members {
                    map.insert(member.key.to_string(), member.value.to_serde());
                }
                serde_json::Value::Object(map)
            }
        }
    }
}

/// Escapes one JSON pointer segment (`~` → `~0`, `/` → `~1`).
pub fn escape_pointer_segment(segment: &str) -> String {
    // Most segments need no escape: one copy then, not the two of chained `replace`s.
    if !segment.contains(['~', '/']) {
        return segment.to_owned();
    }
    segment.replace('~', "~0").replace('/', "~1")
}
