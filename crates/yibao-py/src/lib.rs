//! yibao (医保) as a Python module, `yibao._yibao`, wrapped by the Python package `yibao`
//! (`python/yibao/`): the policy library, one person's settlement as the CLI's JSON report,
//! and a population's claims table settled by the batch with the interpreter's lock released.
//!
//! The module speaks to Python in plain values (text, bytes, numbers and the dicts of JSON):
//! a claims table (and a persons table) arrives as an Arrow IPC stream, read by the batch's
//! Arrow path, and its outputs leave as Arrow IPC files, which the Python package turns into
//! and out of `pyarrow.Table`s; every error is one of the exceptions of `errors`, with the
//! one-line message of the CLI.
//!
//! `unsafe`: none. The FFI with CPython is pyo3's, inside pyo3 and the expansions of its
//! macros (`#[pymodule]`, `#[pyclass]`, `#[pymethods]`), which compile under the workspace's
//! `unsafe_code = "forbid"`.

#![forbid(unsafe_code)]

mod errors;
mod library;
mod scenario;
mod table;

use pyo3::prelude::*;

/// The native part of the `yibao` package.
#[pymodule]
fn _yibao(module: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(module)?;
    module.add_class::<library::Library>()?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
