//! `iamlab pull`: fetches the live policies of an account with `reqwest` (rustls, no OpenSSL)
//! and writes one file per document, ready for `validate`, `simulate` and `test`.
//!
//! Every document is fetched before any file is written, and each file is written atomically
//! (temporary file + rename), so a failure never leaves a partial file. 429 answers are retried
//! with a bounded exponential backoff (`Retry-After` when given); 401, 403, other 4xx, 5xx,
//! timeouts and malformed bodies stop the pull with a message naming the URL, never a
//! credential. Exit codes: 0 pulled; 1 the API failed; 2 usage errors (missing credentials)
//! or files that cannot be written.

mod exoscale;
mod outscale;
mod scaleway;

use crate::files::{print_then, usage_error};
use iamlab_cli::output;
use iamlab_engine::DocumentRole;
use iamlab_model::Provider;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct PullArgs {
    #[arg(long, value_parser = crate::provider_parser())]
    provider: Provider,
    /// The directory the documents are written to (created when missing).
    #[arg(long)]
    out: PathBuf,
    /// The API's base URL (default: the provider's public endpoint, e.g.
    /// `https://api-ch-gva-2.exoscale.com/v2`, `https://api.scaleway.com`,
    /// `https://eim.eu-west-2.outscale.com`).
    #[arg(long)]
    endpoint: Option<String>,
    /// Exoscale: the zone of the default endpoint (default `EXOSCALE_ZONE`, then `ch-gva-2`).
    #[arg(long)]
    zone: Option<String>,
    /// Seconds before a request is abandoned.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
}

/// One document to write: its file name in `--out` and its text.
pub struct PulledDocument {
    pub file_name: String,
    pub text: String,
    /// How `validate --kind` and `fmt` should read it.
    pub role: DocumentRole,
}

/// Why a pull stopped.
#[derive(Debug)]
pub enum PullError {
    /// Missing or unusable configuration (exit 2).
    Usage(String),
    /// The API failed (exit 1).
    Api(String),
}

/// A required environment variable (a credential): its value is never printed.
fn credential(name: &str) -> Result<String, PullError> {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => Ok(value),
        _ => Err(PullError::Usage(format!("{name} is not set"))),
    }
}

/// A blocking HTTP client with the pull's retry policy.
pub struct Client {
    http: reqwest::blocking::Client,
}

/// How many times a 429 is retried before the pull gives up.
const MAX_RETRIES: u32 = 4;
/// The longest wait between two attempts, whatever `Retry-After` asks.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

impl Client {
    fn new(timeout: Duration) -> Result<Client, PullError> {
        reqwest::blocking::Client::builder()
            .timeout(timeout)
            .user_agent(concat!("iamlab/", env!("CARGO_PKG_VERSION")))
            .build()
            .map(|http| Client { http })
            .map_err(|error| PullError::Usage(format!("cannot start the HTTP client: {error}")))
    }

    /// Sends the request `build` makes (called again for each attempt, so that signatures carry
    /// a fresh date) and parses the JSON answer.
    pub fn json(
        &self,
        url: &str,
        build: &dyn Fn(&reqwest::blocking::Client) -> reqwest::blocking::RequestBuilder,
    ) -> Result<serde_json::Value, PullError> {
        let mut attempt = 0;
        loop {
            let response = build(&self.http).send().map_err(|error| {
                let kind = if error.is_timeout() { "timed out" } else { "failed" };
                // reqwest's message names the URL, never a header.
                PullError::Api(format!("request to {url} {kind}: {}", error.without_url()))
            })?;
            let status = response.status();
            if status.as_u16() == 429 && attempt < MAX_RETRIES {
                let wait = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|value| value.to_str().ok())
                    .and_then(|value| value.trim().parse::<u64>().ok())
                    .map_or(Duration::from_millis(500 << attempt), Duration::from_secs);
                std::thread::sleep(wait.min(MAX_BACKOFF));
                attempt += 1;
                continue;
            }
            let body = response.text().map_err(|error| {
                PullError::Api(format!("reading the answer of {url} failed: {}", error.without_url()))
            })?;
            if !status.is_success() {
                let hint = match status.as_u16() {
                    401 => ": the credentials were refused",
                    403 => ": the credentials do not allow this call",
                    429 => ": rate limited, retried too often",
                    500..=599 => ": the API failed",
                    _ => "",
                };
                let excerpt: String = body.chars().take(200).collect();
                return Err(PullError::Api(format!("{url} answered {status}{hint}: {}", excerpt.trim())));
            }
            return serde_json::from_str(&body)
                .map_err(|error| PullError::Api(format!("malformed answer from {url}: not JSON ({error})")));
        }
    }
}

/// A file name made of the characters every file system takes.
pub fn safe_file_name(parts: &[&str]) -> String {
    let name: String = parts
        .iter()
        .filter(|part| !part.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("-")
        .chars()
        .map(|ch| if ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.') { ch } else { '_' })
        .collect();
    format!("{}.json", name.trim_start_matches('.'))
}

pub fn run_pull(args: &PullArgs) -> ExitCode {
    let client = match Client::new(Duration::from_secs(args.timeout.max(1))) {
        Ok(client) => client,
        Err(PullError::Usage(message) | PullError::Api(message)) => return usage_error(&message),
    };
    let pulled = match args.provider {
        Provider::Exoscale => exoscale::pull(&client, args.endpoint.as_deref(), args.zone.as_deref()),
        Provider::Scaleway => scaleway::pull(&client, args.endpoint.as_deref()),
        Provider::Outscale | Provider::Aws => outscale::pull(&client, args.endpoint.as_deref()),
    };
    let documents = match pulled {
        Ok(documents) => documents,
        Err(PullError::Usage(message)) => return usage_error(&message),
        Err(PullError::Api(message)) => {
            output::eprint_quietly(&format!("error: {message}\nerror: nothing was written\n"));
            return ExitCode::from(1);
        }
    };
    if let Err(error) = std::fs::create_dir_all(&args.out) {
        return usage_error(&format!("cannot create {}: {error}", args.out.display()));
    }
    let mut report = String::new();
    for document in &documents {
        // The canonical form, as `iamlab fmt` writes it, when the document reads.
        let text = iamlab_engine::authoring::format::format_document(args.provider, document.role, &document.text)
            .unwrap_or_else(|_| document.text.clone());
        let path = args.out.join(&document.file_name);
        if let Err(error) = output::write_atomically(&path, text.as_bytes()) {
            return usage_error(&format!("cannot write {}: {error}", path.display()));
        }
        report.push_str(&format!("wrote {} ({})\n", path.display(), document.role.display_name()));
    }
    report.push_str(&format!("{} document(s) pulled\n", documents.len()));
    print_then(&report, ExitCode::SUCCESS)
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs())
}

/// The host (and port) of a base URL, for signatures.
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split('/').next().unwrap_or("").to_owned()
}

/// The path of a URL (`/v2/iam-role`).
pub fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = rest.find('/').map_or("/", |at| rest.get(at..).unwrap_or("/"));
    path.split('?').next().unwrap_or("/").to_owned()
}
