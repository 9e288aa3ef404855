//! A person's enrolment history: dated events, checked, and the insurance timeline built
//! from them (for lapses, continuity and the switch tolerance).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use yibao_core::{PolicyYear, add_days, add_months};

use crate::error::EnrolmentError;
use crate::lapse::InsuredYears;
use crate::params::{ContinuityParams, EnrolmentSection};

/// A person's enrolment history: birth date and dated events in date order.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct EnrolmentHistory {
    /// The date of birth.
    pub born: NaiveDate,
    /// The events, in date order (equal dates keep their given order).
    pub events: Vec<Event>,
}

/// One dated event of a history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Event {
    /// The day it happened.
    pub on: NaiveDate,
    /// What happened.
    pub kind: EventKind,
}

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventKind {
    /// A resident contribution for a policy year was paid (缴费到账).
    Payment {
        /// The policy year paid for.
        year: PolicyYear,
        /// Who funded it.
        funding: Funding,
    },
    /// Change of status on leaving the armed forces (退役, 身份转换, Q92).
    VeteranStatusChange,
    /// Joined employee insurance (职工医保): resident cover is suspended from that day (H9).
    JoinedEmployeeInsurance,
    /// Left employee insurance: the day is the last day of employee cover.
    LeftEmployeeInsurance,
    /// Graduated from university (H26).
    Graduated,
}

/// Who funded a resident contribution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Funding {
    /// The person or their family.
    Ordinary,
    /// The city, for a newly added medical-aid recipient (新增救助对象资助参保, H4, Q41).
    CityFundedNewAidRecipient,
}

impl Event {
    /// A payment for `year` on `on`, funded ordinarily.
    pub fn payment(on: NaiveDate, year: PolicyYear) -> Event {
        Event {
            on,
            kind: EventKind::Payment {
                year,
                funding: Funding::Ordinary,
            },
        }
    }

    /// An event of `kind` on `on`.
    pub fn new(on: NaiveDate, kind: EventKind) -> Event {
        Event { on, kind }
    }

    pub(crate) fn describe(&self) -> String {
        match self.kind {
            EventKind::Payment { year, funding } => match funding {
                Funding::Ordinary => format!("payment for {year}"),
                Funding::CityFundedNewAidRecipient => {
                    format!("city-funded payment for {year} (new aid recipient)")
                }
            },
            EventKind::VeteranStatusChange => "veteran change of status".to_owned(),
            EventKind::JoinedEmployeeInsurance => "joined employee insurance".to_owned(),
            EventKind::LeftEmployeeInsurance => "left employee insurance".to_owned(),
            EventKind::Graduated => "graduation".to_owned(),
        }
    }
}

/// Which scheme an insured interval belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scheme {
    Resident,
    Employee,
}

/// A stretch of days in basic insurance (enrolment, not benefit: waiting periods count).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Interval {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub scheme: Scheme,
}

/// A gap (or a switch without an uninsured day) between two insured stretches in the counted
/// years, with whether H4's switch tolerance (Q36) covers it. A gap is never a lapse by
/// itself: a lapse is a policy year without cover (`lapse.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Gap {
    // `from == next_start` marks a switch without an uninsured day.
    /// First uninsured day.
    pub from: NaiveDate,
    /// First insured day after the gap.
    pub next_start: NaiveDate,
    /// Whether Q36's switch tolerance covers it: a switch between employee and resident
    /// insurance within the months allowed, after enough consecutive years.
    pub tolerated: bool,
    /// Consecutive years up to the year the gap starts in (H6, the one lapse definition).
    pub years_before: u32,
}

impl EnrolmentHistory {
    /// The history of a person born on `born`, of `events` in date order.
    pub fn new(born: NaiveDate, events: Vec<Event>) -> EnrolmentHistory {
        EnrolmentHistory { born, events }
    }

    /// Checks order, birth, and employee join/leave pairs; payments after their year are
    /// allowed only as a newborn's birth-year back payment (H5).
    pub(crate) fn check(&self, section: &EnrolmentSection) -> Result<(), EnrolmentError> {
        let mut previous: Option<NaiveDate> = None;
        let mut in_employee = false;
        for (index, event) in self.events.iter().enumerate() {
            if let Some(prev) = previous
                && event.on < prev
            {
                return Err(EnrolmentError::EventsOutOfOrder {
                    index,
                    on: event.on,
                    previous: prev,
                });
            }
            previous = Some(event.on);
            if event.on < self.born {
                return Err(EnrolmentError::BeforeBirth {
                    index,
                    event: event.describe(),
                    on: event.on,
                    born: self.born,
                });
            }
            match event.kind {
                EventKind::Payment { year, .. } => {
                    if year.get() < self.born.year() {
                        return Err(EnrolmentError::InconsistentHistory {
                            index,
                            on: event.on,
                            problem: format!(
                                "a payment for {year}, a year before the birth on {}",
                                self.born
                            ),
                        });
                    }
                    if event.on > year.last_day()
                        && !self.is_birth_year_back_payment(section, event)
                    {
                        return Err(EnrolmentError::PaidAfterYear {
                            year,
                            paid_on: event.on,
                        });
                    }
                    if year == section.policy_year {
                        section.check_payment_date(year, event.on.min(year.last_day()))?;
                    }
                }
                EventKind::JoinedEmployeeInsurance => {
                    if in_employee {
                        return Err(EnrolmentError::InconsistentHistory {
                            index,
                            on: event.on,
                            problem: "joins employee insurance while already in it".to_owned(),
                        });
                    }
                    in_employee = true;
                }
                EventKind::LeftEmployeeInsurance => {
                    if !in_employee {
                        return Err(EnrolmentError::InconsistentHistory {
                            index,
                            on: event.on,
                            problem: "leaves employee insurance without having joined it"
                                .to_owned(),
                        });
                    }
                    in_employee = false;
                }
                EventKind::VeteranStatusChange | EventKind::Graduated => {}
            }
        }
        Ok(())
    }

    /// H5: a payment for the birth year, made in the next calendar year within the newborn
    /// days of birth.
    pub(crate) fn is_birth_year_back_payment(
        &self,
        section: &EnrolmentSection,
        event: &Event,
    ) -> bool {
        let EventKind::Payment { year, .. } = event.kind else {
            return false;
        };
        let Some(rule) = &section.newborn else {
            return false;
        };
        year.get() == self.born.year()
            && event.on.year() == self.born.year() + 1
            && add_days(self.born, u64::from(rule.within_days)).is_ok_and(|last| event.on <= last)
    }

    /// Whether a payment on `paid_on` is within the newborn days of birth.
    pub(crate) fn within_newborn_days(
        &self,
        section: &EnrolmentSection,
        paid_on: NaiveDate,
    ) -> bool {
        section.newborn.as_ref().is_some_and(|rule| {
            add_days(self.born, u64::from(rule.within_days)).is_ok_and(|last| paid_on <= last)
        })
    }

    /// The insured stretches from the first `upto` events (all when `None`), with open
    /// employee insurance running to `horizon`.
    pub(crate) fn intervals(
        &self,
        section: &EnrolmentSection,
        upto: Option<usize>,
        horizon: NaiveDate,
    ) -> Vec<Interval> {
        let events = match upto {
            Some(n) => self.events.get(..n).unwrap_or(&self.events),
            None => &self.events,
        };
        let mut out = Vec::new();
        let mut employee_since: Option<NaiveDate> = None;
        for event in events {
            match event.kind {
                EventKind::Payment { year, .. } => {
                    let first = year.first_day();
                    let start = if event.on <= first {
                        first
                    } else if self.within_newborn_days(section, event.on) {
                        self.born.max(first)
                    } else {
                        event.on
                    };
                    if start <= year.last_day() {
                        out.push(Interval {
                            start,
                            end: year.last_day(),
                            scheme: Scheme::Resident,
                        });
                    }
                }
                EventKind::JoinedEmployeeInsurance => {
                    // Resident cover is suspended from the day employee insurance starts.
                    let day_before = event.on.pred_opt().unwrap_or(event.on);
                    out.retain(|iv: &Interval| {
                        iv.scheme != Scheme::Resident || iv.start < event.on
                    });
                    for iv in &mut out {
                        if iv.scheme == Scheme::Resident && iv.end >= event.on {
                            iv.end = day_before;
                        }
                    }
                    employee_since = Some(event.on);
                }
                EventKind::LeftEmployeeInsurance => {
                    if let Some(since) = employee_since.take()
                        && since <= event.on
                    {
                        out.push(Interval {
                            start: since,
                            end: event.on,
                            scheme: Scheme::Employee,
                        });
                    }
                }
                EventKind::VeteranStatusChange | EventKind::Graduated => {}
            }
        }
        if let Some(since) = employee_since
            && since <= horizon
        {
            out.push(Interval {
                start: since,
                end: horizon,
                scheme: Scheme::Employee,
            });
        }
        out.sort_by_key(|iv| (iv.start, iv.end));
        out
    }
}

/// Walks sorted stretches and finds the gaps in the counted years between them, each with
/// whether it is a switch H4's tolerance (Q36) covers. `insured` are the insured years of
/// the same history (for the consecutive years before a gap).
pub(crate) fn walk(
    intervals: &[Interval],
    params: &ContinuityParams,
    insured: &InsuredYears,
) -> Vec<Gap> {
    let counted_first = params.counted_from.first_day();
    let mut prev: Option<(NaiveDate, Scheme)> = None;
    let mut gaps = Vec::new();
    for iv in intervals {
        let Some((prev_end, prev_scheme)) = prev else {
            prev = Some((iv.end, iv.scheme));
            continue;
        };
        let years_before = insured.run_ending(prev_end.year(), params.counted_from);
        let day_after = add_days(prev_end, 1).unwrap_or(prev_end);
        if iv.start == day_after && iv.scheme != prev_scheme && iv.start >= counted_first {
            // A switch without an uninsured day: Q36 decides the waiting period.
            gaps.push(Gap {
                from: day_after,
                next_start: iv.start,
                tolerated: years_before >= params.switch_min_years,
                years_before,
            });
        }
        if iv.start <= day_after {
            if iv.end > prev_end {
                prev = Some((iv.end, iv.scheme));
            }
            continue;
        }
        // A gap from day_after to iv.start - 1; one wholly before the count is not looked at
        // (H6: earlier years neither count nor break).
        let gap_last = iv.start.pred_opt().unwrap_or(iv.start);
        if gap_last >= counted_first {
            let within = add_months(day_after, params.switch_gap_months)
                .is_ok_and(|limit| iv.start <= limit);
            gaps.push(Gap {
                from: day_after,
                next_start: iv.start,
                tolerated: prev_scheme != iv.scheme
                    && within
                    && years_before >= params.switch_min_years,
                years_before,
            });
        }
        prev = Some((iv.end, iv.scheme));
    }
    gaps
}
