//! `cargo xtask fuzz`: every cargo-fuzz target of `fuzz/` in turn, a given time each, and a
//! table of what each did.
//!
//! Steps: install cargo-fuzz if `cargo fuzz` is missing; write the policy_loader seeds again
//! (one per policy file, see [`policy_seeds`]); build every target (without a sanitizer, see
//! [`SANITIZER`]); run each for `--minutes`
//! from `fuzz/corpus/<target>` (where libFuzzer keeps what it finds, not committed) and
//! `fuzz/seeds/<target>`, echoing libFuzzer's output; read from that output the executions,
//! inputs per second, coverage (`cov:` edges and `ft:` features of its last status line),
//! the corpus and the inputs written to `fuzz/artifacts/` (a crash, a timeout, a leak or an
//! out-of-memory); print them as a Markdown table for the README. Fails if any target
//! found something or did not run.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::flags::FuzzArgs;
use crate::{cargo, run_step};

const FUZZ_DIR: &str = "fuzz";

/// A run longer than this on one input is a finding (a timeout), in seconds.
const INPUT_TIMEOUT_SECONDS: u64 = 60;

/// The sanitizer the targets are built with: none. The workspace is
/// `#![forbid(unsafe_code)]`; AddressSanitizer would only watch std's and the dependencies'
/// unsafe code, at a third to a quarter of the speed (README, "Fuzzing").
const SANITIZER: [&str; 2] = ["--sanitizer", "none"];

/// libFuzzer's options for one target, beyond the time, the timeout and the final stats.
fn target_options(target: &str) -> &'static [&'static str] {
    match target {
        // Small files reach every branch of the reader; LeakSanitizer, when the target is
        // built with AddressSanitizer, reports an allocation of std's channel as leaked at exit
        // (README, "Fuzzing").
        "csv_reader" => &["-max_len=4096", "-detect_leaks=0"],
        _ => &[],
    }
}

pub(crate) fn run(args: &FuzzArgs) -> Result<(), String> {
    policy_seeds::write(Path::new(FUZZ_DIR))?;
    if args.write_seeds {
        return Ok(());
    }
    let all = targets()?;
    let chosen = match &args.target {
        Some(name) if all.contains(name) => vec![name.clone()],
        Some(name) => {
            return Err(format!(
                "fuzz: no target `{name}` (targets: {})",
                all.join(", ")
            ));
        }
        None => all,
    };
    ensure_cargo_fuzz()?;
    let mut build = cargo_fuzz();
    build.arg("build").args(SANITIZER);
    run_step("cargo fuzz build", build)?;
    let mut results = Vec::new();
    for target in &chosen {
        results.push(run_target(target, args.minutes)?);
    }
    println!("{}", table(&results, args.minutes));
    for stats in &results {
        for line in stats.findings.iter().chain(&stats.panics) {
            println!("{}: {line}", stats.target);
        }
    }
    let failed: Vec<&str> = results
        .iter()
        .filter(|s| !s.findings.is_empty() || !s.success)
        .map(|s| s.target.as_str())
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "fuzz: {} found something or failed; reproduce with `cargo fuzz run <target> <artifact>` in fuzz/",
            failed.join(", ")
        ))
    }
}

/// The targets: the files of `fuzz/fuzz_targets/`, by name.
fn targets() -> Result<Vec<String>, String> {
    let dir = Path::new(FUZZ_DIR).join("fuzz_targets");
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        if path.extension().is_some_and(|e| e == "rs") {
            if let Some(stem) = path.file_stem() {
                names.push(stem.to_string_lossy().into_owned());
            }
        }
    }
    names.sort();
    Ok(names)
}

/// `cargo fuzz` in `fuzz/`, on a stable compiler standing in for a nightly one.
fn cargo_fuzz() -> Command {
    let mut command = cargo();
    command
        .arg("fuzz")
        .current_dir(FUZZ_DIR)
        .env("RUSTC_BOOTSTRAP", "1");
    command
}

fn ensure_cargo_fuzz() -> Result<(), String> {
    let installed = cargo()
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if installed {
        return Ok(());
    }
    let mut install = cargo();
    install.args(["install", "cargo-fuzz", "--locked"]);
    run_step(
        "cargo fuzz is missing: cargo install cargo-fuzz --locked",
        install,
    )
}

fn run_target(target: &str, minutes: u64) -> Result<TargetStats, String> {
    let corpus = Path::new(FUZZ_DIR).join("corpus").join(target);
    std::fs::create_dir_all(&corpus)
        .map_err(|e| format!("cannot create {}: {e}", corpus.display()))?;
    let mut command = cargo_fuzz();
    command
        .args(["run", target])
        .args(SANITIZER)
        .arg(Path::new("corpus").join(target))
        .arg(Path::new("seeds").join(target))
        .arg("--")
        .arg(format!("-max_total_time={}", minutes.saturating_mul(60)))
        .arg(format!("-timeout={INPUT_TIMEOUT_SECONDS}"))
        .arg("-print_final_stats=1")
        .args(target_options(target))
        .stderr(Stdio::piped());
    eprintln!("xtask: fuzz {target} for {minutes} min: {command:?}");
    let mut child = command
        .spawn()
        .map_err(|e| format!("fuzz {target}: cannot start cargo fuzz: {e}"))?;
    let mut stats = TargetStats::new(target);
    if let Some(stderr) = child.stderr.take() {
        // libFuzzer reports on standard error: echo it and read it as it comes.
        for line in BufReader::new(stderr).split(b'\n') {
            let line = line.map_err(|e| format!("fuzz {target}: cannot read its output: {e}"))?;
            let line = String::from_utf8_lossy(&line);
            eprintln!("{line}");
            stats.read(&line);
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("fuzz {target}: cannot wait for cargo fuzz: {e}"))?;
    stats.success = status.success();
    Ok(stats)
}

/// What libFuzzer said about one target's run.
#[derive(Debug, Default, PartialEq, Eq)]
struct TargetStats {
    target: String,
    /// Inputs run.
    executions: Option<u64>,
    /// Inputs per second, on average over the run.
    per_second: Option<u64>,
    /// Coverage: edges (`cov:`) and features (`ft:`) of the last status line.
    cov: Option<u64>,
    ft: Option<u64>,
    /// The corpus at the end: inputs/size.
    corpus: Option<String>,
    /// The inputs written as findings (crash, timeout, leak, out-of-memory).
    findings: Vec<String>,
    /// Where a Rust panic happened, and its message.
    panics: Vec<String>,
    /// Whether cargo fuzz exited 0.
    success: bool,
    /// The line before, when it was a panic's location (its message follows).
    after_panic: bool,
}

impl TargetStats {
    fn new(target: &str) -> TargetStats {
        TargetStats {
            target: target.to_owned(),
            ..TargetStats::default()
        }
    }

    /// Reads one line of libFuzzer's output.
    fn read(&mut self, line: &str) {
        let line = line.trim_end_matches('\r');
        if std::mem::take(&mut self.after_panic) {
            self.panics.push(line.trim().to_owned());
        }
        if let Some(status) = line.strip_prefix('#') {
            self.read_status(status);
        } else if let Some(value) = line.strip_prefix("stat::number_of_executed_units:") {
            self.executions = value.trim().parse().ok().or(self.executions);
        } else if let Some(value) = line.strip_prefix("stat::average_exec_per_sec:") {
            self.per_second = value.trim().parse().ok().or(self.per_second);
        } else if let Some((_, path)) = line.split_once("Test unit written to ") {
            self.findings.push(path.trim().to_owned());
        } else if line.starts_with("thread '") && line.contains(" panicked at ") {
            self.panics.push(line.trim().to_owned());
            self.after_panic = true;
        }
    }

    /// A status line, without its `#`: `12345 NEW cov: 1 ft: 2 corp: 3/4b … exec/s: 5 …`.
    fn read_status(&mut self, status: &str) {
        let mut words = status.split_whitespace();
        let Some(Ok(executions)) = words.next().map(str::parse::<u64>) else {
            return;
        };
        self.executions = Some(executions);
        while let Some(word) = words.next() {
            let Some(key) = word.strip_suffix(':') else {
                continue;
            };
            let value = words.next();
            let number = value.and_then(|v| v.parse::<u64>().ok());
            match key {
                "cov" => self.cov = number.or(self.cov),
                "ft" => self.ft = number.or(self.ft),
                "corp" => self.corpus = value.map(str::to_owned).or(self.corpus.take()),
                "exec/s" => self.per_second = number.or(self.per_second),
                _ => {}
            }
        }
    }
}

/// The results as a Markdown table.
fn table(results: &[TargetStats], minutes: u64) -> String {
    let figure = |n: Option<u64>| n.map_or_else(|| "?".to_owned(), thousands);
    let mut out = String::from(
        "| target | minutes | executions | inputs/s | cov | ft | corpus | crashes |\n|---|--:|--:|--:|--:|--:|--:|--:|\n",
    );
    for s in results {
        out.push_str(&format!(
            "| `{}` | {minutes} | {} | {} | {} | {} | {} | {}{} |\n",
            s.target,
            figure(s.executions),
            figure(s.per_second),
            figure(s.cov),
            figure(s.ft),
            s.corpus.as_deref().unwrap_or("?"),
            s.findings.len(),
            if s.success { "" } else { " (failed)" },
        ));
    }
    out
}

/// A whole number with a comma every three digits: 1234567 → 1,234,567.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The seeds of `policy_loader`: one per policy file, the first byte choosing the file as the
/// target chooses it, the rest the file's text as embedded.
pub(crate) mod policy_seeds {
    use std::path::{Path, PathBuf};

    use yibao::policy::PolicyFiles;

    /// The files `policy_loader` chooses from, in its order: the embedded `.toml` and `.json`
    /// files by path. The target takes the file at `first byte % count`; keep the two alike.
    pub(crate) fn choices(files: &PolicyFiles) -> Vec<(String, String)> {
        files
            .iter()
            .filter(|(path, _)| path.ends_with(".toml") || path.ends_with(".json"))
            .map(|(path, text)| (path.to_owned(), text.to_owned()))
            .collect()
    }

    /// The seed file of the file at `index`: `08-huaian-2026.toml`.
    pub(crate) fn name(index: usize, path: &str) -> String {
        format!("{index:02}-{}", path.replace('/', "-"))
    }

    pub(crate) fn dir(fuzz: &Path) -> PathBuf {
        fuzz.join("seeds").join("policy_loader")
    }

    /// Writes one seed per policy file into `fuzz/seeds/policy_loader/`, removing any other.
    pub(crate) fn write(fuzz: &Path) -> Result<(), String> {
        let dir = dir(fuzz);
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let choices = choices(&PolicyFiles::embedded());
        let mut names = Vec::new();
        for (index, (path, text)) in choices.iter().enumerate() {
            let choice = u8::try_from(index).map_err(|_| {
                format!(
                    "{} policy files: one byte chooses among 256 at most",
                    choices.len()
                )
            })?;
            let mut seed = vec![choice];
            seed.extend_from_slice(text.as_bytes());
            let name = name(index, path);
            let file = dir.join(&name);
            if std::fs::read(&file).ok().as_ref() != Some(&seed) {
                std::fs::write(&file, &seed)
                    .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            }
            names.push(name);
        }
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let stale = !names.contains(&entry.file_name().to_string_lossy().into_owned());
            if stale {
                std::fs::remove_file(entry.path())
                    .map_err(|e| format!("cannot remove {}: {e}", entry.path().display()))?;
            }
        }
        eprintln!(
            "xtask: {} policy_loader seeds in {}",
            names.len(),
            dir.display()
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use yibao::policy::PolicyFiles;

    fn read_all(lines: &str) -> TargetStats {
        let mut stats = TargetStats::new("t");
        for line in lines.lines() {
            stats.read(line);
        }
        stats
    }

    #[test]
    fn the_last_status_line_and_the_final_stats_give_the_figures() {
        let stats = read_all(
            "INFO: Seed: 1\n\
             #2\tINITED cov: 10 ft: 11 corp: 1/1b exec/s: 0 rss: 30Mb\n\
             #1048576\tpulse  cov: 2120 ft: 9001 corp: 612/88Kb lim: 4096 exec/s: 1747 rss: 400Mb\n\
             #1200000\tDONE   cov: 2131 ft: 9050 corp: 615/89Kb lim: 4096 exec/s: 1000 rss: 401Mb\n\
             Done 1200000 runs in 1200 second(s)\n\
             stat::number_of_executed_units: 1200001\n\
             stat::average_exec_per_sec:     999\n\
             stat::new_units_added:          614\n",
        );
        assert_eq!(stats.executions, Some(1_200_001));
        assert_eq!(stats.per_second, Some(999));
        assert_eq!((stats.cov, stats.ft), (Some(2131), Some(9050)));
        assert_eq!(stats.corpus.as_deref(), Some("615/89Kb"));
        assert!(stats.findings.is_empty() && stats.panics.is_empty());
    }

    #[test]
    fn a_crash_is_read_with_its_input_and_the_panic_message() {
        let stats = read_all(
            "#512\tNEW    cov: 300 ft: 400 corp: 20/1Kb lim: 4 exec/s: 256 rss: 50Mb\n\
             thread '<unnamed>' (77) panicked at fuzz_targets/csv_reader.rs:60:9:\n\
             line 3 ends in no row\n\
             ==77== ERROR: libFuzzer: deadly signal\n\
             artifact_prefix='/w/fuzz/artifacts/csv_reader/'; Test unit written to /w/fuzz/artifacts/csv_reader/crash-ab12\n",
        );
        assert_eq!(stats.executions, Some(512));
        assert_eq!(stats.findings, ["/w/fuzz/artifacts/csv_reader/crash-ab12"]);
        assert_eq!(
            stats.panics,
            [
                "thread '<unnamed>' (77) panicked at fuzz_targets/csv_reader.rs:60:9:",
                "line 3 ends in no row"
            ]
        );
    }

    #[test]
    fn the_table_has_one_row_per_target_with_thousands_marked() {
        let mut stats = TargetStats::new("csv_reader");
        stats.read("#1234567\tDONE   cov: 2131 ft: 9050 corp: 615/89Kb exec/s: 1028 rss: 1Mb");
        stats.success = true;
        let table = table(&[stats], 20);
        assert!(
            table.ends_with(
                "| `csv_reader` | 20 | 1,234,567 | 1,028 | 2,131 | 9,050 | 615/89Kb | 0 |\n"
            ),
            "{table}"
        );
    }

    /// Every policy file is reached by the committed seed named after it: its first byte
    /// chooses it as the target does (`cargo xtask fuzz --write-seeds` writes them again).
    #[test]
    fn the_policy_loader_seeds_reach_every_policy_file() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let dir = policy_seeds::dir(&root.join(FUZZ_DIR));
        let choices = policy_seeds::choices(&PolicyFiles::embedded());
        let mut reached = vec![0; choices.len()];
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let first = std::fs::read(&path).unwrap().first().copied().unwrap();
            let index = usize::from(first) % choices.len();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert_eq!(
                name,
                policy_seeds::name(index, &choices[index].0),
                "{} chooses {}: run `cargo xtask fuzz --write-seeds`",
                path.display(),
                choices[index].0
            );
            reached[index] += 1;
        }
        for ((path, _), count) in choices.iter().zip(reached) {
            assert_eq!(
                count, 1,
                "{path}: {count} seeds choose it; run `cargo xtask fuzz --write-seeds`"
            );
        }
    }
}
