//! Every endpoint answers what it says.

use crate::support::{SCENARIO, TestServer};

#[test]
fn health_and_readiness() {
    let server = TestServer::start();
    let health = server.get("/healthz", "");
    assert_eq!((health.status, health.text().as_str()), (200, "ok\n"));
    let ready = server.get("/readyz", "");
    assert_eq!((ready.status, ready.text().as_str()), (200, "ready\n"));
}

#[test]
fn settle_answers_the_report_with_a_request_id() {
    let server = TestServer::start();
    let answer = server.post("/v1/settle", SCENARIO.as_bytes());
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.header("content-type"), Some("application/json"));
    assert!(answer.header("x-request-id").is_some());
    let report = answer.json();
    assert_eq!(report["person"], "T-1");
    // Level 2, 10,000: deductible 600, (10,000 − 600) × 75% = 7,050 (H14).
    assert_eq!(report["totals"]["basic_fund"], "7050.00");
    assert!(!report["claims"][0]["steps"].as_array().unwrap().is_empty());
    assert!(answer.text().ends_with("}\n"));
}

#[test]
fn settle_figures_only_and_the_platform_form() {
    let server = TestServer::start();
    let figures = server.post("/v1/settle?explain=false&lang=zh", SCENARIO.as_bytes());
    assert_eq!(figures.status, 200, "{}", figures.text());
    let report = figures.json();
    assert_eq!(report["totals"]["basic_fund"], "7050.00");
    assert!(report["claims"][0]["steps"].as_array().unwrap().is_empty());
    let nhsa = server.post("/v1/settle?format=nhsa", SCENARIO.as_bytes());
    assert_eq!(nhsa.status, 200, "{}", nhsa.text());
    assert_eq!(nhsa.json()[0]["status"], "settled");
}

#[test]
fn policies_list_every_book() {
    let server = TestServer::start();
    let answer = server.get("/v1/policies", "");
    assert_eq!(answer.status, 200);
    let books = answer.json();
    let books = books.as_array().unwrap();
    assert!(books.iter().any(|b| b["jurisdiction"] == "huaian"
        && b["year"] == 2026
        && b["sections"]["benefits"] == "present"));
}

#[test]
fn one_book_with_its_values_and_a_section() {
    let server = TestServer::start();
    let all = server.get("/v1/policies/huaian/2026", "").json();
    let section = server
        .get("/v1/policies/huaian/2026?section=benefits", "")
        .json();
    let (all, section) = (all.as_array().unwrap(), section.as_array().unwrap());
    assert!(section.len() < all.len() && !section.is_empty());
    let cap = section
        .iter()
        .find(|v| v["key"] == "benefits.inpatient.annual_fund_cap")
        .unwrap();
    assert_eq!(cap["value"], "240000");
    assert_eq!(cap["set_by"], "huaian");
    assert!(
        section
            .iter()
            .all(|v| v["key"].as_str().unwrap().starts_with("benefits."))
    );
}

#[test]
fn the_openapi_document_names_every_endpoint() {
    let server = TestServer::start();
    let answer = server.get("/v1/openapi.json", "");
    assert_eq!(answer.status, 200);
    let document = answer.json();
    assert_eq!(document["openapi"], "3.1.0");
    for path in [
        "/v1/settle",
        "/v1/settle-batch",
        "/v1/cover",
        "/v1/filing",
        "/v1/contribution",
        "/v1/catastrophic",
        "/v1/deadline/manual-claim",
        "/v1/deadline/approval",
        "/v1/decide/refund",
        "/v1/decide/double-enrolment",
        "/v1/decide/family-payment",
        "/v1/decide/identity-document",
        "/v1/policies",
        "/v1/policies/{jurisdiction}/{year}",
        "/v1/openapi.json",
        "/healthz",
        "/readyz",
        "/metrics",
    ] {
        assert!(document["paths"].get(path).is_some(), "{path}");
    }
    // The scenario's schema is inside, and its references resolve inside the document.
    let scenario = &document["components"]["schemas"]["Scenario"];
    assert!(scenario["$defs"]["person"].is_object());
    assert_eq!(
        scenario["properties"]["person"]["$ref"],
        "#/components/schemas/Scenario/$defs/person"
    );
}

#[test]
fn metrics_count_requests_latencies_and_errors_by_kind() {
    let server = TestServer::start();
    server.post("/v1/settle", SCENARIO.as_bytes());
    server.post("/v1/settle", b"{");
    server.get("/nowhere", "");
    let answer = server.get("/metrics", "");
    assert_eq!(answer.status, 200);
    let text = answer.text();
    for line in [
        "yibao_requests_total{route=\"/v1/settle\",status=\"200\"} 1",
        "yibao_requests_total{route=\"/v1/settle\",status=\"422\"} 1",
        "yibao_requests_total{route=\"unmatched\",status=\"404\"} 1",
        "yibao_request_seconds_count{route=\"/v1/settle\"} 2",
        "yibao_errors_total{kind=\"invalid_scenario\"} 1",
        "yibao_errors_total{kind=\"not_found\"} 1",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} not in\n{text}");
    }
}

/// A year paid in the collection window.
const WITH_HISTORY: &str = r#"{"jurisdiction": "huaian", "year": 2026,
  "person": {"id": "T-2", "born": "1970-05-01", "category": "resident"},
  "enrolment": [{"on": "2025-10-01", "event": "payment", "year": 2026}]}"#;

/// A referral to Shanghai, submitted and approved.
const FILED: &str = r#"{"jurisdiction": "kunshan", "year": 2021, "person": {"id": "T-3"},
  "filings": [
    {"filing": "f1", "on": "2021-03-01", "kind": {"submitted": {"filing_type": "referral",
      "area": "shanghai", "start": "2021-03-10", "basis": {"materials": {"document": "no_expiry"}}}}},
    {"filing": "f1", "on": "2021-03-02", "kind": "approved"}]}"#;

#[test]
fn cover_from_the_enrolment_history() {
    let server = TestServer::start();
    let answer = server.post("/v1/cover", WITH_HISTORY.as_bytes());
    assert_eq!(answer.status, 200, "{}", answer.text());
    let report = answer.json();
    assert_eq!(
        report["cover"]["periods"][0]["range"]["start"],
        "2026-01-01"
    );
    let refused = server.post("/v1/cover", SCENARIO.as_bytes());
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert_eq!(refused.error_code(), "invalid_scenario");
}

#[test]
fn filing_on_a_day_and_care_at_a_place() {
    let server = TestServer::start();
    let answer = server.post(
        "/v1/filing?as_of=2021-04-01&care_at=shanghai",
        FILED.as_bytes(),
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    let report = answer.json();
    assert!(report.get("register").is_some(), "{report}");
    for query in [
        "as_of=2026-02-30",
        "care_at=",
        "emergency=true",
        "as_of=yesterday",
    ] {
        let answer = server.post(&format!("/v1/filing?{query}"), FILED.as_bytes());
        assert_eq!(answer.status, 400, "{query}: {}", answer.text());
        assert_eq!(answer.error_code(), "invalid_parameter", "{query}");
    }
}

#[test]
fn contribution_and_its_refusals() {
    let server = TestServer::start();
    let body = r#"{"jurisdiction": "huaian", "year": 2026, "category": "resident", "paid_on": "2025-11-01"}"#;
    let answer = server.post("/v1/contribution", body.as_bytes());
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.json()["contribution"]["individual"], "440.00");
    /// (body, the key path of the refusal).
    const REFUSED: [(&str, Option<&str>); 5] = [
        (
            r#"{"jurisdiction": "huaian", "year": 2026, "category": "resident"}"#,
            None,
        ),
        (
            r#"{"jurisdiction": "huaian", "year": 2026, "category": "resident", "paid_on": "2025-11-31"}"#,
            Some("paid_on"),
        ),
        (
            r#"{"jurisdiction": "huaian", "year": 2026, "category": "resident", "paid_on": "2025-11-01", "at": "25:00"}"#,
            Some("at"),
        ),
        (
            r#"{"jurisdiction": "huaian", "year": 2026, "category": "nobody", "paid_on": "2025-11-01"}"#,
            None,
        ),
        (
            r#"{"jurisdiction": "huaian", "year": 2026, "category": "resident", "paid_on": "2025-11-01", "salary": 1}"#,
            Some("salary"),
        ),
    ];
    for (body, path) in REFUSED {
        let answer = server.post("/v1/contribution", body.as_bytes());
        assert_eq!(answer.status, 422, "{body}: {}", answer.text());
        assert_eq!(answer.error_code(), "invalid_question", "{body}");
        assert_eq!(answer.json()["error"]["path"].as_str(), path, "{body}");
    }
}

#[test]
fn settle_batch_streams_one_line_per_person_in_order() {
    let server = TestServer::start();
    let one_line = |s: &str| s.replace('\n', " ");
    let body = format!(
        "{}\n{{\"jurisdiction\": \"nowhere\", \"year\": 2026, \"person\": {{}}}}\n\n{}\n",
        one_line(SCENARIO),
        one_line(SCENARIO)
    );
    let answer = server.post("/v1/settle-batch", body.as_bytes());
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.header("content-type"), Some("application/x-ndjson"));
    let text = answer.text();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{text}");
    let single = server
        .post("/v1/settle?explain=false", SCENARIO.as_bytes())
        .json();
    assert_eq!(
        (&lines[0]["line"], &lines[0]["report"]),
        (&1.into(), &single)
    );
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["error"]["code"], "invalid_scenario");
    assert_eq!(lines[1]["error"]["path"], "jurisdiction");
    assert!(
        lines[1]["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("request body line 2:1:1: unknown jurisdiction")
    );
    assert_eq!(
        (&lines[2]["line"], &lines[2]["report"]),
        (&4.into(), &single)
    );
    // Over the configured number of persons (5 in the tests).
    let six = format!("{}\n", one_line(SCENARIO)).repeat(6);
    let refused = server.post("/v1/settle-batch", six.as_bytes());
    assert_eq!(refused.status, 413, "{}", refused.text());
    assert_eq!(refused.error_code(), "too_many_persons");
}
