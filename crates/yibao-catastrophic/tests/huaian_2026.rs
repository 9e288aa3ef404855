//! Named tests per rule (H19, H7, H6) on the real Huai'an 2026 data, with figures computed by
//! hand in the comments.

// Test helpers may panic on impossible setup failures.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use yibao_catastrophic::{
    CapBinding, CapInForce, CatastrophicError, CatastrophicPolicy, Continuity, IncentiveHistory,
    Ladder, LadderEntry, PersonClass, Publication, RaiseReason, RewardQuota,
};
use yibao_core::{PolicyYear, RoundingMode, Validate, YearSet, Yuan};

const HUAIAN_2026: &str = include_str!("../../../policy-data/huaian/2026.toml");
const KUNSHAN_2021: &str = include_str!("../../../policy-data/kunshan/2021.toml");
const MODE: RoundingMode = RoundingMode::HalfAwayFromZero;

fn policy() -> CatastrophicPolicy {
    let table: toml::Table =
        yibao_core::prose::parse(HUAIAN_2026).expect("huaian/2026.toml parses");
    let section = table
        .get("catastrophic")
        .expect("[catastrophic] present")
        .clone();
    section.try_into().expect("[catastrophic] deserialises")
}

fn y(text: &str) -> Yuan {
    text.parse().expect("amount")
}

fn year(n: i64) -> PolicyYear {
    PolicyYear::new(n).expect("year")
}

fn history(consecutive: u32, zero: &[i64], used: &[i64]) -> IncentiveHistory {
    IncentiveHistory::new(Continuity::Consecutive { years: consecutive })
        .with_zero_reimbursement_years(zero.iter().map(|&n| year(n)).collect::<YearSet>())
        .with_reward_quota_used_years(used.iter().map(|&n| year(n)).collect())
}

/// The 2026 cap of a person enrolled in 2025 and 2026 with payments in 2025: no raise.
fn plain_cap() -> CapInForce {
    policy()
        .cap_in_force(year(2026), &history(2, &[], &[]))
        .expect("cap")
}

fn pay(class: PersonClass, burden: &str) -> Yuan {
    policy()
        .settle_year(class, y(burden), &plain_cap(), MODE)
        .expect("settles")
        .payment
}

// ------------------------------------------------------------------ data

#[test]
fn h19_h7_real_data_validates_clean() {
    let p = policy();
    assert_eq!(p.validate(), vec![]);
    assert_eq!(p.annual_cap, y("500000"));
    assert_eq!(p.ordinary.threshold, y("18000"));
    assert_eq!(p.medical_aid_recipient.threshold, y("9000"));
    assert_eq!(p.incentives.step, y("5000"));
    assert_eq!(p.incentives.first_counted_year, year(2025));
}

// ------------------------------------------------------------------ H19 settlement

/// One year's catastrophic payment on a burden, with its rule id and the bands by hand.
struct YearRow {
    rule: &'static str,
    class: PersonClass,
    burden: &'static str,
    payment: &'static str,
    by_hand: &'static str,
}

#[test]
fn h19_year_payment_by_class_and_burden_table() {
    use PersonClass::{MedicalAidRecipient as Aid, Ordinary};
    #[rustfmt::skip]
    let rows = [
        YearRow { rule: "H19", class: Ordinary, burden: "0", payment: "0",
            by_hand: "no burden, nothing" },
        YearRow { rule: "H19", class: Ordinary, burden: "17999.99", payment: "0",
            by_hand: "below the threshold of 18,000" },
        YearRow { rule: "H19", class: Ordinary, burden: "18000", payment: "0",
            by_hand: "at the threshold: nothing above it" },
        YearRow { rule: "H19", class: Aid, burden: "9000", payment: "0",
            by_hand: "at the aid recipients' threshold of 9,000" },
        YearRow { rule: "H19", class: Ordinary, burden: "18000.01", payment: "0.01",
            by_hand: "18,000.01 − 18,000 = 0.01 × 60% = 0.006 → 0.01" },
        YearRow { rule: "H19", class: Ordinary, burden: "48000", payment: "18000",
            by_hand: "first band: 48,000 − 18,000 = 30,000 × 60% = 18,000" },
        YearRow { rule: "H19", class: Ordinary, burden: "78000", payment: "36000",
            by_hand: "first band to its top: 78,000 − 18,000 = 60,000 × 60% = 36,000 \
                      (6 万元以下, 含 6 万元)" },
        YearRow { rule: "H19", class: Ordinary, burden: "98000", payment: "50000",
            by_hand: "second band: 98,000 − 18,000 = 80,000: 60,000 × 60% = 36,000 \
                      + 20,000 × 70% = 14,000 → 50,000" },
        YearRow { rule: "H19", class: Aid, burden: "100000", payment: "62250",
            by_hand: "100,000 − 9,000 = 91,000: 60,000 × 65% = 39,000 + 31,000 × 75% = 23,250 \
                      → 62,250" },
        YearRow { rule: "H19", class: Ordinary, burden: "100000", payment: "51400",
            by_hand: "ordinary, same burden: 82,000: 36,000 + 22,000 × 70% = 15,400 → 51,400" },
        YearRow { rule: "H19", class: Aid, burden: "209000", payment: "159000",
            by_hand: "209,000 − 9,000 = 200,000: 39,000 + 40,000 × 75% = 30,000 \
                      + 100,000 × 90% = 90,000 → 159,000" },
        YearRow { rule: "H19", class: Aid, burden: "30000", payment: "13650",
            by_hand: "30,000 − 9,000 = 21,000 × 65% = 13,650" },
        YearRow { rule: "H19", class: Ordinary, burden: "30000", payment: "7200",
            by_hand: "an ordinary insured: 12,000 × 60% = 7,200" },
    ];
    let mut failures = Vec::new();
    for row in &rows {
        let got = pay(row.class, row.burden);
        if got != y(row.payment) {
            failures.push(format!(
                "{} {:?} on {}: paid {got}, expected {} ({})",
                row.rule, row.class, row.burden, row.payment, row.by_hand
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn h19_inside_the_third_band_with_breakdown() {
    // 218,000 − 18,000 = 200,000: 36,000 + 40,000 × 70% = 28,000 + 100,000 × 85% = 85,000
    // → 149,000
    let s = policy()
        .settle_year(PersonClass::Ordinary, y("218000"), &plain_cap(), MODE)
        .expect("settles");
    assert_eq!(s.excess, y("200000"));
    let parts: Vec<_> = s
        .bands
        .iter()
        .map(|b| (b.band, b.base, b.share.round(MODE)))
        .collect();
    assert_eq!(
        parts,
        vec![
            (1, y("60000"), y("36000")),
            (2, y("40000"), y("28000")),
            (3, y("100000"), y("85000")),
        ]
    );
    assert_eq!(s.payment, y("149000"));
    assert_eq!(s.cap_binding, CapBinding::WithinCap);
    assert_eq!(s.reward_quota, RewardQuota::NotUsed);
    assert!(s.trace.iter().all(|step| step.rule.to_string() == "H19"));
}

#[test]
fn h19_crossing_bands_within_one_claim() {
    // burden 70,000 → 128,000; excess 52,000 → 110,000:
    // band 1: 8,000 × 60% = 4,800; band 2: 40,000 × 70% = 28,000; band 3: 10,000 × 85% = 8,500
    // → 41,300 (= F(110,000) 72,500 − F(52,000) 31,200)
    let c = policy()
        .settle_claim(
            PersonClass::Ordinary,
            y("70000"),
            y("128000"),
            &plain_cap(),
            MODE,
        )
        .expect("settles");
    let parts: Vec<_> = c.bands.iter().map(|b| (b.band, b.base)).collect();
    assert_eq!(
        parts,
        vec![(1, y("8000")), (2, y("40000")), (3, y("10000"))]
    );
    assert_eq!(c.paid_before, y("31200"));
    assert_eq!(c.paid_after, y("72500"));
    assert_eq!(c.payment, y("41300"));
}

#[test]
fn h19_crossing_bands_across_claims_adds_up_to_the_year() {
    let p = policy();
    let cap = plain_cap();
    let claim = |before: &str, after: &str| {
        p.settle_claim(PersonClass::Ordinary, y(before), y(after), &cap, MODE)
            .expect("settles")
            .payment
    };
    // 0 → 10,000: below the threshold, 0
    assert_eq!(claim("0", "10000"), Yuan::ZERO);
    // 10,000 → 40,000: excess 0 → 22,000 × 60% = 13,200
    assert_eq!(claim("10000", "40000"), y("13200"));
    // 40,000 → 90,000: excess 22,000 → 72,000: 38,000 × 60% = 22,800 + 12,000 × 70% = 8,400
    // → 31,200
    assert_eq!(claim("40000", "90000"), y("31200"));
    // the year: 72,000 → 36,000 + 8,400 = 44,400 = 0 + 13,200 + 31,200
    assert_eq!(pay(PersonClass::Ordinary, "90000"), y("44400"));
}

#[test]
fn h19_claims_telescope_at_the_fen() {
    let p = policy();
    let cap = plain_cap();
    // excess 0.01 × 60% = 0.006 → 0.01; excess 0.02 × 60% = 0.012 → 0.01: the second fen adds 0
    let first = p
        .settle_claim(PersonClass::Ordinary, y("18000"), y("18000.01"), &cap, MODE)
        .expect("settles");
    let second = p
        .settle_claim(
            PersonClass::Ordinary,
            y("18000.01"),
            y("18000.02"),
            &cap,
            MODE,
        )
        .expect("settles");
    assert_eq!((first.payment, second.payment), (y("0.01"), Yuan::ZERO));
}

#[test]
fn h19_annual_cap_of_500000() {
    // 1,000,000 − 18,000 = 982,000: 36,000 + 28,000 + 882,000 × 85% = 749,700 → 813,700,
    // above the cap: 500,000
    let s = policy()
        .settle_year(PersonClass::Ordinary, y("1000000"), &plain_cap(), MODE)
        .expect("settles");
    assert_eq!(s.payment, y("500000"));
    assert_eq!(s.cap_binding, CapBinding::CapReached);
    // exactly the original cap: reward quota not used
    assert_eq!(s.reward_quota, RewardQuota::NotUsed);
}

#[test]
fn h19_claim_crossing_the_cap() {
    let p = policy();
    let cap = plain_cap();
    // 600,000: excess 582,000: 64,000 + 482,000 × 85% = 409,700 → 473,700
    // 1,000,000: 813,700 capped at 500,000 → the claim gets 500,000 − 473,700 = 26,300
    let c = p
        .settle_claim(PersonClass::Ordinary, y("600000"), y("1000000"), &cap, MODE)
        .expect("settles");
    assert_eq!((c.paid_before, c.payment), (y("473700"), y("26300")));
    assert_eq!(c.cap_binding, CapBinding::CapReached);
    // above the cap, a further claim gets nothing
    let later = p
        .settle_claim(
            PersonClass::Ordinary,
            y("1000000"),
            y("1200000"),
            &cap,
            MODE,
        )
        .expect("settles");
    assert_eq!(later.payment, Yuan::ZERO);
}

#[test]
fn h19_h7_raised_cap_pays_above_the_original_and_uses_reward_quota() {
    let p = policy();
    // 2026, zero reimbursement in 2025: cap 500,000 + 5,000 = 505,000
    let cap = p
        .cap_in_force(year(2026), &history(2, &[2025], &[]))
        .expect("cap");
    let s = p
        .settle_year(PersonClass::Ordinary, y("1000000"), &cap, MODE)
        .expect("settles");
    assert_eq!(s.payment, y("505000"));
    assert_eq!(s.reward_quota, RewardQuota::Used);
}

#[test]
fn h19_unknown_class_is_a_typed_error() {
    let e = "vip".parse::<PersonClass>().unwrap_err();
    assert_eq!(e, CatastrophicError::UnknownClass { text: "vip".into() });
    assert_eq!(
        e.to_string(),
        "`vip` is not a catastrophic-insurance person class (expected `ordinary` or `medical_aid_recipient`)"
    );
    assert_eq!("ordinary".parse::<PersonClass>(), Ok(PersonClass::Ordinary));
}

#[test]
fn h19_negative_burden_is_unrepresentable_and_backwards_claims_are_refused() {
    assert!("-1".parse::<Yuan>().is_err());
    let e = policy()
        .settle_claim(
            PersonClass::Ordinary,
            y("50000"),
            y("40000"),
            &plain_cap(),
            MODE,
        )
        .unwrap_err();
    assert_eq!(
        e,
        CatastrophicError::BurdenBackwards {
            before: y("50000"),
            after: y("40000")
        }
    );
}

// ------------------------------------------------------------------ H7 incentives

#[test]
fn h7_no_raise_in_the_first_years() {
    // 2026, 2 consecutive years, payments in 2025: 500,000
    let cap = plain_cap();
    assert_eq!((cap.granted, cap.cap), (Yuan::ZERO, y("500000")));
    assert!(cap.raises.is_empty());
}

#[test]
fn h7_continuity_raise_from_the_fifth_year() {
    let p = policy();
    // 2028, 4 consecutive years (2025–2028): 5,000 × max(0, 4 − 4) = 0
    let c = p
        .cap_in_force(year(2028), &history(4, &[], &[]))
        .expect("cap");
    assert_eq!(c.cap, y("500000"));
    // 2029, 5 years: 5,000 × 1 = 5,000
    let c = p
        .cap_in_force(year(2029), &history(5, &[], &[]))
        .expect("cap");
    assert_eq!(c.cap, y("505000"));
    // 2030, 6 years: 5,000 × 2 = 10,000
    let c = p
        .cap_in_force(year(2030), &history(6, &[], &[]))
        .expect("cap");
    assert_eq!(c.cap, y("510000"));
    assert!(matches!(
        c.raises[0].reason,
        RaiseReason::Continuity {
            consecutive_years: 6,
            steps: 2
        }
    ));
    assert_eq!(c.raises[0].rule.to_string(), "H7");
}

#[test]
fn h7_zero_reimbursement_raises_accumulate() {
    let p = policy();
    // 2028, zero reimbursement in 2025, 2026, 2027: 3 × 5,000 = 15,000 (4 years: no continuity)
    let c = p
        .cap_in_force(year(2028), &history(4, &[2025, 2026, 2027], &[]))
        .expect("cap");
    assert_eq!(c.granted, y("15000"));
    assert_eq!(c.cap, y("515000"));
    let years: Vec<_> = c
        .raises
        .iter()
        .map(|r| match r.reason {
            RaiseReason::ZeroReimbursement { year } => year.get(),
            RaiseReason::Continuity { .. } => 0,
        })
        .collect();
    assert_eq!(years, vec![2025, 2026, 2027]);
}

#[test]
fn h7_reset_after_reward_quota_is_used() {
    let p = policy();
    // 2029, 5 consecutive years: continuity 5,000; zero reimbursement 2025, 2026 reset by
    // the quota used in 2027; zero reimbursement in 2028 counts: 5,000 → 10,000 → 510,000
    let c = p
        .cap_in_force(year(2029), &history(5, &[2025, 2026, 2028], &[2027]))
        .expect("cap");
    assert_eq!(c.granted, y("10000"));
    assert_eq!(c.cap, y("510000"));
    assert!(c.trace.iter().any(|s| s.render().contains("reset")));
}

#[test]
fn h7_raises_limited_to_20_percent_of_the_original_cap() {
    let p = policy();
    // 2045, 21 consecutive years (2025–2045): (21 − 4) × 5,000 = 85,000; zero reimbursement
    // 2040–2044: 5 × 5,000 = 25,000; 110,000 > 20% × 500,000 = 100,000 → 600,000
    let c = p
        .cap_in_force(
            year(2045),
            &history(21, &[2040, 2041, 2042, 2043, 2044], &[]),
        )
        .expect("cap");
    assert_eq!(c.limit, y("100000"));
    assert_eq!(c.granted, y("100000"));
    assert_eq!(c.cap, y("600000"));
    let earned = Yuan::checked_sum(c.raises.iter().map(|r| r.amount)).expect("sum");
    assert_eq!(earned, y("110000"));
}

#[test]
fn h6_h7_years_before_2025_do_not_count() {
    let p = policy();
    // a zero-reimbursement 2024 gives nothing in 2026
    let c = p
        .cap_in_force(year(2026), &history(2, &[2024], &[]))
        .expect("cap");
    assert_eq!(c.cap, y("500000"));
    // in 2024 itself the incentives do not apply
    let c = p
        .cap_in_force(year(2024), &history(9, &[2022, 2023], &[]))
        .expect("cap");
    assert_eq!(c.cap, y("500000"));
    // 3 consecutive years cannot be true in 2026 (counted from 2025)
    let e = p
        .cap_in_force(year(2026), &history(3, &[], &[]))
        .unwrap_err();
    assert!(matches!(
        e,
        CatastrophicError::ImpossibleConsecutiveYears {
            years: 3,
            max: 2,
            ..
        }
    ));
    let e = p
        .cap_in_force(year(2026), &history(0, &[], &[]))
        .unwrap_err();
    assert!(matches!(
        e,
        CatastrophicError::ImpossibleConsecutiveYears { years: 0, .. }
    ));
}

#[test]
fn h7_zero_claim_year_with_payments_is_a_typed_error() {
    let e = policy()
        .cap_in_force(year(2028), &history(4, &[2026], &[2026]))
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "the incentive history contradicts itself: 2026 is marked as a zero-reimbursement year but also as a year whose catastrophic payments used reward quota (H7)"
    );
    let e = policy()
        .cap_in_force(year(2026), &history(2, &[2026], &[]))
        .unwrap_err();
    assert!(matches!(e, CatastrophicError::HistoryYearNotPast { .. }));
}

#[test]
fn h7_cut_after_a_lapse_is_not_given_by_the_source() {
    let lapsed = IncentiveHistory::new(Continuity::ReEnrolledAfterLapse);
    let e = policy().cap_in_force(year(2026), &lapsed).unwrap_err();
    assert!(matches!(e, CatastrophicError::LapseCutNotGiven { .. }));
    assert!(
        e.to_string()
            .starts_with("the cap after a lapse is not given by the source (H7)")
    );
}

// ------------------------------------------------------------------ the ladder

fn huaian_ladder() -> Ladder {
    let mut ladder = Ladder::new("huaian");
    ladder
        .insert(year(2026), Publication::Published(Box::new(policy())))
        .expect("insert");
    ladder
}

#[test]
fn h19_ladder_refuses_unpublished_years_with_the_data_reason() {
    let table: toml::Table = yibao_core::prose::parse(KUNSHAN_2021).expect("parses");
    let reason = table["absent"]["catastrophic"]
        .as_str()
        .expect("reason")
        .to_owned();
    let mut kunshan = Ladder::new("kunshan");
    kunshan
        .insert(year(2021), Publication::NotPublished { reason })
        .expect("insert");
    let e = kunshan.schedule(year(2021)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "no catastrophic schedule for kunshan 2021: the sources publish no catastrophic schedule for Kunshan 2021"
    );
    let e = huaian_ladder().schedule(year(2023)).unwrap_err();
    assert!(matches!(e, CatastrophicError::NoSchedule { .. }), "{e}");
    let e = kunshan
        .insert(
            year(2021),
            Publication::NotPublished {
                reason: "again".into(),
            },
        )
        .unwrap_err();
    assert!(matches!(e, CatastrophicError::DuplicateYear { .. }));
}

#[test]
fn h19_ladder_adds_a_year_with_data_only() {
    let mut ladder = huaian_ladder();
    // a maintainer adds a 2025 schedule: the same section under another year
    ladder
        .insert(year(2025), Publication::Published(Box::new(policy())))
        .expect("insert");
    let y2025 = ladder.schedule(year(2025)).expect("published");
    let cap = y2025.cap_in_force(&history(1, &[], &[])).expect("cap");
    let s = y2025
        .settle_year(PersonClass::Ordinary, y("48000"), &cap, MODE)
        .expect("settles");
    assert_eq!(s.payment, y("18000"));
    // a 2025 cap cannot settle 2026
    let e = ladder
        .schedule(year(2026))
        .expect("published")
        .settle_year(PersonClass::Ordinary, y("48000"), &cap, MODE)
        .unwrap_err();
    assert!(matches!(e, CatastrophicError::CapForAnotherYear { .. }));
}

#[test]
fn h19_ladder_rows_2021_to_2026() {
    let rows = huaian_ladder().rows(year(2021), year(2026));
    assert_eq!(rows.len(), 6);
    assert!(
        rows[..5]
            .iter()
            .all(|r| matches!(r.entry, LadderEntry::NoData { .. }))
    );
    assert_eq!(
        rows[0].to_string(),
        "2021: no data (no policy data is loaded for huaian 2021)"
    );
    assert_eq!(
        rows[5].to_string(),
        "2026: ordinary threshold 18000.00, bands 0.00–60000.00 at 60%, 60000.00–100000.00 at 70%, above 100000.00 at 85%; \
medical_aid_recipient threshold 9000.00, bands 0.00–60000.00 at 65%, 60000.00–100000.00 at 75%, above 100000.00 at 90%; \
cap 500000.00; raises of 5000.00 from 2025, at most 100000.00"
    );
}

#[test]
fn h19_h7_trace_explains_each_figure() {
    let p = policy();
    let cap = p
        .cap_in_force(year(2030), &history(6, &[2027, 2029], &[2028]))
        .expect("cap");
    let s = p
        .settle_year(PersonClass::MedicalAidRecipient, y("700000"), &cap, MODE)
        .expect("settles");
    let lines: Vec<String> = cap
        .trace
        .iter()
        .chain(&s.trace)
        .map(ToString::to_string)
        .collect();
    // 2030, 6 years: (6 − 4) × 5,000 = 10,000; 2027 reset by 2028; 2029: 5,000 → 515,000.
    // aid: 700,000 − 9,000 = 691,000: 39,000 + 30,000 + 591,000 × 90% = 531,900 → 600,900,
    // above 515,000.
    insta::assert_snapshot!(lines.join("\n"), @r"
    [H19] original annual cap of catastrophic payments: 500000.00
    [H7] 6 consecutive years since 2025 (2030 included): (6 − 4) × 5000.00 = 10000.00
    [H7] zero-reimbursement raise of 2027 reset: reward quota was used in 2028
    [H7] zero fund reimbursement in 2029: + 5000.00
    [H7] cap in force: 500000.00 + 15000.00 = 515000.00
    [H19] medical_aid_recipient: burden 700000.00 − threshold 9000.00 = excess 691000.00
    [H19] band 1 (0.00–60000.00 at 65%): 60000.00 × 65% = 39000
    [H19] band 2 (60000.00–100000.00 at 75%): 40000.00 × 75% = 30000
    [H19] band 3 (above 100000.00 at 90%): 591000.00 × 90% = 531900
    [H7] banded amount 600900 is above the cap in force 515000.00: 515000.00 is paid
    [H19] catastrophic payment for the year: 515000.00
    ");
}

#[test]
fn h7_lapse_cut_stays_expressible_when_a_source_gives_it() {
    use yibao_catastrophic::LapseCut;
    let lapsed = IncentiveHistory::new(Continuity::ReEnrolledAfterLapse)
        .with_zero_reimbursement_years([year(2025)].into_iter().collect());
    // a hypothetical source giving a 10,000 cut: 500,000 + 5,000 (zero reimbursement in
    // 2025) − 10,000 = 495,000; the count restarts at 1, so no continuity raise
    let mut p = policy();
    p.incentives.lapse_cut = LapseCut::Reduction(y("10000"));
    let c = p.cap_in_force(year(2027), &lapsed).expect("cap");
    assert_eq!(
        (c.granted, c.lapse_reduction, c.cap),
        (y("5000"), y("10000"), y("495000"))
    );
    p.incentives.lapse_cut = LapseCut::NoCut("stated".into());
    let c = p.cap_in_force(year(2027), &lapsed).expect("cap");
    assert_eq!(c.cap, y("505000"));
}

#[test]
fn h19_ladder_rows_of_an_empty_range() {
    assert!(huaian_ladder().rows(year(2026), year(2021)).is_empty());
}

#[test]
fn h1_h19_the_aid_category_selects_the_aid_schedule() {
    // H1 Reading: the enrolment category decides the catastrophic class; the data lists
    // `medical_aid` (医疗救助对象) under the aid schedule (threshold 9,000, 65/75/90%), and
    // every other category is ordinary (18,000, 60/70/85%).
    let p = policy();
    assert_eq!(
        p.class_of_category("medical_aid"),
        Some(PersonClass::MedicalAidRecipient)
    );
    for ordinary in [
        "resident",
        "child",
        "disabled_unable_to_work",
        "former_low_income",
    ] {
        assert_eq!(
            p.class_of_category(ordinary),
            Some(PersonClass::Ordinary),
            "{ordinary}"
        );
    }
    let aid = p.class(PersonClass::MedicalAidRecipient);
    assert_eq!(aid.threshold, y("9000"));
    // A burden of 9,510: aid 510 × 65% = 331.50; ordinary 0 (below 18,000).
    let schedule = |class| {
        p.class(class)
            .bands
            .value_at(y("9510").saturating_sub(p.class(class).threshold))
    };
    assert_eq!(
        schedule(PersonClass::MedicalAidRecipient).round(MODE),
        y("331.50")
    );
    assert_eq!(schedule(PersonClass::Ordinary).round(MODE), y("0"));
    // Without categories in the data, no category decides a class.
    let mut bare = policy();
    bare.class_categories = None;
    assert_eq!(bare.class_of_category("medical_aid"), None);
}
