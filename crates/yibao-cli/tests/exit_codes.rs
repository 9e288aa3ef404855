//! The exit codes of the command line itself, as README's table gives them: help and
//! version 0, a value refused 1, a usage error 2.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used)]

use std::process::Command;

const CASES: [(&[&str], i32, &str); 7] = [
    (&["--help"], 0, "Usage:"),
    (&["settle", "--help"], 0, "Usage:"),
    (&["--version"], 0, "yibao "),
    (
        &["settle", "x.toml", "--format", "yaml"],
        1,
        "invalid value 'yaml'",
    ),
    (
        &["settle", "x.toml", "--lang", "fr"],
        1,
        "invalid value 'fr'",
    ),
    (&["settle"], 2, "required"),
    (&["no-such-command"], 2, "unrecognized subcommand"),
];

#[test]
fn help_is_0_a_refused_value_1_a_usage_error_2() {
    for (args, code, says) in CASES {
        let out = Command::new(env!("CARGO_BIN_EXE_yibao"))
            .args(args)
            .output()
            .expect("the binary runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(code), "{args:?}: {text}");
        assert!(text.contains(says), "{args:?}: `{says}` not in {text}");
    }
}
