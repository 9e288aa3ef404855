//! The ladder: one jurisdiction's catastrophic schedules across policy years (2021–2026), each
//! year published or not, and its view as rows for the command line.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;
use yibao_core::{Band, PolicyYear, RoundingMode, Yuan};

use crate::error::CatastrophicError;
use crate::incentive::{CapInForce, IncentiveHistory};
use crate::policy::{CatastrophicPolicy, PersonClass};
use crate::settle::{AnnualSettlement, ClaimSettlement};

/// What the policy data says about one year of a jurisdiction.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Publication {
    /// The `[catastrophic]` section of that year.
    Published(Box<CatastrophicPolicy>),
    /// The sources publish no schedule; the reason as the data states it
    /// (`[absent] catastrophic = "…"`).
    NotPublished {
        /// Why, e.g. "the sources publish no catastrophic schedule for Kunshan 2021".
        reason: String,
    },
}

/// One jurisdiction's catastrophic schedules by policy year. The facade builds it from the
/// policy data, so adding a year is a data change only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ladder {
    jurisdiction: String,
    years: BTreeMap<PolicyYear, Publication>,
}

/// One year's schedule taken from a [`Ladder`]: the policy with its year and jurisdiction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct YearSchedule<'a> {
    jurisdiction: &'a str,
    year: PolicyYear,
    policy: &'a CatastrophicPolicy,
}

impl Ladder {
    /// An empty ladder for a jurisdiction id (e.g. `huaian`).
    pub fn new(jurisdiction: impl Into<String>) -> Ladder {
        Ladder {
            jurisdiction: jurisdiction.into(),
            years: BTreeMap::new(),
        }
    }

    /// Records what the data says about `year`.
    ///
    /// # Errors
    /// [`CatastrophicError::DuplicateYear`] when the year already has an entry.
    pub fn insert(
        &mut self,
        year: PolicyYear,
        publication: Publication,
    ) -> Result<(), CatastrophicError> {
        if self.years.contains_key(&year) {
            return Err(CatastrophicError::DuplicateYear {
                jurisdiction: self.jurisdiction.clone(),
                year,
            });
        }
        self.years.insert(year, publication);
        Ok(())
    }

    /// The jurisdiction id.
    pub fn jurisdiction(&self) -> &str {
        &self.jurisdiction
    }

    /// The schedule of `year`.
    ///
    /// # Errors
    /// [`CatastrophicError::NoSchedule`] when the year is not published (with the data's
    /// reason) or has no entry at all.
    pub fn schedule(&self, year: PolicyYear) -> Result<YearSchedule<'_>, CatastrophicError> {
        match self.years.get(&year) {
            Some(Publication::Published(policy)) => Ok(YearSchedule {
                jurisdiction: &self.jurisdiction,
                year,
                policy,
            }),
            Some(Publication::NotPublished { reason }) => Err(CatastrophicError::NoSchedule {
                jurisdiction: self.jurisdiction.clone(),
                year,
                reason: yibao_core::Said::new(
                    reason.clone(),
                    format!("政策资料未公布 {year} 年度大病保险待遇标准"),
                ),
            }),
            None => Err(CatastrophicError::NoSchedule {
                jurisdiction: self.jurisdiction.clone(),
                year,
                reason: yibao_core::Said::new(
                    format!(
                        "the policy data holds no catastrophic schedule for {} {year}",
                        self.jurisdiction
                    ),
                    format!("已加载的政策数据中没有 {year} 年度大病保险待遇标准"),
                ),
            }),
        }
    }

    /// The ladder view: one row per year from `first` to `last` inclusive (none if
    /// `last < first`), each with the schedule or the reason it is not published.
    pub fn rows(&self, first: PolicyYear, last: PolicyYear) -> Vec<LadderRow> {
        let mut rows = Vec::new();
        let mut year = Some(first);
        while let Some(current) = year.filter(|y| *y <= last) {
            let entry = match self.years.get(&current) {
                Some(Publication::Published(policy)) => {
                    LadderEntry::Published(PublishedRow::of(policy))
                }
                Some(Publication::NotPublished { reason }) => LadderEntry::NotPublished {
                    reason: reason.clone(),
                },
                None => LadderEntry::NoData {
                    reason: format!(
                        "no policy data is loaded for {} {current}",
                        self.jurisdiction
                    ),
                },
            };
            rows.push(LadderRow {
                year: current,
                entry,
            });
            year = current.next();
        }
        rows
    }
}

impl<'a> YearSchedule<'a> {
    /// The jurisdiction id.
    pub fn jurisdiction(&self) -> &'a str {
        self.jurisdiction
    }

    /// The policy year.
    pub fn year(&self) -> PolicyYear {
        self.year
    }

    /// The `[catastrophic]` section of that year.
    pub fn policy(&self) -> &'a CatastrophicPolicy {
        self.policy
    }

    /// The cap in force this year for a person with `history`; see
    /// [`CatastrophicPolicy::cap_in_force`].
    ///
    /// # Errors
    /// As [`CatastrophicPolicy::cap_in_force`].
    pub fn cap_in_force(
        &self,
        history: &IncentiveHistory,
    ) -> Result<CapInForce, CatastrophicError> {
        self.policy.cap_in_force(self.year, history)
    }

    fn check_year(&self, cap: &CapInForce) -> Result<(), CatastrophicError> {
        if cap.year != self.year {
            return Err(CatastrophicError::CapForAnotherYear {
                cap_year: cap.year,
                year: self.year,
            });
        }
        Ok(())
    }

    /// The year's catastrophic payment; see [`CatastrophicPolicy::settle_year`].
    ///
    /// # Errors
    /// [`CatastrophicError::CapForAnotherYear`] when `cap` is of another year, otherwise as
    /// [`CatastrophicPolicy::settle_year`].
    pub fn settle_year(
        &self,
        class: PersonClass,
        burden: Yuan,
        cap: &CapInForce,
        mode: RoundingMode,
    ) -> Result<AnnualSettlement, CatastrophicError> {
        self.check_year(cap)?;
        self.policy.settle_year(class, burden, cap, mode)
    }

    /// One claim's catastrophic payment; see [`CatastrophicPolicy::settle_claim`].
    ///
    /// # Errors
    /// [`CatastrophicError::CapForAnotherYear`] when `cap` is of another year, otherwise as
    /// [`CatastrophicPolicy::settle_claim`].
    pub fn settle_claim(
        &self,
        class: PersonClass,
        before: Yuan,
        after: Yuan,
        cap: &CapInForce,
        mode: RoundingMode,
    ) -> Result<ClaimSettlement, CatastrophicError> {
        self.check_year(cap)?;
        self.policy.settle_claim(class, before, after, cap, mode)
    }
}

/// One row of the ladder view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct LadderRow {
    /// The policy year.
    pub year: PolicyYear,
    /// The schedule, or why there is none.
    pub entry: LadderEntry,
}

/// A ladder row's content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum LadderEntry {
    /// The year's schedule.
    Published(PublishedRow),
    /// The sources publish no schedule for the year, with the data's reason.
    NotPublished {
        /// Why.
        reason: String,
    },
    /// No policy data is loaded for the year: nothing is known of its schedule, published
    /// or not.
    NoData {
        /// What is missing.
        reason: String,
    },
}

/// A published year's figures, as the ladder view shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct PublishedRow {
    /// Threshold and bands per class, ordinary first.
    pub classes: Vec<ClassRow>,
    /// The original annual cap.
    pub annual_cap: Yuan,
    /// Each incentive raise.
    pub incentive_step: Yuan,
    /// The most all raises together may add (rounded down to the fen).
    pub incentive_limit: Yuan,
    /// The first year counted for incentives.
    pub incentives_from: PolicyYear,
}

/// One class's threshold and bands in the ladder view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ClassRow {
    /// The class.
    pub class: PersonClass,
    /// The threshold.
    pub threshold: Yuan,
    /// The bands on the excess over the threshold.
    pub bands: Vec<Band>,
}

impl PublishedRow {
    fn of(policy: &CatastrophicPolicy) -> PublishedRow {
        PublishedRow {
            classes: PersonClass::ALL
                .iter()
                .map(|&class| ClassRow {
                    class,
                    threshold: policy.class(class).threshold,
                    bands: policy.class(class).bands.bands().to_vec(),
                })
                .collect(),
            annual_cap: policy.annual_cap,
            incentive_step: policy.incentives.step,
            incentive_limit: policy
                .annual_cap
                .times(policy.incentives.limit)
                .round(RoundingMode::Down),
            incentives_from: policy.incentives.first_counted_year,
        }
    }
}

impl fmt::Display for LadderRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.entry {
            LadderEntry::NotPublished { reason } => {
                write!(f, "{}: not published ({reason})", self.year)
            }
            LadderEntry::NoData { reason } => write!(f, "{}: no data ({reason})", self.year),
            LadderEntry::Published(row) => {
                write!(f, "{}:", self.year)?;
                for class in &row.classes {
                    write!(f, " {} threshold {}, bands", class.class, class.threshold)?;
                    for (i, band) in class.bands.iter().enumerate() {
                        let sep = if i == 0 { " " } else { ", " };
                        write!(f, "{sep}{band}")?;
                    }
                    f.write_str(";")?;
                }
                write!(
                    f,
                    " cap {}; raises of {} from {}, at most {}",
                    row.annual_cap, row.incentive_step, row.incentives_from, row.incentive_limit
                )
            }
        }
    }
}
