//! `iamlab fmt`: rewrites documents with canonical indentation and the provider's documented
//! key order (`iamlab_engine::authoring::format`, what the playground's Format button calls).
//! `--check` changes nothing: it prints a diff of each file that is not formatted and exits 1.

use crate::files::{print_then, read_text, usage_error};
use iamlab_cli::{output, render};
use iamlab_engine::authoring::format::format_document;
use iamlab_engine::DocumentRole;
use iamlab_model::Provider;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    #[arg(long, value_parser = crate::provider_parser())]
    provider: Provider,
    /// What the files are (as `validate --kind`): the key order of a request differs.
    #[arg(long, value_parser = crate::role_parser(), default_value = "policy")]
    kind: DocumentRole,
    /// Change nothing: print a diff of every file that is not formatted and exit 1.
    #[arg(long)]
    check: bool,
    /// Files to format (`-` reads standard input and writes the result to standard output).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// A unified diff of `before` and `after`, labelled with the file name.
fn unified_diff(name: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(name, &format!("{name} (formatted)"))
        .to_string()
}

pub fn run_fmt(args: &FmtArgs) -> ExitCode {
    if let Err(error) = iamlab_engine::check_role(args.provider, args.kind) {
        return usage_error(&error.to_string());
    }
    let mut text_out = String::new();
    let mut unformatted = 0;
    let mut unreadable = 0;
    for path in &args.files {
        let name = path.display().to_string();
        let text = match read_text(path) {
            Ok(text) => text,
            Err(message) => return usage_error(&message),
        };
        let formatted = match format_document(args.provider, args.kind, &text) {
            Ok(formatted) => formatted,
            Err(errors) => {
                unreadable += 1;
                let mut report = render::render_diagnostics(&name, &render::SourceText::new(&text), &errors);
                report.push_str(&format!("error: {name} is not formatted: it has JSON errors\n"));
                output::eprint_quietly(&report);
                continue;
            }
        };
        if name == "-" {
            if args.check {
                if formatted != text {
                    unformatted += 1;
                    text_out.push_str(&unified_diff("<stdin>", &text, &formatted));
                }
            } else {
                text_out.push_str(&formatted);
            }
            continue;
        }
        if formatted == text {
            continue;
        }
        unformatted += 1;
        if args.check {
            text_out.push_str(&unified_diff(&name, &text, &formatted));
        } else if let Err(error) = output::write_atomically(path, formatted.as_bytes()) {
            return usage_error(&format!("cannot write {name}: {error}"));
        } else {
            text_out.push_str(&format!("formatted {name}\n"));
        }
    }
    if args.check && unformatted > 0 {
        text_out.push_str(&format!("{unformatted} file(s) would be reformatted\n"));
    }
    let failed = unreadable > 0 || (args.check && unformatted > 0);
    print_then(&text_out, if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
