use super::check_parse;
use crate::{parse, Dialect, Expr, ExprKind, Literal};

#[test]
fn valid_expressions_have_no_diagnostics() {
    check_parse(
        r#"
parameters.has('type') && parameters.type != 'TXT'
"#,
    );
    check_parse(
        r#"
request.time.getHours("Europe/Paris") < 17 && inIpRange(request.ip, '10.0.0.0/8')
"#,
    );
    check_parse(
        r#"
[1, 2u, 3.5e-1, .5, 0x1F, 0xffu, b'\x00', r'\d+', '''a'b''', null, true].size() > 0 ? {'a': 1,} : {}
"#,
    );
    check_parse(
        r#"
resources.all(r, r.exists(x, x in [1, 2])) || has(a.b.c) || -9223372036854775808 < 0
"#,
    );
}

#[test]
fn assignment_instead_of_equality() {
    check_parse(
        r#"
parameters.type = 'TXT'
                ^ cel::assignment `=` is not an operator (help: did you mean `==`?)
"#,
    );
}

#[test]
fn single_ampersand_and_pipe() {
    check_parse(
        r#"
a & b | c
  ^ cel::single-ampersand `&` is not an operator (help: did you mean `&&`?)
      ^ cel::single-pipe `|` is not an operator (help: did you mean `||`?)
"#,
    );
}

#[test]
fn unterminated_string() {
    check_parse(
        r#"
operation == 'create-instance
             ^^^^^^^^^^^^^^^^ cel::unterminated-string unterminated string (help: close the string with ')
"#,
    );
    check_parse(
        r#"
x == """abc
     ^^^^^^ cel::unterminated-string unterminated string (help: close the string with """)
"#,
    );
}

#[test]
fn unexpected_closing_parenthesis() {
    check_parse(
        r#"
(a + b))
       ^ cel::unexpected-token unexpected `)` (help: expected the end of the expression)
"#,
    );
}

#[test]
fn unclosed_parenthesis_points_at_the_opening() {
    let parsed = parse("size(a", Dialect::Standard);
    let diagnostic = &parsed.diagnostics[0];
    assert_eq!(diagnostic.code, "cel::unclosed-delimiter");
    assert_eq!(diagnostic.labels[1].span.slice("size(a"), Some("("));
    check_parse(
        r#"
size(a
      ^ cel::unclosed-delimiter expected `)`, found the end of the expression (help: add `)` to close the `(`)
"#,
    );
}

#[test]
fn missing_operand() {
    check_parse(
        r#"
1 +
   ^ cel::unexpected-end unexpected end of the expression (help: an expression was expected here)
"#,
    );
    check_parse(
        r#"
a && || b
     ^^ cel::unexpected-token unexpected `||` (help: an operand (a literal, a name, a call or a parenthesized expression) was expected)
"#,
    );
}

#[test]
fn every_error_is_reported_not_only_the_first() {
    check_parse(
        r#"
a = 1 && b = 'x
  ^ cel::assignment `=` is not an operator (help: did you mean `==`?)
           ^ cel::assignment `=` is not an operator (help: did you mean `==`?)
             ^^ cel::unterminated-string unterminated string (help: close the string with ')
"#,
    );
}

#[test]
fn invalid_escapes() {
    check_parse(
        r#"
'\q' + '\u12' + '\uD800'
 ^^ cel::invalid-escape invalid escape sequence `\q` (help: valid escapes: \n \r \t \\ \' \" \xHH \uHHHH \UHHHHHHHH \ooo (octal))
        ^^^^ cel::invalid-escape escape sequence needs 4 hexadecimal digits
                 ^^^^^^ cel::invalid-escape escape sequence `\uD800` is not a Unicode scalar value (help: surrogate code points (U+D800 to U+DFFF) and values above U+10FFFF are not characters)
"#,
    );
}

#[test]
fn integers_out_of_range() {
    check_parse(
        r#"
9223372036854775808 + 18446744073709551616u
^^^^^^^^^^^^^^^^^^^ cel::integer-out-of-range integer literal out of int range (help: int is a signed 64-bit integer: from -9223372036854775808 to 9223372036854775807; add `u` for a uint)
                      ^^^^^^^^^^^^^^^^^^^^^ cel::integer-out-of-range integer literal out of uint range (help: int is a signed 64-bit integer and uint an unsigned 64-bit integer)
"#,
    );
}

#[test]
fn reserved_words_and_invalid_characters() {
    check_parse(
        r#"
if == 1 || a # b
^^ cel::reserved-word `if` is a reserved word (help: reserved words cannot name variables or functions)
             ^ cel::invalid-character unexpected character `#`
"#,
    );
}

#[test]
fn macro_arguments() {
    check_parse(
        r#"
has(a) || [1].all(1, true)
^^^^^^ cel::invalid-has invalid argument to has() macro (help: `has` takes a field selection such as `has(request.ip)`)
                  ^ cel::invalid-macro-variable argument of `all` must be a simple name (help: write e.g. `list.all(x, …)`)
"#,
    );
}

/// Renders the tree with explicit parentheses, to check precedence and associativity.
fn shape(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Literal(Literal::Int(value)) => value.to_string(),
        ExprKind::Literal(Literal::Bool(value)) => value.to_string(),
        ExprKind::Literal(_) => "lit".to_owned(),
        ExprKind::Ident(name) => name.clone(),
        ExprKind::Select { operand, field, test_only, .. } => {
            if *test_only {
                format!("has({}.{field})", shape(operand))
            } else {
                format!("{}.{field}", shape(operand))
            }
        }
        ExprKind::Index { operand, index } => format!("{}[{}]", shape(operand), shape(index)),
        ExprKind::Call { target, function, args, .. } => {
            let args: Vec<String> = args.iter().map(shape).collect();
            match target {
                Some(target) => format!("{}.{function}({})", shape(target), args.join(", ")),
                None => format!("{function}({})", args.join(", ")),
            }
        }
        ExprKind::Unary { op, operand } => format!("({}{})", op.symbol(), shape(operand)),
        ExprKind::Binary { op, left, right } => format!("({} {} {})", shape(left), op.symbol(), shape(right)),
        ExprKind::Conditional { condition, then, otherwise } => {
            format!("({} ? {} : {})", shape(condition), shape(then), shape(otherwise))
        }
        ExprKind::Comprehension(comprehension) => {
            format!(
                "{}.{}({}, {})",
                shape(&comprehension.range),
                comprehension.kind.name(),
                comprehension.variable,
                shape(&comprehension.body)
            )
        }
        other => format!("{other:?}"),
    }
}

#[test]
fn precedence_and_associativity() {
    let cases = [
        ("1 + 2 * 3 - 4", "((1 + (2 * 3)) - 4)"),
        ("a || b && c", "(a || (b && c))"),
        ("a && b == c", "(a && (b == c))"),
        ("a < b + 1", "(a < (b + 1))"),
        ("a ? b : c ? d : e", "(a ? b : (c ? d : e))"),
        ("!a.b", "(!a.b)"),
        ("-a[0].b(1)", "(-a[0].b(1))"),
        ("x in y || z", "((x in y) || z)"),
        ("--19", "(--19)"),
        ("has(a.b) && a.b.all(x, x > 1)", "(has(a.b) && a.b.all(x, (x > 1)))"),
        ("-9223372036854775808", "-9223372036854775808"),
    ];
    for (source, expected) in cases {
        let parsed = parse(source, Dialect::Standard);
        assert!(parsed.diagnostics.is_empty(), "{source}: {:?}", parsed.diagnostics);
        assert_eq!(shape(&parsed.ast.unwrap()), expected, "{source}");
    }
}

#[test]
fn node_spans_cover_their_source() {
    let source = "parameters.type != 'TXT' && size(x) > 0";
    let ast = parse(source, Dialect::Standard).ast.unwrap();
    let mut texts = Vec::new();
    crate::walk(&ast, &mut |node| texts.push(node.span.slice(source).unwrap().to_owned()));
    assert_eq!(
        texts,
        [
            source,
            "parameters.type != 'TXT'",
            "parameters.type",
            "parameters",
            "'TXT'",
            "size(x) > 0",
            "size(x)",
            "x",
            "0"
        ]
    );
    let ExprKind::Binary { left, .. } = &ast.kind else { panic!() };
    let ExprKind::Binary { left: select, .. } = &left.kind else { panic!() };
    let ExprKind::Select { field_span, .. } = &select.kind else { panic!() };
    assert_eq!(field_span.slice(source), Some("type"));
}

#[test]
fn string_literals_decode_escapes() {
    let cases = [
        (r"'a\nb'", "a\nb"),
        (r#""\x41\101\u0041\U00000041""#, "AAAA"),
        (r"r'\d+'", "\\d+"),
        ("'''two\nlines'''", "two\nlines"),
        (r"'\xff'", "\u{ff}"),
        ("'é✓'", "é✓"),
    ];
    for (source, expected) in cases {
        let parsed = parse(source, Dialect::Standard);
        assert!(parsed.diagnostics.is_empty(), "{source}: {:?}", parsed.diagnostics);
        assert_eq!(parsed.ast.unwrap().kind, ExprKind::Literal(Literal::String(expected.into())), "{source}");
    }
    let parsed = parse(r"b'\xff\377é'", Dialect::Standard);
    assert_eq!(parsed.ast.unwrap().kind, ExprKind::Literal(Literal::Bytes(vec![0xff, 0xff, 0xc3, 0xa9].into())));
}
