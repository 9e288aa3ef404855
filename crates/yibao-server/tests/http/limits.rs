//! The bounds: body size and time, header time, open connections, concurrency and the
//! per-request time. Each refusal is checked, and the server answers normally after it.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use crate::support::{SCENARIO, TestServer, read_answer, test_limits};

fn still_serving(server: &TestServer) {
    let answer = server.post("/v1/settle", SCENARIO.as_bytes());
    assert_eq!(answer.status, 200, "{}", answer.text());
}

/// A request whose body is sent in part: it is in flight until the rest comes.
fn half_sent(server: &TestServer) -> std::net::TcpStream {
    let mut stream = server.connect();
    let head = format!(
        "POST /v1/settle HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        SCENARIO.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(&SCENARIO.as_bytes()[..10]).unwrap();
    stream
}

#[test]
fn a_body_over_the_limit_is_refused_declared_or_chunked() {
    let server = TestServer::start();
    let big = vec![b' '; 64 * 1024 + 1];
    let answer = server.post("/v1/settle", &big);
    assert_eq!(answer.status, 413);
    assert_eq!(answer.error_code(), "body_too_large");
    let mut chunked = b"POST /v1/settle HTTP/1.1\r\nHost: t\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..20 {
        chunked.extend_from_slice(format!("{:x}\r\n", 4096).as_bytes());
        chunked.extend_from_slice(&[b' '; 4096]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let answer = server.raw(&chunked);
    assert_eq!(answer.status, 413, "{}", answer.text());
    assert_eq!(answer.error_code(), "body_too_large");
    still_serving(&server);
}

#[test]
fn a_slow_body_is_answered_408() {
    let server = TestServer::start();
    let started = Instant::now();
    let mut stream = half_sent(&server);
    let answer = read_answer(&mut stream);
    assert_eq!(answer.status, 408, "{}", answer.text());
    assert_eq!(answer.error_code(), "body_timeout");
    assert!(started.elapsed() < Duration::from_secs(5));
    still_serving(&server);
}

#[test]
fn slow_headers_and_idle_connections_are_closed() {
    let server = TestServer::start();
    let started = Instant::now();
    let mut slow = server.connect();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost").unwrap();
    let mut idle = server.connect();
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    let _ = idle.read_to_end(&mut rest);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    // A kept-alive connection is closed once idle too.
    let mut kept = server.connect();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    let idle_from = Instant::now();
    let mut all = Vec::new();
    let _ = kept.read_to_end(&mut all);
    assert!(String::from_utf8_lossy(&all).starts_with("HTTP/1.1 200"));
    assert!(idle_from.elapsed() < Duration::from_secs(5));
    still_serving(&server);
}

#[test]
fn connections_over_the_cap_are_closed_at_once() {
    let limits = yibao_server::Limits {
        connections: 2,
        header_timeout: Duration::from_secs(10),
        ..test_limits()
    };
    let server = TestServer::with(limits, None);
    let held = [server.connect(), server.connect()];
    std::thread::sleep(Duration::from_millis(100));
    let mut over = server.connect();
    let mut bytes = Vec::new();
    let _ = over.write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    let _ = over.read_to_end(&mut bytes);
    assert!(bytes.is_empty(), "{}", String::from_utf8_lossy(&bytes));
    drop(held);
    std::thread::sleep(Duration::from_millis(100));
    still_serving(&server);
    let metrics = server.get("/metrics", "").text();
    assert!(
        metrics.contains("yibao_refused_connections_total 1"),
        "{metrics}"
    );
}

#[test]
fn a_request_over_the_concurrency_limit_is_answered_503_at_once() {
    let limits = yibao_server::Limits {
        concurrency: 1,
        body_timeout: Duration::from_secs(10),
        ..test_limits()
    };
    let server = TestServer::with(limits, None);
    let mut in_flight = half_sent(&server);
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    let refused = server.post("/v1/settle", SCENARIO.as_bytes());
    assert_eq!(refused.status, 503, "{}", refused.text());
    assert_eq!(refused.error_code(), "overloaded");
    assert!(started.elapsed() < Duration::from_secs(1));
    // The health checks are not counted.
    assert_eq!(server.get("/healthz", "").status, 200);
    in_flight.write_all(&SCENARIO.as_bytes()[10..]).unwrap();
    assert_eq!(read_answer(&mut in_flight).status, 200);
    still_serving(&server);
}

#[test]
fn a_request_over_its_time_is_answered_503() {
    let limits = yibao_server::Limits {
        request_timeout: Duration::from_millis(1),
        ..test_limits()
    };
    let server = TestServer::with(limits, None);
    // 400 claims, explained: well over a millisecond.
    let claim =
        r#"{"date": "2026-03-01", "kind": "inpatient", "level": "level_2", "amount": "100"}"#;
    let claims = vec![claim; 400].join(",");
    let body = format!(
        r#"{{"jurisdiction": "huaian", "year": 2026, "person": {{}}, "claims": [{claims}]}}"#
    );
    let answer = server.post("/v1/settle", body.as_bytes());
    assert_eq!(answer.status, 503, "{}", answer.text());
    assert_eq!(answer.error_code(), "timeout");
    assert_eq!(server.get("/healthz", "").status, 200);
}
