//! Property: settling a year through the facade equals calling the domain crates by hand in
//! the documented order (cover → remote care → basic fund → catastrophic), claim by claim,
//! to the fen; and the parts of every claim add up to its amount.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use yibao::benefits::{Claim, ClaimKind, HospitalLevel, Person, SettleConfig, YearState};
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
            .map(|c| claim_input(date(c.day), c.kind, c.level, c.fen, c.remote))
            .collect(),
    }
}

/// A claim of a scenario with the defaults of every optional field.
fn claim_input(
    date: NaiveDate,
    kind: ClaimKindName,
    level: HospitalLevel,
    fen: i64,
    remote: RemoteCare,
) -> ClaimInput {
    ClaimInput {
        id: None,
        date,
        kind,
        level,
        amount: Some(Yuan::from_fen(fen).expect("amount")),
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
        remote_care: (remote != RemoteCare::Local).then_some(remote),
        circumstance: yibao::filing::Circumstance::Planned,
        connection: yibao::filing::Connection::Networked,
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
    let config = SettleConfig::new(
        benefits,
        book.remote_care.present(),
        book.rounding(),
        None,
        yibao::benefits::Explain::FiguresOnly,
    );
    let person = Person::new(
        yibao::benefits::PersonGroup::Resident,
        yibao::benefits::FamilyDoctor::NotSigned,
    );
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
        let claim = Claim::new(date(c.day), kind, c.level, amount).with_remote_care(c.remote);
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

// ---- A claim is a settlement of its own (POLICY-NOTES, Conventions) ----

/// The basic fund recomputed plainly from the sources' numbers, in fen.
#[path = "../../../tests/integration/rounding/plain.rs"]
mod plain;

use plain::{Book, DiseaseClass, Kind, PlainClaim, PlainPerson, Remote};

/// An amount in fen: small (every rounding case), around the deductibles, up to the caps.
fn fen() -> impl Strategy<Value = i64> {
    prop_oneof![1_i64..2_000, 1_i64..150_000, 1_i64..30_000_000]
}

fn remote() -> impl Strategy<Value = Remote> {
    prop_oneof![
        4 => Just(Remote::Local),
        1 => Just(Remote::LongTermFiled),
        1 => Just(Remote::Referral),
        1 => Just(Remote::TemporaryFiled),
        1 => Just(Remote::Unfiled),
        1 => Just(Remote::EmergencyRescue),
    ]
}

/// A Huai'an claim of every flat kind: outpatient kinds at any level (primary care only is
/// paid, H11, H12) and local; the others at levels 1 to 3, local or remote.
fn huaian_claim() -> impl Strategy<Value = PlainClaim> {
    let class = prop_oneof![
        Just(DiseaseClass::SevereMental),
        Just(DiseaseClass::Psychiatric),
        Just(DiseaseClass::Other)
    ];
    let outpatient_kind = prop_oneof![
        (0_i64..3_000).prop_map(|fee_fen| Kind::Outpatient { fee_fen }),
        any::<bool>().prop_map(|both| Kind::TwoDisease { both }),
        Just(Kind::EmergencyNotAdmitted),
    ];
    let hospital_kind = prop_oneof![
        class.prop_map(|class| Kind::Special { class }),
        Just(Kind::Admission),
        any::<bool>().prop_map(|same_province| Kind::Delivery { same_province }),
        Just(Kind::EmergencyDied),
        Just(Kind::DaySurgery),
        Just(Kind::DualChannel),
    ];
    prop_oneof![
        (outpatient_kind, 0_u8..=3, fen()).prop_map(|(kind, level, fen)| (
            kind,
            level,
            Remote::Local,
            fen
        )),
        (hospital_kind, 1_u8..=3, remote(), fen())
            .prop_map(|(kind, level, remote, fen)| (kind, level, remote, fen)),
    ]
    .prop_map(|(kind, level, remote, fen)| PlainClaim {
        kind: match kind {
            Kind::Outpatient { fee_fen } => Kind::Outpatient {
                fee_fen: fee_fen.min(fen),
            },
            other => other,
        },
        level,
        remote,
        fen,
    })
}

/// A Kunshan claim: general outpatient (flat, K3) or an admission (the ladder, K4), local,
/// at levels 1 to 3.
fn kunshan_claim() -> impl Strategy<Value = PlainClaim> {
    let kind = prop_oneof![
        (0_i64..3_000).prop_map(|fee_fen| Kind::Outpatient { fee_fen }),
        Just(Kind::Admission),
    ];
    (kind, 1_u8..=3, fen()).prop_map(|(kind, level, fen)| PlainClaim {
        kind: match kind {
            Kind::Outpatient { fee_fen } => Kind::Outpatient {
                fee_fen: fee_fen.min(fen),
            },
            other => other,
        },
        level,
        remote: Remote::Local,
        fen,
    })
}

/// A person-year: the book, the person, and claims with their day of the year.
fn person_year() -> impl Strategy<Value = (Book, PlainPerson, Vec<(u32, PlainClaim)>)> {
    let person = (any::<bool>(), any::<bool>())
        .prop_map(|(student, signed)| PlainPerson { student, signed });
    prop_oneof![
        (
            person.clone(),
            proptest::collection::vec((0_u32..365, huaian_claim()), 1..12)
        )
            .prop_map(|(p, claims)| (Book::Huaian2026, p, claims)),
        (
            person,
            proptest::collection::vec((0_u32..365, kunshan_claim()), 1..12)
        )
            .prop_map(|(p, claims)| (Book::Kunshan2021, p, claims)),
    ]
}

fn level_of(level: plain::Level) -> HospitalLevel {
    match level {
        0 => HospitalLevel::PrimaryCare,
        1 => HospitalLevel::Level1,
        2 => HospitalLevel::Level2,
        _ => HospitalLevel::Level3,
    }
}

fn remote_of(remote: Remote) -> RemoteCare {
    match remote {
        Remote::Local => RemoteCare::Local,
        Remote::LongTermFiled => RemoteCare::LongTermFiled,
        Remote::Referral => RemoteCare::Referral,
        Remote::TemporaryFiled => RemoteCare::TemporaryFiled,
        Remote::Unfiled => RemoteCare::Unfiled,
        Remote::EmergencyRescue => RemoteCare::EmergencyRescue,
    }
}

/// The person-year as a facade scenario.
fn plain_scenario(book: Book, person: PlainPerson, claims: &[(u32, PlainClaim)]) -> Scenario {
    use yibao::benefits::{
        EmergencyOutcome, Province, SpecialDiseaseCatalogue, SpecialDiseaseClass, TwoDiseaseCover,
    };
    let (jurisdiction, year) = match book {
        Book::Huaian2026 => ("huaian", 2026),
        Book::Kunshan2021 => ("kunshan", 2021),
    };
    let first = NaiveDate::from_ymd_opt(year, 1, 1).expect("date");
    let mut s = scenario(&[], PersonClass::Ordinary, 1, false);
    s.jurisdiction = jurisdiction.to_owned();
    s.year = PolicyYear::new(i64::from(year)).expect("year");
    s.person.group = if person.student {
        yibao::benefits::PersonGroup::Student
    } else {
        yibao::benefits::PersonGroup::Resident
    };
    s.person.family_doctor = if person.signed {
        yibao::benefits::FamilyDoctor::Signed
    } else {
        yibao::benefits::FamilyDoctor::NotSigned
    };
    if book == Book::Kunshan2021 {
        s.incentives = None;
    }
    s.claims = claims
        .iter()
        .map(|(day, c)| {
            let date = first + chrono::Days::new(u64::from(*day));
            let mut input = claim_input(
                date,
                ClaimKindName::Inpatient,
                level_of(c.level),
                c.fen,
                remote_of(c.remote),
            );
            input.kind = match c.kind {
                Kind::Outpatient { fee_fen } => {
                    input.consultation_fee = Some(Yuan::from_fen(fee_fen).expect("fee"));
                    ClaimKindName::OutpatientGeneral
                }
                Kind::TwoDisease { both } => {
                    input.two_disease = Some(if both {
                        TwoDiseaseCover::BothDiseases
                    } else {
                        TwoDiseaseCover::OneDisease
                    });
                    ClaimKindName::TwoDiseaseDrugs
                }
                Kind::Special { class } => {
                    input.disease_class = Some(match class {
                        DiseaseClass::SevereMental => SpecialDiseaseClass::SevereMental,
                        DiseaseClass::Psychiatric => SpecialDiseaseClass::Psychiatric,
                        DiseaseClass::Other => SpecialDiseaseClass::Other,
                    });
                    input.catalogue = Some(SpecialDiseaseCatalogue::Provincial);
                    ClaimKindName::SpecialDisease
                }
                Kind::Admission => ClaimKindName::Inpatient,
                Kind::Delivery { same_province } => {
                    input.province = Some(if same_province {
                        Province::SameProvince
                    } else {
                        Province::OtherProvince
                    });
                    ClaimKindName::MaternityDelivery
                }
                Kind::EmergencyNotAdmitted | Kind::EmergencyDied => {
                    input.emergency_outcome = Some(if c.kind == Kind::EmergencyDied {
                        EmergencyOutcome::Died
                    } else {
                        EmergencyOutcome::NotAdmitted
                    });
                    ClaimKindName::Emergency
                }
                Kind::DaySurgery => ClaimKindName::DaySurgery,
                Kind::DualChannel => ClaimKindName::DualChannelDrugs,
            };
            input
        })
        .collect();
    s
}

/// The plain fund payment of each claim, in the order given: settled by date, same-day
/// claims in the order given.
fn plain_payments(book: Book, person: PlainPerson, claims: &[(u32, PlainClaim)]) -> Vec<Yuan> {
    let mut order: Vec<usize> = (0..claims.len()).collect();
    order.sort_by_key(|&i| claims[i].0);
    let ordered: Vec<PlainClaim> = order.iter().map(|&i| claims[i].1).collect();
    let paid = plain::settle_year(book, person, &ordered);
    let mut out = vec![Yuan::ZERO; claims.len()];
    for (&i, fen) in order.iter().zip(paid) {
        out[i] = Yuan::from_fen(fen).expect("fen");
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(yibao::core::strategies::cases(256)))]

    /// Every claim of a random person-year (Huai'an 2026 every flat kind, Kunshan 2021
    /// outpatient and ladder) is paid what a plain recomputation from its own parts pays:
    /// `round(base × rate)`, then the cap left; the ladder telescopes.
    #[test]
    fn every_claim_is_paid_as_a_settlement_of_its_own(
        (book, person, claims) in person_year(),
    ) {
        let report = yibao::settle::settle(library(), &plain_scenario(book, person, &claims))
            .expect("the facade settles");
        let expected = plain_payments(book, person, &claims);
        let mut got = vec![None; claims.len()];
        for c in &report.claims {
            got[c.index] = Some(c.basic_fund);
        }
        let expected: Vec<Option<Yuan>> = expected.into_iter().map(Some).collect();
        prop_assert_eq!(got, expected);
    }
}
