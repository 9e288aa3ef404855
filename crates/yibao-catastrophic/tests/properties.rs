//! Property tests of the catastrophic settlement and the incentive ledger (H19, H7).

// Test helpers may panic on impossible setup failures.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use proptest::prelude::*;
use yibao_catastrophic::{
    CapInForce, CatastrophicPolicy, Continuity, IncentiveHistory, PersonClass,
};
use yibao_core::{PolicyYear, Rate, RoundingMode, YearSet, Yuan, strategies};

const HUAIAN_2026: &str = include_str!("../../../policy-data/huaian/2026.toml");

fn policy() -> CatastrophicPolicy {
    let table: toml::Table =
        yibao_core::prose::parse(HUAIAN_2026).expect("huaian/2026.toml parses");
    table["catastrophic"]
        .clone()
        .try_into()
        .expect("[catastrophic] deserialises")
}

fn year(n: i64) -> PolicyYear {
    PolicyYear::new(n).expect("year")
}

fn class() -> impl Strategy<Value = PersonClass> {
    prop_oneof![
        Just(PersonClass::Ordinary),
        Just(PersonClass::MedicalAidRecipient)
    ]
}

fn mode() -> impl Strategy<Value = RoundingMode> {
    prop_oneof![
        Just(RoundingMode::HalfAwayFromZero),
        Just(RoundingMode::HalfEven),
        Just(RoundingMode::Down),
        Just(RoundingMode::Up),
    ]
}

/// A consistent incentive history for a year in 2025..=2060: a consecutive count that is
/// possible, and disjoint past zero-reimbursement and reward-quota-used years.
fn history() -> impl Strategy<Value = (PolicyYear, IncentiveHistory)> {
    (2025_i64..=2060)
        .prop_flat_map(|current| {
            let span = current - 2025 + 1;
            (
                Just(current),
                1..=span,
                proptest::collection::vec(0_u8..3, usize::try_from(span - 1).unwrap_or(0)),
            )
        })
        .prop_map(|(current, consecutive, flags)| {
            let mut zero = YearSet::EMPTY;
            let mut used = YearSet::EMPTY;
            for (offset, flag) in flags.iter().enumerate() {
                let past = year(2025 + i64::try_from(offset).expect("offset"));
                match flag {
                    1 => {
                        zero.insert(past);
                    }
                    2 => {
                        used.insert(past);
                    }
                    _ => {}
                }
            }
            (
                year(current),
                IncentiveHistory::new(Continuity::Consecutive {
                    years: u32::try_from(consecutive).expect("count"),
                })
                .with_zero_reimbursement_years(zero)
                .with_reward_quota_used_years(used),
            )
        })
}

fn cap_of(p: &CatastrophicPolicy, (current, h): &(PolicyYear, IncentiveHistory)) -> CapInForce {
    p.cap_in_force(*current, h).expect("consistent history")
}

/// Burdens up to 2,000,000 yuan, well past the cap.
fn burden() -> impl Strategy<Value = Yuan> {
    strategies::yuan_up_to(200_000_000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(yibao_core::strategies::cases(128)))]

    #[test]
    fn h19_payment_is_non_decreasing_in_burden(
        class in class(), a in burden(), b in burden(), h in history(), mode in mode()
    ) {
        let p = policy();
        let cap = cap_of(&p, &h);
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        let at_low = p.settle_year(class, low, &cap, mode).expect("settles").payment;
        let at_high = p.settle_year(class, high, &cap, mode).expect("settles").payment;
        prop_assert!(at_low <= at_high, "{low} → {at_low}, {high} → {at_high}");
    }

    #[test]
    fn h19_nothing_at_or_below_the_threshold(class in class(), fen in 0_i64..=1_800_000, mode in mode()) {
        let p = policy();
        let threshold = p.class(class).threshold;
        let burden = Yuan::from_fen(fen).expect("fen").min(threshold);
        let cap = cap_of(&p, &(year(2026), IncentiveHistory::new(Continuity::Consecutive { years: 1 })));
        prop_assert_eq!(p.settle_year(class, burden, &cap, mode).expect("settles").payment, Yuan::ZERO);
    }

    #[test]
    fn h19_never_above_the_cap_in_force(class in class(), b in burden(), h in history(), mode in mode()) {
        let p = policy();
        let cap = cap_of(&p, &h);
        let s = p.settle_year(class, b, &cap, mode).expect("settles");
        prop_assert!(s.payment <= cap.cap, "{} > {}", s.payment, cap.cap);
    }

    #[test]
    fn h19_aid_recipient_never_gets_less_than_ordinary(b in burden(), h in history(), mode in mode()) {
        let p = policy();
        let cap = cap_of(&p, &h);
        let aid = p.settle_year(PersonClass::MedicalAidRecipient, b, &cap, mode).expect("settles");
        let ordinary = p.settle_year(PersonClass::Ordinary, b, &cap, mode).expect("settles");
        prop_assert!(aid.payment >= ordinary.payment, "{b}: aid {} < ordinary {}", aid.payment, ordinary.payment);
    }

    #[test]
    fn h19_claims_sum_to_the_annual_figure_exactly(
        class in class(),
        claims in proptest::collection::vec(strategies::yuan_up_to(30_000_000), 0..12),
        h in history(),
        mode in mode(),
    ) {
        let p = policy();
        let cap = cap_of(&p, &h);
        let mut before = Yuan::ZERO;
        let mut paid = Yuan::ZERO;
        for claim in claims {
            let after = before.checked_add(claim).expect("in range");
            let c = p.settle_claim(class, before, after, &cap, mode).expect("settles");
            paid = paid.checked_add(c.payment).expect("in range");
            before = after;
        }
        let year = p.settle_year(class, before, &cap, mode).expect("settles");
        prop_assert_eq!(paid, year.payment);
    }

    #[test]
    fn h19_claims_telescope_on_any_schedule(
        bands in strategies::schedule(),
        claims in proptest::collection::vec(strategies::yuan_up_to(50_000_000), 0..8),
        mode in mode(),
    ) {
        let mut p = policy();
        p.ordinary.bands = bands;
        let cap = cap_of(&p, &(year(2026), IncentiveHistory::new(Continuity::Consecutive { years: 1 })));
        let mut before = Yuan::ZERO;
        let mut paid = Yuan::ZERO;
        let mut last = Yuan::ZERO;
        for claim in claims {
            let after = before.checked_add(claim).expect("in range");
            let c = p.settle_claim(PersonClass::Ordinary, before, after, &cap, mode).expect("settles");
            prop_assert!(c.paid_after >= last, "annual figure fell");
            last = c.paid_after;
            paid = paid.checked_add(c.payment).expect("in range");
            before = after;
        }
        let year = p.settle_year(PersonClass::Ordinary, before, &cap, mode).expect("settles");
        prop_assert_eq!(paid, year.payment);
        prop_assert!(year.payment <= cap.cap);
    }

    #[test]
    fn h7_raises_never_exceed_20_percent_of_the_cap(h in history()) {
        let p = policy();
        let cap = cap_of(&p, &h);
        // 20% × 500,000 = 100,000
        prop_assert!(cap.granted <= Yuan::from_yuan(100_000).expect("amount"));
        prop_assert!(cap.cap <= Yuan::from_yuan(600_000).expect("amount"));
        prop_assert!(cap.cap >= p.annual_cap);
    }

    #[test]
    fn h7_raises_never_exceed_the_limit_for_any_step_and_share(
        h in history(), step in 1_i64..=200_000, limit in strategies::rate()
    ) {
        let mut p = policy();
        p.incentives.step = Yuan::from_yuan(step).expect("amount");
        p.incentives.limit = limit;
        let cap = cap_of(&p, &h);
        prop_assert!(cap.granted.exact() <= p.annual_cap.times(limit));
        prop_assert_eq!(cap.cap, p.annual_cap.checked_add(cap.granted).expect("in range"));
        prop_assert!(limit <= Rate::ONE);
    }
}
