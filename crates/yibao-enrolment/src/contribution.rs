//! What a person pays to enrol, the fiscal subsidy and why (K2, K10, H1), and whether a
//! payment channel is open (K11).

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use yibao_core::{PolicyYear, RuleId, Yuan};
use yibao_core::{Said, Step};

use crate::error::EnrolmentError;
use crate::params::{
    Category, CategoryContribution, CategoryId, ClockTime, EarlierYearContribution,
    EnrolmentSection, SubsidyBasis, TransferSubsidy,
};
use crate::quotes;
use crate::trace::Trace;

/// How the person comes to enrol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EnrolmentRoute {
    /// An ordinary resident enrolment.
    Ordinary,
    /// A transfer from employee to resident insurance (城转居, K10).
    EmployeeToResidentTransfer,
}

/// A contribution question: who, for which year, paid on which day, by which route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContributionQuery {
    /// The person category id, e.g. `university_student`.
    pub category: CategoryId,
    /// The policy year paid for.
    pub year: PolicyYear,
    /// The payment date.
    pub paid_on: NaiveDate,
    /// How the person enrols.
    pub route: EnrolmentRoute,
}

impl ContributionQuery {
    /// A person of `category` paying for `year` on `paid_on`, enrolling by `route`.
    pub fn new(
        category: CategoryId,
        year: PolicyYear,
        paid_on: NaiveDate,
        route: EnrolmentRoute,
    ) -> ContributionQuery {
        ContributionQuery {
            category,
            year,
            paid_on,
            route,
        }
    }
}

/// A fiscal subsidy figure as the source states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct SubsidyFigure {
    /// The amount stated.
    pub amount: Yuan,
    /// Exact or a minimum.
    pub basis: SubsidyBasis,
    /// The year the source states it for (may be earlier than the year asked about).
    pub stated_for: PolicyYear,
}

impl SubsidyFigure {
    /// The figure in words, for the contribution of `year`: a step of `rule`.
    fn step(&self, rule: RuleId, year: PolicyYear) -> Step {
        let (template, zh) = match (self.basis, self.stated_for == year) {
            (SubsidyBasis::Exact, true) => (
                "fiscal subsidy {amount} per person",
                "财政补助 {amount} 元/人",
            ),
            (SubsidyBasis::Exact, false) => (
                "fiscal subsidy {amount} per person, as stated for {stated_for}",
                "财政补助 {amount} 元/人（{stated_for} 年度标准）",
            ),
            (SubsidyBasis::AtLeast, true) => (
                "fiscal subsidy at least {amount} per person, a minimum stated for {stated_for}",
                "财政补助不低于 {amount} 元/人（{stated_for} 年度最低标准）",
            ),
            (SubsidyBasis::AtLeast, false) => (
                "fiscal subsidy at least {amount} per person, a minimum stated for {stated_for}; the source gives no exact figure for {year}",
                "财政补助不低于 {amount} 元/人（{stated_for} 年度最低标准）；资料未公布 {year} 年度的具体标准",
            ),
        };
        let step = Step::new(rule, template)
            .zh(zh)
            .quote(quotes::SUBSIDY)
            .yuan("amount", self.amount);
        match (self.basis, self.stated_for == year) {
            (SubsidyBasis::Exact, true) => step,
            (SubsidyBasis::AtLeast, false) => {
                step.with("stated_for", self.stated_for).with("year", year)
            }
            _ => step.with("stated_for", self.stated_for),
        }
    }
}

/// Whether the person gets the fiscal subsidy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Subsidy {
    /// The subsidy is granted; the figure says how it is stated.
    Granted(SubsidyFigure),
    /// The subsidy is withheld: the person pays the whole funding alone (K10).
    Withheld {
        /// The subsidy the person does not get, folded into what they pay.
        not_granted: Yuan,
    },
}

/// What a person pays to enrol for one year, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Contribution {
    /// What the person pays (个人缴费).
    pub individual: Yuan,
    /// The part of the standard individual contribution paid for them by full subsidy
    /// (全额资助, H1); zero unless the category is fully subsidised.
    pub paid_by_assistance: Yuan,
    /// The fiscal subsidy (财政补助).
    pub subsidy: Subsidy,
    /// How it was decided.
    pub trace: Trace,
}

impl Contribution {
    /// The distinct rule ids that decided the answer.
    pub fn rules(&self) -> Vec<RuleId> {
        self.trace.rules()
    }
}

/// Whether the payment channels accept payments at a moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ChannelStatus {
    /// Open.
    Open {
        /// The rule that sets the closed hours.
        rule: RuleId,
    },
    /// Closed for clearing (清算).
    Closed {
        /// When the channel closed today.
        closed_from: ClockTime,
        /// When it reopens (`24:00` = the next day at midnight).
        reopens_at: ClockTime,
        /// The rule that sets the closed hours.
        rule: RuleId,
    },
}

impl EnrolmentSection {
    /// The category with id `id`.
    ///
    /// # Errors
    /// [`EnrolmentError::UnknownCategory`] naming the id and the known ones.
    pub fn category(&self, id: &CategoryId) -> Result<&Category, EnrolmentError> {
        self.categories.iter().find(|c| &c.id == id).ok_or_else(|| {
            EnrolmentError::UnknownCategory {
                id: id.clone(),
                known: self
                    .categories
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        })
    }

    pub(crate) fn check_year(&self, year: PolicyYear) -> Result<(), EnrolmentError> {
        if year != self.policy_year {
            return Err(EnrolmentError::YearNotCovered {
                asked: year,
                covered: self.policy_year,
            });
        }
        Ok(())
    }

    /// What a person of a category pays for the section's year when paying on a given day,
    /// the fiscal subsidy, and the rules behind them.
    ///
    /// - K2/H1: the category's individual part and the subsidy per person;
    /// - H1: fully subsidised categories pay 0;
    /// - K10: paying on or after the withdrawal date (1 July), or as an employee-to-resident
    ///   transfer (城转居), means paying individual part + subsidy alone; a payment after the
    ///   window and before 1 July pays the individual part and keeps the subsidy (Reading).
    ///
    /// For an earlier year the section's source gives the contribution of
    /// (`[[contribution.earlier_years]]`, H1: Huai'an 2025, for a newborn's birth-year back
    /// payment, H5), the answer is that year's individual amount: the categories are the
    /// section's, the subsidy is the section's figure with the year it is stated for, and the
    /// payment date is not checked (the earlier year's window is not given).
    ///
    /// # Errors
    /// - [`EnrolmentError::YearNotCovered`] for another year;
    /// - [`EnrolmentError::UnknownCategory`] for a category not in the data;
    /// - [`EnrolmentError::NotGivenBySource`] when the sources give no amount for the category;
    /// - [`EnrolmentError::PaidBeforeWindow`], [`EnrolmentError::PaidAfterYear`] for a
    ///   payment date outside the window's start..=the year's end;
    /// - [`EnrolmentError::Money`] if a sum overflows.
    pub fn contribution(&self, query: &ContributionQuery) -> Result<Contribution, EnrolmentError> {
        if let Some(earlier) = self.earlier_year(query.year) {
            return self.earlier_contribution(earlier, query);
        }
        self.check_year(query.year)?;
        let category = self.category(&query.category)?;
        self.check_payment_date(query.year, query.paid_on)?;
        let c = &self.contribution;
        let mut trace = Trace::new();
        let figure = self.subsidy_figure();
        let subsidy_rule = c.subsidy.rules.first();
        let subsidy_step = figure.step(subsidy_rule, query.year);

        match &category.contribution {
            CategoryContribution::NotGivenBySource { note } => {
                Err(not_given_for(category, query.year, note))
            }
            CategoryContribution::FullySubsidised => {
                trace.push(Step::new(category.rules.first(), "{category} is fully subsidised: the individual pays 0; the individual part {individual} is paid for them")
                    .zh("{category}全额资助参保：个人缴费 0；个人缴费部分 {individual} 由资助支付")
                    .quote(quotes::CONTRIBUTION_FULLY_SUBSIDISED)
                    .phrase("category", who(category), category.name_zh.clone())
                    .with("individual", c.individual));
                trace.push(subsidy_step);
                Ok(Contribution {
                    individual: Yuan::ZERO,
                    paid_by_assistance: c.individual,
                    subsidy: Subsidy::Granted(figure),
                    trace,
                })
            }
            CategoryContribution::Standard { sentence } => {
                trace.push(
                    Step::new(
                        c.rules.first(),
                        "{category} pays the individual contribution {individual}",
                    )
                    .zh("{category}个人缴费标准 {individual} 元")
                    .quote(sentence.quote())
                    .phrase("category", who(category), category.name_zh.clone())
                    .with("individual", c.individual),
                );
                let withheld = c.subsidy_withdrawal.as_ref().and_then(|wd| {
                    if query.paid_on >= wd.paid_on_or_after {
                        Some((
                            wd,
                            quotes::SUBSIDY_WITHDRAWN,
                            format!(
                                "paid on {}, on or after {}: the person pays the whole year's funding alone",
                                query.paid_on, wd.paid_on_or_after
                            ),
                            format!(
                                "{} 缴费，在 {} 当日或之后：当年度应筹集的医疗保险费全额由个人承担",
                                query.paid_on, wd.paid_on_or_after
                            ),
                        ))
                    } else if query.route == EnrolmentRoute::EmployeeToResidentTransfer
                        && wd.employee_to_resident_transfer == TransferSubsidy::Withheld
                    {
                        Some((
                            wd,
                            quotes::SUBSIDY_KEPT,
                            "an employee-to-resident transfer (城转居) gets no fiscal subsidy: the person pays the whole year's funding alone".to_owned(),
                            "城转居人员不享受财政补助：当年度应筹集的医疗保险费全额由个人承担".to_owned(),
                        ))
                    } else {
                        None
                    }
                });
                match withheld {
                    Some((wd, quote, why, why_zh)) => {
                        // Validation makes the basis exact when a withdrawal exists; refuse
                        // rather than guess if the data says otherwise.
                        if figure.basis != SubsidyBasis::Exact {
                            return Err(EnrolmentError::NotGivenBySource {
                                what: Said::new(
                                    "the whole year's funding, since the subsidy is only a minimum",
                                    "全年筹资总额（财政补助标准仅为最低标准）",
                                ),
                            });
                        }
                        let whole = c.individual.checked_add(figure.amount)?;
                        trace.push(
                            Step::new(wd.rules.first(), "{why}: {individual} + {amount} = {whole}")
                                .zh("{why}：{individual} + {amount} = {whole}")
                                .quote(quote)
                                .phrase("why", why, why_zh)
                                .with("individual", c.individual)
                                .with("amount", figure.amount)
                                .with("whole", whole),
                        );
                        Ok(Contribution {
                            individual: whole,
                            paid_by_assistance: Yuan::ZERO,
                            subsidy: Subsidy::Withheld {
                                not_granted: figure.amount,
                            },
                            trace,
                        })
                    }
                    None => {
                        if let Some(wd) = &c.subsidy_withdrawal
                            && !self.collection_window.contains(query.paid_on)
                        {
                            trace.push(Step::new(wd.rules.first(), "paid on {paid_on}, after the window and before {paid_on_or_after}: the subsidy is kept")
                                .zh("{paid_on} 缴费，在集中缴费期后、{paid_on_or_after} 前：可按规定享受财政补助")
                                .quote(quotes::SUBSIDY_KEPT)
                                .with("paid_on", query.paid_on)
                                .with("paid_on_or_after", wd.paid_on_or_after));
                        }
                        trace.push(subsidy_step);
                        Ok(Contribution {
                            individual: c.individual,
                            paid_by_assistance: Yuan::ZERO,
                            subsidy: Subsidy::Granted(figure),
                            trace,
                        })
                    }
                }
            }
        }
    }

    /// The fiscal subsidy as the section states it.
    fn subsidy_figure(&self) -> SubsidyFigure {
        let subsidy = &self.contribution.subsidy;
        SubsidyFigure {
            amount: subsidy.amount,
            basis: subsidy.basis,
            stated_for: subsidy.stated_for,
        }
    }

    /// The earlier year's contribution the section gives, if any.
    fn earlier_year(&self, year: PolicyYear) -> Option<&EarlierYearContribution> {
        self.contribution
            .earlier_years
            .iter()
            .find(|e| e.year == year)
    }

    /// What a person of a category pays for an earlier year the section gives the individual
    /// contribution of (H1 Reading: Huai'an 2025 = 440, Q14).
    fn earlier_contribution(
        &self,
        earlier: &EarlierYearContribution,
        query: &ContributionQuery,
    ) -> Result<Contribution, EnrolmentError> {
        let category = self.category(&query.category)?;
        let c = &self.contribution;
        if c.subsidy_withdrawal.is_some() {
            return Err(EnrolmentError::NotGivenBySource {
                what: Said::new(
                    format!(
                        "whether the subsidy withdrawal stated for {} applies to a payment for {}",
                        self.policy_year, earlier.year
                    ),
                    format!(
                        "{} 年度所定的收回财政补助是否适用于 {} 年度的缴费",
                        self.policy_year, earlier.year
                    ),
                ),
            });
        }
        let mut trace = Trace::new();
        let rule = earlier.rules.first();
        let figure = self.subsidy_figure();
        let (individual, paid_by_assistance) = match &category.contribution {
            CategoryContribution::NotGivenBySource { note } => {
                return Err(not_given_for(category, earlier.year, note));
            }
            CategoryContribution::FullySubsidised => {
                trace.push(Step::new(category.rules.first(), "{category} is fully subsidised: the individual pays 0 for {year}; the individual part {individual} is paid for them")
                    .zh("{category}全额资助参保：{year} 年度个人缴费 0；个人缴费部分 {individual} 由资助支付")
                    .quote(quotes::CONTRIBUTION_FULLY_SUBSIDISED)
                    .phrase("category", who(category), category.name_zh.clone())
                    .with("year", earlier.year)
                    .with("individual", earlier.individual));
                (Yuan::ZERO, earlier.individual)
            }
            // An earlier year's amount is the one the data gives for that year (the
            // residents' standard, read from the sentence on the standard's continuity): a
            // category's own sentence states this year's amount, not that year's.
            CategoryContribution::Standard { .. } => {
                trace.push(Step::new(rule, "{category} pays the individual contribution for {year}: {individual}, paid on {paid_on}")
                    .zh("{category} {year} 年度个人缴费标准 {individual} 元，{paid_on} 缴费")
                    .quote(quotes::CONTRIBUTION)
                    .phrase("category", who(category), category.name_zh.clone())
                    .with("year", earlier.year)
                    .with("individual", earlier.individual)
                    .with("paid_on", query.paid_on));
                (earlier.individual, Yuan::ZERO)
            }
        };
        if let Some(reading) = &earlier.reading {
            // The data's reading is the project's English; in Chinese, the figures it reads.
            let zh = format!(
                "{} 年度资料载明 {} 年度个人缴费标准为 {} 元",
                self.policy_year, earlier.year, earlier.individual
            );
            trace.push(
                Step::new(rule, "reading: {reading}")
                    .zh("解读：{reading}")
                    .quote(quotes::CONTRIBUTION)
                    .phrase("reading", reading.clone(), zh),
            );
        }
        trace.push(figure.step(c.subsidy.rules.first(), earlier.year));
        Ok(Contribution {
            individual,
            paid_by_assistance,
            subsidy: Subsidy::Granted(figure),
            trace,
        })
    }

    /// A payment for `year` must be made between the window's first day and the year's end.
    pub(crate) fn check_payment_date(
        &self,
        year: PolicyYear,
        paid_on: NaiveDate,
    ) -> Result<(), EnrolmentError> {
        if paid_on < self.collection_window.start {
            return Err(EnrolmentError::PaidBeforeWindow {
                year,
                paid_on,
                window_start: self.collection_window.start,
            });
        }
        if paid_on > year.last_day() {
            return Err(EnrolmentError::PaidAfterYear { year, paid_on });
        }
        Ok(())
    }

    /// Whether the payment channels accept payments at a local date and time (K11: closed
    /// daily 21:00–24:00 for clearing).
    ///
    /// # Errors
    /// [`EnrolmentError::NotGivenBySource`] when the sources give no channel hours.
    pub fn payment_channel_at(&self, at: NaiveDateTime) -> Result<ChannelStatus, EnrolmentError> {
        let channel =
            self.payment_channel
                .as_ref()
                .ok_or_else(|| EnrolmentError::NotGivenBySource {
                    what: Said::new(
                        format!("payment-channel hours for {}", self.policy_year),
                        format!("{} 年度缴费渠道的开放时间", self.policy_year),
                    ),
                })?;
        let now = ClockTime::of(at.time());
        let rule = channel.rules.first();
        if channel.closed_from <= now && now < channel.closed_until {
            Ok(ChannelStatus::Closed {
                closed_from: channel.closed_from,
                reopens_at: channel.closed_until,
                rule,
            })
        } else {
            Ok(ChannelStatus::Open { rule })
        }
    }
}

/// The error for a category whose individual contribution for `year` the sources do not give.
fn not_given_for(category: &Category, year: PolicyYear, note: &str) -> EnrolmentError {
    EnrolmentError::NotGivenBySource {
        what: Said::new(
            format!(
                "an individual contribution for `{}` ({}) in {year}: {note}",
                category.id, category.name_zh
            ),
            format!("{} {year} 年度的个人缴费标准", category.name_zh),
        ),
    }
}

/// A category as a step names it in English: `` `university_student` (大学生) ``.
fn who(category: &crate::params::Category) -> String {
    format!("`{}` ({})", category.id, category.name_zh)
}
