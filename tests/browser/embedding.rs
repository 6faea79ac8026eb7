//! Browser tests of issue 11: share links (format 3, old formats, hostile links, version
//! notices), the embed route, the loader on a docs page of another origin, the snippet, the
//! CSP, no egress, and the offline reload.

use super::*;

/// chromedriver's log endpoint: the DevTools events recorded under `goog:loggingPrefs`.
#[derive(Debug)]
struct PerformanceLog;

impl WebDriverCompatibleCommand for PerformanceLog {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/se/log", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "type": "performance" }).to_string()))
    }
}

/// Base64url of UTF-8 `text`, computed by the page (the loader does the same).
async fn base64url_in_page(page: &Page, text: &str) -> TestResult<String> {
    page.js_string(
        "const bytes = new TextEncoder().encode(arguments[0]); let binary = '';
         for (const byte of bytes) binary += String.fromCharCode(byte);
         return btoa(binary).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');",
        vec![json!(text)],
    )
    .await
}

pub(super) async fn notice_text(page: &Page, selector: &str) -> TestResult<String> {
    page.wait_until("a notice is shown", &format!("return !!document.querySelector('{selector}');")).await?;
    page.js_string(&format!("return document.querySelector('{selector}').textContent;"), vec![]).await
}

/// An Outscale policy of exactly 5,120 characters, statements of a realistic mix of actions.
pub(super) fn outscale_policy_of_5120_characters() -> String {
    let actions = [
        "api:ReadVms",
        "api:CreateVms",
        "api:DeleteVms",
        "api:ReadVolumes",
        "api:CreateVolume",
        "api:LinkVolume",
        "api:ReadSnapshots",
        "api:CreateSnapshot",
        "api:ReadNets",
        "api:CreateNet",
        "api:ReadSecurityGroups",
        "api:CreateSecurityGroupRule",
        "api:ReadLoadBalancers",
        "api:ReadKeypairs",
        "ec2:DescribeInstances",
        "ec2:TerminateInstances",
    ];
    let mut statements = Vec::new();
    let mut index = 0;
    loop {
        let effect = if index % 3 == 2 { "Deny" } else { "Allow" };
        let statement = format!(
            "    {{\n      \"Sid\": \"Statement{index}\",\n      \"Effect\": \"{effect}\",\n      \"Action\": [\"{}\", \"{}\"],\n      \"Resource\": [\"*\"]\n    }}",
            actions[index % actions.len()],
            actions[(index * 7 + 3) % actions.len()]
        );
        let candidate = format!("{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n{}\n  ]\n}}\n", {
            let mut all = statements.clone();
            all.push(statement.clone());
            all.join(",\n")
        });
        if candidate.len() > 5120 {
            break;
        }
        statements.push(statement);
        index += 1;
    }
    let policy =
        format!("{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n{}\n  ]\n}}\n", statements.join(",\n"));
    // Pad with spaces before the final newline to land on 5,120 exactly.
    let padding = 5120 - policy.len();
    format!("{}{}\n", policy.trim_end(), " ".repeat(padding))
}

pub(super) async fn share_link(page: &Page) -> TestResult<String> {
    page.js("const old = document.querySelector('#share-link'); if (old) old.remove();", vec![]).await?;
    page.click("#share-button").await?;
    page.wait_until("the share link is shown", "return !!document.querySelector('#share-link');").await?;
    page.js_string("return document.querySelector('#share-link').value;", vec![]).await
}

#[test]
fn share_links_round_trip_for_every_provider_with_the_grid_and_stay_short() {
    browser_test("share_links_round_trip_for_every_provider_with_the_grid_and_stay_short", |page| async move {
        page.open("").await?;
        // The figures: each provider's default example, as the page first shows it.
        for (tab, profile) in
            [("exoscale", None), ("scaleway", None), ("outscale", None), ("outscale", Some("#profile-aws"))]
        {
            page.select_tab(tab).await?;
            if let Some(profile) = profile {
                page.click(profile).await?;
            }
            let link = share_link(&page).await?;
            let provider = page.js_string("return document.querySelector('.app').dataset.provider;", vec![]).await?;
            println!(
                "share link of the default {provider} example: {} characters of fragment ({} with the page URL {})",
                link.len() - page.base.len(),
                link.len(),
                page.base
            );
        }
        page.click("#profile-outscale").await?;
        for tab in ["exoscale", "scaleway", "outscale"] {
            page.select_tab(tab).await?;
            page.click("#grid-add").await?;
            page.wait_until("a grid row is added", "return !!document.querySelector('.grid-row[data-index=\"0\"]');")
                .await?;
            let policy = page.editor_value().await?;
            let link = share_link(&page).await?;
            ensure(link.starts_with(&format!("{}#s4=", page.base)), || format!("share link {link:?}"))?;
            println!(
                "share link of the default {tab} example with a one-row grid: {} characters of fragment",
                link.len() - page.base.len()
            );
            // Change the tab's text and drop its grid, then open the link.
            page.set_editor_value("{}").await?;
            page.js("localStorage.clear();", vec![]).await?;
            page.open(&link[page.base.len()..]).await?;
            page.wait_until(
                "the shared policy is back",
                &format!("return document.querySelector('#policy-editor').value === {};", json!(policy)),
            )
            .await?;
            page.wait_until(
                "the shared grid row is back",
                "return document.querySelectorAll('.grid-row').length === 1;",
            )
            .await?;
        }
        // A 5,120-character Outscale policy.
        let large = outscale_policy_of_5120_characters();
        ensure(large.chars().count() == 5120, || format!("the policy has {} characters", large.chars().count()))?;
        page.select_tab("outscale").await?;
        page.set_editor_value(&large).await?;
        let link = share_link(&page).await?;
        let length = link.len() - page.base.len();
        println!(
            "share link of a 5,120-character Outscale policy: {length} characters of fragment ({} with the page URL)",
            link.len()
        );
        ensure(length <= 2500, || format!("the link is {length} characters, over the goal of 2,500"))?;
        page.set_editor_value("{}").await?;
        page.open(&link[page.base.len()..]).await?;
        page.wait_until(
            "the large policy is back",
            &format!("return document.querySelector('#policy-editor').value === {};", json!(large)),
        )
        .await?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn old_broken_oversized_and_newer_links_give_messages_and_keep_the_stored_text() {
    browser_test("old_broken_oversized_and_newer_links_give_messages_and_keep_the_stored_text", |page| async move {
        page.open("").await?;
        // A link of the first playground opens.
        page.open("#share=eyJwcm92aWRlciI6ImF3cyIsInBvbGljeSI6IntcIlN0YXRlbWVudFwiOiBbXX0iLCJyZXF1ZXN0Ijoie30ifQ")
            .await?;
        page.wait_until(
            "the old link's policy is shown",
            "return document.querySelector('.app').dataset.provider === 'aws' && document.querySelector('#policy-editor').value === '{\"Statement\": []}';",
        )
        .await?;
        page.select_tab("exoscale").await?;
        let mine = "{ \"default-service-strategy\": \"allow\", \"services\": {}, \"description\": \"mine\" }";
        page.set_editor_value(mine).await?;
        page.wait_until(
            "the edit is saved",
            "return (localStorage.getItem('iamlab.workspace.v2') || '').includes('mine');",
        )
        .await?;
        // 3 MB of zeros deflate to about 3 KB: the link must stop inflating at 2 MB.
        // WebDriver awaits a returned promise.
        let bomb = page
            .js_string(
                "return (async () => {
                     const stream = new Blob([new Uint8Array(3 * 1024 * 1024)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
                     const bytes = new Uint8Array(await new Response(stream).arrayBuffer()); let binary = '';
                     for (const byte of bytes) binary += String.fromCharCode(byte);
                     return btoa(binary).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
                 })();",
                vec![],
            )
            .await?;
        println!("a link inflating to 3 MB: {} characters", bomb.len());
        let shared = link_of_outscale(&page).await?;
        let wrong_types =
            base64url_in_page(&page, r#"{"v":4,"provider":"aws","documents":[{"role":"policy","text":7}]}"#).await?;
        // Cut at a multiple of 4 characters of base64url, so that what is left still decodes and
        // the damage is found by inflating (half of any length could leave a lone character).
        let payload = shared.trim_start_matches("#s4=");
        let truncated = &payload[..payload.len() / 2 / 4 * 4];
        for (fragment, expected) in [
            (format!("#s4={bomb}"), "more than 2 MB"),
            // The compressed links of format 3 are read the same way.
            (format!("#s3={bomb}"), "more than 2 MB"),
            ("#s3=this*is%not-base64".to_owned(), "not valid base64url"),
            (format!("#s4={truncated}"), "damaged"),
            ("#s9=abc".to_owned(), "format 9"),
            (format!("#share={wrong_types}"), "invalid type"),
        ] {
            page.open(&fragment).await?;
            let notice = notice_text(&page, ".notice-error").await?;
            ensure(notice.contains(expected) && notice.contains("your own text is unchanged"), || {
                format!("{fragment:.40}: notice {notice:?}")
            })?;
            ensure(page.editor_value().await? == mine, || format!("{fragment:.40} replaced the stored text"))?;
        }
        page.ensure_no_console_errors().await
    });
}

/// The fragment of a `#s4=` link of the Outscale tab, made by the page.
async fn link_of_outscale(page: &Page) -> TestResult<String> {
    page.select_tab("outscale").await?;
    let link = share_link(page).await?;
    page.select_tab("exoscale").await?;
    Ok(link[page.base.len()..].to_owned())
}

#[test]
fn a_link_made_with_another_engine_says_so_and_lists_the_decisions_that_differ() {
    browser_test("a_link_made_with_another_engine_says_so_and_lists_the_decisions_that_differ", |page| async move {
        page.open("").await?;
        let link = json!({
            "v": 3, "engine": "0.0.1", "provider": "outscale",
            "documents": {
                "policy": "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"api:ReadVms\", \"Resource\": \"*\"}]}",
                "request": "{\"action\": \"api:ReadVms\", \"resource\": \"*\", \"context\": {}}",
            },
            "decision": "explicit_deny",
            "tests": [{ "name": "deletes", "request": { "action": "api:DeleteVms", "resource": "*", "context": {} }, "expect": "deny", "decision": "implicit_deny" }],
        });
        let payload = base64url_in_page(&page, &link.to_string()).await?;
        page.open(&format!("#share={payload}")).await?;
        let notice = notice_text(&page, ".notice-info").await?;
        ensure(
            notice.contains("made with engine 0.0.1")
                && notice.contains("request: explicit_deny then, allow now")
                && !notice.contains("deletes:"),
            || format!("notice {notice:?}"),
        )?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn an_embed_honours_its_parameters_and_readonly_refuses_edits() {
    browser_test("an_embed_honours_its_parameters_and_readonly_refuses_edits", |page| async move {
        page.open("?embed&provider=aws&readonly&theme=dark&height=200").await?;
        let facts = page
            .js(
                "const app = document.querySelector('.app.embed'); const editor = document.querySelector('#policy-editor');
                 return [!!app && app.dataset.provider, document.documentElement.dataset.theme, editor.readOnly,
                         getComputedStyle(document.querySelector('.embed-policy-editor')).height,
                         !!document.querySelector('.tabs'), document.querySelector('#request-editor').readOnly];",
                vec![],
            )
            .await?;
        ensure(facts == json!(["aws", "dark", true, "200px", false, true]), || format!("embed facts {facts}"))?;
        let before = page.editor_value().await?;
        page.js("document.querySelector('#policy-editor').focus();", vec![]).await?;
        page.type_keys("xyz").await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        ensure(page.editor_value().await? == before, || "a read-only embed took an edit".to_owned())?;
        page.wait_until(
            "the full-playground link carries the state",
            "return document.querySelector('#open-playground').getAttribute('href').startsWith('./#s4=');",
        )
        .await?;
        // The link opens the full playground with the embed's state.
        let href = page.js_string("return document.querySelector('#open-playground').href;", vec![]).await?;
        ensure(href.starts_with(&format!("{}#s4=", page.base)), || format!("open link {href}"))?;
        page.open(&href[page.base.len()..]).await?;
        page.wait_until(
            "the playground shows the embedded policy",
            &format!(
                "return !!document.querySelector('.tabs') && document.querySelector('.app').dataset.provider === 'aws' && document.querySelector('#policy-editor').value === {};",
                json!(before)
            ),
        )
        .await?;
        // An editable embed with its documents in the fragment, as the loader writes it.
        let link = json!({ "v": 3, "provider": "scaleway", "documents": { "policy": "{\"rules\": []}" } });
        let payload = base64url_in_page(&page, &link.to_string()).await?;
        page.open(&format!("?embed&provider=scaleway#share={payload}")).await?;
        page.wait_until(
            "the embed shows the link's policy",
            "return document.querySelector('#policy-editor').value === '{\"rules\": []}' && !document.querySelector('#policy-editor').readOnly;",
        )
        .await?;
        page.set_editor_value("{,}").await?;
        page.wait_until(
            "the embed validates edits",
            "return !!document.querySelector('#policy-diagnostics .diagnostic');",
        )
        .await?;
        // The embed never writes the playground's autosave.
        let saved = page.js("return localStorage.getItem('iamlab.workspace.v2') || '';", vec![]).await?;
        ensure(!saved.as_str().unwrap_or_default().contains("{,}"), || "the embed wrote the autosave".to_owned())?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn the_embed_snippet_button_gives_an_iframe_of_the_current_state() {
    browser_test("the_embed_snippet_button_gives_an_iframe_of_the_current_state", |page| async move {
        // The page may write to the clipboard and the test may read it back, as a user would
        // paste it.
        page.client
            .issue_cmd(DevToolsCommand {
                method: "Browser.grantPermissions",
                params: json!({
                    "origin": format!("http://{}", page.server),
                    "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"],
                }),
            })
            .await?;
        page.open("").await?;
        page.js("return navigator.clipboard.writeText('before the click');", vec![]).await?;
        page.click("#embed-button").await?;
        page.wait_until("the snippet is shown", "return !!document.querySelector('#embed-snippet');").await?;
        let snippet = page.js_string("return document.querySelector('#embed-snippet').value;", vec![]).await?;
        page.wait_until(
            "the snippet is on the clipboard",
            "return navigator.clipboard.readText().then((text) => text === document.querySelector('#embed-snippet').value);",
        )
        .await?;
        let prefix = format!("<iframe src=\"{}?embed&amp;provider=exoscale#s4=", page.base);
        ensure(snippet.starts_with(&prefix), || format!("snippet {snippet}"))?;
        let src = snippet.split('"').nth(1).unwrap_or_default().replace("&amp;", "&");
        let policy = page.editor_value().await?;
        page.open(&src[page.base.len()..]).await?;
        page.wait_until(
            "the snippet's embed shows the policy",
            &format!(
                "return !!document.querySelector('.app.embed') && document.querySelector('#policy-editor').value === {};",
                json!(policy)
            ),
        )
        .await?;
        page.ensure_no_console_errors().await
    });
}

/// Serves dist/demo/docs.html from a second origin, its loader and CSP pointing at the first.
fn docs_site(page: &Page) -> TestResult<(StaticServer, PathBuf)> {
    let environment = environment();
    let docs = std::fs::read_to_string(environment.dist.join("demo").join("docs.html"))?;
    let origin = format!("http://{}", page.server);
    let docs = docs
        .replace("src=\"../iamlab-embed.js\"", &format!("src=\"{}iamlab-embed.js\"", page.base))
        .replace("script-src 'self'", &format!("script-src 'self' {origin}"))
        .replace("frame-src 'self'", &format!("frame-src 'self' {origin}"));
    let root = std::env::temp_dir().join(format!("iamlab-docs-{}-{}", std::process::id(), page.server.port()));
    std::fs::create_dir_all(&root)?;
    std::fs::write(root.join("docs.html"), docs)?;
    Ok((StaticServer::start(&root), root))
}

#[test]
fn the_loader_embeds_every_block_of_a_docs_page_on_another_origin_and_resizes_them() {
    browser_test(
        "the_loader_embeds_every_block_of_a_docs_page_on_another_origin_and_resizes_them",
        |page| async move {
            let (docs, root) = docs_site(&page)?;
            page.client.goto(&docs.url(&format!("{SUB_PATH}docs.html"))).await?;
            page.wait_until(
                "four frames are made",
                "return document.querySelectorAll('iframe.iamlab-frame').length === 4;",
            )
            .await?;
            let sources = page
                .js(
                    "return Array.from(document.querySelectorAll('iframe.iamlab-frame')).map((frame) => frame.src);",
                    vec![],
                )
                .await?;
            let sources: Vec<String> = serde_json::from_value(sources)?;
            for (source, provider) in sources.iter().zip(["exoscale", "scaleway", "outscale", "aws"]) {
                ensure(source.starts_with(&format!("{}?embed&provider={provider}&origin=", page.base)), || {
                    format!("frame {source}")
                })?;
            }
            ensure(sources[1].contains("&readonly"), || {
                format!("the Scaleway block is not read-only: {}", sources[1])
            })?;
            let hidden = page
            .js(
                "return Array.from(document.querySelectorAll('pre[data-iamlab], pre[data-iamlab-request]')).every((pre) => pre.hidden);",
                vec![],
            )
            .await?;
            ensure(hidden == json!(true), || "the source blocks are still shown".to_owned())?;
            // Every frame posts its height; the loader accepts it from the playground's origin only.
            page.wait_until(
                "every frame is resized to its content",
                // The frames load lazily, as a reader scrolls to them.
                "const frames = Array.from(document.querySelectorAll('iframe.iamlab-frame'));
             const waiting = frames.find((frame) => frame.style.height === '420px');
             if (waiting) waiting.scrollIntoView();
             return !waiting;",
            )
            .await?;
            // A message from the docs page itself (another origin) is ignored.
            page.js(
                "const frame = document.querySelector('iframe.iamlab-frame'); window.__before = frame.style.height;
             window.postMessage({ type: 'iamlab:height', height: 3000 }, '*');",
                vec![],
            )
            .await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
            let unchanged = page
                .js("return document.querySelector('iframe.iamlab-frame').style.height === window.__before;", vec![])
                .await?;
            ensure(unchanged == json!(true), || "a message of another origin resized a frame".to_owned())?;
            // Content that grows without a render (an editor made taller) resizes the frame:
            // the embed watches its size with a ResizeObserver.
            let before: f64 = page
                .js("return parseFloat(document.querySelectorAll('iframe.iamlab-frame')[2].style.height);", vec![])
                .await?
                .as_f64()
                .unwrap_or_default();
            page.client.enter_frame(2).await?;
            page.js("document.querySelector('.embed-policy-editor').style.height = '900px';", vec![]).await?;
            page.client.enter_parent_frame().await?;
            page.wait_until(
                "the frame follows its content",
                &format!(
                    "return parseFloat(document.querySelectorAll('iframe.iamlab-frame')[2].style.height) > {};",
                    before + 300.0
                ),
            )
            .await?;
            // Inside the frames: the right provider and content.
            for (index, provider, needle) in
                [(1u16, "scaleway", "policy-prod1"), (2, "outscale", "NoVmDeletion"), (3, "aws", "arn:aws:s3:::docs/*")]
            {
                page.client.enter_frame(index).await?;
                page.wait_until(
                &format!("frame {index} shows its policy"),
                &format!(
                    "const editor = document.querySelector('#policy-editor');
                     return !!editor && document.querySelector('.app.embed').dataset.provider === '{provider}' && editor.value.includes({});",
                    json!(needle)
                ),
            )
            .await?;
                if provider == "outscale" {
                    // The block's `data-tests` row, run in the embed.
                    let row = page
                        .js(
                            "return Array.from(document.querySelectorAll('.grid-row')).map((row) => [row.querySelector('.grid-name').value, row.querySelector('.grid-got').textContent]);",
                            vec![],
                        )
                        .await?;
                    ensure(row == json!([["reads VMs", "allow"]]), || format!("the embed's grid: {row}"))?;
                }
                if provider == "aws" {
                    let theme = page.js("return document.documentElement.dataset.theme || '';", vec![]).await?;
                    ensure(theme == json!("dark"), || format!("the custom element's theme: {theme}"))?;
                }
                if provider == "scaleway" {
                    let request =
                        page.js_string("return document.querySelector('#request-editor').value;", vec![]).await?;
                    ensure(request.contains("203.0.113.7"), || {
                        format!("the following request block was not used: {request}")
                    })?;
                }
                page.ensure_no_console_errors().await?;
                page.client.enter_parent_frame().await?;
            }
            page.ensure_no_console_errors().await?;
            // The loader is small: gzip (the browser's, at its default level) under 3 KB,
            // measured on the playground's own origin (the docs page's CSP allows no fetch).
            page.open("").await?;
            // The loader is small: gzip (the browser's, at its default level) under 3 KB.
            let gzip = page
                .js(
                    "return (async () => {
                         const response = await fetch('iamlab-embed.js');
                         const raw = await response.arrayBuffer();
                         const stream = new Blob([raw]).stream().pipeThrough(new CompressionStream('gzip'));
                         return [raw.byteLength, (await new Response(stream).arrayBuffer()).byteLength];
                     })();",
                    vec![],
                )
                .await?;
            println!("iamlab-embed.js: {} bytes, {} bytes gzip", gzip[0], gzip[1]);
            ensure(gzip[1].as_u64().is_some_and(|bytes| bytes <= 3072), || format!("the loader is {gzip} bytes"))?;
            drop(docs);
            let _ = std::fs::remove_dir_all(root);
            Ok(())
        },
    );
}

#[test]
fn the_pages_run_under_their_content_security_policy() {
    browser_test("the_pages_run_under_their_content_security_policy", |page| async move {
        for suffix in ["", "?embed&provider=outscale"] {
            page.open(suffix).await?;
            let facts = page
                .js(
                    "const csp = document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]');
                     return [!!csp && csp.content, document.querySelectorAll('script:not([src])').length];",
                    vec![],
                )
                .await?;
            let csp = facts[0].as_str().unwrap_or_default();
            ensure(
                csp.contains("script-src 'self' 'wasm-unsafe-eval'")
                    && csp.contains("connect-src 'self'")
                    && !csp.contains(" 'unsafe-eval'")
                    && !csp.contains("unsafe-inline"),
                || format!("CSP {csp:?}"),
            )?;
            ensure(facts[1] == json!(0), || format!("{} inline scripts", facts[1]))?;
            if suffix.is_empty() {
                // A share link deflates under the CSP too, and opens.
                let link = share_link(&page).await?;
                page.open(&link[page.base.len()..]).await?;
                notice_text(&page, ".notice-info").await?;
            }
            // The hook collects `securitypolicyviolation` events with the console errors.
            page.ensure_no_console_errors().await?;
        }
        Ok(())
    });
}

#[test]
fn no_request_leaves_the_site_or_carries_policy_text() {
    browser_test("no_request_leaves_the_site_or_carries_policy_text", |page| async move {
        let marker = "egress-marker-7731";
        page.open("").await?;
        page.select_tab("outscale").await?;
        let policy = format!(
            "{{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Sid\": \"{marker}\", \"Effect\": \"Allow\", \"Action\": \"api:ReadVms\", \"Resource\": \"*\"}}]}}"
        );
        page.set_editor_value(&policy).await?;
        page.wait_until("the decision is drawn", "return !!document.querySelector('#decision .decision-effect');")
            .await?;
        let link = share_link(&page).await?;
        page.open(&link[page.base.len()..]).await?;
        page.click("#embed-button").await?;
        page.wait_until("the snippet is shown", "return !!document.querySelector('#embed-snippet');").await?;
        let snippet = page.js_string("return document.querySelector('#embed-snippet').value;", vec![]).await?;
        let src = snippet.split('"').nth(1).unwrap_or_default().replace("&amp;", "&");
        page.open(&src[page.base.len()..]).await?;
        page.wait_until(
            "the embed shows the policy",
            &format!("return document.querySelector('#policy-editor').value.includes('{marker}');"),
        )
        .await?;
        let (docs, root) = docs_site(&page)?;
        page.client.goto(&docs.url(&format!("{SUB_PATH}docs.html"))).await?;
        page.wait_until(
            "four frames are made",
            "return document.querySelectorAll('iframe.iamlab-frame').length === 4;",
        )
        .await?;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let log = page.client.issue_cmd(PerformanceLog).await?;
        let entries = log.as_array().cloned().unwrap_or_default();
        let own = [format!("http://{}/", page.server), format!("http://{}/", docs.address)];
        let mut requests = 0;
        for entry in entries {
            let Some(message) = entry.get("message").and_then(Json::as_str) else { continue };
            let message: Json = serde_json::from_str(message)?;
            if message["message"]["method"] != "Network.requestWillBeSent" {
                continue;
            }
            let request = &message["message"]["params"]["request"];
            let url = request["url"].as_str().unwrap_or_default();
            let body = request["postData"].as_str().unwrap_or_default();
            // Chromium's own new-tab page at session start: internal, never on the network.
            if url.starts_with("chrome://") {
                continue;
            }
            requests += 1;
            let local = own.iter().any(|origin| url.starts_with(origin.as_str()))
                || url.starts_with("data:")
                || url.starts_with("blob:")
                || url.starts_with("about:");
            ensure(local, || format!("a request left the site: {url}"))?;
            ensure(!url.contains(marker) && !body.contains(marker) && !url.contains("#"), || {
                format!("a request carries the policy: {url} {body}")
            })?;
            ensure(request["method"] == "GET", || format!("a {} request to {url}", request["method"]))?;
        }
        println!("no egress: {requests} requests recorded, all to the site's own origins, none carrying the policy");
        ensure(requests >= 10, || format!("only {requests} requests recorded: is the network log on?"))?;
        drop(docs);
        let _ = std::fs::remove_dir_all(root);
        Ok(())
    });
}

#[test]
fn after_one_visit_the_playground_and_the_embed_load_offline() {
    browser_test("after_one_visit_the_playground_and_the_embed_load_offline", |page| async move {
        page.open("").await?;
        page.wait_until(
            "the service worker controls the page and has cached the site",
            "return (async () => {
                 if (!navigator.serviceWorker.controller) return false;
                 for (const key of await caches.keys()) {
                     const requests = await (await caches.open(key)).keys();
                     if (requests.some((request) => request.url.endsWith('.wasm'))) return true;
                 }
                 return false;
             })();",
        )
        .await?;
        page.offline.store(true, Ordering::SeqCst);
        page.client
            .issue_cmd(DevToolsCommand {
                method: "Network.emulateNetworkConditions",
                params: json!({ "offline": true, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }),
            })
            .await?;
        ensure(http_status(page.server, SUB_PATH).is_err(), || "the server still answers".to_owned())?;
        page.client.refresh().await?;
        page.client.wait().at_most(WAIT).for_element(Locator::Css("#policy-editor")).await?;
        page.select_tab("outscale").await?;
        page.set_editor_value("{\"Statement\": [{\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}]}")
            .await?;
        page.wait_until(
            "offline, the decision follows the edit",
            "const effect = document.querySelector('#decision .decision-effect'); return !!effect && effect.dataset.effect === 'explicit_deny';",
        )
        .await?;
        page.client.goto(&format!("{}?embed&provider=scaleway", page.base)).await?;
        page.client.wait().at_most(WAIT).for_element(Locator::Css(".app.embed #policy-editor")).await?;
        let errors = page.console_errors().await?;
        ensure(errors.iter().all(|error| !error.contains("CSP")), || format!("errors offline: {errors:#?}"))?;
        Ok(())
    });
}

/// Copies `from` into `to`, directories and all.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

#[test]
fn a_new_version_of_the_site_is_announced_and_taken_on_the_next_load() {
    browser_test("a_new_version_of_the_site_is_announced_and_taken_on_the_next_load", |page| async move {
        // A copy of dist/ on its own server, so that the test can publish a new version.
        let root = std::env::temp_dir().join(format!("iamlab-update-{}-{}", std::process::id(), page.server.port()));
        let _ = std::fs::remove_dir_all(&root);
        copy_tree(&environment().dist, &root)?;
        let site = StaticServer::start(&root);
        let base = site.url(SUB_PATH);
        page.client.goto(&base).await?;
        page.wait_until(
            "the service worker controls the page",
            "return !!navigator.serviceWorker.controller && !!document.querySelector('#policy-editor');",
        )
        .await?;
        // The visit after: the page starts under the worker.
        page.client.refresh().await?;
        page.client.wait().at_most(WAIT).for_element(Locator::Css("#policy-editor")).await?;
        let caches_before = page.js("return caches.keys();", vec![]).await?;
        ensure(
            !page.js("return !!document.getElementById('update-notice');", vec![]).await?.as_bool().unwrap_or(true),
            || "the notice is shown before any new version".to_owned(),
        )?;
        // Publish: a worker whose build differs by one byte, as `cargo xtask build` writes it.
        let worker = std::fs::read_to_string(root.join("sw.js"))?;
        let Some(start) = worker.find("const BUILD = '") else { return fail("sw.js has no BUILD line") };
        let rest = &worker[start + "const BUILD = '".len()..];
        let Some(end) = rest.find('\'') else { return fail("sw.js's BUILD line is not closed") };
        let old_build = &rest[..end];
        let new_build = format!("{old_build}-next");
        std::fs::write(
            root.join("sw.js"),
            worker.replacen(&format!("const BUILD = '{old_build}'"), &format!("const BUILD = '{new_build}'"), 1),
        )?;
        // The browser looks for a new worker on navigation and on `update()`.
        page.js("navigator.serviceWorker.getRegistration().then((registration) => registration.update());", vec![])
            .await?;
        page.wait_until(
            "the page says a new version is ready",
            "const notice = document.getElementById('update-notice');
             return !!notice && notice.textContent.includes('new version') && !!notice.querySelector('button');",
        )
        .await?;
        // The page keeps working with the code it loaded.
        page.set_editor_value("{\"default-service-strategy\": \"deny\", \"services\": {}}").await?;
        page.click("#update-notice button").await?;
        tokio::time::sleep(Duration::from_millis(800)).await;
        page.client.wait().at_most(WAIT).for_element(Locator::Css("#policy-editor")).await?;
        page.wait_until(
            "the reloaded page runs under the new worker's cache",
            &format!(
                "return !!document.querySelector('#policy-editor') && !document.getElementById('update-notice')
                     && caches.keys().then((keys) => keys.includes('iamlab-{new_build}') && !keys.includes('iamlab-{old_build}'));"
            ),
        )
        .await?;
        println!("update notice: caches {caches_before} before, iamlab-{new_build} after");
        page.ensure_no_console_errors().await?;
        drop(site);
        let _ = std::fs::remove_dir_all(root);
        Ok(())
    });
}
