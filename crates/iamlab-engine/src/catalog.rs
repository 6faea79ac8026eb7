//! The one convention for embedded catalogues (Exoscale operations, Outscale actions, Scaleway
//! permission sets, and any later one):
//!
//! - the data lives in `crates/iamlab-engine/data/<provider>-<what>.json`, a trimmed copy of the
//!   assembled catalogue under `../shared/catalogs/`, keeping its `sources` and `notes`;
//! - it is embedded with `include_str!` and read once, on first use, into a `OnceLock`;
//! - every entry carries an [`Evidence`] grade, the same four for every provider, so that a
//!   decision can say when it rests on something less than documentation;
//! - every catalogue answers [`CatalogInfo`], whose `version` share links record.

/// How well a catalogue entry is supported by its sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Evidence {
    /// The provider's own documentation or API reference states it.
    Documented,
    /// Seen working: in the provider's own policies, QA tests against live endpoints, or
    /// independent users' working configurations.
    Observed,
    /// Only listed by a client or tool (an SDK's enum, a CLI's completion list).
    Listed,
    /// Derived by us (an API tag's grouping, a description's wording): decisions that rely on
    /// it say so.
    Inferred,
}

impl Evidence {
    pub const ALL: [Evidence; 4] = [Evidence::Documented, Evidence::Observed, Evidence::Listed, Evidence::Inferred];

    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Documented => "documented",
            Evidence::Observed => "observed",
            Evidence::Listed => "listed",
            Evidence::Inferred => "inferred",
        }
    }

    /// Reads a grade as the catalogue files write it; unknown words are the weakest grade.
    pub fn parse(text: &str) -> Evidence {
        Evidence::ALL.into_iter().find(|evidence| evidence.as_str() == text).unwrap_or(Evidence::Inferred)
    }
}

/// What a catalogue is and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogInfo {
    /// `exoscale-operations`, `outscale-actions`, `scaleway-permission-sets`.
    pub name: &'static str,
    /// Changes whenever the data changes, so that a share link can tell it was made with other data.
    pub version: &'static str,
    /// Where the data was assembled from, in a few words.
    pub sources: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_round_trip_and_unknown_words_are_the_weakest() {
        for evidence in Evidence::ALL {
            assert_eq!(Evidence::parse(evidence.as_str()), evidence);
        }
        assert_eq!(Evidence::parse("rumour"), Evidence::Inferred);
        assert!(Evidence::Documented < Evidence::Inferred);
    }
}
