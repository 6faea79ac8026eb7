use crate::hooks::{performance_mark, PerformanceMark, WorkspaceAnalysis};
use crate::state::Workspace;
use iamlab_engine::test_cases::{coverage, run_test_cases, CaseResult, CoverageEntry, TestCase};
use iamlab_engine::Detail;
use iamlab_model::Decision;
use std::rc::Rc;
use yew::prelude::*;

/// Every grid row run against the current documents (by the analysis, which reads them once
/// for the request and the rows) and, when a version was saved, against it too, with the
/// coverage of the current documents: all computed by the engine.
#[derive(Debug, Clone, PartialEq)]
pub struct GridAnalysis {
    pub results: Rc<Vec<CaseResult>>,
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

/// The grid of the workspace from the rows the analysis ran, the saved version's run (when a
/// version was saved) and the coverage of the current documents.
#[hook]
pub fn use_test_grid(workspace: &Workspace, analysis: &WorkspaceAnalysis) -> Rc<GridAnalysis> {
    let inputs = (workspace.clone(), Rc::clone(&analysis.cases), iamlab_engine::aws_catalog_loaded());
    use_memo(inputs, |(workspace, results, _)| {
        performance_mark(PerformanceMark::GridStart);
        let grid = if results.is_empty() {
            GridAnalysis { results: Rc::clone(results), saved: None, coverage: Vec::new() }
        } else {
            let cases = test_cases(workspace);
            let detail = Detail::DecisionOnly;
            let saved =
                workspace.saved_sources().map(|saved| run_test_cases(&workspace.options, &saved, &cases, detail));
            let decisions: Vec<&Decision> = results.iter().filter_map(|result| result.decision.as_ref().ok()).collect();
            let coverage = coverage(&workspace.policy_sources(), &decisions);
            GridAnalysis { results: Rc::clone(results), saved, coverage }
        };
        performance_mark(PerformanceMark::GridEnd);
        grid
    })
}
