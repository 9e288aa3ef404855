//! The engine's errors in both languages: each has a `zh()` beside its English `Display`,
//! and [`InChinese`] names them, so that a caller (the CLI's `--lang zh`, the HTTP service's
//! `message_zh`) says any of them in Chinese without knowing which it is.
//!
//! ```
//! use yibao::InChinese;
//! use yibao::core::parse_date;
//!
//! let refused = parse_date("2026-02-30").unwrap_err();
//! assert!(refused.to_string().contains("2026-02-30"));
//! assert!(InChinese::zh(&refused).contains("2026-02-30"));
//! ```

use std::fmt;

/// An error of the engine with its Chinese sentence beside its English `Display`.
pub trait InChinese: fmt::Display {
    /// The sentence in Chinese.
    fn zh(&self) -> String;
}

macro_rules! in_chinese {
    ($($error:ty),* $(,)?) => {$(
        impl InChinese for $error {
            fn zh(&self) -> String {
                <$error>::zh(self)
            }
        }
    )*};
}

in_chinese!(
    yibao_core::DateError,
    yibao_core::MoneyError,
    yibao_catastrophic::CatastrophicError,
    yibao_filing::FilingError,
    crate::policy::BookError,
    crate::policy::ReformError,
    crate::questions::QuestionError,
    crate::questions::catastrophic::CatastrophicQuestionError,
    crate::questions::deadline::DeadlineError,
    crate::questions::decide::DecideError,
    crate::scenario::ScenarioError,
    crate::settle::SettleError,
);
