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
    pub saved: Option<Rc<Vec<CaseResult>>>,
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

/// The grid of the workspace from the rows the analysis ran: the saved version's run again only
/// when it, the rows or the options change (not on every keystroke in a document), and the
/// coverage of the current documents.
#[hook]
pub fn use_test_grid(workspace: &Workspace, analysis: &WorkspaceAnalysis) -> Rc<GridAnalysis> {
    let catalog = iamlab_engine::aws_catalog_loaded();
    let saved_inputs = (workspace.saved_version.clone(), workspace.cases.clone(), workspace.options.clone(), catalog);
    let saved = use_memo(saved_inputs, |_| {
        let cases = test_cases(workspace);
        let saved = workspace.saved_sources().filter(|_| !cases.is_empty());
        saved.map(|saved| Rc::new(run_test_cases(&workspace.options, &saved, &cases, Detail::DecisionOnly)))
    });
    use_memo((workspace.clone(), Rc::clone(&analysis.cases), (*saved).clone()), |(workspace, results, saved)| {
        performance_mark(PerformanceMark::GridStart);
        let grid = if results.is_empty() {
            GridAnalysis { results: Rc::clone(results), saved: None, coverage: Vec::new() }
        } else {
            let decisions: Vec<&Decision> = results.iter().filter_map(|result| result.decision.as_ref().ok()).collect();
            let coverage = coverage(&workspace.policy_sources(), &decisions);
            GridAnalysis { results: Rc::clone(results), saved: saved.clone(), coverage }
        };
        performance_mark(PerformanceMark::GridEnd);
        grid
    })
}
