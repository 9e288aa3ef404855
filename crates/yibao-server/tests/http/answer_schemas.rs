//! The OpenAPI document's answer schemas against real answers, one table: every endpoint
//! that answers JSON, asked with the bodies of the other tests (every example and scenario of
//! the suite where it reads a scenario, the bodies of the CLI's byte-for-byte table), each
//! 200 answer validated against the schema the document gives for it, its `$ref`s resolved
//! into the document's `components`. The schemas' objects are closed: a field written
//! without its schema fails here.

use std::path::Path;

use serde_json::{Value, json};

use crate::support::{SCENARIO, TestServer};

/// (method, path and query, body). In a body, `SCENARIO` stands for every example and
/// every scenario of the suite, `PAID` for a resident who paid for 2026 in the window,
/// `FILED` for a referral approved.
const CASES: &[(&str, &str, &str)] = &[
    ("post", "/v1/settle", "SCENARIO"),
    ("post", "/v1/settle?explain=false", "SCENARIO"),
    ("post", "/v1/cover", "SCENARIO"),
    ("post", "/v1/cover", "PAID"),
    ("post", "/v1/filing", "SCENARIO"),
    (
        "post",
        "/v1/filing?as_of=2021-04-01&care_at=shanghai",
        "FILED",
    ),
    (
        "post",
        "/v1/filing?as_of=2026-04-01&care_at=zhejiang/hangzhou&emergency=true",
        "PAID",
    ),
    (
        "post",
        "/v1/contribution",
        r#"{"jurisdiction": "huaian", "year": 2026, "category": "resident", "paid_on": "2025-11-01"}"#,
    ),
    (
        "post",
        "/v1/contribution",
        r#"{"jurisdiction": "kunshan", "year": 2021, "category": "university_student", "paid_on": "2020-12-10", "at": "21:30"}"#,
    ),
    (
        "post",
        "/v1/catastrophic",
        r#"{"jurisdiction": "huaian", "year": 2026, "burden": "150000", "consecutive_years": 2, "zero_reimbursement_years": [2025]}"#,
    ),
    (
        "post",
        "/v1/catastrophic",
        r#"{"jurisdiction": "huaian", "year": 2026, "burden": "700000", "class": "medical_aid_recipient"}"#,
    ),
    (
        "post",
        "/v1/deadline/manual-claim",
        r#"{"jurisdiction": "kunshan", "expense_date": "2021-05-01", "filed_on": "2021-12-31"}"#,
    ),
    (
        "post",
        "/v1/deadline/manual-claim",
        r#"{"jurisdiction": "kunshan", "expense_date": "2021-05-01", "filed_on": "2023-01-01"}"#,
    ),
    (
        "post",
        "/v1/deadline/manual-claim",
        r#"{"jurisdiction": "wujiang", "expense_date": "2024-12-31"}"#,
    ),
    (
        "post",
        "/v1/deadline/approval",
        r#"{"jurisdiction": "wujiang", "submitted_on": "2024-09-30"}"#,
    ),
    (
        "post",
        "/v1/deadline/approval",
        r#"{"jurisdiction": "kunshan", "submitted_on": "2021-09-30"}"#,
    ),
    (
        "post",
        "/v1/decide/refund?reason=duplicate_payment&applied_on=2025-12-20",
        "PAID",
    ),
    (
        "post",
        "/v1/decide/refund?reason=other&applied_on=2026-01-01",
        "PAID",
    ),
    (
        "post",
        "/v1/decide/double-enrolment",
        r#"{"jurisdiction": "huaian", "year": 2026, "place": "huaian", "existing": [{"place": "kunshan", "scheme": "resident", "status": "active"}]}"#,
    ),
    (
        "post",
        "/v1/decide/double-enrolment",
        r#"{"jurisdiction": "huaian", "year": 2026, "place": "huaian"}"#,
    ),
    (
        "post",
        "/v1/decide/family-payment",
        r#"{"jurisdiction": "huaian", "year": 2026, "relation": "sibling", "purpose": "medical_costs"}"#,
    ),
    (
        "post",
        "/v1/decide/family-payment",
        r#"{"jurisdiction": "huaian", "year": 2026, "relation": "parent", "purpose": "medical_costs", "feature": "family_account", "in_another_group": true}"#,
    ),
    (
        "post",
        "/v1/decide/identity-document",
        r#"{"jurisdiction": "kunshan", "year": 2021, "document": "residence_permit", "holder": "hong_kong_macao_taiwan_student"}"#,
    ),
    ("get", "/v1/policies", ""),
    ("get", "/v1/policies/huaian/2026", ""),
    ("get", "/v1/policies/kunshan/2021?section=benefits", ""),
];

/// A Huai'an resident who paid for 2026 in the collection window.
const PAID: &str = r#"{"jurisdiction": "huaian", "year": 2026,
  "person": {"id": "T-2", "born": "1970-05-01", "category": "resident"},
  "enrolment": [{"on": "2025-11-10", "event": "payment", "year": 2026}]}"#;

/// A referral to Shanghai, submitted and approved.
const FILED: &str = r#"{"jurisdiction": "kunshan", "year": 2021, "person": {"id": "T-3"},
  "filings": [
    {"filing": "f1", "on": "2021-03-01", "kind": {"submitted": {"filing_type": "referral",
      "area": "shanghai", "start": "2021-03-10", "basis": {"materials": {"document": "no_expiry"}}}}},
    {"filing": "f1", "on": "2021-03-02", "kind": "approved"}]}"#;

/// The validator of the 200 response of `method path` in `document`.
fn response_validator(document: &Value, path: &str, method: &str) -> jsonschema::Validator {
    let schema = &document["paths"][path][method]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    assert!(schema.is_object(), "{method} {path}: no 200 JSON schema");
    assert!(
        schema.get("$ref").is_some(),
        "{method} {path}: the 200 answer is not a generated schema: {schema}"
    );
    let mut root = schema.clone();
    root["components"] = document["components"].clone();
    jsonschema::draft202012::new(&root).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

/// The path of the document that `target` (a path and a query) asks: its own, or a
/// templated one whose `{parameter}` segments match.
fn documented_path(document: &Value, target: &str) -> String {
    let asked = target.split('?').next().unwrap_or_default();
    let segments: Vec<&str> = asked.split('/').collect();
    let matches = |path: &str| {
        let pattern: Vec<&str> = path.split('/').collect();
        pattern.len() == segments.len()
            && pattern
                .iter()
                .zip(&segments)
                .all(|(p, s)| p == s || p.starts_with('{'))
    };
    let paths = document["paths"].as_object().unwrap();
    if paths.contains_key(asked) {
        return asked.to_owned();
    }
    paths
        .keys()
        .find(|path| matches(path))
        .unwrap_or_else(|| panic!("{target}: not a path of the document"))
        .clone()
}

fn toml_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

/// Every example of the project, then every scenario of the suite (its `[scenario]`), as
/// a JSON body.
fn scenarios() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let read = |p: &Path| -> toml::Value {
        toml::from_str(&std::fs::read_to_string(p).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    };
    let examples = toml_files(&root.join("examples"))
        .into_iter()
        .map(|p| (p.display().to_string(), read(&p)));
    let suite = toml_files(&root.join("tests/scenarios"))
        .into_iter()
        .filter_map(|p| Some((p.display().to_string(), read(&p).get("scenario")?.clone())));
    examples
        .chain(suite)
        .map(|(name, scenario)| (name, serde_json::to_string(&scenario).unwrap()))
        .collect()
}

/// The bodies of a case, named, its placeholders replaced.
fn bodies(body: &str, scenarios: &[(String, String)]) -> Vec<(String, String)> {
    match body {
        "SCENARIO" => scenarios.to_vec(),
        "PAID" => vec![("PAID".to_owned(), PAID.to_owned())],
        "FILED" => vec![("FILED".to_owned(), FILED.to_owned())],
        _ => vec![(body.to_owned(), body.to_owned())],
    }
}

/// The fewest 200 answers each path must give: a scenario-reading one answers many.
fn fewest(path: &str) -> usize {
    match path {
        "/v1/settle" => 55,
        "/v1/cover" => 20,
        "/v1/filing" => 40,
        _ => 1,
    }
}

#[test]
fn every_answer_is_valid_against_the_documented_schema() {
    let server = TestServer::start();
    let document = server.get("/v1/openapi.json", "").json();
    let scenarios = scenarios();
    assert!(scenarios.len() > 60, "{} scenarios", scenarios.len());
    let mut answered = std::collections::BTreeMap::<String, usize>::new();
    let mut failures = Vec::new();
    for (method, target, case_body) in CASES {
        let path = documented_path(&document, target);
        let validator = response_validator(&document, &path, method);
        for (name, body) in bodies(case_body, &scenarios) {
            let answer = match *method {
                "get" => server.get(target, ""),
                _ => server.post(target, body.as_bytes()),
            };
            if answer.status != 200 {
                // Some scenarios of the suite have no cover or are refused on purpose.
                assert_eq!(*case_body, "SCENARIO", "{target} {name}: {}", answer.text());
                continue;
            }
            *answered.entry(path.clone()).or_default() += 1;
            let found: Vec<String> = validator
                .iter_errors(&answer.json())
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            if !found.is_empty() {
                failures.push(format!("{target} {name}:\n  {}", found.join("\n  ")));
            }
        }
    }
    for (path, count) in &answered {
        assert!(*count >= fewest(path), "{path}: {count} answers");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every path of the document that answers JSON with 200 is in the table.
#[test]
fn the_table_asks_every_json_answer_of_the_document() {
    let server = TestServer::start();
    let document = server.get("/v1/openapi.json", "").json();
    let paths = document["paths"].as_object().unwrap();
    for (path, item) in paths {
        for (method, operation) in item.as_object().unwrap() {
            let json = &operation["responses"]["200"]["content"]["application/json"];
            if json.is_null() || path == "/v1/openapi.json" {
                continue;
            }
            assert!(
                CASES
                    .iter()
                    .any(|(m, t, _)| m == method && documented_path(&document, t) == *path),
                "{method} {path}: not in the table"
            );
        }
    }
}

/// The schemas are closed: an answer with a field added at the top, or inside, is refused.
#[test]
fn a_field_added_is_refused() {
    let server = TestServer::start();
    let document = server.get("/v1/openapi.json", "").json();
    let settle = response_validator(&document, "/v1/settle", "post");
    let mut answer = server.post("/v1/settle", SCENARIO.as_bytes()).json();
    assert!(settle.is_valid(&answer), "{answer}");
    answer["extra"] = json!(true);
    assert!(!settle.is_valid(&answer), "a field added is refused");
    let approval = response_validator(&document, "/v1/deadline/approval", "post");
    let mut answer = server
        .post(
            "/v1/deadline/approval",
            br#"{"jurisdiction": "wujiang", "submitted_on": "2024-09-30"}"#,
        )
        .json();
    assert!(approval.is_valid(&answer), "{answer}");
    answer["policy_data"]["extra"] = json!(true);
    assert!(
        !approval.is_valid(&answer),
        "a field added inside is refused"
    );
    let books = response_validator(&document, "/v1/policies", "get");
    let mut answer = server.get("/v1/policies", "").json();
    assert!(books.is_valid(&answer), "{answer}");
    answer[0]["extra"] = json!(true);
    assert!(
        !books.is_valid(&answer),
        "a field added in a book is refused"
    );
}
