//! The documented examples the playground starts with and the CLI can print.

use crate::pipeline::{DocumentRole, Example, ExampleCase};
use crate::test_cases::Expectation;

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

/// Exoscale Terraform provider, `examples/iam-priv-instance/main.tf`: a role that lets its
/// holder deploy only private instances (`public_ip_assignment` must be `none`), denies the
/// legacy compute API and allows every other class by default.
const PRIVATE_INSTANCE_ROLE: &str = r#"{
  "name": "my-api-role",
  "description": "Role that allows only deploying private instances.",
  "editable": true,
  "policy": {
    "default-service-strategy": "allow",
    "services": {
      "compute": {
        "type": "rules",
        "rules": [
          {
            "action": "deny",
            "expression": "operation == 'create-instance' && (!parameters.has('public_ip_assignment') || parameters.public_ip_assignment != 'none')"
          },
          {
            "action": "allow",
            "expression": "true"
          }
        ]
      },
      "compute-legacy": {
        "type": "deny"
      }
    }
  }
}
"#;

/// Exoscale Terraform provider, `examples/iam-bucket-access/main.tf` (its read-write role):
/// listing buckets, and everything but creating or deleting them in two named buckets.
const BUCKET_ACCESS_ROLE: &str = r#"{
  "name": "sos-rw-role",
  "description": "Role for Read-Write access for 2 buckets",
  "editable": true,
  "policy": {
    "default-service-strategy": "deny",
    "services": {
      "sos": {
        "type": "rules",
        "rules": [
          {
            "action": "allow",
            "expression": "operation in ['list-sos-buckets-usage', 'list-buckets']"
          },
          {
            "action": "deny",
            "expression": "!(parameters.bucket in ['my-test-bucket', 'my-other-bucket'])"
          },
          {
            "action": "deny",
            "expression": "operation in ['create-bucket', 'delete-bucket']"
          },
          {
            "action": "allow",
            "expression": "true"
          }
        ]
      }
    }
  }
}
"#;

const fn case(name: &'static str, request: &'static str, expect: Expectation) -> ExampleCase {
    ExampleCase { name, request, expect }
}

/// The first is the playground's default. The cases are those of
/// `tests/scenarios/exoscale/documented_examples.json`, which cites the same sources.
pub const EXAMPLES: &[Example] = &[
    Example {
        title: "RBA 101: deny two SKS node pools, allow the rest of compute",
        origin: "https://community.exoscale.com/product/iam/how-to/policy-guide/",
        documents: &[
            (DocumentRole::Policy, EXOSCALE_POLICY),
            (DocumentRole::OrganizationPolicy, EXOSCALE_ORGANIZATION_POLICY),
            (DocumentRole::Request, EXOSCALE_REQUEST),
        ],
        cases: &[
            case(
                "a node pool not in the list",
                r#"{"operation": "scale-sks-nodepool", "parameters": {"size": 3}, "resources": {"sks_nodepool": {"name": "workers"}}}"#,
                Expectation::Allow,
            ),
            case(
                "an important node pool",
                r#"{"operation": "scale-sks-nodepool", "parameters": {"size": 3}, "resources": {"sks_nodepool": {"name": "foobar"}}}"#,
                Expectation::ExplicitDeny,
            ),
            case("dbaas follows the default deny", r#"{"operation": "list-dbaas-services"}"#, Expectation::ImplicitDeny),
            case("the organization denies sos", r#"{"operation": "list-buckets"}"#, Expectation::Deny),
        ],
    },
    Example {
        title: "Terraform: deploy private instances only",
        origin: "https://github.com/exoscale/terraform-provider-exoscale/blob/634e5905/examples/iam-priv-instance/main.tf",
        documents: &[
            (DocumentRole::Policy, PRIVATE_INSTANCE_ROLE),
            (DocumentRole::Request, "{\n  \"operation\": \"create-instance\",\n  \"parameters\": { \"public_ip_assignment\": \"none\" }\n}\n"),
        ],
        cases: &[
            case(
                "a public instance",
                r#"{"operation": "create-instance", "parameters": {"public_ip_assignment": "inet4"}}"#,
                Expectation::ExplicitDeny,
            ),
            case(
                "a private instance",
                r#"{"operation": "create-instance", "parameters": {"public_ip_assignment": "none"}}"#,
                Expectation::Allow,
            ),
            case(
                "no public_ip_assignment (the has() guard)",
                r#"{"operation": "create-instance", "parameters": {"name": "web"}}"#,
                Expectation::ExplicitDeny,
            ),
            case("other compute operations", r#"{"operation": "list-instances"}"#, Expectation::Allow),
            case(
                "the legacy API is denied",
                r#"{"operation": "deployVirtualMachine", "service": "compute-legacy"}"#,
                Expectation::ExplicitDeny,
            ),
        ],
    },
    Example {
        title: "Terraform: read-write access to two buckets",
        origin: "https://github.com/exoscale/terraform-provider-exoscale/blob/434f8116/examples/iam-bucket-access/main.tf",
        documents: &[
            (DocumentRole::Policy, BUCKET_ACCESS_ROLE),
            (DocumentRole::Request, "{\n  \"operation\": \"get-object\",\n  \"parameters\": { \"bucket\": \"my-test-bucket\", \"key\": \"a.txt\" }\n}\n"),
        ],
        cases: &[
            case("list-buckets", r#"{"operation": "list-buckets"}"#, Expectation::Allow),
            case(
                "get-object in an allowed bucket",
                r#"{"operation": "get-object", "parameters": {"bucket": "my-test-bucket", "key": "a.txt"}}"#,
                Expectation::Allow,
            ),
            case(
                "get-object in a foreign bucket",
                r#"{"operation": "get-object", "parameters": {"bucket": "someone-else", "key": "a.txt"}}"#,
                Expectation::ExplicitDeny,
            ),
            case(
                "create-bucket, even an allowed name",
                r#"{"operation": "create-bucket", "parameters": {"bucket": "my-test-bucket"}}"#,
                Expectation::ExplicitDeny,
            ),
            case("compute follows the default deny", r#"{"operation": "list-instances"}"#, Expectation::ImplicitDeny),
        ],
    },
];
