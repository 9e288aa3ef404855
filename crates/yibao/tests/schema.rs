//! The published JSON Schema of the scenario and the parser must not drift apart: every

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::panic)]
//! key the examples use is in the schema, and every value the schema lists is accepted.

use serde_json::Value;
use yibao::scenario::{JSON_SCHEMA, Scenario, ScenarioFile, ScenarioFormat};

fn schema() -> Value {
    serde_json::from_str(JSON_SCHEMA).expect("the schema is JSON")
}

fn resolve<'s>(schema: &'s Value, node: &'s Value) -> &'s Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.trim_start_matches("#/$defs/");
            &schema["$defs"][name]
        }
        None => node,
    }
}

/// Every object key of `value` is a property of the schema node, recursively.
fn check_keys(schema: &Value, node: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
    let node = resolve(schema, node);
    match value {
        Value::Object(map) => {
            let Some(properties) = node.get("properties").and_then(Value::as_object) else {
                return; // oneOf nodes (filing kinds) are checked by deserialisation
            };
            for (key, child) in map {
                match properties.get(key) {
                    Some(child_node) => {
                        check_keys(schema, child_node, child, &format!("{at}.{key}"), problems)
                    }
                    None => problems.push(format!("{at}.{key} is not in the schema")),
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_node) = node.get("items") {
                for (i, item) in items.iter().enumerate() {
                    check_keys(schema, item_node, item, &format!("{at}[{i}]"), problems);
                }
            }
        }
        _ => {}
    }
}

#[test]
fn the_examples_use_only_keys_the_schema_lists() {
    let schema = schema();
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples"))
        .expect("examples/")
    {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let file = ScenarioFile::parse(&path.display().to_string(), &text, ScenarioFormat::Toml)
            .unwrap_or_else(|e| panic!("{e}"));
        let json = serde_json::to_value(&file.scenario).expect("serialisable");
        check_keys(
            &schema,
            &schema,
            &json,
            &path.display().to_string(),
            &mut problems,
        );
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_value_the_schema_lists_is_accepted() {
    let schema = schema();
    let claim = &schema["$defs"]["claim"]["properties"];
    let base = serde_json::json!({ "date": "2026-05-01", "kind": "inpatient", "level": "level_3", "amount": "100" });
    for (field, node) in claim.as_object().expect("claim properties") {
        let Some(values) = node.get("enum").and_then(Value::as_array) else {
            continue;
        };
        for value in values {
            let mut c = base.clone();
            if field == "exclusions" {
                continue;
            }
            c[field] = value.clone();
            let scenario = serde_json::json!({ "jurisdiction": "huaian", "year": 2026, "person": {}, "claims": [c] });
            let parsed: Result<Scenario, _> = serde_json::from_value(scenario);
            assert!(
                parsed.is_ok(),
                "claim.{field} = {value}: {:?}",
                parsed.err()
            );
        }
    }
    for exclusion in claim["exclusions"]["items"]["enum"]
        .as_array()
        .expect("exclusions")
    {
        let scenario = serde_json::json!({ "jurisdiction": "huaian", "year": 2026, "person": {},
            "claims": [{ "date": "2026-05-01", "kind": "inpatient", "level": "level_3", "amount": "1", "exclusions": [exclusion] }] });
        assert!(
            serde_json::from_value::<Scenario>(scenario).is_ok(),
            "exclusion {exclusion}"
        );
    }
    let person = &schema["$defs"]["person"]["properties"];
    for field in ["group", "family_doctor", "catastrophic_class"] {
        for value in person[field]["enum"].as_array().expect("enum") {
            let scenario = serde_json::json!({ "jurisdiction": "huaian", "year": 2026, "person": { field: value } });
            assert!(
                serde_json::from_value::<Scenario>(scenario).is_ok(),
                "person.{field} = {value}"
            );
        }
    }
    let event = &schema["$defs"]["enrolment_event"]["properties"];
    for field in ["event", "funding", "route"] {
        for value in event[field]["enum"].as_array().expect("enum") {
            let mut e = serde_json::json!({ "on": "2025-11-01", "event": "payment", "year": 2026 });
            e[field] = value.clone();
            let scenario = serde_json::json!({ "jurisdiction": "huaian", "year": 2026, "person": {}, "enrolment": [e] });
            assert!(
                serde_json::from_value::<Scenario>(scenario).is_ok(),
                "enrolment.{field} = {value}"
            );
        }
    }
}

#[test]
fn a_misspelt_key_is_refused_as_the_schema_says() {
    let scenario =
        serde_json::json!({ "jurisdiction": "huaian", "year": 2026, "person": {}, "claimz": [] });
    assert!(serde_json::from_value::<Scenario>(scenario).is_err());
}
