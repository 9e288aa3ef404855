//! One TOML file read twice: as values (`toml::Table`) and as spans (key path → byte offset),
//! so that any finding at a key path can be shown at its file, line and column.

use std::collections::BTreeMap;

use toml::de::{DeTable, DeValue};
use yibao_core::{Diagnostic, KeyPath, Location};

/// A parsed TOML file with the position of every key.
#[derive(Clone, Debug)]
pub(crate) struct Document {
    /// How the file is shown to a person.
    pub display: String,
    pub text: String,
    pub table: toml::Table,
    /// Byte offset of each key (for array elements: of the element), by key-path text;
    /// built on first use, since only findings need it.
    offsets: std::sync::OnceLock<BTreeMap<String, usize>>,
}

impl Document {
    /// Parses `text`, or returns the syntax error as a diagnostic.
    pub fn parse(display: String, text: &str) -> Result<Document, Box<Diagnostic>> {
        let syntax = |error: toml::de::Error| {
            let message = error.message().trim_end_matches('.').to_owned();
            let zh = super::reader_zh::syntax_zh(&message);
            let mut d = Diagnostic::error("toml-syntax", KeyPath::root(), message, zh);
            d.location = Some(Location::at_offset(
                display.clone(),
                text,
                error.span().map_or(0, |s| s.start),
            ));
            Box::new(d)
        };
        let spanned = DeTable::parse(text).map_err(syntax)?;
        let table =
            <toml::Table as serde::Deserialize>::deserialize(toml::de::Deserializer::from(spanned))
                .map_err(syntax)?;
        Ok(Document {
            display,
            text: text.to_owned(),
            table,
            offsets: std::sync::OnceLock::new(),
        })
    }

    /// The location of the deepest key of `path` that the file has.
    pub fn locate(&self, path: &KeyPath) -> Location {
        let mut segments = path.segments().to_vec();
        loop {
            let key = KeyPathText::of(&segments);
            if let Some(offset) = self.offsets().get(&key) {
                return Location::at_offset(self.display.clone(), &self.text, *offset);
            }
            if segments.pop().is_none() {
                return Location::at_offset(self.display.clone(), &self.text, 0);
            }
        }
    }

    /// The key offsets, from a second parse of the text on first use (the text parsed once
    /// already, so it parses again).
    fn offsets(&self) -> &BTreeMap<String, usize> {
        self.offsets.get_or_init(|| {
            let mut offsets = BTreeMap::new();
            if let Ok(spanned) = DeTable::parse(&self.text) {
                walk_table(spanned.get_ref(), "", &mut offsets);
            }
            offsets
        })
    }

    /// A diagnostic located in this file.
    pub fn at(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        diagnostic.location = Some(self.locate(&diagnostic.path));
        diagnostic
    }
}

struct KeyPathText;

impl KeyPathText {
    fn of(segments: &[yibao_core::KeySegment]) -> String {
        let mut path = KeyPath::root();
        for segment in segments {
            path = match segment {
                yibao_core::KeySegment::Key(k) => path.key(k.clone()),
                yibao_core::KeySegment::Index(i) => path.index(*i),
            };
        }
        path.to_string()
    }
}

/// The key-path text of a child: `a.b` for a key, `a[2]` for an index (as `KeyPath` prints).
pub(crate) fn child_key(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        let mut path = String::with_capacity(prefix.len() + 1 + key.len());
        path.push_str(prefix);
        path.push('.');
        path.push_str(key);
        path
    }
}

/// The key-path text of an array element.
pub(crate) fn child_index(prefix: &str, index: usize) -> String {
    format!("{prefix}[{index}]")
}

fn walk_table(table: &DeTable<'_>, at: &str, offsets: &mut BTreeMap<String, usize>) {
    for (key, value) in table {
        let path = child_key(at, key.get_ref().as_ref());
        offsets.insert(path.clone(), key.span().start);
        walk_value(value.get_ref(), &path, offsets);
    }
}

fn walk_value(value: &DeValue<'_>, at: &str, offsets: &mut BTreeMap<String, usize>) {
    match value {
        DeValue::Table(table) => walk_table(table, at, offsets),
        DeValue::Array(array) => {
            for (index, element) in array.iter().enumerate() {
                let path = child_index(at, index);
                offsets.insert(path.clone(), element.span().start);
                walk_value(element.get_ref(), &path, offsets);
            }
        }
        _ => {}
    }
}
