//! Batch settlement of a claims file: a population's year, person by person, through the
//! same one-stop settlement as `yibao settle` ([`yibao::settle::settle`]).
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
//! | `consultation_fee` | yuan | `0`: the part of a `general_outpatient` bill that is the general consultation fee (一般诊疗费, H11) |
//! | `disease_class` | `severe_mental` \| `psychiatric` \| `other` | `other` (H13), `special_disease` rows only |
//! | `catalogue` | `provincial` \| `city_retained` | `provincial` (H13), `special_disease` rows only |
//! | `group` | `resident` \| `student` | `resident` (K3, K4) |
//! | `claim_id` | text | none: an identifier carried into the per-claim output |
//!
//! How a row becomes a claim of the [`Scenario`](yibao::scenario::Scenario):
//! - `general_outpatient` is general outpatient care ([`ClaimKindName::OutpatientGeneral`](yibao::scenario::ClaimKindName::OutpatientGeneral)).
//!   Where the year pays it at primary care only (Huai'an, H11), it is care at a primary-care
//!   institution, [`HospitalLevel::PrimaryCare`](yibao::benefits::HospitalLevel::PrimaryCare): its `hospital_level` is
//!   `primary_care`, `level_1` or empty, and `level_2`, `level_3` and `out_of_city` are
//!   refused. Where the year pays it by hospital level (Kunshan 2021, K3: levels 1, 2 and
//!   3), `hospital_level` is required and read as it is: `level_1`, `level_2` or `level_3`,
//!   at that level's ratio for the person's `group` and `family_doctor`
//!   (empty and `out_of_city` are refused). Without a `consultation_fee` column the
//!   consultation fee is 0, so a Huai'an bill is settled at the ratio for other items.
//! - `inpatient` and `day_surgery` at their level; `inpatient` at `out_of_city` is a
//!   referral out of the city: level 3 with [`RemoteCare::Referral`](yibao::core::RemoteCare::Referral) (the H14 out-of-city
//!   deductible, the level-3 ratio and the H18 referral cut).
//! - `special_disease` is the "other diseases" class on the provincial catalogue (H13) unless
//!   the optional columns say otherwise.
//! - The person: `category` → [`PersonInput::catastrophic_class`](yibao::scenario::PersonInput::catastrophic_class), `family_doctor`,
//!   `continuity_years` → [`IncentiveInput::consecutive_years`](yibao::scenario::IncentiveInput::consecutive_years), `zero_claim_prev = true` →
//!   [`IncentiveInput::zero_reimbursement_years`](yibao::scenario::IncentiveInput::zero_reimbursement_years) = the year before. No enrolment history is
//!   given: cover is assumed on every day of the year. The person columns must agree on every
//!   row of a person. For Kunshan 2021, `group` (`student` or `resident`) picks the K3
//!   ratios and the K4 deductible, `family_doctor` the K3 level-1 ratio; `category`,
//!   `continuity_years` and `zero_claim_prev` feed catastrophic insurance only, which the
//!   sources do not publish for that year. Kinds the year does not define (Kunshan 2021 has
//!   no day surgery or special diseases) fail the person's settlement.
//!
//! # Parquet and Arrow IPC
//! A claims file may also be a Parquet or Arrow IPC table with the same columns, by name
//! ([`open_table`] gives a [`TableReader`]; set [`BatchOptions::input_format`]). Each record
//! batch is turned into the rows of text above and read by the same reader, row parser,
//! persons' blocks and checks, so every column the CSV reads is read from a table too.
//! Text, whole-number, boolean, `Date32` and decimal (at most 2 places) columns are read; a
//! floating-point column is refused by name (money is never binary floating point). Rows
//! are numbered from 1: the errors and per-claim outputs have a `row` column in place of
//! `line`, and a reason names `row N`. Every output may be a table too: [`TableWriter`]
//! writes the output's rows typed (money `Decimal128(18, 2)`, dates `Date32`, positions
//! `Int64`, words `Utf8`, an empty field null), complete only once finished. The format of
//! a path is [`TableFormat::from_path`].
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
//! Each worker settles its persons with [`yibao::settle::settle_into`], into one scenario and
//! one settlement `Settler` (its report and caps in force) it reuses from person to person.
//!
//! ```
//! use yibao_batch::{self as batch, BatchMode, BatchOptions, Contiguity, Sinks};
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

mod arrow_input;
mod arrow_output;
mod chunk;
mod columns;
mod error;
mod file_format;
mod first_pass;
mod format;
mod lines;
mod options;
mod person;
mod persons;
mod readers;
mod row;
mod settle_file;
mod settler;
mod summary;
#[cfg(test)]
mod table_tests;
#[cfg(test)]
mod tests;
mod workers;
mod writer;

pub use arrow_input::{RecordBatches, TABLE_BATCH_ROWS, TableReader};
pub use arrow_output::TableWriter;
pub use columns::Column;
pub use error::BatchError;
pub use file_format::TableFormat;
pub use first_pass::{find_split_persons, find_split_persons_in_file};
pub use options::{BatchMode, BatchOptions, Progress, Sinks};
pub use persons::{Contiguity, SplitPersons};
pub use readers::{FilePath, check_header, open_table};
pub use row::kind_text;
pub use settle_file::{FileSummary, FirstPass, Input, InputFile, Outputs, settle_file};
pub use summary::{BatchSummary, peak_memory_kib};
pub use workers::run;

/// The header of the per-person output.
pub const OUTPUT_HEADER: &str = "person_id,basic_fund_paid,catastrophic_paid,personal_burden,catastrophic_status,catastrophic_reason";
/// The header of the errors file.
pub const ERRORS_HEADER: &str = "line,person_id,column,reason";
/// The header of the per-claim output.
pub const PER_CLAIM_HEADER: &str = "line,person_id,claim_id,date,kind,hospital_level,amount,basic_fund_paid,catastrophic_paid,personal_burden,catastrophic_status,not_paid";
/// The most characters of an offending value a reason quotes; a longer value is cut there
/// and followed by `… (N bytes)`, its whole size (`yibao_core`'s bound).
pub use yibao_core::QUOTE_LIMIT;
