//! The first pass over a claims file, without settling: the persons whose rows are not
//! contiguous. A file is first checked for ascending persons in as many parts at once as
//! there are workers, cut at line breaks; only when they do not ascend is a set of the
//! persons seen kept.

use std::fs::File;
use std::io::Read;
use std::num::NonZeroUsize;
use std::path::Path;

use crate::columns::{Layout, read_header};
use crate::error::{BatchError, empty_input};
use crate::lines;
use crate::lines::LineReader;
use crate::persons::{FingerprintSet, SplitPersons, fingerprint};
use crate::readers::{READ_BUFFER, open_input};

/// Reads a claims file once, without settling, to find the persons whose rows are not
/// contiguous. Memory: 16 bytes per person (a set of fingerprints of the persons seen).
///
/// # Errors
/// [`BatchError::Header`] for an unusable header, [`BatchError::Read`] when reading fails.
pub fn find_split_persons(input: impl Read) -> Result<SplitPersons, BatchError> {
    scan_persons(input, 1)
}

/// [`find_split_persons`] for a table read as text ([`TableReader`](crate::TableReader)), whose
/// rows are numbered from 1, as the batch numbers them with a table's
/// [`BatchOptions::input_format`](crate::BatchOptions::input_format).
///
/// # Errors
/// As [`find_split_persons`].
pub fn find_split_persons_in_table(input: impl Read) -> Result<SplitPersons, BatchError> {
    scan_persons(input, 0)
}

/// [`find_split_persons`] for a file, in constant memory when the persons are in ascending
/// order of `person_id` (the usual export): a first scan checks the order, in `threads`
/// parts at once (the batch's worker count), and, only when it is broken, a second scan
/// keeps the set of persons seen.
///
/// # Errors
/// As [`find_split_persons`], and [`BatchError::Read`] when the file cannot be opened.
pub fn find_split_persons_in_file(
    path: &Path,
    threads: NonZeroUsize,
) -> Result<SplitPersons, BatchError> {
    let open = || {
        File::open(path).map_err(|e| BatchError::Read {
            message: format!("{}: {e}", path.display()),
        })
    };
    match order_in_parts(path, threads.get())? {
        Order::Ascending => Ok(SplitPersons::default()),
        Order::NotAscending => find_split_persons(open()?),
    }
}

/// What a quick look at a file's persons found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Order {
    /// Every person's id is at or above the one before: no person can be split.
    Ascending,
    /// Some person comes after a person with a higher id.
    NotAscending,
}

/// The persons of one part of a file, in the order they come.
#[derive(Debug, Default)]
pub(crate) struct PartOrder {
    pub(crate) ascending: bool,
    /// The first person of the part.
    pub(crate) first: Option<Vec<u8>>,
    /// The person read last (empty until `started`).
    pub(crate) last: Vec<u8>,
    pub(crate) started: bool,
}

/// Whether the persons of a file come in ascending order, read in `threads` parts at once:
/// every line is a record (no field holds a line break), so the parts can be cut at line
/// breaks.
pub(crate) fn order_in_parts(path: &Path, threads: usize) -> Result<Order, BatchError> {
    let read_error = |e: std::io::Error| BatchError::Read {
        message: format!("{}: {e}", path.display()),
    };
    let (layout, start) = open_input(File::open(path).map_err(read_error)?)?;
    let body = start.body as u64;
    let length = std::fs::metadata(path).map_err(read_error)?.len();
    let threads = u64::try_from(threads.clamp(1, 8)).unwrap_or(1);
    let span = length.saturating_sub(body) / threads;
    let bounds: Vec<u64> = (0..=threads)
        .map(|i| {
            if i == threads {
                length
            } else {
                body + i * span
            }
        })
        .collect();
    let parts: Vec<Result<PartOrder, BatchError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = bounds
            .windows(2)
            .enumerate()
            .map(|(i, pair)| {
                let (start, end) = (pair[0], pair[1]);
                let layout = &layout;
                scope.spawn(move || {
                    let file = File::open(path).map_err(read_error)?;
                    part_order(file, start, end, i == 0, layout).map_err(read_error)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(BatchError::Internal {
                        message: "a thread of the first pass stopped".to_owned(),
                    })
                })
            })
            .collect()
    });
    let mut previous: Option<Vec<u8>> = None;
    let mut order = Order::Ascending;
    for part in parts {
        let part = part?;
        let joins = match (&previous, &part.first) {
            (Some(before), Some(first)) => before <= first,
            _ => true,
        };
        if !part.ascending || !joins {
            order = Order::NotAscending;
        }
        if part.started {
            previous = Some(part.last);
        }
    }
    Ok(order)
}

/// Reads the lines that start in `[start, end)` of a file (the line that starts before `end`
/// is read to its end; a part that does not start the body skips the partial line it starts
/// in), checking that their persons ascend.
pub(crate) fn part_order(
    mut file: File,
    start: u64,
    end: u64,
    starts_body: bool,
    layout: &Layout,
) -> std::io::Result<PartOrder> {
    use std::io::{Seek, SeekFrom};
    let mut part = PartOrder {
        ascending: true,
        ..PartOrder::default()
    };
    // Begin one byte early: if that byte ends a line, the part begins a record.
    let mut position = if starts_body {
        start
    } else {
        start.saturating_sub(1)
    };
    file.seek(SeekFrom::Start(position))?;
    let mut skipping = !starts_body;
    let mut buffer = vec![0_u8; READ_BUFFER];
    let mut filled = 0;
    let person_index = layout.person_index();
    loop {
        let read = file.read(&mut buffer[filled..])?;
        let at_end = read == 0;
        filled += read;
        let data = &buffer[..filled];
        let mut consumed = 0;
        while let Some(offset) = memchr::memchr2(b'\n', b'\r', &data[consumed..]) {
            let line = &data[consumed..consumed + offset];
            let line_start = position + consumed as u64;
            consumed += offset + 1;
            if std::mem::take(&mut skipping) {
                continue;
            }
            if line_start >= end {
                return Ok(part);
            }
            if !record_person(line, layout.width, person_index, &mut part) {
                return Ok(part);
            }
        }
        if at_end {
            // The last record has no line break.
            let line = &data[consumed..];
            let line_start = position + consumed as u64;
            if !skipping && line_start < end {
                record_person(line, layout.width, person_index, &mut part);
            }
            return Ok(part);
        }
        if consumed == 0 && filled == buffer.len() {
            // A line longer than the buffer: grow it.
            buffer.resize(buffer.len() * 2, 0);
            continue;
        }
        buffer.copy_within(consumed..filled, 0);
        filled -= consumed;
        position += consumed as u64;
    }
}

/// Notes the person of one line; false once the persons are seen not to ascend (the part
/// need not be read further).
pub(crate) fn record_person(
    line: &[u8],
    width: usize,
    person_index: usize,
    part: &mut PartOrder,
) -> bool {
    let Some(key) = lines::line_key(line, width, person_index) else {
        return true;
    };
    let key = key.as_ref();
    if part.started && key == part.last.as_slice() {
        return true;
    }
    if part.started && key < part.last.as_slice() {
        part.ascending = false;
        return false;
    }
    if part.first.is_none() {
        part.first = Some(key.to_vec());
    }
    part.started = true;
    part.last.clear();
    part.last.extend_from_slice(key);
    true
}

/// The split persons of an input, read line by line with a set of the persons seen;
/// `header_lines` are the lines before the first data row (0 for a table read as text,
/// whose rows are numbered from 1).
pub(crate) fn scan_persons(
    input: impl Read,
    header_lines: u64,
) -> Result<SplitPersons, BatchError> {
    let read_error = |e: std::io::Error| BatchError::Read {
        message: e.to_string(),
    };
    let mut reader = LineReader::new(Vec::new(), input);
    let layout = match reader.next_line().map_err(read_error)? {
        Some((content, line)) => read_header(line.get(..content).unwrap_or_default())?,
        None => return Err(empty_input()),
    };
    let person_index = layout.person_index();
    let mut seen = FingerprintSet::default();
    let mut current: Vec<u8> = Vec::new();
    let mut started = false;
    let mut split = SplitPersons::default();
    let mut line_number = header_lines;
    while let Some((content, line)) = reader.next_line().map_err(read_error)? {
        line_number += 1;
        let content = line.get(..content).unwrap_or_default();
        let Some(key) = lines::line_key(content, layout.width, person_index) else {
            continue;
        };
        if started && *key == *current {
            continue;
        }
        let print = fingerprint(&key);
        if !seen.insert(print) {
            split
                .later_blocks
                .entry(print)
                .or_default()
                .push(line_number);
        }
        started = true;
        current.clear();
        current.extend_from_slice(&key);
    }
    Ok(split)
}
