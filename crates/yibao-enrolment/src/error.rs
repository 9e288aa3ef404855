//! The one error type of this crate.

use chrono::NaiveDate;
use yibao_core::{DateError, MoneyError, PolicyYear, Said, in_words_zh};

use crate::params::CategoryId;

/// Why an enrolment question could not be answered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnrolmentError {
    /// Occurs when a question is about a policy year the section does not cover.
    #[error("the enrolment data is for policy year {covered}, not {asked}")]
    YearNotCovered {
        /// The year asked about.
        asked: PolicyYear,
        /// The year the data covers.
        covered: PolicyYear,
    },
    /// Occurs when a category id is not one of the jurisdiction's categories.
    #[error("`{id}` is not a person category of this jurisdiction (known: {known})")]
    UnknownCategory {
        /// The id as given.
        id: CategoryId,
        /// The known ids, comma-separated.
        known: String,
    },
    /// Occurs when the sources give no figure or rule for what was asked.
    #[error("the sources do not specify {what}")]
    NotGivenBySource {
        /// What is missing, e.g. "an individual contribution for `unemployed_resident`", in
        /// both languages.
        what: Said,
    },
    /// Occurs when a payment is dated before the collection window of its year opens.
    #[error(
        "a payment for {year} on {paid_on} is before the collection window opens on {window_start}"
    )]
    PaidBeforeWindow {
        /// The policy year paid for.
        year: PolicyYear,
        /// The payment date.
        paid_on: NaiveDate,
        /// The window's first day.
        window_start: NaiveDate,
    },
    /// Occurs when a payment is dated after its policy year ended (other than a newborn's
    /// birth-year back payment, H5).
    #[error("a payment for {year} on {paid_on} is after that policy year ended")]
    PaidAfterYear {
        /// The policy year paid for.
        year: PolicyYear,
        /// The payment date.
        paid_on: NaiveDate,
    },
    /// Occurs when an event of a history is dated before the person's birth.
    #[error("event {index} ({event}) on {on} is before the person's birth on {born}")]
    BeforeBirth {
        /// 0-based index of the event.
        index: usize,
        /// What the event is.
        event: String,
        /// Its date.
        on: NaiveDate,
        /// The birth date.
        born: NaiveDate,
    },
    /// Occurs when the events of a history are not in date order.
    #[error(
        "event {index} on {on} comes after an event on {previous}; events must be in date order"
    )]
    EventsOutOfOrder {
        /// 0-based index of the first event out of order.
        index: usize,
        /// Its date.
        on: NaiveDate,
        /// The later date of the event before it.
        previous: NaiveDate,
    },
    /// Occurs when a history is inconsistent, e.g. leaving employee insurance without having
    /// joined it.
    #[error("event {index} on {on}: {problem}")]
    InconsistentHistory {
        /// 0-based index of the event.
        index: usize,
        /// Its date.
        on: NaiveDate,
        /// What is wrong.
        problem: String,
    },
    /// Occurs when an amount leaves the range money can take.
    #[error("amount out of range: {0}")]
    Money(#[from] MoneyError),
    /// Occurs when date arithmetic leaves the calendar the engine supports.
    #[error("date out of range: {0}")]
    Date(#[from] DateError),
}

impl EnrolmentError {
    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        match self {
            EnrolmentError::YearNotCovered { asked, covered } => {
                format!("参保政策资料适用于 {covered} 年度，而非 {asked} 年度")
            }
            EnrolmentError::UnknownCategory { id, known } => {
                let known: Vec<&str> = known.split(", ").collect();
                format!(
                    "`{id}` 不是本统筹地区的参保人员类别（已知类别：{}）",
                    in_words_zh(&known)
                )
            }
            EnrolmentError::NotGivenBySource { what } => match what.zh() {
                // A space between the Chinese and a number that follows it.
                Some(what) if what.starts_with(|c: char| c.is_ascii_digit()) => {
                    format!("政策资料未规定 {what}")
                }
                Some(what) => format!("政策资料未规定{what}"),
                None => "政策资料未规定所问事项".to_owned(),
            },
            EnrolmentError::PaidBeforeWindow {
                year,
                paid_on,
                window_start,
            } => format!("{paid_on} 缴纳的 {year} 年度个人缴费早于集中缴费期开始日 {window_start}"),
            EnrolmentError::PaidAfterYear { year, paid_on } => {
                format!("{paid_on} 缴纳的 {year} 年度个人缴费晚于该政策年度结束")
            }
            EnrolmentError::BeforeBirth {
                index, on, born, ..
            } => format!("第 {} 项参保事件（{on}）早于出生日期 {born}", index + 1),
            EnrolmentError::EventsOutOfOrder {
                index,
                on,
                previous,
            } => format!(
                "第 {} 项参保事件（{on}）排在 {previous} 的事件之后；参保事件须按日期先后排列",
                index + 1
            ),
            EnrolmentError::InconsistentHistory { index, on, .. } => {
                format!("第 {} 项参保事件（{on}）与此前的参保记录相矛盾", index + 1)
            }
            EnrolmentError::Money(e) => format!("金额超出范围：{}", e.zh()),
            EnrolmentError::Date(e) => format!("日期超出范围：{}", e.zh()),
        }
    }
}
