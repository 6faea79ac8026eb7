//! The callbacks each document's editor and lists get, made once per document.
//!
//! Yew compares callbacks by identity: a callback made anew on every render makes every
//! component that takes one draw again on every keystroke, even in another editor. The app
//! keeps one [`DocumentCallbacks`] (in a `use_memo`) and asks it for each document's.

use iamlab_engine::DocumentId;
use iamlab_model::Span;
use std::cell::RefCell;
use yew::prelude::*;

/// One document's callbacks: its edits, its turning on or off, and a span to select in it.
#[derive(Clone)]
pub struct OfDocument {
    pub onedit: Callback<AttrValue>,
    pub ontoggle: Callback<bool>,
    pub onreveal: Callback<Span>,
}

/// The workspace's callbacks by document, each document's made the first time it is asked for
/// and the same ever after (document ids are never reused for another document).
pub struct DocumentCallbacks {
    pub onedit: Callback<(DocumentId, AttrValue)>,
    pub ontoggle: Callback<(DocumentId, bool)>,
    pub onreveal: Callback<(DocumentId, Span)>,
    made: RefCell<Vec<(DocumentId, OfDocument)>>,
}

impl DocumentCallbacks {
    pub fn new(
        onedit: Callback<(DocumentId, AttrValue)>,
        ontoggle: Callback<(DocumentId, bool)>,
        onreveal: Callback<(DocumentId, Span)>,
    ) -> DocumentCallbacks {
        DocumentCallbacks { onedit, ontoggle, onreveal, made: RefCell::new(Vec::new()) }
    }

    /// The callbacks of document `id`.
    pub fn of(&self, id: DocumentId) -> OfDocument {
        if let Some((_, made)) = self.made.borrow().iter().find(|(candidate, _)| *candidate == id) {
            return made.clone();
        }
        let made = OfDocument {
            onedit: self.onedit.reform(move |text| (id, text)),
            ontoggle: self.ontoggle.reform(move |enabled| (id, enabled)),
            onreveal: self.onreveal.reform(move |span| (id, span)),
        };
        self.made.borrow_mut().push((id, made.clone()));
        made
    }
}
