//! The iamlab half of `cargo xtask bench-peers`'s AWS comparison: every case of the corpus
//! that xtask generates (`xtask/src/aws_corpus.rs`: one identity policy and one request each)
//! simulated with the `aws` profile through the public API, policy and request given as JSON
//! text and the decision explained, as a caller of the library gets it. Prints one
//! `bench-peers<TAB>aws-decision<TAB>index<TAB>effect` line per case, then
//! `bench-peers<TAB>aws<TAB>cases<TAB>median ns per request` (the median of 11 passes over the
//! corpus), and the same for `decide` (`aws-decide`: no nearest miss, which re-reads the policy
//! of a denied request). Then the same with each policy read once for the requests asked of
//! it (`aws-once-decision` lines, then `aws-once`): `simulate_each` at `Detail::DecisionOnly`,
//! the policy read inside the timed loop once per policy, as the Node side validates it once
//! with `createValidatedPolicy`. With `--smoke`: one pass, no timing (the figures are 0).
//! Usage: `cargo run --release -p iamlab-engine --example aws_corpus -- CORPUS.json [--smoke]`.

#![expect(clippy::expect_used, reason = "a benchmark whose input is unreadable should stop loudly")]

use iamlab_engine::{Detail, DocumentId, DocumentRole, Options, Source};
use iamlab_model::Provider;
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("usage: aws_corpus CORPUS.json [--smoke]");
    let smoke = std::env::args().any(|arg| arg == "--smoke");
    let corpus: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("the corpus is readable")).expect("corpus JSON");
    let cases: Vec<(String, String)> = corpus
        .get("cases")
        .and_then(serde_json::Value::as_array)
        .expect("a `cases` list")
        .iter()
        .map(|case| {
            let text = |key: &str| case.get(key).map(serde_json::Value::to_string).unwrap_or_default();
            (text("policy"), text("request"))
        })
        .collect();
    // With its action catalogue, as the CLI and the playground simulate (wildcard-only actions
    // are only decided as AWS does with it).
    iamlab_engine::install_aws_catalog(include_str!("../data/aws-actions.txt"))
        .expect("the committed AWS catalogue reads");
    let options = Options::for_provider(Provider::Aws);
    fn sources((policy, request): &(String, String)) -> [Source<'_>; 2] {
        [
            Source { id: DocumentId(0), role: DocumentRole::Policy, text: policy },
            Source { id: DocumentId(1), role: DocumentRole::Request, text: request },
        ]
    }
    let simulate = |case: &(String, String)| iamlab_engine::simulate(&options, &sources(case));
    for (index, case) in cases.iter().enumerate() {
        let effect = match simulate(case) {
            Ok(decision) => decision.effect.as_str().to_owned(),
            Err(error) => format!("error: {error}"),
        };
        println!("bench-peers\taws-decision\t{index}\t{effect}");
    }
    let median = |run: &dyn Fn(&(String, String))| {
        let mut samples = Vec::new();
        for _ in 0..if smoke { 0 } else { 11 } {
            let start = Instant::now();
            for case in &cases {
                run(black_box(case));
            }
            samples.push(start.elapsed().as_nanos() as f64 / cases.len().max(1) as f64);
        }
        samples.sort_by(f64::total_cmp);
        samples.get(samples.len() / 2).copied().unwrap_or(0.0)
    };
    let explained = median(&|case| {
        black_box(simulate(case)).ok();
    });
    let decided = median(&|case| {
        black_box(iamlab_engine::decide(&options, &sources(case))).ok();
    });
    // Consecutive cases share their policy: one group per policy, with the indices of its cases.
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    for (index, (policy, _)) in cases.iter().enumerate() {
        match groups.last_mut() {
            Some((text, indices)) if *text == policy.as_str() => indices.push(index),
            _ => groups.push((policy, vec![index])),
        }
    }
    let once = |report: bool| {
        for (policy, indices) in &groups {
            let policies = [Source { id: DocumentId(0), role: DocumentRole::Policy, text: policy }];
            let requests: Vec<Source<'_>> = indices
                .iter()
                .filter_map(|index| cases.get(*index))
                .map(|(_, request)| Source { id: DocumentId(1), role: DocumentRole::Request, text: request })
                .collect();
            let decisions = iamlab_engine::simulate_each(&options, &policies, &requests, Detail::DecisionOnly);
            if report {
                for (index, decision) in indices.iter().zip(&decisions) {
                    let effect = match decision {
                        Ok(decision) => decision.effect.as_str().to_owned(),
                        Err(error) => format!("error: {error}"),
                    };
                    println!("bench-peers\taws-once-decision\t{index}\t{effect}");
                }
            }
            black_box(decisions);
        }
    };
    once(true);
    let mut samples = Vec::new();
    for _ in 0..if smoke { 0 } else { 11 } {
        let start = Instant::now();
        once(false);
        samples.push(start.elapsed().as_nanos() as f64 / cases.len().max(1) as f64);
    }
    samples.sort_by(f64::total_cmp);
    let read_once = samples.get(samples.len() / 2).copied().unwrap_or(0.0);
    println!("bench-peers\taws\t{}\t{explained:.1}", cases.len());
    println!("bench-peers\taws-once\t{}\t{read_once:.1}", cases.len());
    println!("bench-peers\taws-decide\t{}\t{decided:.1}", cases.len());
}
