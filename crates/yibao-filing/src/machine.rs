//! The filing lifecycle: events, states and the one transition function [`apply`].

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use yibao_core::{RuleId, Step, WorkingDayCalendar, add_days, add_months};

use crate::error::FilingError;
use crate::place::Area;
use crate::policy::{
    ApprovalDeadline, CommitmentLetter, FilingPolicy, LongTermCancellation, LongTermValidity,
    TemporaryCancellation, TemporaryValidity,
};

/// Identifies one filing in a host application's records (1 to 64 characters).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(try_from = "String", into = "String")]
pub struct FilingId(String);

impl FilingId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for FilingId {
    type Error = FilingError;
    fn try_from(text: String) -> Result<FilingId, FilingError> {
        if text.trim().is_empty() || text.chars().count() > 64 {
            return Err(FilingError::MalformedFilingId {
                text: yibao_core::quoted(&text).to_string(),
            });
        }
        Ok(FilingId(text))
    }
}

impl FromStr for FilingId {
    type Err = FilingError;
    fn from_str(text: &str) -> Result<FilingId, FilingError> {
        FilingId::try_from(text.to_owned())
    }
}

impl From<FilingId> for String {
    fn from(id: FilingId) -> String {
        id.0
    }
}

impl fmt::Display for FilingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The six filing types of W1 (H25 / Q81 names the same six).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FilingType {
    /// 异地安置退休人员 (long-term).
    ResettledRetiree,
    /// 异地长期居住人员 (long-term).
    LongTermResident,
    /// 常驻异地工作人员 (long-term).
    StationedWorker,
    /// 异地转诊人员 (temporary).
    Referral,
    /// 异地急诊抢救人员 (temporary).
    EmergencyRescue,
    /// 其他临时外出就医人员 (temporary).
    OtherTemporary,
}

/// Long-term or temporary (W1: 长期异地居住人员 / 临时外出就医人员).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Category {
    /// Resettled retirees, long-term residents, stationed workers.
    LongTerm,
    /// Referral, emergency rescue, other temporary.
    Temporary,
}

impl FilingType {
    /// Every type, in declaration order.
    pub const ALL: [FilingType; 6] = [
        FilingType::ResettledRetiree,
        FilingType::LongTermResident,
        FilingType::StationedWorker,
        FilingType::Referral,
        FilingType::EmergencyRescue,
        FilingType::OtherTemporary,
    ];

    /// The type's category (W1).
    pub fn category(self) -> Category {
        match self {
            FilingType::ResettledRetiree
            | FilingType::LongTermResident
            | FilingType::StationedWorker => Category::LongTerm,
            FilingType::Referral | FilingType::EmergencyRescue | FilingType::OtherTemporary => {
                Category::Temporary
            }
        }
    }

    /// The snake_case name used in data.
    pub fn as_str(self) -> &'static str {
        match self {
            FilingType::ResettledRetiree => "resettled_retiree",
            FilingType::LongTermResident => "long_term_resident",
            FilingType::StationedWorker => "stationed_worker",
            FilingType::Referral => "referral",
            FilingType::EmergencyRescue => "emergency_rescue",
            FilingType::OtherTemporary => "other_temporary",
        }
    }
}

impl FromStr for FilingType {
    type Err = FilingError;
    fn from_str(text: &str) -> Result<FilingType, FilingError> {
        FilingType::ALL
            .into_iter()
            .find(|t| t.as_str() == text)
            .ok_or_else(|| FilingError::UnknownFilingType {
                text: yibao_core::quoted(text).to_string(),
            })
    }
}

impl fmt::Display for FilingType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The supporting document's term (W4: a long-term filing lasts as long as its document).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentTerm {
    /// Valid up to and including this day (e.g. a residence permit's expiry).
    ExpiresOn(NaiveDate),
    /// The document does not expire (e.g. a household register, 户口簿).
    NoExpiry,
}

/// What the application rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Basis {
    /// The materials of W2, with the supporting document's term.
    Materials {
        /// The supporting document's term.
        document: DocumentTerm,
    },
    /// A personal commitment letter (个人承诺书) instead of the materials (W4).
    CommitmentLetter,
}

/// One event of a filing's life, as a host application stores it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FilingEvent {
    /// The filing it belongs to.
    pub filing: FilingId,
    /// The day it happened.
    #[serde(deserialize_with = "yibao_core::deserialize_date")]
    pub on: NaiveDate,
    /// What happened.
    pub kind: EventKind,
}

impl FilingEvent {
    /// `kind` happened to `filing` on `on`.
    pub fn new(filing: FilingId, on: NaiveDate, kind: EventKind) -> FilingEvent {
        FilingEvent { filing, on, kind }
    }
}

/// What happened to a filing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum EventKind {
    /// The person (or a family member, or the hospital) applied.
    Submitted {
        /// The filing type.
        filing_type: FilingType,
        /// The place of care filed for (就医地).
        area: Area,
        /// The chosen start (备案开始日期).
        #[serde(deserialize_with = "yibao_core::deserialize_date")]
        start: NaiveDate,
        /// Materials or a commitment letter.
        basis: Basis,
    },
    /// The office approved the filing.
    Approved,
    /// The office rejected the filing.
    Rejected {
        /// The office's reason.
        reason: String,
    },
    /// The materials of a commitment-letter filing were supplied (补齐材料).
    MaterialsSupplied {
        /// The supporting document's term.
        document: DocumentTerm,
    },
    /// The person cancelled the filing (取消备案).
    Cancelled,
}

impl EventKind {
    /// The snake_case name, as in error messages.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Submitted { .. } => "submitted",
            EventKind::Approved => "approved",
            EventKind::Rejected { .. } => "rejected",
            EventKind::MaterialsSupplied { .. } => "materials_supplied",
            EventKind::Cancelled => "cancelled",
        }
    }
}

/// A submitted application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Application {
    /// The filing.
    pub filing: FilingId,
    /// Its type.
    pub filing_type: FilingType,
    /// The place of care filed for.
    pub area: Area,
    /// The chosen start.
    pub start: NaiveDate,
    /// The submission day.
    pub submitted_on: NaiveDate,
    /// Materials or a commitment letter (updated when materials are supplied).
    pub basis: Basis,
}

/// When the decision on a filing is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApprovalDue {
    /// By the end of this day (W3: 2 working days; K6: the next working day).
    By(NaiveDate),
    /// The jurisdiction's source gives no deadline.
    NotGivenBySource,
    /// The deadline falls in a year whose holiday notice is not published yet.
    BeyondCalendar {
        /// The year without a notice.
        year: i32,
    },
}

/// The last day of a filing's term.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LastDay {
    /// Valid up to and including this day.
    On(NaiveDate),
    /// The supporting document does not expire.
    Open,
    /// The source gives no validity (the note says so): in force until cancelled (K8
    /// Reading).
    UntilCancelled(String),
    /// The source gives no validity; the note says what is missing.
    NotGivenBySource(String),
}

/// The days a filing is valid on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Term {
    /// A commitment-letter filing before its materials: valid start..=last (W4: 15 days).
    Provisional {
        /// First day.
        start: NaiveDate,
        /// Last valid day (start + 14 in Wujiang).
        last: NaiveDate,
    },
    /// A full filing.
    Full {
        /// First day.
        start: NaiveDate,
        /// Last day.
        last: LastDay,
    },
}

impl Term {
    /// First day.
    pub fn start(&self) -> NaiveDate {
        match self {
            Term::Provisional { start, .. } | Term::Full { start, .. } => *start,
        }
    }

    /// The last valid day, when known and finite.
    pub fn last_day(&self) -> Option<NaiveDate> {
        match self {
            Term::Provisional { last, .. } => Some(*last),
            Term::Full {
                last: LastDay::On(day),
                ..
            } => Some(*day),
            Term::Full { .. } => None,
        }
    }

    /// Whether the term includes `date` (a term until cancelled includes every day from its
    /// start: a cancellation ends the filing's state, not its term).
    ///
    /// # Errors
    /// [`FilingError::NotGivenBySource`] for a date on or after the start of a term whose
    /// length the source does not give.
    pub fn covers(&self, date: NaiveDate) -> Result<bool, FilingError> {
        if date < self.start() {
            return Ok(false);
        }
        match self {
            Term::Provisional { last, .. } => Ok(date <= *last),
            Term::Full {
                last: LastDay::On(day),
                ..
            } => Ok(date <= *day),
            Term::Full {
                last: LastDay::Open | LastDay::UntilCancelled(_),
                ..
            } => Ok(true),
            Term::Full {
                last: LastDay::NotGivenBySource(note),
                ..
            } => Err(FilingError::NotGivenBySource {
                what: "how long this filing is valid",
                note: note.clone(),
            }),
        }
    }

    fn describe(&self) -> String {
        match self {
            Term::Provisional { start, last } => {
                format!("{start}..={last} on a commitment letter")
            }
            Term::Full {
                start,
                last: LastDay::On(day),
            } => format!("{start}..={day}"),
            Term::Full {
                start,
                last: LastDay::Open,
            } => {
                format!("from {start}, as long as its document (no expiry)")
            }
            Term::Full {
                start,
                last: LastDay::UntilCancelled(note),
            } => {
                format!("from {start} until cancelled ({note}: read as in force until cancelled)")
            }
            Term::Full {
                start,
                last: LastDay::NotGivenBySource(_),
            } => {
                format!("from {start}, to an end the source does not give")
            }
        }
    }
}

/// A decision on time or late.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Decision {
    /// The day of the decision.
    pub on: NaiveDate,
    /// When it was due.
    pub due: ApprovalDue,
}

/// The state of one filing. Time-driven changes (activation on the start day, expiry, the
/// lapse of a commitment letter) happen when a later event or [`advance`] moves it on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum FilingState {
    /// No event yet.
    NotSubmitted,
    /// Waiting for the office's decision.
    Submitted {
        /// The application.
        application: Application,
        /// When the decision is due.
        approval_due: ApprovalDue,
    },
    /// Rejected by the office.
    Rejected {
        /// The application.
        application: Application,
        /// The decision.
        decision: Decision,
        /// The office's reason.
        reason: String,
    },
    /// Approved, its start not yet reached.
    Approved {
        /// The application.
        application: Application,
        /// The decision.
        decision: Decision,
        /// The valid days.
        term: Term,
    },
    /// Approved and in its term.
    Active {
        /// The application.
        application: Application,
        /// The decision.
        decision: Decision,
        /// The valid days.
        term: Term,
    },
    /// Its term has passed.
    Expired {
        /// The application.
        application: Application,
        /// The valid days it had.
        term: Term,
    },
    /// A commitment-letter filing void for want of materials (W4); the person is barred from
    /// commitment-letter filings.
    Lapsed {
        /// The application.
        application: Application,
        /// First void day (start + 15 in Wujiang).
        void_from: NaiveDate,
    },
    /// Cancelled by the person; void from the cancellation day.
    Cancelled {
        /// The application.
        application: Application,
        /// The valid days it had.
        term: Term,
        /// The cancellation day.
        on: NaiveDate,
    },
}

impl FilingState {
    /// The state's snake_case name, as in error messages.
    pub fn name(&self) -> &'static str {
        match self {
            FilingState::NotSubmitted => "not_submitted",
            FilingState::Submitted { .. } => "submitted",
            FilingState::Rejected { .. } => "rejected",
            FilingState::Approved { .. } => "approved",
            FilingState::Active { .. } => "active",
            FilingState::Expired { .. } => "expired",
            FilingState::Lapsed { .. } => "lapsed",
            FilingState::Cancelled { .. } => "cancelled",
        }
    }

    /// The application, once submitted.
    pub fn application(&self) -> Option<&Application> {
        match self {
            FilingState::NotSubmitted => None,
            FilingState::Submitted { application, .. }
            | FilingState::Rejected { application, .. }
            | FilingState::Approved { application, .. }
            | FilingState::Active { application, .. }
            | FilingState::Expired { application, .. }
            | FilingState::Lapsed { application, .. }
            | FilingState::Cancelled { application, .. } => Some(application),
        }
    }

    /// The valid days, once approved (a lapsed filing's are its commitment days).
    pub fn term(&self) -> Option<Term> {
        match self {
            FilingState::NotSubmitted
            | FilingState::Submitted { .. }
            | FilingState::Rejected { .. } => None,
            FilingState::Approved { term, .. }
            | FilingState::Active { term, .. }
            | FilingState::Expired { term, .. }
            | FilingState::Cancelled { term, .. } => Some(term.clone()),
            FilingState::Lapsed {
                application,
                void_from,
            } => void_from.pred_opt().map(|last| Term::Provisional {
                start: application.start,
                last,
            }),
        }
    }

    /// Whether the filing covered (or, if nothing changes, will cover) care on `date`: the
    /// term includes it and no cancellation came before it. History counts: a filing
    /// cancelled on 1 June still covered 31 May.
    ///
    /// # Errors
    /// [`FilingError::NotGivenBySource`] when the answer needs a validity the source does not
    /// give.
    pub fn covers(&self, date: NaiveDate) -> Result<bool, FilingError> {
        match self {
            FilingState::NotSubmitted
            | FilingState::Submitted { .. }
            | FilingState::Rejected { .. } => Ok(false),
            FilingState::Cancelled { on, .. } if date >= *on => Ok(false),
            FilingState::Approved { .. }
            | FilingState::Active { .. }
            | FilingState::Expired { .. }
            | FilingState::Lapsed { .. }
            | FilingState::Cancelled { .. } => match self.term() {
                Some(term) => term.covers(date),
                None => Ok(false),
            },
        }
    }

    /// A one-line step of `rule`, for traces: the filing, its state and its dates.
    pub fn step(&self, rule: RuleId) -> Step {
        let Some(app) = self.application() else {
            return Step::new(rule, "not submitted").zh("未申请");
        };
        let template = match self {
            FilingState::NotSubmitted => "filing {filing} ({filing_type}, {area})",
            FilingState::Submitted { approval_due, .. } => match approval_due {
                ApprovalDue::By(_) => {
                    "filing {filing} ({filing_type}, {area}) submitted on {submitted_on}, starting {start}; decision due by {due} (the submission day does not count)"
                }
                ApprovalDue::NotGivenBySource => {
                    "filing {filing} ({filing_type}, {area}) submitted on {submitted_on}, starting {start}; the source gives no approval deadline"
                }
                ApprovalDue::BeyondCalendar { .. } => {
                    "filing {filing} ({filing_type}, {area}) submitted on {submitted_on}, starting {start}; the decision deadline falls in {due_year}, whose holiday notice is not published"
                }
            },
            FilingState::Rejected { .. } => {
                "filing {filing} ({filing_type}, {area}) rejected on {decided_on}: {reason}"
            }
            FilingState::Approved { .. } => {
                "filing {filing} ({filing_type}, {area}) approved on {decided_on}; valid {term}"
            }
            FilingState::Active { .. } => {
                "filing {filing} ({filing_type}, {area}) active; valid {term}"
            }
            FilingState::Expired { .. } => {
                "filing {filing} ({filing_type}, {area}) expired; it was valid {term}"
            }
            FilingState::Lapsed { .. } => {
                "filing {filing} ({filing_type}, {area}) void from {void_from}: the materials were not supplied within the commitment letter's days; no more commitment-letter filings for this person"
            }
            FilingState::Cancelled { .. } => {
                "filing {filing} ({filing_type}, {area}) cancelled on {on}; it was valid {term}"
            }
        };
        let step = Step::new(rule, template)
            .zh(self.step_zh())
            .text("filing", &app.filing)
            .term("filing_type", app.filing_type.term())
            .text("area", &app.area);
        match self {
            FilingState::NotSubmitted => step,
            FilingState::Submitted { approval_due, .. } => {
                let step = step
                    .date("submitted_on", app.submitted_on)
                    .date("start", app.start);
                match approval_due {
                    ApprovalDue::By(day) => step.date("due", *day),
                    ApprovalDue::NotGivenBySource => step,
                    ApprovalDue::BeyondCalendar { year } => step.with("due_year", *year),
                }
            }
            FilingState::Rejected {
                decision, reason, ..
            } => step.date("decided_on", decision.on).text("reason", reason),
            FilingState::Approved { decision, term, .. } => step
                .date("decided_on", decision.on)
                .phrase("term", term.describe(), term.describe_zh()),
            FilingState::Active { term, .. } | FilingState::Expired { term, .. } => {
                step.phrase("term", term.describe(), term.describe_zh())
            }
            FilingState::Lapsed { void_from, .. } => step.date("void_from", *void_from),
            FilingState::Cancelled { on, term, .. } => {
                step.date("on", *on)
                    .phrase("term", term.describe(), term.describe_zh())
            }
        }
    }
}

fn next_day(date: NaiveDate) -> Result<NaiveDate, FilingError> {
    Ok(add_days(date, 1)?)
}

fn validity_rule(policy: &FilingPolicy) -> RuleId {
    policy.validity.rules.first()
}

/// The day the decision on a filing submitted on `submitted_on` is due: the N-th working day
/// after it (the submission day never counts). The crate example shows it in use.
///
/// # Errors
/// [`FilingError::NotGivenBySource`] when the source gives no deadline;
/// [`FilingError::Calendar`] when the deadline falls in a year without a holiday notice.
pub fn approval_due_by(
    submitted_on: NaiveDate,
    calendar: &WorkingDayCalendar,
    policy: &FilingPolicy,
) -> Result<NaiveDate, FilingError> {
    match &policy.approval.deadline {
        ApprovalDeadline::WorkingDays(n) => Ok(calendar.add_working_days(submitted_on, *n)?),
        ApprovalDeadline::NotGivenBySource(note) => Err(FilingError::NotGivenBySource {
            what: "a deadline for approving a filing",
            note: note.clone(),
        }),
    }
}

fn approval_due(
    submitted_on: NaiveDate,
    calendar: &WorkingDayCalendar,
    policy: &FilingPolicy,
) -> Result<ApprovalDue, FilingError> {
    match approval_due_by(submitted_on, calendar, policy) {
        Ok(day) => Ok(ApprovalDue::By(day)),
        Err(FilingError::NotGivenBySource { .. }) => Ok(ApprovalDue::NotGivenBySource),
        Err(FilingError::Calendar(yibao_core::CalendarError::YearNotCovered { year, .. })) => {
            Ok(ApprovalDue::BeyondCalendar { year })
        }
        Err(other) => Err(other),
    }
}

fn check_document(app: &Application, document: DocumentTerm) -> Result<(), FilingError> {
    match document {
        DocumentTerm::ExpiresOn(expires) if expires < app.start => {
            Err(FilingError::DocumentExpiresBeforeStart {
                filing: app.filing.clone(),
                expires,
                start: app.start,
            })
        }
        DocumentTerm::ExpiresOn(_) | DocumentTerm::NoExpiry => Ok(()),
    }
}

/// The term of a full filing (W4 Reading: a 1-year filing is valid to start + 12 months − 1
/// day; a long-term one to its document's last day).
fn full_term(
    app: &Application,
    document: DocumentTerm,
    policy: &FilingPolicy,
) -> Result<Term, FilingError> {
    let start = app.start;
    let last = match app.filing_type.category() {
        Category::Temporary => match &policy.validity.temporary {
            TemporaryValidity::Months(months) => {
                let end = add_months(start, *months)?;
                LastDay::On(end.pred_opt().unwrap_or(end))
            }
            TemporaryValidity::UntilCancelled(note) => LastDay::UntilCancelled(note.clone()),
            TemporaryValidity::NotGivenBySource(note) => LastDay::NotGivenBySource(note.clone()),
        },
        Category::LongTerm => match &policy.validity.long_term {
            LongTermValidity::SupportingDocument => match document {
                DocumentTerm::ExpiresOn(day) => LastDay::On(day),
                DocumentTerm::NoExpiry => LastDay::Open,
            },
            LongTermValidity::UntilCancelled(note) => LastDay::UntilCancelled(note.clone()),
            LongTermValidity::NotGivenBySource(note) => LastDay::NotGivenBySource(note.clone()),
        },
    };
    Ok(Term::Full { start, last })
}

fn term_for(app: &Application, policy: &FilingPolicy) -> Result<Term, FilingError> {
    match app.basis {
        Basis::Materials { document } => full_term(app, document, policy),
        Basis::CommitmentLetter => provisional_term(app, policy),
    }
}

fn provisional_term(app: &Application, policy: &FilingPolicy) -> Result<Term, FilingError> {
    match &policy.commitment.letter {
        CommitmentLetter::Offered { valid_days, .. } => {
            let days = u64::from(valid_days.saturating_sub(1));
            Ok(Term::Provisional {
                start: app.start,
                last: add_days(app.start, days)?,
            })
        }
        CommitmentLetter::NotGivenBySource(note) => Err(FilingError::NotGivenBySource {
            what: "filing on a personal commitment letter",
            note: note.clone(),
        }),
    }
}

/// The first void day of a commitment-letter filing (W4 Reading: start + 15).
fn commitment_void_from(
    app: &Application,
    policy: &FilingPolicy,
) -> Result<NaiveDate, FilingError> {
    match provisional_term(app, policy)? {
        Term::Provisional { last, .. } => next_day(last),
        Term::Full { .. } => next_day(app.start),
    }
}

/// Moves a state on to `date` by the passing of time alone: an approved filing becomes
/// active on its start day; a term that ended expires; a commitment letter without its
/// materials lapses from the day after its last day (W4).
///
/// # Errors
/// [`FilingError::Date`] past the supported calendar.
pub fn advance(
    state: &FilingState,
    date: NaiveDate,
    policy: &FilingPolicy,
) -> Result<FilingState, FilingError> {
    let mut current = state.clone();
    // Each step moves the state strictly forward; at most three steps are possible
    // (approved → active → expired/lapsed).
    for _ in 0..4 {
        let next = match &current {
            FilingState::Submitted { application, .. }
                if application.basis == Basis::CommitmentLetter =>
            {
                let void_from = commitment_void_from(application, policy)?;
                (date >= void_from).then(|| FilingState::Lapsed {
                    application: application.clone(),
                    void_from,
                })
            }
            FilingState::Approved {
                application,
                decision,
                term,
            } => (date >= term.start()).then(|| FilingState::Active {
                application: application.clone(),
                decision: *decision,
                term: term.clone(),
            }),
            FilingState::Active {
                application, term, ..
            } => match term {
                Term::Provisional { last, .. } if date > *last => Some(FilingState::Lapsed {
                    application: application.clone(),
                    void_from: next_day(*last)?,
                }),
                Term::Full {
                    last: LastDay::On(last),
                    ..
                } if date > *last => Some(FilingState::Expired {
                    application: application.clone(),
                    term: term.clone(),
                }),
                Term::Provisional { .. } | Term::Full { .. } => None,
            },
            FilingState::NotSubmitted
            | FilingState::Submitted { .. }
            | FilingState::Rejected { .. }
            | FilingState::Expired { .. }
            | FilingState::Lapsed { .. }
            | FilingState::Cancelled { .. } => None,
        };
        match next {
            Some(state) => current = state,
            None => break,
        }
    }
    Ok(current)
}

/// The one transition function: the state after `event`.
///
/// The state is first moved on to the event's day ([`advance`]), then the event applies.
/// Every (state, event) pair is matched explicitly; an event the state does not allow is a
/// [`FilingError::IllegalTransition`] naming both, never a silent no-op.
///
/// # Errors
/// - [`FilingError::ForeignEvent`]: the event names another filing than the state's.
/// - [`FilingError::IllegalTransition`]: e.g. materials after the commitment letter lapsed.
/// - [`FilingError::TypeNotOffered`], [`FilingError::HomeAreaFiling`],
///   [`FilingError::StartBeforeSubmission`], [`FilingError::DocumentExpiresBeforeStart`]:
///   a submission the jurisdiction cannot take.
/// - [`FilingError::CancelTooEarly`]: a long-term filing cancelled within 6 months (W4).
/// - [`FilingError::NotGivenBySource`]: the event needs a rule the source does not give
///   (a commitment letter or a cancellation where none is described).
/// - [`FilingError::Date`]: date arithmetic past the supported calendar.
pub fn apply(
    state: &FilingState,
    event: &FilingEvent,
    calendar: &WorkingDayCalendar,
    policy: &FilingPolicy,
) -> Result<FilingState, FilingError> {
    if let Some(app) = state.application() {
        if app.filing != event.filing {
            return Err(FilingError::ForeignEvent {
                expected: app.filing.clone(),
                found: event.filing.clone(),
            });
        }
    }
    let state = advance(state, event.on, policy)?;
    let illegal = |state: &FilingState| FilingError::IllegalTransition {
        filing: event.filing.clone(),
        state: state.name(),
        event: event.kind.name(),
        on: event.on,
    };
    let next = match (&state, &event.kind) {
        (
            FilingState::NotSubmitted,
            EventKind::Submitted {
                filing_type,
                area,
                start,
                basis,
            },
        ) => {
            if policy.type_policy(*filing_type).is_none() {
                return Err(FilingError::TypeNotOffered {
                    filing_type: *filing_type,
                    offered: policy.offered_types(),
                });
            }
            if policy.places.home_area.contains(area) {
                return Err(FilingError::HomeAreaFiling {
                    filing: event.filing.clone(),
                    area: area.clone(),
                    home: policy.places.home_area.clone(),
                });
            }
            if *start < event.on && *filing_type != FilingType::EmergencyRescue {
                return Err(FilingError::StartBeforeSubmission {
                    filing: event.filing.clone(),
                    filing_type: *filing_type,
                    start: *start,
                    submitted: event.on,
                    rule: policy.approval.rules.first(),
                });
            }
            let application = Application {
                filing: event.filing.clone(),
                filing_type: *filing_type,
                area: area.clone(),
                start: *start,
                submitted_on: event.on,
                basis: *basis,
            };
            match basis {
                Basis::Materials { document } => check_document(&application, *document)?,
                // Refuse a commitment letter where the source describes none.
                Basis::CommitmentLetter => {
                    provisional_term(&application, policy)?;
                }
            }
            FilingState::Submitted {
                application,
                approval_due: approval_due(event.on, calendar, policy)?,
            }
        }
        (
            FilingState::NotSubmitted,
            EventKind::Approved
            | EventKind::Rejected { .. }
            | EventKind::MaterialsSupplied { .. }
            | EventKind::Cancelled,
        ) => return Err(illegal(&state)),

        (
            FilingState::Submitted {
                application,
                approval_due,
            },
            EventKind::Approved,
        ) => FilingState::Approved {
            application: application.clone(),
            decision: Decision {
                on: event.on,
                due: *approval_due,
            },
            term: term_for(application, policy)?,
        },
        (
            FilingState::Submitted {
                application,
                approval_due,
            },
            EventKind::Rejected { reason },
        ) => FilingState::Rejected {
            application: application.clone(),
            decision: Decision {
                on: event.on,
                due: *approval_due,
            },
            reason: reason.clone(),
        },
        (
            FilingState::Submitted {
                application,
                approval_due,
            },
            EventKind::MaterialsSupplied { document },
        ) => {
            if application.basis != Basis::CommitmentLetter {
                return Err(illegal(&state));
            }
            check_document(application, *document)?;
            FilingState::Submitted {
                application: Application {
                    basis: Basis::Materials {
                        document: *document,
                    },
                    ..application.clone()
                },
                approval_due: *approval_due,
            }
        }
        (FilingState::Submitted { .. }, EventKind::Submitted { .. } | EventKind::Cancelled) => {
            return Err(illegal(&state));
        }

        (
            FilingState::Approved {
                application,
                decision,
                term,
            }
            | FilingState::Active {
                application,
                decision,
                term,
            },
            EventKind::MaterialsSupplied { document },
        ) => {
            if !matches!(term, Term::Provisional { .. }) {
                return Err(illegal(&state));
            }
            check_document(application, *document)?;
            let application = Application {
                basis: Basis::Materials {
                    document: *document,
                },
                ..application.clone()
            };
            let term = full_term(&application, *document, policy)?;
            let approved = FilingState::Approved {
                application,
                decision: *decision,
                term,
            };
            advance(&approved, event.on, policy)?
        }
        (
            FilingState::Approved {
                application, term, ..
            }
            | FilingState::Active {
                application, term, ..
            },
            EventKind::Cancelled,
        ) => {
            check_cancellation(application, event.on, policy)?;
            FilingState::Cancelled {
                application: application.clone(),
                term: term.clone(),
                on: event.on,
            }
        }
        (
            FilingState::Approved { .. } | FilingState::Active { .. },
            EventKind::Submitted { .. } | EventKind::Approved | EventKind::Rejected { .. },
        ) => return Err(illegal(&state)),

        (
            FilingState::Rejected { .. }
            | FilingState::Expired { .. }
            | FilingState::Lapsed { .. }
            | FilingState::Cancelled { .. },
            EventKind::Submitted { .. }
            | EventKind::Approved
            | EventKind::Rejected { .. }
            | EventKind::MaterialsSupplied { .. }
            | EventKind::Cancelled,
        ) => return Err(illegal(&state)),
    };
    advance(&next, event.on, policy)
}

fn check_cancellation(
    app: &Application,
    on: NaiveDate,
    policy: &FilingPolicy,
) -> Result<(), FilingError> {
    match app.filing_type.category() {
        Category::Temporary => match &policy.validity.cancel_temporary {
            TemporaryCancellation::AnyTime => Ok(()),
            TemporaryCancellation::NotGivenBySource(note) => Err(FilingError::NotGivenBySource {
                what: "when a temporary filing may be cancelled",
                note: note.clone(),
            }),
        },
        Category::LongTerm => match &policy.validity.cancel_long_term {
            LongTermCancellation::FromMonths(months) => {
                let allowed_from = add_months(app.start, *months)?;
                if on < allowed_from {
                    return Err(FilingError::CancelTooEarly {
                        filing: app.filing.clone(),
                        start: app.start,
                        on,
                        allowed_from,
                        rule: validity_rule(policy),
                    });
                }
                Ok(())
            }
            LongTermCancellation::NotGivenBySource(note) => Err(FilingError::NotGivenBySource {
                what: "when a long-term filing may be cancelled",
                note: note.clone(),
            }),
        },
    }
}

/// Replays one filing's log from [`FilingState::NotSubmitted`], then moves it on to
/// `as_of` (which must not come before the last event).
///
/// # Errors
/// [`FilingError::ForeignEvent`] for an event of another filing, [`FilingError::OutOfOrder`]
/// for events out of time order, [`FilingError::AsOfBeforeLastEvent`] for `as_of` before
/// the last event, and every error of [`apply`].
pub fn replay_filing(
    filing: &FilingId,
    events: &[FilingEvent],
    as_of: NaiveDate,
    calendar: &WorkingDayCalendar,
    policy: &FilingPolicy,
) -> Result<FilingState, FilingError> {
    let mut state = FilingState::NotSubmitted;
    let mut previous: Option<NaiveDate> = None;
    for event in events {
        if &event.filing != filing {
            return Err(FilingError::ForeignEvent {
                expected: filing.clone(),
                found: event.filing.clone(),
            });
        }
        if let Some(previous) = previous.filter(|p| event.on < *p) {
            return Err(FilingError::OutOfOrder {
                filing: event.filing.clone(),
                event: event.kind.name(),
                on: event.on,
                previous,
            });
        }
        previous = Some(event.on);
        state = apply(&state, event, calendar, policy)?;
    }
    if let Some(previous) = previous.filter(|p| as_of < *p) {
        return Err(FilingError::AsOfBeforeLastEvent { as_of, previous });
    }
    advance(&state, as_of, policy)
}
