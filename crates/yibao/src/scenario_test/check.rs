//! The comparison of a settlement with a test file's `[expected]`: every figure given is
//! compared, and each difference is one [`Mismatch`] naming the field, the figure expected and
//! the figure got.

use std::fmt;

use yibao_core::{KeyPath, Location, NaiveDate, Yuan};
use yibao_enrolment::Subsidy;
use yibao_filing::{ApprovalDue, FilingState};

use super::{Expected, ExpectedClaim, ExpectedContribution, ExpectedFiling, ScenarioTest};
use crate::policy::PolicyLibrary;
use crate::scenario::ScenarioError;
use crate::settle::{CatastrophicPart, CoverStatus, SettlementReport, settle};

/// One difference between a settlement and the figures computed by hand: the field and what
/// differs (`claim A1: basic_fund: expected 7050.00, got 7000.00`), said in English
/// (`Display`) and in Chinese ([`Mismatch::zh`]: `费用 A1·统筹基金：预期 7050.00，实际
/// 7000.00`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    en: String,
    zh: String,
}

impl Mismatch {
    /// The difference in Chinese: the field named as the settlement's table names it, the
    /// figures as they are, a code or a text of the file between backquotes.
    pub fn zh(&self) -> &str {
        &self.zh
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// Why a text is not a scenario test file (the TOML reader's message, with its line and
/// column).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a scenario test file: {en}")]
pub struct NotATestFile {
    en: String,
    zh: String,
}

impl NotATestFile {
    /// The refusal in Chinese: `不是场景测试文件：第 1 行第 1 列：未知字段 `jurisdiction`（…）`.
    pub fn zh(&self) -> String {
        format!("不是场景测试文件：{}", self.zh)
    }
}

impl ScenarioTest {
    /// Reads a scenario test file (TOML: `description`, `rules`, `[scenario]`, `[expected]`).
    ///
    /// # Errors
    /// When the text is not such a file, with the line and column of the fault.
    pub fn parse(text: &str) -> Result<ScenarioTest, NotATestFile> {
        toml::from_str(text).map_err(|e| {
            // The reader's message in Chinese, as a scenario's refusal says it.
            let reading = ScenarioError {
                location: None,
                path: KeyPath::root(),
                message: e.message().trim_end_matches('.').to_owned(),
                hint: None,
            };
            let at = Location::at_offset("", text, e.span().map_or(0, |s| s.start));
            NotATestFile {
                en: e.to_string().trim_end().to_owned(),
                zh: format!("第 {} 行第 {} 列：{}", at.line, at.column, reading.zh()),
            }
        })
    }

    /// Settles the person-year with `library` and lists every difference from `[expected]`
    /// (empty: the test passes). A rule id that the library does not register is a
    /// difference too, and so is a settlement refused where figures were expected, or settled
    /// where a refusal was.
    pub fn run(&self, library: &PolicyLibrary) -> Vec<Mismatch> {
        let mut m = Mismatches { found: Vec::new() };
        if self.rules.is_empty() {
            m.push("`rules` is empty".to_owned(), "`rules` 为空".to_owned());
        }
        for rule in &self.rules {
            if library.registry.rule(*rule).is_none() {
                m.push(
                    format!("rule {rule} is not registered"),
                    format!("规则 {rule} 未登记"),
                );
            }
        }
        match (settle(library, &self.scenario), &self.expected.error) {
            (Ok(report), None) => check_report(&mut m, &self.expected, &report),
            (Ok(_), Some(error)) => m.push(
                format!("expected the settlement to be refused with \"{error}\", but it settled"),
                format!("预期结算被拒绝（提示含 `{error}`），实际已结算"),
            ),
            (Err(e), Some(error)) => {
                if !e.to_string().contains(error.as_str()) {
                    m.push(
                        format!(
                            "error: expected a message containing \"{error}\", got \"{e}\" (at `{}`)",
                            e.path()
                        ),
                        format!(
                            "拒绝提示：预期含 `{error}`，实际为 `{e}`（位置 `{}`）",
                            e.path()
                        ),
                    );
                }
            }
            (Err(e), None) => m.push(
                format!("refused: {e} (at `{}`)", e.path()),
                format!("结算被拒绝：{}（位置 `{}`）", e.zh(), e.path()),
            ),
        }
        m.found
    }
}

/// A field of the settlement as a mismatch names it: its path in English
/// (`totals.basic_fund`, `claim A1: basic_fund`), its name in Chinese (`本年合计·统筹基金`).
struct At {
    en: String,
    zh: String,
}

impl At {
    /// A field of the year's totals.
    fn totals(field: &str) -> At {
        At {
            en: format!("totals.{field}"),
            zh: format!("本年合计·{}", field_zh(field)),
        }
    }

    /// A field of what the year carries into the next.
    fn next_year(field: &str) -> At {
        At {
            en: format!("next_year.{field}"),
            zh: format!("结转至下一年度·{}", field_zh(field)),
        }
    }
}

/// The Chinese name of a field of `[expected]`, as the settlement's table heads its column
/// (统筹基金, 起付线 …); the field's own name where it has none.
fn field_zh(field: &str) -> String {
    const NAMES: &[(&str, &str)] = &[
        ("amount", "医疗费用"),
        ("basic_fund", "统筹基金"),
        ("catastrophic", "大病保险"),
        ("personal", "个人负担"),
        ("catastrophic_not_settled", "大病保险未结算笔数"),
        (
            "catastrophic_not_settled.banded_before_cap",
            "大病保险未结算部分的封顶前分段金额",
        ),
        ("cap_in_force", "大病保险本年度最高支付限额"),
        ("zero_reimbursement", "基金零报销"),
        ("reward_quota_used", "使用奖励额度"),
        ("notes", "说明"),
        ("claims", "费用"),
        ("contributions", "缴费笔数"),
        ("cover", "参保状态"),
        ("remote_care", "异地就医"),
        ("eligible", "政策范围内"),
        ("deductible", "起付线"),
        ("not_paid", "不予支付"),
        ("fiscal_subsidy", "财政补助"),
        ("catastrophic_code", "大病保险未结算原因"),
        ("catastrophic_banded_before_cap", "大病保险封顶前分段金额"),
        ("manual_claim_deadline", "手工报销截止日"),
        ("year", "缴费年度"),
        ("paid_on", "缴费日期"),
        ("individual", "个人缴费"),
        ("paid_by_assistance", "医疗救助代缴"),
        ("subsidy", "财政补助"),
        ("subsidy_amount", "财政补助金额"),
        ("state", "备案状态"),
        ("approval_due", "审批期限"),
        ("decided_on", "审批日期"),
    ];
    NAMES
        .iter()
        .find(|(en, _)| *en == field)
        .map_or_else(|| format!("`{field}`"), |(_, zh)| (*zh).to_owned())
}

/// A value of a mismatch in Chinese: an amount, a count or a date as it is, a yes-or-no as
/// 是 or 否, any other value (a code, a state) between backquotes.
fn value_zh(value: &str) -> String {
    match value {
        "true" => "是".to_owned(),
        "false" => "否".to_owned(),
        _ if !value.is_empty()
            && value
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-') =>
        {
            value.to_owned()
        }
        _ => format!("`{value}`"),
    }
}

/// A value that may be absent, in Chinese: the value, or 无.
fn maybe_zh<T: fmt::Display>(value: Option<T>) -> String {
    value.map_or_else(|| "无".to_owned(), |v| value_zh(&v.to_string()))
}

/// Collects the mismatches of one file.
struct Mismatches {
    found: Vec<Mismatch>,
}

impl Mismatches {
    fn push(&mut self, en: String, zh: String) {
        self.found.push(Mismatch { en, zh });
    }

    fn compare<T: PartialEq + fmt::Display>(&mut self, at: &At, expected: Option<T>, got: T) {
        if let Some(expected) = expected {
            if expected != got {
                self.push(
                    format!("{}: expected {expected}, got {got}", at.en),
                    format!(
                        "{}：预期 {}，实际 {}",
                        at.zh,
                        value_zh(&expected.to_string()),
                        value_zh(&got.to_string())
                    ),
                );
            }
        }
    }

    /// A figure expected that the settlement gives as `got` (absent, or different).
    fn differs<T: fmt::Display + fmt::Debug>(
        &mut self,
        at: &At,
        expected: impl fmt::Display,
        got: Option<T>,
    ) {
        let en = format!("{}: expected {expected}, got {got:?}", at.en);
        let zh = format!(
            "{}：预期 {}，实际 {}",
            at.zh,
            value_zh(&expected.to_string()),
            maybe_zh(got)
        );
        self.push(en, zh);
    }
}

fn check_report(m: &mut Mismatches, expected: &Expected, report: &SettlementReport) {
    let totals = &report.totals;
    m.compare(&At::totals("amount"), expected.amount, totals.amount);
    m.compare(
        &At::totals("basic_fund"),
        expected.basic_fund,
        totals.basic_fund,
    );
    m.compare(
        &At::totals("catastrophic"),
        expected.catastrophic,
        totals.catastrophic,
    );
    m.compare(&At::totals("personal"), expected.personal, totals.personal);
    if let Some(want) = expected.catastrophic_not_settled {
        let got = totals
            .catastrophic_not_settled
            .as_ref()
            .map_or(0, |open| open.claims);
        m.compare(&At::totals("catastrophic_not_settled"), Some(want), got);
    }
    if let Some(want) = expected.catastrophic_banded_before_cap {
        let got = totals
            .catastrophic_not_settled
            .as_ref()
            .and_then(|open| open.reason.banded_before_cap());
        if got != Some(want) {
            m.differs(
                &At::totals("catastrophic_not_settled.banded_before_cap"),
                want,
                got,
            );
        }
    }
    if let Some(cap) = expected.cap_in_force {
        let at = At {
            en: "cap_in_force".to_owned(),
            zh: field_zh("cap_in_force"),
        };
        match &report.cap_in_force {
            Some(got) => m.compare(&at, Some(cap), got.cap),
            None => m.push(
                format!("cap_in_force: expected {cap}, got none"),
                format!("{}：预期 {cap}，实际无", at.zh),
            ),
        }
    }
    m.compare(
        &At::next_year("zero_reimbursement"),
        expected.zero_reimbursement,
        report.next_year.zero_reimbursement,
    );
    m.compare(
        &At::next_year("reward_quota_used"),
        expected.reward_quota_used,
        report.next_year.reward_quota_used,
    );
    for note in &expected.notes {
        if !report.notes.iter().any(|n| n.contains(note.as_str())) {
            m.push(
                format!(
                    "notes: none contains \"{note}\" (notes: {:?})",
                    report.notes
                ),
                format!(
                    "说明：没有一条含 `{note}`（说明：{}）",
                    report
                        .notes
                        .iter()
                        .map(|n| format!("`{}`", n.en()))
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            );
        }
    }
    check_lists(m, expected, report);
}

/// The claims, contributions and filings of `[expected]`, each against the report's.
fn check_lists(m: &mut Mismatches, expected: &Expected, report: &SettlementReport) {
    if !expected.claims.is_empty() {
        let got: Vec<String> = report
            .claims
            .iter()
            .map(|c| c.id.clone().unwrap_or_default())
            .collect();
        let want: Vec<String> = expected.claims.iter().map(|c| c.id.clone()).collect();
        if got != want {
            m.push(
                format!("claims: expected {want:?} in settlement order, got {got:?}"),
                format!(
                    "费用（按结算顺序）：预期 {}，实际 {}",
                    yibao_core::in_words_zh(&want),
                    yibao_core::in_words_zh(&got)
                ),
            );
        }
    }
    for claim in &expected.claims {
        match report
            .claims
            .iter()
            .find(|c| c.id.as_deref() == Some(claim.id.as_str()))
        {
            Some(got) => check_claim(m, claim, got),
            None => m.push(
                format!("claim {}: not in the report", claim.id),
                format!("费用 {}：结算结果中没有这笔费用", claim.id),
            ),
        }
    }
    if !expected.contributions.is_empty() {
        if expected.contributions.len() != report.contributions.len() {
            m.push(
                format!(
                    "contributions: expected {}, got {}",
                    expected.contributions.len(),
                    report.contributions.len()
                ),
                format!(
                    "{}：预期 {}，实际 {}",
                    field_zh("contributions"),
                    expected.contributions.len(),
                    report.contributions.len()
                ),
            );
        }
        for (i, (want, got)) in expected
            .contributions
            .iter()
            .zip(&report.contributions)
            .enumerate()
        {
            check_contribution(m, i, want, got);
        }
    }
    for (id, want) in &expected.filings {
        match report.filings.iter().find(|(k, _)| k.as_str() == id) {
            Some((_, got)) => check_filing(m, id, want, got),
            None => m.push(
                format!("filing {id}: not in the report"),
                format!("备案 {id}：结算结果中没有这项备案"),
            ),
        }
    }
}

/// A reason expected to contain `text` that does not: `got` is what the settlement gives.
fn reason_differs(m: &mut Mismatches, at: &At, text: &str, got: &impl fmt::Debug) {
    m.push(
        format!(
            "{}: expected a reason containing \"{text}\", got {got:?}",
            at.en
        ),
        format!("{}：预期原因含 `{text}`，实际为 `{got:?}`", at.zh),
    );
}

fn check_claim(m: &mut Mismatches, want: &ExpectedClaim, got: &crate::settle::ClaimReport) {
    let at = |field: &str| At {
        en: format!("claim {}: {field}", want.id),
        zh: format!("费用 {}·{}", want.id, field_zh(field)),
    };
    m.compare(&at("cover"), want.cover.as_deref(), got.cover.code());
    if let Some(text) = &want.cover_reason {
        match &got.cover {
            CoverStatus::NotCovered { reason } if reason.to_string().contains(text.as_str()) => {}
            other => reason_differs(m, &at("cover"), text, other),
        }
    }
    m.compare(&at("remote_care"), want.remote_care, got.remote_care);
    m.compare(&at("eligible"), want.eligible, got.eligible);
    m.compare(&at("deductible"), want.deductible, got.deductible);
    m.compare(&at("basic_fund"), want.basic_fund, got.basic_fund);
    let not_paid = got.not_paid.as_ref().map_or("", |r| r.code());
    m.compare(&at("not_paid"), want.not_paid.as_deref(), not_paid);
    if let Some(text) = &want.not_paid_reason {
        match &got.not_paid {
            Some(reason) if reason.to_string().contains(text.as_str()) => {}
            other => reason_differs(m, &at("not_paid"), text, other),
        }
    }
    match (&want.basic_fund_not_settled, &got.basic_fund_not_settled) {
        (Some(text), Some(why)) if why.reason.contains(text.as_str()) => {}
        (None, None) => {}
        (None, Some(why)) => m.push(
            format!(
                "{}: expected settled, got not settled: {}",
                at("basic_fund").en,
                why.reason
            ),
            format!(
                "{}：预期已结算，实际未结算：`{}`",
                at("basic_fund").zh,
                why.reason
            ),
        ),
        (Some(text), other) => m.push(
            format!(
                "{}: expected not settled with a reason containing \"{text}\", got {other:?}",
                at("basic_fund").en
            ),
            format!(
                "{}：预期未结算且原因含 `{text}`，实际为 `{other:?}`",
                at("basic_fund").zh
            ),
        ),
    }
    m.compare(
        &at("fiscal_subsidy"),
        want.fiscal_subsidy,
        got.fiscal_subsidy,
    );
    m.compare(&at("personal"), want.personal, got.personal);
    if let Some(text) = &want.catastrophic {
        let got_text = match &got.catastrophic {
            CatastrophicPart::Settled { paid } => paid.to_string(),
            CatastrophicPart::NotSettled { .. } => "not_settled".to_owned(),
        };
        let same = match (text.parse::<Yuan>(), &got.catastrophic) {
            (Ok(want), CatastrophicPart::Settled { paid }) => want == *paid,
            (Err(_), CatastrophicPart::NotSettled { .. }) => text == "not_settled",
            _ => false,
        };
        if !same {
            let at = at("catastrophic");
            m.push(
                format!("{}: expected {text}, got {got_text}", at.en),
                format!(
                    "{}：预期 {}，实际 {}",
                    at.zh,
                    value_zh(text),
                    value_zh(&got_text)
                ),
            );
        }
    }
    let code = got.catastrophic.not_settled().map_or("", |r| r.code());
    m.compare(
        &at("catastrophic_code"),
        want.catastrophic_code.as_deref(),
        code,
    );
    if let Some(banded) = want.catastrophic_banded_before_cap {
        let got_banded = got
            .catastrophic
            .not_settled()
            .and_then(|r| r.banded_before_cap());
        if got_banded != Some(banded) {
            m.differs(&at("catastrophic_banded_before_cap"), banded, got_banded);
        }
    }
    if let Some(text) = &want.catastrophic_reason {
        match &got.catastrophic {
            CatastrophicPart::NotSettled { reason }
                if reason.to_string().contains(text.as_str()) => {}
            other => reason_differs(m, &at("catastrophic"), text, other),
        }
    }
    if let Some(deadline) = want.manual_claim_deadline {
        match got.manual_claim_deadline {
            Some(day) if day == deadline => {}
            other => m.differs(&at("manual_claim_deadline"), deadline, other),
        }
    }
}

fn check_contribution(
    m: &mut Mismatches,
    i: usize,
    want: &ExpectedContribution,
    got: &crate::settle::ContributionReport,
) {
    let at = |field: &str| At {
        en: format!("contributions[{i}].{field}"),
        zh: format!("第 {} 笔缴费·{}", i + 1, field_zh(field)),
    };
    m.compare(&at("year"), want.year, got.year);
    m.compare(&at("paid_on"), want.paid_on, got.paid_on);
    m.compare(&at("individual"), want.individual, got.individual);
    m.compare(
        &at("paid_by_assistance"),
        want.paid_by_assistance,
        got.paid_by_assistance,
    );
    let (tag, amount) = match &got.subsidy {
        Subsidy::Granted(figure) => ("granted", figure.amount),
        Subsidy::Withheld { not_granted } => ("withheld", *not_granted),
    };
    m.compare(&at("subsidy"), want.subsidy.as_deref(), tag);
    m.compare(&at("subsidy_amount"), want.subsidy_amount, amount);
}

fn check_filing(m: &mut Mismatches, id: &str, want: &ExpectedFiling, got: &FilingState) {
    let at = |field: &str| At {
        en: format!("filing {id}: {field}"),
        zh: format!("备案 {id}·{}", field_zh(field)),
    };
    let (state, due, decided) = match want {
        ExpectedFiling::State(state) => (state, None, None),
        ExpectedFiling::Detail(detail) => (&detail.state, detail.approval_due, detail.decided_on),
    };
    m.compare(&at("state"), Some(state.as_str()), got.name());
    let (got_due, got_decided): (Option<ApprovalDue>, Option<NaiveDate>) = match got {
        FilingState::Submitted { approval_due, .. } => (Some(*approval_due), None),
        FilingState::Rejected { decision, .. }
        | FilingState::Approved { decision, .. }
        | FilingState::Active { decision, .. } => (Some(decision.due), Some(decision.on)),
        _ => (None, None),
    };
    if let Some(due) = due {
        if got_due != Some(ApprovalDue::By(due)) {
            let at = at("approval_due");
            let got_zh = match got_due {
                Some(ApprovalDue::By(day)) => day.to_string(),
                None => "无".to_owned(),
                Some(other) => format!("`{other:?}`"),
            };
            m.push(
                format!("{}: expected {due}, got {got_due:?}", at.en),
                format!("{}：预期 {due}，实际 {got_zh}", at.zh),
            );
        }
    }
    if let Some(decided) = decided {
        if got_decided != Some(decided) {
            m.differs(&at("decided_on"), decided, got_decided);
        }
    }
}
