//! Browser tests of the editor (issue 10, "Editor"): the engine's highlighting of JSON and of
//! CEL inside Exoscale expressions and Scaleway conditions, bracket matching, hover on a
//! diagnostic and on a catalogue name (pointer and keyboard), and Format undone by Ctrl-Z.

use super::*;
use fantoccini::actions::{MouseActions, PointerAction};
use iamlab_engine::authoring::format::format_document;
use iamlab_engine::DocumentRole;
use iamlab_model::Provider;

/// An Exoscale role with a number, a literal and a rule expression.
const EXOSCALE_ROLE: &str = r#"{
  "name": "reader",
  "editable": true,
  "max-session-ttl": 3600,
  "policy": {
    "default-service-strategy": "deny",
    "services": {
      "compute": {
        "type": "rules",
        "rules": [
          { "action": "allow", "expression": "operation == 'get-instance' && parameters.has('id')" }
        ]
      }
    }
  }
}"#;

const SCALEWAY_POLICY: &str = r#"{
  "name": "office-only",
  "organization_id": "c6842bac-7938-4c04-9e03-f48147eee1f1",
  "user_id": "b0b8f2a4-5d1a-4a9e-9d3c-0f1e2d3c4b5a",
  "rules": [
    { "permission_set_names": ["InstancesReadOnly"], "project_ids": ["p-1"], "condition": "request.ip.inIpRange('192.0.2.0/24') || false" }
  ]
}"#;

/// `[class, text]` of every highlighted piece in the layer of `editor` (a CSS selector).
const PIECES: &str = "return Array.from(document.querySelectorAll(arguments[0] + ' .editor-layer span[class]'))
    .flatMap((span) => Array.from(span.classList).filter((name) => name.startsWith('hl-')).map((name) => [name, span.textContent]));";

async fn pieces(page: &Page, editor: &str) -> TestResult<Vec<(String, String)>> {
    Ok(serde_json::from_value(page.js(PIECES, vec![json!(editor)]).await?)?)
}

fn ensure_piece(pieces: &[(String, String)], class: &str, text: &str) -> TestResult {
    ensure(pieces.iter().any(|(found, piece)| found == class && piece == text), || {
        format!("no `{class}` piece {text:?} among {pieces:?}")
    })
}

/// Puts the caret at UTF-16 offset `offset` of the policy editor with the keyboard's focus:
/// one character off, then one arrow key onto it, as a user would.
async fn caret_to(page: &Page, offset: usize) -> TestResult {
    let (from, key) = if offset == 0 { (1, '\u{e012}') } else { (offset - 1, '\u{e014}') };
    page.js(
        "const editor = document.querySelector('#policy-editor'); editor.focus(); editor.setSelectionRange(arguments[0], arguments[0]);",
        vec![json!(from)],
    )
    .await?;
    // ArrowLeft or ArrowRight (WebDriver key codes).
    page.type_keys(&key.to_string()).await
}

/// Moves the mouse over character `offset` of the policy editor's text (ASCII, one line per
/// `\n`), from the editor's line height and character width.
async fn point_at(page: &Page, text: &str, offset: usize) -> TestResult {
    let (line, col) = line_col(text, offset);
    let position = page
        .js(
            "const editor = document.querySelector('#policy-editor');
             editor.scrollIntoView({ block: 'center' });
             const box = editor.getBoundingClientRect();
             return [Math.round(box.left + 12 + (arguments[1] - 1) * 7.8 + 3), Math.round(box.top + 8 + (arguments[0] - 1) * 20 + 10)];",
            vec![json!(line), json!(col)],
        )
        .await?;
    let (x, y): (f64, f64) = serde_json::from_value(position)?;
    let mouse = MouseActions::new("mouse".to_owned())
        .then(PointerAction::MoveTo { duration: None, x: x - 40.0, y })
        .then(PointerAction::MoveTo { duration: None, x, y });
    page.client.perform_actions(mouse).await?;
    Ok(())
}

/// The policy editor's hover box text, as a JavaScript expression (empty without a box).
const HOVER_TEXT: &str = "(document.querySelector('.policy-editor .editor-hover') || { textContent: '' }).textContent";

#[test]
fn json_and_cel_are_highlighted_by_the_engine() {
    browser_test("json_and_cel_are_highlighted_by_the_engine", |page| async move {
        page.open("").await?;
        page.select_tab("exoscale").await?;
        page.set_editor_value(EXOSCALE_ROLE).await?;
        page.wait_until(
            "the role is highlighted",
            "return !!document.querySelector('.policy-editor.highlighted .editor-layer .hl-cel-func');",
        )
        .await?;
        let found = pieces(&page, ".policy-editor").await?;
        ensure_piece(&found, "hl-key", "\"max-session-ttl\"")?;
        ensure_piece(&found, "hl-string", "\"reader\"")?;
        ensure_piece(&found, "hl-number", "3600")?;
        ensure_piece(&found, "hl-literal", "true")?;
        ensure_piece(&found, "hl-punct", "{")?;
        // Inside the expression string: CEL's own tokens.
        ensure_piece(&found, "hl-cel-ident", "operation")?;
        ensure_piece(&found, "hl-cel-op", "==")?;
        ensure_piece(&found, "hl-cel-op", "&&")?;
        ensure_piece(&found, "hl-cel-string", "'get-instance'")?;
        ensure_piece(&found, "hl-cel-func", "has")?;
        ensure_piece(&found, "hl-cel-string", "'id'")?;
        // The layer draws the text itself: the same characters as the textarea.
        let layer = page
            .js_string("return document.querySelector('.policy-editor .editor-layer').textContent;", vec![])
            .await?;
        ensure(layer == format!("{EXOSCALE_ROLE}\n"), || format!("the layer's text differs: {layer:?}"))?;

        page.select_tab("scaleway").await?;
        page.set_editor_value(SCALEWAY_POLICY).await?;
        page.wait_until(
            "the condition is highlighted",
            "return !!document.querySelector('.policy-editor .editor-layer .hl-cel-func');",
        )
        .await?;
        let found = pieces(&page, ".policy-editor").await?;
        ensure_piece(&found, "hl-key", "\"condition\"")?;
        ensure_piece(&found, "hl-cel-ident", "request")?;
        ensure_piece(&found, "hl-cel-punct", ".")?;
        ensure_piece(&found, "hl-cel-func", "inIpRange")?;
        ensure_piece(&found, "hl-cel-string", "'192.0.2.0/24'")?;
        ensure_piece(&found, "hl-cel-op", "||")?;
        ensure_piece(&found, "hl-cel-literal", "false")?;
        // Other strings stay JSON strings.
        ensure_piece(&found, "hl-string", "\"InstancesReadOnly\"")?;

        // Underlines compose with colours: a typo'd key is both a key and underlined.
        page.select_tab("outscale").await?;
        page.set_editor_value("{\"Version\": \"2012-10-17\", \"Statment\": []}").await?;
        page.wait_until(
            "the unknown key is underlined and coloured",
            "return Array.from(document.querySelectorAll('.policy-editor .editor-layer .squiggle'))
                 .some((span) => span.classList.contains('hl-key') && span.textContent.includes('Statment'));",
        )
        .await?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn the_bracket_at_the_caret_and_its_partner_are_marked() {
    browser_test("the_bracket_at_the_caret_and_its_partner_are_marked", |page| async move {
        page.open("").await?;
        page.select_tab("outscale").await?;
        let text = "{\"Statement\": [{\"Effect\": \"Allow\"}]}";
        page.set_editor_value(text).await?;
        // Before the `[`: it and its `]` are marked.
        let open = text.find('[').unwrap_or(0);
        caret_to(&page, open).await?;
        page.wait_until(
            "the pair of brackets is marked",
            "const marks = Array.from(document.querySelectorAll('.policy-editor .bracket-match'));
             return marks.length === 2 && marks[0].textContent === '[' && marks[1].textContent === ']';",
        )
        .await?;
        // Moving on and off the statement (a diagnostic's start: its box comes and goes) keeps
        // the editor's focus and caret.
        page.type_keys("\u{e014}\u{e012}").await?;
        let kept = page
            .js(
                "const editor = document.querySelector('#policy-editor');
                 return [document.activeElement === editor, editor.selectionStart];",
                vec![],
            )
            .await?;
        ensure(kept == json!([true, open]), || format!("after two arrow keys: {kept}"))?;
        // The marked `]` is the one that closes this `[`: what precedes it in the layer.
        let before = page
            .js_string(
                "const layer = document.querySelector('.policy-editor .editor-layer');
                 const close = layer.querySelectorAll('.bracket-match')[1];
                 const range = document.createRange(); range.setStart(layer, 0); range.setEndBefore(close);
                 return range.toString();",
                vec![],
            )
            .await?;
        ensure(before == text[..text.rfind(']').unwrap_or(0)], || format!("the marked `]` follows {before:?}"))?;
        // After the last `}`: the whole object.
        caret_to(&page, text.len()).await?;
        page.wait_until(
            "the outer braces are marked",
            "const marks = Array.from(document.querySelectorAll('.policy-editor .bracket-match'));
             return marks.length === 2 && marks[0].textContent === '{' && marks[1].textContent === '}';",
        )
        .await?;
        // An unbalanced bracket is marked as such, and nothing breaks.
        let broken = "{\"a\": [1, 2}";
        page.set_editor_value(broken).await?;
        caret_to(&page, broken.find('[').unwrap_or(0)).await?;
        page.wait_until(
            "the unmatched bracket is marked",
            "const marks = document.querySelectorAll('.policy-editor .bracket-unmatched');
             return marks.length === 1 && marks[0].textContent === '[';",
        )
        .await?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn hovering_shows_a_diagnostic_and_a_catalogue_entry() {
    browser_test("hovering_shows_a_diagnostic_and_a_catalogue_entry", |page| async move {
        page.open("").await?;
        page.select_tab("outscale").await?;
        let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"allow\", \"Action\": \"api:ReadVms\", \"Resource\": \"*\"}\n  ]\n}";
        page.set_editor_value(text).await?;
        page.wait_until(
            "the wrong case is underlined",
            "return !!document.querySelector('.policy-editor .squiggle.error');",
        )
        .await?;
        // The diagnostic on the wrong case: the one whose fix writes `Allow`.
        let code = page
            .js_string(
                "const item = Array.from(document.querySelectorAll('#policy-diagnostics .diagnostic'))
                     .find((item) => item.textContent.includes('Allow'));
                 return item ? item.querySelector('.diag-code').textContent : '';",
                vec![],
            )
            .await?;
        ensure(!code.is_empty(), || "no diagnostic offers `Allow`".to_owned())?;
        // The pointer on the underlined value shows the diagnostic's code, message and help.
        let on_value = text.find("\"allow\"").unwrap_or(0) + 2;
        point_at(&page, text, on_value).await?;
        page.wait_until("a hover box is shown", &format!("return {HOVER_TEXT}.length > 0;")).await?;
        let shown = page.js_string(&format!("return {HOVER_TEXT};"), vec![]).await?;
        ensure(shown.contains(&code) && shown.contains("help") && shown.contains("Allow"), || {
            format!("the hover box says {shown:?}, the diagnostic is {code}")
        })?;
        // The pointer on an action shows its catalogue entry.
        point_at(&page, text, text.find("ReadVms").unwrap_or(0) + 2).await?;
        page.wait_until(
            "the action's entry is shown",
            &format!("const text = {HOVER_TEXT}; return text.includes('api:ReadVms') && text.includes('documented') && text.includes('outscale-actions');"),
        )
        .await?;
        // Keyboard: the caret on the underline shows the diagnostic, described by the box.
        page.js("const editor = document.querySelector('#policy-editor'); editor.blur();", vec![]).await?;
        let mouse =
            MouseActions::new("mouse".to_owned()).then(PointerAction::MoveTo { duration: None, x: 2.0, y: 2.0 });
        page.client.perform_actions(mouse).await?;
        page.wait_until("the pointer's box is gone", &format!("return {HOVER_TEXT}.length === 0;")).await?;
        caret_to(&page, on_value).await?;
        page.wait_until(
            "the caret's box names the diagnostic",
            &format!(
                "const editor = document.querySelector('#policy-editor');
                 const hover = document.getElementById(editor.getAttribute('aria-describedby') || 'none');
                 return !!hover && hover.getAttribute('role') === 'tooltip' && hover.textContent.includes({});",
                json!(code)
            ),
        )
        .await?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn format_applies_undoably_and_ctrl_z_restores_the_text() {
    browser_test("format_applies_undoably_and_ctrl_z_restores_the_text", |page| async move {
        page.open("").await?;
        page.select_tab("exoscale").await?;
        let messy = r#"{"services": {"compute": {"rules": [{"expression": "operation == 'get-instance'", "action": "allow"}], "type": "rules"}}, "default-service-strategy": "deny"}"#;
        let formatted = format_document(Provider::Exoscale, DocumentRole::Policy, messy)
            .map_err(|errors| format!("the engine does not format the fixture: {errors:?}"))?;
        page.set_editor_value(messy).await?;
        page.click("#policy-editor-format").await?;
        page.wait_until(
            "the policy is formatted",
            &format!("return document.querySelector('#policy-editor').value === {};", json!(formatted)),
        )
        .await?;
        // The request editor has its own button; the policy's did not touch it.
        page.wait_until(
            "the request editor has a Format button",
            "return !!document.querySelector('#request-editor-format');",
        )
        .await?;
        // Ctrl-Z with the keyboard restores the exact text.
        page.js("document.querySelector('#policy-editor').focus();", vec![]).await?;
        let undo = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: '\u{e009}' })
            .then(KeyAction::Down { value: 'z' })
            .then(KeyAction::Up { value: 'z' })
            .then(KeyAction::Up { value: '\u{e009}' });
        page.client.perform_actions(undo).await?;
        page.wait_until(
            "Ctrl-Z restores the text",
            &format!("return document.querySelector('#policy-editor').value === {};", json!(messy)),
        )
        .await?;
        // Formatting formatted text changes nothing and says so; broken JSON is left alone.
        page.set_editor_value(&formatted).await?;
        page.click("#policy-editor-format").await?;
        page.wait_until(
            "it says the text is formatted",
            "return document.querySelector('.editor-frame:has(#policy-editor) .editor-status').textContent === 'already formatted';",
        )
        .await?;
        page.set_editor_value("{\"services\": ").await?;
        page.click("#policy-editor-format").await?;
        page.wait_until(
            "broken JSON is not rewritten",
            "return document.querySelector('#policy-editor').value === '{\"services\": '
                 && document.querySelector('.editor-frame:has(#policy-editor) .editor-status').textContent.includes('JSON errors');",
        )
        .await?;
        page.ensure_no_console_errors().await
    });
}

/// The layer draws as many lines as the textarea holds however the text ends: it is drawn in
/// blocks of lines, and a block's end must neither add a line nor drop an empty last one.
#[test]
fn the_layer_has_the_texts_lines_across_its_blocks() {
    browser_test("the_layer_has_the_texts_lines_across_its_blocks", |page| async move {
        page.open("").await?;
        page.select_tab("outscale").await?;
        // Line counts around the blocks' ends (4 lines each), all taller than the editor.
        for breaks in [47, 48, 49, 64, 100] {
            for last in ["", "]"] {
                let text = format!("[{}{last}", "\n".repeat(breaks));
                page.set_editor_value(&text).await?;
                page.wait_until(
                    "the layer holds the text (the markers of empty spans aside)",
                    &format!(
                        "const layer = document.querySelector('.policy-editor .editor-layer').cloneNode(true);
                         layer.querySelectorAll('.marker').forEach((marker) => marker.remove());
                         return layer.textContent === {};",
                        json!(format!("{text}\n"))
                    ),
                )
                .await?;
                let height = page
                    .js(
                        "const layer = document.querySelector('.policy-editor .editor-layer');
                         return [layer.getBoundingClientRect().height, document.querySelector('#policy-editor').scrollHeight];",
                        vec![],
                    )
                    .await?;
                // Padding of 8 px above and below, 20 px per line.
                let expected = 16 + 20 * (breaks + 1);
                ensure(height == json!([expected, expected]), || {
                    format!("{breaks} line breaks then {last:?}: [layer, textarea] heights {height}, not {expected}")
                })?;
            }
        }
        page.ensure_no_console_errors().await
    });
}
