use crate::components::completion_list::{completion_list, option_id};
use crate::highlight::{escape_into, highlighted_layer_blocks, layer_pieces, underline_runs, LayerPiece};
use crate::hooks::use_completion;
use crate::state::Reveal;
use iamlab_engine::authoring::format::format_document;
use iamlab_engine::authoring::highlight::{highlight, Highlighting};
use iamlab_engine::authoring::hover::{hover, hover_diagnostics, HoverInfo};
use iamlab_engine::{DocumentId, DocumentRole};
use iamlab_model::{utf16_to_utf8_offset, utf8_to_utf16_offset, Diagnostic, Fix, LineCol, LineIndex, Provider, Span};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlDocument, HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

/// How many diagnostics are underlined at most: enough for any real document, few enough that a
/// pathological one cannot make every keystroke slow.
const MAX_UNDERLINED: usize = 200;
/// Documents up to this size are highlighted (every character drawn in the layer); larger ones
/// keep the sparse layer of [`layer_pieces`], so that a 1 MB paste is not laid out twice.
const MAX_HIGHLIGHTED_BYTES: usize = 64 * 1024;
/// Must match `--line-height`, `--char-width` and the editor's padding in `style.css`; used to
/// scroll the caret or a revealed span into view, and to find the character under the pointer.
const LINE_HEIGHT_PX: f64 = 20.0;
const CHAR_WIDTH_PX: f64 = 7.8;
const PADDING_TOP_PX: f64 = 8.0;
const PADDING_LEFT_PX: f64 = 12.0;

#[derive(Properties, PartialEq)]
pub struct CodeEditorProps {
    /// The textarea's id.
    pub id: AttrValue,
    /// The accessible name of the textarea.
    pub label: AttrValue,
    pub text: AttrValue,
    /// Whose document it is and what it holds: the engine highlights, hovers and formats by them.
    pub provider: Provider,
    pub role: DocumentRole,
    pub diagnostics: Rc<Vec<Diagnostic>>,
    /// When it changes to `Some`, the span is selected and scrolled into view.
    #[prop_or_default]
    pub reveal: Option<Reveal>,
    /// The document's id, which each edit carries: the app's one edit callback then serves
    /// every editor and stays the same from render to render (yew compares callbacks by
    /// identity), so that an editor whose text did not change is not drawn again.
    pub document: DocumentId,
    pub onedit: Callback<(DocumentId, AttrValue)>,
    #[prop_or_default]
    pub class: Classes,
    /// A read-only embed (`?embed&readonly`): the text can be selected and copied, not changed.
    #[prop_or_default]
    pub readonly: bool,
    /// The gutter's marks as HTML text (the grid's coverage: rules and CEL branches its rows
    /// leave unpinned, from `test_grid::coverage_marks`), laid over the line numbers.
    #[prop_or_default]
    pub marks: AttrValue,
}

/// What the hover box shows, and where (pixels in the editor's text area).
#[derive(Clone, PartialEq)]
struct Hovered {
    info: HoverInfo,
    top: f64,
    left: f64,
    /// Shown for the caret (keyboard) rather than the pointer: leaving with the mouse keeps it.
    at_caret: bool,
}

/// A monospace editor with line numbers: a textarea over a layer that draws the engine's
/// highlighting, the diagnostics' underlines and the bracket marks at the same places (see
/// [`highlighted_layer_blocks`] and [`layer_pieces`]), a hover box, and a Format button.
#[component]
pub fn CodeEditor(props: &CodeEditorProps) -> Html {
    let textarea_ref = use_node_ref();
    let scroller_ref = use_node_ref();
    // The caret's byte offset while the textarea has the focus: the bracket next to it is marked.
    let caret = use_state_eq(|| None::<u32>);
    let hovered = use_state_eq(|| None::<Hovered>);
    let format_status = use_state_eq(|| None::<&'static str>);
    let completion = use_completion(props.provider, props.role);
    let line_count = props.text.bytes().filter(|byte| *byte == b'\n').count() + 1;
    let line_numbers =
        use_memo(line_count, |count| (1..=*count).map(|line| line.to_string()).collect::<Vec<_>>().join("\n"));
    let highlighting = use_memo((props.text.clone(), props.provider, props.role), |(text, provider, role)| {
        (text.len() <= MAX_HIGHLIGHTED_BYTES).then(|| highlight(*provider, *role, text))
    });
    {
        let textarea_ref = textarea_ref.clone();
        let scroller_ref = scroller_ref.clone();
        let text = props.text.clone();
        use_effect_with(props.reveal, move |reveal| {
            if let Some(reveal) = reveal {
                select_span(&textarea_ref, &scroller_ref, &text, reveal.span);
            }
        });
    }
    // The textarea is as large as its text and never scrolls itself, so the browser does not
    // scroll the editor to the caret: do it after each edit and each caret move by keyboard.
    {
        let textarea_ref = textarea_ref.clone();
        let scroller_ref = scroller_ref.clone();
        use_effect_with(props.text.clone(), move |text| {
            keep_caret_in_view_next_frame(textarea_ref, scroller_ref, text.clone())
        });
    }
    let follow_caret = caret_follower(props, &textarea_ref, &caret, &hovered);
    let onkeyup = {
        let textarea_ref = textarea_ref.clone();
        let scroller_ref = scroller_ref.clone();
        let text = props.text.clone();
        let follow_caret = follow_caret.clone();
        let hovered = hovered.clone();
        let completion = completion.clone();
        Callback::from(move |event: KeyboardEvent| {
            keep_caret_in_view(&textarea_ref, &scroller_ref, &text);
            let key = event.key();
            let navigation = matches!(
                key.as_str(),
                "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" | "Home" | "End" | "PageUp" | "PageDown" | "Tab"
            );
            if key == "Escape" {
                hovered.set(None);
            } else if navigation && completion.shown_for(&text).is_none() {
                follow_caret.emit(CaretMove::Moved);
            } else {
                follow_caret.emit(CaretMove::Typed);
            }
        })
    };
    let onmouseup = {
        let completion = completion.clone();
        follow_caret.reform(move |_: MouseEvent| {
            completion.close();
            CaretMove::Moved
        })
    };
    let onblur = {
        let caret = caret.clone();
        let hovered = hovered.clone();
        let completion = completion.clone();
        Callback::from(move |_: FocusEvent| {
            completion.close();
            caret.set(None);
            if (*hovered).as_ref().is_some_and(|shown| shown.at_caret) {
                hovered.set(None);
            }
        })
    };
    let onmousemove = pointer_hover(props, &hovered);
    let onmouseleave = {
        let hovered = hovered.clone();
        Callback::from(move |_: MouseEvent| {
            if (*hovered).as_ref().is_some_and(|shown| !shown.at_caret) {
                hovered.set(None);
            }
        })
    };
    let oninput = {
        let completion = completion.clone();
        let document = props.document;
        props.onedit.reform(move |event: InputEvent| {
            let textarea: HtmlTextAreaElement = event.target_unchecked_into();
            let text = AttrValue::from(textarea.value());
            completion.after_input(&event, &textarea, &text);
            (document, text)
        })
    };
    // Completion's keys (Ctrl-Space, and the list's own while it is open).
    let onkeydown = {
        let completion = completion.clone();
        Callback::from(move |event: KeyboardEvent| {
            if completion.on_keydown(&event, &event.target_unchecked_into()) {
                event.prevent_default();
            }
        })
    };
    let completions_id = format!("{}-completions", props.id);
    let shown_completions = completion.shown_for(&props.text);
    let active_completion = shown_completions.map(|shown| option_id(&completions_id, shown.selected));
    let completions = {
        let textarea_ref = textarea_ref.clone();
        let picker = completion.clone();
        let onpick = Callback::from(move |index: usize| {
            if let Some(textarea) = textarea_ref.cast::<HtmlTextAreaElement>() {
                picker.accept(&textarea, index);
            }
        });
        completion_list(&completions_id, &completion.list_ref, shown_completions, onpick)
    };

    let brackets = (*highlighting).as_ref().map_or_else(Vec::new, |highlighting| marked_brackets(highlighting, *caret));
    let inputs = (props.text.clone(), props.provider, props.role, props.diagnostics.clone(), brackets);
    let shown = Rc::clone(&highlighting);
    let blocks =
        use_memo(inputs, move |(text, _, _, diagnostics, brackets)| layer_blocks(text, &shown, diagnostics, brackets));
    let layer = layer(props, &blocks);
    let hover_id = format!("{}-hover", props.id);
    // The page's CSP refuses inline `style` attributes: the box is placed through the CSSOM.
    let hover_ref = use_node_ref();
    {
        let hover_ref = hover_ref.clone();
        let place = (*hovered).as_ref().map(|shown| (shown.top, shown.left));
        use_effect_with(place, move |place| {
            if let (Some((top, left)), Some(element)) = (place, hover_ref.cast::<HtmlElement>()) {
                let style = element.style();
                let _ = style.set_property("top", &format!("{top}px"));
                let _ = style.set_property("left", &format!("{left}px"));
            }
        });
    }
    // Always drawn (hidden when empty): a child appearing or disappearing after the textarea
    // would make the unkeyed reconciliation rebuild the textarea, losing its focus and caret.
    let hover_box = {
        let content = (*hovered).as_ref().map_or_else(String::new, |shown| hover_html(&shown.info));
        let content = Html::from_html_unchecked(AttrValue::from(content));
        html! {
            <div id={hover_id.clone()} ref={hover_ref.clone()} class="editor-hover" role="tooltip" hidden={hovered.is_none()}>
                { content }
            </div>
        }
    };
    let format_tools = (!props.readonly).then(|| format_tools(props, &textarea_ref, &format_status));
    html! {
        <div class="editor-frame">
            { for format_tools }
            <div class={classes!("editor", highlighting.is_some().then_some("highlighted"), props.class.clone())} ref={scroller_ref}>
                <pre class="editor-gutter" aria-hidden="true">{ (*line_numbers).clone() }{ Html::from_html_unchecked(props.marks.clone()) }</pre>
                <div class="editor-stack">
                    <pre class="editor-layer" aria-hidden="true">{ layer }</pre>
                    <textarea id={props.id.clone()} ref={textarea_ref} class="editor-input" value={props.text.clone()}
                        {oninput} {onkeydown} {onkeyup} {onmouseup} {onblur} {onmousemove} {onmouseleave}
                        readonly={props.readonly} spellcheck="false" autocomplete="off" autocapitalize="off" wrap="off"
                        aria-label={props.label.clone()} aria-describedby={hovered.is_some().then(|| AttrValue::from(hover_id.clone()))}
                        aria-autocomplete="list" aria-controls={completions_id.clone()} aria-activedescendant={active_completion} />
                    { hover_box }
                    { completions }
                </div>
            </div>
        </div>
    }
}

/// What the layer under the textarea draws: the highlighted blocks, composed again only when
/// what they show changes (not when the hover box or the format status do), or the sparse
/// layer of a document too large to highlight.
fn layer(props: &CodeEditorProps, blocks: &Option<Vec<AttrValue>>) -> Html {
    match blocks {
        // A block whose HTML is the same as last time is left alone in the DOM (and not styled or
        // laid out again). While the number of blocks stays, each is compared with the one at
        // its place; when it changes (every BLOCK_LINES lines), all are drawn again once.
        Some(blocks) => blocks.iter().map(|block| Html::from_html_unchecked(block.clone())).collect(),
        None => sparse_layer(&props.text, &underline_runs(&props.text, &props.diagnostics, MAX_UNDERLINED)),
    }
}

/// The highlighted layer's blocks ([`highlighted_layer_blocks`]), `None` when not highlighted.
fn layer_blocks(
    text: &str,
    highlighting: &Option<Highlighting>,
    diagnostics: &[Diagnostic],
    brackets: &[(Span, bool)],
) -> Option<Vec<AttrValue>> {
    let runs = underline_runs(text, diagnostics, MAX_UNDERLINED);
    let blocks = highlighted_layer_blocks(text, &runs, &highlighting.as_ref()?.runs, brackets);
    Some(blocks.into_iter().map(AttrValue::from).collect())
}

/// The layer of a document too large to highlight: only the underlines are drawn. Written as
/// HTML text, as the highlighted layer is: one string costs the wasm less than a virtual node
/// per piece.
fn sparse_layer(text: &str, runs: &[crate::highlight::Run<'_>]) -> Html {
    let mut html = String::new();
    for piece in layer_pieces(text, runs) {
        match piece {
            LayerPiece::Text(text) => escape_into(&mut html, text),
            LayerPiece::LineBreaks(count) => html.extend(std::iter::repeat_n('\n', count)),
            LayerPiece::Underlined(text, severity) => {
                html.push_str("<span class=\"squiggle ");
                html.push_str(severity.as_str());
                html.push_str("\">");
                escape_into(&mut html, text);
                html.push_str("</span>");
            }
            LayerPiece::Marker(severity) => {
                html.push_str("<span class=\"squiggle marker ");
                html.push_str(severity.as_str());
                html.push_str("\"> </span>");
            }
        }
    }
    // The trailing newline gives the layer the textarea's height when the text ends with an
    // empty line.
    html.push('\n');
    Html::from_html_unchecked(AttrValue::from(html))
}

/// The bracket next to the caret and its partner, each with whether the pair is complete.
fn marked_brackets(highlighting: &Highlighting, caret: Option<u32>) -> Vec<(Span, bool)> {
    let Some(bracket) = caret.and_then(|caret| highlighting.bracket_at(caret)) else { return Vec::new() };
    match bracket.partner {
        Some(partner) => {
            let (first, second) =
                if partner.start < bracket.span.start { (partner, bracket.span) } else { (bracket.span, partner) };
            vec![(first, true), (second, true)]
        }
        None => vec![(bracket.span, false)],
    }
}

/// How the caret got where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CaretMove {
    /// A key that changes the text: only the diagnostics under the caret are looked up, so that
    /// typing does not read the document's tokens a second time.
    Typed,
    /// A navigation key or a click: the catalogue entry under the caret is shown too.
    Moved,
}

/// Reads the caret after a key (Tab into the editor included) or a click: it marks the bracket
/// next to it, and a caret on an underline or, after a move, on a catalogued name shows it in the
/// hover box (keyboard users get what the pointer gets).
fn caret_follower(
    props: &CodeEditorProps,
    textarea_ref: &NodeRef,
    caret: &UseStateHandle<Option<u32>>,
    hovered: &UseStateHandle<Option<Hovered>>,
) -> Callback<CaretMove> {
    let textarea_ref = textarea_ref.clone();
    let caret = caret.clone();
    let hovered = hovered.clone();
    let (provider, role, diagnostics, text) =
        (props.provider, props.role, props.diagnostics.clone(), props.text.clone());
    Callback::from(move |how: CaretMove| {
        let Some(textarea) = textarea_ref.cast::<HtmlTextAreaElement>() else { return };
        let (Ok(Some(start)), Ok(Some(end))) = (textarea.selection_start(), textarea.selection_end()) else { return };
        // The text as last rendered, as `keep_caret_in_view` reads it: no copy of the value.
        let offset = utf16_to_utf8_offset(&text, end);
        caret.set(Some(offset));
        let look_up = |offset: u32| match how {
            CaretMove::Moved if text.len() <= MAX_HIGHLIGHTED_BYTES => {
                hover(provider, role, &text, offset, &diagnostics)
            }
            _ => hover_diagnostics(offset, &diagnostics),
        };
        match (start == end).then(|| look_up(offset)).flatten() {
            Some(info) => {
                let position = LineIndex::new(&text).line_col_utf16(&text, offset);
                hovered.set(Some(Hovered {
                    info,
                    top: below(position.line),
                    left: column_left(position.col),
                    at_caret: true,
                }));
            }
            None if (*hovered).as_ref().is_some_and(|shown| shown.at_caret) => hovered.set(None),
            None => {}
        }
    })
}

/// The hover box for the character under the pointer, found from the pointer's position with
/// the editor's line height and character width (the textarea is on top of everything).
fn pointer_hover(props: &CodeEditorProps, hovered: &UseStateHandle<Option<Hovered>>) -> Callback<MouseEvent> {
    let hovered = hovered.clone();
    let (provider, role, diagnostics, text) =
        (props.provider, props.role, props.diagnostics.clone(), props.text.clone());
    // The last offset looked up: moving within one character asks the engine nothing.
    let last = Rc::new(std::cell::Cell::new(None::<Option<u32>>));
    Callback::from(move |event: MouseEvent| {
        let line = ((f64::from(event.offset_y()) - PADDING_TOP_PX) / LINE_HEIGHT_PX).floor();
        let col = ((f64::from(event.offset_x()) - PADDING_LEFT_PX) / CHAR_WIDTH_PX).floor();
        let offset = (line >= 0.0 && col >= 0.0).then(|| offset_at(&text, line as usize, col as usize)).flatten();
        if last.replace(Some(offset)) == Some(offset) {
            return;
        }
        // Catalogue entries need the document's tokens: only where the text is highlighted too.
        let info = offset.and_then(|offset| {
            if text.len() <= MAX_HIGHLIGHTED_BYTES {
                hover(provider, role, &text, offset, &diagnostics)
            } else {
                hover_diagnostics(offset, &diagnostics)
            }
        });
        match info {
            Some(info) => {
                let shown = Hovered { info, top: below(line as u32), left: column_left(col as u32), at_caret: false };
                hovered.set(Some(shown));
            }
            None if (*hovered).as_ref().is_some_and(|shown| !shown.at_caret) => hovered.set(None),
            None => {}
        }
    })
}

/// The byte offset of UTF-16 column `col` of zero-based `line`, if the line is that long.
fn offset_at(text: &str, line: usize, col: usize) -> Option<u32> {
    let line_text = text.split('\n').nth(line)?;
    let line_start = line_text.as_ptr() as usize - text.as_ptr() as usize;
    let mut units = 0;
    for (index, ch) in line_text.char_indices() {
        units += ch.len_utf16();
        if units > col {
            return u32::try_from(line_start + index).ok();
        }
    }
    None
}

pub(crate) fn below(line: u32) -> f64 {
    PADDING_TOP_PX + f64::from(line + 1) * LINE_HEIGHT_PX + 2.0
}

pub(crate) fn column_left(col: u32) -> f64 {
    PADDING_LEFT_PX + f64::from(col) * CHAR_WIDTH_PX
}

/// The hover box's content: each diagnostic's code, message and help, then the catalogue
/// entry. Written as HTML text (escaped) rather than with `html!`: the box is rebuilt whole on
/// every change, and the text costs less wasm than one virtual node per line.
fn hover_html(info: &HoverInfo) -> String {
    let mut html = String::new();
    for item in &info.items {
        let kind = item.severity.map_or("entry", |severity| severity.as_str());
        html.push_str(&format!("<div class=\"hover-item {kind}\"><div class=\"hover-title\">"));
        escape_into(&mut html, &item.title);
        html.push_str("</div>");
        for line in &item.lines {
            html.push_str("<div class=\"hover-line\"><span class=\"hover-label\">");
            escape_into(&mut html, line.label);
            html.push_str("</span> <span class=\"hover-text\">");
            escape_into(&mut html, &line.text);
            html.push_str("</span></div>");
        }
        html.push_str("</div>");
    }
    html
}

/// The Format button and what it last said. Formatting goes through the browser's editing
/// commands on the one range that changes (see [`replace_range`]), so Ctrl-Z undoes it.
fn format_tools(
    props: &CodeEditorProps,
    textarea_ref: &NodeRef,
    status: &UseStateHandle<Option<&'static str>>,
) -> Html {
    let onclick = {
        let textarea_ref = textarea_ref.clone();
        let status = status.clone();
        let (provider, role) = (props.provider, props.role);
        Callback::from(move |_: MouseEvent| {
            let Some(textarea) = textarea_ref.cast::<HtmlTextAreaElement>() else { return };
            let text = textarea.value();
            match format_document(provider, role, &text) {
                Ok(formatted) if formatted == text => status.set(Some("already formatted")),
                Ok(formatted) => {
                    let (span, replacement) = changed_range(&text, &formatted);
                    if let Some(document) = web_sys::window().and_then(|window| window.document()) {
                        replace_range(&document, &textarea, &text, span, replacement);
                    }
                    status.set(None);
                }
                Err(_) => status.set(Some("fix the JSON errors first")),
            }
        })
    };
    let shown: Option<&'static str> = **status;
    html! {
        <div class="editor-tools">
            <span class="editor-status" aria-live="polite">{ shown.unwrap_or("") }</span>
            <button type="button" class="format-button" id={format!("{}-format", props.id)} {onclick}
                title="Canonical indentation and the provider's documented key order (Ctrl-Z undoes it)">{ "Format" }</button>
        </div>
    }
}

/// The one range of `old` that `new` replaces (bytes of `old`) and its replacement: the common
/// prefix and suffix stay, so that the edit and its undo touch only what changed.
fn changed_range<'new>(old: &str, new: &'new str) -> (Span, &'new str) {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .take_while(|((_, a), b)| a == b)
        .last()
        .map_or(0, |((index, ch), _)| index + ch.len_utf8());
    let old_rest = old.get(prefix..).unwrap_or("");
    let new_rest = new.get(prefix..).unwrap_or("");
    let suffix: usize = old_rest
        .chars()
        .rev()
        .zip(new_rest.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(ch, _)| ch.len_utf8())
        .sum();
    let old_end = old.len() - suffix.min(old_rest.len());
    let new_end = new.len() - suffix.min(new_rest.len());
    let span = Span::from_usize(prefix, old_end);
    (span, new.get(prefix..new_end).unwrap_or(""))
}

/// Applies `fix` (bytes of `text`, the textarea's value) in the textarea `editor_id` as the
/// browser's own edit: the span is selected and replaced through `execCommand('insertText')`,
/// so that the edit lands on the undo stack (Ctrl-Z takes it back) and the textarea's `input`
/// event carries the new text to the engine, exactly as typing would.
pub fn apply_fix(editor_id: &str, text: &str, fix: &Fix) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
    let Some(textarea) =
        document.get_element_by_id(editor_id).and_then(|element| element.dyn_into::<HtmlTextAreaElement>().ok())
    else {
        return;
    };
    replace_range(&document, &textarea, text, fix.span, &fix.replacement);
}

/// Replaces `span` (bytes of `text`) in `textarea` with `replacement` through the browser's
/// editing commands (undoable). An empty replacement deletes.
pub fn replace_range(
    document: &web_sys::Document,
    textarea: &HtmlTextAreaElement,
    text: &str,
    span: Span,
    replacement: &str,
) {
    let _ = textarea.focus();
    let start = utf8_to_utf16_offset(text, span.start);
    let end = utf8_to_utf16_offset(text, span.end);
    let _ = textarea.set_selection_range(start, end);
    let Some(document) = document.dyn_ref::<HtmlDocument>() else { return };
    let _ = if replacement.is_empty() {
        document.exec_command("delete")
    } else {
        document.exec_command_with_show_ui_and_value("insertText", false, replacement)
    };
}

/// Selects `span` (bytes of `text`) in the textarea and scrolls it into view.
fn select_span(textarea_ref: &NodeRef, scroller_ref: &NodeRef, text: &str, span: Span) {
    let Some(textarea) = textarea_ref.cast::<HtmlTextAreaElement>() else { return };
    let _ = textarea.focus();
    let start = utf8_to_utf16_offset(text, span.start);
    let end = utf8_to_utf16_offset(text, span.end);
    let _ = textarea.set_selection_range(start, end);
    if let Some(scroller) = scroller_ref.cast::<HtmlElement>() {
        let position = LineIndex::new(text).line_col_utf16(text, span.start);
        scroll_to(&scroller, position, Placement::Third);
    }
}

/// [`keep_caret_in_view`] at the start of the next frame, when the browser lays the page out
/// anyway: called right after an edit is drawn, it would force a layout of the page just patched
/// on every keystroke. The scroll still lands before that frame is painted.
fn keep_caret_in_view_next_frame(textarea_ref: NodeRef, scroller_ref: NodeRef, text: AttrValue) {
    let frame = Closure::once_into_js(move || keep_caret_in_view(&textarea_ref, &scroller_ref, &text));
    if let Some(window) = web_sys::window() {
        let _ = window.request_animation_frame(frame.unchecked_ref());
    }
}

/// Scrolls the caret of the focused textarea into view, if it is out of it. `text` is the
/// textarea's value, as last rendered.
fn keep_caret_in_view(textarea_ref: &NodeRef, scroller_ref: &NodeRef, text: &str) {
    let (Some(textarea), Some(scroller)) =
        (textarea_ref.cast::<HtmlTextAreaElement>(), scroller_ref.cast::<HtmlElement>())
    else {
        return;
    };
    if !textarea.matches(":focus").unwrap_or(false) {
        return;
    }
    let Ok(Some(caret)) = textarea.selection_end() else { return };
    // One pass over the text before the caret, without copying the textarea's value out of the
    // browser: this runs on every keystroke, also in a 1 MB document.
    let before = text.get(..utf16_to_utf8_offset(text, caret) as usize).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let line = before.bytes().filter(|byte| *byte == b'\n').count();
    let col: usize = before.get(line_start..).unwrap_or("").chars().map(char::len_utf16).sum();
    let position =
        LineCol { line: u32::try_from(line).unwrap_or(u32::MAX), col: u32::try_from(col).unwrap_or(u32::MAX) };
    scroll_to(&scroller, position, Placement::Nearest);
}

enum Placement {
    /// Scroll only as much as needed to show the position.
    Nearest,
    /// Put the position a third of the way down, at the left when the line start fits.
    Third,
}

/// Scrolls the editor so that `position` (line and UTF-16 column) is visible beside the sticky
/// gutter.
fn scroll_to(scroller: &HtmlElement, position: LineCol, placement: Placement) {
    let gutter = scroller
        .first_element_child()
        .and_then(|gutter| gutter.dyn_into::<HtmlElement>().ok())
        .map_or(0.0, |gutter| f64::from(gutter.offset_width()));
    let top = PADDING_TOP_PX + f64::from(position.line) * LINE_HEIGHT_PX;
    let left = gutter + PADDING_LEFT_PX + f64::from(position.col) * CHAR_WIDTH_PX;
    let height = f64::from(scroller.client_height());
    let width = f64::from(scroller.client_width());
    let (scroll_top, scroll_left) = (f64::from(scroller.scroll_top()), f64::from(scroller.scroll_left()));
    match placement {
        Placement::Third => {
            scroller.set_scroll_top((top - height / 3.0).max(0.0) as i32);
            let fits = left + CHAR_WIDTH_PX < width * 0.8;
            scroller.set_scroll_left(if fits { 0 } else { (left - gutter - (width - gutter) / 2.0).max(0.0) as i32 });
        }
        Placement::Nearest => {
            if top < scroll_top + PADDING_TOP_PX {
                scroller.set_scroll_top((top - PADDING_TOP_PX).max(0.0) as i32);
            } else if top + LINE_HEIGHT_PX > scroll_top + height {
                scroller.set_scroll_top((top + 2.0 * LINE_HEIGHT_PX - height).max(0.0) as i32);
            }
            let margin = 4.0 * CHAR_WIDTH_PX;
            if left < scroll_left + gutter + CHAR_WIDTH_PX {
                scroller.set_scroll_left((left - gutter - margin).max(0.0) as i32);
            } else if left + CHAR_WIDTH_PX > scroll_left + width {
                scroller.set_scroll_left((left + margin - width).max(0.0) as i32);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expect` is `old` with the replaced range written `[old→new]`.
    fn check(old: &str, new: &str, expect: &str) {
        let (span, replacement) = changed_range(old, new);
        let range = span.range();
        let shown = format!("{}[{}→{replacement}]{}", &old[..range.start], &old[range.clone()], &old[range.end..]);
        assert_eq!(shown, expect);
        assert_eq!(format!("{}{replacement}{}", &old[..range.start], &old[range.end..]), new);
    }

    #[test]
    fn format_replaces_only_the_range_that_changes() {
        check("{\"a\": 1}", "{\n  \"a\": 1\n}\n", "{[\"a\": 1}→\n  \"a\": 1\n}\n]");
        check("{\n\"a\": 1\n}\n", "{\n  \"a\": 1\n}\n", "{\n[→  ]\"a\": 1\n}\n");
        check("same", "same", "same[→]");
        check("é1é", "é2é", "é[1→2]é");
        check("aXa", "aa", "a[X→]a");
    }
}
