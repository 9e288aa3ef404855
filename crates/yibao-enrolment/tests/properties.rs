//! Property tests: cover never starts before the payment except where a rule says so (the
//! newborn rule); the waiting period is exactly two calendar months; continuity never
//! decreases without a lapse.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/mod.rs"]
mod common;

use chrono::{Days, NaiveDate};
use common::*;
use proptest::prelude::*;
use yibao_core::add_months;
use yibao_enrolment::{CategoryId, ContributionQuery, CoverBasis, EnrolmentRoute, Event};

fn day_in(start: &str, days: u64) -> impl Strategy<Value = NaiveDate> {
    let start = d(start);
    (0..=days).prop_map(move |n| start.checked_add_days(Days::new(n)).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(yibao_core::strategies::cases(64)))]

    /// H2, H3, H4, H5: a single payment for 2026 (window or later, any birth date before it):
    /// cover starts on or after the payment, except a newborn covered from birth.
    #[test]
    fn cover_never_starts_before_the_payment_except_newborns(
        paid in day_in("2025-10-01", 456),
        age in 0_u64..20_000,
    ) {
        let born = paid.checked_sub_days(Days::new(age)).unwrap();
        let hist = yibao_enrolment::EnrolmentHistory::new(born, vec![Event::payment(paid, y(2026))]);
        let cover = huaian().cover(&hist, y(2026)).unwrap();
        for period in &cover.periods {
            if period.basis != CoverBasis::NewbornFromBirth {
                prop_assert!(period.range.start() >= paid, "{period:?} before {paid}");
            } else {
                prop_assert!(period.range.start() >= born);
            }
        }
    }

    /// H3: outside the window the waiting period is exactly two calendar months, month-end
    /// clamped, and cover (if any in 2026) starts the day after it ends.
    #[test]
    fn waiting_period_is_exactly_two_calendar_months(paid in day_in("2026-01-01", 364)) {
        let hist = history("1980-01-01", vec![Event::payment(paid, y(2026))]);
        let cover = huaian().cover(&hist, y(2026)).unwrap();
        prop_assert_eq!(cover.waiting_periods.len(), 1);
        let w = cover.waiting_periods[0];
        let two_months = add_months(paid, 2).unwrap();
        prop_assert_eq!(w.range.start(), paid);
        prop_assert_eq!(w.range.end().succ_opt().unwrap(), two_months);
        match cover.first_covered_day() {
            Some(first) => prop_assert_eq!(first, two_months),
            None => prop_assert!(two_months > d("2026-12-31")),
        }
    }

    /// H6: adding a year paid in its window never lowers the count; the count grows by one.
    #[test]
    fn continuity_never_decreases_without_a_lapse(first in 2023_i32..=2026, lapse_in in proptest::option::of(2025_i32..=2026)) {
        let h = huaian();
        let mut events = Vec::new();
        for year in first..=2026 {
            if Some(year) == lapse_in {
                continue;
            }
            let paid = NaiveDate::from_ymd_opt(year - 1, 12, 1).unwrap();
            events.push(Event::payment(paid, y(i64::from(year))));
        }
        let hist = history("1980-01-01", events);
        let c2025 = h.consecutive_years(&hist, y(2025)).unwrap().years;
        let c2026 = h.consecutive_years(&hist, y(2026)).unwrap().years;
        match lapse_in {
            None => {
                prop_assert!(c2026 >= c2025);
                prop_assert_eq!(c2026, c2025 + 1);
            }
            Some(2026) => prop_assert_eq!(c2026, 0),
            Some(_) => prop_assert_eq!(c2026, 1),
        }
    }

    /// K2, K10: the whole funding is paid alone from 1 July; before, 150 with the subsidy.
    #[test]
    fn k10_individual_is_150_before_july_and_800_after(paid in day_in("2020-12-01", 395)) {
        let c = kunshan().contribution(&ContributionQuery {
            category: CategoryId::new("university_student"),
            year: y(2021),
            paid_on: paid,
            route: EnrolmentRoute::Ordinary,
        }).unwrap();
        let expected = if paid >= d("2021-07-01") { "800" } else { "150" };
        prop_assert_eq!(c.individual.to_string(), format!("{expected}.00"));
    }
}
