//! The findings that quote a reader's English, said in Chinese: a TOML or JSON syntax error,
//! serde's refusal of a field or a value, and a value refused by its own parser (an amount, a
//! ratio, a band, a date, a day of the year, a place …).
//!
//! As for a scenario's refusal (`scenario::reading_zh`), the message is read back: a value
//! the message quotes is parsed again with the same parser, and when its error is the very
//! sentence, that error's `zh()` is the Chinese.

use std::str::FromStr;

use yibao_core::{DateError, PolicyYear, Rate, RuleId, Rules, Yuan, quoted};

use crate::scenario::reading_zh::{known_message_zh, message_zh, quoted_words};

/// A syntax error of a TOML or JSON file in Chinese.
pub(crate) fn syntax_zh(message: &str) -> String {
    message_zh(message)
}

/// A JSON reader's error in Chinese, without the place its message appends (` at line 5
/// column 5`): the finding is located there already.
pub(crate) fn json_zh(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let place = format!(" at line {} column {}", error.line(), error.column());
    message_zh(text.strip_suffix(&place).unwrap_or(&text))
}

/// A value or a table refused while decoded, in Chinese: the reader's message read back,
/// else the message quoted after a Chinese sentence.
pub(crate) fn decoded_zh(message: &str) -> String {
    policy_value_zh(message)
        .or_else(|| known_message_zh(message))
        .unwrap_or_else(|| format!("该值无法读取（读取器的说明：`{}`）", quoted(message)))
}

/// A value of the policy data refused by its own parser, read again from the message.
fn policy_value_zh(message: &str) -> Option<String> {
    let same = |error: &dyn std::fmt::Display| error.to_string() == message;
    if let Some(value) = quoted_words(message).first().copied() {
        if let Err(e) = Rate::from_str(value)
            && same(&e)
        {
            return Some(e.zh());
        }
        if let Err(e) = RuleId::from_str(value)
            && same(&e)
        {
            return Some(e.zh());
        }
        if let Err(e) = yibao_filing::Area::from_str(value)
            && same(&e)
        {
            return Some(e.zh());
        }
        if let Err(e) = yibao_filing::MonthDay::from_str(value)
            && e == message
        {
            return Some(format!(
                "`{value}` 不是一年中的某一天（应写作 `MM-DD`，如 `12-30`）"
            ));
        }
        if let Err(e) = yibao_enrolment::ClockTime::from_str(value)
            && e == message
        {
            return Some(format!(
                "`{value}` 不是一天中的时刻（应写作 HH:MM，自 00:00 至 24:00）"
            ));
        }
    }
    if let Err(e) = Rules::new(Vec::new())
        && same(&e)
    {
        return Some(e.zh());
    }
    if message == "an empty table is not a date" {
        return Some("空表不是日期".to_owned());
    }
    numbers_zh(message)
}

/// A refusal whose values are numbers or dates in its sentence (a year out of range, a band
/// out of order, a period that ends before it starts), made again from them.
fn numbers_zh(message: &str) -> Option<String> {
    let words: Vec<&str> = message
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ';' | ','))
        .filter(|w| w.bytes().next().is_some_and(|b| b.is_ascii_digit()))
        .collect();
    let yuan = |i: usize| words.get(i).and_then(|w| Yuan::from_str(w).ok());
    let count = |i: usize| words.get(i).and_then(|w| w.parse::<usize>().ok());
    if let Some(Err(e)) = words
        .first()
        .and_then(|w| w.parse::<i64>().ok())
        .map(PolicyYear::new)
        && e.to_string() == message
    {
        return Some(e.zh());
    }
    let dates: Vec<chrono::NaiveDate> = words
        .iter()
        .filter_map(|w| yibao_core::parse_date(w).ok())
        .collect();
    if let [first, second, ..] = dates.as_slice() {
        for (start, end) in [(*first, *second), (*second, *first)] {
            let e = DateError::EndBeforeStart { start, end };
            if e.to_string() == message {
                return Some(e.zh());
            }
        }
    }
    schedule_zh(message, yuan, count)
}

/// A schedule's bands refused ([`yibao_core::ScheduleError`]), made again from the numbers
/// of the sentence.
fn schedule_zh(
    message: &str,
    yuan: impl Fn(usize) -> Option<Yuan>,
    count: impl Fn(usize) -> Option<usize>,
) -> Option<String> {
    use yibao_core::ScheduleError as E;
    let mut candidates = vec![E::NoBands];
    if let Some(from) = yuan(1) {
        candidates.push(E::FirstBandNotAtZero { from });
    }
    if let (Some(band), Some(from), Some(previous), Some(previous_to)) =
        (count(0), yuan(1), count(2), yuan(3))
    {
        candidates.push(E::NotContiguous {
            band,
            previous,
            from,
            previous_to,
        });
    }
    if let (Some(band), Some(from), Some(to)) = (count(0), yuan(1), yuan(2)) {
        candidates.push(E::NotIncreasing { band, from, to });
    }
    if let Some(band) = count(0) {
        candidates.push(E::OpenBandNotLast { band });
        if let Some(to) = yuan(1) {
            candidates.push(E::LastBandClosed { band, to });
        }
    }
    candidates
        .into_iter()
        .find(|e| e.to_string() == message)
        .map(|e| e.zh())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_decoding_refusal_reads_in_chinese() {
        for (message, zh) in [
            ("`105%` is outside 0%..=100%", "`105%` 不在 0% 至 100% 之间"),
            (
                "band 2 starts at 70000.00 but band 1 ends at 60000.00; bands must be contiguous",
                "第 2 段自 70000.00 起，而第 1 段止于 60000.00；各段须首尾相接",
            ),
            (
                "policy year 1925 is outside 2000..=2100",
                "政策年度 1925 超出 2000 至 2100 的范围",
            ),
            (
                "`12-32` is not a day of the year (write MM-DD, e.g. \"12-30\")",
                "`12-32` 不是一年中的某一天（应写作 `MM-DD`，如 `12-30`）",
            ),
            (
                "unknown variant `half-up`, expected one of `half_even`, `down`",
                "未知取值 `half-up`（应为 `half_even`、`down` 之一）",
            ),
            ("missing field `rules`", "缺少字段 `rules`"),
            (
                "something new",
                "该值无法读取（读取器的说明：`something new`）",
            ),
        ] {
            assert_eq!(decoded_zh(message), zh, "{message}");
        }
    }
}
