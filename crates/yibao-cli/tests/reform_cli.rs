//! `--reform` and `--set` on `yibao settle` and `yibao policies diff`: the baseline, the
//! reform and their difference, and refused settings named with their path and reason.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::panic)]

use std::process::{Command, Output};

mod invocations;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const HUAIAN: &str = "examples/huaian-2026-inpatient.toml";
const REFORM: &str = "tests/fixtures/reforms/huaian-2026-level-3-70.toml";
const SET: &str = "benefits.inpatient.ratio.by_level.level_3=70%";

fn yibao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yibao"))
        .args(args)
        .current_dir(ROOT)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the binary runs")
}

fn stdout(args: &[&str]) -> String {
    let out = yibao(args);
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn fen(value: &serde_json::Value) -> i64 {
    let text = value.as_str().expect("an amount as text");
    let (whole, cents) = text.split_once('.').expect("two decimals");
    let sign = if whole.starts_with('-') { -1 } else { 1 };
    let whole: i64 = whole.trim_start_matches('-').parse().expect("yuan");
    let cents: i64 = cents.parse().expect("fen");
    sign * (whole * 100 + cents)
}

/// examples/huaian-2026-inpatient.toml with the level-3 inpatient ratio at 70% (H14): the
/// admissions' funds become (30,000 − 900) × 70% = 20,370 and (120,000 − 900) × 70% = 83,370
/// (basic fund 96,432 → 103,842); the burden 9,630 + 36,630 = 46,260 gives catastrophic
/// (46,260 − 18,000) × 60% = 16,956 (was 21,402).
#[test]
fn settle_with_a_reform_shows_baseline_reform_and_difference() {
    let text = stdout(&["settle", HUAIAN, "--set", SET, "--format", "json"]);
    insta::assert_snapshot!(invocations::digest_hidden(&text));
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(value["baseline"]["basic_fund"], "96432.00");
    assert_eq!(value["reform"]["basic_fund"], "103842.00");
    assert_eq!(value["reform"]["catastrophic"], "16956.00");
    for part in ["basic_fund", "catastrophic", "fiscal_subsidy", "personal"] {
        assert_eq!(
            fen(&value["difference"][part]),
            fen(&value["reform"][part]) - fen(&value["baseline"][part]),
            "{part}"
        );
    }
}

#[test]
fn a_reform_file_and_its_setting_settle_alike() {
    for format in ["json", "csv", "table"] {
        assert_eq!(
            stdout(&["settle", HUAIAN, "--reform", REFORM, "--format", format])
                .replace(REFORM, "R"),
            stdout(&["settle", HUAIAN, "--set", SET, "--format", format])
                .replace(&format!("--set {SET}"), "R"),
            "{format}"
        );
    }
}

#[test]
fn settle_with_a_reform_as_csv() {
    insta::assert_snapshot!(stdout(&["settle", HUAIAN, "--set", SET, "--format", "csv"]));
}

#[test]
fn policies_diff_shows_what_a_reform_changes() {
    insta::assert_snapshot!(stdout(&[
        "policies",
        "diff",
        "huaian",
        "2026",
        "--reform",
        REFORM,
        "--set",
        "benefits.inpatient.annual_fund_cap=250000",
    ]));
}

/// Refused reforms: exit 1, one message naming the path (or file:line:col) and why.
#[test]
fn refused_reforms_name_the_path_and_why() {
    let table: [(&[&str], &str); 4] = [
        (
            &[
                "settle",
                HUAIAN,
                "--set",
                "benefits.inpatient.ratio.by_level.levl_3=70%",
            ],
            "nearest known key: `benefits.inpatient.ratio.by_level.level_3`",
        ),
        (
            &[
                "settle",
                HUAIAN,
                "--set",
                "enrolment.late_payment.months=two",
            ],
            "--set `enrolment.late_payment.months=two`: `two` is not a whole number",
        ),
        (
            &[
                "policies",
                "diff",
                "huaian",
                "2026",
                "--set",
                "benefits.inpatient.annual_fund_cap.x=1",
            ],
            "`benefits.inpatient.annual_fund_cap` is a word or an amount in quotes, not a table",
        ),
        (
            &[
                "settle",
                HUAIAN,
                "--set",
                "benefits.inpatient.annual_fund_cap",
            ],
            "expected `path=value`",
        ),
    ];
    for (args, says) in table {
        let out = yibao(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(stderr.contains(says), "{args:?}: `{says}` not in {stderr}");
    }
}

#[test]
fn explain_and_nhsa_are_for_one_settlement() {
    for extra in [&["--explain"][..], &["--format", "nhsa"][..]] {
        let mut args = vec!["settle", HUAIAN, "--set", SET];
        args.extend(extra);
        let out = yibao(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
    }
}

/// K4 with the inpatient fund cap lowered to 5,000 (Kunshan 2021, no catastrophic schedule):
/// the catastrophic columns give the code, their difference is empty, the total says
/// `not_settled`.
#[test]
fn settle_with_a_reform_where_catastrophic_is_not_settled() {
    insta::assert_snapshot!(stdout(&[
        "settle",
        "examples/kunshan-2021-student.toml",
        "--set",
        "benefits.inpatient.annual_fund_cap=5000",
        "--format",
        "csv",
    ]));
}
