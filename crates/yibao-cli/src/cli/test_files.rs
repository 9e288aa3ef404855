//! `yibao test`: scenario test files (a person-year with the figures computed by hand in
//! `[expected]`, the format of `tests/scenarios/*.toml`) run against the policy data, each
//! difference reported as a test runner reports a failed assertion; with `--lang zh` the
//! report (通过, 未通过, each difference) and its refusal are in Chinese.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use yibao::policy::PolicyLibrary;
use yibao::scenario_test::ScenarioTest;

use super::{Failure, Lang, output};

/// `yibao test FILE...`.
#[derive(Debug, Args)]
pub(crate) struct TestArgs {
    /// Scenario test files (TOML with `description`, `rules`, `[scenario]` and `[expected]`).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// One file's outcome: the differences found, or why the file could not be run, each in
/// the report's language.
enum Outcome {
    Passed,
    Failed(Vec<String>),
}

fn run_file(library: &PolicyLibrary, path: &Path, lang: Lang) -> Outcome {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            let why = match lang {
                Lang::En => format!("cannot read the file: {e}"),
                Lang::Zh => format!("无法读取该文件：{}", super::refusal::io_reason_zh(&e)),
            };
            return Outcome::Failed(vec![why]);
        }
    };
    let test = match ScenarioTest::parse(&text) {
        Ok(test) => test,
        Err(e) => {
            return Outcome::Failed(vec![match lang {
                Lang::En => e.to_string(),
                Lang::Zh => e.zh(),
            }]);
        }
    };
    let mismatches = test.run(library);
    if mismatches.is_empty() {
        Outcome::Passed
    } else {
        Outcome::Failed(
            mismatches
                .into_iter()
                .map(|m| match lang {
                    Lang::En => m.to_string(),
                    Lang::Zh => m.zh().to_owned(),
                })
                .collect(),
        )
    }
}

/// The words of the report in a language.
struct ReportWords {
    /// Before each file's name.
    test: &'static str,
    passed: &'static str,
    failed: &'static str,
}

const REPORT_EN: ReportWords = ReportWords {
    test: "test",
    passed: "ok",
    failed: "FAILED",
};

const REPORT_ZH: ReportWords = ReportWords {
    test: "测试",
    passed: "通过",
    failed: "未通过",
};

/// Runs every file, prints one line per file (and each difference under a failed one), then
/// the count; fails with exit 1 when any file failed.
pub(crate) fn run(library: &PolicyLibrary, args: &TestArgs, lang: Lang) -> Result<(), Failure> {
    let words = match lang {
        Lang::En => REPORT_EN,
        Lang::Zh => REPORT_ZH,
    };
    let mut report = String::new();
    let (mut passed, mut failed) = (0_usize, 0_usize);
    for path in &args.files {
        let shown = match lang {
            Lang::En => path.display().to_string(),
            Lang::Zh => format!("`{}`", path.display()),
        };
        match run_file(library, path, lang) {
            Outcome::Passed => {
                passed += 1;
                let _ = writeln!(report, "{} {shown} ... {}", words.test, words.passed);
            }
            Outcome::Failed(found) => {
                failed += 1;
                let _ = writeln!(report, "{} {shown} ... {}", words.test, words.failed);
                for line in found.iter().flat_map(|what| what.lines()) {
                    let _ = writeln!(report, "    {line}");
                }
            }
        }
    }
    let verdict = if failed == 0 {
        words.passed
    } else {
        words.failed
    };
    let _ = match lang {
        Lang::En => writeln!(
            report,
            "\nscenario tests: {verdict}. {passed} passed; {failed} failed"
        ),
        Lang::Zh => writeln!(
            report,
            "\n场景测试：{verdict}。{passed} 个通过，{failed} 个未通过"
        ),
    };
    output::print(&report)?;
    if failed == 0 {
        Ok(())
    } else {
        Err(Failure::refused(
            format!("{failed} of {} scenario test files failed", passed + failed),
            format!("{} 个场景测试文件中有 {failed} 个未通过", passed + failed),
        ))
    }
}
