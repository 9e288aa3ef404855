//! Project tasks, run as `cargo xtask <task>` (the alias is in `.cargo/config.toml`).
//! See <https://github.com/matklad/cargo-xtask/>.
//!
//! - `check-policies [--policy-dir DIR] [--sources DIR] [--lang en|zh]`: check the policy
//!   data.
//! - `props`: every property test with many cases.
//! - `ci`: formatting, lints, the policy check, the docs, the publish dry run and every test.
//! - `gen-claims --persons N [--seed S] [--output FILE] [--full-model [--jurisdiction J --year Y]]`:
//!   a synthetic claims file (with `--full-model`, every column of the claims table).
//! - `gen-scenario --claims N [--seed S] [--output FILE]`: one person's year of N claims.
//! - `bench [--large N] [--runs N] [--huge] [--quick]`: `yibao batch` throughput in every workload
//!   (CSV, Parquet, with a persons table, with a reform), its parse floor and peak memory.
//! - `fuzz [--minutes N] [--target NAME] [--write-seeds]`: every fuzz target in turn.
//! - `load [--seconds N]`: `yibao serve` under a sustained mixed load, then hostile traffic.
//! - `man [--out DIR]`: the man pages of the `yibao` command.

#![forbid(unsafe_code)]

mod bench;
mod check_policies;
mod ci;
mod flags;
mod fuzz;
mod gen_claims;
mod gen_full_model;
mod gen_scenario;
mod load;
mod man;
mod props;
mod proptests;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = project_root();
    if let Err(error) = std::env::set_current_dir(&root) {
        eprintln!("xtask: cannot enter {}: {error}", root.display());
        return ExitCode::FAILURE;
    }
    let command = match flags::parse(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("xtask: {message}\n\n{}", flags::USAGE);
            return ExitCode::from(2);
        }
    };
    let outcome = match command {
        flags::Command::Help => {
            println!("{}", flags::USAGE);
            Ok(())
        }
        flags::Command::CheckPolicies(args) => check_policies::run(&args),
        flags::Command::Props => props::run(),
        flags::Command::Ci => ci::run(),
        flags::Command::GenClaims(args) => gen_claims::run(&args),
        flags::Command::GenScenario(args) => gen_scenario::run(&args),
        flags::Command::Bench(args) => bench::run(&args),
        flags::Command::Fuzz(args) => fuzz::run(&args),
        flags::Command::Load(args) => load::run(&args),
        flags::Command::Man(args) => man::run(&args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's folder.
fn project_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// The `cargo` that runs this task.
fn cargo() -> std::process::Command {
    std::process::Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Runs a command, echoing it, and fails if it fails.
fn run_step(label: &str, mut command: std::process::Command) -> Result<(), String> {
    eprintln!("xtask: {label}");
    let status = command
        .status()
        .map_err(|e| format!("{label}: cannot start: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{label} failed ({status})"))
    }
}
