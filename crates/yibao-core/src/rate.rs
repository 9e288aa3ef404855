//! Rates ([`Rate`], a share between 0 and 1) and remote-care cuts ([`RemoteCut`]).

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::money::{RoundingMode, decimal_of, divide_rounded, mantissa_at, ordered_by};

/// Why a rate or a cut was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RateError {
    /// Occurs when text is neither a percentage (`"65%"`) nor a fraction (`"0.65"`).
    #[error(
        "`{text}` is not a rate (write a percentage such as \"65%\" or a fraction such as \"0.65\")"
    )]
    NotARate {
        /// The text as given.
        text: String,
    },
    /// Occurs when a rate is below 0 or above 1 (100%).
    #[error("`{text}` is outside 0%..=100%")]
    OutOfRange {
        /// The text as given.
        text: String,
    },
    /// Occurs when a rate has more than 6 decimals as a fraction (4 as a percentage).
    #[error(
        "`{text}` is more precise than the engine allows (at most 6 decimals as a fraction, 4 as a percentage)"
    )]
    TooPrecise {
        /// The text as given.
        text: String,
    },
}

impl RateError {
    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        match self {
            RateError::NotARate { text } => {
                format!("`{text}` 不是比例（写作百分数如 \"65%\"，或小数如 \"0.65\"）")
            }
            RateError::OutOfRange { text } => format!("`{text}` 不在 0% 至 100% 之间"),
            RateError::TooPrecise { text } => {
                format!("`{text}` 的精度超出本系统允许的范围（小数至多 6 位，百分数至多 4 位小数）")
            }
        }
    }
}

/// A share between 0 and 1 inclusive: a reimbursement ratio, a band's rate, a cut factor.
///
/// Made from a percentage (`"65%"`) or a fraction (`"0.65"`, or the TOML/JSON number `0.65`
/// read through its decimal text). At most 6 decimals as a fraction, so products with amounts
/// stay exact. Displays as a percentage.
///
/// ```
/// use yibao_core::Rate;
/// let level_one: Rate = "65%".parse()?;
/// assert_eq!(level_one, "0.65".parse()?);
/// assert_eq!(level_one.to_string(), "65%");
/// assert!("120%".parse::<Rate>().is_err());
/// # Ok::<(), yibao_core::RateError>(())
/// ```
///
/// The value is a `rust_decimal` fraction at scale 6, kept as its mantissa (the rate in
/// millionths, an `i64`), so products with amounts are integer products.
#[derive(Clone, Copy)]
pub struct Rate(i64);

impl Rate {
    /// 0%.
    pub const ZERO: Rate = Rate::of_millionths(0);
    /// 100%.
    pub const ONE: Rate = Rate::of_millionths(MILLION);
    const MAX_SCALE: u32 = 6;

    /// The rate of `millionths` millionths, for `millionths` in `0..=MILLION` (the callers'
    /// invariant).
    #[inline]
    const fn of_millionths(millionths: i64) -> Rate {
        Rate(millionths)
    }

    /// The rate in millionths (`650000` for 65%).
    #[inline]
    pub fn millionths(self) -> i64 {
        self.0
    }

    /// A rate from a fraction in `0..=1`.
    ///
    /// # Errors
    /// [`RateError::OutOfRange`] outside `0..=1`; [`RateError::TooPrecise`] beyond 6 decimals.
    pub fn from_fraction(value: Decimal) -> Result<Rate, RateError> {
        let text = || value.to_string();
        if value < Decimal::ZERO || value > Decimal::ONE {
            return Err(RateError::OutOfRange { text: text() });
        }
        let value = value.normalize();
        if value.scale() > Rate::MAX_SCALE {
            return Err(RateError::TooPrecise { text: text() });
        }
        // 0..=10^6 after the checks above.
        let millionths = i64::try_from(mantissa_at(value, Rate::MAX_SCALE)).unwrap_or(MILLION);
        Ok(Rate::of_millionths(millionths))
    }

    /// A rate from whole or fractional percentage points, e.g. `Rate::from_percent(65)`.
    ///
    /// # Errors
    /// As [`Rate::from_fraction`].
    pub fn from_percent(percent: impl Into<Decimal>) -> Result<Rate, RateError> {
        Rate::from_fraction(percent.into() / Decimal::ONE_HUNDRED)
    }

    /// The rate as a fraction (`0.65`).
    pub fn as_decimal(self) -> Decimal {
        self.scaled().normalize()
    }

    /// The rate as a decimal at scale 6 (`0.650000`).
    fn scaled(self) -> Decimal {
        // In 0..=10^6 by the invariant: the cast keeps the value.
        decimal_of(self.0 as u128, Rate::MAX_SCALE)
    }

    /// The rate in percentage points (`65`).
    pub fn as_percent(self) -> Decimal {
        (self.scaled() * Decimal::ONE_HUNDRED).normalize()
    }

    /// `self × factor`: a rate of a rate (e.g. Wujiang's 80% of the home ratio, W5).
    pub fn times(self, factor: Rate) -> Rate {
        // Product of two values in 0..=1 with <= 6 decimals: <= 12 decimals; round back to 6
        // (half to even).
        let product = i128::from(self.millionths()) * i128::from(factor.millionths());
        let millionths = divide_rounded(product, i128::from(MILLION), RoundingMode::HalfEven);
        Rate::of_millionths(i64::try_from(millionths).unwrap_or(MILLION))
    }

    /// `max(self - points, 0)`: the rate lowered by percentage points (Huai'an's cut, H18).
    pub fn minus_points(self, points: Rate) -> Rate {
        Rate::of_millionths((self.millionths() - points.millionths()).max(0))
    }
}

/// One in millionths.
const MILLION: i64 = 1_000_000;

ordered_by!(Rate, millionths);

impl fmt::Debug for Rate {
    /// As the decimal it stands for, at scale 6: `Rate(0.650000)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Rate").field(&self.scaled()).finish()
    }
}

impl FromStr for Rate {
    type Err = RateError;

    fn from_str(text: &str) -> Result<Rate, RateError> {
        let not_a_rate = || RateError::NotARate {
            text: crate::quoted(text).to_string(),
        };
        let (number, percent) = match text.strip_suffix('%') {
            Some(number) => (number, true),
            None => (text, false),
        };
        let plain = !number.is_empty()
            && number
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
            && number.len() <= 24;
        if !plain {
            return Err(not_a_rate());
        }
        let value = Decimal::from_str_exact(number).map_err(|_| not_a_rate())?;
        let fraction = if percent {
            value / Decimal::ONE_HUNDRED
        } else {
            value
        };
        Rate::from_fraction(fraction).map_err(|e| match e {
            RateError::OutOfRange { .. } => RateError::OutOfRange {
                text: crate::quoted(text).to_string(),
            },
            RateError::TooPrecise { .. } => RateError::TooPrecise {
                text: crate::quoted(text).to_string(),
            },
            RateError::NotARate { .. } => not_a_rate(),
        })
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", self.as_percent())
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Rate, D::Error> {
        struct RateVisitor;
        impl serde::de::Visitor<'_> for RateVisitor {
            type Value = Rate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a rate such as \"65%\" or \"0.65\"")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Rate, E> {
                text.parse().map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Rate, E> {
                Rate::from_fraction(Decimal::from(value)).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Rate, E> {
                Rate::from_fraction(Decimal::from(value)).map_err(E::custom)
            }
            fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Rate, E> {
                // A float such as 0.65 is read through its shortest decimal text, "0.65".
                value.to_string().parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_any(RateVisitor)
    }
}

/// How a jurisdiction lowers the home reimbursement ratio for remote care.
///
/// Huai'an subtracts percentage points (H18: referral minus 5 points, unfiled temporary care
/// minus 20); Wujiang multiplies (W5: 80% of the home ratio). Either way the result is floored
/// at 0.
///
/// In data: `{ points = "5%" }` or `{ factor = "80%" }`.
///
/// ```
/// use yibao_core::{Rate, RemoteCut};
/// let home: Rate = "65%".parse()?;
/// assert_eq!(RemoteCut::Points("20%".parse()?).apply(home), "45%".parse()?);
/// assert_eq!(RemoteCut::Factor("80%".parse()?).apply(home), "52%".parse()?);
/// # Ok::<(), yibao_core::RateError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum RemoteCut {
    /// Subtract this many percentage points (a rate: `"5%"` is 5 points).
    Points(Rate),
    /// Multiply by this factor.
    Factor(Rate),
}

impl RemoteCut {
    /// The home ratio after the cut, never below 0.
    pub fn apply(self, home: Rate) -> Rate {
        match self {
            RemoteCut::Points(points) => home.minus_points(points),
            RemoteCut::Factor(factor) => home.times(factor),
        }
    }
}

impl RemoteCut {
    /// The cut in Chinese, beside the English of `Display` (`降低 5 个百分点`, `× 80%`).
    pub fn zh(&self) -> String {
        match self {
            RemoteCut::Points(points) => format!("降低 {} 个百分点", points.as_percent()),
            RemoteCut::Factor(factor) => format!("× {factor}"),
        }
    }
}

impl fmt::Display for RemoteCut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RemoteCut::Points(points) => write!(f, "minus {} points", points.as_percent()),
            RemoteCut::Factor(factor) => write!(f, "× {factor}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(text: &str) -> Rate {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn percent_and_fraction_agree() {
        assert_eq!(rate("65%"), rate("0.65"));
        assert_eq!(rate("100%"), Rate::ONE);
        assert_eq!(rate("0%"), Rate::ZERO);
        assert_eq!(rate("12.5%").to_string(), "12.5%");
    }

    #[test]
    fn refuses_out_of_range_and_junk() {
        assert!(matches!(
            "101%".parse::<Rate>(),
            Err(RateError::OutOfRange { .. })
        ));
        assert!(matches!(
            "-0.1".parse::<Rate>(),
            Err(RateError::OutOfRange { .. })
        ));
        assert!(matches!(
            "1.5".parse::<Rate>(),
            Err(RateError::OutOfRange { .. })
        ));
        for bad in ["", "%", "abc", "65 %", "6 5%", "0.6.5"] {
            assert!(bad.parse::<Rate>().is_err(), "{bad:?} accepted");
        }
        assert!(matches!(
            "0.1234567".parse::<Rate>(),
            Err(RateError::TooPrecise { .. })
        ));
    }

    #[test]
    fn h18_points_cut_floors_at_zero() {
        assert_eq!(
            RemoteCut::Points(rate("5%")).apply(rate("65%")),
            rate("60%")
        );
        assert_eq!(
            RemoteCut::Points(rate("20%")).apply(rate("15%")),
            Rate::ZERO
        );
    }

    #[test]
    fn w5_factor_cut_multiplies() {
        assert_eq!(
            RemoteCut::Factor(rate("80%")).apply(rate("75%")),
            rate("60%")
        );
        assert_eq!(
            RemoteCut::Factor(rate("80%")).apply(rate("85%")),
            rate("68%")
        );
    }

    #[test]
    fn deserialises_from_toml_string_and_float() {
        #[derive(Deserialize)]
        struct T {
            a: Rate,
            b: Rate,
            cut: RemoteCut,
        }
        let t: T = toml::from_str("a = \"65%\"\nb = 0.65\ncut = { points = \"5%\" }\n")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.a, t.b);
        assert_eq!(t.cut, RemoteCut::Points(rate("5%")));
    }
}
