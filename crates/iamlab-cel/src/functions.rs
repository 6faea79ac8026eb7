//! The standard functions of cel-spec and the dialects' extensions.

use crate::time::{
    civil_time, format_duration, format_timestamp, java_zone_offset, local_day_and_second, parse_duration,
    parse_timestamp, parse_timestamp_clojure, zone_offset, Duration, Timestamp,
};
use crate::value::Value;
use crate::Dialect;
use std::cell::RefCell;
use std::collections::HashMap;
use std::net::IpAddr;
use std::rc::Rc;

fn no_overload(function: &str, target: Option<&Value>, args: &[Value]) -> String {
    let arguments: Vec<&str> = args.iter().map(Value::type_name).collect();
    match target {
        Some(target) => format!("no such overload: {}.{function}({})", target.type_name(), arguments.join(", ")),
        None => format!("no such overload: {function}({})", arguments.join(", ")),
    }
}

/// Calls `function` with an optional receiver.
pub(crate) fn call(function: &str, target: Option<&Value>, args: &[Value], dialect: Dialect) -> Result<Value, String> {
    // Receiver-style calls of global functions (`x.size()`) behave as `size(x)` where cel-spec
    // defines both forms.
    match (function, target, args) {
        // exoscale/cel-parser `expr.clj` l.170 counts a string with Clojure's `count`, i.e.
        // Java's `String.length()`: UTF-16 code units (`size('😀')` is 2 there).
        ("size", None, [Value::String(text)]) | ("size", Some(Value::String(text)), [])
            if dialect == Dialect::Exoscale =>
        {
            Ok(Value::Int(i64::try_from(text.encode_utf16().count()).unwrap_or(i64::MAX)))
        }
        ("size", None, [value]) | ("size", Some(value), []) => size(value),
        ("contains", Some(Value::String(text)), [Value::String(part)]) => Ok(Value::Bool(text.contains(&**part))),
        ("startsWith", Some(Value::String(text)), [Value::String(part)]) => Ok(Value::Bool(text.starts_with(&**part))),
        ("endsWith", Some(Value::String(text)), [Value::String(part)]) => Ok(Value::Bool(text.ends_with(&**part))),
        ("matches", Some(Value::String(text)), [Value::String(pattern)])
        | ("matches", None, [Value::String(text), Value::String(pattern)]) => {
            matches(text, pattern, dialect == Dialect::Exoscale).map(Value::Bool)
        }
        ("int", None, [value]) => to_int(value),
        ("uint", None, [value]) => to_uint(value, dialect),
        ("double", None, [value]) => to_double(value),
        ("string", None, [value]) => to_string(value),
        ("bool", None, [value]) if dialect == Dialect::Exoscale => java_parse_boolean(value),
        ("bool", None, [value]) => to_bool(value),
        ("bytes", None, [value]) => to_bytes(value),
        // exoscale/cel-parser `expr.clj` l.499–504: `clojure.instant/read-instant-timestamp`.
        ("timestamp", None, [Value::String(text)]) if dialect == Dialect::Exoscale => {
            parse_timestamp_clojure(text).map(Value::Timestamp)
        }
        ("timestamp", None, [value]) => to_timestamp(value),
        ("duration", None, [value]) => to_duration(value),
        ("type", None, [value]) => Ok(Value::Type(value.type_name())),
        ("dyn", None, [value]) => Ok(value.clone()),
        ("has", Some(Value::Map(map)), [Value::String(key)]) if dialect == Dialect::Exoscale => {
            Ok(Value::Bool(map.get_str(key).is_some()))
        }
        ("inIpRange", Some(Value::String(ip)), [Value::String(range)]) if dialect != Dialect::Standard => {
            in_ip_range(ip, range).map(Value::Bool)
        }
        ("inIpRange", None, [Value::String(ip), Value::String(range)]) if dialect == Dialect::Scaleway => {
            in_ip_range(ip, range).map(Value::Bool)
        }
        (getter, Some(Value::Timestamp(timestamp)), zone_args) if getter.starts_with("get") => {
            let zone = match zone_args {
                [] => None,
                [Value::String(zone)] => Some(&**zone),
                _ => return Err(no_overload(function, target, args)),
            };
            timestamp_getter(getter, *timestamp, zone, dialect).ok_or_else(|| no_overload(function, target, args))?
        }
        // exoscale/cel-parser `expr.clj` l.763–770: `getMilliseconds` of a duration is
        // `Duration.toSeconds`, the whole seconds, not the millisecond component.
        ("getMilliseconds", Some(Value::Duration(duration)), []) if dialect == Dialect::Exoscale => {
            Ok(Value::Int(i64::try_from(duration.nanos() / 1_000_000_000).unwrap_or(0)))
        }
        (getter, Some(Value::Duration(duration)), []) if getter.starts_with("get") => {
            duration_getter(getter, *duration).ok_or_else(|| no_overload(function, target, args))
        }
        _ => Err(no_overload(function, target, args)),
    }
}

fn size(value: &Value) -> Result<Value, String> {
    let length = match value {
        Value::String(text) => text.chars().count(),
        Value::Bytes(bytes) => bytes.len(),
        Value::List(items) => items.len(),
        Value::Map(map) => map.len(),
        other => return Err(format!("no such overload: size({})", other.type_name())),
    };
    Ok(Value::Int(i64::try_from(length).unwrap_or(i64::MAX)))
}

thread_local! {
    /// Compiled patterns, so that a policy evaluated on every keystroke compiles each pattern once.
    static REGEX_CACHE: RefCell<HashMap<(Rc<str>, bool), regex_lite::Regex>> = RefCell::new(HashMap::new());
}

/// RE2 semantics through the `regex-lite` crate (linear time; Perl classes `\d`, `\w`, `\s`
/// are ASCII-only as in RE2, and Unicode property classes such as `\p{L}` are refused).
/// Standard CEL `matches` is a search (the pattern may match any substring). Exoscale's
/// (`full_match`) is exoscale/cel-parser's `s-matches` (`expr.clj` l.529): Clojure's
/// `re-matches`, i.e. Java's `Matcher.matches()`, a full match. Java's `\d`, `\w` and `\s` are
/// ASCII-only too; Java-only syntax (backreferences, lookaround) does not compile here, and the
/// checker's dialect notes report it.
fn matches(text: &str, pattern: &Rc<str>, full_match: bool) -> Result<bool, String> {
    let key = (pattern.clone(), full_match);
    let cached = REGEX_CACHE.with(|cache| cache.borrow().get(&key).map(|regex| regex.is_match(text)));
    if let Some(result) = cached {
        return Ok(result);
    }
    let regex = compile_regex(pattern, full_match)?;
    let result = regex.is_match(text);
    REGEX_CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() >= 256 {
            cache.clear();
        }
        cache.insert(key, regex);
    });
    Ok(result)
}

/// Whether `part` occurs in `text`, as `str::contains`. A policy's needle is short
/// (`'terraform/'`): each window's last byte is looked up in a 64-bit set of the needle's bytes
/// (by their low six bits), a byte outside it moving the window past that byte, as the two-way
/// searcher that `str::contains` builds on every call does, without its set-up, which costs
/// more than the search in the size-optimised wasm. A longer needle, for which the scan could
/// be quadratic, takes `str::contains`. Comparing bytes is comparing characters: a UTF-8
/// needle can only match at the start of a character.
pub(crate) fn contains_text(text: &str, part: &str) -> bool {
    const SHORT: usize = 16;
    let (bytes, needle) = (text.as_bytes(), part.as_bytes());
    let Some(&last) = needle.last() else { return true };
    if needle.len() > SHORT {
        return text.contains(part);
    }
    let set = needle.iter().fold(0u64, |set, byte| set | 1 << (byte & 63));
    let width = needle.len();
    let mut start = 0;
    while let Some(&end) = bytes.get(start + width - 1) {
        if (set >> (end & 63)) & 1 == 0 {
            start += width;
            continue;
        }
        if end == last && bytes.get(start..start + width) == Some(needle) {
            return true;
        }
        start += 1;
    }
    false
}

/// A constant `contains` needle prepared at compile time for Horspool's search: for each byte,
/// how far the window may move when that byte ends it (the distance from the byte's last
/// occurrence before the needle's end, or the needle's length). On a user agent, whose letters
/// are mostly the needle's own, this moves several bytes at a time where [`contains_text`]
/// moves one.
#[derive(Debug, Clone)]
pub(crate) struct Needle {
    part: Rc<str>,
    shifts: Box<[u8; 256]>,
}

impl Needle {
    /// The longest needle searched this way (the shifts are bytes); a longer one takes
    /// `str::contains`.
    const LONGEST: usize = 255;

    pub(crate) fn new(part: Rc<str>) -> Needle {
        let bytes = part.as_bytes();
        let width = u8::try_from(bytes.len()).unwrap_or(u8::MAX);
        let mut shifts = Box::new([width; 256]);
        for (index, byte) in bytes.iter().enumerate().take(bytes.len().saturating_sub(1)) {
            if let Some(shift) = shifts.get_mut(usize::from(*byte)) {
                *shift = u8::try_from(bytes.len() - 1 - index).unwrap_or(u8::MAX);
            }
        }
        Needle { part, shifts }
    }

    /// Whether the needle occurs in `text`, as `str::contains`.
    pub(crate) fn is_in(&self, text: &str) -> bool {
        let (bytes, needle) = (text.as_bytes(), self.part.as_bytes());
        let Some(&last) = needle.last() else { return true };
        if needle.len() > Needle::LONGEST {
            return text.contains(&*self.part);
        }
        let width = needle.len();
        let mut start = 0;
        while let Some(&end) = bytes.get(start + width - 1) {
            if end == last && bytes.get(start..start + width) == Some(needle) {
                return true;
            }
            start += usize::from(self.shifts.get(usize::from(end)).copied().unwrap_or(1));
        }
        false
    }
}

/// The source `matches` compiles for `pattern`: the pattern itself for a search, wrapped for
/// Exoscale's full match.
pub(crate) fn regex_source(pattern: &str, full_match: bool) -> String {
    if full_match {
        format!("^(?:{pattern})$")
    } else {
        pattern.to_owned()
    }
}

/// Compiles `pattern` as `matches` reads it (a search, or a full match for Exoscale).
pub(crate) fn compile_regex(pattern: &str, full_match: bool) -> Result<regex_lite::Regex, String> {
    regex_lite::RegexBuilder::new(&regex_source(pattern, full_match))
        .size_limit(1 << 20)
        .build()
        .map_err(|failure| format!("invalid regular expression: {}", first_line(&failure.to_string())))
}

fn first_line(text: &str) -> String {
    text.lines().rev().find(|line| !line.trim().is_empty()).unwrap_or(text).trim().to_owned()
}

/// Whether `ip` lies in the CIDR block `range` (`10.0.0.0/8`, `2001:db8::/32`, or a single
/// address). Addresses of different families never match.
pub(crate) fn in_ip_range(ip: &str, range: &str) -> Result<bool, String> {
    let address = parse_ip_address(ip)?;
    Ok(IpRange::parse(range)?.contains(address))
}

/// The address argument of `inIpRange`, surrounding spaces allowed.
pub(crate) fn parse_ip_address(ip: &str) -> Result<IpAddr, String> {
    // An address without surrounding white space, the usual case, is not scanned for it.
    let bare = |byte: Option<&u8>| byte.is_some_and(|byte| byte.is_ascii_alphanumeric() || *byte == b':');
    let bytes = ip.as_bytes();
    let trimmed = if bare(bytes.first()) && bare(bytes.last()) { ip } else { ip.trim() };
    // Most addresses are plain dotted quads: read those directly, and leave every other
    // spelling (IPv6, anything unusual) to the standard parser, which accepts a superset of
    // what `dotted_quad` does and reads it the same way.
    if let Some(address) = dotted_quad(trimmed) {
        return Ok(IpAddr::V4(address));
    }
    if let Some(address) = plain_ipv6(trimmed) {
        return Ok(IpAddr::V6(address));
    }
    trimmed.parse().map_err(|_| format!("invalid IP address '{ip}'"))
}

/// Four decimal octets without leading zeros (`203.0.113.9`), or `None`.
fn dotted_quad(text: &str) -> Option<std::net::Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut bytes = text.bytes().peekable();
    for (index, octet) in octets.iter_mut().enumerate() {
        if index > 0 && bytes.next() != Some(b'.') {
            return None;
        }
        let mut value = 0u32;
        let mut digits = 0;
        while let Some(digit) = bytes.peek().copied().filter(u8::is_ascii_digit) {
            if digits == 1 && value == 0 {
                return None;
            }
            value = value * 10 + u32::from(digit - b'0');
            digits += 1;
            bytes.next();
            if digits > 3 {
                return None;
            }
        }
        if digits == 0 {
            return None;
        }
        *octet = u8::try_from(value).ok()?;
    }
    if bytes.next().is_some() {
        return None;
    }
    Some(std::net::Ipv4Addr::from(octets))
}

/// An IPv6 address of hexadecimal groups only (`2a04:c46:0:1::10`), or `None` for anything
/// else (an embedded IPv4 part, a zone, a syntax error), which the standard parser then reads.
/// What it accepts, the standard parser reads as the same address: eight groups of one to
/// four digits, or fewer around one `::` that stands for at least one zero group.
fn plain_ipv6(text: &str) -> Option<std::net::Ipv6Addr> {
    let mut head = [0u16; 8];
    let mut tail = [0u16; 8];
    let (mut head_len, mut tail_len) = (0usize, 0usize);
    let mut compressed = false;
    let mut bytes = text.bytes().peekable();
    if text.starts_with("::") {
        compressed = true;
        bytes.next();
        bytes.next();
        if bytes.peek().is_none() {
            return Some(std::net::Ipv6Addr::UNSPECIFIED);
        }
    }
    loop {
        let mut value = 0u16;
        let mut digits = 0;
        while let Some(digit) = bytes.peek().and_then(|byte| char::from(*byte).to_digit(16)) {
            digits += 1;
            if digits > 4 {
                return None;
            }
            value = value * 16 + u16::try_from(digit).ok()?;
            bytes.next();
        }
        if digits == 0 {
            return None;
        }
        let (groups, length) = if compressed { (&mut tail, &mut tail_len) } else { (&mut head, &mut head_len) };
        *groups.get_mut(*length)? = value;
        *length += 1;
        match bytes.next() {
            None => break,
            Some(b':') => {}
            Some(_) => return None,
        }
        if bytes.peek() == Some(&b':') {
            if compressed {
                return None;
            }
            compressed = true;
            bytes.next();
            if bytes.peek().is_none() {
                break;
            }
        }
    }
    let total = head_len + tail_len;
    if (compressed && total > 7) || (!compressed && total != 8) {
        return None;
    }
    let mut groups = head;
    for (index, group) in tail.iter().take(tail_len).enumerate() {
        *groups.get_mut(8 - tail_len + index)? = *group;
    }
    Some(std::net::Ipv6Addr::from(groups))
}

/// A parsed CIDR block (or single address), so that a literal range is read once.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IpRange {
    network: IpAddr,
    prefix: u32,
}

impl IpRange {
    pub(crate) fn parse(range: &str) -> Result<IpRange, String> {
        let (network, prefix) = match range.split_once('/') {
            Some((network, prefix)) => (network, Some(prefix)),
            None => (range, None),
        };
        let network: IpAddr = network.trim().parse().map_err(|_| format!("invalid IP range '{range}'"))?;
        let bits: u32 = match network {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        };
        let prefix: u32 = match prefix {
            Some(prefix) => prefix
                .trim()
                .parse()
                .ok()
                .filter(|prefix| *prefix <= bits)
                .ok_or_else(|| format!("invalid IP range '{range}'"))?,
            None => bits,
        };
        Ok(IpRange { network, prefix })
    }

    pub(crate) fn contains(self, address: IpAddr) -> bool {
        let (bits, address, network) = match (address, self.network) {
            (IpAddr::V4(address), IpAddr::V4(network)) => {
                (32, u128::from(u32::from(address)), u128::from(u32::from(network)))
            }
            (IpAddr::V6(address), IpAddr::V6(network)) => (128, u128::from(address), u128::from(network)),
            (IpAddr::V6(address), IpAddr::V4(network)) => match address.to_ipv4_mapped() {
                Some(mapped) => (32, u128::from(u32::from(mapped)), u128::from(u32::from(network))),
                None => return false,
            },
            (IpAddr::V4(_), IpAddr::V6(_)) => return false,
        };
        if self.prefix == 0 {
            return true;
        }
        let shift = bits - self.prefix;
        address >> shift == network >> shift
    }
}

fn to_int(value: &Value) -> Result<Value, String> {
    match value {
        Value::Int(value) => Ok(Value::Int(*value)),
        Value::Uint(value) => i64::try_from(*value).map(Value::Int).map_err(|_| "int overflow".to_owned()),
        Value::Double(value) => {
            // Doubles at or beyond ±2^63 (or NaN) have no int.
            if value.is_nan() || *value >= 9_223_372_036_854_775_808.0 || *value <= -9_223_372_036_854_775_808.0 {
                Err("int overflow".to_owned())
            } else {
                Ok(Value::Int(value.trunc() as i64))
            }
        }
        Value::String(text) => {
            text.parse::<i64>().map(Value::Int).map_err(|_| format!("cannot convert '{text}' to int"))
        }
        Value::Timestamp(timestamp) => Ok(Value::Int(timestamp.unix_seconds())),
        Value::Bool(value) => Ok(Value::Int(i64::from(*value))),
        other => Err(format!("no such overload: int({})", other.type_name())),
    }
}

fn to_uint(value: &Value, dialect: Dialect) -> Result<Value, String> {
    match value {
        Value::Uint(value) => Ok(Value::Uint(*value)),
        Value::Int(value) => u64::try_from(*value).map(Value::Uint).map_err(|_| "uint overflow".to_owned()),
        Value::Double(value) => {
            // cel-go (`doubleToUint64Checked`) and cel-cpp reject every double below 0, so
            // `uint(-0.25)` is a range error although it truncates to 0. Exoscale's evaluator
            // truncates first (exoscale/cel-parser `expr.clj` l.548–553, `to-uint` through
            // Clojure's `long`) and only rejects a negative result: -0.25 gives 0 there.
            let negative = if dialect == Dialect::Exoscale { value.trunc() < 0.0 } else { *value < 0.0 };
            if value.is_nan() || negative || *value >= 1.8446744073709552e19 {
                Err("uint overflow".to_owned())
            } else {
                Ok(Value::Uint(value.trunc() as u64))
            }
        }
        Value::String(text) => {
            text.parse::<u64>().map(Value::Uint).map_err(|_| format!("cannot convert '{text}' to uint"))
        }
        Value::Bool(value) => Ok(Value::Uint(u64::from(*value))),
        other => Err(format!("no such overload: uint({})", other.type_name())),
    }
}

fn to_double(value: &Value) -> Result<Value, String> {
    match value {
        Value::Double(value) => Ok(Value::Double(*value)),
        Value::Int(value) => Ok(Value::Double(*value as f64)),
        Value::Uint(value) => Ok(Value::Double(*value as f64)),
        Value::String(text) => {
            text.parse::<f64>().map(Value::Double).map_err(|_| format!("cannot convert '{text}' to double"))
        }
        other => Err(format!("no such overload: double({})", other.type_name())),
    }
}

/// Formats a double as Go's `strconv.FormatFloat(d, 'g', -1, 64)` does (cel-go's
/// `string(double)`; cel-cpp agrees except for NaN and infinities, which it writes `nan`, `inf`):
/// the shortest digits that round-trip, in exponent form when the decimal exponent is below -4
/// or at least 6 — Go's rule for the shortest precision — with a signed exponent of at least two
/// digits (`1e+06`, `1.234567e+06`, `1e-05`). Found by the differential run against cel-cpp
/// (`cargo xtask cel-differential`): iamlab wrote `1000000` and `1e-5`.
fn format_double_for_string(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "+Inf" } else { "-Inf" }.to_owned();
    }
    // Rust's `{:e}` gives the shortest round-trip digits and the exact decimal exponent.
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((scientific.as_str(), "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if value == 0.0 || (-4..6).contains(&exponent) {
        // Rust's `Display` writes those digits in positional form (`123456`, `0.0001`, `-0`).
        return format!("{value}");
    }
    let sign = if exponent < 0 { '-' } else { '+' };
    format!("{mantissa}e{sign}{:02}", exponent.unsigned_abs())
}

fn to_string(value: &Value) -> Result<Value, String> {
    let text = match value {
        Value::String(text) => return Ok(Value::String(text.clone())),
        Value::Int(value) => value.to_string(),
        Value::Uint(value) => value.to_string(),
        Value::Double(value) => format_double_for_string(*value),
        Value::Bool(value) => value.to_string(),
        Value::Bytes(bytes) => std::str::from_utf8(bytes)
            .map_err(|_| "invalid UTF-8 in bytes, cannot convert to string".to_owned())?
            .to_owned(),
        Value::Timestamp(timestamp) => format_timestamp(*timestamp),
        Value::Duration(duration) => format_duration(*duration),
        Value::Type(name) => (*name).to_owned(),
        other => return Err(format!("no such overload: string({})", other.type_name())),
    };
    Ok(Value::String(Rc::from(text)))
}

fn to_bool(value: &Value) -> Result<Value, String> {
    match value {
        Value::Bool(value) => Ok(Value::Bool(*value)),
        Value::String(text) => match &**text {
            "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok(Value::Bool(true)),
            "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok(Value::Bool(false)),
            _ => Err(format!("cannot convert '{text}' to bool")),
        },
        other => Err(format!("no such overload: bool({})", other.type_name())),
    }
}

/// Exoscale's `bool()`: exoscale/cel-parser has one overload, on strings (`expr.clj` l.866),
/// which is Java's `Boolean.parseBoolean` (l.577–581): `"true"` in any case is true, every other
/// string is false, never an error; `bool(true)` has no overload there.
fn java_parse_boolean(value: &Value) -> Result<Value, String> {
    match value {
        Value::String(text) => Ok(Value::Bool(text.eq_ignore_ascii_case("true"))),
        other => Err(format!("no such overload: bool({})", other.type_name())),
    }
}

fn to_bytes(value: &Value) -> Result<Value, String> {
    match value {
        Value::Bytes(bytes) => Ok(Value::Bytes(bytes.clone())),
        Value::String(text) => Ok(Value::Bytes(Rc::from(text.as_bytes()))),
        other => Err(format!("no such overload: bytes({})", other.type_name())),
    }
}

fn to_timestamp(value: &Value) -> Result<Value, String> {
    match value {
        Value::Timestamp(timestamp) => Ok(Value::Timestamp(*timestamp)),
        Value::String(text) => parse_timestamp(text).map(Value::Timestamp),
        Value::Int(seconds) => {
            Timestamp::from_unix(*seconds, 0).map(Value::Timestamp).ok_or_else(|| "timestamp out of range".to_owned())
        }
        other => Err(format!("no such overload: timestamp({})", other.type_name())),
    }
}

fn to_duration(value: &Value) -> Result<Value, String> {
    match value {
        Value::Duration(duration) => Ok(Value::Duration(*duration)),
        Value::String(text) => parse_duration(text).map(Value::Duration),
        Value::Int(seconds) => {
            Duration::from_seconds(*seconds).map(Value::Duration).ok_or_else(|| "duration out of range".to_owned())
        }
        other => Err(format!("no such overload: duration({})", other.type_name())),
    }
}

/// The getters of a timestamp, `getFullYear()` to `getMilliseconds()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Getter {
    FullYear,
    Month,
    DayOfYear,
    DayOfMonth,
    Date,
    DayOfWeek,
    Hours,
    Minutes,
    Seconds,
    Milliseconds,
}

impl Getter {
    pub(crate) fn from_name(name: &str) -> Option<Getter> {
        Some(match name {
            "getFullYear" => Getter::FullYear,
            "getMonth" => Getter::Month,
            "getDayOfYear" => Getter::DayOfYear,
            "getDayOfMonth" => Getter::DayOfMonth,
            "getDate" => Getter::Date,
            "getDayOfWeek" => Getter::DayOfWeek,
            "getHours" => Getter::Hours,
            "getMinutes" => Getter::Minutes,
            "getSeconds" => Getter::Seconds,
            "getMilliseconds" => Getter::Milliseconds,
            _ => return None,
        })
    }

    /// The getter's value for `timestamp` at a UTC offset of `offset` seconds.
    pub(crate) fn value(self, timestamp: Timestamp, offset: i64) -> Value {
        // The time-of-day and weekday getters need no calendar arithmetic.
        if matches!(self, Getter::Hours | Getter::Minutes | Getter::Seconds | Getter::DayOfWeek) {
            let (day, second) = local_day_and_second(timestamp, offset);
            let value = match self {
                Getter::Hours => second / 3600,
                Getter::Minutes => second / 60 % 60,
                Getter::Seconds => second % 60,
                // 1970-01-01 was a Thursday (4); Sunday is 0.
                _ => (day + 4).rem_euclid(7),
            };
            return Value::Int(value);
        }
        let civil = civil_time(timestamp, offset);
        Value::Int(match self {
            Getter::FullYear => civil.year,
            Getter::Month => i64::from(civil.month) - 1,
            Getter::DayOfYear => i64::from(civil.day_of_year),
            Getter::DayOfMonth => i64::from(civil.day) - 1,
            Getter::Date => i64::from(civil.day),
            Getter::DayOfWeek => i64::from(civil.day_of_week),
            Getter::Hours => i64::from(civil.hour),
            Getter::Minutes => i64::from(civil.minute),
            Getter::Seconds => i64::from(civil.second),
            Getter::Milliseconds => i64::from(civil.millisecond),
        })
    }
}

/// The UTC offset a getter's zone argument gives at `timestamp`: UTC without one; in the
/// Exoscale dialect the zone is resolved as Java resolves it and an unknown one is GMT
/// ([`java_zone_offset`]); elsewhere an unknown zone is an error.
pub(crate) fn getter_offset(timestamp: Timestamp, zone: Option<&str>, dialect: Dialect) -> Result<i64, String> {
    match zone {
        None => Ok(0),
        Some(zone) if dialect == Dialect::Exoscale => Ok(java_zone_offset(timestamp, zone).0),
        Some(zone) => zone_offset(timestamp, zone),
    }
}

/// `None` when the getter does not exist; `Some(Err)` for an unknown time zone (see
/// [`getter_offset`]).
fn timestamp_getter(
    getter: &str,
    timestamp: Timestamp,
    zone: Option<&str>,
    dialect: Dialect,
) -> Option<Result<Value, String>> {
    let getter = Getter::from_name(getter)?;
    Some(getter_offset(timestamp, zone, dialect).map(|offset| getter.value(timestamp, offset)))
}

fn duration_getter(getter: &str, duration: Duration) -> Option<Value> {
    let nanos = duration.nanos();
    let value = match getter {
        "getHours" => nanos / 3_600_000_000_000,
        "getMinutes" => nanos / 60_000_000_000,
        "getSeconds" => nanos / 1_000_000_000,
        // The millisecond component, not the total (cel-spec conformance `get_milliseconds`).
        "getMilliseconds" => nanos % 1_000_000_000 / 1_000_000,
        _ => return None,
    };
    Some(Value::Int(i64::try_from(value).unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::{dotted_quad, parse_ip_address, plain_ipv6};
    use std::net::IpAddr;

    /// The fast address readers accept only what the standard parser accepts, as the same
    /// address; everything else falls through to it.
    #[test]
    fn fast_address_parsers_agree_with_the_standard_parser() {
        let mut cases: Vec<String> = [
            "203.0.113.9",
            "0.0.0.0",
            "255.255.255.255",
            "256.1.1.1",
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "1..3.4",
            "1.2.3.4 ",
            " 1.2.3.4",
            "::",
            "::1",
            "1::",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7::8",
            "1:2:3:4:5:6:7:8:9",
            "1::2::3",
            ":1",
            "1:",
            ":::",
            "1:::2",
            "2a04:c46:0:1::10",
            "2A04:C46::",
            "12345::",
            "0000:0000::ffff",
            "::ffff:1.2.3.4",
            "fe80::1%eth0",
            "1:2:3:4:5:6:7",
            "::1:2:3:4:5:6:7",
            "::1:2:3:4:5:6:7:8",
            "g::1",
            "",
            "1",
            "abcd",
            "::0:",
            "1:2:3:4:5:6::",
            "1:2:3:4:5:6:7::",
        ]
        .iter()
        .map(|case| (*case).to_owned())
        .collect();
        // Every string of up to four characters over an alphabet that exercises the grammar.
        let alphabet = ['1', 'f', ':', '.', '0'];
        let mut frontier = vec![String::new()];
        for _ in 0..4 {
            frontier =
                frontier.iter().flat_map(|prefix| alphabet.iter().map(move |c| format!("{prefix}{c}"))).collect();
            cases.extend(frontier.iter().cloned());
        }
        for case in &cases {
            let standard: Option<IpAddr> = case.parse().ok();
            if let Some(address) = dotted_quad(case) {
                assert_eq!(Some(IpAddr::V4(address)), standard, "{case:?}");
            }
            if let Some(address) = plain_ipv6(case) {
                assert_eq!(Some(IpAddr::V6(address)), standard, "{case:?}");
            }
            assert_eq!(parse_ip_address(case).ok(), case.trim().parse().ok(), "{case:?}");
        }
    }
}
