use crate::hooks::{performance_mark, PerformanceMark};
use crate::state::Workspace;
use iamlab_engine::{DocumentId, SimulateError};
use iamlab_model::{Decision, Diagnostic};
use std::rc::Rc;
use yew::prelude::*;

/// The engine's answer for a workspace, shaped for the components: each document's findings
/// behind its own `Rc`, so that an editor whose findings did not change is not drawn again.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkspaceAnalysis {
    reports: Vec<(DocumentId, Rc<Vec<Diagnostic>>)>,
    pub decision: Rc<Result<Decision, SimulateError>>,
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

/// Validates every enabled document of `workspace` and simulates its request with one
/// `iamlab_engine::analyze` call, which reads each document once: this runs on every keystroke.
/// With a saved version, `iamlab_engine::compare_versions` adds what the edit takes away.
#[hook]
pub fn use_analysis(workspace: &Workspace) -> Rc<WorkspaceAnalysis> {
    // The `aws` profile's answers change when its catalogue arrives (`use_aws_catalog`).
    use_memo((workspace.clone(), iamlab_engine::aws_catalog_loaded()), |(workspace, _)| {
        performance_mark(PerformanceMark::AnalysisStart);
        let mut analysis = iamlab_engine::analyze(&workspace.options, &workspace.sources());
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
        }
    })
}
