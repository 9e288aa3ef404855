//! The bounds that keep the service up under load and hostile clients.

use std::time::Duration;

/// How much the server takes, and for how long it waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The longest request body, in bytes (413 above it).
    pub body_bytes: usize,
    /// The most persons (lines) of one `/v1/settle-batch` request (413 above it).
    pub batch_persons: usize,
    /// How long a request may take from its headers to its answer (503 `timeout`; for
    /// `/v1/settle-batch`, to the start of its streamed answer).
    pub request_timeout: Duration,
    /// How long the headers of a request may take to arrive, and how long a kept-alive
    /// connection may stay idle: a slow or idle client is disconnected.
    pub header_timeout: Duration,
    /// How long the body may take to arrive once the headers are in (408).
    pub body_timeout: Duration,
    /// Requests worked on at once; one more is refused at once with 503 `overloaded`
    /// (the health checks are not counted).
    pub concurrency: usize,
    /// Open connections at once; one more is closed as soon as it is accepted.
    pub connections: usize,
    /// How long a shutdown waits for the requests in flight.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            body_bytes: 1 << 20,
            batch_persons: 1000,
            request_timeout: Duration::from_secs(30),
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            concurrency: 64,
            connections: 1024,
            shutdown_grace: Duration::from_secs(30),
        }
    }
}
