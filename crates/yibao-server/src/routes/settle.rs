//! `POST /v1/settle`: a scenario as JSON → the settlement report, the bytes of
//! `yibao settle --format json` (or `--format nhsa` with `?format=nhsa`, `--format fhir`
//! with `?format=fhir`).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use yibao::policy::PolicyLibrary;
use yibao::scenario::{ScenarioError, ScenarioFile, ScenarioFormat};
use yibao::settle::{Explain, SettleError, SettlementReport, settle_with};

use crate::AppState;
use crate::error::{ApiError, ErrorCode};

/// The name the body goes by in error messages, where the CLI names the file.
pub const BODY_NAME: &str = "request body";

/// The output form, as `yibao settle --format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SettleFormat {
    /// The settlement report (`--format json`).
    #[default]
    Json,
    /// The national platform's settlement fields (`--format nhsa`).
    Nhsa,
    /// HL7 FHIR R4 (`--format fhir`): each claim a `ClaimResponse`, several in a `Bundle`;
    /// settled with its steps whatever `explain` says, as the CLI does, since the process
    /// notes carry each step's rule and quote.
    Fhir,
}

/// The language of labels. JSON carries stable English field names and codes whatever the
/// language, as the CLI's `--format json` does: the parameter is taken for the clients
/// that send it and changes nothing in the body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Chinese.
    Zh,
}

/// The query of `/v1/settle`: `?explain=true&lang=zh&format=json`.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettleQuery {
    /// Each claim's steps with their rules (true, as the CLI's JSON); false: figures only.
    #[serde(default = "explained")]
    pub explain: bool,
    /// See [`Lang`].
    #[serde(default)]
    #[expect(
        dead_code,
        reason = "taken for the clients that send it; JSON has no labels"
    )]
    pub lang: Lang,
    /// See [`SettleFormat`].
    #[serde(default)]
    pub format: SettleFormat,
}

fn explained() -> bool {
    true
}

/// A refused query string, in the body's form.
pub fn query_error(rejection: &QueryRejection) -> ApiError {
    ApiError::new(
        ErrorCode::InvalidParameter,
        rejection.body_text(),
        format!("查询参数无效：{}", rejection.body_text()),
    )
}

/// The handler.
pub async fn settle(
    State(state): State<AppState>,
    query: Result<Query<SettleQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|r| query_error(&r))?;
    let bytes = crate::body::read(&headers, body, &state.limits).await?;
    let library = Arc::clone(&state.library);
    blocking(move || answer(&library, bytes, query)).await
}

/// Runs an answer on the blocking pool, in the request's log span: a scenario of
/// thousands of claims never holds up the threads that accept connections and answer the
/// health checks. The bytes are JSON.
pub async fn blocking(
    answer: impl FnOnce() -> Result<Vec<u8>, ApiError> + Send + 'static,
) -> Result<Response, ApiError> {
    let span = tracing::Span::current();
    let bytes = tokio::task::spawn_blocking(move || span.in_scope(answer))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "an answer stopped");
            ApiError::new(
                ErrorCode::Internal,
                "the answer stopped on a fault of the server",
                "服务端故障，应答中止",
            )
        })??;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        bytes,
    )
        .into_response())
}

/// Reads a scenario from a request body, and logs whose it is (the person id only).
pub fn read_scenario(bytes: Vec<u8>) -> Result<ScenarioFile, ApiError> {
    let file = ScenarioFile::parse_owned(BODY_NAME, bytes, ScenarioFormat::Json)
        .map_err(|e| scenario_error(&e))?;
    tracing::info!(
        person = file.scenario.person.id.as_deref().unwrap_or("-"),
        claims = file.scenario.claims.len(),
        "scenario"
    );
    Ok(file)
}

/// A value as the CLI's `print_json` writes it: pretty, with a final newline.
pub fn pretty(value: &impl serde::Serialize) -> Result<Vec<u8>, ApiError> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|e| {
        tracing::error!(error = %e, "an answer could not be written");
        ApiError::new(
            ErrorCode::Internal,
            "the answer could not be written",
            "无法写出应答",
        )
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// An answer as the CLI's `--format json` writes it: [`pretty`], the envelope's fields
/// first ([`yibao::output::envelope`]).
pub fn enveloped(
    library: &PolicyLibrary,
    answer: &impl serde::Serialize,
) -> Result<Vec<u8>, ApiError> {
    pretty(&yibao::output::envelope::Enveloped {
        envelope: &yibao::output::envelope::Envelope::of(library),
        answer,
    })
}

/// Parses, settles and writes one scenario.
fn answer(
    library: &PolicyLibrary,
    bytes: Vec<u8>,
    query: SettleQuery,
) -> Result<Vec<u8>, ApiError> {
    let file = ScenarioFile::parse_owned(BODY_NAME, bytes, ScenarioFormat::Json)
        .map_err(|e| scenario_error(&e))?;
    tracing::info!(
        person = file.scenario.person.id.as_deref().unwrap_or("-"),
        claims = file.scenario.claims.len(),
        "settle"
    );
    let explain = if query.explain || query.format == SettleFormat::Fhir {
        Explain::Steps
    } else {
        Explain::FiguresOnly
    };
    let report =
        settle_with(library, &file.scenario, explain).map_err(|e| settle_error(&file, &e))?;
    write(library, &report, query.format)
}

/// The report's bytes, as the CLI writes them: pretty JSON and a final newline (the
/// library's writers give serde_json's pretty bytes for the whole value).
fn write(
    library: &PolicyLibrary,
    report: &SettlementReport,
    format: SettleFormat,
) -> Result<Vec<u8>, ApiError> {
    match format {
        SettleFormat::Json => enveloped(library, report),
        SettleFormat::Nhsa => {
            let claims = yibao::nhsa::settlements(report).map_err(|e| {
                ApiError::new(
                    ErrorCode::InvalidScenario,
                    format!("the platform fields of a claim do not add up: {e}"),
                    format!("一笔费用的平台字段合计不符：{}", e.zh()),
                )
            })?;
            pretty(&claims)
        }
        SettleFormat::Fhir => pretty(&yibao::output::fhir::Fhir::of(report, library)),
    }
}

/// A scenario refused as it was read: the CLI's message, with the body for the file.
pub fn scenario_error(e: &ScenarioError) -> ApiError {
    scenario_error_in(e, e.zh())
}

/// [`scenario_error`] with its Chinese written elsewhere.
fn scenario_error_in(e: &ScenarioError, zh: String) -> ApiError {
    ApiError::new(ErrorCode::InvalidScenario, e.to_string(), zh).at(&e.path.to_string())
}

/// A scenario refused as it was settled: the CLI's one line (`request body:1:1: what (at
/// key.path); hint: …`).
pub fn settle_error(file: &ScenarioFile, e: &SettleError) -> ApiError {
    let error = ScenarioError {
        location: Some(file.positions.locate(&e.path())),
        path: e.path(),
        message: e.to_string(),
        hint: e.hint().map(String::from),
    };
    let zh = error.located_zh(&e.zh(), e.hint_zh().as_deref());
    scenario_error_in(&error, zh)
}
