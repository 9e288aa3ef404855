//! `yibao deadline`: the days a person or an office must act by. A manual claim's regular
//! and final days and where a claim filed on a day stands (K7, W7); the day the decision on a
//! filing is due, on the working-day calendar (K6, W3).

use yibao::core::{NaiveDate, PolicyYear};
use yibao::filing::{ClaimTiming, FilingPolicy, ManualClaimDeadline};
use yibao::policy::{PolicyLibrary, Section};

use super::output::{Format, Label, Out, print, print_json};
use super::{Failure, explain};

/// The questions of `yibao deadline`.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum DeadlineCommand {
    /// A manual claim (零星报销) for an expense: the last day of the regular window, the last
    /// day a late claim is taken, and, with --filed-on, whether a claim filed that day is on
    /// time, late or too late and the policy year it counts in (K7, W7).
    ManualClaim(ManualClaimArgs),
    /// The day the office's decision on a filing submitted on a day is due: the working days
    /// the source gives, counted on the holiday calendar (K6, W3).
    Approval(ApprovalArgs),
}

/// The arguments of `yibao deadline manual-claim`.
#[derive(Debug, clap::Args)]
pub(crate) struct ManualClaimArgs {
    /// Jurisdiction id, e.g. kunshan.
    #[arg(long)]
    jurisdiction: String,
    /// The day of the expense, YYYY-MM-DD (its calendar year is the policy year).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    expense_date: NaiveDate,
    /// The day the claim is filed, YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    filed_on: Option<NaiveDate>,
    /// Print each step with its rule and the source's sentence.
    #[arg(long)]
    explain: bool,
}

/// The arguments of `yibao deadline approval`.
#[derive(Debug, clap::Args)]
pub(crate) struct ApprovalArgs {
    /// Jurisdiction id, e.g. wujiang.
    #[arg(long)]
    jurisdiction: String,
    /// The day the filing was submitted, YYYY-MM-DD (the submission day never counts).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    submitted_on: NaiveDate,
}

fn date(text: &str) -> Result<NaiveDate, String> {
    yibao::core::parse_date(text).map_err(|e| e.to_string())
}

pub(crate) fn run(
    library: &PolicyLibrary,
    out: &Out,
    command: &DeadlineCommand,
) -> Result<(), Failure> {
    match command {
        DeadlineCommand::ManualClaim(args) => manual_claim(library, out, args),
        DeadlineCommand::Approval(args) => approval(library, out, args),
    }
}

/// The filing rules of the jurisdiction's book for the year of `day`, or why there are none.
fn filing_policy<'l>(
    library: &'l PolicyLibrary,
    jurisdiction: &str,
    day: NaiveDate,
) -> Result<(&'l str, PolicyYear, &'l FilingPolicy), Failure> {
    let year = PolicyYear::of(day).map_err(|e| Failure::Input(e.to_string()))?;
    let book = library
        .book(jurisdiction, year)
        .map_err(|e| Failure::Input(e.to_string()))?;
    match &book.filing {
        Section::Present(policy) => Ok((&book.jurisdiction, year, policy)),
        Section::Absent { reason } => Err(Failure::Input(format!(
            "{jurisdiction} {year}: the sources give no filing rules: {reason}"
        ))),
        Section::NotGiven => Err(Failure::Input(format!(
            "{jurisdiction} {year}: the policy data gives no filing rules"
        ))),
    }
}

fn manual_claim(library: &PolicyLibrary, out: &Out, args: &ManualClaimArgs) -> Result<(), Failure> {
    let (jurisdiction, year, policy) =
        filing_policy(library, &args.jurisdiction, args.expense_date)?;
    let deadline = yibao::filing::manual_claim_deadline(args.expense_date, policy)
        .map_err(|e| Failure::Input(e.to_string()))?;
    let timing = match args.filed_on {
        Some(day) => Some(
            deadline
                .timing(day)
                .map_err(|e| Failure::Input(e.to_string()))?,
        ),
        None => None,
    };
    if out.format == Format::Json {
        return print_json(&manual_claim_json(jurisdiction, args, &deadline, timing));
    }
    let mut text = format!(
        "{jurisdiction} {year}: {} {}\n",
        out.label(Label {
            en: "manual claim for an expense of",
            zh: "零星报销，费用发生日",
        }),
        args.expense_date
    );
    let line = |label: Label, value: String| {
        let label = out.label(label);
        // Aligned by display width: a Chinese character takes two columns.
        let width: usize = label
            .chars()
            .map(|c| if c > '\u{10ff}' { 2 } else { 1 })
            .sum();
        format!(
            "  {label}{} {value}\n",
            " ".repeat(30_usize.saturating_sub(width))
        )
    };
    text += &line(
        Label {
            en: "regular deadline:",
            zh: "正常报销截止日：",
        },
        deadline.regular_until.to_string(),
    );
    text += &line(
        Label {
            en: "final deadline (late claims):",
            zh: "逾期报销最后期限：",
        },
        deadline.final_day.to_string(),
    );
    if let (Some(day), Some(timing)) = (args.filed_on, timing) {
        text += &line(
            Label {
                en: "filed on:",
                zh: "申报日：",
            },
            format!("{day}: {}", timing_text(out, timing)),
        );
    }
    if args.explain {
        text += &explain::steps(library, out, deadline.trace.iter());
    }
    print(&text)
}

fn timing_text(out: &Out, timing: ClaimTiming) -> String {
    match timing {
        ClaimTiming::OnTime { counts_in } => match out.lang {
            super::Lang::En => format!("on time; counts in policy year {counts_in}"),
            super::Lang::Zh => format!("按期；计入 {counts_in} 年度"),
        },
        ClaimTiming::Late { counts_in } => match out.lang {
            super::Lang::En => format!("late but taken; counts in policy year {counts_in}"),
            super::Lang::Zh => format!("逾期但予受理；计入 {counts_in} 年度"),
        },
        ClaimTiming::Closed { final_day } => match out.lang {
            super::Lang::En => format!("too late: claims closed after {final_day}"),
            super::Lang::Zh => format!("已逾最后期限 {final_day}，不予受理"),
        },
    }
}

fn manual_claim_json(
    jurisdiction: &str,
    args: &ManualClaimArgs,
    deadline: &ManualClaimDeadline,
    timing: Option<ClaimTiming>,
) -> serde_json::Value {
    let timing = timing.map(|timing| match timing {
        ClaimTiming::OnTime { counts_in } => {
            serde_json::json!({"status": "on_time", "allowed": true, "counts_in": counts_in})
        }
        ClaimTiming::Late { counts_in } => {
            serde_json::json!({"status": "late", "allowed": true, "counts_in": counts_in})
        }
        ClaimTiming::Closed { final_day } => {
            serde_json::json!({"status": "closed", "allowed": false, "final_day": final_day})
        }
    });
    serde_json::json!({
        "jurisdiction": jurisdiction,
        "expense_date": args.expense_date,
        "deadline": deadline,
        "filed_on": args.filed_on,
        "timing": timing,
    })
}

fn approval(library: &PolicyLibrary, out: &Out, args: &ApprovalArgs) -> Result<(), Failure> {
    let (jurisdiction, year, policy) =
        filing_policy(library, &args.jurisdiction, args.submitted_on)?;
    let due = yibao::filing::approval_due_by(args.submitted_on, &library.calendar, policy)
        .map_err(|e| Failure::Input(e.to_string()))?;
    let rule = policy.approval.rules.first();
    if out.format == Format::Json {
        return print_json(&serde_json::json!({
            "jurisdiction": jurisdiction,
            "policy_year": year,
            "submitted_on": args.submitted_on,
            "decision_due": due,
            "rule": rule,
        }));
    }
    let text = match out.lang {
        super::Lang::En => format!(
            "{jurisdiction} {year}: a filing submitted on {} is decided by {due} ({rule})\n",
            args.submitted_on
        ),
        super::Lang::Zh => format!(
            "{jurisdiction} {year}：{} 提交的备案，应于 {due} 前完成审批（{rule}）\n",
            args.submitted_on
        ),
    };
    print(&text)
}
