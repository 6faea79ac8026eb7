//! Browser tests of issue 9's playground part: a Scaleway policy and request decide through a
//! rule, the Owner switch, a second (group) policy editor, and the request builder.

use super::*;

const EFFECT: &str = "const effect = document.querySelector('#decision .decision-effect'); return !!effect && effect.dataset.effect === ";

/// A group's policy granting `InstancesReadOnly` on Project `p-1`, for group `g`.
const GROUP_POLICY: &str = r#"{
  "name": "group-readers",
  "organization_id": "c6842bac-7938-4c04-9e03-f48147eee1f1",
  "group_id": "5a1d3e29-8d6c-4f4e-9f2b-2a7c1e0f3b11",
  "rules": [
    { "permission_set_names": ["InstancesReadOnly"], "project_ids": ["p-1"] }
  ]
}"#;

const READ_INSTANCES: &str = r#"{ "permission_set": "InstancesReadOnly", "project_id": "p-1" }"#;

#[test]
fn a_scaleway_policy_and_request_are_allowed_through_a_rule_and_the_owner_is_allowed_anything() {
    browser_test(
        "a_scaleway_policy_and_request_are_allowed_through_a_rule_and_the_owner_is_allowed_anything",
        |page| async move {
            page.open("").await?;
            page.select_tab("scaleway").await?;
            page.wait_until("the example request is allowed", &format!("{EFFECT}'allow';")).await?;
            let decisive =
                page.js_string("return document.querySelector('#decision .decisive').textContent;", vec![]).await?;
            ensure(decisive.contains("rules[0]"), || format!("decided by {decisive:?}"))?;
            // A permission set no rule grants is not allowed…
            page.paste("#request-editor", READ_INSTANCES).await?;
            page.wait_until("the request outside the policy is not allowed", &format!("{EFFECT}'implicit_deny';"))
                .await?;
            // …unless the principal is the Organization Owner.
            page.click("#scaleway-owner").await?;
            page.wait_until("the Owner is allowed", &format!("{EFFECT}'allow';")).await?;
            page.click("#scaleway-owner").await?;
            page.wait_until("the Owner switch is off again", &format!("{EFFECT}'implicit_deny';")).await?;
            page.ensure_no_console_errors().await
        },
    );
}

#[test]
fn a_second_scaleway_policy_takes_part_in_the_decision_and_survives_a_reload() {
    browser_test("a_second_scaleway_policy_takes_part_in_the_decision_and_survives_a_reload", |page| async move {
        page.open("").await?;
        page.select_tab("scaleway").await?;
        page.paste("#request-editor", READ_INSTANCES).await?;
        page.wait_until("the request is not allowed by the first policy", &format!("{EFFECT}'implicit_deny';")).await?;
        page.click("#add-policy").await?;
        page.wait_until("a second policy editor is shown", "return !!document.querySelector('#policy-editor-2');")
            .await?;
        page.paste("#policy-editor-2", GROUP_POLICY).await?;
        page.wait_until("the group's policy allows the request", &format!("{EFFECT}'allow';")).await?;
        // Among several policies the decision says which one decided, by number, then by the
        // name the user gives it.
        page.wait_until(
            "the deciding rule is named with its policy's number",
            "return document.querySelector('#decision .decisive button.locator').textContent.includes('policy 2 rules[0]');",
        )
        .await?;
        page.js(
            "const field = document.querySelector('#policy-name-2'); field.value = '  ops readers  ';
             field.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![],
        )
        .await?;
        page.wait_until(
            "the deciding rule is named with its policy's name",
            "return document.querySelector('#decision .decisive button.locator').textContent.includes('ops readers rules[0]')
                 && document.querySelector('#policy-name-2').value === 'ops readers';",
        )
        .await?;
        // The deciding rule is the second policy's: its locator selects it in that editor.
        page.click("#decision .decisive button.locator").await?;
        page.wait_until(
            "the second policy editor has the focus",
            "return document.activeElement.id === 'policy-editor-2';",
        )
        .await?;
        let selected = page
            .js_string(
                "const editor = document.querySelector('#policy-editor-2'); return editor.value.substring(editor.selectionStart, editor.selectionEnd);",
                vec![],
            )
            .await?;
        ensure(selected.contains("InstancesReadOnly"), || format!("the locator selected {selected:?}"))?;
        // A broken second policy lists its own diagnostics.
        page.paste("#policy-editor-2", "{ \"name\": }").await?;
        page.wait_until(
            "the second policy's error is listed under it",
            "return !!document.querySelector('#policy-diagnostics-2 .diagnostic');",
        )
        .await?;
        page.paste("#policy-editor-2", GROUP_POLICY).await?;
        page.wait_until("the group's policy allows the request again", &format!("{EFFECT}'allow';")).await?;
        // Stored work keeps the second policy.
        page.wait_until(
            "the second policy is saved",
            "return (localStorage.getItem('iamlab.workspace.v2') || '').includes('group-readers');",
        )
        .await?;
        page.open("").await?;
        page.select_tab("scaleway").await?;
        page.wait_until(
            "the second policy is back after a reload",
            &format!(
                "const editor = document.querySelector('#policy-editor-2'); return !!editor && editor.value === {};",
                json!(GROUP_POLICY)
            ),
        )
        .await?;
        page.wait_until("the reloaded request is allowed", &format!("{EFFECT}'allow';")).await?;
        page.wait_until(
            "the second policy's name is back after a reload",
            "return document.querySelector('#policy-name-2').value === 'ops readers';",
        )
        .await?;
        // Removing it leaves the request without a grant.
        page.click("#remove-policy-2").await?;
        page.wait_until("the second policy is gone", "return !document.querySelector('#policy-editor-2');").await?;
        page.wait_until("the request is no longer allowed", &format!("{EFFECT}'implicit_deny';")).await?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn the_scaleway_request_builder_form_asks_for_the_scope_its_set_needs() {
    browser_test("the_scaleway_request_builder_form_asks_for_the_scope_its_set_needs", |page| async move {
        page.open("").await?;
        page.select_tab("scaleway").await?;
        let field = |path: &str| format!("#request-form input[data-path={}]", json!(path));
        page.paste("#request-editor", "{}").await?;
        page.paste(&field("permission_set"), "IAMManager").await?;
        // IAMManager is scoped by Organization: the form asks for `organization_id`.
        page.wait_until(
            "the form asks for the organization",
            &format!("return !!document.querySelector({});", json!(field("organization_id"))),
        )
        .await?;
        page.paste(&field("organization_id"), "c6842bac-7938-4c04-9e03-f48147eee1f1").await?;
        page.paste(&field("context.ip"), "198.51.100.4").await?;
        page.wait_until(
            "the request holds the built request",
            "const request = document.querySelector('#request-editor').value;
             return request.includes('\"permission_set\": \"IAMManager\"') && request.includes('\"organization_id\"')
                 && request.includes('198.51.100.4') && !request.includes('user_agent');",
        )
        .await?;
        page.wait_until("the built request is allowed by the example", &format!("{EFFECT}'allow';")).await?;
        page.ensure_no_console_errors().await
    });
}

/// A policy that lets its user write policies, and the same policy after an edit that takes it away.
const ADMIN_POLICY: &str = r#"{
  "name": "admin",
  "organization_id": "c6842bac-7938-4c04-9e03-f48147eee1f1",
  "user_id": "6a0c2ca8-917a-418a-90a3-05949b55a7ae",
  "rules": [
    { "permission_set_names": ["IAMManager"], "organization_id": "c6842bac-7938-4c04-9e03-f48147eee1f1" }
  ]
}"#;

#[test]
fn an_edit_that_takes_away_the_saved_versions_iam_management_is_flagged() {
    browser_test("an_edit_that_takes_away_the_saved_versions_iam_management_is_flagged", |page| async move {
        const LOCKOUT: &str = "return [...document.querySelectorAll('#policy-diagnostics .diagnostic')].some((item) => item.textContent.includes('scaleway::iam-lockout') && !item.textContent.includes('lockout-risk'));";
        page.open("").await?;
        page.select_tab("scaleway").await?;
        page.paste("#policy-editor", ADMIN_POLICY).await?;
        page.wait_until(
            "the policy-writer finding is listed",
            "return document.querySelector('#policy-diagnostics').textContent.includes('scaleway::policy-writer');",
        )
        .await?;
        // Without a saved version, an edit shows no lock-out: one document cannot show it.
        page.paste("#policy-editor", &ADMIN_POLICY.replace("IAMManager", "IAMReadOnly")).await?;
        page.wait_until(
            "the edited policy is analysed",
            "return !document.querySelector('#policy-diagnostics').textContent.includes('scaleway::policy-writer');",
        )
        .await?;
        let shown = page.js(LOCKOUT, vec![]).await?;
        ensure(shown == json!(false), || "a lock-out without a saved version".to_owned())?;
        // Saved with IAMManager, the same edit is a lock-out, underlined in the editor.
        page.paste("#policy-editor", ADMIN_POLICY).await?;
        page.click("#grid-save-version").await?;
        page.paste("#policy-editor", &ADMIN_POLICY.replace("IAMManager", "IAMReadOnly")).await?;
        page.wait_until("the lock-out is listed", LOCKOUT).await?;
        // Restoring the right clears it.
        page.paste("#policy-editor", ADMIN_POLICY).await?;
        page.wait_until("the lock-out is gone", &LOCKOUT.replace("return [", "return ![")).await?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn a_parenthesis_of_a_condition_and_its_partner_are_marked() {
    browser_test("a_parenthesis_of_a_condition_and_its_partner_are_marked", |page| async move {
        page.open("").await?;
        page.select_tab("scaleway").await?;
        let text = r#"{"name": "p", "no_principal": true, "rules": [{"permission_set_names": ["IAMReadOnly"], "organization_id": "o", "condition": "has(resource.id) || resource.name == ')'"}]}"#;
        page.paste("#policy-editor", text).await?;
        // The caret after `has`, before its `(`: ArrowRight from one character before, so that
        // the editor follows the caret as it does for keys.
        let open = text.find("has(").unwrap_or(0) + 3;
        page.js(
            "const editor = document.querySelector('#policy-editor'); editor.focus(); editor.setSelectionRange(arguments[0], arguments[0]);",
            vec![json!(open - 1)],
        )
        .await?;
        page.type_keys("\u{e014}").await?;
        page.wait_until(
            "the condition's parentheses are marked, not the one in its string literal",
            "const marks = Array.from(document.querySelectorAll('.policy-editor .bracket-match'));
             return marks.length === 2 && marks[0].textContent === '(' && marks[1].textContent === ')';",
        )
        .await?;
        let before = page
            .js_string(
                "const layer = document.querySelector('.policy-editor .editor-layer');
                 const close = layer.querySelectorAll('.bracket-match')[1];
                 const range = document.createRange(); range.setStart(layer, 0); range.setEndBefore(close);
                 return range.toString();",
                vec![],
            )
            .await?;
        let close = text.find("id)").unwrap_or(0) + 2;
        ensure(before == text[..close], || format!("the marked `)` follows {before:?}"))?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn moving_the_caret_onto_a_permission_set_shows_its_catalogue_entry() {
    browser_test("moving_the_caret_onto_a_permission_set_shows_its_catalogue_entry", |page| async move {
        page.open("").await?;
        page.select_tab("scaleway").await?;
        let text = ADMIN_POLICY;
        page.paste("#policy-editor", text).await?;
        // The caret onto `IAMManager` with ArrowRight, as a keyboard user moves it.
        let inside = text.find("IAMManager").unwrap_or(0) + 2;
        page.js(
            "const editor = document.querySelector('#policy-editor'); editor.focus(); editor.setSelectionRange(arguments[0], arguments[0]);",
            vec![json!(inside - 1)],
        )
        .await?;
        page.type_keys("\u{e014}").await?;
        page.wait_until(
            "the hover box shows the permission set's catalogue entry and its scope type",
            "const box = document.querySelector('#policy-editor-hover');
             return !!box && !box.hidden && box.textContent.includes('permission set `IAMManager`') && box.textContent.includes('organization');",
        )
        .await?;
        // Escape closes the box.
        page.type_keys("\u{e00c}").await?;
        page.wait_until("Escape closes the box", "return document.querySelector('#policy-editor-hover').hidden;")
            .await?;
        page.ensure_no_console_errors().await
    });
}
