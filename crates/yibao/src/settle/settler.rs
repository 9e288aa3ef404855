//! The one-stop settlement of a person's year, stage by stage over a [`PersonYear`]: cover,
//! remote-care treatment, basic fund, catastrophic insurance, and the H15 subsidy of a
//! delivery. A stage is a function of its own file; a new one (medical aid, when a source
//! gives it) is one more function called in [`settle_claim`].
//!
//! What is reused for speed (the report overwritten from one person to the next, the caps
//! in force of recent incentive histories, the order of the claims) lives in a [`Settler`]
//! owned by the caller.

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use yibao_benefits::{Explain, Person, SettleConfig, YearState};
use yibao_catastrophic::PersonClass;
use yibao_core::{RemoteCare, RoundingMode, Yuan};
use yibao_enrolment::Cover;
use yibao_filing::{FilingId, FilingState, Settlement};

use super::ClaimSink;
use super::caps::KeptCaps;
use super::catastrophic::{CatastrophicYear, MEDICAL_AID_NOTE};
use super::error::{At, ClaimField, SettleError, SettleErrorKind};
use super::reasons::{CatastrophicPart, CoverStatus, NotPaidReason};
use super::report::{ClaimReport, ContributionReport, Head, SettlementReport, Totals};
use super::{basic_fund, catastrophic, cover, input, maternity, remote_care};
use crate::policy::{Book, PolicyLibrary};
use crate::scenario::{ClaimInput, Scenario};

/// A worker of the one-stop settlement, owned by its caller and reused from one person to
/// the next (what a batch of millions of persons wants): it keeps the last report to
/// overwrite (its lists and text keep their allocations), the caps in force of the last few
/// incentive histories, and the claims' order. What it keeps never changes a figure: a
/// person settled by a settler gets exactly the report [`super::settle_with`] gives.
///
/// ```
/// use yibao::policy::{PolicyFiles, PolicyLibrary};
/// use yibao::scenario::{ScenarioFile, ScenarioFormat};
/// use yibao::settle::{Explain, Settler, settle_into};
///
/// let library = PolicyLibrary::load(&PolicyFiles::embedded())?;
/// let text = "jurisdiction = \"huaian\"\nyear = 2026\n[person]\n";
/// let file = ScenarioFile::parse("person.toml", text, ScenarioFormat::Toml)?;
/// let mut settler = Settler::new();
/// let report = settle_into(&library, &file.scenario, Explain::FiguresOnly, &mut settler)?;
/// assert!(report.claims.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Settler {
    /// The report of the person settled last, to overwrite.
    report: Option<SettlementReport>,
    /// The caps in force of recent incentive histories.
    caps: KeptCaps,
    /// The claims' positions in date order, when they do not come in order.
    order: Vec<usize>,
}

impl Settler {
    /// A settler that keeps nothing yet.
    pub fn new() -> Settler {
        Settler::default()
    }

    /// [`super::settle_into`].
    pub(super) fn settle(
        &mut self,
        library: &PolicyLibrary,
        scenario: &Scenario,
        explain: Explain,
    ) -> Result<&SettlementReport, SettleError> {
        let report = self
            .report
            .get_or_insert_with(|| SettlementReport::empty(scenario.year));
        let reused = Reused {
            caps: &mut self.caps,
            order: &mut self.order,
        };
        settle_year(library, scenario, explain, reused, report, None)?;
        Ok(report)
    }

    /// The caps in force kept.
    #[cfg(test)]
    pub(super) fn kept_caps(&self) -> usize {
        self.caps.len()
    }
}

/// The parts of a settler a settlement reuses besides its report.
pub(super) struct Reused<'s> {
    /// The caps in force of recent incentive histories.
    pub(super) caps: &'s mut KeptCaps,
    /// The claims' order.
    pub(super) order: &'s mut Vec<usize>,
}

/// What every stage of a person's year reads: the rules of the year, the scenario, and what
/// is decided once for the year (cover, filings, the catastrophic class and cap).
pub(super) struct PersonYear<'a> {
    pub(super) library: &'a PolicyLibrary,
    pub(super) book: &'a Book,
    pub(super) scenario: &'a Scenario,
    pub(super) explain: Explain,
    /// Whether steps are written (`explain == Explain::Steps`).
    pub(super) explained: bool,
    pub(super) rounding: RoundingMode,
    /// The benefit rules, `None` for a year without claims.
    pub(super) config: Option<SettleConfig<'a>>,
    pub(super) person: Person,
    /// The cover periods, `None` without an enrolment history (cover assumed).
    pub(super) cover: Option<&'a Cover>,
    pub(super) contributions: &'a [ContributionReport],
    pub(super) filings: &'a BTreeMap<FilingId, FilingState>,
    pub(super) catastrophic: CatastrophicYear<'a>,
}

impl<'a> PersonYear<'a> {
    /// The report's head, for a sink.
    fn head(&self) -> Head<'_> {
        Head {
            jurisdiction: &self.book.jurisdiction,
            year: self.book.year,
            person: self.scenario.person.id.as_deref(),
            cover: self.cover,
            contributions: self.contributions,
            filings: self.filings,
            catastrophic_class: self.catastrophic.class,
            cap_in_force: self
                .catastrophic
                .schedule
                .as_ref()
                .ok()
                .map(|(_, cap)| *cap),
        }
    }
}

/// What the year carries from one claim to the next.
struct Running {
    /// The basic fund's year state. The one-stop settlement never reverses a claim: no
    /// journal.
    state: YearState,
    /// The year's cumulative burden for catastrophic insurance.
    burden: Yuan,
    /// Whether a catastrophic payment used reward quota.
    reward_quota_used: bool,
    totals: Totals,
}

/// Settles a person's year into `out` (every field overwritten; after an error its content
/// is unspecified), or, with a sink, gives the sink the head and each claim's report as it
/// is settled instead of keeping it.
pub(super) fn settle_year(
    library: &PolicyLibrary,
    scenario: &Scenario,
    explain: Explain,
    reused: Reused<'_>,
    out: &mut SettlementReport,
    mut sink: Option<&mut dyn ClaimSink>,
) -> Result<(), SettleError> {
    out.notes.clear();
    // Everything decided once for the year, in the order the inputs are checked: the
    // benefits, the enrolment history and cover, the category, the contributions, the
    // filings, the catastrophic class and cap. What the report shows (cover, contributions,
    // filings) is written into it at once, and the year reads it there: a year is hundreds
    // of bytes, and the copies of its parts out of `Result`s and into the report cost the
    // settlement of a person a measurable part of its time.
    let book = library
        .shared_book(&scenario.jurisdiction, scenario.year)
        .map_err(|e| SettleError::new(At::Jurisdiction, SettleErrorKind::Book(e)))?;
    let config = basic_fund::config(book, scenario, explain)?;
    let history = input::enrolment_history(scenario)?;
    cover::person_cover(
        book,
        scenario,
        history.as_ref(),
        &mut out.notes,
        &mut out.cover,
    )?;
    out.contributions = cover::contributions(scenario, book.enrolment.present(), &mut out.notes)?;
    out.filings = remote_care::filings_at_year_end(library, book, scenario)?;
    let mut catastrophic = CatastrophicYear::unprepared();
    catastrophic.prepare(book, scenario, history.as_ref(), explain, reused.caps)?;
    let year = PersonYear {
        library,
        book,
        scenario,
        explain,
        explained: explain == Explain::Steps,
        rounding: book.rounding(),
        config,
        person: Person::new(scenario.person.group, scenario.person.family_doctor),
        cover: out.cover.as_ref(),
        contributions: &out.contributions,
        filings: &out.filings,
        catastrophic,
    };
    if year.catastrophic.class == PersonClass::MedicalAidRecipient {
        out.notes.push(yibao_core::Said::new(
            MEDICAL_AID_NOTE.en,
            MEDICAL_AID_NOTE.zh,
        ));
    }
    if let Err(unavailable) = &year.catastrophic.schedule {
        out.notes.push(unavailable.note());
    }
    if let Some(sink) = sink.as_deref_mut() {
        if sink.head(&year.head()).is_break() {
            return Ok(());
        }
    }
    let mut run = Running {
        state: YearState::without_reversal(scenario.year),
        burden: Yuan::ZERO,
        reward_quota_used: false,
        totals: Totals::default(),
    };
    let claims = ClaimSlots {
        reports: &mut out.claims,
        notes: &mut out.notes,
    };
    let ControlFlow::Continue(filled) = settle_claims(&year, &mut run, reused.order, claims, sink)?
    else {
        return Ok(());
    };
    let zero_reimbursement = run.totals.basic_fund.is_zero() && run.totals.catastrophic.is_zero();
    catastrophic::next_year(
        &mut out.next_year,
        scenario,
        &year.catastrophic,
        zero_reimbursement,
        run.reward_quota_used,
    );
    out.jurisdiction.clone_from(&year.book.jurisdiction);
    out.year = year.book.year;
    out.person.clone_from(&scenario.person.id);
    out.catastrophic_class = year.catastrophic.class;
    // The one copy of the cap in force kept by the settler.
    out.cap_in_force = match year.catastrophic.schedule {
        Ok((_, cap)) => Some(cap.clone()),
        Err(_) => None,
    };
    out.totals = run.totals;
    out.claims.truncate(filled);
    Ok(())
}

/// The parts of the report the claims are settled into, beside what the year reads of it.
struct ClaimSlots<'r> {
    /// The claims' reports, one slot a claim, kept from the person before.
    reports: &'r mut Vec<ClaimReport>,
    /// The report's notes.
    notes: &'r mut Vec<yibao_core::Said>,
}

/// Settles the claims in date order (same-day claims keep their order), each into the slot
/// of the claim at the same place before (a claim's report is large, and its basic
/// settlement and lists keep their allocations), or gives each to the sink. Continues with
/// how many slots are filled; breaks when the sink stops.
fn settle_claims(
    year: &PersonYear<'_>,
    run: &mut Running,
    order: &mut Vec<usize>,
    slots: ClaimSlots<'_>,
    mut sink: Option<&mut dyn ClaimSink>,
) -> Result<ControlFlow<(), usize>, SettleError> {
    let claims = &year.scenario.claims;
    // Usually the claims come in order, and no list of positions is needed.
    order.clear();
    if !claims.is_sorted_by_key(|c| c.date) {
        order.extend(0..claims.len());
        order.sort_by_key(|&i| claims.get(i).map(|c| c.date));
    }
    let ClaimSlots { reports, notes } = slots;
    reports.reserve(claims.len());
    let mut filled = 0;
    for position in 0..claims.len() {
        let index = order.get(position).copied().unwrap_or(position);
        let Some(input) = claims.get(index) else {
            continue;
        };
        if filled == reports.len() {
            reports.push(ClaimReport::blank(input.date));
        }
        let Some(report) = reports.get_mut(filled) else {
            // Unreachable: a slot was pushed just above when there was none.
            let lost = SettleErrorKind::Unreachable("the claim's report was lost");
            return Err(SettleError::new(At::claim(index), lost));
        };
        filled += 1;
        settle_claim(year, run, index, input, report, notes)?;
        run.totals
            .add(report)
            .map_err(|e| SettleError::new(At::Claims, SettleErrorKind::Money(e)))?;
        if let Some(sink) = sink.as_deref_mut() {
            // Given, and not kept: the next claim is settled into the same slot.
            filled = 0;
            if sink.claim(report).is_break() {
                return Ok(ControlFlow::Break(()));
            }
        }
    }
    Ok(ControlFlow::Continue(filled))
}

/// Settles the claim at `index` into `report`, stage by stage: cover on the day, the
/// remote-care treatment, then, for a covered claim with a rule, the basic fund,
/// catastrophic insurance and a delivery's fiscal subsidy. What the person pays is the
/// rest: `amount − basic_fund − catastrophic − fiscal_subsidy`, to the fen.
fn settle_claim(
    year: &PersonYear<'_>,
    run: &mut Running,
    index: usize,
    input: &ClaimInput,
    report: &mut ClaimReport,
    notes: &mut Vec<yibao_core::Said>,
) -> Result<(), SettleError> {
    if !year.scenario.year.contains(input.date) {
        return Err(SettleError::new(
            At::claim_field(index, ClaimField::Date),
            SettleErrorKind::ClaimOutsideYear {
                date: input.date,
                year: year.scenario.year,
            },
        ));
    }
    let amount = input::bill_total(input, index)?;
    report.steps.clear();
    let cover = cover::on_day(year, input.date, &mut report.steps);
    let (remote_care, route) =
        remote_care::treatment(year, input, index, &mut report.steps, notes)?;
    let not_given = remote_care::basic_not_given(year, &cover, remote_care);
    begin_claim(report, index, input, amount, cover, remote_care, route);
    remote_care::manual_claim(year, input, report, notes);
    if matches!(report.cover, CoverStatus::NotCovered { .. }) {
        report.basic = None;
        return Ok(());
    }
    if let Some(why) = not_given {
        remote_care::not_settled_claim(report, why, year.explained, notes);
        return Ok(());
    }
    let passed = basic_fund::settle(year, &mut run.state, input, index, report)?;
    catastrophic::settle_claim(
        year,
        &mut run.burden,
        &mut run.reward_quota_used,
        index,
        passed.catastrophic_base,
        report,
    )?;
    maternity::subsidy(year, passed.maternity_subsidy_base, report);
    report.personal = amount
        .checked_sub(report.basic_fund)
        .and_then(|rest| rest.checked_sub(report.catastrophic.paid()))
        .and_then(|rest| rest.checked_sub(report.fiscal_subsidy))
        .map_err(|e| SettleError::new(At::claim(index), SettleErrorKind::PartsDoNotAddUp(e)))?;
    Ok(())
}

/// Overwrites the report of the claim before with this claim's inputs, its cover and
/// treatment, and nothing paid yet. Every field is named, so that none can be left from the
/// claim before; `basic` is written by the basic-fund stage (or `None` when the claim is not
/// settled), `steps` holds the steps so far.
fn begin_claim(
    report: &mut ClaimReport,
    index: usize,
    input: &ClaimInput,
    amount: Yuan,
    cover: CoverStatus,
    treatment: RemoteCare,
    route: Option<Settlement>,
) {
    let ClaimReport {
        index: report_index,
        id,
        date,
        kind,
        level,
        amount: report_amount,
        cover: report_cover,
        remote_care,
        settlement_route,
        eligible,
        class_c,
        outside_scope,
        deductible,
        basic_fund,
        not_paid,
        basic_fund_not_settled,
        catastrophic,
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
    *not_paid = match cover {
        CoverStatus::NotCovered { reason } => Some(NotPaidReason::NotCovered(reason)),
        CoverStatus::Covered | CoverStatus::Assumed => None,
    };
    *report_cover = cover;
    *remote_care = treatment;
    *settlement_route = route;
    *eligible = Yuan::ZERO;
    *class_c = input.class_c.unwrap_or(Yuan::ZERO);
    *outside_scope = Yuan::ZERO;
    *deductible = Yuan::ZERO;
    *basic_fund = Yuan::ZERO;
    *basic_fund_not_settled = None;
    *catastrophic = CatastrophicPart::Settled { paid: Yuan::ZERO };
    *fiscal_subsidy = Yuan::ZERO;
    *personal = amount;
    *manual_claim_deadline = None;
}
