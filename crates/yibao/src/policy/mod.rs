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
mod document;
mod files;
mod jurisdiction;
mod prose;
mod reform;
mod registry;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use serde::Deserialize;
use yibao_core::{Diagnostic, KeyPath, Location, PolicyYear, RuleId, Severity, WorkingDayCalendar};

pub use analysis::PolicyAnalysis;
pub use book::{Book, BookValue, BookValues, Coverage, SECTIONS, Section, SettlementParams};
pub use files::{FilesError, PolicyFiles};
pub use jurisdiction::{CoverageYears, Jurisdiction, Jurisdictions};
pub use reform::{REFORM_LEVEL, Reform, ReformError, YuanDifference};
pub use registry::{RegisteredQuote, RegisteredRule, Registry, SourceDocument, SourceTexts};

use book::{Merged, decode};
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
        let mut out = String::new();
        for d in &self.diagnostics {
            out.push_str(&d.to_string());
            out.push('\n');
        }
        out.push_str(&format!(
            "{} error(s), {} warning(s)\n",
            self.error_count(),
            self.warning_count()
        ));
        out
    }

    /// The coverage matrix as a text table.
    pub fn coverage_text(&self) -> String {
        let sections: Vec<&str> = SECTIONS
            .iter()
            .copied()
            .filter(|s| *s != "settlement")
            .collect();
        let mut out = String::from(
            "coverage (P given here, I inherited from a higher level, A absent from the sources, - not given)\n",
        );
        out.push_str(&format!("{:<12} {:<4}", "jurisdiction", "year"));
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
                self.found.push(d);
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
            Err((path, code, message)) => {
                self.found
                    .push(doc.at(Diagnostic::error(code, path, message)));
                None
            }
        }
    }

    fn file_error(&mut self, path: &str, code: &'static str, message: String) {
        let mut d = Diagnostic::error(code, KeyPath::root(), message);
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

/// H1: the categories a catastrophic class lists must be enrolment categories of the book, or
/// their members would silently fall into the ordinary class.
fn check_class_categories(
    merged: &Merged<'_>,
    enrolment: &Section<yibao_enrolment::EnrolmentSection>,
    catastrophic: &Section<yibao_catastrophic::CatastrophicPolicy>,
    found: &mut Vec<Diagnostic>,
) {
    // Without both sections there is nothing to compare (a section that failed to decode
    // has its own finding).
    let (Section::Present(policy), Section::Present(section)) = (catastrophic, enrolment) else {
        return;
    };
    let Some(links) = &policy.class_categories else {
        return;
    };
    let known: Vec<&str> = section.categories.iter().map(|c| c.id.as_str()).collect();
    for (key, listed) in [
        ("ordinary", &links.ordinary),
        ("medical_aid_recipient", &links.medical_aid_recipient),
    ] {
        for (i, category) in listed.iter().enumerate() {
            if !known.contains(&category.as_str()) {
                let at = KeyPath::root()
                    .key("catastrophic")
                    .key("class_categories")
                    .key(key)
                    .index(i);
                found.push(merged.located(Diagnostic::error(
                    "unknown-class-category",
                    at,
                    format!(
                        "`{category}` is not an enrolment category of this book (known: {})",
                        known.join(", ")
                    ),
                )));
            }
        }
    }
}

fn check_policy_file(
    a: &mut Analysis<'_>,
    doc: &Document,
    jurisdiction: &str,
    file_year: FileYear,
    known: &BTreeSet<String>,
    registry: Option<&Registry>,
    registered: &BTreeSet<RuleId>,
) {
    if !known.is_empty() && !known.contains(jurisdiction) {
        a.found.push(doc.at(Diagnostic::error(
            "unknown-jurisdiction",
            KeyPath::root(),
            format!("folder `{jurisdiction}` is not a jurisdiction of jurisdictions.toml"),
        )));
    }
    check_meta(a, doc, jurisdiction, file_year, registry);
    check_sections(a, doc, registered);
    for finding in prose::check(&doc.table) {
        a.found.push(doc.at(finding));
    }
}

/// The file's `[meta]`: present, its jurisdiction and year those of the file's folder and
/// name, its source one of `sources.toml`.
fn check_meta(
    a: &mut Analysis<'_>,
    doc: &Document,
    jurisdiction: &str,
    file_year: FileYear,
    registry: Option<&Registry>,
) {
    match doc.table.get("meta") {
        None => a.found.push(doc.at(Diagnostic::error(
            "missing-key",
            KeyPath::root(),
            "the file has no [meta] table (jurisdiction, and year for a year file)",
        ))),
        Some(value) => {
            let meta_path = KeyPath::root().key("meta");
            match decode::<Meta>(value.clone()) {
                Err((path, code, message)) => {
                    a.found
                        .push(doc.at(Diagnostic::error(code, path.under(&meta_path), message)));
                }
                Ok(meta) => {
                    if meta.jurisdiction != jurisdiction {
                        a.found.push(doc.at(Diagnostic::error(
                            "meta-mismatch",
                            meta_path.clone().key("jurisdiction"),
                            format!(
                                "meta says `{}` but the file is in folder `{jurisdiction}`",
                                meta.jurisdiction
                            ),
                        )));
                    }
                    match (file_year, meta.year) {
                        (FileYear::Year(y), Some(m)) if y != m => a.found.push(doc.at(Diagnostic::error(
                            "meta-mismatch",
                            meta_path.clone().key("year"),
                            format!("meta says {m} but the file is named {y}.toml"),
                        ))),
                        (FileYear::Year(y), None) => a.found.push(doc.at(Diagnostic::error(
                            "missing-key",
                            meta_path.clone(),
                            format!("a year file needs `year = {y}` in [meta]"),
                        ))),
                        (FileYear::EveryYear, Some(m)) => a.found.push(doc.at(Diagnostic::error(
                            "meta-mismatch",
                            meta_path.clone().key("year"),
                            format!("every-year.toml holds values for every year; remove `year = {m}` or rename the file {m}.toml"),
                        ))),
                        _ => {}
                    }
                    if let (Some(source), Some(registry)) = (&meta.source, registry) {
                        if registry.source(source).is_none() {
                            a.found.push(doc.at(Diagnostic::error(
                                "unknown-source",
                                meta_path.clone().key("source"),
                                format!("source `{source}` is not in sources.toml"),
                            )));
                        }
                    }
                }
            }
        }
    }
}

/// The file's tables other than `[meta]`: `[absent]` with a reason per section, and known
/// sections, each walked for citations.
fn check_sections(a: &mut Analysis<'_>, doc: &Document, registered: &BTreeSet<RuleId>) {
    for (key, value) in &doc.table {
        let path = KeyPath::root().key(key.clone());
        if key == "meta" {
            continue;
        }
        if key == "absent" {
            match value.as_table() {
                Some(absent) => {
                    for (section, reason) in absent {
                        if prose::english_of(section, absent, true).is_some() {
                            // A reason's Chinese, checked by `prose::check`.
                            continue;
                        }
                        let at = path.clone().key(section.clone());
                        if !SECTIONS.contains(&section.as_str()) {
                            a.found.push(doc.at(Diagnostic::error(
                                "unknown-key",
                                at.clone(),
                                format!(
                                    "`{section}` is not a section (sections: {})",
                                    SECTIONS.join(", ")
                                ),
                            )));
                        }
                        if reason.as_str().is_none_or(|r| r.trim().is_empty()) {
                            a.found.push(doc.at(Diagnostic::error(
                                "invalid-value",
                                at,
                                "an absence needs its reason as text, e.g. \"the sources publish no … for …\"",
                            )));
                        }
                    }
                }
                None => a.found.push(doc.at(Diagnostic::error(
                    "invalid-value",
                    path,
                    "[absent] must be a table of section = \"reason\"",
                ))),
            }
            continue;
        }
        if !SECTIONS.contains(&key.as_str()) {
            a.found.push(doc.at(Diagnostic::error(
                "unknown-key",
                path,
                format!(
                    "`{key}` is not a section (expected meta, absent, {})",
                    SECTIONS.join(", ")
                ),
            )));
            continue;
        }
        let cited = key == "settlement";
        walk_values(a, doc, value, &path, cited, registered);
    }
}

/// Citations, uncited numbers and bare dates, everywhere below a section.
fn walk_values(
    a: &mut Analysis<'_>,
    doc: &Document,
    value: &toml::Value,
    path: &KeyPath,
    cited: bool,
    registered: &BTreeSet<RuleId>,
) {
    match value {
        toml::Value::Table(table) => {
            let cited = cited || table.contains_key("rules");
            for (key, child) in table {
                let at = path.clone().key(key.clone());
                if key == "rules" {
                    check_rules(a, doc, child, &at, registered);
                } else if !matches!(key.as_str(), "reading" | "note" | "description")
                    && prose::english_of(key, table, false).is_none()
                {
                    walk_values(a, doc, child, &at, cited, registered);
                }
            }
        }
        toml::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_values(a, doc, item, &path.clone().index(i), cited, registered);
            }
        }
        toml::Value::Datetime(date) => a.found.push(doc.at(Diagnostic::error(
            "bare-date",
            path.clone(),
            format!("write the date as a string, \"{date}\" (a bare TOML date does not read as a calendar date)"),
        ))),
        scalar => {
            if !cited && looks_numeric(scalar) {
                a.found.push(doc.at(Diagnostic::error(
                    "uncited-number",
                    path.clone(),
                    format!("{scalar} cites no rule: add `rules = [\"…\"]` to its table"),
                )));
            }
        }
    }
}

fn looks_numeric(value: &toml::Value) -> bool {
    match value {
        toml::Value::Integer(_) | toml::Value::Float(_) => true,
        toml::Value::String(s) => {
            let s = s.strip_suffix('%').unwrap_or(s);
            !s.is_empty()
                && s.bytes().any(|b| b.is_ascii_digit())
                && s.bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        }
        _ => false,
    }
}

fn check_rules(
    a: &mut Analysis<'_>,
    doc: &Document,
    value: &toml::Value,
    path: &KeyPath,
    registered: &BTreeSet<RuleId>,
) {
    let Some(items) = value.as_array() else {
        a.found.push(doc.at(Diagnostic::error(
            "invalid-value",
            path.clone(),
            "`rules` must be a list of rule ids, e.g. [\"H14\"]",
        )));
        return;
    };
    if items.is_empty() {
        a.found.push(doc.at(Diagnostic::error(
            "invalid-value",
            path.clone(),
            "`rules` is empty: cite at least one rule id",
        )));
    }
    for (i, item) in items.iter().enumerate() {
        let at = path.clone().index(i);
        let text = item.as_str().unwrap_or_default();
        match text.parse::<RuleId>() {
            Err(e) => {
                a.found
                    .push(doc.at(Diagnostic::error("malformed-rule-id", at, e.to_string())))
            }
            Ok(id) if !registered.is_empty() && !registered.contains(&id) => {
                a.found.push(doc.at(Diagnostic::error(
                    "unknown-rule",
                    at,
                    format!("rule {id} is not registered in sources.toml"),
                )))
            }
            Ok(_) => {}
        }
    }
}
