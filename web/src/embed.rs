//! The embed route: `index.html?embed` renders one compact workspace for an `<iframe>` in a
//! documentation page, from the same app and the same wasm as the playground. A second HTML
//! page would need a second Trunk build (Trunk builds one `target`) or a copy that loads the
//! same hashed files under another name; a query parameter needs neither, and the service
//! worker caches one page for both.
//!
//! Parameters (all optional but `embed`): `provider` (`exoscale|scaleway|outscale|aws`, the
//! example shown when no share link comes with it), `readonly` (the documents cannot be
//! edited), `height` (the policy editor's height in CSS pixels), `theme` (`light|dark`), and
//! `origin` (the embedding page's origin, the only one the page's height is posted to; the
//! loader `iamlab-embed.js` sets it). The documents come in the fragment, as a share link.

use iamlab_model::Provider;

/// The smallest and largest editor heights an embed accepts, in CSS pixels.
const HEIGHT_RANGE: (u32, u32) = (80, 2000);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EmbedParams {
    pub provider: Option<Provider>,
    pub readonly: bool,
    pub height: Option<u32>,
    pub theme: Option<Theme>,
    /// `scheme://host[:port]` of the page embedding this one.
    pub parent_origin: Option<String>,
}

/// Reads `location.search` (with or without its `?`). `None` when the page is not an embed;
/// parameters with values it does not understand are left at their defaults.
pub fn parse_query(search: &str) -> Option<EmbedParams> {
    let mut embed = false;
    let mut params = EmbedParams::default();
    for pair in search.trim_start_matches('?').split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(value);
        match key {
            "embed" => embed = true,
            "provider" => params.provider = Provider::ALL.into_iter().find(|provider| provider.as_str() == value),
            "readonly" => params.readonly = !matches!(value.as_str(), "0" | "false" | "no"),
            "height" => {
                params.height = value.parse::<u32>().ok().map(|height| height.clamp(HEIGHT_RANGE.0, HEIGHT_RANGE.1));
            }
            "theme" => {
                params.theme = match value.as_str() {
                    "light" => Some(Theme::Light),
                    "dark" => Some(Theme::Dark),
                    _ => None,
                }
            }
            "origin" => params.parent_origin = is_origin(&value).then_some(value),
            _ => {}
        }
    }
    embed.then_some(params)
}

/// Whether `text` is an origin a message can be posted to: `http(s)://host[:port]`, nothing
/// after it. `*` is refused: the height would go to whichever page framed this one.
fn is_origin(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://")) else {
        return false;
    };
    !rest.is_empty()
        && rest.bytes().all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b':' | b'[' | b']'))
}

/// `%XX` escapes and `+` as a space, as in `application/x-www-form-urlencoded`; a malformed
/// escape stays as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        let hex = |at: usize| bytes.get(at).and_then(|digit| char::from(*digit).to_digit(16));
        match (byte, hex(index + 1), hex(index + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push(u8::try_from(high * 16 + low).unwrap_or(b'?'));
                index += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                index += 1;
            }
            _ => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `<iframe>` a docs author pastes for `link`, a share link of the playground
/// (`https://…/iamlab/#s4=…`): the same page with `?embed` before the fragment.
pub fn embed_snippet(link: &str, provider: Provider) -> String {
    let (page, fragment) = link.split_once('#').unwrap_or((link, ""));
    let page = page.split('?').next().unwrap_or(page);
    let fragment = if fragment.is_empty() { String::new() } else { format!("#{fragment}") };
    format!(
        "<iframe src=\"{page}?embed&amp;provider={}{fragment}\" title=\"iamlab: {} policy\" width=\"100%\" height=\"480\" loading=\"lazy\" style=\"border: 1px solid #d9dee6; border-radius: 6px\"></iframe>",
        provider.as_str(),
        provider.display_name()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embed_parameters_are_read_and_bad_values_ignored() {
        assert_eq!(parse_query(""), None);
        assert_eq!(parse_query("?provider=aws"), None);
        assert_eq!(parse_query("?embed"), Some(EmbedParams::default()));
        assert_eq!(
            parse_query("?embed=1&provider=aws&readonly&height=300&theme=dark&origin=http%3A%2F%2F127.0.0.1%3A8081"),
            Some(EmbedParams {
                provider: Some(Provider::Aws),
                readonly: true,
                height: Some(300),
                theme: Some(Theme::Dark),
                parent_origin: Some("http://127.0.0.1:8081".to_owned()),
            })
        );
        assert_eq!(
            parse_query("embed&provider=gcp&readonly=0&height=99999&theme=pink&origin=*"),
            Some(EmbedParams { height: Some(2000), ..EmbedParams::default() })
        );
        assert_eq!(parse_query("?embed&height=-5&origin=javascript:alert(1)"), Some(EmbedParams::default()));
        assert_eq!(
            parse_query("?embed&origin=https://docs.example.com/path").map(|params| params.parent_origin),
            Some(None)
        );
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%E2%9C%93+x"), "✓ x");
    }

    #[test]
    fn the_snippet_embeds_the_shared_state() {
        assert_eq!(
            embed_snippet("https://docs.example.com/iamlab/?x=1#s4=abc", Provider::Outscale),
            "<iframe src=\"https://docs.example.com/iamlab/?embed&amp;provider=outscale#s4=abc\" title=\"iamlab: Outscale policy\" width=\"100%\" height=\"480\" loading=\"lazy\" style=\"border: 1px solid #d9dee6; border-radius: 6px\"></iframe>"
        );
    }
}
