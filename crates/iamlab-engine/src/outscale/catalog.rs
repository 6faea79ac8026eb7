//! The OUTSCALE action catalogue (`data/outscale-actions.txt`, a compact form of
//! `data/outscale-actions.json`, which keeps the sources and per-action evidence).
//!
//! Embedded as text (10.5 KB, 2.8 KB gzip), sorted by prefix and name, and read once into a
//! list, so that lookups are binary searches (the validator looks up every action of a
//! 5120-character policy on every keystroke).

use std::sync::OnceLock;

const CATALOG: &str = include_str!("../../data/outscale-actions.txt");

/// The service prefixes EIM documents (docs.outscale.com, "EIM Policy Elements", Action).
pub const OUTSCALE_PREFIXES: [&str; 5] = ["api", "ec2", "elasticloadbalancing", "iam", "directconnect"];

/// How much a catalogued action is to be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confidence {
    /// The service's list is complete (`api`, `iam`).
    Complete,
    /// Seen in Outscale's QA tests against real endpoints.
    High,
    /// Seen only in the old Terraform Go client.
    Medium,
    /// Seen only in the osc-cli completion list.
    Low,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogAction {
    pub prefix: &'static str,
    pub name: &'static str,
    pub confidence: Confidence,
}

/// Every catalogued action, in file order.
pub fn actions() -> impl Iterator<Item = CatalogAction> {
    parse()
}

/// The catalogue, sorted by prefix then name in the file itself, parsed on first use.
fn sorted() -> &'static [CatalogAction] {
    static SORTED: OnceLock<Vec<CatalogAction>> = OnceLock::new();
    SORTED.get_or_init(|| parse().collect())
}

/// The catalogued actions of one service prefix, sorted by name.
pub fn actions_of(prefix: &str) -> &'static [CatalogAction] {
    let all = sorted();
    let start = all.partition_point(|action| action.prefix < prefix);
    let end = all.partition_point(|action| action.prefix <= prefix);
    all.get(start..end).unwrap_or(&[])
}

fn parse() -> impl Iterator<Item = CatalogAction> {
    let mut prefix = "";
    let mut complete = false;
    CATALOG.lines().filter_map(move |line| {
        if line.starts_with('#') || line.is_empty() {
            return None;
        }
        if let Some(header) = line.strip_prefix('@') {
            let mut parts = header.split(' ');
            prefix = parts.next().unwrap_or("");
            complete = parts.next() == Some("complete");
            return None;
        }
        let mut parts = line.split(' ');
        let name = parts.next().unwrap_or("");
        let confidence = if complete {
            Confidence::Complete
        } else {
            match parts.next() {
                Some("h") => Confidence::High,
                Some("m") => Confidence::Medium,
                _ => Confidence::Low,
            }
        };
        Some(CatalogAction { prefix, name, confidence })
    })
}

/// Whether the catalogue's list for `prefix` is complete (an unknown action is then an error).
pub fn is_complete(prefix: &str) -> bool {
    matches!(prefix, "api" | "iam")
}

/// The catalogued action named exactly `prefix:name`.
pub fn find_exact(prefix: &str, name: &str) -> Option<CatalogAction> {
    let actions = actions_of(prefix);
    actions.binary_search_by(|action| action.name.cmp(name)).ok().and_then(|index| actions.get(index)).copied()
}

/// The catalogued action whose name equals `name` ignoring case (for "did you mean").
pub fn find_ignoring_case(prefix: &str, name: &str) -> Option<CatalogAction> {
    let exact_prefix = actions_of(prefix);
    let candidates = if exact_prefix.is_empty() { sorted() } else { exact_prefix };
    candidates
        .iter()
        .find(|action| action.prefix.eq_ignore_ascii_case(prefix) && action.name.eq_ignore_ascii_case(name))
        .copied()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Binary search needs the file sorted by prefix, then name.
    #[test]
    fn catalogue_file_is_sorted() {
        let actions = sorted();
        assert!(actions.len() > 400);
        for pair in actions.windows(2) {
            assert!((pair[0].prefix, pair[0].name) < (pair[1].prefix, pair[1].name), "{pair:?}");
        }
        assert_eq!(find_exact("api", "ReadVms").map(|action| action.name), Some("ReadVms"));
        assert_eq!(find_exact("ec2", "TerminateInstances").map(|action| action.confidence), Some(Confidence::High));
        assert_eq!(find_exact("api", "readvms"), None);
        assert_eq!(find_ignoring_case("api", "readvms").map(|action| action.name), Some("ReadVms"));
    }
}
