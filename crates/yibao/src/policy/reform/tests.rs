#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::policy::PolicyFiles;
use crate::scenario::{ScenarioFile, ScenarioFormat};
use yibao_core::Yuan;

fn library() -> PolicyLibrary {
    PolicyLibrary::load(&PolicyFiles::embedded()).unwrap()
}

fn year(y: i64) -> PolicyYear {
    PolicyYear::new(y).unwrap()
}

fn yuan(text: &str) -> Yuan {
    text.parse().unwrap()
}

fn with_settings(settings: &[&str]) -> Reform {
    let mut reform = Reform::default();
    for s in settings {
        reform.set(s).unwrap();
    }
    reform
}

/// A Huai'an 2026 resident covered all year with one level-3 admission of `amount`.
fn admission(id: &str, amount: &str) -> String {
    format!(
        r#"
jurisdiction = "huaian"
year = 2026
[person]
id = "{id}"
born = "1970-01-01"
category = "resident"
group = "resident"
family_doctor = "not_signed"
[[enrolment]]
on = "2025-11-15"
event = "payment"
year = 2026
[[claims]]
id = "{id}-1"
date = "2026-04-01"
kind = "inpatient"
level = "level_3"
amount = "{amount}"
"#
    )
}

/// (basic fund, catastrophic, personal) of the population under a library.
fn totals(library: &PolicyLibrary, persons: &[String]) -> (Yuan, Yuan, Yuan) {
    let mut sums = (Yuan::ZERO, Yuan::ZERO, Yuan::ZERO);
    for text in persons {
        let file = ScenarioFile::parse("person.toml", text, ScenarioFormat::Toml).unwrap();
        let report = crate::settle::settle(library, &file.scenario).unwrap();
        let t = &report.totals;
        sums = (
            sums.0.checked_add(t.basic_fund).unwrap(),
            sums.1.checked_add(t.catastrophic).unwrap(),
            sums.2.checked_add(t.personal).unwrap(),
        );
    }
    sums
}

/// H14, H19: the level-3 inpatient ratio raised from 65% to 70%, on three persons with one
/// level-3 admission each (deductible 900 per admission, catastrophic threshold 18,000, first
/// band 60%):
///
/// | amount | baseline fund (a − 900) × 65% | reform fund × 70% | baseline catastrophic | reform catastrophic |
/// |---|---|---|---|---|
/// | 900 | 0 | 0 | 0 | 0 |
/// | 10,000 | 5,915.00 | 6,370.00 | 0 (burden 4,085) | 0 (burden 3,630) |
/// | 60,000 | 38,415.00 | 41,370.00 | (21,585 − 18,000) × 60% = 2,151.00 | (18,630 − 18,000) × 60% = 378.00 |
///
/// Fund: 44,330.00 → 47,740.00 (+3,410.00); catastrophic: 2,151.00 → 378.00 (−1,773.00);
/// personal: 70,900 − 44,330 − 2,151 = 24,419.00 → 70,900 − 47,740 − 378 = 22,782.00
/// (−1,637.00). The reform costs the fund 3,410.00 and catastrophic insurance saves 1,773.00.
#[test]
fn a_higher_level_3_inpatient_ratio_costs_what_the_hand_computation_says() {
    let library = library();
    let persons = [
        admission("P1", "900.00"),
        admission("P2", "10000.00"),
        admission("P3", "60000.00"),
    ];
    let reform = with_settings(&["benefits.inpatient.ratio.by_level.level_3=70%"]);
    let reformed = library.reformed("huaian", year(2026), &reform).unwrap();
    let baseline = totals(&library, &persons);
    let changed = totals(&reformed, &persons);
    assert_eq!(
        baseline,
        (yuan("44330.00"), yuan("2151.00"), yuan("24419.00"))
    );
    assert_eq!(
        changed,
        (yuan("47740.00"), yuan("378.00"), yuan("22782.00"))
    );
}

#[test]
fn a_reform_file_and_a_setting_do_the_same() {
    let library = library();
    let file = Reform::from_file(
        "reform.toml",
        "[benefits.inpatient.ratio.by_level]\nlevel_3 = \"70%\"\n",
    )
    .unwrap();
    let set = with_settings(&["benefits.inpatient.ratio.by_level.level_3=70%"]);
    let persons = [admission("P3", "60000.00")];
    let by_file = library.reformed("huaian", year(2026), &file).unwrap();
    let by_set = library.reformed("huaian", year(2026), &set).unwrap();
    assert_eq!(totals(&by_file, &persons), totals(&by_set, &persons));
}

#[test]
fn changed_values_are_set_by_the_reform_and_the_others_keep_their_level() {
    let library = library();
    let reform = with_settings(&["benefits.inpatient.annual_fund_cap=250000"]);
    let reformed = library.reformed("huaian", year(2026), &reform).unwrap();
    let book = reformed.book("huaian", year(2026)).unwrap();
    let value = |key: &str| book.values.iter().find(|v| v.key == key).unwrap().clone();
    let cap = value("benefits.inpatient.annual_fund_cap");
    assert_eq!(
        (cap.value.as_str(), cap.set_by.as_str(), cap.file.as_str()),
        ("250000", REFORM_LEVEL, "--set")
    );
    let rules = value("benefits.inpatient.rules");
    assert_eq!(
        (rules.value.as_str(), rules.set_by.as_str()),
        ("[H14]", "huaian")
    );
    let ratio = value("benefits.inpatient.ratio.by_level.level_3");
    assert_eq!(ratio.set_by, "huaian");
    // The other books are the library's.
    let kunshan = |l: &PolicyLibrary| l.book("kunshan", year(2021)).unwrap().values.to_vec();
    assert_eq!(kunshan(&reformed), kunshan(&library));
}

/// Each `--set` that cannot be: the path and why, in the message.
#[test]
fn settings_that_cannot_be_say_the_path_and_why() {
    let library = library();
    let table: [(&str, &str, &[&str]); 10] = [
        (
            "enrolment.late_payment.months=-1",
            "invalid-value",
            &["expected u32"],
        ),
        (
            "catastrophic.annual_cap=5",
            "incentive-step-above-limit",
            &["step 5000.00 is above the limit"],
        ),
        (
            "benefits.inpatient.ratio.by_level.levl_3=70%",
            "unknown-key",
            &[
                "benefits.inpatient.ratio.by_level.levl_3",
                "nearest known key: `benefits.inpatient.ratio.by_level.level_3`",
            ],
        ),
        (
            "benefits.inpatien.annual_fund_cap=1",
            "unknown-key",
            &[
                "the book has no `benefits.inpatien`",
                "nearest known key: `benefits.inpatient.annual_fund_cap`",
            ],
        ),
        (
            "benefits.inpatient.annual_fund_cap.extra=1",
            "not-a-table",
            &["`benefits.inpatient.annual_fund_cap` is a word or an amount in quotes, not a table"],
        ),
        (
            "benefits.inpatient.ratio=70%",
            "not-a-value",
            &["`benefits.inpatient.ratio` is a table: set one of its keys (by_level)"],
        ),
        (
            "enrolment.late_payment.months=two",
            "invalid-value",
            &[
                "`two` is not a whole number",
                "enrolment.late_payment.months",
            ],
        ),
        (
            "benefits.inpatient.ratio.by_level.level_3=170%",
            "invalid-value",
            &["benefits.inpatient.ratio.by_level.level_3", "170%"],
        ),
        (
            "benefits.inpatient.annual_fund_cap=lots",
            "invalid-value",
            &["benefits.inpatient.annual_fund_cap", "lots"],
        ),
        (
            "benefits.general_outpatient.paid_at=primary_care",
            "invalid-value",
            &[
                "`primary_care` is not a list",
                "benefits.general_outpatient.paid_at",
            ],
        ),
    ];
    for (setting, code, says) in table {
        let reform = with_settings(&[setting]);
        let Err(ReformError::Invalid(findings)) = library.reformed("huaian", year(2026), &reform)
        else {
            panic!("{setting}: accepted");
        };
        let text = findings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            findings.iter().any(|f| f.code == code),
            "{setting}: expected {code}, got\n{text}"
        );
        assert!(
            text.contains(&format!("--set `{setting}`"))
                || text.contains(&format!("with --set {setting}")),
            "{setting}: the setting is not named in\n{text}"
        );
        for said in says {
            assert!(text.contains(said), "{setting}: `{said}` not in\n{text}");
        }
    }
}

#[test]
fn malformed_settings_are_refused_when_given() {
    for setting in [
        "benefits.inpatient.annual_fund_cap",
        "=1",
        "a..b=1",
        "a[0].b=1",
    ] {
        let error = Reform::default().set(setting).unwrap_err();
        assert!(
            error.to_string().contains(&format!("--set `{setting}`")),
            "{error}"
        );
    }
}

/// Reform-file findings are located at the reform file's line and column, with the key.
#[test]
fn reform_file_findings_name_the_file_line_column_and_key() {
    let library = library();
    let table: [(&str, &str); 5] = [
        (
            "[benefits.inpatient]\nannual_fund_cap = \"lots\"\n",
            "reform.toml:2:1: error[invalid-value]",
        ),
        (
            "[benefits.inpatient]\nannual_fund_capp = \"1\"\n",
            "reform.toml:2:1: error[unknown-key]",
        ),
        ("[benefit]\nx = 1\n", "reform.toml:1:2: error[unknown-key]"),
        (
            "[meta]\njurisdiction = \"kunshan\"\n",
            "reform.toml:2:1: error[meta-mismatch]",
        ),
        ("[benefits\n", "reform.toml:1:10: error[toml-syntax]"),
    ];
    for (text, expected) in table {
        let error = Reform::from_file("reform.toml", text)
            .and_then(|reform| library.reformed("huaian", year(2026), &reform))
            .unwrap_err();
        assert!(error.to_string().contains(expected), "{text}: {error}");
    }
}

#[test]
fn a_reform_cannot_make_a_book_the_data_lacks() {
    let reform = with_settings(&["benefits.inpatient.annual_fund_cap=1"]);
    let error = library()
        .reformed("huaian", year(2030), &reform)
        .unwrap_err();
    assert!(
        matches!(error, ReformError::Book(BookError::NoBook { .. })),
        "{error}"
    );
}
