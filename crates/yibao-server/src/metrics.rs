//! `GET /metrics`: Prometheus text of the requests by route and status, their latencies
//! (a histogram per route) and the errors by kind. Kept in memory, behind one lock taken
//! once per request.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::error::ErrorCode;

/// The latency buckets' upper bounds, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Histogram {
    fn observe(&mut self, latency: Duration) {
        let seconds = latency.as_secs_f64();
        for (count, bound) in self.counts.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *count += 1;
            }
        }
        self.count += 1;
        self.sum += seconds;
    }
}

#[derive(Default)]
struct Counts {
    requests: BTreeMap<(String, u16), u64>,
    latencies: BTreeMap<String, Histogram>,
    errors: BTreeMap<&'static str, u64>,
    refused_connections: u64,
}

/// The counters of a running server.
#[derive(Default)]
pub struct Metrics {
    counts: Mutex<Counts>,
}

impl Metrics {
    fn counts(&self) -> std::sync::MutexGuard<'_, Counts> {
        // A panic while the lock was held leaves counters, still worth reading.
        self.counts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn record(&self, route: String, status: u16, error: Option<ErrorCode>, latency: Duration) {
        let mut counts = self.counts();
        counts
            .latencies
            .entry(route.clone())
            .or_default()
            .observe(latency);
        *counts.requests.entry((route, status)).or_default() += 1;
        if let Some(code) = error {
            *counts.errors.entry(code.as_str()).or_default() += 1;
        }
    }

    /// A connection closed at once because the server had as many as it takes.
    pub fn refuse_connection(&self) {
        self.counts().refused_connections += 1;
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let counts = self.counts();
        let mut text = String::new();
        text.push_str("# HELP yibao_requests_total Requests answered, by route and status.\n");
        text.push_str("# TYPE yibao_requests_total counter\n");
        for ((route, status), n) in &counts.requests {
            let _ = writeln!(
                text,
                "yibao_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
        text.push_str("# HELP yibao_request_seconds Time from the headers to the answer.\n");
        text.push_str("# TYPE yibao_request_seconds histogram\n");
        for (route, h) in &counts.latencies {
            for (bound, n) in BUCKETS.iter().zip(h.counts) {
                let _ = writeln!(
                    text,
                    "yibao_request_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                text,
                "yibao_request_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                text,
                "yibao_request_seconds_sum{{route=\"{route}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                text,
                "yibao_request_seconds_count{{route=\"{route}\"}} {}",
                h.count
            );
        }
        text.push_str("# HELP yibao_errors_total Error answers, by kind (the body's code).\n");
        text.push_str("# TYPE yibao_errors_total counter\n");
        for (code, n) in &counts.errors {
            let _ = writeln!(text, "yibao_errors_total{{kind=\"{code}\"}} {n}");
        }
        text.push_str(
            "# HELP yibao_refused_connections_total Connections closed at once, over the limit.\n",
        );
        text.push_str("# TYPE yibao_refused_connections_total counter\n");
        let _ = writeln!(
            text,
            "yibao_refused_connections_total {}",
            counts.refused_connections
        );
        text
    }
}

/// The middleware: times each request and counts its answer under its route's pattern
/// (`/v1/policies/{jurisdiction}/{year}`, never the path as sent: the label set stays
/// bounded whatever clients ask for).
pub async fn record(
    State(metrics): State<std::sync::Arc<Metrics>>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let response = next.run(request).await;
    let error = response.extensions().get::<ErrorCode>().copied();
    let status = response.status().as_u16();
    let latency = started.elapsed();
    tracing::info!(
        status,
        latency_us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX),
        error = error.map(ErrorCode::as_str),
        "answered"
    );
    metrics.record(route, status, error, latency);
    response
}
