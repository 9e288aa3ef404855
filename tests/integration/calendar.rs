use chrono::{Datelike, Weekday};
use proptest::prelude::*;
use yibao::core::{DayKind, NaiveDate, WorkingDayCalendar};
use yibao::policy::{PolicyFiles, PolicyLibrary};

fn calendar() -> WorkingDayCalendar {
    PolicyLibrary::load(&PolicyFiles::embedded())
        .unwrap()
        .calendar
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn national_day_2026_is_off_for_seven_days() {
    let cal = calendar();
    for day in 1..=7 {
        assert_eq!(
            cal.day_kind(d(2026, 10, day)).unwrap().0,
            DayKind::Holiday,
            "2026-10-{day:02}"
        );
    }
    // Sunday 20 September and Saturday 10 October 2026 are worked (调休).
    assert_eq!(
        cal.day_kind(d(2026, 9, 20)).unwrap().0,
        DayKind::MakeUpWorkday
    );
    assert_eq!(
        cal.day_kind(d(2026, 10, 10)).unwrap().0,
        DayKind::MakeUpWorkday
    );
    // Submitted Wednesday 30 September: the next working day is Thursday 8 October.
    assert_eq!(
        cal.next_working_day(d(2026, 9, 30)).unwrap(),
        d(2026, 10, 8)
    );
    // Two working days after Friday 9 October: Saturday 10 October (worked), Monday 12.
    assert_eq!(
        cal.add_working_days(d(2026, 10, 9), 2).unwrap(),
        d(2026, 10, 12)
    );
}

#[test]
fn the_2027_notice_is_not_published_so_2027_is_refused() {
    let cal = calendar();
    let err = cal
        .next_working_day(d(2026, 12, 31))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no State Council holiday notice for 2027"),
        "{err}"
    );
}

#[test]
fn a_weekday_listed_as_worked_in_2020_is_a_working_day() {
    // 2020-02-03 (Monday) is listed as a working day after the extended Spring Festival.
    assert!(calendar().is_working_day(d(2020, 2, 3)).unwrap());
}

proptest! {
    /// Every day of 2026 is a working day exactly when it is a make-up working day, or a
    /// Monday to Friday that is not a listed holiday; National Day 1–7 October is never one.
    #[test]
    fn prop_calendar_2026_agrees_with_the_weekly_rule(offset in 0_u64..365) {
        let cal = calendar();
        let date = yibao::core::add_days(d(2026, 1, 1), offset).unwrap();
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        let (kind, _) = cal.day_kind(date).unwrap();
        let working = cal.is_working_day(date).unwrap();
        match kind {
            DayKind::Holiday => prop_assert!(!working),
            DayKind::MakeUpWorkday => prop_assert!(weekend && working),
            DayKind::Weekday => prop_assert!(working),
            DayKind::Weekend => prop_assert!(weekend && !working),
        }
        if date.month() == 10 && date.day() <= 7 {
            prop_assert!(!working, "{} is National Day", date);
        }
    }
}
