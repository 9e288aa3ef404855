//! One field of a claims row as the row parser reads it, whatever the source: the text of a
//! CSV field, or a value of a table's column (text borrowed from the array, a decimal, a
//! date). The parser has one set of checks and messages for both: an amount or a date typed
//! in the table is taken as it is when it is one the text would give exactly, and otherwise
//! written out as the text the table's value reads as and parsed as text, so that a value
//! out of range is refused with the words a CSV field would get.

use arrow_array::{Date32Array, Decimal128Array};
use yibao_core::{NaiveDate, Yuan};

/// The days from 0001-01-01 (day 1 of the common era) to 1970-01-01, the epoch of `Date32`.
const EPOCH_FROM_CE: i32 = 719_163;
/// The `Date32` of 0000-01-01 and of 9999-12-31: the days written with four-digit years.
const FOUR_DIGIT_YEARS: std::ops::RangeInclusive<i32> = -719_528..=2_932_896;

/// A field of a row.
#[derive(Clone, Copy, Debug)]
pub(crate) enum FieldValue<'c> {
    /// Text (an empty field, an absent column and a null read as empty).
    Text(&'c str),
    /// The bytes of a CSV field that are not UTF-8.
    NotUtf8(&'c [u8]),
    /// A decimal of at most 2 places in a table's money column, by its array and row.
    Decimal(&'c Decimal128Array, usize),
    /// A `Date32` in a table's `date` column, by its array and row.
    Days(&'c Date32Array, usize),
}

impl FieldValue<'_> {
    /// Whether the field holds nothing (empty text; a null is read as empty text).
    pub(crate) fn is_empty(&self) -> bool {
        matches!(self, FieldValue::Text(""))
    }

    /// The amount a decimal is, when it is one its text reads as exactly: at most 2
    /// places, not negative, at most [`Yuan::MAX`]; `None` otherwise (the text then
    /// says why).
    pub(crate) fn exact_amount(array: &Decimal128Array, row: usize) -> Option<Yuan> {
        let value = array.value(row);
        let fen = match array.scale() {
            2 => value,
            1 => value.checked_mul(10)?,
            0 => value.checked_mul(100)?,
            _ => return None,
        };
        Yuan::from_fen(i64::try_from(fen).ok()?).ok()
    }

    /// The day a `Date32` is, when its text is the four-digit `YYYY-MM-DD` the date
    /// reading takes; `None` otherwise.
    pub(crate) fn exact_date(array: &Date32Array, row: usize) -> Option<NaiveDate> {
        let days = array.value(row);
        if !FOUR_DIGIT_YEARS.contains(&days) {
            return None;
        }
        NaiveDate::from_num_days_from_ce_opt(days.checked_add(EPOCH_FROM_CE)?)
    }

    /// The text a typed value reads as (what a CSV export of the table would hold): a
    /// decimal as written, a date as `YYYY-MM-DD`.
    pub(crate) fn written(&self) -> String {
        match *self {
            FieldValue::Text(text) => text.to_owned(),
            FieldValue::NotUtf8(raw) => String::from_utf8_lossy(raw).into_owned(),
            FieldValue::Decimal(array, row) => array.value_as_string(row),
            FieldValue::Days(array, row) => array.value_as_date(row).map_or_else(
                || format!("day {} of 1970", array.value(row)),
                |d| d.to_string(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_value_is_taken_as_it_is_only_where_its_text_reads_the_same() {
        let days = Date32Array::from(vec![-719_529, -719_528, 0, 20_513, 2_932_896, 2_932_897]);
        let read: Vec<(Option<NaiveDate>, String)> = (0..days.len())
            .map(|row| {
                let exact = FieldValue::exact_date(&days, row);
                (exact, FieldValue::Days(&days, row).written())
            })
            .collect();
        let texts: Vec<&str> = read.iter().map(|(_, text)| text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "-0001-12-31",
                "0000-01-01",
                "1970-01-01",
                "2026-03-01",
                "9999-12-31",
                "+10000-01-01"
            ]
        );
        for (exact, text) in &read {
            assert_eq!(*exact, yibao_core::parse_date(text).ok(), "{text}");
        }
        let amounts = |scale: i8, values: Vec<i128>| {
            Decimal128Array::from(values)
                .with_precision_and_scale(38, scale)
                .unwrap()
        };
        for (scale, values) in [
            (
                2,
                vec![0, 5, 12_345, -5, 100_000_000_000_000, 100_000_000_000_001],
            ),
            (1, vec![7, -7, 10_000_000_000_000, 10_000_000_000_001]),
            (0, vec![3, i128::MAX]),
        ] {
            let array = amounts(scale, values);
            for row in 0..array.len() {
                let text = FieldValue::Decimal(&array, row).written();
                let exact = FieldValue::exact_amount(&array, row);
                assert_eq!(exact, text.parse::<Yuan>().ok(), "{text}");
            }
        }
    }
}
