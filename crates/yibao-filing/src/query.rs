//! Queries: how care on a day at a place is treated (W5, W6, W9, K8, H18), and the
//! manual-claim deadline (W7, K7).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use yibao_core::{Lang, PolicyYear, RemoteCare, RuleId, Said};

use crate::error::FilingError;
use crate::machine::{FilingId, FilingType, LastDay, Term};
use crate::place::{Area, Region};
use crate::policy::{
    CatalogueAndPolicy, ClaimDeadline, CountedIn, EmergencyWithoutFiling, FilingPolicy, LateUntil,
    Side,
};
use crate::quotes;
use crate::register::{Register, Step};

/// Why the person sought care.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Circumstance {
    /// Planned or ordinary care.
    Planned,
    /// Emergency rescue while away (急诊抢救, W1, H18 via Q84).
    EmergencyRescue,
}

/// Whether the institution settles this care directly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Connection {
    /// A networked (联网) designated institution whose settlement works.
    Networked,
    /// Not networked, or settlement failed (W7: 网络故障等原因).
    NotSettled,
}

/// One episode of care to assess.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CareQuery {
    /// The day of care.
    #[serde(deserialize_with = "yibao_core::deserialize_date")]
    pub date: NaiveDate,
    /// Where.
    pub area: Area,
    /// Why.
    pub circumstance: Circumstance,
    /// Whether the institution can settle directly.
    pub connection: Connection,
}

impl CareQuery {
    /// Care on `date` in `area`, for `circumstance`, at an institution of this `connection`.
    pub fn new(
        date: NaiveDate,
        area: Area,
        circumstance: Circumstance,
        connection: Connection,
    ) -> CareQuery {
        CareQuery {
            date,
            area,
            circumstance,
            connection,
        }
    }
}

/// How a claim is settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Settlement {
    /// Settled at the institution (直接结算).
    Direct,
    /// Paid in cash, then claimed (零星报销); see [`manual_claim_deadline`].
    ManualClaim,
}

yibao_core::words!(Settlement {
    Direct => "direct",
    ManualClaim => "manual_claim",
});

/// The answer for one episode of care.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CareAssessment {
    /// Home, in the province, or across provinces.
    pub region: Region,
    /// The treatment benefits apply (the ratio cut is the benefits crate's).
    pub treatment: RemoteCare,
    /// The filing that decided it, if one did.
    pub filing: Option<FilingId>,
    /// Whose catalogue and whose policy apply.
    pub catalogue: CatalogueAndPolicy,
    /// Direct or manual.
    pub settlement: Settlement,
    /// What the answer relies on that the source does not give: a deciding filing whose
    /// validity the source leaves open, read as in force until cancelled (K8 Reading).
    pub notes: Vec<Said>,
    /// How each part was decided.
    #[serde(serialize_with = "yibao_core::step::described")]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "yibao_core::schema::described_steps")
    )]
    pub trace: Vec<Step>,
}

/// Where an area lies relative to the policy's home area.
pub fn region_of(area: &Area, policy: &FilingPolicy) -> Region {
    let home = &policy.places.home_area;
    if home.contains(area) {
        Region::Home
    } else if home.province() == area.province() {
        Region::InProvince
    } else {
        Region::CrossProvince
    }
}

fn treatment_of(filing_type: FilingType) -> RemoteCare {
    match filing_type {
        FilingType::ResettledRetiree
        | FilingType::LongTermResident
        | FilingType::StationedWorker => RemoteCare::LongTermFiled,
        FilingType::Referral => RemoteCare::Referral,
        FilingType::EmergencyRescue => RemoteCare::EmergencyRescue,
        FilingType::OtherTemporary => RemoteCare::TemporaryFiled,
    }
}

/// Preference when several filings cover the same care: the treatment no source cuts more
/// than another's comes first (long-term, emergency rescue, referral, other temporary).
fn preference(treatment: RemoteCare) -> u8 {
    match treatment {
        RemoteCare::Local | RemoteCare::RegionalSameCity => 0,
        RemoteCare::LongTermFiled => 1,
        RemoteCare::EmergencyRescue => 2,
        RemoteCare::Referral | RemoteCare::ExemptAsReferral => 3,
        RemoteCare::TemporaryFiled => 4,
        RemoteCare::Unfiled => 5,
    }
}

/// How care on `query.date` in `query.area` is treated, given the person's filings.
///
/// In order: care in the home area is local; a place that needs no filing gets its treatment
/// (W6: Shanghai as referral, Qingpu and Jiashan as the same city; the most specific place
/// wins); else the filings whose place contains the area and whose term covers the day
/// (W5, H18); else emergency rescue as the policy says (H18 via Q84: treated as filed); else
/// unfiled. Direct settlement needs a filing or a no-filing place and a networked institution;
/// unfiled care is claimed manually (Q54). The catalogue follows K8 and W9; a manual claim
/// uses the catalogue `[filing.manual_claim]` names, where it names one (W8).
///
/// # Errors
/// [`FilingError::NotGivenBySource`] when the answer needs a rule the source does not give
/// (unfiled emergency rescue in Wujiang, a filing whose validity Kunshan does not state).
pub fn assess_care(
    register: &Register,
    query: &CareQuery,
    policy: &FilingPolicy,
) -> Result<CareAssessment, FilingError> {
    let mut trace = Vec::new();
    let region = region_of(&query.area, policy);
    let places_rule = policy.places.rules.first();
    let mut filing = None;
    let mut notes = Vec::new();

    let exemption = policy
        .places
        .exemptions
        .iter()
        .filter(|e| e.area.contains(&query.area))
        .max_by_key(|e| e.area.depth());

    let treatment = if region == Region::Home {
        trace.push(
            Step::new(
                places_rule,
                "{area} lies in the home area {home_area}: local care",
            )
            .zh("{area} 属于参保地 {home_area}：本地就医")
            .text("area", &query.area)
            .text("home_area", &policy.places.home_area),
        );
        RemoteCare::Local
    } else if let Some(exemption) = exemption {
        trace.push(Step::new(places_rule, "{area} lies in {exempt_area} ({name_zh}), which needs no filing: treated as {treatment}")
            .zh("{area} 属于 {exempt_area}（{name_zh}），无需备案：按{treatment}结算")
            .text("area", &query.area)
            .text("exempt_area", &exemption.area)
            .with("name_zh", &exemption.name_zh)
            .term("treatment", exemption.treatment.term()));
        exemption.treatment
    } else {
        let mut best: Option<(RemoteCare, FilingId)> = None;
        for (id, state) in register.filings() {
            let Some(app) = state.application() else {
                continue;
            };
            if !app.area.contains(&query.area) || !state.covers(query.date)? {
                continue;
            }
            let treatment = treatment_of(app.filing_type);
            if best
                .as_ref()
                .is_none_or(|(b, _)| preference(treatment) < preference(*b))
            {
                best = Some((treatment, id.clone()));
            }
        }
        let emergency = match (query.circumstance, &policy.emergency_rescue.without_filing) {
            (Circumstance::EmergencyRescue, EmergencyWithoutFiling::TreatedAsFiled) => {
                Some(RemoteCare::EmergencyRescue)
            }
            (Circumstance::EmergencyRescue, EmergencyWithoutFiling::NotGivenBySource(note))
                if best.is_none() =>
            {
                return Err(FilingError::NotGivenBySource {
                    what: "how emergency rescue without a filing is treated",
                    note: note.clone(),
                });
            }
            (Circumstance::EmergencyRescue, EmergencyWithoutFiling::NotGivenBySource(_))
            | (Circumstance::Planned, _) => None,
        };
        match (best, emergency) {
            (Some((by_filing, id)), Some(rescue)) if preference(rescue) < preference(by_filing) => {
                trace.push(Step::new(policy.emergency_rescue.rules.first(), "emergency rescue in {area} on {date}: treated as filed, which is better than filing {id}'s {by_filing}")
                    .zh("{date} 在 {area} 急诊抢救：视同已备案，优于备案 {id} 的{by_filing}")
                    .text("area", &query.area)
                    .with("date", query.date)
                    .text("id", &id)
                    .term("by_filing", by_filing.term())
                    .quote(quotes::EMERGENCY_RESCUE));
                RemoteCare::EmergencyRescue
            }
            (Some((by_filing, id)), _) => {
                trace.push(
                    Step::new(
                        policy.validity.rules.first(),
                        "filing {id} covers {area} on {date}: treated as {by_filing}",
                    )
                    .zh("{date} 备案 {id} 覆盖 {area}：按{by_filing}结算")
                    .text("id", &id)
                    .text("area", &query.area)
                    .with("date", query.date)
                    .term("by_filing", by_filing.term()),
                );
                if let Some(step) = validity_not_given(register, &id, policy.validity.rules.first())
                {
                    notes.push(Said::new(step.render(), step.render_in(Lang::Zh)));
                    trace.push(step);
                }
                filing = Some(id);
                by_filing
            }
            (None, Some(rescue)) => {
                trace.push(
                    Step::new(
                        policy.emergency_rescue.rules.first(),
                        "emergency rescue in {area} on {date} without a filing: treated as filed",
                    )
                    .zh("{date} 在 {area} 急诊抢救，未办理备案：视同已备案")
                    .text("area", &query.area)
                    .with("date", query.date)
                    .quote(quotes::EMERGENCY_RESCUE),
                );
                rescue
            }
            (None, None) => {
                trace.push(
                    Step::new(
                        places_rule,
                        "no filing covers {area} on {date}: unfiled remote care",
                    )
                    .zh("{date} 无备案覆盖 {area}：未备案异地就医")
                    .text("area", &query.area)
                    .with("date", query.date)
                    .quote(quotes::FILE_FIRST),
                );
                RemoteCare::Unfiled
            }
        }
    };

    let settlement = match (treatment, query.connection) {
        (RemoteCare::Unfiled, _) => {
            trace.push(
                Step::new(
                    policy.manual_claim.rules.first(),
                    "unfiled remote care is paid in cash and claimed manually",
                )
                .zh("未备案异地就医：先行全额垫付，再回参保地零星报销")
                .quote(quotes::MANUAL_CLAIM),
            );
            Settlement::ManualClaim
        }
        (_, Connection::NotSettled) => {
            trace.push(
                Step::new(
                    policy.manual_claim.rules.first(),
                    "the institution did not settle directly: paid in cash and claimed manually",
                )
                .zh("就医机构未直接结算：先行全额垫付，再零星报销")
                .quote(quotes::MANUAL_CLAIM_NOT_SETTLED),
            );
            Settlement::ManualClaim
        }
        (
            RemoteCare::Local
            | RemoteCare::LongTermFiled
            | RemoteCare::Referral
            | RemoteCare::TemporaryFiled
            | RemoteCare::EmergencyRescue
            | RemoteCare::ExemptAsReferral
            | RemoteCare::RegionalSameCity,
            Connection::Networked,
        ) => Settlement::Direct,
    };

    let rule = policy.catalogue.rules.first();
    let mut catalogue = match region {
        Region::Home => CatalogueAndPolicy {
            catalogue: Side::InsuredPlace,
            policy: Side::InsuredPlace,
        },
        Region::InProvince => policy.catalogue.in_province,
        Region::CrossProvince => policy.catalogue.cross_province,
    };
    let step = Step::new(
        rule,
        "{region} care: the {catalogue}'s catalogue, the {policy}'s policy",
    )
    .zh("{region}：执行{catalogue}医保目录，执行{policy}待遇政策")
    .term("region", region.term())
    .term("catalogue", catalogue.catalogue.term())
    .term("policy", catalogue.policy.term());
    trace.push(match quotes::catalogue(region) {
        Some(key) => step.quote(key),
        None => step,
    });
    if let (Settlement::ManualClaim, Some(side)) = (settlement, policy.manual_claim.catalogue) {
        if side != catalogue.catalogue {
            trace.push(
                Step::new(
                    policy.manual_claim.rules.first(),
                    "a manual claim is settled on the {side}'s catalogue",
                )
                .zh("零星报销执行{side}医保目录")
                .term("side", side.term())
                .quote(quotes::CATALOGUE),
            );
        }
        catalogue.catalogue = side;
    }

    Ok(CareAssessment {
        region,
        treatment,
        filing,
        catalogue,
        settlement,
        notes,
        trace,
    })
}

/// The note for a filing whose term is read as until cancelled because the source gives no
/// validity (K8 Reading), if it is one.
fn validity_not_given(register: &Register, id: &FilingId, rule: RuleId) -> Option<Step> {
    let term = register.filing(id)?.term()?;
    match term {
        Term::Full {
            start,
            last: LastDay::UntilCancelled(note),
        } => Some(
            Step::new(
                rule,
                "filing {id}: {note}; it is read as in force from its start {start} until cancelled",
            )
            .zh("备案 {id}：{note}；按自备案开始之日 {start} 起至取消备案时止有效处理")
            .text("id", id)
            .phrase("note", note.clone(), "政策资料未规定该类备案的有效期".to_owned())
            .date("start", start),
        ),
        Term::Full { .. } | Term::Provisional { .. } => None,
    }
}

/// The manual-claim window for an expense (W7, K7).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ManualClaimDeadline {
    /// The policy year of the expense.
    pub expense_year: PolicyYear,
    /// The last day of the regular window (K7: 30 December; W7: 31 December).
    pub regular_until: NaiveDate,
    /// The last day a late claim is taken (the end of the next policy year).
    pub final_day: NaiveDate,
    /// The year a claim counts in.
    pub counted_in: CountedIn,
    /// How it was decided.
    #[serde(serialize_with = "yibao_core::step::described")]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "yibao_core::schema::described_steps")
    )]
    pub trace: Vec<Step>,
}

/// Where a claim filed on a given day stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimTiming {
    /// In the regular window; counts in the year processed.
    OnTime {
        /// The policy year it counts in.
        counts_in: PolicyYear,
    },
    /// Late but still taken; counts in the year processed.
    Late {
        /// The policy year it counts in.
        counts_in: PolicyYear,
    },
    /// Too late: the window closed.
    Closed {
        /// The last day it was open.
        final_day: NaiveDate,
    },
}

/// The manual-claim deadline for an expense on `expense_date`.
///
/// # Errors
/// [`FilingError::NotGivenBySource`] when the source gives no deadline (Huai'an);
/// [`FilingError::Date`] outside the supported policy years.
pub fn manual_claim_deadline(
    expense_date: NaiveDate,
    policy: &FilingPolicy,
) -> Result<ManualClaimDeadline, FilingError> {
    let rule = policy.manual_claim.rules.first();
    match &policy.manual_claim.deadline {
        ClaimDeadline::NotGivenBySource(note) => Err(FilingError::NotGivenBySource {
            what: "a deadline for manual claims",
            note: note.clone(),
        }),
        ClaimDeadline::YearEnd {
            closes,
            late_until,
            counted_in,
        } => {
            let year = PolicyYear::of(expense_date)?;
            let regular_until = closes.in_year(year.get()).unwrap_or(year.last_day());
            let final_day = match late_until {
                LateUntil::EndOfNextPolicyYear => year
                    .next()
                    .ok_or(yibao_core::DateError::YearOutOfRange {
                        year: i64::from(year.get()) + 1,
                    })?
                    .last_day(),
            };
            let trace = vec![Step::new(rule, "an expense of {expense_date} (policy year {year}) is claimed by {regular_until}; late claims are taken until {final_day} and count in the year processed")
                .zh("{expense_date} 发生的费用（{year} 年度）应于 {regular_until} 前办理报销；逾期未报的可延长至 {final_day}，列入办理报销结付手续的年度累计")
                .with("expense_date", expense_date)
                .with("year", year)
                .with("regular_until", regular_until)
                .with("final_day", final_day)
                .quote(quotes::DEADLINE)];
            Ok(ManualClaimDeadline {
                expense_year: year,
                regular_until,
                final_day,
                counted_in: *counted_in,
                trace,
            })
        }
    }
}

impl ManualClaimDeadline {
    /// Where a claim processed on `processed_on` stands.
    ///
    /// # Errors
    /// [`FilingError::Date`] outside the supported policy years.
    pub fn timing(&self, processed_on: NaiveDate) -> Result<ClaimTiming, FilingError> {
        let counts_in = match self.counted_in {
            CountedIn::YearProcessed => PolicyYear::of(processed_on)?,
        };
        Ok(if processed_on <= self.regular_until {
            ClaimTiming::OnTime { counts_in }
        } else if processed_on <= self.final_day {
            ClaimTiming::Late { counts_in }
        } else {
            ClaimTiming::Closed {
                final_day: self.final_day,
            }
        })
    }
}
