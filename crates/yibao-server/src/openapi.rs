//! `GET /v1/openapi.json`: the OpenAPI 3.1 document of the service, made when the server
//! starts from the endpoint table below and from the types' own schemas: the request body
//! of `/v1/settle` is the scenario's JSON Schema as the library ships it
//! ([`yibao::scenario::JSON_SCHEMA`], what `yibao schema scenario` prints), and the error
//! codes are [`ErrorCode`]'s.

use serde_json::{Value, json};

use crate::error::ErrorCode;

/// Every error code, for the document's enum.
const ERROR_CODES: [ErrorCode; 14] = [
    ErrorCode::TooManyPersons,
    ErrorCode::InvalidScenario,
    ErrorCode::InvalidQuestion,
    ErrorCode::InvalidParameter,
    ErrorCode::UnknownBook,
    ErrorCode::BodyTooLarge,
    ErrorCode::BodyTimeout,
    ErrorCode::BodyUnreadable,
    ErrorCode::Unauthorized,
    ErrorCode::NotFound,
    ErrorCode::MethodNotAllowed,
    ErrorCode::Overloaded,
    ErrorCode::Timeout,
    ErrorCode::Internal,
];

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    })
}

fn json_response(description: &str, schema: &Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

fn text_response(description: &str) -> Value {
    json!({"description": description, "content": {"text/plain": {"schema": {"type": "string"}}}})
}

fn query(name: &str, description: &str, schema: &Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema})
}

fn settle_path() -> Value {
    json!({"post": {
        "operationId": "settle",
        "summary": "Settle one person's year: the bytes of `yibao settle --format json`.",
        "parameters": [
            query("explain", "Each claim's steps with their rules (default true, as the CLI's JSON).", &json!({"type": "boolean", "default": true})),
            query("lang", "Taken and unused: JSON field names and codes are stable English.", &json!({"type": "string", "enum": ["en", "zh"]})),
            query("format", "`json`: the settlement report; `nhsa`: the national platform's settlement fields.", &json!({"type": "string", "enum": ["json", "nhsa"], "default": "json"})),
        ],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Scenario"}}}},
        "responses": {
            "200": json_response("The settlement report.", &json!({"type": "object"})),
            "400": error_response("A query parameter or the body could not be read."),
            "408": error_response("The body did not arrive in time."),
            "413": error_response("The body is over the limit."),
            "422": error_response("The scenario is refused, with the CLI's message and the key path."),
            "503": error_response("Overloaded or timed out: try again later."),
        }
    }})
}

fn question_path(id: &str, summary: &str, parameters: &[Value]) -> Value {
    json!({"post": {
        "operationId": id,
        "summary": summary,
        "parameters": parameters,
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Scenario"}}}},
        "responses": {
            "200": json_response("The answer.", &json!({"type": "object"})),
            "400": error_response("A query parameter or the body could not be read."),
            "413": error_response("The body is over the limit."),
            "422": error_response("The scenario is refused, with the CLI's message and the key path."),
            "503": error_response("Overloaded or timed out: try again later."),
        }
    }})
}

fn contribution_path() -> Value {
    json!({"post": {
        "operationId": "contribution",
        "summary": "What a person pays to enrol, as `yibao contribution --format json`.",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {
            "type": "object", "additionalProperties": false,
            "required": ["jurisdiction", "year", "category", "paid_on"],
            "properties": {
                "jurisdiction": {"type": "string"}, "year": {"type": "integer"},
                "category": {"type": "string", "description": "The person category id of the jurisdiction's data."},
                "paid_on": {"type": "string", "format": "date"},
                "transfer": {"type": "boolean", "default": false, "description": "A transfer from employee insurance (K10)."},
                "at": {"type": "string", "description": "HH:MM: also whether the payment channels are open then (K11)."}
            }
        }}}},
        "responses": {
            "200": json_response("The contribution, and the channels when `at` is given.", &json!({"type": "object"})),
            "422": error_response("Not a question, or refused by the rules, with the CLI's message."),
        }
    }})
}

fn policies_paths() -> (Value, Value) {
    let list = json!({"get": {
        "operationId": "policies",
        "summary": "Every policy book: place, year and where each section comes from.",
        "responses": {"200": json_response("The books.", &json!({"type": "array", "items": {"type": "object", "properties": {
            "jurisdiction": {"type": "string"}, "year": {"type": "integer"},
            "sections": {"type": "object", "additionalProperties": {"type": "string", "enum": ["present", "inherited", "absent", "not_given"]}}
        }}}))}
    }});
    let show = json!({"get": {
        "operationId": "policy",
        "summary": "One book's values, each with the level and file that set it.",
        "parameters": [
            {"name": "jurisdiction", "in": "path", "required": true, "schema": {"type": "string"}},
            {"name": "year", "in": "path", "required": true, "schema": {"type": "integer"}},
            query("section", "Only this section's values (or `absent`).", &json!({"type": "string"})),
        ],
        "responses": {
            "200": json_response("The values.", &json!({"type": "array", "items": {"type": "object", "properties": {
                "key": {"type": "string"}, "value": {"type": "string"}, "set_by": {"type": "string"}, "file": {"type": "string"}
            }}})),
            "400": error_response("Not a year, or an unknown section."),
            "404": error_response("No book for that place and year."),
        }
    }});
    (list, show)
}

fn service_paths() -> Vec<(&'static str, Value)> {
    let get = |id: &str, summary: &str, ok: Value| json!({"get": {"operationId": id, "summary": summary, "security": [], "responses": {"200": ok}}});
    vec![
        (
            "/healthz",
            get(
                "healthz",
                "The process answers (no token needed).",
                text_response("ok"),
            ),
        ),
        (
            "/readyz",
            get(
                "readyz",
                "Ready: the policy data is loaded and the server is not shutting down (503 then; no token needed).",
                text_response("ready"),
            ),
        ),
        (
            "/metrics",
            json!({"get": {"operationId": "metrics", "summary": "Prometheus text: requests, latencies, errors by kind.", "responses": {"200": text_response("The metrics.")}}}),
        ),
        (
            "/v1/openapi.json",
            json!({"get": {"operationId": "openapi", "summary": "This document.", "responses": {"200": json_response("OpenAPI 3.1.", &json!({"type": "object"}))}}}),
        ),
    ]
}

/// The document, as JSON bytes.
pub fn document() -> Vec<u8> {
    // The schema's references are to its own `$defs`: inside this document they are under
    // the schema's place.
    let schema_text = yibao::scenario::JSON_SCHEMA
        .replace("\"#/$defs/", "\"#/components/schemas/Scenario/$defs/");
    let mut scenario: Value = serde_json::from_str(&schema_text).unwrap_or_else(|_| json!({}));
    if let Some(schema) = scenario.as_object_mut() {
        schema.remove("$schema");
        schema.remove("$id");
    }
    let codes: Vec<&str> = ERROR_CODES.iter().map(|c| c.as_str()).collect();
    let (list, show) = policies_paths();
    let mut paths = serde_json::Map::new();
    paths.insert("/v1/settle".to_owned(), settle_path());
    paths.insert(
        "/v1/cover".to_owned(),
        question_path(
            "cover",
            "A person's cover for the year from the scenario's enrolment history, as `yibao cover --format json`.",
            &[],
        ),
    );
    paths.insert(
        "/v1/filing".to_owned(),
        question_path(
            "filing",
            "The scenario's filings replayed: the register on a day and the treatment of care at a place, as `yibao filing --format json`.",
            &[
                query("as_of", "The day (YYYY-MM-DD; default the last day of the scenario's year).", &json!({"type": "string", "format": "date"})),
                query("care_at", "A place of care, e.g. `shanghai` or `shanghai/qingpu`.", &json!({"type": "string"})),
                query("emergency", "The care is an emergency rescue (needs care_at).", &json!({"type": "boolean", "default": false})),
            ],
        ),
    );
    paths.insert("/v1/contribution".to_owned(), contribution_path());
    paths.insert("/v1/settle-batch".to_owned(), json!({"post": {
        "operationId": "settleBatch",
        "summary": "Many persons: JSON lines, one scenario a line, answered as JSON lines streamed in order, `{\"line\", \"report\"}` or `{\"line\", \"error\"}`.",
        "parameters": [query("explain", "Each claim's steps (default false).", &json!({"type": "boolean", "default": false}))],
        "requestBody": {"required": true, "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
        "responses": {
            "200": {"description": "One line per person.", "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
            "413": error_response("The body or the number of persons is over the limit."),
        }
    }}));
    paths.insert("/v1/policies".to_owned(), list);
    paths.insert("/v1/policies/{jurisdiction}/{year}".to_owned(), show);
    for (path, item) in service_paths() {
        paths.insert(path.to_owned(), item);
    }
    let document = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "yibao",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Settlement of Chinese basic medical insurance for urban and rural residents, clause by clause. Started by `yibao serve`.",
        },
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "Needed when the server was started with --token-file."}},
            "schemas": {
                "Scenario": scenario,
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                    "type": "object", "required": ["code", "message", "path"],
                    "properties": {
                        "code": {"type": "string", "enum": codes},
                        "message": {"type": "string"},
                        "path": {"type": ["string", "null"], "description": "The key path in the body, e.g. `claims[2].amount`."}
                    }
                }}}
            }
        },
        "security": [{"bearer": []}],
    });
    serde_json::to_vec_pretty(&document).unwrap_or_default()
}
