//! Property tests of the settlement invariants (issue 4, "Done means").
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use proptest::prelude::*;
use yibao_benefits::{
    BenefitParams, Claim, ClaimKind, EmergencyOutcome, FamilyDoctor, HospitalLevel, Person,
    PersonGroup, Province, RemoteCareParams, SettleConfig, SpecialDiseaseCatalogue,
    SpecialDiseaseClass, TwoDiseaseCover, YearState, settle, settle_into, settle_year,
};
use yibao_core::{NaiveDate, RemoteCare, Yuan, strategies::yuan_up_to};

#[derive(Clone, Copy, Debug)]
enum Place {
    Kunshan,
    Huaian,
}

struct Book {
    benefits: BenefitParams,
    remote: Option<RemoteCareParams>,
    year: i32,
}

fn book(place: Place) -> Book {
    match place {
        Place::Kunshan => Book {
            benefits: kunshan(),
            remote: None,
            year: 2021,
        },
        Place::Huaian => Book {
            benefits: huaian(),
            remote: Some(huaian_remote()),
            year: 2026,
        },
    }
}

fn cfg(book: &Book) -> SettleConfig<'_> {
    config(&book.benefits, book.remote.as_ref())
}

fn kind_strategy() -> impl Strategy<Value = ClaimKind> {
    prop_oneof![
        (0_i64..=100).prop_map(|pct| ClaimKind::GeneralOutpatient {
            // a consultation fee of up to 100 fen; capped at the amount when settling
            consultation_fee: Yuan::from_fen(pct).unwrap()
        }),
        prop_oneof![
            Just(TwoDiseaseCover::OneDisease),
            Just(TwoDiseaseCover::BothDiseases)
        ]
        .prop_map(|cover| ClaimKind::TwoDiseaseDrugs { cover }),
        prop_oneof![
            Just(SpecialDiseaseClass::SevereMental),
            Just(SpecialDiseaseClass::Psychiatric),
            Just(SpecialDiseaseClass::Other)
        ]
        .prop_map(|class| ClaimKind::SpecialDisease {
            class,
            catalogue: SpecialDiseaseCatalogue::Provincial
        }),
        Just(ClaimKind::Inpatient),
        Just(ClaimKind::Inpatient),
        Just(ClaimKind::DaySurgery),
        Just(ClaimKind::DualChannelDrugs),
        prop_oneof![Just(Province::SameProvince), Just(Province::OtherProvince)]
            .prop_map(|province| ClaimKind::MaternityDelivery { province }),
        prop_oneof![
            Just(EmergencyOutcome::NotAdmitted),
            Just(EmergencyOutcome::Died)
        ]
        .prop_map(|outcome| ClaimKind::Emergency { outcome }),
    ]
}

fn claim_strategy(year: i32) -> impl Strategy<Value = Claim> {
    (
        0_u64..365,
        kind_strategy(),
        prop::sample::select(HospitalLevel::ALL.to_vec()),
        prop::sample::select(RemoteCare::ALL.to_vec()),
        yuan_up_to(30_000_000),
    )
        .prop_map(move |(offset, kind, level, remote, amount)| {
            let date = NaiveDate::from_ymd_opt(year, 1, 1)
                .and_then(|d| d.checked_add_days(chrono::Days::new(offset)))
                .unwrap();
            let kind = match kind {
                ClaimKind::GeneralOutpatient { consultation_fee } => ClaimKind::GeneralOutpatient {
                    consultation_fee: consultation_fee.min(amount),
                },
                other => other,
            };
            Claim::new(date, kind, level, amount).with_remote_care(remote)
        })
}

fn person_strategy() -> impl Strategy<Value = Person> {
    (
        prop::sample::select(PersonGroup::ALL.to_vec()),
        prop::sample::select(FamilyDoctor::ALL.to_vec()),
    )
        .prop_map(|(group, family_doctor)| Person::new(group, family_doctor))
}

fn place_strategy() -> impl Strategy<Value = Place> {
    prop_oneof![Just(Place::Kunshan), Just(Place::Huaian)]
}

fn year_of(place: Place) -> i32 {
    match place {
        Place::Kunshan => 2021,
        Place::Huaian => 2026,
    }
}

fn scenario() -> impl Strategy<Value = (Place, Person, Vec<Claim>)> {
    place_strategy().prop_flat_map(|place| {
        (
            Just(place),
            person_strategy(),
            prop::collection::vec(claim_strategy(year_of(place)), 1..12),
        )
    })
}

/// Settles the claims in date order, skipping (and checking) refused ones.
fn run(
    book: &Book,
    person: &Person,
    claims: &mut [Claim],
) -> (YearState, Vec<yibao_benefits::SettledClaim>) {
    claims.sort_by_key(|c| c.date);
    let c = cfg(book);
    let mut state = YearState::new(year(i64::from(book.year)));
    let mut settled = Vec::new();
    for claim in claims.iter() {
        let before = state.clone();
        match settle(&mut state, &c, person, claim) {
            Ok(s) => settled.push(s),
            Err(_) => assert_eq!(state, before, "a refused claim changed the state"),
        }
    }
    (state, settled)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(yibao_core::strategies::cases(64)))]

    #[test]
    fn settling_into_a_kept_settlement_equals_settling_afresh(
        (place, person, mut claims) in scenario(),
        explain in prop_oneof![Just(yibao_core::Explain::FiguresOnly), Just(yibao_core::Explain::Steps)],
    ) {
        // One settlement kept from claim to claim, as the facade keeps it: whatever the
        // claim before left in it (another kind, bands, a trace, a refusal), it ends as the
        // settlement `settle` returns, and the state as `settle` leaves it.
        let book = book(place);
        claims.sort_by_key(|c| c.date);
        let mut c = cfg(&book);
        c.explain = explain;
        let mut fresh_state = YearState::new(year(i64::from(book.year)));
        let mut kept_state = fresh_state.clone();
        let mut kept = None;
        for claim in &claims {
            let fresh = settle(&mut fresh_state, &c, &person, claim);
            let into = match kept.as_mut() {
                Some(kept) => settle_into(&mut kept_state, &c, &person, claim, kept).map(|()| kept.clone()),
                None => settle(&mut kept_state, &c, &person, claim).inspect(|s| kept = Some(s.clone())),
            };
            prop_assert_eq!(fresh, into);
            prop_assert_eq!(&fresh_state, &kept_state);
        }
    }

    #[test]
    fn settle_then_reverse_restores_the_state((place, person, mut claims) in scenario()) {
        let book = book(place);
        let last = claims.pop().unwrap();
        let (mut state, _) = run(&book, &person, &mut claims);
        let mut last = last;
        last.date = state.figures().last_date.unwrap_or(last.date).max(last.date);
        let before = state.clone();
        if let Ok(settled) = settle(&mut state, &cfg(&book), &person, &last) {
            state.reverse(&settled).unwrap();
        }
        prop_assert_eq!(state, before);
    }

    #[test]
    fn reversing_a_whole_year_restores_the_empty_state((place, person, mut claims) in scenario()) {
        let book = book(place);
        let (mut state, settled) = run(&book, &person, &mut claims);
        for s in settled.iter().rev() {
            state.reverse(s).unwrap();
        }
        prop_assert_eq!(state, YearState::new(year(i64::from(book.year))));
    }

    #[test]
    fn fund_plus_person_is_the_amount_and_fund_within_eligible((place, person, mut claims) in scenario()) {
        let book = book(place);
        let (state, settled) = run(&book, &person, &mut claims);
        for s in &settled {
            prop_assert_eq!(s.fund_paid.checked_add(s.person_pays).unwrap(), s.amount);
            prop_assert!(s.fund_paid <= s.eligible);
            prop_assert!(s.deductible <= s.eligible);
            prop_assert!(s.catastrophic_base <= s.person_pays);
        }
        let fund = Yuan::checked_sum(settled.iter().map(|s| s.fund_paid)).unwrap();
        prop_assert_eq!(state.figures().fund_paid, fund);
    }

    #[test]
    fn no_annual_cap_is_exceeded((place, person, mut claims) in scenario()) {
        let book = book(place);
        let (state, _) = run(&book, &person, &mut claims);
        let f = state.figures();
        let b = &book.benefits;
        if let Some(p) = &b.inpatient {
            prop_assert!(f.inpatient.paid <= p.annual_fund_cap);
        }
        if let Some(p) = &b.general_outpatient {
            prop_assert!(f.general_outpatient.paid <= p.annual_fund_cap.signed.max(p.annual_fund_cap.not_signed));
            prop_assert!(f.general_outpatient.paid <= p.annual_fund_cap.get(person.family_doctor));
        }
        if let Some(p) = &b.two_disease_drugs {
            prop_assert!(f.two_disease_drugs.paid <= p.annual_fund_cap.both_diseases);
        }
    }

    #[test]
    fn a_larger_claim_never_lowers_the_fund_payment(
        (place, person, mut claims) in scenario(),
        extra in yuan_up_to(5_000_000),
    ) {
        let book = book(place);
        let last = claims.pop().unwrap();
        let (state, _) = run(&book, &person, &mut claims);
        let mut small = last.clone();
        small.date = state.figures().last_date.unwrap_or(last.date).max(last.date);
        let mut large = small.clone();
        if let yibao_benefits::Bill::Eligible(amount) = small.bill {
            large.bill = yibao_benefits::Bill::Eligible(amount.checked_add(extra).unwrap());
        }
        let a = settle(&mut state.clone(), &cfg(&book), &person, &small);
        let b = settle(&mut state.clone(), &cfg(&book), &person, &large);
        if let (Ok(a), Ok(b)) = (a, b) {
            prop_assert!(b.fund_paid >= a.fund_paid, "{} then {}", a.fund_paid, b.fund_paid);
        }
    }

    #[test]
    fn year_totals_do_not_depend_on_listing_order(
        (place, person, claims) in scenario(),
        seed in any::<u64>(),
    ) {
        let book = book(place);
        // one claim per day
        let mut seen = std::collections::BTreeSet::new();
        let claims: Vec<Claim> = claims.into_iter().filter(|c| seen.insert(c.date)).collect();
        let mut shuffled = claims.clone();
        // a deterministic shuffle from the seed
        let n = shuffled.len();
        let mut s = seed;
        for i in (1..n).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let j = usize::try_from(s >> 33).unwrap_or(0) % (i + 1);
            shuffled.swap(i, j);
        }
        let c = cfg(&book);
        let y0 = year(i64::from(book.year));
        let a = settle_year(y0, &c, &person, &claims);
        let b = settle_year(y0, &c, &person, &shuffled);
        match (a, b) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a.state.figures(), b.state.figures());
                prop_assert_eq!(a.settled, b.settled);
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "{:?} vs {:?}", a.is_ok(), b.is_ok()),
        }
    }
}
