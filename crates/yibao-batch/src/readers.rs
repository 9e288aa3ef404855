//! The readers: the header, then the input cut into chunks of whole persons' lines, either
//! blocks of whole lines (no person split) or line by line with each person looked up; and
//! the opening of a Parquet or Arrow IPC claims file ([`TableReader`]), whose record
//! batches are cut into chunks by [`TableSource::read`].

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use arrow_array::RecordBatchReader;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::arrow_input::{RecordBatches, TABLE_BATCH_ROWS, TableReader};
use crate::chunk::Chunk;
use crate::columns::{Layout, read_header};
use crate::error::{BatchError, empty_input};
use crate::file_format::TableFormat;
use crate::lines;
use crate::lines::LineReader;
use crate::persons::{Contiguity, Persons};
use crate::settle_file::InputFile;
use crate::table_read::TableSource;

/// A chunk is closed at the first person boundary after this many rows.
pub(crate) const CHUNK_ROWS: usize = 1024;
/// The reader's buffer.
pub(crate) const READ_BUFFER: usize = 1 << 18;

/// A claims file by its path, for [`settle_file`](crate::settle_file): opened afresh for
/// each read.
#[derive(Clone, Copy, Debug)]
pub struct FilePath<'p>(pub &'p Path);

impl InputFile for FilePath<'_> {
    type Error = BatchError;

    fn path(&self) -> &Path {
        self.0
    }

    fn open(&mut self) -> Result<Box<dyn Read + Send + '_>, BatchError> {
        let file = File::open(self.0).map_err(|e| BatchError::Read {
            message: format!("{}: {e}", self.0.display()),
        })?;
        Ok(Box::new(file))
    }
}

/// Reads only the header row of a claims file and checks it as a batch would (every column
/// known, none twice, the required ones present): a caller can refuse a file before
/// creating its outputs.
///
/// # Errors
/// [`BatchError::Header`] for an unusable header, [`BatchError::Read`] when reading fails.
pub fn check_header(input: impl Read) -> Result<(), BatchError> {
    open_input(input).map(|_| ())
}

/// Opens a Parquet or Arrow IPC claims file and checks its columns' types.
///
/// # Errors
/// [`BatchError::Read`] when the file cannot be opened or is not a readable file of that
/// format (a truncated Parquet file has no footer); [`BatchError::Header`] naming every
/// column of a type the batch does not read.
pub fn open_table(path: &Path, format: TableFormat) -> Result<TableReader, BatchError> {
    let name = path.display().to_string();
    let unreadable = |e: &dyn std::fmt::Display| BatchError::Read {
        message: format!("{name}: not a readable {format} file: {e}"),
    };
    let mut file = File::open(path).map_err(|e| BatchError::Read {
        message: format!("{name}: {e}"),
    })?;
    let (schema, batches): (_, RecordBatches) = match format {
        TableFormat::Parquet => {
            let builder = ParquetRecordBatchReaderBuilder::try_new(file)
                .map_err(|e| unreadable(&e))?
                .with_batch_size(TABLE_BATCH_ROWS);
            let reader = builder.build().map_err(|e| unreadable(&e))?;
            (reader.schema(), Box::new(reader))
        }
        TableFormat::Arrow | TableFormat::ArrowStream | TableFormat::Csv => {
            // The IPC file format starts with its magic `ARROW1`, the streaming format with
            // a continuation marker (0xFFFFFFFF); anything else is refused before a reader
            // takes its first bytes for the length of a message.
            let mut magic = [0u8; 6];
            file.read_exact(&mut magic).map_err(|e| unreadable(&e))?;
            let is_file = &magic == b"ARROW1";
            if !is_file && magic.get(..4) != Some(&[0xff; 4][..]) {
                return Err(unreadable(
                    &"it starts with neither the magic of an Arrow IPC file (ARROW1) nor the continuation marker of a stream",
                ));
            }
            file.seek(SeekFrom::Start(0)).map_err(|e| unreadable(&e))?;
            let input = BufReader::new(file);
            if is_file {
                let reader = arrow_ipc::reader::FileReader::try_new(input, None)
                    .map_err(|e| unreadable(&e))?;
                (reader.schema(), Box::new(reader))
            } else {
                let reader = arrow_ipc::reader::StreamReader::try_new(input, None)
                    .map_err(|e| unreadable(&e))?;
                (reader.schema(), Box::new(reader))
            }
        }
    };
    TableReader::new(name, &schema, batches)
}

/// What the reader counted.
pub(crate) struct ReadStats {
    /// Physical lines after the header.
    pub(crate) lines: u64,
    pub(crate) split_persons: u64,
}

/// The input after its header: `head` holds the first bytes read, the body starting at
/// `body` (past the header's line break); `input` the rest.
pub(crate) struct Start<R> {
    pub(crate) input: R,
    pub(crate) head: Vec<u8>,
    pub(crate) body: usize,
    /// The lines before the first data row: 1 (the CSV header), or 0 for a table, whose
    /// rows are numbered from 1.
    pub(crate) header_lines: u64,
}

impl<R: Read> Start<R> {
    /// The reader's work: the rest of the input into chunks of whole lines, each handed to
    /// `send` (false once the writer has stopped). With `whole_lines` (a file known to
    /// hold no split person) the lines are cut into chunks of about `chunk_bytes` between
    /// persons, without looking at each; otherwise line by line, looking up each person.
    pub(crate) fn read(
        self,
        whole_lines: bool,
        chunk_bytes: usize,
        layout: &Layout,
        contiguity: &Contiguity,
        send: impl FnMut(Chunk) -> bool,
    ) -> Result<ReadStats, BatchError> {
        if whole_lines {
            read_lines(self, chunk_bytes, layout, send)
        } else {
            read_records(self, layout, contiguity, send)
        }
    }
}

/// What the reader thread reads: the lines of a text input after its header, or the record
/// batches of a table.
pub(crate) enum ClaimsSource<R> {
    Lines(Start<R>),
    Table(TableSource),
}

impl<R: Read> ClaimsSource<R> {
    /// The reader's work ([`Start::read`], [`TableSource::read`]).
    pub(crate) fn read(
        self,
        whole_lines: bool,
        chunk_bytes: usize,
        layout: &Layout,
        contiguity: &Contiguity,
        send: impl FnMut(Chunk) -> bool,
    ) -> Result<ReadStats, BatchError> {
        match self {
            ClaimsSource::Lines(start) => {
                start.read(whole_lines, chunk_bytes, layout, contiguity, send)
            }
            ClaimsSource::Table(table) => table.read(layout, contiguity, send),
        }
    }
}

/// The size of a chunk of whole lines.
pub(crate) const LINES_CHUNK: usize = 1 << 18;

/// Reads the header row: the first line, whatever it holds.
pub(crate) fn open_input<R: Read>(mut input: R) -> Result<(Layout, Start<R>), BatchError> {
    let read_error = |e: std::io::Error| BatchError::Read {
        message: e.to_string(),
    };
    let mut head = Vec::new();
    let (end, body) = loop {
        let before = head.len();
        let got = (&mut input)
            .take(LINES_CHUNK as u64)
            .read_to_end(&mut head)
            .map_err(read_error)?;
        // A line break in what was just read (or a `\r` just before it, whose `\n` came now).
        let from = before.saturating_sub(1);
        if let Some((end, body)) = lines::first_line_end(head.get(from..).unwrap_or_default()) {
            break (from + end, from + body);
        }
        if got == 0 {
            // No line after the header: it ends at its line break, if any.
            let end = memchr::memchr2(b'\n', b'\r', &head).unwrap_or(head.len());
            break (end, head.len());
        }
    };
    if head.is_empty() {
        return Err(empty_input());
    }
    let layout = read_header(head.get(..end).unwrap_or_default())?;
    Ok((
        layout,
        Start {
            input,
            head,
            body,
            header_lines: 1,
        },
    ))
}

/// The reader thread for a file known to hold no split person: chunks of whole lines, cut
/// between persons, handed to `send` (false once the writer has stopped).
pub(crate) fn read_lines<R: Read>(
    Start {
        mut input,
        head,
        body,
        header_lines,
    }: Start<R>,
    chunk_bytes: usize,
    layout: &Layout,
    mut send: impl FnMut(Chunk) -> bool,
) -> Result<ReadStats, BatchError> {
    let read_error = |e: std::io::Error| BatchError::Read {
        message: e.to_string(),
    };
    let person_index = layout.person_index();
    // `pending` starts at the start of a line.
    let mut pending = head;
    pending.drain(..body.min(pending.len()));
    let (mut seq, mut lines_before, mut bytes_before) = (0, header_lines, body as u64);
    let mut want = chunk_bytes;
    let mut at_end = false;
    loop {
        if !at_end && pending.len() < want {
            let missing = want - pending.len();
            let got = (&mut input)
                .take(missing as u64)
                .read_to_end(&mut pending)
                .map_err(read_error)?;
            at_end = got < missing;
        }
        let cut = if at_end {
            pending.len()
        } else {
            match lines::person_boundary(&pending, layout.width, person_index) {
                Some(cut) => cut,
                None => {
                    // One person so far (or one long line): read on.
                    want = pending.len() * 2;
                    continue;
                }
            }
        };
        let stats = ReadStats {
            lines: lines_before - header_lines,
            split_persons: 0,
        };
        if cut == 0 {
            return Ok(stats);
        }
        let mut next = Vec::with_capacity(chunk_bytes + chunk_bytes / 4);
        next.extend_from_slice(pending.get(cut..).unwrap_or_default());
        let mut data = std::mem::replace(&mut pending, next);
        data.truncate(cut);
        want = chunk_bytes;
        let last = at_end && pending.is_empty();
        let lines = if last {
            lines::physical_lines(&data)
        } else {
            lines::line_breaks(&data)
        };
        let chunk = Chunk {
            seq,
            end_byte: bytes_before + cut as u64,
            data,
            // The first line is the one after the lines before.
            unsplit: Some(lines_before + 1),
            ..Chunk::default()
        };
        seq += 1;
        lines_before += lines;
        bytes_before += cut as u64;
        if !send(chunk) || last {
            return Ok(ReadStats {
                lines: lines_before - header_lines,
                split_persons: 0,
            });
        }
    }
}

/// The reader thread for any file or stream: line by line, each line's person looked up to
/// find the persons whose rows are not contiguous; chunks of whole persons' lines handed to
/// `send` (false once the writer has stopped).
pub(crate) fn read_records<R: Read>(
    Start {
        input,
        head,
        body,
        header_lines,
    }: Start<R>,
    layout: &Layout,
    contiguity: &Contiguity,
    mut send: impl FnMut(Chunk) -> bool,
) -> Result<ReadStats, BatchError> {
    let read_error = |e: std::io::Error| BatchError::Read {
        message: e.to_string(),
    };
    let person_index = layout.person_index();
    let mut head = head;
    head.drain(..body.min(head.len()));
    let mut reader = LineReader::new(head, input);
    let mut seq = 0;
    let mut line_number = header_lines;
    let mut rows = 0;
    let new_chunk = |seq: u64, first_line: u64| Chunk {
        unsplit: Some(first_line),
        ..Chunk::new(seq)
    };
    let mut chunk = new_chunk(seq, header_lines + 1);
    let mut current: Vec<u8> = Vec::new();
    let mut started = false;
    let mut persons = Persons::default();
    while let Some((content, line)) = reader.next_line().map_err(read_error)? {
        line_number += 1;
        let key = lines::line_key(
            line.get(..content).unwrap_or_default(),
            layout.width,
            person_index,
        );
        match key {
            Some(key) if started && *key == *current => {}
            Some(key) => {
                if rows >= CHUNK_ROWS {
                    seq += 1;
                    let full = std::mem::replace(&mut chunk, new_chunk(seq, line_number));
                    rows = 0;
                    if !send(full) {
                        return Ok(ReadStats {
                            lines: line_number - header_lines,
                            split_persons: persons.repeated.len() as u64,
                        });
                    }
                }
                started = true;
                current.clear();
                current.extend_from_slice(&key);
                if let Some(why) = persons.refused(&key, line_number, contiguity) {
                    chunk.split_starts.push((line_number, why));
                }
            }
            None => {}
        }
        rows += usize::from(content > 0);
        chunk.data.extend_from_slice(line);
        chunk.end_byte = body as u64 + reader.consumed();
    }
    if !chunk.data.is_empty() {
        // A refused send means the writer stopped; it reports why.
        let _ = send(chunk);
    }
    Ok(ReadStats {
        lines: line_number - header_lines,
        split_persons: persons.repeated.len() as u64,
    })
}
