//! The claims table's columns for the rest of the model: the kind-specific facts
//! (`two_disease`, `province`, `emergency_outcome`), the facts of every claim (`designation`,
//! `accident`, `exclusions`), remote care (`place`, `remote_care`, `circumstance`,
//! `connection`), the class split of the bill (`class_a`, `class_b`, `class_c`) and the
//! person's `class_b_personal_share`. Each is spelt as the scenario format spells it; an
//! absent or empty column is the scenario's default.

use yibao::scenario::{ClaimInput, ClaimKindName};
use yibao_benefits::{
    Accident, Designation, EmergencyOutcome, ExclusionFact, Province, TwoDiseaseCover,
};
use yibao_core::{Rate, RemoteCare, Word, Yuan};
use yibao_filing::{Area, Circumstance, Connection};

use crate::columns::{Column, quoted};
use crate::row::{LevelName, RowError, RowFields, empty, noun, one_of, refuse, word};

/// `province`'s words (H15).
pub(crate) const PROVINCES: [(&str, Province); 2] = [
    ("same_province", Province::SameProvince),
    ("other_province", Province::OtherProvince),
];
/// `emergency_outcome`'s words (H20).
pub(crate) const EMERGENCY_OUTCOMES: [(&str, EmergencyOutcome); 3] = [
    ("admitted", EmergencyOutcome::Admitted),
    ("not_admitted", EmergencyOutcome::NotAdmitted),
    ("died", EmergencyOutcome::Died),
];
/// `designation`'s words (H22).
pub(crate) const DESIGNATIONS: [(&str, Designation); 2] = [
    ("designated", Designation::Designated),
    ("not_designated", Designation::NotDesignated),
];
/// `accident`'s words (H21).
pub(crate) const ACCIDENTS: [(&str, Accident); 3] = [
    ("not_an_accident", Accident::NotAnAccident),
    ("no_liable_third_party", Accident::NoLiableThirdParty),
    ("liable_third_party", Accident::LiableThirdParty),
];
/// The words of an item of `exclusions` (H22).
pub(crate) const EXCLUSIONS: [(&str, ExclusionFact); 3] = [
    ("work_injury", ExclusionFact::WorkInjury),
    ("public_health", ExclusionFact::PublicHealth),
    ("abroad", ExclusionFact::Abroad),
];
/// `circumstance`'s words (W1, H18).
pub(crate) const CIRCUMSTANCES: [(&str, Circumstance); 2] = [
    ("planned", Circumstance::Planned),
    ("emergency_rescue", Circumstance::EmergencyRescue),
];
/// `connection`'s words (W7).
pub(crate) const CONNECTIONS: [(&str, Connection); 2] = [
    ("networked", Connection::Networked),
    ("not_settled", Connection::NotSettled),
];

/// The names of `remote_care` (every [`RemoteCare`]).
pub(crate) fn remote_care_names() -> Vec<&'static str> {
    RemoteCare::ALL.map(RemoteCare::as_str).to_vec()
}

/// The `class_b_personal_share` of a person, compared by its value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ClassBShare(pub(crate) Rate);

impl PartialEq for ClassBShare {
    fn eq(&self, other: &ClassBShare) -> bool {
        self.0.millionths() == other.0.millionths()
    }
}

impl Eq for ClassBShare {}

/// The optional `class_b_personal_share` of a row (a person column).
pub(crate) fn class_b_share(texts: &RowFields<'_>) -> Result<Option<ClassBShare>, RowError> {
    match texts.optional(Column::ClassBPersonalShare)? {
        None => Ok(None),
        Some(value) => value
            .parse::<Rate>()
            .map(|rate| Some(ClassBShare(rate)))
            .map_err(|e| refuse(Column::ClassBPersonalShare, e.to_string(), e.zh())),
    }
}

/// The bill of a row: `amount`, or the class split `class_a`, `class_b`, `class_c` (one of
/// the two, not both); `None` amounts stay as the scenario leaves them.
pub(crate) struct Bill {
    pub(crate) amount: Option<Yuan>,
    pub(crate) class_a: Option<Yuan>,
    pub(crate) class_b: Option<Yuan>,
    pub(crate) class_c: Option<Yuan>,
}

impl Bill {
    /// A bill of one eligible amount.
    pub(crate) fn amount(amount: Yuan) -> Bill {
        Bill {
            amount: Some(amount),
            class_a: None,
            class_b: None,
            class_c: None,
        }
    }

    /// The whole bill: the amount, or the sum of the classes.
    pub(crate) fn total(&self) -> Option<Yuan> {
        match self.amount {
            Some(amount) => Some(amount),
            None => Yuan::checked_sum(
                [self.class_a, self.class_b, self.class_c]
                    .into_iter()
                    .flatten(),
            )
            .ok(),
        }
    }
}

/// Reads the bill: `amount` alone as today; empty `amount` with a class split.
pub(crate) fn bill(texts: &RowFields<'_>) -> Result<Bill, RowError> {
    let (class_a, class_b, class_c) = (
        texts.money(Column::ClassA)?,
        texts.money(Column::ClassB)?,
        texts.money(Column::ClassC)?,
    );
    let split = [
        (Column::ClassA, class_a),
        (Column::ClassB, class_b),
        (Column::ClassC, class_c),
    ]
    .into_iter()
    .find(|(_, value)| value.is_some())
    .map(|(column, _)| column);
    match (texts.given(Column::Amount)?, split) {
        (false, None) => Err(empty(Column::Amount)),
        (true, None) => Ok(Bill {
            amount: texts.money(Column::Amount)?,
            class_a,
            class_b,
            class_c,
        }),
        (true, Some(column)) => Err(refuse(
            column,
            format!(
                "give `amount` or the class split (`class_a`, `class_b`, `class_c`), not both: `amount` and `{}` are both given",
                column.name()
            ),
            format!(
                "`amount` 与按甲、乙、丙类分列（`class_a`、`class_b`、`class_c`）只能给出其一：`amount` 和 `{}` 都已给出",
                column.name()
            ),
        )),
        (false, Some(_)) => Ok(Bill {
            amount: None,
            class_a,
            class_b,
            class_c,
        }),
    }
}

/// A column that belongs to rows of one kind: refused on another kind, read on its own.
fn of_kind<T: Copy>(
    texts: &RowFields<'_>,
    column: Column,
    owner: ClaimKindName,
    kind: ClaimKindName,
    read: impl Fn(&str) -> Result<T, RowError>,
) -> Result<Option<T>, RowError> {
    match texts.optional(column)? {
        None => Ok(None),
        Some(_) if kind != owner => Err(refuse(
            column,
            format!(
                "`{}` belongs to `{}` rows only",
                column.name(),
                owner.name()
            ),
            format!("`{}` 只能填在 `{}` 行", column.name(), owner.name()),
        )),
        Some(value) => read(value).map(Some),
    }
}

/// A column a kind needs: refused when empty on a row of that kind.
fn needed<T>(value: Option<T>, column: Column, kind: ClaimKindName) -> Result<T, RowError> {
    value.ok_or_else(|| {
        refuse(
            column,
            format!(
                "`{}` rows need `{}` (the column is absent or empty)",
                kind.name(),
                column.name()
            ),
            format!(
                "`{}` 行须填写 `{}`（该列缺失或为空）",
                kind.name(),
                column.name()
            ),
        )
    })
}

/// Writes the row's model columns into its claim: the kind-specific facts, the facts of
/// every claim and the remote-care columns. `level` is the level as written (`out_of_city`
/// already gives a referral and takes no other remote-care column).
pub(crate) fn fill_claim(
    texts: &RowFields<'_>,
    level: LevelName,
    claim: &mut ClaimInput,
) -> Result<(), RowError> {
    let kind = claim.kind;
    let two_disease = of_kind(
        texts,
        Column::TwoDisease,
        ClaimKindName::TwoDiseaseDrugs,
        kind,
        |v| word::<TwoDiseaseCover>(Column::TwoDisease, noun::TWO_DISEASE, v),
    )?;
    if kind == ClaimKindName::TwoDiseaseDrugs {
        claim.two_disease = Some(needed(two_disease, Column::TwoDisease, kind)?);
    }
    claim.province = of_kind(
        texts,
        Column::Province,
        ClaimKindName::MaternityDelivery,
        kind,
        |v| one_of(Column::Province, noun::PROVINCE, v, &PROVINCES),
    )?;
    let outcome = of_kind(
        texts,
        Column::EmergencyOutcome,
        ClaimKindName::Emergency,
        kind,
        |v| {
            one_of(
                Column::EmergencyOutcome,
                noun::EMERGENCY_OUTCOME,
                v,
                &EMERGENCY_OUTCOMES,
            )
        },
    )?;
    if kind == ClaimKindName::Emergency {
        claim.emergency_outcome = Some(needed(outcome, Column::EmergencyOutcome, kind)?);
    }
    if let Some(value) = texts.optional(Column::Designation)? {
        claim.designation = one_of(Column::Designation, noun::DESIGNATION, value, &DESIGNATIONS)?;
    }
    if let Some(value) = texts.optional(Column::Accident)? {
        claim.accident = one_of(Column::Accident, noun::ACCIDENT, value, &ACCIDENTS)?;
    }
    if let Some(value) = texts.optional(Column::Exclusions)? {
        claim.exclusions = exclusions(value)?;
    }
    remote_columns(texts, level, claim)
}

/// `place`, `remote_care`, `circumstance` and `connection`.
fn remote_columns(
    texts: &RowFields<'_>,
    level: LevelName,
    claim: &mut ClaimInput,
) -> Result<(), RowError> {
    let place = texts.optional(Column::Place)?;
    let remote_care = texts.optional(Column::RemoteCare)?;
    for (column, given) in [(Column::Place, place), (Column::RemoteCare, remote_care)] {
        if given.is_some() && level == LevelName::OutOfCity {
            return Err(refuse(
                column,
                format!(
                    "hospital level `out_of_city` already is a referral out of the city at level 3; with `{}`, write the hospital's level",
                    column.name()
                ),
                format!(
                    "医院等级 `out_of_city` 已表示转往市外三级医院住院；填写 `{}` 时，请写医院本身的等级",
                    column.name()
                ),
            ));
        }
    }
    if let (Some(_), Some(_)) = (place, remote_care) {
        return Err(refuse(
            Column::RemoteCare,
            "give `place` or `remote_care`, not both",
            "`place` 与 `remote_care` 只能给出其一",
        ));
    }
    if let Some(value) = place {
        claim.place = Some(
            value
                .parse::<Area>()
                .map_err(|e| refuse(Column::Place, e.to_string(), e.zh()))?,
        );
    }
    if let Some(value) = remote_care {
        let care = RemoteCare::ALL
            .into_iter()
            .find(|care| care.as_str() == value);
        claim.remote_care = Some(care.ok_or_else(|| {
            crate::row::not_one_of(
                Column::RemoteCare,
                noun::REMOTE_CARE,
                value,
                &remote_care_names(),
            )
        })?);
    }
    if let Some(value) = texts.optional(Column::Circumstance)? {
        claim.circumstance = one_of(
            Column::Circumstance,
            noun::CIRCUMSTANCE,
            value,
            &CIRCUMSTANCES,
        )?;
    }
    if let Some(value) = texts.optional(Column::Connection)? {
        claim.connection = one_of(Column::Connection, noun::CONNECTION, value, &CONNECTIONS)?;
    }
    Ok(())
}

/// `exclusions`: `;`-separated words (spaces around an item are ignored).
fn exclusions(value: &str) -> Result<Vec<ExclusionFact>, RowError> {
    value
        .split(';')
        .map(|item| match item.trim() {
            "" => Err(refuse(
                Column::Exclusions,
                format!(
                    "{} has an empty item (write the words separated by `;`, e.g. `work_injury;abroad`)",
                    quoted(value)
                ),
                format!(
                    "{} 中有空项（各项以 `;` 分隔，如 `work_injury;abroad`）",
                    quoted(value)
                ),
            )),
            item => one_of(Column::Exclusions, noun::EXCLUSIONS, item, &EXCLUSIONS),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde::de::DeserializeOwned;
    use serde::de::value::{Error, StrDeserializer};

    use super::*;

    /// Each table's word reads as the same value in a scenario (serde's spelling).
    fn reads_as_in_scenarios<T: DeserializeOwned + PartialEq + std::fmt::Debug + Copy>(
        table: &[(&str, T)],
    ) {
        for (name, value) in table {
            let read = T::deserialize(StrDeserializer::<Error>::new(name));
            assert_eq!(read.ok(), Some(*value), "`{name}`");
        }
    }

    #[test]
    fn every_word_of_a_column_reads_as_the_scenario_reads_it() {
        reads_as_in_scenarios(&PROVINCES);
        reads_as_in_scenarios(&EMERGENCY_OUTCOMES);
        reads_as_in_scenarios(&DESIGNATIONS);
        reads_as_in_scenarios(&ACCIDENTS);
        reads_as_in_scenarios(&EXCLUSIONS);
        reads_as_in_scenarios(&CIRCUMSTANCES);
        reads_as_in_scenarios(&CONNECTIONS);
        let cares: Vec<(&str, RemoteCare)> =
            RemoteCare::ALL.map(|care| (care.as_str(), care)).to_vec();
        reads_as_in_scenarios(&cares);
    }
}
