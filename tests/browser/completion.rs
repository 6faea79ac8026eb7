//! Browser tests of completion in the editor (issue 10, "Editor"): the engine's completions at
//! the caret open on Ctrl-Space and while typing, the keyboard moves through them, Enter, Tab
//! or a click inserts one through the browser's editing commands (so Ctrl-Z restores the text),
//! and Escape closes the list; one test per profile.

use super::*;

/// The policy editor's completion list: `[label, detail]` of each option, the selected index
/// (or -1), and the id the textarea names as its active descendant.
const LIST: &str = "const editor = document.querySelector('#policy-editor');
    const list = document.getElementById(editor.getAttribute('aria-controls'));
    const options = list.hidden ? [] : Array.from(list.querySelectorAll('[role=option]'));
    return {
        shown: !list.hidden && list.getAttribute('role') === 'listbox',
        items: options.map((option) => [option.querySelector('.completion-label').textContent,
                                          option.querySelector('.completion-detail').textContent]),
        selected: options.findIndex((option) => option.getAttribute('aria-selected') === 'true'),
        active: editor.getAttribute('aria-activedescendant') || '',
        selectedId: (options.find((option) => option.getAttribute('aria-selected') === 'true') || { id: '' }).id,
    };";

#[derive(serde::Deserialize, Debug)]
struct List {
    shown: bool,
    items: Vec<(String, String)>,
    selected: i64,
    active: String,
    #[serde(rename = "selectedId")]
    selected_id: String,
}

async fn list(page: &Page) -> TestResult<List> {
    Ok(serde_json::from_value(page.js(LIST, vec![]).await?)?)
}

/// Waits until the list is open with an item labelled `label`, and returns it.
async fn wait_for_item(page: &Page, label: &str) -> TestResult<List> {
    page.wait_until(
        &format!("the completion list offers {label}"),
        &format!(
            "const list = document.getElementById(document.querySelector('#policy-editor').getAttribute('aria-controls'));
             return !list.hidden && Array.from(list.querySelectorAll('.completion-label')).some((label) => label.textContent === {});",
            json!(label)
        ),
    )
    .await?;
    list(page).await
}

async fn wait_until_closed(page: &Page) -> TestResult {
    page.wait_until(
        "the completion list is closed",
        "const editor = document.querySelector('#policy-editor');
         return document.getElementById(editor.getAttribute('aria-controls')).hidden && !editor.getAttribute('aria-activedescendant');",
    )
    .await
}

/// Pastes `text` into the policy editor with the caret at the `§` (removed) and the focus.
async fn text_with_caret(page: &Page, text: &str) -> TestResult<String> {
    let caret = text.find('§').ok_or("the text has no caret marker")?;
    let text = text.replacen('§', "", 1);
    page.set_editor_value(&text).await?;
    page.wait_until("the text is rendered", "return !!document.querySelector('#policy-editor');").await?;
    let units = text[..caret].encode_utf16().count();
    page.js(
        "const editor = document.querySelector('#policy-editor'); editor.focus(); editor.setSelectionRange(arguments[0], arguments[0]);",
        vec![json!(units)],
    )
    .await?;
    Ok(text)
}

/// Presses `key` with Control held (WebDriver key codes: `\u{e009}` is Control).
async fn ctrl(page: &Page, key: char) -> TestResult {
    let keys = KeyActions::new("keyboard".to_owned())
        .then(KeyAction::Down { value: '\u{e009}' })
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key })
        .then(KeyAction::Up { value: '\u{e009}' });
    page.client.perform_actions(keys).await?;
    Ok(())
}

async fn wait_for_value(page: &Page, what: &str, expected: &str) -> TestResult {
    let result = page
        .wait_until(what, &format!("return document.querySelector('#policy-editor').value === {};", json!(expected)))
        .await;
    if result.is_err() {
        let value = page.editor_value().await?;
        return fail(format!("timed out waiting until {what}: the editor holds {value:?}, not {expected:?}"));
    }
    Ok(())
}

/// Whether the second option is the selected one.
const SECOND_SELECTED: &str = "const options = document.querySelectorAll('#policy-editor-completions [role=option]');
    return options.length > 1 && options[1].getAttribute('aria-selected') === 'true';";

const DOWN: &str = "\u{e015}";
const UP: &str = "\u{e013}";
const ENTER: &str = "\u{e007}";
const TAB: &str = "\u{e004}";
const ESCAPE: &str = "\u{e00c}";
const SPACE: char = '\u{e00d}';

/// The list's ARIA: a listbox of options, the selected one the textarea's active descendant.
fn ensure_aria(shown: &List) -> TestResult {
    ensure(shown.shown && shown.selected >= 0 && !shown.active.is_empty() && shown.active == shown.selected_id, || {
        format!("the list's ARIA is off: {shown:?}")
    })
}

#[test]
fn exoscale_operations_and_parameters_complete_inside_an_expression_and_undo_restores() {
    browser_test(
        "exoscale_operations_and_parameters_complete_inside_an_expression_and_undo_restores",
        |page| async move {
            page.open("").await?;
            page.select_tab("exoscale").await?;
            let before = text_with_caret(
                &page,
                r#"{"default-service-strategy": "deny", "services": {"compute": {"type": "rules", "rules": [{"action": "allow", "expression": "operation == 'get-instanc§'"}]}}}"#,
            )
            .await?;
            // Typing opens the list: the compute class's operations that start with the text.
            page.type_keys("e").await?;
            let typed = before.replacen("get-instanc'", "get-instance'", 1);
            let shown = wait_for_item(&page, "get-instance").await?;
            ensure_aria(&shown)?;
            ensure(shown.items.iter().all(|(label, _)| label.starts_with("get-instance")), || {
                format!("the list is not narrowed to the typed text: {:?}", shown.items)
            })?;
            ensure(shown.items.iter().any(|(_, detail)| detail.starts_with("operation")), || {
                format!("no option says it is an operation: {:?}", shown.items)
            })?;
            // The keyboard moves the selection, and the textarea names it.
            let first = shown.items.first().map(|(label, _)| label.clone()).unwrap_or_default();
            if shown.items.len() > 1 {
                page.type_keys(DOWN).await?;
                page.wait_until("Down selects the second option", SECOND_SELECTED).await?;
                let moved = list(&page).await?;
                ensure(moved.selected == 1 && moved.active == moved.selected_id, || format!("after Down: {moved:?}"))?;
                page.type_keys(UP).await?;
            }
            let back = list(&page).await?;
            ensure(back.selected == 0, || format!("after Up: {back:?}"))?;
            page.type_keys(ENTER).await?;
            let completed = typed.replacen("'get-instance'", &format!("'{first}'"), 1);
            wait_for_value(&page, "Enter inserts the operation", &completed).await?;
            wait_until_closed(&page).await?;
            // Ctrl-Z takes the insertion back: the text as typed.
            ctrl(&page, 'z').await?;
            wait_for_value(&page, "Ctrl-Z restores the typed text", &typed).await?;

            // `parameters.` offers the fields of the operations the rule names, with their type.
            let before = text_with_caret(
                &page,
                r#"{"default-service-strategy": "deny", "services": {"compute": {"type": "rules", "rules": [{"action": "allow", "expression": "operation == 'get-instance' && parameters§"}]}}}"#,
            )
            .await?;
            page.type_keys(".").await?;
            let shown = wait_for_item(&page, "id").await?;
            ensure(shown.items.iter().any(|(label, detail)| label == "id" && detail.contains("string")), || {
                format!("no `id` field with its type: {:?}", shown.items)
            })?;
            page.type_keys(ESCAPE).await?;
            wait_until_closed(&page).await?;
            // Escape changed nothing; Ctrl-Space opens the list again and Tab applies the option.
            let dotted = before.replacen("parameters\"", "parameters.\"", 1);
            wait_for_value(&page, "Escape leaves the text alone", &dotted).await?;
            ctrl(&page, SPACE).await?;
            let shown = wait_for_item(&page, "id").await?;
            let index = shown.items.iter().position(|(label, _)| label == "id").unwrap_or(0);
            for _ in 0..index {
                page.type_keys(DOWN).await?;
            }
            page.wait_until(
                "the `id` option is selected",
                "return (document.querySelector('.editor-completions [aria-selected=true] .completion-label') || {}).textContent === 'id';",
            )
            .await?;
            page.type_keys(TAB).await?;
            wait_for_value(&page, "Tab inserts the field", &dotted.replacen("parameters.\"", "parameters.id\"", 1))
                .await?;
            ctrl(&page, 'z').await?;
            wait_for_value(&page, "Ctrl-Z restores the text", &dotted).await?;
            page.ensure_no_console_errors().await
        },
    );
}

#[test]
fn scaleway_permission_sets_complete_with_their_scope_type() {
    browser_test("scaleway_permission_sets_complete_with_their_scope_type", |page| async move {
        page.open("").await?;
        page.select_tab("scaleway").await?;
        let before = text_with_caret(
            &page,
            r#"{"name": "p", "rules": [{"permission_set_names": ["InstancesRead§"], "project_ids": ["p-1"]}]}"#,
        )
        .await?;
        ctrl(&page, SPACE).await?;
        let shown = wait_for_item(&page, "InstancesReadOnly").await?;
        ensure_aria(&shown)?;
        ensure(
            shown.items.iter().any(|(label, detail)| label == "InstancesReadOnly" && detail.contains("projects scope")),
            || format!("the permission set does not show its scope type: {:?}", shown.items),
        )?;
        // A click applies the option under the pointer.
        page.click("#policy-editor-completions [role=option]").await?;
        let first = shown.items.first().map(|(label, _)| label.clone()).unwrap_or_default();
        let completed = before.replacen("\"InstancesRead\"", &format!("\"{first}\""), 1);
        wait_for_value(&page, "the click inserts the permission set", &completed).await?;
        wait_until_closed(&page).await?;
        ctrl(&page, 'z').await?;
        wait_for_value(&page, "Ctrl-Z restores the text", &before).await?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn outscale_actions_complete_with_wildcards_and_escape_closes_the_list() {
    browser_test("outscale_actions_complete_with_wildcards_and_escape_closes_the_list", |page| async move {
        page.open("").await?;
        page.select_tab("outscale").await?;
        let before = text_with_caret(
            &page,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "api:ReadV§", "Resource": "*"}]}"#,
        )
        .await?;
        page.type_keys("m").await?;
        let typed = before.replacen("api:ReadV\"", "api:ReadVm\"", 1);
        let shown = wait_for_item(&page, "api:ReadVms").await?;
        ensure_aria(&shown)?;
        ensure(shown.items.iter().any(|(_, detail)| detail.starts_with("wildcard")), || {
            format!("no wildcard among {:?}", shown.items)
        })?;
        page.type_keys(ESCAPE).await?;
        wait_until_closed(&page).await?;
        wait_for_value(&page, "Escape leaves the text alone", &typed).await?;
        // Ctrl-Space reopens it; the selected option goes in with Enter.
        ctrl(&page, SPACE).await?;
        let shown = wait_for_item(&page, "api:ReadVms").await?;
        let index = shown.items.iter().position(|(label, _)| label == "api:ReadVms").unwrap_or(0);
        for _ in 0..index {
            page.type_keys(DOWN).await?;
        }
        page.wait_until(
            "api:ReadVms is selected",
            "return (document.querySelector('.editor-completions [aria-selected=true] .completion-label') || {}).textContent === 'api:ReadVms';",
        )
        .await?;
        page.type_keys(ENTER).await?;
        wait_for_value(&page, "Enter inserts the action", &typed.replacen("api:ReadVm\"", "api:ReadVms\"", 1)).await?;
        ctrl(&page, 'z').await?;
        wait_for_value(&page, "Ctrl-Z restores the text", &typed).await?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn aws_condition_operators_and_keys_complete_with_their_types() {
    browser_test("aws_condition_operators_and_keys_complete_with_their_types", |page| async move {
        page.open("").await?;
        page.select_tab("outscale").await?;
        page.click("#profile-aws").await?;
        page.wait_until("the AWS profile is on", "return document.querySelector('.app').dataset.provider === 'aws';")
            .await?;
        // A key of the condition block: the operators, each with the type it compares.
        let before = text_with_caret(
            &page,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"Bool": {"aws:SecureTrans§"#,
        )
        .await?;
        page.type_keys("p").await?;
        let typed = before.replacen("aws:SecureTrans", "aws:SecureTransp", 1);
        let shown = wait_for_item(&page, "aws:SecureTransport").await?;
        ensure_aria(&shown)?;
        ensure(
            shown.items.iter().any(|(label, detail)| label == "aws:SecureTransport" && detail.contains("Bool")),
            || format!("the condition key does not show its type: {:?}", shown.items),
        )?;
        page.type_keys(ENTER).await?;
        let completed = typed.replacen("\"aws:SecureTransp", "\"aws:SecureTransport\": ", 1);
        wait_for_value(&page, "Enter inserts the key with its colon", &completed).await?;
        ctrl(&page, 'z').await?;
        wait_for_value(&page, "Ctrl-Z restores the text", &typed).await?;

        let before = text_with_caret(
            &page,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEq§": {}}}]}"#,
        )
        .await?;
        ctrl(&page, SPACE).await?;
        let shown = wait_for_item(&page, "StringEquals").await?;
        ensure(
            shown.items.iter().any(|(label, detail)| label == "StringEquals" && detail.contains("operator")),
            || format!("no StringEquals operator: {:?}", shown.items),
        )?;
        page.type_keys(ESCAPE).await?;
        wait_until_closed(&page).await?;
        wait_for_value(&page, "Escape leaves the text alone", &before).await?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn the_aws_profile_completes_actions_from_the_aws_catalogue_once_it_is_loaded() {
    browser_test("the_aws_profile_completes_actions_from_the_aws_catalogue_once_it_is_loaded", |page| async move {
        page.open("").await?;
        page.select_tab("outscale").await?;
        page.click("#profile-aws").await?;
        page.wait_until(
            "the catalogue is loaded",
            "const status = document.querySelector('#aws-catalog-status'); return !!status && status.dataset.state === 'loaded';",
        )
        .await?;
        // `s3` is an AWS service the built-in OUTSCALE list does not have.
        text_with_caret(&page, r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjectA§", "Resource": "*"}]}"#)
            .await?;
        ctrl(&page, ' ').await?;
        let shown = wait_for_item(&page, "s3:GetObjectAcl").await?;
        ensure(shown.items.iter().all(|(label, _)| label.to_ascii_lowercase().contains("s3:getobjecta")), || {
            format!("items {:?}", shown.items)
        })?;
        page.ensure_no_console_errors().await
    });
}
