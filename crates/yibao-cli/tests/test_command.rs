//! `yibao test`: the project's own scenario suite passes through the command, and a file
//! whose hand-computed figure is wrong, an unreadable file and a file that is not a test file
//! each fail with what differs, the count and exit 1.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn yibao(args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yibao"))
        .args(args)
        .current_dir(ROOT)
        .output()
        .expect("the binary runs")
}

#[test]
fn the_scenario_suite_passes() {
    let dir = Path::new(ROOT).join("tests/scenarios");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("the suite")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            format!(
                "tests/scenarios/{}",
                p.file_name().expect("a name").to_string_lossy()
            )
        })
        .collect();
    files.sort();
    let mut args = vec!["test".to_owned()];
    args.extend(files.iter().cloned());
    let out = yibao(&args);
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(out.status.success(), "{text}");
    assert_eq!(text.matches(" ... ok\n").count(), files.len(), "{text}");
    assert!(
        text.ends_with(&format!("ok. {} passed; 0 failed\n", files.len())),
        "{text}"
    );
}

#[test]
fn a_wrong_figure_an_unreadable_file_and_a_foreign_file_fail() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let good = "tests/scenarios/15-huaian-late-payment-waiting-period.toml";
    let text = std::fs::read_to_string(Path::new(ROOT).join(good)).expect("the scenario");
    let wrong = dir.path().join("wrong.toml");
    std::fs::write(
        &wrong,
        text.replace("basic_fund = \"7050.00\"", "basic_fund = \"7000.00\""),
    )
    .expect("written");
    let foreign = dir.path().join("foreign.toml");
    std::fs::write(
        &foreign,
        "jurisdiction = \"huaian\"\nyear = 2026\n[person]\n",
    )
    .expect("written");
    let missing = dir.path().join("missing.toml");
    let args: Vec<String> = ["test", good]
        .iter()
        .map(|s| (*s).to_owned())
        .chain([&wrong, &missing, &foreign].map(|p| p.display().to_string()))
        .collect();
    let out = yibao(&args);
    assert_eq!(out.status.code(), Some(1));
    let shown = String::from_utf8(out.stdout)
        .expect("UTF-8")
        .replace(&dir.path().display().to_string(), "[dir]");
    insta::assert_snapshot!(shown);
    assert_eq!(
        String::from_utf8(out.stderr).expect("UTF-8"),
        "yibao: 3 of 4 scenario test files failed\n"
    );
}
