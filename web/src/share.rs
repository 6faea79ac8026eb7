//! Share links: `#share=<base64url of a small JSON object>` in the URL fragment, so that the
//! policy never reaches a server.

use iamlab_model::Provider;
use serde::{Deserialize, Serialize};

pub const FRAGMENT_PREFIX: &str = "#share=";

/// What a share link carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedDocument {
    pub provider: Provider,
    pub policy: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<String>,
    /// Exoscale: the organization policy the simulation used, when one was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_policy: Option<String>,
}

/// The fragment (with its `#`) that opens `document`.
pub fn encode_fragment(document: &SharedDocument) -> String {
    let json = serde_json::to_string(document).unwrap_or_default();
    format!("{FRAGMENT_PREFIX}{}", base64url_encode(json.as_bytes()))
}

/// Reads a URL fragment. `None` when it is not a share link at all (no `#share=`), otherwise the
/// document or a message saying, in words, why the link is broken.
pub fn decode_fragment(fragment: &str) -> Option<Result<SharedDocument, String>> {
    let payload = fragment.strip_prefix(FRAGMENT_PREFIX)?;
    Some(decode_payload(payload))
}

fn decode_payload(payload: &str) -> Result<SharedDocument, String> {
    const BROKEN: &str = "this share link is broken";
    let bytes = base64url_decode(payload.trim()).ok_or_else(|| {
        format!("{BROKEN} (it is not valid base64url; was it cut short?); your own text is unchanged")
    })?;
    let json = String::from_utf8(bytes)
        .map_err(|_| format!("{BROKEN} (it does not decode to text); your own text is unchanged"))?;
    serde_json::from_str(&json).map_err(|error| format!("{BROKEN} ({error}); your own text is unchanged"))
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
    fn documents_round_trip_through_the_fragment() {
        let document = SharedDocument {
            provider: Provider::Aws,
            policy: "{\"Statement\": [\"é😀\"]}".to_owned(),
            request: Some("{}".to_owned()),
            organization_policy: None,
        };
        let fragment = encode_fragment(&document);
        assert!(fragment.starts_with("#share="));
        assert_eq!(decode_fragment(&fragment), Some(Ok(document)));
    }

    #[test]
    fn broken_links_give_a_message() {
        assert_eq!(decode_fragment("#other"), None);
        for broken in ["#share=%%%", "#share=Zm9vYmFy", "#share=A", "#share=e30"] {
            let message = decode_fragment(broken).and_then(Result::err).unwrap_or_default();
            assert!(message.starts_with("this share link is broken"), "{broken}: {message}");
        }
    }
}
