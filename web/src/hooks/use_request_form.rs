use crate::components::request_form::request_form;
use iamlab_engine::DocumentId;
use iamlab_model::Provider;
use std::rc::Rc;
use yew::prelude::*;

/// The request builder's form, drawn again only when the request's text changes: a keystroke in
/// a policy leaves it as it was.
#[hook]
pub fn use_request_form(
    provider: Provider,
    document: Option<(DocumentId, AttrValue)>,
    onedit: &Callback<(DocumentId, AttrValue)>,
) -> Rc<Html> {
    let onedit = onedit.clone();
    use_memo((provider, document), move |(provider, document)| match document {
        Some((id, text)) => request_form(*provider, *id, text, &onedit),
        None => Html::default(),
    })
}
