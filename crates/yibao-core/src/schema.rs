//! The JSON Schema of the core values whose `Serialize` is written by hand (feature
//! `schemars`): each says exactly what its `Serialize` writes.
//!
//! Money is a string with two decimal places (`"1234.50"`), an exact amount its decimal text
//! (`"35280"`, `"0.5"`), a rate a percentage (`"60%"`), a rule its letter and number (`"H7"`),
//! a policy year an integer and a step an object `{"rule", "text"}`.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::{ExactYuan, PolicyYear, Rate, RuleId, Step, YearSet, Yuan};

/// A hand-written schema: its name and its body.
macro_rules! schema {
    ($ty:ty, $name:literal, $body:tt) => {
        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($body)
            }
        }
    };
}

schema!(Yuan, "Yuan", {
    "description": "An amount in yuan, with two decimal places.",
    "type": "string",
    "pattern": "^-?[0-9]+\\.[0-9]{2}$"
});

schema!(ExactYuan, "ExactYuan", {
    "description": "An exact amount in yuan, its decimal text without trailing zeros.",
    "type": "string",
    "pattern": "^-?[0-9]+(\\.[0-9]+)?$"
});

schema!(Rate, "Rate", {
    "description": "A rate, as a percentage.",
    "type": "string",
    "pattern": "^-?[0-9]+(\\.[0-9]+)?%$"
});

schema!(RuleId, "RuleId", {
    "description": "The id of a rule of the policy notes: a letter and a number.",
    "type": "string",
    "pattern": "^[A-Z][0-9]+$"
});

schema!(PolicyYear, "PolicyYear", {
    "description": "A policy year (the calendar year).",
    "type": "integer"
});

schema!(YearSet, "YearSet", {
    "description": "Policy years, in increasing order.",
    "type": "array",
    "items": { "type": "integer" }
});

impl JsonSchema for Step {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Step")
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let rule = generator.subschema_for::<RuleId>();
        json_schema!({
            "description": "One step of a computation: the rule applied and what was done.",
            "type": "object",
            "properties": {
                "rule": rule,
                "text": { "type": "string" }
            },
            "required": ["rule", "text"],
            "additionalProperties": false
        })
    }
}

/// The schema of a list of steps written by [`crate::step::described`]:
/// `[{"rule": …, "description": …}]`.
pub fn described_steps(generator: &mut SchemaGenerator) -> Schema {
    let rule = generator.subschema_for::<RuleId>();
    json_schema!({
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "rule": rule,
                "description": { "type": "string" }
            },
            "required": ["rule", "description"],
            "additionalProperties": false
        }
    })
}

/// The schema of a word written by [`crate::words!`]: one of its names.
pub fn word_schema(names: &[&str]) -> Schema {
    json_schema!({ "type": "string", "enum": names })
}
