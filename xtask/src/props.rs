//! `cargo xtask props`: every property test of the workspace, with many cases.
//!
//! Where the property tests live is a convention ([`crate::proptests`]): the test targets
//! named `properties` run whole, and the tests named `prop_…` run by name in every other
//! library, binary and test target. The sources are checked against it first, so that no
//! `proptest!` block is left out. The tests are built optimised, in a profile of their own
//! (`props`: the release profile without its whole-program optimisation, which only slows
//! the build of so many test binaries), so that the release build is left as it is.

use std::path::Path;

use crate::proptests::{self, PREFIX, TARGET};
use crate::{cargo, run_step};

/// The `props` profile, defined on the command line: release, built quickly.
const PROFILE: [&str; 6] = [
    "--config",
    "profile.props.inherits=\"release\"",
    "--config",
    "profile.props.lto=false",
    "--config",
    "profile.props.codegen-units=16",
];

pub(crate) fn run() -> Result<(), String> {
    let missed = proptests::missed(Path::new("."))?;
    if !missed.is_empty() {
        let lines: Vec<String> = missed.iter().map(ToString::to_string).collect();
        return Err(format!(
            "these property tests would not be run (see ARCHITECTURE.md, Testing):\n{}",
            lines.join("\n")
        ));
    }
    let cases = std::env::var("PROPTEST_CASES").unwrap_or_else(|_| "2048".to_owned());
    let test = || {
        let mut command = cargo();
        command
            .args(PROFILE)
            .args(["test", "--workspace", "--profile", "props"])
            .env("PROPTEST_CASES", &cases);
        command
    };
    let mut whole = test();
    whole.args(["--test", TARGET]);
    run_step(
        &format!("the `{TARGET}` test targets, PROPTEST_CASES={cases}"),
        whole,
    )?;
    let mut named = test();
    named.args(["--lib", "--bins", "--tests", "--", PREFIX]);
    run_step(
        &format!("the tests named `{PREFIX}…` in every other target, PROPTEST_CASES={cases}"),
        named,
    )
}
