//! `yibao settle`: one person's year, claim by claim, explained clause by clause.

use std::path::Path;

use yibao::policy::PolicyLibrary;
use yibao::scenario::{ScenarioFile, ScenarioFormat};
use yibao::settle::{
    CatastrophicPart, ClaimReport, ClaimSink, CoverStatus, Explain, SettlementReport, Stage,
    settle_streamed,
};

use super::output::{Column, Format, Label, Lang, Out};
use super::{Failure, explain};

pub(crate) mod compare;
mod rows;
mod stream;

/// The arguments of `yibao settle`.
#[derive(Debug, clap::Args)]
pub(crate) struct SettleArgs {
    /// The scenario file (TOML, or JSON when it ends in .json); `-` reads standard input as TOML.
    scenario: String,
    /// Print each step with its rule and the source's sentence.
    #[arg(long)]
    explain: bool,
    #[command(flatten)]
    reform: super::reform_args::ReformArgs,
}

/// Reads and parses a scenario file, with file positions in errors.
pub(crate) fn read_scenario(path: &str) -> Result<ScenarioFile, Failure> {
    let bytes = if path == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
            .map_err(|e| Failure::unreadable_named("standard input", "标准输入", &e))?;
        bytes
    } else {
        std::fs::read(Path::new(path)).map_err(|e| Failure::unreadable(path, &e))?
    };
    let shown = if path == "-" { "<stdin>" } else { path };
    ScenarioFile::parse_owned(shown, bytes, ScenarioFormat::of_file(path))
        .map_err(|e| Failure::of(&e))
}

/// A settlement error as one line at its place in the scenario file, in the same form as a
/// scenario's parse errors (`file:line:col: what (at key.path); hint: …`).
pub(crate) fn settle_failure(file: &ScenarioFile, e: yibao::settle::SettleError) -> Failure {
    let error = yibao::scenario::ScenarioError {
        location: Some(file.positions.locate(&e.path())),
        path: e.path(),
        message: e.to_string(),
        hint: e.hint().map(String::from),
    };
    let zh = error.located_zh(&e.zh(), e.hint_zh().as_deref());
    Failure::refused(&error, zh)
}

pub(crate) fn run(library: &PolicyLibrary, out: &Out, args: &SettleArgs) -> Result<(), Failure> {
    let file = read_scenario(&args.scenario)?;
    let (jurisdiction, year) = (&file.scenario.jurisdiction, file.scenario.year);
    if let Some((reform, reformed)) = args.reform.reformed(library, jurisdiction, year)? {
        return compare::run(library, &reformed, &reform, out, &file, args.explain);
    }
    let settled = |explain: Explain, sink: &mut dyn ClaimSink| {
        settle_streamed(library, &file.scenario, explain, sink)
            .map_err(|e| settle_failure(&file, e))
    };
    // Every output is written as the claims are settled, after a first settlement, figures
    // only, has found any error of the scenario: nothing is written for a refused scenario.
    match out.format {
        Format::Json => {
            settled(Explain::FiguresOnly, &mut stream::Check)?;
            let mut json = stream::Json::new(yibao::output::envelope::Envelope::of(library));
            let report = settled(Explain::Steps, &mut json)?;
            json.finish(&report)
        }
        Format::Nhsa => {
            let mut check = stream::Nhsa::new(None);
            settled(Explain::FiguresOnly, &mut check)?;
            check.finish()?;
            let mut nhsa = stream::Nhsa::new(Some(stream::Output::stdout()));
            settled(Explain::FiguresOnly, &mut nhsa)?;
            nhsa.finish()
        }
        Format::Fhir => {
            // Whole, not streamed: a single claim is a ClaimResponse, several a Bundle.
            let report = yibao::settle::settle_with(library, &file.scenario, Explain::Steps)
                .map_err(|e| settle_failure(&file, e))?;
            super::output::print_raw_json(&yibao::output::fhir::Fhir::of(&report, library))
        }
        Format::Csv => {
            settled(Explain::FiguresOnly, &mut stream::Check)?;
            let mut csv = rows::Csv::new(*out);
            settled(Explain::FiguresOnly, &mut csv)?;
            csv.finish()
        }
        Format::Table => {
            let mut table = rows::Table::new(*out).named_from(library);
            let report = settled(Explain::FiguresOnly, &mut table)?;
            table.finish(&report)?;
            if args.explain {
                let mut explained = rows::Explanation::new(library, *out);
                settled(Explain::Steps, &mut explained)?;
                explained.finish()?;
            }
            Ok(())
        }
    }
}

/// The claims' columns. `not_paid` is the code of why nothing is paid for the claim
/// (empty when it is settled by its policy); `catastrophic` is the amount, or the code of why
/// the part is not settled (`not_published`, `lapse_cut_not_given`, `cap_not_computed`),
/// never 0.00 for a part not settled.
const CLAIM_COLUMNS: [Column; 14] = [
    Column {
        field: "record",
        en: "",
        zh: "",
    },
    Column {
        field: "date",
        en: "date",
        zh: "日期",
    },
    Column {
        field: "kind",
        en: "kind",
        zh: "类别",
    },
    Column {
        field: "level",
        en: "level",
        zh: "医院等级",
    },
    Column {
        field: "cover",
        en: "cover",
        zh: "参保状态",
    },
    Column {
        field: "remote_care",
        en: "remote care",
        zh: "异地就医",
    },
    Column {
        field: "amount",
        en: "amount",
        zh: "医疗费用",
    },
    Column {
        field: "eligible",
        en: "eligible",
        zh: "政策范围内",
    },
    Column {
        field: "deductible",
        en: "deductible",
        zh: "起付线",
    },
    Column {
        field: "basic_fund",
        en: "basic fund",
        zh: "统筹基金",
    },
    Column {
        field: "not_paid",
        en: "not paid",
        zh: "不予支付",
    },
    Column {
        field: "catastrophic",
        en: "catastrophic",
        zh: "大病保险",
    },
    Column {
        field: "fiscal_subsidy",
        en: "subsidy",
        zh: "财政补助",
    },
    Column {
        field: "personal",
        en: "personal",
        zh: "个人负担",
    },
];

/// The serde name of a value (`general_outpatient`, `level_3`): what CSV and JSON carry.
fn machine<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn kind_label(out: &Out, report: &ClaimReport) -> String {
    let text = machine(&report.kind);
    if out.format == Format::Csv {
        return text;
    }
    match out.lang {
        Lang::En => text.replace('_', " "),
        Lang::Zh => match text.as_str() {
            "general_outpatient" => "普通门诊",
            "two_disease_drugs" => "“两病”门诊用药",
            "special_disease" => "门诊特殊病",
            "inpatient" => "住院",
            "day_surgery" => "日间手术",
            "dual_channel_drugs" => "双通道药品",
            "maternity_delivery" => "生育分娩",
            "emergency" => "急诊",
            other => other,
        }
        .to_owned(),
    }
}

fn level_label(out: &Out, level: yibao::benefits::HospitalLevel) -> String {
    use yibao::benefits::HospitalLevel::{Level1, Level2, Level3, PrimaryCare};
    if out.format == Format::Csv {
        return machine(&level);
    }
    match out.lang {
        Lang::En => level.to_string(),
        Lang::Zh => match level {
            PrimaryCare => "基层",
            Level1 => "一级",
            Level2 => "二级",
            Level3 => "三级",
        }
        .to_owned(),
    }
}

fn cover_label(out: &Out, cover: &CoverStatus) -> &'static str {
    if out.format == Format::Csv {
        return cover.code();
    }
    out.label(match cover {
        CoverStatus::Covered => Label {
            en: "covered",
            zh: "参保有效",
        },
        CoverStatus::Assumed => Label {
            en: "assumed",
            zh: "视为参保",
        },
        CoverStatus::NotCovered { .. } => Label {
            en: "NOT covered",
            zh: "不在待遇享受期",
        },
    })
}

fn remote_label(out: &Out, care: yibao::core::RemoteCare) -> String {
    use yibao::core::RemoteCare::{
        EmergencyRescue, ExemptAsReferral, Local, LongTermFiled, Referral, RegionalSameCity,
        TemporaryFiled, Unfiled,
    };
    match (out.format, out.lang) {
        (Format::Csv, _) | (_, Lang::En) => care.to_string(),
        (_, Lang::Zh) => match care {
            Local => "本地",
            LongTermFiled => "长期备案",
            Referral => "转诊",
            TemporaryFiled => "临时备案",
            Unfiled => "未备案",
            EmergencyRescue => "急诊抢救",
            ExemptAsReferral => "免备案（视同转诊）",
            RegionalSameCity => "区域同城",
        }
        .to_owned(),
    }
}

/// A claim's basic-fund cell: the amount, or `not_settled` when the sources give no rule for
/// the claim (K8; the reason is in the notes and the explanation).
fn basic_fund_cell(out: &Out, claim: &ClaimReport) -> String {
    match (&claim.basic_fund_not_settled, out.table_zh()) {
        (None, _) => claim.basic_fund.to_string(),
        (Some(_), false) => "not_settled".to_owned(),
        (Some(_), true) => "未结算".to_owned(),
    }
}

/// A claim's catastrophic cell: the amount, or the code of why it is not settled.
fn catastrophic_cell(out: &Out, part: &CatastrophicPart) -> String {
    match part {
        CatastrophicPart::Settled { paid } => paid.to_string(),
        CatastrophicPart::NotSettled { reason } if out.table_zh() => reason.short_zh().to_owned(),
        CatastrophicPart::NotSettled { reason } => reason.code().to_owned(),
    }
}

/// The totals' catastrophic cell (of the table: CSV has no totals row): the sum, or, when
/// some part is not settled, the settled sum with the parts left open.
fn catastrophic_total_cell(out: &Out, totals: &yibao::settle::Totals) -> String {
    match &totals.catastrophic_not_settled {
        None => totals.catastrophic.to_string(),
        Some(open) if out.table_zh() => format!(
            "{} + {} 笔{}",
            totals.catastrophic,
            open.claims,
            open.reason.short_zh()
        ),
        Some(open) => format!(
            "{} + {} {}",
            totals.catastrophic,
            open.claims,
            open.reason.code()
        ),
    }
}

/// A claim's row of the table or CSV.
fn claim_cells(out: &Out, c: &ClaimReport) -> Vec<String> {
    vec![
        c.id.clone().unwrap_or_else(|| format!("#{}", c.index + 1)),
        c.date.to_string(),
        kind_label(out, c),
        level_label(out, c.level),
        cover_label(out, &c.cover).to_owned(),
        remote_label(out, c.remote_care),
        c.amount.to_string(),
        c.eligible.to_string(),
        c.deductible.to_string(),
        basic_fund_cell(out, c),
        c.not_paid
            .as_ref()
            .map(|r| match out.table_zh() {
                true => r.short_zh().to_owned(),
                false => r.code().to_owned(),
            })
            .unwrap_or_default(),
        catastrophic_cell(out, &c.catastrophic),
        c.fiscal_subsidy.to_string(),
        c.personal.to_string(),
    ]
}

/// The totals' row, last in the table.
fn total_cells(out: &Out, t: &yibao::settle::Totals) -> Vec<String> {
    vec![
        out.label(Label {
            en: "total",
            zh: "合计",
        })
        .to_owned(),
        String::new(),
        String::new(),
        String::new(),
        format!("{}/{}", t.covered_claims, t.claims),
        String::new(),
        t.amount.to_string(),
        String::new(),
        String::new(),
        t.basic_fund.to_string(),
        String::new(),
        catastrophic_total_cell(out, t),
        t.fiscal_subsidy.to_string(),
        t.personal.to_string(),
    ]
}

/// The table's title.
fn title(
    out: &Out,
    jurisdiction: &str,
    year: yibao::core::PolicyYear,
    person: Option<&str>,
) -> String {
    let title = format!(
        "{} {} {} {}",
        jurisdiction,
        year,
        out.label(Label {
            en: "settlement",
            zh: "年度结算"
        }),
        person.unwrap_or_default()
    );
    title.trim_end().to_owned()
}

/// The lines under the table: contributions, the cap in force, what carries into next year,
/// the notes (the claims' own lines, [`claim_lines`], follow them).
fn tail_text(out: &Out, report: &SettlementReport) -> String {
    let mut text = String::new();
    for c in &report.contributions {
        let subsidy = match c.subsidy {
            yibao::enrolment::Subsidy::Granted(figure) => format!(
                "{} {}{} ({} {})",
                out.label(Label {
                    en: "fiscal subsidy",
                    zh: "财政补助"
                }),
                match figure.basis {
                    yibao::enrolment::SubsidyBasis::AtLeast => out.label(Label {
                        en: "at least ",
                        zh: "不低于 "
                    }),
                    yibao::enrolment::SubsidyBasis::Exact => "",
                },
                figure.amount,
                out.label(Label {
                    en: "stated for",
                    zh: "标准所属年度"
                }),
                figure.stated_for
            ),
            yibao::enrolment::Subsidy::Withheld { not_granted } => format!(
                "{} {not_granted}",
                out.label(Label {
                    en: "no fiscal subsidy, paid by the person:",
                    zh: "不享受财政补助，个人承担："
                })
            ),
        };
        text.push_str(&format!(
            "{} {}: {} {}; {subsidy}\n",
            out.label(Label {
                en: "contribution paid on",
                zh: "缴费日期"
            }),
            c.paid_on,
            out.label(Label {
                en: "individual",
                zh: "个人缴费"
            }),
            c.individual,
        ));
    }
    if let Some(cap) = &report.cap_in_force {
        text.push_str(&format!(
            "{} {}\n",
            out.label(Label {
                en: "catastrophic cap in force:",
                zh: "大病保险本年度最高支付限额："
            }),
            cap.cap
        ));
    }
    let next = &report.next_year;
    if let Some(year) = next.year {
        text.push_str(&format!(
            "{} {year}: {} {}, {} {}\n",
            out.label(Label {
                en: "carried into",
                zh: "结转至"
            }),
            out.label(Label {
                en: "zero reimbursement",
                zh: "基金零报销"
            }),
            yes_no(out, next.zero_reimbursement),
            out.label(Label {
                en: "reward quota used",
                zh: "使用奖励额度"
            }),
            yes_no(out, next.reward_quota_used),
        ));
    }
    for note in &report.notes {
        let note = note.text(out.text_lang());
        text.push_str(&format!(
            "{} {note}\n",
            out.label(Label {
                en: "note:",
                zh: "说明："
            })
        ));
    }
    text
}

/// A claim's lines under the table, when something about it is not a plain figure: not
/// paid, a maternity subsidy, a manual-claim deadline, a catastrophic part not settled.
fn claim_lines(out: &Out, claim: &ClaimReport, text: &mut String) {
    if let Some(reason) = &claim.not_paid {
        text.push_str(&format!(
            "{} {}: {}\n",
            out.label(Label {
                en: "not paid:",
                zh: "不予支付："
            }),
            claim.date,
            with_code(out, reason.text(out.text_lang()), reason.code())
        ));
    }
    if !claim.fiscal_subsidy.is_zero() {
        text.push_str(&format!(
            "{} {}: {}\n",
            out.label(Label {
                en: "maternity fiscal subsidy (H15):",
                zh: "生育医疗费用财政补助（H15）：",
            }),
            claim.date,
            claim.fiscal_subsidy
        ));
    }
    if let Some(deadline) = claim.manual_claim_deadline {
        text.push_str(&format!(
            "{} {}: {deadline}\n",
            out.label(Label {
                en: "manual claim to be filed by",
                zh: "零星报销截止"
            }),
            claim.date
        ));
    }
    if let CatastrophicPart::NotSettled { reason } = &claim.catastrophic {
        text.push_str(&format!(
            "{} {}: {}\n",
            out.label(Label {
                en: "catastrophic not settled:",
                zh: "大病保险未结算："
            }),
            claim.date,
            with_code(out, reason.text(out.text_lang()), reason.code())
        ));
    }
}

/// A reason's sentence in the output's language; in English followed by its machine code
/// (`[not_covered]`), which JSON and CSV write, in Chinese the sentence alone.
fn with_code(out: &Out, text: String, code: &str) -> String {
    match out.lang {
        Lang::En => format!("{text} [{code}]"),
        Lang::Zh => text,
    }
}

fn yes_no(out: &Out, value: bool) -> &'static str {
    out.label(if value {
        Label {
            en: "yes",
            zh: "是",
        }
    } else {
        Label {
            en: "no", zh: "否"
        }
    })
}

fn stage_label(out: &Out, stage: Stage) -> &'static str {
    out.label(match stage {
        Stage::Cover => Label {
            en: "cover",
            zh: "参保",
        },
        Stage::RemoteCare => Label {
            en: "remote care",
            zh: "异地就医",
        },
        Stage::BasicFund => Label {
            en: "basic fund",
            zh: "统筹基金",
        },
        Stage::Catastrophic => Label {
            en: "catastrophic",
            zh: "大病保险",
        },
    })
}

/// A claim's explanation: its heading, each step with its rule and source, its outcome.
fn write_claim_explanation(
    w: &mut impl std::io::Write,
    library: &PolicyLibrary,
    out: &Out,
    quotes: &mut explain::Quotes,
    claim: &ClaimReport,
) -> std::io::Result<()> {
    w.write_all(b"\n")?;
    match &claim.id {
        Some(id) => w.write_all(id.as_bytes())?,
        None => write!(w, "#{}", claim.index + 1)?,
    }
    writeln!(
        w,
        " {} {} {} {}",
        claim.date,
        kind_label(out, claim),
        level_label(out, claim.level),
        claim.amount
    )?;
    let steps = claim.steps.iter().map(|s| {
        (
            &s.step,
            Staged(stage_label(out, s.stage), &s.step, out.text_lang()),
        )
    });
    explain::write_steps(w, library, out, quotes, steps)?;
    w.write_all(outcome(out, claim).as_bytes())
}

/// A step's text after its stage's label, rendered in the output's language.
struct Staged<'t>(&'static str, &'t yibao::core::Step, yibao::core::Lang);

impl std::fmt::Display for Staged<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: ", self.0)?;
        self.1.write_text_in(self.2, f)
    }
}

/// What an explained claim ends in when something is not paid or not settled: the reason
/// with its code, so no figure reads as a settled 0.00.
fn outcome(out: &Out, claim: &ClaimReport) -> String {
    let mut text = String::new();
    if let Some(reason) = &claim.not_paid {
        text.push_str(&format!(
            "     {} {}\n",
            out.label(Label {
                en: "→ not paid:",
                zh: "→ 不予支付："
            }),
            with_code(out, reason.text(out.text_lang()), reason.code())
        ));
    }
    if let Some(reason) = claim.catastrophic.not_settled() {
        text.push_str(&format!(
            "     {} {}\n",
            out.label(Label {
                en: "→ catastrophic not settled:",
                zh: "→ 大病保险未结算："
            }),
            with_code(out, reason.text(out.text_lang()), reason.code())
        ));
    }
    text
}
