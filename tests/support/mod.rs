//! Helpers shared by the integration-test modules: where the test data is, the `iamlab` binary
//! as a [`TestCommand`], and the CLI's renderer applied to engine answers, so that golden files
//! show what users see.

mod command;

pub use command::TestCommand;

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

/// What `iamlab simulate --format json` prints: the decision with each document's name.
/// `names` gives the name of `DocumentId(0)`, `DocumentId(1)`…
pub fn decision_json(decision: &Decision, names: &[&str]) -> serde_json::Value {
    decision.to_json_with_names(&|id: DocumentId| {
        names.get(id.0 as usize).map(|name| (*name).to_owned()).unwrap_or_default()
    })
}
