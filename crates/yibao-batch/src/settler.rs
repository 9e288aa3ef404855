//! One person's settlement through the facade (`settle_into`, into a reused scenario and
//! report), and its rows of the outputs.

use std::fmt::Write as _;

use yibao::scenario::{IncentiveInput, PersonInput, Scenario};
use yibao::settle::{
    CatastrophicPart, ClaimField, Explain, SettleError, SettlementReport, settle_into,
};
use yibao_benefits::{FamilyDoctor, PersonGroup};
use yibao_catastrophic::PersonClass;
use yibao_core::{Lang, Said, Yuan};

use crate::chunk::RowRef;
use crate::columns::{Column, quoted};
use crate::format::{claim_rows, person_row};
use crate::options::BatchMode;
use crate::person::ErrorRow;
use crate::row::{LevelName, PersonColumns};
use crate::workers::RunContext;
use crate::writer::SettledChunk;

/// Settles one person's parsed rows (or, parse-only, counts them) and writes the results.
#[allow(clippy::too_many_arguments)] // one person's parts, borrowed from the worker's settler
pub(crate) fn settle_person(
    context: &RunContext<'_>,
    person_id: &str,
    scenario: &Scenario,
    rows: &[RowRef],
    positions: &[usize],
    levels: &[LevelName],
    errors: &mut Vec<ErrorRow>,
    settler: &mut Settlements,
    done: &mut SettledChunk,
) {
    if context.mode == BatchMode::ParseOnly {
        done.tally.rows_settled += positions.len() as u64;
        done.tally.persons_settled += 1;
        std::hint::black_box(scenario);
        return;
    }
    let line = |i: usize| {
        positions
            .get(i)
            .and_then(|at| rows.get(*at))
            .map_or(0, |r| r.line)
    };
    let mut refuse_all = |column: Option<(usize, &'static str)>, reason: Said| {
        let person = quoted(person_id);
        let reason = Said::new(
            format!("person {person} could not be settled: {}", reason.en()),
            format!("参保人 {person} 无法结算：{}", reason.text(Lang::Zh)),
        );
        for (i, at) in positions.iter().enumerate() {
            errors.push(ErrorRow {
                at: *at,
                column: column.filter(|(c, _)| *c == i).map_or("", |(_, name)| name),
                reason: reason.clone(),
            });
        }
    };
    let (baseline, report) = match person_figures(
        context,
        context.library,
        scenario,
        &mut settler.baseline,
        line,
    ) {
        Ok(settled) => settled,
        Err((column, reason)) => {
            refuse_all(column, reason);
            return;
        }
    };
    // Under a reform, a person whose settlement fails under either book is held back whole.
    let reform = match context.reform {
        None => None,
        Some(library) => {
            match person_figures(context, library, scenario, &mut settler.reform, line) {
                Ok((figures, _)) => Some(figures),
                Err((column, reason)) => {
                    refuse_all(column, under_the_reform(&reason));
                    return;
                }
            }
        }
    };
    done.tally.add_person(&baseline, reform.as_ref());
    done.tally.rows_settled += positions.len() as u64;
    done.tally.persons_settled += 1;
    person_row(&mut done.output, person_id, &baseline, reform.as_ref());
    if baseline.not_settled.is_some() {
        done.tally.persons_catastrophic_not_settled += 1;
    }
    if context.per_claim {
        claim_rows(&mut done.per_claim, person_id, report, levels, line);
    }
}

/// A settled person's figures under one book, as the output writes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PersonFigures {
    pub(crate) amount: Yuan,
    pub(crate) basic_fund: Yuan,
    /// 0 when not settled.
    pub(crate) catastrophic: Yuan,
    /// The burden before catastrophic insurance when its part is not settled.
    pub(crate) personal: Yuan,
    /// Paid by the fiscal subsidy of deliveries (H15).
    pub(crate) fiscal_subsidy: Yuan,
    /// Why the catastrophic part is not settled, `None` when it is.
    pub(crate) not_settled: Option<String>,
}

/// Why a person is held back: the column at fault (on the row of that index), and the reason.
type Refusal = (Option<(usize, &'static str)>, Said);

/// A reason of the settlement under the reform.
#[cold]
pub(crate) fn under_the_reform(reason: &Said) -> Said {
    Said::new(
        format!("under the reform: {}", reason.en()),
        format!("按改革方案结算时：{}", reason.text(Lang::Zh)),
    )
}

/// Settles the person under `library` and takes their figures; or the column at fault and
/// the reason.
pub(crate) fn person_figures<'s>(
    context: &RunContext<'_>,
    library: &yibao::policy::PolicyLibrary,
    scenario: &Scenario,
    settler: &'s mut yibao::settle::Settler,
    line: impl Fn(usize) -> u64,
) -> Result<(PersonFigures, &'s SettlementReport), Refusal> {
    let report = settle_into(library, scenario, Explain::FiguresOnly, settler)
        .map_err(|error| settle_error_text(&error, line))?;
    if let Some(reason) = incomplete(context, report) {
        return Err((None, reason));
    }
    let totals = &report.totals;
    // Catastrophic not settled: nothing paid is written, and the person keeps the burden
    // before catastrophic insurance.
    let not_settled = report
        .claims
        .iter()
        .find_map(|c| not_settled_reason(&c.catastrophic));
    let (catastrophic, personal) = match &not_settled {
        None => (totals.catastrophic, totals.personal),
        Some(_) => match totals
            .amount
            .checked_sub(totals.basic_fund)
            .and_then(|burden| burden.checked_sub(totals.fiscal_subsidy))
        {
            Ok(burden) => (Yuan::ZERO, burden),
            Err(error) => return Err((None, Said::new(error.to_string(), error.zh()))),
        },
    };
    let figures = PersonFigures {
        amount: totals.amount,
        basic_fund: totals.basic_fund,
        fiscal_subsidy: totals.fiscal_subsidy,
        catastrophic,
        personal,
        not_settled,
    };
    Ok((figures, report))
}

/// Why a claim's catastrophic part is not settled (`None` when it is): the reason's text as
/// the settlement words it.
pub(crate) fn not_settled_reason(part: &CatastrophicPart) -> Option<String> {
    match part {
        CatastrophicPart::Settled { .. } => None,
        CatastrophicPart::NotSettled { reason } => Some(reason.to_string()),
    }
}

/// A settled report the batch cannot write as a complete figure: where the year has a
/// catastrophic schedule, a cap that could not be computed from the person's columns. (A
/// catastrophic part not settled for a reason of the policy data, such as a year without a
/// published schedule, is written as `not_settled`.)
pub(crate) fn incomplete(context: &RunContext<'_>, report: &SettlementReport) -> Option<Said> {
    if context.catastrophic_present && report.cap_in_force.is_none() {
        return Some(
            report
                .notes
                .iter()
                .find(|n| n.starts_with("catastrophic"))
                .map(|n| match n.zh() {
                    Some(_) => n.clone(),
                    None => Said::new(n.en().to_owned(), "无法算出适用的大病保险封顶线"),
                })
                .unwrap_or_else(|| {
                    Said::new(
                        "the catastrophic cap in force could not be computed",
                        "无法算出适用的大病保险封顶线",
                    )
                }),
        );
    }
    None
}

/// The settlement error as a reason, with the offending row's column when the error points
/// at a claim.
#[cold]
pub(crate) fn settle_error_text(
    error: &SettleError,
    line: impl Fn(usize) -> u64,
) -> (Option<(usize, &'static str)>, Said) {
    let mut text = error.to_string();
    let mut zh = error.zh();
    let mut column = None;
    match error.claim_at_fault() {
        Some((i, field)) => {
            let name = match field {
                None => "",
                Some(ClaimField::Date) => Column::Date.name(),
                Some(ClaimField::RemoteCare) => Column::HospitalLevel.name(),
                Some(_) => Column::Amount.name(),
            };
            let line = line(i);
            let _ = write!(text, " (line {line}");
            if name.is_empty() {
                let _ = write!(zh, "（第 {line} 行）");
            } else {
                let _ = write!(text, ", column {name}");
                let _ = write!(zh, "（第 {line} 行，列 `{name}`）");
            }
            text.push(')');
            column = Some((i, name));
        }
        None => {
            let _ = write!(text, " (at `{}`)", error.path());
            let _ = write!(zh, "（位置 `{}`）", error.path());
        }
    }
    if let Some(hint) = error.hint() {
        let _ = write!(text, "; hint: {hint}");
    }
    if let Some(hint) = error.hint_zh() {
        let _ = write!(zh, "；提示：{hint}");
    }
    (column, Said::new(text, zh))
}

/// A worker's buffers, reused from person to person: the scenario being settled (its claims,
/// id and incentives keep their allocations), the rows' positions and levels, the errors,
/// the one-stop settlement's own settler (its report and the caps in force it keeps).
pub(crate) struct Settler {
    pub(crate) scenario: Scenario,
    pub(crate) positions: Vec<usize>,
    pub(crate) levels: Vec<LevelName>,
    pub(crate) errors: Vec<ErrorRow>,
    pub(crate) settlement: Settlements,
}

/// The one-stop settlement's settlers of a worker: the baseline's, and the reform's (unused
/// without a reform).
pub(crate) struct Settlements {
    pub(crate) baseline: yibao::settle::Settler,
    pub(crate) reform: yibao::settle::Settler,
}

impl Settler {
    pub(crate) fn new(context: &RunContext<'_>) -> Settler {
        Settler {
            scenario: Scenario {
                jurisdiction: context.jurisdiction.clone(),
                year: context.year,
                person: PersonInput {
                    id: Some(String::new()),
                    born: None,
                    category: None,
                    group: PersonGroup::Resident,
                    family_doctor: FamilyDoctor::NotSigned,
                    catastrophic_class: Some(PersonClass::Ordinary),
                },
                enrolment: Vec::new(),
                incentives: Some(IncentiveInput::default()),
                filings: Vec::new(),
                class_b_personal_share: None,
                claims: Vec::new(),
            },
            positions: Vec::new(),
            levels: Vec::new(),
            errors: Vec::new(),
            settlement: Settlements {
                baseline: yibao::settle::Settler::new(),
                reform: yibao::settle::Settler::new(),
            },
        }
    }

    pub(crate) fn clear(&mut self) {
        self.scenario.claims.clear();
        self.positions.clear();
        self.levels.clear();
        self.errors.clear();
    }
}

/// Writes a person's columns into the scenario: no enrolment history (cover assumed), the
/// incentive history from `continuity_years` and `zero_claim_prev`.
pub(crate) fn fill_person(
    context: &RunContext<'_>,
    scenario: &mut Scenario,
    person_id: &str,
    person: PersonColumns,
) {
    let id = scenario.person.id.get_or_insert_with(String::new);
    id.clear();
    id.push_str(person_id);
    scenario.person.group = person.group;
    scenario.person.family_doctor = person.family_doctor;
    scenario.person.catastrophic_class = Some(person.class);
    scenario.class_b_personal_share = person.class_b_share.map(|share| share.0);
    let incentives = scenario
        .incentives
        .get_or_insert_with(IncentiveInput::default);
    incentives.consecutive_years = Some(person.continuity_years);
    incentives.re_enrolled_after_lapse = false;
    incentives.reward_quota_used_years.clear();
    incentives.zero_reimbursement_years.clear();
    if let (true, Some(previous)) = (person.zero_claim_prev, context.previous_year) {
        incentives.zero_reimbursement_years.push(previous);
    }
}
