//! Every scenario of `tests/scenarios` whose person the claims table can say, written as
//! claims-table rows and settled by the batch, equals the one-stop settlement of the
//! scenario, claim by claim; the scenarios it cannot say yet are listed with the reason.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use yibao::scenario::Scenario;

use common::{
    InputFormat, as_the_table_says, as_the_tables_say, both_tables, claim_rows,
    expected_claim_fields, records, run_batch, settle_one,
};

/// The scenarios the claims table cannot say, by file name prefix, with why: a person part
/// only the persons table can give, or a year the batch refuses to settle at all.
const NOT_IN_THE_CLAIMS_TABLE: &[(&str, &str)] = &[
    ("01-", "an enrolment history"),
    ("09-", "an enrolment history"),
    ("15-", "an enrolment history"),
    ("16-", "an enrolment history"),
    ("17-", "an enrolment history"),
    ("18-", "an enrolment history"),
    ("19-", "an enrolment history"),
    ("20-", "an enrolment history"),
    ("22-", "an incentive history beyond the last year"),
    ("26-", "an incentive history beyond the last year"),
    ("27-", "an enrolment history"),
    ("30-", "remote-care filings"),
    ("35-", "an enrolment history"),
    ("36-", "an enrolment history"),
    ("37-", "an enrolment history"),
    ("42-", "an enrolment history"),
    ("43-", "an enrolment history"),
    ("44-", "an enrolment history"),
    ("45-", "an enrolment history"),
    ("46-", "an enrolment history"),
    ("47-", "an enrolment history"),
    ("48-", "remote-care filings"),
    (
        "51-",
        "cannot settle claims of wujiang 2026: the policy data gives no benefits for this year",
    ),
    ("53-", "remote-care filings"),
    ("56-", "an enrolment history"),
    ("57-", "an incentive history beyond the last year"),
    ("70-", "an enrolment history"),
    ("71-", "an enrolment history"),
    ("72-", "an enrolment history"),
    ("73-", "an enrolment category or a birth date"),
    ("74-", "an enrolment category or a birth date"),
    ("75-", "remote-care filings"),
    ("77-", "an enrolment category or a birth date"),
];

fn scenarios() -> Vec<(String, Scenario)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let mut doc: toml::Table = toml::from_str(&text).unwrap();
            let scenario: Scenario = doc.remove("scenario").unwrap().try_into().unwrap();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, scenario)
        })
        .collect()
}

#[test]
fn every_scenario_the_claims_table_can_say_settles_as_the_scenario_does() {
    let mut compared = 0;
    let mut not_said = Vec::new();
    for (name, scenario) in scenarios() {
        let rows = match claim_rows(&scenario) {
            Ok(rows) => rows,
            Err(why) => {
                not_said.push((name[..3].to_owned(), why));
                continue;
            }
        };
        let outcome = run_batch(
            InputFormat::Csv,
            &scenario.jurisdiction,
            scenario.year,
            &rows,
            None,
        );
        let outcome = match outcome {
            Ok(outcome) => outcome,
            Err(error) => {
                // A year without benefits stops the batch before any row (Wujiang).
                not_said.push((name[..3].to_owned(), format!("{error}")));
                continue;
            }
        };
        assert!(
            outcome.summary.money_reconciles(),
            "{name}: {:?}",
            outcome.summary
        );
        let claims = records(&outcome.per_claim);
        match settle_one(&as_the_table_says(&scenario)) {
            Err(reason) => {
                // The person is held back whole, every row with the settlement's reason.
                assert!(claims.is_empty(), "{name}");
                assert_eq!(outcome.summary.rows_in_error, rows.len() as u64, "{name}");
                assert!(
                    outcome.errors.contains(&reason.replace('"', "\"\"")),
                    "{name}: {reason}\n{}",
                    outcome.errors
                );
            }
            Ok(report) if report.cap_in_force.is_none() && claims.is_empty() => {
                // A year with a catastrophic schedule whose cap could not be computed from
                // the person's columns: the batch holds the person back, never half-settled.
                assert_eq!(outcome.summary.rows_in_error, rows.len() as u64, "{name}");
                assert!(outcome.errors.contains("catastrophic"), "{name}");
            }
            Ok(report) => {
                assert_eq!(
                    outcome.errors.lines().count(),
                    1,
                    "{name}: {}",
                    outcome.errors
                );
                assert_eq!(claims.len(), rows.len(), "{name}");
                for (index, claim) in claims.iter().enumerate() {
                    for (column, value) in expected_claim_fields(&report, index) {
                        assert_eq!(claim[&column], value, "{name}: claim {index}, {column}");
                    }
                }
                let person = &records(&outcome.output)[0];
                assert_eq!(
                    person["basic_fund_paid"],
                    report.totals.basic_fund.to_string(),
                    "{name}"
                );
                compared += 1;
            }
        }
    }
    let listed: Vec<(String, String)> = NOT_IN_THE_CLAIMS_TABLE
        .iter()
        .map(|(prefix, why)| ((*prefix).to_owned(), (*why).to_owned()))
        .collect();
    assert_eq!(not_said, listed);
    assert!(compared >= 25, "only {compared} scenarios compared");
}

/// The scenarios the two tables cannot settle as the scenario does, with why.
const NOT_IN_THE_TWO_TABLES: &[(&str, &str)] = &[
    (
        "51-",
        "cannot settle claims of wujiang 2026: the policy data gives no benefits for this year",
    ),
    (
        "53-",
        "cannot settle claims of wujiang 2026: the policy data gives no benefits for this year",
    ),
];

#[test]
fn every_scenario_settles_through_the_claims_and_persons_tables_as_the_scenario_does() {
    let mut compared = 0;
    let mut not_said = Vec::new();
    for (name, scenario) in scenarios() {
        let (claims, persons) = both_tables(&scenario);
        let outcome = match run_batch(
            InputFormat::Csv,
            &scenario.jurisdiction,
            scenario.year,
            &claims,
            Some(&persons),
        ) {
            Ok(outcome) => outcome,
            Err(error) => {
                not_said.push((name[..3].to_owned(), error.to_string()));
                continue;
            }
        };
        assert!(outcome.summary.money_reconciles(), "{name}");
        let table = outcome.summary.persons_table.unwrap();
        assert_eq!(table.rows_in, 1, "{name}");
        let claim_rows = records(&outcome.per_claim);
        let person_rows = records(&outcome.output);
        match settle_one(&as_the_tables_say(&scenario)) {
            Ok(report) if !(report.cap_in_force.is_none() && person_rows.is_empty()) => {
                assert_eq!(
                    outcome.errors.lines().count(),
                    1,
                    "{name}: {}",
                    outcome.errors
                );
                assert_eq!(claim_rows.len(), claims.len(), "{name}");
                for (index, claim) in claim_rows.iter().enumerate() {
                    for (column, value) in expected_claim_fields(&report, index) {
                        assert_eq!(claim[&column], value, "{name}: claim {index}, {column}");
                    }
                }
                assert_eq!(person_rows.len(), 1, "{name}");
                for (column, value) in [
                    ("basic_fund_paid", report.totals.basic_fund),
                    ("personal_burden", report.totals.personal),
                ] {
                    if person_rows[0]["catastrophic_status"] == "settled"
                        || column == "basic_fund_paid"
                    {
                        assert_eq!(
                            person_rows[0][column],
                            value.to_string(),
                            "{name}: {column}"
                        );
                    }
                }
                assert_eq!(
                    table.persons_without_claims,
                    u64::from(scenario.claims.is_empty()),
                    "{name}"
                );
                compared += 1;
            }
            // Refused by the settlement, or a catastrophic cap the batch cannot write: the
            // person is held back whole, their claims and their persons-table row.
            _ => {
                assert!(person_rows.is_empty() && claim_rows.is_empty(), "{name}");
                assert_eq!(outcome.summary.rows_in_error, claims.len() as u64, "{name}");
                assert_eq!(table.rows_in_error, 1, "{name}: {}", outcome.errors);
            }
        }
    }
    let listed: Vec<(String, String)> = NOT_IN_THE_TWO_TABLES
        .iter()
        .map(|(prefix, why)| ((*prefix).to_owned(), (*why).to_owned()))
        .collect();
    assert_eq!(not_said, listed);
    assert!(compared >= 50, "only {compared} scenarios compared");
}
