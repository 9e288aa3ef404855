//! A refused input said in both languages: the engine's errors each have a `zh()` beside
//! their `Display` ([`InChinese`], the engine's, names them), and [`Failure::of`] keeps both, so that
//! `--lang zh` prints the Chinese and English stays the default, byte for byte.
//!
//! An argument's value refused while the arguments are read ([`ValueError`], the value
//! parsers' error) is printed by clap in its own English frame (`error: invalid value …`);
//! with `--lang zh` among the arguments, [`in_chinese`] says it in Chinese instead, as
//! `usage_zh` says clap's own usage errors (an argument missing, unknown or in conflict, a
//! value not among the choices).

use std::fmt;

use yibao::core::{DateError, Word};

use super::Failure;

pub(crate) use yibao::InChinese;

impl InChinese for ValueError {
    fn zh(&self) -> String {
        ValueError::zh(self)
    }
}

impl Failure {
    /// The input refused by `e`, in both languages.
    pub(crate) fn of(e: &impl InChinese) -> Failure {
        Failure::refused(e, e.zh())
    }

    /// Arguments that do not make sense together, in both languages (exit 2).
    pub(crate) fn misused(en: &str, zh: &str) -> Failure {
        Failure::Misused(yibao::core::Said::new(en.to_owned(), zh.to_owned()))
    }

    /// The value of `option` refused by `e`: `--burden: …`, `--burden：…`.
    pub(crate) fn of_option(option: &str, e: &impl InChinese) -> Failure {
        Failure::refused(format!("{option}: {e}"), format!("{option}：{}", e.zh()))
    }

    /// [`Failure::of`] with the known word nearest to a mistyped one, when there is one.
    pub(crate) fn with_nearest(
        option: Option<&str>,
        e: &impl InChinese,
        nearest: Option<&str>,
    ) -> Failure {
        let (en, zh) = match option {
            Some(option) => (format!("{option}: {e}"), format!("{option}：{}", e.zh())),
            None => (e.to_string(), e.zh()),
        };
        match nearest {
            None => Failure::refused(en, zh),
            Some(word) => Failure::refused(
                format!("{en}; did you mean `{word}`?"),
                format!("{zh}；是否应为 `{word}`？"),
            ),
        }
    }
}

impl Failure {
    /// A file that could not be read: `cannot read PATH: why`, the why in Chinese where the
    /// system's reason has a Chinese name (a missing file, a directory, no permission).
    pub(crate) fn unreadable(path: &str, e: &std::io::Error) -> Failure {
        Failure::unreadable_named(path, &format!(" `{path}`"), e)
    }

    /// [`Failure::unreadable`] of an input named `en` in English, `zh` in Chinese (standard
    /// input, 标准输入).
    pub(crate) fn unreadable_named(en: &str, zh: &str, e: &std::io::Error) -> Failure {
        let why = match e.kind() {
            std::io::ErrorKind::PermissionDenied => "没有读取权限".to_owned(),
            _ => io_reason_zh(e),
        };
        Failure::File(yibao::core::Said::new(
            format!("cannot read {en}: {e}"),
            format!("无法读取{zh}：{why}"),
        ))
    }

    /// The answer could not be written: `cannot write the output: why`, the why in Chinese
    /// where the system's reason has a Chinese name (a full disk, no permission).
    pub(crate) fn unwritable(e: &std::io::Error) -> Failure {
        Failure::File(yibao::core::Said::new(
            format!("cannot write the output: {e}"),
            format!("无法写出结果：{}", write_reason_zh(e)),
        ))
    }

    /// A file that could not be written: `cannot write PATH: why`, the why in Chinese where
    /// the system's reason has a Chinese name.
    pub(crate) fn unwritable_file(path: &str, e: &std::io::Error) -> Failure {
        Failure::cannot_write(path, e, &write_reason_zh(e))
    }

    /// `cannot write PATH: why` with the why given in both languages.
    pub(crate) fn cannot_write(path: &str, en: &dyn fmt::Display, zh: &str) -> Failure {
        Failure::File(yibao::core::Said::new(
            format!("cannot write {path}: {en}"),
            format!("无法写入 `{path}`：{zh}"),
        ))
    }
}

/// The system's reason for a failed read or write in Chinese where it has a Chinese name (a
/// missing file, a directory, a full disk), else as the system gives it.
pub(crate) fn io_reason_zh(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "文件不存在".to_owned(),
        ErrorKind::PermissionDenied => "没有权限".to_owned(),
        ErrorKind::IsADirectory => "这是一个目录，不是文件".to_owned(),
        ErrorKind::StorageFull => "磁盘已满".to_owned(),
        _ => e.to_string(),
    }
}

/// [`io_reason_zh`] of a write: no permission is 没有写入权限.
fn write_reason_zh(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "没有写入权限".to_owned(),
        _ => io_reason_zh(e),
    }
}

/// Why an argument's value was refused while the arguments were read.
#[derive(Debug)]
pub(crate) enum ValueError {
    /// Not a date, or not a day of the calendar.
    Date(DateError),
    /// Not one of a word's names.
    Word {
        /// The names it may take.
        names: &'static [&'static str],
    },
    /// An existing enrolment not written `PLACE:SCHEME:STATUS`.
    NotPlaceSchemeStatus,
    /// An existing enrolment with an empty place.
    EmptyPlace,
    /// One part (`scheme`, `status`) of an existing enrolment is not a known word.
    Part {
        /// Which part.
        part: &'static str,
        /// The names it may take.
        names: &'static [&'static str],
    },
    /// Not one of the formats of a table (`--input-format`, `--output-format`).
    TableFormat {
        /// The formats' names.
        names: &'static [&'static str],
    },
    /// Not a number of worker threads from 1 to `max` (`--threads`).
    Threads {
        /// The most threads.
        max: usize,
    },
}

impl ValueError {
    /// The value as a word `W` names it.
    pub(crate) fn word<W: Word>(text: &str) -> Result<W, ValueError> {
        W::from_name(text).ok_or(ValueError::Word { names: W::NAMES })
    }

    /// A date written `YYYY-MM-DD`.
    pub(crate) fn date(text: &str) -> Result<yibao::core::NaiveDate, ValueError> {
        yibao::core::parse_date(text).map_err(ValueError::Date)
    }

    fn zh(&self) -> String {
        match self {
            ValueError::Date(e) => e.zh(),
            ValueError::Word { names } => format!("应为 {} 之一", yibao::core::in_words_zh(names)),
            ValueError::NotPlaceSchemeStatus => {
                "应写作 地区:险种:状态，如 `kunshan:resident:active`".to_owned()
            }
            ValueError::EmptyPlace => "地区为空：应写作 地区:险种:状态".to_owned(),
            ValueError::Part { part, names } => {
                let part = if *part == "scheme" {
                    "险种"
                } else {
                    "状态"
                };
                format!("{part}：应为 {} 之一", yibao::core::in_words_zh(names))
            }
            ValueError::TableFormat { names } => {
                format!("格式应为 {} 之一", yibao::core::in_words_zh(names))
            }
            ValueError::Threads { max } => format!("工作线程数应为 1 至 {max} 的整数"),
        }
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueError::Date(e) => write!(f, "{e}"),
            ValueError::Word { names } => {
                write!(f, "expected {}", yibao::core::in_words(names))
            }
            ValueError::NotPlaceSchemeStatus => {
                f.write_str("write PLACE:SCHEME:STATUS, e.g. kunshan:resident:active")
            }
            ValueError::EmptyPlace => f.write_str("the place is empty: write PLACE:SCHEME:STATUS"),
            ValueError::Part { part, names } => {
                write!(f, "{part}: expected {}", yibao::core::in_words(names))
            }
            ValueError::TableFormat { names } => write!(f, "the formats are {}", names.join(", ")),
            ValueError::Threads { max } => {
                write!(f, "the worker threads are a whole number from 1 to {max}")
            }
        }
    }
}

impl std::error::Error for ValueError {}

/// Whether the arguments ask for Chinese (`--lang zh` or `--lang=zh`), read before they
/// are parsed: a value refused while they are parsed is then said in Chinese.
pub(crate) fn zh_asked() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.windows(2).any(|w| w[0] == "--lang" && w[1] == "zh")
        || args.iter().any(|a| a == "--lang=zh")
}

/// A value refused by one of the value parsers, in Chinese: `yibao: --filed-on 的值
/// `2021-02-30` 无效：日历上没有 2021-02-30 这一天`.
pub(crate) fn in_chinese(error: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    let value_error = std::error::Error::source(error)?.downcast_ref::<ValueError>()?;
    let text = |kind| match error.get(kind) {
        Some(ContextValue::String(text)) => Some(text.as_str()),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg)?;
    let option = arg.split_whitespace().next().unwrap_or(arg);
    let value = text(ContextKind::InvalidValue)?;
    Some(format!(
        "yibao: {option} 的值 `{value}` 无效：{}\n",
        value_error.zh()
    ))
}
