//! Browser tests of the AWS action catalogue (issue 14): fetched as its own file the first time
//! the AWS profile is shown, its checks and wildcard-only decisions once it is there, and the
//! playground working without it when the file cannot be fetched.

use super::*;

const EFFECT: &str = "const effect = document.querySelector('#decision .decision-effect'); return !!effect && effect.dataset.effect === ";

/// Whether the page has requested the catalogue file (the Resource Timing entries).
const FETCHED: &str =
    "return performance.getEntriesByType('resource').some((entry) => entry.name.endsWith('/aws-actions.txt'));";

const STATUS: &str =
    "const status = document.querySelector('#aws-catalog-status'); return !!status && status.dataset.state === ";

/// `ec2:DescribeInstances` (wildcard-only in the AWS Service Authorization Reference) on a path,
/// and a misspelt `iam:GetUser`.
const POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["ec2:DescribeInstances", "iam:GetUsr"],
      "Resource": "arn:aws:iam::123456789012:user/ops/*"
    }
  ]
}"#;

const REQUEST: &str = r#"{ "action": "ec2:DescribeInstances" }"#;

async fn explanation(page: &Page) -> TestResult<String> {
    page.js_string("return document.querySelector('#decision').textContent;", vec![]).await
}

#[test]
fn the_aws_catalogue_is_fetched_when_the_aws_profile_is_first_shown_and_its_checks_apply() {
    browser_test(
        "the_aws_catalogue_is_fetched_when_the_aws_profile_is_first_shown_and_its_checks_apply",
        |page| async move {
            page.open("").await?;
            page.select_tab("outscale").await?;
            ensure(page.js(FETCHED, vec![]).await? == Json::Bool(false), || {
                "the catalogue was fetched before the AWS profile was shown".to_owned()
            })?;
            page.click("#profile-aws").await?;
            page.wait_until("the catalogue is loaded", &format!("{STATUS}'loaded';")).await?;
            let status =
                page.js_string("return document.querySelector('#aws-catalog-status').textContent;", vec![]).await?;
            ensure(status.contains("456 services, 22091 actions"), || format!("status line {status:?}"))?;
            ensure(page.js(FETCHED, vec![]).await? == Json::Bool(true), || {
                "no request for aws-actions.txt".to_owned()
            })?;
            page.paste("#policy-editor", POLICY).await?;
            page.wait_until(
                "the misspelt action is an error",
                "return Array.from(document.querySelectorAll('#policy-diagnostics .diag-code')).some((code) => code.textContent.includes('aws::unknown-action'));",
            )
            .await?;
            let codes: Vec<String> = page.diagnostics().await?.into_iter().map(|(code, _)| code).collect();
            ensure(codes.iter().any(|code| code.contains("aws::resource-mismatch")), || format!("codes {codes:?}"))?;
            ensure(!codes.iter().any(|code| code.contains("aws::catalog-not-loaded")), || format!("codes {codes:?}"))?;
            page.paste("#request-editor", REQUEST).await?;
            page.wait_until("the wildcard-only action is not allowed on a path", &format!("{EFFECT}'implicit_deny';"))
                .await?;
            let explained = explanation(&page).await?;
            ensure(explained.contains("supports no resource type"), || format!("explanation {explained:?}"))?;
            page.ensure_no_console_errors().await
        },
    );
}

/// Copies `from` into `to`, leaving out the files named in `skip`.
fn copy_site(from: &Path, to: &Path, skip: &[&str]) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if skip.iter().any(|skipped| name.to_str() == Some(skipped)) {
            continue;
        }
        if entry.file_type()?.is_dir() {
            copy_site(&entry.path(), &to.join(&name), skip)?;
        } else {
            std::fs::copy(entry.path(), to.join(&name))?;
        }
    }
    Ok(())
}

#[test]
fn without_the_catalogue_file_the_aws_profile_says_so_and_still_decides() {
    let site = std::env::temp_dir().join(format!("iamlab-site-without-catalogue-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&site);
    copy_site(&environment().dist, &site, &["aws-actions.txt"]).expect("copying the site");
    browser_test_serving(
        "without_the_catalogue_file_the_aws_profile_says_so_and_still_decides",
        Some(&site),
        |page| async move {
            page.open("").await?;
            page.select_tab("outscale").await?;
            page.click("#profile-aws").await?;
            page.wait_until("the catalogue could not be loaded", &format!("{STATUS}'failed';")).await?;
            let status =
                page.js_string("return document.querySelector('#aws-catalog-status').textContent;", vec![]).await?;
            ensure(status.contains("not loaded") && status.contains("404"), || format!("status line {status:?}"))?;
            page.paste("#policy-editor", POLICY).await?;
            page.wait_until(
            "the policy says the catalogue is missing",
            "return Array.from(document.querySelectorAll('#policy-diagnostics .diag-code')).some((code) => code.textContent.includes('aws::catalog-not-loaded'));",
        )
        .await?;
            page.paste("#request-editor", REQUEST).await?;
            // Without the catalogue a request on `*` asks about some resource: the path allows it.
            page.wait_until("the request is decided without the catalogue", &format!("{EFFECT}'allow';")).await?;
            let explained = explanation(&page).await?;
            ensure(explained.contains("catalogue is not loaded"), || format!("explanation {explained:?}"))?;
            page.ensure_no_console_errors().await
        },
    );
    let _ = std::fs::remove_dir_all(&site);
}

#[test]
fn after_one_fetch_the_service_worker_serves_the_aws_catalogue_offline() {
    browser_test("after_one_fetch_the_service_worker_serves_the_aws_catalogue_offline", |page| async move {
        page.open("").await?;
        page.wait_until("the service worker controls the page", "return !!navigator.serviceWorker.controller;").await?;
        page.select_tab("outscale").await?;
        page.click("#profile-aws").await?;
        page.wait_until("the catalogue is loaded", &format!("{STATUS}'loaded';")).await?;
        // The catalogue is outside the precache (and the size budget): cached at its first fetch.
        page.wait_until(
            "the service worker has cached the catalogue",
            "return (async () => {
                 for (const key of await caches.keys()) {
                     const requests = await (await caches.open(key)).keys();
                     if (requests.some((request) => request.url.endsWith('/aws-actions.txt'))) return true;
                 }
                 return false;
             })();",
        )
        .await?;
        page.offline.store(true, Ordering::SeqCst);
        page.client
            .issue_cmd(DevToolsCommand {
                method: "Network.emulateNetworkConditions",
                params: json!({ "offline": true, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }),
            })
            .await?;
        ensure(http_status(page.server, SUB_PATH).is_err(), || "the server still answers".to_owned())?;
        page.client.refresh().await?;
        page.client.wait().at_most(WAIT).for_element(Locator::Css("#policy-editor")).await?;
        page.select_tab("outscale").await?;
        if page.js("return !!document.querySelector('#aws-catalog-status');", vec![]).await? != Json::Bool(true) {
            page.click("#profile-aws").await?;
        }
        page.wait_until("offline, the catalogue is loaded from the cache", &format!("{STATUS}'loaded';")).await?;
        page.paste("#policy-editor", POLICY).await?;
        page.wait_until(
            "offline, the catalogue's checks apply",
            "return Array.from(document.querySelectorAll('#policy-diagnostics .diag-code')).some((code) => code.textContent.includes('aws::unknown-action'));",
        )
        .await?;
        Ok(())
    });
}
