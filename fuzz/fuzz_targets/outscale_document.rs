//! Fuzzes the OUTSCALE/AWS policy reader, validator and simulator: any input must give
//! diagnostics (never a panic) that keep the pipeline's span invariant (inside the text, on
//! character boundaries), and a decision keeps it too and names its deciding statements exactly
//! when it is not an implicit deny.

#![no_main]

use iamlab_engine::pipeline::{decision_spans_outside, spans_outside};
use iamlab_engine::{DocumentId, DocumentRole, Options, SimulateError, Source};
use iamlab_model::{Effect, Provider};
use libfuzzer_sys::fuzz_target;

const REQUEST: &str = r#"{"action":"ec2:DescribeInstances","resource":"arn:aws:ec2:eu-west-2:123456789012:instance/i-1","context":{"aws:username":"bob","aws:SourceIp":"203.0.113.7","aws:TagKeys":["a","b"],"aws:CurrentTime":"2024-01-01T00:00:00Z","aws:MultiFactorAuthPresent":true}}"#;
const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

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
        Ok(decision) => {
            assert_eq!(decision_spans_outside(decision, &text_of), [], "{decision:?}");
            // An allow or explicit deny names its statements; an implicit deny names none.
            let implicit = decision.effect == Effect::ImplicitDeny;
            assert_eq!(implicit, decision.decisive.is_empty(), "{decision:?}");
        }
        Err(SimulateError::InvalidDocument { document, diagnostics }) => {
            let text = text_of(*document).unwrap_or_default();
            assert_eq!(spans_outside(&text, diagnostics), [], "refusal of {document:?}: {diagnostics:?}");
        }
        Err(SimulateError::NotImplemented(provider)) => panic!("the {provider} engine simulates"),
    }
    assert_eq!(analysis.decision, iamlab_engine::simulate(options, sources));
}

fn source(id: u32, role: DocumentRole, text: &str) -> Source<'_> {
    Source { id: DocumentId(id), role, text }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for provider in [Provider::Outscale, Provider::Aws] {
        let options = Options::for_provider(provider);
        let roles =
            [DocumentRole::Policy, DocumentRole::ManagedPolicy, DocumentRole::InlinePolicy, DocumentRole::Request];
        for role in roles {
            let diagnostics = iamlab_engine::validate(&options, &source(0, role, text));
            assert_eq!(spans_outside(text, &diagnostics), [], "{provider} as {role:?}: {diagnostics:?}");
        }
        // The input as a policy, then as the request.
        check(&options, &[source(0, DocumentRole::Policy, text), source(1, DocumentRole::Request, REQUEST)]);
        check(&options, &[source(0, DocumentRole::Policy, POLICY), source(1, DocumentRole::Request, text)]);
    }
});
