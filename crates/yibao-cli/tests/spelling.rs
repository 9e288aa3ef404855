//! One spelling per domain word: each enum's values read and write the same text in TOML,
//! JSON, the batch's CSV columns and on the command line, in `snake_case`, and each older
//! spelling still reads to the same value.
//!
//! One table: every [`Word`] enum, every value, through every reader that takes it.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::fmt::Debug;
use std::io::Write;
use std::process::{Command, Stdio};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use yibao::benefits::{HospitalLevel, NotPaid, OutpatientPart, TwoDiseaseCover};
use yibao::catastrophic::{BandBasis, Continuity, PersonClass, RaiseReason, RewardQuota};
use yibao::core::{PolicyYear, RoundingMode, Word, Yuan};
use yibao::enrolment::{
    BirthYearCover, CoverBasis, CoverEnd, DocumentHolder, EventKind, Funding, IdentityDocument,
    RefundReason, Relation, Subsidy, SubsidyBasis, SubsidyFigure, TransferSubsidy, Verdict,
    WaitingReason,
};
use yibao::filing::Settlement;
use yibao::scenario::ClaimKindName;

/// A `snake_case` word: lower-case letters, digits and `_`, starting with a letter.
fn is_snake_case(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Every value of `W`: its name is `snake_case` and unique, JSON writes it, and the name and
/// every older spelling read back to the value through `from_name`, JSON and TOML.
fn reads_back<W>() -> usize
where
    W: Word + Serialize + DeserializeOwned + PartialEq + Debug,
{
    assert_eq!(W::ALL.len(), W::NAMES.len());
    let mut seen: Vec<&str> = Vec::new();
    for (&word, &name) in W::ALL.iter().zip(W::NAMES) {
        assert_eq!(word.name(), name, "{word:?}");
        assert!(is_snake_case(name), "{word:?} is written `{name}`");
        assert_eq!(
            serde_json::to_string(&word).unwrap(),
            format!("\"{name}\""),
            "{word:?}"
        );
        for text in std::iter::once(name).chain(word.older_names().iter().copied()) {
            assert!(!seen.contains(&text), "`{text}` names two values");
            seen.push(text);
            assert_eq!(W::from_name(text), Some(word), "`{text}`");
            let json: W = serde_json::from_str(&format!("\"{text}\"")).unwrap();
            assert_eq!(json, word, "JSON `{text}`");
            #[derive(serde::Deserialize)]
            struct Field<W> {
                value: W,
            }
            let toml: Field<W> = toml::from_str(&format!("value = \"{text}\"")).unwrap();
            assert_eq!(toml.value, word, "TOML `{text}`");
        }
    }
    let unknown = serde_json::from_str::<W>("\"no-such-value\"")
        .unwrap_err()
        .to_string();
    for old in W::ALL.iter().flat_map(|w| w.older_names()) {
        assert!(
            !unknown.contains(&format!("`{old}`")),
            "the message lists the older `{old}`: {unknown}"
        );
    }
    W::ALL.len()
}

#[test]
fn every_word_reads_back_through_toml_json_and_its_name() {
    let values = [
        reads_back::<RoundingMode>(),
        reads_back::<HospitalLevel>(),
        reads_back::<TwoDiseaseCover>(),
        reads_back::<OutpatientPart>(),
        reads_back::<NotPaid>(),
        reads_back::<PersonClass>(),
        reads_back::<BandBasis>(),
        reads_back::<SubsidyBasis>(),
        reads_back::<TransferSubsidy>(),
        reads_back::<RefundReason>(),
        reads_back::<Relation>(),
        reads_back::<IdentityDocument>(),
        reads_back::<DocumentHolder>(),
        reads_back::<Settlement>(),
        reads_back::<ClaimKindName>(),
    ];
    assert_eq!(values.iter().sum::<usize>(), 53);
}

/// Every string value and every key of a JSON document, recursively.
fn words_of(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(text) => out.push(text.clone()),
        Value::Array(items) => items.iter().for_each(|v| words_of(v, out)),
        Value::Object(map) => {
            for (key, v) in map {
                out.push(key.clone());
                words_of(v, out);
            }
        }
        _ => {}
    }
}

/// The report values written only (never read): each serialises to `snake_case` words,
/// tagged enums by a `status` or `code` field, never `{"Variant": …}`.
#[test]
fn report_values_are_written_in_snake_case() {
    let year = PolicyYear::new(2026).unwrap();
    let day = yibao::core::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let figure = SubsidyFigure {
        amount: Yuan::ZERO,
        basis: SubsidyBasis::AtLeast,
        stated_for: year,
    };
    let values = [
        serde_json::to_value([
            CoverBasis::CollectionWindow,
            CoverBasis::SwitchWithinTolerance,
        ]),
        serde_json::to_value([CoverEnd::YearEnd, CoverEnd::JoinedEmployeeInsurance]),
        serde_json::to_value([
            WaitingReason::PaidOutsideWindow,
            WaitingReason::ReEnrolledAfterLapse,
        ]),
        serde_json::to_value([
            Subsidy::Granted(figure),
            Subsidy::Withheld {
                not_granted: Yuan::ZERO,
            },
        ]),
        serde_json::to_value(BirthYearCover::NotBackPaid {
            uncovered: yibao::core::DateRange::new(day, day).unwrap(),
        }),
        serde_json::to_value([Verdict::Allowed, Verdict::Refused]),
        serde_json::to_value([
            EventKind::VeteranStatusChange,
            EventKind::Payment {
                year,
                funding: Funding::CityFundedNewAidRecipient,
            },
        ]),
        serde_json::to_value([
            Continuity::ReEnrolledAfterLapse,
            Continuity::Consecutive { years: 2 },
        ]),
        serde_json::to_value([
            RaiseReason::ZeroReimbursement { year },
            RaiseReason::Continuity {
                consecutive_years: 6,
                steps: 2,
            },
        ]),
        serde_json::to_value([RewardQuota::NotUsed, RewardQuota::Used]),
    ]
    .map(Result::unwrap);
    for value in &values {
        let mut words = Vec::new();
        words_of(value, &mut words);
        for word in words
            .iter()
            .filter(|w| !w.starts_with(|c: char| c.is_ascii_digit()))
        {
            assert!(is_snake_case(word), "`{word}` in {value}");
        }
    }
    assert_eq!(
        values[3][0]["status"], "granted",
        "tagged by status: {}",
        values[3]
    );
    assert_eq!(values[8][0]["code"], "zero_reimbursement");
}

/// The command line's `--class` and the batch's `category` and `hospital_level` columns read
/// every spelling of [`PersonClass`] and [`HospitalLevel`], and write the name.
#[test]
fn the_command_line_and_the_batch_read_every_spelling() {
    for class in PersonClass::ALL {
        let run = |text: &str| {
            let out = Command::new(env!("CARGO_BIN_EXE_yibao"))
                .args(["catastrophic", "--jurisdiction", "huaian", "--year", "2026"])
                .args(["--burden", "100000", "--class", text])
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "--class {text}");
            String::from_utf8(out.stdout).unwrap()
        };
        let written = run(class.name());
        assert!(
            written.contains(&format!("({})", class.name())),
            "{written}"
        );
        for old in class.older_names() {
            assert_eq!(run(old), written, "--class {old}");
        }
    }
    let mut input = String::from(
        "person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount\n",
    );
    let mut expected = Vec::new();
    let mut person = 0;
    for class in PersonClass::ALL {
        for category in std::iter::once(class.name()).chain(class.older_names().iter().copied()) {
            for level in HospitalLevel::ALL {
                for text in std::iter::once(level.name()).chain(level.older_names().iter().copied())
                {
                    // Huai'an pays primary care for general outpatient care only (H11).
                    let kind = match level {
                        HospitalLevel::PrimaryCare => "general_outpatient",
                        _ => "inpatient",
                    };
                    person += 1;
                    input.push_str(&format!(
                        "P{person},{category},false,2,false,2026-03-01,{kind},{text},1000\n"
                    ));
                    expected.push(format!("P{person},{kind},{}", level.name()));
                }
            }
        }
    }
    let dir = std::env::temp_dir().join(format!("yibao-spelling-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let per_claim = dir.join("claims.csv");
    let mut child = Command::new(env!("CARGO_BIN_EXE_yibao"))
        .args(["batch", "--jurisdiction", "huaian", "--year", "2026"])
        .args(["--input", "-", "--output", "-", "--per-claim"])
        .arg(&per_claim)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let claims = std::fs::read_to_string(&per_claim).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let written: Vec<String> = claims
        .lines()
        .skip(1)
        .map(|l| l.split(',').skip(1).take(5).collect::<Vec<_>>())
        .map(|f| format!("{},{},{}", f[0], f[3], f[4]))
        .collect();
    assert_eq!(written, expected, "{claims}");
}

/// A scenario written in the older spellings (`3` for `level_3`, `medical-aid-recipient`)
/// settles to the same report, written in the names, as the one written in the names.
#[test]
fn a_scenario_in_older_spellings_settles_as_in_the_names() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let names = std::fs::read_to_string(format!("{root}/examples/huaian-2026-inpatient.toml"))
        .unwrap()
        .replace(
            "category = \"resident\"",
            "category = \"medical_aid\"\ncatastrophic_class = \"medical_aid_recipient\"",
        );
    let older = names
        .replace("\"level_3\"", "\"3\"")
        .replace("\"medical_aid_recipient\"", "\"medical-aid-recipient\"");
    assert_ne!(older, names);
    let dir = std::env::temp_dir().join(format!("yibao-spelling-scenario-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let settle = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_yibao"))
            .arg("settle")
            .arg(&path)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let written = settle("names.toml", &names);
    assert!(written.contains("\"catastrophic_class\": \"medical_aid_recipient\""));
    assert!(written.contains("\"level\": \"level_3\""));
    assert_eq!(settle("older.toml", &older), written);
    std::fs::remove_dir_all(&dir).unwrap();
}
