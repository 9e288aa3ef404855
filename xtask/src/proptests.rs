//! Where the property tests live, and whether `cargo xtask props` reaches every one.
//!
//! The convention (ARCHITECTURE.md, "Testing"): a `proptest!` block lives either in a
//! crate's `tests/properties.rs`, a test target named `properties` that props runs whole, or
//! elsewhere in a library's, a binary's or a test target's tests (beside the private items
//! it needs, or in the integration binary beside its helpers) with every test of the block
//! named `prop_…`, which props runs by name in every other target. A block anywhere else
//! (a bench, an example) or with a test named otherwise would be left out: [`missed`] finds
//! it, `cargo xtask props` refuses to run and a test of xtask fails.

use std::path::{Component, Path, PathBuf};

/// The test targets props runs whole.
pub(crate) const TARGET: &str = "properties";

/// The prefix of the property tests props runs by name in every other target.
pub(crate) const PREFIX: &str = "prop_";

/// The folders of the workspace's members, where tests live.
const MEMBER_DIRS: [&str; 3] = ["crates", "tests", "xtask"];

/// A `proptest!` block that `cargo xtask props` would not run.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Missed {
    /// The file, relative to the workspace root.
    pub file: PathBuf,
    /// The line of `proptest!`.
    pub line: usize,
    /// Why: the tests not named `prop_…`, or the kind of target.
    pub why: String,
}

impl std::fmt::Display for Missed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.why)
    }
}

/// Every `proptest!` block under the workspace's members that props would not run.
pub(crate) fn missed(root: &Path) -> Result<Vec<Missed>, String> {
    let mut files = Vec::new();
    for dir in MEMBER_DIRS {
        rust_files(root, Path::new(dir), &mut files)?;
    }
    let mut missed = Vec::new();
    for file in files {
        let path = root.join(&file);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        missed.extend(missed_in(&file, &text));
    }
    Ok(missed)
}

/// The `.rs` files under `root/dir`, relative to `root`, skipping build output.
fn rust_files(root: &Path, dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let full = root.join(dir);
    let entries =
        std::fs::read_dir(&full).map_err(|e| format!("cannot read {}: {e}", full.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| dir.join(entry.file_name()))
        .collect();
    paths.sort();
    for path in paths {
        if root.join(&path).is_dir() {
            if path.file_name().is_some_and(|name| name != "target") {
                rust_files(root, &path, files)?;
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    Ok(())
}

/// Where a file's tests run.
#[derive(Debug, PartialEq, Eq)]
enum Place {
    /// `crates/<crate>/tests/properties.rs`: run whole.
    PropertiesTarget,
    /// A bench or an example: never run by props.
    NotRun(&'static str),
    /// Any other test: run when named `prop_…`.
    ByName,
}

fn place(file: &Path) -> Place {
    let parts: Vec<String> = file
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let properties = format!("{TARGET}.rs");
    match parts.as_slice() {
        [crates, _, tests, name]
            if crates == "crates" && tests == "tests" && *name == properties =>
        {
            Place::PropertiesTarget
        }
        _ if parts.iter().any(|p| p == "benches") => Place::NotRun("a bench"),
        _ if parts.iter().any(|p| p == "examples") => Place::NotRun("an example"),
        _ => Place::ByName,
    }
}

/// The blocks of one file that props would not run.
fn missed_in(file: &Path, text: &str) -> Vec<Missed> {
    let place = place(file);
    let mut missed = Vec::new();
    for block in blocks(&tokens(text)) {
        let why = match place {
            Place::PropertiesTarget => continue,
            Place::NotRun(kind) => {
                format!("a `proptest!` block in {kind}, which props does not run")
            }
            Place::ByName => {
                let unnamed: Vec<&str> = block
                    .tests
                    .iter()
                    .map(String::as_str)
                    .filter(|name| !name.starts_with(PREFIX))
                    .collect();
                if unnamed.is_empty() {
                    continue;
                }
                format!(
                    "a `proptest!` block outside a `{TARGET}` test target whose tests are not named `{PREFIX}…`: {}",
                    unnamed.join(", ")
                )
            }
        };
        missed.push(Missed {
            file: file.to_path_buf(),
            line: block.line,
            why,
        });
    }
    missed
}

/// One `proptest!` block: its line and the functions it declares.
struct Block {
    line: usize,
    tests: Vec<String>,
}

/// A word or a punctuation character of the code, outside comments and literals.
#[derive(Debug, PartialEq, Eq)]
enum Token {
    Word(String),
    Open,
    Close,
    Bang,
    Other,
}

/// The `proptest! { … }` blocks of a file: the functions at the block's own level.
fn blocks(tokens: &[(usize, Token)]) -> Vec<Block> {
    let mut found = Vec::new();
    let mut i = 0;
    while i + 2 < tokens.len() {
        let is_block = matches!(&tokens[i].1, Token::Word(w) if w == "proptest")
            && tokens[i + 1].1 == Token::Bang
            && tokens[i + 2].1 == Token::Open;
        if !is_block {
            i += 1;
            continue;
        }
        let mut block = Block {
            line: tokens[i].0,
            tests: Vec::new(),
        };
        let mut depth = 0usize;
        let mut j = i + 2;
        while j < tokens.len() {
            match &tokens[j].1 {
                Token::Open => depth += 1,
                Token::Close => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                Token::Word(w) if w == "fn" && depth == 1 => {
                    if let Some((_, Token::Word(name))) = tokens.get(j + 1) {
                        block.tests.push(name.clone());
                    }
                }
                _ => {}
            }
            j += 1;
        }
        found.push(block);
        i = j;
    }
    found
}

/// The tokens of Rust source with their lines, comments and string and character literals
/// left out (enough of Rust's lexical grammar to find macro blocks and their functions).
fn tokens(text: &str) -> Vec<(usize, Token)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    // Skips to just after `end` (counting lines), honouring backslash escapes if asked.
    let skip_to = |i: &mut usize, line: &mut usize, end: &[char], escapes: bool| {
        while *i < chars.len() {
            if chars[*i] == '\n' {
                *line += 1;
            }
            if escapes && chars[*i] == '\\' {
                if chars.get(*i + 1) == Some(&'\n') {
                    *line += 1;
                }
                *i += 2;
                continue;
            }
            if chars[*i..].starts_with(end) {
                *i += end.len();
                return;
            }
            *i += 1;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\n' => {
                line += 1;
                i += 1;
            }
            '/' if next == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if next == Some('*') => {
                i += 2;
                skip_to(&mut i, &mut line, &['*', '/'], false);
            }
            '"' => {
                i += 1;
                skip_to(&mut i, &mut line, &['"'], true);
            }
            '\'' => {
                // A character literal ('x', '\n', '{') or a lifetime ('a).
                if next == Some('\\') {
                    i += 2;
                    skip_to(&mut i, &mut line, &['\''], true);
                } else if chars.get(i + 2) == Some(&'\'') {
                    i += 3;
                } else {
                    i += 1;
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                // Raw and byte strings: r"…", r#"…"#, b"…", br"…".
                let raw = matches!(word.as_str(), "r" | "br");
                if (raw || word == "b") && matches!(chars.get(i), Some('"' | '#')) {
                    let hashes = chars[i..].iter().take_while(|c| **c == '#').count();
                    if chars.get(i + hashes) == Some(&'"') {
                        i += hashes + 1;
                        let mut end = vec!['"'];
                        end.extend(std::iter::repeat_n('#', hashes));
                        skip_to(&mut i, &mut line, &end, !raw);
                        continue;
                    }
                }
                out.push((line, Token::Word(word)));
            }
            '{' | '(' | '[' => {
                out.push((line, Token::Open));
                i += 1;
            }
            '}' | ')' | ']' => {
                out.push((line, Token::Close));
                i += 1;
            }
            '!' => {
                out.push((line, Token::Bang));
                i += 1;
            }
            c if c.is_whitespace() => i += 1,
            _ => {
                out.push((line, Token::Other));
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn missed_at(file: &str, text: &str) -> Vec<String> {
        missed_in(Path::new(file), text)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    const BLOCK: &str = r##"
use proptest::prelude::*;
// proptest! { fn in_a_comment() {} }
const S: &str = "proptest! { fn in_a_string() {} }";
const R: &str = r#"a "quoted" { brace"#;
fn helper<'a>(x: &'a str) -> char { '{' }
proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]
    #[test]
    fn prop_a_named_test(x in "[a-z]{1,3}") {
        fn inner() {}
        prop_assert!(x.len() < 4, "{}", '}');
    }
    #[test]
    fn an_unnamed_test(x in 0..3u8) { prop_assert!(x < 3); }
}
"##;

    #[test]
    fn a_block_outside_a_properties_target_needs_every_test_named_prop() {
        assert_eq!(
            missed_at("crates/yibao/src/batch.rs", BLOCK),
            [
                "crates/yibao/src/batch.rs:7: a `proptest!` block outside a `properties` test target whose tests are not named `prop_…`: an_unnamed_test"
            ]
        );
        assert_eq!(
            missed_at(
                "tests/integration/batch.rs",
                &BLOCK.replace("an_unnamed", "prop_b")
            ),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_properties_target_is_run_whole_and_a_bench_never() {
        assert!(missed_at("crates/yibao/tests/properties.rs", BLOCK).is_empty());
        // Only a crate's test target is named after its file: the integration binary's
        // modules are not targets.
        assert_eq!(missed_at("tests/integration/properties.rs", BLOCK).len(), 1);
        assert_eq!(
            missed_at(
                "crates/yibao/benches/settle.rs",
                &BLOCK.replace("an_unnamed", "prop_b")
            ),
            [
                "crates/yibao/benches/settle.rs:7: a `proptest!` block in a bench, which props does not run"
            ]
        );
    }

    /// The workspace's own property tests are all where props runs them.
    #[test]
    fn every_proptest_block_of_the_workspace_is_run_by_props() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let missed = missed(&root).unwrap();
        let lines: Vec<String> = missed.iter().map(ToString::to_string).collect();
        assert!(
            lines.is_empty(),
            "cargo xtask props would not run these (see ARCHITECTURE.md, Testing):\n{}",
            lines.join("\n")
        );
    }
}
