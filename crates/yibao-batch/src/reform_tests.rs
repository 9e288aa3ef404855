//! A batch with a reform: each person under both books in one pass, the reform's columns and
//! the summary's reform totals, which are the sums of the persons' figures and differences.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use yibao::core::PolicyYear;
use yibao::policy::{PolicyFiles, PolicyLibrary, Reform};

use crate::{BatchOptions, BatchReform, BatchSummary, Contiguity};

const HEADER: &str = "person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount";

fn settle(input: &str, reform: Option<&str>, threads: usize) -> (String, String, BatchSummary) {
    settle_in("huaian", 2026, input, reform, threads)
}

fn settle_in(
    jurisdiction: &str,
    year: i64,
    input: &str,
    reform: Option<&str>,
    threads: usize,
) -> (String, String, BatchSummary) {
    let library = PolicyLibrary::load(&PolicyFiles::embedded()).unwrap();
    let year = PolicyYear::new(year).unwrap();
    let mut options = BatchOptions::new(jurisdiction, year);
    options.threads = std::num::NonZeroUsize::new(threads).unwrap();
    if let Some(setting) = reform {
        let mut changes = Reform::default();
        changes.set(setting).unwrap();
        options.reform = Some(BatchReform {
            library: Arc::new(library.reformed(jurisdiction, year, &changes).unwrap()),
            changes: changes.describe(),
        });
    }
    crate::tests::settled_text(&library, &options, input.as_bytes(), &Contiguity::Streaming)
}

fn fen(text: &str) -> i64 {
    let negative = text.starts_with('-');
    let (whole, cents) = text.trim_start_matches('-').split_once('.').unwrap();
    let value = whole.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap();
    if negative { -value } else { value }
}

/// H14, H19, the level-3 inpatient ratio from 65% to 70% (worked out in
/// `yibao::policy::reform`'s tests): P1 900 is all deductible (0 either way); P2 10,000:
/// fund 5,915.00 → 6,370.00; P3 60,000: fund 38,415.00 → 41,370.00, catastrophic
/// (21,585 − 18,000) × 60% = 2,151.00 → (18,630 − 18,000) × 60% = 378.00; P4 a level-2
/// admission of 10,000, untouched by the reform: (10,000 − 600) × 75% = 7,050.00.
#[test]
fn a_reform_settles_every_person_under_both_books_and_totals_add_up() {
    let input = format!(
        "{HEADER}
P1,ordinary,false,2,false,2026-04-01,inpatient,3,900
P2,ordinary,false,2,false,2026-04-01,inpatient,3,10000
P3,ordinary,false,2,false,2026-04-01,inpatient,3,60000
P4,ordinary,false,2,false,2026-04-01,inpatient,2,10000
"
    );
    let setting = "benefits.inpatient.ratio.by_level.level_3=70%";
    for threads in [1, 2] {
        let (output, errors, summary) = settle(&input, Some(setting), threads);
        assert_eq!(errors, "line,person_id,column,reason\n");
        assert_eq!(
            output,
            format!(
                "{}{}\n{}",
                crate::OUTPUT_HEADER,
                crate::REFORM_COLUMNS,
                "P1,0.00,0.00,900.00,settled,,0.00,0.00,900.00,0.00,0.00,0.00
P2,5915.00,0.00,4085.00,settled,,6370.00,0.00,3630.00,455.00,0.00,-455.00
P3,38415.00,2151.00,19434.00,settled,,41370.00,378.00,18252.00,2955.00,-1773.00,-1182.00
P4,7050.00,0.00,2950.00,settled,,7050.00,0.00,2950.00,0.00,0.00,0.00
"
            )
        );
        let reform = summary.reform.clone().unwrap();
        assert!(reform.money_reconciles(summary.amount));
        // The summary's totals are the sums of the persons' columns.
        let column = |i: usize| -> i64 {
            output
                .lines()
                .skip(1)
                .map(|line| fen(line.split(',').nth(i).unwrap()))
                .sum()
        };
        assert_eq!(reform.basic_fund.to_fen(), column(6));
        assert_eq!(reform.catastrophic.to_fen(), column(7));
        assert_eq!(reform.personal.to_fen(), column(8));
        assert_eq!(reform.difference_basic_fund.to_fen(), column(9));
        assert_eq!(reform.difference_catastrophic.to_fen(), column(10));
        assert_eq!(reform.difference_personal.to_fen(), column(11));
        assert_eq!(
            (
                reform.difference_basic_fund.to_fen(),
                reform.difference_catastrophic.to_fen()
            ),
            (341_000, -177_300)
        );
    }
}

/// Without a reform the output has no reform column and the summary no reform.
#[test]
fn without_a_reform_nothing_changes() {
    let input = format!("{HEADER}\nP2,ordinary,false,2,false,2026-04-01,inpatient,3,10000\n");
    let (output, _, summary) = settle(&input, None, 1);
    assert_eq!(
        output,
        format!(
            "{}\nP2,5915.00,0.00,4085.00,settled,\n",
            crate::OUTPUT_HEADER
        )
    );
    assert_eq!(summary.reform, None);
}

/// K4: Kunshan 2021, whose catastrophic schedule is not published, with the inpatient fund
/// cap lowered from 350,000 to 5,000: a level-3 admission of 10,000 pays (10,000 − 800) × 75%
/// = 6,900.00 from the fund, 5,000.00 under the reform; the burden before catastrophic
/// insurance is 3,100.00, then 5,000.00. The catastrophic fields stay empty, and so does
/// their difference.
#[test]
fn a_catastrophic_part_not_settled_leaves_its_reform_fields_empty() {
    let input = format!("{HEADER}\nP1,ordinary,false,1,false,2021-03-01,inpatient,3,10000\n");
    let (output, errors, summary) = settle_in(
        "kunshan",
        2021,
        &input,
        Some("benefits.inpatient.annual_fund_cap=5000"),
        1,
    );
    assert_eq!(errors, "line,person_id,column,reason\n");
    let row = output.lines().nth(1).unwrap();
    assert!(row.starts_with("P1,6900.00,,3100.00,not_settled,"), "{row}");
    assert!(
        row.ends_with(",5000.00,,5000.00,-1900.00,,1900.00"),
        "{row}"
    );
    let reform = summary.reform.unwrap();
    assert_eq!(reform.persons_catastrophic_not_settled, 1);
    assert!(reform.money_reconciles(summary.amount));
}
