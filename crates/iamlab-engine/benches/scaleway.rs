//! Simulation and validation time of the Scaleway engine on what the playground re-runs on
//! every keystroke: 10 policies of 10 rules each, every rule with a CEL condition, the granting
//! rule being the last one of the last policy so that every rule is evaluated.
//!
//! Run: `cargo bench -p iamlab-engine --bench scaleway`.

#![expect(clippy::panic, reason = "a benchmark with fixed inputs must stop loudly when they stop simulating")]

use criterion::{criterion_group, criterion_main, Criterion};
use iamlab_engine::{DocumentId, DocumentRole, Options, Source};
use iamlab_model::{Effect, Provider};
use std::hint::black_box;

const ORGANIZATION: &str = "c6842bac-7938-4c04-9e03-f48147eee1f1";

/// Policy `policy` of ten rules: Project-scoped sets with request- and resource-level conditions.
fn policy(policy: usize) -> String {
    let conditions = [
        r#"request.time.getDayOfWeek(\"Europe/Paris\") != 0 && request.time.getHours(\"Europe/Paris\") >= 8"#,
        r#"inIpRange(request.ip, \"203.0.113.0/24\") || request.user_agent.contains(\"terraform/\")"#,
        r#"resource.name.startsWith(\"/folder/\") || !has(resource.id)"#,
        r#"request.user_agent.matches(\"^scaleway-sdk-go/\") && request.time < timestamp(\"2027-01-01T00:00:00Z\")"#,
        r#"resource.locality == \"fr-par-1\" || resource.locality == \"nl-ams-1\""#,
    ];
    let sets = ["InstancesFullAccess", "ObjectStorageReadOnly", "SecretManagerFullAccess", "KubernetesReadOnly"];
    let rules: Vec<String> = (0..10)
        .map(|rule| {
            let last = policy == 9 && rule == 9;
            let project = if last { "project-target".to_owned() } else { format!("project-{policy}-{rule}") };
            let set = if last {
                "SecretManagerFullAccess"
            } else {
                sets.get(rule % sets.len()).copied().unwrap_or("InstancesFullAccess")
            };
            let condition = conditions.get(rule % conditions.len()).copied().unwrap_or("true");
            format!(r#"{{"permission_set_names":["{set}"],"project_ids":["{project}"],"condition":"{condition}"}}"#)
        })
        .collect();
    format!(
        r#"{{"name":"policy-{policy}","organization_id":"{ORGANIZATION}","user_id":"u-1","rules":[{}]}}"#,
        rules.join(",")
    )
}

const REQUEST: &str = r#"{"permission_set":"SecretManagerFullAccess","project_id":"project-target",
 "context":{"ip":"203.0.113.7","time":"2026-11-23T09:30:00Z","user_agent":"scaleway-sdk-go/v1.0.0 terraform/1.11.3"},
 "resource":{"name":"/folder/secret1","id":"s-1","locality":"fr-par-1"}}"#;

fn benches(criterion: &mut Criterion) {
    let policies: Vec<String> = (0..10).map(policy).collect();
    let mut sources: Vec<Source<'_>> = policies
        .iter()
        .enumerate()
        .map(|(index, text)| Source { id: DocumentId(index as u32), role: DocumentRole::Policy, text })
        .collect();
    sources.push(Source { id: DocumentId(10), role: DocumentRole::Request, text: REQUEST });
    let options = Options::for_provider(Provider::Scaleway);
    match iamlab_engine::simulate(&options, &sources) {
        Ok(decision) if decision.effect == Effect::Allow && decision.decisive.len() == 1 => {}
        other => panic!("the benchmark input must be allowed by its last rule: {other:?}"),
    }
    criterion.bench_function("scaleway simulate 10 policies x 10 rules", |bench| {
        bench.iter(|| iamlab_engine::simulate(&options, black_box(&sources)))
    });
    // The same decision without traces: the conditions run as compiled programs.
    criterion.bench_function("scaleway decide 10 policies x 10 rules (programs, no traces)", |bench| {
        bench.iter(|| iamlab_engine::decide(&options, black_box(&sources)))
    });
    criterion.bench_function("scaleway analyze 10 policies x 10 rules", |bench| {
        bench.iter(|| iamlab_engine::analyze(&options, black_box(&sources)))
    });
    let first = sources.first().copied().unwrap_or(Source { id: DocumentId(0), role: DocumentRole::Policy, text: "" });
    criterion.bench_function("scaleway validate one policy of 10 rules", |bench| {
        bench.iter(|| iamlab_engine::validate(&options, black_box(&first)))
    });
}

criterion_group!(scaleway, benches);
criterion_main!(scaleway);
