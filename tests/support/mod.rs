//! Helpers shared by the integration-test modules: where the test data is, the `iamlab` binary
//! as a [`TestCommand`], and the CLI's renderer applied to engine answers, so that golden files
//! show what users see.

mod command;

pub use command::{iamlab_binary, TestCommand};

use iamlab_cli::render;
use iamlab_model::{Decision, Diagnostic, DocumentId};
use std::path::{Path, PathBuf};

/// The workspace root (this package lives in `<root>/tests`).
pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new("."))
}

/// A path below `<root>/tests`.
pub fn test_data(relative: &str) -> PathBuf {
    workspace_root().join("tests").join(relative)
}

/// A file of `tests/fixtures/` as the CLI is given it: relative to the workspace root, where
/// every [`TestCommand`] runs. Panics when the file does not exist, so that a typo fails loudly
/// instead of testing "cannot read".
pub fn fixture(relative: &str) -> String {
    let path = format!("tests/fixtures/{relative}");
    assert!(workspace_root().join(&path).is_file(), "no fixture {path}");
    path
}

/// What `iamlab validate` prints for one file: every diagnostic as rustc shows them, then the
/// summary line.
pub fn render_validation(file: &str, text: &str, diagnostics: &[Diagnostic]) -> String {
    let mut output = render::render_diagnostics(file, &render::SourceText::new(text), diagnostics);
    output.push_str(&render::render_summary(diagnostics.iter()));
    output
}

/// What `iamlab simulate --format json` prints (the decision with each document's name, in
/// field order), indented for review. `names` gives the name of `DocumentId(0)`, `DocumentId(1)`…
pub fn render_decision_json(decision: &Decision, names: &[&str]) -> String {
    let name_of = |id: DocumentId| names.get(id.0 as usize).map(|name| (*name).to_owned()).unwrap_or_default();
    let compact = decision.to_json_string_with_names(&name_of);
    let indented = indent_json(&compact);
    let parse = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
    assert_eq!(parse(&indented), parse(&compact), "indenting changed the JSON");
    indented
}

/// Compact JSON (as serde_json writes it: no space outside strings) indented the way
/// serde_json's pretty printer does, keeping the key order that a `serde_json::Value` would sort.
fn indent_json(compact: &str) -> String {
    fn new_line(output: &mut String, depth: usize) {
        output.push('\n');
        output.push_str(&"  ".repeat(depth));
    }
    let mut output = String::with_capacity(compact.len() * 2);
    let mut depth = 0;
    let (mut in_string, mut escaped) = (false, false);
    let mut chars = compact.chars().peekable();
    while let Some(ch) = chars.next() {
        if in_string {
            output.push(ch);
            if escaped {
                escaped = false;
            } else if ch == '\\' {
                escaped = true;
            } else if ch == '"' {
                in_string = false;
            }
            continue;
        }
        match ch {
            '"' => {
                in_string = true;
                output.push(ch);
            }
            '{' | '[' => {
                output.push(ch);
                let close = if ch == '{' { '}' } else { ']' };
                if chars.next_if_eq(&close).is_some() {
                    output.push(close);
                } else {
                    depth += 1;
                    new_line(&mut output, depth);
                }
            }
            '}' | ']' => {
                depth -= 1;
                new_line(&mut output, depth);
                output.push(ch);
            }
            ',' => {
                output.push(ch);
                new_line(&mut output, depth);
            }
            ':' => output.push_str(": "),
            _ => output.push(ch),
        }
    }
    output
}
