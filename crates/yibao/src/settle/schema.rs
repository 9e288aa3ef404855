//! The JSON Schema of the report's values whose `Serialize` is written by hand (feature
//! `schemars`): each says exactly what its `Serialize` writes, closed to other fields.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Value, json};
use yibao_core::{RuleId, Yuan};

use super::reasons::{CatastrophicPart, CatastrophicUnsettled, CoverStatus, NotPaidReason};
use super::report::{Stage, Step, UnsettledCatastrophic};

/// The codes of [`CatastrophicUnsettled::code`].
const UNSETTLED_CODES: [&str; 4] = [
    "not_published",
    "lapse_cut_not_given",
    "cap_not_computed",
    "basic_fund_not_settled",
];

/// A closed object of `properties`, all of them required but those in `optional`.
fn closed(properties: &[(&str, Value)], optional: &[&str]) -> Value {
    let required: Vec<&str> = properties
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !optional.contains(name))
        .collect();
    let properties: serde_json::Map<String, Value> = properties
        .iter()
        .map(|(name, schema)| ((*name).to_owned(), schema.clone()))
        .collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false
    })
}

fn sub<T: JsonSchema>(generator: &mut SchemaGenerator) -> Value {
    generator.subschema_for::<T>().to_value()
}

/// The fields [`CatastrophicUnsettled::serialize_entries`] writes, after `before`.
fn unsettled(generator: &mut SchemaGenerator, before: Vec<(&'static str, Value)>) -> Value {
    let mut properties = before;
    properties.push(("code", json!({ "type": "string", "enum": UNSETTLED_CODES })));
    properties.push(("reason", json!({ "type": "string" })));
    properties.push(("banded_before_cap", sub::<Yuan>(generator)));
    closed(&properties, &["banded_before_cap"])
}

/// A hand-written schema: its name and how it is made.
macro_rules! schema {
    ($ty:ty, $name:literal, |$generator:ident| $body:expr) => {
        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }

            fn json_schema($generator: &mut SchemaGenerator) -> Schema {
                let value: Value = $body;
                Schema::try_from(value).unwrap_or_default()
            }
        }
    };
}

schema!(CoverStatus, "CoverStatus", |generator| {
    let rule = sub::<RuleId>(generator);
    json!({ "oneOf": [
        closed(&[("status", json!({ "const": "covered" }))], &[]),
        closed(&[("status", json!({ "const": "assumed" }))], &[]),
        closed(&[
            ("status", json!({ "const": "not_covered" })),
            ("code", json!({
                "type": "string",
                "enum": ["waiting_period", "suspended", "no_cover_period"]
            })),
            ("reason", json!({ "type": "string" })),
            ("rule", rule),
        ], &["rule"]),
    ]})
});

schema!(NotPaidReason, "NotPaidReason", |generator| {
    let rule = sub::<RuleId>(generator);
    closed(
        &[
            ("code", json!({ "type": "string" })),
            ("reason", json!({ "type": "string" })),
            ("rule", rule),
        ],
        &["rule"],
    )
});

schema!(
    CatastrophicUnsettled,
    "CatastrophicUnsettled",
    |generator| { unsettled(generator, Vec::new()) }
);

schema!(CatastrophicPart, "CatastrophicPart", |generator| {
    let paid = sub::<Yuan>(generator);
    json!({ "oneOf": [
        closed(&[("status", json!({ "const": "settled" })), ("paid", paid)], &[]),
        unsettled(generator, vec![("status", json!({ "const": "not_settled" }))]),
    ]})
});

schema!(
    UnsettledCatastrophic,
    "UnsettledCatastrophic",
    |generator| {
        unsettled(
            generator,
            vec![("claims", json!({ "type": "integer", "minimum": 0 }))],
        )
    }
);

schema!(Step, "StageStep", |generator| {
    let stage = sub::<Stage>(generator);
    let rule = sub::<RuleId>(generator);
    closed(
        &[
            ("stage", stage),
            ("rule", rule),
            ("text", json!({ "type": "string" })),
        ],
        &[],
    )
});
