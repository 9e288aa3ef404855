//! The filing's words in Chinese, beside the English of `machine.rs` and `query.rs`: the
//! filing types of W1 and H25 (异地长期居住人员, 异地转诊人员, 其他临时外出就医人员 …), the
//! states of a filing, a term's days and the step of each state, in the words of the
//! Wujiang filing leaflet (备案有效期, 承诺制, 补齐材料, 取消备案).

use yibao_core::{Term as Words, Word};

use crate::machine::{ApprovalDue, FilingState, FilingType, LastDay, Term};
use crate::query::Settlement;

impl FilingType {
    /// The type's snake_case name and its words in W1 (异地安置退休人员 …).
    pub fn term(self) -> Words {
        let zh = match self {
            FilingType::ResettledRetiree => "异地安置退休人员",
            FilingType::LongTermResident => "异地长期居住人员",
            FilingType::StationedWorker => "常驻异地工作人员",
            FilingType::Referral => "异地转诊人员",
            FilingType::EmergencyRescue => "异地急诊抢救人员",
            FilingType::OtherTemporary => "其他临时外出就医人员",
        };
        Words::new(self.as_str(), zh)
    }
}

impl Settlement {
    /// The settlement's snake_case name and its words (直接结算, 零星报销).
    pub fn term(self) -> Words {
        let zh = match self {
            Settlement::Direct => "直接结算",
            Settlement::ManualClaim => "零星报销",
        };
        Words::new(self.name(), zh)
    }
}

impl FilingState {
    /// The state's snake_case name and its Chinese (待审核, 有效, 已过期 …).
    pub fn state_term(&self) -> Words {
        let zh = match self {
            FilingState::NotSubmitted => "未申请",
            FilingState::Submitted { .. } => "待审核",
            FilingState::Rejected { .. } => "未通过",
            FilingState::Approved { .. } => "已审核，未到开始日期",
            FilingState::Active { .. } => "有效",
            FilingState::Expired { .. } => "已过期",
            FilingState::Lapsed { .. } => "已失效",
            FilingState::Cancelled { .. } => "已取消",
        };
        Words::new(self.name(), zh)
    }

    /// The Chinese pattern of [`FilingState::step`], with the same holes.
    pub(crate) fn step_zh(&self) -> &'static str {
        match self {
            FilingState::NotSubmitted => "备案 {filing}（{filing_type}，{area}）",
            FilingState::Submitted { approval_due, .. } => match approval_due {
                ApprovalDue::By(_) => {
                    "备案 {filing}（{filing_type}，{area}）于 {submitted_on} 提交，开始日期 {start}；应于 {due} 前完成审批（提交当日不计）"
                }
                ApprovalDue::NotGivenBySource => {
                    "备案 {filing}（{filing_type}，{area}）于 {submitted_on} 提交，开始日期 {start}；资料未规定审批时限"
                }
                ApprovalDue::BeyondCalendar { .. } => {
                    "备案 {filing}（{filing_type}，{area}）于 {submitted_on} 提交，开始日期 {start}；审批时限落在 {due_year} 年，该年节假日安排尚未公布"
                }
            },
            FilingState::Rejected { .. } => {
                "备案 {filing}（{filing_type}，{area}）于 {decided_on} 未通过审核：{reason}"
            }
            FilingState::Approved { .. } => {
                "备案 {filing}（{filing_type}，{area}）于 {decided_on} 审核通过；有效期 {term}"
            }
            FilingState::Active { .. } => {
                "备案 {filing}（{filing_type}，{area}）有效；有效期 {term}"
            }
            FilingState::Expired { .. } => {
                "备案 {filing}（{filing_type}，{area}）已过期；原有效期 {term}"
            }
            FilingState::Lapsed { .. } => {
                "备案 {filing}（{filing_type}，{area}）自 {void_from} 起失效：未在承诺期限内补齐材料；此后不得再以承诺制备案"
            }
            FilingState::Cancelled { .. } => {
                "备案 {filing}（{filing_type}，{area}）于 {on} 取消；原有效期 {term}"
            }
        }
    }
}

impl Term {
    /// The valid days in Chinese, as [`Term::describe`](Term) writes them in English.
    pub(crate) fn describe_zh(&self) -> String {
        match self {
            Term::Provisional { start, last } => format!("{start} 至 {last}（承诺制）"),
            Term::Full {
                start,
                last: LastDay::On(day),
            } => format!("{start} 至 {day}"),
            Term::Full {
                start,
                last: LastDay::Open,
            } => format!("自 {start} 起，与证明材料有效期一致（无截止日期）"),
            Term::Full {
                start,
                last: LastDay::UntilCancelled(_),
            } => format!("自 {start} 起至取消备案（资料未规定有效期，按取消前持续有效处理）"),
            Term::Full {
                start,
                last: LastDay::NotGivenBySource(_),
            } => format!("自 {start} 起，资料未规定截止日期"),
        }
    }
}
