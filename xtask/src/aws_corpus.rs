//! The AWS comparison's corpus: identity-policy requests generated deterministically (a fixed
//! seed, a small linear congruential generator), so that every run and every machine simulates
//! the same cases. Each case is one identity policy and one request: real AWS actions (so that
//! `@cloud-copilot/iam-simulate`, which checks them against its action data, accepts them) on
//! ARNs of their resource types, `*` for the wildcard-only actions; statements mix exact and
//! wildcard actions (`s3:Get*`, `ec2:*Instances`, `s3:???Object`, `*`, other letter case),
//! `NotAction`, exact and wildcard resources, `NotResource`, `Deny`, and conditions on global
//! keys (strings, `…IfExists`, IP ranges, booleans, dates, numbers, `Null`, `ForAnyValue`),
//! with requests that give or omit each key.

use serde_json::{json, Value};

const ACCOUNT: &str = "123456789012";

/// (action, resource type) of the actions requests ask for.
const ACTIONS: &[(&str, Kind)] = &[
    ("s3:GetObject", Kind::Object),
    ("s3:PutObject", Kind::Object),
    ("s3:DeleteObject", Kind::Object),
    ("s3:ListBucket", Kind::Bucket),
    ("s3:GetBucketPolicy", Kind::Bucket),
    ("ec2:StartInstances", Kind::Instance),
    ("ec2:StopInstances", Kind::Instance),
    ("ec2:TerminateInstances", Kind::Instance),
    ("ec2:DescribeInstances", Kind::Wildcard),
    ("iam:GetUser", Kind::User),
    ("iam:DeleteUser", Kind::User),
    ("dynamodb:GetItem", Kind::Table),
    ("dynamodb:PutItem", Kind::Table),
    ("dynamodb:Query", Kind::Table),
    ("sqs:SendMessage", Kind::Queue),
    ("sqs:ReceiveMessage", Kind::Queue),
    ("lambda:InvokeFunction", Kind::Function),
    ("sts:GetCallerIdentity", Kind::Wildcard),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Object,
    Bucket,
    Instance,
    User,
    Table,
    Queue,
    Function,
    /// An action without resource types: its resource is `*`.
    Wildcard,
}

/// Action patterns for statements, beyond the exact names.
const ACTION_PATTERNS: &[&str] = &[
    "s3:*",
    "s3:Get*",
    "s3:*Object",
    "s3:???Object",
    "S3:getobject",
    "ec2:*Instances",
    "ec2:Describe*",
    "EC2:StopInstances",
    "iam:*",
    "iam:Get*",
    "dynamodb:*Item",
    "dynamodb:*",
    "sqs:*Message",
    "lambda:Invoke*",
    "sts:*",
    "*",
];

/// Resource patterns for statements, beyond the exact ARNs of requests.
const RESOURCE_PATTERNS: &[&str] = &[
    "*",
    "arn:aws:s3:::bucket-a/*",
    "arn:aws:s3:::bucket-?/public/*",
    "arn:aws:s3:::*",
    "arn:aws:s3:::bucket-*",
    "arn:aws:s3:::logs/*",
    "arn:aws:ec2:*:123456789012:instance/*",
    "arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc1*",
    "arn:aws:iam::123456789012:user/*",
    "arn:aws:iam::123456789012:user/a*",
    "arn:aws:dynamodb:eu-west-1:123456789012:table/*",
    "arn:aws:dynamodb:*:*:table/Orders",
    "arn:aws:sqs:*:123456789012:jobs",
    "arn:aws:lambda:eu-west-1:123456789012:function:*",
    "arn:aws:*:*:123456789012:*",
];

struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        // Knuth's MMIX constants; the high bits are the better ones.
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let index = self.below(items.len());
        &items[index]
    }
}

fn resource(random: &mut Random, kind: Kind) -> String {
    let region = *random.pick(&["eu-west-1", "us-east-1"]);
    match kind {
        Kind::Object => {
            let bucket = random.pick(&["bucket-a", "bucket-b", "logs"]);
            let key = random.pick(&["k1.txt", "public/img.png", "private/secret", "public/a/b.css"]);
            format!("arn:aws:s3:::{bucket}/{key}")
        }
        Kind::Bucket => format!("arn:aws:s3:::{}", random.pick(&["bucket-a", "bucket-b", "logs"])),
        Kind::Instance => {
            format!("arn:aws:ec2:{region}:{ACCOUNT}:instance/{}", random.pick(&["i-0abc1", "i-0abc2", "i-9f"]))
        }
        Kind::User => format!("arn:aws:iam::{ACCOUNT}:user/{}", random.pick(&["alice", "bob", "admin"])),
        Kind::Table => format!("arn:aws:dynamodb:{region}:{ACCOUNT}:table/{}", random.pick(&["Orders", "Users"])),
        Kind::Queue => format!("arn:aws:sqs:{region}:{ACCOUNT}:{}", random.pick(&["jobs", "events"])),
        Kind::Function => format!("arn:aws:lambda:{region}:{ACCOUNT}:function:{}", random.pick(&["fn-a", "fn-b"])),
        Kind::Wildcard => "*".to_owned(),
    }
}

/// One or a few items: a string alone, or a list.
fn one_or_list(random: &mut Random, mut item: impl FnMut(&mut Random) -> String) -> Value {
    let count = 1 + random.below(3);
    if count == 1 && random.chance(60) {
        return Value::from(item(random));
    }
    Value::from((0..count).map(|_| item(random)).collect::<Vec<_>>())
}

fn action_item(random: &mut Random) -> String {
    if random.chance(50) {
        random.pick(ACTIONS).0.to_owned()
    } else {
        (*random.pick(ACTION_PATTERNS)).to_owned()
    }
}

fn resource_item(random: &mut Random) -> String {
    if random.chance(35) {
        let kind = random.pick(ACTIONS).1;
        resource(random, kind)
    } else {
        (*random.pick(RESOURCE_PATTERNS)).to_owned()
    }
}

fn condition(random: &mut Random) -> Value {
    match random.below(13) {
        0 => json!({"StringEquals": {"aws:RequestedRegion": random.pick(&["eu-west-1", "us-east-1"])}}),
        1 => json!({"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}),
        2 => json!({"IpAddress": {"aws:SourceIp": random.pick(&["10.0.0.0/8", "203.0.113.0/24"])}}),
        3 => json!({"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "10.1.0.0/16"]}}),
        4 => json!({"Bool": {"aws:SecureTransport": random.pick(&["true", "false"])}}),
        5 => json!({"StringLike": {"aws:PrincipalTag/team": random.pick(&["dev*", "*ops", "sec?rity"])}}),
        6 => {
            json!({"DateGreaterThan": {"aws:CurrentTime": random.pick(&["2025-01-01T00:00:00Z", "2027-06-01T00:00:00Z"])}})
        }
        7 => json!({"StringEqualsIfExists": {"aws:RequestedRegion": "us-east-1"}}),
        8 => json!({"NumericLessThan": {"aws:MultiFactorAuthAge": random.pick(&["3600", "60"])}}),
        9 => json!({"Null": {"aws:SourceIp": random.pick(&["true", "false"])}}),
        10 => json!({"ForAnyValue:StringEquals": {"aws:PrincipalTag/team": ["devops", "security"]}}),
        11 => json!({"StringEquals": {"aws:RequestedRegion": "eu-west-1"}, "Bool": {"aws:SecureTransport": "true"}}),
        _ => json!({"StringEqualsIgnoreCase": {"aws:PrincipalTag/team": "DEVOPS"}}),
    }
}

fn statement(random: &mut Random) -> Value {
    let mut statement = serde_json::Map::new();
    let effect = if random.chance(30) { "Deny" } else { "Allow" };
    statement.insert("Effect".to_owned(), Value::from(effect));
    let action_key = if random.chance(15) { "NotAction" } else { "Action" };
    statement.insert(action_key.to_owned(), one_or_list(random, action_item));
    let resource_key = if random.chance(12) { "NotResource" } else { "Resource" };
    statement.insert(resource_key.to_owned(), one_or_list(random, resource_item));
    if random.chance(40) {
        statement.insert("Condition".to_owned(), condition(random));
    }
    Value::Object(statement)
}

fn context(random: &mut Random) -> Value {
    let mut context = serde_json::Map::new();
    let mut give = |random: &mut Random, key: &str, values: &[&str]| {
        if random.chance(70) {
            context.insert(key.to_owned(), Value::from(*random.pick(values)));
        }
    };
    give(random, "aws:RequestedRegion", &["eu-west-1", "us-east-1", "eu-central-1"]);
    give(random, "aws:SourceIp", &["10.2.3.4", "203.0.113.50", "192.0.2.9", "10.1.2.3"]);
    give(random, "aws:SecureTransport", &["true", "false"]);
    give(random, "aws:PrincipalTag/team", &["devops", "security", "data"]);
    give(random, "aws:CurrentTime", &["2026-12-02T12:00:00Z", "2024-03-01T08:00:00Z"]);
    give(random, "aws:MultiFactorAuthAge", &["30", "1200", "7200"]);
    Value::Object(context)
}

/// `policies` identity policies of one to four statements, each asked `requests_per_policy`
/// requests: `{"cases": [{"policy": {...}, "request": {"action", "resource", "context"}}]}`.
pub fn generate(policies: usize, requests_per_policy: usize) -> Value {
    let mut random = Random(0x1a_b1ab);
    let mut cases = Vec::new();
    for _ in 0..policies {
        let statements: Vec<Value> = (0..1 + random.below(4)).map(|_| statement(&mut random)).collect();
        let policy = json!({"Version": "2012-10-17", "Statement": statements});
        for _ in 0..requests_per_policy {
            let (action, kind) = *random.pick(ACTIONS);
            let request = json!({
                "action": action,
                "resource": resource(&mut random, kind),
                "context": context(&mut random),
            });
            cases.push(json!({"policy": policy, "request": request}));
        }
    }
    json!({"account": ACCOUNT, "cases": cases})
}

#[cfg(test)]
mod tests {
    use super::generate;

    #[test]
    fn the_corpus_is_deterministic_and_large_enough() {
        let corpus = generate(60, 8);
        assert_eq!(corpus, generate(60, 8));
        let cases = corpus["cases"].as_array().map_or(0, Vec::len);
        assert!(cases >= 400, "{cases} cases");
        let text = corpus.to_string();
        for needle in ["NotAction", "NotResource", "\"Deny\"", "Condition", "s3:Get*", "IfExists", "ForAnyValue"] {
            assert!(text.contains(needle), "the corpus has {needle}");
        }
    }
}
