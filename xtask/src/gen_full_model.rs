//! `cargo xtask gen-claims --full-model`: a deterministic synthetic claims table of the
//! whole model `yibao batch` reads (every column of `yibao schema batch`): every claim kind
//! the jurisdiction-year settles, every level, remote care by treatment and by place,
//! designation, accidents and exclusions, the class split, claim ids, for Huai'an 2026 or
//! Kunshan 2021 (`--jurisdiction kunshan --year 2021`).
//!
//! Only what the policy data can settle is drawn, so every row settles: for Kunshan 2021
//! general outpatient care and admissions at levels 1 to 3 (the data define no other kind,
//! list no exclusions, and give no rule for emergency rescue without a filing); for Huai'an
//! 2026 every kind, an emergency not admitted or ending in death (an admitted one belongs
//! in its admission, H20), special diseases on the provincial catalogue (the city-retained
//! limits are not published). No class B part is drawn: its personal share is not
//! published (H23). The same seed, size and jurisdiction give the same bytes.
//!
//! With `--persons-output FILE`, the persons table of the same persons: a birth date and an
//! enrolment history each (Huai'an: 60% paid in the window, 20% late, with the waiting
//! period, 10% newborns paid some days after birth, 10% no history; Kunshan: 70% paid in
//! the window, 30% insured the year before and paying late, suspended until the day after).

use std::io::Write;

use crate::gen_claims::{SplitMix64, date_of};

/// The jurisdiction-years the full model is drawn for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ModelYear {
    /// Huai'an 2026.
    Huaian2026,
    /// Kunshan 2021.
    Kunshan2021,
}

impl ModelYear {
    /// The jurisdiction-year of `--jurisdiction J --year Y`.
    pub(crate) fn of(jurisdiction: &str, year: u64) -> Result<ModelYear, String> {
        match (jurisdiction, year) {
            ("huaian", 2026) => Ok(ModelYear::Huaian2026),
            ("kunshan", 2021) => Ok(ModelYear::Kunshan2021),
            _ => Err(format!(
                "gen-claims --full-model: {jurisdiction} {year} is not a year the policy data can settle (huaian 2026, kunshan 2021)"
            )),
        }
    }

    fn year(self) -> u64 {
        match self {
            ModelYear::Huaian2026 => 2026,
            ModelYear::Kunshan2021 => 2021,
        }
    }
}

/// The header: every column of the claims table.
pub(crate) const HEADER: &str = "person_id,category,family_doctor,continuity_years,zero_claim_prev,group,date,kind,hospital_level,amount,consultation_fee,disease_class,catalogue,claim_id,two_disease,province,emergency_outcome,designation,accident,exclusions,place,remote_care,circumstance,connection,class_a,class_b,class_c,class_b_personal_share";

fn pick<'a>(rng: &mut SplitMix64, words: &[&'a str]) -> &'a str {
    words
        .get(rng.below(words.len() as u64) as usize)
        .copied()
        .unwrap_or_default()
}

fn money(fen: u64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// The columns after `date` of one claim, as text in [`HEADER`]'s order.
fn claim(rng: &mut SplitMix64, model: ModelYear, id: u64) -> String {
    let kunshan = model == ModelYear::Kunshan2021;
    let kinds: &[&str] = if kunshan {
        &["general_outpatient", "inpatient"]
    } else {
        &[
            "general_outpatient",
            "two_disease_drugs",
            "special_disease",
            "inpatient",
            "day_surgery",
            "dual_channel_drugs",
            "maternity_delivery",
            "emergency",
        ]
    };
    let kind = pick(rng, kinds);
    let hospital = pick(rng, &["level_1", "level_2", "level_3"]);
    let level = match kind {
        "general_outpatient" | "two_disease_drugs" if !kunshan => "primary_care",
        _ => hospital,
    };
    let fen = match kind {
        "inpatient" | "maternity_delivery" => 200_000 + rng.below(8_000_000),
        "day_surgery" => 300_000 + rng.below(1_200_000),
        _ => 2_000 + rng.below(200_000),
    };
    let split = rng.below(10) == 0;
    let (amount, class_a, class_c) = if split {
        let a = fen * 4 / 5;
        (String::new(), money(a), money(fen - a))
    } else {
        (money(fen), String::new(), String::new())
    };
    let fee = if kind == "general_outpatient" && !split && rng.below(2) == 0 {
        money(fen / 10)
    } else {
        String::new()
    };
    let disease_class = if kind == "special_disease" {
        pick(rng, &["", "severe_mental", "psychiatric", "other"])
    } else {
        ""
    };
    let two_disease = if kind == "two_disease_drugs" {
        pick(rng, &["one_disease", "both_diseases"])
    } else {
        ""
    };
    let province = if kind == "maternity_delivery" {
        pick(rng, &["", "same_province", "other_province"])
    } else {
        ""
    };
    let outcome = if kind == "emergency" {
        pick(rng, &["not_admitted", "died"])
    } else {
        ""
    };
    let local = rng.below(4) != 0;
    let (place, remote_care) = match (local, kunshan) {
        (true, _) => ("", ""),
        (false, true) => ("", pick(rng, &["referral", "long_term_filed", "unfiled"])),
        (false, false) => match rng.below(3) {
            0 => (pick(rng, &["shanghai", "zhejiang/hangzhou"]), ""),
            _ => (
                "",
                pick(
                    rng,
                    &[
                        "referral",
                        "long_term_filed",
                        "temporary_filed",
                        "unfiled",
                        "emergency_rescue",
                    ],
                ),
            ),
        },
    };
    let (designation, accident, exclusions) = if kunshan || rng.below(10) != 0 {
        ("", "", "")
    } else {
        (
            pick(rng, &["designated", "not_designated"]),
            pick(
                rng,
                &[
                    "not_an_accident",
                    "no_liable_third_party",
                    "liable_third_party",
                ],
            ),
            pick(rng, &["", "work_injury", "public_health;abroad"]),
        )
    };
    let connection = if place.is_empty() {
        ""
    } else {
        pick(rng, &["networked", "not_settled"])
    };
    format!(
        "{kind},{level},{amount},{fee},{disease_class},,C{id:09},{two_disease},{province},{outcome},{designation},{accident},{exclusions},{place},{remote_care},,{connection},{class_a},,{class_c},"
    )
}

/// The header of the persons table written beside the claims.
pub(crate) const PERSONS_HEADER: &str = "person_id,born,enrolment";

/// A person's birth date and enrolment history (`yibao_batch::PersonsTable`'s compact
/// form), and the first day of the year their claims may fall on.
fn history(rng: &mut SplitMix64, model: ModelYear) -> (String, String, u64) {
    let day = |year: u64, index: u64| {
        let (month, day) = date_of(index.min(364));
        format!("{year}-{month:02}-{day:02}")
    };
    let adult = day(1950 + rng.below(55), rng.below(365));
    let year = model.year();
    match (model, rng.below(10)) {
        // In the window: covered all year.
        (ModelYear::Huaian2026, 0..=5) => (
            adult,
            format!("{} payment {year}", day(2025, 273 + rng.below(92))),
            0,
        ),
        (ModelYear::Kunshan2021, 0..=6) => (
            adult,
            format!("2020-12-{:02} payment {year}", 1 + rng.below(25)),
            0,
        ),
        // Late: a waiting period (H3) in Huai'an; insured the year before and suspended
        // until the day after the payment in Kunshan (K9).
        (ModelYear::Huaian2026, 6..=7) => (
            adult,
            format!("{} payment {year}", day(year, rng.below(180))),
            0,
        ),
        (ModelYear::Kunshan2021, _) => (
            adult,
            format!(
                "2019-12-10 payment 2020; {} payment {year}",
                day(year, rng.below(180))
            ),
            0,
        ),
        // A newborn, paid some days after birth (H5: within 90 days, from birth).
        (ModelYear::Huaian2026, 8) => {
            let born = rng.below(250);
            let paid = born + rng.below(150);
            (
                day(year, born),
                format!("{} payment {year}", day(year, paid)),
                born,
            )
        }
        // No history given: cover assumed.
        (ModelYear::Huaian2026, _) => (adult, String::new(), 0),
    }
}

/// Writes the full-model claims table of `persons` persons for `seed`, and their persons
/// table to `persons_out` when given (the claims are the same bytes either way).
pub(crate) fn write(
    out: &mut dyn Write,
    mut persons_out: Option<&mut dyn Write>,
    persons: u64,
    seed: u64,
    model: ModelYear,
) -> std::io::Result<()> {
    let mut rng = SplitMix64::new(seed);
    writeln!(out, "{HEADER}")?;
    if let Some(table) = persons_out.as_deref_mut() {
        writeln!(table, "{PERSONS_HEADER}")?;
    }
    let mut claims: Vec<(u64, String)> = Vec::new();
    let mut id = 0;
    for person in 1..=persons {
        let category = if rng.below(16) == 0 {
            "medical_aid_recipient"
        } else {
            "ordinary"
        };
        let family_doctor = rng.below(2) == 0;
        let continuity = if rng.below(5) == 0 { 1 } else { 2 };
        let zero_claim_prev = rng.below(3) == 0;
        let group = if rng.below(5) == 0 {
            "student"
        } else {
            "resident"
        };
        let (born, enrolment, first_day) = history(&mut rng, model);
        if let Some(table) = persons_out.as_deref_mut() {
            writeln!(table, "F{person:07},{born},{enrolment}")?;
        }
        let count = 1 + rng.below(5);
        claims.clear();
        for _ in 0..count {
            id += 1;
            let day = first_day + rng.below(365 - first_day);
            claims.push((day, claim(&mut rng, model, id)));
        }
        claims.sort_by_key(|(day, _)| *day);
        for (day, columns) in &claims {
            let (month, day) = date_of(*day);
            writeln!(
                out,
                "F{person:07},{category},{family_doctor},{continuity},{zero_claim_prev},{group},{}-{month:02}-{day:02},{columns}",
                model.year()
            )?;
        }
    }
    if let Some(table) = persons_out {
        table.flush()?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settle(
        file: &[u8],
        persons: Option<&[u8]>,
        model: ModelYear,
    ) -> (yibao_batch::BatchSummary, String) {
        use yibao_batch::{self as batch, BatchOptions, Contiguity, Sinks};
        let library =
            yibao::policy::PolicyLibrary::load(&yibao::policy::PolicyFiles::embedded()).unwrap();
        let (place, year) = match model {
            ModelYear::Huaian2026 => ("huaian", 2026),
            ModelYear::Kunshan2021 => ("kunshan", 2021),
        };
        let mut options = BatchOptions::new(place, yibao::core::PolicyYear::new(year).unwrap());
        options.persons = persons.map(|text| {
            let table = batch::PersonsTable::read("persons.csv", text).unwrap();
            batch::PersonsTableRef(std::sync::Arc::new(table))
        });
        let (mut output, mut errors) = (Vec::new(), Vec::new());
        let summary = batch::run(
            &library,
            &options,
            file,
            &Contiguity::Streaming,
            Sinks {
                output: &mut output,
                errors: &mut errors,
                per_claim: None,
            },
            &mut |_| {},
        )
        .unwrap();
        (summary, String::from_utf8_lossy(&errors).into_owned())
    }

    #[test]
    fn every_full_model_row_settles_in_both_jurisdictions() {
        for model in [ModelYear::Huaian2026, ModelYear::Kunshan2021] {
            let (mut file, mut persons) = (Vec::new(), Vec::new());
            write(&mut file, Some(&mut persons), 400, 2026, model).unwrap();
            let mut alone = Vec::new();
            write(&mut alone, None, 400, 2026, model).unwrap();
            assert_eq!(file, alone, "the claims do not depend on the persons table");
            for table in [None, Some(persons.as_slice())] {
                let (summary, errors) = settle(&file, table, model);
                assert_eq!(summary.rows_in_error, 0, "{model:?}: {errors}");
                assert_eq!(summary.persons_settled, 400);
                assert!(summary.money_reconciles());
                if let Some(counts) = summary.persons_table {
                    assert_eq!(counts.rows_in_error, 0, "{model:?}: {errors}");
                }
            }
            let text = String::from_utf8(persons).unwrap();
            assert!(text.contains(" payment "), "{model:?}");
        }
    }

    #[test]
    fn the_full_model_is_deterministic_and_draws_every_kind() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        write(&mut a, None, 300, 7, ModelYear::Huaian2026).unwrap();
        write(&mut b, None, 300, 7, ModelYear::Huaian2026).unwrap();
        assert_eq!(a, b);
        let text = String::from_utf8(a).unwrap();
        for word in [
            ",general_outpatient,",
            ",two_disease_drugs,",
            ",special_disease,",
            ",inpatient,",
            ",day_surgery,",
            ",dual_channel_drugs,",
            ",maternity_delivery,",
            ",emergency,",
            ",referral,",
            ",shanghai,",
            ",liable_third_party,",
        ] {
            assert!(text.contains(word), "{word}");
        }
    }

    #[test]
    fn only_the_years_the_data_settle_are_drawn() {
        assert_eq!(ModelYear::of("kunshan", 2021), Ok(ModelYear::Kunshan2021));
        assert!(ModelYear::of("wujiang", 2026).is_err());
    }
}
