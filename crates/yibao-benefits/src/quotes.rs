//! The quotes the benefit steps apply: each step names one of these keys, under its rule
//! (`row.level_3` of H14 is "三级医院 900 元 65%"; K4, whose table does not split by level,
//! registers `row` and the lookup narrows `row.level_3` to it). See `policy-data/README.md`,
//! "Quote ids".

use yibao_core::{QuoteKey, RemoteCare};

use crate::{HospitalLevel, NotPaid};

/// A rule's table as a whole (K3, K4, H11 to H14).
pub const ROW: QuoteKey = QuoteKey::new("row");
/// The row of a hospital level.
pub const ROW_PRIMARY_CARE: QuoteKey = QuoteKey::new("row.primary_care");
/// The row of level 1.
pub const ROW_LEVEL_1: QuoteKey = QuoteKey::new("row.level_1");
/// The row of level 2.
pub const ROW_LEVEL_2: QuoteKey = QuoteKey::new("row.level_2");
/// The row of level 3.
pub const ROW_LEVEL_3: QuoteKey = QuoteKey::new("row.level_3");
/// The row of a designated hospital outside the city (H14).
pub const ROW_OUTSIDE_CITY: QuoteKey = QuoteKey::new("row.outside_city");
/// The annual fund cap of the table.
pub const ROW_CAP: QuoteKey = QuoteKey::new("row.cap");
/// The deductible of a repeat admission (K4 注).
pub const NOTE_REPEAT: QuoteKey = QuoteKey::new("note.repeat");
/// Where a benefit is paid (H11, H12: primary care).
pub const PAID_AT: QuoteKey = QuoteKey::new("paid_at");
/// A single ratio (H16 day surgery, H17 dual-channel drugs).
pub const RATIO: QuoteKey = QuoteKey::new("ratio");
/// A delivery's fiscal subsidy (H15).
pub const DELIVERY: QuoteKey = QuoteKey::new("delivery");
/// A delivery elsewhere in the province: no filing, no cut (H15).
pub const SAME_PROVINCE: QuoteKey = QuoteKey::new("same_province");
/// Emergency care without admission (H20).
pub const NOT_ADMITTED: QuoteKey = QuoteKey::new("not_admitted");
/// Death in emergency care (H20).
pub const DIED: QuoteKey = QuoteKey::new("died");
/// An accident without a liable third party (H21).
pub const ACCIDENT: QuoteKey = QuoteKey::new("accident");
/// Transfer-out outpatient care (K5).
pub const TRANSFER_OUT: QuoteKey = QuoteKey::new("transfer_out");
/// The personal share of class B items (H23).
pub const CLASS_B: QuoteKey = QuoteKey::new("class_b");
/// The remote-care ratio rule as a whole (K8: the insured place's ratio).
pub const CUT: QuoteKey = QuoteKey::new("cut");

/// Every key a benefit step can name.
pub const ALL: &[QuoteKey] = &[
    ROW,
    ROW_PRIMARY_CARE,
    ROW_LEVEL_1,
    ROW_LEVEL_2,
    ROW_LEVEL_3,
    ROW_OUTSIDE_CITY,
    ROW_CAP,
    NOTE_REPEAT,
    PAID_AT,
    RATIO,
    DELIVERY,
    SAME_PROVINCE,
    NOT_ADMITTED,
    DIED,
    ACCIDENT,
    TRANSFER_OUT,
    CLASS_B,
    CUT,
    EXCLUDED_WORK_INJURY,
    EXCLUDED_LIABLE_THIRD_PARTY,
    EXCLUDED_PUBLIC_HEALTH,
    EXCLUDED_ABROAD,
    EXCLUDED_NON_DESIGNATED,
    CUT_LONG_TERM_FILED,
    CUT_REFERRAL,
    CUT_TEMPORARY_FILED,
    CUT_UNFILED,
    CUT_EMERGENCY_RESCUE,
    CUT_EXEMPT_AS_REFERRAL,
    CUT_REGIONAL_SAME_CITY,
];

/// Owed by work-injury insurance (H22).
pub const EXCLUDED_WORK_INJURY: QuoteKey = QuoteKey::new("excluded.work_injury");
/// An accident a third party is liable for (H21).
pub const EXCLUDED_LIABLE_THIRD_PARTY: QuoteKey = QuoteKey::new("excluded.liable_third_party");
/// Owed by public health (H22).
pub const EXCLUDED_PUBLIC_HEALTH: QuoteKey = QuoteKey::new("excluded.public_health");
/// Incurred abroad (H22).
pub const EXCLUDED_ABROAD: QuoteKey = QuoteKey::new("excluded.abroad");
/// At a non-designated institution (H22).
pub const EXCLUDED_NON_DESIGNATED: QuoteKey =
    QuoteKey::new("excluded.non_designated_except_emergency");

/// The cut of a long-term filing (H18, W5).
pub const CUT_LONG_TERM_FILED: QuoteKey = QuoteKey::new("cut.long_term_filed");
/// The cut of a referral (H18, W5).
pub const CUT_REFERRAL: QuoteKey = QuoteKey::new("cut.referral");
/// The cut of another temporary filing (H18 via Q54, W5).
pub const CUT_TEMPORARY_FILED: QuoteKey = QuoteKey::new("cut.temporary_filed");
/// The cut of unfiled remote care (H18, W5).
pub const CUT_UNFILED: QuoteKey = QuoteKey::new("cut.unfiled");
/// Emergency rescue, treated as filed and not cut (H18 via Q84; the key the filing steps
/// name too).
pub const CUT_EMERGENCY_RESCUE: QuoteKey = QuoteKey::new("emergency_rescue");
/// A place exempt from filing, treated as a referral (W6).
pub const CUT_EXEMPT_AS_REFERRAL: QuoteKey = QuoteKey::new("cut.exempt_as_referral");
/// A place exempt from filing, treated as the same city (W6).
pub const CUT_REGIONAL_SAME_CITY: QuoteKey = QuoteKey::new("cut.regional_same_city");

/// The row of a hospital level.
pub fn row(level: HospitalLevel) -> QuoteKey {
    match level {
        HospitalLevel::PrimaryCare => ROW_PRIMARY_CARE,
        HospitalLevel::Level1 => ROW_LEVEL_1,
        HospitalLevel::Level2 => ROW_LEVEL_2,
        HospitalLevel::Level3 => ROW_LEVEL_3,
    }
}

/// The exclusion of a situation.
pub fn excluded(fact: NotPaid) -> QuoteKey {
    match fact {
        NotPaid::WorkInjury => EXCLUDED_WORK_INJURY,
        NotPaid::LiableThirdParty => EXCLUDED_LIABLE_THIRD_PARTY,
        NotPaid::PublicHealth => EXCLUDED_PUBLIC_HEALTH,
        NotPaid::Abroad => EXCLUDED_ABROAD,
        NotPaid::NonDesignatedExceptEmergency => EXCLUDED_NON_DESIGNATED,
    }
}

/// The ratio cut of a remote-care treatment (`cut` for local care).
pub fn cut(treatment: RemoteCare) -> QuoteKey {
    match treatment {
        RemoteCare::Local => CUT,
        RemoteCare::LongTermFiled => CUT_LONG_TERM_FILED,
        RemoteCare::Referral => CUT_REFERRAL,
        RemoteCare::TemporaryFiled => CUT_TEMPORARY_FILED,
        RemoteCare::Unfiled => CUT_UNFILED,
        RemoteCare::EmergencyRescue => CUT_EMERGENCY_RESCUE,
        RemoteCare::ExemptAsReferral => CUT_EXEMPT_AS_REFERRAL,
        RemoteCare::RegionalSameCity => CUT_REGIONAL_SAME_CITY,
    }
}
