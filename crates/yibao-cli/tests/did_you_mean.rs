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
];

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
