//! JSON Schemas (draft 2020-12) of each provider's documents and requests, for editors
//! (VS Code `json.schemas`) and `iamlab schema`. The shapes are written once here as types and
//! generated with `schemars`, their doc comments becoming the schemas' descriptions.
//!
//! A schema is never stricter than the engine: whatever the engine reads without an error
//! validates (unknown fields, which the engine only warns about, are allowed), and values the
//! engine rejects (a wrong-case effect, a strategy that is not `allow` or `deny`) fail.
//! Sources: the Exoscale API reference (`create-iam-role`, `update-user-role`), the Scaleway
//! IAM OpenAPI (`scaleway.iam.v1alpha1.Policy`, `Rule`), the IAM JSON policy grammar that
//! Outscale EIM follows, and each request reader.

use crate::pipeline::DocumentRole;
use iamlab_model::Provider;
use schemars::JsonSchema;
use std::collections::BTreeMap;

/// The JSON Schema of `provider`'s documents of `role`, or `None` when the provider has no
/// such role.
pub fn json_schema(provider: Provider, role: DocumentRole) -> Option<serde_json::Value> {
    crate::check_role(provider, role).ok()?;
    let schema = match (provider, role) {
        (Provider::Exoscale, DocumentRole::Request) => schemars::schema_for!(ExoscaleRequest),
        (Provider::Exoscale, DocumentRole::OrganizationPolicy) => schemars::schema_for!(ExoscalePolicy),
        (Provider::Exoscale, _) => schemars::schema_for!(ExoscaleRoleOrPolicy),
        (Provider::Scaleway, DocumentRole::Request) => schemars::schema_for!(ScalewayRequest),
        (Provider::Scaleway, _) => schemars::schema_for!(ScalewayPolicy),
        (Provider::Outscale | Provider::Aws, DocumentRole::Request) => schemars::schema_for!(OutscaleRequest),
        (Provider::Outscale | Provider::Aws, _) => schemars::schema_for!(PolicyDocument),
    };
    serde_json::to_value(schema).ok()
}

/// `allow` or `deny`, lowercase as the API writes them.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExoscaleStrategy {
    Allow,
    Deny,
}

/// How a service class is treated: allowed, denied, or decided by its ordered rules.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExoscaleServiceType {
    Allow,
    Deny,
    Rules,
}

/// One rule of a service class: the first whose expression is true decides.
#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct ExoscaleRule {
    /// What the rule does when its expression is true.
    pub action: ExoscaleStrategy,
    /// A CEL expression over `operation`, `parameters`, `resources`, the zone and the caller.
    pub expression: String,
    /// Resources the rule is limited to.
    pub resources: Option<Vec<String>>,
}

/// The policy of one service class (`compute`, `dns`, `sos`…).
#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct ExoscaleService {
    #[serde(rename = "type")]
    pub kind: ExoscaleServiceType,
    /// Present when `type` is `rules`, evaluated in order.
    pub rules: Option<Vec<ExoscaleRule>>,
}

/// An Exoscale IAM policy: a role's `policy`, or an organization policy.
#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct ExoscalePolicy {
    /// What happens to a service class the policy does not name.
    pub default_service_strategy: Option<ExoscaleStrategy>,
    /// The policy of each service class, by its name.
    pub services: Option<BTreeMap<String, ExoscaleService>>,
}

/// A role's `assume-role-policy` (`iam-assume-role-policy`): who may assume the role.
#[derive(JsonSchema)]
pub struct ExoscaleAssumeRolePolicy {
    /// IAM Assume Role Policy rules, of the same shape as a service's rules.
    pub rules: Option<Vec<ExoscaleRule>>,
}

/// An Exoscale IAM role (`create-iam-role`, `get-iam-role`) or, on its own, the policy a role
/// holds: role fields and policy fields are both allowed at the top.
#[derive(JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct ExoscaleRoleOrPolicy {
    /// IAM Role ID (as `get-iam-role` returns it).
    pub id: Option<String>,
    /// IAM Role name.
    pub name: Option<String>,
    /// IAM Role description.
    pub description: Option<String>,
    /// IAM Role permissions (`bypass-governance-retention`).
    pub permissions: Option<Vec<String>>,
    /// IAM Role labels.
    pub labels: Option<BTreeMap<String, String>>,
    /// Whether the role's policy can be changed (default: true).
    pub editable: Option<bool>,
    /// Maximum TTL requester is allowed to ask for when assuming a role.
    pub max_session_ttl: Option<i64>,
    /// IAM Role policy.
    pub policy: Option<ExoscalePolicy>,
    /// IAM Assume role policy: a list of rules, not a policy (egoscale v3
    /// `generator/source.yaml`, `iam-assume-role-policy`).
    pub assume_role_policy: Option<ExoscaleAssumeRolePolicy>,
    /// A bare policy's strategy for the service classes it does not name.
    pub default_service_strategy: Option<ExoscaleStrategy>,
    /// A bare policy's service classes.
    pub services: Option<BTreeMap<String, ExoscaleService>>,
}

/// A simulated Exoscale API call: an operation of the v3 API with what its rules see.
#[derive(JsonSchema)]
pub struct ExoscaleRequest {
    /// The operation, as the API reference names it (`create-instance`).
    pub operation: String,
    /// The service class, when the catalogue does not know the operation.
    pub service: Option<String>,
    /// The operation's parameters, as CEL sees `parameters`.
    pub parameters: Option<BTreeMap<String, serde_json::Value>>,
    /// The resources the operation touches, as CEL sees `resources`.
    pub resources: Option<BTreeMap<String, serde_json::Value>>,
    /// The zone (`ch-gva-2`).
    pub zone: Option<String>,
    /// The caller's IP address.
    pub source_ip: Option<String>,
    /// The time of the call (RFC 3339).
    pub now: Option<String>,
    /// The API key making the call.
    pub api_key: Option<String>,
    /// The caller's identity.
    pub identity: Option<BTreeMap<String, serde_json::Value>>,
}

/// A rule of a Scaleway policy: permission sets and where they apply.
#[derive(JsonSchema)]
pub struct ScalewayRule {
    pub id: Option<String>,
    /// Names of the permission sets granted (`InstancesFullAccess`).
    pub permission_set_names: Option<Vec<String>>,
    pub permission_sets_scope_type: Option<String>,
    /// A CEL condition over `request.*` that must hold.
    pub condition: Option<String>,
    /// The rule applies to these Projects…
    pub project_ids: Option<Vec<String>>,
    /// …or to the whole Organization.
    pub organization_id: Option<String>,
    pub account_root_user_id: Option<String>,
}

/// A Scaleway IAM policy with its rules (`POST /iam/v1alpha1/policies`).
#[derive(JsonSchema)]
pub struct ScalewayPolicy {
    pub id: Option<String>,
    /// The policy's name (at most 64 characters).
    pub name: Option<String>,
    pub description: Option<String>,
    pub organization_id: Option<String>,
    /// The rules of the policy.
    pub rules: Option<Vec<ScalewayRule>>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub editable: Option<bool>,
    pub deletable: Option<bool>,
    pub managed: Option<bool>,
    pub nb_rules: Option<u32>,
    pub nb_scopes: Option<u32>,
    pub nb_permission_sets: Option<u32>,
    pub tags: Option<Vec<String>>,
    /// The principal: exactly one of `user_id`, `group_id`, `application_id`, `no_principal`.
    pub user_id: Option<String>,
    pub group_id: Option<String>,
    pub application_id: Option<String>,
    pub no_principal: Option<bool>,
}

/// A simulated Scaleway request: the permission set asked for, where, and what conditions see.
#[derive(JsonSchema)]
pub struct ScalewayRequest {
    pub permission_set: String,
    pub organization_id: Option<String>,
    pub project_id: Option<String>,
    /// What a rule's condition sees as `request.*` (`ip`, `time`, `user_agent`).
    pub context: Option<BTreeMap<String, serde_json::Value>>,
}

/// `Allow` or `Deny`: case-sensitive.
#[derive(JsonSchema)]
pub enum PolicyEffect {
    Allow,
    Deny,
}

/// One value or a list of them (`Action`, `Resource`).
#[derive(JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// One statement of a policy document.
#[derive(JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyStatement {
    /// The statement's identifier.
    pub sid: Option<String>,
    pub effect: PolicyEffect,
    /// Resource-based policies only: who the statement is about (`"*"` or an object).
    pub principal: Option<serde_json::Value>,
    pub not_principal: Option<serde_json::Value>,
    /// The actions (`api:ReadVms`, `ec2:*`, `s3:GetObject`).
    pub action: Option<OneOrMany>,
    pub not_action: Option<OneOrMany>,
    /// The resources (ARNs, `*`).
    pub resource: Option<OneOrMany>,
    pub not_resource: Option<OneOrMany>,
    /// Condition operators, each with condition keys and their values.
    pub condition: Option<BTreeMap<String, BTreeMap<String, serde_json::Value>>>,
}

/// Statements: one object or a list.
#[derive(JsonSchema)]
#[serde(untagged)]
pub enum Statements {
    One(Box<PolicyStatement>),
    Many(Vec<PolicyStatement>),
}

/// An Outscale EIM (or AWS IAM) policy document.
#[derive(JsonSchema)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyDocument {
    /// The policy language version: `2012-10-17`.
    pub version: Option<String>,
    pub id: Option<String>,
    pub statement: Statements,
}

/// A simulated Outscale/AWS request.
#[derive(JsonSchema)]
pub struct OutscaleRequest {
    /// The action (`api:ReadVms`, `s3:GetObject`).
    pub action: String,
    /// The resource's ARN (default `*`).
    pub resource: Option<String>,
    /// Condition keys and their values (`aws:username`, `aws:SourceIp`).
    pub context: Option<BTreeMap<String, serde_json::Value>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_of_every_provider_has_a_draft_2020_12_schema() {
        for provider in Provider::ALL {
            for info in crate::roles(provider) {
                let schema = json_schema(provider, info.role).unwrap();
                assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema", "{provider}");
            }
        }
        assert_eq!(json_schema(Provider::Aws, DocumentRole::OrganizationPolicy), None);
    }
}
