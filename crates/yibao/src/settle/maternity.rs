//! The delivery's fiscal subsidy (H15): the in-catalogue costs left after basic and
//! catastrophic insurance, paid by the public purse (medical aid, which would come first, is
//! not modelled).

use yibao_core::{RuleId, Yuan};

use super::report::{ClaimReport, Stage, Step};
use super::settler::PersonYear;

/// Writes a delivery's fiscal subsidy into `report`, from the base the basic fund passed on
/// (`None`: not a delivery) less the catastrophic payment.
pub(super) fn subsidy(year: &PersonYear<'_>, base: Option<Yuan>, report: &mut ClaimReport) {
    let Some(base) = base else {
        return;
    };
    report.fiscal_subsidy = base.saturating_sub(report.catastrophic.paid());
    if !year.explained || report.fiscal_subsidy.is_zero() {
        return;
    }
    if let Some(rule) = maternity_rule(year) {
        report.steps.push(Step::new(
            Stage::BasicFund,
            yibao_core::Step::new(
                rule,
                "delivery: the in-catalogue costs left after basic and catastrophic insurance, {fiscal_subsidy}, are paid by a fiscal subsidy (medical aid is not modelled)",
            )
            .zh("分娩：经基本医疗保险、大病保险支付后，目录内剩余费用 {fiscal_subsidy} 由财政补助（医疗救助未纳入计算）")
            .yuan("fiscal_subsidy", report.fiscal_subsidy)
            .quote(super::quotes::DELIVERY),
        ));
    }
}

/// The rule a delivery's fiscal subsidy cites: the data's maternity table (H15).
fn maternity_rule(year: &PersonYear<'_>) -> Option<RuleId> {
    let benefits = year.config.as_ref()?.benefits;
    benefits.maternity.as_ref().map(|m| m.rules.first())
}
