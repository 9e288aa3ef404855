//! `yibao settle --format fhir` checked against the structure of HL7 FHIR R4 for every
//! example and every scenario of the suite: the `ClaimResponse` and `Bundle` elements used,
//! with their cardinalities and the required value sets, written by hand from the R4
//! specification (hl7.org/fhir/R4/claimresponse.html, bundle.html, datatypes.html#Money);
//! and its figures against the same claims' `--format json`.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::panic)]

mod invocations;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Map, Value};

const ADJUDICATION: &str = "http://terminology.hl7.org/CodeSystem/adjudication";
const CLAIM_TYPE: &str = "http://terminology.hl7.org/CodeSystem/claim-type";

/// Each element: its name, whether it is required, and the codes it may hold (a required
/// binding), empty when it is not a code.
const CLAIM_RESPONSE: [(&str, bool, &[&str]); 13] = [
    ("resourceType", true, &["ClaimResponse"]),
    ("id", false, &[]),
    ("identifier", false, &[]),
    (
        "status",
        true,
        &["active", "cancelled", "draft", "entered-in-error"],
    ),
    ("type", true, &[]),
    (
        "use",
        true,
        &["claim", "preauthorization", "predetermination"],
    ),
    ("patient", true, &[]),
    ("created", true, &[]),
    ("insurer", true, &[]),
    ("outcome", true, &["queued", "complete", "error", "partial"]),
    ("item", false, &[]),
    ("total", false, &[]),
    ("processNote", false, &[]),
];

/// The adjudication codes of R4 (an example binding, kept to its codes here).
const ADJUDICATION_CODES: [&str; 8] = [
    "submitted",
    "copay",
    "eligible",
    "deductible",
    "unallocdeduct",
    "eligpercent",
    "tax",
    "benefit",
];

fn run(scenario: &Path, format: &str) -> Option<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_yibao"))
        .arg("settle")
        .arg(scenario)
        .args(["--format", format])
        .current_dir(invocations::ROOT)
        .output()
        .expect("the binary runs");
    out.status
        .success()
        .then(|| String::from_utf8(out.stdout).expect("UTF-8"))
}

fn object<'v>(value: &'v Value, at: &str) -> &'v Map<String, Value> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("{at}: an object"))
}

fn list<'v>(value: &'v Value, at: &str) -> &'v Vec<Value> {
    value.as_array().unwrap_or_else(|| panic!("{at}: an array"))
}

fn coding(concept: &Value, at: &str, system: &str, codes: &[&str]) -> String {
    let codings = list(&concept["coding"], at);
    assert_eq!(codings.len(), 1, "{at}");
    assert_eq!(codings[0]["system"], system, "{at}");
    let code = codings[0]["code"].as_str().expect("a code").to_owned();
    assert!(
        codes.is_empty() || codes.contains(&code.as_str()),
        "{at}: {code}"
    );
    code
}

fn reference(value: &Value, at: &str) {
    let reference = object(value, at);
    assert!(
        reference
            .keys()
            .all(|k| ["identifier", "display"].contains(&k.as_str())),
        "{at}: {reference:?}"
    );
    if let Some(identifier) = reference.get("identifier") {
        assert!(
            identifier["system"]
                .as_str()
                .is_some_and(|s| s.starts_with("urn:"))
        );
        assert!(
            identifier["value"].as_str().is_some_and(|v| !v.is_empty()),
            "{at}"
        );
    } else {
        assert!(
            reference["display"].as_str().is_some_and(|v| !v.is_empty()),
            "{at}"
        );
    }
}

/// A Money: `value` a decimal, `currency` CNY; returns the value in fen (its text, two
/// places, is checked by [`two_places`]; the parsed number is exact to the fen far beyond
/// any amount here).
fn money(value: &Value, at: &str) -> i64 {
    let money = object(value, at);
    assert_eq!(money.len(), 2, "{at}");
    assert_eq!(money["currency"], "CNY", "{at}");
    let number = money["value"].as_f64().expect("a decimal");
    (number * 100.0).round() as i64
}

/// An amount of `--format json` (a string with two decimals) in fen.
fn fen(text: Option<&str>) -> Option<i64> {
    let (whole, cents) = text?.split_once('.')?;
    Some(whole.parse::<i64>().ok()? * 100 + cents.parse::<i64>().ok()?)
}

/// Checks one ClaimResponse; returns its adjudications as (code, fund, amount).
fn claim_response(value: &Value, at: &str) -> Vec<(String, Option<String>, Option<i64>)> {
    let resource = object(value, at);
    for key in resource.keys() {
        assert!(
            CLAIM_RESPONSE.iter().any(|(name, _, _)| name == key),
            "{at}: `{key}` is not an element of ClaimResponse"
        );
    }
    for (name, required, codes) in CLAIM_RESPONSE {
        match resource.get(name) {
            None => assert!(!required, "{at}: `{name}` is required"),
            Some(v) if !codes.is_empty() => {
                assert!(
                    codes.contains(&v.as_str().expect("a code")),
                    "{at}: {name} {v}"
                );
            }
            Some(_) => {}
        }
    }
    let id = resource["id"].as_str().expect("an id");
    assert!(
        !id.is_empty()
            && id.len() <= 64
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.'),
        "{at}: id {id}"
    );
    let claim_types = [
        "institutional",
        "oral",
        "pharmacy",
        "professional",
        "vision",
    ];
    coding(&resource["type"], at, CLAIM_TYPE, &claim_types);
    reference(&resource["patient"], at);
    reference(&resource["insurer"], at);
    let created = resource["created"].as_str().expect("a date");
    assert!(
        chrono_like_date(created),
        "{at}: created {created} is not YYYY-MM-DD"
    );
    let mut found = Vec::new();
    for (i, item) in list(&resource["item"], at).iter().enumerate() {
        assert!(
            item["itemSequence"].as_u64().is_some_and(|n| n >= 1),
            "{at}"
        );
        let adjudications = list(&item["adjudication"], at);
        assert!(
            !adjudications.is_empty(),
            "{at}: item {i} has no adjudication"
        );
        for adjudication in adjudications {
            let code = coding(
                &adjudication["category"],
                at,
                ADJUDICATION,
                &ADJUDICATION_CODES,
            );
            let fund = adjudication.get("reason").map(|reason| {
                coding(
                    reason,
                    at,
                    "urn:yibao:fund",
                    &["basic_fund", "catastrophic", "fiscal_subsidy"],
                )
            });
            let amount = adjudication.get("amount").map(|m| money(m, at));
            assert!(
                amount.is_some() || adjudication["reason"]["text"].is_string(),
                "{at}: an adjudication without an amount says why"
            );
            found.push((code, fund, amount));
        }
    }
    for total in list(&resource["total"], at) {
        coding(&total["category"], at, ADJUDICATION, &ADJUDICATION_CODES);
        money(&total["amount"], at);
    }
    for (n, note) in list(&resource["processNote"], at).iter().enumerate() {
        assert_eq!(note["number"].as_u64(), Some(n as u64 + 1), "{at}");
        assert!(
            ["display", "print", "printoper"].contains(&note["type"].as_str().expect("a code"))
        );
        let text = note["text"].as_str().expect("a text");
        assert!(text.contains(": "), "{at}: the note names its rule: {text}");
    }
    found
}

fn chrono_like_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Every money value in the text is a decimal with two places.
fn two_places(text: &str) {
    for line in text.lines() {
        if let Some(value) = line.trim().strip_prefix("\"value\": ") {
            if value.starts_with('"') {
                continue;
            }
            let value = value.trim_end_matches(',');
            let (whole, cents) = value.split_once('.').expect("a decimal point");
            assert!(
                !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()),
                "{value}"
            );
            assert!(
                cents.len() == 2 && cents.bytes().all(|b| b.is_ascii_digit()),
                "{value}"
            );
        }
    }
}

/// The FHIR of one scenario checked, and its figures against `--format json`.
fn check(scenario: &Path) {
    let at = scenario.display().to_string();
    let Some(fhir) = run(scenario, "fhir") else {
        assert!(
            run(scenario, "json").is_none(),
            "{at}: refused as FHIR only"
        );
        return;
    };
    two_places(&fhir);
    let json: Value = serde_json::from_str(&run(scenario, "json").expect("settles")).expect("JSON");
    let value: Value = serde_json::from_str(&fhir).expect("JSON");
    let claims = list(&json["claims"], &at);
    let resources: Vec<&Value> = match value["resourceType"].as_str() {
        Some("ClaimResponse") => vec![&value],
        Some("Bundle") => {
            assert_eq!(value["type"], "collection", "{at}");
            assert_eq!(object(&value, &at).len(), 3, "{at}");
            let entries = list(&value["entry"], &at);
            assert_ne!(entries.len(), 1, "{at}: one claim is a ClaimResponse alone");
            entries.iter().map(|e| &e["resource"]).collect()
        }
        other => panic!("{at}: resourceType {other:?}"),
    };
    assert_eq!(resources.len(), claims.len(), "{at}");
    for (resource, claim) in resources.into_iter().zip(claims) {
        let found = claim_response(resource, &at);
        let amount = |code: &str, fund: Option<&str>| {
            found
                .iter()
                .find(|(c, f, _)| c == code && f.as_deref() == fund)
                .and_then(|(_, _, amount)| *amount)
        };
        let figure = |key: &str| fen(claim[key].as_str());
        assert_eq!(amount("submitted", None), figure("amount"), "{at}");
        assert_eq!(amount("eligible", None), figure("eligible"), "{at}");
        assert_eq!(amount("deductible", None), figure("deductible"), "{at}");
        assert_eq!(amount("copay", None), figure("personal"), "{at}");
        if claim.get("basic_fund_not_settled").is_none() {
            assert_eq!(
                amount("benefit", Some("basic_fund")),
                figure("basic_fund"),
                "{at}"
            );
        }
        assert_eq!(
            amount("benefit", Some("catastrophic")),
            fen(claim["catastrophic"]["paid"].as_str()),
            "{at}"
        );
        let steps = list(&claim["steps"], &at).len();
        let notes = resource
            .get("processNote")
            .map_or(0, |n| list(n, &at).len());
        assert_eq!(notes, steps, "{at}: a note per step");
    }
}

#[test]
fn every_example_and_scenario_is_r4_claim_responses_with_the_settled_figures() {
    let root = Path::new(invocations::ROOT);
    let mut scenarios: Vec<PathBuf> = std::fs::read_dir(root.join("examples"))
        .expect("examples/")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    let dir = std::env::temp_dir().join(format!("yibao-fhir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let mut names: Vec<String> = std::fs::read_dir(root.join("tests/scenarios"))
        .expect("tests/scenarios/")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    scenarios.sort();
    scenarios.extend(
        names
            .iter()
            .map(|name| invocations::scenario_file(name, &dir)),
    );
    assert!(scenarios.len() > 60, "{} scenarios", scenarios.len());
    for scenario in &scenarios {
        check(scenario);
    }
    std::fs::remove_dir_all(&dir).expect("removed");
}
