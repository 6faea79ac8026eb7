//! Simulation and validation throughput of the OUTSCALE/AWS engine on the documents the
//! playground re-runs on every keystroke: a managed policy at EIM's 5120-character limit and a
//! 20-statement AWS policy with conditions and variables (also with the AWS action catalogue
//! installed, and the catalogue's own reading).
//!
//! Run: `cargo bench -p iamlab-engine --bench outscale`.

#![expect(clippy::panic, reason = "a benchmark with fixed inputs must stop loudly when they stop simulating")]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use iamlab_engine::{DocumentId, DocumentRole, Options, Source};
use iamlab_model::Provider;
use std::hint::black_box;

/// An EIM policy of just under 5120 non-whitespace characters: allow and deny statements over
/// the OUTSCALE API and FCU, with wildcards.
fn outscale_policy_at_the_limit() -> String {
    let verbs = ["Read", "Create", "Delete", "Update", "Link", "Unlink"];
    let nouns = ["Vms", "Volumes", "Nets", "Subnets", "Snapshots", "Images", "Keypairs", "Tags", "PublicIps", "Nics"];
    let mut statements = Vec::new();
    let mut index = 0;
    loop {
        let verb = verbs.get(index % verbs.len()).copied().unwrap_or("Read");
        let effect = if index % 5 == 4 { "Deny" } else { "Allow" };
        let actions: Vec<String> = nouns.iter().map(|noun| format!("\"api:{verb}{noun}\"")).collect();
        let statement = format!(
            "{{\"Sid\":\"S{index}\",\"Effect\":\"{effect}\",\"Action\":[{},\"ec2:Describe*\",\"*:{verb}Tag*\"],\"Resource\":[\"*\"]}}",
            actions.join(",")
        );
        let candidate =
            format!("{{\"Statement\":[{}]}}", [statements.clone(), vec![statement.clone()]].concat().join(","));
        if candidate.chars().filter(|ch| !ch.is_whitespace()).count() > 5120 {
            break;
        }
        statements.push(statement);
        index += 1;
    }
    format!("{{\"Statement\":[{}]}}", statements.join(","))
}

/// Twenty AWS statements: resources with variables, every family of condition operator.
fn aws_policy_with_20_statements() -> String {
    let conditions = [
        r#"{"StringEquals":{"aws:PrincipalTag/team":"blue"}}"#,
        r#"{"StringLike":{"s3:prefix":["home/${aws:username}/*",""]}}"#,
        r#"{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}"#,
        r#"{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}"#,
        r#"{"Bool":{"aws:SecureTransport":"true"}}"#,
        r#"{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]}}"#,
        r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Admin*"}}"#,
        r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["env","team"]},"Null":{"aws:TagKeys":"false"}}"#,
        r#"{"StringNotEqualsIfExists":{"aws:RequestedRegion":["eu-west-1","eu-central-1"]}}"#,
        r#"{"ForAnyValue:StringLike":{"aws:CalledVia":["cloudformation.*"]}}"#,
    ];
    let statements: Vec<String> = (0..20)
        .map(|index| {
            let effect = if index % 4 == 3 { "Deny" } else { "Allow" };
            let condition = conditions.get(index % conditions.len()).copied().unwrap_or("{}");
            format!(
                r#"{{"Sid":"S{index}","Effect":"{effect}","Action":["s3:Get*","s3:List*","ec2:Describe*"],"Resource":["arn:aws:s3:::bucket-{index}/home/${{aws:username}}/*","arn:aws:ec2:*:123456789012:instance/*"],"Condition":{condition}}}"#
            )
        })
        .collect();
    format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, statements.join(","))
}

const AWS_REQUEST: &str = r#"{"action":"s3:GetObject","resource":"arn:aws:s3:::bucket-4/home/bob/notes.txt","context":{"aws:username":"bob","aws:PrincipalTag/team":"blue","aws:MultiFactorAuthAge":120,"aws:CurrentTime":"2024-05-01T12:00:00Z","aws:SecureTransport":true,"aws:SourceIp":"203.0.113.7","aws:PrincipalArn":"arn:aws:iam::123456789012:role/AdminRole","aws:TagKeys":["env"],"aws:RequestedRegion":"eu-west-1"}}"#;
const OUTSCALE_REQUEST: &str = r#"{"action":"api:DeleteVms"}"#;

fn simulate(options: &Options, policy: &str, request: &str) -> iamlab_model::Effect {
    let sources = [
        Source { id: DocumentId(0), role: DocumentRole::Policy, text: policy },
        Source { id: DocumentId(1), role: DocumentRole::Request, text: request },
    ];
    match iamlab_engine::simulate(options, &sources) {
        Ok(decision) => decision.effect,
        Err(error) => panic!("benchmark input must simulate: {error}"),
    }
}

fn validate(options: &Options, policy: &str) -> Vec<iamlab_model::Diagnostic> {
    iamlab_engine::validate(options, &Source { id: DocumentId(0), role: DocumentRole::Policy, text: policy })
}

fn benches(criterion: &mut Criterion) {
    let outscale_options = Options::for_provider(Provider::Outscale);
    let aws_options = Options::for_provider(Provider::Aws);
    let outscale = outscale_policy_at_the_limit();
    let aws = aws_policy_with_20_statements();
    let outscale_count = outscale.chars().filter(|ch| !ch.is_whitespace()).count();
    eprintln!(
        "outscale policy: {outscale_count} non-whitespace characters; aws policy: {} bytes, 20 statements",
        aws.len()
    );
    assert!(outscale_count > 4900 && outscale_count <= 5120);
    // Both answers are checked once so that the benchmark measures real decisions.
    assert_eq!(simulate(&outscale_options, &outscale, OUTSCALE_REQUEST), iamlab_model::Effect::ExplicitDeny);
    assert_eq!(simulate(&aws_options, &aws, AWS_REQUEST), iamlab_model::Effect::Allow);

    let mut group = criterion.benchmark_group("outscale");
    group.throughput(Throughput::Elements(1));
    group.bench_function("simulate 5120-character EIM policy", |bencher| {
        bencher.iter(|| simulate(&outscale_options, black_box(&outscale), black_box(OUTSCALE_REQUEST)))
    });
    group.bench_function("validate 5120-character EIM policy", |bencher| {
        bencher.iter(|| validate(&outscale_options, black_box(&outscale)))
    });
    group.bench_function("simulate 20-statement AWS policy", |bencher| {
        bencher.iter(|| simulate(&aws_options, black_box(&aws), black_box(AWS_REQUEST)))
    });
    group.bench_function("validate 20-statement AWS policy", |bencher| {
        bencher.iter(|| validate(&aws_options, black_box(&aws)))
    });
    // The same with the AWS action catalogue installed (as the playground does once it has
    // fetched it): its checks expand `s3:Get*`, `s3:List*` and `ec2:Describe*` in every
    // statement and test each ARN against the actions' resource types.
    if let Err(error) = iamlab_engine::install_aws_catalog(include_str!("../data/aws-actions.txt")) {
        panic!("the committed catalogue must read: {error}");
    }
    group.bench_function("parse the AWS action catalogue", |bencher| {
        bencher.iter(|| iamlab_engine::outscale::aws_catalog::parse(black_box(include_str!("../data/aws-actions.txt"))))
    });
    group.bench_function("validate 20-statement AWS policy with the action catalogue", |bencher| {
        bencher.iter(|| validate(&aws_options, black_box(&aws)))
    });
    group.bench_function("simulate 20-statement AWS policy with the action catalogue", |bencher| {
        bencher.iter(|| simulate(&aws_options, black_box(&aws), black_box(AWS_REQUEST)))
    });
    group.finish();
}

criterion_group!(outscale_benches, benches);
criterion_main!(outscale_benches);
