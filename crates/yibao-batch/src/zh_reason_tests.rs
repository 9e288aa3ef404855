//! Every reason of the errors file has its Chinese: a table of bad rows, each refused for a
//! reason of its own (a row's value or shape, a person held back, a settlement refused, a row
//! of the persons table), settled in English and in Chinese. The Chinese reasons hold no
//! English word outside backquotes; everything else (the outputs, the errors file's other
//! columns, the summary) is the same in both languages.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use yibao::core::{Lang, PolicyYear};
use yibao::policy::{PolicyFiles, PolicyLibrary};

use crate::columns::Column;
use crate::{BatchOptions, BatchSummary, Contiguity, PersonsTable, PersonsTableRef};

/// An amount longer than a reason quotes.
const LONG_AMOUNT: &str = "1234567890123456789012345678901234567890123456789012345678901234567890";

/// A good row of person `id`: a level-2 admission of 1,000 yuan.
const GOOD: [(&str, &str); 9] = [
    ("person_id", ""),
    ("category", "ordinary"),
    ("family_doctor", "false"),
    ("continuity_years", "2"),
    ("zero_claim_prev", "false"),
    ("date", "2026-02-01"),
    ("kind", "inpatient"),
    ("hospital_level", "2"),
    ("amount", "1000"),
];

/// The bad rows, each of a person of its own: the columns changed from [`GOOD`].
const BAD: &[&[(&str, &str)]] = &[
    &[("date", "2026-02-30")],
    &[("date", "2026-2-1")],
    &[("date", "2025-12-31")],
    &[("date", "")],
    &[("amount", "abc")],
    &[("amount", "12.345")],
    &[("amount", "-5")],
    &[("amount", "99999999999999999")],
    &[("amount", LONG_AMOUNT)],
    &[("kind", "general_outpatiant")],
    &[("hospital_level", "level_9")],
    &[("hospital_level", "")],
    &[
        ("hospital_level", "out_of_city"),
        ("kind", "special_disease"),
    ],
    &[("category", "astronaut")],
    &[("family_doctor", "maybe")],
    &[("continuity_years", "0")],
    &[("group", "pupil")],
    &[("consultation_fee", "5")],
    &[
        ("kind", "general_outpatient"),
        ("hospital_level", "primary_care"),
        ("consultation_fee", "2000"),
    ],
    &[("disease_class", "other")],
    &[("catalogue", "provincial")],
    &[("kind", "special_disease"), ("disease_class", "rare")],
    &[("kind", "special_disease"), ("catalogue", "national")],
    &[("claim_id", "A\u{1}")],
    &[("two_disease", "one_disease")],
    &[("kind", "two_disease_drugs")],
    &[("kind", "two_disease_drugs"), ("two_disease", "three")],
    &[("kind", "maternity_delivery"), ("province", "abroad")],
    &[("kind", "emergency"), ("emergency_outcome", "left")],
    &[("designation", "maybe")],
    &[("accident", "fell")],
    &[("exclusions", "work_injury;;abroad")],
    &[("exclusions", "war")],
    &[("place", "atlantis")],
    &[("remote_care", "anywhere")],
    &[("place", "shanghai"), ("remote_care", "referral")],
    &[("hospital_level", "out_of_city"), ("place", "shanghai")],
    &[("circumstance", "sudden")],
    &[("connection", "offline")],
    &[("amount", ""), ("class_a", "10")],
    &[("class_a", "10")],
    &[("amount", "")],
    &[("class_b_personal_share", "150%")],
    // Refused by the settlement: a city-retained special disease has no cap in the
    // sources (H13); 3 consecutive years from 2025 is impossible in 2026 (H7); a class B
    // part without the person's share (H23).
    &[("kind", "special_disease"), ("catalogue", "city_retained")],
    &[("continuity_years", "3")],
    &[("amount", ""), ("class_b", "100")],
];

/// The claims file: [`BAD`]'s rows, a person whose second row is refused (the first held
/// back), a person whose rows disagree, a person whose rows are not contiguous, a line whose
/// quote is not closed, a line of the wrong width and one not UTF-8, and the persons of
/// [`PERSONS`].
fn claims() -> Vec<u8> {
    // Every column of the claims table, as a row below sets them.
    let columns = Column::ALL.map(Column::name);
    let mut text = columns.join(",");
    text.push('\n');
    let mut row = |id: &str, changes: &[(&str, &str)]| {
        let fields: Vec<&str> = columns
            .iter()
            .map(|column| {
                let given = changes.iter().chain(&GOOD).find(|(c, _)| c == column);
                match given {
                    Some(("person_id", _)) => id,
                    Some((_, value)) => value,
                    None => "",
                }
            })
            .collect();
        text.push_str(&fields.join(","));
        text.push('\n');
    };
    for (i, changes) in BAD.iter().enumerate() {
        row(&format!("B{i:02}"), changes);
    }
    row("H1", &[]);
    row("H1", &[("amount", "x")]);
    row("H1", &[("amount", "y")]);
    row("D1", &[]);
    row("D1", &[("category", "medical_aid_recipient")]);
    row("D2", &[]);
    row("D2", &[("class_b_personal_share", "10%")]);
    row("S1", &[]);
    row("S2", &[]);
    row("S1", &[]);
    for id in ["T1", "T2", "T3", "T4", "T5", "T6", "T7"] {
        row(id, &[]);
    }
    row("U1", &[("claim_id", "@@")]);
    text.push_str("Q1,ordinary,false,2,false,2026-02-01,\"inpatient,2,1000\n");
    text.push_str("W1,ordinary,false\n");
    // U1's claim id is not UTF-8.
    let (before, after) = text.split_once("@@").unwrap();
    [before.as_bytes(), b"\xff\xfe", after.as_bytes()].concat()
}

/// The persons table: T1 refused, T2 disagreeing with the claims, T3 twice, T4 settled, T5
/// and T6 refused for their histories; Z1 with no claims (settled), Z2 refused without
/// claims, a row without a person and a malformed row. T7 has claims and is not here.
const PERSONS: &str = "person_id,catastrophic_class,family_doctor,born,enrolment,consecutive_years,zero_reimbursement_years,filings,group
T1,astronaut,,,,,,,
T2,,true,,,,,,
T3,,,,,,,,
T3,,,,,,,,
T4,,,1990-01-01,2025-12-02 payment 2026,2,,,
T5,,,,2025-12-02 payment 2026 via=bank,,twenty,,
T6,,,,,,,[{\"filing\":,
Z1,,,1990-01-01,,,,,
Z2,,,1990-02-30,,,,,pupil
,,,,,,,,
W,1,2
";

fn settle(lang: Lang, persons: bool) -> (String, String, BatchSummary) {
    let library = PolicyLibrary::load(&PolicyFiles::embedded()).unwrap();
    let mut options = BatchOptions::new("huaian", PolicyYear::new(2026).unwrap());
    options.threads = std::num::NonZeroUsize::new(2).unwrap();
    options.lang = lang;
    if persons {
        let table = PersonsTable::read("persons.csv", PERSONS.as_bytes()).unwrap();
        options.persons = Some(PersonsTableRef(Arc::new(table)));
    }
    let input = claims();
    // With the persons table, the persons are read as a stream; without, a first pass
    // finds the persons whose rows are not contiguous: each says so in its own words.
    let contiguity = if persons {
        Contiguity::Streaming
    } else {
        Contiguity::Known(crate::find_split_persons(input.as_slice()).unwrap())
    };
    crate::tests::settled_text(&library, &options, input.as_slice(), &contiguity)
}

/// The fields of a CSV line (quotes as the batch writes them).
fn fields(line: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_bytes());
    let record = reader.records().next().unwrap().unwrap();
    record.iter().map(str::to_owned).collect()
}

/// The words of two or more ASCII letters of `text` outside backquotes that are neither a
/// rule id (`H13`, `Q60`) nor the name of a notation (`UTF-8`, `JSON`, `YYYY-MM-DD` …).
fn english_words(text: &str) -> Vec<String> {
    const NOTATIONS: [&str; 7] = ["UTF", "JSON", "CSV", "YYYY", "MM", "DD", "NUL"];
    let outside: String = text.split('`').step_by(2).collect::<Vec<_>>().join(" ");
    outside
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.bytes().filter(u8::is_ascii_alphabetic).count() >= 2)
        .filter(|w| {
            let letters = w.trim_end_matches(|c: char| c.is_ascii_digit());
            let rule = letters.len() <= 2 && letters.len() < w.len();
            !rule && !NOTATIONS.contains(w)
        })
        .map(str::to_owned)
        .collect()
}

fn every_reason_is_said_in_chinese(persons: bool) {
    let (output_en, errors_en, summary_en) = settle(Lang::En, persons);
    let (output_zh, errors_zh, summary_zh) = settle(Lang::Zh, persons);
    assert_eq!(output_en, output_zh);
    assert_eq!(summary_en.errors_by_reason, summary_zh.errors_by_reason);
    assert_eq!(summary_en.rows_in_error, summary_zh.rows_in_error);
    let (en, zh): (Vec<&str>, Vec<&str>) =
        (errors_en.lines().collect(), errors_zh.lines().collect());
    assert_eq!(en.len(), zh.len(), "{errors_zh}");
    assert_eq!(en.first(), zh.first(), "the errors file's header");
    let mut reasons = std::collections::BTreeSet::new();
    for (en, zh) in en.iter().zip(&zh).skip(1) {
        let (en, zh) = (fields(en), fields(zh));
        assert_eq!(en[..3], zh[..3], "line, person and column: {zh:?}");
        let reason = &zh[3];
        assert!(!reason.is_empty(), "{en:?}");
        assert_ne!(*reason, en[3], "a reason left in English");
        let words = english_words(reason);
        assert!(
            words.is_empty(),
            "English words {words:?} in {reason}\n(English: {})",
            en[3]
        );
        reasons.insert(en[3].clone());
    }
    // Every bad row above is refused for a reason of its own.
    assert!(reasons.len() > BAD.len(), "{}", reasons.len());
}

#[test]
fn every_reason_of_a_claims_row_is_said_in_chinese() {
    every_reason_is_said_in_chinese(false);
}

#[test]
fn every_reason_of_a_persons_table_row_is_said_in_chinese() {
    every_reason_is_said_in_chinese(true);
}

#[test]
fn a_general_outpatient_level_refused_by_the_year_is_said_in_chinese() {
    // Kunshan 2021 pays general outpatient care by hospital level (K3): an empty level and
    // `out_of_city` are refused.
    let library = PolicyLibrary::load(&PolicyFiles::embedded()).unwrap();
    let input = "person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount
K1,ordinary,false,1,false,2021-03-01,general_outpatient,,100
K2,ordinary,false,1,false,2021-03-01,general_outpatient,out_of_city,100
";
    let mut options = BatchOptions::new("kunshan", PolicyYear::new(2021).unwrap());
    options.threads = std::num::NonZeroUsize::MIN;
    options.lang = Lang::Zh;
    let (_, errors, _) =
        crate::tests::settled_text(&library, &options, input.as_bytes(), &Contiguity::Streaming);
    let lines: Vec<&str> = errors.lines().skip(1).collect();
    assert_eq!(lines.len(), 2, "{errors}");
    for line in lines {
        let reason = &fields(line)[3];
        assert!(reason.contains("（K3）"), "{reason}");
        assert!(english_words(reason).is_empty(), "{reason}");
    }
}
