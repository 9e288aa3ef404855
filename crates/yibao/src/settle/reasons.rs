//! Why a claim is not covered, not paid, or not settled: each reason an enum with a stable
//! machine `code()`, an English sentence (`Display`) and the rule behind it.

use serde::Serialize;
use yibao_core::{NaiveDate, RuleId, Yuan};

/// Whether the person was covered on the day of a claim.
///
/// JSON: `{"status": "covered"}`, `{"status": "assumed"}`, or
/// `{"status": "not_covered", "code": "…", "reason": "…", "rule": "H3"}` (see
/// [`NotCoveredReason`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoverStatus {
    /// Covered by the enrolment history.
    Covered,
    /// No enrolment history was given: cover is assumed.
    Assumed,
    /// Not covered; the fund pays nothing.
    NotCovered {
        /// Why (waiting period, suspension, no cover period).
        reason: NotCoveredReason,
    },
}

impl CoverStatus {
    /// The status as JSON and CSV write it: `covered`, `assumed`, `not_covered`.
    pub fn code(&self) -> &'static str {
        match self {
            CoverStatus::Covered => "covered",
            CoverStatus::Assumed => "assumed",
            CoverStatus::NotCovered { .. } => "not_covered",
        }
    }
}

impl Serialize for CoverStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("status", self.code())?;
        if let CoverStatus::NotCovered { reason } = self {
            map.serialize_entry("code", reason.code())?;
            map.serialize_entry("reason", &reason.to_string())?;
            if let Some(rule) = reason.rule() {
                map.serialize_entry("rule", &rule)?;
            }
        }
        map.end()
    }
}

/// Why a person is not covered on the day of a claim (H3, K9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotCoveredReason {
    /// In a waiting period (等待期, H3): paid outside the window or re-enrolled after a lapse.
    WaitingPeriod {
        /// The waiting period.
        range: yibao_core::DateRange,
        /// Why it applies.
        cause: yibao_enrolment::WaitingReason,
        /// The rule that set it.
        rule: RuleId,
    },
    /// Cover suspended (停卡, K9) until the day after a payment.
    Suspended {
        /// The first day suspended.
        from: NaiveDate,
        /// The day cover reopened, if it did.
        reopened_on: Option<NaiveDate>,
        /// The rule.
        rule: RuleId,
    },
    /// No cover period of the enrolment history contains the day (no payment for the year).
    NoCoverPeriod {
        /// The rule of the cover the history gives, if any.
        rule: Option<RuleId>,
    },
}

impl NotCoveredReason {
    /// The stable machine word: `waiting_period`, `suspended`, `no_cover_period`.
    pub fn code(&self) -> &'static str {
        match self {
            NotCoveredReason::WaitingPeriod { .. } => "waiting_period",
            NotCoveredReason::Suspended { .. } => "suspended",
            NotCoveredReason::NoCoverPeriod { .. } => "no_cover_period",
        }
    }

    /// The rule behind it, when there is one.
    pub fn rule(&self) -> Option<RuleId> {
        match self {
            NotCoveredReason::WaitingPeriod { rule, .. }
            | NotCoveredReason::Suspended { rule, .. } => Some(*rule),
            NotCoveredReason::NoCoverPeriod { rule } => *rule,
        }
    }
}

impl NotCoveredReason {
    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        match self {
            NotCoveredReason::WaitingPeriod { range, cause, .. } => format!(
                "处于等待期 {} 至 {}（{}）：期间发生的医疗费用不予支付",
                range.start(),
                range.end(),
                waiting_cause(*cause).zh
            ),
            NotCoveredReason::Suspended { from, .. } => {
                format!("自 {from} 起停卡：停卡期间发生的医疗费用不予支付")
            }
            NotCoveredReason::NoCoverPeriod { .. } => {
                "参保缴费记录中没有覆盖当日的待遇享受期".to_owned()
            }
        }
    }
}

/// Why a waiting period applies, in both languages.
fn waiting_cause(cause: yibao_enrolment::WaitingReason) -> yibao_core::Term {
    match cause {
        yibao_enrolment::WaitingReason::PaidOutsideWindow => {
            yibao_core::Term::new("paid outside the collection window", "未在集中缴费期内缴费")
        }
        yibao_enrolment::WaitingReason::ReEnrolledAfterLapse => {
            yibao_core::Term::new("re-enrolled after a lapse", "中断缴费后再参保")
        }
    }
}

impl std::fmt::Display for NotCoveredReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotCoveredReason::WaitingPeriod { range, cause, .. } => write!(
                f,
                "in the waiting period {range} ({}): expenses are not paid",
                waiting_cause(*cause).en
            ),
            NotCoveredReason::Suspended { from, .. } => write!(
                f,
                "cover suspended from {from}: expenses while suspended are not paid"
            ),
            NotCoveredReason::NoCoverPeriod { .. } => {
                f.write_str("not covered on this day by the enrolment history")
            }
        }
    }
}

/// Why neither fund pays anything for a claim, for a reason other than arithmetic: the
/// person is not covered on the day, or the basic fund's rule does not pay the claim.
///
/// [`NotPaidReason::code`] is a stable snake_case machine word, `Display` an English
/// sentence with the rule. JSON: `{"code": "…", "reason": "…", "rule": "H11"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotPaidReason {
    /// Not covered on the day (code `not_covered`).
    NotCovered(NotCoveredReason),
    /// Covered, but the basic fund's rule does not pay the claim (codes
    /// `level_not_paid`, `transfer_out_outpatient`, `excluded`).
    Benefit(yibao_benefits::NotPaidReason),
}

impl NotPaidReason {
    /// The stable machine word: `not_covered`, `level_not_paid`, `transfer_out_outpatient`,
    /// `excluded`.
    pub fn code(&self) -> &'static str {
        match self {
            NotPaidReason::NotCovered(_) => "not_covered",
            NotPaidReason::Benefit(reason) => reason.code(),
        }
    }

    /// The rule behind it, when there is one.
    pub fn rule(&self) -> Option<RuleId> {
        match self {
            NotPaidReason::NotCovered(reason) => reason.rule(),
            NotPaidReason::Benefit(reason) => Some(reason.rule()),
        }
    }
}

impl NotPaidReason {
    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        match self {
            NotPaidReason::NotCovered(reason) => match reason.rule() {
                Some(rule) => format!("不在待遇享受期：{}（{rule}）", reason.zh()),
                None => format!("不在待遇享受期：{}", reason.zh()),
            },
            NotPaidReason::Benefit(reason) => reason.zh(),
        }
    }

    /// The sentence in `lang`.
    pub fn text(&self, lang: yibao_core::Lang) -> String {
        match lang {
            yibao_core::Lang::En => self.to_string(),
            yibao_core::Lang::Zh => self.zh(),
        }
    }

    /// A short name of the reason in Chinese, for a table's cell (the code in English).
    pub fn short_zh(&self) -> &'static str {
        match self {
            NotPaidReason::NotCovered(_) => "不在待遇享受期",
            NotPaidReason::Benefit(reason) => match reason {
                yibao_benefits::NotPaidReason::LevelNotPaid { .. } => "该级别不予支付",
                yibao_benefits::NotPaidReason::TransferOutOutpatient { .. } => "转外门诊",
                _ => "不予支付范围",
            },
        }
    }
}

impl std::fmt::Display for NotPaidReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotPaidReason::NotCovered(reason) => match reason.rule() {
                Some(rule) => write!(f, "not covered: {reason} ({rule})"),
                None => write!(f, "not covered: {reason}"),
            },
            NotPaidReason::Benefit(reason) => reason.fmt(f),
        }
    }
}

impl Serialize for NotPaidReason {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("code", self.code())?;
        map.serialize_entry("reason", &self.to_string())?;
        if let Some(rule) = self.rule() {
            map.serialize_entry("rule", &rule)?;
        }
        map.end()
    }
}

/// The catastrophic part of a claim.
///
/// JSON: `{"status": "settled", "paid": "…"}`, or `{"status": "not_settled", "code": "…",
/// "reason": "…"}` with `"banded_before_cap": "…"` when it is known (see
/// [`CatastrophicUnsettled`]). A part not settled is never written as an amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CatastrophicPart {
    /// Settled: this claim's increment (0 below the threshold).
    Settled {
        /// The increment.
        paid: Yuan,
    },
    /// Not settled, and why (no schedule for the year, the lapse cut not given …).
    NotSettled {
        /// Why.
        reason: CatastrophicUnsettled,
    },
}

impl CatastrophicPart {
    /// The amount paid: the settled increment, and 0 when not settled (what the person is
    /// paid now; use [`CatastrophicPart::settled`] to tell a settled 0 from a part not
    /// settled).
    pub fn paid(&self) -> Yuan {
        match self {
            CatastrophicPart::Settled { paid } => *paid,
            CatastrophicPart::NotSettled { .. } => Yuan::ZERO,
        }
    }

    /// The settled increment, `None` when the part is not settled.
    pub fn settled(&self) -> Option<Yuan> {
        match self {
            CatastrophicPart::Settled { paid } => Some(*paid),
            CatastrophicPart::NotSettled { .. } => None,
        }
    }

    /// Why the part is not settled, `None` when it is.
    pub fn not_settled(&self) -> Option<&CatastrophicUnsettled> {
        match self {
            CatastrophicPart::Settled { .. } => None,
            CatastrophicPart::NotSettled { reason } => Some(reason),
        }
    }
}

impl Serialize for CatastrophicPart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        match self {
            CatastrophicPart::Settled { paid } => {
                map.serialize_entry("status", "settled")?;
                map.serialize_entry("paid", paid)?;
            }
            CatastrophicPart::NotSettled { reason } => {
                map.serialize_entry("status", "not_settled")?;
                reason.serialize_entries(&mut map)?;
            }
        }
        map.end()
    }
}

/// Why a claim's catastrophic part is not settled: a figure it depends on is not given.
///
/// [`CatastrophicUnsettled::code`] is a stable snake_case machine word, `Display` an English
/// sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CatastrophicUnsettled {
    /// No catastrophic schedule is published for the year (Kunshan 2021): code
    /// `not_published`. Every claim's part is not settled, whatever its amount.
    NoSchedule {
        /// What the data say.
        reason: yibao_core::Said,
    },
    /// Re-enrolled after a lapse: H7 lets the cap be lowered by an amount the sources do not
    /// give, and the payment would depend on it (code `lapse_cut_not_given`). A part that is
    /// the same whatever the cap (its banded amount is 0) is settled instead.
    LapseCutNotGiven {
        /// What the data say.
        note: String,
        /// H7.
        rule: RuleId,
        /// This claim's banded amount before any cap: `round(F(burden after)) −
        /// round(F(burden before))` with `F` the class's bands on the excess over the
        /// threshold (H19). In the totals, the sum over the claims not settled.
        banded_before_cap: Yuan,
    },
    /// The cap in force could not be computed from the person's history (an impossible
    /// incentive history …): code `cap_not_computed`.
    CapNotComputed {
        /// Why.
        reason: yibao_core::Said,
    },
    /// The claim's basic fund is not settled (the sources give no rule for it, K8), so its
    /// share of the burden is unknown: code `basic_fund_not_settled`.
    BasicFundNotSettled {
        /// The rule whose gap it is.
        rule: RuleId,
    },
}

impl CatastrophicUnsettled {
    /// The stable machine word: `not_published`, `lapse_cut_not_given`, `cap_not_computed`,
    /// `basic_fund_not_settled`.
    pub fn code(&self) -> &'static str {
        match self {
            CatastrophicUnsettled::NoSchedule { .. } => "not_published",
            CatastrophicUnsettled::LapseCutNotGiven { .. } => "lapse_cut_not_given",
            CatastrophicUnsettled::CapNotComputed { .. } => "cap_not_computed",
            CatastrophicUnsettled::BasicFundNotSettled { .. } => "basic_fund_not_settled",
        }
    }

    /// The banded amount before any cap, when it is known.
    pub fn banded_before_cap(&self) -> Option<Yuan> {
        match self {
            CatastrophicUnsettled::LapseCutNotGiven {
                banded_before_cap, ..
            } => Some(*banded_before_cap),
            _ => None,
        }
    }

    pub(super) fn serialize_entries<M: serde::ser::SerializeMap>(
        &self,
        map: &mut M,
    ) -> Result<(), M::Error> {
        map.serialize_entry("code", self.code())?;
        map.serialize_entry("reason", &self.to_string())?;
        if let Some(banded) = self.banded_before_cap() {
            map.serialize_entry("banded_before_cap", &banded)?;
        }
        Ok(())
    }
}

impl CatastrophicUnsettled {
    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        match self {
            CatastrophicUnsettled::NoSchedule { reason }
            | CatastrophicUnsettled::CapNotComputed { reason } => {
                reason.text(yibao_core::Lang::Zh).to_owned()
            }
            CatastrophicUnsettled::LapseCutNotGiven {
                rule,
                banded_before_cap,
                ..
            } => format!(
                "中断缴费后再参保者的大病保险支付限额可降低，但资料未给出降低的金额（{rule}）；按段计算、未经封顶的金额 {banded_before_cap}"
            ),
            CatastrophicUnsettled::BasicFundNotSettled { rule } => {
                format!("该笔费用的统筹基金未结算（{rule}），其计入个人负担的部分无法确定")
            }
        }
    }

    /// The sentence in `lang`.
    pub fn text(&self, lang: yibao_core::Lang) -> String {
        match lang {
            yibao_core::Lang::En => self.to_string(),
            yibao_core::Lang::Zh => self.zh(),
        }
    }

    /// A short name of the reason in Chinese, for a table's cell (the code in English).
    pub fn short_zh(&self) -> &'static str {
        match self {
            CatastrophicUnsettled::NoSchedule { .. } => "未公布",
            CatastrophicUnsettled::LapseCutNotGiven { .. } => "限额未定",
            CatastrophicUnsettled::CapNotComputed { .. } => "限额无法计算",
            CatastrophicUnsettled::BasicFundNotSettled { .. } => "统筹未结算",
        }
    }
}

impl std::fmt::Display for CatastrophicUnsettled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CatastrophicUnsettled::NoSchedule { reason } => f.write_str(reason),
            CatastrophicUnsettled::LapseCutNotGiven {
                note,
                rule,
                banded_before_cap,
            } => write!(
                f,
                "the cap after a lapse is not given by the source ({rule}): {note}; banded amount before any cap {banded_before_cap}"
            ),
            CatastrophicUnsettled::CapNotComputed { reason } => f.write_str(reason),
            CatastrophicUnsettled::BasicFundNotSettled { rule } => write!(
                f,
                "the claim's basic fund is not settled ({rule}), so its share of the burden is not known"
            ),
        }
    }
}

impl Serialize for CatastrophicUnsettled {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        self.serialize_entries(&mut map)?;
        map.end()
    }
}

/// Why a claim's basic fund is not settled: the sources give no rule for it (K8: remote care
/// without a filing in Kunshan). The claim is paid nothing for now and takes no part in the
/// year: later claims are settled as if it were not there (deductibles, caps, ladder and
/// catastrophic burden), and a note of the report says so.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct BasicNotSettled {
    /// The rule whose gap it is.
    pub rule: RuleId,
    /// Why, with what the source says and does not say.
    pub reason: yibao_core::Said,
}
