//! What the tables of invocations share: one run of the binary shown as a reader sees it
//! (the command, what it printed, its exit code), and a scenario of the suite written as a
//! scenario file of its own.

#![allow(dead_code)] // each test file uses its part

use std::path::{Path, PathBuf};
use std::process::Command;

pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// `yibao <command> <args>` run from the project's root, shown as `$ yibao …`, then its
/// standard output and error (with `hide` replaced by `[dir]`) and `[exit N]`.
pub fn shown(command: &str, args: &[&str], label: &str, hide: Option<&Path>) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_yibao"))
        .arg(command)
        .args(args)
        .current_dir(ROOT)
        .output()
        .expect("the binary runs");
    let text = format!(
        "$ yibao {command} {label}\n{}{}[exit {}]\n\n",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        out.status.code().unwrap_or(-1)
    );
    let text = digest_hidden(&text);
    match hide {
        Some(dir) => text.replace(&dir.display().to_string(), "[dir]"),
        None => text,
    }
}

/// Every case of a table run as `yibao <command> <case>`, one after the other.
pub fn table(command: &str, cases: &[&str]) -> String {
    cases
        .iter()
        .map(|case| shown(command, &case.split(' ').collect::<Vec<_>>(), case, None))
        .collect()
}

/// The `[scenario]` of `tests/scenarios/<name>.toml` written as `<dir>/<name>.toml`.
pub fn scenario_file(name: &str, dir: &Path) -> PathBuf {
    let text =
        std::fs::read_to_string(Path::new(ROOT).join(format!("tests/scenarios/{name}.toml")))
            .expect("the scenario test file");
    let test: toml::Table = toml::from_str(&text).expect("TOML");
    let scenario =
        toml::to_string(test.get("scenario").expect("a [scenario] table")).expect("TOML");
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, scenario).expect("written");
    path
}

/// `text` with the policy data's digest of each JSON envelope (`"sha256": "…"`) replaced by
/// `[digest]` after checking it is 64 hex digits: the snapshots hold the answers, not the
/// data's bytes, which change with any edit of the data.
pub fn digest_hidden(text: &str) -> String {
    const KEY: &str = "\"sha256\": \"";
    let mut hidden = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(KEY) {
        let (before, after) = rest.split_at(at + KEY.len());
        hidden.push_str(before);
        let digest = after.get(..64).unwrap_or_default();
        assert!(
            digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit()),
            "a digest of 64 hex digits: {after:.70}"
        );
        hidden.push_str("[digest]");
        rest = &after[64..];
    }
    hidden.push_str(rest);
    hidden
}
