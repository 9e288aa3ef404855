//! The catastrophic question (`yibao catastrophic`, `POST /v1/catastrophic`): a year's
//! cumulative personal burden after the basic fund → the catastrophic payment, with its
//! bands, the cap in force for the person's incentive history and each raise (H19, H6, H7).

use serde::Serialize;
use yibao_catastrophic::{
    AnnualSettlement, CapInForce, CatastrophicError, IncentiveHistory, PersonClass,
};
use yibao_core::{PolicyYear, RoundingMode, Yuan};

use crate::policy::{BookError, PolicyLibrary};

/// What is asked: whose burden, in which place and year, and the person's history of
/// enrolment and reimbursement that raises the cap.
#[derive(Clone, Debug)]
pub struct CatastrophicQuestion {
    /// The jurisdiction as asked (an insured place or one of its other names).
    pub jurisdiction: String,
    /// The policy year.
    pub year: PolicyYear,
    /// The year's cumulative personal burden after the basic fund.
    pub burden: Yuan,
    /// The person class.
    pub class: PersonClass,
    /// Consecutive years, zero-reimbursement years and reward quota used.
    pub history: IncentiveHistory,
}

/// The answer, serialised as `yibao catastrophic --format json` prints it (its fields in
/// that order).
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CatastrophicAnswer {
    /// The cap in force, with each raise and its rule.
    #[serde(serialize_with = "super::sorted_keys")]
    pub cap_in_force: CapInForce,
    /// The jurisdiction as asked.
    pub jurisdiction: String,
    /// The year's payment, band by band.
    #[serde(serialize_with = "super::sorted_keys")]
    pub settlement: AnnualSettlement,
    /// The policy year.
    pub year: PolicyYear,
    /// The book's rounding, with which a band's exact share is shown.
    #[serde(skip)]
    pub rounding: RoundingMode,
}

/// Why the catastrophic question has no answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatastrophicQuestionError {
    /// No insured place of that name, or no book for the year.
    #[error(transparent)]
    Book(#[from] BookError),
    /// No schedule for the year, or the rules refuse the figures.
    #[error(transparent)]
    Catastrophic(#[from] CatastrophicError),
}

impl CatastrophicQuestionError {
    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        match self {
            CatastrophicQuestionError::Book(e) => e.zh(),
            CatastrophicQuestionError::Catastrophic(e) => e.zh(),
        }
    }
}

/// The catastrophic payment of `question`'s year, with the cap in force.
///
/// # Errors
/// [`CatastrophicQuestionError`] when the place is unknown, the year has no schedule or no
/// book, or the rules refuse the figures.
pub fn catastrophic(
    library: &PolicyLibrary,
    question: &CatastrophicQuestion,
) -> Result<CatastrophicAnswer, CatastrophicQuestionError> {
    let ladder = library.catastrophic_ladder(&question.jurisdiction)?;
    let schedule = ladder.schedule(question.year)?;
    let cap_in_force = schedule.cap_in_force(&question.history)?;
    let rounding = library
        .book(&question.jurisdiction, question.year)?
        .rounding();
    let settlement =
        schedule.settle_year(question.class, question.burden, &cap_in_force, rounding)?;
    Ok(CatastrophicAnswer {
        cap_in_force,
        jurisdiction: question.jurisdiction.clone(),
        settlement,
        year: question.year,
        rounding,
    })
}
