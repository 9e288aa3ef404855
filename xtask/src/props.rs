//! `cargo xtask props`: the property-test suites with many cases.

use crate::{cargo, run_step};

pub(crate) fn run() -> Result<(), String> {
    let cases = std::env::var("PROPTEST_CASES").unwrap_or_else(|_| "2048".to_owned());
    let mut command = cargo();
    command
        .args(["test", "--workspace", "--release", "--test", "properties"])
        .env("PROPTEST_CASES", &cases);
    run_step(&format!("property tests, PROPTEST_CASES={cases}"), command)
}
