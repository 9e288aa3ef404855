//! The reader thread of a claims table: its record batches, each prepared once
//! ([`PreparedBatch`]), cut into chunks of whole persons' rows for the workers as a CSV
//! file's lines are ([`read_records`](crate::readers::read_records)): a chunk is closed at
//! the first person after [`TABLE_CHUNK_ROWS`] rows, a person's rows never cut in two even
//! across batches, and each person's first row looked up to refuse the persons whose rows
//! are not contiguous. The rows are numbered from 1.

use std::sync::Arc;

use crate::arrow_input::RecordBatches;
use crate::chunk::Chunk;
use crate::columns::Layout;
use crate::error::BatchError;
use crate::persons::{Contiguity, Persons};
use crate::readers::ReadStats;
use crate::table_chunk::TableRows;
use crate::table_columns::PreparedBatch;

/// A chunk of a table is closed at the first person boundary after this many rows.
pub(crate) const TABLE_CHUNK_ROWS: usize = 4096;

/// A claims table after its header: its name (for errors) and its record batches.
pub(crate) struct TableSource {
    pub(crate) name: String,
    pub(crate) batches: RecordBatches,
}

impl TableSource {
    /// The reader's work: the table's rows into chunks of whole persons, each handed to
    /// `send` (false once the writer has stopped).
    pub(crate) fn read(
        self,
        layout: &Layout,
        contiguity: &Contiguity,
        mut send: impl FnMut(Chunk) -> bool,
    ) -> Result<ReadStats, BatchError> {
        let TableSource { name, batches } = self;
        let read_error = |e: &dyn std::fmt::Display| BatchError::Read {
            message: format!("{name}: {e}"),
        };
        let person_index = layout.person_index();
        let new_chunk = |seq: u64, first_row: u64| Chunk {
            seq,
            table: Some(TableRows::new(first_row, layout.width)),
            ..Chunk::default()
        };
        let mut persons = Persons::default();
        let (mut seq, mut row_number, mut rows) = (0, 0_u64, 0);
        let mut chunk = new_chunk(seq, 1);
        let mut current: Vec<u8> = Vec::new();
        let mut started = false;
        let stats = |row_number: u64, persons: &Persons| ReadStats {
            lines: row_number,
            split_persons: persons.repeated.len() as u64,
        };
        for batch in batches {
            let batch = batch.map_err(|e| read_error(&e))?;
            let batch = Arc::new(PreparedBatch::new(&batch, layout).map_err(|e| read_error(&e))?);
            // The first row of the batch not yet in a chunk.
            let mut from = 0;
            for at in 0..batch.rows {
                row_number += 1;
                let key = batch
                    .text(person_index, at)
                    .filter(|key| !key.is_empty())
                    .map(str::as_bytes);
                let Some(key) = key else {
                    continue;
                };
                if started && key == current.as_slice() {
                    continue;
                }
                if rows + (at - from) >= TABLE_CHUNK_ROWS {
                    if let Some(table) = chunk.table.as_mut() {
                        table.push(Arc::clone(&batch), from..at);
                    }
                    seq += 1;
                    let full = std::mem::replace(&mut chunk, new_chunk(seq, row_number));
                    (from, rows) = (at, 0);
                    if !send(full) {
                        return Ok(stats(row_number, &persons));
                    }
                }
                started = true;
                current.clear();
                current.extend_from_slice(key);
                if let Some(why) = persons.refused(key, row_number, contiguity) {
                    chunk.split_starts.push((row_number, why));
                }
            }
            let end = batch.rows;
            rows += end - from;
            if let Some(table) = chunk.table.as_mut() {
                table.push(batch, from..end);
            }
        }
        if rows > 0 {
            // A refused send means the writer stopped; it reports why.
            let _ = send(chunk);
        }
        Ok(stats(row_number, &persons))
    }
}
