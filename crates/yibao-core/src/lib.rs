//! The shared vocabulary of yibao (医保), a rules-as-code engine for Chinese basic medical
//! insurance for urban and rural residents (城乡居民基本医疗保险).
//!
//! Every other yibao crate speaks in these types: exact money to the fen, rates, the one
//! progressive schedule, calendar dates and working days, rule ids, and diagnostics. This crate
//! depends on no other yibao crate and does no I/O.
//!
//! ```
//! use yibao_core::{Rate, RemoteCut, RoundingMode, Schedule, Yuan};
//!
//! // K4: Kunshan 2021 inpatient ladder on the year's cumulative eligible expense.
//! let ladder: Schedule = serde_json::from_str(r#"[
//!     {"from": "0",      "to": "40000",  "rate": "75%"},
//!     {"from": "40000",  "to": "100000", "rate": "80%"},
//!     {"from": "100000", "to": "200000", "rate": "85%"},
//!     {"from": "200000",                  "rate": "90%"}]"#)?;
//! // An admission moving the year from 30,000 to 50,000 of expense:
//! // 10,000 at 75% + 10,000 at 80% = 15,500.
//! let before: Yuan = "30000".parse()?;
//! let after: Yuan = "50000".parse()?;
//! assert_eq!(ladder.increment(before, after, RoundingMode::HalfAwayFromZero)?, "15500".parse()?);
//!
//! // H18: Huai'an lowers the ratio of an unfiled temporary stay by 20 points.
//! let level_three: Rate = "65%".parse()?;
//! assert_eq!(RemoteCut::Points("20%".parse()?).apply(level_three).to_string(), "45%");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! | term in the sources | here | meaning |
//! |---|---|---|
//! | 元, 分 | [`Yuan`] | a settled amount, exact to the fen (0.01 yuan), never negative |
//! | — | [`ExactYuan`] | an unrounded intermediate figure; only [`ExactYuan::round`] settles it |
//! | 报销比例, 支付比例 | [`Rate`] | a share in 0%..=100% |
//! | 降低 5 个百分点, 按原结付比例的 80% | [`RemoteCut`] | lowering a ratio by points (Huai'an) or by a factor (Wujiang) |
//! | 分段累进 (起付线 4 万：75% …) | [`Schedule`] | bands on a cumulative amount; `F(x)` and per-claim increments that telescope |
//! | 医保年度, 结算年度 | [`PolicyYear`] | the calendar year |
//! | 工作日, 调休 | [`WorkingDayCalendar`] | working days from the State Council's holiday notices |
//! | 异地就医 (备案, 转诊, 急诊抢救 …) | [`RemoteCare`] | how a claim's remote care is treated |
//! | 条款 | [`RuleId`], [`Rules`] | which rule of POLICY-NOTES a number or a step comes from |
//! | 计算过程与依据 | [`Step`] | one explanation step: a rule, a sentence template and its typed figures, rendered at the edge |
//! | — | [`Diagnostic`] | a finding of policy-data validation, printed like a compiler error |
//! | — | [`Word`], [`words!`] | the one `snake_case` spelling of a domain enum's values, and the older ones still read |
//!
//! Invariants the types keep: a [`Yuan`] is in `0..=Yuan::MAX` with at most two decimals; a
//! [`Rate`] is in `0..=1`; a [`Schedule`] starts at 0, is contiguous and strictly increasing,
//! and its last band is open-ended; a [`DateRange`] never ends before it starts. Arithmetic that
//! could leave these ranges returns an error instead of panicking or wrapping.
//!
//! Rounding happens once per settled amount, half away from zero by default
//! ([`RoundingMode`]), as POLICY-NOTES reads the sources.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod calendar;
mod care;
mod dates;
mod diagnostic;
mod ident;
mod lang;
mod money;
#[cfg(feature = "prose")]
pub mod prose;
mod quote;
mod rate;
mod rule;
mod schedule;
#[cfg(feature = "schemars")]
pub mod schema;
pub mod step;
#[cfg(feature = "proptest")]
pub mod strategies;
mod text;
mod word;

pub use calendar::{CalendarError, DayKind, HolidayDay, HolidayNotice, WorkingDayCalendar};
pub use care::RemoteCare;
pub use dates::{
    DateError, DateRange, PolicyYear, YearSet, YearSetIter, add_days, add_months, deserialize_date,
    deserialize_optional_date, parse_date,
};
pub use diagnostic::{
    Diagnostic, KeyPath, KeySegment, Location, QUOTE_LIMIT, Quoted, Severity, Validate, quoted,
};
pub use ident::{IdentifierError, check_identifier};
pub use lang::{Lang, Said, Term};
pub use money::{ExactYuan, MoneyError, RoundingMode, Yuan};
pub use quote::{QuoteId, QuoteKey};
pub use rate::{Rate, RateError, RemoteCut};
pub use rule::{Explain, RuleError, RuleId, Rules};
pub use schedule::{Band, BandShare, Schedule, ScheduleError, telescoping_increment};
pub use step::{Figure, FigureValue, Step, StepError};
pub use text::{BadByte, TextError, Utf16, bytes_below, read_text};
pub use word::{Word, deserialize_word, in_words, in_words_zh};

#[cfg(feature = "schemars")]
#[doc(hidden)]
pub use schemars as __schemars;
/// For [`words!`]: the serde its implementations name.
#[doc(hidden)]
pub use serde as __serde;

/// Re-exported so that callers name dates with the same type the engine uses.
pub use chrono::NaiveDate;
