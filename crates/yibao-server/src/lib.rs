//! yibao (医保) over HTTP: the engine for billing systems in any language, started by
//! `yibao serve`.
//!
//! | endpoint | answer |
//! |---|---|
//! | `POST /v1/settle` | a scenario as JSON → the bytes of `yibao settle --format json` (`?format=nhsa`: `--format nhsa`; `?format=fhir`: `--format fhir`) |
//! | `POST /v1/settle-batch` | JSON lines, one scenario a line → JSON lines streamed, one report or error a line; or a claims table as an Arrow IPC stream (`?jurisdiction=&year=&table=`) → one of the batch's tables as an Arrow IPC stream |
//! | `POST /v1/cover` | a scenario → the person's cover for the year, as `yibao cover --format json` |
//! | `POST /v1/filing` | a scenario → the filings' register on a day (`?as_of=`) and care at a place (`?care_at=&emergency=`), as `yibao filing --format json` |
//! | `POST /v1/contribution` | `{jurisdiction, year, category, paid_on, transfer, at}` → what the person pays to enrol, as `yibao contribution --format json` |
//! | `POST /v1/catastrophic` | `{jurisdiction, year, burden, class, consecutive_years, re_enrolled_after_lapse, zero_reimbursement_years, reward_used_years}` → the catastrophic payment and the cap in force, as `yibao catastrophic --format json` |
//! | `POST /v1/deadline/manual-claim` | `{jurisdiction, expense_date, filed_on}` → a manual claim's deadlines, as `yibao deadline manual-claim --format json` |
//! | `POST /v1/deadline/approval` | `{jurisdiction, submitted_on}` → the day a filing's decision is due, as `yibao deadline approval --format json` |
//! | `POST /v1/decide/refund` | a scenario, `?reason=&applied_on=` → the refund decision, as `yibao decide refund --format json` |
//! | `POST /v1/decide/double-enrolment` | `{jurisdiction, year, place, existing: [{place, scheme, status}]}` → as `yibao decide double-enrolment --format json` |
//! | `POST /v1/decide/family-payment` | `{jurisdiction, year, relation, purpose, feature, in_another_group}` → as `yibao decide family-payment --format json` |
//! | `POST /v1/decide/identity-document` | `{jurisdiction, year, document, holder}` → as `yibao decide identity-document --format json` |
//! | `GET /v1/policies` | every policy book and where its sections come from |
//! | `GET /v1/policies/{jurisdiction}/{year}` | one book's values, each with the level and file that set it |
//! | `GET /v1/openapi.json` | the OpenAPI 3.1 document |
//! | `GET /healthz`, `GET /readyz` | liveness, readiness (503 while shutting down) |
//! | `GET /metrics` | Prometheus text: requests, latencies, errors by kind |
//!
//! Every error is `{"error": {"code", "message", "path"}}` ([`ErrorCode`]), with the CLI's
//! message for the same input. The server is robust by default ([`Limits`]): a body limit,
//! a per-request timeout, a concurrency limit answering 503 at once when saturated, a time
//! for headers and for the body, a cap on open connections, and a graceful shutdown that
//! finishes the requests in flight. With a [`Token`], every endpoint but the health checks
//! needs `Authorization: Bearer`. No endpoint reads or writes a file, and nothing changes
//! the policy data. Logs (`tracing`) carry a request id and no personal data beyond the
//! person id.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! use std::sync::Arc;
//! use yibao::policy::{PolicyFiles, PolicyLibrary};
//! use yibao_server::{Config, Server};
//!
//! let library = PolicyLibrary::load(&PolicyFiles::embedded()).map_err(std::io::Error::other)?;
//! let server = Server::bind("127.0.0.1:8080".parse().map_err(std::io::Error::other)?,
//!     Arc::new(library), Config::default()).await?;
//! server.run(yibao_server::shutdown_signal()).await
//! # }
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod auth;
mod body;
mod error;
mod limits;
mod metrics;
mod middleware;
mod openapi;
mod routes;
mod serve;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use axum::Router;
use axum::routing::{get, post};
use yibao::policy::PolicyLibrary;

pub use auth::Token;
pub use error::{ApiError, ErrorCode};
pub use limits::Limits;
pub use metrics::Metrics;
pub use serve::{Server, shutdown_signal};

/// How the server runs: its limits and, when given, the token clients must present.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The bounds on requests and connections.
    pub limits: Limits,
    /// The bearer token; `None`: no authentication (the server binds to loopback by default).
    pub token: Option<Token>,
}

/// What every handler can reach: the library (read only), the limits, the counters and
/// whether the server is shutting down.
#[derive(Clone)]
pub(crate) struct AppState {
    library: Arc<PolicyLibrary>,
    limits: Limits,
    metrics: Arc<Metrics>,
    draining: Arc<AtomicBool>,
    openapi: axum::body::Bytes,
}

/// The service: the endpoints behind their middleware (`middleware.rs`).
pub(crate) fn router(state: AppState, token: Option<Token>) -> Router {
    let guarded = Router::new()
        .route("/v1/settle", post(routes::settle::settle))
        .route("/v1/settle-batch", post(routes::batch::settle_batch))
        .route("/v1/cover", post(routes::questions::cover))
        .route("/v1/filing", post(routes::questions::filing))
        .route("/v1/contribution", post(routes::questions::contribution))
        .route("/v1/catastrophic", post(routes::catastrophic::catastrophic))
        .route(
            "/v1/deadline/manual-claim",
            post(routes::deadline::manual_claim),
        )
        .route("/v1/deadline/approval", post(routes::deadline::approval))
        .route("/v1/decide/refund", post(routes::decide::refund))
        .route(
            "/v1/decide/double-enrolment",
            post(routes::decide::double_enrolment),
        )
        .route(
            "/v1/decide/family-payment",
            post(routes::decide::family_payment),
        )
        .route(
            "/v1/decide/identity-document",
            post(routes::decide::identity_document),
        )
        .route("/v1/policies", get(routes::policies::list))
        .route(
            "/v1/policies/{jurisdiction}/{year}",
            get(routes::policies::show),
        )
        .route("/v1/openapi.json", get(routes::service::openapi))
        .route("/metrics", get(routes::service::metrics));
    let guarded = middleware::limit(guarded, &state.limits)
        .route_layer(axum::middleware::from_fn_with_state(token, auth::require));
    let all = Router::new()
        .route("/healthz", get(routes::service::healthz))
        .route("/readyz", get(routes::service::readyz))
        .merge(guarded)
        .fallback(routes::service::not_found)
        .method_not_allowed_fallback(routes::service::method_not_allowed);
    middleware::observe(all, Arc::clone(&state.metrics)).with_state(state)
}
