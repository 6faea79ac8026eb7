//! The validators of every provider: golden files (insta) of what `iamlab validate` prints for
//! a document, made with the CLI's own renderer, and direct checks of the rules the golden files
//! would not make obvious. The Outscale/AWS corpus is `tests/fixtures/validate/outscale/`, one
//! document per file named `<profile>-<case>.json`.

use crate::support::{render_validation, test_data};
use iamlab_engine::pipeline::spans_outside;
use iamlab_engine::{DocumentId, DocumentRole, Options, Source};
use iamlab_model::{Diagnostic, Provider, Severity};

fn validate(provider: Provider, role: DocumentRole, text: &str) -> Vec<Diagnostic> {
    iamlab_engine::validate(&Options::for_provider(provider), &Source { id: DocumentId(0), role, text })
}

/// Validates `text` as a document of `role` and snapshots what the CLI prints for it as `file`.
fn check(snapshot: &str, provider: Provider, role: DocumentRole, file: &str, text: &str) -> Vec<Diagnostic> {
    let diagnostics = validate(provider, role, text);
    assert_eq!(spans_outside(text, &diagnostics), [], "{snapshot}: spans outside the text");
    insta::assert_snapshot!(snapshot, render_validation(file, text, &diagnostics));
    diagnostics
}

#[test]
fn exoscale_diagnostics_of_a_faulty_role() {
    check(
        "exoscale-faulty-role",
        Provider::Exoscale,
        DocumentRole::Policy,
        "role.json",
        r#"{
  "name": "",
  "permissions": ["bypass-governance-retention", "compute", "bypass-governance-retention"],
  "max-session-ttl": 0,
  "colour": "blue",
  "policy": {
    "default-service-strategy": "Allow",
    "services": {
      "compte": { "type": "allow" },
      "sos": { "type": "rules", "rules": [
        { "action": "allow", "expression": "operation == 'get-sos-object'" },
        { "action": "allow", "expression": "operation == 'create-instance'" }
      ] },
      "compute": { "type": "rules", "rules": [
        { "action": "deny", "expression": "operation == 'create-instanse' && parameters.public_ip != 'none'" },
        { "action": "allow", "expression": "true", "resources": ["instance/1"] },
        { "action": "deny", "expression": "zone == 'ch-gva-2'" }
      ] },
      "dns": { "type": "allow", "rules": [] },
      "dbaas": { "type": "rules", "rules": [] }
    }
  }
}
"#,
    );
}

#[test]
fn exoscale_cel_errors_map_through_json_escapes() {
    // `\"` and `\u00e9` make decoded and raw offsets differ: the underline must still fall on
    // the offending characters of the JSON text.
    let diagnostics = check(
        "exoscale-cel-errors-through-escapes",
        Provider::Exoscale,
        DocumentRole::Policy,
        "role.json",
        r#"{
  "default-service-strategy": "deny",
  "services": {
    "compute": { "type": "rules", "rules": [
      { "action": "allow", "expression": "parameters.name == \"caf\u00e9\" && zone === 'ch-gva-2'" },
      { "action": "allow", "expression": "operation in ['list-instances'" }
    ] }
  }
}
"#,
    );
    assert!(diagnostics.iter().any(|diagnostic| diagnostic.code.starts_with("cel::")));
}

#[test]
fn exoscale_organization_lockout() {
    check(
        "exoscale-organization-lockout",
        Provider::Exoscale,
        DocumentRole::OrganizationPolicy,
        "organization.json",
        r#"{ "default-service-strategy": "deny", "services": { "compute": { "type": "allow" } } }"#,
    );
}

/// The Outscale/AWS corpus: (file stem, provider, text), the provider from the stem's prefix.
fn outscale_corpus() -> Vec<(String, Provider, String)> {
    let directory = test_data("fixtures/validate/outscale");
    let mut files: Vec<_> = std::fs::read_dir(directory).unwrap().map(|entry| entry.unwrap().path()).collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let provider = if stem.starts_with("aws-") { Provider::Aws } else { Provider::Outscale };
            (stem, provider, std::fs::read_to_string(&path).unwrap())
        })
        .collect()
}

#[test]
fn outscale_corpus_snapshots() {
    let corpus = outscale_corpus();
    assert!(corpus.len() >= 29, "the corpus has {} documents", corpus.len());
    for (stem, provider, text) in corpus {
        check(&stem, provider, DocumentRole::Policy, &format!("{stem}.json"), &text);
    }
}

#[test]
fn outscale_valid_documents_have_no_errors_or_warnings() {
    for (stem, provider, text) in outscale_corpus().into_iter().filter(|(stem, _, _)| stem.contains("-valid-")) {
        let diagnostics = validate(provider, DocumentRole::Policy, &text);
        // The full-access policy is valid but rightly flagged as a security warning.
        let expected: &[&str] = if stem == "outscale-valid-full-access" { &["aws::allow-all"] } else { &[] };
        let codes: Vec<&str> = diagnostics
            .iter()
            .filter(|diagnostic| matches!(diagnostic.severity, Severity::Error | Severity::Warning))
            .map(|diagnostic| diagnostic.code.as_str())
            .collect();
        assert_eq!(codes, expected, "{stem}: {}", render_validation(&stem, &text, &diagnostics));
    }
}

/// Every diagnostic of the corpus underlines text of the document and has a JSON pointer.
#[test]
fn outscale_every_diagnostic_has_a_span_inside_the_text_and_a_path() {
    for (stem, provider, text) in outscale_corpus() {
        let diagnostics = validate(provider, DocumentRole::Policy, &text);
        assert_eq!(spans_outside(&text, &diagnostics), [], "{stem}: spans outside the text");
        for diagnostic in diagnostics {
            assert!(diagnostic.primary_span().is_some(), "{stem}: {} has no span", diagnostic.code);
            assert!(
                diagnostic.path.is_some() || diagnostic.code.starts_with("json::"),
                "{stem}: {} has no path",
                diagnostic.code
            );
            assert!(!diagnostic.message.ends_with('.'), "{stem}: {} message ends with a period", diagnostic.code);
        }
    }
}

fn codes(provider: Provider, role: DocumentRole, text: &str) -> Vec<(String, Severity)> {
    validate(provider, role, text).into_iter().map(|diagnostic| (diagnostic.code, diagnostic.severity)).collect()
}

#[test]
fn outscale_managed_policy_limit_depends_on_the_role_of_the_policy() {
    let text = std::fs::read_to_string(test_data("fixtures/validate/outscale/outscale-too-long.json")).unwrap();
    let managed = codes(Provider::Outscale, DocumentRole::ManagedPolicy, &text);
    assert!(managed.contains(&("outscale::policy-too-long".to_owned(), Severity::Error)), "{managed:?}");
    let unknown = codes(Provider::Outscale, DocumentRole::Policy, &text);
    assert!(unknown.contains(&("outscale::policy-too-long".to_owned(), Severity::Warning)), "{unknown:?}");
    let inline = codes(Provider::Outscale, DocumentRole::InlinePolicy, &text);
    assert!(!inline.iter().any(|(code, _)| code == "outscale::policy-too-long"), "{inline:?}");
    // The AWS profile has no such limit here (AWS limits are per account quota, not this one).
    let aws = codes(Provider::Aws, DocumentRole::ManagedPolicy, &text);
    assert!(!aws.iter().any(|(code, _)| code == "outscale::policy-too-long"), "{aws:?}");
}

#[test]
fn outscale_whitespace_does_not_count_toward_the_limit() {
    let statement = r#"{"Effect":"Allow","Action":"api:ReadVms","Resource":"*"}"#;
    let compact = format!(r#"{{"Statement":[{}]}}"#, vec![statement; 80].join(","));
    let count = compact.chars().filter(|ch| !ch.is_whitespace()).count();
    assert!(count <= 5120, "{count}");
    let padded = compact.replace(',', ",          \n   ");
    assert!(padded.len() > 5120);
    let found = codes(Provider::Outscale, DocumentRole::ManagedPolicy, &padded);
    assert!(!found.iter().any(|(code, _)| code == "outscale::policy-too-long"), "{found:?}");
}

#[test]
fn outscale_huge_and_deeply_nested_inputs_give_diagnostics_not_panics() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let nested_condition = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{}}}]}}"#,
        "{\"a\":".repeat(200) + "1" + &"}".repeat(200)
    );
    let long_action = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"ec2:{}","Resource":"*"}}]}}"#,
        "*a".repeat(50_000)
    );
    for provider in [Provider::Aws, Provider::Outscale] {
        for (text, has_error) in [(deep.as_str(), true), (&nested_condition, true), (&long_action, false), ("", true)] {
            let diagnostics = validate(provider, DocumentRole::Policy, text);
            if has_error {
                assert!(diagnostics.iter().any(Diagnostic::is_error), "{provider}: {:?}", diagnostics.first());
            }
            assert_eq!(spans_outside(text, &diagnostics), [], "{provider}: spans outside the text");
        }
    }
}
