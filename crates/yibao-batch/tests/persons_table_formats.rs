//! The persons table as a Parquet or an Arrow IPC file, typed (`born` a `Date32`,
//! `family_doctor` a boolean, `consecutive_years` a whole number, the rest text): the same
//! results as the CSV table, and every fault (a bad row, a person twice, a person without
//! claims, claims without a person) reported as the CSV table reports it, its position a
//! `row` counted from 1.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Date32Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, Float64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use yibao::core::PolicyYear;
use yibao_batch::{
    self as batch, BatchError, BatchOptions, BatchSummary, Contiguity, PersonsTable, Sinks,
    TableFormat,
};

use common::records;

/// One row of the persons table: id, born (`YYYY-MM-DD`), family doctor, consecutive
/// years, enrolment.
type Person = (
    &'static str,
    &'static str,
    Option<bool>,
    Option<i64>,
    &'static str,
);

const GOOD: Person = (
    "",
    "1980-06-01",
    Some(false),
    Some(1),
    "2025-12-01 payment 2026",
);

fn person(id: &'static str) -> Person {
    (id, GOOD.1, GOOD.2, GOOD.3, GOOD.4)
}

const CLAIMS: &str = "person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount
A,ordinary,false,1,false,2026-03-01,inpatient,level_2,1000
B,ordinary,false,1,false,2026-03-02,inpatient,level_2,1000
B,ordinary,false,1,false,2026-04-02,inpatient,level_2,1000
C,ordinary,false,1,false,2026-05-01,inpatient,level_2,1000
";

fn temp_path(extension: &str) -> PathBuf {
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!(
        "yibao-persons-{}-{call}.{extension}",
        std::process::id()
    ))
}

fn days_since_epoch(date: &str) -> i32 {
    let day = yibao::core::parse_date(date).unwrap();
    let epoch = yibao::core::parse_date("1970-01-01").unwrap();
    i32::try_from((day - epoch).num_days()).unwrap()
}

/// The persons as one typed record batch.
fn typed_batch(persons: &[Person]) -> RecordBatch {
    let schema = Arc::new(Schema::new(vec![
        Field::new("person_id", DataType::Utf8, true),
        Field::new("born", DataType::Date32, true),
        Field::new("family_doctor", DataType::Boolean, true),
        Field::new("consecutive_years", DataType::Int64, true),
        Field::new("enrolment", DataType::Utf8, true),
    ]));
    let (mut id, mut born, mut doctor, mut years, mut enrolment) = (
        StringBuilder::new(),
        Date32Builder::new(),
        BooleanBuilder::new(),
        Int64Builder::new(),
        StringBuilder::new(),
    );
    for (i, b, d, y, e) in persons {
        id.append_value(i);
        born.append_value(days_since_epoch(b));
        doctor.append_option(*d);
        years.append_option(*y);
        enrolment.append_value(e);
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(id.finish()),
        Arc::new(born.finish()),
        Arc::new(doctor.finish()),
        Arc::new(years.finish()),
        Arc::new(enrolment.finish()),
    ];
    RecordBatch::try_new(schema, columns).unwrap()
}

/// Writes `batches` as a file of `format` (Parquet or Arrow IPC); its path.
fn write_table(format: TableFormat, batches: &[RecordBatch]) -> PathBuf {
    let extension = if format == TableFormat::Parquet {
        "parquet"
    } else {
        "arrow"
    };
    let path = temp_path(extension);
    let file = std::fs::File::create(&path).unwrap();
    let schema = batches[0].schema();
    if format == TableFormat::Parquet {
        let mut writer = parquet::arrow::ArrowWriter::try_new(file, schema, None).unwrap();
        batches.iter().for_each(|b| writer.write(b).unwrap());
        writer.close().unwrap();
    } else {
        let mut writer = arrow_ipc::writer::FileWriter::try_new(file, &schema).unwrap();
        batches.iter().for_each(|b| writer.write(b).unwrap());
        writer.finish().unwrap();
    }
    path
}

/// The persons table as CSV, the same rows.
fn csv_table(persons: &[Person]) -> PathBuf {
    let path = temp_path("csv");
    let mut text = "person_id,born,family_doctor,consecutive_years,enrolment\n".to_owned();
    for (i, b, d, y, e) in persons {
        let d = d.map_or(String::new(), |d| d.to_string());
        let y = y.map_or(String::new(), |y| y.to_string());
        text.push_str(&format!("{i},{b},{d},{y},{e}\n"));
    }
    std::fs::write(&path, text).unwrap();
    path
}

struct Outcome {
    output: String,
    errors: String,
    summary: BatchSummary,
}

/// The batch over [`CLAIMS`] joined to the persons table at `path`.
fn run(path: &Path, format: TableFormat) -> Result<Outcome, BatchError> {
    // A CSV table whose persons ascend is read again during the run: the file is removed
    // after it.
    let table = PersonsTable::open(path, format);
    let mut options = BatchOptions::new("huaian", PolicyYear::new(2026).unwrap());
    let table = table.inspect_err(|_| std::fs::remove_file(path).unwrap())?;
    options.persons = Some(batch::PersonsTableRef(Arc::new(table)));
    let (mut output, mut errors) = (Vec::new(), Vec::new());
    let summary = batch::run(
        &common::library(),
        &options,
        CLAIMS.as_bytes(),
        &Contiguity::Streaming,
        Sinks {
            output: &mut output,
            errors: &mut errors,
            per_claim: None,
        },
        &mut |_| {},
    );
    std::fs::remove_file(path).unwrap();
    let summary = summary?;
    Ok(Outcome {
        output: String::from_utf8(output).unwrap(),
        errors: String::from_utf8(errors).unwrap(),
        summary,
    })
}

fn table_formats() -> [TableFormat; 2] {
    [TableFormat::Parquet, TableFormat::Arrow]
}

#[test]
fn a_typed_persons_table_settles_as_the_csv_table() {
    let persons = [person("A"), person("B"), person("C")];
    let csv = run(&csv_table(&persons), TableFormat::Csv).unwrap();
    assert_eq!(csv.summary.rows_in_error, 0, "{}", csv.errors);
    for format in table_formats() {
        // Two batches: the rows are numbered across them.
        let path = write_table(
            format,
            &[typed_batch(&persons[..1]), typed_batch(&persons[1..])],
        );
        let typed = run(&path, format).unwrap();
        assert_eq!(typed.output, csv.output, "{format}");
        assert_eq!(typed.errors, csv.errors, "{format}");
        // The same counts; the join says why each table is in memory.
        let (typed, csv) = (
            typed.summary.persons_table.unwrap(),
            csv.summary.persons_table.unwrap(),
        );
        assert_eq!(
            (
                typed.rows_in,
                typed.rows_in_error,
                typed.persons_without_claims
            ),
            (csv.rows_in, csv.rows_in_error, csv.persons_without_claims)
        );
        assert_eq!(typed.join, batch::PersonsJoin::InMemory);
        assert_eq!(
            typed.in_memory_because,
            Some(batch::InMemoryBecause::TypedTable)
        );
        // Claims read as a stream are not known to ascend: a sorted CSV table is read whole.
        assert_eq!(
            csv.in_memory_because,
            Some(batch::InMemoryBecause::ClaimsNotAscending)
        );
    }
}

/// A fault of the persons table: its rows, then per error row of the output (line, person,
/// column, a part of the reason), and the summary's (rows in error, persons with errors,
/// table rows in error, persons without claims).
struct Fault {
    name: &'static str,
    persons: &'static [Person],
    errors: &'static [(&'static str, &'static str, &'static str, &'static str)],
    counts: (u64, u64, u64, u64),
}

const BAD_ENROLMENT: Person = (
    "B",
    "1980-06-01",
    Some(false),
    Some(1),
    "2025-12-01 paid 2026",
);
const B_DOCTOR: Person = (
    "B",
    "1980-06-01",
    Some(true),
    Some(1),
    "2025-12-01 payment 2026",
);

const FAULTS: &[Fault] = &[
    Fault {
        name: "a bad row",
        persons: &[
            ("A", GOOD.1, GOOD.2, GOOD.3, GOOD.4),
            BAD_ENROLMENT,
            ("C", GOOD.1, GOOD.2, GOOD.3, GOOD.4),
        ],
        errors: &[
            ("3", "B", "", "row 2 of the persons table"),
            (
                "4",
                "B",
                "",
                "enrolment: `paid` is not a value of `enrolment`",
            ),
            ("2", "B", "enrolment", "persons table PATH, row 2: `paid`"),
        ],
        counts: (2, 1, 1, 0),
    },
    Fault {
        name: "a disagreement with the claims",
        persons: &[
            ("A", GOOD.1, GOOD.2, GOOD.3, GOOD.4),
            B_DOCTOR,
            ("C", GOOD.1, GOOD.2, GOOD.3, GOOD.4),
        ],
        errors: &[
            (
                "3",
                "B",
                "family_doctor",
                "says `family_doctor` = `true` on its row 2",
            ),
            ("4", "B", "family_doctor", "on its row 2; they must agree"),
            ("2", "B", "", "persons table PATH, row 2: person held back"),
        ],
        counts: (2, 1, 1, 0),
    },
    Fault {
        name: "a person twice",
        persons: &[
            ("A", GOOD.1, GOOD.2, GOOD.3, GOOD.4),
            ("B", GOOD.1, GOOD.2, GOOD.3, GOOD.4),
            ("C", GOOD.1, GOOD.2, GOOD.3, GOOD.4),
            ("B", GOOD.1, GOOD.2, GOOD.3, GOOD.4),
        ],
        errors: &[
            (
                "3",
                "B",
                "",
                "appears twice in the persons table (rows 2 and 4)",
            ),
            ("4", "B", "", "row 2 of the persons table"),
            (
                "4",
                "B",
                "person_id",
                "persons table PATH, row 4: person `B` appears twice",
            ),
            (
                "2",
                "B",
                "person_id",
                "persons table PATH, row 2: person `B` appears twice",
            ),
        ],
        counts: (2, 1, 2, 0),
    },
    Fault {
        name: "a person without claims and claims without a person",
        persons: &[
            ("A", GOOD.1, GOOD.2, GOOD.3, GOOD.4),
            ("C", GOOD.1, GOOD.2, GOOD.3, GOOD.4),
            ("E", GOOD.1, GOOD.2, GOOD.3, GOOD.4),
        ],
        errors: &[
            (
                "3",
                "B",
                "person_id",
                "person `B` is not in the persons table PATH",
            ),
            (
                "4",
                "B",
                "person_id",
                "person `B` is not in the persons table PATH",
            ),
        ],
        counts: (2, 1, 0, 1),
    },
];

#[test]
fn every_fault_of_a_typed_persons_table_is_reported_with_its_row() {
    for fault in FAULTS {
        for format in table_formats() {
            let path = write_table(format, &[typed_batch(fault.persons)]);
            let name = path.display().to_string();
            let context = format!("{} in {format}", fault.name);
            let outcome = run(&path, format).unwrap();
            let errors = records(&outcome.errors);
            assert_eq!(
                errors.len(),
                fault.errors.len(),
                "{context}: {}",
                outcome.errors
            );
            for (error, (line, id, column, reason)) in errors.iter().zip(fault.errors) {
                let reason = reason.replace("PATH", &name);
                assert_eq!(
                    (error["line"].as_str(), error["person_id"].as_str()),
                    (*line, *id),
                    "{context}: {}",
                    outcome.errors
                );
                assert_eq!(error["column"], *column, "{context}: {}", outcome.errors);
                assert!(
                    error["reason"].contains(&reason),
                    "{context}: {reason} not in {}",
                    outcome.errors
                );
            }
            let summary = &outcome.summary;
            let table = summary.persons_table.unwrap();
            assert_eq!(
                (
                    summary.rows_in_error,
                    summary.persons_with_errors,
                    table.rows_in_error,
                    table.persons_without_claims
                ),
                fault.counts,
                "{context}"
            );
            assert_eq!(table.rows_in, fault.persons.len() as u64, "{context}");
            let settled: Vec<String> = records(&outcome.output)
                .into_iter()
                .map(|r| r["person_id"].clone())
                .collect();
            assert!(!settled.contains(&"B".to_owned()), "{context}: {settled:?}");
            assert!(
                summary.lines_reconcile() && summary.money_reconciles(),
                "{context}"
            );
        }
    }
}

#[test]
fn a_column_of_a_type_not_read_or_not_known_makes_the_table_unusable() {
    let good = typed_batch(&[person("A")]);
    let floats = Arc::new(Float64Array::from(vec![1.0])) as ArrayRef;
    let cases: [(&str, &str); 2] = [
        (
            "consecutive_years",
            "column `consecutive_years` is of type Float64",
        ),
        ("years", "unknown column `years`"),
    ];
    for (column, message) in cases {
        for format in table_formats() {
            let mut fields: Vec<Field> = vec![good.schema().field(0).clone()];
            fields.push(Field::new(column, DataType::Float64, true));
            let batch = RecordBatch::try_new(
                Arc::new(Schema::new(fields)),
                vec![good.column(0).clone(), floats.clone()],
            )
            .unwrap();
            let path = write_table(format, &[batch]);
            let Err(error) = run(&path, format) else {
                panic!("{column} in {format}: accepted");
            };
            let text = error.to_string();
            assert!(matches!(error, BatchError::PersonsTable { .. }), "{text}");
            assert!(text.contains(message), "{format}: {text}");
        }
    }
}

#[test]
fn a_file_that_is_not_of_its_format_is_refused_naming_the_format() {
    for format in table_formats() {
        let path = temp_path("bin");
        std::fs::write(&path, "person_id\nA\n").unwrap();
        let Err(error) = run(&path, format) else {
            panic!("{format}: accepted");
        };
        assert!(
            error
                .to_string()
                .contains(&format!("not a readable {format} file")),
            "{error}"
        );
    }
}
