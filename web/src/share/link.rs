//! The share link's text, without the browser: what a link carries, how it is written as JSON,
//! and how a link of any format is read back and checked. Deflating and inflating are the
//! browser's (`CompressionStream`, see `deflate.js`); everything here is plain Rust, so that it
//! runs in native unit tests and under the fuzzer (`fuzz/fuzz_targets/share_link.rs` includes
//! this file as is). It depends on nothing of the page: only the engine's roles and options.
//!
//! Fragments, newest first:
//! - `#s4=<base64url of deflate-raw of JSON>`: format 4, the whole workspace: `{"v":4, "engine",
//!   "catalogs", "provider", "flags", "documents": [{"role", "text", "off", "name"}], "saved":
//!   [..documents of the saved version..], "decision", "tests": [..]}`. Every document in order,
//!   so the repeatable roles (Scaleway's group policies) and the documents turned off travel too.
//! - `#s3=<base64url of deflate-raw of JSON>`: format 3, `{"v":3, "engine", "catalogs",
//!   "provider", "flags", "documents": {<role key>: text}, "decision", "tests": [..]}`: one
//!   document per role, the ones the simulation read. Still read.
//!   `#s<N>=` with another `N` is a format this page does not know: it says so.
//! - `#share=<base64url of JSON>`: the uncompressed links of the first playgrounds, with
//!   `{"provider", "documents", "flags"}` (documents by role) or `{"provider", "policy",
//!   "request", "organization_policy"}` (the very first). A format 3 or 4 object is read here
//!   too: it is what the page writes when the browser has no `CompressionStream`, and what the
//!   embed loader writes (it stays a few lines of JavaScript).

use iamlab_engine::{DocumentRole, Options, RoleCount};
use iamlab_model::Provider;
use json::{
    members, missing_field, optional_string, required, string, unknown_field, Members, ObjectWriter,
    Result as JsonResult,
};
use serde_json::Value;

/// The JSON reading and writing of links (and of the stored state, `crate::storage`). The path
/// is spelled out because the fuzzer includes this file by `#[path]`, which would look for it
/// beside this file.
#[path = "link/json.rs"]
pub(crate) mod json;

/// The fragment of the uncompressed links (formats 1 and 2, and format 3 without compression).
pub const LEGACY_PREFIX: &str = "#share=";
/// The format this page writes.
pub const FORMAT: u32 = 4;
/// The fragment of format 4 links, the ones this page writes.
pub const COMPRESSED_PREFIX: &str = "#s4=";
/// The fragment of format 3 links, still read.
pub const FORMAT_3_PREFIX: &str = "#s3=";
/// The most a link may inflate to. The largest document the playground handles comfortably is
/// about 1 MB; a hostile 2 KB link can inflate to gigabytes, so inflating stops here.
pub const MAX_INFLATED_BYTES: usize = 2 * 1024 * 1024;
/// The longest payload read at all: base64 of [`MAX_INFLATED_BYTES`] is 4/3 of it.
pub const MAX_PAYLOAD_CHARS: usize = MAX_INFLATED_BYTES / 3 * 4 + 4;
/// Test cases a link may carry; a grid of a thousand rows is already more than a page shows.
pub const MAX_TEST_CASES: usize = 1_000;
/// Documents a link may carry (in its workspace and again in its saved version).
pub const MAX_DOCUMENTS: usize = 200;

/// The longest name a document keeps, in characters: a name is a label, not a second text.
pub const MAX_DOCUMENT_NAME_CHARS: usize = 60;

/// The engine version links record. The web crate and the engine take their version from the
/// workspace (`version.workspace = true`), so this is the engine's `CARGO_PKG_VERSION` too.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The catalogue versions links record, by catalogue name: those of the catalogues the
/// provider's engine embeds (`iamlab_engine::catalogs`), whose versions change with their data.
pub fn catalog_versions(provider: Provider) -> Vec<(String, String)> {
    // Key-ordered pairs, not a map: see `json::pairs`.
    let mut versions = Vec::new();
    for catalog in iamlab_engine::catalogs(provider) {
        json::insert_pair(&mut versions, catalog.name.to_owned(), catalog.version.to_owned());
    }
    versions
}

/// One row of a test grid, in the test-case format the CLI's `iamlab test` reads (`name`,
/// `request`, `expect`), with the decision the row had when the link was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedTestCase {
    pub name: String,
    pub request: serde_json::Value,
    /// `allow`, `deny`, `explicit_deny` or `implicit_deny`.
    pub expect: String,
    /// `allow`, `explicit_deny` or `implicit_deny`: what the engine decided when the link was
    /// made, so that opening it with another engine can list the rows that changed.
    pub decision: Option<String>,
}

impl SharedTestCase {
    /// Its fields, for `deny_unknown_fields` messages.
    const FIELDS: &'static [&'static str] = &["name", "request", "expect", "decision"];

    fn from_json(value: &Value) -> JsonResult<SharedTestCase> {
        let (mut name, mut request, mut expect, mut decision) = (None, None, None, None);
        for (key, value) in members(value, "SharedTestCase")? {
            match key.as_str() {
                "name" => name = Some(string(value)?),
                "request" => request = Some(value.clone()),
                "expect" => expect = Some(string(value)?),
                "decision" => decision = optional_string(value)?,
                _ => return Err(unknown_field(key, SharedTestCase::FIELDS)),
            }
        }
        Ok(SharedTestCase {
            name: required(name, "name")?,
            request: required(request, "request")?,
            expect: required(expect, "expect")?,
            decision,
        })
    }

    fn to_json(&self) -> String {
        let mut writer = ObjectWriter::new();
        writer.string("name", &self.name).raw("request", &self.request.to_string()).string("expect", &self.expect);
        if let Some(decision) = &self.decision {
            writer.string("decision", decision);
        }
        writer.finish()
    }
}

/// The versions a link was made with (links before format 3 record none).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MadeWith {
    pub engine: String,
    /// Catalogue name and version, in name order.
    pub catalogs: Vec<(String, String)>,
}

/// One document of a link: its role, its text, whether the simulation read it, and the name
/// the user gave it (empty for none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedDocument {
    pub role: DocumentRole,
    pub text: String,
    pub enabled: bool,
    pub name: String,
}

impl SharedDocument {
    pub fn new(role: DocumentRole, text: impl Into<String>) -> SharedDocument {
        SharedDocument { role, text: text.into(), enabled: true, name: String::new() }
    }
}

/// What a share link carries: the engine profile, the documents, the yes/no options that were
/// on, the decision of the workspace's request, the test grid and the saved version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedWorkspace {
    pub provider: Provider,
    /// In the workspace's order; a role may come more than once where the provider reads any
    /// number of its documents.
    pub documents: Vec<SharedDocument>,
    pub flags: Vec<String>,
    /// The effect the workspace's request had when the link was made.
    pub decision: Option<String>,
    pub tests: Vec<SharedTestCase>,
    /// The documents of the version saved for a what-if comparison (format 4).
    pub saved: Option<Vec<SharedDocument>>,
    /// Whether the link is the whole workspace (format 4): then its grid replaces the tab's
    /// even when empty, and documents it does not have are not kept. Older links carry some
    /// documents, and the tab keeps the rest.
    pub whole: bool,
    /// `None` for links of formats 1 and 2.
    pub made_with: Option<MadeWith>,
}

impl SharedWorkspace {
    /// Documents only: no options, decision, tests or versions (what links before format 3 carry).
    pub fn untested(provider: Provider, documents: Vec<(DocumentRole, String)>) -> SharedWorkspace {
        SharedWorkspace {
            provider,
            documents: documents.into_iter().map(|(role, text)| SharedDocument::new(role, text)).collect(),
            flags: Vec::new(),
            decision: None,
            tests: Vec::new(),
            saved: None,
            whole: false,
            made_with: None,
        }
    }
}

/// Formats 3 and 4 as read: they differ in `documents` (by role in 3, a list in 4) and in
/// `saved` (4 only). One reader for both keeps the wasm smaller.
struct LinkV3OrV4 {
    /// Format 4.
    whole: bool,
    /// Left out by the embed loader, which cannot know the engine of the page it embeds.
    engine: Option<String>,
    catalogs: Vec<(String, String)>,
    provider: Provider,
    flags: Vec<String>,
    documents: LinkDocuments,
    saved: Option<Vec<DocumentV4>>,
    decision: Option<String>,
    tests: Vec<SharedTestCase>,
}

enum LinkDocuments {
    /// Format 3.
    ByRole(Vec<(String, String)>),
    /// Format 4.
    List(Vec<DocumentV4>),
}

const FIELDS_V4: &[&str] = &["v", "engine", "catalogs", "provider", "flags", "documents", "saved", "decision", "tests"];
const FIELDS_V3: &[&str] = &["v", "engine", "catalogs", "provider", "flags", "documents", "decision", "tests"];

impl LinkV3OrV4 {
    /// Reads the object as serde's derive did (`deny_unknown_fields`, the members in the map's
    /// order, then the missing fields in declaration order), so that messages stay the same.
    fn from_json(object: &Members, whole: bool) -> JsonResult<LinkV3OrV4> {
        let mut link = LinkV3OrV4 {
            whole,
            engine: None,
            catalogs: Vec::new(),
            provider: Provider::Aws,
            flags: Vec::new(),
            documents: LinkDocuments::List(Vec::new()),
            saved: None,
            decision: None,
            tests: Vec::new(),
        };
        let (mut provider, mut documents) = (None, None);
        for (key, value) in object {
            match key.as_str() {
                // Read to choose this format.
                "v" => {}
                "engine" => link.engine = optional_string(value)?,
                "catalogs" => link.catalogs = json::pairs(value, string)?,
                "provider" => provider = Some(json::provider(value)?),
                "flags" => link.flags = json::list(value, string)?,
                "documents" if whole => {
                    documents = Some(LinkDocuments::List(json::list(value, DocumentV4::from_json)?))
                }
                "documents" => documents = Some(LinkDocuments::ByRole(json::pairs(value, string)?)),
                "saved" if whole => {
                    link.saved = if value.is_null() { None } else { Some(json::list(value, DocumentV4::from_json)?) }
                }
                "decision" => link.decision = optional_string(value)?,
                "tests" => link.tests = json::list(value, SharedTestCase::from_json)?,
                _ => return Err(unknown_field(key, if whole { FIELDS_V4 } else { FIELDS_V3 })),
            }
        }
        link.provider = required(provider, "provider")?;
        link.documents = required(documents, "documents")?;
        Ok(link)
    }
}

/// One document of format 4.
struct DocumentV4 {
    role: String,
    text: String,
    /// The document is turned off (only an optional role's can be).
    off: bool,
    /// The name the user gave it; empty when the link has none.
    name: String,
}

impl DocumentV4 {
    const FIELDS: &'static [&'static str] = &["role", "text", "off", "name"];

    fn from_json(value: &Value) -> JsonResult<DocumentV4> {
        let (mut role, mut text, mut off, mut name) = (None, None, false, String::new());
        for (key, value) in members(value, "DocumentV4")? {
            match key.as_str() {
                "role" => role = Some(string(value)?),
                "text" => text = Some(string(value)?),
                "off" => off = json::boolean(value)?,
                "name" => name = string(value)?,
                _ => return Err(unknown_field(key, DocumentV4::FIELDS)),
            }
        }
        Ok(DocumentV4 { role: required(role, "role")?, text: required(text, "text")?, off, name })
    }
}

/// Format 2: documents by role (unknown fields ignored, as they were).
struct LinkV2 {
    provider: Provider,
    documents: Vec<(String, String)>,
    flags: Vec<String>,
}

impl LinkV2 {
    fn from_json(object: &Members) -> JsonResult<LinkV2> {
        let (mut provider, mut documents, mut flags) = (None, None, Vec::new());
        for (key, value) in object {
            match key.as_str() {
                "provider" => provider = Some(json::provider(value)?),
                "documents" => documents = Some(json::pairs(value, string)?),
                "flags" => flags = json::list(value, string)?,
                _ => {}
            }
        }
        Ok(LinkV2 { provider: required(provider, "provider")?, documents: required(documents, "documents")?, flags })
    }
}

/// Format 1: one field per document the playground had then (unknown fields ignored).
struct LinkV1 {
    provider: Provider,
    policy: String,
    request: Option<String>,
    /// Exoscale: the organization policy the simulation used, when one was.
    organization_policy: Option<String>,
}

impl LinkV1 {
    fn from_json(object: &Members) -> JsonResult<LinkV1> {
        let (mut provider, mut policy, mut request, mut organization_policy) = (None, None, None, None);
        for (key, value) in object {
            match key.as_str() {
                "provider" => provider = Some(json::provider(value)?),
                "policy" => policy = Some(string(value)?),
                "request" => request = optional_string(value)?,
                "organization_policy" => organization_policy = optional_string(value)?,
                _ => {}
            }
        }
        Ok(LinkV1 {
            provider: required(provider, "provider")?,
            policy: policy.ok_or_else(|| missing_field("policy"))?,
            request,
            organization_policy,
        })
    }
}

const EFFECTS: [&str; 3] = ["allow", "explicit_deny", "implicit_deny"];
const EXPECTATIONS: [&str; 4] = ["allow", "deny", "explicit_deny", "implicit_deny"];

/// Why a link could not be read, in words that end up in the page's notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Returned when the link is damaged: bad base64, bad deflate, bad JSON, wrong types.
    Broken(String),
    /// Returned when the link inflates to more than [`MAX_INFLATED_BYTES`].
    TooLarge,
    /// Returned when the link is of a format this page does not know (made by a later iamlab).
    UnknownFormat(String),
}

impl LinkError {
    pub fn message(&self) -> String {
        let why = match self {
            LinkError::Broken(why) => format!("this share link is broken ({why})"),
            LinkError::TooLarge => format!(
                "this share link is broken (it inflates to more than {} MB, more than any link this playground makes)",
                MAX_INFLATED_BYTES / (1024 * 1024)
            ),
            LinkError::UnknownFormat(format) => format!(
                "this share link has format {format}, which this page does not read (it reads formats 1 to {FORMAT}): was it made by a newer iamlab?"
            ),
        };
        format!("{why}; your own text is unchanged")
    }
}

fn broken(why: impl Into<String>) -> LinkError {
    LinkError::Broken(why.into())
}

/// What a URL fragment is.
#[derive(Debug, PartialEq, Eq)]
pub enum Fragment<'a> {
    /// Not a share link at all.
    None,
    /// `#share=`: base64url of JSON, read at once with [`read_legacy_payload`].
    Plain(&'a str),
    /// `#s4=` or `#s3=`: base64url of deflate-raw; decode with [`compressed_payload_bytes`],
    /// inflate in the browser, then [`read_link_json`] (the JSON's `v` tells the format).
    Compressed(&'a str),
    /// `#s<N>=` of a format this page does not know.
    UnknownFormat(String),
}

pub fn classify_fragment(fragment: &str) -> Fragment<'_> {
    if let Some(payload) = fragment.strip_prefix(LEGACY_PREFIX) {
        return Fragment::Plain(payload);
    }
    if let Some(payload) = fragment.strip_prefix(COMPRESSED_PREFIX).or_else(|| fragment.strip_prefix(FORMAT_3_PREFIX)) {
        return Fragment::Compressed(payload);
    }
    // `#s<digits>=`: a later format.
    if let Some((head, _)) = fragment.strip_prefix("#s").and_then(|rest| rest.split_once('=')) {
        if !head.is_empty() && head.len() <= 6 && head.bytes().all(|byte| byte.is_ascii_digit()) {
            return Fragment::UnknownFormat(head.to_owned());
        }
    }
    Fragment::None
}

/// The JSON of a format 4 link (before deflating): `{"v":4, "engine", "catalogs", "provider",
/// "flags" (left out when empty), "documents": [{"role", "text", "off" (only when true), "name"
/// (only when the user gave one)}],
/// "saved" (when there is one), "decision" (when there is one), "tests" (left out when empty)}`.
pub fn link_json(shared: &SharedWorkspace) -> String {
    let documents = |documents: &[SharedDocument]| {
        json::array(documents.iter().map(|document| {
            let mut writer = ObjectWriter::new();
            writer.string("role", document.role.as_str()).string("text", &document.text);
            if !document.enabled {
                writer.raw("off", "true");
            }
            if !document.name.is_empty() {
                writer.string("name", &document.name);
            }
            writer.finish()
        }))
    };
    let mut writer = ObjectWriter::new();
    writer
        .raw("v", &FORMAT.to_string())
        .string("engine", ENGINE_VERSION)
        .raw(
            "catalogs",
            &json::string_map(catalog_versions(shared.provider).iter().map(|(name, version)| (name, version))),
        )
        .string("provider", shared.provider.as_str());
    if !shared.flags.is_empty() {
        writer.raw("flags", &json::array(shared.flags.iter().map(|flag| json::quoted(flag))));
    }
    writer.raw("documents", &documents(&shared.documents));
    if let Some(saved) = &shared.saved {
        writer.raw("saved", &documents(saved));
    }
    if let Some(decision) = &shared.decision {
        writer.string("decision", decision);
    }
    if !shared.tests.is_empty() {
        writer.raw("tests", &json::array(shared.tests.iter().map(SharedTestCase::to_json)));
    }
    writer.finish()
}

/// The whole fragment of an uncompressed link: what the page writes when the browser cannot
/// deflate. It opens in every version of the page that reads format 3.
pub fn plain_fragment(shared: &SharedWorkspace) -> String {
    format!("{LEGACY_PREFIX}{}", base64url_encode(link_json(shared).as_bytes()))
}

/// The whole fragment of a compressed link, given the deflated JSON.
pub fn compressed_fragment(deflated: &[u8]) -> String {
    format!("{COMPRESSED_PREFIX}{}", base64url_encode(deflated))
}

fn payload_bytes(payload: &str) -> Result<Vec<u8>, LinkError> {
    let payload = payload.trim();
    if payload.len() > MAX_PAYLOAD_CHARS {
        return Err(LinkError::TooLarge);
    }
    base64url_decode(payload).ok_or_else(|| broken("it is not valid base64url; was it cut short?"))
}

/// The deflated bytes of a `#s4=` or `#s3=` payload.
pub fn compressed_payload_bytes(payload: &str) -> Result<Vec<u8>, LinkError> {
    let bytes = payload_bytes(payload)?;
    if bytes.is_empty() {
        return Err(broken("it is empty"));
    }
    Ok(bytes)
}

/// Reads a `#share=` payload: base64url of the JSON of any format.
pub fn read_legacy_payload(payload: &str) -> Result<SharedWorkspace, LinkError> {
    read_link_json(&payload_bytes(payload)?)
}

/// Reads the JSON of a link of any format and checks it: a known provider, roles the provider
/// has, its options, effects and test cases. This is what the fuzzer runs.
pub fn read_link_json(bytes: &[u8]) -> Result<SharedWorkspace, LinkError> {
    if bytes.len() > MAX_INFLATED_BYTES {
        return Err(LinkError::TooLarge);
    }
    let json = std::str::from_utf8(bytes).map_err(|_| broken("it does not decode to text"))?;
    // The model's reader, not `serde_json::from_str`: one JSON text parser in the wasm.
    let value = iamlab_model::json::serde_value_from_text(json).map_err(broken)?;
    let Some(object) = value.as_object() else {
        return Err(broken("it does not hold a JSON object"));
    };
    match object.get("v") {
        Some(Value::Number(number)) if matches!(number.as_u64(), Some(3 | 4)) => {
            let whole = number.as_u64() == Some(u64::from(FORMAT));
            from_v3_or_v4(LinkV3OrV4::from_json(object, whole).map_err(broken)?)
        }
        Some(other) => Err(LinkError::UnknownFormat(other.to_string())),
        // Only links of format 2 have `documents`; any other object is read as format 1, whose
        // errors then name its fields.
        None if object.contains_key("documents") => {
            let link = LinkV2::from_json(object).map_err(broken)?;
            let documents = documents_by_role(link.provider, link.documents)?;
            checked_flags(link.provider, &link.flags)?;
            Ok(SharedWorkspace { flags: link.flags, documents, ..SharedWorkspace::untested(link.provider, Vec::new()) })
        }
        None => {
            let link = LinkV1::from_json(object).map_err(broken)?;
            let documents = [
                (DocumentRole::Policy, Some(link.policy)),
                (DocumentRole::Request, link.request),
                (DocumentRole::OrganizationPolicy, link.organization_policy),
            ];
            let documents = documents.into_iter().filter_map(|(role, text)| Some((role, text?))).collect();
            Ok(SharedWorkspace::untested(link.provider, documents))
        }
    }
}

fn from_v3_or_v4(link: LinkV3OrV4) -> Result<SharedWorkspace, LinkError> {
    let documents = match link.documents {
        LinkDocuments::List(documents) => checked_document_list(link.provider, documents)?,
        LinkDocuments::ByRole(documents) => documents_by_role(link.provider, documents)?,
    };
    let saved = link.saved.map(|saved| checked_document_list(link.provider, saved)).transpose()?;
    // The order of the checks each format had, so that a link with two faults names the same.
    if !link.whole {
        checked_flags(link.provider, &link.flags)?;
    }
    let (decision, tests) = checked_decisions(link.decision, link.tests)?;
    if link.whole {
        checked_flags(link.provider, &link.flags)?;
    }
    Ok(SharedWorkspace {
        provider: link.provider,
        documents,
        flags: link.flags,
        decision,
        tests,
        saved,
        whole: link.whole,
        made_with: link.engine.map(|engine| MadeWith { engine, catalogs: link.catalogs }),
    })
}

type Decisions = (Option<String>, Vec<SharedTestCase>);

fn checked_decisions(decision: Option<String>, tests: Vec<SharedTestCase>) -> Result<Decisions, LinkError> {
    if let Some(decision) = &decision {
        checked_word("decision", decision, &EFFECTS)?;
    }
    if tests.len() > MAX_TEST_CASES {
        return Err(broken(format!("it has {} test cases, more than {MAX_TEST_CASES}", tests.len())));
    }
    for case in &tests {
        checked_word("expect", &case.expect, &EXPECTATIONS)?;
        if let Some(decision) = &case.decision {
            checked_word("decision", decision, &EFFECTS)?;
        }
    }
    Ok((decision, tests))
}

fn checked_role(provider: Provider, key: &str) -> Result<(DocumentRole, RoleCount), LinkError> {
    let key_shown: String = key.chars().take(40).collect();
    let role = DocumentRole::from_key(key).ok_or_else(|| broken(format!("`{key_shown}` is not a document role")))?;
    iamlab_engine::check_role(provider, role).map_err(|error| broken(error.to_string()))?;
    let count = iamlab_engine::roles(provider).iter().find(|info| info.role == role).map(|info| info.count);
    Ok((role, count.unwrap_or(RoleCount::ExactlyOne)))
}

/// Format 4's list: roles the provider has, no more documents of a role than it reads, and
/// only an optional role's document turned off.
fn checked_document_list(provider: Provider, documents: Vec<DocumentV4>) -> Result<Vec<SharedDocument>, LinkError> {
    if documents.len() > MAX_DOCUMENTS {
        return Err(broken(format!("it has {} documents, more than {MAX_DOCUMENTS}", documents.len())));
    }
    let mut checked: Vec<SharedDocument> = Vec::with_capacity(documents.len());
    for document in documents {
        let (role, count) = checked_role(provider, &document.role)?;
        if count != RoleCount::Any && checked.iter().any(|earlier| earlier.role == role) {
            return Err(broken(format!("it has two `{}` documents, and {provider} reads one", role.as_str())));
        }
        if document.off && count != RoleCount::AtMostOne {
            return Err(broken(format!("its `{}` document is turned off, and {provider} needs it", role.as_str())));
        }
        if document.name.chars().count() > MAX_DOCUMENT_NAME_CHARS {
            return Err(broken(format!("a document's name is longer than {MAX_DOCUMENT_NAME_CHARS} characters")));
        }
        checked.push(SharedDocument { role, text: document.text, enabled: !document.off, name: document.name });
    }
    Ok(checked)
}

/// The documents of formats 2 and 3: one per role, all of them read.
fn documents_by_role(provider: Provider, documents: Vec<(String, String)>) -> Result<Vec<SharedDocument>, LinkError> {
    let mut checked = Vec::with_capacity(documents.len());
    for (key, text) in documents {
        let (role, _) = checked_role(provider, &key)?;
        checked.push(SharedDocument::new(role, text));
    }
    Ok(checked)
}

fn checked_flags(provider: Provider, flags: &[String]) -> Result<(), LinkError> {
    let mut options = Options::for_provider(provider);
    for flag in flags {
        options.set_flag(flag).map_err(|error| broken(error.to_string()))?;
    }
    Ok(())
}

fn checked_word(field: &str, word: &str, allowed: &[&str]) -> Result<(), LinkError> {
    if allowed.contains(&word) {
        Ok(())
    } else {
        let word: String = word.chars().take(40).collect();
        Err(broken(format!("`{word}` is not a valid `{field}`: one of {}", allowed.join(", "))))
    }
}

/// What differs between the versions a link of `provider` was made with and this page's, in
/// words; empty when they are the same (or the link does not say).
pub fn version_differences(provider: Provider, made_with: Option<&MadeWith>) -> Vec<String> {
    let Some(made_with) = made_with else { return Vec::new() };
    let mut differences = Vec::new();
    if made_with.engine != ENGINE_VERSION {
        let engine: String = made_with.engine.chars().take(40).collect();
        differences.push(format!("engine {engine} (this page runs {ENGINE_VERSION})"));
    }
    let current = catalog_versions(provider);
    // Both lists are in name order: their names merged, each once, in order.
    let mut names: Vec<&str> = Vec::new();
    for (name, _) in made_with.catalogs.iter().chain(&current) {
        if let Err(index) = names.binary_search(&name.as_str()) {
            names.insert(index, name);
        }
    }
    fn version<'pairs>(pairs: &'pairs [(String, String)], name: &str) -> Option<&'pairs str> {
        pairs.iter().find(|(known, _)| known == name).map(|(_, version)| version.as_str())
    }
    let mut catalogs = Vec::new();
    for name in names {
        let then = version(&made_with.catalogs, name).unwrap_or("not recorded");
        let now = version(&current, name).unwrap_or("none");
        if then != now {
            let name: String = name.chars().take(40).collect();
            let then: String = then.chars().take(40).collect();
            catalogs.push(format!("catalogue {name} {then} (this page has {now})"));
        }
    }
    // A hostile link can name thousands of catalogues: the notice names a few.
    let shown = 4;
    if catalogs.len() > shown {
        let more = catalogs.len() - shown;
        catalogs.truncate(shown);
        catalogs.push(format!("{more} more catalogues"));
    }
    differences.extend(catalogs);
    differences
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url (RFC 4648 §5) without padding. Written out here because it is twenty lines and
/// the browser's `btoa` works on Latin-1 strings only.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b0 = chunk.first().copied().unwrap_or(0);
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let n = (u32::from(b0) << 16) | (u32::from(b1) << 8) | u32::from(b2);
        let symbols = chunk.len() + 1;
        for index in 0..symbols {
            let sextet = (n >> (18 - 6 * index)) & 0x3f;
            out.push(char::from(ALPHABET.get(sextet as usize).copied().unwrap_or(b'A')));
        }
    }
    out
}

/// Decodes base64url; padding is accepted, as is the standard alphabet's `+` and `/`.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0u32;
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests;
