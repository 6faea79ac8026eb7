//! Scaleway: whether the principal is the Organization Owner.

pub mod options_panel;
