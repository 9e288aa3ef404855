//! The exceptions of the module, each a CLI exit code's kind of failure, carrying the CLI's
//! one-line message (without its `yibao: ` prefix).

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;

create_exception!(
    _yibao,
    YibaoError,
    PyException,
    "The base of every error the engine raises."
);
create_exception!(
    _yibao,
    ScenarioError,
    YibaoError,
    "A scenario refused: it does not parse, or its settlement fails (the CLI's exit 1)."
);
create_exception!(
    _yibao,
    ClaimsError,
    YibaoError,
    "A claims table the batch cannot read at all (its columns), or no policy book for its jurisdiction and year. Bad rows are not errors: they come back as the errors table."
);
create_exception!(
    _yibao,
    ReformError,
    YibaoError,
    "A reform refused: its file or a setting does not parse or does not check (the CLI's exit 1)."
);
create_exception!(
    _yibao,
    PolicyError,
    YibaoError,
    "The policy data failed its checks, or has no book for the jurisdiction and year asked for (the CLI's exit 3)."
);
create_exception!(
    _yibao,
    PolicyFilesError,
    YibaoError,
    "A policy directory that cannot be read (the CLI's exit 4)."
);

/// Adds the exceptions to the module.
pub(crate) fn register(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    module.add("YibaoError", py.get_type::<YibaoError>())?;
    module.add("ScenarioError", py.get_type::<ScenarioError>())?;
    module.add("ClaimsError", py.get_type::<ClaimsError>())?;
    module.add("ReformError", py.get_type::<ReformError>())?;
    module.add("PolicyError", py.get_type::<PolicyError>())?;
    module.add("PolicyFilesError", py.get_type::<PolicyFilesError>())?;
    Ok(())
}

/// A value of an argument that makes no sense, e.g. an unknown `lang`.
pub(crate) fn bad_argument(message: String) -> PyErr {
    PyValueError::new_err(message)
}
