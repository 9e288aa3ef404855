//! A mistyped free-text value is refused with exit 1 (a value refused, as README says) and
//! the nearest known value: a jurisdiction, a person category, a policy section, a reform's
//! key path (one helper, `yibao::nearest`), and clap's own tip for a word among choices.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used)]

use std::process::Command;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const EXAMPLE: &str = "examples/huaian-2026-inpatient.toml";

/// Arguments, and what the message must say.
const CASES: &[(&[&str], &str)] = &[
    (
        &[
            "catastrophic",
            "--jurisdiction",
            "huaan",
            "--year",
            "2026",
            "--burden",
            "1",
        ],
        "did you mean `huaian`?",
    ),
    (
        &[
            "deadline",
            "approval",
            "--jurisdiction",
            "wujaing",
            "--submitted-on",
            "2026-01-05",
        ],
        "did you mean `wujiang`?",
    ),
    (
        &["policies", "show", "kunshn", "2021"],
        "did you mean `kunshan`?",
    ),
    (
        &[
            "contribution",
            "--jurisdiction",
            "huaian",
            "--year",
            "2026",
            "--category",
            "studnet",
            "--paid-on",
            "2026-01-05",
        ],
        "did you mean `student`?",
    ),
    (
        &["policies", "show", "huaian", "2026", "--section", "benefit"],
        "did you mean `benefits`?",
    ),
    (
        &[
            "settle",
            EXAMPLE,
            "--set",
            "benefits.inpatient.anual_fund_cap=1",
        ],
        "nearest known key: `benefits.inpatient.annual_fund_cap`",
    ),
    (
        &["settle", EXAMPLE, "--format", "jsno"],
        "a similar value exists: 'json'",
    ),
    (
        &["filing", EXAMPLE, "--care-at", "shangai"],
        "did you mean `shanghai`?",
    ),
    (
        &["filing", EXAMPLE, "--care-at", "zhejang/hangzhou"],
        "did you mean `zhejiang`?",
    ),
];

/// A word of the example scenario mistyped (the line as written, the line mistyped), and
/// the word suggested: every enum word and field of a scenario file is read through serde,
/// whose refusal lists the known words.
const SCENARIO_CASES: &[(&str, &str, &str)] = &[
    (
        "kind = \"inpatient\"",
        "kind = \"inpatiant\"",
        "`inpatient`",
    ),
    (
        "kind = \"inpatient\"",
        "kind = \"day-surgery\"",
        "`day_surgery`",
    ),
    (
        "kind = \"general_outpatient\"",
        "kind = \"general_outpatent\"",
        "`general_outpatient`",
    ),
    ("level = \"level_3\"", "level = \"levl_3\"", "`level_3`"),
    (
        "level = \"primary_care\"",
        "level = \"primary-care\"",
        "`primary_care`",
    ),
    ("[person]", "[persn]", "`person`"),
];

#[test]
fn a_mistyped_word_of_a_scenario_gets_the_nearest_known_one() {
    let example = std::fs::read_to_string(format!("{ROOT}/{EXAMPLE}")).expect("the example");
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (written, mistyped, suggested) in SCENARIO_CASES {
        let path = dir.path().join("mistyped.toml");
        assert!(example.contains(written), "{written}");
        std::fs::write(&path, example.replacen(written, mistyped, 1)).expect("written");
        let out = Command::new(env!("CARGO_BIN_EXE_yibao"))
            .arg("settle")
            .arg(&path)
            .output()
            .expect("the binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{mistyped}: {stderr}");
        let says = format!("hint: did you mean {suggested}?");
        assert!(
            stderr.contains(&says),
            "{mistyped}: `{says}` not in {stderr}"
        );
    }
}

#[test]
fn a_mistyped_value_gets_the_nearest_known_one() {
    for (args, says) in CASES {
        let out = Command::new(env!("CARGO_BIN_EXE_yibao"))
            .args(*args)
            .current_dir(ROOT)
            .output()
            .expect("the binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: `{says}` not in {stderr}");
    }
}
