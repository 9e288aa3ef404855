//! `yibao decide`: the enrolment questions answered yes or no with their rule, reason and
//! consequences, as a table of invocations whose outputs, messages and exit codes are pinned
//! together. By hand, from the sources:
//! - H8 (Q23): a refund only before the benefit period starts and only for a duplicate
//!   payment or joining other insurance. The fixture paid on 2025-11-10 in the window, so
//!   cover starts 2026-01-01 (H3): applied 2025-12-20 → allowed, the enrolment suspended;
//!   applied 2026-01-01 → refused (the period has started); reason `other` → refused.
//! - H9 (Q27, Q42): no double cover: an active resident enrolment in Kunshan → refused until
//!   suspended; a suspended one → allowed.
//! - H10 (Q30, Q51, Q52, Q50): a sibling's resident contribution → allowed, a sibling's
//!   medical costs → refused (spouse, parents, children only); the 亲情账户 cannot pay; an
//!   owner in another group → refused. Kunshan 2021's sources say nothing of it: said so.
//! - K12: a Hong Kong, Macao or Taiwan student's residence-permit number → allowed.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::panic)]

mod invocations;

const FIXTURE: &str = "tests/fixtures/refund-paid-2025-11-10.toml";

const CASES: &[&str] = &[
    "refund FIXTURE --reason duplicate_payment --applied-on 2025-12-20",
    "refund FIXTURE --reason duplicate_payment --applied-on 2026-01-01",
    "refund FIXTURE --reason other --applied-on 2025-12-20",
    "refund FIXTURE --reason joined_employee_insurance --applied-on 2025-12-31 --format json",
    "double-enrolment --jurisdiction huaian --year 2026 --place huaian --existing kunshan:resident:active",
    "double-enrolment --jurisdiction huaian --year 2026 --place huaian --existing kunshan:resident:suspended --lang zh",
    "double-enrolment --jurisdiction huaian --year 2026 --place huaian --existing kunshan:resident",
    "family-payment --jurisdiction huaian --year 2026 --relation sibling --purpose resident_contribution",
    "family-payment --jurisdiction huaian --year 2026 --relation sibling --purpose medical_costs",
    "family-payment --jurisdiction huaian --year 2026 --relation parent --purpose medical_costs --feature family_account",
    "family-payment --jurisdiction huaian --year 2026 --relation parent --purpose medical_costs --in-another-group",
    "family-payment --jurisdiction kunshan --year 2021 --relation spouse --purpose medical_costs",
    "family-payment --jurisdiction huaian --year 2026 --relation cousin --purpose medical_costs",
    "identity-document --jurisdiction kunshan --year 2021 --document residence_permit --holder hong_kong_macao_taiwan_student",
];

#[test]
fn decisions_as_the_sources_give_them() {
    let shown: String = CASES
        .iter()
        .map(|case| {
            let args = case.replace("FIXTURE", FIXTURE);
            invocations::shown("decide", &args.split(' ').collect::<Vec<_>>(), case, None)
        })
        .collect();
    insta::assert_snapshot!(shown);
}
