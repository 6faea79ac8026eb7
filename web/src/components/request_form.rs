use iamlab_engine::authoring::request_form::{request_fields, set_request_field};
use iamlab_engine::DocumentId;
use iamlab_model::Provider;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The request builder: one input per field of the provider's request, drawn from the request's
/// JSON (`authoring::request_form`), with the values the catalogues suggest for operations,
/// permission sets and actions. Typing in a field writes the JSON through the engine, and
/// editing the JSON redraws the form: the two never disagree. A plain function rather than a
/// component (see `theme_toggle`); `hooks::use_request_form` draws it again only when the
/// request changes.
pub fn request_form(
    provider: Provider,
    document: DocumentId,
    text: &AttrValue,
    onedit: &Callback<(DocumentId, AttrValue)>,
) -> Html {
    let Some(fields) = request_fields(provider, text) else {
        return html! {
            <p class="request-form request-form-off" id="request-form">
                { "The request builder returns once the request is a JSON object." }</p>
        };
    };
    let inputs = fields.into_iter().enumerate().map(|(index, field)| {
        let id = format!("request-field-{index}");
        let label = field.label();
        let list = (!field.choices.is_empty()).then(|| format!("{id}-choices"));
        let oninput = {
            let (text, path, json) = (text.clone(), field.path.clone(), field.json);
            onedit.reform(move |event: InputEvent| {
                let input: HtmlInputElement = event.target_unchecked_into();
                let written = set_request_field(provider, &text, &path, &input.value(), json);
                (document, written.map_or_else(|| text.clone(), AttrValue::from))
            })
        };
        let choices = list.clone().map(|list| {
            html! { <datalist id={list}>{ for field.choices.iter().map(|choice| html! { <option value={choice.clone()} /> }) }</datalist> }
        });
        html! {
            <label class="request-field" for={id.clone()}>
                <span class="request-field-name">{ label.clone() }</span>
                <input {id} type="text" value={field.value} list={list} placeholder={field.hint.clone()} title={field.hint}
                    data-path={label} spellcheck="false" autocomplete="off" {oninput} />
                { for choices }
            </label>
        }
    });
    html! {
        <fieldset class="request-form" id="request-form">
            <legend>{ "Request builder" }</legend>
            { for inputs }
        </fieldset>
    }
}
