//! Share links: `#share=<base64url of a small JSON object>` in the URL fragment, so that the
//! policy never reaches a server.
//!
//! Links are written as `{ "provider", "documents": { <role key>: text }, "flags": [..] }`, the
//! documents keyed by the engine's role keys, so that any provider's workspace fits. Links of
//! the first version (`{ "provider", "policy", "request", "organization_policy" }`) still open:
//! they are read into the same [`SharedWorkspace`].

use iamlab_engine::DocumentRole;
use iamlab_model::Provider;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const FRAGMENT_PREFIX: &str = "#share=";

/// What a share link carries: the engine profile, the documents the simulation read, by role,
/// and the yes/no options that were on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedWorkspace {
    pub provider: Provider,
    pub documents: Vec<(DocumentRole, String)>,
    pub flags: Vec<String>,
}

/// The link format written since documents travel by role.
#[derive(Serialize, Deserialize)]
struct LinkV2 {
    provider: Provider,
    documents: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    flags: Vec<String>,
}

/// The first link format: one field per document the playground had then.
#[derive(Deserialize)]
struct LinkV1 {
    provider: Provider,
    policy: String,
    #[serde(default)]
    request: Option<String>,
    /// Exoscale: the organization policy the simulation used, when one was.
    #[serde(default)]
    organization_policy: Option<String>,
}

impl From<LinkV1> for SharedWorkspace {
    fn from(link: LinkV1) -> SharedWorkspace {
        let documents = [
            (DocumentRole::Policy, Some(link.policy)),
            (DocumentRole::Request, link.request),
            (DocumentRole::OrganizationPolicy, link.organization_policy),
        ];
        SharedWorkspace {
            provider: link.provider,
            documents: documents.into_iter().filter_map(|(role, text)| Some((role, text?))).collect(),
            flags: Vec::new(),
        }
    }
}

impl TryFrom<LinkV2> for SharedWorkspace {
    type Error = String;

    fn try_from(link: LinkV2) -> Result<SharedWorkspace, String> {
        let mut documents = Vec::with_capacity(link.documents.len());
        for (key, text) in link.documents {
            let role = DocumentRole::from_key(&key).ok_or_else(|| format!("`{key}` is not a document role"))?;
            iamlab_engine::check_role(link.provider, role).map_err(|error| error.to_string())?;
            documents.push((role, text));
        }
        Ok(SharedWorkspace { provider: link.provider, documents, flags: link.flags })
    }
}

/// The fragment (with its `#`) that opens `shared`.
pub fn encode_fragment(shared: &SharedWorkspace) -> String {
    let link = LinkV2 {
        provider: shared.provider,
        documents: shared.documents.iter().map(|(role, text)| (role.as_str().to_owned(), text.clone())).collect(),
        flags: shared.flags.clone(),
    };
    let json = serde_json::to_string(&link).unwrap_or_default();
    format!("{FRAGMENT_PREFIX}{}", base64url_encode(json.as_bytes()))
}

/// Reads a URL fragment. `None` when it is not a share link at all (no `#share=`), otherwise the
/// workspace or a message saying, in words, why the link is broken.
pub fn decode_fragment(fragment: &str) -> Option<Result<SharedWorkspace, String>> {
    let payload = fragment.strip_prefix(FRAGMENT_PREFIX)?;
    Some(decode_payload(payload))
}

fn decode_payload(payload: &str) -> Result<SharedWorkspace, String> {
    let broken = |why: String| format!("this share link is broken ({why}); your own text is unchanged");
    let bytes = base64url_decode(payload.trim())
        .ok_or_else(|| broken("it is not valid base64url; was it cut short?".to_owned()))?;
    let json = String::from_utf8(bytes).map_err(|_| broken("it does not decode to text".to_owned()))?;
    let value: serde_json::Value = serde_json::from_str(&json).map_err(|error| broken(error.to_string()))?;
    // Only links of the current format have `documents`; any other object is read as a link of
    // the first format, whose errors then name its fields.
    if value.get("documents").is_some() {
        let link: LinkV2 = serde_json::from_value(value).map_err(|error| broken(error.to_string()))?;
        SharedWorkspace::try_from(link).map_err(broken)
    } else {
        let link: LinkV1 = serde_json::from_value(value).map_err(|error| broken(error.to_string()))?;
        Ok(SharedWorkspace::from(link))
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url (RFC 4648 §5) without padding. Written out here because it is twenty lines and
/// the browser's `btoa` works on Latin-1 strings only.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b0 = chunk.first().copied().unwrap_or(0);
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let n = (u32::from(b0) << 16) | (u32::from(b1) << 8) | u32::from(b2);
        let symbols = chunk.len() + 1;
        for index in 0..symbols {
            let sextet = (n >> (18 - 6 * index)) & 0x3f;
            out.push(char::from(ALPHABET.get(sextet as usize).copied().unwrap_or(b'A')));
        }
    }
    out
}

/// Decodes base64url; padding is accepted, as is the standard alphabet's `+` and `/`.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0u32;
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_rfc_4648_test_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url_encode(plain.as_bytes()), encoded);
            assert_eq!(base64url_decode(encoded).as_deref(), Some(plain.as_bytes()));
        }
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("-_8"), Some(vec![0xfb, 0xff]));
    }

    #[test]
    fn workspaces_round_trip_through_the_fragment() {
        let shared = SharedWorkspace {
            provider: Provider::Scaleway,
            documents: vec![
                (DocumentRole::Policy, "{\"rules\": [\"é😀\"]}".to_owned()),
                (DocumentRole::Request, "{}".to_owned()),
            ],
            flags: vec!["owner".to_owned()],
        };
        let fragment = encode_fragment(&shared);
        assert!(fragment.starts_with("#share="));
        assert_eq!(decode_fragment(&fragment), Some(Ok(shared)));
    }

    fn check_v1(json: &str, expected: SharedWorkspace) {
        let fragment = format!("{FRAGMENT_PREFIX}{}", base64url_encode(json.as_bytes()));
        assert_eq!(decode_fragment(&fragment), Some(Ok(expected)), "{json}");
    }

    #[test]
    fn links_of_the_first_version_still_open() {
        check_v1(
            r#"{"provider":"aws","policy":"{\"Statement\": [\"é😀\"]}","request":"{}"}"#,
            SharedWorkspace {
                provider: Provider::Aws,
                documents: vec![
                    (DocumentRole::Policy, "{\"Statement\": [\"é😀\"]}".to_owned()),
                    (DocumentRole::Request, "{}".to_owned()),
                ],
                flags: Vec::new(),
            },
        );
        check_v1(
            r#"{"provider":"exoscale","policy":"p","request":"r","organization_policy":"o"}"#,
            SharedWorkspace {
                provider: Provider::Exoscale,
                documents: vec![
                    (DocumentRole::Policy, "p".to_owned()),
                    (DocumentRole::Request, "r".to_owned()),
                    (DocumentRole::OrganizationPolicy, "o".to_owned()),
                ],
                flags: Vec::new(),
            },
        );
        // The request was optional in the first version.
        check_v1(
            r#"{"provider":"scaleway","policy":"p"}"#,
            SharedWorkspace {
                provider: Provider::Scaleway,
                documents: vec![(DocumentRole::Policy, "p".to_owned())],
                flags: Vec::new(),
            },
        );
    }

    #[test]
    fn a_link_made_by_the_first_version_opens() {
        // What the first version's encoder wrote for the Outscale tab in its AWS profile (its
        // struct's field order, no padding): `{"provider":"aws","policy":"{\"Statement\": []}",
        // "request":"{}"}`.
        let fragment = "#share=eyJwcm92aWRlciI6ImF3cyIsInBvbGljeSI6IntcIlN0YXRlbWVudFwiOiBbXX0iLCJyZXF1ZXN0Ijoie30ifQ";
        let expected = SharedWorkspace {
            provider: Provider::Aws,
            documents: vec![
                (DocumentRole::Policy, "{\"Statement\": []}".to_owned()),
                (DocumentRole::Request, "{}".to_owned()),
            ],
            flags: Vec::new(),
        };
        assert_eq!(decode_fragment(fragment), Some(Ok(expected)));
    }

    #[test]
    fn broken_links_give_a_message() {
        assert_eq!(decode_fragment("#other"), None);
        let documents_of = |json: &str| format!("{FRAGMENT_PREFIX}{}", base64url_encode(json.as_bytes()));
        let broken = [
            "#share=%%%".to_owned(),
            "#share=Zm9vYmFy".to_owned(),
            "#share=A".to_owned(),
            "#share=e30".to_owned(),
            documents_of(r#"{"provider":"exoscale","documents":{"nonsense":"x"}}"#),
            documents_of(r#"{"provider":"aws","documents":{"organization":"x"}}"#),
            documents_of(r#"{"provider":"aws","documents":[]}"#),
            documents_of(r#"{"provider":"gcp","policy":"x"}"#),
        ];
        for fragment in broken {
            let message = decode_fragment(&fragment).and_then(Result::err).unwrap_or_default();
            assert!(message.starts_with("this share link is broken"), "{fragment}: {message}");
            assert!(message.ends_with("your own text is unchanged"), "{fragment}: {message}");
        }
    }
}
