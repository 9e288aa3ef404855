//! The basic fund of a person's year recomputed plainly, for the property tests of "a claim is
//! a settlement of its own" (POLICY-NOTES, Conventions): integer arithmetic in fen, the
//! policy numbers written here from the sources (not read from the engine or its data), no
//! engine type. A flat-rate claim is paid `round(Σ part × rate)` for its own parts, rounded
//! half away from zero once, then `min(that, cap − paid before, eligible − deductible)`; the
//! Kunshan ladder (K4) is paid `round(F(after)) − round(F(before))` on the year's exact
//! ladder figure, then the cap left.
//!
//! Used by `crates/yibao/tests/properties.rs` (the facade) and `tests/integration/rounding.rs`
//! (the batch).

// Each of the two tests uses part of it (the batch has no two-disease claim, for one).
#![allow(dead_code)]

/// The two books modelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Book {
    /// Huai'an 2026 (H11–H18, H20).
    Huaian2026,
    /// Kunshan 2021 (K3, K4).
    Kunshan2021,
}

/// A claim's kind, with what its settlement needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// General outpatient care, with its consultation fee in fen (H11, K3).
    Outpatient { fee_fen: i64 },
    /// Hypertension/diabetes drugs, for one disease or both (H12).
    TwoDisease { both: bool },
    /// A provincial special disease of a deductible class (H13).
    Special { class: DiseaseClass },
    /// An admission (H14, K4).
    Admission,
    /// A delivery, settled as an admission (H15).
    Delivery { same_province: bool },
    /// Emergency care without admission, settled as general outpatient (H20).
    EmergencyNotAdmitted,
    /// Death in emergency care, settled as an admission (H20).
    EmergencyDied,
    /// Day surgery (H16).
    DaySurgery,
    /// Dual-channel drugs (H17).
    DualChannel,
}

/// The special-disease deductible classes (H13).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiseaseClass {
    /// 严重精神障碍: deductible 0.
    SevereMental,
    /// 精神类疾病: deductible 300.
    Psychiatric,
    /// 其他病种: deductible 750.
    Other,
}

/// Where the care took place, for the remote-care cut (H18) and the out-of-city deductible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Remote {
    Local,
    LongTermFiled,
    Referral,
    TemporaryFiled,
    Unfiled,
    EmergencyRescue,
}

/// The hospital level: 0 is primary care, 1–3 the hospital levels.
pub type Level = u8;

/// One claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlainClaim {
    pub kind: Kind,
    pub level: Level,
    pub remote: Remote,
    /// The eligible amount in fen.
    pub fen: i64,
}

/// The person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlainPerson {
    pub student: bool,
    pub signed: bool,
}

/// `units / 100` rounded half away from zero, for `units >= 0` (units of 1/100 fen).
pub fn round_half_away(units: i128) -> i64 {
    i64::try_from((units + 50) / 100).unwrap_or(i64::MAX)
}

/// The running figures of the year.
#[derive(Default)]
struct Year {
    outpatient_paid: i64,
    two_disease_paid: i64,
    inpatient_paid: i64,
    special_deductible_borne: [i64; 3],
    admissions: u32,
    first_deductible: Option<i64>,
    ladder_position: i64,
    /// F of the ladder so far, in 1/100 fen.
    ladder_units: i128,
}

const YUAN: i64 = 100;

/// The fund payment of each claim in fen, claims given in settlement order (by date, same
/// day in input order).
pub fn settle_year(book: Book, person: PlainPerson, claims: &[PlainClaim]) -> Vec<i64> {
    let mut year = Year::default();
    claims
        .iter()
        .map(|c| match book {
            Book::Huaian2026 => huaian(&mut year, person, c),
            Book::Kunshan2021 => kunshan(&mut year, person, c),
        })
        .collect()
}

/// `min(due, cap − paid before, eligible − deductible)`, then the pool's paid grows by it.
fn draw(due: i64, cap: Option<i64>, paid: &mut i64, most: i64) -> i64 {
    let left = cap.map_or(i64::MAX, |cap| (cap - *paid).max(0));
    let pay = due.min(left).min(most);
    *paid += pay;
    pay
}

/// H18: the points cut from every ratio.
fn cut(remote: Remote) -> i128 {
    match remote {
        Remote::Local | Remote::LongTermFiled | Remote::EmergencyRescue => 0,
        Remote::Referral => 5,
        Remote::TemporaryFiled | Remote::Unfiled => 20,
    }
}

fn huaian(year: &mut Year, person: PlainPerson, c: &PlainClaim) -> i64 {
    let fen = i128::from(c.fen);
    let cut = cut(c.remote);
    let by_level = |l1: i128, l2: i128, l3: i128| match c.level {
        1 => l1,
        2 => l2,
        3 => l3,
        _ => panic!("not modelled: level {} for {:?}", c.level, c.kind),
    };
    const INPATIENT_CAP: i64 = 240_000 * YUAN;
    match c.kind {
        // H11: primary care only; consultation fee 70%, other costs 50%; cap 300 / 400 signed.
        // H20: an emergency not admitted is general outpatient with no consultation fee.
        Kind::Outpatient { .. } | Kind::EmergencyNotAdmitted => {
            if c.level != 0 {
                return 0;
            }
            let fee = match c.kind {
                Kind::Outpatient { fee_fen } => i128::from(fee_fen),
                _ => 0,
            };
            let units = fee * (70 - cut) + (fen - fee) * (50 - cut);
            let cap = if person.signed { 400 } else { 300 } * YUAN;
            draw(
                round_half_away(units),
                Some(cap),
                &mut year.outpatient_paid,
                c.fen,
            )
        }
        // H12: primary care only; 50%; cap 800 for one disease, 1,200 for both.
        Kind::TwoDisease { both } => {
            if c.level != 0 {
                return 0;
            }
            let cap = if both { 1_200 } else { 800 } * YUAN;
            let due = round_half_away(fen * (50 - cut));
            draw(due, Some(cap), &mut year.two_disease_paid, c.fen)
        }
        // H13: deductible once a year per class (0 / 300 / 750); 85 / 75 / 65%; the
        // inpatient cap.
        Kind::Special { class } => {
            let (slot, yearly) = match class {
                DiseaseClass::SevereMental => (0, 0),
                DiseaseClass::Psychiatric => (1, 300 * YUAN),
                DiseaseClass::Other => (2, 750 * YUAN),
            };
            let deductible = (yearly - year.special_deductible_borne[slot]).min(c.fen);
            year.special_deductible_borne[slot] += deductible;
            let base = fen - i128::from(deductible);
            let due = round_half_away(base * (by_level(85, 75, 65) - cut));
            draw(
                due,
                Some(INPATIENT_CAP),
                &mut year.inpatient_paid,
                c.fen - deductible,
            )
        }
        // H14: deductible 300 / 600 / 900 every admission, 1,200 outside the city; 85 / 75 /
        // 65%, cut (H18) except a delivery in the province (H15); the inpatient cap.
        Kind::Admission | Kind::Delivery { .. } | Kind::EmergencyDied => {
            let out_of_city = c.remote != Remote::Local;
            let deductible = if out_of_city {
                1_200 * YUAN
            } else {
                i64::try_from(by_level(300, 600, 900)).unwrap_or(0) * YUAN
            }
            .min(c.fen);
            year.admissions += 1;
            let cut = match c.kind {
                Kind::Delivery {
                    same_province: true,
                } => 0,
                _ => cut,
            };
            let base = fen - i128::from(deductible);
            let due = round_half_away(base * (by_level(85, 75, 65) - cut));
            draw(
                due,
                Some(INPATIENT_CAP),
                &mut year.inpatient_paid,
                c.fen - deductible,
            )
        }
        // H16: no deductible; 80 / 75 / 70%; the inpatient cap.
        Kind::DaySurgery => {
            let due = round_half_away(fen * (by_level(80, 75, 70) - cut));
            draw(due, Some(INPATIENT_CAP), &mut year.inpatient_paid, c.fen)
        }
        // H17: 60%, no deductible, no cap.
        Kind::DualChannel => round_half_away(fen * (60 - cut)).min(c.fen),
    }
}

/// K4: the ladder's bands on the cumulative eligible expense, in fen and percent.
const LADDER: [(i64, Option<i64>, i128); 4] = [
    (0, Some(40_000 * YUAN), 75),
    (40_000 * YUAN, Some(100_000 * YUAN), 80),
    (100_000 * YUAN, Some(200_000 * YUAN), 85),
    (200_000 * YUAN, None, 90),
];

/// `F(high) − F(low)` in 1/100 fen.
fn ladder_between(low: i64, high: i64) -> i128 {
    LADDER
        .iter()
        .map(|&(from, to, rate)| {
            let top = to.map_or(high, |to| to.min(high));
            let overlap = (top - from.max(low)).max(0);
            i128::from(overlap) * rate
        })
        .sum()
}

fn kunshan(year: &mut Year, person: PlainPerson, c: &PlainClaim) -> i64 {
    assert_eq!(
        c.remote,
        Remote::Local,
        "Kunshan remote care is not modelled"
    );
    match c.kind {
        // K3: no deductible; residents 35 / 40% at level 3 / 2, at level 1 65% signed and
        // 55% not; students 65% everywhere; cap 1,200. The consultation fee has no ratio of
        // its own.
        Kind::Outpatient { .. } => {
            let rate: i128 = match (person.student, c.level, person.signed) {
                (true, 1..=3, _) => 65,
                (false, 3, _) => 35,
                (false, 2, _) => 40,
                (false, 1, true) => 65,
                (false, 1, false) => 55,
                _ => panic!("not modelled: Kunshan outpatient at level {}", c.level),
            };
            let due = round_half_away(i128::from(c.fen) * rate);
            draw(due, Some(1_200 * YUAN), &mut year.outpatient_paid, c.fen)
        }
        // K4: deductible residents 800 / 500 / 300 at level 3 / 2 / 1, students 500; the 2nd
        // admission 50% of the first's, the 3rd and later 100; the deductible absorbed at the
        // position first, the rest up the ladder; fund cap 350,000.
        Kind::Admission => {
            let level_deductible = match (person.student, c.level) {
                (true, 1..=3) => 500 * YUAN,
                (false, 3) => 800 * YUAN,
                (false, 2) => 500 * YUAN,
                (false, 1) => 300 * YUAN,
                _ => panic!("not modelled: Kunshan admission at level {}", c.level),
            };
            year.admissions += 1;
            let nominal = match (year.admissions, year.first_deductible) {
                (1, _) | (_, None) => level_deductible,
                (2, Some(first)) => round_half_away(i128::from(first) * 50),
                (_, Some(_)) => 100 * YUAN,
            };
            year.first_deductible.get_or_insert(nominal);
            let deductible = nominal.min(c.fen);
            let low = year.ladder_position + deductible;
            let high = year.ladder_position + c.fen;
            year.ladder_position = high;
            let before = year.ladder_units;
            year.ladder_units += ladder_between(low, high);
            let due = round_half_away(year.ladder_units) - round_half_away(before);
            draw(
                due,
                Some(350_000 * YUAN),
                &mut year.inpatient_paid,
                c.fen - deductible,
            )
        }
        other => panic!("not modelled in Kunshan 2021: {other:?}"),
    }
}
