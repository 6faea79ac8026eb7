//! Exoscale: `GET /v2/iam-role` (every role, with its policy) and
//! `GET /v2/iam-organization-policy`, signed with `EXO2-HMAC-SHA256`
//! (`EXOSCALE_API_KEY`, `EXOSCALE_API_SECRET`).

use super::{credential, now, path_of, safe_file_name, Client, PullError, PulledDocument};
use iamlab_cli::signing::exoscale_authorization;
use iamlab_engine::DocumentRole;

/// How long a signature stays valid (egoscale's default).
const EXPIRY_SECONDS: u64 = 600;

pub fn pull(client: &Client, endpoint: Option<&str>, zone: Option<&str>) -> Result<Vec<PulledDocument>, PullError> {
    let key = credential("EXOSCALE_API_KEY")?;
    let secret = credential("EXOSCALE_API_SECRET")?;
    let zone = zone
        .map(str::to_owned)
        .or_else(|| std::env::var("EXOSCALE_ZONE").ok())
        .unwrap_or_else(|| "ch-gva-2".to_owned());
    let base = endpoint
        .map_or_else(|| format!("https://api-{zone}.exoscale.com/v2"), |url| url.trim_end_matches('/').to_owned());
    let get = |url: &str| {
        let path = path_of(url);
        client.json(url, &|http| {
            let authorization = exoscale_authorization(&key, &secret, "GET", &path, &[], "", now() + EXPIRY_SECONDS);
            http.get(url).header("Authorization", authorization)
        })
    };
    let mut documents = Vec::new();
    let roles_url = format!("{base}/iam-role");
    let roles = get(&roles_url)?;
    let list = roles
        .get("iam-roles")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| PullError::Api(format!("malformed answer from {roles_url}: no `iam-roles` list")))?;
    for role in list {
        let name = role.get("name").and_then(serde_json::Value::as_str).unwrap_or("");
        let id = role.get("id").and_then(serde_json::Value::as_str).unwrap_or("");
        let short_id = id.get(..8).unwrap_or(id);
        documents.push(PulledDocument {
            file_name: safe_file_name(&["role", name, short_id]),
            text: format!("{}\n", serde_json::to_string_pretty(role).unwrap_or_default()),
            role: DocumentRole::Policy,
        });
    }
    let organization_url = format!("{base}/iam-organization-policy");
    let organization = get(&organization_url)?;
    if !organization.is_object() {
        return Err(PullError::Api(format!("malformed answer from {organization_url}: not a policy object")));
    }
    documents.push(PulledDocument {
        file_name: "organization-policy.json".to_owned(),
        text: format!("{}\n", serde_json::to_string_pretty(&organization).unwrap_or_default()),
        role: DocumentRole::OrganizationPolicy,
    });
    Ok(documents)
}
