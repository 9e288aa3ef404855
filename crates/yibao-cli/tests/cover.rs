//! `yibao cover` on the person-years of the scenario suite whose cover is the point: each
//! period says why it starts when it does (first of all whether the payment was in the
//! collection window), each waiting period and suspension why it applies, in English and in
//! Chinese; pinned by one snapshot a reviewer reads against the scenarios' hand computations.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// Scenario test files whose `[scenario]` is asked for its cover.
const FILES: &[&str] = &[
    "01-huaian-window-inpatient-by-level",
    "15-huaian-late-payment-waiting-period",
    "16-huaian-newborn-day-90",
    "19-huaian-veteran-day-91-waits",
    "36-huaian-new-aid-recipient-city-funded",
    "42-kunshan-suspended-until-day-after-payment",
    "46-kunshan-late-before-january-never-suspended",
];

#[test]
fn cover_says_why_each_period_starts() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut shown = String::new();
    for name in FILES {
        let text =
            std::fs::read_to_string(Path::new(ROOT).join(format!("tests/scenarios/{name}.toml")))
                .expect("the scenario test file");
        let test: toml::Table = toml::from_str(&text).expect("TOML");
        let scenario = test.get("scenario").expect("a [scenario] table");
        let path = dir.path().join(format!("{name}.toml"));
        std::fs::write(&path, toml::to_string(scenario).expect("TOML")).expect("written");
        for lang in ["en", "zh"] {
            let out = Command::new(env!("CARGO_BIN_EXE_yibao"))
                .args(["cover", &path.display().to_string(), "--lang", lang])
                .current_dir(ROOT)
                .output()
                .expect("the binary runs");
            let _ = write!(
                shown,
                "$ yibao cover {name} --lang {lang}\n{}{}[exit {}]\n\n",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                out.status.code().unwrap_or(-1)
            );
        }
    }
    insta::assert_snapshot!(shown);
}
