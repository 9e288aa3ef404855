//! Each command's help shows the options it honours and only those, with only the format
//! values it can write (`nhsa` and `fhir` on `settle` alone); a value a command cannot honour
//! is refused by the argument parser with exit 1; the options given before the command's
//! name, as they first were, still work.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used)]

use std::process::{Command, Output};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn yibao(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yibao"))
        .args(args)
        .current_dir(ROOT)
        .output()
        .expect("the binary runs")
}

/// What a command's help lists.
#[derive(Debug, PartialEq)]
struct Shown {
    format: Option<Vec<&'static str>>,
    lang: bool,
    policy_dir: bool,
}

const ANSWER: [&str; 3] = ["table", "json", "csv"];
const SETTLE: [&str; 5] = ["table", "json", "csv", "nhsa", "fhir"];

/// Every command, and the options its help must show.
fn cases() -> Vec<(&'static [&'static str], Shown)> {
    let answer = || Shown {
        format: Some(ANSWER.to_vec()),
        lang: true,
        policy_dir: true,
    };
    let lang_only = || Shown {
        format: None,
        lang: true,
        policy_dir: true,
    };
    let nothing = || Shown {
        format: None,
        lang: false,
        policy_dir: false,
    };
    vec![
        (
            &["settle"],
            Shown {
                format: Some(SETTLE.to_vec()),
                lang: true,
                policy_dir: true,
            },
        ),
        (&["cover"], answer()),
        (&["contribution"], answer()),
        (&["filing"], answer()),
        (&["catastrophic"], answer()),
        (&["decide", "refund"], answer()),
        (&["decide", "double-enrolment"], answer()),
        (&["decide", "family-payment"], answer()),
        (&["decide", "identity-document"], answer()),
        (&["deadline", "manual-claim"], answer()),
        (&["deadline", "approval"], answer()),
        (&["policies", "list"], answer()),
        (&["policies", "show"], answer()),
        (&["policies", "diff"], answer()),
        (&["batch"], lang_only()),
        (&["test"], lang_only()),
        (&["serve"], lang_only()),
        (&["schema"], nothing()),
        (&["completions"], nothing()),
        (&[], nothing()),
    ]
}

/// The format values listed under `--format` in a long help.
fn format_values(help: &str) -> Option<Vec<&'static str>> {
    let at = help.find("--format <FORMAT>")?;
    let section = &help[at + 1..];
    let end = section.find("\n      --").unwrap_or(section.len());
    let section = &section[..end];
    Some(
        SETTLE
            .into_iter()
            .filter(|value| section.contains(&format!("- {value}:")))
            .collect(),
    )
}

#[test]
fn each_command_shows_the_options_it_honours() {
    for (command, expected) in cases() {
        let out = yibao(&[command, &["--help"]].concat());
        assert_eq!(out.status.code(), Some(0), "{command:?}");
        let help = String::from_utf8_lossy(&out.stdout);
        // The options listed, not the words of the description.
        let options = help
            .split_once("\nOptions:")
            .map_or("", |(_, options)| options);
        let shown = Shown {
            format: format_values(options),
            lang: options.contains("--lang"),
            policy_dir: options.contains("--policy-dir"),
        };
        assert_eq!(shown, expected, "{command:?}:\n{help}");
    }
}

/// Invocations refused by the argument parser: the exit code and what the message says.
const REFUSED: &[(&[&str], i32, &str)] = &[
    (
        &["policies", "list", "--format", "nhsa"],
        1,
        "invalid value 'nhsa'",
    ),
    (
        &[
            "cover",
            "examples/huaian-2026-inpatient.toml",
            "--format",
            "fhir",
        ],
        1,
        "[possible values: table, json, csv]",
    ),
    (
        &[
            "deadline",
            "approval",
            "--jurisdiction",
            "wujiang",
            "--submitted-on",
            "2026-01-05",
            "--format",
            "nhsa",
        ],
        1,
        "invalid value 'nhsa'",
    ),
    (
        &["test", "x.toml", "--format", "json"],
        2,
        "unexpected argument '--format'",
    ),
    (
        &["test", "x.toml", "--format", "json", "--lang", "en"],
        2,
        "unexpected argument '--format'",
    ),
    // Asked in Chinese, the refusal is said in Chinese.
    (
        &["test", "x.toml", "--format", "json", "--lang", "zh"],
        2,
        "yibao: 无法识别的参数 --format",
    ),
    (
        &["schema", "scenario", "--policy-dir", "policy-data"],
        2,
        "unexpected argument '--policy-dir'",
    ),
    (
        &[
            "batch",
            "--jurisdiction",
            "huaian",
            "--year",
            "2026",
            "--input",
            "x.csv",
            "--output",
            "y.csv",
            "--format",
            "json",
        ],
        2,
        "unexpected argument '--format'",
    ),
    // Given before the command's name, a settlement's form is refused by the command.
    (
        &["--format", "nhsa", "policies", "list"],
        1,
        "applies to `settle` only",
    ),
];

#[test]
fn a_value_a_command_cannot_honour_is_refused() {
    for (args, code, says) in REFUSED {
        let out = yibao(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(*code), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: `{says}` not in {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

/// The options before the command's name, as they were first given, and after it, answer
/// the same bytes; after the name wins over before it.
#[test]
fn options_before_the_command_still_work() {
    let example = "examples/huaian-2026-inpatient.toml";
    let pairs: [(&[&str], &[&str]); 4] = [
        (
            &["--format", "json", "--lang", "zh", "settle", example],
            &["settle", example, "--format", "json", "--lang", "zh"],
        ),
        (
            &["--policy-dir", "policy-data", "cover", example],
            &["cover", example, "--policy-dir", "policy-data"],
        ),
        (
            &[
                "--lang",
                "zh",
                "deadline",
                "approval",
                "--jurisdiction",
                "wujiang",
                "--submitted-on",
                "2026-01-05",
            ],
            &[
                "deadline",
                "approval",
                "--jurisdiction",
                "wujiang",
                "--submitted-on",
                "2026-01-05",
                "--lang",
                "zh",
            ],
        ),
        (
            &["--format", "csv", "policies", "list", "--format", "json"],
            &["policies", "list", "--format", "json"],
        ),
    ];
    for (before, after) in pairs {
        let (b, a) = (yibao(before), yibao(after));
        assert_eq!(
            b.status.code(),
            Some(0),
            "{before:?}: {}",
            String::from_utf8_lossy(&b.stderr)
        );
        assert_eq!(a.status.code(), Some(0), "{after:?}");
        assert_eq!(b.stdout, a.stdout, "{before:?} against {after:?}");
    }
}
