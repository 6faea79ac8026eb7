//! Condition operators: their names (`ForAnyValue:StringLikeIfExists`), parsed in one place
//! for reading and validation, with the type of value each compares (docs/semantics/aws.md,
//! "Conditions"). Evaluating them is [`super::conditions`]' job.

/// `ForAllValues:` or `ForAnyValue:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

/// The operator without its set prefix or `IfExists` suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseOperator {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnNotEquals,
    ArnLike,
    ArnNotLike,
    Null,
}

const BASE_OPERATORS: [(&str, BaseOperator); 27] = [
    ("StringEquals", BaseOperator::StringEquals),
    ("StringNotEquals", BaseOperator::StringNotEquals),
    ("StringEqualsIgnoreCase", BaseOperator::StringEqualsIgnoreCase),
    ("StringNotEqualsIgnoreCase", BaseOperator::StringNotEqualsIgnoreCase),
    ("StringLike", BaseOperator::StringLike),
    ("StringNotLike", BaseOperator::StringNotLike),
    ("NumericEquals", BaseOperator::NumericEquals),
    ("NumericNotEquals", BaseOperator::NumericNotEquals),
    ("NumericLessThan", BaseOperator::NumericLessThan),
    ("NumericLessThanEquals", BaseOperator::NumericLessThanEquals),
    ("NumericGreaterThan", BaseOperator::NumericGreaterThan),
    ("NumericGreaterThanEquals", BaseOperator::NumericGreaterThanEquals),
    ("DateEquals", BaseOperator::DateEquals),
    ("DateNotEquals", BaseOperator::DateNotEquals),
    ("DateLessThan", BaseOperator::DateLessThan),
    ("DateLessThanEquals", BaseOperator::DateLessThanEquals),
    ("DateGreaterThan", BaseOperator::DateGreaterThan),
    ("DateGreaterThanEquals", BaseOperator::DateGreaterThanEquals),
    ("Bool", BaseOperator::Bool),
    ("BinaryEquals", BaseOperator::BinaryEquals),
    ("IpAddress", BaseOperator::IpAddress),
    ("NotIpAddress", BaseOperator::NotIpAddress),
    ("ArnEquals", BaseOperator::ArnEquals),
    ("ArnNotEquals", BaseOperator::ArnNotEquals),
    ("ArnLike", BaseOperator::ArnLike),
    ("ArnNotLike", BaseOperator::ArnNotLike),
    ("Null", BaseOperator::Null),
];

/// The type of value an operator compares, for operator/key type checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

impl ValueType {
    pub fn as_str(self) -> &'static str {
        match self {
            ValueType::String => "String",
            ValueType::Numeric => "Numeric",
            ValueType::Date => "Date",
            ValueType::Bool => "Bool",
            ValueType::Binary => "Binary",
            ValueType::Ip => "IPAddress",
            ValueType::Arn => "ARN",
            ValueType::Null => "Null",
        }
    }
}

/// Every base operator's name and the type of value it compares, in the grammar's order.
pub fn base_operators() -> impl Iterator<Item = (&'static str, ValueType)> {
    BASE_OPERATORS.iter().map(|(name, base)| (*name, base.value_type()))
}

impl BaseOperator {
    pub fn name(self) -> &'static str {
        BASE_OPERATORS.iter().find(|(_, base)| *base == self).map_or("", |(name, _)| name)
    }

    /// Negated operators are true when the value matches none of the policy values, and when
    /// the key is missing.
    pub fn is_negated(self) -> bool {
        use BaseOperator::*;
        matches!(
            self,
            StringNotEquals
                | StringNotEqualsIgnoreCase
                | StringNotLike
                | NumericNotEquals
                | DateNotEquals
                | NotIpAddress
                | ArnNotEquals
                | ArnNotLike
        )
    }

    pub fn value_type(self) -> ValueType {
        use BaseOperator::*;
        match self {
            StringEquals
            | StringNotEquals
            | StringEqualsIgnoreCase
            | StringNotEqualsIgnoreCase
            | StringLike
            | StringNotLike => ValueType::String,
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => ValueType::Numeric,
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => ValueType::Date,
            Bool => ValueType::Bool,
            BinaryEquals => ValueType::Binary,
            IpAddress | NotIpAddress => ValueType::Ip,
            ArnEquals | ArnNotEquals | ArnLike | ArnNotLike => ValueType::Arn,
            Null => ValueType::Null,
        }
    }

    /// `*` and `?` are wildcards in the values of `StringLike` and the `Arn…` operators (AWS IAM
    /// user guide, condition operators); every other operator compares them as characters.
    pub fn has_wildcards(self) -> bool {
        use BaseOperator::*;
        matches!(self, StringLike | StringNotLike | ArnEquals | ArnNotEquals | ArnLike | ArnNotLike)
    }

    /// Policy variables are substituted in string, ARN and Bool condition values only (AWS IAM
    /// user guide, condition operators: "Policy variables – Supported/Not supported").
    pub fn supports_variables(self) -> bool {
        matches!(self.value_type(), ValueType::String | ValueType::Arn | ValueType::Bool)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator {
    pub set: Option<SetQualifier>,
    pub base: BaseOperator,
    pub if_exists: bool,
}

impl Operator {
    /// Parses e.g. `ForAnyValue:StringLikeIfExists`. Operator names are case sensitive.
    pub fn parse(text: &str) -> Option<Operator> {
        let (set, rest) = if let Some(rest) = text.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), rest)
        } else if let Some(rest) = text.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), rest)
        } else {
            (None, text)
        };
        let (if_exists, name) = match rest.strip_suffix("IfExists") {
            Some(name) => (true, name),
            None => (false, rest),
        };
        let base = BASE_OPERATORS.iter().find(|(known, _)| *known == name).map(|(_, base)| *base)?;
        Some(Operator { set, base, if_exists })
    }

    /// Parses an operator ignoring case (`stringequals`): IAM and independent implementations
    /// accept it; the validator asks for the canonical spelling.
    pub fn parse_ignoring_case(text: &str) -> Option<Operator> {
        Operator::parse(text).or_else(|| Operator::in_canonical_case(text).as_deref().and_then(Operator::parse))
    }

    /// The canonical spelling, e.g. `ForAnyValue:StringLikeIfExists`.
    pub fn canonical(&self) -> String {
        let prefix = match self.set {
            Some(SetQualifier::ForAllValues) => "ForAllValues:",
            Some(SetQualifier::ForAnyValue) => "ForAnyValue:",
            None => "",
        };
        let suffix = if self.if_exists { "IfExists" } else { "" };
        format!("{prefix}{}{suffix}", self.base.name())
    }

    /// The correctly spelled operator when `text` differs only in case.
    fn in_canonical_case(text: &str) -> Option<String> {
        let lower = text.to_ascii_lowercase();
        let (prefix, rest) = if let Some(rest) = lower.strip_prefix("forallvalues:") {
            ("ForAllValues:", rest)
        } else if let Some(rest) = lower.strip_prefix("foranyvalue:") {
            ("ForAnyValue:", rest)
        } else {
            ("", lower.as_str())
        };
        let (suffix, name) = match rest.strip_suffix("ifexists") {
            Some(name) => ("IfExists", name),
            None => ("", rest),
        };
        BASE_OPERATORS
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map(|(known, _)| format!("{prefix}{known}{suffix}"))
    }
    /// The operator `text` most likely meant (`StringEqual` → `StringEquals`), for "did you
    /// mean" when `text` is not an operator even ignoring case: the closest of every spelling,
    /// set prefixes and `IfExists` included, by edit distance.
    pub fn closest_spelling(text: &str) -> Option<String> {
        let mut spellings = Vec::with_capacity(BASE_OPERATORS.len() * 6);
        for prefix in ["", "ForAllValues:", "ForAnyValue:"] {
            for (name, _) in BASE_OPERATORS {
                for suffix in ["", "IfExists"] {
                    spellings.push(format!("{prefix}{name}{suffix}"));
                }
            }
        }
        iamlab_model::suggest::closest(text, spellings.iter().map(String::as_str)).map(str::to_owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `text` as an operator: its canonical spelling, or "did you mean" when it is none.
    fn check(text: &str, expect: &str) {
        let actual = match Operator::parse_ignoring_case(text) {
            Some(operator) => operator.canonical(),
            None => match Operator::closest_spelling(text) {
                Some(spelling) => format!("unknown, did you mean `{spelling}`?"),
                None => "unknown".to_owned(),
            },
        };
        assert_eq!(actual, expect, "{text}");
    }

    #[test]
    fn operators_parse_with_prefixes_and_suffix() {
        let operator = Operator::parse("ForAnyValue:StringLikeIfExists").unwrap();
        assert_eq!(operator.set, Some(SetQualifier::ForAnyValue));
        assert_eq!(operator.base, BaseOperator::StringLike);
        assert!(operator.if_exists);
        assert_eq!(Operator::parse("stringequals"), None);
        check("ForAllValues:ArnNotLike", "ForAllValues:ArnNotLike");
        check("NullIfExists", "NullIfExists");
    }

    #[test]
    fn operators_are_read_ignoring_case() {
        check("stringequalsifexists", "StringEqualsIfExists");
        check("forallvalues:stringlike", "ForAllValues:StringLike");
    }

    #[test]
    fn unknown_operators_get_the_closest_spelling() {
        check("StringEqual", "unknown, did you mean `StringEquals`?");
        check("StringEqualz", "unknown, did you mean `StringEquals`?");
        check("ForAllValue:StringLike", "unknown, did you mean `ForAllValues:StringLike`?");
        check("NumericLessThen", "unknown, did you mean `NumericLessThan`?");
        check("Whatever", "unknown");
    }
}
