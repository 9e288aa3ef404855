//! A scenario's refusal in Chinese, beside the English of [`ScenarioError`]'s `Display`: the
//! same place (`file:line:col`, the key path), what is wrong and the hint, in Chinese.
//!
//! A refusal of the readers (TOML, JSON, serde) is held as their English message: it is read
//! back into its kind here (an unknown field or value, a missing field, a syntax error), and
//! a refusal of the engine's own values (an amount, a date) is found again by reading the
//! value it quotes with the same reader, whose error then says it in Chinese.

use std::str::FromStr;

use yibao_core::{BadByte, IdentifierError, TextError, Utf16, Yuan, in_words_zh, parse_date};

use super::reading::{HINTS, ScenarioError};

impl ScenarioError {
    /// The refusal in Chinese: `file:line:col：what（位置 `key.path`）；提示：hint`.
    pub fn zh(&self) -> String {
        let hint = self.hint.as_deref().and_then(hint_zh);
        self.located_zh(&message_zh(&self.message), hint.as_deref())
    }

    /// This refusal's place with a message and hint written in Chinese elsewhere (a
    /// settlement's refusal, placed in its scenario file).
    pub fn located_zh(&self, message: &str, hint: Option<&str>) -> String {
        let mut text = String::new();
        if let Some(l) = &self.location {
            text += &format!("{}:{}:{}: ", l.file, l.line, l.column);
        }
        text += message;
        if !self.path.is_root() {
            text += &format!("（位置 `{}`）", self.path);
        }
        if let Some(hint) = hint {
            text += &format!("；提示：{hint}");
        }
        text
    }
}

/// The hint in Chinese: a fixed hint's own Chinese, a did-you-mean, or the text reader's.
fn hint_zh(hint: &str) -> Option<String> {
    if let Some(word) = hint
        .strip_prefix("did you mean `")
        .and_then(|rest| rest.strip_suffix("`?"))
    {
        return Some(format!("是否应为 `{word}`？"));
    }
    let utf16 = [Utf16::LittleEndian, Utf16::BigEndian].map(|order| TextError {
        bad: BadByte::Nul,
        offset: 0,
        line: 0,
        column: 0,
        utf16: Some(order),
    });
    HINTS
        .iter()
        .find(|term| term.en == hint)
        .map(|term| term.zh.to_owned())
        .or_else(|| {
            utf16
                .iter()
                .find(|e| e.hint().as_deref() == Some(hint))
                .and_then(TextError::hint_zh)
        })
}

/// The TOML reader's syntax errors, by the words their message starts with, in Chinese.
const SYNTAX: &[(&str, &str)] = &[
    ("unclosed table", "表头未闭合"),
    ("unclosed array", "数组未闭合"),
    ("unclosed inline table", "内联表未闭合"),
    ("invalid table header", "表头无效"),
    ("invalid string", "字符串无效"),
    ("invalid basic string", "字符串无效"),
    ("invalid literal string", "字符串无效"),
    ("invalid number", "数字无效"),
    ("invalid key", "键无效"),
    ("key with no value", "键没有值"),
    ("expected newline", "语法错误"),
];

/// The words quoted and joined by 或: `` `,` 或 `}` ``.
fn listed_or(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(" 或 ")
}

/// The words between backquotes of `text`, in order.
pub(crate) fn quoted_words(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// A reader's message (TOML, JSON, serde: an unknown field or value, a missing field, a
/// syntax error; a value of the engine refused) in Chinese, as a scenario's refusal says it:
/// for a table's cell that holds JSON, such as the persons table's `filings`.
///
/// ```
/// let e = serde_json::from_str::<Vec<u8>>("[1,").unwrap_err();
/// assert_eq!(
///     yibao::scenario::reader_message_zh(&e.to_string()),
///     "文件在此处意外结束（括号或引号未闭合）"
/// );
/// ```
pub fn reader_message_zh(message: &str) -> String {
    message_zh(message)
}

/// The reader's message in Chinese (a syntax error of a kind not named said as such).
pub(crate) fn message_zh(message: &str) -> String {
    known_message_zh(message).unwrap_or_else(|| syntax_zh(message))
}

/// The reader's message in Chinese, when it is of a kind this reads back: one of the engine's
/// own values refused, a field or value unknown or missing, a type that does not fit, a JSON
/// file ended early; `None` for any other (a syntax error).
pub(crate) fn known_message_zh(message: &str) -> Option<String> {
    if let Some(zh) = own_value_zh(message) {
        return Some(zh);
    }
    let words = quoted_words(message);
    let given = words.first().copied().unwrap_or_default();
    if message.starts_with("unknown field") {
        return Some(match words.get(1..).filter(|rest| !rest.is_empty()) {
            Some(expected) => format!("未知字段 `{given}`（应为 {} 之一）", in_words_zh(expected)),
            None => format!("未知字段 `{given}`（此处不接受任何字段）"),
        });
    }
    if message.starts_with("unknown variant") {
        let expected = words.get(1..).unwrap_or_default();
        return Some(format!(
            "未知取值 `{given}`（应为 {} 之一）",
            in_words_zh(expected)
        ));
    }
    if message.starts_with("missing field") {
        return Some(format!("缺少字段 `{given}`"));
    }
    if message.starts_with("duplicate key") || message.starts_with("duplicate field") {
        return Some(match words.first() {
            Some(key) => format!("键 `{key}` 重复出现"),
            None => "键重复出现".to_owned(),
        });
    }
    if message.starts_with("content after the end") {
        return Some("场景的 JSON 文档结束后还有其他内容".to_owned());
    }
    if message.starts_with("invalid type") {
        return Some("该值的类型不符".to_owned());
    }
    if message.contains("EOF while parsing") {
        return Some("文件在此处意外结束（括号或引号未闭合）".to_owned());
    }
    if message.contains("trailing comma") {
        return Some("此处有多余的逗号".to_owned());
    }
    if message.starts_with("expected value") {
        return Some("此处应为一个值".to_owned());
    }
    if message.starts_with("key must be a string") {
        return Some("键须为字符串".to_owned());
    }
    None
}

/// A syntax error of the readers in Chinese, by the words its message starts with.
fn syntax_zh(message: &str) -> String {
    let words = quoted_words(message);
    let what = SYNTAX
        .iter()
        .find(|(en, _)| message.starts_with(en))
        .map_or("语法错误", |(_, zh)| zh);
    if message.contains("expected") && !words.is_empty() {
        return format!("{what}：此处应为 {}", listed_or(&words));
    }
    format!("{what}：此处不符合文件格式")
}

/// A refusal of one of the engine's own values (an amount, a date, an id, the file's
/// bytes), read again from the value the message quotes: the reader's error, when it is
/// the same sentence, in Chinese.
fn own_value_zh(message: &str) -> Option<String> {
    if let Some(zh) = identifier_zh(message).or_else(|| text_zh(message)) {
        return Some(zh);
    }
    let quoted = quoted_words(message).into_iter().next();
    let first = message.split_whitespace().next();
    for value in quoted.into_iter().chain(first) {
        if let Err(e) = Yuan::from_str(value)
            && e.to_string() == message
        {
            return Some(e.zh());
        }
        if let Err(e) = parse_date(value)
            && e.to_string() == message
        {
            return Some(e.zh());
        }
    }
    None
}

/// The number after `label` in `message`.
fn number_after(message: &str, label: &str) -> Option<usize> {
    let (_, rest) = message.split_once(label)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// An id refused for its control character ([`IdentifierError`]), from its message.
fn identifier_zh(message: &str) -> Option<String> {
    let text = quoted_words(message).into_iter().next()?;
    let (_, rest) = message.split_once("holds the control character ")?;
    let code = rest.split_whitespace().next()?;
    let e = IdentifierError::ControlCharacter {
        text: text.to_owned(),
        code: code.to_owned(),
        position: number_after(message, "at character ")?,
    };
    (e.to_string() == message).then(|| e.zh())
}

/// Bytes that are not text ([`TextError`]), from the message.
fn text_zh(message: &str) -> Option<String> {
    let offset = number_after(message, "at byte offset ")?;
    let byte = message
        .split_once("the byte 0x")
        .and_then(|(_, rest)| u8::from_str_radix(rest.get(..2)?, 16).ok());
    let e = TextError {
        bad: byte.map_or(BadByte::Nul, BadByte::NotUtf8),
        offset,
        line: 0,
        column: 0,
        utf16: None,
    };
    (e.to_string() == message).then(|| e.zh())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_refusal_reads_in_chinese() {
        for (message, zh) in [
            (
                "unknown field `yaer`, expected one of `jurisdiction`, `year`",
                "未知字段 `yaer`（应为 `jurisdiction`、`year` 之一）",
            ),
            (
                "unknown variant `inpatiant`, expected `inpatient` or `emergency`",
                "未知取值 `inpatiant`（应为 `inpatient`、`emergency` 之一）",
            ),
            ("missing field `date`", "缺少字段 `date`"),
            (
                "`12,5` is not an amount in yuan (expected digits, then optionally `.` and 1 or 2 digits, e.g. 1234.56; no sign, space or separator)",
                "`12,5` 不是以元为单位的金额（应写作数字，可带小数点及 1 至 2 位小数，如 1234.56；不带符号、空格或分隔符）",
            ),
            (
                "2026-02-29 does not exist: 2026 is not a leap year",
                "日历上没有 2026-02-29 这一天",
            ),
            ("expected `,` or `}`", "语法错误：此处应为 `,` 或 `}`"),
            ("unclosed table, expected `]`", "表头未闭合：此处应为 `]`"),
            ("something else", "语法错误：此处不符合文件格式"),
        ] {
            assert_eq!(message_zh(message), zh, "{message}");
        }
    }

    #[test]
    fn every_fixed_hint_and_a_did_you_mean_read_in_chinese() {
        for hint in HINTS {
            assert_eq!(hint_zh(hint.en).as_deref(), Some(hint.zh));
        }
        assert_eq!(
            hint_zh("did you mean `inpatient`?").as_deref(),
            Some("是否应为 `inpatient`？")
        );
    }
}
