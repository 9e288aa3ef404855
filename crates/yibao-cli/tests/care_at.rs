//! `yibao filing --care-at`: with the treatment of care at a place, the ratio cut it brings
//! and whether a filing is required, on scenarios of the suite with filings. By hand:
//! - Huai'an (H18), a person with no filing: care in Zhejiang is unfiled: minus 20 points,
//!   a filing required and none on file; an emergency rescue there: no cut, no filing
//!   needed. A person with a referral filing: the source gives no validity for it, so the
//!   register after its approval is refused in words.
//! - Kunshan (K6, K8): a referral on file for Shanghai: no cut, required and on file.
//! - Wujiang (W4, W5, W6): an "other temporary" filing for Hangzhou on a commitment letter:
//!   × 80% while active (10 March), void once its days pass without materials (1 April:
//!   unfiled, × 80% as well, and none on file); Shanghai needs no filing and is treated as
//!   a referral (the home ratio); Qingpu counts as the same city.
//! - Kunshan (K8): unfiled remote care: the sources give no rule, said in their words.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::panic)]

use std::fmt::Write as _;
use std::process::Command;

mod invocations;

use invocations::ROOT;

/// (scenario test file, arguments after the scenario).
const CASES: &[(&str, &str)] = &[
    (
        "28-huaian-remote-referral-and-long-term",
        "--care-at zhejiang/hangzhou --as-of 2026-04-01",
    ),
    (
        "28-huaian-remote-referral-and-long-term",
        "--care-at zhejiang/hangzhou --as-of 2026-04-01 --emergency",
    ),
    (
        "28-huaian-remote-referral-and-long-term",
        "--care-at zhejiang/hangzhou --as-of 2026-04-01 --format json",
    ),
    (
        "30-huaian-filing-validity-not-given",
        "--care-at shanghai --as-of 2026-04-01",
    ),
    (
        "53-wujiang-filings-year-no-claims",
        "--care-at zhejiang/hangzhou --as-of 2026-03-10",
    ),
    (
        "53-wujiang-filings-year-no-claims",
        "--care-at zhejiang/hangzhou --as-of 2026-04-01",
    ),
    (
        "53-wujiang-filings-year-no-claims",
        "--care-at shanghai --as-of 2026-04-01",
    ),
    (
        "53-wujiang-filings-year-no-claims",
        "--care-at shanghai/qingpu --as-of 2026-04-01 --lang zh",
    ),
    (
        "75-kunshan-remote-admissions-with-filings-no-cut",
        "--care-at shanghai --as-of 2021-06-01",
    ),
    (
        "75-kunshan-remote-admissions-with-filings-no-cut",
        "--care-at zhejiang/hangzhou --as-of 2021-06-01",
    ),
];

#[test]
fn care_at_a_place_says_the_cut_and_the_filing_needed() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut shown = String::new();
    for (name, args) in CASES {
        let path = invocations::scenario_file(name, dir.path());
        let out = Command::new(env!("CARGO_BIN_EXE_yibao"))
            .arg("filing")
            .arg(&path)
            .args(args.split(' '))
            .current_dir(ROOT)
            .output()
            .expect("the binary runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        // The register's table is pinned elsewhere: keep what follows it.
        let care = stdout
            .find("care at")
            .or_else(|| stdout.find("就医地"))
            .map_or(stdout.as_ref(), |at| &stdout[at..]);
        let shown_out = if args.contains("json") && out.status.success() {
            let value: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
            serde_json::to_string_pretty(&value["care"]).expect("JSON") + "\n"
        } else {
            care.to_owned()
        };
        let stderr = String::from_utf8_lossy(&out.stderr)
            .replace(&dir.path().display().to_string(), "[dir]");
        let _ = write!(
            shown,
            "$ yibao filing {name} {args}\n{shown_out}{stderr}[exit {}]\n\n",
            out.status.code().unwrap_or(-1)
        );
    }
    insta::assert_snapshot!(shown);
}
