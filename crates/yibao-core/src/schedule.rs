//! The progressive (banded) schedule shared by the Kunshan inpatient ladder (K4) and the
//! catastrophic-insurance bands (H19).
//!
//! A schedule is a list of bands `[from, to)` with a rate each, starting at 0, contiguous, the
//! last one open-ended. Its annual function is
//!
//! ```text
//! F(x) = Σ rate_i × overlap([from_i, to_i), [0, x))
//! ```
//!
//! exact (not rounded). A claim that moves the year's position from `before` to `after` is
//! given `round(F(after)) − round(F(before))`, so the per-claim figures of a year add up to
//! `round(F(total))` exactly, whatever the split (POLICY-NOTES, Conventions).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::money::{ExactYuan, RoundingMode, Yuan};
use crate::rate::Rate;

/// Why a list of bands is not a valid schedule, or a query on it is not meaningful.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScheduleError {
    /// Occurs when the list of bands is empty.
    #[error("a schedule needs at least one band")]
    NoBands,
    /// Occurs when the first band does not start at 0.
    #[error("band 1 starts at {from}; the first band must start at 0")]
    FirstBandNotAtZero {
        /// Where the first band starts.
        from: Yuan,
    },
    /// Occurs when a band's `from` is not the previous band's `to`.
    #[error(
        "band {band} starts at {from} but band {previous} ends at {previous_to}; bands must be contiguous"
    )]
    NotContiguous {
        /// 1-based number of the band.
        band: usize,
        /// 1-based number of the band before it.
        previous: usize,
        /// Where the band starts.
        from: Yuan,
        /// Where the band before it ends.
        previous_to: Yuan,
    },
    /// Occurs when a band's `to` is not above its `from`.
    #[error("band {band} runs from {from} to {to}; its upper bound must be above its lower bound")]
    NotIncreasing {
        /// 1-based number of the band.
        band: usize,
        /// Where the band starts.
        from: Yuan,
        /// Where the band ends.
        to: Yuan,
    },
    /// Occurs when a band other than the last has no upper bound.
    #[error("band {band} has no upper bound (`to`) but is not the last band")]
    OpenBandNotLast {
        /// 1-based number of the band.
        band: usize,
    },
    /// Occurs when the last band has an upper bound.
    #[error(
        "the last band (band {band}) ends at {to}; the last band must be open-ended (omit `to`; add a band at 0% if nothing is paid above it)"
    )]
    LastBandClosed {
        /// 1-based number of the band.
        band: usize,
        /// Where it ends.
        to: Yuan,
    },
    /// Occurs when an increment is asked for a position that moves backwards.
    #[error("the position moves backwards from {before} to {after}")]
    Backwards {
        /// The earlier position.
        before: Yuan,
        /// The later position.
        after: Yuan,
    },
}

impl ScheduleError {
    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        match self {
            ScheduleError::NoBands => "分段标准至少需要一个费用段".to_owned(),
            ScheduleError::FirstBandNotAtZero { from } => {
                format!("第 1 段自 {from} 起；第一段须自 0 起")
            }
            ScheduleError::NotContiguous {
                band,
                previous,
                from,
                previous_to,
            } => format!(
                "第 {band} 段自 {from} 起，而第 {previous} 段止于 {previous_to}；各段须首尾相接"
            ),
            ScheduleError::NotIncreasing { band, from, to } => {
                format!("第 {band} 段自 {from} 至 {to}；上限须高于下限")
            }
            ScheduleError::OpenBandNotLast { band } => {
                format!("第 {band} 段没有上限（`to`），但不是最后一段")
            }
            ScheduleError::LastBandClosed { band, to } => format!(
                "最后一段（第 {band} 段）止于 {to}；最后一段须不设上限（删去 `to`；上限以上不支付的，另加一段比例为 0% 的费用段）"
            ),
            ScheduleError::Backwards { before, after } => {
                format!("累计金额由 {before} 倒退至 {after}")
            }
        }
    }
}

/// One band of a [`Schedule`]: from `from` (inclusive) to `to` (exclusive, `None` = no end),
/// at `rate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Lower bound, inclusive.
    pub from: Yuan,
    /// Upper bound, exclusive; `None` for the open-ended last band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Yuan>,
    /// The rate paid on the part of the position inside this band.
    pub rate: Rate,
}

impl Band {
    /// The part of `[low, high)` that falls in this band, as an amount.
    fn overlap(&self, low: Yuan, high: Yuan) -> Yuan {
        let start = low.max(self.from);
        let end = match self.to {
            Some(to) => high.min(to),
            None => high,
        };
        end.saturating_sub(start)
    }
}

impl Band {
    /// The band in Chinese, beside the English of `Display` (`0.00–60000.00 部分报销 60%`,
    /// `100000.00 以上部分报销 85%`).
    pub fn zh(&self) -> String {
        match self.to {
            Some(to) => format!("{}–{} 部分报销 {}", self.from, to, self.rate),
            None => format!("{} 以上部分报销 {}", self.from, self.rate),
        }
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to {
            Some(to) => write!(f, "{}–{} at {}", self.from, to, self.rate),
            None => write!(f, "above {} at {}", self.from, self.rate),
        }
    }
}

/// One band's part of a movement along a schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct BandShare {
    /// 1-based band number.
    pub band: usize,
    /// The band itself.
    #[serde(flatten)]
    pub bounds: Band,
    /// How much of the movement falls in this band.
    pub base: Yuan,
    /// `base × rate`, exact.
    pub share: ExactYuan,
}

/// A validated progressive schedule: bands starting at 0, contiguous, strictly increasing,
/// the last one open-ended.
///
/// Deserialises from a list of bands and refuses an invalid one.
///
/// ```
/// use yibao_core::{Band, Schedule, Yuan, RoundingMode};
/// // H19, ordinary insured: of the excess over the threshold, up to 60,000 at 60%,
/// // 60,000–100,000 at 70%, above 100,000 at 85%.
/// let bands: Vec<Band> = serde_json::from_str(r#"[
///     {"from": "0", "to": "60000", "rate": "60%"},
///     {"from": "60000", "to": "100000", "rate": "70%"},
///     {"from": "100000", "rate": "85%"}]"#)?;
/// let h19 = Schedule::new(bands)?;
/// let excess = Yuan::from_yuan(70_000)?;
/// assert_eq!(h19.value_at(excess).round(RoundingMode::default()), Yuan::from_yuan(43_000)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Band>", into = "Vec<Band>")]
pub struct Schedule {
    bands: Vec<Band>,
}

impl Schedule {
    /// Validates the bands into a schedule.
    ///
    /// # Errors
    /// The first problem found, as a [`ScheduleError`] naming the band.
    pub fn new(bands: Vec<Band>) -> Result<Schedule, ScheduleError> {
        let Some(first) = bands.first() else {
            return Err(ScheduleError::NoBands);
        };
        if !first.from.is_zero() {
            return Err(ScheduleError::FirstBandNotAtZero { from: first.from });
        }
        let last = bands.len();
        for (index, band) in bands.iter().enumerate() {
            let number = index + 1;
            if index > 0 {
                let previous = bands[index - 1];
                if previous.to != Some(band.from) {
                    return match previous.to {
                        None => Err(ScheduleError::OpenBandNotLast { band: index }),
                        Some(previous_to) => Err(ScheduleError::NotContiguous {
                            band: number,
                            previous: index,
                            from: band.from,
                            previous_to,
                        }),
                    };
                }
            }
            match band.to {
                Some(to) if to <= band.from => {
                    return Err(ScheduleError::NotIncreasing {
                        band: number,
                        from: band.from,
                        to,
                    });
                }
                Some(to) if number == last => {
                    return Err(ScheduleError::LastBandClosed { band: number, to });
                }
                None if number != last => {
                    return Err(ScheduleError::OpenBandNotLast { band: number });
                }
                _ => {}
            }
        }
        Ok(Schedule { bands })
    }

    /// The bands, in order.
    pub fn bands(&self) -> &[Band] {
        &self.bands
    }

    /// The exact annual function `F(x)`.
    pub fn value_at(&self, position: Yuan) -> ExactYuan {
        self.between(Yuan::ZERO, position)
    }

    /// `F(high) − F(low)` exactly (0 when `high <= low`).
    pub fn between(&self, low: Yuan, high: Yuan) -> ExactYuan {
        // Most burdens stay below a catastrophic threshold: no band to visit.
        if high <= low {
            return ExactYuan::ZERO;
        }
        self.bands
            .iter()
            .map(|band| band.overlap(low, high).times(band.rate))
            // Each share is at most its overlap and the overlaps add up to at most `high`:
            // the sum is within range.
            .fold(ExactYuan::ZERO, |total, share| {
                total.checked_add(share).unwrap_or(total)
            })
    }

    /// Each band's part of the movement from `low` to `high`, bands with no part left out.
    /// The shares add up to [`Schedule::between`] exactly.
    pub fn breakdown(&self, low: Yuan, high: Yuan) -> Vec<BandShare> {
        if high <= low {
            return Vec::new();
        }
        self.bands
            .iter()
            .enumerate()
            .filter_map(|(index, band)| {
                let base = band.overlap(low, high);
                (!base.is_zero()).then(|| BandShare {
                    band: index + 1,
                    bounds: *band,
                    base,
                    share: base.times(band.rate),
                })
            })
            .collect()
    }

    /// The rate of the band the position falls in (`from <= position < to`).
    pub fn rate_at(&self, position: Yuan) -> Rate {
        self.bands
            .iter()
            .find(|band| band.to.is_none_or(|to| position < to))
            .map_or(Rate::ZERO, |band| band.rate)
    }

    /// A claim's settled share of the annual function: `round(F(after)) − round(F(before))`.
    ///
    /// # Errors
    /// [`ScheduleError::Backwards`] when `after < before`.
    pub fn increment(
        &self,
        before: Yuan,
        after: Yuan,
        mode: RoundingMode,
    ) -> Result<Yuan, ScheduleError> {
        if after < before {
            return Err(ScheduleError::Backwards { before, after });
        }
        Ok(telescoping_increment(
            self.value_at(before),
            self.value_at(after),
            mode,
        ))
    }
}

/// `round(after) − round(before)`, 0 if `after < before`: the settled share of an exact
/// cumulative figure that moved from `before` to `after`. Summed over consecutive movements it
/// gives `round(final)` exactly. Use it when the cumulative figure is not a bare schedule value
/// (e.g. a schedule value capped at an annual limit).
pub fn telescoping_increment(before: ExactYuan, after: ExactYuan, mode: RoundingMode) -> Yuan {
    after.round(mode).saturating_sub(before.round(mode))
}

impl TryFrom<Vec<Band>> for Schedule {
    type Error = ScheduleError;
    fn try_from(bands: Vec<Band>) -> Result<Schedule, ScheduleError> {
        Schedule::new(bands)
    }
}

impl From<Schedule> for Vec<Band> {
    fn from(schedule: Schedule) -> Vec<Band> {
        schedule.bands
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn y(whole: i64) -> Yuan {
        Yuan::from_yuan(whole).unwrap_or_default()
    }
    fn r(text: &str) -> Rate {
        text.parse().unwrap_or(Rate::ZERO)
    }
    fn band(from: i64, to: Option<i64>, rate: &str) -> Band {
        Band {
            from: y(from),
            to: to.map(y),
            rate: r(rate),
        }
    }
    /// K4: the Kunshan 2021 inpatient ladder on cumulative expense.
    fn k4() -> Schedule {
        Schedule::new(vec![
            band(0, Some(40_000), "75%"),
            band(40_000, Some(100_000), "80%"),
            band(100_000, Some(200_000), "85%"),
            band(200_000, None, "90%"),
        ])
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn k4_ladder_values_by_hand() {
        let mode = RoundingMode::default();
        // 40,000 × 75% = 30,000
        assert_eq!(k4().value_at(y(40_000)).round(mode), y(30_000));
        // + 60,000 × 80% = 48,000 → 78,000
        assert_eq!(k4().value_at(y(100_000)).round(mode), y(78_000));
        // + 100,000 × 85% = 85,000 → 163,000; + 50,000 × 90% = 45,000 → 208,000
        assert_eq!(k4().value_at(y(250_000)).round(mode), y(208_000));
        assert_eq!(k4().rate_at(y(39_999)), r("75%"));
        assert_eq!(k4().rate_at(y(40_000)), r("80%"));
        assert_eq!(k4().rate_at(y(900_000)), r("90%"));
    }

    #[test]
    fn k4_breakdown_of_a_band_crossing() {
        let parts = k4().breakdown(y(30_000), y(110_000));
        let bases: Vec<_> = parts.iter().map(|p| (p.band, p.base)).collect();
        assert_eq!(bases, vec![(1, y(10_000)), (2, y(60_000)), (3, y(10_000))]);
        // 7,500 + 48,000 + 8,500 = 64,000
        assert_eq!(
            k4().between(y(30_000), y(110_000))
                .round(RoundingMode::default()),
            y(64_000)
        );
    }

    #[test]
    fn increments_round_each_end_not_the_difference() {
        let h = Schedule::new(vec![band(0, None, "65%")]).unwrap_or_else(|e| panic!("{e}"));
        let mode = RoundingMode::default();
        let fen = |f: i64| Yuan::from_fen(f).unwrap_or_default();
        // F(0.01) = 0.0065 → 0.01; F(0.02) = 0.013 → 0.01: the second fen adds 0.00.
        assert_eq!(h.increment(Yuan::ZERO, fen(1), mode), Ok(fen(1)));
        assert_eq!(h.increment(fen(1), fen(2), mode), Ok(Yuan::ZERO));
        assert!(matches!(
            h.increment(fen(2), fen(1), mode),
            Err(ScheduleError::Backwards { .. })
        ));
    }

    #[test]
    fn refuses_malformed_band_lists() {
        assert_eq!(Schedule::new(vec![]), Err(ScheduleError::NoBands));
        assert!(matches!(
            Schedule::new(vec![band(10, None, "50%")]),
            Err(ScheduleError::FirstBandNotAtZero { .. })
        ));
        assert!(matches!(
            Schedule::new(vec![band(0, Some(10), "50%"), band(20, None, "60%")]),
            Err(ScheduleError::NotContiguous { band: 2, .. })
        ));
        assert!(matches!(
            Schedule::new(vec![band(0, Some(0), "50%"), band(0, None, "60%")]),
            Err(ScheduleError::NotIncreasing { band: 1, .. })
        ));
        assert!(matches!(
            Schedule::new(vec![band(0, None, "50%"), band(10, None, "60%")]),
            Err(ScheduleError::OpenBandNotLast { band: 1 })
        ));
        assert!(matches!(
            Schedule::new(vec![band(0, Some(10), "50%")]),
            Err(ScheduleError::LastBandClosed { band: 1, .. })
        ));
    }
}
