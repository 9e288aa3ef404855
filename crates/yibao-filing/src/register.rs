//! A person's filings, derived by replaying their event log; the commitment-letter bar (W4).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use yibao_core::WorkingDayCalendar;

use crate::error::FilingError;
use crate::machine::{Basis, EventKind, FilingEvent, FilingId, FilingState, advance, apply};
use crate::policy::FilingPolicy;

/// One explained step: the rule it applied, a sentence with its figures
/// ([`yibao_core::Step`], rendered at the edge).
pub use yibao_core::Step;

/// All filings of one person, as of a day: the result of replaying their event log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Register {
    filings: BTreeMap<FilingId, FilingState>,
    as_of: Option<NaiveDate>,
    #[serde(serialize_with = "yibao_core::step::described")]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "yibao_core::schema::described_steps")
    )]
    trace: Vec<Step>,
}

/// A commitment-letter filing that lapsed, barring the person from filing on a commitment
/// letter again (W4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CommitmentBar {
    /// The filing that lapsed.
    pub lapsed: FilingId,
    /// Its first void day.
    pub void_from: NaiveDate,
}

impl Register {
    /// A person with no filing.
    pub fn empty() -> Register {
        Register {
            filings: BTreeMap::new(),
            as_of: None,
            trace: Vec::new(),
        }
    }

    /// Replays a person's whole log (every filing, in time order), then moves every filing on
    /// to `as_of`. The same log always gives the same register.
    ///
    /// # Errors
    /// [`FilingError::OutOfOrder`] for events out of time order,
    /// [`FilingError::AsOfBeforeLastEvent`] for `as_of` before the last event; [`FilingError::CommitmentBarred`] for a commitment letter after a lapse; every
    /// error of [`apply`].
    pub fn replay(
        events: &[FilingEvent],
        as_of: NaiveDate,
        calendar: &WorkingDayCalendar,
        policy: &FilingPolicy,
    ) -> Result<Register, FilingError> {
        let mut register = Register::empty();
        for event in events {
            register = register.apply(event, calendar, policy)?;
        }
        register.advance_to(as_of, policy)
    }

    /// The register after one more event.
    ///
    /// # Errors
    /// As [`Register::replay`].
    pub fn apply(
        &self,
        event: &FilingEvent,
        calendar: &WorkingDayCalendar,
        policy: &FilingPolicy,
    ) -> Result<Register, FilingError> {
        if let Some(previous) = self.as_of.filter(|p| event.on < *p) {
            return Err(FilingError::OutOfOrder {
                filing: event.filing.clone(),
                event: event.kind.name(),
                on: event.on,
                previous,
            });
        }
        let mut next = self.advance_to(event.on, policy)?;
        if let EventKind::Submitted {
            basis: Basis::CommitmentLetter,
            ..
        } = &event.kind
        {
            if let Some(bar) = next.commitment_bar() {
                return Err(FilingError::CommitmentBarred {
                    filing: event.filing.clone(),
                    lapsed: bar.lapsed,
                    void_from: bar.void_from,
                    rule: policy.commitment.rules.first(),
                });
            }
        }
        let before = next
            .filings
            .get(&event.filing)
            .cloned()
            .unwrap_or(FilingState::NotSubmitted);
        let after = apply(&before, event, calendar, policy)?;
        next.trace.push(step_for(&after, policy));
        next.filings.insert(event.filing.clone(), after);
        Ok(next)
    }

    /// The register moved on to `date` by the passing of time.
    ///
    /// # Errors
    /// [`FilingError::AsOfBeforeLastEvent`] when `date` comes before the register's day.
    pub fn advance_to(
        &self,
        date: NaiveDate,
        policy: &FilingPolicy,
    ) -> Result<Register, FilingError> {
        if let Some(previous) = self.as_of.filter(|p| date < *p) {
            return Err(FilingError::AsOfBeforeLastEvent {
                as_of: date,
                previous,
            });
        }
        let mut next = self.clone();
        next.as_of = Some(date);
        for (id, state) in &self.filings {
            let moved = advance(state, date, policy)?;
            if moved != *state {
                next.trace.push(step_for(&moved, policy));
                next.filings.insert(id.clone(), moved);
            }
        }
        Ok(next)
    }

    /// The day the register is as of (the last event's day, or later); `None` when empty.
    pub fn as_of(&self) -> Option<NaiveDate> {
        self.as_of
    }

    /// One filing's state.
    pub fn filing(&self, id: &FilingId) -> Option<&FilingState> {
        self.filings.get(id)
    }

    /// Every filing, by id.
    pub fn filings(&self) -> impl Iterator<Item = (&FilingId, &FilingState)> {
        self.filings.iter()
    }

    /// The lapse that bars this person from commitment-letter filings, if any (the earliest).
    pub fn commitment_bar(&self) -> Option<CommitmentBar> {
        self.filings
            .iter()
            .filter_map(|(id, state)| match state {
                FilingState::Lapsed { void_from, .. } => Some(CommitmentBar {
                    lapsed: id.clone(),
                    void_from: *void_from,
                }),
                FilingState::NotSubmitted
                | FilingState::Submitted { .. }
                | FilingState::Rejected { .. }
                | FilingState::Approved { .. }
                | FilingState::Active { .. }
                | FilingState::Expired { .. }
                | FilingState::Cancelled { .. } => None,
            })
            .min_by_key(|bar| bar.void_from)
    }

    /// What happened, step by step, with the rule of each step.
    pub fn trace(&self) -> &[Step] {
        &self.trace
    }
}

fn step_for(state: &FilingState, policy: &FilingPolicy) -> Step {
    let rule = match state {
        FilingState::NotSubmitted
        | FilingState::Submitted { .. }
        | FilingState::Rejected { .. } => policy.approval.rules.first(),
        FilingState::Lapsed { .. } => policy.commitment.rules.first(),
        FilingState::Approved { .. }
        | FilingState::Active { .. }
        | FilingState::Expired { .. }
        | FilingState::Cancelled { .. } => policy.validity.rules.first(),
    };
    state.step(rule)
}
