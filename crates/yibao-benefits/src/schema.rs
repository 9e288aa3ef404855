//! The JSON Schema of the benefit values whose `Serialize` is written by hand (feature
//! `schemars`).

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::HospitalLevel;
use crate::not_paid::Levels;

impl JsonSchema for Levels {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Levels")
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let level = generator.subschema_for::<HospitalLevel>();
        json_schema!({
            "description": "Hospital levels, in their order.",
            "type": "array",
            "items": level,
            "uniqueItems": true
        })
    }
}
