//! Test support: the real policy data and the real holiday calendar.
#![allow(dead_code)]

use chrono::NaiveDate;
use yibao_core::{HolidayNotice, Validate, WorkingDayCalendar};
use yibao_filing::{FilingEvent, FilingPolicy};

pub const JIANGSU: &str = include_str!("../../../../policy-data/jiangsu/every-year.toml");
pub const SUZHOU: &str = include_str!("../../../../policy-data/suzhou/every-year.toml");
pub const WUJIANG: &str = include_str!("../../../../policy-data/wujiang/every-year.toml");
pub const KUNSHAN_2021: &str = include_str!("../../../../policy-data/kunshan/2021.toml");
pub const HUAIAN_2026: &str = include_str!("../../../../policy-data/huaian/2026.toml");

pub const HOLIDAYS_2021: &str =
    include_str!("../../../../policy-data/calendar/cn-holidays/2021.json");
pub const HOLIDAYS_2022: &str =
    include_str!("../../../../policy-data/calendar/cn-holidays/2022.json");
pub const HOLIDAYS_2025: &str =
    include_str!("../../../../policy-data/calendar/cn-holidays/2025.json");
pub const HOLIDAYS_2026: &str =
    include_str!("../../../../policy-data/calendar/cn-holidays/2026.json");
pub const HOLIDAYS_2027: &str =
    include_str!("../../../../policy-data/calendar/cn-holidays/2027.json");

fn deep_merge(into: &mut toml::Table, from: &toml::Table) {
    for (key, value) in from {
        match (into.get_mut(key), value) {
            (Some(toml::Value::Table(a)), toml::Value::Table(b)) => deep_merge(a, b),
            _ => {
                into.insert(key.clone(), value.clone());
            }
        }
    }
}

/// The `[filing]` section of a city, merged over the province's and Suzhou's as the loader does.
pub fn section(levels: &[&str]) -> FilingPolicy {
    let mut merged = toml::Table::new();
    for text in levels {
        let table: toml::Table = yibao_core::prose::parse(text).unwrap_or_else(|e| panic!("{e}"));
        if let Some(toml::Value::Table(filing)) = table.get("filing") {
            let mut wrapper = toml::Table::new();
            wrapper.insert("filing".into(), toml::Value::Table(filing.clone()));
            deep_merge(&mut merged, &wrapper);
        }
    }
    let filing = merged
        .get("filing")
        .cloned()
        .unwrap_or_else(|| panic!("no [filing]"));
    let policy: FilingPolicy = filing.try_into().unwrap_or_else(|e| panic!("{e}"));
    let diagnostics = policy.validate();
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    policy
}

pub fn wujiang() -> FilingPolicy {
    section(&[JIANGSU, SUZHOU, WUJIANG])
}

pub fn kunshan() -> FilingPolicy {
    section(&[JIANGSU, SUZHOU, KUNSHAN_2021])
}

pub fn huaian() -> FilingPolicy {
    section(&[JIANGSU, HUAIAN_2026])
}

/// The holiday-cn files carry `$schema` and `$id`, which `HolidayNotice` does not take.
fn notice(json: &str) -> HolidayNotice {
    let mut value: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
    if let Some(object) = value.as_object_mut() {
        object.remove("$schema");
        object.remove("$id");
    }
    serde_json::from_value(value).unwrap_or_else(|e| panic!("{e}"))
}

pub fn calendar() -> WorkingDayCalendar {
    let notices: Vec<HolidayNotice> = [
        HOLIDAYS_2021,
        HOLIDAYS_2022,
        HOLIDAYS_2025,
        HOLIDAYS_2026,
        HOLIDAYS_2027,
    ]
    .into_iter()
    .map(notice)
    .collect();
    WorkingDayCalendar::from_notices(&notices).unwrap_or_else(|e| panic!("{e}"))
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_else(|| panic!("bad date {y}-{m}-{day}"))
}

/// Events from JSON, one per line of `(filing, on, kind-json)`.
pub fn event(filing: &str, on: NaiveDate, kind: &str) -> FilingEvent {
    let json = format!(r#"{{"filing": "{filing}", "on": "{on}", "kind": {kind}}}"#);
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

pub fn submitted(
    filing: &str,
    on: NaiveDate,
    filing_type: &str,
    area: &str,
    start: NaiveDate,
    basis: &str,
) -> FilingEvent {
    event(
        filing,
        on,
        &format!(
            r#"{{"submitted": {{"filing_type": "{filing_type}", "area": "{area}", "start": "{start}", "basis": {basis}}}}}"#
        ),
    )
}

pub const COMMITMENT: &str = r#""commitment_letter""#;
pub const NO_EXPIRY: &str = r#"{"materials": {"document": "no_expiry"}}"#;

pub fn expires(day: NaiveDate) -> String {
    format!(r#"{{"materials": {{"document": {{"expires_on": "{day}"}}}}}}"#)
}

/// Applies a broken-policy fixture's edits to the real files; every `find` must occur once.
pub fn apply_fixture(fixture: &str) -> Vec<(String, String)> {
    let fixture: toml::Table = yibao_core::prose::parse(fixture).unwrap_or_else(|e| panic!("{e}"));
    let mut files: Vec<(String, String)> = [
        ("jiangsu/every-year.toml", JIANGSU),
        ("suzhou/every-year.toml", SUZHOU),
        ("wujiang/every-year.toml", WUJIANG),
        ("kunshan/2021.toml", KUNSHAN_2021),
        ("huaian/2026.toml", HUAIAN_2026),
    ]
    .into_iter()
    .map(|(name, text)| (name.to_owned(), text.to_owned()))
    .collect();
    let edits = fixture
        .get("edit")
        .and_then(|e| e.as_array())
        .cloned()
        .unwrap_or_default();
    for edit in edits {
        let file = edit
            .get("file")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let find = edit
            .get("find")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let replace = edit
            .get("replace")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        let entry = files
            .iter_mut()
            .find(|(name, _)| name == file)
            .unwrap_or_else(|| panic!("no file {file}"));
        assert_eq!(
            entry.1.matches(find).count(),
            1,
            "`{find}` must occur once in {file}"
        );
        entry.1 = entry.1.replace(find, replace);
    }
    files
}

/// Whether the `[filing]` sections of the edited files all load and validate clean.
pub fn filing_sections_clean(files: &[(String, String)]) -> Result<(), String> {
    let get = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.as_str())
            .unwrap_or_default()
    };
    for city in [
        vec![
            "jiangsu/every-year.toml",
            "suzhou/every-year.toml",
            "wujiang/every-year.toml",
        ],
        vec![
            "jiangsu/every-year.toml",
            "suzhou/every-year.toml",
            "kunshan/2021.toml",
        ],
        vec!["jiangsu/every-year.toml", "huaian/2026.toml"],
    ] {
        let mut merged = toml::Table::new();
        for name in city {
            let table: toml::Table =
                yibao_core::prose::parse(get(name)).map_err(|e| e.to_string())?;
            if let Some(filing) = table.get("filing") {
                let mut wrapper = toml::Table::new();
                wrapper.insert("filing".into(), filing.clone());
                deep_merge(&mut merged, &wrapper);
            }
        }
        let filing = merged.get("filing").cloned().ok_or("no [filing]")?;
        let policy: FilingPolicy = filing
            .try_into()
            .map_err(|e: toml::de::Error| e.to_string())?;
        let diagnostics = policy.validate();
        if !diagnostics.is_empty() {
            return Err(diagnostics
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"));
        }
    }
    Ok(())
}
