//! The single questions the library answers about a scenario, as `yibao cover` and
//! `yibao filing` answer them with `--format json`: `POST /v1/cover` (the person's cover
//! for the year from the enrolment history) and `POST /v1/filing` (the filings' register
//! on a day, `?as_of=YYYY-MM-DD`, and the treatment of care at a place,
//! `?care_at=shanghai&emergency=true`).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

use super::settle::{blocking, pretty, query_error, read_scenario, settle_error};
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
        pretty(&report)
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
    let parameter = |name: &str, e: &dyn std::fmt::Display| ApiError {
        code: ErrorCode::InvalidParameter,
        message: format!("{name}: {e}"),
        path: None,
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
        pretty(&report)
    })
    .await
}
