//! What every command does with its input files and usage errors.

use iamlab_cli::output;
use iamlab_engine::{DocumentId, DocumentRole, Options, Source};
use iamlab_model::Provider;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A file's name as shown in messages, its text, and the role it plays.
pub struct SourceFile {
    pub name: String,
    pub text: String,
    pub role: DocumentRole,
}

impl SourceFile {
    /// The engine's view of the file: its index among the files of the command is its id.
    pub fn source(&self, index: usize) -> Source<'_> {
        Source { id: DocumentId(u32::try_from(index).unwrap_or(u32::MAX)), role: self.role, text: &self.text }
    }
}

/// Reads a file (`-` is standard input) as UTF-8 text.
pub fn read_text(path: &Path) -> Result<String, String> {
    let name = path.display().to_string();
    let bytes = if name == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
            .map_err(|error| format!("cannot read standard input: {error}"))?;
        bytes
    } else {
        std::fs::read(path).map_err(|error| format!("cannot read {name}: {error}"))?
    };
    String::from_utf8(bytes).map_err(|error| {
        format!("cannot read {name}: not UTF-8 text (invalid byte at offset {})", error.utf8_error().valid_up_to())
    })
}

pub fn read_source(path: &Path, role: DocumentRole) -> Result<SourceFile, String> {
    Ok(SourceFile { name: path.display().to_string(), text: read_text(path)?, role })
}

pub fn usage_error(message: &str) -> ExitCode {
    output::eprint_quietly(&format!("error: {message}\n"));
    ExitCode::from(2)
}

/// Prints `text`, then exits with `code` (2 when standard output failed for another reason
/// than a closed pipe).
pub fn print_then(text: &str, code: ExitCode) -> ExitCode {
    match output::print(text) {
        Ok(()) => code,
        Err(_) => ExitCode::from(2),
    }
}

/// The providers that know `role`, for "--org-policy applies to --provider exoscale only".
pub fn providers_with_role(role: DocumentRole) -> String {
    let names: Vec<&str> = Provider::ALL
        .into_iter()
        .filter(|provider| iamlab_engine::check_role(*provider, role).is_ok())
        .map(Provider::as_str)
        .collect();
    names.join(" or --provider ")
}

/// The providers that have the yes/no option `flag`, for "--owner applies to … only".
pub fn providers_with_flag(flag: &str) -> String {
    let names: Vec<&str> = Provider::ALL
        .into_iter()
        .filter(|provider| iamlab_engine::option_flags(*provider).contains(&flag))
        .map(Provider::as_str)
        .collect();
    names.join(" or --provider ")
}

/// The documents and options of a simulation (`simulate`, `test`): the policies, the optional
/// organization policy and `--owner`, checked against what the provider has.
pub struct SimulationInputs {
    pub options: Options,
    pub files: Vec<SourceFile>,
}

pub fn simulation_inputs(
    provider: Provider,
    policies: &[PathBuf],
    org_policy: Option<&Path>,
    owner: bool,
) -> Result<SimulationInputs, String> {
    let mut options = Options::for_provider(provider);
    if org_policy.is_some() && iamlab_engine::check_role(provider, DocumentRole::OrganizationPolicy).is_err() {
        let others = providers_with_role(DocumentRole::OrganizationPolicy);
        return Err(format!("--org-policy applies to --provider {others} only"));
    }
    if owner && options.set_flag("owner").is_err() {
        return Err(format!("--owner applies to --provider {} only", providers_with_flag("owner")));
    }
    let mut files = Vec::new();
    for path in policies {
        files.push(read_source(path, DocumentRole::Policy)?);
    }
    if let Some(path) = org_policy {
        files.push(read_source(path, DocumentRole::OrganizationPolicy)?);
    }
    Ok(SimulationInputs { options, files })
}
