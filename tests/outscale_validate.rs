//! Golden files (insta) of the OUTSCALE/AWS validator's diagnostics on a corpus of valid and
//! invalid documents (`tests/scenarios/outscale/validate/<profile>-<name>.json`), plus direct
//! checks of the rules the snapshots would not make obvious.

use crate::support::test_data;
use iamlab_engine::outscale::{validate_document_with, ValidateOptions};
use iamlab_model::{Diagnostic, LineIndex, Provider, Severity};

/// Renders diagnostics one per line: severity, code, position, underlined text, message, path.
fn render(text: &str, diagnostics: &[Diagnostic]) -> String {
    let index = LineIndex::new(text);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let (position, underlined) = match diagnostic.primary_span() {
            Some(span) => {
                let start = index.line_col_chars(text, span.start);
                let under: String = span.slice(text).unwrap_or("").chars().take(60).collect();
                (format!("{}:{}", start.line + 1, start.col + 1), under.replace('\n', "⏎"))
            }
            None => ("-".to_owned(), String::new()),
        };
        out.push_str(&format!(
            "{} {} at {position} `{underlined}`: {} [{}]\n",
            diagnostic.severity.as_str(),
            diagnostic.code,
            diagnostic.message,
            diagnostic.path.as_deref().unwrap_or("-"),
        ));
        if let Some(help) = &diagnostic.help {
            out.push_str(&format!("    help: {help}\n"));
        }
    }
    if out.is_empty() {
        out.push_str("no diagnostics\n");
    }
    out
}

fn corpus() -> Vec<(String, Provider, String)> {
    let directory = test_data("scenarios/outscale/validate");
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
fn validator_snapshots() {
    let corpus = corpus();
    assert!(corpus.len() >= 20, "the corpus has {} documents", corpus.len());
    for (stem, provider, text) in corpus {
        let diagnostics = iamlab_engine::validate(provider, &text);
        insta::with_settings!({ prepend_module_to_snapshot => false, snapshot_path => "snapshots" }, {
            insta::assert_snapshot!(format!("outscale_validate__{stem}"), render(&text, &diagnostics));
        });
    }
}

#[test]
fn valid_documents_have_no_errors_or_warnings() {
    for (stem, provider, text) in corpus().into_iter().filter(|(stem, _, _)| stem.contains("-valid-")) {
        let diagnostics = iamlab_engine::validate(provider, &text);
        let bad: Vec<&Diagnostic> =
            diagnostics.iter().filter(|d| matches!(d.severity, Severity::Error | Severity::Warning)).collect();
        // The full-access policy is valid but rightly flagged as a security warning.
        let expected: &[&str] = if stem == "outscale-valid-full-access" { &["aws::allow-all"] } else { &[] };
        let codes: Vec<&str> = bad.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, expected, "{stem}: {}", render(&text, &diagnostics));
    }
}

/// Every diagnostic of the corpus underlines text of the document and has a JSON pointer.
#[test]
fn every_diagnostic_has_a_span_inside_the_text_and_a_path() {
    for (stem, provider, text) in corpus() {
        for diagnostic in iamlab_engine::validate(provider, &text) {
            let span = diagnostic.primary_span().unwrap_or_else(|| panic!("{stem}: {} has no span", diagnostic.code));
            assert!(span.slice(&text).is_some(), "{stem}: {} span {span:?} is outside the text", diagnostic.code);
            assert!(
                diagnostic.path.is_some() || diagnostic.code.starts_with("json::"),
                "{stem}: {} has no path",
                diagnostic.code
            );
            assert!(!diagnostic.message.ends_with('.'), "{stem}: {} message ends with a period", diagnostic.code);
        }
    }
}

fn codes(provider: Provider, text: &str, options: ValidateOptions) -> Vec<(String, Severity)> {
    validate_document_with(provider, text, &options).into_iter().map(|d| (d.code, d.severity)).collect()
}

#[test]
fn managed_policy_limit_depends_on_the_kind_of_policy() {
    let text = std::fs::read_to_string(test_data("scenarios/outscale/validate/outscale-too-long.json")).unwrap();
    let managed = codes(Provider::Outscale, &text, ValidateOptions { managed_policy: Some(true) });
    assert!(managed.contains(&("outscale::policy-too-long".to_owned(), Severity::Error)), "{managed:?}");
    let unknown = codes(Provider::Outscale, &text, ValidateOptions { managed_policy: None });
    assert!(unknown.contains(&("outscale::policy-too-long".to_owned(), Severity::Warning)), "{unknown:?}");
    let inline = codes(Provider::Outscale, &text, ValidateOptions { managed_policy: Some(false) });
    assert!(!inline.iter().any(|(code, _)| code == "outscale::policy-too-long"), "{inline:?}");
    // The AWS profile has no such limit here (AWS limits are per account quota, not this one).
    let aws = codes(Provider::Aws, &text, ValidateOptions { managed_policy: Some(true) });
    assert!(!aws.iter().any(|(code, _)| code == "outscale::policy-too-long"), "{aws:?}");
}

#[test]
fn whitespace_does_not_count_toward_the_limit() {
    let statement = r#"{"Effect":"Allow","Action":"api:ReadVms","Resource":"*"}"#;
    let compact = format!(r#"{{"Statement":[{}]}}"#, vec![statement; 80].join(","));
    let count = compact.chars().filter(|ch| !ch.is_whitespace()).count();
    assert!(count <= 5120, "{count}");
    let padded = compact.replace(',', ",          \n   ");
    assert!(padded.len() > 5120);
    let found = codes(Provider::Outscale, &padded, ValidateOptions { managed_policy: Some(true) });
    assert!(!found.iter().any(|(code, _)| code == "outscale::policy-too-long"), "{found:?}");
}

#[test]
fn huge_and_deeply_nested_inputs_give_diagnostics_not_panics() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    for provider in [Provider::Aws, Provider::Outscale] {
        assert!(iamlab_engine::validate(provider, &deep).iter().any(Diagnostic::is_error));
        let nested_condition = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{}}}]}}"#,
            "{\"a\":".repeat(200) + "1" + &"}".repeat(200)
        );
        assert!(iamlab_engine::validate(provider, &nested_condition).iter().any(Diagnostic::is_error));
        let long_action = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"ec2:{}","Resource":"*"}}]}}"#,
            "*a".repeat(50_000)
        );
        let _ = iamlab_engine::validate(provider, &long_action);
        assert!(iamlab_engine::validate(provider, "").iter().any(Diagnostic::is_error));
    }
}
