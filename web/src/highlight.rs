//! Cuts an editor's text into runs for the layer under the textarea: plain runs, runs under a
//! diagnostic's primary span (drawn with a wavy underline), and point markers for empty spans
//! at the end of a line or of the text (where there is no character to underline). When the
//! document is highlighted, [`highlighted_layer_blocks`] draws every character with the engine's
//! colours, the underlines and the bracket marks composed on the same pieces.

use iamlab_engine::authoring::highlight::HighlightRun;
use iamlab_model::{Diagnostic, Severity, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run<'text> {
    Plain(&'text str),
    Underlined(&'text str, Severity),
    /// An empty span at the end of a line or of the text.
    Marker(Severity),
}

/// The runs of `text` under the first `limit` diagnostics; the most severe wins where spans
/// overlap. The runs' texts concatenate to `text`.
pub fn underline_runs<'text>(text: &'text str, diagnostics: &[Diagnostic], limit: usize) -> Vec<Run<'text>> {
    let mut ranges: Vec<(usize, usize, Severity)> = Vec::new();
    let mut markers: Vec<(usize, Severity)> = Vec::new();
    for diagnostic in diagnostics.iter().take(limit) {
        let Some(span) = diagnostic.primary_span() else { continue };
        let start = floor_boundary(text, span.start as usize);
        let end = floor_boundary(text, span.end as usize).max(start);
        if start < end {
            ranges.push((start, end, diagnostic.severity));
            continue;
        }
        // An empty span: underline the character after it, unless the line or text ends there.
        match text.get(start..).and_then(|rest| rest.chars().next()) {
            Some(ch) if ch != '\n' && ch != '\r' => ranges.push((start, start + ch.len_utf8(), diagnostic.severity)),
            _ => markers.push((start, diagnostic.severity)),
        }
    }

    let mut boundaries: Vec<usize> = vec![0, text.len()];
    boundaries.extend(ranges.iter().flat_map(|(start, end, _)| [*start, *end]));
    boundaries.extend(markers.iter().map(|(offset, _)| *offset));
    iamlab_model::order::sort(&mut boundaries);
    boundaries.dedup();

    let mut runs: Vec<Run<'text>> = Vec::new();
    for pair in boundaries.windows(2) {
        let [from, to] = pair else { continue };
        if let Some(severity) = most_severe(markers.iter().filter(|(offset, _)| offset == from).map(|(_, s)| *s)) {
            runs.push(Run::Marker(severity));
        }
        let piece = text.get(*from..*to).unwrap_or("");
        let covering =
            most_severe(ranges.iter().filter(|(start, end, _)| start <= from && to <= end).map(|(_, _, s)| *s));
        push_run(&mut runs, text, *from, piece, covering);
    }
    if let Some(severity) = most_severe(markers.iter().filter(|(offset, _)| *offset == text.len()).map(|(_, s)| *s)) {
        runs.push(Run::Marker(severity));
    }
    runs
}

/// What the layer under the textarea draws. Its text is transparent: only the underlines show,
/// so it needs the exact characters only before an underline on the same line (to put it at the
/// right column) and on the longest line (to give the layer the textarea's width). Every other
/// line is drawn empty, which keeps a 1 MB document from being laid out twice per keystroke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayerPiece<'text> {
    Text(&'text str),
    /// That many line breaks, standing for lines whose characters need not be drawn.
    LineBreaks(usize),
    Underlined(&'text str, Severity),
    Marker(Severity),
}

/// The pieces of the layer for `runs` (from [`underline_runs`] over `text`).
pub fn layer_pieces<'text>(text: &'text str, runs: &[Run<'text>]) -> Vec<LayerPiece<'text>> {
    // Byte ranges whose characters are kept: each underlined line up to its last underline, and
    // the longest line.
    let mut keep: Vec<(usize, usize)> = Vec::new();
    let mut offset = 0;
    for run in runs {
        match run {
            Run::Plain(piece) => offset += piece.len(),
            Run::Underlined(piece, _) => {
                keep.push((line_start(text, offset), offset + piece.len()));
                offset += piece.len();
            }
            Run::Marker(_) => keep.push((line_start(text, offset), offset)),
        }
    }
    keep.push(longest_line(text));
    iamlab_model::order::sort(&mut keep);

    let mut pieces = Vec::new();
    let mut offset = 0;
    for run in runs {
        match run {
            Run::Plain(piece) => {
                push_sparse(&mut pieces, text, offset, offset + piece.len(), &keep);
                offset += piece.len();
            }
            Run::Underlined(piece, severity) => {
                pieces.push(LayerPiece::Underlined(piece, *severity));
                offset += piece.len();
            }
            Run::Marker(severity) => pieces.push(LayerPiece::Marker(*severity)),
        }
    }
    pieces
}

/// Appends `text[from..to]`: the parts inside a kept range as text, the rest as line breaks.
fn push_sparse<'text>(
    pieces: &mut Vec<LayerPiece<'text>>,
    text: &'text str,
    from: usize,
    to: usize,
    keep: &[(usize, usize)],
) {
    let mut at = from;
    let drop = |pieces: &mut Vec<LayerPiece<'text>>, start: usize, end: usize| {
        let breaks = text.get(start..end).map_or(0, |dropped| dropped.bytes().filter(|byte| *byte == b'\n').count());
        if breaks > 0 {
            pieces.push(LayerPiece::LineBreaks(breaks));
        }
    };
    for &(keep_start, keep_end) in keep {
        if keep_end <= at || keep_start >= to || at >= to {
            continue;
        }
        let start = keep_start.max(at);
        let end = keep_end.min(to);
        drop(pieces, at, start);
        if let Some(kept) = text.get(start..end).filter(|kept| !kept.is_empty()) {
            pieces.push(LayerPiece::Text(kept));
        }
        at = end;
    }
    drop(pieces, at, to);
}

fn line_start(text: &str, offset: usize) -> usize {
    text.get(..offset).and_then(|before| before.rfind('\n')).map_or(0, |newline| newline + 1)
}

/// The byte range of the line with the most characters, without its line break.
fn longest_line(text: &str) -> (usize, usize) {
    let mut longest = (0, 0, 0);
    let mut start = 0;
    for line in text.split('\n') {
        let chars = line.chars().count();
        if chars > longest.2 {
            longest = (start, start + line.len(), chars);
        }
        start += line.len() + 1;
    }
    (longest.0, longest.1)
}

/// Appends a run, merging it into the previous one when both have the same look.
fn push_run<'text>(
    runs: &mut Vec<Run<'text>>,
    text: &'text str,
    from: usize,
    piece: &'text str,
    severity: Option<Severity>,
) {
    let merged = match (runs.last(), severity) {
        (Some(Run::Plain(previous)), None) => Some(Run::Plain(extend(text, from, previous, piece))),
        (Some(Run::Underlined(previous, last)), Some(severity)) if *last == severity => {
            Some(Run::Underlined(extend(text, from, previous, piece), severity))
        }
        _ => None,
    };
    match merged {
        Some(run) => {
            runs.pop();
            runs.push(run);
        }
        None => runs.push(match severity {
            Some(severity) => Run::Underlined(piece, severity),
            None => Run::Plain(piece),
        }),
    }
}

/// `previous` followed by `piece`, as one slice of `text` (they are adjacent there).
fn extend<'text>(text: &'text str, from: usize, previous: &str, piece: &str) -> &'text str {
    let start = from.saturating_sub(previous.len());
    text.get(start..from + piece.len()).unwrap_or("")
}

fn most_severe(severities: impl Iterator<Item = Severity>) -> Option<Severity> {
    // `Severity` orders from `Error` (most severe) to `Hint`.
    severities.min()
}

fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Lines per block of the highlighted layer. Each block is its own element with its own HTML,
/// so that a keystroke replaces (and the browser parses, styles and lays out again) only the
/// block it is in, not the whole document. Replacing a block costs in proportion to its size:
/// 16 lines took 0.3 ms of parsing, inserting and removing per keystroke in Chromium, before
/// its layout (profiled with the 50-rule role of `cargo xtask bench-browser`); 4 lines cost a
/// quarter of that, and a document of 64 KB, the largest highlighted, has at most a few
/// thousand blocks to compare.
pub const BLOCK_LINES: usize = 4;

/// The layer's HTML when the document is highlighted, one `<div>` per [`BLOCK_LINES`] lines:
/// every character drawn (the textarea's own text is then transparent), each piece with the
/// classes of the colour run, the underline and the bracket mark that cover it, so that colours
/// and underlines compose. `colours` are the engine's runs (in order, never overlapping),
/// `underlines` are [`underline_runs`] over the same text, `brackets` the marked bracket spans
/// with whether they have a partner. Each block holds its lines' line breaks, and the last one
/// an extra one: a line break that ends a block draws no line, so the lines stay the textarea's.
pub fn highlighted_layer_blocks(
    text: &str,
    underlines: &[Run<'_>],
    colours: &[HighlightRun],
    brackets: &[(Span, bool)],
) -> Vec<String> {
    // Underlined ranges and markers, in text order.
    let mut underlined: Vec<(usize, usize, Severity)> = Vec::new();
    let mut markers: Vec<(usize, Severity)> = Vec::new();
    let mut offset = 0;
    for run in underlines {
        match run {
            Run::Plain(piece) => offset += piece.len(),
            Run::Underlined(piece, severity) => {
                underlined.push((offset, offset + piece.len(), *severity));
                offset += piece.len();
            }
            Run::Marker(severity) => markers.push((offset, *severity)),
        }
    }
    // Where each block after the first starts: after every BLOCK_LINES-th line break.
    let mut block_starts: Vec<usize> = Vec::new();
    let mut lines = 0;
    for (index, byte) in text.bytes().enumerate() {
        if byte == b'\n' {
            lines += 1;
            if lines % BLOCK_LINES == 0 {
                block_starts.push(index + 1);
            }
        }
    }
    let clamp = |offset: u32| floor_boundary(text, offset as usize);
    let mut boundaries: Vec<usize> = vec![0, text.len()];
    boundaries.extend(underlined.iter().flat_map(|(start, end, _)| [*start, *end]));
    boundaries.extend(colours.iter().flat_map(|run| [clamp(run.span.start), clamp(run.span.end)]));
    boundaries.extend(brackets.iter().flat_map(|(span, _)| [clamp(span.start), clamp(span.end)]));
    boundaries.extend(markers.iter().map(|(offset, _)| *offset));
    boundaries.extend(block_starts.iter().copied());
    iamlab_model::order::sort(&mut boundaries);
    boundaries.dedup();

    let capacity = text.len() * 4 / (block_starts.len() + 1);
    let mut blocks: Vec<String> = Vec::with_capacity(block_starts.len() + 1);
    let mut html = String::with_capacity(capacity);
    html.push_str(BLOCK_OPEN);
    let (mut colour, mut underline, mut marker, mut block) = (0, 0, 0, 0);
    for (index, from) in boundaries.iter().enumerate() {
        if block_starts.get(block) == Some(from) {
            html.push_str(BLOCK_CLOSE);
            blocks.push(std::mem::replace(&mut html, String::with_capacity(capacity)));
            html.push_str(BLOCK_OPEN);
            block += 1;
        }
        while let Some((offset, severity)) = markers.get(marker).filter(|(offset, _)| offset <= from) {
            if offset == from {
                html.push_str("<span class=\"squiggle marker ");
                html.push_str(severity.as_str());
                html.push_str("\"> </span>");
            }
            marker += 1;
        }
        let Some(to) = boundaries.get(index + 1) else { break };
        while colours.get(colour).is_some_and(|run| clamp(run.span.end) <= *from) {
            colour += 1;
        }
        while underlined.get(underline).is_some_and(|(_, end, _)| end <= from) {
            underline += 1;
        }
        let colour_class =
            colours.get(colour).filter(|run| clamp(run.span.start) <= *from).map(|run| run.class.as_str());
        let severity =
            underlined.get(underline).filter(|(start, _, _)| start <= from).map(|(_, _, severity)| *severity);
        let bracket = brackets
            .iter()
            .find(|(span, _)| clamp(span.start) <= *from && *to <= clamp(span.end))
            .map(|(_, matched)| if *matched { "bracket-match" } else { "bracket-unmatched" });
        let piece = text.get(*from..*to).unwrap_or("");
        if colour_class.is_none() && severity.is_none() && bracket.is_none() {
            escape_into(&mut html, piece);
            continue;
        }
        html.push_str("<span class=\"");
        let mut separator = "";
        for class in
            [colour_class, severity.map(|_| "squiggle"), severity.map(Severity::as_str), bracket].into_iter().flatten()
        {
            html.push_str(separator);
            html.push_str(class);
            separator = " ";
        }
        html.push_str("\">");
        escape_into(&mut html, piece);
        html.push_str("</span>");
    }
    html.push('\n');
    html.push_str(BLOCK_CLOSE);
    blocks.push(html);
    blocks
}

const BLOCK_OPEN: &str = "<div class=\"editor-block\">";
const BLOCK_CLOSE: &str = "</div>";

/// Appends `text` to `html` as element content. The text between the characters to escape is
/// copied in slices, not character by character: every keystroke writes the whole layer.
pub fn escape_into(html: &mut String, text: &str) {
    let mut copied = 0;
    for (index, byte) in text.bytes().enumerate() {
        let escaped = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => continue,
        };
        // An ASCII byte always starts a character, so both slices are on boundaries.
        html.push_str(text.get(copied..index).unwrap_or(""));
        html.push_str(escaped);
        copied = index + 1;
    }
    html.push_str(text.get(copied..).unwrap_or(""));
}

#[cfg(test)]
mod tests {
    use super::*;
    use iamlab_model::Span;

    fn render(runs: &[Run<'_>]) -> String {
        runs.iter()
            .map(|run| match run {
                Run::Plain(text) => text.to_string(),
                Run::Underlined(text, severity) => format!("[{}:{text}]", severity.as_str()),
                Run::Marker(severity) => format!("<{}>", severity.as_str()),
            })
            .collect()
    }

    fn check(text: &str, spans: &[(u32, u32, Severity)], expect: &str) {
        let diagnostics: Vec<Diagnostic> = spans
            .iter()
            .map(|(start, end, severity)| {
                Diagnostic::new("t", *severity, "m").with_primary(Span::new(*start, *end), "")
            })
            .collect();
        let runs = underline_runs(text, &diagnostics, 200);
        assert_eq!(render(&runs), expect);
        let plain: String = runs
            .iter()
            .map(|run| match run {
                Run::Plain(text) | Run::Underlined(text, _) => *text,
                Run::Marker(_) => "",
            })
            .collect();
        assert_eq!(plain, text, "runs must concatenate to the text");
    }

    #[test]
    fn underlines_spans_and_keeps_the_text() {
        check("{\"a\": @}", &[(6, 7, Severity::Error)], "{\"a\": [error:@]}");
        check("abcdef", &[(1, 4, Severity::Warning), (2, 3, Severity::Error)], "a[warning:b][error:c][warning:d]ef");
        check("abc", &[], "abc");
    }

    #[test]
    fn empty_spans_underline_the_next_character_or_mark_the_line_end() {
        check("ab", &[(1, 1, Severity::Error)], "a[error:b]");
        check("ab\ncd", &[(2, 2, Severity::Error)], "ab<error>\ncd");
        check("{", &[(1, 1, Severity::Error)], "{<error>");
    }

    fn check_layer(text: &str, spans: &[(u32, u32)], expect: &str) {
        let diagnostics: Vec<Diagnostic> = spans
            .iter()
            .map(|(start, end)| Diagnostic::error("t", "m").with_primary(Span::new(*start, *end), ""))
            .collect();
        let runs = underline_runs(text, &diagnostics, 200);
        let rendered: String = layer_pieces(text, &runs)
            .iter()
            .map(|piece| match piece {
                LayerPiece::Text(text) => text.to_string(),
                LayerPiece::LineBreaks(count) => "\n".repeat(*count),
                LayerPiece::Underlined(text, _) => format!("[{text}]"),
                LayerPiece::Marker(_) => "<>".to_owned(),
            })
            .collect();
        assert_eq!(rendered, expect);
        assert_eq!(rendered.matches('\n').count(), text.matches('\n').count(), "the layer keeps every line");
    }

    #[test]
    fn the_layer_draws_only_underlined_lines_and_the_longest_one() {
        // Line 2 is the longest; line 4 has the underline, drawn up to its end.
        check_layer("ab\nlongest-line\ncd\nx @ tail\nef", &[(21, 22)], "\nlongest-line\n\nx [@]\n");
        check_layer("ab", &[], "ab");
        check_layer("a\n\nb", &[(4, 4)], "a\n\nb<>");
        check_layer("é\n😀@", &[(7, 8)], "\n😀[@]");
    }

    #[test]
    fn spans_off_char_boundaries_or_past_the_end_are_clamped() {
        check("é", &[(1, 9, Severity::Error)], "[error:é]");
        check("ab", &[(5, 9, Severity::Hint)], "ab<hint>");
    }

    fn check_html(text: &str, underlined: &[(u32, u32)], brackets: &[(u32, u32, bool)], expect: &str) {
        let diagnostics: Vec<Diagnostic> = underlined
            .iter()
            .map(|(start, end)| Diagnostic::error("t", "m").with_primary(Span::new(*start, *end), ""))
            .collect();
        let runs = underline_runs(text, &diagnostics, 200);
        let colours = iamlab_engine::authoring::highlight::highlight(
            iamlab_model::Provider::Outscale,
            iamlab_engine::DocumentRole::Policy,
            text,
        )
        .runs;
        let brackets: Vec<(Span, bool)> =
            brackets.iter().map(|(start, end, matched)| (Span::new(*start, *end), *matched)).collect();
        let blocks: Vec<String> = highlighted_layer_blocks(text, &runs, &colours, &brackets)
            .iter()
            .map(|block| {
                block.strip_prefix(BLOCK_OPEN).and_then(|block| block.strip_suffix(BLOCK_CLOSE)).map(str::to_owned)
            })
            .collect::<Option<Vec<String>>>()
            .expect("every block is one element");
        assert_eq!(blocks.join("|"), expect);
    }

    #[test]
    fn the_highlighted_layer_composes_colours_underlines_and_bracket_marks() {
        check_html(
            r#"{"a": 1}"#,
            &[(1, 4), (6, 7)],
            &[(0, 1, true), (7, 8, true)],
            r#"<span class="hl-punct bracket-match">{</span><span class="hl-key squiggle error">"a"</span><span class="hl-punct">:</span> <span class="hl-number squiggle error">1</span><span class="hl-punct bracket-match">}</span>
"#,
        );
        // A key underlined from its middle, escaped text, a marker at the end of the text.
        check_html(
            "[\"<&>\"",
            &[(3, 5), (7, 7)],
            &[(0, 1, false)],
            r#"<span class="hl-punct bracket-unmatched">[</span><span class="hl-string">"&lt;</span><span class="hl-string squiggle error">&amp;&gt;</span><span class="hl-string">"</span><span class="squiggle marker error"> </span>
"#,
        );
        // The line after BLOCK_LINES starts the second block: the underline and the text that
        // cross it are cut there, and each block keeps its line breaks.
        let before = BLOCK_LINES as u32 - 1;
        let text = format!("{}[1,\n2]", "\n".repeat(BLOCK_LINES - 1));
        check_html(
            &text,
            &[(before, before + 6)],
            &[(before, before + 1, true), (before + 5, before + 6, true)],
            &format!(
                "{}{}|{}",
                "\n".repeat(BLOCK_LINES - 1),
                r#"<span class="hl-punct squiggle error bracket-match">[</span><span class="hl-number squiggle error">1</span><span class="hl-punct squiggle error">,</span><span class="squiggle error">
</span>"#,
                r#"<span class="hl-number squiggle error">2</span><span class="hl-punct squiggle error bracket-match">]</span>
"#
            ),
        );
        // A text that ends with a line break after a full block: its empty last line is a block.
        check_html(&"\n".repeat(BLOCK_LINES), &[], &[], &format!("{}|\n", "\n".repeat(BLOCK_LINES)));
    }
}
