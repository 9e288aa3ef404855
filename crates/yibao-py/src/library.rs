//! `Library`: the policy data, loaded and checked once, and what is asked of it.

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple};
use pyo3_arrow::PyRecordBatchReader;
use yibao::core::PolicyYear;
use yibao::policy::{PolicyFiles, PolicyLibrary};

use crate::errors::{PolicyError, PolicyFilesError, ScenarioError};
use crate::{scenario, table};

/// The policy data: the copy embedded in the module, or a directory in the layout of
/// `policy-data/`, loaded and checked as `yibao --policy-dir` does.
#[pyclass(module = "yibao", frozen)]
pub(crate) struct Library {
    pub(crate) library: PolicyLibrary,
}

/// A JSON text as Python values (`json.loads`).
pub(crate) fn json_value<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("json")?.call_method1("loads", (text,))
}

/// The year of a policy book, refused as the CLI refuses it.
pub(crate) fn policy_year(year: i64) -> PyResult<PolicyYear> {
    PolicyYear::new(year).map_err(|e| ScenarioError::new_err(e.to_string()))
}

#[pymethods]
impl Library {
    #[new]
    #[pyo3(signature = (policy_dir=None))]
    fn new(py: Python<'_>, policy_dir: Option<PathBuf>) -> PyResult<Library> {
        let files = match policy_dir {
            None => PolicyFiles::embedded(),
            Some(dir) => {
                PolicyFiles::from_dir(&dir).map_err(|e| PolicyFilesError::new_err(e.to_string()))?
            }
        };
        let library = py
            .detach(|| PolicyLibrary::load(&files))
            .map_err(|e| PolicyError::new_err(e.to_string().trim_end().to_owned()))?;
        Ok(Library { library })
    }

    /// Every book of the data, as `(jurisdiction, year)` pairs in the order of
    /// `yibao policies list`.
    fn books<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let pairs = self
            .library
            .books()
            .map(|book| {
                PyTuple::new(
                    py,
                    [
                        book.jurisdiction.clone().into_pyobject(py)?.into_any(),
                        book.year.get().into_pyobject(py)?.into_any(),
                    ],
                )
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, pairs)
    }

    /// The book of `jurisdiction` and `year`: a dict of `jurisdiction`, `year`, `sections`
    /// (each section's coverage: `present`, `inherited`, `absent` or `not_given`) and `values` (every value
    /// in force: `key`, `value`, `set_by`, `file`, as `yibao policies show` lists them).
    fn book<'py>(
        &self,
        py: Python<'py>,
        jurisdiction: &str,
        year: i64,
    ) -> PyResult<Bound<'py, PyDict>> {
        let book = self
            .library
            .book(jurisdiction, policy_year(year)?)
            .map_err(|e| PolicyError::new_err(e.to_string()))?;
        let dict = PyDict::new(py);
        dict.set_item("jurisdiction", &book.jurisdiction)?;
        dict.set_item("year", book.year.get())?;
        let sections = PyDict::new(py);
        for (name, (coverage, _)) in &book.origins {
            sections.set_item(*name, coverage_word(*coverage))?;
        }
        dict.set_item("sections", sections)?;
        let values = PyList::empty(py);
        for value in book.values.iter() {
            let entry = PyDict::new(py);
            entry.set_item("key", &value.key)?;
            entry.set_item("value", &value.value)?;
            entry.set_item("set_by", &value.set_by)?;
            entry.set_item("file", &value.file)?;
            values.append(entry)?;
        }
        dict.set_item("values", values)?;
        Ok(dict)
    }

    /// One person's year: the scenario's bytes (`format` `toml` or `json`, named `name` in
    /// errors; UTF-8 checked as the CLI checks a file), settled; the report as `yibao settle --format json` writes it, as Python
    /// values. Without `explain` the steps of each figure are left empty.
    #[pyo3(signature = (data, *, format, name, explain))]
    fn settle<'py>(
        &self,
        py: Python<'py>,
        data: &[u8],
        format: &str,
        name: &str,
        explain: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let json = scenario::settle_json(py, &self.library, data.to_vec(), format, name, explain)?;
        json_value(py, &json)
    }

    /// A claims table, and a persons table, taken through the Arrow C stream interface
    /// (`__arrow_c_stream__`), settled by the batch: see [`table::settle_table`]. The
    /// outputs come back as `outputs` says: `"arrow_files"`, the bytes of the Arrow IPC
    /// files `yibao batch` writes; `"tables"`, the `pyarrow.Table`s of the same record
    /// batches, handed over without being encoded.
    #[pyo3(signature = (claims, persons=None, *, jurisdiction, year, reform_file=None, settings=Vec::new(), per_claim=false, threads=None, outputs="arrow_files"))]
    #[allow(clippy::too_many_arguments)]
    fn settle_table<'py>(
        &self,
        py: Python<'py>,
        claims: PyRecordBatchReader,
        persons: Option<PyRecordBatchReader>,
        jurisdiction: String,
        year: i64,
        reform_file: Option<(String, String)>,
        settings: Vec<String>,
        per_claim: bool,
        threads: Option<usize>,
        outputs: &str,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let outputs = match outputs {
            "arrow_files" => table::OutputsAs::ArrowFiles,
            "tables" => table::OutputsAs::Tables,
            other => {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "outputs is `arrow_files` or `tables`, not `{other}`"
                )));
            }
        };
        let request = table::TableRequest {
            jurisdiction,
            year: policy_year(year)?,
            reform: table::reform(reform_file, &settings)?,
            per_claim,
            threads,
            outputs,
        };
        let settled = table::settle_table(py, &self.library, claims, persons, &request)?;
        let per_claim = match settled.per_claim {
            Some(output) => settled_output(py, output)?,
            None => py.None().into_bound(py),
        };
        PyTuple::new(
            py,
            [
                settled_output(py, settled.results)?,
                settled_output(py, settled.errors)?,
                per_claim,
                json_value(py, &settled.summary)?,
            ],
        )
    }
}

/// An output of the batch as a Python value: an Arrow IPC file as `bytes`, a table as a
/// `pyarrow.Table` of its record batches (shared, not copied, through the Arrow C stream
/// interface).
fn settled_output(py: Python<'_>, output: table::SettledOutput) -> PyResult<Bound<'_, PyAny>> {
    match output {
        table::SettledOutput::ArrowFile(bytes) => {
            Ok(pyo3::types::PyBytes::new(py, &bytes).into_any())
        }
        table::SettledOutput::Table(schema, batches) => {
            let schema =
                schema.unwrap_or_else(|| std::sync::Arc::new(arrow_schema::Schema::empty()));
            pyo3_arrow::PyTable::try_new(batches, schema)?.into_pyarrow(py)
        }
    }
}

fn coverage_word(coverage: yibao::policy::Coverage) -> &'static str {
    match coverage {
        yibao::policy::Coverage::Present => "present",
        yibao::policy::Coverage::Inherited => "inherited",
        yibao::policy::Coverage::Absent => "absent",
        yibao::policy::Coverage::NotGiven => "not_given",
    }
}
