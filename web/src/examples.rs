//! The documents each tab starts with: one documented example policy per provider and a request
//! in the shape the provider's engine reads.

use crate::state::Tab;

/// Exoscale: the "Rule Based Authorization (RBA) 101" policy of Exoscale's policy guide,
/// <https://community.exoscale.com/product/iam/how-to/policy-guide/> — a bare policy (what the
/// `policy` field of a role holds) denying compute operations on two SKS node pools and
/// allowing the rest of the compute class.
const EXOSCALE_POLICY: &str = r#"{
  "default-service-strategy": "deny",
  "services": {
    "compute": {
      "type": "rules",
      "rules": [
        {
          "action": "deny",
          "expression": "resource.sks_nodepool.name in ['important-nodepool', 'foobar']"
        },
        {
          "action": "allow",
          "expression": "true"
        }
      ]
    }
  }
}
"#;

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

/// Outscale: a policy document in the structure of Outscale's "EIM Policy Elements" reference
/// (<https://docs.outscale.com/en/userguide/EIM-Policy-Elements.html>: `Statement` array of
/// `Sid`/`Action`/`Effect`/`Resource`, service codes `api` and `ec2`), with the VM-deletion
/// deny that the "EIM Policy Generator" page gives as its example (denying VM deletion needs
/// both `api:DeleteVms` and the FCU `TerminateInstances`). The API calls are those of the EIM
/// and OUTSCALE API references (`../shared/seeds/outscale-eim-api.txt`).
const OUTSCALE_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadOnly",
      "Effect": "Allow",
      "Action": ["api:Read*", "ec2:Describe*"],
      "Resource": ["*"]
    },
    {
      "Sid": "NoVmDeletion",
      "Effect": "Deny",
      "Action": ["api:DeleteVms", "ec2:TerminateInstances"],
      "Resource": ["*"]
    }
  ]
}
"#;

/// Exoscale: the organization policy of the `exoscale_iam_org_policy` example of the Exoscale
/// Terraform provider (as republished in the Pulumi registry's `exoscale.IamOrgPolicy` page,
/// <https://www.pulumi.com/registry/packages/exoscale/api-docs/iamorgpolicy>): allow everything
/// but the SOS (object storage) service class.
pub const EXOSCALE_ORGANIZATION_POLICY: &str = r#"{
  "default-service-strategy": "allow",
  "services": {
    "sos": {
      "type": "deny"
    }
  }
}
"#;

/// The Exoscale request shape of the engine issue: an operation of the v3 API with its zone and
/// parameters.
const EXOSCALE_REQUEST: &str = r#"{
  "operation": "create-instance",
  "zone": "ch-gva-2",
  "parameters": {
    "name": "web-1",
    "instance-type": { "id": "b6cd1ff5-3a2f-4e9d-a4d1-8988c1191fe8" },
    "template": { "id": "b2b8b9e4-6f3e-4d8a-9a4e-1c1e4a6a2d7f" },
    "disk-size": 50
  }
}
"#;

/// Scaleway: the permission set asked for, where, and the CEL `request.*` variables.
const SCALEWAY_REQUEST: &str = r#"{
  "permission_set": "IAMManager",
  "organization_id": "c6842bac-7938-4c04-9e03-f48147eee1f1",
  "request": {
    "ip": "203.0.113.7",
    "time": "2026-11-22T12:00:00Z",
    "user_agent": "scaleway-cli/2.30"
  }
}
"#;

/// Outscale and AWS: an action, a resource and the request context.
const OUTSCALE_REQUEST: &str = r#"{
  "action": "api:ReadVms",
  "resource": "*",
  "context": {}
}
"#;

pub fn example_policy(tab: Tab) -> &'static str {
    match tab {
        Tab::Exoscale => EXOSCALE_POLICY,
        Tab::Scaleway => SCALEWAY_POLICY,
        Tab::Outscale => OUTSCALE_POLICY,
    }
}

pub fn example_request(tab: Tab) -> &'static str {
    match tab {
        Tab::Exoscale => EXOSCALE_REQUEST,
        Tab::Scaleway => SCALEWAY_REQUEST,
        Tab::Outscale => OUTSCALE_REQUEST,
    }
}
