//! `yibao cover` on the person-years of the scenario suite whose cover is the point: each
//! period says why it starts when it does (first of all whether the payment was in the
//! collection window), each waiting period and suspension why it applies, in English and in
//! Chinese; pinned by one snapshot a reviewer reads against the scenarios' hand computations.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::panic)]

mod invocations;

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
        let path = invocations::scenario_file(name, dir.path());
        let path = path.display().to_string();
        for lang in ["en", "zh"] {
            let label = format!("{name} --lang {lang}");
            let args = [path.as_str(), "--lang", lang];
            shown += &invocations::shown("cover", &args, &label, Some(dir.path()));
        }
    }
    insta::assert_snapshot!(shown);
}
