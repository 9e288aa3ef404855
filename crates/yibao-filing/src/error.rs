//! The crate's one error type.

use chrono::NaiveDate;
use yibao_core::{CalendarError, DateError, RuleId};

use crate::machine::{FilingId, FilingType};

/// Why a filing event, a replay or a query was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FilingError {
    /// Occurs when an event is not allowed in the filing's current state (a Wujiang long-term
    /// filing cancelled within 6 months is [`FilingError::CancelTooEarly`] instead).
    #[error("filing {filing}: event `{event}` on {on} is not allowed in state `{state}`")]
    IllegalTransition {
        /// The filing.
        filing: FilingId,
        /// The state's name, e.g. `lapsed`.
        state: &'static str,
        /// The event's name, e.g. `materials_supplied`.
        event: &'static str,
        /// The event's date.
        on: NaiveDate,
    },
    /// Occurs when an event is dated before the event replayed before it.
    #[error(
        "event `{event}` of filing {filing} on {on} comes after an event on {previous}: events must be in time order"
    )]
    OutOfOrder {
        /// The filing of the late-listed event.
        filing: FilingId,
        /// The event's name.
        event: &'static str,
        /// The event's date.
        on: NaiveDate,
        /// The date of the event before it.
        previous: NaiveDate,
    },
    /// Occurs when a state is asked for as of a day before the last event replayed.
    #[error("cannot look at filings as of {as_of}: an event on {previous} was already replayed")]
    AsOfBeforeLastEvent {
        /// The day asked for.
        as_of: NaiveDate,
        /// The last event's day.
        previous: NaiveDate,
    },
    /// Occurs when a filing's log holds an event of another filing.
    #[error("the log of filing {expected} holds an event of filing {found}")]
    ForeignEvent {
        /// The filing being replayed.
        expected: FilingId,
        /// The filing the event belongs to.
        found: FilingId,
    },
    /// Occurs when the supporting document expires before the filing starts.
    #[error(
        "filing {filing}: the supporting document expires on {expires}, before the filing starts on {start}"
    )]
    DocumentExpiresBeforeStart {
        /// The filing.
        filing: FilingId,
        /// The document's last valid day.
        expires: NaiveDate,
        /// The filing's start.
        start: NaiveDate,
    },
    /// Occurs when a filing (other than emergency rescue) starts before it is submitted: care
    /// is filed first and sought after (K6 注(1) 先备案后就医).
    #[error(
        "filing {filing}: a {filing_type} filing cannot start on {start}, before its submission on {submitted} (file first, then seek care; rule {rule})"
    )]
    StartBeforeSubmission {
        /// The filing.
        filing: FilingId,
        /// Its type.
        filing_type: FilingType,
        /// The requested start.
        start: NaiveDate,
        /// The submission date.
        submitted: NaiveDate,
        /// The rule that decides.
        rule: RuleId,
    },
    /// Occurs when a long-term filing is cancelled before start + N months (W4: 6).
    #[error(
        "filing {filing}: a long-term filing started on {start} cannot be cancelled on {on}; cancellation is possible from {allowed_from} (rule {rule})"
    )]
    CancelTooEarly {
        /// The filing.
        filing: FilingId,
        /// The filing's start.
        start: NaiveDate,
        /// The cancellation date asked for.
        on: NaiveDate,
        /// The first day a cancellation is allowed.
        allowed_from: NaiveDate,
        /// The rule that decides.
        rule: RuleId,
    },
    /// Occurs when a person whose commitment-letter filing lapsed files on a commitment letter
    /// again (W4: 不再享受承诺制备案服务).
    #[error(
        "filing {filing}: this person may not file on a commitment letter again: filing {lapsed} lapsed on {void_from} without its materials (rule {rule})"
    )]
    CommitmentBarred {
        /// The refused filing.
        filing: FilingId,
        /// The earlier filing that lapsed.
        lapsed: FilingId,
        /// The day it became void.
        void_from: NaiveDate,
        /// The rule that decides.
        rule: RuleId,
    },
    /// Occurs when a filing names a place inside the insured place's own home area.
    #[error(
        "filing {filing}: `{area}` lies inside the home area `{home}`; care there needs no filing"
    )]
    HomeAreaFiling {
        /// The filing.
        filing: FilingId,
        /// The place filed for.
        area: crate::place::Area,
        /// The home area.
        home: crate::place::Area,
    },
    /// Occurs when a filing id is empty or longer than 64 characters.
    #[error("`{text}` is not a filing id (1 to 64 characters)")]
    MalformedFilingId {
        /// The text as given.
        text: String,
    },
    /// Occurs when a text names no filing type.
    #[error(
        "`{text}` is not a filing type (expected one of resettled_retiree, long_term_resident, stationed_worker, referral, emergency_rescue, other_temporary)"
    )]
    UnknownFilingType {
        /// The text as given.
        text: String,
    },
    /// Occurs when the jurisdiction's policy data does not offer a filing type.
    #[error(
        "the jurisdiction's filing rules offer no `{filing_type}` filing (they offer: {offered})"
    )]
    TypeNotOffered {
        /// The type asked for.
        filing_type: FilingType,
        /// The types offered, comma-separated.
        offered: String,
    },
    /// Occurs when a place is not `province/city/...` with a known province-level division.
    #[error("`{text}` is not a known place: {why}")]
    UnknownPlace {
        /// The text as given.
        text: String,
        /// What is wrong.
        why: String,
    },
    /// Occurs when the sources do not give a rule the computation needs.
    #[error("the sources do not give {what}: {note}")]
    NotGivenBySource {
        /// What is missing, e.g. "the validity of a temporary filing".
        what: &'static str,
        /// The policy data's note.
        note: String,
    },
    /// Occurs when a date computation leaves the supported calendar.
    #[error(transparent)]
    Date(#[from] DateError),
    /// Occurs when the working-day calendar cannot answer.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

impl FilingError {
    /// The sentence in Chinese, beside the English of `Display`. Event and state names are
    /// quoted as the scenario writes them.
    pub fn zh(&self) -> String {
        match self {
            FilingError::IllegalTransition {
                filing,
                state,
                event,
                on,
            } => format!("备案 {filing}：{on} 的事件 `{event}` 在状态 `{state}` 下不允许"),
            FilingError::OutOfOrder {
                filing,
                event,
                on,
                previous,
            } => format!(
                "备案 {filing} 的事件 `{event}`（{on}）排在 {previous} 的事件之后：事件须按时间先后排列"
            ),
            FilingError::AsOfBeforeLastEvent { as_of, previous } => {
                format!("无法查看 {as_of} 的备案状态：{previous} 的事件已经计入")
            }
            FilingError::ForeignEvent { expected, found } => {
                format!("备案 {expected} 的记录中有备案 {found} 的事件")
            }
            FilingError::DocumentExpiresBeforeStart {
                filing,
                expires,
                start,
            } => format!("备案 {filing}：证明材料于 {expires} 到期，早于备案开始日 {start}"),
            FilingError::StartBeforeSubmission {
                filing,
                filing_type,
                start,
                submitted,
                rule,
            } => format!(
                "备案 {filing}：{}备案不能自 {start} 开始，早于其申请日 {submitted}（先备案后就医；依据 {rule}）",
                filing_type.term().zh
            ),
            FilingError::CancelTooEarly {
                filing,
                start,
                on,
                allowed_from,
                rule,
            } => format!(
                "备案 {filing}：{start} 开始的长期备案不能于 {on} 取消；自 {allowed_from} 起方可取消（依据 {rule}）"
            ),
            FilingError::CommitmentBarred {
                filing,
                lapsed,
                void_from,
                rule,
            } => format!(
                "备案 {filing}：此人不再享受承诺制备案服务：备案 {lapsed} 未补齐材料，已于 {void_from} 失效（依据 {rule}）"
            ),
            FilingError::HomeAreaFiling { filing, area, home } => {
                format!("备案 {filing}：`{area}` 位于参保地 `{home}` 范围内；在该处就医无需备案")
            }
            FilingError::MalformedFilingId { text } => {
                format!("`{text}` 不是备案编号（1 至 64 个字符）")
            }
            FilingError::UnknownFilingType { text } => format!(
                "`{text}` 不是备案类型（应为 resettled_retiree、long_term_resident、stationed_worker、referral、emergency_rescue、other_temporary 之一）"
            ),
            FilingError::TypeNotOffered {
                filing_type,
                offered,
            } => format!(
                "本统筹地区的备案规定不提供{}备案（提供：{offered}）",
                filing_type.term().zh
            ),
            FilingError::UnknownPlace { text, .. } => {
                format!("`{text}` 不是已知地点（应写作 省/市/…，省级行政区须为已知名称）")
            }
            FilingError::NotGivenBySource { what, .. } => {
                format!("政策资料未规定{}", not_given_zh(what))
            }
            FilingError::Date(e) => e.zh(),
            FilingError::Calendar(e) => e.zh(),
        }
    }
}

/// What the sources do not give, as [`FilingError::NotGivenBySource`] names it, in Chinese.
fn not_given_zh(what: &str) -> &str {
    match what {
        "how long this filing is valid" => "该类备案的有效期",
        "a deadline for approving a filing" => "备案的办理时限",
        "filing on a personal commitment letter" => "个人承诺制备案",
        "when a temporary filing may be cancelled" => "临时备案何时可以取消",
        "when a long-term filing may be cancelled" => "长期备案何时可以取消",
        "how emergency rescue without a filing is treated" => "未备案的急诊抢救如何结算",
        "a deadline for manual claims" => "零星报销的办理期限",
        _ => "所问事项",
    }
}
