//! `POST /v1/settle-batch` with `Content-Type: application/vnd.apache.arrow.stream`: a
//! claims table in the batch's schema (the columns of `yibao batch`'s claims file, as an
//! Arrow IPC stream), settled by the batch itself ([`yibao_batch::run`], one worker) as
//! `yibao batch` settles an `.arrows` file, and answered with one of its tables as an Arrow
//! IPC stream, typed as the batch writes them:
//!
//! - `?jurisdiction=huaian&year=2026` (required, as `--jurisdiction` and `--year`);
//! - `&table=results` (default: one row per person, `--output`), `per_claim` (one row per
//!   claim, `--per-claim`) or `errors` (the rows refused, with their row number and
//!   message, `--errors`).
//!
//! Every answer carries the counts in headers: `X-Yibao-Persons` (settled),
//! `X-Yibao-Persons-With-Errors` and `X-Yibao-Error-Rows`, so that a client asks for the
//! errors table only when `X-Yibao-Error-Rows` is not 0 (a second request with the same
//! body and `table=errors`). A person with a bad row is held back whole, as in the batch.
//! The body limit is the JSON-lines variant's; the persons limit is checked on the
//! settled table (the body limit bounds the work), answered 413 `too_many_persons`.

use std::io::Cursor;
use std::num::NonZeroUsize;
use std::sync::Arc;

use axum::body::Body;
use axum::http::HeaderName;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use yibao::policy::PolicyLibrary;
use yibao_batch::{
    BatchError, BatchOptions, BatchSummary, Contiguity, RecordBatches, Sinks, TableFormat,
    TableReader, TableWriter, find_split_persons_in_table,
};

use crate::error::{ApiError, ErrorCode};

/// The media type of an Arrow IPC stream, asked and answered.
pub const ARROW_STREAM: &str = "application/vnd.apache.arrow.stream";

/// The name of the body in the batch's messages.
const CLAIMS: &str = "the request body";

/// Which of the batch's tables is answered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchTable {
    /// One row per person (`yibao batch --output`).
    #[default]
    Results,
    /// One row per claim (`--per-claim`).
    PerClaim,
    /// The rows refused (`--errors`).
    Errors,
}

/// The query of the Arrow variant.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArrowQuery {
    /// The jurisdiction of every row.
    pub jurisdiction: String,
    /// The policy year of every row.
    pub year: i64,
    /// The table answered.
    #[serde(default)]
    pub table: BatchTable,
}

/// The claims of `bytes` settled, and the table `query` asks for as an Arrow IPC stream.
pub async fn settle_arrow(
    library: Arc<PolicyLibrary>,
    query: ArrowQuery,
    bytes: Vec<u8>,
    most_persons: usize,
) -> Result<Response, ApiError> {
    let year = yibao::core::PolicyYear::new(query.year)
        .map_err(|e| ApiError::of(ErrorCode::InvalidParameter, &e).parameter("year"))?;
    let mut options = BatchOptions::new(query.jurisdiction.clone(), year);
    options.input_format = TableFormat::ArrowStream;
    options.threads = NonZeroUsize::MIN;
    let span = tracing::Span::current();
    let (table, summary) = tokio::task::spawn_blocking(move || {
        span.in_scope(|| settle_table(&library, &options, bytes.into(), query.table))
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "a batch stopped");
        ApiError::new(
            ErrorCode::Internal,
            "the answer stopped on a fault of the server",
            "服务端故障，应答中止",
        )
    })?
    .map_err(|e| batch_error(&e))?;
    let persons = summary.persons_settled + summary.persons_with_errors;
    if persons > most_persons as u64 {
        return Err(ApiError::new(
            ErrorCode::TooManyPersons,
            format!(
                "the request holds {persons} persons; this server settles at most {most_persons} in one request"
            ),
            format!("请求含 {persons} 人；本服务一次请求至多结算 {most_persons} 人"),
        ));
    }
    tracing::info!(persons, rows = summary.rows_in, "settle-batch arrow");
    Ok((
        [
            (CONTENT_TYPE, ARROW_STREAM.to_owned()),
            (
                HeaderName::from_static("x-yibao-persons"),
                summary.persons_settled.to_string(),
            ),
            (
                HeaderName::from_static("x-yibao-persons-with-errors"),
                summary.persons_with_errors.to_string(),
            ),
            (
                HeaderName::from_static("x-yibao-error-rows"),
                summary.rows_in_error.to_string(),
            ),
        ],
        Body::from(table),
    )
        .into_response())
}

/// A batch that stopped, as the error body: the table's fault (422), the question's (400)
/// or the server's (500).
fn batch_error(error: &BatchError) -> ApiError {
    let code = match error {
        BatchError::Header { .. }
        | BatchError::Read { .. }
        | BatchError::TotalTooLarge { .. }
        | BatchError::NotAscending { .. } => ErrorCode::InvalidTable,
        BatchError::Policy { .. } => ErrorCode::InvalidParameter,
        _ => {
            tracing::error!(error = %error, "the batch stopped");
            return ApiError::new(
                ErrorCode::Internal,
                "the batch stopped on a fault of the server",
                "服务端故障，批量结算中止",
            );
        }
    };
    ApiError::new(code, error.to_string(), error.zh())
}

/// An Arrow IPC stream read as the text of a claims table.
fn table_reader(claims: &Arc<[u8]>) -> Result<TableReader, BatchError> {
    super::arrow_frames::check(claims).map_err(|problem| BatchError::Read {
        message: format!("{CLAIMS}: not an Arrow IPC stream: {problem}"),
    })?;
    let reader = arrow_ipc::reader::StreamReader::try_new(Cursor::new(Arc::clone(claims)), None)
        .map_err(|e| BatchError::Read {
            message: format!("{CLAIMS}: not an Arrow IPC stream: {e}"),
        })?;
    let schema = reader.schema();
    let batches: RecordBatches = Box::new(reader);
    TableReader::new(CLAIMS, &schema, batches)
}

/// Settles the claims (persons in any order: a table whose persons are not contiguous is
/// settled again after the batch's first pass finds them) and gives the table asked for.
fn settle_table(
    library: &PolicyLibrary,
    options: &BatchOptions,
    claims: Arc<[u8]>,
    table: BatchTable,
) -> Result<(Vec<u8>, BatchSummary), BatchError> {
    match run(library, options, &claims, Contiguity::Ascending, table) {
        Err(BatchError::NotAscending { .. }) => {
            let split = find_split_persons_in_table(table_reader(&claims)?)?;
            run(library, options, &claims, Contiguity::Known(split), table)
        }
        settled => settled,
    }
}

/// One run of the batch into fresh tables; the one asked for is kept.
fn run(
    library: &PolicyLibrary,
    options: &BatchOptions,
    claims: &Arc<[u8]>,
    contiguity: Contiguity,
    table: BatchTable,
) -> Result<(Vec<u8>, BatchSummary), BatchError> {
    let writer = || TableWriter::new(Vec::new(), TableFormat::ArrowStream);
    let (mut results, mut errors) = (writer(), writer());
    let mut per_claim = (table == BatchTable::PerClaim).then(writer);
    let sinks = Sinks {
        output: &mut results,
        errors: &mut errors,
        per_claim: per_claim
            .as_mut()
            .map(|rows| rows as &mut dyn std::io::Write),
    };
    let summary = yibao_batch::run(
        library,
        options,
        table_reader(claims)?,
        &contiguity,
        sinks,
        &mut |_| {},
    )?;
    let kept = match (table, per_claim) {
        (BatchTable::Results, _) => results,
        (BatchTable::Errors, _) => errors,
        (BatchTable::PerClaim, Some(rows)) => rows,
        (BatchTable::PerClaim, None) => {
            return Err(BatchError::Internal {
                message: "the per-claim table was not written".to_owned(),
            });
        }
    };
    let bytes = kept.finish().map_err(|e| BatchError::Write {
        what: "answer",
        message: e.to_string(),
    })?;
    Ok((bytes, summary))
}
