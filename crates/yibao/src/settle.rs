//! The one-stop settlement of a person's policy year (一站式结算, H25).
//!
//! For each claim in date order, and only here:
//! 1. **cover** (yibao-enrolment): is the person covered on the day, and why;
//! 2. **remote care** (yibao-filing): the treatment of care away from home, from the
//!    filings in force on the day;
//! 3. **basic fund** (yibao-benefits): deductible, ratio, caps, against the year state;
//! 4. **catastrophic** (yibao-catastrophic): the increment on the year's cumulative burden,
//!    under the cap in force with its incentive raises.
//!
//! What the person pays is the rest: `amount − basic_fund − catastrophic`, to the fen.
//!
//! Absent is never zero (POLICY-NOTES, Conventions): a claim nothing is paid for, for a
//! reason other than arithmetic, carries [`ClaimReport::not_paid`] (not covered on the day,
//! a level or place the rule does not pay, transfer-out outpatient care, an exclusion); a
//! catastrophic part that depends on a figure the sources do not give is
//! [`CatastrophicPart::NotSettled`] with a [`CatastrophicUnsettled`] reason, and is settled
//! instead whenever it is the same whatever that figure (certain answers are given). Each
//! reason has a machine `code()` and an English sentence.
//!
//! [`settle`] explains every figure; [`settle_with`] chooses whether to
//! ([`Explain::FiguresOnly`] gives the same figures without the steps); [`settle_into`] writes
//! into a report reused from one person to the next, as a batch of millions of persons does;
//! [`settle_streamed`] gives each claim's report to a [`ClaimSink`] as it is settled and keeps
//! none, as a writer of a year of 100,000 explained claims wants.

use std::borrow::Cow;

use serde::Serialize;
pub use yibao_benefits::Explain;
use yibao_benefits::{Bill, Claim, ClaimKind, Person, SettleConfig, SettledClaim, YearState};
use yibao_catastrophic::{
    CapInForce, CatastrophicError, CatastrophicPolicy, Continuity, IncentiveHistory, PersonClass,
    RewardQuota,
};
use yibao_core::{KeyPath, NaiveDate, PolicyYear, RemoteCare, RuleId, Yuan};
use yibao_enrolment::{Cover, EnrolmentHistory, EnrolmentSection, Event, EventKind, Funding};
use yibao_filing::{CareQuery, Register};

use crate::policy::{Book, PolicyLibrary, Section};
use crate::scenario::{
    ClaimInput, ClaimKindName, EnrolmentEventName, FundingInput, IncentiveInput, Scenario,
};

/// Why a scenario could not be settled: the key path of the offending input and the reason.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SettleError {
    /// Where in the scenario (e.g. `claims[2].date`).
    pub path: KeyPath,
    /// What is wrong, with the value.
    pub message: String,
    /// How to fix it, when there is something to say.
    pub hint: Option<String>,
}

impl SettleError {
    fn at(path: KeyPath, message: impl Into<String>) -> SettleError {
        SettleError {
            path,
            message: message.into(),
            hint: None,
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> SettleError {
        self.hint = Some(hint.into());
        self
    }
}

/// The stage of the one-stop settlement a step belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
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

/// One explained step: which stage, which rule, what was done with which figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The stage.
    pub stage: Stage,
    /// The rule applied.
    pub rule: RuleId,
    /// What was done.
    pub text: String,
}

/// Whether the person was covered on the day of a claim.
///
/// JSON: `{"status": "covered"}`, `{"status": "assumed"}`, or
/// `{"status": "not_covered", "code": "…", "reason": "…", "rule": "H3"}` (see
/// [`NotCoveredReason`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoverStatus {
    /// Covered by the enrolment history.
    Covered,
    /// No enrolment history was given: cover is assumed.
    Assumed,
    /// Not covered; the fund pays nothing.
    NotCovered {
        /// Why (waiting period, suspension, no cover period).
        reason: NotCoveredReason,
    },
}

impl CoverStatus {
    /// The status as JSON and CSV write it: `covered`, `assumed`, `not_covered`.
    pub fn code(&self) -> &'static str {
        match self {
            CoverStatus::Covered => "covered",
            CoverStatus::Assumed => "assumed",
            CoverStatus::NotCovered { .. } => "not_covered",
        }
    }
}

impl Serialize for CoverStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("status", self.code())?;
        if let CoverStatus::NotCovered { reason } = self {
            map.serialize_entry("code", reason.code())?;
            map.serialize_entry("reason", &reason.to_string())?;
            if let Some(rule) = reason.rule() {
                map.serialize_entry("rule", &rule)?;
            }
        }
        map.end()
    }
}

/// Why a person is not covered on the day of a claim (H3, K9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotCoveredReason {
    /// In a waiting period (等待期, H3): paid outside the window or re-enrolled after a lapse.
    WaitingPeriod {
        /// The waiting period.
        range: yibao_core::DateRange,
        /// Why it applies.
        cause: yibao_enrolment::WaitingReason,
        /// The rule that set it.
        rule: RuleId,
    },
    /// Cover suspended (停卡, K9) until the day after a payment.
    Suspended {
        /// The first day suspended.
        from: NaiveDate,
        /// The day cover reopened, if it did.
        reopened_on: Option<NaiveDate>,
        /// The rule.
        rule: RuleId,
    },
    /// No cover period of the enrolment history contains the day (no payment for the year).
    NoCoverPeriod {
        /// The rule of the cover the history gives, if any.
        rule: Option<RuleId>,
    },
}

impl NotCoveredReason {
    /// The stable machine word: `waiting_period`, `suspended`, `no_cover_period`.
    pub fn code(&self) -> &'static str {
        match self {
            NotCoveredReason::WaitingPeriod { .. } => "waiting_period",
            NotCoveredReason::Suspended { .. } => "suspended",
            NotCoveredReason::NoCoverPeriod { .. } => "no_cover_period",
        }
    }

    /// The rule behind it, when there is one.
    pub fn rule(&self) -> Option<RuleId> {
        match self {
            NotCoveredReason::WaitingPeriod { rule, .. }
            | NotCoveredReason::Suspended { rule, .. } => Some(*rule),
            NotCoveredReason::NoCoverPeriod { rule } => *rule,
        }
    }
}

impl std::fmt::Display for NotCoveredReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotCoveredReason::WaitingPeriod { range, cause, .. } => write!(
                f,
                "in the waiting period {range} ({}): expenses are not paid",
                match cause {
                    yibao_enrolment::WaitingReason::PaidOutsideWindow =>
                        "paid outside the collection window",
                    yibao_enrolment::WaitingReason::ReEnrolledAfterLapse =>
                        "re-enrolled after a lapse",
                }
            ),
            NotCoveredReason::Suspended { from, .. } => write!(
                f,
                "cover suspended from {from}: expenses while suspended are not paid"
            ),
            NotCoveredReason::NoCoverPeriod { .. } => {
                f.write_str("not covered on this day by the enrolment history")
            }
        }
    }
}

/// Why neither fund pays anything for a claim, for a reason other than arithmetic: the
/// person is not covered on the day, or the basic fund's rule does not pay the claim.
///
/// [`NotPaidReason::code`] is a stable snake_case machine word, `Display` an English
/// sentence with the rule. JSON: `{"code": "…", "reason": "…", "rule": "H11"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotPaidReason {
    /// Not covered on the day (code `not_covered`).
    NotCovered(NotCoveredReason),
    /// Covered, but the basic fund's rule does not pay the claim (codes
    /// `level_not_paid`, `transfer_out_outpatient`, `excluded`).
    Benefit(yibao_benefits::NotPaidReason),
}

impl NotPaidReason {
    /// The stable machine word: `not_covered`, `level_not_paid`, `transfer_out_outpatient`,
    /// `excluded`.
    pub fn code(&self) -> &'static str {
        match self {
            NotPaidReason::NotCovered(_) => "not_covered",
            NotPaidReason::Benefit(reason) => reason.code(),
        }
    }

    /// The rule behind it, when there is one.
    pub fn rule(&self) -> Option<RuleId> {
        match self {
            NotPaidReason::NotCovered(reason) => reason.rule(),
            NotPaidReason::Benefit(reason) => Some(reason.rule()),
        }
    }
}

impl std::fmt::Display for NotPaidReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotPaidReason::NotCovered(reason) => match reason.rule() {
                Some(rule) => write!(f, "not covered: {reason} ({rule})"),
                None => write!(f, "not covered: {reason}"),
            },
            NotPaidReason::Benefit(reason) => reason.fmt(f),
        }
    }
}

impl Serialize for NotPaidReason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("code", self.code())?;
        map.serialize_entry("reason", &self.to_string())?;
        if let Some(rule) = self.rule() {
            map.serialize_entry("rule", &rule)?;
        }
        map.end()
    }
}

/// The catastrophic part of a claim.
///
/// JSON: `{"status": "settled", "paid": "…"}`, or `{"status": "not_settled", "code": "…",
/// "reason": "…"}` with `"banded_before_cap": "…"` when it is known (see
/// [`CatastrophicUnsettled`]). A part not settled is never written as an amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CatastrophicPart {
    /// Settled: this claim's increment (0 below the threshold).
    Settled {
        /// The increment.
        paid: Yuan,
    },
    /// Not settled, and why (no schedule for the year, the lapse cut not given …).
    NotSettled {
        /// Why.
        reason: CatastrophicUnsettled,
    },
}

impl CatastrophicPart {
    /// The amount paid: the settled increment, and 0 when not settled (what the person is
    /// paid now; use [`CatastrophicPart::settled`] to tell a settled 0 from a part not
    /// settled).
    pub fn paid(&self) -> Yuan {
        match self {
            CatastrophicPart::Settled { paid } => *paid,
            CatastrophicPart::NotSettled { .. } => Yuan::ZERO,
        }
    }

    /// The settled increment, `None` when the part is not settled.
    pub fn settled(&self) -> Option<Yuan> {
        match self {
            CatastrophicPart::Settled { paid } => Some(*paid),
            CatastrophicPart::NotSettled { .. } => None,
        }
    }

    /// Why the part is not settled, `None` when it is.
    pub fn not_settled(&self) -> Option<&CatastrophicUnsettled> {
        match self {
            CatastrophicPart::Settled { .. } => None,
            CatastrophicPart::NotSettled { reason } => Some(reason),
        }
    }
}

impl Serialize for CatastrophicPart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        match self {
            CatastrophicPart::Settled { paid } => {
                map.serialize_entry("status", "settled")?;
                map.serialize_entry("paid", paid)?;
            }
            CatastrophicPart::NotSettled { reason } => {
                map.serialize_entry("status", "not_settled")?;
                reason.serialize_entries(&mut map)?;
            }
        }
        map.end()
    }
}

/// Why a claim's catastrophic part is not settled: a figure it depends on is not given.
///
/// [`CatastrophicUnsettled::code`] is a stable snake_case machine word, `Display` an English
/// sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CatastrophicUnsettled {
    /// No catastrophic schedule is published for the year (Kunshan 2021): code
    /// `not_published`. Every claim's part is not settled, whatever its amount.
    NoSchedule {
        /// What the data say.
        reason: String,
    },
    /// Re-enrolled after a lapse: H7 lets the cap be lowered by an amount the sources do not
    /// give, and the payment would depend on it (code `lapse_cut_not_given`). A part that is
    /// the same whatever the cap (its banded amount is 0) is settled instead.
    LapseCutNotGiven {
        /// What the data say.
        note: String,
        /// H7.
        rule: RuleId,
        /// This claim's banded amount before any cap: `round(F(burden after)) −
        /// round(F(burden before))` with `F` the class's bands on the excess over the
        /// threshold (H19). In the totals, the sum over the claims not settled.
        banded_before_cap: Yuan,
    },
    /// The cap in force could not be computed from the person's history (an impossible
    /// incentive history …): code `cap_not_computed`.
    CapNotComputed {
        /// Why.
        reason: String,
    },
    /// The claim's basic fund is not settled (the sources give no rule for it, K8), so its
    /// share of the burden is unknown: code `basic_fund_not_settled`.
    BasicFundNotSettled {
        /// The rule whose gap it is.
        rule: RuleId,
    },
}

impl CatastrophicUnsettled {
    /// The stable machine word: `not_published`, `lapse_cut_not_given`, `cap_not_computed`,
    /// `basic_fund_not_settled`.
    pub fn code(&self) -> &'static str {
        match self {
            CatastrophicUnsettled::NoSchedule { .. } => "not_published",
            CatastrophicUnsettled::LapseCutNotGiven { .. } => "lapse_cut_not_given",
            CatastrophicUnsettled::CapNotComputed { .. } => "cap_not_computed",
            CatastrophicUnsettled::BasicFundNotSettled { .. } => "basic_fund_not_settled",
        }
    }

    /// The banded amount before any cap, when it is known.
    pub fn banded_before_cap(&self) -> Option<Yuan> {
        match self {
            CatastrophicUnsettled::LapseCutNotGiven {
                banded_before_cap, ..
            } => Some(*banded_before_cap),
            _ => None,
        }
    }

    fn serialize_entries<M: serde::ser::SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        map.serialize_entry("code", self.code())?;
        map.serialize_entry("reason", &self.to_string())?;
        if let Some(banded) = self.banded_before_cap() {
            map.serialize_entry("banded_before_cap", &banded)?;
        }
        Ok(())
    }
}

impl std::fmt::Display for CatastrophicUnsettled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CatastrophicUnsettled::NoSchedule { reason } => f.write_str(reason),
            CatastrophicUnsettled::LapseCutNotGiven {
                note,
                rule,
                banded_before_cap,
            } => write!(
                f,
                "the cap after a lapse is not given by the source ({rule}): {note}; banded amount before any cap {banded_before_cap}"
            ),
            CatastrophicUnsettled::CapNotComputed { reason } => f.write_str(reason),
            CatastrophicUnsettled::BasicFundNotSettled { rule } => write!(
                f,
                "the claim's basic fund is not settled ({rule}), so its share of the burden is not known"
            ),
        }
    }
}

impl Serialize for CatastrophicUnsettled {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        self.serialize_entries(&mut map)?;
        map.end()
    }
}

/// Why a claim's basic fund is not settled: the sources give no rule for it (K8: remote care
/// without a filing in Kunshan). The claim is paid nothing for now and takes no part in the
/// year: later claims are settled as if it were not there (deductibles, caps, ladder and
/// catastrophic burden), and a note of the report says so.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BasicNotSettled {
    /// The rule whose gap it is.
    pub rule: RuleId,
    /// Why, with what the source says and does not say.
    pub reason: String,
}

/// The settlement of one claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
    fn add(&mut self, claim: &ClaimReport) -> Result<(), yibao_core::MoneyError> {
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
        let summed = Totals {
            claims: self.claims + 1,
            covered_claims: self.covered_claims
                + usize::from(!matches!(claim.cover, CoverStatus::NotCovered { .. })),
            amount: self.amount.checked_add(claim.amount)?,
            basic_fund: self.basic_fund.checked_add(claim.basic_fund)?,
            catastrophic: self.catastrophic.checked_add(claim.catastrophic.paid())?,
            fiscal_subsidy: self.fiscal_subsidy.checked_add(claim.fiscal_subsidy)?,
            personal: self.personal.checked_add(claim.personal)?,
            // Last: every sum above has succeeded.
            catastrophic_not_settled: unsettled.or_else(|| self.catastrophic_not_settled.take()),
        };
        *self = summed;
        Ok(())
    }
}

/// What this year carries into next year's catastrophic cap (H7).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
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
    pub notes: Vec<Cow<'static, str>>,
    /// Caps in force computed for earlier persons settled into this report.
    #[serde(skip)]
    kept_caps: KeptCaps,
}

/// What a cap in force is computed from: a library's book (its books never change) and the
/// person's incentive history, with or without its explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
struct CapSource {
    library: u64,
    jurisdiction: String,
    year: PolicyYear,
    history: IncentiveHistory,
    explain: Explain,
}

/// How many caps in force a report keeps.
const KEPT_CAPS: usize = 8;

/// The caps in force of the last few distinct sources settled into a report: a later
/// person with the same source gets a copy instead of a new computation (a batch's persons
/// share a handful of incentive histories). Not part of the report's value: two reports
/// compare equal whatever they keep, and this is neither serialised nor printed.
#[derive(Clone, Default)]
struct KeptCaps(Vec<(CapSource, CapInForce)>);

impl PartialEq for KeptCaps {
    fn eq(&self, _: &KeptCaps) -> bool {
        true
    }
}

impl Eq for KeptCaps {}

impl std::fmt::Debug for KeptCaps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeptCaps({})", self.0.len())
    }
}

impl SettlementReport {
    /// A report of nothing for `year`, to be filled by [`settle_into`].
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
            kept_caps: KeptCaps::default(),
        }
    }
}

impl ClaimReport {
    /// A report of nothing yet, for [`settle_into`] to overwrite.
    fn blank(date: NaiveDate) -> ClaimReport {
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

/// Settles a scenario against the library's policy book for its jurisdiction and year.
///
/// # Errors
/// [`SettleError`] naming the offending input: no book, a section the sources do not give,
/// a claim outside the year, a malformed claim, a domain error.
pub fn settle(
    library: &PolicyLibrary,
    scenario: &Scenario,
) -> Result<SettlementReport, SettleError> {
    settle_with(library, scenario, Explain::Steps)
}

/// [`settle`], choosing whether each claim explains itself: with [`Explain::FiguresOnly`]
/// the figures are the same and every claim's `steps` (and its basic settlement's trace)
/// stay empty, which is what a batch of millions of claims wants.
///
/// # Errors
/// As [`settle`].
pub fn settle_with(
    library: &PolicyLibrary,
    scenario: &Scenario,
    explain: Explain,
) -> Result<SettlementReport, SettleError> {
    let mut report = SettlementReport::empty(scenario.year);
    settle_into(library, scenario, explain, &mut report)?;
    Ok(report)
}

/// [`settle_with`], writing the report into `out`, whose lists and text keep their
/// allocations from one person to the next (what a batch of millions of persons wants).
/// Every field of `out` is overwritten; after an error its content is unspecified.
///
/// # Errors
/// As [`settle`].
pub fn settle_into(
    library: &PolicyLibrary,
    scenario: &Scenario,
    explain: Explain,
    out: &mut SettlementReport,
) -> Result<(), SettleError> {
    settle_claims(library, scenario, explain, out, None)
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

/// Where [`settle_streamed`] puts the report as it goes: its head, then each claim's report,
/// one at a time (the report of a claim is not kept once given).
pub trait ClaimSink {
    /// Before the first claim. `Break` stops the settlement (the sink keeps why).
    fn head(&mut self, head: &Head<'_>) -> std::ops::ControlFlow<()>;
    /// Each claim, in settlement (date) order. `Break` stops the settlement.
    fn claim(&mut self, claim: &ClaimReport) -> std::ops::ControlFlow<()>;
}

/// [`settle_with`], giving each claim's report to `sink` as it is settled instead of keeping
/// it: a year of 100,000 explained claims is never held whole. The report returned has
/// everything but the claims (`claims` is empty). When the sink stops the settlement, the
/// report returned is incomplete: the sink knows why.
///
/// # Errors
/// As [`settle`]; the claims before the offending one have been given to the sink.
pub fn settle_streamed(
    library: &PolicyLibrary,
    scenario: &Scenario,
    explain: Explain,
    sink: &mut dyn ClaimSink,
) -> Result<SettlementReport, SettleError> {
    let mut report = SettlementReport::empty(scenario.year);
    settle_claims(library, scenario, explain, &mut report, Some(sink))?;
    Ok(report)
}

/// [`settle_into`], or [`settle_streamed`] when there is a sink.
fn settle_claims(
    library: &PolicyLibrary,
    scenario: &Scenario,
    explain: Explain,
    out: &mut SettlementReport,
    mut sink: Option<&mut dyn ClaimSink>,
) -> Result<(), SettleError> {
    out.notes.clear();
    // The claims' reports of the person before are overwritten in place (a claim's report
    // is large, and its basic settlement and lists keep their allocations); the list is
    // cut to this person's claims at the end (after an error it may hold earlier ones).
    let mut filled = 0;
    let notes = &mut out.notes;
    let reports = &mut out.claims;
    let explained = explain == Explain::Steps;
    let book = library
        .book(&scenario.jurisdiction, scenario.year)
        .map_err(|e| SettleError::at(KeyPath::root().key("jurisdiction"), e.to_string()))?;
    // The benefit tables are needed only to settle claims: a year of filings or enrolment
    // alone can be settled where the sources give no benefits (Wujiang).
    let benefits = match (&book.benefits, scenario.claims.is_empty()) {
        (Section::Present(b), _) => Some(b),
        (_, true) => None,
        (Section::Absent { reason }, false) => {
            return Err(SettleError::at(
                KeyPath::root().key("jurisdiction"),
                format!(
                    "cannot settle claims in {} {}: {reason}",
                    book.jurisdiction, book.year
                ),
            ));
        }
        (Section::NotGiven, false) => {
            return Err(SettleError::at(
                KeyPath::root().key("jurisdiction"),
                format!(
                    "the policy data gives no benefits for {} {}",
                    book.jurisdiction, book.year
                ),
            ));
        }
    };
    let rounding = book.rounding();
    let config = benefits.map(|benefits| {
        SettleConfig::new(
            benefits,
            book.remote_care.present(),
            rounding,
            scenario.class_b_personal_share,
            explain,
        )
    });
    let person = Person::new(scenario.person.group, scenario.person.family_doctor);

    // 1. Cover and continuity from the enrolment history.
    let history = enrolment_history(scenario)?;
    let enrolment = book.enrolment.present();
    let cover = match (&history, enrolment) {
        (Some(history), Some(section)) => Some(
            section
                .cover(history, scenario.year)
                .map_err(|e| SettleError::at(KeyPath::root().key("enrolment"), e.to_string()))?,
        ),
        (Some(_), None) => {
            return Err(SettleError::at(
                KeyPath::root().key("enrolment"),
                format!(
                    "the policy data gives no enrolment rules for {} {}, so the enrolment history cannot be read",
                    book.jurisdiction, book.year
                ),
            ));
        }
        (None, _) => {
            notes.push("no enrolment history was given: cover is assumed for every claim".into());
            None
        }
    };
    if let (Some(category), Some(section)) = (&scenario.person.category, enrolment) {
        section
            .category(&yibao_enrolment::CategoryId::new(category.clone()))
            .map_err(|e| {
                SettleError::at(KeyPath::root().key("person").key("category"), e.to_string())
            })?;
    }

    let contributions = contributions(scenario, enrolment, notes)?;
    let filings = match (book.filing.present(), scenario.filings.is_empty()) {
        (Some(policy), false) => Register::replay(
            &scenario.filings,
            scenario.year.last_day(),
            &library.calendar,
            policy,
        )
        .map_err(|e| SettleError::at(KeyPath::root().key("filings"), e.to_string()))?
        .filings()
        .map(|(id, state)| (id.clone(), state.clone()))
        .collect(),
        (None, false) => {
            return Err(SettleError::at(
                KeyPath::root().key("filings"),
                format!(
                    "the policy data gives no filing rules for {} {}",
                    book.jurisdiction, book.year
                ),
            ));
        }
        (_, true) => std::collections::BTreeMap::new(),
    };

    // 4 (prepared). The catastrophic schedule and the cap in force.
    let catastrophic = CatastrophicYear::prepare(
        book,
        scenario,
        history.as_ref(),
        enrolment,
        explain,
        library.id(),
        &mut out.kept_caps.0,
    )?;
    if catastrophic.class == PersonClass::MedicalAidRecipient {
        notes.push(MEDICAL_AID_NOTE.into());
    }
    if let Err(unavailable) = &catastrophic.schedule {
        notes.push(unavailable.note().into());
    }

    if let Some(sink) = sink.as_deref_mut() {
        let head = Head {
            jurisdiction: &book.jurisdiction,
            year: book.year,
            person: scenario.person.id.as_deref(),
            cover: cover.as_ref(),
            contributions: &contributions,
            filings: &filings,
            catastrophic_class: catastrophic.class,
            cap_in_force: catastrophic.schedule.as_ref().ok().map(|(_, cap)| cap),
        };
        if sink.head(&head).is_break() {
            return Ok(());
        }
    }

    // Claims in date order; same-day claims keep their order.
    // (Usually they come in order, and no list of positions is needed.)
    let resorted: Option<Vec<usize>> = (!scenario.claims.is_sorted_by_key(|c| c.date)).then(|| {
        let mut order: Vec<usize> = (0..scenario.claims.len()).collect();
        order.sort_by_key(|&i| scenario.claims[i].date);
        order
    });
    let order = (0..scenario.claims.len()).map(|i| {
        resorted
            .as_ref()
            .and_then(|o| o.get(i).copied())
            .unwrap_or(i)
    });

    // The one-stop settlement never reverses a claim: no journal.
    let mut state = YearState::without_reversal(scenario.year);
    let mut burden = Yuan::ZERO;
    let mut reward_quota_used = false;
    reports.reserve(scenario.claims.len());
    let mut totals = Totals::default();
    for index in order {
        let input = &scenario.claims[index];
        let at = ClaimPath(index);
        if !scenario.year.contains(input.date) {
            return Err(SettleError::at(
                at.path().key("date"),
                format!(
                    "the claim is dated {} but the scenario settles policy year {}",
                    input.date, scenario.year
                ),
            )
            .hint("settle each policy year in its own scenario"));
        }
        let amount = bill_total(input, at)?;
        // This claim's report: the slot of the claim at the same place before, or a new one.
        if filled == reports.len() {
            reports.push(ClaimReport::blank(input.date));
        }
        let Some(report) = reports.get_mut(filled) else {
            // Unreachable: a slot was pushed just above when there was none.
            return Err(SettleError::at(at.path(), "the claim's report was lost"));
        };
        filled += 1;
        report.steps.clear();
        let steps = &mut report.steps;

        // 1. Cover on the day.
        let cover_status = match &cover {
            None => CoverStatus::Assumed,
            Some(cover) if cover.is_covered_on(input.date) => {
                let period = cover.periods.iter().find(|p| p.range.contains(input.date));
                if let (true, Some(period)) = (explained, period) {
                    steps.push(Step {
                        stage: Stage::Cover,
                        rule: period.rule,
                        text: format!("covered on {}: cover period {}", input.date, period.range),
                    });
                }
                CoverStatus::Covered
            }
            Some(cover) => {
                let reason = uncovered_reason(cover, input.date);
                if let (true, Some(rule)) = (explained, reason.rule()) {
                    steps.push(Step {
                        stage: Stage::Cover,
                        rule,
                        text: reason.to_string(),
                    });
                }
                CoverStatus::NotCovered { reason }
            }
        };

        // 2. Remote-care treatment.
        let (remote_care, route) = match (&input.place, input.remote_care) {
            (None, None) => (RemoteCare::Local, None),
            (Some(_), Some(_)) => {
                return Err(SettleError::at(
                    at.path().key("remote_care"),
                    "the claim gives both `place` and `remote_care`",
                )
                .hint("give `place` to have the filings decide, or `remote_care` when the treatment is known"));
            }
            (None, Some(treatment)) => (treatment, None),
            (Some(area), None) => {
                let Some(policy) = book.filing.present() else {
                    return Err(SettleError::at(
                        at.path().key("place"),
                        format!(
                            "the policy data gives no filing rules for {} {}, so care at `{area}` cannot be assessed",
                            book.jurisdiction, book.year
                        ),
                    ));
                };
                let events: Vec<_> = scenario
                    .filings
                    .iter()
                    .filter(|e| e.on <= input.date)
                    .cloned()
                    .collect();
                let register = Register::replay(&events, input.date, &library.calendar, policy)
                    .map_err(|e| SettleError::at(KeyPath::root().key("filings"), e.to_string()))?;
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
                .map_err(|e| SettleError::at(at.path().key("place"), e.to_string()))?;
                for step in assessment.trace.iter().filter(|_| explained) {
                    steps.push(Step {
                        stage: Stage::RemoteCare,
                        rule: step.rule,
                        text: step.description.clone(),
                    });
                }
                for note in assessment.notes {
                    if !notes.iter().any(|n| n.as_ref() == note) {
                        notes.push(note.into());
                    }
                }
                (assessment.treatment, Some(assessment.settlement))
            }
        };
        // K8: care the sources give no rule for (unfiled remote care in Kunshan): this claim's
        // basic fund is not settled, and the year goes on as if it were not there.
        let not_settled = match (&cover_status, config.as_ref().and_then(|c| c.remote_care)) {
            (CoverStatus::NotCovered { .. }, _) | (_, None) => None,
            (_, Some(rc)) => rc.not_given(remote_care).map(|note| BasicNotSettled {
                rule: rc.rules.first(),
                reason: format!("{remote_care} care: {note}"),
            }),
        };

        // 3. Basic fund, and 4. catastrophic, for covered claims only. Every field of the
        // kept report is named, so that none can be left from the claim before.
        let ClaimReport {
            index: report_index,
            id,
            date,
            kind,
            level,
            amount: report_amount,
            cover: report_cover,
            remote_care: report_remote_care,
            settlement_route,
            eligible,
            class_c,
            outside_scope,
            deductible,
            basic_fund,
            not_paid,
            basic_fund_not_settled,
            catastrophic: report_catastrophic,
            fiscal_subsidy,
            personal,
            basic: _,
            manual_claim_deadline,
            steps: _,
        } = report;
        *report_index = index;
        id.clone_from(&input.id);
        *date = input.date;
        *kind = input.kind;
        *level = input.level;
        *report_amount = amount;
        *not_paid = match cover_status {
            CoverStatus::NotCovered { reason } => Some(NotPaidReason::NotCovered(reason)),
            CoverStatus::Covered | CoverStatus::Assumed => None,
        };
        *report_cover = cover_status;
        *report_remote_care = remote_care;
        *settlement_route = route;
        *eligible = Yuan::ZERO;
        *class_c = input.class_c.unwrap_or(Yuan::ZERO);
        *outside_scope = Yuan::ZERO;
        *deductible = Yuan::ZERO;
        *basic_fund = Yuan::ZERO;
        *basic_fund_not_settled = None;
        *report_catastrophic = CatastrophicPart::Settled { paid: Yuan::ZERO };
        *fiscal_subsidy = Yuan::ZERO;
        *personal = amount;
        *manual_claim_deadline = None;
        // `basic` is written below: by the basic-fund settlement, or `None` when not covered.
        if route == Some(yibao_filing::Settlement::ManualClaim) {
            if let Some(policy) = book.filing.present() {
                match yibao_filing::manual_claim_deadline(input.date, policy) {
                    Ok(deadline) => {
                        for step in deadline.trace.iter().filter(|_| explained) {
                            report.steps.push(Step {
                                stage: Stage::RemoteCare,
                                rule: step.rule,
                                text: step.description.clone(),
                            });
                        }
                        report.manual_claim_deadline = Some(deadline.final_day);
                    }
                    Err(e) => notes.push(
                        format!("manual-claim deadline for the claim of {}: {e}", input.date)
                            .into(),
                    ),
                }
            }
        }
        if matches!(report.cover, CoverStatus::NotCovered { .. }) {
            report.basic = None;
        } else if let Some(why) = not_settled {
            not_settled_claim(report, why, explained, notes);
        } else {
            let Some(config) = config.as_ref() else {
                // Unreachable: a scenario with claims has its benefit tables (checked above).
                return Err(SettleError::at(
                    at.path(),
                    "no benefit rules to settle the claim",
                ));
            };
            let claim = to_claim(input, remote_care, at)?;
            let basic_error =
                |e: yibao_benefits::BenefitError| SettleError::at(at.path(), e.to_string());
            match report.basic.as_mut() {
                // Settled in place, into the basic settlement of the claim before.
                Some(kept) => {
                    yibao_benefits::settle_into(&mut state, config, &person, &claim, kept)
                        .map_err(basic_error)?
                }
                None => {
                    report.basic = Some(
                        yibao_benefits::settle(&mut state, config, &person, &claim)
                            .map_err(basic_error)?,
                    );
                }
            }
            let Some(settled) = report.basic.as_mut() else {
                // Unreachable: the settlement was written just above.
                return Err(SettleError::at(
                    at.path(),
                    "the claim's basic settlement was lost",
                ));
            };
            // The basic-fund steps move into the claim's steps (not copied: `basic` keeps
            // the figures, `steps` the one explanation).
            for step in settled.trace.drain(..) {
                report.steps.push(Step {
                    stage: Stage::BasicFund,
                    rule: step.rule,
                    text: step.text,
                });
            }
            report.eligible = settled.eligible;
            report.outside_scope = settled.outside_scope;
            report.deductible = settled.deductible;
            report.basic_fund = settled.fund_paid;
            report.not_paid = settled.not_paid.map(NotPaidReason::Benefit);
            let after = burden
                .checked_add(settled.catastrophic_base)
                .map_err(|e| SettleError::at(at.path(), e.to_string()))?;
            report.catastrophic = match &catastrophic.schedule {
                Err(unavailable) => {
                    let part = unavailable.part(
                        catastrophic.class,
                        burden,
                        after,
                        rounding,
                        settled.catastrophic_base.is_zero(),
                    );
                    if let (true, Some(step)) = (explained, unavailable.step(&part)) {
                        report.steps.push(step);
                    }
                    part
                }
                // A claim that adds nothing to the burden adds nothing to the catastrophic
                // payment: round(F(b)) − round(F(b)) = 0.
                Ok(_) if settled.catastrophic_base.is_zero() => {
                    CatastrophicPart::Settled { paid: Yuan::ZERO }
                }
                Ok((schedule, cap)) => {
                    let part = schedule
                        .settle_claim_with(
                            catastrophic.class,
                            burden,
                            after,
                            cap,
                            rounding,
                            explain,
                        )
                        .map_err(|e| SettleError::at(at.path(), e.to_string()))?;
                    if explained {
                        for step in &part.trace {
                            report.steps.push(Step {
                                stage: Stage::Catastrophic,
                                rule: step.rule,
                                text: step.description.clone(),
                            });
                        }
                    }
                    reward_quota_used |= part.reward_quota == RewardQuota::Used;
                    CatastrophicPart::Settled { paid: part.payment }
                }
            };
            burden = after;
            if let Some(base) = settled.maternity_subsidy_base {
                report.fiscal_subsidy = base.saturating_sub(report.catastrophic.paid());
                if let (true, false, Some(rule)) = (
                    explained,
                    report.fiscal_subsidy.is_zero(),
                    maternity_rule(config.benefits),
                ) {
                    report.steps.push(Step {
                        stage: Stage::BasicFund,
                        rule,
                        text: format!(
                            "delivery: the in-catalogue costs left after basic and catastrophic insurance, {}, are paid by a fiscal subsidy (medical aid is not modelled)",
                            report.fiscal_subsidy
                        ),
                    });
                }
            }
            report.personal = amount
                .checked_sub(report.basic_fund)
                .and_then(|rest| rest.checked_sub(report.catastrophic.paid()))
                .and_then(|rest| rest.checked_sub(report.fiscal_subsidy))
                .map_err(|e| SettleError::at(at.path(), format!("the parts do not add up: {e}")))?;
        }
        totals
            .add(report)
            .map_err(|e| SettleError::at(KeyPath::root().key("claims"), e.to_string()))?;
        if let Some(sink) = sink.as_deref_mut() {
            // Given, and not kept: the next claim is settled into the same slot.
            filled = 0;
            if sink.claim(report).is_break() {
                return Ok(());
            }
        }
    }

    let zero_reimbursement = totals.basic_fund.is_zero() && totals.catastrophic.is_zero();
    next_year(
        &mut out.next_year,
        scenario,
        &catastrophic,
        zero_reimbursement,
        reward_quota_used,
    );
    out.jurisdiction.clone_from(&book.jurisdiction);
    out.year = book.year;
    out.person.clone_from(&scenario.person.id);
    out.cover = cover;
    out.contributions = contributions;
    out.filings = filings;
    out.catastrophic_class = catastrophic.class;
    out.cap_in_force = catastrophic.schedule.ok().map(|(_, cap)| cap);
    out.totals = totals;
    out.claims.truncate(filled);
    Ok(())
}

/// Marks a claim whose basic fund the sources give no rule for (K8): nothing paid for now, the
/// catastrophic part not settled, the year state untouched, and a note saying so.
fn not_settled_claim(
    report: &mut ClaimReport,
    why: BasicNotSettled,
    explained: bool,
    notes: &mut Vec<Cow<'static, str>>,
) {
    report.basic = None;
    report.catastrophic = CatastrophicPart::NotSettled {
        reason: CatastrophicUnsettled::BasicFundNotSettled { rule: why.rule },
    };
    if explained {
        report.steps.push(Step {
            stage: Stage::RemoteCare,
            rule: why.rule,
            text: format!("basic fund not settled: {}", why.reason),
        });
    }
    let claim = report
        .id
        .as_ref()
        .map_or_else(String::new, |id| format!(" ({id})"));
    notes.push(
        format!(
            "the claim of {}{claim} is not settled: {}; the year's other claims are settled as if it were not in the year",
            report.date, why.reason
        )
        .into(),
    );
    report.basic_fund_not_settled = Some(why);
}

/// The catastrophic schedule and cap for the year, or why there is none.
struct CatastrophicYear<'l> {
    class: PersonClass,
    continuity: Continuity,
    history: IncentiveHistory,
    schedule: Result<(&'l CatastrophicPolicy, CapInForce), Unavailable<'l>>,
}

/// Why the year has no cap in force to settle catastrophic parts with.
enum Unavailable<'l> {
    /// No schedule for the year.
    NoSchedule(String),
    /// Re-enrolled after a lapse: the cap may be lowered by an amount not given (H7).
    LapseCutNotGiven {
        policy: &'l CatastrophicPolicy,
        note: String,
        rule: RuleId,
    },
    /// The cap could not be computed from the person's history.
    CapNotComputed(String),
}

impl Unavailable<'_> {
    /// The report's note.
    fn note(&self) -> String {
        match self {
            Unavailable::NoSchedule(reason) | Unavailable::CapNotComputed(reason) => {
                format!("catastrophic insurance not settled: {reason}")
            }
            Unavailable::LapseCutNotGiven { note, rule, .. } => format!(
                "catastrophic insurance: the cap after a lapse is not given by the source ({rule}): {note}; a claim's part is settled when it is the same whatever the cap (its banded amount is 0), otherwise it is not settled and its banded amount before any cap is given"
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
        let text = match part.not_settled().and_then(|r| r.banded_before_cap()) {
            Some(banded) => format!(
                "re-enrolled after a lapse: the cap may be lowered by an amount the source does not give; this claim's banded amount before any cap is {banded}, so its payment depends on that cap: not settled"
            ),
            None => "re-enrolled after a lapse: the cap may be lowered by an amount the source does not give; this claim's banded amount is 0, so it pays 0 whatever the cap".to_owned(),
        };
        Some(Step {
            stage: Stage::Catastrophic,
            rule: *rule,
            text,
        })
    }
}

/// H24 (Q13 6.; POLICY-NOTES H1): medical aid comes after basic and catastrophic insurance,
/// but the sources give no formula, so it is not settled (and not 0).
const MEDICAL_AID_NOTE: &str = "medical aid (医疗救助, H24) is paid after basic and catastrophic insurance to medical-aid recipients, but the sources give no formula: it is not settled here, and the person's part is before medical aid";

impl<'l> CatastrophicYear<'l> {
    /// The class (H1: the category's unless the scenario contradicts it, which is refused),
    /// the continuity and the cap in force.
    fn prepare(
        book: &'l Book,
        scenario: &Scenario,
        enrolment_history: Option<&EnrolmentHistory>,
        enrolment: Option<&EnrolmentSection>,
        explain: Explain,
        library: u64,
        kept: &mut Vec<(CapSource, CapInForce)>,
    ) -> Result<CatastrophicYear<'l>, SettleError> {
        let none = IncentiveInput::default();
        let input = scenario.incentives.as_ref().unwrap_or(&none);
        // Continuity only matters for a catastrophic cap: it is counted only when the year
        // has a schedule, and a failure to count it leaves catastrophic insurance unsettled.
        let counted = if input.re_enrolled_after_lapse {
            Ok(Continuity::ReEnrolledAfterLapse)
        } else if let Some(years) = input.consecutive_years {
            Ok(Continuity::Consecutive { years })
        } else {
            match (enrolment_history, enrolment, &book.catastrophic) {
                (Some(history), Some(section), Section::Present(_)) => {
                    continuity_from_history(section, history, scenario.year)
                }
                _ => Ok(Continuity::Consecutive { years: 1 }),
            }
        };
        let continuity = counted
            .clone()
            .unwrap_or(Continuity::Consecutive { years: 1 });
        let mut history = IncentiveHistory::new(continuity);
        history.zero_reimbursement_years = input.zero_reimbursement_years.iter().copied().collect();
        history.reward_quota_used_years = input.reward_quota_used_years.iter().copied().collect();
        let of_category = match (&book.catastrophic, &scenario.person.category) {
            (Section::Present(policy), Some(category)) => policy.class_of_category(category),
            _ => None,
        };
        let class = scenario
            .person
            .catastrophic_class_with(of_category)
            .map_err(|e| {
                SettleError::at(
                    KeyPath::root().key("person").key("catastrophic_class"),
                    e.to_string(),
                )
                .hint("remove `catastrophic_class` to take the category's class, or give the category that matches")
            })?;
        let schedule = match (&book.catastrophic, counted) {
            (Section::Present(_), Err(reason)) => Err(Unavailable::CapNotComputed(reason)),
            (Section::Present(policy), Ok(_)) => {
                let same = |s: &CapSource| {
                    s.library == library
                        && s.year == book.year
                        && s.explain == explain
                        && s.history == history
                        && s.jurisdiction == book.jurisdiction
                };
                match kept.iter().find(|(source, _)| same(source)) {
                    Some((_, cap)) => Ok((policy, cap.clone())),
                    None => {
                        let computed = policy
                            .cap_in_force_with(book.year, &history, explain)
                            .map_err(|e| match e {
                                CatastrophicError::LapseCutNotGiven { note, rule } => {
                                    Unavailable::LapseCutNotGiven { policy, note, rule }
                                }
                                other => Unavailable::CapNotComputed(other.to_string()),
                            });
                        if let Ok(cap) = &computed {
                            if kept.len() == KEPT_CAPS {
                                kept.remove(0);
                            }
                            let source = CapSource {
                                library,
                                jurisdiction: book.jurisdiction.clone(),
                                year: book.year,
                                history: history.clone(),
                                explain,
                            };
                            kept.push((source, cap.clone()));
                        }
                        computed.map(|cap| (policy, cap))
                    }
                }
            }
            (Section::Absent { reason }, _) => Err(Unavailable::NoSchedule(reason.clone())),
            (Section::NotGiven, _) => Err(Unavailable::NoSchedule(format!(
                "the policy data holds no catastrophic schedule for {} {}",
                book.jurisdiction, book.year
            ))),
        };
        Ok(CatastrophicYear {
            class,
            continuity,
            history,
            schedule,
        })
    }
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

fn next_year(
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
    // The lists keep their allocations from one person to the next.
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

fn contributions(
    scenario: &Scenario,
    enrolment: Option<&EnrolmentSection>,
    notes: &mut Vec<Cow<'static, str>>,
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
        notes.push("no person category given: the contributions paid are not computed".into());
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
                notes.push(
                    format!(
                        "the contribution paid on {} is not computed: {e}",
                        payment.on
                    )
                    .into(),
                );
                continue;
            }
            Err(e) => {
                return Err(SettleError::at(
                    KeyPath::root().key("enrolment").index(i),
                    e.to_string(),
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
                .map(|s| Step {
                    stage: Stage::Cover,
                    rule: s.rule,
                    text: s.description.clone(),
                })
                .collect(),
        });
    }
    Ok(out)
}

/// The rule a delivery's fiscal subsidy cites: the data's maternity table (H15).
fn maternity_rule(benefits: &yibao_benefits::BenefitParams) -> Option<RuleId> {
    benefits.maternity.as_ref().map(|m| m.rules.first())
}

fn enrolment_history(scenario: &Scenario) -> Result<Option<EnrolmentHistory>, SettleError> {
    if scenario.enrolment.is_empty() {
        return Ok(None);
    }
    let born = scenario.person.born.ok_or_else(|| {
        SettleError::at(
            KeyPath::root().key("person"),
            "an enrolment history needs the person's date of birth",
        )
        .hint("add `born = \"YYYY-MM-DD\"` to [person]")
    })?;
    let mut events = Vec::with_capacity(scenario.enrolment.len());
    for (i, input) in scenario.enrolment.iter().enumerate() {
        let kind = match input.event {
            EnrolmentEventName::Payment => {
                let year = input.year.ok_or_else(|| {
                    SettleError::at(
                        KeyPath::root().key("enrolment").index(i),
                        "a payment needs the policy year it pays for",
                    )
                    .hint("add `year = 2026` to the payment")
                })?;
                let funding = match input.funding.unwrap_or(FundingInput::Ordinary) {
                    FundingInput::Ordinary => Funding::Ordinary,
                    FundingInput::CityFundedNewAidRecipient => Funding::CityFundedNewAidRecipient,
                };
                EventKind::Payment { year, funding }
            }
            EnrolmentEventName::VeteranStatusChange => EventKind::VeteranStatusChange,
            EnrolmentEventName::JoinedEmployeeInsurance => EventKind::JoinedEmployeeInsurance,
            EnrolmentEventName::LeftEmployeeInsurance => EventKind::LeftEmployeeInsurance,
            EnrolmentEventName::Graduated => EventKind::Graduated,
        };
        events.push(Event::new(input.on, kind));
    }
    Ok(Some(EnrolmentHistory::new(born, events)))
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

/// Where a scenario's claim is (`claims[i]`), made into a [`KeyPath`] only when an error needs
/// it.
#[derive(Clone, Copy)]
struct ClaimPath(usize);

impl ClaimPath {
    fn path(self) -> KeyPath {
        KeyPath::root().key("claims").index(self.0)
    }
}

fn bill_total(input: &ClaimInput, at: ClaimPath) -> Result<Yuan, SettleError> {
    match (input.amount, input.class_a, input.class_b, input.class_c) {
        (Some(amount), None, None, None) => Ok(amount),
        (None, a, b, c) if a.is_some() || b.is_some() || c.is_some() => {
            Yuan::checked_sum([a, b, c].into_iter().flatten())
                .map_err(|e| SettleError::at(at.path(), e.to_string()))
        }
        (None, ..) => Err(SettleError::at(at.path(), "the claim has no amount")
            .hint("give `amount`, or the split `class_a`, `class_b`, `class_c`")),
        (Some(_), ..) => Err(SettleError::at(
            at.path().key("amount"),
            "the claim gives both `amount` and a class split",
        )
        .hint("give one of them")),
    }
}

fn required<T: Copy>(
    value: Option<T>,
    at: ClaimPath,
    field: &str,
    kind: &str,
) -> Result<T, SettleError> {
    value.ok_or_else(|| {
        let article = if kind.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        SettleError::at(at.path(), format!("{article} {kind} claim needs `{field}`"))
            .hint(format!("add `{field}` to the claim"))
    })
}

/// The benefits crate's claim for a scenario claim.
fn to_claim(
    input: &ClaimInput,
    remote_care: RemoteCare,
    at: ClaimPath,
) -> Result<Claim, SettleError> {
    use yibao_benefits::{SpecialDiseaseCatalogue, SpecialDiseaseClass};
    let kind = match input.kind {
        ClaimKindName::OutpatientGeneral => ClaimKind::GeneralOutpatient {
            consultation_fee: input.consultation_fee.unwrap_or(Yuan::ZERO),
        },
        ClaimKindName::TwoDiseaseDrugs => ClaimKind::TwoDiseaseDrugs {
            cover: required(input.two_disease, at, "two_disease", "two-disease drug")?,
        },
        ClaimKindName::SpecialDisease => ClaimKind::SpecialDisease {
            class: input.disease_class.unwrap_or(SpecialDiseaseClass::Other),
            catalogue: input
                .catalogue
                .unwrap_or(SpecialDiseaseCatalogue::Provincial),
        },
        ClaimKindName::Inpatient => ClaimKind::Inpatient,
        ClaimKindName::DaySurgery => ClaimKind::DaySurgery,
        ClaimKindName::DualChannelDrugs => ClaimKind::DualChannelDrugs,
        ClaimKindName::MaternityDelivery => ClaimKind::MaternityDelivery {
            province: input
                .province
                .unwrap_or(yibao_benefits::Province::SameProvince),
        },
        ClaimKindName::Emergency => ClaimKind::Emergency {
            outcome: required(
                input.emergency_outcome,
                at,
                "emergency_outcome",
                "emergency",
            )?,
        },
    };
    let bill = match (input.amount, input.class_a, input.class_b, input.class_c) {
        (Some(amount), None, None, None) => Bill::Eligible(amount),
        _ => Bill::Classes {
            class_a: input.class_a.unwrap_or(Yuan::ZERO),
            class_b: input.class_b.unwrap_or(Yuan::ZERO),
            class_c: input.class_c.unwrap_or(Yuan::ZERO),
        },
    };
    Ok(Claim::new(input.date, kind, input.level, Yuan::ZERO)
        .with_bill(bill)
        .with_designation(input.designation)
        .with_remote_care(remote_care)
        .with_accident(input.accident)
        .with_exclusions(input.exclusions.clone()))
}

/// A person's cover for the year and their consecutive years (H6), from a scenario's
/// enrolment history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CoverReport {
    /// The cover periods, waiting periods, suspensions, with their trace.
    pub cover: Cover,
    /// Consecutive years counted from 2025 (H6), when the data sets continuity rules.
    pub continuity: Option<yibao_enrolment::Continuity>,
}

/// The cover of a scenario's person for its year.
///
/// # Errors
/// [`SettleError`] when the scenario has no enrolment history, the data has no enrolment
/// rules for the year, or the history is inconsistent.
pub fn cover(library: &PolicyLibrary, scenario: &Scenario) -> Result<CoverReport, SettleError> {
    let book = library
        .book(&scenario.jurisdiction, scenario.year)
        .map_err(|e| SettleError::at(KeyPath::root().key("jurisdiction"), e.to_string()))?;
    let history = enrolment_history(scenario)?.ok_or_else(|| {
        SettleError::at(
            KeyPath::root().key("enrolment"),
            "the scenario has no enrolment history",
        )
        .hint("add [[enrolment]] events: on, event = \"payment\", year")
    })?;
    let section = match &book.enrolment {
        Section::Present(section) => section,
        Section::Absent { reason } => {
            return Err(SettleError::at(
                KeyPath::root().key("jurisdiction"),
                reason.clone(),
            ));
        }
        Section::NotGiven => {
            return Err(SettleError::at(
                KeyPath::root().key("jurisdiction"),
                format!(
                    "the policy data gives no enrolment rules for {} {}",
                    book.jurisdiction, book.year
                ),
            ));
        }
    };
    let cover = section
        .cover(&history, scenario.year)
        .map_err(|e| SettleError::at(KeyPath::root().key("enrolment"), e.to_string()))?;
    let continuity = section.consecutive_years(&history, scenario.year).ok();
    Ok(CoverReport { cover, continuity })
}

/// A scenario's filings replayed to a day, and, when asked, the treatment of care at a
/// place on that day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FilingReport {
    /// The day the register is taken at.
    pub as_of: NaiveDate,
    /// Every filing's state on that day, with the replay's steps.
    pub register: Register,
    /// The treatment of care at a place on that day.
    pub care: Option<yibao_filing::CareAssessment>,
}

/// Replays a scenario's filings to `as_of` and, with `care_at`, assesses care there on
/// that day.
///
/// # Errors
/// [`SettleError`] when the data has no filing rules or the events are inconsistent.
pub fn filing(
    library: &PolicyLibrary,
    scenario: &Scenario,
    as_of: NaiveDate,
    care_at: Option<(yibao_filing::Area, yibao_filing::Circumstance)>,
) -> Result<FilingReport, SettleError> {
    let book = library
        .book(&scenario.jurisdiction, scenario.year)
        .map_err(|e| SettleError::at(KeyPath::root().key("jurisdiction"), e.to_string()))?;
    let policy = book.filing.present().ok_or_else(|| {
        SettleError::at(
            KeyPath::root().key("jurisdiction"),
            format!(
                "the policy data gives no filing rules for {} {}",
                book.jurisdiction, book.year
            ),
        )
    })?;
    let events: Vec<_> = scenario
        .filings
        .iter()
        .filter(|e| e.on <= as_of)
        .cloned()
        .collect();
    let register = Register::replay(&events, as_of, &library.calendar, policy)
        .map_err(|e| SettleError::at(KeyPath::root().key("filings"), e.to_string()))?;
    let care = match care_at {
        None => None,
        Some((area, circumstance)) => Some(
            yibao_filing::assess_care(
                &register,
                &CareQuery::new(
                    as_of,
                    area,
                    circumstance,
                    yibao_filing::Connection::Networked,
                ),
                policy,
            )
            .map_err(|e| SettleError::at(KeyPath::root().key("filings"), e.to_string()))?,
        ),
    };
    Ok(FilingReport {
        as_of,
        register,
        care,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::PolicyFiles;
    use crate::scenario::{ScenarioFile, ScenarioFormat};

    /// Keeps what a streamed settlement gives, and stops after `stop_after` claims if set.
    #[derive(Default)]
    struct Keep {
        cover: Option<Cover>,
        cap_in_force: Option<CapInForce>,
        claims: Vec<ClaimReport>,
        stop_after: Option<usize>,
    }

    impl ClaimSink for Keep {
        fn head(&mut self, head: &Head<'_>) -> std::ops::ControlFlow<()> {
            self.cover = head.cover.cloned();
            self.cap_in_force = head.cap_in_force.cloned();
            std::ops::ControlFlow::Continue(())
        }

        fn claim(&mut self, claim: &ClaimReport) -> std::ops::ControlFlow<()> {
            self.claims.push(claim.clone());
            if self.stop_after == Some(self.claims.len()) {
                std::ops::ControlFlow::Break(())
            } else {
                std::ops::ControlFlow::Continue(())
            }
        }
    }

    const EXAMPLES: [&str; 3] = [
        include_str!("../../../examples/huaian-2026-inpatient.toml"),
        include_str!("../../../examples/huaian-2026-remote-care.toml"),
        include_str!("../../../examples/kunshan-2021-student.toml"),
    ];

    #[test]
    fn a_streamed_settlement_gives_each_claim_as_the_whole_report_holds_it() {
        let library = PolicyLibrary::load(&PolicyFiles::embedded()).unwrap();
        for (i, text) in EXAMPLES.iter().enumerate() {
            let file = ScenarioFile::parse("example", text, ScenarioFormat::Toml).unwrap();
            for explain in [Explain::Steps, Explain::FiguresOnly] {
                let whole = settle_with(&library, &file.scenario, explain).unwrap();
                let mut kept = Keep::default();
                let mut rest =
                    settle_streamed(&library, &file.scenario, explain, &mut kept).unwrap();
                assert!(rest.claims.is_empty(), "example {i}");
                assert!(!kept.claims.is_empty(), "example {i}");
                assert_eq!(kept.cover, whole.cover, "example {i}");
                assert_eq!(kept.cap_in_force, whole.cap_in_force, "example {i}");
                rest.claims = kept.claims;
                assert_eq!(rest, whole, "example {i}, {explain:?}");
            }
        }
    }

    #[test]
    fn a_sink_that_stops_gets_no_further_claim() {
        let library = PolicyLibrary::load(&PolicyFiles::embedded()).unwrap();
        let file = ScenarioFile::parse("example", EXAMPLES[0], ScenarioFormat::Toml).unwrap();
        assert!(file.scenario.claims.len() > 1);
        let mut kept = Keep {
            stop_after: Some(1),
            ..Keep::default()
        };
        settle_streamed(&library, &file.scenario, Explain::Steps, &mut kept).unwrap();
        assert_eq!(kept.claims.len(), 1);
    }
}
