use crate::state::{examples_of_tab, Tab};
use iamlab_engine::DocumentRole;
use iamlab_model::Provider;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExamplesGalleryProps {
    pub tab: Tab,
    /// Loads example `index` of a profile of the tab's engine (documents, request and grid).
    pub onload: Callback<(Provider, usize)>,
}

/// The documented examples of the active tab's engine profiles, from the engine's own list,
/// each with its source link: one click loads its documents, request and test grid.
#[component]
pub fn ExamplesGallery(props: &ExamplesGalleryProps) -> Html {
    let examples: Vec<Html> = examples_of_tab(props.tab)
        .map(|(provider, index, example)| {
            let onclick = props.onload.reform(move |_: MouseEvent| (provider, index));
            let documents = example.documents.iter().filter(|(role, _)| *role != DocumentRole::Request).count();
            let summary = format!(
                "{documents} {}, a request, {} test cases",
                if documents == 1 { "policy" } else { "policies" },
                example.cases.len()
            );
            let id = format!("example-{}-{index}", provider.as_str());
            html! {
                <li class="example" key={id.clone()}>
                    <span class="example-profile">{ provider.display_name() }</span>
                    <span class="example-title">{ example.title }</span>
                    <span class="example-summary">{ summary }</span>
                    <a class="example-source" href={example.origin} target="_blank" rel="noopener noreferrer"
                        aria-label={format!("Source of “{}” (opens a new tab)", example.title)}>{ "source" }</a>
                    <button type="button" class="example-load" {id} {onclick}
                        aria-label={format!("Load “{}”", example.title)}>{ "Load" }</button>
                </li>
            }
        })
        .collect();
    html! {
        <details class="examples-gallery" id="examples-gallery">
            <summary>{ format!("Documented {} examples ({})", props.tab.display_name(), examples.len()) }</summary>
            <p class="pane-hint">{ "Loading one replaces this tab's documents and test cases; “Restore” brings them back." }</p>
            <ul class="example-list" role="list">{ for examples }</ul>
        </details>
    }
}
