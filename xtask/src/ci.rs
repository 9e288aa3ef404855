//! `cargo xtask ci`: everything CI checks, in order, stopping at the first failure.

use std::path::Path;

use crate::flags::CheckPoliciesArgs;
use crate::{cargo, check_policies, run_step};

pub(crate) fn run() -> Result<(), String> {
    let mut fmt = cargo();
    fmt.args(["fmt", "--all", "--check"]);
    run_step("rustfmt --check", fmt)?;

    let mut clippy = cargo();
    clippy.args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    run_step("clippy -D warnings", clippy)?;

    let seeds = Path::new("../shared/seeds");
    let sources = seeds.is_dir().then(|| seeds.to_path_buf());
    eprintln!(
        "xtask: check-policies{}",
        if sources.is_some() {
            " --sources ../shared/seeds"
        } else {
            " (../shared/seeds absent: quotes not verified)"
        }
    );
    check_policies::run(&CheckPoliciesArgs {
        policy_dir: "policy-data".into(),
        sources,
    })?;

    let mut docs = cargo();
    docs.args(["doc", "--workspace", "--no-deps"])
        .env("RUSTDOCFLAGS", "-D warnings");
    run_step("rustdoc -D warnings", docs)?;

    let mut tests = cargo();
    tests.args(["test", "--workspace"]);
    run_step("tests", tests)
}
