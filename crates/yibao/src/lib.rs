//! yibao (医保): a rules-as-code engine for Chinese basic medical insurance for urban and rural
//! residents. This facade loads the policy data (embedded by default), checks it, and composes
//! the domain crates.
//!
//! ```
//! use yibao::policy::{PolicyFiles, PolicyLibrary};
//! use yibao::core::PolicyYear;
//!
//! let library = PolicyLibrary::load(&PolicyFiles::embedded())?;
//! let book = library.book("huaian", PolicyYear::new(2026)?)?;
//! assert_eq!(book.rounding(), yibao::core::RoundingMode::HalfAwayFromZero);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub use yibao_benefits as benefits;
pub use yibao_catastrophic as catastrophic;
pub use yibao_core as core;
pub use yibao_enrolment as enrolment;
pub use yibao_filing as filing;

mod in_chinese;
pub mod nearest;
pub mod nhsa;
pub mod output;
pub mod policy;
pub mod questions;
pub mod scenario;
pub mod scenario_test;
pub mod settle;

pub use in_chinese::InChinese;
