//! The policy data analysed again with one file replaced
//! ([`PolicyAnalysis::with_file_replaced`], which rebuilds only what depends on that file)
//! gives exactly what a full analysis of the changed files gives: the same findings, the same
//! coverage, the same library and books. One table: every embedded file, each replaced by
//! several mutations of its text.

#![allow(clippy::unwrap_used, clippy::panic)]

use yibao::policy::{CheckReport, LoadError, PolicyAnalysis, PolicyFiles, PolicyLibrary};

/// How a file's text is changed.
#[derive(Clone, Copy, Debug)]
enum Mutation {
    /// Its first digit changed (a year, an id, an amount): the file still parses.
    FirstDigit,
    /// Its last digit changed.
    LastDigit,
    /// A line that is not TOML nor JSON appended.
    SyntaxError,
    /// Nothing left.
    Empty,
    /// Unchanged.
    Same,
}

const MUTATIONS: [Mutation; 5] = [
    Mutation::FirstDigit,
    Mutation::LastDigit,
    Mutation::SyntaxError,
    Mutation::Empty,
    Mutation::Same,
];

fn mutate(text: &str, mutation: Mutation) -> String {
    let bump = |at: usize| {
        let mut bytes = text.as_bytes().to_vec();
        bytes[at] = b'0' + (bytes[at] - b'0' + 1) % 10;
        String::from_utf8(bytes).unwrap()
    };
    let digits = || text.bytes().enumerate().filter(|(_, b)| b.is_ascii_digit());
    match mutation {
        Mutation::FirstDigit => digits()
            .next()
            .map_or_else(|| text.to_owned(), |(i, _)| bump(i)),
        Mutation::LastDigit => digits()
            .next_back()
            .map_or_else(|| text.to_owned(), |(i, _)| bump(i)),
        Mutation::SyntaxError => format!("{text}\n= [[ {{ \"\n"),
        Mutation::Empty => String::new(),
        Mutation::Same => text.to_owned(),
    }
}

/// Everything a load says, in a form to compare: the report, and the library's registry,
/// hierarchy, calendar and every book (values flattened) or the failure.
fn outcome(analysis: PolicyAnalysis) -> (CheckReport, Result<String, LoadError>) {
    let report = analysis.report().clone();
    let library = analysis.into_library().map(|library: PolicyLibrary| {
        let mut text = format!(
            "{:?}\n{:?}\n{:?}\n",
            library.registry, library.jurisdictions, library.calendar
        );
        for book in library.books() {
            let values: Vec<_> = book.values.iter().collect();
            text.push_str(&format!(
                "{} {} {:?} {:?} {:?} {:?} {:?} {:?} {:?}\n{values:?}\n",
                book.jurisdiction,
                book.year,
                book.settlement,
                book.enrolment,
                book.benefits,
                book.remote_care,
                book.catastrophic,
                book.filing,
                book.origins,
            ));
        }
        text
    });
    (report, library)
}

fn assert_same(what: &str, incremental: PolicyAnalysis, full: PolicyAnalysis) {
    let (report, library) = outcome(incremental);
    let (full_report, full_library) = outcome(full);
    assert_eq!(
        report.diagnostics, full_report.diagnostics,
        "{what}: the findings"
    );
    assert_eq!(
        report.coverage, full_report.coverage,
        "{what}: the coverage"
    );
    assert_eq!(
        report.files_read, full_report.files_read,
        "{what}: files read"
    );
    match (library, full_library) {
        (Ok(library), Ok(full)) => assert_eq!(library, full, "{what}: the library"),
        (Err(e), Err(full)) => assert_eq!(
            e.report.diagnostics, full.report.diagnostics,
            "{what}: the refusal"
        ),
        (a, b) => panic!(
            "{what}: incremental {} but full {}",
            if a.is_ok() { "loads" } else { "refuses" },
            if b.is_ok() { "loads" } else { "refuses" }
        ),
    }
}

#[test]
fn a_file_replaced_gives_what_a_full_load_of_the_changed_files_gives() {
    let files = PolicyFiles::embedded();
    let base = PolicyAnalysis::new(&files);
    assert!(
        base.report().error_count() == 0,
        "the embedded data loads: {}",
        base.report().diagnostics_text()
    );
    let mut loads = 0;
    let mut refusals = 0;
    for (path, text) in files.iter() {
        for mutation in MUTATIONS {
            let changed_text = mutate(text, mutation);
            let mut changed = files.clone();
            changed.insert(path, changed_text.as_str());
            let what = format!("{path} ({mutation:?})");
            let incremental = base.with_file_replaced(path, &changed_text);
            // From the changed analysis, the file put back gives the original data again.
            let restored = incremental.with_file_replaced(path, text);
            let full = PolicyAnalysis::new(&changed);
            if full.report().error_count() == 0 {
                loads += 1;
            } else {
                refusals += 1;
            }
            assert_same(&what, incremental, full);
            assert_same(
                &format!("{what}, then restored"),
                restored,
                PolicyAnalysis::new(&files),
            );
        }
    }
    // The table reaches both outcomes.
    assert!(
        loads > 0 && refusals > 0,
        "{loads} loads, {refusals} refusals"
    );
}

#[test]
fn a_file_added_gives_what_a_full_load_gives() {
    let files = PolicyFiles::embedded();
    let base = PolicyAnalysis::new(&files);
    for (path, text) in [
        (
            "huaian/2027.toml",
            "[meta]\njurisdiction = \"huaian\"\nyear = 2027\n",
        ),
        ("huaian/notes.txt", "not policy data"),
        ("kunshan/2o21.toml", ""),
        ("calendar/cn-holidays/2028.json", "{}"),
    ] {
        let mut changed = files.clone();
        changed.insert(path, text);
        assert_same(
            &format!("{path} added"),
            base.with_file_replaced(path, text),
            PolicyAnalysis::new(&changed),
        );
    }
}

/// `PolicyLibrary::load` is the full analysis: same library, same refusal.
#[test]
fn load_is_the_full_analysis() {
    let mut files = PolicyFiles::embedded();
    let loaded = PolicyLibrary::load(&files).map(|l| l.books().count());
    let analysed = PolicyAnalysis::new(&files)
        .into_library()
        .map(|l| l.books().count());
    assert_eq!(loaded.ok(), analysed.ok());
    files.insert("sources.toml", "");
    let refused = PolicyLibrary::load(&files).map(|_| ()).unwrap_err();
    assert_eq!(
        refused.report.diagnostics,
        PolicyAnalysis::new(&files).report().diagnostics
    );
}
