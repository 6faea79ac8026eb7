//! IANA time zones from the browser: the web build leaves chrono-tz's database out of the wasm
//! (it would be most of the bundle) and lets `Intl.DateTimeFormat`, which knows every zone,
//! answer CEL's `getHours("Europe/Paris")` and friends.

use js_sys::{Array, Date, Function, Object, Reflect};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

pub fn register_browser_time_zones() {
    iamlab_cel::set_time_zone_resolver(browser_zone_offset);
}

/// The UTC offset in seconds of `zone` at `unix_seconds`, read from the `GMT+02:00` that
/// `Intl.DateTimeFormat` prints with `timeZoneName: "longOffset"`. Every JS call goes through
/// `Reflect`, which returns the exceptions (a `RangeError` for an unknown zone) as `Err`.
fn browser_zone_offset(zone: &str, unix_seconds: i64) -> Option<i64> {
    // Building an `Intl.DateTimeFormat` costs about 0.1 ms (it loads the zone's rules), about
    // a hundred times its `formatToParts`: each zone's formatter is built once per page.
    let cached = FORMATS.with(|formats| {
        formats
            .borrow()
            .iter()
            .find(|(name, _, _)| name == zone)
            .map(|(_, format, parts)| (format.clone(), parts.clone()))
    });
    let (format, format_to_parts) = match cached {
        Some(found) => found,
        None => {
            let built = zone_format(zone)?;
            FORMATS.with(|formats| formats.borrow_mut().push((zone.to_owned(), built.0.clone(), built.1.clone())));
            built
        }
    };
    let date = Date::new(&JsValue::from_f64(unix_seconds as f64 * 1000.0));
    let parts: Array = format_to_parts.call1(&format, &date).ok()?.dyn_into().ok()?;
    let name = parts.iter().find_map(|part| {
        let kind = Reflect::get(&part, &JsValue::from_str("type")).ok()?.as_string()?;
        if kind == "timeZoneName" {
            Reflect::get(&part, &JsValue::from_str("value")).ok()?.as_string()
        } else {
            None
        }
    })?;
    parse_gmt_offset(&name)
}

thread_local! {
    /// The formatters built so far: zone name, `Intl.DateTimeFormat`, its `formatToParts`.
    static FORMATS: RefCell<Vec<(String, JsValue, Function)>> = const { RefCell::new(Vec::new()) };
}

/// An `Intl.DateTimeFormat` for `zone` that prints the UTC offset, and its `formatToParts`.
fn zone_format(zone: &str) -> Option<(JsValue, Function)> {
    let intl = Reflect::get(&js_sys::global(), &JsValue::from_str("Intl")).ok()?;
    let constructor: Function = Reflect::get(&intl, &JsValue::from_str("DateTimeFormat")).ok()?.dyn_into().ok()?;
    let options = Object::new();
    Reflect::set(&options, &JsValue::from_str("timeZone"), &JsValue::from_str(zone)).ok()?;
    Reflect::set(&options, &JsValue::from_str("timeZoneName"), &JsValue::from_str("longOffset")).ok()?;
    let arguments = Array::of2(&JsValue::from_str("en-US"), &options);
    let format = Reflect::construct(&constructor, &arguments).ok()?;
    let format_to_parts: Function = Reflect::get(&format, &JsValue::from_str("formatToParts")).ok()?.dyn_into().ok()?;
    Some((format, format_to_parts))
}

/// `GMT` → 0, `GMT+02:00` → 7200, `GMT-09:30` → -34200.
fn parse_gmt_offset(name: &str) -> Option<i64> {
    let rest = name.strip_prefix("GMT")?;
    if rest.is_empty() {
        return Some(0);
    }
    let sign = match rest.get(..1)? {
        "+" => 1,
        "-" | "\u{2212}" => -1,
        _ => return None,
    };
    let digits = rest.get(1..)?;
    let (hours, minutes) = digits.split_once(':').unwrap_or((digits, "0"));
    Some(sign * (hours.parse::<i64>().ok()? * 3600 + minutes.parse::<i64>().ok()? * 60))
}
