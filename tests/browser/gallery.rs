//! Browser tests of the examples gallery, the colour schemes, keyboard access and the
//! screenshots of `docs/screenshots/` (issue 10).

use super::*;
use iamlab_model::Provider;

/// Set to `1` to write `docs/screenshots/<provider>.png` (the committed files come from here).
const SCREENSHOTS_ENV: &str = "IAMLAB_SCREENSHOTS";

fn tab_key(provider: Provider) -> &'static str {
    match provider {
        Provider::Exoscale => "exoscale",
        Provider::Scaleway => "scaleway",
        Provider::Outscale | Provider::Aws => "outscale",
    }
}

async fn open_gallery(page: &Page) -> TestResult {
    let open = page.js("return document.querySelector('#examples-gallery').open;", vec![]).await?;
    if open != Json::Bool(true) {
        page.click("#examples-gallery summary").await?;
    }
    page.wait_until("the gallery is open", "return document.querySelector('#examples-gallery').open === true;").await
}

/// Loads example `index` of `provider` from the gallery and checks what it brought: the source
/// link, the documents, the profile, and a grid whose every row passes.
async fn load_example(page: &Page, provider: Provider, index: usize) -> TestResult {
    let example =
        iamlab_engine::examples(provider).get(index).ok_or_else(|| format!("{provider} has no example {index}"))?;
    page.select_tab(tab_key(provider)).await?;
    open_gallery(page).await?;
    let button = format!("#example-{}-{index}", provider.as_str());
    let source = page
        .js_string(
            "return document.querySelector(arguments[0]).closest('.example').querySelector('a.example-source').href;",
            vec![json!(button)],
        )
        .await?;
    ensure(source == example.origin, || format!("{button}: source link {source:?}, not {:?}", example.origin))?;
    page.click(&button).await?;
    let cases = example.cases.len();
    page.wait_until(
        &format!("the {cases} test cases of {button} run and pass"),
        &format!(
            "const rows = Array.from(document.querySelectorAll('.grid-row'));
             return rows.length === {cases} && rows.every((row) => row.classList.contains('pass'));"
        ),
    )
    .await?;
    let policies: Vec<&str> =
        example.documents.iter().filter(|(role, _)| role.as_str() == "policy").map(|(_, text)| *text).collect();
    let first = page.editor_value().await?;
    ensure(policies.first() == Some(&first.as_str()), || format!("{button}: the policy editor holds {first:?}"))?;
    if let Some(second) = policies.get(1) {
        let value = page.js_string("return document.querySelector('#policy-editor-2').value;", vec![]).await?;
        ensure(value == *second, || format!("{button}: the second policy editor holds {value:?}"))?;
    }
    let provider_shown = page.js_string("return document.querySelector('.app').dataset.provider;", vec![]).await?;
    ensure(provider_shown == provider.as_str(), || format!("{button}: the page simulates with {provider_shown}"))?;
    let message = page.js_string("return document.querySelector('.notice-message').textContent;", vec![]).await?;
    ensure(message.contains(example.title), || format!("{button}: the notice says {message:?}"))
}

#[test]
fn the_gallery_loads_every_providers_examples_and_restore_brings_the_previous_work_back() {
    browser_test(
        "the_gallery_loads_every_providers_examples_and_restore_brings_the_previous_work_back",
        |page| async move {
            page.open("").await?;
            for provider in Provider::ALL {
                for index in 0..iamlab_engine::examples(provider).len() {
                    load_example(&page, provider, index).await?;
                }
            }
            // Work of one's own, then two examples in a row: restore brings the work back.
            page.select_tab("scaleway").await?;
            let mine = "{ \"name\": \"my own policy\", \"rules\": [] }";
            page.set_editor_value(mine).await?;
            page.click("#grid-add").await?;
            let rows = page.js("return document.querySelectorAll('.grid-row').length;", vec![]).await?;
            load_example(&page, Provider::Scaleway, 1).await?;
            load_example(&page, Provider::Scaleway, 2).await?;
            page.click(".notice-restore").await?;
            page.wait_until(
                "the previous policy and its grid are back",
                &format!(
                    "return document.querySelector('#policy-editor').value === {} && document.querySelectorAll('.grid-row').length === {rows};",
                    json!(mine)
                ),
            )
            .await?;
            // And it survives a reload, like any edit.
            page.open("").await?;
            page.select_tab("scaleway").await?;
            ensure(page.editor_value().await? == mine, || "the restored work did not survive a reload".to_owned())?;
            page.ensure_no_console_errors().await
        },
    );
}

/// The contrast ratio (WCAG 2) of two `#rrggbb` colours, computed in the page from the theme's
/// variables: `[name, ratio]` for each text variable against its background.
const CONTRASTS: &str = r#"
const style = getComputedStyle(document.documentElement);
const luminance = (hex) => {
    const value = style.getPropertyValue(hex).trim();
    const channels = [1, 3, 5].map((at) => parseInt(value.slice(at, at + 2), 16) / 255)
        .map((c) => (c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4)));
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
};
const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
};
const pairs = [['--ink', '--bg'], ['--ink', '--panel'], ['--muted', '--panel'], ['--accent', '--panel'],
    ['--error', '--panel'], ['--allow', '--panel'], ['--ink', '--editor-bg']];
for (const name of ['key', 'string', 'number', 'literal', 'punctuation', 'cel-identifier', 'cel-operator', 'cel-function']) {
    pairs.push(['--syntax-' + name, '--editor-bg']);
}
return pairs.map(([text, background]) => [text + ' on ' + background, ratio(text, background)]);
"#;

async fn theme_state(page: &Page) -> TestResult<(String, String, String)> {
    let state = page
        .js(
            "return [getComputedStyle(document.body).backgroundColor,
                     document.querySelector('#theme-toggle').getAttribute('aria-pressed'),
                     localStorage.getItem('iamlab.theme') || ''];",
            vec![],
        )
        .await?;
    Ok(serde_json::from_value(state)?)
}

async fn ensure_readable(page: &Page, scheme: &str) -> TestResult {
    let contrasts: Vec<(String, f64)> = serde_json::from_value(page.js(CONTRASTS, vec![]).await?)?;
    let poor: Vec<&(String, f64)> = contrasts.iter().filter(|(_, ratio)| ratio.is_nan() || *ratio < 4.5).collect();
    ensure(contrasts.len() == 15 && poor.is_empty(), || {
        format!("{scheme}: contrast below 4.5: {poor:?} of {contrasts:?}")
    })
}

async fn emulate_color_scheme(page: &Page, scheme: &str) -> TestResult {
    page.client
        .issue_cmd(DevToolsCommand {
            method: "Emulation.setEmulatedMedia",
            params: json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
        })
        .await?;
    Ok(())
}

const LIGHT_BACKGROUND: &str = "rgb(246, 247, 249)";
const DARK_BACKGROUND: &str = "rgb(18, 22, 28)";

#[test]
fn dark_mode_follows_prefers_color_scheme_until_the_stored_toggle_chooses() {
    browser_test("dark_mode_follows_prefers_color_scheme_until_the_stored_toggle_chooses", |page| async move {
        emulate_color_scheme(&page, "dark").await?;
        page.open("").await?;
        let state = theme_state(&page).await?;
        ensure(state == (DARK_BACKGROUND.to_owned(), "true".to_owned(), String::new()), || {
            format!("a dark system gives {state:?}")
        })?;
        ensure_readable(&page, "dark (system)").await?;
        emulate_color_scheme(&page, "light").await?;
        page.open("").await?;
        let state = theme_state(&page).await?;
        ensure(state == (LIGHT_BACKGROUND.to_owned(), "false".to_owned(), String::new()), || {
            format!("a light system gives {state:?}")
        })?;
        ensure_readable(&page, "light").await?;
        // The toggle wins over the system, and is remembered.
        page.click("#theme-toggle").await?;
        page.wait_until(
            "the page turns dark",
            &format!("return getComputedStyle(document.body).backgroundColor === '{DARK_BACKGROUND}';"),
        )
        .await?;
        page.open("").await?;
        let state = theme_state(&page).await?;
        ensure(state == (DARK_BACKGROUND.to_owned(), "true".to_owned(), "dark".to_owned()), || {
            format!("after choosing dark and a reload: {state:?}")
        })?;
        ensure_readable(&page, "dark (chosen)").await?;
        emulate_color_scheme(&page, "dark").await?;
        page.click("#theme-toggle").await?;
        page.wait_until(
            "light is chosen over a dark system",
            &format!("return getComputedStyle(document.body).backgroundColor === '{LIGHT_BACKGROUND}';"),
        )
        .await?;
        let state = theme_state(&page).await?;
        ensure(state.1 == "false" && state.2 == "light", || format!("after choosing light: {state:?}"))?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn tabs_lists_and_grid_have_their_roles_and_the_keyboard_reaches_them_with_a_visible_focus() {
    browser_test(
        "tabs_lists_and_grid_have_their_roles_and_the_keyboard_reaches_them_with_a_visible_focus",
        |page| async move {
            page.open("").await?;
            let tabs = page
                .js(
                    "const panel = document.querySelector('[role=tabpanel]');
                     return Array.from(document.querySelectorAll('[role=tablist] [role=tab]')).map((tab) => [
                         tab.id, tab.getAttribute('aria-selected'), tab.tabIndex,
                         tab.getAttribute('aria-controls') === panel.id && panel.getAttribute('aria-labelledby') === document.querySelector('[role=tab][aria-selected=true]').id,
                     ]);",
                    vec![],
                )
                .await?;
            let expected = json!([
                ["tab-exoscale", "true", 0, true],
                ["tab-scaleway", "false", -1, true],
                ["tab-outscale", "false", -1, true]
            ]);
            ensure(tabs == expected, || format!("tabs: {tabs}"))?;
            // Arrow keys, Home and End move the selection and the focus, wrapping around.
            page.js("document.querySelector('#tab-exoscale').focus();", vec![]).await?;
            for (key, tab) in [
                ('\u{E014}', "scaleway"), // ArrowRight
                ('\u{E010}', "outscale"), // End
                ('\u{E014}', "exoscale"), // ArrowRight wraps
                ('\u{E012}', "outscale"), // ArrowLeft wraps
                ('\u{E011}', "exoscale"), // Home
            ] {
                page.type_keys(&key.to_string()).await?;
                page.wait_until(
                    &format!("the {tab} tab is selected and focused"),
                    &format!(
                        "return document.querySelector('.app').dataset.tab === '{tab}' && document.activeElement.id === 'tab-{tab}'
                            && document.activeElement.tabIndex === 0;"
                    ),
                )
                .await?;
            }
            // Tab leaves the tab list for the next control, and its focus is drawn.
            page.type_keys("\u{E004}").await?;
            let focus = page
                .js(
                    "const active = document.activeElement; const style = getComputedStyle(active);
                     return [active.getAttribute('role') !== 'tab', style.outlineStyle, parseFloat(style.outlineWidth) >= 2];",
                    vec![],
                )
                .await?;
            ensure(focus == json!([true, "solid", true]), || format!("the next control's focus: {focus}"))?;
            // The editor shows keyboard focus on its frame.
            page.js("document.querySelector('#policy-editor').focus();", vec![]).await?;
            let frame = page
                .js_string("return getComputedStyle(document.querySelector('#policy-editor').closest('.editor')).outlineStyle;", vec![])
                .await?;
            ensure(frame == "solid", || format!("the focused editor's frame outline is {frame:?}"))?;
            // Lists and the grid.
            page.set_editor_value("{ \"services\": 1 }").await?;
            page.click("#grid-add").await?;
            page.wait_until("a grid row is drawn", "return !!document.querySelector('.grid-row');").await?;
            let roles = page
                .js(
                    "const grid = document.querySelector('#test-grid [role=grid]');
                     return [
                         document.querySelector('#policy-diagnostics ul').getAttribute('role'),
                         document.querySelector('#examples-gallery ul').getAttribute('role'),
                         !!grid && grid.getAttribute('aria-rowcount'),
                         Array.from(grid.querySelectorAll('tr')).every((row) => row.getAttribute('role') === 'row'),
                         grid.querySelectorAll('[role=columnheader]').length > 0,
                         Array.from(grid.querySelectorAll('tbody td')).every((cell) => cell.getAttribute('role') === 'gridcell'),
                     ];",
                    vec![],
                )
                .await?;
            ensure(roles == json!(["list", "list", "2", true, true, true]), || format!("roles: {roles}"))?;
            page.ensure_no_console_errors().await
        },
    );
}

/// Width and height of a PNG, from its IHDR chunk.
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    let signature: &[u8] = b"\x89PNG\r\n\x1a\n";
    if png.get(..8)? != signature || png.get(12..16)? != b"IHDR" {
        return None;
    }
    let number = |at: usize| png.get(at..at + 4).and_then(|bytes| bytes.try_into().ok()).map(u32::from_be_bytes);
    Some((number(16)?, number(20)?))
}

#[test]
fn each_providers_page_is_screenshotted_with_an_example_and_its_grid() {
    browser_test("each_providers_page_is_screenshotted_with_an_example_and_its_grid", |page| async move {
        let write = std::env::var(SCREENSHOTS_ENV).is_ok_and(|value| value == "1");
        page.client.set_window_size(1280, 1500).await?;
        emulate_color_scheme(&page, "light").await?;
        page.open("").await?;
        let folder = workspace_root().join("docs").join("screenshots");
        for (provider, index) in
            [(Provider::Exoscale, 1), (Provider::Scaleway, 1), (Provider::Outscale, 0), (Provider::Aws, 0)]
        {
            load_example(&page, provider, index).await?;
            // The gallery folded, the notice gone and no caret: the page as one reads it.
            page.js(
                "document.querySelector('#examples-gallery').open = false;
                 const dismiss = document.querySelector('.notice-dismiss'); if (dismiss) dismiss.click();
                 document.activeElement.blur(); window.scrollTo(0, 0);",
                vec![],
            )
            .await?;
            page.wait_until("the notice is gone", "return !document.querySelector('.notice');").await?;
            page.wait_until("the decision is shown", "return !!document.querySelector('#decision .decision-effect');")
                .await?;
            let png = page.client.screenshot().await?;
            let size = png_size(&png);
            ensure(size.is_some_and(|(width, height)| width >= 1000 && height >= 800), || {
                format!("the {provider} screenshot is not a page-sized PNG: {size:?}")
            })?;
            if write {
                std::fs::create_dir_all(&folder)?;
                std::fs::write(folder.join(format!("{}.png", provider.as_str())), &png)?;
            }
        }
        page.ensure_no_console_errors().await
    });
}
