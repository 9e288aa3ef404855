//! What `yibao filing --care-at` adds to the treatment of care at a place: the ratio cut the
//! treatment brings (points or a factor, H18, W5) and whether a filing is required for it.

use serde::Serialize;
use yibao::benefits::CutRule;
use yibao::core::{RemoteCare, RuleId};
use yibao::filing::CareAssessment;
use yibao::policy::{Book, Section};

use super::output::{Label, Lang, Out};

/// The ratio the treatment is paid at, relative to the home ratio.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub(crate) enum RatioCut {
    /// The data's cut for the treatment, with its rule.
    Given { cut: CutRule, rule: RuleId },
    /// The sources give no rule for the treatment (K8), in their words.
    NotGivenBySource { reason: String },
    /// The year's data has no remote-care rules, or none for this treatment.
    NoRule { reason: String },
}

/// Whether care under the treatment needs a filing, and whether one is on file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FilingNeed {
    /// Care at home, or in a place that needs none (W6).
    NotRequired,
    /// An emergency rescue: treated as filed (H18 via Q84).
    NotRequiredForEmergency,
    /// Required, and the filing that decided it is on file.
    RequiredOnFile,
    /// Required, and none is on file: the care is unfiled.
    RequiredNoneOnFile,
}

pub(crate) fn ratio_cut(book: &Book, treatment: RemoteCare) -> RatioCut {
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

pub(crate) fn filing_need(treatment: RemoteCare) -> FilingNeed {
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

/// A cut in the clerk's words.
fn cut_text(out: &Out, cut: CutRule) -> String {
    match (cut, out.lang) {
        (CutRule::NoCut, Lang::En) => "no cut: the home ratio".to_owned(),
        (CutRule::NoCut, Lang::Zh) => "不降低，按参保地比例".to_owned(),
        (CutRule::Points(points), Lang::Zh) => {
            format!("降低 {} 个百分点", points.as_percent())
        }
        (CutRule::Factor(factor), Lang::Zh) => format!("按参保地比例的 {factor}"),
        (other, _) => other.describe(),
    }
}

/// The two lines under "care at …".
pub(crate) fn lines(out: &Out, book: &Book, care: &CareAssessment) -> String {
    let ratio = match ratio_cut(book, care.treatment) {
        RatioCut::Given { cut, rule } => format!("{} ({rule})", cut_text(out, cut)),
        RatioCut::NotGivenBySource { reason } => {
            out.label(Label {
                en: "not given by the sources: ",
                zh: "资料未规定：",
            })
            .to_owned()
                + &reason
        }
        RatioCut::NoRule { reason } => reason,
    };
    let need = out.label(match filing_need(care.treatment) {
        FilingNeed::NotRequired => Label {
            en: "not required here",
            zh: "无需备案",
        },
        FilingNeed::NotRequiredForEmergency => Label {
            en: "not required for an emergency rescue (treated as filed)",
            zh: "急诊抢救无需备案（视同已备案）",
        },
        FilingNeed::RequiredOnFile => Label {
            en: "required, on file",
            zh: "需备案，已备案",
        },
        FilingNeed::RequiredNoneOnFile => Label {
            en: "required, none on file",
            zh: "需备案，未备案",
        },
    });
    let on_file = care
        .filing
        .as_ref()
        .map(|id| format!(" ({id})"))
        .unwrap_or_default();
    format!(
        "  {} {ratio}\n  {} {need}{on_file}\n",
        out.label(Label {
            en: "ratio:",
            zh: "报销比例：",
        }),
        out.label(Label {
            en: "filing:",
            zh: "备案：",
        }),
    )
}
