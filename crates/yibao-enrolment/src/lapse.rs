//! The one lapse definition of the engine (断保, H3, H6, H7, with H4's switch tolerance).
//!
//! POLICY-NOTES H3 Reading: a **lapse** is a policy year without cover between two insured
//! years. Cover (the waiting period of a re-enrolment, H3) and the catastrophic incentives
//! (the consecutive count of H6, the re-enrollee of H7) both ask [`EnrolmentSection::lapse_before`]
//! or [`InsuredYears`], so they cannot disagree.
//!
//! A year is insured when the person was in basic insurance on at least one day of it:
//! resident insurance (a waiting period counts: it is enrolment, not benefit) or employee
//! insurance. A late payment leaves uninsured days, not an uninsured year, so it is not a
//! lapse (its waiting period comes from paying outside the window). Years before the first
//! counted year neither count nor break (H6, Q36: 以前年度是否参保, 均不计入连续参保年限和断保
//! 年限): a lapse needs an uninsured year from the first counted year on. H4's switch
//! tolerance (Q36: a switch between employee and resident insurance with a gap of at most
//! 3 months) can never leave a whole policy year uninsured, so a tolerated switch is never a
//! lapse; the tolerance keeps its own effect on the waiting period of a payment outside the
//! window (see `cover`).

use std::collections::BTreeSet;

use chrono::Datelike;
use serde::Serialize;
use yibao_core::PolicyYear;

use crate::error::EnrolmentError;
use crate::history::{EnrolmentHistory, Interval};
use crate::params::EnrolmentSection;

/// A lapse (断保) before a policy year: the policy years without cover between the last
/// insured year and the year insurance resumed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Lapse {
    /// The last insured year before the lapse (it may be before the first counted year).
    pub last_insured: PolicyYear,
    /// The first policy year without cover.
    pub first_uninsured: PolicyYear,
    /// The last policy year without cover: the year before `resumed`.
    pub last_uninsured: PolicyYear,
    /// The year insurance resumed: the year asked about.
    pub resumed: PolicyYear,
}

/// The policy years in which a person was insured on at least one day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct InsuredYears(BTreeSet<i32>);

impl InsuredYears {
    /// The years touched by the insured stretches.
    pub(crate) fn of(intervals: &[Interval]) -> InsuredYears {
        let mut years = BTreeSet::new();
        for iv in intervals {
            years.extend(iv.start.year()..=iv.end.year());
        }
        InsuredYears(years)
    }

    /// Whether the person was insured on some day of `year`.
    pub(crate) fn contains(&self, year: i32) -> bool {
        self.0.contains(&year)
    }

    /// The consecutive insured years ending with `year` (included), counted from
    /// `counted_from` on (H6); 0 when `year` is not insured.
    pub(crate) fn run_ending(&self, year: i32, counted_from: PolicyYear) -> u32 {
        let mut n = 0;
        let mut at = year;
        while at >= counted_from.get() && self.contains(at) {
            n += 1;
            at -= 1;
        }
        n
    }

    /// The lapse just before `year`: `year` insured, the year before it not, an earlier year
    /// insured, and at least one of the uninsured years counted (from `counted_from` on).
    pub(crate) fn lapse_before(&self, year: PolicyYear, counted_from: PolicyYear) -> Option<Lapse> {
        let resumed = year.get();
        if !self.contains(resumed) || self.contains(resumed - 1) {
            return None;
        }
        let last_insured = *self.0.range(..resumed).next_back()?;
        let last_uninsured = resumed - 1;
        if last_uninsured < counted_from.get() {
            // Only years before the count were uninsured: they do not break it (H6, Q36).
            return None;
        }
        let year_of = |y: i32| PolicyYear::new(i64::from(y)).ok();
        Some(Lapse {
            last_insured: year_of(last_insured)?,
            first_uninsured: year_of(last_insured + 1)?,
            last_uninsured: year_of(last_uninsured)?,
            resumed: year,
        })
    }
}

impl EnrolmentSection {
    /// The lapse before `year`, if the person re-enrolled in `year` after one: the one
    /// definition that cover (H3: a re-enrolment after a lapse waits even when paid in the
    /// window) and the catastrophic incentives (H6: the count restarts; H7: a re-enrollee's
    /// cap) both use. `None` when the person was insured the year before, was never insured
    /// before, was only uninsured before the first counted year, or is not insured in
    /// `year`; also `None` when the data has no continuity rule (no lapse is defined).
    ///
    /// ```
    /// # use yibao_core::PolicyYear;
    /// # use yibao_enrolment::{EnrolmentHistory, EnrolmentSection, Event};
    /// # fn example(huaian_2026: &EnrolmentSection) -> Result<(), Box<dyn std::error::Error>> {
    /// // Insured in 2024, not in 2025, paid 2026 in the window: 2025 is a lapse.
    /// let history = EnrolmentHistory::new(
    ///     "1980-01-01".parse()?,
    ///     vec![
    ///         Event::payment("2023-12-01".parse()?, PolicyYear::new(2024)?),
    ///         Event::payment("2025-11-20".parse()?, PolicyYear::new(2026)?),
    ///     ],
    /// );
    /// let lapse = huaian_2026.lapse_before(&history, PolicyYear::new(2026)?)?;
    /// assert_eq!(lapse.map(|l| l.first_uninsured.get()), Some(2025));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// The history errors of [`EnrolmentSection::cover`].
    pub fn lapse_before(
        &self,
        history: &EnrolmentHistory,
        year: PolicyYear,
    ) -> Result<Option<Lapse>, EnrolmentError> {
        history.check(self)?;
        Ok(self
            .insured_years(history, year)
            .and_then(|(years, counted_from)| years.lapse_before(year, counted_from)))
    }

    /// The insured years up to the end of `year` and the first counted year, when the data
    /// defines continuity.
    pub(crate) fn insured_years(
        &self,
        history: &EnrolmentHistory,
        year: PolicyYear,
    ) -> Option<(InsuredYears, PolicyYear)> {
        let params = self.continuity.as_ref()?;
        let last = year.last_day();
        let intervals: Vec<Interval> = history
            .intervals(self, None, last)
            .into_iter()
            .filter(|iv| iv.start <= last)
            .map(|mut iv| {
                iv.end = iv.end.min(last);
                iv
            })
            .collect();
        Some((InsuredYears::of(&intervals), params.counted_from))
    }
}
