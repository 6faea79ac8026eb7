use crate::highlight::escape_into;
use crate::hooks::ShownCompletions;
use web_sys::Element;
use yew::prelude::*;

/// The id of option `index` of the list `list_id`.
pub fn option_id(list_id: &str, index: usize) -> String {
    format!("{list_id}-{index}")
}

/// The completion list under the replaced text: an ARIA listbox whose options show the label and
/// the kind with its detail (a type, a scope, a count). Always drawn, hidden when closed: a child
/// appearing after the textarea would make the reconciliation rebuild it, losing its focus. The
/// options are written as HTML text, as the hover box is: the list is rebuilt whole on each
/// change, and text costs less wasm than one virtual node per option. A plain function rather
/// than a component: it has no state of its own (the hook places it), and each component type
/// costs the bundle its own copy of Yew's lifecycle code.
pub fn completion_list(
    id: &str,
    list_ref: &NodeRef,
    shown: Option<&ShownCompletions>,
    onpick: Callback<usize>,
) -> Html {
    let mut html = String::new();
    if let Some(shown) = shown {
        for (index, item) in shown.completions.items.iter().take(shown.count()).enumerate() {
            let selected = index == shown.selected;
            html.push_str("<li role=\"option\" class=\"completion");
            html.push_str(if selected { " selected\" aria-selected=\"true\"" } else { "\" aria-selected=\"false\"" });
            html.push_str(&format!(
                " id=\"{}\" data-index=\"{index}\"><span class=\"completion-label\">",
                option_id(id, index)
            ));
            escape_into(&mut html, &item.label);
            html.push_str("</span><span class=\"completion-detail\">");
            html.push_str(item.kind.as_str());
            if !item.detail.is_empty() {
                html.push_str(" · ");
                escape_into(&mut html, &item.detail);
            }
            html.push_str("</span></li>");
        }
    }
    // A press keeps the textarea's focus (and so its caret and undo stack); the option under it
    // is applied.
    let onmousedown = Callback::from(move |event: MouseEvent| {
        event.prevent_default();
        let option =
            event.target_dyn_into::<Element>().and_then(|target| target.closest("[data-index]").ok().flatten());
        let index = option.and_then(|option| option.get_attribute("data-index")).and_then(|index| index.parse().ok());
        if let Some(index) = index {
            onpick.emit(index);
        }
    });
    html! {
        <ul id={id.to_owned()} ref={list_ref.clone()} class="editor-completions" role="listbox" aria-label="Completions"
            hidden={shown.is_none()} {onmousedown}>
            { Html::from_html_unchecked(AttrValue::from(html)) }
        </ul>
    }
}
