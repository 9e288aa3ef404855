//! `yibao deadline`: the days a person or an office must act by. A manual claim's regular
//! and final days and where a claim filed on a day stands (K7, W7); the day the decision on a
//! filing is due, on the working-day calendar (K6, W3).

use yibao::core::NaiveDate;
use yibao::filing::ClaimTiming;
use yibao::policy::PolicyLibrary;

use super::output::{Format, Label, Out, print, print_json};
use super::refusal::ValueError;
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

fn date(text: &str) -> Result<NaiveDate, ValueError> {
    ValueError::date(text)
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

fn manual_claim(library: &PolicyLibrary, out: &Out, args: &ManualClaimArgs) -> Result<(), Failure> {
    let answer = yibao::questions::deadline::manual_claim(
        library,
        &args.jurisdiction,
        args.expense_date,
        args.filed_on,
    )
    .map_err(|e| Failure::of(&e))?;
    if out.format == Format::Json {
        return print_json(&answer);
    }
    let (jurisdiction, year, deadline, timing) = (
        &answer.jurisdiction,
        answer.year,
        &answer.deadline,
        answer.claim_timing,
    );
    let mut text = format!(
        "{}{}{} {}\n",
        out.place_year(library, jurisdiction, year),
        out.label(Label {
            en: ": ", zh: "："
        }),
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

fn approval(library: &PolicyLibrary, out: &Out, args: &ApprovalArgs) -> Result<(), Failure> {
    let answer =
        yibao::questions::deadline::approval(library, &args.jurisdiction, args.submitted_on)
            .map_err(|e| Failure::of(&e))?;
    if out.format == Format::Json {
        return print_json(&answer);
    }
    let (jurisdiction, year, due, rule) = (
        &answer.jurisdiction,
        answer.policy_year,
        answer.decision_due,
        answer.rule,
    );
    let text = match out.lang {
        super::Lang::En => format!(
            "{jurisdiction} {year}: a filing submitted on {} is decided by {due} ({rule})\n",
            args.submitted_on
        ),
        super::Lang::Zh => format!(
            "{}：{} 提交的备案，应于 {due} 前完成审批（{rule}）\n",
            out.place_year(library, jurisdiction, year),
            args.submitted_on
        ),
    };
    print(&text)
}
