//! A chunk of whole persons' lines (or rows of a table, [`TableRows`]) as the reader hands
//! it to a worker, and the line splitter that finds its rows and fields.

use std::ops::Range;

use crate::columns::Layout;
use crate::lines;
use crate::lines::Unclosed;
use crate::persons_stream::PersonsRows;
use crate::readers::CHUNK_ROWS;
use crate::table_chunk::TableRows;

/// Where a row's fields are in its chunk.
#[derive(Clone, Debug)]
pub(crate) struct RowRef {
    pub(crate) line: u64,
    pub(crate) fields: Range<usize>,
    /// A quote not closed on the line (the fields are those before it).
    pub(crate) unclosed: Option<Unclosed>,
}

/// A run of contiguous rows of one person (or, at the very start, rows with no person).
#[derive(Clone, Debug)]
pub(crate) struct Block {
    pub(crate) rows: Range<usize>,
    /// The rows before the first row with a person (malformed lines at the top of the file).
    pub(crate) orphan: bool,
    /// Why every row of the block is refused: the person's rows are not contiguous.
    pub(crate) split: Option<yibao_core::Said>,
}

/// Whole persons' rows, as read.
#[derive(Debug, Default)]
pub(crate) struct Chunk {
    pub(crate) seq: u64,
    pub(crate) end_byte: u64,
    /// Whole lines as read, then the text of their quoted fields.
    pub(crate) data: Vec<u8>,
    /// The same bytes once [`Chunk::check_utf8`] found them UTF-8 (`data` is then empty).
    pub(crate) text: String,
    /// Where each field is in `data`.
    pub(crate) fields: Vec<Range<usize>>,
    pub(crate) rows: Vec<RowRef>,
    pub(crate) blocks: Vec<Block>,
    /// For whole lines not yet split into rows: the line number of the first.
    pub(crate) unsplit: Option<u64>,
    /// The blank lines among the lines.
    pub(crate) blank_lines: u64,
    /// The first line of each block whose rows are all refused, with why (its person's
    /// rows are not contiguous), in order.
    pub(crate) split_starts: Vec<(u64, yibao_core::Said)>,
    /// The rows of a table, read as typed columns (no lines then).
    pub(crate) table: Option<TableRows>,
    /// The persons table's rows of the chunk's persons, when it is read beside the claims.
    pub(crate) persons: Option<PersonsRows>,
}

impl Chunk {
    pub(crate) fn new(seq: u64) -> Chunk {
        Chunk {
            seq,
            data: Vec::with_capacity(CHUNK_ROWS * 80),
            fields: Vec::with_capacity(CHUNK_ROWS * 10),
            rows: Vec::with_capacity(CHUNK_ROWS + 64),
            ..Chunk::default()
        }
    }

    /// Splits whole lines into rows and the rows into blocks of persons: a block starts at
    /// each row whose person ([`lines::line_key`]) differs from the one before; a row without
    /// a person stays in the block before it (or, at the top of the file, forms the orphan
    /// block). The text of quoted fields goes after the lines in `data`.
    pub(crate) fn split_lines(&mut self, layout: &Layout) {
        let Some(first_line) = self.unsplit.take() else {
            return;
        };
        let Chunk {
            data,
            fields,
            rows,
            blocks,
            split_starts,
            ..
        } = self;
        let person_index = layout.person_index();
        // Room for rows of the usual size, so that the lists rarely grow.
        fields.reserve(data.len() / 6);
        rows.reserve(data.len() / 48);
        blocks.reserve(data.len() / 128);
        let mut unquoted = Vec::new();
        let mut splits = split_starts.drain(..).peekable();
        let lines_data: &[u8] = data;
        let base = lines_data.len();
        // The current person: where it is in the lines, or its text when it was quoted.
        let mut current: Option<Result<Range<usize>, Vec<u8>>> = None;
        let blank = lines::split_rows(lines_data, first_line, fields, &mut unquoted, |row| {
            let key = row.spans.get(person_index).filter(|span| {
                (row.spans.len() == layout.width || row.unclosed.is_some()) && !span.is_empty()
            });
            let text = |span: &Range<usize>| {
                if span.start >= base {
                    row.unquoted.get(span.start - base..span.end - base)
                } else {
                    lines_data.get(span.clone())
                }
            };
            let same = match (key, &current) {
                (Some(key), Some(Ok(run))) => text(key) == lines_data.get(run.clone()),
                (Some(key), Some(Err(run))) => text(key) == Some(run.as_slice()),
                _ => false,
            };
            match key {
                Some(_) if same => {}
                Some(key) => {
                    while splits.next_if(|(line, _)| *line < row.line).is_some() {}
                    let split = splits
                        .next_if(|(line, _)| *line == row.line)
                        .map(|(_, why)| why);
                    blocks.push(Block {
                        rows: rows.len()..rows.len(),
                        orphan: false,
                        split,
                    });
                    current = Some(if key.start >= base {
                        Err(text(key).unwrap_or_default().to_vec())
                    } else {
                        Ok(key.clone())
                    });
                }
                None if blocks.is_empty() => blocks.push(Block {
                    rows: 0..0,
                    orphan: true,
                    split: None,
                }),
                None => {}
            }
            rows.push(RowRef {
                line: row.line,
                fields: row.at,
                unclosed: row.unclosed,
            });
            if let Some(block) = blocks.last_mut() {
                block.rows.end = rows.len();
            }
        });
        data.extend_from_slice(&unquoted);
        self.blank_lines = blank;
    }

    /// Checks the chunk's field bytes for UTF-8 once, as a whole (far cheaper than field by
    /// field): when they are, the fields are read as text with no further check.
    pub(crate) fn check_utf8(&mut self) {
        match String::from_utf8(std::mem::take(&mut self.data)) {
            Ok(text) => self.text = text,
            Err(error) => self.data = error.into_bytes(),
        }
    }

    pub(crate) fn span(&self, row: &RowRef, index: usize) -> Option<Range<usize>> {
        if index >= row.fields.len() {
            return None;
        }
        self.fields.get(row.fields.start + index).cloned()
    }

    pub(crate) fn field(&self, row: &RowRef, index: usize) -> Option<&[u8]> {
        if let Some(table) = &self.table {
            return table.text(row, index).map(str::as_bytes);
        }
        let span = self.span(row, index)?;
        if self.data.is_empty() {
            self.text.as_bytes().get(span)
        } else {
            self.data.get(span)
        }
    }

    /// A field as text, or its bytes when the chunk is not all UTF-8 and this field is not.
    pub(crate) fn field_text(&self, row: &RowRef, index: usize) -> Result<&str, &[u8]> {
        if let Some(table) = &self.table {
            return Ok(table.text(row, index).unwrap_or_default());
        }
        match self.span(row, index) {
            Some(span) => self.span_text(span),
            None => Ok(""),
        }
    }

    /// The text at `span`, or its bytes when the chunk is not all UTF-8 and they are not.
    pub(crate) fn span_text(&self, span: Range<usize>) -> Result<&str, &[u8]> {
        if self.data.is_empty() {
            Ok(self.text.get(span).unwrap_or_default())
        } else {
            let raw = self.data.get(span).unwrap_or_default();
            std::str::from_utf8(raw).map_err(|_| raw)
        }
    }
}
