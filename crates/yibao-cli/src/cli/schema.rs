//! `yibao schema output ANSWER`: the JSON Schema of a JSON answer (`--format json`), generated
//! from the types that are serialised (`yibao::output::schema`); a table written as JSON
//! (`policies`) has the schema of its columns, each a string.

use clap::ValueEnum;
use serde_json::Value;
use yibao::output::schema::{self as answers, Answer as Of};
use yibao::policy::SECTIONS;

use super::{Failure, output};

/// The JSON answers whose schema `yibao schema output` prints, named after their command.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum Answer {
    /// `yibao settle --format json`: the settlement report, after the envelope.
    Settle,
    /// `yibao settle --reform FILE --format json` (or `--set`): the settlement under the
    /// baseline and under the reform, and the difference.
    SettleReform,
    /// `yibao cover`: the cover periods, waiting periods, suspensions and continuity.
    Cover,
    /// `yibao contribution`: the contribution, and the payment channels at a moment.
    Contribution,
    /// `yibao catastrophic`: the year's payment band by band, with the cap in force.
    Catastrophic,
    /// `yibao catastrophic --ladder --jurisdiction J`: one place's schedules, year by year.
    CatastrophicLadder,
    /// `yibao catastrophic --ladder`: every place's schedules, `{jurisdiction, rows}`.
    CatastrophicLadders,
    /// `yibao filing`: the filings' states on a day, and the treatment of care at a place.
    Filing,
    /// `yibao deadline manual-claim`: a manual claim's deadlines.
    DeadlineManualClaim,
    /// `yibao deadline approval`: the day a filing's decision is due.
    DeadlineApproval,
    /// `yibao decide refund`.
    DecideRefund,
    /// `yibao decide double-enrolment`.
    DecideDoubleEnrolment,
    /// `yibao decide family-payment`.
    DecideFamilyPayment,
    /// `yibao decide identity-document`.
    DecideIdentityDocument,
    /// `yibao policies list`: each book and where its sections come from.
    PoliciesList,
    /// `yibao policies show`: a book's values and the level that set each.
    PoliciesShow,
    /// `yibao policies diff`: two books' values side by side.
    PoliciesDiff,
}

/// The JSON Schema document of `answer`.
fn schema(answer: Answer) -> Value {
    let generated = |of: Of| of.document();
    match answer {
        Answer::Settle => generated(Of::Settlement),
        Answer::SettleReform => super::settle::compare::schema(),
        Answer::Cover => generated(Of::Cover),
        Answer::Contribution => generated(Of::Contribution),
        Answer::Catastrophic => generated(Of::Catastrophic),
        Answer::CatastrophicLadder => generated(Of::CatastrophicLadder),
        Answer::CatastrophicLadders => generated(Of::CatastrophicLadders),
        Answer::Filing => generated(Of::Filing),
        Answer::DeadlineManualClaim => generated(Of::ManualClaimDeadline),
        Answer::DeadlineApproval => generated(Of::ApprovalDeadline),
        Answer::DecideRefund
        | Answer::DecideDoubleEnrolment
        | Answer::DecideFamilyPayment
        | Answer::DecideIdentityDocument => generated(Of::Decision),
        Answer::PoliciesList => {
            let mut fields = vec!["jurisdiction", "year"];
            fields.extend(SECTIONS.iter().filter(|s| **s != "settlement"));
            answers::text_rows("PoliciesListAnswer", &fields)
        }
        Answer::PoliciesShow => {
            answers::text_rows("PoliciesShowAnswer", &["key", "value", "set_by"])
        }
        Answer::PoliciesDiff => {
            answers::text_rows("PoliciesDiffAnswer", &["key", "left", "right", "same"])
        }
    }
}

/// Prints the JSON Schema of `answer`.
pub(crate) fn print(answer: Option<Answer>) -> Result<(), Failure> {
    let Some(answer) = answer else {
        return Err(Failure::Usage(
            "`yibao schema output` needs the answer whose schema to print, e.g. `yibao schema output settle`"
                .to_owned(),
        ));
    };
    output::print_raw_json(&schema(answer))
}
