//! A population's claims settled by the batch ([`yibao_batch::run`]) on the batch's Arrow
//! path, from and to bytes held in memory, with the interpreter's lock released and one
//! worker per core.
//!
//! The claims are an Arrow IPC stream (the Python package writes the table given to it):
//! the batch reads its record batches through [`TableReader`], as it reads a Parquet or
//! Arrow claims file, so its rows are numbered from 1 (`row N` in errors) and its columns'
//! types are checked as a file's are (a floating-point amount refused by name). The outputs
//! are Arrow IPC files written by [`TableWriter`] (typed: money `Decimal128(18, 2)`, dates
//! `Date32`, positions `Int64`), the tables `yibao batch` writes to `--output`, `--errors`
//! and `--per-claim` for the same claims as an Arrow file; the summary is the batch's own
//! figures, as JSON. A persons table comes the same way, an Arrow IPC stream read whole as
//! `yibao batch --persons` reads its file. The persons are presumed in ascending order of `person_id`, as
//! `yibao batch` presumes of a file, and a table that is not is settled again after a first
//! pass finds the persons whose rows are not contiguous.

use std::io::Cursor;
use std::num::NonZeroUsize;
use std::sync::Arc;

use arrow_ipc::reader::StreamReader;
use pyo3::prelude::*;
use yibao::core::PolicyYear;
use yibao::policy::{PolicyLibrary, Reform};
use yibao_batch::{
    BatchError, BatchOptions, BatchReform, BatchSummary, Contiguity, PersonsTable, PersonsTableRef,
    RecordBatches, Sinks, TableFormat, TableReader, TableWriter, find_split_persons_in_table,
};

use crate::errors::{ClaimsError, PolicyError, ReformError, YibaoError};

/// The name of the claims in the batch's messages.
const CLAIMS: &str = "the claims table";
/// The name of the persons table in the batch's messages.
const PERSONS: &str = "the persons table";

/// What to settle the claims under.
pub(crate) struct TableRequest {
    pub(crate) jurisdiction: String,
    pub(crate) year: PolicyYear,
    /// A reform settled beside the baseline (the batch's `--reform` and `--set`).
    pub(crate) reform: Option<Reform>,
    /// Whether the per-claim output is wanted.
    pub(crate) per_claim: bool,
    /// Worker threads; `None`: one per core.
    pub(crate) threads: Option<usize>,
}

/// The batch's outputs, in memory: Arrow IPC files.
pub(crate) struct SettledTable {
    pub(crate) results: Vec<u8>,
    pub(crate) errors: Vec<u8>,
    pub(crate) per_claim: Option<Vec<u8>>,
    /// The batch's summary as JSON.
    pub(crate) summary: String,
}

/// The reform of a reform file's `(name, text)` and `path=value` settings, refused as the
/// CLI refuses `--reform` and `--set`; `None` when neither is given.
pub(crate) fn reform(
    file: Option<(String, String)>,
    settings: &[String],
) -> PyResult<Option<Reform>> {
    if file.is_none() && settings.is_empty() {
        return Ok(None);
    }
    let refused = |e: yibao::policy::ReformError| ReformError::new_err(e.to_string());
    let mut reform = match file {
        Some((name, text)) => Reform::from_file(name, &text).map_err(refused)?,
        None => Reform::default(),
    };
    for setting in settings {
        reform.set(setting).map_err(refused)?;
    }
    Ok(Some(reform))
}

/// A batch that stopped, as the exception of its kind with the CLI's message.
fn stopped(error: &BatchError) -> PyErr {
    let message = error.to_string();
    match error {
        BatchError::Policy { .. } => PolicyError::new_err(message),
        BatchError::Header { .. }
        | BatchError::Read { .. }
        | BatchError::PersonsTable { .. }
        | BatchError::TotalTooLarge { .. } => ClaimsError::new_err(message),
        _ => YibaoError::new_err(message),
    }
}

/// An Arrow IPC stream named `name` read as the text of a CSV table (module docs).
fn table_reader(name: &str, stream: &Arc<[u8]>) -> Result<TableReader, BatchError> {
    let reader = StreamReader::try_new(Cursor::new(Arc::clone(stream)), None).map_err(|e| {
        BatchError::Read {
            message: format!("{name}: not an Arrow IPC stream: {e}"),
        }
    })?;
    let schema = reader.schema();
    let batches: RecordBatches = Box::new(reader);
    TableReader::new(name, &schema, batches)
}

/// The persons table of an Arrow IPC stream, read whole as the batch reads `--persons`.
fn persons_table(persons: &[u8]) -> Result<PersonsTableRef, BatchError> {
    let stream: Arc<[u8]> = Arc::from(persons);
    let table = PersonsTable::read(PERSONS, table_reader(PERSONS, &stream)?)?;
    Ok(PersonsTableRef(Arc::new(table)))
}

/// Settles `claims` (an Arrow IPC stream's bytes) as `request` says, without the
/// interpreter's lock.
pub(crate) fn settle_table(
    py: Python<'_>,
    library: &PolicyLibrary,
    claims: &[u8],
    persons: Option<&[u8]>,
    request: &TableRequest,
) -> PyResult<SettledTable> {
    let mut options = BatchOptions::new(request.jurisdiction.clone(), request.year);
    options.input_format = TableFormat::ArrowStream;
    if let Some(threads) = request.threads.and_then(NonZeroUsize::new) {
        options.threads = threads;
    }
    if let Some(reform) = &request.reform {
        let reformed = library
            .reformed(&request.jurisdiction, request.year, reform)
            .map_err(|e| ReformError::new_err(e.to_string()))?;
        options.reform = Some(BatchReform {
            library: Arc::new(reformed),
            changes: reform.describe(),
        });
    }
    let claims: Arc<[u8]> = Arc::from(claims);
    py.detach(|| {
        if let Some(persons) = persons {
            options.persons = Some(persons_table(persons)?);
        }
        let per_claim = request.per_claim;
        match run(library, &options, &claims, Contiguity::Ascending, per_claim) {
            Err(BatchError::NotAscending { .. }) => {
                let split = find_split_persons_in_table(table_reader(CLAIMS, &claims)?)?;
                run(
                    library,
                    &options,
                    &claims,
                    Contiguity::Known(split),
                    per_claim,
                )
            }
            settled => settled,
        }
    })
    .map_err(|e| stopped(&e))
}

/// One run of the batch over `claims` into fresh outputs.
fn run(
    library: &PolicyLibrary,
    options: &BatchOptions,
    claims: &Arc<[u8]>,
    contiguity: Contiguity,
    per_claim: bool,
) -> Result<SettledTable, BatchError> {
    let table = || TableWriter::new(Vec::new(), TableFormat::Arrow);
    let (mut results, mut errors) = (table(), table());
    let mut claim_rows = per_claim.then(table);
    let sinks = Sinks {
        output: &mut results,
        errors: &mut errors,
        per_claim: claim_rows
            .as_mut()
            .map(|rows| rows as &mut dyn std::io::Write),
    };
    let reader = table_reader(CLAIMS, claims)?;
    let summary: BatchSummary =
        yibao_batch::run_table(library, options, reader, &contiguity, sinks, &mut |_| {})?;
    let summary = serde_json::to_string(&summary).map_err(|e| BatchError::Internal {
        message: format!("the summary does not serialise: {e}"),
    })?;
    let finished = |what: &'static str, writer: TableWriter<Vec<u8>>| {
        writer.finish().map_err(|e| BatchError::Write {
            what,
            message: e.to_string(),
        })
    };
    Ok(SettledTable {
        results: finished("output", results)?,
        errors: finished("errors file", errors)?,
        per_claim: claim_rows
            .map(|rows| finished("per-claim output", rows))
            .transpose()?,
        summary,
    })
}
