//! What one provider alone has: its option controls, its extra documents and its request
//! helpers. The three `Provider…` components here are the only place that chooses a panel by
//! provider; the rest of the app stays the same for every provider, and a provider with nothing
//! of its own needs no arm in them.

pub mod exoscale;
pub mod outscale;
pub mod provider_header;
pub mod provider_policy_panels;
pub mod provider_request_tools;
pub mod scaleway;
