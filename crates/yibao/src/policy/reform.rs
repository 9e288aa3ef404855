//! Reforms: a policy book with changes, for the question "what would this change cost?".
//!
//! A [`Reform`] is a partial policy file (`--reform FILE`: the same shape as the files of
//! `policy-data/`, every key optional) and settings (`--set path=value`, applied after the
//! file, in order). [`Book::reformed`] merges them over a book — tables key by key, any other
//! value (a number, a word, a list) replaced whole — and checks the result exactly as a policy
//! file is checked: the same decoding, the same validations, the same messages. A finding is
//! located in the reform file (file, line, column and key) or named by its `--set` argument.
//!
//! A reform changes values of a book the data has: it cannot make a book for a year the
//! sources do not give. The reformed book keeps the citations (`rules`) of the values it did
//! not change; the values it changed are set by the level `reform` (see
//! [`BookValue::set_by`](super::BookValue)), never by a source.
//!
//! ```
//! use yibao::core::PolicyYear;
//! use yibao::policy::{PolicyFiles, PolicyLibrary, Reform};
//!
//! let library = PolicyLibrary::load(&PolicyFiles::embedded()).unwrap();
//! let mut reform = Reform::default();
//! reform.set("benefits.inpatient.ratio.by_level.level_3=70%").unwrap();
//! let year = PolicyYear::new(2026).unwrap();
//! let reformed = library.reformed("huaian", year, &reform).unwrap();
//! let book = reformed.book("huaian", year).unwrap();
//! let changed = book.values.iter().find(|v| v.key == "benefits.inpatient.ratio.by_level.level_3").unwrap();
//! assert_eq!((changed.value.as_str(), changed.set_by.as_str()), ("70%", "reform"));
//!
//! let mut typo = Reform::default();
//! typo.set("benefits.inpatient.ratio.by_level.levl_3=70%").unwrap();
//! let error = library.reformed("huaian", year, &typo).unwrap_err();
//! assert!(error.to_string().contains("nearest known key: `benefits.inpatient.ratio.by_level.level_3`"));
//! ```

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use yibao_core::{Diagnostic, KeyPath, Lang, PolicyYear, Term};

use super::book::{Book, Merged, SECTIONS};
use super::document::Document;
use super::{Analysis, BookError, Meta, PolicyLibrary, build_book, walk_values};

/// The level that sets the values a reform changes.
pub const REFORM_LEVEL: &str = "reform";

/// How the `--set` settings are shown as the file of the values they set.
const SETTINGS_FILE: &str = "--set";

/// Changes to a policy book: a partial policy file and `path=value` settings.
#[derive(Clone, Debug, Default)]
pub struct Reform {
    file: Option<Document>,
    settings: Vec<Setting>,
}

/// One `--set path=value`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Setting {
    /// As given, for messages.
    argument: String,
    path: Vec<String>,
    value: String,
}

/// Why a reform could not be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReformError {
    /// Occurs when there is no book to reform.
    #[error(transparent)]
    Book(#[from] BookError),
    /// Occurs when the reform, or the book it makes, fails a check: every finding.
    #[error("{}", Findings(.0))]
    Invalid(Vec<Diagnostic>),
}

impl ReformError {
    /// The sentence in Chinese, beside the English of `Display`: the header and every
    /// finding in Chinese ([`Diagnostic::zh`]).
    pub fn zh(&self) -> String {
        self.shown(Lang::Zh)
    }

    /// The refusal in `lang`: `Display`'s English or [`ReformError::zh`].
    pub fn shown(&self, lang: Lang) -> String {
        match (self, lang) {
            (ReformError::Book(e), Lang::En) => e.to_string(),
            (ReformError::Book(e), Lang::Zh) => e.zh(),
            (ReformError::Invalid(findings), Lang::En) => Findings(findings).to_string(),
            (ReformError::Invalid(findings), Lang::Zh) => {
                let mut text = format!("改革方案有 {} 处错误：", findings.len());
                for d in findings {
                    text += &format!("\n{}", d.zh());
                }
                text
            }
        }
    }
}

/// Findings, one per line.
struct Findings<'a>(&'a [Diagnostic]);

impl fmt::Display for Findings<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the reform has {} error(s):", self.0.len())?;
        for d in self.0 {
            write!(f, "\n{d}")?;
        }
        Ok(())
    }
}

impl Reform {
    /// A reform from a partial policy file.
    ///
    /// # Errors
    /// [`ReformError::Invalid`] when the text is not TOML (located at its line and column).
    pub fn from_file(display: impl Into<String>, text: &str) -> Result<Reform, ReformError> {
        let doc =
            Document::parse(display.into(), text).map_err(|d| ReformError::Invalid(vec![*d]))?;
        Ok(Reform {
            file: Some(doc),
            settings: Vec::new(),
        })
    }

    /// Adds a `path=value` setting (applied after the file and the settings before it). The
    /// path is the dotted key path of the policy files (`benefits.inpatient.ratio.by_level.level_3`);
    /// the value is written as the policy file writes that key (`70%`, `1200`); a list is
    /// written as in TOML (`["a", "b"]`).
    ///
    /// # Errors
    /// [`ReformError::Invalid`] when the setting has no `=`, or its path is empty or not a
    /// dotted key path.
    pub fn set(&mut self, argument: &str) -> Result<(), ReformError> {
        let invalid = |why: &str, why_zh: &str| {
            ReformError::Invalid(vec![Diagnostic::error(
                "malformed-setting",
                KeyPath::root(),
                format!("--set `{argument}`: {why}"),
                format!("--set `{argument}`：{why_zh}"),
            )])
        };
        let Some((path, value)) = argument.split_once('=') else {
            return Err(invalid(
                "expected `path=value`, e.g. `benefits.inpatient.ratio.by_level.level_3=70%`",
                "应写作 `path=value`（键路径=值），如 `benefits.inpatient.ratio.by_level.level_3=70%`",
            ));
        };
        let path: Vec<String> = path.trim().split('.').map(str::to_owned).collect();
        let bare = |key: &String| {
            !key.is_empty()
                && key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        };
        if !path.iter().all(bare) {
            return Err(invalid(
                "the path must be dotted keys (letters, digits, `_`, `-`), e.g. `benefits.inpatient.annual_fund_cap`",
                "键路径须为以 `.` 连接的键（由字母、数字、`_`、`-` 组成），如 `benefits.inpatient.annual_fund_cap`",
            ));
        }
        self.settings.push(Setting {
            argument: argument.to_owned(),
            path,
            value: value.trim().to_owned(),
        });
        Ok(())
    }

    /// Whether the reform changes nothing (no file, no setting).
    pub fn is_empty(&self) -> bool {
        self.file.is_none() && self.settings.is_empty()
    }

    /// How the reform is shown: its file and settings.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self.file.iter().map(|d| d.display.clone()).collect();
        parts.extend(
            self.settings
                .iter()
                .map(|s| format!("--set {}", s.argument)),
        );
        parts.join(" ")
    }
}

impl PolicyLibrary {
    /// The library with the book of `jurisdiction` and `year` reformed; every other book is
    /// shared with this library.
    ///
    /// # Errors
    /// [`ReformError::Book`] when the data has no such book; [`ReformError::Invalid`] with
    /// every finding when the reform or the reformed book fails a check.
    pub fn reformed(
        &self,
        jurisdiction: &str,
        year: PolicyYear,
        reform: &Reform,
    ) -> Result<PolicyLibrary, ReformError> {
        let book = self.book(jurisdiction, year)?.reformed(reform)?;
        let mut library = self.clone();
        library
            .books
            .insert((jurisdiction.to_owned(), year), Arc::new(book));
        Ok(library)
    }
}

impl Book {
    /// This book with the reform merged over it, checked as a policy file is checked.
    ///
    /// # Errors
    /// [`ReformError::Invalid`] with every finding.
    pub fn reformed(&self, reform: &Reform) -> Result<Book, ReformError> {
        let mut found = Vec::new();
        let mut merged = Merged::of_values(&self.values);
        if let Some(doc) = &reform.file {
            check_file(self, doc, &mut found);
            merged.merge(
                doc.table.clone(),
                Some(doc),
                REFORM_LEVEL.to_owned(),
                doc.display.clone(),
            );
        }
        for setting in &reform.settings {
            match setting_table(&merged.table, setting) {
                Ok(table) => merged.merge(
                    table,
                    None,
                    REFORM_LEVEL.to_owned(),
                    SETTINGS_FILE.to_owned(),
                ),
                Err(finding) => found.push(*finding),
            }
        }
        if !found.is_empty() {
            return Err(ReformError::Invalid(found));
        }
        let known = leaf_paths(&self.values);
        let book = build_book(merged, &self.jurisdiction, self.year, &mut found);
        let errors: Vec<Diagnostic> = found
            .into_iter()
            .filter(Diagnostic::is_error)
            .map(|d| attribute(d, reform, &known))
            .collect();
        if errors.is_empty() {
            Ok(book)
        } else {
            Err(ReformError::Invalid(errors))
        }
    }
}

/// The reform file's own checks: its `[meta]` (optional; when given, the book's jurisdiction
/// and year), its sections (known ones), bare dates and rule ids. Its values need no citation:
/// they come from the reform.
fn check_file(book: &Book, doc: &Document, found: &mut Vec<Diagnostic>) {
    let mut a = Analysis {
        label: "",
        found: Vec::new(),
    };
    for (key, value) in &doc.table {
        let path = KeyPath::root().key(key.clone());
        match key.as_str() {
            "meta" => {
                if let Some(meta) = a.typed::<Meta>(doc, value.clone()) {
                    check_meta(book, doc, &meta, &mut a.found);
                }
            }
            "absent" => a.found.push(doc.at(Diagnostic::error(
                "invalid-value",
                path,
                "a reform changes values the book has; it cannot declare a section absent from the sources",
                "改革方案只能修改政策中已有的数值，不能把某一部分声明为来源缺失",
            ))),
            section if SECTIONS.contains(&section) => {
                walk_values(&mut a, doc, value, &path, true, &BTreeSet::new());
            }
            _ => a.found.push(doc.at(Diagnostic::error(
                "unknown-key",
                path,
                format!(
                    "`{key}` is not a section (expected meta, {})",
                    SECTIONS.join(", ")
                ),
                format!(
                    "`{key}` 不是政策文件的组成部分（应为 `meta`、{} 之一）",
                    yibao_core::in_words_zh(&SECTIONS)
                ),
            ))),
        }
    }
    found.extend(a.found);
}

fn check_meta(book: &Book, doc: &Document, meta: &Meta, found: &mut Vec<Diagnostic>) {
    let at = KeyPath::root().key("meta");
    if meta.jurisdiction != book.jurisdiction {
        found.push(doc.at(Diagnostic::error(
            "meta-mismatch",
            at.clone().key("jurisdiction"),
            format!(
                "the reform says `{}` but reforms the {} book",
                meta.jurisdiction, book.jurisdiction
            ),
            format!(
                "改革方案写的是 `{}`，但修改的是 `{}` 的政策",
                meta.jurisdiction, book.jurisdiction
            ),
        )));
    }
    if let Some(year) = meta.year.filter(|y| *y != book.year) {
        found.push(doc.at(Diagnostic::error(
            "meta-mismatch",
            at.key("year"),
            format!("the reform says {year} but reforms the {} book", book.year),
            format!(
                "改革方案写的是 {year} 年度，但修改的是 {} 年度的政策",
                book.year
            ),
        )));
    }
}

/// A setting as a nested table to merge, the value read as the book writes the value it
/// replaces; or why it cannot be.
fn setting_table(book: &toml::Table, setting: &Setting) -> Result<toml::Table, Box<Diagnostic>> {
    let path = setting
        .path
        .iter()
        .fold(KeyPath::root(), |p, k| p.key(k.clone()));
    let fail = |code: &'static str, (why, why_zh): (String, String)| {
        Box::new(Diagnostic::error(
            code,
            path.clone(),
            format!("--set `{}`: {why}", setting.argument),
            format!("--set `{}`：{why_zh}", setting.argument),
        ))
    };
    let mut table = book;
    let mut at = KeyPath::root();
    let Some((last, parents)) = setting.path.split_last() else {
        return Err(fail(
            "malformed-setting",
            ("the path is empty".to_owned(), "键路径为空".to_owned()),
        ));
    };
    for key in parents {
        at = at.key(key.clone());
        table = match table.get(key) {
            Some(toml::Value::Table(inner)) => inner,
            Some(other) => {
                return Err(fail(
                    "not-a-table",
                    (
                        format!(
                            "`{at}` is {}, not a table: there is no key under it",
                            kind_of(other).en
                        ),
                        format!("`{at}` 是{}，不是表：其下没有键", kind_of(other).zh),
                    ),
                ));
            }
            None => {
                let (near, near_zh) = nearest(book, &path);
                return Err(fail(
                    "unknown-key",
                    (
                        format!("the book has no `{at}`{near}"),
                        format!("政策中没有 `{at}`{near_zh}"),
                    ),
                ));
            }
        };
    }
    let value = match table.get(last) {
        Some(toml::Value::Table(inner)) => {
            let keys: Vec<&str> = inner.keys().map(String::as_str).collect();
            return Err(fail(
                "not-a-value",
                (
                    format!(
                        "`{path}` is a table: set one of its keys ({})",
                        keys.join(", ")
                    ),
                    format!(
                        "`{path}` 是一张表：请设置其中的一个键（{}）",
                        yibao_core::in_words_zh(&keys)
                    ),
                ),
            ));
        }
        Some(current) => {
            read_like(current, &setting.value).map_err(|why| fail("invalid-value", why))?
        }
        // A key the book lacks: the schema decides (an unknown key is refused by the
        // section's decoding, and named with the nearest known key).
        None => read_any(&setting.value),
    };
    let mut nested = toml::Table::new();
    nested.insert(last.clone(), value);
    for key in parents.iter().rev() {
        let mut outer = toml::Table::new();
        outer.insert(key.clone(), toml::Value::Table(nested));
        nested = outer;
    }
    Ok(nested)
}

/// The value, read as the same kind as `current` is written in the book; or why not, in
/// English and in Chinese.
fn read_like(current: &toml::Value, text: &str) -> Result<toml::Value, (String, String)> {
    let literal = parse_literal(text);
    match (current, literal) {
        (toml::Value::String(_), Some(toml::Value::String(s))) => Ok(toml::Value::String(s)),
        (toml::Value::String(_), _) => Ok(toml::Value::String(text.to_owned())),
        (toml::Value::Integer(_), Some(v @ toml::Value::Integer(_)))
        | (toml::Value::Float(_), Some(v @ (toml::Value::Float(_) | toml::Value::Integer(_))))
        | (toml::Value::Boolean(_), Some(v @ toml::Value::Boolean(_)))
        | (toml::Value::Array(_), Some(v @ toml::Value::Array(_))) => Ok(match v {
            toml::Value::Integer(i) if current.is_float() => toml::Value::Float(i as f64),
            v => v,
        }),
        (current, _) => Err((
            format!(
                "`{text}` is not {}, as the book writes this key (it is `{current}`)",
                kind_of(current).en
            ),
            format!(
                "`{text}` 不是{}，而政策中此键写作{}（现为 `{current}`）",
                kind_of(current).zh,
                kind_of(current).zh
            ),
        )),
    }
}

/// A value for a key the book lacks: a TOML literal when it reads as one, else a word.
fn read_any(text: &str) -> toml::Value {
    parse_literal(text).unwrap_or_else(|| toml::Value::String(text.to_owned()))
}

fn parse_literal(text: &str) -> Option<toml::Value> {
    let mut table = format!("v = {text}").parse::<toml::Table>().ok()?;
    table.remove("v")
}

fn kind_of(value: &toml::Value) -> Term {
    match value {
        toml::Value::String(_) => Term::new("a word or an amount in quotes", "带引号的词或金额"),
        toml::Value::Integer(_) => Term::new("a whole number", "整数"),
        toml::Value::Float(_) => Term::new("a number", "数字"),
        toml::Value::Boolean(_) => Term::new("true or false", "`true` 或 `false`"),
        toml::Value::Datetime(_) => Term::new("a date", "日期"),
        toml::Value::Array(_) => Term::new("a list", "列表"),
        toml::Value::Table(_) => Term::new("a table", "表"),
    }
}

/// Every key path of the book that holds a value or a table (for suggestions).
fn leaf_paths(values: &super::BookValues) -> Vec<String> {
    let mut paths: BTreeSet<String> = BTreeSet::new();
    for value in values {
        let mut prefix = String::new();
        for part in value.key.split('.') {
            if !prefix.is_empty() {
                prefix.push('.');
            }
            prefix.push_str(part);
            paths.insert(prefix.clone());
        }
    }
    paths.into_iter().collect()
}

/// `; nearest known key: `…`` for a path the book lacks (by edit distance), or nothing; in
/// English and in Chinese.
fn nearest(book: &toml::Table, path: &KeyPath) -> (String, String) {
    let mut known = Vec::new();
    collect_paths(book, String::new(), &mut known);
    suggestion(&known, &path.to_string())
}

fn collect_paths(table: &toml::Table, at: String, out: &mut Vec<String>) {
    for (key, value) in table {
        let path = if at.is_empty() {
            key.clone()
        } else {
            format!("{at}.{key}")
        };
        if let toml::Value::Table(inner) = value {
            collect_paths(inner, path.clone(), out);
        }
        out.push(path);
    }
}

fn suggestion(known: &[String], path: &str) -> (String, String) {
    let keys = known
        .iter()
        .map(String::as_str)
        .filter(|k| !k.ends_with(".rules") && !k.ends_with(".reading"));
    crate::nearest::nearest(path, keys)
        .map(|k| {
            (
                format!("; nearest known key: `{k}`"),
                format!("；最接近的已知键：`{k}`"),
            )
        })
        .unwrap_or_default()
}

/// A finding of the reformed book, said in the reform's terms: a finding at a value a
/// setting set names the setting (and for an unknown key, the nearest known one); any other
/// finding is located in the reform file, or at its first line when the value it is about
/// was not set by the file (a check across values).
fn attribute(mut finding: Diagnostic, reform: &Reform, known: &[String]) -> Diagnostic {
    let text = finding.path.to_string();
    let under = |inner: &str, outer: &str| {
        inner == outer
            || inner.starts_with(&format!("{outer}."))
            || inner.starts_with(&format!("{outer}["))
    };
    // The setting that set the value the finding is about; else, for a finding the reform
    // file does not place, the last setting below the table it is about (a value decoded
    // with its table, e.g. a whole number out of its type).
    let settings = || reform.settings.iter().rev();
    let setting = settings()
        .find(|s| under(&text, &s.path.join(".")))
        .or_else(|| {
            let placed = finding.location.is_some();
            settings().find(|s| !placed && !text.is_empty() && under(&s.path.join("."), &text))
        });
    if finding.code == "unknown-key" {
        let (en, zh) = suggestion(known, &text);
        finding = finding.followed_by(&en, &zh);
    }
    match (setting, &reform.file) {
        (Some(setting), _) => {
            let set = format!("--set `{}`", setting.argument);
            finding = finding.prefixed(&set, &set);
        }
        (None, Some(doc)) if finding.location.is_none() => {
            finding.location = Some(doc.locate(&finding.path));
        }
        (None, None) => {
            // A check across values that a setting broke.
            let changes = reform.describe();
            finding = finding.prefixed(
                &format!("with {changes}"),
                &format!("按 `{changes}` 修改后"),
            );
        }
        (None, Some(_)) => {}
    }
    finding
}

mod difference;
#[cfg(test)]
mod tests;

pub use difference::YuanDifference;
