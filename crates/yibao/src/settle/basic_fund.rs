//! Stage 3, basic fund (yibao-benefits): deductible, ratio and caps against the year state,
//! claim by claim.

use yibao_benefits::{Explain, SettleConfig, YearState};
use yibao_core::Yuan;

use super::error::{At, MissingRules, SettleError, SettleErrorKind};
use super::reasons::NotPaidReason;
use super::report::{ClaimReport, Stage, Step};
use super::settler::PersonYear;
use crate::policy::{Book, Section};
use crate::scenario::{ClaimInput, Scenario};

/// The benefit rules the year's claims are settled by: `None` for a scenario without claims,
/// which can be settled where the sources give no benefits (a year of filings or enrolment
/// alone, Wujiang).
pub(super) fn config<'b>(
    book: &'b Book,
    scenario: &Scenario,
    explain: Explain,
) -> Result<Option<SettleConfig<'b>>, SettleError> {
    let no_benefits = |kind| Err(SettleError::new(At::Jurisdiction, kind));
    let benefits = match (&book.benefits, scenario.claims.is_empty()) {
        (Section::Present(b), _) => b,
        (_, true) => return Ok(None),
        (Section::Absent { reason }, false) => {
            return no_benefits(SettleErrorKind::BenefitsAbsent {
                jurisdiction: book.jurisdiction.clone(),
                year: book.year,
                reason: reason.clone(),
            });
        }
        (Section::NotGiven, false) => {
            return no_benefits(SettleErrorKind::NoRules {
                rules: MissingRules::Benefits,
                jurisdiction: book.jurisdiction.clone(),
                year: book.year,
            });
        }
    };
    Ok(Some(SettleConfig::new(
        benefits,
        book.remote_care.present(),
        book.rounding(),
        scenario.class_b_personal_share,
        explain,
    )))
}

/// What the basic fund's settlement of a claim passes on: its share of the catastrophic
/// burden, and for a delivery the base of the fiscal subsidy (H15).
pub(super) struct Passed {
    /// The claim's part of the year's burden before catastrophic insurance.
    pub catastrophic_base: Yuan,
    /// For a delivery: the in-catalogue costs left after the basic fund.
    pub maternity_subsidy_base: Option<Yuan>,
}

/// Settles the claim at `index` by the basic fund's rules into `report` (its basic
/// settlement is overwritten in place when the report holds one), moving the steps into the
/// claim's steps.
pub(super) fn settle(
    year: &PersonYear<'_>,
    state: &mut YearState,
    input: &ClaimInput,
    index: usize,
    report: &mut ClaimReport,
) -> Result<Passed, SettleError> {
    let unreachable = |what| SettleError::new(At::claim(index), SettleErrorKind::Unreachable(what));
    let Some(config) = year.config.as_ref() else {
        // Unreachable: a scenario with claims has its benefit tables (checked before).
        return Err(unreachable("no benefit rules to settle the claim"));
    };
    let claim = super::input::to_claim(input, report.remote_care, index)?;
    let refused = |e| SettleError::new(At::claim(index), SettleErrorKind::Benefits(e));
    match report.basic.as_mut() {
        // Settled in place, into the basic settlement of the claim before.
        Some(kept) => {
            yibao_benefits::settle_into(state, config, &year.person, &claim, kept)
                .map_err(refused)?;
        }
        None => {
            report.basic =
                Some(yibao_benefits::settle(state, config, &year.person, &claim).map_err(refused)?);
        }
    }
    let Some(settled) = report.basic.as_mut() else {
        // Unreachable: the settlement was written just above.
        return Err(unreachable("the claim's basic settlement was lost"));
    };
    // The basic-fund steps move into the claim's steps (not copied: `basic` keeps the
    // figures, `steps` the one explanation). Without explanations there are none, and a
    // batch does not pay for an empty drain per claim.
    if !settled.trace.is_empty() {
        for step in settled.trace.drain(..) {
            report.steps.push(Step::new(Stage::BasicFund, step));
        }
    }
    report.eligible = settled.eligible;
    report.outside_scope = settled.outside_scope;
    report.deductible = settled.deductible;
    report.basic_fund = settled.fund_paid;
    report.not_paid = settled.not_paid.map(NotPaidReason::Benefit);
    Ok(Passed {
        catastrophic_base: settled.catastrophic_base,
        maternity_subsidy_base: settled.maternity_subsidy_base,
    })
}
