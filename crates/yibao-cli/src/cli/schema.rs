//! `yibao schema output ANSWER`: the JSON Schema of a JSON answer (`--format json`), generated
//! from the types that are serialised (`yibao::output::schema`).

use clap::ValueEnum;

use super::{Failure, output};

/// The JSON answers whose schema `yibao schema output` prints.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub(crate) enum Answer {
    /// `yibao settle --format json`: the settlement report, after the envelope.
    Settle,
}

/// Prints the JSON Schema of `answer`.
pub(crate) fn print(answer: Option<Answer>) -> Result<(), Failure> {
    let Some(answer) = answer else {
        return Err(Failure::Usage(
            "`yibao schema output` needs the answer whose schema to print, e.g. `yibao schema output settle`"
                .to_owned(),
        ));
    };
    let schema = match answer {
        Answer::Settle => yibao::output::schema::settlement(),
    };
    output::print_raw_json(&schema)
}
