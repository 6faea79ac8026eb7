//! Fuzzes the Exoscale reader, validator and simulator with arbitrary text as a role or policy,
//! as the organization policy and as the request: never a panic, every diagnostic span inside
//! the text on character boundaries, every decision names what decided it, and every
//! explanation span lies inside its document.

#![no_main]

use iamlab_engine::{exoscale, NamedDocument, SimulationInput};
use iamlab_model::{Decision, Diagnostic, Effect, Provider};
use libfuzzer_sys::fuzz_target;

const ROLE: &str = r#"{"name":"r","policy":{"default-service-strategy":"allow","services":{"compute":{"type":"rules","rules":[{"action":"deny","expression":"operation == 'create-instance' && (!parameters.has('public_ip_assignment') || parameters.public_ip_assignment != 'none')"},{"action":"allow","expression":"true"}]},"compute-legacy":{"type":"deny"}}}}"#;
const REQUESTS: [&str; 3] = [
    r#"{"operation":"create-instance","zone":"ch-gva-2","source_ip":"203.0.113.7","now":"2026-01-01T00:00:00Z","api_key":"EXO1","parameters":{"public-ip-assignment":"inet4","name":"web"},"resources":{"instance":{"name":"web"}}}"#,
    r#"{"operation":"get-object","parameters":{"bucket":"b","key":"k"}}"#,
    r#"{"operation":"list-dns-domains"}"#,
];

fn check_spans(text: &str, diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        for label in &diagnostic.labels {
            assert!(label.span.slice(text).is_some(), "span outside the text or off a char boundary: {diagnostic:?}");
        }
    }
}

fn check_decision(decision: &Decision, documents: &[(&str, &str)]) {
    // Every Exoscale decision names its deciding element (a rule, a service or the default).
    assert!(!decision.decisive.is_empty(), "{decision:?}");
    if decision.effect == Effect::Allow {
        assert_eq!(decision.decisive.last().and_then(|entry| entry.layer.as_deref()), Some("role"), "{decision:?}");
    }
    for step in &decision.explanation {
        let Some((_, text)) = documents.iter().find(|(name, _)| *name == step.document) else { continue };
        for span in step.span.iter().chain(step.trace.iter().filter_map(|entry| entry.span.as_ref())) {
            assert!(span.slice(text).is_some(), "explanation span outside {}: {step:?}", step.document);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    check_spans(text, &iamlab_engine::validate(Provider::Exoscale, text));
    check_spans(text, &exoscale::validate_organization_policy(text));
    for request in REQUESTS {
        let as_role = SimulationInput {
            provider: Provider::Exoscale,
            policies: vec![NamedDocument { name: "fuzz", text }],
            organization_policy: None,
            owner: false,
            request: NamedDocument { name: "request", text: request },
        };
        if let Ok(decision) = iamlab_engine::simulate(&as_role) {
            check_decision(&decision, &[("fuzz", text)]);
        }
        let as_organization = SimulationInput {
            provider: Provider::Exoscale,
            policies: vec![NamedDocument { name: "role", text: ROLE }],
            organization_policy: Some(NamedDocument { name: "fuzz", text }),
            owner: false,
            request: NamedDocument { name: "request", text: request },
        };
        if let Ok(decision) = iamlab_engine::simulate(&as_organization) {
            check_decision(&decision, &[("fuzz", text), ("role", ROLE)]);
        }
    }
    let as_request = SimulationInput {
        provider: Provider::Exoscale,
        policies: vec![NamedDocument { name: "role", text: ROLE }],
        organization_policy: None,
        owner: false,
        request: NamedDocument { name: "fuzz", text },
    };
    if let Ok(decision) = iamlab_engine::simulate(&as_request) {
        check_decision(&decision, &[("role", ROLE)]);
    }
});
