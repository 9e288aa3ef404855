//! The deadline questions (`yibao deadline`, `POST /v1/deadline/…`): a manual claim's
//! regular and final days and where a claim filed on a day stands (K7, W7); the day the
//! office's decision on a filing is due, on the working-day calendar (K6, W3).

use chrono::NaiveDate;
use serde::Serialize;
use yibao_core::{DateError, PolicyYear, RuleId};
use yibao_filing::{ClaimTiming, FilingError, FilingPolicy, ManualClaimDeadline};

use crate::policy::{BookError, PolicyLibrary, Section};

/// Why a deadline question has no answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DeadlineError {
    /// The day is outside the supported policy years.
    #[error(transparent)]
    Date(#[from] DateError),
    /// No book for the jurisdiction and the day's year.
    #[error(transparent)]
    Book(#[from] BookError),
    /// The sources are declared silent on filings there (the reason is the data's).
    #[error("{jurisdiction} {year}: the sources give no filing rules: {reason}")]
    FilingAbsent {
        /// The jurisdiction as asked.
        jurisdiction: String,
        /// The policy year.
        year: PolicyYear,
        /// Why, in the data's words.
        reason: String,
    },
    /// The data gives no filing rules there.
    #[error("{jurisdiction} {year}: the policy data gives no filing rules")]
    NoFilingRules {
        /// The jurisdiction as asked.
        jurisdiction: String,
        /// The policy year.
        year: PolicyYear,
    },
    /// The filing rules refuse the question (no deadline in the source, a day past the
    /// holiday calendar, …).
    #[error(transparent)]
    Filing(#[from] FilingError),
}

impl DeadlineError {
    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        match self {
            DeadlineError::Date(e) => e.zh(),
            DeadlineError::Book(e) => e.zh(),
            DeadlineError::FilingAbsent {
                jurisdiction, year, ..
            } => format!("资料未公布 `{jurisdiction}` {year} 年度的异地就医备案规定"),
            DeadlineError::NoFilingRules { jurisdiction, year } => {
                format!("政策资料未给出 `{jurisdiction}` {year} 年度的异地就医备案规定")
            }
            DeadlineError::Filing(e) => e.zh(),
        }
    }
}

/// Where a claim filed on the day asked about stands, serialised as
/// `{"allowed", "counts_in" | "final_day", "status"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct FiledClaim {
    /// Whether the claim is taken.
    pub allowed: bool,
    /// The policy year it counts in, when it is taken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts_in: Option<PolicyYear>,
    /// The last day claims were open, when it is too late.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_day: Option<NaiveDate>,
    /// On time, late but taken, or closed.
    pub status: FiledStatus,
}

/// A claim's standing, as a word.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FiledStatus {
    /// In the regular window.
    OnTime,
    /// Late but still taken.
    Late,
    /// Too late: the window closed.
    Closed,
}

impl FiledClaim {
    /// The standing of a claim whose timing is `timing`.
    pub fn of(timing: ClaimTiming) -> FiledClaim {
        let (status, counts_in, final_day) = match timing {
            ClaimTiming::OnTime { counts_in } => (FiledStatus::OnTime, Some(counts_in), None),
            ClaimTiming::Late { counts_in } => (FiledStatus::Late, Some(counts_in), None),
            ClaimTiming::Closed { final_day } => (FiledStatus::Closed, None, Some(final_day)),
        };
        FiledClaim {
            allowed: status != FiledStatus::Closed,
            counts_in,
            final_day,
            status,
        }
    }
}

/// A manual claim's deadlines, serialised as `yibao deadline manual-claim --format json`
/// prints them (its fields in that order).
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ManualClaimAnswer {
    /// The regular and final days, with the rule.
    #[serde(serialize_with = "super::sorted_keys")]
    pub deadline: ManualClaimDeadline,
    /// The day of the expense.
    pub expense_date: NaiveDate,
    /// The day the claim is filed, when asked.
    pub filed_on: Option<NaiveDate>,
    /// The jurisdiction of the book that answers.
    pub jurisdiction: String,
    /// Where the claim filed on `filed_on` stands.
    pub timing: Option<FiledClaim>,
    /// The policy year of the expense.
    #[serde(skip)]
    pub year: PolicyYear,
    /// The timing as the filing rules give it.
    #[serde(skip)]
    pub claim_timing: Option<ClaimTiming>,
}

/// The day a filing's decision is due, serialised as `yibao deadline approval --format
/// json` prints it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ApprovalAnswer {
    /// The last day of the decision.
    pub decision_due: NaiveDate,
    /// The jurisdiction of the book that answers.
    pub jurisdiction: String,
    /// The policy year of the submission.
    pub policy_year: PolicyYear,
    /// The rule that gives the working days.
    pub rule: RuleId,
    /// The day the filing was submitted.
    pub submitted_on: NaiveDate,
}

/// The filing rules of the jurisdiction's book for the year of `day`, with the book's
/// jurisdiction and the year.
fn filing_policy<'l>(
    library: &'l PolicyLibrary,
    jurisdiction: &str,
    day: NaiveDate,
) -> Result<(&'l str, PolicyYear, &'l FilingPolicy), DeadlineError> {
    let year = PolicyYear::of(day)?;
    let book = library.book(jurisdiction, year)?;
    match &book.filing {
        Section::Present(policy) => Ok((&book.jurisdiction, year, policy)),
        Section::Absent { reason } => Err(DeadlineError::FilingAbsent {
            jurisdiction: jurisdiction.to_owned(),
            year,
            reason: reason.clone(),
        }),
        Section::NotGiven => Err(DeadlineError::NoFilingRules {
            jurisdiction: jurisdiction.to_owned(),
            year,
        }),
    }
}

/// The deadlines of a manual claim for an expense on `expense_date` in `jurisdiction`, and,
/// with `filed_on`, where a claim filed that day stands (K7, W7).
///
/// # Errors
/// [`DeadlineError`] when no book or filing rules answer, or the source gives no deadline.
pub fn manual_claim(
    library: &PolicyLibrary,
    jurisdiction: &str,
    expense_date: NaiveDate,
    filed_on: Option<NaiveDate>,
) -> Result<ManualClaimAnswer, DeadlineError> {
    let (book_jurisdiction, year, policy) = filing_policy(library, jurisdiction, expense_date)?;
    let deadline = yibao_filing::manual_claim_deadline(expense_date, policy)?;
    let claim_timing = filed_on.map(|day| deadline.timing(day)).transpose()?;
    Ok(ManualClaimAnswer {
        deadline,
        expense_date,
        filed_on,
        jurisdiction: book_jurisdiction.to_owned(),
        timing: claim_timing.map(FiledClaim::of),
        year,
        claim_timing,
    })
}

/// The day the office's decision on a filing submitted on `submitted_on` in `jurisdiction`
/// is due (K6, W3).
///
/// # Errors
/// [`DeadlineError`] when no book or filing rules answer, the source gives no deadline or
/// the day falls past the holiday calendar.
pub fn approval(
    library: &PolicyLibrary,
    jurisdiction: &str,
    submitted_on: NaiveDate,
) -> Result<ApprovalAnswer, DeadlineError> {
    let (book_jurisdiction, year, policy) = filing_policy(library, jurisdiction, submitted_on)?;
    let decision_due = yibao_filing::approval_due_by(submitted_on, &library.calendar, policy)?;
    Ok(ApprovalAnswer {
        decision_due,
        jurisdiction: book_jurisdiction.to_owned(),
        policy_year: year,
        rule: policy.approval.rules.first(),
        submitted_on,
    })
}
