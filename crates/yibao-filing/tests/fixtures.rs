//! Each `filing-*` broken-policy fixture, applied to the real data, must be refused by this
//! crate's `Deserialize` or `validate()`; the unedited data must be clean.

// Test helpers outside #[test] functions may panic: a failing helper is a failing test.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{apply_fixture, filing_sections_clean};

macro_rules! fixture {
    ($name:ident, $file:literal, $expect:literal) => {
        #[test]
        fn $name() {
            let files = apply_fixture(include_str!(concat!(
                "../../../tests/fixtures/broken-policy/",
                $file
            )));
            let err = filing_sections_clean(&files)
                .err()
                .unwrap_or_else(|| panic!("{} was accepted", $file));
            assert!(err.contains($expect), "{}: {err}", $file);
        }
    };
}

#[test]
fn unedited_data_is_clean() {
    let files = apply_fixture("description = \"none\"");
    assert_eq!(filing_sections_clean(&files), Ok(()));
}

fixture!(
    approval_zero_working_days,
    "filing-approval-zero-working-days.toml",
    "approval-working-days"
);
fixture!(
    commitment_zero_days,
    "filing-commitment-zero-days.toml",
    "commitment-days"
);
fixture!(
    validity_zero_months,
    "filing-validity-zero-months.toml",
    "validity-months"
);
fixture!(unknown_type, "filing-unknown-type.toml", "retiree");
fixture!(
    duplicate_type,
    "filing-duplicate-type.toml",
    "duplicate-filing-type"
);
fixture!(unknown_place, "filing-unknown-place.toml", "shangai");
fixture!(
    exemption_treatment,
    "filing-exemption-treatment.toml",
    "exemption-treatment"
);
fixture!(
    exemption_inside_home,
    "filing-exemption-inside-home.toml",
    "exemption-inside-home"
);
fixture!(
    claim_close_not_a_day,
    "filing-claim-close-not-a-day.toml",
    "12-32"
);
fixture!(missing_rules, "filing-missing-rules.toml", "rules");
fixture!(
    unknown_key,
    "filing-unknown-key.toml",
    "cancel_within_months"
);
fixture!(
    empty_absence_note,
    "filing-empty-absence-note.toml",
    "empty-absence-note"
);
