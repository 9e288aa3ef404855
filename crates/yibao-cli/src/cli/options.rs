//! The options shared by several commands, each defined once and flattened into the commands
//! it affects (and only those, so that a command's help lists what it honours):
//!
//! | option | commands |
//! |---|---|
//! | `--policy-dir DIR` ([`PolicyDirArg`]) | every command that reads the policy data |
//! | `--format table\|json\|csv` and `--lang` ([`AnswerOutput`]) | the commands that print an answer: `cover`, `contribution`, `filing`, `catastrophic`, `decide …`, `deadline …`, `policies …` |
//! | `--format table\|json\|csv\|nhsa\|fhir` and `--lang` ([`SettleOutput`]) | `settle` |
//! | `--lang` alone ([`LangArg`]) | `batch` (its summary and refusals; its files are the same in every language), `test` (its report and refusal), `serve` (its own refusals) |
//!
//! `batch` writes its own files (CSV, Parquet, Arrow), `test` reports as a test runner,
//! `serve` answers over HTTP: none of them takes `--format`; `serve`'s `--lang` is the
//! language of its own refusals (its answers say every message in both: `message_zh`).
//! A value a command cannot honour (`policies list --format nhsa`) is refused by the
//! argument parser, exit 1.
//!
//! The options are `global` so that a command with subcommands (`decide`, `deadline`,
//! `policies`) takes them after its subcommand too (`yibao decide refund … --format json`);
//! on a command without subcommands that changes nothing.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::Failure;
use super::output::{Format, Lang, Out};

/// `--policy-dir DIR`.
#[derive(Clone, Debug, Args)]
pub(crate) struct PolicyDirArg {
    /// Use an edited copy of policy-data/ instead of the embedded data (checked first).
    #[arg(long, global = true, value_name = "DIR")]
    policy_dir: Option<PathBuf>,
}

impl PolicyDirArg {
    /// The directory given after the command's name, else before it.
    pub(crate) fn dir(self, before: &Before) -> Option<PathBuf> {
        self.policy_dir.or_else(|| before.policy_dir.clone())
    }
}

/// `--lang`.
#[derive(Clone, Copy, Debug, Args)]
pub(crate) struct LangArg {
    /// Language of labels and texts (JSON and CSV keep their English field names) [default:
    /// en].
    #[arg(long, global = true, value_enum)]
    lang: Option<Lang>,
}

impl LangArg {
    /// The language asked for after the command's name, else before it; English by default.
    pub(crate) fn or(self, before: &Before) -> Lang {
        self.lang.or(before.lang).unwrap_or(Lang::En)
    }
}

/// The formats of an answer printed as rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum AnswerFormat {
    /// Readable tables.
    Table,
    /// JSON, amounts as strings with 2 decimals.
    Json,
    /// CSV with a header row.
    Csv,
}

impl From<AnswerFormat> for Format {
    fn from(format: AnswerFormat) -> Format {
        match format {
            AnswerFormat::Table => Format::Table,
            AnswerFormat::Json => Format::Json,
            AnswerFormat::Csv => Format::Csv,
        }
    }
}

/// `--format table|json|csv` and `--lang`: how an answer is printed.
#[derive(Clone, Copy, Debug, Args)]
pub(crate) struct AnswerOutput {
    /// Output format [default: table].
    #[arg(long, global = true, value_enum)]
    format: Option<AnswerFormat>,
    #[command(flatten)]
    lang: LangArg,
}

impl AnswerOutput {
    /// The language asked for (`--lang`), whatever the format.
    pub(crate) fn lang(self, before: &Before) -> Lang {
        self.lang.or(before)
    }

    /// How to print; a settlement's own form given before the command's name is refused.
    pub(crate) fn out(self, before: &Before) -> Result<Out, Failure> {
        let format = match (self.format, before.format) {
            (Some(format), _) => format.into(),
            (None, None) => Format::Table,
            (None, Some(format @ (Format::Table | Format::Json | Format::Csv))) => format,
            (None, Some(format)) => {
                let name = format
                    .to_possible_value()
                    .map(|v| v.get_name().to_owned())
                    .unwrap_or_default();
                return Err(Failure::refused(
                    format!(
                        "--format {name} is a settlement's form: it applies to `settle` only (use table, json or csv here)"
                    ),
                    format!(
                        "--format {name} 是结算结果的输出形式：仅适用于 `settle`（此处请用 `table`、`json` 或 `csv`）"
                    ),
                ));
            }
        };
        Ok(Out {
            format,
            lang: self.lang.or(before),
        })
    }
}

/// `--format` with the settlement's own forms (`nhsa`, `fhir`) and `--lang`: how `settle`
/// prints.
#[derive(Clone, Copy, Debug, Args)]
pub(crate) struct SettleOutput {
    /// Output format [default: table].
    #[arg(long, value_enum)]
    format: Option<Format>,
    #[command(flatten)]
    lang: LangArg,
}

impl SettleOutput {
    pub(crate) fn out(self, before: &Before) -> Out {
        Out {
            format: self.format.or(before.format).unwrap_or(Format::Table),
            lang: self.lang.or(before),
        }
    }
}

/// The options as they were first given, before the command's name (`yibao --policy-dir DIR
/// settle …`): still read, so that no invocation that worked breaks, but not shown in the
/// help, and not `global` (a command's own, after its name, wins). Their ids are their own:
/// clap hands a global option's value to every command on the way by its id, and these must
/// not be taken for the command's options of the same name.
#[derive(Clone, Debug, Args)]
pub(crate) struct Before {
    #[arg(long = "policy-dir", id = "policy_dir_before", hide = true)]
    policy_dir: Option<PathBuf>,
    #[arg(long = "format", id = "format_before", hide = true, value_enum)]
    format: Option<Format>,
    #[arg(long = "lang", id = "lang_before", hide = true, value_enum)]
    lang: Option<Lang>,
}
