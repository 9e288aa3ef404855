//! `yibao settle --format nhsa` as a platform consumer reads it: the totals close on every
//! claim of every example and scenario, a claim outside cover is no settlement, a figure the
//! sources do not give is `null` with its reason (never a `0.00`), and amounts are JSON numbers
//! with two decimals. The output is read as text: numbers are taken from their raw JSON text
//! and parsed as exact amounts, never through a float.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::value::RawValue;
use yibao::core::Yuan;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// One JSON object, its values kept as raw text.
type Object = BTreeMap<String, Box<RawValue>>;

/// `yibao settle <file> --format nhsa`, the scenario given as a file or as TOML on stdin.
fn nhsa(file: Option<&Path>, stdin: Option<&str>) -> Result<String, String> {
    let path = file.map_or("-".to_owned(), |p| p.display().to_string());
    let mut child = Command::new(env!("CARGO_BIN_EXE_yibao"))
        .args(["settle", &path, "--format", "nhsa"])
        .current_dir(ROOT)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.unwrap_or_default().as_bytes())
        .expect("stdin written");
    drop(input);
    let out = child.wait_with_output().expect("the binary ends");
    if out.status.success() {
        Ok(String::from_utf8(out.stdout).expect("UTF-8"))
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn claims(text: &str) -> Vec<Object> {
    serde_json::from_str(text).expect("a JSON list of objects")
}

fn object(raw: &RawValue) -> Object {
    serde_json::from_str(raw.get()).expect("a JSON object")
}

fn text_of(entry: &Object, key: &str) -> String {
    let raw = entry
        .get(key)
        .unwrap_or_else(|| panic!("no `{key}` in {entry:?}"));
    serde_json::from_str(raw.get()).unwrap_or_else(|_| panic!("`{key}` is not a string"))
}

/// An amount field: `Some` for a number, `None` for `null`.
fn amount(entry: &Object, key: &str) -> Option<Yuan> {
    let raw = entry
        .get(key)
        .unwrap_or_else(|| panic!("no `{key}` in {entry:?}"))
        .get();
    if raw == "null" {
        return None;
    }
    assert!(
        !raw.starts_with('"'),
        "`{key}` is a string ({raw}), not a number"
    );
    Some(
        raw.parse()
            .unwrap_or_else(|e| panic!("`{key}` = {raw}: {e}")),
    )
}

fn known(entry: &Object, key: &str) -> Yuan {
    amount(entry, key).unwrap_or_else(|| panic!("`{key}` is null"))
}

fn setlinfo(entry: &Object) -> Object {
    object(entry.get("setlinfo").expect("a settled claim has setlinfo"))
}

fn setldetail(entry: &Object) -> Vec<Object> {
    let raw = entry
        .get("setldetail")
        .expect("a settled claim has setldetail");
    serde_json::from_str(raw.get()).expect("a list")
}

/// The fields left null, by name, with their reasons.
fn absent(entry: &Object) -> BTreeMap<String, String> {
    let Some(raw) = entry.get("absent") else {
        return BTreeMap::new();
    };
    let list: Vec<Object> = serde_json::from_str(raw.get()).expect("a list");
    list.iter()
        .map(|a| (text_of(a, "field"), text_of(a, "reason")))
        .collect()
}

fn sum(amounts: impl IntoIterator<Item = Yuan>) -> Yuan {
    Yuan::checked_sum(amounts).expect("no overflow")
}

fn by_id<'a>(claims: &'a [Object], id: &str) -> &'a Object {
    claims
        .iter()
        .find(|c| {
            c.get("claim_id")
                .is_some_and(|raw| raw.get() == format!("\"{id}\""))
        })
        .unwrap_or_else(|| panic!("no claim {id}"))
}

/// Every rule a settled or not-settled entry must keep; `Err` names the first broken one.
fn check_entry(entry: &Object) -> Result<(), String> {
    match text_of(entry, "status").as_str() {
        "not_settled" => {
            let keys: Vec<&str> = entry.keys().map(String::as_str).collect();
            if keys
                != [
                    "claim_id",
                    "code",
                    "date",
                    "medfee_sumamt",
                    "psn_no",
                    "reason",
                    "status",
                ]
            {
                return Err(format!("a claim not settled carries {keys:?}"));
            }
            Ok(())
        }
        "settled" => {
            let info = setlinfo(entry);
            let detail = setldetail(entry);
            let nulls = absent(entry);
            let fund = known(&info, "fund_pay_sumamt");
            let person = known(&info, "psn_part_amt");
            if known(&info, "medfee_sumamt") != sum([fund, person]) {
                return Err(format!("medfee ≠ fund {fund} + person {person}"));
            }
            let details = sum(detail.iter().map(|d| known(d, "fund_payamt")));
            if fund != details {
                return Err(format!("fund {fund} ≠ setldetail {details}"));
            }
            let parts = ["hifp_pay", "hifmi_pay", "maf_pay", "oth_pay"];
            let by_field = sum(parts.iter().filter_map(|k| amount(&info, k)));
            if fund != by_field {
                return Err(format!("fund {fund} ≠ hifp + hifmi + maf + oth {by_field}"));
            }
            let cash = sum([known(&info, "psn_cash_pay"), known(&info, "acct_pay")]);
            if cash != person {
                return Err(format!("cash + account {cash} ≠ person {person}"));
            }
            for key in ["hifmi_pay", "maf_pay", "pool_prop_selfpay"] {
                let is_null = info.get(key).is_some_and(|raw| raw.get() == "null");
                if is_null != nulls.contains_key(key) {
                    return Err(format!(
                        "`{key}` null: {is_null}, with a reason: {}",
                        !is_null
                    ));
                }
            }
            Ok(())
        }
        other => Err(format!("status `{other}`")),
    }
}

fn files(dir: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join(dir))
        .expect("the directory")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    found.sort();
    found
}

/// The `[scenario]` table of a scenario test file, as a scenario file's TOML.
fn scenario_of(test_file: &Path) -> String {
    let text = std::fs::read_to_string(test_file).expect("readable");
    let mut table: toml::Table = toml::from_str(&text).expect("TOML");
    let scenario = table.remove("scenario").expect("a [scenario] table");
    toml::to_string(&scenario).expect("TOML out")
}

#[test]
fn totals_close_for_every_claim_of_every_example_and_scenario() {
    let mut runs: Vec<(String, Result<String, String>)> = files("examples")
        .iter()
        .map(|path| (path.display().to_string(), nhsa(Some(path), None)))
        .collect();
    for path in files("tests/scenarios") {
        runs.push((
            path.display().to_string(),
            nhsa(None, Some(&scenario_of(&path))),
        ));
    }
    let (mut settled, mut not_settled) = (0, 0);
    let mut broken = Vec::new();
    for (name, run) in &runs {
        // A scenario the engine refuses as a whole prints no NHSA output to check.
        let Ok(text) = run else { continue };
        for (index, entry) in claims(text).iter().enumerate() {
            match check_entry(entry) {
                Ok(()) if text_of(entry, "status") == "settled" => settled += 1,
                Ok(()) => not_settled += 1,
                Err(e) => broken.push(format!("{name} claim {index}: {e}")),
            }
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    // 49 of the 56 files settle, with 94 settled claims and 10 outside cover today; the
    // bounds leave room for scenarios to come and go.
    assert!(settled >= 80, "only {settled} settled claims were checked");
    assert!(
        not_settled >= 3,
        "only {not_settled} claims outside cover were checked"
    );
}

/// H3: paid outside the window, A1 falls in the 2-month waiting period and is no settlement;
/// A2 after it settles: level 2, (10,000 − 600) × 75% = 7,050, the person 2,950.
#[test]
fn h3_a_claim_in_the_waiting_period_is_not_settled() {
    let path = Path::new(ROOT).join("tests/scenarios/15-huaian-late-payment-waiting-period.toml");
    let text = nhsa(None, Some(&scenario_of(&path))).expect("settles");
    let claims = claims(&text);
    let a1 = by_id(&claims, "A1");
    assert_eq!(text_of(a1, "status"), "not_settled");
    assert!(text_of(a1, "reason").contains("waiting period"));
    assert_eq!(known(a1, "medfee_sumamt"), "10000".parse().unwrap());
    assert!(a1.get("setlinfo").is_none() && a1.get("hifp_pay").is_none());
    let a2 = by_id(&claims, "A2");
    let info = setlinfo(a2);
    assert_eq!(known(&info, "hifp_pay"), "7050".parse().unwrap());
    assert_eq!(known(&info, "psn_part_amt"), "2950".parse().unwrap());
    assert_eq!(
        info.get("pool_prop_selfpay").map(|r| r.get()),
        Some("0.7500")
    );
}

/// K4 with no catastrophic schedule for Kunshan 2021: the admissions' basic fund is settled
/// (A1 37,625; A2 15,800, from the example's hand computation), catastrophic is `null` with
/// the reason, never `0.00`, and no catastrophic fund appears in `setldetail`.
#[test]
fn k4_kunshan_2021_catastrophic_is_null_not_zero() {
    let text = nhsa(Some(Path::new("examples/kunshan-2021-student.toml")), None).expect("settles");
    let claims = claims(&text);
    for (id, fund, person) in [("A1", "37625", "12375"), ("A2", "15800", "4200")] {
        let entry = by_id(&claims, id);
        let info = setlinfo(entry);
        assert_eq!(info["hifmi_pay"].get(), "null", "{id}");
        let reason = &absent(entry)["hifmi_pay"];
        assert!(
            reason.contains("no catastrophic schedule for Kunshan 2021"),
            "{id}: {reason}"
        );
        assert_eq!(known(&info, "hifp_pay"), fund.parse().unwrap(), "{id}");
        assert_eq!(
            known(&info, "fund_pay_sumamt"),
            fund.parse().unwrap(),
            "{id}"
        );
        assert_eq!(
            known(&info, "psn_part_amt"),
            person.parse().unwrap(),
            "{id}"
        );
        let codes: Vec<String> = setldetail(entry)
            .iter()
            .map(|d| text_of(d, "fund_pay_type"))
            .collect();
        assert_eq!(codes, ["390100"], "{id}");
    }
}

/// H1, H19, H24: a medical-aid recipient's aid follows basic and catastrophic insurance but
/// the sources give no formula: `maf_pay` is `null` with that reason. A1 (level 3, 300,000):
/// fund (300,000 − 900) × 65% = 194,415; catastrophic on the aid schedule 66,438.75; the
/// funds 260,853.75; the person 39,146.25.
#[test]
fn h1_medical_aid_recipient_has_no_maf_pay_figure() {
    let path =
        Path::new(ROOT).join("tests/scenarios/20-huaian-aid-recipient-catastrophic-bands.toml");
    let text = nhsa(None, Some(&scenario_of(&path))).expect("settles");
    let claims = claims(&text);
    for entry in &claims {
        assert_eq!(setlinfo(entry)["maf_pay"].get(), "null");
        let reason = &absent(entry)["maf_pay"];
        assert!(
            reason.contains("医疗救助") && reason.contains("no formula"),
            "{reason}"
        );
    }
    let info = setlinfo(by_id(&claims, "A1"));
    assert_eq!(known(&info, "hifp_pay"), "194415".parse().unwrap());
    assert_eq!(known(&info, "hifmi_pay"), "66438.75".parse().unwrap());
    assert_eq!(
        known(&info, "fund_pay_sumamt"),
        "260853.75".parse().unwrap()
    );
    assert_eq!(known(&info, "psn_part_amt"), "39146.25".parse().unwrap());
}

/// H15: a delivery's costs left after basic and catastrophic insurance (2,900) are paid by
/// the fiscal subsidy, which counts among the funds: 5,100 + 0 + 2,900 = 8,000, the person 0.
#[test]
fn h15_maternity_subsidy_is_inside_the_fund_total() {
    let path = Path::new(ROOT).join("tests/scenarios/11-huaian-maternity-in-province.toml");
    let text = nhsa(None, Some(&scenario_of(&path))).expect("settles");
    let claims = claims(&text);
    let entry = by_id(&claims, "M1");
    let info = setlinfo(entry);
    assert_eq!(known(&info, "oth_pay"), "2900".parse().unwrap());
    assert_eq!(known(&info, "fund_pay_sumamt"), "8000".parse().unwrap());
    assert_eq!(known(&info, "psn_part_amt"), Yuan::ZERO);
    let detail: Vec<(String, Yuan)> = setldetail(entry)
        .iter()
        .map(|d| (text_of(d, "fund_pay_type"), known(d, "fund_payamt")))
        .collect();
    assert_eq!(
        detail,
        [
            ("390100".to_owned(), "5100".parse().unwrap()),
            ("390200".to_owned(), Yuan::ZERO),
            ("999997".to_owned(), "2900".parse().unwrap()),
        ]
    );
}

/// Every amount is written as a bare JSON number with exactly two decimals, and the ratio
/// with four, in the raw text.
#[test]
fn amounts_are_json_numbers_with_two_decimals() {
    let text = nhsa(Some(Path::new("examples/huaian-2026-inpatient.toml")), None).expect("settles");
    let two_decimals = |value: &str| {
        let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
        !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.len() == 2
            && fraction.bytes().all(|b| b.is_ascii_digit())
    };
    let mut amounts = 0;
    for line in text.lines() {
        let Some((key, value)) = line.trim().split_once(": ") else {
            continue;
        };
        let value = value.trim_end_matches(',');
        let key = key.trim_matches('"');
        if key == "pool_prop_selfpay" {
            assert!(
                value.len() == 6 && value.starts_with("0.") || value == "1.0000",
                "{line}"
            );
        } else if key.ends_with("_amt")
            || key.ends_with("_pay")
            || key.ends_with("_sumamt")
            || key.ends_with("_selfpay")
            || key.ends_with("_dedc")
            || key == "fund_payamt"
        {
            assert!(two_decimals(value), "not a number with 2 decimals: {line}");
            amounts += 1;
        }
    }
    // 3 claims × 17 amounts in setlinfo + 2 setldetail entries each (basic, catastrophic).
    assert_eq!(amounts, 3 * 17 + 3 * 2);
}
