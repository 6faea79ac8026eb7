//! Keeps every tab's text in `localStorage`, so that a reload loses nothing.
//!
//! This goes through `web_sys::Storage` directly rather than `gloo-storage`: a browser without
//! storage (private modes, disabled cookies) or a full quota must give a message, and gloo's
//! `LocalStorage::raw` panics when storage is unavailable.

use crate::state::{Documents, Notice, NoticeKind, State, Tab};
use serde::{Deserialize, Serialize};
use yew::AttrValue;

const KEY: &str = "iamlab.workspace.v1";
/// Where unreadable stored content is moved, rather than overwritten.
const UNREADABLE_KEY: &str = "iamlab.workspace.v1.unreadable";

#[derive(Serialize, Deserialize)]
struct StoredDocuments {
    policy: String,
    request: String,
}

#[derive(Serialize, Deserialize)]
struct StoredWorkspace {
    tab: Tab,
    #[serde(default)]
    aws_profile: bool,
    #[serde(default)]
    scaleway_owner: bool,
    #[serde(default)]
    organization_policy_enabled: bool,
    #[serde(default)]
    organization_policy: Option<String>,
    exoscale: StoredDocuments,
    scaleway: StoredDocuments,
    outscale: StoredDocuments,
}

fn local_storage() -> Result<web_sys::Storage, String> {
    let window = web_sys::window().ok_or("no window")?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        _ => Err("this browser does not let the page use localStorage: your text will not survive a reload".to_owned()),
    }
}

/// The state stored by the last visit, or the examples when there is none.
pub fn load_state() -> State {
    let mut state = State::default();
    let storage = match local_storage() {
        Ok(storage) => storage,
        Err(message) => {
            state.notice = Some(Notice { kind: NoticeKind::Error, message, restore: None });
            return state;
        }
    };
    let Ok(Some(raw)) = storage.get_item(KEY) else {
        return state;
    };
    match serde_json::from_str::<StoredWorkspace>(&raw) {
        Ok(stored) => {
            state.tab = stored.tab;
            state.aws_profile = stored.aws_profile;
            state.scaleway_owner = stored.scaleway_owner;
            state.organization_policy_enabled = stored.organization_policy_enabled;
            if let Some(organization_policy) = stored.organization_policy {
                state.organization_policy = AttrValue::from(organization_policy);
            }
            state.exoscale = documents(stored.exoscale);
            state.scaleway = documents(stored.scaleway);
            state.outscale = documents(stored.outscale);
        }
        Err(error) => {
            let _ = storage.set_item(UNREADABLE_KEY, &raw);
            state.notice = Some(Notice {
                kind: NoticeKind::Error,
                message: format!(
                    "the text stored by an earlier visit could not be read ({error}); it was kept in localStorage under `{UNREADABLE_KEY}`"
                ),
                restore: None,
            });
        }
    }
    state
}

fn documents(stored: StoredDocuments) -> Documents {
    Documents { policy: AttrValue::from(stored.policy), request: AttrValue::from(stored.request) }
}

fn stored(documents: &Documents) -> StoredDocuments {
    StoredDocuments { policy: documents.policy.to_string(), request: documents.request.to_string() }
}

/// Writes every tab's text; the error says why it could not be kept.
pub fn save_state(state: &State) -> Result<(), String> {
    let workspace = StoredWorkspace {
        tab: state.tab,
        aws_profile: state.aws_profile,
        scaleway_owner: state.scaleway_owner,
        organization_policy_enabled: state.organization_policy_enabled,
        organization_policy: Some(state.organization_policy.to_string()),
        exoscale: stored(&state.exoscale),
        scaleway: stored(&state.scaleway),
        outscale: stored(&state.outscale),
    };
    let json = serde_json::to_string(&workspace).map_err(|error| error.to_string())?;
    local_storage()?.set_item(KEY, &json).map_err(|_| {
        "your text could not be saved in localStorage (is it full?): it will not survive a reload".to_owned()
    })
}
