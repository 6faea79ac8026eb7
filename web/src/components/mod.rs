//! One component per file, as in yew's `function_todomvc`.

pub mod app;
pub mod code_editor;
pub mod decision_view;
pub mod diagnostic_item;
pub mod diagnostic_list;
pub mod header;
pub mod notice_bar;
pub mod organization_policy_panel;
pub mod request_builder;
pub mod request_panel;
pub mod share_bar;
