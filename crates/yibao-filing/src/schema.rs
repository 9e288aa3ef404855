//! The JSON Schema of the filing values whose `Serialize` is written by hand (feature
//! `schemars`).

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::place::Area;

impl JsonSchema for Area {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("Area")
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An area: its segments in lowercase pinyin, joined by `/`.",
            "type": "string",
            "pattern": "^[a-z]+(/[a-z]+)*$"
        })
    }
}
