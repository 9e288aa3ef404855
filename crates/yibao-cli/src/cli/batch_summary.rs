//! The summary `yibao batch` writes on standard error once the run is over: the rows, lines
//! and persons, each count reconciled; the money, reconciled to the fen; a reform's totals
//! and differences; what was assumed; the threads, times, rates and peak memory. In English,
//! or with `--lang zh` in the words a 医保 clerk uses (医疗费总额, 统筹基金支付, 大病保险支付,
//! 个人负担 …). The machine summary (`--summary FILE.json`) is the same in every language.

use std::fmt::Write as _;
use std::num::NonZeroUsize;
use std::time::Duration;

use yibao_batch::{BatchMode, BatchSummary, FirstPass, ReformSummary};

use super::Lang;
use super::layout::display_width;

/// Wall times of the command.
pub(crate) struct Timing {
    /// From the start of the command to the summary.
    pub(crate) total: Duration,
    /// Whether and when the file was read first to find persons whose rows are not
    /// contiguous.
    pub(crate) first_pass: FirstPass,
}

/// The words of the summary that depend on its mode: settling or only parsing.
struct ModeWords {
    /// `settled` / `已结算`.
    done: &'static str,
    /// The heading's mode.
    heading: &'static str,
    /// `settling` / `结算`: the part of the time the rows took.
    doing: &'static str,
}

fn mode_words(mode: BatchMode, lang: Lang) -> ModeWords {
    let parse_only = mode == BatchMode::ParseOnly;
    match (lang, parse_only) {
        (Lang::En, false) => ModeWords {
            done: "settled",
            heading: "settle",
            doing: "settling",
        },
        (Lang::En, true) => ModeWords {
            done: "parsed",
            heading: "parse only",
            doing: "parsing",
        },
        (Lang::Zh, false) => ModeWords {
            done: "已结算",
            heading: "结算",
            doing: "结算",
        },
        (Lang::Zh, true) => ModeWords {
            done: "已解析",
            heading: "仅解析",
            doing: "解析",
        },
    }
}

/// Whether a reconciliation holds, with the equation it checks.
fn reconciled(lang: Lang, ok: bool, equation: &str) -> String {
    match (lang, ok) {
        (Lang::En, true) => format!("yes ({equation})"),
        (Lang::En, false) => format!("NO ({equation} does not hold)"),
        (Lang::Zh, true) => format!("平衡（{equation}）"),
        (Lang::Zh, false) => format!("不平衡（{equation} 不成立）"),
    }
}

/// A summary being written: its `label: value` lines, in one language.
struct Lines {
    lang: Lang,
    lines: Vec<(String, String)>,
}

impl Lines {
    /// A line labelled `en` in English, `zh` in Chinese.
    fn push(&mut self, en: &str, zh: &str, value: String) {
        let label = match self.lang {
            Lang::En => en,
            Lang::Zh => zh,
        };
        self.lines.push((label.to_owned(), value));
    }

    /// A text in the summary's language.
    fn say(&self, en: String, zh: String) -> String {
        match self.lang {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }

    /// The lines under the heading, each label padded so that the values line up (a
    /// Chinese character takes two columns).
    fn text(self, heading: String) -> String {
        let width: usize = match self.lang {
            Lang::En => 24,
            Lang::Zh => 26,
        };
        let mut text = heading;
        for (label, value) in self.lines {
            let label = format!("{label}:");
            let pad = width.saturating_sub(display_width(&label));
            let _ = writeln!(text, "  {label}{:pad$}{value}", "");
        }
        text
    }
}

/// The summary, one `label: value` per line. Rates are end to end: the whole command's wall
/// time, first pass included.
pub(crate) fn render(
    summary: &BatchSummary,
    threads: NonZeroUsize,
    timing: &Timing,
    peak_kib: Option<u64>,
    lang: Lang,
) -> String {
    let words = mode_words(summary.mode, lang);
    let mut lines = Lines {
        lang,
        lines: Vec::new(),
    };
    counts(&mut lines, summary, &words);
    if summary.mode != BatchMode::ParseOnly {
        money(&mut lines, summary);
        if let Some(reform) = &summary.reform {
            reform_lines(&mut lines, summary, reform);
        }
    }
    if let Some(table) = &summary.persons_table {
        lines.push(
            "persons table rows",
            "人员表行数",
            table.rows_in.to_string(),
        );
        lines.push(
            "persons table in error",
            "人员表出错行数",
            table.rows_in_error.to_string(),
        );
        let none = lines.say(
            format!("{} (settled with none)", table.persons_without_claims),
            format!("{}（按无费用结算）", table.persons_without_claims),
        );
        lines.push("persons with no claims", "无理赔记录的人数", none);
    }
    for assumption in summary.assumptions_in(lang.into()) {
        lines.push("assumed", "假定", assumption.to_owned());
    }
    times(&mut lines, summary, threads, timing, peak_kib, &words);
    let heading = match lang {
        Lang::En => format!("batch summary ({})\n", words.heading),
        Lang::Zh => format!("批量结算汇总（{}）\n", words.heading),
    };
    lines.text(heading)
}

/// The rows, lines and persons, each reconciled.
fn counts(lines: &mut Lines, summary: &BatchSummary, words: &ModeWords) {
    let done = words.done;
    let lang = lines.lang;
    lines.push("rows in", "读入行数", summary.rows_in.to_string());
    lines.push(
        &format!("rows {done}"),
        &format!("{done}行数"),
        summary.rows_settled.to_string(),
    );
    lines.push(
        "rows in error",
        "出错行数",
        summary.rows_in_error.to_string(),
    );
    let rows_equation = lines.say(
        format!("in = {done} + in error"),
        format!("读入 = {done} + 出错"),
    );
    lines.push(
        "rows reconcile",
        "行数对账",
        reconciled(
            lang,
            summary.rows_in == summary.rows_settled + summary.rows_in_error,
            &rows_equation,
        ),
    );
    lines.push("lines in", "读入文本行数", summary.lines_in.to_string());
    lines.push(
        &format!("lines {done}"),
        &format!("{done}文本行数"),
        summary.lines_settled.to_string(),
    );
    lines.push(
        "lines in error",
        "出错文本行数",
        summary.lines_in_error.to_string(),
    );
    lines.push(
        "lines blank",
        "空白文本行数",
        summary.lines_blank.to_string(),
    );
    let lines_equation = lines.say(
        format!("in = {done} + in error + blank"),
        format!("读入 = {done} + 出错 + 空白"),
    );
    lines.push(
        "lines reconcile",
        "文本行数对账",
        reconciled(lang, summary.lines_reconcile(), &lines_equation),
    );
    lines.push(
        &format!("persons {done}"),
        &format!("{done}人数"),
        summary.persons_settled.to_string(),
    );
    lines.push(
        "persons with errors",
        "有出错行的人数",
        summary.persons_with_errors.to_string(),
    );
    lines.push(
        "persons not contiguous",
        "各行不相邻的人数",
        summary.split_persons.to_string(),
    );
}

/// The money, reconciled to the fen.
fn money(lines: &mut Lines, summary: &BatchSummary) {
    let lang = lines.lang;
    lines.push("amount in", "医疗费总额", summary.amount.to_string());
    lines.push(
        "basic fund paid",
        "统筹基金支付",
        summary.basic_fund.to_string(),
    );
    lines.push(
        "catastrophic paid",
        "大病保险支付",
        summary.catastrophic.to_string(),
    );
    lines.push("personal burden", "个人负担", summary.personal.to_string());
    let with_subsidy = !summary.fiscal_subsidy.is_zero();
    if with_subsidy {
        let subsidy = lines.say(
            format!("{} (deliveries, H15)", summary.fiscal_subsidy),
            format!("{}（住院分娩，H15）", summary.fiscal_subsidy),
        );
        lines.push("fiscal subsidy", "财政补助", subsidy);
    }
    let unsettled = summary.persons_catastrophic_not_settled;
    let unsettled = lines.say(
        format!(
            "{unsettled} (persons with no catastrophic figure: their burden is before catastrophic insurance)"
        ),
        format!("{unsettled}（未算出大病保险金额的人数：其个人负担为大病保险支付前的金额）"),
    );
    lines.push("catastrophic unsettled", "大病保险未结算人数", unsettled);
    let equation = match (lang, with_subsidy) {
        (Lang::En, false) => "in = basic fund + catastrophic + personal, to the fen",
        (Lang::En, true) => {
            "in = basic fund + catastrophic + fiscal subsidy + personal, to the fen"
        }
        (Lang::Zh, false) => "医疗费总额 = 统筹基金支付 + 大病保险支付 + 个人负担，精确到分",
        (Lang::Zh, true) => {
            "医疗费总额 = 统筹基金支付 + 大病保险支付 + 财政补助 + 个人负担，精确到分"
        }
    };
    lines.push(
        "money reconciles",
        "金额对账",
        reconciled(lang, summary.money_reconciles(), equation),
    );
}

/// The reform's lines of the summary: its totals, the differences, and whether its money
/// reconciles with the same amount in.
fn reform_lines(lines: &mut Lines, summary: &BatchSummary, reform: &ReformSummary) {
    let changes = lines.say(reform.changes.clone(), format!("`{}`", reform.changes));
    lines.push("reform", "改革方案", changes);
    lines.push(
        "reform basic fund",
        "改革后统筹基金支付",
        reform.basic_fund.to_string(),
    );
    lines.push(
        "reform catastrophic",
        "改革后大病保险支付",
        reform.catastrophic.to_string(),
    );
    lines.push(
        "reform personal",
        "改革后个人负担",
        reform.personal.to_string(),
    );
    lines.push(
        "reform unsettled",
        "改革后大病保险未结算人数",
        reform.persons_catastrophic_not_settled.to_string(),
    );
    lines.push(
        "change basic fund",
        "统筹基金支付变化",
        reform.difference_basic_fund.to_string(),
    );
    lines.push(
        "change catastrophic",
        "大病保险支付变化",
        reform.difference_catastrophic.to_string(),
    );
    lines.push(
        "change personal",
        "个人负担变化",
        reform.difference_personal.to_string(),
    );
    let reconciles = reform.money_reconciles(summary.amount);
    let value = match (lines.lang, reconciles) {
        (Lang::En, true) => {
            "yes (in = basic fund + catastrophic + fiscal subsidy + personal under the reform, to the fen)"
        }
        (Lang::En, false) => {
            "NO (in = basic fund + catastrophic + fiscal subsidy + personal under the reform does not hold)"
        }
        (Lang::Zh, true) => {
            "平衡（医疗费总额 = 统筹基金支付 + 大病保险支付 + 财政补助 + 个人负担，精确到分）"
        }
        (Lang::Zh, false) => {
            "不平衡（医疗费总额 = 统筹基金支付 + 大病保险支付 + 财政补助 + 个人负担 不成立）"
        }
    };
    lines.push("reform reconciles", "改革后金额对账", value.to_owned());
}

/// Seconds as the summary writes them: `0.123 s`, `0.123 秒`.
fn seconds(lang: Lang, time: Duration) -> String {
    match lang {
        Lang::En => format!("{:.3} s", time.as_secs_f64()),
        Lang::Zh => format!("{:.3} 秒", time.as_secs_f64()),
    }
}

/// What the first pass cost, when one ran.
fn first_pass(lang: Lang, first_pass: &FirstPass) -> String {
    match (first_pass, lang) {
        (FirstPass::Stream, Lang::En) => "none (a stream is read once)".to_owned(),
        (FirstPass::Stream, Lang::Zh) => "无（数据流只读一遍）".to_owned(),
        (FirstPass::NotNeeded, Lang::En) => {
            "none (the persons ascend, checked as they were written)".to_owned()
        }
        (FirstPass::NotNeeded, Lang::Zh) => "无（参保人按升序排列，已边写边核对）".to_owned(),
        (FirstPass::Ran(time), _) => seconds(lang, *time),
        (
            FirstPass::AfterDescent {
                time,
                stopped_after,
                line,
                person,
                after,
            },
            Lang::En,
        ) => format!(
            "{:.3} s, after {:.3} s settling up to line {line}, where person `{person}` comes after `{after}` (out of order: the outputs were written again)",
            time.as_secs_f64(),
            stopped_after.as_secs_f64()
        ),
        (
            FirstPass::AfterDescent {
                time,
                stopped_after,
                line,
                person,
                after,
            },
            Lang::Zh,
        ) => format!(
            "{:.3} 秒；此前已结算 {:.3} 秒，至第 {line} 行参保人 `{person}` 排在 `{after}` 之后（顺序不符：结果已全部重新写出）",
            time.as_secs_f64(),
            stopped_after.as_secs_f64()
        ),
    }
}

/// The threads, times, rates and peak memory.
fn times(
    lines: &mut Lines,
    summary: &BatchSummary,
    threads: NonZeroUsize,
    timing: &Timing,
    peak_kib: Option<u64>,
    words: &ModeWords,
) {
    let lang = lines.lang;
    let total = timing.total.as_secs_f64().max(1e-9);
    let rate = |n: u64| format!("{:.0}", n as f64 / total);
    lines.push("threads", "工作线程数", threads.to_string());
    let time = match lang {
        Lang::En => format!("{total:.3} s"),
        Lang::Zh => format!("{total:.3} 秒"),
    };
    lines.push("time", "用时", time);
    lines.push(
        "of which first pass",
        "其中首遍通读",
        first_pass(lang, &timing.first_pass),
    );
    lines.push(
        &format!("of which {}", words.doing),
        &format!("其中{}", words.doing),
        seconds(lang, summary.elapsed),
    );
    lines.push("claims per second", "每秒理赔笔数", rate(summary.rows_in));
    lines.push(
        "persons per second",
        "每秒结算人数",
        rate(summary.persons_settled),
    );
    let memory = peak_kib.map_or_else(
        || {
            lines.say(
                "not reported by this system".to_owned(),
                "本系统未提供".to_owned(),
            )
        },
        |kib| format!("{:.1} MiB", kib as f64 / 1024.0),
    );
    lines.push("peak memory", "内存峰值", memory);
}
