//! The source registry (`policy-data/sources.toml`): the source documents and every rule id
//! with its locator and verbatim quotes.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use yibao_core::{Diagnostic, KeyPath, QuoteId, QuoteKey, RuleId};

/// One source document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceDocument {
    /// Stable id, e.g. `huaian-2026`.
    pub id: String,
    /// File name of the document in the sources folder.
    pub file: String,
    /// Title as the document gives it.
    pub title: String,
    /// Issuer as the document shows it.
    pub issuer: String,
    /// Policy year the document is about; `None` for an undated document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The jurisdiction it is about.
    pub jurisdiction: String,
    /// The letter of its rule ids (`K`, `H`, `W`).
    pub rule_prefix: String,
    /// A remark on the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One registered rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisteredRule {
    /// The rule id.
    pub id: RuleId,
    /// The id of its source document.
    pub source: String,
    /// Where in the document (section, question number).
    pub locator: String,
    /// A short English summary.
    pub title: String,
    /// Passages copied verbatim from the document, each under its key.
    pub quotes: Vec<RegisteredQuote>,
}

/// One quote of a rule: a passage copied verbatim from the document, at the grain of a fact
/// (a sentence, a table row, a note), under a key; `H14.row.level_3` is the quote keyed
/// `row.level_3` of rule H14.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisteredQuote {
    /// The key, unique within the rule: lower-case words joined by `_` and `.`.
    pub key: String,
    /// The passage, verbatim.
    pub text: String,
}

impl RegisteredRule {
    /// The quote a step naming `key` shows: the quote registered under `key`, else under the
    /// nearest key it narrows (`row.level_3`, then `row`).
    pub fn quote(&self, key: QuoteKey) -> Option<&RegisteredQuote> {
        let mut key = key.as_str();
        loop {
            if let Some(quote) = self.quotes.iter().find(|q| q.key == key) {
                return Some(quote);
            }
            key = &key[..key.rfind('.')?];
        }
    }
}

/// The whole registry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registry {
    /// The source documents.
    #[serde(rename = "source")]
    pub sources: Vec<SourceDocument>,
    /// The rules, in order.
    #[serde(rename = "rule")]
    pub rules: Vec<RegisteredRule>,
}

impl Registry {
    /// The registered rule with this id.
    pub fn rule(&self, id: RuleId) -> Option<&RegisteredRule> {
        self.rules.iter().find(|rule| rule.id == id)
    }

    /// The quote `id` (or the nearest key it narrows, see [`RegisteredRule::quote`]).
    pub fn quote(&self, id: QuoteId) -> Option<&RegisteredQuote> {
        self.rule(id.rule)?.quote(id.key)
    }

    /// The quote an explanation step shows, with its rule: the quote the step names
    /// (`named`, possibly of another rule of its citation), else its rule's first. The one
    /// choice behind `--explain` and the FHIR process notes.
    pub fn shown_quote(
        &self,
        rule: RuleId,
        named: Option<QuoteId>,
    ) -> Option<(&RegisteredRule, &RegisteredQuote)> {
        named
            .and_then(|id| {
                let registered = self.rule(id.rule)?;
                Some((registered, registered.quote(id.key)?))
            })
            .or_else(|| {
                let registered = self.rule(rule)?;
                Some((registered, registered.quotes.first()?))
            })
    }

    /// The source document with this id.
    pub fn source(&self, id: &str) -> Option<&SourceDocument> {
        self.sources.iter().find(|source| source.id == id)
    }

    /// Every consistency problem, with key paths into `sources.toml`.
    pub(crate) fn validate(&self, jurisdictions: &BTreeSet<String>) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        let mut source_ids = BTreeSet::new();
        for (i, source) in self.sources.iter().enumerate() {
            let at = KeyPath::root().key("source").index(i);
            if !source_ids.insert(source.id.as_str()) {
                found.push(Diagnostic::error(
                    "duplicate-id",
                    at.clone().key("id"),
                    format!("source `{}` is registered twice", source.id),
                    format!("来源 `{}` 重复登记", source.id),
                ));
            }
            if !jurisdictions.is_empty() && !jurisdictions.contains(&source.jurisdiction) {
                found.push(Diagnostic::error(
                    "unknown-jurisdiction",
                    at.clone().key("jurisdiction"),
                    format!(
                        "source `{}` names jurisdiction `{}`, which jurisdictions.toml does not declare",
                        source.id, source.jurisdiction
                    ),
                    format!(
                        "来源 `{}` 所属的统筹地区 `{}` 未在 `jurisdictions.toml` 中声明",
                        source.id, source.jurisdiction
                    ),
                ));
            }
        }
        let mut rule_ids = BTreeSet::new();
        for (i, rule) in self.rules.iter().enumerate() {
            let at = KeyPath::root().key("rule").index(i);
            if !rule_ids.insert(rule.id) {
                found.push(Diagnostic::error(
                    "duplicate-id",
                    at.clone().key("id"),
                    format!("rule {} is registered twice", rule.id),
                    format!("规则 {} 重复登记", rule.id),
                ));
            }
            match self.source(&rule.source) {
                None => found.push(Diagnostic::error(
                    "unknown-source",
                    at.clone().key("source"),
                    format!(
                        "rule {} names source `{}`, which is not registered",
                        rule.id, rule.source
                    ),
                    format!("规则 {} 所引来源 `{}` 未登记", rule.id, rule.source),
                )),
                Some(source) if source.rule_prefix != rule.id.source_letter().to_string() => {
                    found.push(Diagnostic::error(
                        "rule-prefix-mismatch",
                        at.clone().key("id"),
                        format!(
                            "rule {} belongs to source `{}`, whose rule ids start with `{}`",
                            rule.id, source.id, source.rule_prefix
                        ),
                        format!(
                            "规则 {} 属于来源 `{}`，而该来源的规则编号以 `{}` 开头",
                            rule.id, source.id, source.rule_prefix
                        ),
                    ));
                }
                Some(_) => {}
            }
            if rule.locator.trim().is_empty() {
                found.push(Diagnostic::error(
                    "missing-locator",
                    at.clone().key("locator"),
                    format!("rule {} has no locator", rule.id),
                    format!("规则 {} 未写明出处位置 `locator`", rule.id),
                ));
            }
            found.extend(quote_key_problems(rule, &at));
            if rule.quotes.iter().all(|q| q.text.trim().is_empty()) {
                found.push(Diagnostic::error(
                    "missing-quote",
                    at.clone().key("quotes"),
                    format!("rule {} has no quote from its source", rule.id),
                    format!("规则 {} 没有摘自其来源的原文", rule.id),
                ));
            }
        }
        found
    }

    /// Every quote that is not found verbatim (whitespace ignored) in its source text.
    pub(crate) fn verify_quotes(&self, texts: &SourceTexts) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        let mut missing_files = BTreeSet::new();
        let normalised: BTreeMap<&str, String> = texts
            .files
            .iter()
            .map(|(name, text)| (name.as_str(), strip_whitespace(text)))
            .collect();
        for (i, source) in self.sources.iter().enumerate() {
            if !normalised.contains_key(source.file.as_str()) {
                missing_files.insert(source.file.as_str());
                found.push(Diagnostic::error(
                    "source-file-missing",
                    KeyPath::root().key("source").index(i).key("file"),
                    format!("`{}` is not in {}", source.file, texts.label),
                    format!("`{}` 不在 `{}` 之中", source.file, texts.label),
                ));
            }
        }
        for (i, rule) in self.rules.iter().enumerate() {
            let Some(source) = self.source(&rule.source) else {
                continue;
            };
            let Some(text) = normalised.get(source.file.as_str()) else {
                continue;
            };
            for (q, quote) in rule.quotes.iter().enumerate() {
                if !text.contains(&strip_whitespace(&quote.text)) {
                    found.push(Diagnostic::error(
                        "quote-not-found",
                        KeyPath::root()
                            .key("rule")
                            .index(i)
                            .key("quotes")
                            .index(q)
                            .key("text"),
                        format!(
                            "the quote {}.{} is not in {} (whitespace ignored): «{}»",
                            rule.id,
                            quote.key,
                            source.file,
                            shorten(&quote.text)
                        ),
                        format!(
                            "原文 `{}.{}` 在 `{}` 中找不到（不计空白）：«{}»",
                            rule.id,
                            quote.key,
                            source.file,
                            shorten(&quote.text)
                        ),
                    ));
                }
            }
        }
        found
    }
}

/// Each quote key of `rule` that is malformed or given twice.
fn quote_key_problems(rule: &RegisteredRule, at: &KeyPath) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut keys = BTreeSet::new();
    for (q, quote) in rule.quotes.iter().enumerate() {
        let at = at.clone().key("quotes").index(q).key("key");
        if !QuoteKey::is_well_formed(&quote.key) {
            found.push(Diagnostic::error(
                "malformed-quote-key",
                at,
                format!(
                    "the quote key `{}` of rule {} is not lower-case words joined by `_` or `.` (e.g. `row.level_3`)",
                    quote.key, rule.id
                ),
                format!(
                    "规则 {} 的原文键 `{}` 不是以 `_` 或 `.` 连接的小写单词（如 `row.level_3`）",
                    rule.id, quote.key
                ),
            ));
        } else if !keys.insert(quote.key.as_str()) {
            found.push(Diagnostic::error(
                "duplicate-quote-key",
                at,
                format!("rule {} has two quotes keyed `{}`", rule.id, quote.key),
                format!("规则 {} 有两段原文的键都是 `{}`", rule.id, quote.key),
            ));
        }
    }
    found
}

fn strip_whitespace(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn shorten(quote: &str) -> String {
    let chars: Vec<char> = quote.chars().collect();
    if chars.len() <= 40 {
        quote.to_owned()
    } else {
        format!("{}…", chars[..40].iter().collect::<String>())
    }
}

/// The texts of the source documents, by file name (`--sources DIR`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceTexts {
    label: String,
    files: BTreeMap<String, String>,
}

impl SourceTexts {
    /// An empty set, shown as `label` in messages.
    pub fn new(label: impl Into<String>) -> SourceTexts {
        SourceTexts {
            label: label.into(),
            files: BTreeMap::new(),
        }
    }

    /// Adds one document's text.
    pub fn insert(&mut self, file: impl Into<String>, text: impl Into<String>) {
        self.files.insert(file.into(), text.into());
    }
}
