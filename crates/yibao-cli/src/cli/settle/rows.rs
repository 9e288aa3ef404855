//! The claims' rows as a table or CSV, and the explanation, written as the claims are
//! settled.
//!
//! A table's columns are as wide as their widest cell, so a table's rows are kept (as one
//! text, not a string per cell) until the last claim; it is then drawn line by line exactly
//! as `comfy-table` draws a table of figures (preset `UTF8_FULL_CONDENSED`, no wrapping,
//! numbers right-aligned). A table holding prose (a cell longer than 60 characters), or one
//! wider than the terminal ([`layout`]: wrapped, or a list under 100 columns), is laid out by
//! [`Out::rows`](super::super::output::Out::rows).

use std::collections::HashMap;
use std::io::{BufWriter, StdoutLock, Write};
use std::ops::ControlFlow;

use yibao::policy::PolicyLibrary;
use yibao::settle::{ClaimReport, ClaimSink, Head, SettlementReport};

use super::super::Failure;
use super::super::explain::Quotes;
use super::super::layout::{self, Cells, Layout};
use super::super::output::{Lang, Out, print};
use super::stream::Output;
use super::{
    CLAIM_COLUMNS, claim_cells, claim_lines, tail_text, title, total_cells, write_claim_explanation,
};

/// A cell longer than this is prose, and its table may wrap (as [`Out::rows`] decides).
const PROSE_CELL: usize = 60;

/// `--format csv`: the header and each claim's row as it is settled; no totals row (a row
/// that is not a claim would be summed with them by any program reading the file: the totals
/// are in `--format json` and the table).
pub(in crate::cli) struct Csv {
    out: Out,
    writer: csv::Writer<BufWriter<StdoutLock<'static>>>,
    error: Option<csv::Error>,
}

impl Csv {
    pub(in crate::cli) fn new(out: Out) -> Csv {
        let stdout = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        Csv {
            out,
            writer: csv::Writer::from_writer(stdout),
            error: None,
        }
    }

    fn put(&mut self, row: &[String]) -> ControlFlow<()> {
        if self.error.is_some() {
            return ControlFlow::Break(());
        }
        match self.writer.write_record(row) {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                self.error = Some(e);
                ControlFlow::Break(())
            }
        }
    }

    pub(in crate::cli) fn finish(mut self) -> Result<(), Failure> {
        let error = match self.error.take() {
            Some(e) => Some(e),
            None => self.writer.flush().err().map(csv::Error::from),
        };
        match error.map(csv::Error::into_kind) {
            None => Ok(()),
            Some(csv::ErrorKind::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Some(csv::ErrorKind::Io(e)) => Err(Failure::unwritable(&e)),
            Some(other) => Err(Failure::Io(format!("cannot write the output: {other:?}"))),
        }
    }
}

impl ClaimSink for Csv {
    fn head(&mut self, _: &Head<'_>) -> ControlFlow<()> {
        let header: Vec<String> = CLAIM_COLUMNS.iter().map(|c| c.field.to_owned()).collect();
        self.put(&header)
    }

    fn claim(&mut self, claim: &ClaimReport) -> ControlFlow<()> {
        let row = claim_cells(&self.out, claim);
        self.put(&row)
    }
}

/// The table: its rows kept as one text until the last claim, with each column's width.
pub(in crate::cli) struct Table {
    out: Out,
    title: String,
    /// Every cell of every row, one after the other.
    cells: String,
    /// Where each cell ends in `cells`.
    ends: Vec<usize>,
    /// Each column's width on screen, headings included.
    widths: [usize; CLAIM_COLUMNS.len()],
    /// Whether a cell is prose (long, or of several lines): then `comfy-table` draws it.
    prose: bool,
    /// The widths of cells that are not plain ASCII, as measured by `comfy-table`.
    measured: HashMap<String, usize>,
    /// The claims' own lines under the table.
    lines: String,
    /// Each jurisdiction's id and its name in the output's language, for the title (the id
    /// where none is given).
    places: Vec<(String, String)>,
}

impl Table {
    /// The table titled with the jurisdiction's name in the output's language, taken from
    /// the library's jurisdictions (`淮安市` for `huaian` in Chinese; English titles keep
    /// the id).
    pub(in crate::cli) fn named_from(mut self, library: &PolicyLibrary) -> Table {
        if self.out.lang == Lang::Zh {
            self.places = library
                .jurisdictions
                .list
                .iter()
                .map(|j| (j.id.clone(), j.name_zh.clone()))
                .collect();
        }
        self
    }

    pub(in crate::cli) fn new(out: Out) -> Table {
        let mut table = Table {
            out,
            title: String::new(),
            cells: String::new(),
            ends: Vec::new(),
            widths: [0; CLAIM_COLUMNS.len()],
            prose: false,
            measured: HashMap::new(),
            lines: String::new(),
            places: Vec::new(),
        };
        for (i, column) in CLAIM_COLUMNS.iter().enumerate() {
            let heading = heading(out, column);
            table.widths[i] = table.width(heading).max(1);
        }
        table
    }

    /// A cell's width on screen, as `comfy-table` counts it.
    fn width(&mut self, cell: &str) -> usize {
        if let Some(width) = plain_width(cell).or_else(|| self.measured.get(cell).copied()) {
            return width;
        }
        let mut one = comfy_table::Table::new();
        one.add_row(vec![cell]);
        let width = one
            .column_max_content_widths()
            .first()
            .map_or(0, |w| usize::from(*w));
        self.measured.insert(cell.to_owned(), width);
        width
    }

    fn push_row(&mut self, row: &[String]) {
        for (i, cell) in row.iter().enumerate() {
            if cell.contains('\n') || cell.chars().count() > PROSE_CELL {
                self.prose = true;
            }
            // A column is at least one character wide.
            let width = self.width(cell).max(1);
            if let Some(column) = self.widths.get_mut(i) {
                *column = (*column).max(width);
            }
            self.cells.push_str(cell);
            self.ends.push(self.cells.len());
        }
    }

    /// The table, then the lines under it.
    pub(in crate::cli) fn finish(mut self, report: &SettlementReport) -> Result<(), Failure> {
        let totals = total_cells(&self.out, &report.totals);
        self.push_row(&totals);
        let numbers = layout::number_columns(CLAIM_COLUMNS.len(), self.rows());
        let natural = layout::table_width(self.widths);
        let cells = if self.prose {
            Cells::Prose
        } else {
            Cells::Figures
        };
        let fits = layout::layout(natural, cells, layout::terminal_width()) == Layout::Full;
        // Prose, or a table too wide for the terminal, is laid out by comfy-table.
        if self.prose || !fits {
            let rows = self
                .rows()
                .map(|row| row.iter().map(|c| (*c).to_owned()).collect())
                .collect::<Vec<Vec<String>>>();
            self.out.rows(&self.title, &CLAIM_COLUMNS, &rows)?;
        } else {
            let mut output = Output::stdout();
            let _ = output.put(|w| self.draw(w, &numbers));
            output.finish()?;
        }
        let mut text = tail_text(&self.out, report);
        text.push_str(&self.lines);
        print(&text)
    }

    /// The kept rows, cell by cell.
    fn rows(&self) -> impl Iterator<Item = Vec<&str>> {
        let columns = CLAIM_COLUMNS.len();
        (0..self.ends.len() / columns).map(move |r| {
            (0..columns)
                .map(|c| {
                    let i = r * columns + c;
                    let start = if i == 0 {
                        0
                    } else {
                        self.ends.get(i - 1).copied().unwrap_or(0)
                    };
                    let end = self.ends.get(i).copied().unwrap_or(start);
                    self.cells.get(start..end).unwrap_or_default()
                })
                .collect()
        })
    }

    /// Draws the table as `comfy-table` does with `UTF8_FULL_CONDENSED`, the columns of
    /// `numbers` right-aligned.
    fn draw(&self, w: &mut impl Write, numbers: &[bool]) -> std::io::Result<()> {
        writeln!(w, "{}", self.title)?;
        self.border(w, ['┌', '─', '┬', '┐'])?;
        let headings: Vec<&str> = CLAIM_COLUMNS.iter().map(|c| heading(self.out, c)).collect();
        self.line(w, &headings, numbers)?;
        self.border(w, ['╞', '═', '╪', '╡'])?;
        for row in self.rows() {
            self.line(w, &row, numbers)?;
        }
        self.border(w, ['└', '─', '┴', '┘'])
    }

    fn border(
        &self,
        w: &mut impl Write,
        [left, fill, between, right]: [char; 4],
    ) -> std::io::Result<()> {
        let mut line = String::new();
        line.push(left);
        for (i, width) in self.widths.iter().enumerate() {
            if i > 0 {
                line.push(between);
            }
            line.extend(std::iter::repeat_n(fill, width + 2));
        }
        line.push(right);
        line.push('\n');
        w.write_all(line.as_bytes())
    }

    fn line(&self, w: &mut impl Write, cells: &[&str], numbers: &[bool]) -> std::io::Result<()> {
        w.write_all("│".as_bytes())?;
        for (i, (cell, width)) in cells.iter().zip(self.widths).enumerate() {
            let right = numbers.get(i).copied().unwrap_or(false);
            if i > 0 {
                w.write_all("┆".as_bytes())?;
            }
            // Every cell was measured when its row was kept.
            let shown = plain_width(cell)
                .or_else(|| self.measured.get(*cell).copied())
                .unwrap_or(width);
            let pad = width.saturating_sub(shown);
            let (before, after) = if right { (pad, 0) } else { (0, pad) };
            w.write_all(b" ")?;
            for _ in 0..before {
                w.write_all(b" ")?;
            }
            w.write_all(cell.as_bytes())?;
            for _ in 0..after {
                w.write_all(b" ")?;
            }
            w.write_all(b" ")?;
        }
        w.write_all("│\n".as_bytes())
    }
}

/// The width of a cell of printable ASCII: its length.
fn plain_width(cell: &str) -> Option<usize> {
    cell.bytes()
        .all(|b| (b' '..=b'~').contains(&b))
        .then_some(cell.len())
}

fn heading(out: Out, column: &super::Column) -> &'static str {
    match out.lang {
        Lang::En => column.en,
        Lang::Zh => column.zh,
    }
}

impl ClaimSink for Table {
    fn head(&mut self, head: &Head<'_>) -> ControlFlow<()> {
        let place = self
            .places
            .iter()
            .find(|(id, _)| id == head.jurisdiction)
            .map_or(head.jurisdiction, |(_, name)| name.as_str());
        self.title = title(&self.out, place, head.year, head.person);
        ControlFlow::Continue(())
    }

    fn claim(&mut self, claim: &ClaimReport) -> ControlFlow<()> {
        let row = claim_cells(&self.out, claim);
        self.push_row(&row);
        claim_lines(&self.out, claim, &mut self.lines);
        ControlFlow::Continue(())
    }
}

/// `--explain`: each claim's explanation, written as it is settled.
pub(in crate::cli) struct Explanation<'l> {
    library: &'l PolicyLibrary,
    out: Out,
    quotes: Quotes,
    output: Output,
}

impl<'l> Explanation<'l> {
    pub(in crate::cli) fn new(library: &'l PolicyLibrary, out: Out) -> Explanation<'l> {
        Explanation {
            library,
            out,
            quotes: Quotes::default(),
            output: Output::stdout(),
        }
    }

    pub(in crate::cli) fn finish(self) -> Result<(), Failure> {
        self.output.finish()
    }
}

impl ClaimSink for Explanation<'_> {
    fn head(&mut self, _: &Head<'_>) -> ControlFlow<()> {
        ControlFlow::Continue(())
    }

    fn claim(&mut self, claim: &ClaimReport) -> ControlFlow<()> {
        let (library, out, quotes) = (self.library, &self.out, &mut self.quotes);
        self.output
            .put(|w| write_claim_explanation(w, library, out, quotes, claim))
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::output::Format;
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        let mut row: Vec<String> = cells.iter().map(|c| (*c).to_owned()).collect();
        row.resize(CLAIM_COLUMNS.len(), String::new());
        row
    }

    #[test]
    fn a_table_of_figures_is_drawn_as_comfy_table_draws_it() {
        let rows = [
            row(&[
                "A1",
                "2026-03-10",
                "inpatient",
                "level 3",
                "covered",
                "local",
                "30000.00",
            ]),
            row(&[
                "病人甲-1",
                "2026-05-06",
                "住院",
                "三级",
                "参保有效",
                "本地",
                "200.00",
                "200.00",
            ]),
            row(&["", "", "", "", "", "", "", "", "", "", "", "", "", "7.00"]),
            row(&["x"; 6]),
        ];
        for lang in [Lang::En, Lang::Zh] {
            let out = Out {
                format: Format::Table,
                lang,
            };
            let mut table = Table::new(out);
            "huaian 2026 settlement".clone_into(&mut table.title);
            for cells in &rows {
                table.push_row(cells);
            }
            assert!(!table.prose);
            let numbers = layout::number_columns(CLAIM_COLUMNS.len(), table.rows());
            assert_eq!(
                numbers.iter().filter(|n| **n).count(),
                3,
                "amount, eligible, personal"
            );
            let mut drawn = Vec::new();
            table.draw(&mut drawn, &numbers).unwrap();

            let mut comfy = comfy_table::Table::new();
            comfy
                .load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(comfy_table::ContentArrangement::Disabled)
                .set_width(120)
                .set_header(CLAIM_COLUMNS.iter().map(|c| heading(out, c)));
            for cells in &rows {
                comfy.add_row(cells);
            }
            for (i, number) in numbers.iter().enumerate() {
                if let (true, Some(column)) = (*number, comfy.column_mut(i)) {
                    column.set_cell_alignment(comfy_table::CellAlignment::Right);
                }
            }
            assert_eq!(
                String::from_utf8(drawn).unwrap(),
                format!("huaian 2026 settlement\n{comfy}\n"),
                "{lang:?}"
            );
        }
    }

    #[test]
    fn a_long_cell_is_prose_and_left_to_comfy_table() {
        let mut table = Table::new(Out {
            format: Format::Table,
            lang: Lang::En,
        });
        table.push_row(&row(&[&"x".repeat(PROSE_CELL + 1)]));
        assert!(table.prose);
    }
}
