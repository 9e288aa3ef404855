//! `cargo xtask man [--out DIR]`: the man pages of the `yibao` command, `yibao.1` and one per
//! command and subcommand. The pages are rendered by the command itself (`yibao man-pages`,
//! hidden, with `clap_mangen`) from its clap definition, so this crate needs neither the
//! CLI's code nor another dependency; it builds the command and runs it.

use std::path::Path;

use crate::flags::ManArgs;

pub(crate) fn run(args: &ManArgs) -> Result<(), String> {
    let mut build = crate::cargo();
    build.args(["build", "--package", "yibao-cli", "--bin", "yibao"]);
    crate::run_step("cargo build -p yibao-cli", build)?;
    let binary = Path::new("target").join("debug").join("yibao");
    let mut pages = std::process::Command::new(&binary);
    pages.arg("man-pages").arg("--out").arg(&args.out);
    crate::run_step(
        &format!("yibao man-pages --out {}", args.out.display()),
        pages,
    )
}
