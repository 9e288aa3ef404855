//! Consecutive years of insurance (H6), with the switch tolerance (H4, Q36).

use serde::Serialize;
use yibao_core::{PolicyYear, RuleId};

use crate::error::EnrolmentError;
use crate::history::{EnrolmentHistory, walk, years_in_chain};
use crate::params::EnrolmentSection;
use crate::trace::Trace;

/// Consecutive years of insurance as of a policy year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Continuity {
    /// The policy year asked about.
    pub year: PolicyYear,
    /// Consecutive counted years up to and including `year` (0 if not insured in it).
    pub years: u32,
    /// The first year of the current unbroken run, if insured in `year`.
    pub since: Option<PolicyYear>,
    /// How it was counted.
    pub trace: Trace,
}

impl Continuity {
    /// The distinct rule ids that decided the answer.
    pub fn rules(&self) -> Vec<RuleId> {
        self.trace.rules()
    }
}

impl EnrolmentSection {
    /// The number of consecutive years of insurance as of `year` (H6): years are counted from
    /// the data's first counted year (2025 for Huai'an), a lapse restarts the count, and a
    /// switch between employee and resident insurance with a gap of at most 3 months after 2+
    /// consecutive years is not a lapse (H4, Q36). A year counts when the person was insured
    /// on some day of it. `year` may be any year from the first counted year on, so that the
    /// catastrophic incentives (H7) can ask about earlier years too.
    ///
    /// # Errors
    /// - [`EnrolmentError::NotGivenBySource`] when the data has no continuity rule;
    /// - [`EnrolmentError::YearNotCovered`] for a year before the first counted year;
    /// - the history errors of [`EnrolmentSection::cover`].
    pub fn consecutive_years(
        &self,
        history: &EnrolmentHistory,
        year: PolicyYear,
    ) -> Result<Continuity, EnrolmentError> {
        let params = self
            .continuity
            .as_ref()
            .ok_or_else(|| EnrolmentError::NotGivenBySource {
                what: format!("how consecutive years are counted ({})", self.policy_year),
            })?;
        if year < params.counted_from {
            return Err(EnrolmentError::YearNotCovered {
                asked: year,
                covered: params.counted_from,
            });
        }
        history.check(self)?;
        let h6 = params.rules.first();
        let mut trace = Trace::new();
        let last = year.last_day();
        let intervals: Vec<_> = history
            .intervals(self, None, last)
            .into_iter()
            .filter(|iv| iv.start <= last)
            .map(|mut iv| {
                iv.end = iv.end.min(last);
                iv
            })
            .collect();
        let chains = walk(&intervals, params);
        let tolerance_rule = params.rules.ids().last().copied().unwrap_or(h6);
        for gap in chains.gaps.iter().filter(|g| g.from < g.next_start) {
            if gap.tolerated {
                trace.push(
                    tolerance_rule,
                    format!(
                        "uninsured from {} until {} while switching between employee and resident insurance after {} consecutive years: not a lapse",
                        gap.from, gap.next_start, gap.years_before
                    ),
                );
            } else {
                trace.push(
                    h6,
                    format!(
                        "uninsured from {} until {}: a lapse, the count restarts",
                        gap.from, gap.next_start
                    ),
                );
            }
        }
        let insured_in_year = intervals.iter().any(|iv| iv.end >= year.first_day());
        let years = if insured_in_year {
            years_in_chain(chains.chain_start, last, params.counted_from)
        } else {
            0
        };
        let since = if years > 0 {
            let first = i64::from(year.get()) - i64::from(years) + 1;
            PolicyYear::new(first).ok()
        } else {
            None
        };
        match since {
            Some(since) => trace.push(
                h6,
                format!(
                    "insured every year from {since} to {year} (counted from {}): {years} consecutive years",
                    params.counted_from
                ),
            ),
            None => trace.push(h6, format!("not insured in {year}: 0 consecutive years")),
        }
        Ok(Continuity {
            year,
            years,
            since,
            trace,
        })
    }
}
