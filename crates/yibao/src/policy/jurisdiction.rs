//! The jurisdiction hierarchy (`policy-data/jurisdictions.toml`).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use yibao_core::{Diagnostic, KeyPath, PolicyYear};

/// One jurisdiction: a province, a city, a district.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Jurisdiction {
    /// Stable id, also the folder name under `policy-data/`.
    pub id: String,
    /// The level above, whose values this one inherits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// English name.
    pub name: String,
    /// Chinese name.
    pub name_zh: String,
    /// Whether people are insured here (an insured place has policy books of its own; a
    /// province or a pooling city only passes values down).
    #[serde(default)]
    pub insured_place: bool,
    /// The policy years this jurisdiction has a file of its own for (`<id>/<year>.toml`):
    /// `check-policies` reports a declared year whose file is missing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub years: Vec<PolicyYear>,
}

/// The policy years the coverage report spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageYears {
    /// First year reported.
    pub first_year: PolicyYear,
    /// Last year reported.
    pub last_year: PolicyYear,
}

/// The whole file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Jurisdictions {
    /// The years reported on.
    pub coverage: CoverageYears,
    /// The jurisdictions.
    #[serde(rename = "jurisdiction")]
    pub list: Vec<Jurisdiction>,
}

impl Jurisdictions {
    /// The jurisdiction with this id.
    pub fn get(&self, id: &str) -> Option<&Jurisdiction> {
        self.list.iter().find(|j| j.id == id)
    }

    /// The id of the insured place `given` names: its id, its Chinese name whole or without
    /// the city above it and the 市/区 that ends it (`苏州市吴江区`, `吴江区`, `吴江`;
    /// `淮安市`, `淮安`), or its English name in any case (`Huai'an`); `None` when no insured
    /// place has that name.
    pub fn insured_place_named(&self, given: &str) -> Option<&str> {
        let given = given.trim();
        // 苏州市吴江区 is also 吴江区 and 吴江; 淮安市 is also 淮安.
        let chinese = |zh: &str| {
            let own = zh.rsplit_once('市').map_or(zh, |(_, own)| own);
            let own = if own.is_empty() { zh } else { own };
            let names = [zh, own, own.strip_suffix(['市', '区']).unwrap_or(own)];
            names.contains(&given)
        };
        self.list
            .iter()
            .filter(|j| j.insured_place)
            .find(|j| j.id == given || chinese(&j.name_zh) || j.name.eq_ignore_ascii_case(given))
            .map(|j| j.id.as_str())
    }

    /// The insured place whose id is nearest to a mistyped `given` ([`crate::nearest`]), for
    /// a "did you mean" hint.
    pub fn nearest_insured_place(&self, given: &str) -> Option<&str> {
        let ids = self
            .list
            .iter()
            .filter(|j| j.insured_place)
            .map(|j| j.id.as_str());
        crate::nearest::nearest(given, ids)
    }

    /// The ids.
    pub fn ids(&self) -> BTreeSet<String> {
        self.list.iter().map(|j| j.id.clone()).collect()
    }

    /// `id` and its ancestors, from the top (the province) down to `id`.
    pub fn chain(&self, id: &str) -> Vec<&Jurisdiction> {
        let mut chain = Vec::new();
        let mut next = self.get(id);
        while let Some(j) = next {
            if chain.iter().any(|seen: &&Jurisdiction| seen.id == j.id) {
                break; // a cycle, reported by validate()
            }
            chain.push(j);
            next = j.parent.as_deref().and_then(|p| self.get(p));
        }
        chain.reverse();
        chain
    }

    /// What the declarations promise and no file provides: a declared year without its
    /// `<id>/<year>.toml`, and an insured place without any file of its own. `provides(id,
    /// year)` says whether `<id>/<year>.toml` was read; `year` `None` asks for any file of
    /// `id` (`every-year.toml` or a year's).
    pub(crate) fn unprovided(
        &self,
        provides: impl Fn(&str, Option<PolicyYear>) -> bool,
    ) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        for (i, j) in self.list.iter().enumerate() {
            let at = KeyPath::root().key("jurisdiction").index(i);
            for (k, year) in j.years.iter().enumerate() {
                if !provides(&j.id, Some(*year)) {
                    found.push(Diagnostic::error(
                        "missing-file",
                        at.clone().key("years").index(k),
                        format!(
                            "`{}` is declared with policy year {year} but no file provides it ({}/{year}.toml is missing)",
                            j.id, j.id
                        ),
                        format!(
                            "`{}` 声明了 {year} 年度，但没有文件提供该年度的政策（缺少 `{}/{year}.toml`）",
                            j.id, j.id
                        ),
                    ));
                }
            }
            if j.insured_place && j.years.is_empty() && !provides(&j.id, None) {
                found.push(Diagnostic::error(
                    "missing-file",
                    at.key("insured_place"),
                    format!(
                        "`{}` is declared an insured place but no file provides its policy (neither {}/every-year.toml nor a {}/<year>.toml)",
                        j.id, j.id, j.id
                    ),
                    format!(
                        "`{}` 声明为参保地，但没有文件提供其政策（既没有 `{}/every-year.toml`，也没有 `{}/<年度>.toml`）",
                        j.id, j.id, j.id
                    ),
                ));
            }
        }
        found
    }

    /// Every problem: duplicate ids, unknown parents, cycles, an inverted year range.
    pub(crate) fn validate(&self) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        if self.coverage.last_year < self.coverage.first_year {
            found.push(Diagnostic::error(
                "window-order",
                KeyPath::root().key("coverage").key("last_year"),
                format!(
                    "coverage ends in {} before it starts in {}",
                    self.coverage.last_year, self.coverage.first_year
                ),
                format!(
                    "覆盖期间止于 {} 年，早于其起始年 {}",
                    self.coverage.last_year, self.coverage.first_year
                ),
            ));
        }
        let mut seen = BTreeSet::new();
        for (i, j) in self.list.iter().enumerate() {
            let at = KeyPath::root().key("jurisdiction").index(i);
            if !seen.insert(j.id.as_str()) {
                found.push(Diagnostic::error(
                    "duplicate-id",
                    at.clone().key("id"),
                    format!("jurisdiction `{}` is declared twice", j.id),
                    format!("统筹地区 `{}` 重复声明", j.id),
                ));
            }
            if !j
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                || j.id.is_empty()
            {
                found.push(Diagnostic::error(
                    "bad-id",
                    at.clone().key("id"),
                    format!("jurisdiction id `{}` must be lowercase letters, digits and `-` (it is a folder name)", j.id),
                    format!("统筹地区编号 `{}` 只能由小写字母、数字和 `-` 组成（它是文件夹名）", j.id),
                ));
            }
            if let Some(parent) = &j.parent {
                if self.get(parent).is_none() {
                    found.push(Diagnostic::error(
                        "unknown-jurisdiction",
                        at.clone().key("parent"),
                        format!("`{}` has parent `{parent}`, which is not declared", j.id),
                        format!("`{}` 的上级 `{parent}` 未声明", j.id),
                    ));
                } else if self
                    .chain(&j.id)
                    .first()
                    .and_then(|top| top.parent.as_ref())
                    .is_some()
                {
                    found.push(Diagnostic::error(
                        "hierarchy-cycle",
                        at.clone().key("parent"),
                        format!(
                            "the chain of parents from `{}` loops and never reaches a top level",
                            j.id
                        ),
                        format!("自 `{}` 逐级向上的上级链形成循环，到不了最高一级", j.id),
                    ));
                }
            }
        }
        found
    }
}
