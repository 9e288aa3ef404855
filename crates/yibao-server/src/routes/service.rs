//! The service's own endpoints: health, readiness, metrics, the OpenAPI document, and the
//! answers for a path or a method that is not there.

use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::{ApiError, ErrorCode};

/// `GET /healthz`: the process answers.
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// `GET /readyz`: the policy library is loaded (it is before the server binds) and the
/// server is not shutting down (503 then, so a balancer sends no more).
pub async fn readyz(State(state): State<AppState>) -> Response {
    if state.draining.load(Ordering::Relaxed) {
        (StatusCode::SERVICE_UNAVAILABLE, "shutting down\n").into_response()
    } else {
        "ready\n".into_response()
    }
}

/// `GET /metrics`: Prometheus text.
pub async fn metrics(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}

/// `GET /v1/openapi.json`.
pub async fn openapi(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.openapi.clone(),
    )
        .into_response()
}

/// Any path that is not an endpoint.
pub async fn not_found(uri: Uri) -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        format!(
            "no endpoint at `{}` (see /v1/openapi.json)",
            yibao::core::quoted(uri.path())
        ),
        format!(
            "`{}` 处没有接口（见 /v1/openapi.json）",
            yibao::core::quoted(uri.path())
        ),
    )
}

/// An endpoint asked with another method.
pub async fn method_not_allowed(method: axum::http::Method, uri: Uri) -> ApiError {
    ApiError::new(
        ErrorCode::MethodNotAllowed,
        format!(
            "`{}` does not answer {method} (see /v1/openapi.json)",
            yibao::core::quoted(uri.path())
        ),
        format!(
            "`{}` 不接受 {method} 请求（见 /v1/openapi.json）",
            yibao::core::quoted(uri.path())
        ),
    )
}
