//! `policies show` and `policies diff` with `--lang zh`, one section each: each key of the
//! policy data named in Chinese, each value in Chinese (a domain word's Chinese, a reading's
//! `reading_zh`). The whole books are in `tests/zh.rs` (`zh__policies`), which the
//! workspace's zh scan reads; that every key of the shipped data has its label is tested in
//! `cli/policy_keys.rs`.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::panic)]

mod invocations;

#[test]
fn policy_keys_in_chinese() {
    insta::assert_snapshot!(invocations::table(
        "policies",
        &[
            "show huaian 2026 --section catastrophic --lang zh",
            "show kunshan 2021 --section remote_care --lang zh",
            "diff kunshan 2021 huaian 2026 --section benefits --lang zh",
        ],
    ));
}
