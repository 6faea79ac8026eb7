//! The Exoscale operations catalogue: which API operations exist, which IAM service class each
//! belongs to (and how sure we are), and their parameters.
//!
//! The data is `data/exoscale-catalog.json`, a trimmed copy of
//! `../shared/catalogs/exoscale-operations.json` (sources and notes kept, per-operation evidence
//! dropped). It is embedded with `include_str!` and read once: about 93 KB raw, 15 KB gzip.

use crate::catalog::{CatalogInfo, Evidence};
use iamlab_model::json::JsonValue;
use std::collections::HashMap;
use std::sync::OnceLock;

const CATALOG_JSON: &str = include_str!("../../data/exoscale-catalog.json");
/// What the engine reads at run time: the catalogue without its prose (see `build.rs`).
const EMBEDDED_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/exoscale-catalog.json"));

/// What the catalogue is, for the codes reference and share links.
pub const INFO: CatalogInfo = CatalogInfo {
    name: "exoscale-operations",
    version: VERSION,
    sources: "the Exoscale v2 OpenAPI spec (egoscale's generator source), Exoscale-authored policies \
              (Terraform provider examples, exoscale-labs, community.exoscale.com) and third-party usage",
};

/// The embedded data's FNV-1a fingerprint in hex: it changes whenever the data does, without
/// anyone having to remember to bump it.
const VERSION: &str = match std::str::from_utf8(&hex_digits(fnv1a(CATALOG_JSON.as_bytes()))) {
    Ok(version) => version,
    Err(_) => "unversioned",
};

const fn fnv1a(mut bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    while let [byte, rest @ ..] = bytes {
        hash = (hash ^ *byte as u64).wrapping_mul(0x0000_0100_0000_01b3);
        bytes = rest;
    }
    hash
}

const fn hex_digits(value: u64) -> [u8; 16] {
    const fn digit(value: u64, shift: u32) -> u8 {
        let nibble = ((value >> shift) & 0xf) as u8;
        if nibble < 10 {
            b'0' + nibble
        } else {
            b'a' + nibble - 10
        }
    }
    [
        digit(value, 60),
        digit(value, 56),
        digit(value, 52),
        digit(value, 48),
        digit(value, 44),
        digit(value, 40),
        digit(value, 36),
        digit(value, 32),
        digit(value, 28),
        digit(value, 24),
        digit(value, 20),
        digit(value, 16),
        digit(value, 12),
        digit(value, 8),
        digit(value, 4),
        digit(value, 0),
    ]
}

/// Reads the catalogue's grades onto the shared scale. The operation grades map one to one
/// (`observed-single-source` is still observed); a service class is also `asserted-by-brief`,
/// which only the project brief lists, or `asserted-by-brief; third-party observed`, which
/// others were seen using.
fn evidence(text: &str) -> Evidence {
    if text == "documented" {
        Evidence::Documented
    } else if text.starts_with("inferred") {
        Evidence::Inferred
    } else if text.starts_with("asserted") && !text.contains("observed") {
        Evidence::Listed
    } else {
        Evidence::Observed
    }
}

/// Where an operation takes a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParameterLocation {
    Path,
    Query,
    /// A top-level property of the JSON request body.
    Body,
}

impl ParameterLocation {
    fn parse(text: &str) -> Option<ParameterLocation> {
        match text {
            "path" => Some(ParameterLocation::Path),
            "query" => Some(ParameterLocation::Query),
            "body" => Some(ParameterLocation::Body),
            _ => None,
        }
    }
}

/// The JSON type of a parameter's value, as the spec gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    String,
    Integer,
    Boolean,
    Object,
    StringArray,
    ObjectArray,
}

impl ValueType {
    /// How the spec writes the type (`array<string>`).
    pub fn as_str(self) -> &'static str {
        match self {
            ValueType::String => "string",
            ValueType::Integer => "integer",
            ValueType::Boolean => "boolean",
            ValueType::Object => "object",
            ValueType::StringArray => "array<string>",
            ValueType::ObjectArray => "array<object>",
        }
    }

    fn parse(text: &str) -> Option<ValueType> {
        match text {
            "string" => Some(ValueType::String),
            "integer" => Some(ValueType::Integer),
            "boolean" => Some(ValueType::Boolean),
            "object" => Some(ValueType::Object),
            "array<string>" => Some(ValueType::StringArray),
            "array<object>" => Some(ValueType::ObjectArray),
            _ => None,
        }
    }
}

/// One parameter of an operation: a path or query parameter, or a top-level body property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    /// The API's name, kebab-case (`public-ip-assignment`).
    pub name: String,
    pub location: ParameterLocation,
    pub value_type: ValueType,
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
    /// How well the catalogue knows `service_class`.
    pub evidence: Evidence,
    pub parameters: Vec<Parameter>,
}

/// A key of a policy's `services` map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceClass {
    pub name: String,
    /// How well the class key itself is known.
    pub evidence: Evidence,
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
    by_name: HashMap<String, usize>,
}

/// The catalogue. The embedded JSON is checked by a unit test, so the empty fallback is never
/// used in practice; it keeps the engine panic-free all the same.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| load(EMBEDDED_JSON).unwrap_or_default())
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

/// `[name, in, type, required, enum or null]`; `None` for a location or type the engine does not
/// know (a unit test checks that the embedded data has none).
fn read_parameter(value: &JsonValue) -> Option<Parameter> {
    let [name, location, value_type, required, allowed] = value.as_array()? else {
        return None;
    };
    let name = text(Some(name));
    Some(Parameter {
        cel_name: expression_name(&name),
        name,
        location: ParameterLocation::parse(location.as_str()?)?,
        value_type: ValueType::parse(value_type.as_str()?)?,
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
        evidence: evidence(confidence.as_str().unwrap_or_default()),
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
            evidence: evidence(entry.pointer("/1").and_then(JsonValue::as_str).unwrap_or_default()),
        });
    }
    iamlab_model::order::sort_by(&mut operations, |left, right| left.name.cmp(&right.name));
    let by_name = operations.iter().enumerate().map(|(index, operation)| (operation.name.clone(), index)).collect();
    let service_classes = root
        .get("service_classes")
        .and_then(JsonValue::as_array)
        .unwrap_or_default()
        .iter()
        .map(|class| ServiceClass {
            name: text(class.get("name")),
            evidence: evidence(class.get("status").and_then(JsonValue::as_str).unwrap_or_default()),
            description: text(class.get("description")),
        })
        .collect();
    Some(Catalog {
        service_classes,
        operations,
        legacy_operations: texts(root.pointer("/legacy_access_key_sos_operations/names")),
        by_name,
    })
}

/// The parameters SOS rules are seen reading (catalogue notes: `parameters.bucket`,
/// `parameters.key`, `parameters.prefix`; `list-buckets` takes no bucket).
fn sos_parameters(operation: &str) -> Vec<Parameter> {
    let parameter = |name: &str| Parameter {
        name: name.to_owned(),
        cel_name: name.to_owned(),
        location: ParameterLocation::Path,
        value_type: ValueType::String,
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
    fn the_embedded_copy_holds_the_committed_files_entries() {
        let (embedded, committed) = (load(EMBEDDED_JSON).unwrap(), load(CATALOG_JSON).unwrap());
        assert_eq!(embedded.operations, committed.operations);
        assert_eq!(embedded.service_classes, committed.service_classes);
        assert_eq!(embedded.legacy_operations, committed.legacy_operations);
        assert!(EMBEDDED_JSON.len() < CATALOG_JSON.len());
    }

    #[test]
    fn every_parameter_of_the_data_is_read() {
        let root = iamlab_model::json::parse_json(CATALOG_JSON).value.unwrap();
        let written: usize = root
            .get("operations")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|operation| operation.pointer("/6").unwrap().as_array().unwrap().len())
            .sum();
        let read: usize = catalog()
            .operations
            .iter()
            .filter(|operation| !operation.method.is_empty())
            .map(|o| o.parameters.len())
            .sum();
        assert_eq!(read, written);
    }

    #[test]
    fn grades_map_onto_the_shared_evidence_scale() {
        let grades: Vec<(&str, Evidence)> =
            catalog().service_classes.iter().map(|class| (class.name.as_str(), class.evidence)).collect();
        assert_eq!(
            grades,
            [
                ("compute", Evidence::Documented),
                ("compute-legacy", Evidence::Documented),
                ("dbaas", Evidence::Documented),
                ("dns", Evidence::Observed),
                ("iam", Evidence::Documented),
                ("sos", Evidence::Documented),
                ("kms", Evidence::Listed),
                ("organization", Evidence::Listed),
                ("ai", Evidence::Inferred),
                ("audit-trail", Evidence::Inferred),
            ]
        );
        assert_eq!(evidence("observed-single-source"), Evidence::Observed);
        assert_eq!(
            catalog().operation("create-instance").map(|operation| operation.evidence),
            Some(Evidence::Documented)
        );
    }

    #[test]
    fn the_version_is_the_fingerprint_of_the_data() {
        assert_eq!(INFO.version.len(), 16);
        assert_eq!(u64::from_str_radix(INFO.version, 16).unwrap(), fnv1a(CATALOG_JSON.as_bytes()));
        assert_ne!(fnv1a(b"a"), fnv1a(b"b"));
        assert_eq!(crate::catalogs(iamlab_model::Provider::Exoscale), [INFO]);
    }

    #[test]
    fn closest_names_suggest_typos_only() {
        let catalog = catalog();
        assert_eq!(catalog.closest_service_class("compte"), Some("compute"));
        assert_eq!(catalog.closest_operation("create-instanse"), Some("create-instance"));
        assert_eq!(catalog.closest_service_class("zzzzzzzzzz"), None);
    }
}
