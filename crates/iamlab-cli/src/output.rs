//! Writing what the CLI prints and the files it changes.
//!
//! Standard output goes through one locked handle, and a closed pipe (`iamlab … | head`) ends the
//! output quietly instead of panicking the way `print!` does: the reader has what it wanted.
//! Files are written atomically (a temporary file in the same directory, then a rename), so that
//! an interrupted `fmt`, `--fix` or `pull` never leaves half a file.

use std::io::{ErrorKind, Write as _};
use std::path::Path;

/// Writes `text` to standard output. A closed pipe is not an error; any other failure is
/// reported on standard error and returned.
pub fn print(text: &str) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == ErrorKind::BrokenPipe => Ok(()),
        Err(error) => {
            let message = format!("cannot write to standard output: {error}");
            eprint_quietly(&format!("error: {message}\n"));
            Err(message)
        }
    }
}

/// Writes `text` to standard error, ignoring failures: there is nowhere left to report them.
pub fn eprint_quietly(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes()).and_then(|()| stderr.flush());
}

/// Replaces (or creates) `path` with `contents`: written to a temporary file next to it, then
/// renamed over it, so that readers see the old file or the new one, never a part.
pub fn write_atomically(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let file_name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = directory.join(format!(".{file_name}.iamlab-{}.tmp", std::process::id()));
    let written = std::fs::File::create(&temporary).and_then(|mut file| {
        file.write_all(contents)?;
        file.sync_all()
    });
    match written.and_then(|()| std::fs::rename(&temporary, path)) {
        Ok(()) => Ok(()),
        Err(error) => {
            let _ = std::fs::remove_file(&temporary);
            Err(error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_atomic_write_replaces_the_file_and_leaves_no_temporary() {
        let directory = std::env::temp_dir().join(format!("iamlab-output-test-{}", std::process::id()));
        std::fs::create_dir_all(&directory).unwrap();
        let path = directory.join("policy.json");
        std::fs::write(&path, "old").unwrap();
        write_atomically(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let names: Vec<String> = std::fs::read_dir(&directory)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["policy.json"]);
        // A directory that does not exist: an error, and nothing created.
        assert!(write_atomically(&directory.join("missing/policy.json"), b"x").is_err());
        std::fs::remove_dir_all(&directory).unwrap();
    }
}
