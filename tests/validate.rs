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

const SCALEWAY_ORGANIZATION: &str = "c6842bac-7938-4c04-9e03-f48147eee1f1";

/// The Scaleway schema: every rule of the API's shape broken once, each finding at its place.
#[test]
fn scaleway_schema_errors_of_a_faulty_policy() {
    let text = format!(
        r#"{{
  "name": "{name}",
  "description": "{description}",
  "organisation_id": "{SCALEWAY_ORGANIZATION}",
  "tags": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"],
  "user_id": "6a0c2ca8-917a-418a-90a3-05949b55a7ae",
  "group_id": "3f6ab0c5-33b2-4fe9-8f52-2b8d21f1e0d4",
  "rules": [
    {{ "permission_set_names": ["InstancesReadOnly"], "project_ids": ["p-1"], "organization_id": "{SCALEWAY_ORGANIZATION}" }},
    {{ "permission_set_names": [], "project_ids": [] }},
    {{ "permission_set_names": ["InstancesReadOnly"], "organization_id": ["{SCALEWAY_ORGANIZATION}"] }},
    {{ "permission_set_name": ["InstancesReadOnly"], "project_ids": ["p-1"], "condtion": "true" }},
    {{ "permission_set_names": ["InstancesReadOnly"], "project_ids": ["p-1"], "permission_sets_scope_type": "project" }}
  ]
}}
"#,
        name = "n".repeat(65),
        description = "d".repeat(201),
    );
    let diagnostics = check("scaleway-faulty-policy", Provider::Scaleway, DocumentRole::Policy, "policy.json", &text);
    for code in [
        "scaleway::name-too-long",
        "scaleway::description-too-long",
        "scaleway::unknown-field",
        "scaleway::too-many-tags",
        "scaleway::several-principals",
        "scaleway::several-scopes",
        "scaleway::no-permission-set",
        "scaleway::missing-scope",
        "scaleway::wrong-type",
        "scaleway::invalid-value",
    ] {
        assert!(diagnostics.iter().any(|diagnostic| diagnostic.code == code), "no {code}");
    }
}

/// Permission sets against the catalogue: unknown names, mixed scope types, an Organization
/// set on Projects, Project sets on the Organization (all current and future Projects).
#[test]
fn scaleway_permission_sets_and_scopes() {
    let text = format!(
        r#"{{
  "name": "sets",
  "organization_id": "{SCALEWAY_ORGANIZATION}",
  "application_id": "950dde46-5cba-427d-a4f5-ce5a8a79717c",
  "rules": [
    {{ "permission_set_names": ["InstanceFullAccess"], "project_ids": ["p-1"] }},
    {{ "permission_set_names": ["InstancesReadOnly", "ProjectManager"], "organization_id": "{SCALEWAY_ORGANIZATION}" }},
    {{ "permission_set_names": ["ProjectManager"], "project_ids": ["p-1"] }},
    {{ "permission_set_names": ["ObjectStorageReadOnly"], "organization_id": "{SCALEWAY_ORGANIZATION}" }},
    {{ "permission_set_names": ["ObjectStorageReadOnly"], "organization_id": "8f1a3c7e-0000-4000-8000-000000000000" }}
  ]
}}
"#
    );
    check("scaleway-permission-sets", Provider::Scaleway, DocumentRole::Policy, "policy.json", &text);
}

/// The pitfalls of Scaleway's condition pages, one rule each, and CEL errors whose underline
/// must land on the characters of the JSON string despite its escapes.
#[test]
fn scaleway_condition_lints_and_cel_findings() {
    let text = format!(
        r#"{{
  "name": "conditions",
  "organization_id": "{SCALEWAY_ORGANIZATION}",
  "user_id": "6a0c2ca8-917a-418a-90a3-05949b55a7ae",
  "rules": [
    {{ "permission_set_names": ["SecretManagerFullAccess"], "project_ids": ["p-1"], "condition": "resource.name.startswith(\"\u002Ffolder/\") || !has(resource.id)" }},
    {{ "permission_set_names": ["InstancesReadOnly"], "project_ids": ["p-1"], "condition": "request.time == \"2025-03-03T14:30:00.000Z\"" }},
    {{ "permission_set_names": ["InstancesReadOnly"], "project_ids": ["p-1"], "condition": "request.time.getDayOfWeek() != 0 && request.time.getHours(\"Europe/Paris\") >= 8" }},
    {{ "permission_set_names": ["InstancesReadOnly"], "project_ids": ["p-1"], "condition": "request.time.getHours() < 17 && request.time.getDayOfMonth() == 23" }},
    {{ "permission_set_names": ["InstancesReadOnly"], "project_ids": ["p-1"], "condition": "duration(\"1h30m\").getMinutes() == 30 || inIpRange(request.ip, \"192.168.0.0/16\")" }},
    {{ "permission_set_names": ["InstancesFullAccess"], "project_ids": ["p-1"], "condition": "resource.name.startsWith(\"/folder/\") || !has(resource.id)" }},
    {{ "permission_set_names": ["SecretManagerFullAccess"], "project_ids": ["p-1"], "condition": "resource.locality == \"fr-par-1\" && resource.locality == \"fr-par-3\"" }},
    {{ "permission_set_names": ["InstancesReadOnly"], "project_ids": ["p-1"], "condition": "session.staff == true" }}
  ]
}}
"#
    );
    let diagnostics = check("scaleway-condition-lints", Provider::Scaleway, DocumentRole::Policy, "policy.json", &text);
    assert!(diagnostics.iter().any(|diagnostic| diagnostic.code == "cel::unknown-variable"));
}

/// A CEL syntax error is a read error (the API rejects the policy): underlined inside the string.
#[test]
fn scaleway_condition_syntax_error() {
    check(
        "scaleway-condition-syntax-error",
        Provider::Scaleway,
        DocumentRole::Policy,
        "policy.json",
        r#"{"name": "syntax", "user_id": "u-1", "rules": [
  {"permission_set_names": ["InstancesReadOnly"], "project_ids": ["p-1"], "condition": "request.user_agent.contains(\"caf\u00e9\") && (request.ip == "}
]}
"#,
    );
}

/// The security lints: policy writers, a policy with no principal, all products on the whole
/// Organization, IAM management behind a condition (lock-out).
#[test]
fn scaleway_security_lints() {
    let owned = format!(
        r#"{{
  "name": "admins",
  "organization_id": "{SCALEWAY_ORGANIZATION}",
  "group_id": "3f6ab0c5-33b2-4fe9-8f52-2b8d21f1e0d4",
  "rules": [
    {{ "permission_set_names": ["AllProductsFullAccess"], "organization_id": "{SCALEWAY_ORGANIZATION}" }},
    {{ "permission_set_names": ["IAMManager"], "organization_id": "{SCALEWAY_ORGANIZATION}", "condition": "inIpRange(request.ip, \"203.0.113.0/24\")" }},
    {{ "permission_set_names": ["OrganizationManager"], "organization_id": "{SCALEWAY_ORGANIZATION}" }}
  ]
}}
"#
    );
    check("scaleway-security-lints", Provider::Scaleway, DocumentRole::Policy, "admins.json", &owned);
    let orphan = format!(
        r#"{{ "name": "orphan", "organization_id": "{SCALEWAY_ORGANIZATION}", "no_principal": true,
  "rules": [{{ "permission_set_names": ["InstancesReadOnly"], "project_ids": ["p-1"], "condition": "request.user_agent == 'My User Agent'" }}] }}
"#
    );
    check("scaleway-no-principal", Provider::Scaleway, DocumentRole::Policy, "orphan.json", &orphan);
}

/// The API's split form (GetPolicy + ListRules) with counts that disagree with the rules given.
#[test]
fn scaleway_split_form_with_counts() {
    let text = format!(
        r#"{{
  "policy": {{
    "id": "b5a2a3a4-5d3b-4d6c-8f00-6ab2bbf0f0e1", "name": "split", "organization_id": "{SCALEWAY_ORGANIZATION}",
    "editable": true, "deletable": true, "managed": false, "nb_rules": 3, "nb_scopes": 1, "nb_permission_sets": 1,
    "tags": [], "user_id": "6a0c2ca8-917a-418a-90a3-05949b55a7ae", "group_id": null, "application_id": null, "no_principal": null
  }},
  "rules": [
    {{ "id": "r-1", "permission_set_names": ["ObjectStorageReadOnly"], "permission_sets_scope_type": "organization",
       "condition": "", "project_ids": ["p-1"], "organization_id": null, "account_root_user_id": null }}
  ],
  "total_count": 2
}}
"#
    );
    check("scaleway-split-form", Provider::Scaleway, DocumentRole::Policy, "split.json", &text);
}

/// The default example (the IAM quickstart's policy) has no error.
#[test]
fn scaleway_quickstart_example_has_no_errors() {
    let example = iamlab_engine::examples(Provider::Scaleway).first().unwrap();
    let text = example.text(DocumentRole::Policy).unwrap();
    let diagnostics = check("scaleway-quickstart", Provider::Scaleway, DocumentRole::Policy, "policy.json", text);
    assert!(!diagnostics.iter().any(Diagnostic::is_error));
}
