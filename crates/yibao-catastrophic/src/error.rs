//! The one error type of the crate.

use yibao_core::{MoneyError, PolicyYear, RuleId, Yuan};

/// Why a catastrophic-insurance question could not be answered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatastrophicError {
    /// Occurs when a ladder is asked for a year the sources publish no schedule for (or the
    /// policy data holds none for), e.g. Kunshan 2021.
    #[error("no catastrophic schedule for {jurisdiction} {year}: {reason}")]
    NoSchedule {
        /// The jurisdiction id, e.g. `kunshan`.
        jurisdiction: String,
        /// The policy year asked for.
        year: PolicyYear,
        /// Why, as the policy data states it (`[absent] catastrophic = "…"`), or that the
        /// data loaded holds no schedule for the year; in both languages.
        reason: yibao_core::Said,
    },
    /// Occurs when a ladder is given two entries for the same year.
    #[error("the catastrophic ladder of {jurisdiction} already has an entry for {year}")]
    DuplicateYear {
        /// The jurisdiction id.
        jurisdiction: String,
        /// The year given twice.
        year: PolicyYear,
    },
    /// Occurs when a person class is named with text the engine does not know, e.g. `"vip"`.
    #[error(
        "`{text}` is not a catastrophic-insurance person class (expected `ordinary` or `medical_aid_recipient`)"
    )]
    UnknownClass {
        /// The text as given.
        text: String,
    },
    /// Occurs when an incentive history marks a year both as a zero-reimbursement year and as
    /// a year whose catastrophic payments used reward quota: a zero-claim year had payments.
    #[error(
        "the incentive history contradicts itself: {year} is marked as a zero-reimbursement year but also as a year whose catastrophic payments used reward quota ({rule})"
    )]
    ZeroClaimYearWithPayments {
        /// The year marked both ways.
        year: PolicyYear,
        /// The rule that defines both (H7).
        rule: RuleId,
    },
    /// Occurs when an incentive history holds a year that is not before the year whose cap is
    /// asked for.
    #[error("the incentive history of {current} holds {year}, which is not a past year ({rule})")]
    HistoryYearNotPast {
        /// The year in the history.
        year: PolicyYear,
        /// The year whose cap is asked for.
        current: PolicyYear,
        /// The rule deciding (H7).
        rule: RuleId,
    },
    /// Occurs when the number of consecutive years cannot be true in the year asked for:
    /// 0 (the year itself is included), or more years than have passed since the first
    /// counted year (2025 in Huai'an).
    #[error(
        "{years} consecutive years is impossible in {year}: the count includes the year itself and starts in {first_counted_year}, so it must be between 1 and {max} ({rule})"
    )]
    ImpossibleConsecutiveYears {
        /// The count as given.
        years: u32,
        /// The year whose cap is asked for.
        year: PolicyYear,
        /// The first year counted.
        first_counted_year: PolicyYear,
        /// The largest possible count.
        max: i64,
        /// The rule deciding (H7, which counts consecutive years as H6 does).
        rule: RuleId,
    },
    /// Occurs when the cap of a person who re-enrolled after a lapse is asked for and the
    /// sources allow a lower cap without giving its amount (H7).
    #[error("the cap after a lapse is not given by the source ({rule}): {note}")]
    LapseCutNotGiven {
        /// The note from the policy data.
        note: String,
        /// The rule that mentions the cut.
        rule: RuleId,
    },
    /// Occurs when a claim moves the year's cumulative personal burden backwards.
    #[error("the cumulative personal burden moves backwards from {before} to {after}")]
    BurdenBackwards {
        /// The burden before the claim.
        before: Yuan,
        /// The burden after the claim.
        after: Yuan,
    },
    /// Occurs when a cap computed for one year is used to settle another year.
    #[error("the cap in force was computed for {cap_year} but the settlement is for {year}")]
    CapForAnotherYear {
        /// The year the cap was computed for.
        cap_year: PolicyYear,
        /// The year being settled.
        year: PolicyYear,
    },
    /// Occurs when a cap computed from one schedule's original cap is used with a schedule
    /// whose original cap differs.
    #[error(
        "the cap in force starts from an original cap of {cap_original} but this schedule's original cap is {schedule_original}"
    )]
    CapFromAnotherSchedule {
        /// The original cap the cap in force was built on.
        cap_original: Yuan,
        /// This schedule's original cap.
        schedule_original: Yuan,
    },
    /// Occurs when an amount leaves the range the engine accepts (absurd figures).
    #[error("amount out of range: {0}")]
    Money(#[from] MoneyError),
}

impl CatastrophicError {
    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        match self {
            CatastrophicError::NoSchedule { reason, .. } => {
                reason.text(yibao_core::Lang::Zh).to_owned()
            }
            CatastrophicError::DuplicateYear { year, .. } => {
                format!("大病保险待遇标准中 {year} 年度出现了两次")
            }
            CatastrophicError::UnknownClass { text } => format!(
                "`{text}` 不是大病保险的人员类别（应为 `ordinary` 普通参保人员或 `medical_aid_recipient` 医疗救助对象）"
            ),
            CatastrophicError::ZeroClaimYearWithPayments { year, rule } => format!(
                "激励记录自相矛盾：{year} 年度既记为零报销年度，又记为大病保险支付使用了奖励额度的年度（{rule}）"
            ),
            CatastrophicError::HistoryYearNotPast {
                year,
                current,
                rule,
            } => format!("{current} 年度的激励记录含有 {year} 年度，该年度并非以往年度（{rule}）"),
            CatastrophicError::ImpossibleConsecutiveYears {
                years,
                year,
                first_counted_year,
                max,
                rule,
            } => format!(
                "{year} 年度不可能连续参保 {years} 年：连续参保年限含当年，自 {first_counted_year} 年度起计算，应在 1 至 {max} 之间（{rule}）"
            ),
            CatastrophicError::LapseCutNotGiven { rule, .. } => format!(
                "中断缴费后再参保者的大病保险支付限额可降低，但资料未给出降低的金额（{rule}）"
            ),
            CatastrophicError::BurdenBackwards { before, after } => {
                format!("年度累计个人负担由 {before} 倒退至 {after}")
            }
            CatastrophicError::CapForAnotherYear { cap_year, year } => {
                format!("适用的支付限额按 {cap_year} 年度计算，而结算的是 {year} 年度")
            }
            CatastrophicError::CapFromAnotherSchedule {
                cap_original,
                schedule_original,
            } => format!(
                "适用的支付限额以原限额 {cap_original} 为基础，而本待遇标准的原限额为 {schedule_original}"
            ),
            CatastrophicError::Money(e) => format!("金额超出范围：{}", e.zh()),
        }
    }
}
