//! The scenario suite: every `tests/scenarios/*.toml` is one person-year drawn from the
//! sources, settled through the one-stop settlement and compared with the figures computed by
//! hand in the file; together the files cite every rule id that carries a number in the data.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use yibao::core::{KeyPath, KeySegment, NaiveDate, Rate, RuleId, Yuan};
use yibao::enrolment::Subsidy;
use yibao::filing::{ApprovalDue, FilingState};
use yibao::policy::{PolicyFiles, PolicyLibrary};
use yibao::settle::{
    CatastrophicPart, CoverStatus, Explain, SettlementReport, Settler, settle, settle_into,
    settle_with,
};
use yibao_tests::scenario_test::{
    Expected, ExpectedClaim, ExpectedContribution, ExpectedFiling, ScenarioTest,
};

/// The rules with a number in the data that no person-year settlement can exercise, each with
/// the reason. Keep it short: a rule leaves this list as soon as a scenario can cite it.
const EXEMPT: &[(&str, &str)] = &[
    (
        "K1",
        "the university students' transition runs 2020-09-01..2020-12-31, before Kunshan's only policy year in the data (2021); no settlement consults it",
    ),
    (
        "K11",
        "the payment channel's closing hours (21:00-24:00) are a time of day; a scenario's payments are dated, not timed",
    ),
    (
        "W5",
        "Wujiang's 80% factor applies to Wujiang's own ratios, which the leaflet does not give: a Wujiang person-year is refused (no benefits); the factor is tested in yibao-benefits",
    ),
    (
        "W6",
        "Wujiang's no-filing places (Shanghai, Qingpu, Jiashan): a Wujiang person-year is refused (no benefits); tested in yibao-filing",
    ),
    (
        "W7",
        "Wujiang's manual-claim deadline (31 December, then the next policy year): a Wujiang person-year is refused (no benefits); Kunshan's K7 shows a deadline",
    ),
];

fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// Every scenario file, sorted by name, with its text.
fn scenario_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(scenario_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            (name, text)
        })
        .collect();
    files.sort();
    files
}

fn library() -> PolicyLibrary {
    PolicyLibrary::load(&PolicyFiles::embedded()).unwrap()
}

fn parse(name: &str, text: &str) -> ScenarioTest {
    toml::from_str(text).unwrap_or_else(|e| panic!("{name}: not a scenario test file: {e}"))
}

/// Collects the mismatches of one file.
struct Mismatches<'a> {
    file: &'a str,
    found: Vec<String>,
}

impl Mismatches<'_> {
    fn push(&mut self, what: String) {
        self.found.push(format!("{}: {what}", self.file));
    }

    fn compare<T: PartialEq + std::fmt::Display>(&mut self, at: &str, expected: Option<T>, got: T) {
        if let Some(expected) = expected {
            if expected != got {
                self.push(format!("{at}: expected {expected}, got {got}"));
            }
        }
    }
}

#[test]
fn every_scenario_settles_as_computed_by_hand() {
    let library = library();
    let files = scenario_files();
    let mut failures = Vec::new();
    if files.len() < 30 {
        failures.push(format!(
            "the suite needs at least 30 person-years, found {}",
            files.len()
        ));
    }
    for (name, text) in &files {
        let test = parse(name, text);
        let mut m = Mismatches {
            file: name,
            found: Vec::new(),
        };
        if test.rules.is_empty() {
            m.push("`rules` is empty".to_owned());
        }
        for rule in &test.rules {
            if library.registry.rule(*rule).is_none() {
                m.push(format!("rule {rule} is not registered"));
            }
        }
        match (settle(&library, &test.scenario), &test.expected.error) {
            (Ok(report), None) => check_report(&mut m, &test.expected, &report),
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
        failures.extend(m.found);
    }
    assert!(
        failures.is_empty(),
        "{} mismatch(es):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `settle_into` with one settler reused from person to person (as a batch worker does) gives
/// every person-year exactly the report `settle_with` gives it alone, whatever came before
/// (the claims' reports, the caps in force it keeps): the suite is settled forwards and
/// backwards into the same report, with and without steps, then alternating the two.
#[test]
fn a_reused_report_equals_a_fresh_one_for_every_scenario() {
    let library = library();
    let tests: Vec<ScenarioTest> = scenario_files()
        .iter()
        .map(|(name, text)| parse(name, text))
        .collect();
    assert!(tests.len() >= 30);
    let both = [Explain::FiguresOnly, Explain::Steps];
    let runs: Vec<Vec<(&ScenarioTest, Explain)>> = both
        .iter()
        .map(|&explain| {
            tests
                .iter()
                .chain(tests.iter().rev())
                .map(|test| (test, explain))
                .collect()
        })
        .chain(std::iter::once(
            tests
                .iter()
                .flat_map(|test| {
                    both.iter()
                        .chain(both.iter().rev())
                        .map(move |&e| (test, e))
                })
                .collect(),
        ))
        .collect();
    for run in runs {
        let mut settler = Settler::new();
        for (test, explain) in run {
            let fresh = settle_with(&library, &test.scenario, explain);
            let into = settle_into(&library, &test.scenario, explain, &mut settler);
            match (fresh, into) {
                (Ok(fresh), Ok(into)) => assert_eq!(&fresh, into, "{:?}", test.scenario.person.id),
                (Err(fresh), Err(into)) => assert_eq!(fresh, into),
                (fresh, into) => panic!(
                    "{:?}: settle_with gave {:?} but settle_into {:?}",
                    test.scenario.person.id,
                    fresh.map(|_| ()),
                    into
                ),
            }
        }
    }
}

/// Figures only gives every person-year the figures the explained settlement gives, with no
/// claim step and no basic-fund trace: the report with steps, those explanations and the
/// cap's cleared, is the report without.
#[test]
fn figures_only_gives_the_same_figures_and_no_steps() {
    let library = library();
    for (name, text) in scenario_files() {
        let test = parse(&name, &text);
        let plain = settle_with(&library, &test.scenario, Explain::FiguresOnly);
        let explained = settle_with(&library, &test.scenario, Explain::Steps);
        match (plain, explained) {
            (Ok(plain), Ok(mut explained)) => {
                for claim in &plain.claims {
                    assert!(claim.steps.is_empty(), "{name}: {:?}", claim.steps);
                    let trace = claim.basic.as_ref().map(|b| b.trace.len());
                    assert!(trace.unwrap_or(0) == 0, "{name}: a basic trace");
                }
                for claim in &mut explained.claims {
                    claim.steps.clear();
                    if let Some(basic) = &mut claim.basic {
                        basic.trace.clear();
                    }
                }
                if let Some(cap) = &mut explained.cap_in_force {
                    cap.trace.clear();
                }
                assert_eq!(plain, explained, "{name}");
            }
            (Err(plain), Err(explained)) => assert_eq!(plain, explained, "{name}"),
            (plain, explained) => panic!(
                "{name}: figures only gave {:?} but with steps {:?}",
                plain.map(|_| ()),
                explained.map(|_| ())
            ),
        }
    }
}

fn check_report(m: &mut Mismatches<'_>, expected: &Expected, report: &SettlementReport) {
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

fn check_claim(m: &mut Mismatches<'_>, want: &ExpectedClaim, got: &yibao::settle::ClaimReport) {
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
    m: &mut Mismatches<'_>,
    i: usize,
    want: &ExpectedContribution,
    got: &yibao::settle::ContributionReport,
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

fn check_filing(m: &mut Mismatches<'_>, id: &str, want: &ExpectedFiling, got: &FilingState) {
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

/// Whether a value of the data is a number: an amount, a rate, a date (or a month-day such
/// as a closing day `12-30`), a time of day or a whole number.
fn is_number(value: &str) -> bool {
    let date = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok();
    value.parse::<Yuan>().is_ok()
        || value.parse::<u64>().is_ok()
        || (value.ends_with('%') && value.parse::<Rate>().is_ok())
        || date(value)
        || date(&format!("2000-{value}"))
        || (value.len() == 5
            && value.as_bytes().get(2) == Some(&b':')
            && value
                .split(':')
                .all(|part| part.len() == 2 && part.parse::<u8>().is_ok()))
}

fn parent(path: &KeyPath) -> Option<KeyPath> {
    let segments = path.segments();
    let (_, init) = segments.split_last()?;
    Some(init.iter().fold(KeyPath::root(), |p, s| match s {
        KeySegment::Key(k) => p.key(k.clone()),
        KeySegment::Index(i) => p.index(*i),
    }))
}

/// Every rule id cited by a table that holds a number, with one key of that number.
fn numbered_rules(library: &PolicyLibrary) -> BTreeMap<RuleId, String> {
    let mut out = BTreeMap::new();
    for book in library.books() {
        let values: BTreeMap<&str, &str> = book
            .values
            .iter()
            .map(|v| (v.key.as_str(), v.value.as_str()))
            .collect();
        for value in &book.values {
            let path = KeyPath::parse(&value.key);
            let is_citation = matches!(
                path.segments().last(),
                Some(KeySegment::Key(k)) if k == "rules"
            );
            if is_citation || !is_number(&value.value) {
                continue;
            }
            let mut table = parent(&path);
            let citation = loop {
                let Some(at) = table else { break None };
                if let Some(rules) = values.get(at.clone().key("rules").to_string().as_str()) {
                    break Some(*rules);
                }
                table = parent(&at);
            };
            let citation = citation.unwrap_or_else(|| {
                panic!(
                    "{} {}: the number at `{}` has no rule citation",
                    book.jurisdiction, book.year, value.key
                )
            });
            for id in citation
                .trim_start_matches('[')
                .trim_end_matches(']')
                .split(',')
            {
                let id: RuleId = id.trim().parse().unwrap();
                out.entry(id).or_insert_with(|| {
                    format!(
                        "{} {}: {} = {}",
                        book.jurisdiction, book.year, value.key, value.value
                    )
                });
            }
        }
    }
    out
}

#[test]
fn the_scenarios_cite_every_rule_that_carries_a_number() {
    let library = library();
    let numbered = numbered_rules(&library);
    let cited: BTreeSet<RuleId> = scenario_files()
        .iter()
        .flat_map(|(name, text)| parse(name, text).rules)
        .collect();
    let exempt: BTreeMap<RuleId, &str> = EXEMPT
        .iter()
        .map(|(id, why)| (id.parse().unwrap(), *why))
        .collect();
    let missing: Vec<String> = numbered
        .iter()
        .filter(|(id, _)| !cited.contains(id) && !exempt.contains_key(id))
        .map(|(id, example)| format!("{id} (e.g. {example})"))
        .collect();
    assert!(
        missing.is_empty(),
        "rules with a number that no scenario cites: {missing:#?}"
    );
    let stale: Vec<String> = exempt
        .keys()
        .filter(|id| cited.contains(id) || !numbered.contains_key(id))
        .map(ToString::to_string)
        .collect();
    assert!(
        stale.is_empty(),
        "exemptions of rules that a scenario cites or that carry no number: {stale:?}"
    );
    for (id, why) in &exempt {
        assert!(!why.is_empty(), "{id} is exempt without a reason");
    }
}

/// Every explanation step the engine makes for the scenarios fills each hole of its template
/// with a figure and has no figure without a hole: the rendered text has no `{` left.
#[test]
fn every_step_of_every_scenario_fills_its_template() {
    let library = library();
    let mut checked = 0;
    let mut failures = Vec::new();
    for (name, text) in &scenario_files() {
        let test = parse(name, text);
        let Ok(report) = settle(&library, &test.scenario) else {
            continue;
        };
        let claims = report
            .claims
            .iter()
            .flat_map(|claim| claim.steps.iter().map(|s| &s.step));
        let contributions = report
            .contributions
            .iter()
            .flat_map(|c| c.steps.iter().map(|s| &s.step));
        let cover = report.cover.iter().flat_map(|c| c.trace.steps());
        let cap = report.cap_in_force.iter().flat_map(|c| &c.trace);
        // The filings replayed to each event's day and 90 days after: every state's step.
        let days = test
            .scenario
            .filings
            .iter()
            .flat_map(|e| [Some(e.on), e.on.checked_add_days(chrono::Days::new(90))])
            .flatten();
        let registers: Vec<_> = days
            .filter_map(|day| yibao::settle::filing(&library, &test.scenario, day, None).ok())
            .collect();
        let filings = registers.iter().flat_map(|r| r.register.trace());
        for step in claims
            .chain(contributions)
            .chain(cover)
            .chain(cap)
            .chain(filings)
        {
            checked += 1;
            let rendered = step.render();
            if let Err(e) = step.check() {
                failures.push(format!("{name}: {e}"));
            } else if rendered.contains('{') {
                failures.push(format!("{name}: a brace left in {rendered:?}"));
            }
        }
    }
    assert!(checked > 500, "only {checked} steps were made");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
