//! A population's claims settled by the batch ([`yibao_batch::run`]), from and to bytes held
//! in memory, with the interpreter's lock released and one worker per core.
//!
//! The claims are the bytes of a CSV claims file (the batch's format, `yibao batch
//! --input`); the outputs are the bytes `yibao batch` writes to `--output`, `--errors` and
//! `--per-claim`, and the summary of `--summary` in part (the batch's own figures, as JSON).
//! The persons are presumed in ascending order of `person_id`, as `yibao batch` presumes of
//! a file, and a table that is not is settled again after a first pass finds the persons
//! whose rows are not contiguous: the outputs are those of `yibao batch` on the same rows.

use std::num::NonZeroUsize;
use std::sync::Arc;

use pyo3::prelude::*;
use yibao::core::PolicyYear;
use yibao::policy::{PolicyLibrary, Reform};
use yibao_batch::{
    BatchError, BatchOptions, BatchReform, BatchSummary, Contiguity, Sinks, find_split_persons,
};

use crate::errors::{ClaimsError, PolicyError, ReformError, YibaoError};

/// What to settle the claims under.
pub(crate) struct TableRequest {
    pub(crate) jurisdiction: String,
    pub(crate) year: PolicyYear,
    /// A reform settled beside the baseline (the batch's `--reform` and `--set`).
    pub(crate) reform: Option<Reform>,
    /// Whether the per-claim output is wanted.
    pub(crate) per_claim: bool,
    /// Worker threads; `None`: one per core.
    pub(crate) threads: Option<usize>,
}

/// The batch's outputs, in memory.
pub(crate) struct SettledTable {
    pub(crate) results: Vec<u8>,
    pub(crate) errors: Vec<u8>,
    pub(crate) per_claim: Option<Vec<u8>>,
    /// The batch's summary as JSON.
    pub(crate) summary: String,
}

/// The reform of a reform file's `(name, text)` and `path=value` settings, refused as the
/// CLI refuses `--reform` and `--set`; `None` when neither is given.
pub(crate) fn reform(
    file: Option<(String, String)>,
    settings: &[String],
) -> PyResult<Option<Reform>> {
    if file.is_none() && settings.is_empty() {
        return Ok(None);
    }
    let refused = |e: yibao::policy::ReformError| ReformError::new_err(e.to_string());
    let mut reform = match file {
        Some((name, text)) => Reform::from_file(name, &text).map_err(refused)?,
        None => Reform::default(),
    };
    for setting in settings {
        reform.set(setting).map_err(refused)?;
    }
    Ok(Some(reform))
}

/// A batch that stopped, as the exception of its kind with the CLI's message.
fn stopped(error: &BatchError) -> PyErr {
    let message = error.to_string();
    match error {
        BatchError::Policy { .. } => PolicyError::new_err(message),
        BatchError::Header { .. } | BatchError::TotalTooLarge { .. } => {
            ClaimsError::new_err(message)
        }
        _ => YibaoError::new_err(message),
    }
}

/// Settles `claims` (a CSV claims file's bytes) as `request` says, without the interpreter's
/// lock.
pub(crate) fn settle_table(
    py: Python<'_>,
    library: &PolicyLibrary,
    claims: &[u8],
    request: &TableRequest,
) -> PyResult<SettledTable> {
    let mut options = BatchOptions::new(request.jurisdiction.clone(), request.year);
    if let Some(threads) = request.threads.and_then(NonZeroUsize::new) {
        options.threads = threads;
    }
    if let Some(reform) = &request.reform {
        let reformed = library
            .reformed(&request.jurisdiction, request.year, reform)
            .map_err(|e| ReformError::new_err(e.to_string()))?;
        options.reform = Some(BatchReform {
            library: Arc::new(reformed),
            changes: reform.describe(),
        });
    }
    py.detach(|| {
        match run(
            library,
            &options,
            claims,
            Contiguity::Ascending,
            request.per_claim,
        ) {
            Err(BatchError::NotAscending { .. }) => {
                let split = find_split_persons(claims)?;
                run(
                    library,
                    &options,
                    claims,
                    Contiguity::Known(split),
                    request.per_claim,
                )
            }
            settled => settled,
        }
    })
    .map_err(|e| stopped(&e))
}

/// One run of the batch over `claims` into fresh outputs.
fn run(
    library: &PolicyLibrary,
    options: &BatchOptions,
    claims: &[u8],
    contiguity: Contiguity,
    per_claim: bool,
) -> Result<SettledTable, BatchError> {
    let (mut results, mut errors) = (Vec::new(), Vec::new());
    let mut claim_rows = per_claim.then(Vec::new);
    let sinks = Sinks {
        output: &mut results,
        errors: &mut errors,
        per_claim: claim_rows
            .as_mut()
            .map(|rows| rows as &mut dyn std::io::Write),
    };
    let summary: BatchSummary =
        yibao_batch::run(library, options, claims, &contiguity, sinks, &mut |_| {})?;
    let summary = serde_json::to_string(&summary).map_err(|e| BatchError::Internal {
        message: format!("the summary does not serialise: {e}"),
    })?;
    Ok(SettledTable {
        results,
        errors,
        per_claim: claim_rows,
        summary,
    })
}
