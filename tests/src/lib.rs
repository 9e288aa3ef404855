//! Test support for the yibao integration suite: broken-policy fixtures.
//!
//! A fixture (`tests/fixtures/broken-policy/*.toml`) describes one class of mistake a
//! maintainer can make, as edits to the real policy data:
//!
//! ```toml
//! description = "a reimbursement ratio above 100%"
//! [[edit]]
//! file = "huaian/2026.toml"     # relative to policy-data/
//! find = 'level_1 = "85%"'      # must occur exactly once in that file
//! replace = 'level_1 = "185%"'
//! ```
//!
//! Optional: `[[add]] file, text` adds a file; `[[remove]] file` removes one;
//! `verify_quotes = true` checks the registry's quotes against source texts made of the
//! unedited registry's own quotes, so that an edited quote is the only one not found.

#![forbid(unsafe_code)]

use serde::Deserialize;
use yibao::policy::{PolicyFiles, Registry, SourceTexts};

/// One fixture file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// What mistake it shows.
    pub description: String,
    /// Text replacements in existing files.
    #[serde(default)]
    pub edit: Vec<Edit>,
    /// Files added.
    #[serde(default)]
    pub add: Vec<Added>,
    /// Files removed.
    #[serde(default)]
    pub remove: Vec<Removed>,
    /// Whether to verify the registry's quotes.
    #[serde(default)]
    pub verify_quotes: bool,
}

/// A replacement of text that occurs exactly once.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    /// File relative to `policy-data/`.
    pub file: String,
    /// The text to find.
    pub find: String,
    /// What to put instead.
    pub replace: String,
}

/// A file added.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Added {
    /// File relative to `policy-data/`.
    pub file: String,
    /// Its contents.
    pub text: String,
}

/// A file removed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Removed {
    /// File relative to `policy-data/`.
    pub file: String,
}

/// The embedded policy data with a fixture's edits applied, and the source texts to verify
/// quotes against when the fixture asks for it.
///
/// # Errors
/// A message when the fixture does not parse or no longer applies to the data (a `find` text
/// that is missing or not unique, a file that does not exist): the fixture is stale.
pub fn apply(fixture_text: &str) -> Result<(Fixture, PolicyFiles, Option<SourceTexts>), String> {
    let fixture: Fixture = toml::from_str(fixture_text).map_err(|e| e.to_string())?;
    let mut files = PolicyFiles::embedded();
    let sources = if fixture.verify_quotes {
        let registry: Registry = toml::from_str(files.get("sources.toml").unwrap_or_default())
            .map_err(|e| e.to_string())?;
        let mut texts = SourceTexts::new("the sources");
        for source in &registry.sources {
            let text: Vec<&str> = registry
                .rules
                .iter()
                .filter(|r| r.source == source.id)
                .flat_map(|r| r.quotes.iter().map(|q| q.text.as_str()))
                .collect();
            texts.insert(source.file.clone(), text.join("\n"));
        }
        Some(texts)
    } else {
        None
    };
    for edit in &fixture.edit {
        let text = files
            .get(&edit.file)
            .ok_or_else(|| format!("stale fixture: no file {}", edit.file))?;
        let count = text.matches(edit.find.as_str()).count();
        if count != 1 {
            return Err(format!(
                "stale fixture: {:?} occurs {count} times in {}, expected once",
                edit.find, edit.file
            ));
        }
        let edited = text.replacen(edit.find.as_str(), &edit.replace, 1);
        files.insert(edit.file.clone(), edited);
    }
    for added in &fixture.add {
        files.insert(added.file.clone(), added.text.clone());
    }
    for removed in &fixture.remove {
        files
            .remove(&removed.file)
            .ok_or_else(|| format!("stale fixture: no file {}", removed.file))?;
    }
    Ok((fixture, files, sources))
}

/// The scenario suite's file format, now the library's (`yibao test` reads it too).
pub use yibao::scenario_test;
