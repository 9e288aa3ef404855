//! Scenario test files: a person-year in the scenario format with the figures computed by
//! hand (`[expected]`), the format of `tests/scenarios/*.toml`. [`ScenarioTest::run`] settles
//! the person-year and lists every figure that differs from the hand's, which is what
//! `yibao test` prints and what the project's scenario suite asserts.
//!
//! ```
//! use yibao::policy::{PolicyFiles, PolicyLibrary};
//! use yibao::scenario_test::ScenarioTest;
//!
//! let library = PolicyLibrary::load(&PolicyFiles::embedded())?;
//! let text = r#"
//! description = "Huai'an 2026, level 2 admission: (10,000 - 600) x 75% = 7,050"
//! rules = ["H14"]
//! [scenario]
//! jurisdiction = "huaian"
//! year = 2026
//! [scenario.person]
//! [[scenario.claims]]
//! id = "A1"
//! date = "2026-03-01"
//! kind = "inpatient"
//! level = "level_2"
//! amount = "10000"
//! [expected]
//! basic_fund = "7050.00"
//! personal = "2950.00"
//! "#;
//! let test = ScenarioTest::parse(text)?;
//! assert!(test.run(&library).is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod check;

pub use check::{Mismatch, NotATestFile};

use std::collections::BTreeMap;

use serde::Deserialize;
use yibao_core::{NaiveDate, RemoteCare, RuleId, Yuan};

use crate::scenario::Scenario;

/// One scenario test file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioTest {
    /// What the person-year shows, with the rule ids.
    pub description: String,
    /// The rule ids whose numbers this person-year exercises.
    pub rules: Vec<RuleId>,
    /// The scenario, exactly in the format `yibao settle` reads.
    pub scenario: Scenario,
    /// The figures computed by hand.
    pub expected: Expected,
}

/// What the settlement must give; every field given is compared.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// The settlement must be refused with a message containing this text.
    pub error: Option<String>,
    /// The year's bills.
    pub amount: Option<Yuan>,
    /// The year's basic-fund payments.
    pub basic_fund: Option<Yuan>,
    /// The year's catastrophic payments (the parts settled).
    pub catastrophic: Option<Yuan>,
    /// How many claims' catastrophic parts are not settled (0: every part is settled).
    pub catastrophic_not_settled: Option<usize>,
    /// After a lapse: the banded amount before any cap of the parts not settled (H7).
    pub catastrophic_banded_before_cap: Option<Yuan>,
    /// The year's personal part.
    pub personal: Option<Yuan>,
    /// The catastrophic cap in force.
    pub cap_in_force: Option<Yuan>,
    /// Whether the year had no fund reimbursement (carried into next year, H7).
    pub zero_reimbursement: Option<bool>,
    /// Whether the year's catastrophic payments used reward quota (H7).
    pub reward_quota_used: Option<bool>,
    /// Text each of which some note of the report must contain.
    #[serde(default)]
    pub notes: Vec<String>,
    /// The claims, in settlement (date) order; when given, every claim is listed.
    #[serde(default)]
    pub claims: Vec<ExpectedClaim>,
    /// The contributions, in payment order; when given, every payment is listed.
    #[serde(default)]
    pub contributions: Vec<ExpectedContribution>,
    /// Filing id → its state at year end.
    #[serde(default)]
    pub filings: BTreeMap<String, ExpectedFiling>,
}

/// One claim's expected settlement.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedClaim {
    /// The claim's id.
    pub id: String,
    /// `covered`, `assumed` or `not_covered`.
    pub cover: Option<String>,
    /// Text the reason for no cover must contain.
    pub cover_reason: Option<String>,
    /// The remote-care treatment.
    pub remote_care: Option<RemoteCare>,
    /// The eligible (in-scope) amount.
    pub eligible: Option<Yuan>,
    /// The deductible borne.
    pub deductible: Option<Yuan>,
    /// The basic fund.
    pub basic_fund: Option<Yuan>,
    /// The code of why nothing is paid (`level_not_paid`, `not_covered` …), or `""` for
    /// a claim settled by its policy.
    pub not_paid: Option<String>,
    /// Text the not-paid reason must contain.
    pub not_paid_reason: Option<String>,
    /// Text the reason must contain when the claim's basic fund is not settled (the
    /// sources give no rule for it, e.g. unfiled remote care in Kunshan, K8).
    pub basic_fund_not_settled: Option<String>,
    /// The catastrophic payment, or `not_settled`.
    pub catastrophic: Option<String>,
    /// The code of why the catastrophic part is not settled (`not_published` …), or `""`
    /// for a settled part.
    pub catastrophic_code: Option<String>,
    /// A part not settled after a lapse: its banded amount before any cap (H7).
    pub catastrophic_banded_before_cap: Option<Yuan>,
    /// Text the reason for an unsettled catastrophic part must contain.
    pub catastrophic_reason: Option<String>,
    /// The maternity fiscal subsidy (H15).
    pub fiscal_subsidy: Option<Yuan>,
    /// What the person pays.
    pub personal: Option<Yuan>,
    /// The last day of a manual claim (W7, K7).
    pub manual_claim_deadline: Option<NaiveDate>,
}

/// One payment's expected contribution.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedContribution {
    /// The policy year paid for (a newborn's birth-year back payment is listed with the
    /// year's own payment, H5).
    pub year: Option<yibao_core::PolicyYear>,
    /// The payment date.
    pub paid_on: Option<NaiveDate>,
    /// What the person pays.
    pub individual: Option<Yuan>,
    /// What medical assistance pays for them (H1).
    pub paid_by_assistance: Option<Yuan>,
    /// `granted` or `withheld`.
    pub subsidy: Option<String>,
    /// The subsidy granted, or the one withheld and folded into `individual` (K2, K10).
    pub subsidy_amount: Option<Yuan>,
}

/// A filing's state at year end: its state tag, or the tag with dates.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ExpectedFiling {
    /// Just the state tag (`active`, `submitted`, `expired` …).
    State(String),
    /// The state tag and the dates that decide it.
    Detail(FilingDetail),
}

/// A filing's state with the dates that decide it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilingDetail {
    /// The state tag.
    pub state: String,
    /// The day the office's decision was due (W3, K6).
    pub approval_due: Option<NaiveDate>,
    /// The day of the decision.
    pub decided_on: Option<NaiveDate>,
}
