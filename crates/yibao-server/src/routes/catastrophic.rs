//! `POST /v1/catastrophic`: a year's personal burden after the basic fund → the
//! catastrophic payment with its bands, the cap in force and each raise, as `yibao
//! catastrophic --format json` ([`yibao::questions::catastrophic`]).

use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use yibao::catastrophic::{Continuity, IncentiveHistory, PersonClass};
use yibao::questions::catastrophic::CatastrophicQuestion;

use super::asked::{answer, refused, year};
use super::questions::question_error;
use crate::AppState;
use crate::error::ApiError;

/// The body of `/v1/catastrophic`, as the flags of `yibao catastrophic`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatastrophicBody {
    /// Jurisdiction id, e.g. `huaian`.
    pub jurisdiction: String,
    /// The policy year.
    pub year: i64,
    /// The year's cumulative personal burden after the basic fund, in yuan (`"100000.50"`).
    pub burden: String,
    /// The person class (default `ordinary`).
    pub class: Option<String>,
    /// Consecutive years of enrolment counted from 2025, this year included (H6; default 1).
    pub consecutive_years: Option<u32>,
    /// The person re-enrolled this year after a lapse (H7).
    #[serde(default)]
    pub re_enrolled_after_lapse: bool,
    /// Past years with no fund reimbursement.
    #[serde(default)]
    pub zero_reimbursement_years: Vec<i64>,
    /// Past years whose catastrophic payments used reward quota.
    #[serde(default)]
    pub reward_used_years: Vec<i64>,
}

impl CatastrophicBody {
    /// The question, each field read as the CLI reads its flag.
    fn question(&self) -> Result<CatastrophicQuestion, ApiError> {
        let continuity = match (self.re_enrolled_after_lapse, self.consecutive_years) {
            (true, Some(_)) => {
                return Err(question_error(
                    "consecutive_years cannot be given with re_enrolled_after_lapse".to_owned(),
                    "consecutive_years 不能与 re_enrolled_after_lapse 同时给出".to_owned(),
                    "consecutive_years",
                ));
            }
            (true, None) => Continuity::ReEnrolledAfterLapse,
            (false, years) => Continuity::Consecutive {
                years: years.unwrap_or(1),
            },
        };
        let mut history = IncentiveHistory::new(continuity);
        for (index, y) in self.zero_reimbursement_years.iter().enumerate() {
            let path = format!("zero_reimbursement_years[{index}]");
            history.zero_reimbursement_years.insert(year(*y, &path)?);
        }
        for (index, y) in self.reward_used_years.iter().enumerate() {
            let path = format!("reward_used_years[{index}]");
            history.reward_quota_used_years.insert(year(*y, &path)?);
        }
        let class: PersonClass = match &self.class {
            None => PersonClass::Ordinary,
            Some(name) => name
                .parse()
                .map_err(|e: yibao::catastrophic::CatastrophicError| {
                    question_error(e.to_string(), e.zh(), "class")
                })?,
        };
        Ok(CatastrophicQuestion {
            jurisdiction: self.jurisdiction.clone(),
            year: year(self.year, "year")?,
            burden: self.burden.parse().map_err(|e: yibao::core::MoneyError| {
                question_error(e.to_string(), e.zh(), "burden")
            })?,
            class,
            history,
        })
    }
}

/// `POST /v1/catastrophic`.
pub async fn catastrophic(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    answer(
        &state,
        &headers,
        body,
        |library, asked: CatastrophicBody| {
            let question = asked.question()?;
            yibao::questions::catastrophic::catastrophic(library, &question).map_err(refused)
        },
    )
    .await
}
