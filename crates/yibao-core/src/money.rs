//! Exact money: [`Yuan`] for settled amounts (to the fen) and [`ExactYuan`] for unrounded
//! intermediate figures such as "65% of 123.45".
//!
//! Both are non-negative and bounded by [`Yuan::MAX`], so no arithmetic on them can overflow the
//! underlying decimal: every operation that could leave the range returns a [`MoneyError`].

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::rate::Rate;

/// How an exact figure is rounded to the fen.
///
/// POLICY-NOTES (Conventions): the sources give no rounding rule; the project reads it as
/// half away from zero, once per settled amount. The mode is a policy parameter so that a
/// jurisdiction publishing another rule only changes data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RoundingMode {
    /// 0.005 → 0.01, 0.015 → 0.02, 0.004 → 0.00 (the project's reading).
    #[default]
    HalfAwayFromZero,
    /// Banker's rounding: 0.005 → 0.00, 0.015 → 0.02.
    HalfEven,
    /// Always towards zero: 0.009 → 0.00.
    Down,
    /// Always away from zero: 0.001 → 0.01.
    Up,
}

impl RoundingMode {
    fn strategy(self) -> RoundingStrategy {
        match self {
            RoundingMode::HalfAwayFromZero => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
            RoundingMode::Down => RoundingStrategy::ToZero,
            RoundingMode::Up => RoundingStrategy::AwayFromZero,
        }
    }
}

/// Why a money value was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// Occurs when text is not a decimal number, e.g. `"12,5"` or `"abc"`.
    #[error(
        "`{text}` is not an amount in yuan (expected digits with an optional `.` and up to 2 decimals, e.g. 1234.56)"
    )]
    NotANumber {
        /// The text as given.
        text: String,
    },
    /// Occurs when a settled amount has more than 2 decimals, e.g. `"10.005"`.
    #[error("`{text}` has more than 2 decimals; a settled amount is given to the fen (0.01 yuan)")]
    TooManyDecimals {
        /// The text or value as given.
        text: String,
    },
    /// Occurs when an amount is below zero.
    #[error("`{text}` is negative; an amount in yuan must be 0 or more")]
    Negative {
        /// The text or value as given.
        text: String,
    },
    /// Occurs when an amount is above [`Yuan::MAX`], including a sum or product that would be.
    #[error("`{text}` is above the largest amount the engine accepts ({max} yuan)", max = Yuan::MAX_TEXT)]
    TooLarge {
        /// The text or value as given.
        text: String,
    },
    /// Occurs when a subtraction would go below zero.
    #[error("{minuend} - {subtrahend} would be negative")]
    Underflow {
        /// The left operand.
        minuend: String,
        /// The right operand.
        subtrahend: String,
    },
}

fn max_decimal() -> Decimal {
    Yuan::MAX.0
}

fn check_range(value: Decimal, text: impl FnOnce() -> String) -> Result<Decimal, MoneyError> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(MoneyError::Negative { text: text() });
    }
    if value > max_decimal() {
        return Err(MoneyError::TooLarge { text: text() });
    }
    // Normalise -0 to 0 so equal amounts compare and hash equal.
    Ok(if value.is_zero() {
        Decimal::ZERO
    } else {
        value
    })
}

/// A settled amount of money in yuan, exact to the fen (0.01).
///
/// Invariants, enforced by every constructor: `0 <= amount <= Yuan::MAX` and at most two
/// decimal places. Arithmetic is checked and returns [`MoneyError`] instead of overflowing.
/// It serialises as a string with exactly two decimals (`"1234.50"`) and deserialises from a
/// string or an integer (`"1234.5"`, `"1234"`, `1234`); floats are refused, since a binary float
/// cannot hold most fen amounts exactly.
///
/// ```
/// use yibao_core::Yuan;
/// let bill: Yuan = "1234.5".parse()?;
/// assert_eq!(bill.to_string(), "1234.50");
/// assert!("10.005".parse::<Yuan>().is_err()); // more than 2 decimals
/// assert!("-1".parse::<Yuan>().is_err());     // negative
/// # Ok::<(), yibao_core::MoneyError>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Yuan(Decimal);

impl Yuan {
    /// Zero yuan.
    pub const ZERO: Yuan = Yuan(Decimal::ZERO);
    /// The largest amount accepted: 1,000,000,000,000.00 yuan (10^12). Far above any medical
    /// bill or population total, and far enough below the decimal type's limit that sums and
    /// products with rates are always exact.
    pub const MAX: Yuan = Yuan(Decimal::from_parts(0xD4A5_1000, 0xE8, 0, false, 0));
    /// [`Yuan::MAX`] as text, for messages.
    pub const MAX_TEXT: &'static str = "1000000000000.00";

    /// An amount from a whole number of yuan.
    ///
    /// # Errors
    /// [`MoneyError::Negative`] or [`MoneyError::TooLarge`] outside `0..=Yuan::MAX`.
    pub fn from_yuan(whole: i64) -> Result<Yuan, MoneyError> {
        Yuan::from_decimal(Decimal::from(whole))
    }

    /// An amount from a whole number of fen (1 yuan = 100 fen).
    ///
    /// # Errors
    /// [`MoneyError::Negative`] or [`MoneyError::TooLarge`] outside `0..=Yuan::MAX`.
    pub fn from_fen(fen: i64) -> Result<Yuan, MoneyError> {
        Yuan::from_decimal(Decimal::new(fen, 2))
    }

    /// An amount from a decimal that already has at most two decimals.
    ///
    /// # Errors
    /// [`MoneyError::TooManyDecimals`], [`MoneyError::Negative`] or [`MoneyError::TooLarge`].
    pub fn from_decimal(value: Decimal) -> Result<Yuan, MoneyError> {
        let normal = value.normalize();
        if normal.scale() > 2 {
            return Err(MoneyError::TooManyDecimals {
                text: value.to_string(),
            });
        }
        check_range(value, || value.to_string()).map(Yuan)
    }

    /// The amount as a decimal.
    pub fn as_decimal(self) -> Decimal {
        self.0
    }

    /// The amount in whole fen.
    pub fn to_fen(self) -> i64 {
        // In range by the invariant: at most 10^14 fen.
        let fen = (self.0 * Decimal::ONE_HUNDRED).trunc();
        i64::try_from(fen).unwrap_or(i64::MAX)
    }

    /// Whether the amount is zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// `self + other`.
    ///
    /// # Errors
    /// [`MoneyError::TooLarge`] when the sum is above [`Yuan::MAX`].
    pub fn checked_add(self, other: Yuan) -> Result<Yuan, MoneyError> {
        let sum = self.0 + other.0; // both <= 10^12: cannot overflow Decimal
        check_range(sum, || format!("{self} + {other}")).map(Yuan)
    }

    /// `self - other`.
    ///
    /// # Errors
    /// [`MoneyError::Underflow`] when `other > self`.
    pub fn checked_sub(self, other: Yuan) -> Result<Yuan, MoneyError> {
        if other > self {
            return Err(MoneyError::Underflow {
                minuend: self.to_string(),
                subtrahend: other.to_string(),
            });
        }
        Ok(Yuan(self.0 - other.0))
    }

    /// `max(self - other, 0)`: what is left of `self` after `other` is taken off, never negative.
    pub fn saturating_sub(self, other: Yuan) -> Yuan {
        if other >= self {
            Yuan::ZERO
        } else {
            Yuan(self.0 - other.0)
        }
    }

    /// The sum of many amounts.
    ///
    /// # Errors
    /// [`MoneyError::TooLarge`] when a partial sum goes above [`Yuan::MAX`].
    pub fn checked_sum<I: IntoIterator<Item = Yuan>>(items: I) -> Result<Yuan, MoneyError> {
        items
            .into_iter()
            .try_fold(Yuan::ZERO, |total, item| total.checked_add(item))
    }

    /// `self × rate`, exact (not rounded).
    pub fn times(self, rate: Rate) -> ExactYuan {
        // rate <= 1 and has at most 6 decimals: the product stays within range and exact.
        ExactYuan(self.0 * rate.as_decimal())
    }

    /// The amount as an [`ExactYuan`].
    pub fn exact(self) -> ExactYuan {
        ExactYuan(self.0)
    }
}

impl FromStr for Yuan {
    type Err = MoneyError;

    fn from_str(text: &str) -> Result<Yuan, MoneyError> {
        let value = parse_decimal_text(text)?;
        if value.scale() > 2 {
            return Err(MoneyError::TooManyDecimals {
                text: text.to_owned(),
            });
        }
        check_range(value, || text.to_owned()).map(Yuan)
    }
}

/// Parses plain decimal text: optional sign, digits, optional `.` and digits. No exponent, no
/// thousands separators, no surrounding spaces.
fn parse_decimal_text(text: &str) -> Result<Decimal, MoneyError> {
    let not_a_number = || MoneyError::NotANumber {
        text: text.to_owned(),
    };
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
        return Err(not_a_number());
    }
    // Long digit strings are certainly out of range; refuse them before Decimal sees them.
    let whole_digits = whole.trim_start_matches('0').len();
    if whole_digits > 13 {
        return if text.starts_with('-') {
            Err(MoneyError::Negative {
                text: text.to_owned(),
            })
        } else {
            Err(MoneyError::TooLarge {
                text: text.to_owned(),
            })
        };
    }
    if fraction.is_some_and(|f| f.len() > 20) {
        return Err(MoneyError::TooManyDecimals {
            text: text.to_owned(),
        });
    }
    Decimal::from_str_exact(text).map_err(|_| not_a_number())
}

impl fmt::Display for Yuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2}", self.0)
    }
}

impl Serialize for Yuan {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Yuan {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Yuan, D::Error> {
        deserializer.deserialize_any(AmountVisitor)
    }
}

struct AmountVisitor;

impl serde::de::Visitor<'_> for AmountVisitor {
    type Value = Yuan;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an amount in yuan as a string such as \"1234.56\" or a whole number")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Yuan, E> {
        text.parse().map_err(E::custom)
    }

    fn visit_i64<E: serde::de::Error>(self, whole: i64) -> Result<Yuan, E> {
        Yuan::from_yuan(whole).map_err(E::custom)
    }

    fn visit_u64<E: serde::de::Error>(self, whole: u64) -> Result<Yuan, E> {
        let whole = i64::try_from(whole).map_err(|_| {
            E::custom(MoneyError::TooLarge {
                text: whole.to_string(),
            })
        })?;
        Yuan::from_yuan(whole).map_err(E::custom)
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Yuan, E> {
        Err(E::custom(format!(
            "`{value}` is a floating-point number; write amounts as strings (\"{value}\") so they stay exact"
        )))
    }
}

/// An exact, unrounded amount in yuan, such as a band's share `0.65 × 123.45 = 80.2425`.
///
/// Same range as [`Yuan`] (non-negative, at most [`Yuan::MAX`]) but any number of decimals.
/// Only [`ExactYuan::round`] turns it into a settled [`Yuan`]; POLICY-NOTES asks for rounding
/// once per settled amount, never in intermediate products.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExactYuan(Decimal);

impl ExactYuan {
    /// Zero.
    pub const ZERO: ExactYuan = ExactYuan(Decimal::ZERO);

    /// The value as a decimal.
    pub fn as_decimal(self) -> Decimal {
        self.0
    }

    /// `self + other`.
    ///
    /// # Errors
    /// [`MoneyError::TooLarge`] when the sum is above [`Yuan::MAX`].
    pub fn checked_add(self, other: ExactYuan) -> Result<ExactYuan, MoneyError> {
        let sum = self.0 + other.0;
        check_range(sum, || format!("{} + {}", self.0, other.0)).map(ExactYuan)
    }

    /// `max(self - other, 0)`.
    pub fn saturating_sub(self, other: ExactYuan) -> ExactYuan {
        if other.0 >= self.0 {
            ExactYuan::ZERO
        } else {
            ExactYuan(self.0 - other.0)
        }
    }

    /// The smaller of `self` and a settled amount (e.g. a cap).
    pub fn min_yuan(self, cap: Yuan) -> ExactYuan {
        if self.0 <= cap.0 { self } else { cap.exact() }
    }

    /// Rounds to the fen with the given mode.
    pub fn round(self, mode: RoundingMode) -> Yuan {
        // Rounding a value in 0..=MAX to 2 decimals stays in 0..=MAX (MAX is a whole number).
        Yuan(
            self.0
                .round_dp_with_strategy(2, mode.strategy())
                .normalize(),
        )
    }
}

impl fmt::Display for ExactYuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.normalize(), f)
    }
}

impl Serialize for ExactYuan {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yuan(text: &str) -> Yuan {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn parses_whole_and_fen_amounts() {
        assert_eq!(yuan("1234").to_string(), "1234.00");
        assert_eq!(yuan("1234.5").to_string(), "1234.50");
        assert_eq!(yuan("0.01").to_fen(), 1);
        assert_eq!(yuan("1000000000000").to_string(), "1000000000000.00");
    }

    #[test]
    fn refuses_bad_text_with_the_value_in_the_message() {
        let e = "12,5".parse::<Yuan>().unwrap_err();
        assert!(matches!(e, MoneyError::NotANumber { .. }));
        assert!(e.to_string().contains("`12,5`"));
        for bad in ["", " 1", "1 ", "1e3", ".5", "5.", "NaN", "1.2.3", "１２"] {
            assert!(bad.parse::<Yuan>().is_err(), "{bad:?} accepted");
        }
        assert!(matches!(
            "10.005".parse::<Yuan>(),
            Err(MoneyError::TooManyDecimals { .. })
        ));
        assert!(matches!(
            "-0.01".parse::<Yuan>(),
            Err(MoneyError::Negative { .. })
        ));
        assert!(matches!(
            "1000000000000.01".parse::<Yuan>(),
            Err(MoneyError::TooLarge { .. })
        ));
        assert!(matches!(
            "99999999999999999999999999999999999".parse::<Yuan>(),
            Err(MoneyError::TooLarge { .. })
        ));
    }

    #[test]
    fn negative_zero_is_zero() {
        assert_eq!(yuan("-0"), Yuan::ZERO);
        assert_eq!(yuan("-0.00").to_string(), "0.00");
    }

    #[test]
    fn rounds_half_away_from_zero_by_default() {
        let mode = RoundingMode::default();
        let exact = |s: &str| ExactYuan(Decimal::from_str_exact(s).unwrap_or_default());
        assert_eq!(exact("0.005").round(mode).to_string(), "0.01");
        assert_eq!(exact("0.015").round(mode).to_string(), "0.02");
        assert_eq!(exact("0.0049").round(mode).to_string(), "0.00");
        assert_eq!(
            exact("0.005").round(RoundingMode::HalfEven).to_string(),
            "0.00"
        );
        assert_eq!(exact("0.009").round(RoundingMode::Down).to_string(), "0.00");
        assert_eq!(exact("0.001").round(RoundingMode::Up).to_string(), "0.01");
    }

    #[test]
    fn arithmetic_is_checked() {
        let max = Yuan::MAX;
        assert_eq!(max.as_decimal(), Decimal::from(1_000_000_000_000_i64));
        assert!(matches!(
            max.checked_add(yuan("0.01")),
            Err(MoneyError::TooLarge { .. })
        ));
        assert!(matches!(
            yuan("1").checked_sub(yuan("2")),
            Err(MoneyError::Underflow { .. })
        ));
        assert_eq!(yuan("1").saturating_sub(yuan("2")), Yuan::ZERO);
        assert_eq!(yuan("5.5").checked_sub(yuan("2.25")), Ok(yuan("3.25")));
    }

    #[test]
    fn serde_as_strings_with_two_decimals() {
        let json = serde_json::to_string(&yuan("7.1")).unwrap_or_default();
        assert_eq!(json, "\"7.10\"");
        let back: Yuan = serde_json::from_str("\"7.10\"").unwrap_or_default();
        assert_eq!(back, yuan("7.1"));
        let whole: Yuan = serde_json::from_str("300").unwrap_or_default();
        assert_eq!(whole, yuan("300"));
        let float = serde_json::from_str::<Yuan>("300.5").unwrap_err();
        assert!(float.to_string().contains("floating-point"), "{float}");
    }
}
