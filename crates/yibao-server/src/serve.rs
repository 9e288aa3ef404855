//! The accept loop: each connection served by hyper's HTTP/1 with a time for the headers
//! (a slow or idle client is disconnected), at most `Limits::connections` open at once
//! (one more is closed as soon as it is accepted), and a graceful shutdown: on the signal,
//! no new connection is accepted, `/readyz` answers 503, kept-alive connections are closed
//! after their current request, and the requests in flight finish (within
//! `Limits::shutdown_grace`).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use yibao::policy::PolicyLibrary;

use crate::{AppState, Config, Limits, Metrics};

/// A server bound to its address, not yet accepting.
pub struct Server {
    listener: TcpListener,
    app: axum::Router,
    limits: Limits,
    metrics: Arc<Metrics>,
    draining: Arc<AtomicBool>,
}

impl Server {
    /// Binds the address (port 0: an ephemeral port, see [`Server::local_addr`]) and builds
    /// the service over a loaded library.
    ///
    /// # Errors
    /// The address cannot be bound.
    pub async fn bind(
        address: SocketAddr,
        library: Arc<PolicyLibrary>,
        config: Config,
    ) -> std::io::Result<Server> {
        let listener = TcpListener::bind(address).await?;
        let metrics = Arc::new(Metrics::default());
        let draining = Arc::new(AtomicBool::new(false));
        let state = AppState {
            library,
            limits: config.limits,
            metrics: Arc::clone(&metrics),
            draining: Arc::clone(&draining),
            openapi: crate::openapi::document().into(),
        };
        Ok(Server {
            listener,
            app: crate::router(state, config.token),
            limits: config.limits,
            metrics,
            draining,
        })
    }

    /// The address bound.
    ///
    /// # Errors
    /// As [`TcpListener::local_addr`].
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `shutdown` completes, then shuts down gracefully.
    ///
    /// # Errors
    /// None today (an accept error is logged and the loop goes on); the result leaves room.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> std::io::Result<()> {
        let graceful = GracefulShutdown::new();
        let slots = Arc::new(Semaphore::new(self.limits.connections));
        let mut builder = http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(self.limits.header_timeout)
            .max_buf_size(64 * 1024);
        tokio::pin!(shutdown);
        loop {
            let (stream, peer) = tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        // Out of file descriptors, a connection reset before accept: wait a
                        // little and go on.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                },
                () = &mut shutdown => break,
            };
            let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
                self.metrics.refuse_connection();
                tracing::warn!(%peer, "connection refused: at the limit of open connections");
                drop(stream);
                continue;
            };
            let _ = stream.set_nodelay(true);
            let service = TowerToHyperService::new(self.app.clone());
            let connection =
                graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
            tokio::spawn(async move {
                if let Err(e) = connection.await {
                    tracing::debug!(%peer, error = %e, "connection ended");
                }
                drop(slot);
            });
        }
        self.draining.store(true, Ordering::Relaxed);
        drop(self.listener);
        tracing::info!(connections = graceful.count(), "shutting down");
        tokio::select! {
            () = graceful.shutdown() => tracing::info!("every request in flight finished"),
            () = tokio::time::sleep(self.limits.shutdown_grace) => {
                tracing::warn!("shutdown grace over: connections still open are dropped");
            }
        }
        Ok(())
    }
}

/// SIGTERM or Ctrl-C (SIGINT): the usual signals to stop a service.
pub async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
