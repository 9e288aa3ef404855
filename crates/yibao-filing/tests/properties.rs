//! Property tests over random event sequences (Wujiang rules, real 2025–2027 calendar).

// Test helpers outside #[test] functions may panic: a failing helper is a failing test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::NaiveDate;
use common::*;
use proptest::prelude::*;
use yibao_filing::{Basis, EventKind, FilingEvent, FilingState, Register};

const IDS: [&str; 3] = ["F1", "F2", "F3"];
const TYPES: [&str; 6] = [
    "resettled_retiree",
    "long_term_resident",
    "stationed_worker",
    "referral",
    "emergency_rescue",
    "other_temporary",
];

fn kind() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (0..TYPES.len(), 0_i64..20, 0_u8..3, 0_i64..500).prop_map(|(t, start_in, basis, doc)| {
            format!("submitted:{t}:{start_in}:{basis}:{doc}")
        }),
        3 => Just("approved".to_owned()),
        1 => Just("rejected".to_owned()),
        2 => (0_i64..500).prop_map(|doc| format!("materials:{doc}")),
        1 => Just("cancelled".to_owned()),
    ]
}

/// (filing index, days after the previous event, kind)
fn log() -> impl Strategy<Value = Vec<(usize, i64, String)>> {
    proptest::collection::vec((0..IDS.len(), 0_i64..12, kind()), 0..30)
}

fn build(raw: &[(usize, i64, String)]) -> Vec<FilingEvent> {
    let mut day = d(2025, 12, 1);
    let mut out = Vec::new();
    for (i, gap, kind) in raw {
        day += chrono::Duration::days(*gap);
        let filing = IDS[*i % IDS.len()];
        let parts: Vec<&str> = kind.split(':').collect();
        let event = match parts.as_slice() {
            ["submitted", t, start_in, basis, doc] => {
                let t = TYPES[t.parse::<usize>().unwrap_or(0) % TYPES.len()];
                let start = day + chrono::Duration::days(start_in.parse().unwrap_or(0));
                let doc_day = start + chrono::Duration::days(doc.parse().unwrap_or(0));
                let basis = match *basis {
                    "0" => COMMITMENT.to_owned(),
                    "1" => NO_EXPIRY.to_owned(),
                    _ => expires(doc_day),
                };
                submitted(filing, day, t, "beijing", start, &basis)
            }
            ["materials", doc] => {
                let doc_day = day + chrono::Duration::days(doc.parse().unwrap_or(0));
                event(
                    filing,
                    day,
                    &format!(
                        r#"{{"materials_supplied": {{"document": {{"expires_on": "{doc_day}"}}}}}}"#
                    ),
                )
            }
            ["rejected"] => event(filing, day, r#"{"rejected": {"reason": "test"}}"#),
            [other] => event(filing, day, &format!(r#""{other}""#)),
            _ => event(filing, day, r#""approved""#),
        };
        out.push(event);
    }
    out
}

/// Applies the events one by one, keeping those the register accepts.
fn accept(events: &[FilingEvent]) -> (Register, Vec<FilingEvent>) {
    let cal = calendar();
    let policy = wujiang();
    let mut register = Register::empty();
    let mut accepted = Vec::new();
    for event in events {
        if let Ok(next) = register.apply(event, &cal, &policy) {
            register = next;
            accepted.push(event.clone());
        }
    }
    (register, accepted)
}

fn active_within_term(register: &Register) -> Result<(), TestCaseError> {
    let Some(as_of) = register.as_of() else {
        return Ok(());
    };
    for (id, state) in register.filings() {
        if let FilingState::Active { term, .. } = state {
            prop_assert!(
                term.start() <= as_of,
                "{id} active before its start: {state:?} as of {as_of}"
            );
            if let Some(last) = term.last_day() {
                prop_assert!(
                    as_of <= last,
                    "{id} active after its last day: {state:?} as of {as_of}"
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(yibao_core::strategies::cases(64)))]

    #[test]
    fn replay_is_deterministic(raw in log(), extra in 0_i64..400) {
        let events = build(&raw);
        let (incremental, accepted) = accept(&events);
        let as_of = incremental.as_of().unwrap_or(d(2025, 12, 1)) + chrono::Duration::days(extra);
        let cal = calendar();
        let policy = wujiang();
        let once = Register::replay(&accepted, as_of, &cal, &policy);
        let twice = Register::replay(&accepted, as_of, &cal, &policy);
        prop_assert!(once.is_ok(), "{once:?}");
        prop_assert_eq!(&once, &twice);
        let stepwise = incremental.advance_to(as_of, &policy);
        prop_assert_eq!(once.map(|r| r.filings().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>()),
                        stepwise.map(|r| r.filings().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>()));
    }

    #[test]
    fn no_sequence_yields_an_active_filing_outside_its_validity(raw in log(), later in proptest::collection::vec(0_i64..400, 1..5)) {
        let events = build(&raw);
        let (register, _) = accept(&events);
        active_within_term(&register)?;
        let policy = wujiang();
        let mut day = register.as_of().unwrap_or(d(2025, 12, 1));
        for gap in later {
            day += chrono::Duration::days(gap);
            let moved = register.advance_to(day, &policy).map_err(|e| TestCaseError::fail(e.to_string()))?;
            active_within_term(&moved)?;
        }
    }

    #[test]
    fn a_barred_person_never_gets_a_commitment_filing(raw in log()) {
        let events = build(&raw);
        let (register, accepted) = accept(&events);
        let bars: Vec<NaiveDate> = register
            .filings()
            .filter_map(|(_, s)| match s { FilingState::Lapsed { void_from, .. } => Some(*void_from), _ => None })
            .collect();
        for event in &accepted {
            if let EventKind::Submitted { basis: Basis::CommitmentLetter, .. } = event.kind {
                for void_from in &bars {
                    prop_assert!(event.on < *void_from,
                        "commitment filing {} on {} after a lapse void from {void_from}", event.filing, event.on);
                }
            }
        }
    }
}
