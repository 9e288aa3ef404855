//! The one-stop settlement of a person's policy year (一站式结算, H25).
//!
//! For each claim in date order, and only here, four stages, each a function of its own
//! file over the person's year:
//! 1. **cover** (`cover.rs`, yibao-enrolment): is the person covered on the day, and why;
//! 2. **remote care** (`remote_care.rs`, yibao-filing): the treatment of care away from
//!    home, from the filings in force on the day;
//! 3. **basic fund** (`basic_fund.rs`, yibao-benefits): deductible, ratio, caps, against the
//!    year state;
//! 4. **catastrophic** (`catastrophic.rs`, yibao-catastrophic): the increment on the year's
//!    cumulative burden, under the cap in force with its incentive raises;
//!
//! and for a delivery, the fiscal subsidy of what is left (`maternity.rs`, H15). The stages
//! are called in order by `settler.rs`: a new stage is one function beside the others.
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
//! ([`Explain::FiguresOnly`] gives the same figures without the steps); [`settle_into`]
//! settles with a [`Settler`] owned by the caller, which keeps the report to overwrite from
//! one person to the next, the caps in force of recent incentive histories and its buffers,
//! as a batch of millions of persons does; [`settle_streamed`] gives each claim's report to a
//! [`ClaimSink`] as it is settled and keeps none, as a writer of a year of 100,000 explained
//! claims wants. Reports are plain values; nothing is kept anywhere but in a settler.
//!
//! A scenario that cannot be settled is a [`SettleError`]: the domain's error wrapped, or
//! the facade's own case ([`SettleErrorKind`]), where in the scenario ([`At`], the claim and
//! field at fault by [`SettleError::claim_at_fault`]) and a hint.

mod basic_fund;
mod caps;
mod care;
mod catastrophic;
mod cover;
mod error;
mod input;
mod maternity;
mod queries;
pub mod quotes;
mod reasons;
mod remote_care;
mod report;
#[cfg(feature = "schemars")]
mod schema;
mod settler;
#[cfg(test)]
mod tests;

pub use yibao_benefits::Explain;

pub use care::{CareReport, FilingNeed, RatioCut};
pub use error::{At, ClaimField, MissingRules, SettleError, SettleErrorKind};
pub use queries::{CoverReport, FilingReport, cover, filing, refund};
pub use reasons::{
    BasicNotSettled, CatastrophicPart, CatastrophicUnsettled, CoverStatus, NotCoveredReason,
    NotPaidReason,
};
pub use report::{
    ClaimReport, ContributionReport, Head, NextYear, SettlementReport, Stage, Step, Totals,
    UnsettledCatastrophic,
};
pub use settler::Settler;

use crate::policy::PolicyLibrary;
use crate::scenario::Scenario;
use caps::KeptCaps;
use settler::{Reused, settle_year};

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
    settle_afresh(library, scenario, explain, None)
}

/// [`settle_with`] by a [`Settler`]: the report is written over the one the settler kept
/// from the person before (its lists and text keep their allocations), with the caps in
/// force it keeps (what a batch of millions of persons wants). The report is the same as
/// [`settle_with`]'s; it is the settler's until the next settlement.
///
/// # Errors
/// As [`settle`]; after an error, the settler's report is unspecified until the next
/// settlement.
pub fn settle_into<'s>(
    library: &PolicyLibrary,
    scenario: &Scenario,
    explain: Explain,
    settler: &'s mut Settler,
) -> Result<&'s SettlementReport, SettleError> {
    settler.settle(library, scenario, explain)
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
    settle_afresh(library, scenario, explain, Some(sink))
}

/// A person's year settled with nothing kept from another (a new report, no caps in force
/// kept), its claims given to `sink` when there is one.
fn settle_afresh(
    library: &PolicyLibrary,
    scenario: &Scenario,
    explain: Explain,
    sink: Option<&mut dyn ClaimSink>,
) -> Result<SettlementReport, SettleError> {
    let mut report = SettlementReport::empty(scenario.year);
    let (mut caps, mut order) = (KeptCaps::default(), Vec::new());
    let reused = Reused {
        caps: &mut caps,
        order: &mut order,
    };
    settle_year(library, scenario, explain, reused, &mut report, sink)?;
    Ok(report)
}
