//! `yibao schema output ANSWER` against real answers, one table: for each answer, the
//! command lines that write it (every example and scenario of the suite where the answer
//! reads a scenario, and the argument sets of the other tests of the CLI), each run with
//! `--format json` and its output validated against the printed JSON Schema, whose objects
//! are closed, so that a field written without its schema fails here.

#![allow(clippy::expect_used, clippy::panic)]

mod invocations;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// (answer named as `yibao schema output` names it, command line writing it). In a command
/// line, `SCENARIO` stands for every example and every scenario of the suite, `SUITE:name`
/// for the scenario of `tests/scenarios/name.toml`, `FIXTURE` for the refund's fixture;
/// `--format json` is added.
const CASES: &[(&str, &str)] = &[
    ("settle", "settle SCENARIO"),
    (
        "settle-reform",
        "settle examples/huaian-2026-inpatient.toml --reform tests/fixtures/reforms/huaian-2026-level-3-70.toml",
    ),
    (
        "settle-reform",
        "settle examples/huaian-2026-remote-care.toml --set benefits.inpatient.annual_fund_cap=300000",
    ),
    (
        "settle-reform",
        "settle SUITE:55-kunshan-catastrophic-not-published --set benefits.inpatient.annual_fund_cap=400000",
    ),
    ("cover", "cover SCENARIO"),
    ("cover", "cover SUITE:15-huaian-late-payment-waiting-period"),
    (
        "cover",
        "cover SUITE:42-kunshan-suspended-until-day-after-payment",
    ),
    ("filing", "filing SCENARIO"),
    (
        "filing",
        "filing SUITE:28-huaian-remote-referral-and-long-term --care-at zhejiang/hangzhou --as-of 2026-04-01",
    ),
    (
        "filing",
        "filing SUITE:28-huaian-remote-referral-and-long-term --care-at zhejiang/hangzhou --as-of 2026-04-01 --emergency",
    ),
    (
        "filing",
        "filing SUITE:53-wujiang-filings-year-no-claims --care-at zhejiang/hangzhou --as-of 2026-03-10",
    ),
    (
        "filing",
        "filing SUITE:53-wujiang-filings-year-no-claims --care-at zhejiang/hangzhou --as-of 2026-04-01",
    ),
    (
        "filing",
        "filing SUITE:53-wujiang-filings-year-no-claims --care-at shanghai --as-of 2026-04-01",
    ),
    (
        "filing",
        "filing SUITE:53-wujiang-filings-year-no-claims --care-at shanghai/qingpu --as-of 2026-04-01",
    ),
    (
        "filing",
        "filing SUITE:75-kunshan-remote-admissions-with-filings-no-cut --care-at shanghai --as-of 2021-06-01",
    ),
    (
        "contribution",
        "contribution --jurisdiction huaian --year 2026 --category resident --paid-on 2025-11-01",
    ),
    (
        "contribution",
        "contribution --jurisdiction huaian --year 2025 --category child --paid-on 2026-01-20",
    ),
    (
        "contribution",
        "contribution --jurisdiction kunshan --year 2021 --category university_student --paid-on 2020-12-10 --at 21:30",
    ),
    (
        "contribution",
        "contribution --jurisdiction kunshan --year 2021 --category university_student --paid-on 2021-07-01",
    ),
    (
        "catastrophic",
        "catastrophic --jurisdiction huaian --year 2026 --burden 150000 --consecutive-years 2 --zero-reimbursement-year 2025",
    ),
    (
        "catastrophic",
        "catastrophic --jurisdiction huaian --year 2026 --burden 700000 --class medical_aid_recipient --consecutive-years 2 --zero-reimbursement-year 2025",
    ),
    (
        "catastrophic-ladder",
        "catastrophic --ladder --jurisdiction huaian",
    ),
    (
        "catastrophic-ladder",
        "catastrophic --ladder --jurisdiction kunshan",
    ),
    (
        "catastrophic-ladder",
        "catastrophic --ladder --jurisdiction wujiang",
    ),
    ("catastrophic-ladders", "catastrophic --ladder"),
    (
        "deadline-manual-claim",
        "deadline manual-claim --jurisdiction kunshan --expense-date 2021-05-01 --filed-on 2021-12-30",
    ),
    (
        "deadline-manual-claim",
        "deadline manual-claim --jurisdiction kunshan --expense-date 2021-05-01 --filed-on 2021-12-31",
    ),
    (
        "deadline-manual-claim",
        "deadline manual-claim --jurisdiction kunshan --expense-date 2021-05-01 --filed-on 2023-01-01",
    ),
    (
        "deadline-manual-claim",
        "deadline manual-claim --jurisdiction wujiang --expense-date 2024-12-31",
    ),
    (
        "deadline-approval",
        "deadline approval --jurisdiction wujiang --submitted-on 2024-09-30",
    ),
    (
        "deadline-approval",
        "deadline approval --jurisdiction kunshan --submitted-on 2021-09-30",
    ),
    (
        "decide-refund",
        "decide refund FIXTURE --reason duplicate_payment --applied-on 2025-12-20",
    ),
    (
        "decide-refund",
        "decide refund FIXTURE --reason other --applied-on 2026-01-01",
    ),
    (
        "decide-refund",
        "decide refund FIXTURE --reason joined_employee_insurance --applied-on 2025-12-31",
    ),
    (
        "decide-double-enrolment",
        "decide double-enrolment --jurisdiction huaian --year 2026 --place huaian --existing kunshan:resident:active",
    ),
    (
        "decide-double-enrolment",
        "decide double-enrolment --jurisdiction huaian --year 2026 --place huaian --existing kunshan:resident:suspended",
    ),
    (
        "decide-double-enrolment",
        "decide double-enrolment --jurisdiction huaian --year 2026 --place huaian",
    ),
    (
        "decide-family-payment",
        "decide family-payment --jurisdiction huaian --year 2026 --relation sibling --purpose resident_contribution",
    ),
    (
        "decide-family-payment",
        "decide family-payment --jurisdiction huaian --year 2026 --relation parent --purpose medical_costs --feature family_account --in-another-group",
    ),
    (
        "decide-identity-document",
        "decide identity-document --jurisdiction kunshan --year 2021 --document residence_permit --holder hong_kong_macao_taiwan_student",
    ),
    ("policies-list", "policies list"),
    ("policies-show", "policies show huaian 2026"),
    (
        "policies-show",
        "policies show kunshan 2021 --section benefits",
    ),
    (
        "policies-diff",
        "policies diff kunshan 2021 huaian 2026 --section benefits",
    ),
    (
        "policies-diff",
        "policies diff huaian 2026 --reform tests/fixtures/reforms/huaian-2026-level-3-70.toml --set benefits.inpatient.annual_fund_cap=250000",
    ),
];

/// Every answer `yibao schema output` names (its `--help`'s possible values).
const ANSWERS: &[&str] = &[
    "settle",
    "settle-reform",
    "cover",
    "contribution",
    "catastrophic",
    "catastrophic-ladder",
    "catastrophic-ladders",
    "filing",
    "deadline-manual-claim",
    "deadline-approval",
    "decide-refund",
    "decide-double-enrolment",
    "decide-family-payment",
    "decide-identity-document",
    "policies-list",
    "policies-show",
    "policies-diff",
];

const FIXTURE: &str = "tests/fixtures/refund-paid-2025-11-10.toml";

/// `yibao args`'s standard output, `None` when it refuses (a scenario that has no cover, a
/// scenario the suite expects refused).
fn try_yibao<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Option<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_yibao"))
        .args(args)
        .current_dir(invocations::ROOT)
        .output()
        .expect("the binary runs");
    out.status
        .success()
        .then(|| String::from_utf8(out.stdout).expect("UTF-8"))
}

fn yibao(args: &[&str]) -> String {
    try_yibao(args).unwrap_or_else(|| panic!("yibao {args:?} fails"))
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a directory")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

/// Every example, then every scenario of the suite written as a plain scenario file.
fn scenarios(dir: &Path) -> Vec<PathBuf> {
    let root = Path::new(invocations::ROOT);
    let mut scenarios = toml_files(&root.join("examples"));
    for file in toml_files(&root.join("tests/scenarios")) {
        let name = file.file_stem().expect("a name").to_string_lossy();
        scenarios.push(invocations::scenario_file(&name, dir));
    }
    scenarios
}

/// The command lines of a case, its placeholders replaced.
fn command_lines(case: &str, scenarios: &[PathBuf], dir: &Path) -> Vec<Vec<String>> {
    let words = |scenario: &str| -> Vec<String> {
        case.split(' ')
            .map(|word| match word {
                "SCENARIO" => scenario.to_owned(),
                "FIXTURE" => FIXTURE.to_owned(),
                _ => match word.strip_prefix("SUITE:") {
                    Some(name) => invocations::scenario_file(name, dir).display().to_string(),
                    None => word.to_owned(),
                },
            })
            .chain(["--format".to_owned(), "json".to_owned()])
            .collect()
    };
    if case.contains("SCENARIO") {
        scenarios
            .iter()
            .map(|s| words(&s.display().to_string()))
            .collect()
    } else {
        vec![words("")]
    }
}

fn validator(answer: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&yibao(&["schema", "output", answer]))
        .unwrap_or_else(|e| panic!("the schema of {answer} is JSON: {e}"));
    jsonschema::draft202012::new(&schema)
        .unwrap_or_else(|e| panic!("the schema of {answer} is a valid JSON Schema: {e}"))
}

fn errors(validator: &jsonschema::Validator, answer: &Value) -> Vec<String> {
    validator
        .iter_errors(answer)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// The answers of every case of `answer`, each with its command line; refused command
/// lines left out.
fn answers_of(answer: &str, scenarios: &[PathBuf], dir: &Path) -> Vec<(String, Value)> {
    let mut answers = Vec::new();
    for (_, case) in CASES.iter().filter(|(name, _)| *name == answer) {
        for args in command_lines(case, scenarios, dir) {
            let Some(text) = try_yibao(&args) else {
                assert!(case.contains("SCENARIO"), "yibao {args:?} fails");
                continue;
            };
            let value = serde_json::from_str(&text).expect("the answer is JSON");
            answers.push((args.join(" "), value));
        }
    }
    answers
}

/// The fewest answers of each kind the table must give: a case run on every scenario
/// answers for most of them.
fn fewest(answer: &str) -> usize {
    match answer {
        "settle" => 55,
        "cover" => 20,
        "filing" => 40,
        _ => 1,
    }
}

#[test]
fn every_answer_is_valid_against_its_printed_schema() {
    let dir = tempfile::tempdir().expect("a scratch directory");
    let scenarios = scenarios(dir.path());
    assert!(scenarios.len() > 60, "{} scenarios", scenarios.len());
    let mut failures = Vec::new();
    for answer in ANSWERS {
        let validator = validator(answer);
        let answers = answers_of(answer, &scenarios, dir.path());
        assert!(
            answers.len() >= fewest(answer),
            "{answer}: {} answers",
            answers.len()
        );
        for (command, value) in &answers {
            let found = errors(&validator, value);
            if !found.is_empty() {
                failures.push(format!(
                    "{answer}: yibao {command}:\n  {}",
                    found.join("\n  ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The table names every answer `yibao schema output` knows, and only those.
#[test]
fn the_table_covers_every_answer() {
    let help = yibao(&["schema", "--help"]);
    for answer in ANSWERS {
        assert!(
            help.contains(answer),
            "{answer} not in `yibao schema --help`"
        );
        assert!(
            CASES.iter().any(|(name, _)| name == answer),
            "{answer}: no case"
        );
    }
    for (name, _) in CASES {
        assert!(ANSWERS.contains(name), "{name}: not an answer");
    }
    assert!(try_yibao(&["schema", "output", "nothing"]).is_none());
}

/// An edit of an answer, named.
type Edit = (&'static str, fn(&mut Value));

/// The schemas are closed: an answer with a field they do not know, or without a field
/// they require, is refused (as a field added to a type without its schema would be).
#[test]
fn a_field_unknown_or_missing_is_refused() {
    let settlement = validator("settle");
    let answer: Value = serde_json::from_str(&yibao(&[
        "settle",
        "examples/huaian-2026-inpatient.toml",
        "--format",
        "json",
    ]))
    .expect("the answer is JSON");
    assert_eq!(errors(&settlement, &answer), Vec::<String>::new());
    let edits: [Edit; 4] = [
        ("a field added at the top", |a| {
            a["extra"] = Value::Bool(true);
        }),
        ("a field added in a claim", |a| {
            a["claims"][0]["extra"] = Value::Bool(true);
        }),
        ("a field added in a step", |a| {
            a["claims"][0]["steps"][0]["extra"] = Value::Bool(true);
        }),
        ("the envelope's version removed", |a| {
            a.as_object_mut()
                .expect("an object")
                .remove("schema_version");
        }),
    ];
    for (what, edit) in edits {
        let mut edited = answer.clone();
        edit(&mut edited);
        assert!(!errors(&settlement, &edited).is_empty(), "{what}: accepted");
    }
}

/// Every answer's schema refuses a field added at the top and in its first row or nested
/// object.
#[test]
fn every_schema_is_closed() {
    let dir = tempfile::tempdir().expect("a scratch directory");
    for answer in ANSWERS.iter().filter(|a| **a != "settle") {
        let validator = validator(answer);
        let (command, value) = answers_of(answer, &[], dir.path())
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("{answer}: an answer"));
        let mut widened = value.clone();
        widened["extra"] = Value::Bool(true);
        assert!(
            !validator.is_valid(&widened),
            "{command}: a field added at the top"
        );
        let nested = value
            .as_object()
            .expect("an object")
            .iter()
            .find_map(|(key, v)| match v {
                Value::Object(_) if key != "policy_data" => Some(key.clone()),
                Value::Array(rows) if rows.first().is_some_and(Value::is_object) => {
                    Some(format!("{key}/0"))
                }
                _ => None,
            });
        if let Some(pointer) = nested {
            let mut widened = value.clone();
            if let Some(Value::Object(inner)) = widened.pointer_mut(&format!("/{pointer}")) {
                inner.insert("extra".to_owned(), Value::Bool(true));
            }
            assert!(
                !validator.is_valid(&widened),
                "{command}: a field added in {pointer}"
            );
        }
    }
}
