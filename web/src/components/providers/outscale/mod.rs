//! Outscale: the policy language profile (Outscale EIM or the full AWS IAM language).

pub mod profile_switch;
