//! The run: a reader thread, bounded parallel workers that parse and settle chunks, and the
//! calling thread writing them in order; with one worker, all three in the calling thread.

use std::io::Read;
use std::ops::Range;
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use yibao::policy::{PolicyLibrary, Section};
use yibao_benefits::HospitalLevel;
use yibao_core::{PolicyYear, Said};

use crate::arrow_input::TableReader;
use crate::chunk::{Block, Chunk, RowRef};
use crate::columns::Layout;
use crate::error::{BatchError, write_error};
use crate::file_format::positioned;
use crate::options::{BatchMode, BatchOptions, Progress, Sinks};
use crate::person::process;
use crate::persons::{Contiguity, persons_seen};
use crate::persons_join::{TableJoin, write_unjoined};
use crate::persons_stream::{JoinPlan, Reading, open_merge, read_with_persons};
use crate::persons_table::PersonsTable;
use crate::readers::{ClaimsSource, ReadStats, open_input};
use crate::row::OutpatientLevels;
use crate::rows_sink::{ChunkBatches, OutputTables, RowsSink, TableSinks, TextRows, header_schema};
use crate::settler::Settler;
use crate::summary::{BatchSummary, PersonsTableCounts};
use crate::writer::{OrderedWriter, SettledChunk, write_in_order};
use crate::{ERRORS_HEADER, OUTPUT_HEADER, PER_CLAIM_HEADER, REFORM_COLUMNS};

/// Chunks in flight (read, not yet written) per worker thread.
pub(crate) const WINDOW_PER_THREAD: usize = 4;
/// The run's settings every worker reads: the library, the header's layout, the place and year.
pub(crate) struct RunContext<'l> {
    pub(crate) library: &'l PolicyLibrary,
    /// The reformed library, when a reform is settled beside the baseline.
    pub(crate) reform: Option<&'l PolicyLibrary>,
    pub(crate) layout: Layout,
    pub(crate) jurisdiction: String,
    pub(crate) year: PolicyYear,
    pub(crate) previous_year: Option<PolicyYear>,
    pub(crate) mode: BatchMode,
    pub(crate) per_claim: bool,
    pub(crate) catastrophic_present: bool,
    /// How a `general_outpatient` row's level reads.
    pub(crate) outpatient: OutpatientLevels,
    /// Whether the persons are checked to ascend ([`Contiguity::Ascending`]).
    pub(crate) check_ascending: bool,
    /// The persons table the claims are joined to, when given and in memory.
    pub(crate) persons: Option<&'l PersonsTable>,
    /// The sorted CSV persons table read beside the claims, when it is.
    pub(crate) streamed_persons: Option<&'l Path>,
    /// What a position in the input is called in a reason: `line` (CSV) or `row` (a table).
    pub(crate) position: &'static str,
    /// The language of the errors file's reasons.
    pub(crate) lang: yibao_core::Lang,
    /// The outputs whose rows the workers turn into record batches.
    pub(crate) tables: OutputTables,
}

/// Settles a claims file: reads `input`, writes the results to `sinks` in input order and
/// returns the summary. `progress` is called on the calling thread after each chunk.
///
/// # Errors
/// [`BatchError`] when the batch cannot run at all: an unusable header, no policy book for
/// the jurisdiction and year, an input that cannot be read, an output that cannot be
/// written. Bad rows are not errors: they go to `sinks.errors` and are counted.
pub fn run(
    library: &PolicyLibrary,
    options: &BatchOptions,
    input: impl Read + Send,
    contiguity: &Contiguity,
    sinks: Sinks<'_>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<BatchSummary, BatchError> {
    let header = || {
        let (layout, mut start) = open_input(input)?;
        start.header_lines = options.input_format.header_lines();
        Ok((layout, ClaimsSource::Lines(start)))
    };
    as_text_rows(sinks, |sinks| {
        settle(library, options, header, contiguity, sinks, progress)
    })
}

/// Settles a Parquet or Arrow IPC claims table (a [`TableReader`] not yet read from), as
/// [`run`] settles a CSV file, to the same outputs: the record batches go to the workers
/// as they are, and each row's fields are read from the typed columns. Set
/// [`BatchOptions::input_format`] to the table's format, so that rows are numbered from 1.
///
/// # Errors
/// As [`run`].
pub fn run_table(
    library: &PolicyLibrary,
    options: &BatchOptions,
    table: TableReader,
    contiguity: &Contiguity,
    sinks: Sinks<'_>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<BatchSummary, BatchError> {
    as_text_rows(sinks, |sinks| {
        run_table_to(library, options, table, contiguity, sinks, progress)
    })
}

/// Runs `settle` with the writers of `sinks` taking their rows as text.
fn as_text_rows<T>(sinks: Sinks<'_>, settle: impl FnOnce(TableSinks<'_>) -> T) -> T {
    let Sinks {
        output,
        errors,
        per_claim,
    } = sinks;
    let (mut output, mut errors) = (TextRows(output), TextRows(errors));
    let mut per_claim = per_claim.map(TextRows);
    settle(TableSinks {
        output: &mut output,
        errors: &mut errors,
        per_claim: per_claim.as_mut().map(|sink| sink as &mut dyn RowsSink),
    })
}

/// Settles a Parquet or Arrow IPC claims table as [`run_table`] does, into outputs that
/// may take record batches ([`TableSinks`]): the rows of an output that is a
/// [`TableWriter`](crate::TableWriter) are turned into record batches by the workers, in
/// parallel, and the writer's thread only joins and encodes them; the bytes written are
/// those of [`run_table`] with the same writers.
///
/// # Errors
/// As [`run`].
pub fn run_table_to(
    library: &PolicyLibrary,
    options: &BatchOptions,
    table: TableReader,
    contiguity: &Contiguity,
    sinks: TableSinks<'_>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<BatchSummary, BatchError> {
    let header = || {
        let (layout, source) = table.into_source()?;
        Ok((layout, ClaimsSource::<std::io::Empty>::Table(source)))
    };
    settle(library, options, header, contiguity, sinks, progress)
}

/// The run of [`run`] and [`run_table`]: the policy book checked, then the header read
/// (`header`), the claims settled.
fn settle<R: Read + Send>(
    library: &PolicyLibrary,
    options: &BatchOptions,
    header: impl FnOnce() -> Result<(Layout, ClaimsSource<R>), BatchError>,
    contiguity: &Contiguity,
    sinks: TableSinks<'_>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<BatchSummary, BatchError> {
    let given = options.persons.as_ref().map(|table| &*table.0);
    let started = Instant::now();
    let policy_error = |reason: Said| BatchError::Policy {
        jurisdiction: options.jurisdiction.clone(),
        year: options.year,
        reason,
    };
    let book = library
        .book(&options.jurisdiction, options.year)
        .map_err(|e| policy_error(Said::new(e.to_string(), e.zh())))?;
    if book.benefits.present().is_none() {
        return Err(BatchError::no_benefits(&options.jurisdiction, options.year));
    }
    // A file known to hold no split person needs no person looked up as it is read: its
    // lines can go to the workers whole.
    let whole_lines = contiguity.no_split_person();
    let (layout, start) = header()?;
    let join = JoinPlan::new(given, contiguity)?;
    let persons = join.in_memory(given);
    if let Some(table) = persons {
        table.reset_marks();
    }
    let TableSinks {
        output,
        errors,
        mut per_claim,
    } = sinks;
    let mut tables = OutputTables::default();
    // The schema of a table the workers make batches of, from its header row.
    let table =
        |sink: &dyn RowsSink, header: &str| sink.takes_batches().then(|| header_schema(header));
    if options.mode == BatchMode::Settle {
        let reform_columns = if options.reform.is_some() {
            REFORM_COLUMNS
        } else {
            ""
        };
        let header = format!("{OUTPUT_HEADER}{reform_columns}");
        tables.output = table(&*output, &header);
        writeln!(output, "{header}").map_err(write_error("output"))?;
        if let Some(sink) = per_claim.as_deref_mut() {
            let header = positioned(PER_CLAIM_HEADER, options.input_format);
            tables.per_claim = table(&*sink, &header);
            writeln!(sink, "{header}").map_err(write_error("per-claim output"))?;
        }
    }
    let header = positioned(ERRORS_HEADER, options.input_format);
    tables.errors = table(&*errors, &header);
    writeln!(errors, "{header}").map_err(write_error("errors file"))?;

    let context = RunContext {
        library,
        reform: options.reform.as_ref().map(|r| &*r.library),
        layout,
        jurisdiction: options.jurisdiction.clone(),
        year: options.year,
        previous_year: options.year.previous(),
        mode: options.mode,
        per_claim: per_claim.is_some(),
        catastrophic_present: matches!(book.catastrophic, Section::Present(_)),
        outpatient: match book
            .benefits
            .present()
            .and_then(|b| b.general_outpatient.as_ref())
        {
            Some(params) if !params.paid_at.contains(&HospitalLevel::PrimaryCare) => {
                OutpatientLevels::ByLevel
            }
            _ => OutpatientLevels::PrimaryCare,
        },
        check_ascending: matches!(contiguity, Contiguity::Ascending),
        persons,
        streamed_persons: join.streamed(),
        position: options.input_format.position_word(),
        lang: options.lang,
        tables,
    };
    let mut writer = OrderedWriter::new(output, errors, per_claim, progress);
    let read = if options.threads.get() == 1 {
        settle_in_this_thread(
            &context,
            start,
            whole_lines,
            options,
            contiguity,
            &mut writer,
        )?
    } else {
        settle_on_workers(
            &context,
            start,
            whole_lines,
            options,
            contiguity,
            &mut writer,
        )?
    };
    if let (Some(table), BatchMode::Settle) = (persons, options.mode) {
        write_unjoined(&context, table, &mut writer)?;
    }
    let tally = writer.finish()?;
    let counts = given.map(|table| PersonsTableCounts {
        rows_in: table.rows,
        rows_in_error: tally.table_rows_in_error,
        persons_without_claims: tally.table_persons_without_claims,
        join: join.path(),
        in_memory_because: join.because(),
    });
    let mut summary = tally.summary(options.mode, &read, started)?;
    summary.persons_table = counts;
    if let Some(reform) = &options.reform {
        summary.reform = Some(tally.reform.summary(&summary, &reform.changes)?);
    }
    Ok(summary)
}

/// A run with one worker: the chunks read, settled and written in this thread, one after
/// the other (no thread started, no chunk waiting).
pub(crate) fn settle_in_this_thread<R: Read>(
    context: &RunContext<'_>,
    start: ClaimsSource<R>,
    whole_lines: bool,
    options: &BatchOptions,
    contiguity: &Contiguity,
    writer: &mut OrderedWriter<'_, '_>,
) -> Result<ReadStats, BatchError> {
    let mut worker = Worker::new(context);
    let mut write_result = Ok(());
    let merge = open_merge(context)?;
    let reading = Reading {
        whole_lines,
        chunk_bytes: options.block_bytes.get(),
        layout: &context.layout,
        contiguity,
    };
    let read_result = read_with_persons(start, merge, reading, |chunk| {
        write_result = writer.accept(worker.settle(context, chunk)).map(|_| ());
        write_result.is_ok()
    });
    // As with workers: a write error first, then a read error.
    write_result?;
    read_result
}

/// A run with worker threads: a reader thread cuts chunks, the workers settle them, and
/// this thread writes them in order, at most a window of chunks ahead of the writing.
pub(crate) fn settle_on_workers<R: Read + Send>(
    context: &RunContext<'_>,
    start: ClaimsSource<R>,
    whole_lines: bool,
    options: &BatchOptions,
    contiguity: &Contiguity,
    writer: &mut OrderedWriter<'_, '_>,
) -> Result<ReadStats, BatchError> {
    let threads = options.threads.get();
    let window = threads * WINDOW_PER_THREAD;
    let (work_tx, work_rx) = sync_channel::<Chunk>(threads * 2);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = sync_channel::<SettledChunk>(window);
    let (token_tx, token_rx) = sync_channel::<()>(window);
    for _ in 0..window {
        token_tx.send(()).map_err(|_| BatchError::Internal {
            message: "the reorder window could not be opened".to_owned(),
        })?;
    }
    let merge = open_merge(context)?;
    let (read_result, write_result) = std::thread::scope(|scope| {
        let reader_thread = scope.spawn(move || {
            let send = |chunk: Chunk| token_rx.recv().is_ok() && work_tx.send(chunk).is_ok();
            let reading = Reading {
                whole_lines,
                chunk_bytes: options.block_bytes.get(),
                layout: &context.layout,
                contiguity,
            };
            read_with_persons(start, merge, reading, send)
        });
        for _ in 0..threads {
            let work_rx = Arc::clone(&work_rx);
            let done_tx = done_tx.clone();
            scope.spawn(move || work(context, &work_rx, &done_tx));
        }
        // Only the workers hold these now: when the writer stops early, the workers stop,
        // and the reader's sends fail instead of blocking.
        drop(work_rx);
        drop(done_tx);
        let write_result = write_in_order(done_rx, &token_tx, writer);
        drop(token_tx);
        let read_result = reader_thread.join().unwrap_or_else(|_| {
            Err(BatchError::Internal {
                message: "the reader thread stopped".to_owned(),
            })
        });
        (read_result, write_result)
    });
    write_result?;
    read_result
}

/// A worker thread: takes chunks until the reader is done.
pub(crate) fn work(
    context: &RunContext<'_>,
    work: &Mutex<Receiver<Chunk>>,
    done: &SyncSender<SettledChunk>,
) {
    let mut worker = Worker::new(context);
    loop {
        let next = match work.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(chunk) = next else {
            return;
        };
        if done.send(worker.settle(context, chunk)).is_err() {
            return;
        }
    }
}

/// What a worker keeps from chunk to chunk: its settler, and the lists a chunk of whole
/// lines is split into.
pub(crate) struct Worker {
    pub(crate) settler: Settler,
    pub(crate) lists: (Vec<Range<usize>>, Vec<RowRef>, Vec<Block>),
}

impl Worker {
    pub(crate) fn new(context: &RunContext<'_>) -> Worker {
        Worker {
            settler: Settler::new(context),
            lists: (Vec::new(), Vec::new(), Vec::new()),
        }
    }

    /// Splits a chunk into rows (when the reader left its lines whole), settles its
    /// persons and gives back the lists for the next chunk.
    pub(crate) fn settle(&mut self, context: &RunContext<'_>, mut chunk: Chunk) -> SettledChunk {
        // A chunk the reader split already (the last one, with a persons table beside).
        if chunk.rows.is_empty() && chunk.blocks.is_empty() {
            (chunk.fields, chunk.rows, chunk.blocks) = std::mem::take(&mut self.lists);
            chunk.split_lines(&context.layout);
            chunk.split_table(&context.layout);
        }
        chunk.check_utf8();
        let range = match (chunk.persons.take(), context.streamed_persons) {
            (Some(rows), Some(path)) => Some(rows.into_table(&path.display().to_string())),
            _ => None,
        };
        let join = match &range {
            Some(table) => Some(TableJoin::Streamed(table)),
            None => context.persons.map(TableJoin::Whole),
        };
        let mut settled = process(context, &chunk, &mut self.settler, join);
        settled.batches = ChunkBatches::of(
            &context.tables,
            &settled.output,
            &settled.errors,
            &settled.per_claim,
        );
        settled.tally.lines_blank = chunk.blank_lines;
        if context.check_ascending {
            settled.persons = Some(persons_seen(&chunk, context.layout.person_index()));
        }
        chunk.fields.clear();
        chunk.rows.clear();
        chunk.blocks.clear();
        self.lists = (chunk.fields, chunk.rows, chunk.blocks);
        settled
    }
}
