//! Exoscale engine benchmarks: validation and simulation of a 50-rule role, the size of policy
//! people write for a whole team, re-run on every keystroke in the editor.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use iamlab_engine::{exoscale, Detail, DocumentId, DocumentRole, Options, Source};
use iamlab_model::Provider;

/// A role whose `compute` service has 50 rules: 49 that do not match the benchmark request
/// (mixing operation lists, parameter tests with guards, zone and IP conditions), then `true`.
fn fifty_rule_role() -> String {
    let mut rules = Vec::new();
    for index in 0..49 {
        let expression = match index % 5 {
            0 => format!("operation in ['delete-instance', 'stop-instance'] && zone == 'zone-{index}'"),
            1 => format!("has(parameters.name) && parameters.name == 'instance-{index}'"),
            2 => format!("parameters.has('public_ip_assignment') && parameters.public_ip_assignment == 'dual' && zone == 'z{index}'"),
            3 => format!("source_ip.inIpRange('10.{index}.0.0/16')"),
            _ => format!("operation.startsWith('reboot-') && resources.has('instance') && resources.instance.name == 'i{index}'"),
        };
        let action = if index % 2 == 0 { "deny" } else { "allow" };
        rules.push(format!(r#"{{ "action": "{action}", "expression": "{expression}" }}"#));
    }
    rules.push(r#"{ "action": "allow", "expression": "true" }"#.to_owned());
    format!(
        r#"{{
  "name": "team-role",
  "description": "fifty rules",
  "policy": {{
    "default-service-strategy": "deny",
    "services": {{
      "compute": {{ "type": "rules", "rules": [
        {}
      ] }},
      "dns": {{ "type": "allow" }},
      "sos": {{ "type": "deny" }}
    }}
  }}
}}"#,
        rules.join(",\n        ")
    )
}

/// A 1 MB paste: 3,000 deny rules, each naming 20 unknown operations and reading an unknown,
/// unguarded parameter and resource — about 69,000 findings.
fn pathological_policy() -> String {
    let mut rules = Vec::new();
    for index in 0..3000 {
        let operations: Vec<String> = (0..20).map(|name| format!("'op-{index}-{name}'")).collect();
        rules.push(format!(
            r#"{{"action":"deny","expression":"operation in [{}] && parameters.p{index} == 'x' && resources.r{index}.name == 'y'"}}"#,
            operations.join(",")
        ));
    }
    format!(
        r#"{{"default-service-strategy":"allow","services":{{"compute":{{"type":"rules","rules":[{}]}}}}}}"#,
        rules.join(",")
    )
}

const REQUEST: &str = r#"{ "operation": "create-instance", "zone": "ch-gva-2", "source_ip": "203.0.113.7",
  "parameters": { "name": "web-1", "public-ip-assignment": "none" }, "resources": { "instance": { "name": "web-1" } } }"#;

fn policy(text: &str) -> Source<'_> {
    Source { id: DocumentId(0), role: DocumentRole::Policy, text }
}

fn benchmarks(criterion: &mut Criterion) {
    let options = Options::for_provider(Provider::Exoscale);
    let role = fifty_rule_role();
    assert!(
        !iamlab_engine::validate(&options, &policy(&role)).iter().any(|diagnostic| diagnostic.is_error()),
        "the benchmark role must be valid"
    );
    let sources = [policy(&role), Source { id: DocumentId(1), role: DocumentRole::Request, text: REQUEST }];
    let decision = iamlab_engine::simulate(&options, &sources).map(|decision| decision.decisive);
    assert!(
        decision.as_ref().is_ok_and(|decisive| decisive.iter().any(|entry| entry.locator.index == Some(49))),
        "the 50th rule must decide: {decision:?}"
    );
    criterion.bench_function("exoscale/validate 50-rule role", |bench| {
        bench.iter(|| iamlab_engine::validate(&options, &policy(black_box(&role))))
    });
    criterion.bench_function("exoscale/simulate 50-rule role (50th rule decides)", |bench| {
        bench.iter(|| iamlab_engine::simulate(&options, black_box(&sources)))
    });
    // The same decision without traces: the rules run as compiled programs.
    criterion.bench_function("exoscale/decide 50-rule role (programs, no traces)", |bench| {
        bench.iter(|| iamlab_engine::decide(&options, black_box(&sources)))
    });
    // The playground's grid of test cases: 20 requests against the role read once.
    let [role_source, request_source] = sources;
    let requests: Vec<Source<'_>> =
        (0..20).map(|index| Source { id: DocumentId(1 + index), ..request_source }).collect();
    for detail in [Detail::Explained, Detail::DecisionOnly] {
        criterion.bench_function(&format!("exoscale/test grid 20 cases 50-rule role ({detail:?})"), |bench| {
            bench.iter(|| iamlab_engine::simulate_each(&options, &[role_source], black_box(&requests), detail))
        });
    }
    // What the playground runs on every keystroke: each document read (and each expression
    // compiled) once for both the findings and the decision.
    criterion.bench_function("exoscale/analyze 50-rule role (validate + simulate)", |bench| {
        bench.iter(|| iamlab_engine::analyze(&options, black_box(&sources)))
    });
    // The editor's highlighting of the same role (about 6 KB), once per text.
    criterion.bench_function("exoscale/highlight 50-rule role", |bench| {
        bench.iter(|| {
            iamlab_engine::authoring::highlight::highlight(Provider::Exoscale, DocumentRole::Policy, black_box(&role))
        })
    });
    criterion.bench_function("exoscale/catalogue lookup", |bench| {
        bench.iter(|| {
            exoscale::catalog().operation(black_box("create-instance")).map(|operation| operation.parameters.len())
        })
    });
}

fn pathological(criterion: &mut Criterion) {
    let options = Options::for_provider(Provider::Exoscale);
    let text = pathological_policy();
    assert!(text.len() > 1_000_000);
    let mut group = criterion.benchmark_group("exoscale/pathological");
    group.sample_size(10);
    group.bench_function("validate 1 MB policy with 69k findings", |bench| {
        bench.iter(|| iamlab_engine::validate(&options, &policy(black_box(&text))).len())
    });
    group.finish();
}

criterion_group!(exoscale_benches, benchmarks, pathological);
criterion_main!(exoscale_benches);
