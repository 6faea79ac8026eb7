//! The Scaleway permission-set catalogue (`data/scaleway-permission-sets.json`, a copy of
//! `../shared/catalogs/scaleway-permission-sets.json` with its sources and notes): 202 sets with
//! their scope type and product, and the curated containment table.
//!
//! Containment between sets is not published as data: each entry of the table reads one set
//! description of the permission-sets page, carries that source and the grade `inferred`, and a
//! decision that relies on it says so. The table is closed transitively once, on first use.

use crate::catalog::{CatalogInfo, Evidence};
use iamlab_model::json::JsonValue;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// The committed file, with its source notes: the tests check the embedded copy against it.
#[cfg(test)]
const CATALOG_JSON: &str = include_str!("../../data/scaleway-permission-sets.json");
/// What the engine reads at run time: the catalogue without its prose (see `build.rs`).
const EMBEDDED_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/scaleway-permission-sets.json"));

/// What a permission set can be scoped to (the API's `PermissionSet.scope_type`, without
/// `unknown_scope_type` and `account_root_user`, which no documented set has).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScopeType {
    /// "Scoped by Project": resources inside Projects (rules with `project_ids`, or
    /// `organization_id` for all current and future Projects).
    Projects,
    /// "Scoped by Organization": IAM, billing, Project management, tickets… (rules with
    /// `organization_id` only).
    Organization,
}

impl ScopeType {
    /// Spelled as the API's `permission_sets_scope_type`.
    pub fn as_str(self) -> &'static str {
        match self {
            ScopeType::Projects => "projects",
            ScopeType::Organization => "organization",
        }
    }
}

/// One permission set of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionSet {
    pub name: String,
    pub scope_type: ScopeType,
    /// The page's section heading (`Compute`, `Organization`…).
    pub category: String,
    /// The page's product heading (`CPU & GPU Instances`), inferred from the name for
    /// Organization-scoped sets.
    pub product: String,
    pub description: String,
    pub evidence: Evidence,
}

/// Why one set contains another: one entry of the curated table (its source and note are in the
/// committed data file, not in the embedded copy: decisions name the grade).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Containment {
    pub container: String,
    pub contains: Vec<String>,
    pub evidence: Evidence,
}

/// How `container` covers `contained`: the chain of sets from the container down, each step
/// an entry of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainmentPath {
    /// `[container, …, contained]`.
    pub chain: Vec<String>,
    /// The weakest grade along the chain.
    pub evidence: Evidence,
}

#[derive(Debug)]
pub struct Catalog {
    pub sets: Vec<PermissionSet>,
    pub containment: Vec<Containment>,
    by_name: HashMap<String, usize>,
    /// For each container, every set it covers (transitively) with the path that shows it.
    covers: HashMap<String, BTreeMap<String, ContainmentPath>>,
}

/// The catalogue, read on first use.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        // The file is embedded and checked by the tests: an unreadable copy would be a build
        // defect, and an empty catalogue (every set unknown) is the safe fallback.
        let (sets, containment) = load(EMBEDDED_JSON).unwrap_or_default();
        Catalog::new(sets, containment)
    })
}

/// What the catalogue is, for share links and the engine's `catalogs`; a test checks `name`
/// and `version` against the data file.
pub const INFO: CatalogInfo = CatalogInfo {
    name: "scaleway-permission-sets",
    version: "2026-11-22.1",
    sources: "Scaleway docs-content permission-sets page (validated 2026-03-20), IAM API v1alpha1, Terraform provider cassettes",
};

/// What share links record about the catalogue: [`INFO`].
pub fn catalog_info() -> CatalogInfo {
    INFO
}

// The loader reads the tree of `iamlab_model::json` (linked anyway) rather than deriving serde
// deserializers: in the wasm bundle that saves the derive's monomorphised visitors (as the
// OUTSCALE catalogue does). `None` when a field is missing or of another type.
fn load(source: &str) -> Option<(Vec<PermissionSet>, Vec<Containment>)> {
    let root = iamlab_model::json::parse_json(source).value?;
    let text = |value: &JsonValue, key: &str| value.get(key).and_then(JsonValue::as_str).map(str::to_owned);
    let mut sets = Vec::new();
    for set in root.get("permission_sets")?.as_array()? {
        sets.push(PermissionSet {
            name: text(set, "name")?,
            scope_type: if text(set, "scope_type")? == "organization" {
                ScopeType::Organization
            } else {
                ScopeType::Projects
            },
            category: text(set, "category")?,
            product: text(set, "product")?,
            description: text(set, "description")?,
            evidence: Evidence::parse(&text(set, "evidence")?),
        });
    }
    let mut containment = Vec::new();
    for entry in root.get("containment")?.as_array()? {
        let contains = entry.get("contains")?.as_array()?;
        containment.push(Containment {
            container: text(entry, "container")?,
            contains: contains.iter().map(|name| name.as_str().map(str::to_owned)).collect::<Option<_>>()?,
            evidence: Evidence::parse(&text(entry, "evidence")?),
        });
    }
    Some((sets, containment))
}

impl Catalog {
    fn new(sets: Vec<PermissionSet>, containment: Vec<Containment>) -> Catalog {
        let by_name = sets.iter().enumerate().map(|(index, set)| (set.name.clone(), index)).collect();
        let covers = close(&containment);
        Catalog { sets, containment, by_name, covers }
    }

    pub fn get(&self, name: &str) -> Option<&PermissionSet> {
        self.by_name.get(name).and_then(|index| self.sets.get(*index))
    }

    /// The known set `name` was most likely meant to be.
    pub fn closest(&self, name: &str) -> Option<&str> {
        if let Some(set) = self.sets.iter().find(|set| set.name.eq_ignore_ascii_case(name)) {
            return Some(&set.name);
        }
        iamlab_model::suggest::closest(name, self.sets.iter().map(|set| set.name.as_str()))
    }

    /// How `container` covers `asked`, when it does through the table (`None` when it does
    /// not, and for `container == asked`, which needs no table).
    pub fn containment(&self, container: &str, asked: &str) -> Option<&ContainmentPath> {
        self.covers.get(container).and_then(|covered| covered.get(asked))
    }

    /// The table entry that says `container` directly contains `contained`.
    pub fn entry(&self, container: &str, contained: &str) -> Option<&Containment> {
        self.containment
            .iter()
            .find(|entry| entry.container == container && entry.contains.iter().any(|name| name == contained))
    }
}

/// The transitive closure of the table, keeping one shortest path per pair (breadth first).
fn close(containment: &[Containment]) -> HashMap<String, BTreeMap<String, ContainmentPath>> {
    // What `name` contains directly, in table order, with each entry's grade. The table has a
    // few dozen entries: scanning it serves, where a map of its own would cost the playground's
    // wasm one more hash table type.
    let direct = |name: &str| {
        let name = name.to_owned();
        containment
            .iter()
            .filter(move |entry| entry.container == name)
            .flat_map(|entry| entry.contains.iter().map(move |contained| (contained.as_str(), entry.evidence)))
    };
    let mut covers: HashMap<String, BTreeMap<String, ContainmentPath>> = HashMap::new();
    for entry in containment {
        let container = entry.container.as_str();
        if covers.contains_key(container) {
            continue;
        }
        let mut found: BTreeMap<String, ContainmentPath> = BTreeMap::new();
        let mut frontier: Vec<ContainmentPath> =
            vec![ContainmentPath { chain: vec![container.to_owned()], evidence: Evidence::Documented }];
        while !frontier.is_empty() {
            let mut next = Vec::new();
            for path in frontier {
                let Some(last) = path.chain.last() else { continue };
                for (contained, evidence) in direct(last) {
                    if contained == container || found.contains_key(contained) {
                        continue;
                    }
                    let mut chain = path.chain.clone();
                    chain.push(contained.to_owned());
                    let extended = ContainmentPath { chain, evidence: path.evidence.max(evidence) };
                    found.insert(contained.to_owned(), extended.clone());
                    next.push(extended);
                }
            }
            frontier = next;
        }
        covers.insert(container.to_owned(), found);
    }
    covers
}

/// The products whose resources support resource-level conditions (`resource.*`): IAM, Key
/// Manager and Secret Manager (supported-products-resource-level page, DC@77662592).
pub fn supports_resource_conditions(set: &PermissionSet) -> bool {
    matches!(set.product.as_str(), "IAM" | "Key Manager" | "Secret Manager")
}

/// The sets whose holders can write policies, and so grant themselves anything
/// (permission-sets page, warning box).
pub const POLICY_WRITING_SETS: [&str; 3] = ["IAMManager", "OrganizationManager", "IAMPolicyManager"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_info_names_the_data_file_and_its_version() {
        let root: serde_json::Value = serde_json::from_str(CATALOG_JSON).unwrap();
        assert_eq!(root["name"].as_str(), Some(INFO.name));
        assert_eq!(root["version"].as_str(), Some(INFO.version));
        assert_eq!(crate::catalogs(iamlab_model::Provider::Scaleway), [INFO]);
    }

    #[test]
    fn the_catalogue_has_every_set_of_the_page_and_a_consistent_table() {
        let catalog = catalog();
        assert_eq!(catalog.sets.len(), 202);
        assert_eq!(catalog.sets.iter().filter(|set| set.scope_type == ScopeType::Organization).count(), 26);
        for entry in &catalog.containment {
            assert!(catalog.get(&entry.container).is_some(), "{}", entry.container);
            for name in &entry.contains {
                let contained = catalog.get(name);
                assert!(contained.is_some(), "{name}");
            }
        }
    }

    #[test]
    fn the_embedded_copy_holds_the_committed_files_entries_and_every_entry_has_its_source() {
        assert_eq!(load(EMBEDDED_JSON), load(CATALOG_JSON));
        assert!(EMBEDDED_JSON.len() < CATALOG_JSON.len());
        let root: serde_json::Value = serde_json::from_str(CATALOG_JSON).unwrap();
        for entry in root["containment"].as_array().unwrap() {
            assert!(entry["source"].as_str().is_some_and(|source| !source.is_empty()), "{entry}");
        }
    }

    #[test]
    fn containment_is_transitive_and_graded() {
        let catalog = catalog();
        let path = catalog.containment("OrganizationManager", "ProjectReadOnly").unwrap();
        assert_eq!(path.chain, ["OrganizationManager", "IAMManager", "ProjectReadOnly"]);
        assert_eq!(path.evidence, Evidence::Inferred);
        assert!(catalog.containment("AllProductsFullAccess", "InstancesServerRead").is_some());
        assert!(catalog.containment("AllProductsFullAccess", "IAMManager").is_none());
        assert!(catalog.containment("OrganizationManager", "InstancesFullAccess").is_none());
        assert!(catalog.containment("InstancesReadOnly", "InstancesFullAccess").is_none());
        assert_eq!(catalog.closest("instancesfullaccess"), Some("InstancesFullAccess"));
        assert_eq!(catalog.closest("InstanceFullAccess"), Some("InstancesFullAccess"));
    }
}
