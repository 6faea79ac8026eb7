use crate::state::RequestTemplate;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RequestBuilderProps {
    /// The template of the operation asked for.
    pub onfill: Callback<RequestTemplate>,
    /// Why no template could be made.
    pub onerror: Callback<String>,
}

/// Fills the request with an operation's template from the engine's catalogue (its service
/// class and every parameter with a placeholder).
#[component]
pub fn RequestBuilder(props: &RequestBuilderProps) -> Html {
    let input_ref = use_node_ref();
    let fill = {
        let input_ref = input_ref.clone();
        let onfill = props.onfill.clone();
        let onerror = props.onerror.clone();
        move || {
            let Some(input) = input_ref.cast::<HtmlInputElement>() else { return };
            let operation = input.value().trim().to_owned();
            if operation.is_empty() {
                return;
            }
            match iamlab_engine::exoscale::request_template(&operation) {
                Some(request) => onfill.emit(RequestTemplate { operation, request: AttrValue::from(request) }),
                None => onerror.emit(format!("`{operation}` is not an operation of the Exoscale catalogue")),
            }
        }
    };
    let onclick = {
        let fill = fill.clone();
        Callback::from(move |_: MouseEvent| fill())
    };
    let onkeydown = Callback::from(move |event: KeyboardEvent| {
        if event.key() == "Enter" {
            event.prevent_default();
            fill();
        }
    });
    html! {
        <div class="request-builder">
            <input id="operation-input" ref={input_ref} type="text" placeholder="operation, e.g. create-sks-nodepool"
                spellcheck="false" autocomplete="off" aria-label="Exoscale operation" {onkeydown} />
            <button type="button" id="fill-request" {onclick}>{ "Fill the request" }</button>
        </div>
    }
}
