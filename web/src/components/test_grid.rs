use crate::components::decision_view::reveal_clicked;
use crate::components::decision_view::same_documents;
use crate::highlight::escape_into;
use crate::hooks::{test_cases, GridAnalysis};
use crate::state::{EditorDocument, GridCase, Workspace};
use iamlab_engine::test_cases::{
    read_test_cases, write_test_cases, BranchCoverage, CaseResult, CoverageEntry, Expectation, TestSuite,
};
use iamlab_engine::{DocumentId, SimulateError};
use iamlab_model::{Effect, Span};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// How many rows and coverage entries are drawn at most.
const MAX_ROWS: usize = 200;
const MAX_COVERAGE: usize = 100;

#[derive(Properties)]
pub struct TestGridProps {
    pub workspace: Workspace,
    pub grid: Rc<GridAnalysis>,
    /// The rules' CEL branches counted over the rows (once the text rests).
    pub branches: Rc<Vec<BranchCoverage>>,
    pub onadd: Callback<()>,
    pub onedit: Callback<(usize, GridCase)>,
    pub onremove: Callback<usize>,
    pub onopen: Callback<usize>,
    pub onpin: Callback<Vec<Option<Expectation>>>,
    pub onimport: Callback<Vec<GridCase>>,
    pub onsaveversion: Callback<()>,
    pub onreveal: Callback<(DocumentId, Span)>,
    pub onerror: Callback<String>,
}

/// Drawn again only when what it shows changes: the rows, their results and the documents'
/// names, not the documents' texts (their effect is in `grid`). The callbacks are left out, as
/// the app makes the same ones anew on every render.
impl PartialEq for TestGridProps {
    fn eq(&self, other: &Self) -> bool {
        let (this, that) = (&self.workspace, &other.workspace);
        self.grid == other.grid
            && self.branches == other.branches
            && this.tab == that.tab
            && this.options == that.options
            && this.cases == that.cases
            && same_documents(&this.documents, &that.documents, false)
    }
}

fn effect_of(result: &CaseResult) -> Option<Effect> {
    result.decision.as_ref().ok().map(|decision| decision.effect)
}

fn got_text(result: &CaseResult) -> String {
    match &result.decision {
        Ok(decision) => decision.effect.as_str().to_owned(),
        Err(SimulateError::NotImplemented(_)) => "no engine yet".to_owned(),
        Err(SimulateError::InvalidDocument { diagnostics, .. }) => {
            let first = diagnostics.first().map(|diagnostic| diagnostic.message.as_str()).unwrap_or("errors");
            format!("no decision: {first}")
        }
    }
}

/// The workspace's test cases: each row a named request with its expected and actual effect,
/// re-run on every edit; coverage of the statements and rules; the what-if comparison with a
/// saved version; import and export in the `iamlab_tests` format.
#[component]
pub fn TestGrid(props: &TestGridProps) -> Html {
    let transfer = use_state(|| None::<AttrValue>);
    let import_ref = use_node_ref();
    let cases = &props.workspace.cases;
    let results: &[CaseResult] = &props.grid.results;
    let rows = cases.iter().zip(results).enumerate().take(MAX_ROWS).map(|(index, (case, result))| {
        let passed = result.passed;
        let onname = {
            let case = case.clone();
            props.onedit.reform(move |event: InputEvent| {
                let input: HtmlInputElement = event.target_unchecked_into();
                (index, GridCase { name: AttrValue::from(input.value()), ..case.clone() })
            })
        };
        let onrequest = {
            let case = case.clone();
            props.onedit.reform(move |event: InputEvent| {
                let input: HtmlTextAreaElement = event.target_unchecked_into();
                (index, GridCase { request: AttrValue::from(input.value()), ..case.clone() })
            })
        };
        let onexpect = {
            let case = case.clone();
            props.onedit.reform(move |event: Event| {
                let select: HtmlSelectElement = event.target_unchecked_into();
                let expect = Expectation::from_key(&select.value()).unwrap_or(case.expect);
                (index, GridCase { expect, ..case.clone() })
            })
        };
        let saved = props.grid.saved.as_ref().and_then(|saved| saved.get(index));
        let what_if = saved.map(|saved| {
            let (then, now) = (effect_of(saved), effect_of(result));
            let changed = then != now;
            let class = match (then, now) {
                (Some(then), Some(Effect::Allow)) if then != Effect::Allow => "what-if new-access",
                _ if changed => "what-if changed",
                _ => "what-if same",
            };
            let then = then.map_or("no decision", Effect::as_str);
            html! { <td class={class}>{ if changed { format!("{then} → {}", got_text(result)) } else { "same".to_owned() } }</td> }
        });
        html! {
            <tr role="row" class={classes!("grid-row", if passed { "pass" } else { "fail" })} data-index={index.to_string()}
                aria-rowindex={(index + 2).to_string()}>
                <td role="gridcell"><input class="grid-name" aria-label="Case name" value={case.name.clone()} oninput={onname} /></td>
                <td role="gridcell"><textarea class="grid-request" aria-label="Request (JSON)" spellcheck="false"
                    value={case.request.clone()} oninput={onrequest} /></td>
                <td role="gridcell">
                    <select class="grid-expect" aria-label="Expected effect" onchange={onexpect}>
                        { for Expectation::ALL.iter().map(|expectation| html! {
                            <option value={expectation.as_str()} selected={*expectation == case.expect}>{ expectation.as_str() }</option>
                        }) }
                    </select>
                </td>
                <td role="gridcell" class="grid-got">{ got_text(result) }</td>
                <td role="gridcell" class="grid-status">{ if passed { "pass" } else { "fail" } }</td>
                if let Some(what_if) = what_if { { what_if } }
                <td role="gridcell" class="grid-actions">
                    <button type="button" class="grid-open" onclick={props.onopen.reform(move |_: MouseEvent| index)}
                        title="Put this request in the request editor">{ "Open" }</button>
                    <button type="button" class="grid-remove" onclick={props.onremove.reform(move |_: MouseEvent| index)}
                        aria-label="Remove this case">{ "×" }</button>
                </td>
            </tr>
        }
    });
    let passed = results.iter().filter(|result| result.passed).count();
    let onpin = {
        let expectations: Vec<Option<Expectation>> =
            results.iter().map(|result| effect_of(result).map(Expectation::of)).collect();
        props.onpin.reform(move |_: MouseEvent| expectations.clone())
    };
    let onexport = {
        let transfer = transfer.clone();
        let suite = TestSuite { provider: props.workspace.provider(), cases: test_cases(&props.workspace) };
        Callback::from(move |_: MouseEvent| transfer.set(Some(AttrValue::from(write_test_cases(&suite)))))
    };
    let onimport = {
        let import_ref = import_ref.clone();
        let onimport = props.onimport.clone();
        let onerror = props.onerror.clone();
        let transfer = transfer.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(area) = import_ref.cast::<HtmlTextAreaElement>() else { return };
            let read = read_test_cases(&area.value());
            let errors: Vec<String> = read
                .diagnostics
                .iter()
                .filter(|diagnostic| diagnostic.is_error())
                .map(|diagnostic| format!("{}: {}", diagnostic.code, diagnostic.message))
                .collect();
            match read.tree {
                Some(suite) if errors.is_empty() => {
                    let cases = suite
                        .cases
                        .into_iter()
                        .map(|case| GridCase {
                            name: AttrValue::from(case.name),
                            request: AttrValue::from(case.request),
                            expect: case.expect,
                        })
                        .collect();
                    transfer.set(None);
                    onimport.emit(cases);
                }
                _ => onerror.emit(format!("the test-case file cannot be imported: {}", errors.join("; "))),
            }
        })
    };
    let verdict = props.grid.saved.as_ref().map(|saved| {
        let new_access: Vec<&str> = saved
            .iter()
            .zip(results)
            .zip(cases)
            .filter(|((then, now), _)| effect_of(then) != Some(Effect::Allow) && effect_of(now) == Some(Effect::Allow))
            .map(|(_, case)| case.name.as_str())
            .collect();
        let changed = saved.iter().zip(results).filter(|(then, now)| effect_of(then) != effect_of(now)).count();
        if new_access.is_empty() {
            html! { <p class="what-if-verdict no-new-access">{ format!("No new access: {changed} of {} rows change decision, none from a deny to allow.", results.len()) }</p> }
        } else {
            html! { <p class="what-if-verdict new-access">{ format!("New access: {} now allowed ({})", new_access.len(), new_access.join(", ")) }</p> }
        }
    });
    html! {
        <section class="test-grid" id="test-grid" aria-label="Test cases">
            <h2>{ "Test cases" }
                <span class="pane-hint">{
                    if cases.is_empty() { "none yet: add the current request".to_owned() }
                    else { format!("{passed} of {} pass", cases.len()) }
                }</span>
            </h2>
            <div class="grid-tools">
                <button type="button" id="grid-add" onclick={props.onadd.reform(|_: MouseEvent| ())}>{ "Add current request" }</button>
                <button type="button" id="grid-pin" onclick={onpin} disabled={cases.is_empty()}>{ "Pin current decisions" }</button>
                <button type="button" id="grid-save-version" onclick={props.onsaveversion.reform(|_: MouseEvent| ())}
                    title="Compare later edits with the documents as they are now">{ "Save version for what-if" }</button>
                <button type="button" id="grid-export" onclick={onexport}>{ "Export" }</button>
                <button type="button" id="grid-import-open" onclick={
                    let transfer = transfer.clone();
                    Callback::from(move |_: MouseEvent| transfer.set(Some(AttrValue::default())))
                }>{ "Import…" }</button>
            </div>
            if let Some(text) = (*transfer).clone() {
                <div class="grid-transfer">
                    <textarea id="grid-file" ref={import_ref} aria-label="Test-case file (JSON)" spellcheck="false" value={text} />
                    <button type="button" id="grid-import" onclick={onimport}>{ "Import this file" }</button>
                    <button type="button" onclick={
                        let transfer = transfer.clone();
                        Callback::from(move |_: MouseEvent| transfer.set(None))
                    }>{ "Close" }</button>
                </div>
            }
            { for verdict }
            if !cases.is_empty() {
                // The table scrolls within its panel when the panel is narrower than its columns,
                // rather than widening the page.
                <div class="grid-scroll">
                <table class="grid" role="grid" aria-label="Test cases" aria-rowcount={(cases.len() + 1).to_string()}
                    aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown Alt+ArrowLeft Alt+ArrowRight" onkeydown={Callback::from(move_between_cells)}>
                    <thead><tr role="row" aria-rowindex="1">
                        <th role="columnheader">{ "Name" }</th><th role="columnheader">{ "Request" }</th>
                        <th role="columnheader">{ "Expect" }</th><th role="columnheader">{ "Got" }</th>
                        <th role="columnheader">{ "Status" }</th>
                        if props.grid.saved.is_some() { <th role="columnheader">{ "What-if (saved → now)" }</th> }
                        <th role="columnheader"><span class="visually-hidden">{ "Actions" }</span></th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
                </div>
                { render_coverage(&props.grid, &props.branches, &props.workspace.documents, &props.onreveal) }
            }
        </section>
    }
}

/// Alt with an arrow key moves the focus to the control of the cell above, below, before or
/// after (the grid pattern of WAI-ARIA): the arrows alone stay with the text fields, where
/// they move the caret.
fn move_between_cells(event: KeyboardEvent) {
    if !event.alt_key() {
        return;
    }
    let (rows, cells): (i32, i32) = match event.key().as_str() {
        "ArrowUp" => (-1, 0),
        "ArrowDown" => (1, 0),
        "ArrowLeft" => (0, -1),
        "ArrowRight" => (0, 1),
        _ => return,
    };
    let Some(cell) = event.target_dyn_into::<web_sys::Element>().and_then(|target| target.closest("td").ok().flatten())
    else {
        return;
    };
    let column = sibling_index(&cell);
    let Some(row) = cell.parent_element() else { return };
    let row = if rows == 0 { Some(row) } else { step_sibling(row, rows) };
    // Cells without a control (the decision, the status) are skipped over.
    let mut column = column + cells;
    while let Some(target) = row.as_ref().and_then(|row| nth_child(row, column)) {
        if let Some(control) = target.query_selector("input, textarea, select, button").ok().flatten() {
            if let Ok(control) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(control) {
                event.prevent_default();
                let _ = control.focus();
            }
            return;
        }
        if cells == 0 {
            return;
        }
        column += cells;
    }
}

fn sibling_index(element: &web_sys::Element) -> i32 {
    let mut index = 0;
    let mut current = element.previous_element_sibling();
    while let Some(previous) = current {
        index += 1;
        current = previous.previous_element_sibling();
    }
    index
}

/// The element `steps` siblings after (or before, when negative) `element`.
fn step_sibling(element: web_sys::Element, steps: i32) -> Option<web_sys::Element> {
    let mut current = element;
    for _ in 0..steps.unsigned_abs() {
        current = if steps < 0 { current.previous_element_sibling()? } else { current.next_element_sibling()? };
    }
    Some(current)
}

fn nth_child(parent: &web_sys::Element, index: i32) -> Option<web_sys::Element> {
    if index < 0 {
        return None;
    }
    step_sibling(parent.first_element_child()?, index)
}

/// The statements and rules no row exercises, and those that decide no row. Written as HTML
/// text (rebuilt whole on each change, as the decision is); a click on an entry selects it.
fn render_coverage(
    grid: &GridAnalysis,
    branches: &[BranchCoverage],
    documents: &[EditorDocument],
    onreveal: &Callback<(DocumentId, Span)>,
) -> Html {
    let list = |html: &mut String, class: &str, applies: fn(&CoverageEntry) -> bool| {
        html.push_str(&format!("<ul class=\"{class}\" role=\"list\">"));
        for entry in grid.coverage.iter().filter(|entry| applies(entry)).take(MAX_COVERAGE) {
            let role = entry
                .locator
                .document
                .and_then(|id| documents.iter().find(|document| document.id == id))
                .map_or("", |document| document.role.display_name());
            match (entry.locator.document, entry.locator.span) {
                (Some(id), Some(span)) => html.push_str(&format!(
                    "<li><button type=\"button\" class=\"locator\" data-document=\"{}\" data-start=\"{}\" data-end=\"{}\">",
                    id.0, span.start, span.end
                )),
                _ => html.push_str("<li><span>"),
            }
            escape_into(html, role);
            html.push(' ');
            escape_into(html, &entry.locator.element);
            html.push_str(if entry.locator.document.is_some() && entry.locator.span.is_some() {
                "</button></li>"
            } else {
                "</span></li>"
            });
        }
        html.push_str("</ul>");
    };
    let unused = |entry: &CoverageEntry| entry.applied == 0;
    let undecided = |entry: &CoverageEntry| entry.applied > 0 && entry.decided == 0;
    let mut html = format!(
        "<h3>Coverage<span class=\"pane-hint\">{} of {} statements and rules exercised</span></h3>",
        grid.coverage.iter().filter(|entry| entry.applied > 0).count(),
        grid.coverage.len()
    );
    if grid.coverage.iter().any(unused) {
        html.push_str("<p>Never exercised by any row:</p>");
        list(&mut html, "coverage-unused", unused);
    } else {
        html.push_str("<p class=\"coverage-complete\">Every statement and rule applies in some row.</p>");
    }
    if grid.coverage.iter().any(undecided) {
        html.push_str("<p>Applies but never decides a row:</p>");
        list(&mut html, "coverage-undecided", undecided);
    }
    if !branches.is_empty() {
        let uncovered: Vec<&BranchCoverage> = branches.iter().filter(|branch| branch.is_uncovered()).collect();
        html.push_str(&format!(
            "<p>CEL branches: {} of {} both true and false in some row{}</p>",
            branches.len() - uncovered.len(),
            branches.len(),
            if uncovered.is_empty() { "." } else { "; not pinned:" }
        ));
        html.push_str("<ul class=\"coverage-branches\" role=\"list\">");
        for branch in uncovered.into_iter().take(MAX_COVERAGE) {
            let (Some(id), Some(span)) = (branch.locator.document, branch.locator.span) else { continue };
            html.push_str(&format!(
                "<li><button type=\"button\" class=\"locator\" data-document=\"{}\" data-start=\"{}\" data-end=\"{}\"><code>",
                id.0, span.start, span.end
            ));
            escape_into(&mut html, &branch.text);
            html.push_str("</code> ");
            escape_into(&mut html, &branch.locator.element);
            html.push_str(&format!(": {}</button></li>", branch_verdict(branch)));
        }
        html.push_str("</ul>");
    }
    let onclick = {
        let onreveal = onreveal.clone();
        Callback::from(move |event: MouseEvent| {
            if let Some(target) = reveal_clicked(&event) {
                onreveal.emit(target);
            }
        })
    };
    html! {
        <div class="coverage" id="coverage" {onclick}>{ Html::from_html_unchecked(AttrValue::from(html)) }</div>
    }
}

/// What a branch's counts say, in words: the tooltip of its gutter mark and its line in the list.
pub fn branch_verdict(branch: &BranchCoverage) -> &'static str {
    match (branch.true_in, branch.false_in) {
        (0, 0) => "no row evaluates it",
        (0, _) => "no row makes it true",
        (_, 0) => "no row makes it false",
        _ => "true and false in some rows",
    }
}

/// The gutter marks of document `id` of `documents` as HTML text: a bar beside each line with a
/// statement or rule no row exercises or none decides, or a CEL branch the rows leave unpinned,
/// the titles of one line's marks joined. Lines rather than pixel offsets: the page's CSP
/// refuses inline style attributes. Empty while the grid has no rows.
pub fn coverage_marks(
    grid: &GridAnalysis,
    branches: &[BranchCoverage],
    documents: &[EditorDocument],
    id: DocumentId,
) -> AttrValue {
    let Some(document) = documents.iter().find(|document| document.id == id) else { return AttrValue::default() };
    if grid.results.is_empty() {
        return AttrValue::default();
    }
    let mut marks: Vec<(u32, String)> = Vec::new();
    for entry in grid.coverage.iter().filter(|entry| entry.locator.document == Some(id)) {
        let Some(span) = entry.locator.span else { continue };
        let verdict = match (entry.applied, entry.decided) {
            (0, _) => "no grid row exercises it",
            (_, 0) => "applies in some rows but decides none",
            _ => continue,
        };
        marks.push((span.start, format!("{}: {verdict}", entry.locator.element)));
    }
    for branch in branches.iter().filter(|branch| branch.locator.document == Some(id) && branch.is_uncovered()) {
        let Some(span) = branch.locator.span else { continue };
        marks.push((span.start, format!("`{}`: {}", branch.text, branch_verdict(branch))));
    }
    iamlab_model::order::sort_by_key(&mut marks, |(offset, _)| *offset);
    // One pass over the text: the marks are in offset order.
    let (mut html, mut line, mut counted, mut marked_line) =
        (String::from("<span class=\"gutter-marks\">"), 0, 0, None);
    for (offset, title) in marks {
        let until = (offset as usize).min(document.text.len());
        line += document
            .text
            .as_bytes()
            .get(counted..until)
            .map_or(0, |bytes| bytes.iter().filter(|byte| **byte == b'\n').count());
        counted = counted.max(until);
        if marked_line == Some(line) {
            // Another mark of the same line: its title joins the bar's.
            html.truncate(html.len() - "\">\u{258e}</span>".len());
            html.push_str("&#10;");
        } else {
            html.push_str(&"\n".repeat(line - marked_line.map_or(0, |marked| marked)));
            html.push_str("<span class=\"gutter-mark\" title=\"");
            marked_line = Some(line);
        }
        let mut escaped = String::new();
        escape_into(&mut escaped, &title);
        // In an attribute: the quotes too (the shared escape leaves them, as text needs).
        html.push_str(&escaped.replace('"', "&quot;"));
        html.push_str("\">\u{258e}</span>");
    }
    html.push_str("</span>");
    AttrValue::from(html)
}
