//! `yibao schema output settle` against real answers: `yibao settle --format json` of every
//! example and every scenario of the suite validates against the printed JSON Schema, whose
//! objects are closed, so that a field written without its schema fails here.

#![allow(clippy::expect_used, clippy::panic)]

mod invocations;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// `yibao args`'s standard output, `None` when it refuses (a scenario the suite expects
/// refused).
fn try_yibao(args: &[&str]) -> Option<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_yibao"))
        .args(args)
        .current_dir(invocations::ROOT)
        .output()
        .expect("the binary runs");
    out.status
        .success()
        .then(|| String::from_utf8(out.stdout).expect("UTF-8"))
}

fn yibao(args: &[&str]) -> String {
    try_yibao(args).unwrap_or_else(|| panic!("yibao {args:?} fails"))
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a directory")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

/// Every example, then every scenario of the suite written as a plain scenario file.
fn scenarios(dir: &Path) -> Vec<PathBuf> {
    let root = Path::new(invocations::ROOT);
    let mut scenarios = toml_files(&root.join("examples"));
    for file in toml_files(&root.join("tests/scenarios")) {
        let name = file.file_stem().expect("a name").to_string_lossy();
        scenarios.push(invocations::scenario_file(&name, dir));
    }
    scenarios
}

fn settlement_schema() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(&yibao(&["schema", "output", "settle"])).expect("the schema is JSON");
    jsonschema::draft202012::new(&schema).expect("a valid JSON Schema")
}

fn errors(validator: &jsonschema::Validator, answer: &Value) -> Vec<String> {
    validator
        .iter_errors(answer)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn every_settlement_answer_is_valid_against_the_printed_schema() {
    let validator = settlement_schema();
    let dir = std::env::temp_dir().join(format!("yibao-output-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let scenarios = scenarios(&dir);
    assert!(scenarios.len() > 60, "{} scenarios", scenarios.len());
    let mut failures = Vec::new();
    let mut settled = 0;
    for scenario in &scenarios {
        let path = scenario.to_string_lossy();
        let Some(text) = try_yibao(&["settle", &path, "--format", "json"]) else {
            continue;
        };
        settled += 1;
        let answer: Value = serde_json::from_str(&text).expect("the answer is JSON");
        let found = errors(&validator, &answer);
        if !found.is_empty() {
            failures.push(format!("{path}:\n  {}", found.join("\n  ")));
        }
    }
    std::fs::remove_dir_all(&dir).expect("removed");
    assert!(settled > 55, "{settled} answers");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An edit of an answer, named.
type Edit = (&'static str, fn(&mut Value));

/// The schema is closed: an answer with a field it does not know, or without a field it
/// requires, is refused (as a field added to a type without its schema would be).
#[test]
fn a_field_unknown_or_missing_is_refused() {
    let validator = settlement_schema();
    let answer: Value = serde_json::from_str(&yibao(&[
        "settle",
        "examples/huaian-2026-inpatient.toml",
        "--format",
        "json",
    ]))
    .expect("the answer is JSON");
    assert_eq!(errors(&validator, &answer), Vec::<String>::new());
    let edits: [Edit; 4] = [
        ("a field added at the top", |a| {
            a["extra"] = Value::Bool(true);
        }),
        ("a field added in a claim", |a| {
            a["claims"][0]["extra"] = Value::Bool(true);
        }),
        ("a field added in a step", |a| {
            a["claims"][0]["steps"][0]["extra"] = Value::Bool(true);
        }),
        ("the envelope's version removed", |a| {
            a.as_object_mut()
                .expect("an object")
                .remove("schema_version");
        }),
    ];
    for (what, edit) in edits {
        let mut edited = answer.clone();
        edit(&mut edited);
        assert!(!errors(&validator, &edited).is_empty(), "{what}: accepted");
    }
}
