//! The embedded OUTSCALE action catalogue (`data/outscale-actions.txt`) must say exactly what
//! its source `data/outscale-actions.json` says, and the API/FCU twins must be real actions.

use crate::support::workspace_root;
use iamlab_engine::outscale::catalog::{self, Confidence};
use serde_json::Value;

#[test]
fn compact_catalogue_matches_the_json_source() {
    let path = workspace_root().join("crates/iamlab-engine/data/outscale-actions.json");
    let source: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut expected = Vec::new();
    for (prefix, group) in source["groups"].as_object().unwrap() {
        let complete = group["completeness"].as_str().unwrap().starts_with("complete");
        for action in group["actions"].as_array().unwrap() {
            let name = action["name"].as_str().unwrap().to_owned();
            assert_eq!(action["action"].as_str().unwrap(), format!("{prefix}:{name}"));
            let confidence = if complete {
                Confidence::Complete
            } else {
                match action["confidence"].as_str().unwrap() {
                    "high" => Confidence::High,
                    "medium" => Confidence::Medium,
                    "low" => Confidence::Low,
                    other => panic!("unknown confidence {other}"),
                }
            };
            expected.push((prefix.clone(), name, confidence));
        }
    }
    let mut embedded: Vec<(String, String, Confidence)> = catalog::actions()
        .map(|action| (action.prefix.to_owned(), action.name.to_owned(), action.confidence))
        .collect();
    // serde_json orders the groups by name; the embedded file keeps the source order.
    embedded.sort_by(|left, right| (&left.0, &left.1).cmp(&(&right.0, &right.1)));
    expected.sort_by(|left, right| (&left.0, &left.1).cmp(&(&right.0, &right.1)));
    assert_eq!(embedded.len(), expected.len());
    for (embedded, expected) in embedded.iter().zip(&expected) {
        assert_eq!(embedded, expected);
    }
    for (prefix, _, confidence) in &embedded {
        assert_eq!(catalog::is_complete(prefix), *confidence == Confidence::Complete, "{prefix}");
    }
    let counts = &source["counts"];
    for prefix in ["api", "iam", "ec2", "elasticloadbalancing", "directconnect"] {
        let count = embedded.iter().filter(|(p, _, _)| p == prefix).count();
        assert_eq!(Some(count as u64), counts[prefix].as_u64(), "{prefix}");
    }
}

#[test]
fn every_api_fcu_twin_is_a_catalogued_action() {
    for (api, fcu) in catalog::API_FCU_TWINS {
        assert!(catalog::find_exact("api", api).is_some(), "api:{api} is not catalogued");
        assert!(catalog::find_exact("ec2", fcu).is_some(), "ec2:{fcu} is not catalogued");
        assert_eq!(catalog::twin("api", api), Some(("ec2", fcu)));
        assert_eq!(catalog::twin("ec2", fcu), Some(("api", api)));
    }
}

#[test]
fn every_policy_management_action_is_catalogued() {
    for (prefix, name) in catalog::POLICY_MANAGEMENT {
        assert!(catalog::find_exact(prefix, name).is_some(), "{prefix}:{name} is not catalogued");
    }
}
