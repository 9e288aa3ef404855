//! Validation of the `[catastrophic]` section: every broken-data fixture of this section is
//! caught by deserialisation or by `validate()`, and `validate()` reports every problem.

// Test helpers may panic on impossible setup failures.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::Path;

use yibao_catastrophic::CatastrophicPolicy;
use yibao_core::Validate;

const HUAIAN_2026: &str = include_str!("../../../policy-data/huaian/2026.toml");

/// What the section makes of a policy file: a deserialisation error, or the diagnostic codes.
fn check(text: &str) -> Result<Vec<&'static str>, String> {
    let table: toml::Table = yibao_core::prose::parse(text).map_err(|e| e.to_string())?;
    let section = table
        .get("catastrophic")
        .ok_or("no [catastrophic]")?
        .clone();
    let policy: CatastrophicPolicy = section
        .try_into()
        .map_err(|e: toml::de::Error| e.to_string())?;
    Ok(policy.validate().into_iter().map(|d| d.code).collect())
}

fn edited(find: &str, replace: &str) -> String {
    assert_eq!(
        HUAIAN_2026.matches(find).count(),
        1,
        "`{find}` must occur once"
    );
    HUAIAN_2026.replacen(find, replace, 1)
}

#[test]
fn real_data_is_clean() {
    assert_eq!(check(HUAIAN_2026), Ok(vec![]));
}

#[test]
fn validate_reports_every_problem_at_once() {
    let text = edited(r#"annual_cap = "500000""#, r#"annual_cap = "0""#)
        .replacen(r#"step = "5000""#, r#"step = "0""#, 1)
        .replacen(r#"threshold = "9000""#, r#"threshold = "19000""#, 1);
    let codes = check(&text).expect("deserialises");
    assert_eq!(
        codes,
        vec![
            "catastrophic-cap-zero",
            "aid-less-generous-than-ordinary",
            "incentive-step-zero"
        ]
    );
}

#[test]
fn aid_less_generous_names_the_values() {
    let text = edited(
        r#"{ from = "100000", rate = "90%" }"#,
        r#"{ from = "100000", rate = "80%" }"#,
    );
    let table: toml::Table = yibao_core::prose::parse(&text).expect("parses");
    let policy: CatastrophicPolicy = table["catastrophic"]
        .clone()
        .try_into()
        .expect("deserialises");
    let found = policy.validate();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].path.to_string(), "medical_aid_recipient");
    assert!(
        found[0]
            .message
            .contains("top rate 80% is below the ordinary top rate 85%"),
        "{}",
        found[0].message
    );
}

#[test]
fn every_catastrophic_fixture_is_caught() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/broken-policy");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("fixtures dir") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if !name.starts_with("catastrophic-") {
            continue;
        }
        seen += 1;
        let fixture: toml::Table =
            yibao_core::prose::parse(&std::fs::read_to_string(&path).expect("read"))
                .expect("fixture parses");
        let mut text = HUAIAN_2026.to_owned();
        for edit in fixture["edit"].as_array().expect("edits") {
            assert_eq!(edit["file"].as_str(), Some("huaian/2026.toml"), "{name}");
            let find = edit["find"].as_str().expect("find");
            let replace = edit["replace"].as_str().expect("replace");
            assert_eq!(
                text.matches(find).count(),
                1,
                "{name}: `{find}` must occur once"
            );
            text = text.replacen(find, replace, 1);
        }
        match check(&text) {
            Err(_) => {}
            Ok(codes) => assert!(!codes.is_empty(), "{name} is not caught"),
        }
    }
    assert!(seen >= 8, "only {seen} catastrophic fixtures");
}
