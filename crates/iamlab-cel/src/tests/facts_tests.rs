use super::check_facts;

#[test]
fn string_comparisons_in_every_form() {
    check_facts(
        r#"
operation == 'create-instance' || operation in ['a', "b"] || 'c' != operation
             ^^^^^^^^^^^^^^^^^ operation == create-instance
                                                ^^^ operation == a
                                                     ^^^ operation == b
                                                             ^^^ operation != c
has alternatives
"#,
    );
    check_facts(
        r#"
operation.startsWith('list-') && zone == 'ch-gva-2'
                     ^^^^^^^ operation startsWith list-
                                         ^^^^^^^^^^ zone == ch-gva-2
bounds zone to ch-gva-2
"#,
    );
}

#[test]
fn presence_tests_are_guards_not_reads() {
    check_facts(
        r#"
operation == 'create-instance' && (!parameters.has('public_ip_assignment') || parameters.public_ip_assignment != 'none') && has(resources.x)
             ^^^^^^^^^^^^^^^^^ operation == create-instance
                                                                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ reads parameters.public_ip_assignment (guarded)
guards parameters.public_ip_assignment
guards resources.x
has alternatives
"#,
    );
    check_facts(
        r#"
'bucket' in parameters && parameters['bucket'] == 'b' && resource.sks_nodepool.name == 'n'
                          ^^^^^^^^^^^^^^^^^^^^ reads parameters.bucket (guarded)
                                                         ^^^^^^^^^^^^^^^^^^^^^ reads resource.sks_nodepool
guards parameters.bucket
"#,
    );
}

#[test]
fn negations_and_alternatives_do_not_bound_a_variable() {
    check_facts(
        r#"
!(operation in ['list-buckets']) && parameters.bucket == 'b'
                ^^^^^^^^^^^^^^ operation != list-buckets
                                    ^^^^^^^^^^^^^^^^^ reads parameters.bucket
"#,
    );
    check_facts(
        r#"
operation == 'a' && parameters.x == 1
             ^^^ operation == a
                    ^^^^^^^^^^^^ reads parameters.x
bounds operation to a
"#,
    );
    check_facts(
        r#"
operation == 'a' ? parameters.x : false
             ^^^ operation == a
                   ^^^^^^^^^^^^ reads parameters.x
has alternatives
"#,
    );
}

#[test]
fn method_calls_and_selections_are_not_field_reads() {
    check_facts(
        r#"
parameters.has('ip_filter') && int(parameters.size()) == 2 && request.operation == 'x'
                                                              ^^^^^^^^^^^^^^^^^ reads request.operation
guards parameters.ip_filter
"#,
    );
}

#[test]
fn the_literal_true_alone() {
    check_facts(
        r#"
 (true) 
always true
"#,
    );
    check_facts(
        r#"
true && false
"#,
    );
    check_facts(
        r#"
'true'
"#,
    );
}

#[test]
fn comments_are_not_scanned() {
    check_facts(
        r#"
zone == 'a' // operation == 'never-read'
        ^^^ zone == a
bounds zone to a
"#,
    );
}

#[test]
fn expressions_the_parser_rejects_still_have_facts() {
    check_facts(
        r#"
operation == 'create-instance || parameters['é
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ operation == create-instance || parameters[
bounds operation to create-instance || parameters[
"#,
    );
    check_facts(
        r#"
operation = 'a' && parameters.x == operation in ['b'
                                                 ^^^ operation == b
                   ^^^^^^^^^^^^ reads parameters.x
bounds operation to b
"#,
    );
    for source in ["\\", "r'", "'''", "has(", "x.", "'a' in", "!(", "[,,,"] {
        let facts = crate::lexical_facts(source);
        assert!(facts.comparisons.is_empty() && facts.reads.is_empty(), "{source}: {facts:?}");
    }
}

#[test]
fn a_deep_expression_is_scanned_without_recursion() {
    let source = format!("{}operation == 'a'{}", "(".repeat(10_000), ")".repeat(10_000));
    let facts = crate::lexical_facts(&source);
    assert_eq!(facts.named_values("operation"), Some(vec!["a"]));
}

#[test]
fn reads_tested_in_a_list_of_one_type() {
    // exoscale/cel-parser evaluates these as false, not an error, when the key is missing.
    check_facts(
        r#"
!(parameters.bucket in ['a', "b"]) && resources.dns_domain.unicode_name in [] || parameters['size'] in [1, -2] || parameters.public in [true, false]
  ^^^^^^^^^^^^^^^^^ reads parameters.bucket (in a uniform list)
                                      ^^^^^^^^^^^^^^^^^^^^ reads resources.dns_domain (in a uniform list)
                                                                                 ^^^^^^^^^^^^^^^^^^ reads parameters.size (in a uniform list)
                                                                                                                  ^^^^^^^^^^^^^^^^^ reads parameters.public (in a uniform list)
has alternatives
"#,
    );
    // Mixed lists are an error there, as are lists that are not the whole right operand, other
    // operators, and reads the `in` does not test.
    check_facts(
        r#"
parameters.a in ['a', 1] || parameters.b in ['a'] + ['b'] || parameters.c == 'c' || parameters.d[0] in ['d'] || parameters.e in [-'e'] || parameters.f.size() in [1]
^^^^^^^^^^^^ reads parameters.a
                            ^^^^^^^^^^^^ reads parameters.b
                                                             ^^^^^^^^^^^^ reads parameters.c
                                                                                    ^^^^^^^^^^^^ reads parameters.d
                                                                                                                ^^^^^^^^^^^^ reads parameters.e
                                                                                                                                          ^^^^^^^^^^^^ reads parameters.f (in a uniform list)
has alternatives
"#,
    );
}
