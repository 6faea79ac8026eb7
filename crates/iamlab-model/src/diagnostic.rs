use crate::Span;
use serde::{Deserialize, Serialize};

/// How bad a finding is. Only `Error` makes `iamlab validate` exit with 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

/// A span with something to say about it. A diagnostic's first primary label is where it is
/// underlined; secondary labels point at related places (e.g. the first of two duplicate keys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub span: Span,
    #[serde(default)]
    pub message: String,
    pub primary: bool,
}

/// One finding of a parser, validator or linter, in byte offsets of the text it was found in.
///
/// This is the only diagnostic type in iamlab: the JSON reader, the CEL parser and checker,
/// every provider validator, the CLI renderer and the UI all produce or consume it.
/// Field names are part of the CLI's stable JSON output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// A stable identifier such as `json::duplicate-key`; never reworded once released.
    pub code: String,
    pub severity: Severity,
    /// Lowercase, no trailing period.
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(default)]
    pub labels: Vec<Label>,
    /// A JSON pointer (RFC 6901) to the node concerned, when the input is JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Edits that resolve the finding, for a click in the playground or a future `--fix`.
    /// Absent from the JSON output when there are none, so older readers see no change.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<Fix>,
}

/// A machine-applicable edit: replace the bytes of `span` (in the text the diagnostic is
/// about) with `replacement`. An empty span inserts, an empty replacement deletes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// What the edit does, as a button or a menu says it: "replace with `compute`".
    pub title: String,
    pub span: Span,
    pub replacement: String,
}

impl Fix {
    pub fn new(title: impl Into<String>, span: Span, replacement: impl Into<String>) -> Fix {
        Fix { title: title.into(), span, replacement: replacement.into() }
    }

    /// `text` with the edit applied, or `None` when the span is not inside `text` on
    /// character boundaries.
    pub fn apply(&self, text: &str) -> Option<String> {
        let before = text.get(..self.span.start as usize)?;
        let after = text.get(self.span.end as usize..)?;
        (self.span.start <= self.span.end).then(|| format!("{before}{}{after}", self.replacement))
    }
}

impl Diagnostic {
    pub fn new(code: impl Into<String>, severity: Severity, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code: code.into(),
            severity,
            message: message.into(),
            help: None,
            labels: Vec::new(),
            path: None,
            fixes: Vec::new(),
        }
    }

    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Error, message)
    }

    pub fn warning(code: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Warning, message)
    }

    pub fn info(code: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Info, message)
    }

    pub fn hint(code: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, Severity::Hint, message)
    }

    /// Adds the primary label: where the diagnostic is underlined.
    pub fn with_primary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label { span, message: message.into(), primary: true });
        self
    }

    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label { span, message: message.into(), primary: false });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_path(mut self, path: impl Into<String>) -> Diagnostic {
        self.path = Some(path.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fixes.push(fix);
        self
    }

    /// The span of the first primary label, or of the first label when none is primary.
    pub fn primary_span(&self) -> Option<Span> {
        self.labels.iter().find(|label| label.primary).or(self.labels.first()).map(|label| label.span)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Rewrites every label's span with `map`, e.g. to map offsets of a decoded JSON string back
    /// to the raw characters of the document.
    pub fn map_spans(mut self, mut map: impl FnMut(Span) -> Span) -> Diagnostic {
        for label in &mut self.labels {
            label.span = map(label.span);
        }
        for fix in &mut self.fixes {
            fix.span = map(fix.span);
        }
        self
    }
}

/// Sorts diagnostics by position, then severity, so that every front end lists them alike.
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    crate::order::sort_by_key(diagnostics, |diagnostic| {
        (diagnostic.primary_span().unwrap_or_default(), diagnostic.severity)
    });
}
