//! A claim is a settlement of its own (POLICY-NOTES, Conventions), through the batch: every
//! claim of a generated Huai'an claims file is paid, in the per-claim output, what a plain
//! recomputation from that claim alone pays (`plain`): `round(base × rate)`, then the cap left.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::OnceLock;

use proptest::prelude::*;
use yibao::core::{PolicyYear, Yuan};
use yibao::policy::{PolicyFiles, PolicyLibrary};
use yibao_batch::{self as batch, BatchOptions, Contiguity, Sinks};

/// The basic fund recomputed plainly from the sources' numbers, in fen (shared with the
/// facade's property test, `crates/yibao/tests/properties.rs`).
mod plain;

use plain::{Book, DiseaseClass, Kind, PlainClaim, PlainPerson, Remote};

const HEADER: &str = "person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount,consultation_fee,disease_class";

fn library() -> &'static PolicyLibrary {
    static LIBRARY: OnceLock<PolicyLibrary> = OnceLock::new();
    LIBRARY.get_or_init(|| PolicyLibrary::load(&PolicyFiles::embedded()).unwrap())
}

/// A row of the claims file: a batch kind and level, and the claim it stands for.
#[derive(Clone, Debug)]
struct Row {
    day: u32,
    claim: PlainClaim,
}

impl Row {
    /// `kind,hospital_level,amount,consultation_fee,disease_class` of the file (module docs
    /// of `yibao_batch`): outpatient at primary care is level `1`; `out_of_city` is a
    /// level-3 referral.
    fn fields(&self) -> String {
        let c = &self.claim;
        let amount = text(c.fen);
        match (c.kind, c.level, c.remote) {
            (Kind::Outpatient { fee_fen }, 0, Remote::Local) => {
                format!("outpatient_general,1,{amount},{},", text(fee_fen))
            }
            (Kind::Admission, 3, Remote::Referral) => format!("inpatient,out_of_city,{amount},,"),
            (Kind::Admission, level, Remote::Local) => format!("inpatient,{level},{amount},,"),
            (Kind::DaySurgery, level, Remote::Local) => {
                format!("day_surgery,{level},{amount},,")
            }
            (Kind::Special { class }, level, Remote::Local) => {
                let class = match class {
                    DiseaseClass::SevereMental => "severe_mental",
                    DiseaseClass::Psychiatric => "psychiatric",
                    DiseaseClass::Other => "other",
                };
                format!("special_disease,{level},{amount},,{class}")
            }
            other => panic!("no batch row for {other:?}"),
        }
    }
}

fn text(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

fn date(day: u32) -> String {
    (chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(u64::from(day)))
        .to_string()
}

/// An amount in fen: small (every rounding case), around the deductibles, up to the caps.
fn fen() -> impl Strategy<Value = i64> {
    prop_oneof![1_i64..2_000, 1_i64..150_000, 1_i64..30_000_000]
}

/// Every kind a Huai'an claims file holds, at every level it allows.
fn row() -> impl Strategy<Value = Row> {
    let class = prop_oneof![
        Just(DiseaseClass::SevereMental),
        Just(DiseaseClass::Psychiatric),
        Just(DiseaseClass::Other)
    ];
    let claim = prop_oneof![
        (0_i64..3_000, fen()).prop_map(|(fee, fen)| (
            Kind::Outpatient {
                fee_fen: fee.min(fen)
            },
            0,
            Remote::Local,
            fen
        )),
        (1_u8..=3, fen()).prop_map(|(level, fen)| (Kind::Admission, level, Remote::Local, fen)),
        fen().prop_map(|fen| (Kind::Admission, 3, Remote::Referral, fen)),
        (1_u8..=3, fen()).prop_map(|(level, fen)| (Kind::DaySurgery, level, Remote::Local, fen)),
        (class, 1_u8..=3, fen()).prop_map(|(class, level, fen)| (
            Kind::Special { class },
            level,
            Remote::Local,
            fen
        )),
    ];
    (0_u32..365, claim).prop_map(|(day, (kind, level, remote, fen))| Row {
        day,
        claim: PlainClaim {
            kind,
            level,
            remote,
            fen,
        },
    })
}

#[derive(Clone, Debug)]
struct Person {
    signed: bool,
    rows: Vec<Row>,
}

fn person() -> impl Strategy<Value = Person> {
    (any::<bool>(), prop::collection::vec(row(), 1..12))
        .prop_map(|(signed, rows)| Person { signed, rows })
}

/// The claims file, and the plain fund payment of each row by its line (the header is line 1).
fn file_and_expected(persons: &[Person]) -> (String, HashMap<u64, Yuan>) {
    let mut csv = format!("{HEADER}\n");
    let mut expected = HashMap::new();
    let mut line = 1_u64;
    for (i, p) in persons.iter().enumerate() {
        let first_line = line + 1;
        for r in &p.rows {
            line += 1;
            csv.push_str(&format!(
                "P{i:03},ordinary,{},1,false,{},{}\n",
                p.signed,
                date(r.day),
                r.fields()
            ));
        }
        // Settled by date, same-day claims in file order.
        let mut order: Vec<usize> = (0..p.rows.len()).collect();
        order.sort_by_key(|&k| p.rows[k].day);
        let claims: Vec<PlainClaim> = order.iter().map(|&k| p.rows[k].claim).collect();
        let person = PlainPerson {
            student: false,
            signed: p.signed,
        };
        for (&k, fen) in order
            .iter()
            .zip(plain::settle_year(Book::Huaian2026, person, &claims))
        {
            expected.insert(first_line + k as u64, Yuan::from_fen(fen).unwrap());
        }
    }
    (csv, expected)
}

/// The batch's per-claim output: `basic_fund_paid` by `line`.
fn per_claim_fund(csv: &str, threads: usize) -> HashMap<u64, Yuan> {
    let mut options = BatchOptions::new("huaian", PolicyYear::new(2026).unwrap());
    options.threads = NonZeroUsize::new(threads).unwrap();
    let (mut output, mut errors, mut per_claim) = (Vec::new(), Vec::new(), Vec::new());
    let summary = batch::run(
        library(),
        &options,
        csv.as_bytes(),
        &Contiguity::Streaming,
        Sinks {
            output: &mut output,
            errors: &mut errors,
            per_claim: Some(&mut per_claim),
        },
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(
        summary.rows_in_error,
        0,
        "{}",
        String::from_utf8_lossy(&errors)
    );
    let mut reader = csv::Reader::from_reader(per_claim.as_slice());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (line, fund) = (column("line"), column("basic_fund_paid"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[line].parse().unwrap(), r[fund].parse().unwrap())
        })
        .collect()
}

#[test]
fn h11_h16_a_batch_pays_each_claim_its_own_rounded_share() {
    // H11, not signed: 100.01 × 50% = 50.005 → 50.01; 100.03 × 50% = 50.015 → 50.02 (a
    // rounded running total would pay round(100.02) − 50.01 = 50.01).
    // H16: 0.02 × 75% = 0.015 → 0.02 (level 2); 0.05 × 70% = 0.035 → 0.04 (level 3);
    // 0.01 × 80% = 0.008 → 0.01 (level 1): 0.07 (a running total: 0.02 + 0.03 + 0.01).
    let csv = format!(
        "{HEADER}\n\
         P1,ordinary,false,1,false,2026-03-01,outpatient_general,1,100.01,,\n\
         P1,ordinary,false,1,false,2026-03-02,outpatient_general,1,100.03,,\n\
         P2,ordinary,false,1,false,2026-03-01,day_surgery,2,0.02,,\n\
         P2,ordinary,false,1,false,2026-03-02,day_surgery,3,0.05,,\n\
         P2,ordinary,false,1,false,2026-03-03,day_surgery,1,0.01,,\n"
    );
    let got = per_claim_fund(&csv, 1);
    let mut lines: Vec<(u64, String)> = got.into_iter().map(|(l, y)| (l, y.to_string())).collect();
    lines.sort();
    let expected = [
        (2, "50.01"),
        (3, "50.02"),
        (4, "0.02"),
        (5, "0.04"),
        (6, "0.01"),
    ];
    let expected: Vec<(u64, String)> = expected.iter().map(|&(l, y)| (l, y.to_owned())).collect();
    assert_eq!(lines, expected);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(yibao_core::strategies::cases(64)))]

    /// Every claim of a generated Huai'an claims file (every batch kind and level, random
    /// amounts in fen) is paid in the per-claim output what the plain recomputation from
    /// that claim alone pays: `round(base × rate)`, then the cap left.
    #[test]
    fn prop_the_batch_pays_every_claim_as_a_settlement_of_its_own(
        persons in prop::collection::vec(person(), 1..8),
        threads in 1_usize..=3,
    ) {
        let (csv, expected) = file_and_expected(&persons);
        let got = per_claim_fund(&csv, threads);
        prop_assert_eq!(got.len(), expected.len());
        for (line, fund) in &expected {
            prop_assert_eq!(got.get(line), Some(fund), "line {}", line);
        }
    }
}
