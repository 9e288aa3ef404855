//! The rows of a batch output's CSV text read straight into a typed record batch, the fast
//! way: the text the batch writes (`\n` line ends, a field quoted only when it holds a comma,
//! a quote or a line break, `""` for a quote inside) is cut into fields with `memchr`, and
//! each column is read into its type directly: `line` and `row` as whole numbers, `date`
//! written `YYYY-MM-DD` as days, money as fen ([`money_array`]), text as it is.
//!
//! Nothing is guessed: text of any other shape (a `\r`, a blank line, a row of another
//! number of fields, a quote inside an unquoted field, text not ending with a line break)
//! gives `None` for the whole text, and a column whose values are not all of the batch's
//! own forms is converted from its text by `arrow_cast`; either way the caller's general
//! path decides, with the same arrays (and the same errors) as before.

use std::borrow::Cow;
use std::io;
use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::types::Date32Type;
use arrow_array::{ArrayRef, Date32Array, Int64Array, RecordBatch, StringArray};
use arrow_cast::CastOptions;
use arrow_schema::{DataType, SchemaRef};

use crate::money_column::money_array;

/// The fields of CSV text, column by column; `None` when the text is not of the batch's own
/// shape (module docs).
fn split_columns(text: &str, columns: usize) -> Option<Vec<Vec<Cow<'_, str>>>> {
    if !text.is_empty() && !text.ends_with('\n') || text.contains('\r') {
        return None;
    }
    let rows = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    let mut fields: Vec<Vec<Cow<'_, str>>> =
        (0..columns).map(|_| Vec::with_capacity(rows)).collect();
    let mut rest = text;
    while !rest.is_empty() {
        // A blank line: the general reader skips it.
        if rest.starts_with('\n') {
            return None;
        }
        for (index, column) in fields.iter_mut().enumerate() {
            let last = index + 1 == columns;
            let (field, after) = next_field(rest, last)?;
            column.push(field);
            rest = after;
        }
    }
    Some(fields)
}

/// The field at the start of `text` and the text after its delimiter (`,`, or `\n` for
/// the row's `last` field); `None` when the field is not of the batch's own shape.
fn next_field(text: &str, last: bool) -> Option<(Cow<'_, str>, &str)> {
    let delimiter = if last { b'\n' } else { b',' };
    let bytes = text.as_bytes();
    if bytes.first() != Some(&b'"') {
        let end = memchr::memchr3(b',', b'\n', b'"', bytes)?;
        if bytes.get(end) != Some(&delimiter) {
            return None;
        }
        return Some((Cow::Borrowed(text.get(..end)?), text.get(end + 1..)?));
    }
    let mut value = String::new();
    let mut rest = text.get(1..)?;
    loop {
        let quote = memchr::memchr(b'"', rest.as_bytes())?;
        value.push_str(rest.get(..quote)?);
        rest = rest.get(quote + 1..)?;
        match rest.as_bytes().first() {
            Some(b'"') => {
                value.push('"');
                rest = rest.get(1..)?;
            }
            Some(&next) if next == delimiter => return Some((Cow::Owned(value), rest.get(1..)?)),
            _ => return None,
        }
    }
}

/// The whole rows of `text` (no header) as a record batch of `schema`, read the fast way;
/// `None` when the text is not of the batch's own shape (module docs).
///
/// # Errors
/// When a column's values do not convert to its type (`arrow_cast`'s error, naming the
/// column, as the general path words it).
pub(crate) fn rows_batch(schema: &SchemaRef, text: &str) -> Option<io::Result<RecordBatch>> {
    let columns = split_columns(text, schema.fields().len())?;
    let arrays = schema
        .fields()
        .iter()
        .zip(&columns)
        .map(|(field, values)| typed_column(field.data_type(), values, field.name()))
        .collect::<io::Result<Vec<_>>>();
    Some(
        arrays.and_then(|arrays| {
            RecordBatch::try_new(schema.clone(), arrays).map_err(io::Error::other)
        }),
    )
}

/// A column's fields as an array of `data_type` (an empty field is a null): directly for
/// the batch's own forms, else through `arrow_cast` from the text.
fn typed_column(data_type: &DataType, values: &[Cow<'_, str>], name: &str) -> io::Result<ArrayRef> {
    let direct: Option<ArrayRef> = match data_type {
        DataType::Int64 => whole_numbers(values).map(|a| Arc::new(a) as ArrayRef),
        DataType::Date32 => dates(values).map(|a| Arc::new(a) as ArrayRef),
        _ => None,
    };
    if let Some(array) = direct {
        return Ok(array);
    }
    let text = text_array(values);
    match data_type {
        DataType::Utf8 => return Ok(Arc::new(text)),
        DataType::Decimal128(..) => {
            if let Some(money) = money_array(&text) {
                return Ok(Arc::new(money));
            }
        }
        _ => {}
    }
    let options = CastOptions {
        safe: false,
        ..CastOptions::default()
    };
    let text: ArrayRef = Arc::new(text);
    arrow_cast::cast_with_options(&text, data_type, &options)
        .map_err(|e| io::Error::other(format!("column `{name}`: {e}")))
}

/// The fields as text, an empty field a null.
fn text_array(values: &[Cow<'_, str>]) -> StringArray {
    let bytes = values.iter().map(|value| value.len()).sum();
    let mut builder = StringBuilder::with_capacity(values.len(), bytes);
    for value in values {
        if value.is_empty() {
            builder.append_null();
        } else {
            builder.append_value(value);
        }
    }
    builder.finish()
}

/// The fields as whole numbers when each is empty or `-`? followed by digits that fit.
fn whole_numbers(values: &[Cow<'_, str>]) -> Option<Int64Array> {
    let mut numbers = Vec::with_capacity(values.len());
    for value in values {
        if value.is_empty() {
            numbers.push(None);
            continue;
        }
        let digits = value.strip_prefix('-').unwrap_or(value);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        numbers.push(Some(value.parse::<i64>().ok()?));
    }
    Some(Int64Array::from(numbers))
}

/// The fields as days since 1970-01-01 when each is empty or a date written `YYYY-MM-DD`.
fn dates(values: &[Cow<'_, str>]) -> Option<Date32Array> {
    let mut days = Vec::with_capacity(values.len());
    for value in values {
        if value.is_empty() {
            days.push(None);
            continue;
        }
        let date = yibao_core::parse_date(value).ok()?;
        days.push(Some(Date32Type::from_naive_date(date)));
    }
    Some(Date32Array::from(days))
}

#[cfg(test)]
mod tests {
    use arrow_schema::{Field, Schema};
    use proptest::prelude::*;

    use super::*;
    use crate::arrow_output::{output_type, text_batch};

    fn schema(names: &[&str]) -> SchemaRef {
        Arc::new(Schema::new(
            names
                .iter()
                .map(|name| Field::new(*name, output_type(name), true))
                .collect::<Vec<_>>(),
        ))
    }

    /// Texts of the batch's own shape are read the fast way, to the general reader's batch;
    /// any other shape is left to the general reader (`None`).
    #[test]
    fn the_batchs_own_shape_read_fast_any_other_left_to_the_general_reader() {
        let cases: [(&str, bool); 14] = [
            ("", true),
            ("p1,3,2026-01-05,12.50\n", true),
            ("p1,,,\n", true),
            ("\"a,b\",3,2026-01-05,-0.01\n", true),
            ("\"say \"\"hi\"\"\",3,2026-01-05,1\n", true),
            ("\"two\nlines\",3,2026-01-05,1\n", true),
            ("p1,3,2026-01-05,12.50", false),
            ("p1,3,2026-01-05,12.50\r\n", false),
            ("\n", false),
            ("p1,3,2026-01-05\n", false),
            ("p1,3,2026-01-05,1,2\n", false),
            ("p\"1,3,2026-01-05,1\n", false),
            ("\"p1\"x,3,2026-01-05,1\n", false),
            ("\"p1,3,2026-01-05,1\n", false),
        ];
        let schema = schema(&["person_id", "line", "date", "amount"]);
        for (text, fast) in cases {
            let read = rows_batch(&schema, text);
            assert_eq!(read.is_some(), fast, "{text:?}");
            if let Some(batch) = read {
                let general = text_batch(&schema, text.as_bytes()).unwrap();
                assert_eq!(batch.unwrap(), general, "{text:?}");
            }
        }
    }

    /// A column with a value not of the batch's own form is converted by `arrow_cast`, as
    /// the general reader converts it: the same batch, or the same refusal.
    #[test]
    fn other_forms_of_a_typed_column_go_to_arrow_cast() {
        let schema = schema(&["line", "date", "amount"]);
        let cases: [(&str, bool); 6] = [
            ("+7,2026-01-05,1\n", true),
            ("7,2026-1-5,1\n", true),
            ("7,2026-01-05,1e3\n", false),
            ("x,2026-01-05,1\n", false),
            ("7,2026-02-30,1\n", false),
            ("7,2026-01-05,1.234\n", true),
        ];
        for (text, converts) in cases {
            let fast = rows_batch(&schema, text).unwrap();
            let general = text_batch(&schema, text.as_bytes());
            assert_eq!(fast.is_ok(), converts, "{text:?}: {fast:?}");
            assert_eq!(general.is_ok(), converts, "{text:?}");
            match (fast, general) {
                (Ok(fast), Ok(general)) => assert_eq!(fast, general, "{text:?}"),
                (Err(fast), Err(general)) => {
                    assert_eq!(fast.to_string(), general.to_string(), "{text:?}");
                }
                _ => unreachable!(),
            }
        }
    }

    /// A row of the batch's output in columns `person_id`, `line`, `date`, `amount`,
    /// `reason`: each field of its column's form or empty; text with commas, quotes and
    /// line breaks.
    fn row() -> impl Strategy<Value = [String; 5]> {
        let or_empty = |s: BoxedStrategy<String>| prop_oneof![1 => Just(String::new()), 4 => s];
        (
            or_empty("[a-z0-9 ,\"\n]{1,6}".boxed()),
            or_empty((-99_999_i64..99_999).prop_map(|n| n.to_string()).boxed()),
            or_empty(
                (1900_u32..2100, 1_u32..=12, 1_u32..=28)
                    .prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
                    .boxed(),
            ),
            or_empty(
                (-1_000_000_000_i64..1_000_000_000)
                    .prop_map(|fen| {
                        let sign = if fen < 0 { "-" } else { "" };
                        format!("{sign}{}.{:02}", fen.abs() / 100, fen.abs() % 100)
                    })
                    .boxed(),
            ),
            or_empty("[a-z ,\"\n]{1,12}".boxed()),
        )
            .prop_map(|(a, b, c, d, e)| [a, b, c, d, e])
    }

    /// A field as CSV: quoted when it holds a comma, a quote or a line break.
    fn csv_field(value: &str) -> String {
        if value.contains([',', '"', '\n']) {
            format!("\"{}\"", value.replace('"', "\"\""))
        } else {
            value.to_owned()
        }
    }

    proptest! {
        /// The fast reading of the batch's own text gives the general reader's batch.
        #[test]
        fn prop_read_fast_as_the_general_reader_reads(rows in prop::collection::vec(row(), 0..40)) {
            let schema = schema(&["person_id", "line", "date", "amount", "reason"]);
            let text: String = rows
                .iter()
                .map(|row| {
                    let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
                    format!("{}\n", fields.join(","))
                })
                .collect();
            let fast = rows_batch(&schema, &text).expect("the batch's own shape").unwrap();
            let general = text_batch(&schema, text.as_bytes()).unwrap();
            prop_assert_eq!(fast, general);
        }
    }
}
