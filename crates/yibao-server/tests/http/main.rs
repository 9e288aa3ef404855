//! The server on an ephemeral loopback port: every endpoint, the error bodies, auth, the
//! limits and the graceful shutdown.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod answer_schemas;
mod answers;
mod auth;
mod batch_arrow;
mod endpoints;
mod errors;
mod limits;
mod shutdown;
mod support;
