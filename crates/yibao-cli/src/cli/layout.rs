//! How a table fits the terminal: the width it has, the table drawn whole, wrapped, or as a
//! list of `label: value` blocks, and which columns are numbers (drawn right-aligned).
//!
//! The width is `COLUMNS` when it is set to a number (a script or a test fixes the width
//! that way), else the terminal's when standard output is one (`terminal_size`), else none:
//! a file or a pipe gets the full table, however wide. A table that fits is drawn whole. One
//! that does not is, when it holds prose and the width is 100 columns or more, wrapped to
//! the width (comfy-table's dynamic arrangement, the prose wrapped at its spaces, numbers
//! kept whole); otherwise it becomes a list, one block of `label: value` lines per row,
//! where nothing is cut (a table of figures wrapped would split its amounts over lines).

use std::fmt::Write as _;

/// Under this width, a table too wide for it is shown as a list.
pub(crate) const LIST_BELOW: u16 = 100;

/// How a table is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    /// Whole, as wide as its cells make it.
    Full,
    /// Wrapped to this width.
    Wrapped(u16),
    /// One block of `label: value` lines per row.
    List,
}

/// The width tables are laid out to, when there is one.
pub(crate) fn terminal_width() -> Option<u16> {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|text| text.trim().parse::<u16>().ok())
        .filter(|columns| *columns > 0)
    {
        return Some(columns);
    }
    terminal_size::terminal_size_of(std::io::stdout()).map(|(width, _)| width.0)
}

/// Whether a table's cells are prose (a cell longer than a line of figures), which may wrap,
/// or figures only, which may not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cells {
    Figures,
    Prose,
}

/// The layout of a table `natural` characters wide in `width`.
pub(crate) fn layout(natural: usize, cells: Cells, width: Option<u16>) -> Layout {
    match width {
        None => Layout::Full,
        Some(width) if natural <= usize::from(width) => Layout::Full,
        Some(width) if width >= LIST_BELOW && cells == Cells::Prose => Layout::Wrapped(width),
        Some(_) => Layout::List,
    }
}

/// The width of a table with these column widths (content only) as `UTF8_FULL_CONDENSED`
/// draws it: a space either side of each cell and a border between and around them.
pub(crate) fn table_width(columns: impl IntoIterator<Item = usize>) -> usize {
    let (count, content) = columns
        .into_iter()
        .fold((0, 0), |(count, sum), width| (count + 1, sum + width));
    content + count * 3 + 1
}

/// Whether a cell is a number: an amount, a count, a year or a percentage
/// (`-1234.56`, `2026`, `65%`).
pub(crate) fn is_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let digits = digits.strip_suffix('%').unwrap_or(digits);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && (fraction.is_empty() != digits.contains('.'))
}

/// For each column, whether it holds numbers: at least one, and nothing else but empty cells
/// and dashes (`—`, a figure not given).
pub(crate) fn number_columns<'a, R>(columns: usize, rows: impl IntoIterator<Item = R>) -> Vec<bool>
where
    R: IntoIterator<Item = &'a str>,
{
    let mut seen = vec![false; columns];
    let mut other = vec![false; columns];
    for row in rows {
        for ((cell, seen), other) in row.into_iter().zip(&mut seen).zip(&mut other) {
            match cell.trim() {
                "" | "—" => {}
                cell if is_number(cell) => *seen = true,
                _ => *other = true,
            }
        }
    }
    seen.iter().zip(&other).map(|(s, o)| *s && !*o).collect()
}

/// The rows as a list under the title: one block per row, a `label: value` line per
/// non-empty cell (a cell of several lines continues indented), a blank line between
/// blocks.
pub(crate) fn list<'a, R>(
    title: &str,
    headings: &[&str],
    rows: impl IntoIterator<Item = R>,
) -> String
where
    R: IntoIterator<Item = &'a str>,
{
    // A column without a heading (a row's name) is labelled `#`.
    fn label(heading: &str) -> &str {
        if heading.is_empty() { "#" } else { heading }
    }
    let label_width = headings
        .iter()
        .map(|h| display_width(label(h)))
        .max()
        .unwrap_or(0);
    let mut text = format!("{title}\n");
    for (n, row) in rows.into_iter().enumerate() {
        if n > 0 {
            text.push('\n');
        }
        for (heading, cell) in headings.iter().zip(row) {
            if cell.is_empty() {
                continue;
            }
            let shown = label(heading);
            let pad = label_width.saturating_sub(display_width(shown));
            let mut lines = cell.lines();
            let first = lines.next().unwrap_or_default();
            let _ = writeln!(text, "  {shown}:{:pad$} {first}", "");
            for more in lines {
                let _ = writeln!(text, "  {:width$}  {more}", "", width = label_width + 1);
            }
        }
    }
    text
}

/// A text's width on screen: a CJK character takes two columns.
pub(crate) fn display_width(text: &str) -> usize {
    text.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_amounts_counts_years_and_percentages() {
        for (cell, number) in [
            ("1234.56", true),
            ("-1455.00", true),
            ("2026", true),
            ("65%", true),
            ("0", true),
            ("2026-03-10", false),
            ("3/3", false),
            ("not_published", false),
            ("1.", false),
            (".5", false),
            ("", false),
            ("-", false),
            ("12 + 1 not_published", false),
        ] {
            assert_eq!(is_number(cell), number, "{cell}");
        }
    }

    #[test]
    fn a_column_of_numbers_and_dashes_is_a_number_column() {
        let rows = [["A1", "30000.00", "—", ""], ["total", "", "—", "x"]];
        let columns = number_columns(4, rows.iter().map(|r| r.iter().copied()));
        assert_eq!(columns, [false, true, false, false]);
    }

    #[test]
    fn the_layout_by_width() {
        use Cells::{Figures, Prose};
        for (natural, cells, width, expected) in [
            (180, Figures, None, Layout::Full),
            (180, Prose, None, Layout::Full),
            (80, Figures, Some(80), Layout::Full),
            (81, Figures, Some(80), Layout::List),
            (81, Prose, Some(80), Layout::List),
            (99, Prose, Some(99), Layout::Full),
            (181, Prose, Some(120), Layout::Wrapped(120)),
            (181, Figures, Some(120), Layout::List),
            (150, Prose, Some(100), Layout::Wrapped(100)),
            (150, Prose, Some(99), Layout::List),
        ] {
            assert_eq!(
                layout(natural, cells, width),
                expected,
                "{natural} {cells:?} in {width:?}"
            );
        }
    }
}
