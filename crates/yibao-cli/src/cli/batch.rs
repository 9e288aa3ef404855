//! `yibao batch`: settle a claims file person by person (see [`yibao_batch`] for the
//! format), with a progress bar on a terminal and a reconciled summary on standard error.
//!
//! Outputs never clobber ([`super::output_files`]): the output paths are checked against the
//! input and each other, and the arguments and the policy book before anything is opened for
//! writing; each output file is written beside its target and renamed over it only when the
//! run has succeeded (with or without rows in error). A regular input file that changes while
//! it is read fails the run ([`super::input_file`]).
//!
//! Formats: the input and each output are CSV, Parquet or Arrow IPC by their extension
//! (`.parquet`; `.arrow`, `.ipc`; `.arrows` for an IPC stream), or as `--input-format` and
//! `--output-format` say. A table output goes through the same temporary and rename as a
//! CSV one ([`output_files::FormattedSink`]), so a failed or killed run leaves no
//! complete-looking table. A table input is read from a regular file only (Parquet needs
//! to seek); its change while read is not watched as a CSV file's is (a Parquet reader
//! reads the footer first, so the bytes read do not tell the file's size), but a file cut
//! short fails to read.
//!
//! Exit codes: 0 every row settled (or standard output's reader went away); 1 some rows are
//! in the errors file (the rest settled), or the header, an argument or a file changed while
//! read was refused; 2 usage error (an output that is the input or another output, a
//! `--threads` out of bounds); 3 the policy data failed its checks; 4 a file could not be
//! read or written.

use std::io::{IsTerminal, Read, Write};
use std::num::NonZeroUsize;
use std::path::Path;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use yibao::core::{PolicyYear, Said};
use yibao::policy::{PolicyFiles, PolicyLibrary};
use yibao_batch::{
    self as batch, BatchError, BatchMode, BatchOptions, BatchReform, BatchSummary, FirstPass,
    Sinks, TableFormat,
};

use super::batch_summary::{self, Timing};
use super::input_file::Watched;
use super::output_files::{self, Destination, Finished, FormattedSink};
use super::refusal::ValueError;
use super::same_file::{self, Named};
use super::{Failure, Lang};

/// The most worker threads `--threads` accepts. Each worker keeps a few chunks of rows in
/// flight, so the bound keeps memory bounded; 256 is far above the cores of any machine the
/// batch is measured on.
pub(crate) const MAX_THREADS: usize = 256;

/// The arguments of `yibao batch`.
#[derive(Debug, clap::Args)]
pub(crate) struct BatchArgs {
    /// The insured place, e.g. huaian.
    #[arg(long)]
    jurisdiction: String,
    /// The policy year, e.g. 2026; every row's date must be inside it.
    #[arg(long)]
    year: i64,
    /// The claims file: CSV, or Parquet or Arrow IPC by its extension (`.parquet`, `.arrow`,
    /// `.arrows`, `.ipc`) or `--input-format`; `-` reads CSV from standard input.
    #[arg(long, value_name = "FILE")]
    input: String,
    /// The format of the claims file, whatever its extension: csv, parquet, arrow or arrows.
    #[arg(long, value_name = "FORMAT", value_parser = table_format)]
    input_format: Option<TableFormat>,
    /// The format of every output file, whatever its extension: csv, parquet, arrow or
    /// arrows (default: each output's extension, CSV for any other).
    #[arg(long, value_name = "FORMAT", value_parser = table_format)]
    output_format: Option<TableFormat>,
    /// One row per settled person; `-` writes standard output. Never the input or another
    /// output; written beside the target and renamed over it when the run succeeded.
    #[arg(long, value_name = "FILE")]
    output: String,
    /// One row per input row in error (line, person, column, reason); default: standard error.
    #[arg(long, value_name = "FILE")]
    errors: Option<String>,
    /// Also write one row per settled claim, in input order, with its line number.
    #[arg(long, value_name = "FILE")]
    per_claim: Option<String>,
    /// A persons table joined to the claims by person_id: enrolment category and history,
    /// birth date, incentive history, filings (see `yibao_batch::PersonsTable`). Without
    /// it, every person is assumed covered on every day of the year.
    #[arg(long, value_name = "FILE")]
    persons: Option<String>,
    /// The format of the persons table, whatever its extension: csv, parquet, arrow or
    /// arrows (default: its extension, CSV for any other).
    #[arg(long, value_name = "FORMAT", value_parser = table_format)]
    persons_format: Option<TableFormat>,
    /// Also write the summary in machine form (JSON): rows and money reconciled, errors by
    /// reason, assumptions, engine version and policy-data digest, threads and times, and a
    /// reform's totals; written beside the target and renamed over it with the other outputs.
    #[arg(long, value_name = "FILE.json")]
    summary: Option<String>,
    /// Worker threads, and the parts of a first pass read at once: 1 to 256 (default: every
    /// core).
    #[arg(long, value_name = "N", value_parser = threads)]
    threads: Option<NonZeroUsize>,
    /// Read and parse every row, settle nothing (the benchmark floor).
    #[arg(long, hide = true)]
    parse_only: bool,
    /// With --reform or --set, every person is settled under the baseline and the reformed
    /// book in the one pass: the output grows the reform's columns and their differences, the
    /// summary the reform's totals.
    #[command(flatten)]
    reform: super::reform_args::ReformArgs,
}

/// Parses `--input-format` and `--output-format`.
fn table_format(text: &str) -> Result<TableFormat, ValueError> {
    TableFormat::from_name(text).ok_or(ValueError::TableFormat {
        names: &TableFormat::NAMES,
    })
}

/// Parses `--threads`: a whole number from 1 to [`MAX_THREADS`].
fn threads(text: &str) -> Result<NonZeroUsize, ValueError> {
    text.parse::<usize>()
        .ok()
        .and_then(NonZeroUsize::new)
        .filter(|n| n.get() <= MAX_THREADS)
        .ok_or(ValueError::Threads { max: MAX_THREADS })
}

/// Error rows on standard error, out of the progress bar's way. The header row is held back
/// until the first error row, so that a clean run prints only the summary.
struct StderrErrors<'b> {
    bar: &'b ProgressBar,
    /// The header so far, until a byte after its line break arrives.
    held: Option<Vec<u8>>,
}

impl Write for StderrErrors<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = match &mut self.held {
            None => buf.to_vec(),
            Some(held) => {
                held.extend_from_slice(buf);
                match held.iter().position(|b| *b == b'\n') {
                    Some(end) if end + 1 < held.len() => self.held.take().unwrap_or_default(),
                    _ => return Ok(buf.len()),
                }
            }
        };
        self.bar
            .suspend(|| std::io::stderr().lock().write_all(&text))?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// Why the batch stopped, in both languages: a file that could not be read or written
/// (exit 4), else a refused input (exit 1).
fn failure(error: BatchError) -> Failure {
    let said = Said::new(error.to_string(), error.zh());
    match error {
        BatchError::Read { .. } | BatchError::Write { .. } => Failure::File(said),
        _ => Failure::Refused(said),
    }
}

impl From<BatchError> for Failure {
    fn from(error: BatchError) -> Failure {
        failure(error)
    }
}

pub(crate) fn run(
    library: &PolicyLibrary,
    policy_files: &PolicyFiles,
    args: &BatchArgs,
    lang: Lang,
) -> Result<(), Failure> {
    let started = Instant::now();
    let year = PolicyYear::new(args.year).map_err(|e| Failure::of(&e))?;
    let mut options = BatchOptions::new(args.jurisdiction.clone(), year);
    // The errors file's reasons in the language of the run; every other output the same.
    options.lang = lang.into();
    if let Some(threads) = args.threads {
        options.threads = threads;
    }
    if args.parse_only {
        options.mode = BatchMode::ParseOnly;
    }
    // Every argument, the policy book and the paths are checked before any output exists.
    check_book(library, &options)?;
    if let Some(path) = &args.persons {
        let format = args
            .persons_format
            .unwrap_or_else(|| TableFormat::from_path(Path::new(path)));
        let table = batch::PersonsTable::open(Path::new(path), format).map_err(failure)?;
        options.persons = Some(batch::PersonsTableRef(std::sync::Arc::new(table)));
    }
    if let Some((reform, reformed)) = args.reform.reformed(library, &args.jurisdiction, year)? {
        options.reform = Some(BatchReform {
            library: std::sync::Arc::new(reformed),
            changes: reform.describe(),
        });
    }
    let files = Files::plan(args)?;
    options.input_format = files.input_format;

    // How persons whose rows are not contiguous are found, and the restart when a file
    // presumed in order is not, are the batch's (`yibao_batch::settle_file`); the command
    // gives it the input and outputs that it may open again.
    let bar = progress_bar(match files.input {
        // A table's progress is in the bytes of its rows as text: no size to compare.
        _ if files.input_format.is_table() => None,
        Input::Regular { size } => Some(size),
        Input::Stdin | Input::Other => None,
    });
    let (summary, first_pass, finished) = settle(library, args, &files, &options, &bar)?;
    bar.finish_and_clear();

    let timing = Timing {
        total: started.elapsed(),
        first_pass,
    };
    eprint!(
        "{}",
        batch_summary::render(
            &summary,
            options.threads,
            &timing,
            batch::peak_memory_kib(),
            lang
        )
    );
    if !summary.lines_reconcile() {
        let (lines_in, settled, in_error, blank) = (
            summary.lines_in,
            summary.lines_settled,
            summary.lines_in_error,
            summary.lines_blank,
        );
        return Err(Failure::refused(
            format!(
                "the lines of the input do not reconcile: {lines_in} lines in, but {settled} settled + {in_error} in error + {blank} blank; some lines are not accounted for, so the outputs cannot be trusted"
            ),
            format!(
                "输入的文本行数对账不平衡：读入 {lines_in} 行，但已结算 {settled} 行 + 出错 {in_error} 行 + 空白 {blank} 行与之不符；有文本行下落不明，结果不可信"
            ),
        ));
    }
    let mut finished = finished;
    if let Some(destination) = &files.summary {
        let facts = batch::RunFacts {
            policy_data: batch::PolicyDataId {
                label: policy_files.label().to_owned(),
                sha256: policy_files.digest(),
            },
            total: started.elapsed(),
            first_pass: first_pass_time(&timing.first_pass),
            peak_memory_kib: batch::peak_memory_kib(),
        };
        let machine = batch::MachineSummary::new(&summary, &options, facts);
        finished.push(write_summary(destination, &machine)?);
    }
    // The run is complete (rows in error included): every output file replaces its target.
    output_files::commit(finished)?;
    rows_in_error(&summary, args.errors.as_deref())
}

/// The refusal of a run with rows in error (exit 1; the outputs are written), naming where
/// the rows in error are.
fn rows_in_error(summary: &BatchSummary, errors: Option<&str>) -> Result<(), Failure> {
    let table_errors = summary.persons_table.map_or(0, |t| t.rows_in_error);
    if summary.rows_in_error == 0 && table_errors == 0 {
        return Ok(());
    }
    let (place, place_zh) = match errors {
        Some(path) => (path.to_owned(), format!(" `{path}`")),
        None => ("standard error".to_owned(), "标准错误输出".to_owned()),
    };
    if summary.rows_in_error == 0 {
        return Err(Failure::refused(
            format!(
                "{table_errors} rows of the persons table are in error (see {place}); the other persons are settled"
            ),
            format!("人员表有 {table_errors} 行出错（见{place_zh}）；其余参保人已结算"),
        ));
    }
    let (in_error, rows_in) = (summary.rows_in_error, summary.rows_in);
    Err(Failure::refused(
        format!(
            "{in_error} of {rows_in} rows are in error (see {place}); the other rows are settled"
        ),
        format!("{rows_in} 行中有 {in_error} 行出错（见{place_zh}）；其余行已结算"),
    ))
}

/// The first pass's time, when one ran.
fn first_pass_time(first_pass: &FirstPass) -> Option<Duration> {
    match first_pass {
        FirstPass::Stream | FirstPass::NotNeeded => None,
        FirstPass::Ran(time) | FirstPass::AfterDescent { time, .. } => Some(*time),
    }
}

/// Writes the machine summary to its destination, finished and ready to be renamed.
fn write_summary(
    destination: &Destination,
    machine: &batch::MachineSummary,
) -> Result<Finished, Failure> {
    let mut sink = destination.open()?;
    let written = serde_json::to_writer_pretty(&mut sink, machine)
        .map_err(std::io::Error::from)
        .and_then(|()| sink.write_all(b"\n"));
    if let Err(e) = written {
        if !sink.broken_pipe() {
            return Err(Failure::File(Said::new(
                format!("cannot write the summary: {e}"),
                format!("无法写出汇总：{}", super::refusal::io_reason_zh(&e)),
            )));
        }
    }
    sink.finish()
}

/// Refuses a jurisdiction and year the policy data cannot settle, as the batch would, but
/// before any output exists.
fn check_book(library: &PolicyLibrary, options: &BatchOptions) -> Result<(), Failure> {
    let error = match library.book(&options.jurisdiction, options.year) {
        Err(e) => BatchError::Policy {
            jurisdiction: options.jurisdiction.clone(),
            year: options.year,
            reason: Said::new(e.to_string(), e.zh()),
        },
        Ok(book) if book.benefits.present().is_none() => {
            BatchError::no_benefits(&options.jurisdiction, options.year)
        }
        Ok(_) => return Ok(()),
    };
    Err(failure(error))
}

/// What `--input` names.
#[derive(Clone, Copy, Debug)]
enum Input {
    /// `-`.
    Stdin,
    /// A regular file, of this size when the command first looked at it.
    Regular { size: u64 },
    /// Something else (a named pipe, a device): read as it comes.
    Other,
}

/// The input and the outputs of a run, checked before anything is opened for writing.
struct Files {
    input: Input,
    input_format: TableFormat,
    /// The format of each output: `--output-format`, or the output's extension.
    output_formats: [TableFormat; 3],
    output: Destination,
    errors: Option<Destination>,
    per_claim: Option<Destination>,
    /// The machine summary, written after the run.
    summary: Option<Destination>,
}

impl Files {
    fn plan(args: &BatchArgs) -> Result<Files, Failure> {
        let looked_at = if args.input == "-" {
            None
        } else {
            Some(same_file::input(&args.input)?)
        };
        let input = match &looked_at {
            None => Input::Stdin,
            Some((_, metadata)) if metadata.is_file() => Input::Regular {
                size: metadata.len(),
            },
            Some(_) => Input::Other,
        };
        let named_input = looked_at.as_ref().map(|(identity, _)| Named {
            flag: "--input",
            path: &args.input,
            identity,
        });
        let mut outputs = vec![("--output", args.output.as_str())];
        outputs.extend(args.errors.as_deref().map(|path| ("--errors", path)));
        outputs.extend(args.per_claim.as_deref().map(|path| ("--per-claim", path)));
        outputs.extend(args.summary.as_deref().map(|path| ("--summary", path)));
        let mut destinations = output_files::destinations(named_input, &outputs)?.into_iter();
        let output = destinations.next().ok_or_else(|| {
            Failure::File(Said::new(
                format!("cannot write {}", args.output),
                format!("无法写入 `{}`", args.output),
            ))
        })?;
        let errors = args.errors.as_ref().and_then(|_| destinations.next());
        let per_claim = args.per_claim.as_ref().and_then(|_| destinations.next());
        let summary = args.summary.as_ref().and_then(|_| destinations.next());
        let input_format = match args.input_format {
            Some(format) => format,
            None if args.input == "-" => TableFormat::Csv,
            None => TableFormat::from_path(Path::new(&args.input)),
        };
        if input_format.is_table() && !matches!(input, Input::Regular { .. }) {
            return Err(Failure::Misused(Said::new(
                format!(
                    "--input {}: a {input_format} claims file is read from a regular file, not standard input, a pipe or a device",
                    args.input
                ),
                format!(
                    "--input `{}`：{input_format} 格式的理赔文件须从普通文件读取，不能来自标准输入、管道或设备",
                    args.input
                ),
            )));
        }
        let output_format = |path: Option<&str>| match (args.output_format, path) {
            (Some(format), _) => format,
            (None, Some(path)) if path != "-" => TableFormat::from_path(Path::new(path)),
            _ => TableFormat::Csv,
        };
        Ok(Files {
            input,
            input_format,
            output_formats: [
                output_format(Some(&args.output)),
                output_format(args.errors.as_deref()),
                output_format(args.per_claim.as_deref()),
            ],
            output,
            errors,
            per_claim,
            summary,
        })
    }

    /// Whether every output can be written again from the start (none is standard output,
    /// standard error, a device or a pipe).
    fn rewritable(&self) -> bool {
        self.output.is_rewritable()
            && self.errors.as_ref().is_some_and(Destination::is_rewritable)
            && self
                .per_claim
                .as_ref()
                .is_none_or(Destination::is_rewritable)
    }
}

/// The claims file as the batch reads it: opened as a watched regular file (a change
/// while it is read fails the run), or as it comes (a named pipe, a device).
struct ClaimsFile<'a> {
    path: &'a str,
    input: Input,
    format: TableFormat,
    /// The regular file of the last read, checked after the run.
    watched: Option<Watched>,
}

impl batch::InputFile for ClaimsFile<'_> {
    type Error = Failure;

    fn path(&self) -> &Path {
        Path::new(self.path)
    }

    fn open(&mut self) -> Result<Box<dyn Read + Send + '_>, Failure> {
        self.watched = None;
        if self.format.is_table() {
            return Ok(Box::new(batch::open_table(
                Path::new(self.path),
                self.format,
            )?));
        }
        match self.input {
            Input::Regular { size } => {
                let (watched, reader) = Watched::open(self.path, size)?;
                self.watched = Some(watched);
                Ok(Box::new(reader))
            }
            Input::Stdin | Input::Other => {
                let file = std::fs::File::open(self.path)
                    .map_err(|e| Failure::unreadable(self.path, &e))?;
                Ok(Box::new(file))
            }
        }
    }
}

/// The outputs of a run: temporaries for files, opened afresh for each run (a run started
/// again discards the last one's), and error rows on standard error when there is no
/// errors file.
struct RunOutputs<'a> {
    files: &'a Files,
    bar: &'a ProgressBar,
    output: Option<FormattedSink>,
    errors: Option<FormattedSink>,
    per_claim: Option<FormattedSink>,
    stderr_errors: StderrErrors<'a>,
    opened: bool,
}

impl batch::Outputs for RunOutputs<'_> {
    type Error = Failure;

    fn open(&mut self) -> Result<Sinks<'_>, Failure> {
        if self.opened {
            self.bar.reset();
        }
        self.opened = true;
        (self.output, self.errors, self.per_claim) = (None, None, None);
        let [output_format, errors_format, per_claim_format] = self.files.output_formats;
        let output = self
            .output
            .insert(FormattedSink::open(&self.files.output, output_format)?);
        self.errors = self
            .files
            .errors
            .as_ref()
            .map(|d| FormattedSink::open(d, errors_format))
            .transpose()?;
        self.stderr_errors.held = Some(Vec::new());
        let errors: &mut dyn Write = match self.errors.as_mut() {
            Some(file) => file,
            None => &mut self.stderr_errors,
        };
        self.per_claim = self
            .files
            .per_claim
            .as_ref()
            .map(|d| FormattedSink::open(d, per_claim_format))
            .transpose()?;
        Ok(Sinks {
            output,
            errors,
            per_claim: self.per_claim.as_mut().map(|w| w as &mut dyn Write),
        })
    }

    fn rewritable(&self) -> bool {
        self.files.rewritable()
    }
}

/// Runs the batch over the input into the outputs. On success the outputs are finished,
/// ready to be renamed into place; a file input is checked unchanged first. A closed
/// standard output ends the command quietly.
fn settle(
    library: &PolicyLibrary,
    args: &BatchArgs,
    files: &Files,
    options: &BatchOptions,
    bar: &ProgressBar,
) -> Result<(BatchSummary, FirstPass, Vec<Finished>), Failure> {
    let mut outputs = RunOutputs {
        files,
        bar,
        output: None,
        errors: None,
        per_claim: None,
        stderr_errors: StderrErrors { bar, held: None },
        opened: false,
    };
    let mut on_progress = |p: &batch::Progress| {
        bar.set_position(p.bytes);
        bar.set_message(format!("{} rows, {} persons", p.rows, p.persons));
    };
    let mut file = ClaimsFile {
        path: &args.input,
        input: files.input,
        format: files.input_format,
        watched: None,
    };
    let result = if let Input::Stdin = files.input {
        let mut stdin = std::io::stdin();
        batch::settle_file(
            library,
            options,
            batch::Input::<ClaimsFile<'_>>::Stream(&mut stdin),
            &mut outputs,
            &mut on_progress,
        )
    } else {
        batch::settle_file(
            library,
            options,
            batch::Input::File(&mut file),
            &mut outputs,
            &mut on_progress,
        )
    };
    let sinks = [outputs.output, outputs.errors, outputs.per_claim];
    let done = match result {
        Ok(done) => done,
        Err(_) if sinks.iter().flatten().any(FormattedSink::broken_pipe) => {
            return Err(Failure::BrokenPipe);
        }
        Err(e) => return Err(e),
    };
    if let Some(watched) = &file.watched {
        watched.check_unchanged()?;
    }
    let finished = sinks
        .into_iter()
        .flatten()
        .map(FormattedSink::finish)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((done.summary, done.first_pass, finished))
}

/// A bar with rate and ETA when standard error is a terminal; hidden otherwise.
fn progress_bar(size: Option<u64>) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match size {
        Some(size) => ProgressBar::new(size).with_style(
            ProgressStyle::with_template(
                "{elapsed_precise} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {elapsed_precise} {bytes} {binary_bytes_per_sec} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(4));
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}
