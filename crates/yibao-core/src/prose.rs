//! The policy data's English prose and its Chinese beside it: every `reading`, `note`,
//! `description`, reason a source leaves something out (`not_given_by_source`,
//! `until_cancelled`, `no_cut`) and `[absent]` reason has a sibling with `_zh` appended
//! (`reading_zh`), the same text in Chinese, shown by `policies show --lang zh`. The typed
//! sections never see the siblings: the loader decodes a section [`without_chinese`], and so
//! do the domain crates' tests that read the shipped data.
//!
//! ```
//! let table = yibao_core::prose::parse(
//!     "[benefits]\nreading = \"Cap shared\"\nreading_zh = \"共用限额\"\nname_zh = \"淮安市\"\n",
//! )?;
//! let benefits = table["benefits"].as_table().unwrap();
//! assert!(benefits.contains_key("reading") && benefits.contains_key("name_zh"));
//! assert!(!benefits.contains_key("reading_zh"));
//! # Ok::<(), toml::de::Error>(())
//! ```

/// The keys whose values are prose, anywhere in a section.
pub const PROSE_KEYS: [&str; 6] = [
    "reading",
    "note",
    "description",
    "not_given_by_source",
    "until_cancelled",
    "no_cut",
];

/// The tables each of whose keys is a reason, in prose: `[absent]` (per section) and
/// `not_given_by_source` (per remote-care treatment).
pub const REASON_TABLES: [&str; 2] = ["absent", "not_given_by_source"];

/// The suffix of a prose key's Chinese sibling.
pub const ZH: &str = "_zh";

/// Whether a key of a table is prose: one of [`PROSE_KEYS`], or any key of one of
/// [`REASON_TABLES`].
pub fn is_prose(key: &str, in_reasons: bool) -> bool {
    in_reasons || PROSE_KEYS.contains(&key)
}

/// The English key a Chinese sibling stands beside, when the key is prose and the table
/// holds it as text (`reading_zh` → `reading`); `None` for any other key (`name_zh`, which
/// is a value of its own).
pub fn english_of<'k>(key: &'k str, table: &toml::Table, in_reasons: bool) -> Option<&'k str> {
    let english = key.strip_suffix(ZH)?;
    let prose = is_prose(english, in_reasons);
    (prose && table.get(english)?.is_str()).then_some(english)
}

/// The value without the Chinese siblings of its prose, at every depth: what the typed
/// structs decode.
pub fn without_chinese(value: toml::Value) -> toml::Value {
    strip(value, false)
}

fn strip(value: toml::Value, in_reasons: bool) -> toml::Value {
    match value {
        toml::Value::Table(table) => {
            let chinese: Vec<String> = table
                .keys()
                .filter(|key| english_of(key, &table, in_reasons).is_some())
                .cloned()
                .collect();
            let mut table = table;
            for key in &chinese {
                table.remove(key);
            }
            toml::Value::Table(
                table
                    .into_iter()
                    .map(|(key, value)| {
                        let reasons = REASON_TABLES.contains(&key.as_str());
                        (key, strip(value, reasons))
                    })
                    .collect(),
            )
        }
        toml::Value::Array(items) => {
            toml::Value::Array(items.into_iter().map(|item| strip(item, false)).collect())
        }
        other => other,
    }
}

/// The text of a policy file parsed, without the Chinese siblings of its prose.
///
/// # Errors
/// The TOML reader's error when the text is not TOML.
pub fn parse(text: &str) -> Result<toml::Table, toml::de::Error> {
    let table: toml::Table = toml::from_str(text)?;
    match without_chinese(toml::Value::Table(table)) {
        toml::Value::Table(table) => Ok(table),
        // Unreachable: a table stays a table.
        _ => Ok(toml::Table::new()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_decoded_value_has_no_chinese_siblings() {
        let table: toml::Table =
            "[a]\nreading = \"r\"\nreading_zh = \"解读\"\nname = \"n\"\nname_zh = \"名\"\n[[a.b]]\nnote = \"n\"\nnote_zh = \"说明\""
                .parse()
                .unwrap();
        let stripped = without_chinese(toml::Value::Table(table));
        let expected: toml::Table =
            "[a]\nreading = \"r\"\nname = \"n\"\nname_zh = \"名\"\n[[a.b]]\nnote = \"n\""
                .parse()
                .unwrap();
        assert_eq!(stripped, toml::Value::Table(expected));
    }
}
