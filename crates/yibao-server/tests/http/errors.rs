//! Bad requests get the error body, the right status and the CLI's words.

use crate::support::{SCENARIO, TestServer};

/// (what is sent, its status, its code, a part of its message, its key path).
const REFUSED: [(&str, u16, &str, &str, Option<&str>); 10] = [
    ("", 422, "invalid_scenario", "request body:1:0: EOF", None),
    (
        "{\"jurisdiction\": \"huaian\", \"ye",
        422,
        "invalid_scenario",
        "EOF",
        None,
    ),
    (
        "{\"a\":",
        422,
        "invalid_scenario",
        "unknown field `a`",
        Some("a"),
    ),
    (
        "[1, 2]",
        422,
        "invalid_scenario",
        "request body:1:2: invalid type",
        Some("[0]"),
    ),
    (
        r#"{"jurisdiction": "huaian", "year": 2026, "person": {}, "claims": [], "extra": 1}"#,
        422,
        "invalid_scenario",
        "unknown field `extra`",
        Some("extra"),
    ),
    (
        r#"{"jurisdiction": "huaian", "year": 2026, "person": {}, "claims": [{"date": "2026-03-01", "kind": "inpatient", "level": "level_2", "amount": "1e400"}]}"#,
        422,
        "invalid_scenario",
        "`1e400` is not an amount in yuan",
        Some("claims[0].amount"),
    ),
    (
        r#"{"jurisdiction": "huaian", "year": 99999999999999999999999, "person": {}}"#,
        422,
        "invalid_scenario",
        "request body:1:58: invalid type: floating point `1e+23`, expected i64",
        Some("year"),
    ),
    (
        r#"{"jurisdiction": "nowhere", "year": 2026, "person": {}}"#,
        422,
        "invalid_scenario",
        "unknown jurisdiction `nowhere`",
        Some("jurisdiction"),
    ),
    (
        r#"{"jurisdiction": "huaian", "year": 2026, "person": {}, "claims": [{"date": "2027-03-01", "kind": "inpatient", "level": "level_2", "amount": "100"}]}"#,
        422,
        "invalid_scenario",
        "2027-03-01",
        Some("claims[0].date"),
    ),
    (
        "\u{feff}{}\u{0}",
        422,
        "invalid_scenario",
        "request body",
        None,
    ),
];

#[test]
fn bad_scenarios_are_refused_with_the_error_body() {
    let server = TestServer::start();
    for (body, status, code, message, path) in REFUSED {
        let answer = server.post("/v1/settle", body.as_bytes());
        assert_eq!(answer.status, status, "{body}: {}", answer.text());
        assert_eq!(answer.error_code(), code, "{body}");
        let error = &answer.json()["error"];
        assert!(
            error["message"].as_str().unwrap().contains(message),
            "{body}: {error}"
        );
        if let Some(path) = path {
            assert_eq!(error["path"], path, "{body}: {error}");
        }
    }
}

#[test]
fn deeply_nested_json_is_refused_not_overflowed() {
    let server = TestServer::start();
    let depth = 20_000;
    let body = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let answer = server.post("/v1/settle", body.as_bytes());
    assert_eq!(answer.status, 422, "{}", answer.text());
    assert_eq!(answer.error_code(), "invalid_scenario");
    // Still serving.
    assert_eq!(server.post("/v1/settle", SCENARIO.as_bytes()).status, 200);
}

#[test]
fn a_value_out_of_range_is_the_clis_line_with_its_place_and_path() {
    let server = TestServer::start();
    let body = r#"{"jurisdiction": "huaian", "year": 2026, "person": {}, "claims": [
        {"date": "2026-03-01", "kind": "inpatient", "level": "level_2", "amount": "99999999999999999"}]}"#;
    let answer = server.post("/v1/settle", body.as_bytes());
    assert_eq!(answer.status, 422, "{}", answer.text());
    let error = &answer.json()["error"];
    assert_eq!(
        error["message"],
        "request body:2:101: `99999999999999999` is above the largest amount the engine accepts (1000000000000.00 yuan) (at `claims[0].amount`)"
    );
    assert_eq!(
        error["message_zh"],
        "request body:2:101: `99999999999999999` 超出本系统可处理的最大金额（1000000000000.00 元）（位置 `claims[0].amount`）"
    );
    assert_eq!(error["path"], "claims[0].amount");
}

/// (method and target, status, code).
const WRONG_REQUESTS: [(&str, u16, &str); 8] = [
    ("GET /nowhere", 404, "not_found"),
    ("GET /v1/settle", 405, "method_not_allowed"),
    ("DELETE /v1/policies", 405, "method_not_allowed"),
    ("GET /v1/policies/huaian/2031", 404, "unknown_book"),
    ("GET /v1/policies/nowhere/2026", 404, "unknown_book"),
    ("GET /v1/policies/huaian/twenty", 400, "invalid_parameter"),
    (
        "GET /v1/policies/huaian/2026?section=nothing",
        400,
        "invalid_parameter",
    ),
    (
        "GET /v1/policies/huaian/2026?sectoin=benefits",
        400,
        "invalid_parameter",
    ),
];

#[test]
fn wrong_paths_methods_and_parameters() {
    let server = TestServer::start();
    for (request, status, code) in WRONG_REQUESTS {
        let answer = server
            .raw(format!("{request} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").as_bytes());
        assert_eq!(answer.status, status, "{request}: {}", answer.text());
        assert_eq!(answer.error_code(), code, "{request}");
    }
    for query in ["explain=maybe", "format=xml", "lang=fr", "unknown=1"] {
        let answer = server.post(&format!("/v1/settle?{query}"), SCENARIO.as_bytes());
        assert_eq!(answer.status, 400, "{query}: {}", answer.text());
        assert_eq!(answer.error_code(), "invalid_parameter", "{query}");
    }
}

#[test]
fn a_malformed_request_line_is_refused_by_the_protocol() {
    let server = TestServer::start();
    let answer = server.raw(b"NOT HTTP AT ALL\r\n\r\n");
    assert_eq!(answer.status, 400);
    assert_eq!(server.get("/healthz", "").status, 200);
}
