//! Keystrokes timed by the app's own performance marks (`web/src/hooks/use_performance_marks.rs`):
//! from the `input` event to the diagnostics, decision and grid in the DOM, and to the next
//! frame, split by phase.
//!
//! In a normal run the test types a few keys into the heaviest workload and checks that every
//! keystroke is measured, phase by phase. `cargo xtask bench-browser` sets
//! `IAMLAB_BENCH_KEYSTROKES` (at least 200) and reads the figures this prints, one
//! `bench-browser<TAB>…` line per workload: a 5,120-character Outscale policy and a 50-rule
//! Exoscale role, each alone and with a 20-row grid.

use super::*;

const BENCH_ENV: &str = "IAMLAB_BENCH_KEYSTROKES";
const WARM_UP: usize = 10;

/// The measures of one keystroke, in milliseconds.
const MEASURES: [&str; 6] = [
    "iamlab:input-to-dom",
    "iamlab:input-to-frame",
    "iamlab:dispatch",
    "iamlab:analysis",
    "iamlab:grid",
    "iamlab:view",
];

/// An Exoscale role whose `compute` service has `count` rules: `count - 1` that do not match the
/// request, then `true` (the generator of `crates/iamlab-engine/examples/scale_series.rs`).
fn exoscale_role(count: usize) -> String {
    let mut rules = Vec::new();
    for index in 0..count - 1 {
        let expression = match index % 5 {
            0 => format!("operation in ['delete-instance', 'stop-instance'] && zone == 'zone-{index}'"),
            1 => format!("has(parameters.name) && parameters.name == 'instance-{index}'"),
            2 => format!("parameters.has('public_ip_assignment') && parameters.public_ip_assignment == 'dual' && zone == 'z{index}'"),
            3 => format!("source_ip.inIpRange('10.{}.0.0/16')", index % 256),
            _ => format!("operation.startsWith('reboot-') && resources.has('instance') && resources.instance.name == 'i{index}'"),
        };
        let action = if index % 2 == 0 { "deny" } else { "allow" };
        rules.push(format!("        {{ \"action\": \"{action}\", \"expression\": \"{expression}\" }}"));
    }
    rules.push("        { \"action\": \"allow\", \"expression\": \"true\" }".to_owned());
    format!(
        "{{\n  \"name\": \"team-role\",\n  \"policy\": {{\n    \"default-service-strategy\": \"deny\",\n    \"services\": {{\n      \"compute\": {{\n        \"type\": \"rules\",\n        \"rules\": [\n{}\n        ]\n      }}\n    }}\n  }}\n}}\n",
        rules.join(",\n")
    )
}

/// A test-case file of `count` rows of the provider's request shape, each a different request.
fn grid_file(provider: &str, count: usize) -> String {
    let cases: Vec<Json> = (0..count)
        .map(|index| {
            let request = if provider == "outscale" {
                let actions =
                    ["api:ReadVms", "api:DeleteVms", "api:CreateVolume", "ec2:DescribeInstances", "api:ReadNets"];
                json!({ "action": actions[index % actions.len()], "resource": "*", "context": {} })
            } else {
                let operations =
                    ["create-instance", "delete-instance", "reboot-instance", "list-instances", "get-instance"];
                json!({ "operation": operations[index % operations.len()], "zone": "ch-gva-2",
                        "parameters": { "name": format!("web-{index}") } })
            };
            json!({ "name": format!("row {index}"), "request": request, "expect": "allow" })
        })
        .collect();
    json!({ "iamlab_tests": 1, "provider": provider, "cases": cases }).to_string()
}

struct Workload {
    name: String,
    tab: &'static str,
    policy: String,
    grid_rows: usize,
}

fn workloads() -> Vec<Workload> {
    let outscale = super::embedding::outscale_policy_of_5120_characters();
    let exoscale = exoscale_role(50);
    let mut all = Vec::new();
    for rows in [0, 20] {
        let grid = if rows == 0 { String::new() } else { format!(" + {rows}-row grid") };
        all.push(Workload {
            name: format!("outscale policy, 5120 chars{grid}"),
            tab: "outscale",
            policy: outscale.clone(),
            grid_rows: rows,
        });
        all.push(Workload {
            name: format!("exoscale role, 50 rules{grid}"),
            tab: "exoscale",
            policy: exoscale.clone(),
            grid_rows: rows,
        });
    }
    all
}

/// Puts the workload in its tab: the policy, and the grid imported from a test-case file.
async fn prepare(page: &Page, workload: &Workload) -> TestResult {
    page.select_tab(workload.tab).await?;
    page.set_editor_value(&workload.policy).await?;
    if workload.grid_rows > 0 {
        page.click("#grid-import-open").await?;
        page.wait_until("the import box is shown", "return !!document.querySelector('#grid-file');").await?;
        page.paste("#grid-file", &grid_file(workload.tab, workload.grid_rows)).await?;
        page.click("#grid-import").await?;
    }
    page.wait_until(
        "the grid has the workload's rows",
        &format!("return document.querySelectorAll('.grid-row').length === {};", workload.grid_rows),
    )
    .await?;
    // However many rows, the grid scrolls inside its panel: the page itself never scrolls
    // sideways (at the harness's 1280-pixel window the grid's columns are wider than its panel).
    let widths =
        page.js("return [document.documentElement.scrollWidth, document.documentElement.clientWidth];", vec![]).await?;
    ensure(widths.get(0) == widths.get(1), || {
        format!("{}: the page is wider than the window: {widths}", workload.name)
    })?;
    // The caret at the end of the policy, where the keystrokes go.
    page.js(
        "const editor = document.querySelector('#policy-editor'); editor.focus();
         editor.setSelectionRange(editor.value.length, editor.value.length);",
        vec![],
    )
    .await?;
    Ok(())
}

/// Types one key into the focused editor and returns the app's measures of it.
async fn timed_keystroke(page: &Page, key: char) -> TestResult<Vec<Option<f64>>> {
    page.js("performance.clearMeasures();", vec![]).await?;
    page.type_keys(&key.to_string()).await?;
    let measured = page
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const started = performance.now();
             (function poll() {
                 if (performance.getEntriesByName('iamlab:input-to-frame').length > 0) {
                     const measures = {};
                     for (const entry of performance.getEntriesByType('measure')) measures[entry.name] = entry.duration;
                     done(window.__iamlabMeasureNames.map((name) => (name in measures ? measures[name] : null)));
                 } else if (performance.now() - started > 10000) {
                     done(null);
                 } else {
                     setTimeout(poll, 1);
                 }
             })();",
            vec![],
        )
        .await?;
    if measured.is_null() {
        return fail(format!("the keystroke {key:?} was not measured within 10 s"));
    }
    Ok(serde_json::from_value(measured)?)
}

/// `count` keystrokes (a space, then a backspace, so that the text keeps its size), after a
/// warm-up: each keystroke's measures in the order of [`MEASURES`].
async fn keystrokes(page: &Page, workload: &Workload, count: usize) -> TestResult<Vec<Vec<Option<f64>>>> {
    prepare(page, workload).await?;
    page.js("window.__iamlabMeasureNames = arguments[0];", vec![json!(MEASURES)]).await?;
    let mut all = Vec::new();
    for index in 0..WARM_UP + count {
        let key = if index % 2 == 0 { ' ' } else { '\u{E003}' };
        let measures = timed_keystroke(page, key).await?;
        if index >= WARM_UP {
            all.push(measures);
        }
    }
    let expected = workload.policy.trim_end().len();
    let now = page.editor_value().await?.trim_end().len();
    ensure(now == expected, || format!("{}: the keystrokes changed the policy's length to {now}", workload.name))?;
    Ok(all)
}

fn percentile(sorted: &[f64], fraction: f64) -> f64 {
    let rank = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted.get(rank).copied().unwrap_or(f64::NAN)
}

/// The median and p95 of measure `column` over the keystrokes that have it.
fn median_and_p95(rows: &[Vec<Option<f64>>], column: usize) -> (f64, f64, usize) {
    let mut values: Vec<f64> = rows.iter().filter_map(|row| row.get(column).copied().flatten()).collect();
    values.sort_by(f64::total_cmp);
    (percentile(&values, 0.5), percentile(&values, 0.95), values.len())
}

#[test]
fn each_keystroke_is_measured_from_the_input_event_to_the_dom_phase_by_phase() {
    browser_test("each_keystroke_is_measured_from_the_input_event_to_the_dom_phase_by_phase", |page| async move {
        let bench: Option<usize> = std::env::var(BENCH_ENV).ok().and_then(|count| count.parse().ok());
        page.open("").await?;
        let mut workloads = workloads();
        if bench.is_none() {
            // The check: the heaviest workload, a few keys.
            workloads.retain(|workload| workload.tab == "exoscale" && workload.grid_rows > 0);
        }
        let count = bench.unwrap_or(6);
        for workload in &workloads {
            let rows = keystrokes(&page, workload, count).await?;
            for (index, row) in rows.iter().enumerate() {
                let [Some(total), Some(frame), Some(dispatch), Some(analysis), grid, Some(view)] = row.as_slice()
                else {
                    return fail(format!("{}: keystroke {index} lacks a measure: {row:?}", workload.name));
                };
                // A 20-row grid re-runs on every keystroke, inside the analysis (one reading of
                // the documents for both); the grid's own phase (coverage, the saved version)
                // runs and is measured whenever the documents change, rows or not.
                ensure(grid.is_some(), || format!("{}: keystroke {index} has no grid measure", workload.name))?;
                let phases = dispatch + analysis + grid.unwrap_or(0.0) + view;
                ensure(phases <= total + 0.5 && *total <= frame + 0.5, || {
                    format!("{}: keystroke {index}: phases {row:?} do not add up within the total", workload.name)
                })?;
            }
            if bench.is_some() {
                let mut line = format!("bench-browser\t{}\t{}", workload.name, rows.len());
                for column in 0..MEASURES.len() {
                    let (median, p95, _) = median_and_p95(&rows, column);
                    line.push_str(&format!("\t{median:.3}\t{p95:.3}"));
                }
                println!("{line}");
            }
        }
        page.ensure_no_console_errors().await
    });
}
