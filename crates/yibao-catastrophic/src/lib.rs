//! Catastrophic insurance (大病保险) for yibao: the tier ladder of thresholds, bands and annual
//! caps per jurisdiction and policy year (2021–2026), the incentive raises of the cap, and the
//! settlement of a year's personal burden, as a whole or claim by claim.
//!
//! After the basic fund has paid, the person's remaining share of eligible inpatient,
//! special-disease and day-surgery costs accumulates over the year (the *burden*). Above a
//! threshold, catastrophic insurance pays a banded share of the excess, up to an annual cap
//! that rewards continuous enrolment and claim-free years (Huai'an 2026, H19 and H7).
//!
//! ```
//! use yibao_catastrophic::{
//!     CatastrophicPolicy, Continuity, IncentiveHistory, Ladder, PersonClass, Publication,
//! };
//! use yibao_core::{PolicyYear, RoundingMode, Validate, Yuan};
//!
//! // The `[catastrophic]` section of policy-data/huaian/2026.toml (abridged comments).
//! let policy: CatastrophicPolicy = toml::from_str(r#"
//!     rules = ["H19"]
//!     reading = "The bands are on the cumulative excess over the threshold within the year"
//!     band_basis = "cumulative_excess_over_threshold"
//!     annual_cap = "500000"
//!     [ordinary]
//!     rules = ["H19"]
//!     threshold = "18000"
//!     bands = [{ from = "0", to = "60000", rate = "60%" },
//!              { from = "60000", to = "100000", rate = "70%" },
//!              { from = "100000", rate = "85%" }]
//!     [medical_aid_recipient]
//!     rules = ["H19"]
//!     threshold = "9000"
//!     bands = [{ from = "0", to = "60000", rate = "65%" },
//!              { from = "60000", to = "100000", rate = "75%" },
//!              { from = "100000", rate = "90%" }]
//!     [incentives]
//!     rules = ["H7", "H6"]
//!     reading = "continuity raise 5,000 x max(0, n - 4); zero-claim raises until used"
//!     first_counted_year = 2025
//!     step = "5000"
//!     limit = "20%"
//!     continuity_after_years = 4
//!     lapse_cut = { not_given_by_source = "H7 gives no amount" }
//! "#)?;
//! assert!(policy.validate().is_empty());
//!
//! // The facade builds the ladder from the data: Huai'an publishes 2026 only.
//! let mut ladder = Ladder::new("huaian");
//! ladder.insert(PolicyYear::new(2026)?, Publication::Published(Box::new(policy)))?;
//! let y2026 = ladder.schedule(PolicyYear::new(2026)?)?;
//! assert!(ladder.schedule(PolicyYear::new(2023)?).is_err()); // no guessed numbers
//!
//! // Enrolled 2025 and 2026, no fund reimbursement in 2025: 500,000 + 5,000 (H7).
//! let mut history = IncentiveHistory::new(Continuity::Consecutive { years: 2 });
//! history.zero_reimbursement_years.insert(PolicyYear::new(2025)?);
//! let cap = y2026.cap_in_force(&history)?;
//! assert_eq!(cap.cap, "505000".parse()?);
//!
//! // A burden of 100,000: excess 82,000 = 60,000 × 60% + 22,000 × 70% = 51,400 (H19).
//! let burden: Yuan = "100000".parse()?;
//! let year = y2026.settle_year(PersonClass::Ordinary, burden, &cap, RoundingMode::HalfAwayFromZero)?;
//! assert_eq!(year.payment, "51400".parse()?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! | term in the sources | here | meaning |
//! |---|---|---|
//! | 大病保险 | this crate, [`CatastrophicPolicy`] | catastrophic insurance, the `[catastrophic]` section of a policy year |
//! | 普通参保人员 / 医疗救助对象 | [`PersonClass::Ordinary`] / [`PersonClass::MedicalAidRecipient`] | the person classes with their own threshold and bands |
//! | 起付标准 | [`ClassSchedule::threshold`] | the threshold on the year's cumulative personal burden |
//! | 个人负担的合规医疗费用 | `burden` | eligible costs left to the person after the basic fund, cumulated over the year |
//! | 分段报销 (6 万元以下 60% …) | [`ClassSchedule::bands`] ([`yibao_core::Schedule`]) | bands on the excess over the threshold |
//! | 支付限额, 原封顶线 | [`CatastrophicPolicy::annual_cap`] | the annual (natural-year) cap before incentives |
//! | 连续参保激励 | [`RaiseReason::Continuity`] | the raise for consecutive years beyond 4 |
//! | 基金零报销激励 | [`RaiseReason::ZeroReimbursement`] | the raise for a year with no fund reimbursement |
//! | 使用奖励额度 | [`RewardQuota::Used`] | the year's catastrophic payments went above the original cap |
//! | 断保再参保 | [`Continuity::ReEnrolledAfterLapse`], [`LapseCut`] | re-enrolment after a lapse; the cut is not given by the source |
//! | 最高支付限额 (提高后) | [`CapInForce`] | the cap in force for one person and year, with each raise |
//! | 年度 (2021–2026) | [`Ladder`], [`LadderRow`] | the schedules of a jurisdiction across years, published or not |
//!
//! Every result carries a trace of [`Step`]s, each with the rule id it applied. Amounts are
//! rounded once per settled figure with the caller's [`yibao_core::RoundingMode`]; claim
//! payments telescope, so a year's claims add up to the annual payment to the fen, cap
//! included.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod error;
mod incentive;
mod ladder;
mod policy;
pub mod quotes;
mod settle;

pub use error::CatastrophicError;
pub use incentive::{
    CapInForce, Continuity, IncentiveHistory, Raise, RaiseReason, Raises, RewardQuota, Step,
};
pub use ladder::{
    ClassRow, Ladder, LadderEntry, LadderRow, Publication, PublishedRow, YearSchedule,
};
pub use policy::{
    BandBasis, CatastrophicPolicy, ClassCategories, ClassSchedule, Incentives, LapseCut,
    PersonClass,
};
pub use settle::{AnnualSettlement, CapBinding, ClaimSettlement};
