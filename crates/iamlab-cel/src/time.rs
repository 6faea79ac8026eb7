//! Timestamps and durations: parsing, formatting, range checks and calendar fields.
//!
//! Calendar arithmetic is done here (proleptic Gregorian, Howard Hinnant's civil-date
//! algorithms); `chrono-tz` is only asked for the UTC offset of an IANA zone at an instant.

#[cfg(feature = "tzdb")]
use chrono::{Offset, TimeZone};

const NANOS_PER_SECOND: i128 = 1_000_000_000;
/// `0001-01-01T00:00:00Z`, the earliest timestamp CEL allows.
const MIN_TIMESTAMP_SECONDS: i128 = -62_135_596_800;
/// `9999-12-31T23:59:59Z`, the latest whole second CEL allows.
const MAX_TIMESTAMP_SECONDS: i128 = 253_402_300_799;
/// Durations are limited to ±(2^63 - 1) nanoseconds (about ±292 years), the range of cel-go's
/// durations, which the conformance suite follows (`timestamps/timestamp_range`).
const MAX_DURATION_NANOS: i128 = i64::MAX as i128;

/// An instant within CEL's range (years 1 to 9999): whole seconds since the Unix epoch and a
/// nanosecond fraction. Two machine words, so that a [`crate::Value`] stays small.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    seconds: i64,
    subsec_nanos: u32,
}

/// A signed span of time in nanoseconds, within ±(2^63 - 1) nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    nanos: i64,
}

impl Timestamp {
    /// `None` outside 0001-01-01T00:00:00Z ..= 9999-12-31T23:59:59.999999999Z.
    pub fn from_nanos(nanos: i128) -> Option<Timestamp> {
        let seconds = nanos.div_euclid(NANOS_PER_SECOND);
        if !(MIN_TIMESTAMP_SECONDS..=MAX_TIMESTAMP_SECONDS).contains(&seconds) {
            return None;
        }
        Some(Timestamp {
            seconds: i64::try_from(seconds).ok()?,
            subsec_nanos: u32::try_from(nanos.rem_euclid(NANOS_PER_SECOND)).ok()?,
        })
    }

    pub fn from_unix(seconds: i64, nanos: u32) -> Option<Timestamp> {
        Timestamp::from_nanos(i128::from(seconds) * NANOS_PER_SECOND + i128::from(nanos))
    }

    pub fn nanos(self) -> i128 {
        i128::from(self.seconds) * NANOS_PER_SECOND + i128::from(self.subsec_nanos)
    }

    /// Whole seconds since the epoch (rounded down).
    pub fn unix_seconds(self) -> i64 {
        self.seconds
    }

    pub fn subsec_nanos(self) -> u32 {
        self.subsec_nanos
    }

    pub fn checked_add(self, duration: Duration) -> Option<Timestamp> {
        Timestamp::from_nanos(self.nanos() + i128::from(duration.nanos))
    }

    pub fn checked_sub(self, duration: Duration) -> Option<Timestamp> {
        Timestamp::from_nanos(self.nanos() - i128::from(duration.nanos))
    }

    pub fn difference(self, other: Timestamp) -> Option<Duration> {
        Duration::from_nanos(self.nanos() - other.nanos())
    }
}

impl Duration {
    pub fn from_nanos(nanos: i128) -> Option<Duration> {
        if !(-MAX_DURATION_NANOS..=MAX_DURATION_NANOS).contains(&nanos) {
            return None;
        }
        Some(Duration { nanos: i64::try_from(nanos).ok()? })
    }

    pub fn from_seconds(seconds: i64) -> Option<Duration> {
        Duration::from_nanos(i128::from(seconds) * NANOS_PER_SECOND)
    }

    pub fn nanos(self) -> i128 {
        i128::from(self.nanos)
    }

    pub fn checked_add(self, other: Duration) -> Option<Duration> {
        Duration::from_nanos(self.nanos() + other.nanos())
    }

    pub fn checked_sub(self, other: Duration) -> Option<Duration> {
        Duration::from_nanos(self.nanos() - other.nanos())
    }

    pub fn negate(self) -> Option<Duration> {
        Duration::from_nanos(-self.nanos())
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// (year, month 1-12, day 1-31) of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = u32::try_from(day_of_year - (153 * month_index + 2) / 5 + 1).unwrap_or(1);
    let month = u32::try_from(if month_index < 10 { month_index + 3 } else { month_index - 9 }).unwrap_or(1);
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        _ => 28,
    }
}

/// Parses an RFC 3339 timestamp (`2024-01-01T00:00:00Z`, `2024-01-01T01:00:00.5+01:00`).
pub fn parse_timestamp(text: &str) -> Result<Timestamp, String> {
    let invalid = || format!("invalid timestamp '{text}'");
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        if part.bytes().all(|byte| byte.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let separator = |index: usize, expected: &[u8]| bytes.get(index).is_some_and(|byte| expected.contains(byte));
    if !(separator(4, b"-") && separator(7, b"-") && separator(10, b"Tt") && separator(13, b":") && separator(16, b":"))
    {
        return Err(invalid());
    }
    let year = number(0..4).ok_or_else(invalid)?;
    let month = u32::try_from(number(5..7).ok_or_else(invalid)?).map_err(|_| invalid())?;
    let day = u32::try_from(number(8..10).ok_or_else(invalid)?).map_err(|_| invalid())?;
    let hour = number(11..13).ok_or_else(invalid)?;
    let minute = number(14..16).ok_or_else(invalid)?;
    let second = number(17..19).ok_or_else(invalid)?;
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return Err(invalid());
    }
    let mut index = 19;
    let mut fraction_nanos: i128 = 0;
    if bytes.get(index) == Some(&b'.') {
        index += 1;
        let start = index;
        while bytes.get(index).is_some_and(u8::is_ascii_digit) {
            index += 1;
        }
        let digits = text.get(start..index).unwrap_or("");
        if digits.is_empty() || digits.len() > 9 {
            return Err(invalid());
        }
        let padded = format!("{digits:0<9}");
        fraction_nanos = padded.parse::<i128>().map_err(|_| invalid())?;
    }
    let offset_seconds: i64 = match bytes.get(index) {
        Some(b'Z' | b'z') if index + 1 == bytes.len() => 0,
        Some(sign @ (b'+' | b'-')) if index + 6 == bytes.len() && separator(index + 3, b":") => {
            let hours = number(index + 1..index + 3).ok_or_else(invalid)?;
            let minutes = number(index + 4..index + 6).ok_or_else(invalid)?;
            if hours > 23 || minutes > 59 {
                return Err(invalid());
            }
            let offset = hours * 3600 + minutes * 60;
            if *sign == b'-' {
                -offset
            } else {
                offset
            }
        }
        _ => return Err(invalid()),
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset_seconds;
    Timestamp::from_nanos(i128::from(seconds) * NANOS_PER_SECOND + fraction_nanos)
        .ok_or_else(|| format!("timestamp '{text}' is out of range (years 1 to 9999)"))
}

/// Parses a timestamp the way Exoscale's evaluator reads one: exoscale/cel-parser
/// `src/exoscale/cel/expr.clj` l.499–504 (`read-timestamp`) calls Clojure's
/// `clojure.instant/read-instant-timestamp` (clojure/clojure `src/clj/clojure/instant.clj`
/// l.50–157), whose grammar lets trailing components go (`2026`, `2026-11-22`,
/// `2026-11-22T10`, `2026-11-22T10:00Z`), makes the offset optional (absent: UTC), takes any
/// number of fraction digits (the first nine count), and knows only an upper-case `T` and `Z`.
/// A second `60` is accepted only at minute 59 and, the calendar being lenient, is the next
/// minute's first second. Dates are read in the proleptic Gregorian calendar (Java's
/// `GregorianCalendar` would read dates before 1582-10-15 as Julian: not followed, no IAM
/// policy names such a date).
pub(crate) fn parse_timestamp_clojure(text: &str) -> Result<Timestamp, String> {
    let invalid = || format!("invalid timestamp '{text}'");
    let bytes = text.as_bytes();
    // Exactly `count` ASCII digits at `index` (Java's `\d` is ASCII-only).
    let digits = |index: usize, count: usize| -> Option<i64> {
        let part = text.get(index..index + count)?;
        part.bytes().all(|byte| byte.is_ascii_digit()).then(|| part.parse().ok()).flatten()
    };
    let year = digits(0, 4).ok_or_else(invalid)?;
    // `-MM`, `-dd`, `Thh`, `:mm`, `:ss`, each only after the one before it: how many are there.
    let mut found = [0_i64; 5];
    let mut present = 0;
    for (position, separator) in [b'-', b'-', b'T', b':', b':'].into_iter().enumerate() {
        let at = 4 + 3 * position;
        match (bytes.get(at), digits(at + 1, 2), found.get_mut(position)) {
            (Some(byte), Some(value), Some(slot)) if *byte == separator => *slot = value,
            _ => break,
        }
        present += 1;
    }
    // Clojure matches the whole text with a regular expression, which backtracks: when what
    // follows the components is no offset, fewer components may leave one (`2026-11-05:00` is
    // 2026-11-01 at offset -05:00).
    let (used, fraction_nanos, offset_seconds) = (0..=present)
        .rev()
        .find_map(|used| {
            clojure_timestamp_tail(text, 4 + 3 * used, used == 5).map(|(fraction, offset)| (used, fraction, offset))
        })
        .ok_or_else(invalid)?;
    // Absent components default to January, the 1st, 00:00:00.
    let component = |position: usize, default: i64| {
        if position < used {
            found.get(position).copied().unwrap_or(default)
        } else {
            default
        }
    };
    let (month, day, hour, minute, second) =
        (component(0, 1), component(1, 1), component(2, 0), component(3, 0), component(4, 0));
    let month = u32::try_from(month).map_err(|_| invalid())?;
    let day = u32::try_from(day).map_err(|_| invalid())?;
    let leap_second_allowed = minute == 59;
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > if leap_second_allowed { 60 } else { 59 }
    {
        return Err(invalid());
    }
    // The lenient calendar carries second 60 into the next minute: adding it as a count of
    // seconds does just that.
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_seconds;
    Timestamp::from_nanos(i128::from(seconds) * NANOS_PER_SECOND + fraction_nanos)
        .ok_or_else(|| format!("timestamp '{text}' is out of range (years 1 to 9999)"))
}

/// The end of a timestamp in Clojure's grammar from byte `index`: a fraction (only after the
/// seconds) and an optional offset, up to the end of `text`; `None` when what is there is
/// neither. The fraction keeps its first nine digits.
fn clojure_timestamp_tail(text: &str, index: usize, after_seconds: bool) -> Option<(i128, i64)> {
    let bytes = text.as_bytes();
    let mut index = index;
    let mut fraction_nanos: i128 = 0;
    if after_seconds && bytes.get(index) == Some(&b'.') {
        let start = index + 1;
        let mut end = start;
        while bytes.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
        if end > start {
            let kept = text.get(start..end.min(start + 9))?;
            fraction_nanos = format!("{kept:0<9}").parse::<i128>().ok()?;
            index = end;
        }
    }
    let two_digits = |at: usize| -> Option<i64> {
        let part = text.get(at..at + 2)?;
        part.bytes().all(|byte| byte.is_ascii_digit()).then(|| part.parse().ok()).flatten()
    };
    let offset = match bytes.get(index) {
        None => 0,
        Some(b'Z') if index + 1 == bytes.len() => 0,
        Some(sign @ (b'+' | b'-')) if index + 6 == bytes.len() && bytes.get(index + 3) == Some(&b':') => {
            // Clojure checks the ranges after the match, so an out-of-range offset is an error,
            // not a reason to backtrack; refusing it here is the same, because the offset is
            // always the last six characters, which no other split reads as an offset.
            let (hours, minutes) = (two_digits(index + 1)?, two_digits(index + 4)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = hours * 3600 + minutes * 60;
            if *sign == b'-' {
                -offset
            } else {
                offset
            }
        }
        _ => return None,
    };
    Some((fraction_nanos, offset))
}

/// Java's three-letter time-zone IDs, which `java.util.TimeZone.getTimeZone` still accepts:
/// the JDK's `sun.util.calendar.ZoneInfoFile` `oldMappings` (the same table as
/// `java.time.ZoneId.SHORT_IDS`), with `EST`, `MST` and `HST` as the fixed offsets the JDK
/// gives them unless `sun.timezone.ids.oldmapping` is set.
const JAVA_SHORT_IDS: [(&str, &str); 28] = [
    ("ACT", "Australia/Darwin"),
    ("AET", "Australia/Sydney"),
    ("AGT", "America/Argentina/Buenos_Aires"),
    ("ART", "Africa/Cairo"),
    ("AST", "America/Anchorage"),
    ("BET", "America/Sao_Paulo"),
    ("BST", "Asia/Dhaka"),
    ("CAT", "Africa/Harare"),
    ("CNT", "America/St_Johns"),
    ("CST", "America/Chicago"),
    ("CTT", "Asia/Shanghai"),
    ("EAT", "Africa/Addis_Ababa"),
    ("ECT", "Europe/Paris"),
    ("EST", "-05:00"),
    ("HST", "-10:00"),
    ("IET", "America/Indiana/Indianapolis"),
    ("IST", "Asia/Kolkata"),
    ("JST", "Asia/Tokyo"),
    ("MIT", "Pacific/Apia"),
    ("MST", "-07:00"),
    ("NET", "Asia/Yerevan"),
    ("NST", "Pacific/Auckland"),
    ("PLT", "Asia/Karachi"),
    ("PNT", "America/Phoenix"),
    ("PRT", "America/Puerto_Rico"),
    ("PST", "America/Los_Angeles"),
    ("SST", "Pacific/Guadalcanal"),
    ("VST", "Asia/Ho_Chi_Minh"),
];

/// The UTC offset of `zone` at `timestamp` as Exoscale's evaluator finds it, and whether Java
/// knows the zone. exoscale/cel-parser's getters (`expr.clj` l.649–797) resolve the argument
/// with `java.util.TimeZone.getTimeZone(String)`, which takes a tz database ID (case-sensitive),
/// a three-letter ID ([`JAVA_SHORT_IDS`]) or a custom `GMT±h[h][[:]mm]` ID, and returns GMT
/// for anything else, so that an unknown zone is not an error there but offset 0. A bare
/// offset such as `+02:00`, which standard CEL accepts, is such an unknown ID.
pub(crate) fn java_zone_offset(timestamp: Timestamp, zone: &str) -> (i64, bool) {
    if let Some((_, target)) = JAVA_SHORT_IDS.iter().find(|(id, _)| *id == zone) {
        if target.starts_with('-') {
            return (zone_offset(timestamp, target).unwrap_or(0), true);
        }
        return (iana_zone_offset(target, timestamp.unix_seconds()).unwrap_or(0), true);
    }
    if let Some(offset) = java_custom_zone_offset(zone) {
        return (offset, true);
    }
    match iana_zone_offset(zone, timestamp.unix_seconds()) {
        Some(offset) => (offset, true),
        None => (0, false),
    }
}

/// `java.util.TimeZone.parseCustomTimeZone`: `GMT`, a sign, then `h`, `hh`, `hmm`, `hhmm` or
/// `h[h]:mm`, hours at most 23 and minutes at most 59.
fn java_custom_zone_offset(zone: &str) -> Option<i64> {
    let rest = zone.strip_prefix("GMT")?;
    let (sign, rest) = match rest.as_bytes().first()? {
        b'+' => (1, rest.get(1..)?),
        b'-' => (-1, rest.get(1..)?),
        _ => return None,
    };
    if rest.is_empty() {
        return None;
    }
    let (hours, minutes) = match rest.split_once(':') {
        Some((hours, minutes)) => {
            if hours.is_empty() || hours.len() > 2 || minutes.len() != 2 {
                return None;
            }
            (hours, minutes)
        }
        None if rest.len() <= 2 => (rest, "0"),
        None => rest.split_at(rest.len() - 2),
    };
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit());
    if !all_digits(hours) || !all_digits(minutes) {
        return None;
    }
    let hours: i64 = hours.parse().ok()?;
    let minutes: i64 = minutes.parse().ok()?;
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60))
}

/// Formats as RFC 3339 in UTC, with only the significant fractional digits.
pub fn format_timestamp(timestamp: Timestamp) -> String {
    let seconds = timestamp.unix_seconds();
    let nanos = timestamp.subsec_nanos();
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let mut text = format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    );
    text.push_str(&fraction(nanos));
    text.push('Z');
    text
}

/// `.5`, `.123`, `.000000001`: the fraction without trailing zeros, as Go's RFC 3339 and
/// duration formatting (and so cel-go's `string()`) write it.
fn fraction(nanos: u32) -> String {
    if nanos == 0 {
        return String::new();
    }
    let digits = format!("{nanos:09}");
    format!(".{}", digits.trim_end_matches('0'))
}

/// Formats as seconds with an optional fraction and an `s` (`"5400s"`, `"1.5s"`).
pub fn format_duration(duration: Duration) -> String {
    let nanos = duration.nanos();
    let sign = if nanos < 0 { "-" } else { "" };
    let magnitude = nanos.unsigned_abs();
    let seconds = magnitude / 1_000_000_000;
    let subsec = u32::try_from(magnitude % 1_000_000_000).unwrap_or(0);
    format!("{sign}{seconds}{}s", fraction(subsec))
}

/// Parses a Go-style duration: `"5400s"`, `"1h30m"`, `"-1.5h"`, `"300ms"`, `"0"`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let invalid = || format!("invalid duration '{text}'");
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..).unwrap_or("")),
        Some(b'+') => (false, text.get(1..).unwrap_or("")),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(Duration { nanos: 0 });
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: i128 = 0;
    while !rest.is_empty() {
        let number_length = rest.bytes().take_while(|byte| byte.is_ascii_digit() || *byte == b'.').count();
        let number = rest.get(..number_length).unwrap_or("");
        rest = rest.get(number_length..).unwrap_or("");
        let unit_length = rest.bytes().take_while(|byte| !byte.is_ascii_digit() && *byte != b'.').count();
        let unit = rest.get(..unit_length).unwrap_or("");
        rest = rest.get(unit_length..).unwrap_or("");
        let unit_nanos: i128 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => NANOS_PER_SECOND,
            "m" => 60 * NANOS_PER_SECOND,
            "h" => 3600 * NANOS_PER_SECOND,
            _ => return Err(invalid()),
        };
        let (whole, fractional) = number.split_once('.').unwrap_or((number, ""));
        if (whole.is_empty() && fractional.is_empty()) || fractional.contains('.') {
            return Err(invalid());
        }
        let whole_value: i128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| invalid())? };
        let mut part = whole_value.checked_mul(unit_nanos).ok_or_else(invalid)?;
        let mut scale = unit_nanos;
        for digit in fractional.bytes().take(30) {
            scale /= 10;
            part += i128::from(digit - b'0') * scale;
        }
        total = total.checked_add(part).ok_or_else(invalid)?;
        if total > MAX_DURATION_NANOS * 2 {
            return Err(format!("duration '{text}' is out of range"));
        }
    }
    Duration::from_nanos(if negative { -total } else { total })
        .ok_or_else(|| format!("duration '{text}' is out of range"))
}

/// The broken-down local time of a timestamp.
pub struct CivilTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub day_of_year: u32,
    /// 0 = Sunday.
    pub day_of_week: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub millisecond: u32,
}

/// The UTC offset in seconds of `zone` at `timestamp`. `zone` is an IANA name
/// (`Europe/Paris`), `UTC`, or a fixed offset (`+02:00`, `-09:30`, `02:00`).
pub fn zone_offset(timestamp: Timestamp, zone: &str) -> Result<i64, String> {
    match fixed_zone_offset(zone) {
        Some(offset) => offset,
        None => iana_zone_offset(zone, timestamp.unix_seconds()).ok_or_else(|| unknown_zone(zone)),
    }
}

fn unknown_zone(zone: &str) -> String {
    format!("unknown time zone '{zone}'")
}

/// [`zone_offset`] for the zones whose offset does not depend on the instant (`UTC` and fixed
/// offsets, or their error); `None` for a zone name, which the time-zone database resolves.
fn fixed_zone_offset(zone: &str) -> Option<Result<i64, String>> {
    let unknown = || unknown_zone(zone);
    if zone.eq_ignore_ascii_case("utc") || zone == "Z" {
        return Some(Ok(0));
    }
    let (sign, rest) = match zone.as_bytes().first() {
        Some(b'+') => (1, zone.get(1..).unwrap_or("")),
        Some(b'-') => (-1, zone.get(1..).unwrap_or("")),
        Some(b'0'..=b'9') => (1, zone),
        _ => return None,
    };
    let parsed = (|| {
        let (hours, minutes) = rest.split_once(':').ok_or_else(unknown)?;
        let hours: i64 = hours.parse().map_err(|_| unknown())?;
        let minutes: i64 = minutes.parse().map_err(|_| unknown())?;
        if hours > 23 || minutes > 59 {
            return Err(unknown());
        }
        Ok(sign * (hours * 3600 + minutes * 60))
    })();
    Some(parsed)
}

/// A literal zone argument resolved once, for compiled programs: [`PreparedZone::offset`] is
/// [`zone_offset`] without reading the name again.
#[derive(Debug, Clone)]
pub(crate) enum PreparedZone {
    Fixed(i64),
    #[cfg(feature = "tzdb")]
    Iana(chrono_tz::Tz, std::rc::Rc<str>),
    /// A zone resolved on every call (an error, or a name the host resolves).
    Named(std::rc::Rc<str>),
}

impl PreparedZone {
    pub(crate) fn new(zone: std::rc::Rc<str>) -> PreparedZone {
        match fixed_zone_offset(&zone) {
            Some(Ok(offset)) => PreparedZone::Fixed(offset),
            Some(Err(_)) => PreparedZone::Named(zone),
            #[cfg(feature = "tzdb")]
            None => match zone.parse::<chrono_tz::Tz>() {
                Ok(tz) => PreparedZone::Iana(tz, zone),
                Err(_) => PreparedZone::Named(zone),
            },
            #[cfg(not(feature = "tzdb"))]
            None => PreparedZone::Named(zone),
        }
    }

    pub(crate) fn offset(&self, timestamp: Timestamp) -> Result<i64, String> {
        match self {
            PreparedZone::Fixed(offset) => Ok(*offset),
            #[cfg(feature = "tzdb")]
            PreparedZone::Iana(tz, zone) => tz_offset(*tz, timestamp.unix_seconds()).ok_or_else(|| unknown_zone(zone)),
            PreparedZone::Named(zone) => zone_offset(timestamp, zone),
        }
    }
}

/// The offset of an IANA zone from the embedded database.
#[cfg(feature = "tzdb")]
fn iana_zone_offset(zone: &str, unix_seconds: i64) -> Option<i64> {
    tz_offset(zone.parse().ok()?, unix_seconds)
}

#[cfg(feature = "tzdb")]
fn tz_offset(tz: chrono_tz::Tz, unix_seconds: i64) -> Option<i64> {
    let utc = chrono::DateTime::from_timestamp(unix_seconds, 0)?.naive_utc();
    Some(i64::from(tz.offset_from_utc_datetime(&utc).fix().local_minus_utc()))
}

/// Without the embedded database, the host resolves zone names (the browser knows them all).
#[cfg(not(feature = "tzdb"))]
fn iana_zone_offset(zone: &str, unix_seconds: i64) -> Option<i64> {
    TIME_ZONE_RESOLVER.get().and_then(|resolve| resolve(zone, unix_seconds))
}

/// Resolves an IANA zone name at an instant (unix seconds) to its UTC offset in seconds, or
/// `None` for an unknown zone.
pub type TimeZoneResolver = fn(zone: &str, unix_seconds: i64) -> Option<i64>;

#[cfg(not(feature = "tzdb"))]
static TIME_ZONE_RESOLVER: std::sync::OnceLock<TimeZoneResolver> = std::sync::OnceLock::new();

/// Registers how IANA zone names are resolved when the crate is built without its `tzdb`
/// feature (the web build, where the browser's `Intl` API knows every zone and the embedded
/// database would cost most of the bundle). This is a capability of the host platform, set once
/// at start-up, not a dialect: dialects stay values passed to `parse` and `evaluate`. Returns
/// `false` if a resolver was already registered. With `tzdb`, the embedded database is used and
/// this does nothing.
pub fn set_time_zone_resolver(resolver: TimeZoneResolver) -> bool {
    #[cfg(not(feature = "tzdb"))]
    {
        TIME_ZONE_RESOLVER.set(resolver).is_ok()
    }
    #[cfg(feature = "tzdb")]
    {
        let _ = resolver;
        false
    }
}

/// The local day (days since 1970-01-01) and second of that day of `timestamp` at a UTC offset
/// of `offset_seconds`: enough for the time-of-day and weekday getters, without calendar
/// arithmetic.
pub fn local_day_and_second(timestamp: Timestamp, offset_seconds: i64) -> (i64, i64) {
    let seconds = timestamp.unix_seconds() + offset_seconds;
    (seconds.div_euclid(86_400), seconds.rem_euclid(86_400))
}

/// The calendar fields of `timestamp` at a UTC offset of `offset_seconds`.
pub fn civil_time(timestamp: Timestamp, offset_seconds: i64) -> CivilTime {
    let (days, second_of_day) = local_day_and_second(timestamp, offset_seconds);
    let (year, month, day) = civil_from_days(days);
    let day_of_year = u32::try_from(days - days_from_civil(year, 1, 1)).unwrap_or(0);
    // 1970-01-01 was a Thursday (4).
    let day_of_week = u32::try_from((days + 4).rem_euclid(7)).unwrap_or(0);
    CivilTime {
        year,
        month,
        day,
        day_of_year,
        day_of_week,
        hour: u32::try_from(second_of_day / 3600).unwrap_or(0),
        minute: u32::try_from(second_of_day / 60 % 60).unwrap_or(0),
        second: u32::try_from(second_of_day % 60).unwrap_or(0),
        millisecond: timestamp.subsec_nanos() / 1_000_000,
    }
}
