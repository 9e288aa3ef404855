//! `cargo xtask ci`: everything CI checks, in order, stopping at the first failure.
//!
//! The packaging step runs `cargo publish --workspace --dry-run --allow-dirty`: every crate
//! that may be published is packaged (the facade with its policy data) and built from its
//! package alone, the workspace's unpublished crates standing in for the registry's. Its
//! `--allow-dirty` checks the files as they are, committed or not. With `CARGO_NET_OFFLINE=true`
//! it runs `cargo package --workspace --exclude xtask --exclude yibao-tests --allow-dirty`
//! instead: the same packages and the same builds, without asking crates.io whether the
//! versions are free (which `cargo publish` must do even in a dry run).

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

    publish_dry_run()?;

    let mut tests = cargo();
    tests.args(["test", "--workspace"]);
    run_step("tests", tests)
}

/// Packages every publishable crate and builds each from its package (see the module docs).
fn publish_dry_run() -> Result<(), String> {
    let offline = std::env::var("CARGO_NET_OFFLINE").is_ok_and(|value| value == "true");
    let mut command = cargo();
    if offline {
        command.args([
            "package",
            "--workspace",
            "--exclude",
            "xtask",
            "--exclude",
            "yibao-tests",
            "--allow-dirty",
        ]);
        run_step(
            "package (offline: publish --dry-run needs crates.io)",
            command,
        )
    } else {
        command.args(["publish", "--workspace", "--dry-run", "--allow-dirty"]);
        run_step("publish --dry-run", command)
    }
}
