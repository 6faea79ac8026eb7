//! Outscale EIM (`https://eim.<region>.outscale.com`, AWS-compatible query API, answers as the
//! EIM reference shows them, in JSON): `ListPolicies` + `GetPolicyVersion` of each default
//! version (managed policies), `ListUsers` + `ListUserPolicies` + `GetUserPolicy` and
//! `ListGroups` + `ListGroupPolicies` + `GetGroupPolicy` (inline policies), each a form POST
//! signed with AWS Signature V4 (`OSC_ACCESS_KEY`, `OSC_SECRET_KEY`, `OSC_REGION`, service
//! `eim`). Documents that come URL-encoded (as AWS IAM returns them) are decoded.

use super::{credential, host_of, now, path_of, safe_file_name, Client, PullError, PulledDocument};
use iamlab_cli::signing::{amz_date, sigv4_authorization, uri_encode, SigV4Credentials, SigV4Request};
use iamlab_engine::DocumentRole;
use serde_json::Value;

const MAX_PAGES: usize = 1000;

struct Eim<'a> {
    client: &'a Client,
    url: String,
    access_key: String,
    secret_key: String,
    region: String,
}

impl Eim<'_> {
    /// One EIM action with its parameters.
    fn call(&self, action: &str, parameters: &[(&str, &str)]) -> Result<Value, PullError> {
        let mut form: Vec<(&str, &str)> = vec![("Action", action), ("Version", "2010-05-08")];
        form.extend_from_slice(parameters);
        let body: String = form
            .iter()
            .map(|(name, value)| format!("{}={}", uri_encode(name), uri_encode(value)))
            .collect::<Vec<_>>()
            .join("&");
        let host = host_of(&self.url);
        let path = path_of(&self.url);
        let label = format!("{} ({action})", self.url);
        self.client.json(&label, &|http| {
            let date = amz_date(now());
            let content_type = "application/x-www-form-urlencoded; charset=utf-8";
            let request = SigV4Request {
                method: "POST",
                host: &host,
                path: &path,
                query: &[],
                headers: &[("content-type", content_type)],
                payload: body.as_bytes(),
                amz_date: &date,
            };
            let credentials = SigV4Credentials {
                access_key: &self.access_key,
                secret_key: &self.secret_key,
                region: &self.region,
                service: "eim",
            };
            http.post(&self.url)
                .header("Content-Type", content_type)
                .header("Accept", "application/json")
                .header("X-Amz-Date", &date)
                .header("Authorization", sigv4_authorization(&credentials, &request))
                .body(body.clone())
        })
    }

    /// Every item of the list `key` of `action`, following `IsTruncated`/`Marker`.
    fn all(&self, action: &str, parameters: &[(&str, &str)], key: &str) -> Result<Vec<Value>, PullError> {
        let mut items = Vec::new();
        let mut marker: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut with_marker = parameters.to_vec();
            if let Some(marker) = &marker {
                with_marker.push(("Marker", marker));
            }
            let answer = self.call(action, &with_marker)?;
            // `ListUserPolicies` nests its list in `ListUserPoliciesResult` in the reference.
            let list =
                answer.get(key).or_else(|| answer.get(format!("{action}Result")).and_then(|result| result.get(key)));
            match list {
                Some(Value::Array(batch)) => items.extend(batch.iter().cloned()),
                Some(Value::String(one)) => items.push(Value::String(one.clone())),
                Some(Value::Null) | None => {}
                Some(_) => {
                    return Err(PullError::Api(format!(
                        "malformed answer from {} ({action}): `{key}` is not a list",
                        self.url
                    )))
                }
            }
            match (answer.get("IsTruncated").and_then(Value::as_bool), answer.get("Marker").and_then(Value::as_str)) {
                (Some(true), Some(next)) if !next.is_empty() => marker = Some(next.to_owned()),
                _ => return Ok(items),
            }
        }
        Err(PullError::Api(format!("{} ({action}): more than {MAX_PAGES} pages", self.url)))
    }
}

fn text_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The document text: as given, or percent-decoded when it comes URL-encoded.
fn decode_document(text: &str) -> String {
    if text.trim_start().starts_with('{') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (byte, hex) {
            (b'%', Some(value)) => {
                decoded.push(value);
                index += 3;
            }
            (b'+', _) => {
                decoded.push(b' ');
                index += 1;
            }
            _ => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

pub fn pull(client: &Client, endpoint: Option<&str>) -> Result<Vec<PulledDocument>, PullError> {
    let access_key = credential("OSC_ACCESS_KEY")?;
    let secret_key = credential("OSC_SECRET_KEY")?;
    let region =
        std::env::var("OSC_REGION").ok().filter(|region| !region.is_empty()).unwrap_or_else(|| "eu-west-2".to_owned());
    let url = endpoint.map_or_else(|| format!("https://eim.{region}.outscale.com/"), str::to_owned);
    let eim = Eim { client, url, access_key, secret_key, region };
    let mut documents = Vec::new();
    for policy in eim.all("ListPolicies", &[], "Policies")? {
        let (arn, version, name) =
            (text_of(&policy, "Arn"), text_of(&policy, "DefaultVersionId"), text_of(&policy, "PolicyName"));
        let answer = eim.call("GetPolicyVersion", &[("PolicyArn", arn), ("VersionId", version)])?;
        let document = answer.pointer("/PolicyVersion/Document").and_then(Value::as_str).ok_or_else(|| {
            PullError::Api(format!("malformed answer from {} (GetPolicyVersion): no `PolicyVersion.Document`", eim.url))
        })?;
        documents.push(PulledDocument {
            file_name: safe_file_name(&["managed", name, version]),
            text: decode_document(document),
            role: DocumentRole::ManagedPolicy,
        });
    }
    for (list, list_key, name_key, policies, get, kind) in [
        ("ListUsers", "Users", "UserName", "ListUserPolicies", "GetUserPolicy", "user"),
        ("ListGroups", "Groups", "GroupName", "ListGroupPolicies", "GetGroupPolicy", "group"),
    ] {
        for principal in eim.all(list, &[], list_key)? {
            let principal_name = text_of(&principal, name_key);
            for policy_name in eim.all(policies, &[(name_key, principal_name)], "PolicyNames")? {
                let policy_name = policy_name.as_str().unwrap_or("");
                let answer = eim.call(get, &[(name_key, principal_name), ("PolicyName", policy_name)])?;
                let document = answer.get("PolicyDocument").and_then(Value::as_str).ok_or_else(|| {
                    PullError::Api(format!("malformed answer from {} ({get}): no `PolicyDocument`", eim.url))
                })?;
                documents.push(PulledDocument {
                    file_name: safe_file_name(&[kind, principal_name, policy_name]),
                    text: decode_document(document),
                    role: DocumentRole::InlinePolicy,
                });
            }
        }
    }
    Ok(documents)
}
