//! Every diagnostic code the OUTSCALE/AWS engine reports, as one enum: a code is a variant, so
//! that no phase spells a code by hand and the registry ([`CODES`]) cannot miss one. Each code
//! is explained in docs/semantics/aws.md (`aws::…`) or docs/semantics/outscale.md
//! (`outscale::…`); requests use the shared [`crate::pipeline::RequestCode`].

use crate::pipeline::CodeInfo;
use iamlab_model::{Diagnostic, Severity};

/// Declares [`Code`] and [`CODES`] from one table, so that a variant's name, spelling, default
/// severity and summary are written once, side by side.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal, $severity:ident, $summary:literal;)*) => {
        /// A diagnostic code of the OUTSCALE/AWS engine.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable spelling, e.g. `aws::invalid-arn`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// The severity the code is reported with, unless the finding says otherwise (only
            /// `outscale::policy-too-long` and `outscale::unknown-action` ever do).
            pub const fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// What the code means, in one line (codes reference, SARIF rule metadata).
            pub const fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => $summary,)*
                }
            }
        }

        /// The registry `ProviderEngine::codes` returns, in the order of [`Code::ALL`].
        pub const CODES: &[CodeInfo] = &[
            $(CodeInfo { code: $code, severity: Severity::$severity, summary: $summary },)*
        ];
    };
}

codes! {
    // Reading: these make a document's meaning unknown, so they stop a simulation.

    /// Returned when a policy element has a JSON type the grammar does not allow (a number as
    /// `Effect`, an object as `Action`).
    DataTypeMismatch = "aws::data-type-mismatch", Error, "an element has a JSON type the policy grammar does not allow";
    /// Returned when the policy has no `Statement`.
    MissingStatement = "aws::missing-statement", Error, "the policy has no `Statement`";
    /// Returned when a statement has no `Effect`.
    MissingEffect = "aws::missing-effect", Error, "a statement has no `Effect`";
    /// Returned when `Effect` is a string other than `Allow` or `Deny` (case sensitive).
    InvalidEffect = "aws::invalid-effect", Error, "`Effect` is neither `Allow` nor `Deny`";
    /// Returned when a statement has neither `Action` nor `NotAction`.
    MissingAction = "aws::missing-action", Error, "a statement has neither `Action` nor `NotAction`";
    /// Returned when a statement has neither `Resource` nor `NotResource`.
    MissingResource = "aws::missing-resource", Error, "a statement has neither `Resource` nor `NotResource`";
    /// Returned when a statement has both `Action` and `NotAction`.
    ActionAndNotAction = "aws::action-and-notaction", Error, "a statement has both `Action` and `NotAction`";
    /// Returned when a statement has both `Resource` and `NotResource`.
    ResourceAndNotResource = "aws::resource-and-notresource", Error, "a statement has both `Resource` and `NotResource`";
    /// Returned when a `Condition` key is not a condition operator, even ignoring case.
    InvalidOperator = "aws::invalid-operator", Error, "an unknown condition operator";
    /// Returned when the simulation is handed a document whose policy could not be read.
    UnreadablePolicy = "aws::unreadable-policy", Error, "the policy could not be read";

    // Found while reading, reported by checking: they never stopped a simulation.

    /// Returned when a policy or statement has an element the grammar does not know.
    UnknownElement = "aws::unknown-element", Error, "a key is not a policy or statement element";
    /// Returned when an element name differs from a known one only in case (`effect`).
    ElementCase = "aws::element-case", Error, "an element name is written in the wrong case";
    /// Returned when two keys of one object differ only in case (`Effect` and `effect`).
    DuplicateKeyCase = "aws::duplicate-key-case", Error, "two keys of one object differ only in case";

    // Validation: the policy against the grammar's finer rules and the catalogues.

    /// Returned when an EIM policy has more than 5120 non-whitespace characters: an error for a
    /// managed policy, a warning when the document's role is not known.
    PolicyTooLong = "outscale::policy-too-long", Error, "the policy exceeds EIM's managed-policy size limit";
    /// Returned when an EIM statement's `Action` is an empty array, which EIM refuses (OUTSCALE
    /// QA: CreatePolicy answers 400 InvalidParameterValue).
    EmptyAction = "outscale::empty-action", Error, "EIM refuses a statement whose `Action` is empty";
    /// Returned when an EIM action uses a service prefix that works on OUTSCALE but that EIM does
    /// not document (`kms:` for OKMS).
    UndocumentedPrefix = "outscale::undocumented-prefix", Warning, "a service prefix that OUTSCALE honours but EIM does not document";
    /// Returned when an AWS policy has no `Version`.
    MissingVersion = "aws::missing-version", Warning, "the policy has no `Version`";
    /// Returned when `Version` is neither `2012-10-17` nor `2008-10-17`.
    InvalidVersion = "aws::invalid-version", Error, "`Version` is not a policy language version";
    /// Returned when `Version` is `2008-10-17`, which has no policy variables.
    OldVersion = "aws::old-version", Warning, "the policy uses the old version `2008-10-17`";
    /// Returned when a `Sid` has a character other than an ASCII letter or digit.
    InvalidSid = "aws::invalid-sid", Error, "a `Sid` has characters other than letters and digits";
    /// Returned when two statements have the same `Sid`.
    DuplicateSid = "aws::duplicate-sid", Error, "two statements have the same `Sid`";
    /// Returned when an identity policy statement has `Principal` or `NotPrincipal`.
    UnsupportedPrincipal = "aws::unsupported-principal", Error, "an identity policy names a principal";
    /// Returned when one action string holds several actions separated by commas.
    CommaInAction = "aws::comma-in-action", Error, "an action string holds a comma";
    /// Returned when an action holds a policy variable.
    VariableInAction = "aws::variable-in-action", Error, "an action holds a policy variable";
    /// Returned when an action has no service prefix or characters an action cannot have.
    InvalidAction = "aws::invalid-action", Error, "an action is not `service:name`";
    /// Returned when an AWS action has a wildcard in its service prefix (`*:Get*`).
    WildcardInService = "aws::wildcard-in-service", Error, "an AWS action has a wildcard in its service prefix";
    /// Returned when an EIM action uses the `fcu:` or `fcuext:` prefix instead of `ec2:` (EIM
    /// stores the policy, which grants nothing: an error all the same, see outscale.md).
    FcuPrefix = "outscale::fcu-prefix", Error, "`fcu:` is not an EIM service prefix";
    /// Returned when an EIM action or service prefix differs from a known one only in case.
    ActionCase = "outscale::action-case", Error, "an EIM action is written in the wrong case";
    /// Returned when an EIM action's service prefix is not one OUTSCALE knows (EIM stores the
    /// policy, which grants nothing).
    UnknownPrefix = "outscale::unknown-prefix", Warning, "an unknown EIM service prefix";
    /// Returned when an EIM action pattern matches no action of a complete catalogue.
    NoMatchingAction = "outscale::no-matching-action", Warning, "an action pattern matches no catalogued action";
    /// Returned when an EIM action is not catalogued: a warning where the catalogue is complete
    /// (EIM stores the policy, the action grants nothing), a hint where it is partial.
    UnknownAction = "outscale::unknown-action", Warning, "an action is not in the catalogue";
    /// Returned when an EIM statement restricts resources, which EIM ignores.
    ResourceIgnored = "outscale::resource-ignored", Warning, "EIM ignores resource-level restrictions";
    /// Returned when an AWS action's service prefix is not in the AWS action catalogue.
    UnknownService = "aws::unknown-service", Error, "an unknown AWS service prefix";
    /// Returned when an AWS action (without wildcards) is not in its service's catalogue.
    UnknownAwsAction = "aws::unknown-action", Error, "an action the AWS catalogue does not list";
    /// Returned when an AWS action pattern matches no action of its service.
    NoMatchingAwsAction = "aws::no-matching-action", Warning, "an AWS action pattern matches no catalogued action";
    /// Returned when a statement's resource fits none of its actions' resource types, or a
    /// wildcard-only action is given only specific resources.
    ResourceMismatch = "aws::resource-mismatch", Warning, "the statement's actions do not take this resource";
    /// Returned when a service-specific condition key is supported by none of the statement's
    /// actions.
    UnsupportedConditionKey = "aws::unsupported-condition-key", Warning, "no action of the statement supports the condition key";
    /// Returned once per AWS policy when the action catalogue is not loaded (the playground
    /// could not fetch it), so that the missing catalogue checks are not mistaken for a pass.
    CatalogNotLoaded = "aws::catalog-not-loaded", Info, "the AWS action catalogue is not loaded";
    /// Returned when an AWS resource is neither `*` nor a six-part ARN.
    InvalidArn = "aws::invalid-arn", Error, "a resource is not a valid ARN";
    /// Returned when a `${…}` is not a well-formed policy variable.
    InvalidVariable = "aws::invalid-variable", Error, "a malformed policy variable";
    /// Returned when a policy variable sits in a document whose version does not substitute it.
    VariableWithoutVersion = "aws::variable-without-version", Warning, "a policy variable is plain text without `Version` 2012-10-17";
    /// Returned when an EIM statement has a `Condition`, which EIM does not document.
    ConditionUndocumented = "outscale::condition-undocumented", Warning, "EIM does not document `Condition`";
    /// Returned when an operator is written in another case than its canonical spelling.
    OperatorCase = "aws::operator-case", Warning, "a condition operator is not in its canonical spelling";
    /// Returned when `Null` has the `IfExists` suffix.
    NullWithIfExists = "aws::null-with-if-exists", Error, "`Null` cannot take `IfExists`";
    /// Returned when a condition value does not parse for its operator (a word for a number).
    ConditionTypeMismatch = "aws::condition-type-mismatch", Error, "a condition value does not fit its operator";
    /// Returned when an `aws:` condition key is not a known global key.
    UnknownGlobalKey = "aws::unknown-global-key", Warning, "an `aws:` key is not a known global condition key";
    /// Returned when a global key is tested with an operator of another type.
    OperatorKeyMismatch = "aws::operator-key-mismatch", Warning, "an operator's type does not fit the key's";
    /// Returned when `ForAllValues`/`ForAnyValue` is used with a single-valued key.
    SetOperatorOnSingleValue = "aws::set-operator-on-single-value", Warning, "a set operator on a single-valued key";
    /// Returned when a multivalued key is tested without `ForAllValues`/`ForAnyValue`.
    MissingSetOperator = "aws::missing-set-operator", Warning, "a multivalued key without a set operator";

    // Lints: advice about a policy that means what it says (Access Analyzer's suggestions and
    // security warnings, EIM's own pitfalls).

    /// Returned when `Statement` is an empty array.
    EmptyStatement = "aws::empty-statement", Warning, "the policy has no statement";
    /// Returned when `Action` is an empty array.
    EmptyArrayAction = "aws::empty-array-action", Info, "`Action` is an empty array";
    /// Returned when `NotAction` is an empty array.
    EmptyArrayNotAction = "aws::empty-array-notaction", Info, "`NotAction` is an empty array";
    /// Returned when `Resource` is an empty array.
    EmptyArrayResource = "aws::empty-array-resource", Info, "`Resource` is an empty array";
    /// Returned when `NotResource` is an empty array.
    EmptyArrayNotResource = "aws::empty-array-notresource", Info, "`NotResource` is an empty array";
    /// Returned when a condition key has an empty array of values.
    EmptyArrayCondition = "aws::empty-array-condition", Info, "a condition key has no values";
    /// Returned when `Condition` or one of its operators is an empty object.
    EmptyObjectCondition = "aws::empty-object-condition", Info, "a condition is an empty object";
    /// Returned when an action is already covered by a wildcard of the same list.
    RedundantAction = "aws::redundant-action", Info, "an action is covered by another of the list";
    /// Returned when an `Allow` statement uses `NotAction`.
    AllowWithNotAction = "aws::allow-with-not-action", Warning, "`Allow` with `NotAction` allows every other action";
    /// Returned when an AWS `Allow` statement uses `NotResource`.
    AllowWithNotResource = "aws::allow-with-not-resource", Warning, "`Allow` with `NotResource` allows every other resource";
    /// Returned when a statement allows every action on every resource.
    AllowAll = "aws::allow-all", Warning, "a statement allows every action on every resource";
    /// Returned when an AWS statement allows `iam:PassRole` on every resource.
    PassRoleWithStar = "aws::pass-role-with-star", Warning, "`iam:PassRole` on every role";
    /// Returned when an EIM statement allows actions that manage policies.
    PrivilegeEscalation = "outscale::privilege-escalation", Warning, "the user can manage their own permissions";
    /// Returned when an `api:` action is denied but not its FCU twin.
    MissingFcuTwin = "outscale::missing-fcu-twin", Warning, "an OUTSCALE API action is denied but not its FCU twin";
    /// Returned when an FCU action is denied but not its `api:` twin.
    MissingApiTwin = "outscale::missing-api-twin", Warning, "an FCU action is denied but not its OUTSCALE API twin";
    /// Returned when an `Allow` condition uses `ForAllValues:`, which is also true without the key.
    AllowWithForAllValues = "aws::allow-with-for-all-values", Warning, "`Allow` with `ForAllValues` also allows requests without the key";
}

impl Code {
    /// A finding of this code at its default severity.
    pub fn diagnostic(self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.as_str(), self.severity(), message)
    }

    /// A finding of this code at another severity than its default (the two codes whose weight
    /// depends on what is known about the document or the catalogue).
    pub fn diagnostic_with_severity(self, severity: Severity, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.as_str(), severity, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_lists_every_code_once_with_its_default_severity() {
        assert_eq!(CODES.len(), Code::ALL.len());
        for (code, info) in Code::ALL.iter().zip(CODES) {
            assert_eq!(info.code, code.as_str());
            assert_eq!(info.severity, code.severity());
            assert_eq!(info.summary, code.summary());
            let (namespace, name) = info.code.split_once("::").unwrap();
            assert!(matches!(namespace, "aws" | "outscale"), "{}", info.code);
            assert!(name.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'), "{}", info.code);
        }
        let mut spellings: Vec<&str> = CODES.iter().map(|info| info.code).collect();
        spellings.sort_unstable();
        spellings.dedup();
        assert_eq!(spellings.len(), CODES.len(), "a code is spelled twice");
    }
}
