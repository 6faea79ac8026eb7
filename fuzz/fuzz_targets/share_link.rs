//! Fuzzes the share-link decoder of the playground (`web/src/share/link.rs`, included as is:
//! the web crate is a binary for wasm32, and the decoder is plain Rust over the engine). Any
//! input, read as inflated JSON or as a `#share=` payload, must give a workspace or a message,
//! never a panic; a workspace holds only roles its provider has, no more documents of a role
//! than the provider reads, and what it decodes to is written back (as format 4) to a link that
//! reads the same. The version notice of a decoded link is computed too: a hostile link's
//! version fields must not make it panic or grow without bound.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../web/src/share/link.rs"]
#[allow(dead_code)]
mod link;

fuzz_target!(|data: &[u8]| {
    if let Ok(shared) = link::read_link_json(data) {
        for document in shared.documents.iter().chain(shared.saved.iter().flatten()) {
            assert!(iamlab_engine::check_role(shared.provider, document.role).is_ok());
        }
        assert!(shared.documents.len() <= link::MAX_DOCUMENTS);
        assert!(shared.tests.len() <= link::MAX_TEST_CASES);
        let differences = link::version_differences(shared.provider, shared.made_with.as_ref());
        assert!(differences.len() <= 6);
        let again = link::read_link_json(link::link_json(&shared).as_bytes()).expect("a decoded link re-encodes");
        assert_eq!(again.provider, shared.provider);
        assert_eq!(again.documents, shared.documents);
        assert_eq!(again.saved, shared.saved);
        assert_eq!(again.flags, shared.flags);
        assert_eq!(again.decision, shared.decision);
        assert_eq!(again.tests, shared.tests);
        assert!(again.whole);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = link::classify_fragment(text);
        if let Err(error) = link::read_legacy_payload(text) {
            assert!(error.message().ends_with("your own text is unchanged"));
        }
        let _ = link::compressed_payload_bytes(text);
    }
});
