//! Custom hooks: what the app does with the engine and the browser besides rendering.

mod use_analysis;
mod use_aws_catalog;
mod use_branch_coverage;
mod use_completion;
mod use_decision_html;
mod use_performance_marks;
mod use_persistence;
mod use_request_form;
mod use_share_import;
mod use_test_grid;
mod use_theme;

pub use use_analysis::{use_analysis, WorkspaceAnalysis};
pub use use_aws_catalog::use_aws_catalog;
pub use use_branch_coverage::use_branch_coverage;
pub use use_completion::{use_completion, ShownCompletions};
pub use use_decision_html::use_decision_html;
pub use use_performance_marks::{performance_mark, use_performance_marks, PerformanceMark};
pub use use_persistence::use_persistence;
pub use use_request_form::use_request_form;
pub use use_share_import::use_share_import;
pub use use_test_grid::{test_cases, use_test_grid, GridAnalysis};
pub use use_theme::{use_theme, Theme};
