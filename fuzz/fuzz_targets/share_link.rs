//! Fuzzes the share-link decoder of the playground (`web/src/share/link.rs`, included as is:
//! the web crate is a binary for wasm32, and the decoder is plain Rust over the engine). Any
//! input, read as inflated JSON or as a `#share=` payload, must give a workspace or a message,
//! never a panic; a workspace holds only roles its provider has, and what it decodes to is
//! written back to a link that reads the same.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../web/src/share/link.rs"]
#[allow(dead_code)]
mod link;

fuzz_target!(|data: &[u8]| {
    if let Ok(shared) = link::read_link_json(data) {
        for (role, _) in &shared.documents {
            assert!(iamlab_engine::check_role(shared.provider, *role).is_ok());
        }
        let again = link::read_link_json(link::link_json(&shared).as_bytes()).expect("a decoded link re-encodes");
        assert_eq!(again.documents, shared.documents);
        assert_eq!(again.tests, shared.tests);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = link::classify_fragment(text);
        let _ = link::read_legacy_payload(text);
        let _ = link::compressed_payload_bytes(text);
    }
});
