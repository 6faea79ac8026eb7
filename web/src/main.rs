//! The iamlab playground: a Yew front end over `iamlab-engine`, built by Trunk into `dist/`.
//! The UI never re-implements policy logic: it calls `iamlab_engine::analyze`
//! once per keystroke, and builds each tab from the engine's `roles` and `examples`.

mod components;
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
