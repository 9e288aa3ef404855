//! With `--lang zh` every word the engine prints is Chinese: this scans every zh snapshot of
//! the workspace (`crates/**/snapshots/*zh*`, `tests/**/snapshots/*zh*`: the one of
//! `yibao settle --explain --lang zh` and every row of `crates/yibao-cli/tests/zh.rs`, one
//! per command) and fails on a word of two or more ASCII letters that is not an id (rule,
//! question, person, claim, filing), a field name or on the short allow-list below. The
//! command line a snapshot shows (`$ yibao …`) and its exit marker (`[exit 0]`) are what the
//! user typed and the test's frame, not the engine's words: they are not scanned. In an
//! error, the program's name (`yibao: `), the file's place (`path:line:col: `), an option's
//! name (`--burden`) and a value between backquotes (`` `huaan` ``: the value as given, an
//! id, a field or word of the scenario format) are the user's or the format's, not the
//! engine's words: they are not scanned either ([`engine_text`]); nor is the stable code of a
//! finding of the policy data, in brackets after its severity (`错误[unknown-rule]`, an id).

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
    // The errors file of `yibao batch` (printed on standard error without `--errors`): in
    // its `person_id` and `column` fields, the claims file's columns as they are named.
    "person_id",
    "category",
    "hospital_level",
];

/// The header of the errors file of `yibao batch`, printed on standard error without
/// `--errors`: a table's field names, the same in every language.
const ERRORS_HEADER: &str = "line,person_id,column,reason";

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
    // The names of formats and notations, written so in Chinese texts too.
    ("TOML", "a file format's name"),
    ("JSON", "a file format's name"),
    ("UTF-8", "a text encoding's name"),
    ("UTF-16", "a text encoding's name"),
    ("NUL", "a character's name"),
    // The sources' own word for a mobile application (手机银行 APP, 江苏医保云APP).
    ("APP", "the sources' word for a mobile application"),
    ("YYYY-MM-DD", "the notation of a date as it is typed"),
    ("HH", "the notation of a time of day (HH:MM) as it is typed"),
    ("MM", "the notation of a time of day (HH:MM) as it is typed"),
    // A unit's symbol, written so in Chinese texts too (the batch summary's peak memory).
    ("MiB", "the symbol of the mebibyte"),
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
        || word
            .strip_prefix("0x")
            .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
        || ALLOWED.iter().any(|(allowed, _)| *allowed == word)
}

/// Whether a line of a snapshot is the engine's output, not the command typed (`$ yibao …`),
/// the test's exit marker (`[exit 0]`) or the errors file's header.
fn printed(line: &str) -> bool {
    !(line.starts_with("$ yibao ") || line.starts_with("[exit ") || line == ERRORS_HEADER)
}

/// The engine's own words of a printed line: without the program's name and the file's
/// place that start an error (`yibao: path:3:1: `), the options' names (`--year`) and the
/// values between backquotes.
fn engine_text(line: &str) -> String {
    let mut line = line.strip_prefix("yibao: ").unwrap_or(line);
    if let Some((place, rest)) = line.split_once(": ") {
        let mut parts = place.rsplitn(3, ':');
        let numbers = [parts.next(), parts.next()]
            .iter()
            .all(|p| p.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())));
        if numbers && parts.next().is_some_and(|path| !path.contains(' ')) {
            line = rest;
        }
    }
    let mut text = String::with_capacity(line.len());
    for (i, piece) in line.split('`').enumerate() {
        // Odd pieces are between backquotes.
        if i % 2 == 0 {
            text.push_str(piece);
        }
        text.push(' ');
    }
    // An option's name (`--burden`) is the user's; an e-mail address (a filing channel's,
    // as the source gives it) is an address, not words.
    text.split(' ')
        .filter(|word| !word.starts_with("--") && !word.contains('@'))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text without the codes of the policy data's findings (`错误[unknown-rule]`,
/// `警告[unexpected-file]`): the severity kept, its code, an id, left out.
fn without_codes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = ["错误[", "警告["]
        .iter()
        .filter_map(|mark| rest.find(mark).map(|i| (i, mark.len())))
        .min()
    {
        let (i, len) = at;
        out.push_str(&rest[..i + len - 1]);
        rest = &rest[i + len..];
        match rest.find(']') {
            Some(close) => rest = &rest[close + 1..],
            None => break,
        }
    }
    out.push_str(rest);
    out
}

/// The words of a text that are not allowed.
pub(crate) fn english_words(text: &str) -> Vec<String> {
    let text = without_codes(&engine_text(text));
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        // An option's name after a Chinese colon (`：--set`).
        .filter(|w| !w.starts_with("--"))
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
        (
            "yibao: [dir]/07-huaian-refused.toml:8:1: 未知字段 `yaer`（位置 `claims[0]`）",
            vec![],
        ),
        ("yibao: --burden：`12,5` 不是金额", vec![]),
        (
            "yibao: --burden：`12,5` is not valid",
            vec!["is", "not", "valid"],
        ),
        (
            "该文件不是 UTF-8 文本：字节 0xA5；写作 YYYY-MM-DD、HH:MM",
            vec![],
        ),
        (
            "yibao: 2026-02-29 does not exist: reason",
            vec!["does", "not", "exist", "reason"],
        ),
        (
            "policy-data/huaian/2026.toml:3:1: 错误[unknown-rule]：规则 H99 未登记（位置 `meta`）",
            vec![],
        ),
        ("警告[unexpected-file]：加载时不读取此文件", vec![]),
        ("错误[malformed-setting]：--set `a`：键路径为空", vec![]),
        (
            "错误[unknown-rule]: rule H99 is not registered",
            vec!["rule", "is", "not", "registered"],
        ),
        ("[unknown-rule] 规则", vec!["unknown-rule"]),
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
