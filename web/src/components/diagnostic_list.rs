use crate::components::code_editor::apply_fix;
use crate::components::diagnostic_item::DiagnosticItem;
use iamlab_model::{Diagnostic, LineCol, LineIndex, Severity, Span};
use std::rc::Rc;
use yew::prelude::*;

/// How many findings are listed at most; the rest are counted. A pathological input can produce
/// thousands, and rendering them all on every keystroke would freeze the page.
const MAX_LISTED: usize = 200;

#[derive(Properties, PartialEq)]
pub struct DiagnosticListProps {
    pub id: AttrValue,
    pub title: AttrValue,
    /// The text the diagnostics' spans point into.
    pub text: AttrValue,
    pub diagnostics: Rc<Vec<Diagnostic>>,
    pub onreveal: Callback<Span>,
    /// The id of the textarea the text is in: when given, each fix the engine offers is a
    /// button that applies it there as an undoable edit.
    #[prop_or_default]
    pub editor: Option<AttrValue>,
}

/// The findings of one document, most relevant position first (the engine sorts them).
#[component]
pub fn DiagnosticList(props: &DiagnosticListProps) -> Html {
    let index = LineIndex::new(&props.text);
    let count = |severity: Severity| props.diagnostics.iter().filter(|d| d.severity == severity).count();
    let summary = [Severity::Error, Severity::Warning, Severity::Info, Severity::Hint]
        .into_iter()
        .filter_map(|severity| match count(severity) {
            0 => None,
            1 => Some(format!("1 {}", severity.as_str())),
            n => Some(format!("{n} {}s", severity.as_str())),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let items = props.diagnostics.iter().take(MAX_LISTED).map(|diagnostic| {
        let position = diagnostic.primary_span().map(|span| {
            let position = index.line_col_chars(&props.text, span.start);
            LineCol { line: position.line + 1, col: position.col + 1 }
        });
        let fixes = props.editor.iter().flat_map(|editor| {
            diagnostic.fixes.iter().map(move |fix| {
                let (editor, text, fix_to_apply) = (editor.clone(), props.text.clone(), fix.clone());
                let onclick = Callback::from(move |_: MouseEvent| apply_fix(&editor, &text, &fix_to_apply));
                html! { <button type="button" class="diag-fix" {onclick}>{ format!("Fix: {}", fix.title) }</button> }
            })
        });
        html! {
            <li>
                <DiagnosticItem diagnostic={diagnostic.clone()} {position} onreveal={props.onreveal.clone()} />
                { for fixes }
            </li>
        }
    });
    let hidden = props.diagnostics.len().saturating_sub(MAX_LISTED);
    html! {
        <section class="diagnostics" id={props.id.clone()} aria-label={props.title.clone()}>
            <h3>
                { &props.title }
                <span class="diag-summary">{ if summary.is_empty() { "no findings".to_owned() } else { summary } }</span>
            </h3>
            <ul class="diagnostic-list" role="list">{ for items }</ul>
            if hidden > 0 {
                <p class="diagnostics-more">{ format!("… and {hidden} more (the first {MAX_LISTED} are listed)") }</p>
            }
        </section>
    }
}
