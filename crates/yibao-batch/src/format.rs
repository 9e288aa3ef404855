//! The output formatting: a settled person's row and their claims' rows, amounts with two
//! decimals and CSV fields quoted when they must be.

use std::fmt::Write as _;

use yibao::policy::YuanDifference;
use yibao::settle::{ClaimReport, SettlementReport};
use yibao_core::Yuan;

use crate::row::{LevelName, kind_text};
use crate::settler::{PersonFigures, not_settled_reason};

/// Appends a settled person's row of the output ([`OUTPUT_HEADER`](crate::OUTPUT_HEADER)):
/// `catastrophic_paid` is empty, never 0.00, when the catastrophic part is not settled
/// (`not_settled` gives why). With a reform, the reform's figures and the differences follow
/// ([`REFORM_COLUMNS`](crate::REFORM_COLUMNS)).
pub(crate) fn person_row(
    out: &mut String,
    person_id: &str,
    baseline: &PersonFigures,
    reform: Option<&PersonFigures>,
) {
    push_csv_field(out, person_id);
    out.push(',');
    push_yuan(out, baseline.basic_fund);
    out.push(',');
    if baseline.not_settled.is_none() {
        push_yuan(out, baseline.catastrophic);
    }
    out.push(',');
    push_yuan(out, baseline.personal);
    match &baseline.not_settled {
        None => out.push_str(",settled,"),
        Some(reason) => {
            out.push_str(",not_settled,");
            push_csv_field(out, reason);
        }
    }
    if let Some(reform) = reform {
        reform_fields(out, baseline, reform);
    }
    out.push('\n');
}

/// The reform's figures, then reform − baseline; the catastrophic fields empty where a part
/// is not settled.
fn reform_fields(out: &mut String, baseline: &PersonFigures, reform: &PersonFigures) {
    let settled = baseline.not_settled.is_none() && reform.not_settled.is_none();
    out.push(',');
    push_yuan(out, reform.basic_fund);
    out.push(',');
    if reform.not_settled.is_none() {
        push_yuan(out, reform.catastrophic);
    }
    out.push(',');
    push_yuan(out, reform.personal);
    let _ = write!(
        out,
        ",{},",
        YuanDifference::between(baseline.basic_fund, reform.basic_fund)
    );
    if settled {
        let _ = write!(
            out,
            "{}",
            YuanDifference::between(baseline.catastrophic, reform.catastrophic)
        );
    }
    let _ = write!(
        out,
        ",{}",
        YuanDifference::between(baseline.personal, reform.personal)
    );
}

/// Appends the rows of a settled person's claims to the per-claim output
/// ([`PER_CLAIM_HEADER`](crate::PER_CLAIM_HEADER)), in input order: `levels` are the
/// person's rows' levels as written, `line` the line of the person's `i`-th row.
pub(crate) fn claim_rows(
    out: &mut String,
    person_id: &str,
    report: &SettlementReport,
    levels: &[LevelName],
    line: impl Fn(usize) -> u64,
) {
    let mut by_index: Vec<Option<&ClaimReport>> = vec![None; levels.len()];
    for claim in &report.claims {
        if let Some(slot) = by_index.get_mut(claim.index) {
            *slot = Some(claim);
        }
    }
    for (i, (level, claim)) in levels.iter().zip(by_index).enumerate() {
        let Some(claim) = claim else { continue };
        let _ = write!(out, "{},", line(i));
        push_csv_field(out, person_id);
        out.push(',');
        push_csv_field(out, claim.id.as_deref().unwrap_or_default());
        let _ = write!(
            out,
            ",{},{},{}",
            claim.date,
            kind_text(claim.kind),
            level.text()
        );
        let settled = not_settled_reason(&claim.catastrophic).is_none();
        for amount in [claim.amount, claim.basic_fund] {
            out.push(',');
            push_yuan(out, amount);
        }
        out.push(',');
        if settled {
            push_yuan(out, claim.catastrophic.paid());
        }
        out.push(',');
        push_yuan(out, claim.personal);
        out.push_str(if settled {
            ",settled,"
        } else {
            ",not_settled,"
        });
        // Why the basic fund pays nothing, when that is not arithmetic (never a silent 0).
        if let Some(reason) = &claim.not_paid {
            out.push_str(reason.code());
        }
        claim_figures(out, claim);
        out.push('\n');
    }
}

/// Appends the per-claim columns after `not_paid`: `eligible`, `deductible`,
/// `fiscal_subsidy` (H15), `cover`, `remote_care`, `not_paid_reason` (the reason in words)
/// and `basic_fund_not_settled` (why the sources give no rule for the claim, K8).
fn claim_figures(out: &mut String, claim: &ClaimReport) {
    for amount in [claim.eligible, claim.deductible, claim.fiscal_subsidy] {
        out.push(',');
        push_yuan(out, amount);
    }
    out.push(',');
    out.push_str(claim.cover.code());
    out.push(',');
    out.push_str(claim.remote_care.as_str());
    out.push(',');
    if let Some(reason) = &claim.not_paid {
        push_csv_field(out, &reason.to_string());
    }
    out.push(',');
    if let Some(gap) = &claim.basic_fund_not_settled {
        push_csv_field(out, &format!("{} ({})", gap.reason, gap.rule));
    }
}

/// Appends an amount with 2 decimals, as [`Yuan`]'s `Display` writes it, from whole fen
/// (cheaper than formatting the decimal).
pub(crate) fn push_yuan(out: &mut String, amount: Yuan) {
    let fen = amount.to_fen().unsigned_abs();
    out.push_str(itoa::Buffer::new().format(fen / 100));
    out.push('.');
    let cents = (fen % 100) as u8;
    out.push(char::from(b'0' + cents / 10));
    out.push(char::from(b'0' + cents % 10));
}

/// Appends a CSV field, quoted when it holds a comma, a quote or a line break.
pub(crate) fn push_csv_field(out: &mut String, value: &str) {
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
