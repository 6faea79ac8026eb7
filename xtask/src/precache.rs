//! Fills in the service worker's precache list after Trunk has built `dist/`: every file of
//! the site (hashed names included, which only the build knows), and a build id that changes
//! with any file, so that the browser sees a new `sw.js` exactly when the site changed. The
//! [`LAZY_ASSETS`] are left out of the list: the worker caches them when the page first asks.

use std::path::{Path, PathBuf};

/// Files of `dist/` that the page fetches only when a feature needs them: not precached (the
/// worker caches them at their first fetch) and not counted in the size budget (`size.rs`).
pub const LAZY_ASSETS: &[&str] = &["aws-actions.txt"];

const BUILD_LINE: &str = "const BUILD = 'dev';";
const PRECACHE_LINE: &str = "const PRECACHE = [];";

pub fn stamp_service_worker(dist: &Path) -> Result<(), String> {
    let worker = dist.join("sw.js");
    let template = std::fs::read_to_string(&worker)
        .map_err(|error| format!("cannot read {}: {error} (web/index.html copies web/sw.js)", worker.display()))?;
    let mut files = Vec::new();
    collect(dist, &mut files).map_err(|error| format!("cannot list {}: {error}", dist.display()))?;
    files.sort();
    // FNV-1a over every file's name and bytes: std only, and any change gives another id.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut urls = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(dist).unwrap_or(file).to_string_lossy().replace('\\', "/");
        if relative == "sw.js" {
            continue;
        }
        let bytes = std::fs::read(file).map_err(|error| format!("cannot read {}: {error}", file.display()))?;
        // A lazily fetched file still changes the build id, so that a new version of it
        // replaces the cached one.
        for byte in relative.as_bytes().iter().chain(&bytes) {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
        if !LAZY_ASSETS.contains(&relative.as_str()) {
            urls.push(format!("'./{relative}'"));
        }
    }
    if !template.contains(BUILD_LINE) || !template.contains(PRECACHE_LINE) {
        return Err(format!("{} has no `{BUILD_LINE}` and `{PRECACHE_LINE}` lines to fill in", worker.display()));
    }
    let stamped = template
        .replace(BUILD_LINE, &format!("const BUILD = '{hash:016x}';"))
        .replace(PRECACHE_LINE, &format!("const PRECACHE = [{}];", urls.join(", ")));
    std::fs::write(&worker, stamped).map_err(|error| format!("cannot write {}: {error}", worker.display()))?;
    println!("service worker: build {hash:016x}, {} files precached", urls.len());
    Ok(())
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.file_name().and_then(|name| name.to_str()).is_some_and(|name| name.starts_with('.')) {
            continue;
        }
        if path.is_dir() {
            collect(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}
