//! yibao (医保) as a Python module, `yibao._yibao`, wrapped by the Python package `yibao`
//! (`python/yibao/`): the policy library, one person's settlement as the CLI's JSON report,
//! and a population's claims table settled by the batch with the interpreter's lock released.
//!
//! The module speaks to Python in plain values (text, bytes, numbers and the dicts of JSON)
//! and in Arrow: a claims table (and a persons table) arrives through the Arrow PyCapsule C
//! stream interface (`__arrow_c_stream__`, imported by `pyo3-arrow`: the columns' buffers
//! shared, not copied), read by the batch's Arrow path, and its outputs leave as Arrow IPC
//! files, which the Python package turns into `pyarrow.Table`s; every error is one of the
//! exceptions of `errors`, with the one-line message of the CLI.
//!
//! `unsafe`: none here. The FFI with CPython is pyo3's, inside pyo3 and the expansions of its
//! macros (`#[pymodule]`, `#[pyclass]`, `#[pymethods]`), which compile under the workspace's
//! `unsafe_code = "forbid"`; the import of the Arrow C stream (its C structs and release
//! callbacks) is `pyo3-arrow`'s and arrow's `ffi_stream`, inside those crates.

#![forbid(unsafe_code)]

mod arrow_stream;
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
