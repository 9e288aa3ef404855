//! `GET /v1/policies` and `GET /v1/policies/{jurisdiction}/{year}`: the policy data, read
//! only (nothing over HTTP changes it), as `yibao policies list | show --format json`.

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use yibao::core::PolicyYear;
use yibao::policy::{BookValue, Coverage, SECTIONS};

use crate::AppState;
use crate::error::{ApiError, ErrorCode};

/// One book: its place and year, and where each section comes from.
#[derive(Debug, Serialize)]
pub struct BookEntry {
    /// The insured place.
    pub jurisdiction: String,
    /// The policy year.
    pub year: PolicyYear,
    /// Each section (`enrolment`, `benefits`, …): `present` (set by the place's own files),
    /// `inherited`, `absent` (declared absent from the sources) or `not_given`.
    pub sections: std::collections::BTreeMap<&'static str, Coverage>,
}

/// Every book of the library.
pub async fn list(State(state): State<AppState>) -> Json<Vec<BookEntry>> {
    let books = state
        .library
        .books()
        .map(|book| BookEntry {
            jurisdiction: book.jurisdiction.clone(),
            year: book.year,
            sections: SECTIONS
                .iter()
                .filter(|s| **s != "settlement")
                .map(|s| (*s, book.coverage(s)))
                .collect(),
        })
        .collect();
    Json(books)
}

/// The query of one book: `?section=benefits`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShowQuery {
    /// Only this section's values (or `absent`).
    pub section: Option<String>,
}

/// One book's values, each with the level and file that set it (a value's rule and quote
/// are values of the book too: `….rule`, `….quote`).
pub async fn show(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<ShowQuery>, QueryRejection>,
) -> Result<Json<Vec<BookValue>>, ApiError> {
    let Path((jurisdiction, year)) = path.map_err(|r| {
        ApiError::new(
            ErrorCode::InvalidParameter,
            r.body_text(),
            format!("路径无效：{}", r.body_text()),
        )
    })?;
    let Query(query) = query.map_err(|r| super::settle::query_error(&r))?;
    let section = query.section.as_deref();
    if let Some(s) = section.filter(|s| !SECTIONS.contains(s) && *s != "absent") {
        return Err(ApiError::new(
            ErrorCode::InvalidParameter,
            format!(
                "unknown section `{}` (sections: {}, absent)",
                yibao::core::quoted(s),
                SECTIONS.join(", ")
            ),
            format!(
                "未知的部分 `{}`（可选：{}、absent）",
                yibao::core::quoted(s),
                SECTIONS.join("、")
            ),
        ));
    }
    let year = year
        .parse::<i64>()
        .map_err(|_| {
            ApiError::new(
                ErrorCode::InvalidParameter,
                format!("`{}` is not a policy year", yibao::core::quoted(&year)),
                format!("`{}` 不是政策年度", yibao::core::quoted(&year)),
            )
        })
        .and_then(|y| {
            PolicyYear::new(y).map_err(|e| ApiError::of(ErrorCode::InvalidParameter, &e))
        })?;
    let book = state
        .library
        .book(&jurisdiction, year)
        .map_err(|e| ApiError::of(ErrorCode::UnknownBook, &e))?;
    let in_section = |key: &str| {
        section.is_none_or(|s| key == s || key.strip_prefix(s).is_some_and(|r| r.starts_with('.')))
    };
    Ok(Json(
        book.values
            .iter()
            .filter(|v| in_section(&v.key))
            .cloned()
            .collect(),
    ))
}
