//! The OpenAPI document's answer schemas against real answers: `/v1/settle` of every example
//! validates against the schema the document gives for its 200 response, its `$ref`s
//! resolved into the document's `components`.

use std::path::Path;

use serde_json::{Value, json};

use crate::support::TestServer;

/// The validator of the 200 response of `method path` in `document`.
fn response_validator(document: &Value, path: &str, method: &str) -> jsonschema::Validator {
    let schema = &document["paths"][path][method]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    assert!(schema.is_object(), "{method} {path}: no 200 JSON schema");
    let mut root = schema.clone();
    root["components"] = document["components"].clone();
    jsonschema::draft202012::new(&root).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

/// Every example of the project, as the JSON body of `/v1/settle`.
fn examples() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut bodies: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            let scenario: toml::Value = toml::from_str(&std::fs::read_to_string(&p).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let body = serde_json::to_vec(&scenario).unwrap();
            (p.display().to_string(), body)
        })
        .collect();
    bodies.sort();
    bodies
}

#[test]
fn the_settlement_answers_are_valid_against_the_documented_schema() {
    let server = TestServer::start();
    let document = server.get("/v1/openapi.json", "").json();
    let validator = response_validator(&document, "/v1/settle", "post");
    let examples = examples();
    assert!(examples.len() >= 3, "{} examples", examples.len());
    for (name, body) in &examples {
        for query in ["", "?explain=false"] {
            let answer = server.post(&format!("/v1/settle{query}"), body);
            assert_eq!(answer.status, 200, "{name}{query}");
            let answer = answer.json();
            let errors: Vec<String> = validator
                .iter_errors(&answer)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{name}{query}:\n{}", errors.join("\n"));
        }
    }
    let mut widened = examples_answer(&server, &examples);
    widened["extra"] = json!(true);
    assert!(!validator.is_valid(&widened), "a field added is refused");
}

fn examples_answer(server: &TestServer, examples: &[(String, Vec<u8>)]) -> Value {
    server.post("/v1/settle", &examples[0].1).json()
}
