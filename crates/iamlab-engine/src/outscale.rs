//! The outscale engine: not implemented yet beyond JSON syntax (see its issue).

use crate::{SimulateError, SimulationInput};
use iamlab_model::{Decision, Diagnostic, Provider};

pub fn validate_document(_profile: Provider, text: &str) -> Vec<Diagnostic> {
    crate::read_json(text).diagnostics
}

pub fn simulate(input: &SimulationInput<'_>) -> Result<Decision, SimulateError> {
    Err(SimulateError::NotImplemented(input.provider))
}
