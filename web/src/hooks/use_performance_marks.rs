//! User-timing marks around one edit, read by `cargo xtask bench-browser`: from the `input`
//! event to the diagnostics, decision and grid in the DOM, and to the next frame, split by
//! phase. They cost a few `performance.mark` calls per edit; only one edit's marks and
//! measures exist at a time (each `input` clears the previous ones), so the browser's buffer
//! never grows.
//!
//! | measure | from | to |
//! |---|---|---|
//! | `iamlab:dispatch` | the `input` event | the analysis starts (the reducer, the first render steps) |
//! | `iamlab:analysis` | | the engine's `analyze_with_cases`: the documents validated, the request simulated and every grid row re-run, from one reading |
//! | `iamlab:grid` | | the rows against a saved version (when there is one), and coverage |
//! | `iamlab:view` | the grid is done | the DOM is patched (every component drawn) |
//! | `iamlab:input-to-dom` | the `input` event | the DOM is patched |
//! | `iamlab:input-to-frame` | the `input` event | the next animation frame starts |

use std::cell::Cell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The marks of one edit, in the order it passes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PerformanceMark {
    Input,
    AnalysisStart,
    AnalysisEnd,
    GridStart,
    GridEnd,
    Dom,
    Frame,
}

impl PerformanceMark {
    const ALL: [PerformanceMark; 7] = [
        PerformanceMark::Input,
        PerformanceMark::AnalysisStart,
        PerformanceMark::AnalysisEnd,
        PerformanceMark::GridStart,
        PerformanceMark::GridEnd,
        PerformanceMark::Dom,
        PerformanceMark::Frame,
    ];

    fn name(self) -> &'static str {
        match self {
            PerformanceMark::Input => "iamlab:mark-input",
            PerformanceMark::AnalysisStart => "iamlab:mark-analysis-start",
            PerformanceMark::AnalysisEnd => "iamlab:mark-analysis-end",
            PerformanceMark::GridStart => "iamlab:mark-grid-start",
            PerformanceMark::GridEnd => "iamlab:mark-grid-end",
            PerformanceMark::Dom => "iamlab:mark-dom",
            PerformanceMark::Frame => "iamlab:mark-frame",
        }
    }
}

/// The measures taken once the DOM is patched, then the one taken at the next frame.
const DOM_MEASURES: [(&str, PerformanceMark, PerformanceMark); 5] = [
    ("iamlab:dispatch", PerformanceMark::Input, PerformanceMark::AnalysisStart),
    ("iamlab:analysis", PerformanceMark::AnalysisStart, PerformanceMark::AnalysisEnd),
    ("iamlab:grid", PerformanceMark::GridStart, PerformanceMark::GridEnd),
    ("iamlab:view", PerformanceMark::GridEnd, PerformanceMark::Dom),
    ("iamlab:input-to-dom", PerformanceMark::Input, PerformanceMark::Dom),
];
const FRAME_MEASURE: (&str, PerformanceMark, PerformanceMark) =
    ("iamlab:input-to-frame", PerformanceMark::Input, PerformanceMark::Frame);

thread_local! {
    /// Whether an `input` event's edit is on its way to the DOM: the phases mark only then,
    /// so that renders of other causes (a click, a timer) leave no half set of marks.
    static EDIT_PENDING: Cell<bool> = const { Cell::new(false) };
}

fn performance() -> Option<web_sys::Performance> {
    web_sys::window().and_then(|window| window.performance())
}

/// Marks `mark` when an edit is on its way (the hooks around the engine's calls use it).
pub fn performance_mark(mark: PerformanceMark) {
    if EDIT_PENDING.with(Cell::get) {
        if let Some(performance) = performance() {
            let _ = performance.mark(mark.name());
        }
    }
}

fn measure(performance: &web_sys::Performance, (name, start, end): (&str, PerformanceMark, PerformanceMark)) {
    // A phase that did not run for this edit (its memo was still valid) has no marks: then the
    // call fails and there is no measure of it, which is the truth.
    let _ = performance.measure_with_start_mark_and_end_mark(name, start.name(), end.name());
}

/// Starts an edit's marks at every `input` event of the page (in the capture phase, before the
/// editors' own handlers), and ends them after the render that follows it.
#[hook]
pub fn use_performance_marks() {
    use_effect_with((), |()| {
        let document = web_sys::window().and_then(|window| window.document());
        let listener = Closure::<dyn Fn(web_sys::Event)>::new(|_: web_sys::Event| {
            let Some(performance) = performance() else { return };
            for mark in PerformanceMark::ALL {
                performance.clear_marks_with_mark_name(mark.name());
            }
            for (name, _, _) in DOM_MEASURES.into_iter().chain([FRAME_MEASURE]) {
                performance.clear_measures_with_measure_name(name);
            }
            let _ = performance.mark(PerformanceMark::Input.name());
            EDIT_PENDING.with(|pending| pending.set(true));
        });
        if let Some(document) = document {
            let _ =
                document.add_event_listener_with_callback_and_bool("input", listener.as_ref().unchecked_ref(), true);
        }
        // The playground's root lives as long as the page: so does its listener.
        listener.forget();
    });
    // Runs after every render of the app, once the DOM is patched.
    use_effect(|| {
        if EDIT_PENDING.with(|pending| pending.replace(false)) {
            if let Some(performance) = performance() {
                let _ = performance.mark(PerformanceMark::Dom.name());
                for entry in DOM_MEASURES {
                    measure(&performance, entry);
                }
                let frame = Closure::once_into_js(move || {
                    let _ = performance.mark(PerformanceMark::Frame.name());
                    measure(&performance, FRAME_MEASURE);
                });
                if let Some(window) = web_sys::window() {
                    let _ = window.request_animation_frame(frame.unchecked_ref());
                }
            }
        }
    });
}
