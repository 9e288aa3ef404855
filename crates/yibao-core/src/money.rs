//! Exact money: [`Yuan`] for settled amounts (to the fen) and [`ExactYuan`] for unrounded
//! intermediate figures such as "65% of 123.45".
//!
//! Both are non-negative and bounded by [`Yuan::MAX`], so no arithmetic on them can overflow the
//! underlying decimal: every operation that could leave the range returns a [`MoneyError`].

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::rate::Rate;

/// How an exact figure is rounded to the fen.
///
/// POLICY-NOTES (Conventions): the sources give no rounding rule; the project reads it as
/// half away from zero, once per settled amount. The mode is a policy parameter so that a
/// jurisdiction publishing another rule only changes data.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
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

crate::words!(RoundingMode {
    HalfAwayFromZero => "half_away_from_zero" | "half-away-from-zero",
    HalfEven => "half_even" | "half-even",
    Down => "down",
    Up => "up",
});

/// Why a money value was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// Occurs when text is not written as [`Yuan`]'s grammar says, e.g. `"12,5"`, `"+5"`,
    /// `" 5"`, `".5"` or `""`.
    #[error(
        "`{text}` is not an amount in yuan (expected digits, then optionally `.` and 1 or 2 digits, e.g. 1234.56; no sign, space or separator)"
    )]
    NotANumber {
        /// The text as given, as [`crate::quoted`] shows it.
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

impl MoneyError {
    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        match self {
            MoneyError::NotANumber { text } => format!(
                "`{text}` 不是以元为单位的金额（应写作数字，可带小数点及 1 至 2 位小数，如 1234.56；不带符号、空格或分隔符）"
            ),
            MoneyError::TooManyDecimals { text } => {
                format!("`{text}` 的小数超过 2 位；结算金额精确到分（0.01 元）")
            }
            MoneyError::Negative { text } => format!("`{text}` 为负数；金额不得小于 0"),
            MoneyError::TooLarge { text } => format!(
                "`{text}` 超出本系统可处理的最大金额（{} 元）",
                Yuan::MAX_TEXT
            ),
            MoneyError::Underflow {
                minuend,
                subtrahend,
            } => format!("{minuend} 减 {subtrahend} 将为负数"),
        }
    }
}

/// [`Yuan`]'s decimal is always kept at this scale, so its mantissa is the amount in fen.
const FEN_SCALE: u32 = 2;
/// [`ExactYuan`]'s decimal is always kept at this scale (10^-8 yuan): a fen amount times a rate
/// of at most 6 decimals is exact at it.
const EXACT_SCALE: u32 = 8;
/// [`Yuan::MAX`] in fen.
const MAX_FEN: i64 = 100_000_000_000_000;
/// [`Yuan::MAX`] in units of [`ExactYuan`] (10^-8 yuan).
const MAX_UNITS: i128 = 100_000_000_000_000_000_000;
/// Units of [`ExactYuan`] in one fen.
const UNITS_PER_FEN: i128 = 1_000_000;

/// A decimal of `mantissa × 10^-scale` for a mantissa in `0..2^96` (every caller's range is far
/// below it).
#[inline]
pub(crate) const fn decimal_of(mantissa: u128, scale: u32) -> Decimal {
    Decimal::from_parts(
        mantissa as u32,
        (mantissa >> 32) as u32,
        (mantissa >> 64) as u32,
        false,
        scale,
    )
}

/// `value × 10^(scale − value.scale())` as an integer mantissa, for a value of at most `scale`
/// decimals and at most 10^20 in magnitude (so the result fits an `i128`).
pub(crate) fn mantissa_at(value: Decimal, scale: u32) -> i128 {
    let shift = scale.saturating_sub(value.scale());
    value.mantissa() * 10_i128.pow(shift)
}

/// Equality, order and hashing of a money type by the integer mantissa its `key` method reads:
/// at a fixed scale, the mantissas order exactly as the decimals do.
macro_rules! ordered_by {
    ($type:ty, $key:ident) => {
        impl PartialEq for $type {
            #[inline]
            fn eq(&self, other: &$type) -> bool {
                self.$key() == other.$key()
            }
        }

        impl Eq for $type {}

        impl PartialOrd for $type {
            #[inline]
            fn partial_cmp(&self, other: &$type) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $type {
            #[inline]
            fn cmp(&self, other: &$type) -> std::cmp::Ordering {
                self.$key().cmp(&other.$key())
            }
        }

        impl std::hash::Hash for $type {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.$key().hash(state);
            }
        }
    };
}
pub(crate) use ordered_by;

/// Divides a non-negative `numerator` by a positive power of ten `divisor`, rounding the quotient
/// to a whole number with `mode`.
#[inline]
pub(crate) fn divide_rounded(numerator: i128, divisor: i128, mode: RoundingMode) -> i128 {
    // Almost every amount fits in 64 bits, where division is a single instruction rather
    // than a call into the 128-bit division routine.
    if let (Ok(narrow), Ok(by)) = (i64::try_from(numerator), i64::try_from(divisor)) {
        let (quotient, remainder) = (narrow / by, narrow % by);
        let up = rounds_up(
            mode,
            remainder.cmp(&(by / 2)),
            remainder > 0,
            quotient % 2 == 1,
        );
        return i128::from(quotient + i64::from(up));
    }
    let (quotient, remainder) = (numerator / divisor, numerator % divisor);
    let up = rounds_up(
        mode,
        remainder.cmp(&(divisor / 2)),
        remainder > 0,
        quotient % 2 == 1,
    );
    quotient + i128::from(up)
}

/// Whether a quotient is rounded up, from how its remainder compares with half the divisor.
#[inline]
fn rounds_up(
    mode: RoundingMode,
    remainder_to_half: std::cmp::Ordering,
    remainder_positive: bool,
    quotient_odd: bool,
) -> bool {
    use std::cmp::Ordering::{Equal, Greater};
    match mode {
        RoundingMode::HalfAwayFromZero => remainder_to_half != std::cmp::Ordering::Less,
        RoundingMode::HalfEven => {
            remainder_to_half == Greater || (remainder_to_half == Equal && quotient_odd)
        }
        RoundingMode::Down => false,
        RoundingMode::Up => remainder_positive,
    }
}

// The error paths of the checked operations are kept out of line, so that the operations
// themselves stay a few instructions and inline where they are used.

#[cold]
#[inline(never)]
fn too_large_sum(a: impl fmt::Display, b: impl fmt::Display) -> MoneyError {
    MoneyError::TooLarge {
        text: format!("{a} + {b}"),
    }
}

#[cold]
#[inline(never)]
fn underflow(minuend: Yuan, subtrahend: Yuan) -> MoneyError {
    MoneyError::Underflow {
        minuend: minuend.to_string(),
        subtrahend: subtrahend.to_string(),
    }
}

/// A settled amount of money in yuan, exact to the fen (0.01).
///
/// Invariants, enforced by every constructor: `0 <= amount <= Yuan::MAX` and at most two
/// decimal places. Arithmetic is checked and returns [`MoneyError`] instead of overflowing.
/// It serialises as a string with exactly two decimals (`"1234.50"`) and deserialises from a
/// string or an integer (`"1234.5"`, `"1234"`, `1234`); floats are refused, since a binary float
/// cannot hold most fen amounts exactly.
///
/// The text of an amount (a string in a scenario or policy file, a CSV field) is exactly
///
/// ```text
/// amount = digit+ ( "." digit digit? )?        digit = "0" | "1" | … | "9"  (ASCII)
/// ```
///
/// with a value of at most [`Yuan::MAX`]: `0`, `7`, `12.5`, `0012.30` (leading zeros are
/// allowed and change nothing). Nothing else is an amount: no sign (`+5`, `-5`, `-0`), no
/// space, no separator (`1,000`, `1_000`), no exponent, no lone point (`.5`, `5.`), no other
/// digits (`１２`), not empty. A refusal says which rule the text breaks: too many decimals,
/// negative, above the maximum, or not written so at all.
///
/// The value is a `rust_decimal` amount at scale 2, kept as that decimal's mantissa: the
/// amount in whole fen, an `i64`. Sums, differences and comparisons are exact integer
/// operations, and an amount travels in one register; [`Yuan::as_decimal`] gives the decimal
/// back unchanged.
///
/// ```
/// use yibao_core::Yuan;
/// let bill: Yuan = "1234.5".parse()?;
/// assert_eq!(bill.to_string(), "1234.50");
/// assert!("10.005".parse::<Yuan>().is_err()); // more than 2 decimals
/// assert!("-1".parse::<Yuan>().is_err());     // negative
/// # Ok::<(), yibao_core::MoneyError>(())
/// ```
#[derive(Clone, Copy)]
pub struct Yuan(i64);

impl Yuan {
    /// Zero yuan.
    pub const ZERO: Yuan = Yuan::of_fen(0);
    /// The largest amount accepted: 1,000,000,000,000.00 yuan (10^12). Far above any medical
    /// bill or population total, and far enough below the decimal type's limit that sums and
    /// products with rates are always exact.
    pub const MAX: Yuan = Yuan::of_fen(MAX_FEN);
    /// [`Yuan::MAX`] as text, for messages.
    pub const MAX_TEXT: &'static str = "1000000000000.00";

    /// The amount of `fen` fen, for `fen` in `0..=MAX_FEN` (the callers' invariant).
    #[inline]
    const fn of_fen(fen: i64) -> Yuan {
        Yuan(fen)
    }

    /// The amount in fen.
    #[inline]
    fn fen(self) -> i64 {
        self.0
    }

    /// An amount from a whole number of yuan.
    ///
    /// # Errors
    /// [`MoneyError::Negative`] or [`MoneyError::TooLarge`] outside `0..=Yuan::MAX`.
    pub fn from_yuan(whole: i64) -> Result<Yuan, MoneyError> {
        let text = || whole.to_string();
        if whole < 0 {
            return Err(MoneyError::Negative { text: text() });
        }
        match whole.checked_mul(100) {
            Some(fen) if fen <= MAX_FEN => Ok(Yuan::of_fen(fen)),
            _ => Err(MoneyError::TooLarge { text: text() }),
        }
    }

    /// An amount from a whole number of fen (1 yuan = 100 fen).
    ///
    /// # Errors
    /// [`MoneyError::Negative`] or [`MoneyError::TooLarge`] outside `0..=Yuan::MAX`.
    pub fn from_fen(fen: i64) -> Result<Yuan, MoneyError> {
        let text = || Decimal::new(fen, 2).to_string();
        if fen < 0 {
            return Err(MoneyError::Negative { text: text() });
        }
        if fen > MAX_FEN {
            return Err(MoneyError::TooLarge { text: text() });
        }
        Ok(Yuan::of_fen(fen))
    }

    /// An amount from a decimal that already has at most two decimals.
    ///
    /// # Errors
    /// [`MoneyError::TooManyDecimals`], [`MoneyError::Negative`] or [`MoneyError::TooLarge`].
    pub fn from_decimal(value: Decimal) -> Result<Yuan, MoneyError> {
        let normal = value.normalize();
        if normal.scale() > FEN_SCALE {
            return Err(MoneyError::TooManyDecimals {
                text: value.to_string(),
            });
        }
        let text = || value.to_string();
        if normal.is_sign_negative() && !normal.is_zero() {
            return Err(MoneyError::Negative { text: text() });
        }
        if normal > Yuan::MAX.as_decimal() {
            return Err(MoneyError::TooLarge { text: text() });
        }
        // At most 10^14 fen here, so the conversion cannot fail.
        let fen = i64::try_from(mantissa_at(normal, FEN_SCALE).abs()).unwrap_or(MAX_FEN);
        Ok(Yuan::of_fen(fen))
    }

    /// The amount as a decimal (at scale 2: `1234.50`).
    pub fn as_decimal(self) -> Decimal {
        // In 0..=10^14 by the invariant: the cast keeps the value.
        decimal_of(self.0 as u128, FEN_SCALE)
    }

    /// The amount in whole fen.
    #[inline]
    pub fn to_fen(self) -> i64 {
        self.fen()
    }

    /// Whether the amount is zero.
    #[inline]
    pub fn is_zero(self) -> bool {
        self.fen() == 0
    }

    /// `self + other`.
    ///
    /// # Errors
    /// [`MoneyError::TooLarge`] when the sum is above [`Yuan::MAX`].
    #[inline]
    pub fn checked_add(self, other: Yuan) -> Result<Yuan, MoneyError> {
        let sum = self.fen() + other.fen(); // both <= 10^14: cannot overflow i64
        if sum > MAX_FEN {
            return Err(too_large_sum(self, other));
        }
        Ok(Yuan::of_fen(sum))
    }

    /// `self - other`.
    ///
    /// # Errors
    /// [`MoneyError::Underflow`] when `other > self`.
    #[inline]
    pub fn checked_sub(self, other: Yuan) -> Result<Yuan, MoneyError> {
        if other > self {
            return Err(underflow(self, other));
        }
        Ok(Yuan::of_fen(self.fen() - other.fen()))
    }

    /// `max(self - other, 0)`: what is left of `self` after `other` is taken off, never negative.
    #[inline]
    pub fn saturating_sub(self, other: Yuan) -> Yuan {
        Yuan::of_fen((self.fen() - other.fen()).max(0))
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
    #[inline]
    pub fn times(self, rate: Rate) -> ExactYuan {
        // fen × millionths = units of 10^-8 yuan; rate <= 1, so the product stays <= MAX.
        ExactYuan::of_units(i128::from(self.fen()) * i128::from(rate.millionths()))
    }

    /// The amount as an [`ExactYuan`].
    #[inline]
    pub fn exact(self) -> ExactYuan {
        ExactYuan::of_units(i128::from(self.fen()) * UNITS_PER_FEN)
    }
}

ordered_by!(Yuan, fen);

impl fmt::Debug for Yuan {
    /// As the decimal it stands for: `Yuan(1234.50)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Yuan").field(&self.as_decimal()).finish()
    }
}

impl Default for Yuan {
    fn default() -> Yuan {
        Yuan::ZERO
    }
}

impl FromStr for Yuan {
    type Err = MoneyError;

    /// The amount grammar of [`Yuan`]: digits, then optionally `.` and 1 or 2 digits. Read
    /// digit by digit into fen.
    fn from_str(text: &str) -> Result<Yuan, MoneyError> {
        // The usual amount (`123.45`) in one pass; anything else, and every refusal, by the
        // general reading below.
        match everyday_fen(text.as_bytes()) {
            Some(fen) => Ok(Yuan::of_fen(fen)),
            None => read_yuan(text),
        }
    }
}

/// The fen of an everyday amount: 1 to 13 digits, then nothing, `.d` or `.dd`, at most
/// [`Yuan::MAX`]. `None` for anything else (which [`read_yuan`] reads or refuses).
#[inline]
fn everyday_fen(text: &[u8]) -> Option<i64> {
    let point = text.iter().position(|&b| b == b'.').unwrap_or(text.len());
    let (whole, fraction) = text.split_at(point);
    if whole.is_empty() || whole.len() > 13 {
        return None;
    }
    let digit = |b: u8| b.is_ascii_digit().then(|| i64::from(b - b'0'));
    let mut fen = 0_i64;
    for &b in whole {
        fen = fen * 10 + digit(b)?;
    }
    fen *= 100;
    match fraction {
        [] => {}
        [b'.', tenths] => fen += digit(*tenths)? * 10,
        [b'.', tenths, hundredths] => fen += digit(*tenths)? * 10 + digit(*hundredths)?,
        _ => return None,
    }
    (fen <= MAX_FEN).then_some(fen)
}

/// [`Yuan`]'s text reading in full: every amount of the grammar, and the reason for a
/// refusal (too many decimals, negative, too large, or not an amount at all).
fn read_yuan(text: &str) -> Result<Yuan, MoneyError> {
    let given = || crate::quoted(text).to_string();
    // A minus sign before an amount is refused as negative (or, on zero, as a sign).
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
        return Err(MoneyError::NotANumber { text: given() });
    }
    let fraction = fraction.unwrap_or_default();
    if fraction.len() > 2 {
        return Err(MoneyError::TooManyDecimals { text: given() });
    }
    let whole = whole.trim_start_matches('0');
    let zero = whole.is_empty() && fraction.bytes().all(|b| b == b'0');
    match (negative, zero) {
        (true, true) => return Err(MoneyError::NotANumber { text: given() }),
        (true, false) => return Err(MoneyError::Negative { text: given() }),
        (false, _) => {}
    }
    // More than 13 whole digits is certainly out of range (and might not fit an i64).
    if whole.len() > 13 {
        return Err(MoneyError::TooLarge { text: given() });
    }
    let read = |part: &str| {
        part.bytes()
            .fold(0_i64, |n, digit| n * 10 + i64::from(digit - b'0'))
    };
    let tenths = if fraction.len() == 1 { 10 } else { 1 };
    let fen = read(whole) * 100 + read(fraction) * tenths;
    if fen > MAX_FEN {
        return Err(MoneyError::TooLarge { text: given() });
    }
    Ok(Yuan::of_fen(fen))
}

/// Room for the text of any [`Yuan`]: 13 whole digits, the point and 2 decimals.
const YUAN_TEXT: usize = 24;

/// The text of an amount of `fen` fen with two decimals (`123456` → `1234.56`), written
/// from the integer: the decimal's own formatting costs several times more, and a year's
/// report writes every amount of every claim.
fn fen_text(fen: i64, buffer: &mut [u8; YUAN_TEXT]) -> &str {
    let mut left = fen.unsigned_abs();
    let mut at = YUAN_TEXT;
    let mut put = |byte: u8, at: &mut usize| {
        *at = at.saturating_sub(1);
        if let Some(slot) = buffer.get_mut(*at) {
            *slot = byte;
        }
    };
    for place in 0..=2 {
        if place == 2 {
            put(b'.', &mut at);
        }
        // A digit: the cast keeps it.
        put(b'0' + (left % 10) as u8, &mut at);
        left /= 10;
    }
    while left > 0 {
        put(b'0' + (left % 10) as u8, &mut at);
        left /= 10;
    }
    std::str::from_utf8(buffer.get(at..).unwrap_or_default()).unwrap_or_default()
}

impl fmt::Display for Yuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(fen_text(self.fen(), &mut [0; YUAN_TEXT]))
    }
}

impl Serialize for Yuan {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(fen_text(self.fen(), &mut [0; YUAN_TEXT]))
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
/// Same range as [`Yuan`] (non-negative, at most [`Yuan::MAX`]), with up to 8 decimals: a fen
/// amount times a rate of at most 6 decimals, and sums of such products, are exact. The value is a
/// `rust_decimal` amount at scale 8, kept as its mantissa (units of 10^-8 yuan, an `i128`). Only [`ExactYuan::round`] turns it into a settled [`Yuan`];
/// POLICY-NOTES asks for rounding once per settled amount, never in intermediate products.
#[derive(Clone, Copy)]
pub struct ExactYuan(i128);

impl ExactYuan {
    /// Zero.
    pub const ZERO: ExactYuan = ExactYuan::of_units(0);

    /// `units × 10^-8` yuan, for units in `0..=MAX_UNITS` (the callers' invariant).
    #[inline]
    const fn of_units(units: i128) -> ExactYuan {
        ExactYuan(units)
    }

    /// The value in units of 10^-8 yuan.
    #[inline]
    fn units(self) -> i128 {
        self.0
    }

    /// The value as a decimal (at scale 8).
    pub fn as_decimal(self) -> Decimal {
        // In 0..=MAX_UNITS by the invariant: the cast keeps the value.
        decimal_of(self.0 as u128, EXACT_SCALE)
    }

    /// `self + other`.
    ///
    /// # Errors
    /// [`MoneyError::TooLarge`] when the sum is above [`Yuan::MAX`].
    #[inline]
    pub fn checked_add(self, other: ExactYuan) -> Result<ExactYuan, MoneyError> {
        let sum = self.units() + other.units();
        if sum > MAX_UNITS {
            return Err(too_large_sum(self, other));
        }
        Ok(ExactYuan::of_units(sum))
    }

    /// `max(self - other, 0)`.
    #[inline]
    pub fn saturating_sub(self, other: ExactYuan) -> ExactYuan {
        ExactYuan::of_units((self.units() - other.units()).max(0))
    }

    /// The smaller of `self` and a settled amount (e.g. a cap).
    #[inline]
    pub fn min_yuan(self, cap: Yuan) -> ExactYuan {
        self.min(cap.exact())
    }

    /// Rounds to the fen with the given mode.
    #[inline]
    pub fn round(self, mode: RoundingMode) -> Yuan {
        // A value in 0..=MAX rounds to a fen amount in 0..=MAX (MAX is a whole number).
        let fen = divide_rounded(self.units(), UNITS_PER_FEN, mode);
        Yuan::of_fen(i64::try_from(fen).unwrap_or(MAX_FEN))
    }
}

ordered_by!(ExactYuan, units);

impl fmt::Debug for ExactYuan {
    /// As the decimal it stands for: `ExactYuan(80.24250000)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ExactYuan")
            .field(&self.as_decimal())
            .finish()
    }
}

impl Default for ExactYuan {
    fn default() -> ExactYuan {
        ExactYuan::ZERO
    }
}

impl fmt::Display for ExactYuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.as_decimal().normalize(), f)
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
    use proptest::prelude::*;

    proptest! {
        // The one-pass reading of everyday amounts gives exactly what the full reading gives,
        // value or refusal, on text shaped like amounts and on text that is nearly so.
        #[test]
        fn prop_everyday_amounts_read_as_the_full_reading_reads_them(
            text in "[-+ ]?0{0,3}[0-9]{0,15}(\\.[0-9]{0,3})?[x. ]?",
        ) {
            prop_assert_eq!(text.parse::<Yuan>(), read_yuan(&text), "{:?}", text);
        }
    }

    #[test]
    fn everyday_amounts_take_the_one_pass_reading() {
        for (text, fen) in [
            ("0", 0),
            ("7", 700),
            ("12.5", 1250),
            ("12.34", 1234),
            ("0012.30", 1230),
        ] {
            assert_eq!(everyday_fen(text.as_bytes()), Some(fen), "{text}");
        }
        for text in [
            "",
            ".5",
            "5.",
            "+5",
            "-5",
            "1.234",
            "1e3",
            "12345678901234",
            "1,0",
        ] {
            assert_eq!(everyday_fen(text.as_bytes()), None, "{text}");
        }
    }

    fn yuan(text: &str) -> Yuan {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn debug_shows_the_decimal_each_type_stands_for() {
        let rate: Rate = "65%".parse().unwrap_or(Rate::ZERO);
        let cases = [
            (format!("{:?}", yuan("1234.5")), "Yuan(1234.50)"),
            (format!("{:?}", Yuan::ZERO), "Yuan(0.00)"),
            (
                format!("{:?}", yuan("123.45").times(rate)),
                "ExactYuan(80.24250000)",
            ),
            (format!("{rate:?}"), "Rate(0.650000)"),
            (format!("{}", yuan("123.45").times(rate)), "80.2425"),
            (yuan("0.07").as_decimal().to_string(), "0.07"),
        ];
        for (shown, expected) in cases {
            assert_eq!(shown, expected);
        }
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
    fn amounts_are_written_from_their_fen_as_the_decimal_writes_them() {
        for fen in [
            0,
            1,
            9,
            10,
            99,
            100,
            101,
            12_345,
            100_000,
            MAX_FEN - 1,
            MAX_FEN,
        ] {
            let amount = Yuan::of_fen(fen);
            let decimal = format!("{:.2}", amount.as_decimal());
            assert_eq!(amount.to_string(), decimal, "{fen}");
            let json = serde_json::to_string(&amount).unwrap_or_default();
            assert_eq!(json, format!("\"{decimal}\""), "{fen}");
        }
    }

    #[test]
    fn a_sign_is_refused_as_the_message_says() {
        // The grammar has no sign: `+5` and `-0` are not amounts; `-5` is refused as negative.
        for (text, negative) in [
            ("+5", false),
            ("+0", false),
            ("-0", false),
            ("-0.00", false),
            ("-5", true),
            ("-0.01", true),
            ("--5", false),
            ("-+5", false),
        ] {
            let e = text.parse::<Yuan>().unwrap_err();
            assert_eq!(matches!(e, MoneyError::Negative { .. }), negative, "{text}");
            assert_eq!(
                matches!(e, MoneyError::NotANumber { .. }),
                !negative,
                "{text}"
            );
        }
        let message = "+5".parse::<Yuan>().unwrap_err().to_string();
        assert!(message.contains("no sign"), "{message}");
    }

    #[test]
    fn a_long_refused_text_is_quoted_cut_with_its_size() {
        let text = format!("1{}x", "0".repeat(1000));
        let message = text.parse::<Yuan>().unwrap_err().to_string();
        assert!(message.contains("… (1002 bytes)"), "{message}");
        assert!(message.len() < 250, "{message}");
    }

    #[test]
    fn rounds_half_away_from_zero_by_default() {
        let mode = RoundingMode::default();
        let exact = |s: &str| {
            let value = Decimal::from_str_exact(s).unwrap_or_default();
            ExactYuan::of_units(mantissa_at(value, EXACT_SCALE))
        };
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
        assert_eq!(max.to_fen(), MAX_FEN);
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
