//! Share links: the whole workspace in the URL fragment, so that it never reaches a server.
//! [`link`] is the format, plain Rust; this file adds the browser's deflate (`deflate.js`,
//! `CompressionStream('deflate-raw')`), so that the wasm carries no compression code.

pub mod link;

pub use link::{
    classify_fragment, version_differences, Fragment, LinkError, SharedDocument, SharedWorkspace, MAX_INFLATED_BYTES,
};

use iamlab_engine::test_cases::Expectation;
use link::SharedTestCase;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/share/deflate.js")]
extern "C" {
    #[wasm_bindgen(js_name = compressionAvailable)]
    fn compression_available() -> bool;
    #[wasm_bindgen(js_name = deflateRaw)]
    fn deflate_raw(bytes: &[u8]) -> js_sys::Promise;
    #[wasm_bindgen(js_name = inflateRaw)]
    fn inflate_raw(bytes: &[u8], limit: u32) -> js_sys::Promise;
}

/// The fragment (with its `#`) that opens `shared`: format 4 deflated, or, in a browser without
/// `CompressionStream`, the same JSON uncompressed under `#share=`.
pub async fn make_fragment(shared: &SharedWorkspace) -> String {
    if !compression_available() {
        return link::plain_fragment(shared);
    }
    let json = link::link_json(shared);
    match JsFuture::from(deflate_raw(json.as_bytes())).await {
        Ok(deflated) => link::compressed_fragment(&js_sys::Uint8Array::new(&deflated).to_vec()),
        Err(_) => link::plain_fragment(shared),
    }
}

/// Reads a URL fragment. `None` when it is not a share link at all, otherwise the workspace or
/// a message saying, in words, why the link cannot be opened.
pub async fn open_fragment(fragment: &str) -> Option<Result<SharedWorkspace, String>> {
    let opened = match classify_fragment(fragment) {
        Fragment::None => return None,
        Fragment::Plain(payload) => link::read_legacy_payload(payload),
        Fragment::UnknownFormat(format) => Err(LinkError::UnknownFormat(format)),
        Fragment::Compressed(payload) => match link::compressed_payload_bytes(payload) {
            Ok(deflated) => inflate(&deflated).await.and_then(|json| link::read_link_json(&json)),
            Err(error) => Err(error),
        },
    };
    Some(opened.map_err(|error| error.message()))
}

async fn inflate(deflated: &[u8]) -> Result<Vec<u8>, LinkError> {
    if !compression_available() {
        return Err(LinkError::Broken("this browser cannot inflate it: it has no DecompressionStream".to_owned()));
    }
    let limit = u32::try_from(MAX_INFLATED_BYTES).unwrap_or(u32::MAX);
    match JsFuture::from(inflate_raw(deflated, limit)).await {
        Ok(bytes) => Ok(js_sys::Uint8Array::new(&bytes).to_vec()),
        Err(error) => {
            let message = error.dyn_ref::<js_sys::Error>().map(|error| String::from(error.message()));
            match message.as_deref() {
                Some("too-large") => Err(LinkError::TooLarge),
                _ => Err(LinkError::Broken("its compressed data is damaged; was it cut short?".to_owned())),
            }
        }
    }
}

/// The rows whose decision differs now from the one the link recorded: the workspace's own
/// request (`request`) and each test case by name. The engine decides; this only compares.
pub fn decisions_that_differ(
    options: &iamlab_engine::Options,
    sources: &[iamlab_engine::Source<'_>],
    shared: &SharedWorkspace,
) -> Vec<String> {
    let mut differing = Vec::new();
    if let Some(then) = &shared.decision {
        let now = iamlab_engine::decide(options, sources).map(|decision| decision.effect.as_str().to_owned()).ok();
        if now.as_ref() != Some(then) {
            differing.push(format!("request: {then} then, {} now", now.as_deref().unwrap_or("no decision")));
        }
    }
    for case in &shared.tests {
        let Some(then) = &case.decision else { continue };
        let request = match &case.request {
            serde_json::Value::String(text) => text.clone(),
            request => request.to_string(),
        };
        let now = effect_with_request(options, sources, &request);
        if now.as_ref() != Some(then) {
            let name: String = case.name.chars().take(60).collect();
            differing.push(format!("{name}: {then} then, {} now", now.as_deref().unwrap_or("no decision")));
        }
    }
    differing
}

/// What a share link of `workspace` carries: the whole workspace (its profile and flags, every
/// document in order with whether it is on, the saved version), the decision it gives now, and
/// the test grid with each row's decision now.
pub fn shared_workspace(
    workspace: &crate::state::Workspace,
    decision: Option<iamlab_model::Effect>,
) -> SharedWorkspace {
    let sources = workspace.sources();
    let tests = workspace
        .cases
        .iter()
        .map(|case| {
            // JSON as the CLI's test cases write it, unless that would change the row's text
            // (its own layout, key order, or not JSON at all): then the text as it is.
            let request = iamlab_model::json::serde_value_from_text(&case.request)
                .ok()
                .filter(|request| serde_json::to_string_pretty(request).ok().as_deref() == Some(case.request.as_str()))
                .unwrap_or_else(|| serde_json::Value::String(case.request.to_string()));
            SharedTestCase {
                name: case.name.to_string(),
                decision: effect_with_request(&workspace.options, &sources, &case.request),
                request,
                expect: case.expect.as_str().to_owned(),
            }
        })
        .collect();
    let documents = |documents: &[crate::state::EditorDocument]| -> Vec<SharedDocument> {
        documents
            .iter()
            .map(|document| SharedDocument {
                role: document.role,
                text: document.text.to_string(),
                enabled: document.enabled,
                name: document.name.to_string(),
            })
            .collect()
    };
    SharedWorkspace {
        provider: workspace.provider(),
        documents: documents(&workspace.documents),
        flags: crate::state::enabled_flags(&workspace.options),
        decision: decision.map(|effect| effect.as_str().to_owned()),
        tests,
        saved: workspace.saved_version.as_deref().map(documents),
        whole: true,
        made_with: None,
    }
}

/// The grid rows of a link's test cases. A request the link carries as JSON is shown indented;
/// one it carries as a string (a row whose text was not JSON) as that text.
pub fn grid_cases(tests: &[SharedTestCase]) -> Vec<crate::state::GridCase> {
    tests
        .iter()
        .map(|case| crate::state::GridCase {
            name: case.name.clone().into(),
            request: match &case.request {
                serde_json::Value::String(text) => text.clone().into(),
                request => serde_json::to_string_pretty(request).unwrap_or_default().into(),
            },
            // The decoder has checked the word.
            expect: Expectation::from_key(&case.expect).unwrap_or(Expectation::Deny),
        })
        .collect()
}

/// The effect of `sources` with the request's text replaced by `request`.
fn effect_with_request(
    options: &iamlab_engine::Options,
    sources: &[iamlab_engine::Source<'_>],
    request: &str,
) -> Option<String> {
    let with_request: Vec<iamlab_engine::Source<'_>> = sources
        .iter()
        .map(|source| match source.role {
            iamlab_engine::DocumentRole::Request => iamlab_engine::Source { text: request, ..*source },
            _ => *source,
        })
        .collect();
    iamlab_engine::decide(options, &with_request).map(|decision| decision.effect.as_str().to_owned()).ok()
}

/// The rows a version notice names before it says how many more there are.
const MAX_ROWS_NAMED: usize = 8;

/// The notice after opening a link: what was loaded and, when the link was made with other
/// versions of the engine or its catalogues, those versions and the decisions that differ now.
pub fn opened_message(shared: &SharedWorkspace, workspace: &crate::state::Workspace) -> String {
    let mut message = format!("loaded the shared {} policy", shared.provider.display_name());
    let versions = version_differences(shared.provider, shared.made_with.as_ref());
    if versions.is_empty() {
        return message;
    }
    message.push_str(&format!("; this link was made with {}", versions.join(", ")));
    let recorded = shared.decision.is_some() || shared.tests.iter().any(|case| case.decision.is_some());
    if recorded {
        let mut differing = decisions_that_differ(&workspace.options, &workspace.sources(), shared);
        if differing.is_empty() {
            message.push_str("; every decision it recorded is the same now");
        } else {
            // A grid of a thousand rows that all changed: the notice names the first few.
            let total = differing.len();
            differing.truncate(MAX_ROWS_NAMED);
            if total > MAX_ROWS_NAMED {
                differing.push(format!("and {} more rows", total - MAX_ROWS_NAMED));
            }
            message.push_str(&format!("; decisions that differ now: {}", differing.join("; ")));
        }
    }
    message
}

/// Puts `text` on the clipboard (`navigator.clipboard.writeText`), when the browser lets the
/// page; the text is shown in the page too, so a refusal loses nothing.
pub fn copy_to_clipboard(text: &str) {
    let clipboard = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("navigator"))
        .and_then(|navigator| js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")));
    let Ok(clipboard) = clipboard else { return };
    let Ok(write) = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText")) else { return };
    if let Some(write) = write.dyn_ref::<js_sys::Function>() {
        if let Ok(promise) = write.call1(&clipboard, &JsValue::from_str(text)) {
            // A refusal (no permission, page not focused) rejects: nothing to do about it.
            if let Ok(promise) = promise.dyn_into::<js_sys::Promise>() {
                yew::platform::spawn_local(async move {
                    let _ = JsFuture::from(promise).await;
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Tab, Workspace};
    use iamlab_engine::DocumentRole;
    use link::{MadeWith, ENGINE_VERSION};

    fn outscale_link(engine: &str, decision: &str, case_decision: &str) -> (SharedWorkspace, Workspace) {
        let workspace = Workspace::example(Tab::Outscale);
        let request = workspace.document(DocumentRole::Request).map(|document| document.text.to_string());
        let mut shared = shared_workspace(&workspace, None);
        shared.decision = Some(decision.to_owned());
        shared.tests = vec![SharedTestCase {
            name: "the example request".to_owned(),
            request: serde_json::from_str(&request.unwrap_or_default()).unwrap(),
            expect: "deny".to_owned(),
            decision: Some(case_decision.to_owned()),
        }];
        shared.made_with =
            Some(MadeWith { engine: engine.to_owned(), catalogs: link::catalog_versions(shared.provider) });
        (shared, workspace)
    }

    #[test]
    fn a_link_from_another_engine_lists_the_decisions_that_differ_now() {
        let workspace = Workspace::example(Tab::Outscale);
        let now = iamlab_engine::simulate(&workspace.options, &workspace.sources()).unwrap().effect.as_str();
        let other = if now == "allow" { "explicit_deny" } else { "allow" };
        let (shared, workspace) = outscale_link("0.0.1", other, now);
        assert_eq!(
            opened_message(&shared, &workspace),
            format!(
                "loaded the shared Outscale policy; this link was made with engine 0.0.1 (this page runs {ENGINE_VERSION}); decisions that differ now: request: {other} then, {now} now"
            )
        );
        let (shared, workspace) = outscale_link("0.0.1", now, now);
        assert!(opened_message(&shared, &workspace).ends_with("every decision it recorded is the same now"));
        // Made with this engine: no word about versions.
        let (shared, workspace) = outscale_link(ENGINE_VERSION, other, other);
        assert_eq!(opened_message(&shared, &workspace), "loaded the shared Outscale policy");
    }

    #[test]
    fn a_link_made_with_another_catalogue_lists_the_grid_rows_that_differ_now() {
        let workspace = Workspace::example(Tab::Outscale);
        let now = iamlab_engine::simulate(&workspace.options, &workspace.sources()).unwrap().effect.as_str();
        let other = if now == "allow" { "implicit_deny" } else { "allow" };
        let (mut shared, workspace) = outscale_link(ENGINE_VERSION, now, other);
        let mut catalogs = link::catalog_versions(shared.provider);
        link::json::insert_pair(&mut catalogs, "outscale-actions".to_owned(), "2020-01-01".to_owned());
        shared.made_with = Some(MadeWith { engine: ENGINE_VERSION.to_owned(), catalogs });
        let version = link::catalog_versions(shared.provider)
            .into_iter()
            .find(|(name, _)| name == "outscale-actions")
            .map(|(_, version)| version)
            .unwrap_or_default();
        assert_eq!(
            opened_message(&shared, &workspace),
            format!(
                "loaded the shared Outscale policy; this link was made with catalogue outscale-actions 2020-01-01 (this page has {version}); decisions that differ now: the example request: {other} then, {now} now"
            )
        );
        // Twenty changed rows: eight are named.
        shared.tests = vec![shared.tests[0].clone(); 20];
        let message = opened_message(&shared, &workspace);
        assert_eq!(message.matches("the example request:").count(), 8, "{message}");
        assert!(message.ends_with("; and 12 more rows"), "{message}");
    }

    #[test]
    fn a_link_carries_every_document_and_the_saved_version() {
        let mut workspace = Workspace::example(Tab::Scaleway);
        workspace.add_document(DocumentRole::Policy, "{\"rules\": []}".into(), true);
        workspace.saved_version = Some(workspace.documents.clone());
        let shared = shared_workspace(&workspace, None);
        assert!(shared.whole);
        let roles: Vec<DocumentRole> = workspace.documents.iter().map(|document| document.role).collect();
        assert_eq!(shared.documents.iter().map(|document| document.role).collect::<Vec<_>>(), roles);
        assert_eq!(shared.saved.as_ref().map(Vec::len), Some(roles.len()));
        let read = link::read_link_json(link::link_json(&shared).as_bytes()).unwrap();
        assert_eq!(read.documents, shared.documents);
        assert_eq!(read.saved, shared.saved);
    }
}
