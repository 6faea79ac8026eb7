use crate::hooks::{performance_mark, test_cases, PerformanceMark};
use crate::state::Workspace;
use iamlab_engine::test_cases::{analyze_with_cases, CaseResult};
use iamlab_engine::{Detail, DocumentId, SimulateError};
use iamlab_model::{Decision, Diagnostic};
use std::rc::Rc;
use yew::prelude::*;

/// The engine's answer for a workspace, shaped for the components: each document's findings
/// behind its own `Rc`, so that an editor whose findings did not change is not drawn again.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkspaceAnalysis {
    reports: Vec<(DocumentId, Rc<Vec<Diagnostic>>)>,
    pub decision: Rc<Result<Decision, SimulateError>>,
    /// The grid's rows run against the current documents, in the grid's order.
    pub cases: Rc<Vec<CaseResult>>,
}

impl WorkspaceAnalysis {
    /// The findings of `document`; none for a document the engine did not read (turned off).
    pub fn diagnostics(&self, document: DocumentId) -> Rc<Vec<Diagnostic>> {
        self.reports
            .iter()
            .find(|(id, _)| *id == document)
            .map_or_else(|| Rc::new(Vec::new()), |(_, diagnostics)| Rc::clone(diagnostics))
    }
}

/// Validates every enabled document of `workspace`, simulates its request and runs the grid's
/// rows with one engine call (`analyze_with_cases`), which reads each document once for all of
/// them: this runs on every keystroke. With a saved version, `iamlab_engine::compare_versions`
/// adds what the edit takes away.
#[hook]
pub fn use_analysis(workspace: &Workspace) -> Rc<WorkspaceAnalysis> {
    // The `aws` profile's answers change when its catalogue arrives (`use_aws_catalog`).
    use_memo((workspace.clone(), iamlab_engine::aws_catalog_loaded()), |(workspace, _)| {
        performance_mark(PerformanceMark::AnalysisStart);
        // The rows need effects and step outcomes only (the grid and its coverage): no traces.
        let (mut analysis, cases) =
            analyze_with_cases(&workspace.options, &workspace.sources(), &test_cases(workspace), Detail::DecisionOnly);
        // With a saved version, what only the comparison shows (a lock-out) joins the findings of
        // the document it is about.
        if let Some(saved) = workspace.saved_sources() {
            let findings = iamlab_engine::compare_versions(&workspace.options, &saved, &workspace.policy_sources());
            for (id, diagnostic) in findings {
                if let Some((_, report)) = analysis.reports.iter_mut().find(|(candidate, _)| *candidate == id) {
                    report.push(diagnostic);
                    iamlab_model::sort_diagnostics(report);
                }
            }
        }
        performance_mark(PerformanceMark::AnalysisEnd);
        WorkspaceAnalysis {
            reports: analysis.reports.into_iter().map(|(id, diagnostics)| (id, Rc::new(diagnostics))).collect(),
            decision: Rc::new(analysis.decision),
            cases: Rc::new(cases),
        }
    })
}
