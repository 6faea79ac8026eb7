//! The iamlab playground: a Yew front end over `iamlab-engine`, built by Trunk into `dist/`.
//! The UI never re-implements policy logic: it calls `iamlab_engine::validate` and `simulate`.

mod components;
mod examples;
mod highlight;
mod hooks;
mod share;
mod state;
mod storage;
mod time_zone;

fn main() {
    time_zone::register_browser_time_zones();
    yew::Renderer::<components::app::App>::new().render();
}
