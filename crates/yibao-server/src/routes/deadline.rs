//! `POST /v1/deadline/manual-claim` and `POST /v1/deadline/approval`: the days a person or
//! an office must act by, as `yibao deadline manual-claim|approval --format json`
//! ([`yibao::questions::deadline`]).

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;

use super::asked::{answer, date, refused};
use crate::AppState;
use crate::error::ApiError;

/// The body of `/v1/deadline/manual-claim`, as the flags of `yibao deadline manual-claim`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManualClaimBody {
    /// Jurisdiction id, e.g. `kunshan`.
    pub jurisdiction: String,
    /// The day of the expense, `YYYY-MM-DD` (its calendar year is the policy year).
    pub expense_date: String,
    /// The day the claim is filed, `YYYY-MM-DD`.
    pub filed_on: Option<String>,
}

/// The body of `/v1/deadline/approval`, as the flags of `yibao deadline approval`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalBody {
    /// Jurisdiction id, e.g. `wujiang`.
    pub jurisdiction: String,
    /// The day the filing was submitted, `YYYY-MM-DD`.
    pub submitted_on: String,
}

/// `POST /v1/deadline/manual-claim`.
pub async fn manual_claim(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    answer(&state, &headers, body, |library, asked: ManualClaimBody| {
        let expense_date = date(&asked.expense_date, "expense_date")?;
        let filed_on = match &asked.filed_on {
            None => None,
            Some(text) => Some(date(text, "filed_on")?),
        };
        yibao::questions::deadline::manual_claim(
            library,
            &asked.jurisdiction,
            expense_date,
            filed_on,
        )
        .map_err(refused)
    })
    .await
}

/// `POST /v1/deadline/approval`.
pub async fn approval(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    answer(&state, &headers, body, |library, asked: ApprovalBody| {
        let submitted_on = date(&asked.submitted_on, "submitted_on")?;
        yibao::questions::deadline::approval(library, &asked.jurisdiction, submitted_on)
            .map_err(refused)
    })
    .await
}
