//! Fuzzes the Scaleway reader, validator and simulator with arbitrary text as a policy (next
//! to a fixed one, as a principal's policies are) and as the request: never a panic, every
//! diagnostic span inside the text on character boundaries, every allow names what decided,
//! and every decision span lies inside its document.

#![no_main]

use iamlab_engine::pipeline::{decision_spans_outside, spans_outside};
use iamlab_engine::{DocumentId, DocumentRole, Options, Source};
use iamlab_model::{Effect, Provider};
use libfuzzer_sys::fuzz_target;

const POLICY: &str = r#"{"name":"fixed","organization_id":"org","group_id":"g","rules":[{"permission_set_names":["InstancesFullAccess"],"project_ids":["p"],"condition":"request.time.getHours(\"Europe/Paris\") >= 8 && inIpRange(request.ip, \"203.0.113.0/24\")"},{"permission_set_names":["IAMManager"],"organization_id":"org"}]}"#;
const REQUESTS: [&str; 3] = [
    r#"{"permission_set":"InstancesReadOnly","project_id":"p","context":{"ip":"203.0.113.7","time":"2026-11-23T09:30:00Z","user_agent":"terraform/1.11"},"resource":{"name":"/folder/a","id":"i","locality":"fr-par"}}"#,
    r#"{"permission_set":"IAMReadOnly","organization_id":"org"}"#,
    r#"{"permission_set":"SecretManagerFullAccess","project_id":"p","context":{"ip":"2001:db8::1"}}"#,
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = Options::for_provider(Provider::Scaleway);
    for role in [DocumentRole::Policy, DocumentRole::Request] {
        let source = Source { id: DocumentId(0), role, text };
        let diagnostics = iamlab_engine::validate(&options, &source);
        assert!(spans_outside(text, &diagnostics).is_empty(), "{diagnostics:?}");
    }
    let texts = |id: DocumentId| -> Option<String> {
        match id.0 {
            0 => Some(text.to_owned()),
            1 => Some(POLICY.to_owned()),
            index => REQUESTS.get(index as usize - 2).map(|request| (*request).to_owned()).or(Some(text.to_owned())),
        }
    };
    for (index, request) in REQUESTS.iter().enumerate() {
        let sources = [
            Source { id: DocumentId(0), role: DocumentRole::Policy, text },
            Source { id: DocumentId(1), role: DocumentRole::Policy, text: POLICY },
            Source { id: DocumentId(2 + index as u32), role: DocumentRole::Request, text: request },
        ];
        let analysis = iamlab_engine::analyze(&options, &sources);
        for (id, diagnostics) in &analysis.reports {
            let document = texts(*id).unwrap_or_default();
            assert!(spans_outside(&document, diagnostics).is_empty(), "{diagnostics:?}");
        }
        if let Ok(decision) = &analysis.decision {
            assert!(decision.effect != Effect::Allow || !decision.decisive.is_empty(), "{decision:?}");
            assert!(decision_spans_outside(decision, &texts).is_empty(), "{decision:?}");
        }
    }
    let as_request = [
        Source { id: DocumentId(1), role: DocumentRole::Policy, text: POLICY },
        Source { id: DocumentId(0), role: DocumentRole::Request, text },
    ];
    if let Ok(decision) = iamlab_engine::simulate(&options, &as_request) {
        assert!(decision_spans_outside(&decision, &texts).is_empty(), "{decision:?}");
    }
});
