//! `yibao catastrophic`: a year's personal burden → the catastrophic payment, with its bands,
//! the cap in force and each raise; or `--ladder`, the schedules across years.

use clap::builder::{PossibleValue, PossibleValuesParser};
use yibao::catastrophic::{Continuity, IncentiveHistory, LadderEntry, PersonClass, RaiseReason};
use yibao::core::{PolicyYear, Word, Yuan};
use yibao::policy::PolicyLibrary;
use yibao::questions::catastrophic::CatastrophicQuestion;

use super::output::{Column, Format, ITEM_AMOUNT_RULE, Label, Lang, Out, print, print_json};
use super::refusal::InChinese;
use super::{Failure, explain};

/// The arguments of `yibao catastrophic`.
#[derive(Debug, clap::Args)]
pub(crate) struct CatastrophicArgs {
    /// Jurisdiction id, e.g. huaian (with --ladder and without it: every insured place).
    #[arg(long, required_unless_present = "ladder")]
    jurisdiction: Option<String>,
    /// Policy year (required unless --ladder).
    #[arg(long, required_unless_present = "ladder")]
    year: Option<i64>,
    /// The year's cumulative personal burden after the basic fund, in yuan (e.g. 100000 or 100000.50).
    #[arg(long, required_unless_present = "ladder")]
    burden: Option<String>,
    /// Person class.
    #[arg(long, default_value = "ordinary", value_parser = class_names())]
    class: String,
    /// Consecutive years of enrolment counted from 2025, this year included (H6).
    #[arg(long, default_value_t = 1, conflicts_with = "re_enrolled_after_lapse")]
    consecutive_years: u32,
    /// The person re-enrolled this year after a lapse (H7: the cap may be lowered; the source gives no amount).
    #[arg(long)]
    re_enrolled_after_lapse: bool,
    /// A past year with no fund reimbursement (repeatable).
    #[arg(long = "zero-reimbursement-year", value_name = "YEAR")]
    zero_reimbursement_years: Vec<i64>,
    /// A past year whose catastrophic payments used reward quota (repeatable).
    #[arg(long = "reward-used-year", value_name = "YEAR")]
    reward_used_years: Vec<i64>,
    /// Print each step with its rule and the source's sentence.
    #[arg(long)]
    explain: bool,
    /// Print the jurisdiction's schedules across the policy years instead.
    #[arg(long)]
    ladder: bool,
}

/// The person classes by their one name, each also read in its older spellings.
fn class_names() -> PossibleValuesParser {
    PossibleValuesParser::new(
        PersonClass::ALL.map(|class| {
            PossibleValue::new(class.name()).aliases(class.older_names().iter().copied())
        }),
    )
}

fn input<E: InChinese>(what: &str) -> impl Fn(E) -> Failure + '_ {
    move |e| Failure::of_option(what, &e)
}

pub(crate) fn run(
    library: &PolicyLibrary,
    out: &Out,
    args: &CatastrophicArgs,
) -> Result<(), Failure> {
    let jurisdiction = match (&args.jurisdiction, args.ladder) {
        (Some(jurisdiction), _) => jurisdiction.as_str(),
        (None, true) => return print_every_ladder(library, out),
        (None, false) => {
            return Err(Failure::refused(
                "--jurisdiction is required",
                "须给出 --jurisdiction".to_owned(),
            ));
        }
    };
    // The place is looked up first, so that an unknown one is named before any other fault.
    let ladder = library
        .catastrophic_ladder(jurisdiction)
        .map_err(|e| Failure::of(&e))?;
    if args.ladder {
        return print_ladder(library, out, &ladder);
    }
    let year = PolicyYear::new(args.year.unwrap_or_default()).map_err(input("--year"))?;
    let burden: Yuan = args
        .burden
        .as_deref()
        .unwrap_or_default()
        .parse()
        .map_err(input("--burden"))?;
    let class: PersonClass = args.class.parse().map_err(input("--class"))?;
    let continuity = if args.re_enrolled_after_lapse {
        Continuity::ReEnrolledAfterLapse
    } else {
        Continuity::Consecutive {
            years: args.consecutive_years,
        }
    };
    let mut history = IncentiveHistory::new(continuity);
    for y in &args.zero_reimbursement_years {
        history
            .zero_reimbursement_years
            .insert(PolicyYear::new(*y).map_err(input("--zero-reimbursement-year"))?);
    }
    for y in &args.reward_used_years {
        history
            .reward_quota_used_years
            .insert(PolicyYear::new(*y).map_err(input("--reward-used-year"))?);
    }
    let question = CatastrophicQuestion {
        jurisdiction: jurisdiction.to_owned(),
        year,
        burden,
        class,
        history,
    };
    let answer = yibao::questions::catastrophic::catastrophic(library, &question)
        .map_err(|e| Failure::of(&e))?;
    if out.format == Format::Json {
        return print_json(&answer);
    }
    let (cap, settlement, rounding) = (&answer.cap_in_force, &answer.settlement, answer.rounding);
    let h19 = settlement
        .trace
        .first()
        .map(|s| s.rule.to_string())
        .unwrap_or_default();
    let mut rows = vec![
        row(
            out,
            Label {
                en: "personal burden",
                zh: "个人负担",
            },
            settlement.burden,
            &h19,
        ),
        row(
            out,
            Label {
                en: "threshold",
                zh: "起付标准",
            },
            settlement.threshold,
            &h19,
        ),
        row(
            out,
            Label {
                en: "excess over the threshold",
                zh: "超过起付标准部分",
            },
            settlement.excess,
            &h19,
        ),
    ];
    for share in &settlement.bands {
        let (band, base, rate) = (share.band, share.base, share.bounds.rate);
        rows.push(vec![
            match out.lang {
                Lang::En => format!("band {band} ({base} × {rate})"),
                Lang::Zh => format!("第 {band} 段（{base} × {rate}）"),
            },
            share.share.round(rounding).to_string(),
            h19.clone(),
        ]);
    }
    rows.push(row(
        out,
        Label {
            en: "original cap",
            zh: "原最高支付限额",
        },
        cap.original_cap,
        &h19,
    ));
    for raise in &cap.raises {
        rows.push(vec![
            raise_text(out, raise.reason),
            raise.amount.to_string(),
            raise.rule.to_string(),
        ]);
    }
    rows.push(row(
        out,
        Label {
            en: "cap in force",
            zh: "本年度最高支付限额",
        },
        cap.cap,
        &h19,
    ));
    rows.push(row(
        out,
        Label {
            en: "catastrophic payment",
            zh: "大病保险支付",
        },
        settlement.payment,
        &h19,
    ));
    let title = format!(
        "{} {} ({})",
        out.place_year(library, jurisdiction, year),
        out.label(Label {
            en: "catastrophic insurance",
            zh: "大病保险"
        }),
        class.term().text(out.text_lang())
    );
    out.rows(&title, &ITEM_AMOUNT_RULE, &rows)?;
    if args.explain {
        let steps = cap.trace.iter().chain(&settlement.trace);
        print(&explain::steps(library, out, steps))?;
    }
    Ok(())
}

fn raise_text(out: &Out, reason: RaiseReason) -> String {
    match (reason, out.lang) {
        (
            RaiseReason::Continuity {
                consecutive_years,
                steps,
            },
            Lang::En,
        ) => {
            format!("raise: {consecutive_years} consecutive years, {steps} step(s)")
        }
        (
            RaiseReason::Continuity {
                consecutive_years,
                steps,
            },
            Lang::Zh,
        ) => {
            format!("连续参保激励：连续 {consecutive_years} 年，{steps} 档")
        }
        (RaiseReason::ZeroReimbursement { year }, Lang::En) => {
            format!("raise: no fund reimbursement in {year}")
        }
        (RaiseReason::ZeroReimbursement { year }, Lang::Zh) => format!("基金零报销激励：{year} 年"),
    }
}

fn row(out: &Out, label: Label, amount: Yuan, rule: &str) -> Vec<String> {
    vec![
        out.label(label).to_owned(),
        amount.to_string(),
        rule.to_owned(),
    ]
}

/// The ladders of every insured place the data knows, one after the other (JSON: a list
/// of `{"jurisdiction", "rows"}`).
fn print_every_ladder(library: &PolicyLibrary, out: &Out) -> Result<(), Failure> {
    let places = library
        .jurisdictions
        .list
        .iter()
        .filter(|j| j.insured_place)
        .map(|j| j.id.as_str());
    let mut ladders = Vec::new();
    for place in places {
        ladders.push(
            library
                .catastrophic_ladder(place)
                .map_err(|e| Failure::of(&e))?,
        );
    }
    if out.format == Format::Json {
        let coverage = library.jurisdictions.coverage;
        let all: Vec<_> = ladders
            .iter()
            .map(|ladder| {
                serde_json::json!({
                    "jurisdiction": ladder.jurisdiction(),
                    "rows": ladder.rows(coverage.first_year, coverage.last_year),
                })
            })
            .collect();
        return print_json(&all);
    }
    for ladder in &ladders {
        print_ladder(library, out, ladder)?;
    }
    Ok(())
}

fn print_ladder(
    library: &PolicyLibrary,
    out: &Out,
    ladder: &yibao::catastrophic::Ladder,
) -> Result<(), Failure> {
    let coverage = library.jurisdictions.coverage;
    let rows = ladder.rows(coverage.first_year, coverage.last_year);
    if out.format == Format::Json {
        return print_json(&rows);
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| match &r.entry {
            LadderEntry::Published(p) => vec![
                r.year.to_string(),
                p.classes
                    .iter()
                    .map(|c| match out.lang {
                        Lang::En => {
                            format!("{}: {} then {}", c.class, c.threshold, bands_text(&c.bands))
                        }
                        Lang::Zh => format!(
                            "{}：起付标准 {}，{}",
                            c.class.term().zh,
                            c.threshold,
                            c.bands
                                .iter()
                                .map(yibao::core::Band::zh)
                                .collect::<Vec<_>>()
                                .join("，")
                        ),
                    })
                    .collect::<Vec<_>>()
                    .join(out.label(Label {
                        en: "; ", zh: "；"
                    })),
                p.annual_cap.to_string(),
                match out.lang {
                    Lang::En => format!(
                        "+{} per step, at most {}, from {}",
                        p.incentive_step, p.incentive_limit, p.incentives_from
                    ),
                    Lang::Zh => format!(
                        "每次提高 {}，累计不超过 {}，自 {} 年起",
                        p.incentive_step, p.incentive_limit, p.incentives_from
                    ),
                },
            ],
            other => vec![
                r.year.to_string(),
                ladder_entry_text(out, other),
                "—".to_owned(),
                "—".to_owned(),
            ],
        })
        .collect();
    let columns = [
        Column {
            field: "year",
            en: "year",
            zh: "年度",
        },
        Column {
            field: "schedule",
            en: "threshold and bands",
            zh: "起付标准与分段",
        },
        Column {
            field: "annual_cap",
            en: "annual cap",
            zh: "最高支付限额",
        },
        Column {
            field: "incentives",
            en: "incentives",
            zh: "激励",
        },
    ];
    out.rows(
        &format!(
            "{} {}",
            place(library, out, ladder.jurisdiction()),
            out.label(Label {
                en: "catastrophic ladder",
                zh: "大病保险历年待遇"
            })
        ),
        &columns,
        &table,
    )
}

fn bands_text(bands: &[yibao::core::Band]) -> String {
    bands
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A place as a title names it: its id in English, its Chinese name in Chinese.
fn place(library: &PolicyLibrary, out: &Out, id: &str) -> String {
    match out.lang {
        Lang::En => id.to_owned(),
        Lang::Zh => library
            .jurisdictions
            .get(id)
            .map_or_else(|| id.to_owned(), |j| j.name_zh.clone()),
    }
}

/// Why a year has no schedule, telling "the sources publish none" from "no data loaded".
fn ladder_entry_text(out: &Out, entry: &LadderEntry) -> String {
    match (entry, out.lang) {
        (LadderEntry::Published(_), _) => String::new(),
        // The reasons say it in English: the data's for a year not published ("the sources
        // publish no …"), the library's for a year without data ("no policy data is loaded …").
        (LadderEntry::NotPublished { reason } | LadderEntry::NoData { reason }, Lang::En) => {
            reason.clone()
        }
        (LadderEntry::NotPublished { .. }, Lang::Zh) => {
            "资料未公布本年度大病保险待遇标准".to_owned()
        }
        (LadderEntry::NoData { .. }, Lang::Zh) => "未载入本年度政策数据".to_owned(),
    }
}
