//! The quotes the enrolment steps apply, each under the step's rule. See
//! `policy-data/README.md`, "Quote ids".

use yibao_core::QuoteKey;

use crate::CoverBasis;

/// Cover paid in the collection window (H2, K9).
pub const COVER_COLLECTION_WINDOW: QuoteKey = QuoteKey::new("cover.collection_window");
/// Paid late before the year: never suspended (K9).
pub const COVER_PAID_LATE_BEFORE_YEAR: QuoteKey = QuoteKey::new("cover.paid_late_before_year");
/// Reopened the day after the payment (K9).
pub const COVER_REOPENED_AFTER_SUSPENSION: QuoteKey =
    QuoteKey::new("cover.reopened_after_suspension");
/// Cover after the waiting period, to 31 December (H3).
pub const COVER_AFTER_WAITING_PERIOD: QuoteKey = QuoteKey::new("cover.after_waiting_period");
/// A newborn enrolled within the newborn days: from birth (H5).
pub const COVER_NEWBORN_FROM_BIRTH: QuoteKey = QuoteKey::new("cover.newborn_from_birth");
/// A newborn without waiting period (H4).
pub const COVER_NEWBORN_WITHOUT_WAITING: QuoteKey = QuoteKey::new("cover.newborn_without_waiting");
/// A veteran within the days after the change of status (H4).
pub const COVER_VETERAN: QuoteKey = QuoteKey::new("cover.veteran");
/// A newly added aid recipient (H4).
pub const COVER_NEW_AID_RECIPIENT: QuoteKey = QuoteKey::new("cover.new_aid_recipient");
/// A switch between schemes within the tolerated gap (H6).
pub const COVER_SWITCH_WITHIN_TOLERANCE: QuoteKey = QuoteKey::new("cover.switch_within_tolerance");

/// The individual contribution of a category that pays the standard amount.
pub const CONTRIBUTION: QuoteKey = QuoteKey::new("contribution");
/// The individual contribution of students of universities and vocational colleges, where
/// a sentence of its own states it.
pub const CONTRIBUTION_UNIVERSITY_STUDENTS: QuoteKey =
    QuoteKey::new("contribution.university_students");
/// A category whose individual contribution is paid for it in full (全额资助).
pub const CONTRIBUTION_FULLY_SUBSIDISED: QuoteKey = QuoteKey::new("contribution.fully_subsidised");
/// The fiscal subsidy per person.
pub const SUBSIDY: QuoteKey = QuoteKey::new("subsidy");
/// Who keeps the fiscal subsidy when paying after the window (and who never has it).
pub const SUBSIDY_KEPT: QuoteKey = QuoteKey::new("subsidy.kept");
/// The whole year's funding paid alone, on or after the subsidy's withdrawal date.
pub const SUBSIDY_WITHDRAWN: QuoteKey = QuoteKey::new("subsidy.withdrawn");

/// Every key an enrolment step can name.
pub const ALL: &[QuoteKey] = &[
    CONTRIBUTION,
    CONTRIBUTION_UNIVERSITY_STUDENTS,
    CONTRIBUTION_FULLY_SUBSIDISED,
    SUBSIDY,
    SUBSIDY_KEPT,
    SUBSIDY_WITHDRAWN,
    COVER_COLLECTION_WINDOW,
    COVER_PAID_LATE_BEFORE_YEAR,
    COVER_REOPENED_AFTER_SUSPENSION,
    COVER_AFTER_WAITING_PERIOD,
    COVER_NEWBORN_FROM_BIRTH,
    COVER_NEWBORN_WITHOUT_WAITING,
    COVER_VETERAN,
    COVER_NEW_AID_RECIPIENT,
    COVER_SWITCH_WITHIN_TOLERANCE,
];

/// The quote behind a cover period's start.
pub fn cover(basis: CoverBasis) -> QuoteKey {
    match basis {
        CoverBasis::CollectionWindow => COVER_COLLECTION_WINDOW,
        CoverBasis::PaidLateBeforeYear => COVER_PAID_LATE_BEFORE_YEAR,
        CoverBasis::ReopenedAfterSuspension => COVER_REOPENED_AFTER_SUSPENSION,
        CoverBasis::AfterWaitingPeriod => COVER_AFTER_WAITING_PERIOD,
        CoverBasis::NewbornFromBirth => COVER_NEWBORN_FROM_BIRTH,
        CoverBasis::NewbornWithoutWaiting => COVER_NEWBORN_WITHOUT_WAITING,
        CoverBasis::Veteran => COVER_VETERAN,
        CoverBasis::NewAidRecipient => COVER_NEW_AID_RECIPIENT,
        CoverBasis::SwitchWithinTolerance => COVER_SWITCH_WITHIN_TOLERANCE,
    }
}
