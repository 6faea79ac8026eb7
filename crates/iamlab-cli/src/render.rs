//! Turns diagnostics and decisions into text for people (rustc-like) and JSON for machines.
//! Line and column are computed here, at the edge: the engine speaks byte offsets only.

use iamlab_model::{Decision, Diagnostic, Label, LineIndex, Severity, StepOutcome};
use std::fmt::Write as _;

/// Lines longer than this are shown as a window around the underline, so that a 1 MB
/// single-line paste does not flood the terminal.
const MAX_SHOWN_LINE_CHARS: usize = 120;

/// One diagnostic as rustc shows it: header, location, source line, carets, help.
pub fn render_diagnostic(file: &str, text: &str, diagnostic: &Diagnostic) -> String {
    let index = LineIndex::new(text);
    let mut output = String::new();
    let _ = writeln!(output, "{}[{}]: {}", diagnostic.severity.as_str(), diagnostic.code, diagnostic.message);
    let primary = diagnostic.primary_span();
    match primary {
        Some(span) => {
            let position = index.line_col_chars(text, span.start);
            let _ = writeln!(output, "  --> {file}:{}:{}", position.line + 1, position.col + 1);
        }
        None => {
            let _ = writeln!(output, "  --> {file}");
        }
    }
    let mut labels: Vec<&Label> = diagnostic.labels.iter().collect();
    labels.sort_by_key(|label| (label.span.start, !label.primary));
    let gutter =
        labels.iter().map(|label| (index.line_col(label.span.start).line + 1).to_string().len()).max().unwrap_or(1);
    if !labels.is_empty() {
        let _ = writeln!(output, "{:gutter$} |", "");
    }
    let mut previous_line = None;
    for label in labels {
        let line = index.line_col(label.span.start).line;
        render_label(&mut output, text, &index, label, gutter, previous_line != Some(line));
        previous_line = Some(line);
    }
    if let Some(path) = &diagnostic.path {
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
fn render_label(output: &mut String, text: &str, index: &LineIndex, label: &Label, gutter: usize, show_line: bool) {
    let start = index.line_col(label.span.start);
    let Some(line_range) = index.line_range(start.line) else {
        return;
    };
    let line_text = text.get(line_range.clone()).unwrap_or("").trim_end_matches('\r');
    // Underline from the label's start to its end, or to the end of the line for spans that
    // continue on later lines.
    let span_start_in_line = (label.span.start as usize).saturating_sub(line_range.start).min(line_text.len());
    let span_end_in_line = (label.span.end as usize).saturating_sub(line_range.start).min(line_text.len());
    let chars: Vec<(usize, char)> = line_text.char_indices().collect();
    let start_char = chars.iter().position(|(offset, _)| *offset >= span_start_in_line).unwrap_or(chars.len());
    let end_char = chars.iter().position(|(offset, _)| *offset >= span_end_in_line).unwrap_or(chars.len());
    let window_start = if end_char > MAX_SHOWN_LINE_CHARS { start_char.saturating_sub(20) } else { 0 };
    let window_end = chars.len().min(window_start + MAX_SHOWN_LINE_CHARS);
    let shown: String = chars
        .get(window_start..window_end)
        .unwrap_or(&[])
        .iter()
        .map(|(_, ch)| if *ch == '\t' { ' ' } else { *ch })
        .collect();
    let prefix = if window_start > 0 { "…" } else { "" };
    let suffix = if window_end < chars.len() { "…" } else { "" };
    if show_line {
        let _ = writeln!(output, "{:>gutter$} | {prefix}{shown}{suffix}", start.line + 1);
    }
    let padding = start_char.saturating_sub(window_start) + prefix.chars().count();
    let width = end_char.saturating_sub(start_char).min(window_end.saturating_sub(start_char)).max(1);
    let marker = if label.primary { "^" } else { "-" };
    let _ = writeln!(output, "{:gutter$} | {}{} {}", "", " ".repeat(padding), marker.repeat(width), label.message);
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
pub fn file_report_json(file: &str, text: &str, diagnostics: &[Diagnostic]) -> serde_json::Value {
    let index = LineIndex::new(text);
    let position = |offset: u32| {
        let line_col = index.line_col_chars(text, offset);
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

/// A decision for people: the effect, what decided, then every step.
pub fn render_decision(decision: &Decision) -> String {
    let mut output = String::new();
    let _ = writeln!(output, "effect: {}", decision.effect.as_str());
    if decision.decisive.is_empty() {
        let _ = writeln!(output, "decided by: nothing matched the request");
    }
    for entry in &decision.decisive {
        let layer = entry.layer.as_deref().map(|layer| format!("{layer} ")).unwrap_or_default();
        let sid = entry.sid.as_deref().map(|sid| format!(" (Sid {sid})")).unwrap_or_default();
        let _ = writeln!(output, "decided by: {layer}{} {}{sid}: {}", entry.document, entry.element, entry.reason);
    }
    if !decision.explanation.is_empty() {
        let _ = writeln!(output, "explanation:");
    }
    for step in &decision.explanation {
        let outcome = match step.outcome {
            StepOutcome::Matched => "matched",
            StepOutcome::NotMatched => "not matched",
            StepOutcome::Errored => "error",
            StepOutcome::NotEvaluated => "not evaluated",
            StepOutcome::Note => "note",
        };
        let sid = step.sid.as_deref().map(|sid| format!(" (Sid {sid})")).unwrap_or_default();
        let layer = step.layer.as_deref().map(|layer| format!("{layer} ")).unwrap_or_default();
        // Notes about the evaluation as a whole have no document or element: print only what is there.
        let place: Vec<&str> =
            [step.document.as_str(), step.element.as_str()].into_iter().filter(|part| !part.is_empty()).collect();
        let place = if place.is_empty() { String::new() } else { format!("{layer}{}{sid}: ", place.join(" ")) };
        let _ = writeln!(output, "  - [{outcome}] {place}{}", step.reason);
        for entry in &step.trace {
            let _ = writeln!(output, "      {} → {}", entry.text, entry.value);
        }
    }
    output
}
