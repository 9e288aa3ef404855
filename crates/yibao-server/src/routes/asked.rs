//! What the question endpoints share: a body of the question's fields read within the
//! limits, the answer built on the blocking pool and written as the CLI's `--format json` (with its envelope),
//! and the fields' words, days and years read with the refusal at their key path.

use std::sync::Arc;

use axum::body::Body;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;
use serde::de::DeserializeOwned;
use yibao::core::{NaiveDate, PolicyYear, Word};
use yibao::policy::PolicyLibrary;

use super::questions::{question_error, read_question};
use super::settle::{blocking, enveloped};
use crate::AppState;
use crate::error::ApiError;

/// Reads the body as the question `Q`, answers it with `answer` and writes the answer.
pub async fn answer<Q, A>(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
    answer: impl FnOnce(&PolicyLibrary, Q) -> Result<A, ApiError> + Send + 'static,
) -> Result<Response, ApiError>
where
    Q: DeserializeOwned,
    A: Serialize,
{
    let bytes = crate::body::read(headers, body, &state.limits).await?;
    let library = Arc::clone(&state.library);
    blocking(move || {
        let asked: Q = read_question(&bytes)?;
        enveloped(&library, &answer(&library, asked)?)
    })
    .await
}

/// The rules' refusal of a question, in the CLI's words.
pub fn refused(e: impl yibao::InChinese) -> ApiError {
    question_error(e.to_string(), e.zh(), "")
}

/// A word of the rules' vocabulary (`sibling`, `residence_permit`, …) at `path`.
pub fn word<W: Word>(text: &str, path: &str) -> Result<W, ApiError> {
    W::from_name(text).ok_or_else(|| {
        question_error(
            format!(
                "`{}`: expected {}",
                yibao::core::quoted(text),
                W::expected()
            ),
            format!(
                "`{}`：应为 {} 之一",
                yibao::core::quoted(text),
                yibao::core::in_words_zh(W::NAMES)
            ),
            path,
        )
    })
}

/// A day, `YYYY-MM-DD`, at `path`.
pub fn date(text: &str, path: &str) -> Result<NaiveDate, ApiError> {
    yibao::core::parse_date(text).map_err(|e| question_error(e.to_string(), e.zh(), path))
}

/// A policy year at `path`.
pub fn year(year: i64, path: &str) -> Result<PolicyYear, ApiError> {
    PolicyYear::new(year).map_err(|e| question_error(e.to_string(), e.zh(), path))
}
