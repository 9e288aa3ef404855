//! `policies show` and `policies diff` with `--lang zh`: each key of the policy data named in
//! Chinese, the key itself kept after it in brackets as its id. The values are the data's
//! own (machine words, rule ids, the data's English readings), as JSON and CSV write them:
//! so these snapshots are not among the zh snapshots the workspace scans for English words;
//! that every key of the shipped data has its label is tested in `cli/policy_keys.rs`.

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
