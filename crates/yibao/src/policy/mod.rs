//! Policy data: loading, merging down the jurisdiction hierarchy, and checking.
//!
//! `policy-data/` holds one TOML file per jurisdiction and policy year
//! (`huaian/2026.toml`), `every-year.toml` files for values in force whatever the year, the
//! source registry (`sources.toml`), the hierarchy (`jurisdictions.toml`) and the working-day
//! calendar (`calendar/cn-holidays/*.json`). [`check`] reads all of it and reports every
//! problem, located at file, line and column; [`PolicyLibrary::load`] does the same and, when
//! nothing is wrong, returns the books.

mod analysis;
mod book;
mod checks;
mod document;
mod files;
mod jurisdiction;
mod prose;
mod reader_zh;
mod reform;
mod registry;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use serde::Deserialize;
use yibao_core::{Diagnostic, KeyPath, Lang, Location, PolicyYear, Severity, WorkingDayCalendar};

pub use analysis::PolicyAnalysis;
pub use book::{Book, BookValue, BookValues, Coverage, SECTIONS, Section, SettlementParams};
pub use files::{FilesError, PolicyFiles};
pub use jurisdiction::{CoverageYears, Jurisdiction, Jurisdictions};
pub use reform::{REFORM_LEVEL, Reform, ReformError, YuanDifference};
pub use registry::{RegisteredQuote, RegisteredRule, Registry, SourceDocument, SourceTexts};

use book::{Merged, decode};
use checks::{check_class_categories, check_policy_file, walk_values};
use document::Document;

/// The `[meta]` table every policy file opens with.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Meta {
    jurisdiction: String,
    #[serde(default)]
    year: Option<PolicyYear>,
    #[serde(default)]
    source: Option<String>,
}

/// What a policy file's name says it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum FileYear {
    EveryYear,
    Year(PolicyYear),
}

/// The loaded policy data: registry, hierarchy, calendar and one book per insured place and
/// policy year.
#[derive(Clone, Debug)]
pub struct PolicyLibrary {
    /// The source registry.
    pub registry: Registry,
    /// The jurisdiction hierarchy.
    pub jurisdictions: Jurisdictions,
    /// The working-day calendar.
    pub calendar: WorkingDayCalendar,
    books: BTreeMap<(String, PolicyYear), Arc<Book>>,
    /// [`PolicyFiles::digest`] of the files the library was loaded from.
    data_digest: String,
}

/// Why a book could not be had.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BookError {
    /// Occurs when the jurisdiction is not declared or is not an insured place.
    #[error("unknown jurisdiction `{jurisdiction}` (known: {known}){}", did_you_mean.as_ref().map(|id| format!("; did you mean `{id}`?")).unwrap_or_default())]
    UnknownJurisdiction {
        /// As given.
        jurisdiction: String,
        /// The insured places the data declares.
        known: String,
        /// The insured place whose id is nearest to what was given, if one is close.
        did_you_mean: Option<String>,
    },
    /// Occurs when the data has no book for that year.
    #[error("the policy data has no {jurisdiction} book for {year} (years available: {available})")]
    NoBook {
        /// The jurisdiction.
        jurisdiction: String,
        /// The year asked for.
        year: PolicyYear,
        /// The years it has.
        available: String,
    },
}

impl BookError {
    /// The sentence in Chinese, beside the English of `Display`: ids quoted as given.
    pub fn zh(&self) -> String {
        let quoted = |list: &str| yibao_core::in_words_zh(&list.split(", ").collect::<Vec<_>>());
        match self {
            BookError::UnknownJurisdiction {
                jurisdiction,
                known,
                did_you_mean,
            } => format!(
                "未知的统筹地区 `{jurisdiction}`（已知：{}）{}",
                quoted(known),
                did_you_mean
                    .as_ref()
                    .map(|id| format!("；是否应为 `{id}`？"))
                    .unwrap_or_default()
            ),
            BookError::NoBook {
                jurisdiction,
                year,
                available,
            } => format!(
                "政策资料中没有 `{jurisdiction}` {year} 年度的政策（现有年度：{}）",
                available.replace(", ", "、")
            ),
        }
    }
}

/// The policy data failed its checks; the report lists every finding.
#[derive(Clone, Debug, thiserror::Error)]
#[error("the policy data has {} error(s):\n{}", report.error_count(), report.diagnostics_text())]
pub struct LoadError {
    /// The full report.
    pub report: CheckReport,
}

impl LoadError {
    /// The refusal in Chinese, beside the English of `Display`: the header, every finding
    /// ([`Diagnostic::zh`]) and the summary line.
    pub fn zh(&self) -> String {
        format!(
            "政策资料有 {} 处错误：\n{}",
            self.report.error_count(),
            self.report.diagnostics_shown(Lang::Zh)
        )
    }
}

impl PolicyLibrary {
    /// Loads and checks the policy data.
    ///
    /// # Errors
    /// [`LoadError`] with every finding when any check fails.
    pub fn load(files: &PolicyFiles) -> Result<PolicyLibrary, LoadError> {
        PolicyAnalysis::new(files).into_library()
    }

    /// The SHA-256 digest of the policy files the library was loaded from
    /// ([`PolicyFiles::digest`]): what every JSON output names its data by. A reformed
    /// library keeps the digest of the files it was reformed from.
    pub fn data_digest(&self) -> &str {
        &self.data_digest
    }

    /// The book of an insured place for a policy year.
    ///
    /// # Errors
    /// [`BookError`] for an unknown jurisdiction or a year the data does not cover.
    pub fn book(&self, jurisdiction: &str, year: PolicyYear) -> Result<&Book, BookError> {
        self.shared_book(jurisdiction, year).map(|book| &**book)
    }

    /// [`PolicyLibrary::book`], shared: a clone of the library holds the same books, and a
    /// figure computed from a book can be kept with it while the book is held.
    pub(crate) fn shared_book(
        &self,
        jurisdiction: &str,
        year: PolicyYear,
    ) -> Result<&Arc<Book>, BookError> {
        // A handful of books: a scan finds one without building a key.
        if let Some((_, book)) = self
            .books
            .iter()
            .find(|((j, y), _)| *y == year && j == jurisdiction)
        {
            return Ok(book);
        }
        // Not an id with a book: a place given by its name (`淮安市`, `Huai'an`), or unknown.
        match self.jurisdictions.insured_place_named(jurisdiction) {
            Some(id) if id != jurisdiction => return self.shared_book(id, year),
            Some(_) => {}
            None => return Err(self.unknown_jurisdiction(jurisdiction)),
        }
        let years: Vec<String> = self
            .books
            .keys()
            .filter(|(j, _)| j == jurisdiction)
            .map(|(_, y)| y.to_string())
            .collect();
        Err(BookError::NoBook {
            jurisdiction: jurisdiction.to_owned(),
            year,
            available: years.join(", "),
        })
    }

    /// The catastrophic-insurance ladder of a jurisdiction across every year the data has a
    /// book for: published schedules, and the data's reason where a year has none.
    ///
    /// # Errors
    /// [`BookError::UnknownJurisdiction`] for a jurisdiction that is not an insured place.
    pub fn catastrophic_ladder(
        &self,
        jurisdiction: &str,
    ) -> Result<yibao_catastrophic::Ladder, BookError> {
        use yibao_catastrophic::Publication;
        let jurisdiction = self
            .jurisdictions
            .insured_place_named(jurisdiction)
            .unwrap_or(jurisdiction);
        let mut ladder = yibao_catastrophic::Ladder::new(jurisdiction);
        let mut any = false;
        for book in self
            .books
            .values()
            .filter(|b| b.jurisdiction == jurisdiction)
        {
            any = true;
            let publication = match &book.catastrophic {
                Section::Present(policy) => Publication::Published(Box::new(policy.clone())),
                Section::Absent { reason } => Publication::NotPublished {
                    reason: reason.clone(),
                },
                Section::NotGiven => continue,
            };
            // Each year is inserted once: the books are keyed by year.
            let _ = ladder.insert(book.year, publication);
        }
        if !any {
            return Err(self.unknown_jurisdiction(jurisdiction));
        }
        Ok(ladder)
    }

    /// The error for a jurisdiction that is not an insured place, with the known ones and
    /// the nearest to what was given.
    fn unknown_jurisdiction(&self, given: &str) -> BookError {
        BookError::UnknownJurisdiction {
            jurisdiction: given.to_owned(),
            known: self
                .jurisdictions
                .list
                .iter()
                .filter(|j| j.insured_place)
                .map(|j| j.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            did_you_mean: self
                .jurisdictions
                .nearest_insured_place(given)
                .map(str::to_owned),
        }
    }

    /// Every book, by jurisdiction then year.
    pub fn books(&self) -> impl Iterator<Item = &Book> {
        self.books.values().map(|book| &**book)
    }
}

/// One row of the coverage matrix.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CoverageRow {
    /// The jurisdiction.
    pub jurisdiction: String,
    /// The policy year.
    pub year: PolicyYear,
    /// Each section's coverage, in [`SECTIONS`] order (without `settlement`).
    pub sections: Vec<(&'static str, Coverage)>,
}

/// Everything `check-policies` found.
#[derive(Clone, Debug, Default)]
pub struct CheckReport {
    /// The findings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// The coverage matrix.
    pub coverage: Vec<CoverageRow>,
    /// How many files were read.
    pub files_read: usize,
}

impl CheckReport {
    /// How many findings are errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// How many findings are warnings.
    pub fn warning_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// The findings, one per line, and the summary line.
    pub fn diagnostics_text(&self) -> String {
        self.diagnostics_shown(Lang::En)
    }

    /// [`CheckReport::diagnostics_text`] in `lang`: each finding as [`Diagnostic::shown`]
    /// writes it, and the summary line (`共 2 处错误、0 处警告`).
    pub fn diagnostics_shown(&self, lang: Lang) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            out.push_str(&d.shown(lang));
            out.push('\n');
        }
        let (errors, warnings) = (self.error_count(), self.warning_count());
        out.push_str(&match lang {
            Lang::En => format!("{errors} error(s), {warnings} warning(s)\n"),
            Lang::Zh => format!("共 {errors} 处错误、{warnings} 处警告\n"),
        });
        out
    }

    /// The coverage matrix as a text table.
    pub fn coverage_text(&self) -> String {
        self.coverage_shown(Lang::En)
    }

    /// [`CheckReport::coverage_text`] in `lang`: the legend and the first two columns' names
    /// in that language, the sections by their keys.
    pub fn coverage_shown(&self, lang: Lang) -> String {
        let sections: Vec<&str> = SECTIONS
            .iter()
            .copied()
            .filter(|s| *s != "settlement")
            .collect();
        let (legend, place, year) = match lang {
            Lang::En => (
                "coverage (P given here, I inherited from a higher level, A absent from the sources, - not given)",
                "jurisdiction",
                "year",
            ),
            Lang::Zh => (
                "覆盖情况（P 本级给出，I 继承自上级，A 来源未公布，- 未给出）",
                "统筹地区",
                "年度",
            ),
        };
        let mut out = format!("{legend}\n");
        out.push_str(&pad(place, 12));
        out.push(' ');
        out.push_str(&pad(year, 4));
        for s in &sections {
            out.push_str(&format!("  {s}"));
        }
        out.push('\n');
        for row in &self.coverage {
            out.push_str(&format!("{:<12} {:<4}", row.jurisdiction, row.year));
            for (s, c) in &row.sections {
                out.push_str(&format!("  {:<width$}", c.letter(), width = s.len()));
            }
            out.push('\n');
        }
        out
    }
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\n{}", self.coverage_text(), self.diagnostics_text())
    }
}

/// Checks all the policy data and reports every finding and the coverage matrix. With
/// `sources`, every registered quote is also looked up in its source text.
pub fn check(files: &PolicyFiles, sources: Option<&SourceTexts>) -> CheckReport {
    PolicyAnalysis::with_sources(files, sources).into_report()
}

/// The findings of one stage of the analysis, and how file names are shown in them.
struct Analysis<'f> {
    label: &'f str,
    found: Vec<Diagnostic>,
}

impl Analysis<'_> {
    /// A path as shown to a person, as [`PolicyFiles::display_path`] shows it.
    fn display_path(&self, path: &str) -> String {
        format!("{}/{path}", self.label)
    }

    fn document(&mut self, path: &str, text: &str) -> Option<Document> {
        match Document::parse(self.display_path(path), text) {
            Ok(doc) => Some(doc),
            Err(d) => {
                self.found.push(*d);
                None
            }
        }
    }

    fn typed<T: serde::de::DeserializeOwned>(
        &mut self,
        doc: &Document,
        value: toml::Value,
    ) -> Option<T> {
        match decode::<T>(value) {
            Ok(v) => Some(v),
            Err(finding) => {
                self.found.push(doc.at(*finding));
                None
            }
        }
    }

    /// An error about a whole file, at its first line, in English and in Chinese.
    fn file_error(&mut self, path: &str, code: &'static str, en: String, zh: String) {
        let mut d = Diagnostic::error(code, KeyPath::root(), en, zh);
        d.location = Some(Location {
            file: self.display_path(path),
            line: 1,
            column: 1,
        });
        self.found.push(d);
    }
}

fn section_coverage(merged: &Merged<'_>, jurisdiction: &str, section: &str) -> Coverage {
    if merged.table.contains_key(section) {
        if merged
            .levels_setting(section)
            .iter()
            .any(|l| l == jurisdiction)
        {
            Coverage::Present
        } else {
            Coverage::Inherited
        }
    } else if merged.absent_reason(section).is_some() {
        Coverage::Absent
    } else {
        Coverage::NotGiven
    }
}

fn build_book(
    merged: Merged<'_>,
    jurisdiction: &str,
    year: PolicyYear,
    found: &mut Vec<Diagnostic>,
) -> Book {
    let settlement = merged.section::<SettlementParams>("settlement", found);
    let enrolment = merged.section("enrolment", found);
    let benefits = merged.section("benefits", found);
    let remote_care = merged.section("remote_care", found);
    let catastrophic = merged.section("catastrophic", found);
    let filing = merged.section("filing", found);
    check_class_categories(&merged, &enrolment, &catastrophic, found);
    let mut origins = BTreeMap::new();
    for section in SECTIONS {
        let coverage = section_coverage(&merged, jurisdiction, section);
        origins.insert(section, (coverage, merged.levels_setting(section)));
    }
    Book {
        jurisdiction: jurisdiction.to_owned(),
        year,
        settlement,
        enrolment,
        benefits,
        remote_care,
        catastrophic,
        filing,
        origins,
        values: merged.into_values(),
    }
}

/// `text` padded with spaces to `width` columns, a Chinese character taking two.
fn pad(text: &str, width: usize) -> String {
    let columns: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(columns)))
}
