//! Basic-fund benefit calculation (基本医疗保险待遇) for urban and rural residents' medical
//! insurance, claim by claim through a person's policy year: Kunshan 2021 (K3–K5, K8) and
//! Huai'an 2026 (H11–H18, H20–H23), with the remote-care cuts of Huai'an (H18) and Wujiang (W5).
//!
//! Every figure is exact to the fen and every step carries the rule id it applied. A claim is
//! a settlement of its own: a flat-rate fund payment is `round(base × rate)` over the claim's
//! own parts (summed exactly, rounded once with the book's rounding mode), then limited by
//! what is left of the annual cap, `min(·, cap − paid before)`. Only the Kunshan ladder (K4),
//! banded on the year's cumulative position, telescopes: an admission is paid
//! `round(F(after)) − round(F(before))` of the year's exact ladder figure, so the admissions
//! of a year add up to the rounded annual figure. Parameters come from the `[benefits]` and
//! `[remote_care]` sections of the policy data; this crate does no I/O.
//!
//! ```
//! use yibao_benefits::{
//!     BenefitParams, Claim, ClaimKind, FamilyDoctor, HospitalLevel, Person, PersonGroup,
//!     SettleConfig, YearState, settle,
//! };
//! use yibao_core::{NaiveDate, PolicyYear, RoundingMode, Validate, Yuan};
//!
//! // The `[benefits]` section of policy-data/huaian/2026.toml, abridged (H14).
//! let benefits: BenefitParams = toml::from_str(r#"
//!     [inpatient]
//!     rules = ["H14"]
//!     deductible = [
//!       { level = "level_1", amount = "300" },
//!       { level = "level_2", amount = "600" },
//!       { level = "level_3", amount = "900" },
//!     ]
//!     out_of_city_deductible = "1200"
//!     repeat_admissions = { second = "full", third_and_later = "full" }
//!     annual_fund_cap = "240000"
//!     cap_basis = "annual_fund_payment"
//!     ratio = { by_level = { level_1 = "85%", level_2 = "75%", level_3 = "65%" } }
//! "#)?;
//! assert!(benefits.validate().is_empty());
//!
//! let config = SettleConfig::new(
//!     &benefits,
//!     None, // no [remote_care] section: remote claims are refused
//!     RoundingMode::HalfAwayFromZero,
//!     None, // no class B personal share: bills with class B items are refused
//!     yibao_benefits::Explain::Steps,
//! );
//! let person = Person::new(PersonGroup::Resident, FamilyDoctor::NotSigned);
//! let mut year = YearState::new(PolicyYear::new(2026)?);
//! let date = NaiveDate::from_ymd_opt(2026, 3, 14).ok_or("bad date")?;
//! let admission = Claim::new(date, ClaimKind::Inpatient, HospitalLevel::Level3, "10000".parse()?);
//!
//! let settled = settle(&mut year, &config, &person, &admission)?;
//! // (10,000 − 900) × 65% = 5,915
//! assert_eq!(settled.deductible, "900".parse::<Yuan>()?);
//! assert_eq!(settled.fund_paid, "5915".parse::<Yuan>()?);
//! assert_eq!(settled.person_pays, "4085".parse::<Yuan>()?);
//! assert_eq!(settled.catastrophic_base, "4085".parse::<Yuan>()?); // H19's base
//! assert_eq!(settled.trace[0].rule.to_string(), "H14");
//!
//! // 冲正: reversing restores the year exactly.
//! year.reverse(&settled)?;
//! assert_eq!(year, YearState::new(PolicyYear::new(2026)?));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! Load the sections ([`BenefitParams`], [`RemoteCareParams`]; check them with
//! [`yibao_core::Validate::validate`]), start a [`YearState`] for the person's policy year,
//! and [`settle`] each [`Claim`] in date order (or [`settle_year`] a list). Each
//! [`SettledClaim`] gives the eligible amount, deductible, fund payment, person's payment, band
//! breakdown, remote-care adjustment, catastrophic base and a trace. [`YearState::reverse`]
//! undoes the last settlement; a year that will never be reversed can be started with
//! [`YearState::without_reversal`], which settles the same figures and keeps no journal.
//!
//! | term in the sources | here |
//! |---|---|
//! | 起付线 | `deductible` ([`InpatientParams::deductible`], [`SettledClaim::deductible`]) |
//! | 封顶线, 年度基金支付限额 | `annual_fund_cap` |
//! | 报销比例, 支付比例 | `ratio`, `rate` ([`yibao_core::Rate`]) |
//! | 分段 (起付线–4 万：75% …) | [`Ladder`] on [`LadderBasis::CumulativeEligibleExpense`] |
//! | 统筹基金支付 | [`SettledClaim::fund_paid`] |
//! | 个人负担 | [`SettledClaim::person_pays`] |
//! | 大病保险 合规费用个人负担 | [`SettledClaim::catastrophic_base`] (H19) |
//! | 普通门诊, 一般诊疗费 | [`ClaimKind::GeneralOutpatient`], `consultation_fee` |
//! | “两病”门诊用药 | [`ClaimKind::TwoDiseaseDrugs`] |
//! | 门诊特殊病 (省定 / 市定病种) | [`ClaimKind::SpecialDisease`], [`SpecialDiseaseCatalogue`] |
//! | 住院, 日间手术 | [`ClaimKind::Inpatient`], [`ClaimKind::DaySurgery`] |
//! | “双通道”药品 | [`ClaimKind::DualChannelDrugs`] |
//! | 住院分娩 | [`ClaimKind::MaternityDelivery`] |
//! | 急诊急救 | [`ClaimKind::Emergency`] |
//! | 未就业居民, 学生少儿大学生 | [`PersonGroup::Resident`], [`PersonGroup::Student`] |
//! | 家庭医生签约 | [`FamilyDoctor::Signed`] |
//! | 基层医疗卫生机构, 一级/二级/三级 | [`HospitalLevel`] |
//! | 定点 | [`Designation::Designated`] |
//! | 甲类 / 乙类 / 丙类 | [`Bill::Classes`] (H23) |
//! | 转外门诊 | [`TransferOutParams`] (K5) |
//! | 异地就医 降低 N 个百分点 / 按 80% | [`RemoteCareParams`], [`CutRule`] |
//! | 冲正 | [`YearState::reverse`] |
//!
//! Where the sources give no number the engine says so instead of guessing: class B personal
//! share ([`BenefitError::ClassBShareNotGiven`]), city-retained special-disease limits
//! ([`BenefitError::LimitNotGivenBySource`]), Kunshan's remote-care cut
//! ([`BenefitError::RemoteCutNotGiven`]), kinds a jurisdiction does not define
//! ([`BenefitError::KindNotDefined`]).
//!
//! # Readings
//!
//! Where POLICY-NOTES leaves a point open, this crate reads it as follows:
//! - Huai'an gives no primary-care ratio for inpatient, special-disease or day-surgery care:
//!   such claims are refused as not given; general outpatient and two-disease claims away
//!   from primary care are settled with the fund paying 0 and say why
//!   ([`SettledClaim::not_paid`]: [`NotPaidReason::LevelNotPaid`], H11, H12). Every claim
//!   the fund does not pay for a reason other than arithmetic (a level or place not paid,
//!   transfer-out outpatient care, K5, an exclusion, H21, H22) carries its
//!   [`NotPaidReason`].
//! - "Out of the city" (H14's 1,200 deductible) is any treatment other than local and
//!   regional same-city care.
//! - The remote-care cut (H18, W5) applies to every kind of claim except a delivery in the
//!   same province (H15) and emergency rescue.
//! - Emergencies (H20): not admitted, settled as general outpatient; died, settled as an
//!   admission (with its deductible and admission count); admitted, refused
//!   ([`BenefitError::EmergencyJoinsAdmission`]): the caller adds the costs to the admission.
//! - A delivery counts as an admission and belongs to the catastrophic burden (H15, H19).
//! - Kunshan's second admission pays 50% of the first admission's deductible, whatever the
//!   second's level (K4).
//! - Kunshan publishes no exclusions table: a Kunshan claim with exclusion facts is refused
//!   rather than guessed.
//! - Claims settle in date order; an earlier-dated claim after a later one is an error.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod claim;
mod error;
mod not_paid;
mod params;
pub mod quotes;
#[cfg(feature = "schemars")]
mod schema;
mod settle;
mod state;

pub use claim::{
    Accident, Bill, Claim, ClaimKind, Designation, EmergencyOutcome, ExclusionFact, FamilyDoctor,
    HospitalLevel, Person, PersonGroup, Province, SpecialDiseaseCatalogue, SpecialDiseaseClass,
    TwoDiseaseCover,
};
pub use error::BenefitError;
pub use not_paid::{Levels, NotPaidReason};
pub use params::{
    BenefitParams, CapBasis, ClassAmounts, CutRule, DaySurgeryParams, DeductibleRow,
    DualChannelParams, EmergencyParams, ExclusionParams, FamilyDoctorAmounts,
    GeneralOutpatientParams, InpatientParams, InpatientRatio, Ladder, LadderBasis, LevelRates,
    MaternityParams, MaternityRemote, NotPaid, OutpatientPart, OutpatientRatio, RemoteCareParams,
    RepeatAdmissions, RepeatDeductible, SharedCap, SpecialDiseaseParams, TransferOutParams,
    TwoDiseaseCaps, TwoDiseaseParams,
};
pub use settle::{
    BandLine, BandLines, BandPart, Explain, RemoteAdjustment, SettleConfig, SettledAs,
    SettledClaim, TraceStep, YearSettlement, settle, settle_into, settle_year,
};
pub use state::{ClassDeductibles, FundPool, YearFigures, YearState};
