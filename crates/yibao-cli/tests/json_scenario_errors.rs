//! A JSON scenario's error names the line and column of the value at fault, however deep it
//! sits (the column is the value's last character, as serde_json reports it).

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used)]

use std::process::Command;

const SCENARIO: &str = r#"{
  "jurisdiction": "huaian",
  "year": 2026,
  "person": {"id": "X"},
  "claims": [
    {"date": "2026-03-10", "kind": "inpatient", "level": "level_3", "amount": "100"},
    {"date": "DATE",
     "kind": "inpatient",
     "level": "LEVEL",
     "amount": "AMOUNT"}
  ]
}
"#;

/// (placeholder, wrong value, where the error is, what it says)
const CASES: [(&str, &str, &str, &str); 3] = [
    (
        "LEVEL",
        "level_9",
        ":9:23: unknown variant `level_9`",
        "claims[1].level",
    ),
    (
        "AMOUNT",
        "1x0",
        ":10:20: `1x0` is not an amount",
        "claims[1].amount",
    ),
    (
        "DATE",
        "2026-02-30",
        ":7:25: 2026-02-30 does not exist",
        "claims[1].date",
    ),
];

#[test]
fn a_wrong_value_deep_in_a_json_scenario_is_named_at_its_line_and_column() {
    let dir = tempfile::tempdir().expect("a scratch directory");
    for (placeholder, wrong, at, path) in CASES {
        let mut text = SCENARIO
            .replace("DATE", "2026-03-11")
            .replace("LEVEL", "level_3")
            .replace("AMOUNT", "100");
        let right = match placeholder {
            "DATE" => "\"2026-03-11\"",
            "LEVEL" => "\"level_3\",\n     \"amount\"",
            _ => "\"100\"}",
        };
        let wrong_text = match placeholder {
            "LEVEL" => format!("\"{wrong}\",\n     \"amount\""),
            "AMOUNT" => format!("\"{wrong}\"}}"),
            _ => format!("\"{wrong}\""),
        };
        // The second claim's value only: the first claim keeps its own.
        let at_second = text
            .find("{\"date\": \"2026-03-11\"")
            .expect("the second claim");
        let (head, tail) = text.split_at(at_second);
        text = format!("{head}{}", tail.replacen(right, &wrong_text, 1));
        let file = dir.path().join(format!("{placeholder}.json"));
        std::fs::write(&file, &text).expect("written");
        let out = Command::new(env!("CARGO_BIN_EXE_yibao"))
            .arg("settle")
            .arg(&file)
            .output()
            .expect("the binary runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{placeholder}: {stderr}");
        let expected = format!("{}{at}", file.display());
        assert!(
            stderr.contains(&expected),
            "{placeholder}: `{expected}` not in {stderr}"
        );
        assert!(
            stderr.contains(&format!("(at `{path}`)")),
            "{placeholder}: {stderr}"
        );
    }
}
