//! The documented examples the playground starts with and the CLI can print.

use crate::pipeline::{DocumentRole, Example};

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

/// Exoscale: the organization policy of the `exoscale_iam_org_policy` example of the Exoscale
/// Terraform provider (as republished in the Pulumi registry's `exoscale.IamOrgPolicy` page,
/// <https://www.pulumi.com/registry/packages/exoscale/api-docs/iamorgpolicy>): allow everything
/// but the SOS (object storage) service class.
const EXOSCALE_ORGANIZATION_POLICY: &str = r#"{
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

pub const EXAMPLES: &[Example] = &[Example {
    title: "RBA 101: deny two SKS node pools, allow the rest of compute",
    origin: "https://community.exoscale.com/product/iam/how-to/policy-guide/",
    documents: &[
        (DocumentRole::Policy, EXOSCALE_POLICY),
        (DocumentRole::OrganizationPolicy, EXOSCALE_ORGANIZATION_POLICY),
        (DocumentRole::Request, EXOSCALE_REQUEST),
    ],
}];
