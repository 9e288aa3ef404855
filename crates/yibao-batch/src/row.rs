//! Row parsing: one row's columns read into a claim and its person's columns, each bad value
//! refused with its column and why.

use std::ops::Range;

use yibao::scenario::{ClaimInput, ClaimKindName};
use yibao_benefits::{
    FamilyDoctor, HospitalLevel, PersonGroup, SpecialDiseaseCatalogue, SpecialDiseaseClass,
};
use yibao_catastrophic::PersonClass;
use yibao_core::{NaiveDate, RemoteCare, Term, Word, Yuan};

use crate::chunk::{Chunk, RowRef};
use crate::columns::{COLUMNS, Column, Layout, quoted};
use crate::field_value::FieldValue;
use crate::model_columns::{Bill, ClassBShare, bill, class_b_share, fill_claim};
pub(crate) use crate::row_refusal::{
    RowError, amount, empty, identifier, not_a_level, not_boolean, not_one_of, not_text, not_utf8,
    noun, refuse, word,
};
use crate::table_columns::PreparedBatch;
use crate::workers::RunContext;

/// How the `hospital_level` of a `general_outpatient` row reads, by where the year's
/// general outpatient rule pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OutpatientLevels {
    /// At primary care only (Huai'an, H11): the level is `1` or empty, read as primary care.
    PrimaryCare,
    /// At hospital levels (Kunshan, K3: level 1, 2 or 3): the level is required and read
    /// as it is.
    ByLevel,
}

/// The level column, as read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LevelName {
    Empty,
    PrimaryCare,
    Level1,
    Level2,
    Level3,
    OutOfCity,
}

impl LevelName {
    pub(crate) fn text(self) -> &'static str {
        match self {
            LevelName::Empty => "",
            LevelName::PrimaryCare => HospitalLevel::PrimaryCare.name(),
            LevelName::Level1 => HospitalLevel::Level1.name(),
            LevelName::Level2 => HospitalLevel::Level2.name(),
            LevelName::Level3 => HospitalLevel::Level3.name(),
            LevelName::OutOfCity => "out_of_city",
        }
    }
}

/// The person columns of a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PersonColumns {
    pub(crate) class: PersonClass,
    pub(crate) family_doctor: FamilyDoctor,
    pub(crate) continuity_years: u32,
    pub(crate) zero_claim_prev: bool,
    pub(crate) group: PersonGroup,
    pub(crate) class_b_share: Option<ClassBShare>,
}

/// What a row gives beside its claim: its person's columns and the level as written.
pub(crate) struct RowRead {
    pub(crate) person: PersonColumns,
    pub(crate) level: LevelName,
}

/// The name of a kind in the claims file (its [`Word::name`]).
pub fn kind_text(kind: ClaimKindName) -> &'static str {
    kind.name()
}

/// A row's fields, read by column when a check asks for one ([`FieldValue`]): a CSV
/// field's text (or its bytes when the chunk is not all UTF-8 and this field is not), or a
/// table's value (an absent column reads as empty). Every check reads a field through these
/// methods, so that both sources get the same checks and messages. Nothing is read ahead:
/// a row costs the fields its checks read, not an array of every column the file could
/// have. `value` and the text readers are inline (always): out of line, a call cost about
/// as much as the reading it made (BENCHMARKS.md, "the row parser without its copies").
pub(crate) struct RowFields<'c> {
    source: RowSource<'c>,
    /// The field of each column, by the column's slot ([`Layout::index`]).
    index: &'c [Option<usize>; COLUMNS],
}

/// Where a row's fields are.
#[derive(Clone, Copy)]
enum RowSource<'c> {
    /// A line's fields, by their spans in the chunk.
    Lines {
        chunk: &'c Chunk,
        spans: &'c [Range<usize>],
    },
    /// A table's row: its batch and its place there (`None`: not found, read as empty).
    Table(Option<(&'c PreparedBatch, usize)>),
}

impl<'c> RowFields<'c> {
    /// The fields of `row` (of the header's width) in `chunk`.
    #[inline]
    pub(crate) fn read(chunk: &'c Chunk, row: &RowRef, layout: &'c Layout) -> RowFields<'c> {
        let source = match &chunk.table {
            Some(table) => RowSource::Table(table.row(row)),
            None => RowSource::Lines {
                chunk,
                spans: chunk.fields.get(row.fields.clone()).unwrap_or_default(),
            },
        };
        RowFields {
            source,
            index: &layout.index,
        }
    }

    #[inline(always)]
    fn value(&self, column: Column) -> FieldValue<'c> {
        let Some(field) = self.index.get(column.slot()).copied().flatten() else {
            return FieldValue::Text("");
        };
        match self.source {
            RowSource::Lines { chunk, spans } => match spans.get(field) {
                Some(span) => match chunk.span_text(span.clone()) {
                    Ok(text) => FieldValue::Text(text),
                    Err(raw) => FieldValue::NotUtf8(raw),
                },
                None => FieldValue::Text(""),
            },
            RowSource::Table(Some((batch, at))) => batch.value(field, at),
            RowSource::Table(None) => FieldValue::Text(""),
        }
    }

    /// The text of a column, refusing bytes that are not UTF-8. A table's typed amount or
    /// date is read by [`RowFields::money`] and [`RowFields::date`] only.
    #[inline(always)]
    pub(crate) fn text(&self, column: Column) -> Result<&'c str, RowError> {
        match self.value(column) {
            FieldValue::Text(text) => Ok(text),
            FieldValue::NotUtf8(raw) => Err(not_utf8(column, raw)),
            typed => Err(not_text(column, typed)),
        }
    }

    /// The first field that is not UTF-8, refused.
    pub(crate) fn check_utf8(&self) -> Result<(), RowError> {
        for column in Column::ALL {
            if let FieldValue::NotUtf8(raw) = self.value(column) {
                return Err(not_utf8(column, raw));
            }
        }
        Ok(())
    }

    /// The text of a column that must not be empty.
    #[inline(always)]
    pub(crate) fn required(&self, column: Column) -> Result<&'c str, RowError> {
        match self.text(column)? {
            "" => Err(empty(column)),
            value => Ok(value),
        }
    }

    /// The text of a column, `None` when empty or absent.
    #[inline(always)]
    pub(crate) fn optional(&self, column: Column) -> Result<Option<&'c str>, RowError> {
        Ok(Some(self.text(column)?).filter(|v| !v.is_empty()))
    }

    /// Whether a column holds a value (not empty, not absent), refusing bytes that are
    /// not UTF-8.
    #[inline(always)]
    pub(crate) fn given(&self, column: Column) -> Result<bool, RowError> {
        match self.value(column) {
            FieldValue::NotUtf8(raw) => Err(not_utf8(column, raw)),
            value => Ok(!value.is_empty()),
        }
    }

    /// The amount in yuan of a column, `None` when empty or absent: a table's decimal as it
    /// is, when its text would read the same; any other value read as text ([`amount`]).
    #[inline]
    pub(crate) fn money(&self, column: Column) -> Result<Option<Yuan>, RowError> {
        match self.value(column) {
            FieldValue::Text("") => Ok(None),
            FieldValue::Text(text) => amount(text, column).map(Some),
            FieldValue::NotUtf8(raw) => Err(not_utf8(column, raw)),
            FieldValue::Decimal(array, row) => match FieldValue::exact_amount(array, row) {
                Some(yuan) => Ok(Some(yuan)),
                None => amount(&FieldValue::Decimal(array, row).written(), column).map(Some),
            },
            typed @ FieldValue::Days(..) => amount(&typed.written(), column).map(Some),
        }
    }

    /// The amount of a column that must not be empty.
    #[inline]
    pub(crate) fn required_money(&self, column: Column) -> Result<Yuan, RowError> {
        self.money(column)?.ok_or_else(|| empty(column))
    }

    /// The day of the `date` column, required: a table's `Date32` as it is, when its text
    /// would read the same; any other value read as text ([`yibao_core::parse_date`]).
    #[inline]
    pub(crate) fn date(&self) -> Result<NaiveDate, RowError> {
        let column = Column::Date;
        let parse = |text: &str| {
            yibao_core::parse_date(text).map_err(|e| refuse(column, e.to_string(), e.zh()))
        };
        match self.value(column) {
            FieldValue::Text("") => Err(empty(column)),
            FieldValue::Text(text) => parse(text),
            FieldValue::NotUtf8(raw) => Err(not_utf8(column, raw)),
            FieldValue::Days(array, row) => match FieldValue::exact_date(array, row) {
                Some(day) => Ok(day),
                None => parse(&FieldValue::Days(array, row).written()),
            },
            typed @ FieldValue::Decimal(..) => parse(&typed.written()),
        }
    }
}

/// The value `text` names among `choices`, or a refusal that lists them:
/// "`x` is not a kind (expected `a`, `b` or `c`)".
pub(crate) fn one_of<T: Copy>(
    column: Column,
    noun: Term,
    text: &str,
    choices: &[(&str, T)],
) -> Result<T, RowError> {
    if let Some((_, value)) = choices.iter().find(|(name, _)| *name == text) {
        return Ok(*value);
    }
    let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
    Err(not_one_of(column, noun, text, &names))
}

#[inline]
pub(crate) fn boolean(value: &str, column: Column) -> Result<bool, RowError> {
    match value.as_bytes() {
        b"true" => Ok(true),
        b"false" => Ok(false),
        _ => Err(not_boolean(value, column)),
    }
}

/// Reads one row into a claim pushed onto `claims` and its person's columns, or refuses it
/// with the first bad column and leaves `claims` as it was (the columns are checked in this
/// order: the line's shape, UTF-8, the person's columns, the date, the kind and level, the
/// amount, the optional columns). The claim is written in its place in the list, not built
/// aside and moved there.
pub(crate) fn parse_row(
    context: &RunContext<'_>,
    chunk: &Chunk,
    row: &RowRef,
    claims: &mut Vec<ClaimInput>,
) -> Result<RowRead, RowError> {
    let layout = &context.layout;
    check_shape(layout, row)?;
    let texts = RowFields::read(chunk, row, layout);
    if !chunk.data.is_empty() {
        // The chunk is not all UTF-8: this row may not be.
        texts.check_utf8()?;
    }
    let person = person_columns(context, &texts)?;
    let date = date(context, &texts)?;
    let kind_text = texts.required(Column::Kind)?;
    let kind = kind(kind_text)?;
    let level_name = level_name(&texts)?;
    let (level, remote_care) = level_and_care(context, kind, kind_text, level_name)?;
    let bill = if layout.model {
        bill(&texts)?
    } else {
        Bill::amount(texts.required_money(Column::Amount)?)
    };
    let consultation_fee = consultation_fee(&texts, kind, bill.total())?;
    let (disease_class, catalogue) = special_disease_columns(&texts, kind)?;
    let id = match texts.optional(Column::ClaimId)? {
        None => None,
        Some(value) => {
            identifier(value, Column::ClaimId)?;
            Some(value.to_owned())
        }
    };
    claims.push(ClaimInput {
        id,
        date,
        kind,
        level,
        amount: bill.amount,
        class_a: bill.class_a,
        class_b: bill.class_b,
        class_c: bill.class_c,
        consultation_fee,
        two_disease: None,
        disease_class,
        catalogue,
        province: None,
        emergency_outcome: None,
        designation: yibao_benefits::Designation::Designated,
        accident: yibao_benefits::Accident::NotAnAccident,
        exclusions: Vec::new(),
        place: None,
        remote_care,
        circumstance: yibao_filing::Circumstance::Planned,
        connection: yibao_filing::Connection::Networked,
    });
    if layout.model
        && let Some(claim) = claims.last_mut()
        && let Err(error) = fill_claim(&texts, level_name, claim)
    {
        claims.pop();
        return Err(error);
    }
    Ok(RowRead {
        person,
        level: level_name,
    })
}

/// Refuses a line whose quote is not closed on it, or whose number of fields is not the
/// header's.
fn check_shape(layout: &Layout, row: &RowRef) -> Result<(), RowError> {
    if let Some(unclosed) = row.unclosed {
        let field = usize::try_from(unclosed.field).unwrap_or(usize::MAX);
        let column = layout.column_at(field).map_or("", Column::name);
        return Err(crate::row_refusal::unclosed_quote(
            row.line,
            u64::from(unclosed.column.get()),
            field,
            column,
        ));
    }
    if row.fields.len() != layout.width {
        return Err(RowError {
            column: "",
            reason: crate::row_refusal::malformed(row.fields.len(), layout.width),
        });
    }
    Ok(())
}

/// The person's columns of a row: `person_id` (checked only), `category`, `family_doctor`,
/// `continuity_years`, `zero_claim_prev` and `group`.
fn person_columns(
    context: &RunContext<'_>,
    texts: &RowFields<'_>,
) -> Result<PersonColumns, RowError> {
    identifier(texts.required(Column::PersonId)?, Column::PersonId)?;
    let class: PersonClass = word(
        Column::Category,
        noun::CATEGORY,
        texts.required(Column::Category)?,
    )?;
    let family_doctor = if boolean(texts.required(Column::FamilyDoctor)?, Column::FamilyDoctor)? {
        FamilyDoctor::Signed
    } else {
        FamilyDoctor::NotSigned
    };
    let continuity_text = texts.required(Column::ContinuityYears)?;
    let continuity_years = continuity_text
        .parse::<u32>()
        .ok()
        .filter(|n| *n >= 1 && continuity_text.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| {
            let value = quoted(continuity_text);
            refuse(
                Column::ContinuityYears,
                format!("{value} is not a whole number of years, 1 or more"),
                format!("{value} 不是不小于 1 的整数年数"),
            )
        })?;
    let zero_claim_prev = boolean(
        texts.required(Column::ZeroClaimPrev)?,
        Column::ZeroClaimPrev,
    )?;
    if zero_claim_prev && context.previous_year.is_none() {
        return Err(refuse(
            Column::ZeroClaimPrev,
            format!("{} has no previous policy year", context.year),
            format!("{} 政策年度没有上一年度", context.year),
        ));
    }
    let group = match texts.optional(Column::Group)? {
        None => PersonGroup::Resident,
        Some(value) => one_of(
            Column::Group,
            noun::GROUP,
            value,
            &[
                ("resident", PersonGroup::Resident),
                ("student", PersonGroup::Student),
            ],
        )?,
    };
    Ok(PersonColumns {
        class,
        family_doctor,
        continuity_years,
        zero_claim_prev,
        group,
        class_b_share: if context.layout.model {
            class_b_share(texts)?
        } else {
            None
        },
    })
}

/// The `date` of a row, inside the policy year being settled.
fn date(context: &RunContext<'_>, texts: &RowFields<'_>) -> Result<NaiveDate, RowError> {
    let date = texts.date()?;
    if !context.year.contains(date) {
        return Err(refuse(
            Column::Date,
            format!(
                "{date} is outside the policy year {} being settled",
                context.year
            ),
            format!("{date} 不在所结算的 {} 政策年度内", context.year),
        ));
    }
    Ok(date)
}

/// The `kind` of a row: every [`ClaimKindName`], by its name or an older spelling.
fn kind(kind_text: &str) -> Result<ClaimKindName, RowError> {
    word(Column::Kind, noun::KIND, kind_text)
}

/// The `hospital_level` of a row, as written.
fn level_name(texts: &RowFields<'_>) -> Result<LevelName, RowError> {
    Ok(match texts.text(Column::HospitalLevel)? {
        "" => LevelName::Empty,
        "out_of_city" => LevelName::OutOfCity,
        value => match HospitalLevel::from_name(value) {
            Some(HospitalLevel::PrimaryCare) => LevelName::PrimaryCare,
            Some(HospitalLevel::Level1) => LevelName::Level1,
            Some(HospitalLevel::Level2) => LevelName::Level2,
            Some(HospitalLevel::Level3) => LevelName::Level3,
            None => return Err(not_a_level(value)),
        },
    })
}

/// The hospital level a claim of `kind` at the written level is settled at, and its
/// remote-care treatment (an inpatient row `out_of_city` is a referral at level 3).
fn level_and_care(
    context: &RunContext<'_>,
    kind: ClaimKindName,
    kind_text: &str,
    level_name: LevelName,
) -> Result<(HospitalLevel, Option<RemoteCare>), RowError> {
    let outpatient_at_primary_care = context.outpatient == OutpatientLevels::PrimaryCare;
    Ok(match (kind, level_name) {
        (
            ClaimKindName::OutpatientGeneral,
            LevelName::Empty | LevelName::PrimaryCare | LevelName::Level1,
        ) if outpatient_at_primary_care => (HospitalLevel::PrimaryCare, None),
        (ClaimKindName::OutpatientGeneral, LevelName::Empty | LevelName::OutOfCity)
            if !outpatient_at_primary_care =>
        {
            return Err(outpatient_level_refused(context, level_name));
        }
        (_, LevelName::Empty) => {
            return Err(empty(Column::HospitalLevel));
        }
        (_, LevelName::PrimaryCare) => (HospitalLevel::PrimaryCare, None),
        (_, LevelName::Level1) => (HospitalLevel::Level1, None),
        (_, LevelName::Level2) => (HospitalLevel::Level2, None),
        (_, LevelName::Level3) => (HospitalLevel::Level3, None),
        (ClaimKindName::Inpatient, LevelName::OutOfCity) => {
            (HospitalLevel::Level3, Some(RemoteCare::Referral))
        }
        (_, LevelName::OutOfCity) => {
            return Err(refuse(
                Column::HospitalLevel,
                format!(
                    "`out_of_city` is an inpatient referral out of the city; a `{kind_text}` row cannot have it"
                ),
                format!("`out_of_city` 指转往市外住院；`{kind_text}` 行不能填写"),
            ));
        }
    })
}

/// The refusal of a `general_outpatient` row's level where the year pays it by hospital
/// level (K3): empty, or `out_of_city`.
#[cold]
fn outpatient_level_refused(context: &RunContext<'_>, level_name: LevelName) -> RowError {
    let (what, what_zh) = if level_name == LevelName::Empty {
        (
            "`hospital_level` is empty".to_owned(),
            "`hospital_level` 为空".to_owned(),
        )
    } else {
        let level = level_name.text();
        (
            format!("hospital level `{level}` is not paid here"),
            format!("医院等级 `{level}` 在此不予支付"),
        )
    };
    let (place, year) = (&context.jurisdiction, context.year);
    refuse(
        Column::HospitalLevel,
        format!(
            "{what}: `general_outpatient` is general outpatient care at a hospital of level `level_1`, `level_2` or `level_3` in {place} {year} (K3)"
        ),
        format!(
            "{what_zh}：`{place}` {year} 年度的 `general_outpatient` 指在 `level_1`、`level_2` 或 `level_3` 医院的普通门诊（K3）"
        ),
    )
}

/// The optional `consultation_fee`: a `general_outpatient` row's, at most its amount.
fn consultation_fee(
    texts: &RowFields<'_>,
    kind: ClaimKindName,
    bill_total: Option<Yuan>,
) -> Result<Option<Yuan>, RowError> {
    match texts.given(Column::ConsultationFee)? {
        false => Ok(None),
        true if kind != ClaimKindName::OutpatientGeneral => Err(refuse(
            Column::ConsultationFee,
            "a consultation fee belongs to `general_outpatient` rows only",
            "一般诊疗费只能填在 `general_outpatient` 行",
        )),
        true => {
            let Some(fee) = texts.money(Column::ConsultationFee)? else {
                return Ok(None);
            };
            if let Some(total) = bill_total.filter(|total| fee > *total) {
                return Err(refuse(
                    Column::ConsultationFee,
                    format!("the consultation fee {fee} is more than the amount {total}"),
                    format!("一般诊疗费 {fee} 超过费用金额 {total}"),
                ));
            }
            Ok(Some(fee))
        }
    }
}

/// The optional `disease_class` and `catalogue`, of `special_disease` rows only.
fn special_disease_columns(
    texts: &RowFields<'_>,
    kind: ClaimKindName,
) -> Result<(Option<SpecialDiseaseClass>, Option<SpecialDiseaseCatalogue>), RowError> {
    let disease_class = match texts.optional(Column::DiseaseClass)? {
        None => None,
        Some(_) if kind != ClaimKindName::SpecialDisease => {
            return Err(refuse(
                Column::DiseaseClass,
                "a disease class belongs to `special_disease` rows only",
                "门诊特殊病病种类别只能填在 `special_disease` 行",
            ));
        }
        Some(value) => Some(one_of(
            Column::DiseaseClass,
            noun::DISEASE_CLASS,
            value,
            &[
                ("severe_mental", SpecialDiseaseClass::SevereMental),
                ("psychiatric", SpecialDiseaseClass::Psychiatric),
                ("other", SpecialDiseaseClass::Other),
            ],
        )?),
    };
    let catalogue = match texts.optional(Column::Catalogue)? {
        None => None,
        Some(_) if kind != ClaimKindName::SpecialDisease => {
            return Err(refuse(
                Column::Catalogue,
                "a catalogue belongs to `special_disease` rows only",
                "门诊特殊病病种目录只能填在 `special_disease` 行",
            ));
        }
        Some(value) => Some(one_of(
            Column::Catalogue,
            noun::CATALOGUE,
            value,
            &[
                ("provincial", SpecialDiseaseCatalogue::Provincial),
                ("city_retained", SpecialDiseaseCatalogue::CityRetained),
            ],
        )?),
    };
    Ok((disease_class, catalogue))
}
