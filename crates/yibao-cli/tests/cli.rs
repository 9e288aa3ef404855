//! The `yibao` command as a person meets it: its tables, JSON, CSV, platform fields,
//! explanations and Chinese labels on the worked examples, and its one-line errors with
//! exit codes for broken scenarios (tests/fixtures/broken-scenarios/).
//!
//! These tests sit in the facade package because Cargo gives a binary's path only to its
//! own package's tests.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

mod invocations;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

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
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{args:?} wrote to stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

const HUAIAN: &str = "examples/huaian-2026-inpatient.toml";

#[test]
fn settle_table() {
    insta::assert_snapshot!(stdout(&["settle", HUAIAN]));
}

#[test]
fn settle_explain() {
    insta::assert_snapshot!(stdout(&["settle", HUAIAN, "--explain"]));
}

#[test]
fn settle_explain_zh() {
    insta::assert_snapshot!(stdout(&["settle", HUAIAN, "--explain", "--lang", "zh"]));
}

#[test]
fn settle_json() {
    let text = stdout(&["settle", HUAIAN, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    // The documented fields, amounts as strings with 2 decimals.
    assert_eq!(value["totals"]["basic_fund"], "96432.00");
    assert_eq!(value["totals"]["catastrophic"], "21402.00");
    assert_eq!(value["totals"]["personal"], "32366.00");
    assert_eq!(value["claims"][2]["catastrophic"]["paid"], "21402.00");
    assert_eq!(value["schema_version"], 1);
    assert_eq!(value["engine_version"], env!("CARGO_PKG_VERSION"));
    insta::assert_snapshot!(invocations::digest_hidden(&text));
}

#[test]
fn settle_csv() {
    insta::assert_snapshot!(stdout(&["settle", HUAIAN, "--format", "csv"]));
}

#[test]
fn settle_nhsa() {
    use serde_json::value::RawValue;
    use std::collections::BTreeMap;
    let text = stdout(&["settle", HUAIAN, "--format", "nhsa"]);
    // Each value kept as its raw JSON text: amounts are numbers, read without a float.
    let claims: Vec<BTreeMap<String, Box<RawValue>>> = serde_json::from_str(&text).expect("JSON");
    let a2: BTreeMap<String, Box<RawValue>> =
        serde_json::from_str(claims[2]["setlinfo"].get()).expect("setlinfo");
    let field = |key: &str| a2[key].get().to_owned();
    // A2: hifp 77,415 + hifmi 21,402 = fund 98,817; personal 21,183; (120,000 − 900) × 65%:
    // the ratio 0.65.
    assert_eq!(claims[2]["status"].get(), "\"settled\"");
    assert_eq!(field("hifp_pay"), "77415.00");
    assert_eq!(field("hifmi_pay"), "21402.00");
    assert_eq!(field("fund_pay_sumamt"), "98817.00");
    assert_eq!(field("psn_part_amt"), "21183.00");
    assert_eq!(field("pool_prop_selfpay"), "0.6500");
    insta::assert_snapshot!(text);
}

#[test]
fn settle_kunshan_student_reports_no_catastrophic_schedule() {
    let text = stdout(&["settle", "examples/kunshan-2021-student.toml"]);
    assert!(text.contains("the sources publish no catastrophic schedule for Kunshan 2021"));
    insta::assert_snapshot!(text);
}

#[test]
fn settle_remote_care() {
    insta::assert_snapshot!(stdout(&["settle", "examples/huaian-2026-remote-care.toml"]));
}

#[test]
fn policies_list_and_diff() {
    insta::assert_snapshot!("policies_list", stdout(&["policies", "list"]));
    insta::assert_snapshot!(
        "policies_diff_inpatient",
        stdout(&[
            "policies",
            "diff",
            "kunshan",
            "2021",
            "huaian",
            "2026",
            "--section",
            "benefits",
            "--format",
            "csv"
        ])
    );
}

#[test]
fn catastrophic_with_raises() {
    insta::assert_snapshot!(stdout(&[
        "catastrophic",
        "--jurisdiction",
        "huaian",
        "--year",
        "2026",
        "--burden",
        "700000",
        "--class",
        "medical_aid_recipient",
        "--consecutive-years",
        "2",
        "--zero-reimbursement-year",
        "2025",
    ]));
}

#[test]
fn contribution_after_first_july_pays_the_whole_funding() {
    // K10: from 1 July the person pays 150 + 650 = 800 alone.
    let text = stdout(&[
        "contribution",
        "--jurisdiction",
        "kunshan",
        "--year",
        "2021",
        "--category",
        "university_student",
        "--paid-on",
        "2021-07-01",
    ]);
    assert!(text.contains("800.00"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn h1_h5_contribution_for_huaian_2025_is_the_440_of_q14() {
    // H1 Reading: Q14 keeps 2026's 440 equal to 2025's; the 2026 source gives nothing else of
    // 2025, so the answer comes from the 2026 data's earlier-year figure (for a newborn's
    // birth-year back payment, H5), paid here in January 2026.
    let args = [
        "contribution",
        "--jurisdiction",
        "huaian",
        "--year",
        "2025",
        "--category",
        "child",
        "--paid-on",
        "2026-01-20",
        "--format",
        "json",
    ];
    let value: serde_json::Value = serde_json::from_str(&stdout(&args)).expect("JSON");
    assert_eq!(value["contribution"]["individual"], "440.00", "{value}");
    assert_eq!(
        value["contribution"]["paid_by_assistance"], "0.00",
        "{value}"
    );
    // 2024 has neither a book nor an earlier-year figure: refused.
    let out = yibao(&[
        "contribution",
        "--jurisdiction",
        "huaian",
        "--year",
        "2024",
        "--category",
        "child",
        "--paid-on",
        "2024-01-20",
    ]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn schema_is_json() {
    let text = stdout(&["schema", "scenario"]);
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(value["$defs"]["claim"]["required"][0], "date");
}

/// Every broken scenario is refused with one line naming the file position, exit code 1,
/// nothing on stdout and no backtrace.
#[test]
fn broken_scenarios_are_refused_with_one_clear_line() {
    let dir = Path::new(ROOT).join("tests/fixtures/broken-scenarios");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut all = String::new();
    for name in names {
        let path = format!("tests/fixtures/broken-scenarios/{name}");
        let out = yibao(&["settle", &path]);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(out.stdout.is_empty(), "{name}: wrote to stdout");
        assert_eq!(stderr.lines().count(), 1, "{name}: not one line: {stderr}");
        assert!(
            stderr.starts_with(&format!("yibao: {path}:"))
                || stderr.contains("unknown jurisdiction"),
            "{name}: no position: {stderr}"
        );
        assert!(
            !stderr.contains("panicked") && !stderr.contains("backtrace"),
            "{name}: {stderr}"
        );
        all.push_str(&stderr);
    }
    insta::assert_snapshot!(all);
}

/// The outputs are written as the claims are settled, after a first settlement has found
/// any error: a scenario refused at its last claim writes nothing, in any format.
#[test]
fn a_scenario_refused_at_its_last_claim_writes_nothing_in_any_format() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("late.toml");
    let text = std::fs::read_to_string(Path::new(ROOT).join(HUAIAN)).expect("the example");
    let late = "\n[[claims]]\ndate = \"2027-01-02\"\nkind = \"inpatient\"\nlevel = \"level_3\"\namount = \"100\"\n";
    std::fs::write(&path, format!("{text}{late}")).expect("written");
    let path = path.to_string_lossy().into_owned();
    for args in [
        vec![],
        vec!["--explain"],
        vec!["--format", "json"],
        vec!["--format", "csv"],
        vec!["--format", "nhsa"],
    ] {
        let out = yibao(&[&["settle", path.as_str()], args.as_slice()].concat());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}: wrote to stdout");
        assert!(stderr.contains("dated 2027-01-02"), "{args:?}: {stderr}");
    }
}

#[test]
fn exit_codes_are_documented_and_kept() {
    // 2: usage
    assert_eq!(yibao(&["settle"]).status.code(), Some(2));
    assert_eq!(yibao(&["no-such-command"]).status.code(), Some(2));
    // 4: an unreadable file
    let out = yibao(&["settle", "examples/no-such-file.toml"]);
    assert_eq!(out.status.code(), Some(4));
    // 1: nhsa format outside settle
    assert_eq!(
        yibao(&["policies", "list", "--format", "nhsa"])
            .status
            .code(),
        Some(1)
    );
    // The help lists them.
    let help = stdout(&["--help"]);
    assert!(
        help.contains("3  the policy data failed its checks"),
        "{help}"
    );
}

#[test]
fn a_broken_policy_dir_is_refused_with_its_diagnostics() {
    let dir = std::env::temp_dir().join(format!("yibao-cli-policy-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&Path::new(ROOT).join("policy-data"), &dir);
    let file = dir.join("huaian/2026.toml");
    let text = std::fs::read_to_string(&file).expect("huaian");
    std::fs::write(
        &file,
        text.replacen("annual_cap = \"500000\"", "annual_cap = \"-500000\"", 1),
    )
    .expect("write");
    let out = yibao(&[
        "--policy-dir",
        dir.to_str().expect("path"),
        "settle",
        HUAIAN,
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("huaian/2026.toml:") && stderr.contains("`-500000` is negative"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

/// One spelling of primary care (H11 Reading): a scenario in TOML or JSON says
/// `primary_care`, and JSON and CSV write it back the same way; another spelling is
/// refused with the accepted values, on one line.
#[test]
fn h11_primary_care_is_spelt_one_way_in_and_out() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let claim = |level: &str| {
        format!(
            r#"{{"jurisdiction": "huaian", "year": 2026, "person": {{"id": "PC"}},
               "claims": [{{"id": "O1", "date": "2026-03-01", "kind": "general_outpatient",
                            "level": "{level}", "amount": "100"}}]}}"#
        )
    };
    let json = dir.join("primary-care.json");
    std::fs::write(&json, claim("primary_care")).expect("written");
    let toml = dir.join("primary-care.toml");
    std::fs::write(
        &toml,
        "jurisdiction = \"huaian\"\nyear = 2026\n[person]\nid = \"PC\"\n[[claims]]\nid = \"O1\"\ndate = \"2026-03-01\"\nkind = \"general_outpatient\"\nlevel = \"primary_care\"\namount = \"100\"\n",
    )
    .expect("written");
    for input in [&json, &toml] {
        let path = input.to_str().expect("UTF-8 path");
        let report: serde_json::Value =
            serde_json::from_str(&stdout(&["settle", path, "--format", "json"])).expect("JSON");
        // H11: 100 × 50% = 50 at primary care.
        assert_eq!(report["claims"][0]["level"], "primary_care", "{path}");
        assert_eq!(report["claims"][0]["basic_fund"], "50.00", "{path}");
        assert_eq!(report["claims"][0]["not_paid"], serde_json::Value::Null);
        let csv = stdout(&["settle", path, "--format", "csv"]);
        assert!(csv.contains(",general_outpatient,primary_care,"), "{csv}");
    }
    let misspelt = dir.join("primary.json");
    std::fs::write(&misspelt, claim("primary")).expect("written");
    let out = yibao(&["settle", misspelt.to_str().expect("UTF-8 path")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("primary") && stderr.contains("`primary_care`"),
        "{stderr}"
    );
}

/// Date arguments are read as the scenarios' dates are: an impossible day says why it does
/// not exist, another spelling says how to write a date; exit 1, as for any value refused.
#[test]
fn date_arguments_are_read_strictly() {
    for (flag, value, message) in [
        (
            "--paid-on",
            "2026-02-29",
            "2026-02-29 does not exist: 2026 is not a leap year",
        ),
        ("--paid-on", "2026-2-3", "is not a date written YYYY-MM-DD"),
        (
            "--paid-on",
            "+2026-02-03",
            "is not a date written YYYY-MM-DD",
        ),
        ("--as-of", "2026-04-31", "2026-04-31 does not exist"),
    ] {
        let args: Vec<&str> = if flag == "--as-of" {
            vec![
                "filing",
                "tests/scenarios/53-wujiang-filings-year-no-claims.toml",
                flag,
                value,
            ]
        } else {
            vec![
                "contribution",
                "--jurisdiction",
                "huaian",
                "--year",
                "2026",
                "--category",
                "child",
                flag,
                value,
            ]
        };
        let out = yibao(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{flag} {value}: {stderr}");
        assert!(stderr.contains(message), "{flag} {value}: {stderr}");
    }
}
