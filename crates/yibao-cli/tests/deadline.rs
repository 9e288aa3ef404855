//! `yibao deadline`: a manual claim's deadlines and where a claim filed on a day stands (K7,
//! W7), and the day a filing's approval is due on the holiday calendar (K6, W3), as a table of
//! invocations whose outputs, messages and exit codes are pinned together. By hand:
//! - K7 (Kunshan 2021): the year's claims close on 30 December; late claims until the end of
//!   the next policy year, counted in the year processed: 2021-12-31 is late but taken, in
//!   2021; 2022-12-31 is the last day; 2023-01-01 is too late.
//! - W7 (Wujiang): claims by 31 December, then until the end of the next policy year.
//! - Huai'an 2026: the source gives no deadline (Q54, Q83): said in words, exit 1.
//! - W3 (2 working days): submitted Monday 2024-09-30; 1 to 7 October are the National Day
//!   holiday; 8 October is working day 1, 9 October day 2.
//! - K6 (1 working day): submitted 2021-09-30; after the holiday, Friday 8 October.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::panic)]

mod invocations;

const CASES: &[&str] = &[
    "manual-claim --jurisdiction kunshan --expense-date 2021-05-01 --filed-on 2021-12-30",
    "manual-claim --jurisdiction kunshan --expense-date 2021-05-01 --filed-on 2021-12-31",
    "manual-claim --jurisdiction kunshan --expense-date 2021-05-01 --filed-on 2022-12-31",
    "manual-claim --jurisdiction kunshan --expense-date 2021-05-01 --filed-on 2023-01-01 --explain",
    "manual-claim --jurisdiction kunshan --expense-date 2021-05-01 --filed-on 2021-12-31 --format json",
    "manual-claim --jurisdiction kunshan --expense-date 2021-05-01 --filed-on 2022-03-01 --lang zh",
    "manual-claim --jurisdiction wujiang --expense-date 2024-12-31 --filed-on 2025-03-01",
    "manual-claim --jurisdiction huaian --expense-date 2026-05-01",
    "manual-claim --jurisdiction kunshan --expense-date 2021-02-30",
    "approval --jurisdiction wujiang --submitted-on 2024-09-30",
    "approval --jurisdiction kunshan --submitted-on 2021-09-30",
    "approval --jurisdiction kunshan --submitted-on 2021-09-30 --format json",
    "approval --jurisdiction kunshan --submitted-on 2024-09-30",
];

#[test]
fn deadlines_as_computed_by_hand() {
    insta::assert_snapshot!(invocations::table("deadline", CASES));
}
