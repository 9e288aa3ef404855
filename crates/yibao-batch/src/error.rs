//! Why a batch stops (bad rows do not stop it: they go to the errors file).

use yibao_core::{PolicyYear, Yuan};

/// Why a batch stopped. Bad rows do not stop a batch: they go to the errors file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    /// Occurs when the first line is not a usable header: empty input, or unknown, duplicate
    /// or missing columns (every problem is listed).
    #[error("the header row of the claims file is not usable: {problems}")]
    Header {
        /// Every problem, separated by `; `.
        problems: String,
    },
    /// Occurs when the policy data has no book, or no benefits, for the jurisdiction and year.
    #[error("cannot settle claims of {jurisdiction} {year}: {reason}")]
    Policy {
        /// The jurisdiction asked for.
        jurisdiction: String,
        /// The year asked for.
        year: PolicyYear,
        /// Why.
        reason: String,
    },
    /// Occurs when the input cannot be read (an I/O error, not a bad row).
    #[error("cannot read the claims file: {message}")]
    Read {
        /// The cause.
        message: String,
    },
    /// Occurs when an output cannot be written.
    #[error("cannot write the {what}: {message}")]
    Write {
        /// Which output (`output`, `errors file`, `per-claim output`).
        what: &'static str,
        /// The cause.
        message: String,
    },
    /// Occurs when a population total goes above [`Yuan::MAX`].
    #[error("the total {what} of the file is above the largest amount the engine accepts ({max} yuan)", max = Yuan::MAX_TEXT)]
    TotalTooLarge {
        /// Which total.
        what: &'static str,
    },
    /// Occurs with [`Contiguity::Ascending`](crate::Contiguity::Ascending) when a person does not come after the person
    /// before in ascending order of `person_id`: the batch needs a first pass. What was
    /// written before it stopped is incomplete.
    #[error(
        "line {line}: person `{person}` comes after person `{after}`: the persons are not in ascending order of person_id, so the file needs a first pass to find persons whose rows are not contiguous"
    )]
    NotAscending {
        /// The line of the person's first row.
        line: u64,
        /// The person.
        person: String,
        /// The person before, at or above it.
        after: String,
    },
    /// Occurs when the persons table cannot be used: an unknown, duplicate or missing
    /// column, a file that cannot be read.
    #[error("the persons table {name} is not usable: {message}")]
    PersonsTable {
        /// The table's name (its path).
        name: String,
        /// What is wrong.
        message: String,
    },
    /// Occurs when a thread of the batch stops unexpectedly or the counts do not reconcile
    /// (a defect of the engine, never of the input).
    #[error("internal error of the batch: {message}")]
    Internal {
        /// What went wrong.
        message: String,
    },
}

pub(crate) fn empty_input() -> BatchError {
    BatchError::Header {
        problems: "the input is empty (expected a header row)".to_owned(),
    }
}

/// The error of a failed write to `what`.
pub(crate) fn write_error(what: &'static str) -> impl Fn(std::io::Error) -> BatchError {
    move |e| BatchError::Write {
        what,
        message: e.to_string(),
    }
}
