//! `POST /v1/settle-batch`: many persons in one request, as JSON lines (one scenario a line,
//! at most `Limits::batch_persons`), answered as JSON lines streamed as each person is
//! settled, in the input's order: `{"line": N, "report": {…}}` (the settlement report,
//! compact; `?explain=true` keeps each claim's steps) or `{"line": N, "error": {"code",
//! "message", "path"}}`. A refused person does not stop the others. The persons are settled
//! one after another on the blocking pool; a client that goes away stops the settling.
//! With `Content-Type: application/vnd.apache.arrow.stream`, the body is a claims table
//! and the answer one of the batch's tables (`batch_arrow.rs`).

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use http_body_util::channel::Channel;
use serde::{Deserialize, Serialize};
use yibao::policy::PolicyLibrary;
use yibao::scenario::{ScenarioFile, ScenarioFormat};
use yibao::settle::{Explain, settle_with};

use super::settle::{query_error, scenario_error, settle_error};
use crate::AppState;
use crate::error::{ApiError, ErrorCode};

/// The query of `/v1/settle-batch`.
#[derive(Clone, Copy, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchQuery {
    /// Each claim's steps with their rules (default false: figures only).
    #[serde(default)]
    pub explain: bool,
}

/// An error line's error.
#[derive(Serialize)]
struct LineError<'e> {
    code: ErrorCode,
    message: &'e str,
    path: Option<&'e str>,
}

#[derive(Serialize)]
struct ErrorLine<'e> {
    line: usize,
    error: LineError<'e>,
}

/// The handler.
pub async fn settle_batch(
    State(state): State<AppState>,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let arrow = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case(super::batch_arrow::ARROW_STREAM)
        });
    if arrow {
        let Query(query) = Query::try_from_uri(&uri).map_err(|r| query_error(&r))?;
        let bytes = crate::body::read(&headers, body, &state.limits).await?;
        let library = Arc::clone(&state.library);
        return super::batch_arrow::settle_arrow(library, query, bytes, state.limits.batch_persons)
            .await;
    }
    let Query(query): Query<BatchQuery> = Query::try_from_uri(&uri).map_err(|r| query_error(&r))?;
    let bytes = crate::body::read(&headers, body, &state.limits).await?;
    let text = String::from_utf8(bytes).map_err(|e| {
        ApiError::new(
            ErrorCode::InvalidScenario,
            format!("the request body is not UTF-8 text: {e}"),
            format!("请求体不是 UTF-8 文本：{e}"),
        )
    })?;
    let persons = text.lines().filter(|l| !l.trim().is_empty()).count();
    if persons > state.limits.batch_persons {
        return Err(ApiError::new(
            ErrorCode::TooManyPersons,
            format!(
                "the request holds {persons} persons; this server settles at most {} in one request",
                state.limits.batch_persons
            ),
            format!(
                "请求含 {persons} 人；本服务一次请求至多结算 {} 人",
                state.limits.batch_persons
            ),
        ));
    }
    tracing::info!(persons, "settle-batch");
    let explain = if query.explain {
        Explain::Steps
    } else {
        Explain::FiguresOnly
    };
    let (lines, mut received) = tokio::sync::mpsc::channel::<Vec<u8>>(16);
    let (mut sender, streamed) = Channel::<Bytes, std::convert::Infallible>::new(16);
    let library = Arc::clone(&state.library);
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || {
        let _entered = span.enter();
        for (index, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let answer = settle_line(&library, index + 1, line, explain);
            if lines.blocking_send(answer).is_err() {
                break;
            }
        }
    });
    tokio::spawn(async move {
        while let Some(line) = received.recv().await {
            if sender.send_data(Bytes::from(line)).await.is_err() {
                break;
            }
        }
    });
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/x-ndjson")],
        Body::new(streamed),
    )
        .into_response())
}

/// One line's answer, with its final newline.
fn settle_line(library: &PolicyLibrary, line: usize, text: &str, explain: Explain) -> Vec<u8> {
    let name = format!("{} line {line}", super::settle::BODY_NAME);
    let settled = ScenarioFile::parse(&name, text, ScenarioFormat::Json)
        .map_err(|e| scenario_error(&e))
        .and_then(|file| {
            settle_with(library, &file.scenario, explain).map_err(|e| settle_error(&file, &e))
        });
    let mut bytes = Vec::new();
    let written = match settled {
        Ok(report) => {
            bytes.extend_from_slice(format!("{{\"line\":{line},\"report\":").as_bytes());
            // The report as `/v1/settle` answers it, with the envelope's fields.
            let report = yibao::output::envelope::Enveloped {
                envelope: &yibao::output::envelope::Envelope::of(library),
                answer: &report,
            };
            serde_json::to_writer(&mut bytes, &report).map(|()| bytes.push(b'}'))
        }
        Err(e) => serde_json::to_writer(
            &mut bytes,
            &ErrorLine {
                line,
                error: LineError {
                    code: e.code,
                    message: &e.message,
                    path: e.path.as_deref(),
                },
            },
        ),
    };
    if let Err(e) = written {
        tracing::error!(line, error = %e, "a batch line could not be written");
        bytes = format!(
            "{{\"line\":{line},\"error\":{{\"code\":\"internal\",\"message\":\"the answer could not be written\",\"path\":null}}}}"
        )
        .into_bytes();
    }
    bytes.push(b'\n');
    bytes
}
