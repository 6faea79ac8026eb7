use crate::state::RequestTemplate;
use iamlab_engine::scaleway;
use serde_json::{Map, Value};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RequestBuilderProps {
    /// The request made from the fields (the previous one stays restorable from the notice).
    pub onfill: Callback<RequestTemplate>,
}

/// The fields of the form, in the order of the request's shape (`scaleway/request.rs`).
const FIELDS: [(&str, &str, &str); 7] = [
    ("scope-id", "Project or Organization id", "c6842bac-7938-4c04-9e03-f48147eee1f1"),
    ("ip", "IP", "203.0.113.7"),
    ("time", "time (RFC 3339)", "2026-11-22T12:00:00Z"),
    ("user-agent", "user agent", "scaleway-cli/2.30"),
    ("resource-name", "resource name", ""),
    ("resource-id", "resource id", ""),
    ("resource-locality", "resource locality", "fr-par"),
];

/// The request JSON for the permission set `name` of scope type `scope_type`, asked for in
/// `scope_id` (`project_id` for sets scoped by Project, `organization_id` otherwise), with the
/// non-empty context and resource fields.
pub fn request_json(name: &str, scope_type: &str, values: &[String]) -> String {
    let value = |index: usize| values.get(index).map(|value| value.trim()).filter(|value| !value.is_empty());
    let mut request = Map::new();
    request.insert("permission_set".into(), name.into());
    let scope_key = if scope_type == scaleway::ScopeType::Projects.as_str() { "project_id" } else { "organization_id" };
    request.insert(scope_key.into(), value(0).unwrap_or_default().into());
    let group = |keys: &[(&str, usize)]| {
        let members: Map<String, Value> =
            keys.iter().filter_map(|(key, index)| Some(((*key).to_owned(), value(*index)?.into()))).collect();
        (!members.is_empty()).then_some(Value::Object(members))
    };
    if let Some(context) = group(&[("ip", 1), ("time", 2), ("user_agent", 3)]) {
        request.insert("context".into(), context);
    }
    if let Some(resource) = group(&[("name", 4), ("id", 5), ("locality", 6)]) {
        request.insert("resource".into(), resource);
    }
    serde_json::to_string_pretty(&Value::Object(request)).unwrap_or_default() + "\n"
}

/// Builds a Scaleway request: a permission set of the engine's catalogue (with its scope type
/// and product), where it is asked for, and what a condition sees.
#[component]
pub fn RequestBuilder(props: &RequestBuilderProps) -> Html {
    let select_ref = use_node_ref();
    let field_refs: Vec<NodeRef> = FIELDS.iter().map(|_| NodeRef::default()).collect();
    let field_refs = use_memo((), move |()| field_refs);
    let onclick = {
        let select_ref = select_ref.clone();
        let field_refs = field_refs.clone();
        let onfill = props.onfill.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(select) = select_ref.cast::<HtmlSelectElement>() else { return };
            let name = select.value();
            let Some(set) = scaleway::catalog().sets.iter().find(|set| set.name == name) else { return };
            let values: Vec<String> = field_refs
                .iter()
                .map(|node| node.cast::<HtmlInputElement>().map(|input| input.value()).unwrap_or_default())
                .collect();
            let request = request_json(&set.name, set.scope_type.as_str(), &values);
            onfill.emit(RequestTemplate { operation: set.name.clone(), request: AttrValue::from(request) });
        })
    };
    let options = scaleway::catalog().sets.iter().map(|set| {
        let label = format!("{} ({}, {})", set.name, set.scope_type.as_str(), set.product);
        html! { <option value={set.name.clone()}>{ label }</option> }
    });
    let fields = FIELDS.iter().zip(field_refs.iter()).map(|((id, label, placeholder), node)| {
        html! {
            <input id={format!("scaleway-{id}")} ref={node.clone()} type="text" placeholder={*placeholder} aria-label={*label}
                title={*label} spellcheck="false" autocomplete="off" />
        }
    });
    html! {
        <div class="request-builder scaleway-request-builder">
            <select id="scaleway-permission-set" ref={select_ref} aria-label="Permission set (scope type, product)">
                { for options }
            </select>
            { for fields }
            <button type="button" id="fill-request" {onclick}>{ "Fill the request" }</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_reads_back_through_the_engine() {
        let values: Vec<String> =
            ["p-1", "203.0.113.7", "2026-11-22T12:00:00Z", "", "", "i-1", "fr-par"].map(str::to_owned).to_vec();
        let text = request_json("InstancesFullAccess", "projects", &values);
        let sources = [iamlab_engine::Source {
            id: iamlab_engine::DocumentId(0),
            role: iamlab_engine::DocumentRole::Request,
            text: &text,
        }];
        let options = iamlab_engine::Options::for_provider(iamlab_model::Provider::Scaleway);
        let analysis = iamlab_engine::analyze(&options, &sources);
        let errors: Vec<_> =
            analysis.reports.iter().flat_map(|(_, report)| report.iter()).filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{text} {errors:?}");
        let value: Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(value["project_id"], "p-1");
        assert_eq!(value["resource"], serde_json::json!({"id": "i-1", "locality": "fr-par"}));
        assert!(value["context"].get("user_agent").is_none());
        let organization = request_json("IAMManager", "organization", &[]);
        assert!(organization.contains("\"organization_id\""), "{organization}");
    }
}
