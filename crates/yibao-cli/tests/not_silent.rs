//! No silent zeros (POLICY-NOTES, Conventions: "Absent is never zero, and never a silent
//! zero"): every output format of `yibao settle` shows, beside a claim's 0.00 that is not
//! arithmetic, the reason's code.
//!
//! Two person-years of the scenario suite are settled by the binary in every format:
//! `tests/scenarios/54-…` (Huai'an: general outpatient at level 3 and two-disease drugs at
//! level 2, not paid under H11/H12, and an excluded admission, H22) and `55-…` (Kunshan
//! 2021: no catastrophic schedule published, and outpatient care at primary care, which the
//! K3 table does not list). The flagged claims and their codes are read from the files'
//! hand-computed `[[expected.claims]]`: `not_paid` (the basic fund's reason) and
//! `catastrophic_code` (why the catastrophic part is not settled).
//!
//! What each format must show, for every flagged claim (found by its id):
//! - `table`: the claim's row (the line whose first cell is the id) holds the not-paid code
//!   and the catastrophic code (the catastrophic cell is the code, not an amount); the notes
//!   under the table have a line with the claim's date and `[code]` for each reason; when a
//!   catastrophic part is not settled, the totals row holds its code too;
//! - `table --explain`: all of the above, and the claim's explanation block holds `[code]`
//!   for each reason;
//! - `json`: the claim's object has `not_paid.code` = the code with a non-empty
//!   `not_paid.reason`, and a not-settled catastrophic part is
//!   `{"status": "not_settled", "code": …, "reason": …}` with no `paid`; the totals'
//!   `catastrophic_not_settled.code` is the code;
//! - `csv`: the claim's row has the code in the `not_paid` column and in the `catastrophic`
//!   column; the total row's `catastrophic` is the code;
//! - `nhsa`: in the claim's record (`claim_id`), a fund field (`hifp_pay`, `hifmi_pay`)
//!   that is present and zero requires the reason's code somewhere in the same record (a
//!   field's value, at any depth). A field left out is not a zero.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// A claim of a scenario file that must show a reason.
#[derive(Debug)]
struct Flagged {
    id: String,
    date: String,
    not_paid: Option<String>,
    catastrophic: Option<String>,
}

/// The scenario of a test file written alone (what `yibao settle` reads), and its flagged
/// claims.
fn scenario(file: &str) -> (PathBuf, Vec<Flagged>) {
    let path = Path::new(ROOT).join("tests/scenarios").join(file);
    let text = std::fs::read_to_string(&path).expect("the scenario file");
    let test: toml::Table = toml::from_str(&text).expect("TOML");
    let scenario = test["scenario"].as_table().expect("[scenario]");
    // Two tests may write the same file at once: each writes its own part and renames it
    // over the file, so a reader never sees it half written.
    static PARTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let written = Path::new(env!("CARGO_TARGET_TMPDIR")).join(file);
    let part = written.with_extension(format!(
        "{}.part",
        PARTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    std::fs::write(&part, toml::to_string(scenario).expect("TOML")).expect("written");
    std::fs::rename(&part, &written).expect("renamed");
    let dates: Vec<(String, String)> = scenario["claims"]
        .as_array()
        .expect("claims")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().expect("id").to_owned(),
                c["date"].as_str().expect("date").to_owned(),
            )
        })
        .collect();
    let code = |claim: &toml::Value, key: &str| {
        claim
            .get(key)
            .and_then(|v| v.as_str())
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
    };
    let flagged: Vec<Flagged> = test["expected"]["claims"]
        .as_array()
        .expect("expected claims")
        .iter()
        .map(|c| {
            let id = c["id"].as_str().expect("id").to_owned();
            let date = dates
                .iter()
                .find(|(i, _)| *i == id)
                .map(|(_, d)| d.clone())
                .expect("a claim of the scenario");
            Flagged {
                date,
                not_paid: code(c, "not_paid"),
                catastrophic: code(c, "catastrophic_code"),
                id,
            }
        })
        .filter(|f| f.not_paid.is_some() || f.catastrophic.is_some())
        .collect();
    assert!(!flagged.is_empty(), "{file}: no claim flagged");
    (written, flagged)
}

fn settle(path: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_yibao"))
        .arg("settle")
        .arg(path)
        .args(args)
        .current_dir(ROOT)
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "settle {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The codes a claim must show.
fn codes(f: &Flagged) -> Vec<&str> {
    f.not_paid
        .iter()
        .chain(&f.catastrophic)
        .map(String::as_str)
        .collect()
}

fn check_table(file: &str, text: &str, flagged: &[Flagged], explained: bool) {
    let lines: Vec<&str> = text.lines().collect();
    // A row is `│ cell ┆ cell ┆ … │`.
    let first_cell = |line: &str| {
        line.strip_prefix('│')
            .and_then(|row| row.split('┆').next())
            .map(|cell| cell.trim().to_owned())
    };
    for f in flagged {
        let rows: Vec<&&str> = lines
            .iter()
            .filter(|l| first_cell(l).as_deref() == Some(f.id.as_str()))
            .collect();
        assert_eq!(rows.len(), 1, "{file}: one table row for {}:\n{text}", f.id);
        for code in codes(f) {
            assert!(
                rows[0].contains(code),
                "{file}: the row of {} shows no `{code}`:\n{}",
                f.id,
                rows[0]
            );
            let note = format!("[{code}]");
            assert!(
                lines
                    .iter()
                    .any(|l| l.contains(&f.date) && l.contains(&note)),
                "{file}: no note for {} on {} with {note}:\n{text}",
                f.id,
                f.date
            );
        }
        if explained {
            let header = lines
                .iter()
                .position(|l| l.starts_with(&format!("{} {}", f.id, f.date)))
                .unwrap_or_else(|| panic!("{file}: no explanation of {}:\n{text}", f.id));
            // The block: the claim's steps (indented) up to the next claim's header.
            let block: Vec<&str> = lines[header + 1..]
                .iter()
                .take_while(|l| {
                    l.is_empty() || l.starts_with(' ') || l.starts_with("How each figure")
                })
                .copied()
                .collect();
            for code in codes(f) {
                let tag = format!("[{code}]");
                assert!(
                    block.iter().any(|l| l.contains(&tag)),
                    "{file}: the explanation of {} shows no {tag}:\n{}",
                    f.id,
                    block.join("\n")
                );
            }
        }
    }
    for code in flagged.iter().filter_map(|f| f.catastrophic.as_deref()) {
        let total = lines
            .iter()
            .find(|l| first_cell(l).as_deref() == Some("total"))
            .expect("a totals row");
        assert!(
            total.contains(code),
            "{file}: the totals row shows no `{code}`:\n{total}"
        );
    }
}

fn check_json(file: &str, text: &str, flagged: &[Flagged]) {
    let value: serde_json::Value = serde_json::from_str(text).expect("JSON");
    let claims = value["claims"].as_array().expect("claims");
    for f in flagged {
        let claim = claims
            .iter()
            .find(|c| c["id"] == f.id.as_str())
            .unwrap_or_else(|| panic!("{file}: no claim {}", f.id));
        if let Some(code) = &f.not_paid {
            assert_eq!(claim["basic_fund"], "0.00", "{file}: {}", f.id);
            assert_eq!(
                claim["not_paid"]["code"],
                code.as_str(),
                "{file}: {claim:#}"
            );
            let reason = claim["not_paid"]["reason"].as_str().unwrap_or_default();
            assert!(
                !reason.is_empty(),
                "{file}: {} has no reason: {claim:#}",
                f.id
            );
        }
        if let Some(code) = &f.catastrophic {
            let part = &claim["catastrophic"];
            assert_eq!(part["status"], "not_settled", "{file}: {part:#}");
            assert_eq!(part["code"], code.as_str(), "{file}: {part:#}");
            assert!(part.get("paid").is_none(), "{file}: an amount: {part:#}");
            assert_eq!(
                value["totals"]["catastrophic_not_settled"]["code"],
                code.as_str(),
                "{file}: {:#}",
                value["totals"]
            );
        }
    }
}

fn check_csv(file: &str, text: &str, flagged: &[Flagged]) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().expect("a header").clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{file}: no `{name}` column in {header:?}"))
    };
    let (record, not_paid, catastrophic) =
        (column("record"), column("not_paid"), column("catastrophic"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    let row = |id: &str| {
        rows.iter()
            .find(|r| r.get(record) == Some(id))
            .unwrap_or_else(|| panic!("{file}: no row {id}:\n{text}"))
    };
    for f in flagged {
        let r = row(&f.id);
        if let Some(code) = &f.not_paid {
            assert_eq!(r.get(not_paid), Some(code.as_str()), "{file}: {r:?}");
        }
        if let Some(code) = &f.catastrophic {
            assert_eq!(r.get(catastrophic), Some(code.as_str()), "{file}: {r:?}");
        }
    }
    // Every row is a claim: the totals (and their open parts) are in JSON and the table.
    assert!(
        rows.iter().all(|r| r
            .get(record)
            .is_some_and(|id| id != "total" && id != "合计")),
        "{file}: a totals row in the CSV:\n{text}"
    );
}

/// Whether a JSON value is a zero amount (`"0.00"`, `0`, `0.0`).
fn is_zero(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(s) => s.parse::<f64>().is_ok_and(|x| x == 0.0),
        serde_json::Value::Number(n) => n.as_f64().is_some_and(|x| x == 0.0),
        _ => false,
    }
}

/// Whether `code` is a string anywhere in `value`.
fn holds(value: &serde_json::Value, code: &str) -> bool {
    match value {
        serde_json::Value::String(s) => s == code,
        serde_json::Value::Array(items) => items.iter().any(|v| holds(v, code)),
        serde_json::Value::Object(map) => map.values().any(|v| holds(v, code)),
        _ => false,
    }
}

fn check_nhsa(file: &str, text: &str, flagged: &[Flagged]) {
    let value: serde_json::Value = serde_json::from_str(text).expect("JSON");
    let records: Vec<&serde_json::Value> = match &value {
        serde_json::Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    for f in flagged {
        let record = records
            .iter()
            .find(|r| holds(&r["claim_id"], &f.id) || r["claim_id"] == f.id.as_str())
            .unwrap_or_else(|| panic!("{file}: no record for {}:\n{text}", f.id));
        for (field, code) in [("hifp_pay", &f.not_paid), ("hifmi_pay", &f.catastrophic)] {
            // A settled claim's figures are in its `setlinfo` block.
            let figure = record
                .get("setlinfo")
                .and_then(|setlinfo| setlinfo.get(field))
                .or_else(|| record.get(field));
            let (Some(code), Some(figure)) = (code, figure) else {
                continue;
            };
            assert!(
                !is_zero(figure) || holds(record, code),
                "{file}: {} shows {field} {figure} without `{code}` in its record:\n{record:#}",
                f.id
            );
        }
    }
}

/// One person-year in every format.
fn every_format_shows_the_reasons(file: &str) {
    let (path, flagged) = scenario(file);
    check_table(file, &settle(&path, &[]), &flagged, false);
    check_table(file, &settle(&path, &["--explain"]), &flagged, true);
    check_json(file, &settle(&path, &["--format", "json"]), &flagged);
    check_csv(file, &settle(&path, &["--format", "csv"]), &flagged);
}

/// One person-year in the national platform's fields.
fn nhsa_shows_the_reasons(file: &str) {
    let (path, flagged) = scenario(file);
    check_nhsa(file, &settle(&path, &["--format", "nhsa"]), &flagged);
}

/// H11, H12, H22: claims the basic fund does not pay at all.
#[test]
fn h11_h12_h22_not_paid_claims_show_their_reason_in_every_format() {
    every_format_shows_the_reasons("54-huaian-outpatient-away-from-primary-care-not-paid.toml");
}

/// Kunshan 2021: no catastrophic schedule published (and K3's unlisted primary care).
#[test]
fn kunshan_catastrophic_not_published_is_never_0_00_in_any_format() {
    every_format_shows_the_reasons("55-kunshan-catastrophic-not-published.toml");
}

/// H11, H12, H22 in the national platform's fields.
#[test]
fn h11_h12_h22_not_paid_claims_show_their_reason_in_nhsa_fields() {
    nhsa_shows_the_reasons("54-huaian-outpatient-away-from-primary-care-not-paid.toml");
}

/// Kunshan 2021 in the national platform's fields: no `hifmi_pay` 0.00 pretending to be
/// final.
#[test]
fn kunshan_catastrophic_not_published_is_never_0_00_in_nhsa_fields() {
    nhsa_shows_the_reasons("55-kunshan-catastrophic-not-published.toml");
}
