//! Tables fit the terminal: at 120 columns a table that fits is drawn whole and one holding
//! prose is wrapped; at 80 a table too wide becomes a list of `label: value` blocks; numbers
//! are right-aligned. The width is set explicitly (`COLUMNS`), as a terminal would give it;
//! without one (a pipe, as in every other test) the table is drawn whole.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used)]

use std::process::Command;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// Commands whose tables are shown at each width.
const CASES: &[&[&str]] = &[
    &["settle", "examples/huaian-2026-inpatient.toml"],
    &[
        "settle",
        "examples/huaian-2026-inpatient.toml",
        "--lang",
        "zh",
    ],
    &["cover", "examples/kunshan-2021-student.toml"],
    &["catastrophic", "--ladder", "--jurisdiction", "huaian"],
    &["policies", "list"],
];

fn shown(width: Option<&str>) -> String {
    let mut all = String::new();
    for args in CASES {
        let mut command = Command::new(env!("CARGO_BIN_EXE_yibao"));
        command.args(*args).current_dir(ROOT).env_remove("COLUMNS");
        if let Some(width) = width {
            command.env("COLUMNS", width);
        }
        let out = command.output().expect("the binary runs");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let widest = stdout
            .lines()
            .filter(|line| line.starts_with(['┌', '│', '╞', '└']))
            .map(|line| line.chars().count())
            .max()
            .unwrap_or(0);
        if let Some(width) = width {
            let width: usize = width.parse().expect("a width");
            assert!(
                widest <= width,
                "{args:?}: a table {widest} wide in {width}"
            );
        }
        all += &format!(
            "$ COLUMNS={} yibao {}\n{stdout}\n",
            width.unwrap_or("-"),
            args.join(" ")
        );
    }
    all
}

#[test]
fn tables_fit_80_columns() {
    insta::assert_snapshot!(shown(Some("80")));
}

#[test]
fn tables_fit_120_columns() {
    insta::assert_snapshot!(shown(Some("120")));
}

/// Without a width (standard output not a terminal) every table is drawn whole.
#[test]
fn without_a_terminal_the_table_is_whole() {
    let text = shown(None);
    assert!(!text.contains("  date:"), "{text}");
}
