//! Printing rows as a table, JSON or CSV, with English or Chinese labels.
//!
//! JSON and CSV use stable English field names whatever `--lang` says; only the table's
//! headings and titles are translated.

use std::io::Write;

use clap::ValueEnum;
use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, Table, presets};

use super::Failure;
use super::layout::{self, Cells, Layout};

/// Width tables holding prose are wrapped to when there is no terminal: wide enough for
/// amounts and keys, narrow enough for a report page.
const TABLE_WIDTH: u16 = 120;

/// A cell longer than this is prose, and its table may wrap.
const PROSE_CELL: usize = 60;

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Readable tables.
    Table,
    /// JSON, amounts as strings with 2 decimals.
    Json,
    /// CSV with a header row, one row per claim: no totals row (a program reading the rows
    /// would sum it with the claims); the totals are in json and table.
    Csv,
    /// The national medical-insurance platform's settlement fields.
    Nhsa,
    /// HL7 FHIR R4: each claim a ClaimResponse, several in a Bundle.
    Fhir,
}

/// Language of labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Lang {
    /// English.
    En,
    /// Chinese.
    Zh,
}

impl From<Lang> for yibao::core::Lang {
    fn from(lang: Lang) -> yibao::core::Lang {
        match lang {
            Lang::En => yibao::core::Lang::En,
            Lang::Zh => yibao::core::Lang::Zh,
        }
    }
}

/// A column: its stable field name and its headings.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Column {
    pub field: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
}

/// The columns of an explained figure: item, amount, rule.
pub(crate) const ITEM_AMOUNT_RULE: [Column; 3] = [
    Column {
        field: "item",
        en: "item",
        zh: "项目",
    },
    Column {
        field: "amount",
        en: "amount",
        zh: "金额",
    },
    Column {
        field: "rule",
        en: "rule",
        zh: "依据",
    },
];

/// A text in both languages.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Label {
    pub en: &'static str,
    pub zh: &'static str,
}

/// How to print.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Out {
    pub format: Format,
    pub lang: Lang,
}

impl Out {
    /// The language the engine's own texts (steps, terms) are rendered in.
    pub(crate) fn text_lang(&self) -> yibao::core::Lang {
        self.lang.into()
    }

    /// Whether cells are written for a reader in Chinese (a table in Chinese), not as the
    /// machine words of CSV and JSON.
    pub(crate) fn table_zh(&self) -> bool {
        self.lang == Lang::Zh && self.format == Format::Table
    }

    /// A place and policy year as a heading names them: `huaian 2026` in English (the id),
    /// `淮安市 2026 年度` in Chinese (the name the policy data gives the place).
    pub(crate) fn place_year(
        &self,
        library: &yibao::policy::PolicyLibrary,
        jurisdiction: &str,
        year: impl std::fmt::Display,
    ) -> String {
        match self.lang {
            Lang::En => format!("{jurisdiction} {year}"),
            Lang::Zh => {
                let name = library
                    .jurisdictions
                    .get(jurisdiction)
                    .map_or(jurisdiction, |j| j.name_zh.as_str());
                format!("{name} {year} 年度")
            }
        }
    }

    pub(crate) fn label(&self, label: Label) -> &'static str {
        match self.lang {
            Lang::En => label.en,
            Lang::Zh => label.zh,
        }
    }

    /// Prints one block of rows under a title.
    pub(crate) fn rows(
        &self,
        title: &str,
        columns: &[Column],
        rows: &[Vec<String>],
    ) -> Result<(), Failure> {
        let text = match self.format {
            Format::Table => table_text(self.lang, title, columns, rows),
            Format::Json => {
                let list: Vec<serde_json::Map<String, serde_json::Value>> = rows
                    .iter()
                    .map(|row| {
                        columns
                            .iter()
                            .zip(row)
                            .map(|(c, v)| {
                                (c.field.to_owned(), serde_json::Value::String(v.clone()))
                            })
                            .collect()
                    })
                    .collect();
                let mut text = Vec::new();
                super::json_answer::write(&mut text, &list)
                    .map_err(|e| Failure::Io(e.to_string()))?;
                text.push(b'\n');
                String::from_utf8_lossy(&text).into_owned()
            }
            Format::Csv => {
                let mut writer = csv::Writer::from_writer(Vec::new());
                let io = |e: csv::Error| Failure::Io(e.to_string());
                writer
                    .write_record(columns.iter().map(|c| c.field))
                    .map_err(io)?;
                for row in rows {
                    writer.write_record(row).map_err(io)?;
                }
                let bytes = writer
                    .into_inner()
                    .map_err(|e| Failure::Io(e.to_string()))?;
                String::from_utf8_lossy(&bytes).into_owned()
            }
            Format::Nhsa => {
                return Err(Failure::refused(
                    "--format nhsa maps settlements onto the national platform's fields; it applies to `settle` only (use table, json or csv here)",
                    "--format nhsa 按国家医保平台的结算字段输出结算结果：仅适用于 `settle`（此处请用 `table`、`json` 或 `csv`）".to_owned(),
                ));
            }
            Format::Fhir => {
                return Err(Failure::refused(
                    "--format fhir writes settled claims as FHIR ClaimResponses; it applies to `settle` only (use table, json or csv here)",
                    "--format fhir 以 FHIR `ClaimResponse` 输出已结算的费用：仅适用于 `settle`（此处请用 `table`、`json` 或 `csv`）".to_owned(),
                ));
            }
        };
        print(&text)
    }
}

/// A table under its title, laid out for the terminal ([`layout`]): numbers right-aligned;
/// whole when it fits or when there is no terminal, wrapped or as a list when it does not.
fn table_text(lang: Lang, title: &str, columns: &[Column], rows: &[Vec<String>]) -> String {
    let headings: Vec<&str> = columns
        .iter()
        .map(|c| match lang {
            Lang::En => c.en,
            Lang::Zh => c.zh,
        })
        .collect();
    let cells = || rows.iter().map(|row| row.iter().map(String::as_str));
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_header(headings.iter().copied());
    for row in rows {
        table.add_row(row);
    }
    for (i, number) in layout::number_columns(columns.len(), cells())
        .into_iter()
        .enumerate()
    {
        if let (true, Some(column)) = (number, table.column_mut(i)) {
            // Right-aligned, and never wrapped: an amount split over two lines misreads.
            column.set_cell_alignment(CellAlignment::Right);
            column.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
    let natural = layout::table_width(
        table
            .column_max_content_widths()
            .iter()
            .map(|w| usize::from(*w)),
    );
    let cells_are = if rows
        .iter()
        .flatten()
        .any(|cell| cell.chars().count() > PROSE_CELL)
    {
        Cells::Prose
    } else {
        Cells::Figures
    };
    let width = layout::terminal_width();
    let (arrangement, width) = match (layout::layout(natural, cells_are, width), width) {
        (Layout::List, _) => return layout::list(title, &headings, cells()),
        (Layout::Wrapped(width), _) => (ContentArrangement::Dynamic, width),
        (Layout::Full, Some(width)) => (ContentArrangement::Disabled, width),
        // No terminal: tables of figures never wrap; tables holding prose wrap to a
        // readable width.
        (Layout::Full, None) => match cells_are {
            Cells::Prose => (ContentArrangement::Dynamic, TABLE_WIDTH),
            Cells::Figures => (ContentArrangement::Disabled, TABLE_WIDTH),
        },
    };
    table.set_content_arrangement(arrangement).set_width(width);
    format!("{title}\n{table}\n")
}

/// Prints a value as pretty JSON (the `--format json` of every command), the envelope's
/// fields first ([`super::json_answer`]).
/// Streamed: a year of 100,000 claims is hundreds of megabytes of JSON, never held whole.
pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = super::json_answer::write(&mut stdout, value)
        .map_err(std::io::Error::from)
        .and_then(|()| stdout.write_all(b"\n"))
        .and_then(|()| stdout.flush());
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::unwritable(&e)),
    }
}

/// Prints a value as pretty JSON as it is, without the envelope: a document of a form
/// defined elsewhere (FHIR).
pub(crate) fn print_raw_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let mut text = serde_json::to_vec_pretty(value).map_err(|e| Failure::Io(e.to_string()))?;
    text.push(b'\n');
    print(&String::from_utf8_lossy(&text))
}

/// Writes to standard output; a closed pipe is not an error worth a message.
pub(crate) fn print(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::unwritable(&e)),
    }
}
