//! Stage 1, cover (yibao-enrolment): the person's cover periods for the year, what they paid
//! to enrol, and whether they are covered on the day of a claim, and why not.

use yibao_core::{NaiveDate, PolicyYear};
use yibao_enrolment::{Cover, EnrolmentHistory, EnrolmentSection};

use super::error::{At, MissingRules, SettleError, SettleErrorKind};
use super::reasons::{CoverStatus, NotCoveredReason};
use super::report::{ContributionReport, Stage, Step};
use super::settler::PersonYear;
use crate::policy::Book;
use crate::scenario::{EnrolmentEventName, Scenario};

/// The person's cover for the year from their enrolment history (`None` without one: cover
/// is assumed, and a note says so), after checking the person's category; written into
/// `cover` (the report's, overwritten), not returned: a cover is large, and its move out of
/// a `Result` cost the settlement of a person a measurable part of its time.
pub(super) fn person_cover(
    book: &Book,
    scenario: &Scenario,
    history: Option<&EnrolmentHistory>,
    notes: &mut Vec<yibao_core::Said>,
    cover: &mut Option<Cover>,
) -> Result<(), SettleError> {
    let enrolment = book.enrolment.present();
    *cover = match (history, enrolment) {
        (Some(history), Some(section)) => Some(
            section
                .cover(history, scenario.year)
                .map_err(|e| SettleError::new(At::Enrolment, SettleErrorKind::Enrolment(e)))?,
        ),
        (Some(_), None) => {
            return Err(SettleError::new(
                At::Enrolment,
                SettleErrorKind::NoRules {
                    rules: MissingRules::EnrolmentForHistory,
                    jurisdiction: book.jurisdiction.clone(),
                    year: book.year,
                },
            ));
        }
        (None, _) => {
            notes.push(yibao_core::Said::new(
                "no enrolment history was given: cover is assumed for every claim",
                "未提供参保缴费记录：各笔费用均视为在待遇享受期内",
            ));
            None
        }
    };
    if let (Some(category), Some(section)) = (&scenario.person.category, enrolment) {
        section
            .category(&yibao_enrolment::CategoryId::new(category.clone()))
            .map_err(|e| SettleError::new(At::PersonCategory, SettleErrorKind::Enrolment(e)))?;
    }
    Ok(())
}

/// Whether the person is covered on the day of a claim, with the step that says why.
pub(super) fn on_day(year: &PersonYear<'_>, date: NaiveDate, steps: &mut Vec<Step>) -> CoverStatus {
    match year.cover {
        None => CoverStatus::Assumed,
        Some(cover) if cover.is_covered_on(date) => {
            let period = cover.periods.iter().find(|p| p.range.contains(date));
            if let (true, Some(period)) = (year.explained, period) {
                steps.push(Step::new(
                    Stage::Cover,
                    yibao_core::Step::new(period.rule, "covered on {date}: cover period {range}")
                        .zh("{date} 在待遇享受期 {range} 内")
                        .date("date", date)
                        .with("range", period.range)
                        .quote(yibao_enrolment::quotes::cover(period.basis)),
                ));
            }
            CoverStatus::Covered
        }
        Some(cover) => {
            let reason = uncovered_reason(cover, date);
            if let (true, Some(rule)) = (year.explained, reason.rule()) {
                steps.push(Step::new(
                    Stage::Cover,
                    yibao_core::Step::new(rule, "{reason}")
                        .phrase("reason", reason.to_string(), reason.zh())
                        .quote(super::quotes::not_covered(&reason)),
                ));
            }
            CoverStatus::NotCovered { reason }
        }
    }
}

fn uncovered_reason(cover: &Cover, date: NaiveDate) -> NotCoveredReason {
    if let Some(wait) = cover
        .waiting_periods
        .iter()
        .find(|w| w.range.contains(date))
    {
        return NotCoveredReason::WaitingPeriod {
            range: wait.range,
            cause: wait.reason,
            rule: wait.rule,
        };
    }
    if let Some(s) = cover
        .suspensions
        .iter()
        .find(|s| s.from <= date && s.reopened_on.is_none_or(|r| date < r))
    {
        return NotCoveredReason::Suspended {
            from: s.from,
            reopened_on: s.reopened_on,
            rule: s.rule,
        };
    }
    NotCoveredReason::NoCoverPeriod {
        rule: cover.rules().first().copied(),
    }
}

/// What the person paid to enrol for the year: the year's own payments, and a newborn's
/// birth-year back payment made in the year (H5).
pub(super) fn contributions(
    scenario: &Scenario,
    enrolment: Option<&EnrolmentSection>,
    notes: &mut Vec<yibao_core::Said>,
) -> Result<Vec<ContributionReport>, SettleError> {
    // The year's own payments, and payments made in the year for an earlier year: a newborn's
    // birth-year back payment (H5), the only payment the history allows after its year.
    let payments: Vec<(usize, &crate::scenario::EnrolmentEventInput, PolicyYear)> = scenario
        .enrolment
        .iter()
        .enumerate()
        .filter(|(_, e)| e.event == EnrolmentEventName::Payment)
        .filter_map(|(i, e)| e.year.map(|year| (i, e, year)))
        .filter(|(_, e, year)| {
            *year == scenario.year || (*year < scenario.year && scenario.year.contains(e.on))
        })
        .collect();
    if payments.is_empty() {
        return Ok(Vec::new());
    }
    let (Some(category), Some(section)) = (&scenario.person.category, enrolment) else {
        notes.push(yibao_core::Said::new(
            "no person category given: the contributions paid are not computed",
            "未提供参保人员类别：不计算个人缴费",
        ));
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (i, payment, year) in payments {
        let route = match payment
            .route
            .unwrap_or(crate::scenario::RouteInput::Ordinary)
        {
            crate::scenario::RouteInput::Ordinary => yibao_enrolment::EnrolmentRoute::Ordinary,
            crate::scenario::RouteInput::EmployeeToResidentTransfer => {
                yibao_enrolment::EnrolmentRoute::EmployeeToResidentTransfer
            }
        };
        let contribution = match section.contribution(&yibao_enrolment::ContributionQuery {
            category: yibao_enrolment::CategoryId::new(category.clone()),
            year,
            paid_on: payment.on,
            route,
        }) {
            Ok(contribution) => contribution,
            // A figure the settlement does not need: cover and benefits still settle.
            Err(e @ yibao_enrolment::EnrolmentError::NotGivenBySource { .. }) => {
                notes.push(yibao_core::Said::new(
                    format!(
                        "the contribution paid on {} is not computed: {e}",
                        payment.on
                    ),
                    format!(
                        "{} 缴纳的个人缴费未计算：政策资料未规定该类人员 {year} 年度的个人缴费标准",
                        payment.on
                    ),
                ));
                continue;
            }
            Err(e) => {
                return Err(SettleError::new(
                    At::EnrolmentEvent(i),
                    SettleErrorKind::Enrolment(e),
                ));
            }
        };
        out.push(ContributionReport {
            year,
            paid_on: payment.on,
            individual: contribution.individual,
            paid_by_assistance: contribution.paid_by_assistance,
            subsidy: contribution.subsidy,
            steps: contribution
                .trace
                .steps()
                .iter()
                .map(|s| Step::new(Stage::Cover, s.clone()))
                .collect(),
        });
    }
    Ok(out)
}
