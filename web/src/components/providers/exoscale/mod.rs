//! Exoscale: the organization policy evaluated before the role (its request builder is the form
//! every provider has, `components::request_form`, with the operation catalogue's parameters).

pub mod organization_policy_panel;
