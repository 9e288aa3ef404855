//! The analysis of the policy data, in two stages so that it can be done again with one file
//! replaced. First each file is read on its own (a [`Reading`]: parsed and typed, with the
//! findings of reading it); then what needs several files is built from the readings: the
//! checks across files, the checks of each policy file (against the registry and the
//! hierarchy), the calendar and the books, each piece keeping the readings it was built from.
//!
//! [`PolicyAnalysis::with_file_replaced`] reads the one file again and rebuilds only the
//! pieces whose readings are not the very readings they were built from; the others, and the
//! readings of the other files, are shared with the analysis it starts from. Each piece is a
//! function of its readings alone, so the result is the one a full analysis of the changed
//! files gives: the same findings, the same coverage, the same books.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use yibao_core::{
    Diagnostic, HolidayNotice, KeyPath, Location, PolicyYear, RuleId, WorkingDayCalendar,
};

use super::book::{Book, Merged, SECTIONS};
use super::document::Document;
use super::{
    Analysis, CheckReport, CoverageRow, FileYear, Jurisdictions, LoadError, PolicyFiles,
    PolicyLibrary, Registry, SourceTexts, build_book, check_policy_file, section_coverage,
};

/// One file of the policy data, read on its own.
struct Reading {
    what: FileKind,
    /// The findings of reading it alone: its syntax, its types, its name.
    found: Vec<Diagnostic>,
    /// Its text, for the data's digest.
    text: String,
}

/// What a file is, by its path, and what reading it gave.
enum FileKind {
    /// `sources.toml`.
    Registry {
        doc: Option<Document>,
        registry: Option<Registry>,
    },
    /// `jurisdictions.toml`.
    Jurisdictions {
        doc: Option<Document>,
        jurisdictions: Option<Jurisdictions>,
    },
    /// `calendar/cn-holidays/<year>.json`, and its notice when it holds one.
    Notice(Option<HolidayNotice>),
    /// `<jurisdiction>/<year>.toml` or `<jurisdiction>/every-year.toml`.
    Policy {
        key: (String, FileYear),
        doc: Option<Document>,
    },
    /// A `.md` file: not read, not counted.
    NotRead,
    /// Any other file: read only to say so.
    Unexpected,
}

impl Reading {
    fn doc(&self) -> Option<&Document> {
        match &self.what {
            FileKind::Registry { doc, .. }
            | FileKind::Jurisdictions { doc, .. }
            | FileKind::Policy { doc, .. } => doc.as_ref(),
            _ => None,
        }
    }
}

/// Reads one file on its own.
fn read(label: &str, path: &str, text: &str) -> Reading {
    let mut a = Analysis {
        label,
        found: Vec::new(),
    };
    let parts: Vec<&str> = path.split('/').collect();
    let what = match parts.as_slice() {
        ["sources.toml"] => {
            let doc = a.document(path, text);
            let registry = doc
                .as_ref()
                .and_then(|doc| a.typed::<Registry>(doc, toml::Value::Table(doc.table.clone())));
            FileKind::Registry { doc, registry }
        }
        ["jurisdictions.toml"] => {
            let doc = a.document(path, text);
            let jurisdictions = doc.as_ref().and_then(|doc| {
                a.typed::<Jurisdictions>(doc, toml::Value::Table(doc.table.clone()))
            });
            FileKind::Jurisdictions { doc, jurisdictions }
        }
        ["calendar", "cn-holidays", name] if name.ends_with(".json") => {
            FileKind::Notice(read_notice(&mut a, path, name, text))
        }
        [.., last] if last.ends_with(".md") => FileKind::NotRead,
        [jurisdiction, name] if name.ends_with(".toml") => {
            let stem = name.trim_end_matches(".toml");
            let file_year = if stem == "every-year" {
                Some(FileYear::EveryYear)
            } else {
                stem.parse::<i64>()
                    .ok()
                    .and_then(|y| PolicyYear::new(y).ok())
                    .map(FileYear::Year)
            };
            match file_year {
                Some(file_year) => FileKind::Policy {
                    key: ((*jurisdiction).to_owned(), file_year),
                    doc: a.document(path, text),
                },
                None => {
                    a.file_error(
                        path,
                        "bad-file-name",
                        format!("`{name}` is neither `every-year.toml` nor `<policy year>.toml`"),
                        format!("文件名 `{name}` 既不是 `every-year.toml`，也不是 `<年度>.toml`"),
                    );
                    FileKind::Unexpected
                }
            }
        }
        _ => {
            let mut d = Diagnostic::warning(
                "unexpected-file",
                KeyPath::root(),
                "the loader does not read this file (policy files are `<jurisdiction>/<year>.toml` or `<jurisdiction>/every-year.toml`)",
                "加载时不读取此文件（政策文件应为 `<统筹地区>/<年度>.toml` 或 `<统筹地区>/every-year.toml`）",
            );
            d.location = Some(Location {
                file: a.display_path(path),
                line: 1,
                column: 1,
            });
            a.found.push(d);
            FileKind::Unexpected
        }
    };
    Reading {
        what,
        found: a.found,
        text: text.to_owned(),
    }
}

fn read_notice(a: &mut Analysis<'_>, path: &str, name: &str, text: &str) -> Option<HolidayNotice> {
    match serde_json::from_str::<HolidayNotice>(text) {
        Ok(notice) => {
            if name.strip_suffix(".json") != Some(notice.year.to_string().as_str()) {
                a.file_error(
                    path,
                    "calendar-year-mismatch",
                    format!(
                        "the file is named {name} but holds the notice for {}",
                        notice.year
                    ),
                    format!(
                        "文件名为 `{name}`，但其中是 {} 年的节假日安排通知",
                        notice.year
                    ),
                );
            }
            Some(notice)
        }
        Err(e) => {
            let mut d = Diagnostic::error(
                "calendar-invalid",
                KeyPath::root(),
                format!("not a holiday notice: {e}"),
                format!(
                    "不是有效的节假日安排通知：{}",
                    super::reader_zh::json_zh(&e)
                ),
            );
            d.location = Some(Location {
                file: a.display_path(path),
                line: u32::try_from(e.line()).unwrap_or(0),
                column: u32::try_from(e.column()).unwrap_or(0),
            });
            a.found.push(d);
            None
        }
    }
}

/// Whether two pieces were built from the very same reading (or both from none).
fn same(a: Option<&Arc<Reading>>, b: Option<&Arc<Reading>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// The findings of one policy file checked against the registry and the hierarchy.
struct Checked {
    doc: Arc<Reading>,
    registry: Option<Arc<Reading>>,
    jurisdictions: Option<Arc<Reading>>,
    found: Vec<Diagnostic>,
}

/// The calendar, from the notices (by path).
struct CalendarBuilt {
    notices: Vec<(String, Arc<Reading>)>,
    calendar: Option<WorkingDayCalendar>,
    found: Vec<Diagnostic>,
}

/// One insured place's policy year: its coverage row and, when it has a file of its own,
/// its book and the findings of building it.
struct YearBuilt {
    /// The policy files merged, top level first, each with its level.
    docs: Vec<(Arc<Reading>, String)>,
    coverage: CoverageRow,
    book: Option<(Arc<Book>, Vec<Diagnostic>)>,
}

/// The policy data analysed: every file read, every check done, every book built, each
/// piece kept with the readings it was built from, so that the data with one file replaced
/// is analysed again rebuilding only what depends on that file
/// ([`PolicyAnalysis::with_file_replaced`]).
#[derive(Clone)]
pub struct PolicyAnalysis {
    label: String,
    readings: BTreeMap<String, Arc<Reading>>,
    checks: BTreeMap<(String, FileYear), Arc<Checked>>,
    calendar: Arc<CalendarBuilt>,
    years: BTreeMap<(String, PolicyYear), Arc<YearBuilt>>,
    report: CheckReport,
    /// The library, when nothing is wrong.
    library: Option<PolicyLibrary>,
}

impl std::fmt::Debug for PolicyAnalysis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicyAnalysis")
            .field("label", &self.label)
            .field("files", &self.readings.keys().collect::<Vec<_>>())
            .field("report", &self.report)
            .finish_non_exhaustive()
    }
}

impl PolicyAnalysis {
    /// Reads and checks all the policy data, as [`PolicyLibrary::load`] does.
    pub fn new(files: &PolicyFiles) -> PolicyAnalysis {
        PolicyAnalysis::with_sources(files, None)
    }

    /// Reads and checks all the policy data; with `sources`, every registered quote is also
    /// looked up in its source text.
    pub(crate) fn with_sources(
        files: &PolicyFiles,
        sources: Option<&SourceTexts>,
    ) -> PolicyAnalysis {
        let label = files.label();
        let readings = files
            .iter()
            .map(|(path, text)| (path.to_owned(), Arc::new(read(label, path, text))))
            .collect();
        build(label.to_owned(), readings, sources, None)
    }

    /// The analysis of the same data with the file at `path` replaced by `text` (or added):
    /// that file is read again and only what depends on it is rebuilt. The result is the one
    /// [`PolicyAnalysis::new`] gives for the changed files.
    pub fn with_file_replaced(&self, path: &str, text: &str) -> PolicyAnalysis {
        let mut readings = self.readings.clone();
        readings.insert(path.to_owned(), Arc::new(read(&self.label, path, text)));
        build(self.label.clone(), readings, None, Some(self))
    }

    /// Every finding and the coverage matrix.
    pub fn report(&self) -> &CheckReport {
        &self.report
    }

    /// The report, without the rest.
    pub fn into_report(self) -> CheckReport {
        self.report
    }

    /// The library, as [`PolicyLibrary::load`] gives it.
    ///
    /// # Errors
    /// [`LoadError`] with every finding when any check fails.
    pub fn into_library(self) -> Result<PolicyLibrary, LoadError> {
        match self.library {
            Some(library) => Ok(library),
            None => Err(LoadError {
                report: self.report,
            }),
        }
    }
}

/// The second stage: what needs several files, from the readings; each piece of `before`
/// whose readings are the same is taken as it is.
fn build(
    label: String,
    readings: BTreeMap<String, Arc<Reading>>,
    sources: Option<&SourceTexts>,
    before: Option<&PolicyAnalysis>,
) -> PolicyAnalysis {
    let mut found: Vec<Diagnostic> = Vec::new();
    let mut registry = None;
    let mut jurisdictions = None;
    let mut notices = Vec::new();
    let mut policy_docs: BTreeMap<(String, FileYear), &Arc<Reading>> = BTreeMap::new();
    // The policy files by name, whether or not they parse.
    let mut present: BTreeSet<(String, FileYear)> = BTreeSet::new();
    let mut files_read = 0;
    for (path, reading) in &readings {
        found.extend(reading.found.iter().cloned());
        match &reading.what {
            FileKind::NotRead => continue,
            FileKind::Registry { .. } => registry = Some(reading),
            FileKind::Jurisdictions { .. } => jurisdictions = Some(reading),
            FileKind::Notice(_) => notices.push((path.clone(), Arc::clone(reading))),
            FileKind::Policy { key, doc } => {
                present.insert(key.clone());
                if doc.is_some() {
                    policy_docs.insert(key.clone(), reading);
                }
            }
            FileKind::Unexpected => {}
        }
        files_read += 1;
    }
    let typed_registry = registry.and_then(|r| match &r.what {
        FileKind::Registry { registry, .. } => registry.as_ref(),
        _ => None,
    });
    let typed_jurisdictions = jurisdictions.and_then(|r| match &r.what {
        FileKind::Jurisdictions { jurisdictions, .. } => jurisdictions.as_ref(),
        _ => None,
    });
    let mut a = Analysis {
        label: &label,
        found,
    };
    check_across(
        &mut a,
        &readings,
        registry.and_then(|r| r.doc()).zip(typed_registry),
        jurisdictions.and_then(|r| r.doc()).zip(typed_jurisdictions),
        &present,
        sources,
    );
    let context = Context {
        registry,
        jurisdictions,
        typed_registry,
        typed_jurisdictions,
    };
    let checks = check_policy_files(&mut a, &policy_docs, &context, before);
    let calendar = build_calendar(&mut a, notices, before);
    let years = match typed_jurisdictions {
        Some(j) => build_years(j, &policy_docs, before),
        None => Vec::new(),
    };
    let (report, mut library) = finish(a, &calendar, &years, files_read, &context);
    if let Some(library) = library.as_mut() {
        library.data_digest = super::files::digest_of(
            readings
                .iter()
                .map(|(path, reading)| (path.as_str(), reading.text.as_str())),
        );
    }
    PolicyAnalysis {
        label,
        readings,
        checks,
        calendar,
        years: years.into_iter().collect(),
        report,
        library,
    }
}

/// The registry and the hierarchy, as read.
struct Context<'r> {
    registry: Option<&'r Arc<Reading>>,
    jurisdictions: Option<&'r Arc<Reading>>,
    typed_registry: Option<&'r Registry>,
    typed_jurisdictions: Option<&'r Jurisdictions>,
}

/// The checks across files: the files required, the hierarchy against the files present, the
/// registry against the hierarchy (and the source texts).
fn check_across(
    a: &mut Analysis<'_>,
    readings: &BTreeMap<String, Arc<Reading>>,
    registry: Option<(&Document, &Registry)>,
    jurisdictions: Option<(&Document, &Jurisdictions)>,
    present: &BTreeSet<(String, FileYear)>,
    sources: Option<&SourceTexts>,
) {
    let registry_doc = readings.get("sources.toml").and_then(|r| r.doc());
    let jurisdictions_doc = readings.get("jurisdictions.toml").and_then(|r| r.doc());
    for (required, present) in [
        ("sources.toml", registry_doc.is_some()),
        ("jurisdictions.toml", jurisdictions_doc.is_some()),
    ] {
        if !present && !readings.contains_key(required) {
            a.file_error(
                required,
                "missing-file",
                format!("{required} is missing"),
                format!("缺少 `{required}`"),
            );
        }
    }
    let known = jurisdictions.map(|(_, j)| j.ids()).unwrap_or_default();
    if let Some((doc, j)) = jurisdictions {
        for finding in j.validate() {
            a.found.push(doc.at(finding));
        }
        let provides = |id: &str, year: Option<PolicyYear>| match year {
            Some(year) => present.contains(&(id.to_owned(), FileYear::Year(year))),
            None => present.iter().any(|(jid, _)| jid == id),
        };
        for finding in j.unprovided(provides) {
            a.found.push(doc.at(finding));
        }
    }
    if let Some((doc, r)) = registry {
        for finding in r.validate(&known) {
            a.found.push(doc.at(finding));
        }
        if let Some(texts) = sources {
            for finding in r.verify_quotes(texts) {
                a.found.push(doc.at(finding));
            }
        }
    }
}

/// Each policy file checked against the registry and the hierarchy; a file checked before
/// against the same readings keeps its findings.
fn check_policy_files(
    a: &mut Analysis<'_>,
    policy_docs: &BTreeMap<(String, FileYear), &Arc<Reading>>,
    context: &Context<'_>,
    before: Option<&PolicyAnalysis>,
) -> BTreeMap<(String, FileYear), Arc<Checked>> {
    let mut checks = BTreeMap::new();
    let mut known_and_registered: Option<(BTreeSet<String>, BTreeSet<RuleId>)> = None;
    for (key, reading) in policy_docs {
        let kept = before.and_then(|b| b.checks.get(key)).filter(|c| {
            Arc::ptr_eq(&c.doc, reading)
                && same(c.registry.as_ref(), context.registry)
                && same(c.jurisdictions.as_ref(), context.jurisdictions)
        });
        let checked = match kept {
            Some(checked) => Arc::clone(checked),
            None => {
                let (known, registered) = known_and_registered.get_or_insert_with(|| {
                    (
                        context
                            .typed_jurisdictions
                            .map(Jurisdictions::ids)
                            .unwrap_or_default(),
                        context
                            .typed_registry
                            .map(|r| r.rules.iter().map(|rule| rule.id).collect())
                            .unwrap_or_default(),
                    )
                });
                let mut file = Analysis {
                    label: a.label,
                    found: Vec::new(),
                };
                if let Some(doc) = reading.doc() {
                    check_policy_file(
                        &mut file,
                        doc,
                        &key.0,
                        key.1,
                        known,
                        context.typed_registry,
                        registered,
                    );
                }
                Arc::new(Checked {
                    doc: Arc::clone(reading),
                    registry: context.registry.cloned(),
                    jurisdictions: context.jurisdictions.cloned(),
                    found: file.found,
                })
            }
        };
        a.found.extend(checked.found.iter().cloned());
        checks.insert(key.clone(), checked);
    }
    checks
}

/// The working-day calendar from the notices (the one before when built from the same
/// readings), and the findings about it.
fn build_calendar(
    a: &mut Analysis<'_>,
    notices: Vec<(String, Arc<Reading>)>,
    before: Option<&PolicyAnalysis>,
) -> Arc<CalendarBuilt> {
    if notices.is_empty() {
        a.file_error(
            "calendar/cn-holidays",
            "missing-file",
            "no holiday notice (calendar/cn-holidays/<year>.json) was found".to_owned(),
            "未找到任何节假日安排通知（`calendar/cn-holidays/<年份>.json`）".to_owned(),
        );
    }
    let kept = before.map(|b| &b.calendar).filter(|c| {
        c.notices.len() == notices.len()
            && c.notices
                .iter()
                .zip(&notices)
                .all(|((p, r), (q, s))| p == q && Arc::ptr_eq(r, s))
    });
    let built = match kept {
        Some(built) => Arc::clone(built),
        None => {
            let mut sub = Analysis {
                label: a.label,
                found: Vec::new(),
            };
            let mut read: Vec<(&str, &HolidayNotice)> = notices
                .iter()
                .filter_map(|(path, r)| match &r.what {
                    FileKind::Notice(Some(notice)) => Some((path.as_str(), notice)),
                    _ => None,
                })
                .collect();
            read.sort_by_key(|(_, n)| n.year);
            let calendar_notices: Vec<HolidayNotice> =
                read.iter().map(|(_, n)| (*n).clone()).collect();
            let calendar = match WorkingDayCalendar::from_notices(&calendar_notices) {
                Ok(calendar) => Some(calendar),
                Err(error) => {
                    let path = match &error {
                        yibao_core::CalendarError::Contradiction { date } => read
                            .iter()
                            .find(|(_, n)| n.days.iter().any(|d| d.date == *date))
                            .map(|(p, _)| (*p).to_owned()),
                        _ => None,
                    }
                    .unwrap_or_else(|| "calendar/cn-holidays".to_owned());
                    sub.file_error(&path, "calendar-invalid", error.to_string(), error.zh());
                    None
                }
            };
            Arc::new(CalendarBuilt {
                notices,
                calendar,
                found: sub.found,
            })
        }
    };
    a.found.extend(built.found.iter().cloned());
    built
}

/// Every insured place's policy years, in the order of the hierarchy then by year; a year
/// merged before from the same files at the same levels is taken as it was.
fn build_years(
    j: &Jurisdictions,
    policy_docs: &BTreeMap<(String, FileYear), &Arc<Reading>>,
    before: Option<&PolicyAnalysis>,
) -> Vec<((String, PolicyYear), Arc<YearBuilt>)> {
    let mut built = Vec::new();
    for place in j.list.iter().filter(|p| p.insured_place) {
        let chain = j.chain(&place.id);
        let mut years: BTreeSet<PolicyYear> = BTreeSet::new();
        let (first, last) = (j.coverage.first_year.get(), j.coverage.last_year.get());
        years.extend((first..=last).filter_map(|y| PolicyYear::new(i64::from(y)).ok()));
        for level in &chain {
            for (jid, fy) in policy_docs.keys() {
                if let (true, FileYear::Year(y)) = (jid == &level.id, fy) {
                    years.insert(*y);
                }
            }
        }
        for year in years {
            let mut docs = Vec::new();
            for level in &chain {
                for fy in [FileYear::EveryYear, FileYear::Year(year)] {
                    if let Some(reading) = policy_docs.get(&(level.id.clone(), fy)) {
                        docs.push((Arc::clone(reading), level.id.clone()));
                    }
                }
            }
            let key = (place.id.clone(), year);
            let kept = before.and_then(|b| b.years.get(&key)).filter(|y| {
                y.docs.len() == docs.len()
                    && y.docs
                        .iter()
                        .zip(&docs)
                        .all(|((r, l), (s, m))| Arc::ptr_eq(r, s) && l == m)
            });
            let year_built = match kept {
                Some(kept) => Arc::clone(kept),
                None => Arc::new(build_year(&place.id, year, docs)),
            };
            built.push((key, year_built));
        }
    }
    built
}

/// One place's policy year from its files, top level first.
fn build_year(place: &str, year: PolicyYear, docs: Vec<(Arc<Reading>, String)>) -> YearBuilt {
    let merged = Merged::new(
        docs.iter()
            .filter_map(|(reading, level)| reading.doc().map(|doc| (doc, level.clone())))
            .collect(),
    );
    // A place with no file of its own for the year has no book: what higher levels set is
    // reported in the coverage matrix, but nobody is insured under a province's rules alone.
    let own_file = docs.iter().any(|(_, level)| level == place);
    let coverage = CoverageRow {
        jurisdiction: place.to_owned(),
        year,
        sections: SECTIONS
            .iter()
            .filter(|s| **s != "settlement")
            .map(|s| (*s, section_coverage(&merged, place, s)))
            .collect(),
    };
    let book = own_file.then(|| {
        let mut found = Vec::new();
        let book = build_book(merged, place, year, &mut found);
        (Arc::new(book), found)
    });
    YearBuilt {
        docs,
        coverage,
        book,
    }
}

/// The findings sorted (each once), the report, and the library when nothing is wrong.
fn finish(
    a: Analysis<'_>,
    calendar: &CalendarBuilt,
    built: &[((String, PolicyYear), Arc<YearBuilt>)],
    files_read: usize,
    context: &Context<'_>,
) -> (CheckReport, Option<PolicyLibrary>) {
    let mut diagnostics = a.found;
    let mut books = BTreeMap::new();
    let mut coverage = Vec::new();
    for ((place, year), year_built) in built {
        coverage.push(year_built.coverage.clone());
        if let Some((book, found)) = &year_built.book {
            diagnostics.extend(found.iter().cloned());
            books.insert((place.clone(), *year), Arc::clone(book));
        }
    }
    let mut seen = BTreeSet::new();
    diagnostics.retain(|d| seen.insert(d.to_string()));
    diagnostics.sort_by(|x, y| {
        let key = |d: &Diagnostic| {
            d.location
                .as_ref()
                .map(|l| (l.file.clone(), l.line, l.column))
                .unwrap_or_default()
        };
        key(x)
            .cmp(&key(y))
            .then_with(|| x.to_string().cmp(&y.to_string()))
    });
    let report = CheckReport {
        diagnostics,
        coverage,
        files_read,
    };
    let library = match (
        context.typed_registry,
        context.typed_jurisdictions,
        &calendar.calendar,
    ) {
        (Some(registry), Some(jurisdictions), Some(calendar)) if report.error_count() == 0 => {
            Some(PolicyLibrary {
                registry: registry.clone(),
                jurisdictions: jurisdictions.clone(),
                calendar: calendar.clone(),
                books,
                data_digest: String::new(),
            })
        }
        _ => None,
    };
    (report, library)
}
