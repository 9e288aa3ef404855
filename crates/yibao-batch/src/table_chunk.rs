//! A chunk of whole persons' rows of a claims table: runs of rows of prepared record
//! batches, shared with the reader (a chunk may hold the tail of one batch and the head of
//! the next), split by the worker into rows and persons' blocks as a chunk of lines is.
//!
//! A table's row always has the header's width and no unclosed quote; its [`RowRef`]'s
//! `fields` is its place among the chunk's rows, times the width, to that plus the width.

use std::ops::Range;
use std::sync::Arc;

use crate::chunk::{Block, Chunk, RowRef};
use crate::columns::Layout;
use crate::table_columns::PreparedBatch;

/// The rows of a table in a chunk.
#[derive(Debug)]
pub(crate) struct TableRows {
    /// Runs of rows of batches, in order.
    pub(crate) runs: Vec<(Arc<PreparedBatch>, Range<usize>)>,
    /// Where each run starts among the chunk's rows.
    starts: Vec<usize>,
    /// The number of the chunk's first row (the table's rows are numbered from 1).
    pub(crate) first_row: u64,
    /// The header's width.
    width: usize,
}

impl TableRows {
    pub(crate) fn new(first_row: u64, width: usize) -> TableRows {
        TableRows {
            runs: Vec::new(),
            starts: Vec::new(),
            first_row,
            width: width.max(1),
        }
    }

    /// Adds the rows `rows` of `batch`.
    pub(crate) fn push(&mut self, batch: Arc<PreparedBatch>, rows: Range<usize>) {
        if rows.is_empty() {
            return;
        }
        self.starts.push(self.len());
        self.runs.push((batch, rows));
    }

    /// How many rows the chunk holds.
    pub(crate) fn len(&self) -> usize {
        self.runs.iter().map(|(_, rows)| rows.len()).sum()
    }

    /// The person of the chunk's first row, when it has one.
    pub(crate) fn first_person(&self, person_index: usize) -> Option<&[u8]> {
        let (batch, rows) = self.runs.first()?;
        batch
            .text(person_index, rows.start)
            .filter(|key| !key.is_empty())
            .map(str::as_bytes)
    }

    /// The batch and the row in it of the chunk's `index`-th row.
    #[inline]
    fn locate(&self, index: usize) -> Option<(&PreparedBatch, usize)> {
        let run = self
            .starts
            .partition_point(|&start| start <= index)
            .checked_sub(1)?;
        let (batch, rows) = self.runs.get(run)?;
        let start = self.starts.get(run)?;
        Some((batch, rows.start + (index - start)))
    }

    /// The batch of `row` and its place there.
    #[inline]
    pub(crate) fn row(&self, row: &RowRef) -> Option<(&PreparedBatch, usize)> {
        self.locate(row.fields.start / self.width)
    }

    /// The text of the header's `field`-th column of `row` (see [`PreparedBatch::text`]).
    pub(crate) fn text(&self, row: &RowRef, field: usize) -> Option<&str> {
        let (batch, at) = self.locate(row.fields.start / self.width)?;
        batch.text(field, at)
    }
}

impl Chunk {
    /// Splits a table's rows into rows and blocks of persons, as [`Chunk::split_lines`]
    /// splits lines: a block starts at each row whose person differs from the one before
    /// (and at the first row of a person whose rows are not contiguous); a row with an empty
    /// person stays in the block before it (or, at the top, forms the orphan block).
    pub(crate) fn split_table(&mut self, layout: &Layout) {
        let Some(table) = &self.table else {
            return;
        };
        let person_index = layout.person_index();
        let width = layout.width.max(1);
        let rows_in = table.len();
        self.rows.reserve(rows_in);
        let mut splits = self.split_starts.drain(..).peekable();
        let mut current: Option<&str> = None;
        let mut line = table.first_row;
        for (batch, rows) in &table.runs {
            for at in rows.clone() {
                let index = self.rows.len();
                let key = batch.text(person_index, at).filter(|key| !key.is_empty());
                match key {
                    Some(key) if current == Some(key) => {}
                    Some(key) => {
                        while splits.next_if(|(start, _)| *start < line).is_some() {}
                        let split = splits
                            .next_if(|(start, _)| *start == line)
                            .map(|(_, why)| why);
                        self.blocks.push(Block {
                            rows: index..index,
                            orphan: false,
                            split,
                        });
                        current = Some(key);
                    }
                    None if self.blocks.is_empty() => self.blocks.push(Block {
                        rows: 0..0,
                        orphan: true,
                        split: None,
                    }),
                    None => {}
                }
                self.rows.push(RowRef {
                    line,
                    fields: index * width..(index + 1) * width,
                    unclosed: None,
                });
                if let Some(block) = self.blocks.last_mut() {
                    block.rows.end = self.rows.len();
                }
                line += 1;
            }
        }
    }
}
