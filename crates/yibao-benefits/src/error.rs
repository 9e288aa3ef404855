//! The crate's one error type.

use yibao_core::{
    MoneyError, NaiveDate, PolicyYear, RemoteCare, RuleError, RuleId, ScheduleError, Yuan,
};

use crate::claim::{HospitalLevel, PersonGroup};

/// Why a claim could not be settled or reversed.
///
/// Every variant carries the offending values and, where a rule decides, its [`RuleId`].
/// Settling never changes the [`crate::YearState`] when it returns an error.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BenefitError {
    /// Occurs when a claim is dated outside the policy year of the year state.
    #[error("the claim is dated {date}, outside policy year {year}")]
    ClaimOutsidePolicyYear {
        /// The claim's date.
        date: NaiveDate,
        /// The year being settled.
        year: PolicyYear,
    },
    /// Occurs when a claim is dated before the last claim already settled in the year; claims
    /// are settled in date order because the ladder and the admission count depend on it.
    #[error(
        "the claim is dated {date}, before the last settled claim ({last}); settle claims in date order"
    )]
    ClaimBeforeLastSettled {
        /// The claim's date.
        date: NaiveDate,
        /// The date of the last settled claim.
        last: NaiveDate,
    },
    /// Occurs when the jurisdiction's policy data define no benefit for the claim's kind.
    #[error("the policy data define no {kind} benefit for this jurisdiction")]
    KindNotDefined {
        /// The claim kind, e.g. `special disease`.
        kind: &'static str,
    },
    /// Occurs when the policy data give no ratio or deductible for the claim's hospital level
    /// (and, for Kunshan, the person's group).
    #[error("the policy data give no {what} for {kind} at {level} ({group}) ({rule})")]
    NotGivenForLevel {
        /// What is missing, e.g. `deductible`.
        what: &'static str,
        /// The claim kind.
        kind: &'static str,
        /// The hospital level.
        level: HospitalLevel,
        /// The person's group.
        group: PersonGroup,
        /// The rule whose table lacks the entry.
        rule: RuleId,
    },
    /// Occurs when a claim is remote care but the jurisdiction's data give no ratio cut for
    /// its treatment (Kunshan 2021 publishes none, K8).
    #[error("the policy data give no remote-care ratio cut for treatment `{treatment}`")]
    RemoteCutNotGiven {
        /// The remote-care treatment of the claim.
        treatment: RemoteCare,
    },
    /// Occurs when a claim has class B items but no class B personal share rate was supplied:
    /// the sources publish none (H23).
    #[error(
        "the claim has {class_b} yuan of class B items, but the sources publish no class B personal share rate ({rule}); supply one in the settlement config"
    )]
    ClassBShareNotGiven {
        /// The class B amount.
        class_b: Yuan,
        /// H23.
        rule: RuleId,
    },
    /// Occurs when a special-disease claim is for a city-retained disease, whose annual limit
    /// the sources do not give (H13).
    #[error("the sources give no annual limit for city-retained special diseases ({rule}): {note}")]
    LimitNotGivenBySource {
        /// What the data say about the missing limit.
        note: String,
        /// H13.
        rule: RuleId,
    },
    /// Occurs when a general-outpatient claim's consultation fee is larger than its eligible
    /// amount.
    #[error("the general consultation fee {fee} is larger than the eligible amount {eligible}")]
    ConsultationFeeAboveEligible {
        /// The consultation fee.
        fee: Yuan,
        /// The eligible amount.
        eligible: Yuan,
    },
    /// Occurs when a claim carries an exclusion fact (work injury, liable third party, public
    /// health, abroad, non-designated institution) but the jurisdiction's data list no
    /// exclusions.
    #[error("the claim is {fact}, but the policy data list no exclusions for this jurisdiction")]
    ExclusionsNotDefined {
        /// The fact, e.g. `owed by work-injury insurance`.
        fact: &'static str,
    },
    /// Occurs when an emergency claim ended in an admission: its costs join that admission's
    /// inpatient claim (H20).
    #[error(
        "emergency care followed by an admission is settled with the admission ({rule}): add its costs to the inpatient claim"
    )]
    EmergencyJoinsAdmission {
        /// H20.
        rule: RuleId,
    },
    /// Occurs when an amount computation goes out of range (an absurd amount).
    #[error("amount out of range: {0}")]
    Money(#[from] MoneyError),
    /// Occurs when a built-in rule id cannot be read (a defect of this crate).
    #[error("rule id: {0}")]
    Rule(#[from] RuleError),
    /// Occurs when a ladder computation is refused.
    #[error("ladder computation failed: {0}")]
    Schedule(#[from] ScheduleError),
    /// Occurs when a reversal (冲正) is asked for a settlement that is not the last one still in
    /// force in the year state.
    #[error(
        "settlement #{sequence} is not the last settlement in force (last: {last}); reverse last in, first out"
    )]
    NotLastSettlement {
        /// The sequence number of the settlement to reverse.
        sequence: u32,
        /// The last settlement in force, or `none`.
        last: String,
    },
    /// Occurs when a reversal is asked of a year state made without a journal
    /// ([`crate::YearState::without_reversal`]).
    #[error(
        "settlement #{sequence} cannot be reversed: this year state keeps no journal (make it with YearState::new to reverse)"
    )]
    NotReversible {
        /// The sequence number of the settlement to reverse.
        sequence: u32,
    },
}

impl BenefitError {
    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        match self {
            BenefitError::ClaimOutsidePolicyYear { date, year } => {
                format!("该费用发生于 {date}，不在 {year} 政策年度内")
            }
            BenefitError::ClaimBeforeLastSettled { date, last } => format!(
                "该费用发生于 {date}，早于已结算的最后一笔费用（{last}）；费用须按日期先后结算"
            ),
            BenefitError::KindNotDefined { kind } => {
                format!("本统筹地区的政策资料未规定{}待遇", kind_zh(kind))
            }
            BenefitError::NotGivenForLevel {
                what,
                kind,
                level,
                group,
                rule,
            } => format!(
                "政策资料未给出{}在{}（{}）的{}（{rule}）",
                kind_zh(kind),
                level.term().zh,
                group.term().zh,
                what_zh(what)
            ),
            BenefitError::RemoteCutNotGiven { treatment } => format!(
                "政策资料未给出异地就医（{}）降低支付比例的标准",
                treatment.term().zh
            ),
            BenefitError::ClassBShareNotGiven { class_b, rule } => format!(
                "该笔费用含乙类药品、项目 {class_b} 元，但资料未公布乙类须由个人先行承担的比例（{rule}）；请在结算配置中给出"
            ),
            BenefitError::LimitNotGivenBySource { rule, .. } => format!(
                "资料未给出我市保留病种的年度基金支付限额（{rule}）：“我市保留病种仍执行原有限额标准”，资料未载明该标准"
            ),
            BenefitError::ConsultationFeeAboveEligible { fee, eligible } => {
                format!("一般诊疗费 {fee} 大于政策范围内费用 {eligible}")
            }
            BenefitError::ExclusionsNotDefined { fact } => format!(
                "该费用{}，但本统筹地区的政策资料未列出不予支付的情形",
                exclusion_zh(fact)
            ),
            BenefitError::EmergencyJoinsAdmission { rule } => format!(
                "门诊急诊急救转住院的，该次发生的急诊费用与住院费用合并计算报销（{rule}）：请将其费用计入该次住院费用"
            ),
            BenefitError::Money(e) => format!("金额超出范围：{}", e.zh()),
            BenefitError::Rule(e) => format!("规则编号：{}", e.zh()),
            BenefitError::Schedule(e) => format!("分段计算失败：{}", e.zh()),
            BenefitError::NotLastSettlement { sequence, last } => format!(
                "第 {sequence} 笔结算不是最后一笔有效结算（最后一笔：{last}）；冲正须后进先出"
            ),
            BenefitError::NotReversible { sequence } => {
                format!("第 {sequence} 笔结算无法冲正：该年度结算状态未保留结算记录")
            }
        }
    }
}

/// A claim kind as the errors name it ([`crate::ClaimKind::name`]), in Chinese.
fn kind_zh(kind: &str) -> &str {
    match kind {
        "general outpatient" => "普通门诊",
        "hypertension/diabetes drug" => "“两病”门诊用药",
        "outpatient special disease" => "门诊特殊病",
        "inpatient" => "住院",
        "day surgery" => "日间手术",
        "dual-channel drug" => "“双通道”药品",
        "maternity delivery" => "生育分娩",
        "emergency" => "急诊",
        other => other,
    }
}

/// What a table lacks, as [`BenefitError::NotGivenForLevel`] names it, in Chinese.
fn what_zh(what: &str) -> &str {
    match what {
        "ratio" => "支付比例",
        "deductible" => "起付线",
        other => other,
    }
}

/// An exclusion fact as [`crate::NotPaid::describe`] words it, in Chinese.
fn exclusion_zh(fact: &str) -> &str {
    use crate::params::NotPaid;
    [
        NotPaid::WorkInjury,
        NotPaid::LiableThirdParty,
        NotPaid::PublicHealth,
        NotPaid::Abroad,
        NotPaid::NonDesignatedExceptEmergency,
    ]
    .into_iter()
    .find(|n| n.describe() == fact)
    .map_or(fact, |n| n.term().zh)
}
