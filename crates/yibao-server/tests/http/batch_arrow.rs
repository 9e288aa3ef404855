//! `/v1/settle-batch` with an Arrow IPC stream: each of the batch's tables answered equals,
//! column by column, what the batch (`yibao batch`'s engine) writes for the same rows read
//! from a CSV file; a person with a bad row is held back whole and the errors are counted in
//! the headers; the refusals are error bodies.

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use yibao::core::PolicyYear;
use yibao::policy::{PolicyFiles, PolicyLibrary};
use yibao_batch::{BatchOptions, Contiguity, Sinks, TableFormat, TableWriter};

use crate::support::{Answer, TestServer};

/// Three persons; the second has a claim of an unknown kind and is held back whole (its
/// two rows in the errors).
const CLAIMS: &str = "\
person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount
P1,ordinary,false,1,false,2026-03-01,inpatient,2,10000
P1,ordinary,false,1,false,2026-09-01,inpatient,1,2500.25
P2,ordinary,true,3,false,2026-04-01,outpatient_general,1,80.50
P2,ordinary,true,3,false,2026-05-01,massage,1,80.50
P3,ordinary,false,2,true,2026-06-01,outpatient_general,1,123.40
";

/// The claims as an Arrow IPC stream of text columns, in two record batches.
fn arrow_stream(csv: &str) -> Vec<u8> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let schema = Arc::new(Schema::new(
        header
            .iter()
            .map(|name| Field::new(*name, DataType::Utf8, false))
            .collect::<Vec<_>>(),
    ));
    let mut writer = arrow_ipc::writer::StreamWriter::try_new(Vec::new(), &schema).unwrap();
    for part in rows.chunks(3) {
        let columns: Vec<ArrayRef> = (0..header.len())
            .map(|c| Arc::new(StringArray::from_iter_values(part.iter().map(|r| r[c]))) as ArrayRef)
            .collect();
        writer
            .write(&RecordBatch::try_new(Arc::clone(&schema), columns).unwrap())
            .unwrap();
    }
    writer.into_inner().unwrap()
}

/// The batches of an Arrow IPC stream, as one table of text columns.
fn as_text(bytes: &[u8]) -> RecordBatch {
    let reader =
        arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes), None).unwrap();
    let schema = reader.schema();
    let batches: Vec<RecordBatch> = reader.map(Result::unwrap).collect();
    // The columns of every batch one after the other, each value as text.
    let columns: Vec<ArrayRef> = (0..schema.fields().len())
        .map(|c| {
            let values: Vec<Option<String>> = batches
                .iter()
                .flat_map(|b| {
                    let column = b.column(c);
                    (0..column.len())
                        .map(|i| {
                            (!column.is_null(i)).then(|| {
                                arrow_cast::display::array_value_to_string(column, i).unwrap()
                            })
                        })
                        .collect::<Vec<_>>()
                })
                .collect();
            Arc::new(StringArray::from(values)) as ArrayRef
        })
        .collect();
    let text = Schema::new(
        schema
            .fields()
            .iter()
            .map(|f| Field::new(f.name(), DataType::Utf8, true))
            .collect::<Vec<_>>(),
    );
    RecordBatch::try_new(Arc::new(text), columns).unwrap()
}

/// What the batch writes for the CSV rows: (results, errors, per-claim) as Arrow streams.
fn batch_of_csv(csv: &str) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let library = PolicyLibrary::load(&PolicyFiles::embedded()).unwrap();
    let options = BatchOptions::new("huaian".to_owned(), PolicyYear::new(2026).unwrap());
    let split = yibao_batch::find_split_persons(csv.as_bytes()).unwrap();
    let writer = || TableWriter::new(Vec::new(), TableFormat::ArrowStream);
    let (mut results, mut errors, mut claims) = (writer(), writer(), writer());
    let sinks = Sinks {
        output: &mut results,
        errors: &mut errors,
        per_claim: Some(&mut claims),
    };
    yibao_batch::run(
        &library,
        &options,
        csv.as_bytes(),
        &Contiguity::Known(split),
        sinks,
        &mut |_| {},
    )
    .unwrap();
    (
        results.finish().unwrap(),
        errors.finish().unwrap(),
        claims.finish().unwrap(),
    )
}

/// A column of row or line numbers, each plus `add`.
fn numbers(column: &ArrayRef, add: u64) -> Vec<u64> {
    let text = column.as_any().downcast_ref::<StringArray>().unwrap();
    text.iter()
        .map(|n| n.unwrap().parse::<u64>().unwrap() + add)
        .collect()
}

fn post_arrow(server: &TestServer, query: &str, body: &[u8]) -> Answer {
    let mut request = format!(
        "POST /v1/settle-batch?{query} HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Type: application/vnd.apache.arrow.stream\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    server.raw(&request)
}

#[test]
fn each_table_is_the_batchs_for_the_same_rows() {
    let server = TestServer::start();
    let body = arrow_stream(CLAIMS);
    let (results, errors, claims) = batch_of_csv(CLAIMS);
    for (table, expected) in [
        ("results", &results),
        ("per_claim", &claims),
        ("errors", &errors),
    ] {
        let answer = post_arrow(
            &server,
            &format!("jurisdiction=huaian&year=2026&table={table}"),
            &body,
        );
        assert_eq!(answer.status, 200, "{table}: {}", answer.text());
        assert_eq!(
            answer.header("content-type"),
            Some("application/vnd.apache.arrow.stream")
        );
        assert_eq!(answer.header("x-yibao-persons"), Some("2"), "{table}");
        assert_eq!(
            answer.header("x-yibao-persons-with-errors"),
            Some("1"),
            "{table}"
        );
        assert_eq!(answer.header("x-yibao-error-rows"), Some("2"), "{table}");
        let (got, want) = (as_text(&answer.body), as_text(expected));
        assert!(got.num_rows() > 0, "{table}");
        // The rows are numbered as the input is: `row` from 1 in a table, `line` in a CSV
        // file (its header is line 1); every other column is the same, value by value, but
        // an error's reason, which names the row or the line.
        assert_eq!(got.num_rows(), want.num_rows(), "{table}");
        for c in 0..got.num_columns() {
            let (name, named) = (
                got.schema().field(c).name().clone(),
                want.schema().field(c).name().clone(),
            );
            match (name.as_str(), named.as_str()) {
                ("row", "line") => assert_eq!(
                    numbers(got.column(c), 1),
                    numbers(want.column(c), 0),
                    "{table}"
                ),
                ("reason", "reason") => {}
                _ => {
                    assert_eq!(name, named, "{table}");
                    assert_eq!(got.column(c), want.column(c), "{table}: {name}");
                }
            }
        }
    }
    // The results by default.
    let default = post_arrow(&server, "jurisdiction=huaian&year=2026", &body);
    assert_eq!(as_text(&default.body), as_text(&results));
}

#[test]
fn refusals_are_error_bodies() {
    let server = TestServer::start();
    let body = arrow_stream(CLAIMS);
    let mut many = CLAIMS.lines().next().unwrap().to_owned();
    for person in 1..=6 {
        many += &format!("\nQ{person},ordinary,false,1,false,2026-03-01,outpatient_general,1,10");
    }
    // Over the body limit of the tests (64 KiB), as the JSON-lines variant.
    let mut large = CLAIMS.to_owned();
    while large.len() <= 64 * 1024 {
        large += "P9,ordinary,false,1,false,2026-03-01,outpatient_general,1,10\n";
    }
    let cases: [(&str, Vec<u8>, u16, &str); 7] = [
        (
            "jurisdiction=huaian&year=2026",
            b"not arrow".to_vec(),
            422,
            "invalid_table",
        ),
        (
            "jurisdiction=huaian&year=2026",
            arrow_stream("person_id,amount\nP1,10\n"),
            422,
            "invalid_table",
        ),
        ("year=2026", body.clone(), 400, "invalid_parameter"),
        (
            "jurisdiction=nowhere&year=2026",
            body.clone(),
            400,
            "invalid_parameter",
        ),
        (
            "jurisdiction=huaian&year=2026&table=all",
            body.clone(),
            400,
            "invalid_parameter",
        ),
        (
            "jurisdiction=huaian&year=2026",
            arrow_stream(&many),
            413,
            "too_many_persons",
        ),
        (
            "jurisdiction=huaian&year=2026",
            arrow_stream(&large),
            413,
            "body_too_large",
        ),
    ];
    for (query, body, status, code) in cases {
        let answer = post_arrow(&server, query, &body);
        assert_eq!(answer.status, status, "{query}: {}", answer.text());
        assert_eq!(answer.error_code(), code, "{query}");
    }
}
