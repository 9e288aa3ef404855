//! The persons table read beside the claims (a streamed merge join): when the table's
//! `person_id`s ascend (checked once when it is opened, [`ascends`]) and the claims'
//! persons ascend ([`Contiguity::Ascending`](crate::Contiguity::Ascending), checked by the
//! writer), the reader hands each chunk of whole persons' claims with the table's rows of
//! the same range of persons ([`PersonsMerge`]), as CSV records not yet read into persons:
//! the workers read them ([`PersonsRows::into_table`]), join them to the chunk's persons and
//! settle the persons with no claims among them at their place in person order.
//!
//! Chunk `k` receives the table's rows whose person comes before the first person of chunk
//! `k + 1` (chunk 0 also those before its own first person); the last chunk of claims those
//! up to its last person, and the rows after it go in chunks of their own of at most
//! [`TAIL_ROWS`] rows. Memory therefore holds a few chunks' rows of each table, whatever
//! the number of persons; only persons with no claims between the first persons of two
//! consecutive chunks all come with the first of the two.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use csv::StringRecord;
use yibao_core::Said;

use crate::chunk::Chunk;
use crate::columns::Layout;
use crate::error::BatchError;
use crate::file_format::TableFormat;
use crate::lines;
use crate::persons::Contiguity;
use crate::persons_table::{PersonsHeader, PersonsSource, PersonsTable, csv_error, csv_reader};
use crate::readers::{ClaimsSource, ReadStats};
use crate::summary::{InMemoryBecause, PersonsJoin};
use crate::workers::RunContext;

/// The rows of the persons table after the claims' last person go to the workers in
/// chunks of at most this many rows.
pub(crate) const TAIL_ROWS: usize = 1024;

/// Whether the `person_id`s of the CSV persons table `input` strictly ascend (a row
/// without a usable `person_id` aside), and its rows: read through once, the last id kept.
///
/// # Errors
/// [`BatchError::PersonsTable`] as [`PersonsTable::read`] would give it: an unusable
/// header, a table that cannot be read.
pub(crate) fn ascends(name: &str, input: impl Read) -> Result<(bool, u64), BatchError> {
    let unusable = |message: Said| BatchError::PersonsTable {
        name: name.to_owned(),
        message,
    };
    let mut reader = csv_reader(input);
    let header = PersonsHeader::read(&mut reader).map_err(unusable)?;
    let Some(&person) = header.index.get("person_id") else {
        return Ok((false, 0));
    };
    let mut record = StringRecord::new();
    let mut last = String::new();
    let mut ascending = true;
    let mut rows = 0;
    while reader
        .read_record(&mut record)
        .map_err(|e| unusable(csv_error(&e)))?
    {
        rows += 1;
        let id = record.get(person).unwrap_or_default();
        if id.is_empty() || yibao_core::check_identifier(id).is_err() {
            continue;
        }
        // Read on after a descent: a row the CSV reader refuses makes the table unusable
        // whichever way it is joined.
        if ascending && !last.is_empty() && id <= last.as_str() {
            ascending = false;
        }
        last.clear();
        last.push_str(id);
    }
    Ok((ascending, rows))
}

/// The rows of the persons table a chunk of claims is handed with, not yet read into
/// persons.
#[derive(Debug)]
pub(crate) struct PersonsRows {
    pub(crate) header: Arc<PersonsHeader>,
    pub(crate) records: Vec<StringRecord>,
}

impl PersonsRows {
    /// The rows read into a table of their persons (on a worker), named and numbered as
    /// the whole table's.
    pub(crate) fn into_table(self, name: &str) -> PersonsTable {
        let mut table = PersonsTable::named(name, TableFormat::Csv);
        for record in &self.records {
            table.add_record(&self.header, record);
        }
        table
    }
}

/// The reader's side of the streamed join: the claims' chunks come in, each goes out with
/// the persons table's rows of its range of persons.
pub(crate) struct PersonsMerge<'l> {
    name: String,
    header: Arc<PersonsHeader>,
    person: usize,
    reader: csv::Reader<Box<dyn Read + Send>>,
    /// A row read and not yet handed to a chunk.
    ahead: Option<StringRecord>,
    /// The last chunk of claims, waiting for the first person of the next.
    held: Option<Chunk>,
    /// The sequence number of the next chunk sent.
    seq: u64,
    layout: &'l Layout,
    /// Why the table could not be read on.
    pub(crate) failed: Option<BatchError>,
}

impl<'l> PersonsMerge<'l> {
    /// Opens the sorted persons table at `path` for a run whose claims have `layout`.
    pub(crate) fn open(path: &Path, layout: &'l Layout) -> Result<PersonsMerge<'l>, BatchError> {
        let name = path.display().to_string();
        let unusable = |message: Said| BatchError::PersonsTable {
            name: name.clone(),
            message,
        };
        let file = PersonsTable::open_text(path)?;
        let mut reader = csv_reader(file);
        let header = PersonsHeader::read(&mut reader).map_err(unusable)?;
        let person = header.index.get("person_id").copied().unwrap_or(0);
        Ok(PersonsMerge {
            name,
            header: Arc::new(header),
            person,
            reader,
            ahead: None,
            held: None,
            seq: 0,
            layout,
            failed: None,
        })
    }

    /// The next row of the table, or `None` at its end (or when it cannot be read: then
    /// `failed` says why).
    fn next_row(&mut self) -> Option<StringRecord> {
        if let Some(row) = self.ahead.take() {
            return Some(row);
        }
        let mut record = StringRecord::new();
        match self.reader.read_record(&mut record) {
            Ok(true) => Some(record),
            Ok(false) => None,
            Err(e) => {
                self.failed = Some(BatchError::PersonsTable {
                    name: self.name.clone(),
                    message: csv_error(&e),
                });
                None
            }
        }
    }

    /// The table's next rows whose person comes before `bound` (every row when `None`), at
    /// most `limit` of them.
    fn rows_before(&mut self, bound: Option<&[u8]>, limit: usize) -> Vec<StringRecord> {
        let mut rows = Vec::new();
        while rows.len() < limit {
            let Some(row) = self.next_row() else {
                break;
            };
            let id = row.get(self.person).unwrap_or_default();
            // A row without a usable person (refused on its own) goes with the rows about it.
            let usable = !id.is_empty() && yibao_core::check_identifier(id).is_ok();
            if usable && bound.is_some_and(|bound| id.as_bytes() >= bound) {
                self.ahead = Some(row);
                break;
            }
            rows.push(row);
        }
        rows
    }

    /// Sends `chunk` with `records`, numbered next.
    fn send(
        &mut self,
        mut chunk: Chunk,
        records: Vec<StringRecord>,
        send: &mut impl FnMut(Chunk) -> bool,
    ) -> bool {
        chunk.seq = self.seq;
        self.seq += 1;
        chunk.persons = Some(PersonsRows {
            header: Arc::clone(&self.header),
            records,
        });
        send(chunk)
    }

    /// Takes the claims' next chunk: the chunk before it goes to `send` with the table's
    /// rows before this chunk's first person. False once `send` refused or the table could
    /// not be read.
    pub(crate) fn push(&mut self, chunk: Chunk, send: &mut impl FnMut(Chunk) -> bool) -> bool {
        let Some(held) = self.held.take() else {
            self.held = Some(chunk);
            return true;
        };
        let Some(first) = first_person(&chunk, self.layout) else {
            self.failed = Some(BatchError::Internal {
                message: format!(
                    "a chunk of claims from line {} starts without a person",
                    chunk.unsplit.unwrap_or_default()
                ),
            });
            return false;
        };
        let records = self.rows_before(Some(&first), usize::MAX);
        self.held = Some(chunk);
        self.failed.is_none() && self.send(held, records, send)
    }

    /// After the claims: the last chunk of claims with the table's rows up to its last
    /// person, then the rest of the table in chunks of their own.
    pub(crate) fn finish(mut self, send: &mut impl FnMut(Chunk) -> bool) -> Result<(), BatchError> {
        if let Some(failed) = self.failed.take() {
            return Err(failed);
        }
        if let Some(mut last) = self.held.take() {
            let end_byte = last.end_byte;
            // Every row up to that person: the bound is just after it (no person at all:
            // none of the rows).
            let bound = last_person(&mut last, self.layout)
                .map(|mut p| {
                    p.push(0);
                    p
                })
                .unwrap_or_default();
            let records = self.rows_before(Some(&bound), usize::MAX);
            if !self.send(last, records, send) {
                return self.failed.map_or(Ok(()), Err);
            }
            loop {
                let records = self.rows_before(None, TAIL_ROWS);
                if records.is_empty() {
                    break;
                }
                let tail = Chunk {
                    end_byte,
                    ..Chunk::default()
                };
                if !self.send(tail, records, send) {
                    break;
                }
            }
        } else {
            // No claims at all: the whole table in chunks of its own.
            loop {
                let records = self.rows_before(None, TAIL_ROWS);
                if records.is_empty() || !self.send(Chunk::default(), records, send) {
                    break;
                }
            }
        }
        self.failed.map_or(Ok(()), Err)
    }
}

/// The person of a chunk's first row (a chunk after the first always starts at a row with
/// a person).
fn first_person(chunk: &Chunk, layout: &Layout) -> Option<Vec<u8>> {
    if let Some(table) = &chunk.table {
        return table
            .first_person(layout.person_index())
            .map(<[u8]>::to_vec);
    }
    let end = memchr::memchr2(b'\n', b'\r', &chunk.data).unwrap_or(chunk.data.len());
    let line = chunk.data.get(..end)?;
    lines::line_key(line, layout.width, layout.person_index()).map(|key| key.into_owned())
}

/// The person of a chunk's last block, the chunk split into rows here (the worker then
/// does not split it again).
fn last_person(chunk: &mut Chunk, layout: &Layout) -> Option<Vec<u8>> {
    chunk.split_lines(layout);
    chunk.split_table(layout);
    let block = chunk.blocks.iter().rev().find(|b| !b.orphan)?;
    let row = chunk.rows.get(block.rows.start)?;
    chunk.field(row, layout.person_index()).map(<[u8]>::to_vec)
}

/// The reader's work with the persons table read beside the claims, when `merge` is given:
/// each chunk of claims handed to `send` with the table's rows of its persons.
pub(crate) fn read_with_persons<R: Read>(
    source: ClaimsSource<R>,
    merge: Option<PersonsMerge<'_>>,
    reading: Reading<'_>,
    mut send: impl FnMut(Chunk) -> bool,
) -> Result<ReadStats, BatchError> {
    let Reading {
        whole_lines,
        chunk_bytes,
        layout,
        contiguity,
    } = reading;
    let Some(mut merge) = merge else {
        return source.read(whole_lines, chunk_bytes, layout, contiguity, send);
    };
    let stats = source.read(whole_lines, chunk_bytes, layout, contiguity, |chunk| {
        merge.push(chunk, &mut send)
    })?;
    merge.finish(&mut send)?;
    Ok(stats)
}

/// How the reader reads the claims ([`ClaimsSource::read`]).
pub(crate) struct Reading<'r> {
    pub(crate) whole_lines: bool,
    pub(crate) chunk_bytes: usize,
    pub(crate) layout: &'r Layout,
    pub(crate) contiguity: &'r Contiguity,
}

/// How a run joins its persons table to the claims.
pub(crate) enum JoinPlan {
    /// No persons table.
    NoTable,
    /// The table given, read whole already, for this reason.
    InMemory(InMemoryBecause),
    /// A sorted table read whole for this run, the claims not being known to ascend.
    Loaded(PersonsTable),
    /// The sorted table at this path, read beside the claims.
    Streamed(PathBuf),
}

impl JoinPlan {
    /// The plan for the table `given` and claims of `contiguity`: a sorted table is read
    /// beside claims that ascend, and whole otherwise.
    ///
    /// # Errors
    /// When a sorted table read whole can no longer be read.
    pub(crate) fn new(
        given: Option<&PersonsTable>,
        contiguity: &Contiguity,
    ) -> Result<JoinPlan, BatchError> {
        let Some(table) = given else {
            return Ok(JoinPlan::NoTable);
        };
        Ok(match &table.source {
            PersonsSource::InMemory(why) => JoinPlan::InMemory(*why),
            PersonsSource::SortedFile(path) if *contiguity == Contiguity::Ascending => {
                JoinPlan::Streamed(path.clone())
            }
            PersonsSource::SortedFile(path) => JoinPlan::Loaded(PersonsTable::read_whole(
                path,
                InMemoryBecause::ClaimsNotAscending,
            )?),
        })
    }

    /// The table in memory the claims are looked up in, if any.
    pub(crate) fn in_memory<'a>(
        &'a self,
        given: Option<&'a PersonsTable>,
    ) -> Option<&'a PersonsTable> {
        match self {
            JoinPlan::InMemory(_) => given,
            JoinPlan::Loaded(table) => Some(table),
            JoinPlan::NoTable | JoinPlan::Streamed(_) => None,
        }
    }

    /// The sorted table read beside the claims, if it is.
    pub(crate) fn streamed(&self) -> Option<&Path> {
        match self {
            JoinPlan::Streamed(path) => Some(path),
            _ => None,
        }
    }

    /// The join, for the summary.
    pub(crate) fn path(&self) -> PersonsJoin {
        match self {
            JoinPlan::Streamed(_) => PersonsJoin::Streamed,
            _ => PersonsJoin::InMemory,
        }
    }

    /// Why the table is in memory, for the summary.
    pub(crate) fn because(&self) -> Option<InMemoryBecause> {
        match self {
            JoinPlan::InMemory(why) => Some(*why),
            JoinPlan::Loaded(table) => match table.source {
                PersonsSource::InMemory(why) => Some(why),
                PersonsSource::SortedFile(_) => None,
            },
            JoinPlan::NoTable | JoinPlan::Streamed(_) => None,
        }
    }
}

/// The reader's side of the streamed join of a run, when its table is read beside the
/// claims.
pub(crate) fn open_merge<'c>(
    context: &'c RunContext<'_>,
) -> Result<Option<PersonsMerge<'c>>, BatchError> {
    context
        .streamed_persons
        .map(|path| PersonsMerge::open(path, &context.layout))
        .transpose()
}
