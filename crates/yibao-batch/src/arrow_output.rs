//! An output of the batch as a Parquet or Arrow IPC table: [`TableWriter`] takes the
//! output's CSV text as the batch writes it (its header row, then rows), in pieces of any
//! size, and writes its whole rows as typed record batches.
//!
//! The types come from the column names ([`output_type`]): `line` and `row` are `Int64`,
//! `date` is `Date32`, money (the figures of a person, of a claim and of a reform, named in
//! `MONEY_COLUMNS`) is `Decimal128(18, 2)` (the engine's largest amount, 10¹² yuan, has 15
//! digits in fen), every other column `Utf8` (`not_paid`, a reason's code, among them). An empty field is a null. The text is
//! converted by `arrow_cast` with no silent loss (`safe: false`): a value that does not fit
//! its type fails the output, never becomes a null. Going through the text keeps one
//! writer and one set of figures for every format, so that the CSV and the table outputs
//! cannot disagree.
//!
//! The batch's own text is read straight into the typed columns ([`rows_batch`]), any
//! other text by the general CSV reader. Given to [`TableSinks`](crate::TableSinks), a
//! table writer takes the record batches the workers made of each chunk's text instead
//! ([`RowsSink`]), counted as that text, and joins them where it would have cut the text,
//! so its bytes are the same.
//!
//! Rows are converted about every [`TABLE_FLUSH_BYTES`] of text, and a Parquet row group
//! holds at most [`PARQUET_ROW_GROUP_ROWS`] rows, so memory stays flat. The encoded bytes
//! go to the inner writer as they are made; a Parquet file is complete only with the footer
//! [`TableWriter::finish`] writes (an Arrow IPC file likewise).

use std::io::{self, Write};
use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_cast::CastOptions;
use arrow_ipc::writer::{FileWriter, StreamWriter};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use arrow_select::concat::concat_batches;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::file_format::TableFormat;
use crate::money_column::{MONEY_PRECISION, MONEY_SCALE, money_array};
use crate::rows_sink::RowsSink;
use crate::typed_rows::rows_batch;

/// The text converted into a record batch at a time.
pub const TABLE_FLUSH_BYTES: usize = 1 << 20;
/// The most rows in a Parquet row group.
pub const PARQUET_ROW_GROUP_ROWS: usize = 1 << 16;

/// The encoder of a table output, writing into a buffer drained into the inner writer, or
/// keeping the record batches as they are.
enum Encoder {
    Parquet(Box<ArrowWriter<Vec<u8>>>),
    ArrowFile(FileWriter<Vec<u8>>),
    ArrowStream(StreamWriter<Vec<u8>>),
    Kept(Vec<RecordBatch>),
}

/// What a table writer makes of its record batches.
#[derive(Clone, Copy)]
enum Encoding {
    /// A file of this format ([`TableFormat::Csv`]: Arrow IPC).
    File(TableFormat),
    /// The record batches themselves, kept in memory.
    Batches,
}

/// Rows taken but not yet encoded: CSV text, or a record batch a worker made of its text.
enum Piece {
    Text(Vec<u8>),
    Rows(RecordBatch),
}

/// An output of the batch written as a Parquet or Arrow IPC table (see the module docs).
/// Give it to [`Sinks`](crate::Sinks) as any writer, or to
/// [`TableSinks`](crate::TableSinks) to have the workers make its record batches; call
/// [`TableWriter::finish`] after a successful run. Any CSV text with a header row converts
/// the same way (a claims file into a Parquet claims file, for one).
pub struct TableWriter<W: Write> {
    inner: W,
    encoding: Encoding,
    /// Rows not yet encoded, in order.
    pieces: Vec<Piece>,
    /// The bytes of text the pieces stand for (a batch: the text it was made of).
    pending_bytes: usize,
    schema: Option<SchemaRef>,
    encoder: Option<Encoder>,
}

impl<W: Write> TableWriter<W> {
    /// A table writer of `format` into `inner`; [`TableFormat::Csv`] is written as Arrow IPC.
    pub fn new(inner: W, format: TableFormat) -> TableWriter<W> {
        TableWriter::with_encoding(inner, Encoding::File(format))
    }

    fn with_encoding(inner: W, encoding: Encoding) -> TableWriter<W> {
        TableWriter {
            inner,
            encoding,
            pieces: Vec::new(),
            pending_bytes: 0,
            schema: None,
            encoder: None,
        }
    }

    /// The inner writer.
    pub fn get_ref(&self) -> &W {
        &self.inner
    }

    /// Converts the text still pending, writes the table's end (a Parquet footer, the
    /// Arrow IPC file's footer) and returns the inner writer, flushed.
    ///
    /// # Errors
    /// When the text does not convert or the inner writer fails.
    pub fn finish(mut self) -> io::Result<W> {
        self.convert()?;
        let tail = match self.encoder.take() {
            Some(Encoder::Parquet(writer)) => writer.into_inner().map_err(io::Error::other)?,
            Some(Encoder::ArrowFile(writer)) => writer.into_inner().map_err(io::Error::other)?,
            Some(Encoder::ArrowStream(writer)) => writer.into_inner().map_err(io::Error::other)?,
            Some(Encoder::Kept(_)) | None => Vec::new(),
        };
        self.inner.write_all(&tail)?;
        self.inner.flush()?;
        Ok(self.inner)
    }

    /// Converts the whole rows pending, keeping a row of text not yet ended.
    fn convert_rows(&mut self) -> io::Result<()> {
        let rest = match self.pieces.last_mut() {
            Some(Piece::Text(text)) => {
                let end = rows_end(text);
                text.split_off(end)
            }
            _ => Vec::new(),
        };
        self.convert()?;
        if !rest.is_empty() {
            self.pending_bytes = rest.len();
            self.pieces.push(Piece::Text(rest));
        }
        Ok(())
    }

    /// Converts the pending rows into one record batch and encodes it: text converted
    /// here, the workers' batches as they are, joined in order.
    fn convert(&mut self) -> io::Result<()> {
        let pieces = std::mem::take(&mut self.pieces);
        self.pending_bytes = 0;
        let mut batches = Vec::with_capacity(pieces.len());
        for piece in pieces {
            match piece {
                Piece::Text(text) if text.is_empty() => {}
                Piece::Text(text) => batches.extend(self.text_rows(&text)?),
                Piece::Rows(batch) => batches.push(batch),
            }
        }
        let Some(schema) = self.schema.clone() else {
            return Ok(());
        };
        let batch = match batches.len() {
            0 => return Ok(()),
            1 => batches
                .pop()
                .unwrap_or_else(|| RecordBatch::new_empty(schema)),
            _ => concat_batches(&schema, &batches).map_err(io::Error::other)?,
        };
        self.encode(&batch)
    }

    /// The rows of CSV text as a record batch: the header row, the first time, gives the
    /// schema (`None` when the text holds none); the rows are read the fast way
    /// ([`rows_batch`]) when they have the batch's own shape, else by the general CSV
    /// reader ([`text_batch`]).
    fn text_rows(&mut self, text: &[u8]) -> io::Result<Option<RecordBatch>> {
        let mut rows = text;
        if self.schema.is_none() {
            let mut records = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(rows);
            let mut record = csv::StringRecord::new();
            if !records.read_record(&mut record).map_err(io::Error::other)? {
                return Ok(None);
            }
            let schema = Arc::new(Schema::new(
                record
                    .iter()
                    .map(|name| Field::new(name, output_type(name), true))
                    .collect::<Vec<_>>(),
            ));
            self.encoder = Some(self.encoder_for(&schema)?);
            self.schema = Some(schema);
            let end = usize::try_from(records.position().byte()).unwrap_or(usize::MAX);
            rows = text.get(end..).unwrap_or_default();
        }
        let Some(schema) = &self.schema else {
            return Ok(None);
        };
        let fast = std::str::from_utf8(rows)
            .ok()
            .and_then(|rows| rows_batch(schema, rows));
        match fast {
            Some(batch) => batch.map(Some),
            None => text_batch(schema, rows).map(Some),
        }
    }

    fn encoder_for(&self, schema: &Schema) -> io::Result<Encoder> {
        let format = match self.encoding {
            Encoding::Batches => return Ok(Encoder::Kept(Vec::new())),
            Encoding::File(format) => format,
        };
        Ok(match format {
            TableFormat::Parquet => {
                let properties = WriterProperties::builder()
                    .set_compression(Compression::SNAPPY)
                    .set_max_row_group_size(PARQUET_ROW_GROUP_ROWS)
                    .build();
                let writer =
                    ArrowWriter::try_new(Vec::new(), Arc::new(schema.clone()), Some(properties))
                        .map_err(io::Error::other)?;
                Encoder::Parquet(Box::new(writer))
            }
            TableFormat::ArrowStream => Encoder::ArrowStream(
                StreamWriter::try_new(Vec::new(), schema).map_err(io::Error::other)?,
            ),
            TableFormat::Arrow | TableFormat::Csv => Encoder::ArrowFile(
                FileWriter::try_new(Vec::new(), schema).map_err(io::Error::other)?,
            ),
        })
    }

    /// Encodes a batch and hands the bytes made so far to the inner writer.
    fn encode(&mut self, batch: &RecordBatch) -> io::Result<()> {
        let made = match &mut self.encoder {
            Some(Encoder::Parquet(writer)) => {
                writer.write(batch).map_err(io::Error::other)?;
                std::mem::take(writer.inner_mut())
            }
            Some(Encoder::ArrowFile(writer)) => {
                writer.write(batch).map_err(io::Error::other)?;
                std::mem::take(writer.get_mut())
            }
            Some(Encoder::ArrowStream(writer)) => {
                writer.write(batch).map_err(io::Error::other)?;
                std::mem::take(writer.get_mut())
            }
            Some(Encoder::Kept(batches)) => {
                batches.push(batch.clone());
                Vec::new()
            }
            None => Vec::new(),
        };
        self.inner.write_all(&made)
    }
}

impl TableWriter<io::Sink> {
    /// A table output kept in memory as its record batches: those an Arrow file of the
    /// same output holds, cut in the same places, for a caller that hands them on as they
    /// are (the Python module's tables, through the Arrow C stream interface) instead of
    /// encoding them and reading them back. Take them with [`TableWriter::into_batches`].
    pub fn in_memory() -> TableWriter<io::Sink> {
        TableWriter::with_encoding(io::sink(), Encoding::Batches)
    }

    /// Converts the text still pending and returns the table's schema (`None` when no
    /// header row came) and record batches.
    ///
    /// # Errors
    /// When the text does not convert.
    pub fn into_batches(mut self) -> io::Result<(Option<SchemaRef>, Vec<RecordBatch>)> {
        self.convert()?;
        let batches = match self.encoder.take() {
            Some(Encoder::Kept(batches)) => batches,
            _ => Vec::new(),
        };
        Ok((self.schema, batches))
    }
}

impl<W: Write> Write for TableWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.pieces.last_mut() {
            Some(Piece::Text(text)) => text.extend_from_slice(buf),
            _ => self.pieces.push(Piece::Text(buf.to_vec())),
        }
        self.pending_bytes += buf.len();
        if self.pending_bytes >= TABLE_FLUSH_BYTES {
            self.convert_rows()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.convert_rows()?;
        self.inner.flush()
    }
}

impl<W: Write> RowsSink for TableWriter<W> {
    fn takes_batches(&self) -> bool {
        true
    }

    /// Takes the worker's batch in place of its text, counted as that text, so that the
    /// record batches are cut where the text would be; the text itself when there is no
    /// batch, or when a row of text before it is not yet ended.
    fn write_rows(&mut self, text: &str, batch: Option<io::Result<RecordBatch>>) -> io::Result<()> {
        // The header row is read, or waits in the text before.
        let header = self.schema.is_some() || !self.pieces.is_empty();
        let row_open = match self.pieces.last() {
            Some(Piece::Text(pending)) => rows_end(pending) != pending.len(),
            _ => false,
        };
        match batch {
            Some(Ok(batch)) if header && !row_open => {
                self.pieces.push(Piece::Rows(batch));
                self.pending_bytes += text.len();
                if self.pending_bytes >= TABLE_FLUSH_BYTES {
                    self.convert_rows()?;
                }
                Ok(())
            }
            Some(Err(e)) => Err(e),
            _ => self.write_all(text.as_bytes()),
        }
    }
}

/// Where the whole rows of CSV text end: after its last line break outside quotes (an even
/// number of quotes before it), or 0.
fn rows_end(text: &[u8]) -> usize {
    // Most text has no quote at all: its rows end after its last line break.
    if memchr::memchr(b'"', text).is_none() {
        return memchr::memrchr(b'\n', text).map_or(0, |i| i + 1);
    }
    let mut quotes = 0_usize;
    let mut end = 0;
    for i in memchr::memchr2_iter(b'"', b'\n', text) {
        match text.get(i) {
            Some(b'"') => quotes += 1,
            _ if quotes % 2 == 0 => end = i + 1,
            _ => {}
        }
    }
    end
}

/// The output columns that hold money: the per-person figures, a claim's figures, and a
/// reform's figures and differences (a difference may be negative).
const MONEY_COLUMNS: [&str; 13] = [
    "amount",
    "basic_fund_paid",
    "catastrophic_paid",
    "personal_burden",
    "eligible",
    "deductible",
    "fiscal_subsidy",
    "reform_basic_fund_paid",
    "reform_catastrophic_paid",
    "reform_personal_burden",
    "difference_basic_fund_paid",
    "difference_catastrophic_paid",
    "difference_personal_burden",
];

/// The type of an output column, by its name (module docs). The money columns are named
/// one by one: a word such as `not_paid` (why nothing is paid) is text.
pub(crate) fn output_type(name: &str) -> DataType {
    match name {
        "line" | "row" => DataType::Int64,
        "date" => DataType::Date32,
        _ if MONEY_COLUMNS.contains(&name) => DataType::Decimal128(MONEY_PRECISION, MONEY_SCALE),
        _ => DataType::Utf8,
    }
}

/// The whole rows of `text` (no header) read by the general CSV reader into a record
/// batch of `schema`: any CSV text, the path of text not of the batch's own shape.
pub(crate) fn text_batch(schema: &SchemaRef, text: &[u8]) -> io::Result<RecordBatch> {
    let mut records = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(text);
    let mut record = csv::StringRecord::new();
    let mut columns: Vec<StringBuilder> = schema
        .fields()
        .iter()
        .map(|_| StringBuilder::new())
        .collect();
    while records.read_record(&mut record).map_err(io::Error::other)? {
        if record.len() != columns.len() {
            return Err(io::Error::other(format!(
                "a row of {} fields in a table of {} columns",
                record.len(),
                columns.len()
            )));
        }
        for (builder, value) in columns.iter_mut().zip(record.iter()) {
            if value.is_empty() {
                builder.append_null();
            } else {
                builder.append_value(value);
            }
        }
    }
    typed_batch(schema, columns)
}

/// The text columns cast to their types, exactly (a value that does not fit is an error):
/// money of the batch's plain form directly ([`money_array`]), any other by `arrow_cast`.
fn typed_batch(schema: &SchemaRef, columns: Vec<StringBuilder>) -> io::Result<RecordBatch> {
    let options = CastOptions {
        safe: false,
        ..CastOptions::default()
    };
    let arrays = schema
        .fields()
        .iter()
        .zip(columns)
        .map(|(field, mut builder)| {
            let text = builder.finish();
            if field.data_type() == &DataType::Utf8 {
                return Ok(Arc::new(text) as ArrayRef);
            }
            if let DataType::Decimal128(..) = field.data_type() {
                if let Some(money) = money_array(&text) {
                    return Ok(Arc::new(money) as ArrayRef);
                }
            }
            let text: ArrayRef = Arc::new(text);
            arrow_cast::cast_with_options(&text, field.data_type(), &options)
                .map_err(|e| io::Error::other(format!("column `{}`: {e}", field.name())))
        })
        .collect::<io::Result<Vec<_>>>()?;
    RecordBatch::try_new(schema.clone(), arrays).map_err(io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::rows_end;

    /// Where the whole rows end: after the last line break outside quotes.
    #[test]
    fn whole_rows_end_after_the_last_line_break_outside_quotes() {
        let cases: [(&str, usize); 9] = [
            ("", 0),
            ("a,b", 0),
            ("a,b\n", 4),
            ("a,b\nc,d", 4),
            ("a,b\nc,d\n", 8),
            ("\"x\ny\",1\n", 8),
            ("\"x\ny", 0),
            ("a\n\"b\nc", 2),
            ("\"say \"\"hi\"\"\"\n\"", 13),
        ];
        for (text, end) in cases {
            assert_eq!(rows_end(text.as_bytes()), end, "{text:?}");
        }
    }
}
