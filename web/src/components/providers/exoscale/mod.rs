//! Exoscale: the organization policy evaluated before the role, and the request builder from
//! the operation catalogue.

pub mod organization_policy_panel;
pub mod request_builder;
