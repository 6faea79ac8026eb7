//! `iamlab schema`: the JSON Schema (draft 2020-12) of a provider's documents of one role,
//! generated from the engine's types (`iamlab_engine::authoring::json_schema`), for editors
//! such as VS Code (`json.schemas`).

use crate::files::{print_then, usage_error};
use iamlab_engine::DocumentRole;
use iamlab_model::Provider;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    #[arg(long, value_parser = crate::provider_parser())]
    provider: Provider,
    /// Which documents (as `validate --kind`): the provider's `policy`, `organization`,
    /// `managed`, `inline`, or its `request`.
    #[arg(long, value_parser = crate::role_parser(), default_value = "policy")]
    kind: DocumentRole,
}

pub fn run_schema(args: &SchemaArgs) -> ExitCode {
    if let Err(error) = iamlab_engine::check_role(args.provider, args.kind) {
        return usage_error(&error.to_string());
    }
    match iamlab_engine::authoring::json_schema::json_schema(args.provider, args.kind) {
        Some(schema) => {
            print_then(&format!("{}\n", serde_json::to_string_pretty(&schema).unwrap_or_default()), ExitCode::SUCCESS)
        }
        None => usage_error(&format!("no schema for {} documents of {}", args.kind.display_name(), args.provider)),
    }
}
