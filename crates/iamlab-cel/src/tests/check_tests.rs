use super::check_check;
use crate::Dialect::{Exoscale, Scaleway};

#[test]
fn documented_examples_are_clean() {
    check_check(
        Exoscale,
        r#"
parameters.has('type') && parameters.type != 'TXT'
"#,
    );
    check_check(
        Exoscale,
        r#"
operation in ['create-instance', 'get-instance'] && resources.instance.name.startsWith('web-') && zone == 'ch-gva-2'
"#,
    );
    check_check(
        Scaleway,
        r#"
request.time.getDayOfWeek() != 0 && request.time.getHours("Europe/Paris") < 17 && inIpRange(request.ip, '192.0.2.0/24')
"#,
    );
}

#[test]
fn unknown_variable_with_suggestion() {
    check_check(
        Exoscale,
        r#"
operaton == 'create-instance' && paramters.type == 'A'
^^^^^^^^ cel::unknown-variable unknown variable `operaton` (help: did you mean `operation`?)
                                 ^^^^^^^^^ cel::unknown-variable unknown variable `paramters` (help: did you mean `parameters`?)
"#,
    );
    check_check(
        Scaleway,
        r#"
user.name == 'a'
^^^^ cel::unknown-variable unknown variable `user` (help: known variables: `request`, `resource`)
"#,
    );
}

#[test]
fn unknown_field_of_a_record() {
    check_check(
        Scaleway,
        r#"
request.user_agnet.contains('terraform') || request.source_ip == '1.2.3.4'
        ^^^^^^^^^^ cel::unknown-field unknown field `user_agnet` (help: did you mean `user_agent`?)
                                                    ^^^^^^^^^ cel::unknown-field unknown field `source_ip` (help: known fields: `ip`, `time`, `user_agent`)
"#,
    );
}

#[test]
fn unknown_function_and_wrong_arity() {
    check_check(
        Exoscale,
        r#"
operation.startswith('create-') || size(operation, 1) > 2 || operation.contains()
          ^^^^^^^^^^ cel::unknown-function unknown function `startswith` (help: did you mean `startsWith`?)
                                   ^^^^^^^^^^^^^^^^^^ cel::wrong-arity `size` takes 1 argument(s), found 2
                                                             ^^^^^^^^^^^^^^^^^^^^ cel::wrong-arity `contains` takes 1 argument(s), found 0
"#,
    );
}

#[test]
fn dialect_specific_functions() {
    check_check(
        Scaleway,
        r#"
resource.name.has('x') || inIpRange(request.ip)
              ^^^ cel::unknown-function unknown function `has` (help: `has` exists only in the exoscale dialect)
                          ^^^^^^^^^^^^^^^^^^^^^ cel::wrong-arity `inIpRange` takes 2 argument(s), found 1
"#,
    );
    check_check(
        Exoscale,
        r#"
inIpRange(source_ip, '10.0.0.0/8')
^^^^^^^^^ cel::wrong-arity `inIpRange` cannot be called without a receiver (help: call it as a method: `value.inIpRange(…)`)
"#,
    );
}

#[test]
fn type_mismatches() {
    check_check(
        Scaleway,
        r#"
request.time > '2024-01-01T00:00:00Z' || request.time == '2024-01-01T00:00:00Z'
^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ cel::type-mismatch `>` cannot compare a google.protobuf.Timestamp with a string (help: convert the string: `timestamp('2024-01-01T00:00:00Z')`)
                                         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ cel::type-mismatch comparing a google.protobuf.Timestamp with a string is always false (help: convert the string: `timestamp('2024-01-01T00:00:00Z')`)
"#,
    );
    check_check(
        Scaleway,
        r#"
request.ip.getHours() == 1 || request.time.contains('x') || request.ip + 1 == 2
^^^^^^^^^^ cel::type-mismatch `getHours` needs a timestamp, not a string (help: convert the string first: `timestamp(value)`)
                              ^^^^^^^^^^^^ cel::type-mismatch `contains` works on strings, not on a google.protobuf.Timestamp
                                                            ^^^^^^^^^^^^^^ cel::type-mismatch `+` is not defined for string and int
"#,
    );
    check_check(
        Exoscale,
        r#"
timestamp(now).getHours() > 8 && operation && 1 + 1u == 2
                                 ^^^^^^^^^ cel::type-mismatch an operand of `&&` must be a bool, not a string
                                              ^^^^^^ cel::type-mismatch `+` is not defined for int and uint (help: CEL does not mix int, uint and double in arithmetic; convert with int(), uint() or double())
"#,
    );
    check_check(
        Exoscale,
        r#"
now.getHours() > 8
^^^ cel::type-mismatch `getHours` needs a timestamp, not a string (help: convert the string first: `timestamp(value)`)
"#,
    );
}

#[test]
fn comprehension_variables_are_known() {
    check_check(
        Exoscale,
        r#"
parameters.ids.all(id, id.startsWith('i-')) && [1, 2].exists(n, n == nn)
                                                                     ^^ cel::unknown-variable unknown variable `nn` (help: did you mean `n`?)
"#,
    );
}
