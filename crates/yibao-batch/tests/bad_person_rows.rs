//! Every kind of bad row of the persons table, and every disagreement between the two
//! tables: the person is held back whole (every claim row and their persons-table row in
//! the errors file), the others settle, a person with no claims is settled with none, and
//! the summary counts reconcile.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use yibao::core::PolicyYear;

use common::{InputFormat, Table, records, run_batch};

fn claim(person: &str, date: &str) -> BTreeMap<&'static str, String> {
    [
        ("person_id", person),
        ("category", "ordinary"),
        ("family_doctor", "false"),
        ("continuity_years", "1"),
        ("zero_claim_prev", "false"),
        ("date", date),
        ("kind", "inpatient"),
        ("hospital_level", "level_2"),
        ("amount", "1000"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

fn person(id: &str, changes: &[(&'static str, &str)]) -> BTreeMap<&'static str, String> {
    let mut row: BTreeMap<&'static str, String> = [
        ("person_id", id),
        ("born", "1980-06-01"),
        ("enrolment", "2025-12-01 payment 2026"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect();
    for (column, value) in changes {
        row.insert(column, (*value).to_owned());
    }
    row
}

/// The changes to B's persons-table row, the column named on B's claims rows, a part of
/// the reason on them, and the persons-table rows in error.
type Case = (
    &'static [(&'static str, &'static str)],
    &'static str,
    &'static str,
    u64,
);

const CASES: &[Case] = &[
    (
        &[("catastrophic_class", "rich")],
        "",
        "catastrophic_class: `rich` is not a value of `catastrophic_class`",
        1,
    ),
    (
        &[("group", "elder")],
        "",
        "group: `elder` is not a value of `group` (expected `resident` or `student`)",
        1,
    ),
    (
        &[("family_doctor", "yes")],
        "",
        "family_doctor: `yes` is not `true` or `false`",
        1,
    ),
    (&[("born", "1980-02-30")], "", "born:", 1),
    (
        &[("enrolment", "2025-12-01 paid 2026")],
        "",
        "enrolment: `paid` is not a value of `enrolment`",
        1,
    ),
    (
        &[("enrolment", "2025-12-01")],
        "",
        "is not an event `DATE EVENT [YEAR] [funding=WORD] [route=WORD]`",
        1,
    ),
    (
        &[("enrolment", "2025-12-01 payment 2026 via=bank")],
        "",
        "`via=bank` in",
        1,
    ),
    (
        &[("enrolment", "2025-12-01 payment 2026 funding=city")],
        "",
        "`city` is not a value of `enrolment`",
        1,
    ),
    (
        &[("consecutive_years", "0")],
        "",
        "consecutive_years: `0` is not a whole number of years",
        1,
    ),
    (
        &[("re_enrolled_after_lapse", "maybe")],
        "",
        "re_enrolled_after_lapse:",
        1,
    ),
    (
        &[("zero_reimbursement_years", "2025;x")],
        "",
        "zero_reimbursement_years: `x` is not a year",
        1,
    ),
    (
        &[("reward_quota_used_years", "twenty")],
        "",
        "reward_quota_used_years: `twenty` is not a year",
        1,
    ),
    (
        &[("filings", "[{")],
        "",
        "filings: not a JSON array of the scenario's filing events",
        1,
    ),
    // Disagreements with the claims' person columns.
    (
        &[("catastrophic_class", "medical_aid_recipient")],
        "category",
        "the persons table persons.csv says `catastrophic_class` = `medical_aid_recipient`",
        1,
    ),
    (
        &[("family_doctor", "true")],
        "family_doctor",
        "says `family_doctor` = `true`",
        1,
    ),
    (
        &[("group", "student")],
        "group",
        "says `group` = `student`",
        1,
    ),
    (
        &[("consecutive_years", "2")],
        "continuity_years",
        "says `consecutive_years` = `2`",
        1,
    ),
    (
        &[("zero_reimbursement_years", "2025")],
        "zero_claim_prev",
        "says `zero_reimbursement_years` = `true`",
        1,
    ),
    // Refused by the settlement: an enrolment category the data does not know.
    (&[("category", "astronaut")], "", "could not be settled", 1),
];

fn claims() -> Table {
    vec![
        claim("A", "2026-03-01"),
        claim("B", "2026-03-02"),
        claim("B", "2026-04-02"),
        claim("C", "2026-05-01"),
    ]
}

fn year() -> PolicyYear {
    PolicyYear::new(2026).unwrap()
}

/// B held back whole: their two claim rows in the errors with `column` and `reason`, and
/// `table_errors` rows of the persons table; A, C and E (no claims) settled.
fn assert_b_held_back(persons: &Table, column: &str, reason: &str, table_errors: u64) {
    let outcome = run_batch(InputFormat::Csv, "huaian", year(), &claims(), Some(persons)).unwrap();
    let context = format!("{persons:?}: {}", outcome.errors);
    let errors = records(&outcome.errors);
    let claim_errors: Vec<_> = errors
        .iter()
        .filter(|e| !e["reason"].starts_with("persons table"))
        .collect();
    assert_eq!(claim_errors.len(), 2, "{context}");
    for (error, line) in claim_errors.iter().zip(["3", "4"]) {
        assert_eq!(
            (
                error["line"].as_str(),
                error["person_id"].as_str(),
                error["column"].as_str()
            ),
            (line, "B", column),
            "{context}"
        );
        assert!(error["reason"].contains(reason), "{context}");
    }
    assert_eq!(errors.len() as u64 - 2, table_errors, "{context}");
    let settled: Vec<String> = records(&outcome.output)
        .into_iter()
        .map(|r| r["person_id"].clone())
        .collect();
    assert_eq!(settled, ["A", "C", "E"], "{context}");
    let summary = &outcome.summary;
    assert_eq!(
        (summary.rows_in, summary.rows_settled, summary.rows_in_error),
        (4, 2, 2)
    );
    assert_eq!(
        (summary.persons_settled, summary.persons_with_errors),
        (3, 1)
    );
    let table = summary.persons_table.unwrap();
    assert_eq!(table.rows_in_error, table_errors, "{context}");
    assert_eq!(table.persons_without_claims, 1);
    assert!(summary.lines_reconcile() && summary.money_reconciles());
}

#[test]
fn every_bad_persons_row_and_disagreement_holds_the_person_back_whole() {
    for (changes, column, reason, table_errors) in CASES {
        let persons = vec![
            person("A", &[]),
            person("B", changes),
            person("C", &[]),
            person("E", &[]),
        ];
        assert_b_held_back(&persons, column, reason, *table_errors);
    }
}

#[test]
fn a_person_missing_from_the_persons_table_or_in_it_twice_is_held_back() {
    let missing = vec![person("A", &[]), person("C", &[]), person("E", &[])];
    assert_b_held_back(
        &missing,
        "person_id",
        "person `B` is not in the persons table persons.csv",
        0,
    );
    let twice = vec![
        person("A", &[]),
        person("B", &[]),
        person("C", &[]),
        person("B", &[]),
        person("E", &[]),
    ];
    assert_b_held_back(&twice, "", "appears twice in the persons table", 2);
}

#[test]
fn a_late_payment_waits_in_the_batch_as_in_a_scenario() {
    // Paid 2026-02-28 for 2026, after the window: a waiting period (H3) before cover.
    let persons = vec![
        person("A", &[("enrolment", "2026-02-28 payment 2026")]),
        person("B", &[]),
        person("C", &[]),
        person("E", &[]),
    ];
    let outcome = run_batch(
        InputFormat::Csv,
        "huaian",
        year(),
        &claims(),
        Some(&persons),
    )
    .unwrap();
    let claims = records(&outcome.per_claim);
    assert_eq!(claims[0]["person_id"], "A");
    assert_eq!(claims[0]["cover"], "not_covered", "{}", outcome.per_claim);
    assert_eq!(claims[0]["not_paid"], "not_covered");
    assert_eq!(claims[1]["cover"], "covered");
    // With a persons table, cover is not assumed.
    let assumed = outcome.summary.assumptions();
    assert!(
        !assumed.iter().any(|a| a.contains("covered on every day")),
        "{assumed:?}"
    );
}

#[test]
fn a_persons_table_used_again_joins_its_persons_afresh() {
    use yibao_batch::{self as batch, BatchOptions, Contiguity, Sinks};
    let persons = common::csv_text(
        &batch::PERSONS_COLUMNS,
        &vec![person("A", &[]), person("B", &[]), person("C", &[])],
    );
    let table = batch::PersonsTable::read("persons.csv", persons.as_bytes()).unwrap();
    let mut options = BatchOptions::new("huaian", year());
    options.persons = Some(batch::PersonsTableRef(std::sync::Arc::new(table)));
    let library = common::library();
    let settle = |claims: &Table| {
        let input = common::csv_text(&common::COLUMNS, claims);
        let (mut output, mut errors) = (Vec::new(), Vec::new());
        let sinks = Sinks {
            output: &mut output,
            errors: &mut errors,
            per_claim: None,
        };
        let summary = batch::run(
            &library,
            &options,
            input.as_bytes(),
            &Contiguity::Streaming,
            sinks,
            &mut |_| {},
        )
        .unwrap();
        (
            summary.persons_table.unwrap(),
            String::from_utf8(output).unwrap(),
        )
    };
    let (first, _) = settle(&claims());
    assert_eq!(first.persons_without_claims, 0);
    // Only A has claims now: B and C are settled with none, whatever the first run joined.
    let (again, output) = settle(&vec![claim("A", "2026-03-01")]);
    assert_eq!(again.persons_without_claims, 2, "{output}");
}
