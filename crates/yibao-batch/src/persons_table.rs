//! The persons table (`--persons FILE`): one row per person, joined to the claims by
//! `person_id`, with what a scenario says of the person and the claims table cannot: the
//! enrolment category, the birth date, the enrolment history, the incentive history and the
//! remote-care filings.
//!
//! UTF-8 CSV with a header row, or a Parquet or Arrow IPC table with the same columns
//! ([`PersonsTable::open`]: text, whole numbers, booleans, `Date32` dates, a null an empty
//! field; its rows numbered from 1, `row N` in a reason); columns by name, in any order;
//! every column but `person_id` optional (absent or empty: the scenario's default):
//!
//! | column | values | meaning |
//! |---|---|---|
//! | `person_id` | text, not empty, once | the person |
//! | `category` | an enrolment category id of the jurisdiction's data | `person.category` (H1) |
//! | `catastrophic_class` | `ordinary` \| `medical_aid_recipient` | `person.catastrophic_class` (H19) |
//! | `group` | `resident` \| `student` | `person.group` (K3, K4) |
//! | `family_doctor` | `true` \| `false` | `person.family_doctor` (H11, K3) |
//! | `born` | `YYYY-MM-DD` | `person.born` |
//! | `enrolment` | `;`-separated events: `DATE EVENT [YEAR] [funding=WORD] [route=WORD]` | `enrolment` |
//! | `consecutive_years` | whole number ≥ 1 | `incentives.consecutive_years` (H7) |
//! | `re_enrolled_after_lapse` | `true` \| `false` | `incentives.re_enrolled_after_lapse` (H7) |
//! | `zero_reimbursement_years` | `;`-separated years | `incentives.zero_reimbursement_years` (H7) |
//! | `reward_quota_used_years` | `;`-separated years | `incentives.reward_quota_used_years` (H6) |
//! | `filings` | a JSON array of the scenario's filing events | `filings` (W3, W4, K6) |
//!
//! An enrolment event is written `2025-12-02 payment 2026`, `2026-03-01 graduated`,
//! `2026-01-10 payment 2026 funding=city_funded_new_aid_recipient route=employee_to_resident_transfer`:
//! the day, the event (`payment`, `veteran_status_change`, `joined_employee_insurance`,
//! `left_employee_insurance`, `graduated`), for a payment the year paid for, and the
//! funding and route when not ordinary. The incentive history is given when any of its
//! columns is; otherwise the settlement computes it from the enrolment history. The
//! filings are the scenario's JSON (`[{"filing":"f1","on":"2026-03-02","kind":"approved"}]`),
//! the same text in every format.
//!
//! A CSV table opened by its path ([`PersonsTable::open`]) is read through once to check
//! that its `person_id`s ascend; when they do and the claims' persons ascend too, it is read
//! again beside the claims, each chunk of claims with the table's rows of its persons
//! (`persons_stream.rs`), and memory does not grow with the persons; the file must then stay
//! in place until the batch is done. Otherwise (its rows in any other order, a person twice,
//! a Parquet or Arrow IPC table, a table read from text with [`PersonsTable::read`], claims
//! not known to ascend) the table is read whole into memory before the claims (about 200
//! bytes a person plus its histories, and the map's own), as the summary says
//! ([`PersonsTableCounts::join`](crate::PersonsTableCounts::join)); a person twice is
//! refused on both rows.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::de::DeserializeOwned;
use serde::de::value::{Error as ValueError, StrDeserializer};
use yibao::scenario::{EnrolmentEventInput, IncentiveInput};
use yibao_benefits::{FamilyDoctor, PersonGroup};
use yibao_catastrophic::PersonClass;
use yibao_core::{NaiveDate, PolicyYear, Said, Word, in_words_zh};
use yibao_filing::FilingEvent;

use crate::columns::quoted;
use crate::error::{BatchError, Problems};
use crate::file_format::TableFormat;
use crate::summary::InMemoryBecause;

/// The columns of the persons table.
pub const PERSONS_COLUMNS: [&str; 12] = [
    "person_id",
    "category",
    "catastrophic_class",
    "group",
    "family_doctor",
    "born",
    "enrolment",
    "consecutive_years",
    "re_enrolled_after_lapse",
    "zero_reimbursement_years",
    "reward_quota_used_years",
    "filings",
];

/// What the persons table says of one person.
#[derive(Clone, Debug, Default)]
pub(crate) struct PersonRecord {
    pub(crate) category: Option<String>,
    pub(crate) catastrophic_class: Option<PersonClass>,
    pub(crate) group: Option<PersonGroup>,
    pub(crate) family_doctor: Option<FamilyDoctor>,
    pub(crate) born: Option<NaiveDate>,
    pub(crate) enrolment: Vec<EnrolmentEventInput>,
    pub(crate) incentives: Option<IncentiveInput>,
    pub(crate) filings: Vec<FilingEvent>,
}

/// A refused row of the persons table: its column and why.
#[derive(Clone, Debug)]
pub(crate) struct RowProblem {
    pub(crate) column: &'static str,
    /// In both languages.
    pub(crate) reason: Said,
}

/// One row of the persons table, read.
#[derive(Debug)]
pub(crate) struct PersonEntry {
    pub(crate) line: u64,
    pub(crate) record: Result<PersonRecord, RowProblem>,
    /// Whether a block of claims was joined to the person.
    pub(crate) joined: AtomicBool,
    /// Whether the person's claims were held back.
    pub(crate) held_back: AtomicBool,
}

/// The persons table, by `person_id`.
#[derive(Debug, Default)]
pub struct PersonsTable {
    pub(crate) name: String,
    pub(crate) persons: BTreeMap<String, PersonEntry>,
    /// Rows refused without a person to hold back (an empty `person_id`, a malformed row).
    pub(crate) orphans: Vec<(u64, String, RowProblem)>,
    pub(crate) rows: u64,
    /// The format read: its positions are lines (CSV) or rows from 1 (a table).
    pub(crate) format: TableFormat,
    /// Whether the rows are here, or in a CSV file whose persons ascend, to be read beside
    /// the claims (then `persons` and `orphans` are empty).
    pub(crate) source: PersonsSource,
}

/// Where the rows of a persons table are.
#[derive(Clone, Debug)]
pub(crate) enum PersonsSource {
    /// Read whole into the table, for this reason.
    InMemory(InMemoryBecause),
    /// A CSV file whose persons ascend (checked when it was opened), read beside the claims
    /// when they ascend too, or read whole then.
    SortedFile(std::path::PathBuf),
}

impl Default for PersonsSource {
    fn default() -> PersonsSource {
        PersonsSource::InMemory(InMemoryBecause::ReadFromStream)
    }
}

/// The columns of a persons table's header, by name, and how many it has.
#[derive(Clone, Debug)]
pub(crate) struct PersonsHeader {
    pub(crate) index: BTreeMap<&'static str, usize>,
    pub(crate) width: usize,
}

impl PersonsHeader {
    /// Reads and checks the header row of a CSV persons table.
    pub(crate) fn read<R: Read>(reader: &mut csv::Reader<R>) -> Result<PersonsHeader, Said> {
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| csv_error(&e))?
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_owned())
            .collect();
        let index = column_index(&header)?;
        Ok(PersonsHeader {
            index,
            width: header.len(),
        })
    }
}

/// The reader of a CSV persons table: rows of any width (a malformed row is refused on
/// its own, not the table).
pub(crate) fn csv_reader<R: Read>(input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new().flexible(true).from_reader(input)
}

/// A persons table shared by the workers of a batch ([`BatchOptions::persons`](crate::BatchOptions::persons)); two
/// are equal when they are the same table.
#[derive(Clone, Debug)]
pub struct PersonsTableRef(pub std::sync::Arc<PersonsTable>);

impl PartialEq for PersonsTableRef {
    fn eq(&self, other: &PersonsTableRef) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for PersonsTableRef {}

impl PersonsTable {
    /// Reads a persons table named `name` (for the reasons) from `input`.
    ///
    /// # Errors
    /// [`BatchError::PersonsTable`] when the header is not usable or the table cannot be
    /// read; a bad row is not an error: its person is held back.
    pub fn read(name: &str, input: impl Read) -> Result<PersonsTable, BatchError> {
        let unusable = |message: Said| BatchError::PersonsTable {
            name: name.to_owned(),
            message,
        };
        let mut reader = csv_reader(input);
        let header = PersonsHeader::read(&mut reader).map_err(unusable)?;
        let mut table = PersonsTable::named(name, TableFormat::Csv);
        for record in reader.records() {
            let record = record.map_err(|e| unusable(csv_error(&e)))?;
            table.add_record(&header, &record);
        }
        Ok(table)
    }

    /// Adds one CSV row, read against the table's header: its person's record, or a
    /// malformed row (not as many fields as the header) refused.
    pub(crate) fn add_record(&mut self, header: &PersonsHeader, record: &csv::StringRecord) {
        let line = record.position().map_or(0, |p| p.line());
        self.rows += 1;
        let field = |column: &str| {
            header
                .index
                .get(column)
                .and_then(|&i| record.get(i))
                .unwrap_or_default()
        };
        let id = field("person_id");
        if record.len() != header.width {
            let (fields, width) = (record.len(), header.width);
            let problem = problem(
                "",
                format!("malformed row: {fields} fields where the header has {width}"),
                format!("格式有误的行：有 {fields} 个字段，而表头有 {width} 个"),
            );
            self.add(id, line, Err(problem));
            return;
        }
        self.add(id, line, parse_person(&field));
    }

    /// An empty table named `name`, read from a file of `format`.
    pub(crate) fn named(name: &str, format: TableFormat) -> PersonsTable {
        PersonsTable {
            name: name.to_owned(),
            format,
            ..PersonsTable::default()
        }
    }

    /// What a position in the table is called: `line` in CSV, `row` in Parquet or Arrow.
    pub(crate) fn position_word(&self) -> &'static str {
        self.format.position_word()
    }

    /// Adds the row at `line` (or row) of person `id`, read into `record`.
    pub(crate) fn add(&mut self, id: &str, line: u64, record: Result<PersonRecord, RowProblem>) {
        if id.is_empty() || yibao_core::check_identifier(id).is_err() {
            let reason = match record {
                Err(problem) => problem,
                Ok(_) => problem(
                    "person_id",
                    "`person_id` is empty or holds a control character",
                    "`person_id` 为空或含有控制字符",
                ),
            };
            self.orphans.push((line, id.to_owned(), reason));
            return;
        }
        if let Some(first) = self.persons.get_mut(id) {
            let person = quoted(id);
            let reason = problem(
                "person_id",
                format!(
                    "person {person} appears twice in the persons table ({}s {} and {line})",
                    self.format.position_word(),
                    first.line
                ),
                format!(
                    "参保人 {person} 在人员表中出现两次（第 {} 行和第 {line} 行）",
                    first.line
                ),
            );
            first.record = Err(reason.clone());
            self.orphans.push((line, id.to_owned(), reason));
            return;
        }
        self.persons.insert(
            id.to_owned(),
            PersonEntry {
                line,
                record,
                joined: AtomicBool::new(false),
                held_back: AtomicBool::new(false),
            },
        );
    }

    /// The person's entry, marked as joined to claims.
    pub(crate) fn join(&self, id: &str) -> Option<&PersonEntry> {
        let entry = self.persons.get(id)?;
        entry.joined.store(true, Ordering::Relaxed);
        Some(entry)
    }

    /// Forgets which persons were joined or held back (a run that starts again from the
    /// top, after a first pass, joins them afresh).
    pub(crate) fn reset_marks(&self) {
        for entry in self.persons.values() {
            entry.joined.store(false, Ordering::Relaxed);
            entry.held_back.store(false, Ordering::Relaxed);
        }
    }

    /// Marks the person's claims as held back (their table row goes to the errors too).
    pub(crate) fn hold_back(&self, id: &str) {
        if let Some(entry) = self.persons.get(id) {
            entry.joined.store(true, Ordering::Relaxed);
            entry.held_back.store(true, Ordering::Relaxed);
        }
    }
}

/// The index of each column of the persons table in `header`, or every problem of the
/// header (an unknown column, a column twice, no `person_id`) in one message.
pub(crate) fn column_index(header: &[String]) -> Result<BTreeMap<&'static str, usize>, Said> {
    let mut index: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut problems = Problems::default();
    for (i, name) in header.iter().enumerate() {
        match PERSONS_COLUMNS.iter().find(|c| **c == name) {
            Some(column) if index.insert(column, i).is_some() => problems.push(
                format!("column `{column}` appears twice"),
                format!("列 `{column}` 出现了两次"),
            ),
            Some(_) => {}
            None => problems.push(
                format!(
                    "unknown column {} (the columns are {})",
                    quoted(name),
                    PERSONS_COLUMNS.join(", ")
                ),
                format!(
                    "未知列 {}（应为 {} 之一）",
                    quoted(name),
                    in_words_zh(&PERSONS_COLUMNS)
                ),
            ),
        }
    }
    if !index.contains_key("person_id") {
        problems.push(
            "missing column `person_id`".to_owned(),
            "缺少列 `person_id`".to_owned(),
        );
    }
    if problems.is_empty() {
        Ok(index)
    } else {
        Err(problems.said())
    }
}

/// A CSV reader's error, in both languages: a row that is not UTF-8 by its line, any other
/// cause with the reader's own words (an I/O error's, as the system gives it).
#[cold]
pub(crate) fn csv_error(error: &csv::Error) -> Said {
    let line = error.position().map(csv::Position::line);
    match (error.kind(), line) {
        (csv::ErrorKind::Utf8 { .. }, Some(line)) => Said::new(
            error.to_string(),
            format!("第 {line} 行不是 UTF-8 文本；人员表须为 UTF-8"),
        ),
        (csv::ErrorKind::Utf8 { .. }, None) => Said::new(
            error.to_string(),
            "表中有不是 UTF-8 的文本；人员表须为 UTF-8",
        ),
        (csv::ErrorKind::Io(e), _) => Said::new(error.to_string(), format!("读取失败：{e}")),
        _ => Said::new(
            error.to_string(),
            format!("人员表的 CSV 格式有误：`{error}`"),
        ),
    }
}

/// A word read as a scenario reads it (serde's spelling), or a refusal naming `names`.
fn scenario_word<T: DeserializeOwned>(
    column: &'static str,
    text: &str,
    names: &[&str],
) -> Result<T, RowProblem> {
    T::deserialize(StrDeserializer::<ValueError>::new(text))
        .map_err(|_| not_a_value(column, text, names))
}

/// The refusal of a value of `column` that names none of `names`.
#[cold]
fn not_a_value(column: &'static str, text: &str, names: &[&str]) -> RowProblem {
    let value = quoted(text);
    problem(
        column,
        format!(
            "{value} is not a value of `{column}` (expected {})",
            yibao_core::in_words(names)
        ),
        format!(
            "{value} 不是 `{column}` 的取值（应为 {} 之一）",
            in_words_zh(names)
        ),
    )
}

/// A refused row of the persons table at `column`, `en` in English and `zh` in Chinese.
fn problem(
    column: &'static str,
    en: impl Into<std::borrow::Cow<'static, str>>,
    zh: impl Into<std::borrow::Cow<'static, str>>,
) -> RowProblem {
    RowProblem {
        column,
        reason: Said::new(en, zh),
    }
}

fn boolean(column: &'static str, text: &str) -> Result<bool, RowProblem> {
    match text {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(problem(
            column,
            format!("{} is not `true` or `false`", quoted(text)),
            format!("{} 不是 `true` 或 `false`", quoted(text)),
        )),
    }
}

fn date(column: &'static str, text: &str) -> Result<NaiveDate, RowProblem> {
    yibao_core::parse_date(text).map_err(|e| problem(column, e.to_string(), e.zh()))
}

fn year(column: &'static str, text: &str) -> Result<PolicyYear, RowProblem> {
    text.parse::<i64>()
        .ok()
        .filter(|_| text.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|y| PolicyYear::new(y).ok())
        .ok_or_else(|| {
            problem(
                column,
                format!("{} is not a year", quoted(text)),
                format!("{} 不是年份", quoted(text)),
            )
        })
}

fn years(column: &'static str, text: &str) -> Result<Vec<PolicyYear>, RowProblem> {
    text.split(';').map(|y| year(column, y.trim())).collect()
}

/// One row's columns (by name through `field`) read into a person.
pub(crate) fn parse_person<'r>(
    field: &dyn Fn(&str) -> &'r str,
) -> Result<PersonRecord, RowProblem> {
    let optional = |column: &str| Some(field(column)).filter(|v| !v.is_empty());
    let mut person = PersonRecord {
        category: optional("category").map(str::to_owned),
        ..PersonRecord::default()
    };
    if let Some(text) = optional("catastrophic_class") {
        person.catastrophic_class = Some(PersonClass::from_name(text).ok_or_else(|| {
            problem(
                "catastrophic_class",
                format!(
                    "{} is not a value of `catastrophic_class` (expected {})",
                    quoted(text),
                    PersonClass::expected()
                ),
                format!(
                    "{} 不是 `catastrophic_class` 的取值（应为 {} 之一）",
                    quoted(text),
                    in_words_zh(PersonClass::NAMES)
                ),
            )
        })?);
    }
    if let Some(text) = optional("group") {
        person.group = Some(scenario_word("group", text, &["resident", "student"])?);
    }
    if let Some(text) = optional("family_doctor") {
        person.family_doctor = Some(if boolean("family_doctor", text)? {
            FamilyDoctor::Signed
        } else {
            FamilyDoctor::NotSigned
        });
    }
    if let Some(text) = optional("born") {
        person.born = Some(date("born", text)?);
    }
    if let Some(text) = optional("enrolment") {
        person.enrolment = text
            .split(';')
            .map(|item| enrolment_event(item.trim()))
            .collect::<Result<_, _>>()?;
    }
    person.incentives = incentives(&optional)?;
    if let Some(text) = optional("filings") {
        person.filings = serde_json::from_str(text).map_err(|e| {
            problem(
                "filings",
                format!("not a JSON array of the scenario's filing events: {e}"),
                format!(
                    "不是由场景备案事件组成的 JSON 数组：{}",
                    yibao::scenario::reader_message_zh(&e.to_string())
                ),
            )
        })?;
    }
    Ok(person)
}

/// The incentive history, when any of its columns is given.
fn incentives<'r>(
    optional: &dyn Fn(&str) -> Option<&'r str>,
) -> Result<Option<IncentiveInput>, RowProblem> {
    let columns = [
        "consecutive_years",
        "re_enrolled_after_lapse",
        "zero_reimbursement_years",
        "reward_quota_used_years",
    ];
    if columns.iter().all(|c| optional(c).is_none()) {
        return Ok(None);
    }
    let mut incentives = IncentiveInput::default();
    if let Some(text) = optional("consecutive_years") {
        incentives.consecutive_years = Some(
            text.parse::<u32>()
                .ok()
                .filter(|n| *n >= 1 && text.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| {
                    problem(
                        "consecutive_years",
                        format!("{} is not a whole number of years, 1 or more", quoted(text)),
                        format!("{} 不是不小于 1 的整数年数", quoted(text)),
                    )
                })?,
        );
    }
    if let Some(text) = optional("re_enrolled_after_lapse") {
        incentives.re_enrolled_after_lapse = boolean("re_enrolled_after_lapse", text)?;
    }
    if let Some(text) = optional("zero_reimbursement_years") {
        incentives.zero_reimbursement_years = years("zero_reimbursement_years", text)?;
    }
    if let Some(text) = optional("reward_quota_used_years") {
        incentives.reward_quota_used_years = years("reward_quota_used_years", text)?;
    }
    Ok(Some(incentives))
}

/// One enrolment event: `DATE EVENT [YEAR] [funding=WORD] [route=WORD]`.
fn enrolment_event(item: &str) -> Result<EnrolmentEventInput, RowProblem> {
    const COLUMN: &str = "enrolment";
    let mut tokens = item.split_whitespace();
    let (Some(on), Some(event)) = (tokens.next(), tokens.next()) else {
        return Err(problem(
            COLUMN,
            format!(
                "{} is not an event `DATE EVENT [YEAR] [funding=WORD] [route=WORD]` (e.g. `2025-12-02 payment 2026`)",
                quoted(item)
            ),
            format!(
                "{} 不是按 `DATE EVENT [YEAR] [funding=WORD] [route=WORD]` 书写的参保缴费事件（如 `2025-12-02 payment 2026`）",
                quoted(item)
            ),
        ));
    };
    let mut parsed = EnrolmentEventInput {
        on: date(COLUMN, on)?,
        event: scenario_word(
            COLUMN,
            event,
            &[
                "payment",
                "veteran_status_change",
                "joined_employee_insurance",
                "left_employee_insurance",
                "graduated",
            ],
        )?,
        year: None,
        funding: None,
        route: None,
    };
    for token in tokens {
        match token.split_once('=') {
            Some(("funding", word)) => {
                parsed.funding = Some(scenario_word(
                    COLUMN,
                    word,
                    &["ordinary", "city_funded_new_aid_recipient"],
                )?);
            }
            Some(("route", word)) => {
                parsed.route = Some(scenario_word(
                    COLUMN,
                    word,
                    &["ordinary", "employee_to_resident_transfer"],
                )?);
            }
            Some(_) => {
                return Err(problem(
                    COLUMN,
                    format!(
                        "{} in {} is not `funding=WORD` or `route=WORD`",
                        quoted(token),
                        quoted(item)
                    ),
                    format!(
                        "{} 中的 {} 不是 `funding=WORD` 或 `route=WORD`",
                        quoted(item),
                        quoted(token)
                    ),
                ));
            }
            None => parsed.year = Some(year(COLUMN, token)?),
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_enrolment_history_reads_in_its_compact_form() {
        let event = enrolment_event(
            "2026-01-10 payment 2026 funding=city_funded_new_aid_recipient route=employee_to_resident_transfer",
        )
        .unwrap();
        assert_eq!(event.year, PolicyYear::new(2026).ok());
        assert!(event.funding.is_some() && event.route.is_some());
        assert!(
            enrolment_event("2026-03-01 graduated")
                .unwrap()
                .year
                .is_none()
        );
        for bad in [
            "2026-03-01",
            "2026-13-01 payment 2026",
            "2026-03-01 paid 2026",
            "2026-03-01 payment twenty",
            "2026-03-01 payment 2026 via=bank",
        ] {
            let refused = enrolment_event(bad).unwrap_err();
            assert_eq!(refused.column, "enrolment", "{bad}");
        }
    }

    #[test]
    fn a_person_twice_is_refused_on_both_rows() {
        let text = "person_id,group\nA,student\nB,resident\nA,resident\n";
        let table = PersonsTable::read("persons.csv", text.as_bytes()).unwrap();
        assert_eq!(table.rows, 3);
        assert!(table.persons["A"].record.is_err());
        assert!(table.persons["B"].record.is_ok());
        assert_eq!(table.orphans.len(), 1);
        assert_eq!(table.orphans[0].0, 4);
    }

    #[test]
    fn an_unknown_or_missing_column_makes_the_table_unusable() {
        let refused = PersonsTable::read("p.csv", "name,group\n".as_bytes()).unwrap_err();
        let text = refused.to_string();
        assert!(text.contains("unknown column `name`"), "{text}");
        assert!(text.contains("missing column `person_id`"), "{text}");
    }
}
