//! The quotes the catastrophic steps apply, each under the step's rule (H19 for the schedule,
//! H7 for the raises of the cap). See `policy-data/README.md`, "Quote ids".

use yibao_core::QuoteKey;

use crate::PersonClass;

/// The schedule of ordinary insured persons: threshold and bands (H19).
pub const CLASS_ORDINARY: QuoteKey = QuoteKey::new("class.ordinary");
/// The schedule of medical-aid recipients: threshold and bands (H19).
pub const CLASS_MEDICAL_AID_RECIPIENT: QuoteKey = QuoteKey::new("class.medical_aid_recipient");
/// The annual cap (H19).
pub const CAP: QuoteKey = QuoteKey::new("cap");
/// A re-enrolment after a lapse lowers the cap (H7).
pub const LAPSE: QuoteKey = QuoteKey::new("lapse");
/// Continuous enrolment raises the cap (H7).
pub const CONTINUITY: QuoteKey = QuoteKey::new("continuity");
/// A year without fund reimbursement raises the cap (H7).
pub const ZERO: QuoteKey = QuoteKey::new("zero");
/// The raise per step and the limit of all raises (H7).
pub const LIMIT: QuoteKey = QuoteKey::new("limit");
/// The zero-reimbursement raises are reset when the reward quota is used (H7).
pub const RESET: QuoteKey = QuoteKey::new("reset");

/// Every key a catastrophic step can name.
pub const ALL: &[QuoteKey] = &[
    CLASS_ORDINARY,
    CLASS_MEDICAL_AID_RECIPIENT,
    CAP,
    LAPSE,
    CONTINUITY,
    ZERO,
    LIMIT,
    RESET,
];

/// The schedule of a class of persons.
pub fn class(class: PersonClass) -> QuoteKey {
    match class {
        PersonClass::Ordinary => CLASS_ORDINARY,
        PersonClass::MedicalAidRecipient => CLASS_MEDICAL_AID_RECIPIENT,
    }
}
