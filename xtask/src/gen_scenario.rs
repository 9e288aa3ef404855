//! `cargo xtask gen-scenario`: one person's Huai'an 2026 year of N claims, as a scenario
//! file of `yibao settle` (TOML, or JSON), to measure the settlement of a large year.
//!
//! The claims are drawn from the mix of `gen-claims` (its profiles, kinds, levels and
//! amounts, each claim with a profile of its own), dated at random through the year and
//! written in that order (the settlement sorts them). The same N and seed give a
//! byte-identical file.

use std::io::Write;

use crate::gen_claims::{Profile, SplitMix64, claim, date_of};

/// The file's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ScenarioFormat {
    Toml,
    Json,
}

/// A claim's key and value beyond kind and level.
type Extra = &'static [(&'static str, &'static str)];

/// A claim's keys in the scenario format: kind, level and what its kind needs.
fn keys(kind: &'static str, level: &'static str) -> (&'static str, &'static str, Extra) {
    let level = match level {
        "level_1" | "level_2" | "level_3" => level,
        // Care out of the city: a level 2 hospital in Shanghai, unfiled (the filings decide).
        _ => "level_2",
    };
    match kind {
        "general_outpatient" => (
            "general_outpatient",
            "primary_care",
            &[("consultation_fee", "10.00")],
        ),
        "special_disease" => (
            "special_disease",
            level,
            &[("disease_class", "other"), ("catalogue", "provincial")],
        ),
        other => (other, level, &[]),
    }
}

/// Writes the scenario of `claims` claims for `seed`.
pub(crate) fn write(
    out: &mut dyn Write,
    claims: u64,
    seed: u64,
    format: ScenarioFormat,
) -> std::io::Result<()> {
    let mut rng = SplitMix64::new(seed);
    let json = format == ScenarioFormat::Json;
    if json {
        write!(
            out,
            "{{\"jurisdiction\": \"huaian\", \"year\": 2026,\n\"person\": {{\"id\": \"HA-BIG\", \"born\": \"1968-04-12\", \"category\": \"resident\"}},\n\"enrolment\": [{{\"on\": \"2025-11-15\", \"event\": \"payment\", \"year\": 2026}}],\n\"incentives\": {{\"consecutive_years\": 2}},\n\"claims\": ["
        )?;
    } else {
        writeln!(
            out,
            "jurisdiction = \"huaian\"\nyear = 2026\n\n[person]\nid = \"HA-BIG\"\nborn = \"1968-04-12\"\ncategory = \"resident\"\n\n[[enrolment]]\non = \"2025-11-15\"\nevent = \"payment\"\nyear = 2026\n\n[incentives]\nconsecutive_years = 2"
        )?;
    }
    for i in 0..claims {
        let profile = match rng.pick(&[850, 100, 50]) {
            0 => Profile::Healthy,
            1 => Profile::Chronic,
            _ => Profile::Severe,
        };
        let c = claim(&mut rng, profile);
        let out_of_city = c.level == "out_of_city";
        let (kind, level, extra) = keys(c.kind, c.level);
        let (month, day) = date_of(c.day);
        let (yuan, fen) = (c.fen / 100, c.fen % 100);
        if json {
            write!(
                out,
                "{}\n{{\"id\": \"C{i}\", \"date\": \"2026-{month:02}-{day:02}\", \"kind\": \"{kind}\", \"level\": \"{level}\", \"amount\": \"{yuan}.{fen:02}\"",
                if i == 0 { "" } else { "," }
            )?;
            for (key, value) in extra {
                write!(out, ", \"{key}\": \"{value}\"")?;
            }
            if out_of_city {
                write!(out, ", \"place\": \"shanghai\"")?;
            }
            write!(out, "}}")?;
        } else {
            write!(
                out,
                "\n[[claims]]\nid = \"C{i}\"\ndate = \"2026-{month:02}-{day:02}\"\nkind = \"{kind}\"\nlevel = \"{level}\"\namount = \"{yuan}.{fen:02}\"\n"
            )?;
            for (key, value) in extra {
                writeln!(out, "{key} = \"{value}\"")?;
            }
            if out_of_city {
                writeln!(out, "place = \"shanghai\"")?;
            }
        }
    }
    if json {
        writeln!(out, "\n]}}")?;
    }
    out.flush()
}

pub(crate) fn run(args: &crate::flags::GenScenarioArgs) -> Result<(), String> {
    let format = match &args.output {
        Some(path) if path.extension().is_some_and(|e| e == "json") => ScenarioFormat::Json,
        _ => ScenarioFormat::Toml,
    };
    let result = match &args.output {
        None => write(
            &mut std::io::BufWriter::new(std::io::stdout().lock()),
            args.claims,
            args.seed,
            format,
        ),
        Some(path) => {
            let file = std::fs::File::create(path)
                .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
            write(
                &mut std::io::BufWriter::with_capacity(1 << 20, file),
                args.claims,
                args.seed,
                format,
            )
        }
    };
    result.map_err(|e| format!("gen-scenario: cannot write: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(claims: u64, seed: u64, format: ScenarioFormat) -> String {
        let mut bytes = Vec::new();
        write(&mut bytes, claims, seed, format).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn the_same_year_in_toml_and_json_settles_alike_and_the_seed_decides() {
        let library =
            yibao::policy::PolicyLibrary::load(&yibao::policy::PolicyFiles::embedded()).unwrap();
        let settle = |text: &str, format| {
            let file = yibao::scenario::ScenarioFile::parse("gen", text, format).unwrap();
            yibao::settle::settle(&library, &file.scenario).unwrap()
        };
        let toml = settle(
            &scenario(300, 7, ScenarioFormat::Toml),
            yibao::scenario::ScenarioFormat::Toml,
        );
        let json = settle(
            &scenario(300, 7, ScenarioFormat::Json),
            yibao::scenario::ScenarioFormat::Json,
        );
        assert_eq!(toml.claims.len(), 300);
        assert_eq!(toml, json);
        assert_eq!(
            scenario(50, 7, ScenarioFormat::Toml),
            scenario(50, 7, ScenarioFormat::Toml)
        );
        assert_ne!(
            scenario(50, 7, ScenarioFormat::Toml),
            scenario(50, 8, ScenarioFormat::Toml)
        );
    }
}
