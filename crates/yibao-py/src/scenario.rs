//! One person's year from a scenario's text: the report of `yibao settle --format json`,
//! with its envelope.

use pyo3::prelude::*;
use yibao::output::envelope::{Envelope, Enveloped};
use yibao::policy::PolicyLibrary;
use yibao::scenario::{ScenarioError as ParseError, ScenarioFile, ScenarioFormat};
use yibao::settle::{Explain, settle_with};

use crate::errors::{ScenarioError, bad_argument};

/// The scenario's format, as the Python package names it.
fn scenario_format(format: &str) -> PyResult<ScenarioFormat> {
    match format {
        "toml" => Ok(ScenarioFormat::Toml),
        "json" => Ok(ScenarioFormat::Json),
        other => Err(bad_argument(format!(
            "the scenario format is `toml` or `json`, not `{other}`"
        ))),
    }
}

/// An error as the CLI's one line, without its `yibao: ` prefix.
fn refused(message: String) -> PyErr {
    ScenarioError::new_err(message.trim_end().to_owned())
}

/// Parses and settles the scenario's bytes `data` (named `name` in errors) with the interpreter's
/// lock released; the report as the CLI's pretty JSON.
pub(crate) fn settle_json(
    py: Python<'_>,
    library: &PolicyLibrary,
    data: Vec<u8>,
    format: &str,
    name: &str,
    explain: bool,
) -> PyResult<String> {
    let format = scenario_format(format)?;
    let explain = if explain {
        Explain::Steps
    } else {
        Explain::FiguresOnly
    };
    py.detach(|| {
        let file = ScenarioFile::parse_owned(name, data, format).map_err(|e| e.to_string())?;
        let report = settle_with(library, &file.scenario, explain).map_err(|e| {
            // The settlement's error at its place in the scenario, as the CLI words it.
            ParseError {
                location: Some(file.positions.locate(&e.path())),
                path: e.path(),
                message: e.to_string(),
                hint: e.hint().map(String::from),
            }
            .to_string()
        })?;
        // With the envelope every JSON answer of the CLI starts with (schema version,
        // engine version, policy data's digest).
        let answer = Enveloped {
            envelope: &Envelope::of(library),
            answer: &report,
        };
        serde_json::to_string_pretty(&answer)
            .map_err(|e| format!("the report does not serialise: {e}"))
    })
    .map_err(refused)
}
