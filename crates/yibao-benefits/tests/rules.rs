//! Worked examples per rule id, figures computed by hand in the comments.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::Datelike;
use common::*;
use yibao_benefits::{
    Accident, BandPart, BenefitError, Bill, ClaimKind, Designation, EmergencyOutcome,
    ExclusionFact, HospitalLevel, NotPaidReason, Province, SettledAs, SpecialDiseaseCatalogue,
    SpecialDiseaseClass, TwoDiseaseCover, YearState, settle, settle_year,
};
use yibao_core::{RemoteCare, RemoteCut, Yuan};

use HospitalLevel::{Level1, Level2, Level3, PrimaryCare};

const OUTPATIENT: ClaimKind = ClaimKind::GeneralOutpatient {
    consultation_fee: Yuan::ZERO,
};

fn outpatient_with_fee(fee: &str) -> ClaimKind {
    ClaimKind::GeneralOutpatient {
        consultation_fee: y(fee),
    }
}

// ------------------------------------------------------------------ Kunshan 2021

/// The benefit parameters a row settles under.
#[derive(Clone, Copy, Debug)]
enum Book {
    /// Kunshan 2021, no remote-care section.
    Kunshan2021,
    /// Huai'an 2026 with its own remote-care cuts (H18).
    Huaian2026,
    /// Huai'an 2026's benefits under Wujiang's remote-care cuts (W5): Wujiang publishes no
    /// benefits, so its cut is shown on Huai'an's ratios.
    Huaian2026WujiangCuts,
}

/// One claim settled on a fresh year, with its rule id, the figures worked out by hand and
/// the figures it must give (`None`: not checked by this row).
struct OneClaimRow {
    rule: &'static str,
    by_hand: &'static str,
    book: Book,
    person: yibao_benefits::Person,
    claim: yibao_benefits::Claim,
    fund_paid: &'static str,
    deductible: Option<&'static str>,
    person_pays: Option<&'static str>,
    catastrophic_base: Option<&'static str>,
    maternity_subsidy_base: Option<&'static str>,
    admissions: Option<u32>,
}

fn row(
    rule: &'static str,
    book: Book,
    person: yibao_benefits::Person,
    claim: yibao_benefits::Claim,
    fund_paid: &'static str,
    by_hand: &'static str,
) -> OneClaimRow {
    OneClaimRow {
        rule,
        by_hand,
        book,
        person,
        claim,
        fund_paid,
        deductible: None,
        person_pays: None,
        catastrophic_base: None,
        maternity_subsidy_base: None,
        admissions: None,
    }
}

impl OneClaimRow {
    fn deductible(mut self, amount: &'static str) -> Self {
        self.deductible = Some(amount);
        self
    }
    fn person_pays(mut self, amount: &'static str) -> Self {
        self.person_pays = Some(amount);
        self
    }
    fn catastrophic_base(mut self, amount: &'static str) -> Self {
        self.catastrophic_base = Some(amount);
        self
    }
    fn maternity_subsidy_base(mut self, amount: &'static str) -> Self {
        self.maternity_subsidy_base = Some(amount);
        self
    }
    fn admissions(mut self, count: u32) -> Self {
        self.admissions = Some(count);
        self
    }

    /// Settles the row's claim on a fresh year; every figure that differs, named.
    fn failures(&self) -> Vec<String> {
        let (benefits, remote) = match self.book {
            Book::Kunshan2021 => (kunshan(), None),
            Book::Huaian2026 => (huaian(), Some(huaian_remote())),
            Book::Huaian2026WujiangCuts => (huaian(), Some(wujiang_remote())),
        };
        let c = config(&benefits, remote.as_ref());
        let name = format!(
            "{} {:?} {:?} {} {} ({})",
            self.rule,
            self.book,
            self.claim.kind,
            self.claim.level,
            self.claim.remote_care,
            self.by_hand
        );
        let mut s = YearState::new(year(self.claim.date.year().into()));
        let out = match settle(&mut s, &c, &self.person, &self.claim) {
            Ok(out) => out,
            Err(e) => return vec![format!("{name}: {e}")],
        };
        let mut failures = Vec::new();
        let mut compare = |what: &str, got: Yuan, want: Option<&str>| {
            if let Some(want) = want
                && got != y(want)
            {
                failures.push(format!("{name}: {what} {got}, expected {want}"));
            }
        };
        compare("fund_paid", out.fund_paid, Some(self.fund_paid));
        compare("deductible", out.deductible, self.deductible);
        compare("person_pays", out.person_pays, self.person_pays);
        compare(
            "catastrophic_base",
            out.catastrophic_base,
            self.catastrophic_base,
        );
        if let Some(want) = self.maternity_subsidy_base
            && out.maternity_subsidy_base != Some(y(want))
        {
            failures.push(format!(
                "{name}: maternity_subsidy_base {:?}, expected {want}",
                out.maternity_subsidy_base
            ));
        }
        if let Some(want) = self.admissions
            && s.figures().admissions != want
        {
            failures.push(format!(
                "{name}: admissions {}, expected {want}",
                s.figures().admissions
            ));
        }
        failures
    }
}

#[test]
fn k3_k4_h15_h16_h17_w5_one_claim_table() {
    use Book::{Huaian2026, Huaian2026WujiangCuts as WujiangCuts, Kunshan2021};
    use ClaimKind::{DaySurgery, DualChannelDrugs, Inpatient, MaternityDelivery};
    let at = |y, m, d| day(y, m, d);
    // A level-3 admission of 10,000 away from home (deductible 1,200 outside the city).
    let away =
        |treatment| claim(at(2026, 5, 1), Inpatient, Level3, "10000").with_remote_care(treatment);
    let delivery = |province| {
        claim(
            at(2026, 5, 1),
            MaternityDelivery { province },
            Level2,
            "8000",
        )
        .with_remote_care(RemoteCare::Unfiled)
    };
    #[rustfmt::skip]
    let rows = [
        // K3: Kunshan 2021 general outpatient, by level and person.
        row("K3", Kunshan2021, RESIDENT, claim(at(2021, 2, 1), OUTPATIENT, Level3, "1000"), "350",
            "1,000 × 35% at level 3")
            .person_pays("650"),
        row("K3", Kunshan2021, RESIDENT, claim(at(2021, 2, 2), OUTPATIENT, Level2, "1000"), "400",
            "1,000 × 40% at level 2, no deductible")
            .deductible("0"),
        row("K3", Kunshan2021, RESIDENT_SIGNED, claim(at(2021, 3, 1), OUTPATIENT, Level1, "1000"), "650",
            "1,000 × 65% at level 1, signed with a family doctor"),
        row("K3", Kunshan2021, RESIDENT, claim(at(2021, 3, 1), OUTPATIENT, Level1, "1000"), "550",
            "1,000 × 55% at level 1, not signed"),
        row("K3", Kunshan2021, STUDENT, claim(at(2021, 3, 1), OUTPATIENT, Level1, "200"), "130",
            "students: 200 × 65% at level 1"),
        row("K3", Kunshan2021, STUDENT, claim(at(2021, 3, 1), OUTPATIENT, Level2, "200"), "130",
            "students: 200 × 65% at level 2"),
        row("K3", Kunshan2021, STUDENT, claim(at(2021, 3, 1), OUTPATIENT, Level3, "200"), "130",
            "students: 200 × 65% at level 3"),
        // K4: Kunshan 2021 students' inpatient deductible is 500 at every level.
        row("K4", Kunshan2021, STUDENT, claim(at(2021, 5, 1), Inpatient, Level1, "10000"), "7125",
            "(10,000 − 500) × 75% at level 1")
            .deductible("500"),
        row("K4", Kunshan2021, STUDENT, claim(at(2021, 5, 1), Inpatient, Level2, "10000"), "7125",
            "(10,000 − 500) × 75% at level 2")
            .deductible("500"),
        row("K4", Kunshan2021, STUDENT, claim(at(2021, 5, 1), Inpatient, Level3, "10000"), "7125",
            "(10,000 − 500) × 75% at level 3")
            .deductible("500"),
        // H16: Huai'an 2026 day surgery, no deductible, not an admission.
        row("H16", Huaian2026, RESIDENT, claim(at(2026, 5, 1), DaySurgery, Level1, "10000"), "8000",
            "10,000 × 80% at level 1; the person's 2,000 is catastrophic base")
            .deductible("0").catastrophic_base("2000").admissions(0),
        row("H16", Huaian2026, RESIDENT, claim(at(2026, 5, 1), DaySurgery, Level2, "10000"), "7500",
            "10,000 × 75% at level 2; the person's 2,500 is catastrophic base")
            .deductible("0").catastrophic_base("2500").admissions(0),
        row("H16", Huaian2026, RESIDENT, claim(at(2026, 5, 1), DaySurgery, Level3, "10000"), "7000",
            "10,000 × 70% at level 3; the person's 3,000 is catastrophic base")
            .deductible("0").catastrophic_base("3000").admissions(0),
        // H17: dual-channel drugs.
        row("H17", Huaian2026, RESIDENT, claim(at(2026, 5, 1), DualChannelDrugs, Level3, "1000000"), "600000",
            "1,000,000 × 60%, no cap, no deductible, not catastrophic base")
            .catastrophic_base("0"),
        // H15: delivery outside the city, unfiled.
        row("H15", Huaian2026, RESIDENT, delivery(Province::SameProvince), "5100",
            "in the province: (8,000 − 1,200 outside the city) × 75%, no cut; subsidy base 8,000 − 5,100")
            .maternity_subsidy_base("2900").admissions(1),
        row("H15", Huaian2026, RESIDENT, delivery(Province::OtherProvince), "3740",
            "another province, unfiled: 6,800 × (75% − 20%)"),
        // W5: Wujiang's factor cut on Huai'an's level-3 inpatient ratio (deductible 1,200 away).
        row("W5", WujiangCuts, RESIDENT, away(RemoteCare::Unfiled), "4576",
            "unfiled: 8,800 × (65% × 80% = 52%)"),
        row("W5", WujiangCuts, RESIDENT, away(RemoteCare::Referral), "5720",
            "referral: the home ratio, 8,800 × 65%"),
        row("W5", WujiangCuts, RESIDENT, away(RemoteCare::ExemptAsReferral), "5720",
            "Shanghai, exempt as referral: 8,800 × 65%"),
        row("W5", WujiangCuts, RESIDENT, away(RemoteCare::EmergencyRescue), "5720",
            "emergency rescue: 8,800 × 65%"),
    ];
    let failures: Vec<String> = rows.iter().flat_map(OneClaimRow::failures).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn k3_outpatient_annual_fund_cap_1200() {
    let b = kunshan();
    let c = config(&b, None);
    let mut s = YearState::new(year(2021));
    let visit = |d| claim(day(2021, 4, d), OUTPATIENT, Level1, "1000");
    // 1,000 × 65% = 650; then 650 more would make 1,300 > 1,200: 550; then nothing.
    let paid: Vec<Yuan> = (1..=3)
        .map(|d| {
            settle(&mut s, &c, &RESIDENT_SIGNED, &visit(d))
                .unwrap()
                .fund_paid
        })
        .collect();
    assert_eq!(paid, vec![y("650"), y("550"), y("0")]);
    assert_eq!(s.figures().general_outpatient.paid, y("1200"));
}

#[test]
fn k4_first_admission_resident_level_3() {
    let b = kunshan();
    let c = config(&b, None);
    let mut s = YearState::new(year(2021));
    // (10,000 − 800) × 75% = 6,900; the person bears 3,100, all of it catastrophic base
    let r = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(day(2021, 5, 1), ClaimKind::Inpatient, Level3, "10000"),
    )
    .unwrap();
    assert_eq!(r.deductible, y("800"));
    assert_eq!(r.fund_paid, y("6900"));
    assert_eq!(r.person_pays, y("3100"));
    assert_eq!(r.catastrophic_base, y("3100"));
    assert_eq!(s.figures().ladder_position, y("10000"));
    assert!(r.trace.iter().all(|t| t.rule.to_string() == "K4"));
}

#[test]
fn k4_second_admission_half_of_first_deductible_third_and_later_100() {
    let b = kunshan();
    let c = config(&b, None);
    let admit = |m, level| claim(day(2021, m, 1), ClaimKind::Inpatient, level, "10000");
    let done = settle_year(
        year(2021),
        &c,
        &RESIDENT,
        &[
            admit(1, Level3),
            admit(2, Level1),
            admit(3, Level2),
            admit(4, Level3),
        ],
    )
    .unwrap();
    let deductibles: Vec<Yuan> = done.settled.iter().map(|r| r.deductible).collect();
    // first 800 (level 3); second 50% × 800 = 400 (not level 1's 300); then 100, 100
    assert_eq!(deductibles, vec![y("800"), y("400"), y("100"), y("100")]);
    let paid: Vec<Yuan> = done.settled.iter().map(|r| r.fund_paid).collect();
    // 9,200 × 75% = 6,900; 9,600 × 75% = 7,200; 9,900 × 75% = 7,425;
    // 4th: position 30,000 → 40,000, paid 30,100–40,000 = 9,900 × 75% = 7,425
    assert_eq!(paid, vec![y("6900"), y("7200"), y("7425"), y("7425")]);
    assert_eq!(done.state.figures().admissions, 4);
}

#[test]
fn k4_ladder_band_crossing_within_one_admission() {
    let b = kunshan();
    let c = config(&b, None);
    let mut s = YearState::new(year(2021));
    // 800–40,000: 39,200 × 75% = 29,400; 40,000–50,000: 10,000 × 80% = 8,000 → 37,400
    let r = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(day(2021, 6, 1), ClaimKind::Inpatient, Level3, "50000"),
    )
    .unwrap();
    assert_eq!(r.fund_paid, y("37400"));
    let bases: Vec<(BandPart, Yuan)> = r.bands.iter().map(|l| (l.part, l.base)).collect();
    assert_eq!(
        bases,
        vec![
            (
                BandPart::Ladder {
                    band: 1,
                    from: y("0"),
                    to: Some(y("40000"))
                },
                y("39200")
            ),
            (
                BandPart::Ladder {
                    band: 2,
                    from: y("40000"),
                    to: Some(y("100000"))
                },
                y("10000")
            ),
        ]
    );
}

#[test]
fn k4_ladder_band_crossing_across_admissions() {
    let b = kunshan();
    let c = config(&b, None);
    let mut s = YearState::new(year(2021));
    // first: (30,000 − 500) × 75% = 22,125
    let r1 = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(day(2021, 6, 1), ClaimKind::Inpatient, Level2, "30000"),
    )
    .unwrap();
    assert_eq!(r1.fund_paid, y("22125"));
    // second: deductible 250 at position 30,000; 30,250–40,000: 9,750 × 75% = 7,312.50;
    // 40,000–50,000: 10,000 × 80% = 8,000 → 15,312.50
    let r2 = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(day(2021, 7, 1), ClaimKind::Inpatient, Level2, "20000"),
    )
    .unwrap();
    assert_eq!(r2.deductible, y("250"));
    assert_eq!(r2.fund_paid, y("15312.50"));
    assert_eq!(r2.bands.len(), 2);
}

#[test]
fn k4_top_band_continues_above_350000_of_expense() {
    let b = kunshan();
    let c = config(&b, None);
    let mut s = YearState::new(year(2021));
    // 29,400 + 60,000 × 80% = 48,000 + 100,000 × 85% = 85,000 + 180,000 × 90% = 162,000
    // = 324,400, under the 350,000 fund limit
    let r = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(day(2021, 6, 1), ClaimKind::Inpatient, Level3, "380000"),
    )
    .unwrap();
    assert_eq!(r.fund_paid, y("324400"));
    assert_eq!(r.cap_reached, None);
}

#[test]
fn k4_annual_fund_cap_350000_binds() {
    let b = kunshan();
    let c = config(&b, None);
    let mut s = YearState::new(year(2021));
    // 29,400 + 48,000 + 85,000 + 300,000 × 90% = 270,000 → 432,400 > 350,000: pays 350,000
    let r = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(day(2021, 6, 1), ClaimKind::Inpatient, Level3, "500000"),
    )
    .unwrap();
    assert_eq!(r.fund_paid, y("350000"));
    assert_eq!(r.cap_reached, Some(y("350000")));
    assert_eq!(r.person_pays, y("150000"));
    // a later admission gets nothing from the fund
    let r = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(day(2021, 8, 1), ClaimKind::Inpatient, Level3, "10000"),
    )
    .unwrap();
    assert_eq!(r.fund_paid, Yuan::ZERO);
    assert_eq!(s.figures().fund_paid, y("350000"));
}

#[test]
fn k5_transfer_out_outpatient_not_paid() {
    let b = kunshan();
    let c = config(&b, None);
    let mut s = YearState::new(year(2021));
    let visit =
        claim(day(2021, 6, 1), OUTPATIENT, Level3, "800").with_remote_care(RemoteCare::Referral);
    let r = settle(&mut s, &c, &RESIDENT, &visit).unwrap();
    assert_eq!((r.fund_paid, r.person_pays), (Yuan::ZERO, y("800")));
    assert_eq!(r.settled_as, SettledAs::NotPaid);
    assert_eq!(
        r.trace.first().map(|t| t.rule.to_string()),
        Some("K5".to_owned())
    );
}

#[test]
fn k8_kunshan_filed_remote_admissions_keep_the_home_deductible_ladder_and_no_cut() {
    // K8 Reading: a remote admission with a filing (referral or long-term), in or out of the
    // province, is settled with Kunshan's own deductible, ladder and cap, with no cut.
    let b = kunshan();
    let rc = kunshan_remote();
    let c = config(&b, Some(&rc));
    for treatment in [RemoteCare::Referral, RemoteCare::LongTermFiled] {
        let mut s = YearState::new(year(2021));
        // Level 3, 10,000: deductible 800 (not an out-of-city one: Kunshan gives none);
        // (10,000 − 800) × 75% = 6,900, as at home.
        let admit = claim(day(2021, 6, 1), ClaimKind::Inpatient, Level3, "10000")
            .with_remote_care(treatment);
        let r = settle(&mut s, &c, &RESIDENT, &admit).unwrap();
        assert_eq!(
            (r.deductible, r.fund_paid),
            (y("800"), y("6900")),
            "{treatment}"
        );
        assert_eq!(r.remote_care.cut, None);
        assert!(r.trace.iter().any(|t| t.rule.to_string() == "K8"));
        assert_eq!(s.figures().ladder_position, y("10000"));
    }
}

#[test]
fn k8_kunshan_unfiled_remote_care_has_no_rule_and_is_refused_untouched() {
    // K6/K8: "file first, then seek care", but no consequence is given: the data say so, and
    // settling such a claim alone is refused without touching the year (the facade reports
    // it as not settled and goes on).
    let b = kunshan();
    let rc = kunshan_remote();
    assert!(
        rc.not_given(RemoteCare::Unfiled)
            .is_some_and(|note| note.contains("先备案后就医"))
    );
    assert_eq!(rc.not_given(RemoteCare::Referral), None);
    let c = config(&b, Some(&rc));
    let mut s = YearState::new(year(2021));
    for treatment in [
        RemoteCare::Unfiled,
        RemoteCare::TemporaryFiled,
        RemoteCare::EmergencyRescue,
    ] {
        let admit =
            claim(day(2021, 6, 1), ClaimKind::Inpatient, Level3, "800").with_remote_care(treatment);
        let e = settle(&mut s, &c, &RESIDENT, &admit).unwrap_err();
        assert_eq!(e, BenefitError::RemoteCutNotGiven { treatment });
        assert!(rc.not_given(treatment).is_some(), "{treatment}");
    }
    assert_eq!(s, YearState::new(year(2021)));
}

#[test]
fn kunshan_kinds_the_source_does_not_give_are_refused() {
    let b = kunshan();
    let c = config(&b, None);
    let mut s = YearState::new(year(2021));
    for kind in [
        ClaimKind::DaySurgery,
        ClaimKind::DualChannelDrugs,
        ClaimKind::TwoDiseaseDrugs {
            cover: TwoDiseaseCover::OneDisease,
        },
    ] {
        let e = settle(
            &mut s,
            &c,
            &RESIDENT,
            &claim(day(2021, 6, 1), kind, Level3, "100"),
        )
        .unwrap_err();
        assert!(matches!(e, BenefitError::KindNotDefined { .. }), "{e}");
    }
}

// ------------------------------------------------------------------ Huai'an 2026

#[test]
fn h11_general_outpatient_consultation_70_other_50() {
    let b = huaian();
    let r = huaian_remote();
    let c = config(&b, Some(&r));
    let mut s = YearState::new(year(2026));
    // 20 × 70% = 14 + 180 × 50% = 90 → 104
    let out = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(
            day(2026, 1, 5),
            outpatient_with_fee("20"),
            PrimaryCare,
            "200",
        ),
    )
    .unwrap();
    assert_eq!(out.fund_paid, y("104"));
    assert_eq!(out.bands.len(), 2);
}

#[test]
fn h11_annual_cap_300_not_signed_400_signed() {
    let b = huaian();
    let r = huaian_remote();
    let c = config(&b, Some(&r));
    let visits: Vec<_> = (1..=3)
        .map(|d| claim(day(2026, 2, d), OUTPATIENT, PrimaryCare, "400"))
        .collect();
    // 400 × 50% = 200 each: 200, 100 (cap 300), 0
    let done = settle_year(year(2026), &c, &RESIDENT, &visits).unwrap();
    let paid: Vec<Yuan> = done.settled.iter().map(|r| r.fund_paid).collect();
    assert_eq!(paid, vec![y("200"), y("100"), y("0")]);
    // signed: 200, 200 (cap 400), 0
    let done = settle_year(year(2026), &c, &RESIDENT_SIGNED, &visits).unwrap();
    let paid: Vec<Yuan> = done.settled.iter().map(|r| r.fund_paid).collect();
    assert_eq!(paid, vec![y("200"), y("200"), y("0")]);
}

#[test]
fn h11_general_outpatient_only_at_primary_care() {
    let b = huaian();
    let r = huaian_remote();
    let c = config(&b, Some(&r));
    let mut s = YearState::new(year(2026));
    let out = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(day(2026, 1, 5), OUTPATIENT, Level3, "200"),
    )
    .unwrap();
    assert_eq!((out.fund_paid, out.person_pays), (Yuan::ZERO, y("200")));
    assert_eq!(out.settled_as, SettledAs::NotPaid);
}

#[test]
fn h12_two_disease_drugs_50_percent_cap_800_or_1200() {
    let b = huaian();
    let r = huaian_remote();
    let c = config(&b, Some(&r));
    let drugs = |cover| -> Vec<_> {
        (1..=3)
            .map(|m| {
                claim(
                    day(2026, m, 1),
                    ClaimKind::TwoDiseaseDrugs { cover },
                    PrimaryCare,
                    "1000",
                )
            })
            .collect()
    };
    // 1,000 × 50% = 500; one disease: 500, 300 (cap 800), 0
    let done = settle_year(
        year(2026),
        &c,
        &RESIDENT,
        &drugs(TwoDiseaseCover::OneDisease),
    )
    .unwrap();
    let paid: Vec<Yuan> = done.settled.iter().map(|r| r.fund_paid).collect();
    assert_eq!(paid, vec![y("500"), y("300"), y("0")]);
    // both: 500, 500, 200 (cap 1,200)
    let done = settle_year(
        year(2026),
        &c,
        &RESIDENT,
        &drugs(TwoDiseaseCover::BothDiseases),
    )
    .unwrap();
    let paid: Vec<Yuan> = done.settled.iter().map(|r| r.fund_paid).collect();
    assert_eq!(paid, vec![y("500"), y("500"), y("200")]);
    assert_eq!(done.state.figures().catastrophic_base, Yuan::ZERO);
}

fn special(class: SpecialDiseaseClass) -> ClaimKind {
    ClaimKind::SpecialDisease {
        class,
        catalogue: SpecialDiseaseCatalogue::Provincial,
    }
}

#[test]
fn h13_special_disease_deductible_once_a_year_per_class() {
    let b = huaian();
    let r = huaian_remote();
    let c = config(&b, Some(&r));
    let mut s = YearState::new(year(2026));
    let other = special(SpecialDiseaseClass::Other);
    // (2,000 − 750) × 65% = 812.50 at level 3
    let r1 = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(day(2026, 1, 10), other, Level3, "2000"),
    )
    .unwrap();
    assert_eq!((r1.deductible, r1.fund_paid), (y("750"), y("812.50")));
    // same class again: no deductible, 2,000 × 65% = 1,300
    let r2 = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(day(2026, 2, 10), other, Level3, "2000"),
    )
    .unwrap();
    assert_eq!((r2.deductible, r2.fund_paid), (Yuan::ZERO, y("1300")));
    // psychiatric at level 2: (1,000 − 300) × 75% = 525
    let r3 = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(
            day(2026, 3, 10),
            special(SpecialDiseaseClass::Psychiatric),
            Level2,
            "1000",
        ),
    )
    .unwrap();
    assert_eq!((r3.deductible, r3.fund_paid), (y("300"), y("525")));
    // severe mental disorder at level 1: no deductible, 1,000 × 85% = 850
    let r4 = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(
            day(2026, 4, 10),
            special(SpecialDiseaseClass::SevereMental),
            Level1,
            "1000",
        ),
    )
    .unwrap();
    assert_eq!((r4.deductible, r4.fund_paid), (Yuan::ZERO, y("850")));
    // catastrophic base: (2,000 − 812.50) + (2,000 − 1,300) + (1,000 − 525) + (1,000 − 850)
    // = 1,187.50 + 700 + 475 + 150 = 2,512.50
    assert_eq!(s.figures().catastrophic_base, y("2512.50"));
}

#[test]
fn h13_deductible_spread_over_claims() {
    let b = huaian();
    let r = huaian_remote();
    let c = config(&b, Some(&r));
    let mut s = YearState::new(year(2026));
    let other = special(SpecialDiseaseClass::Other);
    // 500 all deductible; then 250 more deductible and (1,000 − 250) × 85% = 637.50
    let r1 = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(day(2026, 1, 10), other, Level1, "500"),
    )
    .unwrap();
    assert_eq!((r1.deductible, r1.fund_paid), (y("500"), Yuan::ZERO));
    let r2 = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(day(2026, 1, 20), other, Level1, "1000"),
    )
    .unwrap();
    assert_eq!((r2.deductible, r2.fund_paid), (y("250"), y("637.50")));
}

#[test]
fn h13_city_retained_limit_is_not_given_by_the_source() {
    let b = huaian();
    let r = huaian_remote();
    let c = config(&b, Some(&r));
    let mut s = YearState::new(year(2026));
    let kind = ClaimKind::SpecialDisease {
        class: SpecialDiseaseClass::Other,
        catalogue: SpecialDiseaseCatalogue::CityRetained,
    };
    let e = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(day(2026, 1, 10), kind, Level1, "500"),
    )
    .unwrap_err();
    assert!(
        matches!(e, BenefitError::LimitNotGivenBySource { .. }),
        "{e}"
    );
    assert!(e.to_string().contains("H13"), "{e}");
}

#[test]
fn h14_inpatient_full_deductible_every_admission() {
    let b = huaian();
    let r = huaian_remote();
    let c = config(&b, Some(&r));
    let admit = |m, level| claim(day(2026, m, 1), ClaimKind::Inpatient, level, "10000");
    let done = settle_year(
        year(2026),
        &c,
        &RESIDENT,
        &[
            admit(1, Level3),
            admit(2, Level3),
            admit(3, Level1),
            admit(4, Level2),
        ],
    )
    .unwrap();
    let paid: Vec<Yuan> = done.settled.iter().map(|r| r.fund_paid).collect();
    // (10,000 − 900) × 65% = 5,915 twice; (10,000 − 300) × 85% = 8,245; (10,000 − 600) × 75% = 7,050
    assert_eq!(paid, vec![y("5915"), y("5915"), y("8245"), y("7050")]);
}

#[test]
fn h14_primary_care_inpatient_ratio_not_given() {
    let b = huaian();
    let r = huaian_remote();
    let c = config(&b, Some(&r));
    let mut s = YearState::new(year(2026));
    let e = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(day(2026, 1, 1), ClaimKind::Inpatient, PrimaryCare, "1000"),
    )
    .unwrap_err();
    assert!(matches!(e, BenefitError::NotGivenForLevel { .. }), "{e}");
}

#[test]
fn h18_each_remote_care_treatment() {
    let b = huaian();
    let r = huaian_remote();
    let c = config(&b, Some(&r));
    // level 3 inpatient of 10,000; outside the city the deductible is 1,200: base 8,800
    let cases = [
        (RemoteCare::Local, Some("5915")),           // (10,000 − 900) × 65%
        (RemoteCare::LongTermFiled, Some("5720")),   // 8,800 × 65%
        (RemoteCare::Referral, Some("5280")),        // 8,800 × 60%
        (RemoteCare::TemporaryFiled, Some("3960")),  // 8,800 × 45%
        (RemoteCare::Unfiled, Some("3960")),         // 8,800 × 45%
        (RemoteCare::EmergencyRescue, Some("5720")), // 8,800 × 65%, no cut
        (RemoteCare::ExemptAsReferral, None),        // a Wujiang treatment: no Huai'an data
        (RemoteCare::RegionalSameCity, None),
    ];
    for (treatment, expected) in cases {
        let mut s = YearState::new(year(2026));
        let admit = claim(day(2026, 5, 1), ClaimKind::Inpatient, Level3, "10000")
            .with_remote_care(treatment);
        match (settle(&mut s, &c, &RESIDENT, &admit), expected) {
            (Ok(out), Some(fund)) => assert_eq!(out.fund_paid, y(fund), "{treatment}"),
            (Err(e), None) => assert_eq!(e, BenefitError::RemoteCutNotGiven { treatment }),
            (other, _) => panic!("{treatment}: {other:?}"),
        }
    }
}

#[test]
fn h18_referral_cut_is_traced() {
    let b = huaian();
    let r = huaian_remote();
    let c = config(&b, Some(&r));
    let mut s = YearState::new(year(2026));
    let admit = claim(day(2026, 5, 1), ClaimKind::Inpatient, Level3, "10000")
        .with_remote_care(RemoteCare::Referral);
    let out = settle(&mut s, &c, &RESIDENT, &admit).unwrap();
    assert_eq!(
        out.remote_care.cut,
        Some(RemoteCut::Points(
            yibao_core::Rate::from_percent(5).unwrap()
        ))
    );
    assert!(out.trace.iter().any(|t| t.rule.to_string() == "H18"));
    assert_eq!(out.deductible, y("1200"));
}

#[test]
fn h13_h14_h16_share_the_240000_cap() {
    let b = huaian();
    let r = huaian_remote();
    let c = config(&b, Some(&r));
    let claims = [
        // (200,300 − 300) × 85% = 170,000
        claim(day(2026, 1, 1), ClaimKind::Inpatient, Level1, "200300"),
        // provincial special disease: (50,750 − 750) × 85% = 42,500 → 212,500
        claim(
            day(2026, 2, 1),
            special(SpecialDiseaseClass::Other),
            Level1,
            "50750",
        ),
        // day surgery: 40,000 × 80% = 32,000 → 244,500 > 240,000: pays 27,500
        claim(day(2026, 3, 1), ClaimKind::DaySurgery, Level1, "40000"),
        // nothing left
        claim(day(2026, 4, 1), ClaimKind::DaySurgery, Level1, "1000"),
    ];
    let done = settle_year(year(2026), &c, &RESIDENT, &claims).unwrap();
    let paid: Vec<Yuan> = done.settled.iter().map(|r| r.fund_paid).collect();
    assert_eq!(paid, vec![y("170000"), y("42500"), y("27500"), y("0")]);
    assert_eq!(done.state.figures().inpatient.paid, y("240000"));
    assert_eq!(done.settled[2].cap_reached, Some(y("240000")));
}

#[test]
fn h20_emergency_outcomes() {
    let b = huaian();
    let r = huaian_remote();
    let c = config(&b, Some(&r));
    let emergency = |outcome, level, amount| {
        claim(
            day(2026, 6, 1),
            ClaimKind::Emergency { outcome },
            level,
            amount,
        )
    };
    let mut s = YearState::new(year(2026));
    // not admitted, primary care: outpatient policy, 100 × 50% = 50
    let out = settle(
        &mut s,
        &c,
        &RESIDENT,
        &emergency(EmergencyOutcome::NotAdmitted, PrimaryCare, "100"),
    )
    .unwrap();
    assert_eq!(out.fund_paid, y("50"));
    // died at level 3: inpatient policy, (5,000 − 900) × 65% = 2,665, counts as an admission
    let out = settle(
        &mut s,
        &c,
        &RESIDENT,
        &emergency(EmergencyOutcome::Died, Level3, "5000"),
    )
    .unwrap();
    assert_eq!(out.fund_paid, y("2665"));
    assert_eq!(s.figures().admissions, 1);
    // admitted: the costs belong to the admission's claim
    let e = settle(
        &mut s,
        &c,
        &RESIDENT,
        &emergency(EmergencyOutcome::Admitted, Level3, "5000"),
    )
    .unwrap_err();
    assert!(
        matches!(e, BenefitError::EmergencyJoinsAdmission { .. }),
        "{e}"
    );
}

#[test]
fn h21_accidents_paid_like_illness_unless_a_third_party_is_liable() {
    let b = huaian();
    let r = huaian_remote();
    let c = config(&b, Some(&r));
    let mut admit = claim(day(2026, 6, 1), ClaimKind::Inpatient, Level3, "10000");
    admit.accident = Accident::NoLiableThirdParty;
    let mut s = YearState::new(year(2026));
    // like illness: (10,000 − 900) × 65% = 5,915
    assert_eq!(
        settle(&mut s, &c, &RESIDENT, &admit).unwrap().fund_paid,
        y("5915")
    );
    admit.accident = Accident::LiableThirdParty;
    let mut s = YearState::new(year(2026));
    let out = settle(&mut s, &c, &RESIDENT, &admit).unwrap();
    assert_eq!((out.fund_paid, out.person_pays), (Yuan::ZERO, y("10000")));
    assert_eq!(s.figures().admissions, 0);
    // The exclusions table cites H22 and H21; the data name H21 for a liable third party,
    // and the reason and the step both cite it.
    let h21 = Some("H21".to_owned());
    let reason_rule = match out.not_paid {
        Some(NotPaidReason::Excluded { rule, .. }) => Some(rule.to_string()),
        _ => None,
    };
    assert_eq!(reason_rule, h21);
    assert_eq!(out.trace.first().map(|t| t.rule.to_string()), h21);
}

#[test]
fn h22_exclusions_and_non_designated_institutions() {
    let b = huaian();
    let r = huaian_remote();
    let c = config(&b, Some(&r));
    for fact in [
        ExclusionFact::WorkInjury,
        ExclusionFact::PublicHealth,
        ExclusionFact::Abroad,
    ] {
        let mut admit = claim(day(2026, 6, 1), ClaimKind::Inpatient, Level3, "10000");
        admit.exclusions = vec![fact];
        let mut s = YearState::new(year(2026));
        let out = settle(&mut s, &c, &RESIDENT, &admit).unwrap();
        assert_eq!(out.fund_paid, Yuan::ZERO, "{fact:?}");
        assert_eq!(
            out.trace.first().map(|t| t.rule.to_string()),
            Some("H22".to_owned())
        );
    }
    let mut admit = claim(day(2026, 6, 1), ClaimKind::Inpatient, Level3, "10000");
    admit.designation = Designation::NotDesignated;
    let mut s = YearState::new(year(2026));
    assert_eq!(
        settle(&mut s, &c, &RESIDENT, &admit).unwrap().fund_paid,
        Yuan::ZERO
    );
    // an emergency at a non-designated institution is paid: (5,000 − 900) × 65% = 2,665
    let mut died = claim(
        day(2026, 6, 1),
        ClaimKind::Emergency {
            outcome: EmergencyOutcome::Died,
        },
        Level3,
        "5000",
    );
    died.designation = Designation::NotDesignated;
    assert_eq!(
        settle(&mut s, &c, &RESIDENT, &died).unwrap().fund_paid,
        y("2665")
    );
}

#[test]
fn h23_class_b_share_is_not_guessed() {
    let b = huaian();
    let r = huaian_remote();
    let mut c = config(&b, Some(&r));
    let mut admit = claim(day(2026, 6, 1), ClaimKind::Inpatient, Level3, "0");
    admit.bill = Bill::Classes {
        class_a: y("6000"),
        class_b: y("2000"),
        class_c: y("1000"),
    };
    let mut s = YearState::new(year(2026));
    let e = settle(&mut s, &c, &RESIDENT, &admit).unwrap_err();
    assert!(matches!(e, BenefitError::ClassBShareNotGiven { .. }), "{e}");
    assert!(
        e.to_string().contains("no class B personal share rate"),
        "{e}"
    );
    // with a caller-supplied 10%: B in scope 1,800; eligible 7,800;
    // (7,800 − 900) × 65% = 4,485; the person pays 9,000 − 4,485 = 4,515
    c.class_b_personal_share = Some("10%".parse().unwrap());
    let out = settle(&mut s, &c, &RESIDENT, &admit).unwrap();
    assert_eq!(
        (out.amount, out.eligible, out.outside_scope),
        (y("9000"), y("7800"), y("1200"))
    );
    assert_eq!((out.fund_paid, out.person_pays), (y("4485"), y("4515")));
    // H19 base: 7,800 − 4,485 = 3,315 (class C and the B share are outside it)
    assert_eq!(out.catastrophic_base, y("3315"));
    // no class B: no rate needed; class C only is self-paid
    let mut s = YearState::new(year(2026));
    c.class_b_personal_share = None;
    admit.bill = Bill::Classes {
        class_a: y("0"),
        class_b: y("0"),
        class_c: y("500"),
    };
    let out = settle(&mut s, &c, &RESIDENT, &admit).unwrap();
    assert_eq!((out.fund_paid, out.person_pays), (Yuan::ZERO, y("500")));
}

// ------------------------------------------------------------------ year state

#[test]
fn claims_outside_the_policy_year_or_out_of_order_are_refused() {
    let b = huaian();
    let r = huaian_remote();
    let c = config(&b, Some(&r));
    let mut s = YearState::new(year(2026));
    let e = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(day(2025, 12, 31), ClaimKind::Inpatient, Level3, "100"),
    )
    .unwrap_err();
    assert!(
        matches!(e, BenefitError::ClaimOutsidePolicyYear { .. }),
        "{e}"
    );
    settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(day(2026, 6, 1), ClaimKind::Inpatient, Level3, "100"),
    )
    .unwrap();
    let e = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(day(2026, 5, 1), ClaimKind::Inpatient, Level3, "100"),
    )
    .unwrap_err();
    assert!(
        matches!(e, BenefitError::ClaimBeforeLastSettled { .. }),
        "{e}"
    );
}

#[test]
fn reversal_is_last_in_first_out_and_exact() {
    let b = kunshan();
    let c = config(&b, None);
    let mut s = YearState::new(year(2021));
    let start = s.clone();
    let r1 = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(day(2021, 1, 1), ClaimKind::Inpatient, Level3, "30000"),
    )
    .unwrap();
    let after_first = s.clone();
    let r2 = settle(
        &mut s,
        &c,
        &RESIDENT,
        &claim(day(2021, 2, 1), ClaimKind::Inpatient, Level3, "30000"),
    )
    .unwrap();
    let e = s.reverse(&r1).unwrap_err();
    assert!(
        matches!(e, BenefitError::NotLastSettlement { sequence: 1, .. }),
        "{e}"
    );
    s.reverse(&r2).unwrap();
    assert_eq!(s, after_first);
    s.reverse(&r1).unwrap();
    assert_eq!(s, start);
}

#[test]
fn a_year_without_reversal_settles_the_same_figures_and_refuses_reversal() {
    let b = kunshan();
    let c = config(&b, None);
    let mut kept = YearState::new(year(2021));
    let mut unkept = YearState::without_reversal(year(2021));
    let mut last = None;
    for (month, amount) in [(1, "30000"), (2, "250000"), (3, "800")] {
        let claim = claim(day(2021, month, 1), ClaimKind::Inpatient, Level3, amount);
        let with_journal = settle(&mut kept, &c, &RESIDENT, &claim).unwrap();
        let without = settle(&mut unkept, &c, &RESIDENT, &claim).unwrap();
        assert_eq!(with_journal, without);
        assert_eq!(kept.figures(), unkept.figures());
        assert_eq!(kept.settlements(), unkept.settlements());
        last = Some(without);
    }
    let last = last.unwrap();
    let e = unkept.reverse(&last).unwrap_err();
    assert!(
        matches!(e, BenefitError::NotReversible { sequence: 3 }),
        "{e}"
    );
    kept.reverse(&last).unwrap();
    assert_eq!(kept.settlements(), 2);
}
