//! The one-stop settlement in the library, per claim, over a fixed population of Huai'an 2026
//! persons: `yibao::settle::settle_into` with [`Explain::FiguresOnly`] and one `Settler`
//! reused from person to person (what `yibao batch` calls), `settle_with` figures only, and
//! `settle_with` with [`Explain::Steps`] (what `yibao settle --explain` calls).
//!
//! Run with `cargo bench -p yibao --bench settle` (also part of `cargo xtask bench`); a word
//! after `--` runs only the modes whose name has it (`-- batch`, for a profiler). The
//! population is built once, before timing: mostly small outpatient bills, some special
//! diseases, and a tail of large admissions that reach the fund cap and every catastrophic
//! band. It is measured at two sizes: 200 persons, whose scenarios stay in the processor's
//! cache as a batch worker's freshly parsed person does, and 2,000 persons, whose scenarios
//! (about 1 MB) do not, so every person is first fetched from memory. Each measurement
//! settles the whole population, repeated until at least one second has passed; the best of
//! five measurements is reported, as nanoseconds per claim and per person. `--rounds N`
//! instead settles the population exactly N times, once: the same work on every run, for an
//! instruction counter such as `valgrind --tool=callgrind`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use yibao::policy::{PolicyFiles, PolicyLibrary};
use yibao::scenario::Scenario;
use yibao::settle::{Explain, Settler, settle_into, settle_with};

/// splitmix64: a deterministic population without a dependency.
struct Stream(u64);

impl Stream {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn fen(&mut self, lo_yuan: u64, hi_yuan: u64) -> String {
        let fen = lo_yuan * 100 + self.below((hi_yuan - lo_yuan) * 100);
        format!("{}.{:02}", fen / 100, fen % 100)
    }
}

fn population(persons: usize) -> Result<Vec<Scenario>, String> {
    let mut stream = Stream(2026);
    (0..persons)
        .map(|i| {
            let profile = stream.below(100);
            let count = 1 + stream.below(4) + if profile >= 85 { 2 } else { 0 };
            let mut day = 1 + stream.below(30);
            let claims: Vec<String> = (0..count)
                .map(|_| {
                    day = (day + 1 + stream.below(60)).min(365);
                    let date = chrono::NaiveDate::from_yo_opt(2026, day as u32)
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "2026-12-31".to_owned());
                    let (kind, level, amount) = match (profile, stream.below(10)) {
                        (0..85, _) | (85..95, 0..4) => {
                            ("outpatient_general", "primary_care", stream.fen(20, 300))
                        }
                        (85..95, _) => ("special_disease", "level_2", stream.fen(200, 3_000)),
                        (_, 0..3) => ("outpatient_general", "primary_care", stream.fen(20, 300)),
                        (_, roll) => (
                            "inpatient",
                            ["level_1", "level_2", "level_3"][roll as usize % 3],
                            stream.fen(5_000, 300_000),
                        ),
                    };
                    format!(
                        r#"{{"date": "{date}", "kind": "{kind}", "level": "{level}", "amount": "{amount}"}}"#
                    )
                })
                .collect();
            let class = if stream.below(100) < 6 { "medical-aid-recipient" } else { "ordinary" };
            let signed = if stream.below(100) < 45 { "signed" } else { "not_signed" };
            let years = 1 + stream.below(2);
            let zero = if years == 2 && stream.below(100) < 35 { "[2025]" } else { "[]" };
            let json = format!(
                r#"{{"jurisdiction": "huaian", "year": 2026,
                    "person": {{"id": "P{i}", "family_doctor": "{signed}", "catastrophic_class": "{class}"}},
                    "incentives": {{"consecutive_years": {years}, "zero_reimbursement_years": {zero}}},
                    "claims": [{}]}}"#,
                claims.join(", ")
            );
            serde_json::from_str(&json).map_err(|e| format!("bench scenario {i}: {e}\n{json}"))
        })
        .collect()
}

/// How the population is settled in a measurement.
#[derive(Clone, Copy)]
enum Mode {
    /// `settle_into`, figures only, one settler reused.
    Batch,
    /// `settle_with`, figures only or with steps.
    Report(Explain),
}

/// How long each measurement runs.
#[derive(Clone, Copy)]
enum Rounds {
    /// The best of five runs, each repeating the whole population for at least a second.
    BestOfFive,
    /// One run of exactly this many rounds: the same work every time, for an instruction
    /// counter (`valgrind --tool=callgrind … -- batch --rounds 20`).
    Exactly(u32),
}

/// The time of one round of the population, as `rounds` says.
fn measure(library: &PolicyLibrary, people: &[Scenario], mode: Mode, rounds: Rounds) -> Duration {
    let mut best = Duration::MAX;
    let mut settler = Settler::new();
    let (runs, fixed) = match rounds {
        Rounds::BestOfFive => (5, None),
        Rounds::Exactly(n) => (1, Some(n.max(1))),
    };
    for _ in 0..runs {
        let start = Instant::now();
        let mut rounds = 0_u32;
        while match fixed {
            Some(n) => rounds < n,
            None => rounds == 0 || start.elapsed() < Duration::from_secs(1),
        } {
            for scenario in people {
                match mode {
                    Mode::Batch => {
                        let settled = settle_into(
                            library,
                            black_box(scenario),
                            Explain::FiguresOnly,
                            &mut settler,
                        );
                        black_box(settled.map(|r| r.totals.personal).ok());
                    }
                    Mode::Report(explain) => {
                        let report = settle_with(library, black_box(scenario), explain);
                        black_box(report.map(|r| r.totals.personal).ok());
                    }
                }
            }
            rounds += 1;
        }
        best = best.min(start.elapsed() / rounds);
    }
    best
}

fn main() -> Result<(), String> {
    if std::env::args().any(|a| a == "--list") {
        println!("settle: bench");
        return Ok(());
    }
    let library = PolicyLibrary::load(&PolicyFiles::embedded())
        .map_err(|e| format!("the embedded policy data: {e}"))?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rounds = match args.iter().position(|a| a == "--rounds") {
        Some(at) => Rounds::Exactly(
            args.get(at + 1)
                .and_then(|n| n.parse().ok())
                .ok_or("--rounds takes a whole number")?,
        ),
        None => Rounds::BestOfFive,
    };
    // The words that are neither flags nor the number after `--rounds`.
    let after_rounds = |i: usize| i > 0 && args.get(i - 1).is_some_and(|p| p == "--rounds");
    let filter: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with('-') && !after_rounds(*i))
        .map(|(_, a)| a)
        .collect();
    let modes = [
        (
            "settle_into, figures only, report reused (batch)",
            Mode::Batch,
        ),
        (
            "settle_with, figures only",
            Mode::Report(Explain::FiguresOnly),
        ),
        ("settle_with, with steps", Mode::Report(Explain::Steps)),
    ];
    for persons in [200, 2_000] {
        let people = population(persons)?;
        let claims: usize = people.iter().map(|s| s.claims.len()).sum();
        for scenario in &people {
            if let Err(e) = settle_with(&library, scenario, Explain::FiguresOnly) {
                return Err(format!(
                    "bench person {:?} does not settle: {e}",
                    scenario.person.id
                ));
            }
        }
        println!(
            "Huai'an 2026, {persons} persons, {claims} claims ({:.2} per person), best of 5:",
            claims as f64 / persons as f64
        );
        for (name, mode) in modes {
            if !filter.is_empty() && !filter.iter().any(|f| name.contains(f.as_str())) {
                continue;
            }
            let time = measure(&library, &people, mode, rounds);
            println!(
                "  {name:<50} {:>6.0} ns per claim  {:>6.0} ns per person",
                time.as_nanos() as f64 / claims as f64,
                time.as_nanos() as f64 / persons as f64
            );
        }
    }
    Ok(())
}
