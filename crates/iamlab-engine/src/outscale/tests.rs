//! What the phases' unit tests share: reading a fixture and rendering findings one per line, so
//! that each phase's `check(input, expect)` compares text with text.

use super::syntax::read_document;
use super::tree::Document;
use iamlab_model::Diagnostic;

/// A fixture without the newline that follows its opening `r#"`.
pub fn fixture(text: &str) -> &str {
    text.strip_prefix('\n').unwrap_or(text)
}

/// Reads a policy: the document, and the findings that stop a simulation.
pub fn read(text: &str) -> (Document, Vec<Diagnostic>) {
    let parsed = iamlab_model::json::parse_json(text);
    let mut diagnostics = parsed.diagnostics;
    let root = parsed.value.unwrap_or_else(|| panic!("fixture is not JSON: {diagnostics:?}"));
    let document = read_document(text, &root, &mut diagnostics);
    (document, diagnostics)
}

/// One line per finding: severity, code, `[pointer]`, the underlined text, the message; then
/// its help, indented.
pub fn render(text: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let underlined: String = diagnostic
            .primary_span()
            .and_then(|span| span.slice(text))
            .unwrap_or("")
            .chars()
            .take(40)
            .collect::<String>()
            .replace('\n', "⏎");
        out.push_str(&format!(
            "{} {} [{}] `{underlined}`: {}\n",
            diagnostic.severity.as_str(),
            diagnostic.code,
            diagnostic.path.as_deref().unwrap_or("-"),
            diagnostic.message
        ));
        if let Some(help) = &diagnostic.help {
            out.push_str(&format!("    help: {help}\n"));
        }
    }
    out
}

/// Compares rendered output with a fixture, printing the output as is when they differ (easier
/// to read, and to paste once checked, than the escaped strings of `assert_eq!`).
#[track_caller]
pub fn assert_rendered(actual: &str, expect: &str) {
    let expect = fixture(expect);
    if actual != expect {
        eprintln!("---- actual ----\n{actual}---- end ----");
    }
    assert_eq!(actual, expect);
}
