//! Each dialect with the examples its provider documents (sources in DIALECTS.md).

use super::check_eval;
use crate::Dialect::{Exoscale, Scaleway, Standard};

const EXOSCALE_DNS: &str =
    r#"{"operation": "create-dns-domain-record", "service": "dns", "parameters": {"type": "A", "name": "www"}}"#;
const EXOSCALE_NO_TYPE: &str = r#"{"operation": "list-dns-domains", "service": "dns", "parameters": {}}"#;

#[test]
fn exoscale_receiver_has() {
    // Exoscale's policy guide: deny TXT records, allow the rest.
    check_eval(
        Exoscale,
        EXOSCALE_DNS,
        r#"
parameters.has('type') && parameters.type != 'TXT'
=> true
"#,
    );
    check_eval(
        Exoscale,
        EXOSCALE_NO_TYPE,
        r#"
parameters.has('type') && parameters.type != 'TXT'
=> false
"#,
    );
    // Without the `has` guard, a missing key is an evaluation error (the rule does not match).
    check_eval(
        Exoscale,
        EXOSCALE_NO_TYPE,
        r#"
parameters.type != 'TXT'
^^^^^^^^^^^^^^^ no such key: type
"#,
    );
    // The receiver `has` is Exoscale's: plain CEL has only the `has()` macro.
    check_eval(
        Standard,
        EXOSCALE_DNS,
        r#"
parameters.has('type')
^^^^^^^^^^^^^^^^^^^^^^ no such overload: map.has(string)
"#,
    );
}

#[test]
fn exoscale_matches_is_a_full_match() {
    // exoscale/cel-parser `expr.clj` l.529: Clojure's `re-matches`, i.e. `Matcher.matches()`.
    check_eval(
        Exoscale,
        EXOSCALE_DNS,
        r#"
parameters.name.matches('ww')
=> false
"#,
    );
    check_eval(
        Exoscale,
        EXOSCALE_DNS,
        r#"
parameters.name.matches('w+') && parameters.name.matches('www|mail')
=> true
"#,
    );
    check_eval(
        Standard,
        EXOSCALE_DNS,
        r#"
parameters.name.matches('ww')
=> true
"#,
    );
}

#[test]
fn exoscale_in_ip_range_and_timestamps() {
    let variables = r#"{"source_ip": "192.0.2.44", "now": "2024-07-15T16:30:00Z"}"#;
    for source in [
        "source_ip.inIpRange('192.0.2.0/24')",
        "!source_ip.inIpRange('198.51.100.0/24')",
        "source_ip.inIpRange('192.0.2.44')",
        // `now` is a string that expressions convert (Exoscale's policy guide).
        "timestamp(now).getHours('Europe/Zurich') == 18",
        "timestamp(now) > timestamp('2024-01-01T00:00:00Z')",
        "now.startsWith('2024-07-15T')",
    ] {
        check_eval(Exoscale, variables, &format!("{source}\n=> true\n"));
    }
    check_eval(
        Exoscale,
        variables,
        r#"
source_ip.inIpRange('192.0.2.0/33')
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ invalid IP range '192.0.2.0/33'
"#,
    );
}

#[test]
fn exoscale_documented_rules() {
    let variables = r#"{"operation": "create-instance", "parameters": {"public_ip_assignment": "none", "ip_filter": ["10.0.0.0/8"]}, "resources": {"sks_nodepool": {"name": "important-nodepool"}}}"#;
    for source in [
        "resources.sks_nodepool.name in ['important-nodepool', 'foobar']",
        "operation == 'create-instance' && parameters.public_ip_assignment == 'none'",
        "parameters.has('ip_filter') && parameters.ip_filter.all(f, f != '0.0.0.0/0')",
        "operation.startsWith('create-')",
    ] {
        check_eval(Exoscale, variables, &format!("{source}\n=> true\n"));
    }
}

const SCALEWAY: &str = r#"{"request": {"ip": "203.0.113.9", "time": "2024-07-16T06:30:00Z", "user_agent": "Terraform/1.9 scaleway/2.0 terraform/"}, "resource": {"name": "prod-db", "id": "11111111-2222-3333-4444-555555555555", "locality": "fr-par"}}"#;

#[test]
fn scaleway_request_conditions() {
    for source in [
        // Scaleway's documented examples.
        "request.user_agent.contains(\"terraform/\")",
        "request.time.getDayOfWeek() != 0 && request.time.getDayOfWeek() != 6",
        "inIpRange(request.ip, '203.0.113.0/24')",
        "request.ip.inIpRange('203.0.113.0/24')",
        "!inIpRange(request.ip, '10.0.0.0/8')",
        "resource.name.startsWith('prod-') && resource.locality == 'fr-par'",
        "request.time < timestamp('2025-01-01T00:00:00Z')",
    ] {
        check_eval(Scaleway, SCALEWAY, &format!("{source}\n=> true\n"));
    }
    // 06:30 UTC is 08:30 in Paris in July: the time-zone argument is honoured.
    check_eval(
        Scaleway,
        SCALEWAY,
        r#"
request.time.getHours("Europe/Paris") < 17 && request.time.getHours("Europe/Paris") > 8
=> false
"#,
    );
    check_eval(
        Scaleway,
        SCALEWAY,
        r#"
request.time.getHours("Europe/Paris")
=> 8
"#,
    );
    check_eval(
        Scaleway,
        r#"{"request": {"ip": "2001:db8::1"}}"#,
        r#"
inIpRange(request.ip, '2001:db8::/32') && !inIpRange(request.ip, '10.0.0.0/8')
=> true
"#,
    );
    // The global form is Scaleway's only.
    check_eval(
        Exoscale,
        r#"{"source_ip": "10.1.2.3"}"#,
        r#"
inIpRange(source_ip, '10.0.0.0/8')
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ no such overload: inIpRange(string, string)
"#,
    );
}

#[test]
fn scaleway_dotted_variable_names() {
    // Bindings may also be given as dotted names, the way Scaleway documents them.
    check_eval(
        Scaleway,
        r#"{"request.ip": "203.0.113.9", "request.time": "2024-07-16T06:30:00Z"}"#,
        r#"
inIpRange(request.ip, '203.0.113.0/24') && request.time.getFullYear() == 2024
=> true
"#,
    );
}
