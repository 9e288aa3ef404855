//! Where the ordered writer writes a chunk's rows: as text ([`TextRows`], a CSV output), or
//! to a table output ([`TableWriter`](crate::TableWriter)) that takes the record batch the
//! worker made of the same text ([`ChunkBatches`]), so that a table output's rows are
//! converted on the workers, in parallel, and the writer's thread only joins and encodes
//! them in order.
//!
//! The text stays the one source of the figures: a worker makes its batch from the very
//! text a CSV output writes ([`rows_batch`]), and a table output cuts its record batches
//! where it would cut that text, so its bytes are those of the text converted on the
//! writer's thread.

use std::io::{self, Write};
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::{Field, Schema, SchemaRef};

use crate::arrow_output::output_type;
use crate::typed_rows::rows_batch;

/// An output of the batch, as the ordered writer writes it (see the module docs).
pub trait RowsSink: Write {
    /// Whether the workers should make record batches of this output's rows.
    fn takes_batches(&self) -> bool {
        false
    }

    /// Writes whole rows: their `text`, and the `batch` a worker made of it when
    /// [`RowsSink::takes_batches`] (`None` when the text is not of the batch's own shape).
    ///
    /// # Errors
    /// When the rows cannot be written.
    fn write_rows(&mut self, text: &str, batch: Option<io::Result<RecordBatch>>) -> io::Result<()> {
        let _ = batch;
        self.write_all(text.as_bytes())
    }
}

/// A CSV output: the rows written as their text.
pub(crate) struct TextRows<'a>(pub(crate) &'a mut dyn Write);

impl Write for TextRows<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl RowsSink for TextRows<'_> {}

/// The outputs of a run whose rows the workers turn into record batches: as
/// [`Sinks`](crate::Sinks), each output a [`RowsSink`] (a [`TableWriter`](crate::TableWriter)
/// takes the workers' batches; a CSV output, its text).
pub struct TableSinks<'a> {
    /// One row per settled person.
    pub output: &'a mut dyn RowsSink,
    /// One row per input row in error.
    pub errors: &'a mut dyn RowsSink,
    /// One row per settled claim, when wanted.
    pub per_claim: Option<&'a mut dyn RowsSink>,
}

/// The schemas of the outputs whose rows the workers turn into record batches.
#[derive(Clone, Debug, Default)]
pub(crate) struct OutputTables {
    pub(crate) output: Option<SchemaRef>,
    pub(crate) errors: Option<SchemaRef>,
    pub(crate) per_claim: Option<SchemaRef>,
}

/// The schema of a table output whose header row is `header` (plain names, no quotes), as
/// [`TableWriter`](crate::TableWriter) makes it from the same row.
pub(crate) fn header_schema(header: &str) -> SchemaRef {
    Arc::new(Schema::new(
        header
            .trim_end()
            .split(',')
            .map(|name| Field::new(name, output_type(name), true))
            .collect::<Vec<_>>(),
    ))
}

/// The record batches a worker made of its chunk's outputs.
#[derive(Debug, Default)]
pub(crate) struct ChunkBatches {
    pub(crate) output: Option<io::Result<RecordBatch>>,
    pub(crate) errors: Option<io::Result<RecordBatch>>,
    pub(crate) per_claim: Option<io::Result<RecordBatch>>,
}

impl ChunkBatches {
    /// The batches of the outputs `tables` names, made of their text.
    pub(crate) fn of(
        tables: &OutputTables,
        output: &str,
        errors: &str,
        per_claim: &str,
    ) -> ChunkBatches {
        let batch = |schema: &Option<SchemaRef>, text: &str| {
            schema.as_ref().and_then(|schema| rows_batch(schema, text))
        };
        ChunkBatches {
            output: batch(&tables.output, output),
            errors: batch(&tables.errors, errors),
            per_claim: batch(&tables.per_claim, per_claim),
        }
    }
}
