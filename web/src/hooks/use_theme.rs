//! The colour scheme: the visitor's `prefers-color-scheme` until they choose one with the
//! header's toggle, then their choice, kept in `localStorage` (a preference of the browser, not
//! part of any workspace, so it is neither in the reducer's state nor in share links).
//!
//! The choice is written as `data-theme` on the root element, which `web/style.css`'s themes
//! section reads; without it the stylesheet follows the media query by itself, so the page never
//! waits for this hook to pick its colours (`boot.js` also applies a stored choice before the
//! wasm starts).

use yew::prelude::*;

/// Where the choice is stored: `"light"` or `"dark"`.
pub const THEME_KEY: &str = "iamlab.theme";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn from_key(key: &str) -> Option<Theme> {
        match key {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    fn other(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|window| window.local_storage().ok().flatten())
}

fn stored_theme() -> Option<Theme> {
    storage().and_then(|storage| storage.get_item(THEME_KEY).ok().flatten()).and_then(|key| Theme::from_key(&key))
}

/// What `prefers-color-scheme` asks for now.
fn system_theme() -> Theme {
    let dark = web_sys::window()
        .and_then(|window| window.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|query| query.matches());
    if dark {
        Theme::Dark
    } else {
        Theme::Light
    }
}

fn apply(chosen: Option<Theme>) {
    let Some(root) =
        web_sys::window().and_then(|window| window.document()).and_then(|document| document.document_element())
    else {
        return;
    };
    let _ = match chosen {
        Some(theme) => root.set_attribute("data-theme", theme.as_str()),
        None => root.remove_attribute("data-theme"),
    };
}

/// The theme in effect and a callback that switches to the other one and remembers it. A
/// browser without storage still switches; the choice then lasts until the page is closed.
#[hook]
pub fn use_theme() -> (Theme, Callback<()>) {
    let chosen = use_state(stored_theme);
    use_effect_with(*chosen, |chosen| apply(*chosen));
    let toggle = {
        let chosen = chosen.clone();
        Callback::from(move |()| {
            let next = chosen.unwrap_or_else(system_theme).other();
            if let Some(storage) = storage() {
                let _ = storage.set_item(THEME_KEY, next.as_str());
            }
            chosen.set(Some(next));
        })
    };
    (chosen.unwrap_or_else(system_theme), toggle)
}
