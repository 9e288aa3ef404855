//! Decisions with reasons: refunds (H8), double enrolment (H9), paying from an employee's
//! personal account for relatives (H10), identity documents (K12, H5).

use chrono::NaiveDate;
use serde::Serialize;
use yibao_core::Step;
use yibao_core::{PolicyYear, RuleId, Said, Term};

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
    pub consequences: Vec<Said>,
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
                what: Said::new(
                    format!("refunds of contributions for {}", request.year),
                    format!("{} 年度个人缴费的退费", request.year),
                ),
            })?;
        let category = self.category(&request.category)?;
        let rule = params.rules.first();
        let cover = self.cover(history, request.year)?;
        if !params.reasons.contains(&request.reason) {
            return Ok(Decision::new(Verdict::Refused, Step::new(rule, "`{reason}` is not a reason for a refund (only duplicate payment, joining employee insurance or another area's resident insurance)")
                .zh("{reason} 不属于可退费的情形（仅限重复缴费、参加职工医保或其他统筹地区居民医保）")
                .term("reason", request.reason.term())));
        }
        let started = cover
            .first_covered_day()
            .filter(|d| *d <= request.applied_on);
        if let Some(start) = started {
            return Ok(Decision::new(Verdict::Refused, Step::new(rule, "the benefit period started on {start}, on or before the application on {applied_on}: the contribution is not refunded")
                .zh("待遇享受期已于 {start} 开始，不晚于申请日 {applied_on}：个人缴费不予退回")
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
                .zh("{applied_on} 申请，待遇享受期 {start} 尚未开始：依申请办理退费")
                .with("applied_on", request.applied_on)
                .with("start", start),
                None => Step::new(
                    rule,
                    "applied on {applied_on}, no benefit period has started in {year}: refunded on application",
                )
                .zh("{applied_on} 申请，{year} 年度待遇享受期尚未开始：依申请办理退费")
                .with("applied_on", request.applied_on)
                .with("year", request.year),
            },
        );
        decision.consequences.push(Said::new(
            "the resident enrolment is suspended",
            "暂停居民医保参保关系",
        ));
        if category.contribution == CategoryContribution::FullySubsidised {
            decision.trace.push(Step::new(rule, "the contribution was paid by medical aid: the aid subsidy goes back through the same channel")
                .zh("个人缴费由医疗救助资助：参保缴费补贴通过原渠道退回"));
            decision.consequences.push(Said::new(
                "the medical-aid subsidy is returned through the channel it came by",
                "医疗救助参保缴费补贴通过原缴费渠道退回",
            ));
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
        self.new_enrolment_named(existing, place, |_| None)
    }

    /// [`new_enrolment`](Self::new_enrolment), a Chinese text naming each place by the
    /// name `name_zh` gives it (its id where it gives none).
    ///
    /// # Errors
    /// As [`new_enrolment`](Self::new_enrolment).
    pub fn new_enrolment_named(
        &self,
        existing: &[ExistingEnrolment],
        place: &str,
        name_zh: impl Fn(&str) -> Option<String>,
    ) -> Result<Decision, EnrolmentError> {
        let named = |id: &str| name_zh(id).unwrap_or_else(|| id.to_owned());
        let params =
            self.double_enrolment
                .as_ref()
                .ok_or_else(|| EnrolmentError::NotGivenBySource {
                    what: Said::new(
                        format!(
                            "whether double enrolment is allowed in {}",
                            self.policy_year
                        ),
                        format!("{} 年度是否允许重复参保", self.policy_year),
                    ),
                })?;
        let rule = params.rules.first();
        let active = existing
            .iter()
            .find(|e| e.status == EnrolmentStatus::Active);
        Ok(match active {
            Some(e) if e.scheme == InsuranceScheme::Resident && e.place == place => Decision::new(Verdict::Refused, Step::new(rule, "already enrolled in resident insurance in `{place}`: a second payment is a duplicate")
                .zh("已在 {place} 参加居民医保：再次缴费属重复缴费")
                .phrase("place", place.to_owned(), named(place))),
            Some(e) => Decision::new(Verdict::Refused, Step::new(rule, "an active {scheme} enrolment in `{elsewhere}` exists: suspend it before enrolling in `{place}` (one place of enrolment at a time, no double cover)").zh("在 {elsewhere} 有正常参保的{scheme}参保关系：须先暂停该参保关系，方可在 {place} 参保（基本医疗保险不允许重复参保）").term("scheme", e.scheme.term()).phrase("elsewhere", e.place.clone(), named(&e.place)).phrase("place", place.to_owned(), named(place))),
            None => Decision::new(Verdict::Allowed, Step::new(rule, "no active enrolment elsewhere: may enrol in `{place}`")
                .zh("其他地区无正常参保关系：可在 {place} 参保")
                .phrase("place", place.to_owned(), named(place))),
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
                    what: Said::new(
                        format!(
                            "payments from an employee's personal account for relatives in {}",
                            self.policy_year
                        ),
                        format!("{} 年度职工医保个人账户为亲属支付", self.policy_year),
                    ),
                })?;
        let rule = params.rules.first();
        if request.feature == AccountFeature::FamilyAccount {
            return Ok(Decision::new(
                Verdict::Refused,
                Step::new(
                    rule,
                    "the family account (亲情账户) only shows codes and cannot pay; use the personal account's family mutual aid (家庭共济)",
                )
                .zh("亲情账户的核心功能是展码，不能代缴或支付；请使用职工医保个人账户家庭共济"),
            ));
        }
        if request.group == SharingGroup::Another {
            return Ok(Decision::new(
                Verdict::Refused,
                Step::new(
                    rule,
                    "the account owner is already in another family mutual-aid group: one group per person, leave it first",
                )
                .zh("账户所有人已加入其他家庭共济组：每人只能加入一个共济组，须先退出"),
            ));
        }
        let (list, what) = match request.purpose {
            AccountUse::ResidentContribution => (
                &params.contribution_relatives,
                Term::new("resident contributions", "居民医保费用"),
            ),
            AccountUse::MedicalCosts => (
                &params.cost_sharing_relatives,
                Term::new("medical costs", "医疗费用"),
            ),
        };
        Ok(if list.contains(&request.relation) {
            Decision::new(
                Verdict::Allowed,
                Step::new(
                    rule,
                    "`{relation}` is a relative whose {what} the personal account may pay",
                )
                .zh("{relation} 属于个人账户可支付其{what}的近亲属")
                .term("relation", request.relation.term())
                .term("what", what),
            )
        } else {
            Decision::new(Verdict::Refused, Step::new(rule, "`{relation}` is not among the relatives whose {what} the personal account may pay")
                .zh("{relation} 不在个人账户可支付其{what}的近亲属范围内")
                .term("relation", request.relation.term())
                .term("what", what))
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
                Step::new(self.rules.first(), "an ID-card number identifies anyone")
                    .zh("居民身份证号码适用于任何参保人"),
            );
        }
        match self.identity_documents.iter().find(|r| {
            r.document == document && (r.holder == holder || r.holder == DocumentHolder::Anyone)
        }) {
            Some(r) => Decision::new(Verdict::Allowed, Step::new(r.rules.first(), "a `{document}` number may be used for a `{holder}`")
                .zh("{holder} 可使用{document}号码作为缴费身份证号码")
                .term("document", document.term())
                .term("holder", holder.term())),
            None => Decision::new(Verdict::Refused, Step::new(self.rules.first(), "the sources for {policy_year} do not accept a `{document}` number for a `{holder}`")
                .zh("{policy_year} 年度的政策文件未规定 {holder} 可使用{document}号码缴费")
                .with("policy_year", self.policy_year)
                .term("document", document.term())
                .term("holder", holder.term())),
        }
    }
}
