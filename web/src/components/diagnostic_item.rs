use iamlab_model::{Diagnostic, LineCol, Span};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DiagnosticItemProps {
    pub diagnostic: Diagnostic,
    /// One-based line and column (in characters) of the primary span, when there is one.
    pub position: Option<LineCol>,
    pub onreveal: Callback<Span>,
}

/// One finding: severity, code, position, message and help. Clicking it selects its span.
#[component]
pub fn DiagnosticItem(props: &DiagnosticItemProps) -> Html {
    let diagnostic = &props.diagnostic;
    let severity = diagnostic.severity.as_str();
    let body = html! {
        <>
            <span class="diag-severity">{ severity }</span>
            <code class="diag-code">{ &diagnostic.code }</code>
            if let Some(position) = props.position {
                <span class="diag-pos" data-line={position.line.to_string()} data-col={position.col.to_string()}>
                    { format!("{}:{}", position.line, position.col) }
                </span>
            }
            <span class="diag-message">{ &diagnostic.message }</span>
            if let Some(help) = &diagnostic.help {
                <span class="diag-help">{ format!("help: {help}") }</span>
            }
            if let Some(path) = &diagnostic.path {
                <span class="diag-path">{ path }</span>
            }
        </>
    };
    match diagnostic.primary_span() {
        Some(span) => {
            let onclick = props.onreveal.reform(move |_: MouseEvent| span);
            html! {
                <button type="button" class={classes!("diagnostic", severity)} {onclick}
                    title="Select this span in the editor">{ body }</button>
            }
        }
        None => html! { <div class={classes!("diagnostic", severity)}>{ body }</div> },
    }
}
