//! `cargo xtask cel-differential [--count N] [--seed S]`: an opt-in differential run of
//! iamlab's standard CEL against Google's cel-cpp, the reference implementation (PyPI
//! `cel-expr-python`, pinned below, installed into `target/cel-differential/venv`). Not part of
//! `cargo xtask test`: it needs PyPI and a Python 3, and its figure is a report, not a gate on
//! every change.
//!
//! Random, well-typed expressions over ints, uints, doubles, bools and strings (arithmetic,
//! conversions, comparisons across numeric types, logic, string functions, `in` on lists) are
//! generated from a seed, evaluated by both, and compared: the same type and value, or an error
//! on both sides (messages are not compared). The figure and every disagreement are printed and
//! written to `target/cel-differential/report.txt`.

use iamlab_cel::{evaluate, parse, Activation, Dialect, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// The cel-cpp wrapper version the figures were taken with.
const CEL_EXPR_PYTHON: &str = "cel-expr-python==0.1.3";

pub fn run(args: &[String]) -> Result<(), String> {
    let mut count = 1500usize;
    let mut seed = 14u64;
    let mut arguments = args.iter();
    while let Some(argument) = arguments.next() {
        let value = arguments.next().ok_or_else(|| format!("`{argument}` needs a value"))?;
        match argument.as_str() {
            "--count" => count = value.parse().map_err(|_| format!("--count: `{value}` is not a number"))?,
            "--seed" => seed = value.parse().map_err(|_| format!("--seed: `{value}` is not a number"))?,
            other => return Err(format!("unknown option `{other}` for cel-differential")),
        }
    }
    let root = crate::workspace_root();
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), Into::into);
    let folder = Path::new(&target).join("cel-differential");
    let python = install_reference(&folder)?;

    let mut generator = Generator { state: seed.max(1) };
    let expressions: Vec<String> = (0..count).map(|_| generator.expression()).collect();
    let reference = reference_results(&python, &root.join("xtask/cel_differential.py"), &expressions)?;

    let mut report = String::new();
    let (mut agree, mut spelling, mut skipped) = (0usize, 0usize, 0usize);
    let mut disagreements = Vec::new();
    for (expression, expected) in expressions.iter().zip(&reference) {
        let ours = iamlab_result(expression);
        match compare(&ours, expected) {
            Comparison::Agree => agree += 1,
            Comparison::AgreeButSpelling => {
                agree += 1;
                spelling += 1;
            }
            Comparison::Skipped => skipped += 1,
            Comparison::Differ => disagreements.push(format!("{expression}\n  iamlab: {ours}\n  cel-cpp: {expected}")),
        }
    }
    let compared = count - skipped;
    report.push_str(&format!(
        "iamlab standard CEL vs cel-cpp ({CEL_EXPR_PYTHON}), seed {seed}: {agree} of {compared} random expressions agree ({spelling} of them up to cel-go's spelling of NaN and Inf in string(double); {skipped} skipped: result types not compared)\n"
    ));
    for disagreement in &disagreements {
        report.push_str(&format!("DIFFER {disagreement}\n"));
    }
    print!("{report}");
    std::fs::write(folder.join("report.txt"), &report).map_err(|error| format!("cannot write the report: {error}"))?;
    if disagreements.is_empty() {
        Ok(())
    } else {
        Err(format!("{} expression(s) evaluate differently", disagreements.len()))
    }
}

/// A virtual environment with the pinned wrapper; returns its Python.
fn install_reference(folder: &Path) -> Result<std::path::PathBuf, String> {
    let venv = folder.join("venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        std::fs::create_dir_all(folder).map_err(|error| format!("cannot create {}: {error}", folder.display()))?;
        let venv_text = venv.to_string_lossy().into_owned();
        crate::run("python3", &["-m", "venv", &venv_text], &[])?;
    }
    let check = Command::new(&python).args(["-c", "import cel_expr_python"]).output();
    if !check.is_ok_and(|output| output.status.success()) {
        let pip = venv.join("bin/pip").to_string_lossy().into_owned();
        crate::run(&pip, &["install", "--quiet", CEL_EXPR_PYTHON], &[])?;
    }
    Ok(python)
}

/// Runs the reference script on every expression (one process, one line each way).
fn reference_results(python: &Path, script: &Path, expressions: &[String]) -> Result<Vec<String>, String> {
    let mut child = Command::new(python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("cannot run {}: {error}", python.display()))?;
    let mut input = child.stdin.take().ok_or("no stdin for the reference")?;
    let lines: String =
        expressions.iter().map(|expression| format!("{}\n", serde_json::Value::String(expression.clone()))).collect();
    // Written from a thread so that a full output pipe cannot block the writer.
    let writer = std::thread::spawn(move || input.write_all(lines.as_bytes()));
    let output = child.stdout.take().ok_or("no stdout for the reference")?;
    let results: Vec<String> = BufReader::new(output).lines().map_while(Result::ok).collect();
    writer
        .join()
        .map_err(|_| "the writer thread panicked")?
        .map_err(|error| format!("cannot feed the reference: {error}"))?;
    let status = child.wait().map_err(|error| format!("reference: {error}"))?;
    if !status.success() || results.len() != expressions.len() {
        return Err(format!(
            "the reference gave {} results for {} expressions ({status})",
            results.len(),
            expressions.len()
        ));
    }
    Ok(results)
}

/// iamlab's answer in the reference's JSON shape.
fn iamlab_result(expression: &str) -> String {
    let parsed = parse(expression, Dialect::Standard);
    let Some(ast) = parsed.ast.filter(|_| !parsed.diagnostics.iter().any(iamlab_cel::Diagnostic::is_error)) else {
        return serde_json::json!({"error": "parse error"}).to_string();
    };
    let result = match evaluate(&ast, &Activation::new(), Dialect::Standard) {
        Err(error) => serde_json::json!({"error": error.message}),
        Ok(Value::Int(value)) => serde_json::json!({"type": "int", "value": value.to_string()}),
        Ok(Value::Uint(value)) => serde_json::json!({"type": "uint", "value": value.to_string()}),
        Ok(Value::Double(value)) => serde_json::json!({"type": "double", "value": value.to_string()}),
        Ok(Value::Bool(value)) => serde_json::json!({"type": "bool", "value": value.to_string()}),
        Ok(Value::String(text)) => serde_json::json!({"type": "string", "value": &*text}),
        Ok(Value::Null) => serde_json::json!({"type": "null_type", "value": "null"}),
        Ok(other) => serde_json::json!({"unsupported": other.type_name()}),
    };
    result.to_string()
}

enum Comparison {
    Agree,
    /// The same but for the spelling of NaN and the infinities in `string(double)`.
    AgreeButSpelling,
    Differ,
    Skipped,
}

fn compare(ours: &str, reference: &str) -> Comparison {
    let (Ok(ours), Ok(reference)) =
        (serde_json::from_str::<serde_json::Value>(ours), serde_json::from_str::<serde_json::Value>(reference))
    else {
        return Comparison::Differ;
    };
    if ours.get("unsupported").is_some() || reference.get("unsupported").is_some() {
        return Comparison::Skipped;
    }
    if ours.get("error").is_some() || reference.get("error").is_some() {
        return if ours.get("error").is_some() == reference.get("error").is_some() {
            Comparison::Agree
        } else {
            Comparison::Differ
        };
    }
    let same_type = ours.get("type") == reference.get("type");
    let (ours_value, reference_value) = (ours.get("value"), reference.get("value"));
    if same_type && ours.get("type").and_then(serde_json::Value::as_str) == Some("string") {
        // `string(double)` of NaN and the infinities: cel-go (and iamlab) write `NaN`, `+Inf`,
        // `-Inf`, cel-cpp `nan` (or `-nan`), `inf`, `-inf`. The rest of the string must be the same.
        let spelled = |value: Option<&serde_json::Value>| {
            value.and_then(serde_json::Value::as_str).map(|text| {
                text.replace("-nan", "nan").replace("NaN", "nan").replace("+Inf", "inf").replace("-Inf", "-inf")
            })
        };
        if ours_value != reference_value && spelled(ours_value) == spelled(reference_value) {
            return Comparison::AgreeButSpelling;
        }
    }
    let same_value = if ours.get("type").and_then(serde_json::Value::as_str) == Some("double") {
        // Both print doubles their own way: compare the numbers (NaN equals NaN, and the sign of
        // zero counts).
        let number = |value: Option<&serde_json::Value>| value.and_then(serde_json::Value::as_str)?.parse::<f64>().ok();
        match (number(ours_value), number(reference_value)) {
            (Some(a), Some(b)) => {
                (a.is_nan() && b.is_nan()) || (a == b && a.is_sign_negative() == b.is_sign_negative())
            }
            _ => false,
        }
    } else {
        ours_value == reference_value
    };
    if same_type && same_value {
        Comparison::Agree
    } else {
        Comparison::Differ
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Int,
    Uint,
    Double,
    Bool,
    String,
}

/// Well-typed random expressions (xorshift64: reproducible from the seed, no dependency).
///
/// Left out on purpose, because the reference implementations disagree among themselves and
/// iamlab follows cel-go: cel-cpp's `int(' 1')` is 1 (it skips blanks) and `double('0x10')` is 16,
/// where cel-go's `strconv` rejects both, as iamlab does.
struct Generator {
    state: u64,
}

impl Generator {
    fn next(&mut self) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("0")
    }

    fn expression(&mut self) -> String {
        let kind = [Kind::Int, Kind::Uint, Kind::Double, Kind::Bool, Kind::String][self.below(5)];
        self.of(kind, 3)
    }

    fn number(&mut self, depth: usize) -> String {
        let kind = [Kind::Int, Kind::Uint, Kind::Double][self.below(3)];
        self.of(kind, depth)
    }

    fn of(&mut self, kind: Kind, depth: usize) -> String {
        if depth == 0 || self.below(4) == 0 {
            return self.literal(kind);
        }
        let d = depth - 1;
        match kind {
            Kind::Int => match self.below(7) {
                0 => format!(
                    "({} {} {})",
                    self.of(Kind::Int, d),
                    self.pick(&["+", "-", "*", "/", "%"]),
                    self.of(Kind::Int, d)
                ),
                1 => format!("-({})", self.of(Kind::Int, d)),
                2 => format!("int({})", self.number(d)),
                3 => format!("size({})", self.of(Kind::String, d)),
                4 => format!("int({})", self.int_text()),
                5 => format!("({} ? {} : {})", self.of(Kind::Bool, d), self.of(Kind::Int, d), self.of(Kind::Int, d)),
                _ => format!("size([{}, {}])", self.number(d), self.number(d)),
            },
            Kind::Uint => match self.below(4) {
                0 => format!(
                    "({} {} {})",
                    self.of(Kind::Uint, d),
                    self.pick(&["+", "-", "*", "/", "%"]),
                    self.of(Kind::Uint, d)
                ),
                1 | 2 => format!("uint({})", self.number(d)),
                _ => format!("uint({})", self.int_text()),
            },
            Kind::Double => match self.below(4) {
                0 => format!(
                    "({} {} {})",
                    self.of(Kind::Double, d),
                    self.pick(&["+", "-", "*", "/"]),
                    self.of(Kind::Double, d)
                ),
                1 => format!("-({})", self.of(Kind::Double, d)),
                2 => format!("double({})", self.number(d)),
                _ => format!("double('{}')", self.pick(&["1.5", "-0.25", "1e3", "NaN", "-inf", "1_0", ".5", "5."])),
            },
            Kind::Bool => match self.below(8) {
                0 | 1 => format!(
                    "({} {} {})",
                    self.number(d),
                    self.pick(&["==", "!=", "<", "<=", ">", ">="]),
                    self.number(d)
                ),
                2 => format!("({} {} {})", self.of(Kind::Bool, d), self.pick(&["&&", "||"]), self.of(Kind::Bool, d)),
                3 => format!("!({})", self.of(Kind::Bool, d)),
                4 => format!("({} in [{}, {}])", self.number(d), self.number(d), self.number(d)),
                5 => format!(
                    "{}.{}({})",
                    self.of(Kind::String, d),
                    self.pick(&["startsWith", "endsWith", "contains", "matches"]),
                    self.of(Kind::String, d)
                ),
                6 => format!(
                    "({} {} {})",
                    self.of(Kind::String, d),
                    self.pick(&["==", "<", ">="]),
                    self.of(Kind::String, d)
                ),
                _ => format!("bool('{}')", self.pick(&["true", "False", "1", "t", "yes", "TRUE", "0"])),
            },
            Kind::String => match self.below(3) {
                0 => format!("({} + {})", self.of(Kind::String, d), self.of(Kind::String, d)),
                1 => format!("string({})", self.number(d)),
                _ => format!("string({})", self.of(Kind::Bool, d)),
            },
        }
    }

    fn int_text(&mut self) -> String {
        format!("'{}'", self.pick(&["42", "-7", "+3", "9223372036854775807", "9223372036854775808", "1.0", "0x1F"]))
    }

    fn literal(&mut self, kind: Kind) -> String {
        match kind {
            Kind::Int => self
                .pick(&["0", "1", "-1", "7", "-3", "42", "9223372036854775807", "-9223372036854775808", "0x7f"])
                .to_owned(),
            Kind::Uint => self.pick(&["0u", "1u", "3u", "18446744073709551615u", "9223372036854775808u"]).to_owned(),
            Kind::Double => self
                .pick(&[
                    "0.0",
                    "-0.0",
                    "1.5",
                    "-0.25",
                    "-1.5",
                    "2.5",
                    "1e19",
                    "-9.3e18",
                    "1.8446744073709552e19",
                    "3.0",
                    "0.1",
                ])
                .to_owned(),
            Kind::Bool => self.pick(&["true", "false"]).to_owned(),
            Kind::String => {
                self.pick(&["''", "'a'", "'abc'", "'é'", "'a.c'", "'^a'", "'[a-c]+'", "'1.5'", "'x'"]).to_owned()
            }
        }
    }
}
