//! One claim's report as `--format json` writes it: its amounts, dates, basic-fund figures
//! and steps (the long texts) by the hand-written JSON of [`json_text`](super::json_text),
//! its other parts by `serde_json`; the bytes are those of `serde_json`'s pretty writer for
//! the whole claim.

use std::io::{Result, Write};

use crate::benefits::SettledClaim;
use crate::core::Yuan;
use crate::settle::{ClaimReport, Stage, Step};

use super::indented;
use super::json_text::{amount, at, date, rule, string};

/// A field of the claim (depth 3).
macro_rules! at3 {
    ($name:literal) => {
        at!("      ", $name)
    };
}

/// A field of the claim's basic-fund settlement (depth 4).
macro_rules! at4 {
    ($name:literal) => {
        at!("        ", $name)
    };
}

/// The claim as an item of the report's `claims` list (its fields at depth 3).
pub fn claim(w: &mut impl Write, claim: &ClaimReport) -> Result<()> {
    // Every field named: a field added to the report does not compile until written here.
    let ClaimReport {
        index,
        id,
        date: day,
        kind,
        level,
        amount: bill,
        cover,
        remote_care,
        settlement_route,
        eligible,
        class_c,
        outside_scope,
        deductible,
        basic_fund,
        not_paid,
        basic_fund_not_settled,
        catastrophic,
        fiscal_subsidy,
        personal,
        basic,
        manual_claim_deadline,
        steps,
    } = claim;
    const DEPTH: usize = 3;
    w.write_all(b"{\n      \"index\": ")?;
    w.write_all(itoa::Buffer::new().format(*index).as_bytes())?;
    w.write_all(at3!("id"))?;
    match id {
        Some(id) => string(w, id)?,
        None => w.write_all(b"null")?,
    }
    w.write_all(at3!("date"))?;
    date(w, *day)?;
    w.write_all(at3!("kind"))?;
    indented(w, kind, DEPTH)?;
    w.write_all(at3!("level"))?;
    indented(w, level, DEPTH)?;
    w.write_all(at3!("amount"))?;
    amount(w, *bill)?;
    w.write_all(at3!("cover"))?;
    indented(w, cover, DEPTH)?;
    w.write_all(at3!("remote_care"))?;
    indented(w, remote_care, DEPTH)?;
    w.write_all(at3!("settlement_route"))?;
    indented(w, settlement_route, DEPTH)?;
    for (key, value) in [
        (at3!("eligible"), eligible),
        (at3!("class_c"), class_c),
        (at3!("outside_scope"), outside_scope),
        (at3!("deductible"), deductible),
        (at3!("basic_fund"), basic_fund),
    ] {
        w.write_all(key)?;
        amount(w, *value)?;
    }
    w.write_all(at3!("not_paid"))?;
    indented(w, not_paid, DEPTH)?;
    if let Some(why) = basic_fund_not_settled {
        w.write_all(at3!("basic_fund_not_settled"))?;
        indented(w, why, DEPTH)?;
    }
    w.write_all(at3!("catastrophic"))?;
    indented(w, catastrophic, DEPTH)?;
    w.write_all(at3!("fiscal_subsidy"))?;
    amount(w, *fiscal_subsidy)?;
    w.write_all(at3!("personal"))?;
    amount(w, *personal)?;
    w.write_all(at3!("basic"))?;
    match basic {
        Some(basic) => settled(w, basic)?,
        None => w.write_all(b"null")?,
    }
    w.write_all(at3!("manual_claim_deadline"))?;
    match manual_claim_deadline {
        Some(day) => date(w, *day)?,
        None => w.write_all(b"null")?,
    }
    w.write_all(at3!("steps"))?;
    self::steps(w, steps)?;
    w.write_all(b"\n    }")
}

/// The basic fund's settlement of the claim, an object at depth 3 (its fields at depth 4).
fn settled(w: &mut impl Write, basic: &SettledClaim) -> Result<()> {
    let SettledClaim {
        sequence,
        date: day,
        kind,
        settled_as,
        amount: bill,
        outside_scope,
        eligible,
        deductible,
        fund_paid,
        not_paid,
        person_pays,
        bands,
        remote_care,
        cap_reached,
        catastrophic_base,
        maternity_subsidy_base,
        trace,
    } = basic;
    const DEPTH: usize = 4;
    w.write_all(b"{\n        \"sequence\": ")?;
    w.write_all(itoa::Buffer::new().format(*sequence).as_bytes())?;
    w.write_all(at4!("date"))?;
    date(w, *day)?;
    w.write_all(at4!("kind"))?;
    indented(w, kind, DEPTH)?;
    w.write_all(at4!("settled_as"))?;
    indented(w, settled_as, DEPTH)?;
    for (key, value) in [
        (at4!("amount"), bill),
        (at4!("outside_scope"), outside_scope),
        (at4!("eligible"), eligible),
        (at4!("deductible"), deductible),
        (at4!("fund_paid"), fund_paid),
    ] {
        w.write_all(key)?;
        amount(w, *value)?;
    }
    w.write_all(at4!("not_paid"))?;
    indented(w, not_paid, DEPTH)?;
    w.write_all(at4!("person_pays"))?;
    amount(w, *person_pays)?;
    w.write_all(at4!("bands"))?;
    indented(w, bands, DEPTH)?;
    w.write_all(at4!("remote_care"))?;
    indented(w, remote_care, DEPTH)?;
    w.write_all(at4!("cap_reached"))?;
    optional_amount(w, *cap_reached)?;
    w.write_all(at4!("catastrophic_base"))?;
    amount(w, *catastrophic_base)?;
    w.write_all(at4!("maternity_subsidy_base"))?;
    optional_amount(w, *maternity_subsidy_base)?;
    w.write_all(at4!("trace"))?;
    indented(w, trace, DEPTH)?;
    w.write_all(b"\n      }")
}

fn optional_amount(w: &mut impl Write, value: Option<Yuan>) -> Result<()> {
    match value {
        Some(value) => amount(w, value),
        None => w.write_all(b"null"),
    }
}

/// The claim's steps, a list at depth 3 (each step's fields at depth 5).
fn steps(w: &mut impl Write, steps: &[Step]) -> Result<()> {
    if steps.is_empty() {
        return w.write_all(b"[]");
    }
    let mut open: &[u8] = b"[\n        {\n          \"stage\": ";
    for step in steps {
        let Step { stage, step } = step;
        w.write_all(open)?;
        w.write_all(stage_text(*stage))?;
        w.write_all(at!("          ", "rule"))?;
        rule(w, step.rule)?;
        // The step's text is made here, at the edge.
        w.write_all(at!("          ", "text"))?;
        string(w, &step.render())?;
        open = b"\n        },\n        {\n          \"stage\": ";
    }
    w.write_all(b"\n        }\n      ]")
}

/// A stage as its JSON string (the `snake_case` of its name).
fn stage_text(stage: Stage) -> &'static [u8] {
    match stage {
        Stage::Cover => b"\"cover\"",
        Stage::RemoteCare => b"\"remote_care\"",
        Stage::BasicFund => b"\"basic_fund\"",
        Stage::Catastrophic => b"\"catastrophic\"",
    }
}
