//! The documented examples the playground starts with and the CLI can print.

use crate::pipeline::{DocumentRole, Example, ExampleCase};
use crate::test_cases::Expectation;

/// Scaleway: the policy of step 4 of the IAM API's quickstart, in the Scaleway IAM OpenAPI
/// specification (`POST /iam/v1alpha1/policies`, `../shared/seeds/scaleway-iam-openapi-flattened.txt`):
/// the `IAMManager` permission set at Organization scope, for application `prod1`.
const SCALEWAY_POLICY: &str = r#"{
  "name": "policy-prod1",
  "description": "This policy grants full access to IAM in my Organization to application prod1",
  "organization_id": "c6842bac-7938-4c04-9e03-f48147eee1f1",
  "rules": [
    {
      "permission_set_names": [
        "IAMManager"
      ],
      "organization_id": "c6842bac-7938-4c04-9e03-f48147eee1f1"
    }
  ],
  "application_id": "950dde46-5cba-427d-a4f5-ce5a8a79717c"
}
"#;

/// Scaleway: the permission set asked for, where, and what the condition sees as `request.*`.
const SCALEWAY_REQUEST: &str = r#"{
  "permission_set": "IAMManager",
  "organization_id": "c6842bac-7938-4c04-9e03-f48147eee1f1",
  "context": {
    "ip": "203.0.113.7",
    "time": "2026-11-22T12:00:00Z",
    "user_agent": "scaleway-cli/2.30"
  }
}
"#;

/// Scaleway documentation, "Policies" (`pages/iam/policies-permissions/policy.mdx` of
/// scaleway/docs-content, the `production-c` example): a group's policy with one rule per
/// Project, each granting several permission sets.
const PRODUCTION_POLICY: &str = r#"{
  "name": "production-c",
  "organization_id": "c6842bac-7938-4c04-9e03-f48147eee1f1",
  "group_id": "7b1d3db9-a28b-429b-a1b4-16a5ac66b8bf",
  "rules": [
    {
      "permission_set_names": ["InstancesFullAccess", "ObjectStorageReadOnly", "RelationalDatabasesFullAccess"],
      "project_ids": ["2aeadddc-c589-4784-8ef5-fae989a4bac8"]
    },
    {
      "permission_set_names": ["ContainerRegistryFullAccess", "ContainersReadOnly", "RelationalDatabasesFullAccess"],
      "project_ids": ["5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"]
    }
  ]
}
"#;

/// Scaleway Terraform provider, `docs/resources/iam_policy.md` ("with conditions"), attached to
/// a user as in its acceptance test: every product, but only from one user agent.
const CONDITION_POLICY: &str = r#"{
  "name": "tf_tests_policy_condition",
  "organization_id": "c6842bac-7938-4c04-9e03-f48147eee1f1",
  "user_id": "6a0c2ca8-917a-418a-90a3-05949b55a7ae",
  "rules": [
    {
      "permission_set_names": ["AllProductsFullAccess"],
      "condition": "request.user_agent == 'My User Agent'",
      "organization_id": "c6842bac-7938-4c04-9e03-f48147eee1f1"
    }
  ]
}
"#;

const fn case(name: &'static str, request: &'static str, expect: Expectation) -> ExampleCase {
    ExampleCase { name, request, expect }
}

/// The first is the playground's default. The cases are those of `tests/scenarios/scaleway/`
/// (`quickstart.json`, `production.json`, `terraform.json`), which cite the same sources.
pub const EXAMPLES: &[Example] = &[
    Example {
        title: "IAMManager at Organization scope for an application",
        origin: "https://www.scaleway.com/en/developers/api/iam/",
        documents: &[(DocumentRole::Policy, SCALEWAY_POLICY), (DocumentRole::Request, SCALEWAY_REQUEST)],
        cases: &[
            case(
                "IAMManager in the Organization",
                r#"{"permission_set": "IAMManager", "organization_id": "c6842bac-7938-4c04-9e03-f48147eee1f1"}"#,
                Expectation::Allow,
            ),
            case(
                "BillingManager is not covered",
                r#"{"permission_set": "BillingManager", "organization_id": "c6842bac-7938-4c04-9e03-f48147eee1f1"}"#,
                Expectation::ImplicitDeny,
            ),
            case(
                "no Project resources",
                r#"{"permission_set": "InstancesReadOnly", "project_id": "2aeadddc-c589-4784-8ef5-fae989a4bac8"}"#,
                Expectation::ImplicitDeny,
            ),
        ],
    },
    Example {
        title: "Docs: production access per Project for a group",
        origin: "https://github.com/scaleway/docs-content/blob/e8d254dcc7a4f23aaf8b0742cb8e84578303f3f5/pages/iam/policies-permissions/policy.mdx",
        documents: &[
            (DocumentRole::Policy, PRODUCTION_POLICY),
            (
                DocumentRole::Request,
                "{\n  \"permission_set\": \"InstancesFullAccess\",\n  \"project_id\": \"2aeadddc-c589-4784-8ef5-fae989a4bac8\"\n}\n",
            ),
        ],
        cases: &[
            case(
                "Instances in Project A",
                r#"{"permission_set": "InstancesFullAccess", "project_id": "2aeadddc-c589-4784-8ef5-fae989a4bac8"}"#,
                Expectation::Allow,
            ),
            case(
                "Instances not in Project F",
                r#"{"permission_set": "InstancesFullAccess", "project_id": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"}"#,
                Expectation::ImplicitDeny,
            ),
            case(
                "Container Registry in Project F",
                r#"{"permission_set": "ContainerRegistryFullAccess", "project_id": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"}"#,
                Expectation::Allow,
            ),
            case(
                "Object Storage read-only only",
                r#"{"permission_set": "ObjectStorageFullAccess", "project_id": "2aeadddc-c589-4784-8ef5-fae989a4bac8"}"#,
                Expectation::ImplicitDeny,
            ),
        ],
    },
    Example {
        title: "Terraform: every product from one user agent",
        origin: "https://github.com/scaleway/terraform-provider-scaleway/blob/b2d45ed4bd720e127167f80f1e0b86c7833577e6/docs/resources/iam_policy.md",
        documents: &[
            (DocumentRole::Policy, CONDITION_POLICY),
            (
                DocumentRole::Request,
                "{\n  \"permission_set\": \"InstancesFullAccess\",\n  \"project_id\": \"2aeadddc-c589-4784-8ef5-fae989a4bac8\",\n  \"context\": { \"user_agent\": \"My User Agent\" }\n}\n",
            ),
        ],
        cases: &[
            case(
                "the named user agent",
                r#"{"permission_set": "InstancesFullAccess", "project_id": "2aeadddc-c589-4784-8ef5-fae989a4bac8", "context": {"user_agent": "My User Agent"}}"#,
                Expectation::Allow,
            ),
            case(
                "another user agent",
                r#"{"permission_set": "InstancesFullAccess", "project_id": "2aeadddc-c589-4784-8ef5-fae989a4bac8", "context": {"user_agent": "terraform/1.11.3"}}"#,
                Expectation::ImplicitDeny,
            ),
        ],
    },
];
