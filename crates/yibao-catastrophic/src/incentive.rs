//! The incentive ledger (H7, with H6's consecutive count): from a person's history to the cap
//! in force this year, each raise with its reason.

use serde::Serialize;
use yibao_core::{Explain, PolicyYear, RoundingMode, RuleId, YearSet, Yuan};

use crate::error::CatastrophicError;
use crate::policy::{CatastrophicPolicy, LapseCut};
use crate::quotes;

/// One step of a computation: the rule it applied, a sentence with its figures
/// ([`yibao_core::Step`], rendered at the edge).
pub use yibao_core::Step;

/// The steps of an answer, recorded only when the caller wants them: each step is a
/// closure, called only then.
pub(crate) struct Trace {
    explain: Explain,
    steps: Vec<Step>,
}

impl Trace {
    pub(crate) fn new(explain: Explain) -> Trace {
        Trace {
            explain,
            steps: Vec::new(),
        }
    }

    #[inline(always)]
    pub(crate) fn add(&mut self, step: impl FnOnce() -> Step) {
        if self.explain == Explain::Steps {
            self.push(step);
        }
    }

    /// The building of a step, out of the computation's code (figures only is the hot case).
    #[cold]
    #[inline(never)]
    fn push(&mut self, step: impl FnOnce() -> Step) {
        self.steps.push(step());
    }

    pub(crate) fn into_steps(self) -> Vec<Step> {
        self.steps
    }
}

/// How the person's enrolment continues into the year asked for (H6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Continuity {
    /// Enrolled for `years` consecutive policy years counted from the first counted year
    /// (2025), the year asked for included: a plain number from the enrolment crate.
    Consecutive {
        /// Consecutive years, this year included.
        years: u32,
    },
    /// Re-enrolled this year after a lapse: the count restarts at 1 and H7 allows a lower cap.
    ReEnrolledAfterLapse,
}

/// A person's incentive history: the input of the ledger.
///
/// Years are past policy years (before the year asked for). A year may not be in both sets:
/// a zero-reimbursement year has no catastrophic payment, so it cannot have used reward quota.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct IncentiveHistory {
    /// How enrolment continues into this year.
    pub continuity: Continuity,
    /// Years with zero fund reimbursement (基金零报销): no basic and no catastrophic payment.
    pub zero_reimbursement_years: YearSet,
    /// Years whose catastrophic payments went above the original cap (使用奖励额度).
    pub reward_quota_used_years: YearSet,
}

impl IncentiveHistory {
    /// A history with the given continuity and no flagged years.
    pub fn new(continuity: Continuity) -> IncentiveHistory {
        IncentiveHistory {
            continuity,
            zero_reimbursement_years: YearSet::EMPTY,
            reward_quota_used_years: YearSet::EMPTY,
        }
    }

    /// The same history with these zero-reimbursement years.
    pub fn with_zero_reimbursement_years(mut self, years: YearSet) -> IncentiveHistory {
        self.zero_reimbursement_years = years;
        self
    }

    /// The same history with these years of reward quota used.
    pub fn with_reward_quota_used_years(mut self, years: YearSet) -> IncentiveHistory {
        self.reward_quota_used_years = years;
        self
    }
}

/// Why the cap was raised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum RaiseReason {
    /// A continuity raise: `consecutive_years` beyond the full years required.
    Continuity {
        /// Consecutive years, this year included.
        consecutive_years: u32,
        /// How many steps that gives: `consecutive_years − continuity_after_years`.
        steps: u32,
    },
    /// A zero-reimbursement raise earned in `year` and not yet reset.
    ZeroReimbursement {
        /// The zero-reimbursement year.
        year: PolicyYear,
    },
}

/// One raise of the cap, before the overall limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Raise {
    /// Why.
    pub reason: RaiseReason,
    /// How much.
    pub amount: Yuan,
    /// The rule giving it (H7).
    pub rule: RuleId,
}

/// Whether a year's catastrophic payments used reward quota (went above the original cap),
/// which resets the accumulated zero-reimbursement raises (H7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RewardQuota {
    /// Payments stayed within the original cap.
    NotUsed,
    /// Payments went above the original cap.
    Used,
}

/// The raises of a cap in force.
pub type Raises = smallvec::SmallVec<[Raise; 2]>;

/// The catastrophic cap in force for one person in one year, with every raise and its reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CapInForce {
    /// The year it applies to.
    pub year: PolicyYear,
    /// The original cap (原封顶线) of the schedule.
    pub original_cap: Yuan,
    /// The raises earned, before the limit (inline up to two: one for continuity, one for
    /// a zero-reimbursement year).
    pub raises: Raises,
    /// The limit of all raises together (20% of the original cap, rounded down to the fen).
    pub limit: Yuan,
    /// The raises granted: the sum of `raises`, at most `limit`.
    pub granted: Yuan,
    /// The cut after a lapse (0 unless the data gives one).
    pub lapse_reduction: Yuan,
    /// The cap in force: `original_cap + granted − lapse_reduction`.
    pub cap: Yuan,
    /// How it was computed (written `[{"rule": …, "description": …}]`).
    #[serde(serialize_with = "yibao_core::step::described")]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "yibao_core::schema::described_steps")
    )]
    pub trace: Vec<Step>,
}

fn times_count(step: Yuan, count: u32) -> Result<Yuan, CatastrophicError> {
    // In whole fen: exact; a product beyond any amount is refused as too large.
    let fen = step
        .to_fen()
        .checked_mul(i64::from(count))
        .unwrap_or(i64::MAX);
    Ok(Yuan::from_fen(fen)?)
}

impl CatastrophicPolicy {
    /// The cap in force in `year` for a person with `history` (H7, H6), each raise with its
    /// reason.
    ///
    /// Reading (POLICY-NOTES H7): with `n` consecutive years (this year included) the
    /// continuity raise is `step × max(0, n − 4)`; each zero-reimbursement year since the first
    /// counted year adds one step to every later year until a year uses reward quota, which
    /// resets them; all raises together are at most 20% of the original cap.
    ///
    /// # Errors
    /// - [`CatastrophicError::HistoryYearNotPast`] when a flagged year is not before `year`;
    /// - [`CatastrophicError::ZeroClaimYearWithPayments`] when a year is both zero-reimbursement
    ///   and reward-quota-used;
    /// - [`CatastrophicError::ImpossibleConsecutiveYears`] when the count is 0 or longer than
    ///   the years since the first counted year;
    /// - [`CatastrophicError::LapseCutNotGiven`] for a re-enrollee when the sources give no cut;
    /// - [`CatastrophicError::Money`] for absurd amounts.
    pub fn cap_in_force(
        &self,
        year: PolicyYear,
        history: &IncentiveHistory,
    ) -> Result<CapInForce, CatastrophicError> {
        self.cap_in_force_with(year, history, Explain::Steps)
    }

    /// [`CatastrophicPolicy::cap_in_force`], with or without its explanation: with
    /// [`Explain::FiguresOnly`] the figures are the same and [`CapInForce::trace`] is empty.
    ///
    /// # Errors
    /// As [`CatastrophicPolicy::cap_in_force`].
    pub fn cap_in_force_with(
        &self,
        year: PolicyYear,
        history: &IncentiveHistory,
        explain: Explain,
    ) -> Result<CapInForce, CatastrophicError> {
        let incentives = &self.incentives;
        let h7 = incentives.rules.first();
        let h19 = self.rules.first();
        let first = incentives.first_counted_year;
        let step = incentives.step;

        for flagged in history
            .zero_reimbursement_years
            .iter()
            .chain(&history.reward_quota_used_years)
        {
            if flagged >= year {
                return Err(CatastrophicError::HistoryYearNotPast {
                    year: flagged,
                    current: year,
                    rule: h7,
                });
            }
        }
        if let Some(both) = history
            .zero_reimbursement_years
            .intersection(&history.reward_quota_used_years)
            .first()
        {
            return Err(CatastrophicError::ZeroClaimYearWithPayments {
                year: both,
                rule: h7,
            });
        }

        let original_cap = self.annual_cap;
        let mut trace = Trace::new(explain);
        trace.add(|| {
            Step::new(
                h19,
                "original annual cap of catastrophic payments: {original_cap}",
            )
            .zh("大病保险原最高支付限额：{original_cap}")
            .with("original_cap", original_cap)
            .quote(quotes::CAP)
        });
        let limit = original_cap
            .times(incentives.limit)
            .round(RoundingMode::Down);

        if year < first {
            trace.add(|| {
                Step::new(
                    h7,
                    "incentive raises are counted from {first}: none in {year}; cap {original_cap}",
                )
                .zh("激励自 {first} 年起计算：{year} 年无激励；支付限额 {original_cap}")
                .with("first", first)
                .with("year", year)
                .with("original_cap", original_cap)
                .quote(quotes::CONTINUITY)
            });
            return Ok(CapInForce {
                year,
                original_cap,
                raises: Raises::new(),
                limit,
                granted: Yuan::ZERO,
                lapse_reduction: Yuan::ZERO,
                cap: original_cap,
                trace: trace.into_steps(),
            });
        }

        let mut raises = Raises::new();
        let mut lapse_reduction = Yuan::ZERO;
        let consecutive_years = match history.continuity {
            Continuity::Consecutive { years } => {
                let max = i64::from(year.get()) - i64::from(first.get()) + 1;
                if years == 0 || i64::from(years) > max {
                    return Err(CatastrophicError::ImpossibleConsecutiveYears {
                        years,
                        year,
                        first_counted_year: first,
                        max,
                        rule: h7,
                    });
                }
                years
            }
            Continuity::ReEnrolledAfterLapse => {
                match &incentives.lapse_cut {
                    LapseCut::NotGivenBySource(note) => {
                        return Err(CatastrophicError::LapseCutNotGiven {
                            note: note.clone(),
                            rule: h7,
                        });
                    }
                    LapseCut::Reduction(amount) => {
                        lapse_reduction = *amount;
                        trace.add(|| {
                            Step::new(
                                h7,
                                "re-enrolled after a lapse: the cap is lowered by {amount}",
                            )
                            .zh("中断缴费后再参保：支付限额降低 {amount}")
                            .with("amount", amount)
                            .quote(quotes::LAPSE)
                        });
                    }
                    LapseCut::NoCut(note) => trace.add(|| {
                        Step::new(h7, "re-enrolled after a lapse: no cut ({note})")
                            .zh("中断缴费后再参保：{note}")
                            .phrase("note", note.clone(), "支付限额不降低".to_owned())
                            .quote(quotes::LAPSE)
                    }),
                }
                trace.add(|| {
                    Step::new(
                        h7,
                        "re-enrolled after a lapse: the consecutive count restarts at 1",
                    )
                    .zh("中断缴费后再参保：连续参保年限从 1 年重新计算")
                    .quote(quotes::LAPSE)
                });
                1
            }
        };

        let steps = consecutive_years.saturating_sub(incentives.continuity_after_years);
        if steps > 0 {
            let amount = times_count(step, steps)?;
            trace.add(|| Step::new(h7, "{consecutive_years} consecutive years since {first} ({year} included): ({consecutive_years} − {continuity_after_years}) × {step} = {amount}")
                .zh("自 {first} 年起连续参保 {consecutive_years} 年（含 {year} 年）：({consecutive_years} − {continuity_after_years}) × {step} = {amount}")
                .with("consecutive_years", consecutive_years)
                .with("first", first)
                .with("year", year)
                .with("continuity_after_years", incentives.continuity_after_years)
                .with("step", step)
                .with("amount", amount)
                .quote(quotes::CONTINUITY));
            raises.push(Raise {
                reason: RaiseReason::Continuity {
                    consecutive_years,
                    steps,
                },
                amount,
                rule: h7,
            });
        } else {
            trace.add(|| Step::new(h7, "{consecutive_years} consecutive years since {first} ({year} included): no continuity raise until more than {continuity_after_years} full years")
                .zh("自 {first} 年起连续参保 {consecutive_years} 年（含 {year} 年）：连续参保满 {continuity_after_years} 年后方有连续参保激励")
                .with("consecutive_years", consecutive_years)
                .with("first", first)
                .with("year", year)
                .with("continuity_after_years", incentives.continuity_after_years)
                .quote(quotes::CONTINUITY));
        }

        let last_reset = history.reward_quota_used_years.last();
        for zero in &history.zero_reimbursement_years {
            if zero < first {
                trace.add(|| Step::new(h7, "zero-reimbursement year {zero} not counted: incentives are counted from {first}")
                    .zh("{zero} 年基金零报销不计：激励自 {first} 年起计算")
                    .with("zero", zero)
                    .with("first", first)
                    .quote(quotes::ZERO));
            } else if let Some(reset) = last_reset.filter(|reset| zero < *reset) {
                trace.add(|| Step::new(h7, "zero-reimbursement raise of {zero} reset: reward quota was used in {reset}")
                    .zh("{zero} 年基金零报销激励已清零：{reset} 年已使用奖励额度")
                    .with("zero", zero)
                    .with("reset", reset)
                    .quote(quotes::RESET));
            } else {
                trace.add(|| {
                    Step::new(h7, "zero fund reimbursement in {zero}: + {step}")
                        .zh("{zero} 年基金零报销：+ {step}")
                        .with("zero", zero)
                        .with("step", step)
                        .quote(quotes::ZERO)
                });
                raises.push(Raise {
                    reason: RaiseReason::ZeroReimbursement { year: zero },
                    amount: step,
                    rule: h7,
                });
            }
        }

        let earned = Yuan::checked_sum(raises.iter().map(|raise| raise.amount))?;
        let granted = earned.min(limit);
        if earned > limit {
            trace.add(|| Step::new(h7, "raises of {earned} limited to {limit_rate} of the original cap {original_cap} = {limit}")
                .zh("累计提高 {earned}，不超过原封顶线 {original_cap} 的 {limit_rate} = {limit}")
                .with("earned", earned)
                .with("limit_rate", incentives.limit)
                .with("original_cap", original_cap)
                .with("limit", limit)
                .quote(quotes::LIMIT));
        }
        let cap = original_cap
            .checked_add(granted)?
            .saturating_sub(lapse_reduction);
        trace.add(|| {
            if lapse_reduction.is_zero() {
                Step::new(h7, "cap in force: {original_cap} + {granted} = {cap}")
                    .zh("本年度最高支付限额：{original_cap} + {granted} = {cap}")
            } else {
                Step::new(
                    h7,
                    "cap in force: {original_cap} + {granted} − {lapse_reduction} = {cap}",
                )
                .zh("本年度最高支付限额：{original_cap} + {granted} − {lapse_reduction} = {cap}")
                .with("lapse_reduction", lapse_reduction)
            }
            .with("original_cap", original_cap)
            .with("granted", granted)
            .with("cap", cap)
            .quote(quotes::LIMIT)
        });
        Ok(CapInForce {
            year,
            original_cap,
            raises,
            limit,
            granted,
            lapse_reduction,
            cap,
            trace: trace.into_steps(),
        })
    }
}
