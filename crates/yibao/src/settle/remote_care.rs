//! Stage 2, remote-care treatment (yibao-filing): the person's filings, the treatment of care
//! away from home from the filings in force on the day, the last day to claim manually, and
//! care the sources give no rule for (K8).

use std::collections::BTreeMap;

use yibao_core::RemoteCare;
use yibao_filing::{CareQuery, FilingId, FilingState, Register, Settlement};

use super::error::{At, ClaimField, MissingRules, SettleError, SettleErrorKind};
use super::reasons::{BasicNotSettled, CatastrophicPart, CatastrophicUnsettled, CoverStatus};
use super::report::{ClaimReport, Stage, Step};
use super::settler::PersonYear;
use crate::policy::{Book, PolicyLibrary};
use crate::scenario::{ClaimInput, Scenario};

/// The person's filings as of the last day of the year.
pub(super) fn filings_at_year_end(
    library: &PolicyLibrary,
    book: &Book,
    scenario: &Scenario,
) -> Result<BTreeMap<FilingId, FilingState>, SettleError> {
    match (book.filing.present(), scenario.filings.is_empty()) {
        (Some(policy), false) => Ok(Register::replay(
            &scenario.filings,
            scenario.year.last_day(),
            &library.calendar,
            policy,
        )
        .map_err(|e| SettleError::new(At::Filings, SettleErrorKind::Filing(e)))?
        .filings()
        .map(|(id, state)| (id.clone(), state.clone()))
        .collect()),
        (None, false) => Err(SettleError::new(
            At::Filings,
            SettleErrorKind::NoRules {
                rules: MissingRules::Filing,
                jurisdiction: book.jurisdiction.clone(),
                year: book.year,
            },
        )),
        (_, true) => Ok(BTreeMap::new()),
    }
}

/// The treatment of the claim at `index`, and its settlement route when the filings decide
/// it: local care, the treatment the claim gives, or the filings' assessment of care at its
/// place on its day.
pub(super) fn treatment(
    year: &PersonYear<'_>,
    input: &ClaimInput,
    index: usize,
    steps: &mut Vec<Step>,
    notes: &mut Vec<yibao_core::Said>,
) -> Result<(RemoteCare, Option<Settlement>), SettleError> {
    let area = match (&input.place, input.remote_care) {
        (None, None) => return Ok((RemoteCare::Local, None)),
        (Some(_), Some(_)) => {
            return Err(SettleError::new(
                At::claim_field(index, ClaimField::RemoteCare),
                SettleErrorKind::PlaceAndRemoteCare,
            ));
        }
        (None, Some(treatment)) => return Ok((treatment, None)),
        (Some(area), None) => area,
    };
    let book = year.book;
    let Some(policy) = book.filing.present() else {
        return Err(SettleError::new(
            At::claim_field(index, ClaimField::Place),
            SettleErrorKind::NoRules {
                rules: MissingRules::FilingForCare(area.clone()),
                jurisdiction: book.jurisdiction.clone(),
                year: book.year,
            },
        ));
    };
    let events: Vec<_> = year
        .scenario
        .filings
        .iter()
        .filter(|e| e.on <= input.date)
        .cloned()
        .collect();
    let register = Register::replay(&events, input.date, &year.library.calendar, policy)
        .map_err(|e| SettleError::new(At::Filings, SettleErrorKind::Filing(e)))?;
    let assessment = yibao_filing::assess_care(
        &register,
        &CareQuery::new(
            input.date,
            area.clone(),
            input.circumstance,
            input.connection,
        ),
        policy,
    )
    .map_err(|e| {
        SettleError::new(
            At::claim_field(index, ClaimField::Place),
            SettleErrorKind::Filing(e),
        )
    })?;
    for step in assessment.trace.iter().filter(|_| year.explained) {
        steps.push(Step::new(Stage::RemoteCare, step.clone()));
    }
    for note in assessment.notes {
        if !notes.iter().any(|n| n.en() == note.en()) {
            notes.push(note);
        }
    }
    Ok((assessment.treatment, Some(assessment.settlement)))
}

/// K8: care the sources give no rule for (unfiled remote care in Kunshan), for a covered
/// claim: its basic fund is not settled, and the year goes on as if it were not there.
pub(super) fn basic_not_given(
    year: &PersonYear<'_>,
    cover: &CoverStatus,
    remote_care: RemoteCare,
) -> Option<BasicNotSettled> {
    match (cover, year.config.as_ref().and_then(|c| c.remote_care)) {
        (CoverStatus::NotCovered { .. }, _) | (_, None) => None,
        (_, Some(rc)) => rc.not_given(remote_care).map(|note| BasicNotSettled {
            rule: rc.rules.first(),
            reason: yibao_core::Said::new(
                format!("{remote_care} care: {note}"),
                format!(
                    "{}的异地就医：政策资料未规定其统筹基金待遇",
                    remote_care.term().zh
                ),
            ),
        }),
    }
}

/// For a claim to be claimed manually (零星报销): the last day to file it (W7, K7), or a
/// note of why it is not known.
pub(super) fn manual_claim(
    year: &PersonYear<'_>,
    input: &ClaimInput,
    report: &mut ClaimReport,
    notes: &mut Vec<yibao_core::Said>,
) {
    if report.settlement_route != Some(Settlement::ManualClaim) {
        return;
    }
    let Some(policy) = year.book.filing.present() else {
        return;
    };
    match yibao_filing::manual_claim_deadline(input.date, policy) {
        Ok(deadline) => {
            for step in deadline.trace.iter().filter(|_| year.explained) {
                report
                    .steps
                    .push(Step::new(Stage::RemoteCare, step.clone()));
            }
            report.manual_claim_deadline = Some(deadline.final_day);
        }
        Err(e) => notes.push(yibao_core::Said::new(
            format!("manual-claim deadline for the claim of {}: {e}", input.date),
            format!(
                "{} 的费用零星报销截止日期：政策资料未规定零星报销的办理期限",
                input.date
            ),
        )),
    }
}

/// Marks a claim whose basic fund the sources give no rule for (K8): nothing paid for now, the
/// catastrophic part not settled, the year state untouched, and a note saying so.
pub(super) fn not_settled_claim(
    report: &mut ClaimReport,
    why: BasicNotSettled,
    explained: bool,
    notes: &mut Vec<yibao_core::Said>,
) {
    report.basic = None;
    report.catastrophic = CatastrophicPart::NotSettled {
        reason: CatastrophicUnsettled::BasicFundNotSettled { rule: why.rule },
    };
    if explained {
        report.steps.push(Step::new(
            Stage::RemoteCare,
            yibao_core::Step::new(why.rule, "basic fund not settled: {reason}")
                .zh("统筹基金未结算：{reason}")
                .phrase(
                    "reason",
                    why.reason.to_string(),
                    why.reason.text(yibao_core::Lang::Zh).to_owned(),
                ),
        ));
    }
    let claim = report
        .id
        .as_ref()
        .map_or_else(String::new, |id| format!(" ({id})"));
    let claim_zh = report
        .id
        .as_ref()
        .map_or_else(String::new, |id| format!("（{id}）"));
    notes.push(yibao_core::Said::new(
        format!(
            "the claim of {}{claim} is not settled: {}; the year's other claims are settled as if it were not in the year",
            report.date, why.reason
        ),
        format!(
            "{}{claim_zh}的费用未结算：{}；本年度其他费用按未发生该笔费用结算",
            report.date,
            why.reason.text(yibao_core::Lang::Zh)
        ),
    ));
    report.basic_fund_not_settled = Some(why);
}
