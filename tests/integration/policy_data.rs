use yibao::core::RuleId;
use yibao::policy::{PolicyFiles, PolicyLibrary, check};

#[test]
fn the_shipped_data_checks_clean() {
    let report = check(&PolicyFiles::embedded(), None);
    assert_eq!(report.error_count(), 0, "{}", report.diagnostics_text());
    assert_eq!(report.warning_count(), 0, "{}", report.diagnostics_text());
    assert!(PolicyLibrary::load(&PolicyFiles::embedded()).is_ok());
}

#[test]
fn every_rule_id_of_policy_notes_is_registered_in_order() {
    let library = PolicyLibrary::load(&PolicyFiles::embedded()).unwrap();
    let expected: Vec<String> = (1..=12)
        .map(|n| format!("K{n}"))
        .chain((1..=27).map(|n| format!("H{n}")))
        .chain((1..=9).map(|n| format!("W{n}")))
        .collect();
    let registered: Vec<String> = library
        .registry
        .rules
        .iter()
        .map(|r| r.id.to_string())
        .collect();
    assert_eq!(registered, expected);
    for rule in &library.registry.rules {
        assert!(!rule.quotes.is_empty(), "{} has no quote", rule.id);
    }
    let h19: RuleId = "H19".parse().unwrap();
    assert!(
        library
            .registry
            .rule(h19)
            .unwrap()
            .quotes
            .iter()
            .any(|q| q.contains("18000") || q.contains("1.8"))
    );
}

#[test]
fn wujiang_values_are_inherited_down_the_hierarchy() {
    let library = PolicyLibrary::load(&PolicyFiles::embedded()).unwrap();
    let year = yibao::core::PolicyYear::new(2026).unwrap();
    let book = library.book("wujiang", year).unwrap();
    // The rounding convention is set once for Jiangsu and inherited.
    assert_eq!(book.set_by("settlement"), ["jiangsu".to_owned()]);
    assert_eq!(
        book.coverage("settlement"),
        yibao::policy::Coverage::Inherited
    );
}

#[test]
fn unknown_jurisdictions_and_years_are_clear_errors() {
    let library = PolicyLibrary::load(&PolicyFiles::embedded()).unwrap();
    let year = yibao::core::PolicyYear::new(2026).unwrap();
    let err = library.book("nanjing", year).unwrap_err().to_string();
    assert_eq!(
        err,
        "unknown jurisdiction `nanjing` (known: kunshan, wujiang, huaian)"
    );
    let err = library
        .book("huaian", yibao::core::PolicyYear::new(2030).unwrap())
        .unwrap_err()
        .to_string();
    assert!(err.contains("no huaian book for 2030"), "{err}");
}

#[test]
fn broken_fixtures_are_caught_and_located() {
    insta::glob!("../fixtures/broken-policy", "*.toml", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let (fixture, files, sources) =
            yibao_tests::apply(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let report = check(&files, sources.as_ref());
        assert!(
            !report.diagnostics.is_empty(),
            "{}: the checker found nothing for: {}",
            path.display(),
            fixture.description
        );
        for d in &report.diagnostics {
            assert!(
                d.location.is_some(),
                "{}: unlocated finding {d}",
                path.display()
            );
        }
        insta::with_settings!({ description => fixture.description.clone(), omit_expression => true }, {
            insta::assert_snapshot!(report.diagnostics_text());
        });
    });
}
