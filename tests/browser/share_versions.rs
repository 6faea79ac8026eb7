//! Browser tests of issue 11's share links beyond the first round: a link made with other
//! catalogue versions lists the grid rows whose decision differs now, and a whole workspace
//! (several documents in order, one turned off, the options, a saved version, the grid) goes
//! through a `#s4=` link and comes back the same, for each provider.

use super::embedding::share_link;
use super::*;
use iamlab_engine::{DocumentId, Options, Source};
use iamlab_model::Provider;

/// The version every crate of the workspace has, the engine's and the page's included.
const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The `#s4=` fragment of `link`, deflated by the page's `CompressionStream`, as the page
/// writes its own links.
async fn s4_fragment(page: &Page, link: &Json) -> TestResult<String> {
    let payload = page
        .js_string(
            "const text = arguments[0];
             return (async () => {
                 const stream = new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
                 const bytes = new Uint8Array(await new Response(stream).arrayBuffer()); let binary = '';
                 for (const byte of bytes) binary += String.fromCharCode(byte);
                 return btoa(binary).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
             })();",
            vec![json!(link.to_string())],
        )
        .await?;
    Ok(format!("#s4={payload}"))
}

/// The JSON a `#s4=` link carries, inflated by the page's `DecompressionStream`.
async fn link_json(page: &Page, link: &str) -> TestResult<Json> {
    let Some((_, payload)) = link.split_once("#s4=") else {
        return fail(format!("not a format 4 link: {link:.80}"));
    };
    let text = page
        .js_string(
            "const payload = arguments[0].replace(/-/g, '+').replace(/_/g, '/');
             const binary = atob(payload + '='.repeat((4 - payload.length % 4) % 4));
             const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
             return (async () => {
                 const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
                 return await new Response(stream).text();
             })();",
            vec![json!(payload)],
        )
        .await?;
    Ok(serde_json::from_str(&text)?)
}

/// The effect the engine gives now for `documents` (the request last), as links record it.
fn effect_now(provider: Provider, documents: &[(iamlab_engine::DocumentRole, &str)]) -> String {
    let sources: Vec<Source<'_>> = documents
        .iter()
        .enumerate()
        .map(|(index, (role, text))| Source { id: DocumentId(u32::try_from(index).unwrap_or(0)), role: *role, text })
        .collect();
    iamlab_engine::simulate(&Options::for_provider(provider), &sources)
        .map(|decision| decision.effect.as_str().to_owned())
        .unwrap_or_else(|error| panic!("the {provider} example must simulate: {error:?}"))
}

#[test]
fn a_link_made_with_other_catalogue_versions_lists_the_grid_rows_whose_decision_differs_now() {
    browser_test(
        "a_link_made_with_other_catalogue_versions_lists_the_grid_rows_whose_decision_differs_now",
        |page| async move {
            page.open("").await?;
            for provider in [Provider::Exoscale, Provider::Scaleway, Provider::Outscale] {
                let example = iamlab_engine::examples(provider).first().ok_or("every provider has an example")?;
                let now = effect_now(provider, example.documents);
                let then = if now == "allow" { "implicit_deny" } else { "allow" };
                let request: Json = serde_json::from_str(
                    example.text(iamlab_engine::DocumentRole::Request).ok_or("the example has a request")?,
                )?;
                let catalogs: serde_json::Map<String, Json> = iamlab_engine::catalogs(provider)
                    .iter()
                    .map(|catalog| (catalog.name.to_owned(), json!("2000-01-01.0")))
                    .collect();
                ensure(!catalogs.is_empty(), || format!("{provider} records no catalogue"))?;
                let documents: Vec<Json> = example
                    .documents
                    .iter()
                    .map(|(role, text)| json!({ "role": role.as_str(), "text": text }))
                    .collect();
                // Same engine, older catalogues; the workspace's own request and one row
                // decide as they did, the other row does not.
                let link = json!({
                    "v": 4, "engine": ENGINE_VERSION, "catalogs": catalogs, "provider": provider,
                    "documents": documents, "decision": now,
                    "tests": [
                        { "name": "row that changed", "request": request, "expect": "allow", "decision": then },
                        { "name": "row that did not", "request": request, "expect": "deny", "decision": now },
                    ],
                });
                let fragment = s4_fragment(&page, &link).await?;
                page.open(&fragment).await?;
                let notice = super::embedding::notice_text(&page, ".notice-info").await?;
                let mut expected = Vec::new();
                for catalog in iamlab_engine::catalogs(provider) {
                    expected
                        .push(format!("catalogue {} 2000-01-01.0 (this page has {})", catalog.name, catalog.version));
                }
                expected.push(format!("decisions that differ now: row that changed: {then} then, {now} now"));
                ensure(
                    expected.iter().all(|phrase| notice.contains(phrase))
                        && !notice.contains("row that did not")
                        && !notice.contains("request:")
                        && !notice.contains("engine "),
                    || format!("{provider}: notice {notice:?}, expected {expected:?}"),
                )?;
                page.wait_until(
                    "the link's two rows are in the grid",
                    "return document.querySelectorAll('.grid-row').length === 2;",
                )
                .await?;
                // The same link made with this page's catalogues says nothing about versions.
                let mut current = link.clone();
                current["catalogs"] = iamlab_engine::catalogs(provider)
                    .iter()
                    .map(|catalog| (catalog.name.to_owned(), json!(catalog.version)))
                    .collect::<serde_json::Map<_, _>>()
                    .into();
                page.open(&s4_fragment(&page, &current).await?).await?;
                let notice = super::embedding::notice_text(&page, ".notice-info").await?;
                ensure(!notice.contains("made with") && !notice.contains("differ"), || {
                    format!("{provider}: a link of this page's versions: {notice:?}")
                })?;
            }
            page.ensure_no_console_errors().await
        },
    );
}

/// Makes a link of the page's workspace, checks what it carries with `carries` (a JSON
/// predicate in Rust), then opens it on a cleared page, waits for `restored` (JavaScript that
/// returns `true` when the page shows the workspace again) and checks that a link made there
/// carries exactly the same workspace.
async fn round_trip(page: &Page, carries: impl Fn(&Json) -> Result<(), String>, restored: &str) -> TestResult {
    let link = share_link(page).await?;
    ensure(link.starts_with(&format!("{}#s4=", page.base)), || format!("share link {link:.80}"))?;
    let made = link_json(page, &link).await?;
    carries(&made).map_err(|message| format!("{message}: the link carries {made:#}"))?;
    page.js("localStorage.clear();", vec![]).await?;
    page.open("").await?;
    page.open(&link[page.base.len()..]).await?;
    page.wait_until("the shared workspace is back", restored).await?;
    let again = link_json(page, &share_link(page).await?).await?;
    ensure(again == made, || format!("the link made after opening differs:\n{again:#}\nwas\n{made:#}"))?;
    page.ensure_no_console_errors().await
}

/// The texts of the link's documents of `role`, in order, and whether each is off.
fn documents_of(link: &Json, key: &str, role: &str) -> Vec<(String, bool)> {
    link[key]
        .as_array()
        .map(|documents| {
            documents
                .iter()
                .filter(|document| document["role"] == role)
                .map(|document| {
                    (document["text"].as_str().unwrap_or_default().to_owned(), document["off"] == Json::Bool(true))
                })
                .collect()
        })
        .unwrap_or_default()
}

const EXOSCALE_ROLE_SAVED: &str =
    r#"{ "default-service-strategy": "deny", "services": { "compute": { "type": "allow" } } }"#;
const EXOSCALE_ROLE: &str = r#"{ "default-service-strategy": "deny", "services": { "compute": { "type": "allow" }, "dns": { "type": "allow" } } }"#;
const EXOSCALE_ORGANIZATION: &str =
    r#"{ "default-service-strategy": "allow", "services": { "sos": { "type": "deny" } } }"#;

#[test]
fn a_whole_exoscale_workspace_goes_through_a_share_link() {
    browser_test("a_whole_exoscale_workspace_goes_through_a_share_link", |page| async move {
        page.open("").await?;
        page.select_tab("exoscale").await?;
        // The organization policy on, edited, then saved with the role as the what-if version.
        let on = page.js("return document.querySelector('#organization-policy-toggle').checked;", vec![]).await?;
        if on != Json::Bool(true) {
            page.click("#organization-policy-toggle").await?;
        }
        page.wait_until(
            "the organization editor is shown",
            "return !!document.querySelector('#organization-policy-editor');",
        )
        .await?;
        page.paste("#organization-policy-editor", EXOSCALE_ORGANIZATION).await?;
        page.set_editor_value(EXOSCALE_ROLE_SAVED).await?;
        page.paste("#request-editor", r#"{ "operation": "list-dns-domains" }"#).await?;
        page.click("#grid-add").await?;
        page.click("#grid-add").await?;
        page.paste(".grid-row[data-index=\"1\"] .grid-request", r#"{ "operation": "create-instance" }"#).await?;
        page.click("#grid-save-version").await?;
        page.wait_until("a version is saved", "return !!document.querySelector('.what-if-verdict');").await?;
        // After the save: the role grows and the organization policy is turned off.
        page.set_editor_value(EXOSCALE_ROLE).await?;
        page.click("#organization-policy-toggle").await?;
        page.wait_until(
            "the organization editor is hidden",
            "return !document.querySelector('#organization-policy-editor');",
        )
        .await?;
        round_trip(
            &page,
            |link| {
                let expect = |what: &str, ok: bool| if ok { Ok(()) } else { Err(format!("the link lacks {what}")) };
                expect("the provider", link["provider"] == "exoscale")?;
                expect("the role", documents_of(link, "documents", "policy") == [(EXOSCALE_ROLE.to_owned(), false)])?;
                expect(
                    "the organization policy turned off",
                    documents_of(link, "documents", "organization") == [(EXOSCALE_ORGANIZATION.to_owned(), true)],
                )?;
                expect(
                    "the saved version",
                    documents_of(link, "saved", "policy") == [(EXOSCALE_ROLE_SAVED.to_owned(), false)]
                        && documents_of(link, "saved", "organization") == [(EXOSCALE_ORGANIZATION.to_owned(), false)],
                )?;
                expect("the two grid rows", link["tests"].as_array().map(Vec::len) == Some(2))
            },
            &format!(
                "return document.querySelector('#policy-editor').value === {}
                     && !document.querySelector('#organization-policy-toggle').checked
                     && document.querySelectorAll('.grid-row').length === 2
                     && !!document.querySelector('.what-if-verdict');",
                json!(EXOSCALE_ROLE)
            ),
        )
        .await
    });
}

const SCALEWAY_GROUP: &str = r#"{ "name": "group", "group_id": "g-1", "rules": [{ "permission_set_names": ["InstancesReadOnly"], "project_ids": ["p-1"] }] }"#;
const SCALEWAY_OTHER_GROUP: &str = r#"{ "name": "other-group", "group_id": "g-2", "rules": [{ "permission_set_names": ["DomainsDNSReadOnly"], "project_ids": ["p-1"] }] }"#;
const SCALEWAY_OTHER_GROUP_EDITED: &str = r#"{ "name": "other-group", "group_id": "g-2", "rules": [{ "permission_set_names": ["DomainsDNSFullAccess"], "project_ids": ["p-1"] }] }"#;

#[test]
fn a_whole_scaleway_workspace_goes_through_a_share_link() {
    browser_test("a_whole_scaleway_workspace_goes_through_a_share_link", |page| async move {
        page.open("").await?;
        page.select_tab("scaleway").await?;
        let own = page.editor_value().await?;
        // Three policies in order (the user's own and two groups'), the Owner switch on.
        page.click("#add-policy").await?;
        page.click("#add-policy").await?;
        page.wait_until("three policy editors", "return !!document.querySelector('#policy-editor-3');").await?;
        page.paste("#policy-editor-2", SCALEWAY_GROUP).await?;
        page.paste("#policy-editor-3", SCALEWAY_OTHER_GROUP).await?;
        page.paste("#request-editor", r#"{ "permission_set": "InstancesReadOnly", "project_id": "p-1" }"#).await?;
        page.click("#grid-add").await?;
        page.click("#grid-save-version").await?;
        page.wait_until("a version is saved", "return !!document.querySelector('.what-if-verdict');").await?;
        page.paste("#policy-editor-3", SCALEWAY_OTHER_GROUP_EDITED).await?;
        page.click("#scaleway-owner").await?;
        // A policy's name travels too.
        page.js(
            "const field = document.querySelector('#policy-name-2'); field.value = 'readers';
             field.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await?;
        round_trip(
            &page,
            |link| {
                let expect = |what: &str, ok: bool| if ok { Ok(()) } else { Err(format!("the link lacks {what}")) };
                let policies = |key: &str, last: &str| {
                    vec![(own.clone(), false), (SCALEWAY_GROUP.to_owned(), false), (last.to_owned(), false)]
                        == documents_of(link, key, "policy")
                };
                expect("the provider", link["provider"] == "scaleway")?;
                expect("the three policies in order", policies("documents", SCALEWAY_OTHER_GROUP_EDITED))?;
                expect("the saved version", policies("saved", SCALEWAY_OTHER_GROUP))?;
                expect("the Owner switch", link["flags"] == json!(["owner"]))?;
                expect("the second policy's name", link["documents"].as_array().is_some_and(|documents| documents.iter().any(|document| document["name"] == "readers" && document["text"] == SCALEWAY_GROUP)))?;
                expect("the grid row", link["tests"].as_array().map(Vec::len) == Some(1))
            },
            &format!(
                "const value = (id) => (document.querySelector('#' + id) || {{ value: null }}).value;
                 return value('policy-editor') === {} && value('policy-editor-2') === {} && value('policy-editor-3') === {}
                     && value('policy-name-2') === 'readers' && value('policy-name-3') === ''
                     && document.querySelector('#scaleway-owner').checked
                     && document.querySelectorAll('.grid-row').length === 1
                     && !!document.querySelector('.what-if-verdict');",
                json!(own),
                json!(SCALEWAY_GROUP),
                json!(SCALEWAY_OTHER_GROUP_EDITED)
            ),
        )
        .await
    });
}

const OUTSCALE_READ: &str = r#"{ "Statement": [{ "Effect": "Allow", "Action": "api:ReadVms", "Resource": "*" }] }"#;
const OUTSCALE_DENY: &str = r#"{ "Statement": [{ "Effect": "Deny", "Action": "api:DeleteVms", "Resource": "*" }] }"#;
const OUTSCALE_ALL: &str = r#"{ "Statement": [{ "Effect": "Allow", "Action": "*", "Resource": "*" }] }"#;

#[test]
fn a_whole_outscale_workspace_goes_through_a_share_link() {
    browser_test("a_whole_outscale_workspace_goes_through_a_share_link", |page| async move {
        page.open("").await?;
        page.select_tab("outscale").await?;
        page.click("#profile-aws").await?;
        page.set_editor_value(OUTSCALE_READ).await?;
        page.click("#add-policy").await?;
        page.wait_until("a second policy editor", "return !!document.querySelector('#policy-editor-2');").await?;
        page.paste("#policy-editor-2", OUTSCALE_DENY).await?;
        page.paste("#request-editor", r#"{ "action": "api:DeleteVms", "resource": "*", "context": {} }"#).await?;
        page.click("#grid-add").await?;
        page.click("#grid-add").await?;
        page.paste(".grid-row[data-index=\"1\"] .grid-request", r#"{ "action": "api:ReadVms", "resource": "*" }"#)
            .await?;
        page.click("#grid-save-version").await?;
        page.wait_until("a version is saved", "return !!document.querySelector('.what-if-verdict');").await?;
        page.set_editor_value(OUTSCALE_ALL).await?;
        round_trip(
            &page,
            |link| {
                let expect = |what: &str, ok: bool| if ok { Ok(()) } else { Err(format!("the link lacks {what}")) };
                let policies = |key: &str, first: &str| {
                    vec![(first.to_owned(), false), (OUTSCALE_DENY.to_owned(), false)]
                        == documents_of(link, key, "policy")
                };
                expect("the AWS profile", link["provider"] == "aws")?;
                expect("the two policies in order", policies("documents", OUTSCALE_ALL))?;
                expect("the saved version", policies("saved", OUTSCALE_READ))?;
                expect("the two grid rows", link["tests"].as_array().map(Vec::len) == Some(2))
            },
            &format!(
                "const value = (id) => (document.querySelector('#' + id) || {{ value: null }}).value;
                 return document.querySelector('.app').dataset.provider === 'aws'
                     && value('policy-editor') === {} && value('policy-editor-2') === {}
                     && document.querySelectorAll('.grid-row').length === 2
                     && !!document.querySelector('.what-if-verdict');",
                json!(OUTSCALE_ALL),
                json!(OUTSCALE_DENY)
            ),
        )
        .await
    });
}
