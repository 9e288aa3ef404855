//! A table handed over by Python through the Arrow PyCapsule C stream interface
//! (`__arrow_c_stream__`: a `pyarrow.Table` or `RecordBatchReader`, a Polars frame, anything
//! that implements it), read by the batch as it reads an Arrow file.
//!
//! The stream is imported by `pyo3-arrow` (whose FFI `unsafe` stays inside it) and read to
//! its end while the interpreter's lock is held: the record batches are then imported C
//! data owned on the Rust side, their buffers those of the producer, not copied; the
//! producer's stream may call back into Python (a reader over a Python generator), so it is
//! never read without the lock. Held whole, the table can be read a second time, as
//! [`settle_table`](crate::table::settle_table) does for a table whose persons are not in
//! ascending order.

use arrow_array::{RecordBatch, RecordBatchReader};
use arrow_schema::SchemaRef;
use pyo3_arrow::PyRecordBatchReader;
use yibao_batch::{BatchError, RecordBatches, TableReader};

/// The rows of a record batch handed to the batch: its reader turns one batch at a time into
/// text while the workers settle the one before, so one batch of millions of rows (a pandas
/// frame's) would leave the workers idle until it was all converted. Slicing a batch shares
/// its buffers.
const BATCH_ROWS: usize = 65_536;

/// A table's schema and record batches, imported from Python (module docs).
pub(crate) struct ArrowTable {
    name: &'static str,
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
}

impl ArrowTable {
    /// The whole stream of `reader`, named `name` in errors; call with the lock held.
    ///
    /// # Errors
    /// [`BatchError::Read`] when the stream was already read or fails midway.
    pub(crate) fn import(
        name: &'static str,
        reader: PyRecordBatchReader,
    ) -> Result<ArrowTable, BatchError> {
        let unreadable = |e: &dyn std::fmt::Display| BatchError::Read {
            message: format!("{name}: not readable as an Arrow stream: {e}"),
        };
        let reader = reader.into_reader().map_err(|e| unreadable(&e))?;
        let schema = reader.schema();
        let batches = reader
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| unreadable(&e))?;
        Ok(ArrowTable {
            name,
            schema,
            batches,
        })
    }

    /// A reader of the table for the batch, its batches sliced to [`BATCH_ROWS`] rows.
    ///
    /// # Errors
    /// The batch's, for a table whose columns it cannot read.
    pub(crate) fn reader(&self) -> Result<TableReader, BatchError> {
        let slices = self.batches.clone().into_iter().flat_map(|batch| {
            let rows = batch.num_rows();
            (0..rows)
                .step_by(BATCH_ROWS)
                .map(move |start| Ok(batch.slice(start, BATCH_ROWS.min(rows - start))))
        });
        let batches: RecordBatches = Box::new(slices);
        TableReader::new(self.name, &self.schema, batches)
    }
}
