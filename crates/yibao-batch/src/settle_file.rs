//! One call for a whole claims file: how persons whose rows are not contiguous are found,
//! and the restart when a file presumed in order is not, decided here rather than by each
//! caller.
//!
//! A stream is read once ([`Contiguity::Streaming`]). A file whose outputs can all be written
//! again is presumed in ascending order of `person_id` (the usual export, no first pass),
//! the writer checking the order as it goes; should a person come out of order, a first pass
//! finds the split persons and the outputs are opened and written again from the start.
//! Otherwise (an output that cannot be written again, such as standard output) the first
//! pass comes first.

use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

use yibao::policy::PolicyLibrary;

use crate::error::BatchError;
use crate::first_pass::{find_split_persons_in_file, scan_persons};
use crate::options::{BatchOptions, Progress, Sinks};
use crate::persons::{Contiguity, SplitPersons};
use crate::readers::{check_header, open_table};
use crate::summary::BatchSummary;
use crate::workers::{run, run_table};

/// A claims file that can be read again from its start (for a first pass, or a restart).
pub trait InputFile {
    /// What goes wrong when the caller opens the file.
    type Error: From<BatchError>;

    /// The file's path, for the first pass (which reads it in parts at once); a Parquet or
    /// Arrow IPC file ([`BatchOptions::input_format`]) is opened by its path with
    /// [`open_table`](crate::open_table), to be read as typed columns.
    fn path(&self) -> &Path;

    /// Opens the file for a read from its start.
    ///
    /// # Errors
    /// When the file cannot be opened.
    fn open(&mut self) -> Result<Box<dyn Read + Send + '_>, Self::Error>;
}

/// The outputs of a run, which [`settle_file`] may open more than once.
pub trait Outputs {
    /// What goes wrong when the caller opens the outputs.
    type Error: From<BatchError>;

    /// Opens every output for a run, from its start: called once per run, again when the
    /// run restarts (then what the earlier run wrote must be discarded).
    ///
    /// # Errors
    /// When an output cannot be opened or created.
    fn open(&mut self) -> Result<Sinks<'_>, Self::Error>;

    /// Whether every output can be written again from the start (none is standard output,
    /// a device or a pipe). When one cannot, a file is read first to find persons whose rows
    /// are not contiguous.
    fn rewritable(&self) -> bool;
}

/// Where a batch reads its claims file.
pub enum Input<'a, F> {
    /// A stream, read once as it comes (standard input): a person seen again after other
    /// persons has those later rows refused.
    Stream(&'a mut (dyn Read + Send)),
    /// A file, which may be read more than once.
    File(&'a mut F),
}

/// Whether and when a file was read first to find persons whose rows are not contiguous.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FirstPass {
    /// None: a stream is read once.
    Stream,
    /// None needed: the persons ascend, as the writer checked.
    NotNeeded,
    /// Read first (some output cannot be written again), in this time.
    Ran(Duration),
    /// Read after the run found a person out of order and stopped; then settled again.
    AfterDescent {
        /// The first pass's time.
        time: Duration,
        /// How long the run went before it stopped.
        stopped_after: Duration,
        /// The line of the person out of order.
        line: u64,
        /// That person.
        person: String,
        /// The person before it, at or above it.
        after: String,
    },
}

/// What [`settle_file`] did: the batch's summary and the first pass it needed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FileSummary {
    /// The run that completed.
    pub summary: BatchSummary,
    /// Whether and when a first pass was made.
    pub first_pass: FirstPass,
}

/// Settles a claims file into `outputs`, choosing how persons whose rows are not contiguous
/// are found, and running again from the start when a file presumed in order turns out not
/// to be. `progress` is called after each chunk written.
///
/// A stream is read once ([`Contiguity::Streaming`]). A file whose outputs can all be
/// written again ([`Outputs::rewritable`]) is presumed in ascending order of `person_id`
/// (no first pass), its header checked before the outputs are opened, the writer checking
/// the order as it goes; should a person come out of order, a first pass finds the split
/// persons and the outputs are opened and written again from the start. Otherwise the
/// first pass comes first. [`FileSummary::first_pass`] says which.
///
/// ```
/// use yibao::core::PolicyYear;
/// use yibao::policy::{PolicyFiles, PolicyLibrary};
/// use yibao_batch::{BatchError, BatchOptions, FilePath, FirstPass, Input, Outputs, Sinks};
///
/// /// Outputs in memory, written again from the start at each open.
/// #[derive(Default)]
/// struct Memory {
///     output: Vec<u8>,
///     errors: Vec<u8>,
/// }
///
/// impl Outputs for Memory {
///     type Error = BatchError;
///     fn open(&mut self) -> Result<Sinks<'_>, BatchError> {
///         self.output.clear();
///         self.errors.clear();
///         Ok(Sinks { output: &mut self.output, errors: &mut self.errors, per_claim: None })
///     }
///     fn rewritable(&self) -> bool {
///         true
///     }
/// }
///
/// let library = PolicyLibrary::load(&PolicyFiles::embedded())?;
/// let path = std::env::temp_dir().join(format!("yibao-settle-file-{}.csv", std::process::id()));
/// std::fs::write(&path, "person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount
/// B,ordinary,false,2,false,2026-03-01,inpatient,3,10000
/// A,ordinary,false,2,false,2026-04-01,inpatient,3,10000
/// ")?;
/// let options = BatchOptions::new("huaian", PolicyYear::new(2026)?);
/// let mut outputs = Memory::default();
/// let input = Input::File(&mut FilePath(&path));
/// let done = yibao_batch::settle_file(&library, &options, input, &mut outputs, &mut |_| {})?;
/// std::fs::remove_file(&path)?;
/// // B, then A: not in ascending order, so the file was read first and settled again.
/// assert!(matches!(done.first_pass, FirstPass::AfterDescent { line: 3, .. }));
/// assert_eq!(done.summary.persons_settled, 2);
/// assert_eq!(String::from_utf8(outputs.output)?.lines().count(), 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`run`], and the callers' own errors when the input or the outputs cannot be opened.
/// The outputs of a failed run are incomplete.
pub fn settle_file<F, E>(
    library: &PolicyLibrary,
    options: &BatchOptions,
    input: Input<'_, F>,
    outputs: &mut dyn Outputs<Error = E>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<FileSummary, E>
where
    F: InputFile<Error = E>,
    E: From<BatchError>,
{
    let started = Instant::now();
    let file = match input {
        Input::Stream(reader) => {
            let sinks = outputs.open()?;
            let summary = run(
                library,
                options,
                reader,
                &Contiguity::Streaming,
                sinks,
                progress,
            )?;
            return Ok(FileSummary {
                summary,
                first_pass: FirstPass::Stream,
            });
        }
        Input::File(file) => file,
    };
    let (mut contiguity, mut first_pass) = if outputs.rewritable() {
        // The header is checked before the outputs are created, as a first pass would.
        if options.input_format.is_table() {
            open_table(file.path(), options.input_format)?.into_source()?;
        } else {
            check_header(file.open()?)?;
        }
        (Contiguity::Ascending, FirstPass::NotNeeded)
    } else {
        let (split, time) = read_first(file, options)?;
        (Contiguity::Known(split), FirstPass::Ran(time))
    };
    loop {
        let sinks = outputs.open()?;
        let settled = if options.input_format.is_table() {
            let table = open_table(file.path(), options.input_format)?;
            run_table(library, options, table, &contiguity, sinks, progress)
        } else {
            run(library, options, file.open()?, &contiguity, sinks, progress)
        };
        match settled {
            Ok(summary) => {
                return Ok(FileSummary {
                    summary,
                    first_pass,
                });
            }
            Err(BatchError::NotAscending {
                line,
                person,
                after,
            }) if contiguity == Contiguity::Ascending => {
                let stopped_after = started.elapsed();
                let (split, time) = read_first(file, options)?;
                contiguity = Contiguity::Known(split);
                first_pass = FirstPass::AfterDescent {
                    time,
                    stopped_after,
                    line,
                    person,
                    after,
                };
            }
            Err(error) => return Err(error.into()),
        }
    }
}

/// The first pass over a file, and how long it took: a CSV file in parts at once, a table
/// read through once as text.
fn read_first<F: InputFile<Error = E>, E: From<BatchError>>(
    file: &mut F,
    options: &BatchOptions,
) -> Result<(SplitPersons, Duration), E> {
    let started = Instant::now();
    let split = if options.input_format.is_table() {
        scan_persons(file.open()?, options.input_format.header_lines())?
    } else {
        find_split_persons_in_file(file.path(), options.threads)?
    };
    Ok((split, started.elapsed()))
}
