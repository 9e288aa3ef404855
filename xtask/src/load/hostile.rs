//! The hostile traffic of issue 20, each answer checked: malformed and truncated JSON, a
//! body over the limit, deeply nested JSON, huge numbers, unknown fields, a wrong token,
//! a slow body, slow headers and 10,000 idle connections; then a normal request.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use super::{Client, Served};

/// Idle connections opened at once.
const IDLE: usize = 10_000;

/// One case's line of the table.
pub(crate) struct Row {
    pub case: &'static str,
    pub expected: String,
    pub seen: String,
    pub ok: bool,
}

/// The error body's code, or the start of the body.
fn code(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    text.split("\"code\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map_or_else(|| text.chars().take(40).collect(), str::to_owned)
}

/// A request answered at once: its case, request line, whether it carries the right
/// token, its body, and the status and code expected.
type QuickCase = (&'static str, &'static str, bool, Vec<u8>, u16, &'static str);

fn quick_cases(scenario: &[u8]) -> Vec<QuickCase> {
    let half = scenario[..scenario.len() / 2].to_vec();
    let depth = 200_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes();
    let huge_year = br#"{"jurisdiction": "huaian", "year": 1e400, "person": {}}"#.to_vec();
    let huge_amount = format!(
        r#"{{"jurisdiction": "huaian", "year": 2026, "person": {{}}, "claims": [{{"date": "2026-03-01", "kind": "inpatient", "level": "level_2", "amount": "{}"}}]}}"#,
        "9".repeat(400)
    )
    .into_bytes();
    let unknown =
        br#"{"jurisdiction": "huaian", "year": 2026, "person": {"id": "X", "salary": "1"}}"#
            .to_vec();
    vec![
        (
            "malformed JSON",
            "POST /v1/settle",
            true,
            b"{\"jurisdiction\": huaian}".to_vec(),
            422,
            "invalid_scenario",
        ),
        (
            "truncated JSON (half a scenario)",
            "POST /v1/settle",
            true,
            half,
            422,
            "invalid_scenario",
        ),
        (
            "deeply nested JSON (200,000 levels)",
            "POST /v1/settle",
            true,
            nested,
            422,
            "invalid_scenario",
        ),
        (
            "huge number (year 1e400)",
            "POST /v1/settle",
            true,
            huge_year,
            422,
            "invalid_scenario",
        ),
        (
            "huge number (an amount of 400 digits)",
            "POST /v1/settle",
            true,
            huge_amount,
            422,
            "invalid_scenario",
        ),
        (
            "unknown field (person.salary)",
            "POST /v1/settle",
            true,
            unknown,
            422,
            "invalid_scenario",
        ),
        (
            "wrong token",
            "POST /v1/settle",
            false,
            scenario.to_vec(),
            401,
            "unauthorized",
        ),
        (
            "unknown endpoint",
            "GET /v1/../../etc/passwd",
            true,
            Vec::new(),
            404,
            "not_found",
        ),
    ]
}

fn row(case: &'static str, expected: String, seen: String) -> Row {
    let ok = expected == seen;
    Row {
        case,
        expected,
        seen,
        ok,
    }
}

/// A body over the limit (1 MiB): declared 2 MiB, refused before it is read.
fn over_the_limit(addr: SocketAddr, token: &str) -> Row {
    let seen = (|| -> Result<String, String> {
        let mut client = Client::connect(addr)?;
        let head = format!(
            "POST /v1/settle HTTP/1.1\r\nHost: load\r\nAuthorization: Bearer {token}\r\nContent-Length: {}\r\n\r\n",
            2 << 20
        );
        client.writer.write_all(head.as_bytes()).map_err(|e| e.to_string())?;
        let _ = client.writer.write_all(&vec![b' '; 64 * 1024]);
        let answer = client.read()?;
        Ok(format!("{} {}", answer.status, code(&answer.body)))
    })()
    .unwrap_or_else(|e| e);
    row(
        "body over the limit (2 MiB declared)",
        "413 body_too_large".to_owned(),
        seen,
    )
}

/// Whether each connection is still open (`WouldBlock`) or closed by the server.
fn count_open(connections: &[TcpStream]) -> usize {
    connections
        .iter()
        .filter(|c| {
            let _ = c.set_nonblocking(true);
            let mut byte = [0u8; 1];
            matches!(c.peek(&mut byte), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
        })
        .count()
}

/// Waits for a slow body's answer on its own thread: what was seen, after how long.
fn await_answer(mut client: Client, started: Instant) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || match client.read() {
        Ok(a) => format!(
            "{} {} after {:.1} s",
            a.status,
            code(&a.body),
            started.elapsed().as_secs_f64()
        ),
        Err(e) => e,
    })
}

/// Waits for the server to close a connection on its own thread.
fn await_close(mut stream: TcpStream, started: Instant) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
        let mut rest = Vec::new();
        match stream.read_to_end(&mut rest) {
            Ok(_) => format!("closed after {:.1} s", started.elapsed().as_secs_f64()),
            Err(e) => format!("still open: {e}"),
        }
    })
}

/// The slow cases, side by side: a slow body, slow headers, and the idle flood.
fn slow_cases(
    server: &Served,
    token: &str,
    scenario: &[u8],
    rows: &mut Vec<Row>,
) -> Result<(), String> {
    let addr = server.addr;
    let mut slow_body = Client::connect(addr)?;
    let head = format!(
        "POST /v1/settle HTTP/1.1\r\nHost: load\r\nAuthorization: Bearer {token}\r\nContent-Length: {}\r\n\r\n",
        scenario.len()
    );
    let io = |e: std::io::Error| e.to_string();
    slow_body.writer.write_all(head.as_bytes()).map_err(io)?;
    slow_body.writer.write_all(&scenario[..10]).map_err(io)?;
    let slow_body = await_answer(slow_body, Instant::now());
    let mut slow_headers = TcpStream::connect(addr).map_err(io)?;
    slow_headers
        .write_all(b"POST /v1/settle HTTP/1.1\r\nHost: lo")
        .map_err(io)?;
    let slow_headers = await_close(slow_headers, Instant::now());
    let started = Instant::now();
    let mut idle = Vec::with_capacity(IDLE);
    let mut failed = 0;
    for _ in 0..IDLE {
        match TcpStream::connect_timeout(&addr, Duration::from_secs(5)) {
            Ok(c) => idle.push(c),
            Err(_) => failed += 1,
        }
    }
    let connected = Instant::now();
    std::thread::sleep(Duration::from_secs(1));
    let held = count_open(&idle);
    println!(
        "\nidle flood: {} connected ({failed} failed) in {:.1} s; 1 s later {held} held open, {} closed by the server; server RSS {} kB",
        idle.len(),
        (connected - started).as_secs_f64(),
        idle.len() - held,
        server.rss_kb()
    );
    rows.push(row(
        "10,000 idle connections: at most the cap (1,024) held",
        "held <= 1024".to_owned(),
        if held <= 1024 {
            "held <= 1024".to_owned()
        } else {
            format!("held {held}")
        },
    ));
    let seen = slow_body.join().unwrap_or_else(|_| "no answer".to_owned());
    let ok = seen.starts_with("408 body_timeout");
    rows.push(Row {
        case: "slow body (10 bytes, then nothing)",
        expected: "408 body_timeout".to_owned(),
        seen,
        ok,
    });
    let seen = slow_headers
        .join()
        .unwrap_or_else(|_| "no answer".to_owned());
    let ok = seen.starts_with("closed");
    rows.push(Row {
        case: "slow headers (half a header, then nothing)",
        expected: "closed".to_owned(),
        seen,
        ok,
    });
    std::thread::sleep(Duration::from_secs(11).saturating_sub(connected.elapsed()));
    let still = count_open(&idle);
    rows.push(row(
        "the idle connections 11 s after the last (header time 10 s)",
        "0 open".to_owned(),
        format!("{still} open"),
    ));
    Ok(())
}

pub(crate) fn run(
    server: &Served,
    token: &str,
    scenario: &[u8],
    answer: &[u8],
) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    for (case, line, right_token, body, status, expected) in quick_cases(scenario) {
        let mut client = Client::connect(server.addr)?;
        let seen = match client.send(
            line,
            if right_token { token } else { "not-the-token" },
            &body,
        ) {
            Ok(a) => format!("{} {}", a.status, code(&a.body)),
            Err(e) => e,
        };
        rows.push(row(case, format!("{status} {expected}"), seen));
    }
    rows.push(over_the_limit(server.addr, token));
    slow_cases(server, token, scenario, &mut rows)?;
    let mut client = Client::connect(server.addr)?;
    let normal = client.send("POST /v1/settle", token, scenario)?;
    let same = normal.status == 200 && normal.body == answer;
    rows.push(Row {
        case: "a normal request afterwards",
        expected: "200, the warm-up's bytes".to_owned(),
        seen: format!(
            "{}{}",
            normal.status,
            if same {
                ", the warm-up's bytes"
            } else {
                ", different bytes"
            }
        ),
        ok: same,
    });
    Ok(rows)
}
