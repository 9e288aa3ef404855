//! `cargo xtask bench`: end-to-end throughput of `yibao batch` and its read-and-parse floor,
//! on generated populations of 10,000 and (by default) 1,000,000 persons.
//!
//! Steps: build the release binary; generate `target/bench/claims-<N>.csv` (seed 2026);
//! for each file run `yibao batch` and `yibao batch --parse-only`, one after the other,
//! `--runs` times (default 5: the machine may be shared), and read the figures of their
//! summaries (time, claims/s, persons/s, peak memory): the table gives the run of median
//! time with the range of all runs; then settle and parse a
//! 100,000-person file with one worker thread (best of three), to get the settlement time
//! per claim in the batch; finally run the library benchmark (`cargo bench -p yibao --bench
//! settle`: `settle_into` and `settle_with` per claim, without the batch around them).
//! Prints a Markdown table for BENCHMARKS.md.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{cargo, gen_claims, run_step};

const SEED: u64 = 2026;

/// The figures of one run, read from the summary on standard error.
struct Figures {
    rows: String,
    seconds: String,
    claims_per_second: String,
    persons_per_second: String,
    peak_memory: String,
    /// The time of the settling (or parsing) alone, without the first pass.
    settle_seconds: String,
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from)
}

fn summary_value(summary: &str, label: &str) -> String {
    summary
        .lines()
        .find_map(|line| line.trim().strip_prefix(&format!("{label}:")))
        .map(|v| v.trim().to_owned())
        .unwrap_or_else(|| "?".to_owned())
}

fn run_batch(
    binary: &Path,
    input: &Path,
    dir: &Path,
    parse_only: bool,
    threads: Option<usize>,
) -> Result<Figures, String> {
    let mut command = Command::new(binary);
    command.args([
        "batch",
        "--jurisdiction",
        "huaian",
        "--year",
        "2026",
        "--input",
    ]);
    command
        .arg(input)
        .arg("--output")
        .arg(dir.join("results.csv"));
    command.arg("--errors").arg(dir.join("errors.csv"));
    if parse_only {
        command.arg("--parse-only");
    }
    if let Some(threads) = threads {
        command.arg("--threads").arg(threads.to_string());
    }
    eprintln!("xtask: {command:?}");
    let output = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let summary = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "yibao batch failed ({}):\n{summary}",
            output.status
        ));
    }
    eprint!("{summary}");
    Ok(Figures {
        rows: summary_value(&summary, "rows in"),
        seconds: summary_value(&summary, "time"),
        claims_per_second: summary_value(&summary, "claims per second"),
        persons_per_second: summary_value(&summary, "persons per second"),
        peak_memory: summary_value(&summary, "peak memory"),
        settle_seconds: if parse_only {
            summary_value(&summary, "of which parsing")
        } else {
            summary_value(&summary, "of which settling")
        },
    })
}

/// A time as the summary writes it (`1.234 s`), in seconds.
fn seconds(text: &str) -> Result<f64, String> {
    text.trim_end_matches(" s")
        .parse::<f64>()
        .map_err(|_| format!("cannot read the time `{text}`"))
}

/// The runs of one command, sorted by time.
struct Runs {
    runs: Vec<(f64, Figures)>,
}

impl Runs {
    fn of(figures: Vec<Figures>) -> Result<Runs, String> {
        let mut runs = figures
            .into_iter()
            .map(|f| Ok((seconds(&f.seconds)?, f)))
            .collect::<Result<Vec<_>, String>>()?;
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        if runs.is_empty() {
            return Err("no run".to_owned());
        }
        Ok(Runs { runs })
    }

    fn median_index(&self) -> usize {
        (self.runs.len() - 1) / 2
    }

    fn median(&self) -> &Figures {
        &self.runs[self.median_index()].1
    }

    fn median_seconds(&self) -> f64 {
        self.runs[self.median_index()].0
    }

    fn fastest(&self) -> f64 {
        self.runs.first().map_or(0.0, |r| r.0)
    }

    fn slowest(&self) -> f64 {
        self.runs.last().map_or(0.0, |r| r.0)
    }

    /// The lowest and the highest claims/s of the runs, as their summaries give them.
    fn claims_per_second_range(&self) -> (f64, f64) {
        self.runs
            .iter()
            .filter_map(|(_, f)| f.claims_per_second.parse::<f64>().ok())
            .fold((f64::MAX, 0.0), |(low, high), rate| {
                (low.min(rate), high.max(rate))
            })
    }

    /// The highest peak of all runs.
    fn peak_memory(&self) -> &str {
        self.runs
            .iter()
            .map(|(_, f)| f.peak_memory.as_str())
            .max_by(|a, b| {
                let mib = |s: &str| s.trim_end_matches(" MiB").parse::<f64>().unwrap_or(0.0);
                mib(a).total_cmp(&mib(b))
            })
            .unwrap_or("?")
    }
}

/// Writes `dir/claims-<persons>.csv` for the bench seed.
fn generate(dir: &Path, persons: u64) -> Result<PathBuf, String> {
    let file = dir.join(format!("claims-{persons}.csv"));
    eprintln!(
        "xtask: generating {} ({persons} persons, seed {SEED})",
        file.display()
    );
    let started = Instant::now();
    let created = std::fs::File::create(&file)
        .map_err(|e| format!("cannot create {}: {e}", file.display()))?;
    gen_claims::write(
        &mut std::io::BufWriter::with_capacity(1 << 20, created),
        persons,
        SEED,
    )
    .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    eprintln!(
        "xtask: generated {} MB in {:.1} s",
        std::fs::metadata(&file).map_or(0, |m| m.len()) / 1_000_000,
        started.elapsed().as_secs_f64()
    );
    Ok(file)
}

pub(crate) fn run(args: &crate::flags::BenchArgs) -> Result<(), String> {
    let mut build = cargo();
    build.args([
        "build",
        "--release",
        "--package",
        "yibao-cli",
        "--bin",
        "yibao",
    ]);
    run_step("build the release binary", build)?;
    let target = target_dir();
    let binary = target.join("release").join("yibao");
    let dir = target.join("bench");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;

    let mut sizes = vec![10_000];
    if args.large > 0 {
        sizes.push(args.large);
    }
    let mut rows = Vec::new();
    for &persons in &sizes {
        let file = generate(&dir, persons)?;
        let megabytes = std::fs::metadata(&file).map_or(0, |m| m.len()) / 1_000_000;
        let (mut settles, mut floors) = (Vec::new(), Vec::new());
        for _ in 0..args.runs.max(1) {
            settles.push(run_batch(&binary, &file, &dir, false, None)?);
            floors.push(run_batch(&binary, &file, &dir, true, None)?);
        }
        rows.push((persons, megabytes, Runs::of(settles)?, Runs::of(floors)?));
    }

    // The settlement time per claim: one worker, settle minus parse, best of three runs of
    // each (the machine may be shared), on 100,000 persons (long enough to reach a steady
    // state).
    let small = generate(&dir, 100_000)?;
    let seconds = |f: &Figures| seconds(&f.settle_seconds);
    let mut best = (f64::MAX, f64::MAX);
    let mut claims = 0.0;
    for _ in 0..3 {
        let settle = run_batch(&binary, &small, &dir, false, Some(1))?;
        let parse = run_batch(&binary, &small, &dir, true, Some(1))?;
        claims = settle
            .rows
            .parse()
            .map_err(|_| format!("cannot read the rows `{}`", settle.rows))?;
        best = (best.0.min(seconds(&settle)?), best.1.min(seconds(&parse)?));
    }
    let per_claim_ns = (best.0 - best.1).max(0.0) * 1e9 / f64::max(claims, 1.0);

    println!(
        "runs of each command: {}; the run of median time, with the range of all runs",
        args.runs.max(1)
    );
    println!();
    println!(
        "| persons | MB | claims | run | time | claims/s | persons/s | peak memory | ratio to the floor |"
    );
    println!("|---:|---:|---:|---|---:|---:|---:|---:|---:|");
    for (persons, megabytes, settle, floor) in &rows {
        for (name, runs) in [("settle", settle), ("parse only (floor)", floor)] {
            let f = runs.median();
            let (slowest_rate, fastest_rate) = runs.claims_per_second_range();
            let ratio = if name == "settle" {
                format!(
                    "{:.2}",
                    runs.median_seconds() / floor.median_seconds().max(1e-9)
                )
            } else {
                String::new()
            };
            println!(
                "| {persons} | {megabytes} | {} | {name} | {} ({:.3} to {:.3} s) | {} ({:.0} to {:.0}) | {} | {} | {ratio} |",
                f.rows,
                f.seconds,
                runs.fastest(),
                runs.slowest(),
                f.claims_per_second,
                slowest_rate,
                fastest_rate,
                f.persons_per_second,
                runs.peak_memory(),
            );
        }
    }
    println!();
    println!(
        "one worker thread, {claims} claims, best of 3: settle {:.3} s, parse only {:.3} s: settlement {per_claim_ns:.0} ns per claim",
        best.0, best.1
    );

    let mut library = cargo();
    library.args(["bench", "--package", "yibao", "--bench", "settle"]);
    run_step("the library benchmark", library)
}
