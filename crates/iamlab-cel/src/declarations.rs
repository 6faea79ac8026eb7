//! The variable catalogue a provider engine supplies to the checker and to
//! [`crate::Activation::from_json_object`].

use std::collections::BTreeMap;
use std::fmt;

/// A static CEL type, as far as iamlab's checker tracks them.
#[derive(Debug, Clone, PartialEq)]
pub enum CelType {
    /// Any value: nothing is checked.
    Dyn,
    Bool,
    Int,
    Uint,
    Double,
    String,
    Bytes,
    Timestamp,
    Duration,
    Null,
    List(Box<CelType>),
    Map(Box<CelType>, Box<CelType>),
    /// A record with known fields (e.g. Scaleway's `request` with `ip`, `time`, `user_agent`);
    /// at run time it is a map with string keys.
    Object(Vec<(String, CelType)>),
}

impl CelType {
    /// The field's type of an [`CelType::Object`].
    pub fn field(&self, name: &str) -> Option<&CelType> {
        match self {
            CelType::Object(fields) => fields.iter().find(|(field, _)| field == name).map(|(_, field_type)| field_type),
            _ => None,
        }
    }

    pub fn is_numeric(&self) -> bool {
        matches!(self, CelType::Int | CelType::Uint | CelType::Double)
    }
}

impl fmt::Display for CelType {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CelType::Dyn => formatter.write_str("dyn"),
            CelType::Bool => formatter.write_str("bool"),
            CelType::Int => formatter.write_str("int"),
            CelType::Uint => formatter.write_str("uint"),
            CelType::Double => formatter.write_str("double"),
            CelType::String => formatter.write_str("string"),
            CelType::Bytes => formatter.write_str("bytes"),
            CelType::Timestamp => formatter.write_str("google.protobuf.Timestamp"),
            CelType::Duration => formatter.write_str("google.protobuf.Duration"),
            CelType::Null => formatter.write_str("null_type"),
            CelType::List(element) => write!(formatter, "list({element})"),
            CelType::Map(key, value) => write!(formatter, "map({key}, {value})"),
            CelType::Object(fields) => {
                formatter.write_str("{")?;
                for (index, (name, field_type)) in fields.iter().enumerate() {
                    if index > 0 {
                        formatter.write_str(", ")?;
                    }
                    write!(formatter, "{name}: {field_type}")?;
                }
                formatter.write_str("}")
            }
        }
    }
}

/// Variables and their types. Names may be dotted (`request.ip`) when a provider documents them
/// that way; the checker and the activation then accept both `request.ip` as one name and
/// `request` as a record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Declarations {
    variables: BTreeMap<String, CelType>,
}

impl Declarations {
    pub fn new() -> Declarations {
        Declarations::default()
    }

    pub fn with_variable(mut self, name: impl Into<String>, variable_type: CelType) -> Declarations {
        self.insert(name, variable_type);
        self
    }

    pub fn insert(&mut self, name: impl Into<String>, variable_type: CelType) {
        self.variables.insert(name.into(), variable_type);
    }

    pub fn variable(&self, name: &str) -> Option<&CelType> {
        self.variables.get(name)
    }

    pub fn variables(&self) -> impl Iterator<Item = (&str, &CelType)> {
        self.variables.iter().map(|(name, variable_type)| (name.as_str(), variable_type))
    }

    pub fn is_empty(&self) -> bool {
        self.variables.is_empty()
    }

    /// The type at a dotted path (`request.time`): a declared dotted name, or the fields of a
    /// declared record.
    pub fn type_of_path(&self, path: &str) -> Option<CelType> {
        if let Some(found) = self.variables.get(path) {
            return Some(found.clone());
        }
        let mut parts = path.split('.');
        let mut current = self.variables.get(parts.next()?)?;
        for part in parts {
            current = match current {
                CelType::Object(_) => current.field(part)?,
                CelType::Map(_, value) => value,
                CelType::Dyn => return Some(CelType::Dyn),
                _ => return None,
            };
        }
        Some(current.clone())
    }

    /// The preset of `dialect`: what its expressions can read (nothing for standard CEL).
    pub fn for_dialect(dialect: crate::Dialect) -> Declarations {
        match dialect {
            crate::Dialect::Standard => Declarations::new(),
            crate::Dialect::Exoscale => Declarations::exoscale(),
            crate::Dialect::Scaleway => Declarations::scaleway(),
        }
    }

    /// Exoscale IAM policy rule bindings (community.exoscale.com, "Write IAM Policies", section
    /// "CEL bindings"; `resources`/`resource` and `identity` as used in Exoscale's examples).
    pub fn exoscale() -> Declarations {
        let dyn_map = || CelType::Map(Box::new(CelType::String), Box::new(CelType::Dyn));
        Declarations::new()
            .with_variable("operation", CelType::String)
            .with_variable("parameters", dyn_map())
            .with_variable("resources", dyn_map())
            // The policy guide's first example writes `resource.sks_nodepool.name`.
            .with_variable("resource", dyn_map())
            .with_variable("identity", dyn_map())
            .with_variable("service", CelType::String)
            .with_variable("zone", CelType::String)
            // The policy guide: "a CEL timestamp (string, can be coerced to CEL timestamp in
            // expressions via timestamp(now))": a string, as the Exoscale engine binds it.
            .with_variable("now", CelType::String)
            .with_variable("source_ip", CelType::String)
            .with_variable("api_key", CelType::String)
    }

    /// Scaleway IAM condition variables (Scaleway docs, "Request-level conditions" and
    /// "Resource-level conditions").
    pub fn scaleway() -> Declarations {
        Declarations::new()
            .with_variable(
                "request",
                CelType::Object(vec![
                    ("ip".to_owned(), CelType::String),
                    ("time".to_owned(), CelType::Timestamp),
                    ("user_agent".to_owned(), CelType::String),
                ]),
            )
            .with_variable(
                "resource",
                CelType::Object(vec![
                    ("name".to_owned(), CelType::String),
                    ("id".to_owned(), CelType::String),
                    ("locality".to_owned(), CelType::String),
                ]),
            )
    }
}
