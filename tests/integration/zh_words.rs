//! With `--lang zh` every word the engine prints is Chinese: this scans every zh snapshot of
//! the workspace (`crates/**/snapshots/*zh*`, `tests/**/snapshots/*zh*`: the one of
//! `yibao settle --explain --lang zh` and every row of `crates/yibao-cli/tests/zh.rs`, one
//! per command) and fails on a word of two or more ASCII letters that is not an id (rule,
//! question, person, claim, filing), a field name or on the short allow-list below. The
//! command line a snapshot shows (`$ yibao …`) and its exit marker (`[exit 0]`) are what the
//! user typed and the test's frame, not the engine's words: they are not scanned.

use std::path::{Path, PathBuf};

/// Field names of the outputs (CSV headers, JSON keys) that a zh output may show as they are.
const FIELD_NAMES: &[&str] = &[
    "record",
    "date",
    "kind",
    "level",
    "cover",
    "remote_care",
    "amount",
    "eligible",
    "deductible",
    "basic_fund",
    "not_paid",
    "catastrophic",
    "fiscal_subsidy",
    "personal",
];

/// Words a zh output may show as they are, each for a reason.
const ALLOWED: &[(&str, &str)] = &[
    // The places of the policy data's area tree (`jiangsu/suzhou/kunshan`, `shanghai`) are
    // ids: the data gives them no Chinese name, and the scenario names care's place by them.
    ("jiangsu", "an area id of the policy data"),
    ("suzhou", "an area id of the policy data"),
    ("kunshan", "an area id of the policy data"),
    ("nanjing", "an area id of the policy data"),
    ("shanghai", "an area id of the policy data"),
    ("beijing", "an area id of the policy data"),
    ("zhejiang", "an area id of the policy data"),
    ("hangzhou", "an area id of the policy data"),
    ("qingpu", "an area id of the policy data"),
];

/// Whether a run of ASCII letters, digits and `_.-` may stand in a Chinese text: a rule id
/// (`H14`), a question of the Huai'an source (`Q60`), a person's or a claim's id (`HA-0001`,
/// `A1`), a field name.
fn allowed(word: &str) -> bool {
    let id = |prefix: &str| {
        word.strip_prefix(prefix).is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .trim_start_matches('-')
                    .bytes()
                    .all(|b| b.is_ascii_digit())
        })
    };
    let letters: String = word.chars().take_while(char::is_ascii_uppercase).collect();
    word.bytes().filter(u8::is_ascii_alphabetic).count() < 2
        || (1..=2).contains(&letters.len()) && id(&letters)
        || FIELD_NAMES.contains(&word)
        || ALLOWED.iter().any(|(allowed, _)| *allowed == word)
}

/// Whether a line of a snapshot is the engine's output, not the command typed (`$ yibao …`)
/// or the test's exit marker (`[exit 0]`).
fn printed(line: &str) -> bool {
    !(line.starts_with("$ yibao ") || line.starts_with("[exit "))
}

/// The words of a text that are not allowed.
fn english_words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .map(|w| w.trim_matches('-'))
        .filter(|w| w.bytes().any(|b| b.is_ascii_alphabetic()))
        .filter(|w| !allowed(w))
        .map(str::to_owned)
        .collect()
}

/// The body of an insta snapshot (after its `---` header).
fn body(snapshot: &str) -> &str {
    snapshot
        .strip_prefix("---")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map_or(snapshot, |(_, body)| body)
}

fn zh_snapshots(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() && name != "target" && !name.starts_with('.') {
            zh_snapshots(&path, found);
        } else if name.ends_with(".snap")
            && name.contains("zh")
            && path.parent().is_some_and(|p| p.ends_with("snapshots"))
        {
            found.push(path);
        }
    }
}

#[test]
fn the_allow_list_lets_ids_through_and_stops_words() {
    for (text, words) in [
        ("[H14] 统筹基金: 三级医院 HA-0001 A1 Q60", vec![]),
        ("record,date,level", vec![]),
        (
            "本年度第 1 次住院 at primary care",
            vec!["at", "primary", "care"],
        ),
        ("ordinary：累计", vec!["ordinary"]),
        ("备案 f1 覆盖 shanghai：C 栋", vec![]),
    ] {
        assert_eq!(english_words(text), words, "{text}");
    }
}

#[test]
fn zh_snapshots_have_no_english_word() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut snapshots = Vec::new();
    zh_snapshots(&root.join("crates"), &mut snapshots);
    zh_snapshots(&root.join("tests"), &mut snapshots);
    assert!(!snapshots.is_empty(), "no zh snapshot found");
    let mut found = Vec::new();
    for path in &snapshots {
        let text = std::fs::read_to_string(path).unwrap();
        for (n, line) in body(&text).lines().enumerate().filter(|(_, l)| printed(l)) {
            let words = english_words(line);
            if !words.is_empty() {
                found.push(format!(
                    "{}: line {} of the body: {}",
                    path.strip_prefix(&root).unwrap_or(path).display(),
                    n + 1,
                    words.join(", ")
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "English words in zh output:\n{}",
        found.join("\n")
    );
}
