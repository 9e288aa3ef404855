//! `yibao settle --reform F --set p=v`: the person's year settled under the baseline book and
//! under the reformed one, side by side, with the difference (reform − baseline).
//!
//! Table and CSV: one row per claim (and in the table a `total` row: CSV holds the claims'
//! rows only, its totals are in JSON and the table); for the basic fund, catastrophic
//! insurance and the person, a column each for the baseline, the reform and the difference.
//! JSON: `baseline`, `reform` and `difference` objects (totals and claims). A catastrophic
//! part not settled under either book is written as its code (`not_published`, …) and has no
//! difference (`—` in the table, empty in CSV, `null` in JSON); the table's total is then `not_settled`, and JSON's
//! `catastrophic` the sum of the parts settled beside `catastrophic_not_settled`, their count.

use serde::Serialize;
use yibao::core::{PolicyYear, Yuan};
use yibao::policy::{PolicyLibrary, Reform, YuanDifference};
use yibao::scenario::{ClaimKindName, ScenarioFile};
use yibao::settle::{CatastrophicPart, ClaimReport, Explain, SettlementReport, settle_with};

use super::super::output::{Column, Format, Label, Out, print_json};
use super::super::{Failure, settle::settle_failure};

/// The two settlements compared.
#[derive(Debug, Serialize, schemars::JsonSchema)]
#[schemars(rename = "SettleReformAnswer")]
struct Comparison<'r> {
    jurisdiction: &'r str,
    year: PolicyYear,
    person: Option<&'r str>,
    /// The reform, as given: its file and settings.
    changes: String,
    baseline: Side,
    reform: Side,
    difference: Difference,
}

/// One settlement's figures.
#[derive(Debug, Serialize, schemars::JsonSchema)]
struct Side {
    amount: Yuan,
    basic_fund: Yuan,
    /// The catastrophic parts settled.
    catastrophic: Yuan,
    /// How many claims' catastrophic parts are not settled.
    catastrophic_not_settled: usize,
    fiscal_subsidy: Yuan,
    personal: Yuan,
    claims: Vec<ClaimSide>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
struct ClaimSide {
    record: String,
    date: chrono::NaiveDate,
    kind: ClaimKindName,
    amount: Yuan,
    basic_fund: Yuan,
    /// The amount, or the code of why the part is not settled.
    catastrophic: String,
    fiscal_subsidy: Yuan,
    personal: Yuan,
}

/// Reform − baseline.
#[derive(Debug, Serialize, schemars::JsonSchema)]
struct Difference {
    basic_fund: YuanDifference,
    /// `None` when a catastrophic part is not settled under either book.
    catastrophic: Option<YuanDifference>,
    fiscal_subsidy: YuanDifference,
    personal: YuanDifference,
    claims: Vec<ClaimDifference>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
struct ClaimDifference {
    record: String,
    date: chrono::NaiveDate,
    kind: ClaimKindName,
    basic_fund: YuanDifference,
    catastrophic: Option<YuanDifference>,
    fiscal_subsidy: YuanDifference,
    personal: YuanDifference,
}

/// The JSON Schema of the comparison's JSON answer (`yibao schema output settle-reform`),
/// generated from the types it is serialised from.
pub(crate) fn schema() -> serde_json::Value {
    yibao::output::schema::document_of(yibao::output::schema::enveloped::<Comparison<'_>>)
}

/// Settles the scenario under both libraries and prints the comparison.
pub(crate) fn run(
    baseline: &PolicyLibrary,
    reformed: &PolicyLibrary,
    reform: &Reform,
    out: &Out,
    file: &ScenarioFile,
    explain: bool,
) -> Result<(), Failure> {
    if explain {
        return Err(Failure::misused(
            "--explain explains one settlement: settle without --reform and --set to see its steps",
            "--explain 说明单次结算的计算过程：不加 --reform 和 --set 结算即可查看",
        ));
    }
    let settled = |library: &PolicyLibrary| {
        settle_with(library, &file.scenario, Explain::FiguresOnly)
            .map_err(|e| settle_failure(file, e))
    };
    let before = settled(baseline)?;
    let after = settled(reformed)?;
    let comparison = Comparison {
        jurisdiction: &before.jurisdiction,
        year: before.year,
        person: before.person.as_deref(),
        changes: reform.describe(),
        baseline: side(&before),
        reform: side(&after),
        difference: difference(&before, &after),
    };
    match out.format {
        Format::Json => print_json(&comparison),
        Format::Table | Format::Csv => print_rows(out, &comparison),
        Format::Nhsa => Err(Failure::misused(
            "--format nhsa writes one settlement for the national platform; with --reform or --set use table, json or csv",
            "--format nhsa 按国家医保平台的字段输出单次结算；与 --reform 或 --set 同用时请用 `table`、`json` 或 `csv`",
        )),
        Format::Fhir => Err(Failure::misused(
            "--format fhir writes one settlement's claims; with --reform or --set use table, json or csv",
            "--format fhir 输出单次结算的各笔费用；与 --reform 或 --set 同用时请用 `table`、`json` 或 `csv`",
        )),
    }
}

fn record(claim: &ClaimReport) -> String {
    claim
        .id
        .clone()
        .unwrap_or_else(|| format!("#{}", claim.index + 1))
}

fn catastrophic_text(part: &CatastrophicPart) -> String {
    match part.not_settled() {
        Some(why) => why.code().to_owned(),
        None => part.paid().to_string(),
    }
}

fn side(report: &SettlementReport) -> Side {
    let totals = &report.totals;
    Side {
        amount: totals.amount,
        basic_fund: totals.basic_fund,
        catastrophic: totals.catastrophic,
        catastrophic_not_settled: totals
            .catastrophic_not_settled
            .as_ref()
            .map_or(0, |u| u.claims),
        fiscal_subsidy: totals.fiscal_subsidy,
        personal: totals.personal,
        claims: report
            .claims
            .iter()
            .map(|claim| ClaimSide {
                record: record(claim),
                date: claim.date,
                kind: claim.kind,
                amount: claim.amount,
                basic_fund: claim.basic_fund,
                catastrophic: catastrophic_text(&claim.catastrophic),
                fiscal_subsidy: claim.fiscal_subsidy,
                personal: claim.personal,
            })
            .collect(),
    }
}

fn catastrophic_difference(
    before: &CatastrophicPart,
    after: &CatastrophicPart,
) -> Option<YuanDifference> {
    Some(YuanDifference::between(before.settled()?, after.settled()?))
}

fn difference(before: &SettlementReport, after: &SettlementReport) -> Difference {
    let (b, a) = (&before.totals, &after.totals);
    let settled = b.catastrophic_not_settled.is_none() && a.catastrophic_not_settled.is_none();
    Difference {
        basic_fund: YuanDifference::between(b.basic_fund, a.basic_fund),
        catastrophic: settled.then(|| YuanDifference::between(b.catastrophic, a.catastrophic)),
        fiscal_subsidy: YuanDifference::between(b.fiscal_subsidy, a.fiscal_subsidy),
        personal: YuanDifference::between(b.personal, a.personal),
        // Both settlements are of the same claims, in the same order.
        claims: before
            .claims
            .iter()
            .zip(&after.claims)
            .map(|(b, a)| ClaimDifference {
                record: record(b),
                date: b.date,
                kind: b.kind,
                basic_fund: YuanDifference::between(b.basic_fund, a.basic_fund),
                catastrophic: catastrophic_difference(&b.catastrophic, &a.catastrophic),
                fiscal_subsidy: YuanDifference::between(b.fiscal_subsidy, a.fiscal_subsidy),
                personal: YuanDifference::between(b.personal, a.personal),
            })
            .collect(),
    }
}

const fn column(field: &'static str, en: &'static str, zh: &'static str) -> Column {
    Column { field, en, zh }
}

/// The columns of the table and CSV forms.
const COLUMNS: [Column; 13] = [
    column("record", "", ""),
    column("date", "date", "日期"),
    column("kind", "kind", "类别"),
    column("amount", "amount", "医疗费用"),
    column("baseline_basic_fund", "basic fund", "基本医保"),
    column(
        "reform_basic_fund",
        "basic fund (reform)",
        "基本医保（改革）",
    ),
    column("difference_basic_fund", "difference", "差额"),
    column("baseline_catastrophic", "catastrophic", "大病保险"),
    column(
        "reform_catastrophic",
        "catastrophic (reform)",
        "大病保险（改革）",
    ),
    column("difference_catastrophic", "difference", "差额"),
    column("baseline_personal", "personal", "个人负担"),
    column("reform_personal", "personal (reform)", "个人负担（改革）"),
    column("difference_personal", "difference", "差额"),
];

/// The year's catastrophic total, or `not_settled` when some claim's part is not settled
/// (the sum of the parts settled would read as the year's payment).
fn catastrophic_total(side: &Side) -> String {
    if side.catastrophic_not_settled > 0 {
        "not_settled".to_owned()
    } else {
        side.catastrophic.to_string()
    }
}

/// A difference, or (a part not settled) `—` in a table and an empty field in CSV.
fn optional(out: &Out, difference: Option<YuanDifference>) -> String {
    let none = if out.format == Format::Csv { "" } else { "—" };
    difference.map_or_else(|| none.to_owned(), |d| d.to_string())
}

fn print_rows(out: &Out, c: &Comparison<'_>) -> Result<(), Failure> {
    let mut rows: Vec<Vec<String>> = c
        .baseline
        .claims
        .iter()
        .zip(&c.reform.claims)
        .zip(&c.difference.claims)
        .map(|((b, r), d)| {
            vec![
                b.record.clone(),
                b.date.to_string(),
                super::machine(&b.kind),
                b.amount.to_string(),
                b.basic_fund.to_string(),
                r.basic_fund.to_string(),
                d.basic_fund.to_string(),
                b.catastrophic.clone(),
                r.catastrophic.clone(),
                optional(out, d.catastrophic),
                b.personal.to_string(),
                r.personal.to_string(),
                d.personal.to_string(),
            ]
        })
        .collect();
    let (b, r, d) = (&c.baseline, &c.reform, &c.difference);
    // A totals row in CSV would be read as one more claim by a program summing the columns.
    let totals_row = out.format != Format::Csv;
    rows.extend(totals_row.then(|| {
        vec![
            out.label(Label {
                en: "total",
                zh: "合计",
            })
            .to_owned(),
            String::new(),
            String::new(),
            b.amount.to_string(),
            b.basic_fund.to_string(),
            r.basic_fund.to_string(),
            d.basic_fund.to_string(),
            catastrophic_total(b),
            catastrophic_total(r),
            optional(out, d.catastrophic),
            b.personal.to_string(),
            r.personal.to_string(),
            d.personal.to_string(),
        ]
    }));
    let person = c.person.map(|p| format!(" {p}")).unwrap_or_default();
    let title = format!(
        "{} {}{person}: {} {}",
        c.jurisdiction,
        c.year,
        out.label(Label {
            en: "baseline and reform",
            zh: "现行政策与改革",
        }),
        c.changes
    );
    out.rows(&title, &COLUMNS, &rows)
}
