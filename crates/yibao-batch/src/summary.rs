//! What a batch did: the reconciled counts and amounts, summed chunk by chunk, and the
//! peak memory of the process.

use std::time::{Duration, Instant};

use serde::Serialize;
use yibao::policy::YuanDifference;
use yibao_core::Yuan;

use crate::error::BatchError;
use crate::options::BatchMode;
use crate::readers::ReadStats;
use crate::settler::PersonFigures;

/// What a batch did. The figures reconcile: `rows_in = rows_settled + rows_in_error`,
/// `lines_in = lines_settled + lines_in_error + lines_blank` and
/// `amount = basic_fund + catastrophic + fiscal_subsidy + personal` (catastrophic as settled: a person whose
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
    /// Paid by the fiscal subsidy of deliveries (H15): the in-catalogue costs left after
    /// basic and catastrophic insurance.
    pub fiscal_subsidy: Yuan,
    /// With a persons table: its rows, refused rows and persons settled with no claims
    /// (counted in `persons_settled` too). `None`: no persons table, every person is
    /// assumed covered on every day of the year.
    pub persons_table: Option<PersonsTableCounts>,
    /// The rows in error, by why they are refused.
    pub errors_by_reason: ErrorCounts,
    /// With a reform, its totals over the same persons, and the differences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reform: Option<ReformSummary>,
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

    /// Whether the money reconciles: amount in = basic fund + catastrophic + fiscal subsidy +
    /// personal.
    pub fn money_reconciles(&self) -> bool {
        Yuan::checked_sum([
            self.basic_fund,
            self.catastrophic,
            self.fiscal_subsidy,
            self.personal,
        ])
        .is_ok_and(|out| out == self.amount)
    }
}

/// What the persons table added to a run: its rows (`rows_in` = persons joined or settled
/// with no claims + `rows_in_error`, a person held back counting their row in error).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PersonsTableCounts {
    /// Data rows of the persons table.
    pub rows_in: u64,
    /// Its rows written to the errors file.
    pub rows_in_error: u64,
    /// Persons of the table with no claims, settled with none.
    pub persons_without_claims: u64,
    /// How the table was joined to the claims.
    pub join: PersonsJoin,
    /// Why the table was read whole into memory, when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_memory_because: Option<InMemoryBecause>,
}

/// How a persons table is joined to the claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum PersonsJoin {
    /// Read beside the claims, each chunk of claims with the table's rows of the same
    /// persons (both in ascending order of `person_id`): memory does not grow with the
    /// persons, and a person with no claims is settled at their place in person order.
    #[serde(rename = "streamed")]
    Streamed,
    /// Read whole into memory before the claims, every person looked up: the persons with
    /// no claims are settled after the claims' persons.
    #[serde(rename = "in memory")]
    InMemory,
}

/// Why a persons table was read whole into memory rather than beside the claims.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InMemoryBecause {
    /// The table's `person_id`s do not ascend (or a person appears twice, or a row has no
    /// usable `person_id`).
    TableNotAscending,
    /// The table is Parquet or Arrow IPC, which is read whole.
    TypedTable,
    /// The table was given already read ([`PersonsTable::read`](crate::PersonsTable::read)),
    /// not as a file.
    ReadFromStream,
    /// The claims are not known to ascend by `person_id`: a stream, a file read first to
    /// find split persons, or a person that came out of order.
    ClaimsNotAscending,
}

impl InMemoryBecause {
    /// The reason in words.
    pub fn words(self) -> &'static str {
        match self {
            InMemoryBecause::TableNotAscending => {
                "the persons table's person_id values do not ascend (or a row has no usable person_id)"
            }
            InMemoryBecause::TypedTable => "a Parquet or Arrow IPC persons table is read whole",
            InMemoryBecause::ReadFromStream => {
                "the persons table was given already read, not as a file"
            }
            InMemoryBecause::ClaimsNotAscending => {
                "the claims are not known to ascend by person_id (a stream, a first pass, or a person out of order)"
            }
        }
    }
}

impl BatchSummary {
    /// What the run assumed, in words ([`ASSUMPTIONS`](crate::machine_summary::ASSUMPTIONS)):
    /// without a persons table, cover on every day of the year; always, that an
    /// `out_of_city` inpatient row is a referral.
    pub fn assumptions(&self) -> Vec<&'static str> {
        self.assumptions_in(yibao_core::Lang::En)
    }

    /// [`BatchSummary::assumptions`] in `lang`.
    pub fn assumptions_in(&self, lang: yibao_core::Lang) -> Vec<&'static str> {
        let [no_history, out_of_city] = match lang {
            yibao_core::Lang::En => crate::machine_summary::ASSUMPTIONS,
            yibao_core::Lang::Zh => crate::machine_summary::ASSUMPTIONS_ZH,
        };
        match self.persons_table {
            None => vec![no_history, out_of_city],
            Some(_) => vec![out_of_city],
        }
    }
}

/// Counts and money of a chunk, in fen.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Tally {
    pub(crate) rows: u64,
    pub(crate) rows_settled: u64,
    pub(crate) rows_in_error: u64,
    pub(crate) persons_settled: u64,
    pub(crate) persons_with_errors: u64,
    pub(crate) persons_catastrophic_not_settled: u64,
    pub(crate) lines_blank: u64,
    pub(crate) amount: i64,
    pub(crate) basic_fund: i64,
    pub(crate) catastrophic: i64,
    pub(crate) personal: i64,
    pub(crate) fiscal_subsidy: i64,
    /// The rows in error, by why.
    pub(crate) errors_by_reason: ErrorCounts,
    /// The reform's totals, when a reform is settled beside the baseline.
    pub(crate) reform: ReformTally,
    pub(crate) overflow: Option<&'static str>,
    /// Persons of the persons table with no claims, settled with none.
    pub(crate) table_persons_without_claims: u64,
    /// Rows of the persons table written to the errors file.
    pub(crate) table_rows_in_error: u64,
}

impl Tally {
    /// The summary of a run from its tally and what the reader counted, checked: every row
    /// settled or in error, every total within [`Yuan::MAX`].
    pub(crate) fn summary(
        self,
        mode: BatchMode,
        read: &ReadStats,
        started: Instant,
    ) -> Result<BatchSummary, BatchError> {
        if let Some(what) = self.overflow {
            return Err(BatchError::TotalTooLarge { what });
        }
        // The rows are counted by the workers that split the lines into rows.
        let rows_in = self.rows;
        if self.rows != self.rows_settled + self.rows_in_error {
            return Err(BatchError::Internal {
                message: format!(
                    "{rows_in} rows read but {} settled and {} in error",
                    self.rows_settled, self.rows_in_error
                ),
            });
        }
        let yuan = |fen: i64, what: &'static str| {
            Yuan::from_fen(fen).map_err(|_| BatchError::TotalTooLarge { what })
        };
        Ok(BatchSummary {
            mode,
            rows_in,
            rows_settled: self.rows_settled,
            rows_in_error: self.rows_in_error,
            persons_settled: self.persons_settled,
            persons_with_errors: self.persons_with_errors,
            split_persons: read.split_persons,
            persons_catastrophic_not_settled: self.persons_catastrophic_not_settled,
            // The lines as the reader counted them; the rest as the workers found them: every
            // row is one line.
            lines_in: read.lines,
            lines_settled: self.rows_settled,
            lines_in_error: self.rows_in_error,
            lines_blank: self.lines_blank,
            amount: yuan(self.amount, "amount")?,
            basic_fund: yuan(self.basic_fund, "basic fund")?,
            catastrophic: yuan(self.catastrophic, "catastrophic")?,
            personal: yuan(self.personal, "personal burden")?,
            fiscal_subsidy: yuan(self.fiscal_subsidy, "fiscal subsidy")?,
            persons_table: None,
            errors_by_reason: self.errors_by_reason,
            reform: None,
            elapsed: started.elapsed(),
        })
    }

    /// Adds a settled person's figures, and those under the reform when there is one.
    pub(crate) fn add_person(&mut self, baseline: &PersonFigures, reform: Option<&PersonFigures>) {
        self.add_money([
            baseline.amount.to_fen(),
            baseline.basic_fund.to_fen(),
            baseline.catastrophic.to_fen(),
            baseline.personal.to_fen(),
            baseline.fiscal_subsidy.to_fen(),
        ]);
        if let Some(reform) = reform {
            self.reform.add(reform);
        }
    }

    /// Adds amount, basic fund, catastrophic, personal burden and fiscal subsidy, in fen.
    pub(crate) fn add_money(&mut self, fen: [i64; 5]) {
        const WHAT: [&str; 5] = [
            "amount",
            "basic fund",
            "catastrophic",
            "personal burden",
            "fiscal subsidy",
        ];
        let slots = [
            &mut self.amount,
            &mut self.basic_fund,
            &mut self.catastrophic,
            &mut self.personal,
            &mut self.fiscal_subsidy,
        ];
        for ((slot, add), what) in slots.into_iter().zip(fen).zip(WHAT) {
            match slot.checked_add(add) {
                Some(sum) => *slot = sum,
                None => self.overflow = Some(what),
            }
        }
    }

    pub(crate) fn merge(&mut self, other: &Tally) {
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
            other.fiscal_subsidy,
        ]);
        self.errors_by_reason.merge(&other.errors_by_reason);
        self.reform.merge(&other.reform);
        if other.overflow.is_some() {
            self.overflow = other.overflow;
        }
        self.table_persons_without_claims += other.table_persons_without_claims;
        self.table_rows_in_error += other.table_rows_in_error;
    }
}

/// The rows of the errors file by why they are refused; they add up to
/// [`BatchSummary::rows_in_error`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ErrorCounts {
    /// Rows refused for what they hold: a bad value, a malformed line, a quote not closed, an
    /// empty person, a date outside the year.
    pub row_refused: u64,
    /// Rows of a person held back because another of their rows was refused.
    pub person_held_back: u64,
    /// Rows of a person whose rows disagree on a person column.
    pub person_columns_disagree: u64,
    /// Rows of a person whose rows are not contiguous.
    pub person_not_contiguous: u64,
    /// Rows of a person whose settlement failed (under the baseline or the reform).
    pub settlement_failed: u64,
}

impl ErrorCounts {
    /// Counts one row of the errors file by its reason, as the batch words it.
    pub(crate) fn count(&mut self, reason: &str) {
        let slot = if let Some(rest) = reason.strip_prefix("person held back: ") {
            if rest.starts_with("its rows disagree") {
                &mut self.person_columns_disagree
            } else {
                &mut self.person_held_back
            }
        } else if reason.starts_with("the rows of person ") {
            &mut self.person_not_contiguous
        } else if reason.starts_with("person ") && reason.contains(" could not be settled: ") {
            &mut self.settlement_failed
        } else {
            &mut self.row_refused
        };
        *slot += 1;
    }

    fn merge(&mut self, other: &ErrorCounts) {
        self.row_refused += other.row_refused;
        self.person_held_back += other.person_held_back;
        self.person_columns_disagree += other.person_columns_disagree;
        self.person_not_contiguous += other.person_not_contiguous;
        self.settlement_failed += other.settlement_failed;
    }

    /// Every row counted.
    pub fn total(&self) -> u64 {
        self.row_refused
            + self.person_held_back
            + self.person_columns_disagree
            + self.person_not_contiguous
            + self.settlement_failed
    }
}

/// A reform's totals in a batch's summary: the same persons settled under the reformed book,
/// and reform minus baseline. They reconcile as the baseline's do: `amount = basic_fund +
/// catastrophic + fiscal_subsidy + personal` under the reform too, and each difference is the sum of the
/// persons' differences.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReformSummary {
    /// The reform as given (its file and settings).
    pub changes: String,
    /// Paid by the basic fund under the reform.
    pub basic_fund: Yuan,
    /// Paid by catastrophic insurance under the reform (as settled).
    pub catastrophic: Yuan,
    /// Left to the persons under the reform.
    pub personal: Yuan,
    /// Paid by the fiscal subsidy of deliveries (H15) under the reform.
    pub fiscal_subsidy: Yuan,
    /// Persons whose catastrophic part is not settled under the reform.
    pub persons_catastrophic_not_settled: u64,
    /// Reform − baseline, basic fund.
    pub difference_basic_fund: YuanDifference,
    /// Reform − baseline, catastrophic insurance (as settled).
    pub difference_catastrophic: YuanDifference,
    /// Reform − baseline, the persons.
    pub difference_personal: YuanDifference,
}

impl ReformSummary {
    /// Whether the reform's money reconciles with the amount in: amount = basic fund +
    /// catastrophic + fiscal subsidy + personal under the reform.
    pub fn money_reconciles(&self, amount: Yuan) -> bool {
        Yuan::checked_sum([
            self.basic_fund,
            self.catastrophic,
            self.fiscal_subsidy,
            self.personal,
        ])
        .is_ok_and(|out| out == amount)
    }
}

/// A reform's money and counts, in fen, summed as the baseline's are.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ReformTally {
    pub(crate) basic_fund: i64,
    pub(crate) catastrophic: i64,
    pub(crate) personal: i64,
    pub(crate) fiscal_subsidy: i64,
    pub(crate) persons_catastrophic_not_settled: u64,
    pub(crate) overflow: bool,
}

impl ReformTally {
    pub(crate) fn add(&mut self, person: &PersonFigures) {
        self.add_fen(
            [
                person.basic_fund.to_fen(),
                person.catastrophic.to_fen(),
                person.personal.to_fen(),
                person.fiscal_subsidy.to_fen(),
            ],
            u64::from(person.not_settled.is_some()),
        );
    }

    fn add_fen(&mut self, fen: [i64; 4], not_settled: u64) {
        for (slot, add) in [
            &mut self.basic_fund,
            &mut self.catastrophic,
            &mut self.personal,
            &mut self.fiscal_subsidy,
        ]
        .into_iter()
        .zip(fen)
        {
            match slot.checked_add(add) {
                Some(sum) => *slot = sum,
                None => self.overflow = true,
            }
        }
        self.persons_catastrophic_not_settled += not_settled;
    }

    pub(crate) fn merge(&mut self, other: &ReformTally) {
        self.add_fen(
            [
                other.basic_fund,
                other.catastrophic,
                other.personal,
                other.fiscal_subsidy,
            ],
            other.persons_catastrophic_not_settled,
        );
        self.overflow |= other.overflow;
    }

    /// The reform's totals beside the baseline's summary.
    pub(crate) fn summary(
        &self,
        baseline: &BatchSummary,
        changes: &str,
    ) -> Result<ReformSummary, BatchError> {
        let yuan = |fen: i64, what: &'static str| {
            Yuan::from_fen(fen).map_err(|_| BatchError::TotalTooLarge { what })
        };
        if self.overflow {
            return Err(BatchError::TotalTooLarge {
                what: "reform totals",
            });
        }
        let basic_fund = yuan(self.basic_fund, "reform basic fund")?;
        let catastrophic = yuan(self.catastrophic, "reform catastrophic")?;
        let personal = yuan(self.personal, "reform personal burden")?;
        Ok(ReformSummary {
            changes: changes.to_owned(),
            basic_fund,
            catastrophic,
            personal,
            fiscal_subsidy: yuan(self.fiscal_subsidy, "reform fiscal subsidy")?,
            persons_catastrophic_not_settled: self.persons_catastrophic_not_settled,
            difference_basic_fund: YuanDifference::between(baseline.basic_fund, basic_fund),
            difference_catastrophic: YuanDifference::between(baseline.catastrophic, catastrophic),
            difference_personal: YuanDifference::between(baseline.personal, personal),
        })
    }
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
