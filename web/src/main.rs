//! The iamlab playground: a Yew front end over `iamlab-engine`, built by Trunk into `dist/`.
//! The UI never re-implements policy logic: it calls `iamlab_engine::analyze`
//! once per keystroke, and builds each tab from the engine's `roles` and `examples`.
//! `?embed` renders the compact workspace for documentation pages instead (see `embed.rs`).

mod components;
mod embed;
mod highlight;
mod hooks;
mod share;
mod state;
mod storage;
mod time_zone;

fn main() {
    time_zone::register_browser_time_zones();
    let search = web_sys::window().and_then(|window| window.location().search().ok()).unwrap_or_default();
    match embed::parse_query(&search) {
        Some(params) => {
            let props = components::embed_app::EmbedAppProps { params };
            yew::Renderer::<components::embed_app::EmbedApp>::with_props(props).render();
        }
        None => {
            yew::Renderer::<components::app::App>::new().render();
        }
    }
}
