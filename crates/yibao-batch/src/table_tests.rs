//! Tests of Parquet and Arrow IPC claims files and outputs: the same figures as CSV, rows
//! numbered from 1, column types refused with why, unreadable files refused.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use arrow_array::builder::StringBuilder;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use yibao::policy::{PolicyFiles, PolicyLibrary};
use yibao_core::PolicyYear;

use crate::format::push_csv_field;
use crate::{
    BatchError, BatchOptions, BatchSummary, Contiguity, FilePath, FirstPass, Input, InputFile,
    Outputs, Sinks, TableFormat, TableReader, TableWriter, open_table,
};

const HEADER: &str = "person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount,claim_id";

fn library() -> &'static PolicyLibrary {
    static LIBRARY: OnceLock<PolicyLibrary> = OnceLock::new();
    LIBRARY.get_or_init(|| PolicyLibrary::load(&PolicyFiles::embedded()).unwrap())
}

fn options(format: TableFormat) -> BatchOptions {
    let mut options = BatchOptions::new("huaian", PolicyYear::new(2026).unwrap());
    options.threads = std::num::NonZeroUsize::new(2).unwrap();
    options.input_format = format;
    options
}

/// A scratch directory of its own for each test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yibao-tables-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A deterministic claims file: every kind, 1 to 4 claims a person, claim ids with a comma
/// and a quote (quoted in CSV), persons in ascending order unless `reversed`.
fn claims_csv(persons: usize, reversed: bool) -> String {
    let mut text = format!("{HEADER}\n");
    let kinds = [
        "inpatient,level_2",
        "general_outpatient,primary_care",
        "day_surgery,level_3",
        "special_disease,level_1",
        "inpatient,out_of_city",
    ];
    let order: Vec<usize> = if reversed {
        (0..persons).rev().collect()
    } else {
        (0..persons).collect()
    };
    for i in order {
        for k in 0..=(i % 4) {
            let claim_id = match (i + k) % 3 {
                0 => String::new(),
                1 => format!("\"C{i},{k}\""),
                _ => format!("C{i}-{k}"),
            };
            text.push_str(&format!(
                "P{i:05},{},{},{},{},2026-{:02}-{:02},{},{}.{:02},{claim_id}\n",
                if i % 9 == 0 {
                    "medical_aid_recipient"
                } else {
                    "ordinary"
                },
                i % 2 == 0,
                1 + i % 2,
                i % 5 == 0,
                1 + (i + k) % 12,
                1 + (i * 7 + k) % 28,
                kinds[(i + k) % kinds.len()],
                50 + (i * 7919 + k * 1009) % 60_000,
                (i + k) % 100
            ));
        }
    }
    text
}

/// The claims CSV as record batches of `rows` rows, each column of `types` (by name; text
/// otherwise) made with builders and cast, an empty field a null.
fn batches_of(
    text: &str,
    rows: usize,
    types: &dyn Fn(&str) -> DataType,
) -> (Arc<Schema>, Vec<RecordBatch>) {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let names: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let schema = Arc::new(Schema::new(
        names
            .iter()
            .map(|n| Field::new(n, types(n), true))
            .collect::<Vec<_>>(),
    ));
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let batches = records
        .chunks(rows)
        .map(|chunk| {
            let columns: Vec<ArrayRef> = schema
                .fields()
                .iter()
                .enumerate()
                .map(|(i, field)| {
                    let mut builder = StringBuilder::new();
                    for record in chunk {
                        match record.get(i).unwrap_or_default() {
                            "" => builder.append_null(),
                            value => builder.append_value(value),
                        }
                    }
                    let text: ArrayRef = Arc::new(builder.finish());
                    arrow_cast::cast(&text, field.data_type()).unwrap()
                })
                .collect();
            RecordBatch::try_new(schema.clone(), columns).unwrap()
        })
        .collect();
    (schema, batches)
}

/// The claims' columns typed as a warehouse would export them.
fn typed(name: &str) -> DataType {
    match name {
        "family_doctor" | "zero_claim_prev" => DataType::Boolean,
        "continuity_years" => DataType::Int32,
        "date" => DataType::Date32,
        "amount" => DataType::Decimal128(12, 2),
        "kind" => DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
        _ => DataType::Utf8,
    }
}

/// As [`typed`], with no dictionary (an Arrow IPC file holds one dictionary per column for
/// the whole file, which batches cast one by one do not share).
fn typed_plain(name: &str) -> DataType {
    match typed(name) {
        DataType::Dictionary(..) => DataType::LargeUtf8,
        other => other,
    }
}

fn all_text(_: &str) -> DataType {
    DataType::Utf8
}

/// Writes the batches as a file of `format`.
fn write_table(path: &Path, format: TableFormat, schema: &Arc<Schema>, batches: &[RecordBatch]) {
    let file = File::create(path).unwrap();
    match format {
        TableFormat::Parquet => {
            let mut writer = ArrowWriter::try_new(file, schema.clone(), None).unwrap();
            for batch in batches {
                writer.write(batch).unwrap();
            }
            writer.close().unwrap();
        }
        TableFormat::Arrow => {
            let mut writer = arrow_ipc::writer::FileWriter::try_new(file, schema).unwrap();
            for batch in batches {
                writer.write(batch).unwrap();
            }
            writer.finish().unwrap();
        }
        TableFormat::ArrowStream => {
            let mut writer = arrow_ipc::writer::StreamWriter::try_new(file, schema).unwrap();
            for batch in batches {
                writer.write(batch).unwrap();
            }
            writer.finish().unwrap();
        }
        TableFormat::Csv => unreachable!(),
    }
}

/// A run's outputs as text, with its summary.
#[derive(Debug, Default)]
struct Outcome {
    output: String,
    errors: String,
    per_claim: String,
    summary: Option<BatchSummary>,
}

fn run_stream(
    input: impl std::io::Read + Send,
    format: TableFormat,
) -> Result<Outcome, BatchError> {
    let (mut output, mut errors, mut per_claim) = (Vec::new(), Vec::new(), Vec::new());
    let sinks = Sinks {
        output: &mut output,
        errors: &mut errors,
        per_claim: Some(&mut per_claim),
    };
    let summary = crate::run(
        library(),
        &options(format),
        input,
        &Contiguity::Streaming,
        sinks,
        &mut |_| {},
    )?;
    Ok(Outcome {
        output: String::from_utf8(output).unwrap(),
        errors: String::from_utf8(errors).unwrap(),
        per_claim: String::from_utf8(per_claim).unwrap(),
        summary: Some(summary),
    })
}

/// Runs the batch over the table at `path` as typed columns ([`crate::run_table`]), and
/// again read as text through [`crate::run`]: both must give the same outputs, summary
/// aside (its times).
fn run_typed(path: &Path, format: TableFormat) -> Result<Outcome, BatchError> {
    let text = run_stream(open_table(path, format)?, format);
    let (mut output, mut errors, mut per_claim) = (Vec::new(), Vec::new(), Vec::new());
    let sinks = Sinks {
        output: &mut output,
        errors: &mut errors,
        per_claim: Some(&mut per_claim),
    };
    let typed = crate::run_table(
        library(),
        &options(format),
        open_table(path, format)?,
        &Contiguity::Streaming,
        sinks,
        &mut |_| {},
    )
    .map(|summary| Outcome {
        output: String::from_utf8(output).unwrap(),
        errors: String::from_utf8(errors).unwrap(),
        per_claim: String::from_utf8(per_claim).unwrap(),
        summary: Some(summary),
    });
    let outputs = |outcome: &Result<Outcome, BatchError>| match outcome {
        Ok(o) => Ok((o.output.clone(), o.errors.clone(), o.per_claim.clone())),
        Err(e) => Err(e.to_string()),
    };
    assert_eq!(outputs(&typed), outputs(&text), "{}", path.display());
    typed
}

/// The CSV per-claim output with its lines made rows (one less: no header line).
fn lines_as_rows(per_claim: &str) -> String {
    let mut out = String::new();
    for (i, line) in per_claim.lines().enumerate() {
        let (first, rest) = line.split_once(',').unwrap();
        if i == 0 {
            out.push_str(&format!("row,{rest}\n"));
        } else {
            out.push_str(&format!("{},{rest}\n", first.parse::<u64>().unwrap() - 1));
        }
    }
    out
}

const TABLES: [TableFormat; 3] = [
    TableFormat::Parquet,
    TableFormat::Arrow,
    TableFormat::ArrowStream,
];

#[test]
fn a_table_settles_to_the_same_figures_as_its_csv_in_every_format_and_typing() {
    let dir = scratch("same");
    let text = claims_csv(400, false);
    let csv = run_stream(text.as_bytes(), TableFormat::Csv).unwrap();
    assert!(
        csv.summary.as_ref().unwrap().persons_settled > 300,
        "{}",
        csv.errors
    );
    for format in TABLES {
        let typed: &dyn Fn(&str) -> DataType = if format == TableFormat::Arrow {
            &typed_plain
        } else {
            &typed
        };
        for (name, types) in [("typed", typed), ("text", &all_text)] {
            let (schema, batches) = batches_of(&text, 97, types);
            let path = dir.join(format!("claims-{name}.{format:?}"));
            write_table(&path, format, &schema, &batches);
            let table = run_typed(&path, format).unwrap();
            let case = format!("{format} {name}");
            assert_eq!(table.output, csv.output, "{case}");
            assert_eq!(table.per_claim, lines_as_rows(&csv.per_claim), "{case}");
            assert_eq!(table.errors, "row,person_id,column,reason\n", "{case}");
            let (t, c) = (table.summary.unwrap(), csv.summary.as_ref().unwrap());
            assert_eq!(
                (t.rows_in, t.rows_settled, t.lines_in),
                (c.rows_in, c.rows_settled, c.lines_in),
                "{case}"
            );
            assert!(t.lines_reconcile(), "{case}");
        }
    }
}

/// A table file read again for each run.
struct TablePath(PathBuf, TableFormat);

impl InputFile for TablePath {
    type Error = BatchError;
    fn path(&self) -> &Path {
        &self.0
    }
    fn open(&mut self) -> Result<Box<dyn std::io::Read + Send + '_>, BatchError> {
        Ok(Box::new(open_table(&self.0, self.1)?))
    }
}

#[derive(Default)]
struct Memory {
    output: Vec<u8>,
    errors: Vec<u8>,
}

impl Outputs for Memory {
    type Error = BatchError;
    fn open(&mut self) -> Result<Sinks<'_>, BatchError> {
        self.output.clear();
        self.errors.clear();
        Ok(Sinks {
            output: &mut self.output,
            errors: &mut self.errors,
            per_claim: None,
        })
    }
    fn rewritable(&self) -> bool {
        true
    }
}

#[test]
fn a_table_out_of_order_is_read_first_and_settled_again_like_a_csv_file() {
    let dir = scratch("restart");
    let text = claims_csv(300, true);
    let (schema, batches) = batches_of(&text, 50, &typed);
    let table = dir.join("claims.parquet");
    write_table(&table, TableFormat::Parquet, &schema, &batches);
    let csv = dir.join("claims.csv");
    std::fs::write(&csv, &text).unwrap();
    let mut results = Vec::new();
    for (input, format) in [(&csv, TableFormat::Csv), (&table, TableFormat::Parquet)] {
        let mut outputs = Memory::default();
        let done = if format.is_table() {
            let mut file = TablePath(input.clone(), format);
            crate::settle_file(
                library(),
                &options(format),
                Input::File(&mut file),
                &mut outputs,
                &mut |_| {},
            )
        } else {
            let mut file = FilePath(input);
            crate::settle_file(
                library(),
                &options(format),
                Input::File(&mut file),
                &mut outputs,
                &mut |_| {},
            )
        }
        .unwrap();
        let FirstPass::AfterDescent { line, .. } = done.first_pass else {
            panic!("{format}: {:?}", done.first_pass);
        };
        results.push((line, String::from_utf8(outputs.output).unwrap()));
    }
    // The same person out of order, at its line in CSV and at its row (one less) in Parquet.
    assert_eq!(results[0].0, results[1].0 + 1);
    assert_eq!(results[0].1, results[1].1);
}

/// Two good persons around a bad person B (a bad row, then a good one).
fn with_bad_row(bad: &str) -> String {
    format!(
        "{HEADER}
G1,ordinary,false,2,false,2026-01-05,inpatient,1,1300,
{bad}
B,ordinary,false,2,false,2026-03-01,inpatient,2,1000,
G2,aid,true,1,false,2026-12-31,day_surgery,2,1000,
"
    )
}

#[test]
fn every_bad_row_of_a_table_is_refused_at_its_row_and_its_person_held_back() {
    // (the bad row, as CSV text; the column the refusal names)
    let cases: [(&str, &str); 9] = [
        (
            "B,ordinary,false,2,false,2026-02-01,inpatient,2,abc,",
            "amount",
        ),
        (
            "B,ordinary,false,2,false,2026-02-01,inpatient,2,1.234,",
            "amount",
        ),
        (
            "B,ordinary,false,2,false,2026-02-01,inpatient,2,-5,",
            "amount",
        ),
        (
            "B,ordinary,false,2,false,2026-02-30,inpatient,2,1000,",
            "date",
        ),
        (
            "B,ordinary,false,2,false,2025-12-31,inpatient,2,1000,",
            "date",
        ),
        ("B,ordinary,false,2,false,2026-02-01,dental,2,1000,", "kind"),
        (
            "B,ordinary,false,2,false,2026-02-01,inpatient,9,1000,",
            "hospital_level",
        ),
        (
            "B,ordinary,maybe,2,false,2026-02-01,inpatient,2,1000,",
            "family_doctor",
        ),
        (
            "B,ordinary,false,2,false,2026-02-01,inpatient,2,1000,\"a\nb\"",
            "claim_id",
        ),
    ];
    let dir = scratch("bad");
    for (bad, column) in cases {
        let text = with_bad_row(bad);
        let (schema, batches) = batches_of(&text, 2, &all_text);
        let path = dir.join("claims.parquet");
        write_table(&path, TableFormat::Parquet, &schema, &batches);
        let outcome = run_typed(&path, TableFormat::Parquet).unwrap();
        let errors: Vec<&str> = outcome.errors.lines().collect();
        assert_eq!(errors.len(), 3, "{bad}: {errors:?}");
        assert!(
            errors[1].starts_with(&format!("2,B,{column},")),
            "{bad}: {errors:?}"
        );
        assert!(errors[2].starts_with("3,B,,"), "{bad}: {errors:?}");
        assert!(
            errors[2].contains("person held back: row 2 was refused (row 2: "),
            "{bad}: {errors:?}"
        );
        let persons: Vec<&str> = outcome
            .output
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap())
            .collect();
        assert_eq!(persons, ["G1", "G2"], "{bad}");
        let summary = outcome.summary.unwrap();
        assert_eq!(
            (summary.rows_in, summary.rows_settled, summary.rows_in_error),
            (4, 2, 2),
            "{bad}"
        );
        assert!(summary.lines_reconcile(), "{bad}");
    }
}

/// A schema of the required columns, text but for `changed`.
fn schema_with(changed: &str, data_type: DataType) -> Schema {
    Schema::new(
        HEADER
            .split(',')
            .map(|name| {
                let data_type = if name == changed {
                    data_type.clone()
                } else {
                    DataType::Utf8
                };
                Field::new(name, data_type, true)
            })
            .collect::<Vec<_>>(),
    )
}

#[test]
fn a_column_of_a_type_the_batch_does_not_read_is_refused_by_name_and_why() {
    // (the column, its type, what the refusal says)
    let cases = [
        ("amount", DataType::Float64, "binary floating point"),
        (
            "amount",
            DataType::Float32,
            "money is never binary floating point",
        ),
        ("amount", DataType::Decimal128(12, 3), "3 decimal places"),
        (
            "continuity_years",
            DataType::Float64,
            "binary floating point",
        ),
        ("date", DataType::Binary, "a type the batch does not read"),
        (
            "person_id",
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            "a type the batch does not read",
        ),
    ];
    for (column, data_type, why) in cases {
        let schema = schema_with(column, data_type.clone());
        let Err(error) = TableReader::new("claims.parquet", &schema, Box::new(std::iter::empty()))
        else {
            panic!("{column} {data_type} was read");
        };
        let text = error.to_string();
        assert!(matches!(error, BatchError::Header { .. }), "{text}");
        assert!(
            text.contains(&format!("column `{column}` is {data_type}")),
            "{text}"
        );
        assert!(text.contains(why), "{text}");
    }
}

#[test]
fn a_table_without_a_required_column_is_refused_as_a_csv_header_would_be() {
    let schema = Schema::new(
        HEADER
            .split(',')
            .filter(|name| *name != "amount")
            .map(|name| Field::new(name, DataType::Utf8, true))
            .collect::<Vec<_>>(),
    );
    let reader = TableReader::new("claims.parquet", &schema, Box::new(std::iter::empty())).unwrap();
    let Err(error) = run_stream(reader, TableFormat::Parquet) else {
        panic!("a table without amount ran");
    };
    assert!(matches!(error, BatchError::Header { .. }), "{error}");
    assert!(error.to_string().contains("amount"), "{error}");
}

#[test]
fn a_truncated_parquet_file_or_another_file_named_parquet_is_refused() {
    let dir = scratch("truncated");
    let (schema, batches) = batches_of(&claims_csv(50, false), 20, &typed);
    let whole = dir.join("whole.parquet");
    write_table(&whole, TableFormat::Parquet, &schema, &batches);
    let bytes = std::fs::read(&whole).unwrap();
    let cut = dir.join("cut.parquet");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let not = dir.join("not.parquet");
    std::fs::write(&not, claims_csv(5, false)).unwrap();
    let arrow = dir.join("not.arrow");
    std::fs::write(&arrow, claims_csv(5, false)).unwrap();
    for (path, format) in [
        (&cut, TableFormat::Parquet),
        (&not, TableFormat::Parquet),
        (&arrow, TableFormat::Arrow),
    ] {
        let Err(error) = open_table(path, format) else {
            panic!("{} was read", path.display());
        };
        assert!(matches!(error, BatchError::Read { .. }), "{error}");
        assert!(
            error
                .to_string()
                .contains(&format!("not a readable {format} file")),
            "{error}"
        );
    }
}

/// A table output read back as CSV text: the header, then each value as the CSV writer
/// writes it (a null empty).
fn table_as_csv(bytes: Vec<u8>, format: TableFormat) -> (String, Vec<DataType>) {
    let batches: Vec<RecordBatch> = match format {
        TableFormat::Parquet => {
            let dir = scratch(&format!("back-{}", bytes.len()));
            let path = dir.join("out.parquet");
            std::fs::write(&path, bytes).unwrap();
            ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap())
                .unwrap()
                .build()
                .unwrap()
                .map(Result::unwrap)
                .collect()
        }
        TableFormat::Arrow => {
            arrow_ipc::reader::FileReader::try_new(std::io::Cursor::new(bytes), None)
                .unwrap()
                .map(Result::unwrap)
                .collect()
        }
        _ => arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes), None)
            .unwrap()
            .map(Result::unwrap)
            .collect(),
    };
    let schema = batches[0].schema();
    let mut text = String::new();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    text.push_str(&names.join(","));
    text.push('\n');
    for batch in &batches {
        let formatters: Vec<ArrayFormatter<'_>> = batch
            .columns()
            .iter()
            .map(|a| ArrayFormatter::try_new(a.as_ref(), &FormatOptions::default()).unwrap())
            .collect();
        for row in 0..batch.num_rows() {
            for (i, (array, formatter)) in batch.columns().iter().zip(&formatters).enumerate() {
                if i > 0 {
                    text.push(',');
                }
                if !array.is_null(row) {
                    push_csv_field(&mut text, &formatter.value(row).to_string());
                }
            }
            text.push('\n');
        }
    }
    (
        text,
        schema
            .fields()
            .iter()
            .map(|f| f.data_type().clone())
            .collect(),
    )
}

#[test]
fn table_outputs_hold_the_csv_outputs_typed() {
    // C's outpatient care at level 2 is not paid in Huai'an (H11): its `not_paid` code is
    // a word, in a column whose name ends like a figure's.
    let text = with_bad_row("B,ordinary,false,2,false,2026-02-01,inpatient,2,abc,")
        + "C,ordinary,false,1,false,2026-03-01,general_outpatient,level_2,100.00,\n"
        + &claims_csv(300, false).replacen(&format!("{HEADER}\n"), "", 1);
    assert!(
        run_stream(text.as_bytes(), TableFormat::Csv)
            .unwrap()
            .per_claim
            .contains(",level_not_paid,"),
        "the file has a claim not paid"
    );
    let csv = run_stream(text.as_bytes(), TableFormat::Csv).unwrap();
    for format in TABLES {
        let mut writers = [
            TableWriter::new(Vec::new(), format),
            TableWriter::new(Vec::new(), format),
            TableWriter::new(Vec::new(), format),
        ];
        let [output, errors, per_claim] = &mut writers;
        let sinks = Sinks {
            output,
            errors,
            per_claim: Some(per_claim),
        };
        crate::run(
            library(),
            &options(TableFormat::Csv),
            text.as_bytes(),
            &Contiguity::Streaming,
            sinks,
            &mut |_| {},
        )
        .unwrap();
        let [output, errors, per_claim] = writers.map(|w| w.finish().unwrap());
        let (output, output_types) = table_as_csv(output, format);
        assert_eq!(output, csv.output, "{format}");
        assert_eq!(output_types[1], DataType::Decimal128(18, 2), "{format}");
        assert_eq!(table_as_csv(errors, format).0, csv.errors, "{format}");
        let (per_claim, types) = table_as_csv(per_claim, format);
        assert_eq!(per_claim, csv.per_claim, "{format}");
        let type_of = |column: &str| {
            let at = crate::PER_CLAIM_HEADER.split(',').position(|c| c == column);
            at.and_then(|at| types.get(at)).cloned()
        };
        assert_eq!(type_of("not_paid"), Some(DataType::Utf8), "{format}");
        assert_eq!(type_of("not_paid_reason"), Some(DataType::Utf8), "{format}");
        for money in [
            "amount",
            "basic_fund_paid",
            "eligible",
            "deductible",
            "fiscal_subsidy",
        ] {
            assert_eq!(
                type_of(money),
                Some(DataType::Decimal128(18, 2)),
                "{format} {money}"
            );
        }
        assert_eq!(
            &types[..4],
            [
                DataType::Int64,
                DataType::Utf8,
                DataType::Utf8,
                DataType::Date32
            ],
            "{format}"
        );
    }
}

#[test]
fn persons_across_batches_and_chunks_of_a_table_are_settled_whole_as_in_csv() {
    // More rows than several chunks of a table hold, in batches of an odd size: chunks are
    // cut between persons, a person's rows spanning two batches stay in one chunk.
    let dir = scratch("chunks");
    let text = claims_csv(4000, false);
    let rows = text.lines().count() - 1;
    assert!(
        rows > 2 * crate::table_read::TABLE_CHUNK_ROWS,
        "{rows} rows"
    );
    let csv = run_stream(text.as_bytes(), TableFormat::Csv).unwrap();
    let (schema, batches) = batches_of(&text, 997, &typed_plain);
    let path = dir.join("claims.arrow");
    write_table(&path, TableFormat::Arrow, &schema, &batches);
    let table = run_typed(&path, TableFormat::Arrow).unwrap();
    assert_eq!(table.output, csv.output);
    assert_eq!(table.per_claim, lines_as_rows(&csv.per_claim));
    assert_eq!(table.errors, "row,person_id,column,reason\n");
}

/// The table outputs of a run whose workers make the record batches
/// ([`crate::run_table_to`]) are the bytes of the same run converting the text on the
/// writer's thread ([`crate::run_table`] with the same writers), in every format, on one
/// worker and on two, over many chunks and several record batches of each output; and they
/// hold the outputs the batch writes as CSV.
#[test]
fn table_outputs_made_on_the_workers_are_the_bytes_of_the_text_converted_on_the_writer() {
    let dir = scratch("table-sinks");
    let text = with_bad_row("B,ordinary,false,2,false,2026-02-01,inpatient,2,abc,")
        + &claims_csv(14_000, false).replacen(&format!("{HEADER}\n"), "", 1);
    let (schema, batches) = batches_of(&text, 997, &all_text);
    let path = dir.join("claims.arrow");
    write_table(&path, TableFormat::Arrow, &schema, &batches);
    let csv = run_typed(&path, TableFormat::Arrow).unwrap();
    assert!(
        csv.per_claim.len() > 2 * crate::arrow_output::TABLE_FLUSH_BYTES,
        "several record batches of per-claim rows: {} bytes",
        csv.per_claim.len()
    );
    for threads in [1, 2] {
        let mut options = options(TableFormat::Arrow);
        options.threads = std::num::NonZeroUsize::new(threads).unwrap();
        for format in TABLES {
            let new = || [(); 3].map(|()| TableWriter::new(Vec::new(), format));
            let mut on_writer = new();
            let [output, errors, per_claim] = &mut on_writer;
            let sinks = Sinks {
                output,
                errors,
                per_claim: Some(per_claim),
            };
            let table = open_table(&path, TableFormat::Arrow).unwrap();
            crate::run_table(
                library(),
                &options,
                table,
                &Contiguity::Streaming,
                sinks,
                &mut |_| {},
            )
            .unwrap();
            let mut on_workers = new();
            let [output, errors, per_claim] = &mut on_workers;
            let sinks = crate::TableSinks {
                output,
                errors,
                per_claim: Some(per_claim),
            };
            let table = open_table(&path, TableFormat::Arrow).unwrap();
            crate::run_table_to(
                library(),
                &options,
                table,
                &Contiguity::Streaming,
                sinks,
                &mut |_| {},
            )
            .unwrap();
            let on_writer = on_writer.map(|w| w.finish().unwrap());
            let on_workers = on_workers.map(|w| w.finish().unwrap());
            assert!(on_writer == on_workers, "{format}, {threads} threads");
            let [output, errors, per_claim] = on_workers;
            assert_eq!(table_as_csv(output, format).0, csv.output, "{format}");
            assert_eq!(table_as_csv(errors, format).0, csv.errors, "{format}");
            assert_eq!(table_as_csv(per_claim, format).0, csv.per_claim, "{format}");
        }
        in_memory_batches_are_the_arrow_files(&path, &options);
    }
}

/// The record batches of a run kept in memory ([`TableWriter::in_memory`]) are those the
/// Arrow files of the same run hold, batch by batch.
fn in_memory_batches_are_the_arrow_files(path: &Path, options: &BatchOptions) {
    let run = |sinks: crate::TableSinks<'_>| {
        let table = open_table(path, TableFormat::Arrow).unwrap();
        crate::run_table_to(
            library(),
            options,
            table,
            &Contiguity::Streaming,
            sinks,
            &mut |_| {},
        )
        .unwrap();
    };
    let mut files = [(); 3].map(|()| TableWriter::new(Vec::new(), TableFormat::Arrow));
    let [output, errors, per_claim] = &mut files;
    run(crate::TableSinks {
        output,
        errors,
        per_claim: Some(per_claim),
    });
    let mut kept = [(); 3].map(|()| TableWriter::in_memory());
    let [output, errors, per_claim] = &mut kept;
    run(crate::TableSinks {
        output,
        errors,
        per_claim: Some(per_claim),
    });
    for (file, kept) in files.into_iter().zip(kept) {
        let reader = arrow_ipc::reader::FileReader::try_new(
            std::io::Cursor::new(file.finish().unwrap()),
            None,
        )
        .unwrap();
        let schema = reader.schema();
        let in_file: Vec<RecordBatch> = reader.map(Result::unwrap).collect();
        let (kept_schema, in_memory) = kept.into_batches().unwrap();
        assert_eq!(kept_schema, Some(schema));
        assert!(!in_memory.is_empty());
        assert_eq!(in_memory, in_file);
    }
}
