//! `yibao catastrophic --ladder`: without `--jurisdiction`, every insured place's schedules
//! across the years the data spans; a year without a schedule says why, telling a year the
//! sources publish none for (Kunshan 2021, Wujiang: the data's reason) from a year no data is
//! loaded for (Huai'an before 2026).

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::panic)]

mod invocations;

const CASES: &[&str] = &[
    "--ladder",
    "--ladder --lang zh --jurisdiction kunshan",
    "--ladder --jurisdiction huaian --format json",
    "--year 2026 --burden 100000",
];

#[test]
fn the_ladders_of_every_place() {
    insta::assert_snapshot!(invocations::table("catastrophic", CASES));
}
