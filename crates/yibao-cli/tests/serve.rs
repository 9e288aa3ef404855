//! `yibao serve`: `/v1/settle` answers the bytes `yibao settle` prints (`--format json`,
//! `--format nhsa` and `--format fhir`), and `/v1/cover` and `/v1/filing` those of `yibao
//! cover` and `yibao filing --format json`, for every example and every scenario of `tests/scenarios/`, or,
//! for a refused one, the CLI's message in the error body; and the command itself starts on an
//! ephemeral loopback port, requires its token, and stops on SIGTERM.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use yibao::policy::{PolicyFiles, PolicyLibrary};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// The scenario of each example (the whole file) and of each scenario test (its
/// `[scenario]` table, as `tests/integration/scenarios.rs` reads it), as JSON.
fn scenarios() -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    for (dir, table) in [("examples", None), ("tests/scenarios", Some("scenario"))] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        for path in files {
            let value: toml::Value =
                toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let scenario = match table {
                None => &value,
                Some(key) => &value[key],
            };
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            found.push((name, serde_json::to_vec_pretty(scenario).unwrap()));
        }
    }
    assert!(found.len() > 60, "{} scenarios", found.len());
    found
}

/// The server on an ephemeral loopback port, in this process, until the test ends.
fn start_server() -> SocketAddr {
    let (ready, address) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let library = Arc::new(PolicyLibrary::load(&PolicyFiles::embedded()).unwrap());
            let server = yibao_server::Server::bind(
                "127.0.0.1:0".parse().unwrap(),
                library,
                yibao_server::Config::default(),
            )
            .await
            .unwrap();
            ready.send(server.local_addr().unwrap()).unwrap();
            server.run(std::future::pending()).await.unwrap();
        });
    });
    address.recv().unwrap()
}

/// One request on its own connection: the status and the body.
fn request(addr: SocketAddr, head: &str, body: &[u8]) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    let head = format!(
        "{head} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let status = String::from_utf8_lossy(&bytes[9..12]).parse().unwrap();
    assert!(
        !String::from_utf8_lossy(&bytes[..end])
            .to_ascii_lowercase()
            .contains("transfer-encoding"),
        "the answer has a length"
    );
    (status, bytes[end + 4..].to_vec())
}

/// Each question: the CLI's command and the endpoint that answers it.
const QUESTIONS: [(&str, &str); 5] = [
    ("settle", "POST /v1/settle?format=json"),
    ("settle --format nhsa", "POST /v1/settle?format=nhsa"),
    (
        "settle --format fhir",
        "POST /v1/settle?format=fhir&explain=false",
    ),
    ("cover", "POST /v1/cover"),
    ("filing", "POST /v1/filing"),
];

/// One scenario asked one question of the CLI and of the server: the mismatch, if any.
fn compare(
    addr: SocketAddr,
    name: &str,
    file: &Path,
    json: &[u8],
    question: (&str, &str),
) -> Option<String> {
    let (command, endpoint) = question;
    let mut args: Vec<&str> = command.split(' ').collect();
    if !args.contains(&"--format") {
        args.extend(["--format", "json"]);
    }
    let cli = Command::new(env!("CARGO_BIN_EXE_yibao"))
        .args(&args)
        .arg(file)
        .output()
        .unwrap();
    let (status, body) = request(addr, endpoint, json);
    let what = format!("{name}: {command} / {endpoint}");
    match cli.status.code() {
        Some(0) if status == 200 && body == cli.stdout => None,
        Some(0) => Some(format!(
            "{what}: {status}, the answer differs from the CLI's output"
        )),
        Some(1) => {
            let Ok(error) = serde_json::from_slice::<serde_json::Value>(&body) else {
                return Some(format!("{what}: {status}, not an error body"));
            };
            let stderr = String::from_utf8(cli.stderr).unwrap();
            let expected = stderr
                .trim_end()
                .trim_start_matches("yibao: ")
                .replace(&file.display().to_string(), "request body");
            let message = &error["error"]["message"];
            (status != 422 || message != expected.as_str())
                .then(|| format!("{what}: {status} {message}, the CLI said {expected}"))
        }
        other => Some(format!("{what}: the CLI exited {other:?}")),
    }
}

#[test]
fn every_question_over_http_is_the_cli_byte_for_byte() {
    let addr = start_server();
    let dir = tempfile::tempdir().unwrap();
    let mut cases = Vec::new();
    for (name, json) in scenarios() {
        let file = dir.path().join(format!("{name}.json"));
        std::fs::write(&file, &json).unwrap();
        for question in QUESTIONS {
            cases.push((name.clone(), file.clone(), json.clone(), question));
        }
    }
    // Three at a time: the CLI's runs are most of the time.
    let mismatches: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = cases
            .chunks(cases.len().div_ceil(3))
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .filter_map(|(name, file, json, question)| {
                            compare(addr, name, file, json, *question)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(cases.len() > 240, "{} cases", cases.len());
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// `yibao contribution` flags and the same question as the body of `/v1/contribution`.
const CONTRIBUTIONS: [(&str, &str); 7] = [
    (
        "--jurisdiction huaian --year 2026 --category resident --paid-on 2025-11-01",
        r#"{"jurisdiction": "huaian", "year": 2026, "category": "resident", "paid_on": "2025-11-01"}"#,
    ),
    (
        "--jurisdiction huaian --year 2025 --category resident --paid-on 2024-11-01",
        r#"{"jurisdiction": "huaian", "year": 2025, "category": "resident", "paid_on": "2024-11-01"}"#,
    ),
    (
        "--jurisdiction kunshan --year 2021 --category university_student --paid-on 2020-12-10 --at 21:30",
        r#"{"jurisdiction": "kunshan", "year": 2021, "category": "university_student", "paid_on": "2020-12-10", "at": "21:30"}"#,
    ),
    (
        "--jurisdiction kunshan --year 2021 --category unemployed_resident --paid-on 2021-03-01 --transfer",
        r#"{"jurisdiction": "kunshan", "year": 2021, "category": "unemployed_resident", "paid_on": "2021-03-01", "transfer": true}"#,
    ),
    (
        "--jurisdiction kunshan --year 2021 --category university_student --paid-on 2020-11-01",
        r#"{"jurisdiction": "kunshan", "year": 2021, "category": "university_student", "paid_on": "2020-11-01"}"#,
    ),
    (
        "--jurisdiction huaian --year 2031 --category resident --paid-on 2030-11-01",
        r#"{"jurisdiction": "huaian", "year": 2031, "category": "resident", "paid_on": "2030-11-01"}"#,
    ),
    (
        "--jurisdiction huaian --year 2026 --category resident --paid-on 2025-11-01 --at 21:30",
        r#"{"jurisdiction": "huaian", "year": 2026, "category": "resident", "paid_on": "2025-11-01", "at": "21:30"}"#,
    ),
];

#[test]
fn contribution_over_http_is_the_cli_byte_for_byte() {
    let addr = start_server();
    for (flags, body) in CONTRIBUTIONS {
        let cli = Command::new(env!("CARGO_BIN_EXE_yibao"))
            .args(["contribution", "--format", "json"])
            .args(flags.split(' '))
            .output()
            .unwrap();
        let (status, answer) = request(addr, "POST /v1/contribution", body.as_bytes());
        match cli.status.code() {
            Some(0) => {
                assert_eq!(status, 200, "{flags}: {}", String::from_utf8_lossy(&answer));
                assert!(
                    answer == cli.stdout,
                    "{flags}: the answer differs from the CLI's output"
                );
            }
            Some(1) => {
                assert_eq!(status, 422, "{flags}");
                let error: serde_json::Value = serde_json::from_slice(&answer).unwrap();
                let stderr = String::from_utf8(cli.stderr).unwrap();
                let expected = stderr.trim_end().trim_start_matches("yibao: ");
                assert_eq!(error["error"]["message"], expected, "{flags}");
            }
            other => panic!("{flags}: the CLI exited {other:?}"),
        }
    }
}

#[cfg(unix)]
#[test]
fn yibao_serve_requires_its_token_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "t0ken\n").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_yibao"))
        .args(["serve", "--bind", "127.0.0.1:0", "--token-file"])
        .arg(&token)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut log = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    log.read_line(&mut line).unwrap();
    let addr: SocketAddr = line
        .split("address=")
        .nth(1)
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .trim()
        .parse()
        .unwrap();
    assert_eq!(request(addr, "GET /healthz", b"").0, 200);
    assert_eq!(request(addr, "GET /v1/policies", b"").0, 401);
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let mut rest = String::new();
    log.read_to_string(&mut rest).unwrap();
    assert!(rest.contains("shutting down"), "{rest}");
    assert!(!rest.contains("t0ken"), "the token is not logged");
}

#[test]
fn an_empty_token_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_yibao"))
        .args(["serve", "--bind", "127.0.0.1:0", "--token-file"])
        .arg(&token)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("the token file is empty"));
}

/// The fixture of `yibao decide refund`, as JSON for the body of `/v1/decide/refund`.
const REFUND_FIXTURE: &str = "tests/fixtures/refund-paid-2025-11-10.toml";

/// The questions of `yibao catastrophic`, `deadline` and `decide`: the CLI's arguments
/// (`FIXTURE` for the refund's scenario file), the endpoint and the body asking the same
/// (`FIXTURE`: the scenario as JSON).
const ANSWERS: &[(&str, &str, &str)] = &[
    (
        "catastrophic --jurisdiction huaian --year 2026 --burden 150000 --consecutive-years 2 --zero-reimbursement-year 2025",
        "POST /v1/catastrophic",
        r#"{"jurisdiction": "huaian", "year": 2026, "burden": "150000", "consecutive_years": 2, "zero_reimbursement_years": [2025]}"#,
    ),
    (
        "catastrophic --jurisdiction kunshan --year 2021 --burden 90000.50 --class medical_aid_recipient",
        "POST /v1/catastrophic",
        r#"{"jurisdiction": "kunshan", "year": 2021, "burden": "90000.50", "class": "medical_aid_recipient"}"#,
    ),
    (
        "catastrophic --jurisdiction huaian --year 2026 --burden 150000 --consecutive-years 6",
        "POST /v1/catastrophic",
        r#"{"jurisdiction": "huaian", "year": 2026, "burden": "150000", "consecutive_years": 6}"#,
    ),
    (
        "catastrophic --jurisdiction huaian --year 2026 --burden 150000 --re-enrolled-after-lapse",
        "POST /v1/catastrophic",
        r#"{"jurisdiction": "huaian", "year": 2026, "burden": "150000", "re_enrolled_after_lapse": true}"#,
    ),
    (
        "catastrophic --jurisdiction nowhere --year 2026 --burden 1",
        "POST /v1/catastrophic",
        r#"{"jurisdiction": "nowhere", "year": 2026, "burden": "1"}"#,
    ),
    (
        "deadline manual-claim --jurisdiction kunshan --expense-date 2021-05-01 --filed-on 2021-12-31",
        "POST /v1/deadline/manual-claim",
        r#"{"jurisdiction": "kunshan", "expense_date": "2021-05-01", "filed_on": "2021-12-31"}"#,
    ),
    (
        "deadline manual-claim --jurisdiction kunshan --expense-date 2021-05-01 --filed-on 2023-01-01",
        "POST /v1/deadline/manual-claim",
        r#"{"jurisdiction": "kunshan", "expense_date": "2021-05-01", "filed_on": "2023-01-01"}"#,
    ),
    (
        "deadline manual-claim --jurisdiction wujiang --expense-date 2024-12-31",
        "POST /v1/deadline/manual-claim",
        r#"{"jurisdiction": "wujiang", "expense_date": "2024-12-31"}"#,
    ),
    (
        "deadline manual-claim --jurisdiction huaian --expense-date 2026-05-01",
        "POST /v1/deadline/manual-claim",
        r#"{"jurisdiction": "huaian", "expense_date": "2026-05-01"}"#,
    ),
    (
        "deadline approval --jurisdiction wujiang --submitted-on 2024-09-30",
        "POST /v1/deadline/approval",
        r#"{"jurisdiction": "wujiang", "submitted_on": "2024-09-30"}"#,
    ),
    (
        "deadline approval --jurisdiction kunshan --submitted-on 2024-09-30",
        "POST /v1/deadline/approval",
        r#"{"jurisdiction": "kunshan", "submitted_on": "2024-09-30"}"#,
    ),
    (
        "decide refund FIXTURE --reason duplicate_payment --applied-on 2025-12-20",
        "POST /v1/decide/refund?reason=duplicate_payment&applied_on=2025-12-20",
        "FIXTURE",
    ),
    (
        "decide refund FIXTURE --reason other --applied-on 2026-01-01",
        "POST /v1/decide/refund?reason=other&applied_on=2026-01-01",
        "FIXTURE",
    ),
    (
        "decide double-enrolment --jurisdiction huaian --year 2026 --place huaian --existing kunshan:resident:active",
        "POST /v1/decide/double-enrolment",
        r#"{"jurisdiction": "huaian", "year": 2026, "place": "huaian", "existing": [{"place": "kunshan", "scheme": "resident", "status": "active"}]}"#,
    ),
    (
        "decide double-enrolment --jurisdiction huaian --year 2026 --place huaian",
        "POST /v1/decide/double-enrolment",
        r#"{"jurisdiction": "huaian", "year": 2026, "place": "huaian"}"#,
    ),
    (
        "decide family-payment --jurisdiction huaian --year 2026 --relation sibling --purpose medical_costs",
        "POST /v1/decide/family-payment",
        r#"{"jurisdiction": "huaian", "year": 2026, "relation": "sibling", "purpose": "medical_costs"}"#,
    ),
    (
        "decide family-payment --jurisdiction huaian --year 2026 --relation parent --purpose medical_costs --feature family_account --in-another-group",
        "POST /v1/decide/family-payment",
        r#"{"jurisdiction": "huaian", "year": 2026, "relation": "parent", "purpose": "medical_costs", "feature": "family_account", "in_another_group": true}"#,
    ),
    (
        "decide family-payment --jurisdiction kunshan --year 2021 --relation spouse --purpose medical_costs",
        "POST /v1/decide/family-payment",
        r#"{"jurisdiction": "kunshan", "year": 2021, "relation": "spouse", "purpose": "medical_costs"}"#,
    ),
    (
        "decide identity-document --jurisdiction kunshan --year 2021 --document residence_permit --holder hong_kong_macao_taiwan_student",
        "POST /v1/decide/identity-document",
        r#"{"jurisdiction": "kunshan", "year": 2021, "document": "residence_permit", "holder": "hong_kong_macao_taiwan_student"}"#,
    ),
    (
        "decide identity-document --jurisdiction huaian --year 2031 --document resident_id_card --holder newborn",
        "POST /v1/decide/identity-document",
        r#"{"jurisdiction": "huaian", "year": 2031, "document": "resident_id_card", "holder": "newborn"}"#,
    ),
];

#[test]
fn catastrophic_deadlines_and_decisions_over_http_are_the_cli_byte_for_byte() {
    let addr = start_server();
    let fixture = Path::new(ROOT).join(REFUND_FIXTURE);
    let scenario: toml::Value =
        toml::from_str(&std::fs::read_to_string(&fixture).unwrap()).unwrap();
    let scenario = serde_json::to_string(&scenario).unwrap();
    let (mut answered, mut refused) = (0, 0);
    for (command, endpoint, body) in ANSWERS {
        let args = command.replace("FIXTURE", &fixture.display().to_string());
        let cli = Command::new(env!("CARGO_BIN_EXE_yibao"))
            .args(args.split(' '))
            .args(["--format", "json"])
            .output()
            .unwrap();
        let body = body.replace("FIXTURE", &scenario);
        let (status, answer) = request(addr, endpoint, body.as_bytes());
        match cli.status.code() {
            Some(0) => {
                answered += 1;
                assert_eq!(
                    status,
                    200,
                    "{command}: {}",
                    String::from_utf8_lossy(&answer)
                );
                assert!(
                    answer == cli.stdout,
                    "{command}: the answer differs from the CLI's output:\n{}\n{}",
                    String::from_utf8_lossy(&answer),
                    String::from_utf8_lossy(&cli.stdout)
                );
            }
            Some(1) => {
                refused += 1;
                assert_eq!(
                    status,
                    422,
                    "{command}: {}",
                    String::from_utf8_lossy(&answer)
                );
                let error: serde_json::Value = serde_json::from_slice(&answer).unwrap();
                let stderr = String::from_utf8(cli.stderr).unwrap();
                let expected = stderr.trim_end().trim_start_matches("yibao: ");
                assert_eq!(error["error"]["message"], expected, "{command}");
            }
            other => panic!("{command}: the CLI exited {other:?}"),
        }
    }
    // Both kinds are in the table.
    assert!(
        answered >= 12 && refused >= 4,
        "{answered} answered, {refused} refused"
    );
}
