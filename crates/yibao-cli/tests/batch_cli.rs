//! `yibao batch` as a person runs it: standard input to standard output, files, the errors
//! file, the summary on standard error, and the exit codes (0 all settled, 1 some rows in
//! error, 2 usage, 4 a file that cannot be read).
//!
//! These tests sit in the facade package because Cargo gives a binary's path only to its
//! own package's tests.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

const HEADER: &str = "person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount";

fn batch(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_yibao"))
        .arg("batch")
        .args(["--jurisdiction", "huaian", "--year", "2026"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("the binary ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

#[test]
fn stdin_to_stdout_settles_and_exits_0_with_the_summary_on_stderr() {
    // (1,300 − 300) × 85% = 850 (H14 level 1).
    let input = format!("{HEADER}\nG1,ordinary,false,2,false,2026-01-05,inpatient,1,1300\n");
    let out = batch(&["--input", "-", "--output", "-"], &input);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "person_id,basic_fund_paid,catastrophic_paid,personal_burden,catastrophic_status,catastrophic_reason\nG1,850.00,0.00,450.00,settled,\n"
    );
    let stderr = text(&out.stderr);
    // Not a terminal: no progress bar; no error rows: no errors header; only the summary.
    assert!(stderr.starts_with("batch summary (settle)\n"), "{stderr}");
    assert!(stderr.contains("rows in error:          0"), "{stderr}");
    assert!(stderr.contains("money reconciles:       yes"), "{stderr}");
    assert!(stderr.contains("of which first pass:    none"), "{stderr}");
}

#[test]
fn rows_in_error_go_to_the_errors_file_and_exit_1() {
    let dir = std::env::temp_dir().join(format!("yibao-batch-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("claims.csv");
    let output = dir.join("results.csv");
    let errors = dir.join("errors.csv");
    let per_claim = dir.join("per-claim.csv");
    std::fs::write(
        &input,
        format!(
            "{HEADER}
G1,ordinary,false,2,false,2026-01-05,inpatient,1,1300
B,ordinary,false,2,false,2026-01-05,inpatient,1,12.345
"
        ),
    )
    .unwrap();
    let path = |p: &std::path::Path| p.to_str().unwrap().to_owned();
    let out = batch(
        &[
            "--input",
            &path(&input),
            "--output",
            &path(&output),
            "--errors",
            &path(&errors),
            "--per-claim",
            &path(&per_claim),
            "--threads",
            "2",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.ends_with(&format!(
            "yibao: 1 of 2 rows are in error (see {}); the other rows are settled\n",
            path(&errors)
        )),
        "{stderr}"
    );
    assert!(stderr.contains("rows reconcile:         yes"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&output).unwrap(),
        "person_id,basic_fund_paid,catastrophic_paid,personal_burden,catastrophic_status,catastrophic_reason\nG1,850.00,0.00,450.00,settled,\n"
    );
    let errors_text = std::fs::read_to_string(&errors).unwrap();
    assert!(
        errors_text.starts_with("line,person_id,column,reason\n3,B,amount,"),
        "{errors_text}"
    );
    assert_eq!(
        std::fs::read_to_string(&per_claim).unwrap().lines().nth(1),
        Some(
            "2,G1,,2026-01-05,inpatient,level_1,1300.00,850.00,0.00,450.00,settled,,1300.00,300.00,0.00,assumed,local,,"
        )
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn without_an_errors_file_error_rows_go_to_stderr_before_the_summary() {
    let input = format!("{HEADER}\nK,ordinary,false,2,false,2026-01-05,dental,1,1300\n");
    let out = batch(&["--input", "-", "--output", "-"], &input);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("line,person_id,column,reason\n2,K,kind,"),
        "{stderr}"
    );
    assert!(stderr.contains("\nbatch summary (settle)\n"), "{stderr}");
    assert!(
        stderr.ends_with(
            "yibao: 1 of 1 rows are in error (see standard error); the other rows are settled\n"
        ),
        "{stderr}"
    );
}

#[test]
fn a_missing_input_file_exits_4_and_a_bad_header_exits_1() {
    let out = batch(&["--input", "/nonexistent/claims.csv", "--output", "-"], "");
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let out = batch(&["--input", "-", "--output", "-"], "person_id,colour\n");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("unknown column `colour`"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_missing_argument_is_a_usage_error() {
    let out = batch(&["--output", "-"], "");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_file_with_file_outputs_has_no_first_pass_unless_its_persons_are_out_of_order() {
    let dir = std::env::temp_dir().join(format!("yibao-batch-order-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |name: &str| dir.join(name).to_str().unwrap().to_owned();
    let row = |p: &str| format!("{p},ordinary,false,2,false,2026-01-05,inpatient,1,1300\n");
    // Settles `input` with every output a file.
    let settle_to_files = |input: &str| {
        let (input, results, errors, per_claim) = (
            path(input),
            path("results.csv"),
            path("errors.csv"),
            path("per-claim.csv"),
        );
        batch(
            &[
                "--input",
                &input,
                "--output",
                &results,
                "--errors",
                &errors,
                "--per-claim",
                &per_claim,
            ],
            "",
        )
    };
    std::fs::write(
        path("ascending.csv"),
        format!("{HEADER}\n{}{}", row("A"), row("B")),
    )
    .unwrap();
    std::fs::write(
        path("descending.csv"),
        format!("{HEADER}\n{}{}{}", row("C"), row("B"), row("A")),
    )
    .unwrap();

    let out = settle_to_files("ascending.csv");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "of which first pass:    none (the persons ascend, checked as they were written)"
        ),
        "{stderr}"
    );

    // Out of order: the batch stops at B, reads the file first and writes every output again.
    let out = settle_to_files("descending.csv");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("settling up to line 3, where person `B` comes after `C` (out of order: the outputs were written again)"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(path("results.csv")).unwrap(),
        "person_id,basic_fund_paid,catastrophic_paid,personal_burden,catastrophic_status,catastrophic_reason\nC,850.00,0.00,450.00,settled,\nB,850.00,0.00,450.00,settled,\nA,850.00,0.00,450.00,settled,\n"
    );
    assert_eq!(
        std::fs::read_to_string(path("errors.csv")).unwrap(),
        "line,person_id,column,reason\n"
    );
    assert_eq!(
        std::fs::read_to_string(path("per-claim.csv"))
            .unwrap()
            .lines()
            .count(),
        4
    );

    // A bad header is refused before any output is created or emptied.
    std::fs::write(path("bad.csv"), "person_id,colour\n").unwrap();
    let out = settle_to_files("bad.csv");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("unknown column `colour`"));
    assert!(
        std::fs::read_to_string(path("results.csv"))
            .unwrap()
            .ends_with("A,850.00,0.00,450.00,settled,\n")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn schema_batch_prints_every_column_of_the_claims_table() {
    let out = Command::new(env!("CARGO_BIN_EXE_yibao"))
        .args(["schema", "batch"])
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(0));
    let printed = text(&out.stdout);
    assert_eq!(printed, yibao_batch::schema::text());
    for column in yibao_batch::Column::ALL {
        assert!(
            printed.contains(&format!("\n{}  (", column.name())),
            "{}",
            column.name()
        );
    }
    assert!(printed.contains("emergency_outcome  (required on `emergency` rows)"));
}

#[test]
fn the_outputs_and_machine_summary_are_the_same_in_every_language_but_the_reasons() {
    let dir = std::env::temp_dir().join(format!("yibao-batch-cli-lang-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("claims.csv");
    std::fs::write(
        &input,
        format!(
            "{HEADER}
G1,ordinary,false,2,false,2026-01-05,inpatient,1,1300
G2,ordinary,false,2,false,2026-02-30,inpatient,1,1300
G3,ordinary,false,2,false,2026-03-01,inpatient,3,30000
G3,ordinary,false,2,false,2026-03-02,inpatiant,3,100
G4,ordinary,false,2,false,2026-03-01,inpatient,level_9,100
G5,ordinary,false,2,false,2026-03-01,inpatient,3,
G6,ordinary,false,2,false,2026-03-01,maternity_delivery,2,8000
G7,ordinary,false,2,false,2026-03-01,\"inpatient,3,100
"
        ),
    )
    .unwrap();
    let run = |lang: &str| {
        let file = |name: &str| {
            dir.join(format!("{lang}-{name}"))
                .to_str()
                .unwrap()
                .to_owned()
        };
        let out = batch(
            &[
                "--input",
                input.to_str().unwrap(),
                "--output",
                &file("out.csv"),
                "--errors",
                &file("errors.csv"),
                "--per-claim",
                &file("per-claim.csv"),
                "--summary",
                &file("summary.json"),
                "--threads",
                "2",
                "--lang",
                lang,
            ],
            "",
        );
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        let read = |name: &str| std::fs::read_to_string(file(name)).unwrap();
        // The machine summary without its run-to-run times and memory.
        let summary: serde_json::Value = serde_json::from_str(&read("summary.json")).unwrap();
        let mut summary = summary.as_object().unwrap().clone();
        for varies in ["times", "peak_memory_kib"] {
            assert!(summary.remove(varies).is_some(), "{varies}");
        }
        (
            read("out.csv"),
            read("per-claim.csv"),
            summary,
            read("errors.csv"),
        )
    };
    let (en, zh) = (run("en"), run("zh"));
    assert_eq!(en.0, zh.0, "the output");
    assert_eq!(en.1, zh.1, "the per-claim output");
    assert_eq!(en.2, zh.2, "the machine summary");
    let rows = |errors: &str| -> Vec<Vec<String>> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(errors.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    };
    let (errors_en, errors_zh) = (rows(&en.3), rows(&zh.3));
    assert_eq!(errors_en.len(), errors_zh.len());
    assert_eq!(errors_en.len(), 7, "{}", en.3);
    assert_eq!(errors_en[0], errors_zh[0], "the header");
    for (en, zh) in errors_en.iter().zip(&errors_zh).skip(1) {
        // Line, person and column the same; the reason in the language asked for.
        assert_eq!(en[..3], zh[..3]);
        assert_ne!(en[3], zh[3]);
        assert!(en[3].is_ascii(), "{}", en[3]);
        assert!(!zh[3].is_ascii(), "{}", zh[3]);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
