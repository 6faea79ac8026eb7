//! `cargo xtask tidy`: the repository's own rules, checked (rust-analyzer's `tidy.rs` idea).
//!
//! 1. Every provider has a semantics document, and every diagnostic code its engine registers
//!    (`iamlab_engine::codes`), and every shared request code, is written in the documents.
//! 2. Every code written as a string literal in the model, CEL and engine sources is documented
//!    (JSON codes in `docs/semantics/json.md`, CEL codes in `crates/iamlab-cel/DIALECTS.md`,
//!    provider codes in the provider's document), the engine's literals are all registered, and
//!    no code is built at run time with `format!`.
//! 3. No source module has more than 800 lines of non-test code.
//! 4. No public item of the model crate is unused outside the file that defines it.
//! 5. The crates that end up in the wasm sort only through `iamlab_model::order` (each
//!    `slice::sort*` call is one more copy of the standard sort in the bundle), and they do not
//!    `collect` into a B-tree map or set where the binding's type says so (it sorts first).
//! 6. The committed AWS action catalogue is what `cargo xtask aws-catalog` generates, when its
//!    pinned npm package is installed already.
//!
//! Each problem is printed with its file; the command fails when there is any.

use iamlab_engine::RequestCode;
use iamlab_model::Provider;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Modules longer than this (non-test lines) should be split by phase or topic.
const MAX_MODULE_LINES: usize = 800;

pub fn run(root: &Path) -> Result<(), String> {
    let mut problems = Vec::new();
    check_codes(root, &mut problems);
    check_module_sizes(root, &mut problems);
    check_model_public_items(root, &mut problems);
    check_sorts(root, &mut problems);
    check_aws_catalog(root, &mut problems);
    if problems.is_empty() {
        println!("tidy: every rule holds");
        Ok(())
    } else {
        for problem in &problems {
            eprintln!("tidy: {problem}");
        }
        Err(format!("{} tidy problem(s)", problems.len()))
    }
}

/// The committed AWS action catalogue is what its generator makes of the pinned package, checked
/// only when the package is already installed (`cargo xtask aws-catalog` installs it): tidy never
/// downloads.
fn check_aws_catalog(root: &Path, problems: &mut Vec<String>) {
    let Some(data) = crate::aws_catalog::installed_data(root) else {
        println!(
            "tidy: {} not checked against its generator (npm package not in target/aws-catalog; `cargo xtask aws-catalog --check` installs and checks it)",
            crate::aws_catalog::OUTPUT
        );
        return;
    };
    let result = crate::aws_catalog::generate(&data)
        .and_then(|generated| crate::aws_catalog::compare(&root.join(crate::aws_catalog::OUTPUT), &generated.text));
    if let Err(problem) = result {
        problems.push(problem);
    }
}

/// The document that explains the codes of namespace `prefix` (`aws` of `aws::invalid-arn`).
fn document_for(root: &Path, prefix: &str) -> PathBuf {
    match prefix {
        "cel" => root.join("crates/iamlab-cel/DIALECTS.md"),
        "json" | "request" | "pipeline" => root.join("docs/semantics/common.md"),
        provider => root.join(format!("docs/semantics/{provider}.md")),
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn check_codes(root: &Path, problems: &mut Vec<String>) {
    for provider in Provider::ALL {
        let document = root.join(format!("docs/semantics/{}.md", provider.as_str()));
        if !document.is_file() {
            problems.push(format!("{provider} has no semantics document ({})", display(root, &document)));
        }
        let codes = iamlab_engine::codes(provider);
        if codes.is_empty() {
            problems.push(format!("the {provider} engine registers no diagnostic codes (`ProviderEngine::codes`)"));
        }
    }
    let mut registered: BTreeSet<&str> = BTreeSet::new();
    for provider in Provider::ALL {
        registered.extend(iamlab_engine::codes(provider).iter().map(|info| info.code));
    }
    registered.extend(RequestCode::ALL.map(RequestCode::as_str));
    registered.extend(iamlab_engine::pipeline::PIPELINE_CODES.iter().map(|info| info.code));
    let mut literals: BTreeSet<(String, PathBuf)> = BTreeSet::new();
    for crate_dir in ["crates/iamlab-model/src", "crates/iamlab-cel/src", "crates/iamlab-engine/src"] {
        for file in rust_files(&root.join(crate_dir)) {
            if is_test_file(root, &file) {
                continue;
            }
            let text = read(&file);
            let code_part = non_test_part(&text);
            for (line_number, line) in code_part.lines().enumerate() {
                if builds_code_at_run_time(line) {
                    problems.push(format!(
                        "{}:{}: a diagnostic code is built at run time with format!: make it a variant",
                        display(root, &file),
                        line_number + 1
                    ));
                }
                for code in code_literals(line) {
                    literals.insert((code.to_owned(), file.clone()));
                }
            }
        }
    }
    let mut documented_cache: Vec<(PathBuf, String)> = Vec::new();
    let mut is_documented = |code: &str| {
        let prefix = code.split("::").next().unwrap_or("");
        let document = document_for(root, prefix);
        if !documented_cache.iter().any(|(path, _)| *path == document) {
            documented_cache.push((document.clone(), read(&document)));
        }
        documented_cache.iter().find(|(path, _)| *path == document).is_some_and(|(_, text)| text.contains(code))
    };
    for code in &registered {
        if !is_documented(code) {
            let prefix = code.split("::").next().unwrap_or("");
            problems.push(format!("`{code}` is not documented in {}", display(root, &document_for(root, prefix))));
        }
    }
    for (code, file) in &literals {
        let prefix = code.split("::").next().unwrap_or("");
        let in_engine = file.starts_with(root.join("crates/iamlab-engine"));
        if in_engine && !registered.contains(code.as_str()) && !matches!(prefix, "json" | "cel" | "test") {
            problems.push(format!("{}: `{code}` is not in its provider's code registry", display(root, file)));
        }
        if prefix != "test" && !registered.contains(code.as_str()) && !is_documented(code) {
            problems.push(format!(
                "{}: `{code}` is not documented in {}",
                display(root, file),
                display(root, &document_for(root, prefix))
            ));
        }
    }
}

/// Whether the line formats a string that starts like a code (`format!("aws::{…}")`).
fn builds_code_at_run_time(line: &str) -> bool {
    line.split("format!(\"")
        .skip(1)
        .any(|rest| rest.split_once("::").is_some_and(|(prefix, _)| NAMESPACES.contains(&prefix)))
}

/// The namespaces of diagnostic codes.
const NAMESPACES: [&str; 9] = ["json", "cel", "request", "pipeline", "exoscale", "scaleway", "outscale", "aws", "test"];

/// The `"namespace::kebab-name"` literals of a line.
fn code_literals(line: &str) -> impl Iterator<Item = &str> {
    line.split('"').skip(1).step_by(2).filter(|candidate| is_code(candidate))
}

fn is_code(candidate: &str) -> bool {
    let Some((prefix, name)) = candidate.split_once("::") else {
        return false;
    };
    NAMESPACES.contains(&prefix)
        && !name.is_empty()
        && name.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
}

/// The text before the first `#[cfg(test)]` line: test modules sit at the end of a file here.
fn non_test_part(text: &str) -> &str {
    match text.find("\n#[cfg(test)]") {
        Some(at) => text.get(..at).unwrap_or(text),
        None => text,
    }
}

fn check_module_sizes(root: &Path, problems: &mut Vec<String>) {
    for directory in ["crates", "web/src", "xtask/src"] {
        for file in rust_files(&root.join(directory)) {
            let path = display(root, &file);
            if is_test_file(root, &file) {
                continue;
            }
            let lines = non_test_part(&read(&file)).lines().count();
            if lines > MAX_MODULE_LINES {
                problems.push(format!("{path}: {lines} lines of non-test code (at most {MAX_MODULE_LINES}): split it"));
            }
        }
    }
}

fn check_model_public_items(root: &Path, problems: &mut Vec<String>) {
    let model = root.join("crates/iamlab-model/src");
    let mut users: Vec<(PathBuf, String)> = Vec::new();
    for directory in ["crates", "web/src", "tests", "xtask/src", "fuzz/fuzz_targets"] {
        for file in rust_files(&root.join(directory)) {
            users.push((file.clone(), read(&file)));
        }
    }
    for file in rust_files(&model) {
        let text = read(&file);
        for name in public_items(non_test_part(&text)) {
            let used_elsewhere = users.iter().any(|(path, other)| *path != file && mentions(other, &name));
            // A method is also "used" by a sibling in its own file's non-test code, but a public
            // item only the defining file uses should not be public.
            if !used_elsewhere {
                problems.push(format!(
                    "{}: public `{name}` is used nowhere else: make it private or remove it",
                    display(root, &file)
                ));
            }
        }
    }
}

/// Names of `pub fn`, `pub struct`, `pub enum`, `pub const` and `pub trait` items.
fn public_items(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        for keyword in ["pub fn ", "pub struct ", "pub enum ", "pub const ", "pub trait "] {
            if let Some(rest) = trimmed.strip_prefix(keyword) {
                let name: String = rest.chars().take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '_').collect();
                if !name.is_empty() {
                    names.push(name);
                }
            }
        }
    }
    names
}

/// Whether `text` mentions `name` as a whole identifier.
fn mentions(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(at, _)| {
        let before = text.get(..at).and_then(|part| part.chars().next_back());
        let after = text.get(at + name.len()..).and_then(|part| part.chars().next());
        let boundary = |ch: Option<char>| ch.is_none_or(|ch| !(ch.is_ascii_alphanumeric() || ch == '_'));
        boundary(before) && boundary(after)
    })
}

/// The standard sort calls that `iamlab_model::order` replaces in the wasm's crates.
const SORT_CALLS: &[&str] =
    &[".sort()", ".sort_by(", ".sort_by_key(", ".sort_unstable", ".sort_by_cached_key(", "BTreeMap::from(["];

fn check_sorts(root: &Path, problems: &mut Vec<String>) {
    let order = root.join("crates/iamlab-model/src/order.rs");
    for directory in ["crates/iamlab-model/src", "crates/iamlab-cel/src", "crates/iamlab-engine/src", "web/src"] {
        for file in rust_files(&root.join(directory)) {
            if file == order || is_test_file(root, &file) {
                continue;
            }
            let source = read(&file);
            let text = non_test_part(&source);
            for (line_number, line) in text.lines().enumerate() {
                if let Some(call) = SORT_CALLS.iter().find(|call| line.contains(**call)) {
                    problems.push(format!(
                        "{}:{}: `{call}` adds a copy of the standard sort to the wasm: use iamlab_model::order",
                        display(root, &file),
                        line_number + 1
                    ));
                }
            }
            // `collect` into a B-tree map or set sorts the items first (one more copy of the
            // standard sort per item type); the statements whose binding names the type are
            // found here, a function's tail expression is not.
            let mut line_number = 1;
            for statement in text.split_inclusive(';') {
                if let Some(at) = btree_collect_offset(statement) {
                    let line = line_number + statement.get(..at).map_or(0, |before| before.matches('\n').count());
                    problems.push(format!(
                        "{}:{line}: `collect` into a B-tree map or set adds a copy of the standard sort to the wasm: insert in a loop or use iamlab_model::order::map_from_pairs",
                        display(root, &file),
                    ));
                }
                line_number += statement.matches('\n').count();
            }
        }
    }
}

/// Where `statement` collects into a `BTreeMap` or `BTreeSet` named in its binding's type or in
/// a turbofish: the byte offset of the binding or of the turbofish.
fn btree_collect_offset(statement: &str) -> Option<usize> {
    if !statement.contains(".collect") {
        return None;
    }
    if let Some(at) = statement.find("collect::<BTree").or_else(|| statement.find("collect::<std::collections::BTree"))
    {
        return Some(at);
    }
    // A chunk between semicolons may start with the braces of the blocks around the binding.
    let at = statement.rfind("let ")?;
    let (pattern, _) = statement.get(at + 4..)?.split_once('=')?;
    let (_, annotation) = pattern.split_once(':')?;
    let annotation = annotation.trim_start().trim_start_matches("std::collections::");
    (annotation.starts_with("BTreeMap<") || annotation.starts_with("BTreeSet<")).then_some(at)
}

/// Test modules, benches and test binaries are not product code.
fn is_test_file(root: &Path, file: &Path) -> bool {
    let path = display(root, file);
    path.contains("/tests/") || path.contains("/benches/") || path.ends_with("/tests.rs")
}

fn rust_files(directory: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![directory.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|name| name == "target") {
                    continue;
                }
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn display(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_literals_are_found_and_others_are_not() {
        let line = r#"Diagnostic::error("aws::invalid-arn", "see std::fmt") + "cel::too-deep" + "Foo::Bar""#;
        let codes: Vec<&str> = code_literals(line).collect();
        assert_eq!(codes, vec!["aws::invalid-arn", "cel::too-deep"]);
    }

    #[test]
    fn codes_built_with_format_are_found() {
        assert!(builds_code_at_run_time(r#"let code = format!("aws::missing-{}", name);"#));
        assert!(!builds_code_at_run_time(r#"format!("{}::{}", a, b)"#));
        assert!(!builds_code_at_run_time(r#"format!("see std::fmt")"#));
    }

    #[test]
    fn public_items_and_mentions() {
        let items = public_items("pub fn closest(x: u8) {}\n    pub struct Span {\npub(crate) fn hidden() {}");
        assert_eq!(items, vec!["closest".to_owned(), "Span".to_owned()]);
        assert!(mentions("use iamlab_model::Span;", "Span"));
        assert!(!mentions("let spanned = 1;", "Span"));
        assert!(!mentions("SpanSet", "Span"));
    }

    #[test]
    fn test_modules_do_not_count() {
        assert_eq!(non_test_part("a\nb\n#[cfg(test)]\nmod tests {}\n").lines().count(), 2);
    }
}
