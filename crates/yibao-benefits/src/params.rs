//! The policy-data sections this crate owns: `[benefits]` ([`BenefitParams`]) and
//! `[remote_care]` ([`RemoteCareParams`]), with their validation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use yibao_core::{Rate, RemoteCare, RemoteCut, RuleId, Rules, Schedule, Yuan};

use crate::claim::{
    FamilyDoctor, HospitalLevel, PersonGroup, SpecialDiseaseClass, TwoDiseaseCover,
};

/// The `[benefits]` section of a jurisdiction's policy year: one optional table per claim kind.
///
/// A kind whose table is absent is not defined for the jurisdiction; a claim of that kind is
/// refused with [`crate::BenefitError::KindNotDefined`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenefitParams {
    /// 普通门诊 (K3, K5; H11).
    #[serde(default)]
    pub general_outpatient: Option<GeneralOutpatientParams>,
    /// “两病”门诊用药 (H12).
    #[serde(default)]
    pub two_disease_drugs: Option<TwoDiseaseParams>,
    /// 门诊特殊病 (H13).
    #[serde(default)]
    pub special_disease: Option<SpecialDiseaseParams>,
    /// 住院 (K4; H14).
    #[serde(default)]
    pub inpatient: Option<InpatientParams>,
    /// 日间手术 (H16).
    #[serde(default)]
    pub day_surgery: Option<DaySurgeryParams>,
    /// “双通道”药品 (H17).
    #[serde(default)]
    pub dual_channel_drugs: Option<DualChannelParams>,
    /// 生育分娩 (H15).
    #[serde(default)]
    pub maternity: Option<MaternityParams>,
    /// 急诊 (H20).
    #[serde(default)]
    pub emergency: Option<EmergencyParams>,
    /// What the fund does not pay (H21, H22).
    #[serde(default)]
    pub exclusions: Option<ExclusionParams>,
}

/// General outpatient care: ratio rows, where it is paid, the annual fund cap.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneralOutpatientParams {
    /// Rule citation.
    pub rules: Rules,
    /// The POLICY-NOTES reading applied, if any.
    #[serde(default)]
    pub reading: Option<String>,
    /// The levels where general outpatient care is paid (H11: primary care only).
    pub paid_at: Vec<HospitalLevel>,
    /// The annual fund-payment cap (年度基金支付限额 / 封顶线).
    pub annual_fund_cap: FamilyDoctorAmounts,
    /// Ratio rows; a row without `group`, `family_doctor` or `part` applies to all of them.
    pub ratios: Vec<OutpatientRatio>,
    /// Outpatient care outside the jurisdiction that is not paid (K5 转外门诊).
    #[serde(default)]
    pub transfer_out: Option<TransferOutParams>,
}

/// An amount per family-doctor signing state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FamilyDoctorAmounts {
    /// Not signed.
    pub not_signed: Yuan,
    /// Signed with a family doctor.
    pub signed: Yuan,
}

impl FamilyDoctorAmounts {
    /// The amount for a signing state.
    pub fn get(&self, family_doctor: FamilyDoctor) -> Yuan {
        match family_doctor {
            FamilyDoctor::Signed => self.signed,
            FamilyDoctor::NotSigned => self.not_signed,
        }
    }
}

/// The part of an outpatient bill a ratio row applies to (H11).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OutpatientPart {
    /// 一般诊疗费: the general consultation fee.
    ConsultationFee,
    /// 其他: every other cost.
    Other,
}

yibao_core::words!(OutpatientPart {
    ConsultationFee => "consultation_fee",
    Other => "other",
});

impl OutpatientPart {
    /// Both parts.
    pub const ALL: [OutpatientPart; 2] = [OutpatientPart::ConsultationFee, OutpatientPart::Other];
}

/// One outpatient ratio row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutpatientRatio {
    /// The hospital level.
    pub level: HospitalLevel,
    /// The group it applies to; absent: every group.
    #[serde(default)]
    pub group: Option<PersonGroup>,
    /// The signing state it applies to; absent: both.
    #[serde(default)]
    pub family_doctor: Option<FamilyDoctor>,
    /// The part of the bill it applies to; absent: the whole bill.
    #[serde(default)]
    pub part: Option<OutpatientPart>,
    /// The fund's ratio.
    pub rate: Rate,
}

impl OutpatientRatio {
    fn matches(
        &self,
        level: HospitalLevel,
        group: PersonGroup,
        family_doctor: FamilyDoctor,
        part: OutpatientPart,
    ) -> bool {
        self.level == level
            && self.group.is_none_or(|g| g == group)
            && self.family_doctor.is_none_or(|f| f == family_doctor)
            && self.part.is_none_or(|p| p == part)
    }
}

/// Outpatient care outside the jurisdiction that the fund does not pay (K5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferOutParams {
    /// Rule citation.
    pub rules: Rules,
    /// The POLICY-NOTES reading applied, if any.
    #[serde(default)]
    pub reading: Option<String>,
    /// The remote-care treatments whose general outpatient costs are not paid.
    pub not_paid_under: Vec<RemoteCare>,
}

/// Hypertension/diabetes outpatient drugs (H12).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TwoDiseaseParams {
    /// Rule citation.
    pub rules: Rules,
    /// The POLICY-NOTES reading applied, if any.
    #[serde(default)]
    pub reading: Option<String>,
    /// Where it is paid (primary care).
    pub paid_at: Vec<HospitalLevel>,
    /// The fund's ratio.
    pub rate: Rate,
    /// The annual fund cap by cover.
    pub annual_fund_cap: TwoDiseaseCaps,
}

/// The two-disease annual caps (H12).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TwoDiseaseCaps {
    /// One disease.
    pub one_disease: Yuan,
    /// Both diseases.
    pub both_diseases: Yuan,
}

impl TwoDiseaseCaps {
    /// The cap for a cover.
    pub fn get(&self, cover: TwoDiseaseCover) -> Yuan {
        match cover {
            TwoDiseaseCover::OneDisease => self.one_disease,
            TwoDiseaseCover::BothDiseases => self.both_diseases,
        }
    }
}

/// A ratio per hospital level; primary care only where the source gives one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelRates {
    /// Primary care, if the source gives a separate ratio.
    #[serde(default)]
    pub primary_care: Option<Rate>,
    /// 一级.
    pub level_1: Rate,
    /// 二级.
    pub level_2: Rate,
    /// 三级.
    pub level_3: Rate,
}

impl LevelRates {
    /// The ratio at a level, if given.
    pub fn get(&self, level: HospitalLevel) -> Option<Rate> {
        match level {
            HospitalLevel::PrimaryCare => self.primary_care,
            HospitalLevel::Level1 => Some(self.level_1),
            HospitalLevel::Level2 => Some(self.level_2),
            HospitalLevel::Level3 => Some(self.level_3),
        }
    }
}

/// An amount per special-disease class (H13 deductibles).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassAmounts {
    /// 严重精神障碍.
    pub severe_mental: Yuan,
    /// 精神类疾病.
    pub psychiatric: Yuan,
    /// 其他病种.
    pub other: Yuan,
}

impl ClassAmounts {
    /// The amount of a class.
    pub fn get(&self, class: SpecialDiseaseClass) -> Yuan {
        match class {
            SpecialDiseaseClass::SevereMental => self.severe_mental,
            SpecialDiseaseClass::Psychiatric => self.psychiatric,
            SpecialDiseaseClass::Other => self.other,
        }
    }
}

/// The annual cap of a kind that has no cap of its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum SharedCap {
    /// Shares the inpatient annual fund cap (H13 provincial diseases; H16 reading).
    SharesInpatient,
    /// The source gives no limit; the note says so. Claims under it are refused.
    NotGivenBySource(String),
}

/// Outpatient special diseases (H13).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecialDiseaseParams {
    /// Rule citation.
    pub rules: Rules,
    /// The POLICY-NOTES reading applied, if any.
    #[serde(default)]
    pub reading: Option<String>,
    /// The deductible per class, paid once a year per class.
    pub deductible: ClassAmounts,
    /// The ratio per level.
    pub ratio: LevelRates,
    /// The cap of the provincial diseases.
    pub provincial_cap: SharedCap,
    /// The cap of the city-retained diseases.
    pub city_retained_cap: SharedCap,
}

/// Inpatient care (K4, H14).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InpatientParams {
    /// Rule citation.
    pub rules: Rules,
    /// The POLICY-NOTES reading applied, if any.
    #[serde(default)]
    pub reading: Option<String>,
    /// The first admission's deductible (起付线) by level and, optionally, group.
    pub deductible: Vec<DeductibleRow>,
    /// The deductible at a designated hospital outside the city (H14), whatever the level.
    #[serde(default)]
    pub out_of_city_deductible: Option<Yuan>,
    /// The deductible of later admissions in the year.
    pub repeat_admissions: RepeatAdmissions,
    /// The ratio: a ladder on the year's cumulative expense (K4) or one ratio per level (H14).
    pub ratio: InpatientRatio,
    /// The annual limit (封顶线).
    pub annual_fund_cap: Yuan,
    /// What the annual limit limits.
    pub cap_basis: CapBasis,
}

/// One deductible row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeductibleRow {
    /// The hospital level.
    pub level: HospitalLevel,
    /// The group; absent: every group.
    #[serde(default)]
    pub group: Option<PersonGroup>,
    /// The deductible.
    pub amount: Yuan,
}

/// The deductible of the 2nd and of the 3rd and later admissions of a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepeatAdmissions {
    /// The 2nd admission.
    pub second: RepeatDeductible,
    /// The 3rd and later admissions.
    pub third_and_later: RepeatDeductible,
}

/// How a repeat admission's deductible is set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum RepeatDeductible {
    /// The full deductible of its level, as for a first admission (H14 reading).
    Full,
    /// A share of the first admission's deductible (K4: 50%).
    ShareOfFirst(Rate),
    /// A fixed amount (K4: 100).
    Amount(Yuan),
}

/// The inpatient ratio.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum InpatientRatio {
    /// A progressive ladder (K4).
    Ladder(Ladder),
    /// One ratio per level (H14).
    ByLevel(LevelRates),
}

/// A ratio ladder and what its position measures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ladder {
    /// What the position on the ladder is.
    pub basis: LadderBasis,
    /// The bands.
    pub bands: Schedule,
}

/// What the position on an inpatient ladder measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LadderBasis {
    /// The year's cumulative eligible inpatient expense, deductible portions included (K4 reading).
    CumulativeEligibleExpense,
}

/// What an annual cap (封顶线) limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CapBasis {
    /// The fund's payments in the year (Q78; the project's reading for K4 and H14).
    AnnualFundPayment,
    /// The eligible expense on the ladder: nothing is paid above it (the alternative K4 reading).
    EligibleExpense,
}

/// Day surgery (H16).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DaySurgeryParams {
    /// Rule citation.
    pub rules: Rules,
    /// The POLICY-NOTES reading applied, if any.
    #[serde(default)]
    pub reading: Option<String>,
    /// The ratio per level (no deductible).
    pub ratio: LevelRates,
    /// Its cap.
    pub annual_fund_cap: SharedCap,
}

/// Dual-channel drugs (H17): one ratio, no deductible, no cap, not in the catastrophic burden.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DualChannelParams {
    /// Rule citation.
    pub rules: Rules,
    /// The POLICY-NOTES reading applied, if any.
    #[serde(default)]
    pub reading: Option<String>,
    /// The fund's ratio.
    pub rate: Rate,
}

/// Maternity delivery (H15): settled as an admission; the rest goes to a fiscal subsidy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaternityParams {
    /// Rule citation.
    pub rules: Rules,
    /// The POLICY-NOTES reading applied, if any.
    #[serde(default)]
    pub reading: Option<String>,
    /// The remote-care treatment of a delivery elsewhere in the same province.
    pub same_province: MaternityRemote,
}

/// How a delivery elsewhere in the province is treated (H15: 免备案、不降点).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MaternityRemote {
    /// No ratio cut, whatever the filing.
    NoCut,
    /// The ordinary remote-care cut.
    AsOtherCare,
}

/// Emergency care (H20): marks the rule as defined for the jurisdiction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmergencyParams {
    /// Rule citation.
    pub rules: Rules,
    /// The POLICY-NOTES reading applied, if any.
    #[serde(default)]
    pub reading: Option<String>,
}

/// Costs the fund does not pay (H21, H22).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExclusionParams {
    /// Rule citation.
    pub rules: Rules,
    /// The POLICY-NOTES reading applied, if any.
    #[serde(default)]
    pub reading: Option<String>,
    /// The situations not paid, each with the rule that says so.
    pub not_paid: Vec<Exclusion>,
}

impl ExclusionParams {
    /// The rule that excludes `situation`, when the table lists it.
    pub fn rule_for(&self, situation: NotPaid) -> Option<RuleId> {
        self.not_paid
            .iter()
            .find(|e| e.situation == situation)
            .map(|e| e.rule)
    }
}

/// One situation of an exclusions table and the rule that excludes it (e.g. a liable third
/// party, H21; work injury, H22).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// The situation.
    pub situation: NotPaid,
    /// The rule that excludes it: one of the table's `rules`.
    pub rule: RuleId,
}

/// A situation the fund does not pay.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NotPaid {
    /// Owed by work-injury insurance.
    WorkInjury,
    /// An accident a third party is liable for.
    LiableThirdParty,
    /// Owed by public health.
    PublicHealth,
    /// Incurred abroad.
    Abroad,
    /// At a non-designated institution, except emergencies.
    NonDesignatedExceptEmergency,
}

yibao_core::words!(NotPaid {
    WorkInjury => "work_injury",
    LiableThirdParty => "liable_third_party",
    PublicHealth => "public_health",
    Abroad => "abroad",
    NonDesignatedExceptEmergency => "non_designated_except_emergency",
});

impl NotPaid {
    /// The situation in words, to follow "the costs are".
    pub fn describe(self) -> &'static str {
        match self {
            NotPaid::WorkInjury => "owed by work-injury insurance",
            NotPaid::LiableThirdParty => "from an accident a third party is liable for",
            NotPaid::PublicHealth => "owed by public health",
            NotPaid::Abroad => "incurred abroad",
            NotPaid::NonDesignatedExceptEmergency => {
                "incurred at a non-designated institution (not an emergency)"
            }
        }
    }

    /// The situation in English ([`NotPaid::describe`]) and in Chinese, to follow 该费用.
    pub fn term(self) -> yibao_core::Term {
        let zh = match self {
            NotPaid::WorkInjury => "应当由工伤保险基金支付",
            NotPaid::LiableThirdParty => "应当由第三人负担",
            NotPaid::PublicHealth => "应当由公共卫生负担",
            NotPaid::Abroad => "在境外就医",
            NotPaid::NonDesignatedExceptEmergency => "在非定点医药机构发生（非急诊抢救）",
        };
        yibao_core::Term::new(self.describe(), zh)
    }
}

/// The `[remote_care]` section: the ratio cut per remote-care treatment (H18, W5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoteCareParams {
    /// Rule citation.
    pub rules: Rules,
    /// The POLICY-NOTES reading applied, if any.
    #[serde(default)]
    pub reading: Option<String>,
    /// The cut per treatment; a treatment absent here and from `not_given_by_source` is
    /// refused for remote care.
    pub cut: BTreeMap<RemoteCare, CutRule>,
    /// The treatments the source gives no rule for, each with what the source says and does
    /// not say (K8: unfiled remote care in Kunshan): a claim under one is not settled, and a
    /// caller reports it rather than refusing the whole year (see [`RemoteCareParams::not_given`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub not_given_by_source: BTreeMap<RemoteCare, String>,
}

impl RemoteCareParams {
    /// What the source says and does not say when it gives no rule for care under
    /// `treatment` (K8: unfiled remote care in Kunshan); `None` when it gives a cut, or when
    /// the data does not list the treatment at all (which [`crate::settle`] refuses).
    pub fn not_given(&self, treatment: RemoteCare) -> Option<&str> {
        self.not_given_by_source.get(&treatment).map(String::as_str)
    }
}

/// A treatment's ratio cut in data: `"no_cut"`, `{ points = "5%" }` or `{ factor = "80%" }`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum CutRule {
    /// The home ratio applies.
    NoCut,
    /// Minus percentage points (H18).
    Points(Rate),
    /// Times a factor (W5).
    Factor(Rate),
}

impl CutRule {
    /// The rule in words, e.g. "minus 20 points" or "× 80%".
    pub fn describe(&self) -> String {
        match self {
            CutRule::NoCut => "no cut".to_owned(),
            CutRule::Points(points) => RemoteCut::Points(*points).to_string(),
            CutRule::Factor(factor) => RemoteCut::Factor(*factor).to_string(),
        }
    }
}

impl CutRule {
    /// The cut as the shared [`RemoteCut`], `None` for no cut.
    pub fn as_cut(self) -> Option<RemoteCut> {
        match self {
            CutRule::NoCut => None,
            CutRule::Points(points) => Some(RemoteCut::Points(points)),
            CutRule::Factor(factor) => Some(RemoteCut::Factor(factor)),
        }
    }
}

mod validation;
