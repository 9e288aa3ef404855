//! Argument grammar and dispatch of the `yibao` command.

mod batch;
mod batch_summary;
mod care;
mod catastrophic;
mod deadline;
mod decide;
mod explain;
mod input_file;
mod inspect;
mod json_answer;
mod layout;
mod man;
mod options;
mod output;
mod output_files;
mod policies;
mod policy_keys;
mod policy_values;
mod reform_args;
mod refusal;
mod same_file;
mod schema;
mod serve;
mod settle;
mod test_files;
mod usage_zh;

use std::fmt;
use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use yibao::policy::{PolicyFiles, PolicyLibrary};

use options::{AnswerOutput, LangArg, PolicyDirArg, SettleOutput};
pub(crate) use output::Lang;

/// What the tool does, for a billing clerk or an analyst (`yibao --help`).
const ABOUT: &str = "yibao (医保): a resident's medical insurance (城乡居民医保), figure by figure: what \
the fund, catastrophic insurance and the person pay for each bill, from when a person is \
covered, what enrolment costs, what a remote-care filing is worth; each figure with the rule \
behind it";

/// `yibao --help`: the paragraph for a clerk or an analyst, and examples.
const LONG_ABOUT: &str =
    "yibao answers the questions of basic medical insurance for urban and rural \
residents (城乡居民基本医疗保险), the way a billing clerk or an analyst asks them: for one \
person's year, what the basic fund, catastrophic insurance (大病保险) and the person pay for \
each bill; from when the person is covered and why; what enrolment costs; what a remote-care \
filing (异地就医备案) is worth; by when a claim or a filing must be made; whether a refund or \
a family payment is allowed. Every amount is exact to the fen and names the rule it comes \
from; --explain adds the source's sentence behind each step. Where the sources give no \
figure, the answer says so instead of guessing. The policy data (Kunshan 2021, Huai'an 2026, \
Wujiang) is built in; --policy-dir runs on an edited copy.

Examples:
  yibao settle examples/huaian-2026-inpatient.toml --explain
      one person's year, each claim explained clause by clause
  yibao catastrophic --jurisdiction huaian --year 2026 --burden 100000
      what catastrophic insurance pays on a year's burden
  yibao batch --jurisdiction huaian --year 2026 --input claims.csv --output results.csv
      a claims file settled person by person

Each command's own options: yibao <command> --help; man pages: cargo xtask man.";

/// The `yibao` command line.
#[derive(Debug, Parser)]
#[command(
    name = "yibao",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = EXIT_CODES
)]
pub(crate) struct Args {
    #[command(flatten)]
    before: options::Before,
    #[command(subcommand)]
    command: Command,
}

const EXIT_CODES: &str = "Exit codes:
  0  success
  1  the input was refused (a scenario, an argument's value, a bad row)
  2  usage error (an argument missing, unknown or in conflict; an output that is the
     input or another output included)
  3  the policy data failed its checks
  4  a file could not be read or written
A closed standard output (`yibao … | head`) ends a command quietly with exit 0.";

#[derive(Debug, Subcommand)]
enum Command {
    /// The policy data: what is there, one book's values, two books side by side.
    Policies {
        #[command(subcommand)]
        command: PoliciesCommand,
        #[command(flatten)]
        output: AnswerOutput,
        #[command(flatten)]
        policy: PolicyDirArg,
    },
    /// Settle one person's year from a scenario file: cover, remote care, basic fund and
    /// catastrophic insurance for each claim, with totals.
    Settle {
        #[command(flatten)]
        args: settle::SettleArgs,
        #[command(flatten)]
        output: SettleOutput,
        #[command(flatten)]
        policy: PolicyDirArg,
    },
    /// Settle a claims file (CSV, one claim per row) person by person, in parallel, with
    /// every bad row in an errors file and a reconciled summary. Exits 1 when any row erred.
    Batch {
        #[command(flatten)]
        args: batch::BatchArgs,
        #[command(flatten)]
        lang: LangArg,
        #[command(flatten)]
        policy: PolicyDirArg,
    },
    /// Run scenario test files (a person-year with the figures computed by hand in
    /// `[expected]`) against the policy data, reporting every figure that differs. Exits 1
    /// when any file fails.
    Test {
        #[command(flatten)]
        args: test_files::TestArgs,
        #[command(flatten)]
        lang: LangArg,
        #[command(flatten)]
        policy: PolicyDirArg,
    },
    /// Yes-or-no questions of enrolment, each with its rule and reason: a refund (H8), a
    /// new enrolment beside existing ones (H9), a personal account paying for a relative
    /// (H10), a document's number used to pay (K12, H5).
    Decide {
        #[command(subcommand)]
        command: decide::DecideCommand,
        #[command(flatten)]
        output: AnswerOutput,
        #[command(flatten)]
        policy: PolicyDirArg,
    },
    /// The days to act by: a manual claim's deadlines (K7, W7), the day a filing's approval
    /// is due on the holiday calendar (K6, W3).
    Deadline {
        #[command(subcommand)]
        command: deadline::DeadlineCommand,
        #[command(flatten)]
        output: AnswerOutput,
        #[command(flatten)]
        policy: PolicyDirArg,
    },
    /// A person's cover for the year from a scenario's enrolment history: cover periods,
    /// waiting periods, suspensions, consecutive years.
    Cover {
        #[command(flatten)]
        args: inspect::CoverArgs,
        #[command(flatten)]
        output: AnswerOutput,
        #[command(flatten)]
        policy: PolicyDirArg,
    },
    /// What a person pays to enrol: individual part, assistance, fiscal subsidy.
    Contribution {
        #[command(flatten)]
        args: inspect::ContributionArgs,
        #[command(flatten)]
        output: AnswerOutput,
        #[command(flatten)]
        policy: PolicyDirArg,
    },
    /// Replay a scenario's filing events: each filing's state on a day, and the treatment
    /// of care at a place.
    Filing {
        #[command(flatten)]
        args: inspect::FilingArgs,
        #[command(flatten)]
        output: AnswerOutput,
        #[command(flatten)]
        policy: PolicyDirArg,
    },
    /// A year's personal burden → the catastrophic-insurance payment (大病保险), with bands,
    /// the cap in force and its raises; or --ladder for the schedules across years.
    Catastrophic {
        #[command(flatten)]
        args: catastrophic::CatastrophicArgs,
        #[command(flatten)]
        output: AnswerOutput,
        #[command(flatten)]
        policy: PolicyDirArg,
    },
    /// Serve the engine over HTTP (settle, policies, health, metrics) until SIGTERM or
    /// Ctrl-C; see /v1/openapi.json.
    Serve {
        #[command(flatten)]
        args: serve::ServeArgs,
        #[command(flatten)]
        lang: LangArg,
        #[command(flatten)]
        policy: PolicyDirArg,
    },
    /// Print the JSON Schema of an input format, or of a JSON answer (`schema output settle`).
    Schema {
        /// Which format.
        #[arg(value_enum)]
        of: SchemaOf,
        /// With `output`: which answer.
        #[arg(value_enum)]
        answer: Option<schema::Answer>,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Write the man pages (yibao.1 and one per command) into a directory; run by `cargo
    /// xtask man`.
    #[command(hide = true)]
    ManPages {
        /// The directory, created when missing.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum PoliciesCommand {
    /// Every insured place and policy year, and which sections the data gives.
    List,
    /// The values in force for one jurisdiction and year, with the level that set each.
    Show {
        /// Jurisdiction id, e.g. huaian.
        jurisdiction: String,
        /// Policy year, e.g. 2026.
        year: i64,
        /// Only this section (e.g. benefits).
        #[arg(long)]
        section: Option<String>,
    },
    /// Two jurisdiction-years side by side, e.g. `diff kunshan 2021 huaian 2026 --section benefits`;
    /// with --reform or --set, what the reform changes: `diff huaian 2026 --set …` (the
    /// second book, when given, is the one reformed).
    Diff {
        /// First jurisdiction.
        left_jurisdiction: String,
        /// First year.
        left_year: i64,
        /// Second jurisdiction (the first when omitted with a reform).
        right_jurisdiction: Option<String>,
        /// Second year.
        right_year: Option<i64>,
        /// Only this section.
        #[arg(long)]
        section: Option<String>,
        #[command(flatten)]
        reform: reform_args::ReformArgs,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum SchemaOf {
    /// The scenario of `settle`, `cover` and `filing`.
    Scenario,
    /// The claims table of `batch`: its columns, values, defaults, meanings and rules.
    Batch,
    /// A JSON answer (`--format json`), named after it: `yibao schema output settle`.
    Output,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Shell {
    Bash,
    Zsh,
    Fish,
    Elvish,
    Powershell,
}

/// Why the command failed, with its exit code.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The input was refused (exit 1), said in both languages: `--lang zh` prints the
    /// Chinese.
    Refused(yibao::core::Said),
    /// The arguments do not make sense together, e.g. an output that is the input (exit 2,
    /// as clap's own usage errors).
    Usage(String),
    /// [`Failure::Usage`] said in both languages.
    Misused(yibao::core::Said),
    /// The policy data failed its checks (exit 3): every finding, in both languages.
    Policy(yibao::core::Said),
    /// A file could not be read or written (exit 4).
    Io(String),
    /// A file could not be read or written (exit 4), said in both languages.
    File(yibao::core::Said),
    /// Standard output's reader went away (`yibao … | head`): the command ends quietly,
    /// with no message and exit 0, as ripgrep does.
    BrokenPipe,
}

impl Failure {
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Failure::BrokenPipe => 0,
            Failure::Refused(_) => 1,
            Failure::Usage(_) | Failure::Misused(_) => 2,
            Failure::Policy(_) => 3,
            Failure::Io(_) | Failure::File(_) => 4,
        }
    }
}

impl Failure {
    /// A refusal said in both languages: `what` (an error with its `zh()`) in English and
    /// Chinese.
    pub(crate) fn refused(en: impl fmt::Display, zh: String) -> Failure {
        Failure::Refused(yibao::core::Said::new(en.to_string(), zh))
    }

    /// The message in `lang` (English where no Chinese is written), as printed: `yibao: …`
    /// and a line break; nothing for a closed pipe.
    pub(crate) fn shown(&self, lang: Lang) -> String {
        let text = match self {
            Failure::Usage(m) | Failure::Io(m) => m,
            Failure::Refused(said)
            | Failure::Misused(said)
            | Failure::File(said)
            | Failure::Policy(said) => said.text(lang.into()),
            Failure::BrokenPipe => return String::new(),
        };
        format!("yibao: {}\n", text.trim_end())
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown(Lang::En))
    }
}

/// The arguments, or the exit code after clap's message: `--help` and `--version` exit 0;
/// a value refused (a word not among the choices, a date or amount that does not parse)
/// exits 1 as any refused input; an argument missing, unknown or in conflict is a usage
/// error, exit 2.
pub(crate) fn parse_args() -> Result<Args, u8> {
    use clap::error::ErrorKind;
    let error = match Args::try_parse() {
        Ok(args) => return Ok(args),
        Err(error) => error,
    };
    let code = match error.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => 0,
        ErrorKind::InvalidValue | ErrorKind::ValueValidation | ErrorKind::InvalidUtf8 => 1,
        _ => 2,
    };
    if refusal::zh_asked() {
        let zh = match error.kind() {
            ErrorKind::ValueValidation => {
                refusal::in_chinese(&error).or_else(|| usage_zh::said(&error))
            }
            _ => usage_zh::said(&error),
        };
        if let Some(text) = zh {
            eprint!("{text}");
            return Err(code);
        }
    }
    // A message that cannot be written has nowhere else to go.
    let _ = error.print();
    Err(code)
}

/// Loads the policy data: the embedded copy, or a checked directory.
pub(crate) fn library(policy_dir: Option<&PathBuf>) -> Result<PolicyLibrary, Failure> {
    policy_data(policy_dir).map(|(library, _)| library)
}

/// [`library`], and the files it was loaded from (for their digest).
pub(crate) fn policy_data(
    policy_dir: Option<&PathBuf>,
) -> Result<(PolicyLibrary, PolicyFiles), Failure> {
    let files = match policy_dir {
        None => PolicyFiles::embedded(),
        Some(dir) => PolicyFiles::from_dir(dir)
            .map_err(|e| Failure::File(yibao::core::Said::new(e.to_string(), e.zh())))?,
    };
    let library = PolicyLibrary::load(&files)
        .map_err(|e| Failure::Policy(yibao::core::Said::new(e.to_string(), e.zh())))?;
    json_answer::loaded(&library);
    Ok((library, files))
}

impl Args {
    /// The language of the answer, and of its errors: the command's `--lang`, else the one
    /// given before its name; English for the commands without `--lang`.
    pub(crate) fn lang(&self) -> Lang {
        let before = &self.before;
        match &self.command {
            Command::Settle { output, .. } => output.out(before).lang,
            Command::Policies { output, .. }
            | Command::Decide { output, .. }
            | Command::Deadline { output, .. }
            | Command::Cover { output, .. }
            | Command::Contribution { output, .. }
            | Command::Filing { output, .. }
            | Command::Catastrophic { output, .. } => output.lang(before),
            Command::Batch { lang, .. }
            | Command::Test { lang, .. }
            | Command::Serve { lang, .. } => lang.or(before),
            Command::Schema { .. } | Command::Completions { .. } | Command::ManPages { .. } => {
                Lang::En
            }
        }
    }
}

pub(crate) fn run(args: Args) -> Result<(), Failure> {
    let before = &args.before;
    match args.command {
        Command::Schema {
            of: SchemaOf::Output,
            answer,
        } => schema::print(answer),
        Command::Schema {
            answer: Some(_), ..
        } => Err(Failure::Usage(
            "only `yibao schema output` takes an answer's name".to_owned(),
        )),
        Command::Schema {
            of: SchemaOf::Scenario,
            answer: None,
        } => output::print(yibao::scenario::JSON_SCHEMA),
        Command::Schema {
            of: SchemaOf::Batch,
            answer: None,
        } => output::print(&yibao_batch::schema::text()),
        Command::Completions { shell } => completions(shell),
        Command::ManPages { out } => man::write(Args::command(), &out),
        Command::Settle {
            args,
            output,
            policy,
        } => settle::run(
            &library(policy.dir(before).as_ref())?,
            &output.out(before),
            &args,
        ),
        Command::Batch { args, lang, policy } => {
            let (library, files) = policy_data(policy.dir(before).as_ref())?;
            batch::run(&library, &files, &args, lang.or(before))
        }
        Command::Decide {
            command,
            output,
            policy,
        } => decide::run(
            &library(policy.dir(before).as_ref())?,
            &output.out(before)?,
            &command,
        ),
        Command::Deadline {
            command,
            output,
            policy,
        } => deadline::run(
            &library(policy.dir(before).as_ref())?,
            &output.out(before)?,
            &command,
        ),
        Command::Test { args, lang, policy } => test_files::run(
            &library(policy.dir(before).as_ref())?,
            &args,
            lang.or(before),
        ),
        Command::Cover {
            args,
            output,
            policy,
        } => inspect::cover(
            &library(policy.dir(before).as_ref())?,
            &output.out(before)?,
            &args,
        ),
        Command::Contribution {
            args,
            output,
            policy,
        } => inspect::contribution(
            &library(policy.dir(before).as_ref())?,
            &output.out(before)?,
            &args,
        ),
        Command::Filing {
            args,
            output,
            policy,
        } => inspect::filing(
            &library(policy.dir(before).as_ref())?,
            &output.out(before)?,
            &args,
        ),
        Command::Catastrophic {
            args,
            output,
            policy,
        } => catastrophic::run(
            &library(policy.dir(before).as_ref())?,
            &output.out(before)?,
            &args,
        ),
        Command::Serve { args, policy, .. } => {
            serve::run(library(policy.dir(before).as_ref())?, &args)
        }
        Command::Policies {
            command,
            output,
            policy,
        } => {
            let library = library(policy.dir(before).as_ref())?;
            let out = output.out(before)?;
            match command {
                PoliciesCommand::List => policies::list(&library, &out),
                PoliciesCommand::Show {
                    jurisdiction,
                    year,
                    section,
                } => policies::show(&library, &out, &jurisdiction, year, section.as_deref()),
                PoliciesCommand::Diff {
                    left_jurisdiction,
                    left_year,
                    right_jurisdiction,
                    right_year,
                    section,
                    reform,
                } => policies::diff(
                    &library,
                    &out,
                    (&left_jurisdiction, left_year),
                    right_jurisdiction.as_deref().zip(right_year),
                    section.as_deref(),
                    &reform,
                ),
            }
        }
    }
}

fn completions(shell: Shell) -> Result<(), Failure> {
    let mut command = Args::command();
    let shell = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Elvish => clap_complete::Shell::Elvish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
    };
    // Into memory first: the generator panics on a write error such as a closed pipe.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "yibao", &mut script);
    output::print(&String::from_utf8_lossy(&script))
}
