//! The quotes the remote-care steps apply, each under the step's rule (the rules of the
//! policy's `places`, `emergency_rescue`, `manual_claim` and `catalogue` sections). See
//! `policy-data/README.md`, "Quote ids".

use yibao_core::QuoteKey;

use crate::Region;

/// Remote care needs a filing first: no filing covers the place (H25 Q84, K6).
pub const FILE_FIRST: QuoteKey = QuoteKey::new("file_first");
/// Emergency rescue is treated as filed (H18 Q84).
pub const EMERGENCY_RESCUE: QuoteKey = QuoteKey::new("emergency_rescue");
/// Remote care paid in cash and claimed manually (H18 Q54, W7).
pub const MANUAL_CLAIM: QuoteKey = QuoteKey::new("manual_claim");
/// The institution did not settle directly (W7: a network failure).
pub const MANUAL_CLAIM_NOT_SETTLED: QuoteKey = QuoteKey::new("manual_claim.not_settled");
/// The catalogue and policy of care in the province (K8, W9).
pub const CATALOGUE_IN_PROVINCE: QuoteKey = QuoteKey::new("catalogue.in_province");
/// The catalogue and policy of care across provinces (K8, W9).
pub const CATALOGUE_CROSS_PROVINCE: QuoteKey = QuoteKey::new("catalogue.cross_province");
/// The catalogue of a manual claim (W8).
pub const CATALOGUE: QuoteKey = QuoteKey::new("catalogue");
/// The deadline of a manual claim (K7, W7).
pub const DEADLINE: QuoteKey = QuoteKey::new("deadline");

/// Every key a remote-care step can name.
pub const ALL: &[QuoteKey] = &[
    FILE_FIRST,
    EMERGENCY_RESCUE,
    MANUAL_CLAIM,
    MANUAL_CLAIM_NOT_SETTLED,
    CATALOGUE_IN_PROVINCE,
    CATALOGUE_CROSS_PROVINCE,
    CATALOGUE,
    DEADLINE,
];

/// The catalogue and policy of care in a region away from home (none at home: no source
/// sentence is needed to settle local care locally).
pub fn catalogue(region: Region) -> Option<QuoteKey> {
    match region {
        Region::Home => None,
        Region::InProvince => Some(CATALOGUE_IN_PROVINCE),
        Region::CrossProvince => Some(CATALOGUE_CROSS_PROVINCE),
    }
}
