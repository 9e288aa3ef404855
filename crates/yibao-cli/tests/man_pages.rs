//! `yibao --help` says what the tool does for its user, and the man pages (`cargo xtask man`,
//! through the hidden `yibao man-pages`) are written: `yibao.1` names every command, and
//! every command and subcommand has its page.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used)]

use std::process::Command;

fn yibao(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_yibao"))
        .args(args)
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(0), "{args:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The commands `--help` lists (`help` aside).
fn commands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_help_says_what_the_tool_does_for_its_user() {
    let help = yibao(&["--help"]);
    for says in [
        "billing clerk or an analyst",
        "what the basic fund, catastrophic insurance",
        "Examples:",
        "yibao settle examples/huaian-2026-inpatient.toml --explain",
        "3  the policy data failed its checks",
    ] {
        assert!(help.contains(says), "`{says}` not in:\n{help}");
    }
    assert!(!help.contains("over the facade"), "{help}");
    let short = yibao(&["-h"]);
    assert!(short.contains("figure by figure"), "{short}");
}

#[test]
fn the_man_pages_name_every_command() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    yibao(&["man-pages", "--out", &dir.path().display().to_string()]);
    let main = std::fs::read_to_string(dir.path().join("yibao.1")).expect("yibao.1");
    assert!(main.contains("figure by figure"), "{main}");
    let top = commands(&yibao(&["--help"]));
    assert!(top.len() >= 13, "{top:?}");
    for command in &top {
        assert!(
            main.contains(&format!("yibao\\-{command}(1)")),
            "yibao.1 does not name {command}"
        );
        let page = dir.path().join(format!("yibao-{command}.1"));
        assert!(page.exists(), "no page {}", page.display());
        // Each subcommand of a command has its page too.
        for sub in commands(&yibao(&[command, "--help"])) {
            let page = dir.path().join(format!("yibao-{command}-{sub}.1"));
            let text = std::fs::read_to_string(&page).expect("the subcommand's page");
            // roff writes a hyphen `\-`.
            let named = format!("yibao {command} {sub}").replace('-', "\\-");
            assert!(text.contains(&named), "{}: {named}", page.display());
        }
    }
    // The hidden command that writes them has no page.
    assert!(!dir.path().join("yibao-man-pages.1").exists());
}
