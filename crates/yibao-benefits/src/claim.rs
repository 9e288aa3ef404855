//! The inputs: a person's facts and a claim.

use std::fmt;

use serde::{Deserialize, Serialize};
use yibao_core::{NaiveDate, RemoteCare, Yuan};

/// The insured group a ratio or deductible depends on (K3, K4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonGroup {
    /// 未就业居民: an unemployed resident (adult).
    Resident,
    /// 学生少儿大学生: pupils, children and university students.
    Student,
}

impl PersonGroup {
    /// Both groups.
    pub const ALL: [PersonGroup; 2] = [PersonGroup::Resident, PersonGroup::Student];
}

impl PersonGroup {
    /// The group's name in English and Chinese.
    pub fn term(self) -> yibao_core::Term {
        match self {
            PersonGroup::Resident => yibao_core::Term::new("resident", "居民"),
            PersonGroup::Student => yibao_core::Term::new("student", "学生"),
        }
    }
}

impl fmt::Display for PersonGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.term().en)
    }
}

/// Whether the person is signed with a family doctor (家庭医生签约).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FamilyDoctor {
    /// 签约: signed.
    Signed,
    /// 非签约: not signed.
    NotSigned,
}

impl FamilyDoctor {
    /// Both states.
    pub const ALL: [FamilyDoctor; 2] = [FamilyDoctor::Signed, FamilyDoctor::NotSigned];
}

impl FamilyDoctor {
    /// Signed or not, in English and Chinese.
    pub fn term(self) -> yibao_core::Term {
        match self {
            FamilyDoctor::Signed => {
                yibao_core::Term::new("signed with a family doctor", "纳入家庭医生签约管理")
            }
            FamilyDoctor::NotSigned => {
                yibao_core::Term::new("not signed with a family doctor", "未签约家庭医生")
            }
        }
    }
}

impl fmt::Display for FamilyDoctor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.term().en)
    }
}

/// The facts about the insured person that benefits depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Person {
    /// Resident or student (Kunshan distinguishes them; Huai'an does not).
    pub group: PersonGroup,
    /// Family-doctor signing (K3 level-1 ratio, H11 cap).
    pub family_doctor: FamilyDoctor,
}

impl Person {
    /// The person of these facts.
    pub const fn new(group: PersonGroup, family_doctor: FamilyDoctor) -> Person {
        Person {
            group,
            family_doctor,
        }
    }
}

/// The level of the treating institution (医疗机构等级).
///
/// Written `primary_care`, `level_1`, `level_2` and `level_3`; the levels also read as `1`,
/// `2` and `3` (the batch's first claims files).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HospitalLevel {
    /// 基层医疗卫生机构: primary care (community health centre, township health centre, village clinic).
    PrimaryCare,
    /// 一级.
    Level1,
    /// 二级.
    Level2,
    /// 三级.
    Level3,
}

yibao_core::words!(HospitalLevel {
    PrimaryCare => "primary_care",
    Level1 => "level_1" | "1",
    Level2 => "level_2" | "2",
    Level3 => "level_3" | "3",
});

impl HospitalLevel {
    /// Every level.
    pub const ALL: [HospitalLevel; 4] = [
        HospitalLevel::PrimaryCare,
        HospitalLevel::Level1,
        HospitalLevel::Level2,
        HospitalLevel::Level3,
    ];
}

impl HospitalLevel {
    /// The level's name in English and Chinese.
    pub fn term(self) -> yibao_core::Term {
        match self {
            HospitalLevel::PrimaryCare => yibao_core::Term::new("primary care", "基层医疗卫生机构"),
            HospitalLevel::Level1 => yibao_core::Term::new("level 1", "一级医院"),
            HospitalLevel::Level2 => yibao_core::Term::new("level 2", "二级医院"),
            HospitalLevel::Level3 => yibao_core::Term::new("level 3", "三级医院"),
        }
    }
}

impl fmt::Display for HospitalLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.term().en)
    }
}

/// Whether the institution is designated (定点) by the insurance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Designation {
    /// 定点: designated.
    Designated,
    /// 非定点: not designated (not paid except emergencies, H22).
    NotDesignated,
}

/// Whether the costs come from an accident, and whether a third party is liable (H21).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Accident {
    /// Illness, not an accident.
    NotAnAccident,
    /// An accident with no liable third party, no illegal act, no self-harm: paid like illness.
    NoLiableThirdParty,
    /// An accident a third party is liable for: not paid.
    LiableThirdParty,
}

/// A fact that puts the costs outside the basic fund (H22).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ExclusionFact {
    /// 应当从工伤保险基金中支付: owed by work-injury insurance.
    WorkInjury,
    /// 应当由公共卫生负担: owed by public health.
    PublicHealth,
    /// 在境外就医: incurred abroad.
    Abroad,
}

/// A special-disease class: the deductible is paid once a year per class (H13).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SpecialDiseaseClass {
    /// 严重精神障碍: severe mental disorders.
    SevereMental,
    /// 精神类疾病: other psychiatric diseases.
    Psychiatric,
    /// 其他病种: every other special disease.
    Other,
}

impl SpecialDiseaseClass {
    /// Every class.
    pub const ALL: [SpecialDiseaseClass; 3] = [
        SpecialDiseaseClass::SevereMental,
        SpecialDiseaseClass::Psychiatric,
        SpecialDiseaseClass::Other,
    ];
}

impl SpecialDiseaseClass {
    /// The class in English and Chinese.
    pub fn term(self) -> yibao_core::Term {
        match self {
            SpecialDiseaseClass::SevereMental => {
                yibao_core::Term::new("severe mental disorder", "严重精神障碍")
            }
            SpecialDiseaseClass::Psychiatric => {
                yibao_core::Term::new("psychiatric disease", "精神类疾病")
            }
            SpecialDiseaseClass::Other => {
                yibao_core::Term::new("other special disease", "其他病种")
            }
        }
    }
}

impl fmt::Display for SpecialDiseaseClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.term().en)
    }
}

/// Which catalogue a special disease is on (H13).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum SpecialDiseaseCatalogue {
    /// 省定病种: one of the provincial diseases (share the inpatient cap).
    Provincial,
    /// 我市保留病种: a city-retained disease (own limits, not given by the sources).
    CityRetained,
}

/// How many of the two diseases (两病: hypertension, diabetes) the person is treated for (H12).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TwoDiseaseCover {
    /// Hypertension or diabetes.
    OneDisease,
    /// Both.
    BothDiseases,
}

yibao_core::words!(TwoDiseaseCover {
    OneDisease => "one_disease",
    BothDiseases => "both_diseases",
});

impl TwoDiseaseCover {
    /// The cover in English (its name, as data write it) and in Chinese.
    pub fn term(self) -> yibao_core::Term {
        use yibao_core::Word;
        let zh = match self {
            TwoDiseaseCover::OneDisease => "患一种疾病",
            TwoDiseaseCover::BothDiseases => "同时患两种疾病",
        };
        yibao_core::Term::new(self.name(), zh)
    }
}

/// How emergency care ended (H20).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum EmergencyOutcome {
    /// Admitted: the emergency costs join the admission (settle them in the inpatient claim).
    Admitted,
    /// Not admitted: outpatient policy.
    NotAdmitted,
    /// Died in emergency care: inpatient policy.
    Died,
}

/// Where a delivery took place relative to the province (H15).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Province {
    /// In the insured person's province (Jiangsu): no filing, no ratio cut.
    SameProvince,
    /// In another province: the remote-care rules apply.
    OtherProvince,
}

/// What the claim is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "kind", deny_unknown_fields)]
#[non_exhaustive]
pub enum ClaimKind {
    /// 普通门诊: general outpatient care, with its general consultation fee (一般诊疗费) part.
    GeneralOutpatient {
        /// The part of the eligible amount that is general consultation fee (H11: 70%).
        consultation_fee: Yuan,
    },
    /// “两病”门诊用药: hypertension/diabetes drugs (H12).
    TwoDiseaseDrugs {
        /// One or both diseases: sets the annual cap.
        cover: TwoDiseaseCover,
    },
    /// 门诊特殊病: outpatient special disease (H13).
    SpecialDisease {
        /// The disease class (sets the deductible).
        class: SpecialDiseaseClass,
        /// Provincial or city-retained disease (sets the cap).
        catalogue: SpecialDiseaseCatalogue,
    },
    /// 住院: an inpatient admission (K4, H14).
    Inpatient,
    /// 日间手术: day surgery, discharged within 48 hours (H16).
    DaySurgery,
    /// “双通道”药品: dual-channel drugs (H17).
    DualChannelDrugs,
    /// 住院分娩: a delivery admission (H15).
    MaternityDelivery {
        /// Same province or another one.
        province: Province,
    },
    /// 急诊急救: emergency care (H20).
    Emergency {
        /// How it ended.
        outcome: EmergencyOutcome,
    },
}

impl ClaimKind {
    /// A short English name for messages.
    pub fn name(self) -> &'static str {
        match self {
            ClaimKind::GeneralOutpatient { .. } => "general outpatient",
            ClaimKind::TwoDiseaseDrugs { .. } => "hypertension/diabetes drug",
            ClaimKind::SpecialDisease { .. } => "outpatient special disease",
            ClaimKind::Inpatient => "inpatient",
            ClaimKind::DaySurgery => "day surgery",
            ClaimKind::DualChannelDrugs => "dual-channel drug",
            ClaimKind::MaternityDelivery { .. } => "maternity delivery",
            ClaimKind::Emergency { .. } => "emergency",
        }
    }
}

/// The bill: either its eligible (政策范围内) amount, or its split into drug/item classes (H23).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Bill {
    /// The whole amount is eligible.
    Eligible(Yuan),
    /// 甲类 / 乙类 / 丙类: class A fully eligible, class B after a personal share, class C self-paid.
    Classes {
        /// 甲类: fully in scope.
        class_a: Yuan,
        /// 乙类: in scope after the personal share (rate not in the sources).
        class_b: Yuan,
        /// 丙类: out of the catalogue, self-paid.
        class_c: Yuan,
    },
}

/// One claim: a bill for care on one date.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Claim {
    /// The date of care (for an admission, the discharge date settles it).
    #[serde(deserialize_with = "yibao_core::deserialize_date")]
    pub date: NaiveDate,
    /// What the claim is for.
    pub kind: ClaimKind,
    /// The level of the treating institution.
    pub level: HospitalLevel,
    /// Designated or not.
    pub designation: Designation,
    /// The remote-care treatment, decided by the filing rules (`Local` at home).
    pub remote_care: RemoteCare,
    /// Accident facts (H21).
    pub accident: Accident,
    /// Facts that put the costs outside the basic fund (H22); usually empty.
    #[serde(default)]
    pub exclusions: Vec<ExclusionFact>,
    /// The bill.
    pub bill: Bill,
}

impl Claim {
    /// A claim at a designated institution at home, for illness, with the whole bill eligible.
    pub fn new(date: NaiveDate, kind: ClaimKind, level: HospitalLevel, eligible: Yuan) -> Claim {
        Claim {
            date,
            kind,
            level,
            designation: Designation::Designated,
            remote_care: RemoteCare::Local,
            accident: Accident::NotAnAccident,
            exclusions: Vec::new(),
            bill: Bill::Eligible(eligible),
        }
    }

    /// The same claim under another remote-care treatment.
    pub fn with_remote_care(mut self, treatment: RemoteCare) -> Claim {
        self.remote_care = treatment;
        self
    }

    /// The same claim at an institution of another designation.
    pub fn with_designation(mut self, designation: Designation) -> Claim {
        self.designation = designation;
        self
    }

    /// The same claim with these accident facts (H21).
    pub fn with_accident(mut self, accident: Accident) -> Claim {
        self.accident = accident;
        self
    }

    /// The same claim with these facts that put its costs outside the basic fund (H22).
    pub fn with_exclusions(mut self, exclusions: Vec<ExclusionFact>) -> Claim {
        self.exclusions = exclusions;
        self
    }

    /// The same claim with another bill (a bill by class, for instance).
    pub fn with_bill(mut self, bill: Bill) -> Claim {
        self.bill = bill;
        self
    }
}
