//! Why a scenario could not be settled: what (a domain's own error, wrapped, or the facade's
//! own case), where in the scenario, and how to fix it.
//!
//! The text of every error is one sentence with the offending value; where it is in the
//! scenario is [`SettleError::at`] (a [`KeyPath`] by [`SettleError::path`], or the claim and
//! its field by [`SettleError::claim_at_fault`]), and [`SettleError::hint`] says what to do.

use std::borrow::Cow;

use yibao_benefits::BenefitError;
use yibao_catastrophic::CatastrophicError;
use yibao_core::{KeyPath, MoneyError, NaiveDate, PolicyYear};
use yibao_enrolment::EnrolmentError;
use yibao_filing::FilingError;

use crate::policy::BookError;
use crate::scenario::ClassConflict;

/// Why a scenario could not be settled: what went wrong ([`SettleErrorKind`]) and where in
/// the scenario ([`At`]). `Display` is the kind's sentence.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct SettleError {
    /// What is wrong, with the value.
    pub kind: SettleErrorKind,
    /// Where in the scenario.
    pub at: At,
}

impl SettleError {
    /// Out of line and cold: an error is the rare path, and its building would otherwise
    /// sit inline in the settlement's loops.
    #[cold]
    #[inline(never)]
    pub(crate) fn new(at: At, kind: SettleErrorKind) -> SettleError {
        SettleError { kind, at }
    }

    /// Where in the scenario, as a key path (e.g. `claims[2].date`).
    pub fn path(&self) -> KeyPath {
        self.at.path()
    }

    /// The claim at fault, when the error is about one: its 0-based position in the
    /// scenario's claim list and, when one field of it is at fault, which.
    pub fn claim_at_fault(&self) -> Option<(usize, Option<ClaimField>)> {
        match self.at {
            At::Claim { index, field } => Some((index, field)),
            _ => None,
        }
    }

    /// How to fix it, when there is something to say.
    pub fn hint(&self) -> Option<Cow<'static, str>> {
        let hint = match &self.kind {
            SettleErrorKind::ClaimOutsideYear { .. } => {
                "settle each policy year in its own scenario"
            }
            SettleErrorKind::PlaceAndRemoteCare => {
                "give `place` to have the filings decide, or `remote_care` when the treatment is known"
            }
            SettleErrorKind::NoAmount => {
                "give `amount`, or the split `class_a`, `class_b`, `class_c`"
            }
            SettleErrorKind::AmountAndSplit => "give one of them",
            SettleErrorKind::MissingField { field, .. } => {
                return Some(format!("add `{field}` to the claim").into());
            }
            SettleErrorKind::NoBirthDate => "add `born = \"YYYY-MM-DD\"` to [person]",
            SettleErrorKind::PaymentWithoutYear => "add `year = 2026` to the payment",
            SettleErrorKind::NoEnrolmentHistory => {
                "add [[enrolment]] events: on, event = \"payment\", year"
            }
            SettleErrorKind::NoCategory => "add `category = \"…\"` to [person], e.g. \"resident\"",
            SettleErrorKind::ClassConflict(_) => {
                "remove `catastrophic_class` to take the category's class, or give the category that matches"
            }
            _ => return None,
        };
        Some(hint.into())
    }
}

/// Where in the scenario an error is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum At {
    /// `jurisdiction` (and its year): the policy book.
    Jurisdiction,
    /// `person`.
    Person,
    /// `person.category`.
    PersonCategory,
    /// `person.catastrophic_class`.
    PersonCatastrophicClass,
    /// `enrolment`: the history as a whole.
    Enrolment,
    /// `enrolment[i]`: one event.
    EnrolmentEvent(usize),
    /// `filings`.
    Filings,
    /// `claims`: the claims as a whole (their totals).
    Claims,
    /// `claims[i]`, or one of its fields.
    Claim {
        /// The claim's 0-based position in the scenario's claim list.
        index: usize,
        /// The field at fault, when it is one field.
        field: Option<ClaimField>,
    },
}

impl At {
    /// The claim at `index`, as a whole.
    pub(crate) fn claim(index: usize) -> At {
        At::Claim { index, field: None }
    }

    /// A field of the claim at `index`.
    pub(crate) fn claim_field(index: usize, field: ClaimField) -> At {
        At::Claim {
            index,
            field: Some(field),
        }
    }

    /// As a key path (e.g. `claims[2].date`).
    pub fn path(self) -> KeyPath {
        let root = KeyPath::root();
        match self {
            At::Jurisdiction => root.key("jurisdiction"),
            At::Person => root.key("person"),
            At::PersonCategory => root.key("person").key("category"),
            At::PersonCatastrophicClass => root.key("person").key("catastrophic_class"),
            At::Enrolment => root.key("enrolment"),
            At::EnrolmentEvent(i) => root.key("enrolment").index(i),
            At::Filings => root.key("filings"),
            At::Claims => root.key("claims"),
            At::Claim { index, field } => {
                let claim = root.key("claims").index(index);
                match field {
                    None => claim,
                    Some(field) => claim.key(field.key()),
                }
            }
        }
    }
}

/// The field of a claim an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClaimField {
    /// `date`.
    Date,
    /// `amount` (or the class split).
    Amount,
    /// `remote_care`.
    RemoteCare,
    /// `place`.
    Place,
}

impl ClaimField {
    /// The scenario's key.
    pub fn key(self) -> &'static str {
        match self {
            ClaimField::Date => "date",
            ClaimField::Amount => "amount",
            ClaimField::RemoteCare => "remote_care",
            ClaimField::Place => "place",
        }
    }
}

/// What went wrong: a domain's error, wrapped, or a case of the facade's own.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SettleErrorKind {
    /// No policy book for the scenario's jurisdiction and year.
    #[error("{0}")]
    Book(BookError),
    /// The enrolment rules refused the history, the category or a payment.
    #[error("{0}")]
    Enrolment(EnrolmentError),
    /// The filing rules refused the filings or a query of care.
    #[error("{0}")]
    Filing(FilingError),
    /// The basic fund's rules refused a claim.
    #[error("{0}")]
    Benefits(BenefitError),
    /// Catastrophic insurance refused a claim.
    #[error("{0}")]
    Catastrophic(CatastrophicError),
    /// An amount out of range (a sum that overflows).
    #[error("{0}")]
    Money(MoneyError),
    /// The scenario's catastrophic class contradicts its category (H1).
    #[error("{0}")]
    ClassConflict(ClassConflict),
    /// The book has no rules of a kind the scenario needs.
    #[error("the policy data gives no {rules} for {jurisdiction} {year}{}", rules.consequence())]
    NoRules {
        /// Which rules.
        rules: MissingRules,
        /// The jurisdiction.
        jurisdiction: String,
        /// The year.
        year: PolicyYear,
    },
    /// The data says why the year has no benefits to settle claims with.
    #[error("cannot settle claims in {jurisdiction} {year}: {reason}")]
    BenefitsAbsent {
        /// The jurisdiction.
        jurisdiction: String,
        /// The year.
        year: PolicyYear,
        /// What the data says.
        reason: String,
    },
    /// The data says why the year has no enrolment rules.
    #[error("{reason}")]
    EnrolmentAbsent {
        /// What the data says.
        reason: String,
    },
    /// A claim dated outside the scenario's policy year.
    #[error("the claim is dated {date} but the scenario settles policy year {year}")]
    ClaimOutsideYear {
        /// The claim's date.
        date: NaiveDate,
        /// The scenario's year.
        year: PolicyYear,
    },
    /// A claim gives both `place` and `remote_care`.
    #[error("the claim gives both `place` and `remote_care`")]
    PlaceAndRemoteCare,
    /// A claim gives neither an amount nor a class split.
    #[error("the claim has no amount")]
    NoAmount,
    /// A claim gives both an amount and a class split.
    #[error("the claim gives both `amount` and a class split")]
    AmountAndSplit,
    /// A claim of a kind lacks a field that kind needs.
    #[error("{} {kind} claim needs `{field}`", article(kind))]
    MissingField {
        /// The kind, in words (`emergency`).
        kind: &'static str,
        /// The field.
        field: &'static str,
    },
    /// An enrolment history without the person's date of birth.
    #[error("an enrolment history needs the person's date of birth")]
    NoBirthDate,
    /// A payment without the year it pays for.
    #[error("a payment needs the policy year it pays for")]
    PaymentWithoutYear,
    /// A question about cover asked of a scenario without an enrolment history.
    #[error("the scenario has no enrolment history")]
    NoEnrolmentHistory,
    /// A question about a contribution asked of a scenario without the person's category.
    #[error("the question needs the person's category")]
    NoCategory,
    /// A claim's parts exceed its bill.
    #[error("the parts do not add up: {0}")]
    PartsDoNotAddUp(MoneyError),
    /// A state the settlement never reaches (a report slot lost …), named rather than
    /// panicked on.
    #[error("{0}")]
    Unreachable(&'static str),
}

/// The rules a book lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MissingRules {
    /// Benefits.
    Benefits,
    /// Enrolment rules, to read an enrolment history.
    EnrolmentForHistory,
    /// Enrolment rules, to answer a question about cover.
    Enrolment,
    /// Filing rules.
    Filing,
    /// Filing rules, to assess care at a place.
    FilingForCare(yibao_filing::Area),
}

impl MissingRules {
    /// What cannot be done without them, after the sentence (empty when nothing is said).
    fn consequence(&self) -> Cow<'static, str> {
        match self {
            MissingRules::EnrolmentForHistory => ", so the enrolment history cannot be read".into(),
            MissingRules::FilingForCare(area) => {
                format!(", so care at `{area}` cannot be assessed").into()
            }
            MissingRules::Benefits | MissingRules::Enrolment | MissingRules::Filing => "".into(),
        }
    }
}

impl std::fmt::Display for MissingRules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MissingRules::Benefits => "benefits",
            MissingRules::EnrolmentForHistory | MissingRules::Enrolment => "enrolment rules",
            MissingRules::Filing | MissingRules::FilingForCare(_) => "filing rules",
        })
    }
}

/// `a` or `an` before a word.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
