//! The layers around the endpoints.
//!
//! Around every request, outermost first ([`observe`]): a request id is given
//! (`x-request-id`, or the client's) and returned, a log span carries it, the metrics time
//! the answer, and a panic is caught and answered 500 in the error body (no code path is
//! meant to panic; this is the last resort), so that it is counted and logged with its id. Around the endpoints but the health checks, after the
//! token check ([`limit`]): the concurrency limit refuses at once with 503 `overloaded`
//! when every slot is taken (load shedding: a client is never queued without bound), and
//! the per-request timeout answers 503 `timeout`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::load_shed::LoadShedLayer;
use tower::{BoxError, ServiceBuilder};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;

use crate::AppState;

use crate::error::{ApiError, ErrorCode};
use crate::limits::Limits;
use crate::metrics::Metrics;

/// Request ids: a counter of this process (unique per run, cheap, no randomness needed).
#[derive(Clone, Default)]
struct RequestCounter(Arc<AtomicU64>);

impl MakeRequestId for RequestCounter {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.0.fetch_add(1, Ordering::Relaxed) + 1;
        HeaderValue::from_str(&n.to_string())
            .ok()
            .map(RequestId::new)
    }
}

/// The span of a request: its id, method and path (never the body or the query).
fn span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        id = %yibao::core::quoted(id),
        method = %request.method(),
        path = %yibao::core::quoted(request.uri().path()),
    )
}

/// A panic's answer: 500 in the error body, the payload logged, not sent.
fn panicked(payload: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(panic = %what, "a handler panicked");
    ApiError::new(
        ErrorCode::Internal,
        "a fault of the server; the request id is in its log",
        SERVER_FAULT_ZH,
    )
    .into_response()
}

/// The layers around every request (see the module's documentation).
pub(crate) fn observe<S>(router: Router<S>, metrics: Arc<Metrics>) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::x_request_id(RequestCounter::default()))
            .layer(PropagateRequestIdLayer::x_request_id())
            .layer(TraceLayer::new_for_http().make_span_with(span))
            .layer(from_fn_with_state(metrics, crate::metrics::record))
            .layer(CatchPanicLayer::custom(panicked)),
    )
}

/// The layers around the endpoints but the health checks (see the module's documentation).
pub(crate) fn limit(router: Router<AppState>, limits: &Limits) -> Router<AppState> {
    router.route_layer(
        ServiceBuilder::new()
            .layer(HandleErrorLayer::new(refused))
            .layer(LoadShedLayer::new())
            .layer(GlobalConcurrencyLimitLayer::new(limits.concurrency))
            .layer(from_fn_with_state(*limits, timed)),
    )
}

/// A fault of the server, in Chinese.
const SERVER_FAULT_ZH: &str = "服务端故障；请求编号见服务日志";

/// Why the limits refused a request.
async fn refused(error: BoxError) -> ApiError {
    if error.is::<tower::load_shed::error::Overloaded>() {
        ApiError::new(
            ErrorCode::Overloaded,
            "every worker is busy: the request was not started; try again shortly",
            "所有工作线程都在忙：请求未开始处理；请稍后重试",
        )
    } else {
        tracing::error!(error = %error, "a layer failed");
        ApiError::new(
            ErrorCode::Internal,
            "a fault of the server; the request id is in its log",
            SERVER_FAULT_ZH,
        )
    }
}

/// The per-request timeout.
async fn timed(State(limits): State<Limits>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limits.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_elapsed) => ApiError::new(
            ErrorCode::Timeout,
            format!(
                "the answer took longer than {} s, the most this server gives a request",
                limits.request_timeout.as_secs_f64()
            ),
            format!(
                "应答用时超过 {} 秒，超出本服务给每个请求的上限",
                limits.request_timeout.as_secs_f64()
            ),
        )
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use axum::body::Body;
    use axum::http::Request;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    /// No code path is meant to panic; should one, the client gets the error body, not the
    /// panic's text, and the request id.
    #[tokio::test]
    async fn a_panic_is_answered_500_in_the_error_body() {
        async fn panics() -> &'static str {
            panic!("secret detail of the fault")
        }
        let router: Router<()> = observe(
            Router::new().route("/boom", get(panics)),
            Arc::new(Metrics::default()),
        );
        let response = router
            .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), 500);
        assert!(response.headers().contains_key("x-request-id"));
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(
            text.starts_with("{\"error\":{\"code\":\"internal\""),
            "{text}"
        );
        assert!(!text.contains("secret"), "{text}");
    }
}
