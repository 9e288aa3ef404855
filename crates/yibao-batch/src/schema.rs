//! The claims table's schema in one place: every column with the values it takes, its
//! default, its meaning and its rule. The crate docs' table is this table (a test checks
//! it), and `yibao schema batch` prints it.

use yibao::scenario::ClaimKindName;
use yibao_benefits::{HospitalLevel, TwoDiseaseCover};
use yibao_catastrophic::PersonClass;
use yibao_core::{Word, in_words};

use crate::columns::Column;
use crate::model_columns::{
    ACCIDENTS, CIRCUMSTANCES, CONNECTIONS, DESIGNATIONS, EMERGENCY_OUTCOMES, EXCLUSIONS, PROVINCES,
    remote_care_names,
};

/// What a column takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Values {
    /// Free text or a number, described.
    Described(&'static str),
    /// One of these words.
    Words(Vec<&'static str>),
    /// Several of these words, `;`-separated.
    ListOf(Vec<&'static str>),
}

impl Values {
    /// The values in words, as the docs' table writes them.
    pub fn text(&self) -> String {
        match self {
            Values::Described(text) => (*text).to_owned(),
            Values::Words(names) => names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(" \\| "),
            Values::ListOf(names) => format!("`;`-separated: {}", in_words(names)),
        }
    }
}

/// One column of the claims table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnDoc {
    /// The column.
    pub column: Column,
    /// What it takes.
    pub values: Values,
    /// Its default when absent or empty; `None`: required.
    pub default: Option<&'static str>,
    /// What it means.
    pub meaning: &'static str,
    /// The rule ids it feeds.
    pub rules: &'static str,
}

fn names<T>(table: &[(&'static str, T)]) -> Vec<&'static str> {
    table.iter().map(|(name, _)| *name).collect()
}

fn doc(
    column: Column,
    values: Values,
    default: Option<&'static str>,
    meaning: &'static str,
    rules: &'static str,
) -> ColumnDoc {
    ColumnDoc {
        column,
        values,
        default,
        meaning,
        rules,
    }
}

/// Every column of the claims table, in [`Column::ALL`]'s order.
pub fn claims_table() -> Vec<ColumnDoc> {
    use Values::{Described, ListOf, Words};
    let mut levels = HospitalLevel::NAMES.to_vec();
    levels.push("out_of_city");
    vec![
        doc(
            Column::PersonId,
            Described("text, not empty"),
            None,
            "the person; their rows must be contiguous",
            "",
        ),
        doc(
            Column::Category,
            Words(PersonClass::NAMES.to_vec()),
            None,
            "ordinary insured or medical-aid recipient (also read: `aid`, `medical-aid-recipient`)",
            "H19",
        ),
        doc(
            Column::FamilyDoctor,
            Words(vec!["true", "false"]),
            None,
            "signed with a family doctor",
            "H11, K3",
        ),
        doc(
            Column::ContinuityYears,
            Described("whole number ≥ 1"),
            None,
            "consecutive years counted from 2025, this year included",
            "H7",
        ),
        doc(
            Column::ZeroClaimPrev,
            Words(vec!["true", "false"]),
            None,
            "no fund reimbursement last year",
            "H7",
        ),
        doc(
            Column::Date,
            Described("`YYYY-MM-DD`"),
            None,
            "the day of care, inside the policy year",
            "",
        ),
        doc(
            Column::Kind,
            Words(ClaimKindName::NAMES.to_vec()),
            None,
            "the claim (also read: `outpatient_general`)",
            "",
        ),
        doc(
            Column::HospitalLevel,
            Words(levels),
            None,
            "the hospital level (also read: `1`, `2`, `3`); `out_of_city`: an inpatient referral out of the city, at level 3; a Huai'an `general_outpatient` row reads `level_1` or empty as primary care",
            "H11, H14, H18",
        ),
        doc(
            Column::Amount,
            Described("yuan, at most 2 decimals"),
            None,
            "the eligible amount (政策范围内费用); empty when the class split is given",
            "",
        ),
        doc(
            Column::ConsultationFee,
            Described("yuan"),
            Some("`0`"),
            "`general_outpatient`: the general consultation fee part (一般诊疗费)",
            "H11",
        ),
        doc(
            Column::DiseaseClass,
            Words(vec!["severe_mental", "psychiatric", "other"]),
            Some("`other`"),
            "`special_disease`: the disease class",
            "H13",
        ),
        doc(
            Column::Catalogue,
            Words(vec!["provincial", "city_retained"]),
            Some("`provincial`"),
            "`special_disease`: the catalogue",
            "H13",
        ),
        doc(
            Column::Group,
            Words(vec!["resident", "student"]),
            Some("`resident`"),
            "the benefit tables' group",
            "K3, K4",
        ),
        doc(
            Column::ClaimId,
            Described("text"),
            Some("none"),
            "an identifier carried into the per-claim output",
            "",
        ),
        doc(
            Column::TwoDisease,
            Words(TwoDiseaseCover::NAMES.to_vec()),
            Some("required on `two_disease_drugs` rows"),
            "`two_disease_drugs`: one disease or both",
            "H12",
        ),
        doc(
            Column::Province,
            Words(names(&PROVINCES)),
            Some("`same_province`"),
            "`maternity_delivery`: where the delivery took place",
            "H15",
        ),
        doc(
            Column::EmergencyOutcome,
            Words(names(&EMERGENCY_OUTCOMES)),
            Some("required on `emergency` rows"),
            "`emergency`: how emergency care ended",
            "H20",
        ),
        doc(
            Column::Designation,
            Words(names(&DESIGNATIONS)),
            Some("`designated`"),
            "a designated institution or not",
            "H22",
        ),
        doc(
            Column::Accident,
            Words(names(&ACCIDENTS)),
            Some("`not_an_accident`"),
            "accident facts",
            "H21",
        ),
        doc(
            Column::Exclusions,
            ListOf(names(&EXCLUSIONS)),
            Some("none"),
            "facts that put the costs outside the basic fund",
            "H22",
        ),
        doc(
            Column::Place,
            Described("a place path: `shanghai`, `jiangsu/suzhou`"),
            Some("at home"),
            "where the care took place (give `place` or `remote_care`, not both)",
            "H18, W3",
        ),
        doc(
            Column::RemoteCare,
            Words(remote_care_names()),
            Some("local care"),
            "the remote-care treatment, when already known",
            "H18",
        ),
        doc(
            Column::Circumstance,
            Words(names(&CIRCUMSTANCES)),
            Some("`planned`"),
            "planned care or emergency rescue away from home",
            "W1, H18",
        ),
        doc(
            Column::Connection,
            Words(names(&CONNECTIONS)),
            Some("`networked`"),
            "whether the institution settles directly",
            "W7",
        ),
        doc(
            Column::ClassA,
            Described("yuan"),
            Some("`0` in a class split"),
            "class A drugs and items (give `amount` or the class split, not both)",
            "H23",
        ),
        doc(
            Column::ClassB,
            Described("yuan"),
            Some("`0` in a class split"),
            "class B drugs and items",
            "H23",
        ),
        doc(
            Column::ClassC,
            Described("yuan"),
            Some("`0` in a class split"),
            "class C (out of catalogue, self-paid)",
            "H23",
        ),
        doc(
            Column::ClassBPersonalShare,
            Described("rate, e.g. `10%`"),
            Some("not given"),
            "the person's class B personal share, which the sources do not publish (a person column: it must agree on every row)",
            "H23",
        ),
    ]
}

/// One column of the persons table: its name, values and meaning (every column but
/// `person_id` is optional: absent or empty is the scenario's default).
pub const PERSONS_TABLE: [(&str, &str, &str); 12] = [
    ("person_id", "text, not empty, once", "the person"),
    (
        "category",
        "an enrolment category id of the jurisdiction's data",
        "`person.category` (H1)",
    ),
    (
        "catastrophic_class",
        "`ordinary` \\| `medical_aid_recipient`",
        "`person.catastrophic_class` (H19)",
    ),
    (
        "group",
        "`resident` \\| `student`",
        "`person.group` (K3, K4)",
    ),
    (
        "family_doctor",
        "`true` \\| `false`",
        "`person.family_doctor` (H11, K3)",
    ),
    ("born", "`YYYY-MM-DD`", "`person.born`"),
    (
        "enrolment",
        "`;`-separated events: `DATE EVENT [YEAR] [funding=WORD] [route=WORD]`",
        "`enrolment`",
    ),
    (
        "consecutive_years",
        "whole number ≥ 1",
        "`incentives.consecutive_years` (H7)",
    ),
    (
        "re_enrolled_after_lapse",
        "`true` \\| `false`",
        "`incentives.re_enrolled_after_lapse` (H7)",
    ),
    (
        "zero_reimbursement_years",
        "`;`-separated years",
        "`incentives.zero_reimbursement_years` (H7)",
    ),
    (
        "reward_quota_used_years",
        "`;`-separated years",
        "`incentives.reward_quota_used_years` (H6)",
    ),
    (
        "filings",
        "a JSON array of the scenario's filing events",
        "`filings` (W3, W4, K6)",
    ),
];

/// The docs' Markdown table of the persons table.
pub fn persons_markdown() -> String {
    let mut text = String::from("| column | values | meaning |\n|---|---|---|\n");
    for (column, values, meaning) in PERSONS_TABLE {
        text.push_str(&format!("| `{column}` | {values} | {meaning} |\n"));
    }
    text
}

/// The docs' Markdown table of the claims table.
pub fn markdown() -> String {
    let mut text =
        String::from("| column | values | default | meaning | rule |\n|---|---|---|---|---|\n");
    for doc in claims_table() {
        text.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            doc.column.name(),
            doc.values.text(),
            doc.default.unwrap_or("required"),
            doc.meaning,
            doc.rules
        ));
    }
    text
}

/// The schema as `yibao schema batch` prints it: one block per column.
pub fn text() -> String {
    let mut text = String::from(
        "The claims table of `yibao batch`: UTF-8 CSV with a header row, one claim per row, columns by name in any order.\n",
    );
    for doc in claims_table() {
        text.push_str(&format!(
            "\n{}  ({})\n  values: {}\n  meaning: {}\n",
            doc.column.name(),
            match doc.default {
                None => "required".to_owned(),
                Some(d) if d.starts_with("required") => d.to_owned(),
                Some(d) => format!("default: {d}"),
            },
            doc.values.text().replace(" \\| ", " | "),
            doc.meaning
        ));
        if !doc.rules.is_empty() {
            text.push_str(&format!("  rules: {}\n", doc.rules));
        }
    }
    text.push_str(
        "\nThe persons table of `--persons FILE`: one row per person, joined to the claims by person_id; every column but person_id optional. UTF-8 CSV with a header row, or a Parquet or Arrow IPC table with the same columns (by the file's extension or `--persons-format`): text, whole-number, boolean or Date32 columns, a null an empty field, its rows numbered from 1 (`row N` in a reason). The table is read whole into memory before the claims, so its rows may come in any order; memory grows with the number of persons.\n",
    );
    for (column, values, meaning) in PERSONS_TABLE {
        text.push_str(&format!(
            "\n{column}\n  values: {}\n  meaning: {meaning}\n",
            values.replace(" \\| ", " | ")
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_is_documented_once_in_order() {
        let documented: Vec<Column> = claims_table().iter().map(|d| d.column).collect();
        assert_eq!(documented, Column::ALL.to_vec());
        for doc in claims_table() {
            assert_eq!(doc.default.is_none(), doc.column.is_required(), "{doc:?}");
        }
    }

    #[test]
    fn the_persons_table_docs_are_the_schema() {
        let docs = include_str!("persons_table.rs");
        let table: String = docs
            .lines()
            .filter_map(|l| l.strip_prefix("//! "))
            .skip_while(|l| !l.starts_with("| column | values | meaning |"))
            .take_while(|l| l.starts_with('|'))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(table, persons_markdown());
        let names: Vec<&str> = PERSONS_TABLE.iter().map(|(c, _, _)| *c).collect();
        assert_eq!(names, crate::PERSONS_COLUMNS);
    }

    #[test]
    fn the_crate_docs_table_is_the_schema() {
        let docs = include_str!("lib.rs");
        let table: String = docs
            .lines()
            .filter_map(|l| l.strip_prefix("//! "))
            .skip_while(|l| !l.starts_with("| column | values | default |"))
            .take_while(|l| l.starts_with('|'))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(
            table,
            markdown(),
            "regenerate the table in lib.rs from schema::markdown()"
        );
    }
}
