//! The settings of a batch: the mode, the options, the sinks the results go to and the
//! progress reported.

use std::io::Write;
use std::num::NonZeroUsize;
use std::sync::Arc;

use serde::Serialize;
use yibao::policy::PolicyLibrary;
use yibao_core::{Lang, PolicyYear};

use crate::file_format::TableFormat;
use crate::readers::LINES_CHUNK;

/// What the workers do with each person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchMode {
    /// Settle every person and write the results.
    Settle,
    /// Read and parse every row into a person's scenario, settle nothing, write no results
    /// (bad rows still go to the errors file). The floor of a benchmark.
    ParseOnly,
}

/// The settings of a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchOptions {
    /// The insured place, e.g. `huaian`.
    pub jurisdiction: String,
    /// The policy year.
    pub year: PolicyYear,
    /// Worker threads (the reader and the writer run beside them); with one, the calling
    /// thread reads, settles and writes, and no thread is started.
    pub threads: NonZeroUsize,
    /// Settle, or only parse.
    pub mode: BatchMode,
    /// The size of a block of whole lines handed to a worker (256 KiB), when the file is
    /// known to hold no split person; small blocks cross more block boundaries (fuzzing).
    pub block_bytes: NonZeroUsize,
    /// The persons table the claims are joined to (`--persons`); `None`: every person is
    /// covered on every day of the year, and the summary says so.
    pub persons: Option<crate::PersonsTableRef>,
    /// A reform to settle every person under beside the baseline, in the same pass: the
    /// output grows the reform's columns ([`REFORM_COLUMNS`](crate::REFORM_COLUMNS)) and the
    /// summary the reform's totals. `None`: the baseline only.
    pub reform: Option<BatchReform>,
    /// The format of the claims file the batch reads as text: CSV, or a Parquet or Arrow
    /// table read through [`TableReader`](crate::TableReader), whose rows are numbered from 1
    /// (`row N` in errors, a `row` column in the errors and per-claim outputs).
    pub input_format: TableFormat,
    /// The language of the errors file's `reason` column (English by default). Every other
    /// output, the errors file's columns and the machine summary are the same in every
    /// language.
    pub lang: Lang,
}

/// A reform of a batch: the library with the batch's book reformed
/// ([`PolicyLibrary::reformed`]) and how the reform was given (its file and settings).
#[derive(Clone, Debug)]
pub struct BatchReform {
    /// The library with the book reformed.
    pub library: Arc<PolicyLibrary>,
    /// The reform as given, e.g. `--set benefits.inpatient.ratio.by_level.level_3=70%`.
    pub changes: String,
}

/// Two reforms are the same when they are the same library and the same changes.
impl PartialEq for BatchReform {
    fn eq(&self, other: &BatchReform) -> bool {
        Arc::ptr_eq(&self.library, &other.library) && self.changes == other.changes
    }
}

impl Eq for BatchReform {}

impl BatchOptions {
    /// Settle `jurisdiction`'s `year` with one worker per available core.
    pub fn new(jurisdiction: impl Into<String>, year: PolicyYear) -> BatchOptions {
        BatchOptions {
            jurisdiction: jurisdiction.into(),
            year,
            threads: std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN),
            mode: BatchMode::Settle,
            block_bytes: NonZeroUsize::new(LINES_CHUNK).unwrap_or(NonZeroUsize::MIN),
            persons: None,
            reform: None,
            input_format: TableFormat::Csv,
            lang: Lang::En,
        }
    }
}

/// Where the results go. Each sink receives its header row first.
pub struct Sinks<'a> {
    /// One row per settled person ([`OUTPUT_HEADER`](crate::OUTPUT_HEADER)).
    pub output: &'a mut dyn Write,
    /// One row per input row in error ([`ERRORS_HEADER`](crate::ERRORS_HEADER)).
    pub errors: &'a mut dyn Write,
    /// One row per settled claim ([`PER_CLAIM_HEADER`](crate::PER_CLAIM_HEADER)), in input order, when wanted.
    pub per_claim: Option<&'a mut dyn Write>,
}

/// How far a batch has got, reported after each chunk is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Input bytes consumed.
    pub bytes: u64,
    /// Rows done.
    pub rows: u64,
    /// Persons settled.
    pub persons: u64,
}
