//! `yibao cover`, `yibao contribution`, `yibao filing`: one question at a time.

use yibao::core::{NaiveDate, PolicyYear, Word};
use yibao::enrolment::{
    CategoryId, ChannelStatus, ContributionQuery, CoverBasis, EnrolmentRoute, Subsidy,
    WaitingReason,
};
use yibao::policy::PolicyLibrary;

use super::output::{Column, Format, ITEM_AMOUNT_RULE, Label, Out, print, print_json};
use super::refusal::ValueError;
use super::settle::{read_scenario, settle_failure};
use super::{Failure, care, explain};

/// The arguments of `yibao cover`.
#[derive(Debug, clap::Args)]
pub(crate) struct CoverArgs {
    /// A scenario file with the person's birth date and enrolment history.
    scenario: String,
    /// Print each step with its rule and the source's sentence.
    #[arg(long)]
    explain: bool,
}

/// The arguments of `yibao contribution`.
#[derive(Debug, clap::Args)]
pub(crate) struct ContributionArgs {
    /// Jurisdiction id, e.g. kunshan.
    #[arg(long)]
    jurisdiction: String,
    /// The policy year paid for.
    #[arg(long)]
    year: i64,
    /// The person category id of the jurisdiction's data, e.g. university_student.
    #[arg(long)]
    category: String,
    /// The payment date, YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    paid_on: NaiveDate,
    /// A transfer from employee to resident insurance (城转居, K10).
    #[arg(long)]
    transfer: bool,
    /// Also say whether the payment channels are open at this local time (HH:MM, K11).
    #[arg(long, value_name = "HH:MM")]
    at: Option<String>,
    /// Print each step with its rule and the source's sentence.
    #[arg(long)]
    explain: bool,
}

/// The arguments of `yibao filing`.
#[derive(Debug, clap::Args)]
pub(crate) struct FilingArgs {
    /// A scenario file with the jurisdiction, year and `[[filings]]` events.
    scenario: String,
    /// The day to take the register at (default: the last day of the scenario's year).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    as_of: Option<NaiveDate>,
    /// Also assess care at this place on that day (e.g. shanghai, shanghai/qingpu).
    #[arg(long, value_name = "PLACE")]
    care_at: Option<String>,
    /// The care is an emergency rescue away from home.
    #[arg(long, requires = "care_at")]
    emergency: bool,
    /// Print each step with its rule and the source's sentence.
    #[arg(long)]
    explain: bool,
}

const PERIOD_COLUMNS: [Column; 5] = [
    Column {
        field: "what",
        en: "what",
        zh: "项目",
    },
    Column {
        field: "from",
        en: "from",
        zh: "起",
    },
    Column {
        field: "to",
        en: "to",
        zh: "止",
    },
    Column {
        field: "basis",
        en: "why",
        zh: "原因",
    },
    Column {
        field: "rule",
        en: "rule",
        zh: "依据",
    },
];

/// Why a cover period starts when it does, in words: first of all whether the payment was
/// made in the collection window.
fn basis_label(basis: CoverBasis) -> Label {
    match basis {
        CoverBasis::CollectionWindow => Label {
            en: "paid in the collection window: the whole year",
            zh: "集中缴费期内缴费：全年享受待遇",
        },
        CoverBasis::PaidLateBeforeYear => Label {
            en: "paid after the collection window, before 1 January, insured the year before",
            zh: "集中缴费期后、1 月 1 日前缴费，上年度已参保",
        },
        CoverBasis::ReopenedAfterSuspension => Label {
            en: "paid after the collection window: reopened the day after the payment",
            zh: "集中缴费期后缴费：缴费次日起恢复待遇",
        },
        CoverBasis::AfterWaitingPeriod => Label {
            en: "paid after the collection window: after the waiting period",
            zh: "集中缴费期后缴费：等待期满后享受待遇",
        },
        CoverBasis::NewbornFromBirth => Label {
            en: "newborn enrolled within the newborn days: from birth",
            zh: "新生儿在规定期限内参保：自出生之日起",
        },
        CoverBasis::NewbornWithoutWaiting => Label {
            en: "newborn enrolled after the newborn days: from the payment, no waiting period",
            zh: "新生儿超过规定期限参保：自缴费之日起，不设等待期",
        },
        CoverBasis::Veteran => Label {
            en: "veteran enrolled in time: no waiting period",
            zh: "退役军人按期参保：不设等待期",
        },
        CoverBasis::NewAidRecipient => Label {
            en: "new aid recipient funded by the city: no waiting period",
            zh: "新增医疗救助对象由财政资助参保：不设等待期",
        },
        CoverBasis::SwitchWithinTolerance => Label {
            en: "switch between employee and resident insurance within the tolerated gap",
            zh: "职工医保与居民医保在规定中断期内转换",
        },
        _ => Label {
            en: "as the rule says",
            zh: "见依据",
        },
    }
}

fn waiting_label(out: &Out, reason: WaitingReason) -> String {
    out.label(match reason {
        WaitingReason::PaidOutsideWindow => Label {
            en: "paid outside the collection window",
            zh: "集中缴费期外缴费",
        },
        WaitingReason::ReEnrolledAfterLapse => Label {
            en: "paid in the window, re-enrolling after a lapse",
            zh: "中断参保后再次参保",
        },
    })
    .to_owned()
}

pub(crate) fn cover(library: &PolicyLibrary, out: &Out, args: &CoverArgs) -> Result<(), Failure> {
    let file = read_scenario(&args.scenario)?;
    let report =
        yibao::settle::cover(library, &file.scenario).map_err(|e| settle_failure(&file, e))?;
    if out.format == Format::Json {
        return print_json(&report);
    }
    let mut rows = Vec::new();
    for p in &report.cover.periods {
        rows.push(vec![
            out.label(Label {
                en: "covered",
                zh: "待遇享受期",
            })
            .to_owned(),
            p.range.start().to_string(),
            p.range.end().to_string(),
            out.label(basis_label(p.basis)).to_owned(),
            p.rule.to_string(),
        ]);
    }
    for w in &report.cover.waiting_periods {
        rows.push(vec![
            out.label(Label {
                en: "waiting period",
                zh: "等待期",
            })
            .to_owned(),
            w.range.start().to_string(),
            w.range.end().to_string(),
            waiting_label(out, w.reason),
            w.rule.to_string(),
        ]);
    }
    for s in &report.cover.suspensions {
        rows.push(vec![
            out.label(Label {
                en: "suspended",
                zh: "停卡",
            })
            .to_owned(),
            s.from.to_string(),
            s.reopened_on.map_or_else(
                || "—".to_owned(),
                |d| {
                    format!(
                        "{} ({})",
                        d,
                        out.label(Label {
                            en: "reopened",
                            zh: "恢复待遇"
                        })
                    )
                },
            ),
            out.label(Label {
                en: "not paid by 1 January: suspended until the day after the payment",
                zh: "1 月 1 日前未缴费：停卡至缴费次日",
            })
            .to_owned(),
            s.rule.to_string(),
        ]);
    }
    let title = format!(
        "{} {}",
        out.place_year(library, &file.scenario.jurisdiction, file.scenario.year),
        out.label(Label {
            en: "cover",
            zh: "待遇享受期"
        })
    );
    out.rows(&title, &PERIOD_COLUMNS, &rows)?;
    if out.format == Format::Table {
        if let Some(c) = &report.continuity {
            print(&format!(
                "{} {}\n",
                out.label(Label {
                    en: "consecutive years (from 2025, H6):",
                    zh: "连续参保年数（自 2025 年起，H6）："
                }),
                c.years
            ))?;
        }
        if args.explain {
            let steps = report.cover.trace.steps().iter();
            print(&explain::steps(library, out, steps))?;
        }
    }
    Ok(())
}

pub(crate) fn contribution(
    library: &PolicyLibrary,
    out: &Out,
    args: &ContributionArgs,
) -> Result<(), Failure> {
    let year = PolicyYear::new(args.year).map_err(|e| Failure::of_option("--year", &e))?;
    let query = ContributionQuery {
        category: CategoryId::new(args.category.clone()),
        year,
        paid_on: args.paid_on,
        route: if args.transfer {
            EnrolmentRoute::EmployeeToResidentTransfer
        } else {
            EnrolmentRoute::Ordinary
        },
    };
    let at = match &args.at {
        None => None,
        Some(time) => Some(chrono_time(args.paid_on, time)?),
    };
    let answer =
        yibao::questions::contribution(library, &args.jurisdiction, &query, at).map_err(|e| {
            // A mistyped category gets the nearest known one.
            let nearest = match &e {
                yibao::questions::QuestionError::Enrolment(
                    yibao::enrolment::EnrolmentError::UnknownCategory { id, known },
                ) => yibao::nearest::nearest(id.as_str(), known.split(", ")),
                _ => None,
            };
            Failure::with_nearest(None, &e, nearest)
        })?;
    if out.format == Format::Json {
        return print_json(&answer);
    }
    let yibao::questions::ContributionAnswer {
        channel,
        contribution,
    } = answer;
    let rule = contribution
        .rules()
        .first()
        .map(ToString::to_string)
        .unwrap_or_default();
    let mut rows = vec![
        vec![
            out.label(Label {
                en: "individual pays",
                zh: "个人缴费",
            })
            .to_owned(),
            contribution.individual.to_string(),
            rule.clone(),
        ],
        vec![
            out.label(Label {
                en: "paid by medical assistance",
                zh: "医疗救助资助",
            })
            .to_owned(),
            contribution.paid_by_assistance.to_string(),
            rule.clone(),
        ],
    ];
    match contribution.subsidy {
        Subsidy::Granted(figure) => rows.push(vec![
            format!(
                "{} ({}, {} {})",
                out.label(Label {
                    en: "fiscal subsidy",
                    zh: "财政补助"
                }),
                match figure.basis {
                    yibao::enrolment::SubsidyBasis::Exact => out.label(Label {
                        en: "exact",
                        zh: "定额"
                    }),
                    yibao::enrolment::SubsidyBasis::AtLeast => out.label(Label {
                        en: "at least",
                        zh: "不低于"
                    }),
                },
                out.label(Label {
                    en: "stated for",
                    zh: "标准所属年度"
                }),
                figure.stated_for
            ),
            figure.amount.to_string(),
            rule.clone(),
        ]),
        Subsidy::Withheld { not_granted } => rows.push(vec![
            out.label(Label {
                en: "fiscal subsidy withheld, paid by the person",
                zh: "不享受财政补助（由个人承担）",
            })
            .to_owned(),
            not_granted.to_string(),
            rule.clone(),
        ]),
    }
    if let Some(status) = &channel {
        let (text, rule) = match status {
            ChannelStatus::Open { rule } => (
                out.label(Label {
                    en: "payment channels open",
                    zh: "缴费通道开放",
                })
                .to_owned(),
                rule.to_string(),
            ),
            ChannelStatus::Closed {
                closed_from,
                reopens_at,
                rule,
            } => (
                format!(
                    "{} {closed_from}–{reopens_at}",
                    out.label(Label {
                        en: "payment channels closed",
                        zh: "缴费通道关闭"
                    })
                ),
                rule.to_string(),
            ),
        };
        rows.push(vec![text, String::new(), rule]);
    }
    let title = match out.lang {
        super::Lang::En => format!(
            "{} {year} {} {}",
            args.jurisdiction, args.category, args.paid_on
        ),
        super::Lang::Zh => {
            let category =
                yibao::questions::contribution_section(library, &args.jurisdiction, year)
                    .ok()
                    .and_then(|section| section.category(&query.category).ok())
                    .map_or(args.category.as_str(), |c| c.name_zh.as_str());
            format!(
                "{}：{category}，{} 缴费",
                out.place_year(library, &args.jurisdiction, year),
                args.paid_on
            )
        }
    };
    out.rows(&title, &ITEM_AMOUNT_RULE, &rows)?;
    if args.explain && out.format == Format::Table {
        let steps = contribution.trace.steps().iter();
        print(&explain::steps(library, out, steps))?;
    }
    Ok(())
}

/// A date argument, read as the scenarios' dates are: `YYYY-MM-DD` exactly, an impossible
/// day saying why it does not exist.
fn date(text: &str) -> Result<NaiveDate, ValueError> {
    ValueError::date(text)
}

fn chrono_time(date: NaiveDate, time: &str) -> Result<chrono::NaiveDateTime, Failure> {
    let parsed = chrono::NaiveTime::parse_from_str(time, "%H:%M").map_err(|_| {
        Failure::refused(
            format!("--at: `{time}` is not a time of day (write HH:MM, e.g. 21:30)"),
            format!("--at：`{time}` 不是一天中的时刻（写作 HH:MM，如 21:30）"),
        )
    })?;
    Ok(date.and_time(parsed))
}

pub(crate) fn filing(library: &PolicyLibrary, out: &Out, args: &FilingArgs) -> Result<(), Failure> {
    let file = read_scenario(&args.scenario)?;
    let as_of = args.as_of.unwrap_or_else(|| file.scenario.year.last_day());
    let care_at = match &args.care_at {
        None => None,
        Some(place) => {
            let area: yibao::filing::Area = place.parse().map_err(|e| {
                // A mistyped province gets the nearest one.
                let province = place.split('/').next().unwrap_or_default();
                let nearest = yibao::nearest::nearest(province, yibao::filing::PROVINCES);
                Failure::with_nearest(Some("--care-at"), &e, nearest)
            })?;
            let circumstance = if args.emergency {
                yibao::filing::Circumstance::EmergencyRescue
            } else {
                yibao::filing::Circumstance::Planned
            };
            Some((area, circumstance))
        }
    };
    let report = yibao::settle::filing(library, &file.scenario, as_of, care_at)
        .map_err(|e| settle_failure(&file, e))?;
    if out.format == Format::Json {
        return print_json(&report);
    }
    let rows: Vec<Vec<String>> = report
        .register
        .filings()
        .map(|(id, state)| {
            let tag = if out.table_zh() {
                state.state_term().zh.to_owned()
            } else {
                let value = serde_json::to_value(state).unwrap_or_default();
                value
                    .get("state")
                    .and_then(|s| s.as_str())
                    .unwrap_or("")
                    .to_owned()
            };
            vec![id.to_string(), tag]
        })
        .collect();
    let columns = [
        Column {
            field: "filing",
            en: "filing",
            zh: "备案",
        },
        Column {
            field: "state",
            en: "state",
            zh: "状态",
        },
    ];
    let title = match out.lang {
        super::Lang::En => format!("{} filings as of {as_of}", file.scenario.jurisdiction),
        super::Lang::Zh => format!(
            "{}：备案状态，截至 {as_of}",
            out.place_year(library, &file.scenario.jurisdiction, file.scenario.year)
        ),
    };
    out.rows(&title, &columns, &rows)?;
    if out.format == Format::Table {
        if let Some(care) = &report.care {
            let place = args.care_at.clone().unwrap_or_default();
            let assessment = &care.assessment;
            print(&match out.lang {
                super::Lang::En => format!(
                    "care at {place}: {} ({}, {})\n",
                    assessment.treatment,
                    assessment.region,
                    assessment.settlement.name()
                ),
                super::Lang::Zh => format!(
                    "就医地 {place}：{}（{}，{}）\n",
                    assessment.treatment.term().zh,
                    assessment.region.term().zh,
                    assessment.settlement.term().zh
                ),
            })?;
            print(&care::lines(out, care))?;
        }
        if args.explain {
            let care = report.care.iter().flat_map(|care| &care.assessment.trace);
            let steps = report.register.trace().iter().chain(care);
            print(&explain::steps(library, out, steps))?;
        }
    }
    Ok(())
}
