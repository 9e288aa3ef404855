//! The join of a person's claims with their row of the persons table: the person columns
//! of the claims must agree with it, and it gives the scenario what the claims cannot (the
//! enrolment category and history, the birth date, the incentive history, the filings).
//! After the claims, the persons of the table with no claims are settled with none, and
//! the table's refused rows are written to the errors file.

use std::fmt::Write as _;
use std::sync::atomic::Ordering;

use yibao::scenario::Scenario;
use yibao_benefits::FamilyDoctor;
use yibao_core::{Lang, Said, Word};

use crate::columns::{Column, quoted};
use crate::error::{BatchError, write_error};
use crate::format::{person_row, push_csv_field};
use crate::person::{bool_text, category_text};
use crate::persons_table::{PersonEntry, PersonRecord, PersonsTable, RowProblem};
use crate::row::PersonColumns;
use crate::settler::{Settler, fill_person, person_figures, under_the_reform};
use crate::workers::RunContext;
use crate::writer::{OrderedWriter, SettledChunk};

/// The person's row of the persons table, checked against the claims' person columns
/// (`first_line`: the person's first claim), or why the person is held back.
pub(crate) fn join<'t>(
    table: &'t PersonsTable,
    person_id: &str,
    claims: &PersonColumns,
    previous: Option<yibao_core::PolicyYear>,
    first_line: u64,
) -> Result<&'t PersonRecord, (&'static str, Said)> {
    let name = &table.name;
    let Some(entry) = table.join(person_id) else {
        let person = quoted(person_id);
        return Err((
            Column::PersonId.name(),
            Said::new(
                format!("person held back: person {person} is not in the persons table {name}"),
                format!("参保人暂不结算：参保人 {person} 不在人员表 `{name}` 中"),
            ),
        ));
    };
    let line = entry.line;
    let record = entry.record.as_ref().map_err(|problem| {
        let (text, text_zh) = problem_text(problem);
        (
            "",
            Said::new(
                format!(
                    "person held back: {} {line} of the persons table {name} was refused ({text})",
                    table.position_word(),
                ),
                format!("参保人暂不结算：人员表 `{name}` 第 {line} 行被拒收（{text_zh}）"),
            ),
        )
    })?;
    let disagree = |column: Column, theirs: &str, claims: String, persons_column: &str| {
        let column = column.name();
        (
            column,
            Said::new(
                format!(
                    "person held back: `{column}` is `{claims}` on line {first_line} and the persons table {name} says `{persons_column}` = `{theirs}` on its {} {line}; they must agree",
                    table.position_word(),
                ),
                format!(
                    "参保人暂不结算：第 {first_line} 行的 `{column}` 为 `{claims}`，而人员表 `{name}` 第 {line} 行的 `{persons_column}` 为 `{theirs}`；二者须一致"
                ),
            ),
        )
    };
    if let Some(class) = record.catastrophic_class.filter(|c| *c != claims.class) {
        return Err(disagree(
            Column::Category,
            class.name(),
            category_text(claims.class),
            "catastrophic_class",
        ));
    }
    if let Some(signed) = record.family_doctor.filter(|f| *f != claims.family_doctor) {
        return Err(disagree(
            Column::FamilyDoctor,
            bool_text(signed == FamilyDoctor::Signed),
            bool_text(claims.family_doctor == FamilyDoctor::Signed).to_owned(),
            "family_doctor",
        ));
    }
    if let Some(group) = record.group.filter(|g| *g != claims.group) {
        return Err(disagree(
            Column::Group,
            &group.to_string(),
            claims.group.to_string(),
            "group",
        ));
    }
    if let Some(incentives) = &record.incentives {
        if let Some(years) = incentives
            .consecutive_years
            .filter(|n| *n != claims.continuity_years)
        {
            return Err(disagree(
                Column::ContinuityYears,
                &years.to_string(),
                claims.continuity_years.to_string(),
                "consecutive_years",
            ));
        }
        let zero_prev = previous.is_some_and(|p| incentives.zero_reimbursement_years.contains(&p));
        if zero_prev != claims.zero_claim_prev {
            return Err(disagree(
                Column::ZeroClaimPrev,
                bool_text(zero_prev),
                bool_text(claims.zero_claim_prev).to_owned(),
                "zero_reimbursement_years",
            ));
        }
    }
    Ok(record)
}

/// A refused row of the persons table: its column and why, in English and in Chinese.
fn problem_text(problem: &RowProblem) -> (String, String) {
    let zh = problem.reason.text(Lang::Zh);
    if problem.column.is_empty() {
        (problem.reason.en().to_owned(), zh.to_owned())
    } else {
        (
            format!("{}: {}", problem.column, problem.reason.en()),
            format!("`{}`：{zh}", problem.column),
        )
    }
}

/// Writes the persons table's row into the scenario, over the claims' person columns.
pub(crate) fn apply(scenario: &mut Scenario, record: &PersonRecord) {
    scenario.person.category.clone_from(&record.category);
    scenario.person.born = record.born;
    match (record.catastrophic_class, &record.category) {
        (Some(class), _) => scenario.person.catastrophic_class = Some(class),
        // The class the enrolment category selects (H1), not the claims' `category`.
        (None, Some(_)) => scenario.person.catastrophic_class = None,
        (None, None) => {}
    }
    if let Some(group) = record.group {
        scenario.person.group = group;
    }
    if let Some(signed) = record.family_doctor {
        scenario.person.family_doctor = signed;
    }
    scenario.enrolment.clone_from(&record.enrolment);
    scenario.filings.clone_from(&record.filings);
    match (&record.incentives, record.enrolment.is_empty()) {
        (Some(incentives), _) => scenario.incentives = Some(incentives.clone()),
        // An enrolment history without an incentive history: computed from the history.
        (None, false) => scenario.incentives = None,
        // Neither: the claims' `continuity_years` and `zero_claim_prev` (already written).
        (None, true) => {}
    }
}

/// How a chunk's persons are joined to the persons table.
#[derive(Clone, Copy)]
pub(crate) enum TableJoin<'t> {
    /// The whole table, in memory: its persons with no claims are settled after the claims.
    Whole(&'t PersonsTable),
    /// The table's rows of the chunk's range of persons: its persons with no claims are
    /// settled in the chunk, at their place in person order.
    Streamed(&'t PersonsTable),
}

impl<'t> TableJoin<'t> {
    pub(crate) fn table(self) -> &'t PersonsTable {
        match self {
            TableJoin::Whole(table) | TableJoin::Streamed(table) => table,
        }
    }
}

/// Settles the persons of the table with no claims (with none) and writes them, then the
/// table's refused rows, after the claims' persons.
pub(crate) fn write_unjoined(
    context: &RunContext<'_>,
    table: &PersonsTable,
    writer: &mut OrderedWriter<'_, '_>,
) -> Result<(), BatchError> {
    let mut done = SettledChunk::default();
    Unjoined::new(table).settle_before(None, context, &mut Settler::new(context), &mut done);
    writer
        .output
        .write_all(done.output.as_bytes())
        .map_err(write_error("output"))?;
    writer
        .errors
        .write_all(done.errors.as_bytes())
        .map_err(write_error("errors file"))?;
    writer.tally.merge(&done.tally);
    Ok(())
}

/// The persons of a table (or of a chunk's range of it) not yet written, in person order:
/// each settled with no claims, or its row written to the errors (refused, or its person's
/// claims held back); a person joined to claims is already written.
pub(crate) struct Unjoined<'t> {
    table: &'t PersonsTable,
    persons: std::iter::Peekable<std::collections::btree_map::Iter<'t, String, PersonEntry>>,
    orphans_written: bool,
}

impl<'t> Unjoined<'t> {
    pub(crate) fn new(table: &'t PersonsTable) -> Unjoined<'t> {
        Unjoined {
            table,
            persons: table.persons.iter().peekable(),
            orphans_written: false,
        }
    }

    /// Writes the table's rows without a person first, then the persons before `bound`
    /// (every person left when `None`) into `done`.
    pub(crate) fn settle_before(
        &mut self,
        bound: Option<&str>,
        context: &RunContext<'_>,
        settler: &mut Settler,
        done: &mut SettledChunk,
    ) {
        let table = self.table;
        if !self.orphans_written {
            self.orphans_written = true;
            for (line, id, problem) in &table.orphans {
                refused(
                    context.lang,
                    table,
                    done,
                    *line,
                    id,
                    problem.column,
                    &problem.reason,
                );
            }
        }
        while let Some((id, entry)) = self
            .persons
            .next_if(|(id, _)| bound.is_none_or(|bound| id.as_str() < bound))
        {
            settle_unjoined(context, table, id, entry, settler, done);
        }
    }
}

/// A row of the persons table written to the errors file, its reason in `lang`.
fn refused(
    lang: Lang,
    table: &PersonsTable,
    done: &mut SettledChunk,
    line: u64,
    id: &str,
    column: &str,
    why: &Said,
) {
    done.tally.table_rows_in_error += 1;
    let _ = write!(done.errors, "{line},");
    push_csv_field(&mut done.errors, id);
    done.errors.push(',');
    push_csv_field(&mut done.errors, column);
    done.errors.push(',');
    let reason = match lang {
        Lang::En => format!(
            "persons table {}, {} {line}: {}",
            table.name,
            table.position_word(),
            why.en()
        ),
        Lang::Zh => format!(
            "人员表 `{}` 第 {line} 行：{}",
            table.name,
            why.text(Lang::Zh)
        ),
    };
    push_csv_field(&mut done.errors, &reason);
    done.errors.push('\n');
}

/// One person of the table after their claims (if any): settled with none when they had
/// none, or their row written to the errors when it was refused or their claims held back.
fn settle_unjoined(
    context: &RunContext<'_>,
    table: &PersonsTable,
    id: &str,
    entry: &PersonEntry,
    settler: &mut Settler,
    done: &mut SettledChunk,
) {
    let record = match &entry.record {
        Err(problem) => {
            let (lang, line) = (context.lang, entry.line);
            refused(lang, table, done, line, id, problem.column, &problem.reason);
            return;
        }
        Ok(_) if entry.held_back.load(Ordering::Relaxed) => {
            let why = Said::new(
                "person held back: their claims were refused (their rows are in this file)",
                "参保人暂不结算：其理赔行被拒收（这些行也在本文件中）",
            );
            refused(context.lang, table, done, entry.line, id, "", &why);
            return;
        }
        Ok(_) if entry.joined.load(Ordering::Relaxed) => return,
        Ok(record) => record,
    };
    settler.clear();
    let scenario = &mut settler.scenario;
    let claims = PersonColumns {
        class: record
            .catastrophic_class
            .unwrap_or(yibao_catastrophic::PersonClass::Ordinary),
        family_doctor: record.family_doctor.unwrap_or(FamilyDoctor::NotSigned),
        continuity_years: 1,
        zero_claim_prev: false,
        group: record
            .group
            .unwrap_or(yibao_benefits::PersonGroup::Resident),
        class_b_share: None,
    };
    fill_person(context, scenario, id, claims);
    apply(scenario, record);
    // The class the category selects when the table gives none (H1), and the
    // incentive history computed by the settlement when the table gives none.
    scenario.person.catastrophic_class = record.catastrophic_class;
    if record.incentives.is_none() {
        scenario.incentives = None;
    }
    let settlements = &mut settler.settlement;
    let figures = person_figures(
        context,
        context.library,
        scenario,
        &mut settlements.baseline,
        |_| 0,
    )
    .map(|(figures, _)| figures)
    .and_then(|baseline| match context.reform {
        None => Ok((baseline, None)),
        Some(library) => person_figures(context, library, scenario, &mut settlements.reform, |_| 0)
            .map(|(reform, _)| (baseline, Some(reform)))
            .map_err(|(column, why)| (column, under_the_reform(&why))),
    });
    let (baseline, reform) = match figures {
        Ok(figures) => figures,
        Err((_, why)) => {
            let person = quoted(id);
            let why = Said::new(
                format!(
                    "person {person} with no claims could not be settled: {}",
                    why.en()
                ),
                format!("无理赔的参保人 {person} 无法结算：{}", why.text(Lang::Zh)),
            );
            refused(context.lang, table, done, entry.line, id, "", &why);
            return;
        }
    };
    done.tally.add_person(&baseline, reform.as_ref());
    if baseline.not_settled.is_some() {
        done.tally.persons_catastrophic_not_settled += 1;
    }
    person_row(&mut done.output, id, &baseline, reform.as_ref());
    done.tally.persons_settled += 1;
    done.tally.table_persons_without_claims += 1;
}
