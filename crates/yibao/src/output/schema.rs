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

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value};

use super::envelope::Envelope;
use crate::settle::SettlementReport;

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
    let envelope = Envelope::json_schema(generator).to_value();
    let answer = T::json_schema(generator).to_value();
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
    object.insert("title".into(), T::schema_name().into_owned().into());
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
    let mut generator = generator("/$defs");
    let mut root = enveloped::<T>(&mut generator).to_value();
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
    document::<SettlementReport>()
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
