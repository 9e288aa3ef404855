//! The JSON Schema of the JSON answers (feature `schemars`), generated from the types that
//! are serialised: what `yibao schema output settle` prints and what the HTTP service's
//! OpenAPI document refers to.
//!
//! Each answer is an object with the [`Envelope`]'s fields first and its own after them
//! ([`Enveloped`](super::envelope::Enveloped)); [`enveloped`] gives that object's schema.
//! Every object whose fields are all known is closed (`"additionalProperties": false`), so
//! that a field written without its schema fails the tests that validate real answers: a
//! struct serialises exactly its fields, a map keeps its value schema.

use std::collections::BTreeSet;

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
/// The schema and the generator of schemas, for a front end that adds its own.
pub use schemars::{Schema, SchemaGenerator};
use serde_json::{Map, Value};

use super::envelope::Envelope;
use crate::catastrophic::LadderRow;
use crate::questions::ContributionAnswer;
use crate::questions::catastrophic::CatastrophicAnswer;
use crate::questions::deadline::{ApprovalAnswer, ManualClaimAnswer};
use crate::questions::decide::DecisionAnswer;
use crate::settle::{CoverReport, FilingReport, SettlementReport};

/// A generator of schemas of what is serialised, its definitions kept under
/// `definitions_path` (`/$defs` for a JSON Schema document, `/components/schemas` for an
/// OpenAPI document).
pub fn generator(definitions_path: &str) -> SchemaGenerator {
    SchemaSettings::draft2020_12()
        .for_serialize()
        .with(|settings| settings.definitions_path = definitions_path.to_owned().into())
        .into_generator()
}

/// The schema of `T`'s answer with the envelope's fields before its own, its subschemas
/// referring to the generator's definitions. `T` must serialise as an object.
pub fn enveloped<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    enveloped_answer(&T::schema_name(), generator, T::json_schema)
}

/// The schema of a list answer: the envelope's fields, then the list under `rows`, each row
/// a `T` (as the CLI's `--format json` writes a list).
pub fn enveloped_rows<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    let title = format!("{}Rows", T::schema_name());
    enveloped_answer(&title, generator, |generator| {
        rows_answer(&generator.subschema_for::<Vec<T>>())
    })
}

/// The object `{"rows": rows}`.
pub fn rows_answer(rows: &Schema) -> Schema {
    schemars::json_schema!({
        "type": "object",
        "properties": { "rows": rows },
        "required": ["rows"]
    })
}

/// The schema of the object `answer` makes (titled `title`) with the envelope's fields
/// before its own.
pub fn enveloped_answer(
    title: &str,
    generator: &mut SchemaGenerator,
    answer: impl FnOnce(&mut SchemaGenerator) -> Schema,
) -> Schema {
    let envelope = Envelope::json_schema(generator).to_value();
    let answer = answer(generator).to_value();
    let mut properties = Map::new();
    let mut required = Vec::new();
    for part in [&envelope, &answer] {
        if let Some(fields) = part.get("properties").and_then(Value::as_object) {
            properties.extend(fields.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        if let Some(names) = part.get("required").and_then(Value::as_array) {
            required.extend(names.iter().cloned());
        }
    }
    let mut object = Map::new();
    object.insert("title".into(), title.into());
    if let Some(description) = answer.get("description") {
        object.insert("description".into(), description.clone());
    }
    object.insert("type".into(), "object".into());
    object.insert("properties".into(), Value::Object(properties));
    object.insert("required".into(), Value::Array(required));
    object.insert("additionalProperties".into(), Value::Bool(false));
    Schema::from(object)
}

/// The whole JSON Schema document of `T`'s enveloped answer: [`enveloped`] with its
/// definitions, every object closed ([`close_objects`]).
pub fn document<T: JsonSchema>() -> Value {
    document_of(enveloped::<T>)
}

/// The whole JSON Schema document of the schema `root` makes: its definitions under
/// `$defs`, every object closed ([`close_objects`]).
pub fn document_of(root: impl FnOnce(&mut SchemaGenerator) -> Schema) -> Value {
    let mut generator = generator("/$defs");
    let mut root = root(&mut generator).to_value();
    let definitions = generator.take_definitions(true);
    if let Value::Object(root) = &mut root {
        let mut head = Map::new();
        head.insert(
            "$schema".into(),
            "https://json-schema.org/draft/2020-12/schema".into(),
        );
        head.extend(std::mem::take(root));
        if !definitions.is_empty() {
            head.insert("$defs".into(), Value::Object(definitions));
        }
        *root = head;
    }
    close_objects(&mut root);
    root
}

/// The JSON Schema of `yibao settle --format json`'s answer.
pub fn settlement() -> Value {
    Answer::Settlement.document()
}

/// A JSON answer of the front ends (the CLI's `--format json`, the HTTP service's 200
/// answers), whose schema is generated from the types it is serialised from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Answer {
    /// A person's year settled ([`SettlementReport`]).
    Settlement,
    /// A person's cover for the year ([`CoverReport`]).
    Cover,
    /// What a person pays to enrol ([`ContributionAnswer`]).
    Contribution,
    /// A year's catastrophic payment ([`CatastrophicAnswer`]).
    Catastrophic,
    /// One place's catastrophic schedules across the years: [`LadderRow`]s under `rows`.
    CatastrophicLadder,
    /// Every place's catastrophic schedules: `{"jurisdiction", "rows"}` under `rows`.
    CatastrophicLadders,
    /// A scenario's filings replayed ([`FilingReport`]).
    Filing,
    /// A manual claim's deadlines ([`ManualClaimAnswer`]).
    ManualClaimDeadline,
    /// The day a filing's decision is due ([`ApprovalAnswer`]).
    ApprovalDeadline,
    /// A yes-or-no question of enrolment ([`DecisionAnswer`]).
    Decision,
}

/// One place's ladder as the JSON of every place's ladders writes it.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct PlaceLadder {
    /// The insured place.
    jurisdiction: String,
    /// Its schedules, year by year.
    rows: Vec<LadderRow>,
}

impl Answer {
    /// Every answer.
    pub const ALL: [Answer; 10] = [
        Answer::Settlement,
        Answer::Cover,
        Answer::Contribution,
        Answer::Catastrophic,
        Answer::CatastrophicLadder,
        Answer::CatastrophicLadders,
        Answer::Filing,
        Answer::ManualClaimDeadline,
        Answer::ApprovalDeadline,
        Answer::Decision,
    ];

    /// The name of the answer's schema (its title, and its name among an OpenAPI
    /// document's components).
    pub fn name(self) -> &'static str {
        match self {
            Answer::Settlement => "SettlementAnswer",
            Answer::Cover => "CoverAnswer",
            Answer::Contribution => "ContributionAnswer",
            Answer::Catastrophic => "CatastrophicAnswer",
            Answer::CatastrophicLadder => "CatastrophicLadderAnswer",
            Answer::CatastrophicLadders => "CatastrophicLaddersAnswer",
            Answer::Filing => "FilingAnswer",
            Answer::ManualClaimDeadline => "ManualClaimAnswer",
            Answer::ApprovalDeadline => "ApprovalAnswer",
            Answer::Decision => "DecisionAnswer",
        }
    }

    /// The answer's schema, the envelope's fields first, its subschemas referring to the
    /// generator's definitions.
    pub fn schema(self, generator: &mut SchemaGenerator) -> Schema {
        let mut schema = match self {
            Answer::Settlement => enveloped::<SettlementReport>(generator),
            Answer::Cover => enveloped::<CoverReport>(generator),
            Answer::Contribution => enveloped::<ContributionAnswer>(generator),
            Answer::Catastrophic => enveloped::<CatastrophicAnswer>(generator),
            Answer::CatastrophicLadder => enveloped_rows::<LadderRow>(generator),
            Answer::CatastrophicLadders => enveloped_rows::<PlaceLadder>(generator),
            Answer::Filing => enveloped::<FilingReport>(generator),
            Answer::ManualClaimDeadline => enveloped::<ManualClaimAnswer>(generator),
            Answer::ApprovalDeadline => enveloped::<ApprovalAnswer>(generator),
            Answer::Decision => enveloped::<DecisionAnswer>(generator),
        };
        schema.insert("title".into(), self.name().into());
        schema
    }

    /// The whole JSON Schema document of the answer ([`document_of`]).
    pub fn document(self) -> Value {
        document_of(|generator| self.schema(generator))
    }
}

/// The JSON Schema document of a table written as a list answer (the CLI's tables with
/// `--format json`): under `rows`, each row an object of exactly `fields`, each a string.
pub fn text_rows(title: &str, fields: &[&str]) -> Value {
    let properties: Map<String, Value> = fields
        .iter()
        .map(|field| ((*field).to_owned(), serde_json::json!({ "type": "string" })))
        .collect();
    let rows = schemars::json_schema!({
        "type": "array",
        "items": { "type": "object", "properties": properties, "required": fields }
    });
    document_of(|generator| enveloped_answer(title, generator, |_| rows_answer(&rows)))
}

/// Closes every object schema that lists its `properties` and says nothing of others:
/// `"additionalProperties": false`, recursively. An object that extends a definition (a
/// `$ref` beside its `properties`, as an internally tagged variant around a struct) is
/// closed with `"unevaluatedProperties": false`, and the definition it extends is left
/// open for it.
pub fn close_objects(document: &mut Value) {
    let mut extended = BTreeSet::new();
    find_extended(document, &mut extended);
    close(document, &extended, false);
}

/// The names of the definitions referred to beside `properties`.
fn find_extended(schema: &Value, extended: &mut BTreeSet<String>) {
    match schema {
        Value::Object(object) => {
            if let (Some(Value::String(target)), true) =
                (object.get("$ref"), object.contains_key("properties"))
            {
                if let Some((_, name)) = target.rsplit_once('/') {
                    extended.insert(name.to_owned());
                }
            }
            object.values().for_each(|v| find_extended(v, extended));
        }
        Value::Array(items) => items.iter().for_each(|v| find_extended(v, extended)),
        _ => {}
    }
}

fn close(schema: &mut Value, extended: &BTreeSet<String>, open: bool) {
    match schema {
        Value::Object(object) => {
            let unsaid = !object.contains_key("additionalProperties")
                && !object.contains_key("unevaluatedProperties");
            if object.contains_key("properties") && unsaid && !open {
                let key = if object.contains_key("$ref") {
                    "unevaluatedProperties"
                } else {
                    "additionalProperties"
                };
                object.insert(key.into(), Value::Bool(false));
            }
            for (key, value) in object.iter_mut() {
                match (key.as_str(), value) {
                    ("$defs" | "schemas", Value::Object(definitions)) => {
                        for (name, definition) in definitions.iter_mut() {
                            close(definition, extended, extended.contains(name));
                        }
                    }
                    (_, value) => close(value, extended, false),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| close(v, extended, false)),
        _ => {}
    }
}
