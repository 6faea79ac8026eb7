//! Fuzzes the Exoscale reader, validator and simulator with arbitrary text as a role or policy,
//! as the organization policy and as the request: never a panic, the pipeline's span invariant
//! (every diagnostic and decision span inside its document, on character boundaries), and every
//! decision names what decided it.

#![no_main]

use iamlab_engine::pipeline::{decision_spans_outside, spans_outside};
use iamlab_engine::{DocumentId, DocumentRole, Options, SimulateError, Source};
use iamlab_model::{Decision, Effect, Layer, Provider};
use libfuzzer_sys::fuzz_target;

const ROLE: &str = r#"{"name":"r","policy":{"default-service-strategy":"allow","services":{"compute":{"type":"rules","rules":[{"action":"deny","expression":"operation == 'create-instance' && (!parameters.has('public_ip_assignment') || parameters.public_ip_assignment != 'none')"},{"action":"allow","expression":"true"}]},"compute-legacy":{"type":"deny"}}}}"#;
const REQUESTS: [&str; 3] = [
    r#"{"operation":"create-instance","zone":"ch-gva-2","source_ip":"203.0.113.7","now":"2026-01-01T00:00:00Z","api_key":"EXO1","parameters":{"public-ip-assignment":"inet4","name":"web"},"resources":{"instance":{"name":"web"}}}"#,
    r#"{"operation":"get-object","parameters":{"bucket":"b","key":"k"}}"#,
    r#"{"operation":"list-dns-domains"}"#,
];

fn source(id: u32, role: DocumentRole, text: &str) -> Source<'_> {
    Source { id: DocumentId(id), role, text }
}

/// Simulates through `analyze` (the playground's path) and checks every finding and the
/// decision against the invariants; `simulate` must decide the same.
fn check(options: &Options, sources: &[Source<'_>]) {
    let text_of = |id: DocumentId| sources.iter().find(|source| source.id == id).map(|source| source.text.to_owned());
    let analysis = iamlab_engine::analyze(options, sources);
    for source in sources {
        let diagnostics = analysis.diagnostics(source.id);
        assert_eq!(spans_outside(source.text, diagnostics), [], "{diagnostics:?}");
    }
    match &analysis.decision {
        Ok(decision) => check_decision(decision, &text_of),
        Err(SimulateError::InvalidDocument { document, diagnostics }) => {
            let text = text_of(*document).unwrap_or_default();
            assert_eq!(spans_outside(&text, diagnostics), [], "refusal of {document:?}: {diagnostics:?}");
        }
        Err(SimulateError::NotImplemented(provider)) => panic!("the {provider} engine simulates"),
    }
    assert_eq!(analysis.decision, iamlab_engine::simulate(options, sources));
}

fn check_decision(decision: &Decision, text_of: &dyn Fn(DocumentId) -> Option<String>) {
    assert_eq!(decision_spans_outside(decision, text_of), [], "{decision:?}");
    // Every Exoscale decision names its deciding element (a rule, a service or the default).
    assert!(!decision.decisive.is_empty(), "{decision:?}");
    if decision.effect == Effect::Allow {
        assert_eq!(decision.decisive.last().and_then(|entry| entry.locator.layer), Some(Layer::Role), "{decision:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = Options::for_provider(Provider::Exoscale);
    for role in [DocumentRole::Policy, DocumentRole::OrganizationPolicy, DocumentRole::Request] {
        let diagnostics = iamlab_engine::validate(&options, &source(0, role, text));
        assert_eq!(spans_outside(text, &diagnostics), [], "as {role:?}: {diagnostics:?}");
    }
    for request in REQUESTS {
        // The input as the role, then as the organization policy over a fixed role.
        check(&options, &[source(0, DocumentRole::Policy, text), source(1, DocumentRole::Request, request)]);
        check(
            &options,
            &[
                source(0, DocumentRole::Policy, ROLE),
                source(1, DocumentRole::OrganizationPolicy, text),
                source(2, DocumentRole::Request, request),
            ],
        );
    }
    check(&options, &[source(0, DocumentRole::Policy, ROLE), source(1, DocumentRole::Request, text)]);
});
