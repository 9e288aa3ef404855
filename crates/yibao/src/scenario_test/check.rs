//! The comparison of a settlement with a test file's `[expected]`: every figure given is
//! compared, and each difference is one [`Mismatch`] naming the field, the figure expected and
//! the figure got.

use std::fmt;

use yibao_core::{NaiveDate, Yuan};
use yibao_enrolment::Subsidy;
use yibao_filing::{ApprovalDue, FilingState};

use super::{Expected, ExpectedClaim, ExpectedContribution, ExpectedFiling, ScenarioTest};
use crate::policy::PolicyLibrary;
use crate::settle::{CatastrophicPart, CoverStatus, SettlementReport, settle};

/// One difference between a settlement and the figures computed by hand: the field and what
/// differs (`claim A1: basic_fund: expected 7050.00, got 7000.00`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch(pub String);

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a text is not a scenario test file (the TOML reader's message, with its line and
/// column).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a scenario test file: {0}")]
pub struct NotATestFile(String);

impl ScenarioTest {
    /// Reads a scenario test file (TOML: `description`, `rules`, `[scenario]`, `[expected]`).
    ///
    /// # Errors
    /// When the text is not such a file, with the line and column of the fault.
    pub fn parse(text: &str) -> Result<ScenarioTest, NotATestFile> {
        toml::from_str(text).map_err(|e| NotATestFile(e.to_string().trim_end().to_owned()))
    }

    /// Settles the person-year with `library` and lists every difference from `[expected]`
    /// (empty: the test passes). A rule id that the library does not register is a
    /// difference too, and so is a settlement refused where figures were expected, or settled
    /// where a refusal was.
    pub fn run(&self, library: &PolicyLibrary) -> Vec<Mismatch> {
        let mut m = Mismatches { found: Vec::new() };
        if self.rules.is_empty() {
            m.push("`rules` is empty".to_owned());
        }
        for rule in &self.rules {
            if library.registry.rule(*rule).is_none() {
                m.push(format!("rule {rule} is not registered"));
            }
        }
        match (settle(library, &self.scenario), &self.expected.error) {
            (Ok(report), None) => check_report(&mut m, &self.expected, &report),
            (Ok(_), Some(error)) => m.push(format!(
                "expected the settlement to be refused with \"{error}\", but it settled"
            )),
            (Err(e), Some(error)) => {
                if !e.to_string().contains(error.as_str()) {
                    m.push(format!(
                        "error: expected a message containing \"{error}\", got \"{e}\" (at `{}`)",
                        e.path()
                    ));
                }
            }
            (Err(e), None) => m.push(format!("refused: {e} (at `{}`)", e.path())),
        }
        m.found
    }
}

/// Collects the mismatches of one file.
struct Mismatches {
    found: Vec<Mismatch>,
}

impl Mismatches {
    fn push(&mut self, what: String) {
        self.found.push(Mismatch(what));
    }

    fn compare<T: PartialEq + std::fmt::Display>(&mut self, at: &str, expected: Option<T>, got: T) {
        if let Some(expected) = expected {
            if expected != got {
                self.push(format!("{at}: expected {expected}, got {got}"));
            }
        }
    }
}

fn check_report(m: &mut Mismatches, expected: &Expected, report: &SettlementReport) {
    let totals = &report.totals;
    m.compare("totals.amount", expected.amount, totals.amount);
    m.compare("totals.basic_fund", expected.basic_fund, totals.basic_fund);
    m.compare(
        "totals.catastrophic",
        expected.catastrophic,
        totals.catastrophic,
    );
    m.compare("totals.personal", expected.personal, totals.personal);
    if let Some(want) = expected.catastrophic_not_settled {
        let got = totals
            .catastrophic_not_settled
            .as_ref()
            .map_or(0, |open| open.claims);
        m.compare("totals.catastrophic_not_settled", Some(want), got);
    }
    if let Some(want) = expected.catastrophic_banded_before_cap {
        let got = totals
            .catastrophic_not_settled
            .as_ref()
            .and_then(|open| open.reason.banded_before_cap());
        if got != Some(want) {
            m.push(format!(
                "totals.catastrophic_not_settled.banded_before_cap: expected {want}, got {got:?}"
            ));
        }
    }
    if let Some(cap) = expected.cap_in_force {
        match &report.cap_in_force {
            Some(got) => m.compare("cap_in_force", Some(cap), got.cap),
            None => m.push(format!("cap_in_force: expected {cap}, got none")),
        }
    }
    m.compare(
        "next_year.zero_reimbursement",
        expected.zero_reimbursement,
        report.next_year.zero_reimbursement,
    );
    m.compare(
        "next_year.reward_quota_used",
        expected.reward_quota_used,
        report.next_year.reward_quota_used,
    );
    for note in &expected.notes {
        if !report.notes.iter().any(|n| n.contains(note.as_str())) {
            m.push(format!(
                "notes: none contains \"{note}\" (notes: {:?})",
                report.notes
            ));
        }
    }
    if !expected.claims.is_empty() {
        let got: Vec<String> = report
            .claims
            .iter()
            .map(|c| c.id.clone().unwrap_or_default())
            .collect();
        let want: Vec<String> = expected.claims.iter().map(|c| c.id.clone()).collect();
        if got != want {
            m.push(format!(
                "claims: expected {want:?} in settlement order, got {got:?}"
            ));
        }
    }
    for claim in &expected.claims {
        match report
            .claims
            .iter()
            .find(|c| c.id.as_deref() == Some(claim.id.as_str()))
        {
            Some(got) => check_claim(m, claim, got),
            None => m.push(format!("claim {}: not in the report", claim.id)),
        }
    }
    if !expected.contributions.is_empty() {
        if expected.contributions.len() != report.contributions.len() {
            m.push(format!(
                "contributions: expected {}, got {}",
                expected.contributions.len(),
                report.contributions.len()
            ));
        }
        for (i, (want, got)) in expected
            .contributions
            .iter()
            .zip(&report.contributions)
            .enumerate()
        {
            check_contribution(m, i, want, got);
        }
    }
    for (id, want) in &expected.filings {
        match report.filings.iter().find(|(k, _)| k.as_str() == id) {
            Some((_, got)) => check_filing(m, id, want, got),
            None => m.push(format!("filing {id}: not in the report")),
        }
    }
}

fn check_claim(m: &mut Mismatches, want: &ExpectedClaim, got: &crate::settle::ClaimReport) {
    let at = |field: &str| format!("claim {}: {field}", want.id);
    m.compare(&at("cover"), want.cover.as_deref(), got.cover.code());
    if let Some(text) = &want.cover_reason {
        match &got.cover {
            CoverStatus::NotCovered { reason } if reason.to_string().contains(text.as_str()) => {}
            other => m.push(format!(
                "{}: expected a reason containing \"{text}\", got {other:?}",
                at("cover")
            )),
        }
    }
    m.compare(&at("remote_care"), want.remote_care, got.remote_care);
    m.compare(&at("eligible"), want.eligible, got.eligible);
    m.compare(&at("deductible"), want.deductible, got.deductible);
    m.compare(&at("basic_fund"), want.basic_fund, got.basic_fund);
    let not_paid = got.not_paid.as_ref().map_or("", |r| r.code());
    m.compare(&at("not_paid"), want.not_paid.as_deref(), not_paid);
    if let Some(text) = &want.not_paid_reason {
        match &got.not_paid {
            Some(reason) if reason.to_string().contains(text.as_str()) => {}
            other => m.push(format!(
                "{}: expected a reason containing \"{text}\", got {other:?}",
                at("not_paid")
            )),
        }
    }
    match (&want.basic_fund_not_settled, &got.basic_fund_not_settled) {
        (Some(text), Some(why)) if why.reason.contains(text.as_str()) => {}
        (None, None) => {}
        (None, Some(why)) => m.push(format!(
            "{}: expected settled, got not settled: {}",
            at("basic_fund"),
            why.reason
        )),
        (Some(text), other) => m.push(format!(
            "{}: expected not settled with a reason containing \"{text}\", got {other:?}",
            at("basic_fund")
        )),
    }
    m.compare(
        &at("fiscal_subsidy"),
        want.fiscal_subsidy,
        got.fiscal_subsidy,
    );
    m.compare(&at("personal"), want.personal, got.personal);
    if let Some(text) = &want.catastrophic {
        let got_text = match &got.catastrophic {
            CatastrophicPart::Settled { paid } => paid.to_string(),
            CatastrophicPart::NotSettled { .. } => "not_settled".to_owned(),
        };
        let same = match (text.parse::<Yuan>(), &got.catastrophic) {
            (Ok(want), CatastrophicPart::Settled { paid }) => want == *paid,
            (Err(_), CatastrophicPart::NotSettled { .. }) => text == "not_settled",
            _ => false,
        };
        if !same {
            m.push(format!(
                "{}: expected {text}, got {got_text}",
                at("catastrophic")
            ));
        }
    }
    let code = got.catastrophic.not_settled().map_or("", |r| r.code());
    m.compare(
        &at("catastrophic_code"),
        want.catastrophic_code.as_deref(),
        code,
    );
    if let Some(banded) = want.catastrophic_banded_before_cap {
        let got_banded = got
            .catastrophic
            .not_settled()
            .and_then(|r| r.banded_before_cap());
        if got_banded != Some(banded) {
            m.push(format!(
                "{}: expected {banded}, got {got_banded:?}",
                at("catastrophic_banded_before_cap")
            ));
        }
    }
    if let Some(text) = &want.catastrophic_reason {
        match &got.catastrophic {
            CatastrophicPart::NotSettled { reason }
                if reason.to_string().contains(text.as_str()) => {}
            other => m.push(format!(
                "{}: expected a reason containing \"{text}\", got {other:?}",
                at("catastrophic")
            )),
        }
    }
    if let Some(deadline) = want.manual_claim_deadline {
        match got.manual_claim_deadline {
            Some(day) if day == deadline => {}
            other => m.push(format!(
                "{}: expected {deadline}, got {other:?}",
                at("manual_claim_deadline")
            )),
        }
    }
}

fn check_contribution(
    m: &mut Mismatches,
    i: usize,
    want: &ExpectedContribution,
    got: &crate::settle::ContributionReport,
) {
    let at = |field: &str| format!("contributions[{i}].{field}");
    m.compare(&at("year"), want.year, got.year);
    m.compare(&at("paid_on"), want.paid_on, got.paid_on);
    m.compare(&at("individual"), want.individual, got.individual);
    m.compare(
        &at("paid_by_assistance"),
        want.paid_by_assistance,
        got.paid_by_assistance,
    );
    let (tag, amount) = match &got.subsidy {
        Subsidy::Granted(figure) => ("granted", figure.amount),
        Subsidy::Withheld { not_granted } => ("withheld", *not_granted),
    };
    m.compare(&at("subsidy"), want.subsidy.as_deref(), tag);
    m.compare(&at("subsidy_amount"), want.subsidy_amount, amount);
}

fn check_filing(m: &mut Mismatches, id: &str, want: &ExpectedFiling, got: &FilingState) {
    let at = |field: &str| format!("filing {id}: {field}");
    let (state, due, decided) = match want {
        ExpectedFiling::State(state) => (state, None, None),
        ExpectedFiling::Detail(detail) => (&detail.state, detail.approval_due, detail.decided_on),
    };
    m.compare(&at("state"), Some(state.as_str()), got.name());
    let (got_due, got_decided): (Option<ApprovalDue>, Option<NaiveDate>) = match got {
        FilingState::Submitted { approval_due, .. } => (Some(*approval_due), None),
        FilingState::Rejected { decision, .. }
        | FilingState::Approved { decision, .. }
        | FilingState::Active { decision, .. } => (Some(decision.due), Some(decision.on)),
        _ => (None, None),
    };
    if let Some(due) = due {
        if got_due != Some(ApprovalDue::By(due)) {
            m.push(format!(
                "{}: expected {due}, got {got_due:?}",
                at("approval_due")
            ));
        }
    }
    if let Some(decided) = decided {
        if got_decided != Some(decided) {
            m.push(format!(
                "{}: expected {decided}, got {got_decided:?}",
                at("decided_on")
            ));
        }
    }
}
