//! Scaleway: `GET /iam/v1alpha1/policies` and, for each policy, `GET /iam/v1alpha1/rules`,
//! with `X-Auth-Token: $SCW_SECRET_KEY`, following `page`/`total_count` pagination; each
//! policy is written with its rules (the document `validate --provider scaleway` reads).
//! `SCW_DEFAULT_ORGANIZATION_ID`, when set, limits the listing to that Organization.

use super::{credential, safe_file_name, Client, PullError, PulledDocument};
use iamlab_engine::DocumentRole;
use serde_json::Value;

/// Items per page (the API's maximum is 100).
const PAGE_SIZE: usize = 100;
/// A bound on pages, so that an API that never stops cannot keep the pull running.
const MAX_PAGES: usize = 1000;

/// Every item of a paginated list `key` at `url` (which has its other query parameters).
fn all_pages(
    client: &Client,
    token: &str,
    url: &str,
    query: &[(&str, String)],
    key: &str,
) -> Result<Vec<Value>, PullError> {
    let mut items = Vec::new();
    for page in 1..=MAX_PAGES {
        let mut parameters: Vec<(&str, String)> = query.to_vec();
        parameters.push(("page", page.to_string()));
        parameters.push(("page_size", PAGE_SIZE.to_string()));
        let answer = client.json(url, &|http| http.get(url).query(&parameters).header("X-Auth-Token", token))?;
        let batch = answer
            .get(key)
            .and_then(Value::as_array)
            .ok_or_else(|| PullError::Api(format!("malformed answer from {url}: no `{key}` list")))?;
        let total = answer.get("total_count").and_then(Value::as_u64).unwrap_or(0);
        items.extend(batch.iter().cloned());
        if batch.is_empty() || items.len() as u64 >= total {
            return Ok(items);
        }
    }
    Err(PullError::Api(format!("{url}: more than {MAX_PAGES} pages")))
}

pub fn pull(client: &Client, endpoint: Option<&str>) -> Result<Vec<PulledDocument>, PullError> {
    let token = credential("SCW_SECRET_KEY")?;
    let base = endpoint.unwrap_or("https://api.scaleway.com").trim_end_matches('/').to_owned();
    let mut query = Vec::new();
    if let Ok(organization) = std::env::var("SCW_DEFAULT_ORGANIZATION_ID") {
        query.push(("organization_id", organization));
    }
    let policies = all_pages(client, &token, &format!("{base}/iam/v1alpha1/policies"), &query, "policies")?;
    let mut documents = Vec::new();
    for mut policy in policies {
        let id = policy.get("id").and_then(Value::as_str).unwrap_or("").to_owned();
        let rules =
            all_pages(client, &token, &format!("{base}/iam/v1alpha1/rules"), &[("policy_id", id.clone())], "rules")?;
        if let Some(object) = policy.as_object_mut() {
            object.insert("rules".to_owned(), Value::Array(rules));
        }
        let name = policy.get("name").and_then(Value::as_str).unwrap_or("");
        documents.push(PulledDocument {
            file_name: safe_file_name(&["policy", name, id.get(..8).unwrap_or(&id)]),
            text: format!("{}\n", serde_json::to_string_pretty(&policy).unwrap_or_default()),
            role: DocumentRole::Policy,
        });
    }
    Ok(documents)
}
