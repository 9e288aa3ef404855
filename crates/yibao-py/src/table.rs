//! A population's claims settled by the batch ([`yibao_batch::run`]) on the batch's Arrow
//! path, from tables handed over by Python and into outputs held in memory, with the
//! interpreter's lock released and one worker per core.
//!
//! The claims are a table taken through the Arrow C stream interface ([`ArrowTable`]: its
//! columns' buffers shared, not copied): the batch reads its record batches through
//! [`TableReader`], as it reads a Parquet or Arrow claims file, so its rows are numbered
//! from 1 (`row N` in errors) and its columns' types are checked as a file's are (a
//! floating-point amount refused by name). The outputs are the tables `yibao batch` writes
//! to `--output`, `--errors` and `--per-claim` for the same claims as an Arrow file (typed:
//! money `Decimal128(18, 2)`, dates `Date32`, positions `Int64`), made by [`TableWriter`]
//! from record batches the batch's workers make of each chunk's rows, in parallel
//! ([`yibao_batch::run_table_to`]): either the Arrow IPC files' bytes (the same bytes as the
//! CLI's, [`OutputsAs::ArrowFiles`]) or the record batches those files hold, handed to
//! Python as they are ([`OutputsAs::Tables`], what `yibao.settle_table` returns); the
//! summary is the batch's own figures, as JSON. A persons
//! table comes the same way, read whole as `yibao batch --persons` reads its file. The
//! persons are presumed in ascending order of `person_id`, as `yibao batch` presumes of a
//! file, and a table that is not is settled again after a first pass finds the persons
//! whose rows are not contiguous.

use std::io::{self, Write};
use std::num::NonZeroUsize;
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use pyo3::prelude::*;
use pyo3_arrow::PyRecordBatchReader;
use yibao::core::PolicyYear;
use yibao::policy::{PolicyLibrary, Reform};
use yibao_batch::{
    BatchError, BatchOptions, BatchReform, BatchSummary, Contiguity, PersonsTable, PersonsTableRef,
    RowsSink, TableFormat, TableSinks, TableWriter, find_split_persons_in_table,
};

use crate::arrow_stream::ArrowTable;
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
    /// What the outputs come back as.
    pub(crate) outputs: OutputsAs,
}

/// What the batch's outputs come back to Python as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OutputsAs {
    /// The bytes of the Arrow IPC files `yibao batch` writes (`--output r.arrow`).
    ArrowFiles,
    /// The record batches those files hold, handed over as they are (through the Arrow C
    /// stream interface), neither encoded nor read back.
    Tables,
}

/// An output of the batch, in memory.
pub(crate) enum SettledOutput {
    /// An Arrow IPC file's bytes.
    ArrowFile(Vec<u8>),
    /// The record batches of the table (its schema `None` when no header row came).
    Table(Option<SchemaRef>, Vec<RecordBatch>),
}

/// The batch's outputs, in memory.
pub(crate) struct SettledTable {
    pub(crate) results: SettledOutput,
    pub(crate) errors: SettledOutput,
    pub(crate) per_claim: Option<SettledOutput>,
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

/// The persons table, read whole as the batch reads `--persons`.
fn persons_table(persons: &ArrowTable) -> Result<PersonsTableRef, BatchError> {
    let table = PersonsTable::read(PERSONS, persons.reader()?)?;
    Ok(PersonsTableRef(Arc::new(table)))
}

/// Settles `claims` (and `persons`), tables handed over through the Arrow C stream
/// interface, as `request` says; the tables are imported with the interpreter's lock held
/// and settled without it.
pub(crate) fn settle_table(
    py: Python<'_>,
    library: &PolicyLibrary,
    claims: PyRecordBatchReader,
    persons: Option<PyRecordBatchReader>,
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
    let imported = ArrowTable::import(CLAIMS, claims).and_then(|claims| {
        let persons = persons
            .map(|persons| ArrowTable::import(PERSONS, persons))
            .transpose()?;
        Ok((claims, persons))
    });
    let (claims, persons) = imported.map_err(|e| stopped(&e))?;
    let settled = py.detach(|| {
        if let Some(persons) = &persons {
            options.persons = Some(persons_table(persons)?);
        }
        match run(library, &options, &claims, Contiguity::Ascending, request) {
            Err(BatchError::NotAscending { .. }) => {
                let split = find_split_persons_in_table(claims.reader()?)?;
                run(
                    library,
                    &options,
                    &claims,
                    Contiguity::Known(split),
                    request,
                )
            }
            settled => settled,
        }
    });
    // The imported batches are released here, with the lock held again: a producer's
    // release may need the interpreter (a pandas frame's buffers are NumPy's).
    drop((claims, persons));
    settled.map_err(|e| stopped(&e))
}

/// One run of the batch over `claims` into fresh outputs of the kind `request` asks for.
fn run(
    library: &PolicyLibrary,
    options: &BatchOptions,
    claims: &ArrowTable,
    contiguity: Contiguity,
    request: &TableRequest,
) -> Result<SettledTable, BatchError> {
    match request.outputs {
        OutputsAs::ArrowFiles => run_into(
            library,
            options,
            claims,
            contiguity,
            request.per_claim,
            || TableWriter::new(Vec::new(), TableFormat::Arrow),
            |writer| writer.finish().map(SettledOutput::ArrowFile),
        ),
        OutputsAs::Tables => run_into(
            library,
            options,
            claims,
            contiguity,
            request.per_claim,
            TableWriter::in_memory,
            |writer| {
                let (schema, batches) = writer.into_batches()?;
                Ok(SettledOutput::Table(schema, batches))
            },
        ),
    }
}

/// One run of the batch over `claims` into the table writers `table` makes, each made into
/// an output by `finish` after the run.
fn run_into<W: Write>(
    library: &PolicyLibrary,
    options: &BatchOptions,
    claims: &ArrowTable,
    contiguity: Contiguity,
    per_claim: bool,
    table: impl Fn() -> TableWriter<W>,
    finish: impl Fn(TableWriter<W>) -> io::Result<SettledOutput>,
) -> Result<SettledTable, BatchError> {
    let (mut results, mut errors) = (table(), table());
    let mut claim_rows = per_claim.then(table);
    let sinks = TableSinks {
        output: &mut results,
        errors: &mut errors,
        per_claim: claim_rows.as_mut().map(|rows| rows as &mut dyn RowsSink),
    };
    let reader = claims.reader()?;
    let summary: BatchSummary =
        yibao_batch::run_table_to(library, options, reader, &contiguity, sinks, &mut |_| {})?;
    let summary = serde_json::to_string(&summary).map_err(|e| BatchError::Internal {
        message: format!("the summary does not serialise: {e}"),
    })?;
    let finished = |what: &'static str, writer: TableWriter<W>| {
        finish(writer).map_err(|e| BatchError::Write {
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
