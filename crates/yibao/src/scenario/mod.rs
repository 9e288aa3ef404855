//! The scenario of one person's policy year: who they are, how they enrolled, their
//! remote-care filings and their claims. Read from TOML or JSON; documented by
//! `yibao schema scenario` and the files under `examples/`.
//!
//! The claim form is flat on purpose (`kind = "inpatient"`, `level = "level_3"`,
//! `amount = "30000"`), so that the same fields serve a scenario file and a CSV row.

use serde::{Deserialize, Serialize};
use yibao_benefits::{
    Accident, Designation, EmergencyOutcome, FamilyDoctor, HospitalLevel, PersonGroup, Province,
    SpecialDiseaseCatalogue, SpecialDiseaseClass, TwoDiseaseCover,
};
use yibao_catastrophic::PersonClass;
use yibao_core::{NaiveDate, PolicyYear, Rate, Yuan};
use yibao_filing::{Area, Circumstance, Connection, FilingEvent};

mod reading;
pub(crate) mod reading_zh;

pub use reading::{Positions, ScenarioError, ScenarioFile, ScenarioFormat};
pub use reading_zh::reader_message_zh;

/// The JSON Schema of [`Scenario`] (draft 2020-12), as `yibao schema scenario` prints it.
pub const JSON_SCHEMA: &str = include_str!("scenario.schema.json");

/// One person's policy year, as an analyst writes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The insured place, e.g. `huaian`.
    pub jurisdiction: String,
    /// The policy year.
    pub year: PolicyYear,
    /// Who the person is.
    pub person: PersonInput,
    /// The enrolment history (payments, status changes). Empty: cover is assumed for the
    /// whole year and the output says so.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enrolment: Vec<EnrolmentEventInput>,
    /// The incentive history for the catastrophic cap (H7). Absent: computed from the
    /// enrolment history where there is one, else this year counts as the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incentives: Option<IncentiveInput>,
    /// The remote-care filing event log (W3, W4, K6).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filings: Vec<FilingEvent>,
    /// The class B personal share (乙类先行自付比例), which the sources do not publish
    /// (H23); needed only for bills split into classes with a class B part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_b_personal_share: Option<Rate>,
    /// The claims, in any order: they are settled by date.
    #[serde(default)]
    pub claims: Vec<ClaimInput>,
}

/// Who the person is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    /// An identifier for the output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Date of birth; needed with an enrolment history.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "yibao_core::deserialize_optional_date"
    )]
    pub born: Option<NaiveDate>,
    /// The enrolment category id of the jurisdiction's data (e.g. `unemployed_resident`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Resident or student, for the benefit tables (K3, K4).
    #[serde(default = "resident")]
    pub group: PersonGroup,
    /// Signed with a family doctor or not (K3, H11).
    #[serde(default = "not_signed")]
    pub family_doctor: FamilyDoctor,
    /// Ordinary insured or medical-aid recipient, for catastrophic insurance (H19). Absent:
    /// the class the `category` selects (H1 Reading: `medical_aid` selects the aid
    /// schedule), else ordinary; given, it must agree with the category's class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catastrophic_class: Option<PersonClass>,
}

impl PersonInput {
    /// The catastrophic class (H19): the explicit one, or the one the category selects
    /// (`of_category`, H1 Reading), or ordinary.
    ///
    /// # Errors
    /// [`ClassConflict`] when the explicit class contradicts the category's.
    pub fn catastrophic_class_with(
        &self,
        of_category: Option<PersonClass>,
    ) -> Result<PersonClass, ClassConflict> {
        match (self.catastrophic_class, of_category, &self.category) {
            (Some(given), Some(selected), Some(category)) if given != selected => {
                Err(ClassConflict {
                    given,
                    category: category.clone(),
                    selected,
                })
            }
            (Some(given), _, _) => Ok(given),
            (None, Some(selected), _) => Ok(selected),
            (None, None, _) => Ok(PersonClass::Ordinary),
        }
    }
}

/// A scenario whose explicit catastrophic class contradicts its enrolment category (H1).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "`person.catastrophic_class = \"{given}\"` contradicts `person.category = \"{category}\"`, which puts the person in the `{selected}` class of catastrophic insurance (H1, H19)"
)]
pub struct ClassConflict {
    /// The class the scenario gives.
    pub given: PersonClass,
    /// The enrolment category the scenario gives.
    pub category: String,
    /// The class that category selects.
    pub selected: PersonClass,
}

impl ClassConflict {
    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        format!(
            "`person.catastrophic_class = \"{}\"` 与 `person.category = \"{}\"` 相矛盾：该参保类别属大病保险的{}（`{}`）（H1、H19）",
            self.given,
            self.category,
            self.selected.term().zh,
            self.selected
        )
    }
}

fn resident() -> PersonGroup {
    PersonGroup::Resident
}
fn not_signed() -> FamilyDoctor {
    FamilyDoctor::NotSigned
}

/// One dated event of an enrolment history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolmentEventInput {
    /// The day.
    #[serde(deserialize_with = "yibao_core::deserialize_date")]
    pub on: NaiveDate,
    /// What happened.
    pub event: EnrolmentEventName,
    /// For a payment: the policy year paid for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<PolicyYear>,
    /// For a payment: who funded it (default: the person).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funding: Option<FundingInput>,
    /// For a payment: how the person enrols (default ordinary; K10 treats a transfer from
    /// employee insurance differently).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<RouteInput>,
}

/// How a person comes to enrol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteInput {
    /// An ordinary resident enrolment.
    Ordinary,
    /// A transfer from employee to resident insurance (城转居, K10).
    EmployeeToResidentTransfer,
}

/// The kinds of enrolment event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnrolmentEventName {
    /// A contribution was paid.
    Payment,
    /// Change of status on leaving the armed forces (H4).
    VeteranStatusChange,
    /// Joined employee insurance (H9).
    JoinedEmployeeInsurance,
    /// Left employee insurance.
    LeftEmployeeInsurance,
    /// Graduated (H26).
    Graduated,
}

/// Who funded a payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundingInput {
    /// The person or their family.
    Ordinary,
    /// The city, for a newly added medical-aid recipient (H4).
    CityFundedNewAidRecipient,
}

/// The incentive history for the catastrophic cap (H6, H7).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IncentiveInput {
    /// Consecutive years counted from 2025, this year included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consecutive_years: Option<u32>,
    /// Re-enrolled this year after a lapse.
    #[serde(default)]
    pub re_enrolled_after_lapse: bool,
    /// Past years with no fund reimbursement.
    #[serde(default)]
    pub zero_reimbursement_years: Vec<PolicyYear>,
    /// Past years whose catastrophic payments used reward quota.
    #[serde(default)]
    pub reward_quota_used_years: Vec<PolicyYear>,
}

/// The kinds of claim, as written in a scenario or a CSV row: the names of the settled
/// [`ClaimKind`](yibao_benefits::ClaimKind)s (general outpatient care is `general_outpatient`;
/// the older `outpatient_general` still reads).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClaimKindName {
    /// General outpatient (needs `consultation_fee` in Huai'an, H11).
    OutpatientGeneral,
    /// Hypertension/diabetes drugs (needs `two_disease`, H12).
    TwoDiseaseDrugs,
    /// Outpatient special disease (`disease_class`, `catalogue`; default other, provincial; H13).
    SpecialDisease,
    /// Inpatient admission (H14, K4).
    Inpatient,
    /// Day surgery (H16).
    DaySurgery,
    /// Dual-channel drugs (H17).
    DualChannelDrugs,
    /// Maternity delivery (`province`, default same province; H15).
    MaternityDelivery,
    /// Emergency care (`emergency_outcome`; H20).
    Emergency,
}

yibao_core::words!(ClaimKindName {
    OutpatientGeneral => "general_outpatient" | "outpatient_general",
    TwoDiseaseDrugs => "two_disease_drugs",
    SpecialDisease => "special_disease",
    Inpatient => "inpatient",
    DaySurgery => "day_surgery",
    DualChannelDrugs => "dual_channel_drugs",
    MaternityDelivery => "maternity_delivery",
    Emergency => "emergency",
});

/// One claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimInput {
    /// An identifier for the output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The day of care (for an admission, the day of discharge settlement).
    #[serde(deserialize_with = "yibao_core::deserialize_date")]
    pub date: NaiveDate,
    /// The kind of claim.
    pub kind: ClaimKindName,
    /// The hospital level.
    pub level: HospitalLevel,
    /// The eligible amount (政策范围内费用). Give this, or the class split.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Yuan>,
    /// Class A drugs and items (fully in scope, H23).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_a: Option<Yuan>,
    /// Class B drugs and items (in scope after the personal share, H23).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_b: Option<Yuan>,
    /// Class C (out of catalogue, self-paid, H23).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_c: Option<Yuan>,
    /// General outpatient: the general consultation fee part (一般诊疗费, H11).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consultation_fee: Option<Yuan>,
    /// Two-disease drugs: one disease or both (H12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub two_disease: Option<TwoDiseaseCover>,
    /// Special disease: the class (H13).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disease_class: Option<SpecialDiseaseClass>,
    /// Special disease: provincial or city-retained catalogue (H13).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalogue: Option<SpecialDiseaseCatalogue>,
    /// Maternity: delivered in the same province or another (H15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<Province>,
    /// Emergency: admitted, not admitted or died (H20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emergency_outcome: Option<EmergencyOutcome>,
    /// Designated institution or not (default designated, H22).
    #[serde(default = "designated")]
    pub designation: Designation,
    /// Accident facts (default not an accident, H21).
    #[serde(default = "not_an_accident")]
    pub accident: Accident,
    /// Facts that exclude the claim (work injury, public health, abroad: H22).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<yibao_benefits::ExclusionFact>,
    /// Where the care took place, as a place path (`shanghai`, `shanghai/qingpu`,
    /// `zhejiang/hangzhou`); absent: at home.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Area>,
    /// The remote-care treatment when it is already known (e.g. from a hospital's
    /// settlement system, or a referral out of the city in a batch file); give this or
    /// `place`, not both. Absent with no `place`: local care.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_care: Option<yibao_core::RemoteCare>,
    /// Planned care or emergency rescue away from home (default planned).
    #[serde(default = "planned")]
    pub circumstance: Circumstance,
    /// Whether the institution settles directly (default networked).
    #[serde(default = "networked")]
    pub connection: Connection,
}

fn designated() -> Designation {
    Designation::Designated
}
fn not_an_accident() -> Accident {
    Accident::NotAnAccident
}
fn planned() -> Circumstance {
    Circumstance::Planned
}
fn networked() -> Connection {
    Connection::Networked
}
