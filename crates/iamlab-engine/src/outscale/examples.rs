//! The documented examples the playground starts with and the CLI can print.

use crate::pipeline::{DocumentRole, Example, ExampleCase};
use crate::test_cases::Expectation;

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

/// Outscale, "Creating a Managed Policy": the read-only policy the page gives as an example.
const READ_ONLY_POLICY: &str = r#"{
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["api:Read*", "ec2:Describe*", "elasticloadbalancing:Describe*", "directconnect:Describe*", "iam:Get*", "iam:List*"],
      "Resource": ["*"]
    }
  ]
}
"#;

/// AWS, "Denies access to AWS based on the source IP": denies every call from outside two
/// ranges unless an AWS service makes it on the caller's behalf.
const AWS_DENY_IP_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": {
    "Effect": "Deny",
    "Action": "*",
    "Resource": "*",
    "Condition": {
      "NotIpAddress": { "aws:SourceIp": ["192.0.2.0/24", "203.0.113.0/24"] },
      "Bool": { "aws:ViaAWSService": "false" }
    }
  }
}
"#;

/// The page's deny only restricts what other policies grant: this second policy stands for
/// them, so that the requests it lets through are allowed rather than denied by default.
const AWS_ALLOW_ALL_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [{ "Sid": "WhatOtherPoliciesGrant", "Effect": "Allow", "Action": "*", "Resource": "*" }]
}
"#;

/// AWS, "Allows access to a home directory in Amazon S3 (console)", its listing statement:
/// the bucket's root, `home/` and the caller's own folder, through the `${aws:username}`
/// policy variable.
const AWS_HOME_DIRECTORY_POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "AllowListingOfUserFolder",
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::amzn-s3-demo-bucket",
      "Condition": { "StringLike": { "s3:prefix": ["", "home/", "home/${aws:username}/"] } }
    }
  ]
}
"#;

const fn case(name: &'static str, request: &'static str, expect: Expectation) -> ExampleCase {
    ExampleCase { name, request, expect }
}

/// The Outscale profile's; the first is the playground's default. The cases are those of
/// `tests/scenarios/outscale/13-outscale.json`, which cites the same pages.
pub const EXAMPLES: &[Example] = &[
    Example {
        title: "read-only access without VM deletion",
        origin: "https://docs.outscale.com/en/userguide/EIM-Policy-Elements.html",
        documents: &[(DocumentRole::Policy, OUTSCALE_POLICY), (DocumentRole::Request, OUTSCALE_REQUEST)],
        cases: &[
            case("reading VMs", r#"{"action": "api:ReadVms", "resource": "*", "context": {}}"#, Expectation::Allow),
            case(
                "deleting VMs",
                r#"{"action": "api:DeleteVms", "resource": "*", "context": {}}"#,
                Expectation::ExplicitDeny,
            ),
            case(
                "terminating instances through FCU",
                r#"{"action": "ec2:TerminateInstances", "resource": "*", "context": {}}"#,
                Expectation::ExplicitDeny,
            ),
            case(
                "creating a volume",
                r#"{"action": "api:CreateVolume", "resource": "*", "context": {}}"#,
                Expectation::ImplicitDeny,
            ),
        ],
    },
    Example {
        title: "a read-only managed policy",
        origin: "https://docs.outscale.com/en/userguide/Creating-a-Managed-Policy.html",
        documents: &[
            (DocumentRole::Policy, READ_ONLY_POLICY),
            (
                DocumentRole::Request,
                "{\n  \"action\": \"iam:ListUsers\",\n  \"resource\": \"*\",\n  \"context\": {}\n}\n",
            ),
        ],
        cases: &[
            case(
                "listing EIM users",
                r#"{"action": "iam:ListUsers", "resource": "*", "context": {}}"#,
                Expectation::Allow,
            ),
            case(
                "describing load balancers",
                r#"{"action": "elasticloadbalancing:DescribeLoadBalancers", "resource": "*", "context": {}}"#,
                Expectation::Allow,
            ),
            case(
                "deleting VMs",
                r#"{"action": "api:DeleteVms", "resource": "*", "context": {}}"#,
                Expectation::ImplicitDeny,
            ),
        ],
    },
];

/// The AWS profile's, from the AWS IAM User Guide's example policies. The cases are those of
/// `tests/scenarios/outscale/04-string.json` and `08-ip.json`, which cite the same pages.
pub const AWS_EXAMPLES: &[Example] = &[
    Example {
        title: "deny access from outside two IP ranges",
        origin: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_deny-ip.html",
        documents: &[
            (DocumentRole::Policy, AWS_DENY_IP_POLICY),
            (DocumentRole::Policy, AWS_ALLOW_ALL_POLICY),
            (
                DocumentRole::Request,
                "{\n  \"action\": \"s3:GetObject\",\n  \"resource\": \"*\",\n  \"context\": { \"aws:SourceIp\": \"198.51.100.1\", \"aws:ViaAWSService\": false }\n}\n",
            ),
        ],
        cases: &[
            case(
                "outside the ranges",
                r#"{"action": "s3:GetObject", "resource": "*", "context": {"aws:SourceIp": "198.51.100.1", "aws:ViaAWSService": false}}"#,
                Expectation::ExplicitDeny,
            ),
            case(
                "inside a range",
                r#"{"action": "s3:GetObject", "resource": "*", "context": {"aws:SourceIp": "203.0.113.9", "aws:ViaAWSService": false}}"#,
                Expectation::Allow,
            ),
            case(
                "made by an AWS service",
                r#"{"action": "s3:GetObject", "resource": "*", "context": {"aws:SourceIp": "198.51.100.1", "aws:ViaAWSService": true}}"#,
                Expectation::Allow,
            ),
        ],
    },
    Example {
        title: "list only your own home folder in S3",
        origin: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_s3_home-directory-console.html",
        documents: &[
            (DocumentRole::Policy, AWS_HOME_DIRECTORY_POLICY),
            (
                DocumentRole::Request,
                "{\n  \"action\": \"s3:ListBucket\",\n  \"resource\": \"arn:aws:s3:::amzn-s3-demo-bucket\",\n  \"context\": { \"s3:prefix\": \"home/bob/\", \"aws:username\": \"bob\" }\n}\n",
            ),
        ],
        cases: &[
            case(
                "your own folder",
                r#"{"action": "s3:ListBucket", "resource": "arn:aws:s3:::amzn-s3-demo-bucket", "context": {"s3:prefix": "home/bob/", "aws:username": "bob"}}"#,
                Expectation::Allow,
            ),
            case(
                "someone else's folder",
                r#"{"action": "s3:ListBucket", "resource": "arn:aws:s3:::amzn-s3-demo-bucket", "context": {"s3:prefix": "home/alice/", "aws:username": "bob"}}"#,
                Expectation::ImplicitDeny,
            ),
            case(
                "the bucket's root",
                r#"{"action": "s3:ListBucket", "resource": "arn:aws:s3:::amzn-s3-demo-bucket", "context": {"s3:prefix": "", "aws:username": "bob"}}"#,
                Expectation::Allow,
            ),
        ],
    },
];
