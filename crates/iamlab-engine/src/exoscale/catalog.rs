//! The Exoscale operations catalogue: which API operations exist, which IAM service class each
//! belongs to (and how sure we are), and their parameters.
//!
//! The data is `data/exoscale-catalog.json`, a trimmed copy of
//! `../shared/catalogs/exoscale-operations.json` (sources and notes kept, per-operation evidence
//! dropped). It is embedded with `include_str!` and read once: about 93 KB raw, 15 KB gzip.

use iamlab_model::json::JsonValue;
use std::collections::HashMap;
use std::sync::OnceLock;

const CATALOG_JSON: &str = include_str!("../../data/exoscale-catalog.json");

/// How well the catalogue knows an operation's service class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Confidence {
    /// The exact operation appears under that class in an Exoscale-authored policy.
    Documented,
    /// Another operation of the same API tag is documented under that class, or independent
    /// third parties use it so.
    Observed,
    /// Only the spec's tag grouping supports the class: the engine says so when it relies on it.
    Inferred,
}

impl Confidence {
    fn parse(text: &str) -> Confidence {
        match text {
            "documented" => Confidence::Documented,
            "inferred" => Confidence::Inferred,
            _ => Confidence::Observed,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Documented => "documented",
            Confidence::Observed => "observed",
            Confidence::Inferred => "inferred",
        }
    }
}

/// One parameter of an operation: a path or query parameter, or a top-level body property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// The API's name, kebab-case (`public-ip-assignment`).
    pub name: String,
    /// `path`, `query` or `body`.
    pub location: String,
    /// `string`, `integer`, `boolean`, `object`, `array<string>`, `array<object>`.
    pub value_type: String,
    pub required: bool,
    /// The allowed values, when the spec lists them.
    pub allowed_values: Vec<String>,
    /// The name rule expressions use, computed once at load.
    cel_name: String,
}

impl Parameter {
    /// The name rule expressions use: hyphens become underscores (`parameters.public_ip_assignment`).
    pub fn expression_name(&self) -> &str {
        &self.cel_name
    }
}

/// Converts an API name to the name CEL expressions use for it.
pub fn expression_name(api_name: &str) -> String {
    api_name.replace('-', "_")
}

/// One operation of the Exoscale API, or one SOS S3-protocol operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    pub name: String,
    /// Empty for SOS S3-protocol operations, which are not part of the v2 API.
    pub method: String,
    pub path: String,
    pub summary: String,
    pub service_class: String,
    pub confidence: Confidence,
    pub parameters: Vec<Parameter>,
}

/// A key of a policy's `services` map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceClass {
    pub name: String,
    /// How the class key itself is known (`documented`, `inferred`, …), as the catalogue says.
    pub status: String,
    pub description: String,
}

/// The whole catalogue, read once from the embedded JSON.
#[derive(Debug, Default)]
pub struct Catalog {
    pub service_classes: Vec<ServiceClass>,
    /// Sorted by name: v2 API operations and SOS S3-protocol operations.
    pub operations: Vec<Operation>,
    /// Pre-2024 access-key operation names: never valid in role policies.
    pub legacy_operations: Vec<String>,
    pub sources: Vec<String>,
    pub notes: String,
    by_name: HashMap<String, usize>,
}

/// The catalogue. The embedded JSON is checked by a unit test, so the empty fallback is never
/// used in practice; it keeps the engine panic-free all the same.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| load(CATALOG_JSON).unwrap_or_default())
}

// The loader reads the tree of `iamlab_model::json` (linked anyway) rather than deriving serde
// deserializers: in the wasm bundle that saves the derive's monomorphized visitors.

fn text(value: Option<&JsonValue>) -> String {
    value.and_then(JsonValue::as_str).unwrap_or_default().to_owned()
}

fn texts(value: Option<&JsonValue>) -> Vec<String> {
    value
        .and_then(JsonValue::as_array)
        .unwrap_or_default()
        .iter()
        .filter_map(JsonValue::as_str)
        .map(str::to_owned)
        .collect()
}

/// `[name, in, type, required, enum or null]`.
fn read_parameter(value: &JsonValue) -> Option<Parameter> {
    let [name, location, value_type, required, allowed] = value.as_array()? else {
        return None;
    };
    let name = text(Some(name));
    Some(Parameter {
        cel_name: expression_name(&name),
        name,
        location: text(Some(location)),
        value_type: text(Some(value_type)),
        required: required.as_bool().unwrap_or(false),
        allowed_values: texts(Some(allowed)),
    })
}

/// `[name, method, path, summary, class, confidence, parameters]`.
fn read_operation(value: &JsonValue) -> Option<Operation> {
    let [name, method, path, summary, class, confidence, parameters] = value.as_array()? else {
        return None;
    };
    Some(Operation {
        name: text(Some(name)),
        method: text(Some(method)),
        path: text(Some(path)),
        summary: text(Some(summary)),
        service_class: text(Some(class)),
        confidence: Confidence::parse(confidence.as_str().unwrap_or_default()),
        parameters: parameters.as_array().unwrap_or_default().iter().filter_map(read_parameter).collect(),
    })
}

fn load(source: &str) -> Option<Catalog> {
    let root = iamlab_model::json::parse_json(source).value?;
    let mut operations: Vec<Operation> =
        root.get("operations")?.as_array()?.iter().filter_map(read_operation).collect();
    for entry in root.get("sos_s3_operations").and_then(JsonValue::as_array).unwrap_or_default() {
        let name = text(entry.pointer("/0"));
        operations.push(Operation {
            parameters: sos_parameters(&name),
            name,
            method: String::new(),
            path: String::new(),
            summary: "SOS (S3 protocol) operation".to_owned(),
            service_class: "sos".to_owned(),
            // `observed-single-source` and `observed` both count as observed here.
            confidence: Confidence::parse(entry.pointer("/1").and_then(JsonValue::as_str).unwrap_or_default()),
        });
    }
    operations.sort_by(|left, right| left.name.cmp(&right.name));
    let by_name = operations.iter().enumerate().map(|(index, operation)| (operation.name.clone(), index)).collect();
    let mut notes = text(root.get("notes"));
    notes.push_str("\n\nSOS: ");
    notes.push_str(&text(root.get("sos_s3_operations_notes")));
    let service_classes = root
        .get("service_classes")
        .and_then(JsonValue::as_array)
        .unwrap_or_default()
        .iter()
        .map(|class| ServiceClass {
            name: text(class.get("name")),
            status: text(class.get("status")),
            description: text(class.get("description")),
        })
        .collect();
    Some(Catalog {
        service_classes,
        operations,
        legacy_operations: texts(root.pointer("/legacy_access_key_sos_operations/names")),
        sources: texts(root.get("source")),
        notes,
        by_name,
    })
}

/// The parameters SOS rules are seen reading (catalogue notes: `parameters.bucket`,
/// `parameters.key`, `parameters.prefix`; `list-buckets` takes no bucket).
fn sos_parameters(operation: &str) -> Vec<Parameter> {
    let parameter = |name: &str| Parameter {
        name: name.to_owned(),
        cel_name: name.to_owned(),
        location: "path".to_owned(),
        value_type: "string".to_owned(),
        required: name == "bucket",
        allowed_values: Vec::new(),
    };
    match operation {
        "list-buckets" => Vec::new(),
        "list-objects" | "list-object-versions" | "list-multipart-uploads" => {
            vec![parameter("bucket"), parameter("prefix")]
        }
        _ if operation.contains("object") || operation.contains("multipart") => {
            vec![parameter("bucket"), parameter("key")]
        }
        _ => vec![parameter("bucket")],
    }
}

impl Catalog {
    pub fn operation(&self, name: &str) -> Option<&Operation> {
        self.by_name.get(name).and_then(|&index| self.operations.get(index))
    }

    pub fn service_class(&self, name: &str) -> Option<&ServiceClass> {
        self.service_classes.iter().find(|class| class.name == name)
    }

    pub fn is_legacy_operation(&self, name: &str) -> bool {
        self.legacy_operations.iter().any(|legacy| legacy == name)
    }

    /// The operations of one service class, in name order.
    pub fn operations_of_class<'catalog>(
        &'catalog self,
        class: &'catalog str,
    ) -> impl Iterator<Item = &'catalog Operation> {
        self.operations.iter().filter(move |operation| operation.service_class == class)
    }

    /// The closest known service class, for "did you mean".
    pub fn closest_service_class(&self, name: &str) -> Option<&str> {
        iamlab_model::suggest::closest(name, self.service_classes.iter().map(|class| class.name.as_str()))
    }

    /// The closest known operation name, for "did you mean".
    pub fn closest_operation(&self, name: &str) -> Option<&str> {
        iamlab_model::suggest::closest(name, self.operations.iter().map(|operation| operation.name.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_loads_with_every_operation() {
        let catalog = load(CATALOG_JSON).unwrap();
        assert_eq!(catalog.operations.iter().filter(|operation| !operation.method.is_empty()).count(), 370);
        assert_eq!(catalog.operations.iter().filter(|operation| operation.method.is_empty()).count(), 23);
        let create_instance = catalog.operation("create-instance").unwrap();
        assert_eq!(create_instance.service_class, "compute");
        assert!(create_instance.parameters.iter().any(|parameter| parameter.name == "public-ip-assignment"));
        assert_eq!(catalog.operation("create-bucket").unwrap().service_class, "sos");
        assert!(catalog.service_class("compute-legacy").is_some());
    }

    #[test]
    fn closest_names_suggest_typos_only() {
        let catalog = catalog();
        assert_eq!(catalog.closest_service_class("compte"), Some("compute"));
        assert_eq!(catalog.closest_operation("create-instanse"), Some("create-instance"));
        assert_eq!(catalog.closest_service_class("zzzzzzzzzz"), None);
    }
}
