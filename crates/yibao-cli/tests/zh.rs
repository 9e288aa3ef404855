//! Every command the Chinese reader uses, with `--lang zh`: one snapshot per row of
//! [`COMMANDS`] (`snapshots/zh__<name>.snap`), read against the seeds' sentences. The
//! workspace's zh scan (`tests/integration/zh_words.rs`) reads every `*zh*` snapshot and
//! fails on an English word left in one.
//!
//! The tables are what changes with `--lang`: JSON, CSV, NHSA and FHIR write the same field
//! names and domain words in every language (one spelling per domain word), so they have no
//! zh snapshot. The refusals are written in Chinese too: the scenarios of the suite the engine
//! refuses, every broken scenario of `tests/fixtures/broken-scenarios`, a few files made here
//! ([`BAD_FILES`]) and each command's refused questions and values, their standard error
//! shown in the snapshot and scanned as the answers are; so are the policy data's findings:
//! a `--policy-dir` refused (copies of the data with the edits of a broken-policy fixture,
//! [`POLICY_DIR`]) and reforms with findings (`--reform`, `--set`).

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

/// Stands for every scenario of [`REFUSED`], each written as a scenario file of its own.
const EVERY_REFUSED: &str = "EVERY_REFUSED";

/// Stands for every file of `tests/fixtures/broken-scenarios`.
const EVERY_BROKEN: &str = "EVERY_BROKEN";

/// Stands for the file of [`BAD_FILES`] or [`INPUT_FILES`] of that name (`FILE:<name>`),
/// written into the temporary directory.
const FILE: &str = "FILE:";

/// Stands for a path in the temporary directory (`TEMP:<name>`), nothing written there: an
/// output of `batch`, a file `test` cannot read.
const TEMP: &str = "TEMP:";

/// The inputs of `batch` and `test`, made here: claims files and scenario test files.
const INPUT_FILES: &[(&str, &str)] = &[
    (
        "claims.csv",
        "person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount
P1,ordinary,false,2,false,2026-03-01,inpatient,3,30000
P1,ordinary,false,2,false,2026-08-20,inpatient,3,120000
P2,ordinary,false,2,false,2026-05-06,maternity_delivery,2,8000
P3,ordinary,false,2,false,2026-04-01,general_outpatient,primary_care,200
",
    ),
    (
        "claims-with-errors.csv",
        "person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount
P1,ordinary,false,2,false,2026-03-01,inpatient,3,30000
P2,ordinary,false,2,false,2026-04-01,inpatient,3,100
P2,ordinary,false,2,false,2026-05-01,inpatient,3,abc
P3,ordinary,false,2,false,2026-02-30,inpatient,2,5000
P4,ordinary,false,2,false,2026-04-01,inpatient,2,100
P4,medical_aid_recipient,false,2,false,2026-04-02,inpatient,2,100
",
    ),
    (
        "claims-every-error.csv",
        "person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount,catalogue
P01,ordinary,false,2,false,2026-03-01,inpatient,3,30000,
P02,ordinary,false,2,false,2026-02-30,inpatient,3,100,
P03,ordinary,false,2,false,2026-04-01,inpatient,3,12.5x,
P04,ordinary,false,2,false,2026-04-01,general_outpatiant,3,100,
P05,ordinary,false,2,false,2026-04-01,inpatient,level_9,100,
P06,ordinary,false,2,false,2026-04-01,inpatient,3,,
P07,ordinary,false,2,false,2026-04-01,inpatient,3,100,
P07,ordinary,false,2,false,2026-04-02,inpatient,3,abc,
P08,ordinary,false,2,false,2026-04-01,inpatient,3,100,
P08,medical_aid_recipient,false,2,false,2026-04-02,inpatient,3,100,
P09,ordinary,false,2,false,2026-02-01,inpatient,2,1000,
P09,ordinary,false,2,false,2026-03-01,special_disease,2,1000,city_retained
P10,ordinary,false,2,false,2026-04-01,\"inpatient,3,100,
P11,ordinary,false,2,false,2026-04-01,inpatient,3,100,,7
",
    ),
    (
        "claims-bad-header.csv",
        "person_id,category,date,kind,hospital_level,ammount,amount\nP1,ordinary,2026-03-01,inpatient,3,1,30000\n",
    ),
    (
        "wrong-figure.toml",
        "description = \"Huai'an 2026, level 2 admission: (10,000 - 600) x 75% = 7,050, the hand's figures mistyped\"
rules = [\"H14\", \"H99\"]
[scenario]
jurisdiction = \"huaian\"
year = 2026
[scenario.person]
[[scenario.claims]]
id = \"A1\"
date = \"2026-03-01\"
kind = \"inpatient\"
level = \"level_2\"
amount = \"10000\"
[expected]
basic_fund = \"7000.00\"
personal = \"2950.00\"
[[expected.claims]]
id = \"A1\"
cover = \"not_covered\"
basic_fund = \"7000.00\"
",
    ),
    (
        "not-a-test-file.toml",
        "jurisdiction = \"huaian\"\nyear = 2026\n[person]\n",
    ),
];

/// The lines of the batch's summary whose figures change from run to run (times, rates,
/// memory): their digits are shown as `#`, a run of them as one.
const RUN_TO_RUN: &[&str] = &[
    "用时:",
    "其中首遍通读:",
    "其中结算:",
    "每秒理赔笔数:",
    "每秒结算人数:",
    "内存峰值:",
];

/// Stands for a copy of `policy-data/` with the edits of the broken-policy fixture of that
/// name (`POLICY_DIR:<name>`, a file of `tests/fixtures/broken-policy`), written into the
/// temporary directory: policy data `--policy-dir` refuses.
const POLICY_DIR: &str = "POLICY_DIR:";

/// Scenario files refused while read, made here: a mistake of each kind a reader makes.
const BAD_FILES: &[(&str, &str)] = &[
    (
        "toml-table-not-closed.toml",
        "jurisdiction = \"huaian\"\nyear = 2026\n[person\nid = \"P1\"\n",
    ),
    (
        "json-trailing-comma.json",
        "{\"jurisdiction\": \"huaian\", \"year\": 2026,\n \"person\": {\"id\": \"P1\",}\n}\n",
    ),
    (
        "json-missing-comma.json",
        "{\"jurisdiction\": \"huaian\"\n \"year\": 2026}\n",
    ),
    (
        "field-misspelt.toml",
        "jurisdiction = \"huaian\"\nyaer = 2026\n",
    ),
    (
        "kind-misspelt.toml",
        "jurisdiction = \"huaian\"\nyear = 2026\n[person]\nid = \"P1\"\n[[claims]]\ndate = \"2026-03-01\"\nkind = \"inpatiant\"\nlevel = \"level_3\"\namount = \"300\"\n",
    ),
    (
        "jurisdiction-misspelt.toml",
        "jurisdiction = \"huaan\"\nyear = 2026\n[person]\nid = \"P1\"\n",
    ),
    (
        "year-without-data.toml",
        "jurisdiction = \"kunshan\"\nyear = 2026\n[person]\nid = \"P1\"\n",
    ),
    (
        "reform-for-another-book.toml",
        "[meta]\njurisdiction = \"kunshan\"\nyear = 2021\n\n[absent]\nfiling = \"none\"\n\n[benfits.inpatient]\nannual_fund_cap = \"300000\"\n",
    ),
    (
        "reform-cap-zero.toml",
        "[benefits.inpatient]\nannual_fund_cap = \"0\"\n\n[catastrophic.incentives]\nstep = \"0\"\n",
    ),
    (
        "reform-not-toml.toml",
        "[benefits.inpatient\nannual_fund_cap = \"0\"\n",
    ),
];

/// Scenarios of the suite the engine refuses.
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
            "--jurisdiction huaian --year 2025 --category resident --paid-on 2024-11-01 --explain",
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
        cases: &[
            "list",
            "show huaian 2026",
            "show kunshan 2021",
            "show wujiang 2026",
            "diff huaian 2026 kunshan 2021",
        ],
    },
    Row {
        name: "settle_refused",
        command: "settle",
        cases: &[EVERY_REFUSED],
    },
    Row {
        name: "settle_broken",
        command: "settle",
        cases: &[
            EVERY_BROKEN,
            "FILE:toml-table-not-closed.toml",
            "FILE:json-trailing-comma.json",
            "FILE:json-missing-comma.json",
            "FILE:field-misspelt.toml",
            "FILE:kind-misspelt.toml",
            "FILE:jurisdiction-misspelt.toml",
            "FILE:year-without-data.toml",
            "tests/fixtures/no-such-scenario.toml",
            "examples",
            "examples/huaian-2026-inpatient.toml --reform tests/fixtures/no-such-reform.toml",
        ],
    },
    Row {
        name: "refused_catastrophic",
        command: "catastrophic",
        cases: &[
            "--jurisdiction huaan --year 2026 --burden 1000",
            "--jurisdiction kunshan --year 2021 --burden 1000",
            "--jurisdiction huaian --year 2030 --burden 1000",
            "--jurisdiction huaian --year 2026 --burden 12,5",
            "--jurisdiction huaian --year 1999 --burden 1000",
            "--jurisdiction huaian --year 2026 --burden 1000 --consecutive-years 9",
        ],
    },
    Row {
        name: "refused_deadline",
        command: "deadline",
        cases: &[
            "manual-claim --jurisdiction huaan --expense-date 2021-05-01 --filed-on 2021-12-30",
            "manual-claim --jurisdiction huaian --expense-date 2026-05-01 --filed-on 2026-12-30",
            "approval --jurisdiction kunshan --submitted-on 2031-09-30",
            "approval --jurisdiction kunshan --submitted-on 2021-02-30",
            "approval --jurisdiction kunshan --submitted-on 2021-9-30",
        ],
    },
    Row {
        name: "refused_decide",
        command: "decide",
        cases: &[
            "refund tests/fixtures/refund-paid-2025-11-10.toml --reason duplicat --applied-on 2025-12-20",
            "double-enrolment --jurisdiction huaian --year 2021 --place huaian --existing kunshan:resident:active",
            "double-enrolment --jurisdiction wujiang --year 2026 --place huaian --existing kunshan:resident:active",
            "double-enrolment --jurisdiction huaian --year 2026 --place huaian --existing kunshan:resdent:active",
            "double-enrolment --jurisdiction huaian --year 2026 --place huaian --existing kunshan",
        ],
    },
    Row {
        name: "refused_contribution",
        command: "contribution",
        cases: &[
            "--jurisdiction kunshan --year 2021 --category studnet --paid-on 2021-05-01",
            "--jurisdiction kunshan --year 2021 --category university_student --paid-on 2021-05-01 --at 25:00",
            "--jurisdiction kunshan --year 2021 --category university_student --paid-on 2020-01-01",
            "--jurisdiction wujiang --year 2026 --category resident --paid-on 2025-11-01",
        ],
    },
    Row {
        name: "refused_policies",
        command: "policies",
        cases: &[
            "show huaan 2026",
            "show huaian 2020",
            "show huaian 2026 --section benefit",
            "diff huaian 2026 kunshan 2031",
        ],
    },
    Row {
        name: "refused_usage",
        command: "catastrophic",
        cases: &[
            "--jurisdiction huaian --year 2026",
            "--jurisdiction huaian --year 2026 --burden 1000 --format yaml",
            "--jurisdiction huaian --year 2026 --burden 1000 --format jsn",
            "--jurisdiction huaian --year 2026 --burden 1000 --consecutive-year 2",
            "--jurisdiction huaian --year 2026 --burden 1000 --burden 2000",
            "--jurisdiction huaian --year 2026 --burden 1000 --consecutive-years 2 --re-enrolled-after-lapse",
            "--jurisdiction huaian --year 2026 --burden 1000 extra",
            "--jurisdiction huaian --year 2026 --burden",
            "--jurisdiction huaian --year 2o26 --burden 1000",
        ],
    },
    Row {
        name: "refused_usage_subcommands",
        command: "decide",
        cases: &[
            "refnd --applied-on 2025-12-20",
            "family-payment --jurisdiction huaian",
            "family-payment --jurisdiction huaian --year 2026 --relation spouse --purpose medical_costs --format yml",
        ],
    },
    Row {
        name: "batch",
        command: "batch",
        cases: &[
            "--jurisdiction huaian --year 2026 --input FILE:claims.csv --output TEMP:out.csv --errors TEMP:errors.csv --threads 2",
            "--jurisdiction huaian --year 2026 --input FILE:claims.csv --output TEMP:out.csv --errors TEMP:errors.csv --threads 2 --reform tests/fixtures/reforms/huaian-2026-level-3-70.toml",
            "--jurisdiction huaian --year 2026 --input FILE:claims-with-errors.csv --output TEMP:out.csv --errors TEMP:errors.csv --threads 2",
            "--jurisdiction huaian --year 2026 --input FILE:claims-every-error.csv --output TEMP:out.csv --threads 2",
        ],
    },
    Row {
        name: "refused_batch",
        command: "batch",
        cases: &[
            "--jurisdiction huaan --year 2026 --input FILE:claims.csv --output TEMP:out.csv",
            "--jurisdiction wujiang --year 2026 --input FILE:claims.csv --output TEMP:out.csv",
            "--jurisdiction huaian --year 2026 --input FILE:claims-bad-header.csv --output TEMP:out.csv",
            "--jurisdiction huaian --year 2026 --input tests/fixtures/no-such-claims.csv --output TEMP:out.csv",
            "--jurisdiction huaian --year 2026 --input FILE:claims.csv --output FILE:claims.csv",
            "--jurisdiction huaian --year 2026 --input FILE:claims.csv --output - --per-claim -",
            "--jurisdiction huaian --year 2026 --input FILE:claims.csv --output TEMP:out.csv --threads 0",
            "--jurisdiction huaian --year 2026 --input FILE:claims.csv --output TEMP:out.csv --input-format xlsx",
        ],
    },
    Row {
        name: "test",
        command: "test",
        cases: &[
            "tests/scenarios/15-huaian-late-payment-waiting-period.toml tests/scenarios/16-huaian-newborn-day-90.toml",
            "tests/scenarios/15-huaian-late-payment-waiting-period.toml FILE:wrong-figure.toml TEMP:missing.toml FILE:not-a-test-file.toml",
        ],
    },
    Row {
        name: "refused_serve",
        command: "serve",
        cases: &[
            "--token-file tests/fixtures/no-such-token",
            "--concurrency 0",
        ],
    },
    Row {
        name: "refused_policy_dir",
        command: "settle",
        cases: &[
            "examples/huaian-2026-inpatient.toml --policy-dir POLICY_DIR:benefits-cap-order.toml",
            "examples/huaian-2026-inpatient.toml --policy-dir POLICY_DIR:file-unknown-jurisdiction-and-stray-file.toml",
            "examples/huaian-2026-inpatient.toml --policy-dir POLICY_DIR:toml-syntax-unclosed-string.toml",
            "examples/huaian-2026-inpatient.toml --policy-dir POLICY_DIR:remote-care-unknown-treatment.toml",
            "examples/huaian-2026-inpatient.toml --policy-dir POLICY_DIR:enrolment-window-ends-before-start.toml",
            "examples/huaian-2026-inpatient.toml --policy-dir POLICY_DIR:registry-duplicate-and-prefix.toml",
            "examples/huaian-2026-inpatient.toml --policy-dir tests/fixtures/no-such-policy-dir",
        ],
    },
    Row {
        name: "refused_reform",
        command: "settle",
        cases: &[
            "examples/huaian-2026-inpatient.toml --reform FILE:reform-for-another-book.toml",
            "examples/huaian-2026-inpatient.toml --reform FILE:reform-cap-zero.toml",
            "examples/huaian-2026-inpatient.toml --reform FILE:reform-not-toml.toml",
            "examples/huaian-2026-inpatient.toml --set benefits.inpatient.ratio.by_level.levl_3=70%",
            "examples/huaian-2026-inpatient.toml --set benefits.inpatient=1",
            "examples/huaian-2026-inpatient.toml --set enrolment.policy_year=soon",
            "examples/huaian-2026-inpatient.toml --set benefits.two_disease_drugs.annual_fund_cap.one_disease=5000",
            "examples/huaian-2026-inpatient.toml --set no-equals-sign",
        ],
    },
    Row {
        name: "refused_reform_policies",
        command: "policies",
        cases: &[
            "diff huaian 2026 --reform FILE:reform-cap-zero.toml",
            "diff huaian 2026 --set benefits.inpatient.annual_fund_cap=many",
        ],
    },
    Row {
        name: "refused_filing",
        command: "filing",
        cases: &[
            "examples/huaian-2026-remote-care.toml --as-of 2026-04-01 --care-at zhejaing/hangzhou",
            "FILE:jurisdiction-misspelt.toml",
        ],
    },
];

/// The file of [`BAD_FILES`] or [`INPUT_FILES`] named `name`, written into `dir`.
fn bad_file(name: &str, dir: &Path) -> String {
    let (_, text) = BAD_FILES
        .iter()
        .chain(INPUT_FILES)
        .find(|(file, _)| *file == name)
        .expect("a file of BAD_FILES or INPUT_FILES");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("written");
    path.display().to_string()
}

/// A copy of `policy-data/` in `dir` with the edits of the broken-policy fixture `name`
/// (its `[[edit]]`, `[[add]]` and `[[remove]]`): its path.
fn broken_policy_dir(name: &str, dir: &Path) -> String {
    let root = Path::new(invocations::ROOT);
    let fixture: toml::Table = toml::from_str(
        &std::fs::read_to_string(root.join("tests/fixtures/broken-policy").join(name))
            .expect("the fixture"),
    )
    .expect("TOML");
    let target = dir.join(format!("policy-{}", name.trim_end_matches(".toml")));
    copy_dir(&root.join("policy-data"), &target);
    let tables = |key: &str| {
        fixture
            .get(key)
            .and_then(toml::Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let text_of = |table: &toml::Value, key: &str| {
        table
            .get(key)
            .and_then(toml::Value::as_str)
            .expect("a text")
            .to_owned()
    };
    for edit in tables("edit") {
        let file = target.join(text_of(&edit, "file"));
        let text = std::fs::read_to_string(&file).expect("the file edited");
        let edited = text.replacen(&text_of(&edit, "find"), &text_of(&edit, "replace"), 1);
        assert_ne!(text, edited, "a stale fixture: {name}");
        std::fs::write(&file, edited).expect("written");
    }
    for added in tables("add") {
        let file = target.join(text_of(&added, "file"));
        std::fs::create_dir_all(file.parent().expect("a folder")).expect("made");
        std::fs::write(&file, text_of(&added, "text")).expect("written");
    }
    for removed in tables("remove") {
        std::fs::remove_file(target.join(text_of(&removed, "file"))).expect("removed");
    }
    target.display().to_string()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for entry in std::fs::read_dir(from).expect("the folder") {
        let path = entry.expect("an entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copied");
        }
    }
}

/// The argument lines of a row, the scenarios written into `dir`.
fn cases(row: &Row, dir: &Path) -> Vec<(String, Vec<String>)> {
    let mut cases = Vec::new();
    for case in row.cases {
        if *case == EVERY_REFUSED {
            for name in REFUSED {
                let path = invocations::scenario_file(name, dir);
                cases.push((name.to_string(), vec![path.display().to_string()]));
            }
            continue;
        }
        if *case == EVERY_BROKEN {
            let dir = Path::new(invocations::ROOT).join("tests/fixtures/broken-scenarios");
            let mut names: Vec<String> = std::fs::read_dir(&dir)
                .expect("the broken scenarios")
                .map(|e| {
                    e.expect("an entry")
                        .file_name()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect();
            names.sort();
            for name in names {
                let path = format!("tests/fixtures/broken-scenarios/{name}");
                cases.push((path.clone(), vec![path]));
            }
            continue;
        }
        if *case != EVERY_SCENARIO {
            let args = case
                .split(' ')
                .map(|arg| {
                    if let Some(name) = arg.strip_prefix(SCENARIO) {
                        invocations::scenario_file(name, dir).display().to_string()
                    } else if let Some(name) = arg.strip_prefix(FILE) {
                        bad_file(name, dir)
                    } else if let Some(name) = arg.strip_prefix(TEMP) {
                        dir.join(name).display().to_string()
                    } else if let Some(name) = arg.strip_prefix(POLICY_DIR) {
                        broken_policy_dir(name, dir)
                    } else {
                        arg.to_owned()
                    }
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
            let text = invocations::shown(row.command, &args, &label, Some(dir.path()));
            shown += &run_to_run_hidden(&text);
        }
        insta::assert_snapshot!(row.name, shown);
    }
}

/// `text` with the figures of the batch summary's [`RUN_TO_RUN`] lines shown as `#`.
fn run_to_run_hidden(text: &str) -> String {
    let mut hidden = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let Some((label, value)) = line
            .split_once(':')
            .filter(|(label, _)| RUN_TO_RUN.contains(&format!("{}:", label.trim_start()).as_str()))
        else {
            hidden.push_str(line);
            continue;
        };
        hidden.push_str(label);
        hidden.push(':');
        let mut digits = false;
        for c in value.chars() {
            if c.is_ascii_digit() {
                if !digits {
                    hidden.push('#');
                }
                digits = true;
            } else {
                hidden.push(c);
                digits = false;
            }
        }
    }
    hidden
}
