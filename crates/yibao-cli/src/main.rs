//! The `yibao` command: an analyst's questions about a person's insurance year, answered
//! clause by clause. This file only parses arguments, calls the library and prints.
//!
//! Exit codes: 0 success; 1 the input was refused (a scenario, an argument's value, a bad
//! row); 2 usage error (an argument missing, unknown or in conflict, an output that is the
//! input); 3 the policy data failed its checks; 4 a file could not be read or
//! written. A closed standard output (`yibao … | head`) ends the command quietly with exit 0,
//! as ripgrep does.

#![forbid(unsafe_code)]

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args = match cli::parse_args() {
        Ok(args) => args,
        Err(code) => return ExitCode::from(code),
    };
    let lang = args.lang();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(cli::Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(failure) => {
            eprint!("{}", failure.shown(lang));
            ExitCode::from(failure.exit_code())
        }
    }
}
