//! `yibao catastrophic --ladder`: without `--jurisdiction`, every insured place's schedules
//! across the years the data spans; a year without a schedule says why, telling a year the
//! sources publish none for (Kunshan 2021, Wujiang: the data's reason) from a year no data is
//! loaded for (Huai'an before 2026).

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;
use std::process::Command;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

const CASES: &[&str] = &[
    "--ladder",
    "--ladder --lang zh --jurisdiction kunshan",
    "--ladder --jurisdiction huaian --format json",
    "--year 2026 --burden 100000",
];

#[test]
fn the_ladders_of_every_place() {
    let mut shown = String::new();
    for case in CASES {
        let out = Command::new(env!("CARGO_BIN_EXE_yibao"))
            .arg("catastrophic")
            .args(case.split(' '))
            .current_dir(ROOT)
            .output()
            .expect("the binary runs");
        let _ = write!(
            shown,
            "$ yibao catastrophic {case}\n{}{}[exit {}]\n\n",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            out.status.code().unwrap_or(-1)
        );
    }
    insta::assert_snapshot!(shown);
}
