//! The lines `yibao filing --care-at` prints under the treatment of care at a place: the
//! ratio cut the treatment brings (points or a factor, H18, W5) and whether a filing is
//! required for it, as the library's [`CareReport`] gives them.

use yibao::benefits::CutRule;
use yibao::settle::{CareReport, FilingNeed, RatioCut};

use super::output::{Label, Lang, Out};

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
pub(crate) fn lines(out: &Out, care: &CareReport) -> String {
    let ratio = match &care.ratio_cut {
        RatioCut::Given { cut, rule } => format!("{} ({rule})", cut_text(out, *cut)),
        RatioCut::NotGivenBySource { reason } => {
            out.label(Label {
                en: "not given by the sources: ",
                zh: "资料未规定：",
            })
            .to_owned()
                + reason
        }
        RatioCut::NoRule { reason } => reason.clone(),
        // A kind of answer added later: its words are in the JSON.
        _ => String::new(),
    };
    let need = out.label(match care.filing_required {
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
        _ => Label { en: "", zh: "" },
    });
    let on_file = care
        .assessment
        .filing
        .as_ref()
        .map(|id| format!(" ({id})"))
        .unwrap_or_default();
    format!(
        "  {}{ratio}\n  {}{need}{on_file}\n",
        out.label(Label {
            en: "ratio: ",
            zh: "报销比例：",
        }),
        out.label(Label {
            en: "filing: ",
            zh: "备案：",
        }),
    )
}
