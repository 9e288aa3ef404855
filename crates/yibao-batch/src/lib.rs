//! Batch settlement of a claims file: a population's year, person by person, through the
//! same one-stop settlement as `yibao settle` ([`yibao::settle::settle`]).
//!
//! # The claims file
//! UTF-8 CSV with a header row, one claim per row, each person's rows contiguous. Every row
//! is one line: a line ends at `\n`, `\r\n` or a lone `\r`, and no field may hold a line
//! break. A field that starts with `"` is quoted up to the next lone `"` on its line (`""`
//! inside is one quote; a comma inside is text); a `"` elsewhere in a field is an ordinary
//! character. A blank line (no byte between two line breaks) is skipped and counted.
//! Columns are found by name, in any order; an optional column absent or empty is its
//! default. The names and words are the scenario format's (`yibao schema scenario`), so a
//! row says what a scenario's claim says; `yibao schema batch` prints this table
//! ([`schema`]):
//!
//! | column | values | default | meaning | rule |
//! |---|---|---|---|---|
//! | `person_id` | text, not empty | required | the person; their rows must be contiguous |  |
//! | `category` | `ordinary` \| `medical_aid_recipient` | required | ordinary insured or medical-aid recipient (also read: `aid`, `medical-aid-recipient`) | H19 |
//! | `family_doctor` | `true` \| `false` | required | signed with a family doctor | H11, K3 |
//! | `continuity_years` | whole number ≥ 1 | required | consecutive years counted from 2025, this year included | H7 |
//! | `zero_claim_prev` | `true` \| `false` | required | no fund reimbursement last year | H7 |
//! | `date` | `YYYY-MM-DD` | required | the day of care, inside the policy year |  |
//! | `kind` | `general_outpatient` \| `two_disease_drugs` \| `special_disease` \| `inpatient` \| `day_surgery` \| `dual_channel_drugs` \| `maternity_delivery` \| `emergency` | required | the claim (also read: `outpatient_general`) |  |
//! | `hospital_level` | `primary_care` \| `level_1` \| `level_2` \| `level_3` \| `out_of_city` | required | the hospital level (also read: `1`, `2`, `3`); `out_of_city`: an inpatient referral out of the city, at level 3; a Huai'an `general_outpatient` row reads `level_1` or empty as primary care | H11, H14, H18 |
//! | `amount` | yuan, at most 2 decimals | required | the eligible amount (政策范围内费用); empty when the class split is given |  |
//! | `consultation_fee` | yuan | `0` | `general_outpatient`: the general consultation fee part (一般诊疗费) | H11 |
//! | `disease_class` | `severe_mental` \| `psychiatric` \| `other` | `other` | `special_disease`: the disease class | H13 |
//! | `catalogue` | `provincial` \| `city_retained` | `provincial` | `special_disease`: the catalogue | H13 |
//! | `group` | `resident` \| `student` | `resident` | the benefit tables' group | K3, K4 |
//! | `claim_id` | text | none | an identifier carried into the per-claim output |  |
//! | `two_disease` | `one_disease` \| `both_diseases` | required on `two_disease_drugs` rows | `two_disease_drugs`: one disease or both | H12 |
//! | `province` | `same_province` \| `other_province` | `same_province` | `maternity_delivery`: where the delivery took place | H15 |
//! | `emergency_outcome` | `admitted` \| `not_admitted` \| `died` | required on `emergency` rows | `emergency`: how emergency care ended | H20 |
//! | `designation` | `designated` \| `not_designated` | `designated` | a designated institution or not | H22 |
//! | `accident` | `not_an_accident` \| `no_liable_third_party` \| `liable_third_party` | `not_an_accident` | accident facts | H21 |
//! | `exclusions` | `;`-separated: `work_injury`, `public_health` or `abroad` | none | facts that put the costs outside the basic fund | H22 |
//! | `place` | a place path: `shanghai`, `jiangsu/suzhou` | at home | where the care took place (give `place` or `remote_care`, not both) | H18, W3 |
//! | `remote_care` | `local` \| `long_term_filed` \| `referral` \| `temporary_filed` \| `unfiled` \| `emergency_rescue` \| `exempt_as_referral` \| `regional_same_city` | local care | the remote-care treatment, when already known | H18 |
//! | `circumstance` | `planned` \| `emergency_rescue` | `planned` | planned care or emergency rescue away from home | W1, H18 |
//! | `connection` | `networked` \| `not_settled` | `networked` | whether the institution settles directly | W7 |
//! | `class_a` | yuan | `0` in a class split | class A drugs and items (give `amount` or the class split, not both) | H23 |
//! | `class_b` | yuan | `0` in a class split | class B drugs and items | H23 |
//! | `class_c` | yuan | `0` in a class split | class C (out of catalogue, self-paid) | H23 |
//! | `class_b_personal_share` | rate, e.g. `10%` | not given | the person's class B personal share, which the sources do not publish (a person column: it must agree on every row) | H23 |
//!
//! How a row becomes a claim of the [`Scenario`](yibao::scenario::Scenario):
//! - `general_outpatient` is general outpatient care ([`ClaimKindName::OutpatientGeneral`](yibao::scenario::ClaimKindName::OutpatientGeneral)).
//!   Where the year pays it at primary care only (Huai'an, H11), a row at `primary_care`,
//!   `level_1` or empty is care at a primary-care institution,
//!   [`HospitalLevel::PrimaryCare`](yibao::benefits::HospitalLevel::PrimaryCare); a row at
//!   `level_2` or `level_3` is care at that hospital level, which the basic fund does not pay
//!   (the per-claim `not_paid` says `level_not_paid`, as `yibao settle` does); `out_of_city`
//!   is refused. Where the year pays it by hospital level (Kunshan 2021, K3: levels 1, 2 and
//!   3), `hospital_level` is required and read as it is: `level_1`, `level_2` or `level_3`,
//!   at that level's ratio for the person's `group` and `family_doctor`
//!   (empty and `out_of_city` are refused). Without a `consultation_fee` column the
//!   consultation fee is 0, so a Huai'an bill is settled at the ratio for other items.
//! - `inpatient` and `day_surgery` at their level; `inpatient` at `out_of_city` is a
//!   referral out of the city: level 3 with [`RemoteCare::Referral`](yibao::core::RemoteCare::Referral) (the H14 out-of-city
//!   deductible, the level-3 ratio and the H18 referral cut).
//! - `special_disease` is the "other diseases" class on the provincial catalogue (H13) unless
//!   the optional columns say otherwise.
//! - `two_disease_drugs`, `dual_channel_drugs`, `maternity_delivery` and `emergency` at their
//!   level, with `two_disease` (required), `province` and `emergency_outcome` (required):
//!   a column of one kind on a row of another is refused. `designation`, `accident`,
//!   `exclusions`, `place` or `remote_care`, `circumstance` and `connection` apply to any
//!   kind, as in a scenario. The bill is `amount`, or the class split `class_a`, `class_b`,
//!   `class_c` with `amount` empty (never both); a class B part needs the person's
//!   `class_b_personal_share` (H23: the sources do not publish it). A `place` is assessed
//!   as in a scenario with no `filings` (the claims table has none).
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
//! # The persons table
//! With [`BatchOptions::persons`] (`--persons FILE`), the claims are joined by `person_id`
//! to a [`PersonsTable`]: the enrolment category and history, the birth date, the incentive
//! history and the remote-care filings of each person, in the scenario's words (its
//! columns and compact list forms are documented there). The claims' person columns must
//! agree with the table where it gives the same fact (`category` with
//! `catastrophic_class`, `family_doctor`, `group`, `continuity_years` with
//! `consecutive_years`, `zero_claim_prev` with `zero_reimbursement_years`), else the person
//! is held back; a category without a class selects the class (H1); an enrolment history
//! without an incentive history lets the settlement compute it. Claims whose person is not
//! in the table are held back, naming the table. A person of the table with no claims is
//! settled with none (zero figures): at their place in person order when the table is read
//! beside the claims, after the others when it is read whole. A refused row of the
//! table holds its person back whole: every claim row, and the table's row, in the errors
//! file (its `line` is the table's line, its reason names the table). The summary counts
//! the table's rows, those in error and the persons with no claims
//! ([`BatchSummary::persons_table`]); without a table it says what it assumed
//! ([`BatchSummary::assumptions`]). The table is CSV, Parquet or Arrow IPC
//! ([`PersonsTable::open`]; in a table its rows are numbered from 1, `row N` in a reason).
//! A CSV table whose `person_id`s ascend is read beside claims that ascend (a streamed
//! merge join: each chunk of claims with the table's rows of its persons, read into persons
//! on the workers; memory does not grow with the persons). Any other table, or claims not
//! known to ascend, is read whole into memory before the claims (it may then come in any
//! order; memory grows with the persons, a few hundred bytes each);
//! [`PersonsTableCounts::join`] says which, and [`PersonsTableCounts::in_memory_because`]
//! why. The claims' person columns stay required with a table.
//!
//! # Parquet and Arrow IPC
//! A claims file may also be a Parquet or Arrow IPC table with the same columns, by name
//! ([`open_table`] gives a [`TableReader`], settled by [`run_table`]; set
//! [`BatchOptions::input_format`]). The record batches go to the workers as they are, cut
//! between persons, and each row's fields are read from the typed columns by the same row
//! parser, persons' blocks and checks as a CSV line's, each value checked in the words of
//! its CSV text, so every column the CSV reads is read from a table too.
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
//! arithmetic (`level_not_paid`, `excluded` …, as `yibao settle` writes it), then every
//! figure of the claim: `eligible` (in scope), `deductible` (borne), `fiscal_subsidy` (a
//! delivery's, H15), `cover` (`assumed` without an enrolment history, as `yibao settle`
//! says), `remote_care` (the treatment settled), `not_paid_reason` (the reason in words,
//! with its rule) and `basic_fund_not_settled` (empty, or why the sources give no rule for
//! the claim, K8: its `basic_fund_paid` is then 0.00 and its catastrophic part not
//! settled).
//!
//! # Reforms
//! With [`BatchOptions::reform`] (`yibao batch --reform F --set p=v`) every person is settled
//! under the baseline book and under the reformed one in the same pass (one read of the
//! input): the per-person output grows [`REFORM_COLUMNS`] (the reform's figures, then reform
//! minus baseline, signed), and [`BatchSummary::reform`] holds the reform's totals and the
//! differences, the sums of the persons' columns. A person whose settlement fails under
//! either book is held back whole, as any person whose settlement fails (the reason says
//! `under the reform` when only the reformed book refuses them). The per-claim output stays
//! the baseline's. Without a reform the outputs are the same bytes as before.
//!
//! # Nothing lost
//! Every line after the header ends in exactly one place: its person's settlement, a row of
//! the errors file (`line,person_id,column,reason`), or the count of blank lines. Refused on
//! its own line: a quote that opens a field and is not closed on its line (the reason gives
//! the line and the column of the quote, and names the field; reading goes on at the next
//! line), a malformed line (wrong number of fields), an empty person, a row that is not
//! UTF-8, a control character (NUL, tab, escape, …) in `person_id` or `claim_id`, a bad value
//! (amount, date, kind, level, …), a date outside the year. A reason quotes an offending
//! value up to [`QUOTE_LIMIT`] (64) characters, then `… (N bytes)`. Every reason is made in
//! English and in Chinese (in the trade's words, values and column names as they are between
//! backquotes); [`BatchOptions::lang`] picks the one written, English by default. The errors
//! file's columns, the other outputs and the summary's counts are the same in every
//! language: the rows are counted by their English reason.
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
//! the fiscal subsidy of deliveries (H15) + personal burden, to the fen.
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
mod field_value;
mod file_format;
mod first_pass;
mod format;
mod lines;
mod machine_summary;
mod model_columns;
mod money_column;
mod options;
mod person;
mod persons;
mod persons_join;
mod persons_stream;
mod persons_table;
mod persons_table_file;
mod readers;
#[cfg(test)]
mod reform_tests;
mod row;
mod row_refusal;
mod rows_sink;
pub mod schema;
mod settle_file;
mod settler;
mod summary;
mod table_chunk;
mod table_columns;
mod table_read;
#[cfg(test)]
mod table_tests;
#[cfg(test)]
mod tests;
mod typed_rows;
mod workers;
mod writer;
#[cfg(test)]
mod zh_reason_tests;

pub use arrow_input::{RecordBatches, TABLE_BATCH_ROWS, TableReader};
pub use arrow_output::TableWriter;
pub use columns::Column;
pub use error::BatchError;
pub use file_format::TableFormat;
pub use first_pass::{find_split_persons, find_split_persons_in_file, find_split_persons_in_table};
pub use machine_summary::{ASSUMPTIONS, MachineSummary, PolicyDataId, RunFacts};
pub use options::{BatchMode, BatchOptions, BatchReform, Progress, Sinks};
pub use persons::{Contiguity, SplitPersons};
pub use persons_table::{PERSONS_COLUMNS, PersonsTable, PersonsTableRef};
pub use readers::{FilePath, check_header, open_table};
pub use row::kind_text;
pub use rows_sink::{RowsSink, TableSinks};
pub use settle_file::{FileSummary, FirstPass, Input, InputFile, Outputs, settle_file};
pub use summary::{
    BatchSummary, ErrorCounts, InMemoryBecause, PersonsJoin, PersonsTableCounts, ReformSummary,
    peak_memory_kib,
};
pub use workers::{run, run_table, run_table_to};

/// The header of the per-person output.
pub const OUTPUT_HEADER: &str = "person_id,basic_fund_paid,catastrophic_paid,personal_burden,catastrophic_status,catastrophic_reason";
/// The columns the per-person output grows after [`OUTPUT_HEADER`] with a reform
/// ([`BatchOptions::reform`]): the person's figures under the reformed book, then reform minus
/// baseline (signed, `-` when the reform pays less). A catastrophic part not settled under
/// either book leaves its reform and difference fields empty.
pub const REFORM_COLUMNS: &str = ",reform_basic_fund_paid,reform_catastrophic_paid,reform_personal_burden,difference_basic_fund_paid,difference_catastrophic_paid,difference_personal_burden";
/// The header of the errors file.
pub const ERRORS_HEADER: &str = "line,person_id,column,reason";
/// The header of the per-claim output.
pub const PER_CLAIM_HEADER: &str = "line,person_id,claim_id,date,kind,hospital_level,amount,basic_fund_paid,catastrophic_paid,personal_burden,catastrophic_status,not_paid,eligible,deductible,fiscal_subsidy,cover,remote_care,not_paid_reason,basic_fund_not_settled";
/// The most characters of an offending value a reason quotes; a longer value is cut there
/// and followed by `… (N bytes)`, its whole size (`yibao_core`'s bound).
pub use yibao_core::QUOTE_LIMIT;
