//! A property: for random persons of the whole claims-table model (every claim kind, every
//! level, remote care by treatment and by place, the facts of a claim, the class split, both
//! jurisdictions), the batch and the one-stop settlement of each person alone agree
//! exactly, person by person and claim by claim, over CSV and over Parquet (the same table
//! as a warehouse export, in row groups that split persons). Another input format is one
//! more line in [`FORMATS`].

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use proptest::prelude::*;
use yibao::benefits::{
    Accident, Designation, EmergencyOutcome, ExclusionFact, FamilyDoctor, HospitalLevel,
    PersonGroup, Province, SpecialDiseaseCatalogue, SpecialDiseaseClass, TwoDiseaseCover,
};
use yibao::core::{NaiveDate, PolicyYear, RemoteCare, Word, Yuan};
use yibao::filing::{Circumstance, Connection};
use yibao::scenario::{
    ClaimInput, ClaimKindName, EnrolmentEventInput, EnrolmentEventName, IncentiveInput,
    PersonInput, Scenario,
};

use common::{
    InputFormat, PersonsGiven, Table, as_the_tables_say, both_tables, expected_claim_fields,
    line_of, records, run_batch_with, settle_one,
};
use yibao_batch as batch;

/// The input formats the property runs over.
const FORMATS: &[InputFormat] = &[InputFormat::Csv, InputFormat::Parquet];

/// The jurisdiction-years the policy data can settle.
const YEARS: [(&str, i32); 2] = [("huaian", 2026), ("kunshan", 2021)];

fn yuan(fen: i64) -> Yuan {
    Yuan::from_fen(fen).unwrap()
}

/// A claim of `year`; Kunshan 2021 (`year` 2021) defines fewer kinds and no exclusions, so
/// its claims are drawn mostly among what it settles (the rest holds the person back).
fn claim(year: i32) -> impl Strategy<Value = ClaimInput> {
    let kunshan = year == 2021;
    let kind = prop_oneof![
        if kunshan { 1 } else { 4 } => prop::sample::select(ClaimKindName::ALL.to_vec()),
        if kunshan { 6 } else { 1 } => prop::sample::select(vec![ClaimKindName::OutpatientGeneral, ClaimKindName::Inpatient]),
    ];
    let level = prop::sample::select(HospitalLevel::ALL.to_vec());
    let bill = prop_oneof![
        4 => (1_i64..5_000_000).prop_map(|fen| (Some(yuan(fen)), None, None)),
        1 => (0_i64..1_000_000, 0_i64..1_000_000).prop_map(|(a, c)| (None, Some(yuan(a)), Some(yuan(c)))),
    ];
    let care = prop_oneof![
        6 => Just((None, None)),
        2 => prop::sample::select(RemoteCare::ALL.to_vec()).prop_map(|c| (Some(c), None)),
        1 => prop::sample::select(vec!["shanghai", "zhejiang/hangzhou", "jiangsu/suzhou"])
            .prop_map(|p| (None, Some(p.parse().unwrap()))),
    ];
    let facts = (
        prop::sample::select(vec![
            Designation::Designated,
            Designation::Designated,
            Designation::NotDesignated,
        ]),
        prop::sample::select(vec![
            Accident::NotAnAccident,
            Accident::NoLiableThirdParty,
            Accident::LiableThirdParty,
        ]),
        prop::sample::select(vec![
            vec![],
            vec![],
            vec![],
            vec![ExclusionFact::WorkInjury],
            vec![ExclusionFact::PublicHealth, ExclusionFact::Abroad],
        ]),
        prop::sample::select(vec![Circumstance::Planned, Circumstance::EmergencyRescue]),
        prop::sample::select(vec![Connection::Networked, Connection::NotSettled]),
    );
    let details = (
        prop::sample::select(TwoDiseaseCover::ALL.to_vec()),
        prop::sample::select(vec![
            None,
            Some(Province::SameProvince),
            Some(Province::OtherProvince),
        ]),
        prop::sample::select(vec![
            EmergencyOutcome::Admitted,
            EmergencyOutcome::NotAdmitted,
            EmergencyOutcome::Died,
        ]),
        prop::sample::select(vec![
            None,
            Some(SpecialDiseaseClass::SevereMental),
            Some(SpecialDiseaseClass::Psychiatric),
            Some(SpecialDiseaseClass::Other),
        ]),
        prop::sample::select(vec![
            None,
            Some(SpecialDiseaseCatalogue::Provincial),
            Some(SpecialDiseaseCatalogue::CityRetained),
        ]),
        0_u32..100,
    );
    (kind, level, 1_u32..365, bill, care, facts, details).prop_map(
        move |(kind, level, day, bill, (remote_care, place), facts, details)| {
            let (designation, accident, exclusions, circumstance, connection) =
                if kunshan && day % 4 != 0 {
                    (
                        Designation::Designated,
                        Accident::NotAnAccident,
                        vec![],
                        Circumstance::Planned,
                        facts.4,
                    )
                } else {
                    facts
                };
            let (cover, province, outcome, class, catalogue, fee_percent) = details;
            let date = NaiveDate::from_yo_opt(year, day).unwrap();
            let (amount, class_a, class_c) = bill;
            let consultation_fee = (kind == ClaimKindName::OutpatientGeneral && fee_percent < 50)
                .then(|| amount.map(|a| yuan(a.to_fen() * i64::from(fee_percent) / 100)))
                .flatten();
            ClaimInput {
                id: Some(format!("C{day}")),
                date,
                kind,
                level,
                amount,
                class_a,
                class_b: None,
                class_c,
                consultation_fee,
                two_disease: (kind == ClaimKindName::TwoDiseaseDrugs).then_some(cover),
                disease_class: class.filter(|_| kind == ClaimKindName::SpecialDisease),
                catalogue: catalogue.filter(|_| kind == ClaimKindName::SpecialDisease),
                province: province.filter(|_| kind == ClaimKindName::MaternityDelivery),
                emergency_outcome: (kind == ClaimKindName::Emergency).then_some(outcome),
                designation,
                accident,
                exclusions,
                place,
                remote_care,
                circumstance,
                connection,
            }
        },
    )
}

/// A person of the claims-table model in `jurisdiction`'s `year`.
fn person(
    id: String,
    year: i32,
) -> impl Strategy<
    Value = (
        String,
        PersonInput,
        IncentiveInput,
        Vec<ClaimInput>,
        Vec<EnrolmentEventInput>,
    ),
> {
    let claims = prop::collection::vec(claim(year), 1..6);
    (
        any::<bool>(),
        any::<bool>(),
        1_u32..=2,
        any::<bool>(),
        claims,
        enrolment(year),
    )
        .prop_map(
            move |(student, signed, years, zero_prev, claims, (born, enrolment))| {
                let person = PersonInput {
                    id: Some(id.clone()),
                    born,
                    category: None,
                    group: if student {
                        PersonGroup::Student
                    } else {
                        PersonGroup::Resident
                    },
                    family_doctor: if signed {
                        FamilyDoctor::Signed
                    } else {
                        FamilyDoctor::NotSigned
                    },
                    catastrophic_class: None,
                };
                let incentives = IncentiveInput {
                    consecutive_years: Some(years),
                    zero_reimbursement_years: if zero_prev {
                        vec![PolicyYear::new(i64::from(year) - 1).unwrap()]
                    } else {
                        vec![]
                    },
                    ..IncentiveInput::default()
                };
                (id.clone(), person, incentives, claims, enrolment)
            },
        )
}

/// An enrolment history of `year`: none (cover assumed), a payment in the window, a late
/// payment (a waiting period), or a newborn's payment some days after birth.
fn enrolment(year: i32) -> impl Strategy<Value = (Option<NaiveDate>, Vec<EnrolmentEventInput>)> {
    let paid = move |on: NaiveDate| EnrolmentEventInput {
        on,
        event: EnrolmentEventName::Payment,
        year: PolicyYear::new(i64::from(year)).ok(),
        funding: None,
        route: None,
    };
    let day = move |y: i32, d: u32| NaiveDate::from_yo_opt(y, d.min(365)).unwrap();
    prop_oneof![
        2 => Just((None, vec![])),
        1 => (300_u32..=365).prop_map(move |d| (Some(day(1980, 100)), vec![paid(day(year - 1, d))])),
        1 => (1_u32..=200).prop_map(move |d| (Some(day(1980, 100)), vec![paid(day(year, d))])),
        1 => (1_u32..=250, 0_u32..=120).prop_map(move |(b, k)| {
            (Some(day(year, b)), vec![paid(day(year, b + k))])
        }),
    ]
}

/// Persons of one jurisdiction-year.
fn population() -> impl Strategy<Value = (usize, Vec<Scenario>)> {
    (0..YEARS.len()).prop_flat_map(|which| {
        let (jurisdiction, year) = YEARS[which];
        let persons: Vec<_> = (0..4).map(|i| person(format!("P{i}"), year)).collect();
        (Just(which), persons, 1_usize..=4).prop_map(move |(which, persons, count)| {
            let scenarios = persons
                .into_iter()
                .take(count)
                .map(|(_, person, incentives, mut claims, enrolment)| {
                    if jurisdiction == "huaian" {
                        // The claims table reads a Huai'an general outpatient row at
                        // `level_1` as primary care (H11): draw it there.
                        for claim in &mut claims {
                            if claim.kind == ClaimKindName::OutpatientGeneral
                                && claim.level == HospitalLevel::Level1
                            {
                                claim.level = HospitalLevel::PrimaryCare;
                            }
                        }
                    }
                    Scenario {
                        jurisdiction: jurisdiction.to_owned(),
                        year: PolicyYear::new(i64::from(year)).unwrap(),
                        person,
                        enrolment,
                        incentives: Some(incentives),
                        filings: vec![],
                        class_b_personal_share: None,
                        claims,
                    }
                })
                .collect();
            (which, scenarios)
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(yibao_core::strategies::cases(64)))]

    #[test]
    fn prop_the_batch_settles_the_whole_model_as_the_settlement_does_person_by_person(
        (which, scenarios) in population(),
    ) {
        let (jurisdiction, year) = YEARS[which];
        let mut table = Table::new();
        let mut persons = Table::new();
        let mut lines = Vec::new();
        for scenario in &scenarios {
            let (rows, person) = both_tables(scenario);
            lines.push(table.len() + 2..table.len() + 2 + rows.len());
            table.extend(rows);
            persons.extend(person);
        }
        // Without a persons table when the claims say everything, and with one always: read
        // into memory, read beside the claims (its rows in order) and read whole (its rows
        // out of order).
        let histories = scenarios.iter().any(|s| !s.enrolment.is_empty());
        let joins = [
            Some(PersonsGiven::Read),
            Some(PersonsGiven::Sorted),
            Some(PersonsGiven::Shuffled),
        ];
        let runs = FORMATS
            .iter()
            .flat_map(|format| [None].into_iter().chain(joins).map(move |join| (*format, join)))
            .filter(|(_, join)| join.is_some() || !histories);
        for (format, join) in runs {
            let outcome = run_batch_with(
                format,
                jurisdiction,
                PolicyYear::new(i64::from(year)).unwrap(),
                &table,
                join.map(|_| &persons),
                join.unwrap_or(PersonsGiven::Read),
            )
            .unwrap();
            if let Some(counts) = outcome.summary.persons_table {
                // One person is in order whichever way the rows are turned.
                let streamed = join == Some(PersonsGiven::Sorted)
                    || (join == Some(PersonsGiven::Shuffled) && persons.len() < 2);
                prop_assert_eq!(counts.join == batch::PersonsJoin::Streamed, streamed);
            }
            let settled = records(&outcome.output);
            let claims = records(&outcome.per_claim);
            let errors: Vec<_> = records(&outcome.errors)
                .into_iter()
                .filter(|e| !e["reason"].starts_with("persons table"))
                .collect();
            for (scenario, lines) in scenarios.iter().zip(&lines) {
                let id = scenario.person.id.clone().unwrap();
                let mine = |r: &&std::collections::BTreeMap<String, String>| r["person_id"] == id;
                let person_row: Vec<_> = settled.iter().filter(mine).collect();
                let claim_rows: Vec<_> = claims.iter().filter(mine).collect();
                let error_rows: Vec<_> = errors.iter().filter(mine).collect();
                let report = settle_one(&as_the_tables_say(scenario));
                let whole = match &report {
                    Ok(report) => {
                        let held = report.cap_in_force.is_none() && person_row.is_empty();
                        if !held {
                            prop_assert_eq!(person_row.len(), 1, "{}: {}", id, outcome.errors);
                            prop_assert_eq!(&person_row[0]["basic_fund_paid"], &report.totals.basic_fund.to_string());
                            prop_assert_eq!(claim_rows.len(), scenario.claims.len());
                            for (index, row) in claim_rows.iter().enumerate() {
                                for (column, value) in expected_claim_fields(report, index) {
                                    prop_assert_eq!(&row[&column], &value, "{} claim {} {}", id, index, column);
                                }
                                prop_assert_eq!(line_of(row), lines.start + index);
                            }
                            prop_assert!(error_rows.is_empty());
                        }
                        held
                    }
                    Err(_) => true,
                };
                if whole {
                    // Held back whole: no output, every row in the errors.
                    prop_assert!(person_row.is_empty() && claim_rows.is_empty());
                    prop_assert_eq!(error_rows.len(), scenario.claims.len(), "{}: {:?}", id, report.err());
                }
            }
            prop_assert!(outcome.summary.lines_reconcile());
            prop_assert!(outcome.summary.money_reconciles(), "{:?}", outcome.summary);
            prop_assert_eq!(outcome.summary.rows_in, table.len() as u64);
        }
    }
}

#[test]
fn the_kinds_and_treatments_the_property_draws_are_every_one() {
    // The strategies draw from these lists whole: a new kind or treatment joins the property.
    assert_eq!(ClaimKindName::ALL.len(), 8);
    assert_eq!(RemoteCare::ALL.len(), 8);
    assert_eq!(HospitalLevel::ALL.len(), 4);
}
