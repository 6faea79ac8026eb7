//! Scaleway: whether the principal is the Organization Owner, and the request builder from the
//! permission-set catalogue.

pub mod options_panel;
pub mod request_builder;
