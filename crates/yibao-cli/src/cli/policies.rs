//! `yibao policies list | show | diff`.

use std::collections::BTreeMap;

use yibao::core::{PolicyYear, prose};
use yibao::policy::{Book, Coverage, PolicyLibrary, SECTIONS};

use super::Failure;
use super::output::{Column, Label, Out};
use super::reform_args::ReformArgs;

const KEY: Column = Column {
    field: "key",
    en: "key",
    zh: "参数",
};
const VALUE: Column = Column {
    field: "value",
    en: "value",
    zh: "取值",
};
const SET_BY: Column = Column {
    field: "set_by",
    en: "set by",
    zh: "设定层级",
};

fn coverage_label(out: &Out, coverage: Coverage) -> &'static str {
    out.label(match coverage {
        Coverage::Present => Label {
            en: "given",
            zh: "本级规定",
        },
        Coverage::Inherited => Label {
            en: "inherited",
            zh: "上级继承",
        },
        Coverage::Absent => Label {
            en: "absent in sources",
            zh: "来源未规定",
        },
        Coverage::NotGiven => Label { en: "-", zh: "-" },
    })
}

pub(crate) fn list(library: &PolicyLibrary, out: &Out) -> Result<(), Failure> {
    let mut columns = vec![
        Column {
            field: "jurisdiction",
            en: "jurisdiction",
            zh: "统筹地区",
        },
        Column {
            field: "year",
            en: "year",
            zh: "年度",
        },
    ];
    let sections: Vec<&str> = SECTIONS
        .iter()
        .copied()
        .filter(|s| *s != "settlement")
        .collect();
    for section in &sections {
        columns.push(section_column(section));
    }
    let rows: Vec<Vec<String>> = library
        .books()
        .map(|book| {
            let mut row = vec![
                place(library, out, &book.jurisdiction),
                book.year.to_string(),
            ];
            row.extend(
                sections
                    .iter()
                    .map(|s| coverage_label(out, book.coverage(s)).to_owned()),
            );
            row
        })
        .collect();
    out.rows(
        out.label(Label {
            en: "Policy books",
            zh: "政策参数",
        }),
        &columns,
        &rows,
    )
}

fn section_column(section: &str) -> Column {
    match section {
        "enrolment" => Column {
            field: "enrolment",
            en: "enrolment",
            zh: "参保缴费",
        },
        "benefits" => Column {
            field: "benefits",
            en: "benefits",
            zh: "基本待遇",
        },
        "remote_care" => Column {
            field: "remote_care",
            en: "remote care",
            zh: "异地就医",
        },
        "catastrophic" => Column {
            field: "catastrophic",
            en: "catastrophic",
            zh: "大病保险",
        },
        "filing" => Column {
            field: "filing",
            en: "filing",
            zh: "异地备案",
        },
        _ => Column {
            field: "settlement",
            en: "settlement",
            zh: "结算",
        },
    }
}

fn book<'l>(
    library: &'l PolicyLibrary,
    jurisdiction: &str,
    year: i64,
) -> Result<&'l Book, Failure> {
    let year = PolicyYear::new(year).map_err(|e| Failure::of(&e))?;
    library
        .book(jurisdiction, year)
        .map_err(|e| Failure::of(&e))
}

fn check_section(section: Option<&str>) -> Result<(), Failure> {
    match section {
        Some(s) if !SECTIONS.contains(&s) && s != "absent" => {
            let nearest = yibao::nearest::nearest(s, SECTIONS.iter().copied().chain(["absent"]));
            Err(Failure::refused(
                format!(
                    "unknown section `{s}` (sections: {}, absent){}",
                    SECTIONS.join(", "),
                    nearest
                        .map(|w| format!("; did you mean `{w}`?"))
                        .unwrap_or_default()
                ),
                format!(
                    "未知的政策部分 `{s}`（可选：{}、`absent`）{}",
                    SECTIONS
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join("、"),
                    nearest
                        .map(|w| format!("；是否应为 `{w}`？"))
                        .unwrap_or_default()
                ),
            ))
        }
        _ => Ok(()),
    }
}

fn in_section(key: &str, section: Option<&str>) -> bool {
    section.is_none_or(|s| key == s || key.starts_with(&format!("{s}.")))
}

pub(crate) fn show(
    library: &PolicyLibrary,
    out: &Out,
    jurisdiction: &str,
    year: i64,
    section: Option<&str>,
) -> Result<(), Failure> {
    check_section(section)?;
    let book = book(library, jurisdiction, year)?;
    let values = Values::of(book);
    let rows: Vec<Vec<String>> = book
        .values
        .iter()
        .filter(|v| in_section(&v.key, section) && !values.is_chinese(&v.key))
        .map(|v| {
            vec![
                key_cell(out, &v.key),
                values.cell(out, &v.key).unwrap_or_default(),
                place(library, out, &v.set_by),
            ]
        })
        .collect();
    let title = out.place_year(library, &book.jurisdiction, book.year);
    out.rows(&title, &[KEY, VALUE, SET_BY], &rows)
}

/// Two books side by side; with a reform, the second book (the first when no second is
/// given) reformed, and only the values the reform changes.
pub(crate) fn diff(
    library: &PolicyLibrary,
    out: &Out,
    left: (&str, i64),
    right: Option<(&str, i64)>,
    section: Option<&str>,
    reform: &ReformArgs,
) -> Result<(), Failure> {
    check_section(section)?;
    let left_book = book(library, left.0, left.1)?;
    let reform = reform.reform()?;
    let reformed = reform.is_some();
    let right = match (right, reform) {
        (Some(right), None) => book(library, right.0, right.1)?.clone(),
        (right, Some(reform)) => {
            let (jurisdiction, year) = right.unwrap_or(left);
            let year = PolicyYear::new(year).map_err(|e| Failure::of(&e))?;
            library
                .book(jurisdiction, year)
                .map_err(|e| Failure::of(&e))?
                .reformed(&reform)
                .map_err(|e| Failure::of(&e))?
        }
        (None, None) => {
            return Err(Failure::misused(
                "policies diff needs a second jurisdiction and year, or a reform (--reform FILE or --set path=value)",
                "policies diff 须给出第二个统筹地区和年度，或一项改革方案（--reform 文件 或 --set 路径=取值）",
            ));
        }
    };
    diff_books(library, out, left_book, &right, section, reformed)
}

fn diff_books(
    library: &PolicyLibrary,
    out: &Out,
    left_book: &Book,
    right_book: &Book,
    section: Option<&str>,
    reformed: bool,
) -> Result<(), Failure> {
    let (left, right) = (Values::of(left_book), Values::of(right_book));
    let wanted = |key: &str| {
        in_section(key, section)
            && !key.ends_with(".reading")
            && !left.is_chinese(key)
            && !right.is_chinese(key)
    };
    let mut keys: Vec<&str> = Vec::new();
    for v in left_book.values.iter().chain(&right_book.values) {
        if wanted(&v.key) && !keys.contains(&v.key.as_str()) {
            keys.push(&v.key);
        }
    }
    let rows: Vec<Vec<String>> = keys
        .iter()
        .filter(|key| !reformed || left.value(key) != right.value(key))
        .map(|key| {
            let same = if left.value(key) == right.value(key) {
                "="
            } else {
                "≠"
            };
            let cell =
                |values: &Values<'_>| values.cell(out, key).unwrap_or_else(|| "—".to_owned());
            vec![
                key_cell(out, key),
                cell(&left),
                cell(&right),
                same.to_owned(),
            ]
        })
        .collect();
    let left_name = out.place_year(library, &left_book.jurisdiction, left_book.year);
    let mut right_name = out.place_year(library, &right_book.jurisdiction, right_book.year);
    if reformed {
        right_name.push_str(out.label(Label {
            en: " reformed",
            zh: " 改革后",
        }));
    }
    let columns = [
        KEY,
        Column {
            field: "left",
            en: "left",
            zh: "左",
        },
        Column {
            field: "right",
            en: "right",
            zh: "右",
        },
        Column {
            field: "same",
            en: "same",
            zh: "相同",
        },
    ];
    out.rows(&format!("{left_name}  ⟷  {right_name}"), &columns, &rows)
}

/// A book's values by key, to show them: as the data writes them, in a Chinese table in
/// Chinese (a prose value's `_zh` sibling in its place, a domain word in its words).
struct Values<'b> {
    by_key: BTreeMap<&'b str, &'b str>,
    categories: BTreeMap<String, String>,
}

impl<'b> Values<'b> {
    fn of(book: &'b Book) -> Values<'b> {
        Values {
            by_key: book
                .values
                .iter()
                .map(|v| (v.key.as_str(), v.value.as_str()))
                .collect(),
            categories: super::policy_values::categories(book),
        }
    }

    /// The value at a key, as the data writes it.
    fn value(&self, key: &str) -> Option<&'b str> {
        self.by_key.get(key).copied()
    }

    /// Whether the key is the Chinese sibling of a prose key (`reading_zh` beside
    /// `reading`), by the loader's own rule ([`prose::english_of`]): shown in that key's
    /// row, never in a row of its own.
    fn is_chinese(&self, key: &str) -> bool {
        let Some(english) = key.strip_suffix(prose::ZH) else {
            return false;
        };
        let (table, last) = english.rsplit_once('.').unwrap_or(("", english));
        let in_reasons = prose::REASON_TABLES
            .iter()
            .any(|reasons| table == *reasons || table.ends_with(&format!(".{reasons}")));
        prose::is_prose(last, in_reasons) && self.by_key.contains_key(english)
    }

    /// The value at a key as a cell shows it: as written, in a Chinese table its Chinese.
    fn cell(&self, out: &Out, key: &str) -> Option<String> {
        let value = self.value(key)?;
        if !out.table_zh() {
            return Some(value.to_owned());
        }
        let chinese = format!("{key}{}", prose::ZH);
        Some(
            match self.value(&chinese).filter(|_| self.is_chinese(&chinese)) {
                Some(chinese) => chinese.to_owned(),
                None => super::policy_values::shown(value, &self.categories),
            },
        )
    }
}

/// A key as a cell names it: the key, in a Chinese table its label with the key as its id
/// (`基本医疗保险待遇·住院·起付线`).
fn key_cell(out: &Out, key: &str) -> String {
    if out.table_zh() {
        super::policy_keys::shown(key)
    } else {
        key.to_owned()
    }
}

/// A place as a cell names it: its id, in a Chinese table the name the policy data gives
/// it (淮安市), its id where it gives none.
fn place(library: &PolicyLibrary, out: &Out, id: &str) -> String {
    match library.jurisdictions.get(id) {
        Some(j) if out.table_zh() => j.name_zh.clone(),
        _ => id.to_owned(),
    }
}
