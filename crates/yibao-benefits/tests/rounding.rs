//! A claim is a settlement of its own (POLICY-NOTES, Conventions): a flat-rate fund payment is
//! `round(base × rate)` over the claim's own parts, then `min(that, cap − paid before)`; only
//! the Kunshan ladder (K4) telescopes on the year's cumulative figure. Figures by hand in the
//! comments; every case has half-fen products in claims after the first, so a rounded
//! running total (the year's exact figure rounded, less what was paid before) pays otherwise.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use yibao_benefits::{
    BenefitParams, Claim, ClaimKind, EmergencyOutcome, Explain, HospitalLevel, Person, Province,
    RemoteCareParams, SettledClaim, SpecialDiseaseCatalogue, SpecialDiseaseClass, TwoDiseaseCover,
    YearState, settle, settle_into,
};
use yibao_core::{RemoteCare, Yuan};

use HospitalLevel::{Level1, Level2, Level3, PrimaryCare};

#[derive(Clone, Copy, Debug)]
enum Book {
    Kunshan2021,
    Huaian2026,
}

impl Book {
    fn params(self) -> (BenefitParams, Option<RemoteCareParams>, i64) {
        match self {
            Book::Kunshan2021 => (kunshan(), None, 2021),
            Book::Huaian2026 => (huaian(), Some(huaian_remote()), 2026),
        }
    }
}

/// One claim of a case: kind, level, amount, consultation fee, remote care, and the fund
/// payment computed by hand.
struct Row {
    kind: ClaimKind,
    level: HospitalLevel,
    amount: &'static str,
    remote: RemoteCare,
    fund: &'static str,
}

const fn row(
    kind: ClaimKind,
    level: HospitalLevel,
    amount: &'static str,
    fund: &'static str,
) -> Row {
    Row {
        kind,
        level,
        amount,
        remote: RemoteCare::Local,
        fund,
    }
}

const OUTPATIENT: ClaimKind = ClaimKind::GeneralOutpatient {
    consultation_fee: Yuan::ZERO,
};

fn outpatient_with_fee(fee: &str) -> ClaimKind {
    ClaimKind::GeneralOutpatient {
        consultation_fee: y(fee),
    }
}

fn special(class: SpecialDiseaseClass) -> ClaimKind {
    ClaimKind::SpecialDisease {
        class,
        catalogue: SpecialDiseaseCatalogue::Provincial,
    }
}

const TWO_DISEASE: ClaimKind = ClaimKind::TwoDiseaseDrugs {
    cover: TwoDiseaseCover::OneDisease,
};

/// Settles the rows of a case one a day from 1 March, with explanations and without, afresh
/// and into a kept settlement: the four give the same figures.
fn settle_rows(book: Book, person: &Person, rows: &[Row]) -> (Vec<SettledClaim>, YearState) {
    let (benefits, remote, y0) = book.params();
    let mut results: Vec<(Vec<SettledClaim>, YearState)> = Vec::new();
    for explain in [Explain::Steps, Explain::FiguresOnly] {
        let mut c = config(&benefits, remote.as_ref());
        c.explain = explain;
        let mut fresh = YearState::new(year(y0));
        let mut kept_state = YearState::without_reversal(year(y0));
        let mut kept: Option<SettledClaim> = None;
        let mut settled = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            let date = day(i32::try_from(y0).unwrap(), 3, u32::try_from(i + 1).unwrap());
            let claim = Claim::new(date, r.kind, r.level, y(r.amount)).with_remote_care(r.remote);
            let out = settle(&mut fresh, &c, person, &claim).unwrap();
            match kept.as_mut() {
                Some(k) => settle_into(&mut kept_state, &c, person, &claim, k).unwrap(),
                None => kept = Some(settle(&mut kept_state, &c, person, &claim).unwrap()),
            }
            let k = kept.as_ref().unwrap();
            assert_eq!(k.fund_paid, out.fund_paid, "kept settlement, {explain:?}");
            assert_eq!(
                k.cap_reached, out.cap_reached,
                "kept settlement, {explain:?}"
            );
            assert_eq!(kept_state.figures(), fresh.figures(), "{explain:?}");
            settled.push(out);
        }
        results.push((settled, fresh));
    }
    let (figures_only, figures_only_state) = results.pop().unwrap();
    let (steps, steps_state) = results.pop().unwrap();
    for (a, b) in steps.iter().zip(&figures_only) {
        assert_eq!(
            (a.fund_paid, a.person_pays, a.deductible, a.cap_reached),
            (b.fund_paid, b.person_pays, b.deductible, b.cap_reached),
            "Explain::Steps and Explain::FiguresOnly differ"
        );
    }
    assert_eq!(steps_state.figures(), figures_only_state.figures());
    (steps, steps_state)
}

#[test]
fn each_flat_rate_claim_is_rounded_on_its_own_in_every_pool() {
    use SpecialDiseaseClass::{Other, SevereMental};
    let died = ClaimKind::Emergency {
        outcome: EmergencyOutcome::Died,
    };
    let not_admitted = ClaimKind::Emergency {
        outcome: EmergencyOutcome::NotAdmitted,
    };
    let delivery = ClaimKind::MaternityDelivery {
        province: Province::SameProvince,
    };
    let referral = |r: Row| Row {
        remote: RemoteCare::Referral,
        ..r
    };
    let cases: Vec<(&str, Book, Person, Vec<Row>)> = vec![
        (
            // 100.01 × 50% = 50.005 → 50.01; 100.03 × 50% = 50.015 → 50.02; total 100.03
            // (a rounded running total: round(100.02) − 50.01 = 50.01).
            "H11 other costs 50%",
            Book::Huaian2026,
            RESIDENT,
            vec![
                row(OUTPATIENT, PrimaryCare, "100.01", "50.01"),
                row(OUTPATIENT, PrimaryCare, "100.03", "50.02"),
            ],
        ),
        (
            // fee 0.05 × 70% = 0.035 → 0.04, twice (running total: round(0.07) − 0.04 = 0.03);
            // fee 0.01 × 70% + other 0.01 × 50% = 0.007 + 0.005 = 0.012 → 0.01: the parts are
            // summed exactly and rounded once (each part rounded would pay 0.01 + 0.01).
            "H11 consultation fee 70% and other costs 50%, rounded once",
            Book::Huaian2026,
            RESIDENT_SIGNED,
            vec![
                row(outpatient_with_fee("0.05"), PrimaryCare, "0.05", "0.04"),
                row(outpatient_with_fee("0.05"), PrimaryCare, "0.05", "0.04"),
                row(outpatient_with_fee("0.01"), PrimaryCare, "0.02", "0.01"),
            ],
        ),
        (
            // students 65% at every level: 0.10 × 65% = 0.065 → 0.07; 0.30 × 65% = 0.195 → 0.20
            // (running total: round(0.26) − 0.07 = 0.19).
            "K3 students 65%",
            Book::Kunshan2021,
            STUDENT,
            vec![
                row(OUTPATIENT, Level2, "0.10", "0.07"),
                row(OUTPATIENT, Level3, "0.30", "0.20"),
            ],
        ),
        (
            // level 3 35%: 0.10 → 0.035 → 0.04 twice (running total: round(0.07) − 0.04 = 0.03);
            // level 1 not signed 55%: 0.10 → 0.055 → 0.06 (running: round(0.125) − 0.07 = 0.06).
            "K3 residents 35% and 55%",
            Book::Kunshan2021,
            RESIDENT,
            vec![
                row(OUTPATIENT, Level3, "0.10", "0.04"),
                row(OUTPATIENT, Level3, "0.10", "0.04"),
                row(OUTPATIENT, Level1, "0.10", "0.06"),
            ],
        ),
        (
            // 123.45 × 50% = 61.725 → 61.73; 10.01 × 50% = 5.005 → 5.01; total 66.74
            // (running total: round(66.73) − 61.73 = 5.00).
            "H12 two-disease drugs 50%",
            Book::Huaian2026,
            RESIDENT,
            vec![
                row(TWO_DISEASE, PrimaryCare, "123.45", "61.73"),
                row(TWO_DISEASE, PrimaryCare, "10.01", "5.01"),
            ],
        ),
        (
            // other diseases, level 3 65%, deductible 750 once a year:
            // (850.10 − 750) × 65% = 100.10 × 65% = 65.065 → 65.07; then no deductible left:
            // 100.10 × 65% = 65.065 → 65.07; total 130.14 (running: round(130.13) − 65.07 = 65.06).
            "H13 special disease after the yearly deductible",
            Book::Huaian2026,
            RESIDENT,
            vec![
                row(special(Other), Level3, "850.10", "65.07"),
                row(special(Other), Level3, "100.10", "65.07"),
            ],
        ),
        (
            // (1,000.02 − 600) × 75% = 300.015 → 300.02 at level 2;
            // (300.10 − 300) × 85% = 0.085 → 0.09 at level 1
            // (running: round(300.10) − 300.02 = 0.08);
            // (900.10 − 900) × 65% = 0.065 → 0.07 at level 3 (running: round(300.165) − 300.10 = 0.07).
            "H14 admissions, ratio by level",
            Book::Huaian2026,
            RESIDENT,
            vec![
                row(ClaimKind::Inpatient, Level2, "1000.02", "300.02"),
                row(ClaimKind::Inpatient, Level1, "300.10", "0.09"),
                row(ClaimKind::Inpatient, Level3, "900.10", "0.07"),
            ],
        ),
        (
            // referral out of the city: deductible 1,200, level 2 75% − 5 points = 70%:
            // 0.05 × 70% = 0.035 → 0.04, twice (running: round(0.07) − 0.04 = 0.03).
            "H14 H18 admissions with the referral cut",
            Book::Huaian2026,
            RESIDENT,
            vec![
                referral(row(ClaimKind::Inpatient, Level2, "1200.05", "0.04")),
                referral(row(ClaimKind::Inpatient, Level2, "1200.05", "0.04")),
            ],
        ),
        (
            // the example: 0.02 × 75% = 0.015 → 0.02 (level 2); 0.05 × 70% = 0.035 →
            // 0.04 (level 3); 0.01 × 80% = 0.008 → 0.01 (level 1); total 0.07
            // (running: 0.02, round(0.05) − 0.02 = 0.03, round(0.058) − 0.05 = 0.01: 0.06).
            "H16 day surgery 80/75/70",
            Book::Huaian2026,
            RESIDENT,
            vec![
                row(ClaimKind::DaySurgery, Level2, "0.02", "0.02"),
                row(ClaimKind::DaySurgery, Level3, "0.05", "0.04"),
                row(ClaimKind::DaySurgery, Level1, "0.01", "0.01"),
            ],
        ),
        (
            // the shared 240,000 pool, level 2: day surgery 0.02 × 75% = 0.015 → 0.02; severe
            // mental disorder (deductible 0) 0.02 × 75% = 0.015 → 0.02 (running: round(0.03)
            // − 0.02 = 0.01); admission (600.02 − 600) × 75% = 0.015 → 0.02.
            "H13 H14 H16 one pool, each claim rounded alone",
            Book::Huaian2026,
            RESIDENT,
            vec![
                row(ClaimKind::DaySurgery, Level2, "0.02", "0.02"),
                row(special(SevereMental), Level2, "0.02", "0.02"),
                row(ClaimKind::Inpatient, Level2, "600.02", "0.02"),
            ],
        ),
        (
            // 60% makes no half fen (a fen × 60% = 0.006): 100.01 × 60% = 60.006 → 60.01,
            // twice (running: round(120.012) − 60.01 = 60.00).
            "H17 dual-channel drugs 60%",
            Book::Huaian2026,
            RESIDENT,
            vec![
                row(ClaimKind::DualChannelDrugs, Level3, "100.01", "60.01"),
                row(ClaimKind::DualChannelDrugs, Level3, "100.01", "60.01"),
            ],
        ),
        (
            // a delivery is an admission: (1,000.02 − 600) × 75% = 300.015 → 300.02, then an
            // admission (600.02 − 600) × 75% = 0.015 → 0.02 (running: round(300.03) − 300.02).
            "H15 delivery settled as an admission",
            Book::Huaian2026,
            RESIDENT,
            vec![
                row(delivery, Level2, "1000.02", "300.02"),
                row(ClaimKind::Inpatient, Level2, "600.02", "0.02"),
            ],
        ),
        (
            // not admitted, outpatient policy at primary care: 100.01 × 50% = 50.005 → 50.01
            // for a visit, 100.03 × 50% = 50.015 → 50.02 for the emergency (running: 50.01);
            // died, inpatient policy: (600.02 − 600) × 75% = 0.015 → 0.02 after an admission
            // of the same (running: round(0.03) − 0.02 = 0.01).
            "H20 emergencies settled as outpatient or admission",
            Book::Huaian2026,
            RESIDENT,
            vec![
                row(OUTPATIENT, PrimaryCare, "100.01", "50.01"),
                row(not_admitted, PrimaryCare, "100.03", "50.02"),
                row(ClaimKind::Inpatient, Level2, "600.02", "0.02"),
                row(died, Level2, "600.02", "0.02"),
            ],
        ),
    ];
    // Every case is checked; the failures are reported together.
    let mut failures = Vec::new();
    for (name, book, person, rows) in cases {
        let (settled, _) = settle_rows(book, &person, &rows);
        let paid: Vec<Yuan> = settled.iter().map(|s| s.fund_paid).collect();
        let expected: Vec<Yuan> = rows.iter().map(|r| y(r.fund)).collect();
        if paid != expected {
            failures.push(format!("{name}: paid {paid:?}, expected {expected:?}"));
        }
        for s in &settled {
            assert_eq!(
                s.fund_paid.checked_add(s.person_pays).unwrap(),
                s.amount,
                "{name}"
            );
            assert_eq!(s.cap_reached, None, "{name}");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn h11_the_cap_left_limits_the_rounded_payment() {
    // not signed, cap 300: 0.01 × 50% = 0.005 → 0.01, twice (0.02 paid; a rounded running
    // total would have paid 0.01 + 0.00); 599.98 × 50% = 299.99, but 300 − 0.02 = 299.98 is
    // left: 299.98, the cap bound; 0.02 × 50% = 0.01, nothing left: 0.
    let rows = [
        row(OUTPATIENT, PrimaryCare, "0.01", "0.01"),
        row(OUTPATIENT, PrimaryCare, "0.01", "0.01"),
        row(OUTPATIENT, PrimaryCare, "599.98", "299.98"),
        row(OUTPATIENT, PrimaryCare, "0.02", "0"),
    ];
    let (settled, state) = settle_rows(Book::Huaian2026, &RESIDENT, &rows);
    let paid: Vec<(Yuan, Option<Yuan>)> = settled
        .iter()
        .map(|s| (s.fund_paid, s.cap_reached))
        .collect();
    let cap = Some(y("300"));
    assert_eq!(
        paid,
        vec![
            (y("0.01"), None),
            (y("0.01"), None),
            (y("299.98"), cap),
            (y("0"), cap)
        ]
    );
    assert_eq!(state.figures().general_outpatient.paid, y("300"));
}

#[test]
fn h13_h14_h16_the_shared_cap_left_limits_the_rounded_payment() {
    // level 1: (282,653.24 − 300) × 85% = 282,353.24 × 85% = 240,000.254 → 240,000.25: the
    // cap 240,000 binds the first admission already: 240,000. Then day surgery 0.01 × 80%
    // = 0.008 → 0.01, nothing left: 0.
    let rows = [
        row(ClaimKind::Inpatient, Level1, "282653.24", "240000"),
        row(ClaimKind::DaySurgery, Level1, "0.01", "0"),
    ];
    let (settled, state) = settle_rows(Book::Huaian2026, &RESIDENT, &rows);
    let cap = Some(y("240000"));
    assert_eq!(settled[0].fund_paid, y("240000"));
    assert_eq!(settled[0].cap_reached, cap);
    assert_eq!(settled[0].person_pays, y("42653.24"));
    assert_eq!(
        (settled[1].fund_paid, settled[1].cap_reached),
        (y("0"), cap)
    );
    assert_eq!(state.figures().inpatient.paid, y("240000"));

    // 0.02 × 75% = 0.015 → 0.02 twice at level 2 (0.04 paid; running total: 0.03); then
    // (282,653.24 − 300) × 85% = 240,000.25 at level 1, of which 240,000 − 0.04 = 239,999.96
    // is left.
    let rows = [
        row(ClaimKind::DaySurgery, Level2, "0.02", "0.02"),
        row(ClaimKind::DaySurgery, Level2, "0.02", "0.02"),
        row(ClaimKind::Inpatient, Level1, "282653.24", "239999.96"),
    ];
    let (settled, state) = settle_rows(Book::Huaian2026, &RESIDENT, &rows);
    let paid: Vec<Yuan> = settled.iter().map(|s| s.fund_paid).collect();
    assert_eq!(paid, vec![y("0.02"), y("0.02"), y("239999.96")]);
    assert_eq!(settled[2].cap_reached, cap);
    assert_eq!(state.figures().inpatient.paid, y("240000"));
}

#[test]
fn k4_the_ladder_telescopes_the_claims_add_up_to_the_rounded_annual_figure() {
    // Resident, level 1 (deductible 300), ladder on the cumulative eligible expense:
    // 1st admission 40,300.02: the deductible occupies 0–300; 300–40,000 at 75% = 29,775 and 40,000–40,300.02 at 80% = 240.016: F = 30,015.016 → paid 30,015.02;
    // 2nd, 150.02 (deductible 50% × 300 = 150): 40,450.02–40,450.04 at 80% = 0.016:
    //   F = 30,015.032 → round 30,015.03 − 30,015.02 = 0.01 (rounded alone: 0.02);
    // 3rd, 100.02 (deductible 100): 40,550.04–40,550.06 at 80% = 0.016: F = 30,015.048 →
    //   round 30,015.05 − 30,015.03 = 0.02.
    // Sum 30,015.05 = round(F(year)) = round(30,015.048).
    // Kunshan outpatient is its own flat pool: 0.10 × 55% = 0.055 → 0.06, twice (a rounded
    // running total: 0.06 + 0.05).
    let rows = [
        row(ClaimKind::Inpatient, Level1, "40300.02", "30015.02"),
        row(OUTPATIENT, Level1, "0.10", "0.06"),
        row(ClaimKind::Inpatient, Level1, "150.02", "0.01"),
        row(OUTPATIENT, Level1, "0.10", "0.06"),
        row(ClaimKind::Inpatient, Level1, "100.02", "0.02"),
    ];
    let (settled, state) = settle_rows(Book::Kunshan2021, &RESIDENT, &rows);
    let paid: Vec<Yuan> = settled.iter().map(|s| s.fund_paid).collect();
    let expected: Vec<Yuan> = rows.iter().map(|r| y(r.fund)).collect();
    assert_eq!(paid, expected);
    let deductibles: Vec<Yuan> = settled.iter().map(|s| s.deductible).collect();
    assert_eq!(
        deductibles,
        vec![y("300"), y("0"), y("150"), y("0"), y("100")]
    );
    // The 2nd admission explains its share.
    let explained = "the ladder's fund figure of the year 30015.016 → 30015.032: this admission's share is round(30015.032) − round(30015.016) = 0.01";
    assert!(
        settled[2].trace.iter().any(|t| t.render() == explained),
        "{:#?}",
        settled[2].trace
    );
    let f = state.figures();
    assert_eq!(f.ladder_fund.to_string(), "30015.048");
    assert_eq!(f.inpatient.paid, y("30015.05"));
    assert_eq!(f.general_outpatient.paid, y("0.12"));
}
