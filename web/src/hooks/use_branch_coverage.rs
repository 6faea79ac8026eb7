use crate::hooks::test_cases;
use crate::state::Workspace;
use gloo::timers::callback::Timeout;
use iamlab_engine::test_cases::{branch_coverage, BranchCoverage};
use std::rc::Rc;
use yew::prelude::*;

/// How long the text must rest before the CEL branches are counted again. Counting needs every
/// row simulated with traces (about four times the grid's decision-only run), which is too much
/// for every keystroke (the ≤ 4 ms budget of `cargo xtask bench-browser`) and worth nothing
/// while the text is half typed.
const RESTING_MS: u32 = 300;

/// The CEL branches of the workspace's rules with how the grid's rows use them, computed by the
/// engine once the text has rested. Until then the last count stays shown, so the list and the
/// gutter marks never flash empty while typing.
#[hook]
pub fn use_branch_coverage(workspace: &Workspace) -> Rc<Vec<BranchCoverage>> {
    let branches = use_state_eq(|| Rc::new(Vec::new()));
    {
        let branches = branches.clone();
        use_effect_with((workspace.clone(), iamlab_engine::aws_catalog_loaded()), move |(workspace, _)| {
            let workspace = workspace.clone();
            // A pending count is dropped (cancelled) by the next change: gloo's Timeout clears
            // its browser timer when dropped.
            let pending = Timeout::new(RESTING_MS, move || {
                let cases = test_cases(&workspace);
                let counted = if cases.is_empty() {
                    Vec::new()
                } else {
                    branch_coverage(&workspace.options, &workspace.policy_sources(), &cases)
                };
                branches.set(Rc::new(counted));
            });
            move || drop(pending)
        });
    }
    (*branches).clone()
}
