//! What a batch did: the reconciled counts and amounts, summed chunk by chunk, and the
//! peak memory of the process.

use std::time::{Duration, Instant};

use serde::Serialize;
use yibao_core::Yuan;

use crate::error::BatchError;
use crate::options::BatchMode;
use crate::readers::ReadStats;

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
}

impl BatchSummary {
    /// What the run assumed, in words (empty when it assumed nothing).
    pub fn assumptions(&self) -> Vec<&'static str> {
        match self.persons_table {
            None => vec![
                "no persons table: every person is covered on every day of the year (no enrolment history), with the incentive history of the claims' columns",
            ],
            Some(_) => Vec::new(),
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
    pub(crate) overflow: Option<&'static str>,
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
            elapsed: started.elapsed(),
        })
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
        if other.overflow.is_some() {
            self.overflow = other.overflow;
        }
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
