//! The reports of the one-stop settlement: plain values, compared and serialised whole.

use serde::Serialize;
use yibao_benefits::SettledClaim;
use yibao_catastrophic::{CapInForce, PersonClass};
use yibao_core::{NaiveDate, PolicyYear, RemoteCare, RuleId, Yuan};
use yibao_enrolment::Cover;

use super::reasons::{
    BasicNotSettled, CatastrophicPart, CatastrophicUnsettled, CoverStatus, NotPaidReason,
};
use crate::scenario::{ClaimKindName, IncentiveInput};

/// The stage of the one-stop settlement a step belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Cover (enrolment).
    Cover,
    /// Remote-care treatment (filing).
    RemoteCare,
    /// Basic fund (benefits).
    BasicFund,
    /// Catastrophic insurance.
    Catastrophic,
}

/// One explained step of the one-stop settlement: the stage around a domain's step (the rule,
/// its sentence and figures, rendered only at the edge).
///
/// Written as `{"stage": …, "rule": …, "text": …}`, the text rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The stage.
    pub stage: Stage,
    /// The step.
    pub step: yibao_core::Step,
}

impl Step {
    /// The step `step` of the stage `stage`.
    pub fn new(stage: Stage, step: yibao_core::Step) -> Step {
        Step { stage, step }
    }

    /// The rule applied.
    pub fn rule(&self) -> RuleId {
        self.step.rule
    }

    /// What was done, with the figures: the step's text.
    pub fn render(&self) -> String {
        self.step.render()
    }
}

impl Serialize for Step {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Step", 3)?;
        s.serialize_field("stage", &self.stage)?;
        s.serialize_field("rule", &self.step.rule)?;
        s.serialize_field("text", &self.step.render())?;
        s.end()
    }
}

/// The settlement of one claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ClaimReport {
    /// 0-based position in the scenario's claim list.
    pub index: usize,
    /// The claim's id, if given.
    pub id: Option<String>,
    /// The day.
    pub date: NaiveDate,
    /// The kind.
    pub kind: ClaimKindName,
    /// The hospital level.
    pub level: yibao_benefits::HospitalLevel,
    /// The whole bill.
    pub amount: Yuan,
    /// Cover on the day.
    pub cover: CoverStatus,
    /// The remote-care treatment.
    pub remote_care: RemoteCare,
    /// Whether the claim settles directly or by a manual claim (remote care only).
    pub settlement_route: Option<yibao_filing::Settlement>,
    /// The eligible (in-scope) amount.
    pub eligible: Yuan,
    /// Class C items (out of catalogue, self-paid, H23).
    pub class_c: Yuan,
    /// Everything outside the fund's scope: class C and the class B personal share (H23).
    pub outside_scope: Yuan,
    /// The deductible borne.
    pub deductible: Yuan,
    /// What the basic fund pays.
    pub basic_fund: Yuan,
    /// Why nothing is paid for the claim, when the reason is not arithmetic: not covered on
    /// the day ([`NotPaidReason::NotCovered`]), or the basic fund's rule does not pay it
    /// ([`NotPaidReason::Benefit`]: a level or place not paid, transfer-out outpatient care,
    /// an exclusion). `None` when the claim was settled by its policy, even to 0 (under a
    /// deductible, a cap used up). When `Some`, `basic_fund` is 0.
    pub not_paid: Option<NotPaidReason>,
    /// When the basic fund is not settled because the sources give no rule for the claim
    /// (K8), why; `basic_fund` is then 0 and `catastrophic` not settled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basic_fund_not_settled: Option<BasicNotSettled>,
    /// What catastrophic insurance pays.
    pub catastrophic: CatastrophicPart,
    /// For a delivery: the in-catalogue costs left after basic and catastrophic insurance,
    /// paid by a fiscal subsidy (H15; medical aid, which would come first, is not modelled).
    pub fiscal_subsidy: Yuan,
    /// What is left to the person.
    pub personal: Yuan,
    /// The basic-fund settlement's figures in full (absent when not covered); its steps are
    /// in `steps`, so its own `trace` is empty.
    pub basic: Option<SettledClaim>,
    /// For a claim that must be claimed manually (零星报销): the last day to file it
    /// (W7, K7).
    pub manual_claim_deadline: Option<NaiveDate>,
    /// Every step, by stage, with its rule.
    pub steps: Vec<Step>,
}

/// What the person paid to enrol for the year, for one payment of the history: the year's own
/// payments and a newborn's birth-year back payment made in the year (H5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ContributionReport {
    /// The policy year paid for (the year before, for a birth-year back payment, H5).
    pub year: PolicyYear,
    /// The payment date.
    pub paid_on: NaiveDate,
    /// What the person pays.
    pub individual: Yuan,
    /// What medical assistance pays for them (fully subsidised groups, H1).
    pub paid_by_assistance: Yuan,
    /// The fiscal subsidy, granted or withheld (K10).
    pub subsidy: yibao_enrolment::Subsidy,
    /// The steps, with their rules.
    pub steps: Vec<Step>,
}

/// The year's totals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Totals {
    /// Claims settled.
    pub claims: usize,
    /// Of which covered.
    pub covered_claims: usize,
    /// The bills.
    pub amount: Yuan,
    /// The basic fund.
    pub basic_fund: Yuan,
    /// Catastrophic insurance: the sum of the parts settled. When some part is not settled
    /// (`catastrophic_not_settled`), this is not the year's catastrophic payment.
    pub catastrophic: Yuan,
    /// The catastrophic parts not settled, when there are any: how many and why.
    pub catastrophic_not_settled: Option<UnsettledCatastrophic>,
    /// The maternity fiscal subsidy (H15).
    pub fiscal_subsidy: Yuan,
    /// The person.
    pub personal: Yuan,
}

/// The catastrophic parts of a year that are not settled.
///
/// JSON: `{"claims": 2, "code": "…", "reason": "…"}`, with `"banded_before_cap"` (the sum
/// over those claims) after a lapse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnsettledCatastrophic {
    /// How many claims' parts are not settled.
    pub claims: usize,
    /// Why (a year's parts are unsettled for one reason); after a lapse its banded amount
    /// is the sum over the claims not settled.
    pub reason: CatastrophicUnsettled,
}

impl UnsettledCatastrophic {
    /// Counts one more unsettled part.
    fn add(&mut self, reason: &CatastrophicUnsettled) -> Result<(), yibao_core::MoneyError> {
        if let (
            CatastrophicUnsettled::LapseCutNotGiven {
                banded_before_cap: total,
                ..
            },
            CatastrophicUnsettled::LapseCutNotGiven {
                banded_before_cap, ..
            },
        ) = (&mut self.reason, reason)
        {
            *total = total.checked_add(*banded_before_cap)?;
        }
        self.claims += 1;
        Ok(())
    }
}

impl Serialize for UnsettledCatastrophic {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("claims", &self.claims)?;
        self.reason.serialize_entries(&mut map)?;
        map.end()
    }
}

impl Totals {
    /// Adds a claim's figures; on overflow the totals are left as they were.
    pub(super) fn add(&mut self, claim: &ClaimReport) -> Result<(), yibao_core::MoneyError> {
        let unsettled = match (
            claim.catastrophic.not_settled(),
            &self.catastrophic_not_settled,
        ) {
            (None, _) => None,
            (Some(reason), None) => Some(UnsettledCatastrophic {
                claims: 1,
                reason: reason.clone(),
            }),
            (Some(reason), Some(before)) => {
                let mut counted = before.clone();
                counted.add(reason)?;
                Some(counted)
            }
        };
        // Every sum first, then each field in place (a whole new `Totals` assigned over the
        // old one was copied through the stack, a measurable part of a batch's time).
        let amount = self.amount.checked_add(claim.amount)?;
        let basic_fund = self.basic_fund.checked_add(claim.basic_fund)?;
        let catastrophic = self.catastrophic.checked_add(claim.catastrophic.paid())?;
        let fiscal_subsidy = self.fiscal_subsidy.checked_add(claim.fiscal_subsidy)?;
        let personal = self.personal.checked_add(claim.personal)?;
        self.claims += 1;
        self.covered_claims += usize::from(!matches!(claim.cover, CoverStatus::NotCovered { .. }));
        self.amount = amount;
        self.basic_fund = basic_fund;
        self.catastrophic = catastrophic;
        self.fiscal_subsidy = fiscal_subsidy;
        self.personal = personal;
        if unsettled.is_some() {
            self.catastrophic_not_settled = unsettled;
        }
        Ok(())
    }
}

/// What this year carries into next year's catastrophic cap (H7).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct NextYear {
    /// The next policy year.
    pub year: Option<PolicyYear>,
    /// Consecutive years then, if enrolment continues.
    pub consecutive_years_if_enrolled: Option<u32>,
    /// Whether this year had no fund reimbursement (no basic and no catastrophic payment).
    pub zero_reimbursement: bool,
    /// Whether this year's catastrophic payments used reward quota.
    pub reward_quota_used: bool,
    /// The incentive history to give next year's scenario.
    pub incentives: IncentiveInput,
}

/// The settlement of a person's year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SettlementReport {
    /// The insured place.
    pub jurisdiction: String,
    /// The policy year.
    pub year: PolicyYear,
    /// The person's id, if given.
    pub person: Option<String>,
    /// The cover periods, when an enrolment history was given.
    pub cover: Option<Cover>,
    /// What the person paid to enrol for this year (needs the person's category).
    pub contributions: Vec<ContributionReport>,
    /// The person's filings as of the last day of the year.
    pub filings: std::collections::BTreeMap<yibao_filing::FilingId, yibao_filing::FilingState>,
    /// The class of catastrophic insurance the person is settled in: the scenario's, or the
    /// one its enrolment category selects (H1, H19).
    pub catastrophic_class: PersonClass,
    /// The catastrophic cap in force, when there is a schedule and it could be computed.
    pub cap_in_force: Option<CapInForce>,
    /// Each claim, in settlement (date) order.
    pub claims: Vec<ClaimReport>,
    /// The totals.
    pub totals: Totals,
    /// What carries into next year.
    pub next_year: NextYear,
    /// Remarks on what could not be settled and why.
    pub notes: Vec<yibao_core::Said>,
}

impl SettlementReport {
    /// A report of nothing for `year`, to be filled by a settlement.
    pub fn empty(year: PolicyYear) -> SettlementReport {
        SettlementReport {
            jurisdiction: String::new(),
            year,
            person: None,
            cover: None,
            contributions: Vec::new(),
            filings: std::collections::BTreeMap::new(),
            catastrophic_class: PersonClass::Ordinary,
            cap_in_force: None,
            claims: Vec::new(),
            totals: Totals::default(),
            next_year: NextYear::default(),
            notes: Vec::new(),
        }
    }
}

impl ClaimReport {
    /// A report of nothing yet, for a settlement to overwrite.
    pub(super) fn blank(date: NaiveDate) -> ClaimReport {
        ClaimReport {
            index: 0,
            id: None,
            date,
            kind: ClaimKindName::OutpatientGeneral,
            level: yibao_benefits::HospitalLevel::PrimaryCare,
            amount: Yuan::ZERO,
            cover: CoverStatus::Assumed,
            remote_care: RemoteCare::Local,
            settlement_route: None,
            eligible: Yuan::ZERO,
            class_c: Yuan::ZERO,
            outside_scope: Yuan::ZERO,
            deductible: Yuan::ZERO,
            basic_fund: Yuan::ZERO,
            not_paid: None,
            basic_fund_not_settled: None,
            catastrophic: CatastrophicPart::Settled { paid: Yuan::ZERO },
            fiscal_subsidy: Yuan::ZERO,
            personal: Yuan::ZERO,
            basic: None,
            manual_claim_deadline: None,
            steps: Vec::new(),
        }
    }
}

/// What the report holds before its claims: everything a writer of the whole report needs
/// ahead of the first claim (the rest, totals, next year and notes, is known at the end).
#[derive(Clone, Copy, Debug)]
pub struct Head<'r> {
    /// The insured place.
    pub jurisdiction: &'r str,
    /// The policy year.
    pub year: PolicyYear,
    /// The person's id, if given.
    pub person: Option<&'r str>,
    /// The cover periods, when an enrolment history was given.
    pub cover: Option<&'r Cover>,
    /// What the person paid to enrol for this year.
    pub contributions: &'r [ContributionReport],
    /// The person's filings as of the last day of the year.
    pub filings: &'r std::collections::BTreeMap<yibao_filing::FilingId, yibao_filing::FilingState>,
    /// The class of catastrophic insurance the person is settled in.
    pub catastrophic_class: PersonClass,
    /// The catastrophic cap in force, when there is a schedule and it could be computed.
    pub cap_in_force: Option<&'r CapInForce>,
}
