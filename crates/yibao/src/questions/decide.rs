//! The yes-or-no questions of enrolment (`yibao decide`, `POST /v1/decide/…`), each
//! answered with its verdict, rules, the reason in words and any consequence: a refund of a
//! contribution (H8), a new enrolment beside existing ones (H9), a payment from an
//! employee's personal account for a relative (H10), a document's number used to pay for a
//! person (K12, H5).

use chrono::NaiveDate;
use serde::Serialize;
use yibao_core::{PolicyYear, RuleId, Said};
use yibao_enrolment::{
    Decision, DocumentHolder, EnrolmentError, EnrolmentSection, ExistingEnrolment,
    FamilyPaymentRequest, IdentityDocument, RefundReason,
};

use crate::policy::{BookError, PolicyLibrary, Section};
use crate::scenario::Scenario;
use crate::settle::SettleError;

/// A decision with the question it answers, serialised as `yibao decide … --format json`
/// prints it (its fields in that order).
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct DecisionAnswer {
    /// Whether the request is allowed.
    pub allowed: bool,
    /// The verdict, the consequences and the steps with their rules.
    #[serde(serialize_with = "super::sorted_keys")]
    pub decision: Decision,
    /// The question, in words (`huaian 2026: a new resident enrolment in huaian`; in
    /// Chinese `淮安市 2026 年度：在 淮安市 新参加居民医保`). JSON writes the English.
    pub question: Said,
    /// The distinct rules that decided.
    pub rules: Vec<RuleId>,
}

impl DecisionAnswer {
    fn new(question: Said, decision: Decision) -> DecisionAnswer {
        DecisionAnswer {
            allowed: decision.is_allowed(),
            rules: decision.rules(),
            decision,
            question,
        }
    }
}

/// Why a decision question (other than the refund, refused as a scenario is) has no answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecideError {
    /// No book for the jurisdiction and year.
    #[error(transparent)]
    Book(#[from] BookError),
    /// The sources are declared silent on enrolment there (the reason is the data's).
    #[error("{jurisdiction} {year}: the sources give no enrolment rules: {reason}")]
    EnrolmentAbsent {
        /// The jurisdiction as asked.
        jurisdiction: String,
        /// The policy year.
        year: PolicyYear,
        /// Why, in the data's words.
        reason: String,
    },
    /// The data gives no enrolment rules there.
    #[error("{jurisdiction} {year}: the policy data gives no enrolment rules")]
    NoEnrolmentRules {
        /// The jurisdiction as asked.
        jurisdiction: String,
        /// The policy year.
        year: PolicyYear,
    },
    /// The enrolment rules cannot decide (the source gives no rule for the question).
    #[error(transparent)]
    Enrolment(#[from] EnrolmentError),
}

impl DecideError {
    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        match self {
            DecideError::Book(e) => e.zh(),
            DecideError::EnrolmentAbsent {
                jurisdiction, year, ..
            } => format!("资料未公布 `{jurisdiction}` {year} 年度的参保缴费规定"),
            DecideError::NoEnrolmentRules { jurisdiction, year } => {
                format!("政策资料未给出 `{jurisdiction}` {year} 年度的参保缴费规定")
            }
            DecideError::Enrolment(e) => e.zh(),
        }
    }
}

/// A book's title in both languages: `huaian 2026`, `淮安市 2026 年度` (the name the policy
/// data gives the place, its id where it gives none).
fn title(library: &PolicyLibrary, jurisdiction: &str, year: PolicyYear) -> (String, String) {
    let name = library
        .jurisdictions
        .get(jurisdiction)
        .map_or(jurisdiction, |j| j.name_zh.as_str());
    (
        format!("{jurisdiction} {year}"),
        format!("{name} {year} 年度"),
    )
}

/// The enrolment rules of the book, with the book's title in both languages (`huaian
/// 2026`, whatever name the place was asked by).
fn enrolment<'l>(
    library: &'l PolicyLibrary,
    jurisdiction: &str,
    year: PolicyYear,
) -> Result<((String, String), &'l EnrolmentSection), DecideError> {
    let book = library.book(jurisdiction, year)?;
    match &book.enrolment {
        Section::Present(section) => Ok((title(library, &book.jurisdiction, book.year), section)),
        Section::Absent { reason } => Err(DecideError::EnrolmentAbsent {
            jurisdiction: jurisdiction.to_owned(),
            year,
            reason: reason.clone(),
        }),
        Section::NotGiven => Err(DecideError::NoEnrolmentRules {
            jurisdiction: jurisdiction.to_owned(),
            year,
        }),
    }
}

/// Whether the contribution for the scenario's year may be refunded on `applied_on` for
/// `reason` (H8).
///
/// # Errors
/// [`SettleError`] as [`crate::settle::refund`]: located in the scenario.
pub fn refund(
    library: &PolicyLibrary,
    scenario: &Scenario,
    reason: RefundReason,
    applied_on: NaiveDate,
) -> Result<DecisionAnswer, SettleError> {
    let decision = crate::settle::refund(library, scenario, reason, applied_on)?;
    let (en, zh) = title(library, &scenario.jurisdiction, scenario.year);
    let reason = reason.term();
    let question = Said::new(
        format!(
            "{en}: a refund of the {} contribution ({}), applied on {applied_on}",
            scenario.year, reason.en
        ),
        format!(
            "{zh}：申请退还 {} 年度个人缴费（{}），申请日 {applied_on}",
            scenario.year, reason.zh
        ),
    );
    Ok(DecisionAnswer::new(question, decision))
}

/// Whether a person may enrol in resident insurance at `place` given their `existing`
/// enrolments (H9), by the rules of `jurisdiction`'s book for `year`.
///
/// # Errors
/// [`DecideError`] when no book or rule answers.
pub fn double_enrolment(
    library: &PolicyLibrary,
    jurisdiction: &str,
    year: PolicyYear,
    place: &str,
    existing: &[ExistingEnrolment],
) -> Result<DecisionAnswer, DecideError> {
    let (book, section) = enrolment(library, jurisdiction, year)?;
    let decision = section.new_enrolment_named(existing, place, |id| {
        library.jurisdictions.get(id).map(|j| j.name_zh.clone())
    })?;
    let place_zh = library
        .jurisdictions
        .get(place)
        .map_or(place, |j| j.name_zh.as_str());
    Ok(DecisionAnswer::new(
        Said::new(
            format!("{}: a new resident enrolment in {place}", book.0),
            format!("{}：在 {place_zh} 新参加居民医保", book.1),
        ),
        decision,
    ))
}

/// Whether an employee's personal account may pay for a relative (H10).
///
/// # Errors
/// [`DecideError`] when no book or rule answers.
pub fn family_payment(
    library: &PolicyLibrary,
    jurisdiction: &str,
    year: PolicyYear,
    request: &FamilyPaymentRequest,
) -> Result<DecisionAnswer, DecideError> {
    let (book, section) = enrolment(library, jurisdiction, year)?;
    let decision = section.family_payment(request)?;
    let (relation, purpose, feature) = (
        request.relation.term(),
        request.purpose.term(),
        request.feature.term(),
    );
    let question = Said::new(
        format!(
            "{}: the personal account pays a {}'s {} ({})",
            book.0, relation.en, purpose.en, feature.en
        ),
        format!(
            "{}：职工医保个人账户（{}）支付{}的{}",
            book.1, feature.zh, relation.zh, purpose.zh
        ),
    );
    Ok(DecisionAnswer::new(question, decision))
}

/// Whether a `document`'s number may be used to pay for a `holder` (K12, H5).
///
/// # Errors
/// [`DecideError`] when no book or enrolment rules answer.
pub fn identity_document(
    library: &PolicyLibrary,
    jurisdiction: &str,
    year: PolicyYear,
    document: IdentityDocument,
    holder: DocumentHolder,
) -> Result<DecisionAnswer, DecideError> {
    let (book, section) = enrolment(library, jurisdiction, year)?;
    let decision = section.identity_document(document, holder);
    let (document, holder) = (document.term(), holder.term());
    let question = Said::new(
        format!("{}: a {} number for a {}", book.0, document.en, holder.en),
        format!("{}：{}使用{}号码缴费", book.1, holder.zh, document.zh),
    );
    Ok(DecisionAnswer::new(question, decision))
}
