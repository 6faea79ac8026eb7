use crate::highlight::{layer_pieces, underline_runs, LayerPiece};
use crate::state::Reveal;
use iamlab_model::{utf16_to_utf8_offset, utf8_to_utf16_offset, Diagnostic, Fix, LineCol, LineIndex, Span};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlDocument, HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

/// How many diagnostics are underlined at most: enough for any real document, few enough that a
/// pathological one cannot make every keystroke slow.
const MAX_UNDERLINED: usize = 200;
/// Must match `--line-height`, `--char-width` and the editor's padding in `style.css`; used to
/// scroll the caret or a revealed span into view.
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
    pub diagnostics: Rc<Vec<Diagnostic>>,
    /// When it changes to `Some`, the span is selected and scrolled into view.
    #[prop_or_default]
    pub reveal: Option<Reveal>,
    pub onedit: Callback<AttrValue>,
    #[prop_or_default]
    pub class: Classes,
    /// A read-only embed (`?embed&readonly`): the text can be selected and copied, not changed.
    #[prop_or_default]
    pub readonly: bool,
}

/// A monospace editor with line numbers: a textarea over a layer that draws the diagnostics'
/// spans underlined at the same places (see [`layer_pieces`]).
#[component]
pub fn CodeEditor(props: &CodeEditorProps) -> Html {
    let textarea_ref = use_node_ref();
    let scroller_ref = use_node_ref();
    let line_count = props.text.bytes().filter(|byte| *byte == b'\n').count() + 1;
    let line_numbers =
        use_memo(line_count, |count| (1..=*count).map(|line| line.to_string()).collect::<Vec<_>>().join("\n"));
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
        use_effect_with(props.text.clone(), move |text| keep_caret_in_view(&textarea_ref, &scroller_ref, text));
    }
    let onkeyup = {
        let textarea_ref = textarea_ref.clone();
        let scroller_ref = scroller_ref.clone();
        let text = props.text.clone();
        Callback::from(move |_: KeyboardEvent| keep_caret_in_view(&textarea_ref, &scroller_ref, &text))
    };
    let oninput = props.onedit.reform(|event: InputEvent| {
        let textarea: HtmlTextAreaElement = event.target_unchecked_into();
        AttrValue::from(textarea.value())
    });
    let runs = underline_runs(&props.text, &props.diagnostics, MAX_UNDERLINED);
    let layer = layer_pieces(&props.text, &runs).into_iter().map(|piece| match piece {
        LayerPiece::Text(text) => html! { { text.to_owned() } },
        LayerPiece::LineBreaks(count) => Html::from("\n".repeat(count)),
        LayerPiece::Underlined(text, severity) => {
            html! { <span class={classes!("squiggle", severity.as_str())}>{ text.to_owned() }</span> }
        }
        LayerPiece::Marker(severity) => {
            html! { <span class={classes!("squiggle", "marker", severity.as_str())}>{ " " }</span> }
        }
    });
    html! {
        <div class={classes!("editor", props.class.clone())} ref={scroller_ref}>
            <pre class="editor-gutter" aria-hidden="true">{ (*line_numbers).clone() }</pre>
            <div class="editor-stack">
                // The trailing newline gives the layer the textarea's height when the text ends
                // with an empty line.
                <pre class="editor-layer" aria-hidden="true">{ for layer }{ "\n" }</pre>
                <textarea id={props.id.clone()} ref={textarea_ref} class="editor-input" value={props.text.clone()}
                    {oninput} {onkeyup} readonly={props.readonly} spellcheck="false" autocomplete="off" autocapitalize="off" wrap="off"
                    aria-label={props.label.clone()} />
            </div>
        </div>
    }
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
