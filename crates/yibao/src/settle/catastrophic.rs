//! Stage 4, catastrophic insurance (yibao-catastrophic): the year's class, continuity and
//! cap in force, each claim's increment on the year's cumulative burden under that cap, and
//! what the year carries into the next one's cap (H7).

use std::sync::Arc;

use yibao_benefits::Explain;
use yibao_catastrophic::{
    CapInForce, CatastrophicError, CatastrophicPolicy, Continuity, IncentiveHistory, PersonClass,
    RewardQuota,
};
use yibao_core::{PolicyYear, RuleId, Yuan};
use yibao_enrolment::{EnrolmentHistory, EnrolmentSection};

use super::caps::KeptCaps;
use super::error::{At, SettleError, SettleErrorKind};
use super::reasons::{CatastrophicPart, CatastrophicUnsettled};
use super::report::{ClaimReport, NextYear, Stage, Step};
use super::settler::PersonYear;
use crate::policy::{Book, Section};
use crate::scenario::{IncentiveInput, Scenario};

/// The catastrophic schedule and cap for the year, or why there is none.
pub(super) struct CatastrophicYear<'l> {
    pub(super) class: PersonClass,
    continuity: Continuity,
    history: IncentiveHistory,
    pub(super) schedule: Result<(&'l CatastrophicPolicy, &'l CapInForce), Unavailable<'l>>,
}

/// Why the year has no cap in force to settle catastrophic parts with.
pub(super) enum Unavailable<'l> {
    /// No schedule for the year.
    NoSchedule(yibao_core::Said),
    /// Re-enrolled after a lapse: the cap may be lowered by an amount not given (H7).
    LapseCutNotGiven {
        policy: &'l CatastrophicPolicy,
        note: String,
        rule: RuleId,
    },
    /// The cap could not be computed from the person's history.
    CapNotComputed(yibao_core::Said),
}

impl Unavailable<'_> {
    /// The report's note.
    pub(super) fn note(&self) -> yibao_core::Said {
        match self {
            Unavailable::NoSchedule(reason) | Unavailable::CapNotComputed(reason) => {
                yibao_core::Said::new(
                    format!("catastrophic insurance not settled: {reason}"),
                    format!("大病保险未结算：{}", reason.text(yibao_core::Lang::Zh)),
                )
            }
            Unavailable::LapseCutNotGiven { note, rule, .. } => yibao_core::Said::new(
                format!(
                    "catastrophic insurance: the cap after a lapse is not given by the source ({rule}): {note}; a claim's part is settled when it is the same whatever the cap (its banded amount is 0), otherwise it is not settled and its banded amount before any cap is given"
                ),
                format!(
                    "大病保险：中断缴费后再参保者的支付限额可降低，但资料未给出降低的金额（{rule}）；按段计算的金额为 0 的费用，无论限额多少都支付 0，照常结算；其余费用不予结算，并列出其按段计算、未经封顶的金额"
                ),
            ),
        }
    }

    /// A claim's catastrophic part as the burden moves from `before` to `after`: settled
    /// only when it is certain (Conventions: "Certain answers are given").
    fn part(
        &self,
        class: PersonClass,
        before: Yuan,
        after: Yuan,
        mode: yibao_core::RoundingMode,
        adds_nothing: bool,
    ) -> CatastrophicPart {
        let not_settled = |reason| CatastrophicPart::NotSettled { reason };
        match self {
            // Nothing is known of the year's catastrophic insurance, not even what it counts.
            Unavailable::NoSchedule(reason) => not_settled(CatastrophicUnsettled::NoSchedule {
                reason: reason.clone(),
            }),
            Unavailable::CapNotComputed(_) if adds_nothing => {
                CatastrophicPart::Settled { paid: Yuan::ZERO }
            }
            Unavailable::CapNotComputed(reason) => {
                not_settled(CatastrophicUnsettled::CapNotComputed {
                    reason: reason.clone(),
                })
            }
            Unavailable::LapseCutNotGiven { policy, note, rule } => {
                // Whatever the cap c: round(min(F(after), c)) − round(min(F(before), c)) is
                // 0 when round(F(after)) = round(F(before)) (rounding is monotone), and
                // depends on c otherwise.
                let schedule = policy.class(class);
                let value = |burden: Yuan| {
                    schedule
                        .bands
                        .value_at(burden.saturating_sub(schedule.threshold))
                };
                let banded = yibao_core::telescoping_increment(value(before), value(after), mode);
                if banded.is_zero() {
                    CatastrophicPart::Settled { paid: Yuan::ZERO }
                } else {
                    not_settled(CatastrophicUnsettled::LapseCutNotGiven {
                        note: note.clone(),
                        rule: *rule,
                        banded_before_cap: banded,
                    })
                }
            }
        }
    }

    /// The explanation of a claim's part, when a rule is behind it.
    fn step(&self, part: &CatastrophicPart) -> Option<Step> {
        let Unavailable::LapseCutNotGiven { rule, .. } = self else {
            return None;
        };
        let step = match part.not_settled().and_then(|r| r.banded_before_cap()) {
            Some(banded) => yibao_core::Step::new(
                *rule,
                "re-enrolled after a lapse: the cap may be lowered by an amount the source does not give; this claim's banded amount before any cap is {banded}, so its payment depends on that cap: not settled",
            )
            .zh("中断缴费后再参保：支付限额可降低，但资料未给出降低的金额；本次费用按段计算、未经封顶的金额为 {banded}，支付额取决于该限额：不予结算")
            .with("banded", banded),
            None => yibao_core::Step::new(
                *rule,
                "re-enrolled after a lapse: the cap may be lowered by an amount the source does not give; this claim's banded amount is 0, so it pays 0 whatever the cap",
            )
            .zh("中断缴费后再参保：支付限额可降低，但资料未给出降低的金额；本次费用按段计算的金额为 0，无论限额多少都支付 0"),
        };
        Some(Step::new(
            Stage::Catastrophic,
            step.quote(super::quotes::LAPSE),
        ))
    }
}

/// H24 (Q13 6.; POLICY-NOTES H1): medical aid comes after basic and catastrophic insurance,
/// but the sources give no formula, so it is not settled (and not 0).
pub(super) const MEDICAL_AID_NOTE: yibao_core::Term = yibao_core::Term::new(
    "medical aid (医疗救助, H24) is paid after basic and catastrophic insurance to medical-aid recipients, but the sources give no formula: it is not settled here, and the person's part is before medical aid",
    "医疗救助（H24）在基本医疗保险和大病保险之后向救助对象支付，但资料未给出计算办法：此处不予结算，个人负担为医疗救助前的金额",
);

impl<'l> CatastrophicYear<'l> {
    /// A year not prepared yet: an ordinary person in a first year, with no schedule.
    pub(super) fn unprepared() -> CatastrophicYear<'l> {
        let continuity = Continuity::Consecutive { years: 1 };
        CatastrophicYear {
            class: PersonClass::Ordinary,
            continuity,
            history: IncentiveHistory::new(continuity),
            schedule: Err(Unavailable::NoSchedule(yibao_core::Said::new("", ""))),
        }
    }

    /// The class (H1: the category's unless the scenario contradicts it, which is refused),
    /// the continuity and the cap in force (kept in `caps` for the next person with the
    /// same book and history), written over `self` in place (the year is large, and its
    /// move out of a `Result` cost the settlement of a person a measurable part of its
    /// time); after an error `self` is unspecified.
    pub(super) fn prepare(
        &mut self,
        book: &'l Arc<Book>,
        scenario: &Scenario,
        enrolment_history: Option<&EnrolmentHistory>,
        explain: Explain,
        caps: &'l mut KeptCaps,
    ) -> Result<(), SettleError> {
        let none = IncentiveInput::default();
        let input = scenario.incentives.as_ref().unwrap_or(&none);
        let counted = continuity(book, scenario, input, enrolment_history);
        self.continuity = counted
            .clone()
            .unwrap_or(Continuity::Consecutive { years: 1 });
        let history = &mut self.history;
        *history = IncentiveHistory::new(self.continuity);
        history.zero_reimbursement_years = input.zero_reimbursement_years.iter().copied().collect();
        history.reward_quota_used_years = input.reward_quota_used_years.iter().copied().collect();
        let of_category = match (&book.catastrophic, &scenario.person.category) {
            (Section::Present(policy), Some(category)) => policy.class_of_category(category),
            _ => None,
        };
        self.class = scenario
            .person
            .catastrophic_class_with(of_category)
            .map_err(|e| {
                SettleError::new(
                    At::PersonCatastrophicClass,
                    SettleErrorKind::ClassConflict(e),
                )
            })?;
        self.schedule = match (&book.catastrophic, counted) {
            (Section::Present(_), Err(reason)) => {
                Err(Unavailable::CapNotComputed(yibao_core::Said::new(
                    reason,
                    "无法根据参保缴费记录计算连续参保年限，本年度大病保险支付限额无法确定",
                )))
            }
            (Section::Present(policy), Ok(_)) => {
                match caps.cap_in_force(book, policy, &self.history, explain) {
                    Ok(Some(cap)) => Ok((policy, cap)),
                    Ok(None) => {
                        // Unreachable: the cap was found or kept just before.
                        let lost = SettleErrorKind::Unreachable("the kept cap in force was lost");
                        return Err(SettleError::new(At::Jurisdiction, lost));
                    }
                    Err(CatastrophicError::LapseCutNotGiven { note, rule }) => {
                        Err(Unavailable::LapseCutNotGiven { policy, note, rule })
                    }
                    Err(other) => Err(Unavailable::CapNotComputed(yibao_core::Said::new(
                        other.to_string(),
                        "无法根据所给参保情况计算本年度大病保险支付限额",
                    ))),
                }
            }
            (Section::Absent { reason }, _) => Err(Unavailable::NoSchedule(yibao_core::Said::new(
                reason.clone(),
                format!("政策资料未公布 {} 年度大病保险待遇标准", book.year),
            ))),
            (Section::NotGiven, _) => Err(Unavailable::NoSchedule(yibao_core::Said::new(
                format!(
                    "the policy data holds no catastrophic schedule for {} {}",
                    book.jurisdiction, book.year
                ),
                format!("已加载的政策数据中没有 {} 年度大病保险待遇标准", book.year),
            ))),
        };
        Ok(())
    }
}

/// The person's continuity for the cap: the scenario's incentives, else counted from the
/// enrolment history. It only matters for a catastrophic cap: it is counted only when the
/// year has a schedule, and a failure to count it leaves catastrophic insurance unsettled.
fn continuity(
    book: &Book,
    scenario: &Scenario,
    input: &IncentiveInput,
    enrolment_history: Option<&EnrolmentHistory>,
) -> Result<Continuity, String> {
    if input.re_enrolled_after_lapse {
        Ok(Continuity::ReEnrolledAfterLapse)
    } else if let Some(years) = input.consecutive_years {
        Ok(Continuity::Consecutive { years })
    } else {
        match (
            enrolment_history,
            book.enrolment.present(),
            &book.catastrophic,
        ) {
            (Some(history), Some(section), Section::Present(_)) => {
                continuity_from_history(section, history, scenario.year)
            }
            _ => Ok(Continuity::Consecutive { years: 1 }),
        }
    }
}

/// The catastrophic part of a covered claim whose basic fund passed `base` on to the year's
/// burden, written into `report` (with its steps); the burden moves on by `base`.
pub(super) fn settle_claim(
    year: &PersonYear<'_>,
    burden: &mut Yuan,
    reward_quota_used: &mut bool,
    index: usize,
    base: Yuan,
    report: &mut ClaimReport,
) -> Result<(), SettleError> {
    let catastrophic = &year.catastrophic;
    let at = || At::claim(index);
    let before = *burden;
    let after = before
        .checked_add(base)
        .map_err(|e| SettleError::new(at(), SettleErrorKind::Money(e)))?;
    report.catastrophic = match &catastrophic.schedule {
        Err(unavailable) => {
            let part = unavailable.part(
                catastrophic.class,
                before,
                after,
                year.rounding,
                base.is_zero(),
            );
            if let (true, Some(step)) = (year.explained, unavailable.step(&part)) {
                report.steps.push(step);
            }
            part
        }
        // A claim that adds nothing to the burden adds nothing to the catastrophic payment:
        // round(F(b)) − round(F(b)) = 0.
        Ok(_) if base.is_zero() => CatastrophicPart::Settled { paid: Yuan::ZERO },
        Ok((schedule, cap)) => {
            let part = schedule
                .settle_claim_with(
                    catastrophic.class,
                    before,
                    after,
                    cap,
                    year.rounding,
                    year.explain,
                )
                .map_err(|e| SettleError::new(at(), SettleErrorKind::Catastrophic(e)))?;
            if year.explained {
                for step in &part.trace {
                    report
                        .steps
                        .push(Step::new(Stage::Catastrophic, step.clone()));
                }
            }
            *reward_quota_used |= part.reward_quota == RewardQuota::Used;
            CatastrophicPart::Settled { paid: part.payment }
        }
    };
    *burden = after;
    Ok(())
}

/// Continuity for the catastrophic cap from the enrolment history (H6, H7), on the one lapse
/// definition of yibao-enrolment ([`EnrolmentSection::lapse_before`], POLICY-NOTES H3): the
/// lapse that gives a re-enrolment a waiting period (H3) is the lapse that restarts the count
/// (H6) and makes the person a re-enrollee whose cap the source lets be lowered by an amount
/// it does not give (H7). In later years of the new run they count their consecutive years
/// as usual.
fn continuity_from_history(
    section: &EnrolmentSection,
    history: &EnrolmentHistory,
    year: PolicyYear,
) -> Result<Continuity, String> {
    let lapse = section
        .lapse_before(history, year)
        .map_err(|e| format!("the lapse before {year} cannot be decided: {e}"))?;
    if lapse.is_some() {
        return Ok(Continuity::ReEnrolledAfterLapse);
    }
    let now = section
        .consecutive_years(history, year)
        .map_err(|e| format!("consecutive years cannot be counted: {e}"))?;
    Ok(Continuity::Consecutive {
        years: now.years.max(1),
    })
}

/// What this year carries into next year's catastrophic cap (H7), written into `out`, whose
/// lists keep their allocations from one person to the next.
pub(super) fn next_year(
    out: &mut NextYear,
    scenario: &Scenario,
    catastrophic: &CatastrophicYear<'_>,
    zero_reimbursement: bool,
    reward_quota_used: bool,
) {
    let consecutive = match catastrophic.continuity {
        Continuity::Consecutive { years } => years.checked_add(1),
        Continuity::ReEnrolledAfterLapse => Some(2),
    };
    out.year = scenario.year.next();
    out.consecutive_years_if_enrolled = consecutive;
    out.zero_reimbursement = zero_reimbursement;
    out.reward_quota_used = reward_quota_used;
    let incentives = &mut out.incentives;
    incentives.consecutive_years = consecutive;
    incentives.re_enrolled_after_lapse = false;
    let history = &catastrophic.history;
    let zero_years = &mut incentives.zero_reimbursement_years;
    zero_years.clear();
    zero_years.extend(history.zero_reimbursement_years.iter());
    zero_years.extend(zero_reimbursement.then_some(scenario.year));
    let quota_years = &mut incentives.reward_quota_used_years;
    quota_years.clear();
    quota_years.extend(history.reward_quota_used_years.iter());
    quota_years.extend(reward_quota_used.then_some(scenario.year));
}
