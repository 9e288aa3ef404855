//! A money column of a table output, from the text the batch writes (`-1234.56`) to
//! `Decimal128(18, 2)` directly, by [`Yuan`]'s own reading of an amount (digit by digit into
//! fen), without going through `arrow_cast`'s general decimal parser: the batch's own
//! amounts always have this form, and a table output converts one per person and several
//! per claim on the writer's thread.
//!
//! A value of any other form (an exponent, a sign `+`, three decimals, blanks, more than
//! [`Yuan::MAX`]) is not guessed at: [`money_array`] gives `None`, and the caller converts
//! the column with `arrow_cast` as before, which gives the same array for every amount
//! [`Yuan`] reads and its own error for a value that does not fit.

use arrow_array::{Array, Decimal128Array, StringArray};
use yibao_core::Yuan;

/// The precision of a money column: 18 digits in fen.
pub(crate) const MONEY_PRECISION: u8 = 18;
/// The scale of a money column: fen.
pub(crate) const MONEY_SCALE: i8 = 2;

/// The column's values in fen, or `None` when a value is not an amount [`Yuan`] reads,
/// with or without a sign `-` (see the module docs).
pub(crate) fn money_array(text: &StringArray) -> Option<Decimal128Array> {
    let mut fen = Vec::with_capacity(text.len());
    for index in 0..text.len() {
        if text.is_null(index) {
            fen.push(None);
        } else {
            fen.push(Some(plain_fen(text.value(index))?));
        }
    }
    Decimal128Array::from(fen)
        .with_precision_and_scale(MONEY_PRECISION, MONEY_SCALE)
        .ok()
}

/// An amount [`Yuan`] reads, with or without a sign `-`, in fen; `None` for anything else.
fn plain_fen(text: &str) -> Option<i128> {
    let (negative, amount) = match text.strip_prefix('-') {
        Some(amount) => (true, amount),
        None => (false, text),
    };
    let fen = i128::from(amount.parse::<Yuan>().ok()?.to_fen());
    Some(if negative { -fen } else { fen })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::ArrayRef;
    use arrow_cast::CastOptions;
    use arrow_schema::DataType;

    use super::*;

    /// Each text: the fen of the plain form, or `None` where `arrow_cast` is left to decide.
    #[test]
    fn plain_forms_in_fen_others_left_to_the_general_parser() {
        let cases: [(&str, Option<i128>); 18] = [
            ("0.00", Some(0)),
            ("-0.00", Some(0)),
            ("1234.56", Some(123_456)),
            ("-1234.56", Some(-123_456)),
            ("12.5", Some(1_250)),
            ("12", Some(1_200)),
            ("1000000000000.00", Some(100_000_000_000_000)),
            ("-1000000000000.00", Some(-100_000_000_000_000)),
            ("1000000000000.01", None),
            ("1.234", None),
            ("1.", None),
            (".5", None),
            ("+1.00", None),
            ("1e3", None),
            (" 1.00", None),
            ("-", None),
            ("--1.00", None),
            ("1.0a", None),
        ];
        for (text, fen) in cases {
            assert_eq!(plain_fen(text), fen, "{text}");
        }
    }

    /// For every plain value, the array is the one `arrow_cast` makes from the same text.
    #[test]
    fn the_same_array_as_arrow_cast() {
        let text = StringArray::from(vec![
            Some("0.00"),
            None,
            Some("-1234.56"),
            Some("12.5"),
            Some("7"),
            Some("1000000000000.00"),
        ]);
        let options = CastOptions {
            safe: false,
            ..CastOptions::default()
        };
        let cast = arrow_cast::cast_with_options(
            &(Arc::new(text.clone()) as ArrayRef),
            &DataType::Decimal128(MONEY_PRECISION, MONEY_SCALE),
            &options,
        )
        .unwrap();
        let direct = money_array(&text).unwrap();
        assert_eq!(cast.as_ref(), &direct as &dyn Array);
    }
}
