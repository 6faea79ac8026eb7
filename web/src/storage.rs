//! Keeps every tab's workspace in `localStorage`, so that a reload loses nothing.
//!
//! The format, under [`KEY`], is `{ "tab", "workspaces": { <tab key>: { "provider", "flags",
//! "documents": { <role key>: { "text", "enabled" } }, "added": [{ "role", "text", "enabled" }] } } }`:
//! the first document of each role keyed by role, those added beyond it (Scaleway's group
//! policies) listed in order; the documents keyed by the
//! engine's role keys, so that any provider's workspace fits without a new field. Work stored by
//! the first version, under [`KEY_V1`] with one field per document, is read when there is
//! nothing under [`KEY`] yet, and left in place.
//!
//! Parsing and writing are plain functions of strings (tested natively); only [`load_state`]
//! and [`save_state`] touch the browser. They go through `web_sys::Storage` directly rather
//! than `gloo-storage`: a browser without storage (private modes, disabled cookies) or a full
//! quota must give a message, and gloo's `LocalStorage::raw` panics when storage is unavailable.

use crate::share::link::json::{self, members, optional_string, required, string, ObjectWriter, Result as JsonResult};
use crate::state::{document_name, is_optional, Notice, State, Tab};
use iamlab_engine::{DocumentRole, Options};
use iamlab_model::Provider;
use serde_json::Value;
use yew::AttrValue;

pub const KEY: &str = "iamlab.workspace.v2";
pub const KEY_V1: &str = "iamlab.workspace.v1";

// Read and written by hand (`crate::share::link::json`) rather than derived: serde's derives
// cost several KB of the site's gzip budget. Unknown fields are ignored everywhere, as serde
// ignored them, and the messages are serde's.

#[derive(Debug, PartialEq)]
struct StoredState {
    tab: Tab,
    /// In key order (see [`json::pairs`]).
    workspaces: Vec<(String, StoredWorkspace)>,
}

fn tab(value: &Value) -> JsonResult<Tab> {
    json::variant(value, &Tab::ALL, Tab::key)
}

impl StoredState {
    fn from_json(value: &Value) -> JsonResult<StoredState> {
        let (mut tab_read, mut workspaces) = (None, None);
        for (key, value) in members(value, "StoredState")? {
            match key.as_str() {
                "tab" => tab_read = Some(tab(value)?),
                "workspaces" => workspaces = Some(json::pairs(value, StoredWorkspace::from_json)?),
                _ => {}
            }
        }
        Ok(StoredState { tab: required(tab_read, "tab")?, workspaces: required(workspaces, "workspaces")? })
    }

    fn to_json(&self) -> String {
        let mut workspaces = ObjectWriter::new();
        for (key, workspace) in &self.workspaces {
            workspaces.raw(key, &workspace.to_json());
        }
        ObjectWriter::new().string("tab", self.tab.key()).raw("workspaces", &workspaces.finish()).finish()
    }
}

#[derive(Debug, PartialEq)]
struct StoredWorkspace {
    /// The engine profile (`aws` or `outscale` on the Outscale tab).
    provider: Provider,
    /// Left out when empty.
    flags: Vec<String>,
    /// In key order (see [`json::pairs`]).
    documents: Vec<(String, StoredDocument)>,
    /// The documents added beyond each role's first (Scaleway's group policies), in order.
    /// Work stored before they existed has none; left out when empty.
    added: Vec<StoredAddedDocument>,
    /// The test grid, as the rows of a test-case file; left out when empty.
    cases: Vec<StoredCase>,
}

impl StoredWorkspace {
    fn from_json(value: &Value) -> JsonResult<StoredWorkspace> {
        let (mut provider, mut documents) = (None, None);
        let mut workspace = StoredWorkspace {
            provider: Provider::Aws,
            flags: Vec::new(),
            documents: Vec::new(),
            added: Vec::new(),
            cases: Vec::new(),
        };
        for (key, value) in members(value, "StoredWorkspace")? {
            match key.as_str() {
                "provider" => provider = Some(json::provider(value)?),
                "flags" => workspace.flags = json::list(value, string)?,
                "documents" => documents = Some(json::pairs(value, StoredDocument::from_json)?),
                "added" => workspace.added = json::list(value, StoredAddedDocument::from_json)?,
                "cases" => workspace.cases = json::list(value, StoredCase::from_json)?,
                _ => {}
            }
        }
        workspace.provider = required(provider, "provider")?;
        workspace.documents = required(documents, "documents")?;
        Ok(workspace)
    }

    fn to_json(&self) -> String {
        let mut writer = ObjectWriter::new();
        writer.string("provider", self.provider.as_str());
        if !self.flags.is_empty() {
            writer.raw("flags", &json::array(self.flags.iter().map(|flag| json::quoted(flag))));
        }
        let mut documents = ObjectWriter::new();
        for (key, document) in &self.documents {
            documents.raw(key, &document.to_json(&mut ObjectWriter::new()));
        }
        writer.raw("documents", &documents.finish());
        if !self.added.is_empty() {
            let added = self.added.iter().map(|added| {
                let mut writer = ObjectWriter::new();
                writer.string("role", &added.role);
                added.document.to_json(&mut writer)
            });
            writer.raw("added", &json::array(added));
        }
        if !self.cases.is_empty() {
            writer.raw("cases", &json::array(self.cases.iter().map(StoredCase::to_json)));
        }
        writer.finish()
    }
}

#[derive(Debug, PartialEq)]
struct StoredCase {
    name: String,
    request: String,
    expect: String,
}

impl StoredCase {
    fn from_json(value: &Value) -> JsonResult<StoredCase> {
        let (mut name, mut request, mut expect) = (None, None, None);
        for (key, value) in members(value, "StoredCase")? {
            match key.as_str() {
                "name" => name = Some(string(value)?),
                "request" => request = Some(string(value)?),
                "expect" => expect = Some(string(value)?),
                _ => {}
            }
        }
        Ok(StoredCase {
            name: required(name, "name")?,
            request: required(request, "request")?,
            expect: required(expect, "expect")?,
        })
    }

    fn to_json(&self) -> String {
        let mut writer = ObjectWriter::new();
        writer.string("name", &self.name).string("request", &self.request).string("expect", &self.expect).finish()
    }
}

#[derive(Debug, PartialEq)]
struct StoredDocument {
    text: String,
    /// `true` when not stored.
    enabled: bool,
    /// Empty when not stored.
    name: String,
}

impl StoredDocument {
    /// Reads `text`, `enabled` and `name` from `members` (other members are ignored).
    fn from_members(members: &json::Members) -> JsonResult<StoredDocument> {
        let (mut text, mut enabled, mut name) = (None, true, String::new());
        for (key, value) in members {
            match key.as_str() {
                "text" => text = Some(string(value)?),
                "enabled" => enabled = json::boolean(value)?,
                "name" => name = string(value)?,
                _ => {}
            }
        }
        Ok(StoredDocument { text: required(text, "text")?, enabled, name })
    }

    fn from_json(value: &Value) -> JsonResult<StoredDocument> {
        StoredDocument::from_members(members(value, "StoredDocument")?)
    }

    /// Adds the document's fields to `writer` and closes it.
    fn to_json(&self, writer: &mut ObjectWriter) -> String {
        writer.string("text", &self.text).raw("enabled", if self.enabled { "true" } else { "false" });
        if !self.name.is_empty() {
            writer.string("name", &self.name);
        }
        writer.finish()
    }
}

#[derive(Debug, PartialEq)]
struct StoredAddedDocument {
    role: String,
    /// Its fields sit beside `role` in the same object.
    document: StoredDocument,
}

impl StoredAddedDocument {
    fn from_json(value: &Value) -> JsonResult<StoredAddedDocument> {
        // The role first, then the document's fields: the order of serde's `flatten`, whose
        // messages these are.
        let members = members(value, "StoredAddedDocument")?;
        let role = members.get("role").map(string).transpose()?;
        Ok(StoredAddedDocument { role: required(role, "role")?, document: StoredDocument::from_members(members)? })
    }
}

/// The first version's format, read only.
struct StoredStateV1 {
    tab: Tab,
    aws_profile: bool,
    scaleway_owner: bool,
    organization_policy_enabled: bool,
    organization_policy: Option<String>,
    exoscale: StoredDocumentsV1,
    scaleway: StoredDocumentsV1,
    outscale: StoredDocumentsV1,
}

impl StoredStateV1 {
    fn from_json(value: &Value) -> JsonResult<StoredStateV1> {
        let (mut tab_read, mut exoscale, mut scaleway, mut outscale) = (None, None, None, None);
        let (mut aws_profile, mut scaleway_owner, mut organization_policy_enabled) = (false, false, false);
        let mut organization_policy = None;
        for (key, value) in members(value, "StoredStateV1")? {
            match key.as_str() {
                "tab" => tab_read = Some(tab(value)?),
                "aws_profile" => aws_profile = json::boolean(value)?,
                "scaleway_owner" => scaleway_owner = json::boolean(value)?,
                "organization_policy_enabled" => organization_policy_enabled = json::boolean(value)?,
                "organization_policy" => organization_policy = optional_string(value)?,
                "exoscale" => exoscale = Some(StoredDocumentsV1::from_json(value)?),
                "scaleway" => scaleway = Some(StoredDocumentsV1::from_json(value)?),
                "outscale" => outscale = Some(StoredDocumentsV1::from_json(value)?),
                _ => {}
            }
        }
        Ok(StoredStateV1 {
            tab: required(tab_read, "tab")?,
            aws_profile,
            scaleway_owner,
            organization_policy_enabled,
            organization_policy,
            exoscale: required(exoscale, "exoscale")?,
            scaleway: required(scaleway, "scaleway")?,
            outscale: required(outscale, "outscale")?,
        })
    }
}

struct StoredDocumentsV1 {
    policy: String,
    request: String,
}

impl StoredDocumentsV1 {
    fn from_json(value: &Value) -> JsonResult<StoredDocumentsV1> {
        let (mut policy, mut request) = (None, None);
        for (key, value) in members(value, "StoredDocumentsV1")? {
            match key.as_str() {
                "policy" => policy = Some(string(value)?),
                "request" => request = Some(string(value)?),
                _ => {}
            }
        }
        Ok(StoredDocumentsV1 { policy: required(policy, "policy")?, request: required(request, "request")? })
    }
}

impl From<StoredStateV1> for StoredState {
    fn from(v1: StoredStateV1) -> StoredState {
        let documents = |stored: StoredDocumentsV1| {
            keyed([
                (
                    DocumentRole::Policy.as_str().to_owned(),
                    StoredDocument { text: stored.policy, enabled: true, name: String::new() },
                ),
                (
                    DocumentRole::Request.as_str().to_owned(),
                    StoredDocument { text: stored.request, enabled: true, name: String::new() },
                ),
            ])
        };
        let mut exoscale = documents(v1.exoscale);
        if let Some(text) = v1.organization_policy {
            let document = StoredDocument { text, enabled: v1.organization_policy_enabled, name: String::new() };
            json::insert_pair(&mut exoscale, DocumentRole::OrganizationPolicy.as_str().to_owned(), document);
        }
        let outscale_provider = if v1.aws_profile { Provider::Aws } else { Provider::Outscale };
        let scaleway_flags = if v1.scaleway_owner { vec!["owner".to_owned()] } else { Vec::new() };
        let workspaces = [
            (Tab::Exoscale, Provider::Exoscale, Vec::new(), exoscale),
            (Tab::Scaleway, Provider::Scaleway, scaleway_flags, documents(v1.scaleway)),
            (Tab::Outscale, outscale_provider, Vec::new(), documents(v1.outscale)),
        ];
        StoredState {
            tab: v1.tab,
            workspaces: keyed(workspaces.into_iter().map(|(tab, provider, flags, documents)| {
                (
                    tab.key().to_owned(),
                    StoredWorkspace { provider, flags, documents, added: Vec::new(), cases: Vec::new() },
                )
            })),
        }
    }
}

/// `pairs` in key order, a repeated key keeping its last value (as a map built from them would).
fn keyed<T>(pairs: impl IntoIterator<Item = (String, T)>) -> Vec<(String, T)> {
    let mut keyed = Vec::new();
    for (key, value) in pairs {
        json::insert_pair(&mut keyed, key, value);
    }
    keyed
}

/// What was read from storage: the state to start with, and stored content that could not be
/// read and must be moved aside (key, content) rather than overwritten.
#[derive(Debug, PartialEq)]
pub struct Loaded {
    pub state: State,
    pub unreadable: Option<(String, String)>,
}

/// The state stored under [`KEY`] (`stored`), or else under [`KEY_V1`] (`stored_v1`), or the
/// examples when there is neither.
pub fn state_from_stored(stored: Option<&str>, stored_v1: Option<&str>) -> Loaded {
    let (key, parsed) = match (stored, stored_v1) {
        (Some(raw), _) => (KEY, from_json_text(raw, StoredState::from_json).map_err(|error| (error, raw))),
        (None, Some(raw)) => {
            (KEY_V1, from_json_text(raw, StoredStateV1::from_json).map(StoredState::from).map_err(|error| (error, raw)))
        }
        (None, None) => return Loaded { state: State::default(), unreadable: None },
    };
    match parsed {
        Ok(stored) => Loaded { state: state_of(stored), unreadable: None },
        Err((error, raw)) => {
            let aside = format!("{key}.unreadable");
            let notice = Notice::error(format!(
                "the text stored by an earlier visit could not be read ({error}); it was kept in localStorage under `{aside}`"
            ));
            Loaded {
                state: State { notice: Some(notice), ..State::default() },
                unreadable: Some((aside, raw.to_owned())),
            }
        }
    }
}

/// Reads `raw` with the model's JSON reader into a `serde_json::Value`, then with `read`, as
/// share links do: the wasm then has one JSON text parser.
fn from_json_text<T>(raw: &str, read: fn(&Value) -> JsonResult<T>) -> Result<T, String> {
    read(&iamlab_model::json::serde_value_from_text(raw)?)
}

/// The examples, overwritten by what was stored. Stored content that no longer fits (a tab,
/// role or flag this version does not know) is left out rather than refused, so that the rest
/// still opens.
fn state_of(stored: StoredState) -> State {
    let mut state = State { tab: stored.tab, ..State::default() };
    for (key, stored_workspace) in stored.workspaces {
        let Some(tab) = Tab::from_key(&key) else { continue };
        let workspace = state.workspace_mut(tab);
        let mut options = Options::for_provider(stored_workspace.provider);
        for flag in &stored_workspace.flags {
            let _ = options.set_flag(flag);
        }
        workspace.set_options(options);
        let provider = workspace.provider();
        for (role_key, stored_document) in stored_workspace.documents {
            let Some(role) = DocumentRole::from_key(&role_key) else { continue };
            if let Some(document) = workspace.documents.iter_mut().find(|document| document.role == role) {
                document.text = AttrValue::from(stored_document.text);
                document.enabled = stored_document.enabled || !is_optional(provider, role);
                document.name = document_name(&stored_document.name);
            }
        }
        for added in stored_workspace.added {
            let Some(role) = DocumentRole::from_key(&added.role) else { continue };
            let text = AttrValue::from(added.document.text);
            if let Some(id) = workspace.add_document(role, text, added.document.enabled) {
                workspace.rename_document(id, document_name(&added.document.name));
            }
        }
        workspace.cases = stored_workspace
            .cases
            .into_iter()
            .filter_map(|case| {
                let expect = iamlab_engine::test_cases::Expectation::from_key(&case.expect)?;
                Some(crate::state::GridCase {
                    name: AttrValue::from(case.name),
                    request: AttrValue::from(case.request),
                    expect,
                })
            })
            .collect();
    }
    state
}

/// What [`save_state`] writes under [`KEY`].
pub fn stored_json(state: &State) -> Result<String, String> {
    // Collected into a Vec and then inserted one by one: `collect` into a map would add a copy
    // of the standard sort to the wasm (`iamlab_model::order`).
    let workspaces: Vec<(String, StoredWorkspace)> = state
        .workspaces
        .iter()
        .map(|workspace| {
            let firsts: Vec<_> = workspace
                .documents
                .iter()
                .filter(|document| workspace.document(document.role).map(|first| first.id) == Some(document.id))
                .collect();
            let documents: Vec<(String, StoredDocument)> = firsts
                .iter()
                .map(|document| {
                    let stored = StoredDocument {
                        text: document.text.to_string(),
                        enabled: document.enabled,
                        name: document.name.to_string(),
                    };
                    (document.role.as_str().to_owned(), stored)
                })
                .collect();
            let added = workspace
                .documents
                .iter()
                .filter(|document| !firsts.iter().any(|first| first.id == document.id))
                .map(|document| StoredAddedDocument {
                    role: document.role.as_str().to_owned(),
                    document: StoredDocument {
                        text: document.text.to_string(),
                        enabled: document.enabled,
                        name: document.name.to_string(),
                    },
                })
                .collect();
            let stored = StoredWorkspace {
                provider: workspace.provider(),
                flags: crate::state::enabled_flags(&workspace.options),
                documents: keyed(documents),
                added,
                cases: workspace
                    .cases
                    .iter()
                    .map(|case| StoredCase {
                        name: case.name.to_string(),
                        request: case.request.to_string(),
                        expect: case.expect.as_str().to_owned(),
                    })
                    .collect(),
            };
            (workspace.tab.key().to_owned(), stored)
        })
        .collect();
    Ok(StoredState { tab: state.tab, workspaces: keyed(workspaces) }.to_json())
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
    let storage = match local_storage() {
        Ok(storage) => storage,
        Err(message) => return State { notice: Some(Notice::error(message)), ..State::default() },
    };
    let stored = storage.get_item(KEY).ok().flatten();
    let stored_v1 = if stored.is_none() { storage.get_item(KEY_V1).ok().flatten() } else { None };
    let loaded = state_from_stored(stored.as_deref(), stored_v1.as_deref());
    if let Some((aside, raw)) = &loaded.unreadable {
        let _ = storage.set_item(aside, raw);
    }
    loaded.state
}

/// Writes every tab's workspace; the error says why it could not be kept.
pub fn save_state(state: &State) -> Result<(), String> {
    let json = stored_json(state)?;
    local_storage()?.set_item(KEY, &json).map_err(|_| {
        "your text could not be saved in localStorage (is it full?): it will not survive a reload".to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Workspace;
    use iamlab_engine::scaleway;

    /// What the first version wrote: every field, as its `save_state` serialized them.
    const STORED_V1: &str = r#"{"tab":"outscale","aws_profile":true,"scaleway_owner":true,"organization_policy_enabled":true,"organization_policy":"{\"default-service-strategy\": \"deny\"}","exoscale":{"policy":"exoscale policy","request":"exoscale request"},"scaleway":{"policy":"scaleway policy","request":"scaleway request"},"outscale":{"policy":"outscale policy","request":"outscale request"}}"#;

    fn text(workspace: &Workspace, role: DocumentRole) -> Option<(String, bool)> {
        workspace.document(role).map(|document| (document.text.to_string(), document.enabled))
    }

    fn loaded(stored: Option<&str>, stored_v1: Option<&str>) -> State {
        let loaded = state_from_stored(stored, stored_v1);
        assert_eq!(loaded.unreadable, None);
        assert_eq!(loaded.state.notice, None);
        loaded.state
    }

    #[test]
    fn nothing_stored_gives_the_examples() {
        assert_eq!(loaded(None, None), State::default());
    }

    #[test]
    fn work_stored_by_the_first_version_opens() {
        let state = loaded(None, Some(STORED_V1));
        assert_eq!(state.tab, Tab::Outscale);
        let exoscale = state.workspace(Tab::Exoscale);
        assert_eq!(exoscale.provider(), Provider::Exoscale);
        assert_eq!(text(exoscale, DocumentRole::Policy), Some(("exoscale policy".to_owned(), true)));
        assert_eq!(text(exoscale, DocumentRole::Request), Some(("exoscale request".to_owned(), true)));
        assert_eq!(
            text(exoscale, DocumentRole::OrganizationPolicy),
            Some(("{\"default-service-strategy\": \"deny\"}".to_owned(), true))
        );
        let scaleway_workspace = state.workspace(Tab::Scaleway);
        assert_eq!(scaleway_workspace.options, Options::Scaleway(scaleway::Options { owner: true }));
        assert_eq!(text(scaleway_workspace, DocumentRole::Policy), Some(("scaleway policy".to_owned(), true)));
        assert_eq!(text(scaleway_workspace, DocumentRole::Request), Some(("scaleway request".to_owned(), true)));
        let outscale = state.workspace(Tab::Outscale);
        assert_eq!(outscale.provider(), Provider::Aws);
        assert_eq!(text(outscale, DocumentRole::Policy), Some(("outscale policy".to_owned(), true)));
        assert_eq!(text(outscale, DocumentRole::Request), Some(("outscale request".to_owned(), true)));
    }

    #[test]
    fn work_stored_by_the_first_version_before_it_had_options_opens() {
        // The options and the organization policy came later in the first version: without
        // them, the defaults apply and the example organization policy stays, turned off.
        let stored = r#"{"tab":"scaleway","exoscale":{"policy":"e","request":"er"},"scaleway":{"policy":"s","request":"sr"},"outscale":{"policy":"o","request":"or"}}"#;
        let state = loaded(None, Some(stored));
        let defaults = State::default();
        assert_eq!(state.tab, Tab::Scaleway);
        for tab in Tab::ALL {
            assert_eq!(state.workspace(tab).options, defaults.workspace(tab).options);
        }
        let exoscale = state.workspace(Tab::Exoscale);
        assert_eq!(
            exoscale.document(DocumentRole::OrganizationPolicy),
            defaults.workspace(Tab::Exoscale).document(DocumentRole::OrganizationPolicy)
        );
        assert_eq!(text(state.workspace(Tab::Outscale), DocumentRole::Policy), Some(("o".to_owned(), true)));
    }

    #[test]
    fn the_current_format_round_trips_and_wins_over_the_first() {
        let state = loaded(None, Some(STORED_V1));
        let json = stored_json(&state).unwrap_or_default();
        let reloaded = loaded(Some(&json), Some("{ not even json"));
        assert_eq!(reloaded.tab, state.tab);
        assert_eq!(reloaded.workspaces, state.workspaces);
    }

    #[test]
    fn the_current_format_keys_documents_by_role_and_workspaces_by_tab() {
        let json = stored_json(&State::default()).unwrap_or_default();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        let exoscale = &value["workspaces"]["exoscale"];
        assert_eq!(exoscale["provider"], "exoscale");
        assert_eq!(exoscale["documents"]["organization"]["enabled"], false);
        assert!(exoscale["documents"]["policy"]["text"].as_str().is_some_and(|text| text.contains("services")));
        assert_eq!(value["workspaces"]["outscale"]["provider"], "outscale");
        assert_eq!(value["tab"], "exoscale");
    }

    #[test]
    fn stored_content_this_version_does_not_know_is_left_out() {
        let stored = r#"{"tab":"exoscale","workspaces":{
            "gcp":{"provider":"exoscale","documents":{"policy":{"text":"x"}}},
            "outscale":{"provider":"exoscale","flags":["nonsense"],"documents":{"policy":{"text":"kept"},"managed":{"text":"m"},"nonsense":{"text":"n"}}}
        }}"#;
        let state = loaded(Some(stored), None);
        let outscale = state.workspace(Tab::Outscale);
        // An Exoscale profile is no profile of the Outscale tab: its default stays.
        assert_eq!(outscale.provider(), Provider::Outscale);
        assert_eq!(text(outscale, DocumentRole::Policy), Some(("kept".to_owned(), true)));
        assert_eq!(state.workspace(Tab::Exoscale), State::default().workspace(Tab::Exoscale));
    }

    #[test]
    fn unreadable_content_is_moved_aside_with_a_message() {
        for (stored, stored_v1, aside) in [
            (Some("{\"tab\": 1}"), None, "iamlab.workspace.v2.unreadable"),
            (None, Some("[]"), "iamlab.workspace.v1.unreadable"),
        ] {
            let loaded = state_from_stored(stored, stored_v1);
            let raw = stored.or(stored_v1).unwrap_or_default();
            assert_eq!(loaded.unreadable, Some((aside.to_owned(), raw.to_owned())));
            assert_eq!(loaded.state.workspaces, State::default().workspaces);
            let message = loaded.state.notice.map(|notice| notice.message).unwrap_or_default();
            assert!(message.contains("could not be read") && message.contains(aside), "{message}");
        }
    }

    #[test]
    fn added_policies_are_kept_and_work_stored_without_them_still_opens() {
        let mut state = State::default();
        let scaleway_workspace = state.workspace_mut(Tab::Scaleway);
        let added = scaleway_workspace.add_document(DocumentRole::Policy, AttrValue::from("group policy"), true);
        assert!(added.is_some());
        let json = stored_json(&state).unwrap_or_default();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(value["workspaces"]["scaleway"]["added"][0]["role"], "policy");
        assert_eq!(value["workspaces"]["scaleway"]["added"][0]["text"], "group policy");
        assert!(value["workspaces"]["exoscale"].get("added").is_none());
        let reloaded = loaded(Some(&json), None);
        assert_eq!(reloaded.workspaces, state.workspaces);
        let policies: Vec<String> = reloaded
            .workspace(Tab::Scaleway)
            .documents
            .iter()
            .filter(|document| document.role == DocumentRole::Policy)
            .map(|document| document.text.to_string())
            .collect();
        assert_eq!(policies.len(), 2);
        assert_eq!(policies[1], "group policy");
        // A v2 workspace written before `added` existed, and the first version, still open.
        let older = r#"{"tab":"scaleway","workspaces":{"scaleway":{"provider":"scaleway","documents":{"policy":{"text":"p"}}}}}"#;
        let state = loaded(Some(older), None);
        assert_eq!(text(state.workspace(Tab::Scaleway), DocumentRole::Policy), Some(("p".to_owned(), true)));
        assert_eq!(state.workspace(Tab::Scaleway).added_documents(DocumentRole::Policy).count(), 0);
        assert_eq!(loaded(None, Some(STORED_V1)).workspace(Tab::Scaleway).documents.len(), 2);
    }

    /// The exact text written, and the messages of content that cannot be read: both are
    /// written by hand, and what earlier visits stored must keep opening.
    #[test]
    fn the_current_format_is_written_and_read_byte_for_byte() {
        let document = |text: &str, enabled| StoredDocument { text: text.to_owned(), enabled, name: String::new() };
        let stored = StoredState {
            tab: Tab::Scaleway,
            workspaces: keyed([
                (
                    "scaleway".to_owned(),
                    StoredWorkspace {
                        provider: Provider::Scaleway,
                        flags: vec!["owner".to_owned()],
                        documents: keyed([("policy".to_owned(), document("p\"\n", true))]),
                        added: vec![StoredAddedDocument {
                            role: "policy".to_owned(),
                            document: StoredDocument { name: "ops \"group\"".to_owned(), ..document("g", false) },
                        }],
                        cases: vec![StoredCase {
                            name: "n".to_owned(),
                            request: "{}".to_owned(),
                            expect: "deny".to_owned(),
                        }],
                    },
                ),
                (
                    "exoscale".to_owned(),
                    StoredWorkspace {
                        provider: Provider::Exoscale,
                        flags: Vec::new(),
                        documents: Vec::new(),
                        added: Vec::new(),
                        cases: Vec::new(),
                    },
                ),
            ]),
        };
        let json = stored.to_json();
        assert_eq!(
            json,
            r#"{"tab":"scaleway","workspaces":{"exoscale":{"provider":"exoscale","documents":{}},"scaleway":{"provider":"scaleway","flags":["owner"],"documents":{"policy":{"text":"p\"\n","enabled":true}},"added":[{"role":"policy","text":"g","enabled":false,"name":"ops \"group\""}],"cases":[{"name":"n","request":"{}","expect":"deny"}]}}}"#
        );
        assert_eq!(from_json_text(&json, StoredState::from_json), Ok(stored));
        for (raw, message) in [
            ("{\"tab\": 1}", "invalid type: integer `1`, expected string or map"),
            ("{}", "missing field `tab`"),
            (
                r#"{"tab":"aws","workspaces":{}}"#,
                "unknown variant `aws`, expected one of `exoscale`, `scaleway`, `outscale`",
            ),
            (r#"{"tab":"exoscale","workspaces":[]}"#, "invalid type: sequence, expected a map"),
            (r#"{"tab":"exoscale","workspaces":{"exoscale":{"provider":"exoscale"}}}"#, "missing field `documents`"),
            (
                r#"{"tab":"exoscale","workspaces":{"exoscale":{"provider":"exoscale","documents":{"policy":{"text":"x","enabled":"no"}}}}}"#,
                "invalid type: string \"no\", expected a boolean",
            ),
            (
                r#"{"tab":"exoscale","workspaces":{"s":{"provider":"scaleway","documents":{},"added":[{"text":"t"}]}}}"#,
                "missing field `role`",
            ),
            (
                r#"{"tab":"exoscale","workspaces":{"s":{"provider":"scaleway","documents":{},"added":[{"role":"policy"}]}}}"#,
                "missing field `text`",
            ),
            (
                r#"{"tab":"exoscale","workspaces":{"s":{"provider":"scaleway","documents":{},"cases":[{"name":"t","request":"r"}]}}}"#,
                "missing field `expect`",
            ),
        ] {
            assert_eq!(from_json_text(raw, StoredState::from_json).map(|_| ()), Err(message.to_owned()), "{raw}");
        }
        // Unknown members are ignored, at every level.
        let extra = r#"{"tab":"exoscale","more":3,"workspaces":{"s":{"provider":"scaleway","documents":{"policy":{"text":"t","x":1}},"extra":1,"cases":[{"name":"t","request":"r","expect":"deny","x":2}]}}}"#;
        assert!(from_json_text(extra, StoredState::from_json).is_ok());
        let v1 = r#"{"tab":"scaleway","aws_profile":1}"#;
        assert_eq!(
            from_json_text(v1, StoredStateV1::from_json).map(|_| ()),
            Err("invalid type: integer `1`, expected a boolean".to_owned())
        );
        let v1 = r#"{"tab":"scaleway","exoscale":{"policy":"e","request":"er"},"scaleway":{"policy":"s","request":"sr"},"outscale":{"policy":"o"}}"#;
        assert_eq!(from_json_text(v1, StoredStateV1::from_json).map(|_| ()), Err("missing field `request`".to_owned()));
    }
}
