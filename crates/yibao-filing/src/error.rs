//! The crate's one error type.

use chrono::NaiveDate;
use yibao_core::{CalendarError, DateError, RuleId};

use crate::machine::{FilingId, FilingType};

/// Why a filing event, a replay or a query was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FilingError {
    /// Occurs when an event is not allowed in the filing's current state (a Wujiang long-term
    /// filing cancelled within 6 months is [`FilingError::CancelTooEarly`] instead).
    #[error("filing {filing}: event `{event}` on {on} is not allowed in state `{state}`")]
    IllegalTransition {
        /// The filing.
        filing: FilingId,
        /// The state's name, e.g. `lapsed`.
        state: &'static str,
        /// The event's name, e.g. `materials_supplied`.
        event: &'static str,
        /// The event's date.
        on: NaiveDate,
    },
    /// Occurs when an event is dated before the event replayed before it.
    #[error(
        "event `{event}` of filing {filing} on {on} comes after an event on {previous}: events must be in time order"
    )]
    OutOfOrder {
        /// The filing of the late-listed event.
        filing: FilingId,
        /// The event's name.
        event: &'static str,
        /// The event's date.
        on: NaiveDate,
        /// The date of the event before it.
        previous: NaiveDate,
    },
    /// Occurs when a state is asked for as of a day before the last event replayed.
    #[error("cannot look at filings as of {as_of}: an event on {previous} was already replayed")]
    AsOfBeforeLastEvent {
        /// The day asked for.
        as_of: NaiveDate,
        /// The last event's day.
        previous: NaiveDate,
    },
    /// Occurs when a filing's log holds an event of another filing.
    #[error("the log of filing {expected} holds an event of filing {found}")]
    ForeignEvent {
        /// The filing being replayed.
        expected: FilingId,
        /// The filing the event belongs to.
        found: FilingId,
    },
    /// Occurs when the supporting document expires before the filing starts.
    #[error(
        "filing {filing}: the supporting document expires on {expires}, before the filing starts on {start}"
    )]
    DocumentExpiresBeforeStart {
        /// The filing.
        filing: FilingId,
        /// The document's last valid day.
        expires: NaiveDate,
        /// The filing's start.
        start: NaiveDate,
    },
    /// Occurs when a filing (other than emergency rescue) starts before it is submitted: care
    /// is filed first and sought after (K6 注(1) 先备案后就医).
    #[error(
        "filing {filing}: a {filing_type} filing cannot start on {start}, before its submission on {submitted} (file first, then seek care; rule {rule})"
    )]
    StartBeforeSubmission {
        /// The filing.
        filing: FilingId,
        /// Its type.
        filing_type: FilingType,
        /// The requested start.
        start: NaiveDate,
        /// The submission date.
        submitted: NaiveDate,
        /// The rule that decides.
        rule: RuleId,
    },
    /// Occurs when a long-term filing is cancelled before start + N months (W4: 6).
    #[error(
        "filing {filing}: a long-term filing started on {start} cannot be cancelled on {on}; cancellation is possible from {allowed_from} (rule {rule})"
    )]
    CancelTooEarly {
        /// The filing.
        filing: FilingId,
        /// The filing's start.
        start: NaiveDate,
        /// The cancellation date asked for.
        on: NaiveDate,
        /// The first day a cancellation is allowed.
        allowed_from: NaiveDate,
        /// The rule that decides.
        rule: RuleId,
    },
    /// Occurs when a person whose commitment-letter filing lapsed files on a commitment letter
    /// again (W4: 不再享受承诺制备案服务).
    #[error(
        "filing {filing}: this person may not file on a commitment letter again: filing {lapsed} lapsed on {void_from} without its materials (rule {rule})"
    )]
    CommitmentBarred {
        /// The refused filing.
        filing: FilingId,
        /// The earlier filing that lapsed.
        lapsed: FilingId,
        /// The day it became void.
        void_from: NaiveDate,
        /// The rule that decides.
        rule: RuleId,
    },
    /// Occurs when a filing names a place inside the insured place's own home area.
    #[error(
        "filing {filing}: `{area}` lies inside the home area `{home}`; care there needs no filing"
    )]
    HomeAreaFiling {
        /// The filing.
        filing: FilingId,
        /// The place filed for.
        area: crate::place::Area,
        /// The home area.
        home: crate::place::Area,
    },
    /// Occurs when a filing id is empty or longer than 64 characters.
    #[error("`{text}` is not a filing id (1 to 64 characters)")]
    MalformedFilingId {
        /// The text as given.
        text: String,
    },
    /// Occurs when a text names no filing type.
    #[error(
        "`{text}` is not a filing type (expected one of resettled_retiree, long_term_resident, stationed_worker, referral, emergency_rescue, other_temporary)"
    )]
    UnknownFilingType {
        /// The text as given.
        text: String,
    },
    /// Occurs when the jurisdiction's policy data does not offer a filing type.
    #[error(
        "the jurisdiction's filing rules offer no `{filing_type}` filing (they offer: {offered})"
    )]
    TypeNotOffered {
        /// The type asked for.
        filing_type: FilingType,
        /// The types offered, comma-separated.
        offered: String,
    },
    /// Occurs when a place is not `province/city/...` with a known province-level division.
    #[error("`{text}` is not a known place: {why}")]
    UnknownPlace {
        /// The text as given.
        text: String,
        /// What is wrong.
        why: String,
    },
    /// Occurs when the sources do not give a rule the computation needs.
    #[error("the sources do not give {what}: {note}")]
    NotGivenBySource {
        /// What is missing, e.g. "the validity of a temporary filing".
        what: &'static str,
        /// The policy data's note.
        note: String,
    },
    /// Occurs when a date computation leaves the supported calendar.
    #[error(transparent)]
    Date(#[from] DateError),
    /// Occurs when the working-day calendar cannot answer.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}
