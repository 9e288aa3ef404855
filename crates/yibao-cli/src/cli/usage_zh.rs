//! clap's own usage errors in Chinese: with `--lang zh` among the arguments, an argument
//! missing, unknown, repeated or in conflict, a value not among the choices, a subcommand
//! unknown or missing is said in Chinese from the facts clap gives with the error (the
//! argument, the value, the choices, its suggestion), not from its English sentence. A kind
//! of error clap adds later, or one without its facts, stays as clap writes it (`None`).

use clap::error::{ContextKind, ContextValue, ErrorKind};
use yibao::core::in_words_zh;

/// The error in Chinese, as printed (`yibao: …`, a hint to `--help` on its own line), or
/// `None` for a kind not said here.
pub(crate) fn said(error: &clap::Error) -> Option<String> {
    let facts = Facts(error);
    let sentence = match error.kind() {
        ErrorKind::InvalidValue => {
            let arg = facts.text(ContextKind::InvalidArg)?;
            let value = facts.text(ContextKind::InvalidValue)?;
            let mut sentence = if value.is_empty() {
                format!("{} 需要一个值，但没有给出", option(arg))
            } else {
                format!("{} 的值 `{value}` 无效", option(arg))
            };
            if let Some(valid) = facts.list(ContextKind::ValidValue) {
                sentence += &format!("：应为 {} 之一", valid);
            }
            sentence + &facts.suggestion(ContextKind::SuggestedValue)
        }
        // A value refused by one of clap's own parsers (a number); the engine's parsers'
        // refusals are said by `refusal::in_chinese`.
        ErrorKind::ValueValidation => {
            let arg = facts.text(ContextKind::InvalidArg)?;
            let value = facts.text(ContextKind::InvalidValue)?;
            let source = std::error::Error::source(error);
            let why = if source.is_some_and(|e| e.is::<std::num::ParseIntError>()) {
                "：应为整数"
            } else {
                ""
            };
            format!("{} 的值 `{value}` 无效{why}", option(arg))
        }
        ErrorKind::UnknownArgument => {
            let arg = facts.text(ContextKind::InvalidArg)?;
            format!("无法识别的参数 {}", option(arg)) + &facts.suggestion(ContextKind::SuggestedArg)
        }
        ErrorKind::InvalidSubcommand => {
            let sub = facts.text(ContextKind::InvalidSubcommand)?;
            format!("无法识别的子命令 `{sub}`")
                + &facts.suggestion(ContextKind::SuggestedSubcommand)
        }
        ErrorKind::MissingSubcommand => {
            let command = facts.text(ContextKind::InvalidSubcommand)?;
            let mut sentence = format!("`{command}` 需要一个子命令，但没有给出");
            if let Some(valid) = facts.list(ContextKind::ValidSubcommand) {
                sentence += &format!("：应为 {valid} 之一");
            }
            sentence
        }
        ErrorKind::MissingRequiredArgument => {
            let missing = facts.args(ContextKind::InvalidArg)?;
            format!("缺少必需的参数 {missing}")
        }
        ErrorKind::ArgumentConflict => conflict(&facts)?,
        ErrorKind::NoEquals => {
            let arg = facts.text(ContextKind::InvalidArg)?;
            format!("给 {} 赋值须用等号（`=`）", option(arg))
        }
        ErrorKind::TooManyValues => {
            let arg = facts.text(ContextKind::InvalidArg)?;
            let value = facts.text(ContextKind::InvalidValue)?;
            format!("{} 多出了值 `{value}`：不应再有值", option(arg))
        }
        ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            let arg = facts.text(ContextKind::InvalidArg)?;
            let given = facts.number(ContextKind::ActualNumValues)?;
            let wanted = facts
                .number(ContextKind::ExpectedNumValues)
                .or_else(|| facts.number(ContextKind::MinValues))?;
            format!("{} 需要 {wanted} 个值，给出了 {given} 个", option(arg))
        }
        _ => return None,
    };
    let command = facts.command().unwrap_or_else(command_typed);
    Some(format!(
        "yibao: {sentence}\n用 `{command} --help` 查看用法。\n"
    ))
}

/// The command typed (`yibao decide refund`): the program's name and the subcommands among
/// the arguments, found by walking clap's tree of commands, for an error whose facts carry
/// no usage line.
fn command_typed() -> String {
    use clap::CommandFactory;
    let mut command = super::Args::command();
    let mut path = vec!["yibao".to_owned()];
    for arg in std::env::args().skip(1) {
        // An option's value is no subcommand's name, nor is a leaf command's argument.
        if let Some(sub) = command.find_subcommand(&arg).cloned() {
            path.push(sub.get_name().to_owned());
            command = sub;
        }
    }
    path.join(" ")
}

/// Two arguments given together that exclude each other, or one given twice.
fn conflict(facts: &Facts) -> Option<String> {
    let arg = facts
        .text(ContextKind::InvalidArg)
        .or_else(|| facts.text(ContextKind::InvalidSubcommand))?;
    match facts.0.get(ContextKind::PriorArg) {
        Some(ContextValue::String(prior)) if prior == arg => {
            Some(format!("参数 {} 只能给出一次", option(arg)))
        }
        Some(ContextValue::String(_) | ContextValue::Strings(_)) => Some(format!(
            "参数 {} 不能与 {} 同时使用",
            option(arg),
            facts.args(ContextKind::PriorArg)?
        )),
        _ => Some(format!(
            "参数 {} 不能与已给出的其他参数同时使用",
            option(arg)
        )),
    }
}

/// The facts clap keeps with an error.
struct Facts<'e>(&'e clap::Error);

impl Facts<'_> {
    fn text(&self, kind: ContextKind) -> Option<&str> {
        match self.0.get(kind)? {
            ContextValue::String(text) => Some(text),
            _ => None,
        }
    }

    fn number(&self, kind: ContextKind) -> Option<isize> {
        match self.0.get(kind)? {
            ContextValue::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// One value or several, quoted and joined by 、.
    fn list(&self, kind: ContextKind) -> Option<String> {
        match self.0.get(kind)? {
            ContextValue::String(text) => Some(format!("`{text}`")),
            ContextValue::Strings(texts) if !texts.is_empty() => Some(in_words_zh(texts)),
            _ => None,
        }
    }

    /// Several arguments, each as [`option`] names it, joined by 、.
    fn args(&self, kind: ContextKind) -> Option<String> {
        match self.0.get(kind)? {
            ContextValue::String(arg) => Some(option(arg)),
            ContextValue::Strings(args) if !args.is_empty() => Some(
                args.iter()
                    .map(|a| option(a))
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
            _ => None,
        }
    }

    /// `；是否应为 `x`？` when clap suggests a nearest word.
    fn suggestion(&self, kind: ContextKind) -> String {
        match self.list(kind) {
            Some(nearest) => format!("；是否应为 {nearest}？"),
            None => String::new(),
        }
    }

    /// The command the usage is of (`yibao catastrophic`), read from clap's usage line: the
    /// words after `Usage:` up to the first option, argument or placeholder.
    fn command(&self) -> Option<String> {
        let usage = match self.0.get(ContextKind::Usage)? {
            ContextValue::StyledStr(usage) => usage.to_string(),
            _ => return None,
        };
        let line = usage.lines().next()?;
        let words: Vec<&str> = line
            .split_whitespace()
            .skip_while(|w| w.ends_with(':'))
            .take_while(|w| w.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
            .take_while(|w| !w.starts_with('-'))
            .collect();
        (!words.is_empty()).then(|| words.join(" "))
    }
}

/// An argument as clap names it: an option without its placeholder (`--format <FORMAT>` is
/// `--format`), a positional argument by its placeholder in backquotes (`` `<SCENARIO>` ``).
fn option(arg: &str) -> String {
    match arg.split_whitespace().next() {
        Some(name) if name.starts_with('-') => name.to_owned(),
        _ => format!("`{arg}`"),
    }
}
