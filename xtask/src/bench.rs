//! `cargo xtask bench`: end-to-end throughput of `yibao batch` and its read-and-parse floor,
//! on generated populations of 10,000 and (by default) 1,000,000 persons (`--huge` adds
//! 10,000,000), in every workload issue 17 names.
//!
//! Steps: build the release binary; generate, deterministically (seed 2026), for each size
//! `target/bench/claims-<N>.csv` (`gen-claims`), the same rows as `claims-<N>.parquet`, and
//! the full model of Huai'an 2026 with its persons table (`gen-claims --full-model
//! --persons-output`: `full-<N>.csv`, `persons-<N>.csv`). Then for each workload
//! ([`Workload`]: claims in CSV, in Parquet, the full model without and with its persons
//! table, the claims with a reform) run `yibao batch` and `yibao batch --parse-only` (the
//! floor), one after the other, `--runs` times (default 5: the machine may be shared), and
//! read the figures of their summaries (time, claims/s, persons/s, peak memory) and the CPU
//! time the run used (user + system, from `/proc/self/stat`): the table gives the run of
//! median time with the range of all runs. Then, unless `--quick`, settle and parse a
//! 100,000-person file with one worker thread (best of three), to get the settlement time
//! per claim in the batch, and run the library benchmark (`cargo bench -p yibao --bench
//! settle`). `--quick` is 10,000 persons, one run of each, nothing else: a try in a minute.
//! Prints Markdown tables for BENCHMARKS.md.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::gen_full_model::ModelYear;
use crate::{cargo, gen_claims, gen_full_model, run_step};

const SEED: u64 = 2026;

/// The reform of the reform workload: one ratio of the book changed.
const REFORM: &str = "benefits.inpatient.ratio.by_level.level_3=70%";

/// What a bench run settles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Workload {
    /// The claims of `gen-claims` in CSV.
    Csv,
    /// The same rows in Parquet.
    Parquet,
    /// The full model of Huai'an 2026, claims only (everyone covered all year).
    FullModel,
    /// The same claims joined to their persons table (birth dates, enrolment histories).
    FullModelWithPersons,
    /// The claims in CSV, settled under the baseline and a reform in one pass.
    Reform,
}

impl Workload {
    const ALL: [Workload; 5] = [
        Workload::Csv,
        Workload::Parquet,
        Workload::FullModel,
        Workload::FullModelWithPersons,
        Workload::Reform,
    ];

    fn name(self) -> &'static str {
        match self {
            Workload::Csv => "CSV",
            Workload::Parquet => "Parquet",
            Workload::FullModel => "full model, CSV",
            Workload::FullModelWithPersons => "full model + persons table, CSV",
            Workload::Reform => "CSV + reform",
        }
    }

    /// The claims file and the `yibao batch` arguments after `--input`'s, for `files`.
    fn arguments(self, files: &Files) -> (PathBuf, Vec<String>) {
        match self {
            Workload::Csv => (files.claims_csv.clone(), Vec::new()),
            Workload::Parquet => (files.claims_parquet.clone(), Vec::new()),
            Workload::FullModel => (files.full_model.clone(), Vec::new()),
            Workload::FullModelWithPersons => (
                files.full_model.clone(),
                vec!["--persons".to_owned(), files.persons.display().to_string()],
            ),
            Workload::Reform => (
                files.claims_csv.clone(),
                vec!["--set".to_owned(), REFORM.to_owned()],
            ),
        }
    }
}

/// The generated files of one size.
struct Files {
    persons_count: u64,
    claims_csv: PathBuf,
    claims_parquet: PathBuf,
    full_model: PathBuf,
    persons: PathBuf,
}

/// The figures of one run, read from the summary on standard error.
struct Figures {
    rows: String,
    seconds: String,
    claims_per_second: String,
    persons_per_second: String,
    peak_memory: String,
    /// The time of the settling (or parsing) alone, without the first pass.
    settle_seconds: String,
    /// The CPU time of the run (user + system), in seconds, when the system says it.
    cpu_seconds: Option<f64>,
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

/// The CPU time (user + system, in seconds) of the children this process has waited for,
/// from `/proc/self/stat` (`cutime` and `cstime`, in ticks of 1/100 s); `None` where there
/// is no such file.
fn children_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let (_, after_name) = stat.rsplit_once(')')?;
    // After the name come the fields from the third (`state`); cutime and cstime are the
    // 16th and 17th.
    let mut fields = after_name.split_whitespace().skip(13);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    Some((user + system) / 100.0)
}

/// One `yibao batch` run of the claims file `input` with `extra` arguments.
fn run_batch(
    binary: &Path,
    input: &Path,
    extra: &[String],
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
    command.args(extra);
    if parse_only {
        command.arg("--parse-only");
    }
    if let Some(threads) = threads {
        command.arg("--threads").arg(threads.to_string());
    }
    eprintln!("xtask: {command:?}");
    let cpu_before = children_cpu_seconds();
    let output = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let cpu_seconds = children_cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
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
        cpu_seconds,
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

    /// The median run's CPU time, as text.
    fn cpu(&self) -> String {
        self.median()
            .cpu_seconds
            .map_or_else(|| "?".to_owned(), |s| format!("{s:.2} s"))
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

/// Creates `path` and writes into it what `write` writes, with a line of progress.
fn generate_file(
    path: &Path,
    what: &str,
    write: impl FnOnce(std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> Result<(), String> {
    eprintln!("xtask: generating {} ({what})", path.display());
    let started = Instant::now();
    let created = std::fs::File::create(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    write(std::io::BufWriter::with_capacity(1 << 20, created))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!(
        "xtask: generated {} MB in {:.1} s",
        std::fs::metadata(path).map_or(0, |m| m.len()) / 1_000_000,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Writes `dir/claims-<persons>.csv` for the bench seed.
fn generate(dir: &Path, persons: u64) -> Result<PathBuf, String> {
    let file = dir.join(format!("claims-{persons}.csv"));
    generate_file(
        &file,
        &format!("{persons} persons, seed {SEED}"),
        |mut out| gen_claims::write(&mut out, persons, SEED),
    )?;
    Ok(file)
}

/// Writes every file of one size: the claims in CSV and Parquet, the full model and its
/// persons table.
fn generate_all(dir: &Path, persons: u64) -> Result<Files, String> {
    let claims_csv = generate(dir, persons)?;
    let claims_parquet = dir.join(format!("claims-{persons}.parquet"));
    generate_file(&claims_parquet, "the same rows in Parquet", |out| {
        let mut table = yibao_batch::TableWriter::new(out, yibao_batch::TableFormat::Parquet);
        gen_claims::write(&mut table, persons, SEED).and_then(|()| table.finish().map(drop))
    })?;
    let full_model = dir.join(format!("full-{persons}.csv"));
    let persons_path = dir.join(format!("persons-{persons}.csv"));
    let persons_file = std::fs::File::create(&persons_path)
        .map_err(|e| format!("cannot create {}: {e}", persons_path.display()))?;
    let mut persons_out = std::io::BufWriter::with_capacity(1 << 20, persons_file);
    generate_file(&full_model, "the full model, Huai'an 2026", |mut out| {
        gen_full_model::write(
            &mut out,
            Some(&mut persons_out),
            persons,
            SEED,
            ModelYear::Huaian2026,
        )
    })?;
    Ok(Files {
        persons_count: persons,
        claims_csv,
        claims_parquet,
        full_model,
        persons: persons_path,
    })
}

/// The settle runs and the floor runs of one workload on one size.
struct Measured {
    persons: u64,
    megabytes: u64,
    workload: Workload,
    settle: Runs,
    floor: Runs,
}

/// Runs every workload on `files`, `runs` times each, settle and floor alternating.
fn measure(binary: &Path, dir: &Path, files: &Files, runs: u64) -> Result<Vec<Measured>, String> {
    let mut measured = Vec::new();
    for workload in Workload::ALL {
        let (input, extra) = workload.arguments(files);
        let megabytes = std::fs::metadata(&input).map_or(0, |m| m.len()) / 1_000_000;
        let (mut settles, mut floors) = (Vec::new(), Vec::new());
        for _ in 0..runs.max(1) {
            settles.push(run_batch(binary, &input, &extra, dir, false, None)?);
            floors.push(run_batch(binary, &input, &extra, dir, true, None)?);
        }
        measured.push(Measured {
            persons: files.persons_count,
            megabytes,
            workload,
            settle: Runs::of(settles)?,
            floor: Runs::of(floors)?,
        });
    }
    Ok(measured)
}

/// Prints the Markdown table of every workload measured.
fn print_table(measured: &[Measured], runs: u64) {
    println!(
        "runs of each command: {}; the run of median time, with the range of all runs; CPU: user + system of that run",
        runs.max(1)
    );
    println!();
    println!(
        "| persons | workload | MB | claims | run | time | CPU | claims/s | persons/s | peak memory | ratio to the floor |"
    );
    println!("|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|");
    for m in measured {
        for (name, runs) in [("settle", &m.settle), ("parse only (floor)", &m.floor)] {
            let f = runs.median();
            let (slowest_rate, fastest_rate) = runs.claims_per_second_range();
            let ratio = if name == "settle" {
                format!(
                    "{:.2}",
                    runs.median_seconds() / m.floor.median_seconds().max(1e-9)
                )
            } else {
                String::new()
            };
            println!(
                "| {} | {} | {} | {} | {name} | {} ({:.3} to {:.3} s) | {} | {} ({:.0} to {:.0}) | {} | {} | {ratio} |",
                m.persons,
                m.workload.name(),
                m.megabytes,
                f.rows,
                f.seconds,
                runs.fastest(),
                runs.slowest(),
                runs.cpu(),
                f.claims_per_second,
                slowest_rate,
                fastest_rate,
                f.persons_per_second,
                runs.peak_memory(),
            );
        }
    }
    println!();
    print_persons_cost(measured);
}

/// The cost per claim with the persons table beside the same claims without it.
fn print_persons_cost(measured: &[Measured]) {
    let find = |persons: u64, workload: Workload| {
        measured
            .iter()
            .find(|m| m.persons == persons && m.workload == workload)
    };
    let mut sizes: Vec<u64> = measured.iter().map(|m| m.persons).collect();
    sizes.dedup();
    for persons in sizes {
        let (Some(alone), Some(joined)) = (
            find(persons, Workload::FullModel),
            find(persons, Workload::FullModelWithPersons),
        ) else {
            continue;
        };
        let cpu = |runs: &Runs| runs.median().cpu_seconds.unwrap_or(f64::NAN);
        println!(
            "{persons} persons: with the persons table / without, same claims: time {:.2}×, CPU {:.2}× (medians)",
            joined.settle.median_seconds() / alone.settle.median_seconds().max(1e-9),
            cpu(&joined.settle) / cpu(&alone.settle).max(1e-9),
        );
    }
}

/// The settlement time per claim: one worker, settle minus parse, best of three runs of
/// each (the machine may be shared), on 100,000 persons (long enough to reach a steady
/// state).
fn settlement_per_claim(binary: &Path, dir: &Path) -> Result<(), String> {
    let small = generate(dir, 100_000)?;
    let seconds = |f: &Figures| seconds(&f.settle_seconds);
    let mut best = (f64::MAX, f64::MAX);
    let mut claims = 0.0;
    for _ in 0..3 {
        let settle = run_batch(binary, &small, &[], dir, false, Some(1))?;
        let parse = run_batch(binary, &small, &[], dir, true, Some(1))?;
        claims = settle
            .rows
            .parse()
            .map_err(|_| format!("cannot read the rows `{}`", settle.rows))?;
        best = (best.0.min(seconds(&settle)?), best.1.min(seconds(&parse)?));
    }
    let per_claim_ns = (best.0 - best.1).max(0.0) * 1e9 / f64::max(claims, 1.0);
    println!();
    println!(
        "one worker thread, {claims} claims, best of 3: settle {:.3} s, parse only {:.3} s: settlement {per_claim_ns:.0} ns per claim",
        best.0, best.1
    );
    Ok(())
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

    let runs = if args.quick { 1 } else { args.runs };
    let mut sizes = vec![10_000];
    if args.large > 0 && !args.quick {
        sizes.push(args.large);
    }
    if args.huge && !args.quick {
        sizes.push(10_000_000);
    }
    let mut measured = Vec::new();
    for &persons in &sizes {
        let files = generate_all(&dir, persons)?;
        measured.extend(measure(&binary, &dir, &files, runs)?);
    }
    print_table(&measured, runs);
    if args.quick {
        return Ok(());
    }
    settlement_per_claim(&binary, &dir)?;
    let mut library = cargo();
    library.args(["bench", "--package", "yibao", "--bench", "settle"]);
    run_step("the library benchmark", library)
}
