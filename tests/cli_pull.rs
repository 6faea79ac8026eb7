//! `iamlab pull` against a local HTTP server that serves answers shaped like the providers'
//! API references and checks the authentication headers: Exoscale's signature recomputed here
//! from egoscale's scheme, Scaleway's `X-Auth-Token`, Outscale's SigV4 (the CLI's signer,
//! itself checked against AWS's test suite in its unit tests). Then every failure: 401, 403,
//! 429 (retried, bounded), 5xx, timeouts, malformed bodies, missing credentials; and that a
//! failure writes nothing and credentials never show.

use crate::support::http_server::{Recorded, Reply, TestServer};
use crate::support::TestCommand;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::json;
use std::path::Path;
use std::time::Duration;

const EXOSCALE_KEY: &str = "EXOtest0123456789";
const EXOSCALE_SECRET: &str = "exoscale-secret-never-shown";
const SCALEWAY_SECRET: &str = "11111111-2222-3333-4444-scaleway-secret";
const OUTSCALE_ACCESS: &str = "OSCACCESSKEY123";
const OUTSCALE_SECRET: &str = "outscale-secret-never-shown";

/// Exoscale's signature of a request, written from egoscale's description independently of
/// the CLI: HMAC-SHA256 over "METHOD PATH\nBODY\nQUERY VALUES\n\nEXPIRES", base64.
fn exoscale_signature_is_valid(request: &Recorded) -> bool {
    let Some(header) = request.header("authorization") else { return false };
    let Some(rest) = header.strip_prefix("EXO2-HMAC-SHA256 ") else { return false };
    let field = |name: &str| rest.split(',').find_map(|part| part.strip_prefix(&format!("{name}=")));
    let (Some(credential), Some(expires), Some(signature)) =
        (field("credential"), field("expires"), field("signature"))
    else {
        return false;
    };
    let message = format!("{} {}\n{}\n\n\n{expires}", request.method, request.path(), request.body);
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(EXOSCALE_SECRET.as_bytes()).unwrap();
    mac.update(message.as_bytes());
    let expected = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    credential == EXOSCALE_KEY && signature == expected && expires.parse::<u64>().unwrap() > now
}

fn exoscale_server() -> TestServer {
    TestServer::start(|request| {
        if !exoscale_signature_is_valid(request) {
            return Reply::json(401, json!({"message": "invalid signature"}));
        }
        match request.path() {
            "/v2/iam-role" => Reply::json(
                200,
                json!({"iam-roles": [{
                    "id": "4c6f7a1e-0000-4000-8000-000000000001",
                    "name": "my-api-role",
                    "description": "Role that allows only deploying private instances.",
                    "editable": true,
                    "labels": {},
                    "permissions": [],
                    "policy": {"default-service-strategy": "allow", "services": {"compute": {"type": "rules", "rules": [
                        {"action": "deny", "expression": "operation == 'create-instance' && parameters.public_ip_assignment != 'none'"},
                        {"action": "allow", "expression": "true"}
                    ]}}}
                }]}),
            ),
            "/v2/iam-organization-policy" => {
                Reply::json(200, json!({"default-service-strategy": "allow", "services": {"sos": {"type": "deny"}}}))
            }
            _ => Reply::json(404, json!({"message": "not found"})),
        }
    })
}

fn pull(provider: &str, server: &TestServer, out: &Path, endpoint_path: &str) -> TestCommand {
    let mut command = TestCommand::new();
    command
        .args(["pull", "--provider", provider, "--out"])
        .arg(out)
        .args(["--endpoint", &format!("{}{endpoint_path}", server.url)])
        .env("EXOSCALE_API_KEY", EXOSCALE_KEY)
        .env("EXOSCALE_API_SECRET", EXOSCALE_SECRET)
        .env("SCW_SECRET_KEY", SCALEWAY_SECRET)
        .env("OSC_ACCESS_KEY", OUTSCALE_ACCESS)
        .env("OSC_SECRET_KEY", OUTSCALE_SECRET)
        .env("OSC_REGION", "eu-west-2");
    command
}

fn files_in(directory: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(directory)
        .map(|entries| entries.map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

fn assert_no_secret(text: &str) {
    for secret in [EXOSCALE_SECRET, SCALEWAY_SECRET, OUTSCALE_SECRET] {
        assert!(!text.contains(secret), "a credential is shown:\n{text}");
    }
}

#[test]
fn exoscale_roles_and_the_organization_policy_are_pulled_signed() {
    let server = exoscale_server();
    let scratch = tempfile::tempdir().unwrap();
    let out = scratch.path().join("policies");
    let finished = pull("exoscale", &server, &out, "/v2").assert_exit(0);
    assert_no_secret(&(finished.stdout.clone() + &finished.stderr));
    assert_eq!(files_in(&out), ["organization-policy.json", "role-my-api-role-4c6f7a1e.json"]);
    assert!(finished.stdout.ends_with("2 document(s) pulled\n"), "{}", finished.stdout);
    // The files are ready for validate, formatted as `iamlab fmt` writes them.
    let role = out.join("role-my-api-role-4c6f7a1e.json");
    TestCommand::new().args(["validate", "--provider", "exoscale"]).arg(&role).assert_exit(0);
    TestCommand::new().args(["fmt", "--check", "--provider", "exoscale"]).arg(&role).assert_exit(0);
    TestCommand::new()
        .args(["validate", "--provider", "exoscale", "--kind", "organization"])
        .arg(out.join("organization-policy.json"))
        .assert_exit(0);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_wrong_exoscale_secret_is_refused_and_nothing_is_written() {
    let server = exoscale_server();
    let scratch = tempfile::tempdir().unwrap();
    let finished = pull("exoscale", &server, scratch.path(), "/v2").env("EXOSCALE_API_SECRET", "wrong").assert_exit(1);
    assert!(finished.stderr.contains("answered 401 Unauthorized: the credentials were refused"), "{}", finished.stderr);
    assert!(finished.stderr.contains("nothing was written"), "{}", finished.stderr);
    assert_eq!(files_in(scratch.path()), Vec::<String>::new());
}

#[test]
fn scaleway_policies_follow_pagination_and_carry_their_rules() {
    let server = TestServer::start(|request| {
        if request.header("x-auth-token") != Some(SCALEWAY_SECRET) {
            return Reply::json(401, json!({"message": "authentication is denied"}));
        }
        let page: usize = request.parameter("page").unwrap().parse().unwrap();
        match request.path() {
            // Three policies, two per page whatever page_size asks.
            "/iam/v1alpha1/policies" => {
                let all: Vec<_> = (0..3)
                    .map(|index| {
                        json!({"id": format!("0000000{index}-aaaa-4bbb-8ccc-dddddddddddd"), "name": format!("policy-{index}"),
                               "organization_id": "c6842bac-7938-4c04-9e03-f48147eee1f1",
                               "application_id": "950dde46-5cba-427d-a4f5-ce5a8a79717c", "editable": true})
                    })
                    .collect();
                let batch: Vec<_> = all.into_iter().skip((page - 1) * 2).take(2).collect();
                Reply::json(200, json!({"policies": batch, "total_count": 3}))
            }
            "/iam/v1alpha1/rules" => Reply::json(
                200,
                json!({"rules": [{"id": "r1", "permission_set_names": ["InstancesReadOnly"],
                                  "permission_sets_scope_type": "projects",
                                  "project_ids": ["2aeadddc-c589-4784-8ef5-fae989a4bac8"]}],
                       "total_count": 1}),
            ),
            _ => Reply::json(404, json!({})),
        }
    });
    let scratch = tempfile::tempdir().unwrap();
    let finished = pull("scaleway", &server, scratch.path(), "").assert_exit(0);
    assert_no_secret(&(finished.stdout + &finished.stderr));
    let files = files_in(scratch.path());
    assert_eq!(
        files,
        ["policy-policy-0-00000000.json", "policy-policy-1-00000001.json", "policy-policy-2-00000002.json"]
    );
    let policy: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(scratch.path().join(&files[2])).unwrap()).unwrap();
    assert_eq!(policy["rules"][0]["permission_set_names"], json!(["InstancesReadOnly"]));
    let pages: Vec<String> = server
        .requests()
        .iter()
        .filter(|request| request.path() == "/iam/v1alpha1/policies")
        .map(|request| request.parameter("page").unwrap())
        .collect();
    assert_eq!(pages, ["1", "2"]);
    TestCommand::new().args(["validate", "--provider", "scaleway"]).arg(scratch.path().join(&files[0])).assert_exit(0);
}

/// Whether the request's SigV4 `Authorization` is the one the signer gives for what was
/// received (host, date, content type, body).
fn sigv4_is_valid(request: &Recorded) -> bool {
    let (Some(host), Some(date), Some(content_type), Some(authorization)) = (
        request.header("host"),
        request.header("x-amz-date"),
        request.header("content-type"),
        request.header("authorization"),
    ) else {
        return false;
    };
    let credentials = iamlab_cli::signing::SigV4Credentials {
        access_key: OUTSCALE_ACCESS,
        secret_key: OUTSCALE_SECRET,
        region: "eu-west-2",
        service: "eim",
    };
    let signed = iamlab_cli::signing::SigV4Request {
        method: &request.method,
        host,
        path: request.path(),
        query: &[],
        headers: &[("content-type", content_type)],
        payload: request.body.as_bytes(),
        amz_date: date,
    };
    authorization == iamlab_cli::signing::sigv4_authorization(&credentials, &signed)
        && authorization.contains("/eu-west-2/eim/aws4_request")
}

#[test]
fn outscale_managed_and_inline_policies_are_pulled_with_sigv4() {
    let server = TestServer::start(|request| {
        if !sigv4_is_valid(request) {
            return Reply::json(403, json!({"Errors": [{"Code": "SignatureDoesNotMatch"}]}));
        }
        let document = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["api:Read*"], "Resource": ["*"]}]}"#;
        match request.parameter("Action").unwrap().as_str() {
            "ListPolicies" if request.parameter("Marker").is_none() => Reply::json(
                200,
                json!({
                    "IsTruncated": true, "Marker": "page2",
                    "Policies": [{"Arn": "orn:ows:idauth::012345678910:policy/read-only", "DefaultVersionId": "v2", "PolicyName": "read-only"}]
                }),
            ),
            "ListPolicies" => Reply::json(
                200,
                json!({
                    "IsTruncated": false,
                    "Policies": [{"Arn": "orn:ows:idauth::012345678910:policy/encoded", "DefaultVersionId": "v1", "PolicyName": "encoded"}]
                }),
            ),
            "GetPolicyVersion" => {
                let text = if request.parameter("VersionId").as_deref() == Some("v1") {
                    // As AWS IAM returns documents: URL-encoded.
                    "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Deny%22%2C%22Action%22%3A%22api%3ADeleteVms%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D".to_owned()
                } else {
                    document.to_owned()
                };
                Reply::json(
                    200,
                    json!({"PolicyVersion": {"Document": text, "IsDefaultVersion": true, "VersionId": "v2"}}),
                )
            }
            "ListUsers" => Reply::json(200, json!({"Users": [{"UserName": "alice", "UserId": "u1"}]})),
            "ListUserPolicies" => Reply::json(200, json!({"ListUserPoliciesResult": {"PolicyNames": ["alice-reads"]}})),
            "GetUserPolicy" => {
                Reply::json(200, json!({"PolicyDocument": document, "PolicyName": "alice-reads", "UserName": "alice"}))
            }
            "ListGroups" => Reply::json(200, json!({"Groups": []})),
            _ => Reply::json(400, json!({"Errors": [{"Code": "InvalidAction"}]})),
        }
    });
    let scratch = tempfile::tempdir().unwrap();
    let finished = pull("outscale", &server, scratch.path(), "/").assert_exit(0);
    assert_no_secret(&(finished.stdout.clone() + &finished.stderr));
    let files = files_in(scratch.path());
    assert_eq!(files, ["managed-encoded-v1.json", "managed-read-only-v2.json", "user-alice-alice-reads.json"]);
    for (file, kind) in [(&files[0], "managed"), (&files[1], "managed"), (&files[2], "inline")] {
        TestCommand::new()
            .args(["validate", "--provider", "outscale", "--kind", kind])
            .arg(scratch.path().join(file))
            .assert_exit(0);
    }
    let decoded = std::fs::read_to_string(scratch.path().join(&files[0])).unwrap();
    assert!(decoded.contains("\"Action\": \"api:DeleteVms\""), "{decoded}");
    let wrong =
        pull("outscale", &server, &scratch.path().join("other"), "/").env("OSC_SECRET_KEY", "wrong").assert_exit(1);
    assert!(
        wrong.stderr.contains("answered 403 Forbidden: the credentials do not allow this call"),
        "{}",
        wrong.stderr
    );
    assert!(!scratch.path().join("other").exists());
}

#[test]
fn rate_limits_are_retried_a_bounded_number_of_times() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    // Limited once, then answered: the pull succeeds.
    let calls = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&calls);
    let server = TestServer::start(move |request| {
        if counter.fetch_add(1, Ordering::SeqCst) == 0 {
            let mut reply = Reply::json(429, json!({"message": "slow down"}));
            reply.headers.push(("Retry-After".into(), "0".into()));
            return reply;
        }
        match request.path() {
            "/iam/v1alpha1/policies" => Reply::json(200, json!({"policies": [], "total_count": 0})),
            _ => Reply::json(404, json!({})),
        }
    });
    let scratch = tempfile::tempdir().unwrap();
    let finished = pull("scaleway", &server, scratch.path(), "").assert_exit(0);
    assert!(finished.stdout.ends_with("0 document(s) pulled\n"), "{}", finished.stdout);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    // Always limited: 1 attempt and 4 retries, then a clear failure.
    let server = TestServer::start(|_| {
        let mut reply = Reply::json(429, json!({"message": "slow down"}));
        reply.headers.push(("Retry-After".into(), "0".into()));
        reply
    });
    let finished = pull("scaleway", &server, scratch.path(), "").assert_exit(1);
    assert!(finished.stderr.contains("429 Too Many Requests: rate limited, retried too often"), "{}", finished.stderr);
    assert_eq!(server.requests().len(), 5);
}

#[test]
fn server_errors_timeouts_and_malformed_bodies_fail_clearly() {
    let scratch = tempfile::tempdir().unwrap();
    for (reply, message) in [
        (Reply::json(500, json!({"message": "internal"})), "answered 500 Internal Server Error: the API failed"),
        (Reply::json(503, json!({})), "answered 503 Service Unavailable"),
        (Reply::text(200, "<html>not json</html>"), "malformed answer from"),
        (Reply::json(200, json!({"unexpected": true})), "no `iam-roles` list"),
    ] {
        let reply = std::sync::Mutex::new(Some(reply));
        let server =
            TestServer::start(move |_| reply.lock().unwrap().take().unwrap_or_else(|| Reply::json(500, json!({}))));
        let finished = pull("exoscale", &server, scratch.path(), "/v2").assert_exit(1);
        assert!(finished.stderr.contains(message), "{message}: {}", finished.stderr);
        assert_no_secret(&finished.stderr);
    }
    let server = TestServer::start(|_| {
        let mut reply = Reply::json(200, json!({"iam-roles": []}));
        reply.delay = Duration::from_secs(3);
        reply
    });
    let finished = pull("exoscale", &server, scratch.path(), "/v2").args(["--timeout", "1"]).assert_exit(1);
    assert!(finished.stderr.contains("timed out"), "{}", finished.stderr);
    // Nothing could reach the directory.
    assert_eq!(files_in(scratch.path()), Vec::<String>::new());
}

#[test]
fn a_failure_after_some_answers_leaves_no_partial_file() {
    // The roles come back, the organization policy fails: no file is written, and an existing
    // file from an earlier pull is left as it was.
    let server = TestServer::start(|request| match request.path() {
        "/v2/iam-role" => Reply::json(200, json!({"iam-roles": [{"id": "4c6f7a1e-0000", "name": "r", "policy": {}}]})),
        _ => Reply::text(502, "bad gateway"),
    });
    let scratch = tempfile::tempdir().unwrap();
    std::fs::write(scratch.path().join("organization-policy.json"), "{\"earlier\": true}\n").unwrap();
    let finished = pull("exoscale", &server, scratch.path(), "/v2").assert_exit(1);
    assert!(finished.stderr.contains("answered 502 Bad Gateway"), "{}", finished.stderr);
    assert_eq!(files_in(scratch.path()), ["organization-policy.json"]);
    assert_eq!(
        std::fs::read_to_string(scratch.path().join("organization-policy.json")).unwrap(),
        "{\"earlier\": true}\n"
    );
}

#[test]
fn missing_credentials_exit_2_without_a_request() {
    let server = TestServer::start(|_| Reply::json(200, json!({})));
    let scratch = tempfile::tempdir().unwrap();
    for (provider, variable) in
        [("exoscale", "EXOSCALE_API_SECRET"), ("scaleway", "SCW_SECRET_KEY"), ("outscale", "OSC_ACCESS_KEY")]
    {
        let finished = pull(provider, &server, scratch.path(), "").env(variable, "").assert_exit(2);
        assert!(finished.stderr.contains(&format!("{variable} is not set")), "{}", finished.stderr);
    }
    assert!(server.requests().is_empty());
}
