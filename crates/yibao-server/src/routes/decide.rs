//! `POST /v1/decide/refund`, `/v1/decide/double-enrolment`, `/v1/decide/family-payment` and
//! `/v1/decide/identity-document`: the yes-or-no questions of enrolment with their rules,
//! as `yibao decide … --format json` ([`yibao::questions::decide`]). The refund is asked of
//! a scenario (the body, as `/v1/cover`) with `?reason=&applied_on=`; the others have a
//! body of their fields.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use yibao::enrolment::{ExistingEnrolment, FamilyPaymentRequest, SharingGroup};
use yibao::questions::decide;

use super::asked::{answer, date, refused, word, year};
use super::settle::{blocking, enveloped, query_error, read_scenario, settle_error};
use crate::AppState;
use crate::error::ApiError;

/// The query of `/v1/decide/refund`, as the flags of `yibao decide refund`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefundQuery {
    /// Why the refund is asked for (`duplicate_payment`, `joined_employee_insurance`, …).
    pub reason: String,
    /// The day of the application, `YYYY-MM-DD`.
    pub applied_on: String,
}

/// `POST /v1/decide/refund`: the body is the scenario with the person's category and
/// enrolment history.
pub async fn refund(
    State(state): State<AppState>,
    query: Result<Query<RefundQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|r| query_error(&r))?;
    let reason = word(&query.reason, "").map_err(|e| e.parameter("reason"))?;
    let applied_on = date(&query.applied_on, "").map_err(|e| e.parameter("applied_on"))?;
    let bytes = crate::body::read(&headers, body, &state.limits).await?;
    let library = Arc::clone(&state.library);
    blocking(move || {
        let file = read_scenario(bytes)?;
        let answer = decide::refund(&library, &file.scenario, reason, applied_on)
            .map_err(|e| settle_error(&file, &e))?;
        enveloped(&library, &answer)
    })
    .await
}

/// One existing enrolment: `{"place", "scheme", "status"}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExistingBody {
    /// The place of enrolment (统筹地区), e.g. `kunshan`.
    pub place: String,
    /// `resident` or `employee`.
    pub scheme: String,
    /// `active` or `suspended`.
    pub status: String,
}

/// The body of `/v1/decide/double-enrolment`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoubleEnrolmentBody {
    /// Jurisdiction id of the rules, e.g. `huaian`.
    pub jurisdiction: String,
    /// The policy year.
    pub year: i64,
    /// The place of the new resident enrolment.
    pub place: String,
    /// The person's existing enrolments.
    #[serde(default)]
    pub existing: Vec<ExistingBody>,
}

/// `POST /v1/decide/double-enrolment`.
pub async fn double_enrolment(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    answer(
        &state,
        &headers,
        body,
        |library, asked: DoubleEnrolmentBody| {
            let mut existing = Vec::new();
            for (index, e) in asked.existing.iter().enumerate() {
                if e.place.is_empty() {
                    return Err(super::questions::question_error(
                        "the place is empty".to_owned(),
                        "参保地为空".to_owned(),
                        &format!("existing[{index}].place"),
                    ));
                }
                let scheme = word(&e.scheme, &format!("existing[{index}].scheme"))?;
                let status = word(&e.status, &format!("existing[{index}].status"))?;
                existing.push(ExistingEnrolment::new(e.place.clone(), scheme, status));
            }
            let year = year(asked.year, "year")?;
            decide::double_enrolment(library, &asked.jurisdiction, year, &asked.place, &existing)
                .map_err(refused)
        },
    )
    .await
}

/// The body of `/v1/decide/family-payment`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FamilyPaymentBody {
    /// Jurisdiction id, e.g. `huaian`.
    pub jurisdiction: String,
    /// The policy year.
    pub year: i64,
    /// The relative's relation to the account owner (`spouse`, `parent`, `sibling`, …).
    pub relation: String,
    /// What is paid for (`medical_costs`, `resident_contribution`, …).
    pub purpose: String,
    /// Through which feature (default `family_mutual_aid`).
    pub feature: Option<String>,
    /// The account owner is already in another family mutual-aid group.
    #[serde(default)]
    pub in_another_group: bool,
}

/// `POST /v1/decide/family-payment`.
pub async fn family_payment(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    answer(
        &state,
        &headers,
        body,
        |library, asked: FamilyPaymentBody| {
            let feature = asked.feature.as_deref().unwrap_or("family_mutual_aid");
            let group = if asked.in_another_group {
                SharingGroup::Another
            } else {
                SharingGroup::NoneOrThisOne
            };
            let request = FamilyPaymentRequest::new(
                word(&asked.relation, "relation")?,
                word(&asked.purpose, "purpose")?,
                word(feature, "feature")?,
                group,
            );
            let year = year(asked.year, "year")?;
            decide::family_payment(library, &asked.jurisdiction, year, &request).map_err(refused)
        },
    )
    .await
}

/// The body of `/v1/decide/identity-document`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityDocumentBody {
    /// Jurisdiction id, e.g. `kunshan`.
    pub jurisdiction: String,
    /// The policy year.
    pub year: i64,
    /// The document (`resident_id_card`, `residence_permit`, `birth_certificate`, …).
    pub document: String,
    /// Whom it identifies (`newborn`, `hong_kong_macao_taiwan_student`, …).
    pub holder: String,
}

/// `POST /v1/decide/identity-document`.
pub async fn identity_document(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    answer(
        &state,
        &headers,
        body,
        |library, asked: IdentityDocumentBody| {
            let document = word(&asked.document, "document")?;
            let holder = word(&asked.holder, "holder")?;
            let year = year(asked.year, "year")?;
            decide::identity_document(library, &asked.jurisdiction, year, document, holder)
                .map_err(refused)
        },
    )
    .await
}
