//! Remote-care filing (异地就医备案) as a state machine: who may file, when the office must
//! decide, how long a filing lasts, when it may be cancelled, how care away from home is then
//! treated, and by when a manual claim must be made (rules W1–W9, K6–K8, H18, H25 of
//! POLICY-NOTES).
//!
//! A filing's state is derived by replaying its events, which are plain serde data a host
//! application stores. The one transition function [`apply`] takes the state, an event, the
//! working-day calendar and the jurisdiction's [`FilingPolicy`]; an event the state does not
//! allow is an error naming both.
//!
//! ```
//! use chrono::NaiveDate;
//! use yibao_core::{HolidayNotice, RemoteCare, WorkingDayCalendar};
//! use yibao_filing::{
//!     assess_care, CareQuery, Circumstance, Connection, FilingEvent, FilingPolicy, FilingState,
//!     Register, Settlement,
//! };
//!
//! // Wujiang's rules (W1–W9), abridged; the real ones are in policy-data/.
//! let policy: FilingPolicy = toml::from_str(r#"
//!     places = { rules = ["W1"], home_area = "jiangsu/suzhou", exemptions = [] }
//!     types = [{ type = "other_temporary", name_zh = "其他临时外出就医人员", rules = ["W2"],
//!                materials = { listed = [{ one_of = ["有效身份证件", "社会保障卡"] }] } }]
//!     channels = [{ name_zh = "“吴江医保”微信公众号", rules = ["W3"], kind = "online",
//!                   files_for = "not_stated", scope = "all" }]
//!     approval = { rules = ["W3"], deadline = { working_days = 2 } }
//!     validity = { rules = ["W4"], temporary = { months = 12 }, long_term = "supporting_document",
//!                  cancel_temporary = "any_time", cancel_long_term = { from_months = 6 } }
//!     commitment = { rules = ["W4"], letter = { offered = { valid_days = 15, after_lapse = "barred_for_good" } } }
//!     emergency_rescue = { rules = ["W1"], without_filing = { not_given_by_source = "W5 says nothing" } }
//!     manual_claim = { rules = ["W7"], deadline = { year_end = { closes = "12-31",
//!                      late_until = "end_of_next_policy_year", counted_in = "year_processed" } } }
//!     catalogue = { rules = ["W9"], in_province = { catalogue = "insured_place", policy = "insured_place" },
//!                   cross_province = { catalogue = "treatment_place", policy = "insured_place" } }
//! "#)?;
//!
//! // A tiny calendar: the 2026 National Day holiday (1–7 October off, Saturday 10 October worked).
//! let notice: HolidayNotice = serde_json::from_str(r#"{"year": 2026, "papers": ["notice"], "days": [
//!     {"name": "国庆节", "date": "2026-10-01", "isOffDay": true},
//!     {"name": "国庆节", "date": "2026-10-02", "isOffDay": true},
//!     {"name": "国庆节", "date": "2026-10-05", "isOffDay": true},
//!     {"name": "国庆节", "date": "2026-10-06", "isOffDay": true},
//!     {"name": "国庆节", "date": "2026-10-07", "isOffDay": true},
//!     {"name": "国庆节", "date": "2026-10-10", "isOffDay": false}]}"#)?;
//! let calendar = WorkingDayCalendar::from_notices(&[notice])?;
//!
//! // Submitted on Wednesday 30 September, on a commitment letter, for care in Beijing.
//! let log: Vec<FilingEvent> = serde_json::from_str(r#"[
//!   {"filing": "F1", "on": "2026-09-30", "kind": {"submitted": {"filing_type": "other_temporary",
//!     "area": "beijing", "start": "2026-10-01", "basis": "commitment_letter"}}},
//!   {"filing": "F1", "on": "2026-10-08", "kind": "approved"},
//!   {"filing": "F1", "on": "2026-10-15", "kind": {"materials_supplied": {"document": "no_expiry"}}}
//! ]"#)?;
//! let register = Register::replay(&log, NaiveDate::from_ymd_opt(2026, 11, 1).ok_or("date")?,
//!                                 &calendar, &policy)?;
//! let filing = register.filing(&"F1".parse()?).ok_or("no filing")?;
//! // W3: due two working days after Wednesday 30 September, skipping 1–7 October: Friday
//! // 9 October; the approval on the 8th is on time.
//! // W4: materials on day 15 (1 Oct + 14) make it a full 1-year filing, to 2027-09-30.
//! assert!(matches!(filing, FilingState::Active { .. }));
//! assert_eq!(filing.term().and_then(|t| t.last_day()), NaiveDate::from_ymd_opt(2027, 9, 30));
//!
//! // Care in Beijing on 2 November: an "other temporary" filing (W5: 80% of the ratio).
//! let day = NaiveDate::from_ymd_opt(2026, 11, 2).ok_or("date")?;
//! let care = CareQuery::new(day, "beijing/haidian".parse()?, Circumstance::Planned,
//!     Connection::Networked);
//! let assessment = assess_care(&register, &care, &policy)?;
//! assert_eq!(assessment.treatment, RemoteCare::TemporaryFiled);
//! assert_eq!(assessment.settlement, Settlement::Direct);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! | term in the sources | here | meaning |
//! |---|---|---|
//! | 异地就医备案 | [`FilingState`], [`FilingEvent`] | a filing for care away from home, and what happens to it |
//! | 异地安置退休人员, 异地长期居住人员, 常驻异地工作人员 | [`FilingType::ResettledRetiree`], [`FilingType::LongTermResident`], [`FilingType::StationedWorker`] | long-term filings ([`Category::LongTerm`]) |
//! | 异地转诊人员, 异地急诊抢救人员, 其他临时外出就医人员 | [`FilingType::Referral`], [`FilingType::EmergencyRescue`], [`FilingType::OtherTemporary`] | temporary filings ([`Category::Temporary`]) |
//! | 所需材料, 认定材料 | [`Materials`], [`DocumentTerm`] | what a filing needs (W2); the supporting document's term (W4) |
//! | 备案渠道 | [`Channel`] | where to file (W3, K6, H25) |
//! | 个人承诺书, 承诺制备案 | [`Basis::CommitmentLetter`], [`Term::Provisional`], [`FilingState::Lapsed`] | filing before the materials, valid 15 days (W4) |
//! | 工作日内完成审批 | [`ApprovalDue`], [`approval_due_by`] | the decision deadline in working days (W3, K6) |
//! | 有效期, 取消备案 | [`Term`], [`EventKind::Cancelled`] | validity and cancellation (W4) |
//! | 就医地, 参保地 | [`Area`], [`Region`], [`Side`] | the place of care; the treatment place and the insured place |
//! | 免备案, 沪苏同城, 区域同城 | [`Exemption`] | places needing no filing (W6) |
//! | 参保地目录, 就医地目录 | [`CatalogueAndPolicy`] | whose catalogue and policy apply (K8, W9) |
//! | 直接结算, 零星报销 | [`Settlement`], [`manual_claim_deadline`] | settled at the institution, or claimed afterwards (W7, K7) |
//!
//! Readings of POLICY-NOTES this crate implements: the submission day never counts toward a
//! working-day deadline; a commitment-letter filing is valid on days start..=start+14 and void
//! from start+15; a 1-year filing is valid to start + 12 months − 1 day; a long-term filing may
//! be cancelled from start + 6 months on; emergency rescue in Huai'an is treated as filed; a
//! filing whose validity the source does not give is in force from its start until
//! cancelled where the data says so (`until_cancelled`, K8 Reading for Kunshan), and every
//! answer relying on it carries a note ([`CareAssessment::notes`], [`LastDay::UntilCancelled`]).
//! Where a source does not give a rule and no reading decides (Huai'an's validity and claim
//! deadline, Kunshan's cancellation) the engine returns [`FilingError::NotGivenBySource`]
//! rather than guess.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod error;
mod machine;
mod place;
mod policy;
mod query;
pub mod quotes;
mod register;
#[cfg(feature = "schemars")]
mod schema;
mod words_zh;

pub use error::FilingError;
pub use machine::{
    Application, ApprovalDue, Basis, Category, Decision, DocumentTerm, EventKind, FilingEvent,
    FilingId, FilingState, FilingType, LastDay, Term, advance, apply, approval_due_by,
    replay_filing,
};
pub use place::{Area, PROVINCES, Region};
pub use policy::{
    AfterLapse, ApprovalDeadline, ApprovalPolicy, CatalogueAndPolicy, CataloguePolicy, Channel,
    ChannelKind, ChannelScope, ClaimDeadline, CommitmentLetter, CommitmentPolicy, CountedIn,
    EmergencyPolicy, EmergencyWithoutFiling, Exemption, FilesFor, FilingPolicy, LateUntil,
    LongTermCancellation, LongTermValidity, ManualClaimPolicy, Material, Materials, MonthDay,
    PlacePolicy, Side, TemporaryCancellation, TemporaryValidity, TypePolicy, ValidityPolicy,
};
pub use query::{
    CareAssessment, CareQuery, Circumstance, ClaimTiming, Connection, ManualClaimDeadline,
    Settlement, assess_care, manual_claim_deadline, region_of,
};
pub use register::{CommitmentBar, Register, Step};
