//! The OUTSCALE/AWS catalogues: EIM's actions by service prefix (`data/outscale-actions.json`,
//! read once), the API/FCU twins, the policy-management actions, and AWS's global condition
//! keys.
//!
//! The actions follow the crate's catalogue convention ([`crate::catalog`]): a trimmed copy of
//! `../shared/catalogs/outscale-actions.json` (sources and notes kept, each action graded with
//! the shared [`Evidence`]), embedded with `include_str!` (21 KB, 4.9 KB gzip) and read on first
//! use into one list sorted by prefix and name, so that lookups are binary searches (validation
//! looks up every action of a 5120-character policy on every keystroke).

use super::operators::ValueType;
use crate::catalog::{CatalogInfo, Evidence};
use iamlab_model::json::JsonValue;
use std::sync::OnceLock;

/// The committed file, with its source notes: the tests check the embedded copy against it.
#[cfg(test)]
const CATALOG_JSON: &str = include_str!("../../data/outscale-actions.json");
/// What the engine reads at run time: the catalogue without its prose (see `build.rs`).
const EMBEDDED_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/outscale-actions.json"));

/// What the action catalogue is; a test checks `name` and `version` against the data file.
pub const CATALOG_INFO: CatalogInfo = CatalogInfo {
    name: "outscale-actions",
    version: "2026-11-22",
    sources: "OUTSCALE API spec 1.40.1, EIM API reference, OUTSCALE QA tests, the old Terraform Go client, osc-cli",
};

/// The service prefixes EIM documents (docs.outscale.com, "EIM Policy Elements", Action).
pub const OUTSCALE_PREFIXES: [&str; 5] = ["api", "ec2", "elasticloadbalancing", "iam", "directconnect"];

/// Prefixes that OUTSCALE honours for EIM users although EIM does not document them: `kms`
/// (OKMS; OUTSCALE QA `test_create_policy.py` T4607: a `kms:*` policy lets `ListKeys` through,
/// and every other test's OKMS denial reads `kms:ListKeys`).
pub const UNDOCUMENTED_PREFIXES: [&str; 1] = ["kms"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogAction {
    pub prefix: String,
    pub name: String,
    /// `Documented` for the complete services (`api`, `iam`); `Observed` for calls exercised by
    /// OUTSCALE's QA tests; `Listed` for calls that only an old client or a completion list
    /// names.
    pub evidence: Evidence,
}

#[derive(Debug, Default, PartialEq)]
struct ActionCatalog {
    /// Sorted by prefix, then name (byte order).
    actions: Vec<CatalogAction>,
    /// The prefixes whose list is complete: an unknown action there is an error.
    complete_prefixes: Vec<String>,
}

/// The catalogue. A unit test reads the embedded data, so the empty fallback is never used in
/// practice; it keeps the engine panic-free all the same.
fn catalog() -> &'static ActionCatalog {
    static CATALOG: OnceLock<ActionCatalog> = OnceLock::new();
    CATALOG.get_or_init(|| load(EMBEDDED_JSON).unwrap_or_default())
}

// The loader reads the tree of `iamlab_model::json` (linked anyway) rather than deriving serde
// deserializers: in the wasm bundle that saves the derive's monomorphized visitors.
fn load(source: &str) -> Option<ActionCatalog> {
    let root = iamlab_model::json::parse_json(source).value?;
    let mut catalog = ActionCatalog::default();
    for service in root.get("services")?.as_array()? {
        let prefix = service.get("prefix")?.as_str()?;
        if service.get("complete").and_then(JsonValue::as_bool) == Some(true) {
            catalog.complete_prefixes.push(prefix.to_owned());
        }
        for grade in service.get("actions")?.as_object()? {
            let evidence = Evidence::parse(&grade.key);
            for name in grade.value.as_array()?.iter().filter_map(JsonValue::as_str) {
                catalog.actions.push(CatalogAction { prefix: prefix.to_owned(), name: name.to_owned(), evidence });
            }
        }
    }
    // Sorted here rather than trusted from the file: binary search depends on it.
    iamlab_model::order::sort_by(&mut catalog.actions, |left, right| {
        (&left.prefix, &left.name).cmp(&(&right.prefix, &right.name))
    });
    Some(catalog)
}

/// Every catalogued action, sorted by prefix then name.
pub fn actions() -> &'static [CatalogAction] {
    &catalog().actions
}

/// The catalogued actions of one service prefix, sorted by name.
pub fn actions_of(prefix: &str) -> &'static [CatalogAction] {
    let all = actions();
    let start = all.partition_point(|action| action.prefix.as_str() < prefix);
    let end = all.partition_point(|action| action.prefix.as_str() <= prefix);
    all.get(start..end).unwrap_or(&[])
}

/// Whether the catalogue's list for `prefix` is complete (an unknown action is then an error).
pub fn is_complete(prefix: &str) -> bool {
    catalog().complete_prefixes.iter().any(|complete| complete == prefix)
}

/// The catalogued action named exactly `prefix:name`.
pub fn find_exact(prefix: &str, name: &str) -> Option<&'static CatalogAction> {
    let actions = actions_of(prefix);
    actions.binary_search_by(|action| action.name.as_str().cmp(name)).ok().and_then(|index| actions.get(index))
}

/// The catalogued action whose name equals `name` ignoring case (for "did you mean").
pub fn find_ignoring_case(prefix: &str, name: &str) -> Option<&'static CatalogAction> {
    let exact_prefix = actions_of(prefix);
    let candidates = if exact_prefix.is_empty() { actions() } else { exact_prefix };
    candidates
        .iter()
        .find(|action| action.prefix.eq_ignore_ascii_case(prefix) && action.name.eq_ignore_ascii_case(name))
}

/// Pairs of OUTSCALE API and FCU actions that reach the same resources, so that denying one
/// without the other leaves the door open (docs.outscale.com, "EIM Policy Generator": "if you
/// want to create a policy denying VMs deletion, then the policy needs to contain both
/// api:DeleteVms and [the FCU twin]"; pairs from the OUTSCALE "AWS Compatibility Matrix"
/// naming). Every name here is checked against the catalogue by a test.
pub const API_FCU_TWINS: [(&str, &str); 26] = [
    ("DeleteVms", "TerminateInstances"),
    ("CreateVms", "RunInstances"),
    ("StopVms", "StopInstances"),
    ("StartVms", "StartInstances"),
    ("RebootVms", "RebootInstances"),
    ("ReadVms", "DescribeInstances"),
    ("UpdateVm", "ModifyInstanceAttribute"),
    ("CreateVolume", "CreateVolume"),
    ("DeleteVolume", "DeleteVolume"),
    ("LinkVolume", "AttachVolume"),
    ("UnlinkVolume", "DetachVolume"),
    ("ReadVolumes", "DescribeVolumes"),
    ("CreateSnapshot", "CreateSnapshot"),
    ("DeleteSnapshot", "DeleteSnapshot"),
    ("CreateImage", "CreateImage"),
    ("DeleteImage", "DeregisterImage"),
    ("CreateKeypair", "CreateKeyPair"),
    ("DeleteKeypair", "DeleteKeyPair"),
    ("CreateSecurityGroup", "CreateSecurityGroup"),
    ("DeleteSecurityGroup", "DeleteSecurityGroup"),
    ("CreateTags", "CreateTags"),
    ("DeleteTags", "DeleteTags"),
    ("CreateNet", "CreateVpc"),
    ("DeleteNet", "DeleteVpc"),
    ("DeleteSubnet", "DeleteSubnet"),
    ("DeletePublicIp", "ReleaseAddress"),
];

/// The FCU (`ec2:`) twin of an `api:` action, or the `api:` twin of an `ec2:` action.
pub fn twin(prefix: &str, name: &str) -> Option<(&'static str, &'static str)> {
    match prefix {
        "api" => API_FCU_TWINS.iter().find(|(api, _)| *api == name).map(|(_, fcu)| ("ec2", *fcu)),
        "ec2" => API_FCU_TWINS.iter().find(|(_, fcu)| *fcu == name).map(|(api, _)| ("api", *api)),
        _ => None,
    }
}

/// Actions that let a user change their own permissions (EIM Policy Generator: "If you allow an
/// EIM user to manage policies or policy versions, they could create a policy bypassing their
/// current permissions and attach it to themselves"). Every name is checked against the
/// catalogue by a test.
pub const POLICY_MANAGEMENT: [(&str, &str); 14] = [
    ("iam", "AttachGroupPolicy"),
    ("iam", "AttachUserPolicy"),
    ("iam", "CreatePolicyVersion"),
    ("iam", "PutGroupPolicy"),
    ("iam", "PutUserPolicy"),
    ("iam", "SetDefaultPolicyVersion"),
    ("iam", "AddUserToGroup"),
    ("api", "LinkPolicy"),
    ("api", "LinkManagedPolicyToUserGroup"),
    ("api", "CreatePolicyVersion"),
    ("api", "SetDefaultPolicyVersion"),
    ("api", "PutUserPolicy"),
    ("api", "PutUserGroupPolicy"),
    ("api", "AddUserToUserGroup"),
];

/// How an OUTSCALE service answers a call that EIM does not allow, as OUTSCALE's QA suite
/// records it (`outscale-ggi/terraform-provider-outscale`
/// `qa_tina_tests/USER/FUNCTIONAL/EIM/Policies/test_create_policy.py`, e.g. T4573 l.63-99,
/// T5656 l.606): a sentence for the explanation of a denial, `None` for a prefix the suite does
/// not exercise. `user` stands in the messages that name the user.
pub fn denial_answer(action: &str, user: &str) -> Option<String> {
    let (prefix, name) = action.split_once(':')?;
    let (service, status, code, written) = match prefix {
        "ec2" => ("FCU", 400, "UnauthorizedOperation", format!("ec2:{name}")),
        "iam" => ("EIM", 400, "AccessDenied", format!("iam:{name}")),
        // The message spells the prefix `ElasticLoadBalancing:` (T4573 l.81).
        "elasticloadbalancing" => ("LBU", 400, "AccessDenied", format!("ElasticLoadBalancing:{name}")),
        "directconnect" => ("DirectLink", 400, "AccessDeniedException", format!("directconnect:{name}")),
        "kms" => ("OKMS", 400, "AccessDeniedException", format!("kms:{name}")),
        // The OUTSCALE API answers 401 with its error code 4 (T4573 l.99 `check_oapi_error(error,
        // 4)`; the message is no longer asserted since the suite's commit 6a328a0).
        "api" => {
            return Some("OUTSCALE answers this call with 401 AccessDenied (OUTSCALE API error code 4)".to_owned())
        }
        _ => return None,
    };
    Some(format!(
        "OUTSCALE answers this call with {status} {code}: \"User: {user} is not authorized to perform: {written}\" ({service})"
    ))
}

/// Well-known global condition keys (AWS "Global condition context keys"): name, value type,
/// multivalued. Names compare ignoring case, as condition keys do.
const GLOBAL_KEYS: [(&str, ValueType, bool); 43] = [
    ("aws:CalledVia", ValueType::String, true),
    ("aws:CalledViaFirst", ValueType::String, false),
    ("aws:CalledViaLast", ValueType::String, false),
    ("aws:CurrentTime", ValueType::Date, false),
    ("aws:Ec2InstanceSourcePrivateIPv4", ValueType::Ip, false),
    ("aws:Ec2InstanceSourceVpc", ValueType::String, false),
    ("aws:EpochTime", ValueType::Date, false),
    ("aws:FederatedProvider", ValueType::String, false),
    ("aws:MultiFactorAuthAge", ValueType::Numeric, false),
    ("aws:MultiFactorAuthPresent", ValueType::Bool, false),
    ("aws:PrincipalAccount", ValueType::String, false),
    ("aws:PrincipalArn", ValueType::Arn, false),
    ("aws:PrincipalIsAWSService", ValueType::Bool, false),
    ("aws:PrincipalOrgID", ValueType::String, false),
    ("aws:PrincipalOrgPaths", ValueType::String, true),
    ("aws:PrincipalServiceName", ValueType::String, false),
    ("aws:PrincipalServiceNamesList", ValueType::String, true),
    ("aws:PrincipalType", ValueType::String, false),
    ("aws:referer", ValueType::String, false),
    ("aws:RequestedRegion", ValueType::String, false),
    ("aws:ResourceAccount", ValueType::String, false),
    ("aws:ResourceOrgID", ValueType::String, false),
    ("aws:ResourceOrgPaths", ValueType::String, true),
    ("aws:SecureTransport", ValueType::Bool, false),
    ("aws:SourceAccount", ValueType::String, false),
    ("aws:SourceArn", ValueType::Arn, false),
    ("aws:SourceIdentity", ValueType::String, false),
    ("aws:SourceIp", ValueType::Ip, false),
    ("aws:SourceOrgID", ValueType::String, false),
    ("aws:SourceOrgPaths", ValueType::String, true),
    ("aws:SourceVpc", ValueType::String, false),
    ("aws:SourceVpcArn", ValueType::Arn, false),
    ("aws:SourceVpce", ValueType::String, false),
    ("aws:TagKeys", ValueType::String, true),
    ("aws:TokenIssueTime", ValueType::Date, false),
    ("aws:UserAgent", ValueType::String, false),
    ("aws:userid", ValueType::String, false),
    ("aws:username", ValueType::String, false),
    ("aws:ViaAWSService", ValueType::Bool, false),
    ("aws:VpceAccount", ValueType::String, false),
    ("aws:VpceOrgID", ValueType::String, false),
    ("aws:VpceOrgPaths", ValueType::String, true),
    ("aws:VpcSourceIp", ValueType::Ip, false),
];

/// Global keys with a `/tag-key` suffix.
const GLOBAL_TAG_KEYS: [&str; 3] = ["aws:PrincipalTag/", "aws:RequestTag/", "aws:ResourceTag/"];

/// What the catalogue knows of a global condition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GlobalKey {
    pub value_type: ValueType,
    /// The key holds a list of values (`aws:TagKeys`): set operators belong to it.
    pub multivalued: bool,
}

/// Every well-known global condition key: name, value type, multivalued; then the tag-key
/// prefixes (`aws:PrincipalTag/`), which take a tag name after the slash.
pub fn global_keys() -> impl Iterator<Item = (&'static str, ValueType, bool)> {
    GLOBAL_KEYS.iter().copied().chain(GLOBAL_TAG_KEYS.iter().map(|prefix| (*prefix, ValueType::String, false)))
}

/// The global condition key named `key` (ignoring case), tag keys included.
pub fn global_key(key: &str) -> Option<GlobalKey> {
    if GLOBAL_TAG_KEYS.iter().any(|prefix| {
        key.len() > prefix.len() && key.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    }) {
        return Some(GlobalKey { value_type: ValueType::String, multivalued: false });
    }
    GLOBAL_KEYS
        .iter()
        .find(|(name, _, _)| name.eq_ignore_ascii_case(key))
        .map(|(_, value_type, multivalued)| GlobalKey { value_type: *value_type, multivalued: *multivalued })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded data loads whole: its own counts match, and binary search finds its entries.
    #[test]
    fn the_embedded_copy_holds_the_committed_files_entries() {
        assert_eq!(load(EMBEDDED_JSON), load(CATALOG_JSON));
        assert!(EMBEDDED_JSON.len() < CATALOG_JSON.len());
    }

    #[test]
    fn the_embedded_catalogue_loads_sorted_with_its_counts() {
        let root = iamlab_model::json::parse_json(CATALOG_JSON).value.unwrap();
        assert_eq!(root.get("name").and_then(JsonValue::as_str), Some(CATALOG_INFO.name));
        assert_eq!(root.get("version").and_then(JsonValue::as_str), Some(CATALOG_INFO.version));
        // The engine's door answers with it for both profiles.
        assert_eq!(crate::catalogs(iamlab_model::Provider::Outscale), [CATALOG_INFO]);
        assert_eq!(
            crate::catalogs(iamlab_model::Provider::Aws),
            [CATALOG_INFO, super::super::aws_catalog::AWS_CATALOG_INFO]
        );
        let counts = root.get("counts").unwrap().as_object().unwrap();
        assert_eq!(counts.len(), OUTSCALE_PREFIXES.len());
        for count in counts {
            assert!(OUTSCALE_PREFIXES.contains(&count.key.as_ref()), "{}", count.key);
            let expected = count.value.as_number().unwrap().raw.parse::<usize>().unwrap();
            assert_eq!(actions_of(&count.key).len(), expected, "{}", count.key);
        }
        assert_eq!(actions().len(), 497);
        for pair in actions().windows(2) {
            assert!((&pair[0].prefix, &pair[0].name) < (&pair[1].prefix, &pair[1].name), "{pair:?}");
        }
        assert!(actions().iter().all(|action| find_exact(&action.prefix, &action.name) == Some(action)));
    }

    #[test]
    fn lookups_grade_and_complete() {
        let evidence = |prefix: &str, name: &str| find_exact(prefix, name).map(|action| action.evidence);
        assert_eq!(evidence("api", "ReadVms"), Some(Evidence::Documented));
        assert_eq!(evidence("ec2", "TerminateInstances"), Some(Evidence::Observed));
        assert_eq!(evidence("elasticloadbalancing", "ApplySecurityGroupsToLoadBalancer"), Some(Evidence::Listed));
        assert_eq!(evidence("api", "readvms"), None);
        assert_eq!(find_ignoring_case("api", "readvms").map(|action| action.name.as_str()), Some("ReadVms"));
        assert_eq!(find_ignoring_case("API", "readvms").map(|action| action.prefix.as_str()), Some("api"));
        for prefix in OUTSCALE_PREFIXES {
            let documented = actions_of(prefix).iter().all(|action| action.evidence == Evidence::Documented);
            assert_eq!(is_complete(prefix), documented, "{prefix}");
        }
        assert_eq!(global_key("AWS:TAGKEYS"), Some(GlobalKey { value_type: ValueType::String, multivalued: true }));
        assert_eq!(global_key("aws:RequestTag/team").map(|key| key.multivalued), Some(false));
        assert_eq!(global_key("aws:RequestTag/"), None);
    }

    #[test]
    fn every_api_fcu_twin_is_a_catalogued_action() {
        for (api, fcu) in API_FCU_TWINS {
            assert!(find_exact("api", api).is_some(), "api:{api} is not catalogued");
            assert!(find_exact("ec2", fcu).is_some(), "ec2:{fcu} is not catalogued");
            assert_eq!(twin("api", api), Some(("ec2", fcu)));
            assert_eq!(twin("ec2", fcu), Some(("api", api)));
        }
    }

    #[test]
    fn every_policy_management_action_is_catalogued() {
        for (prefix, name) in POLICY_MANAGEMENT {
            assert!(find_exact(prefix, name).is_some(), "{prefix}:{name} is not catalogued");
        }
    }
}
