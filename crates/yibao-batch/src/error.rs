//! Why a batch stops (bad rows do not stop it: they go to the errors file), in English
//! (`Display`) and in Chinese ([`BatchError::zh`]).

use yibao_core::{Lang, PolicyYear, Said, Yuan};

/// Why a batch stopped. Bad rows do not stop a batch: they go to the errors file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    /// Occurs when the first line is not a usable header: empty input, or unknown, duplicate
    /// or missing columns (every problem is listed).
    #[error("the header row of the claims file is not usable: {problems}")]
    Header {
        /// Every problem, separated by `; ` (in Chinese by `；`).
        problems: Said,
    },
    /// Occurs when the policy data has no book, or no benefits, for the jurisdiction and year.
    #[error("cannot settle claims of {jurisdiction} {year}: {reason}")]
    Policy {
        /// The jurisdiction asked for.
        jurisdiction: String,
        /// The year asked for.
        year: PolicyYear,
        /// Why, in both languages.
        reason: Said,
    },
    /// Occurs when the input cannot be read (an I/O error, not a bad row).
    #[error("cannot read the claims file: {message}")]
    Read {
        /// The cause.
        message: String,
    },
    /// Occurs when an output cannot be written.
    #[error("cannot write the {what}: {message}")]
    Write {
        /// Which output (`output`, `errors file`, `per-claim output`).
        what: &'static str,
        /// The cause.
        message: String,
    },
    /// Occurs when a population total goes above [`Yuan::MAX`].
    #[error("the total {what} of the file is above the largest amount the engine accepts ({max} yuan)", max = Yuan::MAX_TEXT)]
    TotalTooLarge {
        /// Which total.
        what: &'static str,
    },
    /// Occurs with [`Contiguity::Ascending`](crate::Contiguity::Ascending) when a person does not come after the person
    /// before in ascending order of `person_id`: the batch needs a first pass. What was
    /// written before it stopped is incomplete.
    #[error(
        "line {line}: person `{person}` comes after person `{after}`: the persons are not in ascending order of person_id, so the file needs a first pass to find persons whose rows are not contiguous"
    )]
    NotAscending {
        /// The line of the person's first row.
        line: u64,
        /// The person.
        person: String,
        /// The person before, at or above it.
        after: String,
    },
    /// Occurs when the persons table cannot be used: an unknown, duplicate or missing
    /// column, a file that cannot be read.
    #[error("the persons table {name} is not usable: {message}")]
    PersonsTable {
        /// The table's name (its path).
        name: String,
        /// What is wrong, in both languages.
        message: Said,
    },
    /// Occurs when a thread of the batch stops unexpectedly or the counts do not reconcile
    /// (a defect of the engine, never of the input).
    #[error("internal error of the batch: {message}")]
    Internal {
        /// What went wrong.
        message: String,
    },
}

impl BatchError {
    /// [`BatchError::Policy`] of a book that gives no benefits for its year.
    pub fn no_benefits(jurisdiction: &str, year: PolicyYear) -> BatchError {
        BatchError::Policy {
            jurisdiction: jurisdiction.to_owned(),
            year,
            reason: Said::new(
                "the policy data gives no benefits for this year",
                "政策资料未给出该年度的基本医疗保险待遇",
            ),
        }
    }

    /// Why the batch stopped, in Chinese. A cause the system gives (an I/O error, a reader's
    /// message) is quoted as it is given.
    pub fn zh(&self) -> String {
        match self {
            BatchError::Header { problems } => {
                format!("理赔文件的表头行无法使用：{}", problems.text(Lang::Zh))
            }
            BatchError::Policy {
                jurisdiction,
                year,
                reason,
            } => format!(
                "无法结算 `{jurisdiction}` {year} 年度的理赔：{}",
                reason.text(Lang::Zh)
            ),
            BatchError::Read { message } => format!("无法读取理赔文件：{message}"),
            BatchError::Write { what, message } => {
                format!("无法写入{}：{message}", output_zh(what))
            }
            BatchError::TotalTooLarge { what } => format!(
                "全文件的{}合计超过本系统可处理的最大金额（{} 元）",
                total_zh(what),
                Yuan::MAX_TEXT
            ),
            BatchError::NotAscending {
                line,
                person,
                after,
            } => format!(
                "第 {line} 行：参保人 `{person}` 排在参保人 `{after}` 之后：参保人未按 `person_id` 升序排列，须先通读一遍文件，找出各行不相邻的参保人"
            ),
            BatchError::PersonsTable { name, message } => {
                format!("人员表 `{name}` 无法使用：{}", message.text(Lang::Zh))
            }
            BatchError::Internal { message } => format!("批量结算内部错误：{message}"),
        }
    }
}

/// An output as [`BatchError::Write`] names it, in Chinese.
fn output_zh(what: &str) -> &str {
    match what {
        "output" => "结算结果文件",
        "errors file" => "错误文件",
        "per-claim output" => "逐笔结算文件",
        other => other,
    }
}

/// A total as [`BatchError::TotalTooLarge`] names it, in Chinese.
fn total_zh(what: &str) -> String {
    let (reform, total) = match what.strip_prefix("reform ") {
        Some(total) => ("改革方案下的", total),
        None => ("", what),
    };
    let total = match total {
        "amount" => "医疗费总额",
        "basic fund" => "统筹基金支付",
        "catastrophic" => "大病保险支付",
        "personal burden" => "个人负担",
        "fiscal subsidy" => "财政补助",
        "totals" => "各项",
        other => other,
    };
    format!("{reform}{total}")
}

/// The problems of a header, each said in both languages, joined into one sentence of each.
#[derive(Default)]
pub(crate) struct Problems {
    en: Vec<String>,
    zh: Vec<String>,
}

impl Problems {
    pub(crate) fn push(&mut self, en: String, zh: String) {
        self.en.push(en);
        self.zh.push(zh);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.en.is_empty()
    }

    /// Every problem, joined by `; ` and `；`.
    pub(crate) fn said(self) -> Said {
        Said::new(self.en.join("; "), self.zh.join("；"))
    }
}

pub(crate) fn empty_input() -> BatchError {
    BatchError::Header {
        problems: Said::new(
            "the input is empty (expected a header row)",
            "输入为空（应有表头行）",
        ),
    }
}

/// The error of a failed write to `what`.
pub(crate) fn write_error(what: &'static str) -> impl Fn(std::io::Error) -> BatchError {
    move |e| BatchError::Write {
        what,
        message: e.to_string(),
    }
}
