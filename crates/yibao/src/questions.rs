//! The single questions a front end asks besides the settlement, answered here once so that
//! the CLI (`yibao contribution`) and the HTTP service (`POST /v1/contribution`) give the same
//! answer and the same refusal. The catastrophic payment, the deadlines and the enrolment
//! decisions have a module each.

pub mod catastrophic;
pub mod deadline;
pub mod decide;

use chrono::NaiveDateTime;
use serde::Serialize;
use yibao_core::PolicyYear;
use yibao_enrolment::{
    ChannelStatus, Contribution, ContributionQuery, EnrolmentError, EnrolmentSection,
};

use crate::policy::{BookError, PolicyLibrary, Section};

/// What a person pays to enrol, and, when a moment was given, whether the payment channels
/// take payments then (K11). Serialised as `yibao contribution --format json` prints it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ContributionAnswer {
    /// The channels at the moment asked about; `None` when none was.
    pub channel: Option<ChannelStatus>,
    /// The contribution: individual part, assistance, fiscal subsidy, with its trace.
    pub contribution: Contribution,
}

/// Why the contribution question has no answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QuestionError {
    /// No book for the jurisdiction and year (nor a later book that gives the year).
    #[error(transparent)]
    Book(#[from] BookError),
    /// The sources are declared silent on enrolment there (the reason is the data's).
    #[error("{reason}")]
    EnrolmentAbsent {
        /// Why, in the data's words.
        reason: String,
    },
    /// The data gives no enrolment rules there.
    #[error("the policy data gives no enrolment rules for {jurisdiction} {year}")]
    NoEnrolmentRules {
        /// The jurisdiction.
        jurisdiction: String,
        /// The year.
        year: PolicyYear,
    },
    /// The enrolment rules refuse the question (a date outside the window, an unknown
    /// category, channel hours the sources do not give, …).
    #[error(transparent)]
    Enrolment(#[from] EnrolmentError),
}

impl QuestionError {
    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        match self {
            QuestionError::Book(e) => e.zh(),
            QuestionError::EnrolmentAbsent { .. } => {
                "资料未公布该地的参保缴费规定（个人缴费标准、集中缴费期）".to_owned()
            }
            QuestionError::NoEnrolmentRules { jurisdiction, year } => {
                format!("政策资料未给出 `{jurisdiction}` {year} 年度的参保缴费规定")
            }
            QuestionError::Enrolment(e) => e.zh(),
        }
    }
}

/// The enrolment rules that answer a contribution for `year`: the year's own book, or the
/// next year's when its source gives that year's individual contribution (Huai'an 2025,
/// from the 2026 source's Q14, H1).
///
/// # Errors
/// [`QuestionError`] when no book gives the year's enrolment rules.
pub fn contribution_section<'l>(
    library: &'l PolicyLibrary,
    jurisdiction: &str,
    year: PolicyYear,
) -> Result<&'l EnrolmentSection, QuestionError> {
    let book = match library.book(jurisdiction, year) {
        Ok(book) => book,
        Err(no_book) => {
            let later = year
                .next()
                .and_then(|next| library.book(jurisdiction, next).ok())
                .and_then(|book| book.enrolment.present())
                .filter(|section| {
                    section
                        .contribution
                        .earlier_years
                        .iter()
                        .any(|e| e.year == year)
                });
            return later.ok_or(QuestionError::Book(no_book));
        }
    };
    match &book.enrolment {
        Section::Present(section) => Ok(section),
        Section::Absent { reason } => Err(QuestionError::EnrolmentAbsent {
            reason: reason.clone(),
        }),
        Section::NotGiven => Err(QuestionError::NoEnrolmentRules {
            jurisdiction: jurisdiction.to_owned(),
            year,
        }),
    }
}

/// What a person pays to enrol in `jurisdiction` (`query`), and whether the payment
/// channels take payments at `at` (a local time on the payment day, K11).
///
/// # Errors
/// [`QuestionError`] as [`contribution_section`], or the enrolment rules' refusal.
pub fn contribution(
    library: &PolicyLibrary,
    jurisdiction: &str,
    query: &ContributionQuery,
    at: Option<NaiveDateTime>,
) -> Result<ContributionAnswer, QuestionError> {
    let section = contribution_section(library, jurisdiction, query.year)?;
    let contribution = section.contribution(query)?;
    let channel = at.map(|at| section.payment_channel_at(at)).transpose()?;
    Ok(ContributionAnswer {
        channel,
        contribution,
    })
}

/// Serialises a nested value with its object keys in alphabetical order, as the CLI has
/// always written the answers built as JSON values (`--format json` of `yibao
/// catastrophic`, `deadline` and `decide`), so that the CLI and the HTTP service give the
/// same bytes.
pub(crate) fn sorted_keys<T: Serialize, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serde_json::to_value(value)
        .map_err(serde::ser::Error::custom)?
        .serialize(serializer)
}
