//! Consecutive years of insurance (H6): the run of insured policy years up to a year, broken
//! only by a lapse (the one definition of `lapse.rs`).

use serde::Serialize;
use yibao_core::{PolicyYear, RuleId};
use yibao_core::{Said, Step};

use crate::error::EnrolmentError;
use crate::history::EnrolmentHistory;
use crate::lapse::{InsuredYears, Lapse};
use crate::params::EnrolmentSection;
use crate::trace::Trace;

/// Consecutive years of insurance as of a policy year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Continuity {
    /// The policy year asked about.
    pub year: PolicyYear,
    /// Consecutive counted years up to and including `year` (0 if not insured in it).
    pub years: u32,
    /// The first year of the current unbroken run, if insured in `year`.
    pub since: Option<PolicyYear>,
    /// The lapse the run started after, if it did (its `resumed` is `since`): the one lapse
    /// definition of [`EnrolmentSection::lapse_before`].
    pub lapse: Option<Lapse>,
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
    /// the data's first counted year (2025 for Huai'an), and a lapse (a policy year without
    /// cover between two insured years, [`EnrolmentSection::lapse_before`]) restarts the
    /// count. A year counts when the person was insured on some day of it (a switch within
    /// H4's tolerance never leaves a whole year uninsured). `year` may be any year from the
    /// first counted year on, so that the catastrophic incentives (H7) can ask about earlier
    /// years too.
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
                what: Said::new(
                    format!("how consecutive years are counted ({})", self.policy_year),
                    format!("{} 年度连续参保年限的计算办法", self.policy_year),
                ),
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
        let (insured, counted_from) = self
            .insured_years(history, year)
            .unwrap_or_else(|| (InsuredYears::default(), params.counted_from));
        let years = insured.run_ending(year.get(), counted_from);
        let since = if years > 0 {
            let first = i64::from(year.get()) - i64::from(years) + 1;
            PolicyYear::new(first).ok()
        } else {
            None
        };
        let lapse = since.and_then(|since| insured.lapse_before(since, counted_from));
        if let Some(lapse) = &lapse {
            trace.push(Step::new(h6, "no cover in {first_uninsured}..={last_uninsured} after insured years up to {last_insured}: a lapse, the count restarts in {resumed}")
.zh("参保至 {last_insured} 年后，{first_uninsured} 至 {last_uninsured} 无待遇期：属断保，自 {resumed} 年起重新计算")
                .with("first_uninsured", lapse.first_uninsured)
                .with("last_uninsured", lapse.last_uninsured)
                .with("last_insured", lapse.last_insured)
                .with("resumed", lapse.resumed));
        }
        match since {
            Some(since) => trace.push(Step::new(h6, "insured every year from {since} to {year} (counted from {counted_from}): {years} consecutive years")
.zh("{since} 年至 {year} 年每年参保（自 {counted_from} 年起计算）：连续参保 {years} 年")
                .with("since", since)
                .with("year", year)
                .with("counted_from", params.counted_from)
                .with("years", years)),
            None => trace.push(Step::new(h6, "not insured in {year}: 0 consecutive years")
.zh("{year} 年度未参保：连续参保 0 年")
                .with("year", year)),
        }
        Ok(Continuity {
            year,
            years,
            since,
            lapse,
            trace,
        })
    }
}
