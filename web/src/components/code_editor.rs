use crate::highlight::{layer_pieces, underline_runs, LayerPiece};
use crate::state::Reveal;
use iamlab_model::{utf8_to_utf16_offset, Diagnostic, LineIndex, Span};
use std::rc::Rc;
use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

/// How many diagnostics are underlined at most: enough for any real document, few enough that a
/// pathological one cannot make every keystroke slow.
const MAX_UNDERLINED: usize = 200;
/// Must match `--line-height` and `--char-width` in `style.css`; used to scroll a revealed span
/// into view.
const LINE_HEIGHT_PX: f64 = 20.0;
const CHAR_WIDTH_PX: f64 = 7.8;

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
                    {oninput} spellcheck="false" autocomplete="off" autocapitalize="off" wrap="off"
                    aria-label={props.label.clone()} />
            </div>
        </div>
    }
}

/// Selects `span` (bytes of `text`) in the textarea and scrolls it into view.
fn select_span(textarea_ref: &NodeRef, scroller_ref: &NodeRef, text: &str, span: Span) {
    let Some(textarea) = textarea_ref.cast::<HtmlTextAreaElement>() else { return };
    let _ = textarea.focus();
    let start = utf8_to_utf16_offset(text, span.start);
    let end = utf8_to_utf16_offset(text, span.end);
    let _ = textarea.set_selection_range(start, end);
    let Some(scroller) = scroller_ref.cast::<HtmlElement>() else { return };
    let position = LineIndex::new(text).line_col_utf16(text, span.start);
    let top = f64::from(position.line) * LINE_HEIGHT_PX;
    let height = f64::from(scroller.client_height());
    scroller.set_scroll_top((top - height / 3.0).max(0.0) as i32);
    let left = f64::from(position.col) * CHAR_WIDTH_PX;
    let width = f64::from(scroller.client_width());
    scroller.set_scroll_left(if left < width * 0.6 { 0 } else { (left - width / 2.0) as i32 });
}
