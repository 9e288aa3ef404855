//! `cargo xtask load [--seconds N]`: the HTTP service under a sustained mixed load, then
//! under hostile traffic, on loopback only, bounded in time and in count, stopping by
//! itself.
//!
//! Steps: build the release binary; start `yibao serve` under `nice -n 19` on an ephemeral
//! loopback port with a token; a warm-up request of every scenario (one person's year of 1
//! to 10 claims, from the mix of `gen-scenario`) records its answer; then `CLIENTS` kept-alive
//! connections send the mix (mostly `/v1/settle`, some policies, metrics and health checks)
//! as fast as the server answers, for N seconds (default 60) or `MAX_REQUESTS`, each answer
//! checked against its warm-up; then every hostile case of issue 20, each answer checked,
//! and a normal request afterwards; then SIGTERM, and the server must exit 0. Prints
//! requests/s, p50/p99/p99.9 latency per kind, the 5xx count, the server's memory (RSS
//! before and after) and the hostile-traffic table.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

mod hostile;

/// Kept-alive connections sending the load (the machine has 2 cores: enough to keep the
/// server's workers busy without the clients taking the machine).
const CLIENTS: usize = 4;
/// The most requests of the load phase, whatever the time.
const MAX_REQUESTS: u64 = 5_000_000;
/// Scenarios of the mix.
const SCENARIOS: u64 = 50;
const TOKEN: &str = "load-test-token";

/// A kept-alive HTTP/1.1 connection.
pub(crate) struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

/// An answer: status and body.
pub(crate) struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Client {
    pub(crate) fn connect(addr: SocketAddr) -> Result<Client, String> {
        let stream = TcpStream::connect(addr).map_err(|e| format!("cannot connect: {e}"))?;
        let _ = stream.set_nodelay(true);
        let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
        let writer = stream
            .try_clone()
            .map_err(|e| format!("cannot clone a stream: {e}"))?;
        Ok(Client {
            reader: BufReader::new(stream),
            writer,
        })
    }

    /// Sends one request (`GET /path` or `POST /path` with a body) and reads its answer.
    pub(crate) fn send(&mut self, line: &str, token: &str, body: &[u8]) -> Result<Answer, String> {
        let head = format!(
            "{line} HTTP/1.1\r\nHost: load\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let io = |e: std::io::Error| format!("{line}: {e}");
        self.writer.write_all(head.as_bytes()).map_err(io)?;
        self.writer.write_all(body).map_err(io)?;
        self.read()
    }

    /// Reads one answer (its length from `Content-Length`).
    pub(crate) fn read(&mut self) -> Result<Answer, String> {
        let mut line = String::new();
        self.reader
            .read_line(&mut line)
            .map_err(|e| format!("reading an answer: {e}"))?;
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("not an HTTP answer: {line:?}"))?;
        let mut length = 0;
        loop {
            line.clear();
            self.reader
                .read_line(&mut line)
                .map_err(|e| format!("reading headers: {e}"))?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        self.reader
            .read_exact(&mut body)
            .map_err(|e| format!("reading a body: {e}"))?;
        Ok(Answer { status, body })
    }
}

/// One kind of request of the mix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Settle,
    Policies,
    Book,
    Metrics,
    Health,
}

impl Kind {
    /// The mix: of 20 requests, 16 settle.
    fn of(n: u64) -> Kind {
        match n % 20 {
            0 => Kind::Policies,
            1 => Kind::Book,
            2 => Kind::Metrics,
            3 => Kind::Health,
            _ => Kind::Settle,
        }
    }
}

/// The server process and where it listens.
pub(crate) struct Served {
    child: Child,
    pub addr: SocketAddr,
}

impl Served {
    fn start(binary: &Path, dir: &Path) -> Result<Served, String> {
        let token = dir.join("token");
        std::fs::write(&token, TOKEN).map_err(|e| format!("cannot write the token: {e}"))?;
        let log = std::fs::File::create(dir.join("server.log"))
            .map_err(|e| format!("cannot create the log: {e}"))?;
        let mut child = Command::new("nice")
            .args(["-n", "19"])
            .arg(binary)
            .args(["serve", "--bind", "127.0.0.1:0", "--token-file"])
            .arg(&token)
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the server: {e}"))?;
        let mut stderr = BufReader::new(child.stderr.take().ok_or("no stderr")?);
        let mut first = String::new();
        let _ = stderr.read_line(&mut first);
        let addr = first
            .split("address=")
            .nth(1)
            .and_then(|a| a.trim().parse().ok())
            .ok_or_else(|| format!("the server did not start: {first:?}"))?;
        // The rest of the log goes to a file, read by no one during the run.
        std::thread::spawn(move || {
            let mut log = log;
            let _ = std::io::copy(&mut stderr, &mut log);
        });
        Ok(Served { child, addr })
    }

    /// The server's resident memory, in kB.
    pub(crate) fn rss_kb(&self) -> u64 {
        // `nice` execs the server: the child's pid is the server's.
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find_map(|l| l.strip_prefix("VmRSS:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            })
            .unwrap_or(0)
    }

    /// SIGTERM, then the exit status.
    fn stop(mut self) -> Result<std::process::ExitStatus, String> {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .map_err(|e| format!("cannot signal the server: {e}"))?;
        self.child
            .wait()
            .map_err(|e| format!("cannot wait for the server: {e}"))
    }
}

/// The mix's scenarios with their warm-up answers.
struct Scenario {
    body: Vec<u8>,
    answer: Vec<u8>,
}

fn scenarios(addr: SocketAddr) -> Result<Vec<Scenario>, String> {
    let mut client = Client::connect(addr)?;
    let mut found = Vec::new();
    for seed in 1..=SCENARIOS {
        let mut body = Vec::new();
        crate::gen_scenario::write(
            &mut body,
            1 + seed % 10,
            seed,
            crate::gen_scenario::ScenarioFormat::Json,
        )
        .map_err(|e| e.to_string())?;
        let answer = client.send("POST /v1/settle", TOKEN, &body)?;
        if answer.status != 200 {
            return Err(format!(
                "scenario {seed}: {} {}",
                answer.status,
                String::from_utf8_lossy(&answer.body)
            ));
        }
        found.push(Scenario {
            body,
            answer: answer.body,
        });
    }
    Ok(found)
}

/// What one client saw: each request's kind and latency, and what went wrong.
#[derive(Default)]
struct Seen {
    latencies: Vec<(Kind, Duration)>,
    server_errors: u64,
    wrong: Vec<String>,
}

fn client_loop(
    addr: SocketAddr,
    scenarios: &[Scenario],
    deadline: Instant,
    first: u64,
) -> Result<Seen, String> {
    let mut client = Client::connect(addr)?;
    let mut seen = Seen::default();
    let mut n = first;
    while Instant::now() < deadline && (n - first) * (CLIENTS as u64) < MAX_REQUESTS {
        let kind = Kind::of(n);
        let scenario = &scenarios[(n as usize / 20) % scenarios.len()];
        let (line, body): (&str, &[u8]) = match kind {
            Kind::Settle => ("POST /v1/settle", &scenario.body),
            Kind::Policies => ("GET /v1/policies", b""),
            Kind::Book => ("GET /v1/policies/huaian/2026?section=benefits", b""),
            Kind::Metrics => ("GET /metrics", b""),
            Kind::Health => ("GET /healthz", b""),
        };
        let started = Instant::now();
        let answer = client.send(line, TOKEN, body)?;
        seen.latencies.push((kind, started.elapsed()));
        if answer.status >= 500 {
            seen.server_errors += 1;
        }
        let right =
            answer.status == 200 && (kind != Kind::Settle || answer.body == scenario.answer);
        if !right && seen.wrong.len() < 5 {
            seen.wrong.push(format!("{line}: {}", answer.status));
        }
        n += 1;
    }
    Ok(seen)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

fn report_load(seen: &[Seen], elapsed: Duration) {
    let all: Vec<(Kind, Duration)> = seen.iter().flat_map(|s| s.latencies.clone()).collect();
    let seconds = elapsed.as_secs_f64();
    println!("| requests | count | requests/s | p50 ms | p99 ms | p99.9 ms |");
    println!("|---|---:|---:|---:|---:|---:|");
    let kinds = [
        ("all", None),
        ("/v1/settle", Some(Kind::Settle)),
        ("/v1/policies", Some(Kind::Policies)),
        ("/v1/policies/huaian/2026", Some(Kind::Book)),
        ("/metrics", Some(Kind::Metrics)),
        ("/healthz", Some(Kind::Health)),
    ];
    for (label, kind) in kinds {
        let mut latencies: Vec<Duration> = all
            .iter()
            .filter(|(k, _)| kind.is_none_or(|kind| *k == kind))
            .map(|(_, d)| *d)
            .collect();
        latencies.sort_unstable();
        println!(
            "| {label} | {} | {:.0} | {:.2} | {:.2} | {:.2} |",
            latencies.len(),
            latencies.len() as f64 / seconds,
            percentile(&latencies, 0.50),
            percentile(&latencies, 0.99),
            percentile(&latencies, 0.999),
        );
    }
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from)
}

pub(crate) fn run(args: &crate::flags::LoadArgs) -> Result<(), String> {
    let mut build = Command::new("nice");
    build
        .args(["-n", "19"])
        .arg(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    build.args([
        "build",
        "--release",
        "--package",
        "yibao-cli",
        "--bin",
        "yibao",
    ]);
    crate::run_step("build the release binary", build)?;
    let binary = target_dir().join("release").join("yibao");
    let dir = target_dir().join("load");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let server = Served::start(&binary, &dir)?;
    eprintln!("xtask: yibao serve on {}", server.addr);
    let outcome = load_then_hostile(&server, args.seconds);
    let status = server.stop()?;
    println!("\nserver stopped by SIGTERM: {status}");
    outcome?;
    if !status.success() {
        return Err(format!("the server exited {status} after SIGTERM"));
    }
    Ok(())
}

fn load_then_hostile(server: &Served, seconds: u64) -> Result<(), String> {
    let scenarios = scenarios(server.addr)?;
    let rss_before = server.rss_kb();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut rss = vec![rss_before];
    let seen: Vec<Result<Seen, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..CLIENTS)
            .map(|c| {
                let scenarios = &scenarios;
                scope.spawn(move || client_loop(server.addr, scenarios, deadline, c as u64 * 7))
            })
            .collect();
        // The server's memory every 10 s of the load.
        while Instant::now() + Duration::from_secs(10) <= deadline {
            std::thread::sleep(Duration::from_secs(10));
            rss.push(server.rss_kb());
        }
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a client panicked".to_owned()))
            })
            .collect()
    });
    let elapsed = started.elapsed();
    let seen = seen.into_iter().collect::<Result<Vec<Seen>, String>>()?;
    let rss_after = server.rss_kb();
    println!(
        "\nload: {CLIENTS} kept-alive clients, {:.1} s\n",
        elapsed.as_secs_f64()
    );
    report_load(&seen, elapsed);
    let server_errors: u64 = seen.iter().map(|s| s.server_errors).sum();
    let wrong: Vec<&String> = seen.iter().flat_map(|s| &s.wrong).collect();
    println!(
        "\n5xx answers: {server_errors}; wrong answers: {}",
        wrong.len()
    );
    println!("server RSS: {rss_before} kB before the load, {rss_after} kB after");
    let series: Vec<String> = rss.iter().map(|kb| format!("{kb}")).collect();
    println!(
        "server RSS every 10 s of the load, kB: {}",
        series.join(", ")
    );
    let rows = hostile::run(server, TOKEN, &scenarios[0].body, &scenarios[0].answer)?;
    println!("\nhostile traffic\n\n| case | expected | seen | ok |\n|---|---|---|---|");
    for row in &rows {
        println!(
            "| {} | {} | {} | {} |",
            row.case,
            row.expected,
            row.seen,
            if row.ok { "yes" } else { "NO" }
        );
    }
    println!(
        "\nserver RSS after the hostile traffic: {} kB",
        server.rss_kb()
    );
    if server_errors > 0 || !wrong.is_empty() {
        return Err(format!(
            "the load saw {server_errors} 5xx and wrong answers: {wrong:?}"
        ));
    }
    if rows.iter().any(|r| !r.ok) {
        return Err("a hostile case was not answered as expected".to_owned());
    }
    Ok(())
}
