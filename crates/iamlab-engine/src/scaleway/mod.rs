//! The Scaleway IAM engine: policies of rules (permission sets, a Project or Organization
//! scope, a CEL condition), combined by union for one principal.
//!
//! Phases, one module each: `syntax` (JSON tree → policy tree with spans, schema findings,
//! conditions compiled once), `validate` (permission sets, scopes, condition types), `lints`
//! (pitfalls of Scaleway's own documentation and security smells), `request` (the simulated
//! check), `evaluate` (the decision and its explanation). `catalog` holds the 202 permission
//! sets and the curated containment table. Every rule and its source is in
//! `docs/semantics/scaleway.md`.

pub(crate) mod catalog;
mod evaluate;
mod examples;
mod lints;
mod lockout;
pub(crate) mod request;
pub(crate) mod syntax;
mod validate;

pub use catalog::{catalog, catalog_info, Catalog, Containment, ContainmentPath, PermissionSet, ScopeType};
pub use request::{Request, RequestScope, CONTEXT_KEYS, REQUEST_KEYS, RESOURCE_KEYS};
pub use syntax::{Form, Policy, Principal, Rule, Scope, POLICY_KEYS, RULE_KEYS, SPLIT_KEYS};

use crate::pipeline::{
    CodeInfo, Detail, DocumentId, DocumentRole, Example, Parsed, ProviderEngine, Read, RequestCode, RoleCount,
    RoleInfo, SimulateError, Source,
};
use iamlab_model::{Decision, Diagnostic, Severity};
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scaleway;

/// What a Scaleway simulation needs beyond its documents. The policies that reach the
/// principal (its own and its groups') are simply every document of role
/// [`DocumentRole::Policy`], so no option lists groups.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Options {
    /// The principal is the Organization Owner: always allowed, policies and conditions aside.
    pub owner: bool,
}

/// Every code the Scaleway phases report (CEL findings keep their `cel::` codes, JSON findings
/// their `json::` codes, request findings the shared `request::` codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    /// Returned when a value has the wrong JSON type (an array for `organization_id`…).
    WrongType,
    /// Returned when a required field (`name`) is absent or empty.
    MissingField,
    /// Returned when a policy or rule has a field the API does not define.
    UnknownField,
    /// Returned when a field's value is outside its enum (`permission_sets_scope_type`).
    InvalidValue,
    /// Returned when the policy `name` is longer than 64 characters.
    NameTooLong,
    /// Returned when the policy `description` is longer than 200 characters.
    DescriptionTooLong,
    /// Returned when the policy has more than 10 tags.
    TooManyTags,
    /// Returned when the policy has none of `user_id`, `group_id`, `application_id`, `no_principal`.
    MissingPrincipal,
    /// Returned when the policy names more than one principal.
    SeveralPrincipals,
    /// Returned when a rule has neither `project_ids` nor `organization_id` (or an empty list).
    MissingScope,
    /// Returned when a rule has more than one scope.
    SeveralScopes,
    /// Returned when a rule has no permission set.
    NoPermissionSet,
    /// Returned when a rule has the Scaleway-managed `account_root_user_id` scope.
    AccountRootUserScope,
    /// Returned when the split form's counts (`nb_rules`, `total_count`) differ from the rules given.
    CountMismatch,
    /// Returned when a permission set is not in the catalogue.
    UnknownPermissionSet,
    /// Returned when one rule mixes Organization-scoped and Project-scoped permission sets.
    MixedScopeTypes,
    /// Returned when an Organization-scoped permission set is given `project_ids`.
    OrganizationSetInProjects,
    /// Returned when Project-scoped sets are given `organization_id`: all current and future Projects.
    AllProjectsScope,
    /// Returned when the echoed `permission_sets_scope_type` disagrees with the catalogue.
    ScopeTypeMismatch,
    /// Returned when a rule's `organization_id` is not the policy's Organization.
    OtherOrganization,
    /// Returned when a condition calls `startswith`, `endswith`… for `startsWith`, `endsWith`.
    MiscasedFunction,
    /// Returned when `request.time` is compared with a string instead of a `timestamp(…)`.
    TimeComparedWithString,
    /// Returned when a condition tests the weekday in UTC and the hour in another zone.
    MixedTimeZones,
    /// Returned when `getHours()` is called without a time zone (UTC).
    HoursInUtc,
    /// Returned when `getDayOfMonth()` (zero-based) is compared with a day number.
    DayOfMonthZeroBased,
    /// Returned when a duration getter is read as a component (it converts the whole duration).
    DurationGetterTotal,
    /// Returned when a condition compares `request.ip` with a private address or range.
    PrivateIp,
    /// Returned when a `resource.*` condition is on sets of products without resource-level conditions.
    ResourceConditionUnsupportedProduct,
    /// Returned when a `resource.*` condition lacks `|| !has(resource.id)` and so breaks list calls.
    ResourceConditionBreaksListing,
    /// Returned when a condition can visibly never be true.
    ConditionNeverTrue,
    /// Returned when a rule grants a set that can write policies (self-escalation).
    PolicyWriter,
    /// Returned when a policy has `no_principal`: it grants nothing.
    NoPrincipal,
    /// Returned when `AllProductsFullAccess` is granted on the whole Organization.
    AllProductsOrganizationWide,
    /// Returned when the principal's IAM-management rights hang on a condition (lock-out risk).
    IamLockoutRisk,
    /// Returned when an edit, compared with the saved version, takes away the principal's last
    /// rule that lets it write policies, or leaves it only behind a condition (lock-out).
    IamLockout,
}

impl Code {
    pub const ALL: [Code; 35] = [
        Code::WrongType,
        Code::MissingField,
        Code::UnknownField,
        Code::InvalidValue,
        Code::NameTooLong,
        Code::DescriptionTooLong,
        Code::TooManyTags,
        Code::MissingPrincipal,
        Code::SeveralPrincipals,
        Code::MissingScope,
        Code::SeveralScopes,
        Code::NoPermissionSet,
        Code::AccountRootUserScope,
        Code::CountMismatch,
        Code::UnknownPermissionSet,
        Code::MixedScopeTypes,
        Code::OrganizationSetInProjects,
        Code::AllProjectsScope,
        Code::ScopeTypeMismatch,
        Code::OtherOrganization,
        Code::MiscasedFunction,
        Code::TimeComparedWithString,
        Code::MixedTimeZones,
        Code::HoursInUtc,
        Code::DayOfMonthZeroBased,
        Code::DurationGetterTotal,
        Code::PrivateIp,
        Code::ResourceConditionUnsupportedProduct,
        Code::ResourceConditionBreaksListing,
        Code::ConditionNeverTrue,
        Code::PolicyWriter,
        Code::NoPrincipal,
        Code::AllProductsOrganizationWide,
        Code::IamLockoutRisk,
        Code::IamLockout,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Code::WrongType => "scaleway::wrong-type",
            Code::MissingField => "scaleway::missing-field",
            Code::UnknownField => "scaleway::unknown-field",
            Code::InvalidValue => "scaleway::invalid-value",
            Code::NameTooLong => "scaleway::name-too-long",
            Code::DescriptionTooLong => "scaleway::description-too-long",
            Code::TooManyTags => "scaleway::too-many-tags",
            Code::MissingPrincipal => "scaleway::missing-principal",
            Code::SeveralPrincipals => "scaleway::several-principals",
            Code::MissingScope => "scaleway::missing-scope",
            Code::SeveralScopes => "scaleway::several-scopes",
            Code::NoPermissionSet => "scaleway::no-permission-set",
            Code::AccountRootUserScope => "scaleway::account-root-user-scope",
            Code::CountMismatch => "scaleway::count-mismatch",
            Code::UnknownPermissionSet => "scaleway::unknown-permission-set",
            Code::MixedScopeTypes => "scaleway::mixed-scope-types",
            Code::OrganizationSetInProjects => "scaleway::organization-set-in-projects",
            Code::AllProjectsScope => "scaleway::all-projects-scope",
            Code::ScopeTypeMismatch => "scaleway::scope-type-mismatch",
            Code::OtherOrganization => "scaleway::other-organization",
            Code::MiscasedFunction => "scaleway::miscased-function",
            Code::TimeComparedWithString => "scaleway::time-compared-with-string",
            Code::MixedTimeZones => "scaleway::mixed-time-zones",
            Code::HoursInUtc => "scaleway::hours-in-utc",
            Code::DayOfMonthZeroBased => "scaleway::day-of-month-zero-based",
            Code::DurationGetterTotal => "scaleway::duration-getter-total",
            Code::PrivateIp => "scaleway::private-ip",
            Code::ResourceConditionUnsupportedProduct => "scaleway::resource-condition-unsupported-product",
            Code::ResourceConditionBreaksListing => "scaleway::resource-condition-breaks-listing",
            Code::ConditionNeverTrue => "scaleway::condition-never-true",
            Code::PolicyWriter => "scaleway::policy-writer",
            Code::NoPrincipal => "scaleway::no-principal",
            Code::AllProductsOrganizationWide => "scaleway::all-products-organization-wide",
            Code::IamLockoutRisk => "scaleway::iam-lockout-risk",
            Code::IamLockout => "scaleway::iam-lockout",
        }
    }

    /// The severity the code is reported with.
    pub const fn severity(self) -> Severity {
        match self {
            Code::WrongType
            | Code::MissingField
            | Code::InvalidValue
            | Code::NameTooLong
            | Code::DescriptionTooLong
            | Code::TooManyTags
            | Code::MissingPrincipal
            | Code::SeveralPrincipals
            | Code::MissingScope
            | Code::SeveralScopes
            | Code::NoPermissionSet
            | Code::MixedScopeTypes
            | Code::OrganizationSetInProjects => Severity::Error,
            Code::AllProjectsScope | Code::HoursInUtc | Code::DurationGetterTotal | Code::IamLockoutRisk => {
                Severity::Info
            }
            Code::UnknownField
            | Code::AccountRootUserScope
            | Code::CountMismatch
            | Code::UnknownPermissionSet
            | Code::ScopeTypeMismatch
            | Code::OtherOrganization
            | Code::MiscasedFunction
            | Code::TimeComparedWithString
            | Code::MixedTimeZones
            | Code::DayOfMonthZeroBased
            | Code::PrivateIp
            | Code::ResourceConditionUnsupportedProduct
            | Code::ResourceConditionBreaksListing
            | Code::ConditionNeverTrue
            | Code::PolicyWriter
            | Code::NoPrincipal
            | Code::AllProductsOrganizationWide
            | Code::IamLockout => Severity::Warning,
        }
    }

    pub const fn summary(self) -> &'static str {
        match self {
            Code::WrongType => "a policy or rule field has the wrong JSON type",
            Code::MissingField => "the policy has no `name`",
            Code::UnknownField => "a field the IAM API does not define",
            Code::InvalidValue => "a value outside its enum",
            Code::NameTooLong => "the policy name is longer than 64 characters",
            Code::DescriptionTooLong => "the policy description is longer than 200 characters",
            Code::TooManyTags => "the policy has more than 10 tags",
            Code::MissingPrincipal => "the policy has no principal",
            Code::SeveralPrincipals => "the policy has more than one principal",
            Code::MissingScope => "a rule has no scope",
            Code::SeveralScopes => "a rule has more than one scope",
            Code::NoPermissionSet => "a rule has no permission set",
            Code::AccountRootUserScope => "`account_root_user_id` exists only on Scaleway-managed rules",
            Code::CountMismatch => "the split form's counts differ from the rules given",
            Code::UnknownPermissionSet => "a permission set the catalogue does not know",
            Code::MixedScopeTypes => "permission sets of different scope types in one rule",
            Code::OrganizationSetInProjects => "an Organization-scoped set given `project_ids`",
            Code::AllProjectsScope => "Project-scoped sets on `organization_id` cover all current and future Projects",
            Code::ScopeTypeMismatch => "`permission_sets_scope_type` disagrees with the catalogue",
            Code::OtherOrganization => "a rule scoped to another Organization than the policy's",
            Code::MiscasedFunction => "a CEL function name with the wrong case (`startswith`)",
            Code::TimeComparedWithString => "`request.time` compared with a string",
            Code::MixedTimeZones => "the weekday in UTC next to the hour in another zone",
            Code::HoursInUtc => "`getHours()` without a zone reads the UTC hour",
            Code::DayOfMonthZeroBased => "`getDayOfMonth()` is zero-based",
            Code::DurationGetterTotal => "duration getters convert the whole duration",
            Code::PrivateIp => "a private IP address, which `request.ip` never holds",
            Code::ResourceConditionUnsupportedProduct => {
                "a `resource.*` condition on a product without resource-level conditions"
            }
            Code::ResourceConditionBreaksListing => {
                "a `resource.*` condition without `|| !has(resource.id)` breaks list calls"
            }
            Code::ConditionNeverTrue => "a condition that can never be true",
            Code::PolicyWriter => "a set whose holders can grant themselves anything",
            Code::NoPrincipal => "a policy without principal grants nothing",
            Code::AllProductsOrganizationWide => "`AllProductsFullAccess` on every Project of the Organization",
            Code::IamLockoutRisk => "IAM-management rights behind a condition can lock the principal out",
            Code::IamLockout => "an edit that takes away the principal's own right to write policies",
        }
    }

    pub const fn info(self) -> CodeInfo {
        CodeInfo { code: self.as_str(), severity: self.severity(), summary: self.summary() }
    }

    /// A finding of this code at `span`, with its JSON pointer and help.
    pub fn at(
        self,
        message: impl Into<String>,
        span: iamlab_model::Span,
        pointer: &str,
        help: impl Into<String>,
    ) -> Diagnostic {
        crate::schema::finding(self.as_str(), self.severity(), message, span, pointer, help)
    }
}

const ROLES: &[RoleInfo] = &[
    // The request is read first, so that its errors are reported before a policy's.
    RoleInfo {
        role: DocumentRole::Request,
        hint: "a permission set, its Project or Organization, the request's context and resource",
        count: RoleCount::ExactlyOne,
    },
    RoleInfo {
        role: DocumentRole::Policy,
        hint: "a policy with its rules: the principal's own and its groups'",
        count: RoleCount::Any,
    },
];

impl ProviderEngine for Scaleway {
    type Document = syntax::Policy;
    type Request = request::Request;
    type Options = Options;

    fn roles() -> &'static [RoleInfo] {
        ROLES
    }

    fn catalogs() -> &'static [crate::catalog::CatalogInfo] {
        &[catalog::INFO]
    }

    fn read(source: &Source<'_>, _options: &Options) -> Read<syntax::Policy> {
        let parsed = iamlab_model::json::parse_json(source.text);
        let mut diagnostics = parsed.diagnostics;
        let tree =
            parsed.value.as_ref().and_then(|root| syntax::read_policy_document(source.text, root, &mut diagnostics));
        Read { tree, diagnostics }
    }

    fn check(source: &Source<'_>, policy: &syntax::Policy, _options: &Options) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        validate::check_policy(source.text, policy, &mut diagnostics);
        lints::lint_policy(source.text, policy, &mut diagnostics);
        diagnostics
    }

    fn read_request(source: &Source<'_>, _options: &Options) -> Read<request::Request> {
        request::read_request(source.text)
    }

    fn evaluate(
        documents: &[Parsed<'_, syntax::Policy>],
        request: &Parsed<'_, request::Request>,
        options: &Options,
        detail: Detail,
    ) -> Result<Decision, SimulateError> {
        Ok(evaluate::evaluate(documents, request, options, detail))
    }

    fn examples() -> &'static [Example] {
        examples::EXAMPLES
    }

    fn compare_versions(
        saved: &[Parsed<'_, syntax::Policy>],
        current: &[Parsed<'_, syntax::Policy>],
        options: &Options,
    ) -> Vec<(DocumentId, Diagnostic)> {
        lockout::compare_versions(saved, current, options)
    }

    fn codes() -> &'static [CodeInfo] {
        static CODES: OnceLock<Vec<CodeInfo>> = OnceLock::new();
        CODES.get_or_init(|| {
            Code::ALL.iter().map(|code| code.info()).chain(RequestCode::ALL.iter().map(|code| code.info())).collect()
        })
    }
}

#[cfg(test)]
mod tests;
