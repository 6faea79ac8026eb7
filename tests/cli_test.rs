//! `iamlab test` for every provider: one line per case and the summary (golden files), JSON and
//! JUnit outputs, every exit code (0 all passed, 1 a case failed or a file has errors, 2 usage
//! and I/O errors), and bad test files. Fixtures: `tests/fixtures/cli/test/`.

use crate::support::{fixture, TestCommand};

const FULL_ACCESS: &str = "cli/outscale/full-access.json";
const DENY_VM_DELETION: &str = "cli/outscale/deny-vm-deletion.json";

/// `iamlab test` with the two Outscale policies and `args`.
fn outscale_test(args: &[&str]) -> TestCommand {
    let mut command = TestCommand::new();
    command.args(["test", "--policy", &fixture(FULL_ACCESS), "--policy", &fixture(DENY_VM_DELETION)]).args(args);
    command
}

#[test]
fn every_provider_runs_its_cases() {
    let runs: [(&str, Vec<String>); 4] = [
        (
            "outscale",
            vec![
                "--policy".into(),
                fixture(FULL_ACCESS),
                "--policy".into(),
                fixture(DENY_VM_DELETION),
                fixture("cli/test/outscale-vm-deletion.json"),
            ],
        ),
        (
            "exoscale",
            vec![
                "--policy".into(),
                fixture("cli/exoscale/private-instance-role.json"),
                "--org-policy".into(),
                fixture("cli/exoscale/org-gva-only.json"),
                fixture("cli/test/exoscale-private-instances.json"),
            ],
        ),
        (
            "aws",
            vec![
                "--policy".into(),
                fixture("cli/outscale/aws-home-folder.json"),
                fixture("cli/test/aws-home-folder.json"),
            ],
        ),
        (
            "scaleway",
            vec![
                "--policy".into(),
                fixture("cli/test/scaleway-policy.json"),
                fixture("cli/test/scaleway-iam-manager.json"),
            ],
        ),
    ];
    for (provider, args) in runs {
        let finished = TestCommand::new().args(["test", "--provider", provider]).args(&args).assert_exit(0);
        insta::assert_snapshot!(format!("test-{provider}-passes"), finished.stdout);
    }
}

#[test]
fn a_failing_case_and_a_request_with_errors_exit_1() {
    let finished = outscale_test(&[&fixture("cli/test/outscale-wrong-expectation.json")]).assert_exit(1);
    assert!(finished.stdout.ends_with("1 passed, 2 failed\n"), "{}", finished.stdout);
    insta::assert_snapshot!("test-outscale-failures", finished.stdout);
}

#[test]
fn json_output_has_one_entry_per_case() {
    let report = outscale_test(&["--format", "json", &fixture("cli/test/outscale-wrong-expectation.json")])
        .assert_exit(1)
        .json();
    assert_eq!(report["summary"], serde_json::json!({"passed": 1, "failed": 2}));
    let cases = &report["files"][0]["cases"];
    assert_eq!(cases[1]["name"], "deleting is allowed <by mistake> & fails");
    assert_eq!((cases[1]["expect"].as_str(), cases[1]["got"].as_str()), (Some("allow"), Some("explicit_deny")));
    assert_eq!(
        cases[1]["decided_by"][0],
        "tests/fixtures/cli/outscale/deny-vm-deletion.json Statement[0] (Sid DenyVmDeletion)"
    );
    assert_eq!(cases[2]["got"], serde_json::Value::Null);
    assert_eq!(cases[2]["error"], "the request has errors");
    // The request's findings point into the test file, line 17.
    let diagnostic = &report["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["start"]["line"], 17, "{diagnostic}");
}

/// Checks a JUnit report against the rules of Jenkins' `junit-10.xsd` that CI services rely
/// on: the element tree, the required attributes, and counts that add up.
fn check_junit(xml: &str) -> roxmltree::Document<'_> {
    let document = roxmltree::Document::parse(xml).unwrap_or_else(|error| panic!("not XML ({error}):\n{xml}"));
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let count = |node: roxmltree::Node<'_, '_>, name: &str| -> usize {
        node.attribute(name).unwrap_or_else(|| panic!("{} has no {name}", node.tag_name().name())).parse().unwrap()
    };
    let (mut tests, mut failures, mut errors) = (0, 0, 0);
    for suite in root.children().filter(roxmltree::Node::is_element) {
        assert_eq!(suite.tag_name().name(), "testsuite");
        assert!(suite.attribute("name").is_some_and(|name| !name.is_empty()));
        let cases: Vec<_> = suite.children().filter(roxmltree::Node::is_element).collect();
        let failed =
            |kind: &str| cases.iter().filter(|case| case.children().any(|child| child.has_tag_name(kind))).count();
        assert_eq!(count(suite, "tests"), cases.len());
        assert_eq!(count(suite, "failures"), failed("failure"));
        assert_eq!(count(suite, "errors"), failed("error"));
        for case in &cases {
            assert_eq!(case.tag_name().name(), "testcase");
            assert!(case.attribute("name").is_some() && case.attribute("classname").is_some());
            for child in case.children().filter(roxmltree::Node::is_element) {
                assert!(matches!(child.tag_name().name(), "failure" | "error"), "{child:?}");
                assert!(child.attribute("message").is_some() && child.attribute("type").is_some());
            }
        }
        tests += cases.len();
        failures += failed("failure");
        errors += failed("error");
    }
    assert_eq!((count(root, "tests"), count(root, "failures"), count(root, "errors")), (tests, failures, errors));
    document
}

#[test]
fn junit_output_is_a_valid_report() {
    let finished = outscale_test(&[
        "--format",
        "junit",
        &fixture("cli/test/outscale-vm-deletion.json"),
        &fixture("cli/test/outscale-wrong-expectation.json"),
    ])
    .assert_exit(1);
    let document = check_junit(&finished.stdout);
    let failure = document.descendants().find(|node| node.has_tag_name("failure")).unwrap();
    assert_eq!(failure.parent().unwrap().attribute("name"), Some("deleting is allowed <by mistake> & fails"));
    assert!(failure.text().unwrap().contains("effect: explicit_deny"), "the explanation is the failure's body");
    let error = document.descendants().find(|node| node.has_tag_name("error")).unwrap();
    assert_eq!(error.parent().unwrap().attribute("name"), Some("a request without an action"));
    let passing = outscale_test(&["--format", "junit", &fixture("cli/test/outscale-vm-deletion.json")]).assert_exit(0);
    check_junit(&passing.stdout);
}

#[test]
fn a_policy_with_errors_fails_every_case() {
    let finished = TestCommand::new()
        .args([
            "test",
            "--policy",
            &fixture("cli/outscale/fcu-prefix.json"),
            &fixture("cli/test/outscale-vm-deletion.json"),
        ])
        .output();
    // fcu-prefix.json reads without errors (its finding is a check): the cases run.
    assert!(matches!(finished.code, Some(0 | 1)), "{finished:?}");
    let finished = TestCommand::new()
        .args(["test", "--policy", "-", &fixture("cli/test/outscale-vm-deletion.json")])
        .stdin("{\"Statement\": [")
        .assert_exit(1);
    assert!(finished.stdout.contains("got no decision: - has errors"), "{}", finished.stdout);
    assert!(finished.stdout.ends_with("0 passed, 3 failed\n"), "{}", finished.stdout);
    assert!(
        finished.stderr.contains("json::unexpected-end"),
        "the policy's errors are shown once: {}",
        finished.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let cases = fixture("cli/test/outscale-vm-deletion.json");
    for (args, message) in [
        (
            vec!["test", "--provider", "aws", "--policy", FULL_ACCESS, cases.as_str()],
            "has cases for outscale, not for --provider aws",
        ),
        (
            vec!["test", "--owner", "--policy", FULL_ACCESS, cases.as_str()],
            "--owner applies to --provider scaleway only",
        ),
        (
            vec!["test", "--org-policy", FULL_ACCESS, "--policy", FULL_ACCESS, cases.as_str()],
            "--org-policy applies to --provider exoscale only",
        ),
        (
            vec!["test", "--policy", "tests/fixtures/cli/test/missing.json", cases.as_str()],
            "cannot read tests/fixtures/cli/test/missing.json",
        ),
        (
            vec!["test", "--policy", &fixture(FULL_ACCESS), "tests/fixtures/cli/test"],
            "cannot read tests/fixtures/cli/test",
        ),
    ] {
        let args: Vec<String> = args
            .into_iter()
            .map(|arg| if arg == FULL_ACCESS { fixture(FULL_ACCESS) } else { arg.to_owned() })
            .collect();
        let finished = TestCommand::new().args(&args).assert_exit(2);
        assert!(finished.stderr.contains(message), "{args:?}: {}", finished.stderr);
    }
}

#[test]
fn bad_test_files_are_reported() {
    let policy = fixture(FULL_ACCESS);
    // Not JSON, empty, binary, a 1 MB array: diagnostics with a position, exit 1.
    let megabyte = format!("[{}1]", "1,".repeat(500_000));
    for (input, code) in [
        ("not json".as_bytes().to_vec(), "json::"),
        (Vec::new(), "json::empty-input"),
        (b"\x00\x01\x02\x7f".to_vec(), "json::"),
        (megabyte.into_bytes(), "tests::invalid-version"),
        (br#"{"iamlab_tests": 2, "provider": "aws", "cases": []}"#.to_vec(), "tests::invalid-version"),
    ] {
        let finished = TestCommand::new().args(["test", "--policy", &policy, "-"]).stdin(input).assert_exit(1);
        assert!(finished.stderr.contains(code), "{code}: {}", finished.stderr);
        assert!(finished.stderr.contains("--> -:1:"), "{code}: {}", finished.stderr);
    }
    let finished =
        TestCommand::new().args(["test", "--policy", &policy, "-"]).stdin(b"{\"\xff\": 1}".to_vec()).assert_exit(2);
    assert!(finished.stderr.contains("not UTF-8"), "{}", finished.stderr);
}
