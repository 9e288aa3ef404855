//! Tests of the settlement's entry points: streamed, reused and whole reports agree.

use yibao_catastrophic::CapInForce;
use yibao_enrolment::Cover;

use super::*;
use crate::policy::PolicyFiles;
use crate::scenario::Scenario;
use crate::scenario::{ScenarioFile, ScenarioFormat};

/// Keeps what a streamed settlement gives, and stops after `stop_after` claims if set.
#[derive(Default)]
struct Keep {
    cover: Option<Cover>,
    cap_in_force: Option<CapInForce>,
    claims: Vec<ClaimReport>,
    stop_after: Option<usize>,
}

impl ClaimSink for Keep {
    fn head(&mut self, head: &Head<'_>) -> std::ops::ControlFlow<()> {
        self.cover = head.cover.cloned();
        self.cap_in_force = head.cap_in_force.cloned();
        std::ops::ControlFlow::Continue(())
    }

    fn claim(&mut self, claim: &ClaimReport) -> std::ops::ControlFlow<()> {
        self.claims.push(claim.clone());
        if self.stop_after == Some(self.claims.len()) {
            std::ops::ControlFlow::Break(())
        } else {
            std::ops::ControlFlow::Continue(())
        }
    }
}

const EXAMPLES: [&str; 3] = [
    include_str!("../../../../examples/huaian-2026-inpatient.toml"),
    include_str!("../../../../examples/huaian-2026-remote-care.toml"),
    include_str!("../../../../examples/kunshan-2021-student.toml"),
];

#[test]
fn a_streamed_settlement_gives_each_claim_as_the_whole_report_holds_it() {
    let library = PolicyLibrary::load(&PolicyFiles::embedded()).unwrap();
    for (i, text) in EXAMPLES.iter().enumerate() {
        let file = ScenarioFile::parse("example", text, ScenarioFormat::Toml).unwrap();
        for explain in [Explain::Steps, Explain::FiguresOnly] {
            let whole = settle_with(&library, &file.scenario, explain).unwrap();
            let mut kept = Keep::default();
            let mut rest = settle_streamed(&library, &file.scenario, explain, &mut kept).unwrap();
            assert!(rest.claims.is_empty(), "example {i}");
            assert!(!kept.claims.is_empty(), "example {i}");
            assert_eq!(kept.cover, whole.cover, "example {i}");
            assert_eq!(kept.cap_in_force, whole.cap_in_force, "example {i}");
            rest.claims = kept.claims;
            assert_eq!(rest, whole, "example {i}, {explain:?}");
        }
    }
}

#[test]
fn a_sink_that_stops_gets_no_further_claim() {
    let library = PolicyLibrary::load(&PolicyFiles::embedded()).unwrap();
    let file = ScenarioFile::parse("example", EXAMPLES[0], ScenarioFormat::Toml).unwrap();
    assert!(file.scenario.claims.len() > 1);
    let mut kept = Keep {
        stop_after: Some(1),
        ..Keep::default()
    };
    settle_streamed(&library, &file.scenario, Explain::Steps, &mut kept).unwrap();
    assert_eq!(kept.claims.len(), 1);
}

/// A scenario of Huai'an 2026 with the given claims, as TOML.
fn huaian(claims: &str) -> Scenario {
    let text = format!(
        "jurisdiction = \"huaian\"\nyear = 2026\n[person]\nid = \"p\"\n[incentives]\nconsecutive_years = 2\n{claims}"
    );
    ScenarioFile::parse("test.toml", &text, ScenarioFormat::Toml)
        .unwrap()
        .scenario
}

const ONE_CLAIM: &str = "[[claims]]\ndate = \"2026-03-01\"\nkind = \"inpatient\"\nlevel = \"level_3\"\namount = \"80000\"\n";

#[test]
fn a_settler_keeps_one_cap_per_book_and_history_and_shares_it_with_a_clone_of_the_library() {
    let library = PolicyLibrary::load(&PolicyFiles::embedded()).unwrap();
    let scenario = huaian(ONE_CLAIM);
    let mut settler = Settler::new();
    let first = settle_into(&library, &scenario, Explain::FiguresOnly, &mut settler)
        .unwrap()
        .clone();
    assert_eq!(settler.kept_caps(), 1);
    let again = settle_into(&library, &scenario, Explain::FiguresOnly, &mut settler).unwrap();
    assert_eq!(*again, first);
    assert_eq!(settler.kept_caps(), 1);
    // A clone holds the same books: the cap kept is still the one.
    let clone = library.clone();
    settle_into(&clone, &scenario, Explain::FiguresOnly, &mut settler).unwrap();
    assert_eq!(settler.kept_caps(), 1);
    // Another load is other books, whatever they hold: its cap is computed and kept apart.
    let other = PolicyLibrary::load(&PolicyFiles::embedded()).unwrap();
    let from_other = settle_into(&other, &scenario, Explain::FiguresOnly, &mut settler).unwrap();
    assert_eq!(*from_other, first);
    assert_eq!(settler.kept_caps(), 2);
    // With steps, the cap is another (it explains itself).
    settle_into(&library, &scenario, Explain::Steps, &mut settler).unwrap();
    assert_eq!(settler.kept_caps(), 3);
}

#[test]
fn an_error_names_the_claim_and_field_at_fault_by_variant() {
    let library = PolicyLibrary::load(&PolicyFiles::embedded()).unwrap();
    let outside = ONE_CLAIM.replace("2026-03-01", "2027-03-01");
    let error = settle(&library, &huaian(&outside)).unwrap_err();
    assert_eq!(error.claim_at_fault(), Some((0, Some(ClaimField::Date))));
    assert!(matches!(
        error.kind,
        SettleErrorKind::ClaimOutsideYear { .. }
    ));
    assert_eq!(error.path().to_string(), "claims[0].date");
    assert_eq!(
        error.to_string(),
        "the claim is dated 2027-03-01 but the scenario settles policy year 2026"
    );
    assert_eq!(
        error.hint().as_deref(),
        Some("settle each policy year in its own scenario")
    );

    let both = ONE_CLAIM.replace("amount = \"80000\"", "amount = \"1\"\nclass_a = \"1\"");
    let error = settle(&library, &huaian(&both)).unwrap_err();
    assert_eq!(error.claim_at_fault(), Some((0, Some(ClaimField::Amount))));
    assert_eq!(error.kind, SettleErrorKind::AmountAndSplit);

    let emergency = ONE_CLAIM.replace("\"inpatient\"", "\"emergency\"");
    let error = settle(&library, &huaian(&emergency)).unwrap_err();
    assert_eq!(error.claim_at_fault(), Some((0, None)));
    assert_eq!(
        error.to_string(),
        "an emergency claim needs `emergency_outcome`"
    );
    assert_eq!(
        error.hint().as_deref(),
        Some("add `emergency_outcome` to the claim")
    );
}

#[test]
fn a_domain_error_is_wrapped_not_flattened() {
    let library = PolicyLibrary::load(&PolicyFiles::embedded()).unwrap();
    let mut scenario = huaian(ONE_CLAIM);
    scenario.jurisdiction = "nowhere".to_owned();
    let error = settle(&library, &scenario).unwrap_err();
    assert_eq!(error.at, At::Jurisdiction);
    assert_eq!(error.claim_at_fault(), None);
    let SettleErrorKind::Book(book) = &error.kind else {
        panic!("not a book error: {error:?}");
    };
    assert_eq!(error.to_string(), book.to_string());
}
