//! The command-line grammar of xtask, in one place.

use std::path::PathBuf;

pub(crate) const USAGE: &str = "usage: cargo xtask <task>

tasks:
  check-policies [--policy-dir DIR] [--sources DIR]
      Check the policy data (default: policy-data/) and print every finding as
      file:line:col: error[code]: message, then the coverage matrix. With --sources,
      every quote of the source registry is looked up in DIR/<file>.
  props
      Run the property-test suites (tests named `properties`) with PROPTEST_CASES
      (default 2048).
  ci
      rustfmt --check, clippy -D warnings, check-policies (with --sources
      ../shared/seeds when that folder exists) and every test.";

/// A parsed task.
pub(crate) enum Command {
    Help,
    CheckPolicies(CheckPoliciesArgs),
    Props,
    Ci,
}

/// Arguments of `check-policies`.
pub(crate) struct CheckPoliciesArgs {
    pub policy_dir: PathBuf,
    pub sources: Option<PathBuf>,
}

pub(crate) fn parse(mut args: impl Iterator<Item = String>) -> Result<Command, String> {
    let Some(task) = args.next() else {
        return Ok(Command::Help);
    };
    let rest: Vec<String> = args.collect();
    match task.as_str() {
        "help" | "--help" | "-h" => Ok(Command::Help),
        "check-policies" => {
            let mut parsed = CheckPoliciesArgs {
                policy_dir: PathBuf::from("policy-data"),
                sources: None,
            };
            let mut rest = rest.into_iter();
            while let Some(flag) = rest.next() {
                let mut value = || {
                    rest.next()
                        .map(PathBuf::from)
                        .ok_or_else(|| format!("`{flag}` needs a directory"))
                };
                match flag.as_str() {
                    "--policy-dir" => parsed.policy_dir = value()?,
                    "--sources" => parsed.sources = Some(value()?),
                    other => return Err(format!("check-policies: unknown argument `{other}`")),
                }
            }
            Ok(Command::CheckPolicies(parsed))
        }
        "props" | "ci" if !rest.is_empty() => {
            Err(format!("{task}: unexpected argument `{}`", rest[0]))
        }
        "props" => Ok(Command::Props),
        "ci" => Ok(Command::Ci),
        other => Err(format!("unknown task `{other}`")),
    }
}
