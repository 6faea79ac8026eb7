//! Condition evaluation: one `"Operator": { "key": values }` entry against the request context,
//! and the value parsers it and validation share (exact decimals, dates, booleans, CIDR blocks;
//! docs/semantics/aws.md, "Conditions"). The operator names are parsed in [`super::operators`].

use super::operators::{BaseOperator, Operator, SetQualifier};
use super::pattern::{arn_glob_matches, arn_matches, glob_matches, is_arn, Pattern};
use super::request::Context;
use super::tree::Item;
use super::variables::UnresolvedVariable;
use std::cmp::Ordering;
use std::net::IpAddr;

/// The outcome of one condition entry, with the reason in words (empty when not asked for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryOutcome {
    pub value: bool,
    pub reason: String,
}

/// Evaluates `operator` for `key` with the policy `values` against `context`. `explain` asks
/// for the reason; without it nothing is written (a decision-only simulation reads the value).
pub fn evaluate_entry(
    operator: &Operator,
    operator_text: &str,
    key: &str,
    values: &[Item],
    context: &Context,
    explain: bool,
) -> EntryOutcome {
    let label = || format!("{operator_text} {key}");
    let entry = context.get(key);
    if operator.base == BaseOperator::Null {
        // An empty list is present (it has a value: the empty set), as iam-simulate reads it.
        let present = entry.is_some();
        let value = values.iter().any(|item| {
            if item.text.eq_ignore_ascii_case("true") {
                !present
            } else {
                item.text.eq_ignore_ascii_case("false") && present
            }
        });
        let state = if present { "present in" } else { "missing from" };
        let reason = if explain {
            format!("condition {} is {value} because the key is {state} the request context", label())
        } else {
            String::new()
        };
        return EntryOutcome { value, reason };
    }
    let context_values: &[String] = match entry {
        Some(entry) if operator.set.is_none() && entry.multivalued => {
            // Without ForAllValues/ForAnyValue a multivalued key never matches (iam-simulate
            // `failedBecauseArray`; AWS: "multivalued context keys require a set operator").
            let reason = if explain {
                format!(
                    "condition {} is false because the request gives several values (a list) and the operator has \
                     no ForAllValues: or ForAnyValue: prefix",
                    label()
                )
            } else {
                String::new()
            };
            return EntryOutcome { value: false, reason };
        }
        Some(entry) if !entry.values.is_empty() => &entry.values,
        _ => {
            let (value, why) = if operator.if_exists {
                (true, "the key is missing from the request context and the operator ends in IfExists")
            } else {
                match operator.set {
                    Some(SetQualifier::ForAllValues) => {
                        (true, "the key is missing from the request context (or empty) and ForAllValues is then true")
                    }
                    Some(SetQualifier::ForAnyValue) => {
                        (false, "the key is missing from the request context (or empty) and ForAnyValue is then false")
                    }
                    None if operator.base.is_negated() => {
                        (true, "the key is missing from the request context and a negated operator is then true")
                    }
                    None => (false, "the key is missing from the request context"),
                }
            };
            let reason =
                if explain { format!("condition {} is {value} because {why}", label()) } else { String::new() };
            return EntryOutcome { value, reason };
        }
    };
    // A plain value (no variable) is compared as written: nothing is built per request.
    let positive = |context_value: &str| {
        values.iter().any(|item| positive_match(operator.base, context_value, &resolve(operator.base, item, context)))
    };
    let negated = operator.base.is_negated();
    let matches_value = |context_value: &str| positive(context_value) != negated;
    let value = match operator.set {
        Some(SetQualifier::ForAllValues) => context_values.iter().all(|value| matches_value(value)),
        Some(SetQualifier::ForAnyValue) => context_values.iter().any(|value| matches_value(value)),
        // A single value: true when it matches any policy value; a negated operator is true
        // when it matches none (a NOR of the policy values).
        None => context_values.iter().any(|value| positive(value)) != negated,
    };
    if !explain {
        return EntryOutcome { value, reason: String::new() };
    }
    let resolved: Vec<Resolved<'_>> = values.iter().map(|item| resolve(operator.base, item, context)).collect();
    let shown_context = render_list(context_values);
    let shown_policy = render_list(&resolved.iter().map(Resolved::display).collect::<Vec<_>>());
    let verb = if value { "is true" } else { "is false" };
    let mut reason = format!("condition {} {verb}: request value {shown_context} against {shown_policy}", label());
    if let Some(missing) = resolved.iter().find_map(|policy| match policy {
        Resolved::Unresolved(variable) => Some(variable.clone()),
        _ => None,
    }) {
        reason.push_str(&format!(" (variable `${{{missing}}}` has no value, so it matches nothing)"));
    }
    EntryOutcome { value, reason }
}

/// A policy value after variable substitution.
enum Resolved<'item> {
    /// A value without variables: its text as written (its wildcards, where the operator has
    /// them, read by the matchers of text).
    Plain(&'item str),
    Pattern(Pattern),
    /// A variable without value or default: matches nothing.
    Unresolved(String),
}

impl Resolved<'_> {
    fn display(&self) -> String {
        match self {
            Resolved::Plain(text) => (*text).to_owned(),
            Resolved::Pattern(pattern) => pattern.display(),
            Resolved::Unresolved(key) => format!("${{{key}}}"),
        }
    }
}

fn resolve<'item>(base: BaseOperator, item: &'item Item, context: &Context) -> Resolved<'item> {
    if item.template.pieces.is_empty() {
        return Resolved::Plain(&item.text);
    }
    let resolved = if base.has_wildcards() { item.resolve_pattern(context) } else { item.resolve_literal(context) };
    match resolved {
        Ok(pattern) => Resolved::Pattern(pattern),
        Err(UnresolvedVariable { key }) => Resolved::Unresolved(key),
    }
}

fn positive_match(base: BaseOperator, context_value: &str, policy: &Resolved<'_>) -> bool {
    // The value as text (a substituted pattern written out, wildcards as `*` and `?`), and the
    // pattern when there is one.
    let (shown, pattern) = match policy {
        Resolved::Unresolved(_) => return false,
        Resolved::Plain(text) => (std::borrow::Cow::Borrowed(*text), None),
        Resolved::Pattern(pattern) => (std::borrow::Cow::Owned(pattern.display()), Some(pattern)),
    };
    let text: &str = &shown;
    use BaseOperator::*;
    match base {
        StringEquals | StringNotEquals | BinaryEquals => text == context_value,
        StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => text.eq_ignore_ascii_case(context_value),
        StringLike | StringNotLike => match pattern {
            Some(pattern) => pattern.matches(context_value),
            None => glob_matches(text, context_value),
        },
        ArnEquals | ArnNotEquals | ArnLike | ArnNotLike => {
            is_arn(context_value)
                && match pattern {
                    Some(pattern) => arn_matches(pattern, context_value),
                    None => arn_glob_matches(text, context_value),
                }
        }
        Bool => parse_bool(text).is_some() && parse_bool(text) == parse_bool(context_value),
        NumericEquals
        | NumericNotEquals
        | NumericLessThan
        | NumericLessThanEquals
        | NumericGreaterThan
        | NumericGreaterThanEquals => match (parse_number(context_value), parse_number(text)) {
            (Some(left), Some(right)) => compare(base, left.cmp(&right)),
            _ => false,
        },
        DateEquals | DateNotEquals | DateLessThan | DateLessThanEquals | DateGreaterThan | DateGreaterThanEquals => {
            match (parse_date(context_value), parse_date(text)) {
                (Some(left), Some(right)) => compare(base, left.cmp(&right)),
                _ => false,
            }
        }
        IpAddress | NotIpAddress => match (context_value.trim().parse::<IpAddr>(), parse_cidr(text)) {
            (Ok(address), Some(network)) => network.contains(address),
            _ => false,
        },
        Null => false,
    }
}

/// Applies a numeric or date operator to `request value <=> policy value`.
fn compare(base: BaseOperator, ordering: Ordering) -> bool {
    use BaseOperator::*;
    match base {
        NumericEquals | NumericNotEquals | DateEquals | DateNotEquals => ordering == Ordering::Equal,
        NumericLessThan | DateLessThan => ordering == Ordering::Less,
        NumericLessThanEquals | DateLessThanEquals => ordering != Ordering::Greater,
        NumericGreaterThan | DateGreaterThan => ordering == Ordering::Greater,
        NumericGreaterThanEquals | DateGreaterThanEquals => ordering != Ordering::Less,
        _ => false,
    }
}

fn render_list(values: &[String]) -> String {
    match values {
        [single] => format!("`{single}`"),
        _ => format!("[{}]", values.iter().map(|value| format!("`{value}`")).collect::<Vec<_>>().join(", ")),
    }
}

pub fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Parses a decimal number (`10`, `-1.5`, `2.5e3`) for exact comparison. Floating point is
/// avoided on purpose: comparisons stay exact, and the float parser's tables would add about
/// 10 KB to the wasm bundle.
pub fn parse_number(text: &str) -> Option<Decimal> {
    Decimal::parse(text.trim())
}

/// A decimal number normalised as `0.d₁d₂…dₙ × 10^exponent` (no leading or trailing zero
/// digit; zero has no digits), compared exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decimal {
    negative: bool,
    digits: Vec<u8>,
    exponent: i64,
}

impl Decimal {
    pub fn parse(text: &str) -> Option<Decimal> {
        let (negative, rest) = match text.as_bytes().first() {
            Some(b'-') => (true, text.get(1..)?),
            Some(b'+') => (false, text.get(1..)?),
            _ => (false, text),
        };
        let (mantissa, exponent) = match rest.split_once(['e', 'E']) {
            Some((mantissa, exponent)) => (mantissa, parse_exponent(exponent)?),
            None => (rest, 0),
        };
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all_digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
        if whole.len() + fraction.len() == 0 || !all_digits(whole) || !all_digits(fraction) {
            return None;
        }
        let mut digits: Vec<u8> = whole.bytes().chain(fraction.bytes()).map(|byte| byte - b'0').collect();
        let mut point = i64::try_from(whole.len()).ok()?.checked_add(exponent)?;
        let leading = digits.iter().take_while(|digit| **digit == 0).count();
        digits.drain(..leading);
        point = point.checked_sub(i64::try_from(leading).ok()?)?;
        while digits.last() == Some(&0) {
            digits.pop();
        }
        if digits.is_empty() {
            return Some(Decimal { negative: false, digits, exponent: 0 });
        }
        Some(Decimal { negative, digits, exponent: point })
    }
}

fn parse_exponent(text: &str) -> Option<i64> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)?),
        Some(b'+') => (false, text.get(1..)?),
        _ => (false, text),
    };
    if digits.is_empty() || digits.len() > 6 || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let value: i64 = digits.parse().ok()?;
    Some(if negative { -value } else { value })
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        let magnitude = |decimal: &Decimal| -> Ordering {
            let (left, right) = if decimal.negative { (other, self) } else { (self, other) };
            match (left.digits.is_empty(), right.digits.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                (false, false) => left.exponent.cmp(&right.exponent).then_with(|| left.digits.cmp(&right.digits)),
            }
        };
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            // Same sign: compare magnitudes, reversed for negative numbers.
            _ => magnitude(self),
        }
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Parses an ISO 8601 date (`2024-01-31`), date-time (`2024-01-31T12:00:00Z`, fractions and
/// `±hh:mm` offsets allowed) or epoch seconds into nanoseconds since 1970-01-01T00:00:00Z.
pub fn parse_date(text: &str) -> Option<i128> {
    const NANOS: i128 = 1_000_000_000;
    let text = text.trim();
    if !text.is_empty() && text.len() <= 18 && text.bytes().all(|byte| byte.is_ascii_digit()) {
        return text.parse::<i128>().ok().map(|seconds| seconds * NANOS);
    }
    let (date, time) = match text.split_once(['T', 't']) {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut date_parts = date.split('-');
    let year = fixed_number(date_parts.next()?, 4)?;
    let month = fixed_number(date_parts.next()?, 2)?;
    let day = fixed_number(date_parts.next()?, 2)?;
    if date_parts.next().is_some() || !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) * 86_400;
    let mut nanos: i128 = 0;
    if let Some(time) = time {
        let (clock, offset) = split_offset(time)?;
        let mut clock_parts = clock.split(':');
        let hour = fixed_number(clock_parts.next()?, 2)?;
        let minute = fixed_number(clock_parts.next()?, 2)?;
        let second = match clock_parts.next() {
            Some(second) => {
                let (whole, fraction) = second.split_once('.').unwrap_or((second, ""));
                if fraction.len() > 9 || !fraction.bytes().all(|byte| byte.is_ascii_digit()) {
                    return None;
                }
                // `.5` is 500,000,000 nanoseconds: pad the fraction to nine digits.
                let padded = format!("{fraction:0<9}");
                nanos = padded.parse::<i128>().ok()?;
                fixed_number(whole, 2)?
            }
            None => 0,
        };
        if clock_parts.next().is_some() || hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        seconds += hour * 3600 + minute * 60 + second - offset;
    }
    Some(i128::from(seconds) * NANOS + nanos)
}

/// Splits `12:00:00+02:00` into the clock and the offset in seconds (`Z` is 0; none is UTC).
fn split_offset(time: &str) -> Option<(&str, i64)> {
    if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    match time.rfind(['+', '-']) {
        Some(position) => {
            let (clock, offset) = time.split_at(position);
            let sign = if offset.starts_with('-') { -1 } else { 1 };
            let digits = offset.get(1..)?;
            let (hours, minutes) = match digits.split_once(':') {
                Some((hours, minutes)) => (fixed_number(hours, 2)?, fixed_number(minutes, 2)?),
                None => (fixed_number(digits.get(..2)?, 2)?, fixed_number(digits.get(2..)?, 2)?),
            };
            Some((clock, sign * (hours * 3600 + minutes * 60)))
        }
        None => Some((time, 0)),
    }
}

fn fixed_number(text: &str, width: usize) -> Option<i64> {
    (text.len() == width && text.chars().all(|ch| ch.is_ascii_digit())).then(|| text.parse().ok()).flatten()
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// An IPv4 or IPv6 network; a bare address is a /32 or /128.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    address: IpAddr,
    prefix: u8,
}

impl Network {
    pub fn contains(self, candidate: IpAddr) -> bool {
        match (self.address, candidate) {
            (IpAddr::V4(network), IpAddr::V4(candidate)) => {
                prefix_equal(u128::from(u32::from(network)), u128::from(u32::from(candidate)), self.prefix, 32)
            }
            (IpAddr::V6(network), IpAddr::V6(candidate)) => {
                prefix_equal(u128::from(network), u128::from(candidate), self.prefix, 128)
            }
            _ => false,
        }
    }
}

fn prefix_equal(network: u128, candidate: u128, prefix: u8, width: u32) -> bool {
    let prefix = u32::from(prefix).min(width);
    if prefix == 0 {
        return true;
    }
    let shift = width - prefix;
    network.checked_shr(shift).unwrap_or(0) == candidate.checked_shr(shift).unwrap_or(0)
}

pub fn parse_cidr(text: &str) -> Option<Network> {
    let text = text.trim();
    let (address, prefix) = match text.split_once('/') {
        Some((address, prefix)) => (address.parse::<IpAddr>().ok()?, Some(prefix)),
        None => (text.parse::<IpAddr>().ok()?, None),
    };
    let width = if address.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        Some(prefix) if !prefix.is_empty() && prefix.chars().all(|ch| ch.is_ascii_digit()) => {
            prefix.parse::<u8>().ok()?
        }
        Some(_) => return None,
        None => width,
    };
    (prefix <= width).then_some(Network { address, prefix })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_rendered, read};
    use super::*;
    use crate::outscale::request::read_request;

    /// Evaluates every entry of `condition` (a policy's `Condition` object, read under Version
    /// 2012-10-17) against the request `context`: one line per entry, its reason (the value
    /// without reason must be the same).
    #[track_caller]
    fn check(condition: &str, context: &str, expect: &str) {
        let policy = format!(
            r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {condition}}}}}"#
        );
        let (document, diagnostics) = read(&policy);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let request = read_request(&format!(r#"{{"action": "s3:GetObject", "context": {context}}}"#)).unwrap();
        let mut out = String::new();
        for block in &document.policy.unwrap().statements.remove(0).conditions {
            for entry in &block.entries {
                let evaluate = |explain| {
                    let (operator, text) = (&block.operator, &block.operator_text);
                    evaluate_entry(operator, text, &entry.key, &entry.values, &request.context, explain)
                };
                let outcome = evaluate(true);
                // The decision-only path computes the same value and writes no reason.
                assert_eq!(evaluate(false), EntryOutcome { value: outcome.value, reason: String::new() });
                out.push_str(&outcome.reason);
                out.push('\n');
            }
        }
        assert_rendered(&out, expect);
    }

    #[test]
    fn string_operators_with_variables_and_wildcards() {
        check(
            r#"{"StringEquals": {"aws:username": "${aws:PrincipalTag/owner}"},
                "StringEqualsIgnoreCase": {"aws:username": "BOB"},
                "StringLike": {"s3:prefix": ["home/${aws:username}/*", "${*}"]},
                "StringNotLike": {"s3:prefix": "tmp/*"}}"#,
            r#"{"aws:username": "bob", "aws:PrincipalTag/owner": "bob", "s3:prefix": "home/bob/notes"}"#,
            r#"
condition StringEquals aws:username is true: request value `bob` against `bob`
condition StringEqualsIgnoreCase aws:username is true: request value `bob` against `BOB`
condition StringLike s3:prefix is true: request value `home/bob/notes` against [`home/bob/*`, `*`]
condition StringNotLike s3:prefix is true: request value `home/bob/notes` against `tmp/*`
"#,
        );
    }

    #[test]
    fn missing_keys_and_set_operators() {
        check(
            r#"{"StringEquals": {"aws:username": "bob"},
                "StringNotEqualsIfExists": {"aws:RequestedRegion": "eu-west-1"},
                "ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"], "aws:CalledVia": "x"},
                "ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-1/*"},
                "StringEqualsIfExists": {"aws:TagKeys": "env"},
                "Null": {"aws:TokenIssueTime": "true", "aws:TagKeys": "false"}}"#,
            r#"{"aws:TagKeys": ["env"], "aws:PrincipalOrgPaths": null}"#,
            r#"
condition StringEquals aws:username is false because the key is missing from the request context
condition StringNotEqualsIfExists aws:RequestedRegion is true because the key is missing from the request context and the operator ends in IfExists
condition ForAllValues:StringEquals aws:TagKeys is true: request value `env` against [`env`, `team`]
condition ForAllValues:StringEquals aws:CalledVia is true because the key is missing from the request context (or empty) and ForAllValues is then true
condition ForAnyValue:StringLike aws:PrincipalOrgPaths is false because the key is missing from the request context (or empty) and ForAnyValue is then false
condition StringEqualsIfExists aws:TagKeys is false because the request gives several values (a list) and the operator has no ForAllValues: or ForAnyValue: prefix
condition Null aws:TokenIssueTime is true because the key is missing from the request context
condition Null aws:TagKeys is true because the key is present in the request context
"#,
        );
    }

    #[test]
    fn numbers_dates_booleans_and_addresses() {
        check(
            r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"},
                "NumericEquals": {"s3:max-keys": "1e1"},
                "DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"},
                "Bool": {"aws:SecureTransport": "TRUE"},
                "IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]},
                "NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"},
                "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Admin*"}}"#,
            r#"{"aws:MultiFactorAuthAge": 120, "s3:max-keys": "10.0", "aws:CurrentTime": "2024-05-01T12:00:00+02:00",
                "aws:SecureTransport": true, "aws:SourceIp": "203.0.113.7",
                "aws:PrincipalArn": "arn:aws:iam::123456789012:role/AdminRole"}"#,
            r#"
condition NumericLessThan aws:MultiFactorAuthAge is true: request value `120` against `3600`
condition NumericEquals s3:max-keys is true: request value `10.0` against `1e1`
condition DateGreaterThan aws:CurrentTime is true: request value `2024-05-01T12:00:00+02:00` against `2020-01-01T00:00:00Z`
condition Bool aws:SecureTransport is true: request value `true` against `TRUE`
condition IpAddress aws:SourceIp is true: request value `203.0.113.7` against [`203.0.113.0/24`, `2001:db8::/32`]
condition NotIpAddress aws:SourceIp is true: request value `203.0.113.7` against `10.0.0.0/8`
condition ArnLike aws:PrincipalArn is true: request value `arn:aws:iam::123456789012:role/AdminRole` against `arn:aws:iam::*:role/Admin*`
"#,
        );
    }

    #[test]
    fn parses_dates() {
        assert_eq!(parse_date("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_date("1970-01-02"), Some(86_400_000_000_000));
        assert_eq!(parse_date("2020-01-01T01:00:00+01:00"), parse_date("2020-01-01T00:00:00Z"));
        assert_eq!(parse_date("1700000000"), Some(1_700_000_000_000_000_000));
        assert_eq!(parse_date("1970-01-01T00:00:00.5Z"), Some(500_000_000));
        assert!(parse_date("2024-01-01T00:00:00.001Z") > parse_date("2024-01-01T00:00:00Z"));
        assert_eq!(parse_date("2019-02-29"), None);
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn compares_decimals_exactly() {
        let number = |text: &str| parse_number(text).unwrap();
        assert_eq!(number("10"), number("10.0"));
        assert_eq!(number("10"), number("1e1"));
        assert_eq!(number("0"), number("-0.000"));
        assert!(number("9") < number("10"));
        assert!(number("-1") < number("-0.5"));
        assert!(number("-1.5") < number("1"));
        assert!(number("0.1") > number("0.09"));
        assert!(number("123456789012345678901234567890") > number("123456789012345678901234567889"));
        assert_eq!(parse_number("ten"), None);
        assert_eq!(parse_number("1.2.3"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("."), None);
    }

    #[test]
    fn matches_networks() {
        let network = parse_cidr("203.0.113.0/24").unwrap();
        assert!(network.contains("203.0.113.7".parse().unwrap()));
        assert!(!network.contains("203.0.114.7".parse().unwrap()));
        let network = parse_cidr("2001:DB8:1234:5678::/64").unwrap();
        assert!(network.contains("2001:db8:1234:5678::1".parse().unwrap()));
        assert!(!network.contains("2001:db8:1234:5679::1".parse().unwrap()));
        assert!(parse_cidr("0.0.0.0/0").unwrap().contains("8.8.8.8".parse().unwrap()));
        assert_eq!(parse_cidr("10.0.0.0/33"), None);
    }
}
