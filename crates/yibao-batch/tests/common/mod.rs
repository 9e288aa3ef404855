//! What the model tests share: a claims table written from scenarios, a batch run over it in
//! a given input format, and the comparison of its outputs with the one-stop settlement.

#![allow(dead_code)] // each test file uses its part

use std::collections::BTreeMap;

use yibao::core::PolicyYear;
use yibao::policy::{PolicyFiles, PolicyLibrary};
use yibao::scenario::{ClaimInput, Scenario};
use yibao::settle::{CatastrophicPart, SettlementReport, settle};
use yibao_batch::{self as batch, BatchOptions, BatchSummary, Contiguity, Sinks};

/// Every column of the claims table, in the order [`claim_rows`] writes them.
pub const COLUMNS: [&str; 28] = [
    "person_id",
    "category",
    "family_doctor",
    "continuity_years",
    "zero_claim_prev",
    "date",
    "kind",
    "hospital_level",
    "amount",
    "consultation_fee",
    "disease_class",
    "catalogue",
    "group",
    "claim_id",
    "two_disease",
    "province",
    "emergency_outcome",
    "designation",
    "accident",
    "exclusions",
    "place",
    "remote_care",
    "circumstance",
    "connection",
    "class_a",
    "class_b",
    "class_c",
    "class_b_personal_share",
];

/// The input formats a batch reads; a new one is one more variant and one more arm of
/// [`run_batch`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    Csv,
    /// A Parquet file of text columns, as a warehouse export of the same table, read as
    /// typed columns.
    Parquet,
}

/// A table: its rows of fields by column name.
pub type Table = Vec<BTreeMap<&'static str, String>>;

/// What a batch wrote.
pub struct Outcome {
    pub output: String,
    pub errors: String,
    pub per_claim: String,
    pub summary: BatchSummary,
}

pub fn library() -> PolicyLibrary {
    PolicyLibrary::load(&PolicyFiles::embedded()).unwrap()
}

/// The CSV text of a table, with every column of [`COLUMNS`].
pub fn csv_text(columns: &[&'static str], table: &Table) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(columns).unwrap();
    for row in table {
        let fields: Vec<&str> = columns
            .iter()
            .map(|c| row.get(c).map_or("", String::as_str))
            .collect();
        writer.write_record(&fields).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

/// How a test gives the batch its persons table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonsGiven {
    /// Read from text ([`batch::PersonsTable::read`]), the claims read as a stream: the
    /// table in memory.
    Read,
    /// A CSV file in ascending order of `person_id`, opened
    /// ([`batch::PersonsTable::open`]), the claims presumed to ascend
    /// ([`Contiguity::Ascending`]) and cut into small chunks: the table read beside the
    /// claims.
    Sorted,
    /// The same file with its rows in descending order: the table read whole.
    Shuffled,
}

/// Runs the batch over the claims table (and, when given, the persons table) written in
/// `format`, with two workers and the per-claim output.
pub fn run_batch(
    format: InputFormat,
    jurisdiction: &str,
    year: PolicyYear,
    claims: &Table,
    persons: Option<&Table>,
) -> Result<Outcome, batch::BatchError> {
    run_batch_with(
        format,
        jurisdiction,
        year,
        claims,
        persons,
        PersonsGiven::Read,
    )
}

/// A unique path in the temporary folder ending in `extension`.
pub fn temp_file(extension: &str) -> std::path::PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!(
        "yibao-persons-{}-{n}.{extension}",
        std::process::id()
    ))
}

/// [`run_batch`] with the persons table given as `given` says.
pub fn run_batch_with(
    format: InputFormat,
    jurisdiction: &str,
    year: PolicyYear,
    claims: &Table,
    persons: Option<&Table>,
    given: PersonsGiven,
) -> Result<Outcome, batch::BatchError> {
    let input_text = csv_text(&COLUMNS, claims);
    let mut options = BatchOptions::new(jurisdiction, year);
    let mut contiguity = Contiguity::Streaming;
    let mut persons_file = None;
    if let Some(persons) = persons {
        let mut rows = persons.clone();
        rows.sort_by(|a, b| a.get("person_id").cmp(&b.get("person_id")));
        if given == PersonsGiven::Shuffled {
            rows.reverse();
        }
        let text = csv_text(&batch::PERSONS_COLUMNS, &rows);
        let table = match given {
            PersonsGiven::Read => {
                let text = csv_text(&batch::PERSONS_COLUMNS, persons);
                batch::PersonsTable::read("persons.csv", text.as_bytes())?
            }
            PersonsGiven::Sorted | PersonsGiven::Shuffled => {
                contiguity = Contiguity::Ascending;
                options.block_bytes = std::num::NonZeroUsize::new(200).unwrap();
                let path = temp_file("csv");
                std::fs::write(&path, text).unwrap();
                let table = batch::PersonsTable::open(&path, batch::TableFormat::Csv);
                persons_file = Some(path);
                table?
            }
        };
        options.persons = Some(batch::PersonsTableRef(std::sync::Arc::new(table)));
    }
    // A CSV file is read as text, a Parquet file as typed columns.
    let mut table = None;
    let input_text = match format {
        InputFormat::Csv => input_text,
        InputFormat::Parquet => {
            let path = parquet_file(&input_text);
            options.input_format = batch::TableFormat::Parquet;
            table = Some(batch::open_table(&path, batch::TableFormat::Parquet)?);
            let _ = std::fs::remove_file(&path); // open: the reader keeps the file
            String::new()
        }
    };
    options.threads = std::num::NonZeroUsize::new(2).unwrap();
    let (mut output, mut errors, mut per_claim) = (Vec::new(), Vec::new(), Vec::new());
    let sinks = Sinks {
        output: &mut output,
        errors: &mut errors,
        per_claim: Some(&mut per_claim),
    };
    let library = library();
    let summary = match table {
        Some(table) => batch::run_table(&library, &options, table, &contiguity, sinks, &mut |_| {}),
        None => batch::run(
            &library,
            &options,
            input_text.as_bytes(),
            &contiguity,
            sinks,
            &mut |_| {},
        ),
    };
    if let Some(path) = persons_file {
        let _ = std::fs::remove_file(path);
    }
    let summary = summary?;
    Ok(Outcome {
        output: String::from_utf8(output).unwrap(),
        errors: String::from_utf8(errors).unwrap(),
        per_claim: String::from_utf8(per_claim).unwrap(),
        summary,
    })
}

/// A CSV text written as a Parquet file of text columns (an empty field a null), in row
/// groups of 50 rows so that persons cross batches; its path, unique to the call.
fn parquet_file(csv: &str) -> std::path::PathBuf {
    use arrow_array::{ArrayRef, RecordBatch, builder::StringBuilder};
    use arrow_schema::{DataType, Field, Schema};
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!(
        "yibao-full-model-{}-{call}.parquet",
        std::process::id()
    ));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let names: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let schema = std::sync::Arc::new(Schema::new(
        names
            .iter()
            .map(|n| Field::new(n, DataType::Utf8, true))
            .collect::<Vec<_>>(),
    ));
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let file = std::fs::File::create(&path).unwrap();
    let mut writer = parquet::arrow::ArrowWriter::try_new(file, schema.clone(), None).unwrap();
    for chunk in records.chunks(50) {
        let columns: Vec<ArrayRef> = (0..names.len())
            .map(|i| {
                let mut builder = StringBuilder::new();
                for record in chunk {
                    match record.get(i).unwrap_or_default() {
                        "" => builder.append_null(),
                        value => builder.append_value(value),
                    }
                }
                std::sync::Arc::new(builder.finish()) as ArrayRef
            })
            .collect();
        writer
            .write(&RecordBatch::try_new(schema.clone(), columns).unwrap())
            .unwrap();
    }
    writer.close().unwrap();
    path
}

/// The line of the claims file a per-claim or errors row names: its `line` (CSV), or its
/// `row` plus the header line (a table).
pub fn line_of(row: &BTreeMap<String, String>) -> usize {
    match (row.get("line"), row.get("row")) {
        (Some(line), _) => line.parse().unwrap(),
        (None, Some(row)) => row.parse::<usize>().unwrap() + 1,
        (None, None) => panic!("no line or row: {row:?}"),
    }
}

/// A domain value's word, as a scenario writes it.
pub fn word<T: serde::Serialize>(value: &T) -> String {
    match toml::Value::try_from(value).unwrap() {
        toml::Value::String(text) => text,
        other => panic!("not a word: {other:?}"),
    }
}

/// The claims-table rows of any scenario, with its persons-table row: the person columns of
/// the claims agree with the persons table.
pub fn both_tables(scenario: &Scenario) -> (Table, Table) {
    let person = &scenario.person;
    let id = person.id.clone().unwrap_or("P".into());
    let mut claims = Table::new();
    for claim in &scenario.claims {
        let mut row = person_columns(scenario);
        claim_columns(claim, &mut row);
        claims.push(row);
    }
    let mut row = BTreeMap::new();
    row.insert("person_id", id);
    if let Some(category) = &person.category {
        row.insert("category", category.clone());
    }
    if let Some(class) = person.catastrophic_class {
        row.insert("catastrophic_class", word(&class));
    }
    row.insert("group", word(&person.group));
    row.insert(
        "family_doctor",
        (person.family_doctor == yibao::benefits::FamilyDoctor::Signed).to_string(),
    );
    if let Some(born) = person.born {
        row.insert("born", born.to_string());
    }
    let events: Vec<String> = scenario
        .enrolment
        .iter()
        .map(|e| {
            let mut text = format!("{} {}", e.on, word(&e.event));
            if let Some(year) = e.year {
                text.push_str(&format!(" {year}"));
            }
            if let Some(funding) = e.funding {
                text.push_str(&format!(" funding={}", word(&funding)));
            }
            if let Some(route) = e.route {
                text.push_str(&format!(" route={}", word(&route)));
            }
            text
        })
        .collect();
    if !events.is_empty() {
        row.insert("enrolment", events.join("; "));
    }
    if let Some(incentives) = &scenario.incentives {
        let years = |list: &[PolicyYear]| {
            list.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(";")
        };
        if let Some(n) = incentives.consecutive_years {
            row.insert("consecutive_years", n.to_string());
        }
        row.insert(
            "re_enrolled_after_lapse",
            incentives.re_enrolled_after_lapse.to_string(),
        );
        row.insert(
            "zero_reimbursement_years",
            years(&incentives.zero_reimbursement_years),
        );
        row.insert(
            "reward_quota_used_years",
            years(&incentives.reward_quota_used_years),
        );
    }
    if !scenario.filings.is_empty() {
        row.insert("filings", serde_json::to_string(&scenario.filings).unwrap());
    }
    (claims, vec![row])
}

/// The scenario as the two tables say it: without an enrolment or incentive history, the
/// claims' `continuity_years` is the incentive history.
pub fn as_the_tables_say(scenario: &Scenario) -> Scenario {
    if scenario.incentives.is_none() && scenario.enrolment.is_empty() {
        as_the_table_says(scenario)
    } else {
        scenario.clone()
    }
}

/// The claims-table rows of a scenario's claims (the person columns on every row), or why
/// the claims table cannot say it (a person part that needs the persons table).
pub fn claim_rows(scenario: &Scenario) -> Result<Table, String> {
    if !scenario.enrolment.is_empty() {
        return Err("an enrolment history".into());
    }
    if !scenario.filings.is_empty() {
        return Err("remote-care filings".into());
    }
    if scenario.person.category.is_some() || scenario.person.born.is_some() {
        return Err("an enrolment category or a birth date".into());
    }
    let previous = scenario.year.previous();
    let incentives = scenario.incentives.clone().unwrap_or_default();
    if incentives.re_enrolled_after_lapse
        || !incentives.reward_quota_used_years.is_empty()
        || incentives
            .zero_reimbursement_years
            .iter()
            .any(|y| Some(*y) != previous)
    {
        return Err("an incentive history beyond the last year".into());
    }
    let mut rows = Table::new();
    for claim in &scenario.claims {
        let mut row = person_columns(scenario);
        claim_columns(claim, &mut row);
        rows.push(row);
    }
    Ok(rows)
}

/// The person columns of a claims-table row: the class (as `category`), family doctor,
/// continuity, whether last year had no reimbursement, group and class B share.
fn person_columns(scenario: &Scenario) -> BTreeMap<&'static str, String> {
    let person = &scenario.person;
    let incentives = scenario.incentives.clone().unwrap_or_default();
    let previous = scenario.year.previous();
    let mut row = BTreeMap::new();
    row.insert("person_id", person.id.clone().unwrap_or("P".into()));
    row.insert(
        "category",
        person
            .catastrophic_class
            .map_or("ordinary".into(), |c| word(&c)),
    );
    row.insert(
        "family_doctor",
        (person.family_doctor == yibao::benefits::FamilyDoctor::Signed).to_string(),
    );
    row.insert(
        "continuity_years",
        incentives.consecutive_years.unwrap_or(1).to_string(),
    );
    row.insert(
        "zero_claim_prev",
        incentives
            .zero_reimbursement_years
            .iter()
            .any(|y| Some(*y) == previous)
            .to_string(),
    );
    row.insert("group", word(&person.group));
    if let Some(share) = scenario.class_b_personal_share {
        row.insert("class_b_personal_share", share.to_string());
    }
    row
}

fn claim_columns(claim: &ClaimInput, row: &mut BTreeMap<&'static str, String>) {
    let mut put = |column: &'static str, value: Option<String>| {
        if let Some(value) = value {
            row.insert(column, value);
        }
    };
    put("claim_id", claim.id.clone());
    put("date", Some(claim.date.to_string()));
    put("kind", Some(word(&claim.kind)));
    put("hospital_level", Some(word(&claim.level)));
    put("amount", claim.amount.map(|a| a.to_string()));
    put("class_a", claim.class_a.map(|a| a.to_string()));
    put("class_b", claim.class_b.map(|a| a.to_string()));
    put("class_c", claim.class_c.map(|a| a.to_string()));
    put(
        "consultation_fee",
        claim.consultation_fee.map(|a| a.to_string()),
    );
    put("two_disease", claim.two_disease.map(|w| word(&w)));
    put("disease_class", claim.disease_class.map(|w| word(&w)));
    put("catalogue", claim.catalogue.map(|w| word(&w)));
    put("province", claim.province.map(|w| word(&w)));
    put(
        "emergency_outcome",
        claim.emergency_outcome.map(|w| word(&w)),
    );
    put("designation", Some(word(&claim.designation)));
    put("accident", Some(word(&claim.accident)));
    let exclusions: Vec<String> = claim.exclusions.iter().map(word).collect();
    put(
        "exclusions",
        Some(exclusions.join(";")).filter(|e| !e.is_empty()),
    );
    put("place", claim.place.as_ref().map(ToString::to_string));
    put(
        "remote_care",
        claim.remote_care.map(|w| w.as_str().to_owned()),
    );
    put("circumstance", Some(word(&claim.circumstance)));
    put("connection", Some(word(&claim.connection)));
}

/// The scenario as the claims table says it: the incentive history written out (the
/// table's `continuity_years` is always given).
pub fn as_the_table_says(scenario: &Scenario) -> Scenario {
    let mut scenario = scenario.clone();
    let incentives = scenario.incentives.get_or_insert_with(Default::default);
    incentives.consecutive_years = Some(incentives.consecutive_years.unwrap_or(1));
    scenario
}

/// The rows of a CSV output by column name (the header's).
pub fn records(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

/// The per-claim fields the batch writes for a claim of a report (catastrophic empty when
/// not settled), by column name.
pub fn expected_claim_fields(report: &SettlementReport, index: usize) -> BTreeMap<String, String> {
    let claim = report.claims.iter().find(|c| c.index == index).unwrap();
    let settled = matches!(claim.catastrophic, CatastrophicPart::Settled { .. });
    let mut fields = BTreeMap::new();
    let mut put = |k: &str, v: String| {
        fields.insert(k.to_owned(), v);
    };
    put("claim_id", claim.id.clone().unwrap_or_default());
    put("date", claim.date.to_string());
    put("kind", word(&claim.kind));
    put("amount", claim.amount.to_string());
    put("basic_fund_paid", claim.basic_fund.to_string());
    put(
        "catastrophic_paid",
        if settled {
            claim.catastrophic.paid().to_string()
        } else {
            String::new()
        },
    );
    put("personal_burden", claim.personal.to_string());
    put(
        "not_paid",
        claim
            .not_paid
            .as_ref()
            .map_or(String::new(), |r| r.code().to_owned()),
    );
    put("eligible", claim.eligible.to_string());
    put("deductible", claim.deductible.to_string());
    put("fiscal_subsidy", claim.fiscal_subsidy.to_string());
    put("cover", claim.cover.code().to_owned());
    put("remote_care", claim.remote_care.as_str().to_owned());
    put(
        "not_paid_reason",
        claim
            .not_paid
            .as_ref()
            .map_or(String::new(), ToString::to_string),
    );
    put(
        "basic_fund_not_settled",
        claim
            .basic_fund_not_settled
            .as_ref()
            .map_or(String::new(), |gap| {
                format!("{} ({})", gap.reason, gap.rule)
            }),
    );
    fields
}

/// Settles the scenario through the facade, one person.
pub fn settle_one(scenario: &Scenario) -> Result<SettlementReport, String> {
    settle(&library(), scenario).map_err(|e| e.to_string())
}
