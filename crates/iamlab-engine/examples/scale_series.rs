//! The scale half of `cargo xtask bench-peers`: validation and simulation time of an OUTSCALE
//! policy of 1×, 2×, 4× and 8× EIM's 5120-character limit and of an Exoscale role of 50, 100,
//! 200 and 400 rules (the generators of `benches/outscale.rs` and `benches/exoscale.rs`, grown),
//! and the wildcard matcher against adversarial patterns (`*a*a*…*a` against `aaa…ab`, and a
//! long last segment `*aaa…ab` against `aaa…a`, the matcher's O(n·m) worst case).
//! Prints `bench-peers<TAB>scale<TAB>series<TAB>size<TAB>median ns` per point; xtask fits the
//! exponent. With `--smoke`: one run each, no timing (the figures are 0).

#![expect(clippy::panic, reason = "a benchmark with fixed inputs must stop loudly when they stop simulating")]

use iamlab_engine::outscale::Pattern;
use iamlab_engine::{DocumentId, DocumentRole, Options, Source};
use iamlab_model::Provider;
use std::hint::black_box;
use std::time::Instant;

/// An EIM policy of just under `limit` non-whitespace characters (as in `benches/outscale.rs`).
fn outscale_policy(limit: usize) -> String {
    let verbs = ["Read", "Create", "Delete", "Update", "Link", "Unlink"];
    let nouns = ["Vms", "Volumes", "Nets", "Subnets", "Snapshots", "Images", "Keypairs", "Tags", "PublicIps", "Nics"];
    let mut statements: Vec<String> = Vec::new();
    let mut length = "{\"Statement\":[]}".len();
    for index in 0.. {
        let verb = verbs.get(index % verbs.len()).copied().unwrap_or("Read");
        let effect = if index % 5 == 4 { "Deny" } else { "Allow" };
        let actions: Vec<String> = nouns.iter().map(|noun| format!("\"api:{verb}{noun}\"")).collect();
        let statement = format!(
            "{{\"Sid\":\"S{index}\",\"Effect\":\"{effect}\",\"Action\":[{},\"ec2:Describe*\",\"*:{verb}Tag*\"],\"Resource\":[\"*\"]}}",
            actions.join(",")
        );
        let added = statement.len() + usize::from(!statements.is_empty());
        if length + added > limit {
            break;
        }
        length += added;
        statements.push(statement);
    }
    format!("{{\"Statement\":[{}]}}", statements.join(","))
}

/// An Exoscale role whose `compute` service has `count` rules: `count - 1` that do not match the
/// request, then `true` (as in `benches/exoscale.rs`).
fn exoscale_role(count: usize) -> String {
    let mut rules = Vec::new();
    for index in 0..count - 1 {
        let expression = match index % 5 {
            0 => format!("operation in ['delete-instance', 'stop-instance'] && zone == 'zone-{index}'"),
            1 => format!("has(parameters.name) && parameters.name == 'instance-{index}'"),
            2 => format!("parameters.has('public_ip_assignment') && parameters.public_ip_assignment == 'dual' && zone == 'z{index}'"),
            3 => format!("source_ip.inIpRange('10.{}.0.0/16')", index % 256),
            _ => format!("operation.startsWith('reboot-') && resources.has('instance') && resources.instance.name == 'i{index}'"),
        };
        let action = if index % 2 == 0 { "deny" } else { "allow" };
        rules.push(format!(r#"{{ "action": "{action}", "expression": "{expression}" }}"#));
    }
    rules.push(r#"{ "action": "allow", "expression": "true" }"#.to_owned());
    format!(
        r#"{{"name": "team-role", "policy": {{"default-service-strategy": "deny", "services": {{"compute": {{ "type": "rules", "rules": [{}] }}}}}}}}"#,
        rules.join(",")
    )
}

const OUTSCALE_REQUEST: &str = r#"{"action":"api:DeleteVms"}"#;
const EXOSCALE_REQUEST: &str = r#"{ "operation": "create-instance", "zone": "ch-gva-2", "source_ip": "203.0.113.7",
  "parameters": { "name": "web-1", "public-ip-assignment": "none" }, "resources": { "instance": { "name": "web-1" } } }"#;

fn median_nanos(smoke: bool, mut run: impl FnMut()) -> f64 {
    if smoke {
        run();
        return 0.0;
    }
    let mut samples = Vec::new();
    let deadline = Instant::now();
    while samples.len() < 15 || (samples.len() < 101 && deadline.elapsed().as_millis() < 400) {
        let start = Instant::now();
        run();
        samples.push(start.elapsed().as_nanos() as f64);
    }
    samples.sort_by(f64::total_cmp);
    samples.get(samples.len() / 2).copied().unwrap_or(f64::NAN)
}

fn sources<'text>(policy: &'text str, request: &'text str) -> [Source<'text>; 2] {
    [
        Source { id: DocumentId(0), role: DocumentRole::Policy, text: policy },
        Source { id: DocumentId(1), role: DocumentRole::Request, text: request },
    ]
}

fn series(smoke: bool, provider: Provider, name: &str, points: &[(usize, String)], request: &str) {
    let options = Options::for_provider(provider);
    for (size, policy) in points {
        let documents = sources(policy, request);
        // Validation finds what it finds (the OUTSCALE generator names unknown actions, as in
        // the criterion bench); only the simulation must succeed.
        if let Err(error) = iamlab_engine::simulate(&options, &documents) {
            panic!("{name} at {size}: the policy must simulate: {error}");
        }
        let validate = median_nanos(smoke, || {
            black_box(iamlab_engine::validate(&options, black_box(&documents[0])));
        });
        let simulate = median_nanos(smoke, || {
            black_box(iamlab_engine::simulate(&options, black_box(&documents))).ok();
        });
        println!("bench-peers\tscale\t{name} validate\t{size}\t{validate:.0}");
        println!("bench-peers\tscale\t{name} simulate\t{size}\t{simulate:.0}");
    }
}

/// One glob series: each point matches `pattern` against `text` (neither matches: the matcher
/// must explore every way before it says no). `size` is what grows.
fn glob_series(smoke: bool, name: &str, points: &[(usize, String, String)]) {
    for (size, pattern, text) in points {
        let pattern = Pattern::glob(pattern);
        if pattern.matches(text) {
            panic!("{name} at {size}: the adversarial pattern must not match");
        }
        let nanos = median_nanos(smoke, || {
            black_box(black_box(&pattern).matches(black_box(text)));
        });
        println!("bench-peers\tscale\t{name}\t{size}\t{nanos:.0}");
    }
}

fn main() {
    let smoke = std::env::args().any(|arg| arg == "--smoke");
    let outscale: Vec<(usize, String)> =
        [1, 2, 4, 8].iter().map(|times| (times * 5120, outscale_policy(times * 5120))).collect();
    series(smoke, Provider::Outscale, "outscale policy (chars)", &outscale, OUTSCALE_REQUEST);
    let exoscale: Vec<(usize, String)> =
        [50, 100, 200, 400].iter().map(|count| (*count, exoscale_role(*count))).collect();
    series(smoke, Provider::Exoscale, "exoscale role (rules)", &exoscale, EXOSCALE_REQUEST);
    // `*a` repeated n/2 times against n `a`s and a `b`: pattern and text grow together; one
    // backtracking point keeps it linear where a recursive matcher is exponential.
    let stars: Vec<(usize, String, String)> =
        [1024, 2048, 4096, 8192].iter().map(|n| (*n, "*a".repeat(n / 2), format!("{}b", "a".repeat(*n)))).collect();
    glob_series(smoke, "glob *a*a…*a (n/2 stars) vs a…ab (text chars n)", &stars);
    // A last segment of m characters retried at each of n positions: n·m, linear in n for a
    // fixed m and linear in m for a fixed n.
    let by_text: Vec<(usize, String, String)> =
        [1024, 2048, 4096, 8192].iter().map(|n| (*n, format!("*{}b", "a".repeat(64)), "a".repeat(*n))).collect();
    glob_series(smoke, "glob *a…ab (m = 64) vs a…a (text chars n)", &by_text);
    let by_pattern: Vec<(usize, String, String)> =
        [64, 128, 256, 512].iter().map(|m| (*m, format!("*{}b", "a".repeat(*m)), "a".repeat(4096))).collect();
    glob_series(smoke, "glob *a…ab vs a…a (n = 4096) (pattern chars m)", &by_pattern);
}
