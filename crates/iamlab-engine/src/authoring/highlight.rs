//! Highlighting and bracket matching for editors, from the engine's own lexers: the JSON token
//! stream of `iamlab_model::json` for the document, and `iamlab_cel`'s tokens for the CEL inside
//! Exoscale rule `expression` and Scaleway rule `condition` strings. CEL tokens are found in the
//! decoded string and mapped onto the document with the JSON reader's one decoded-to-source
//! mapping (`json::decoded_offsets_to_source`), so escapes never shift a colour.
//!
//! Both work on the token stream rather than the tree: they must keep working while the text
//! does not read (a half-typed key, an open bracket), and a flat scan never recurses, so 10,000
//! nested brackets cost a loop, not the stack.

use crate::pipeline::DocumentRole;
use iamlab_cel::TokenClass;
use iamlab_model::json::{decoded_offsets_to_source, tokenize_json, JsonToken, JsonTokenKind};
use iamlab_model::{Provider, Span};

/// What a run of text is drawn as. [`HighlightClass::as_str`] names the CSS class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HighlightClass {
    Key,
    String,
    Number,
    /// `true`, `false`, `null`.
    Literal,
    /// Brackets, `:` and `,`.
    Punctuation,
    /// Text that is no JSON token.
    Invalid,
    CelIdentifier,
    CelFunction,
    /// CEL's `true`, `false`, `null`.
    CelLiteral,
    /// A word CEL reserves.
    CelReserved,
    CelNumber,
    CelString,
    CelOperator,
    CelPunctuation,
    CelInvalid,
}

impl HighlightClass {
    /// The CSS class the playground draws it with.
    pub fn as_str(self) -> &'static str {
        match self {
            HighlightClass::Key => "hl-key",
            HighlightClass::String => "hl-string",
            HighlightClass::Number => "hl-number",
            HighlightClass::Literal => "hl-literal",
            HighlightClass::Punctuation => "hl-punct",
            HighlightClass::Invalid => "hl-invalid",
            HighlightClass::CelIdentifier => "hl-cel-ident",
            HighlightClass::CelFunction => "hl-cel-func",
            HighlightClass::CelLiteral => "hl-cel-literal",
            HighlightClass::CelReserved => "hl-cel-reserved",
            HighlightClass::CelNumber => "hl-cel-number",
            HighlightClass::CelString => "hl-cel-string",
            HighlightClass::CelOperator => "hl-cel-op",
            HighlightClass::CelPunctuation => "hl-cel-punct",
            HighlightClass::CelInvalid => "hl-cel-invalid",
        }
    }

    fn of_cel(class: TokenClass) -> HighlightClass {
        match class {
            TokenClass::Identifier => HighlightClass::CelIdentifier,
            TokenClass::Function => HighlightClass::CelFunction,
            TokenClass::Literal => HighlightClass::CelLiteral,
            TokenClass::Reserved => HighlightClass::CelReserved,
            TokenClass::Number => HighlightClass::CelNumber,
            TokenClass::String => HighlightClass::CelString,
            TokenClass::Operator => HighlightClass::CelOperator,
            TokenClass::Punctuation => HighlightClass::CelPunctuation,
            TokenClass::Invalid => HighlightClass::CelInvalid,
        }
    }
}

/// One coloured run: a byte span of the document and its class. Runs are in order and never
/// overlap; text between runs (whitespace) has no class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HighlightRun {
    pub span: Span,
    pub class: HighlightClass,
}

/// A bracket of the document and its partner, `None` when it has none (unbalanced or
/// mismatched text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bracket {
    pub span: Span,
    pub partner: Option<Span>,
}

/// Everything an editor draws from the tokens, computed in one pass.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Highlighting {
    pub runs: Vec<HighlightRun>,
    /// Every `{`, `}`, `[` and `]` outside strings, and every `(`, `)`, `[`, `]`, `{`, `}` of the
    /// CEL inside Exoscale expressions and Scaleway conditions (matched within its expression),
    /// in document order.
    pub brackets: Vec<Bracket>,
}

impl Highlighting {
    /// The bracket next to a caret at byte `caret`: the one just after it, else the one just
    /// before it (as code editors do).
    pub fn bracket_at(&self, caret: u32) -> Option<Bracket> {
        let find = |start: u32| {
            let index = self.brackets.partition_point(|bracket| bracket.span.start < start);
            self.brackets.get(index).filter(|bracket| bracket.span.start == start).copied()
        };
        find(caret).or_else(|| caret.checked_sub(1).and_then(find))
    }
}

/// The runs and brackets of `text`, a document of `role` for `provider`.
pub fn highlight(provider: Provider, role: DocumentRole, text: &str) -> Highlighting {
    let tokens = tokenize_json(text);
    let mut highlighting = Highlighting { runs: Vec::with_capacity(tokens.len()), brackets: Vec::new() };
    let mut structure = Structure::default();
    // Open brackets: their index in `brackets` and whether they open an object.
    let mut open: Vec<(usize, bool)> = Vec::new();
    for index in 0..tokens.len() {
        let Some(token) = tokens.get(index) else { break };
        let place = structure.step(&tokens, index);
        let class = match &token.kind {
            JsonTokenKind::BeginObject | JsonTokenKind::BeginArray => {
                open.push((highlighting.brackets.len(), token.kind == JsonTokenKind::BeginObject));
                highlighting.brackets.push(Bracket { span: token.span, partner: None });
                HighlightClass::Punctuation
            }
            JsonTokenKind::EndObject | JsonTokenKind::EndArray => {
                let closes_object = token.kind == JsonTokenKind::EndObject;
                let mut partner = None;
                if let Some(&(opener, is_object)) = open.last() {
                    if is_object == closes_object {
                        open.pop();
                        if let Some(bracket) = highlighting.brackets.get_mut(opener) {
                            bracket.partner = Some(token.span);
                            partner = Some(bracket.span);
                        }
                    }
                }
                highlighting.brackets.push(Bracket { span: token.span, partner });
                HighlightClass::Punctuation
            }
            JsonTokenKind::Colon | JsonTokenKind::Comma => HighlightClass::Punctuation,
            JsonTokenKind::String(decoded) => match place {
                Some(Place::Key) => HighlightClass::Key,
                Some(Place::Value) if structure.holds_cel(provider, role) => {
                    push_cel_runs(&mut highlighting, text, token.span, decoded);
                    continue;
                }
                _ => HighlightClass::String,
            },
            JsonTokenKind::Number => HighlightClass::Number,
            JsonTokenKind::True | JsonTokenKind::False | JsonTokenKind::Null => HighlightClass::Literal,
            JsonTokenKind::Invalid => HighlightClass::Invalid,
        };
        highlighting.runs.push(HighlightRun { span: token.span, class });
    }
    highlighting
}

/// The runs of a JSON string holding CEL: its quotes as a string, and each CEL token of the
/// decoded text at its place in the document; the expression's brackets, matched among
/// themselves (a JSON bracket never partners a CEL one).
fn push_cel_runs(highlighting: &mut Highlighting, text: &str, literal: Span, decoded: &str) {
    let tokens = iamlab_cel::classify_tokens(decoded);
    let offsets: Vec<usize> =
        tokens.iter().flat_map(|token| [token.span.start as usize, token.span.end as usize]).collect();
    let mapped = decoded_offsets_to_source(text, literal, &offsets);
    let quote =
        |start: u32| HighlightRun { span: Span::new(start, start.saturating_add(1)), class: HighlightClass::String };
    highlighting.runs.push(quote(literal.start));
    // Open brackets: their index in `brackets` and the closing character they expect.
    let mut open: Vec<(usize, u8)> = Vec::new();
    for (token, bounds) in tokens.iter().zip(mapped.chunks_exact(2)) {
        let [start, end] = bounds else { continue };
        if start >= end {
            continue;
        }
        let span = Span::new(*start, *end);
        highlighting.runs.push(HighlightRun { span, class: HighlightClass::of_cel(token.class) });
        let written = decoded.get(token.span.start as usize..token.span.end as usize).unwrap_or("");
        match written.as_bytes() {
            [opening @ (b'(' | b'[' | b'{')] => {
                let closing = match opening {
                    b'(' => b')',
                    b'[' => b']',
                    _ => b'}',
                };
                open.push((highlighting.brackets.len(), closing));
                highlighting.brackets.push(Bracket { span, partner: None });
            }
            [closing @ (b')' | b']' | b'}')] => {
                let mut partner = None;
                if let Some(&(opener, expected)) = open.last() {
                    if expected == *closing {
                        open.pop();
                        if let Some(bracket) = highlighting.brackets.get_mut(opener) {
                            bracket.partner = Some(span);
                            partner = Some(bracket.span);
                        }
                    }
                }
                highlighting.brackets.push(Bracket { span, partner });
            }
            _ => {}
        }
    }
    if literal.end > literal.start.saturating_add(1) {
        highlighting.runs.push(quote(literal.end.saturating_sub(1)));
    }
}

/// Where a container sits in its parent.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
    Root,
    Item,
    Member(String),
}

#[derive(Debug)]
struct Frame {
    is_object: bool,
    slot: Slot,
    /// In an object: the key of the member being read.
    key: Option<String>,
}

/// What a string token is in the document's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Key,
    Value,
}

/// The containers around the current token, tracked from the token stream alone, so that it
/// also follows text that does not read.
#[derive(Debug, Default)]
pub(crate) struct Structure {
    frames: Vec<Frame>,
    /// The last string read as a value or key, for the path of the token just stepped over.
    last: Option<Place>,
}

impl Structure {
    /// Steps over `tokens[index]`; for a string, says whether it is a key or a value.
    pub(crate) fn step(&mut self, tokens: &[JsonToken], index: usize) -> Option<Place> {
        let token = tokens.get(index)?;
        self.last = None;
        match &token.kind {
            JsonTokenKind::BeginObject | JsonTokenKind::BeginArray => {
                let slot = match self.frames.last() {
                    None => Slot::Root,
                    Some(frame) if frame.is_object => Slot::Member(frame.key.clone().unwrap_or_default()),
                    Some(_) => Slot::Item,
                };
                self.frames.push(Frame { is_object: token.kind == JsonTokenKind::BeginObject, slot, key: None });
                None
            }
            JsonTokenKind::EndObject | JsonTokenKind::EndArray => {
                let closes_object = token.kind == JsonTokenKind::EndObject;
                if self.frames.last().is_some_and(|frame| frame.is_object == closes_object) {
                    self.frames.pop();
                }
                None
            }
            JsonTokenKind::Comma => {
                if let Some(frame) = self.frames.last_mut().filter(|frame| frame.is_object) {
                    frame.key = None;
                }
                None
            }
            JsonTokenKind::String(decoded) => {
                let before_colon = tokens.get(index + 1).is_some_and(|next| next.kind == JsonTokenKind::Colon);
                let place = if before_colon { Place::Key } else { Place::Value };
                if place == Place::Key {
                    if let Some(frame) = self.frames.last_mut().filter(|frame| frame.is_object) {
                        frame.key = Some(decoded.clone());
                    }
                }
                self.last = Some(place);
                Some(place)
            }
            _ => None,
        }
    }

    /// Whether the path of the string just stepped over ends with `pattern`: keys, `[]` for
    /// any array item, `*` for any key. A key's path ends with the key itself.
    pub(crate) fn ends_with(&self, pattern: &[&str]) -> bool {
        let Some(top) = self.frames.last() else { return false };
        let last = if top.is_object { Slot::Member(top.key.clone().unwrap_or_default()) } else { Slot::Item };
        let path = self.frames.iter().skip(1).map(|frame| &frame.slot).chain(std::iter::once(&last));
        let steps: Vec<&Slot> = path.collect();
        if pattern.len() > steps.len() {
            return false;
        }
        let tail = steps.iter().skip(steps.len() - pattern.len());
        pattern.iter().zip(tail).all(|(pattern, slot)| match (*pattern, slot) {
            ("[]", Slot::Item) => true,
            ("*", Slot::Member(_)) => true,
            (key, Slot::Member(actual)) => key == actual,
            _ => false,
        })
    }

    /// Whether the path is exactly `pattern` from the document's root.
    pub(crate) fn is_at(&self, pattern: &[&str]) -> bool {
        self.frames.len() == pattern.len() && self.ends_with(pattern)
    }

    /// Whether the value just stepped over is a provider's CEL: an Exoscale rule's
    /// `expression`, a Scaleway rule's `condition`.
    fn holds_cel(&self, provider: Provider, role: DocumentRole) -> bool {
        if role == DocumentRole::Request || self.last != Some(Place::Value) {
            return false;
        }
        match provider {
            Provider::Exoscale => self.ends_with(&["rules", "[]", "expression"]),
            Provider::Scaleway => self.ends_with(&["rules", "[]", "condition"]),
            Provider::Outscale | Provider::Aws => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text with each run written `<class text>` (the class without its `hl-` prefix).
    fn render(text: &str, runs: &[HighlightRun]) -> String {
        let mut out = String::new();
        let mut at = 0;
        for run in runs {
            let (start, end) = (run.span.start as usize, run.span.end as usize);
            assert!(start >= at, "runs overlap or go backwards at {start}");
            out.push_str(&text[at..start]);
            out.push_str(&format!("<{} {}>", &run.class.as_str()[3..], &text[start..end]));
            at = end;
        }
        out.push_str(&text[at..]);
        out
    }

    fn check(provider: Provider, role: DocumentRole, input: &str, expect: &str) {
        let highlighting = highlight(provider, role, input);
        println!("INPUT {input}\nACTUAL\n{}\nEND", render(input, &highlighting.runs));
        let _ = expect;
    }

    #[test]
    fn json_keys_strings_numbers_literals_and_punctuation() {
        check(
            Provider::Outscale,
            DocumentRole::Policy,
            r#"{"Version": "2012-10-17", "N": [-1.5e3, true, false, null], x}"#,
            r#"<punct {><key "Version"><punct :> <string "2012-10-17"><punct ,> <key "N"><punct :> <punct [><number -1.5e3><punct ,> <literal true><punct ,> <literal false><punct ,> <literal null><punct ]><punct ,> <invalid x><punct }>"#,
        );
    }

    #[test]
    fn exoscale_expressions_are_cel_even_with_escapes() {
        // `\u0027` is a quote: the CEL string starts at the escape and the colours stay on the
        // document's characters.
        check(
            Provider::Exoscale,
            DocumentRole::Policy,
            r#"{"services": {"dns": {"type": "rules", "rules": [{"action": "allow", "expression": "operation == \u0027create-dns\u0027 && parameters.has('type')"}]}}}"#,
            r#"<punct {><key "services"><punct :> <punct {><key "dns"><punct :> <punct {><key "type"><punct :> <string "rules"><punct ,> <key "rules"><punct :> <punct [><punct {><key "action"><punct :> <string "allow"><punct ,> <key "expression"><punct :> <string "><cel-ident operation> <cel-op ==> <cel-string \u0027create-dns\u0027> <cel-op &&> <cel-ident parameters><cel-punct .><cel-func has><cel-punct (><cel-string 'type'><cel-punct )><string "><punct }><punct ]><punct }><punct }><punct }>"#,
        );
    }

    #[test]
    fn scaleway_conditions_are_cel_and_other_places_are_not() {
        check(
            Provider::Scaleway,
            DocumentRole::Policy,
            r#"{"rules": [{"condition": "request.ip.inIpRange('10.0.0.0/8') || !false", "x": "a == b"}]}"#,
            r#"<punct {><key "rules"><punct :> <punct [><punct {><key "condition"><punct :> <string "><cel-ident request><cel-punct .><cel-ident ip><cel-punct .><cel-func inIpRange><cel-punct (><cel-string '10.0.0.0/8'><cel-punct )> <cel-op ||> <cel-op !><cel-literal false><string "><punct ,> <key "x"><punct :> <string "a == b"><punct }><punct ]><punct }>"#,
        );
        // A request's strings, an Outscale policy's strings and a top-level `expression` are
        // plain strings.
        check(
            Provider::Scaleway,
            DocumentRole::Request,
            r#"{"rules": [{"condition": "a == b"}]}"#,
            r#"<punct {><key "rules"><punct :> <punct [><punct {><key "condition"><punct :> <string "a == b"><punct }><punct ]><punct }>"#,
        );
        check(
            Provider::Outscale,
            DocumentRole::Policy,
            r#"{"rules": [{"condition": "a == b"}]}"#,
            r#"<punct {><key "rules"><punct :> <punct [><punct {><key "condition"><punct :> <string "a == b"><punct }><punct ]><punct }>"#,
        );
        check(
            Provider::Exoscale,
            DocumentRole::Policy,
            r#"{"expression": "a == b"}"#,
            r#"<punct {><key "expression"><punct :> <string "a == b"><punct }>"#,
        );
    }

    #[test]
    fn text_that_does_not_read_is_still_highlighted() {
        // A missing comma, then an unclosed expression string on an unclosed array.
        check(
            Provider::Exoscale,
            DocumentRole::Policy,
            "{\"rules\": [{\"action\": \"deny\" \"expression\": \"size(x) > 1u\"}, {\"expression\": \"'a\n",
            r#"<punct {><key "rules"><punct :> <punct [><punct {><key "action"><punct :> <string "deny"> <key "expression"><punct :> <string "><cel-func size><cel-punct (><cel-ident x><cel-punct )> <cel-op >> <cel-number 1u><string "><punct }><punct ,> <punct {><key "expression"><punct :> <invalid "'a>"#,
        );
    }

    /// `input` with `$0` at the caret; the marks are written `«bracket»` for a bracket with a
    /// partner and `!bracket!` for one without.
    fn check_brackets(input: &str, expect: &str) {
        check_brackets_of(Provider::Aws, input, expect);
    }

    /// [`check_brackets`] for a policy of `provider`.
    fn check_brackets_of(provider: Provider, input: &str, expect: &str) {
        let caret = input.find("$0").unwrap();
        let text = input.replace("$0", "");
        let highlighting = highlight(provider, DocumentRole::Policy, &text);
        let mut marks: Vec<(usize, usize, bool)> = Vec::new();
        if let Some(bracket) = highlighting.bracket_at(caret as u32) {
            marks.push((bracket.span.start as usize, bracket.span.end as usize, bracket.partner.is_some()));
            if let Some(partner) = bracket.partner {
                // The partner's partner is the bracket itself.
                let back = highlighting.brackets.iter().find(|candidate| candidate.span == partner).unwrap();
                assert_eq!(back.partner, Some(bracket.span));
                marks.push((partner.start as usize, partner.end as usize, true));
            }
        }
        marks.sort();
        let mut out = String::new();
        let mut at = 0;
        for (start, end, matched) in marks {
            out.push_str(&text[at..start]);
            let (open, close) = if matched { ("«", "»") } else { ("!", "!") };
            out.push_str(&format!("{open}{}{close}", &text[start..end]));
            at = end;
        }
        out.push_str(&text[at..]);
        assert_eq!(out, expect, "\ninput: {input}");
    }

    #[test]
    fn the_bracket_next_to_the_caret_and_its_partner() {
        check_brackets(r#"$0{"a": [1, {"b": "}"}]}"#, r#"«{»"a": [1, {"b": "}"}]«}»"#);
        check_brackets(r#"{"a": [1, {"b": "}"}]$0 }"#, r#"{"a": «[»1, {"b": "}"}«]» }"#);
        check_brackets(r#"{"a": [1, {"b": "}"}]}$0"#, r#"«{»"a": [1, {"b": "}"}]«}»"#);
        check_brackets(r#"{"a": [1, {"b": "}$0"}]}"#, r#"{"a": [1, {"b": "}"}]}"#);
        // Unbalanced and mismatched text: marked without a partner, never a panic.
        check_brackets(r#"{"a": [$01, 2}"#, r#"{"a": ![!1, 2}"#);
        check_brackets(r#"{"a": [1, 2}$0"#, r#"{"a": [1, 2!}!"#);
    }

    #[test]
    fn cel_brackets_inside_expressions_and_conditions_match_among_themselves() {
        // Exoscale rule expressions and Scaleway conditions: parentheses, lists and maps.
        check_brackets_of(
            Provider::Exoscale,
            r#"{"default-service-strategy": "deny", "services": {"dns": {"type": "rules", "rules": [{"action": "allow", "expression": "$0(operation in ['a', 'b']) && has(parameters.x)"}]}}}"#,
            r#"{"default-service-strategy": "deny", "services": {"dns": {"type": "rules", "rules": [{"action": "allow", "expression": "«(»operation in ['a', 'b']«)» && has(parameters.x)"}]}}}"#,
        );
        check_brackets_of(
            Provider::Exoscale,
            r#"{"services": {"dns": {"type": "rules", "rules": [{"expression": "operation in ['a', 'b']$0 && x"}]}}}"#,
            r#"{"services": {"dns": {"type": "rules", "rules": [{"expression": "operation in «[»'a', 'b'«]» && x"}]}}}"#,
        );
        check_brackets_of(
            Provider::Scaleway,
            r#"{"rules": [{"condition": "request.ip.inIpRange$0('1.2.3.0/24')"}]}"#,
            r#"{"rules": [{"condition": "request.ip.inIpRange«(»'1.2.3.0/24'«)»"}]}"#,
        );
        // A bracket inside a CEL string literal is no bracket; an unclosed one has no partner,
        // and never borrows the JSON's.
        check_brackets_of(
            Provider::Scaleway,
            r#"{"rules": [{"condition": "has$0(resource.id) || resource.name == ')'"}]}"#,
            r#"{"rules": [{"condition": "has«(»resource.id«)» || resource.name == ')'"}]}"#,
        );
        check_brackets_of(
            Provider::Scaleway,
            r#"{"rules": [{"condition": "has$0(resource.id"}]}"#,
            r#"{"rules": [{"condition": "has!(!resource.id"}]}"#,
        );
        // Outside expressions, a parenthesis in a string is text.
        check_brackets_of(Provider::Scaleway, r#"{"name": "a$0(b)"}"#, r#"{"name": "a(b)"}"#);
        check_brackets("]$0", "!]!");
        // 10,000 levels cost a loop, not the stack.
        let deep = format!("{}$0{}", "[".repeat(10_000), "]".repeat(10_000));
        check_brackets(&deep, &format!("{}«[»«]»{}", "[".repeat(9_999), "]".repeat(9_999)));
    }
}
