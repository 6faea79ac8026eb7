use super::*;

#[test]
fn base64url_matches_rfc_4648_test_vectors() {
    for (plain, encoded) in [
        ("", ""),
        ("f", "Zg"),
        ("fo", "Zm8"),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg"),
        ("fooba", "Zm9vYmE"),
        ("foobar", "Zm9vYmFy"),
    ] {
        assert_eq!(base64url_encode(plain.as_bytes()), encoded);
        assert_eq!(base64url_decode(encoded).as_deref(), Some(plain.as_bytes()));
    }
    assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
    assert_eq!(base64url_decode("-_8"), Some(vec![0xfb, 0xff]));
}

fn sample() -> SharedWorkspace {
    SharedWorkspace {
        provider: Provider::Scaleway,
        documents: vec![
            SharedDocument::new(DocumentRole::Policy, "{\"rules\": [\"é😀\"]}"),
            SharedDocument::new(DocumentRole::Request, "{}"),
            // A second policy: Scaleway reads the principal's own and its groups'.
            SharedDocument::new(DocumentRole::Policy, "{\"rules\": []}"),
        ],
        flags: vec!["owner".to_owned()],
        decision: Some("implicit_deny".to_owned()),
        tests: vec![SharedTestCase {
            name: "reads buckets".to_owned(),
            request: serde_json::json!({ "permission": "ObjectStorageReadOnly" }),
            expect: "deny".to_owned(),
            decision: Some("allow".to_owned()),
        }],
        saved: Some(vec![SharedDocument::new(DocumentRole::Policy, "{\"rules\": [1]}")]),
        whole: true,
        made_with: Some(MadeWith { engine: ENGINE_VERSION.to_owned(), catalogs: catalog_versions(Provider::Scaleway) }),
    }
}

#[test]
fn format_4_round_trips_the_whole_workspace_with_its_versions() {
    let shared = sample();
    let json = link_json(&shared);
    assert!(json.starts_with("{\"v\":4,\"engine\":"), "{json}");
    assert!(json.contains("\"catalogs\":{\"scaleway-permission-sets\":"), "{json}");
    assert_eq!(read_link_json(json.as_bytes()), Ok(shared.clone()));
    // Uncompressed, it opens through `#share=`.
    let fragment = plain_fragment(&shared);
    let Fragment::Plain(payload) = classify_fragment(&fragment) else { panic!("{fragment}") };
    assert_eq!(read_legacy_payload(payload), Ok(shared));
    // An optional document turned off travels, off.
    let exoscale = SharedWorkspace {
        documents: vec![
            SharedDocument::new(DocumentRole::Policy, "p"),
            SharedDocument {
                role: DocumentRole::OrganizationPolicy,
                text: "o".to_owned(),
                enabled: false,
                name: String::new(),
            },
        ],
        whole: true,
        ..SharedWorkspace::untested(Provider::Exoscale, Vec::new())
    };
    let json = link_json(&exoscale);
    assert!(json.contains(r#"{"role":"organization","text":"o","off":true}"#), "{json}");
    let read = read_link_json(json.as_bytes()).unwrap();
    assert_eq!(read.documents, exoscale.documents);
    // A document's name travels when it has one; a name longer than a label is refused.
    let mut named = sample();
    if let Some(document) = named.documents.last_mut() {
        document.name = "team \"ops\" group".to_owned();
    }
    let json = link_json(&named);
    assert!(json.contains(r#""name":"team \"ops\" group""#), "{json}");
    assert_eq!(read_link_json(json.as_bytes()), Ok(named.clone()));
    if let Some(document) = named.documents.last_mut() {
        document.name = "n".repeat(MAX_DOCUMENT_NAME_CHARS + 1);
    }
    let refused = read_link_json(link_json(&named).as_bytes()).unwrap_err().message();
    assert!(refused.contains("longer than 60 characters"), "{refused}");
    assert_eq!(read.made_with.map(|made_with| made_with.catalogs), Some(catalog_versions(Provider::Exoscale)));
}

#[test]
fn format_3_links_still_open() {
    let json = r#"{"v":3,"engine":"0.1.0","catalogs":{},"provider":"scaleway","flags":["owner"],"documents":{"policy":"p","request":"r"},"decision":"allow","tests":[{"name":"n","request":{},"expect":"deny","decision":"implicit_deny"}]}"#;
    let shared = read_link_json(json.as_bytes()).unwrap();
    assert_eq!(
        shared.documents,
        vec![SharedDocument::new(DocumentRole::Policy, "p"), SharedDocument::new(DocumentRole::Request, "r")]
    );
    assert!(!shared.whole);
    assert_eq!(shared.decision.as_deref(), Some("allow"));
    assert_eq!(shared.tests.len(), 1);
    assert_eq!(shared.made_with.map(|made_with| made_with.engine).as_deref(), Some("0.1.0"));
    assert_eq!(classify_fragment("#s3=abc"), Fragment::Compressed("abc"));
}

#[test]
fn a_link_written_by_the_embed_loader_opens() {
    // What `iamlab-embed.js` writes: no engine version, so no version notice.
    let json = r#"{"v":4,"provider":"outscale","documents":[{"role":"policy","text":"p"},{"role":"request","text":"r"}],"tests":[{"name":"n","request":{"action":"api:ReadVms"},"expect":"allow"}]}"#;
    let shared = read_link_json(json.as_bytes()).unwrap();
    assert_eq!(shared.made_with, None);
    assert_eq!(shared.tests.len(), 1);
    assert_eq!(shared.documents.len(), 2);
}

#[test]
fn fragments_are_told_apart() {
    assert_eq!(classify_fragment(""), Fragment::None);
    assert_eq!(classify_fragment("#other"), Fragment::None);
    assert_eq!(classify_fragment("#section-3"), Fragment::None);
    assert_eq!(classify_fragment("#share=abc"), Fragment::Plain("abc"));
    assert_eq!(classify_fragment("#s4=abc"), Fragment::Compressed("abc"));
    assert_eq!(classify_fragment("#s3=abc"), Fragment::Compressed("abc"));
    assert_eq!(classify_fragment("#s5=abc"), Fragment::UnknownFormat("5".to_owned()));
    assert_eq!(classify_fragment("#s=abc"), Fragment::None);
    assert_eq!(compressed_fragment(b"foo"), "#s4=Zm9v");
    assert_eq!(compressed_payload_bytes("Zm9v"), Ok(b"foo".to_vec()));
}

fn check_plain(json: &str, expected: SharedWorkspace) {
    let payload = base64url_encode(json.as_bytes());
    assert_eq!(read_legacy_payload(&payload), Ok(expected), "{json}");
}

#[test]
fn links_of_formats_1_and_2_still_open() {
    check_plain(
        r#"{"provider":"aws","policy":"{\"Statement\": [\"é😀\"]}","request":"{}"}"#,
        SharedWorkspace::untested(
            Provider::Aws,
            vec![
                (DocumentRole::Policy, "{\"Statement\": [\"é😀\"]}".to_owned()),
                (DocumentRole::Request, "{}".to_owned()),
            ],
        ),
    );
    check_plain(
        r#"{"provider":"exoscale","policy":"p","request":"r","organization_policy":"o"}"#,
        SharedWorkspace::untested(
            Provider::Exoscale,
            vec![
                (DocumentRole::Policy, "p".to_owned()),
                (DocumentRole::Request, "r".to_owned()),
                (DocumentRole::OrganizationPolicy, "o".to_owned()),
            ],
        ),
    );
    // The request was optional in format 1.
    check_plain(
        r#"{"provider":"scaleway","policy":"p"}"#,
        SharedWorkspace::untested(Provider::Scaleway, vec![(DocumentRole::Policy, "p".to_owned())]),
    );
    check_plain(
        r#"{"provider":"scaleway","documents":{"policy":"p","request":"r"},"flags":["owner"]}"#,
        SharedWorkspace {
            flags: vec!["owner".to_owned()],
            ..SharedWorkspace::untested(
                Provider::Scaleway,
                vec![(DocumentRole::Policy, "p".to_owned()), (DocumentRole::Request, "r".to_owned())],
            )
        },
    );
}

#[test]
fn a_link_made_by_the_first_version_opens() {
    // What the first version's encoder wrote for the Outscale tab in its AWS profile:
    // `{"provider":"aws","policy":"{\"Statement\": []}","request":"{}"}`.
    let fragment = "#share=eyJwcm92aWRlciI6ImF3cyIsInBvbGljeSI6IntcIlN0YXRlbWVudFwiOiBbXX0iLCJyZXF1ZXN0Ijoie30ifQ";
    let Fragment::Plain(payload) = classify_fragment(fragment) else { panic!("{fragment}") };
    let expected = SharedWorkspace::untested(
        Provider::Aws,
        vec![(DocumentRole::Policy, "{\"Statement\": []}".to_owned()), (DocumentRole::Request, "{}".to_owned())],
    );
    assert_eq!(read_legacy_payload(payload), Ok(expected));
}

fn check_broken(json: &str, expected_in_message: &str) {
    let message = read_link_json(json.as_bytes()).map(|_| String::new()).unwrap_or_else(|error| error.message());
    assert!(message.starts_with("this share link"), "{json}: {message}");
    assert!(message.ends_with("your own text is unchanged"), "{json}: {message}");
    assert!(message.contains(expected_in_message), "{json}: {message}");
}

#[test]
fn broken_and_hostile_links_give_a_message() {
    for payload in ["%%%", "A", "this*is%not-base64"] {
        let error = read_legacy_payload(payload).unwrap_err();
        assert!(error.message().contains("not valid base64url"), "{payload}: {}", error.message());
    }
    assert_eq!(read_legacy_payload(&"A".repeat(MAX_PAYLOAD_CHARS + 4)), Err(LinkError::TooLarge));
    assert_eq!(read_link_json(&vec![b' '; MAX_INFLATED_BYTES + 1]), Err(LinkError::TooLarge));
    assert!(LinkError::TooLarge.message().contains("more than 2 MB"));
    check_broken("foobar", "expected");
    check_broken("[]", "does not hold a JSON object");
    check_broken("{}", "missing field `provider`");
    check_broken(r#"{"provider":"exoscale","documents":{"nonsense":"x"}}"#, "`nonsense` is not a document role");
    check_broken(r#"{"provider":"aws","documents":{"organization":"x"}}"#, "organization");
    check_broken(r#"{"provider":"aws","documents":[]}"#, "invalid type");
    check_broken(r#"{"provider":"gcp","policy":"x"}"#, "gcp");
    check_broken(r#"{"provider":"aws","documents":{},"flags":["owner"]}"#, "owner");
    check_broken(r#"{"v":3,"engine":"0.1.0","provider":"aws","documents":{"policy":7}}"#, "invalid type");
    check_broken(r#"{"v":3,"engine":"0.1.0","provider":"aws","documents":{},"decision":"maybe"}"#, "`maybe`");
    check_broken(
        r#"{"v":3,"engine":"0.1.0","provider":"aws","documents":{},"tests":[{"name":"a","request":{},"expect":"yes"}]}"#,
        "`yes` is not a valid `expect`",
    );
    check_broken(
        r#"{"v":3,"engine":"0.1.0","provider":"aws","documents":{},"tests":[{"name":"a","request":{},"expect":"deny","extra":1}]}"#,
        "unknown field",
    );
    check_broken(r#"{"v":5,"provider":"aws"}"#, "format 5, which this page does not read");
    check_broken(r#"{"v":"3","provider":"aws"}"#, "format \"3\"");
    check_broken(r#"{"v":4,"provider":"aws","documents":{"policy":"p"}}"#, "invalid type");
    check_broken(
        r#"{"v":4,"provider":"aws","documents":[{"role":"request","text":"a"},{"role":"request","text":"b"}]}"#,
        "two `request` documents",
    );
    check_broken(
        r#"{"v":4,"provider":"exoscale","documents":[{"role":"policy","text":"p","off":true}]}"#,
        "turned off",
    );
    check_broken(r#"{"v":4,"provider":"exoscale","documents":[{"role":"policy","txt":"p"}]}"#, "unknown field");
    check_broken(r#"{"v":4,"provider":"exoscale","documents":[],"saved":[{"role":"nope","text":""}]}"#, "`nope`");
    let documents = vec![r#"{"role":"policy","text":""}"#; MAX_DOCUMENTS + 1].join(",");
    check_broken(&format!(r#"{{"v":4,"provider":"scaleway","documents":[{documents}]}}"#), "more than 200");
    let many = format!(
        r#"{{"v":3,"engine":"0.1.0","provider":"aws","documents":{{}},"tests":[{}]}}"#,
        vec![r#"{"name":"a","request":{},"expect":"deny"}"#; MAX_TEST_CASES + 1].join(",")
    );
    check_broken(&many, "more than 1000");
    assert!(LinkError::UnknownFormat("9".to_owned()).message().contains("format 9"));
}

#[test]
fn the_versions_a_link_was_made_with_are_compared() {
    assert_eq!(version_differences(Provider::Outscale, None), Vec::<String>::new());
    let now = catalog_versions(Provider::Outscale);
    let now_version =
        now.iter().find(|(name, _)| name == "outscale-actions").map(|(_, version)| version.clone()).unwrap_or_default();
    assert!(!now_version.is_empty(), "{now:?}");
    let same = MadeWith { engine: ENGINE_VERSION.to_owned(), catalogs: now.clone() };
    assert_eq!(version_differences(Provider::Outscale, Some(&same)), Vec::<String>::new());
    let mut catalogs = Vec::new();
    json::insert_pair(&mut catalogs, "outscale-actions".to_owned(), "2020-01".to_owned());
    json::insert_pair(&mut catalogs, "gone".to_owned(), "1".to_owned());
    let older = MadeWith { engine: "0.0.1".to_owned(), catalogs };
    assert_eq!(
        version_differences(Provider::Outscale, Some(&older)),
        [
            format!("engine 0.0.1 (this page runs {ENGINE_VERSION})"),
            "catalogue gone 1 (this page has none)".to_owned(),
            format!("catalogue outscale-actions 2020-01 (this page has {now_version})"),
        ]
    );
    // Same engine, catalogue not recorded (a format 3 link): the catalogue is named.
    let unrecorded = MadeWith { engine: ENGINE_VERSION.to_owned(), catalogs: Vec::new() };
    assert_eq!(
        version_differences(Provider::Outscale, Some(&unrecorded)),
        [format!("catalogue outscale-actions not recorded (this page has {now_version})")]
    );
    // Every catalogue engine-side has a version (Scaleway's and Exoscale's included).
    for provider in Provider::ALL {
        assert!(!catalog_versions(provider).is_empty(), "{provider}");
    }
    // Thousands of catalogue names in a hostile link: a few are named.
    let many = MadeWith {
        engine: ENGINE_VERSION.to_owned(),
        catalogs: (0..5000).map(|index| (format!("c{index}"), "1".to_owned())).collect(),
    };
    let differences = version_differences(Provider::Outscale, Some(&many));
    assert_eq!(differences.len(), 5);
    assert_eq!(differences.last().map(String::as_str), Some("4997 more catalogues"));
}

/// A small deterministic generator (xorshift64*), so that the hostile inputs are the same on
/// every run and a failure can be replayed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}

/// The decoder over many random and damaged inputs: every one gives a workspace or a message,
/// never a panic; a workspace read from damaged input still only has roles its provider has.
#[test]
fn the_decoder_survives_random_and_damaged_links() {
    let mut random = Random(0x1a2b_3c4d_5e6f_7788);
    let valid = [
        link_json(&sample()),
        r#"{"provider":"exoscale","policy":"p","request":"r","organization_policy":"o"}"#.to_owned(),
        r#"{"provider":"aws","documents":{"policy":"{}","request":"{}"}}"#.to_owned(),
        r#"{"v":3,"engine":"0.1.0","provider":"aws","documents":{"policy":"{}"},"tests":[{"name":"a","request":{},"expect":"deny"}]}"#.to_owned(),
    ];
    let tokens: [&[u8]; 16] = [
        b"{",
        b"}",
        b"[",
        b"]",
        b"\"",
        b":",
        b",",
        b"\"v\"",
        b"3",
        b"\"documents\"",
        b"\"tests\"",
        b"\"off\":true",
        b"{\"role\":\"policy\",\"text\":\"\"},",
        b"null",
        b"\\u0000",
        b"\xff",
    ];
    let mut read = 0usize;
    for round in 0..30_000 {
        let base = valid[(round / 4) % valid.len()].as_bytes();
        let mut bytes = base.to_vec();
        match round % 4 {
            // Random bytes.
            0 => bytes = (0..random.below(64)).map(|_| random.next() as u8).collect(),
            // A truncation.
            1 => bytes.truncate(random.below(base.len())),
            // Flipped bytes.
            2 => {
                for _ in 0..=random.below(4) {
                    let at = random.below(bytes.len());
                    if let Some(byte) = bytes.get_mut(at) {
                        *byte ^= 1 << random.below(8);
                    }
                }
            }
            // JSON tokens spliced in.
            _ => {
                for _ in 0..=random.below(3) {
                    let at = random.below(bytes.len() + 1);
                    let token = tokens[random.below(tokens.len())];
                    bytes.splice(at..at, token.iter().copied());
                }
            }
        }
        if let Ok(shared) = read_link_json(&bytes) {
            read += 1;
            for document in &shared.documents {
                assert!(iamlab_engine::check_role(shared.provider, document.role).is_ok(), "{bytes:?}");
            }
        }
        // The same bytes as a `#share=` payload, and that payload damaged as text.
        let mut payload = base64url_encode(&bytes);
        let _ = read_legacy_payload(&payload);
        payload.truncate(random.below(payload.len() + 1));
        let _ = read_legacy_payload(&payload);
        let _ = compressed_payload_bytes(&payload);
        let _ = classify_fragment(&format!("#s{payload}"));
    }
    // Some damaged inputs are still valid links (a flipped bit inside a policy's text): the
    // generator reaches the checks past the JSON reader.
    assert!(read > 100, "only {read} inputs were read as links");
}

/// The exact text of a format 4 link and of the messages for damaged ones: the reader and
/// writer are written by hand, and links already made must keep opening.
#[test]
fn format_4_is_written_and_refused_byte_for_byte() {
    let shared = SharedWorkspace {
        documents: vec![
            SharedDocument::new(DocumentRole::Policy, "p\u{1}\"\\\n\t/é"),
            SharedDocument {
                role: DocumentRole::OrganizationPolicy,
                text: "o".to_owned(),
                enabled: false,
                name: String::new(),
            },
        ],
        decision: Some("allow".to_owned()),
        tests: vec![SharedTestCase {
            name: "\"q".to_owned(),
            request: serde_json::json!({ "b": [1, -2, 1.5, null, true], "a": "x" }),
            expect: "deny".to_owned(),
            decision: None,
        }],
        saved: Some(Vec::new()),
        whole: true,
        ..SharedWorkspace::untested(Provider::Exoscale, Vec::new())
    };
    let catalogs = catalog_versions(Provider::Exoscale);
    let catalogs: Vec<String> = catalogs.iter().map(|(name, version)| format!("\"{name}\":\"{version}\"")).collect();
    assert_eq!(
        link_json(&shared),
        format!(
            r#"{{"v":4,"engine":"{ENGINE_VERSION}","catalogs":{{{}}},"provider":"exoscale","documents":[{{"role":"policy","text":"p\u0001\"\\\n\t/é"}},{{"role":"organization","text":"o","off":true}}],"saved":[],"decision":"allow","tests":[{{"name":"\"q","request":{{"a":"x","b":[1,-2,1.5,null,true]}},"expect":"deny"}}]}}"#,
            catalogs.join(",")
        )
    );
    for (json, message) in [
        (r#"{"provider":1,"policy":"x"}"#, "invalid type: integer `1`, expected string or map"),
        (r#"{"provider":"gcp","policy":"x"}"#, "unknown variant `gcp`, expected one of `exoscale`, `scaleway`, `outscale`, `aws`"),
        (r#"{"provider":"aws"}"#, "missing field `policy`"),
        (r#"{"provider":"aws","documents":{},"flags":null}"#, "invalid type: null, expected a sequence"),
        (r#"{"v":3,"provider":"aws","documents":{},"zzz":1}"#, "unknown field `zzz`, expected one of `v`, `engine`, `catalogs`, `provider`, `flags`, `documents`, `decision`, `tests`"),
        (r#"{"v":4,"provider":"aws","documents":[1]}"#, "invalid type: integer `1`, expected struct DocumentV4"),
        (r#"{"v":4,"provider":"aws","documents":[{"role":"policy"}]}"#, "missing field `text`"),
        (r#"{"v":4,"provider":"aws","documents":[{"role":"policy","text":"","off":1}]}"#, "invalid type: integer `1`, expected a boolean"),
        (r#"{"v":4,"provider":"aws","documents":[],"tests":[{"name":"a","expect":"deny"}]}"#, "missing field `request`"),
        (r#"{"v":4,"provider":"aws","documents":[],"tests":[{"name":1.5,"request":null,"expect":"deny"}]}"#, "invalid type: floating point `1.5`, expected a string"),
        (r#"{"v":4,"provider":"aws","documents":[],"tests":[{"name":-1,"request":null,"expect":"deny"}]}"#, "invalid type: integer `-1`, expected a string"),
        (r#"{"v":4,"provider":"aws","documents":[],"tests":[{"name":"a","request":{},"expect":"deny","extra":1}]}"#, "unknown field `extra`, expected one of `name`, `request`, `expect`, `decision`"),
        // serde visited the members in the map's (sorted) order: `aa` is named before `zz`.
        (r#"{"v":4,"provider":"aws","documents":[],"zz":1,"aa":2}"#, "unknown field `aa`, expected one of `v`, `engine`, `catalogs`, `provider`, `flags`, `documents`, `saved`, `decision`, `tests`"),
        (r#"{"v":4,"documents":[]}"#, "missing field `provider`"),
    ] {
        assert_eq!(read_link_json(json.as_bytes()), Err(LinkError::Broken(message.to_owned())), "{json}");
    }
    // `null` is no value for the optional strings and the saved version, as before.
    let json = r#"{"v":4,"provider":"aws","documents":[],"saved":null,"engine":null,"tests":[{"name":"a","request":null,"expect":"deny","decision":null}]}"#;
    let read = read_link_json(json.as_bytes()).unwrap();
    assert_eq!((read.saved, read.made_with, read.tests.len()), (None, None, 1));
}
