//! The test grid from the keyboard: Alt with the arrow keys moves between its cells' controls.

use super::*;

/// The focused control: its class and the index of its row.
const FOCUSED: &str = "const element = document.activeElement; const row = element.closest('.grid-row');
     return [element.className, row ? row.dataset.index : null];";

/// Presses `arrow` with Alt held.
async fn alt_arrow(page: &Page, arrow: char) -> TestResult {
    let keys = KeyActions::new("keyboard".to_owned())
        .then(KeyAction::Down { value: ALT })
        .then(KeyAction::Down { value: arrow })
        .then(KeyAction::Up { value: arrow })
        .then(KeyAction::Up { value: ALT });
    page.client.perform_actions(keys).await?;
    Ok(())
}

// WebDriver key codes.
const ALT: char = '\u{e00a}';
const LEFT: char = '\u{e012}';
const UP: char = '\u{e013}';
const RIGHT: char = '\u{e014}';
const DOWN: char = '\u{e015}';

#[test]
fn alt_and_the_arrow_keys_move_between_the_grids_cells() {
    browser_test("alt_and_the_arrow_keys_move_between_the_grids_cells", |page| async move {
        page.open("").await?;
        page.select_tab("outscale").await?;
        page.click("#grid-add").await?;
        page.click("#grid-add").await?;
        page.wait_until("two rows", "return document.querySelectorAll('.grid-row').length === 2;").await?;
        page.js("document.querySelector('.grid-row[data-index=\"0\"] .grid-name').focus();", vec![]).await?;
        let expectations = [
            (RIGHT, json!(["grid-request", "0"])),
            (RIGHT, json!(["grid-expect", "0"])),
            // The decision and status cells hold no control: the next control is the Open button.
            (RIGHT, json!(["grid-open", "0"])),
            (DOWN, json!(["grid-open", "1"])),
            (LEFT, json!(["grid-expect", "1"])),
            (UP, json!(["grid-expect", "0"])),
            // Above the first row is the header, which holds no control: the focus stays.
            (UP, json!(["grid-expect", "0"])),
        ];
        for (step, (arrow, expected)) in expectations.into_iter().enumerate() {
            alt_arrow(&page, arrow).await?;
            let focused = page.js(FOCUSED, vec![]).await?;
            ensure(focused == expected, || format!("step {step}: focus on {focused}, expected {expected}"))?;
        }
        // The arrows alone stay with the field: ArrowRight moves the caret in the name, not the focus.
        page.js("document.querySelector('.grid-row[data-index=\"1\"] .grid-name').focus();", vec![]).await?;
        page.type_keys(&RIGHT.to_string()).await?;
        let focused = page.js(FOCUSED, vec![]).await?;
        ensure(focused == json!(["grid-name", "1"]), || format!("a plain arrow moved the focus to {focused}"))?;
        page.ensure_no_console_errors().await
    });
}
