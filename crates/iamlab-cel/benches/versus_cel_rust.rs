//! iamlab-cel versus cel-rust (the `cel` crate) on IAM-style expressions: each expression is
//! compiled once per engine (iamlab's `Program`), then evaluated repeatedly against the same variables. Before
//! measuring, both engines must agree on the result. After criterion's report, one line per
//! expression gives the ratio of the medians (cel-rust time / iamlab time).
//!
//! Run: `cargo bench -p iamlab-cel` (criterion's HTML report lands in target/criterion).
#![expect(clippy::unwrap_used, reason = "a benchmark whose setup fails should stop loudly")]

use criterion::{black_box, Criterion};
use iamlab_cel::{parse, Activation, Declarations, Dialect, Program, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// (name, iamlab dialect, expression). Both engines run the same text; dialect functions that
/// cel-rust lacks (`inIpRange`) are registered on its side as custom functions.
pub(crate) const EXPRESSIONS: &[(&str, Dialect, &str)] = &[
    ("exoscale_dns_not_txt", Dialect::Exoscale, "'type' in parameters && parameters.type != 'TXT'"),
    (
        "exoscale_operation_and_resource",
        Dialect::Exoscale,
        "operation in ['create-instance', 'scale-instance-pool', 'start-instance'] && resources.instance.name.startsWith('web-')",
    ),
    ("exoscale_ip_filter_all", Dialect::Exoscale, "parameters.ip_filter.all(f, f != '0.0.0.0/0')"),
    ("exoscale_matches", Dialect::Exoscale, "operation.matches('^(create|update)-dns-domain-record$')"),
    ("scaleway_user_agent", Dialect::Scaleway, "request.user_agent.contains('terraform/')"),
    (
        "scaleway_office_hours",
        Dialect::Scaleway,
        "request.time.getDayOfWeek() != 0 && request.time.getDayOfWeek() != 6 && request.time.getHours('Europe/Paris') < 17 && request.time.getHours('Europe/Paris') > 8",
    ),
    ("scaleway_in_ip_range", Dialect::Scaleway, "inIpRange(request.ip, '203.0.113.0/24')"),
    // The documented examples (sources in DIALECTS.md and docs/semantics/scaleway.md).
    // Exoscale policy guide ("Write IAM Policies"): the receiver `has` and a list of names.
    ("exoscale_doc_has_type", Dialect::Exoscale, "parameters.has('type') && parameters.type != 'TXT'"),
    ("exoscale_doc_nodepool_in", Dialect::Exoscale, "resources.sks_nodepool.name in ['important-nodepool', 'foobar']"),
    // Exoscale bucket policy page: IPv4 or IPv6 source.
    (
        "exoscale_doc_bucket_source_ip",
        Dialect::Exoscale,
        "source_ip.inIpRange('89.145.160.0/24') || source_ip.inIpRange('2a04:c46::/32')",
    ),
    // terraform-provider-exoscale `examples/iam-bucket-access`.
    ("exoscale_doc_bucket_not_in", Dialect::Exoscale, "!(parameters.bucket in ['private-data', 'backups'])"),
    // Scaleway request-level conditions: weekends, and the logical-operators example.
    (
        "scaleway_doc_weekend",
        Dialect::Scaleway,
        "request.time.getDayOfWeek() == 0 || request.time.getDayOfWeek() == 6",
    ),
    (
        "scaleway_doc_year_and_ip",
        Dialect::Scaleway,
        "request.time.getFullYear() < 2020 && request.ip == '10.154.3.1'",
    ),
    // Scaleway resource-level conditions: a folder, with listing kept working, and a locality.
    (
        "scaleway_doc_folder_and_ip",
        Dialect::Scaleway,
        "resource.name.startsWith('/folder/') && request.ip == '10.0.0.1'",
    ),
    ("scaleway_doc_folder_or_listing", Dialect::Scaleway, "resource.name.startsWith('/folder/') || !has(resource.id)"),
    ("scaleway_doc_locality", Dialect::Scaleway, "resource.locality.startsWith('fr-par')"),
];

pub(crate) fn variables() -> serde_json::Value {
    serde_json::json!({
        "operation": "create-instance",
        "parameters": {
            "type": "A",
            "name": "www",
            "bucket": "public-assets",
            "ip_filter": ["10.0.0.0/8", "192.0.2.0/24", "198.51.100.0/24"]
        },
        "resources": {"instance": {"name": "web-01"}, "sks_nodepool": {"name": "foobar"}},
        "source_ip": "2a04:c46:0:1::10",
        "resource": {"name": "/folder/secret1", "id": "5a3b2c1d-0000-4000-8000-000000000001", "locality": "fr-par-1"},
        "request": {
            "ip": "203.0.113.9",
            "time": "2024-07-16T08:30:00Z",
            "user_agent": "Terraform/1.9.0 terraform-provider-scaleway/2.40 terraform/1.9"
        },
    })
}

pub(crate) fn iamlab_activation(dialect: Dialect) -> Activation {
    let declarations = match dialect {
        Dialect::Scaleway => Declarations::scaleway(),
        _ => Declarations::exoscale(),
    };
    Activation::from_json_object(&variables(), &declarations).unwrap()
}

pub(crate) fn cel_rust_context() -> cel::Context<'static, 'static> {
    let mut context = cel::Context::default();
    let json = variables();
    for (name, value) in json.as_object().unwrap() {
        let mut value = cel::to_value(value).unwrap();
        if name == "request" {
            // request.time is a timestamp, as in iamlab's Scaleway declarations.
            if let cel::Value::Map(map) = &mut value {
                let mut entries: std::collections::HashMap<cel::objects::Key, cel::Value> = (*map.map).clone();
                let time = chrono::DateTime::parse_from_rfc3339("2024-07-16T08:30:00Z").unwrap();
                entries.insert(cel::objects::Key::String(Arc::new("time".to_owned())), cel::Value::Timestamp(time));
                map.map = Arc::new(entries);
            }
        }
        context.add_variable_from_value(name.clone(), value);
    }
    // Both forms: Scaleway's global `inIpRange(ip, range)` and Exoscale's `ip.inIpRange(range)`
    // (`This` is the receiver, or else the first argument).
    context
        .add_function(
            "inIpRange",
            |cel::extractors::This(ip): cel::extractors::This<Arc<String>>, range: Arc<String>| {
                ip_in_range(&ip, &range)
            },
        )
        .unwrap();
    // Exoscale's receiver `map.has('key')`.
    context
        .add_function(
            "has",
            |cel::extractors::This(map): cel::extractors::This<cel::Value>, key: Arc<String>| match map {
                cel::Value::Map(map) => map.map.contains_key(&cel::objects::Key::String(key)),
                _ => false,
            },
        )
        .unwrap();
    context
}

/// A plain CIDR check for the cel-rust side (IPv4 and IPv6, addresses of different families
/// never match).
fn ip_in_range(ip: &str, range: &str) -> bool {
    let Some((network, prefix)) = range.split_once('/') else { return false };
    let (Ok(ip), Ok(network), Ok(prefix)) =
        (ip.parse::<std::net::IpAddr>(), network.parse::<std::net::IpAddr>(), prefix.parse::<u32>())
    else {
        return false;
    };
    let (ip, network, bits) = match (ip, network) {
        (std::net::IpAddr::V4(ip), std::net::IpAddr::V4(network)) => {
            (u128::from(u32::from(ip)), u128::from(u32::from(network)), 32)
        }
        (std::net::IpAddr::V6(ip), std::net::IpAddr::V6(network)) => (u128::from(ip), u128::from(network), 128),
        _ => return false,
    };
    prefix == 0 || (prefix <= bits && ip >> (bits - prefix) == network >> (bits - prefix))
}

pub(crate) fn cel_rust_to_bool(value: &cel::Value) -> Option<bool> {
    match value {
        cel::Value::Bool(value) => Some(*value),
        _ => None,
    }
}

/// The median time of one evaluation, measured outside criterion for the ratio line.
fn median_nanos(mut run: impl FnMut()) -> f64 {
    let mut samples = Vec::new();
    for _ in 0..31 {
        let start = Instant::now();
        for _ in 0..2_000 {
            run();
        }
        samples.push(start.elapsed().as_nanos() as f64 / 2_000.0);
    }
    samples.sort_by(f64::total_cmp);
    samples.get(samples.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() {
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .configure_from_args();
    let context = cel_rust_context();
    let mut ratios = Vec::new();
    for (name, dialect, source) in EXPRESSIONS {
        let compiled = Program::compile(&parse(source, *dialect).ast.unwrap(), *dialect);
        let activation = iamlab_activation(*dialect);
        let program = cel::Program::compile(source).unwrap();
        let ours = compiled.evaluate(&activation).unwrap();
        let theirs = program.execute(&context).unwrap();
        assert_eq!(Some(ours == Value::Bool(true)), cel_rust_to_bool(&theirs), "{name}: the engines disagree");
        let mut group = criterion.benchmark_group(*name);
        group.bench_function("iamlab", |bencher| bencher.iter(|| compiled.evaluate(black_box(&activation))));
        group.bench_function("cel-rust", |bencher| bencher.iter(|| program.execute(black_box(&context))));
        group.finish();
        let iamlab = median_nanos(|| {
            black_box(compiled.evaluate(black_box(&activation))).ok();
        });
        let cel_rust = median_nanos(|| {
            black_box(program.execute(black_box(&context))).ok();
        });
        ratios.push((*name, iamlab, cel_rust));
    }
    criterion.final_summary();
    println!("\niamlab-cel versus cel-rust 0.15 (median per evaluation)");
    println!("{:<34} {:>12} {:>12} {:>8}", "expression", "iamlab", "cel-rust", "ratio");
    for (name, iamlab, cel_rust) in &ratios {
        println!("{name:<34} {:>10.0}ns {:>10.0}ns {:>7.1}x", iamlab, cel_rust, cel_rust / iamlab);
    }
    let geometric_mean =
        (ratios.iter().map(|(_, iamlab, cel_rust)| (cel_rust / iamlab).ln()).sum::<f64>() / ratios.len() as f64).exp();
    println!("{:<34} {:>32.1}x", "geometric mean", geometric_mean);
}
