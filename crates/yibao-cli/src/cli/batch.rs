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
use yibao::core::PolicyYear;
use yibao::policy::{PolicyFiles, PolicyLibrary};
use yibao_batch::{
    self as batch, BatchError, BatchMode, BatchOptions, BatchReform, BatchSummary, FirstPass,
    ReformSummary, Sinks, TableFormat,
};

use super::Failure;
use super::input_file::Watched;
use super::output_files::{self, Destination, Finished, FormattedSink};
use super::same_file::{self, Named};

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
fn table_format(text: &str) -> Result<TableFormat, String> {
    TableFormat::from_name(text)
        .ok_or_else(|| format!("the formats are {}", TableFormat::NAMES.join(", ")))
}

/// Parses `--threads`: a whole number from 1 to [`MAX_THREADS`].
fn threads(text: &str) -> Result<NonZeroUsize, String> {
    text.parse::<usize>()
        .ok()
        .and_then(NonZeroUsize::new)
        .filter(|n| n.get() <= MAX_THREADS)
        .ok_or_else(|| format!("the worker threads are a whole number from 1 to {MAX_THREADS}"))
}

fn io_failure(what: &str, path: &str, e: &std::io::Error) -> Failure {
    Failure::Io(format!("cannot {what} {path}: {e}"))
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

fn failure(error: BatchError) -> Failure {
    match error {
        BatchError::Read { .. } | BatchError::Write { .. } => Failure::Io(error.to_string()),
        _ => Failure::Input(error.to_string()),
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
) -> Result<(), Failure> {
    let started = Instant::now();
    let year = PolicyYear::new(args.year).map_err(|e| Failure::Input(e.to_string()))?;
    let mut options = BatchOptions::new(args.jurisdiction.clone(), year);
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
        render(&summary, options.threads, &timing, batch::peak_memory_kib())
    );
    if !summary.lines_reconcile() {
        return Err(Failure::Input(format!(
            "the lines of the input do not reconcile: {} lines in, but {} settled + {} in error + {} blank; some lines are not accounted for, so the outputs cannot be trusted",
            summary.lines_in, summary.lines_settled, summary.lines_in_error, summary.lines_blank
        )));
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
    let table_errors = summary.persons_table.map_or(0, |t| t.rows_in_error);
    if summary.rows_in_error > 0 || table_errors > 0 {
        let place = args.errors.as_deref().unwrap_or("standard error");
        if summary.rows_in_error == 0 {
            return Err(Failure::Input(format!(
                "{table_errors} rows of the persons table are in error (see {place}); the other persons are settled"
            )));
        }
        return Err(Failure::Input(format!(
            "{} of {} rows are in error (see {place}); the other rows are settled",
            summary.rows_in_error, summary.rows_in
        )));
    }
    Ok(())
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
            return Err(Failure::Io(format!("cannot write the summary: {e}")));
        }
    }
    sink.finish()
}

/// Refuses a jurisdiction and year the policy data cannot settle, as the batch would, but
/// before any output exists.
fn check_book(library: &PolicyLibrary, options: &BatchOptions) -> Result<(), Failure> {
    let reason = match library.book(&options.jurisdiction, options.year) {
        Err(e) => e.to_string(),
        Ok(book) if book.benefits.present().is_none() => {
            "the policy data gives no benefits for this year".to_owned()
        }
        Ok(_) => return Ok(()),
    };
    Err(failure(BatchError::Policy {
        jurisdiction: options.jurisdiction.clone(),
        year: options.year,
        reason,
    }))
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
        let output = destinations
            .next()
            .ok_or_else(|| Failure::Io(format!("cannot write {}", args.output)))?;
        let errors = args.errors.as_ref().and_then(|_| destinations.next());
        let per_claim = args.per_claim.as_ref().and_then(|_| destinations.next());
        let summary = args.summary.as_ref().and_then(|_| destinations.next());
        let input_format = match args.input_format {
            Some(format) => format,
            None if args.input == "-" => TableFormat::Csv,
            None => TableFormat::from_path(Path::new(&args.input)),
        };
        if input_format.is_table() && !matches!(input, Input::Regular { .. }) {
            return Err(Failure::Usage(format!(
                "--input {}: a {input_format} claims file is read from a regular file, not standard input, a pipe or a device",
                args.input
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
                    .map_err(|e| io_failure("read", self.path, &e))?;
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

/// Wall times of the command.
struct Timing {
    /// From the start of the command to the summary.
    total: Duration,
    /// Whether and when the file was read first to find persons whose rows are not
    /// contiguous.
    first_pass: FirstPass,
}

/// The reform's lines of the summary: its totals, the differences, and whether its money
/// reconciles with the same amount in.
fn reform_lines(summary: &BatchSummary, reform: &ReformSummary) -> Vec<(String, String)> {
    let reconciles = reform.money_reconciles(summary.amount);
    vec![
        ("reform".to_owned(), reform.changes.clone()),
        (
            "reform basic fund".to_owned(),
            reform.basic_fund.to_string(),
        ),
        (
            "reform catastrophic".to_owned(),
            reform.catastrophic.to_string(),
        ),
        ("reform personal".to_owned(), reform.personal.to_string()),
        (
            "reform unsettled".to_owned(),
            reform.persons_catastrophic_not_settled.to_string(),
        ),
        (
            "change basic fund".to_owned(),
            reform.difference_basic_fund.to_string(),
        ),
        (
            "change catastrophic".to_owned(),
            reform.difference_catastrophic.to_string(),
        ),
        (
            "change personal".to_owned(),
            reform.difference_personal.to_string(),
        ),
        (
            "reform reconciles".to_owned(),
            if reconciles {
                "yes (in = basic fund + catastrophic + fiscal subsidy + personal under the reform, to the fen)"
                    .to_owned()
            } else {
                "NO (in = basic fund + catastrophic + fiscal subsidy + personal under the reform does not hold)"
                    .to_owned()
            },
        ),
    ]
}

/// The summary, one `label: value` per line. Rates are end to end: the whole command's wall
/// time, first pass included.
fn render(
    summary: &BatchSummary,
    threads: NonZeroUsize,
    timing: &Timing,
    peak_kib: Option<u64>,
) -> String {
    let seconds = timing.total.as_secs_f64().max(1e-9);
    let rate = |n: u64| format!("{:.0}", n as f64 / seconds);
    let parse_only = summary.mode == BatchMode::ParseOnly;
    let settled = if parse_only { "parsed" } else { "settled" };
    let yes_no = |ok: bool, what: &str| {
        if ok {
            format!("yes ({what})")
        } else {
            format!("NO ({what} does not hold)")
        }
    };
    let mut lines: Vec<(String, String)> = vec![
        ("rows in".to_owned(), summary.rows_in.to_string()),
        (format!("rows {settled}"), summary.rows_settled.to_string()),
        (
            "rows in error".to_owned(),
            summary.rows_in_error.to_string(),
        ),
        (
            "rows reconcile".to_owned(),
            yes_no(
                summary.rows_in == summary.rows_settled + summary.rows_in_error,
                &format!("in = {settled} + in error"),
            ),
        ),
        ("lines in".to_owned(), summary.lines_in.to_string()),
        (
            format!("lines {settled}"),
            summary.lines_settled.to_string(),
        ),
        (
            "lines in error".to_owned(),
            summary.lines_in_error.to_string(),
        ),
        ("lines blank".to_owned(), summary.lines_blank.to_string()),
        (
            "lines reconcile".to_owned(),
            yes_no(
                summary.lines_reconcile(),
                &format!("in = {settled} + in error + blank"),
            ),
        ),
        (
            format!("persons {settled}"),
            summary.persons_settled.to_string(),
        ),
        (
            "persons with errors".to_owned(),
            summary.persons_with_errors.to_string(),
        ),
        (
            "persons not contiguous".to_owned(),
            summary.split_persons.to_string(),
        ),
    ];
    if !parse_only {
        lines.extend([
            ("amount in".to_owned(), summary.amount.to_string()),
            ("basic fund paid".to_owned(), summary.basic_fund.to_string()),
            (
                "catastrophic paid".to_owned(),
                summary.catastrophic.to_string(),
            ),
            ("personal burden".to_owned(), summary.personal.to_string()),
        ]);
        if !summary.fiscal_subsidy.is_zero() {
            lines.push((
                "fiscal subsidy".to_owned(),
                format!("{} (deliveries, H15)", summary.fiscal_subsidy),
            ));
        }
        lines.extend([
            (
                "catastrophic unsettled".to_owned(),
                format!(
                    "{} (persons with no catastrophic figure: their burden is before catastrophic insurance)",
                    summary.persons_catastrophic_not_settled
                ),
            ),
            (
                "money reconciles".to_owned(),
                yes_no(
                    summary.money_reconciles(),
                    if summary.fiscal_subsidy.is_zero() {
                        "in = basic fund + catastrophic + personal, to the fen"
                    } else {
                        "in = basic fund + catastrophic + fiscal subsidy + personal, to the fen"
                    },
                ),
            ),
        ]);
        if let Some(reform) = &summary.reform {
            lines.extend(reform_lines(summary, reform));
        }
    }
    if let Some(table) = &summary.persons_table {
        lines.extend([
            ("persons table rows".to_owned(), table.rows_in.to_string()),
            (
                "persons table in error".to_owned(),
                table.rows_in_error.to_string(),
            ),
            (
                "persons with no claims".to_owned(),
                format!("{} (settled with none)", table.persons_without_claims),
            ),
        ]);
    }
    for assumption in summary.assumptions() {
        lines.push(("assumed".to_owned(), assumption.to_owned()));
    }
    lines.extend([
        ("threads".to_owned(), threads.to_string()),
        ("time".to_owned(), format!("{seconds:.3} s")),
        (
            "of which first pass".to_owned(),
            match &timing.first_pass {
                FirstPass::Stream => "none (a stream is read once)".to_owned(),
                FirstPass::NotNeeded => {
                    "none (the persons ascend, checked as they were written)".to_owned()
                }
                FirstPass::Ran(time) => format!("{:.3} s", time.as_secs_f64()),
                FirstPass::AfterDescent {
                    time,
                    stopped_after,
                    line,
                    person,
                    after,
                } => format!(
                    "{:.3} s, after {:.3} s settling up to line {line}, where person `{person}` comes after `{after}` (out of order: the outputs were written again)",
                    time.as_secs_f64(),
                    stopped_after.as_secs_f64()
                ),
            },
        ),
        (
            format!(
                "of which {}",
                if parse_only { "parsing" } else { "settling" }
            ),
            format!("{:.3} s", summary.elapsed.as_secs_f64()),
        ),
        ("claims per second".to_owned(), rate(summary.rows_in)),
        (
            "persons per second".to_owned(),
            rate(summary.persons_settled),
        ),
        (
            "peak memory".to_owned(),
            peak_kib.map_or_else(
                || "not reported by this system".to_owned(),
                |kib| format!("{:.1} MiB", kib as f64 / 1024.0),
            ),
        ),
    ]);
    let mut text = format!(
        "batch summary ({})\n",
        if parse_only { "parse only" } else { "settle" }
    );
    for (label, value) in lines {
        text.push_str(&format!("  {:<24}{value}\n", format!("{label}:")));
    }
    text
}
