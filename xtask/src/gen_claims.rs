//! `cargo xtask gen-claims`: a deterministic synthetic population of Huai'an 2026 claims in
//! the format of `yibao batch`: CSV, or Parquet or Arrow IPC when the output's extension
//! says so (`--output claims.parquet`; the same for the full model's `--persons-output`), the
//! same rows typed.
//!
//! The same seed and size give a byte-identical file: the generator is a splitmix64 stream
//! and uses integer arithmetic only. The population is shaped to exercise the rules, not to
//! match any real statistics:
//! - persons: 6% medical-aid recipients, 45% signed with a family doctor, 80% enrolled in
//!   both 2025 and 2026 (continuity 2, of whom 35% had no reimbursement in 2025), 20% new;
//! - three profiles: healthy (85%: mostly small outpatient bills), chronic (10%: special
//!   diseases), severe (5%: large admissions, some referred out of the city), so that the
//!   outpatient cap, the inpatient fund cap and every catastrophic band are reached;
//! - about 2.9 claims per person (1 + a geometric number), dated through the year, each
//!   person's rows contiguous and in date order.

use std::io::Write;

/// The splitmix64 generator (Steele, Lea, Flood 2014): tiny, fast, and good enough here.
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`), by the multiply-shift method.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `per_mille / 1000`.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// An index into `weights` (per mille, summing to 1000).
    pub(crate) fn pick(&mut self, weights: &[u64]) -> usize {
        let mut roll = self.below(weights.iter().sum::<u64>().max(1));
        for (i, w) in weights.iter().enumerate() {
            if roll < *w {
                return i;
            }
            roll -= w;
        }
        weights.len().saturating_sub(1)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Profile {
    Healthy,
    Chronic,
    Severe,
}

/// Days from 1 January 2026 to the first of each month (2026 is not a leap year).
const MONTH_STARTS: [u64; 13] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

pub(crate) fn date_of(day_of_year: u64) -> (u64, u64) {
    let month = MONTH_STARTS
        .iter()
        .rposition(|start| *start <= day_of_year)
        .unwrap_or(0)
        .min(11);
    (month as u64 + 1, day_of_year - MONTH_STARTS[month] + 1)
}

/// An amount in fen between `lo` and `hi` whole yuan, with random fen.
fn yuan(rng: &mut SplitMix64, lo: u64, hi: u64) -> u64 {
    rng.between(lo, hi) * 100 + rng.below(100)
}

pub(crate) struct Claim {
    pub(crate) day: u64,
    pub(crate) kind: &'static str,
    pub(crate) level: &'static str,
    pub(crate) fen: u64,
}

pub(crate) fn claim(rng: &mut SplitMix64, profile: Profile) -> Claim {
    let day = rng.below(365);
    // outpatient, special disease, inpatient, day surgery, out-of-city inpatient
    let weights: [u64; 5] = match profile {
        Profile::Healthy => [920, 0, 50, 30, 0],
        Profile::Chronic => [500, 400, 80, 20, 0],
        Profile::Severe => [300, 150, 450, 0, 100],
    };
    let level = |rng: &mut SplitMix64, severe: bool| {
        let w: [u64; 3] = if severe {
            [100, 300, 600]
        } else {
            [300, 350, 350]
        };
        ["level_1", "level_2", "level_3"][rng.pick(&w)]
    };
    let (kind, level, fen) = match rng.pick(&weights) {
        0 => {
            let fen = match rng.pick(&[700, 250, 50]) {
                0 => yuan(rng, 20, 149),
                1 => yuan(rng, 150, 599),
                _ => yuan(rng, 600, 1999),
            };
            ("general_outpatient", "primary_care", fen)
        }
        1 => ("special_disease", level(rng, false), yuan(rng, 300, 2999)),
        2 => {
            let fen = if profile == Profile::Severe {
                match rng.pick(&[580, 300, 100, 20]) {
                    0 => yuan(rng, 10_000, 79_999),
                    1 => yuan(rng, 80_000, 249_999),
                    2 => yuan(rng, 250_000, 599_999),
                    _ => yuan(rng, 600_000, 1_500_000),
                }
            } else if rng.chance(850) {
                yuan(rng, 2_000, 19_999)
            } else {
                yuan(rng, 20_000, 59_999)
            };
            ("inpatient", level(rng, profile == Profile::Severe), fen)
        }
        3 => ("day_surgery", level(rng, false), yuan(rng, 3_000, 14_999)),
        _ => ("inpatient", "out_of_city", yuan(rng, 30_000, 299_999)),
    };
    Claim {
        day,
        kind,
        level,
        fen,
    }
}

/// Writes the population of `persons` persons for `seed`.
pub(crate) fn write(out: &mut dyn Write, persons: u64, seed: u64) -> std::io::Result<()> {
    let mut rng = SplitMix64::new(seed);
    writeln!(
        out,
        "person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount"
    )?;
    let mut claims: Vec<Claim> = Vec::new();
    for person in 1..=persons {
        let category = if rng.chance(60) {
            "medical_aid_recipient"
        } else {
            "ordinary"
        };
        let family_doctor = rng.chance(450);
        let continuity = if rng.chance(800) { 2 } else { 1 };
        let zero_claim_prev = continuity == 2 && rng.chance(350);
        let profile = match rng.pick(&[850, 100, 50]) {
            0 => Profile::Healthy,
            1 => Profile::Chronic,
            _ => Profile::Severe,
        };
        let mut count = 1;
        while count < 60 && rng.chance(650) {
            count += 1;
        }
        claims.clear();
        claims.extend((0..count).map(|_| claim(&mut rng, profile)));
        claims.sort_by_key(|c| c.day);
        for c in &claims {
            let (month, day) = date_of(c.day);
            writeln!(
                out,
                "P{person:07},{category},{family_doctor},{continuity},{zero_claim_prev},2026-{month:02}-{day:02},{},{},{}.{:02}",
                c.kind,
                c.level,
                c.fen / 100,
                c.fen % 100
            )?;
        }
    }
    out.flush()
}

/// Where the persons table of the full model goes: CSV, or a typed table by extension.
enum PersonsOutput {
    Csv(std::io::BufWriter<std::fs::File>),
    Table(Box<yibao_batch::TableWriter<std::io::BufWriter<std::fs::File>>>),
}

impl PersonsOutput {
    fn create(path: &std::path::Path) -> Result<PersonsOutput, String> {
        let file = std::io::BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(path)
                .map_err(|e| format!("cannot create {}: {e}", path.display()))?,
        );
        let format = yibao_batch::TableFormat::from_path(path);
        Ok(if format.is_table() {
            PersonsOutput::Table(Box::new(yibao_batch::TableWriter::new(file, format)))
        } else {
            PersonsOutput::Csv(file)
        })
    }

    fn writer(&mut self) -> &mut dyn Write {
        match self {
            PersonsOutput::Csv(file) => file,
            PersonsOutput::Table(table) => table.as_mut(),
        }
    }

    /// Completes the file (a table is written whole only here).
    fn finish(self) -> std::io::Result<()> {
        match self {
            PersonsOutput::Csv(mut file) => file.flush(),
            PersonsOutput::Table(table) => (*table).finish().map(drop),
        }
    }
}

pub(crate) fn run(args: &crate::flags::GenClaimsArgs) -> Result<(), String> {
    let mut persons_out = match &args.persons_output {
        None => None,
        Some(path) => Some(PersonsOutput::create(path)?),
    };
    let mut generate = |out: &mut dyn Write| match args.full_model {
        None => write(out, args.persons, args.seed),
        Some(model) => crate::gen_full_model::write(
            out,
            persons_out.as_mut().map(PersonsOutput::writer),
            args.persons,
            args.seed,
            model,
        ),
    };
    let result = match &args.output {
        None => generate(&mut std::io::BufWriter::new(std::io::stdout().lock())),
        Some(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
            let file = std::io::BufWriter::with_capacity(1 << 20, file);
            let format = yibao_batch::TableFormat::from_path(path);
            if format.is_table() {
                // The same rows as the CSV, typed: amounts Decimal128(18, 2), dates Date32.
                let mut table = yibao_batch::TableWriter::new(file, format);
                generate(&mut table).and_then(|()| table.finish().map(drop))
            } else {
                generate(&mut { file })
            }
        }
    };
    result
        .and_then(|()| persons_out.map_or(Ok(()), PersonsOutput::finish))
        .map_err(|e| format!("gen-claims: cannot write: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes_and_another_seed_differs() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        let mut c = Vec::new();
        write(&mut a, 200, 7).unwrap();
        write(&mut b, 200, 7).unwrap();
        write(&mut c, 200, 8).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn every_generated_row_settles() {
        use yibao_batch::{self as batch, BatchOptions, Contiguity, Sinks};
        let mut file = Vec::new();
        write(&mut file, 300, 2026).unwrap();
        let library =
            yibao::policy::PolicyLibrary::load(&yibao::policy::PolicyFiles::embedded()).unwrap();
        let options = BatchOptions::new("huaian", yibao::core::PolicyYear::new(2026).unwrap());
        let (mut output, mut errors) = (Vec::new(), Vec::new());
        let summary = batch::run(
            &library,
            &options,
            file.as_slice(),
            &Contiguity::Streaming,
            Sinks {
                output: &mut output,
                errors: &mut errors,
                per_claim: None,
            },
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(
            summary.rows_in_error,
            0,
            "{}",
            String::from_utf8_lossy(&errors)
        );
        assert_eq!(summary.persons_settled, 300);
        assert!(summary.money_reconciles());
    }

    #[test]
    fn dates_are_real_days_of_2026() {
        assert_eq!(date_of(0), (1, 1));
        assert_eq!(date_of(31), (2, 1));
        assert_eq!(date_of(58), (2, 28));
        assert_eq!(date_of(364), (12, 31));
    }

    #[test]
    fn splitmix64_matches_the_reference_stream() {
        // First outputs for seed 0 of the reference implementation (Vigna's splitmix64.c).
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }
}
