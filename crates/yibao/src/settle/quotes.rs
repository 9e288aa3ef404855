//! The quotes the facade's own steps apply (cover on the day of a claim, a delivery's fiscal
//! subsidy, a catastrophic part left unsettled), each under the step's rule; the domain
//! crates list theirs in their own `quotes` modules. See `policy-data/README.md`, "Quote ids".

use yibao_core::QuoteKey;

use super::reasons::NotCoveredReason;

/// Expenses in the waiting period are not paid (H3).
pub const NOT_COVERED_WAITING_PERIOD: QuoteKey = QuoteKey::new("not_covered.waiting_period");
/// Expenses while suspended are not paid (K9).
pub const NOT_COVERED_SUSPENDED: QuoteKey = QuoteKey::new("not_covered.suspended");
/// No cover period contains the day.
pub const NOT_COVERED_NO_COVER_PERIOD: QuoteKey = QuoteKey::new("not_covered.no_cover_period");
/// A delivery's remaining costs paid by a fiscal subsidy (H15).
pub const DELIVERY: QuoteKey = yibao_benefits::quotes::DELIVERY;
/// A re-enrolment after a lapse may lower the catastrophic cap (H7).
pub const LAPSE: QuoteKey = yibao_catastrophic::quotes::LAPSE;

/// Every key a facade step can name.
pub const ALL: &[QuoteKey] = &[
    NOT_COVERED_WAITING_PERIOD,
    NOT_COVERED_SUSPENDED,
    NOT_COVERED_NO_COVER_PERIOD,
    DELIVERY,
    LAPSE,
];

/// The quote behind a day without cover.
pub(super) fn not_covered(reason: &NotCoveredReason) -> QuoteKey {
    match reason {
        NotCoveredReason::WaitingPeriod { .. } => NOT_COVERED_WAITING_PERIOD,
        NotCoveredReason::Suspended { .. } => NOT_COVERED_SUSPENDED,
        NotCoveredReason::NoCoverPeriod { .. } => NOT_COVERED_NO_COVER_PERIOD,
    }
}
