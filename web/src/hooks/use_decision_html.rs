use crate::components::decision_view::decision_html;
use crate::hooks::WorkspaceAnalysis;
use crate::state::EditorDocument;
use iamlab_engine::{DocumentId, DocumentRole};
use std::rc::Rc;
use yew::prelude::*;

/// The decision as HTML text, written again only when the decision or the documents' names
/// change. Most keystrokes leave the decision as it was (a half-typed word inside a string, a
/// space): the analysis gives an equal one, and comparing it costs far less than writing the
/// text of every step and trace again (0.2 ms per keystroke for the 50-rule role of
/// `cargo xtask bench-browser`). Empty when there is no decision.
#[hook]
pub fn use_decision_html(analysis: &WorkspaceAnalysis, documents: &[EditorDocument]) -> Rc<AttrValue> {
    // What the text reads from the documents: which ones there are and how they are named.
    let names: Vec<(DocumentId, DocumentRole, AttrValue)> =
        documents.iter().map(|document| (document.id, document.role, document.name.clone())).collect();
    use_memo((Rc::clone(&analysis.decision), names), |(decision, _)| match &**decision {
        Ok(decision) => AttrValue::from(decision_html(decision, documents)),
        Err(_) => AttrValue::default(),
    })
}
