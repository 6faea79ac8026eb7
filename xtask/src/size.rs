//! The size report: raw and `gzip -9` bytes of every file in `dist/`, and the total against the
//! budget for the whole site (the playground must stay small enough to embed in a docs page).
//! Files the page fetches only when a feature needs them (`precache::LAZY_ASSETS`, the AWS
//! action catalogue) are listed after the total, which does not count them.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The whole site, gzip -9, every issue together.
pub const BUDGET_GZIP_BYTES: u64 = 450 * 1024;

pub struct SizeTotals {
    pub raw: u64,
    pub gzip: u64,
}

pub fn report(dist: &Path) -> Result<SizeTotals, String> {
    let mut files = Vec::new();
    collect_files(dist, &mut files)
        .map_err(|error| format!("cannot read {}: {error} (run `cargo xtask build` first)", dist.display()))?;
    files.sort();
    if files.is_empty() {
        return Err(format!("{} is empty: run `cargo xtask build` first", dist.display()));
    }
    println!("size report for {}", dist.display());
    println!("{:>10} {:>10}  file", "raw", "gzip -9");
    let mut totals = SizeTotals { raw: 0, gzip: 0 };
    let mut lazy = Vec::new();
    let mut counted = 0;
    for file in &files {
        let bytes = std::fs::read(file).map_err(|error| format!("cannot read {}: {error}", file.display()))?;
        let gzip = gzip_size(&bytes)?;
        let raw = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        let name = file.strip_prefix(dist).unwrap_or(file).to_string_lossy().replace('\\', "/");
        if crate::precache::LAZY_ASSETS.contains(&name.as_str()) {
            lazy.push((raw, gzip, name));
            continue;
        }
        totals.raw += raw;
        totals.gzip += gzip;
        counted += 1;
        println!("{raw:>10} {gzip:>10}  {name}");
    }
    println!("{:>10} {:>10}  total ({counted} files)", totals.raw, totals.gzip);
    for (raw, gzip, name) in &lazy {
        println!("{raw:>10} {gzip:>10}  {name} (fetched only when needed: not in the total or the budget)");
    }
    println!(
        "budget: {} bytes gzip; used {:.1}%",
        BUDGET_GZIP_BYTES,
        totals.gzip as f64 * 100.0 / BUDGET_GZIP_BYTES as f64
    );
    if totals.gzip > BUDGET_GZIP_BYTES {
        return Err(format!("the site is {} bytes gzip, over the budget of {BUDGET_GZIP_BYTES}", totals.gzip));
    }
    Ok(totals)
}

fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        // Trunk's `.trunk-lock` (present while a build runs) is not part of the site.
        if path.file_name().and_then(|name| name.to_str()).is_some_and(|name| name.starts_with('.')) {
            continue;
        }
        if path.is_dir() {
            collect_files(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

/// Bytes after `gzip -9`, with the system's gzip: the same figure a reader gets by hand.
pub fn gzip_size(bytes: &[u8]) -> Result<u64, String> {
    let mut child = Command::new("gzip")
        .args(["-9", "-c", "-n"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run gzip: {error}"))?;
    let mut stdin = child.stdin.take().ok_or("gzip has no stdin")?;
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().map_err(|error| format!("gzip failed: {error}"))?;
    writer.join().map_err(|_| "gzip writer panicked".to_owned())?.map_err(|error| format!("gzip failed: {error}"))?;
    Ok(u64::try_from(output.stdout.len()).unwrap_or(u64::MAX))
}

/// The un-optimised cargo output, before wasm-bindgen and wasm-opt: it keeps the function names.
pub fn named_wasm() -> PathBuf {
    crate::workspace_root().join("target/wasm32-unknown-unknown/wasm-release/iamlab-web.wasm")
}

/// The largest contributors to the wasm, `twiggy top` summed per crate (the first path segment
/// of each demangled name; sections and data segments stay as they are). Never fails the report:
/// without twiggy or the file it says so and goes on.
pub fn top_contributors(wasm: &Path, count: usize) {
    if !wasm.exists() {
        println!("largest contributors: {} is missing (run `cargo xtask build`); skipped", wasm.display());
        return;
    }
    let output = Command::new("twiggy")
        .args(["top", "-n", "1000000", "--format", "csv"])
        .arg(wasm)
        .env("PATH", crate::setup::tool_path())
        .output();
    let output = match output {
        Ok(output) if output.status.success() => output,
        Ok(output) => {
            println!(
                "largest contributors: twiggy failed ({}); skipped",
                String::from_utf8_lossy(&output.stderr).trim()
            );
            return;
        }
        Err(error) => {
            println!("largest contributors: twiggy is not available ({error}); skipped (`cargo xtask size --top` installs it)");
            return;
        }
    };
    let text = String::from_utf8_lossy(&output.stdout);
    let (groups, total) = group_by_crate(&text);
    println!("largest contributors to {} (twiggy top, per crate, top {count})", wasm.display());
    println!("{:>10} {:>6}  crate or section", "bytes", "share");
    for (name, bytes) in groups.iter().take(count) {
        println!("{bytes:>10} {:>5.1}%  {name}", *bytes as f64 * 100.0 / total.max(1) as f64);
    }
    println!("{total:>10} 100.0%  total ({} groups)", groups.len());
}

/// Sums twiggy's CSV (`Name,ShallowSize,...`) per crate, largest first.
fn group_by_crate(csv: &str) -> (Vec<(String, u64)>, u64) {
    let mut sums = std::collections::BTreeMap::<String, u64>::new();
    let mut total = 0;
    for line in csv.lines().skip(1) {
        let Some((name, size)) = split_csv_name(line) else { continue };
        let Ok(size) = size.parse::<u64>() else { continue };
        total += size;
        *sums.entry(crate_of(&name)).or_default() += size;
    }
    let mut groups: Vec<(String, u64)> = sums.into_iter().collect();
    groups.sort_by(|left, right| right.1.cmp(&left.1).then_with(|| left.0.cmp(&right.0)));
    (groups, total)
}

/// The first (possibly quoted) CSV field and the second one.
fn split_csv_name(line: &str) -> Option<(String, &str)> {
    if let Some(rest) = line.strip_prefix('"') {
        let mut name = String::new();
        let mut chars = rest.char_indices().peekable();
        while let Some((index, ch)) = chars.next() {
            if ch == '"' {
                if chars.peek().is_some_and(|(_, next)| *next == '"') {
                    chars.next();
                    name.push('"');
                } else {
                    let after = rest.get(index + 1..)?.strip_prefix(',')?;
                    return Some((name, after.split(',').next()?));
                }
            } else {
                name.push(ch);
            }
        }
        None
    } else {
        let mut fields = line.splitn(3, ',');
        Some((fields.next()?.to_owned(), fields.next()?))
    }
}

/// `<iamlab_web::App as yew::Component>::view::h12` → `iamlab_web`; `core::fmt::write` → `core`;
/// a section or data segment keeps its name.
fn crate_of(name: &str) -> String {
    if name.starts_with("data segment") {
        return "data segments".to_owned();
    }
    if name.starts_with("custom section") || name.contains("subsection") {
        return name.to_owned();
    }
    let path_crate = |text: &str| {
        let trimmed = text
            .trim_start_matches(['<', '&', '*', '(', '[', ' '])
            .trim_start_matches("mut ")
            .trim_start_matches("dyn ")
            .trim_start_matches("const ");
        // `core[c5930c85a12de822]::num`: the crate's disambiguator is not part of its name.
        let first = trimmed.split("::").next().unwrap_or("");
        let first = first.split_once('[').map_or(first, |(name, _)| name);
        (trimmed.contains("::") && !first.is_empty() && first.chars().all(|ch| ch.is_alphanumeric() || ch == '_'))
            .then(|| first.to_owned())
    };
    // `<T as core::fmt::Debug>::fmt`: a generic self type counts for the trait's crate.
    path_crate(name)
        .or_else(|| name.split_once(" as ").and_then(|(_, trait_path)| path_crate(trait_path)))
        .unwrap_or_else(|| {
            if name.starts_with("code[") || name.starts_with("func[") {
                "unnamed functions".to_owned()
            } else {
                "other (runtime symbols, tables, types, elements)".to_owned()
            }
        })
}
