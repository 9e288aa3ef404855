//! Calendar dates: inclusive ranges, calendar-month arithmetic, policy years.
//!
//! POLICY-NOTES (Conventions): ranges are inclusive; "N months from d" is `d + N months` by the
//! calendar, clamped at month end (2026-03-31 + 2 months = 2026-05-31; 2025-12-31 + 2 months =
//! 2026-02-28); "within N days of d" means on or before `d + N days`; a policy year is the
//! calendar year.

use std::fmt;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Why a date computation or a date value was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    /// Occurs when a range ends before it starts.
    #[error("the range {start}..={end} ends before it starts")]
    EndBeforeStart {
        /// First day.
        start: NaiveDate,
        /// Last day.
        end: NaiveDate,
    },
    /// Occurs when date arithmetic leaves the supported calendar.
    #[error("{date} {operation} is outside the supported calendar")]
    OutOfCalendar {
        /// The starting date.
        date: NaiveDate,
        /// What was asked, e.g. "+ 2 months".
        operation: String,
    },
    /// Occurs when a date is not written `YYYY-MM-DD` (four, two and two digits).
    #[error("`{text}` is not a date written YYYY-MM-DD")]
    NotADate {
        /// The text, as [`crate::quoted`] shows it.
        text: String,
    },
    /// Occurs when a date is written `YYYY-MM-DD` but is not a day of the calendar.
    #[error("{text} does not exist: {reason}")]
    DoesNotExist {
        /// The text as given.
        text: String,
        /// Why, e.g. "2026 is not a leap year".
        reason: String,
    },
    /// Occurs when a policy year is outside the years the engine supports.
    #[error("policy year {year} is outside {min}..={max}", min = PolicyYear::MIN, max = PolicyYear::MAX)]
    YearOutOfRange {
        /// The year as given.
        year: i64,
    },
}

impl DateError {
    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        match self {
            DateError::EndBeforeStart { start, end } => {
                format!("期间 {start} 至 {end} 的结束日早于开始日")
            }
            DateError::OutOfCalendar { date, .. } => {
                format!("自 {date} 推算的日期超出了本系统支持的日历范围")
            }
            DateError::NotADate { text } => format!("`{text}` 不是按 YYYY-MM-DD 书写的日期"),
            DateError::DoesNotExist { text, .. } => format!("日历上没有 {text} 这一天"),
            DateError::YearOutOfRange { year } => format!(
                "政策年度 {year} 超出 {} 至 {} 的范围",
                PolicyYear::MIN,
                PolicyYear::MAX
            ),
        }
    }
}

/// A date written `YYYY-MM-DD`, strictly: four digits, `-`, two digits, `-`, two digits,
/// nothing before or after. A date so written that is not in the calendar says why.
///
/// ```
/// use yibao_core::{NaiveDate, parse_date};
/// assert_eq!(parse_date("2028-02-29").ok(), NaiveDate::from_ymd_opt(2028, 2, 29));
/// assert_eq!(
///     parse_date("2026-02-29").unwrap_err().to_string(),
///     "2026-02-29 does not exist: 2026 is not a leap year"
/// );
/// assert_eq!(
///     parse_date("2026-2-9").unwrap_err().to_string(),
///     "`2026-2-9` is not a date written YYYY-MM-DD"
/// );
/// ```
///
/// # Errors
/// [`DateError::NotADate`] for any other text; [`DateError::DoesNotExist`] for a month
/// outside 1 to 12 or a day outside the month.
pub fn parse_date(text: &str) -> Result<NaiveDate, DateError> {
    let Some((year, month, day)) = date_numbers(text.as_bytes()) else {
        return Err(DateError::NotADate {
            text: crate::quoted(text).to_string(),
        });
    };
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| DateError::DoesNotExist {
        text: text.to_owned(),
        reason: why_not_a_day(year, month, day),
    })
}

/// The year, month and day written `YYYY-MM-DD`, all ten bytes digits but the two dashes;
/// `None` for any other text. Every claim row of a batch has a date: this is read with a
/// handful of comparisons, no loop.
#[inline]
fn date_numbers(text: &[u8]) -> Option<(i32, u32, u32)> {
    let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = text else {
        return None;
    };
    let digits = [y0, y1, y2, y3, m0, m1, d0, d1].map(|b| b.wrapping_sub(b'0'));
    if digits.iter().fold(0, |worst, &d| worst.max(d)) > 9 {
        return None;
    }
    let [y0, y1, y2, y3, m0, m1, d0, d1] = digits.map(u32::from);
    // Four digits: the cast keeps the value.
    let year = (((y0 * 10 + y1) * 10 + y2) * 10 + y3) as i32;
    Some((year, m0 * 10 + m1, d0 * 10 + d1))
}

/// Reads a date with [`parse_date`], for serde: `#[serde(deserialize_with =
/// "yibao_core::deserialize_date")]`. Takes a string, or a TOML date (`on = 2026-01-05`,
/// unquoted), refusing what [`parse_date`] refuses with its message.
///
/// # Errors
/// The deserializer's error with [`DateError`]'s message.
pub fn deserialize_date<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<NaiveDate, D::Error> {
    deserializer.deserialize_str(DateVisitor)
}

/// [`deserialize_date`] for an optional date (`#[serde(default, deserialize_with =
/// "yibao_core::deserialize_optional_date")]`); a JSON `null` is no date.
///
/// # Errors
/// As [`deserialize_date`].
pub fn deserialize_optional_date<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    Ok(Option::<StrictDate>::deserialize(deserializer)?.map(|d| d.0))
}

/// A date read by [`deserialize_date`].
struct StrictDate(NaiveDate);

impl<'de> Deserialize<'de> for StrictDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<StrictDate, D::Error> {
        deserialize_date(deserializer).map(StrictDate)
    }
}

struct DateVisitor;

impl<'de> serde::de::Visitor<'de> for DateVisitor {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date written YYYY-MM-DD")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<NaiveDate, E> {
        parse_date(text).map_err(E::custom)
    }

    /// A TOML date arrives as a map of one private key to its text.
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<NaiveDate, A::Error> {
        match map.next_entry::<String, String>()? {
            Some((_, text)) => parse_date(&text).map_err(serde::de::Error::custom),
            None => Err(serde::de::Error::custom("an empty table is not a date")),
        }
    }
}

/// Why a year, month and day that are not a date are not.
fn why_not_a_day(year: i32, month: u32, day: u32) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let Some(name) = month.checked_sub(1).and_then(|m| MONTHS.get(m as usize)) else {
        return format!("there is no month {month:02} (months are 01 to 12)");
    };
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    let length = next
        .and_then(|n| n.pred_opt())
        .map_or(31, |last| last.day());
    match (month, day) {
        (_, 0) => "there is no day 00 (days start at 01)".to_owned(),
        (2, 29) => format!("{year} is not a leap year"),
        (2, _) => format!("February {year} has {length} days"),
        _ => format!("{name} has {length} days"),
    }
}

/// `date + months` calendar months, clamped to the end of a shorter month.
///
/// ```
/// use chrono::NaiveDate;
/// use yibao_core::add_months;
/// let paid = NaiveDate::from_ymd_opt(2026, 3, 31).ok_or("date")?;
/// assert_eq!(add_months(paid, 2)?, NaiveDate::from_ymd_opt(2026, 5, 31).ok_or("date")?);
/// let paid = NaiveDate::from_ymd_opt(2025, 12, 31).ok_or("date")?;
/// assert_eq!(add_months(paid, 2)?, NaiveDate::from_ymd_opt(2026, 2, 28).ok_or("date")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`DateError::OutOfCalendar`] past chrono's calendar.
pub fn add_months(date: NaiveDate, months: u32) -> Result<NaiveDate, DateError> {
    date.checked_add_months(Months::new(months))
        .ok_or_else(|| DateError::OutOfCalendar {
            date,
            operation: format!("+ {months} months"),
        })
}

/// `date + days` calendar days.
///
/// # Errors
/// [`DateError::OutOfCalendar`] past chrono's calendar.
pub fn add_days(date: NaiveDate, days: u64) -> Result<NaiveDate, DateError> {
    date.checked_add_days(Days::new(days))
        .ok_or_else(|| DateError::OutOfCalendar {
            date,
            operation: format!("+ {days} days"),
        })
}

/// An inclusive range of calendar dates, `start..=end`, never empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(try_from = "RawRange", into = "RawRange")]
pub struct DateRange {
    start: NaiveDate,
    end: NaiveDate,
}

#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schemars", schemars(rename = "DateRange"))]
#[serde(deny_unknown_fields)]
struct RawRange {
    #[serde(deserialize_with = "crate::deserialize_date")]
    start: NaiveDate,
    #[serde(deserialize_with = "crate::deserialize_date")]
    end: NaiveDate,
}

impl TryFrom<RawRange> for DateRange {
    type Error = DateError;
    fn try_from(raw: RawRange) -> Result<DateRange, DateError> {
        DateRange::new(raw.start, raw.end)
    }
}

impl From<DateRange> for RawRange {
    fn from(range: DateRange) -> RawRange {
        RawRange {
            start: range.start,
            end: range.end,
        }
    }
}

impl DateRange {
    /// The range `start..=end`.
    ///
    /// # Errors
    /// [`DateError::EndBeforeStart`] when `end < start`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<DateRange, DateError> {
        if end < start {
            return Err(DateError::EndBeforeStart { start, end });
        }
        Ok(DateRange { start, end })
    }

    /// The single day `day..=day`.
    pub fn day(day: NaiveDate) -> DateRange {
        DateRange {
            start: day,
            end: day,
        }
    }

    /// First day, inclusive.
    pub fn start(self) -> NaiveDate {
        self.start
    }

    /// Last day, inclusive.
    pub fn end(self) -> NaiveDate {
        self.end
    }

    /// Whether `date` is in the range.
    pub fn contains(self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// Number of days, counting both ends.
    pub fn days(self) -> i64 {
        (self.end - self.start).num_days() + 1
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..={}", self.start, self.end)
    }
}

/// A policy year (医保年度 / 结算年度): the calendar year, 1 January to 31 December.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i32")]
pub struct PolicyYear(i32);

impl PolicyYear {
    /// The earliest year accepted.
    pub const MIN: i32 = 2000;
    /// The latest year accepted.
    pub const MAX: i32 = 2100;

    /// The policy year `year`.
    ///
    /// # Errors
    /// [`DateError::YearOutOfRange`] outside 2000..=2100.
    pub fn new(year: i64) -> Result<PolicyYear, DateError> {
        match i32::try_from(year) {
            Ok(y) if (PolicyYear::MIN..=PolicyYear::MAX).contains(&y) => Ok(PolicyYear(y)),
            _ => Err(DateError::YearOutOfRange { year }),
        }
    }

    /// The policy year a date falls in.
    pub fn of(date: NaiveDate) -> Result<PolicyYear, DateError> {
        PolicyYear::new(i64::from(date.year()))
    }

    /// The year as a number.
    pub fn get(self) -> i32 {
        self.0
    }

    /// 1 January of the year.
    pub fn first_day(self) -> NaiveDate {
        // Valid for every year in MIN..=MAX.
        NaiveDate::from_ymd_opt(self.0, 1, 1).unwrap_or(NaiveDate::MIN)
    }

    /// 31 December of the year.
    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 12, 31).unwrap_or(NaiveDate::MAX)
    }

    /// Whether `date` falls in the year (the same as `self.range().contains(date)`, without
    /// building the range).
    #[inline]
    pub fn contains(self, date: NaiveDate) -> bool {
        date.year() == self.0
    }

    /// The whole year as a range.
    pub fn range(self) -> DateRange {
        DateRange {
            start: self.first_day(),
            end: self.last_day(),
        }
    }

    /// The year before, if still in range.
    pub fn previous(self) -> Option<PolicyYear> {
        PolicyYear::new(i64::from(self.0) - 1).ok()
    }

    /// The year after, if still in range.
    pub fn next(self) -> Option<PolicyYear> {
        PolicyYear::new(i64::from(self.0) + 1).ok()
    }
}

impl TryFrom<i64> for PolicyYear {
    type Error = DateError;
    fn try_from(year: i64) -> Result<PolicyYear, DateError> {
        PolicyYear::new(year)
    }
}

impl From<PolicyYear> for i32 {
    fn from(year: PolicyYear) -> i32 {
        year.0
    }
}

impl fmt::Display for PolicyYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A set of policy years, in order: one bit for each year of
/// `PolicyYear::MIN..=PolicyYear::MAX` (101 years in 128 bits), so a person's flagged years
/// are kept without an allocation and can only be valid years.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct YearSet(u128);

impl YearSet {
    /// No year.
    pub const EMPTY: YearSet = YearSet(0);

    fn bit(year: PolicyYear) -> u128 {
        // 0..=100 by PolicyYear's range.
        1_u128 << (year.0 - PolicyYear::MIN).clamp(0, 127)
    }

    /// Adds `year`; false when it was there already.
    pub fn insert(&mut self, year: PolicyYear) -> bool {
        let bit = YearSet::bit(year);
        let new = self.0 & bit == 0;
        self.0 |= bit;
        new
    }

    /// Whether `year` is in the set.
    pub fn contains(&self, year: PolicyYear) -> bool {
        self.0 & YearSet::bit(year) != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The number of years.
    pub fn len(&self) -> usize {
        self.0.count_ones() as usize
    }

    /// The years in both sets.
    pub fn intersection(&self, other: &YearSet) -> YearSet {
        YearSet(self.0 & other.0)
    }

    /// The earliest year.
    pub fn first(&self) -> Option<PolicyYear> {
        self.iter().next()
    }

    /// The latest year.
    pub fn last(&self) -> Option<PolicyYear> {
        self.iter().next_back()
    }

    /// The years, earliest first.
    pub fn iter(&self) -> YearSetIter {
        YearSetIter(self.0)
    }
}

/// The years of a [`YearSet`], earliest first (or latest first, from the back).
#[derive(Clone, Debug)]
pub struct YearSetIter(u128);

impl Iterator for YearSetIter {
    type Item = PolicyYear;

    fn next(&mut self) -> Option<PolicyYear> {
        if self.0 == 0 {
            return None;
        }
        let at = self.0.trailing_zeros();
        self.0 &= self.0 - 1;
        Some(PolicyYear(PolicyYear::MIN + at as i32))
    }
}

impl DoubleEndedIterator for YearSetIter {
    fn next_back(&mut self) -> Option<PolicyYear> {
        if self.0 == 0 {
            return None;
        }
        let at = 127 - self.0.leading_zeros();
        self.0 &= !(1_u128 << at);
        Some(PolicyYear(PolicyYear::MIN + at as i32))
    }
}

impl IntoIterator for &YearSet {
    type Item = PolicyYear;
    type IntoIter = YearSetIter;

    fn into_iter(self) -> YearSetIter {
        self.iter()
    }
}

impl FromIterator<PolicyYear> for YearSet {
    fn from_iter<I: IntoIterator<Item = PolicyYear>>(years: I) -> YearSet {
        let mut set = YearSet::EMPTY;
        set.extend(years);
        set
    }
}

impl Extend<PolicyYear> for YearSet {
    fn extend<I: IntoIterator<Item = PolicyYear>>(&mut self, years: I) {
        for year in years {
            self.insert(year);
        }
    }
}

impl fmt::Debug for YearSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl Serialize for YearSet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
    }

    #[test]
    fn impossible_dates_say_why_and_malformed_ones_say_how_to_write_them() {
        for (text, message) in [
            (
                "2026-02-29",
                "2026-02-29 does not exist: 2026 is not a leap year",
            ),
            (
                "2100-02-29",
                "2100-02-29 does not exist: 2100 is not a leap year",
            ),
            (
                "2026-02-30",
                "2026-02-30 does not exist: February 2026 has 28 days",
            ),
            (
                "2028-02-30",
                "2028-02-30 does not exist: February 2028 has 29 days",
            ),
            ("2026-04-31", "2026-04-31 does not exist: April has 30 days"),
            (
                "2026-01-32",
                "2026-01-32 does not exist: January has 31 days",
            ),
            (
                "2026-13-01",
                "2026-13-01 does not exist: there is no month 13 (months are 01 to 12)",
            ),
            (
                "2026-00-10",
                "2026-00-10 does not exist: there is no month 00 (months are 01 to 12)",
            ),
            (
                "2026-03-00",
                "2026-03-00 does not exist: there is no day 00 (days start at 01)",
            ),
            ("2026-2-28", "`2026-2-28` is not a date written YYYY-MM-DD"),
            (
                " 2026-02-28",
                "` 2026-02-28` is not a date written YYYY-MM-DD",
            ),
            (
                "2026-02-28 ",
                "`2026-02-28 ` is not a date written YYYY-MM-DD",
            ),
            (
                "+2026-02-28",
                "`+2026-02-28` is not a date written YYYY-MM-DD",
            ),
            (
                "2026/02/28",
                "`2026/02/28` is not a date written YYYY-MM-DD",
            ),
            ("20260228", "`20260228` is not a date written YYYY-MM-DD"),
            (
                "2026-0２-28",
                "`2026-0２-28` is not a date written YYYY-MM-DD",
            ),
            ("", "`` is not a date written YYYY-MM-DD"),
        ] {
            let found = parse_date(text).map_err(|e| e.to_string());
            assert_eq!(found, Err(message.to_owned()), "{text:?}");
        }
        for (text, date) in [
            ("2026-02-28", d(2026, 2, 28)),
            ("2028-02-29", d(2028, 2, 29)),
            ("2000-02-29", d(2000, 2, 29)),
            ("2026-12-31", d(2026, 12, 31)),
        ] {
            assert_eq!(parse_date(text), Ok(date), "{text}");
        }
    }

    #[derive(Debug, serde::Deserialize)]
    struct Dated {
        #[serde(deserialize_with = "deserialize_date")]
        on: NaiveDate,
        #[serde(default, deserialize_with = "deserialize_optional_date")]
        born: Option<NaiveDate>,
    }

    #[test]
    fn the_date_reader_takes_exactly_ten_bytes_of_digits_and_two_dashes() {
        // Every byte value at every position of a good date, against a plain definition.
        let plain = |b: &[u8]| {
            let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
            b.len() == 10
                && b.get(4) == Some(&b'-')
                && b.get(7) == Some(&b'-')
                && [0, 1, 2, 3, 5, 6, 8, 9].into_iter().all(digit)
        };
        let good = *b"2026-07-15";
        for at in 0..good.len() {
            for byte in 0..=u8::MAX {
                let mut text = good;
                if let Some(b) = text.get_mut(at) {
                    *b = byte;
                }
                assert_eq!(date_numbers(&text).is_some(), plain(&text), "{text:?}");
            }
        }
        assert_eq!(date_numbers(b"2026-07-15"), Some((2026, 7, 15)));
        assert_eq!(date_numbers(b"0000-00-00"), Some((0, 0, 0)));
        assert_eq!(date_numbers(b"9999-99-99"), Some((9999, 99, 99)));
        for text in [
            "",
            "2026-07-1",
            "2026-07-155",
            " 2026-07-15",
            "2026/07/15",
            "+026-07-15",
        ] {
            assert_eq!(date_numbers(text.as_bytes()), None, "{text:?}");
        }
    }

    #[test]
    fn serde_reads_dates_strictly_from_strings_and_toml_dates() {
        let read = |text: &str| toml::from_str::<Dated>(text).map_err(|e| e.message().to_owned());
        let dated =
            read("on = \"2026-03-01\"\nborn = 1968-04-12").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (dated.on, dated.born),
            (d(2026, 3, 1), Some(d(1968, 4, 12)))
        );
        assert_eq!(read("on = 2026-03-01").map(|x| x.on), Ok(d(2026, 3, 1)));
        for (text, message) in [
            (
                "on = \"2026-02-29\"",
                "2026-02-29 does not exist: 2026 is not a leap year",
            ),
            (
                "on = \"2026-3-1\"",
                "`2026-3-1` is not a date written YYYY-MM-DD",
            ),
            (
                "on = 2026-03-01T10:00:00",
                "`2026-03-01T10:00:00` is not a date written YYYY-MM-DD",
            ),
        ] {
            assert_eq!(read(text).map(|x| x.on), Err(message.to_owned()), "{text}");
        }
        let json: Result<Dated, _> = serde_json::from_str(r#"{"on":"2026-03-01","born":null}"#);
        assert_eq!(json.map(|x| x.born).ok(), Some(None));
    }

    #[test]
    fn month_addition_clamps_at_month_end() {
        assert_eq!(add_months(d(2026, 3, 31), 2), Ok(d(2026, 5, 31)));
        assert_eq!(add_months(d(2026, 12, 31), 2), Ok(d(2027, 2, 28)));
        assert_eq!(add_months(d(2027, 12, 31), 2), Ok(d(2028, 2, 29)));
        assert_eq!(add_months(d(2026, 1, 15), 12), Ok(d(2027, 1, 15)));
        assert!(add_months(NaiveDate::MAX, 1).is_err());
    }

    #[test]
    fn a_year_set_holds_every_year_once_in_order() {
        let years = [2100, 2000, 2025, 2026, 2025, 2063];
        let mut set = YearSet::EMPTY;
        let mut reference = std::collections::BTreeSet::new();
        for y in years {
            let year = PolicyYear(y);
            assert_eq!(set.insert(year), reference.insert(year), "{y}");
        }
        let ordered: Vec<PolicyYear> = set.iter().collect();
        assert_eq!(ordered, reference.iter().copied().collect::<Vec<_>>());
        let backwards: Vec<PolicyYear> = set.iter().rev().collect();
        assert_eq!(
            backwards,
            reference.iter().rev().copied().collect::<Vec<_>>()
        );
        assert_eq!(
            (set.len(), set.first(), set.last()),
            (5, Some(PolicyYear(2000)), Some(PolicyYear(2100)))
        );
        assert!(set.contains(PolicyYear(2063)) && !set.contains(PolicyYear(2064)));
        let other: YearSet = [PolicyYear(2026), PolicyYear(2027)].into_iter().collect();
        assert_eq!(
            set.intersection(&other).iter().collect::<Vec<_>>(),
            [PolicyYear(2026)]
        );
        assert!(YearSet::EMPTY.is_empty() && YearSet::EMPTY.last().is_none());
        assert_eq!(format!("{set:?}"), format!("{reference:?}"));
    }

    #[test]
    fn a_year_contains_exactly_the_days_of_its_range() {
        let year = PolicyYear(2026);
        for day in [
            d(2025, 12, 31),
            d(2026, 1, 1),
            d(2026, 6, 30),
            d(2026, 12, 31),
            d(2027, 1, 1),
        ] {
            assert_eq!(year.contains(day), year.range().contains(day), "{day}");
        }
        assert!(year.contains(d(2026, 1, 1)) && !year.contains(d(2027, 1, 1)));
    }

    #[test]
    fn ranges_are_inclusive_and_never_empty() {
        let r = DateRange::new(d(2020, 12, 1), d(2020, 12, 25))
            .unwrap_or(DateRange::day(d(2000, 1, 1)));
        assert!(r.contains(d(2020, 12, 1)));
        assert!(r.contains(d(2020, 12, 25)));
        assert!(!r.contains(d(2020, 12, 26)));
        assert_eq!(r.days(), 25);
        assert!(DateRange::new(d(2020, 12, 2), d(2020, 12, 1)).is_err());
        let parsed: Result<DateRange, _> =
            serde_json::from_str(r#"{"start":"2021-01-02","end":"2021-01-01"}"#);
        assert!(parsed.is_err());
    }

    #[test]
    fn policy_year_is_the_calendar_year() {
        let y = PolicyYear::new(2026).unwrap_or(PolicyYear(2000));
        assert_eq!(y.range().days(), 365);
        assert_eq!(y.first_day(), d(2026, 1, 1));
        assert_eq!(y.last_day(), d(2026, 12, 31));
        assert!(PolicyYear::new(1999).is_err());
        assert!(PolicyYear::new(i64::MAX).is_err());
    }
}
