//! `yibao serve`: the engine over HTTP (the `yibao-server` crate), until SIGTERM or Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use yibao::policy::PolicyLibrary;
use yibao_server::{Config, Limits, Server, Token};

use super::Failure;

/// The arguments of `yibao serve`.
#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    /// The address to listen on: loopback unless told otherwise.
    #[arg(long, default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    /// A file holding the bearer token every endpoint but the health checks then requires.
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// The longest request body, in bytes.
    #[arg(long, default_value_t = Limits::default().body_bytes)]
    max_body: usize,
    /// Seconds a request may take from its headers to its answer.
    #[arg(long, default_value_t = Limits::default().request_timeout.as_secs())]
    timeout: u64,
    /// Requests worked on at once; one more is answered 503 at once.
    #[arg(long, default_value_t = Limits::default().concurrency)]
    concurrency: usize,
    /// Open connections at once; one more is closed when accepted.
    #[arg(long, default_value_t = Limits::default().connections)]
    max_connections: usize,
}

pub(crate) fn run(library: PolicyLibrary, args: &ServeArgs) -> Result<(), Failure> {
    let token = match &args.token_file {
        None => None,
        Some(path) => {
            let shown = path.display().to_string();
            let text =
                std::fs::read_to_string(path).map_err(|e| Failure::unreadable(&shown, &e))?;
            Some(Token::from_file_text(&text).ok_or_else(|| {
                Failure::refused(
                    format!("{shown}: the token file is empty"),
                    format!("`{shown}`：令牌文件为空"),
                )
            })?)
        }
    };
    if args.concurrency == 0 || args.max_connections == 0 || args.timeout == 0 {
        return Err(Failure::refused(
            "--concurrency, --max-connections and --timeout must be above 0",
            "--concurrency、--max-connections 和 --timeout 须大于 0".to_owned(),
        ));
    }
    let limits = Limits {
        body_bytes: args.max_body,
        request_timeout: Duration::from_secs(args.timeout),
        concurrency: args.concurrency,
        connections: args.max_connections,
        ..Limits::default()
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| stopped("cannot start the server's runtime", "无法启动服务", &e))?;
    runtime.block_on(async {
        let config = Config { limits, token };
        let cannot_listen = |e: std::io::Error| {
            stopped(
                &format!("cannot listen on {}", args.bind),
                &format!("无法在 {} 上监听", args.bind),
                &e,
            )
        };
        let server = Server::bind(args.bind, Arc::new(library), config)
            .await
            .map_err(cannot_listen)?;
        let address = server.local_addr().map_err(cannot_listen)?;
        tracing::info!(%address, "listening");
        server
            .run(yibao_server::shutdown_signal())
            .await
            .map_err(|e| stopped("the server stopped", "服务已停止", &e))
    })
}

/// The server could not start or stopped (exit 4): what failed, `en` in English and `zh` in
/// Chinese, and the system's reason as the system gives it.
fn stopped(en: &str, zh: &str, reason: &dyn std::fmt::Display) -> Failure {
    Failure::File(yibao::core::Said::new(
        format!("{en}: {reason}"),
        format!("{zh}（系统原因：`{reason}`）"),
    ))
}
