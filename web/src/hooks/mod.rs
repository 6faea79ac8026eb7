//! Custom hooks: what the app does with the browser besides rendering.

mod use_persistence;
mod use_share_import;

pub use use_persistence::use_persistence;
pub use use_share_import::use_share_import;
