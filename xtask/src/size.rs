//! The size report: raw and `gzip -9` bytes of every file in `dist/`, and the total against the
//! budget for the whole site (the playground must stay small enough to embed in a docs page).

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
    for file in &files {
        let bytes = std::fs::read(file).map_err(|error| format!("cannot read {}: {error}", file.display()))?;
        let gzip = gzip_size(&bytes)?;
        let raw = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        totals.raw += raw;
        totals.gzip += gzip;
        let name = file.strip_prefix(dist).unwrap_or(file).display();
        println!("{raw:>10} {gzip:>10}  {name}");
    }
    println!("{:>10} {:>10}  total ({} files)", totals.raw, totals.gzip, files.len());
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
fn gzip_size(bytes: &[u8]) -> Result<u64, String> {
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
