//! The checks of a policy file that its typed sections cannot make: its `[meta]`, its
//! `[absent]` table, its sections' names, the citations of every number and the categories a
//! catastrophic class lists; every finding in English and in Chinese.

use std::collections::BTreeSet;

use yibao_core::{Diagnostic, KeyPath, RuleId};

use super::book::{Merged, SECTIONS, Section, decode};
use super::document::Document;
use super::{Analysis, FileYear, Meta, Registry};

/// H1: the categories a catastrophic class lists must be enrolment categories of the book, or
/// their members would silently fall into the ordinary class.
pub(super) fn check_class_categories(
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
                    format!(
                        "`{category}` 不是本年度政策的参保人员类别（已知：{}）",
                        yibao_core::in_words_zh(&known)
                    ),
                )));
            }
        }
    }
}

pub(super) fn check_policy_file(
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
            format!("文件夹 `{jurisdiction}` 不是 `jurisdictions.toml` 中的统筹地区"),
        )));
    }
    check_meta(a, doc, jurisdiction, file_year, registry);
    check_sections(a, doc, registered);
    for finding in super::prose::check(&doc.table) {
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
            "该文件没有 `[meta]` 表（写明统筹地区 `jurisdiction`，年度文件还须写明年度 `year`）",
        ))),
        Some(value) => {
            let meta_path = KeyPath::root().key("meta");
            match decode::<Meta>(value.clone()) {
                Err(finding) => a.found.push(doc.at(finding.under(&meta_path))),
                Ok(meta) => {
                    if meta.jurisdiction != jurisdiction {
                        a.found.push(doc.at(Diagnostic::error(
                            "meta-mismatch",
                            meta_path.clone().key("jurisdiction"),
                            format!(
                                "meta says `{}` but the file is in folder `{jurisdiction}`",
                                meta.jurisdiction
                            ),
                            format!(
                                "`[meta]` 写的是 `{}`，但该文件位于文件夹 `{jurisdiction}`",
                                meta.jurisdiction
                            ),
                        )));
                    }
                    match (file_year, meta.year) {
                        (FileYear::Year(y), Some(m)) if y != m => a.found.push(doc.at(Diagnostic::error(
                            "meta-mismatch",
                            meta_path.clone().key("year"),
                            format!("meta says {m} but the file is named {y}.toml"),
                            format!("`[meta]` 写的是 {m} 年度，但文件名为 `{y}.toml`"),
                        ))),
                        (FileYear::Year(y), None) => a.found.push(doc.at(Diagnostic::error(
                            "missing-key",
                            meta_path.clone(),
                            format!("a year file needs `year = {y}` in [meta]"),
                            format!("年度文件须在 `[meta]` 中写明 `year = {y}`"),
                        ))),
                        (FileYear::EveryYear, Some(m)) => a.found.push(doc.at(Diagnostic::error(
                            "meta-mismatch",
                            meta_path.clone().key("year"),
                            format!("every-year.toml holds values for every year; remove `year = {m}` or rename the file {m}.toml"),
                            format!("`every-year.toml` 存放各年度通用的数值；请删去 `year = {m}`，或将文件改名为 `{m}.toml`"),
                        ))),
                        _ => {}
                    }
                    if let (Some(source), Some(registry)) = (&meta.source, registry) {
                        if registry.source(source).is_none() {
                            a.found.push(doc.at(Diagnostic::error(
                                "unknown-source",
                                meta_path.clone().key("source"),
                                format!("source `{source}` is not in sources.toml"),
                                format!("来源 `{source}` 未在 `sources.toml` 中登记"),
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
                        if yibao_core::prose::english_of(section, absent, true).is_some() {
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
                                format!(
                                    "`{section}` 不是政策文件的组成部分（可选：{}）",
                                    yibao_core::in_words_zh(&SECTIONS)
                                ),
                            )));
                        }
                        if reason.as_str().is_none_or(|r| r.trim().is_empty()) {
                            a.found.push(doc.at(Diagnostic::error(
                                "invalid-value",
                                at,
                                "an absence needs its reason as text, e.g. \"the sources publish no … for …\"",
                                "声明缺失须以文字写明原因，例如 `\"the sources publish no … for …\"`",
                            )));
                        }
                    }
                }
                None => a.found.push(doc.at(Diagnostic::error(
                    "invalid-value",
                    path,
                    "[absent] must be a table of section = \"reason\"",
                    "`[absent]` 须为 `section = \"reason\"` 形式的表",
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
                format!(
                    "`{key}` 不是政策文件的组成部分（应为 `meta`、`absent`、{} 之一）",
                    yibao_core::in_words_zh(&SECTIONS)
                ),
            )));
            continue;
        }
        let cited = key == "settlement";
        walk_values(a, doc, value, &path, cited, registered);
    }
}

/// Citations, uncited numbers and bare dates, everywhere below a section.
pub(super) fn walk_values(
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
                    && yibao_core::prose::english_of(key, table, false).is_none()
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
            format!("请把日期写成字符串 `\"{date}\"`（不带引号的 TOML 日期不会按日历日期读取）"),
        ))),
        scalar => {
            if !cited && looks_numeric(scalar) {
                a.found.push(doc.at(Diagnostic::error(
                    "uncited-number",
                    path.clone(),
                    format!("{scalar} cites no rule: add `rules = [\"…\"]` to its table"),
                    format!("`{scalar}` 未引用任何规则：请在其所在的表中加上 `rules = [\"…\"]`"),
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
            "`rules` 须为规则编号的列表，如 `[\"H14\"]`",
        )));
        return;
    };
    if items.is_empty() {
        a.found.push(doc.at(Diagnostic::error(
            "invalid-value",
            path.clone(),
            "`rules` is empty: cite at least one rule id",
            "`rules` 为空：请至少引用一个规则编号",
        )));
    }
    for (i, item) in items.iter().enumerate() {
        let at = path.clone().index(i);
        let text = item.as_str().unwrap_or_default();
        match text.parse::<RuleId>() {
            Err(e) => a.found.push(doc.at(Diagnostic::error(
                "malformed-rule-id",
                at,
                e.to_string(),
                e.zh(),
            ))),
            Ok(id) if !registered.is_empty() && !registered.contains(&id) => {
                a.found.push(doc.at(Diagnostic::error(
                    "unknown-rule",
                    at,
                    format!("rule {id} is not registered in sources.toml"),
                    format!("规则 {id} 未在 `sources.toml` 中登记"),
                )))
            }
            Ok(_) => {}
        }
    }
}
