//! The documented examples the playground starts with and the CLI can print.

use crate::pipeline::{DocumentRole, Example};

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

pub const EXAMPLES: &[Example] = &[Example {
    title: "IAMManager at Organization scope for an application",
    origin: "Scaleway IAM API quickstart, POST /iam/v1alpha1/policies",
    documents: &[(DocumentRole::Policy, SCALEWAY_POLICY), (DocumentRole::Request, SCALEWAY_REQUEST)],
}];
