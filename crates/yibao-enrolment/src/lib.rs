//! Contributions and enrolment windows of Chinese resident medical insurance
//! (城乡居民基本医疗保险): what a person pays to enrol, from when they are covered, how many
//! consecutive years they have, and whether a refund, a second enrolment or a payment from a
//! relative's employee account is allowed, each answer with the rules that decided it.
//!
//! The crate holds logic and parameter types; the numbers come from the `[enrolment]` section
//! of a policy file (`policy-data/huaian/2026.toml`), deserialised into [`EnrolmentSection`].
//!
//! ```
//! use yibao_core::{PolicyYear, Validate};
//! use yibao_enrolment::{CoverBasis, EnrolmentHistory, EnrolmentSection, Event};
//!
//! # let file = include_str!("../../../policy-data/huaian/2026.toml");
//! # let table = yibao_core::prose::parse(file)?;
//! # let value = table.get("enrolment").cloned().ok_or("no [enrolment]")?;
//! // The `[enrolment]` table of policy-data/huaian/2026.toml.
//! let huaian: EnrolmentSection = value.try_into()?;
//! assert!(huaian.validate().is_empty());
//!
//! // Someone missed the window (Oct–Dec 2025) and pays on 31 March 2026: when are they covered?
//! let year = PolicyYear::new(2026)?;
//! let history = EnrolmentHistory::new(
//!     "1990-05-01".parse()?,
//!     vec![Event::payment("2026-03-31".parse()?, year)],
//! );
//! let cover = huaian.cover(&history, year)?;
//! // H3: a fixed waiting period of 2 calendar months from the payment date.
//! let waiting = cover.waiting_periods.first().ok_or("a waiting period")?;
//! assert_eq!(waiting.range.to_string(), "2026-03-31..=2026-05-30");
//! assert_eq!(cover.periods.first().map(|p| p.range.to_string()), Some("2026-05-31..=2026-12-31".into()));
//! assert_eq!(cover.periods.first().map(|p| p.basis), Some(CoverBasis::AfterWaitingPeriod));
//! assert!(!cover.is_covered_on("2026-05-30".parse()?));
//! assert_eq!(cover.rules().iter().map(|r| r.to_string()).collect::<Vec<_>>(), ["H3"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! | term in the sources | here | meaning |
//! |---|---|---|
//! | 个人缴费 | [`Contribution::individual`] | what the person pays for the year |
//! | 财政补助 / 财政补贴 | [`Subsidy`], [`SubsidyFigure`] | the fiscal subsidy per person (exact, or "不低于" a minimum, with the year it is stated for) |
//! | 全额资助 | [`CategoryContribution::FullySubsidised`] | the individual part is paid for them |
//! | 参保人员类别 (未就业居民, 大学生, 医疗救助对象 …) | [`Category`], [`CategoryId`] | person categories, as data per jurisdiction |
//! | 集中征缴期 | [`CollectionWindow`] | the collection window |
//! | 城转居 | [`EnrolmentRoute::EmployeeToResidentTransfer`] | a transfer from employee to resident insurance |
//! | 系统清算时间 | [`ChannelStatus`] | the daily hours the payment channels are closed |
//! | 待遇享受期 | [`CoverPeriod`] | the days the fund pays |
//! | 等待期 | [`WaitingPeriod`] | the waiting period after a late payment or a lapse |
//! | 停卡 / 开通 | [`Suspension`] | suspension and reopening (Kunshan) |
//! | 新生儿, 补缴出生当年 | [`CoverBasis::NewbornFromBirth`], [`BirthYearCover`] | the newborn rule and the birth-year back payment |
//! | 退役 (身份转换) | [`EventKind::VeteranStatusChange`] | a veteran's change of status |
//! | 连续参保, 断保 | [`Continuity`], [`Lapse`] | consecutive years, lapses |
//! | 退保退费 | [`EnrolmentSection::refund`] | refunds |
//! | 重复参保 | [`EnrolmentSection::new_enrolment`] | double enrolment |
//! | 家庭共济, 亲情账户 | [`EnrolmentSection::family_payment`] | paying from an employee's account for relatives |
//!
//! Every answer ([`Contribution`], [`Cover`], [`Continuity`], [`Decision`]) carries a
//! [`Trace`] of steps, each with the rule id (K = Kunshan 2021, H = Huai'an 2026) it applied;
//! `rules()` lists them. Dates are inclusive; "within N days of d" means on or before
//! `d + N days`; "N months from d" is `yibao_core::add_months` (month-end clamped).
//!
//! What the sources do not give stays absent in the data, and the engine answers
//! [`EnrolmentError::NotGivenBySource`] instead of guessing.
//!
//! # Readings
//!
//! Where POLICY-NOTES leaves a point open, this crate reads it as follows:
//! - Kunshan 2021 publishes the 150-yuan contribution for university students only; other
//!   categories have no published amount and are answered "not given" (K2).
//! - Kunshan gives no cover start for a first enrolment after the window, and no rule for
//!   employee insurance: both are answered "not given".
//! - A switch between employee and resident insurance within the Q36 tolerance has no
//!   waiting period and cover starts on the payment date; a switch with no gap is never a
//!   lapse (H4).
//! - A lapse is a policy year without cover between two insured years (POLICY-NOTES H3), one
//!   definition ([`EnrolmentSection::lapse_before`]) for cover (H3: a re-enrolment after a
//!   lapse waits 2 months even when paid in the window) and the catastrophic incentives (H6:
//!   the count restarts; H7: a re-enrollee's cap). A year is insured when the person was in
//!   resident or employee insurance on one of its days; an uninsured year before the first
//!   counted year (2025) does not make a lapse (Q36). A late payment is therefore not a lapse
//!   (its waiting period comes from paying outside the window), and a switch within Q36's
//!   tolerance never is.
//! - A year counts for continuity when the person was insured on any day of it; employee
//!   years count.
//! - The individual contribution of an earlier year is answered only where the section gives
//!   it (`[[contribution.earlier_years]]`: Huai'an 2025 = 440, H1 Reading of Q14), for a
//!   newborn's birth-year back payment (H5); that year's categories are read as the section's.
//! - Newborns (H5): the no-waiting rule after day 90 applies to a first enrolment paid in the
//!   birth year; a child born in December and paid for the next year within 90 days is
//!   covered from 1 January; the birth year is covered only if it is back-paid within the 90
//!   days.
//! - Joining employee insurance ends resident cover the day before (H9); it does not come
//!   back by itself, and H26 never extends it.
//! - The benefit period of a refund (H8) starts on the first covered day the cover gives.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod continuity;
mod contribution;
mod cover;
mod decisions;
mod error;
mod history;
mod lapse;
mod params;
pub mod quotes;
mod trace;
mod words_zh;

pub use continuity::Continuity;
pub use contribution::{
    ChannelStatus, Contribution, ContributionQuery, EnrolmentRoute, Subsidy, SubsidyFigure,
};
pub use cover::{
    BirthYearCover, Cover, CoverBasis, CoverEnd, CoverPeriod, Suspension, WaitingPeriod,
    WaitingReason,
};
pub use decisions::{
    AccountFeature, AccountUse, Decision, EnrolmentStatus, ExistingEnrolment, FamilyPaymentRequest,
    InsuranceScheme, RefundRequest, SharingGroup, Verdict,
};
pub use error::EnrolmentError;
pub use history::{EnrolmentHistory, Event, EventKind, Funding};
pub use lapse::Lapse;
pub use params::{
    Category, CategoryContribution, CategoryId, Cited, ClockTime, CollectionWindow,
    ContinuityParams, ContributionParams, DayLimitRule, DocumentHolder, EarlierYearContribution,
    EnrolmentSection, FamilyPaymentParams, IdentityDocument, IdentityDocumentRule, LatePayment,
    PaymentChannel, RefundParams, RefundReason, Relation, SubsidyBasis, SubsidyParams,
    SubsidyWithdrawal, TransferSubsidy, UniversityTransition,
};
pub use trace::{Step, Trace};
