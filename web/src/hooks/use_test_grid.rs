use crate::state::Workspace;
use iamlab_engine::test_cases::{coverage, run_test_cases, CaseResult, CoverageEntry, TestCase};
use iamlab_engine::Detail;
use iamlab_model::Decision;
use std::rc::Rc;
use yew::prelude::*;

/// Every grid row run against the current documents and, when a version was saved, against
/// it too, with the coverage of the current documents: all computed by the engine.
#[derive(Debug, Clone, PartialEq)]
pub struct GridAnalysis {
    pub results: Vec<CaseResult>,
    /// The rows against the saved version, in the same order.
    pub saved: Option<Vec<CaseResult>>,
    pub coverage: Vec<CoverageEntry>,
}

/// The engine's test cases of the workspace's grid.
pub fn test_cases(workspace: &Workspace) -> Vec<TestCase> {
    workspace
        .cases
        .iter()
        .map(|case| TestCase { name: case.name.to_string(), request: case.request.to_string(), expect: case.expect })
        .collect()
}

/// Re-runs every row whenever a document, the options or the grid change: what-if on every
/// keystroke, and the results are never cleared in between.
#[hook]
pub fn use_test_grid(workspace: &Workspace) -> Rc<GridAnalysis> {
    use_memo(workspace.clone(), |workspace| {
        let cases = test_cases(workspace);
        if cases.is_empty() {
            return GridAnalysis { results: Vec::new(), saved: None, coverage: Vec::new() };
        }
        let policies = workspace.policy_sources();
        // The grid shows effects and the coverage reads step outcomes: no traces to render and
        // no nearest miss to look for (the web build has no compiled programs: see the
        // engine's `programs` feature).
        let detail = Detail::DecisionOnly;
        let results = run_test_cases(&workspace.options, &policies, &cases, detail);
        let saved = workspace.saved_sources().map(|saved| run_test_cases(&workspace.options, &saved, &cases, detail));
        let decisions: Vec<&Decision> = results.iter().filter_map(|result| result.decision.as_ref().ok()).collect();
        let coverage = coverage(&policies, &decisions);
        GridAnalysis { results, saved, coverage }
    })
}
