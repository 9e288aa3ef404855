//! The single questions the library answers, as `yibao cover`, `yibao filing` and
//! `yibao contribution` answer them with `--format json`: `POST /v1/cover` (the person's
//! cover for the year from a scenario's enrolment history), `POST /v1/filing` (a
//! scenario's filings' register on a day, `?as_of=YYYY-MM-DD`, and the treatment of care at
//! a place, `?care_at=shanghai&emergency=true`) and `POST /v1/contribution` (what a person
//! pays to enrol, [`yibao::questions::contribution`]).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use yibao::InChinese;

use super::asked::refused;
use super::settle::{blocking, enveloped, query_error, read_scenario, settle_error};
use crate::AppState;
use crate::error::{ApiError, ErrorCode};

/// `POST /v1/cover`.
pub async fn cover(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = crate::body::read(&headers, body, &state.limits).await?;
    let library = Arc::clone(&state.library);
    blocking(move || {
        let file = read_scenario(bytes)?;
        let report =
            yibao::settle::cover(&library, &file.scenario).map_err(|e| settle_error(&file, &e))?;
        enveloped(&library, &report)
    })
    .await
}

/// The query of `/v1/filing`, as the flags of `yibao filing`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilingQuery {
    /// The day to take the register at (default: the last day of the scenario's year).
    pub as_of: Option<String>,
    /// Also assess care at this place on that day (e.g. `shanghai`, `shanghai/qingpu`).
    pub care_at: Option<String>,
    /// The care is an emergency rescue away from home.
    #[serde(default)]
    pub emergency: bool,
}

/// `POST /v1/filing`.
pub async fn filing(
    State(state): State<AppState>,
    query: Result<Query<FilingQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|r| query_error(&r))?;
    let parameter = |name: &str, e: &dyn InChinese| {
        ApiError::of(ErrorCode::InvalidParameter, e).parameter(name)
    };
    let as_of = match &query.as_of {
        None => None,
        Some(text) => Some(yibao::core::parse_date(text).map_err(|e| parameter("as_of", &e))?),
    };
    let care_at = match &query.care_at {
        None if query.emergency => {
            return Err(ApiError::new(
                ErrorCode::InvalidParameter,
                "emergency: needs care_at (the place of the care)",
                "emergency：须同时给出 care_at（就医地）",
            ));
        }
        None => None,
        Some(place) => {
            let area: yibao::filing::Area = place.parse().map_err(|e| parameter("care_at", &e))?;
            let circumstance = if query.emergency {
                yibao::filing::Circumstance::EmergencyRescue
            } else {
                yibao::filing::Circumstance::Planned
            };
            Some((area, circumstance))
        }
    };
    let bytes = crate::body::read(&headers, body, &state.limits).await?;
    let library = Arc::clone(&state.library);
    blocking(move || {
        let file = read_scenario(bytes)?;
        let as_of = as_of.unwrap_or_else(|| file.scenario.year.last_day());
        let report = yibao::settle::filing(&library, &file.scenario, as_of, care_at)
            .map_err(|e| settle_error(&file, &e))?;
        enveloped(&library, &report)
    })
    .await
}

/// The body of `/v1/contribution`, as the flags of `yibao contribution`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContributionBody {
    /// Jurisdiction id, e.g. `kunshan`.
    pub jurisdiction: String,
    /// The policy year paid for.
    pub year: i64,
    /// The person category id of the jurisdiction's data, e.g. `university_student`.
    pub category: String,
    /// The payment date, `YYYY-MM-DD`.
    pub paid_on: String,
    /// A transfer from employee to resident insurance (城转居, K10).
    #[serde(default)]
    pub transfer: bool,
    /// Also say whether the payment channels are open at this local time (`HH:MM`, K11).
    pub at: Option<String>,
}

/// A question refused: its body's or the rules' message in both languages, at the body's
/// key path.
pub fn question_error(message: String, message_zh: String, path: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidQuestion, message, message_zh).at(path)
}

/// A question's body: one JSON value of the question's fields, an unknown or ill-typed one
/// refused at its key path.
pub fn read_question<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let asked: T = serde_path_to_error::deserialize(&mut reader).map_err(|e| {
        let message = e.inner().to_string();
        let zh = format!("请求体不是该问题的 JSON：{message}");
        question_error(message, zh, &e.path().to_string())
    })?;
    reader.end().map_err(|e| {
        let zh = format!("请求体在问题的 JSON 之后还有内容：{e}");
        question_error(e.to_string(), zh, "")
    })?;
    Ok(asked)
}

/// A local time `HH:MM` on a day, as the CLI's `--at` reads it.
fn parse_time(day: yibao::core::NaiveDate, text: &str) -> Option<chrono::NaiveDateTime> {
    chrono::NaiveTime::parse_from_str(text, "%H:%M")
        .ok()
        .map(|time| day.and_time(time))
}

/// `POST /v1/contribution`: what a person pays to enrol, as `yibao contribution --format
/// json`.
pub async fn contribution(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = crate::body::read(&headers, body, &state.limits).await?;
    let library = Arc::clone(&state.library);
    blocking(move || {
        let asked: ContributionBody = read_question(&bytes)?;
        let year = yibao::core::PolicyYear::new(asked.year)
            .map_err(|e| question_error(e.to_string(), e.zh(), "year"))?;
        let paid_on = yibao::core::parse_date(&asked.paid_on)
            .map_err(|e| question_error(e.to_string(), e.zh(), "paid_on"))?;
        let at = match &asked.at {
            None => None,
            Some(text) => Some(parse_time(paid_on, text).ok_or_else(|| {
                question_error(
                    format!(
                        "`{}` is not a time of day (write HH:MM, e.g. 21:30)",
                        yibao::core::quoted(text)
                    ),
                    format!(
                        "`{}` 不是时刻（应写作 HH:MM，如 21:30）",
                        yibao::core::quoted(text)
                    ),
                    "at",
                )
            })?),
        };
        let query = yibao::enrolment::ContributionQuery {
            category: yibao::enrolment::CategoryId::new(asked.category.clone()),
            year,
            paid_on,
            route: if asked.transfer {
                yibao::enrolment::EnrolmentRoute::EmployeeToResidentTransfer
            } else {
                yibao::enrolment::EnrolmentRoute::Ordinary
            },
        };
        let answer = yibao::questions::contribution(&library, &asked.jurisdiction, &query, at)
            .map_err(refused)?;
        enveloped(&library, &answer)
    })
    .await
}
