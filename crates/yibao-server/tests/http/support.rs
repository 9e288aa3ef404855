//! A server on an ephemeral loopback port, and a client of raw HTTP/1.1 bytes (so that a
//! test can send what no well-behaved client would: a truncated body, a slow one, a lie
//! in `Content-Length`).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use yibao::policy::{PolicyFiles, PolicyLibrary};
use yibao_server::{Config, Limits, Server, Token};

fn library() -> Arc<PolicyLibrary> {
    static LIBRARY: OnceLock<Arc<PolicyLibrary>> = OnceLock::new();
    Arc::clone(
        LIBRARY.get_or_init(|| Arc::new(PolicyLibrary::load(&PolicyFiles::embedded()).unwrap())),
    )
}

/// Limits small enough for a test to reach in milliseconds.
pub fn test_limits() -> Limits {
    Limits {
        body_bytes: 64 * 1024,
        batch_persons: 5,
        request_timeout: Duration::from_secs(10),
        header_timeout: Duration::from_millis(500),
        body_timeout: Duration::from_millis(500),
        concurrency: 8,
        connections: 64,
        shutdown_grace: Duration::from_secs(5),
    }
}

/// A running server; dropped, it is shut down and waited for.
pub struct TestServer {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    pub fn start() -> TestServer {
        TestServer::with(test_limits(), None)
    }

    pub fn with(limits: Limits, token: Option<&str>) -> TestServer {
        let config = Config {
            limits,
            token: token.map(|t| Token::from_file_text(t).unwrap()),
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready, address) = std::sync::mpsc::channel();
        let library = library();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let server = Server::bind("127.0.0.1:0".parse().unwrap(), library, config)
                    .await
                    .unwrap();
                ready.send(server.local_addr().unwrap()).unwrap();
                server
                    .run(async {
                        let _ = stopped.await;
                    })
                    .await
                    .unwrap();
            });
        });
        let addr = address.recv().unwrap();
        TestServer {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// Starts the graceful shutdown; [`TestServer::wait`] waits for it.
    pub fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    /// Waits for the server's loop to end.
    pub fn wait(&mut self) {
        self.shut_down();
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
    }

    pub fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        stream
    }

    /// Sends raw bytes on a new connection and reads the answer to its end.
    pub fn raw(&self, request: &[u8]) -> Answer {
        let mut stream = self.connect();
        stream.write_all(request).unwrap();
        read_answer(&mut stream)
    }

    pub fn get(&self, path: &str, headers: &str) -> Answer {
        self.raw(
            format!("GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n{headers}\r\n")
                .as_bytes(),
        )
    }

    pub fn post(&self, path: &str, body: &[u8]) -> Answer {
        self.post_with(path, "", body)
    }

    pub fn post_with(&self, path: &str, headers: &str, body: &[u8]) -> Answer {
        let mut request = format!(
            "POST {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{headers}\r\n",
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(body);
        self.raw(&request)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.wait();
    }
}

/// An answer: its status, headers (names in lower case) and body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// The error body's code, after checking the body has exactly the error's shape.
    pub fn error_code(&self) -> String {
        let body = self.json();
        let error = body["error"]
            .as_object()
            .unwrap_or_else(|| panic!("no error: {body}"));
        let mut keys: Vec<&str> = error.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["code", "message", "message_zh", "path"], "{body}");
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
        // The Chinese is Chinese: not empty, not the English again.
        let zh = error["message_zh"].as_str().unwrap_or_default();
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "no Chinese in message_zh: {body}"
        );
        assert_eq!(body.as_object().unwrap().len(), 1, "{body}");
        error["code"].as_str().unwrap().to_owned()
    }
}

/// Reads one answer to the connection's end (every test request says `Connection: close`).
pub fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    parse_answer(&bytes)
        .unwrap_or_else(|| panic!("not an HTTP answer: {:?}", String::from_utf8_lossy(&bytes)))
}

pub fn parse_answer(bytes: &[u8]) -> Option<Answer> {
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&bytes[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let rest = &bytes[end + 4..];
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        dechunk(rest)?
    } else {
        rest.to_vec()
    };
    Some(Answer {
        status,
        headers,
        body,
    })
}

fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size =
            usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).ok()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

/// A small valid scenario: one inpatient claim in Huai'an 2026.
pub const SCENARIO: &str = r#"{"jurisdiction": "huaian", "year": 2026, "person": {"id": "T-1"},
  "claims": [{"date": "2026-03-01", "kind": "inpatient", "level": "level_2", "amount": "10000"}]}"#;
