//! `yibao test`: scenario test files (a person-year with the figures computed by hand in
//! `[expected]`, the format of `tests/scenarios/*.toml`) run against the policy data, each
//! difference reported as a test runner reports a failed assertion.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use yibao::policy::PolicyLibrary;
use yibao::scenario_test::ScenarioTest;

use super::{Failure, output};

/// `yibao test FILE...`.
#[derive(Debug, Args)]
pub(crate) struct TestArgs {
    /// Scenario test files (TOML with `description`, `rules`, `[scenario]` and `[expected]`).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// One file's outcome: the differences found, or why the file could not be run.
enum Outcome {
    Passed,
    Failed(Vec<String>),
}

fn run_file(library: &PolicyLibrary, path: &Path) -> Outcome {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => return Outcome::Failed(vec![format!("cannot read the file: {e}")]),
    };
    let test = match ScenarioTest::parse(&text) {
        Ok(test) => test,
        Err(e) => return Outcome::Failed(vec![e.to_string()]),
    };
    let mismatches = test.run(library);
    if mismatches.is_empty() {
        Outcome::Passed
    } else {
        Outcome::Failed(mismatches.into_iter().map(|m| m.to_string()).collect())
    }
}

/// Runs every file, prints one line per file (and each difference under a failed one), then
/// the count; fails with exit 1 when any file failed.
pub(crate) fn run(library: &PolicyLibrary, args: &TestArgs) -> Result<(), Failure> {
    let mut report = String::new();
    let (mut passed, mut failed) = (0_usize, 0_usize);
    for path in &args.files {
        let shown = path.display();
        match run_file(library, path) {
            Outcome::Passed => {
                passed += 1;
                let _ = writeln!(report, "test {shown} ... ok");
            }
            Outcome::Failed(found) => {
                failed += 1;
                let _ = writeln!(report, "test {shown} ... FAILED");
                for line in found.iter().flat_map(|what| what.lines()) {
                    let _ = writeln!(report, "    {line}");
                }
            }
        }
    }
    let verdict = if failed == 0 { "ok" } else { "FAILED" };
    let _ = writeln!(
        report,
        "\nscenario tests: {verdict}. {passed} passed; {failed} failed"
    );
    output::print(&report)?;
    if failed == 0 {
        Ok(())
    } else {
        Err(Failure::Input(format!(
            "{failed} of {} scenario test files failed",
            passed + failed
        )))
    }
}
