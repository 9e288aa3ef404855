//! Named tests per rule, on the real policy data and the real 2021–2027 holiday calendar.
//! Dates are worked out by hand in the comments; day N of a filing counts its start as day 1.

// Test helpers outside #[test] functions may panic: a failing helper is a failing test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use yibao_core::{PolicyYear, RemoteCare};
use yibao_filing::{
    ApprovalDue, Area, CareQuery, Circumstance, ClaimTiming, Connection, FilingError, FilingEvent,
    FilingId, FilingState, FilingType, Region, Register, Settlement, Side, apply, approval_due_by,
    assess_care, manual_claim_deadline, replay_filing,
};

fn id(text: &str) -> FilingId {
    text.parse().unwrap_or_else(|e| panic!("{e}"))
}

fn replay(
    events: &[FilingEvent],
    as_of: chrono::NaiveDate,
    policy: &yibao_filing::FilingPolicy,
) -> Result<Register, FilingError> {
    Register::replay(events, as_of, &calendar(), policy)
}

fn state_of(register: &Register, filing: &str) -> FilingState {
    register
        .filing(&id(filing))
        .cloned()
        .unwrap_or(FilingState::NotSubmitted)
}

fn care(on: chrono::NaiveDate, area: &str) -> CareQuery {
    care_as(on, area, Circumstance::Planned, Connection::Networked)
}

fn care_as(
    on: chrono::NaiveDate,
    area: &str,
    circumstance: Circumstance,
    connection: Connection,
) -> CareQuery {
    let area = area.parse().unwrap_or_else(|e| panic!("{e}"));
    CareQuery::new(on, area, circumstance, connection)
}

// ------------------------------------------------------------------ policy data

#[test]
fn policy_sections_deserialise_and_validate_clean() {
    let w = wujiang();
    assert_eq!(w.types.len(), 6);
    assert_eq!(w.channels.len(), 4);
    let k = kunshan();
    assert!(k.type_policy(FilingType::Referral).is_some());
    let h = huaian();
    assert_eq!(h.types.len(), 6);
}

// ------------------------------------------------------------------ W4 commitment letter

/// A commitment-letter referral filing in Beijing starting Monday 2026-03-02, approved the same day.
fn commitment_log() -> Vec<FilingEvent> {
    vec![
        submitted(
            "C1",
            d(2026, 3, 2),
            "referral",
            "beijing",
            d(2026, 3, 2),
            COMMITMENT,
        ),
        event("C1", d(2026, 3, 2), r#""approved""#),
    ]
}

#[test]
fn w4_commitment_valid_on_day_14_start_plus_13() {
    // 2026-03-02 + 13 = 2026-03-15, day 14.
    let r = replay(&commitment_log(), d(2026, 3, 15), &wujiang()).unwrap();
    assert!(matches!(state_of(&r, "C1"), FilingState::Active { .. }));
}

#[test]
fn w4_commitment_valid_on_day_15_start_plus_14_its_last_day() {
    // 2026-03-02 + 14 = 2026-03-16, day 15, the last valid day.
    let r = replay(&commitment_log(), d(2026, 3, 16), &wujiang()).unwrap();
    let state = state_of(&r, "C1");
    assert!(matches!(state, FilingState::Active { .. }), "{state:?}");
    assert_eq!(
        state.term().and_then(|t| t.last_day()),
        Some(d(2026, 3, 16))
    );
    assert_eq!(r.commitment_bar(), None);
}

#[test]
fn w4_commitment_void_on_day_16_start_plus_15_and_person_barred() {
    // 2026-03-02 + 15 = 2026-03-17: void from that day.
    let r = replay(&commitment_log(), d(2026, 3, 17), &wujiang()).unwrap();
    assert_eq!(
        state_of(&r, "C1"),
        FilingState::Lapsed {
            application: state_of(&r, "C1").application().cloned().unwrap(),
            void_from: d(2026, 3, 17),
        }
    );
    let bar = r.commitment_bar().unwrap();
    assert_eq!((bar.lapsed, bar.void_from), (id("C1"), d(2026, 3, 17)));
    // Care on day 15 was still covered; care on day 16 is not.
    let w = wujiang();
    assert_eq!(
        assess_care(&r, &care(d(2026, 3, 16), "beijing"), &w)
            .unwrap()
            .treatment,
        RemoteCare::Referral
    );
    assert_eq!(
        assess_care(&r, &care(d(2026, 3, 17), "beijing"), &w)
            .unwrap()
            .treatment,
        RemoteCare::Unfiled
    );
}

#[test]
fn w4_materials_on_day_15_start_plus_14_make_a_full_one_year_filing() {
    let mut log = commitment_log();
    log.push(event(
        "C1",
        d(2026, 3, 16),
        r#"{"materials_supplied": {"document": "no_expiry"}}"#,
    ));
    let r = replay(&log, d(2026, 6, 1), &wujiang()).unwrap();
    let state = state_of(&r, "C1");
    assert!(matches!(state, FilingState::Active { .. }), "{state:?}");
    // 1 year: 2026-03-02 + 12 months - 1 day = 2027-03-01.
    assert_eq!(state.term().and_then(|t| t.last_day()), Some(d(2027, 3, 1)));
    assert_eq!(r.commitment_bar(), None);
}

#[test]
fn w4_materials_on_day_16_start_plus_15_are_too_late() {
    let mut log = commitment_log();
    log.push(event(
        "C1",
        d(2026, 3, 17),
        r#"{"materials_supplied": {"document": "no_expiry"}}"#,
    ));
    let err = replay(&log, d(2026, 3, 17), &wujiang()).unwrap_err();
    assert_eq!(
        err,
        FilingError::IllegalTransition {
            filing: id("C1"),
            state: "lapsed",
            event: "materials_supplied",
            on: d(2026, 3, 17),
        }
    );
    insta::assert_snapshot!(err, @"filing C1: event `materials_supplied` on 2026-03-17 is not allowed in state `lapsed`");
}

#[test]
fn w4_second_commitment_filing_refused_after_a_lapse() {
    let mut log = commitment_log();
    log.push(submitted(
        "C2",
        d(2026, 5, 4),
        "other_temporary",
        "beijing",
        d(2026, 5, 4),
        COMMITMENT,
    ));
    let err = replay(&log, d(2026, 5, 4), &wujiang()).unwrap_err();
    assert!(
        matches!(
            err,
            FilingError::CommitmentBarred { ref lapsed, void_from, .. } if *lapsed == id("C1") && void_from == d(2026, 3, 17)
        ),
        "{err}"
    );
    // A filing with materials is still open to the person.
    let mut log = commitment_log();
    log.push(submitted(
        "C2",
        d(2026, 5, 4),
        "other_temporary",
        "beijing",
        d(2026, 5, 4),
        NO_EXPIRY,
    ));
    assert!(replay(&log, d(2026, 5, 4), &wujiang()).is_ok());
}

#[test]
fn w4_second_commitment_filing_allowed_while_the_first_is_still_valid() {
    let mut log = commitment_log();
    // Day 15 of C1: not lapsed yet.
    log.push(submitted(
        "C2",
        d(2026, 3, 16),
        "other_temporary",
        "shandong",
        d(2026, 3, 16),
        COMMITMENT,
    ));
    assert!(replay(&log, d(2026, 3, 16), &wujiang()).is_ok());
}

#[test]
fn w4_commitment_letter_refused_where_the_source_offers_none() {
    let log = vec![submitted(
        "K1",
        d(2021, 3, 1),
        "referral",
        "beijing",
        d(2021, 3, 1),
        COMMITMENT,
    )];
    let err = replay(&log, d(2021, 3, 1), &kunshan()).unwrap_err();
    assert!(matches!(err, FilingError::NotGivenBySource { .. }), "{err}");
}

// ------------------------------------------------------------------ W4 validity and cancellation

#[test]
fn w4_one_year_filing_valid_to_start_plus_12_months_minus_1_day_then_expired() {
    let log = vec![
        submitted(
            "T1",
            d(2026, 3, 31),
            "other_temporary",
            "beijing",
            d(2026, 3, 31),
            NO_EXPIRY,
        ),
        event("T1", d(2026, 4, 1), r#""approved""#),
    ];
    // 2026-03-31 + 12 months = 2027-03-31, minus 1 day = 2027-03-30.
    let r = replay(&log, d(2027, 3, 30), &wujiang()).unwrap();
    assert!(matches!(state_of(&r, "T1"), FilingState::Active { .. }));
    let r = replay(&log, d(2027, 3, 31), &wujiang()).unwrap();
    assert!(matches!(state_of(&r, "T1"), FilingState::Expired { .. }));
}

#[test]
fn w4_long_term_filing_lasts_as_long_as_its_document() {
    let log = vec![
        submitted(
            "L1",
            d(2026, 1, 5),
            "long_term_resident",
            "beijing",
            d(2026, 1, 10),
            &expires(d(2026, 8, 31)),
        ),
        event("L1", d(2026, 1, 6), r#""approved""#),
    ];
    let r = replay(&log, d(2026, 1, 9), &wujiang()).unwrap();
    assert!(
        matches!(state_of(&r, "L1"), FilingState::Approved { .. }),
        "before its start"
    );
    let r = replay(&log, d(2026, 8, 31), &wujiang()).unwrap();
    assert!(matches!(state_of(&r, "L1"), FilingState::Active { .. }));
    let r = replay(&log, d(2026, 9, 1), &wujiang()).unwrap();
    assert!(matches!(state_of(&r, "L1"), FilingState::Expired { .. }));
}

#[test]
fn w4_document_expiring_before_the_start_is_refused() {
    let log = vec![submitted(
        "L1",
        d(2026, 1, 5),
        "resettled_retiree",
        "beijing",
        d(2026, 1, 10),
        &expires(d(2026, 1, 9)),
    )];
    let err = replay(&log, d(2026, 1, 5), &wujiang()).unwrap_err();
    assert!(
        matches!(err, FilingError::DocumentExpiresBeforeStart { expires, start, .. } if expires == d(2026, 1, 9) && start == d(2026, 1, 10)),
        "{err}"
    );
}

fn long_term_log() -> Vec<FilingEvent> {
    vec![
        submitted(
            "L1",
            d(2026, 1, 5),
            "stationed_worker",
            "beijing",
            d(2026, 1, 5),
            NO_EXPIRY,
        ),
        event("L1", d(2026, 1, 6), r#""approved""#),
    ]
}

#[test]
fn w4_long_term_cancel_one_day_before_6_months_refused() {
    // 2026-01-05 + 6 months = 2026-07-05, the first day a cancellation is allowed.
    let mut log = long_term_log();
    log.push(event("L1", d(2026, 7, 4), r#""cancelled""#));
    let err = replay(&log, d(2026, 7, 4), &wujiang()).unwrap_err();
    assert!(
        matches!(err, FilingError::CancelTooEarly { allowed_from, .. } if allowed_from == d(2026, 7, 5)),
        "{err}"
    );
    insta::assert_snapshot!(err, @"filing L1: a long-term filing started on 2026-01-05 cannot be cancelled on 2026-07-04; cancellation is possible from 2026-07-05 (rule W4)");
}

#[test]
fn w4_long_term_cancel_on_start_plus_6_months_allowed() {
    let mut log = long_term_log();
    log.push(event("L1", d(2026, 7, 5), r#""cancelled""#));
    let r = replay(&log, d(2026, 7, 5), &wujiang()).unwrap();
    let state = state_of(&r, "L1");
    assert!(matches!(state, FilingState::Cancelled { .. }));
    // Covered to the day before the cancellation.
    assert_eq!(state.covers(d(2026, 7, 4)), Ok(true));
    assert_eq!(state.covers(d(2026, 7, 5)), Ok(false));
}

#[test]
fn w4_temporary_and_referral_cancel_any_time() {
    let log = vec![
        submitted(
            "R1",
            d(2026, 3, 2),
            "referral",
            "beijing",
            d(2026, 3, 2),
            NO_EXPIRY,
        ),
        event("R1", d(2026, 3, 3), r#""approved""#),
        event("R1", d(2026, 3, 4), r#""cancelled""#),
    ];
    assert!(replay(&log, d(2026, 3, 4), &wujiang()).is_ok());
}

// ------------------------------------------------------------------ W3, K6 approval deadlines

/// Which jurisdiction's approval deadline a row asks for.
#[derive(Clone, Copy, Debug)]
enum Office {
    Wujiang,
    Kunshan,
    Huaian,
}

impl Office {
    fn policy(self) -> yibao_filing::FilingPolicy {
        match self {
            Office::Wujiang => wujiang(),
            Office::Kunshan => kunshan(),
            Office::Huaian => huaian(),
        }
    }
}

/// The deadline a row expects.
#[derive(Clone, Copy, Debug)]
enum Due {
    /// The office decides by this day.
    By(chrono::NaiveDate),
    /// The source gives no deadline.
    NotGivenBySource,
}

/// One approval deadline, with its rule id and the count of working days by hand.
struct DeadlineRow {
    rule: &'static str,
    office: Office,
    submitted: chrono::NaiveDate,
    due: Due,
    by_hand: &'static str,
}

#[test]
fn w3_k6_h25_approval_deadlines_table() {
    let rows = [
        DeadlineRow {
            rule: "W3",
            office: Office::Wujiang,
            submitted: d(2026, 11, 20),
            due: Due::By(d(2026, 11, 24)),
            by_hand: "across a weekend: Friday 2026-11-20; Mon 23 (1), Tue 24 (2)",
        },
        DeadlineRow {
            rule: "W3",
            office: Office::Wujiang,
            submitted: d(2026, 9, 30),
            due: Due::By(d(2026, 10, 9)),
            by_hand: "across the 2026 National Day holiday: Wednesday 2026-09-30; 1-7 October \
                      off, Thu 8 (1), Fri 9 (2)",
        },
        DeadlineRow {
            rule: "W3",
            office: Office::Wujiang,
            submitted: d(2026, 10, 9),
            due: Due::By(d(2026, 10, 12)),
            by_hand: "the make-up Saturday 10 October counts: Friday 2026-10-09; Sat 10 is a \
                      make-up working day (1), Mon 12 (2); without it, Tue 13",
        },
        DeadlineRow {
            rule: "W3",
            office: Office::Wujiang,
            submitted: d(2026, 9, 24),
            due: Due::By(d(2026, 9, 29)),
            by_hand: "across Mid-Autumn: Thursday 2026-09-24; Fri 25 to Sun 27 off, Mon 28 (1), \
                      Tue 29 (2)",
        },
        DeadlineRow {
            rule: "K6",
            office: Office::Kunshan,
            submitted: d(2026, 9, 18),
            due: Due::By(d(2026, 9, 20)),
            by_hand: "the next working day is the make-up Sunday: Friday 2026-09-18; Sat 19 off, \
                      Sun 20 worked (国庆节 调休)",
        },
        DeadlineRow {
            rule: "K6",
            office: Office::Kunshan,
            submitted: d(2026, 9, 30),
            due: Due::By(d(2026, 10, 8)),
            by_hand: "after the National Day holiday: Wednesday 2026-09-30; next working day \
                      Thursday 8 October",
        },
        DeadlineRow {
            rule: "K6",
            office: Office::Kunshan,
            submitted: d(2021, 10, 2),
            due: Due::By(d(2021, 10, 8)),
            by_hand: "in the 2021 holiday: Saturday 2021-10-02 (1-7 October off, Sat 9 October \
                      worked); next working day Fri 8 October",
        },
        DeadlineRow {
            rule: "H25",
            office: Office::Huaian,
            submitted: d(2026, 3, 2),
            due: Due::NotGivenBySource,
            by_hand: "Huai'an's sources give no approval deadline",
        },
    ];
    let calendar = calendar();
    let mut failures = Vec::new();
    for row in &rows {
        let got = approval_due_by(row.submitted, &calendar, &row.office.policy());
        let as_expected = match row.due {
            Due::By(day) => got == Ok(day),
            Due::NotGivenBySource => matches!(got, Err(FilingError::NotGivenBySource { .. })),
        };
        if !as_expected {
            failures.push(format!(
                "{} {:?}, submitted {}: expected {:?}, got {got:?} ({})",
                row.rule, row.office, row.submitted, row.due, row.by_hand
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn w3_deadline_in_a_year_without_a_notice_is_recorded_not_guessed() {
    // Thursday 2026-12-31: the second working day falls in 2027, whose notice is not published.
    let log = vec![submitted(
        "T1",
        d(2026, 12, 31),
        "other_temporary",
        "beijing",
        d(2026, 12, 31),
        NO_EXPIRY,
    )];
    let r = replay(&log, d(2026, 12, 31), &wujiang()).unwrap();
    assert!(matches!(
        state_of(&r, "T1"),
        FilingState::Submitted {
            approval_due: ApprovalDue::BeyondCalendar { year: 2027 },
            ..
        }
    ));
    assert!(matches!(
        approval_due_by(d(2026, 12, 31), &calendar(), &wujiang()),
        Err(FilingError::Calendar(_))
    ));
}

// ------------------------------------------------------------------ W6, H18 treatments

/// One episode of care with no filing in force, with its rule id and what the rule says.
struct UnfiledCareRow {
    rule: &'static str,
    office: Office,
    on: chrono::NaiveDate,
    area: &'static str,
    circumstance: Circumstance,
    treatment: RemoteCare,
    settlement: Option<Settlement>,
    region: Option<Region>,
    catalogue: Option<Side>,
    by_hand: &'static str,
}

#[test]
fn w1_w6_w8_h18_care_without_a_filing_table() {
    use Circumstance::{EmergencyRescue, Planned};
    let rows = [
        UnfiledCareRow {
            rule: "W6",
            office: Office::Wujiang,
            on: d(2026, 5, 6),
            area: "shanghai/pudong",
            circumstance: Planned,
            treatment: RemoteCare::ExemptAsReferral,
            settlement: Some(Settlement::Direct),
            region: Some(Region::CrossProvince),
            catalogue: None,
            by_hand: "Shanghai needs no filing and is treated as a referral",
        },
        UnfiledCareRow {
            rule: "W6",
            office: Office::Wujiang,
            on: d(2026, 5, 6),
            area: "shanghai/qingpu",
            circumstance: Planned,
            treatment: RemoteCare::RegionalSameCity,
            settlement: Some(Settlement::Direct),
            region: None,
            catalogue: None,
            by_hand: "Qingpu is in the regional same-city area",
        },
        UnfiledCareRow {
            rule: "W6",
            office: Office::Wujiang,
            on: d(2026, 5, 6),
            area: "zhejiang/jiaxing/jiashan",
            circumstance: Planned,
            treatment: RemoteCare::RegionalSameCity,
            settlement: None,
            region: None,
            catalogue: None,
            by_hand: "Jiashan is in the regional same-city area",
        },
        UnfiledCareRow {
            rule: "W8",
            office: Office::Wujiang,
            on: d(2026, 5, 6),
            area: "zhejiang/jiaxing/nanhu",
            circumstance: Planned,
            treatment: RemoteCare::Unfiled,
            settlement: Some(Settlement::ManualClaim),
            region: None,
            catalogue: Some(Side::InsuredPlace),
            by_hand: "elsewhere in Jiaxing: unfiled, claimed manually on the Suzhou catalogue",
        },
        UnfiledCareRow {
            rule: "W6",
            office: Office::Kunshan,
            on: d(2021, 5, 6),
            area: "shanghai",
            circumstance: Planned,
            treatment: RemoteCare::Unfiled,
            settlement: None,
            region: None,
            catalogue: None,
            by_hand: "Kunshan has no Shanghai exemption: unfiled",
        },
        UnfiledCareRow {
            rule: "W1",
            office: Office::Wujiang,
            on: d(2026, 5, 6),
            area: "jiangsu/suzhou/gusu",
            circumstance: Planned,
            treatment: RemoteCare::Local,
            settlement: None,
            region: Some(Region::Home),
            catalogue: None,
            by_hand: "care in Suzhou is local for Wujiang",
        },
        UnfiledCareRow {
            rule: "H18",
            office: Office::Huaian,
            on: d(2026, 5, 6),
            area: "beijing",
            circumstance: EmergencyRescue,
            treatment: RemoteCare::EmergencyRescue,
            settlement: Some(Settlement::Direct),
            region: None,
            catalogue: None,
            by_hand: "emergency rescue without a filing is treated as filed in Huai'an",
        },
    ];
    let mut failures = Vec::new();
    for row in &rows {
        let query = care_as(row.on, row.area, row.circumstance, Connection::Networked);
        let name = format!(
            "{} {:?} {} ({})",
            row.rule, row.office, row.area, row.by_hand
        );
        let a = match assess_care(&Register::empty(), &query, &row.office.policy()) {
            Ok(a) => a,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        if a.treatment != row.treatment {
            failures.push(format!(
                "{name}: treatment {:?}, expected {:?}",
                a.treatment, row.treatment
            ));
        }
        if row.settlement.is_some_and(|want| a.settlement != want) {
            failures.push(format!(
                "{name}: settlement {:?}, expected {:?}",
                a.settlement, row.settlement
            ));
        }
        if row.region.is_some_and(|want| a.region != want) {
            failures.push(format!(
                "{name}: region {:?}, expected {:?}",
                a.region, row.region
            ));
        }
        if row
            .catalogue
            .is_some_and(|want| a.catalogue.catalogue != want)
        {
            failures.push(format!(
                "{name}: catalogue {:?}, expected {:?}",
                a.catalogue.catalogue, row.catalogue
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn w5_long_term_filing_covers_its_place_only() {
    let r = replay(&long_term_log(), d(2026, 2, 1), &wujiang()).unwrap();
    let w = wujiang();
    let a = assess_care(&r, &care(d(2026, 2, 1), "beijing/haidian"), &w).unwrap();
    assert_eq!(
        (a.treatment, a.filing),
        (RemoteCare::LongTermFiled, Some(id("L1")))
    );
    let a = assess_care(&r, &care(d(2026, 2, 1), "tianjin"), &w).unwrap();
    assert_eq!(a.treatment, RemoteCare::Unfiled);
}

#[test]
fn w5_unfiled_emergency_rescue_in_wujiang_is_not_given_by_the_source() {
    let query = care_as(
        d(2026, 5, 6),
        "beijing",
        Circumstance::EmergencyRescue,
        Connection::Networked,
    );
    let err = assess_care(&Register::empty(), &query, &wujiang()).unwrap_err();
    assert!(matches!(err, FilingError::NotGivenBySource { .. }), "{err}");
}

#[test]
fn k8_kunshan_filing_without_a_validity_is_in_force_until_cancelled_with_a_note() {
    // The Kunshan guide gives no validity for filings (K6); the K8 Reading: in force from its
    // start until cancelled, and the answer says the source gives no validity.
    let log = vec![
        submitted(
            "K1",
            d(2021, 3, 1),
            "referral",
            "beijing",
            d(2021, 3, 1),
            NO_EXPIRY,
        ),
        event("K1", d(2021, 3, 2), r#""approved""#),
    ];
    // Asked on 5 March and on 31 December (no term end is ever reached): covered, a referral.
    for day in [d(2021, 3, 5), d(2021, 12, 31)] {
        let r = replay(&log, day, &kunshan()).unwrap();
        let care = assess_care(&r, &care(day, "beijing"), &kunshan()).unwrap();
        assert_eq!(care.treatment, RemoteCare::Referral);
        assert_eq!(
            care.notes,
            [
                "filing K1: the Kunshan 2021 guide gives no validity for referral filings; it is read as in force from its start 2021-03-01 until cancelled"
            ]
        );
        let state = r.filing(&"K1".parse().unwrap()).unwrap();
        assert!(matches!(state, FilingState::Active { .. }), "{state:?}");
        assert_eq!(state.term().and_then(|t| t.last_day()), None);
    }
    // Before its start the filing does not cover the day, and there is no note.
    let r = replay(&log, d(2021, 3, 2), &kunshan()).unwrap();
    let before = assess_care(&r, &care(d(2021, 2, 28), "beijing"), &kunshan());
    assert!(before.is_ok_and(|c| c.treatment == RemoteCare::Unfiled && c.notes.is_empty()));
    // The guide says nothing on cancelling: a cancellation is refused, not guessed.
    let mut cancelled = log.clone();
    cancelled.push(event("K1", d(2021, 6, 1), r#""cancelled""#));
    let err = replay(&cancelled, d(2021, 6, 1), &kunshan()).unwrap_err();
    assert!(matches!(err, FilingError::NotGivenBySource { .. }), "{err}");
}

#[test]
fn h25_huaian_filing_validity_is_still_not_given_and_the_query_says_so() {
    // No Reading decides Huai'an's validity: asking needs it, and is refused.
    let log = vec![
        submitted(
            "H1",
            d(2026, 3, 2),
            "referral",
            "beijing",
            d(2026, 3, 10),
            NO_EXPIRY,
        ),
        event("H1", d(2026, 3, 3), r#""approved""#),
    ];
    let r = replay(&log, d(2026, 4, 1), &huaian()).unwrap();
    let err = assess_care(&r, &care(d(2026, 4, 1), "beijing"), &huaian()).unwrap_err();
    assert!(matches!(err, FilingError::NotGivenBySource { .. }), "{err}");
}

// ------------------------------------------------------------------ K8, W9 catalogue

#[test]
fn k8_w9_in_province_uses_the_insured_places_catalogue_and_policy() {
    let log = vec![
        submitted(
            "T1",
            d(2026, 3, 2),
            "other_temporary",
            "jiangsu/nanjing",
            d(2026, 3, 2),
            NO_EXPIRY,
        ),
        event("T1", d(2026, 3, 3), r#""approved""#),
    ];
    let r = replay(&log, d(2026, 3, 3), &wujiang()).unwrap();
    let a = assess_care(&r, &care(d(2026, 3, 10), "jiangsu/nanjing"), &wujiang()).unwrap();
    assert_eq!(a.region, Region::InProvince);
    assert_eq!(
        (a.catalogue.catalogue, a.catalogue.policy),
        (Side::InsuredPlace, Side::InsuredPlace)
    );
    assert_eq!(a.treatment, RemoteCare::TemporaryFiled);
}

#[test]
fn k8_w9_cross_province_uses_the_treatment_places_catalogue_and_insured_policy() {
    let r = replay(&long_term_log(), d(2026, 2, 1), &wujiang()).unwrap();
    let a = assess_care(&r, &care(d(2026, 2, 1), "beijing"), &wujiang()).unwrap();
    assert_eq!(
        (a.catalogue.catalogue, a.catalogue.policy),
        (Side::TreatmentPlace, Side::InsuredPlace)
    );
    assert!(a.trace.iter().any(|s| s.rule.to_string() == "K8"));
    // The same care claimed manually after a settlement failure: Suzhou's catalogue (W8).
    let failed = care_as(
        d(2026, 2, 1),
        "beijing",
        Circumstance::Planned,
        Connection::NotSettled,
    );
    let a = assess_care(&r, &failed, &wujiang()).unwrap();
    assert_eq!(
        (a.settlement, a.catalogue.catalogue),
        (Settlement::ManualClaim, Side::InsuredPlace)
    );
}

// ------------------------------------------------------------------ W7, K7 manual-claim deadlines

#[test]
fn w7_manual_claim_for_31_december_runs_to_the_end_of_the_next_year() {
    let deadline = manual_claim_deadline(d(2026, 12, 31), &wujiang()).unwrap();
    assert_eq!(
        (deadline.regular_until, deadline.final_day),
        (d(2026, 12, 31), d(2027, 12, 31))
    );
    let y = |n| PolicyYear::new(n).unwrap();
    assert_eq!(
        deadline.timing(d(2026, 12, 31)),
        Ok(ClaimTiming::OnTime { counts_in: y(2026) })
    );
    assert_eq!(
        deadline.timing(d(2027, 1, 1)),
        Ok(ClaimTiming::Late { counts_in: y(2027) })
    );
    assert_eq!(
        deadline.timing(d(2027, 12, 31)),
        Ok(ClaimTiming::Late { counts_in: y(2027) })
    );
    assert_eq!(
        deadline.timing(d(2028, 1, 1)),
        Ok(ClaimTiming::Closed {
            final_day: d(2027, 12, 31)
        })
    );
}

#[test]
fn k7_claims_close_30_december_late_until_end_of_next_year() {
    let deadline = manual_claim_deadline(d(2021, 3, 1), &kunshan()).unwrap();
    let y = |n| PolicyYear::new(n).unwrap();
    assert_eq!(deadline.regular_until, d(2021, 12, 30));
    assert_eq!(
        deadline.timing(d(2021, 12, 30)),
        Ok(ClaimTiming::OnTime { counts_in: y(2021) })
    );
    // 31 December is already late, but processed in 2021 it counts in 2021.
    assert_eq!(
        deadline.timing(d(2021, 12, 31)),
        Ok(ClaimTiming::Late { counts_in: y(2021) })
    );
    assert_eq!(
        deadline.timing(d(2022, 12, 31)),
        Ok(ClaimTiming::Late { counts_in: y(2022) })
    );
    assert_eq!(
        deadline.timing(d(2023, 1, 1)),
        Ok(ClaimTiming::Closed {
            final_day: d(2022, 12, 31)
        })
    );
}

#[test]
fn h25_huaian_gives_no_manual_claim_deadline() {
    assert!(matches!(
        manual_claim_deadline(d(2026, 3, 1), &huaian()),
        Err(FilingError::NotGivenBySource { .. })
    ));
}

// ------------------------------------------------------------------ bad input

#[test]
fn events_out_of_time_order_are_refused() {
    let log = vec![
        submitted(
            "T1",
            d(2026, 3, 2),
            "other_temporary",
            "beijing",
            d(2026, 3, 2),
            NO_EXPIRY,
        ),
        event("T1", d(2026, 3, 1), r#""approved""#),
    ];
    let err = replay(&log, d(2026, 3, 2), &wujiang()).unwrap_err();
    assert!(
        matches!(err, FilingError::OutOfOrder { on, previous, .. } if on == d(2026, 3, 1) && previous == d(2026, 3, 2)),
        "{err}"
    );
    assert!(matches!(
        replay_filing(&id("T1"), &log, d(2026, 3, 2), &calendar(), &wujiang()),
        Err(FilingError::OutOfOrder { .. })
    ));
}

#[test]
fn an_event_of_another_filing_is_refused() {
    let log = vec![
        submitted(
            "T1",
            d(2026, 3, 2),
            "other_temporary",
            "beijing",
            d(2026, 3, 2),
            NO_EXPIRY,
        ),
        event("T2", d(2026, 3, 3), r#""approved""#),
    ];
    let err = replay_filing(&id("T1"), &log, d(2026, 3, 3), &calendar(), &wujiang()).unwrap_err();
    assert_eq!(
        err,
        FilingError::ForeignEvent {
            expected: id("T1"),
            found: id("T2")
        }
    );
    let state =
        replay_filing(&id("T1"), &log[..1], d(2026, 3, 2), &calendar(), &wujiang()).unwrap();
    assert!(matches!(
        apply(&state, &log[1], &calendar(), &wujiang()),
        Err(FilingError::ForeignEvent { .. })
    ));
}

#[test]
fn unknown_place_and_type_are_refused() {
    assert!(matches!(
        "shangai/qingpu".parse::<Area>(),
        Err(FilingError::UnknownPlace { .. })
    ));
    assert!(matches!(
        "Shanghai".parse::<Area>(),
        Err(FilingError::UnknownPlace { .. })
    ));
    assert!(matches!(
        "retiree".parse::<FilingType>(),
        Err(FilingError::UnknownFilingType { .. })
    ));
    let bad: Result<FilingEvent, _> = serde_json::from_str(
        r#"{"filing": "X", "on": "2026-03-02", "kind": {"submitted": {"filing_type": "referral", "area": "atlantis", "start": "2026-03-02", "basis": "commitment_letter"}}}"#,
    );
    assert!(bad.unwrap_err().to_string().contains("atlantis"));
    // A type the jurisdiction does not offer: Kunshan names no resettled retirees.
    let log = vec![submitted(
        "K1",
        d(2021, 3, 1),
        "resettled_retiree",
        "beijing",
        d(2021, 3, 1),
        NO_EXPIRY,
    )];
    let err = replay(&log, d(2021, 3, 1), &kunshan()).unwrap_err();
    assert!(
        matches!(
            err,
            FilingError::TypeNotOffered {
                filing_type: FilingType::ResettledRetiree,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn k6_a_filing_starts_no_earlier_than_its_submission_except_emergency_rescue() {
    let log = vec![submitted(
        "T1",
        d(2026, 3, 2),
        "referral",
        "beijing",
        d(2026, 3, 1),
        NO_EXPIRY,
    )];
    assert!(matches!(
        replay(&log, d(2026, 3, 2), &wujiang()),
        Err(FilingError::StartBeforeSubmission { .. })
    ));
    let log = vec![submitted(
        "E1",
        d(2026, 3, 2),
        "emergency_rescue",
        "beijing",
        d(2026, 3, 1),
        NO_EXPIRY,
    )];
    assert!(replay(&log, d(2026, 3, 2), &huaian()).is_ok());
}

#[test]
fn a_filing_for_the_home_area_is_refused() {
    let log = vec![submitted(
        "T1",
        d(2026, 3, 2),
        "referral",
        "jiangsu/suzhou/gusu",
        d(2026, 3, 2),
        NO_EXPIRY,
    )];
    assert!(matches!(
        replay(&log, d(2026, 3, 2), &wujiang()),
        Err(FilingError::HomeAreaFiling { .. })
    ));
}

#[test]
fn illegal_transitions_name_state_and_event() {
    let log = vec![
        submitted(
            "T1",
            d(2026, 3, 2),
            "referral",
            "beijing",
            d(2026, 3, 2),
            NO_EXPIRY,
        ),
        event(
            "T1",
            d(2026, 3, 3),
            r#"{"rejected": {"reason": "no referral letter"}}"#,
        ),
        event("T1", d(2026, 3, 4), r#""approved""#),
    ];
    let err = replay(&log, d(2026, 3, 4), &wujiang()).unwrap_err();
    insta::assert_snapshot!(err, @"filing T1: event `approved` on 2026-03-04 is not allowed in state `rejected`");
    let never = vec![event("T9", d(2026, 3, 4), r#""cancelled""#)];
    let err = replay(&never, d(2026, 3, 4), &wujiang()).unwrap_err();
    assert!(matches!(
        err,
        FilingError::IllegalTransition {
            state: "not_submitted",
            event: "cancelled",
            ..
        }
    ));
}

#[test]
fn replay_traces_every_step_with_its_rule() {
    let r = replay(&commitment_log(), d(2026, 3, 17), &wujiang()).unwrap();
    let rules: Vec<String> = r.trace().iter().map(|s| s.rule.to_string()).collect();
    // submitted (W3), approved and active (W4), lapsed (W4).
    assert_eq!(rules, ["W3", "W4", "W4"]);
    assert!(
        r.trace()[0].render().contains("due by 2026-03-04"),
        "{:?}",
        r.trace()
    );
}
