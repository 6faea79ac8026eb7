//! `iamlab test --format junit`: JUnit XML, the test-report format CI services read (the shape
//! of Jenkins' `junit-10.xsd`: `testsuites` › `testsuite` › `testcase` with `failure` or `error`).
//! One suite per test-case file; a case whose decision differs from its expectation is a
//! `failure`, a case that could not be simulated (a document with errors) an `error`.

use std::fmt::Write as _;

/// What became of one case.
pub enum Outcome {
    Passed,
    /// The decision was not the expected one: the message, then the decision's explanation.
    Failed {
        message: String,
        details: String,
    },
    /// No decision: a document has errors.
    Error {
        message: String,
        details: String,
    },
}

pub struct Case {
    pub name: String,
    pub outcome: Outcome,
}

pub struct Suite {
    pub name: String,
    pub cases: Vec<Case>,
}

/// Text with the five XML special characters escaped, and characters XML 1.0 cannot hold
/// (most control characters) replaced by U+FFFD.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\t' | '\n' | '\r' => escaped.push(ch),
            ch if (ch as u32) < 0x20 || ch == '\u{FFFE}' || ch == '\u{FFFF}' => escaped.push('\u{FFFD}'),
            ch => escaped.push(ch),
        }
    }
    escaped
}

fn counts(cases: &[Case]) -> (usize, usize, usize) {
    let failures = cases.iter().filter(|case| matches!(case.outcome, Outcome::Failed { .. })).count();
    let errors = cases.iter().filter(|case| matches!(case.outcome, Outcome::Error { .. })).count();
    (cases.len(), failures, errors)
}

pub fn junit_report(suites: &[Suite]) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let all: Vec<&Case> = suites.iter().flat_map(|suite| &suite.cases).collect();
    let failures = all.iter().filter(|case| matches!(case.outcome, Outcome::Failed { .. })).count();
    let errors = all.iter().filter(|case| matches!(case.outcome, Outcome::Error { .. })).count();
    let _ = writeln!(
        xml,
        "<testsuites name=\"iamlab\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\">",
        all.len()
    );
    for (index, suite) in suites.iter().enumerate() {
        let (tests, failures, errors) = counts(&suite.cases);
        let name = escape(&suite.name);
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{name}\" id=\"{index}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\">"
        );
        for case in &suite.cases {
            let case_name = escape(&case.name);
            match &case.outcome {
                Outcome::Passed => {
                    let _ = writeln!(xml, "    <testcase name=\"{case_name}\" classname=\"{name}\"/>");
                }
                Outcome::Failed { message, details } | Outcome::Error { message, details } => {
                    let element = if matches!(case.outcome, Outcome::Failed { .. }) { "failure" } else { "error" };
                    let kind = if element == "failure" { "decision" } else { "invalid-document" };
                    let _ = writeln!(xml, "    <testcase name=\"{case_name}\" classname=\"{name}\">");
                    let _ = writeln!(
                        xml,
                        "      <{element} message=\"{}\" type=\"{kind}\">{}</{element}>",
                        escape(message),
                        escape(details)
                    );
                    let _ = writeln!(xml, "    </testcase>");
                }
            }
        }
        let _ = writeln!(xml, "  </testsuite>");
    }
    xml.push_str("</testsuites>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_characters_are_escaped_and_counts_add_up() {
        let report = junit_report(&[Suite {
            name: "a&b.json".to_owned(),
            cases: vec![
                Case { name: "<ok>".to_owned(), outcome: Outcome::Passed },
                Case {
                    name: "\"q\"".to_owned(),
                    outcome: Outcome::Failed { message: "expected allow".to_owned(), details: "x\u{1}y".to_owned() },
                },
            ],
        }]);
        assert!(report.contains("<testsuites name=\"iamlab\" tests=\"2\" failures=\"1\" errors=\"0\">"), "{report}");
        assert!(report.contains("name=\"&lt;ok&gt;\" classname=\"a&amp;b.json\""), "{report}");
        assert!(report.contains(">x\u{FFFD}y</failure>"), "{report}");
    }
}
