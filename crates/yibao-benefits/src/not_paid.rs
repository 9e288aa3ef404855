//! Why the basic fund pays nothing for a claim, when the reason is not arithmetic.
//!
//! A claim the fund pays 0 because its amount is under a deductible or its cap is used is
//! settled by arithmetic; a claim the fund pays 0 because the rule does not pay it at all
//! carries a [`NotPaidReason`] ([`crate::SettledClaim::not_paid`]), so that no output shows
//! a bare 0.00 for it (POLICY-NOTES, Conventions: "Absent is never zero").

use std::fmt;

use serde::Serialize;
use serde::ser::SerializeSeq;
use yibao_core::{RemoteCare, RuleId};

use crate::claim::HospitalLevel;
use crate::params::NotPaid;
use crate::settle::SettledAs;

/// Why the basic fund pays nothing for a claim, for a reason other than arithmetic.
///
/// [`NotPaidReason::code`] is a stable snake_case machine word; `Display` is an English
/// sentence naming the rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "code")]
#[non_exhaustive]
pub enum NotPaidReason {
    /// The benefit is not paid at the claim's hospital level or place: general outpatient
    /// care and two-disease drugs away from primary care (H11, H12), Kunshan outpatient care
    /// at a level its table does not list (K3).
    LevelNotPaid {
        /// The benefit (`general_outpatient`, `two_disease_drugs`).
        benefit: SettledAs,
        /// The claim's level.
        level: HospitalLevel,
        /// The levels where the rule pays the benefit.
        paid_at: Levels,
        /// The rule.
        rule: RuleId,
    },
    /// Transfer-out (转外) outpatient care is not paid (K5).
    TransferOutOutpatient {
        /// The claim's remote-care treatment.
        treatment: RemoteCare,
        /// The rule.
        rule: RuleId,
    },
    /// The costs are outside the basic fund (H21, H22).
    Excluded {
        /// The situation.
        exclusion: NotPaid,
        /// The rule.
        rule: RuleId,
    },
}

impl NotPaidReason {
    /// The stable machine word: `level_not_paid`, `transfer_out_outpatient`, `excluded`.
    pub fn code(&self) -> &'static str {
        match self {
            NotPaidReason::LevelNotPaid { .. } => "level_not_paid",
            NotPaidReason::TransferOutOutpatient { .. } => "transfer_out_outpatient",
            NotPaidReason::Excluded { .. } => "excluded",
        }
    }

    /// The rule that does not pay the claim.
    pub fn rule(&self) -> RuleId {
        match self {
            NotPaidReason::LevelNotPaid { rule, .. }
            | NotPaidReason::TransferOutOutpatient { rule, .. }
            | NotPaidReason::Excluded { rule, .. } => *rule,
        }
    }
}

impl fmt::Display for NotPaidReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotPaidReason::LevelNotPaid {
                benefit,
                level,
                paid_at,
                rule,
            } => write!(
                f,
                "{} is not paid at {level}: {rule} pays it at {paid_at} only",
                benefit.describe()
            ),
            NotPaidReason::TransferOutOutpatient { treatment, rule } => write!(
                f,
                "transfer-out outpatient care ({treatment}) is not paid ({rule})"
            ),
            NotPaidReason::Excluded { exclusion, rule } => write!(
                f,
                "the costs are {}: the fund does not pay them ({rule})",
                exclusion.describe()
            ),
        }
    }
}

impl NotPaidReason {
    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        match self {
            NotPaidReason::LevelNotPaid {
                benefit,
                level,
                paid_at,
                rule,
            } => format!(
                "{}在{}不予支付：{rule} 规定仅在{}支付",
                benefit.term().zh,
                level.term().zh,
                paid_at.zh()
            ),
            NotPaidReason::TransferOutOutpatient { treatment, rule } => format!(
                "转外（{}）门诊医疗费用不予支付（{rule}）",
                treatment.term().zh
            ),
            NotPaidReason::Excluded { exclusion, rule } => {
                format!("该费用{}：统筹基金不予支付（{rule}）", exclusion.term().zh)
            }
        }
    }
}

/// A set of hospital levels, held without allocation (a claim's settlement copies it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Levels(u8);

impl Levels {
    fn bit(level: HospitalLevel) -> u8 {
        match level {
            HospitalLevel::PrimaryCare => 1,
            HospitalLevel::Level1 => 2,
            HospitalLevel::Level2 => 4,
            HospitalLevel::Level3 => 8,
        }
    }

    /// Whether `level` is in the set.
    pub fn contains(self, level: HospitalLevel) -> bool {
        self.0 & Levels::bit(level) != 0
    }

    /// The levels, in [`HospitalLevel::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = HospitalLevel> {
        HospitalLevel::ALL
            .into_iter()
            .filter(move |l| self.contains(*l))
    }
}

impl Levels {
    /// The levels in Chinese, joined by 、 (`基层医疗卫生机构`, `一级医院、二级医院`).
    pub fn zh(self) -> String {
        let names: Vec<&str> = self.iter().map(|l| l.term().zh).collect();
        if names.is_empty() {
            return "任何等级".to_owned();
        }
        names.join("、")
    }
}

impl FromIterator<HospitalLevel> for Levels {
    fn from_iter<I: IntoIterator<Item = HospitalLevel>>(iter: I) -> Levels {
        Levels(iter.into_iter().fold(0, |set, l| set | Levels::bit(l)))
    }
}

impl fmt::Display for Levels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self.iter().map(|l| l.to_string()).collect();
        if names.is_empty() {
            return f.write_str("no level");
        }
        f.write_str(&names.join(", "))
    }
}

impl Serialize for Levels {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(None)?;
        for level in self.iter() {
            seq.serialize_element(&level)?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn h11_level_not_paid_names_the_level_the_rule_and_where_it_pays() {
        let reason = NotPaidReason::LevelNotPaid {
            benefit: SettledAs::GeneralOutpatient,
            level: HospitalLevel::Level3,
            paid_at: [HospitalLevel::PrimaryCare].into_iter().collect(),
            rule: "H11".parse().unwrap(),
        };
        assert_eq!(reason.code(), "level_not_paid");
        assert_eq!(
            reason.to_string(),
            "general outpatient care is not paid at level 3: H11 pays it at primary care only"
        );
    }

    #[test]
    fn levels_keep_their_order_and_serialise_as_the_scenario_spells_them() {
        let set: Levels = [HospitalLevel::Level3, HospitalLevel::Level1]
            .into_iter()
            .collect();
        assert!(set.contains(HospitalLevel::Level1));
        assert!(!set.contains(HospitalLevel::PrimaryCare));
        assert_eq!(set.to_string(), "level 1, level 3");
        assert_eq!(
            serde_json::to_string(&set).unwrap(),
            r#"["level_1","level_3"]"#
        );
    }
}

#[cfg(test)]
mod settled {
    use yibao_core::{NaiveDate, PolicyYear, RoundingMode, Yuan};

    use crate::{
        BenefitParams, Claim, ClaimKind, Explain, FamilyDoctor, HospitalLevel, NotPaidReason,
        Person, PersonGroup, SettleConfig, SettledAs, YearState, settle,
    };

    fn params() -> BenefitParams {
        toml::from_str(
            r#"
            [general_outpatient]
            rules = ["H11"]
            paid_at = ["primary_care"]
            annual_fund_cap = { not_signed = "300", signed = "400" }
            ratios = [
              { level = "primary_care", part = "consultation_fee", rate = "70%" },
              { level = "primary_care", part = "other", rate = "50%" },
            ]
            "#,
        )
        .unwrap()
    }

    fn outpatient(level: HospitalLevel, amount: &str) -> Claim {
        let date = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let kind = ClaimKind::GeneralOutpatient {
            consultation_fee: Yuan::ZERO,
        };
        Claim::new(date, kind, level, amount.parse().unwrap())
    }

    /// H11: 200 at a level-3 hospital: the fund pays 0 and says why; 200 at primary care:
    /// 200 × 50% = 100, settled by its policy, no reason.
    #[test]
    fn h11_outpatient_at_level_3_carries_level_not_paid_and_primary_care_none() {
        let benefits = params();
        let config = SettleConfig {
            benefits: &benefits,
            remote_care: None,
            rounding: RoundingMode::HalfAwayFromZero,
            class_b_personal_share: None,
            explain: Explain::FiguresOnly,
        };
        let person = Person {
            group: PersonGroup::Resident,
            family_doctor: FamilyDoctor::NotSigned,
        };
        let mut year = YearState::new(PolicyYear::new(2026).unwrap());
        let away = settle(
            &mut year,
            &config,
            &person,
            &outpatient(HospitalLevel::Level3, "200"),
        )
        .unwrap();
        assert_eq!(away.fund_paid, Yuan::ZERO);
        assert_eq!(away.settled_as, SettledAs::NotPaid);
        assert_eq!(
            away.not_paid,
            Some(NotPaidReason::LevelNotPaid {
                benefit: SettledAs::GeneralOutpatient,
                level: HospitalLevel::Level3,
                paid_at: [HospitalLevel::PrimaryCare].into_iter().collect(),
                rule: "H11".parse().unwrap(),
            })
        );
        let home = settle(
            &mut year,
            &config,
            &person,
            &outpatient(HospitalLevel::PrimaryCare, "200"),
        )
        .unwrap();
        assert_eq!(home.fund_paid, "100".parse::<Yuan>().unwrap());
        assert_eq!(home.not_paid, None);
    }
}
