//! Every kind of bad value of the model's claims-table columns: the row is refused naming
//! its column and the words the column takes, the person is held back whole, the others
//! settle and the summary counts reconcile.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use yibao::core::PolicyYear;

use common::{InputFormat, Table, records, run_batch};

/// A good Huai'an inpatient row of person `person`, with `changes` made to it.
fn row(person: &str, changes: &[(&'static str, &str)]) -> BTreeMap<&'static str, String> {
    let mut row: BTreeMap<&'static str, String> = [
        ("person_id", person),
        ("category", "ordinary"),
        ("family_doctor", "false"),
        ("continuity_years", "1"),
        ("zero_claim_prev", "false"),
        ("date", "2026-03-01"),
        ("kind", "inpatient"),
        ("hospital_level", "level_2"),
        ("amount", "1000"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect();
    for (column, value) in changes {
        row.insert(column, (*value).to_owned());
    }
    row
}

/// One bad row: the changes to a good row, the column refused and a part of the reason.
type Case = (
    &'static [(&'static str, &'static str)],
    &'static str,
    &'static str,
);

const CASES: &[Case] = &[
    (
        &[
            ("kind", "two_disease_drugs"),
            ("hospital_level", "primary_care"),
        ],
        "two_disease",
        "`two_disease_drugs` rows need `two_disease`",
    ),
    (
        &[("kind", "two_disease_drugs"), ("two_disease", "three")],
        "two_disease",
        "`three` is not a two-disease cover (expected `one_disease` or `both_diseases`)",
    ),
    (
        &[("two_disease", "one_disease")],
        "two_disease",
        "`two_disease` belongs to `two_disease_drugs` rows only",
    ),
    (
        &[("kind", "maternity_delivery"), ("province", "abroad")],
        "province",
        "`abroad` is not a province (expected `same_province` or `other_province`)",
    ),
    (
        &[("province", "same_province")],
        "province",
        "`province` belongs to `maternity_delivery` rows only",
    ),
    (
        &[("kind", "emergency")],
        "emergency_outcome",
        "`emergency` rows need `emergency_outcome`",
    ),
    (
        &[("kind", "emergency"), ("emergency_outcome", "discharged")],
        "emergency_outcome",
        "`discharged` is not a value of `emergency_outcome` (expected `admitted`, `not_admitted` or `died`)",
    ),
    (
        &[("designation", "maybe")],
        "designation",
        "`maybe` is not a designation (expected `designated` or `not_designated`)",
    ),
    (
        &[("accident", "yes")],
        "accident",
        "(expected `not_an_accident`, `no_liable_third_party` or `liable_third_party`)",
    ),
    (
        &[("exclusions", "work_injury;;abroad")],
        "exclusions",
        "has an empty item",
    ),
    (
        &[("exclusions", "work_injury;war")],
        "exclusions",
        "`war` is not a value of `exclusions` (expected `work_injury`, `public_health` or `abroad`)",
    ),
    (&[("place", "Shanghai")], "place", "not lowercase pinyin"),
    (
        &[("remote_care", "far")],
        "remote_care",
        "`far` is not a remote-care treatment (expected `local`, `long_term_filed`, `referral`",
    ),
    (
        &[("remote_care", "referral"), ("place", "shanghai")],
        "remote_care",
        "give `place` or `remote_care`, not both",
    ),
    (
        &[
            ("hospital_level", "out_of_city"),
            ("remote_care", "referral"),
        ],
        "remote_care",
        "hospital level `out_of_city` already is a referral",
    ),
    (
        &[("circumstance", "urgent")],
        "circumstance",
        "(expected `planned` or `emergency_rescue`)",
    ),
    (
        &[("connection", "offline")],
        "connection",
        "(expected `networked` or `not_settled`)",
    ),
    (&[("class_a", "1.234")], "class_a", "more than 2 decimals"),
    (
        &[("class_b", "100")],
        "class_b",
        "give `amount` or the class split (`class_a`, `class_b`, `class_c`), not both",
    ),
    (&[("amount", ""), ("class_c", "x")], "class_c", ""),
    (
        &[("class_b_personal_share", "lots")],
        "class_b_personal_share",
        "",
    ),
    (
        &[("kind", "dental")],
        "kind",
        "`maternity_delivery` or `emergency`)",
    ),
];

#[test]
fn every_bad_model_value_is_refused_with_its_column_and_holds_the_person_back() {
    let year = PolicyYear::new(2026).unwrap();
    for (changes, column, reason) in CASES {
        let claims: Table = vec![
            row("A", &[]),
            row("B", &[]),
            row("B", changes),
            row("C", &[]),
        ];
        let outcome = run_batch(InputFormat::Csv, "huaian", year, &claims, None).unwrap();
        let errors = records(&outcome.errors);
        let context = format!("{changes:?}: {}", outcome.errors);
        assert_eq!(errors.len(), 2, "{context}");
        assert_eq!(
            (
                errors[0]["line"].as_str(),
                errors[0]["person_id"].as_str(),
                errors[0]["column"].as_str()
            ),
            ("3", "B", ""),
            "{context}"
        );
        assert!(
            errors[0]["reason"].starts_with("person held back: line 4 was refused"),
            "{context}"
        );
        assert_eq!(
            (
                errors[1]["line"].as_str(),
                errors[1]["person_id"].as_str(),
                errors[1]["column"].as_str()
            ),
            ("4", "B", *column),
            "{context}"
        );
        assert!(errors[1]["reason"].contains(reason), "{context}");
        let settled: Vec<String> = records(&outcome.output)
            .into_iter()
            .map(|r| r["person_id"].clone())
            .collect();
        assert_eq!(settled, ["A", "C"], "{context}");
        let summary = &outcome.summary;
        assert_eq!(
            (summary.rows_in, summary.rows_settled, summary.rows_in_error),
            (4, 2, 2),
            "{context}"
        );
        assert_eq!(
            (summary.persons_settled, summary.persons_with_errors),
            (2, 1)
        );
        assert!(summary.lines_reconcile(), "{context}");
    }
}
