use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The policy languages iamlab understands.
///
/// `Aws` is not a cloud iamlab targets by itself: it is the full AWS IAM identity-policy
/// profile that the Outscale (EIM) engine also serves, since EIM documents are AWS-style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    Exoscale,
    Scaleway,
    Outscale,
    Aws,
}

impl Provider {
    pub const ALL: [Provider; 4] = [Provider::Exoscale, Provider::Scaleway, Provider::Outscale, Provider::Aws];

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Exoscale => "exoscale",
            Provider::Scaleway => "scaleway",
            Provider::Outscale => "outscale",
            Provider::Aws => "aws",
        }
    }

    /// The name shown to people, e.g. in the playground's tabs.
    pub fn display_name(self) -> &'static str {
        match self {
            Provider::Exoscale => "Exoscale",
            Provider::Scaleway => "Scaleway",
            Provider::Outscale => "Outscale",
            Provider::Aws => "AWS",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Returned when a provider name is none of `exoscale`, `scaleway`, `outscale`, `aws`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseProviderError(pub String);

impl fmt::Display for ParseProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown provider `{}`; expected one of exoscale, scaleway, outscale, aws", self.0)
    }
}

impl std::error::Error for ParseProviderError {}

impl FromStr for Provider {
    type Err = ParseProviderError;

    fn from_str(name: &str) -> Result<Provider, ParseProviderError> {
        Provider::ALL
            .into_iter()
            .find(|provider| provider.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| ParseProviderError(name.to_owned()))
    }
}
