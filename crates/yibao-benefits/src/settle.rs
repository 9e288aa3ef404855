//! Settling one claim against the year state.

use serde::Serialize;
use yibao_core::{
    Band, ExactYuan, NaiveDate, PolicyYear, Rate, RemoteCare, RemoteCut, RoundingMode, RuleId,
    Rules, Schedule, Yuan, telescoping_increment,
};

use crate::claim::{
    Accident, Bill, Claim, ClaimKind, Designation, EmergencyOutcome, ExclusionFact, Person,
    Province, SpecialDiseaseCatalogue,
};
use crate::error::BenefitError;
use crate::not_paid::{Levels, NotPaidReason};
use crate::params::{
    BenefitParams, CapBasis, InpatientRatio, MaternityRemote, NotPaid, OutpatientPart,
    RemoteCareParams, RepeatDeductible, SharedCap,
};
use crate::quotes;
use crate::state::{FundPool, YearFigures, YearState};

/// Everything settlement needs besides the person, the claim and the year state.
///
/// No `Default`: each field is a decision the caller makes.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct SettleConfig<'a> {
    /// The jurisdiction's `[benefits]` section.
    pub benefits: &'a BenefitParams,
    /// The jurisdiction's `[remote_care]` section; `None` where the data has none: remote
    /// claims other than transfer-out outpatient are then refused.
    pub remote_care: Option<&'a RemoteCareParams>,
    /// The rounding mode (`[meta] rounding`).
    pub rounding: RoundingMode,
    /// The class B personal share (乙类先行自付比例), which the sources do not publish (H23);
    /// `None` refuses bills with class B items.
    pub class_b_personal_share: Option<Rate>,
    /// Whether each settlement explains itself step by step ([`SettledClaim::trace`]) or
    /// gives its figures only (for batch runs: the figures are the same, the trace empty).
    pub explain: Explain,
}

impl<'a> SettleConfig<'a> {
    /// The configuration of these decisions, one argument per field.
    pub fn new(
        benefits: &'a BenefitParams,
        remote_care: Option<&'a RemoteCareParams>,
        rounding: RoundingMode,
        class_b_personal_share: Option<Rate>,
        explain: Explain,
    ) -> SettleConfig<'a> {
        SettleConfig {
            benefits,
            remote_care,
            rounding,
            class_b_personal_share,
            explain,
        }
    }
}

/// Whether a settlement records its explanation (shared with the other domain crates).
pub use yibao_core::Explain;

/// One step of a settlement's explanation: the rule it applied, a sentence with its figures
/// ([`yibao_core::Step`], rendered at the edge; written `{"rule": …, "text": …}`).
pub use yibao_core::Step as TraceStep;

/// What part of the bill a band line covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "part")]
pub enum BandPart {
    /// A band of the ladder (K4), by its 1-based number and bounds.
    Ladder {
        /// 1-based band number.
        band: usize,
        /// Lower bound.
        from: Yuan,
        /// Upper bound, `None` for the open top band.
        to: Option<Yuan>,
    },
    /// The general consultation fee (H11).
    ConsultationFee,
    /// Outpatient costs other than the consultation fee (H11).
    OtherCosts,
    /// The whole amount above the deductible.
    Whole,
}

/// A claim's band lines: most claims have one, held inline (no allocation per claim).
pub type BandLines = smallvec::SmallVec<[BandLine; 1]>;

/// One line of the band breakdown: `base × rate = share` (before any annual cap).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct BandLine {
    /// Which part.
    pub part: BandPart,
    /// The amount in it.
    pub base: Yuan,
    /// The ratio applied (after any remote-care cut).
    pub rate: Rate,
    /// `base × rate`, exact.
    pub share: ExactYuan,
}

/// The remote-care treatment applied to a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RemoteAdjustment {
    /// The treatment.
    pub treatment: RemoteCare,
    /// The cut applied to every ratio of the claim, `None` for the home ratio.
    pub cut: Option<RemoteCut>,
}

/// Under which policy a claim was settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SettledAs {
    /// General outpatient policy.
    GeneralOutpatient,
    /// Two-disease drug policy.
    TwoDiseaseDrugs,
    /// Special-disease policy.
    SpecialDisease,
    /// Inpatient policy (an admission).
    Inpatient,
    /// Day-surgery policy.
    DaySurgery,
    /// Dual-channel drug policy.
    DualChannelDrugs,
    /// Not paid by the fund (exclusion, transfer-out outpatient, level not paid): the
    /// settlement's [`SettledClaim::not_paid`] says why.
    NotPaid,
}

impl SettledAs {
    /// The policy in words, e.g. `general outpatient care`.
    pub fn describe(self) -> &'static str {
        match self {
            SettledAs::GeneralOutpatient => "general outpatient care",
            SettledAs::TwoDiseaseDrugs => "the hypertension/diabetes drug benefit",
            SettledAs::SpecialDisease => "outpatient special-disease care",
            SettledAs::Inpatient => "inpatient care",
            SettledAs::DaySurgery => "day surgery",
            SettledAs::DualChannelDrugs => "the dual-channel drug benefit",
            SettledAs::NotPaid => "care the fund does not pay",
        }
    }

    /// The policy in English ([`SettledAs::describe`]) and in Chinese.
    pub fn term(self) -> yibao_core::Term {
        let zh = match self {
            SettledAs::GeneralOutpatient => "普通门诊",
            SettledAs::TwoDiseaseDrugs => "“两病”门诊用药",
            SettledAs::SpecialDisease => "门诊特殊病",
            SettledAs::Inpatient => "住院",
            SettledAs::DaySurgery => "日间手术",
            SettledAs::DualChannelDrugs => "“双通道”药品",
            SettledAs::NotPaid => "统筹基金不予支付的费用",
        };
        yibao_core::Term::new(self.describe(), zh)
    }
}

/// The settlement of one claim.
///
/// `fund_paid + person_pays = amount` and `fund_paid <= eligible`, to the fen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SettledClaim {
    /// The settlement's number in the year (for reversal).
    pub sequence: u32,
    /// The claim's date.
    pub date: NaiveDate,
    /// The claim's kind.
    pub kind: ClaimKind,
    /// The policy applied.
    pub settled_as: SettledAs,
    /// The whole bill.
    pub amount: Yuan,
    /// The part outside the fund's scope: class C and the class B personal share (H23).
    pub outside_scope: Yuan,
    /// The eligible (政策范围内) amount.
    pub eligible: Yuan,
    /// The part of the eligible amount borne as deductible (起付线).
    pub deductible: Yuan,
    /// What the basic fund pays.
    pub fund_paid: Yuan,
    /// Why the fund pays nothing, when the rule does not pay the claim at all (a level or
    /// place it does not pay, transfer-out outpatient care, an exclusion); `None` when the
    /// claim was settled by its policy, even to 0 (under a deductible, a cap used up).
    /// Set exactly when `settled_as` is [`SettledAs::NotPaid`].
    pub not_paid: Option<NotPaidReason>,
    /// What is left to the person (before catastrophic insurance, aid and subsidies).
    pub person_pays: Yuan,
    /// The band breakdown of the fund's share before the annual cap.
    pub bands: BandLines,
    /// The remote-care treatment and cut.
    pub remote_care: RemoteAdjustment,
    /// The annual cap that bound this claim, if any.
    pub cap_reached: Option<Yuan>,
    /// The person's share of the eligible amount that counts towards catastrophic insurance
    /// (H19: inpatient, special disease, day surgery; 0 for other kinds).
    pub catastrophic_base: Yuan,
    /// For a delivery (H15): the person's share of the eligible amount, of which what is left
    /// after catastrophic insurance and medical aid is paid by a fiscal subsidy.
    pub maternity_subsidy_base: Option<Yuan>,
    /// The explanation, step by step.
    pub trace: Vec<TraceStep>,
}

/// The typed error for a value a table does not give for the claim's level and group.
fn not_given_for_level(
    what: &'static str,
    claim: &Claim,
    person: &Person,
    rules: &Rules,
) -> BenefitError {
    BenefitError::NotGivenForLevel {
        what,
        kind: claim.kind.name(),
        level: claim.level,
        group: person.group,
        rule: rules.first(),
    }
}

/// The band lines as `base × rate` joined by ` + ` (`empty` when there are none), a figure of
/// a step.
fn band_products(bands: &[BandLine], empty: &'static str) -> String {
    if bands.is_empty() {
        return empty.to_owned();
    }
    let described: Vec<String> = bands
        .iter()
        .map(|b| format!("{} × {}", b.base, b.rate))
        .collect();
    described.join(" + ")
}

fn rule_id(text: &str) -> Result<RuleId, BenefitError> {
    text.parse().map_err(BenefitError::Rule)
}

/// A claim being settled: the year's figures, changed in place (the caller restores them
/// when the claim is refused), and the explanation so far.
struct Work<'s> {
    figures: &'s mut YearFigures,
    trace: Vec<TraceStep>,
    explain: Explain,
}

impl Work<'_> {
    /// Records a step of the first of `rules`; it is only built when the caller wants
    /// explanations.
    #[inline(always)]
    fn step(&mut self, rules: &Rules, step: impl FnOnce(RuleId) -> TraceStep) {
        if self.explain == Explain::Steps {
            self.push_step(rules, step);
        }
    }

    /// The building of a step, out of the settlement's code: a batch settles figures only,
    /// and the step's text and figures would otherwise sit inline between the figures'
    /// instructions (a larger loop for the instruction cache).
    #[cold]
    #[inline(never)]
    fn push_step(&mut self, rules: &Rules, step: impl FnOnce(RuleId) -> TraceStep) {
        self.trace.push(step(rules.first()));
    }
}

/// What a policy computed before the pool draw.
struct Computed<'p> {
    settled_as: SettledAs,
    deductible: Yuan,
    bands: BandLines,
    share: Share,
    pool: Pool,
    cap: Option<Yuan>,
    cap_rules: &'p Rules,
    catastrophic: bool,
}

/// A claim's fund share before the annual cap, and how it is settled to the fen.
#[derive(Clone, Copy)]
enum Share {
    /// A ratio times the claim's own base, its parts summed exactly: rounded once, for the
    /// claim alone (POLICY-NOTES: a claim is a settlement of its own).
    Flat(ExactYuan),
    /// A schedule banded on the year's cumulative position (the Kunshan ladder, K4): the
    /// year's exact fund figure before and after the claim. The claim is paid
    /// `round(after) − round(before)`, so the year's payments add up to its rounded figure.
    Cumulative { before: ExactYuan, after: ExactYuan },
}

impl Share {
    /// The claim's share settled to the fen, before the annual cap.
    fn settled(self, mode: RoundingMode) -> Yuan {
        match self {
            Share::Flat(exact) => exact.round(mode),
            Share::Cumulative { before, after } => telescoping_increment(before, after, mode),
        }
    }
}

/// The pool a claim draws from: each has its own annual cap (or none).
#[derive(Clone, Copy)]
enum Pool {
    Inpatient,
    GeneralOutpatient,
    TwoDisease,
    DualChannel,
}

fn pool_mut(figures: &mut YearFigures, pool: Pool) -> &mut FundPool {
    match pool {
        Pool::Inpatient => &mut figures.inpatient,
        Pool::GeneralOutpatient => &mut figures.general_outpatient,
        Pool::TwoDisease => &mut figures.two_disease_drugs,
        Pool::DualChannel => &mut figures.dual_channel_drugs,
    }
}

/// Settles one claim against the year state and records it in the state's journal.
///
/// Claims are settled in date order; on error the state is unchanged.
///
/// # Errors
/// - [`BenefitError::ClaimOutsidePolicyYear`] / [`BenefitError::ClaimBeforeLastSettled`] for
///   a date outside the year or before the last settled claim;
/// - [`BenefitError::KindNotDefined`] when the data define no benefit for the claim's kind;
/// - [`BenefitError::NotGivenForLevel`] when the data give no ratio or deductible for the level;
/// - [`BenefitError::RemoteCutNotGiven`] for remote care the data give no cut for;
/// - [`BenefitError::ClassBShareNotGiven`] for class B items without a supplied share (H23);
/// - [`BenefitError::LimitNotGivenBySource`] for city-retained special diseases (H13);
/// - [`BenefitError::ConsultationFeeAboveEligible`], [`BenefitError::ExclusionsNotDefined`],
///   [`BenefitError::EmergencyJoinsAdmission`], [`BenefitError::Money`] for absurd amounts.
pub fn settle(
    state: &mut YearState,
    config: &SettleConfig<'_>,
    person: &Person,
    claim: &Claim,
) -> Result<SettledClaim, BenefitError> {
    let mut settled = SettledClaim::blank(claim);
    settle_into(state, config, person, claim, &mut settled)?;
    Ok(settled)
}

/// [`settle`], writing the settlement into `out`, which a caller keeps from claim to claim
/// (a batch settles millions of claims into a few): every field is overwritten in place and
/// the trace keeps its allocation, where returning a settlement would copy it several times.
/// After an error, `out` holds no meaningful figures; the state is unchanged.
///
/// # Errors
/// As [`settle`].
pub fn settle_into(
    state: &mut YearState,
    config: &SettleConfig<'_>,
    person: &Person,
    claim: &Claim,
    out: &mut SettledClaim,
) -> Result<(), BenefitError> {
    let year = state.year();
    check_date(year, state.figures().last_date, claim.date)?;
    let sequence = state.next_sequence();
    let mut trace = std::mem::take(&mut out.trace);
    trace.clear();
    // The figures are settled in place; a refused claim puts them back as they were.
    let before = *state.figures();
    let mut work = Work {
        figures: state.figures_mut(),
        trace,
        explain: config.explain,
    };
    let settled = settle_in(&mut work, config, person, claim, sequence, out).and_then(|()| {
        let figures = &mut *work.figures;
        figures.last_date = Some(claim.date);
        figures.fund_paid = figures.fund_paid.checked_add(out.fund_paid)?;
        figures.person_pays = figures.person_pays.checked_add(out.person_pays)?;
        figures.catastrophic_base = figures
            .catastrophic_base
            .checked_add(out.catastrophic_base)?;
        Ok(())
    });
    match settled {
        Ok(()) => {
            state.commit(sequence, before);
            Ok(())
        }
        Err(error) => {
            state.restore(before);
            Err(error)
        }
    }
}

/// The figures of a settlement, all `Copy`, written into a kept [`SettledClaim`] by
/// [`Figures::write`].
#[derive(Clone, Copy)]
struct Figures {
    sequence: u32,
    settled_as: SettledAs,
    amount: Yuan,
    outside_scope: Yuan,
    eligible: Yuan,
    deductible: Yuan,
    fund_paid: Yuan,
    not_paid: Option<NotPaidReason>,
    person_pays: Yuan,
    remote_care: RemoteAdjustment,
    cap_reached: Option<Yuan>,
    catastrophic_base: Yuan,
    maternity_subsidy_base: Option<Yuan>,
}

impl Figures {
    /// Overwrites every field of `out`, one by one (assigning a whole settlement would build
    /// it aside and copy it over); the trace comes from `work`, which takes out's list back
    /// at the next claim.
    #[inline(always)]
    fn write(self, out: &mut SettledClaim, claim: &Claim, bands: BandLines, work: &mut Work<'_>) {
        // Every field is named, so that a field added to the settlement cannot be left stale.
        let SettledClaim {
            sequence,
            date,
            kind,
            settled_as,
            amount,
            outside_scope,
            eligible,
            deductible,
            fund_paid,
            not_paid,
            person_pays,
            bands: out_bands,
            remote_care,
            cap_reached,
            catastrophic_base,
            maternity_subsidy_base,
            trace,
        } = out;
        *sequence = self.sequence;
        *date = claim.date;
        *kind = claim.kind;
        *settled_as = self.settled_as;
        *amount = self.amount;
        *outside_scope = self.outside_scope;
        *eligible = self.eligible;
        *deductible = self.deductible;
        *fund_paid = self.fund_paid;
        *not_paid = self.not_paid;
        *person_pays = self.person_pays;
        *out_bands = bands;
        *remote_care = self.remote_care;
        *cap_reached = self.cap_reached;
        *catastrophic_base = self.catastrophic_base;
        *maternity_subsidy_base = self.maternity_subsidy_base;
        *trace = std::mem::take(&mut work.trace);
    }
}

impl SettledClaim {
    /// A settlement of nothing yet, for [`settle`] to write into.
    fn blank(claim: &Claim) -> SettledClaim {
        SettledClaim {
            sequence: 0,
            date: claim.date,
            kind: claim.kind,
            settled_as: SettledAs::NotPaid,
            amount: Yuan::ZERO,
            outside_scope: Yuan::ZERO,
            eligible: Yuan::ZERO,
            deductible: Yuan::ZERO,
            fund_paid: Yuan::ZERO,
            not_paid: None,
            person_pays: Yuan::ZERO,
            bands: BandLines::new(),
            remote_care: RemoteAdjustment {
                treatment: claim.remote_care,
                cut: None,
            },
            cap_reached: None,
            catastrophic_base: Yuan::ZERO,
            maternity_subsidy_base: None,
            trace: Vec::new(),
        }
    }
}

fn check_date(
    year: PolicyYear,
    last: Option<NaiveDate>,
    date: NaiveDate,
) -> Result<(), BenefitError> {
    if !year.contains(date) {
        return Err(BenefitError::ClaimOutsidePolicyYear { date, year });
    }
    if let Some(last) = last.filter(|last| date < *last) {
        return Err(BenefitError::ClaimBeforeLastSettled { date, last });
    }
    Ok(())
}

/// The effective policy a claim is settled under.
#[derive(Clone, Copy)]
enum Policy {
    GeneralOutpatient { consultation_fee: Yuan },
    TwoDisease,
    SpecialDisease,
    Admission { maternity: Option<Province> },
    DaySurgery,
    DualChannel,
}

fn settle_in(
    work: &mut Work<'_>,
    config: &SettleConfig<'_>,
    person: &Person,
    claim: &Claim,
    sequence: u32,
    out: &mut SettledClaim,
) -> Result<(), BenefitError> {
    let benefits = config.benefits;
    let mode = config.rounding;
    let (amount, eligible) = split_bill(work, config, claim.bill)?;

    // H20: emergency care is settled under the outpatient or inpatient policy.
    let policy = match claim.kind {
        ClaimKind::GeneralOutpatient { consultation_fee } => {
            Policy::GeneralOutpatient { consultation_fee }
        }
        ClaimKind::TwoDiseaseDrugs { .. } => Policy::TwoDisease,
        ClaimKind::SpecialDisease { .. } => Policy::SpecialDisease,
        ClaimKind::Inpatient => Policy::Admission { maternity: None },
        ClaimKind::DaySurgery => Policy::DaySurgery,
        ClaimKind::DualChannelDrugs => Policy::DualChannel,
        ClaimKind::MaternityDelivery { province } => {
            let maternity = benefits
                .maternity
                .as_ref()
                .ok_or(BenefitError::KindNotDefined {
                    kind: claim.kind.name(),
                })?;
            work.step(&maternity.rules, |rule| TraceStep::new(rule, "a delivery is settled as an admission; the person's remaining in-catalogue share goes to the fiscal subsidy after catastrophic insurance and medical aid").zh("住院分娩按住院结算；目录范围内剩余个人自付部分经大病保险、医疗救助支付后由财政补助").quote(quotes::DELIVERY));
            Policy::Admission {
                maternity: Some(province),
            }
        }
        ClaimKind::Emergency { outcome } => {
            let emergency = benefits
                .emergency
                .as_ref()
                .ok_or(BenefitError::KindNotDefined {
                    kind: claim.kind.name(),
                })?;
            match outcome {
                EmergencyOutcome::Admitted => {
                    return Err(BenefitError::EmergencyJoinsAdmission {
                        rule: emergency.rules.first(),
                    });
                }
                EmergencyOutcome::NotAdmitted => {
                    work.step(&emergency.rules, |rule| {
                        TraceStep::new(
                            rule,
                            "emergency care without admission: settled under the outpatient policy",
                        )
                        .zh("门诊急诊急救未住院：按门诊待遇政策报销")
                        .quote(quotes::NOT_ADMITTED)
                    });
                    Policy::GeneralOutpatient {
                        consultation_fee: Yuan::ZERO,
                    }
                }
                EmergencyOutcome::Died => {
                    work.step(&emergency.rules, |rule| TraceStep::new(rule, "death in emergency care: settled under the inpatient policy, as an admission").zh("门诊急诊急救死亡：按住院待遇政策报销，视同一次住院").quote(quotes::DIED));
                    Policy::Admission { maternity: None }
                }
            }
        }
    };

    let remote = RemoteAdjustment {
        treatment: claim.remote_care,
        cut: None,
    };
    let not_paid =
        |work: &mut Work<'_>, eligible: Yuan, reason: NotPaidReason, out: &mut SettledClaim| {
            Figures {
                sequence,
                settled_as: SettledAs::NotPaid,
                amount,
                outside_scope: amount.saturating_sub(eligible),
                eligible,
                deductible: Yuan::ZERO,
                fund_paid: Yuan::ZERO,
                not_paid: Some(reason),
                person_pays: amount,
                remote_care: remote,
                cap_reached: None,
                catastrophic_base: Yuan::ZERO,
                maternity_subsidy_base: None,
            }
            .write(out, claim, BandLines::new(), work);
        };

    // H21, H22: exclusions.
    if let Some(fact) = exclusion(claim) {
        let name = fact.describe();
        let rule = benefits
            .exclusions
            .as_ref()
            .and_then(|p| p.rule_for(fact))
            .ok_or(BenefitError::ExclusionsNotDefined { fact: name })?;
        work.step(&Rules::one(rule), |rule| {
            TraceStep::new(
                rule,
                "the costs are {name}: the fund pays nothing of {amount}",
            )
            .zh("该费用{name}：医疗费用 {amount} 统筹基金不予支付")
            .term("name", fact.term())
            .with("amount", amount)
            .quote(quotes::excluded(fact))
        });
        let reason = NotPaidReason::Excluded {
            exclusion: fact,
            rule,
        };
        not_paid(work, Yuan::ZERO, reason, out);
        return Ok(());
    }
    if claim.accident == Accident::NoLiableThirdParty {
        if let Some(params) = &benefits.exclusions {
            // The rule on accidents is the one that excludes a liable third party (H21).
            let accidents = params.rule_for(NotPaid::LiableThirdParty);
            work.step(&params.rules, |rule| {
                TraceStep::new(
                    rule,
                    "an accident with no liable third party is paid like illness",
                )
                .zh("无他方责任的意外伤害，与普通疾病同样报销")
                .quote_of(accidents.unwrap_or(rule), quotes::ACCIDENT)
            });
        }
    }

    // K5: transfer-out general outpatient is not paid.
    if let (Policy::GeneralOutpatient { .. }, Some(outpatient)) =
        (policy, &benefits.general_outpatient)
    {
        if let Some(transfer) = outpatient
            .transfer_out
            .as_ref()
            .filter(|t| t.not_paid_under.contains(&claim.remote_care))
        {
            work.step(&transfer.rules, |rule| TraceStep::new(rule, "transfer-out ({remote_care}) outpatient costs are not paid: {eligible} to the person")
                .zh("转外（{remote_care}）门诊医疗费用不予支付：{eligible} 由个人负担")
                .term("remote_care", claim.remote_care.term())
                .with("eligible", eligible)
                .quote(quotes::TRANSFER_OUT));
            let reason = NotPaidReason::TransferOutOutpatient {
                treatment: claim.remote_care,
                rule: transfer.rules.first(),
            };
            not_paid(work, eligible, reason, out);
            return Ok(());
        }
    }

    // Levels where outpatient benefits are paid at all (H11, H12: primary care only; K3:
    // the levels of its table).
    let paid_at = match policy {
        Policy::GeneralOutpatient { .. } => benefits
            .general_outpatient
            .as_ref()
            .map(|p| (SettledAs::GeneralOutpatient, &p.paid_at, &p.rules)),
        Policy::TwoDisease => benefits
            .two_disease_drugs
            .as_ref()
            .map(|p| (SettledAs::TwoDiseaseDrugs, &p.paid_at, &p.rules)),
        _ => None,
    };
    if let Some((benefit, levels, rules)) =
        paid_at.filter(|(_, levels, _)| !levels.contains(&claim.level))
    {
        let paid_at: Levels = levels.iter().copied().collect();
        work.step(rules, |rule| {
            TraceStep::new(
                rule,
                "{benefit} is paid at {paid_at} only, not at {level}: {eligible} to the person",
            )
            .zh("{benefit}仅在{paid_at}支付，{level}不予支付：{eligible} 由个人负担")
            .term("benefit", benefit.term())
            .phrase("paid_at", paid_at.to_string(), paid_at.zh())
            .term("level", claim.level.term())
            .with("eligible", eligible)
            .quote(quotes::PAID_AT)
        });
        let reason = NotPaidReason::LevelNotPaid {
            benefit,
            level: claim.level,
            paid_at,
            rule: rules.first(),
        };
        not_paid(work, eligible, reason, out);
        return Ok(());
    }

    // H18 / W5: the remote-care cut, H15: none for a delivery in the province.
    let maternity_no_cut = matches!(
        policy,
        Policy::Admission {
            maternity: Some(Province::SameProvince)
        }
    ) && benefits
        .maternity
        .as_ref()
        .is_some_and(|m| m.same_province == MaternityRemote::NoCut);
    let cut = if maternity_no_cut {
        if let Some(m) = &benefits.maternity {
            if claim.remote_care != RemoteCare::Local {
                work.step(&m.rules, |rule| {
                    TraceStep::new(
                        rule,
                        "a delivery elsewhere in the province: no filing needed and no ratio cut",
                    )
                    .zh("省内异地住院分娩：免备案、不降点")
                    .quote(quotes::SAME_PROVINCE)
                });
            }
        }
        None
    } else {
        remote_cut(work, config.remote_care, claim.remote_care)?
    };
    let remote = RemoteAdjustment { cut, ..remote };
    let cut_rate = |rate: Rate| cut.map_or(rate, |c| c.apply(rate));

    let computed = match policy {
        Policy::GeneralOutpatient { consultation_fee } => general_outpatient(
            work,
            benefits,
            person,
            claim,
            eligible,
            consultation_fee,
            &cut_rate,
        )?,
        Policy::TwoDisease => {
            let p = benefits
                .two_disease_drugs
                .as_ref()
                .ok_or(BenefitError::KindNotDefined {
                    kind: claim.kind.name(),
                })?;
            let cover = match claim.kind {
                ClaimKind::TwoDiseaseDrugs { cover } => cover,
                _ => crate::claim::TwoDiseaseCover::OneDisease,
            };
            let rate = cut_rate(p.rate);
            let cap = p.annual_fund_cap.get(cover);
            work.step(&p.rules, |rule| {
                TraceStep::new(
                    rule,
                    "no deductible; {eligible} × {rate}; annual fund cap {cap} ({cover})",
                )
                .zh("不设起付线；{eligible} × {rate}；年度基金支付限额 {cap}（{cover}）")
                .with("eligible", eligible)
                .with("rate", rate)
                .with("cap", cap)
                .term("cover", cover.term())
                .quote(quotes::ROW)
            });
            Computed {
                settled_as: SettledAs::TwoDiseaseDrugs,
                deductible: Yuan::ZERO,
                bands: smallvec::smallvec![line(BandPart::Whole, eligible, rate)],
                share: Share::Flat(eligible.times(rate)),
                pool: Pool::TwoDisease,
                cap: Some(cap),
                cap_rules: &p.rules,
                catastrophic: false,
            }
        }
        Policy::SpecialDisease => {
            special_disease(work, benefits, person, claim, eligible, &cut_rate)?
        }
        Policy::Admission { .. } => admission(work, benefits, person, claim, eligible, cut, mode)?,
        Policy::DaySurgery => {
            let p = benefits
                .day_surgery
                .as_ref()
                .ok_or(BenefitError::KindNotDefined {
                    kind: claim.kind.name(),
                })?;
            let home = p
                .ratio
                .get(claim.level)
                .ok_or_else(|| not_given_for_level("ratio", claim, person, &p.rules))?;
            let rate = cut_rate(home);
            work.step(&p.rules, |rule| {
                TraceStep::new(rule, "no deductible; {eligible} × {rate} at {level}")
                    .zh("不设起付线；{eligible} × {rate}（{level}）")
                    .with("eligible", eligible)
                    .with("rate", rate)
                    .term("level", claim.level.term())
                    .quote(quotes::RATIO)
            });
            let (cap, cap_rules) = shared_cap(benefits, &p.annual_fund_cap, &p.rules)?;
            Computed {
                settled_as: SettledAs::DaySurgery,
                deductible: Yuan::ZERO,
                bands: smallvec::smallvec![line(BandPart::Whole, eligible, rate)],
                share: Share::Flat(eligible.times(rate)),
                pool: Pool::Inpatient,
                cap: Some(cap),
                cap_rules,
                catastrophic: true,
            }
        }
        Policy::DualChannel => {
            let p = benefits
                .dual_channel_drugs
                .as_ref()
                .ok_or(BenefitError::KindNotDefined {
                    kind: claim.kind.name(),
                })?;
            let rate = cut_rate(p.rate);
            work.step(&p.rules, |rule| TraceStep::new(rule, "no deductible, no cap; {eligible} × {rate}; not part of the catastrophic burden")
                .zh("不设起付线、不设限额；{eligible} × {rate}；不计入大病保险个人负担")
                .with("eligible", eligible)
                .with("rate", rate)
                .quote(quotes::RATIO));
            Computed {
                settled_as: SettledAs::DualChannelDrugs,
                deductible: Yuan::ZERO,
                bands: smallvec::smallvec![line(BandPart::Whole, eligible, rate)],
                share: Share::Flat(eligible.times(rate)),
                pool: Pool::DualChannel,
                cap: None,
                cap_rules: &p.rules,
                catastrophic: false,
            }
        }
    };

    // Draw from the pool: the claim's own share settled to the fen, then what is left of
    // the annual cap (`min(share, cap − paid before)`), never above eligible − deductible.
    let due = computed.share.settled(mode);
    let pool = pool_mut(work.figures, computed.pool);
    let paid_before = pool.paid;
    let left = computed.cap.map(|cap| cap.saturating_sub(paid_before));
    let cap_reached = computed.cap.filter(|_| left.is_some_and(|left| due > left));
    let fund_paid = left
        .map_or(due, |left| due.min(left))
        .min(eligible.saturating_sub(computed.deductible));
    pool.paid = paid_before.checked_add(fund_paid)?;
    if let Some(cap) = cap_reached {
        work.step(computed.cap_rules, |rule| TraceStep::new(rule, "annual fund cap {cap} reached: {paid_before} paid before, {fund_paid} paid now of {due} due")
            .zh("达到年度基金支付限额 {cap}：此前已支付 {paid_before}，本次应付 {due}，实付 {fund_paid}")
            .with("cap", cap)
            .with("paid_before", paid_before)
            .with("fund_paid", fund_paid)
            .with("due", due)
            .quote(quotes::ROW_CAP));
    }
    let person_pays = amount.checked_sub(fund_paid)?;
    let share = eligible.checked_sub(fund_paid)?;
    let catastrophic_base = if computed.catastrophic {
        share
    } else {
        Yuan::ZERO
    };
    let maternity_subsidy_base = match policy {
        Policy::Admission { maternity: Some(_) } => Some(share),
        _ => None,
    };
    if let Some(cut) = cut {
        if let Some(rc) = config.remote_care {
            work.step(&rc.rules, |rule| {
                TraceStep::new(rule, "{remote_care} care: ratio {cut}")
                    .zh("异地就医（{remote_care}）：支付比例{cut}")
                    .term("remote_care", claim.remote_care.term())
                    .phrase("cut", cut.to_string(), cut.zh())
                    .quote(quotes::cut(claim.remote_care))
            });
        }
    }
    if let Some(first) = work.trace.first().map(|s| s.rule) {
        work.trace.push(
            TraceStep::new(
                first,
                "fund pays {fund_paid}; the person pays {person_pays} of {amount}",
            )
            .zh("医疗费总额 {amount}：统筹基金支付 {fund_paid}，个人负担 {person_pays}")
            .yuan("fund_paid", fund_paid)
            .yuan("person_pays", person_pays)
            .yuan("amount", amount),
        );
    }
    Figures {
        sequence,
        settled_as: computed.settled_as,
        amount,
        outside_scope: amount.checked_sub(eligible)?,
        eligible,
        deductible: computed.deductible,
        fund_paid,
        not_paid: None,
        person_pays,
        remote_care: remote,
        cap_reached,
        catastrophic_base,
        maternity_subsidy_base,
    }
    .write(out, claim, computed.bands, work);
    Ok(())
}

fn line(part: BandPart, base: Yuan, rate: Rate) -> BandLine {
    BandLine {
        part,
        base,
        rate,
        share: base.times(rate),
    }
}

/// The bill's total and eligible amounts (H23).
fn split_bill(
    work: &mut Work<'_>,
    config: &SettleConfig<'_>,
    bill: Bill,
) -> Result<(Yuan, Yuan), BenefitError> {
    match bill {
        Bill::Eligible(amount) => Ok((amount, amount)),
        Bill::Classes {
            class_a,
            class_b,
            class_c,
        } => {
            let h23 = rule_id("H23")?;
            let amount = Yuan::checked_sum([class_a, class_b, class_c])?;
            let b_in_scope = if class_b.is_zero() {
                Yuan::ZERO
            } else {
                let share = config
                    .class_b_personal_share
                    .ok_or(BenefitError::ClassBShareNotGiven { class_b, rule: h23 })?;
                let in_scope = Rate::ONE.minus_points(share);
                class_b.times(in_scope).round(config.rounding)
            };
            let eligible = class_a.checked_add(b_in_scope)?;
            let b_share = class_b.checked_sub(b_in_scope)?;
            if work.explain == Explain::Steps {
                work.trace.push(
                    TraceStep::new(
                        h23,
                        "class A {class_a} in scope; class B {class_b} less the personal share {b_share} = {b_in_scope} in scope; class C {class_c} self-paid: eligible {eligible}",
                    )
                    .zh("甲类 {class_a} 全部纳入政策范围；乙类 {class_b} 先行自付 {b_share}，{b_in_scope} 纳入政策范围；丙类 {class_c} 自费：政策范围内费用 {eligible}")
                    .with("class_a", class_a)
                    .with("class_b", class_b)
                    .with("b_share", b_share)
                    .with("b_in_scope", b_in_scope)
                    .with("class_c", class_c)
                    .with("eligible", eligible)
                    .quote(quotes::CLASS_B),
                );
            }
            Ok((amount, eligible))
        }
    }
}

fn exclusion(claim: &Claim) -> Option<NotPaid> {
    if let Some(fact) = claim.exclusions.first() {
        return Some(match fact {
            ExclusionFact::WorkInjury => NotPaid::WorkInjury,
            ExclusionFact::PublicHealth => NotPaid::PublicHealth,
            ExclusionFact::Abroad => NotPaid::Abroad,
        });
    }
    if claim.accident == Accident::LiableThirdParty {
        return Some(NotPaid::LiableThirdParty);
    }
    let emergency = matches!(claim.kind, ClaimKind::Emergency { .. })
        || claim.remote_care == RemoteCare::EmergencyRescue;
    if claim.designation == Designation::NotDesignated && !emergency {
        return Some(NotPaid::NonDesignatedExceptEmergency);
    }
    None
}

fn remote_cut(
    work: &mut Work<'_>,
    params: Option<&RemoteCareParams>,
    treatment: RemoteCare,
) -> Result<Option<RemoteCut>, BenefitError> {
    let rule = params.and_then(|p| p.cut.get(&treatment).map(|r| (p, *r)));
    match (rule, treatment) {
        (Some((p, rule)), _) => {
            let cut = rule.as_cut();
            if cut.is_none() && treatment != RemoteCare::Local {
                work.step(&p.rules, |rule| {
                    TraceStep::new(rule, "{treatment} care: home ratio, no cut")
                        .zh("异地就医（{treatment}）：执行参保地支付比例，不降低")
                        .term("treatment", treatment.term())
                        .quote(quotes::cut(treatment))
                });
            }
            Ok(cut)
        }
        (None, RemoteCare::Local) => Ok(None),
        (None, _) => Err(BenefitError::RemoteCutNotGiven { treatment }),
    }
}

fn shared_cap<'p>(
    benefits: &'p BenefitParams,
    cap: &SharedCap,
    rules: &Rules,
) -> Result<(Yuan, &'p Rules), BenefitError> {
    match cap {
        SharedCap::SharesInpatient => {
            let inpatient = benefits
                .inpatient
                .as_ref()
                .ok_or(BenefitError::KindNotDefined { kind: "inpatient" })?;
            Ok((inpatient.annual_fund_cap, &inpatient.rules))
        }
        SharedCap::NotGivenBySource(note) => Err(BenefitError::LimitNotGivenBySource {
            note: note.clone(),
            rule: rules.first(),
        }),
    }
}

fn general_outpatient<'p>(
    work: &mut Work<'_>,
    benefits: &'p BenefitParams,
    person: &Person,
    claim: &Claim,
    eligible: Yuan,
    consultation_fee: Yuan,
    cut_rate: &dyn Fn(Rate) -> Rate,
) -> Result<Computed<'p>, BenefitError> {
    let p = benefits
        .general_outpatient
        .as_ref()
        .ok_or(BenefitError::KindNotDefined {
            kind: claim.kind.name(),
        })?;
    if consultation_fee > eligible {
        return Err(BenefitError::ConsultationFeeAboveEligible {
            fee: consultation_fee,
            eligible,
        });
    }
    let mut bands = BandLines::new();
    let mut contribution = ExactYuan::ZERO;
    for (part, base) in [
        (OutpatientPart::ConsultationFee, consultation_fee),
        (
            OutpatientPart::Other,
            eligible.checked_sub(consultation_fee)?,
        ),
    ] {
        let row = p
            .ratios
            .iter()
            .find(|r| {
                r.level == claim.level
                    && r.group.is_none_or(|g| g == person.group)
                    && r.family_doctor.is_none_or(|f| f == person.family_doctor)
                    && r.part.is_none_or(|x| x == part)
            })
            .ok_or_else(|| not_given_for_level("ratio", claim, person, &p.rules))?;
        if base.is_zero() {
            continue;
        }
        let rate = cut_rate(row.rate);
        let band_part = match row.part {
            None => BandPart::Whole,
            Some(OutpatientPart::ConsultationFee) => BandPart::ConsultationFee,
            Some(OutpatientPart::Other) => BandPart::OtherCosts,
        };
        let l = line(band_part, base, rate);
        contribution = contribution.checked_add(l.share)?;
        bands.push(l);
    }
    let cap = p.annual_fund_cap.get(person.family_doctor);
    work.step(&p.rules, |rule| {
        TraceStep::new(
            rule,
            "no deductible; {bands} at {level} ({group}, {family_doctor}); annual fund cap {cap}",
        )
        .zh("不设起付线；{bands}（{level}，{group}，{family_doctor}）；年度基金支付限额 {cap}")
        .text("bands", band_products(&bands, "0"))
        .term("level", claim.level.term())
        .term("group", person.group.term())
        .term("family_doctor", person.family_doctor.term())
        .yuan("cap", cap)
        .quote(quotes::row(claim.level))
    });
    Ok(Computed {
        settled_as: SettledAs::GeneralOutpatient,
        deductible: Yuan::ZERO,
        bands,
        share: Share::Flat(contribution),
        pool: Pool::GeneralOutpatient,
        cap: Some(cap),
        cap_rules: &p.rules,
        catastrophic: false,
    })
}

fn special_disease<'p>(
    work: &mut Work<'_>,
    benefits: &'p BenefitParams,
    person: &Person,
    claim: &Claim,
    eligible: Yuan,
    cut_rate: &dyn Fn(Rate) -> Rate,
) -> Result<Computed<'p>, BenefitError> {
    let p = benefits
        .special_disease
        .as_ref()
        .ok_or(BenefitError::KindNotDefined {
            kind: claim.kind.name(),
        })?;
    let ClaimKind::SpecialDisease { class, catalogue } = claim.kind else {
        return Err(BenefitError::KindNotDefined {
            kind: claim.kind.name(),
        });
    };
    let cap_rule = match catalogue {
        SpecialDiseaseCatalogue::Provincial => &p.provincial_cap,
        SpecialDiseaseCatalogue::CityRetained => &p.city_retained_cap,
    };
    let (cap, cap_rules) = shared_cap(benefits, cap_rule, &p.rules)?;
    let home = p
        .ratio
        .get(claim.level)
        .ok_or_else(|| not_given_for_level("ratio", claim, person, &p.rules))?;
    let rate = cut_rate(home);
    let yearly = p.deductible.get(class);
    let borne = work.figures.special_disease_deductibles.get(class);
    let remaining = yearly.saturating_sub(borne);
    let deductible = remaining.min(eligible);
    work.figures
        .special_disease_deductibles
        .add(class, deductible)?;
    let base = eligible.checked_sub(deductible)?;
    work.step(&p.rules, |rule| TraceStep::new(rule, "{class}: yearly deductible {yearly}, {borne} borne before, {deductible} now; ({eligible} - {deductible}) × {rate} at {level}")
        .zh("{class}：年度起付线 {yearly}，此前已负担 {borne}，本次 {deductible}；({eligible} - {deductible}) × {rate}（{level}）")
        .term("class", class.term())
        .with("yearly", yearly)
        .with("borne", borne)
        .with("deductible", deductible)
        .with("eligible", eligible)
        .with("rate", rate)
        .term("level", claim.level.term())
        .quote(quotes::row(claim.level)));
    let l = line(BandPart::Whole, base, rate);
    Ok(Computed {
        settled_as: SettledAs::SpecialDisease,
        deductible,
        share: Share::Flat(l.share),
        bands: smallvec::smallvec![l],
        pool: Pool::Inpatient,
        cap: Some(cap),
        cap_rules,
        catastrophic: true,
    })
}

fn admission<'p>(
    work: &mut Work<'_>,
    benefits: &'p BenefitParams,
    person: &Person,
    claim: &Claim,
    eligible: Yuan,
    cut: Option<RemoteCut>,
    mode: RoundingMode,
) -> Result<Computed<'p>, BenefitError> {
    let p = benefits
        .inpatient
        .as_ref()
        .ok_or(BenefitError::KindNotDefined { kind: "inpatient" })?;
    let not_given = |what| BenefitError::NotGivenForLevel {
        what,
        kind: "inpatient",
        level: claim.level,
        group: person.group,
        rule: p.rules.first(),
    };
    let out_of_city = !matches!(
        claim.remote_care,
        RemoteCare::Local | RemoteCare::RegionalSameCity
    );
    // The row the deductible comes from: outside the city, or the level's.
    let deductible_row = match (out_of_city, p.out_of_city_deductible) {
        (true, Some(_)) => quotes::ROW_OUTSIDE_CITY,
        _ => quotes::row(claim.level),
    };
    let level_deductible = match (out_of_city, p.out_of_city_deductible) {
        (true, Some(amount)) => {
            work.step(&p.rules, |rule| {
                TraceStep::new(rule, "outside the city: deductible {amount}")
                    .zh("市外定点医院：起付线 {amount}")
                    .with("amount", amount)
                    .quote(quotes::ROW_OUTSIDE_CITY)
            });
            amount
        }
        _ => p
            .deductible
            .iter()
            .find(|r| r.level == claim.level && r.group.is_none_or(|g| g == person.group))
            .map(|r| r.amount)
            .ok_or_else(|| not_given("deductible"))?,
    };
    let figures = &mut work.figures;
    let number = figures.admissions.saturating_add(1);
    // The deductible of this admission and, for a repeat admission, the rule that set it
    // and the first admission's deductible (put into words only when explained).
    let (nominal, repeat) = match (number, figures.first_admission_deductible) {
        (1, _) | (_, None) => (level_deductible, None),
        (n, Some(first)) => {
            let rule = if n == 2 {
                p.repeat_admissions.second
            } else {
                p.repeat_admissions.third_and_later
            };
            let nominal = match rule {
                RepeatDeductible::Full => level_deductible,
                RepeatDeductible::ShareOfFirst(share) => first.times(share).round(mode),
                RepeatDeductible::Amount(d) => d,
            };
            (nominal, Some((rule, first)))
        }
    };
    if figures.first_admission_deductible.is_none() {
        figures.first_admission_deductible = Some(nominal);
    }
    figures.admissions = number;
    let deductible = nominal.min(eligible);
    work.step(&p.rules, |rule| {
        let step = match repeat {
            None => TraceStep::new(
                rule,
                "admission 1 of the year: deductible {level_deductible}; {deductible} of {eligible} borne as deductible",
            )
            .zh("本年度第 1 次住院：起付线 {level_deductible}；政策范围内费用 {eligible} 中 {deductible} 计入起付线")
            .yuan("level_deductible", level_deductible)
            .quote(deductible_row),
            Some((RepeatDeductible::Full, _)) => TraceStep::new(
                rule,
                "admission {n} of the year: full deductible {level_deductible}; {deductible} of {eligible} borne as deductible",
            )
            .zh("本年度第 {n} 次住院：全额起付线 {level_deductible}；政策范围内费用 {eligible} 中 {deductible} 计入起付线")
            .with("n", number)
            .yuan("level_deductible", level_deductible)
            .quote(deductible_row),
            Some((RepeatDeductible::ShareOfFirst(share), first)) => TraceStep::new(
                rule,
                "admission {n} of the year: {share} of the first admission's deductible {first} = {nominal}; {deductible} of {eligible} borne as deductible",
            )
            .zh("本年度第 {n} 次住院：首次起付线 {first} 的 {share} = {nominal}；政策范围内费用 {eligible} 中 {deductible} 计入起付线")
            .with("n", number)
            .rate("share", share)
            .yuan("first", first)
            .yuan("nominal", nominal)
            .quote(quotes::NOTE_REPEAT),
            Some((RepeatDeductible::Amount(d), _)) => TraceStep::new(
                rule,
                "admission {n} of the year: deductible {d}; {deductible} of {eligible} borne as deductible",
            )
            .zh("本年度第 {n} 次住院：起付线 {d}；政策范围内费用 {eligible} 中 {deductible} 计入起付线")
            .with("n", number)
            .yuan("d", d)
            .quote(quotes::NOTE_REPEAT),
        };
        step.yuan("deductible", deductible).yuan("eligible", eligible)
    });

    let (bands, share, cap) = match &p.ratio {
        InpatientRatio::Ladder(ladder) => {
            // The ladder as it is, or a copy with every rate cut (remote care).
            let schedule = match cut {
                None => std::borrow::Cow::Borrowed(&ladder.bands),
                Some(cut) => std::borrow::Cow::Owned(Schedule::new(
                    ladder
                        .bands
                        .bands()
                        .iter()
                        .map(|b| Band {
                            rate: cut.apply(b.rate),
                            ..*b
                        })
                        .collect(),
                )?),
            };
            let figures = &mut work.figures;
            let position = figures.ladder_position;
            let mut low = position.checked_add(deductible)?;
            let mut high = position.checked_add(eligible)?;
            figures.ladder_position = high;
            let cap = match p.cap_basis {
                CapBasis::AnnualFundPayment => Some(p.annual_fund_cap),
                CapBasis::EligibleExpense => {
                    low = low.min(p.annual_fund_cap);
                    high = high.min(p.annual_fund_cap);
                    None
                }
            };
            let bands: BandLines = schedule
                .breakdown(low, high)
                .into_iter()
                .map(|s| BandLine {
                    part: BandPart::Ladder {
                        band: s.band,
                        from: s.bounds.from,
                        to: s.bounds.to,
                    },
                    base: s.base,
                    rate: s.bounds.rate,
                    share: s.share,
                })
                .collect();
            let after = position.checked_add(eligible)?;
            work.step(&p.rules, |rule| {
                TraceStep::new(
                    rule,
                    "ladder position {position} → {after}: deductible occupies {position}–{low}, paid {low}–{high}: {bands}",
                )
                .zh("本年度累计费用 {position} → {after}：起付线占 {position}–{low}，分段支付 {low}–{high}：{bands}")
                .yuan("position", position)
                .yuan("after", after)
                .yuan("low", low)
                .yuan("high", high)
                .text("bands", band_products(&bands, "nothing"))
                .quote(quotes::ROW)
            });
            // The ladder telescopes on the year's exact fund figure (K4 reading): the
            // admission is paid round(after) − round(before) of it, before the annual cap.
            let fund_before = work.figures.ladder_fund;
            let fund_after = fund_before.checked_add(schedule.between(low, high))?;
            work.figures.ladder_fund = fund_after;
            work.step(&p.rules, |rule| TraceStep::new(rule, "the ladder's fund figure of the year {fund_before} → {fund_after}: this admission's share is round({fund_after}) − round({fund_before}) = {share}")
                .zh("本年度分段累计统筹基金支付 {fund_before} → {fund_after}：本次住院 = 舍入({fund_after}) − 舍入({fund_before}) = {share}")
                .with("fund_before", fund_before)
                .with("fund_after", fund_after)
                .with("share", telescoping_increment(fund_before, fund_after, mode))
                .quote(quotes::ROW));
            let share = Share::Cumulative {
                before: fund_before,
                after: fund_after,
            };
            (bands, share, cap)
        }
        InpatientRatio::ByLevel(rates) => {
            let home = rates.get(claim.level).ok_or_else(|| not_given("ratio"))?;
            let rate = cut.map_or(home, |c| c.apply(home));
            let base = eligible.checked_sub(deductible)?;
            work.step(&p.rules, |rule| {
                TraceStep::new(rule, "({eligible} - {deductible}) × {rate} at {level}")
                    .zh("({eligible} - {deductible}) × {rate}（{level}）")
                    .with("eligible", eligible)
                    .with("deductible", deductible)
                    .with("rate", rate)
                    .term("level", claim.level.term())
                    .quote(quotes::row(claim.level))
            });
            let l = line(BandPart::Whole, base, rate);
            let share = Share::Flat(l.share);
            (smallvec::smallvec![l], share, Some(p.annual_fund_cap))
        }
    };
    Ok(Computed {
        settled_as: SettledAs::Inpatient,
        deductible,
        bands,
        share,
        pool: Pool::Inpatient,
        cap,
        cap_rules: &p.rules,
        catastrophic: true,
    })
}

/// A year settled from a list of claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearSettlement {
    /// The year state after the last claim.
    pub state: YearState,
    /// The settlements, in the order settled (by date; same-day claims in input order).
    pub settled: Vec<SettledClaim>,
}

/// Settles a year's claims: sorts them by date (stable: claims of the same day keep their
/// order) and settles them one by one from an empty year state.
///
/// # Errors
/// The first error of [`settle`].
pub fn settle_year(
    year: PolicyYear,
    config: &SettleConfig<'_>,
    person: &Person,
    claims: &[Claim],
) -> Result<YearSettlement, BenefitError> {
    let mut ordered: Vec<&Claim> = claims.iter().collect();
    ordered.sort_by_key(|c| c.date);
    let mut state = YearState::new(year);
    let mut settled = Vec::with_capacity(ordered.len());
    for claim in ordered {
        settled.push(settle(&mut state, config, person, claim)?);
    }
    Ok(YearSettlement { state, settled })
}
