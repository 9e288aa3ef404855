//! The formats of the batch's files: CSV, Parquet and Arrow IPC, chosen by name or by a
//! file's extension.

use std::path::Path;

/// The format of a claims file or of an output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TableFormat {
    /// UTF-8 CSV with a header row (the batch's own dialect).
    #[default]
    Csv,
    /// Apache Parquet, read row group by row group.
    Parquet,
    /// Arrow IPC, the file format (`.arrow`, `.ipc`); read as either format, whichever the
    /// bytes are.
    Arrow,
    /// Arrow IPC, the streaming format (`.arrows`); read as either format.
    ArrowStream,
}

impl TableFormat {
    /// The names `--input-format` and `--output-format` accept.
    pub const NAMES: [&'static str; 4] = ["csv", "parquet", "arrow", "arrows"];

    /// The format named `name` (one of [`TableFormat::NAMES`]).
    pub fn from_name(name: &str) -> Option<TableFormat> {
        match name {
            "csv" => Some(TableFormat::Csv),
            "parquet" => Some(TableFormat::Parquet),
            "arrow" | "ipc" => Some(TableFormat::Arrow),
            "arrows" => Some(TableFormat::ArrowStream),
            _ => None,
        }
    }

    /// The format a path's extension names: `.parquet`, `.arrow` or `.ipc`, `.arrows`;
    /// any other extension (or none) is CSV.
    pub fn from_path(path: &Path) -> TableFormat {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("parquet") => TableFormat::Parquet,
            Some("arrow" | "ipc" | "feather") => TableFormat::Arrow,
            Some("arrows") => TableFormat::ArrowStream,
            _ => TableFormat::Csv,
        }
    }

    /// Whether the format is a typed table (Parquet or Arrow), whose rows are numbered from
    /// the first data row rather than by line.
    pub fn is_table(self) -> bool {
        self != TableFormat::Csv
    }

    /// The lines before the first row of data in the text the batch reads: the CSV header
    /// line, or none for a table (its rows are numbered from 1, and an error names `row N`).
    pub(crate) fn header_lines(self) -> u64 {
        u64::from(!self.is_table())
    }

    /// What a position in the input is called: `line` in CSV, `row` in a table.
    pub fn position_word(self) -> &'static str {
        if self.is_table() { "row" } else { "line" }
    }
}

impl std::fmt::Display for TableFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TableFormat::Csv => "CSV",
            TableFormat::Parquet => "Parquet",
            TableFormat::Arrow => "Arrow IPC",
            TableFormat::ArrowStream => "Arrow IPC stream",
        })
    }
}

/// A header whose first column is `line`, with `row` in its place for a table input.
pub(crate) fn positioned(header: &str, format: TableFormat) -> std::borrow::Cow<'_, str> {
    match header.strip_prefix("line") {
        Some(rest) if format.is_table() => format!("row{rest}").into(),
        _ => header.into(),
    }
}
