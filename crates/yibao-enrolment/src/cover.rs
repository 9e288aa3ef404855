//! Cover periods of a policy year from an enrolment history (K9, H2–H5, H9, H26).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use yibao_core::{DateRange, PolicyYear, RuleId, add_days, add_months};
use yibao_core::{Said, Step};

use crate::error::EnrolmentError;
use crate::history::{EnrolmentHistory, EventKind, Funding, walk};
use crate::lapse::{InsuredYears, Lapse};
use crate::params::{EnrolmentSection, LatePayment};
use crate::trace::Trace;

/// Why a cover period starts when it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CoverBasis {
    /// Paid in the collection window: the whole year (K9, H2).
    CollectionWindow,
    /// Insured the year before and paid after the window but before 1 January: never
    /// suspended (K9, Reading).
    PaidLateBeforeYear,
    /// Suspended (停卡) and reopened the day after the payment (K9).
    ReopenedAfterSuspension,
    /// After the waiting period (等待期) of a late payment or a re-enrolment after a lapse (H3).
    AfterWaitingPeriod,
    /// A newborn enrolled within the newborn days: from birth (or 1 January of the year paid
    /// for, when born the year before) (H5).
    NewbornFromBirth,
    /// A newborn's first enrolment after the newborn days: no waiting period, from the payment
    /// date (H4, Reading).
    NewbornWithoutWaiting,
    /// A veteran enrolling within the days after the change of status: no waiting period (H4).
    Veteran,
    /// A newly added aid recipient funded by the city: no waiting period (H4, Q41).
    NewAidRecipient,
    /// A switch between employee and resident insurance within the tolerated gap after enough
    /// consecutive years: not a lapse, no waiting period (H4, Q36).
    SwitchWithinTolerance,
}

/// Why a cover period ends when it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CoverEnd {
    /// 31 December of the policy year.
    YearEnd,
    /// The day before joining employee insurance: resident cover is suspended (H9).
    JoinedEmployeeInsurance,
}

/// A stretch of days on which the fund pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CoverPeriod {
    /// The days covered, inclusive.
    pub range: DateRange,
    /// Why it starts then.
    pub basis: CoverBasis,
    /// Why it ends then.
    pub end: CoverEnd,
    /// The rule that decided its start.
    pub rule: RuleId,
}

/// Why a waiting period applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum WaitingReason {
    /// Paid outside the collection window (H3).
    PaidOutsideWindow,
    /// Paid in the window but re-enrolling after a lapse (H3).
    ReEnrolledAfterLapse,
}

/// A waiting period (等待期): expenses in it are not paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct WaitingPeriod {
    /// From the payment date to the day before cover may start (may run past the year end).
    pub range: DateRange,
    /// Why it applies.
    pub reason: WaitingReason,
    /// The rule that set it.
    pub rule: RuleId,
}

/// A suspension (停卡): expenses while suspended are not paid (K9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Suspension {
    /// First day suspended.
    pub from: NaiveDate,
    /// The day cover reopens, if it does within the year.
    pub reopened_on: Option<NaiveDate>,
    /// The rule that set it.
    pub rule: RuleId,
}

/// H5: for a child born the year before and enrolled in this year within the newborn days,
/// whether the birth year is covered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum BirthYearCover {
    /// The birth year's contribution was back-paid: covered from birth to 31 December.
    BackPaid {
        /// Birth to 31 December of the birth year.
        cover: DateRange,
    },
    /// Not back-paid: these days of the birth year are not covered.
    NotBackPaid {
        /// Birth to 31 December of the birth year.
        uncovered: DateRange,
    },
}

/// The answer to "when is this person covered in this policy year?".
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Cover {
    /// The policy year.
    pub year: PolicyYear,
    /// The cover periods, in date order (empty when not covered at all).
    pub periods: Vec<CoverPeriod>,
    /// Waiting periods that applied.
    pub waiting_periods: Vec<WaitingPeriod>,
    /// Suspensions that applied.
    pub suspensions: Vec<Suspension>,
    /// The birth year's cover for a child born the year before (H5), when relevant.
    pub birth_year: Option<BirthYearCover>,
    /// How it was decided.
    pub trace: Trace,
}

impl Cover {
    /// Whether the fund pays for expenses on `date`.
    pub fn is_covered_on(&self, date: NaiveDate) -> bool {
        self.periods.iter().any(|p| p.range.contains(date))
    }

    /// The first covered day of the year, if any.
    pub fn first_covered_day(&self) -> Option<NaiveDate> {
        self.periods.first().map(|p| p.range.start())
    }

    /// The distinct rule ids that decided the answer.
    pub fn rules(&self) -> Vec<RuleId> {
        self.trace.rules()
    }
}

struct Start {
    start: NaiveDate,
    basis: CoverBasis,
    rule: RuleId,
}

impl EnrolmentSection {
    /// The cover periods of `year` for a person with this history.
    ///
    /// ```
    /// # use yibao_core::PolicyYear;
    /// # use yibao_enrolment::{EnrolmentHistory, EnrolmentSection, Event};
    /// # fn example(huaian_2026: &EnrolmentSection) -> Result<(), Box<dyn std::error::Error>> {
    /// let year = PolicyYear::new(2026)?;
    /// let history = EnrolmentHistory::new(
    ///     "1990-05-01".parse()?,
    ///     vec![Event::payment("2026-03-31".parse()?, year)],
    /// );
    /// let cover = huaian_2026.cover(&history, year)?;
    /// // H3: 2 months' waiting from 31 March: covered from 31 May.
    /// assert_eq!(cover.first_covered_day(), Some("2026-05-31".parse()?));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// - [`EnrolmentError::YearNotCovered`] for another year;
    /// - [`EnrolmentError::EventsOutOfOrder`], [`EnrolmentError::BeforeBirth`],
    ///   [`EnrolmentError::InconsistentHistory`], [`EnrolmentError::PaidBeforeWindow`],
    ///   [`EnrolmentError::PaidAfterYear`] for a history that cannot be true;
    /// - [`EnrolmentError::NotGivenBySource`] when the sources do not say (e.g. Kunshan: a
    ///   first enrolment paid after the window; employee insurance);
    /// - [`EnrolmentError::Date`] if date arithmetic leaves the calendar.
    pub fn cover(
        &self,
        history: &EnrolmentHistory,
        year: PolicyYear,
    ) -> Result<Cover, EnrolmentError> {
        self.check_year(year)?;
        history.check(self)?;
        let has_employee = history.events.iter().any(|e| {
            matches!(
                e.kind,
                EventKind::JoinedEmployeeInsurance | EventKind::LeftEmployeeInsurance
            )
        });
        if has_employee && self.double_enrolment.is_none() {
            return Err(EnrolmentError::NotGivenBySource {
                what: Said::new(
                    format!("how employee insurance affects resident cover in {year}"),
                    format!("{year} 年度参加职工医保对居民医保待遇的影响"),
                ),
            });
        }
        let mut cover = Cover {
            year,
            periods: Vec::new(),
            waiting_periods: Vec::new(),
            suspensions: Vec::new(),
            birth_year: None,
            trace: Trace::new(),
        };
        let last = year.last_day();
        let insured_year_before = year.previous().is_some_and(|prev| {
            history
                .events
                .iter()
                .any(|e| matches!(e.kind, EventKind::Payment { year: y, .. } if y == prev))
        });

        // The one lapse definition (H3 Reading): a policy year without cover before this one.
        let lapse = self.lapse_before(history, year)?;

        let payments: Vec<usize> = history
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| matches!(e.kind, EventKind::Payment { year: y, .. } if y == year))
            .map(|(i, _)| i)
            .collect();

        if payments.is_empty() {
            if let LatePayment::SuspensionUntilDayAfterPayment {
                suspended_from,
                rules,
                ..
            } = &self.late_payment
                && insured_year_before
            {
                cover.suspensions.push(Suspension {
                    from: *suspended_from,
                    reopened_on: None,
                    rule: rules.first(),
                });
                cover.trace.push(Step::new(rules.first(), "insured the year before and no payment for {year}: suspended from {suspended_from}, not reopened")
.zh("上年度参保、{year} 年度未缴费：自 {suspended_from} 起停卡，未恢复")
                    .with("year", year)
                    .with("suspended_from", suspended_from));
            } else {
                cover.trace.push(
                    Step::new(self.rules.first(), "no payment for {year}: not covered")
                        .zh("{year} 年度未缴费：不享受待遇")
                        .with("year", year),
                );
            }
        }

        for &index in &payments {
            let Some(event) = history.events.get(index) else {
                continue;
            };
            let EventKind::Payment { funding, .. } = event.kind else {
                continue;
            };
            let paid_on = event.on;
            // A payment while a period is active or pending is a duplicate.
            let active = cover
                .periods
                .last()
                .is_some_and(|p| p.range.end() >= paid_on)
                || cover
                    .waiting_periods
                    .last()
                    .is_some_and(|w| w.range.end() >= paid_on && cover.periods.is_empty());
            if active {
                let rule = self
                    .refund
                    .as_ref()
                    .map_or(self.rules.first(), |r| r.rules.first());
                cover.trace.push(Step::new(rule, "a second payment for {year} on {paid_on} is a duplicate payment and adds no cover")
.zh("{paid_on} 再次缴纳 {year} 年度费用，属重复缴费，不增加待遇期")
                    .with("year", year)
                    .with("paid_on", paid_on));
                continue;
            }
            if let Some(rule) = &self.double_enrolment
                && in_employee_on(history, index, paid_on)
            {
                cover.trace.push(Step::new(rule.rules.first(), "paid on {paid_on} while insured as an employee: no double enrolment, this payment gives no cover")
.zh("{paid_on} 缴费时已参加职工医保：不得重复参保，该笔缴费不产生待遇")
                    .with("paid_on", paid_on));
                continue;
            }
            let Some(start) = self.start_for(
                history,
                index,
                paid_on,
                funding,
                year,
                insured_year_before,
                lapse,
                &mut cover,
            )?
            else {
                continue;
            };
            if start.start > last {
                cover.trace.push(Step::new(start.rule, "cover would start on {start}, after the year ends on {last}: no cover in {year}")
.zh("待遇应自 {start} 起享受，晚于年度末 {last}：{year} 年度不享受待遇")
                    .with("start", start.start)
                    .with("last", last)
                    .with("year", year));
                continue;
            }
            // Employee insurance joined after the start ends resident cover the day before.
            let join = history
                .events
                .iter()
                .skip(index + 1)
                .find(|e| e.kind == EventKind::JoinedEmployeeInsurance && e.on <= last);
            let (end, end_reason) = match (join, &self.double_enrolment) {
                (Some(j), Some(rule)) => {
                    let day_before = j.on.pred_opt().unwrap_or(j.on);
                    cover.trace.push(Step::new(rule.rules.first(), "joined employee insurance on {on}: resident cover is suspended from that day (no double cover)")
.zh("{on} 参加职工医保：自当日起暂停居民医保待遇（不得重复享受）")
                        .with("on", j.on));
                    (day_before, CoverEnd::JoinedEmployeeInsurance)
                }
                _ => (last, CoverEnd::YearEnd),
            };
            if end < start.start {
                cover.trace.push(Step::new(start.rule, "suspended on {suspended_on} before cover would start on {start}: no cover from this payment")
.zh("{suspended_on} 暂停参保，早于待遇开始日 {start}：该笔缴费不产生待遇")
                    .with("suspended_on", add_days(end, 1)?)
                    .with("start", start.start));
                continue;
            }
            let range = DateRange::new(start.start, end)?;
            cover.trace.push(
                Step::new(start.rule, "covered {range}")
                    .zh("待遇享受期 {range}")
                    .with("range", range),
            );
            cover.periods.push(CoverPeriod {
                range,
                basis: start.basis,
                end: end_reason,
                rule: start.rule,
            });
        }

        if let Some(rule) = &self.graduate {
            for e in &history.events {
                if e.kind == EventKind::Graduated && year.range().contains(e.on) {
                    cover.trace.push(
                        Step::new(
                            rule.rules.first(),
                            "graduated on {on}: the student cover continues to {last}",
                        )
                        .zh("{on} 毕业：学生医保待遇持续至 {last}")
                        .with("on", e.on)
                        .with("last", last),
                    );
                }
            }
        }

        // H5: a child born the year before, enrolled this year within the newborn days.
        if let Some(rule) = &self.newborn
            && year
                .previous()
                .is_some_and(|p| p.get() == history.born.year())
            && payments.iter().any(|&i| {
                history
                    .events
                    .get(i)
                    .is_some_and(|e| history.within_newborn_days(self, e.on))
            })
        {
            let birth_year_end =
                NaiveDate::from_ymd_opt(history.born.year(), 12, 31).unwrap_or(history.born);
            let range = DateRange::new(history.born, birth_year_end)?;
            let back_paid = history
                .events
                .iter()
                .any(|e| history.is_birth_year_back_payment(self, e));
            let rule_id = rule.rules.last();
            if back_paid {
                cover.trace.push(Step::new(rule_id, "the birth year's contribution was back-paid within {within_days} days of birth: covered {range}")
.zh("出生后 {within_days} 日内补缴出生当年的费用：待遇享受期 {range}")
                    .with("within_days", rule.within_days)
                    .with("range", range));
                cover.birth_year = Some(BirthYearCover::BackPaid { cover: range });
            } else {
                cover.trace.push(Step::new(rule_id, "enrolled in the year after birth without back-paying the birth year: {range} is not covered")
.zh("出生次年参保，未补缴出生当年费用：{range} 不享受待遇")
                    .with("range", range));
                cover.birth_year = Some(BirthYearCover::NotBackPaid { uncovered: range });
            }
        }
        Ok(cover)
    }

    #[allow(clippy::too_many_arguments)]
    fn start_for(
        &self,
        history: &EnrolmentHistory,
        index: usize,
        paid_on: NaiveDate,
        funding: Funding,
        year: PolicyYear,
        insured_year_before: bool,
        lapse: Option<Lapse>,
        cover: &mut Cover,
    ) -> Result<Option<Start>, EnrolmentError> {
        let first = year.first_day();
        let window = &self.collection_window;
        let in_window = window.contains(paid_on);
        let from_payment = paid_on.max(first);

        // H4 (Q36): the switch tolerance for the gap right before this payment's cover.
        let switch = match &self.continuity {
            Some(params) => {
                let intervals = history.intervals(self, Some(index + 1), year.last_day());
                let insured = InsuredYears::of(&intervals);
                let own_start = if paid_on <= first { first } else { paid_on };
                walk(&intervals, params, &insured)
                    .into_iter()
                    .rfind(|g| g.next_start == own_start && own_start >= g.from)
                    .map(|g| (g, params.rules.last()))
            }
            None => None,
        };
        let lapsed = lapse.is_some();

        if in_window && !lapsed {
            let rule = window.rules.first();
            cover.trace.push(Step::new(rule, "paid on {paid_on}, in the collection window {start}..={end}: covered from {first}")
.zh("{paid_on} 在集中缴费期 {start} 至 {end} 内缴费：自 {first} 起享受待遇")
                .with("paid_on", paid_on)
                .with("start", window.start)
                .with("end", window.end)
                .with("first", first));
            return Ok(Some(Start {
                start: first,
                basis: CoverBasis::CollectionWindow,
                rule,
            }));
        }

        // H4/H5 newborns.
        if let Some(rule) = &self.newborn {
            let rule_id = rule.rules.last();
            let age_days = (paid_on - history.born).num_days();
            if history.within_newborn_days(self, paid_on) {
                let start = history.born.max(first);
                cover.trace.push(Step::new(rule_id, "a newborn born on {born} enrolled on {paid_on}, day {age_days} after birth (within {within_days} days): covered from {start}, no waiting period")
.zh("{born} 出生的新生儿于 {paid_on}（出生后第 {age_days} 日，在 {within_days} 日内）参保：自 {start} 起享受待遇，不设等待期")
                    .with("born", history.born)
                    .with("paid_on", paid_on)
                    .with("age_days", age_days)
                    .with("within_days", rule.within_days)
                    .with("start", start));
                return Ok(Some(Start {
                    start,
                    basis: CoverBasis::NewbornFromBirth,
                    rule: rule_id,
                }));
            }
            let first_payment = !history
                .events
                .iter()
                .take(index)
                .any(|e| matches!(e.kind, EventKind::Payment { .. }));
            if first_payment && paid_on.year() == history.born.year() {
                let h4 = rule.rules.first();
                cover.trace.push(Step::new(h4, "a newborn first enrolled on {paid_on}, day {age_days} after birth (after {within_days} days): not covered from birth, but no waiting period: covered from {from_payment}")
.zh("新生儿于 {paid_on}（出生后第 {age_days} 日，超过 {within_days} 日）首次参保：不自出生之日起享受待遇，但不设等待期：自 {from_payment} 起享受待遇")
                    .with("paid_on", paid_on)
                    .with("age_days", age_days)
                    .with("within_days", rule.within_days)
                    .with("from_payment", from_payment));
                return Ok(Some(Start {
                    start: from_payment,
                    basis: CoverBasis::NewbornWithoutWaiting,
                    rule: h4,
                }));
            }
        }

        // H4 veterans.
        if let Some(rule) = &self.veteran {
            let change = history
                .events
                .iter()
                .take(index)
                .rfind(|e| e.kind == EventKind::VeteranStatusChange);
            if let Some(change) = change {
                let days = (paid_on - change.on).num_days();
                let last_day = add_days(change.on, u64::from(rule.within_days))?;
                if paid_on <= last_day {
                    cover.trace.push(Step::new(rule.rules.first(), "a veteran whose status changed on {on} paid on {paid_on}, day {days} (within {within_days} days): no waiting period, covered from {from_payment}")
.zh("退役军人 {on} 身份变更，{paid_on}（第 {days} 日，在 {within_days} 日内）缴费：不设等待期，自 {from_payment} 起享受待遇")
                        .with("on", change.on)
                        .with("paid_on", paid_on)
                        .with("days", days)
                        .with("within_days", rule.within_days)
                        .with("from_payment", from_payment));
                    return Ok(Some(Start {
                        start: from_payment,
                        basis: CoverBasis::Veteran,
                        rule: rule.rules.first(),
                    }));
                }
                cover.trace.push(Step::new(rule.rules.first(), "a veteran whose status changed on {on} paid on {paid_on}, day {days}: past the {within_days} days, no exemption")
.zh("退役军人 {on} 身份变更，{paid_on}（第 {days} 日）缴费：已超过 {within_days} 日，不免除等待期")
                    .with("on", change.on)
                    .with("paid_on", paid_on)
                    .with("days", days)
                    .with("within_days", rule.within_days));
            }
        }

        // H4 newly funded aid recipients.
        if funding == Funding::CityFundedNewAidRecipient {
            let rule = self.new_aid_recipient.as_ref().ok_or_else(|| {
                EnrolmentError::NotGivenBySource {
                    what: Said::new(
                        format!(
                            "cover for a newly added aid recipient funded by the city in {year}"
                        ),
                        format!("{year} 年度由市级资助新增救助对象的待遇享受期"),
                    ),
                }
            })?;
            cover.trace.push(Step::new(rule.rules.first(), "a newly added aid recipient funded by the city on {paid_on}: no waiting period, covered from {from_payment}")
.zh("新增医疗救助对象由市财政于 {paid_on} 资助参保：不设等待期，自 {from_payment} 起享受待遇")
                .with("paid_on", paid_on)
                .with("from_payment", from_payment));
            return Ok(Some(Start {
                start: from_payment,
                basis: CoverBasis::NewAidRecipient,
                rule: rule.rules.first(),
            }));
        }

        // H4 (Q36) tolerated switch.
        if let Some((gap, rule)) = switch.filter(|(g, _)| g.tolerated) {
            cover.trace.push(Step::new(rule, "a switch between employee and resident insurance after {years_before} consecutive years with a gap from {from} to {next_start}: not a lapse, no waiting period, covered from {from_payment}")
.zh("连续参保 {years_before} 年后在职工医保与居民医保之间转换，{from} 至 {next_start} 间有间隔：不视为断保，不设等待期，自 {from_payment} 起享受待遇")
                .with("years_before", gap.years_before)
                .with("from", gap.from)
                .with("next_start", gap.next_start)
                .with("from_payment", from_payment));
            return Ok(Some(Start {
                start: from_payment,
                basis: CoverBasis::SwitchWithinTolerance,
                rule,
            }));
        }

        match &self.late_payment {
            LatePayment::WaitingPeriod { months, rules, .. } => {
                let rule = rules.first();
                let cover_from = add_months(paid_on, *months)?;
                let wait_end = cover_from.pred_opt().unwrap_or(paid_on);
                let range = DateRange::new(paid_on, wait_end.max(paid_on))?;
                let reason = if in_window {
                    WaitingReason::ReEnrolledAfterLapse
                } else {
                    WaitingReason::PaidOutsideWindow
                };
                cover.waiting_periods.push(WaitingPeriod {
                    range,
                    reason,
                    rule,
                });
                let (why, why_zh) = match (in_window, lapse) {
                    (true, Some(l)) => (
                        format!(
                            "re-enrolled after a lapse (no cover in {}..={} after {})",
                            l.first_uninsured, l.last_uninsured, l.last_insured
                        ),
                        format!(
                            "断保后再参保（参保至 {} 年后，{} 至 {} 无待遇期）",
                            l.last_insured, l.first_uninsured, l.last_uninsured
                        ),
                    ),
                    (false, Some(l)) => (
                        format!(
                            "paid outside the collection window, re-enrolling after a lapse (no cover in {}..={})",
                            l.first_uninsured, l.last_uninsured
                        ),
                        format!(
                            "在集中缴费期外缴费，断保后再参保（{} 至 {} 无待遇期）",
                            l.first_uninsured, l.last_uninsured
                        ),
                    ),
                    (_, None) => (
                        "paid outside the collection window".to_owned(),
                        "在集中缴费期外缴费".to_owned(),
                    ),
                };
                cover.trace.push(Step::new(rule, "{why} on {paid_on}: waiting period of {months} calendar months {range}, cover from {cover_from}")
.zh("{paid_on} {why}：等待期 {months} 个自然月 {range}，自 {cover_from} 起享受待遇")
                    .phrase("why", why, why_zh)
                    .with("paid_on", paid_on)
                    .with("months", months)
                    .with("range", range)
                    .with("cover_from", cover_from));
                Ok(Some(Start {
                    start: cover_from.max(first),
                    basis: CoverBasis::AfterWaitingPeriod,
                    rule,
                }))
            }
            LatePayment::SuspensionUntilDayAfterPayment {
                suspended_from,
                rules,
                ..
            } => {
                let rule = rules.first();
                if !insured_year_before {
                    return Err(EnrolmentError::NotGivenBySource {
                        what: Said::new(
                            format!(
                                "when cover starts for a first enrolment paid on {paid_on}, after the collection window for {year}"
                            ),
                            format!(
                                "在 {year} 年度集中缴费期后、于 {paid_on} 首次参保缴费的，待遇享受期自何时开始"
                            ),
                        ),
                    });
                }
                if paid_on < *suspended_from {
                    cover.trace.push(Step::new(rule, "insured the year before, paid on {paid_on} after the window but before {suspended_from}: never suspended, covered from {first}")
.zh("上年度参保，{paid_on} 在集中缴费期后、{suspended_from} 前缴费：未停卡，自 {first} 起享受待遇")
                        .with("paid_on", paid_on)
                        .with("suspended_from", suspended_from)
                        .with("first", first));
                    return Ok(Some(Start {
                        start: first,
                        basis: CoverBasis::PaidLateBeforeYear,
                        rule,
                    }));
                }
                let reopened = add_days(paid_on, 1)?;
                cover.suspensions.push(Suspension {
                    from: *suspended_from,
                    reopened_on: (reopened <= year.last_day()).then_some(reopened),
                    rule,
                });
                cover.trace.push(Step::new(rule, "insured the year before and unpaid: suspended from {suspended_from}; paid on {paid_on}, reopened the next day {reopened}")
.zh("上年度参保、本年度未按时缴费：自 {suspended_from} 起停卡；{paid_on} 缴费，次日 {reopened} 恢复待遇")
                    .with("suspended_from", suspended_from)
                    .with("paid_on", paid_on)
                    .with("reopened", reopened));
                Ok(Some(Start {
                    start: reopened,
                    basis: CoverBasis::ReopenedAfterSuspension,
                    rule,
                }))
            }
        }
    }
}

fn in_employee_on(history: &EnrolmentHistory, upto: usize, date: NaiveDate) -> bool {
    let mut inside = false;
    for e in history.events.iter().take(upto) {
        match e.kind {
            EventKind::JoinedEmployeeInsurance => inside = true,
            EventKind::LeftEmployeeInsurance => inside = e.on >= date,
            _ => {}
        }
    }
    inside
}
