//! The fault suite of `yibao batch` and the CLI: what a run does to the files around it when
//! the arguments clash, the run fails, a disk fills, the process is killed, the input changes
//! while read or standard output's reader goes away. Outputs never clobber: a failed or
//! killed run leaves every file at a target path as it was, and at most a temporary whose
//! name says it is incomplete.
//!
//! Each test works in a scratch directory of its own and compares the directory's files,
//! byte for byte, before and after.

// Test code: a failed expect is a failed test with its message.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const HEADER: &str = "person_id,category,family_doctor,continuity_years,zero_claim_prev,date,kind,hospital_level,amount";

/// What the name of an unfinished output contains.
const INCOMPLETE: &str = "yibao-incomplete";

/// A claims file of `rows` persons in ascending order, one inpatient claim each, from
/// person number `from`.
fn claims_from(from: usize, rows: usize, header: bool) -> String {
    let mut text = String::with_capacity(rows * 64);
    if header {
        text.push_str(HEADER);
        text.push('\n');
    }
    for i in from..from + rows {
        writeln!(
            text,
            "P{i:08},ordinary,false,2,false,2026-01-05,inpatient,1,1300"
        )
        .unwrap();
    }
    text
}

fn claims(rows: usize) -> String {
    claims_from(0, rows, true)
}

/// A fresh scratch directory for one test.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("yibao-faults-{test}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_str().unwrap().to_owned()
}

/// Every entry of a directory: name → bytes (a symbolic link → `link to TARGET`, anything
/// else but a file → `not a file`, never opened: a named pipe would block).
fn entries(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            let kind = entry.file_type().unwrap();
            let bytes = if kind.is_symlink() {
                format!("link to {}", fs::read_link(entry.path()).unwrap().display()).into_bytes()
            } else if kind.is_file() {
                fs::read(entry.path()).unwrap()
            } else {
                b"not a file".to_vec()
            };
            (name, bytes)
        })
        .collect()
}

/// Fails, naming the files that differ, when a directory's files are not as they were.
fn assert_untouched(before: &BTreeMap<String, Vec<u8>>, dir: &Path, case: &str) {
    let after = entries(dir);
    let differ: Vec<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|name| before.get(*name) != after.get(*name))
        .collect();
    assert!(
        differ.is_empty(),
        "{case}: these files changed, appeared or vanished: {differ:?}"
    );
}

/// The names of the unfinished outputs in `dir`.
fn incomplete(dir: &Path) -> Vec<String> {
    entries(dir)
        .into_keys()
        .filter(|name| name.contains(INCOMPLETE))
        .collect()
}

fn yibao() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yibao"))
}

/// `yibao batch` for huaian 2026 with `args`, standard input empty.
fn batch(args: &[&str]) -> Output {
    yibao()
        .args(["batch", "--jurisdiction", "huaian", "--year", "2026"])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The names an output flag can give the input by: the path itself, a symbolic link to it,
/// a hard link to it.
#[derive(Clone, Copy, Debug)]
enum Alias {
    SamePath,
    Symlink,
    HardLink,
}

#[cfg(unix)]
#[test]
fn an_output_that_is_the_input_by_path_symlink_or_hard_link_is_a_usage_error_and_touches_nothing() {
    let dir = scratch("same-as-input");
    let input = path(&dir, "claims.csv");
    fs::write(&input, claims(3)).unwrap();
    std::os::unix::fs::symlink("claims.csv", dir.join("symlink.csv")).unwrap();
    fs::hard_link(&input, dir.join("hardlink.csv")).unwrap();
    fs::write(dir.join("results.csv"), "old results\n").unwrap();
    let before = entries(&dir);
    for flag in ["--output", "--errors", "--per-claim"] {
        for alias in [Alias::SamePath, Alias::Symlink, Alias::HardLink] {
            let clash = match alias {
                Alias::SamePath => input.clone(),
                Alias::Symlink => path(&dir, "symlink.csv"),
                Alias::HardLink => path(&dir, "hardlink.csv"),
            };
            let mut args = vec!["--input", &input];
            if flag != "--output" {
                args.extend(["--output", "-"]);
            }
            args.extend([flag, &clash]);
            let out = batch(&args);
            let stderr = text(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{flag} {alias:?}: {stderr}");
            assert!(
                stderr.contains(&format!(
                    "--input {input} and {flag} {clash} are the same file"
                )),
                "{flag} {alias:?}: {stderr}"
            );
            assert!(out.stdout.is_empty(), "{flag} {alias:?}");
            assert_untouched(&before, &dir, &format!("{flag} {alias:?}"));
        }
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn two_outputs_naming_one_file_are_a_usage_error_and_touch_nothing() {
    let dir = scratch("two-outputs");
    let input = path(&dir, "claims.csv");
    fs::write(&input, claims(3)).unwrap();
    let results = path(&dir, "results.csv");
    fs::write(&results, "old results\n").unwrap();
    std::os::unix::fs::symlink("results.csv", dir.join("results-link.csv")).unwrap();
    let new = path(&dir, "new.csv");
    let new_spelled_otherwise = format!("{}/./new.csv", dir.display());
    let link = path(&dir, "results-link.csv");
    let before = entries(&dir);
    // (arguments, the two paths named in the message)
    let cases: [(Vec<&str>, &str); 4] = [
        (
            vec!["--output", &results, "--errors", &results],
            "--output {results} and --errors {results}",
        ),
        (
            vec!["--output", &results, "--per-claim", &link],
            "--output {results} and --per-claim {link}",
        ),
        (
            vec![
                "--output",
                "-",
                "--errors",
                &new,
                "--per-claim",
                &new_spelled_otherwise,
            ],
            "--errors {new} and --per-claim {new_spelled_otherwise}",
        ),
        (
            vec!["--output", "-", "--per-claim", "-"],
            "--output - and --per-claim - would both write standard output",
        ),
    ];
    for (args, named) in cases {
        let named = named
            .replace("{results}", &results)
            .replace("{link}", &link)
            .replace("{new_spelled_otherwise}", &new_spelled_otherwise)
            .replace("{new}", &new);
        let mut all = vec!["--input", input.as_str()];
        all.extend(args.iter().copied());
        let out = batch(&all);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(&named), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert_untouched(&before, &dir, &format!("{args:?}"));
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_run_refused_before_it_ends_leaves_old_outputs_untouched_and_no_temporary() {
    let dir = scratch("refused");
    let input = path(&dir, "claims.csv");
    fs::write(&input, claims(3)).unwrap();
    let bad_header = path(&dir, "bad-header.csv");
    fs::write(&bad_header, "person_id,colour\nA,red\n").unwrap();
    let (results, errors, per_claim) = (
        path(&dir, "results.csv"),
        path(&dir, "errors.csv"),
        path(&dir, "per-claim.csv"),
    );
    for (file, old) in [
        (&results, "old results\n"),
        (&errors, "old errors\n"),
        (&per_claim, "old per claim\n"),
    ] {
        fs::write(file, old).unwrap();
    }
    let before = entries(&dir);
    // (jurisdiction, year, input, what the refusal says)
    let cases = [
        ("nowhere", "2026", &input, "unknown jurisdiction `nowhere`"),
        ("huaian", "2019", &input, "has no huaian book for 2019"),
        ("huaian", "2026", &bad_header, "unknown column `colour`"),
        // Standard input: the header is read only once the outputs are open.
        ("huaian", "2026", &"-".to_owned(), "unknown column `colour`"),
    ];
    for (jurisdiction, year, input, says) in cases {
        let mut child = yibao()
            .args(["batch", "--jurisdiction", jurisdiction, "--year", year])
            .args(["--input", input, "--output", &results])
            .args(["--errors", &errors, "--per-claim", &per_claim])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // A closed pipe only means the run refused before reading standard input.
        let _ = child
            .stdin
            .take()
            .unwrap()
            .write_all(b"person_id,colour\nA,red\n");
        let out = child.wait_with_output().unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{jurisdiction} {year} {input}: {stderr}"
        );
        assert!(
            stderr.contains(says),
            "{jurisdiction} {year} {input}: {stderr}"
        );
        assert_untouched(&before, &dir, &format!("{jurisdiction} {year} {input}"));
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_write_error_mid_run_fails_with_exit_4_and_leaves_the_other_outputs_untouched() {
    let full = Path::new("/dev/full");
    if !full.exists() {
        eprintln!("skipped: this system has no /dev/full to fail writes");
        return;
    }
    let dir = scratch("dev-full");
    // 20,000 persons: about 560 KB of results, more than the output's buffer, so the
    // error comes mid-run, not at the last flush.
    let input = path(&dir, "claims.csv");
    fs::write(&input, claims(20_000)).unwrap();
    let (errors, per_claim) = (path(&dir, "errors.csv"), path(&dir, "per-claim.csv"));
    fs::write(&errors, "old errors\n").unwrap();
    fs::write(&per_claim, "old per claim\n").unwrap();
    let before = entries(&dir);
    let out = batch(&[
        "--input",
        &input,
        "--output",
        "/dev/full",
        "--errors",
        &errors,
        "--per-claim",
        &per_claim,
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("cannot write the output"), "{stderr}");
    assert!(!stderr.contains("batch summary"), "{stderr}");
    assert_untouched(&before, &dir, "--output /dev/full");

    // The same run to a file succeeds, replaces the old outputs, and leaves no temporary.
    let results = path(&dir, "results.csv");
    let out = batch(&[
        "--input",
        &input,
        "--output",
        &results,
        "--errors",
        &errors,
        "--per-claim",
        &per_claim,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        fs::read_to_string(&results).unwrap().lines().count(),
        20_001
    );
    assert_eq!(
        fs::read_to_string(&errors).unwrap(),
        "line,person_id,column,reason\n"
    );
    assert_eq!(
        fs::read_to_string(&per_claim).unwrap().lines().count(),
        20_001
    );
    assert_eq!(incomplete(&dir), Vec::<String>::new());
    fs::remove_dir_all(&dir).unwrap();
}

/// A small tmpfs, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// `None` where mounting is not allowed (not root, no `mount`, a container without the
    /// capability).
    fn mount(at: PathBuf, size: &str) -> Option<Tmpfs> {
        fs::create_dir_all(&at).ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&at)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if mounted {
            Some(Tmpfs(at))
        } else {
            let _ = fs::remove_dir(&at);
            None
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
        let _ = fs::remove_dir(&self.0);
    }
}

#[test]
fn a_full_disk_mid_run_fails_with_exit_4_and_leaves_the_old_results_and_no_temporary() {
    let dir = scratch("full-disk");
    let Some(disk) = Tmpfs::mount(dir.join("disk"), "256k") else {
        eprintln!("skipped: mounting a small tmpfs is not allowed here");
        fs::remove_dir_all(&dir).unwrap();
        return;
    };
    // About 560 KB of results for a 256 KiB disk.
    let input = path(&dir, "claims.csv");
    fs::write(&input, claims(20_000)).unwrap();
    let results = path(&disk.0, "results.csv");
    fs::write(&results, "old results\n").unwrap();
    let before = entries(&disk.0);
    let out = batch(&["--input", &input, "--output", &results]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert_untouched(&before, &disk.0, "a full disk");
    drop(disk);
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_run_killed_mid_way_leaves_the_old_outputs_and_at_most_incomplete_temporaries() {
    let dir = scratch("killed");
    let (results, errors, per_claim) = (
        path(&dir, "results.csv"),
        path(&dir, "errors.csv"),
        path(&dir, "per-claim.csv"),
    );
    fs::write(&results, "old results\n").unwrap();
    fs::write(&errors, "old errors\n").unwrap();
    let before = entries(&dir);
    let mut child = yibao()
        .args([
            "batch",
            "--jurisdiction",
            "huaian",
            "--year",
            "2026",
            "--input",
            "-",
        ])
        .args([
            "--output",
            &results,
            "--errors",
            &errors,
            "--per-claim",
            &per_claim,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // 300,000 claims on standard input, which stays open: the run cannot end before the
    // kill, whatever the speed of the machine.
    let mut stdin = child.stdin.take().unwrap();
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(claims(300_000).as_bytes());
        stdin
    });
    // Mid-way: the run has written results somewhere (or clobbered the old ones).
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let now = entries(&dir);
        let written = now
            .iter()
            .any(|(name, bytes)| name.contains(INCOMPLETE) && !bytes.is_empty());
        if written || now.get("results.csv") != before.get("results.csv") {
            break;
        }
        assert!(Instant::now() < deadline, "the run wrote nothing in 120 s");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    drop(feeder.join());
    let after = entries(&dir);
    for (name, bytes) in &before {
        assert_eq!(after.get(name), Some(bytes), "{name} changed");
    }
    let left: Vec<&String> = after
        .keys()
        .filter(|name| !before.contains_key(*name))
        .collect();
    assert!(
        left.iter()
            .all(|name| name.starts_with('.') && name.contains(INCOMPLETE)),
        "a killed run left files that do not say they are incomplete: {left:?}"
    );
    assert!(left.len() <= 3, "{left:?}");
    fs::remove_dir_all(&dir).unwrap();
}

/// How the input is changed while the batch reads it.
#[derive(Clone, Copy, Debug)]
enum Change {
    /// Cut at a line boundary, two thirds in.
    Truncated,
    /// Rows appended.
    Grown,
}

/// Runs the batch on a 150,000-row file (9 MB) with its output into a named pipe this test
/// reads: once the first results come out, the batch has opened the file, and it cannot be
/// more than a few megabytes into it (its pipe, its output buffer and its chunks in flight
/// are bounded), so the change lands while it reads, every time.
#[cfg(unix)]
fn run_while_the_input_changes(change: Change) {
    let dir = scratch(&format!("changed-{change:?}"));
    let fifo = dir.join("results.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|status| status.success()) {
        eprintln!("skipped: mkfifo is not available here");
        fs::remove_dir_all(&dir).unwrap();
        return;
    }
    let input = path(&dir, "claims.csv");
    let rows = 150_000;
    let written = claims(rows);
    fs::write(&input, &written).unwrap();
    let errors = path(&dir, "errors.csv");
    fs::write(&errors, "old errors\n").unwrap();
    let child = yibao()
        .args([
            "batch",
            "--jurisdiction",
            "huaian",
            "--year",
            "2026",
            "--threads",
            "1",
        ])
        .args([
            "--input",
            &input,
            "--output",
            fifo.to_str().unwrap(),
            "--errors",
            &errors,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut results = BufReader::new(fs::File::open(&fifo).unwrap());
    let mut first = String::new();
    results.read_line(&mut first).unwrap();
    assert_eq!(first, format!("{}\n", yibao_batch::OUTPUT_HEADER));
    match change {
        Change::Truncated => {
            let line = written.len() / rows;
            let cut = (HEADER.len() + 1 + (rows * 2 / 3) * line) as u64;
            fs::OpenOptions::new()
                .write(true)
                .open(&input)
                .unwrap()
                .set_len(cut)
                .unwrap();
        }
        Change::Grown => {
            fs::OpenOptions::new()
                .append(true)
                .open(&input)
                .unwrap()
                .write_all(claims_from(rows, 1_000, false).as_bytes())
                .unwrap();
        }
    }
    let mut rest = Vec::new();
    results.read_to_end(&mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{change:?}: {stderr}");
    let what = match change {
        Change::Truncated => "(it was cut short)",
        Change::Grown => "(it grew)",
    };
    assert!(
        stderr.contains(&format!("{input} changed while it was read {what}")),
        "{change:?}: {stderr}"
    );
    assert!(!stderr.contains("batch summary"), "{change:?}: {stderr}");
    assert_eq!(fs::read_to_string(&errors).unwrap(), "old errors\n");
    assert_eq!(incomplete(&dir), Vec::<String>::new());
    fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn an_input_truncated_while_read_fails_the_run_with_exit_1() {
    run_while_the_input_changes(Change::Truncated);
}

#[cfg(unix)]
#[test]
fn an_input_grown_while_read_fails_the_run_with_exit_1() {
    run_while_the_input_changes(Change::Grown);
}

#[test]
fn threads_out_of_bounds_are_refused_before_anything_runs() {
    let dir = scratch("threads");
    let input = path(&dir, "claims.csv");
    fs::write(&input, claims(3)).unwrap();
    for threads in ["257", "1000000", "0", "many"] {
        let out = batch(&["--input", &input, "--output", "-", "--threads", threads]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "--threads {threads}: {stderr}");
        assert!(
            stderr.contains("from 1 to 256"),
            "--threads {threads}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "--threads {threads}");
    }
    for threads in ["1", "256"] {
        let out = batch(&["--input", &input, "--output", "-", "--threads", threads]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "--threads {threads}: {}",
            text(&out.stderr)
        );
    }
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_batch_whose_standard_output_is_closed_after_one_line_ends_quietly_with_exit_0() {
    let dir = scratch("broken-pipe-batch");
    let input = path(&dir, "claims.csv");
    // About 560 KB of results, more than the output buffer and the pipe hold.
    fs::write(&input, claims(20_000)).unwrap();
    let errors = path(&dir, "errors.csv");
    fs::write(&errors, "old errors\n").unwrap();
    let mut child = yibao()
        .args(["batch", "--jurisdiction", "huaian", "--year", "2026"])
        .args(["--input", &input, "--output", "-", "--errors", &errors])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // `| head -1`: one line read, then the pipe closed.
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first, format!("{}\n", yibao_batch::OUTPUT_HEADER));
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "", "a closed pipe ends quietly");
    // The run did not end: the errors file is not replaced.
    assert_eq!(fs::read_to_string(&errors).unwrap(), "old errors\n");
    assert_eq!(incomplete(&dir), Vec::<String>::new());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn every_command_whose_standard_output_is_closed_ends_quietly_with_exit_0() {
    let scenario = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/huaian-2026-inpatient.toml"
    );
    let commands: [&[&str]; 4] = [
        &["completions", "bash"],
        &["settle", scenario],
        &["policies", "show", "huaian", "2026"],
        &["schema", "scenario"],
    ];
    for args in commands {
        // The reader is gone before the command writes anything: every write fails.
        let mut child = yibao()
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        assert_eq!(text(&out.stderr), "", "{args:?}");
    }
}

// ---- The same guarantees for Parquet and Arrow IPC ----

/// CSV text as a file of `format` (through the batch's table writer: amounts
/// `Decimal128(18, 2)`, dates `Date32`, the rest text).
fn write_table(path: &str, csv: &str, format: yibao_batch::TableFormat) {
    let file = fs::File::create(path).unwrap();
    let mut table = yibao_batch::TableWriter::new(std::io::BufWriter::new(file), format);
    table.write_all(csv.as_bytes()).unwrap();
    table.finish().unwrap();
}

#[test]
fn a_table_run_refused_leaves_old_outputs_untouched_and_a_good_one_replaces_them() {
    use yibao_batch::TableFormat;
    let dir = scratch("tables-refused");
    let input = path(&dir, "claims.parquet");
    write_table(&input, &claims(3), TableFormat::Parquet);
    let bad_header = path(&dir, "bad-header.arrow");
    write_table(&bad_header, "person_id,colour\nA,red\n", TableFormat::Arrow);
    let truncated = path(&dir, "truncated.parquet");
    let bytes = fs::read(&input).unwrap();
    fs::write(&truncated, &bytes[..bytes.len() - 8]).unwrap();
    let not_parquet = path(&dir, "not-parquet.parquet");
    fs::write(&not_parquet, claims(3)).unwrap();
    let (results, errors, per_claim) = (
        path(&dir, "results.parquet"),
        path(&dir, "errors.arrow"),
        path(&dir, "per-claim.arrows"),
    );
    for (file, old) in [
        (&results, "old results\n"),
        (&errors, "old errors\n"),
        (&per_claim, "old per claim\n"),
    ] {
        fs::write(file, old).unwrap();
    }
    let before = entries(&dir);
    // (input, exit code, what the refusal says)
    let cases = [
        (&bad_header, 1, "unknown column `colour`"),
        (&truncated, 4, "not a readable Parquet file"),
        (&not_parquet, 4, "not a readable Parquet file"),
    ];
    for (input, code, says) in cases {
        let out = batch(&[
            "--input",
            input,
            "--output",
            &results,
            "--errors",
            &errors,
            "--per-claim",
            &per_claim,
        ]);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{input}: {stderr}");
        assert!(stderr.contains(says), "{input}: {stderr}");
        assert_untouched(&before, &dir, input);
    }
    // A good run replaces every output with a complete table, and leaves no temporary.
    let out = batch(&[
        "--input",
        &input,
        "--output",
        &results,
        "--errors",
        &errors,
        "--per-claim",
        &per_claim,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let results = fs::read(&results).unwrap();
    assert!(results.starts_with(b"PAR1") && results.ends_with(b"PAR1"));
    assert!(fs::read(&errors).unwrap().starts_with(b"ARROW1"));
    assert_eq!(incomplete(&dir), Vec::<String>::new());
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_table_run_killed_mid_way_leaves_the_old_outputs_and_no_complete_looking_table() {
    use yibao_batch::TableFormat;
    let dir = scratch("tables-killed");
    // 400,000 claims: seconds of work for the fastest build, so the kill lands mid-run.
    let input = path(&dir, "claims.parquet");
    write_table(&input, &claims(400_000), TableFormat::Parquet);
    let (results, per_claim) = (
        path(&dir, "results.parquet"),
        path(&dir, "per-claim.parquet"),
    );
    fs::write(&results, "old results\n").unwrap();
    let before = entries(&dir);
    let mut child = yibao()
        .args(["batch", "--jurisdiction", "huaian", "--year", "2026"])
        .args([
            "--input",
            &input,
            "--output",
            &results,
            "--per-claim",
            &per_claim,
        ])
        .args(["--errors", &path(&dir, "errors.parquet"), "--threads", "1"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Mid-way: some table bytes written to a temporary (or an old output clobbered).
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let now = entries(&dir);
        let written = now
            .iter()
            .any(|(name, bytes)| name.contains(INCOMPLETE) && !bytes.is_empty());
        if written || now.get("results.parquet") != before.get("results.parquet") {
            break;
        }
        assert!(Instant::now() < deadline, "the run wrote nothing in 120 s");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(!status.success(), "the run ended before the kill");
    let after = entries(&dir);
    for (name, bytes) in &before {
        assert_eq!(after.get(name), Some(bytes), "{name} changed");
    }
    for (name, bytes) in after.iter().filter(|(name, _)| !before.contains_key(*name)) {
        assert!(
            name.starts_with('.') && name.contains(INCOMPLETE),
            "a killed run left {name}, which does not say it is incomplete"
        );
        // No footer: not a Parquet file a reader would take for complete.
        assert!(!bytes.ends_with(b"PAR1"), "{name} looks complete");
    }
    fs::remove_dir_all(&dir).unwrap();
}
