//! `yibao_batch`: a claims file settled person by person equals the one-stop settlement of
//! each person through the facade; every bad row lands in the errors file and the summary
//! reconciles; output order is input order whatever the thread count.

use std::num::NonZeroUsize;
use std::sync::OnceLock;

use proptest::prelude::*;
use yibao::core::{PolicyYear, Yuan};
use yibao::policy::{PolicyFiles, PolicyLibrary};
use yibao::scenario::{ScenarioFile, ScenarioFormat};
use yibao_batch::{
    self as batch, BatchError, BatchMode, BatchOptions, BatchSummary, Contiguity, Sinks,
};

const HEADER: &str = "person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount";

fn library() -> &'static PolicyLibrary {
    static LIBRARY: OnceLock<PolicyLibrary> = OnceLock::new();
    LIBRARY.get_or_init(|| PolicyLibrary::load(&PolicyFiles::embedded()).unwrap())
}

/// What a batch wrote.
struct Outcome {
    summary: BatchSummary,
    output: String,
    errors: String,
    per_claim: String,
}

fn options(threads: usize, mode: BatchMode) -> BatchOptions {
    let mut options = BatchOptions::new("huaian", PolicyYear::new(2026).unwrap());
    options.threads = NonZeroUsize::new(threads).unwrap();
    options.mode = mode;
    options
}

fn try_run(input: &str, threads: usize, contiguity: &Contiguity) -> Result<Outcome, BatchError> {
    run_with(
        input.as_bytes(),
        &options(threads, BatchMode::Settle),
        contiguity,
    )
}

/// Runs a claims file given as bytes with the given options.
fn run_with(
    input: &[u8],
    options: &BatchOptions,
    contiguity: &Contiguity,
) -> Result<Outcome, BatchError> {
    let (mut output, mut errors, mut per_claim) = (Vec::new(), Vec::new(), Vec::new());
    let summary = batch::run(
        library(),
        options,
        input,
        contiguity,
        Sinks {
            output: &mut output,
            errors: &mut errors,
            per_claim: Some(&mut per_claim),
        },
        &mut |_| {},
    )?;
    Ok(Outcome {
        summary,
        output: String::from_utf8(output).unwrap(),
        errors: String::from_utf8(errors).unwrap(),
        per_claim: String::from_utf8(per_claim).unwrap(),
    })
}

/// Runs a file in every contiguity mode: as the CLI does, presuming that the persons ascend
/// and, when they do not, with a first pass that finds the split persons; and as a stream.
/// Where the presumption holds, its outputs are those of the run with a first pass, byte for
/// byte (so a split person is never settled); where no person is split, so are the
/// stream's.
fn run(input: &str, threads: usize) -> Outcome {
    run_modes(input.as_bytes(), &options(threads, BatchMode::Settle))
}

/// [`run`] for a file of bytes with the given options.
fn run_modes(input: &[u8], options: &BatchOptions) -> Outcome {
    let split = batch::find_split_persons(input).unwrap();
    let no_split = split.is_empty();
    let known = run_with(input, options, &Contiguity::Known(split)).unwrap();
    if no_split {
        let mut streaming = run_with(input, options, &Contiguity::Streaming).unwrap();
        assert_eq!(streaming.output, known.output);
        assert_eq!(streaming.errors, known.errors);
        assert_eq!(streaming.per_claim, known.per_claim);
        streaming.summary.elapsed = known.summary.elapsed;
        assert_eq!(streaming.summary, known.summary);
    }
    match run_with(input, options, &Contiguity::Ascending) {
        Ok(mut ascending) => {
            assert_eq!(ascending.output, known.output);
            assert_eq!(ascending.errors, known.errors);
            assert_eq!(ascending.per_claim, known.per_claim);
            ascending.summary.elapsed = known.summary.elapsed;
            assert_eq!(ascending.summary, known.summary);
        }
        Err(BatchError::NotAscending { .. }) => {}
        Err(other) => panic!("{other}"),
    }
    known
}

fn output_rows(outcome: &Outcome) -> Vec<&str> {
    outcome.output.lines().skip(1).collect()
}

/// The errors file, read as CSV: `[line, person_id, column, reason]` per row.
fn error_rows(outcome: &Outcome) -> Vec<[String; 4]> {
    let mut reader = csv::Reader::from_reader(outcome.errors.as_bytes());
    assert_eq!(
        reader
            .headers()
            .unwrap()
            .iter()
            .collect::<Vec<_>>()
            .join(","),
        batch::ERRORS_HEADER
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            assert_eq!(r.len(), 4, "{r:?}");
            [0, 1, 2, 3].map(|i| r[i].to_owned())
        })
        .collect()
}

/// An expected error row: line, person, column, and how the reason starts.
type Expected<'a> = (u64, &'a str, &'a str, &'a str);

fn assert_errors(outcome: &Outcome, expected: &[Expected<'_>]) {
    let rows = error_rows(outcome);
    assert_eq!(rows.len(), expected.len(), "{}", outcome.errors);
    for (row, (line, person, column, reason)) in rows.iter().zip(expected) {
        assert_eq!(
            (row[0].as_str(), row[1].as_str(), row[2].as_str()),
            (line.to_string().as_str(), *person, *column),
            "{row:?}"
        );
        assert!(
            row[3].starts_with(reason),
            "{:?} should start with {reason:?}",
            row[3]
        );
    }
}

/// The summary reconciles rows and money.
fn assert_reconciles(summary: &BatchSummary) {
    assert_eq!(
        summary.rows_in,
        summary.rows_settled + summary.rows_in_error,
        "{summary:?}"
    );
    assert!(summary.money_reconciles(), "{summary:?}");
    assert!(summary.lines_reconcile(), "{summary:?}");
}

fn yuan(text: &str) -> Yuan {
    text.parse().unwrap()
}

// ---- Figures by hand ----

#[test]
fn h11_h14_h19_the_example_person_settles_to_the_hand_figures() {
    // examples/huaian-2026-inpatient.toml, as rows (H11, H14, H19):
    //   inpatient 30,000 at level 3:   fund (30,000 − 900) × 65% = 18,915; burden 11,085
    //   outpatient 200, fee 10:        fund 10 × 70% + 190 × 50% = 102
    //   inpatient 120,000 at level 3:  fund (120,000 − 900) × 65% = 77,415; burden 53,670;
    //                                  catastrophic (53,670 − 18,000) × 60% = 21,402
    //   basic 96,432; catastrophic 21,402; personal 150,200 − 96,432 − 21,402 = 32,366
    let input = format!(
        "{HEADER},consultation_fee,claim_id
HA-0001,ordinary,false,2,false,2026-03-10,inpatient,level_3,30000.00,,A1
HA-0001,ordinary,false,2,false,2026-05-06,general_outpatient,primary_care,200.00,10.00,O1
HA-0001,ordinary,false,2,false,2026-08-20,inpatient,level_3,120000.00,,A2
"
    );
    let outcome = run(&input, 2);
    assert_eq!(
        output_rows(&outcome),
        ["HA-0001,96432.00,21402.00,32366.00,settled,"]
    );
    assert_eq!(
        outcome.per_claim.lines().collect::<Vec<_>>(),
        [
            batch::PER_CLAIM_HEADER,
            "2,HA-0001,A1,2026-03-10,inpatient,level_3,30000.00,18915.00,0.00,11085.00,settled,,30000.00,900.00,0.00,assumed,local,,",
            "3,HA-0001,O1,2026-05-06,general_outpatient,primary_care,200.00,102.00,0.00,98.00,settled,,200.00,0.00,0.00,assumed,local,,",
            "4,HA-0001,A2,2026-08-20,inpatient,level_3,120000.00,77415.00,21402.00,21183.00,settled,,120000.00,900.00,0.00,assumed,local,,",
        ]
    );
    assert!(error_rows(&outcome).is_empty(), "{}", outcome.errors);
    let summary = &outcome.summary;
    assert_eq!((summary.rows_in, summary.rows_settled), (3, 3));
    assert_eq!(summary.persons_settled, 1);
    assert_eq!(summary.amount, yuan("150200"));
    assert_eq!(summary.basic_fund, yuan("96432"));
    assert_eq!(summary.catastrophic, yuan("21402"));
    assert_eq!(summary.personal, yuan("32366"));
    assert_reconciles(summary);
}

#[test]
fn h14_h18_out_of_city_is_a_level_3_referral_with_the_out_of_city_deductible() {
    // Out of the city: deductible 1,200 (H14), level-3 ratio 65% less the referral's
    // 5 points (H18) = 60%: (30,000 − 1,200) × 60% = 17,280; personal 12,720.
    let input = format!(
        "{HEADER}
R1,ordinary,false,2,false,2026-04-01,inpatient,out_of_city,30000
"
    );
    let outcome = run(&input, 1);
    assert_eq!(
        output_rows(&outcome),
        ["R1,17280.00,0.00,12720.00,settled,"]
    );
}

#[test]
fn h11_general_outpatient_without_a_fee_column_is_paid_at_the_other_items_ratio() {
    // No consultation_fee: the whole 200 is "other items" at 50% = 100 (H11).
    let input = format!(
        "{HEADER}
O1,ordinary,false,1,false,2026-02-01,general_outpatient,,200
"
    );
    let outcome = run(&input, 1);
    assert_eq!(output_rows(&outcome), ["O1,100.00,0.00,100.00,settled,"]);
}

// ---- Batch = the facade, person by person ----

#[derive(Clone, Debug)]
struct ClaimCase {
    day: u32,
    kind: usize,
    level: usize,
    fen: i64,
}

#[derive(Clone, Debug)]
struct PersonCase {
    aid: bool,
    signed: bool,
    continuity: u32,
    zero_prev: bool,
    claims: Vec<ClaimCase>,
}

const KINDS: [&str; 4] = [
    "general_outpatient",
    "inpatient",
    "day_surgery",
    "special_disease",
];

fn claim_case() -> impl Strategy<Value = ClaimCase> {
    (
        0u32..365,
        0usize..4,
        0usize..4,
        prop_oneof![
            1i64..100_000,
            100_000i64..10_000_000,
            10_000_000i64..60_000_000
        ],
    )
        .prop_map(|(day, kind, level, fen)| ClaimCase {
            day,
            kind,
            level,
            fen,
        })
}

fn person_case() -> impl Strategy<Value = PersonCase> {
    (
        any::<bool>(),
        any::<bool>(),
        1u32..=2,
        any::<bool>(),
        prop::collection::vec(claim_case(), 1..6),
    )
        .prop_map(|(aid, signed, continuity, zero_prev, claims)| PersonCase {
            aid,
            signed,
            continuity,
            zero_prev,
            claims,
        })
}

fn date(day: u32) -> String {
    (chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(u64::from(day)))
        .to_string()
}

fn amount_text(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// The CSV level and the scenario's level and remote care for a case.
fn levels(claim: &ClaimCase) -> (&'static str, &'static str, Option<&'static str>) {
    match (KINDS[claim.kind], claim.level) {
        ("general_outpatient", _) => ("1", "primary_care", None),
        ("inpatient", 3) => ("out_of_city", "level_3", Some("referral")),
        (_, 0 | 3) => ("1", "level_1", None),
        (_, 1) => ("2", "level_2", None),
        _ => ("3", "level_3", None),
    }
}

fn csv_of(persons: &[PersonCase]) -> String {
    let mut text = format!("{HEADER}\n");
    for (i, p) in persons.iter().enumerate() {
        for c in &p.claims {
            text.push_str(&format!(
                "P{i},{},{},{},{},{},{},{},{}\n",
                if p.aid { "aid" } else { "ordinary" },
                p.signed,
                p.continuity,
                p.zero_prev,
                date(c.day),
                KINDS[c.kind],
                levels(c).0,
                amount_text(c.fen)
            ));
        }
    }
    text
}

/// The person as a scenario file, settled through the facade as `yibao settle` does.
fn settle_alone(i: usize, p: &PersonCase) -> String {
    let mut toml = format!(
        "jurisdiction = \"huaian\"\nyear = 2026\n[person]\nid = \"P{i}\"\nfamily_doctor = \"{}\"\ncatastrophic_class = \"{}\"\n[incentives]\nconsecutive_years = {}\nzero_reimbursement_years = [{}]\n",
        if p.signed { "signed" } else { "not_signed" },
        if p.aid {
            "medical_aid_recipient"
        } else {
            "ordinary"
        },
        p.continuity,
        if p.zero_prev { "2025" } else { "" },
    );
    for c in &p.claims {
        let (_, level, remote_care) = levels(c);
        toml.push_str(&format!(
            "[[claims]]\ndate = \"{}\"\nkind = \"{}\"\nlevel = \"{level}\"\namount = \"{}\"\n",
            date(c.day),
            KINDS[c.kind],
            amount_text(c.fen)
        ));
        if let Some(treatment) = remote_care {
            toml.push_str(&format!("remote_care = \"{treatment}\"\n"));
        }
    }
    let file = ScenarioFile::parse("person.toml", &toml, ScenarioFormat::Toml).unwrap();
    let report = yibao::settle::settle(library(), &file.scenario).unwrap();
    let t = &report.totals;
    format!(
        "P{i},{},{},{},settled,",
        t.basic_fund, t.catastrophic, t.personal
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(yibao_core::strategies::cases(64)))]

    #[test]
    fn prop_batch_output_equals_settling_each_person_through_the_facade(
        persons in prop::collection::vec(person_case(), 1..8),
        threads in 1usize..=4,
    ) {
        let outcome = run(&csv_of(&persons), threads);
        let expected: Vec<String> =
            persons.iter().enumerate().map(|(i, p)| settle_alone(i, p)).collect();
        prop_assert_eq!(output_rows(&outcome), expected);
        prop_assert!(error_rows(&outcome).is_empty(), "{}", outcome.errors);
        let claims: usize = persons.iter().map(|p| p.claims.len()).sum();
        prop_assert_eq!(outcome.summary.rows_settled, claims as u64);
        prop_assert_eq!(outcome.per_claim.lines().count(), claims + 1);
        assert_reconciles(&outcome.summary);
    }
}

// ---- Order ----

/// A population of `persons` with 1 to 4 claims each, deterministic.
fn population(persons: usize) -> String {
    let mut text = format!("{HEADER}\n");
    for i in 0..persons {
        for k in 0..=(i % 4) {
            let kind = if (i + k) % 7 == 0 {
                "inpatient,2"
            } else {
                "general_outpatient,1"
            };
            text.push_str(&format!(
                "Q{i},ordinary,{},2,false,2026-{:02}-15,{kind},{}.{:02}\n",
                i % 2 == 0,
                k + 1,
                100 + (i * 37 + k * 1009) % 20_000,
                (i + k) % 100
            ));
        }
    }
    text
}

#[test]
fn output_order_is_input_order_with_several_threads() {
    let input = population(3_000);
    let one = run(&input, 1);
    let four = run(&input, 4);
    let ids: Vec<String> = output_rows(&four)
        .iter()
        .map(|row| row.split(',').next().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = (0..3_000).map(|i| format!("Q{i}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(one.output, four.output);
    assert_eq!(one.per_claim, four.per_claim);
    assert_eq!(one.summary.amount, four.summary.amount);
    assert_eq!(four.summary.rows_in, 7_500);
    assert_reconciles(&four.summary);
}

#[test]
fn parse_only_reads_every_row_and_writes_no_results() {
    let input = population(500);
    let Outcome {
        summary,
        output,
        errors,
        ..
    } = run_with(
        input.as_bytes(),
        &options(2, BatchMode::ParseOnly),
        &Contiguity::Streaming,
    )
    .unwrap();
    assert!(output.is_empty());
    assert_eq!(errors, format!("{}\n", batch::ERRORS_HEADER));
    assert_eq!((summary.rows_in, summary.rows_settled), (1_250, 1_250));
    assert_eq!(summary.persons_settled, 500);
}

// ---- Bad rows: each lands in the errors file, the rest settles, the summary reconciles ----

/// Two good persons around the bad rows; the good ones always settle the same.
fn with_bad_rows(bad: &str) -> String {
    format!(
        "{HEADER}
G1,ordinary,false,2,false,2026-01-05,inpatient,1,1300
{bad}G2,aid,true,1,false,2026-12-31,day_surgery,2,1000
"
    )
}

// G1: (1,300 − 300) × 85% = 850 (H14 level 1); G2: day surgery has no deductible here,
// 1,000 × 75% = 750 (H16 level 2).
const GOOD: [&str; 2] = [
    "G1,850.00,0.00,450.00,settled,",
    "G2,750.00,0.00,250.00,settled,",
];

fn assert_bad(bad: &str, expected_errors: &[Expected<'_>], settled_extra: &[&str]) -> Outcome {
    let outcome = run(&with_bad_rows(bad), 2);
    let mut expected_output: Vec<&str> = vec![GOOD[0]];
    expected_output.extend(settled_extra);
    expected_output.push(GOOD[1]);
    assert_eq!(output_rows(&outcome), expected_output);
    assert_errors(&outcome, expected_errors);
    let summary = &outcome.summary;
    assert_eq!(summary.rows_in_error, expected_errors.len() as u64);
    assert_eq!(
        summary.rows_in,
        outcome.summary.rows_settled + summary.rows_in_error
    );
    assert_eq!(summary.persons_settled, 2 + settled_extra.len() as u64);
    assert_reconciles(summary);
    outcome
}

#[test]
fn a_bad_amount_holds_the_person_back_whole() {
    // B's good row is not settled without the others: it goes to the errors too, naming
    // the first refused row.
    let outcome = assert_bad(
        "B,ordinary,false,2,false,2026-02-01,inpatient,2,1000
B,ordinary,false,2,false,2026-03-01,inpatient,2,12.345
B,ordinary,false,2,false,2026-03-02,inpatient,2,-5
B,ordinary,false,2,false,2026-03-03,inpatient,2,
",
        &[
            (
                3,
                "B",
                "",
                "person held back: line 4 and 2 other lines were refused (line 4: amount: `12.345` has more than 2 decimals",
            ),
            (4, "B", "amount", ""),
            (5, "B", "amount", ""),
            (6, "B", "amount", ""),
        ],
        &[],
    );
    assert!(
        outcome.errors.contains("more than 2 decimals"),
        "{}",
        outcome.errors
    );
    assert!(outcome.errors.contains("negative"), "{}", outcome.errors);
    assert!(
        outcome.errors.contains("`amount` is empty"),
        "{}",
        outcome.errors
    );
    // Money in counts the settled rows only: 1,300 + 1,000.
    assert_eq!(outcome.summary.amount, yuan("2300"));
    assert_eq!(outcome.summary.persons_with_errors, 1);
}

#[test]
fn an_unknown_kind_goes_to_errors() {
    let outcome = assert_bad(
        "K,ordinary,false,2,false,2026-02-01,dental,2,100\n",
        &[(3, "K", "kind", "`dental` is not a kind")],
        &[],
    );
    assert_eq!(outcome.summary.persons_with_errors, 1);
}

#[test]
fn a_date_outside_the_year_or_not_a_date_goes_to_errors() {
    assert_bad(
        "D,ordinary,false,2,false,2025-12-31,inpatient,2,100
D,ordinary,false,2,false,2027-01-01,inpatient,2,100
D,ordinary,false,2,false,2026-02-30,inpatient,2,100
D,ordinary,false,2,false,26-02-01,inpatient,2,100
",
        &[
            (3, "D", "date", "2025-12-31 is outside the policy year 2026"),
            (4, "D", "date", "2027-01-01 is outside the policy year 2026"),
            (
                5,
                "D",
                "date",
                "2026-02-30 does not exist: February 2026 has 28 days",
            ),
            (
                6,
                "D",
                "date",
                "`26-02-01` is not a date written YYYY-MM-DD",
            ),
        ],
        &[],
    );
}

#[test]
fn a_malformed_line_goes_to_errors() {
    assert_bad(
        "M,ordinary,false,2,false,2026-02-01,inpatient,2
M,ordinary,false,2,false,2026-02-01,inpatient,2,100,extra
",
        &[
            (
                3,
                "M",
                "",
                "malformed line: 8 fields where the header has 9",
            ),
            (
                4,
                "M",
                "",
                "malformed line: 10 fields where the header has 9",
            ),
        ],
        &[],
    );
}

#[test]
fn an_error_names_the_line_an_editor_shows_whatever_the_line_breaks() {
    // A bad amount on the fifth line, after an empty line; with `\r\n` (Windows exports),
    // `\n` and a lone `\r`, read as whole lines, by the CSV reader (a stream), and by the
    // CSV reader after a quote.
    for line_break in ["\r\n", "\n", "\r"] {
        for quoted in [false, true] {
            let first = if quoted { "\"G1\"" } else { "G1" };
            let input = [
                HEADER,
                &format!("{first},ordinary,false,2,false,2026-01-05,inpatient,1,1300"),
                "",
                "B,ordinary,false,2,false,2026-01-05,inpatient,1,1300",
                "B,ordinary,false,2,false,2026-01-06,inpatient,1,x",
                "G2,aid,true,1,false,2026-12-31,day_surgery,2,1000",
            ]
            .join(line_break);
            let streamed = try_run(&input, 2, &Contiguity::Streaming).unwrap();
            for outcome in [run(&input, 2), streamed] {
                assert_errors(
                    &outcome,
                    &[
                        (4, "B", "", "person held back: line 5 was refused"),
                        (5, "B", "amount", ""),
                    ],
                );
                assert_eq!(outcome.summary.rows_in, 4, "{line_break:?} {quoted}");
                assert_reconciles(&outcome.summary);
            }
        }
    }
}

#[test]
fn a_field_that_is_not_utf8_goes_to_errors_and_the_rest_of_its_chunk_settles() {
    // One bad byte makes the chunk's text check fail, so every field of the chunk is checked
    // on its own: only the bad row is refused, and its person held back. Read line by line
    // (a stream) and as whole lines (a file with no split person).
    let mut input =
        format!("{HEADER}\nA,ordinary,false,2,false,2026-02-01,inpatient,2,1000\n").into_bytes();
    input.extend_from_slice(b"A,ordinary,false,2,false,2026-03-01,inpa\xfftient,2,500\n");
    input.extend_from_slice(b"B,ordinary,false,2,false,2026-02-01,inpatient,2,1000\n");
    for contiguity in [
        Contiguity::Streaming,
        Contiguity::Known(batch::find_split_persons(input.as_slice()).unwrap()),
    ] {
        let Outcome {
            summary,
            output,
            errors,
            ..
        } = run_with(&input, &options(1, BatchMode::Settle), &contiguity).unwrap();
        assert_eq!(output.lines().count(), 2, "{output}");
        assert!(output.contains("\nB,"), "{output}");
        assert_eq!(errors.lines().count(), 3, "{errors}");
        assert!(
            errors.contains("3,A,kind,the row is not UTF-8 text: `kind` holds `inpa\u{fffd}tient`"),
            "{errors}"
        );
        assert!(
            errors.contains("2,A,,person held back: line 3 was refused"),
            "{errors}"
        );
        assert_eq!(
            (summary.rows_in, summary.rows_settled, summary.rows_in_error),
            (3, 1, 2)
        );
        assert_reconciles(&summary);
    }
}

#[test]
fn a_character_split_across_two_fields_is_not_utf8_in_either() {
    // `中` is E4 B8 AD: its first byte ends `category`, the rest starts `family_doctor`.
    // Each field alone is not UTF-8, even though the two side by side would be.
    let mut input = format!("{HEADER}\n\"Q\",ordinary,false,2,false,2026-02-01,inpatient,2,1000\n")
        .into_bytes();
    input.extend_from_slice(b"A,\xe4,\xb8\xadfalse,2,false,2026-03-01,inpatient,2,500\n");
    let Outcome {
        summary,
        output,
        errors,
        ..
    } = run_with(
        &input,
        &options(1, BatchMode::Settle),
        &Contiguity::Streaming,
    )
    .unwrap();
    assert_eq!(output.lines().count(), 2, "{output}");
    assert!(
        errors.contains("3,A,category,the row is not UTF-8 text: `category` holds `\u{fffd}`"),
        "{errors}"
    );
    assert_eq!((summary.rows_in, summary.rows_in_error), (2, 1));
    assert_reconciles(&summary);
}

#[test]
fn an_unclosed_quote_at_the_start_of_a_line_is_an_error_there_and_reading_goes_on() {
    // Today's defect: the quote swallowed every line after it into one record.
    let input = format!(
        "{HEADER}
G1,ordinary,false,2,false,2026-01-05,inpatient,1,1300
\"X,ordinary,false,2,false,2026-01-05,inpatient,1,1300
G2,aid,true,1,false,2026-12-31,day_surgery,2,1000
"
    );
    let outcome = run(&input, 2);
    assert_eq!(output_rows(&outcome), GOOD);
    // The person field is the one the quote opens: the row has no person and holds no one
    // back.
    assert_errors(
        &outcome,
        &[(
            3,
            "",
            "person_id",
            "line 3, column 1: the quote that opens field 1 (`person_id`) is not closed on its line",
        )],
    );
    assert_eq!(
        (outcome.summary.rows_in, outcome.summary.rows_in_error),
        (3, 1)
    );
    assert_reconciles(&outcome.summary);
}

#[test]
fn bad_values_of_the_other_columns_go_to_errors() {
    assert_bad(
        ",ordinary,false,2,false,2026-02-01,inpatient,2,100
V,rich,false,2,false,2026-02-01,inpatient,2,100
V,ordinary,yes,2,false,2026-02-01,inpatient,2,100
V,ordinary,false,0,false,2026-02-01,inpatient,2,100
V,ordinary,false,two,false,2026-02-01,inpatient,2,100
V,ordinary,false,2,maybe,2026-02-01,inpatient,2,100
V,ordinary,false,2,false,2026-02-01,inpatient,4,100
V,ordinary,false,2,false,2026-02-01,general_outpatient,out_of_city,100
V,ordinary,false,2,false,2026-02-01,day_surgery,out_of_city,100
V,ordinary,false,2,false,2026-02-01,inpatient,,100
",
        &[
            (3, "", "person_id", "`person_id` is empty"),
            (4, "V", "category", ""),
            (5, "V", "family_doctor", ""),
            (6, "V", "continuity_years", ""),
            (7, "V", "continuity_years", ""),
            (8, "V", "zero_claim_prev", ""),
            (9, "V", "hospital_level", ""),
            (
                10,
                "V",
                "hospital_level",
                "`out_of_city` is an inpatient referral out of the city; a `general_outpatient` row cannot have it",
            ),
            (
                11,
                "V",
                "hospital_level",
                "`out_of_city` is an inpatient referral",
            ),
            (12, "V", "hospital_level", "`hospital_level` is empty"),
        ],
        &[],
    );
}

#[test]
fn a_value_outside_a_column_s_list_is_refused_with_the_whole_list() {
    let input = format!(
        "{HEADER},disease_class,catalogue,group
A,rich,false,2,false,2026-02-01,inpatient,2,100,,,
B,ordinary,false,2,false,2026-02-01,dental,2,100,,,
C,ordinary,false,2,false,2026-02-01,inpatient,4,100,,,
D,ordinary,false,2,false,2026-02-01,special_disease,2,100,cancer,,
E,ordinary,false,2,false,2026-02-01,special_disease,2,100,,national,
F,ordinary,false,2,false,2026-02-01,inpatient,2,100,,,elder
"
    );
    let outcome = run(&input, 2);
    let reasons: Vec<[String; 4]> = error_rows(&outcome);
    let expected = [
        (
            "2",
            "A",
            "category",
            "`rich` is not a category (expected `ordinary` or `medical_aid_recipient`)",
        ),
        (
            "3",
            "B",
            "kind",
            "`dental` is not a kind (expected `general_outpatient`, `two_disease_drugs`, `special_disease`, `inpatient`, `day_surgery`, `dual_channel_drugs`, `maternity_delivery` or `emergency`)",
        ),
        (
            "4",
            "C",
            "hospital_level",
            "`4` is not a hospital level (expected `primary_care`, `level_1`, `level_2`, `level_3` or `out_of_city`)",
        ),
        (
            "5",
            "D",
            "disease_class",
            "`cancer` is not a disease class (expected `severe_mental`, `psychiatric` or `other`)",
        ),
        (
            "6",
            "E",
            "catalogue",
            "`national` is not a catalogue (expected `provincial` or `city_retained`)",
        ),
        (
            "7",
            "F",
            "group",
            "`elder` is not a group (expected `resident` or `student`)",
        ),
    ];
    assert_eq!(reasons.len(), expected.len(), "{}", outcome.errors);
    for (row, (line, person, column, reason)) in reasons.iter().zip(expected) {
        assert_eq!(
            [
                row[0].as_str(),
                row[1].as_str(),
                row[2].as_str(),
                row[3].as_str()
            ],
            [line, person, column, reason]
        );
    }
    assert_eq!(outcome.summary.rows_in_error, 6);
    assert_reconciles(&outcome.summary);
}

#[test]
fn person_columns_that_disagree_hold_the_person_back_whatever_row_is_wrong() {
    // No row wins: whether the odd row is the first or a later one, every row of the person
    // is refused with the two lines that disagree.
    let row = |category: &str, continuity: u32, day: u32| {
        format!("C,{category},false,{continuity},false,2026-03-{day:02},inpatient,2,1000\n")
    };
    type Case = (String, &'static str, &'static str);
    let cases: [Case; 3] = [
        (
            [
                row("ordinary", 2, 1),
                row("aid", 2, 2),
                row("ordinary", 2, 3),
            ]
            .concat(),
            "category",
            "person held back: its rows disagree on `category`: `ordinary` on line 3, `medical_aid_recipient` on line 4",
        ),
        (
            [
                row("aid", 2, 1),
                row("ordinary", 2, 2),
                row("ordinary", 2, 3),
            ]
            .concat(),
            "category",
            "person held back: its rows disagree on `category`: `medical_aid_recipient` on line 3, `ordinary` on line 4",
        ),
        (
            [
                row("ordinary", 2, 1),
                row("ordinary", 2, 2),
                row("ordinary", 1, 3),
            ]
            .concat(),
            "continuity_years",
            "person held back: its rows disagree on `continuity_years`: `2` on line 3, `1` on line 5",
        ),
    ];
    for (bad, column, reason) in &cases {
        assert_bad(
            bad,
            &[
                (3, "C", column, reason),
                (4, "C", column, reason),
                (5, "C", column, reason),
            ],
            &[],
        );
    }
}

#[test]
fn a_person_whose_rows_are_not_contiguous_goes_to_errors_whole() {
    let input = format!(
        "{HEADER}
S,ordinary,false,2,false,2026-02-01,inpatient,2,1000
S,ordinary,false,2,false,2026-02-02,inpatient,2,1000
G1,ordinary,false,2,false,2026-01-05,inpatient,1,1300
S,ordinary,false,2,false,2026-03-01,inpatient,2,1000
G2,aid,true,1,false,2026-12-31,day_surgery,2,1000
"
    );
    let outcome = run(&input, 2);
    assert_eq!(output_rows(&outcome), GOOD);
    let reason = "the rows of person `S` are not contiguous: they form 2 separate blocks, starting at lines 2, 5; every row of this person is refused";
    assert_errors(
        &outcome,
        &[
            (2, "S", "person_id", reason),
            (3, "S", "person_id", reason),
            (5, "S", "person_id", reason),
        ],
    );
    assert_eq!(outcome.summary.split_persons, 1);
    assert_eq!(outcome.summary.rows_in_error, 3);
    assert_reconciles(&outcome.summary);

    // Read once from a stream, the first block is settled before the second shows up: only
    // the later block is refused, with the reason.
    let streamed = try_run(&input, 2, &Contiguity::Streaming).unwrap();
    assert_eq!(
        output_rows(&streamed),
        // Two admissions at level 2, each with the full deductible (H14):
        // 2 × (1,000 − 600) × 75% = 600.
        ["S,600.00,0.00,1400.00,settled,", GOOD[0], GOOD[1]]
    );
    assert_errors(
        &streamed,
        &[(
            5,
            "S",
            "person_id",
            "the rows of person `S` are not contiguous: an earlier block of this person was already settled",
        )],
    );
    assert_eq!(streamed.summary.split_persons, 1);
    assert_reconciles(&streamed.summary);
}

#[test]
fn split_persons_are_found_in_a_file_in_any_order() {
    let dir = std::env::temp_dir().join(format!("yibao-batch-split-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let row = |p: &str| format!("{p},ordinary,false,2,false,2026-02-01,inpatient,2,1000\n");
    let cases = [
        // Ascending: the scan keeps no set.
        (vec!["A", "A", "B", "C"], 0),
        // Descending but contiguous: no split, found with the set.
        (vec!["C", "B", "B", "A"], 0),
        // Ascending until a person comes back.
        (vec!["A", "B", "A", "C"], 1),
        (vec!["B", "A", "B", "A", "C"], 2),
    ];
    for (i, (persons, split)) in cases.iter().enumerate() {
        let path = dir.join(format!("claims-{i}.csv"));
        let text: String = std::iter::once(format!("{HEADER}\n"))
            .chain(persons.iter().map(|p| row(p)))
            .collect();
        std::fs::write(&path, &text).unwrap();
        let found = batch::find_split_persons_in_file(&path, NonZeroUsize::MIN).unwrap();
        for threads in 2..=3 {
            let threads = NonZeroUsize::new(threads).unwrap();
            assert_eq!(
                batch::find_split_persons_in_file(&path, threads).unwrap(),
                found,
                "{persons:?}"
            );
        }
        assert_eq!(found.len(), *split, "{persons:?}");
        assert_eq!(
            found,
            batch::find_split_persons(text.as_bytes()).unwrap(),
            "{persons:?}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The line, person and person before of a batch stopped because its persons do not ascend.
fn not_ascending(input: &str, threads: usize) -> (u64, String, String) {
    match try_run(input, threads, &Contiguity::Ascending) {
        Err(BatchError::NotAscending {
            line,
            person,
            after,
        }) => (line, person, after),
        Err(other) => panic!("{other}"),
        Ok(outcome) => panic!("settled: {}", outcome.output),
    }
}

#[test]
fn a_batch_presuming_ascending_persons_stops_at_the_first_out_of_order() {
    let row = |p: &str| format!("{p},ordinary,false,2,false,2026-02-01,inpatient,2,1000\n");
    let file = |persons: &[&str]| -> String {
        std::iter::once(format!("{HEADER}\n"))
            .chain(persons.iter().map(|p| row(p)))
            .collect()
    };
    let at = |line: u64, person: &str, after: &str| (line, person.to_owned(), after.to_owned());
    for threads in [1, 2] {
        // Contiguous but descending, and ascending until a person comes back; also behind
        // a malformed line, and read by the CSV reader (a quote).
        assert_eq!(
            not_ascending(&file(&["C", "B", "B", "A"]), threads),
            at(3, "B", "C")
        );
        assert_eq!(
            not_ascending(&file(&["A", "A", "B", "A", "C"]), threads),
            at(5, "A", "B")
        );
        assert_eq!(
            not_ascending(&file(&["A", "B,x", "B", "\"A\""]), threads),
            at(5, "A", "B")
        );
        // Ascending, with a malformed line inside a person: no stop; the person is held
        // back (the malformed line is theirs), the next settles.
        let outcome = try_run(
            &file(&["A", "A,x", "A", "B"]),
            threads,
            &Contiguity::Ascending,
        )
        .unwrap();
        assert_eq!(outcome.summary.persons_settled, 1);
        assert_eq!(outcome.summary.rows_in_error, 3);
    }
    // Quoted ids, 1,025 persons.
    let mut persons: Vec<String> = (1000..2024).map(|i| format!("\"P{i}\"")).collect();
    persons.push("\"A\"".to_owned());
    let refs: Vec<&str> = persons.iter().map(String::as_str).collect();
    assert_eq!(not_ascending(&file(&refs), 2), at(1026, "A", "P2023"));
    // As whole lines (no quote): a population numbered Q0, Q1, … is not in byte order
    // (Q10 sorts before Q2); the batch stops at Q10's first row.
    assert_eq!(not_ascending(&population(3_000), 2), at(25, "Q10", "Q9"));
}

#[test]
fn a_person_whose_settlement_fails_goes_to_errors_whole_with_the_reason() {
    // A city-retained special disease has no cap in the sources (H13): the settlement
    // refuses it, so every row of the person is refused with that reason.
    let input = format!(
        "{HEADER},catalogue
F,ordinary,false,2,false,2026-02-01,inpatient,2,1000,
F,ordinary,false,2,false,2026-03-01,special_disease,2,1000,city_retained
G1,ordinary,false,2,false,2026-01-05,inpatient,1,1300,
"
    );
    let outcome = run(&input, 2);
    assert_eq!(output_rows(&outcome), [GOOD[0]]);
    let reason = "person `F` could not be settled: the sources give no annual limit for city-retained special diseases (H13)";
    assert_errors(&outcome, &[(2, "F", "", reason), (3, "F", "", reason)]);
    // The reason names the row the settlement refused.
    assert!(
        error_rows(&outcome)[0][3].ends_with("(line 3)"),
        "{}",
        outcome.errors
    );
    assert_eq!(outcome.summary.rows_in_error, 2);
    assert_reconciles(&outcome.summary);
}

#[test]
fn an_impossible_continuity_refuses_the_person_instead_of_dropping_catastrophic_insurance() {
    // 3 consecutive years counted from 2025 is impossible in 2026 (H7): the cap in force
    // cannot be computed, so the person is refused rather than settled with no catastrophic
    // insurance.
    assert_bad(
        "T,ordinary,false,3,false,2026-02-01,inpatient,2,1000\n",
        &[(3, "T", "", "person `T` could not be settled: ")],
        &[],
    );
}

#[test]
fn an_unusable_header_stops_the_batch_with_every_problem() {
    let Err(BatchError::Header { problems }) = try_run(
        "person_id,category,colour,colour,date\n",
        1,
        &Contiguity::Streaming,
    ) else {
        panic!("the header should be refused");
    };
    assert!(problems.contains("unknown column `colour`"), "{problems}");
    assert!(problems.contains("missing column `amount`"), "{problems}");
    assert!(problems.contains("missing column `kind`"), "{problems}");
    assert!(matches!(
        try_run("", 1, &Contiguity::Streaming),
        Err(BatchError::Header { .. })
    ));
}

#[test]
fn an_unknown_jurisdiction_stops_the_batch() {
    let mut wrong = options(1, BatchMode::Settle);
    wrong.jurisdiction = "atlantis".to_owned();
    let (mut output, mut errors) = (Vec::new(), Vec::new());
    let result = batch::run(
        library(),
        &wrong,
        format!("{HEADER}\n").as_bytes(),
        &Contiguity::Streaming,
        Sinks {
            output: &mut output,
            errors: &mut errors,
            per_claim: None,
        },
        &mut |_| {},
    );
    assert!(matches!(result, Err(BatchError::Policy { .. })));
}

#[test]
fn columns_are_found_by_name_in_any_order_and_quoted_fields_are_read() {
    let input = "amount,kind,hospital_level,date,zero_claim_prev,continuity_years,family_doctor,category,person_id
1300,inpatient,1,2026-01-05,false,2,false,ordinary,\"Li, Wei\"
";
    let outcome = run(input, 1);
    assert_eq!(
        output_rows(&outcome),
        ["\"Li, Wei\",850.00,0.00,450.00,settled,"]
    );
}

// ---- Every line accounted for ----

/// A generated file of `persons` persons with 2 rows each (lines 2 and 3 are person 0's);
/// the row on `stray_line` has its amount opened by a quote that is never closed.
fn population_with_a_stray_quote(persons: usize, stray_line: usize) -> String {
    let mut text = String::with_capacity(persons * 2 * 70);
    text.push_str(HEADER);
    text.push('\n');
    for i in 0..persons {
        for k in 0..2 {
            let line = 2 + i * 2 + k;
            let amount = if line == stray_line {
                "\"315.98"
            } else {
                "315.98"
            };
            text.push_str(&format!(
                "P{i:06},ordinary,false,2,false,2026-{:02}-15,general_outpatient,1,{amount}\n",
                k + 1
            ));
        }
    }
    text
}

#[test]
fn a_stray_quote_in_a_100_000_row_file_is_one_error_at_its_line_and_column() {
    // Today's defect: the quote swallowed every line up to the next quote into one record,
    // and half the persons vanished with a summary that reconciled. Now: the line of the
    // quote is refused at the quote's column, its person is held back whole (both rows),
    // and every other line is settled. The amount is the 9th field; the quote is at column
    // 9 + 8 + 6 + 2 + 6 + 11 + 19 + 2 = …: counted by the test from the line itself.
    let persons = 50_000;
    let stray_line = 61_235; // person 30,616's second row
    let input = population_with_a_stray_quote(persons, stray_line);
    let line_text = input.lines().nth(stray_line - 1).unwrap();
    let column = line_text.find('"').unwrap() + 1;
    assert_eq!(column, line_text.len() - "315.98".len());
    let outcome = run_modes(input.as_bytes(), &options(2, BatchMode::Settle));
    let person = "P030616";
    assert_errors(
        &outcome,
        &[
            (
                61_234,
                person,
                "",
                "person held back: line 61235 was refused (line 61235: amount: line 61235, column",
            ),
            (
                61_235,
                person,
                "amount",
                &format!(
                    "line 61235, column {column}: the quote that opens field 9 (`amount`) is not closed on its line"
                ),
            ),
        ],
    );
    let summary = &outcome.summary;
    assert_eq!(summary.rows_in, 100_000);
    assert_eq!(summary.rows_settled, 99_998);
    assert_eq!(summary.persons_settled, persons as u64 - 1);
    assert_eq!(summary.lines_in, 100_000);
    assert_eq!(output_rows(&outcome).len(), persons - 1);
    assert!(!outcome.output.contains(person));
    assert_reconciles(summary);
}

#[test]
fn a_quote_opened_and_not_closed_on_the_last_line_is_an_error_there() {
    // With and without a final line break, with every kind of line break: the last line's
    // quote does not reach back or forward; the blank line is counted apart.
    for line_break in ["\n", "\r\n", "\r"] {
        for final_break in [false, true] {
            let mut input = [
                HEADER,
                "G1,ordinary,false,2,false,2026-01-05,inpatient,1,1300",
                "",
                "G2,aid,true,1,false,2026-12-31,day_surgery,2,1000",
                "Z,ordinary,false,2,false,2026-01-05,inpatient,1,\"13,00",
            ]
            .join(line_break);
            if final_break {
                input.push_str(line_break);
            }
            let outcome = run(&input, 2);
            assert_eq!(output_rows(&outcome), GOOD, "{line_break:?}");
            assert_errors(
                &outcome,
                &[(
                    5,
                    "Z",
                    "amount",
                    "line 5, column 49: the quote that opens field 9 (`amount`) is not closed",
                )],
            );
            let summary = &outcome.summary;
            assert_eq!(
                (
                    summary.lines_in,
                    summary.lines_settled,
                    summary.lines_in_error,
                    summary.lines_blank
                ),
                (4, 2, 1, 1),
                "{line_break:?} {final_break}"
            );
            assert_reconciles(summary);
        }
    }
}

// ---- Persons whole ----

#[test]
fn a_person_with_one_bad_row_is_held_back_whole_with_the_refused_line_named() {
    // H's three rows: the middle one has a bad date. Both good rows go to the errors too,
    // each naming line 4 and why it was refused; G1 and G2 settle as always.
    let outcome = assert_bad(
        "H,ordinary,false,2,false,2026-02-01,inpatient,2,1000
H,ordinary,false,2,false,2026-02-30,inpatient,2,1000
H,ordinary,false,2,false,2026-03-01,general_outpatient,1,100
",
        &[
            (
                3,
                "H",
                "",
                "person held back: line 4 was refused (line 4: date: 2026-02-30 does not exist: February 2026 has 28 days",
            ),
            (
                4,
                "H",
                "date",
                "2026-02-30 does not exist: February 2026 has 28 days",
            ),
            (
                5,
                "H",
                "",
                "person held back: line 4 was refused (line 4: date: ",
            ),
        ],
        &[],
    );
    assert_eq!(outcome.summary.persons_with_errors, 1);
    assert_eq!(outcome.summary.lines_in_error, 3);
}

// ---- Identifiers and text ----

#[test]
fn control_characters_in_identifiers_are_refused() {
    // (the id's bytes, the column, how the reason goes on)
    let cases: [(&str, &str, &str); 5] = [
        (
            "N\0UL",
            "person_id",
            "`N\\0UL` holds the control character U+0000 at character 2",
        ),
        (
            "T\tAB",
            "person_id",
            "`T\\tAB` holds the control character U+0009 at character 2",
        ),
        (
            "E\u{1b}[31m",
            "person_id",
            "holds the control character U+001B at character 2",
        ),
        (
            "D\u{7f}",
            "person_id",
            "holds the control character U+007F at character 2",
        ),
        (
            "C\u{85}1",
            "person_id",
            "holds the control character U+0085 at character 2",
        ),
    ];
    for (id, column, reason) in cases {
        let input = with_bad_rows(&format!(
            "{id},ordinary,false,2,false,2026-02-01,inpatient,2,1000\n"
        ));
        let outcome = run(&input, 2);
        assert_eq!(output_rows(&outcome), GOOD, "{id:?}");
        let rows = error_rows(&outcome);
        assert_eq!(rows.len(), 1, "{}", outcome.errors);
        assert_eq!((rows[0][0].as_str(), rows[0][2].as_str()), ("3", column));
        assert!(rows[0][3].contains(reason), "{id:?}: {}", rows[0][3]);
        assert!(
            rows[0][3].ends_with("an identifier may not hold control characters"),
            "{}",
            rows[0][3]
        );
        assert_reconciles(&outcome.summary);
    }
    // A claim id too.
    let input =
        format!("{HEADER},claim_id\nA,ordinary,false,2,false,2026-02-01,inpatient,2,1000,X\0\n");
    let outcome = run(&input, 1);
    assert_errors(
        &outcome,
        &[(
            2,
            "A",
            "claim_id",
            "`X\\0` holds the control character U+0000",
        )],
    );
}

#[test]
fn a_row_that_is_not_utf8_is_refused_saying_so() {
    // A Latin-1 `é` (0xE9) in the person id: refused, with the row's other persons settled.
    let mut input = with_bad_rows("").into_bytes();
    input.extend_from_slice(b"Jos\xe9,ordinary,false,2,false,2026-02-01,inpatient,2,1000\n");
    let outcome = run_modes(&input, &options(2, BatchMode::Settle));
    assert_eq!(output_rows(&outcome), GOOD);
    assert_errors(
        &outcome,
        &[(
            4,
            "Jos\u{fffd}",
            "person_id",
            "the row is not UTF-8 text: `person_id` holds `Jos\u{fffd}`",
        )],
    );
    assert!(outcome.errors.contains("the claims file must be UTF-8"));
    assert_reconciles(&outcome.summary);
}

#[test]
fn a_utf16_file_is_refused_with_a_hint_to_convert_it() {
    let text = format!("{HEADER}\nA,ordinary,false,2,false,2026-02-01,inpatient,2,1000\n");
    let little: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let big: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    let no_mark: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    for (input, says) in [
        (little, "UTF-16 byte order mark"),
        (big, "UTF-16 byte order mark"),
        (no_mark, "holds NUL bytes"),
    ] {
        for contiguity in [Contiguity::Streaming, Contiguity::Ascending] {
            match run_with(&input, &options(1, BatchMode::Settle), &contiguity) {
                Err(BatchError::Header { problems }) => {
                    assert!(problems.contains(says), "{problems}");
                    assert!(problems.contains("looks like UTF-16"), "{problems}");
                    assert!(problems.contains("must be UTF-8"), "{problems}");
                }
                Err(other) => panic!("{other}"),
                Ok(outcome) => panic!("settled: {}", outcome.output),
            }
        }
    }
}

#[test]
fn an_over_long_value_is_quoted_cut_with_its_size() {
    // A 1,000,000-byte amount: the reason quotes 64 characters and gives the size.
    let long = "9".repeat(1_000_000);
    let cases = [
        (
            format!("L,ordinary,false,2,false,2026-02-01,inpatient,2,{long}\n"),
            "amount",
        ),
        (
            format!("L,ordinary,false,2,false,{long},inpatient,2,100\n"),
            "date",
        ),
        (
            format!("L,ordinary,false,2,false,2026-02-01,{long},2,100\n"),
            "kind",
        ),
    ];
    for (bad, column) in cases {
        let outcome = run(&with_bad_rows(&bad), 2);
        let rows = error_rows(&outcome);
        assert_eq!(rows.len(), 1, "{column}");
        assert_eq!(rows[0][2], column);
        let reason = &rows[0][3];
        // The quoted value, its size and the words the column takes (eight kinds).
        assert!(reason.len() < 300, "{column}: {} bytes", reason.len());
        assert!(
            reason.contains(&format!("`{}… (1000000 bytes)`", &long[..64])),
            "{reason}"
        );
    }
}

// ---- Kunshan 2021: the basic fund settled, catastrophic not published ----

fn kunshan() -> BatchOptions {
    let mut options = BatchOptions::new("kunshan", PolicyYear::new(2021).unwrap());
    options.threads = NonZeroUsize::new(2).unwrap();
    options
}

#[test]
fn k3_k4_a_kunshan_file_settles_the_basic_fund_and_says_catastrophic_is_not_settled() {
    // K3 outpatient, no deductible:
    //   KA resident, not signed, level 2: 300 × 40% = 120; burden 180.
    // K4 inpatient, the ladder from 0 (75% up to 40,000 of the year's expense):
    //   KB student, level 3: deductible 500 (students: every level);
    //      (10,000 − 500) × 75% = 7,125; burden 2,875.
    // K3 + K4 together:
    //   KC resident, signed, level 1: inpatient (2,000 − 300) × 75% = 1,275;
    //      outpatient 100 × 65% (level 1, signed) = 65; basic 1,340, burden 2,100 − 1,340 = 760.
    // Catastrophic: no schedule is published for Kunshan 2021, so no figure (empty, not
    // 0.00) for any claim: which claims a Kunshan schedule would count is not published
    // either, so not even the outpatient claim of KA is a certain 0. The rows keep the
    // older spellings (`outpatient_general`, levels `1`, `2`, `3`), which still read.
    let input = format!(
        "{HEADER},group
KA,ordinary,false,1,false,2021-03-01,outpatient_general,2,300,resident
KB,ordinary,false,1,false,2021-04-01,inpatient,3,10000,student
KC,ordinary,true,1,false,2021-05-01,inpatient,1,2000,
KC,ordinary,true,1,false,2021-06-01,outpatient_general,1,100,
"
    );
    let outcome = run_modes(input.as_bytes(), &kunshan());
    assert!(error_rows(&outcome).is_empty(), "{}", outcome.errors);
    let rows = output_rows(&outcome);
    let figures: Vec<String> = rows
        .iter()
        .map(|row| row.splitn(6, ',').take(5).collect::<Vec<_>>().join(","))
        .collect();
    assert_eq!(
        figures,
        [
            "KA,120.00,,180.00,not_settled",
            "KB,7125.00,,2875.00,not_settled",
            "KC,1340.00,,760.00,not_settled",
        ]
    );
    for row in &rows {
        let reason = row.splitn(6, ',').nth(5).unwrap();
        assert!(reason.contains("catastrophic"), "{row}");
    }
    let per_claim: Vec<&str> = outcome.per_claim.lines().skip(1).collect();
    assert_eq!(
        per_claim,
        [
            // The levels read in their short form, written in their one spelling.
            "2,KA,,2021-03-01,general_outpatient,level_2,300.00,120.00,,180.00,not_settled,,300.00,0.00,0.00,assumed,local,,",
            "3,KB,,2021-04-01,inpatient,level_3,10000.00,7125.00,,2875.00,not_settled,,10000.00,500.00,0.00,assumed,local,,",
            "4,KC,,2021-05-01,inpatient,level_1,2000.00,1275.00,,725.00,not_settled,,2000.00,300.00,0.00,assumed,local,,",
            "5,KC,,2021-06-01,general_outpatient,level_1,100.00,65.00,,35.00,not_settled,,100.00,0.00,0.00,assumed,local,,",
        ]
    );
    let summary = &outcome.summary;
    assert_eq!(summary.persons_settled, 3);
    assert_eq!(summary.persons_catastrophic_not_settled, 3);
    assert_eq!(summary.basic_fund, yuan("8585"));
    assert_eq!(summary.catastrophic, Yuan::ZERO);
    assert_eq!(summary.personal, yuan("3815"));
    assert_reconciles(summary);
}

#[test]
fn k3_kunshan_outpatient_needs_a_hospital_level() {
    let input = format!(
        "{HEADER}
KA,ordinary,false,1,false,2021-03-01,general_outpatient,,300
KB,ordinary,false,1,false,2021-03-01,general_outpatient,out_of_city,300
"
    );
    let outcome = run_modes(input.as_bytes(), &kunshan());
    assert_errors(
        &outcome,
        &[
            (
                2,
                "KA",
                "hospital_level",
                "`hospital_level` is empty: `general_outpatient` is general outpatient care at a hospital of level `level_1`, `level_2` or `level_3` in kunshan 2021 (K3)",
            ),
            (
                3,
                "KB",
                "hospital_level",
                "hospital level `out_of_city` is not paid here",
            ),
        ],
    );
}

/// Outputs kept in memory, written again from the start at each open.
struct Memory {
    rewritable: bool,
    opened: usize,
    output: Vec<u8>,
    errors: Vec<u8>,
    per_claim: Vec<u8>,
}

impl batch::Outputs for Memory {
    type Error = BatchError;

    fn open(&mut self) -> Result<Sinks<'_>, BatchError> {
        self.opened += 1;
        self.output.clear();
        self.errors.clear();
        self.per_claim.clear();
        Ok(Sinks {
            output: &mut self.output,
            errors: &mut self.errors,
            per_claim: Some(&mut self.per_claim),
        })
    }

    fn rewritable(&self) -> bool {
        self.rewritable
    }
}

#[test]
fn settle_file_chooses_the_first_pass_and_writes_again_a_file_whose_persons_do_not_ascend() {
    let dir = std::env::temp_dir().join(format!("yibao-settle-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let row = |p: &str| format!("{p},ordinary,false,2,false,2026-02-01,inpatient,2,1000\n");
    let out_of_order = || batch::FirstPass::AfterDescent {
        time: std::time::Duration::ZERO,
        stopped_after: std::time::Duration::ZERO,
        line: 4,
        person: "A".to_owned(),
        after: "B".to_owned(),
    };
    let cases = [
        (
            vec!["A", "A", "B", "C"],
            true,
            batch::FirstPass::NotNeeded,
            1,
        ),
        (vec!["A", "B", "A", "C"], true, out_of_order(), 2),
        (
            vec!["A", "B", "A", "C"],
            false,
            batch::FirstPass::Ran(std::time::Duration::ZERO),
            1,
        ),
    ];
    let options = options(2, BatchMode::Settle);
    for (i, (persons, rewritable, first_pass, opened)) in cases.into_iter().enumerate() {
        let path = dir.join(format!("claims-{i}.csv"));
        let text: String = std::iter::once(format!("{HEADER}\n"))
            .chain(persons.iter().map(|p| row(p)))
            .collect();
        std::fs::write(&path, &text).unwrap();
        let mut outputs = Memory {
            rewritable,
            opened: 0,
            output: Vec::new(),
            errors: Vec::new(),
            per_claim: Vec::new(),
        };
        let done = batch::settle_file(
            library(),
            &options,
            batch::Input::File(&mut batch::FilePath(&path)),
            &mut outputs,
            &mut |_| {},
        )
        .unwrap();
        // Durations aside, the first pass is the one expected.
        let timeless = match done.first_pass {
            batch::FirstPass::Ran(_) => batch::FirstPass::Ran(std::time::Duration::ZERO),
            batch::FirstPass::AfterDescent {
                line,
                person,
                after,
                ..
            } => batch::FirstPass::AfterDescent {
                time: std::time::Duration::ZERO,
                stopped_after: std::time::Duration::ZERO,
                line,
                person,
                after,
            },
            other => other,
        };
        assert_eq!(timeless, first_pass, "{persons:?}");
        assert_eq!(outputs.opened, opened, "{persons:?}");
        let known = run(&text, 2);
        assert_eq!(String::from_utf8(outputs.output).unwrap(), known.output);
        assert_eq!(String::from_utf8(outputs.errors).unwrap(), known.errors);
        assert_eq!(
            String::from_utf8(outputs.per_claim).unwrap(),
            known.per_claim
        );
        // A stream is read once, its later blocks refused.
        let mut stream = text.as_bytes();
        let mut outputs = Memory {
            rewritable,
            opened: 0,
            output: Vec::new(),
            errors: Vec::new(),
            per_claim: Vec::new(),
        };
        let done = batch::settle_file(
            library(),
            &options,
            batch::Input::<batch::FilePath<'_>>::Stream(&mut stream),
            &mut outputs,
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(done.first_pass, batch::FirstPass::Stream);
        assert_eq!(outputs.opened, 1);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
