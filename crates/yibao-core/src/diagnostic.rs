//! Diagnostics: the findings of a validation, each with its severity, a stable code, the key
//! path in the policy data and, when known, the file, line and column.
//!
//! Domain crates' `validate()` return diagnostics with key paths relative to their own section;
//! the loader prefixes the section and fills in the location. Printed, a diagnostic reads like
//! a compiler's: `policy-data/huaian/2026.toml:12:8: error[rate-out-of-range]: …`.
//!
//! Every diagnostic is written in English and in Chinese where it is made. The English is
//! what `Display` and the JSON serialisation write; [`Diagnostic::zh`] writes the Chinese in
//! the same frame, the place and the stable code as they are, the severity and the key path
//! in Chinese: `policy-data/huaian/2026.toml:12:8: 错误[rate-out-of-range]：…（位置 `benefits.inpatient.ratio`）`
//! (`警告` for a warning).

use std::fmt;

use serde::Serialize;

use crate::Lang;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The data is usable but something deserves a look.
    Warning,
    /// The data cannot be used as it is.
    Error,
}

impl Severity {
    /// The severity in Chinese: 错误, 警告.
    pub const fn zh(self) -> &'static str {
        match self {
            Severity::Warning => "警告",
            Severity::Error => "错误",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One step of a [`KeyPath`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum KeySegment {
    /// A table key.
    Key(String),
    /// A 0-based array index.
    Index(usize),
}

/// Where a value sits in a document: `benefits.inpatient.bands[2].rate`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct KeyPath(Vec<KeySegment>);

impl KeyPath {
    /// The empty path (the document itself).
    pub fn root() -> KeyPath {
        KeyPath(Vec::new())
    }

    /// Parses `a.b[2].c`. Keys are bare (letters, digits, `_`, `-`).
    pub fn parse(text: &str) -> KeyPath {
        let mut segments = Vec::new();
        for part in text.split('.').filter(|p| !p.is_empty()) {
            let mut rest = part;
            if let Some(open) = rest.find('[') {
                if open > 0 {
                    segments.push(KeySegment::Key(rest[..open].to_owned()));
                }
                rest = &rest[open..];
                while let Some(stripped) = rest.strip_prefix('[') {
                    let Some(close) = stripped.find(']') else {
                        break;
                    };
                    if let Ok(index) = stripped[..close].parse() {
                        segments.push(KeySegment::Index(index));
                    }
                    rest = &stripped[close + 1..];
                }
            } else {
                segments.push(KeySegment::Key(rest.to_owned()));
            }
        }
        KeyPath(segments)
    }

    /// This path with a key appended.
    pub fn key(mut self, key: impl Into<String>) -> KeyPath {
        self.0.push(KeySegment::Key(key.into()));
        self
    }

    /// This path with an array index appended.
    pub fn index(mut self, index: usize) -> KeyPath {
        self.0.push(KeySegment::Index(index));
        self
    }

    /// `prefix` followed by this path.
    pub fn under(self, prefix: &KeyPath) -> KeyPath {
        let mut segments = prefix.0.clone();
        segments.extend(self.0);
        KeyPath(segments)
    }

    /// The segments.
    pub fn segments(&self) -> &[KeySegment] {
        &self.0
    }

    /// Whether the path is empty.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                KeySegment::Key(key) if i == 0 => write!(f, "{key}")?,
                KeySegment::Key(key) => write!(f, ".{key}")?,
                KeySegment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A position in a file: 1-based line and column (columns count characters).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Location {
    /// The file, as the user should see it (relative to the policy-data root's parent).
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl Location {
    /// The line and column of byte `offset` in `text`.
    pub fn at_offset(file: impl Into<String>, text: &str, offset: usize) -> Location {
        let offset = offset.min(text.len());
        let before = text.get(..offset).unwrap_or(text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        Location {
            file: file.into(),
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }
}

/// One finding of a validation.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// A stable, kebab-case code naming the class of mistake, e.g. `unknown-rule`.
    pub code: &'static str,
    /// What is wrong, with the offending value.
    pub message: String,
    /// [`Diagnostic::message`] in Chinese, the values, keys and ids between backquotes as
    /// they are. Not serialised: the JSON of a finding is its English.
    #[serde(skip)]
    pub message_zh: String,
    /// Where in the document.
    pub path: KeyPath,
    /// Where in which file, when known.
    pub location: Option<Location>,
}

impl Diagnostic {
    /// An error at `path`, what is wrong said in English (`en`) and in Chinese (`zh`).
    pub fn error(
        code: &'static str,
        path: KeyPath,
        en: impl Into<String>,
        zh: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(Severity::Error, code, path, en.into(), zh.into())
    }

    /// A warning at `path`, in English (`en`) and in Chinese (`zh`).
    pub fn warning(
        code: &'static str,
        path: KeyPath,
        en: impl Into<String>,
        zh: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(Severity::Warning, code, path, en.into(), zh.into())
    }

    fn new(
        severity: Severity,
        code: &'static str,
        path: KeyPath,
        message: String,
        message_zh: String,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            code,
            message,
            message_zh,
            path,
            location: None,
        }
    }

    /// The same finding with `en` / `zh` put before its message (`--set `…`: `): the English
    /// joined by `: `, the Chinese by `：`.
    pub fn prefixed(mut self, en: &str, zh: &str) -> Diagnostic {
        self.message = format!("{en}: {}", self.message);
        self.message_zh = format!("{zh}：{}", self.message_zh);
        self
    }

    /// The same finding with `en` / `zh` added after its message.
    pub fn followed_by(mut self, en: &str, zh: &str) -> Diagnostic {
        self.message.push_str(en);
        self.message_zh.push_str(zh);
        self
    }

    /// The finding in Chinese, as `Display` writes the English:
    /// `file:line:col: 错误[code]：message（位置 `key.path`）`.
    pub fn zh(&self) -> String {
        let mut text = String::new();
        if let Some(location) = &self.location {
            text += &format!("{}:{}:{}: ", location.file, location.line, location.column);
        }
        text += &format!("{}[{}]：{}", self.severity.zh(), self.code, self.message_zh);
        if !self.path.is_root() {
            text += &format!("（位置 `{}`）", self.path);
        }
        text
    }

    /// The finding in `lang`: its `Display` or [`Diagnostic::zh`].
    pub fn shown(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::Zh => self.zh(),
        }
    }

    /// The same finding with its path put under `prefix` (e.g. the section name).
    pub fn under(mut self, prefix: &KeyPath) -> Diagnostic {
        self.path = self.path.under(prefix);
        self
    }

    /// Whether it is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.location {
            write!(
                f,
                "{}:{}:{}: ",
                location.file, location.line, location.column
            )?;
        }
        write!(f, "{}[{}]: {}", self.severity, self.code, self.message)?;
        if !self.path.is_root() {
            write!(f, " (at `{}`)", self.path)?;
        }
        Ok(())
    }
}

/// How many characters of an offending value a message quotes (see [`quoted`]).
pub const QUOTE_LIMIT: usize = 64;

/// An offending value as a message quotes it: at most [`QUOTE_LIMIT`] characters, then `…`
/// and the value's whole size (`(N bytes)`), so that one error can never carry a whole file;
/// control characters (a NUL, a line break) are shown escaped (`\0`, `\n`, `\u{1b}`), so a
/// message stays one line. A short value without control characters is shown as it is.
///
/// ```
/// use yibao_core::quoted;
/// assert_eq!(quoted("12,5").to_string(), "12,5");
/// assert_eq!(quoted("P\01").to_string(), "P\\01");
/// let long = "9".repeat(100);
/// assert_eq!(quoted(&long).to_string(), format!("{}… (100 bytes)", "9".repeat(64)));
/// ```
pub fn quoted(text: &str) -> Quoted<'_> {
    Quoted(text)
}

/// A value cut and escaped for a message; made by [`quoted`].
#[derive(Clone, Copy, Debug)]
pub struct Quoted<'t>(&'t str);

impl Quoted<'_> {
    /// Whether the text is already a cut value (64 characters, `…`, the size): quoting it
    /// again shows it as it is, so a message made of quoted values can be bounded again.
    fn already_cut(&self) -> bool {
        self.0.rsplit_once("… (").is_some_and(|(head, size)| {
            head.chars().count() == QUOTE_LIMIT
                && size
                    .strip_suffix(" bytes)")
                    .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
    }
}

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.already_cut() {
            return f.write_str(self.0);
        }
        let mut chars = self.0.chars();
        for c in chars.by_ref().take(QUOTE_LIMIT) {
            if c.is_control() {
                write!(f, "{}", c.escape_debug())?;
            } else {
                write!(f, "{c}")?;
            }
        }
        if chars.next().is_some() {
            write!(f, "… ({} bytes)", self.0.len())?;
        }
        Ok(())
    }
}

/// Validation of parameters that the type system alone cannot express.
///
/// Returns every problem found, not only the first; an empty list means valid.
pub trait Validate {
    /// All findings, with key paths relative to the value validated.
    fn validate(&self) -> Vec<Diagnostic>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_are_cut_after_the_limit_with_their_size() {
        // 64 characters are shown whole; the 65th is cut, with the size in bytes after.
        let exact = "a".repeat(QUOTE_LIMIT);
        assert_eq!(quoted(&exact).to_string(), exact);
        let over = "a".repeat(QUOTE_LIMIT + 1);
        assert_eq!(quoted(&over).to_string(), format!("{exact}… (65 bytes)"));
        // Characters, not bytes: 70 Chinese characters are 210 bytes.
        let wide = "医".repeat(70);
        assert_eq!(
            quoted(&wide).to_string(),
            format!("{}… (210 bytes)", "医".repeat(QUOTE_LIMIT))
        );
        assert_eq!(quoted("a\nb\0\u{1b}").to_string(), "a\\nb\\0\\u{1b}");
        // Quoting a quoted value changes nothing.
        let once = quoted(&over).to_string();
        assert_eq!(quoted(&once).to_string(), once);
        let huge = "x".repeat(200 << 20);
        assert!(quoted(&huge).to_string().len() < 100);
    }

    #[test]
    fn key_paths_round_trip() {
        for text in ["benefits.inpatient.bands[2].rate", "a", "a[0][1].b"] {
            assert_eq!(KeyPath::parse(text).to_string(), text);
        }
        let nested = KeyPath::parse("rate").under(&KeyPath::parse("benefits.bands[1]"));
        assert_eq!(nested.to_string(), "benefits.bands[1].rate");
    }

    #[test]
    fn locations_count_lines_and_characters() {
        let text = "a = 1\n名称 = \"x\"\n";
        let at = Location::at_offset("f.toml", text, text.find('=').unwrap_or(0));
        assert_eq!((at.line, at.column), (1, 3));
        let second = text.rfind('=').unwrap_or(0);
        let at = Location::at_offset("f.toml", text, second);
        assert_eq!((at.line, at.column), (2, 4));
    }

    #[test]
    fn displays_like_a_compiler() {
        let mut d = Diagnostic::error(
            "unknown-rule",
            KeyPath::parse("benefits.rules[0]"),
            "`H99` is not registered",
            "`H99` 未登记",
        );
        assert_eq!(
            d.to_string(),
            "error[unknown-rule]: `H99` is not registered (at `benefits.rules[0]`)"
        );
        d.location = Some(Location {
            file: "p.toml".into(),
            line: 3,
            column: 9,
        });
        assert_eq!(
            d.to_string(),
            "p.toml:3:9: error[unknown-rule]: `H99` is not registered (at `benefits.rules[0]`)"
        );
        assert_eq!(
            d.zh(),
            "p.toml:3:9: 错误[unknown-rule]：`H99` 未登记（位置 `benefits.rules[0]`）"
        );
        let warning = Diagnostic::warning("unexpected-file", KeyPath::root(), "unread", "未读取");
        assert_eq!(warning.shown(Lang::Zh), "警告[unexpected-file]：未读取");
        assert_eq!(warning.shown(Lang::En), "warning[unexpected-file]: unread");
        let json = serde_json::to_string(&warning).unwrap_or_default();
        assert!(!json.contains("未读取"), "{json}");
    }
}
