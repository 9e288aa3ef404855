//! Property: settling a year through the facade equals calling the domain crates by hand in
//! the documented order (cover → remote care → basic fund → catastrophic), claim by claim,
//! to the fen; and the parts of every claim add up to its amount.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use yibao::benefits::{Bill, Claim, ClaimKind, HospitalLevel, Person, SettleConfig, YearState};
use yibao::catastrophic::{Continuity, IncentiveHistory, PersonClass};
use yibao::core::{NaiveDate, PolicyYear, RemoteCare, Yuan};
use yibao::policy::{PolicyFiles, PolicyLibrary};
use yibao::scenario::{ClaimInput, ClaimKindName, IncentiveInput, PersonInput, Scenario};

fn library() -> &'static PolicyLibrary {
    static LIBRARY: std::sync::OnceLock<PolicyLibrary> = std::sync::OnceLock::new();
    LIBRARY.get_or_init(|| {
        PolicyLibrary::load(&PolicyFiles::embedded()).expect("the shipped data loads")
    })
}

#[derive(Clone, Debug)]
struct Drawn {
    day: u32,
    kind: ClaimKindName,
    level: HospitalLevel,
    fen: i64,
    remote: RemoteCare,
}

fn drawn_claim() -> impl Strategy<Value = Drawn> {
    let kinds = prop_oneof![
        Just((ClaimKindName::Inpatient, HospitalLevel::Level3)),
        Just((ClaimKindName::Inpatient, HospitalLevel::Level2)),
        Just((ClaimKindName::Inpatient, HospitalLevel::Level1)),
        Just((ClaimKindName::DaySurgery, HospitalLevel::Level2)),
        Just((ClaimKindName::SpecialDisease, HospitalLevel::Level3)),
        Just((ClaimKindName::OutpatientGeneral, HospitalLevel::PrimaryCare)),
        Just((ClaimKindName::DualChannelDrugs, HospitalLevel::Level3)),
    ];
    let remote = prop_oneof![
        4 => Just(RemoteCare::Local),
        1 => Just(RemoteCare::Referral),
        1 => Just(RemoteCare::Unfiled),
        1 => Just(RemoteCare::LongTermFiled),
        1 => Just(RemoteCare::EmergencyRescue),
    ];
    (0_u32..365, kinds, 1_i64..30_000_000, remote).prop_map(|(day, (kind, level), fen, remote)| {
        // Remote care applies to admissions here; outpatient stays local (H11 pays at
        // primary care in the city only).
        let remote = if kind == ClaimKindName::Inpatient {
            remote
        } else {
            RemoteCare::Local
        };
        Drawn {
            day,
            kind,
            level,
            fen,
            remote,
        }
    })
}

fn date(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).expect("date") + chrono::Days::new(u64::from(day))
}

fn scenario(claims: &[Drawn], class: PersonClass, years: u32, zero_2025: bool) -> Scenario {
    Scenario {
        jurisdiction: "huaian".to_owned(),
        year: PolicyYear::new(2026).expect("year"),
        person: PersonInput {
            id: None,
            born: None,
            category: None,
            group: yibao::benefits::PersonGroup::Resident,
            family_doctor: yibao::benefits::FamilyDoctor::NotSigned,
            catastrophic_class: Some(class),
        },
        enrolment: Vec::new(),
        incentives: Some(IncentiveInput {
            consecutive_years: Some(years),
            re_enrolled_after_lapse: false,
            zero_reimbursement_years: if zero_2025 {
                vec![PolicyYear::new(2025).expect("year")]
            } else {
                Vec::new()
            },
            reward_quota_used_years: Vec::new(),
        }),
        filings: Vec::new(),
        class_b_personal_share: None,
        claims: claims
            .iter()
            .map(|c| ClaimInput {
                id: None,
                date: date(c.day),
                kind: c.kind,
                level: c.level,
                amount: Some(Yuan::from_fen(c.fen).expect("amount")),
                class_a: None,
                class_b: None,
                class_c: None,
                consultation_fee: None,
                two_disease: None,
                disease_class: None,
                catalogue: None,
                province: None,
                emergency_outcome: None,
                designation: yibao::benefits::Designation::Designated,
                accident: yibao::benefits::Accident::NotAnAccident,
                exclusions: Vec::new(),
                place: None,
                remote_care: (c.remote != RemoteCare::Local).then_some(c.remote),
                circumstance: yibao::filing::Circumstance::Planned,
                connection: yibao::filing::Connection::Networked,
            })
            .collect(),
    }
}

/// The documented order, by hand: sort by date, basic fund against the year state, then the
/// catastrophic increment on the cumulative burden under the cap in force.
fn by_hand(
    claims: &[Drawn],
    class: PersonClass,
    years: u32,
    zero_2025: bool,
) -> Vec<(Yuan, Yuan, Yuan)> {
    let library = library();
    let year = PolicyYear::new(2026).expect("year");
    let book = library.book("huaian", year).expect("book");
    let benefits = book.benefits.present().expect("benefits");
    let config = SettleConfig {
        benefits,
        remote_care: book.remote_care.present(),
        rounding: book.rounding(),
        class_b_personal_share: None,
        explain: yibao::benefits::Explain::FiguresOnly,
    };
    let person = Person {
        group: yibao::benefits::PersonGroup::Resident,
        family_doctor: yibao::benefits::FamilyDoctor::NotSigned,
    };
    let policy = book.catastrophic.present().expect("catastrophic");
    let mut history = IncentiveHistory::new(Continuity::Consecutive { years });
    if zero_2025 {
        history
            .zero_reimbursement_years
            .insert(PolicyYear::new(2025).expect("year"));
    }
    let cap = policy.cap_in_force(year, &history).expect("cap");
    let mut order: Vec<&Drawn> = claims.iter().collect();
    order.sort_by_key(|c| c.day);
    let mut state = YearState::new(year);
    let mut burden = Yuan::ZERO;
    let mut out = Vec::new();
    for c in order {
        let amount = Yuan::from_fen(c.fen).expect("amount");
        let kind = match c.kind {
            ClaimKindName::Inpatient => ClaimKind::Inpatient,
            ClaimKindName::DaySurgery => ClaimKind::DaySurgery,
            ClaimKindName::DualChannelDrugs => ClaimKind::DualChannelDrugs,
            ClaimKindName::OutpatientGeneral => ClaimKind::GeneralOutpatient {
                consultation_fee: Yuan::ZERO,
            },
            ClaimKindName::SpecialDisease => ClaimKind::SpecialDisease {
                class: yibao::benefits::SpecialDiseaseClass::Other,
                catalogue: yibao::benefits::SpecialDiseaseCatalogue::Provincial,
            },
            other => panic!("not drawn: {other:?}"),
        };
        let claim = Claim {
            date: date(c.day),
            kind,
            level: c.level,
            designation: yibao::benefits::Designation::Designated,
            remote_care: c.remote,
            accident: yibao::benefits::Accident::NotAnAccident,
            exclusions: Vec::new(),
            bill: Bill::Eligible(amount),
        };
        let settled =
            yibao::benefits::settle(&mut state, &config, &person, &claim).expect("basic fund");
        let after = burden
            .checked_add(settled.catastrophic_base)
            .expect("burden");
        let part = policy
            .settle_claim(class, burden, after, &cap, book.rounding())
            .expect("catastrophic");
        burden = after;
        let personal = amount
            .checked_sub(settled.fund_paid)
            .and_then(|r| r.checked_sub(part.payment))
            .expect("parts within the amount");
        out.push((settled.fund_paid, part.payment, personal));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(yibao::core::strategies::cases(64)))]

    #[test]
    fn the_facade_settles_as_the_domain_crates_do_by_hand(
        claims in proptest::collection::vec(drawn_claim(), 0..12),
        aid in any::<bool>(),
        years in 1_u32..=2, // counted from 2025 (H6): at most 2 in 2026
        zero_2025 in any::<bool>(),
    ) {
        let class = if aid { PersonClass::MedicalAidRecipient } else { PersonClass::Ordinary };
        let report = yibao::settle::settle(library(), &scenario(&claims, class, years, zero_2025))
            .expect("the facade settles");
        let expected = by_hand(&claims, class, years, zero_2025);
        let got: Vec<(Yuan, Yuan, Yuan)> = report
            .claims
            .iter()
            .map(|c| (c.basic_fund, c.catastrophic.paid(), c.personal))
            .collect();
        prop_assert_eq!(&got, &expected);
        for c in &report.claims {
            let sum = c.basic_fund.checked_add(c.catastrophic.paid()).and_then(|s| s.checked_add(c.personal));
            prop_assert_eq!(sum, Ok(c.amount));
        }
        let total = Yuan::checked_sum(report.claims.iter().map(|c| c.amount)).expect("sum");
        prop_assert_eq!(report.totals.amount, total);
        let parts = report.totals.basic_fund.checked_add(report.totals.catastrophic)
            .and_then(|s| s.checked_add(report.totals.personal));
        prop_assert_eq!(parts, Ok(total));
    }
}
