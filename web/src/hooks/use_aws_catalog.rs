//! The AWS action catalogue, fetched the first time the `aws` profile is shown: at about
//! 160 KB gzip it is a static asset of its own (`dist/aws-actions.txt`, copied by
//! web/index.html) rather than part of the wasm, so that the other tabs never pay for it. The
//! service worker caches it on that first fetch. When the fetch or the reading fails, the
//! profile works without it, and the engine's findings and decisions say so.

use iamlab_model::Provider;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

/// The asset, relative to the page: always the page's own origin (the CSP allows no other).
const ASSET: &str = "aws-actions.txt";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AwsCatalogStatus {
    /// The `aws` profile has not been shown yet.
    NotRequested,
    Loading,
    /// Installed in the engine: the services and actions it lists.
    Loaded {
        services: usize,
        actions: usize,
    },
    /// Why the profile runs without it.
    Failed(AttrValue),
}

impl AwsCatalogStatus {
    /// The `data-state` of the status line (the browser tests read it).
    pub fn key(&self) -> &'static str {
        match self {
            AwsCatalogStatus::NotRequested => "not-requested",
            AwsCatalogStatus::Loading => "loading",
            AwsCatalogStatus::Loaded { .. } => "loaded",
            AwsCatalogStatus::Failed(_) => "failed",
        }
    }

    /// The status line's words.
    pub fn describe(&self) -> String {
        match self {
            AwsCatalogStatus::NotRequested => String::new(),
            AwsCatalogStatus::Loading => "Loading the AWS action catalogue…".to_owned(),
            AwsCatalogStatus::Loaded { services, actions } => {
                format!("AWS action catalogue: {services} services, {actions} actions")
            }
            AwsCatalogStatus::Failed(reason) => format!(
                "The AWS action catalogue is not loaded ({reason}): actions, resource types and condition keys are not checked"
            ),
        }
    }
}

fn installed() -> Option<AwsCatalogStatus> {
    iamlab_engine::aws_catalog_counts().map(|(services, actions)| AwsCatalogStatus::Loaded { services, actions })
}

/// Starts the fetch when `provider` is first `aws`; re-renders with each change of status (the
/// analysis hooks re-run when the engine has the catalogue).
#[hook]
pub fn use_aws_catalog(provider: Provider) -> AwsCatalogStatus {
    let status = use_state(|| installed().unwrap_or(AwsCatalogStatus::NotRequested));
    let wanted = provider == Provider::Aws && *status == AwsCatalogStatus::NotRequested;
    {
        let status = status.clone();
        use_effect_with(wanted, move |wanted| {
            if *wanted {
                status.set(AwsCatalogStatus::Loading);
                yew::platform::spawn_local(async move {
                    let loaded = fetch_text(ASSET)
                        .await
                        .and_then(|text| iamlab_engine::install_aws_catalog(&text).map_err(|error| error.to_string()));
                    status.set(match loaded.map(|()| installed()) {
                        Ok(Some(loaded)) => loaded,
                        Ok(None) => AwsCatalogStatus::Failed(AttrValue::from("the engine did not keep it")),
                        Err(reason) => AwsCatalogStatus::Failed(AttrValue::from(reason)),
                    });
                });
            }
        });
    }
    (*status).clone()
}

async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = JsFuture::from(window.fetch_with_str(url)).await.map_err(|_| "the network request failed")?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "the fetch gave no response")?;
    if !response.ok() {
        return Err(format!("the server answered {}", response.status()));
    }
    let text = response.text().map_err(|_| "the response has no text")?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| "the response has no text".to_owned())
}
