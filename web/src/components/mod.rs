//! One component per file, as in yew's `function_todomvc`. The components here know no
//! provider: what one provider alone has lives in `providers/`.

pub mod app;
pub mod code_editor;
pub mod completion_list;
pub mod decision_view;
pub mod diagnostic_list;
pub mod embed_app;
pub mod examples_gallery;
pub mod header;
pub mod notice_bar;
pub mod providers;
pub mod request_form;
pub mod request_panel;
pub mod share_bar;
pub mod test_grid;
pub mod theme_toggle;
