//! A record batch of a claims table made ready for the row parser, once, as it is read:
//! each column kept as its array (the arrays' buffers are shared, nothing is copied) and
//! read row by row as a [`FieldValue`]: text borrowed from the array, an amount's decimal,
//! a date's day, a boolean as the words `true` and `false`. A column of another type (a
//! whole number, a decimal or a date in a column that reads text) is written out once as
//! the text a CSV export of the table would hold (`arrow_cast`'s display); so is a text
//! column holding a line break, each made a vertical tab (`\u{b}`), which the row parser
//! refuses in an id and no other column reads (see [`arrow_input`](crate::arrow_input)).
//! A null reads as an empty field.

use std::fmt::Write as _;
use std::ops::Range;

use arrow_array::cast::AsArray;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Decimal128Array, GenericStringArray,
    LargeStringArray, OffsetSizeTrait, RecordBatch, StringArray, StringViewArray,
};
use arrow_buffer::NullBuffer;
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{ArrowError, DataType};

use crate::columns::{Column, Layout};
use crate::field_value::FieldValue;

/// The columns whose decimals are read as amounts.
const MONEY_COLUMNS: [Column; 5] = [
    Column::Amount,
    Column::ConsultationFee,
    Column::ClassA,
    Column::ClassB,
    Column::ClassC,
];

/// The values of a text array.
#[derive(Debug)]
pub(crate) enum TextValues {
    Utf8(StringArray),
    LargeUtf8(LargeStringArray),
    View(StringViewArray),
}

impl TextValues {
    fn of(array: &dyn Array) -> Option<TextValues> {
        Some(match array.data_type() {
            DataType::Utf8 => TextValues::Utf8(array.as_string::<i32>().clone()),
            DataType::LargeUtf8 => TextValues::LargeUtf8(array.as_string::<i64>().clone()),
            DataType::Utf8View => TextValues::View(array.as_string_view().clone()),
            _ => return None,
        })
    }

    #[inline]
    fn value(&self, row: usize) -> &str {
        match self {
            TextValues::Utf8(values) => values.value(row),
            TextValues::LargeUtf8(values) => values.value(row),
            TextValues::View(values) => values.value(row),
        }
    }

    /// Whether any value holds a line break (the bytes of every value, at once where the
    /// array keeps them together).
    fn has_line_break(&self) -> bool {
        match self {
            TextValues::Utf8(values) => text_has_line_break(values),
            TextValues::LargeUtf8(values) => text_has_line_break(values),
            TextValues::View(values) => values
                .iter()
                .flatten()
                .any(|value| memchr::memchr2(b'\n', b'\r', value.as_bytes()).is_some()),
        }
    }
}

/// One column of a prepared batch.
#[derive(Debug)]
pub(crate) enum TableColumn {
    /// Text, borrowed row by row.
    Text {
        values: TextValues,
        nulls: Option<NullBuffer>,
    },
    /// A dictionary of text, read through its keys.
    Dictionary {
        keys: Vec<usize>,
        nulls: Option<NullBuffer>,
        values: TextValues,
    },
    /// Booleans, read as `true` and `false`.
    Boolean(BooleanArray),
    /// Decimals of at most 2 places in a money column.
    Decimal(Decimal128Array),
    /// `Date32` in the `date` column.
    Days(Date32Array),
    /// Written out as text: each row's span in [`PreparedBatch::written`].
    Written(Vec<Range<usize>>),
}

/// A record batch of a claims table, ready for the row parser (module docs).
#[derive(Debug)]
pub(crate) struct PreparedBatch {
    pub(crate) rows: usize,
    /// The columns in the order of the header.
    columns: Vec<TableColumn>,
    /// The text of the columns written out.
    written: String,
}

impl PreparedBatch {
    /// Prepares `batch`, whose columns are the header's (`layout`).
    ///
    /// # Errors
    /// When the batch does not have the header's columns, or a column cannot be written out.
    pub(crate) fn new(batch: &RecordBatch, layout: &Layout) -> Result<PreparedBatch, ArrowError> {
        if batch.num_columns() != layout.width {
            return Err(ArrowError::SchemaError(format!(
                "a record batch has {} columns where the table has {}",
                batch.num_columns(),
                layout.width
            )));
        }
        let mut written = String::new();
        let columns = batch
            .columns()
            .iter()
            .enumerate()
            .map(|(field, array)| {
                let column = layout.column_at(field);
                prepare(array, column, &mut written)
            })
            .collect::<Result<_, _>>()?;
        Ok(PreparedBatch {
            rows: batch.num_rows(),
            columns,
            written,
        })
    }

    /// The field of the header's `field`-th column at `row`.
    #[inline]
    pub(crate) fn value(&self, field: usize, row: usize) -> FieldValue<'_> {
        let Some(column) = self.columns.get(field) else {
            return FieldValue::Text("");
        };
        let null = |nulls: &Option<NullBuffer>| nulls.as_ref().is_some_and(|n| n.is_null(row));
        match column {
            TableColumn::Text { values, nulls } if !null(nulls) => {
                FieldValue::Text(values.value(row))
            }
            TableColumn::Dictionary {
                keys,
                nulls,
                values,
            } if !null(nulls) => {
                FieldValue::Text(keys.get(row).map_or("", |&key| values.value(key)))
            }
            TableColumn::Boolean(values) if values.is_valid(row) => {
                FieldValue::Text(if values.value(row) { "true" } else { "false" })
            }
            TableColumn::Decimal(values) if values.is_valid(row) => {
                FieldValue::Decimal(values, row)
            }
            TableColumn::Days(values) if values.is_valid(row) => FieldValue::Days(values, row),
            TableColumn::Written(spans) => FieldValue::Text(
                spans
                    .get(row)
                    .and_then(|span| self.written.get(span.clone()))
                    .unwrap_or_default(),
            ),
            _ => FieldValue::Text(""),
        }
    }

    /// The text of the header's `field`-th column at `row`; `None` for a typed amount or
    /// date (never the person's column).
    #[inline]
    pub(crate) fn text(&self, field: usize, row: usize) -> Option<&str> {
        match self.value(field, row) {
            FieldValue::Text(text) => Some(text),
            _ => None,
        }
    }
}

/// How one array of a batch is read, as the column it is in the header.
fn prepare(
    array: &ArrayRef,
    column: Option<Column>,
    written: &mut String,
) -> Result<TableColumn, ArrowError> {
    let data_type = array.data_type();
    match data_type {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            if let Some(values) = TextValues::of(array.as_ref()).filter(|v| !v.has_line_break()) {
                return Ok(TableColumn::Text {
                    values,
                    nulls: array.logical_nulls(),
                });
            }
        }
        DataType::Dictionary(..) => {
            let dictionary = array.as_any_dictionary();
            if let Some(values) =
                TextValues::of(dictionary.values().as_ref()).filter(|v| !v.has_line_break())
            {
                return Ok(TableColumn::Dictionary {
                    keys: dictionary.normalized_keys(),
                    nulls: array.logical_nulls(),
                    values,
                });
            }
        }
        DataType::Boolean => return Ok(TableColumn::Boolean(array.as_boolean().clone())),
        DataType::Decimal128(_, scale)
            if (0..=2).contains(scale) && column.is_some_and(|c| MONEY_COLUMNS.contains(&c)) =>
        {
            return Ok(TableColumn::Decimal(
                array
                    .as_primitive::<arrow_array::types::Decimal128Type>()
                    .clone(),
            ));
        }
        DataType::Date32 if column == Some(Column::Date) => {
            return Ok(TableColumn::Days(
                array
                    .as_primitive::<arrow_array::types::Date32Type>()
                    .clone(),
            ));
        }
        _ => {}
    }
    write_out(array, written).map(TableColumn::Written)
}

/// Writes every value of `array` into `written` as the text the batch reads (module docs),
/// giving each row's span.
fn write_out(array: &ArrayRef, written: &mut String) -> Result<Vec<Range<usize>>, ArrowError> {
    let text;
    let array = match array.data_type() {
        DataType::Dictionary(..) => {
            text = arrow_cast::cast(array, &DataType::Utf8)?;
            &text
        }
        _ => array,
    };
    let nulls = array.logical_nulls();
    let mut spans = Vec::with_capacity(array.len());
    let mut push = |written: &mut String, value: &str| {
        let start = written.len();
        written.extend(value.chars().map(|c| match c {
            '\n' | '\r' => '\u{b}',
            c => c,
        }));
        spans.push(start..written.len());
    };
    if let Some(values) = TextValues::of(array.as_ref()) {
        for row in 0..array.len() {
            let null = nulls.as_ref().is_some_and(|n| n.is_null(row));
            push(written, if null { "" } else { values.value(row) });
        }
        return Ok(spans);
    }
    let formatter = ArrayFormatter::try_new(array.as_ref(), &FormatOptions::default())?;
    let mut value = String::new();
    for row in 0..array.len() {
        value.clear();
        if !nulls.as_ref().is_some_and(|n| n.is_null(row)) {
            write!(value, "{}", formatter.value(row))
                .map_err(|e| ArrowError::ExternalError(Box::new(e)))?;
        }
        push(written, &value);
    }
    Ok(spans)
}

/// Whether any value of a text array holds a line break: its values' bytes at once, as the
/// array keeps them together.
fn text_has_line_break<O: OffsetSizeTrait>(values: &GenericStringArray<O>) -> bool {
    let data = values.value_data();
    let offsets = values.value_offsets();
    let from = offsets.first().and_then(|o| o.to_usize()).unwrap_or(0);
    let to = offsets
        .last()
        .and_then(|o| o.to_usize())
        .unwrap_or(data.len());
    memchr::memchr2(b'\n', b'\r', data.get(from..to).unwrap_or(data)).is_some()
}
