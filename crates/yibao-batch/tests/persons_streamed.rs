//! The persons table read beside the claims (both in ascending order of `person_id`):
//! the same results as the table read whole, the persons with no claims in person order,
//! wherever the chunks of claims are cut; a table out of order read whole, as before.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::num::NonZeroUsize;
use std::sync::Arc;

use yibao::core::PolicyYear;
use yibao_batch::{
    self as batch, BatchOptions, BatchSummary, Contiguity, InMemoryBecause, PersonsJoin,
    PersonsTable, Sinks, TableFormat,
};

const CLAIMS_HEADER: &str = "person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount";

/// A claims file of one inpatient stay for each of `persons`, two for `B`.
fn claims(persons: &[&str]) -> String {
    let mut text = format!("{CLAIMS_HEADER}\n");
    for (n, person) in persons.iter().enumerate() {
        let stays = if *person == "B" { 2 } else { 1 };
        for stay in 0..stays {
            text.push_str(&format!(
                "{person},ordinary,false,1,false,2026-0{}-1{stay},inpatient,level_2,{}\n",
                1 + n % 9,
                1000 + 100 * n
            ));
        }
    }
    text
}

/// A persons table of `rows` (id, born), a payment for 2026 each.
fn persons(rows: &[(&str, &str)]) -> String {
    let mut text = "person_id,born,enrolment\n".to_owned();
    for (id, born) in rows {
        text.push_str(&format!("{id},{born},2025-12-01 payment 2026\n"));
    }
    text
}

struct Outcome {
    output: String,
    errors: String,
    summary: BatchSummary,
}

/// How a run reads the two tables.
#[derive(Clone, Copy, Debug)]
enum Join {
    /// The persons table read from text into memory, the claims read as a stream.
    Whole,
    /// The persons table opened from a file, the claims presumed to ascend, cut into
    /// chunks of about `block` bytes, settled by `threads` workers.
    File { block: usize, threads: usize },
}

fn run(claims: &str, persons: &str, join: Join) -> Outcome {
    let mut options = BatchOptions::new("huaian", PolicyYear::new(2026).unwrap());
    let path = common::temp_file("csv");
    let contiguity = match join {
        Join::Whole => {
            let table = PersonsTable::read("persons.csv", persons.as_bytes()).unwrap();
            options.persons = Some(batch::PersonsTableRef(Arc::new(table)));
            Contiguity::Streaming
        }
        Join::File { block, threads } => {
            std::fs::write(&path, persons).unwrap();
            let table = PersonsTable::open(&path, TableFormat::Csv).unwrap();
            options.persons = Some(batch::PersonsTableRef(Arc::new(table)));
            options.block_bytes = NonZeroUsize::new(block).unwrap();
            options.threads = NonZeroUsize::new(threads).unwrap();
            Contiguity::Ascending
        }
    };
    let (mut output, mut errors) = (Vec::new(), Vec::new());
    let summary = batch::run(
        &common::library(),
        &options,
        claims.as_bytes(),
        &contiguity,
        Sinks {
            output: &mut output,
            errors: &mut errors,
            per_claim: None,
        },
        &mut |_| {},
    );
    let _ = std::fs::remove_file(&path);
    // The table's name in the reasons: its path, or the name it was read under.
    let errors = String::from_utf8(errors).unwrap();
    Outcome {
        output: String::from_utf8(output).unwrap(),
        errors: errors.replace(&path.display().to_string(), "persons.csv"),
        summary: summary.unwrap(),
    }
}

/// The lines of a text after its header, sorted.
fn sorted(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().skip(1).collect();
    lines.sort_unstable();
    lines
}

/// The persons of the output, in its order.
fn persons_of(output: &str) -> Vec<&str> {
    output
        .lines()
        .skip(1)
        .filter_map(|line| line.split(',').next())
        .collect()
}

/// Chunks of every size: a person each (1 byte: cut at the first person boundary), a few
/// persons, all at once; one worker and two.
const FILE_JOINS: [Join; 4] = [
    Join::File {
        block: 1,
        threads: 1,
    },
    Join::File {
        block: 1,
        threads: 2,
    },
    Join::File {
        block: 250,
        threads: 2,
    },
    Join::File {
        block: 1 << 18,
        threads: 2,
    },
];

/// Runs `claims` and `persons` read whole and read beside the claims (every chunk size),
/// checks that they agree (sorted: the order of the persons with no claims differs) and
/// returns the runs beside the claims.
fn agree(claims: &str, persons: &str) -> Vec<Outcome> {
    let whole = run(claims, persons, Join::Whole);
    FILE_JOINS
        .iter()
        .map(|join| {
            let file = run(claims, persons, *join);
            assert_eq!(sorted(&file.output), sorted(&whole.output), "{join:?}");
            assert_eq!(sorted(&file.errors), sorted(&whole.errors), "{join:?}");
            let (a, b) = (
                file.summary.persons_table.unwrap(),
                whole.summary.persons_table.unwrap(),
            );
            assert_eq!(
                (a.rows_in, a.rows_in_error, a.persons_without_claims),
                (b.rows_in, b.rows_in_error, b.persons_without_claims),
                "{join:?}"
            );
            assert_eq!(file.summary.persons_settled, whole.summary.persons_settled);
            assert_eq!(file.summary.rows_in_error, whole.summary.rows_in_error);
            assert!(file.summary.money_reconciles());
            file
        })
        .collect()
}

#[test]
fn persons_with_no_claims_are_settled_in_person_order_wherever_the_chunks_are_cut() {
    // No claims: A at the start, C between, E and F together between (a chunk boundary
    // falls among them with chunks of one person), H at the end.
    let claims = claims(&["B", "D", "G"]);
    let table = persons(&[
        ("A", "1950-01-01"),
        ("B", "1960-01-01"),
        ("C", "1970-01-01"),
        ("D", "1980-01-01"),
        ("E", "1990-01-01"),
        ("F", "2000-01-01"),
        ("G", "2010-01-01"),
        ("H", "2020-01-01"),
    ]);
    let whole = run(&claims, &table, Join::Whole);
    assert_eq!(
        persons_of(&whole.output),
        ["B", "D", "G", "A", "C", "E", "F", "H"],
        "read whole: the persons with no claims after the claims"
    );
    let counts = whole.summary.persons_table.unwrap();
    assert_eq!(counts.join, PersonsJoin::InMemory);
    assert_eq!(
        counts.in_memory_because,
        Some(InMemoryBecause::ReadFromStream)
    );
    for file in agree(&claims, &table) {
        assert_eq!(
            persons_of(&file.output),
            ["A", "B", "C", "D", "E", "F", "G", "H"]
        );
        let counts = file.summary.persons_table.unwrap();
        assert_eq!(counts.join, PersonsJoin::Streamed);
        assert_eq!(counts.in_memory_because, None);
        assert_eq!(counts.persons_without_claims, 5);
    }
}

#[test]
fn a_table_with_only_persons_without_claims_or_no_claims_at_all_streams() {
    let many: Vec<String> = (0..2500).map(|n| format!("P{n:05}")).collect();
    let rows: Vec<(&str, &str)> = many.iter().map(|id| (id.as_str(), "1980-05-05")).collect();
    let table = persons(&rows);
    // No claims at all: the table in chunks of its own, in order.
    for file in agree(&format!("{CLAIMS_HEADER}\n"), &table) {
        assert_eq!(persons_of(&file.output), many);
    }
    // One person with claims in the middle.
    for file in agree(&claims(&["P01200"]), &table) {
        assert_eq!(persons_of(&file.output), many);
    }
}

#[test]
fn bad_rows_and_missing_persons_are_refused_as_when_the_table_is_read_whole() {
    // B's row is refused (B held back), D is missing from the table (held back), E's
    // claims are refused (their row goes to the errors), F has an empty id (refused on its
    // own), G has too few fields.
    let mut claims = claims(&["A", "B", "C", "D", "E", "H"]);
    claims = claims.replace("E,ordinary,false,1,false", "E,ordinary,maybe,1,false");
    let table = "person_id,born,enrolment
A,1950-01-01,2025-12-01 payment 2026
B,19xx-01-01,2025-12-01 payment 2026
C,1970-01-01,2025-12-01 payment 2026
E,1990-01-01,2025-12-01 payment 2026
,2000-01-01,2025-12-01 payment 2026
G,2000-01-01
H,2000-01-01,2025-12-01 payment 2026
";
    let runs = agree(&claims, table);
    let errors = &runs[0].errors;
    for expected in [
        "persons table persons",
        "born",
        "is not in the persons table",
        "person held back: their claims were refused",
        "malformed row: 2 fields where the header has 3",
        "`person_id` is empty",
    ] {
        assert!(errors.contains(expected), "{expected}: {errors}");
    }
    for file in &runs {
        assert_eq!(persons_of(&file.output), ["A", "C", "H"], "{}", file.errors);
    }
}

#[test]
fn a_table_out_of_order_or_with_a_person_twice_is_read_whole_as_before() {
    let claims = claims(&["A", "B", "C"]);
    let out_of_order = persons(&[
        ("B", "1960-01-01"),
        ("A", "1950-01-01"),
        ("C", "1970-01-01"),
    ]);
    let twice = persons(&[
        ("A", "1950-01-01"),
        ("B", "1960-01-01"),
        ("B", "1961-01-01"),
    ]);
    for (table, error) in [(&out_of_order, None), (&twice, Some("appears twice"))] {
        let whole = run(&claims, table, Join::Whole);
        for join in FILE_JOINS {
            let file = run(&claims, table, join);
            // Read whole: the same outputs in the same order.
            assert_eq!(file.output, whole.output);
            assert_eq!(file.errors, whole.errors);
            let counts = file.summary.persons_table.unwrap();
            assert_eq!(counts.join, PersonsJoin::InMemory);
            assert_eq!(
                counts.in_memory_because,
                Some(InMemoryBecause::TableNotAscending)
            );
        }
        if let Some(error) = error {
            assert!(whole.errors.contains(error), "{}", whole.errors);
        }
    }
}

#[test]
fn claims_out_of_order_read_a_sorted_table_whole() {
    // B before A: a stream is not known to ascend, so the sorted table is read whole.
    let claims = claims(&["B", "A"]);
    let table = persons(&[("A", "1950-01-01"), ("B", "1960-01-01")]);
    let path = common::temp_file("csv");
    std::fs::write(&path, &table).unwrap();
    let mut options = BatchOptions::new("huaian", PolicyYear::new(2026).unwrap());
    let opened = PersonsTable::open(&path, TableFormat::Csv).unwrap();
    options.persons = Some(batch::PersonsTableRef(Arc::new(opened)));
    let (mut output, mut errors) = (Vec::new(), Vec::new());
    let summary = batch::run(
        &common::library(),
        &options,
        claims.as_bytes(),
        &Contiguity::Streaming,
        Sinks {
            output: &mut output,
            errors: &mut errors,
            per_claim: None,
        },
        &mut |_| {},
    );
    // Presumed to ascend, they do not: the batch stops (a caller settles again).
    let presumed = batch::run(
        &common::library(),
        &options,
        claims.as_bytes(),
        &Contiguity::Ascending,
        Sinks {
            output: &mut Vec::new(),
            errors: &mut Vec::new(),
            per_claim: None,
        },
        &mut |_| {},
    );
    std::fs::remove_file(&path).unwrap();
    let counts = summary.unwrap().persons_table.unwrap();
    assert_eq!(counts.join, PersonsJoin::InMemory);
    assert_eq!(
        counts.in_memory_because,
        Some(InMemoryBecause::ClaimsNotAscending)
    );
    assert_eq!(persons_of(&String::from_utf8(output).unwrap()), ["B", "A"]);
    assert!(matches!(
        presumed,
        Err(batch::BatchError::NotAscending { .. })
    ));
}
