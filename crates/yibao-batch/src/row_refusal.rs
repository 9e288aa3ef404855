//! Why a row is refused, in both languages: each reason of the row parser is made here (or
//! beside its check, through [`refuse`]) as a [`Said`], its English as the errors file has
//! always written it and its Chinese in the trade's words; the writer takes the language of
//! the run ([`BatchOptions::lang`](crate::BatchOptions::lang)). Every reason is made only
//! when a row is refused: a valid row costs nothing here.

use std::borrow::Cow;

use yibao_benefits::HospitalLevel;
use yibao_core::{Said, Term, Word, Yuan, in_words, in_words_zh};

use crate::QUOTE_LIMIT;
use crate::columns::{Column, quoted};
use crate::field_value::FieldValue;

/// Why a row is refused: the column and the reason.
pub(crate) struct RowError {
    pub(crate) column: &'static str,
    pub(crate) reason: Said,
}

/// The refusal of a row at `column`, `en` in English and `zh` in Chinese.
pub(crate) fn refuse(
    column: Column,
    en: impl Into<Cow<'static, str>>,
    zh: impl Into<Cow<'static, str>>,
) -> RowError {
    RowError {
        column: column.name(),
        reason: Said::new(en, zh),
    }
}

/// What the values of a column of words are, in both languages (`` `x` is not a kind ``,
/// `` `x` 不是费用类别 ``; a Chinese that starts with a column's name starts with a space,
/// as a name between backquotes stands apart from the Chinese before it).
pub(crate) mod noun {
    use yibao_core::Term;

    pub(crate) const KIND: Term = Term::new("kind", "费用类别");
    pub(crate) const HOSPITAL_LEVEL: Term = Term::new("hospital level", "医院等级");
    pub(crate) const CATEGORY: Term = Term::new("category", "人员类别");
    pub(crate) const GROUP: Term = Term::new("group", "人员分组");
    pub(crate) const DISEASE_CLASS: Term = Term::new("disease class", "门诊特殊病病种类别");
    pub(crate) const CATALOGUE: Term = Term::new("catalogue", "门诊特殊病病种目录");
    pub(crate) const TWO_DISEASE: Term = Term::new("two-disease cover", "两病用药保障范围");
    pub(crate) const PROVINCE: Term = Term::new("province", "分娩地");
    pub(crate) const EMERGENCY_OUTCOME: Term = Term::new(
        "value of `emergency_outcome`",
        " `emergency_outcome` 的取值",
    );
    pub(crate) const DESIGNATION: Term = Term::new("designation", "定点类别");
    pub(crate) const ACCIDENT: Term = Term::new("value of `accident`", " `accident` 的取值");
    pub(crate) const EXCLUSIONS: Term = Term::new("value of `exclusions`", " `exclusions` 的取值");
    pub(crate) const REMOTE_CARE: Term = Term::new("remote-care treatment", "异地就医类别");
    pub(crate) const CIRCUMSTANCE: Term = Term::new("circumstance", "就医情形");
    pub(crate) const CONNECTION: Term = Term::new("connection", "结算方式");
}

/// The refusal of an empty required column.
#[cold]
pub(crate) fn empty(column: Column) -> RowError {
    refuse(
        column,
        format!("`{}` is empty", column.name()),
        format!("`{}` 为空", column.name()),
    )
}

/// The refusal of a table's typed value (an amount, a date) where text is read.
#[cold]
#[inline(never)]
pub(crate) fn not_text(column: Column, typed: FieldValue<'_>) -> RowError {
    let value = quoted(&typed.written());
    refuse(
        column,
        format!("{value} is not read as text"),
        format!("{value} 不是文本（该列按文本读取）"),
    )
}

#[cold]
#[inline(never)]
pub(crate) fn not_utf8(column: Column, raw: &[u8]) -> RowError {
    let value = quoted(&String::from_utf8_lossy(raw));
    let name = column.name();
    refuse(
        column,
        format!(
            "the row is not UTF-8 text: `{name}` holds {value} (bytes that are not UTF-8 shown as U+FFFD); the claims file must be UTF-8"
        ),
        format!(
            "该行不是 UTF-8 文本：`{name}` 为 {value}（非 UTF-8 的字节显示为 `U+FFFD`）；理赔文件须为 UTF-8"
        ),
    )
}

/// Refuses an identifier that holds a control character (a NUL, a tab, a line break …), as
/// [`yibao_core::check_identifier`] does.
#[inline]
pub(crate) fn identifier(value: &str, column: Column) -> Result<(), RowError> {
    yibao_core::check_identifier(value).map_err(|e| refuse(column, e.to_string(), e.zh()))
}

/// The refusal of a value that names none of `names`: "`x` is not a kind (expected `a`,
/// `b` or `c`)", "`x` 不是费用类别（应为 `a`、`b`、`c` 之一）"; every column of words
/// refuses so.
#[cold]
pub(crate) fn not_one_of(column: Column, noun: Term, text: &str, names: &[&str]) -> RowError {
    let value = quoted(text);
    refuse(
        column,
        format!(
            "{value} is not a {} (expected {})",
            noun.en,
            in_words(names)
        ),
        format!(
            "{value} 不是{}（应为 {} 之一）",
            noun.zh,
            in_words_zh(names)
        ),
    )
}

/// A hospital level that is neither a [`HospitalLevel`] (by its name or an older spelling)
/// nor `out_of_city`.
#[cold]
pub(crate) fn not_a_level(text: &str) -> RowError {
    let mut names = HospitalLevel::NAMES.to_vec();
    names.push("out_of_city");
    not_one_of(Column::HospitalLevel, noun::HOSPITAL_LEVEL, text, &names)
}

/// A domain word of a column, by its name or an older spelling ([`Word::from_name`]).
pub(crate) fn word<W: Word>(column: Column, noun: Term, text: &str) -> Result<W, RowError> {
    W::from_name(text).ok_or_else(|| not_one_of(column, noun, text, W::NAMES))
}

#[cold]
#[inline(never)]
pub(crate) fn not_boolean(value: &str, column: Column) -> RowError {
    let value = quoted(value);
    refuse(
        column,
        format!("{value} is not `true` or `false`"),
        format!("{value} 不是 `true` 或 `false`"),
    )
}

/// The amount in yuan of a column's text.
pub(crate) fn amount(value: &str, column: Column) -> Result<Yuan, RowError> {
    value.parse::<Yuan>().map_err(|e| {
        if value.chars().nth(QUOTE_LIMIT).is_some() {
            // The error quotes the whole value: say it with the value cut instead.
            let value = quoted(value);
            refuse(
                column,
                format!("{value} is not an amount in yuan"),
                format!("{value} 不是以元为单位的金额"),
            )
        } else {
            refuse(column, e.to_string(), e.zh())
        }
    })
}

/// The refusal of a line whose quote at `column` of field `field` (from 0) is not closed
/// on the line; `name` is the field's column, empty when it has none.
#[cold]
pub(crate) fn unclosed_quote(line: u64, column: u64, field: usize, name: &'static str) -> RowError {
    let (named, named_zh) = if name.is_empty() {
        (String::new(), String::new())
    } else {
        (format!(" (`{name}`)"), format!("（`{name}`）"))
    };
    let field = field + 1;
    RowError {
        column: name,
        reason: Said::new(
            format!(
                "line {line}, column {column}: the quote that opens field {field}{named} is not closed on its line; no field may hold a line break (reading goes on at the next line)"
            ),
            format!(
                "第 {line} 行第 {column} 列：第 {field} 个字段{named_zh}开头的引号未在本行闭合；字段内不得换行（从下一行起继续读取）"
            ),
        ),
    }
}

/// The refusal of a line of `fields` fields where the header has `width`.
#[cold]
pub(crate) fn malformed(fields: usize, width: usize) -> Said {
    Said::new(
        format!("malformed line: {fields} fields where the header has {width}"),
        format!("格式有误的行：有 {fields} 个字段，而表头有 {width} 个"),
    )
}
