//! The man pages (`clap_mangen`): `yibao.1` and one page per command and subcommand
//! (`yibao-settle.1`, `yibao-decide-refund.1`, …), each from the command's clap definition, so
//! that they say what `--help` says. Written by the hidden `yibao man-pages --out DIR`, which
//! `cargo xtask man` runs.

use std::path::Path;

use super::Failure;

/// Writes the pages of `command` and of every subcommand it has into `dir`.
pub(crate) fn write(mut command: clap::Command, dir: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::Io(format!("cannot create {}: {e}", dir.display())))?;
    // Built, so that each subcommand carries the options it inherits.
    command.build();
    let mut written = Vec::new();
    pages(&command, "yibao", dir, &mut written)?;
    super::output::print(&written.join("\n"))?;
    super::output::print("\n")
}

fn pages(
    command: &clap::Command,
    name: &str,
    dir: &Path,
    written: &mut Vec<String>,
) -> Result<(), Failure> {
    // A built subcommand's display name is its path (`yibao-decide-refund`), its page's title.
    let mut text = Vec::new();
    clap_mangen::Man::new(command.clone())
        .render(&mut text)
        .map_err(|e| Failure::Io(format!("cannot render the page of {name}: {e}")))?;
    let path = dir.join(format!("{name}.1"));
    std::fs::write(&path, text)
        .map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))?;
    written.push(path.display().to_string());
    for sub in command.get_subcommands() {
        if sub.is_hide_set() || sub.get_name() == "help" {
            continue;
        }
        pages(sub, &format!("{name}-{}", sub.get_name()), dir, written)?;
    }
    Ok(())
}
