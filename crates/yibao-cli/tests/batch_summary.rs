//! `yibao batch --summary FILE.json` (the summary in machine form, its shape snapshot-tested
//! with times, memory and the policy-data digest redacted) and `yibao batch --reform/--set`
//! (the reform's columns, whose sums are the summary's reform totals).

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

const HEADER: &str = "person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount";
const SET: &str = "benefits.inpatient.ratio.by_level.level_3=70%";

fn yibao(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yibao"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the binary runs")
}

/// Four persons: P1 and P3 settle; P2's second row has a bad amount (its first row is held
/// back with it); P4's rows disagree on `category`.
fn claims() -> String {
    format!(
        "{HEADER}
P1,ordinary,false,2,false,2026-04-01,inpatient,3,10000
P2,ordinary,false,2,false,2026-04-01,inpatient,3,100
P2,ordinary,false,2,false,2026-05-01,inpatient,3,abc
P3,ordinary,false,2,false,2026-04-01,inpatient,3,60000
P4,ordinary,false,2,false,2026-04-01,inpatient,2,100
P4,medical_aid_recipient,false,2,false,2026-04-02,inpatient,2,100
"
    )
}

fn run_batch(extra: &[&str]) -> (tempfile::TempDir, Output, serde_json::Value) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("claims.csv"), claims()).expect("write");
    let mut args = vec![
        "batch",
        "--jurisdiction",
        "huaian",
        "--year",
        "2026",
        "--input",
        "claims.csv",
        "--output",
        "out.csv",
        "--errors",
        "errors.csv",
        "--summary",
        "summary.json",
        "--threads",
        "2",
    ];
    args.extend(extra);
    let out = yibao(dir.path(), &args);
    let text = std::fs::read_to_string(dir.path().join("summary.json")).expect("the summary");
    let value = serde_json::from_str(&text).expect("JSON");
    (dir, out, value)
}

/// The summary with what changes from run to run (times, memory) or with the data (the
/// digest, the engine version) redacted, after checking their form.
fn redacted(mut value: serde_json::Value) -> String {
    let digest = value["policy_data"]["sha256"].as_str().expect("a digest");
    assert!(digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit()));
    value["policy_data"]["sha256"] = "[sha256]".into();
    assert_eq!(value["engine_version"], env!("CARGO_PKG_VERSION"));
    value["engine_version"] = "[version]".into();
    for time in ["total_seconds", "settling_seconds"] {
        assert!(value["times"][time].is_f64(), "{time}");
        value["times"][time] = "[seconds]".into();
    }
    if !value["peak_memory_kib"].is_null() {
        value["peak_memory_kib"] = "[kib]".into();
    }
    serde_json::to_string_pretty(&value).expect("JSON")
}

#[test]
fn the_machine_summary_has_its_shape() {
    let (_dir, out, value) = run_batch(&[]);
    assert_eq!(out.status.code(), Some(1), "rows in error exit 1");
    insta::assert_snapshot!(redacted(value));
}

#[test]
fn the_machine_summary_with_a_reform_has_its_totals() {
    let (_dir, _, value) = run_batch(&["--set", SET]);
    insta::assert_snapshot!(redacted(value));
}

#[test]
fn the_summary_counts_what_the_files_hold() {
    let (dir, _, value) = run_batch(&[]);
    let lines = |name: &str| {
        std::fs::read_to_string(dir.path().join(name))
            .expect("an output")
            .lines()
            .count() as u64
            - 1
    };
    assert_eq!(value["rows"]["in_error"], lines("errors.csv"));
    assert_eq!(value["persons"]["settled"], lines("out.csv"));
    let by_reason: u64 = value["errors_by_reason"]
        .as_object()
        .expect("an object")
        .values()
        .map(|n| n.as_u64().expect("a count"))
        .sum();
    assert_eq!(by_reason, lines("errors.csv"));
}

fn fen(text: &str) -> i64 {
    let negative = text.starts_with('-');
    let (whole, cents) = text
        .trim_start_matches('-')
        .split_once('.')
        .expect("two decimals");
    let value = whole.parse::<i64>().expect("yuan") * 100 + cents.parse::<i64>().expect("fen");
    if negative { -value } else { value }
}

/// The reform's totals in the summary are the sums of the persons' reform and difference
/// columns.
#[test]
fn a_batch_reform_totals_are_the_sums_of_the_persons_columns() {
    let (dir, _, value) = run_batch(&["--set", SET]);
    let output = std::fs::read_to_string(dir.path().join("out.csv")).expect("the output");
    let column = |name: &str| -> i64 {
        let mut lines = output.lines();
        let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
        let at = header.iter().position(|c| *c == name).expect(name);
        lines
            .map(|line| fen(line.split(',').nth(at).expect("a field")))
            .sum()
    };
    let reform = &value["reform"];
    for (total, name) in [
        ("basic_fund", "reform_basic_fund_paid"),
        ("catastrophic", "reform_catastrophic_paid"),
        ("personal", "reform_personal_burden"),
        ("difference_basic_fund", "difference_basic_fund_paid"),
        ("difference_catastrophic", "difference_catastrophic_paid"),
        ("difference_personal", "difference_personal_burden"),
    ] {
        assert_eq!(
            fen(reform[total].as_str().expect("an amount")),
            column(name),
            "{total}"
        );
    }
    assert_eq!(reform["reconcile"], true);
}

#[test]
fn the_summary_is_never_the_input_or_another_output() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("claims.csv"), claims()).expect("write");
    for summary in ["claims.csv", "out.csv"] {
        let out = yibao(
            dir.path(),
            &[
                "batch",
                "--jurisdiction",
                "huaian",
                "--year",
                "2026",
                "--input",
                "claims.csv",
                "--output",
                "out.csv",
                "--summary",
                summary,
            ],
        );
        assert_eq!(out.status.code(), Some(2), "{summary}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("claims.csv")).expect("the input"),
        claims()
    );
}

/// Without a reform the per-person output has no reform column.
#[test]
fn without_a_reform_the_output_keeps_its_columns() {
    let (dir, _, value) = run_batch(&[]);
    let output = std::fs::read_to_string(dir.path().join("out.csv")).expect("the output");
    assert_eq!(
        output.lines().next(),
        Some(
            "person_id,basic_fund_paid,catastrophic_paid,personal_burden,catastrophic_status,catastrophic_reason"
        )
    );
    assert!(value["reform"].is_null());
}
