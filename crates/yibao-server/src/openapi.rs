//! `GET /v1/openapi.json`: the OpenAPI 3.1 document of the service, made when the server
//! starts from the endpoint table below and from the types' own schemas: the request body
//! of `/v1/settle` is the scenario's JSON Schema as the library ships it
//! ([`yibao::scenario::JSON_SCHEMA`], what `yibao schema scenario` prints), and the error
//! codes are [`ErrorCode`]'s. Every 200 answer in JSON is the schema generated from the
//! answer's types ([`yibao::output::schema::Answer`], the policy books' and values'), its
//! definitions among the components.

use serde_json::{Value, json};
use yibao::output::schema::Answer;

use crate::error::ErrorCode;

/// Every error code, for the document's enum.
const ERROR_CODES: [ErrorCode; 15] = [
    ErrorCode::TooManyPersons,
    ErrorCode::InvalidScenario,
    ErrorCode::InvalidQuestion,
    ErrorCode::InvalidParameter,
    ErrorCode::InvalidTable,
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

/// A reference to the schema of `answer` among the components.
fn answer_ref(answer: Answer) -> Value {
    component_ref(answer.name())
}

fn component_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
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
            query("format", "`json`: the settlement report; `nhsa`: the national platform's settlement fields; `fhir`: HL7 FHIR R4, each claim a `ClaimResponse`, several in a `Bundle` (always with the steps' rules in its notes).", &json!({"type": "string", "enum": ["json", "nhsa", "fhir"], "default": "json"})),
        ],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Scenario"}}}},
        "responses": {
            "200": json_response("The settlement report.", &answer_ref(Answer::Settlement)),
            "400": error_response("A query parameter or the body could not be read."),
            "408": error_response("The body did not arrive in time."),
            "413": error_response("The body is over the limit."),
            "422": error_response("The scenario is refused, with the CLI's message and the key path."),
            "503": error_response("Overloaded or timed out: try again later."),
        }
    }})
}

fn question_path(id: &str, summary: &str, parameters: &[Value], answer: Answer) -> Value {
    json!({"post": {
        "operationId": id,
        "summary": summary,
        "parameters": parameters,
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Scenario"}}}},
        "responses": {
            "200": json_response("The answer.", &answer_ref(answer)),
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
            "200": json_response("The contribution, and the channels when `at` is given.", &answer_ref(Answer::Contribution)),
            "422": error_response("Not a question, or refused by the rules, with the CLI's message."),
        }
    }})
}

/// A question with a JSON body of its fields (`properties`: name → schema), answered with
/// `answer`.
fn fields_path(
    (id, answer): (&str, Answer),
    summary: &str,
    required: &[&str],
    properties: &[(&str, Value)],
) -> Value {
    let properties: serde_json::Map<String, Value> = properties
        .iter()
        .map(|(name, schema)| ((*name).to_owned(), schema.clone()))
        .collect();
    json!({"post": {
        "operationId": id,
        "summary": summary,
        "requestBody": {"required": true, "content": {"application/json": {"schema": {
            "type": "object", "additionalProperties": false, "required": required, "properties": properties
        }}}},
        "responses": {
            "200": json_response("The answer, as the CLI's `--format json`.", &answer_ref(answer)),
            "413": error_response("The body is over the limit."),
            "422": error_response("Not a question, or refused by the rules, with the CLI's message and the key path."),
            "503": error_response("Overloaded or timed out: try again later."),
        }
    }})
}

/// The catastrophic, deadline and decision questions.
fn answer_paths() -> Vec<(&'static str, Value)> {
    let text = json!({"type": "string"});
    let year = json!({"type": "integer"});
    let date = json!({"type": "string", "format": "date"});
    let flag = json!({"type": "boolean", "default": false});
    let years = json!({"type": "array", "items": {"type": "integer"}});
    let existing = json!({"type": "array", "items": {"type": "object", "additionalProperties": false,
        "required": ["place", "scheme", "status"],
        "properties": {"place": {"type": "string"}, "scheme": {"type": "string", "enum": ["resident", "employee"]}, "status": {"type": "string", "enum": ["active", "suspended"]}}}});
    vec![
        (
            "/v1/catastrophic",
            fields_path(
                ("catastrophic", Answer::Catastrophic),
                "The catastrophic payment of a year's burden, with the cap in force, as `yibao catastrophic --format json`.",
                &["jurisdiction", "year", "burden"],
                &[
                    ("jurisdiction", text.clone()),
                    ("year", year.clone()),
                    (
                        "burden",
                        json!({"type": "string", "description": "Yuan, e.g. `100000.50`."}),
                    ),
                    ("class", json!({"type": "string", "default": "ordinary"})),
                    (
                        "consecutive_years",
                        json!({"type": "integer", "minimum": 0}),
                    ),
                    ("re_enrolled_after_lapse", flag.clone()),
                    ("zero_reimbursement_years", years.clone()),
                    ("reward_used_years", years),
                ],
            ),
        ),
        (
            "/v1/deadline/manual-claim",
            fields_path(
                ("deadlineManualClaim", Answer::ManualClaimDeadline),
                "A manual claim's deadlines, as `yibao deadline manual-claim --format json`.",
                &["jurisdiction", "expense_date"],
                &[
                    ("jurisdiction", text.clone()),
                    ("expense_date", date.clone()),
                    ("filed_on", date.clone()),
                ],
            ),
        ),
        (
            "/v1/deadline/approval",
            fields_path(
                ("deadlineApproval", Answer::ApprovalDeadline),
                "The day a filing's decision is due, as `yibao deadline approval --format json`.",
                &["jurisdiction", "submitted_on"],
                &[
                    ("jurisdiction", text.clone()),
                    ("submitted_on", date.clone()),
                ],
            ),
        ),
        (
            "/v1/decide/refund",
            question_path(
                "decideRefund",
                "Whether the scenario's contribution may be refunded, as `yibao decide refund --format json`.",
                &[
                    query("reason", "Why the refund is asked for (required).", &text),
                    query(
                        "applied_on",
                        "The day of the application (required).",
                        &date,
                    ),
                ],
                Answer::Decision,
            ),
        ),
        (
            "/v1/decide/double-enrolment",
            fields_path(
                ("decideDoubleEnrolment", Answer::Decision),
                "Whether a new resident enrolment may be made, as `yibao decide double-enrolment --format json`.",
                &["jurisdiction", "year", "place"],
                &[
                    ("jurisdiction", text.clone()),
                    ("year", year.clone()),
                    ("place", text.clone()),
                    ("existing", existing),
                ],
            ),
        ),
        (
            "/v1/decide/family-payment",
            fields_path(
                ("decideFamilyPayment", Answer::Decision),
                "Whether a personal account may pay for a relative, as `yibao decide family-payment --format json`.",
                &["jurisdiction", "year", "relation", "purpose"],
                &[
                    ("jurisdiction", text.clone()),
                    ("year", year.clone()),
                    ("relation", text.clone()),
                    ("purpose", text.clone()),
                    (
                        "feature",
                        json!({"type": "string", "default": "family_mutual_aid"}),
                    ),
                    ("in_another_group", flag),
                ],
            ),
        ),
        (
            "/v1/decide/identity-document",
            fields_path(
                ("decideIdentityDocument", Answer::Decision),
                "Whether a document's number may be used to pay for a person, as `yibao decide identity-document --format json`.",
                &["jurisdiction", "year", "document", "holder"],
                &[
                    ("jurisdiction", text.clone()),
                    ("year", year),
                    ("document", text.clone()),
                    ("holder", text),
                ],
            ),
        ),
    ]
}

fn policies_paths() -> (Value, Value) {
    let list = json!({"get": {
        "operationId": "policies",
        "summary": "Every policy book: place, year and where each section comes from.",
        "responses": {"200": json_response("The books.", &component_ref(POLICY_BOOKS))}
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
            "200": json_response("The values.", &component_ref(POLICY_VALUES)),
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

/// The names of the policy books' and one book's values' schemas among the components.
const POLICY_BOOKS: &str = "PolicyBooks";
const POLICY_VALUES: &str = "PolicyValues";

/// The schemas of the answers, generated from their types (each [`Answer`] under its name,
/// the enveloped answer; the policy books and values, a list each) with the definitions they
/// refer to; every object closed.
fn answer_schemas() -> serde_json::Map<String, Value> {
    use yibao::output::schema;
    let mut generator = schema::generator("/components/schemas");
    let mut answers: Vec<(&str, Value)> = Answer::ALL
        .iter()
        .map(|answer| (answer.name(), answer.schema(&mut generator).to_value()))
        .collect();
    answers.push((POLICY_BOOKS, policy_books(&mut generator)));
    answers.push((
        POLICY_VALUES,
        generator
            .subschema_for::<Vec<yibao::policy::BookValue>>()
            .to_value(),
    ));
    let mut schemas = generator.take_definitions(true);
    for (name, answer) in answers {
        schemas.insert(name.to_owned(), answer);
    }
    let mut components = json!({ "schemas": schemas });
    schema::close_objects(&mut components);
    match components {
        Value::Object(mut components) => match components.remove("schemas") {
            Some(Value::Object(schemas)) => schemas,
            _ => serde_json::Map::new(),
        },
        _ => serde_json::Map::new(),
    }
}

/// `GET /v1/policies`: a list of the route's `BookEntry`s, its
/// sections a map of each section's [`Coverage`](yibao::policy::Coverage).
fn policy_books(generator: &mut yibao::output::schema::SchemaGenerator) -> Value {
    let year = generator
        .subschema_for::<yibao::core::PolicyYear>()
        .to_value();
    let coverage = generator
        .subschema_for::<yibao::policy::Coverage>()
        .to_value();
    json!({"type": "array", "items": {
        "description": "A policy book: its place and year, and where each section comes from.",
        "type": "object",
        "properties": {
            "jurisdiction": {"type": "string"},
            "year": year,
            "sections": {"type": "object", "additionalProperties": coverage}
        },
        "required": ["jurisdiction", "year", "sections"]
    }})
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
            Answer::Cover,
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
            Answer::Filing,
        ),
    );
    paths.insert("/v1/contribution".to_owned(), contribution_path());
    paths.insert("/v1/settle-batch".to_owned(), json!({"post": {
        "operationId": "settleBatch",
        "summary": "Many persons: JSON lines, one scenario a line, answered as JSON lines streamed in order, `{\"line\", \"report\"}` or `{\"line\", \"error\"}`; or a claims table as an Arrow IPC stream, answered with one of the batch's tables as an Arrow IPC stream, the counts in the headers `X-Yibao-Persons`, `X-Yibao-Persons-With-Errors` and `X-Yibao-Error-Rows`.",
        "parameters": [
            query("explain", "JSON lines: each claim's steps (default false).", &json!({"type": "boolean", "default": false})),
            query("jurisdiction", "Arrow: the jurisdiction of every row (required).", &json!({"type": "string"})),
            query("year", "Arrow: the policy year of every row (required).", &json!({"type": "integer"})),
            query("table", "Arrow: the table answered, `results` (one row per person), `per_claim` or `errors`.", &json!({"type": "string", "enum": ["results", "per_claim", "errors"], "default": "results"})),
        ],
        "requestBody": {"required": true, "content": {
            "application/x-ndjson": {"schema": {"type": "string"}},
            "application/vnd.apache.arrow.stream": {"schema": {"type": "string", "format": "binary"}}
        }},
        "responses": {
            "200": {"description": "One line per person, or the table asked for.", "content": {
                "application/x-ndjson": {"schema": {"type": "string"}},
                "application/vnd.apache.arrow.stream": {"schema": {"type": "string", "format": "binary"}}
            }},
            "400": error_response("Arrow: a missing or bad parameter, or no rules for the jurisdiction and year."),
            "422": error_response("Arrow: the body is not a claims table in the batch's schema."),
            "413": error_response("The body or the number of persons is over the limit."),
        }
    }}));
    paths.insert("/v1/policies".to_owned(), list);
    paths.insert("/v1/policies/{jurisdiction}/{year}".to_owned(), show);
    for (path, item) in answer_paths().into_iter().chain(service_paths()) {
        paths.insert(path.to_owned(), item);
    }
    let mut schemas = answer_schemas();
    schemas.insert("Scenario".to_owned(), scenario);
    schemas.insert("Error".to_owned(), json!({"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message", "message_zh", "path"],
        "properties": {
            "code": {"type": "string", "enum": codes},
            "message": {"type": "string"},
            "message_zh": {"type": "string", "description": "The message in Chinese: the words `yibao --lang zh` prints for the same input."},
            "path": {"type": ["string", "null"], "description": "The key path in the body, e.g. `claims[2].amount`."}
        }
    }}}));
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
            "schemas": schemas
        },
        "security": [{"bearer": []}],
    });
    serde_json::to_vec_pretty(&document).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An answer's name is not the name of a definition it would replace among the
    /// components.
    #[test]
    fn the_answers_names_are_not_the_definitions() {
        let mut generator = yibao::output::schema::generator("/components/schemas");
        for answer in Answer::ALL {
            answer.schema(&mut generator);
        }
        policy_books(&mut generator);
        generator.subschema_for::<Vec<yibao::policy::BookValue>>();
        let definitions = generator.take_definitions(true);
        let names = Answer::ALL
            .iter()
            .map(|a| a.name())
            .chain([POLICY_BOOKS, POLICY_VALUES]);
        for name in names {
            assert!(!definitions.contains_key(name), "{name} is a definition");
        }
        assert!(definitions.contains_key("Coverage"));
    }
}
