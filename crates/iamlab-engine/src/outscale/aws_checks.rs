//! The `aws` profile's checks against the AWS action catalogue ([`super::aws_catalog`]), in the
//! manner of IAM Access Analyzer's policy checks: unknown service prefixes and actions (errors),
//! action patterns that match nothing, resources that none of a statement's actions take, and
//! condition keys that none of them supports (warnings). Without the catalogue one finding per
//! document says these checks are off. The rules and their sources are in docs/semantics/aws.md,
//! "The action catalogue".

use super::aws_catalog::{key_matches, AwsAction, AwsCatalog, AwsService, ResourcePattern, ResourceType};
use super::codes::Code;
use super::pattern::{arn_matches, Pattern};
use super::tree::{Element, Item, Policy, Statement};
use iamlab_model::Diagnostic;

/// How many names a help text lists before it says "and N more".
const LISTED: usize = 5;

pub fn check(catalog: Option<&AwsCatalog>, policy: &Policy, diagnostics: &mut Vec<Diagnostic>) {
    let Some(catalog) = catalog else {
        diagnostics.push(
            Code::CatalogNotLoaded
                .diagnostic("the AWS action catalogue is not loaded: actions, resource types and condition keys are not checked")
                .with_primary(policy.opening_span, "checked without the action catalogue")
                .with_help("the playground fetches the catalogue when the AWS profile is first opened; reload to try again, or use the `iamlab` CLI, which embeds it")
                .with_path(""),
        );
        return;
    };
    let mut grants: Vec<(Vec<&str>, Grant<'_>)> = Vec::new();
    for statement in &policy.statements {
        let Some(actions) = &statement.actions else {
            continue;
        };
        for item in &actions.items {
            check_action_name(catalog, item, diagnostics);
        }
        // Resource and condition checks need to know which actions the statement is about:
        // not with `NotAction`, nor with `*` (every action takes some resource and key).
        if actions.negated() || actions.items.iter().any(|item| item.text == "*") {
            continue;
        }
        // Statements often repeat an action list (`s3:Get*`, `ec2:Describe*`): what it grants
        // is found once per list and document.
        let texts: Vec<&str> = actions.items.iter().map(|item| item.text.as_str()).collect();
        let known = match grants.iter().position(|(listed, _)| *listed == texts) {
            Some(known) => known,
            None => {
                grants.push((texts, Grant::of(catalog, actions)));
                grants.len() - 1
            }
        };
        let Some((_, grant)) = grants.get_mut(known) else {
            continue;
        };
        if grant.actions.is_empty() {
            continue;
        }
        if let Some(resources) = statement.resources.as_ref().filter(|resources| !resources.negated()) {
            check_resources(actions, resources, grant, diagnostics);
        }
        check_condition_keys(statement, &grant.actions, diagnostics);
    }
}

/// What one `Action` list grants: the catalogued actions once each, their resource types once
/// each, and which resource patterns some of those types take (asked per ARN of a statement).
struct Grant<'catalog> {
    actions: Vec<(&'catalog AwsService, &'catalog AwsAction)>,
    types: Vec<&'catalog ResourceType>,
    resource_answers: Vec<(String, bool)>,
}

impl<'catalog> Grant<'catalog> {
    fn of(catalog: &'catalog AwsCatalog, actions: &Element) -> Grant<'catalog> {
        let actions = granted_actions(catalog, actions);
        // Each resource type once: `ec2:*` names hundreds of actions sharing about a hundred
        // types.
        let mut types: Vec<&ResourceType> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (service, action) in &actions {
            for resource_type in service.resource_types_of(action) {
                // By address, as `granted_actions` does: one hash set type for both in the wasm.
                if seen.insert(std::ptr::from_ref(resource_type).addr()) {
                    types.push(resource_type);
                }
            }
        }
        Grant { actions, types, resource_answers: Vec::new() }
    }

    /// Whether some resource type of the granted actions takes an ARN like `text`.
    fn takes_resource(&mut self, text: &str) -> bool {
        if let Some((_, answer)) = self.resource_answers.iter().find(|(known, _)| known == text) {
            return *answer;
        }
        let resource = ResourcePattern::new(text);
        let answer = self.types.iter().any(|resource_type| resource_type.may_match_pattern(&resource));
        self.resource_answers.push((text.to_owned(), answer));
        answer
    }
}

/// The catalogued actions an `Action` element names, once each.
fn granted_actions<'catalog>(
    catalog: &'catalog AwsCatalog,
    actions: &Element,
) -> Vec<(&'catalog AwsService, &'catalog AwsAction)> {
    let mut granted: Vec<(&AwsService, &AwsAction)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for item in &actions.items {
        for (service, action) in catalog.expand(&item.text) {
            if seen.insert(std::ptr::from_ref(action).addr()) {
                granted.push((service, action));
            }
        }
    }
    granted
}

fn check_action_name(catalog: &AwsCatalog, item: &Item, diagnostics: &mut Vec<Diagnostic>) {
    let action = item.text.as_str();
    // Syntax findings come from validation; only well-formed `service:name` is looked up.
    let Some((prefix, name)) = action.split_once(':') else {
        return;
    };
    let well_formed = !prefix.is_empty()
        && !name.is_empty()
        && prefix.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
        && name.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '*' | '?' | '.'));
    if !well_formed {
        return;
    }
    let Some(service) = catalog.service(prefix) else {
        let closest =
            iamlab_model::suggest::closest(prefix, catalog.services().iter().map(|service| service.prefix.as_str()));
        let help = match closest {
            Some(known) => format!("did you mean `{known}`? AWS service prefixes are listed in the Service Authorization Reference"),
            None => "AWS service prefixes are listed in the Service Authorization Reference; an unknown prefix grants nothing".to_owned(),
        };
        diagnostics.push(
            Code::UnknownService
                .diagnostic(format!("`{prefix}` is not an AWS service prefix"))
                .with_primary(item.span, "unknown service prefix")
                .with_help(help)
                .with_path(item.pointer.write()),
        );
        return;
    };
    let name_pattern = Pattern::glob(name);
    if name_pattern.has_wildcards() {
        if !service.actions().iter().any(|known| name_pattern.matches_ignoring_case(&known.name)) {
            diagnostics.push(
                Code::NoMatchingAwsAction
                    .diagnostic(format!("`{action}` matches no `{}` action", service.prefix))
                    .with_primary(item.span, "matches nothing")
                    .with_help(format!(
                        "the `{}` service has {} actions; check the spelling against the Service Authorization Reference",
                        service.prefix,
                        service.actions().len()
                    ))
                    .with_path(item.pointer.write()),
            );
        }
        return;
    }
    if service.action(name).is_some() {
        return;
    }
    let closest = iamlab_model::suggest::closest(name, service.actions().iter().map(|known| known.name.as_str()));
    let help = match closest {
        Some(known) => format!("did you mean `{}:{known}`?", service.prefix),
        None => {
            format!("`{}` has no such action in the Service Authorization Reference; it grants nothing", service.prefix)
        }
    };
    diagnostics.push(
        Code::UnknownAwsAction
            .diagnostic(format!("`{action}` is not an AWS action"))
            .with_primary(item.span, format!("not a `{}` action", service.prefix))
            .with_help(help)
            .with_path(item.pointer.write()),
    );
}

/// Access Analyzer's RESOURCE_MISMATCH: a wildcard-only action named exactly needs a resource
/// that covers `*`, and each ARN must be a resource type of some action of the statement.
fn check_resources(actions: &Element, resources: &Element, grant: &mut Grant<'_>, diagnostics: &mut Vec<Diagnostic>) {
    let covers_star = resources.items.iter().any(|item| arn_matches(&Pattern::glob(&item.text), "*"));
    if !covers_star {
        // Only actions named exactly: a pattern (`s3:Get*`) also stands for the actions that do
        // take these resources, as Access Analyzer reads it.
        for item in actions.items.iter().filter(|item| !item.text.contains(['*', '?'])) {
            let wildcard_only: Vec<String> = granted_by(item, &grant.actions)
                .filter(|(_, action)| action.is_wildcard_only())
                .map(|(service, action)| format!("`{}:{}`", service.prefix, action.name))
                .collect();
            if wildcard_only.is_empty() {
                continue;
            }
            diagnostics.push(
                Code::ResourceMismatch
                    .diagnostic(format!("{} supports no resource type: this statement's resources never grant it", listed(&wildcard_only)))
                    .with_primary(item.span, "wildcard-only")
                    .with_secondary(resources.value_span, "specific resources")
                    .with_help("IAM authorizes an action without resource types on `*` only: put it in a statement with `\"Resource\": \"*\"`")
                    .with_path(item.pointer.write()),
            );
        }
    }
    if grant.types.is_empty() {
        return;
    }
    for item in &resources.items {
        // `*`-like patterns take every action; malformed ARNs are validation's errors already.
        if arn_matches(&Pattern::glob(&item.text), "*") || !is_full_arn(&item.text) {
            continue;
        }
        if grant.takes_resource(&item.text) {
            continue;
        }
        let mut formats: Vec<String> = Vec::new();
        for resource_type in &grant.types {
            for format in resource_type.formats() {
                let written = format!("`{format}` ({})", resource_type.name);
                if !formats.contains(&written) {
                    formats.push(written);
                }
            }
        }
        diagnostics.push(
            Code::ResourceMismatch
                .diagnostic(format!("no action of this statement takes a resource like `{}`", item.text))
                .with_primary(item.span, "matches none of the actions' resource types")
                .with_help(format!("the statement's actions take {}", listed(&formats)))
                .with_path(item.pointer.write()),
        );
    }
}

/// `arn:partition:service:region:account:resource`, with a partition and a service.
fn is_full_arn(text: &str) -> bool {
    let segments: Vec<&str> = text.splitn(6, ':').collect();
    matches!(segments.as_slice(), ["arn", partition, service, _, _, _] if !partition.is_empty() && !service.is_empty())
}

fn granted_by<'granted, 'catalog>(
    item: &Item,
    granted: &'granted [(&'catalog AwsService, &'catalog AwsAction)],
) -> impl Iterator<Item = &'granted (&'catalog AwsService, &'catalog AwsAction)> + 'granted {
    let text = item.text.clone();
    granted.iter().filter(move |(service, action)| {
        super::evaluate::action_matches(super::Profile::Aws, &text, &format!("{}:{}", service.prefix, action.name))
    })
}

/// A service-specific condition key that none of the statement's actions supports (the `aws:`
/// global keys are checked by validation against their own list).
fn check_condition_keys(
    statement: &Statement,
    granted: &[(&AwsService, &AwsAction)],
    diagnostics: &mut Vec<Diagnostic>,
) {
    for block in &statement.conditions {
        for entry in &block.entries {
            let key = entry.key.as_str();
            if key.get(..4).is_some_and(|head| head.eq_ignore_ascii_case("aws:")) || !key.contains(':') {
                continue;
            }
            let supported =
                granted.iter().any(|(service, action)| service.keys_of(action).any(|known| key_matches(known, key)));
            if supported {
                continue;
            }
            let names: Vec<String> =
                granted.iter().map(|(service, action)| format!("`{}:{}`", service.prefix, action.name)).collect();
            diagnostics.push(
                Code::UnsupportedConditionKey
                    .diagnostic(format!("no action of this statement supports the condition key `{key}`"))
                    .with_primary(entry.key_span, "not a key of these actions")
                    .with_help(format!(
                        "{} {} not have this key in the Service Authorization Reference: the condition is tested against a missing key",
                        listed(&names),
                        if names.len() == 1 { "does" } else { "do" }
                    ))
                    .with_path(entry.pointer.write()),
            );
        }
    }
}

/// `a`, `a and b`, `a, b, c and 4 more`.
fn listed(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(LISTED).map(String::as_str).collect();
    match (names.len(), shown.split_last()) {
        (0, _) | (_, None) => String::new(),
        (1, Some((only, _))) => (*only).to_owned(),
        (count, Some((last, rest))) if count <= LISTED => format!("{} and {last}", rest.join(", ")),
        (count, _) => format!("{} and {} more", shown.join(", "), count - LISTED),
    }
}

#[cfg(test)]
mod tests {
    use super::super::aws_catalog::tests::small;
    use super::super::tests::{assert_rendered, fixture, read, render};
    use super::*;

    /// Checks `text` against the small test catalogue (or none); prints the findings in order.
    #[track_caller]
    fn check(catalog: Option<&AwsCatalog>, text: &str, expect: &str) {
        let text = fixture(text);
        let (document, _) = read(text);
        let mut diagnostics = Vec::new();
        super::check(catalog, document.policy.as_ref().unwrap(), &mut diagnostics);
        assert_rendered(&render(text, &diagnostics), expect);
    }

    #[test]
    fn action_names_against_the_catalogue() {
        check(
            Some(&small()),
            r#"
{"Statement": {"Effect": "Allow", "Resource": "*", "Action": [
 "ec2:DescribeInstances", "EC2:describeinstances", "ec2:DescribeInstance", "ec3:RunInstances", "zzz:Get*",
 "s3:Put*", "s3:Get*", "s3:Get Object", "*"]}}
"#,
            r#"
error aws::unknown-action [/Statement/Action/2] `"ec2:DescribeInstance"`: `ec2:DescribeInstance` is not an AWS action
    help: did you mean `ec2:DescribeInstances`?
error aws::unknown-service [/Statement/Action/3] `"ec3:RunInstances"`: `ec3` is not an AWS service prefix
    help: did you mean `ec2`? AWS service prefixes are listed in the Service Authorization Reference
error aws::unknown-service [/Statement/Action/4] `"zzz:Get*"`: `zzz` is not an AWS service prefix
    help: AWS service prefixes are listed in the Service Authorization Reference; an unknown prefix grants nothing
warning aws::no-matching-action [/Statement/Action/5] `"s3:Put*"`: `s3:Put*` matches no `s3` action
    help: the `s3` service has 4 actions; check the spelling against the Service Authorization Reference
"#,
        );
    }

    #[test]
    fn resources_against_the_actions_resource_types() {
        check(
            Some(&small()),
            r#"
{"Statement": [
 {"Effect": "Allow", "Action": ["s3:ListBucket", "ec2:DescribeInstances"], "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::b"]},
 {"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/${aws:username}/*", "*"]},
 {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:ec2:*:*:instance/*"},
 {"Effect": "Allow", "NotAction": "iam:ListUsers", "Resource": "arn:aws:ec2:*:*:instance/*"}]}
"#,
            r#"
warning aws::resource-mismatch [/Statement/0/Action/1] `"ec2:DescribeInstances"`: `ec2:DescribeInstances` supports no resource type: this statement's resources never grant it
    help: IAM authorizes an action without resource types on `*` only: put it in a statement with `"Resource": "*"`
warning aws::resource-mismatch [/Statement/0/Resource/0] `"arn:aws:s3:::b/*"`: no action of this statement takes a resource like `arn:aws:s3:::b/*`
    help: the statement's actions take `arn:*:s3:::*` (bucket)
warning aws::resource-mismatch [/Statement/1/Resource/0] `"arn:aws:s3:::b"`: no action of this statement takes a resource like `arn:aws:s3:::b`
    help: the statement's actions take `arn:*:s3:::*/*` (object)
"#,
        );
    }

    #[test]
    fn condition_keys_against_the_actions() {
        check(
            Some(&small()),
            r#"
{"Statement": [
 {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {
   "s3:ExistingObjectTag/team": "blue", "s3:prefix": "home/", "aws:PrincipalTag/team": "blue", "ec2:InstanceType": "t3.micro"}}},
 {"Effect": "Allow", "Action": ["ec2:RunInstances", "ec2:TerminateInstances"], "Resource": "*", "Condition": {"StringEquals": {
   "ec2:instancetype": "t3.micro", "ec2:ResourceTag/team": "blue"}}},
 {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {"s3:nothing": "x"}}}]}
"#,
            r#"
warning aws::unsupported-condition-key [/Statement/0/Condition/StringEquals/s3:prefix] `"s3:prefix"`: no action of this statement supports the condition key `s3:prefix`
    help: `s3:GetObject` does not have this key in the Service Authorization Reference: the condition is tested against a missing key
warning aws::unsupported-condition-key [/Statement/0/Condition/StringEquals/ec2:InstanceType] `"ec2:InstanceType"`: no action of this statement supports the condition key `ec2:InstanceType`
    help: `s3:GetObject` does not have this key in the Service Authorization Reference: the condition is tested against a missing key
"#,
        );
    }

    #[test]
    fn without_the_catalogue_one_finding_says_so() {
        check(
            None,
            r#"
{"Statement": {"Effect": "Allow", "Action": "ec3:Nothing", "Resource": "*"}}
"#,
            r#"
info aws::catalog-not-loaded [] `{`: the AWS action catalogue is not loaded: actions, resource types and condition keys are not checked
    help: the playground fetches the catalogue when the AWS profile is first opened; reload to try again, or use the `iamlab` CLI, which embeds it
"#,
        );
    }
}
