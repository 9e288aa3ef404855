//! Parquet and Arrow IPC claims files. The batch reads a table's record batches as typed
//! columns ([`run_table`](crate::run_table)): the header is the column names, read as a
//! CSV header is; each batch is prepared once on the reader thread
//! ([`PreparedBatch`](crate::table_columns::PreparedBatch)) and handed to the workers as it
//! is, cut between persons, and the workers read each row's fields straight from the
//! columns through the same row parser, persons' blocks, contiguity checks, errors and
//! restart as a CSV file's lines. The rows are numbered from 1 (no header line counts): an
//! error names `row N`.
//!
//! A [`TableReader`] can also be read as text (it implements [`Read`]): each batch turned
//! into the rows of text the CSV reader reads (a header row of the column names, then one
//! line per row). The persons table is read so, and [`run`](crate::run) given a table
//! reader reads it so, to the same outputs, more slowly.
//!
//! Each column's type is checked when the file is opened, every problem listed: text
//! (`Utf8`, `LargeUtf8`, `Utf8View`, a dictionary of text), whole numbers, `Boolean`,
//! `Date32` and `Decimal128`/`Decimal256` of at most 2 decimal places are read, each as
//! the text `arrow_cast`'s display gives it (a date as `YYYY-MM-DD`, a decimal as
//! written), so that a value is checked and refused in the words of a CSV field; a
//! decimal in an amount column and a date in `date` are taken as they are where that text
//! would read the same. A null is an empty field. A floating-point column is refused: money is never binary floating point
//! (`0.1` has no exact binary value), and no other column of the batch holds a fraction.
//! A line break inside a text value becomes a vertical tab (`\u{b}`), a control character
//! the row parser refuses in an id and no other column reads, so the row is refused, never
//! cut in two.
//!
//! Parquet is read row group by row group ([`open_table`](crate::open_table), batches of
//! [`TABLE_BATCH_ROWS`] rows), never the whole file: memory is one row group's pages and the
//! batches in flight (a window of chunks per worker).

use std::io::{self, Read};

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{ArrowError, DataType, Schema};

use crate::columns::{Layout, read_header};
use yibao_core::{Lang, Said};

use crate::error::{BatchError, Problems};
use crate::table_read::TableSource;

/// The rows of a record batch read from a Parquet file at a time.
pub const TABLE_BATCH_ROWS: usize = 4096;

/// The record batches of a table, one after the other.
pub type RecordBatches = Box<dyn Iterator<Item = Result<RecordBatch, ArrowError>> + Send>;

/// A Parquet or Arrow IPC claims file (see the module docs): give it to
/// [`run_table`](crate::run_table) (or, read as text, to [`run`](crate::run)) with
/// [`BatchOptions::input_format`](crate::BatchOptions::input_format) set to the table's
/// format, so that rows are numbered from 1.
pub struct TableReader {
    name: String,
    batches: RecordBatches,
    /// The header row: the column names as a CSV header (without its line break).
    header: Vec<u8>,
    /// The text of the header, then of the batch being read.
    text: Vec<u8>,
    /// How much of `text` has been read.
    at: usize,
}

impl TableReader {
    /// A reader over `batches` of `schema`, named `name` in errors.
    ///
    /// # Errors
    /// [`BatchError::Header`] naming every column of a type the batch does not read.
    pub fn new(
        name: impl Into<String>,
        schema: &Schema,
        batches: RecordBatches,
    ) -> Result<TableReader, BatchError> {
        let mut problems = Problems::default();
        for field in schema.fields() {
            if let Some(why) = refused_type(field.data_type()) {
                let (name, data_type) = (field.name(), field.data_type());
                problems.push(
                    format!("column `{name}` is {data_type}: {}", why.en()),
                    format!("列 `{name}` 的类型为 `{data_type}`：{}", why.text(Lang::Zh)),
                );
            }
        }
        if !problems.is_empty() {
            return Err(BatchError::Header {
                problems: problems.said(),
            });
        }
        let mut text = Vec::new();
        for (i, field) in schema.fields().iter().enumerate() {
            if i > 0 {
                text.push(b',');
            }
            push_field(&mut text, field.name());
        }
        let header = text.clone();
        text.push(b'\n');
        Ok(TableReader {
            name: name.into(),
            batches,
            header,
            text,
            at: 0,
        })
    }

    /// The header's layout and the record batches, for the typed read.
    ///
    /// # Errors
    /// [`BatchError::Header`] for an unusable header; [`BatchError::Internal`] when the
    /// reader was already read from as text.
    pub(crate) fn into_source(self) -> Result<(Layout, TableSource), BatchError> {
        if self.at > 0 {
            return Err(BatchError::Internal {
                message: format!("{}: the table was already read from as text", self.name),
            });
        }
        let layout = read_header(&self.header)?;
        Ok((
            layout,
            TableSource {
                name: self.name,
                batches: self.batches,
            },
        ))
    }

    /// The next batch's rows as text; false at the end of the table.
    fn next_batch(&mut self) -> io::Result<bool> {
        let Some(batch) = self.batches.next() else {
            return Ok(false);
        };
        let batch = batch.map_err(|e| io::Error::other(format!("{}: {e}", self.name)))?;
        self.text.clear();
        self.at = 0;
        batch_text(&batch, &mut self.text)
            .map_err(|e| io::Error::other(format!("{}: {e}", self.name)))?;
        Ok(true)
    }
}

impl Read for TableReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.at >= self.text.len() {
            if !self.next_batch()? {
                return Ok(0);
            }
        }
        let rest = self.text.get(self.at..).unwrap_or_default();
        let n = rest.len().min(out.len());
        if let (Some(to), Some(from)) = (out.get_mut(..n), rest.get(..n)) {
            to.copy_from_slice(from);
        }
        self.at += n;
        Ok(n)
    }
}

/// Why a column of this type is not read, or `None` when it is.
fn refused_type(data_type: &DataType) -> Option<Said> {
    use DataType as T;
    match data_type {
        T::Utf8 | T::LargeUtf8 | T::Utf8View | T::Boolean | T::Date32 | T::Null => None,
        T::Int8 | T::Int16 | T::Int32 | T::Int64 => None,
        T::UInt8 | T::UInt16 | T::UInt32 | T::UInt64 => None,
        T::Decimal128(_, scale) | T::Decimal256(_, scale) if (0..=2).contains(scale) => None,
        T::Decimal128(_, scale) | T::Decimal256(_, scale) => Some(Said::new(
            format!("a decimal with {scale} decimal places; amounts are in yuan with at most 2"),
            format!("带 {scale} 位小数的十进制数；金额以元为单位，至多 2 位小数"),
        )),
        T::Dictionary(_, values) if matches!(**values, T::Utf8 | T::LargeUtf8 | T::Utf8View) => {
            None
        }
        T::Float16 | T::Float32 | T::Float64 => Some(Said::new(
            "binary floating point, which cannot hold most amounts in yuan and fen exactly (0.1 has no exact binary value); money is never binary floating point: write it as Decimal128(p, 2) or as text",
            "二进制浮点数，无法精确表示大多数以元、分计的金额（0.1 没有精确的二进制值）；金额从不使用二进制浮点数：请写作 Decimal128(p, 2) 或文本",
        )),
        _ => Some(Said::new(
            "a type the batch does not read (it reads text, whole numbers, booleans, Date32 and decimals of at most 2 places)",
            "批量结算不读取的类型（可读取文本、整数、布尔值、Date32 日期及至多 2 位小数的十进制数）",
        )),
    }
}

/// A column of a batch, ready to give each row's text.
enum ColumnText<'a> {
    Text(&'a arrow_array::StringArray),
    LargeText(&'a arrow_array::LargeStringArray),
    ViewText(&'a arrow_array::StringViewArray),
    Formatted(ArrayFormatter<'a>),
}

/// Appends a batch's rows as lines of CSV text.
fn batch_text(batch: &RecordBatch, text: &mut Vec<u8>) -> Result<(), ArrowError> {
    // Dictionaries become plain text first.
    let arrays: Vec<ArrayRef> = batch
        .columns()
        .iter()
        .map(|array| match array.data_type() {
            DataType::Dictionary(..) => arrow_cast::cast(array, &DataType::Utf8),
            _ => Ok(array.clone()),
        })
        .collect::<Result<_, _>>()?;
    let options = FormatOptions::default();
    let columns: Vec<ColumnText<'_>> = arrays
        .iter()
        .map(|array| {
            Ok(match array.data_type() {
                DataType::Utf8 => ColumnText::Text(array.as_string::<i32>()),
                DataType::LargeUtf8 => ColumnText::LargeText(array.as_string::<i64>()),
                DataType::Utf8View => ColumnText::ViewText(array.as_string_view()),
                _ => ColumnText::Formatted(ArrayFormatter::try_new(array.as_ref(), &options)?),
            })
        })
        .collect::<Result<_, ArrowError>>()?;
    text.reserve(batch.num_rows() * 64);
    for row in 0..batch.num_rows() {
        for (i, (column, array)) in columns.iter().zip(&arrays).enumerate() {
            if i > 0 {
                text.push(b',');
            }
            if array.is_null(row) {
                continue;
            }
            match column {
                ColumnText::Text(values) => push_field(text, values.value(row)),
                ColumnText::LargeText(values) => push_field(text, values.value(row)),
                ColumnText::ViewText(values) => push_field(text, values.value(row)),
                ColumnText::Formatted(formatter) => {
                    use std::io::Write as _;
                    // Numbers, booleans and dates hold no comma, quote or line break.
                    write!(text, "{}", formatter.value(row))
                        .map_err(|e| ArrowError::ExternalError(Box::new(e)))?;
                }
            }
        }
        text.push(b'\n');
    }
    Ok(())
}

/// Appends a text value as a field of the batch's CSV: quoted when it holds a comma or
/// starts with a quote, a line break made a vertical tab (module docs).
fn push_field(text: &mut Vec<u8>, value: &str) {
    let bytes = value.as_bytes();
    let quoted = bytes.first() == Some(&b'"') || bytes.contains(&b',');
    if !quoted && !bytes.iter().any(|b| matches!(b, b'\n' | b'\r')) {
        text.extend_from_slice(bytes);
        return;
    }
    if quoted {
        text.push(b'"');
    }
    for &b in bytes {
        match b {
            b'\n' | b'\r' => text.push(0x0b),
            b'"' if quoted => text.extend_from_slice(b"\"\""),
            _ => text.push(b),
        }
    }
    if quoted {
        text.push(b'"');
    }
}
