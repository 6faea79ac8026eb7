//! Scaleway: whether the principal is the Organization Owner (its request builder is the form
//! every provider has, `components::request_form`, with the permission-set catalogue's
//! suggestions).

pub mod options_panel;
