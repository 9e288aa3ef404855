//! A chunk's persons: each block of a person's rows parsed, checked for agreement and
//! settled, or held back with every row in the errors file.

use std::fmt::Write as _;

use yibao::scenario::Scenario;
use yibao_benefits::FamilyDoctor;
use yibao_catastrophic::PersonClass;
use yibao_core::{Said, Word};

use crate::chunk::{Chunk, RowRef};
use crate::columns::Column;
use crate::format::push_csv_field;
use crate::options::BatchMode;
use crate::persons_join::{TableJoin, Unjoined, apply, join};
use crate::persons_table::PersonsTable;
use crate::row::{LevelName, PersonColumns, parse_row};
use crate::settler::{Settler, fill_person, settle_person};
use crate::workers::RunContext;
use crate::writer::SettledChunk;

/// One line of the errors file, before writing: the row's position in its block.
pub(crate) struct ErrorRow {
    pub(crate) at: usize,
    pub(crate) column: &'static str,
    /// In both languages: the errors file writes the run's, the summary counts the English.
    pub(crate) reason: Said,
}

/// Parses, joins and settles a chunk's persons, joined to the persons table through
/// `join` when one is given; with a streamed table, the table's persons with no claims
/// among them are settled in person order.
pub(crate) fn process(
    context: &RunContext<'_>,
    chunk: &Chunk,
    settler: &mut Settler,
    join: Option<TableJoin<'_>>,
) -> SettledChunk {
    let mut done = SettledChunk {
        seq: chunk.seq,
        end_byte: chunk.end_byte,
        ..SettledChunk::default()
    };
    let person_index = context.layout.person_index();
    let table = join.map(TableJoin::table);
    let mut unjoined = match join {
        Some(TableJoin::Streamed(table)) if context.mode == BatchMode::Settle => {
            Some(Unjoined::new(table))
        }
        _ => None,
    };
    for block in &chunk.blocks {
        let rows = chunk.rows.get(block.rows.clone()).unwrap_or_default();
        let person_id = match (block.orphan, rows.first()) {
            (false, Some(first)) => match chunk.field_text(first, person_index) {
                Ok(text) => std::borrow::Cow::Borrowed(text),
                Err(raw) => String::from_utf8_lossy(raw),
            },
            _ => std::borrow::Cow::Borrowed(""),
        };
        if let Some(unjoined) = unjoined.as_mut() {
            unjoined.settle_before(Some(&person_id), context, settler, &mut done);
        }
        settler.clear();
        let Settler {
            scenario,
            positions,
            levels,
            errors,
            settlement,
        } = settler;
        done.tally.rows += rows.len() as u64;
        if let Some(reason) = &block.split {
            errors.extend((0..rows.len()).map(|at| ErrorRow {
                at,
                column: Column::PersonId.name(),
                reason: reason.clone(),
            }));
        } else if let Some(person) = parse_person(
            context,
            chunk,
            rows,
            Parsed {
                scenario: &mut *scenario,
                positions: &mut *positions,
                levels: &mut *levels,
                errors: &mut *errors,
            },
        ) {
            fill_person(context, scenario, &person_id, person);
            match join_table(context, table, scenario, &person_id, &person, rows) {
                Ok(()) => settle_person(
                    context, &person_id, scenario, rows, positions, levels, errors, settlement,
                    &mut done,
                ),
                Err((column, reason)) => errors.extend(positions.iter().map(|&at| ErrorRow {
                    at,
                    column,
                    reason: reason.clone(),
                })),
            }
        }
        if let (Some(table), false) = (table, errors.is_empty()) {
            table.hold_back(&person_id);
        }
        if !errors.is_empty() {
            done.tally.persons_with_errors += 1;
            done.tally.rows_in_error += errors.len() as u64;
            errors.sort_by_key(|e| e.at);
            for error in errors.iter() {
                let Some(row) = rows.get(error.at) else {
                    continue;
                };
                // The row's own person field: the block's person, or what a malformed line
                // holds there when it looks like an id.
                let person = chunk
                    .field(row, person_index)
                    .filter(|p| {
                        row.fields.len() == context.layout.width
                            || (p.len() <= 64 && !p.contains(&b'\n'))
                    })
                    .unwrap_or_default();
                let _ = write!(done.errors, "{},", row.line);
                push_csv_field(&mut done.errors, &String::from_utf8_lossy(person));
                done.errors.push(',');
                push_csv_field(&mut done.errors, error.column);
                done.errors.push(',');
                push_csv_field(&mut done.errors, error.reason.text(context.lang));
                done.errors.push('\n');
                done.tally.errors_by_reason.count(error.reason.en());
            }
        }
    }
    if let Some(unjoined) = unjoined.as_mut() {
        unjoined.settle_before(None, context, settler, &mut done);
    }
    done
}

/// With a persons table: the person's row joined into the scenario, or why the person is
/// held back (column, reason).
fn join_table(
    context: &RunContext<'_>,
    table: Option<&PersonsTable>,
    scenario: &mut Scenario,
    person_id: &str,
    person: &PersonColumns,
    rows: &[RowRef],
) -> Result<(), (&'static str, Said)> {
    let Some(table) = table else {
        return Ok(());
    };
    let first_line = rows.first().map_or(0, |r| r.line);
    let record = join(table, person_id, person, context.previous_year, first_line)?;
    apply(scenario, record);
    Ok(())
}

/// The parts of a worker's settler a person's rows are parsed into.
pub(crate) struct Parsed<'s> {
    pub(crate) scenario: &'s mut Scenario,
    pub(crate) positions: &'s mut Vec<usize>,
    pub(crate) levels: &'s mut Vec<LevelName>,
    pub(crate) errors: &'s mut Vec<ErrorRow>,
}

/// Parses the rows of one person's block into the scenario's claims. The person is whole
/// or held back: when any of the person's rows is refused, or the person columns of two
/// rows disagree, every row goes to the errors (the refused rows with their own reason, the
/// others naming the first refused row) and `None` is returned. A refused row is the
/// person's when its `person_id` field reads as the person's (a row of the wrong width
/// included); a row without it (an empty person, a line too short to have one) is refused
/// on its own and holds no one back.
pub(crate) fn parse_person(
    context: &RunContext<'_>,
    chunk: &Chunk,
    rows: &[RowRef],
    parsed: Parsed<'_>,
) -> Option<PersonColumns> {
    let person_index = context.layout.person_index();
    let person = rows
        .first()
        .and_then(|row| chunk.field(row, person_index))
        .filter(|p| !p.is_empty());
    let Parsed {
        scenario,
        positions,
        levels,
        errors,
    } = parsed;
    let mut first: Option<(u64, PersonColumns)> = None;
    let mut conflict: Option<(u64, PersonColumns)> = None;
    for (at, row) in rows.iter().enumerate() {
        match parse_row(context, chunk, row, &mut scenario.claims) {
            Err(error) => errors.push(ErrorRow {
                at,
                column: error.column,
                reason: error.reason,
            }),
            Ok(row_parsed) => {
                match first {
                    None => first = Some((row.line, row_parsed.person)),
                    Some((_, person)) if conflict.is_none() && person != row_parsed.person => {
                        conflict = Some((row.line, row_parsed.person));
                    }
                    Some(_) => {}
                }
                positions.push(at);
                levels.push(row_parsed.level);
            }
        }
    }
    let line = |at: usize| rows.get(at).map_or(0, |r| r.line);
    let own = |error: &&ErrorRow| {
        person.is_some()
            && rows
                .get(error.at)
                .and_then(|row| chunk.field(row, person_index))
                == person
    };
    let mut refused_own = errors.iter().filter(own);
    if let Some(refused) = refused_own.next() {
        let reason = held_back(
            context.position,
            line(refused.at),
            refused_own.count(),
            refused,
        );
        errors.extend(positions.iter().map(|&at| ErrorRow {
            at,
            column: "",
            reason: reason.clone(),
        }));
        return None;
    }
    let (first_line, person) = first?;
    if let Some((line, other)) = conflict {
        let (column, reason) = person_conflict(&person, &other, first_line, line, context.position);
        errors.extend(positions.iter().map(|&at| ErrorRow {
            at,
            column,
            reason: reason.clone(),
        }));
        return None;
    }
    Some(person)
}

/// Why the other rows of a person are held back: the first of the person's refused rows,
/// at `line` (`word`: `line` or `row`), and how many `others` were refused.
#[cold]
fn held_back(word: &str, line: u64, others: usize, refused: &ErrorRow) -> Said {
    let (which, which_zh) = match others {
        0 => (
            format!("{word} {line} was refused"),
            format!("第 {line} 行被拒收"),
        ),
        1 => (
            format!("{word} {line} and 1 other {word} were refused"),
            format!("第 {line} 行及另外 1 行被拒收"),
        ),
        n => (
            format!("{word} {line} and {n} other {word}s were refused"),
            format!("第 {line} 行及另外 {n} 行被拒收"),
        ),
    };
    let (column, column_zh) = if refused.column.is_empty() {
        (String::new(), String::new())
    } else {
        (
            format!("{}: ", refused.column),
            format!("`{}`：", refused.column),
        )
    };
    Said::new(
        format!(
            "person held back: {which} ({word} {line}: {column}{})",
            refused.reason.en()
        ),
        format!(
            "参保人暂不结算：{which_zh}（第 {line} 行：{column_zh}{}）",
            refused.reason.text(yibao_core::Lang::Zh)
        ),
    )
}

/// Why a person whose rows disagree on a person column is held back: the column, and the
/// reason (`word`: `line` or `row`).
#[cold]
pub(crate) fn person_conflict(
    first: &PersonColumns,
    this: &PersonColumns,
    first_line: u64,
    this_line: u64,
    word: &str,
) -> (&'static str, Said) {
    let (column, was, is) = if first.class != this.class {
        (
            Column::Category,
            category_text(first.class),
            category_text(this.class),
        )
    } else if first.family_doctor != this.family_doctor {
        (
            Column::FamilyDoctor,
            bool_text(first.family_doctor == FamilyDoctor::Signed).to_owned(),
            bool_text(this.family_doctor == FamilyDoctor::Signed).to_owned(),
        )
    } else if first.continuity_years != this.continuity_years {
        (
            Column::ContinuityYears,
            first.continuity_years.to_string(),
            this.continuity_years.to_string(),
        )
    } else if first.zero_claim_prev != this.zero_claim_prev {
        (
            Column::ZeroClaimPrev,
            bool_text(first.zero_claim_prev).to_owned(),
            bool_text(this.zero_claim_prev).to_owned(),
        )
    } else if first.group != this.group {
        (
            Column::Group,
            first.group.to_string(),
            this.group.to_string(),
        )
    } else {
        let share = |s: Option<crate::model_columns::ClassBShare>| {
            s.map(|s| s.0.to_string()).unwrap_or_default()
        };
        (
            Column::ClassBPersonalShare,
            share(first.class_b_share),
            share(this.class_b_share),
        )
    };
    let name = column.name();
    (
        name,
        Said::new(
            format!(
                "person held back: its rows disagree on `{name}`: `{was}` on {word} {first_line}, `{is}` on {word} {this_line}; a person's columns must agree on every row"
            ),
            format!(
                "参保人暂不结算：其各行的 `{name}` 不一致：第 {first_line} 行为 `{was}`，第 {this_line} 行为 `{is}`；同一参保人各行的人员列须一致"
            ),
        ),
    )
}

pub(crate) fn category_text(class: PersonClass) -> String {
    class.name().to_owned()
}

pub(crate) fn bool_text(value: bool) -> &'static str {
    if value { "true" } else { "false" }
}
