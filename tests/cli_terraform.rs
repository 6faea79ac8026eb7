//! `iamlab terraform`: the IAM policies of `terraform show -json` plans of each provider
//! (fixtures shaped like the providers' real output in `tests/fixtures/cli/terraform/`),
//! findings reported against resource addresses, `--tests`, and inputs that are not plans.

use crate::support::{fixture, TestCommand};

#[test]
fn each_provider_plan_is_validated_against_resource_addresses() {
    for provider in ["exoscale", "scaleway", "outscale"] {
        let finished = TestCommand::new()
            .args(["terraform", &fixture(&format!("cli/terraform/{provider}-plan.json"))])
            .assert_exit(1);
        insta::assert_snapshot!(format!("terraform-{provider}"), finished.stdout);
    }
}

#[test]
fn json_output_lists_every_policy_resource() {
    let report = TestCommand::new()
        .args(["terraform", "--format", "json", &fixture("cli/terraform/exoscale-plan.json")])
        .assert_exit(1)
        .json();
    let resources = report["resources"].as_array().unwrap();
    let addresses: Vec<&str> = resources.iter().map(|resource| resource["address"].as_str().unwrap()).collect();
    assert_eq!(
        addresses,
        [
            "exoscale_iam_org_policy.org",
            "module.iam.exoscale_iam_role.private_instances",
            "module.iam.exoscale_iam_role.faulty"
        ]
    );
    assert_eq!(resources[0]["kind"], "organization");
    let faulty = &resources[2]["diagnostics"];
    assert_eq!(faulty[0]["code"], "exoscale::invalid-value");
    assert_eq!(faulty[0]["file"], "module.iam.exoscale_iam_role.faulty");
    assert_eq!(faulty[0]["path"], "/policy/default-service-strategy");
    assert_eq!(report["summary"], serde_json::json!({"errors": 1, "warnings": 1, "notes": 0}));
    // The built document is the API's JSON in the documented key order.
    let document = resources[1]["document"].as_str().unwrap();
    assert!(document.starts_with("{\n  \"name\": \"my-api-role\",\n  \"description\""), "{document}");
    // Outscale documents are the resource's own text; one unknown until apply is said so.
    let report = TestCommand::new()
        .args(["terraform", "--format", "json", &fixture("cli/terraform/outscale-plan.json")])
        .assert_exit(1)
        .json();
    assert_eq!(report["resources"][1]["verbatim"], true);
    assert_eq!(report["resources"][1]["diagnostics"][0]["start"], serde_json::json!({"line": 3, "column": 37}));
    assert_eq!(report["resources"][2]["document"], serde_json::Value::Null);
}

#[test]
fn tests_run_against_the_plan_policies() {
    let finished = TestCommand::new()
        .args(["terraform", &fixture("cli/terraform/exoscale-plan.json")])
        .args(["--tests", &fixture("cli/test/exoscale-private-instances.json")])
        .assert_exit(1);
    insta::assert_snapshot!("terraform-exoscale-tests", finished.stdout);
    let report = TestCommand::new()
        .args(["terraform", "--format", "json", &fixture("cli/terraform/scaleway-plan.json")])
        .args(["--tests", &fixture("cli/test/scaleway-iam-manager.json")])
        .assert_exit(1)
        .json();
    let files = report["tests"]["files"].as_array().unwrap();
    assert_eq!(files[0]["file"], "tests/fixtures/cli/test/scaleway-iam-manager.json against scaleway_iam_policy.prod1");
    assert_eq!(files[0]["cases"][0]["passed"], true);
    assert_eq!(files[1]["cases"][0]["error"], "scaleway_iam_policy.nobody has errors");
}

#[test]
fn a_plan_without_policies_passes_and_inputs_that_are_not_plans_exit_2() {
    let stdout = TestCommand::new()
        .args(["terraform", "-"])
        .stdin(r#"{"format_version": "1.2", "planned_values": {"root_module": {}}}"#)
        .stdout();
    assert_eq!(stdout, "no IAM policy resources in the plan\n");
    for (input, message) in [
        ("not json", "not JSON"),
        ("", "not JSON"),
        (r#"{"format_version": "1.2"}"#, "not `terraform show -json` output"),
    ] {
        let finished = TestCommand::new().args(["terraform", "-"]).stdin(input).assert_exit(2);
        assert!(finished.stderr.contains(message), "{input:?}: {}", finished.stderr);
    }
    let finished = TestCommand::new().args(["terraform", "tests/fixtures/cli/terraform/missing.json"]).assert_exit(2);
    assert!(finished.stderr.contains("cannot read tests/fixtures/cli/terraform/missing.json"), "{}", finished.stderr);
    let finished = TestCommand::new().args(["terraform", "tests/fixtures/cli/terraform"]).assert_exit(2);
    assert!(finished.stderr.contains("cannot read tests/fixtures/cli/terraform"), "{}", finished.stderr);
}
