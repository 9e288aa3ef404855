//! A scenario's inputs read as the domains' own: the enrolment history, a claim's bill and
//! the benefits crate's claim, each refused with where and why.

use yibao_benefits::{Bill, Claim, ClaimKind};
use yibao_core::{RemoteCare, Yuan};
use yibao_enrolment::{EnrolmentHistory, Event, EventKind, Funding};

use super::error::{At, ClaimField, SettleError, SettleErrorKind};
use crate::scenario::{ClaimInput, ClaimKindName, EnrolmentEventName, FundingInput, Scenario};

/// The scenario's enrolment history, `None` when it gives no events.
pub(super) fn enrolment_history(
    scenario: &Scenario,
) -> Result<Option<EnrolmentHistory>, SettleError> {
    if scenario.enrolment.is_empty() {
        return Ok(None);
    }
    let born = scenario
        .person
        .born
        .ok_or_else(|| SettleError::new(At::Person, SettleErrorKind::NoBirthDate))?;
    let mut events = Vec::with_capacity(scenario.enrolment.len());
    for (i, input) in scenario.enrolment.iter().enumerate() {
        let kind = match input.event {
            EnrolmentEventName::Payment => {
                let year = input.year.ok_or_else(|| {
                    SettleError::new(At::EnrolmentEvent(i), SettleErrorKind::PaymentWithoutYear)
                })?;
                let funding = match input.funding.unwrap_or(FundingInput::Ordinary) {
                    FundingInput::Ordinary => Funding::Ordinary,
                    FundingInput::CityFundedNewAidRecipient => Funding::CityFundedNewAidRecipient,
                };
                EventKind::Payment { year, funding }
            }
            EnrolmentEventName::VeteranStatusChange => EventKind::VeteranStatusChange,
            EnrolmentEventName::JoinedEmployeeInsurance => EventKind::JoinedEmployeeInsurance,
            EnrolmentEventName::LeftEmployeeInsurance => EventKind::LeftEmployeeInsurance,
            EnrolmentEventName::Graduated => EventKind::Graduated,
        };
        events.push(Event::new(input.on, kind));
    }
    Ok(Some(EnrolmentHistory::new(born, events)))
}

/// The whole bill of the claim at `index`: its amount, or the sum of its class split.
pub(super) fn bill_total(input: &ClaimInput, index: usize) -> Result<Yuan, SettleError> {
    match (input.amount, input.class_a, input.class_b, input.class_c) {
        (Some(amount), None, None, None) => Ok(amount),
        (None, a, b, c) if a.is_some() || b.is_some() || c.is_some() => {
            Yuan::checked_sum([a, b, c].into_iter().flatten())
                .map_err(|e| SettleError::new(At::claim(index), SettleErrorKind::Money(e)))
        }
        (None, ..) => Err(SettleError::new(
            At::claim(index),
            SettleErrorKind::NoAmount,
        )),
        (Some(_), ..) => Err(SettleError::new(
            At::claim_field(index, ClaimField::Amount),
            SettleErrorKind::AmountAndSplit,
        )),
    }
}

/// A field a claim's kind needs.
fn required<T: Copy>(
    value: Option<T>,
    index: usize,
    field: &'static str,
    kind: &'static str,
) -> Result<T, SettleError> {
    value.ok_or_else(|| {
        SettleError::new(
            At::claim(index),
            SettleErrorKind::MissingField { kind, field },
        )
    })
}

/// The benefits crate's claim for the scenario's claim at `index`.
pub(super) fn to_claim(
    input: &ClaimInput,
    remote_care: RemoteCare,
    index: usize,
) -> Result<Claim, SettleError> {
    use yibao_benefits::{SpecialDiseaseCatalogue, SpecialDiseaseClass};
    let kind = match input.kind {
        ClaimKindName::OutpatientGeneral => ClaimKind::GeneralOutpatient {
            consultation_fee: input.consultation_fee.unwrap_or(Yuan::ZERO),
        },
        ClaimKindName::TwoDiseaseDrugs => ClaimKind::TwoDiseaseDrugs {
            cover: required(input.two_disease, index, "two_disease", "two-disease drug")?,
        },
        ClaimKindName::SpecialDisease => ClaimKind::SpecialDisease {
            class: input.disease_class.unwrap_or(SpecialDiseaseClass::Other),
            catalogue: input
                .catalogue
                .unwrap_or(SpecialDiseaseCatalogue::Provincial),
        },
        ClaimKindName::Inpatient => ClaimKind::Inpatient,
        ClaimKindName::DaySurgery => ClaimKind::DaySurgery,
        ClaimKindName::DualChannelDrugs => ClaimKind::DualChannelDrugs,
        ClaimKindName::MaternityDelivery => ClaimKind::MaternityDelivery {
            province: input
                .province
                .unwrap_or(yibao_benefits::Province::SameProvince),
        },
        ClaimKindName::Emergency => ClaimKind::Emergency {
            outcome: required(
                input.emergency_outcome,
                index,
                "emergency_outcome",
                "emergency",
            )?,
        },
    };
    let bill = match (input.amount, input.class_a, input.class_b, input.class_c) {
        (Some(amount), None, None, None) => Bill::Eligible(amount),
        _ => Bill::Classes {
            class_a: input.class_a.unwrap_or(Yuan::ZERO),
            class_b: input.class_b.unwrap_or(Yuan::ZERO),
            class_c: input.class_c.unwrap_or(Yuan::ZERO),
        },
    };
    Ok(Claim::new(input.date, kind, input.level, Yuan::ZERO)
        .with_bill(bill)
        .with_designation(input.designation)
        .with_remote_care(remote_care)
        .with_accident(input.accident)
        .with_exclusions(input.exclusions.clone()))
}
