//! What the treatment of care at a place means for a claim there: the ratio cut it brings
//! (points or a factor, H18, W5, or the sources' silence, K8) and whether a filing is
//! required and on file. [`super::filing`] gives it beside the treatment.

use serde::Serialize;
use yibao_benefits::CutRule;
use yibao_core::{RemoteCare, RuleId};
use yibao_filing::CareAssessment;

use crate::policy::{Book, Section};

/// The treatment of care at a place with what it means for a claim there. Serialised as the
/// assessment's fields followed by `ratio_cut` and `filing_required`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CareReport {
    /// Where, under which treatment, catalogue and settlement, with the steps.
    #[serde(flatten)]
    pub assessment: CareAssessment,
    /// The ratio the treatment is paid at, relative to the home ratio.
    pub ratio_cut: RatioCut,
    /// Whether care under the treatment needs a filing, and whether one is on file.
    pub filing_required: FilingNeed,
}

/// The ratio a treatment is paid at, relative to the home ratio.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RatioCut {
    /// The data's cut for the treatment, with its rule.
    Given {
        /// No cut, minus points, or times a factor.
        cut: CutRule,
        /// The rule that sets it.
        rule: RuleId,
    },
    /// The sources give no rule for the treatment (K8), in their words.
    NotGivenBySource {
        /// What the sources say and do not say.
        reason: String,
    },
    /// The year's data has no remote-care rules, or none for this treatment.
    NoRule {
        /// What is missing.
        reason: String,
    },
}

/// Whether care under a treatment needs a filing, and whether one is on file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FilingNeed {
    /// Care at home, or in a place that needs none (W6).
    NotRequired,
    /// An emergency rescue: treated as filed (H18 via Q84).
    NotRequiredForEmergency,
    /// Required, and the filing that decided it is on file.
    RequiredOnFile,
    /// Required, and none is on file: the care is unfiled.
    RequiredNoneOnFile,
}

impl CareReport {
    /// The assessment with the cut of `book`'s remote-care rules and the filing needed.
    pub fn new(book: &Book, assessment: CareAssessment) -> CareReport {
        CareReport {
            ratio_cut: RatioCut::of(book, assessment.treatment),
            filing_required: FilingNeed::of(assessment.treatment),
            assessment,
        }
    }
}

impl RatioCut {
    /// The cut `book`'s remote-care rules give `treatment`, or why there is none.
    pub fn of(book: &Book, treatment: RemoteCare) -> RatioCut {
        let params = match &book.remote_care {
            Section::Present(params) => params,
            Section::Absent { reason } => {
                return RatioCut::NoRule {
                    reason: reason.clone(),
                };
            }
            Section::NotGiven => {
                return RatioCut::NoRule {
                    reason: format!(
                        "the policy data gives no remote-care rules for {} {}",
                        book.jurisdiction, book.year
                    ),
                };
            }
        };
        if let Some(reason) = params.not_given(treatment) {
            return RatioCut::NotGivenBySource {
                reason: reason.to_owned(),
            };
        }
        match params.cut.get(&treatment) {
            Some(cut) => RatioCut::Given {
                cut: *cut,
                rule: params.rules.first(),
            },
            None => RatioCut::NoRule {
                reason: format!("the data gives no ratio for `{treatment}` care"),
            },
        }
    }
}

impl FilingNeed {
    /// Whether care under `treatment` needs a filing, and whether one is on file.
    pub fn of(treatment: RemoteCare) -> FilingNeed {
        match treatment {
            RemoteCare::Local | RemoteCare::ExemptAsReferral | RemoteCare::RegionalSameCity => {
                FilingNeed::NotRequired
            }
            RemoteCare::EmergencyRescue => FilingNeed::NotRequiredForEmergency,
            RemoteCare::LongTermFiled | RemoteCare::Referral | RemoteCare::TemporaryFiled => {
                FilingNeed::RequiredOnFile
            }
            RemoteCare::Unfiled => FilingNeed::RequiredNoneOnFile,
        }
    }
}
