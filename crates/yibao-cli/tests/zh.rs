//! Every command the Chinese reader uses, with `--lang zh`: one snapshot per row of
//! [`COMMANDS`] (`snapshots/zh__<name>.snap`), read against the seeds' sentences. The
//! workspace's zh scan (`tests/integration/zh_words.rs`) reads every `*zh*` snapshot and
//! fails on an English word left in one.
//!
//! The tables are what changes with `--lang`: JSON, CSV, NHSA and FHIR write the same field
//! names and domain words in every language (one spelling per domain word), so they have no
//! zh snapshot. A scenario the engine refuses is left out of the settle rows: the refusals
//! (errors) are not yet written in Chinese.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::panic)]

use std::path::Path;

mod invocations;

/// Stands for every scenario of `tests/scenarios` that settles, each written as a scenario
/// file of its own.
const EVERY_SCENARIO: &str = "EVERY_SCENARIO";

/// Stands for the scenario of `tests/scenarios/<name>.toml` (`SCENARIO:<name>`) written as a
/// scenario file of its own.
const SCENARIO: &str = "SCENARIO:";

/// Scenarios of the suite the engine refuses (their errors are English still).
const REFUSED: &[&str] = &[
    "07-huaian-city-retained-special-disease-refused",
    "14-huaian-emergency-admitted-joins-admission",
    "30-huaian-filing-validity-not-given",
    "32-huaian-class-b-share-not-given",
    "47-kunshan-first-payment-after-window-not-given",
    "51-wujiang-refused-no-benefits",
    "74-huaian-class-contradicts-category-refused",
    "77-huaian-aid-class-with-resident-category-refused",
];

/// One snapshot: its name, the command, and the argument lines it runs (each with
/// `--lang zh` added).
struct Row {
    name: &'static str,
    command: &'static str,
    cases: &'static [&'static str],
}

const COMMANDS: &[Row] = &[
    Row {
        name: "settle_examples",
        command: "settle",
        cases: &[
            "examples/huaian-2026-inpatient.toml --explain",
            "examples/huaian-2026-remote-care.toml --explain",
            "examples/kunshan-2021-student.toml --explain",
        ],
    },
    Row {
        name: "settle_scenarios",
        command: "settle",
        cases: &[EVERY_SCENARIO],
    },
    Row {
        name: "cover",
        command: "cover",
        cases: &[
            "examples/huaian-2026-inpatient.toml --explain",
            "tests/fixtures/refund-paid-2025-11-10.toml --explain",
            "SCENARIO:15-huaian-late-payment-waiting-period --explain",
            "SCENARIO:16-huaian-newborn-day-90 --explain",
            "SCENARIO:19-huaian-veteran-day-91-waits --explain",
            "SCENARIO:27-huaian-lapse-from-history --explain",
            "SCENARIO:35-huaian-re-enrolling-in-window-after-employee-gap --explain",
            "SCENARIO:36-huaian-new-aid-recipient-city-funded --explain",
            "SCENARIO:42-kunshan-suspended-until-day-after-payment --explain",
            "SCENARIO:46-kunshan-late-before-january-never-suspended --explain",
        ],
    },
    Row {
        name: "deadline",
        command: "deadline",
        cases: &[
            "manual-claim --jurisdiction kunshan --expense-date 2021-05-01 --filed-on 2021-12-30 --explain",
            "manual-claim --jurisdiction kunshan --expense-date 2021-05-01 --filed-on 2022-03-01",
            "manual-claim --jurisdiction kunshan --expense-date 2021-05-01 --filed-on 2023-01-01",
            "manual-claim --jurisdiction wujiang --expense-date 2024-12-31 --filed-on 2025-03-01 --explain",
            "approval --jurisdiction wujiang --submitted-on 2024-09-30",
            "approval --jurisdiction kunshan --submitted-on 2021-09-30",
            "approval --jurisdiction 昆山 --submitted-on 2021-09-30",
            "approval --jurisdiction 苏州市吴江区 --submitted-on 2024-09-30",
        ],
    },
    Row {
        name: "catastrophic",
        command: "catastrophic",
        cases: &[
            "--jurisdiction huaian --year 2026 --burden 120000 --explain",
            "--jurisdiction huaian --year 2026 --burden 600000 --class medical_aid_recipient --consecutive-years 2 --zero-reimbursement-year 2025 --explain",
            "--jurisdiction 淮安市 --year 2026 --burden 20000",
            "--ladder --jurisdiction huaian",
        ],
    },
    Row {
        name: "decide",
        command: "decide",
        cases: &[
            "refund tests/fixtures/refund-paid-2025-11-10.toml --reason duplicate_payment --applied-on 2025-12-20",
            "refund tests/fixtures/refund-paid-2025-11-10.toml --reason duplicate_payment --applied-on 2026-01-01",
            "refund tests/fixtures/refund-paid-2025-11-10.toml --reason other --applied-on 2025-12-20",
            "double-enrolment --jurisdiction huaian --year 2026 --place huaian --existing kunshan:resident:active",
            "double-enrolment --jurisdiction huaian --year 2026 --place huaian --existing kunshan:employee:suspended",
            "double-enrolment --jurisdiction huaian --year 2026 --place huaian --existing huaian:resident:active",
            "family-payment --jurisdiction huaian --year 2026 --relation sibling --purpose resident_contribution",
            "family-payment --jurisdiction huaian --year 2026 --relation sibling --purpose medical_costs",
            "family-payment --jurisdiction huaian --year 2026 --relation parent --purpose medical_costs --feature family_account",
            "family-payment --jurisdiction huaian --year 2026 --relation parent --purpose medical_costs --in-another-group",
            "identity-document --jurisdiction kunshan --year 2021 --document residence_permit --holder hong_kong_macao_taiwan_student",
            "identity-document --jurisdiction kunshan --year 2021 --document resident_id_card --holder anyone",
            "identity-document --jurisdiction kunshan --year 2021 --document birth_certificate --holder newborn",
        ],
    },
    Row {
        name: "contribution",
        command: "contribution",
        cases: &[
            "--jurisdiction kunshan --year 2021 --category university_student --paid-on 2021-05-01 --at 10:00 --explain",
            "--jurisdiction kunshan --year 2021 --category university_student --paid-on 2021-07-05 --at 23:00 --explain",
            "--jurisdiction kunshan --year 2021 --category university_student --paid-on 2021-03-01 --transfer --explain",
            "--jurisdiction huaian --year 2026 --category resident --paid-on 2025-11-01 --explain",
        ],
    },
    Row {
        name: "filing",
        command: "filing",
        cases: &[
            "SCENARIO:53-wujiang-filings-year-no-claims --explain",
            "SCENARIO:53-wujiang-filings-year-no-claims --as-of 2026-03-10 --care-at zhejiang/hangzhou --explain",
            "SCENARIO:53-wujiang-filings-year-no-claims --as-of 2026-04-01 --care-at zhejiang/hangzhou",
            "SCENARIO:53-wujiang-filings-year-no-claims --as-of 2026-04-01 --care-at shanghai --explain",
            "SCENARIO:53-wujiang-filings-year-no-claims --as-of 2026-04-01 --care-at shanghai/qingpu",
            "SCENARIO:28-huaian-remote-referral-and-long-term --as-of 2026-04-01 --care-at zhejiang/hangzhou --explain",
            "SCENARIO:28-huaian-remote-referral-and-long-term --as-of 2026-04-01 --care-at zhejiang/hangzhou --emergency --explain",
            "SCENARIO:75-kunshan-remote-admissions-with-filings-no-cut --as-of 2021-06-01 --care-at shanghai --explain",
        ],
    },
    Row {
        name: "policies",
        command: "policies",
        cases: &["list"],
    },
];

/// The argument lines of a row, the scenarios written into `dir`.
fn cases(row: &Row, dir: &Path) -> Vec<(String, Vec<String>)> {
    let mut cases = Vec::new();
    for case in row.cases {
        if *case != EVERY_SCENARIO {
            let args = case
                .split(' ')
                .map(|arg| match arg.strip_prefix(SCENARIO) {
                    Some(name) => invocations::scenario_file(name, dir).display().to_string(),
                    None => arg.to_owned(),
                })
                .collect();
            cases.push((case.to_string(), args));
            continue;
        }
        let suite = Path::new(invocations::ROOT).join("tests/scenarios");
        let mut names: Vec<String> = std::fs::read_dir(&suite)
            .expect("the scenario suite")
            .filter_map(|e| {
                let name = e.expect("an entry").file_name();
                name.to_string_lossy()
                    .strip_suffix(".toml")
                    .map(str::to_owned)
            })
            .filter(|name| !REFUSED.contains(&name.as_str()))
            .collect();
        names.sort();
        for name in names {
            let path = invocations::scenario_file(&name, dir);
            let args = vec![path.display().to_string(), "--explain".to_owned()];
            cases.push((format!("{name} --explain"), args));
        }
    }
    cases
}

#[test]
fn every_command_in_chinese() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for row in COMMANDS {
        let mut shown = String::new();
        for (label, mut args) in cases(row, dir.path()) {
            args.extend(["--lang".to_owned(), "zh".to_owned()]);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let label = format!("{label} --lang zh");
            shown += &invocations::shown(row.command, &args, &label, Some(dir.path()));
        }
        insta::assert_snapshot!(row.name, shown);
    }
}
