//! `cargo xtask ci`: everything CI checks, in order, stopping at the first failure.
//!
//! The packaging step runs `cargo publish --workspace --dry-run --allow-dirty`: every crate
//! that may be published is packaged (the facade with its policy data) and built from its
//! package alone, the workspace's unpublished crates standing in for the registry's. Its
//! `--allow-dirty` checks the files as they are, committed or not. With `CARGO_NET_OFFLINE=true`
//! it runs `cargo package --workspace --exclude xtask --exclude yibao-tests --allow-dirty`
//! instead: the same packages and the same builds, without asking crates.io whether the
//! versions are free (which `cargo publish` must do even in a dry run).
//!
//! Cargo takes a registry package of a given name and version to be immutable, and the
//! workspace's packages stand in for the registry's under the same names and versions from one
//! run to the next: it keeps their sources unpacked under `$CARGO_HOME/registry/src/` (in the
//! folder of the local registry, one per target directory, whose name starts with `-`) and
//! their builds by name and version alone. A second run would check the packages against the
//! first run's code (seen: the facade's package failed to build against the domain crates of
//! the run before). So the step first forgets both: the unpacked `yibao*` packages of those
//! folders, and the `yibao*` fingerprints of its own target directory, `target/package-check`
//! (so that the workspace's builds are left alone, and the external crates are built there
//! once). Two such steps at once on one machine would remove each other's packages: run one.

use std::path::{Path, PathBuf};

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
        lang: yibao::core::Lang::En,
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
    let target = Path::new("target/package-check");
    forget_previous_packages(target)?;
    let mut command = cargo();
    command.env("CARGO_TARGET_DIR", target);
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

/// Removes what an earlier run left of the workspace's packages (see the module docs).
fn forget_previous_packages(target: &Path) -> Result<(), String> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")));
    let mut stale = Vec::new();
    if let Some(cargo_home) = cargo_home {
        for local_registry in entries(&cargo_home.join("registry/src"), "-")? {
            stale.extend(entries(&local_registry, "yibao")?);
        }
    }
    stale.extend(entries(&target.join("debug/.fingerprint"), "yibao")?);
    for path in stale {
        std::fs::remove_dir_all(&path)
            .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
    }
    Ok(())
}

/// The folders in `dir` whose names start with `prefix` (none when `dir` does not exist).
fn entries(dir: &Path, prefix: &str) -> Result<Vec<PathBuf>, String> {
    let listing = match std::fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot list {}: {e}", dir.display())),
    };
    let mut found = Vec::new();
    for entry in listing {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        if entry.file_name().to_string_lossy().starts_with(prefix) && entry.path().is_dir() {
            found.push(entry.path());
        }
    }
    Ok(found)
}
