//! Unit tests of the readers, the first pass and the output formatting.

use proptest::prelude::*;
use yibao_core::Yuan;

use crate::columns::{Column, read_header};
use crate::first_pass::{self, Order};
use crate::format::{push_csv_field, push_yuan};
use crate::lines;
use crate::lines::Unclosed;
use crate::persons::{Contiguity, SplitPersons};
use crate::readers::{LINES_CHUNK, READ_BUFFER, open_input};

const HEADER: &str = "person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount";

/// A line of [`file_text`] left blank.
const BLANK: &str = "<blank>";

/// A file of the given lines, each a person id (empty: an empty person; `None`: a line of
/// the wrong width), with the given line break.
fn file_text(lines: &[Option<String>], line_break: &str, final_break: bool) -> String {
    let mut text = format!("{HEADER}{line_break}");
    for (i, line) in lines.iter().enumerate() {
        match line {
            Some(person) if person == BLANK => {}
            Some(person) => text.push_str(&format!(
                "{person},ordinary,false,2,false,2026-02-01,inpatient,2,1000"
            )),
            None => text.push_str("malformed,line"),
        }
        if i + 1 < lines.len() || final_break {
            text.push_str(line_break);
        }
    }
    text
}

/// A line of [`file_text`]: mostly one of six persons, sometimes an empty person or a
/// line of the wrong width.
fn person_line() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        8 => (0_u8..6).prop_map(|p| Some(format!("P{p}"))),
        1 => Just(Some(String::new())),
        1 => Just(None),
        1 => (0_u8..6).prop_map(|p| Some(format!("\"P{p}\""))),
        1 => (0_u8..6).prop_map(|p| Some(format!("P{p},\"315.98"))),
    ]
}

fn any_line_break() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("\n"), Just("\r\n"), Just("\r")]
}

/// The order of the persons by the plain definition: line after line.
fn order_line_by_line(text: &str) -> Order {
    let mut lines = text.split(['\n', '\r']);
    let Some(Ok(layout)) = lines.next().map(|h| read_header(h.as_bytes())) else {
        return Order::NotAscending;
    };
    let keys: Vec<Vec<u8>> = lines
        .filter_map(|l| lines::line_key(l.as_bytes(), layout.width, layout.person_index()))
        .map(|k| k.to_vec())
        .collect();
    if keys.windows(2).all(|w| w[0] <= w[1]) {
        Order::Ascending
    } else {
        Order::NotAscending
    }
}

fn order_in_parts(text: &str, threads: usize) -> Order {
    let dir = std::env::temp_dir().join(format!(
        "yibao-order-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).unwrap_or_default();
    let path = dir.join("claims.csv");
    std::fs::write(&path, text).unwrap_or_default();
    let order = first_pass::order_in_parts(&path, threads);
    let _ = std::fs::remove_dir_all(&dir);
    order.unwrap_or(Order::NotAscending)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(yibao_core::strategies::cases(64)))]
    // The first pass, in 1 to 4 parts, finds the same order as line after line: line
    // breaks of every kind, lines of the wrong width, empty persons, quoted persons,
    // quotes not closed, persons that come back across a part boundary.
    #[test]
    fn prop_first_pass_in_parts_agrees_with_line_by_line(
        lines in proptest::collection::vec(person_line(), 0..40),
        line_break in any_line_break(),
        final_break in any::<bool>(),
        threads in 1_usize..=4,
    ) {
        let text = file_text(&lines, line_break, final_break);
        prop_assert_eq!(
            order_in_parts(&text, threads),
            order_line_by_line(&text),
            "{:?}",
            text
        );
    }
}

/// Every block of a text as the reader hands it on and a worker splits it: whether it
/// is the orphan block, and each row's line, fields and unclosed quote; then the lines
/// the reader counted and the blank lines the workers found.
type Blocks = (
    Vec<(bool, Vec<(u64, Vec<Vec<u8>>, Option<Unclosed>)>)>,
    u64,
    u64,
);

fn blocks_read(text: &str, whole_lines: Option<usize>) -> Blocks {
    let Ok((layout, start)) = open_input(text.as_bytes()) else {
        return (Vec::new(), 0, 0);
    };
    let contiguity = Contiguity::Known(SplitPersons::default());
    let mut chunks = Vec::new();
    let lines = start
        .read(
            whole_lines.is_some(),
            whole_lines.unwrap_or(LINES_CHUNK),
            &layout,
            &contiguity,
            |chunk| {
                chunks.push(chunk);
                true
            },
        )
        .map_or(u64::MAX, |stats| stats.lines);
    let mut blocks = Vec::new();
    let mut blank = 0;
    for mut chunk in chunks {
        chunk.split_lines(&layout);
        chunk.check_utf8();
        blank += chunk.blank_lines;
        for block in &chunk.blocks {
            let rows = chunk.rows.get(block.rows.clone()).unwrap_or_default();
            let rows = rows
                .iter()
                .map(|row| {
                    let fields = (0..row.fields.len())
                        .map(|i| chunk.field(row, i).unwrap_or_default().to_vec())
                        .collect();
                    (row.line, fields, row.unclosed)
                })
                .collect();
            blocks.push((block.orphan, rows));
        }
    }
    (blocks, lines, blank)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(yibao_core::strategies::cases(256)))]
    // A field written for the outputs reads back as its value (the csv crate reading),
    // and is quoted exactly when it holds a comma, a quote or a line break.
    #[test]
    fn prop_a_csv_field_reads_back_as_written(
        value in "[a-z,\"\r\n 张]{0,12}",
        before in "[a-z]{0,3}",
    ) {
        let mut line = before.clone();
        line.push(',');
        push_csv_field(&mut line, &value);
        let needs_quotes = value.contains([',', '"', '\n', '\r']);
        prop_assert_eq!(line.len() > before.len() + 1 + value.len(), needs_quotes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        let record = reader.records().next();
        let fields: Vec<String> = match record {
            Some(Ok(record)) => record.iter().map(str::to_owned).collect(),
            other => return Err(TestCaseError::fail(format!("{other:?}"))),
        };
        prop_assert_eq!(fields, vec![before, value]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(yibao_core::strategies::cases(64)))]
    // Whole lines, cut into chunks of any size and split by the workers, give the same
    // blocks, rows, line numbers, fields, line count and blank lines as the reader that
    // looks at each line: line breaks of every kind, blank lines, lines of the wrong
    // width, empty persons, long lines, quoted fields and stray quotes.
    #[test]
    fn prop_whole_lines_are_read_as_line_by_line(
        lines in proptest::collection::vec(
            prop_oneof![
                10 => person_line(),
                1 => Just(Some("\"P,9\"".to_owned())),
                1 => Just(Some(BLANK.to_owned())),
                1 => (0_u8..3).prop_map(|p| Some(format!("L{p}{}", "x".repeat(300)))),
            ],
            0..40,
        ),
        line_break in any_line_break(),
        final_break in any::<bool>(),
        chunk_bytes in 1_usize..400,
    ) {
        let mut sorted = lines.clone();
        // The batch reads whole lines only where no person is split: group the persons.
        sorted.sort_by(|a, b| a.as_deref().unwrap_or("").cmp(b.as_deref().unwrap_or("")));
        let text = file_text(&sorted, line_break, final_break);
        prop_assert_eq!(
            blocks_read(&text, Some(chunk_bytes)),
            blocks_read(&text, None),
            "{:?}",
            text
        );
    }
}

#[test]
fn amounts_are_written_with_two_decimals_as_the_display_writes_them() {
    for fen in [0_i64, 1, 9, 10, 99, 100, 101, 12_345, 100_000_000_000_000] {
        let amount = Yuan::from_fen(fen).unwrap_or_default();
        let mut out = String::new();
        push_yuan(&mut out, amount);
        assert_eq!(out, amount.to_string(), "{fen}");
    }
}

#[test]
fn the_slot_of_a_column_is_its_place_in_the_list() {
    for (i, column) in Column::ALL.iter().enumerate() {
        assert_eq!(column.slot(), i, "{column:?}");
    }
}

#[test]
fn a_line_longer_than_the_read_buffer_is_read_whole() {
    let long = "B".repeat(READ_BUFFER + 1000);
    let lines = |persons: &[&str]| -> Vec<Option<String>> {
        persons.iter().map(|p| Some((*p).to_owned())).collect()
    };
    let ascending = file_text(&lines(&["A", &long, &long, "C"]), "\n", true);
    let descending = file_text(&lines(&["C", &long, "A"]), "\n", false);
    for threads in 1..=3 {
        assert_eq!(
            order_in_parts(&ascending, threads),
            Order::Ascending,
            "{threads}"
        );
        assert_eq!(
            order_in_parts(&descending, threads),
            Order::NotAscending,
            "{threads}"
        );
    }
}

#[test]
fn a_quoted_person_is_the_same_person_in_the_first_pass() {
    let row = "ordinary,false,2,false,2026-02-01,inpatient,2,1000";
    let text = format!("{HEADER}\n\"P1\",{row}\nP1,{row}\nP2,{row}\n");
    assert_eq!(order_in_parts(&text, 2), Order::Ascending);
    let text = format!("{HEADER}\nP2,{row}\n\"P1\",{row}\n");
    assert_eq!(order_in_parts(&text, 1), Order::NotAscending);
}

#[test]
fn a_person_coming_back_across_the_part_boundary_is_not_ascending() {
    let lines: Vec<Option<String>> = ["A", "B", "C", "D", "A"]
        .iter()
        .map(|p| Some((*p).to_owned()))
        .collect();
    let text = file_text(&lines, "\n", true);
    for threads in 1..=4 {
        assert_eq!(
            order_in_parts(&text, threads),
            Order::NotAscending,
            "{threads}"
        );
    }
    let ascending: Vec<Option<String>> = ["A", "A", "B", "B", "C"]
        .iter()
        .map(|p| Some((*p).to_owned()))
        .collect();
    let text = file_text(&ascending, "\n", true);
    for threads in 1..=4 {
        assert_eq!(
            order_in_parts(&text, threads),
            Order::Ascending,
            "{threads}"
        );
    }
}

/// Settles `input` with `options` into text: the results, the errors file and the summary
/// (the unit tests' one way of running a batch in memory).
pub(crate) fn settled_text(
    library: &yibao::policy::PolicyLibrary,
    options: &crate::BatchOptions,
    input: &[u8],
    contiguity: &Contiguity,
) -> (String, String, crate::BatchSummary) {
    let (mut output, mut errors) = (Vec::new(), Vec::new());
    let sinks = crate::Sinks {
        output: &mut output,
        errors: &mut errors,
        per_claim: None,
    };
    let summary = crate::run(library, options, input, contiguity, sinks, &mut |_| {}).unwrap();
    (
        String::from_utf8(output).unwrap(),
        String::from_utf8(errors).unwrap(),
        summary,
    )
}
