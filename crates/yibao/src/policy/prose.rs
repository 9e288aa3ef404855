//! The policy data's prose checked beside its Chinese (the siblings themselves:
//! [`yibao_core::prose`]): a prose key without its Chinese is a warning, a Chinese key
//! without its English an error.

use yibao_core::prose::{REASON_TABLES, ZH, english_of, is_prose};
use yibao_core::{Diagnostic, KeyPath};

/// Every prose key of a policy file's table (below `[meta]`) without its Chinese sibling (a
/// warning, `prose-without-chinese`), and every Chinese sibling of a key the table lacks (an
/// error, `chinese-without-english`).
pub(crate) fn check(table: &toml::Table) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (key, value) in table {
        if key != "meta" {
            let reasons = REASON_TABLES.contains(&key.as_str());
            walk(value, KeyPath::root().key(key.clone()), reasons, &mut found);
        }
    }
    found
}

fn walk(value: &toml::Value, path: KeyPath, in_reasons: bool, found: &mut Vec<Diagnostic>) {
    match value {
        toml::Value::Table(table) => check_table(table, &path, in_reasons, found),
        toml::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, path.clone().index(i), false, found);
            }
        }
        _ => {}
    }
}

fn check_table(table: &toml::Table, path: &KeyPath, in_reasons: bool, found: &mut Vec<Diagnostic>) {
    for (key, value) in table {
        let at = path.clone().key(key.clone());
        if let Some(english) = key.strip_suffix(ZH) {
            let prose = is_prose(english, in_reasons);
            if prose && english_of(key, table, in_reasons).is_none() {
                found.push(Diagnostic::error(
                    "chinese-without-english",
                    at,
                    format!("`{key}` stands beside no `{english}`: write the English `{english}` it renders, or remove it"),
                    format!("`{key}` 旁没有 `{english}`：请写出它所对应的英文 `{english}`，或删除它"),
                ));
            }
            continue;
        }
        if is_prose(key, in_reasons) && value.is_str() {
            if !table.contains_key(&format!("{key}{ZH}")) {
                found.push(Diagnostic::warning(
                    "prose-without-chinese",
                    at,
                    format!("`{key}` has no Chinese beside it: add `{key}{ZH} = \"…\"`, the same text in Chinese"),
                    format!("`{key}` 旁没有中文：请添加 `{key}{ZH} = \"…\"`，写出同一段文字的中文"),
                ));
            }
            continue;
        }
        walk(value, at, REASON_TABLES.contains(&key.as_str()), found);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    fn codes(text: &str) -> Vec<(String, &'static str)> {
        let table: toml::Table = text.parse().unwrap();
        check(&table)
            .into_iter()
            .map(|d| (d.path.to_string(), d.code))
            .collect()
    }

    #[test]
    fn prose_needs_its_chinese_and_chinese_its_prose() {
        let cases: [(&str, &[(&str, &str)]); 8] = [
            (
                "[benefits]\nreading = \"r\"",
                &[("benefits.reading", "prose-without-chinese")],
            ),
            (
                "[benefits]\nreading_zh = \"解读\"",
                &[("benefits.reading_zh", "chinese-without-english")],
            ),
            ("[benefits]\nreading = \"r\"\nreading_zh = \"解读\"", &[]),
            (
                "[[enrolment.categories]]\nid = \"x\"\nname_zh = \"大学生\"",
                &[],
            ),
            (
                "[[enrolment.categories]]\ncontribution = { kind = \"k\", note = \"n\" }",
                &[(
                    "enrolment.categories[0].contribution.note",
                    "prose-without-chinese",
                )],
            ),
            (
                "[absent]\nbenefits = \"none\"",
                &[("absent.benefits", "prose-without-chinese")],
            ),
            ("[absent]\nbenefits = \"none\"\nbenefits_zh = \"无\"", &[]),
            (
                "[absent]\nbenefits_zh = \"无\"",
                &[("absent.benefits_zh", "chinese-without-english")],
            ),
        ];
        for (text, expected) in cases {
            let expected: Vec<(String, &str)> = expected
                .iter()
                .map(|(p, c)| ((*p).to_owned(), *c))
                .collect();
            assert_eq!(codes(text), expected, "{text}");
        }
    }
}
