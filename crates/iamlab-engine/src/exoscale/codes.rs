//! Every diagnostic code the Exoscale engine reports, as one enum: the stable string, the
//! severity it is always reported with, and a summary for the codes reference. Request findings
//! use the shared [`crate::pipeline::RequestCode`]s instead, and CEL findings keep
//! `iamlab-cel`'s `cel::` codes.

use crate::pipeline::CodeInfo;
use crate::schema::{self, SchemaCodes};
use iamlab_cel::DialectNoteKind;
use iamlab_model::{Diagnostic, Severity, Span};

/// Declares [`Code`] from one table, so that a code's string, severity and summary cannot drift
/// apart and [`Code::ALL`] cannot miss a variant.
macro_rules! codes {
    ($($(#[doc = $doc:literal])+ $variant:ident => $code:literal, $severity:ident, $summary:literal;)+) => {
        /// A diagnostic code of the Exoscale engine.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The stable code, as diagnostics, the CLI's JSON and the docs write it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)+
                }
            }

            /// The one severity this code is reported with.
            pub const fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)+
                }
            }

            /// What the code means, in one line.
            pub const fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => $summary,)+
                }
            }
        }

        /// [`Code::ALL`] as the registry entries the pipeline lists.
        pub const INFOS: &[CodeInfo] = &[$(Code::$variant.info()),+];
    };
}

codes! {
    /// Returned when a value has the wrong JSON type, including a document that is not an object.
    InvalidType => "exoscale::invalid-type", Error, "a value has the wrong JSON type";
    /// Returned when a role, policy, service or rule lacks a field the API requires.
    MissingField => "exoscale::missing-field", Error, "a required field is absent";
    /// Returned when a role, policy, service or rule has a field the API does not know: the API
    /// ignores it, so it is a warning.
    UnknownField => "exoscale::unknown-field", Warning, "a field the API ignores";
    /// Returned when a strategy, a service type or a rule action is not one of its values.
    InvalidValue => "exoscale::invalid-value", Error, "a value outside its enum";
    /// Returned when a service of type `rules` has no rules.
    EmptyRules => "exoscale::empty-rules", Error, "a `rules` service without rules";
    /// Returned when a service of type `allow` or `deny` has `rules`, which are never evaluated.
    UnexpectedRules => "exoscale::unexpected-rules", Error, "rules on an `allow` or `deny` service";
    /// Returned when a rule's expression is empty or blank.
    EmptyExpression => "exoscale::empty-expression", Error, "an empty rule expression";
    /// Returned when a role's `name` or `description` is outside its length limits.
    InvalidLength => "exoscale::invalid-length", Error, "a role name or description of the wrong length";
    /// Returned when a role's `permissions` lists something other than the two role permissions.
    InvalidPermission => "exoscale::invalid-permission", Error, "an unknown role permission";
    /// Returned when a role's `permissions` lists a permission twice.
    DuplicatePermission => "exoscale::duplicate-permission", Error, "a role permission listed twice";
    /// Returned when `max-session-ttl` is not a positive whole number of seconds.
    InvalidSessionTtl => "exoscale::invalid-session-ttl", Error, "a session TTL that is not a positive integer";
    /// Returned when a role has no `policy`: the API then gives it one that allows everything.
    MissingPolicy => "exoscale::missing-policy", Info, "a role without `policy` allows everything";
    /// Returned when the organization policy is a role rather than a bare policy.
    RoleAsOrganizationPolicy => "exoscale::role-as-organization-policy", Error, "a role given as the organization policy";
    /// Returned when a `services` key is not a known service class.
    UnknownServiceClass => "exoscale::unknown-service-class", Warning, "an unknown service class";
    /// Returned when a `services` key is a class that no Exoscale source documents.
    InferredServiceClass => "exoscale::inferred-service-class", Info, "a service class known by inference only";
    /// Returned when an expression compares `operation` with a name no operation has (or a
    /// prefix no operation starts with).
    UnknownOperation => "exoscale::unknown-operation", Warning, "an unknown operation name";
    /// Returned when an expression names a pre-2024 access-key operation, which role policies
    /// never see.
    LegacyOperation => "exoscale::legacy-operation", Warning, "a legacy access-key operation name";
    /// Returned when a rule names an operation of another service class than its own: the rule
    /// never sees it.
    OperationInOtherService => "exoscale::operation-in-other-service", Warning, "an operation of another service class";
    /// Returned when a rule names an operation whose class the catalogue only infers.
    InferredOperationClass => "exoscale::inferred-operation-class", Hint, "an operation whose class is inferred";
    /// Returned when an expression reads `parameters.x` where no operation the rule can reach
    /// has a parameter `x`.
    UnknownParameter => "exoscale::unknown-parameter", Warning, "a parameter no reachable operation has";
    /// Returned when a rule has the deprecated `resources` field, which has no effect.
    DeprecatedResources => "exoscale::deprecated-resources", Warning, "the deprecated rule field `resources`";
    /// Returned when a rule follows a rule whose expression is `true`: it is never evaluated.
    UnreachableRule => "exoscale::unreachable-rule", Warning, "a rule after an unconditional one";
    /// Returned when a deny rule reads a request field without testing that it exists: on a
    /// request without it the expression fails and the rule denies nothing.
    DenyFailsOpen => "exoscale::deny-fails-open", Warning, "a deny rule that fails open";
    /// Returned when a `rules` service does not end with an unconditional rule although the
    /// default strategy is `allow`: unmatched requests are denied all the same.
    RulesImplicitDeny => "exoscale::rules-implicit-deny", Info, "unmatched requests of a `rules` service are denied";
    /// Returned when an organization policy denies the `iam` class, locking everyone out of IAM.
    OrgPolicyIamLockout => "exoscale::org-policy-iam-lockout", Warning, "an organization policy that denies IAM";
    /// Returned when a `matches` pattern relies on Java's regex syntax, which Exoscale's
    /// evaluator uses: constructs RE2 lacks (backreferences, lookaround), reads differently or
    /// rejects, and the ASCII-only `\d`, `\w`, `\s`.
    JavaRegex => "exoscale::java-regex", Warning, "a pattern that relies on Java's regex syntax";
    /// Returned when a timestamp literal is read differently by Exoscale's evaluator (Clojure's
    /// reader) and by standard CEL: a partial timestamp, a lower-case `t` or `z`.
    TimestampFormat => "exoscale::timestamp-format", Warning, "a timestamp literal Exoscale reads differently";
    /// Returned when a time-zone literal is one Java does not know: Exoscale evaluates it as GMT.
    UnknownTimeZone => "exoscale::unknown-time-zone", Warning, "a time zone Exoscale evaluates as GMT";
    /// Returned when an expression subtracts two timestamps, which Exoscale computes with the
    /// operands swapped.
    SwappedSubtraction => "exoscale::swapped-subtraction", Warning, "a timestamp subtraction Exoscale computes as `b - a`";
    /// Returned when an expression calls `bool()`, which is Java's `Boolean.parseBoolean` on
    /// Exoscale.
    ParseBoolean => "exoscale::parse-boolean", Warning, "`bool()`, Java's `Boolean.parseBoolean` on Exoscale";
    /// Returned when an expression reads a duration's `getMilliseconds()`, its whole seconds on
    /// Exoscale.
    DurationMilliseconds => "exoscale::duration-milliseconds", Warning, "a duration's `getMilliseconds()`, whole seconds on Exoscale";
    /// Returned when the request's operation is not in the catalogue and the request does not say
    /// its service class.
    UnknownRequestOperation => "exoscale::unknown-request-operation", Error, "a request whose service class is unknown";
    /// Returned when a simulation is given no role policy.
    NoRole => "exoscale::no-role", Error, "a simulation without a role";
    /// Returned when a simulation is given several role policies: a user or API key has one role.
    SeveralRoles => "exoscale::several-roles", Error, "a simulation with several roles";
}

/// The schema helpers' codes, for the findings of `schema::*` in Exoscale documents.
pub const SCHEMA_CODES: SchemaCodes = SchemaCodes {
    wrong_type: Code::InvalidType.as_str(),
    missing_field: Code::MissingField.as_str(),
    unknown_field: Code::UnknownField.as_str(),
    unknown_field_severity: Code::UnknownField.severity(),
    invalid_value: Code::InvalidValue.as_str(),
};

impl Code {
    /// The code of a CEL dialect note: where a rule relies on what Exoscale's evaluator computes.
    pub const fn of_note(kind: DialectNoteKind) -> Code {
        match kind {
            DialectNoteKind::JavaRegex => Code::JavaRegex,
            DialectNoteKind::TimestampFormat => Code::TimestampFormat,
            DialectNoteKind::UnknownTimeZone => Code::UnknownTimeZone,
            DialectNoteKind::SwappedSubtraction => Code::SwappedSubtraction,
            DialectNoteKind::ParseBoolean => Code::ParseBoolean,
            DialectNoteKind::DurationMilliseconds => Code::DurationMilliseconds,
        }
    }

    pub const fn info(self) -> CodeInfo {
        CodeInfo { code: self.as_str(), severity: self.severity(), summary: self.summary() }
    }

    /// A finding of this code at its severity, at `span`, with a JSON pointer, and help when
    /// there is some.
    pub fn finding(self, message: impl Into<String>, span: Span, pointer: &str, help: impl Into<String>) -> Diagnostic {
        schema::finding(self.as_str(), self.severity(), message, span, pointer, help)
    }

    /// A finding of this code without a place (about the documents given, not inside one).
    pub fn diagnostic(self, message: impl Into<String>, help: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.as_str(), self.severity(), message).with_help(help)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_exoscale_codes_and_listed_once() {
        let strings: HashSet<&str> = Code::ALL.iter().map(|code| code.as_str()).collect();
        assert_eq!(strings.len(), Code::ALL.len());
        assert!(strings.iter().all(|code| code.starts_with("exoscale::")));
        assert_eq!(INFOS.len(), Code::ALL.len());
        assert_eq!(SCHEMA_CODES.unknown_field_severity, Severity::Warning);
    }
}
