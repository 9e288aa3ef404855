//! Batch settlement of a claims file: a population's year, person by person, through the
//! same one-stop settlement as `yibao settle` ([`crate::settle::settle`]).
//!
//! # The claims file
//! UTF-8 CSV with a header row, one claim per row, each person's rows contiguous. Every row
//! is one line: a line ends at `\n`, `\r\n` or a lone `\r`, and no field may hold a line
//! break. A field that starts with `"` is quoted up to the next lone `"` on its line (`""`
//! inside is one quote; a comma inside is text); a `"` elsewhere in a field is an ordinary
//! character. A blank line (no byte between two line breaks) is skipped and counted.
//! Columns are found by name, in any order:
//!
//! | column | values | meaning |
//! |---|---|---|
//! | `person_id` | text, not empty | the person; their rows must be contiguous |
//! | `category` | `ordinary` \| `medical_aid_recipient` (also read: `aid`, `medical-aid-recipient`) | ordinary insured or medical-aid recipient (H19) |
//! | `family_doctor` | `true` \| `false` | signed with a family doctor (H11) |
//! | `continuity_years` | whole number ≥ 1 | consecutive years counted from 2025, this year included (H7) |
//! | `zero_claim_prev` | `true` \| `false` | no fund reimbursement last year (H7) |
//! | `date` | `YYYY-MM-DD` | the day of care, inside the policy year |
//! | `kind` | `general_outpatient` (also read: `outpatient_general`) \| `inpatient` \| `day_surgery` \| `special_disease` | the claim |
//! | `hospital_level` | `primary_care` \| `level_1` \| `level_2` \| `level_3` (also read: `1`, `2`, `3`) \| `out_of_city` | the hospital level, spelt as in scenarios |
//! | `amount` | yuan, at most 2 decimals | the eligible amount (政策范围内费用) |
//!
//! Optional columns (absent or empty: the default):
//!
//! | column | values | default |
//! |---|---|---|
//! | `consultation_fee` | yuan | `0`: the part of an `general_outpatient` bill that is the general consultation fee (一般诊疗费, H11) |
//! | `disease_class` | `severe_mental` \| `psychiatric` \| `other` | `other` (H13), `special_disease` rows only |
//! | `catalogue` | `provincial` \| `city_retained` | `provincial` (H13), `special_disease` rows only |
//! | `group` | `resident` \| `student` | `resident` (K3, K4) |
//! | `claim_id` | text | none: an identifier carried into the per-claim output |
//!
//! How a row becomes a claim of the [`Scenario`]:
//! - `general_outpatient` is general outpatient care ([`ClaimKindName::OutpatientGeneral`]).
//!   Where the year pays it at primary care only (Huai'an, H11), it is care at a primary-care
//!   institution, [`HospitalLevel::PrimaryCare`]: its `hospital_level` is `primary_care`,
//!   `level_1` or empty, and `level_2`, `level_3` and `out_of_city` are refused. Where the
//!   year pays it by hospital level (Kunshan 2021, K3: levels 1, 2 and 3), `hospital_level`
//!   is required and read as it is: `level_1`, `level_2` or `level_3`, at that level's ratio
//!   for the person's `group` and `family_doctor` (empty and `out_of_city` are refused). Without a `consultation_fee` column the
//!   consultation fee is 0, so a Huai'an bill is settled at the ratio for other items.
//! - `inpatient` and `day_surgery` at their level; `inpatient` at `out_of_city` is a
//!   referral out of the city: level 3 with [`RemoteCare::Referral`] (the H14 out-of-city
//!   deductible, the level-3 ratio and the H18 referral cut).
//! - `special_disease` is the "other diseases" class on the provincial catalogue (H13) unless
//!   the optional columns say otherwise.
//! - The person: `category` → [`PersonInput::catastrophic_class`], `family_doctor`,
//!   `continuity_years` → [`IncentiveInput::consecutive_years`], `zero_claim_prev = true` →
//!   [`IncentiveInput::zero_reimbursement_years`] = the year before. No enrolment history is
//!   given: cover is assumed on every day of the year. The person columns must agree on every
//!   row of a person. For Kunshan 2021, `group` (`student` or `resident`) picks the K3
//!   ratios and the K4 deductible, `family_doctor` the K3 level-1 ratio; `category`,
//!   `continuity_years` and `zero_claim_prev` feed catastrophic insurance only, which the
//!   sources do not publish for that year. Kinds the year does not define (Kunshan 2021 has
//!   no day surgery or special diseases) fail the person's settlement.
//!
//! # The outputs
//! One row per settled person ([`OUTPUT_HEADER`]): the basic fund, catastrophic insurance
//! and the personal burden, then `catastrophic_status`, `settled` or `not_settled`, and
//! `catastrophic_reason` (empty when settled). When the catastrophic part is not settled
//! (Kunshan 2021, whose catastrophic schedule is not published), `catastrophic_paid` is
//! empty, never 0.00, and `personal_burden` is the burden before catastrophic insurance
//! (amount − basic fund). A claim whose catastrophic part is 0 whatever the schedule (it
//! adds nothing to the burden catastrophic insurance counts) is settled at 0. The per-claim
//! output ([`PER_CLAIM_HEADER`]) gives the claim's `catastrophic_status` likewise, then
//! `not_paid`: empty, or the code of why the basic fund pays nothing when the reason is not
//! arithmetic (`level_not_paid`, `excluded` …, as `yibao settle` writes it).
//!
//! # Nothing lost
//! Every line after the header ends in exactly one place: its person's settlement, a row of
//! the errors file (`line,person_id,column,reason`), or the count of blank lines. Refused on
//! its own line: a quote that opens a field and is not closed on its line (the reason gives
//! the line and the column of the quote, and names the field; reading goes on at the next
//! line), a malformed line (wrong number of fields), an empty person, a row that is not
//! UTF-8, a control character (NUL, tab, escape, …) in `person_id` or `claim_id`, a bad value
//! (amount, date, kind, level, …), a date outside the year. A reason quotes an offending
//! value up to [`QUOTE_LIMIT`] (64) characters, then `… (N bytes)`.
//!
//! Persons are whole: a person with any refused row is held back, every one of their rows
//! going to the errors file (the refused rows with their reason, the others with `person held
//! back: line N was refused (…)`, naming the first). A refused row is the person's when its
//! `person_id` field reads as theirs (a line of the wrong width included); a row with no
//! person (empty, or a line too short to have one) is refused alone and holds no one back.
//! Person columns that disagree between two rows hold the person back too (every row, naming
//! both lines: no row wins). So do a person whose rows are not contiguous (every row of that
//! person) and a person whose settlement fails (every row, with the settlement's reason).
//! The rest of the file still settles. The summary reconciles: rows in = rows settled + rows
//! in error; physical lines after the header = lines settled + lines in error + blank lines
//! (the reader counts the lines, the workers the rows; the CLI fails a run where they
//! differ); and the amounts of the settled rows = basic fund + catastrophic (as settled) +
//! personal burden, to the fen.
//!
//! Rows whose person is not contiguous: with [`Contiguity::Known`] (from
//! [`find_split_persons_in_file`] or [`find_split_persons`], a first pass over a file) every
//! block of the person is refused. A file whose persons come in ascending order of
//! `person_id` has no split person; with [`Contiguity::Ascending`] the batch presumes this
//! without a first pass and checks it as it writes, stopping with
//! [`BatchError::NotAscending`] at the first person out of order (the CLI then makes the
//! first pass and writes its output files again).
//! Reading once from a stream ([`Contiguity::Streaming`]), the first block has already been
//! settled and written when a later block shows up, so only the later blocks are refused and
//! the summary counts the split persons. Holding a person back is decided on a block of
//! contiguous rows, which a chunk never cuts, so it is the same in every mode; only a
//! stream's split person has a first block already written when a later block is refused.
//!
//! # Streaming and parallel
//! A reader thread splits the input into chunks of whole persons; worker threads parse and
//! settle them; the calling thread writes the results in input order (sequence numbers and a
//! bounded reorder window). With one worker no thread is started: the calling thread reads,
//! settles and writes one chunk after the other, with the same reader, settlement and writer
//! (the same bytes out), which suits a caller that runs many small batches. Channels are bounded, so memory does not grow with the file: it is
//! bounded by the window of chunks in flight and the largest person. Detecting persons whose
//! rows are not contiguous costs nothing more in memory for a file whose persons are in
//! ascending order of `person_id`; otherwise (another order, or a stream) it keeps a set of
//! the persons seen, 16 bytes each. Since every row is one line, the first pass over a file
//! reads it in as many parts at once as there are workers, cut at line breaks.
//! Each worker settles its persons with [`crate::settle::settle_into`], into one scenario and
//! one report it reuses from person to person.
//!
//! ```
//! use yibao::batch::{self, BatchMode, BatchOptions, Contiguity, Sinks};
//! use yibao::core::PolicyYear;
//! use yibao::policy::{PolicyFiles, PolicyLibrary};
//!
//! let library = PolicyLibrary::load(&PolicyFiles::embedded())?;
//! let input = "person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount
//! P1,ordinary,false,2,false,2026-03-01,inpatient,3,10000
//! P2,ordinary,false,2,false,2026-05-01,general_outpatient,1,abc
//! ";
//! let options = BatchOptions::new("huaian", PolicyYear::new(2026)?);
//! let (mut output, mut errors) = (Vec::new(), Vec::new());
//! let sinks = Sinks { output: &mut output, errors: &mut errors, per_claim: None };
//! let summary = batch::run(&library, &options, input.as_bytes(), &Contiguity::Streaming, sinks, &mut |_| {})?;
//! // 10,000 − 900 deductible = 9,100 × 65% = 5,915 from the basic fund.
//! assert_eq!(
//!     String::from_utf8(output)?,
//!     "person_id,basic_fund_paid,catastrophic_paid,personal_burden,catastrophic_status,catastrophic_reason\nP1,5915.00,0.00,4085.00,settled,\n"
//! );
//! assert_eq!((summary.rows_in, summary.rows_settled, summary.rows_in_error), (2, 1, 1));
//! assert!(summary.lines_reconcile());
//! assert!(String::from_utf8(errors)?.contains("3,P2,amount,"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::fs::File;
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};
use std::io::{Read, Write};
use std::num::NonZeroUsize;
use std::ops::Range;
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use yibao_benefits::{
    FamilyDoctor, HospitalLevel, PersonGroup, SpecialDiseaseCatalogue, SpecialDiseaseClass,
};
use yibao_catastrophic::PersonClass;
use yibao_core::{KeySegment, PolicyYear, RemoteCare, Word, Yuan};

use crate::policy::{PolicyLibrary, Section};

mod lines;

use crate::scenario::{ClaimInput, ClaimKindName, IncentiveInput, PersonInput, Scenario};
use crate::settle::{
    CatastrophicPart, ClaimReport, Explain, SettleError, SettlementReport, settle_into,
};
use lines::{LineReader, Unclosed};

/// The header of the per-person output.
pub const OUTPUT_HEADER: &str = "person_id,basic_fund_paid,catastrophic_paid,personal_burden,catastrophic_status,catastrophic_reason";
/// The header of the errors file.
pub const ERRORS_HEADER: &str = "line,person_id,column,reason";
/// The header of the per-claim output.
pub const PER_CLAIM_HEADER: &str = "line,person_id,claim_id,date,kind,hospital_level,amount,basic_fund_paid,catastrophic_paid,personal_burden,catastrophic_status,not_paid";
/// The most characters of an offending value a reason quotes; a longer value is cut there
/// and followed by `… (N bytes)`, its whole size (`yibao_core`'s bound).
pub use yibao_core::QUOTE_LIMIT;

/// A chunk is closed at the first person boundary after this many rows.
const CHUNK_ROWS: usize = 1024;
/// Chunks in flight (read, not yet written) per worker thread.
const WINDOW_PER_THREAD: usize = 4;
/// The reader's buffer.
const READ_BUFFER: usize = 1 << 18;

/// Why a batch stopped. Bad rows do not stop a batch: they go to the errors file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    /// Occurs when the first line is not a usable header: empty input, or unknown, duplicate
    /// or missing columns (every problem is listed).
    #[error("the header row of the claims file is not usable: {problems}")]
    Header {
        /// Every problem, separated by `; `.
        problems: String,
    },
    /// Occurs when the policy data has no book, or no benefits, for the jurisdiction and year.
    #[error("cannot settle claims of {jurisdiction} {year}: {reason}")]
    Policy {
        /// The jurisdiction asked for.
        jurisdiction: String,
        /// The year asked for.
        year: PolicyYear,
        /// Why.
        reason: String,
    },
    /// Occurs when the input cannot be read (an I/O error, not a bad row).
    #[error("cannot read the claims file: {message}")]
    Read {
        /// The cause.
        message: String,
    },
    /// Occurs when an output cannot be written.
    #[error("cannot write the {what}: {message}")]
    Write {
        /// Which output (`output`, `errors file`, `per-claim output`).
        what: &'static str,
        /// The cause.
        message: String,
    },
    /// Occurs when a population total goes above [`Yuan::MAX`].
    #[error("the total {what} of the file is above the largest amount the engine accepts ({max} yuan)", max = Yuan::MAX_TEXT)]
    TotalTooLarge {
        /// Which total.
        what: &'static str,
    },
    /// Occurs with [`Contiguity::Ascending`] when a person does not come after the person
    /// before in ascending order of `person_id`: the batch needs a first pass. What was
    /// written before it stopped is incomplete.
    #[error(
        "line {line}: person `{person}` comes after person `{after}`: the persons are not in ascending order of person_id, so the file needs a first pass to find persons whose rows are not contiguous"
    )]
    NotAscending {
        /// The line of the person's first row.
        line: u64,
        /// The person.
        person: String,
        /// The person before, at or above it.
        after: String,
    },
    /// Occurs when a thread of the batch stops unexpectedly or the counts do not reconcile
    /// (a defect of the engine, never of the input).
    #[error("internal error of the batch: {message}")]
    Internal {
        /// What went wrong.
        message: String,
    },
}

/// What the workers do with each person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchMode {
    /// Settle every person and write the results.
    Settle,
    /// Read and parse every row into a person's scenario, settle nothing, write no results
    /// (bad rows still go to the errors file). The floor of a benchmark.
    ParseOnly,
}

/// The settings of a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchOptions {
    /// The insured place, e.g. `huaian`.
    pub jurisdiction: String,
    /// The policy year.
    pub year: PolicyYear,
    /// Worker threads (the reader and the writer run beside them); with one, the calling
    /// thread reads, settles and writes, and no thread is started.
    pub threads: NonZeroUsize,
    /// Settle, or only parse.
    pub mode: BatchMode,
    /// The size of a block of whole lines handed to a worker (256 KiB), when the file is
    /// known to hold no split person; small blocks cross more block boundaries (fuzzing).
    pub block_bytes: NonZeroUsize,
}

impl BatchOptions {
    /// Settle `jurisdiction`'s `year` with one worker per available core.
    pub fn new(jurisdiction: impl Into<String>, year: PolicyYear) -> BatchOptions {
        BatchOptions {
            jurisdiction: jurisdiction.into(),
            year,
            threads: std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN),
            mode: BatchMode::Settle,
            block_bytes: NonZeroUsize::new(LINES_CHUNK).unwrap_or(NonZeroUsize::MIN),
        }
    }
}

/// Where the results go. Each sink receives its header row first.
pub struct Sinks<'a> {
    /// One row per settled person ([`OUTPUT_HEADER`]).
    pub output: &'a mut dyn Write,
    /// One row per input row in error ([`ERRORS_HEADER`]).
    pub errors: &'a mut dyn Write,
    /// One row per settled claim ([`PER_CLAIM_HEADER`]), in input order, when wanted.
    pub per_claim: Option<&'a mut dyn Write>,
}

/// How far a batch has got, reported after each chunk is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Input bytes consumed.
    pub bytes: u64,
    /// Rows done.
    pub rows: u64,
    /// Persons settled.
    pub persons: u64,
}

/// What a batch did. The figures reconcile: `rows_in = rows_settled + rows_in_error`,
/// `lines_in = lines_settled + lines_in_error + lines_blank` and
/// `amount = basic_fund + catastrophic + personal` (catastrophic as settled: a person whose
/// catastrophic part is not settled adds 0 there and the burden before catastrophic insurance
/// to `personal`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BatchSummary {
    /// Settle or parse only.
    pub mode: BatchMode,
    /// Data rows read (CSV records after the header).
    pub rows_in: u64,
    /// Rows settled (parsed, in parse-only mode).
    pub rows_settled: u64,
    /// Rows written to the errors file.
    pub rows_in_error: u64,
    /// Persons settled: rows of the output (parsed, in parse-only mode).
    pub persons_settled: u64,
    /// Blocks of a person's rows with at least one row in error.
    pub persons_with_errors: u64,
    /// Persons whose rows are not contiguous.
    pub split_persons: u64,
    /// Persons settled whose catastrophic part is not settled (`catastrophic_status` is
    /// `not_settled`).
    pub persons_catastrophic_not_settled: u64,
    /// Physical lines after the header, as the reader counted them.
    pub lines_in: u64,
    /// Lines of the rows settled (every row is one line).
    pub lines_settled: u64,
    /// Lines written to the errors file.
    pub lines_in_error: u64,
    /// Blank lines (no byte between two line breaks), skipped.
    pub lines_blank: u64,
    /// The amounts of the settled rows.
    pub amount: Yuan,
    /// Paid by the basic fund.
    pub basic_fund: Yuan,
    /// Paid by catastrophic insurance.
    pub catastrophic: Yuan,
    /// Left to the persons.
    pub personal: Yuan,
    /// Wall time from the header to the last row written.
    #[serde(skip)]
    pub elapsed: Duration,
}

impl BatchSummary {
    /// Whether the physical lines reconcile: every line after the header is settled, in
    /// error or blank.
    pub fn lines_reconcile(&self) -> bool {
        self.lines_settled
            .checked_add(self.lines_in_error)
            .and_then(|n| n.checked_add(self.lines_blank))
            == Some(self.lines_in)
    }

    /// Whether the money reconciles: amount in = basic fund + catastrophic + personal.
    pub fn money_reconciles(&self) -> bool {
        Yuan::checked_sum([self.basic_fund, self.catastrophic, self.personal])
            .is_ok_and(|out| out == self.amount)
    }
}

/// The columns a claims file may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// `person_id`.
    PersonId,
    /// `category`.
    Category,
    /// `family_doctor`.
    FamilyDoctor,
    /// `continuity_years`.
    ContinuityYears,
    /// `zero_claim_prev`.
    ZeroClaimPrev,
    /// `date`.
    Date,
    /// `kind`.
    Kind,
    /// `hospital_level`.
    HospitalLevel,
    /// `amount`.
    Amount,
    /// `consultation_fee` (optional).
    ConsultationFee,
    /// `disease_class` (optional).
    DiseaseClass,
    /// `catalogue` (optional).
    Catalogue,
    /// `group` (optional).
    Group,
    /// `claim_id` (optional).
    ClaimId,
}

impl Column {
    /// Every column, the required ones first.
    pub const ALL: [Column; 14] = [
        Column::PersonId,
        Column::Category,
        Column::FamilyDoctor,
        Column::ContinuityYears,
        Column::ZeroClaimPrev,
        Column::Date,
        Column::Kind,
        Column::HospitalLevel,
        Column::Amount,
        Column::ConsultationFee,
        Column::DiseaseClass,
        Column::Catalogue,
        Column::Group,
        Column::ClaimId,
    ];

    /// The name in the header.
    pub fn name(self) -> &'static str {
        match self {
            Column::PersonId => "person_id",
            Column::Category => "category",
            Column::FamilyDoctor => "family_doctor",
            Column::ContinuityYears => "continuity_years",
            Column::ZeroClaimPrev => "zero_claim_prev",
            Column::Date => "date",
            Column::Kind => "kind",
            Column::HospitalLevel => "hospital_level",
            Column::Amount => "amount",
            Column::ConsultationFee => "consultation_fee",
            Column::DiseaseClass => "disease_class",
            Column::Catalogue => "catalogue",
            Column::Group => "group",
            Column::ClaimId => "claim_id",
        }
    }

    /// Whether every file must have the column.
    pub fn is_required(self) -> bool {
        !matches!(
            self,
            Column::ConsultationFee
                | Column::DiseaseClass
                | Column::Catalogue
                | Column::Group
                | Column::ClaimId
        )
    }

    /// The column's place in [`Column::ALL`] (its declaration order).
    fn slot(self) -> usize {
        self as usize
    }
}

/// Where each column is in a row.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Layout {
    /// Where each column is in a record, by the column's slot.
    index: [Option<usize>; COLUMNS],
    /// The slot of each field of a record, in order (every header name is a known column).
    slots: Vec<usize>,
    width: usize,
}

/// How many columns the claims file knows.
const COLUMNS: usize = Column::ALL.len();

impl Layout {
    fn from_header(header: &[&[u8]]) -> Result<Layout, BatchError> {
        let mut index = [None; COLUMNS];
        let mut slots = Vec::with_capacity(header.len());
        let mut problems = Vec::new();
        for (i, &raw) in header.iter().enumerate() {
            let raw = if i == 0 {
                raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
            } else {
                raw
            };
            let name = String::from_utf8_lossy(raw);
            match Column::ALL.iter().find(|c| c.name() == name) {
                Some(column) => {
                    let slot = &mut index[column.slot()];
                    if slot.is_some() {
                        problems.push(format!("column `{name}` appears twice"));
                    }
                    *slot = Some(i);
                    slots.push(column.slot());
                }
                None => problems.push(format!(
                    "unknown column {} (the columns are {})",
                    quoted(&name),
                    Column::ALL.map(Column::name).join(", ")
                )),
            }
        }
        for column in Column::ALL {
            if column.is_required() && index[column.slot()].is_none() {
                problems.push(format!("missing column `{}`", column.name()));
            }
        }
        if problems.is_empty() {
            Ok(Layout {
                index,
                slots,
                width: header.len(),
            })
        } else {
            Err(BatchError::Header {
                problems: problems.join("; "),
            })
        }
    }

    fn of(&self, column: Column) -> Option<usize> {
        self.index.get(column.slot()).copied().flatten()
    }

    fn person_index(&self) -> usize {
        self.of(Column::PersonId).unwrap_or(0)
    }

    /// The column of a row's `field`-th field, when the header has that many.
    fn column_at(&self, field: usize) -> Option<Column> {
        self.slots
            .get(field)
            .and_then(|&slot| Column::ALL.get(slot))
            .copied()
    }
}

/// The layout of the header row `line` (without its line break).
fn read_header(line: &[u8]) -> Result<Layout, BatchError> {
    let header = |problems: &str| BatchError::Header {
        problems: problems.to_owned(),
    };
    if line.starts_with(b"\xFF\xFE") || line.starts_with(b"\xFE\xFF") {
        return Err(header(
            "the file starts with a UTF-16 byte order mark: it looks like UTF-16 text; the claims file must be UTF-8 (convert it, e.g. `iconv -f UTF-16 -t UTF-8`)",
        ));
    }
    if line.contains(&0) {
        return Err(header(
            "the header row holds NUL bytes: the file looks like UTF-16 text; the claims file must be UTF-8 (convert it, e.g. `iconv -f UTF-16 -t UTF-8`)",
        ));
    }
    if line.is_empty() {
        return Err(header("the first line is empty (expected a header row)"));
    }
    let (mut spans, mut unquoted) = (Vec::new(), Vec::new());
    if let Err(unclosed) = lines::split_line(line, 0, line.len(), &mut spans, &mut unquoted) {
        return Err(header(&format!(
            "a quote opens a column name at line 1, column {} and is not closed on the line",
            unclosed.column
        )));
    }
    let names: Vec<&[u8]> = spans
        .iter()
        .map(|span| {
            let text = if span.start >= line.len() {
                unquoted.get(span.start - line.len()..span.end - line.len())
            } else {
                line.get(span.clone())
            };
            text.unwrap_or_default()
        })
        .collect();
    Layout::from_header(&names)
}

/// Reads only the header row of a claims file and checks it as a batch would (every column
/// known, none twice, the required ones present): a caller can refuse a file before
/// creating its outputs.
///
/// # Errors
/// [`BatchError::Header`] for an unusable header, [`BatchError::Read`] when reading fails.
pub fn check_header(input: impl Read) -> Result<(), BatchError> {
    open_input(input).map(|_| ())
}

/// Quotes an offending value for a reason: in backticks, as [`yibao_core::quoted`] cuts
/// and escapes it (at most [`QUOTE_LIMIT`] characters, then `…` and its size in bytes).
fn quoted(value: &str) -> String {
    format!("`{}`", yibao_core::quoted(value))
}

/// A 128-bit fingerprint of a person id: two independent SipHash values. Collisions are
/// negligible (about 10^-27 for a million persons).
fn fingerprint(id: &[u8]) -> u128 {
    let mut a = DefaultHasher::new();
    0u8.hash(&mut a);
    id.hash(&mut a);
    let mut b = DefaultHasher::new();
    1u8.hash(&mut b);
    id.hash(&mut b);
    (u128::from(a.finish()) << 64) | u128::from(b.finish())
}

/// Hashes a fingerprint by taking its low bits (it is already a good hash).
#[derive(Default)]
struct FingerprintHasher(u64);

impl Hasher for FingerprintHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u128(&mut self, value: u128) {
        self.0 = value as u64;
    }
}

type FingerprintSet = HashSet<u128, BuildHasherDefault<FingerprintHasher>>;
type FingerprintMap<V> = HashMap<u128, V, BuildHasherDefault<FingerprintHasher>>;

/// The persons of a file whose rows are not contiguous, found by a first pass
/// ([`find_split_persons`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SplitPersons {
    /// For each split person: the first line of each block after the first.
    later_blocks: FingerprintMap<Vec<u64>>,
}

impl SplitPersons {
    /// How many persons have rows that are not contiguous.
    pub fn len(&self) -> usize {
        self.later_blocks.len()
    }

    /// Whether every person's rows are contiguous.
    pub fn is_empty(&self) -> bool {
        self.later_blocks.is_empty()
    }
}

/// How a batch finds persons whose rows are not contiguous.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Contiguity {
    /// Reading once: a person seen again after other persons has their later blocks refused
    /// (the first block is already settled and written).
    Streaming,
    /// Known from a first pass over the same input: every block of a split person is refused.
    Known(SplitPersons),
    /// No first pass: the persons are taken to come in ascending order of `person_id` (the
    /// usual export, where no person's rows can be split), and the batch checks this as it
    /// writes. At the first person that does not come after the one before, the batch stops
    /// with [`BatchError::NotAscending`] before writing that person's chunk; what it wrote
    /// is then incomplete, and the caller starts again with [`Contiguity::Known`] from a
    /// first pass ([`find_split_persons_in_file`]). For outputs that can be written again.
    Ascending,
}

impl Contiguity {
    /// Whether no person of the input is split (known, or presumed and checked).
    fn no_split_person(&self) -> bool {
        match self {
            Contiguity::Known(split) => split.is_empty(),
            Contiguity::Ascending => true,
            Contiguity::Streaming => false,
        }
    }
}

/// Reads a claims file once, without settling, to find the persons whose rows are not
/// contiguous. Memory: 16 bytes per person (a set of fingerprints of the persons seen).
///
/// # Errors
/// [`BatchError::Header`] for an unusable header, [`BatchError::Read`] when reading fails.
pub fn find_split_persons(input: impl Read) -> Result<SplitPersons, BatchError> {
    scan_persons(input)
}

/// [`find_split_persons`] for a file, in constant memory when the persons are in ascending
/// order of `person_id` (the usual export): a first scan checks the order, in `threads`
/// parts at once (the batch's worker count), and, only when it is broken, a second scan
/// keeps the set of persons seen.
///
/// # Errors
/// As [`find_split_persons`], and [`BatchError::Read`] when the file cannot be opened.
pub fn find_split_persons_in_file(
    path: &Path,
    threads: NonZeroUsize,
) -> Result<SplitPersons, BatchError> {
    let open = || {
        File::open(path).map_err(|e| BatchError::Read {
            message: format!("{}: {e}", path.display()),
        })
    };
    match order_in_parts(path, threads.get())? {
        Order::Ascending => Ok(SplitPersons::default()),
        Order::NotAscending => find_split_persons(open()?),
    }
}

/// What a quick look at a file's persons found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Order {
    /// Every person's id is at or above the one before: no person can be split.
    Ascending,
    /// Some person comes after a person with a higher id.
    NotAscending,
}

/// The persons of one part of a file, in the order they come.
#[derive(Debug, Default)]
struct PartOrder {
    ascending: bool,
    /// The first person of the part.
    first: Option<Vec<u8>>,
    /// The person read last (empty until `started`).
    last: Vec<u8>,
    started: bool,
}

/// Whether the persons of a file come in ascending order, read in `threads` parts at once:
/// every line is a record (no field holds a line break), so the parts can be cut at line
/// breaks.
fn order_in_parts(path: &Path, threads: usize) -> Result<Order, BatchError> {
    let read_error = |e: std::io::Error| BatchError::Read {
        message: format!("{}: {e}", path.display()),
    };
    let (layout, start) = open_input(File::open(path).map_err(read_error)?)?;
    let body = start.body as u64;
    let length = std::fs::metadata(path).map_err(read_error)?.len();
    let threads = u64::try_from(threads.clamp(1, 8)).unwrap_or(1);
    let span = length.saturating_sub(body) / threads;
    let bounds: Vec<u64> = (0..=threads)
        .map(|i| {
            if i == threads {
                length
            } else {
                body + i * span
            }
        })
        .collect();
    let parts: Vec<Result<PartOrder, BatchError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = bounds
            .windows(2)
            .enumerate()
            .map(|(i, pair)| {
                let (start, end) = (pair[0], pair[1]);
                let layout = &layout;
                scope.spawn(move || {
                    let file = File::open(path).map_err(read_error)?;
                    part_order(file, start, end, i == 0, layout).map_err(read_error)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(BatchError::Internal {
                        message: "a thread of the first pass stopped".to_owned(),
                    })
                })
            })
            .collect()
    });
    let mut previous: Option<Vec<u8>> = None;
    let mut order = Order::Ascending;
    for part in parts {
        let part = part?;
        let joins = match (&previous, &part.first) {
            (Some(before), Some(first)) => before <= first,
            _ => true,
        };
        if !part.ascending || !joins {
            order = Order::NotAscending;
        }
        if part.started {
            previous = Some(part.last);
        }
    }
    Ok(order)
}

/// Reads the lines that start in `[start, end)` of a file (the line that starts before `end`
/// is read to its end; a part that does not start the body skips the partial line it starts
/// in), checking that their persons ascend.
fn part_order(
    mut file: File,
    start: u64,
    end: u64,
    starts_body: bool,
    layout: &Layout,
) -> std::io::Result<PartOrder> {
    use std::io::{Seek, SeekFrom};
    let mut part = PartOrder {
        ascending: true,
        ..PartOrder::default()
    };
    // Begin one byte early: if that byte ends a line, the part begins a record.
    let mut position = if starts_body {
        start
    } else {
        start.saturating_sub(1)
    };
    file.seek(SeekFrom::Start(position))?;
    let mut skipping = !starts_body;
    let mut buffer = vec![0_u8; READ_BUFFER];
    let mut filled = 0;
    let person_index = layout.person_index();
    loop {
        let read = file.read(&mut buffer[filled..])?;
        let at_end = read == 0;
        filled += read;
        let data = &buffer[..filled];
        let mut consumed = 0;
        while let Some(offset) = memchr::memchr2(b'\n', b'\r', &data[consumed..]) {
            let line = &data[consumed..consumed + offset];
            let line_start = position + consumed as u64;
            consumed += offset + 1;
            if std::mem::take(&mut skipping) {
                continue;
            }
            if line_start >= end {
                return Ok(part);
            }
            if !record_person(line, layout.width, person_index, &mut part) {
                return Ok(part);
            }
        }
        if at_end {
            // The last record has no line break.
            let line = &data[consumed..];
            let line_start = position + consumed as u64;
            if !skipping && line_start < end {
                record_person(line, layout.width, person_index, &mut part);
            }
            return Ok(part);
        }
        if consumed == 0 && filled == buffer.len() {
            // A line longer than the buffer: grow it.
            buffer.resize(buffer.len() * 2, 0);
            continue;
        }
        buffer.copy_within(consumed..filled, 0);
        filled -= consumed;
        position += consumed as u64;
    }
}

/// Notes the person of one line; false once the persons are seen not to ascend (the part
/// need not be read further).
fn record_person(line: &[u8], width: usize, person_index: usize, part: &mut PartOrder) -> bool {
    let Some(key) = lines::line_key(line, width, person_index) else {
        return true;
    };
    let key = key.as_ref();
    if part.started && key == part.last.as_slice() {
        return true;
    }
    if part.started && key < part.last.as_slice() {
        part.ascending = false;
        return false;
    }
    if part.first.is_none() {
        part.first = Some(key.to_vec());
    }
    part.started = true;
    part.last.clear();
    part.last.extend_from_slice(key);
    true
}

/// The split persons of an input, read line by line with a set of the persons seen.
fn scan_persons(input: impl Read) -> Result<SplitPersons, BatchError> {
    let read_error = |e: std::io::Error| BatchError::Read {
        message: e.to_string(),
    };
    let mut reader = LineReader::new(Vec::new(), input);
    let layout = match reader.next_line().map_err(read_error)? {
        Some((content, line)) => read_header(line.get(..content).unwrap_or_default())?,
        None => return Err(empty_input()),
    };
    let person_index = layout.person_index();
    let mut seen = FingerprintSet::default();
    let mut current: Vec<u8> = Vec::new();
    let mut started = false;
    let mut split = SplitPersons::default();
    let mut line_number = 1;
    while let Some((content, line)) = reader.next_line().map_err(read_error)? {
        line_number += 1;
        let content = line.get(..content).unwrap_or_default();
        let Some(key) = lines::line_key(content, layout.width, person_index) else {
            continue;
        };
        if started && *key == *current {
            continue;
        }
        let print = fingerprint(&key);
        if !seen.insert(print) {
            split
                .later_blocks
                .entry(print)
                .or_default()
                .push(line_number);
        }
        started = true;
        current.clear();
        current.extend_from_slice(&key);
    }
    Ok(split)
}

fn empty_input() -> BatchError {
    BatchError::Header {
        problems: "the input is empty (expected a header row)".to_owned(),
    }
}

/// Where a row's fields are in its chunk.
#[derive(Clone, Debug)]
struct RowRef {
    line: u64,
    fields: Range<usize>,
    /// A quote not closed on the line (the fields are those before it).
    unclosed: Option<Unclosed>,
}

/// A run of contiguous rows of one person (or, at the very start, rows with no person).
#[derive(Clone, Debug)]
struct Block {
    rows: Range<usize>,
    /// The rows before the first row with a person (malformed lines at the top of the file).
    orphan: bool,
    /// Why every row of the block is refused: the person's rows are not contiguous.
    split: Option<String>,
}

/// Whole persons' rows, as read.
#[derive(Debug, Default)]
struct Chunk {
    seq: u64,
    end_byte: u64,
    /// Whole lines as read, then the text of their quoted fields.
    data: Vec<u8>,
    /// The same bytes once [`Chunk::check_utf8`] found them UTF-8 (`data` is then empty).
    text: String,
    /// Where each field is in `data`.
    fields: Vec<Range<usize>>,
    rows: Vec<RowRef>,
    blocks: Vec<Block>,
    /// For whole lines not yet split into rows: the line number of the first.
    unsplit: Option<u64>,
    /// The blank lines among the lines.
    blank_lines: u64,
    /// The first line of each block whose rows are all refused, with why (its person's
    /// rows are not contiguous), in order.
    split_starts: Vec<(u64, String)>,
}

impl Chunk {
    fn new(seq: u64) -> Chunk {
        Chunk {
            seq,
            data: Vec::with_capacity(CHUNK_ROWS * 80),
            fields: Vec::with_capacity(CHUNK_ROWS * 10),
            rows: Vec::with_capacity(CHUNK_ROWS + 64),
            ..Chunk::default()
        }
    }

    /// Splits whole lines into rows and the rows into blocks of persons: a block starts at
    /// each row whose person ([`lines::line_key`]) differs from the one before; a row without
    /// a person stays in the block before it (or, at the top of the file, forms the orphan
    /// block). The text of quoted fields goes after the lines in `data`.
    fn split_lines(&mut self, layout: &Layout) {
        let Some(first_line) = self.unsplit.take() else {
            return;
        };
        let Chunk {
            data,
            fields,
            rows,
            blocks,
            split_starts,
            ..
        } = self;
        let person_index = layout.person_index();
        // Room for rows of the usual size, so that the lists rarely grow.
        fields.reserve(data.len() / 6);
        rows.reserve(data.len() / 48);
        blocks.reserve(data.len() / 128);
        let mut unquoted = Vec::new();
        let mut splits = split_starts.drain(..).peekable();
        let lines_data: &[u8] = data;
        let base = lines_data.len();
        // The current person: where it is in the lines, or its text when it was quoted.
        let mut current: Option<Result<Range<usize>, Vec<u8>>> = None;
        let blank = lines::split_rows(lines_data, first_line, fields, &mut unquoted, |row| {
            let key = row.spans.get(person_index).filter(|span| {
                (row.spans.len() == layout.width || row.unclosed.is_some()) && !span.is_empty()
            });
            let text = |span: &Range<usize>| {
                if span.start >= base {
                    row.unquoted.get(span.start - base..span.end - base)
                } else {
                    lines_data.get(span.clone())
                }
            };
            let same = match (key, &current) {
                (Some(key), Some(Ok(run))) => text(key) == lines_data.get(run.clone()),
                (Some(key), Some(Err(run))) => text(key) == Some(run.as_slice()),
                _ => false,
            };
            match key {
                Some(_) if same => {}
                Some(key) => {
                    while splits.next_if(|(line, _)| *line < row.line).is_some() {}
                    let split = splits
                        .next_if(|(line, _)| *line == row.line)
                        .map(|(_, why)| why);
                    blocks.push(Block {
                        rows: rows.len()..rows.len(),
                        orphan: false,
                        split,
                    });
                    current = Some(if key.start >= base {
                        Err(text(key).unwrap_or_default().to_vec())
                    } else {
                        Ok(key.clone())
                    });
                }
                None if blocks.is_empty() => blocks.push(Block {
                    rows: 0..0,
                    orphan: true,
                    split: None,
                }),
                None => {}
            }
            rows.push(RowRef {
                line: row.line,
                fields: row.at,
                unclosed: row.unclosed,
            });
            if let Some(block) = blocks.last_mut() {
                block.rows.end = rows.len();
            }
        });
        data.extend_from_slice(&unquoted);
        self.blank_lines = blank;
    }

    /// Checks the chunk's field bytes for UTF-8 once, as a whole (far cheaper than field by
    /// field): when they are, the fields are read as text with no further check.
    fn check_utf8(&mut self) {
        match String::from_utf8(std::mem::take(&mut self.data)) {
            Ok(text) => self.text = text,
            Err(error) => self.data = error.into_bytes(),
        }
    }

    fn span(&self, row: &RowRef, index: usize) -> Option<Range<usize>> {
        if index >= row.fields.len() {
            return None;
        }
        self.fields.get(row.fields.start + index).cloned()
    }

    fn field(&self, row: &RowRef, index: usize) -> Option<&[u8]> {
        let span = self.span(row, index)?;
        if self.data.is_empty() {
            self.text.as_bytes().get(span)
        } else {
            self.data.get(span)
        }
    }

    /// A field as text, or its bytes when the chunk is not all UTF-8 and this field is not.
    fn field_text(&self, row: &RowRef, index: usize) -> Result<&str, &[u8]> {
        match self.span(row, index) {
            Some(span) => self.span_text(span),
            None => Ok(""),
        }
    }

    /// The text at `span`, or its bytes when the chunk is not all UTF-8 and they are not.
    fn span_text(&self, span: Range<usize>) -> Result<&str, &[u8]> {
        if self.data.is_empty() {
            Ok(self.text.get(span).unwrap_or_default())
        } else {
            let raw = self.data.get(span).unwrap_or_default();
            std::str::from_utf8(raw).map_err(|_| raw)
        }
    }
}

/// What the reader counted.
struct ReadStats {
    /// Physical lines after the header.
    lines: u64,
    split_persons: u64,
}

/// The input after its header: `head` holds the first bytes read, the body starting at
/// `body` (past the header's line break); `input` the rest.
struct Start<R> {
    input: R,
    head: Vec<u8>,
    body: usize,
}

impl<R: Read> Start<R> {
    /// The reader's work: the rest of the input into chunks of whole lines, each handed to
    /// `send` (false once the writer has stopped). With `whole_lines` (a file known to
    /// hold no split person) the lines are cut into chunks of about `chunk_bytes` between
    /// persons, without looking at each; otherwise line by line, looking up each person.
    fn read(
        self,
        whole_lines: bool,
        chunk_bytes: usize,
        layout: &Layout,
        contiguity: &Contiguity,
        send: impl FnMut(Chunk) -> bool,
    ) -> Result<ReadStats, BatchError> {
        if whole_lines {
            read_lines(self, chunk_bytes, layout, send)
        } else {
            read_records(self, layout, contiguity, send)
        }
    }
}

/// The size of a chunk of whole lines.
const LINES_CHUNK: usize = 1 << 18;

/// Reads the header row: the first line, whatever it holds.
fn open_input<R: Read>(mut input: R) -> Result<(Layout, Start<R>), BatchError> {
    let read_error = |e: std::io::Error| BatchError::Read {
        message: e.to_string(),
    };
    let mut head = Vec::new();
    let (end, body) = loop {
        let before = head.len();
        let got = (&mut input)
            .take(LINES_CHUNK as u64)
            .read_to_end(&mut head)
            .map_err(read_error)?;
        // A line break in what was just read (or a `\r` just before it, whose `\n` came now).
        let from = before.saturating_sub(1);
        if let Some((end, body)) = lines::first_line_end(head.get(from..).unwrap_or_default()) {
            break (from + end, from + body);
        }
        if got == 0 {
            // No line after the header: it ends at its line break, if any.
            let end = memchr::memchr2(b'\n', b'\r', &head).unwrap_or(head.len());
            break (end, head.len());
        }
    };
    if head.is_empty() {
        return Err(empty_input());
    }
    let layout = read_header(head.get(..end).unwrap_or_default())?;
    Ok((layout, Start { input, head, body }))
}

/// The reader thread for a file known to hold no split person: chunks of whole lines, cut
/// between persons, handed to `send` (false once the writer has stopped).
fn read_lines<R: Read>(
    Start {
        mut input,
        head,
        body,
    }: Start<R>,
    chunk_bytes: usize,
    layout: &Layout,
    mut send: impl FnMut(Chunk) -> bool,
) -> Result<ReadStats, BatchError> {
    let read_error = |e: std::io::Error| BatchError::Read {
        message: e.to_string(),
    };
    let person_index = layout.person_index();
    // `pending` starts at the start of a line.
    let mut pending = head;
    pending.drain(..body.min(pending.len()));
    let (mut seq, mut lines_before, mut bytes_before) = (0, 1, body as u64);
    let mut want = chunk_bytes;
    let mut at_end = false;
    loop {
        if !at_end && pending.len() < want {
            let missing = want - pending.len();
            let got = (&mut input)
                .take(missing as u64)
                .read_to_end(&mut pending)
                .map_err(read_error)?;
            at_end = got < missing;
        }
        let cut = if at_end {
            pending.len()
        } else {
            match lines::person_boundary(&pending, layout.width, person_index) {
                Some(cut) => cut,
                None => {
                    // One person so far (or one long line): read on.
                    want = pending.len() * 2;
                    continue;
                }
            }
        };
        let stats = ReadStats {
            lines: lines_before - 1,
            split_persons: 0,
        };
        if cut == 0 {
            return Ok(stats);
        }
        let mut next = Vec::with_capacity(chunk_bytes + chunk_bytes / 4);
        next.extend_from_slice(pending.get(cut..).unwrap_or_default());
        let mut data = std::mem::replace(&mut pending, next);
        data.truncate(cut);
        want = chunk_bytes;
        let last = at_end && pending.is_empty();
        let lines = if last {
            lines::physical_lines(&data)
        } else {
            lines::line_breaks(&data)
        };
        let chunk = Chunk {
            seq,
            end_byte: bytes_before + cut as u64,
            data,
            // The first line is the one after the lines before.
            unsplit: Some(lines_before + 1),
            ..Chunk::default()
        };
        seq += 1;
        lines_before += lines;
        bytes_before += cut as u64;
        if !send(chunk) || last {
            return Ok(ReadStats {
                lines: lines_before - 1,
                split_persons: 0,
            });
        }
    }
}

/// The reader thread for any file or stream: line by line, each line's person looked up to
/// find the persons whose rows are not contiguous; chunks of whole persons' lines handed to
/// `send` (false once the writer has stopped).
fn read_records<R: Read>(
    Start { input, head, body }: Start<R>,
    layout: &Layout,
    contiguity: &Contiguity,
    mut send: impl FnMut(Chunk) -> bool,
) -> Result<ReadStats, BatchError> {
    let read_error = |e: std::io::Error| BatchError::Read {
        message: e.to_string(),
    };
    let person_index = layout.person_index();
    let mut head = head;
    head.drain(..body.min(head.len()));
    let mut reader = LineReader::new(head, input);
    let mut seq = 0;
    let mut line_number = 1;
    let mut rows = 0;
    let new_chunk = |seq: u64, first_line: u64| Chunk {
        unsplit: Some(first_line),
        ..Chunk::new(seq)
    };
    let mut chunk = new_chunk(seq, 2);
    let mut current: Vec<u8> = Vec::new();
    let mut started = false;
    let mut persons = Persons::default();
    while let Some((content, line)) = reader.next_line().map_err(read_error)? {
        line_number += 1;
        let key = lines::line_key(
            line.get(..content).unwrap_or_default(),
            layout.width,
            person_index,
        );
        match key {
            Some(key) if started && *key == *current => {}
            Some(key) => {
                if rows >= CHUNK_ROWS {
                    seq += 1;
                    let full = std::mem::replace(&mut chunk, new_chunk(seq, line_number));
                    rows = 0;
                    if !send(full) {
                        return Ok(ReadStats {
                            lines: line_number - 1,
                            split_persons: persons.repeated.len() as u64,
                        });
                    }
                }
                started = true;
                current.clear();
                current.extend_from_slice(&key);
                if let Some(why) = persons.refused(&key, line_number, contiguity) {
                    chunk.split_starts.push((line_number, why));
                }
            }
            None => {}
        }
        rows += usize::from(content > 0);
        chunk.data.extend_from_slice(line);
        chunk.end_byte = body as u64 + reader.consumed();
    }
    if !chunk.data.is_empty() {
        // A refused send means the writer stopped; it reports why.
        let _ = send(chunk);
    }
    Ok(ReadStats {
        lines: line_number - 1,
        split_persons: persons.repeated.len() as u64,
    })
}

/// The persons a reader has seen, to refuse the blocks of persons whose rows are not
/// contiguous.
#[derive(Default)]
struct Persons {
    seen: FingerprintSet,
    first_lines: FingerprintMap<u64>,
    repeated: FingerprintSet,
}

impl Persons {
    /// Why the block of `person` starting at `line` is refused, if it is.
    fn refused(&mut self, person: &[u8], line: u64, contiguity: &Contiguity) -> Option<String> {
        match contiguity {
            // No split person in the file: nothing to look up.
            Contiguity::Ascending => None,
            Contiguity::Known(split) if split.is_empty() => None,
            Contiguity::Known(split) => {
                let print = fingerprint(person);
                let later = split.later_blocks.get(&print)?;
                self.repeated.insert(print);
                let first = *self.first_lines.entry(print).or_insert(line);
                let lines: Vec<String> = std::iter::once(first)
                    .chain(later.iter().copied())
                    .map(|l| l.to_string())
                    .collect();
                Some(format!(
                    "the rows of person {} are not contiguous: they form {} separate blocks, starting at lines {}; every row of this person is refused; group the file by person_id",
                    quoted(&String::from_utf8_lossy(person)),
                    lines.len(),
                    lines.join(", ")
                ))
            }
            Contiguity::Streaming => {
                let print = fingerprint(person);
                if self.seen.insert(print) {
                    return None;
                }
                self.repeated.insert(print);
                Some(format!(
                    "the rows of person {} are not contiguous: an earlier block of this person was already settled from its own rows (a stream is read once), so these rows are refused; group the file by person_id",
                    quoted(&String::from_utf8_lossy(person))
                ))
            }
        }
    }
}

/// A processed chunk, ready to write.
#[derive(Debug, Default)]
struct SettledChunk {
    seq: u64,
    end_byte: u64,
    output: String,
    errors: String,
    per_claim: String,
    tally: Tally,
    /// The chunk's persons in order, when the batch checks that they ascend.
    persons: Option<PersonsSeen>,
}

/// The persons of a chunk, for the check of [`Contiguity::Ascending`].
#[derive(Debug, Default)]
struct PersonsSeen {
    /// The first person and the line of its first row.
    first: Option<(u64, Vec<u8>)>,
    /// The last person (empty when the chunk has none).
    last: Vec<u8>,
    /// The first person of the chunk that does not come after the one before it.
    descent: Option<Descent>,
}

/// A person that does not come after the person before it.
#[derive(Debug)]
struct Descent {
    line: u64,
    person: Vec<u8>,
    after: Vec<u8>,
}

impl Descent {
    fn error(self) -> BatchError {
        BatchError::NotAscending {
            line: self.line,
            person: String::from_utf8_lossy(&self.person).into_owned(),
            after: String::from_utf8_lossy(&self.after).into_owned(),
        }
    }
}

/// The persons of a chunk in order (its blocks start where the person changes), and where
/// they stop ascending.
fn persons_seen(chunk: &Chunk, person_index: usize) -> PersonsSeen {
    let mut seen = PersonsSeen::default();
    let mut before: Option<&[u8]> = None;
    for block in chunk.blocks.iter().filter(|b| !b.orphan) {
        let Some(row) = chunk.rows.get(block.rows.start) else {
            continue;
        };
        let Some(person) = chunk.field(row, person_index) else {
            continue;
        };
        match before {
            None => seen.first = Some((row.line, person.to_vec())),
            Some(after) if person <= after => {
                seen.descent = Some(Descent {
                    line: row.line,
                    person: person.to_vec(),
                    after: after.to_vec(),
                });
                return seen;
            }
            Some(_) => {}
        }
        before = Some(person);
    }
    seen.last = before.map(<[u8]>::to_vec).unwrap_or_default();
    seen
}

/// Counts and money of a chunk, in fen.
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    rows: u64,
    rows_settled: u64,
    rows_in_error: u64,
    persons_settled: u64,
    persons_with_errors: u64,
    persons_catastrophic_not_settled: u64,
    lines_blank: u64,
    amount: i64,
    basic_fund: i64,
    catastrophic: i64,
    personal: i64,
    overflow: Option<&'static str>,
}

impl Tally {
    fn add_money(&mut self, fen: [i64; 4]) {
        const WHAT: [&str; 4] = ["amount", "basic fund", "catastrophic", "personal burden"];
        let slots = [
            &mut self.amount,
            &mut self.basic_fund,
            &mut self.catastrophic,
            &mut self.personal,
        ];
        for ((slot, add), what) in slots.into_iter().zip(fen).zip(WHAT) {
            match slot.checked_add(add) {
                Some(sum) => *slot = sum,
                None => self.overflow = Some(what),
            }
        }
    }

    fn merge(&mut self, other: &Tally) {
        self.rows += other.rows;
        self.rows_settled += other.rows_settled;
        self.rows_in_error += other.rows_in_error;
        self.persons_settled += other.persons_settled;
        self.persons_with_errors += other.persons_with_errors;
        self.persons_catastrophic_not_settled += other.persons_catastrophic_not_settled;
        self.lines_blank += other.lines_blank;
        self.add_money([
            other.amount,
            other.basic_fund,
            other.catastrophic,
            other.personal,
        ]);
        if other.overflow.is_some() {
            self.overflow = other.overflow;
        }
    }
}

/// The run's settings every worker reads: the library, the header's layout, the place and year.
struct RunContext<'l> {
    library: &'l PolicyLibrary,
    layout: Layout,
    jurisdiction: String,
    year: PolicyYear,
    previous_year: Option<PolicyYear>,
    mode: BatchMode,
    per_claim: bool,
    catastrophic_present: bool,
    /// How an `general_outpatient` row's level reads.
    outpatient: OutpatientLevels,
    /// Whether the persons are checked to ascend ([`Contiguity::Ascending`]).
    check_ascending: bool,
}

/// Settles a claims file: reads `input`, writes the results to `sinks` in input order and
/// returns the summary. `progress` is called on the calling thread after each chunk.
///
/// # Errors
/// [`BatchError`] when the batch cannot run at all: an unusable header, no policy book for
/// the jurisdiction and year, an input that cannot be read, an output that cannot be
/// written. Bad rows are not errors: they go to `sinks.errors` and are counted.
pub fn run(
    library: &PolicyLibrary,
    options: &BatchOptions,
    input: impl Read + Send,
    contiguity: &Contiguity,
    sinks: Sinks<'_>,
    progress: &mut dyn FnMut(&Progress),
) -> Result<BatchSummary, BatchError> {
    let started = Instant::now();
    let policy_error = |reason: String| BatchError::Policy {
        jurisdiction: options.jurisdiction.clone(),
        year: options.year,
        reason,
    };
    let book = library
        .book(&options.jurisdiction, options.year)
        .map_err(|e| policy_error(e.to_string()))?;
    if book.benefits.present().is_none() {
        return Err(policy_error(
            "the policy data gives no benefits for this year".to_owned(),
        ));
    }
    // A file known to hold no split person needs no person looked up as it is read: its
    // lines can go to the workers whole.
    let whole_lines = contiguity.no_split_person();
    let (layout, start) = open_input(input)?;
    let Sinks {
        output,
        errors,
        mut per_claim,
    } = sinks;
    if options.mode == BatchMode::Settle {
        writeln!(output, "{OUTPUT_HEADER}").map_err(write_error("output"))?;
        if let Some(sink) = per_claim.as_deref_mut() {
            writeln!(sink, "{PER_CLAIM_HEADER}").map_err(write_error("per-claim output"))?;
        }
    }
    writeln!(errors, "{ERRORS_HEADER}").map_err(write_error("errors file"))?;

    let context = RunContext {
        library,
        layout,
        jurisdiction: options.jurisdiction.clone(),
        year: options.year,
        previous_year: options.year.previous(),
        mode: options.mode,
        per_claim: per_claim.is_some(),
        catastrophic_present: matches!(book.catastrophic, Section::Present(_)),
        outpatient: match book
            .benefits
            .present()
            .and_then(|b| b.general_outpatient.as_ref())
        {
            Some(params) if !params.paid_at.contains(&HospitalLevel::PrimaryCare) => {
                OutpatientLevels::ByLevel
            }
            _ => OutpatientLevels::PrimaryCare,
        },
        check_ascending: matches!(contiguity, Contiguity::Ascending),
    };
    let mut writer = OrderedWriter::new(output, errors, per_claim, progress);
    let read = if options.threads.get() == 1 {
        settle_in_this_thread(
            &context,
            start,
            whole_lines,
            options,
            contiguity,
            &mut writer,
        )?
    } else {
        settle_on_workers(
            &context,
            start,
            whole_lines,
            options,
            contiguity,
            &mut writer,
        )?
    };
    let tally = writer.finish()?;
    if let Some(what) = tally.overflow {
        return Err(BatchError::TotalTooLarge { what });
    }
    // The rows are counted by the workers that split the lines into rows.
    let rows_in = tally.rows;
    if tally.rows != tally.rows_settled + tally.rows_in_error {
        return Err(BatchError::Internal {
            message: format!(
                "{rows_in} rows read but {} settled and {} in error",
                tally.rows_settled, tally.rows_in_error
            ),
        });
    }
    let yuan = |fen: i64, what: &'static str| {
        Yuan::from_fen(fen).map_err(|_| BatchError::TotalTooLarge { what })
    };
    Ok(BatchSummary {
        mode: options.mode,
        rows_in,
        rows_settled: tally.rows_settled,
        rows_in_error: tally.rows_in_error,
        persons_settled: tally.persons_settled,
        persons_with_errors: tally.persons_with_errors,
        split_persons: read.split_persons,
        persons_catastrophic_not_settled: tally.persons_catastrophic_not_settled,
        // The lines as the reader counted them; the rest as the workers found them: every
        // row is one line.
        lines_in: read.lines,
        lines_settled: tally.rows_settled,
        lines_in_error: tally.rows_in_error,
        lines_blank: tally.lines_blank,
        amount: yuan(tally.amount, "amount")?,
        basic_fund: yuan(tally.basic_fund, "basic fund")?,
        catastrophic: yuan(tally.catastrophic, "catastrophic")?,
        personal: yuan(tally.personal, "personal burden")?,
        elapsed: started.elapsed(),
    })
}

/// A run with one worker: the chunks read, settled and written in this thread, one after
/// the other (no thread started, no chunk waiting).
fn settle_in_this_thread<R: Read>(
    context: &RunContext<'_>,
    start: Start<R>,
    whole_lines: bool,
    options: &BatchOptions,
    contiguity: &Contiguity,
    writer: &mut OrderedWriter<'_, '_>,
) -> Result<ReadStats, BatchError> {
    let mut worker = Worker::new(context);
    let mut write_result = Ok(());
    let read_result = start.read(
        whole_lines,
        options.block_bytes.get(),
        &context.layout,
        contiguity,
        |chunk| {
            write_result = writer.accept(worker.settle(context, chunk)).map(|_| ());
            write_result.is_ok()
        },
    );
    // As with workers: a write error first, then a read error.
    write_result?;
    read_result
}

/// A run with worker threads: a reader thread cuts chunks, the workers settle them, and
/// this thread writes them in order, at most a window of chunks ahead of the writing.
fn settle_on_workers<R: Read + Send>(
    context: &RunContext<'_>,
    start: Start<R>,
    whole_lines: bool,
    options: &BatchOptions,
    contiguity: &Contiguity,
    writer: &mut OrderedWriter<'_, '_>,
) -> Result<ReadStats, BatchError> {
    let threads = options.threads.get();
    let window = threads * WINDOW_PER_THREAD;
    let (work_tx, work_rx) = sync_channel::<Chunk>(threads * 2);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = sync_channel::<SettledChunk>(window);
    let (token_tx, token_rx) = sync_channel::<()>(window);
    for _ in 0..window {
        token_tx.send(()).map_err(|_| BatchError::Internal {
            message: "the reorder window could not be opened".to_owned(),
        })?;
    }
    let (read_result, write_result) = std::thread::scope(|scope| {
        let reader_thread = scope.spawn(move || {
            let send = |chunk: Chunk| token_rx.recv().is_ok() && work_tx.send(chunk).is_ok();
            start.read(
                whole_lines,
                options.block_bytes.get(),
                &context.layout,
                contiguity,
                send,
            )
        });
        for _ in 0..threads {
            let work_rx = Arc::clone(&work_rx);
            let done_tx = done_tx.clone();
            scope.spawn(move || work(context, &work_rx, &done_tx));
        }
        // Only the workers hold these now: when the writer stops early, the workers stop,
        // and the reader's sends fail instead of blocking.
        drop(work_rx);
        drop(done_tx);
        let write_result = write_in_order(done_rx, &token_tx, writer);
        drop(token_tx);
        let read_result = reader_thread.join().unwrap_or_else(|_| {
            Err(BatchError::Internal {
                message: "the reader thread stopped".to_owned(),
            })
        });
        (read_result, write_result)
    });
    write_result?;
    read_result
}

/// A worker thread: takes chunks until the reader is done.
fn work(context: &RunContext<'_>, work: &Mutex<Receiver<Chunk>>, done: &SyncSender<SettledChunk>) {
    let mut worker = Worker::new(context);
    loop {
        let next = match work.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(chunk) = next else {
            return;
        };
        if done.send(worker.settle(context, chunk)).is_err() {
            return;
        }
    }
}

/// What a worker keeps from chunk to chunk: its settler, and the lists a chunk of whole
/// lines is split into.
struct Worker {
    settler: Settler,
    lists: (Vec<Range<usize>>, Vec<RowRef>, Vec<Block>),
}

impl Worker {
    fn new(context: &RunContext<'_>) -> Worker {
        Worker {
            settler: Settler::new(context),
            lists: (Vec::new(), Vec::new(), Vec::new()),
        }
    }

    /// Splits a chunk into rows (when the reader left its lines whole), settles its
    /// persons and gives back the lists for the next chunk.
    fn settle(&mut self, context: &RunContext<'_>, mut chunk: Chunk) -> SettledChunk {
        (chunk.fields, chunk.rows, chunk.blocks) = std::mem::take(&mut self.lists);
        chunk.split_lines(&context.layout);
        chunk.check_utf8();
        let mut settled = process(context, &chunk, &mut self.settler);
        settled.tally.lines_blank = chunk.blank_lines;
        if context.check_ascending {
            settled.persons = Some(persons_seen(&chunk, context.layout.person_index()));
        }
        chunk.fields.clear();
        chunk.rows.clear();
        chunk.blocks.clear();
        self.lists = (chunk.fields, chunk.rows, chunk.blocks);
        settled
    }
}

/// The calling thread of a run with worker threads: writes the chunks in sequence order as
/// they come, returning a window token for each.
fn write_in_order(
    done: Receiver<SettledChunk>,
    tokens: &SyncSender<()>,
    writer: &mut OrderedWriter<'_, '_>,
) -> Result<(), BatchError> {
    for chunk in done {
        for _ in 0..writer.accept(chunk)? {
            // The reader may have stopped already; a token nobody takes is harmless.
            let _ = tokens.try_send(());
        }
    }
    Ok(())
}

/// Writes settled chunks in sequence order, whatever order they come in: their outputs,
/// errors and per-claim rows, with the tally and the progress; checks that the persons
/// ascend when the run presumes it.
struct OrderedWriter<'s, 'p> {
    output: &'s mut dyn Write,
    errors: &'s mut dyn Write,
    per_claim: Option<&'s mut dyn Write>,
    progress: &'p mut dyn FnMut(&Progress),
    tally: Tally,
    /// Chunks settled before the one to write next.
    pending: BTreeMap<u64, SettledChunk>,
    next: u64,
    /// The last person written, when the persons are checked to ascend.
    last_person: Vec<u8>,
}

impl<'s, 'p> OrderedWriter<'s, 'p> {
    fn new(
        output: &'s mut dyn Write,
        errors: &'s mut dyn Write,
        per_claim: Option<&'s mut dyn Write>,
        progress: &'p mut dyn FnMut(&Progress),
    ) -> OrderedWriter<'s, 'p> {
        OrderedWriter {
            output,
            errors,
            per_claim,
            progress,
            tally: Tally::default(),
            pending: BTreeMap::new(),
            next: 0,
            last_person: Vec::new(),
        }
    }

    /// Takes a settled chunk and writes every chunk now due; returns how many were written.
    fn accept(&mut self, chunk: SettledChunk) -> Result<u64, BatchError> {
        self.pending.insert(chunk.seq, chunk);
        let mut written = 0;
        while let Some(chunk) = self.pending.remove(&self.next) {
            self.write(chunk)?;
            self.next += 1;
            written += 1;
        }
        Ok(written)
    }

    fn write(&mut self, mut chunk: SettledChunk) -> Result<(), BatchError> {
        if let Some(seen) = chunk.persons.take() {
            if let Some(descent) = seen.descent {
                return Err(descent.error());
            }
            if let Some((line, first)) = seen.first {
                if !self.last_person.is_empty() && first <= self.last_person {
                    return Err(Descent {
                        line,
                        person: first,
                        after: std::mem::take(&mut self.last_person),
                    }
                    .error());
                }
                self.last_person = seen.last;
            }
        }
        self.output
            .write_all(chunk.output.as_bytes())
            .map_err(write_error("output"))?;
        self.errors
            .write_all(chunk.errors.as_bytes())
            .map_err(write_error("errors file"))?;
        if let Some(sink) = self.per_claim.as_deref_mut() {
            sink.write_all(chunk.per_claim.as_bytes())
                .map_err(write_error("per-claim output"))?;
        }
        self.tally.merge(&chunk.tally);
        (self.progress)(&Progress {
            bytes: chunk.end_byte,
            rows: self.tally.rows,
            persons: self.tally.persons_settled,
        });
        Ok(())
    }

    /// Every chunk written and every output flushed: the run's tally.
    fn finish(self) -> Result<Tally, BatchError> {
        if !self.pending.is_empty() {
            return Err(BatchError::Internal {
                message: format!("chunk {} never arrived", self.next),
            });
        }
        self.output.flush().map_err(write_error("output"))?;
        self.errors.flush().map_err(write_error("errors file"))?;
        if let Some(sink) = self.per_claim {
            sink.flush().map_err(write_error("per-claim output"))?;
        }
        Ok(self.tally)
    }
}

/// The error of a failed write to `what`.
fn write_error(what: &'static str) -> impl Fn(std::io::Error) -> BatchError {
    move |e| BatchError::Write {
        what,
        message: e.to_string(),
    }
}

/// How the `hospital_level` of an `general_outpatient` row reads, by where the year's
/// general outpatient rule pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OutpatientLevels {
    /// At primary care only (Huai'an, H11): the level is `1` or empty, read as primary care.
    PrimaryCare,
    /// At hospital levels (Kunshan, K3: level 1, 2 or 3): the level is required and read
    /// as it is.
    ByLevel,
}

/// The level column, as read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LevelName {
    Empty,
    PrimaryCare,
    Level1,
    Level2,
    Level3,
    OutOfCity,
}

impl LevelName {
    fn text(self) -> &'static str {
        match self {
            LevelName::Empty => "",
            LevelName::PrimaryCare => HospitalLevel::PrimaryCare.name(),
            LevelName::Level1 => HospitalLevel::Level1.name(),
            LevelName::Level2 => HospitalLevel::Level2.name(),
            LevelName::Level3 => HospitalLevel::Level3.name(),
            LevelName::OutOfCity => "out_of_city",
        }
    }
}

/// The person columns of a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct PersonColumns {
    class: PersonClass,
    family_doctor: FamilyDoctor,
    continuity_years: u32,
    zero_claim_prev: bool,
    group: PersonGroup,
}

/// A row read into a claim.
struct ParsedRow {
    person: PersonColumns,
    claim: ClaimInput,
    level: LevelName,
}

/// Why a row is refused: the column and the reason.
struct RowError {
    column: &'static str,
    reason: String,
}

fn refuse(column: Column, reason: impl Into<String>) -> RowError {
    RowError {
        column: column.name(),
        reason: reason.into(),
    }
}

/// One line of the errors file, before writing: the row's position in its block.
struct ErrorRow {
    at: usize,
    column: &'static str,
    reason: String,
}

fn process(context: &RunContext<'_>, chunk: &Chunk, settler: &mut Settler) -> SettledChunk {
    let mut done = SettledChunk {
        seq: chunk.seq,
        end_byte: chunk.end_byte,
        ..SettledChunk::default()
    };
    let person_index = context.layout.person_index();
    for block in &chunk.blocks {
        settler.clear();
        let Settler {
            scenario,
            positions,
            levels,
            errors,
            report,
        } = settler;
        let rows = chunk.rows.get(block.rows.clone()).unwrap_or_default();
        done.tally.rows += rows.len() as u64;
        let person_id = match (block.orphan, rows.first()) {
            (false, Some(first)) => match chunk.field_text(first, person_index) {
                Ok(text) => std::borrow::Cow::Borrowed(text),
                Err(raw) => String::from_utf8_lossy(raw),
            },
            _ => std::borrow::Cow::Borrowed(""),
        };
        if let Some(reason) = &block.split {
            errors.extend((0..rows.len()).map(|at| ErrorRow {
                at,
                column: Column::PersonId.name(),
                reason: reason.clone(),
            }));
        } else if let Some(person) = parse_person(
            context,
            chunk,
            rows,
            Parsed {
                scenario: &mut *scenario,
                positions: &mut *positions,
                levels: &mut *levels,
                errors: &mut *errors,
            },
        ) {
            fill_person(context, scenario, &person_id, person);
            settle_person(
                context, &person_id, scenario, rows, positions, levels, errors, report, &mut done,
            );
        }
        if !errors.is_empty() {
            done.tally.persons_with_errors += 1;
            done.tally.rows_in_error += errors.len() as u64;
            errors.sort_by_key(|e| e.at);
            for error in errors.iter() {
                let Some(row) = rows.get(error.at) else {
                    continue;
                };
                // The row's own person field: the block's person, or what a malformed line
                // holds there when it looks like an id.
                let person = chunk
                    .field(row, person_index)
                    .filter(|p| {
                        row.fields.len() == context.layout.width
                            || (p.len() <= 64 && !p.contains(&b'\n'))
                    })
                    .unwrap_or_default();
                let _ = write!(done.errors, "{},", row.line);
                push_csv_field(&mut done.errors, &String::from_utf8_lossy(person));
                done.errors.push(',');
                push_csv_field(&mut done.errors, error.column);
                done.errors.push(',');
                push_csv_field(&mut done.errors, &error.reason);
                done.errors.push('\n');
            }
        }
    }
    done
}

/// The parts of a worker's settler a person's rows are parsed into.
struct Parsed<'s> {
    scenario: &'s mut Scenario,
    positions: &'s mut Vec<usize>,
    levels: &'s mut Vec<LevelName>,
    errors: &'s mut Vec<ErrorRow>,
}

/// Parses the rows of one person's block into the scenario's claims. The person is whole
/// or held back: when any of the person's rows is refused, or the person columns of two
/// rows disagree, every row goes to the errors (the refused rows with their own reason, the
/// others naming the first refused row) and `None` is returned. A refused row is the
/// person's when its `person_id` field reads as the person's (a row of the wrong width
/// included); a row without it (an empty person, a line too short to have one) is refused
/// on its own and holds no one back.
fn parse_person(
    context: &RunContext<'_>,
    chunk: &Chunk,
    rows: &[RowRef],
    parsed: Parsed<'_>,
) -> Option<PersonColumns> {
    let person_index = context.layout.person_index();
    let person = rows
        .first()
        .and_then(|row| chunk.field(row, person_index))
        .filter(|p| !p.is_empty());
    let Parsed {
        scenario,
        positions,
        levels,
        errors,
    } = parsed;
    let mut first: Option<(u64, PersonColumns)> = None;
    let mut conflict: Option<(u64, PersonColumns)> = None;
    for (at, row) in rows.iter().enumerate() {
        match parse_row(context, chunk, row) {
            Err(error) => errors.push(ErrorRow {
                at,
                column: error.column,
                reason: error.reason,
            }),
            Ok(row_parsed) => {
                match first {
                    None => first = Some((row.line, row_parsed.person)),
                    Some((_, person)) if conflict.is_none() && person != row_parsed.person => {
                        conflict = Some((row.line, row_parsed.person));
                    }
                    Some(_) => {}
                }
                positions.push(at);
                levels.push(row_parsed.level);
                scenario.claims.push(row_parsed.claim);
            }
        }
    }
    let line = |at: usize| rows.get(at).map_or(0, |r| r.line);
    let own = |error: &&ErrorRow| {
        person.is_some()
            && rows
                .get(error.at)
                .and_then(|row| chunk.field(row, person_index))
                == person
    };
    let mut refused_own = errors.iter().filter(own);
    if let Some(refused) = refused_own.next() {
        let others = refused_own.count();
        let which = match others {
            0 => format!("line {} was refused", line(refused.at)),
            1 => format!("line {} and 1 other line were refused", line(refused.at)),
            n => format!("line {} and {n} other lines were refused", line(refused.at)),
        };
        let reason = format!(
            "person held back: {which} (line {}: {}{})",
            line(refused.at),
            if refused.column.is_empty() {
                String::new()
            } else {
                format!("{}: ", refused.column)
            },
            refused.reason
        );
        errors.extend(positions.iter().map(|&at| ErrorRow {
            at,
            column: "",
            reason: reason.clone(),
        }));
        return None;
    }
    let (first_line, person) = first?;
    if let Some((line, other)) = conflict {
        let (column, reason) = person_conflict(&person, &other, first_line, line);
        errors.extend(positions.iter().map(|&at| ErrorRow {
            at,
            column,
            reason: reason.clone(),
        }));
        return None;
    }
    Some(person)
}

fn person_conflict(
    first: &PersonColumns,
    this: &PersonColumns,
    first_line: u64,
    this_line: u64,
) -> (&'static str, String) {
    let (column, was, is) = if first.class != this.class {
        (
            Column::Category,
            category_text(first.class),
            category_text(this.class),
        )
    } else if first.family_doctor != this.family_doctor {
        (
            Column::FamilyDoctor,
            bool_text(first.family_doctor == FamilyDoctor::Signed).to_owned(),
            bool_text(this.family_doctor == FamilyDoctor::Signed).to_owned(),
        )
    } else if first.continuity_years != this.continuity_years {
        (
            Column::ContinuityYears,
            first.continuity_years.to_string(),
            this.continuity_years.to_string(),
        )
    } else if first.zero_claim_prev != this.zero_claim_prev {
        (
            Column::ZeroClaimPrev,
            bool_text(first.zero_claim_prev).to_owned(),
            bool_text(this.zero_claim_prev).to_owned(),
        )
    } else {
        (
            Column::Group,
            first.group.to_string(),
            this.group.to_string(),
        )
    };
    (
        column.name(),
        format!(
            "person held back: its rows disagree on `{}`: `{was}` on line {first_line}, `{is}` on line {this_line}; a person's columns must agree on every row",
            column.name()
        ),
    )
}

fn category_text(class: PersonClass) -> String {
    class.name().to_owned()
}

fn bool_text(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}

/// Settles one person's parsed rows (or, parse-only, counts them) and writes the results.
#[allow(clippy::too_many_arguments)] // one person's parts, borrowed from the worker's settler
fn settle_person(
    context: &RunContext<'_>,
    person_id: &str,
    scenario: &Scenario,
    rows: &[RowRef],
    positions: &[usize],
    levels: &[LevelName],
    errors: &mut Vec<ErrorRow>,
    report: &mut SettlementReport,
    done: &mut SettledChunk,
) {
    if context.mode == BatchMode::ParseOnly {
        done.tally.rows_settled += positions.len() as u64;
        done.tally.persons_settled += 1;
        std::hint::black_box(scenario);
        return;
    }
    let line = |i: usize| {
        positions
            .get(i)
            .and_then(|at| rows.get(*at))
            .map_or(0, |r| r.line)
    };
    let mut refuse_all = |column: Option<(usize, &'static str)>, reason: String| {
        let reason = format!(
            "person {} could not be settled: {reason}",
            quoted(person_id)
        );
        for (i, at) in positions.iter().enumerate() {
            errors.push(ErrorRow {
                at: *at,
                column: column.filter(|(c, _)| *c == i).map_or("", |(_, name)| name),
                reason: reason.clone(),
            });
        }
    };
    if let Err(error) = settle_into(context.library, scenario, Explain::FiguresOnly, report) {
        let (column, reason) = settle_error_text(&error, line);
        refuse_all(column, reason);
        return;
    }
    if let Some(reason) = incomplete(context, report) {
        refuse_all(None, reason);
        return;
    }
    let totals = &report.totals;
    // Catastrophic not settled: nothing paid is written, and the person keeps the burden
    // before catastrophic insurance.
    let not_settled = report
        .claims
        .iter()
        .find_map(|c| not_settled_reason(&c.catastrophic));
    let (catastrophic, personal) = match &not_settled {
        None => (totals.catastrophic, totals.personal),
        Some(_) => match totals.amount.checked_sub(totals.basic_fund) {
            Ok(burden) => (Yuan::ZERO, burden),
            Err(error) => {
                refuse_all(None, error.to_string());
                return;
            }
        },
    };
    done.tally.add_money([
        totals.amount.to_fen(),
        totals.basic_fund.to_fen(),
        catastrophic.to_fen(),
        personal.to_fen(),
    ]);
    done.tally.rows_settled += positions.len() as u64;
    done.tally.persons_settled += 1;
    push_csv_field(&mut done.output, person_id);
    done.output.push(',');
    push_yuan(&mut done.output, totals.basic_fund);
    done.output.push(',');
    if not_settled.is_none() {
        push_yuan(&mut done.output, catastrophic);
    }
    done.output.push(',');
    push_yuan(&mut done.output, personal);
    match &not_settled {
        None => done.output.push_str(",settled,"),
        Some(reason) => {
            done.tally.persons_catastrophic_not_settled += 1;
            done.output.push_str(",not_settled,");
            push_csv_field(&mut done.output, reason);
        }
    }
    done.output.push('\n');
    if context.per_claim {
        let mut by_index: Vec<Option<&ClaimReport>> = vec![None; positions.len()];
        for claim in &report.claims {
            if let Some(slot) = by_index.get_mut(claim.index) {
                *slot = Some(claim);
            }
        }
        for (i, (level, claim)) in levels.iter().zip(by_index).enumerate() {
            let Some(claim) = claim else { continue };
            let _ = write!(done.per_claim, "{},", line(i));
            push_csv_field(&mut done.per_claim, person_id);
            done.per_claim.push(',');
            push_csv_field(&mut done.per_claim, claim.id.as_deref().unwrap_or_default());
            let _ = write!(
                done.per_claim,
                ",{},{},{}",
                claim.date,
                kind_text(claim.kind),
                level.text()
            );
            let settled = not_settled_reason(&claim.catastrophic).is_none();
            for amount in [claim.amount, claim.basic_fund] {
                done.per_claim.push(',');
                push_yuan(&mut done.per_claim, amount);
            }
            done.per_claim.push(',');
            if settled {
                push_yuan(&mut done.per_claim, claim.catastrophic.paid());
            }
            done.per_claim.push(',');
            push_yuan(&mut done.per_claim, claim.personal);
            done.per_claim.push_str(if settled {
                ",settled,"
            } else {
                ",not_settled,"
            });
            // Why the basic fund pays nothing, when that is not arithmetic (never a silent 0).
            if let Some(reason) = &claim.not_paid {
                done.per_claim.push_str(reason.code());
            }
            done.per_claim.push('\n');
        }
    }
}

/// Why a claim's catastrophic part is not settled (`None` when it is): the reason's text as
/// the settlement words it.
fn not_settled_reason(part: &CatastrophicPart) -> Option<String> {
    match part {
        CatastrophicPart::Settled { .. } => None,
        CatastrophicPart::NotSettled { reason } => Some(reason.to_string()),
    }
}

/// A settled report the batch cannot write as a complete figure: where the year has a
/// catastrophic schedule, a cap that could not be computed from the person's columns. (A
/// catastrophic part not settled for a reason of the policy data, such as a year without a
/// published schedule, is written as `not_settled`.)
fn incomplete(context: &RunContext<'_>, report: &SettlementReport) -> Option<String> {
    if context.catastrophic_present && report.cap_in_force.is_none() {
        return Some(
            report
                .notes
                .iter()
                .find(|n| n.starts_with("catastrophic"))
                .map(|n| n.to_string())
                .unwrap_or_else(|| {
                    "the catastrophic cap in force could not be computed".to_owned()
                }),
        );
    }
    None
}

/// The settlement error as a reason, with the offending row's column when the error points
/// at a claim.
fn settle_error_text(
    error: &SettleError,
    line: impl Fn(usize) -> u64,
) -> (Option<(usize, &'static str)>, String) {
    let segments = error.path.segments();
    let mut text = error.message.clone();
    let mut column = None;
    match segments {
        [KeySegment::Key(claims), KeySegment::Index(i), rest @ ..] if claims == "claims" => {
            let name = match rest.first() {
                Some(KeySegment::Key(field)) => match field.as_str() {
                    "date" => Column::Date.name(),
                    "kind" => Column::Kind.name(),
                    "level" | "remote_care" => Column::HospitalLevel.name(),
                    "consultation_fee" => Column::ConsultationFee.name(),
                    "disease_class" => Column::DiseaseClass.name(),
                    "catalogue" => Column::Catalogue.name(),
                    _ => Column::Amount.name(),
                },
                _ => "",
            };
            let _ = write!(text, " (line {}", line(*i));
            if !name.is_empty() {
                let _ = write!(text, ", column {name}");
            }
            text.push(')');
            column = Some((*i, name));
        }
        [] => {}
        _ => {
            let _ = write!(text, " (at `{}`)", error.path);
        }
    }
    if let Some(hint) = &error.hint {
        let _ = write!(text, "; hint: {hint}");
    }
    (column, text)
}

/// A worker's buffers, reused from person to person: the scenario being settled (its claims,
/// id and incentives keep their allocations), the rows' positions and levels, the errors,
/// the settlement report.
struct Settler {
    scenario: Scenario,
    positions: Vec<usize>,
    levels: Vec<LevelName>,
    errors: Vec<ErrorRow>,
    report: SettlementReport,
}

impl Settler {
    fn new(context: &RunContext<'_>) -> Settler {
        Settler {
            scenario: Scenario {
                jurisdiction: context.jurisdiction.clone(),
                year: context.year,
                person: PersonInput {
                    id: Some(String::new()),
                    born: None,
                    category: None,
                    group: PersonGroup::Resident,
                    family_doctor: FamilyDoctor::NotSigned,
                    catastrophic_class: Some(PersonClass::Ordinary),
                },
                enrolment: Vec::new(),
                incentives: Some(IncentiveInput::default()),
                filings: Vec::new(),
                class_b_personal_share: None,
                claims: Vec::new(),
            },
            positions: Vec::new(),
            levels: Vec::new(),
            errors: Vec::new(),
            report: SettlementReport::empty(context.year),
        }
    }

    fn clear(&mut self) {
        self.scenario.claims.clear();
        self.positions.clear();
        self.levels.clear();
        self.errors.clear();
    }
}

/// Writes a person's columns into the scenario: no enrolment history (cover assumed), the
/// incentive history from `continuity_years` and `zero_claim_prev`.
fn fill_person(
    context: &RunContext<'_>,
    scenario: &mut Scenario,
    person_id: &str,
    person: PersonColumns,
) {
    let id = scenario.person.id.get_or_insert_with(String::new);
    id.clear();
    id.push_str(person_id);
    scenario.person.group = person.group;
    scenario.person.family_doctor = person.family_doctor;
    scenario.person.catastrophic_class = Some(person.class);
    let incentives = scenario
        .incentives
        .get_or_insert_with(IncentiveInput::default);
    incentives.consecutive_years = Some(person.continuity_years);
    incentives.re_enrolled_after_lapse = false;
    incentives.reward_quota_used_years.clear();
    incentives.zero_reimbursement_years.clear();
    if let (true, Some(previous)) = (person.zero_claim_prev, context.previous_year) {
        incentives.zero_reimbursement_years.push(previous);
    }
}

/// The name of a kind in the claims file (its [`Word::name`]).
pub fn kind_text(kind: ClaimKindName) -> &'static str {
    kind.name()
}

/// A row's fields by column slot, each read once: its text, or its bytes when the chunk is
/// not all UTF-8 and this field is not (an absent column reads as empty).
struct RowTexts<'c>([Result<&'c str, &'c [u8]>; COLUMNS]);

impl<'c> RowTexts<'c> {
    /// The fields of a row of the header's width.
    #[inline]
    fn read(chunk: &'c Chunk, row: &RowRef, layout: &Layout) -> RowTexts<'c> {
        let mut texts = [Ok(""); COLUMNS];
        let spans = chunk.fields.get(row.fields.clone()).unwrap_or_default();
        for (span, &slot) in spans.iter().zip(&layout.slots) {
            if let Some(text) = texts.get_mut(slot) {
                *text = chunk.span_text(span.clone());
            }
        }
        RowTexts(texts)
    }

    /// The text of a column, refusing bytes that are not UTF-8.
    #[inline]
    fn text(&self, column: Column) -> Result<&'c str, RowError> {
        match self.0.get(column.slot()).copied().unwrap_or(Ok("")) {
            Ok(text) => Ok(text),
            Err(raw) => Err(not_utf8(column, raw)),
        }
    }

    /// The first field that is not UTF-8, refused.
    fn check_utf8(&self) -> Result<(), RowError> {
        for column in Column::ALL {
            self.text(column)?;
        }
        Ok(())
    }

    /// The text of a column that must not be empty.
    #[inline]
    fn required(&self, column: Column) -> Result<&'c str, RowError> {
        match self.text(column)? {
            "" => Err(refuse(column, format!("`{}` is empty", column.name()))),
            value => Ok(value),
        }
    }

    /// The text of a column, `None` when empty or absent.
    #[inline]
    fn optional(&self, column: Column) -> Result<Option<&'c str>, RowError> {
        Ok(Some(self.text(column)?).filter(|v| !v.is_empty()))
    }
}

#[cold]
#[inline(never)]
fn not_utf8(column: Column, raw: &[u8]) -> RowError {
    refuse(
        column,
        format!(
            "the row is not UTF-8 text: `{}` holds {} (bytes that are not UTF-8 shown as U+FFFD); the claims file must be UTF-8",
            column.name(),
            quoted(&String::from_utf8_lossy(raw))
        ),
    )
}

/// Refuses an identifier that holds a control character (a NUL, a tab, a line break …), as
/// [`yibao_core::check_identifier`] does.
#[inline]
fn identifier(value: &str, column: Column) -> Result<(), RowError> {
    yibao_core::check_identifier(value).map_err(|e| refuse(column, e.to_string()))
}

/// The value `text` names among `choices`, or a refusal that lists them:
/// "`x` is not a kind (expected `a`, `b` or `c`)".
fn one_of<T: Copy>(
    column: Column,
    noun: &str,
    text: &str,
    choices: &[(&str, T)],
) -> Result<T, RowError> {
    if let Some((_, value)) = choices.iter().find(|(name, _)| *name == text) {
        return Ok(*value);
    }
    let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
    Err(refuse(
        column,
        format!(
            "{} is not a {noun} (expected {})",
            quoted(text),
            listed(&names)
        ),
    ))
}

/// Names in words: `` `a` ``, `` `a` or `b` ``, `` `a`, `b` or `c` ``.
fn listed(names: &[&str]) -> String {
    let names: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// A hospital level that is neither a [`HospitalLevel`] (by its name or an older spelling)
/// nor `out_of_city`.
#[cold]
fn not_a_level(text: &str) -> RowError {
    let mut names = HospitalLevel::NAMES.to_vec();
    names.push("out_of_city");
    refuse(
        Column::HospitalLevel,
        format!(
            "{} is not a hospital level (expected {})",
            quoted(text),
            listed(&names)
        ),
    )
}

/// A domain word of a column, by its name or an older spelling ([`Word::from_name`]).
fn word<W: Word>(column: Column, noun: &str, text: &str) -> Result<W, RowError> {
    W::from_name(text).ok_or_else(|| {
        refuse(
            column,
            format!(
                "{} is not a {noun} (expected {})",
                quoted(text),
                W::expected()
            ),
        )
    })
}

#[inline]
fn boolean(value: &str, column: Column) -> Result<bool, RowError> {
    match value.as_bytes() {
        b"true" => Ok(true),
        b"false" => Ok(false),
        _ => Err(not_boolean(value, column)),
    }
}

#[cold]
#[inline(never)]
fn not_boolean(value: &str, column: Column) -> RowError {
    refuse(
        column,
        format!("{} is not `true` or `false`", quoted(value)),
    )
}

fn amount(value: &str, column: Column) -> Result<Yuan, RowError> {
    value.parse::<Yuan>().map_err(|e| {
        if value.chars().nth(QUOTE_LIMIT).is_some() {
            // The error quotes the whole value: say it with the value cut instead.
            refuse(
                column,
                format!("{} is not an amount in yuan", quoted(value)),
            )
        } else {
            refuse(column, e.to_string())
        }
    })
}

fn parse_row(context: &RunContext<'_>, chunk: &Chunk, row: &RowRef) -> Result<ParsedRow, RowError> {
    let layout = &context.layout;
    if let Some(unclosed) = row.unclosed {
        let field = usize::try_from(unclosed.field).unwrap_or(usize::MAX);
        let column = layout.column_at(field).map_or("", Column::name);
        let named = if column.is_empty() {
            String::new()
        } else {
            format!(" (`{column}`)")
        };
        return Err(RowError {
            column,
            reason: format!(
                "line {}, column {}: the quote that opens field {}{named} is not closed on its line; no field may hold a line break (reading goes on at the next line)",
                row.line,
                unclosed.column,
                field + 1
            ),
        });
    }
    if row.fields.len() != layout.width {
        return Err(RowError {
            column: "",
            reason: format!(
                "malformed line: {} fields where the header has {}",
                row.fields.len(),
                layout.width
            ),
        });
    }
    let texts = RowTexts::read(chunk, row, layout);
    if !chunk.data.is_empty() {
        // The chunk is not all UTF-8: this row may not be.
        texts.check_utf8()?;
    }
    identifier(texts.required(Column::PersonId)?, Column::PersonId)?;
    let class: PersonClass = word(
        Column::Category,
        "category",
        texts.required(Column::Category)?,
    )?;
    let family_doctor = if boolean(texts.required(Column::FamilyDoctor)?, Column::FamilyDoctor)? {
        FamilyDoctor::Signed
    } else {
        FamilyDoctor::NotSigned
    };
    let continuity_text = texts.required(Column::ContinuityYears)?;
    let continuity_years = continuity_text
        .parse::<u32>()
        .ok()
        .filter(|n| *n >= 1 && continuity_text.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| {
            refuse(
                Column::ContinuityYears,
                format!(
                    "{} is not a whole number of years, 1 or more",
                    quoted(continuity_text)
                ),
            )
        })?;
    let zero_claim_prev = boolean(
        texts.required(Column::ZeroClaimPrev)?,
        Column::ZeroClaimPrev,
    )?;
    if zero_claim_prev && context.previous_year.is_none() {
        return Err(refuse(
            Column::ZeroClaimPrev,
            format!("{} has no previous policy year", context.year),
        ));
    }
    let group = match texts.optional(Column::Group)? {
        None => PersonGroup::Resident,
        Some(value) => one_of(
            Column::Group,
            "group",
            value,
            &[
                ("resident", PersonGroup::Resident),
                ("student", PersonGroup::Student),
            ],
        )?,
    };
    let date_text = texts.required(Column::Date)?;
    let date =
        yibao_core::parse_date(date_text).map_err(|e| refuse(Column::Date, e.to_string()))?;
    if !context.year.contains(date) {
        return Err(refuse(
            Column::Date,
            format!(
                "{date} is outside the policy year {} being settled",
                context.year
            ),
        ));
    }
    let kind_text = texts.required(Column::Kind)?;
    let kind = one_of(
        Column::Kind,
        "kind",
        kind_text,
        &[
            ("general_outpatient", ClaimKindName::OutpatientGeneral),
            ("inpatient", ClaimKindName::Inpatient),
            ("day_surgery", ClaimKindName::DaySurgery),
            ("special_disease", ClaimKindName::SpecialDisease),
        ],
    )
    .or_else(|refused| match ClaimKindName::from_name(kind_text) {
        // The older spelling of general outpatient care.
        Some(ClaimKindName::OutpatientGeneral) => Ok(ClaimKindName::OutpatientGeneral),
        _ => Err(refused),
    })?;
    let level_name = match texts.text(Column::HospitalLevel)? {
        "" => LevelName::Empty,
        "out_of_city" => LevelName::OutOfCity,
        value => match HospitalLevel::from_name(value) {
            Some(HospitalLevel::PrimaryCare) => LevelName::PrimaryCare,
            Some(HospitalLevel::Level1) => LevelName::Level1,
            Some(HospitalLevel::Level2) => LevelName::Level2,
            Some(HospitalLevel::Level3) => LevelName::Level3,
            None => return Err(not_a_level(value)),
        },
    };
    let outpatient_at_primary_care = context.outpatient == OutpatientLevels::PrimaryCare;
    let (level, remote_care) = match (kind, level_name) {
        (
            ClaimKindName::OutpatientGeneral,
            LevelName::Empty | LevelName::PrimaryCare | LevelName::Level1,
        ) if outpatient_at_primary_care => (HospitalLevel::PrimaryCare, None),
        (ClaimKindName::OutpatientGeneral, other) if outpatient_at_primary_care => {
            return Err(refuse(
                Column::HospitalLevel,
                format!(
                    "`general_outpatient` is general outpatient care at primary care (H11) in this format; hospital level `{}` is not (leave it empty or write `primary_care`)",
                    other.text()
                ),
            ));
        }
        (ClaimKindName::OutpatientGeneral, LevelName::Empty | LevelName::OutOfCity) => {
            return Err(refuse(
                Column::HospitalLevel,
                format!(
                    "{}: `general_outpatient` is general outpatient care at a hospital of level `level_1`, `level_2` or `level_3` in {} {} (K3)",
                    if level_name == LevelName::Empty {
                        "`hospital_level` is empty".to_owned()
                    } else {
                        format!("hospital level `{}` is not paid here", level_name.text())
                    },
                    context.jurisdiction,
                    context.year
                ),
            ));
        }
        (_, LevelName::Empty) => {
            return Err(refuse(Column::HospitalLevel, "`hospital_level` is empty"));
        }
        (_, LevelName::PrimaryCare) => (HospitalLevel::PrimaryCare, None),
        (_, LevelName::Level1) => (HospitalLevel::Level1, None),
        (_, LevelName::Level2) => (HospitalLevel::Level2, None),
        (_, LevelName::Level3) => (HospitalLevel::Level3, None),
        (ClaimKindName::Inpatient, LevelName::OutOfCity) => {
            (HospitalLevel::Level3, Some(RemoteCare::Referral))
        }
        (_, LevelName::OutOfCity) => {
            return Err(refuse(
                Column::HospitalLevel,
                format!(
                    "`out_of_city` is an inpatient referral out of the city; a `{kind_text}` row cannot have it"
                ),
            ));
        }
    };
    let amount_value = amount(texts.required(Column::Amount)?, Column::Amount)?;
    let consultation_fee = match texts.optional(Column::ConsultationFee)? {
        None => None,
        Some(_) if kind != ClaimKindName::OutpatientGeneral => {
            return Err(refuse(
                Column::ConsultationFee,
                "a consultation fee belongs to `general_outpatient` rows only",
            ));
        }
        Some(value) => {
            let fee = amount(value, Column::ConsultationFee)?;
            if fee > amount_value {
                return Err(refuse(
                    Column::ConsultationFee,
                    format!("the consultation fee {fee} is more than the amount {amount_value}"),
                ));
            }
            Some(fee)
        }
    };
    let disease_class = match texts.optional(Column::DiseaseClass)? {
        None => None,
        Some(_) if kind != ClaimKindName::SpecialDisease => {
            return Err(refuse(
                Column::DiseaseClass,
                "a disease class belongs to `special_disease` rows only",
            ));
        }
        Some(value) => Some(one_of(
            Column::DiseaseClass,
            "disease class",
            value,
            &[
                ("severe_mental", SpecialDiseaseClass::SevereMental),
                ("psychiatric", SpecialDiseaseClass::Psychiatric),
                ("other", SpecialDiseaseClass::Other),
            ],
        )?),
    };
    let catalogue = match texts.optional(Column::Catalogue)? {
        None => None,
        Some(_) if kind != ClaimKindName::SpecialDisease => {
            return Err(refuse(
                Column::Catalogue,
                "a catalogue belongs to `special_disease` rows only",
            ));
        }
        Some(value) => Some(one_of(
            Column::Catalogue,
            "catalogue",
            value,
            &[
                ("provincial", SpecialDiseaseCatalogue::Provincial),
                ("city_retained", SpecialDiseaseCatalogue::CityRetained),
            ],
        )?),
    };
    let id = match texts.optional(Column::ClaimId)? {
        None => None,
        Some(value) => {
            identifier(value, Column::ClaimId)?;
            Some(value.to_owned())
        }
    };
    Ok(ParsedRow {
        person: PersonColumns {
            class,
            family_doctor,
            continuity_years,
            zero_claim_prev,
            group,
        },
        claim: ClaimInput {
            id,
            date,
            kind,
            level,
            amount: Some(amount_value),
            class_a: None,
            class_b: None,
            class_c: None,
            consultation_fee,
            two_disease: None,
            disease_class,
            catalogue,
            province: None,
            emergency_outcome: None,
            designation: yibao_benefits::Designation::Designated,
            accident: yibao_benefits::Accident::NotAnAccident,
            exclusions: Vec::new(),
            place: None,
            remote_care,
            circumstance: yibao_filing::Circumstance::Planned,
            connection: yibao_filing::Connection::Networked,
        },
        level: level_name,
    })
}

/// Appends an amount with 2 decimals, as [`Yuan`]'s `Display` writes it, from whole fen
/// (cheaper than formatting the decimal).
fn push_yuan(out: &mut String, amount: Yuan) {
    let fen = amount.to_fen().unsigned_abs();
    out.push_str(itoa::Buffer::new().format(fen / 100));
    out.push('.');
    let cents = (fen % 100) as u8;
    out.push(char::from(b'0' + cents / 10));
    out.push(char::from(b'0' + cents % 10));
}

/// Appends a CSV field, quoted when it holds a comma, a quote or a line break.
fn push_csv_field(out: &mut String, value: &str) {
    // A byte loop: most fields are a few bytes (ids), where a call to memchr costs more.
    if !value
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push_str(value);
        return;
    }
    out.push('"');
    let mut pieces = value.split('"');
    if let Some(first) = pieces.next() {
        out.push_str(first);
    }
    for piece in pieces {
        out.push_str("\"\"");
        out.push_str(piece);
    }
    out.push('"');
}

/// The peak resident memory of this process in KiB (`VmHWM` of `/proc/self/status`), where
/// the system reports it.
pub fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
        let order = super::order_in_parts(&path, threads);
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
}
