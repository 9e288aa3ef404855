//! Every finding of the policy data in Chinese: each code the loader, the sections'
//! validations and a reform can give is made here at least once (every broken fixture of
//! `tests/fixtures/broken-policy`, the shipped data edited, each section's parameters changed
//! one value at a time, reforms of every kind of mistake), and each finding's Chinese must be
//! Chinese: no English word outside the values, keys, codes and ids between backquotes (the
//! zh scan's rule, [`crate::zh_words::english_words`]), and no reader's message left as it
//! was. The Chinese of the broken fixtures is pinned in one snapshot (`broken_fixtures_zh`),
//! which the zh scan reads too.

use std::collections::BTreeSet;
use std::path::Path;

use yibao::core::{Diagnostic, Lang, PolicyYear, Validate, Yuan};
use yibao::policy::{PolicyFiles, PolicyLibrary, Reform, ReformError, Section, SourceTexts, check};

use crate::zh_words::english_words;

/// Every code a finding of the policy data can have.
const CODES: &[&str] = &[
    // The loader (crates/yibao/src/policy).
    "absent-and-present",
    "bad-file-name",
    "bad-id",
    "bare-date",
    "calendar-invalid",
    "chinese-without-english",
    "calendar-year-mismatch",
    "duplicate-id",
    "duplicate-quote-key",
    "hierarchy-cycle",
    "invalid-value",
    "malformed-quote-key",
    "malformed-rule-id",
    "meta-mismatch",
    "missing-file",
    "missing-key",
    "missing-locator",
    "missing-quote",
    "prose-without-chinese",
    "quote-not-found",
    "rule-prefix-mismatch",
    "source-file-missing",
    "toml-syntax",
    "uncited-number",
    "unexpected-file",
    "unknown-class-category",
    "unknown-jurisdiction",
    "unknown-key",
    "unknown-rule",
    "unknown-source",
    "window-order",
    // A reform's settings.
    "malformed-setting",
    "not-a-table",
    "not-a-value",
    // [benefits] and [remote_care].
    "ambiguous-deductible",
    "ambiguous-ratio",
    "cap-basis-needs-ladder",
    "cap-not-positive",
    "cap-order",
    "cut-and-not-given",
    "cut-not-allowed",
    "deductible-above-cap",
    "duplicate-exclusion",
    "duplicate-level",
    "emergency-without-policy",
    "empty-absence-note",
    "empty-note",
    "empty-reading",
    "exclusion-rule-not-cited",
    "local-care-not-paid",
    "local-not-given",
    "maternity-without-inpatient",
    "missing-deductible",
    "missing-ratio",
    "no-levels",
    "no-treatments",
    "ratio-level-not-paid",
    "shared-cap-without-inpatient",
    // [enrolment].
    "channel-hours-reversed",
    "continuity-starts-later",
    "days-out-of-range",
    "duplicate-category",
    "duplicate-earlier-year",
    "duplicate-refund-reason",
    "duplicate-relative",
    "earlier-year-not-earlier",
    "empty-category-name",
    "malformed-category-id",
    "no-categories",
    "no-refund-reasons",
    "no-relatives",
    "refund-for-any-reason",
    "relative-other",
    "subsidy-stated-for-later-year",
    "suspension-not-at-year-start",
    "switch-gap-out-of-range",
    "switch-years-out-of-range",
    "transition-ends-before-start",
    "unknown-category",
    "waiting-months-out-of-range",
    "window-ends-before-start",
    "window-not-before-year",
    "withdrawal-needs-exact-subsidy",
    "withdrawal-outside-year",
    "zero-contribution",
    // [catastrophic].
    "aid-less-generous-than-ordinary",
    "catastrophic-cap-zero",
    "category-in-two-classes",
    "empty-category",
    "incentive-step-above-limit",
    "incentive-step-zero",
    "lapse-cut-above-cap",
    // [filing].
    "approval-working-days",
    "cancel-months",
    "commitment-days",
    "duplicate-channel",
    "duplicate-exemption",
    "duplicate-filing-type",
    "empty-material",
    "empty-materials",
    "exemption-inside-home",
    "exemption-treatment",
    "no-filing-channels",
    "no-filing-types",
    "validity-months",
];

/// What is wrong with a finding's Chinese, if anything.
fn not_chinese(d: &Diagnostic) -> Option<String> {
    let zh = d.zh();
    let why = if !d
        .message_zh
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    {
        "no Chinese".to_owned()
    } else if d.message_zh.contains("读取器的说明") {
        "a reader's message not read back".to_owned()
    } else {
        let words = english_words(&zh);
        if words.is_empty() {
            return None;
        }
        format!("English words {}", words.join(", "))
    };
    Some(format!("{why}: {zh}\n  English: {d}"))
}

/// The shipped data with the edits of a fixture (`broken-policy`'s format), checked.
fn edited(fixture: &str) -> Vec<Diagnostic> {
    let (_, files, sources) = yibao_tests::apply(fixture).unwrap_or_else(|e| panic!("{e}"));
    check(&files, sources.as_ref()).diagnostics
}

/// Edits of the shipped data for the loader's codes no broken fixture gives.
const EDITS: &[&str] = &[
    r#"description = "a Chinese reading with no English beside it, and a note with no Chinese beside it"
[[edit]]
file = "huaian/2026.toml"
find = "reading = \"Day surgery shares the 240,000 inpatient cap\"\n"
replace = ""
[[edit]]
file = "huaian/2026.toml"
find = "reading = \"Emergency rescue gets no cut\"\n"
replace = "reading = \"Emergency rescue gets no cut\"\nnote = \"a note in English alone\"\n"
"#,
    r#"description = "a section both given and declared absent"
[[edit]]
file = "kunshan/2021.toml"
find = "[absent]\n"
replace = "[absent]\nenrolment = \"given below\"\n"
"#,
    r#"description = "a jurisdiction id in capitals, and a coverage that ends before it starts"
[[edit]]
file = "jurisdictions.toml"
find = 'id = "jiangsu"'
replace = 'id = "Jiangsu"'
[[edit]]
file = "jurisdictions.toml"
find = "last_year = 2026"
replace = "last_year = 2020"
"#,
    r#"description = "a bare date, and a rule id in lower case"
[[edit]]
file = "huaian/2026.toml"
find = "students the same).\nindividual = \"440\""
replace = "students the same).\nindividual = \"440\"\nfrom = 2026-01-01"
[[edit]]
file = "huaian/2026.toml"
find = "stated_for = 2025\nrules = [\"H1\"]"
replace = "stated_for = 2025\nrules = [\"h1\"]"
"#,
    r#"description = "rules without a locator, without a quote, with quote keys malformed and twice"
[[edit]]
file = "sources.toml"
find = "[[rule]]\nid = \"K1\"\n"
replace = """[[rule]]
id = "K97"
source = "kunshan-2021"
locator = " "
title = "no quote"
quotes = []

[[rule]]
id = "K98"
source = "kunshan-2021"
locator = "一"
title = "keys"
quotes = [{ key = "Bad Key", text = "在昆山市学校就读" }, { key = "a", text = "在昆山市" }, { key = "a", text = "学校就读" }]

[[rule]]
id = "K1"
"""
"#,
];

/// A section of every book, changed by `change` and validated (the books without the
/// section, or where `change` finds nothing to change, give nothing).
fn changed<T: Clone + Validate>(
    library: &PolicyLibrary,
    section: impl Fn(&yibao::policy::Book) -> &Section<T>,
    change: impl Fn(&mut T) -> bool,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for book in library.books() {
        if let Section::Present(params) = section(book) {
            let mut params = params.clone();
            if change(&mut params) {
                found.extend(params.validate());
            }
        }
    }
    found
}

fn enrolment_changes(library: &PolicyLibrary) -> Vec<Diagnostic> {
    use yibao::enrolment::{EnrolmentSection as E, LatePayment, Relation, SubsidyBasis};
    let changes: Vec<fn(&mut E) -> bool> = vec![
        |e| {
            e.contribution.individual = Yuan::ZERO;
            e.collection_window.reading = Some(" ".to_owned());
            true
        },
        |e| {
            let Some(earlier) = e.contribution.earlier_years.first().cloned() else {
                return false;
            };
            let mut later = earlier.clone();
            later.year = e.policy_year;
            later.individual = Yuan::ZERO;
            e.contribution.earlier_years.extend([earlier, later]);
            true
        },
        |e| {
            let Some(withdrawal) = &mut e.contribution.subsidy_withdrawal else {
                return false;
            };
            withdrawal.paid_on_or_after = PolicyYear::new(2099).unwrap().first_day();
            e.contribution.subsidy.basis = SubsidyBasis::AtLeast;
            true
        },
        |e| {
            e.categories.clear();
            true
        },
        |e| {
            let Some(category) = e.categories.first_mut() else {
                return false;
            };
            category.name_zh = " ".to_owned();
            true
        },
        |e| match &mut e.late_payment {
            LatePayment::SuspensionUntilDayAfterPayment { suspended_from, .. } => {
                *suspended_from = suspended_from.succ_opt().unwrap();
                true
            }
            _ => false,
        },
        |e| {
            let Some(continuity) = &mut e.continuity else {
                return false;
            };
            continuity.counted_from = PolicyYear::new(2100).unwrap();
            continuity.switch_gap_months = 0;
            continuity.switch_min_years = 0;
            true
        },
        |e| {
            let Some(refund) = &mut e.refund else {
                return false;
            };
            let reasons = refund.reasons.clone();
            refund.reasons.extend(reasons);
            refund.reasons.push(yibao::enrolment::RefundReason::Other);
            true
        },
        |e| {
            let Some(family) = &mut e.family_payment else {
                return false;
            };
            let first = family.contribution_relatives.first().copied();
            family.contribution_relatives.extend(first);
            family.contribution_relatives.push(Relation::Other);
            family.cost_sharing_relatives.clear();
            true
        },
        |e| {
            let Some(transition) = &mut e.university_transition else {
                return false;
            };
            std::mem::swap(&mut transition.start, &mut transition.end);
            transition.end = transition.start.pred_opt().unwrap();
            transition.category = yibao::enrolment::CategoryId::new("nobody");
            true
        },
    ];
    let mut found = Vec::new();
    for change in changes {
        found.extend(changed(library, |b| &b.enrolment, change));
    }
    // The refund's empty list, on its own.
    found.extend(changed(
        library,
        |b| &b.enrolment,
        |e: &mut E| e.refund.as_mut().map(|r| r.reasons.clear()).is_some(),
    ));
    found
}

fn benefit_changes(library: &PolicyLibrary) -> Vec<Diagnostic> {
    use yibao::benefits::{
        BenefitParams as B, CapBasis, CutRule, InpatientRatio, RemoteCareParams, SharedCap,
    };
    use yibao::core::RemoteCare;
    let changes: Vec<fn(&mut B) -> bool> = vec![
        |b| {
            let Some(o) = &mut b.general_outpatient else {
                return false;
            };
            let Some(row) = o.ratios.first().cloned() else {
                return false;
            };
            o.ratios.push(row);
            let level = o.paid_at[0];
            o.paid_at.push(level);
            if let Some(t) = &mut o.transfer_out {
                t.not_paid_under.push(RemoteCare::Local);
            }
            true
        },
        |b| {
            let Some(o) = &mut b.general_outpatient else {
                return false;
            };
            o.paid_at.clear();
            true
        },
        |b| {
            let Some(o) = &mut b.general_outpatient else {
                return false;
            };
            o.paid_at.pop();
            true
        },
        |b| {
            let Some(p) = &mut b.inpatient else {
                return false;
            };
            p.annual_fund_cap = Yuan::ZERO;
            if matches!(p.ratio, InpatientRatio::ByLevel(_)) {
                p.cap_basis = CapBasis::EligibleExpense;
            }
            true
        },
        |b| {
            let Some(p) = &mut b.inpatient else {
                return false;
            };
            p.deductible.clear();
            true
        },
        |b| {
            b.inpatient = None;
            b.general_outpatient = None;
            if let Some(s) = &mut b.special_disease {
                s.provincial_cap = SharedCap::SharesInpatient;
                s.city_retained_cap = SharedCap::NotGivenBySource(" ".to_owned());
            }
            true
        },
        |b| {
            let Some(e) = &mut b.exclusions else {
                return false;
            };
            let first = e.not_paid.first().cloned();
            e.not_paid.extend(first);
            true
        },
    ];
    let mut found = Vec::new();
    for change in changes {
        found.extend(changed(library, |b| &b.benefits, change));
    }
    found.extend(changed(
        library,
        |b| &b.remote_care,
        |r: &mut RemoteCareParams| {
            let cut = std::mem::take(&mut r.cut);
            r.not_given_by_source
                .insert(RemoteCare::Local, " ".to_owned());
            r.cut = cut.into_iter().take(0).collect();
            r.cut.insert(RemoteCare::Local, CutRule::NoCut);
            true
        },
    ));
    found.extend(changed(
        library,
        |b| &b.remote_care,
        |r: &mut RemoteCareParams| {
            r.cut.clear();
            true
        },
    ));
    found
}

fn catastrophic_changes(library: &PolicyLibrary) -> Vec<Diagnostic> {
    use yibao::catastrophic::{CatastrophicPolicy as C, LapseCut};
    changed(
        library,
        |b| &b.catastrophic,
        |c: &mut C| {
            c.reading = " ".to_owned();
            c.incentives.lapse_cut = LapseCut::Reduction(Yuan::from_yuan(99_999_999).unwrap());
            if let Some(links) = &mut c.class_categories {
                links.ordinary.push(" ".to_owned());
            }
            true
        },
    )
}

fn filing_changes(library: &PolicyLibrary) -> Vec<Diagnostic> {
    use yibao::filing::{FilingPolicy as F, LongTermCancellation, Materials};
    let mut found = changed(
        library,
        |b| &b.filing,
        |f: &mut F| {
            let first = f.places.exemptions.first().cloned();
            f.places.exemptions.extend(first);
            let channel = f.channels.first().cloned();
            f.channels.extend(channel);
            f.validity.cancel_long_term = LongTermCancellation::FromMonths(999);
            for t in &mut f.types {
                t.materials = match &t.materials {
                    Materials::Listed(items) if !items.is_empty() => {
                        let mut items = items.clone();
                        items[0].one_of.push(" ".to_owned());
                        Materials::Listed(items)
                    }
                    _ => Materials::Listed(Vec::new()),
                };
            }
            true
        },
    );
    found.extend(changed(
        library,
        |b| &b.filing,
        |f: &mut F| {
            f.types.clear();
            f.channels.clear();
            true
        },
    ));
    found
}

/// Reforms with a mistake of each kind: their findings.
fn reform_findings(library: &PolicyLibrary) -> Vec<Diagnostic> {
    let year = PolicyYear::new(2026).unwrap();
    let mut found = Vec::new();
    let mut keep = |result: Result<PolicyLibrary, ReformError>| {
        if let Err(ReformError::Invalid(findings)) = result {
            found.extend(findings);
        }
    };
    for setting in [
        "no equals sign",
        "benefits..inpatient=1",
        "enrolment.policy_year.first=1",
        "benefits.inpatient=1",
        "benefits.inpatient.ratio.by_level.levl_3=70%",
        "benefits.inpatient.annual_fund_cap=many",
        "enrolment.policy_year=soon",
        "benefits.two_disease_drugs.annual_fund_cap.one_disease=5000",
    ] {
        let mut reform = Reform::default();
        match reform.set(setting) {
            Err(e) => keep(Err(e)),
            Ok(()) => keep(library.reformed("huaian", year, &reform)),
        }
    }
    for text in [
        "[meta]\njurisdiction = \"kunshan\"\nyear = 2021\n[absent]\nbenefits = \"none\"\n[benfits]\nx = 1\n",
        "[benefits.inpatient\n",
        "[benefits.inpatient]\nannual_fund_cap = \"0\"\n",
    ] {
        match Reform::from_file("reform.toml", text) {
            Err(e) => keep(Err(e)),
            Ok(reform) => keep(library.reformed("huaian", year, &reform)),
        }
    }
    found
}

/// Every finding made here, by the fixtures, the edits, the changes and the reforms.
fn every_finding() -> Vec<Diagnostic> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/broken-policy");
    let mut fixtures: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    fixtures.sort();
    let mut found = Vec::new();
    for path in fixtures {
        found.extend(edited(&std::fs::read_to_string(path).unwrap()));
    }
    for fixture in EDITS {
        found.extend(edited(fixture));
    }
    // Every source file missing from the texts the quotes are looked up in.
    found.extend(
        check(
            &PolicyFiles::embedded(),
            Some(&SourceTexts::new("the sources")),
        )
        .diagnostics,
    );
    let library = PolicyLibrary::load(&PolicyFiles::embedded()).unwrap();
    found.extend(enrolment_changes(&library));
    found.extend(benefit_changes(&library));
    found.extend(catastrophic_changes(&library));
    found.extend(filing_changes(&library));
    found.extend(reform_findings(&library));
    found
}

#[test]
fn every_finding_is_said_in_chinese() {
    let found = every_finding();
    let problems: BTreeSet<String> = found.iter().filter_map(not_chinese).collect();
    assert!(
        problems.is_empty(),
        "{} finding(s) not in Chinese:\n{}",
        problems.len(),
        problems.into_iter().collect::<Vec<_>>().join("\n")
    );
    let seen: BTreeSet<&str> = found.iter().map(|d| d.code).collect();
    let missing: Vec<&&str> = CODES.iter().filter(|c| !seen.contains(**c)).collect();
    assert!(missing.is_empty(), "codes never made here: {missing:?}");
    let unlisted: Vec<&&str> = seen.iter().filter(|c| !CODES.contains(c)).collect();
    assert!(unlisted.is_empty(), "codes not in CODES: {unlisted:?}");
}

/// Every code a finding is made with in the sources (the first string after the call that
/// makes one: `Diagnostic::error(`, `err(`, `fail(`, `file_error(`, and the three codes of a
/// value refused while decoded) is in [`CODES`], so that a new finding is made here too.
#[test]
fn every_code_of_the_sources_is_listed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates");
    let files = [
        "yibao/src/policy/analysis.rs",
        "yibao/src/policy/book.rs",
        "yibao/src/policy/checks.rs",
        "yibao/src/policy/document.rs",
        "yibao/src/policy/jurisdiction.rs",
        "yibao/src/policy/mod.rs",
        "yibao/src/policy/reform.rs",
        "yibao/src/policy/registry.rs",
        "yibao-benefits/src/params/validation.rs",
        "yibao-enrolment/src/params/validation.rs",
        "yibao-filing/src/policy/validation.rs",
        "yibao-catastrophic/src/policy.rs",
    ];
    let mut codes: BTreeSet<String> = ["unknown-key", "missing-key", "invalid-value"]
        .map(str::to_owned)
        .into();
    for file in files {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        for call in [
            "Diagnostic::error(",
            "Diagnostic::warning(",
            "err(",
            "fail(",
            "file_error(",
        ] {
            for (at, _) in text.match_indices(call) {
                let after = &text[at + call.len()..];
                let Some(code) = after.split('"').nth(1) else {
                    continue;
                };
                let kebab = code.contains('-')
                    && code
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
                if kebab && after.find('"') < after.find(')') {
                    codes.insert(code.to_owned());
                }
            }
        }
    }
    let unlisted: Vec<&String> = codes
        .iter()
        .filter(|c| !CODES.contains(&c.as_str()))
        .collect();
    assert!(
        unlisted.is_empty(),
        "codes of the sources not in CODES: {unlisted:?}"
    );
}

#[test]
fn broken_fixtures_in_chinese() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/broken-policy");
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut shown = String::new();
    for name in names {
        let text = std::fs::read_to_string(root.join(&name)).unwrap();
        let (_, files, sources) = yibao_tests::apply(&text).unwrap();
        let report = check(&files, sources.as_ref());
        shown += &format!("# `{name}`\n{}\n", report.diagnostics_shown(Lang::Zh));
    }
    insta::assert_snapshot!("broken_fixtures_zh", shown);
}
