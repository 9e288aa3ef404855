//! The questions of the settlement's first two stages asked on their own: a person's cover
//! for the year ([`cover`]), whether their contribution may be refunded ([`refund`]), and
//! their filings replayed to a day with the treatment of care
//! at a place ([`filing`]).

use serde::Serialize;
use yibao_core::NaiveDate;
use yibao_enrolment::{CategoryId, Cover, Decision, EnrolmentSection, RefundReason, RefundRequest};
use yibao_filing::{CareQuery, Register};

use super::error::{At, MissingRules, SettleError, SettleErrorKind};
use crate::policy::{Book, PolicyLibrary, Section};
use crate::scenario::Scenario;

/// A person's cover for the year and their consecutive years (H6), from a scenario's
/// enrolment history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct CoverReport {
    /// The cover periods, waiting periods, suspensions, with their trace.
    pub cover: Cover,
    /// Consecutive years counted from 2025 (H6), when the data sets continuity rules.
    pub continuity: Option<yibao_enrolment::Continuity>,
}

/// The cover of a scenario's person for its year.
///
/// # Errors
/// [`SettleError`] when the scenario has no enrolment history, the data has no enrolment
/// rules for the year, or the history is inconsistent.
pub fn cover(library: &PolicyLibrary, scenario: &Scenario) -> Result<CoverReport, SettleError> {
    let book = library
        .book(&scenario.jurisdiction, scenario.year)
        .map_err(|e| SettleError::new(At::Jurisdiction, SettleErrorKind::Book(e)))?;
    let history = super::input::enrolment_history(scenario)?
        .ok_or_else(|| SettleError::new(At::Enrolment, SettleErrorKind::NoEnrolmentHistory))?;
    let section = enrolment_section(book)?;
    let cover = section
        .cover(&history, scenario.year)
        .map_err(|e| SettleError::new(At::Enrolment, SettleErrorKind::Enrolment(e)))?;
    let continuity = section.consecutive_years(&history, scenario.year).ok();
    Ok(CoverReport { cover, continuity })
}

/// Whether the contribution for the scenario's year may be refunded on `applied_on` for
/// `reason` (H8): only before the benefit period starts, and only for the reasons the
/// source lists; the decision gives the consequences (the enrolment suspended, an aid
/// subsidy returned) and the step with its rule.
///
/// # Errors
/// [`SettleError`] when the scenario has no enrolment history or category, or the data has
/// no enrolment or refund rules for the year.
pub fn refund(
    library: &PolicyLibrary,
    scenario: &Scenario,
    reason: RefundReason,
    applied_on: NaiveDate,
) -> Result<Decision, SettleError> {
    let book = library
        .book(&scenario.jurisdiction, scenario.year)
        .map_err(|e| SettleError::new(At::Jurisdiction, SettleErrorKind::Book(e)))?;
    let history = super::input::enrolment_history(scenario)?
        .ok_or_else(|| SettleError::new(At::Enrolment, SettleErrorKind::NoEnrolmentHistory))?;
    let category = scenario
        .person
        .category
        .as_ref()
        .ok_or_else(|| SettleError::new(At::PersonCategory, SettleErrorKind::NoCategory))?;
    let request = RefundRequest::new(
        scenario.year,
        CategoryId::new(category.clone()),
        reason,
        applied_on,
    );
    enrolment_section(book)?
        .refund(&history, &request)
        .map_err(|e| SettleError::new(At::Enrolment, SettleErrorKind::Enrolment(e)))
}

/// The book's enrolment rules, or why there are none.
fn enrolment_section(book: &Book) -> Result<&EnrolmentSection, SettleError> {
    match &book.enrolment {
        Section::Present(section) => Ok(section),
        Section::Absent { reason } => Err(SettleError::new(
            At::Jurisdiction,
            SettleErrorKind::EnrolmentAbsent {
                reason: reason.clone(),
            },
        )),
        Section::NotGiven => Err(SettleError::new(
            At::Jurisdiction,
            SettleErrorKind::NoRules {
                rules: MissingRules::Enrolment,
                jurisdiction: book.jurisdiction.clone(),
                year: book.year,
            },
        )),
    }
}

/// A scenario's filings replayed to a day, and, when asked, the treatment of care at a
/// place on that day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct FilingReport {
    /// The day the register is taken at.
    pub as_of: NaiveDate,
    /// Every filing's state on that day, with the replay's steps.
    pub register: Register,
    /// The treatment of care at a place on that day, with the ratio cut it brings and
    /// whether a filing is required.
    pub care: Option<super::care::CareReport>,
}

/// Replays a scenario's filings to `as_of` and, with `care_at`, assesses care there on
/// that day.
///
/// # Errors
/// [`SettleError`] when the data has no filing rules or the events are inconsistent.
pub fn filing(
    library: &PolicyLibrary,
    scenario: &Scenario,
    as_of: NaiveDate,
    care_at: Option<(yibao_filing::Area, yibao_filing::Circumstance)>,
) -> Result<FilingReport, SettleError> {
    let book = library
        .book(&scenario.jurisdiction, scenario.year)
        .map_err(|e| SettleError::new(At::Jurisdiction, SettleErrorKind::Book(e)))?;
    let policy = book.filing.present().ok_or_else(|| {
        SettleError::new(
            At::Jurisdiction,
            SettleErrorKind::NoRules {
                rules: MissingRules::Filing,
                jurisdiction: book.jurisdiction.clone(),
                year: book.year,
            },
        )
    })?;
    let events: Vec<_> = scenario
        .filings
        .iter()
        .filter(|e| e.on <= as_of)
        .cloned()
        .collect();
    let register = Register::replay(&events, as_of, &library.calendar, policy)
        .map_err(|e| SettleError::new(At::Filings, SettleErrorKind::Filing(e)))?;
    let care = match care_at {
        None => None,
        Some((area, circumstance)) => {
            let query = CareQuery::new(
                as_of,
                area,
                circumstance,
                yibao_filing::Connection::Networked,
            );
            let assessment = yibao_filing::assess_care(&register, &query, policy)
                .map_err(|e| SettleError::new(At::Filings, SettleErrorKind::Filing(e)))?;
            Some(super::care::CareReport::new(book, assessment))
        }
    };
    Ok(FilingReport {
        as_of,
        register,
        care,
    })
}
