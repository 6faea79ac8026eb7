use crate::components::code_editor::apply_fix;
use crate::highlight::escape_into;
use iamlab_engine::DocumentId;
use iamlab_model::{Diagnostic, LineIndex, Severity, Span};
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
    /// The document the spans are in, which each reveal carries (as an editor's edits do, so
    /// that one callback of the app's serves every list).
    pub document: DocumentId,
    pub onreveal: Callback<(DocumentId, Span)>,
    /// The id of the textarea the text is in: when given, each fix the engine offers is a
    /// button that applies it there as an undoable edit.
    #[prop_or_default]
    pub editor: Option<AttrValue>,
}

/// The findings of one document, most relevant position first (the engine sorts them): each
/// its severity, code, position, message and help, a button that selects its span, and a
/// button per fix. Written as HTML text, as the hover box is (the list is rebuilt whole on each
/// change, and text costs less wasm than a component and its nodes per finding); one click
/// handler reads which button was pressed from its data attributes.
#[component]
pub fn DiagnosticList(props: &DiagnosticListProps) -> Html {
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
    let items = items_html(&props.text, &props.diagnostics, props.editor.is_some());
    let onclick = {
        let (diagnostics, text, editor) = (props.diagnostics.clone(), props.text.clone(), props.editor.clone());
        let (onreveal, document) = (props.onreveal.clone(), props.document);
        Callback::from(move |event: MouseEvent| {
            let Some(button) = event
                .target_dyn_into::<web_sys::Element>()
                .and_then(|target| target.closest("button[data-index]").ok().flatten())
            else {
                return;
            };
            let number = |name: &str| button.get_attribute(name).and_then(|value| value.parse::<usize>().ok());
            let Some(diagnostic) = number("data-index").and_then(|index| diagnostics.get(index)) else { return };
            match (number("data-fix"), &editor) {
                (Some(fix), Some(editor)) => {
                    if let Some(fix) = diagnostic.fixes.get(fix) {
                        apply_fix(editor, &text, fix);
                    }
                }
                _ => {
                    if let Some(span) = diagnostic.primary_span() {
                        onreveal.emit((document, span));
                    }
                }
            }
        })
    };
    let hidden = props.diagnostics.len().saturating_sub(MAX_LISTED);
    html! {
        <section class="diagnostics" id={props.id.clone()} aria-label={props.title.clone()}>
            <h3>
                { &props.title }
                <span class="diag-summary">{ if summary.is_empty() { "no findings".to_owned() } else { summary } }</span>
            </h3>
            <ul class="diagnostic-list" role="list" {onclick}>{ Html::from_html_unchecked(AttrValue::from(items)) }</ul>
            if hidden > 0 {
                <p class="diagnostics-more">{ format!("… and {hidden} more (the first {MAX_LISTED} are listed)") }</p>
            }
        </section>
    }
}

/// The list's items as HTML: a finding with a span is a button that selects it, and with
/// `with_fixes` each of its fixes is a button that applies it.
fn items_html(text: &str, diagnostics: &[Diagnostic], with_fixes: bool) -> String {
    let index = LineIndex::new(text);
    let mut html = String::new();
    for (number, diagnostic) in diagnostics.iter().take(MAX_LISTED).enumerate() {
        let severity = diagnostic.severity.as_str();
        let span = diagnostic.primary_span();
        html.push_str("<li>");
        html.push_str(&match span {
            Some(_) => format!(
                "<button type=\"button\" class=\"diagnostic {severity}\" data-index=\"{number}\" title=\"Select this span in the editor\">"
            ),
            None => format!("<div class=\"diagnostic {severity}\">"),
        });
        html.push_str(&format!("<span class=\"diag-severity\">{severity}</span><code class=\"diag-code\">"));
        escape_into(&mut html, &diagnostic.code);
        html.push_str("</code>");
        if let Some(span) = span {
            let position = index.line_col_chars(text, span.start);
            let (line, col) = (position.line + 1, position.col + 1);
            html.push_str(&format!(
                "<span class=\"diag-pos\" data-line=\"{line}\" data-col=\"{col}\">{line}:{col}</span>"
            ));
        }
        html.push_str("<span class=\"diag-message\">");
        escape_into(&mut html, &diagnostic.message);
        html.push_str("</span>");
        if let Some(help) = &diagnostic.help {
            html.push_str("<span class=\"diag-help\">help: ");
            escape_into(&mut html, help);
            html.push_str("</span>");
        }
        if let Some(path) = &diagnostic.path {
            html.push_str("<span class=\"diag-path\">");
            escape_into(&mut html, path);
            html.push_str("</span>");
        }
        html.push_str(if span.is_some() { "</button>" } else { "</div>" });
        if with_fixes {
            for (fix_number, fix) in diagnostic.fixes.iter().enumerate() {
                html.push_str(&format!(
                    "<button type=\"button\" class=\"diag-fix\" data-index=\"{number}\" data-fix=\"{fix_number}\">Fix: "
                ));
                escape_into(&mut html, &fix.title);
                html.push_str("</button>");
            }
        }
        html.push_str("</li>");
    }
    html
}
