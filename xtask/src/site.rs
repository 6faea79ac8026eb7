//! Builds `dist/` the way `trunk build --release` does for this site, without Trunk.
//!
//! Trunk is the longest install of a fresh machine (about 630 s of CPU even as a debug build,
//! `docs/toolchain.md`), and this site uses only a few of its steps: one cargo build for wasm32,
//! `wasm-bindgen --target web`, `wasm-opt`, a hashed CSS file, copied files and directories, and
//! an `index.html` with the start-up script of `pattern_script` and Subresource Integrity
//! preloads. xtask does those steps itself, reading the same `Trunk.toml` and
//! `web/index.html`, with Trunk's file names (seahash of the contents), Trunk's integrity
//! values (SHA-384) and Trunk's HTML output, so that people who have Trunk can still run
//! `trunk build --release` or `trunk serve` and get the same `dist/`. A setting or asset kind
//! this file does not implement is an error naming it, never silently a different site.

use crate::{run, workspace_root};
use base64::Engine as _;
use sha2::Digest as _;
use std::path::{Path, PathBuf};

/// What `Trunk.toml`'s `[build]` says (only the keys this builder implements).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrunkBuild {
    pub target: PathBuf,
    pub dist: PathBuf,
    pub public_url: String,
    pub filehash: bool,
    pub pattern_script: String,
}

/// Keys of `[build]` that change nothing in the output of a release build: `offline` tells
/// Trunk not to download tools and to run cargo offline.
const INERT_BUILD_KEYS: &[&str] = &["offline"];

/// Reads the `[build]` table of `Trunk.toml` (string and boolean values, comments). `[tools]`
/// is checked by `setup::check_trunk_pins`.
pub fn read_trunk_toml(text: &str) -> Result<TrunkBuild, String> {
    let mut section = String::new();
    let mut build = TrunkBuild {
        target: PathBuf::from("index.html"),
        dist: PathBuf::from("dist"),
        public_url: "/".to_owned(),
        filehash: true,
        pattern_script: String::new(),
    };
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')) {
            section = name.trim().to_owned();
            if section != "build" && section != "tools" {
                return Err(format!(
                    "Trunk.toml:{}: section [{section}] is not implemented by xtask's site build (xtask/src/site.rs)",
                    number + 1
                ));
            }
            continue;
        }
        let (key, value) =
            line.split_once('=').ok_or_else(|| format!("Trunk.toml:{}: expected `key = value`", number + 1))?;
        let (key, value) =
            (key.trim(), toml_value(value.trim()).map_err(|why| format!("Trunk.toml:{}: {why}", number + 1))?);
        if section != "build" {
            continue;
        }
        match (key, value) {
            ("target", TomlValue::Text(text)) => build.target = PathBuf::from(text),
            ("dist", TomlValue::Text(text)) => build.dist = PathBuf::from(text),
            ("public_url", TomlValue::Text(text)) => build.public_url = text,
            ("pattern_script", TomlValue::Text(text)) => build.pattern_script = text,
            ("filehash", TomlValue::Bool(flag)) => build.filehash = flag,
            (key, _) if INERT_BUILD_KEYS.contains(&key) => {}
            (key, _) => {
                return Err(format!(
                    "Trunk.toml:{}: `{key}` is not implemented by xtask's site build: implement it in xtask/src/site.rs so that `cargo xtask build` and `trunk build --release` stay alike",
                    number + 1
                ))
            }
        }
    }
    if build.pattern_script.is_empty() {
        return Err(
            "Trunk.toml must set `pattern_script`: xtask's site build writes only that start-up (no inline script)"
                .to_owned(),
        );
    }
    Ok(build)
}

enum TomlValue {
    Text(String),
    Bool(bool),
}

/// A basic string (with `\"`, `\\`, `\n`, `\t` escapes) or a boolean, then an optional comment.
fn toml_value(text: &str) -> Result<TomlValue, String> {
    let comment = |rest: &str| {
        let rest = rest.trim();
        if rest.is_empty() || rest.starts_with('#') {
            Ok(())
        } else {
            Err(format!("unexpected `{rest}` after the value"))
        }
    };
    if let Some(rest) = text.strip_prefix('"') {
        let mut value = String::new();
        let mut chars = rest.char_indices();
        while let Some((index, ch)) = chars.next() {
            match ch {
                '"' => {
                    comment(rest.get(index + 1..).unwrap_or(""))?;
                    return Ok(TomlValue::Text(value));
                }
                '\\' => match chars.next().map(|(_, escaped)| escaped) {
                    Some('"') => value.push('"'),
                    Some('\\') => value.push('\\'),
                    Some('n') => value.push('\n'),
                    Some('t') => value.push('\t'),
                    other => return Err(format!("unsupported escape `\\{}`", other.unwrap_or(' '))),
                },
                other => value.push(other),
            }
        }
        return Err("unterminated string".to_owned());
    }
    for (word, flag) in [("true", true), ("false", false)] {
        if let Some(rest) = text.strip_prefix(word) {
            comment(rest)?;
            return Ok(TomlValue::Bool(flag));
        }
    }
    Err(format!("`{text}`: only strings and booleans are implemented"))
}

/// One `<link data-trunk …>` of the page: where it is and its attributes in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrunkLink {
    pub range: std::ops::Range<usize>,
    pub attributes: Vec<(String, String)>,
}

impl TrunkLink {
    fn get(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    fn rel(&self) -> &str {
        self.get("rel").unwrap_or("")
    }

    fn href(&self) -> Result<&str, String> {
        self.get("href").ok_or_else(|| format!("<link data-trunk rel=\"{}\"> has no href", self.rel()))
    }

    /// Fails on an attribute outside `known`: it would change Trunk's output in a way this
    /// builder does not reproduce.
    fn only(&self, known: &[&str]) -> Result<(), String> {
        match self.attributes.iter().find(|(key, _)| key != "data-trunk" && !known.contains(&key.as_str())) {
            Some((key, _)) => Err(format!(
                "<link data-trunk rel=\"{}\"> has `{key}`, which xtask's site build does not implement (xtask/src/site.rs)",
                self.rel()
            )),
            None => Ok(()),
        }
    }
}

/// Every `<link …>` element of `html` that has a `data-trunk` attribute (Trunk also reads
/// `<script data-trunk>`, which this site does not use: it is refused).
pub fn trunk_links(html: &str) -> Result<Vec<TrunkLink>, String> {
    let mut links = Vec::new();
    let mut position = 0;
    while let Some(found) = html.get(position..).and_then(|rest| rest.find('<')) {
        let start = position + found;
        let rest = html.get(start + 1..).unwrap_or("");
        let name: String =
            rest.chars().take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '!' || *ch == '-').collect();
        if name.starts_with("!--") {
            position = html.get(start..).and_then(|tail| tail.find("-->")).map_or(html.len(), |end| start + end + 3);
            continue;
        }
        let (attributes, end) = read_attributes(html, start + 1 + name.len())?;
        if attributes.iter().any(|(key, _)| key == "data-trunk") {
            if !name.eq_ignore_ascii_case("link") {
                return Err(format!(
                    "<{name} data-trunk> is not implemented by xtask's site build (only <link data-trunk>)"
                ));
            }
            links.push(TrunkLink { range: start..end, attributes });
        }
        position = end;
    }
    Ok(links)
}

/// Reads the attributes of a tag from `from` (just after its name) to its `>`; returns them
/// and the offset after the `>`.
fn read_attributes(html: &str, from: usize) -> Result<(Vec<(String, String)>, usize), String> {
    let bytes = html.as_bytes();
    let mut position = from;
    let mut attributes = Vec::new();
    loop {
        while bytes.get(position).is_some_and(|byte| byte.is_ascii_whitespace() || *byte == b'/') {
            position += 1;
        }
        match bytes.get(position) {
            None => return Err(format!("web/index.html: unterminated tag at byte {from}")),
            Some(b'>') => return Ok((attributes, position + 1)),
            Some(_) => {}
        }
        let name_start = position;
        while bytes.get(position).is_some_and(|byte| !byte.is_ascii_whitespace() && !b"=>/".contains(byte)) {
            position += 1;
        }
        let name = html.get(name_start..position).unwrap_or("").to_ascii_lowercase();
        let mut value = String::new();
        if bytes.get(position) == Some(&b'=') {
            position += 1;
            match bytes.get(position) {
                Some(quote @ (b'"' | b'\'')) => {
                    let value_start = position + 1;
                    let length = html.get(value_start..).and_then(|rest| rest.find(char::from(*quote)));
                    let length = length.ok_or_else(|| format!("web/index.html: unterminated attribute `{name}`"))?;
                    value = html.get(value_start..value_start + length).unwrap_or("").to_owned();
                    position = value_start + length + 1;
                }
                _ => {
                    let value_start = position;
                    while bytes.get(position).is_some_and(|byte| !byte.is_ascii_whitespace() && *byte != b'>') {
                        position += 1;
                    }
                    value = html.get(value_start..position).unwrap_or("").to_owned();
                }
            }
        }
        if value.contains('&') {
            return Err(format!("web/index.html: attribute `{name}` has a character reference, which xtask's site build does not decode"));
        }
        attributes.push((name, value));
    }
}

/// The cache-busting hash Trunk puts in file names: seahash of the contents (Trunk calls
/// `seahash::hash` for assets and streams the file into a `SeaHasher` for the Rust app; the
/// two agree, which the tests check).
fn seahash_of(bytes: &[u8]) -> u64 {
    seahash::hash(bytes)
}

/// A Subresource Integrity value, as Trunk writes it by default.
fn integrity_of(bytes: &[u8]) -> String {
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(bytes)))
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|error| format!("cannot read {}: {error}", path.display()))
}

fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|error| format!("cannot write {}: {error}", path.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|error| format!("cannot create {}: {error}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|error| format!("cannot read {}: {error}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|error| format!("cannot read {}: {error}", from.display()))?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if source.is_dir() {
            copy_dir(&source, &target)?;
        } else {
            write_bytes(&target, &read_bytes(&source)?)?;
        }
    }
    Ok(())
}

fn collect_files(directory: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(directory).map_err(|error| format!("cannot read {}: {error}", directory.display()))?;
    for entry in entries {
        let path = entry.map_err(|error| format!("cannot read {}: {error}", directory.display()))?.path();
        if path.is_dir() {
            collect_files(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("target"))
}

/// The page's one `rel="rust"` link, its attributes checked.
fn rust_link(trunk: &TrunkBuild) -> Result<TrunkLink, String> {
    let html = std::fs::read_to_string(workspace_root().join(&trunk.target))
        .map_err(|error| format!("cannot read {}: {error}", trunk.target.display()))?;
    let links = trunk_links(&html)?;
    let mut rust = links.into_iter().filter(|link| link.rel() == "rust");
    let (Some(link), None) = (rust.next(), rust.next()) else {
        return Err(format!("{} must have exactly one <link data-trunk rel=\"rust\">", trunk.target.display()));
    };
    link.only(&["rel", "href", "data-bin", "data-cargo-profile-release", "data-wasm-opt", "data-wasm-opt-params"])?;
    Ok(link)
}

/// The wasm-opt arguments the site build gives its wasm (`-Oz` and the page's
/// `data-wasm-opt-params`), or none when the page turns wasm-opt off: the CEL benchmark in
/// Node optimises its wasm with the same ones.
pub fn wasm_opt_arguments(trunk: &TrunkBuild) -> Result<Vec<String>, String> {
    let link = rust_link(trunk)?;
    Ok(wasm_opt_arguments_of(&link))
}

fn wasm_opt_arguments_of(link: &TrunkLink) -> Vec<String> {
    let level = link.get("data-wasm-opt").unwrap_or("");
    if level == "0" {
        return Vec::new();
    }
    let params = link.get("data-wasm-opt-params").unwrap_or("");
    std::iter::once(format!("-O{level}")).chain(params.split_whitespace().map(str::to_owned)).collect()
}

/// The cargo build of the page's `rel="rust"` link, on its own: `serve` starts it while the
/// tools install. Returns the wasm it wrote.
pub fn cargo_build(trunk: &TrunkBuild) -> Result<PathBuf, String> {
    let root = workspace_root();
    let link = rust_link(trunk)?;
    let html_dir = root.join(&trunk.target).parent().map(Path::to_path_buf).unwrap_or_else(|| root.clone());
    let manifest = html_dir.join(link.href()?);
    let bin = link.get("data-bin").ok_or("the rel=\"rust\" link needs data-bin (the binary to build)")?;
    let profile = link.get("data-cargo-profile-release").unwrap_or("release");
    let manifest_text = manifest.to_string_lossy().into_owned();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    run(
        &cargo,
        &[
            "build",
            "--target=wasm32-unknown-unknown",
            "--manifest-path",
            &manifest_text,
            "--profile",
            profile,
            "--bin",
            bin,
            "--locked",
        ],
        &[],
    )?;
    Ok(target_dir().join("wasm32-unknown-unknown").join(profile).join(format!("{bin}.wasm")))
}

/// Builds `dist/`: the cargo build (unless `wasm` is already built), then every link of the
/// page, in a staging directory that replaces `dist/` only when everything succeeded.
pub fn build(trunk: &TrunkBuild, wasm: Option<PathBuf>) -> Result<(), String> {
    let root = workspace_root();
    let html_path = root.join(&trunk.target);
    let html_dir = html_path.parent().map(Path::to_path_buf).unwrap_or_else(|| root.clone());
    let html =
        std::fs::read_to_string(&html_path).map_err(|error| format!("cannot read {}: {error}", html_path.display()))?;
    let links = trunk_links(&html)?;
    let wasm = match wasm {
        Some(wasm) => wasm,
        None => cargo_build(trunk)?,
    };
    let stage = target_dir().join("xtask-site").join("stage");
    if stage.exists() {
        std::fs::remove_dir_all(&stage).map_err(|error| format!("cannot clear {}: {error}", stage.display()))?;
    }
    std::fs::create_dir_all(&stage).map_err(|error| format!("cannot create {}: {error}", stage.display()))?;
    let base = trunk.public_url.as_str();
    let mut replacements: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut preloads = String::new();
    for link in &links {
        let replacement = match link.rel() {
            "css" => {
                link.only(&["rel", "href"])?;
                let source = html_dir.join(link.href()?);
                let bytes = css_whitespace_collapsed(&css_without_comments(&read_bytes(&source)?));
                let name = hashed_file_name(&source, &bytes, trunk.filehash)?;
                write_bytes(&stage.join(&name), &bytes)?;
                format!("<link rel=\"stylesheet\" href=\"{base}{name}\" integrity=\"{}\"/>", integrity_of(&bytes))
            }
            "copy-file" => {
                link.only(&["rel", "href"])?;
                let source = html_dir.join(link.href()?);
                let name = source.file_name().ok_or_else(|| format!("{} is not a file", source.display()))?;
                let mut bytes = read_bytes(&source)?;
                if source.extension().is_some_and(|extension| extension == "js") {
                    bytes = js_without_line_comments(&bytes);
                }
                write_bytes(&stage.join(name), &bytes)?;
                String::new()
            }
            "copy-dir" => {
                link.only(&["rel", "href"])?;
                let source = html_dir.join(link.href()?);
                let name = source.file_name().ok_or_else(|| format!("{} is not a directory", source.display()))?;
                copy_dir(&source, &stage.join(name))?;
                String::new()
            }
            "rust" => {
                let (script, rust_preloads) = rust_app(trunk, link, &wasm, &stage)?;
                preloads.push_str(&rust_preloads);
                script
            }
            other => {
                return Err(format!(
                    "<link data-trunk rel=\"{other}\"> is not implemented by xtask's site build (xtask/src/site.rs)"
                ))
            }
        };
        replacements.push((link.range.clone(), replacement));
    }
    let mut output = String::with_capacity(html.len() + 1024);
    let mut position = 0;
    for (range, replacement) in &replacements {
        output.push_str(html.get(position..range.start).unwrap_or(""));
        output.push_str(replacement);
        position = range.end;
    }
    output.push_str(html.get(position..).unwrap_or(""));
    // Trunk appends the preloads as the last children of <head>.
    let head_end = output.find("</head>").ok_or("web/index.html has no </head>")?;
    output.insert_str(head_end, &preloads);
    write_bytes(&stage.join("index.html"), html_without_comments(&output).as_bytes())?;
    let dist = root.join(&trunk.dist);
    if dist.exists() {
        std::fs::remove_dir_all(&dist).map_err(|error| format!("cannot clear {}: {error}", dist.display()))?;
    }
    // A target directory on another file system (CARGO_TARGET_DIR) cannot be renamed into place.
    if std::fs::rename(&stage, &dist).is_err() {
        copy_dir(&stage, &dist)?;
        std::fs::remove_dir_all(&stage).map_err(|error| format!("cannot clear {}: {error}", stage.display()))?;
    }
    println!("site: {} written (xtask's build of Trunk.toml and {})", dist.display(), trunk.target.display());
    Ok(())
}

/// The stylesheet without its comments: they document the rules for their readers, and are
/// about 800 bytes of the site's gzip budget. The one step of a minifier taken here (Trunk's
/// `minify`, which this builder does not implement, would also rewrite the rules): comments
/// are left out outside strings, a comment becomes nothing, everything else is kept byte for
/// byte. A text that is not UTF-8 or has an unclosed comment is kept as it is.
fn css_without_comments(bytes: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(bytes) else { return bytes.to_vec() };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut quote: Option<char> = None;
    while let Some(ch) = rest.chars().next() {
        if let Some(open) = quote {
            // Inside a string a backslash escapes the next character, and `/*` is text.
            let taken = if ch == '\\' { rest.chars().take(2).map(char::len_utf8).sum() } else { ch.len_utf8() };
            out.push_str(&rest[..taken]);
            rest = &rest[taken..];
            if ch == open {
                quote = None;
            }
            continue;
        }
        if let Some(after) = rest.strip_prefix("/*") {
            let Some(end) = after.find("*/") else { return bytes.to_vec() };
            rest = &after[end + 2..];
            // A comment alone on its line leaves no empty line behind.
            if out.ends_with('\n') || out.is_empty() {
                rest = rest.strip_prefix('\n').unwrap_or(rest);
            }
            continue;
        }
        if ch == '"' || ch == '\'' {
            quote = Some(ch);
        }
        out.push(ch);
        rest = &rest[ch.len_utf8()..];
    }
    out.into_bytes()
}

/// The stylesheet with its whitespace collapsed, the second step of a minifier: outside
/// strings, each run of whitespace becomes nothing next to `{`, `}`, `;`, `,` and after `:`
/// (where CSS never needs it), and one space everywhere else (between a selector's parts, a
/// value's words, around `+` and `-` in `calc()`). About 330 bytes of the site's gzip budget
/// (leaving out each block's last `;` as well saved nothing: gzip had it for free).
/// A text that is not UTF-8 is kept as it is.
fn css_whitespace_collapsed(bytes: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(bytes) else { return bytes.to_vec() };
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut pending_space = false;
    for ch in text.chars() {
        if let Some(open) = quote {
            out.push(ch);
            if escaped {
                escaped = false;
            } else if ch == '\\' {
                escaped = true;
            } else if ch == open {
                quote = None;
            }
            continue;
        }
        if ch.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space
            && !out.is_empty()
            && !matches!(ch, '{' | '}' | ';' | ',')
            && !out.ends_with(['{', '}', ';', ',', ':'])
        {
            out.push(' ');
        }
        pending_space = false;
        if ch == '"' || ch == '\'' {
            quote = Some(ch);
        }
        out.push(ch);
    }
    out.into_bytes()
}

/// A script without its comment lines (a line that is only a `//` comment): they explain the
/// code to its readers, and are about 950 bytes of the site's gzip budget across `boot.js`,
/// `sw.js` and `iamlab-embed.js`. Everything else is kept byte for byte, the `/*! … */` usage
/// header of the embed script included. A script with a backtick outside its comment lines (a
/// template literal could hold a line that starts with `//`), or that is not UTF-8, is kept
/// as it is.
fn js_without_line_comments(bytes: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(bytes) else { return bytes.to_vec() };
    let is_comment = |line: &str| line.trim_start().starts_with("//");
    if text.lines().any(|line| !is_comment(line) && line.contains('`')) {
        return bytes.to_vec();
    }
    text.split_inclusive('\n').filter(|line| !is_comment(line)).collect::<String>().into_bytes()
}

/// The page without its `<!-- … -->` comments (why its CSP and links are as they are, for its
/// readers: about 250 bytes of the gzip budget), and without the line each leaves empty. The
/// page has no inline script or style, where `<!--` could be text. An unclosed comment is kept.
fn html_without_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        let Some(length) = rest.get(start..).and_then(|comment| comment.find("-->")) else { break };
        let before = rest.get(..start).unwrap_or("");
        // A comment alone on its line takes its indentation and line break with it.
        let kept = before.trim_end_matches([' ', '\t']);
        let alone = (kept.is_empty() && (out.is_empty() || out.ends_with('\n'))) || kept.ends_with('\n');
        out.push_str(if alone { kept } else { before });
        rest = rest.get(start + length + 3..).unwrap_or("");
        if alone {
            rest = rest.strip_prefix('\n').unwrap_or(rest);
        }
    }
    out.push_str(rest);
    out
}

/// `style.css` → `style-<16 hex digits>.css`, as Trunk names hashed assets.
fn hashed_file_name(source: &Path, bytes: &[u8], filehash: bool) -> Result<String, String> {
    let stem = source.file_stem().ok_or_else(|| format!("{} has no file name", source.display()))?.to_string_lossy();
    let extension = source.extension().map(|extension| extension.to_string_lossy()).unwrap_or_default();
    if filehash {
        Ok(format!("{stem}-{:0>16x}.{extension}", seahash_of(bytes)))
    } else {
        Ok(source.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default())
    }
}

/// wasm-bindgen, the hashed names, wasm-opt and the integrity preloads of the Rust app;
/// returns the start-up script (from `pattern_script`) and the preload links.
fn rust_app(trunk: &TrunkBuild, link: &TrunkLink, wasm: &Path, stage: &Path) -> Result<(String, String), String> {
    let bin = link.get("data-bin").ok_or("the rel=\"rust\" link needs data-bin")?;
    let bindgen_dir = target_dir().join("wasm-bindgen").join("release");
    std::fs::create_dir_all(&bindgen_dir)
        .map_err(|error| format!("cannot create {}: {error}", bindgen_dir.display()))?;
    let out_dir = format!("--out-dir={}", bindgen_dir.display());
    let out_name = format!("--out-name={bin}");
    let wasm_text = wasm.to_string_lossy().into_owned();
    // wasm-bindgen adds to `snippets/` and never removes: clear it so that an old build's
    // snippet is not shipped (Trunk keeps them; the site then has one file more).
    let snippets = bindgen_dir.join("snippets");
    if snippets.exists() {
        std::fs::remove_dir_all(&snippets).map_err(|error| format!("cannot clear {}: {error}", snippets.display()))?;
    }
    run("wasm-bindgen", &["--target=web", &out_dir, &out_name, &wasm_text, "--no-typescript"], &[])?;
    let bound_js = read_bytes(&bindgen_dir.join(format!("{bin}.js")))?;
    let bound_wasm = read_bytes(&bindgen_dir.join(format!("{bin}_bg.wasm")))?;
    // Each name is hashed from its own wasm-bindgen output (before wasm-opt), as Trunk does.
    let hashed = |bytes: &[u8]| if trunk.filehash { format!("{bin}-{:x}", seahash_of(bytes)) } else { bin.to_owned() };
    let js_name = format!("{}.js", hashed(&bound_js));
    let wasm_name = format!("{}_bg.wasm", hashed(&bound_wasm));
    write_bytes(&stage.join(&js_name), &bound_js)?;
    let staged_wasm = stage.join(&wasm_name);
    write_bytes(&staged_wasm, &bound_wasm)?;
    // The JS snippets of `#[wasm_bindgen(module = …)]`, copied as they are and preloaded after
    // the bindings, as Trunk does.
    let mut snippet_files = Vec::new();
    if snippets.exists() {
        copy_dir(&snippets, &stage.join("snippets"))?;
        collect_files(&snippets, &mut snippet_files)?;
        snippet_files.sort();
    }
    let wasm_opt = wasm_opt_arguments_of(link);
    if !wasm_opt.is_empty() {
        let opt_dir = target_dir().join("wasm-opt").join("release");
        std::fs::create_dir_all(&opt_dir).map_err(|error| format!("cannot create {}: {error}", opt_dir.display()))?;
        let optimised = opt_dir.join(format!("{bin}_bg.wasm"));
        let output = format!("--output={}", optimised.display());
        let input = staged_wasm.to_string_lossy().into_owned();
        let mut args = vec![output.as_str(), input.as_str()];
        args.extend(wasm_opt.iter().map(String::as_str));
        run("wasm-opt", &args, &[])?;
        write_bytes(&staged_wasm, &read_bytes(&optimised)?)?;
    }
    let base = trunk.public_url.as_str();
    let module_preload = |href: &str, bytes: &[u8]| {
        format!(
            "<link rel=\"modulepreload\" href=\"{base}{href}\" crossorigin=\"anonymous\" integrity=\"{}\">",
            integrity_of(bytes)
        )
    };
    let mut preloads = module_preload(&js_name, &bound_js);
    for file in &snippet_files {
        let relative = file.strip_prefix(&bindgen_dir).unwrap_or(file).to_string_lossy().replace('\\', "/");
        preloads.push_str(&module_preload(&relative, &read_bytes(file)?));
    }
    preloads.push_str(&format!(
        "<link rel=\"preload\" href=\"{base}{wasm_name}\" crossorigin=\"anonymous\" integrity=\"{}\" as=\"fetch\" type=\"application/wasm\">",
        integrity_of(&read_bytes(&staged_wasm)?)
    ));
    let script = trunk
        .pattern_script
        .replace("{base}", base)
        .replace("{js}", &js_name)
        .replace("{wasm}", &wasm_name)
        .replace("{crossorigin}", "anonymous");
    Ok((script, preloads))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hasher as _;

    #[test]
    fn stylesheet_comments_are_left_out_and_strings_kept() {
        let check = |input: &str, expect: &str| {
            assert_eq!(String::from_utf8(css_without_comments(input.as_bytes())).unwrap(), expect, "{input:?}");
        };
        check("/* head */\na { color: red; }\n", "a { color: red; }\n");
        check("a { b: 1; /* why */ c: 2; }", "a { b: 1;  c: 2; }");
        check("a::after { content: \"/* not a comment */\"; }", "a::after { content: \"/* not a comment */\"; }");
        check("a { content: 'it\\'s /* text */'; } /* gone */", "a { content: 'it\\'s /* text */'; } ");
        check("/* two\n   lines */\n/* and */\nb {}", "b {}");
        check("a {} /* never closed", "a {} /* never closed");
        check("é { } /* ü */", "é { } ");
        // The repository's stylesheet keeps every rule: only comments go.
        let sheet = std::fs::read_to_string(workspace_root().join("web/style.css")).unwrap();
        let stripped = String::from_utf8(css_without_comments(sheet.as_bytes())).unwrap();
        assert!(!stripped.contains("/*") && stripped.matches('{').count() == sheet.matches('{').count());
    }

    #[test]
    fn stylesheet_whitespace_is_collapsed_where_css_needs_none() {
        let check = |input: &str, expect: &str| {
            assert_eq!(String::from_utf8(css_whitespace_collapsed(input.as_bytes())).unwrap(), expect, "{input:?}");
        };
        check("a {\n  color: red;\n  margin: 0 auto;\n}\n", "a{color:red;margin:0 auto;}");
        check(".a .b > c,\n.d:hover {}", ".a .b > c,.d:hover{}");
        check("a { width: calc(100% - 2 * var(--x)); }", "a{width:calc(100% - 2 * var(--x));}");
        check(
            "@media (prefers-color-scheme: dark) {\n  :root { --bg: #000; }\n}",
            "@media (prefers-color-scheme:dark){:root{--bg:#000;}}",
        );
        check("a::after { content: \"  two  spaces \\\"  \"; }", "a::after{content:\"  two  spaces \\\"  \";}");
        check("a { content: '  '; }  ", "a{content:'  ';}");
        check("a { content: ';}'; }", "a{content:';}';}");
        // The repository's stylesheet keeps every rule and every string.
        let sheet = std::fs::read_to_string(workspace_root().join("web/style.css")).unwrap();
        let stripped = css_without_comments(sheet.as_bytes());
        let collapsed = String::from_utf8(css_whitespace_collapsed(&stripped)).unwrap();
        assert_eq!(collapsed.matches('{').count(), sheet.matches('{').count());
        assert!(collapsed.len() * 10 < stripped.len() * 9, "{} of {} bytes", collapsed.len(), stripped.len());
    }

    #[test]
    fn script_comment_lines_are_left_out_and_code_kept() {
        let check = |input: &str, expect: &str| {
            assert_eq!(String::from_utf8(js_without_line_comments(input.as_bytes())).unwrap(), expect, "{input:?}");
        };
        check("// why\nconst a = 1; // kept\n    // indented\nf('//x');\n", "const a = 1; // kept\nf('//x');\n");
        check("/*! usage */\nrun();\n// last", "/*! usage */\nrun();\n");
        // A template literal could hold a line that starts with `//`: such a script is kept.
        check("const t = `\n// inside\n`;\n", "const t = `\n// inside\n`;\n");
        // The repository's scripts lose comment lines only, and still hold their code.
        for script in ["web/boot.js", "web/sw.js", "web/iamlab-embed.js"] {
            let text = std::fs::read_to_string(workspace_root().join(script)).unwrap();
            let stripped = String::from_utf8(js_without_line_comments(text.as_bytes())).unwrap();
            let code: Vec<&str> = text.lines().filter(|line| !line.trim_start().starts_with("//")).collect();
            assert_eq!(stripped.lines().collect::<Vec<_>>(), code, "{script}");
            assert!(stripped.len() < text.len(), "{script} has comment lines to leave out");
        }
    }

    #[test]
    fn page_comments_are_left_out() {
        let check = |input: &str, expect: &str| assert_eq!(html_without_comments(input), expect, "{input:?}");
        check("<head>\n    <!-- why -->\n    <meta />\n</head>", "<head>\n    <meta />\n</head>");
        check("<p>a<!-- b -->c</p>", "<p>ac</p>");
        check("<!-- one\n     two -->\n<p></p>", "<p></p>");
        check("<p></p><!-- never closed", "<p></p><!-- never closed");
        let page = std::fs::read_to_string(workspace_root().join("web/index.html")).unwrap();
        let stripped = html_without_comments(&page);
        assert!(!stripped.contains("<!--") && stripped.contains("Content-Security-Policy"));
        assert_eq!(stripped.matches('<').count(), page.matches('<').count() - page.matches("<!--").count());
    }

    /// The repository's own Trunk.toml and web/index.html are what this builder implements:
    /// a change to either that it does not know fails here, before a site differs from Trunk's.
    #[test]
    fn the_repository_trunk_toml_and_index_html_are_implemented() {
        let root = workspace_root();
        let trunk = read_trunk_toml(&std::fs::read_to_string(root.join("Trunk.toml")).unwrap()).unwrap();
        assert_eq!(trunk.target, PathBuf::from("web/index.html"));
        assert_eq!(trunk.public_url, "./");
        assert!(trunk.pattern_script.contains("{js}") && trunk.pattern_script.contains("{wasm}"));
        let html = std::fs::read_to_string(root.join(&trunk.target)).unwrap();
        let links = trunk_links(&html).unwrap();
        let rels: Vec<&str> = links.iter().map(TrunkLink::rel).collect();
        assert_eq!(rels, ["css", "copy-file", "copy-file", "copy-file", "copy-file", "copy-dir", "copy-file", "rust"]);
        let rust = links.iter().find(|link| link.rel() == "rust").unwrap();
        assert_eq!(rust.get("data-cargo-profile-release"), Some("wasm-release"));
        for link in &links {
            assert!(html.get(link.range.clone()).unwrap().starts_with("<link data-trunk"));
        }
        crate::setup::check_trunk_pins().unwrap();
    }

    #[test]
    fn unknown_settings_are_refused() {
        let pattern = "pattern_script = \"<script src=\\\"{base}{js}\\\"></script>\"\n";
        let read = read_trunk_toml(&format!("[build]\n{pattern}filehash = false # no hash\n")).unwrap();
        assert_eq!(read.pattern_script, "<script src=\"{base}{js}\"></script>");
        assert!(!read.filehash);
        let error = read_trunk_toml(&format!("[build]\n{pattern}minify = \"always\"\n")).unwrap_err();
        assert!(error.contains("`minify` is not implemented"), "{error}");
        assert!(read_trunk_toml("[serve]\nport = 8080\n").unwrap_err().contains("[serve]"));
        let links = trunk_links("<link data-trunk rel=\"css\" href=\"a.css\" data-integrity=\"none\" />").unwrap();
        assert!(links[0].only(&["rel", "href"]).unwrap_err().contains("data-integrity"));
        assert!(trunk_links("<script data-trunk src=\"x.js\"></script>").unwrap_err().contains("<script data-trunk>"));
        // Comments are skipped: a commented-out link is not built.
        assert!(trunk_links("<!-- <link data-trunk rel=\"css\" href=\"a.css\"> -->").unwrap().is_empty());
    }

    /// Trunk's names: seahash of the bytes, zero-padded for assets, not for the Rust app.
    #[test]
    fn hashed_names_and_integrity_are_trunks() {
        assert_eq!(seahash_of(b"to be or not to be"), 1988685042348123509);
        let long: Vec<u8> = (0..100_000u32).map(|index| (index % 251) as u8).collect();
        let mut streamed = seahash::SeaHasher::new();
        for chunk in long.chunks(8192) {
            streamed.write(chunk);
        }
        assert_eq!(streamed.finish(), seahash_of(&long));
        assert_eq!(
            hashed_file_name(Path::new("web/style.css"), b"to be or not to be", true).unwrap(),
            "style-1b993a826f4ae575.css"
        );
        assert_eq!(integrity_of(b""), "sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb");
    }
}
