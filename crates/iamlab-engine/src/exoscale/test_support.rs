//! What the Exoscale unit tests share: fixtures of `//- <role>` sections (rust-analyzer's
//! multi-file fixtures) and text renderings of findings and decisions, so that each phase's
//! tests go through one `check(input, expect)`.

use crate::pipeline::{DocumentId, DocumentRole, Source};
use iamlab_model::{Decision, Diagnostic};

/// The fixture without the newline after the opening `r#"`.
pub fn fixture(text: &str) -> &str {
    text.strip_prefix('\n').unwrap_or(text)
}

/// The documents of a fixture: `//- policy`, `//- organization` or `//- request` lines start a
/// document of that role; a fixture without any is one policy.
pub fn documents(input: &str) -> Vec<(DocumentRole, String)> {
    let mut documents: Vec<(DocumentRole, String)> = Vec::new();
    for line in fixture(input).lines() {
        if let Some(key) = line.strip_prefix("//- ") {
            let role = DocumentRole::from_key(key.trim()).unwrap_or_else(|| panic!("unknown role `{key}`"));
            documents.push((role, String::new()));
            continue;
        }
        if documents.is_empty() {
            documents.push((DocumentRole::Policy, String::new()));
        }
        if let Some((_, text)) = documents.last_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    documents
}

/// The sources of `documents`, numbered in order.
pub fn sources(documents: &[(DocumentRole, String)]) -> Vec<Source<'_>> {
    documents.iter().zip(0..).map(|((role, text), id)| Source { id: DocumentId(id), role: *role, text }).collect()
}

/// The text a span covers, shortened to its first line and 40 characters.
fn quoted(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or_default();
    let shortened: String = first_line.chars().take(40).collect();
    if shortened.len() < text.len() {
        format!("`{shortened}…`")
    } else {
        format!("`{shortened}`")
    }
}

/// One line per finding: code, JSON pointer, the text under its primary span and the message;
/// then its help, indented.
pub fn render_diagnostics(source: &str, diagnostics: &[Diagnostic]) -> String {
    let mut rendered = String::new();
    for diagnostic in diagnostics {
        let span = diagnostic.primary_span().and_then(|span| span.slice(source)).map(quoted).unwrap_or_default();
        let path = diagnostic.path.as_deref().map(|path| if path.is_empty() { "/" } else { path }).unwrap_or("-");
        rendered.push_str(&format!("{} {path} {span}: {}\n", diagnostic.code, diagnostic.message));
        if let Some(help) = &diagnostic.help {
            rendered.push_str(&format!("  help: {help}\n"));
        }
        for fix in &diagnostic.fixes {
            let written = fix.span.slice(source).unwrap_or_default();
            rendered.push_str(&format!("  fix: {}: {written} -> {}\n", fix.title, fix.replacement));
        }
    }
    rendered
}

/// The effect, the decisive entries, then one line per explanation step with its sub-expression
/// values indented below it; `text_of` gives the text a locator's span is in.
pub fn render_decision(decision: &Decision, text_of: &dyn Fn(Option<DocumentId>) -> String) -> String {
    let mut rendered = format!("effect: {}\n", decision.effect.as_str());
    for entry in &decision.decisive {
        rendered.push_str(&format!("decisive: {}: {}\n", entry.locator.describe(""), entry.reason));
    }
    for step in &decision.explanation {
        let text = text_of(step.locator.document);
        let span = step.locator.span.and_then(|span| span.slice(&text)).filter(|slice| !slice.is_empty()).map(quoted);
        let place: Vec<String> = [Some(step.locator.describe("")), span].into_iter().flatten().collect();
        rendered.push_str(&format!("{}: {}: {}\n", step.outcome.as_str(), place.join(" "), step.reason));
        for entry in &step.trace {
            let under_span = entry.span.and_then(|span| span.slice(&text)).unwrap_or("?");
            rendered.push_str(&format!("  {} => {}\n", under_span, entry.value));
        }
    }
    rendered
}
