//! The one integration-test binary of yibao. Each module tests one area across crates.

// Test code: a failed unwrap is a failed test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

/// Batch settlement of claims files: equal to the facade person by person, nothing lost.
mod batch;
/// The working-day calendar built from the shipped holiday notices.
mod calendar;
/// What the published packages carry: licences, READMEs, manifest keys, the facade's data.
mod packaging;
/// The policy data: the real data checks clean, every broken fixture is caught and its
/// diagnostics are pinned.
mod policy_data;
/// Every finding of the policy data said in Chinese, each code made at least once.
mod policy_data_zh;
/// The sentence behind each step: quote ids named by the code and registered in the data.
mod quotes;
/// A claim is a settlement of its own: the batch pays every claim its own rounded share.
mod rounding;
/// The scenario suite: person-years from the sources, settled and checked against hand figures.
mod scenarios;
/// The layering of the workspace: which crate may depend on which, and where a library
/// crate may do I/O.
mod tidy;
/// With `--lang zh` every word printed is Chinese, ids and field names aside.
mod zh_words;
