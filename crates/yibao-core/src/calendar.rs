//! Working days: Monday to Friday, minus public holidays, plus make-up working days (调休),
//! as the State Council's yearly notice sets them.
//!
//! POLICY-NOTES (Conventions, **Reading**): the day of submission never counts; "the next
//! working day" is the first working day after it; "within 2 working days" ends on the second.
//!
//! The calendar only answers for years whose notice it holds: a date in a year with no notice
//! is an error, never a guess (the 2027 notice, for one, was not yet published in the shipped
//! data).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::dates::add_days;

/// Why the calendar could not be built or could not answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// Occurs when a date falls in a year whose holiday notice the calendar does not hold.
    #[error(
        "the working-day calendar has no State Council holiday notice for {year} (needed for {date}); it covers {covered}"
    )]
    YearNotCovered {
        /// The year asked about.
        year: i32,
        /// The date that needed it.
        date: NaiveDate,
        /// The years held, e.g. "2020–2026".
        covered: String,
    },
    /// Occurs when a day is listed as both a day off and a make-up working day.
    #[error("{date} is listed both as a day off and as a make-up working day")]
    Contradiction {
        /// The day.
        date: NaiveDate,
    },
}

impl CalendarError {
    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        match self {
            CalendarError::YearNotCovered {
                year,
                date,
                covered,
            } => format!(
                "工作日日历中没有国务院办公厅 {year} 年部分节假日安排的通知（推算 {date} 时需要）；日历现有年份：{covered}"
            ),
            CalendarError::Contradiction { date } => {
                format!("{date} 既列为放假日，又列为调休上班日")
            }
        }
    }
}

/// One year's notice in the holiday-cn data format (`{ "year", "papers", "days" }`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayNotice {
    /// The upstream data's JSON-schema reference, kept so the files stay byte for byte.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The upstream data's document id (`$id`), likewise kept.
    #[serde(rename = "$id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The year in the notice's title.
    pub year: i32,
    /// Addresses of the State Council notices the entries come from; empty when the notice
    /// for that year was not published yet.
    pub papers: Vec<String>,
    /// The listed days.
    pub days: Vec<HolidayDay>,
}

/// One listed day of a [`HolidayNotice`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayDay {
    /// Holiday name, e.g. "国庆节、中秋节".
    pub name: String,
    /// The date.
    #[serde(deserialize_with = "crate::deserialize_date")]
    pub date: NaiveDate,
    /// `true`: day off (放假); `false`: make-up working day (调休上班).
    #[serde(rename = "isOffDay")]
    pub is_off_day: bool,
}

/// How a given day counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// An ordinary Monday to Friday.
    Weekday,
    /// An ordinary Saturday or Sunday.
    Weekend,
    /// A public holiday listed in the notice.
    Holiday,
    /// A Saturday or Sunday worked to make up for a holiday (调休).
    MakeUpWorkday,
}

impl DayKind {
    /// Whether the day is a working day.
    pub fn is_working(self) -> bool {
        matches!(self, DayKind::Weekday | DayKind::MakeUpWorkday)
    }
}

/// The working-day calendar built from holiday notices.
///
/// ```
/// use chrono::NaiveDate;
/// use yibao_core::{HolidayNotice, WorkingDayCalendar};
/// let notice: HolidayNotice = serde_json::from_str(r#"{"year": 2026, "papers": ["notice"],
///   "days": [{"name": "国庆节", "date": "2026-10-01", "isOffDay": true},
///            {"name": "国庆节", "date": "2026-10-02", "isOffDay": true},
///            {"name": "国庆节", "date": "2026-10-10", "isOffDay": false}]}"#)?;
/// let calendar = WorkingDayCalendar::from_notices(&[notice])?;
/// let wednesday = NaiveDate::from_ymd_opt(2026, 9, 30).ok_or("date")?;
/// // 1 and 2 October off, 3 and 4 a weekend: the next working day is Monday 5 October.
/// assert_eq!(calendar.next_working_day(wednesday)?, NaiveDate::from_ymd_opt(2026, 10, 5).ok_or("date")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkingDayCalendar {
    covered: BTreeSet<i32>,
    listed: BTreeMap<NaiveDate, (DayKind, String)>,
}

impl WorkingDayCalendar {
    /// Builds the calendar from yearly notices. A notice with no `papers` (not yet published)
    /// adds no covered year.
    ///
    /// # Errors
    /// [`CalendarError::Contradiction`] for a day listed both off and worked.
    pub fn from_notices(notices: &[HolidayNotice]) -> Result<WorkingDayCalendar, CalendarError> {
        let mut covered = BTreeSet::new();
        let mut listed: BTreeMap<NaiveDate, (DayKind, String)> = BTreeMap::new();
        for notice in notices {
            if !notice.papers.is_empty() {
                covered.insert(notice.year);
            }
            for day in &notice.days {
                // A working day listed on a weekday (2020-02-03, the return to work after the
                // extended Spring Festival of 2020) is an ordinary working day.
                let kind = match (day.is_off_day, is_weekend(day.date)) {
                    (true, _) => DayKind::Holiday,
                    (false, true) => DayKind::MakeUpWorkday,
                    (false, false) => DayKind::Weekday,
                };
                if let Some((existing, _)) = listed.get(&day.date) {
                    if *existing != kind {
                        return Err(CalendarError::Contradiction { date: day.date });
                    }
                }
                listed.insert(day.date, (kind, day.name.clone()));
            }
        }
        Ok(WorkingDayCalendar { covered, listed })
    }

    /// The years whose notice the calendar holds.
    pub fn covered_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.covered.iter().copied()
    }

    /// How `date` counts, with the holiday's name for listed days.
    ///
    /// # Errors
    /// [`CalendarError::YearNotCovered`] for a year without a notice.
    pub fn day_kind(&self, date: NaiveDate) -> Result<(DayKind, Option<&str>), CalendarError> {
        if let Some((kind, name)) = self.listed.get(&date) {
            return Ok((*kind, Some(name.as_str())));
        }
        if !self.covered.contains(&date.year()) {
            return Err(CalendarError::YearNotCovered {
                year: date.year(),
                date,
                covered: self.covered_text(),
            });
        }
        Ok((
            if is_weekend(date) {
                DayKind::Weekend
            } else {
                DayKind::Weekday
            },
            None,
        ))
    }

    /// Whether `date` is a working day.
    ///
    /// # Errors
    /// [`CalendarError::YearNotCovered`] for a year without a notice.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.day_kind(date)?.0.is_working())
    }

    /// The first working day after `date` (the day itself never counts).
    ///
    /// # Errors
    /// [`CalendarError::YearNotCovered`] when the search reaches a year without a notice.
    pub fn next_working_day(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        self.add_working_days(date, 1)
    }

    /// The `n`-th working day after `date`; the day itself never counts, so "approved within
    /// 2 working days of a Friday submission" ends on the Tuesday after (ordinary weeks).
    /// `n = 0` gives `date`.
    ///
    /// # Errors
    /// [`CalendarError::YearNotCovered`] when the search reaches a year without a notice.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let mut day = date;
        let mut left = n;
        while left > 0 {
            day = add_days(day, 1).map_err(|_| CalendarError::YearNotCovered {
                year: day.year(),
                date: day,
                covered: self.covered_text(),
            })?;
            if self.is_working_day(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    fn covered_text(&self) -> String {
        match (self.covered.first(), self.covered.last()) {
            (Some(first), Some(last)) if first == last => first.to_string(),
            (Some(first), Some(last)) => format!("{first}–{last}"),
            _ => "no year".to_owned(),
        }
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    fn notice(year: i32, days: &[(NaiveDate, bool)]) -> HolidayNotice {
        HolidayNotice {
            schema: None,
            id: None,
            year,
            papers: vec!["test".to_owned()],
            days: days
                .iter()
                .map(|(date, off)| HolidayDay {
                    name: "test".to_owned(),
                    date: *date,
                    is_off_day: *off,
                })
                .collect(),
        }
    }

    #[test]
    fn ordinary_weeks_skip_the_weekend() {
        let cal = WorkingDayCalendar::from_notices(&[notice(2026, &[])])
            .unwrap_or_else(|e| panic!("{e}"));
        // Friday 2026-11-20 + 2 working days = Tuesday 2026-11-24.
        assert_eq!(
            cal.add_working_days(d(2026, 11, 20), 2),
            Ok(d(2026, 11, 24))
        );
        // Submission on a Saturday: next working day is Monday.
        assert_eq!(cal.next_working_day(d(2026, 11, 21)), Ok(d(2026, 11, 23)));
        assert_eq!(
            cal.add_working_days(d(2026, 11, 21), 0),
            Ok(d(2026, 11, 21))
        );
    }

    #[test]
    fn years_without_a_notice_are_errors_not_guesses() {
        let cal = WorkingDayCalendar::from_notices(&[notice(2026, &[])])
            .unwrap_or_else(|e| panic!("{e}"));
        let err = cal.add_working_days(d(2026, 12, 31), 1).unwrap_err();
        assert!(
            matches!(err, CalendarError::YearNotCovered { year: 2027, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("2027"));
    }

    #[test]
    fn refuses_inconsistent_listings() {
        // 2026-10-10 is a Saturday; 2026-10-09 a Friday.
        let both = notice(2026, &[(d(2026, 10, 10), true), (d(2026, 10, 10), false)]);
        assert!(matches!(
            WorkingDayCalendar::from_notices(&[both]),
            Err(CalendarError::Contradiction { .. })
        ));
        // A working day listed on a weekday is an ordinary working day.
        let weekday = WorkingDayCalendar::from_notices(&[notice(2026, &[(d(2026, 10, 9), false)])])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            weekday.day_kind(d(2026, 10, 9)).map(|k| k.0),
            Ok(DayKind::Weekday)
        );
    }
}
