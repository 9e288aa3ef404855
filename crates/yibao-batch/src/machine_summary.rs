//! The summary of a batch in machine form (`yibao batch --summary FILE.json`): what was read,
//! settled and refused, reconciled; the errors by reason; the assumptions the batch made; the
//! engine and the policy data it ran with; threads, times and memory; and a reform's totals.
//!
//! The shape (every amount a string with two decimals, as in the outputs):
//!
//! ```json
//! {
//!   "engine_version": "0.1.0",
//!   "policy_data": { "label": "policy-data", "sha256": "…64 hex digits…" },
//!   "jurisdiction": "huaian", "year": 2026, "mode": "settle",
//!   "rows": { "in": 4, "settled": 3, "in_error": 1, "reconcile": true },
//!   "lines": { "in": 4, "settled": 3, "in_error": 1, "blank": 0, "reconcile": true },
//!   "persons": { "settled": 2, "with_errors": 1, "not_contiguous": 0, "catastrophic_not_settled": 0 },
//!   "errors_by_reason": { "row_refused": 1, "person_held_back": 0, … },
//!   "money": { "amount": "…", "basic_fund": "…", "catastrophic": "…", "fiscal_subsidy": "…", "personal": "…", "reconcile": true },
//!   "assumptions": ["…"],
//!   "reform": null,
//!   "threads": 2,
//!   "times": { "total_seconds": 0.1, "settling_seconds": 0.1, "first_pass_seconds": null },
//!   "peak_memory_kib": 23000
//! }
//! ```

use std::time::Duration;

use serde::Serialize;
use yibao_core::{PolicyYear, Yuan};

use crate::options::{BatchMode, BatchOptions};
use crate::summary::{BatchSummary, ErrorCounts, ReformSummary};

/// What the batch assumes of every person, since the claims table does not say it.
pub const ASSUMPTIONS: [&str; 2] = [
    "no enrolment history is given: every person is covered on every day of the year",
    "no remote-care filing is given: an `out_of_city` inpatient row is a referral out of the city (level 3, H14 out-of-city deductible, H18 referral cut)",
];

/// [`ASSUMPTIONS`] in Chinese, in the same order (for the summary a person reads; the
/// machine summary keeps the English).
pub const ASSUMPTIONS_ZH: [&str; 2] = [
    "未提供参保记录：假定每人全年每天均参保有效",
    "未提供异地就医备案：`out_of_city` 的住院行按转往市外就医处理（三级医院，H14 市外住院起付线，H18 转诊降低支付比例）",
];

/// The policy data a batch ran with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyDataId {
    /// How the data is named: `policy-data` (the embedded copy) or the directory given.
    pub label: String,
    /// Its digest ([`yibao::policy::PolicyFiles::digest`]).
    pub sha256: String,
}

/// What the command measured around the batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunFacts {
    /// The policy data.
    pub policy_data: PolicyDataId,
    /// The whole command's wall time.
    pub total: Duration,
    /// The first pass's time, when one ran.
    pub first_pass: Option<Duration>,
    /// The peak resident memory ([`peak_memory_kib`](crate::peak_memory_kib)).
    pub peak_memory_kib: Option<u64>,
}

/// A batch's summary in machine form; serialise it (e.g. with `serde_json`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MachineSummary {
    /// The engine's version (`CARGO_PKG_VERSION`).
    pub engine_version: &'static str,
    /// The policy data.
    pub policy_data: PolicyDataId,
    /// The insured place.
    pub jurisdiction: String,
    /// The policy year.
    pub year: PolicyYear,
    /// Settle or parse only.
    pub mode: BatchMode,
    /// The rows (records after the header).
    pub rows: Rows,
    /// The physical lines after the header.
    pub lines: Lines,
    /// The persons.
    pub persons: Persons,
    /// The rows in error by reason.
    pub errors_by_reason: ErrorCounts,
    /// The money of the settled rows (absent in parse-only mode).
    pub money: Option<Money>,
    /// What the batch assumes of every person ([`ASSUMPTIONS`]; cover is not assumed with a
    /// persons table).
    pub assumptions: Vec<&'static str>,
    /// With a persons table: its rows, those in error, the persons with no claims.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persons_table: Option<crate::PersonsTableCounts>,
    /// A reform's totals, when one was settled beside the baseline.
    pub reform: Option<ReformMoney>,
    /// Worker threads.
    pub threads: usize,
    /// Wall times.
    pub times: Times,
    /// Peak resident memory, where the system reports it.
    pub peak_memory_kib: Option<u64>,
}

/// Rows: in = settled + in error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Rows {
    #[serde(rename = "in")]
    rows_in: u64,
    settled: u64,
    in_error: u64,
    reconcile: bool,
}

/// Lines: in = settled + in error + blank.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Lines {
    #[serde(rename = "in")]
    lines_in: u64,
    settled: u64,
    in_error: u64,
    blank: u64,
    reconcile: bool,
}

/// The persons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Persons {
    settled: u64,
    with_errors: u64,
    not_contiguous: u64,
    catastrophic_not_settled: u64,
}

/// Amount in = basic fund + catastrophic + personal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Money {
    amount: Yuan,
    basic_fund: Yuan,
    catastrophic: Yuan,
    /// Paid by the fiscal subsidy of deliveries (H15).
    fiscal_subsidy: Yuan,
    personal: Yuan,
    reconcile: bool,
}

/// A reform's totals, and whether they reconcile with the same amount in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReformMoney {
    #[serde(flatten)]
    totals: ReformSummary,
    reconcile: bool,
}

/// Wall times, in seconds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Times {
    total_seconds: f64,
    settling_seconds: f64,
    first_pass_seconds: Option<f64>,
}

impl MachineSummary {
    /// The machine form of a batch's summary.
    pub fn new(summary: &BatchSummary, options: &BatchOptions, facts: RunFacts) -> MachineSummary {
        let settle = summary.mode == BatchMode::Settle;
        MachineSummary {
            engine_version: env!("CARGO_PKG_VERSION"),
            policy_data: facts.policy_data,
            jurisdiction: options.jurisdiction.clone(),
            year: options.year,
            mode: summary.mode,
            rows: Rows {
                rows_in: summary.rows_in,
                settled: summary.rows_settled,
                in_error: summary.rows_in_error,
                reconcile: summary.rows_settled.checked_add(summary.rows_in_error)
                    == Some(summary.rows_in),
            },
            lines: Lines {
                lines_in: summary.lines_in,
                settled: summary.lines_settled,
                in_error: summary.lines_in_error,
                blank: summary.lines_blank,
                reconcile: summary.lines_reconcile(),
            },
            persons: Persons {
                settled: summary.persons_settled,
                with_errors: summary.persons_with_errors,
                not_contiguous: summary.split_persons,
                catastrophic_not_settled: summary.persons_catastrophic_not_settled,
            },
            errors_by_reason: summary.errors_by_reason,
            money: settle.then(|| Money {
                amount: summary.amount,
                basic_fund: summary.basic_fund,
                catastrophic: summary.catastrophic,
                fiscal_subsidy: summary.fiscal_subsidy,
                personal: summary.personal,
                reconcile: summary.money_reconciles(),
            }),
            assumptions: summary.assumptions(),
            persons_table: summary.persons_table,
            reform: summary.reform.as_ref().map(|reform| ReformMoney {
                reconcile: reform.money_reconciles(summary.amount),
                totals: reform.clone(),
            }),
            threads: options.threads.get(),
            times: Times {
                total_seconds: facts.total.as_secs_f64(),
                settling_seconds: summary.elapsed.as_secs_f64(),
                first_pass_seconds: facts.first_pass.map(|t| t.as_secs_f64()),
            },
            peak_memory_kib: facts.peak_memory_kib,
        }
    }
}
