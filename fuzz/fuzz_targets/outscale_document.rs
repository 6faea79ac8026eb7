//! Fuzzes the OUTSCALE/AWS policy reader, validator and simulator: any input must give
//! diagnostics (never a panic), with spans inside the text on character boundaries, and a
//! decision names its deciding statements exactly when it is not an implicit deny.

#![no_main]

use iamlab_engine::{NamedDocument, SimulationInput};
use iamlab_model::Provider;
use libfuzzer_sys::fuzz_target;

const REQUEST: &str = r#"{"action":"ec2:DescribeInstances","resource":"arn:aws:ec2:eu-west-2:123456789012:instance/i-1","context":{"aws:username":"bob","aws:SourceIp":"203.0.113.7","aws:TagKeys":["a","b"],"aws:CurrentTime":"2024-01-01T00:00:00Z","aws:MultiFactorAuthPresent":true}}"#;
const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for provider in [Provider::Outscale, Provider::Aws] {
        for diagnostic in iamlab_engine::validate(provider, text) {
            for label in &diagnostic.labels {
                assert!(label.span.end as usize <= text.len(), "{diagnostic:?}");
                assert!(label.span.slice(text).is_some(), "span off a char boundary: {diagnostic:?}");
            }
        }
        // The input as a policy, then as a request.
        let as_policy = SimulationInput {
            provider,
            policies: vec![NamedDocument { name: "fuzz", text }],
            organization_policy: None,
            owner: false,
            request: NamedDocument { name: "request", text: REQUEST },
        };
        if let Ok(decision) = iamlab_engine::simulate(&as_policy) {
            // An allow or explicit deny names its statements; an implicit deny names none.
            let implicit = decision.effect == iamlab_model::Effect::ImplicitDeny;
            assert_eq!(implicit, decision.decisive.is_empty(), "{decision:?}");
        }
        let as_request = SimulationInput {
            provider,
            policies: vec![NamedDocument { name: "policy", text: POLICY }],
            organization_policy: None,
            owner: false,
            request: NamedDocument { name: "fuzz", text },
        };
        let _ = iamlab_engine::simulate(&as_request);
    }
});
