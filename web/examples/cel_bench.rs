//! The wasm half of `cargo xtask bench-peers`'s CEL-in-JavaScript comparison: iamlab-cel built
//! as the playground ships it (profile `wasm-release`, no time-zone database: zones come from
//! `Intl`, as in the playground) behind a small wasm-bindgen class. An expression is compiled
//! once to a `Program`; `run` evaluates it in a loop inside the wasm module, so that a timing
//! crosses the JavaScript boundary once per loop, not once per evaluation (the JavaScript
//! engines are driven the same way on their side).

use iamlab_cel::{parse, Activation, Declarations, Dialect, Program};
use std::hint::black_box;
use wasm_bindgen::prelude::*;

#[path = "../src/time_zone.rs"]
mod time_zone;

/// One expression compiled against one set of variables.
#[wasm_bindgen]
pub struct CelBench {
    program: Program,
    activation: Activation,
}

#[wasm_bindgen]
impl CelBench {
    /// Compiles `expression` in `dialect` (`exoscale`, `scaleway` or `standard`) and reads the
    /// JSON object `variables` as the dialect's declarations type them (timestamps included).
    #[wasm_bindgen(constructor)]
    pub fn new(dialect: &str, expression: &str, variables: &str) -> Result<CelBench, JsError> {
        time_zone::register_browser_time_zones();
        let dialect = match dialect {
            "exoscale" => Dialect::Exoscale,
            "scaleway" => Dialect::Scaleway,
            "standard" => Dialect::Standard,
            other => return Err(JsError::new(&format!("unknown dialect `{other}`"))),
        };
        let declarations = Declarations::for_dialect(dialect);
        let parsed = parse(expression, dialect);
        let ast = match parsed.ast {
            Some(ast) if !parsed.has_errors() => ast,
            _ => return Err(JsError::new(&format!("`{expression}` does not parse"))),
        };
        let json: serde_json::Value =
            serde_json::from_str(variables).map_err(|error| JsError::new(&format!("variables: {error}")))?;
        let activation = Activation::from_json_object(&json, &declarations).map_err(|error| JsError::new(&error))?;
        Ok(CelBench { program: Program::compile(&ast, dialect), activation })
    }

    /// The value of one evaluation as CEL writes it (`true`), or `error: …`.
    pub fn value(&self) -> String {
        match self.program.evaluate(&self.activation) {
            Ok(value) => value.to_string(),
            Err(error) => format!("error: {}", error.message),
        }
    }

    /// Evaluates `iterations` times; returns how many evaluations gave `true` (so that none
    /// can be optimised away).
    pub fn run(&self, iterations: u32) -> u32 {
        let mut matched = 0;
        for _ in 0..iterations {
            if let Ok(iamlab_cel::Value::Bool(true)) = black_box(&self.program).evaluate(black_box(&self.activation)) {
                matched += 1;
            }
        }
        matched
    }
}
