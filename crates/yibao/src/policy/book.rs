//! Policy books: the values in force for one jurisdiction and policy year, merged down the
//! jurisdiction hierarchy, each value remembering the file (and so the level) that set it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde::de::DeserializeOwned;
use yibao_core::{Diagnostic, KeyPath, KeySegment, Location, PolicyYear, RoundingMode, Validate};

use super::document::{Document, child_index, child_key};

/// The top-level sections a policy file may hold besides `meta` and `absent`, each owned by
/// one crate.
pub const SECTIONS: [&str; 6] = [
    "settlement",
    "enrolment",
    "benefits",
    "remote_care",
    "catastrophic",
    "filing",
];

/// A section of a book: given, declared absent from the sources, or simply not there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Section<T> {
    /// The sources give it; these are its values.
    Present(T),
    /// The data says the sources do not give it, and why.
    Absent {
        /// The reason, as written in the data's `[absent]` table.
        reason: String,
    },
    /// Neither given nor declared absent.
    NotGiven,
}

impl<T> Section<T> {
    /// The values, if present.
    pub fn present(&self) -> Option<&T> {
        match self {
            Section::Present(values) => Some(values),
            _ => None,
        }
    }
}

/// Where a section of a book comes from, for the coverage report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Set by the jurisdiction's own files.
    Present,
    /// Set only by a higher level and inherited.
    Inherited,
    /// Declared absent from the sources.
    Absent,
    /// Neither given nor declared absent.
    NotGiven,
}

impl Coverage {
    /// One-letter code for the matrix.
    pub fn letter(self) -> char {
        match self {
            Coverage::Present => 'P',
            Coverage::Inherited => 'I',
            Coverage::Absent => 'A',
            Coverage::NotGiven => '-',
        }
    }
}

/// The rounding convention of a book (`[settlement]`, set once for Jiangsu).
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettlementParams {
    /// How settled amounts are rounded to the fen.
    pub rounding: RoundingMode,
    /// The POLICY-NOTES reading behind it.
    pub reading: String,
}

impl Validate for SettlementParams {
    fn validate(&self) -> Vec<Diagnostic> {
        Vec::new()
    }
}

/// The values in force for one jurisdiction and policy year.
#[derive(Clone, Debug)]
pub struct Book {
    /// The jurisdiction.
    pub jurisdiction: String,
    /// The policy year.
    pub year: PolicyYear,
    /// The rounding convention.
    pub settlement: Section<SettlementParams>,
    /// Contributions, windows, categories, waiting periods (参保缴费).
    pub enrolment: Section<yibao_enrolment::EnrolmentSection>,
    /// Basic-fund benefits per claim kind (基本医疗保险待遇).
    pub benefits: Section<yibao_benefits::BenefitParams>,
    /// The ratio cut per remote-care treatment (异地就医).
    pub remote_care: Section<yibao_benefits::RemoteCareParams>,
    /// Catastrophic insurance (大病保险): thresholds, bands, cap and incentives.
    pub catastrophic: Section<yibao_catastrophic::CatastrophicPolicy>,
    /// Remote-care filing (异地就医备案): types, approval, validity, places, claim deadlines.
    pub filing: Section<yibao_filing::FilingPolicy>,
    /// Where each section comes from, and which levels set it.
    pub origins: BTreeMap<&'static str, (Coverage, Vec<String>)>,
    /// Every value of the book (sections and `[absent]`), flattened to key paths, with the
    /// level and file that set it; computed on first use.
    pub values: BookValues,
}

/// A book's values, flattened on first use (only `policies show` and `diff` need them).
/// Dereferences to `[BookValue]`.
#[derive(Clone, Debug)]
pub struct BookValues {
    table: toml::Table,
    origin: BTreeMap<String, usize>,
    levels: Vec<(String, String)>,
    flat: std::sync::OnceLock<Vec<BookValue>>,
}

impl std::ops::Deref for BookValues {
    type Target = [BookValue];

    fn deref(&self) -> &[BookValue] {
        self.flat.get_or_init(|| {
            let mut out = Vec::new();
            flatten_into(&self.table, "", None, &mut out, self);
            out
        })
    }
}

impl<'a> IntoIterator for &'a BookValues {
    type Item = &'a BookValue;
    type IntoIter = std::slice::Iter<'a, BookValue>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// One value of a book, for display and comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct BookValue {
    /// The key path, e.g. `benefits.inpatient.deductible.level_1`.
    pub key: String,
    /// The value as text (strings without quotes, lists as `[a, b]`).
    pub value: String,
    /// The jurisdiction whose file set it.
    pub set_by: String,
    /// That file, as shown to a person.
    pub file: String,
}

impl Book {
    /// How settled amounts are rounded in this book (the project's reading when the data
    /// sets nothing).
    pub fn rounding(&self) -> RoundingMode {
        self.settlement
            .present()
            .map_or(RoundingMode::default(), |s| s.rounding)
    }

    /// Where a section comes from.
    pub fn coverage(&self, section: &str) -> Coverage {
        self.origins
            .get(section)
            .map_or(Coverage::NotGiven, |(coverage, _)| *coverage)
    }

    /// The levels (jurisdiction ids, top first) that set values of a section.
    pub fn set_by(&self, section: &str) -> &[String] {
        self.origins
            .get(section)
            .map_or(&[], |(_, levels)| levels.as_slice())
    }
}

/// The merged values of a jurisdiction-year, with the document each key came from.
pub(crate) struct Merged<'d> {
    pub table: toml::Table,
    origin: BTreeMap<String, usize>,
    docs: Vec<MergedLevel<'d>>,
}

/// One level of a merge: the jurisdiction (or `reform`) that set values, how its file is
/// shown, and the file itself when it is at hand to locate findings in.
pub(crate) struct MergedLevel<'d> {
    pub doc: Option<&'d Document>,
    pub jurisdiction: String,
    pub display: String,
}

impl<'d> Merged<'d> {
    /// Merges the documents in order (later wins), each with the jurisdiction it belongs to.
    pub fn new(docs: Vec<(&'d Document, String)>) -> Merged<'d> {
        let mut merged = Merged {
            table: toml::Table::new(),
            origin: BTreeMap::new(),
            docs: Vec::with_capacity(docs.len()),
        };
        for (doc, jurisdiction) in docs {
            merged.merge(
                doc.table.clone(),
                Some(doc),
                jurisdiction,
                doc.display.clone(),
            );
        }
        merged
    }

    /// The merged values of a book, to merge more over (a reform); the files of its levels
    /// are not at hand, so findings at values the book set are not located.
    pub fn of_values(values: &BookValues) -> Merged<'d> {
        Merged {
            table: values.table.clone(),
            origin: values.origin.clone(),
            docs: values
                .levels
                .iter()
                .map(|(jurisdiction, display)| MergedLevel {
                    doc: None,
                    jurisdiction: jurisdiction.clone(),
                    display: display.clone(),
                })
                .collect(),
        }
    }

    /// Merges a table over the values (later wins: tables key by key, any other value
    /// replaced whole), as one more level.
    pub fn merge(
        &mut self,
        mut source: toml::Table,
        doc: Option<&'d Document>,
        jurisdiction: String,
        display: String,
    ) {
        source.remove("meta");
        let index = self.docs.len();
        self.docs.push(MergedLevel {
            doc,
            jurisdiction,
            display,
        });
        let mut target = std::mem::take(&mut self.table);
        merge_into(&mut target, source, "", index, &mut self.origin);
        self.table = target;
    }

    fn doc_of(&self, path: &KeyPath) -> Option<&'d Document> {
        let mut segments = path.segments().to_vec();
        loop {
            let text = text_of(&segments);
            if let Some(index) = self.origin.get(&text) {
                return self.docs.get(*index).and_then(|level| level.doc);
            }
            segments.pop()?;
        }
    }

    /// The location of a key path, in the file that set it.
    pub fn locate(&self, path: &KeyPath) -> Option<Location> {
        self.doc_of(path).map(|doc| doc.locate(path))
    }

    /// The jurisdictions (top first, no repeats) whose files set something under `section`.
    pub fn levels_setting(&self, section: &str) -> Vec<String> {
        let mut levels = Vec::new();
        let mut seen = BTreeSet::new();
        let prefix = format!("{section}.");
        for (index, MergedLevel { jurisdiction, .. }) in self.docs.iter().enumerate() {
            let sets = self
                .origin
                .iter()
                .any(|(key, i)| *i == index && (key == section || key.starts_with(&prefix)));
            if sets && seen.insert(jurisdiction.clone()) {
                levels.push(jurisdiction.clone());
            }
        }
        levels
    }

    /// The merged values, kept for display, each with the level and file that set it.
    pub fn into_values(self) -> BookValues {
        BookValues {
            levels: self
                .docs
                .iter()
                .map(|level| (level.jurisdiction.clone(), level.display.clone()))
                .collect(),
            table: self.table,
            origin: self.origin,
            flat: std::sync::OnceLock::new(),
        }
    }

    /// The reason given in `[absent]` for a section, if any.
    pub fn absent_reason(&self, section: &str) -> Option<String> {
        self.table
            .get("absent")
            .and_then(|a| a.get(section))
            .and_then(|r| r.as_str())
            .map(str::to_owned)
    }

    /// Decodes one section into its typed parameters and validates them; every problem is
    /// located and pushed to `found`.
    pub fn section<T: DeserializeOwned + Validate>(
        &self,
        name: &str,
        found: &mut Vec<Diagnostic>,
    ) -> Section<T> {
        let Some(value) = self.table.get(name) else {
            return match self.absent_reason(name) {
                Some(reason) => Section::Absent { reason },
                None => Section::NotGiven,
            };
        };
        let prefix = KeyPath::root().key(name);
        if self.absent_reason(name).is_some() {
            found.push(self.located(Diagnostic::error(
                "absent-and-present",
                KeyPath::root().key("absent").key(name),
                format!("section `{name}` is given and also declared absent; keep one"),
                format!("`{name}` 部分既已给出，又声明为缺失；请只保留其一"),
            )));
        }
        match decode::<T>(value.clone()) {
            Ok(params) => {
                for finding in params.validate() {
                    found.push(self.located(finding.under(&prefix)));
                }
                Section::Present(params)
            }
            Err(finding) => {
                found.push(self.located(finding.under(&prefix)));
                Section::NotGiven
            }
        }
    }

    /// The finding with its location filled in.
    pub fn located(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        diagnostic.location = self.locate(&diagnostic.path);
        diagnostic
    }
}

fn flatten_into(
    table: &toml::Table,
    at: &str,
    inherited: Option<usize>,
    out: &mut Vec<BookValue>,
    merged: &BookValues,
) {
    for (key, value) in table {
        let path = child_key(at, key);
        let origin = merged.origin.get(&path).copied().or(inherited);
        flatten_value(value, path, origin, out, merged);
    }
}

fn flatten_value(
    value: &toml::Value,
    path: String,
    origin: Option<usize>,
    out: &mut Vec<BookValue>,
    merged: &BookValues,
) {
    match value {
        toml::Value::Table(inner) => flatten_into(inner, &path, origin, out, merged),
        toml::Value::Array(items)
            if !items.is_empty() && items.iter().all(toml::Value::is_table) =>
        {
            for (i, item) in items.iter().enumerate() {
                let element = child_index(&path, i);
                let origin = merged.origin.get(&element).copied().or(origin);
                flatten_value(item, element, origin, out, merged);
            }
        }
        leaf => {
            let (set_by, file) = origin
                .and_then(|i| merged.levels.get(i))
                .cloned()
                .unwrap_or_default();
            out.push(BookValue {
                key: path,
                value: display_value(leaf),
                set_by,
                file,
            });
        }
    }
}

fn display_value(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(display_value).collect();
            format!("[{}]", parts.join(", "))
        }
        toml::Value::Table(table) => {
            let parts: Vec<String> = table
                .iter()
                .map(|(k, v)| format!("{k} = {}", display_value(v)))
                .collect();
            format!("{{ {} }}", parts.join(", "))
        }
        other => other.to_string(),
    }
}

fn text_of(segments: &[KeySegment]) -> String {
    segments
        .iter()
        .fold(KeyPath::root(), |path, segment| match segment {
            KeySegment::Key(k) => path.key(k.clone()),
            KeySegment::Index(i) => path.index(*i),
        })
        .to_string()
}

fn merge_into(
    target: &mut toml::Table,
    source: toml::Table,
    at: &str,
    doc: usize,
    origin: &mut BTreeMap<String, usize>,
) {
    for (key, value) in source {
        let text = child_key(at, &key);
        match (target.get_mut(&key), value) {
            (Some(toml::Value::Table(existing)), toml::Value::Table(incoming)) => {
                merge_into(existing, incoming, &text, doc, origin);
            }
            (existing, value) => {
                // A replaced value takes the origins of everything below it with it.
                if existing.is_some() {
                    origin.retain(|k, _| {
                        k.strip_prefix(text.as_str()).is_none_or(|rest| {
                            !(rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
                        })
                    });
                }
                origin.insert(text, doc);
                target.insert(key, value);
            }
        }
    }
}

/// Deserialises a value, or says where (relative to the value) and why it failed, in English
/// and in Chinese. The Chinese siblings of its prose (`reading_zh` beside `reading`) are
/// dropped first: the typed structs know only the English.
pub(crate) fn decode<T: DeserializeOwned>(value: toml::Value) -> Result<T, Box<Diagnostic>> {
    let value = yibao_core::prose::without_chinese(value);
    serde_path_to_error::deserialize::<_, T>(value).map_err(|error| {
        let mut path = KeyPath::root();
        for segment in error.path().iter() {
            path = match segment {
                serde_path_to_error::Segment::Seq { index } => path.index(*index),
                serde_path_to_error::Segment::Map { key } => path.key(key.clone()),
                serde_path_to_error::Segment::Enum { variant } => path.key(variant.clone()),
                serde_path_to_error::Segment::Unknown => path,
            };
        }
        let message = error.inner().message().trim_end_matches('.').to_owned();
        let code = if message.starts_with("unknown field") {
            "unknown-key"
        } else if message.starts_with("missing field") {
            "missing-key"
        } else {
            "invalid-value"
        };
        let zh = super::reader_zh::decoded_zh(&message);
        Box::new(Diagnostic::error(code, path, message, zh))
    })
}
