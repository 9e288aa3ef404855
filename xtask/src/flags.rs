//! The command-line grammar of xtask, in one place.

use std::path::PathBuf;

pub(crate) const USAGE: &str = "usage: cargo xtask <task>

tasks:
  check-policies [--policy-dir DIR] [--sources DIR] [--lang en|zh]
      Check the policy data (default: policy-data/) and print the coverage matrix,
      then every finding as file:line:col: error[code]: message. With --sources,
      every quote of the source registry is looked up in DIR/<file>. With --lang zh,
      the findings and the summary in Chinese (file:line:col: 错误[code]：…).
  props
      Run every property test with PROPTEST_CASES cases (default 2048): the test
      targets named `properties`, and the tests named `prop_…` in every other test
      target, optimised (release without whole-program optimisation, in
      target/props/). Refuses first if a `proptest!` block lies where neither reaches.
  ci
      rustfmt --check, clippy -D warnings, check-policies (with --sources
      ../shared/seeds when that folder exists), rustdoc, the publish dry run of
      every library crate (cargo package when CARGO_NET_OFFLINE=true) and every test.
  gen-claims --persons N [--seed S] [--output FILE] [--full-model ...]
      Write a deterministic synthetic population of Huai'an 2026 claims in the
      format of `yibao batch` (default seed 1, default output: standard output).
      The same N and S give a byte-identical file. With --full-model
      [--jurisdiction J --year Y] (huaian 2026, the default, or kunshan 2021): every
      column of the claims table (`yibao schema batch`), every kind the year settles,
      remote care, designation, accidents, exclusions and the class split;
      --persons-output FILE also writes their persons table (birth dates, enrolment
      histories: payments in the window, late payments, newborns).
  gen-scenario --claims N [--seed S] [--output FILE]
      Write one person's Huai'an 2026 year of N claims, drawn from the mix of
      gen-claims, as a scenario of `yibao settle` (JSON when FILE ends in .json,
      else TOML; default seed 1, default output: standard output).
  bench [--large N] [--runs N] [--huge] [--quick]
      Build the release binary, generate 10,000- and N-person files (default
      N = 1000000; 0 skips it; --huge adds 10,000,000) under target/bench/: the
      claims in CSV and Parquet, the full model with its persons table. Run
      `yibao batch` end to end and with --parse-only (the floor) on each workload
      (CSV, Parquet, the full model without and with the persons table, CSV with a
      reform), --runs times each (default 5), and print time, CPU time, claims/s,
      persons/s and peak memory, then the settlement time per claim (one worker,
      100,000 persons) and the library benchmark. --quick: 10,000 persons, one run
      of each, nothing else.
  load [--seconds N]
      Build the release binary and start `yibao serve` (nice -n 19) on an ephemeral
      loopback port; a mixed load (mostly /v1/settle of one person's year) from 4
      kept-alive clients for N seconds (default 60): requests/s, p50/p99/p99.9
      latency, 5xx count, the server's RSS before and after; then the hostile
      traffic of issue 20, each answer checked, and a normal request; then SIGTERM.
  man [--out DIR]
      Build the `yibao` command and write its man pages into DIR (default
      target/man): yibao.1 and one page per command and subcommand
      (yibao-settle.1, yibao-decide-refund.1, ...), from its clap definition.
  fuzz [--minutes N] [--target NAME] [--write-seeds]
      Run every cargo-fuzz target of fuzz/ in turn (or NAME alone), N minutes each
      (default 20), from its seeds and its corpus (fuzz/corpus/NAME, not committed),
      then print executions, inputs/s, coverage and crashes per target. Installs
      cargo-fuzz (cargo install cargo-fuzz --locked) when it is missing. The
      policy_loader seeds (one per policy file) are written again first; with
      --write-seeds, that is all it does.";

/// A parsed task.
pub(crate) enum Command {
    Help,
    CheckPolicies(CheckPoliciesArgs),
    Props,
    Ci,
    GenClaims(GenClaimsArgs),
    GenScenario(GenScenarioArgs),
    Bench(BenchArgs),
    Fuzz(FuzzArgs),
    Load(LoadArgs),
    Man(ManArgs),
}

/// Arguments of `man`.
pub(crate) struct ManArgs {
    /// The directory the pages are written into.
    pub out: PathBuf,
}

/// Arguments of `load`.
pub(crate) struct LoadArgs {
    /// Seconds of the sustained load, at least 1.
    pub seconds: u64,
}

/// Arguments of `fuzz`.
pub(crate) struct FuzzArgs {
    /// Minutes per target, at least 1.
    pub minutes: u64,
    /// One target instead of all.
    pub target: Option<String>,
    /// Only write the policy_loader seeds.
    pub write_seeds: bool,
}

/// Arguments of `gen-claims`.
pub(crate) struct GenClaimsArgs {
    pub persons: u64,
    pub seed: u64,
    pub output: Option<PathBuf>,
    /// `--full-model`: every column of the claims table, for this jurisdiction-year.
    pub full_model: Option<crate::gen_full_model::ModelYear>,
    /// `--persons-output FILE`: the persons table of the full model.
    pub persons_output: Option<PathBuf>,
}

/// Arguments of `gen-scenario`.
pub(crate) struct GenScenarioArgs {
    pub claims: u64,
    pub seed: u64,
    pub output: Option<PathBuf>,
}

/// Arguments of `bench`.
pub(crate) struct BenchArgs {
    pub large: u64,
    pub runs: u64,
    /// `--huge`: 10,000,000 persons too.
    pub huge: bool,
    /// `--quick`: 10,000 persons, one run of each command, nothing else.
    pub quick: bool,
}

fn number(flag: &str, value: Option<String>) -> Result<u64, String> {
    let value = value.ok_or_else(|| format!("`{flag}` needs a number"))?;
    value
        .replace('_', "")
        .parse()
        .map_err(|_| format!("`{flag}`: `{value}` is not a whole number"))
}

/// Arguments of `check-policies`.
pub(crate) struct CheckPoliciesArgs {
    pub policy_dir: PathBuf,
    pub sources: Option<PathBuf>,
    /// The language of the findings and the summary (`--lang en|zh`, default en).
    pub lang: yibao::core::Lang,
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
                lang: yibao::core::Lang::En,
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
                    "--lang" => {
                        parsed.lang = match rest.next().as_deref() {
                            Some("en") => yibao::core::Lang::En,
                            Some("zh") => yibao::core::Lang::Zh,
                            Some(other) => {
                                return Err(format!("`--lang`: `{other}` is not en or zh"));
                            }
                            None => return Err("`--lang` needs en or zh".to_owned()),
                        };
                    }
                    other => return Err(format!("check-policies: unknown argument `{other}`")),
                }
            }
            Ok(Command::CheckPolicies(parsed))
        }
        "man" => {
            let mut parsed = ManArgs {
                out: PathBuf::from("target/man"),
            };
            let mut rest = rest.into_iter();
            while let Some(flag) = rest.next() {
                match flag.as_str() {
                    "--out" => {
                        parsed.out = PathBuf::from(rest.next().ok_or("`--out` needs a directory")?);
                    }
                    other => return Err(format!("man: unknown argument `{other}`")),
                }
            }
            Ok(Command::Man(parsed))
        }
        "props" | "ci" if !rest.is_empty() => {
            Err(format!("{task}: unexpected argument `{}`", rest[0]))
        }
        "gen-claims" => {
            let mut persons = None;
            let mut parsed = GenClaimsArgs {
                persons: 0,
                seed: 1,
                output: None,
                full_model: None,
                persons_output: None,
            };
            let (mut full_model, mut jurisdiction, mut year) = (false, None, None);
            let mut rest = rest.into_iter();
            while let Some(flag) = rest.next() {
                match flag.as_str() {
                    "--full-model" => full_model = true,
                    "--jurisdiction" => {
                        jurisdiction = Some(rest.next().ok_or("`--jurisdiction` needs a name")?);
                    }
                    "--year" => year = Some(number(&flag, rest.next())?),
                    "--persons-output" => {
                        parsed.persons_output = Some(PathBuf::from(
                            rest.next().ok_or("`--persons-output` needs a file")?,
                        ));
                    }
                    "--persons" => persons = Some(number(&flag, rest.next())?),
                    "--seed" => parsed.seed = number(&flag, rest.next())?,
                    "--output" => {
                        parsed.output = Some(PathBuf::from(
                            rest.next()
                                .ok_or_else(|| "`--output` needs a file".to_owned())?,
                        ));
                    }
                    other => return Err(format!("gen-claims: unknown argument `{other}`")),
                }
            }
            parsed.persons = persons.ok_or("gen-claims: `--persons N` is required")?;
            match (full_model, jurisdiction, year) {
                (true, jurisdiction, year) => {
                    parsed.full_model = Some(crate::gen_full_model::ModelYear::of(
                        jurisdiction.as_deref().unwrap_or("huaian"),
                        year.unwrap_or(2026),
                    )?);
                }
                (false, None, None) if parsed.persons_output.is_none() => {}
                (false, _, _) => {
                    return Err(
                        "gen-claims: `--jurisdiction`, `--year` and `--persons-output` go with `--full-model`".into(),
                    );
                }
            }
            Ok(Command::GenClaims(parsed))
        }
        "gen-scenario" => {
            let mut claims = None;
            let mut parsed = GenScenarioArgs {
                claims: 0,
                seed: 1,
                output: None,
            };
            let mut rest = rest.into_iter();
            while let Some(flag) = rest.next() {
                match flag.as_str() {
                    "--claims" => claims = Some(number(&flag, rest.next())?),
                    "--seed" => parsed.seed = number(&flag, rest.next())?,
                    "--output" => {
                        parsed.output = Some(PathBuf::from(
                            rest.next()
                                .ok_or_else(|| "`--output` needs a file".to_owned())?,
                        ));
                    }
                    other => return Err(format!("gen-scenario: unknown argument `{other}`")),
                }
            }
            parsed.claims = claims.ok_or("gen-scenario: `--claims N` is required")?;
            Ok(Command::GenScenario(parsed))
        }
        "bench" => {
            let mut parsed = BenchArgs {
                large: 1_000_000,
                runs: 5,
                huge: false,
                quick: false,
            };
            let mut rest = rest.into_iter();
            while let Some(flag) = rest.next() {
                match flag.as_str() {
                    "--large" => parsed.large = number(&flag, rest.next())?,
                    "--runs" => parsed.runs = number(&flag, rest.next())?,
                    "--huge" => parsed.huge = true,
                    "--quick" => parsed.quick = true,
                    other => return Err(format!("bench: unknown argument `{other}`")),
                }
            }
            Ok(Command::Bench(parsed))
        }
        "load" => {
            let mut parsed = LoadArgs { seconds: 60 };
            let mut rest = rest.into_iter();
            while let Some(flag) = rest.next() {
                match flag.as_str() {
                    "--seconds" => parsed.seconds = number(&flag, rest.next())?.clamp(1, 3600),
                    other => return Err(format!("load: unknown argument `{other}`")),
                }
            }
            Ok(Command::Load(parsed))
        }
        "fuzz" => {
            let mut parsed = FuzzArgs {
                minutes: 20,
                target: None,
                write_seeds: false,
            };
            let mut rest = rest.into_iter();
            while let Some(flag) = rest.next() {
                match flag.as_str() {
                    "--minutes" => parsed.minutes = number(&flag, rest.next())?,
                    "--target" => {
                        parsed.target =
                            Some(rest.next().ok_or("`--target` needs a target's name")?);
                    }
                    "--write-seeds" => parsed.write_seeds = true,
                    other => return Err(format!("fuzz: unknown argument `{other}`")),
                }
            }
            if parsed.minutes == 0 {
                return Err("fuzz: `--minutes` must be at least 1".to_owned());
            }
            Ok(Command::Fuzz(parsed))
        }
        "props" => Ok(Command::Props),
        "ci" => Ok(Command::Ci),
        other => Err(format!("unknown task `{other}`")),
    }
}
