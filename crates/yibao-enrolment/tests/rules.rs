//! Named tests per rule id on the real policy data, with the figures worked by hand.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/mod.rs"]
mod common;

use common::*;
use yibao_core::Yuan;
use yibao_enrolment::{
    AccountFeature, AccountUse, BirthYearCover, CategoryId, ChannelStatus, ContributionQuery,
    CoverBasis, CoverEnd, DocumentHolder, EnrolmentError, EnrolmentRoute, EnrolmentStatus,
    EventKind, ExistingEnrolment, FamilyPaymentRequest, Funding, IdentityDocument, InsuranceScheme,
    RefundReason, RefundRequest, Relation, SharingGroup, Subsidy, SubsidyBasis, WaitingReason,
};

fn yuan(text: &str) -> Yuan {
    text.parse().unwrap()
}

fn query(category: &str, year: i64, paid_on: &str) -> ContributionQuery {
    ContributionQuery::new(
        CategoryId::new(category),
        y(year),
        d(paid_on),
        EnrolmentRoute::Ordinary,
    )
}

fn range(cover: &yibao_enrolment::Cover) -> Vec<String> {
    cover.periods.iter().map(|p| p.range.to_string()).collect()
}

/// The enrolment rules a row is settled under.
#[derive(Clone, Copy, Debug)]
enum Book {
    Kunshan2021,
    Huaian2026,
}

/// The cover a single payment gives, with its rule id and the dates worked by hand.
struct OnePaymentRow {
    rule: &'static str,
    book: Book,
    born: &'static str,
    paid_on: &'static str,
    year: i64,
    periods: &'static [&'static str],
    waiting: Option<&'static str>,
    first_basis: Option<CoverBasis>,
    waiting_reason: Option<WaitingReason>,
    rules: Option<&'static [&'static str]>,
    by_hand: &'static str,
}

impl OnePaymentRow {
    /// Every figure of the row's cover that differs, named.
    fn failures(&self) -> Vec<String> {
        let section = match self.book {
            Book::Kunshan2021 => kunshan(),
            Book::Huaian2026 => huaian(),
        };
        let name = format!(
            "{} {:?} paid {} for {} ({})",
            self.rule, self.book, self.paid_on, self.year, self.by_hand
        );
        let events = vec![pay(self.paid_on, self.year)];
        let cover = match section.cover(&history(self.born, events), y(self.year)) {
            Ok(cover) => cover,
            Err(e) => return vec![format!("{name}: {e}")],
        };
        let mut failures = Vec::new();
        if range(&cover) != self.periods {
            failures.push(format!(
                "{name}: cover {:?}, expected {:?}",
                range(&cover),
                self.periods
            ));
        }
        let waiting: Vec<String> = cover
            .waiting_periods
            .iter()
            .map(|w| w.range.to_string())
            .collect();
        let expected_waiting: Vec<&str> = self.waiting.into_iter().collect();
        if waiting != expected_waiting {
            failures.push(format!(
                "{name}: waiting {waiting:?}, expected {expected_waiting:?}"
            ));
        }
        if let Some(basis) = self.first_basis
            && cover.periods.first().map(|p| p.basis) != Some(basis)
        {
            failures.push(format!("{name}: first period's basis is not {basis:?}"));
        }
        if let Some(reason) = self.waiting_reason
            && cover.waiting_periods.first().map(|w| w.reason) != Some(reason)
        {
            failures.push(format!(
                "{name}: the waiting period's reason is not {reason:?}"
            ));
        }
        if !cover.trace.applied(self.rule) {
            failures.push(format!("{name}: {} not applied", self.rule));
        }
        if let Some(rules) = self.rules
            && rules_of(cover.rules()) != rules
        {
            failures.push(format!(
                "{name}: rules {:?}, expected {rules:?}",
                rules_of(cover.rules())
            ));
        }
        failures
    }
}

#[test]
fn k9_h2_h3_cover_of_one_payment_table() {
    use Book::{Huaian2026, Kunshan2021};
    #[rustfmt::skip]
    let rows = [
        OnePaymentRow { rule: "K9", book: Kunshan2021, born: "2000-01-01", paid_on: "2020-12-01",
            year: 2021, periods: &["2021-01-01..=2021-12-31"], waiting: None,
            first_basis: Some(CoverBasis::CollectionWindow), waiting_reason: None,
            rules: Some(&["K9"]),
            by_hand: "the window's first day 2020-12-01 covers the whole year" },
        OnePaymentRow { rule: "H2", book: Huaian2026, born: "1990-01-01", paid_on: "2025-12-31",
            year: 2026, periods: &["2026-01-01..=2026-12-31"], waiting: None,
            first_basis: None, waiting_reason: None, rules: Some(&["H2"]),
            by_hand: "paid in the window, on its last day: all of 2026, no waiting" },
        OnePaymentRow { rule: "H3", book: Huaian2026, born: "1990-01-01", paid_on: "2026-01-01",
            year: 2026, periods: &["2026-03-01..=2026-12-31"],
            waiting: Some("2026-01-01..=2026-02-28"),
            first_basis: Some(CoverBasis::AfterWaitingPeriod),
            waiting_reason: Some(WaitingReason::PaidOutsideWindow), rules: None,
            by_hand: "2026-01-01 + 2 months = 2026-03-01" },
        OnePaymentRow { rule: "H3", book: Huaian2026, born: "1990-01-01", paid_on: "2026-03-31",
            year: 2026, periods: &["2026-05-31..=2026-12-31"],
            waiting: Some("2026-03-31..=2026-05-30"), first_basis: None, waiting_reason: None,
            rules: None,
            by_hand: "2026-03-31 + 2 months = 2026-05-31 (31 May exists)" },
        OnePaymentRow { rule: "H3", book: Huaian2026, born: "1990-01-01", paid_on: "2026-12-31",
            year: 2026, periods: &[], waiting: Some("2026-12-31..=2027-02-27"),
            first_basis: None, waiting_reason: None, rules: None,
            by_hand: "2026-12-31 + 2 months = 2027-02-28 (clamped): no cover in 2026" },
        OnePaymentRow { rule: "H3", book: Huaian2026, born: "1990-01-01", paid_on: "2026-10-31",
            year: 2026, periods: &["2026-12-31..=2026-12-31"],
            waiting: Some("2026-10-31..=2026-12-30"), first_basis: None, waiting_reason: None,
            rules: None,
            by_hand: "2026-10-31 + 2 months = 2026-12-31: covered on the last day only" },
    ];
    let failures: Vec<String> = rows.iter().flat_map(OnePaymentRow::failures).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------- Kunshan 2021

#[test]
fn k2_university_student_pays_150_with_650_subsidy() {
    let c = kunshan()
        .contribution(&query("university_student", 2021, "2020-12-01"))
        .unwrap();
    assert_eq!(c.individual, yuan("150"));
    match c.subsidy {
        Subsidy::Granted(f) => {
            assert_eq!(f.amount, yuan("650"));
            assert_eq!(f.basis, SubsidyBasis::Exact);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(rules_of(c.rules()), ["K2"]);
}

#[test]
fn k2_categories_without_a_published_amount_are_refused_by_name() {
    let err = kunshan()
        .contribution(&query("unemployed_resident", 2021, "2020-12-10"))
        .unwrap_err();
    assert!(matches!(err, EnrolmentError::NotGivenBySource { .. }));
    assert!(err.to_string().contains("unemployed_resident"), "{err}");
}

#[test]
fn unknown_category_is_a_typed_error_naming_it() {
    let err = kunshan()
        .contribution(&query("astronaut", 2021, "2020-12-10"))
        .unwrap_err();
    assert!(
        matches!(&err, EnrolmentError::UnknownCategory { id, .. } if id.as_str() == "astronaut")
    );
    assert!(err.to_string().contains("`astronaut`"));
}

#[test]
fn k10_paid_on_30_june_pays_150_and_keeps_the_subsidy() {
    let c = kunshan()
        .contribution(&query("university_student", 2021, "2021-06-30"))
        .unwrap();
    assert_eq!(c.individual, yuan("150"));
    assert!(matches!(c.subsidy, Subsidy::Granted(_)));
    assert_eq!(rules_of(c.rules()), ["K2", "K10"]);
}

#[test]
fn k10_paid_on_1_july_pays_the_whole_funding_800() {
    // 150 + 650 = 800, no subsidy.
    let c = kunshan()
        .contribution(&query("university_student", 2021, "2021-07-01"))
        .unwrap();
    assert_eq!(c.individual, yuan("800"));
    assert_eq!(
        c.subsidy,
        Subsidy::Withheld {
            not_granted: yuan("650")
        }
    );
    assert!(c.trace.applied("K10"));
}

#[test]
fn k10_employee_to_resident_transfer_pays_800_even_in_the_window() {
    let mut q = query("university_student", 2021, "2020-12-10");
    q.route = EnrolmentRoute::EmployeeToResidentTransfer;
    let c = kunshan().contribution(&q).unwrap();
    assert_eq!(c.individual, yuan("800"));
}

#[test]
fn k9_payment_before_the_window_or_after_the_year_is_refused() {
    let k = kunshan();
    assert!(matches!(
        k.contribution(&query("university_student", 2021, "2020-11-30")),
        Err(EnrolmentError::PaidBeforeWindow { .. })
    ));
    assert!(matches!(
        k.contribution(&query("university_student", 2021, "2022-01-01")),
        Err(EnrolmentError::PaidAfterYear { .. })
    ));
    assert!(matches!(
        k.contribution(&query("university_student", 2022, "2021-12-01")),
        Err(EnrolmentError::YearNotCovered { .. })
    ));
}

#[test]
fn k9_window_last_day_2020_12_25_vs_2020_12_26() {
    let k = kunshan();
    // Last day of the window: in it.
    let in_window = k
        .cover(
            &history("2000-01-01", vec![pay("2020-12-25", 2021)]),
            y(2021),
        )
        .unwrap();
    assert_eq!(in_window.periods[0].basis, CoverBasis::CollectionWindow);
    // The day after, insured in 2020: never suspended (Reading), still from 1 January.
    let late = k
        .cover(
            &history(
                "2000-01-01",
                vec![pay("2019-12-10", 2020), pay("2020-12-26", 2021)],
            ),
            y(2021),
        )
        .unwrap();
    assert_eq!(range(&late), ["2021-01-01..=2021-12-31"]);
    assert_eq!(late.periods[0].basis, CoverBasis::PaidLateBeforeYear);
    assert!(late.suspensions.is_empty());
    // The day after, never insured before: the source does not say.
    let first = k.cover(
        &history("2000-01-01", vec![pay("2020-12-26", 2021)]),
        y(2021),
    );
    assert!(matches!(
        first,
        Err(EnrolmentError::NotGivenBySource { .. })
    ));
}

#[test]
fn k9_paid_on_1_march_suspended_until_the_day_after() {
    let cover = kunshan()
        .cover(
            &history(
                "2000-01-01",
                vec![pay("2019-12-10", 2020), pay("2021-03-01", 2021)],
            ),
            y(2021),
        )
        .unwrap();
    // Suspended 2021-01-01..=2021-03-01; reopened 2021-03-02.
    assert_eq!(cover.suspensions.len(), 1);
    assert_eq!(cover.suspensions[0].from, d("2021-01-01"));
    assert_eq!(cover.suspensions[0].reopened_on, Some(d("2021-03-02")));
    assert_eq!(range(&cover), ["2021-03-02..=2021-12-31"]);
    assert!(!cover.is_covered_on(d("2021-03-01")));
}

#[test]
fn k9_insured_in_2020_and_unpaid_is_suspended_all_year() {
    let cover = kunshan()
        .cover(
            &history("2000-01-01", vec![pay("2019-12-10", 2020)]),
            y(2021),
        )
        .unwrap();
    assert!(cover.periods.is_empty());
    assert_eq!(cover.suspensions[0].reopened_on, None);
    assert!(cover.trace.applied("K9"));
}

#[test]
fn k11_channel_closed_from_21_00_to_midnight() {
    let k = kunshan();
    let at = |t: &str| chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S").unwrap();
    assert!(matches!(
        k.payment_channel_at(at("2020-12-10 20:59:59")).unwrap(),
        ChannelStatus::Open { .. }
    ));
    assert!(matches!(
        k.payment_channel_at(at("2020-12-10 21:00:00")).unwrap(),
        ChannelStatus::Closed { .. }
    ));
    assert!(matches!(
        k.payment_channel_at(at("2020-12-10 23:59:59")).unwrap(),
        ChannelStatus::Closed { .. }
    ));
    assert!(matches!(
        k.payment_channel_at(at("2020-12-11 00:00:00")).unwrap(),
        ChannelStatus::Open { .. }
    ));
    // Huai'an publishes no channel hours.
    assert!(matches!(
        huaian().payment_channel_at(at("2025-12-10 22:00:00")),
        Err(EnrolmentError::NotGivenBySource { .. })
    ));
}

#[test]
fn k1_university_transition_is_data() {
    let t = kunshan().university_transition.unwrap();
    assert_eq!((t.start, t.end), (d("2020-09-01"), d("2020-12-31")));
    assert_eq!(t.category.as_str(), "university_student");
}

#[test]
fn k12_residence_permit_for_hong_kong_macao_taiwan_students() {
    let k = kunshan();
    assert!(
        k.identity_document(
            IdentityDocument::ResidencePermit,
            DocumentHolder::HongKongMacaoTaiwanStudent
        )
        .is_allowed()
    );
    assert!(
        !k.identity_document(IdentityDocument::BirthCertificate, DocumentHolder::Newborn)
            .is_allowed()
    );
    assert!(
        huaian()
            .identity_document(IdentityDocument::BirthCertificate, DocumentHolder::Newborn)
            .is_allowed()
    );
}

// ---------------------------------------------------------------- Huai'an 2026

#[test]
fn h1_resident_pays_440_subsidy_is_a_2025_minimum() {
    let c = huaian()
        .contribution(&query("resident", 2026, "2025-11-01"))
        .unwrap();
    assert_eq!(c.individual, yuan("440"));
    let Subsidy::Granted(f) = c.subsidy else {
        panic!()
    };
    assert_eq!(
        (f.amount, f.basis, f.stated_for),
        (yuan("730"), SubsidyBasis::AtLeast, y(2025))
    );
    assert!(
        c.trace
            .steps()
            .iter()
            .any(|s| s.render().contains("at least 730") && s.render().contains("2025"))
    );
}

#[test]
fn h1_fully_subsidised_groups_pay_0() {
    let h = huaian();
    for id in [
        "medical_aid",
        "disabled_unable_to_work",
        "former_low_income",
    ] {
        let c = h.contribution(&query(id, 2026, "2025-11-01")).unwrap();
        assert_eq!(c.individual, Yuan::ZERO, "{id}");
        assert_eq!(c.paid_by_assistance, yuan("440"), "{id}");
        assert!(c.trace.applied("H1"));
    }
}

#[test]
fn h4_veteran_day_90_no_waiting_day_91_waits() {
    let h = huaian();
    // Status changed 2026-03-01; day 90 = 2026-05-30, day 91 = 2026-05-31.
    let day90 = h
        .cover(
            &history(
                "1995-01-01",
                vec![
                    ev("2026-03-01", EventKind::VeteranStatusChange),
                    pay("2026-05-30", 2026),
                ],
            ),
            y(2026),
        )
        .unwrap();
    assert_eq!(range(&day90), ["2026-05-30..=2026-12-31"]);
    assert_eq!(day90.periods[0].basis, CoverBasis::Veteran);
    assert!(day90.waiting_periods.is_empty());
    let day91 = h
        .cover(
            &history(
                "1995-01-01",
                vec![
                    ev("2026-03-01", EventKind::VeteranStatusChange),
                    pay("2026-05-31", 2026),
                ],
            ),
            y(2026),
        )
        .unwrap();
    // 2026-05-31 + 2 months = 2026-07-31.
    assert_eq!(range(&day91), ["2026-07-31..=2026-12-31"]);
    assert!(day91.trace.applied("H4") && day91.trace.applied("H3"));
}

#[test]
fn h4_new_aid_recipient_funded_by_the_city_has_no_waiting() {
    let event = yibao_enrolment::Event::new(
        d("2026-06-15"),
        EventKind::Payment {
            year: y(2026),
            funding: Funding::CityFundedNewAidRecipient,
        },
    );
    let cover = huaian()
        .cover(&history("1970-01-01", vec![event]), y(2026))
        .unwrap();
    assert_eq!(range(&cover), ["2026-06-15..=2026-12-31"]);
    assert_eq!(cover.periods[0].basis, CoverBasis::NewAidRecipient);
}

#[test]
fn h5_newborn_day_90_covered_from_birth_day_91_from_payment() {
    let h = huaian();
    // Born 2026-02-01: day 90 = 2026-05-02, day 91 = 2026-05-03.
    let day90 = h
        .cover(
            &history("2026-02-01", vec![pay("2026-05-02", 2026)]),
            y(2026),
        )
        .unwrap();
    assert_eq!(range(&day90), ["2026-02-01..=2026-12-31"]);
    assert_eq!(day90.periods[0].basis, CoverBasis::NewbornFromBirth);
    assert!(day90.trace.applied("H5"));
    let day91 = h
        .cover(
            &history("2026-02-01", vec![pay("2026-05-03", 2026)]),
            y(2026),
        )
        .unwrap();
    assert_eq!(range(&day91), ["2026-05-03..=2026-12-31"]);
    assert_eq!(day91.periods[0].basis, CoverBasis::NewbornWithoutWaiting);
    assert!(day91.waiting_periods.is_empty());
}

#[test]
fn h5_december_birth_enrolled_in_january_with_and_without_back_payment() {
    let h = huaian();
    // Born 2025-12-20, enrolled 2026-01-10 (day 21).
    let without = h
        .cover(
            &history("2025-12-20", vec![pay("2026-01-10", 2026)]),
            y(2026),
        )
        .unwrap();
    assert_eq!(range(&without), ["2026-01-01..=2026-12-31"]);
    assert_eq!(
        without.birth_year.map(|b| match b {
            BirthYearCover::NotBackPaid { uncovered } => uncovered.to_string(),
            BirthYearCover::BackPaid { .. } => String::new(),
        }),
        Some("2025-12-20..=2025-12-31".to_owned())
    );
    let with = h
        .cover(
            &history(
                "2025-12-20",
                vec![pay("2026-01-10", 2025), pay("2026-01-10", 2026)],
            ),
            y(2026),
        )
        .unwrap();
    assert!(
        matches!(with.birth_year, Some(BirthYearCover::BackPaid { cover }) if cover.to_string() == "2025-12-20..=2025-12-31")
    );
    // Day 90 is 2026-03-20 (11 + 31 + 28 + 20 days); a back payment on day 91 is a payment
    // after its year: refused.
    let day90 = h
        .cover(
            &history(
                "2025-12-20",
                vec![pay("2026-03-20", 2025), pay("2026-03-20", 2026)],
            ),
            y(2026),
        )
        .unwrap();
    assert!(matches!(
        day90.birth_year,
        Some(BirthYearCover::BackPaid { .. })
    ));
    let late = h.cover(
        &history("2025-12-20", vec![pay("2026-03-21", 2025)]),
        y(2026),
    );
    assert!(matches!(late, Err(EnrolmentError::PaidAfterYear { .. })));
}

#[test]
fn h1_h5_the_2025_contribution_is_the_440_of_q14_for_a_birth_year_back_payment() {
    let h = huaian();
    // H1 Reading: Q14 keeps 2026 equal to 2025, so 2025's individual contribution is 440; a
    // newborn's back payment for 2025 made on 2026-01-20 (H5) pays it. The subsidy figure is
    // the one stated for 2025 (at least 730, Q1, Q13). The 2025 window is not given, so the
    // date is not checked against it.
    let c = h.contribution(&query("child", 2025, "2026-01-20")).unwrap();
    assert_eq!(
        (c.individual, c.paid_by_assistance),
        (yuan("440"), yuan("0"))
    );
    match c.subsidy {
        Subsidy::Granted(figure) => {
            assert_eq!((figure.amount, figure.stated_for), (yuan("730"), y(2025)));
            assert_eq!(figure.basis, SubsidyBasis::AtLeast);
        }
        Subsidy::Withheld { .. } => panic!("withheld"),
    }
    assert!(c.trace.applied("H1"));
    // Fully subsidised categories pay 0 for 2025 too; 2024 is not given at all.
    let aid = h
        .contribution(&query("medical_aid", 2025, "2026-01-20"))
        .unwrap();
    assert_eq!(
        (aid.individual, aid.paid_by_assistance),
        (yuan("0"), yuan("440"))
    );
    assert!(matches!(
        h.contribution(&query("child", 2024, "2026-01-20")),
        Err(EnrolmentError::YearNotCovered { .. })
    ));
}

#[test]
fn h6_consecutive_years_counted_from_2025() {
    let h = huaian();
    let hist = history(
        "1980-01-01",
        vec![
            pay("2022-12-01", 2023),
            pay("2023-12-01", 2024),
            pay("2024-12-01", 2025),
            pay("2025-12-01", 2026),
        ],
    );
    // 2023 and 2024 do not count: 2025, 2026 = 2.
    let c = h.consecutive_years(&hist, y(2026)).unwrap();
    assert_eq!(c.years, 2);
    assert_eq!(c.since, Some(y(2025)));
    assert_eq!(h.consecutive_years(&hist, y(2025)).unwrap().years, 1);
    assert!(matches!(
        h.consecutive_years(&hist, y(2024)),
        Err(EnrolmentError::YearNotCovered { .. })
    ));
}

#[test]
fn h6_a_lapse_restarts_the_count() {
    let h = huaian();
    // Insured 2025 (window), nothing for 2026, paid 2027 in its window: 2026 is a policy year
    // without cover between two insured years, a lapse: the count restarts in 2027 (1 year).
    let hist = history(
        "1980-01-01",
        vec![pay("2024-12-01", 2025), pay("2026-12-01", 2027)],
    );
    let c = h.consecutive_years(&hist, y(2027)).unwrap();
    assert_eq!(c.years, 1);
    assert_eq!(c.since, Some(y(2027)));
    assert_eq!(c.lapse.map(|l| l.first_uninsured), Some(y(2026)));
    assert!(c.trace.applied("H6"));
    // Not insured at all in 2026: 0.
    let none = history("1980-01-01", vec![pay("2024-12-01", 2025)]);
    assert_eq!(h.consecutive_years(&none, y(2026)).unwrap().years, 0);
}

#[test]
fn h3_h6_a_late_payment_is_not_a_lapse() {
    let h = huaian();
    // Insured 2025 (window), 2026 paid late on 2026-03-01: uninsured 2026-01-01..=02-28, but
    // no policy year without cover (POLICY-NOTES H3 Reading), so no lapse: 2025 and 2026 are
    // 2 consecutive years (H6). The waiting period is the late payment's (H3).
    let hist = history(
        "1980-01-01",
        vec![pay("2024-12-01", 2025), pay("2026-03-01", 2026)],
    );
    let c = h.consecutive_years(&hist, y(2026)).unwrap();
    assert_eq!((c.years, c.since, c.lapse), (2, Some(y(2025)), None));
    assert_eq!(h.lapse_before(&hist, y(2026)).unwrap(), None);
    let cover = h.cover(&hist, y(2026)).unwrap();
    assert_eq!(range(&cover), ["2026-05-01..=2026-12-31"]);
    assert_eq!(
        cover.waiting_periods[0].reason,
        WaitingReason::PaidOutsideWindow
    );
}

#[test]
fn h4_q36_switch_gap_of_3_months_after_2_years_is_not_a_lapse() {
    let h = huaian();
    // Resident 2025 and 2026 (window), employee from 2026-04-01 to 2026-06-30 (resident
    // suspended), resident again paid 2026-09-30: gap 2026-07-01..=09-29 (< 3 months).
    let events = vec![
        pay("2024-12-01", 2025),
        pay("2025-12-01", 2026),
        ev("2026-04-01", EventKind::JoinedEmployeeInsurance),
        ev("2026-06-30", EventKind::LeftEmployeeInsurance),
        pay("2026-09-30", 2026),
    ];
    let hist = history("1980-01-01", events);
    let cover = h.cover(&hist, y(2026)).unwrap();
    assert_eq!(
        range(&cover),
        ["2026-01-01..=2026-03-31", "2026-09-30..=2026-12-31"]
    );
    assert_eq!(cover.periods[0].end, CoverEnd::JoinedEmployeeInsurance);
    assert_eq!(cover.periods[1].basis, CoverBasis::SwitchWithinTolerance);
    assert!(cover.trace.applied("H9") && cover.trace.applied("H4"));
    assert_eq!(h.consecutive_years(&hist, y(2026)).unwrap().years, 2);
}

#[test]
fn h4_q36_gap_over_3_months_waits_exactly_3_months_does_not() {
    let h = huaian();
    // Left employee 2026-03-31; paid resident 2026-07-02: gap 04-01..=07-01 is more than
    // 3 months (04-01 + 3 months = 07-01): not the Q36 switch, so the payment outside the
    // window waits 2 months (H3; no lapse: no policy year is without cover).
    let events = vec![
        pay("2024-12-01", 2025),
        pay("2025-12-01", 2026),
        ev("2026-02-01", EventKind::JoinedEmployeeInsurance),
        ev("2026-03-31", EventKind::LeftEmployeeInsurance),
        pay("2026-07-02", 2026),
    ];
    let cover = h.cover(&history("1980-01-01", events), y(2026)).unwrap();
    assert_eq!(
        range(&cover),
        ["2026-01-01..=2026-01-31", "2026-09-02..=2026-12-31"]
    );
    // Paid 2026-07-01 instead: exactly 3 months, tolerated.
    let events = vec![
        pay("2024-12-01", 2025),
        pay("2025-12-01", 2026),
        ev("2026-02-01", EventKind::JoinedEmployeeInsurance),
        ev("2026-03-31", EventKind::LeftEmployeeInsurance),
        pay("2026-07-01", 2026),
    ];
    let cover = h.cover(&history("1980-01-01", events), y(2026)).unwrap();
    assert_eq!(
        range(&cover),
        ["2026-01-01..=2026-01-31", "2026-07-01..=2026-12-31"]
    );
}

#[test]
fn h3_h6_h7_insured_2024_not_2025_paid_in_the_2026_window_is_a_lapse() {
    let h = huaian();
    // Insured 2024, nothing in 2025, paid 2026 in the window on 2025-11-20. The one lapse
    // definition (POLICY-NOTES H3 Reading): 2025 is a policy year without cover between two
    // insured years, and 2025 is counted (Q36: only years before 2025 neither count nor
    // break). So:
    // - cover (H3; Q3, Q39: 中断缴费后重新参保 waits 2 months even in the window): the
    //   Reading's fixed start, payment + 2 months: 2025-11-20 + 2 months = 2026-01-20; the
    //   waiting period 2025-11-20..=2026-01-19 reaches 19 days into 2026;
    // - the incentives (H6, Q77: 断保之后再次参保的, 连续参保年数重新计算): the count restarts,
    //   1 year, since 2026, after the lapse of 2025 (H7: a re-enrollee).
    // Before one definition the count saw no lapse (2024 is not a counted year).
    let hist = history(
        "1980-01-01",
        vec![pay("2023-12-01", 2024), pay("2025-11-20", 2026)],
    );
    let lapse = h.lapse_before(&hist, y(2026)).unwrap().unwrap();
    assert_eq!(
        (
            lapse.last_insured,
            lapse.first_uninsured,
            lapse.last_uninsured,
            lapse.resumed
        ),
        (y(2024), y(2025), y(2025), y(2026))
    );
    let cover = h.cover(&hist, y(2026)).unwrap();
    assert_eq!(range(&cover), ["2026-01-20..=2026-12-31"]);
    assert_eq!(
        cover.waiting_periods[0].range.to_string(),
        "2025-11-20..=2026-01-19"
    );
    assert_eq!(
        cover.waiting_periods[0].reason,
        WaitingReason::ReEnrolledAfterLapse
    );
    let c = h.consecutive_years(&hist, y(2026)).unwrap();
    assert_eq!((c.years, c.since, c.lapse), (1, Some(y(2026)), Some(lapse)));
    // Paid on 2025-10-20 instead: 2 months end on 2025-12-19, before the year: covered
    // from 1 January (the waiting period takes no day of 2026).
    let early = history(
        "1980-01-01",
        vec![pay("2023-12-01", 2024), pay("2025-10-20", 2026)],
    );
    assert_eq!(
        range(&h.cover(&early, y(2026)).unwrap()),
        ["2026-01-01..=2026-12-31"]
    );
}

#[test]
fn h6_q36_an_uninsured_year_before_2025_is_not_a_lapse() {
    let h = huaian();
    // Insured 2023, nothing in 2024, paid 2025 and 2026 in their windows: 2024 is before the
    // count (Q36: 以前年度是否参保, 均不计入 ... 断保年限): no lapse, 2 years, no waiting.
    let hist = history(
        "1980-01-01",
        vec![
            pay("2022-12-01", 2023),
            pay("2024-12-01", 2025),
            pay("2025-12-01", 2026),
        ],
    );
    assert_eq!(h.lapse_before(&hist, y(2025)).unwrap(), None);
    assert_eq!(h.lapse_before(&hist, y(2026)).unwrap(), None);
    assert_eq!(h.consecutive_years(&hist, y(2026)).unwrap().years, 2);
    // Never insured before: a first enrolment, not a re-enrolment.
    let first = history("1980-01-01", vec![pay("2025-12-01", 2026)]);
    assert_eq!(h.lapse_before(&first, y(2026)).unwrap(), None);
    assert_eq!(
        range(&h.cover(&first, y(2026)).unwrap()),
        ["2026-01-01..=2026-12-31"]
    );
}

#[test]
fn h3_h4_employee_until_mid_2025_then_the_2026_window_is_not_a_lapse() {
    let h = huaian();
    // Employee 2025-01-01..=06-30, then uninsured; pays 2026 in the window on 2025-12-20.
    // 2025 has insured days (employee insurance counts): no policy year without cover, so no
    // lapse (POLICY-NOTES H3); paid in the window: covered from 1 January. (The day-by-day
    // gap of more than 3 months only matters for a payment outside the window, Q36.)
    let events = vec![
        ev("2025-01-01", EventKind::JoinedEmployeeInsurance),
        ev("2025-06-30", EventKind::LeftEmployeeInsurance),
        pay("2025-12-20", 2026),
    ];
    let hist = history("1980-01-01", events);
    let cover = h.cover(&hist, y(2026)).unwrap();
    assert_eq!(range(&cover), ["2026-01-01..=2026-12-31"]);
    assert!(cover.waiting_periods.is_empty());
    assert_eq!(h.consecutive_years(&hist, y(2026)).unwrap().years, 2);
}

#[test]
fn h8_refund_before_the_benefit_period_only() {
    let h = huaian();
    let hist = history("1980-01-01", vec![pay("2025-11-01", 2026)]);
    let req = |applied: &str, reason| {
        RefundRequest::new(y(2026), CategoryId::new("resident"), reason, d(applied))
    };
    assert!(
        h.refund(
            &hist,
            &req("2025-12-31", RefundReason::JoinedEmployeeInsurance)
        )
        .unwrap()
        .is_allowed()
    );
    let after = h
        .refund(
            &hist,
            &req("2026-01-01", RefundReason::JoinedEmployeeInsurance),
        )
        .unwrap();
    assert!(!after.is_allowed());
    assert_eq!(rules_of(after.rules()), ["H8"]);
    assert!(
        !h.refund(&hist, &req("2025-12-01", RefundReason::Other))
            .unwrap()
            .is_allowed()
    );
    // An aid recipient's subsidy goes back the same way.
    let aid = RefundRequest::new(
        y(2026),
        CategoryId::new("medical_aid"),
        RefundReason::DuplicatePayment,
        d("2025-12-01"),
    );
    let decision = h.refund(&hist, &aid).unwrap();
    assert!(decision.is_allowed() && decision.consequences.len() == 2);
    assert!(matches!(
        kunshan().refund(
            &history("1980-01-01", vec![]),
            &req("2020-12-01", RefundReason::DuplicatePayment)
        ),
        Err(EnrolmentError::NotGivenBySource { .. })
    ));
}

#[test]
fn h9_double_enrolment_is_rejected() {
    let h = huaian();
    let elsewhere =
        ExistingEnrolment::new("suzhou", InsuranceScheme::Resident, EnrolmentStatus::Active);
    assert!(
        !h.new_enrolment(std::slice::from_ref(&elsewhere), "huaian")
            .unwrap()
            .is_allowed()
    );
    let suspended = ExistingEnrolment::new(
        "suzhou",
        InsuranceScheme::Resident,
        EnrolmentStatus::Suspended,
    );
    let ok = h.new_enrolment(&[suspended], "huaian").unwrap();
    assert!(ok.is_allowed());
    assert_eq!(rules_of(ok.rules()), ["H9"]);
}

#[test]
fn h10_employee_account_pays_for_close_relatives_only() {
    let h = huaian();
    let req = |relation, purpose, feature| {
        FamilyPaymentRequest::new(relation, purpose, feature, SharingGroup::NoneOrThisOne)
    };
    assert!(
        h.family_payment(&req(
            Relation::Sibling,
            AccountUse::ResidentContribution,
            AccountFeature::FamilyMutualAid
        ))
        .unwrap()
        .is_allowed()
    );
    assert!(
        h.family_payment(&req(
            Relation::MaternalGrandparent,
            AccountUse::ResidentContribution,
            AccountFeature::FamilyMutualAid
        ))
        .unwrap()
        .is_allowed()
    );
    assert!(
        !h.family_payment(&req(
            Relation::Sibling,
            AccountUse::MedicalCosts,
            AccountFeature::FamilyMutualAid
        ))
        .unwrap()
        .is_allowed()
    );
    assert!(
        !h.family_payment(&req(
            Relation::Other,
            AccountUse::ResidentContribution,
            AccountFeature::FamilyMutualAid
        ))
        .unwrap()
        .is_allowed()
    );
    assert!(
        !h.family_payment(&req(
            Relation::Spouse,
            AccountUse::ResidentContribution,
            AccountFeature::FamilyAccount
        ))
        .unwrap()
        .is_allowed()
    );
    let mut other_group = req(
        Relation::Spouse,
        AccountUse::MedicalCosts,
        AccountFeature::FamilyMutualAid,
    );
    other_group.group = SharingGroup::Another;
    assert!(!h.family_payment(&other_group).unwrap().is_allowed());
}

#[test]
fn h26_graduate_cover_runs_to_31_december() {
    let cover = huaian()
        .cover(
            &history(
                "2003-01-01",
                vec![
                    pay("2025-11-01", 2026),
                    ev("2026-06-30", EventKind::Graduated),
                ],
            ),
            y(2026),
        )
        .unwrap();
    assert_eq!(range(&cover), ["2026-01-01..=2026-12-31"]);
    assert!(cover.trace.applied("H26"));
}

// ---------------------------------------------------------------- bad input

#[test]
fn bad_histories_are_typed_errors() {
    let h = huaian();
    assert!(matches!(
        h.cover(
            &history("2026-05-01", vec![pay("2026-04-01", 2026)]),
            y(2026)
        ),
        Err(EnrolmentError::BeforeBirth { .. })
    ));
    assert!(matches!(
        h.cover(
            &history(
                "1980-01-01",
                vec![pay("2026-04-01", 2026), pay("2026-03-01", 2026)]
            ),
            y(2026)
        ),
        Err(EnrolmentError::EventsOutOfOrder { index: 1, .. })
    ));
    assert!(matches!(
        h.cover(
            &history(
                "1980-01-01",
                vec![ev("2026-04-01", EventKind::LeftEmployeeInsurance)]
            ),
            y(2026)
        ),
        Err(EnrolmentError::InconsistentHistory { .. })
    ));
    assert!(matches!(
        h.cover(
            &history("1980-01-01", vec![pay("2025-09-30", 2026)]),
            y(2026)
        ),
        Err(EnrolmentError::PaidBeforeWindow { .. })
    ));
    assert!(matches!(
        h.cover(&history("1980-01-01", vec![]), y(2021)),
        Err(EnrolmentError::YearNotCovered { .. })
    ));
}

#[test]
fn a_second_payment_is_a_duplicate() {
    let cover = huaian()
        .cover(
            &history(
                "1980-01-01",
                vec![pay("2025-11-01", 2026), pay("2025-11-02", 2026)],
            ),
            y(2026),
        )
        .unwrap();
    assert_eq!(range(&cover), ["2026-01-01..=2026-12-31"]);
    assert!(
        cover
            .trace
            .steps()
            .iter()
            .any(|s| s.render().contains("duplicate"))
    );
}

#[test]
fn validation_reports_every_problem_not_just_the_first() {
    use yibao_core::Validate;
    let broken = HUAIAN_2026
        .replace("months = 2\n", "months = 0\n")
        .replace("stated_for = 2025", "stated_for = 2027")
        .replace("id = \"former_low_income\"", "id = \"medical_aid\"");
    let table: toml::Table = yibao_core::prose::parse(&broken).unwrap();
    let section: yibao_enrolment::EnrolmentSection = table["enrolment"].clone().try_into().unwrap();
    let codes: Vec<&str> = section.validate().iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [
            "subsidy-stated-for-later-year",
            "duplicate-category",
            "waiting-months-out-of-range"
        ]
    );
}

// ---------------------------------------------------------------- explanation steps

/// Every decision's steps fill each hole of their templates (refunds, double enrolment,
/// family payments, identity documents, in every combination of their words).
#[test]
fn every_decision_step_fills_its_template() {
    use yibao_core::Word;
    let mut decisions = Vec::new();
    for section in [huaian(), kunshan()] {
        let hist = history("1980-01-01", vec![pay("2025-11-01", 2026)]);
        for (category, reason, applied) in RefundReason::ALL.iter().flat_map(|reason| {
            ["resident", "medical_aid"]
                .into_iter()
                .flat_map(move |category| {
                    ["2025-12-01", "2026-03-01"].map(|applied| (category, *reason, applied))
                })
        }) {
            let request =
                RefundRequest::new(y(2026), CategoryId::new(category), reason, d(applied));
            decisions.extend(section.refund(&hist, &request));
        }
        for (scheme, status, place) in [
            (InsuranceScheme::Resident, EnrolmentStatus::Active, "huaian"),
            (InsuranceScheme::Resident, EnrolmentStatus::Active, "suzhou"),
            (InsuranceScheme::Employee, EnrolmentStatus::Active, "suzhou"),
            (
                InsuranceScheme::Resident,
                EnrolmentStatus::Suspended,
                "suzhou",
            ),
        ] {
            let existing = ExistingEnrolment::new(place, scheme, status);
            decisions.extend(section.new_enrolment(&[existing], "huaian"));
        }
        for relation in Relation::ALL {
            for purpose in [AccountUse::ResidentContribution, AccountUse::MedicalCosts] {
                for feature in [
                    AccountFeature::FamilyMutualAid,
                    AccountFeature::FamilyAccount,
                ] {
                    for group in [SharingGroup::NoneOrThisOne, SharingGroup::Another] {
                        let request = FamilyPaymentRequest::new(*relation, purpose, feature, group);
                        decisions.extend(section.family_payment(&request));
                    }
                }
            }
        }
        for document in IdentityDocument::ALL {
            for holder in DocumentHolder::ALL {
                decisions.push(section.identity_document(*document, *holder));
            }
        }
    }
    assert!(decisions.len() > 50, "only {} decisions", decisions.len());
    for decision in &decisions {
        for step in decision.trace.steps() {
            assert_eq!(step.check(), Ok(()), "{step}");
            assert!(!step.render().contains('{'), "{step}");
        }
    }
}
