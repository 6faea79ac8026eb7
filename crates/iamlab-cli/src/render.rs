//! Turns diagnostics and decisions into text for people (rustc-like) and JSON for machines.
//! Line and column are computed here, at the edge: the engine speaks byte offsets only.

use iamlab_model::{Decision, Diagnostic, DocumentId, Label, LineCol, LineIndex, Locator, Severity};
use std::cell::Cell;
use std::fmt::Write as _;

/// Lines longer than this are shown as a window around the underline, so that a 1 MB
/// single-line paste does not flood the terminal.
const MAX_SHOWN_LINE_CHARS: usize = 120;

/// A file's text with what it takes to turn byte offsets into lines and columns quickly: the
/// line index is built once per file, and columns are counted from the previous lookup when
/// it was earlier on the same line, so that rendering thousands of sorted diagnostics of a
/// 1 MB single-line paste stays linear instead of recounting the line for each.
pub struct SourceText<'text> {
    text: &'text str,
    index: LineIndex,
    /// The last lookup: byte offset, line and column in chars.
    cursor: Cell<(u32, u32, u32)>,
}

impl<'text> SourceText<'text> {
    pub fn new(text: &'text str) -> SourceText<'text> {
        SourceText { text, index: LineIndex::new(text), cursor: Cell::new((0, 0, 0)) }
    }

    /// The text itself.
    pub fn text(&self) -> &'text str {
        self.text
    }

    /// One-based line and column (in Unicode scalar values) of a byte offset, as the CLI's
    /// messages, JSON and SARIF outputs give them.
    pub fn position(&self, offset: u32) -> (u32, u32) {
        let position = self.line_col_chars(offset);
        (position.line + 1, position.col + 1)
    }

    /// Zero-based line and column in Unicode scalar values, as terminals count.
    fn line_col_chars(&self, offset: u32) -> LineCol {
        let position = self.index.line_col(offset);
        let line_start = self.index.line_start(position.line).unwrap_or(0);
        let offset = line_start + position.col;
        let (cursor_offset, cursor_line, cursor_col) = self.cursor.get();
        let (from, base_col) = if cursor_line == position.line && cursor_offset <= offset {
            (cursor_offset, cursor_col)
        } else {
            (line_start, 0)
        };
        let counted =
            self.text.get(floor_boundary(self.text, from as usize)..floor_boundary(self.text, offset as usize));
        let col = base_col + u32::try_from(counted.map_or(0, |part| part.chars().count())).unwrap_or(u32::MAX);
        self.cursor.set((offset, position.line, col));
        LineCol { line: position.line, col }
    }
}

fn floor_boundary(text: &str, index: usize) -> usize {
    iamlab_model::floor_char_boundary(text, index)
}

/// Every diagnostic of one file as rustc shows them.
pub fn render_diagnostics(file: &str, source: &SourceText<'_>, diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(|diagnostic| render_diagnostic(file, source, diagnostic)).collect()
}

/// One diagnostic as rustc shows it: header, location, source line, carets, help.
pub fn render_diagnostic(file: &str, source: &SourceText<'_>, diagnostic: &Diagnostic) -> String {
    let mut output = String::new();
    let _ = writeln!(output, "{}[{}]: {}", diagnostic.severity.as_str(), diagnostic.code, diagnostic.message);
    match diagnostic.primary_span() {
        Some(span) => {
            let position = source.line_col_chars(span.start);
            let _ = writeln!(output, "  --> {file}:{}:{}", position.line + 1, position.col + 1);
        }
        None => {
            let _ = writeln!(output, "  --> {file}");
        }
    }
    let mut labels: Vec<&Label> = diagnostic.labels.iter().collect();
    labels.sort_by_key(|label| (label.span.start, !label.primary));
    let gutter = labels
        .iter()
        .map(|label| (source.index.line_col(label.span.start).line + 1).to_string().len())
        .max()
        .unwrap_or(1);
    if !labels.is_empty() {
        let _ = writeln!(output, "{:gutter$} |", "");
    }
    let mut previous_line = None;
    for label in labels {
        let line = source.index.line_col(label.span.start).line;
        render_label(&mut output, source, label, gutter, previous_line != Some(line));
        previous_line = Some(line);
    }
    // The root's pointer is empty: the label already shows where it is, so say nothing.
    if let Some(path) = diagnostic.path.as_ref().filter(|path| !path.is_empty()) {
        let _ = writeln!(output, "{:gutter$} = at: {path}", "");
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(output, "{:gutter$} = help: {help}", "");
    }
    output.push('\n');
    output
}

/// Prints the label's source line (unless the previous label was on the same line) and a
/// marker line under the label's characters: `^` for the primary label, `-` for others.
/// Long lines are cut to a window of [`MAX_SHOWN_LINE_CHARS`] around the label; all the work
/// is within that window, whatever the line's length.
fn render_label(output: &mut String, source: &SourceText<'_>, label: &Label, gutter: usize, show_line: bool) {
    let text = source.text;
    let start = source.index.line_col(label.span.start);
    let Some(line_range) = source.index.line_range(start.line) else {
        return;
    };
    let line_end = floor_boundary(text, line_range.end);
    let line_end =
        if text.get(..line_end).is_some_and(|before| before.ends_with('\r')) { line_end - 1 } else { line_end };
    let line_start = floor_boundary(text, line_range.start).min(line_end);
    // Underline from the label's start to its end, or to the end of the line for spans that
    // continue on later lines.
    let span_start = floor_boundary(text, label.span.start as usize).clamp(line_start, line_end);
    let span_end = floor_boundary(text, label.span.end as usize).clamp(span_start, line_end);
    let chars_between = |from: usize, to: usize| text.get(from..to).map_or(0, |part| part.chars().count());
    // A long line is shown from up to 20 characters before the label.
    let line_is_long =
        text.get(line_start..line_end).is_some_and(|line| line.chars().nth(MAX_SHOWN_LINE_CHARS).is_some());
    let window_start = if line_is_long {
        text.get(line_start..span_start)
            .and_then(|before| before.char_indices().rev().nth(19).map(|(at, _)| line_start + at))
            .unwrap_or(line_start)
    } else {
        line_start
    };
    let window_end = text
        .get(window_start..line_end)
        .and_then(|rest| rest.char_indices().nth(MAX_SHOWN_LINE_CHARS).map(|(at, _)| window_start + at))
        .unwrap_or(line_end);
    let shown: String =
        text.get(window_start..window_end).unwrap_or("").chars().map(|ch| if ch == '\t' { ' ' } else { ch }).collect();
    let prefix = if window_start > line_start { "…" } else { "" };
    let suffix = if window_end < line_end { "…" } else { "" };
    // Each label of a long line has its own window, so the window is printed again above each
    // underline: markers computed for one window must never sit under another's text.
    if show_line || line_is_long {
        let _ = writeln!(output, "{:>gutter$} | {prefix}{shown}{suffix}", start.line + 1);
    }
    let padding = chars_between(window_start, span_start.min(window_end)) + prefix.chars().count();
    let width = chars_between(span_start.min(window_end), span_end.min(window_end)).max(1);
    let marker = if label.primary { "^" } else { "-" };
    let underline = format!("{}{} {}", " ".repeat(padding), marker.repeat(width), label.message);
    let _ = writeln!(output, "{:gutter$} | {}", "", underline.trim_end());
}

pub fn render_summary<'a>(diagnostics: impl Iterator<Item = &'a Diagnostic>) -> String {
    let (errors, warnings, others) = count(diagnostics);
    if errors + warnings + others == 0 {
        return "no problems found\n".to_owned();
    }
    format!("{errors} error(s), {warnings} warning(s), {others} note(s)\n")
}

fn count<'a>(diagnostics: impl Iterator<Item = &'a Diagnostic>) -> (usize, usize, usize) {
    diagnostics.fold((0, 0, 0), |(errors, warnings, others), diagnostic| match diagnostic.severity {
        Severity::Error => (errors + 1, warnings, others),
        Severity::Warning => (errors, warnings + 1, others),
        Severity::Info | Severity::Hint => (errors, warnings, others + 1),
    })
}

pub fn summary_json<'a>(diagnostics: impl Iterator<Item = &'a Diagnostic>) -> serde_json::Value {
    let (errors, warnings, others) = count(diagnostics);
    serde_json::json!({ "errors": errors, "warnings": warnings, "notes": others })
}

/// A file's diagnostics as JSON: the `Diagnostic` fields as they are, plus 1-based line and
/// column (in Unicode scalar values) of every label's start and end.
pub fn file_report_json(file: &str, source: &SourceText<'_>, diagnostics: &[Diagnostic]) -> serde_json::Value {
    let position = |offset: u32| {
        let line_col = source.line_col_chars(offset);
        serde_json::json!({ "line": line_col.line + 1, "column": line_col.col + 1 })
    };
    let diagnostics: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|diagnostic| {
            let mut value = serde_json::to_value(diagnostic).unwrap_or(serde_json::Value::Null);
            if let Some(labels) = value.get_mut("labels").and_then(serde_json::Value::as_array_mut) {
                for (label_json, label) in labels.iter_mut().zip(&diagnostic.labels) {
                    if let Some(object) = label_json.as_object_mut() {
                        object.insert("start".to_owned(), position(label.span.start));
                        object.insert("end".to_owned(), position(label.span.end));
                    }
                }
            }
            if let (Some(object), Some(span)) = (value.as_object_mut(), diagnostic.primary_span()) {
                object.insert("file".to_owned(), serde_json::Value::String(file.to_owned()));
                object.insert("span".to_owned(), serde_json::json!({ "start": span.start, "end": span.end }));
                object.insert("start".to_owned(), position(span.start));
                object.insert("end".to_owned(), position(span.end));
            }
            value
        })
        .collect();
    serde_json::json!({ "file": file, "diagnostics": diagnostics })
}

/// A decision for people: the effect, what decided, then every step. `name_of` gives each
/// document's name (the file name in the CLI).
pub fn render_decision(decision: &Decision, name_of: &dyn Fn(DocumentId) -> String) -> String {
    let mut output = String::new();
    let _ = writeln!(output, "effect: {}", decision.effect.as_str());
    if decision.decisive.is_empty() {
        let _ = writeln!(output, "decided by: nothing matched the request");
    }
    let place = |locator: &Locator| locator.describe(&locator.document.map(name_of).unwrap_or_default());
    for entry in &decision.decisive {
        let _ = writeln!(output, "decided by: {}: {}", place(&entry.locator), entry.reason);
    }
    if !decision.explanation.is_empty() {
        let _ = writeln!(output, "explanation:");
    }
    for step in &decision.explanation {
        // Notes about the evaluation as a whole have no document or element: print only what is there.
        let place = place(&step.locator);
        let place = if place.is_empty() { String::new() } else { format!("{place}: ") };
        let _ = writeln!(output, "  - [{}] {place}{}", step.outcome.as_str(), step.reason);
        for entry in &step.trace {
            let _ = writeln!(output, "      {} → {}", entry.text, entry.value);
        }
    }
    output
}
