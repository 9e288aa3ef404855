//! Decisions with reasons: refunds (H8), double enrolment (H9), paying from an employee's
//! personal account for relatives (H10), identity documents (K12, H5).

use chrono::NaiveDate;
use serde::Serialize;
use yibao_core::Step;
use yibao_core::{PolicyYear, RuleId, Word};

use crate::error::EnrolmentError;
use crate::history::EnrolmentHistory;
use crate::params::{
    CategoryContribution, CategoryId, DocumentHolder, EnrolmentSection, IdentityDocument,
    RefundReason, Relation,
};
use crate::trace::Trace;

/// A yes/no answer with the rules and the reasons behind it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Decision {
    /// Whether the request is allowed.
    pub verdict: Verdict,
    /// Any consequence attached (the old enrolment is suspended, the aid subsidy goes back …).
    pub consequences: Vec<String>,
    /// How it was decided.
    pub trace: Trace,
}

/// Allowed or refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The request is allowed.
    Allowed,
    /// The request is refused.
    Refused,
}

impl Decision {
    /// Whether the request is allowed.
    pub fn is_allowed(&self) -> bool {
        self.verdict == Verdict::Allowed
    }

    /// The distinct rule ids that decided the answer.
    pub fn rules(&self) -> Vec<RuleId> {
        self.trace.rules()
    }

    fn new(verdict: Verdict, why: Step) -> Decision {
        let mut trace = Trace::new();
        trace.push(why);
        Decision {
            verdict,
            consequences: Vec::new(),
            trace,
        }
    }
}

/// A refund application for one year's contribution.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RefundRequest {
    /// The policy year paid for.
    pub year: PolicyYear,
    /// The person's category (fully subsidised aid recipients return the aid subsidy).
    pub category: CategoryId,
    /// Why the refund is asked for.
    pub reason: RefundReason,
    /// The day of the application.
    pub applied_on: NaiveDate,
}

impl RefundRequest {
    /// A refund of `year`'s contribution of a person of `category`, asked for `reason` on
    /// `applied_on`.
    pub fn new(
        year: PolicyYear,
        category: CategoryId,
        reason: RefundReason,
        applied_on: NaiveDate,
    ) -> RefundRequest {
        RefundRequest {
            year,
            category,
            reason,
            applied_on,
        }
    }
}

/// One of a person's existing enrolments, for the double-enrolment check (H9).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExistingEnrolment {
    /// The place of enrolment (统筹地区), e.g. `huaian`.
    pub place: String,
    /// The scheme.
    pub scheme: InsuranceScheme,
    /// Active or suspended (暂停).
    pub status: EnrolmentStatus,
}

impl ExistingEnrolment {
    /// An enrolment in `place`'s `scheme`, `status`.
    pub fn new(
        place: impl Into<String>,
        scheme: InsuranceScheme,
        status: EnrolmentStatus,
    ) -> ExistingEnrolment {
        ExistingEnrolment {
            place: place.into(),
            scheme,
            status,
        }
    }
}

/// Employee or resident insurance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InsuranceScheme {
    /// 城乡居民基本医疗保险.
    Resident,
    /// 职工基本医疗保险.
    Employee,
}

yibao_core::words!(InsuranceScheme {
    Resident => "resident",
    Employee => "employee",
});

/// Whether an enrolment is in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnrolmentStatus {
    /// In force.
    Active,
    /// Suspended (暂停参保关系).
    Suspended,
}

yibao_core::words!(EnrolmentStatus {
    Active => "active",
    Suspended => "suspended",
});

/// What an employee's personal account is asked to pay for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountUse {
    /// A relative's resident contribution (Q30).
    ResidentContribution,
    /// A relative's medical costs (家庭共济, Q51).
    MedicalCosts,
}

yibao_core::words!(AccountUse {
    ResidentContribution => "resident_contribution",
    MedicalCosts => "medical_costs",
});

/// Through which feature the payment is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountFeature {
    /// 职工医保个人账户家庭共济: the personal account's family mutual aid.
    FamilyMutualAid,
    /// 亲情账户: the national app's family account, which only shows codes (Q50).
    FamilyAccount,
}

yibao_core::words!(AccountFeature {
    FamilyMutualAid => "family_mutual_aid",
    FamilyAccount => "family_account",
});

/// Whether the account owner already belongs to a family mutual-aid group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SharingGroup {
    /// In no group, or already in this one.
    NoneOrThisOne,
    /// In another group (one group per person, Q52).
    Another,
}

yibao_core::words!(SharingGroup {
    NoneOrThisOne => "none_or_this_one",
    Another => "another",
});

/// A request to pay from an employee's personal account for a relative (H10).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FamilyPaymentRequest {
    /// The relative's relation to the account owner.
    pub relation: Relation,
    /// What is paid for.
    pub purpose: AccountUse,
    /// Through which feature.
    pub feature: AccountFeature,
    /// The owner's existing group.
    pub group: SharingGroup,
}

impl FamilyPaymentRequest {
    /// A payment for a relative of this `relation`, for `purpose`, through `feature`, by an
    /// owner in `group`.
    pub fn new(
        relation: Relation,
        purpose: AccountUse,
        feature: AccountFeature,
        group: SharingGroup,
    ) -> FamilyPaymentRequest {
        FamilyPaymentRequest {
            relation,
            purpose,
            feature,
            group,
        }
    }
}

impl EnrolmentSection {
    /// Whether a contribution can be refunded (H8): only before the benefit period starts, for
    /// a duplicate payment or joining employee insurance or another area's resident insurance;
    /// the old enrolment is suspended; a fully subsidised aid recipient's subsidy goes back the
    /// same way. The benefit period's start is the cover's first day from the history.
    ///
    /// # Errors
    /// [`EnrolmentError::NotGivenBySource`] without a refund rule; the errors of
    /// [`EnrolmentSection::cover`] and [`EnrolmentSection::category`].
    pub fn refund(
        &self,
        history: &EnrolmentHistory,
        request: &RefundRequest,
    ) -> Result<Decision, EnrolmentError> {
        let params = self
            .refund
            .as_ref()
            .ok_or_else(|| EnrolmentError::NotGivenBySource {
                what: format!("refunds of contributions for {}", request.year),
            })?;
        let category = self.category(&request.category)?;
        let rule = params.rules.first();
        let cover = self.cover(history, request.year)?;
        if !params.reasons.contains(&request.reason) {
            return Ok(Decision::new(Verdict::Refused, Step::new(rule, "`{reason}` is not a reason for a refund (only duplicate payment, joining employee insurance or another area's resident insurance)")
                .with("reason", request.reason.name())));
        }
        let started = cover
            .first_covered_day()
            .filter(|d| *d <= request.applied_on);
        if let Some(start) = started {
            return Ok(Decision::new(Verdict::Refused, Step::new(rule, "the benefit period started on {start}, on or before the application on {applied_on}: the contribution is not refunded")
                .with("start", start)
                .with("applied_on", request.applied_on)));
        }
        let mut decision = Decision::new(
            Verdict::Allowed,
            match cover.first_covered_day() {
                Some(start) => Step::new(
                    rule,
                    "applied on {applied_on}, before the benefit period starts on {start}: refunded on application",
                )
                .with("applied_on", request.applied_on)
                .with("start", start),
                None => Step::new(
                    rule,
                    "applied on {applied_on}, no benefit period has started in {year}: refunded on application",
                )
                .with("applied_on", request.applied_on)
                .with("year", request.year),
            },
        );
        decision
            .consequences
            .push("the resident enrolment is suspended".to_owned());
        if category.contribution == CategoryContribution::FullySubsidised {
            decision.trace.push(Step::new(rule, "the contribution was paid by medical aid: the aid subsidy goes back through the same channel"));
            decision.consequences.push(
                "the medical-aid subsidy is returned through the channel it came by".to_owned(),
            );
        }
        Ok(decision)
    }

    /// Whether a new resident enrolment in `place` may be made given the person's existing
    /// enrolments (H9: one place at a time, no double cover; the old enrolment must be
    /// suspended first).
    ///
    /// # Errors
    /// [`EnrolmentError::NotGivenBySource`] without a double-enrolment rule.
    pub fn new_enrolment(
        &self,
        existing: &[ExistingEnrolment],
        place: &str,
    ) -> Result<Decision, EnrolmentError> {
        let params =
            self.double_enrolment
                .as_ref()
                .ok_or_else(|| EnrolmentError::NotGivenBySource {
                    what: format!(
                        "whether double enrolment is allowed in {}",
                        self.policy_year
                    ),
                })?;
        let rule = params.rules.first();
        let active = existing
            .iter()
            .find(|e| e.status == EnrolmentStatus::Active);
        Ok(match active {
            Some(e) if e.scheme == InsuranceScheme::Resident && e.place == place => Decision::new(Verdict::Refused, Step::new(rule, "already enrolled in resident insurance in `{place}`: a second payment is a duplicate")
                .text("place", place)),
            Some(e) => Decision::new(Verdict::Refused, Step::new(rule, "an active {scheme} enrolment in `{elsewhere}` exists: suspend it before enrolling in `{place}` (one place of enrolment at a time, no double cover)").word("scheme", match e.scheme {
                        InsuranceScheme::Resident => "resident",
                        InsuranceScheme::Employee => "employee",
                    }).text("elsewhere", &e.place).text("place", place)),
            None => Decision::new(Verdict::Allowed, Step::new(rule, "no active enrolment elsewhere: may enrol in `{place}`")
                .text("place", place)),
        })
    }

    /// Whether an employee's personal account may pay for a relative (H10): resident
    /// contributions for the close relatives of Q30, medical costs for spouse, parents and
    /// children (Q51); one mutual-aid group per person (Q52); the 亲情账户 cannot pay (Q50).
    ///
    /// # Errors
    /// [`EnrolmentError::NotGivenBySource`] without a family-payment rule.
    pub fn family_payment(
        &self,
        request: &FamilyPaymentRequest,
    ) -> Result<Decision, EnrolmentError> {
        let params =
            self.family_payment
                .as_ref()
                .ok_or_else(|| EnrolmentError::NotGivenBySource {
                    what: format!(
                        "payments from an employee's personal account for relatives in {}",
                        self.policy_year
                    ),
                })?;
        let rule = params.rules.first();
        if request.feature == AccountFeature::FamilyAccount {
            return Ok(Decision::new(
                Verdict::Refused,
                Step::new(
                    rule,
                    "the family account (亲情账户) only shows codes and cannot pay; use the personal account's family mutual aid (家庭共济)",
                ),
            ));
        }
        if request.group == SharingGroup::Another {
            return Ok(Decision::new(
                Verdict::Refused,
                Step::new(
                    rule,
                    "the account owner is already in another family mutual-aid group: one group per person, leave it first",
                ),
            ));
        }
        let (list, what) = match request.purpose {
            AccountUse::ResidentContribution => {
                (&params.contribution_relatives, "resident contributions")
            }
            AccountUse::MedicalCosts => (&params.cost_sharing_relatives, "medical costs"),
        };
        Ok(if list.contains(&request.relation) {
            Decision::new(
                Verdict::Allowed,
                Step::new(
                    rule,
                    "`{relation}` is a relative whose {what} the personal account may pay",
                )
                .with("relation", request.relation.name())
                .with("what", what),
            )
        } else {
            Decision::new(Verdict::Refused, Step::new(rule, "`{relation}` is not among the relatives whose {what} the personal account may pay")
                .with("relation", request.relation.name())
                .with("what", what))
        })
    }

    /// Whether a document's number may be used to pay for a person (K12: Hong Kong, Macao
    /// and Taiwan students use their residence permit; H5: a newborn's birth certificate).
    /// An ID card is accepted for anyone.
    pub fn identity_document(
        &self,
        document: IdentityDocument,
        holder: DocumentHolder,
    ) -> Decision {
        if document == IdentityDocument::ResidentIdCard {
            return Decision::new(
                Verdict::Allowed,
                Step::new(self.rules.first(), "an ID-card number identifies anyone"),
            );
        }
        match self.identity_documents.iter().find(|r| {
            r.document == document && (r.holder == holder || r.holder == DocumentHolder::Anyone)
        }) {
            Some(r) => Decision::new(Verdict::Allowed, Step::new(r.rules.first(), "a `{document}` number may be used for a `{holder}`")
                .with("document", document.name())
                .with("holder", holder.name())),
            None => Decision::new(Verdict::Refused, Step::new(self.rules.first(), "the sources for {policy_year} do not accept a `{document}` number for a `{holder}`")
                .with("policy_year", self.policy_year)
                .with("document", document.name())
                .with("holder", holder.name())),
        }
    }
}
