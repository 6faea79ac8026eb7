//! The completion list of one editor: the engine's `authoring::complete` at the caret, opened by
//! Ctrl-Space or while typing, moved through with the arrow keys, and applied through the
//! browser's editing commands (`replace_range`), so that Ctrl-Z takes the insertion back.

use crate::components::code_editor::{below, column_left, replace_range};
use iamlab_engine::authoring::complete::{complete, Completions};
use iamlab_engine::DocumentRole;
use iamlab_model::{utf16_to_utf8_offset, LineIndex, Provider};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement, InputEvent, KeyboardEvent};
use yew::prelude::*;

/// How many items the list draws at most: the keyboard moves among these, typing narrows them.
pub const MAX_SHOWN: usize = 100;
/// Above this size (the editor's highlighting limit) typing opens no list: each keystroke would
/// scan the whole document once more. Ctrl-Space still does.
const MAX_TYPING_BYTES: usize = 64 * 1024;

/// An open list: what the engine offered for `text`, the selected item and where the list is
/// drawn (pixels in the editor's text area, below the replaced span).
#[derive(Clone)]
pub struct ShownCompletions {
    pub text: AttrValue,
    pub completions: Rc<Completions>,
    pub selected: usize,
    pub top: f64,
    pub left: f64,
}

impl ShownCompletions {
    pub fn count(&self) -> usize {
        self.completions.items.len().min(MAX_SHOWN)
    }
}

/// The handle the editor keeps: the open list, if any, and what its events do with it.
#[derive(Clone)]
pub struct UseCompletion {
    shown: UseStateHandle<Option<ShownCompletions>>,
    /// The list element, placed by the hook.
    pub list_ref: NodeRef,
    provider: Provider,
    role: DocumentRole,
}

impl UseCompletion {
    /// The open list, if it belongs to `text` (the editor's text as rendered): a list made for
    /// another text (a tab switch, a loaded example) is never shown.
    pub fn shown_for(&self, text: &str) -> Option<&ShownCompletions> {
        (*self.shown).as_ref().filter(|shown| shown.text.as_str() == text)
    }

    pub fn close(&self) {
        if self.shown.is_some() {
            self.shown.set(None);
        }
    }

    /// Opens (or refreshes) the list at the textarea's caret in `text`, its value; closes it
    /// where the engine offers nothing.
    fn open_at_caret(&self, textarea: &HtmlTextAreaElement, text: AttrValue) {
        let Ok(Some(caret)) = textarea.selection_end() else { return self.close() };
        let offset = utf16_to_utf8_offset(&text, caret);
        let completions = complete(self.provider, self.role, &text, offset);
        if completions.items.is_empty() {
            return self.close();
        }
        let position = LineIndex::new(&text).line_col_utf16(&text, completions.replace.start);
        self.shown.set(Some(ShownCompletions {
            text,
            completions: Rc::new(completions),
            selected: 0,
            top: below(position.line),
            left: column_left(position.col),
        }));
    }

    /// After an edit (`text` is the new value): an open list follows what is typed; a closed
    /// one opens after a word character, a quote, `.` or `:` typed at the caret, where the
    /// engine has something to offer.
    pub fn after_input(&self, event: &InputEvent, textarea: &HtmlTextAreaElement, text: &AttrValue) {
        let typed = event.data().filter(|_| event.input_type() == "insertText");
        let one_character = typed.as_deref().and_then(|typed| {
            let mut chars = typed.chars();
            chars.next().filter(|_| chars.next().is_none())
        });
        let opens = one_character
            .is_some_and(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '"' | '\'' | '.' | ':' | '-' | '_' | '*'));
        let follows = self.shown.is_some() && (one_character.is_some() || event.input_type().starts_with("delete"));
        if (opens || follows) && text.len() <= MAX_TYPING_BYTES {
            self.open_at_caret(textarea, text.clone());
        } else {
            self.close();
        }
    }

    /// Applies item `index` of the open list to the textarea as the browser's own edit.
    pub fn accept(&self, textarea: &HtmlTextAreaElement, index: usize) {
        let Some(shown) = (*self.shown).clone() else { return };
        self.shown.set(None);
        let Some(item) = shown.completions.items.get(index) else { return };
        // The list belongs to the text it was made for: after any other change, nothing is applied.
        if textarea.value() != shown.text.as_str() {
            return;
        }
        if let Some(document) = web_sys::window().and_then(|window| window.document()) {
            replace_range(&document, textarea, &shown.text, shown.completions.replace, &item.insert_text);
        }
    }

    /// The editor's keys: Ctrl-Space opens the list; while it is open, Up and Down move the
    /// selection, Enter and Tab apply it, Escape closes it, and keys that move the caret
    /// elsewhere close it. Returns whether the key was taken (its default is then prevented).
    pub fn on_keydown(&self, event: &KeyboardEvent, textarea: &HtmlTextAreaElement) -> bool {
        let key = event.key();
        if event.ctrl_key() && key == " " {
            self.open_at_caret(textarea, AttrValue::from(textarea.value()));
            return true;
        }
        let Some(shown) = (*self.shown).as_ref() else { return false };
        let count = shown.count().max(1);
        let select = |selected: usize| self.shown.set(Some(ShownCompletions { selected, ..shown.clone() }));
        match key.as_str() {
            "ArrowDown" => select((shown.selected + 1) % count),
            "ArrowUp" => select((shown.selected + count - 1) % count),
            "Enter" | "Tab" => self.accept(textarea, shown.selected),
            "Escape" => self.close(),
            "ArrowLeft" | "ArrowRight" | "Home" | "End" | "PageUp" | "PageDown" => {
                self.close();
                return false;
            }
            _ => return false,
        }
        true
    }
}

/// The completion list of an editor whose documents are `role` documents for `provider`.
#[hook]
pub fn use_completion(provider: Provider, role: DocumentRole) -> UseCompletion {
    let shown = use_state(|| None::<ShownCompletions>);
    let list_ref = use_node_ref();
    // The page's CSP refuses inline `style` attributes: the list is placed through the CSSOM,
    // and the selected option scrolled into it.
    {
        let list_ref = list_ref.clone();
        let place = (*shown).as_ref().map(|shown| (shown.top, shown.left, shown.selected));
        use_effect_with(place, move |place| {
            let (Some((top, left, selected)), Some(list)) = (place, list_ref.cast::<HtmlElement>()) else { return };
            let style = list.style();
            let _ = style.set_property("top", &format!("{top}px"));
            let _ = style.set_property("left", &format!("{left}px"));
            let option = list.children().item(u32::try_from(*selected).unwrap_or(0));
            if let Some(option) = option.and_then(|option| option.dyn_into::<HtmlElement>().ok()) {
                let (item_top, item_height) = (option.offset_top(), option.offset_height());
                if item_top < list.scroll_top() {
                    list.set_scroll_top(item_top);
                } else if item_top + item_height > list.scroll_top() + list.client_height() {
                    list.set_scroll_top(item_top + item_height - list.client_height());
                }
            }
        });
    }
    UseCompletion { shown, list_ref, provider, role }
}
