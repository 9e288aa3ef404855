//! The catastrophic, deadline and decision questions: each endpoint answers a good body,
//! refuses a bad one with the error body at its key path, and needs the token when the
//! server has one. (That each answer is the CLI's bytes is tested in the CLI's tests,
//! `crates/yibao-cli/tests/serve.rs`.)

use crate::support::{TestServer, test_limits};

/// A Huai'an resident who paid for 2026 in the collection window (cover from 2026-01-01).
const PAID: &str = r#"{"jurisdiction": "huaian", "year": 2026,
  "person": {"born": "1980-01-01", "category": "resident"},
  "enrolment": [{"on": "2025-11-10", "event": "payment", "year": 2026}]}"#;

/// (endpoint, a body it answers, a field of the answer and its value).
const ANSWERED: &[(&str, &str, &str, &str)] = &[
    (
        "/v1/catastrophic",
        r#"{"jurisdiction": "huaian", "year": 2026, "burden": "150000"}"#,
        "/jurisdiction",
        "huaian",
    ),
    (
        "/v1/deadline/manual-claim",
        r#"{"jurisdiction": "kunshan", "expense_date": "2021-05-01", "filed_on": "2023-01-01"}"#,
        "/timing/status",
        "closed",
    ),
    (
        "/v1/deadline/approval",
        r#"{"jurisdiction": "wujiang", "submitted_on": "2024-09-30"}"#,
        "/decision_due",
        "2024-10-09",
    ),
    (
        "/v1/decide/refund?reason=duplicate_payment&applied_on=2025-12-20",
        PAID,
        "/decision/verdict",
        "allowed",
    ),
    (
        "/v1/decide/double-enrolment",
        r#"{"jurisdiction": "huaian", "year": 2026, "place": "huaian", "existing": [{"place": "kunshan", "scheme": "resident", "status": "active"}]}"#,
        "/decision/verdict",
        "refused",
    ),
    (
        "/v1/decide/family-payment",
        r#"{"jurisdiction": "huaian", "year": 2026, "relation": "sibling", "purpose": "resident_contribution"}"#,
        "/decision/verdict",
        "allowed",
    ),
    (
        "/v1/decide/identity-document",
        r#"{"jurisdiction": "kunshan", "year": 2021, "document": "residence_permit", "holder": "hong_kong_macao_taiwan_student"}"#,
        "/decision/verdict",
        "allowed",
    ),
];

#[test]
fn each_question_is_answered() {
    let server = TestServer::start();
    for (endpoint, body, field, value) in ANSWERED {
        let answer = server.post(endpoint, body.as_bytes());
        assert_eq!(answer.status, 200, "{endpoint}: {}", answer.text());
        assert_eq!(answer.header("content-type"), Some("application/json"));
        assert_eq!(
            answer.json().pointer(field).and_then(|v| v.as_str()),
            Some(*value),
            "{endpoint}"
        );
    }
}

/// (endpoint, a body, the status, the code, the key path of the refusal).
const REFUSED: &[(&str, &str, u16, &str, Option<&str>)] = &[
    ("/v1/catastrophic", "{", 422, "invalid_question", None),
    (
        "/v1/catastrophic",
        r#"{"jurisdiction": "huaian", "year": 2026}"#,
        422,
        "invalid_question",
        None,
    ),
    (
        "/v1/catastrophic",
        r#"{"jurisdiction": "huaian", "year": 2026, "burden": "1e9"}"#,
        422,
        "invalid_question",
        Some("burden"),
    ),
    (
        "/v1/catastrophic",
        r#"{"jurisdiction": "huaian", "year": 3000, "burden": "1"}"#,
        422,
        "invalid_question",
        Some("year"),
    ),
    (
        "/v1/catastrophic",
        r#"{"jurisdiction": "huaian", "year": 2026, "burden": "1", "class": "vip"}"#,
        422,
        "invalid_question",
        Some("class"),
    ),
    (
        "/v1/catastrophic",
        r#"{"jurisdiction": "huaian", "year": 2026, "burden": "1", "re_enrolled_after_lapse": true, "consecutive_years": 2}"#,
        422,
        "invalid_question",
        Some("consecutive_years"),
    ),
    (
        "/v1/catastrophic",
        r#"{"jurisdiction": "huaian", "year": 2026, "burden": "1", "zero_reimbursement_years": [2025, 1]}"#,
        422,
        "invalid_question",
        Some("zero_reimbursement_years[1]"),
    ),
    (
        "/v1/catastrophic",
        r#"{"jurisdiction": "huaian", "year": 2026, "burden": "1", "salary": 1}"#,
        422,
        "invalid_question",
        Some("salary"),
    ),
    (
        "/v1/catastrophic",
        r#"{"jurisdiction": "nowhere", "year": 2026, "burden": "1"}"#,
        422,
        "invalid_question",
        None,
    ),
    (
        "/v1/deadline/manual-claim",
        r#"{"jurisdiction": "kunshan", "expense_date": "2021-02-30"}"#,
        422,
        "invalid_question",
        Some("expense_date"),
    ),
    (
        "/v1/deadline/manual-claim",
        r#"{"jurisdiction": "kunshan", "expense_date": "2021-05-01", "filed_on": "soon"}"#,
        422,
        "invalid_question",
        Some("filed_on"),
    ),
    (
        "/v1/deadline/manual-claim",
        r#"{"jurisdiction": "huaian", "expense_date": "2026-05-01"}"#,
        422,
        "invalid_question",
        None,
    ),
    (
        "/v1/deadline/approval",
        r#"{"jurisdiction": "wujiang"}"#,
        422,
        "invalid_question",
        None,
    ),
    (
        "/v1/deadline/approval",
        r#"{"jurisdiction": "kunshan", "submitted_on": "2024-09-30"}"#,
        422,
        "invalid_question",
        None,
    ),
    (
        "/v1/decide/refund?reason=whim&applied_on=2025-12-20",
        PAID,
        400,
        "invalid_parameter",
        None,
    ),
    (
        "/v1/decide/refund?reason=other&applied_on=2025-13-01",
        PAID,
        400,
        "invalid_parameter",
        None,
    ),
    (
        "/v1/decide/refund?reason=other",
        PAID,
        400,
        "invalid_parameter",
        None,
    ),
    (
        "/v1/decide/refund?reason=other&applied_on=2025-12-20",
        r#"{"jurisdiction": "huaian", "year": 2026, "person": {}}"#,
        422,
        "invalid_scenario",
        Some("enrolment"),
    ),
    (
        "/v1/decide/double-enrolment",
        r#"{"jurisdiction": "huaian", "year": 2026, "place": "huaian", "existing": [{"place": "kunshan", "scheme": "resident", "status": "gone"}]}"#,
        422,
        "invalid_question",
        Some("existing[0].status"),
    ),
    (
        "/v1/decide/double-enrolment",
        r#"{"jurisdiction": "huaian", "year": 2026, "place": "huaian", "existing": [{"place": "", "scheme": "resident", "status": "active"}]}"#,
        422,
        "invalid_question",
        Some("existing[0].place"),
    ),
    (
        "/v1/decide/family-payment",
        r#"{"jurisdiction": "huaian", "year": 2026, "relation": "cousin", "purpose": "medical_costs"}"#,
        422,
        "invalid_question",
        Some("relation"),
    ),
    (
        "/v1/decide/family-payment",
        r#"{"jurisdiction": "huaian", "year": 2026, "relation": "spouse", "purpose": "medical_costs", "feature": "card"}"#,
        422,
        "invalid_question",
        Some("feature"),
    ),
    (
        "/v1/decide/identity-document",
        r#"{"jurisdiction": "huaian", "year": 2031, "document": "resident_id_card", "holder": "newborn"}"#,
        422,
        "invalid_question",
        None,
    ),
    (
        "/v1/decide/identity-document",
        r#"{"jurisdiction": "huaian", "year": 2026, "document": "passport", "holder": "newborn"}"#,
        422,
        "invalid_question",
        Some("document"),
    ),
];

#[test]
fn each_refusal_is_an_error_body_at_its_key_path() {
    let server = TestServer::start();
    for (endpoint, body, status, code, path) in REFUSED {
        let answer = server.post(endpoint, body.as_bytes());
        assert_eq!(
            answer.status,
            *status,
            "{endpoint} {body}: {}",
            answer.text()
        );
        assert_eq!(answer.error_code(), *code, "{endpoint} {body}");
        assert_eq!(
            answer.json()["error"]["path"].as_str(),
            *path,
            "{endpoint} {body}"
        );
    }
}

#[test]
fn each_question_needs_the_token() {
    let server = TestServer::with(test_limits(), Some("s3cret\n"));
    for (endpoint, body, _, _) in ANSWERED {
        let refused = server.post(endpoint, body.as_bytes());
        assert_eq!(refused.status, 401, "{endpoint}");
        assert_eq!(refused.error_code(), "unauthorized");
        let answered = server.post_with(
            endpoint,
            "Authorization: Bearer s3cret\r\n",
            body.as_bytes(),
        );
        assert_eq!(answered.status, 200, "{endpoint}: {}", answered.text());
    }
}
