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
            .any(|q| q.text.contains("18000") || q.text.contains("1.8"))
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

#[test]
fn a_policy_file_that_is_not_utf8_is_located_and_utf16_named() {
    let dir = std::env::temp_dir().join(format!("yibao-policy-utf16-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (path, text) in PolicyFiles::embedded().iter() {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, text).unwrap();
    }
    // Huai'an's book saved as UTF-16 (little-endian, with its byte-order mark), and Kunshan's
    // with one Latin-1 byte on its third line.
    let huaian = PolicyFiles::embedded()
        .get("huaian/2026.toml")
        .unwrap()
        .to_owned();
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(huaian.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.join("huaian/2026.toml"), utf16).unwrap();
    let error = PolicyFiles::from_dir(&dir).unwrap_err().to_string();
    assert!(
        error.ends_with(
            "huaian/2026.toml:1:1: the file is not UTF-8 text: the byte 0xFF at byte offset 0 \
             is not valid UTF-8; hint: the file looks like UTF-16 (little-endian); save it as UTF-8"
        ),
        "{error}"
    );
    std::fs::write(dir.join("huaian/2026.toml"), huaian).unwrap();
    let kunshan = PolicyFiles::embedded()
        .get("kunshan/2021.toml")
        .unwrap()
        .to_owned();
    let mut lines: Vec<Vec<u8>> = kunshan.split('\n').map(|l| l.as_bytes().to_vec()).collect();
    lines[2].insert(0, 0xe9);
    std::fs::write(dir.join("kunshan/2021.toml"), lines.join(&b'\n')).unwrap();
    let error = PolicyFiles::from_dir(&dir).unwrap_err().to_string();
    let offset = kunshan
        .split('\n')
        .take(2)
        .map(|l| l.len() + 1)
        .sum::<usize>();
    assert!(
        error.ends_with(&format!(
            "kunshan/2021.toml:3:1: the file is not UTF-8 text: the byte 0xE9 at byte offset \
             {offset} is not valid UTF-8"
        )),
        "{error}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The older kebab-case spellings of the first policy data still load, to the same books: the
/// shipped data with every canonical word written back in its older spelling.
#[test]
fn the_older_spellings_of_the_policy_data_still_load_to_the_same_books() {
    const OLDER: [(&str, &str); 19] = [
        ("at_least", "at-least"),
        ("fully_subsidised", "fully-subsidised"),
        ("not_given_by_source", "not-given-by-source"),
        (
            "suspension_until_day_after_payment",
            "suspension-until-day-after-payment",
        ),
        ("waiting_period", "waiting-period"),
        ("duplicate_payment", "duplicate-payment"),
        ("joined_employee_insurance", "joined-employee-insurance"),
        (
            "joined_other_area_resident_insurance",
            "joined-other-area-resident-insurance",
        ),
        ("paternal_grandparent", "paternal-grandparent"),
        ("maternal_grandparent", "maternal-grandparent"),
        ("daughters_child", "daughters-child"),
        ("resident_id_card", "resident-id-card"),
        ("residence_permit", "residence-permit"),
        ("birth_certificate", "birth-certificate"),
        (
            "hong_kong_macao_taiwan_student",
            "hong-kong-macao-taiwan-student",
        ),
        ("half_away_from_zero", "half-away-from-zero"),
        ("half_even", "half-even"),
        (
            "cumulative_excess_over_threshold",
            "cumulative-excess-over-threshold",
        ),
        ("medical_aid_recipient", "medical-aid-recipient"),
    ];
    let shipped = PolicyFiles::embedded();
    let mut older = shipped.clone();
    let mut respelt = 0;
    for (path, text) in shipped.iter().filter(|(p, _)| p.ends_with(".toml")) {
        let mut edited = text.to_owned();
        for (name, old) in OLDER {
            let quoted = format!("\"{name}\"");
            respelt += edited.matches(&quoted).count();
            edited = edited.replace(&quoted, &format!("\"{old}\""));
        }
        older.insert(path, edited);
    }
    assert!(respelt >= 15, "only {respelt} words respelt");
    let report = check(&older, None);
    assert_eq!(report.error_count(), 0, "{}", report.diagnostics_text());
    let shipped = PolicyLibrary::load(&shipped).unwrap();
    let older = PolicyLibrary::load(&older).unwrap();
    for book in shipped.books() {
        let again = older.book(&book.jurisdiction, book.year).unwrap();
        // The typed sections (the flattened `values` keep the text as written).
        let typed = |b: &yibao::policy::Book| {
            format!(
                "{:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                b.settlement,
                b.enrolment,
                b.benefits,
                b.remote_care,
                b.catastrophic,
                b.filing,
                b.origins
            )
        };
        assert_eq!(typed(again), typed(book));
    }
}

/// An insured place is found by its id, its Chinese name whole or short, or its English
/// name; a near miss of an id is suggested; a place that is not insured (Suzhou, a pooling
/// city) is not found.
#[test]
fn insured_places_by_their_names() {
    let library = PolicyLibrary::load(&PolicyFiles::embedded()).unwrap();
    let named = [
        ("huaian", Some("huaian")),
        ("淮安市", Some("huaian")),
        ("淮安", Some("huaian")),
        ("Huai'an", Some("huaian")),
        ("HUAI'AN", Some("huaian")),
        ("昆山市", Some("kunshan")),
        ("昆山", Some("kunshan")),
        ("苏州市吴江区", Some("wujiang")),
        ("吴江区", Some("wujiang")),
        ("吴江", Some("wujiang")),
        ("苏州市", None),
        ("suzhou", None),
        ("江苏省", None),
        ("", None),
    ];
    for (given, id) in named {
        assert_eq!(
            library.jurisdictions.insured_place_named(given),
            id,
            "{given}"
        );
    }
    let near = [
        ("huaain", Some("huaian")),
        ("kunshn", Some("kunshan")),
        ("wujang", Some("wujiang")),
        ("beijing", None),
    ];
    for (given, id) in near {
        assert_eq!(
            library.jurisdictions.nearest_insured_place(given),
            id,
            "{given}"
        );
    }
    let year = yibao::core::PolicyYear::new(2026).unwrap();
    assert_eq!(library.book("淮安市", year).unwrap().jurisdiction, "huaian");
    assert_eq!(
        library.book("huaain", year).unwrap_err().to_string(),
        "unknown jurisdiction `huaain` (known: kunshan, wujiang, huaian); did you mean `huaian`?"
    );
}
