//! Real-browser tests of the playground: the built `dist/` is served under the sub-path
//! `/iamlab/` by a small std-only HTTP server, and driven in headless Chromium through
//! chromedriver with fantoccini.
//!
//! Needs (all checked up front; a missing one fails the test with a message, never a skip):
//! `IAMLAB_DIST` (default `<root>/dist`, made by `cargo xtask build` or `trunk build --release`),
//! `CHROMEDRIVER` (default `/usr/bin/chromedriver`) and `CHROMIUM` (default `/usr/bin/chromium`).
//! `cargo xtask test` provides all three. On failure a screenshot is saved to
//! `target/browser-screenshots/<test>.png`.

use crate::support::workspace_root;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value as Json};
use std::error::Error;
use std::future::Future;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

type TestResult<T = ()> = Result<T, Box<dyn Error>>;

const SUB_PATH: &str = "/iamlab/";
const WAIT: Duration = Duration::from_secs(20);
const TEST_TIMEOUT: Duration = Duration::from_secs(120);

fn fail<T>(message: impl Into<String>) -> TestResult<T> {
    Err(message.into().into())
}

fn ensure(condition: bool, message: impl FnOnce() -> String) -> TestResult {
    if condition {
        Ok(())
    } else {
        fail(message())
    }
}

// ---------------------------------------------------------------------------------------------
// The environment: what the tests need, checked before anything starts.

struct Environment {
    dist: PathBuf,
    chromedriver: PathBuf,
    chromium: PathBuf,
}

fn environment() -> Environment {
    let path = |variable: &str, default: PathBuf| std::env::var_os(variable).map(PathBuf::from).unwrap_or(default);
    let environment = Environment {
        dist: path("IAMLAB_DIST", workspace_root().join("dist")),
        chromedriver: path("CHROMEDRIVER", PathBuf::from("/usr/bin/chromedriver")),
        chromium: path("CHROMIUM", PathBuf::from("/usr/bin/chromium")),
    };
    let mut missing = Vec::new();
    if !environment.dist.join("index.html").is_file() {
        missing.push(format!(
            "the built site: no {} (run `cargo xtask build` or `trunk build --release`, or `cargo xtask test`; IAMLAB_DIST overrides the directory)",
            environment.dist.join("index.html").display()
        ));
    }
    if !environment.chromedriver.is_file() {
        missing.push(format!(
            "chromedriver: no {} (Debian package `chromium-driver`; CHROMEDRIVER overrides the path)",
            environment.chromedriver.display()
        ));
    }
    if !environment.chromium.is_file() {
        missing.push(format!(
            "Chromium: no {} (Debian package `chromium`; CHROMIUM overrides the path)",
            environment.chromium.display()
        ));
    }
    assert!(missing.is_empty(), "the browser tests cannot run; missing:\n  - {}", missing.join("\n  - "));
    environment
}

// ---------------------------------------------------------------------------------------------
// A static file server for dist/, under SUB_PATH only, so that any absolute asset URL
// (`/iamlab-web-….js`) would fail to load and the tests would see it.

struct StaticServer {
    address: SocketAddr,
    stop: Arc<AtomicBool>,
    /// While set, every connection is closed unanswered, as if the network were down.
    offline: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    fn start(root: &Path) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding a local port for the static server");
        let address = listener.local_addr().expect("the static server's address");
        let stop = Arc::new(AtomicBool::new(false));
        let offline = Arc::new(AtomicBool::new(false));
        let root = root.to_path_buf();
        let thread = {
            let stop = Arc::clone(&stop);
            let offline = Arc::clone(&offline);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    if offline.load(Ordering::SeqCst) {
                        continue;
                    }
                    let root = root.clone();
                    std::thread::spawn(move || {
                        let _ = serve_one(stream, &root);
                    });
                }
            })
        };
        StaticServer { address, stop, offline, thread: Some(thread) }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.address);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|extension| extension.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

fn serve_one(stream: TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let path = target.split(['?', '#']).next().unwrap_or("");
    let mut stream = stream;
    if method != "GET" && method != "HEAD" {
        return respond(&mut stream, "405 Method Not Allowed", "text/plain", b"method not allowed", method == "HEAD");
    }
    if path == SUB_PATH.trim_end_matches('/') {
        let head = format!(
            "HTTP/1.1 301 Moved Permanently\r\nLocation: {SUB_PATH}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        return stream.write_all(head.as_bytes());
    }
    let Some(relative) = path.strip_prefix(SUB_PATH) else {
        return respond(&mut stream, "404 Not Found", "text/plain", b"not found: the site lives under /iamlab/", false);
    };
    let relative = if relative.is_empty() { "index.html" } else { relative };
    let relative = Path::new(relative);
    if relative.components().any(|component| !matches!(component, Component::Normal(_))) {
        return respond(&mut stream, "404 Not Found", "text/plain", b"not found", false);
    }
    let file = root.join(relative);
    match std::fs::read(&file) {
        Ok(body) => respond(&mut stream, "200 OK", content_type(&file), &body, method == "HEAD"),
        Err(_) => respond(&mut stream, "404 Not Found", "text/plain", b"not found", false),
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// A plain GET from the test itself (not the browser): the status line's code.
fn http_status(address: SocketAddr, path: &str) -> TestResult<u16> {
    let mut stream = TcpStream::connect(address)?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n")?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let code = response.split_whitespace().nth(1).and_then(|code| code.parse().ok());
    code.ok_or_else(|| format!("no HTTP status in {response:?}").into())
}

// ---------------------------------------------------------------------------------------------
// chromedriver, on a free port, killed when dropped.

struct Chromedriver {
    child: Child,
    port: u16,
}

impl Chromedriver {
    fn start(binary: &Path) -> Chromedriver {
        let port =
            TcpListener::bind("127.0.0.1:0").and_then(|listener| listener.local_addr()).expect("a free port").port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("starting {}: {error}", binary.display()));
        let mut driver = Chromedriver { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!("chromedriver exited at start-up with {status}");
            }
            assert!(Instant::now() < deadline, "chromedriver did not listen on port {port} within 20 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// chromedriver's `goog/cdp/execute`: runs a Chrome DevTools Protocol command.
#[derive(Debug)]
struct DevToolsCommand {
    method: &'static str,
    params: Json,
}

impl WebDriverCompatibleCommand for DevToolsCommand {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "cmd": self.method, "params": self.params }).to_string()))
    }
}

/// Runs before any script of every page: collects `console.error` calls, uncaught exceptions
/// (a wasm trap is one) and unhandled promise rejections into `window.__iamlabErrors`.
const ERROR_HOOK: &str = r#"
window.__iamlabErrors = [];
(function () {
    const original = console.error;
    console.error = function (...args) {
        window.__iamlabErrors.push(args.map(String).join(' '));
        return original.apply(this, args);
    };
    window.addEventListener('error', (event) => window.__iamlabErrors.push('uncaught: ' + event.message));
    window.addEventListener('unhandledrejection', (event) => window.__iamlabErrors.push('unhandled rejection: ' + String(event.reason)));
    document.addEventListener('securitypolicyviolation', (event) => window.__iamlabErrors.push('CSP violation: ' + event.violatedDirective + ' blocked ' + event.blockedURI));
})();
"#;

// ---------------------------------------------------------------------------------------------
// The harness: one fresh browser per test.

/// The browser, on a page of the playground.
#[derive(Clone)]
struct Page {
    client: Client,
    /// `http://127.0.0.1:PORT/iamlab/`
    base: String,
    server: SocketAddr,
    /// Takes the site's server off the network (see [`StaticServer::offline`]).
    offline: Arc<AtomicBool>,
}

fn browser_test<F, Fut>(name: &str, test: F)
where
    F: FnOnce(Page) -> Fut,
    Fut: Future<Output = TestResult>,
{
    browser_test_serving(name, None, test);
}

/// [`browser_test`] serving `dist` instead of the built site (a copy with a file left out).
fn browser_test_serving<F, Fut>(name: &str, dist: Option<&Path>, test: F)
where
    F: FnOnce(Page) -> Fut,
    Fut: Future<Output = TestResult>,
{
    let environment = environment();
    let server = StaticServer::start(dist.unwrap_or(&environment.dist));
    let driver = Chromedriver::start(&environment.chromedriver);
    let profile = std::env::temp_dir().join(format!("iamlab-browser-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    std::fs::create_dir_all(&profile).expect("creating the browser profile directory");
    let screenshot = workspace_root().join("target").join("browser-screenshots").join(format!("{name}.png"));
    let _ = std::fs::remove_file(&screenshot);

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let outcome: TestResult = runtime.block_on(async {
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": environment.chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--window-size=1280,900", format!("--user-data-dir={}", profile.display()),
                ],
            },
            // The DevTools network events, read by the no-egress test.
            "goog:loggingPrefs": { "performance": "ALL" },
        });
        let serde_json::Value::Object(capabilities) = capabilities else { unreachable!() };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .map_err(|error| format!("starting a Chromium session through chromedriver: {error}"))?;
        let page = Page {
            client: client.clone(),
            base: server.url(SUB_PATH),
            server: server.address,
            offline: Arc::clone(&server.offline),
        };
        let result = async {
            client
                .issue_cmd(DevToolsCommand {
                    method: "Page.addScriptToEvaluateOnNewDocument",
                    params: json!({ "source": ERROR_HOOK }),
                })
                .await?;
            match tokio::time::timeout(TEST_TIMEOUT, test(page)).await {
                Ok(result) => result,
                Err(_) => fail(format!("the test did not finish within {TEST_TIMEOUT:?}")),
            }
        }
        .await;
        if result.is_err() {
            if let Ok(png) = client.screenshot().await {
                let _ = std::fs::create_dir_all(screenshot.parent().unwrap_or(Path::new(".")));
                let _ = std::fs::write(&screenshot, png);
            }
        }
        let _ = client.close().await;
        result
    });
    drop(driver);
    drop(server);
    let _ = std::fs::remove_dir_all(&profile);
    if let Err(error) = outcome {
        let shot =
            if screenshot.is_file() { format!(" (screenshot: {})", screenshot.display()) } else { String::new() };
        panic!("browser test `{name}` failed: {error}{shot}");
    }
}

impl Page {
    /// Opens `suffix` (e.g. `""` or `"#share=…"`) below the site's URL and waits for the app.
    async fn open(&self, suffix: &str) -> TestResult {
        // Leave the page first: a URL differing only in its fragment would not reload it.
        self.client.goto("about:blank").await?;
        self.client.goto(&format!("{}{suffix}", self.base)).await?;
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#policy-editor"))
            .await
            .map_err(|error| format!("the playground did not render at {}{suffix}: {error}", self.base))?;
        let hooked = self.js("return Array.isArray(window.__iamlabErrors);", vec![]).await?;
        ensure(hooked == Json::Bool(true), || "the console-error hook is not installed".to_owned())
    }

    async fn js(&self, script: &str, args: Vec<Json>) -> TestResult<Json> {
        Ok(self.client.execute(script, args).await?)
    }

    async fn js_string(&self, script: &str, args: Vec<Json>) -> TestResult<String> {
        match self.js(script, args).await? {
            Json::String(text) => Ok(text),
            other => fail(format!("`{script}` returned {other}, not a string")),
        }
    }

    /// Waits until `script` returns `true`.
    async fn wait_until(&self, what: &str, script: &str) -> TestResult {
        let deadline = Instant::now() + WAIT;
        loop {
            if self.js(script, vec![]).await? == Json::Bool(true) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return fail(format!("timed out waiting until {what}"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn editor_value(&self) -> TestResult<String> {
        self.js_string("return document.querySelector('#policy-editor').value;", vec![]).await
    }

    /// Replaces the policy editor's text as a paste would (an `input` event).
    async fn set_editor_value(&self, text: &str) -> TestResult {
        self.paste("#policy-editor", text).await
    }

    /// Replaces the text of the textarea `selector` as a paste would (an `input` event).
    async fn paste(&self, selector: &str, text: &str) -> TestResult {
        self.js(
            "const editor = document.querySelector(arguments[0]);
             editor.value = arguments[1];
             editor.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));",
            vec![json!(selector), json!(text)],
        )
        .await?;
        Ok(())
    }

    async fn click(&self, selector: &str) -> TestResult {
        self.client.find(Locator::Css(selector)).await?.click().await?;
        Ok(())
    }

    /// Types `text` with the keyboard into the focused element, at its caret.
    async fn type_keys(&self, text: &str) -> TestResult {
        let mut keys = KeyActions::new("keyboard".to_owned());
        for ch in text.chars() {
            keys = keys.then(KeyAction::Down { value: ch }).then(KeyAction::Up { value: ch });
        }
        self.client.perform_actions(keys).await?;
        Ok(())
    }

    /// `(code, "line:col")` of each listed diagnostic of the policy.
    async fn diagnostics(&self) -> TestResult<Vec<(String, String)>> {
        let listed = self
            .js(
                "return Array.from(document.querySelectorAll('#policy-diagnostics .diagnostic')).map((item) => [
                    item.querySelector('.diag-code').textContent,
                    (item.querySelector('.diag-pos') || { textContent: '' }).textContent,
                ]);",
                vec![],
            )
            .await?;
        Ok(serde_json::from_value(listed)?)
    }

    async fn console_errors(&self) -> TestResult<Vec<String>> {
        Ok(serde_json::from_value(self.js("return window.__iamlabErrors || [];", vec![]).await?)?)
    }

    async fn ensure_no_console_errors(&self) -> TestResult {
        let errors = self.console_errors().await?;
        ensure(errors.is_empty(), || format!("console errors: {errors:#?}"))
    }

    async fn select_tab(&self, key: &str) -> TestResult {
        self.click(&format!("#tab-{key}")).await?;
        self.wait_until(
            &format!("the {key} tab is active"),
            &format!("return document.querySelector('.app').dataset.tab === '{key}';"),
        )
        .await
    }
}

/// One-based line and column (in characters) of byte `offset` of `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

/// Puts the caret before the first `"Effect"` of the Outscale example and types `@` there.
/// Returns the offset of the `@` (the example is ASCII: bytes = UTF-16 units) and the text.
async fn type_invalid_character(page: &Page) -> TestResult<(usize, String)> {
    page.select_tab("outscale").await?;
    let original = page.editor_value().await?;
    let Some(offset) = original.find("\"Effect\"") else {
        return fail(format!("the Outscale example has no \"Effect\": {original}"));
    };
    page.js(
        "const editor = document.querySelector('#policy-editor'); editor.focus(); editor.setSelectionRange(arguments[0], arguments[0]);",
        vec![json!(offset)],
    )
    .await?;
    page.type_keys("@").await?;
    let expected = format!("{}@{}", &original[..offset], &original[offset..]);
    page.wait_until(
        "the typed character reaches the editor",
        "return document.querySelector('#policy-editor').value.includes('@');",
    )
    .await?;
    let value = page.editor_value().await?;
    ensure(value == expected, || format!("typing `@` at {offset} gave {value:?}"))?;
    page.wait_until(
        "a JSON diagnostic is listed",
        "return !!document.querySelector('#policy-diagnostics .diagnostic');",
    )
    .await?;
    Ok((offset, value))
}

/// Types one space at the end of the policy editor and returns the milliseconds from its
/// `input` event to the next frame drawn: a figure for the report, not an assertion (timings
/// vary by machine).
async fn time_one_keystroke(page: &Page) -> TestResult<f64> {
    page.js(
        "const editor = document.querySelector('#policy-editor');
         editor.focus();
         editor.setSelectionRange(editor.value.length, editor.value.length);
         window.__keystroke = null;
         editor.addEventListener('input', () => {
             const started = performance.now();
             requestAnimationFrame(() => setTimeout(() => { window.__keystroke = performance.now() - started; }, 0));
         }, { once: true, capture: true });",
        vec![],
    )
    .await?;
    page.type_keys(" ").await?;
    page.wait_until("the keystroke is drawn", "return window.__keystroke !== null;").await?;
    page.js("return window.__keystroke;", vec![]).await?.as_f64().ok_or_else(|| "no keystroke time".into())
}

// ---------------------------------------------------------------------------------------------
// The tests.

#[test]
fn page_loads_under_the_sub_path_without_console_errors() {
    browser_test("page_loads_under_the_sub_path_without_console_errors", |page| async move {
        page.open("").await?;
        let title = page.client.title().await?;
        ensure(title.contains("iamlab"), || format!("title {title:?}"))?;
        let tabs = page
            .js(
                "return Array.from(document.querySelectorAll('[role=tab]')).map((tab) => tab.textContent.trim());",
                vec![],
            )
            .await?;
        ensure(tabs == json!(["Exoscale", "Scaleway", "Outscale"]), || format!("tabs {tabs}"))?;
        let policy = page.editor_value().await?;
        ensure(policy.contains("default-service-strategy"), || {
            format!("the Exoscale example is not shown: {policy:?}")
        })?;
        // Every asset came from below the sub-path, and the wasm module among them.
        let resources = page
            .js("return performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname);", vec![])
            .await?;
        let resources: Vec<String> = serde_json::from_value(resources)?;
        ensure(resources.iter().any(|path| path.ends_with(".wasm")), || format!("no wasm among {resources:?}"))?;
        ensure(resources.iter().all(|path| path.starts_with(SUB_PATH)), || {
            format!("assets loaded from outside {SUB_PATH}: {resources:?}")
        })?;
        // The server serves nothing at the root, so the page cannot have worked from there.
        let root = http_status(page.server, "/")?;
        ensure(root == 404, || format!("GET / answered {root}"))?;
        // The decision pane says something real: a decision, errors, or that the engine is coming.
        page.wait_until(
            "the decision pane shows the engine's answer",
            "return !!document.querySelector('#decision .simulation-pending, #decision .decision-effect, #decision .simulation-invalid');",
        )
        .await?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn switching_provider_changes_the_editor_content() {
    browser_test("switching_provider_changes_the_editor_content", |page| async move {
        page.open("").await?;
        let exoscale = page.editor_value().await?;
        page.select_tab("scaleway").await?;
        let scaleway = page.editor_value().await?;
        ensure(scaleway.contains("permission_set_names") && scaleway != exoscale, || {
            format!("Scaleway tab shows {scaleway:?}")
        })?;
        page.select_tab("outscale").await?;
        let outscale = page.editor_value().await?;
        ensure(outscale.contains("\"Statement\"") && outscale != scaleway, || {
            format!("Outscale tab shows {outscale:?}")
        })?;
        let selected = page
            .js_string("return document.querySelector('#tab-outscale').getAttribute('aria-selected');", vec![])
            .await?;
        ensure(selected == "true", || format!("aria-selected of the Outscale tab is {selected}"))?;
        // The AWS profile is a language of the Outscale tab: same text, another engine profile.
        page.click("#profile-aws").await?;
        page.wait_until(
            "the AWS profile is active",
            "return document.querySelector('.app').dataset.provider === 'aws';",
        )
        .await?;
        ensure(page.editor_value().await? == outscale, || "the AWS profile changed the text".to_owned())?;
        page.select_tab("exoscale").await?;
        ensure(page.editor_value().await? == exoscale, || "the Exoscale text changed on the way back".to_owned())?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn typing_an_invalid_character_reports_its_line_and_column() {
    browser_test("typing_an_invalid_character_reports_its_line_and_column", |page| async move {
        page.open("").await?;
        let (offset, value) = type_invalid_character(&page).await?;
        let (line, col) = line_col(&value, offset);
        let diagnostics = page.diagnostics().await?;
        let json_errors: Vec<_> = diagnostics.iter().filter(|(code, _)| code.starts_with("json::")).collect();
        ensure(json_errors.first().map(|(_, position)| position.clone()) == Some(format!("{line}:{col}")), || {
            format!("expected a json:: diagnostic at {line}:{col}, listed: {diagnostics:?}")
        })?;
        // The span is underlined in the layer under the textarea.
        let underlined = page.js_string(
            "const squiggle = document.querySelector('.policy-editor .squiggle.error'); return squiggle ? squiggle.textContent : '';",
            vec![],
        )
        .await?;
        ensure(underlined.starts_with('@'), || format!("underlined text {underlined:?}"))?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn clicking_a_diagnostic_moves_the_caret_to_its_span() {
    browser_test("clicking_a_diagnostic_moves_the_caret_to_its_span", |page| async move {
        page.open("").await?;
        let (offset, _) = type_invalid_character(&page).await?;
        // Move the caret away and leave the editor, so the click has something to do.
        page.js(
            "const editor = document.querySelector('#policy-editor'); editor.setSelectionRange(0, 0); editor.blur();",
            vec![],
        )
        .await?;
        page.click("#policy-diagnostics button.diagnostic").await?;
        page.wait_until("the editor has the focus", "return document.activeElement.id === 'policy-editor';").await?;
        let start = page.js("return document.querySelector('#policy-editor').selectionStart;", vec![]).await?;
        ensure(start == json!(offset), || format!("selectionStart is {start}, the `@` is at {offset}"))?;

        // Columns and carets count UTF-16 units in the browser: "😀" is two of them, one character.
        page.set_editor_value("{\"a\": \"😀\", @}").await?;
        page.wait_until(
            "the diagnostic of the pasted text",
            "return Array.from(document.querySelectorAll('#policy-diagnostics .diag-pos')).some((pos) => pos.textContent === '1:12');",
        )
        .await?;
        page.click("#policy-diagnostics button.diagnostic").await?;
        page.wait_until(
            "the caret is before the `@`",
            "return document.querySelector('#policy-editor').selectionStart === 12;",
        )
        .await?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn the_decision_pane_shows_the_engines_answer_and_points_at_the_deciding_statement() {
    browser_test(
        "the_decision_pane_shows_the_engines_answer_and_points_at_the_deciding_statement",
        |page| async move {
            page.open("").await?;
            page.select_tab("outscale").await?;
            // The Outscale example allows `api:Read*` (Sid ReadOnly) and denies VM deletion (Sid
            // NoVmDeletion); its request asks for `api:ReadVms`.
            page.wait_until(
            "the example request is allowed",
            "const effect = document.querySelector('#decision .decision-effect'); return !!effect && effect.dataset.effect === 'allow';",
        )
        .await?;
            let decisive =
                page.js_string("return document.querySelector('#decision .decisive').textContent;", vec![]).await?;
            ensure(decisive.contains("ReadOnly"), || format!("decided by {decisive:?}"))?;
            page.paste("#request-editor", "{ \"action\": \"api:DeleteVms\", \"resource\": \"*\", \"context\": {} }")
                .await?;
            page.wait_until(
            "the deletion is denied explicitly",
            "const effect = document.querySelector('#decision .decision-effect'); return !!effect && effect.dataset.effect === 'explicit_deny';",
        )
        .await?;
            let decisive =
                page.js_string("return document.querySelector('#decision .decisive').textContent;", vec![]).await?;
            ensure(decisive.contains("NoVmDeletion"), || format!("decided by {decisive:?}"))?;
            // The deciding statement's locator selects it in the policy editor.
            page.click("#decision .decisive button.locator").await?;
            page.wait_until("the policy editor has the focus", "return document.activeElement.id === 'policy-editor';")
                .await?;
            let selected = page
            .js_string(
                "const editor = document.querySelector('#policy-editor'); return editor.value.substring(editor.selectionStart, editor.selectionEnd);",
                vec![],
            )
            .await?;
            ensure(selected.contains("\"Sid\": \"NoVmDeletion\"") && !selected.contains("ReadOnly"), || {
                format!("the locator selected {selected:?}")
            })?;
            // A broken request gives its diagnostics instead of a decision.
            page.paste("#request-editor", "{ \"action\": }").await?;
            page.wait_until(
            "the request's error is listed",
            "return !!document.querySelector('#request-diagnostics .diagnostic') && !document.querySelector('#decision .decision-effect');",
        )
        .await?;
            page.ensure_no_console_errors().await
        },
    );
}

#[test]
fn an_exoscale_organization_policy_takes_part_in_the_decision() {
    browser_test("an_exoscale_organization_policy_takes_part_in_the_decision", |page| async move {
        page.open("").await?;
        ensure(
            page.js("return !!document.querySelector('#organization-policy-editor');", vec![]).await? == json!(false),
            || "the organization policy editor is shown before it is asked for".to_owned(),
        )?;
        page.click("#organization-policy-toggle").await?;
        page.wait_until(
            "the organization policy editor opens",
            "return !!document.querySelector('#organization-policy-editor');",
        )
        .await?;
        // An organization policy that denies every service by default overrides the role.
        page.paste("#organization-policy-editor", "{\"default-service-strategy\": \"deny\", \"services\": {}}").await?;
        page.wait_until(
            "the organization layer decides",
            "const effect = document.querySelector('#decision .decision-effect');
             const decisive = document.querySelector('#decision .decisive');
             return !!effect && effect.dataset.effect !== 'allow' && !!decisive && decisive.textContent.includes('organization');",
        )
        .await?;
        // Its syntax errors are listed under it, and the simulation says which document is broken.
        page.paste("#organization-policy-editor", "{\"default-service-strategy\": \"deny\", \"services\": {},}")
            .await?;
        page.wait_until(
            "the organization policy's error is listed",
            "return !!document.querySelector('#organization-policy-diagnostics .diagnostic')
                && document.querySelector('#decision').textContent.includes('organization policy has errors');",
        )
        .await?;
        page.click("#simulation-diagnostics button.diagnostic").await?;
        page.wait_until(
            "the organization policy editor has the focus",
            "return document.activeElement.id === 'organization-policy-editor';",
        )
        .await?;
        // Switched off, the role decides alone again; the text stays for next time.
        page.click("#organization-policy-toggle").await?;
        page.wait_until(
            "the role decides alone",
            "const effect = document.querySelector('#decision .decision-effect'); return !!effect && effect.dataset.effect === 'allow';",
        )
        .await?;
        page.client.refresh().await?;
        page.client.wait().at_most(WAIT).for_element(Locator::Css("#organization-policy-toggle")).await?;
        page.click("#organization-policy-toggle").await?;
        page.wait_until(
            "the organization policy text survived",
            "const editor = document.querySelector('#organization-policy-editor'); return !!editor && editor.value.endsWith('{},}');",
        )
        .await?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn the_editor_scrolls_to_keep_the_caret_in_view() {
    browser_test("the_editor_scrolls_to_keep_the_caret_in_view", |page| async move {
        page.open("").await?;
        // 400 lines, the last one 2,000 characters long: type at its end.
        let text = format!("{}\"{}\"", "\n".repeat(400), "x".repeat(2_000));
        page.set_editor_value(&text).await?;
        page.js(
            "const editor = document.querySelector('#policy-editor'); editor.focus(); editor.setSelectionRange(editor.value.length, editor.value.length);",
            vec![],
        )
        .await?;
        page.type_keys("y").await?;
        page.wait_until(
            "the editor scrolled to the caret",
            "const scroller = document.querySelector('.policy-editor');
             return scroller.scrollTop > 0 && scroller.scrollLeft > 0;",
        )
        .await?;
        // The caret's column is on screen: the end of the line is within the visible width.
        let visible = page
            .js(
                "const scroller = document.querySelector('.policy-editor');
                 const layer = scroller.querySelector('.editor-layer');
                 return scroller.scrollLeft + scroller.clientWidth >= layer.scrollWidth - 40
                     && scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 40;",
                vec![],
            )
            .await?;
        ensure(visible == json!(true), || "the caret is scrolled out of view".to_owned())?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn a_full_storage_quota_gives_a_message_and_the_page_keeps_working() {
    browser_test("a_full_storage_quota_gives_a_message_and_the_page_keeps_working", |page| async move {
        page.open("").await?;
        // Fill this origin's localStorage until the browser refuses more.
        let filled = page
            .js(
                "const chunk = 'x'.repeat(256 * 1024);
                 let index = 0;
                 try { for (; index < 400; index++) localStorage.setItem('filler-' + index, chunk); } catch (error) { return index; }
                 return -1;",
                vec![],
            )
            .await?;
        ensure(filled.as_i64().is_some_and(|chunks| chunks > 0), || {
            format!("localStorage never filled up ({filled})")
        })?;
        let edit = format!("{{\"description\": \"{}\"}}", "y".repeat(300 * 1024));
        page.set_editor_value(&edit).await?;
        page.wait_until("an error notice is shown", "return !!document.querySelector('.notice-error');").await?;
        let notice = page.js_string("return document.querySelector('.notice-error').textContent;", vec![]).await?;
        ensure(notice.contains("could not be saved"), || format!("notice {notice:?}"))?;
        // The edit is still in the editor and still validated.
        ensure(page.editor_value().await? == edit, || "the edit was lost".to_owned())?;
        page.set_editor_value("{,}").await?;
        page.wait_until(
            "the new text is validated",
            "return !!document.querySelector('#policy-diagnostics .diagnostic');",
        )
        .await?;
        page.ensure_no_console_errors().await
    });
}

/// The form's input for the request field `path` (`parameters.id`).
fn form_field(path: &str) -> String {
    format!("#request-form input[data-path={}]", json!(path))
}

#[test]
fn the_request_builder_form_and_the_json_stay_in_sync_for_every_provider() {
    browser_test("the_request_builder_form_and_the_json_stay_in_sync_for_every_provider", |page| async move {
        page.open("").await?;
        let request = "return document.querySelector('#request-editor').value";
        // Exoscale: an operation of the catalogue brings its parameters into the form.
        page.paste(&form_field("operation"), "reboot-inst").await?;
        page.wait_until(
            "the catalogue suggests the operations the value starts",
            "return !!document.querySelector('#request-form datalist option[value=\"reboot-instance\"]');",
        )
        .await?;
        page.paste(&form_field("operation"), "reboot-instance").await?;
        page.wait_until(
            "the operation is in the JSON and its parameters are in the form",
            &format!(
                "{request}.includes('\"operation\": \"reboot-instance\"') && !!document.querySelector({});",
                json!(form_field("parameters.id"))
            ),
        )
        .await?;
        page.paste(&form_field("parameters.id"), "i-42").await?;
        page.wait_until("the parameter is in the JSON", &format!("{request}.includes('\"id\": \"i-42\"');")).await?;
        // And the other way: the JSON edited by hand shows in the form.
        let edited = page.js_string(&format!("{request}.replace('\"i-42\"', '\"i-43\"');"), vec![]).await?;
        page.paste("#request-editor", &edited).await?;
        page.wait_until(
            "the form shows the edited JSON",
            &format!("return document.querySelector({}).value === 'i-43';", json!(form_field("parameters.id"))),
        )
        .await?;
        // An emptied field leaves the JSON.
        page.paste(&form_field("parameters.id"), "").await?;
        page.wait_until(
            "the emptied parameter is gone",
            "return !document.querySelector('#request-editor').value.includes('i-43');",
        )
        .await?;

        // AWS: the context's keys with their types from the catalogue.
        page.select_tab("outscale").await?;
        page.click("#profile-aws").await?;
        page.paste(
            "#request-editor",
            r#"{"action": "s3:GetObject", "resource": "*", "context": {"aws:SourceIp": "10.0.0.1"}}"#,
        )
        .await?;
        page.wait_until(
            "the context key is a field with its type",
            &format!(
                "const input = document.querySelector({}); return !!input && input.value === '10.0.0.1' && input.title.startsWith('condition key, ');",
                json!(form_field("context.aws:SourceIp"))
            ),
        )
        .await?;
        page.paste(&form_field("action"), "s3:PutObject").await?;
        page.wait_until("the action is in the JSON", &format!("{request}.includes('s3:PutObject');")).await?;
        // A request that is not an object turns the form off until it is fixed.
        page.paste("#request-editor", "[1, 2]").await?;
        page.wait_until("the form waits", "return !!document.querySelector('#request-form.request-form-off');").await?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn edits_survive_a_reload() {
    browser_test("edits_survive_a_reload", |page| async move {
        page.open("").await?;
        page.select_tab("scaleway").await?;
        let edited = "{\n  \"name\": \"kept-across-reloads\",\n  \"rules\": []\n}\n";
        page.set_editor_value(edited).await?;
        page.wait_until(
            "the edit is saved",
            "return (localStorage.getItem('iamlab.workspace.v2') || '').includes('kept-across-reloads');",
        )
        .await?;
        page.client.refresh().await?;
        page.client.wait().at_most(WAIT).for_element(Locator::Css("#policy-editor")).await?;
        page.wait_until(
            "the Scaleway tab is active again",
            "return document.querySelector('.app').dataset.tab === 'scaleway';",
        )
        .await?;
        let value = page.editor_value().await?;
        ensure(value == edited, || format!("after the reload the editor shows {value:?}"))?;
        page.select_tab("exoscale").await?;
        let exoscale = page.editor_value().await?;
        ensure(exoscale.contains("default-service-strategy"), || {
            format!("the Exoscale tab lost its text: {exoscale:?}")
        })?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn a_broken_share_link_shows_a_message_and_keeps_the_stored_text() {
    browser_test("a_broken_share_link_shows_a_message_and_keeps_the_stored_text", |page| async move {
        page.open("").await?;
        let mine = "{ \"default-service-strategy\": \"allow\", \"services\": {}, \"description\": \"my-own-text\" }";
        page.set_editor_value(mine).await?;
        page.wait_until(
            "the edit is saved",
            "return (localStorage.getItem('iamlab.workspace.v2') || '').includes('my-own-text');",
        )
        .await?;
        page.open("#share=this*is%not-base64").await?;
        page.wait_until("an error notice is shown", "return !!document.querySelector('.notice-error');").await?;
        let notice = page.js_string("return document.querySelector('.notice-error').textContent;", vec![]).await?;
        ensure(notice.contains("share link is broken"), || format!("notice {notice:?}"))?;
        ensure(page.editor_value().await? == mine, || "the stored text was replaced".to_owned())?;
        let url = page.client.current_url().await?;
        ensure(url.fragment().is_none(), || format!("the broken fragment is still in the URL: {url}"))?;
        // The page still works: an edit is validated.
        page.set_editor_value("{ \"default-service-strategy\": \"allow\", }").await?;
        page.wait_until(
            "the trailing comma is reported",
            "return Array.from(document.querySelectorAll('#policy-diagnostics .diag-code')).some((code) => code.textContent === 'json::trailing-comma');",
        )
        .await?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn a_share_link_opens_the_shared_policy_and_keeps_the_previous_text() {
    browser_test("a_share_link_opens_the_shared_policy_and_keeps_the_previous_text", |page| async move {
        page.open("").await?;
        page.select_tab("outscale").await?;
        page.click("#profile-aws").await?;
        let shared = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\", \"Sid\": \"é😀\"}]}";
        page.set_editor_value(shared).await?;
        page.click("#share-button").await?;
        page.wait_until("the share link is shown", "return !!document.querySelector('#share-link');").await?;
        let link = page.js_string("return document.querySelector('#share-link').value;", vec![]).await?;
        ensure(link.starts_with(&format!("{}#s4=", page.base)), || format!("share link {link:?}"))?;
        // Edit on, then switch the tab and profile away, then open the link.
        let later = "{\"Statement\": []}";
        page.set_editor_value(later).await?;
        page.click("#profile-outscale").await?;
        page.select_tab("exoscale").await?;
        page.open(&link[page.base.len()..]).await?;
        page.wait_until(
            "the shared policy is shown",
            "return document.querySelector('.app').dataset.provider === 'aws';",
        )
        .await?;
        let value = page.editor_value().await?;
        ensure(value == shared, || format!("the link opened {value:?}"))?;
        page.click(".notice-restore").await?;
        page.wait_until(
            "the previous text is back",
            &format!("return document.querySelector('#policy-editor').value === {};", json!(later)),
        )
        .await?;
        // A link opened from the page itself changes only the fragment (no reload): it is read too.
        page.js("location.hash = arguments[0];", vec![json!(&link[page.base.len()..])]).await?;
        page.wait_until(
            "the shared policy is shown again",
            &format!("return document.querySelector('#policy-editor').value === {};", json!(shared)),
        )
        .await?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn a_large_paste_and_deep_nesting_keep_the_page_responsive() {
    browser_test("a_large_paste_and_deep_nesting_keep_the_page_responsive", |page| async move {
        page.open("").await?;
        let started = Instant::now();
        page.set_editor_value(&"[".repeat(10_000)).await?;
        page.wait_until(
            "the nesting limit is reported",
            "return Array.from(document.querySelectorAll('#policy-diagnostics .diag-code')).some((code) => code.textContent === 'json::too-deep');",
        )
        .await?;
        println!("10,000 nested brackets: diagnostics after {:?}", started.elapsed());

        // About 1 MB, with an error at its very end.
        let large =
            format!("{{\"Statement\": [{}{{}}], }}", "{\"Sid\": \"padding-padding-padding\"},\n".repeat(30_000));
        ensure(large.len() > 1_000_000, || format!("only {} bytes", large.len()))?;
        let started = Instant::now();
        page.set_editor_value(&large).await?;
        let (line, col) = line_col(&large, large.rfind(',').unwrap_or(0));
        page.wait_until(
            "the error at the end of the large paste is listed",
            &format!(
                "return Array.from(document.querySelectorAll('#policy-diagnostics .diagnostic')).some((item) =>
                    item.querySelector('.diag-code').textContent === 'json::trailing-comma' && item.querySelector('.diag-pos').textContent === '{line}:{col}');"
            ),
        )
        .await?;
        println!("{} byte paste: diagnostics after {:?}", large.len(), started.elapsed());
        let keystroke = time_one_keystroke(&page).await?;
        println!("one keystroke in the {} byte text: next frame after {keystroke:.0} ms", large.len());
        // The same on one line, as minified JSON comes.
        let one_line = large.replace('\n', " ");
        let started = Instant::now();
        page.set_editor_value(&one_line).await?;
        let col = one_line[..one_line.rfind(',').unwrap_or(0)].chars().count() + 1;
        page.wait_until(
            "the error at the end of the one-line paste is listed",
            &format!(
                "return Array.from(document.querySelectorAll('#policy-diagnostics .diag-pos')).some((pos) => pos.textContent === '1:{col}');"
            ),
        )
        .await?;
        println!("{} byte one-line paste: diagnostics after {:?}", one_line.len(), started.elapsed());
        let keystroke = time_one_keystroke(&page).await?;
        println!("one keystroke in the one-line text: next frame after {keystroke:.0} ms");
        // A valid Outscale policy of 20,000 statements: the engine explains every statement, the
        // page draws the first steps only.
        page.select_tab("outscale").await?;
        let statements =
            vec!["{\"Effect\": \"Allow\", \"Action\": \"api:ReadVms\", \"Resource\": \"*\"}"; 20_000].join(",\n");
        let many = format!("{{\"Version\": \"2012-10-17\", \"Statement\": [\n{statements}\n]}}");
        let started = Instant::now();
        page.set_editor_value(&many).await?;
        page.wait_until(
            "the decision on 20,000 statements is drawn, its explanation cut",
            "const more = document.querySelector('#decision .explanation + .more'); return !!more && more.textContent.includes('more steps');",
        )
        .await?;
        println!("{} byte policy of 20,000 statements: decision after {:?}", many.len(), started.elapsed());
        let steps = page.js("return document.querySelectorAll('#decision .explanation > li').length;", vec![]).await?;
        ensure(steps == json!(200), || format!("{steps} explanation steps drawn"))?;
        let keystroke = time_one_keystroke(&page).await?;
        println!("one keystroke in the 20,000 statement policy: next frame after {keystroke:.0} ms");
        page.select_tab("exoscale").await?;
        // Still responsive: a tab switch renders.
        page.select_tab("scaleway").await?;
        page.select_tab("exoscale").await?;
        ensure(page.editor_value().await?.len() == one_line.len() + 1, || "the large text was not kept".to_owned())?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn the_test_grid_reruns_pins_compares_a_saved_version_and_exports() {
    browser_test("the_test_grid_reruns_pins_compares_a_saved_version_and_exports", |page| async move {
        page.open("").await?;
        page.select_tab("outscale").await?;
        // The example's request (a read) is allowed: a row expecting `allow` passes.
        page.click("#grid-add").await?;
        page.wait_until(
            "the first row passes",
            "const row = document.querySelector('.grid-row[data-index=\"0\"]'); return !!row && row.classList.contains('pass');",
        )
        .await?;
        page.click("#grid-add").await?;
        page.paste(
            ".grid-row[data-index=\"1\"] .grid-request",
            "{\"action\": \"api:DeleteVms\", \"resource\": \"*\", \"context\": {}}",
        )
        .await?;
        page.wait_until(
            "the deletion row fails its `allow` expectation",
            "const row = document.querySelector('.grid-row[data-index=\"1\"]');
             return row.classList.contains('fail') && row.querySelector('.grid-got').textContent === 'explicit_deny';",
        )
        .await?;
        page.click("#grid-pin").await?;
        page.wait_until(
            "pinning makes every row pass",
            "const rows = Array.from(document.querySelectorAll('.grid-row'));
             return rows.length === 2 && rows.every((row) => row.classList.contains('pass'))
                 && rows[1].querySelector('.grid-expect').value === 'explicit_deny';",
        )
        .await?;
        page.wait_until(
            "coverage is listed",
            "return !!document.querySelector('#coverage') && document.querySelector('#coverage').textContent.includes('exercised');",
        )
        .await?;
        // What-if: save, then allow everything: the deletion row goes from a deny to allow.
        page.click("#grid-save-version").await?;
        page.wait_until(
            "no change yet",
            "const verdict = document.querySelector('.what-if-verdict'); return !!verdict && verdict.classList.contains('no-new-access');",
        )
        .await?;
        page.set_editor_value("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}")
            .await?;
        page.wait_until(
            "the verdict names the new access and the row fails again",
            "const verdict = document.querySelector('.what-if-verdict');
             const row = document.querySelector('.grid-row[data-index=\"1\"]');
             return verdict.classList.contains('new-access') && verdict.textContent.includes('case 2') && row.classList.contains('fail');",
        )
        .await?;
        page.click("#grid-export").await?;
        page.wait_until("the file is shown", "return !!document.querySelector('#grid-file');").await?;
        let file = page.js_string("return document.querySelector('#grid-file').value;", vec![]).await?;
        ensure(
            file.contains("\"iamlab_tests\": 1")
                && file.contains("\"provider\": \"outscale\"")
                && file.contains("explicit_deny"),
            || format!("exported {file}"),
        )?;
        // The export imports back as the same grid.
        page.click("#grid-import").await?;
        page.wait_until("the grid is imported", "return document.querySelectorAll('.grid-row').length === 2;").await?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn coverage_marks_the_rules_and_cel_branches_the_rows_leave_unpinned() {
    browser_test("coverage_marks_the_rules_and_cel_branches_the_rows_leave_unpinned", |page| async move {
        page.open("").await?;
        page.select_tab("exoscale").await?;
        let policy = "{\"default-service-strategy\": \"deny\", \"services\": {\"dns\": {\"type\": \"rules\", \"rules\": [\n  {\"action\": \"allow\", \"expression\": \"operation == 'list-dns-domains' || operation == 'get-dns-domain'\"},\n  {\"action\": \"deny\", \"expression\": \"true\"}\n]}}}";
        page.set_editor_value(policy).await?;
        page.click("#grid-add").await?;
        page.paste(".grid-row[data-index=\"0\"] .grid-request", "{\"operation\": \"list-dns-domains\"}").await?;
        // One row: the first operand is only ever true, the second never evaluated (`||` stops),
        // and the deny rule is never reached: three marks on two lines.
        page.wait_until(
            "the unpinned branches and the unused rule are marked",
            "const coverage = document.querySelector('#coverage');
             const marks = document.querySelectorAll('.policy-editor .gutter-mark');
             return !!coverage && coverage.textContent.includes('CEL branches: 0 of 2')
                 && coverage.textContent.includes('no row makes it false')
                 && coverage.textContent.includes('no row evaluates it')
                 && marks.length === 2 && marks[0].title.includes('no row makes it false')
                 && marks[1].title.includes('no grid row exercises it');",
        )
        .await?;
        // Two more rows pin both operands both ways and reach the deny rule: no mark is left.
        page.click("#grid-add").await?;
        page.paste(".grid-row[data-index=\"1\"] .grid-request", "{\"operation\": \"get-dns-domain\"}").await?;
        page.click("#grid-add").await?;
        page.paste(".grid-row[data-index=\"2\"] .grid-request", "{\"operation\": \"list-dns-domain-records\"}").await?;
        page.wait_until(
            "every branch is pinned and nothing is marked",
            "const coverage = document.querySelector('#coverage');
             return coverage.textContent.includes('CEL branches: 2 of 2')
                 && document.querySelectorAll('.policy-editor .gutter-mark').length === 0;",
        )
        .await?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn a_quick_fix_edits_through_the_browser_and_undo_restores() {
    browser_test("a_quick_fix_edits_through_the_browser_and_undo_restores", |page| async move {
        page.open("").await?;
        let broken = "{ \"default-service-strategy\": \"allow\", \"services\": {}, }";
        page.set_editor_value(broken).await?;
        page.wait_until(
            "the trailing comma offers a fix",
            "return !!document.querySelector('#policy-diagnostics .diag-fix');",
        )
        .await?;
        page.click("#policy-diagnostics .diag-fix").await?;
        let fixed = "{ \"default-service-strategy\": \"allow\", \"services\": {} }";
        page.wait_until(
            "the comma is gone and the findings follow",
            &format!(
                "return document.querySelector('#policy-editor').value === {} && !document.querySelector('#policy-diagnostics .diag-fix');",
                json!(fixed)
            ),
        )
        .await?;
        page.js("document.querySelector('#policy-editor').focus(); document.execCommand('undo');", vec![]).await?;
        page.wait_until(
            "undo puts the comma back",
            &format!("return document.querySelector('#policy-editor').value === {};", json!(broken)),
        )
        .await?;
        // A wrong case is a fix too.
        page.select_tab("outscale").await?;
        page.set_editor_value(
            "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"allow\", \"Action\": \"api:ReadVms\", \"Resource\": \"*\"}]}",
        )
        .await?;
        page.wait_until(
            "the wrong case offers its replacement",
            "const fix = document.querySelector('#policy-diagnostics .diag-fix'); return !!fix && fix.textContent.includes('Allow');",
        )
        .await?;
        page.click("#policy-diagnostics .diag-fix").await?;
        page.wait_until(
            "the effect is replaced and the policy decides again",
            "return document.querySelector('#policy-editor').value.includes('\"Effect\": \"Allow\"')
                 && !!document.querySelector('#decision .decision-effect');",
        )
        .await?;
        // A deny rule that fails open is guarded so that it fails closed, inside the CEL string.
        page.select_tab("exoscale").await?;
        page.set_editor_value(
            "{\"default-service-strategy\": \"deny\", \"services\": {\"sos\": {\"type\": \"rules\", \"rules\": [{\"action\": \"deny\", \"expression\": \"parameters.bucket == 'b'\"}, {\"action\": \"allow\", \"expression\": \"true\"}]}}}",
        )
        .await?;
        page.wait_until(
            "the unguarded read offers its guard",
            "return Array.from(document.querySelectorAll('#policy-diagnostics .diag-fix')).some((fix) => fix.textContent.includes('has('));",
        )
        .await?;
        page.js(
            "Array.from(document.querySelectorAll('#policy-diagnostics .diag-fix')).find((fix) => fix.textContent.includes('has(')).click();",
            vec![],
        )
        .await?;
        page.wait_until(
            "the read is guarded and no longer reported",
            "return document.querySelector('#policy-editor').value.includes(\"(!parameters.has('bucket') || parameters.bucket == 'b')\")
                 && !document.querySelector('#policy-diagnostics').textContent.includes('deny-fails-open');",
        )
        .await?;
        page.ensure_no_console_errors().await
    });
}

#[test]
fn a_denied_request_names_its_nearest_miss() {
    browser_test("a_denied_request_names_its_nearest_miss", |page| async move {
        page.open("").await?;
        page.select_tab("outscale").await?;
        page.paste("#request-editor", "{\"action\": \"api:CreateVms\", \"resource\": \"*\", \"context\": {}}").await?;
        page.wait_until(
            "the nearest miss names the statement and the action it misses",
            "const miss = document.querySelector('#nearest-miss');
             return !!miss && miss.textContent.includes('Statement') && miss.textContent.includes('api:CreateVms');",
        )
        .await?;
        page.ensure_no_console_errors().await
    });
}

mod aws_catalog;
mod bench_keystrokes;
mod completion;
mod editor;
mod embedding;
mod gallery;
mod grid_keyboard;
mod scaleway;
mod share_versions;
