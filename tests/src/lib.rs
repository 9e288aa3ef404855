//! Test support for the yibao integration suite: broken-policy fixtures.
//!
//! A fixture (`tests/fixtures/broken-policy/*.toml`) describes one class of mistake a
//! maintainer can make, as edits to the real policy data:
//!
//! ```toml
//! description = "a reimbursement ratio above 100%"
//! [[edit]]
//! file = "huaian/2026.toml"     # relative to policy-data/
//! find = 'level_1 = "85%"'      # must occur exactly once in that file
//! replace = 'level_1 = "185%"'
//! ```
//!
//! Optional: `[[add]] file, text` adds a file; `[[remove]] file` removes one;
//! `verify_quotes = true` checks the registry's quotes against source texts made of the
//! unedited registry's own quotes, so that an edited quote is the only one not found.

#![forbid(unsafe_code)]

use serde::Deserialize;
use yibao::policy::{PolicyFiles, Registry, SourceTexts};

/// One fixture file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// What mistake it shows.
    pub description: String,
    /// Text replacements in existing files.
    #[serde(default)]
    pub edit: Vec<Edit>,
    /// Files added.
    #[serde(default)]
    pub add: Vec<Added>,
    /// Files removed.
    #[serde(default)]
    pub remove: Vec<Removed>,
    /// Whether to verify the registry's quotes.
    #[serde(default)]
    pub verify_quotes: bool,
}

/// A replacement of text that occurs exactly once.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    /// File relative to `policy-data/`.
    pub file: String,
    /// The text to find.
    pub find: String,
    /// What to put instead.
    pub replace: String,
}

/// A file added.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Added {
    /// File relative to `policy-data/`.
    pub file: String,
    /// Its contents.
    pub text: String,
}

/// A file removed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Removed {
    /// File relative to `policy-data/`.
    pub file: String,
}

/// The embedded policy data with a fixture's edits applied, and the source texts to verify
/// quotes against when the fixture asks for it.
///
/// # Errors
/// A message when the fixture does not parse or no longer applies to the data (a `find` text
/// that is missing or not unique, a file that does not exist): the fixture is stale.
pub fn apply(fixture_text: &str) -> Result<(Fixture, PolicyFiles, Option<SourceTexts>), String> {
    let fixture: Fixture = toml::from_str(fixture_text).map_err(|e| e.to_string())?;
    let mut files = PolicyFiles::embedded();
    let sources = if fixture.verify_quotes {
        let registry: Registry = toml::from_str(files.get("sources.toml").unwrap_or_default())
            .map_err(|e| e.to_string())?;
        let mut texts = SourceTexts::new("the sources");
        for source in &registry.sources {
            let text: Vec<&str> = registry
                .rules
                .iter()
                .filter(|r| r.source == source.id)
                .flat_map(|r| r.quotes.iter().map(String::as_str))
                .collect();
            texts.insert(source.file.clone(), text.join("\n"));
        }
        Some(texts)
    } else {
        None
    };
    for edit in &fixture.edit {
        let text = files
            .get(&edit.file)
            .ok_or_else(|| format!("stale fixture: no file {}", edit.file))?;
        let count = text.matches(edit.find.as_str()).count();
        if count != 1 {
            return Err(format!(
                "stale fixture: {:?} occurs {count} times in {}, expected once",
                edit.find, edit.file
            ));
        }
        let edited = text.replacen(edit.find.as_str(), &edit.replace, 1);
        files.insert(edit.file.clone(), edited);
    }
    for added in &fixture.add {
        files.insert(added.file.clone(), added.text.clone());
    }
    for removed in &fixture.remove {
        files
            .remove(&removed.file)
            .ok_or_else(|| format!("stale fixture: no file {}", removed.file))?;
    }
    Ok((fixture, files, sources))
}

/// The scenario suite (`tests/scenarios/*.toml`): one person-year per file, settled by the
/// one-stop settlement and compared with figures computed by hand in the file.
pub mod scenario_test {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use yibao::core::{NaiveDate, RemoteCare, RuleId, Yuan};
    use yibao::scenario::Scenario;

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
        pub year: Option<yibao::core::PolicyYear>,
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
}
