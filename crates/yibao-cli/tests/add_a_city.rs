//! The guide "Add a city or a year" of policy-data/README.md, followed step by step: the
//! policy data copied into a temporary directory, the fictional city of
//! tests/fixtures/fictional-city/ added to it (its file, its jurisdiction entry, its source
//! and rules), then its scenario test run with `yibao test --policy-dir` and its admission
//! settled with `yibao settle --policy-dir`, the figures computed by hand from the fixture's
//! made-up numbers.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used)]

mod invocations;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const FIXTURE: &str = "tests/fixtures/fictional-city";

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("a directory");
    for entry in fs::read_dir(from).expect("a directory") {
        let path = entry.expect("an entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).expect("copied");
        }
    }
}

fn append(file: &Path, fragment: &Path) {
    let mut text = fs::read_to_string(file).expect("the registry file");
    text.push('\n');
    text.push_str(&fs::read_to_string(fragment).expect("the fixture's fragment"));
    fs::write(file, text).expect("written");
}

fn yibao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yibao"))
        .args(args)
        .current_dir(invocations::ROOT)
        .output()
        .expect("the binary runs")
}

#[test]
fn a_fictional_city_added_by_the_guide_settles_as_computed_by_hand() {
    let root = Path::new(invocations::ROOT);
    let fixture = root.join(FIXTURE);
    let dir = tempfile::tempdir().expect("a scratch directory");
    let data = dir.path().join("policy-data");
    // Step 1: a copy of the data; steps 2 to 4: the city's file, its place in the
    // hierarchy, its source and rules.
    copy_dir(&root.join("policy-data"), &data);
    copy_dir(&fixture.join("fictown"), &data.join("fictown"));
    append(
        &data.join("jurisdictions.toml"),
        &fixture.join("jurisdictions.toml"),
    );
    append(&data.join("sources.toml"), &fixture.join("sources.toml"));
    let data = data.to_str().expect("UTF-8");

    // Without the city, its scenario is refused; with it, the scenario test passes.
    let test = fixture.join("fictown-2026-admission.toml");
    let test = test.to_str().expect("UTF-8");
    let without = yibao(&["test", test]);
    assert_eq!(without.status.code(), Some(1));
    let with = yibao(&["test", test, "--policy-dir", data]);
    let said = String::from_utf8_lossy(&with.stdout);
    assert_eq!(with.status.code(), Some(0), "{said}");
    assert!(said.contains("1 passed; 0 failed"), "{said}");

    // The admission settled: deductible 1,000; (20,000 − 1,000) × 60% = 11,400; the person
    // 8,600, below the catastrophic threshold.
    let text = fs::read_to_string(test).expect("the test file");
    let file: toml::Table = toml::from_str(&text).expect("TOML");
    let scenario = dir.path().join("scenario.toml");
    fs::write(
        &scenario,
        toml::to_string(file.get("scenario").expect("[scenario]")).expect("TOML"),
    )
    .expect("written");
    let settled = yibao(&[
        "settle",
        scenario.to_str().expect("UTF-8"),
        "--policy-dir",
        data,
        "--format",
        "json",
    ]);
    assert_eq!(
        settled.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&settled.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&settled.stdout).expect("JSON");
    let claim = &report["claims"][0];
    let figures = [
        (&report["jurisdiction"], "fictown"),
        (&claim["deductible"], "1000.00"),
        (&claim["basic_fund"], "11400.00"),
        (&claim["personal"], "8600.00"),
        (&claim["catastrophic"]["paid"], "0.00"),
        (&report["contributions"][0]["individual"], "400.00"),
    ];
    for (got, expected) in figures {
        assert_eq!(got, expected);
    }
    let rules: Vec<&serde_json::Value> = claim["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|step| &step["rule"])
        .collect();
    assert!(
        rules.contains(&&serde_json::Value::from("F14")),
        "{rules:?}"
    );
}
