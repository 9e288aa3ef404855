//! The sentence behind each step: every quote key the code can name is registered, every step
//! of every scenario and example shows the quote it names, and the list of step kinds with
//! the quote each shows is pinned for a reviewer to read against the seeds.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use yibao::core::QuoteKey;
use yibao::policy::{PolicyFiles, PolicyLibrary, Registry};
use yibao::scenario::{ScenarioFile, ScenarioFormat};
use yibao::settle::settle;
use yibao_tests::scenario_test::ScenarioTest;

/// Every key a step of the engine can name, by the crate that names it.
const KEYS: &[(&str, &[QuoteKey])] = &[
    ("yibao-benefits", yibao::benefits::quotes::ALL),
    ("yibao-catastrophic", yibao::catastrophic::quotes::ALL),
    ("yibao-enrolment", yibao::enrolment::quotes::ALL),
    ("yibao-filing", yibao::filing::quotes::ALL),
    ("yibao", yibao::settle::quotes::ALL),
];

/// Keys a step names for a case no source gives a sentence for: the step names the key so
/// that a source that does can register it, and until then shows its rule's first quote.
const NO_SENTENCE_YET: &[(&str, &str)] = &[(
    "not_covered.no_cover_period",
    "no payment for the year: no source sentence says that an unpaid year has no cover",
)];

fn library() -> PolicyLibrary {
    PolicyLibrary::load(&PolicyFiles::embedded()).unwrap()
}

fn registered_somewhere(registry: &Registry, key: QuoteKey) -> bool {
    registry.rules.iter().any(|rule| rule.quote(key).is_some())
}

#[test]
fn every_key_the_code_can_name_is_registered_under_a_rule() {
    let library = library();
    let mut missing = Vec::new();
    for (krate, keys) in KEYS {
        for key in *keys {
            assert!(
                QuoteKey::is_well_formed(key.as_str()),
                "{krate}: `{key}` is not a well-formed quote key"
            );
            let exempt = NO_SENTENCE_YET.iter().any(|(k, _)| *k == key.as_str());
            if registered_somewhere(&library.registry, *key) == exempt {
                missing.push(format!(
                    "{krate}: `{key}` {}",
                    if exempt {
                        "is registered now: take it off NO_SENTENCE_YET"
                    } else {
                        "is registered under no rule of sources.toml"
                    }
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// A quote id as a listing shows it, with the quote found for it (under its key, or the
/// key it narrows: `H2.cover.collection_window → H2.cover`); `None` when none is registered.
fn registered(registry: &Registry, id: yibao::core::QuoteId) -> Option<String> {
    let quote = registry.quote(id)?;
    Some(if quote.key == id.key.as_str() {
        format!("{id}\n    «{}»", quote.text)
    } else {
        format!("{id} → {}.{}\n    «{}»", id.rule, quote.key, quote.text)
    })
}

/// The scenario files of the suite and the examples.
fn scenario_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = ["scenarios", "../examples"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(root.join(dir)).unwrap())
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

/// One line per step kind (rule and sentence pattern): the quote it names and the one shown.
#[test]
fn each_step_kind_shows_the_quote_it_names() {
    let library = library();
    let registry = &library.registry;
    let mut kinds: BTreeMap<(yibao::core::RuleId, &'static str), String> = BTreeMap::new();
    let mut unresolved = Vec::new();
    for path in scenario_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let scenario = match ScenarioTest::parse(&text) {
            Ok(test) => test.scenario,
            Err(_) => {
                ScenarioFile::parse(&name, &text, ScenarioFormat::Toml)
                    .unwrap()
                    .scenario
            }
        };
        // A refused scenario has no steps.
        let Ok(report) = settle(&library, &scenario) else {
            continue;
        };
        for step in report.claims.iter().flat_map(|c| &c.steps) {
            let step = &step.step;
            // Both patterns of a step have a hole for each figure and a figure for each hole.
            if let Err(e) = step.check() {
                unresolved.push(format!("{name}: {e}"));
            }
            let shown = match step.quote_id() {
                None => "names no quote".to_owned(),
                Some(id) => match registered(registry, id) {
                    Some(shown) => shown,
                    None => {
                        let exempt = NO_SENTENCE_YET.iter().any(|(k, _)| *k == id.key.as_str());
                        if !exempt {
                            unresolved.push(format!("{name}: {id} ({})", step.template()));
                        }
                        format!("{id} is not registered: the rule's first quote is shown")
                    }
                },
            };
            kinds.insert((step.rule, step.template()), shown);
        }
    }
    assert!(
        unresolved.is_empty(),
        "steps name quotes that are not registered:\n{}",
        unresolved.join("\n")
    );
    let mut listing = String::new();
    for ((rule, template), shown) in &kinds {
        writeln!(listing, "[{rule}] {template}\n  {shown}\n").unwrap();
    }
    insta::assert_snapshot!(listing);
}

/// The quote a step shows, for the listings: the id it names and the quote found for it
/// (under that key or a key it narrows), or why none is.
fn shown_quote(registry: &Registry, step: &yibao::core::Step) -> Result<String, String> {
    let Some(id) = step.quote_id() else {
        return Err(format!(
            "[{}] {}: names no quote",
            step.rule,
            step.template()
        ));
    };
    registered(registry, id).ok_or_else(|| format!("{id} ({}): not registered", step.template()))
}

/// Every step of a contribution answer names a registered quote of its rule: each book's
/// categories, paying for the book's year and each earlier year it gives, on the window's
/// first day, the day after it and the subsidy's withdrawal date, by an ordinary
/// enrolment and by an employee-to-resident transfer. The list of step kinds with the quote
/// each shows is pinned for a reviewer to read against the seeds.
#[test]
fn each_contribution_step_shows_the_quote_it_names() {
    use yibao::enrolment::{ContributionQuery, EnrolmentRoute};
    let library = library();
    // A step kind may show more than one quote (K10's sum for a late payment and for a
    // transfer): each pair is listed.
    let mut kinds: std::collections::BTreeSet<(yibao::core::RuleId, &'static str, String)> =
        std::collections::BTreeSet::new();
    let mut unresolved = Vec::new();
    let mut answered = 0;
    for book in library.books() {
        let Some(section) = book.enrolment.present() else {
            continue;
        };
        let window = &section.collection_window;
        let mut days = vec![window.start, window.end.succ_opt().unwrap()];
        days.extend(
            section
                .contribution
                .subsidy_withdrawal
                .iter()
                .map(|w| w.paid_on_or_after),
        );
        let mut years = vec![section.policy_year];
        years.extend(section.contribution.earlier_years.iter().map(|e| e.year));
        for category in &section.categories {
            for route in [
                EnrolmentRoute::Ordinary,
                EnrolmentRoute::EmployeeToResidentTransfer,
            ] {
                for (&year, &day) in years.iter().flat_map(|y| days.iter().map(move |d| (y, d))) {
                    let query = ContributionQuery::new(category.id.clone(), year, day, route);
                    let Ok(answer) = section.contribution(&query) else {
                        continue;
                    };
                    answered += 1;
                    for step in answer.trace.steps() {
                        match shown_quote(&library.registry, step) {
                            Ok(shown) => {
                                kinds.insert((step.rule, step.template(), shown));
                            }
                            Err(why) => unresolved.push(format!("{}: {why}", book.jurisdiction)),
                        }
                    }
                }
            }
        }
    }
    assert!(answered > 10, "only {answered} contributions answered");
    assert!(
        unresolved.is_empty(),
        "contribution steps without a registered quote:\n{}",
        unresolved.join("\n")
    );
    let mut listing = String::new();
    for (rule, template, shown) in &kinds {
        writeln!(listing, "[{rule}] {template}\n  {shown}\n").unwrap();
    }
    insta::assert_snapshot!(listing);
}
