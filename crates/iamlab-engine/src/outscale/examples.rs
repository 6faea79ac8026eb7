//! The documented examples the playground starts with and the CLI can print.

use crate::pipeline::{DocumentRole, Example};

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

/// Outscale and AWS: an action, a resource and the request context.
const OUTSCALE_REQUEST: &str = r#"{
  "action": "api:ReadVms",
  "resource": "*",
  "context": {}
}
"#;

pub const EXAMPLES: &[Example] = &[Example {
    title: "read-only access without VM deletion",
    origin: "https://docs.outscale.com/en/userguide/EIM-Policy-Elements.html",
    documents: &[(DocumentRole::Policy, OUTSCALE_POLICY), (DocumentRole::Request, OUTSCALE_REQUEST)],
}];
