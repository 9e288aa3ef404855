//! The scenario suite: every `tests/scenarios/*.toml` is one person-year drawn from the
//! sources, settled through the one-stop settlement and compared with the figures computed by
//! hand in the file; together the files cite every rule id that carries a number in the data.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use yibao::core::{KeyPath, KeySegment, NaiveDate, Rate, RuleId, Yuan};
use yibao::policy::{PolicyFiles, PolicyLibrary};
use yibao::settle::{Explain, Settler, settle, settle_into, settle_with};
use yibao_tests::scenario_test::ScenarioTest;

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
    ScenarioTest::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"))
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
        failures.extend(
            test.run(&library)
                .into_iter()
                .map(|m| format!("{name}: {m}")),
        );
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
