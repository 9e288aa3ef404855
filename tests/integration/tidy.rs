//! The layering of the workspace, checked (ARCHITECTURE.md, "Invariants of the layout"):
//!
//! 1. `yibao-core` depends on no other yibao crate; a domain crate depends on `yibao-core`
//!    only, never on another domain crate or on the facade.
//! 2. No library crate (core, domains, facade, batch) depends on a CLI or terminal crate,
//!    not even through its dependencies' normal dependencies.
//! 3. A library crate's source reads no file, prints nothing, reads no environment and
//!    starts no process, outside the I/O places ARCHITECTURE.md names ([`IO_PLACES`]).
//!
//! A crate's direct dependencies are read from `cargo metadata`, what it reaches from `cargo
//! tree -p` (its own features, as a downstream project compiles it); the sources line by
//! line, comments and `#[cfg(test)]` items left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The workspace root.
const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// The vocabulary crate.
const CORE: &str = "yibao-core";

/// The domain crates.
const DOMAINS: [&str; 4] = [
    "yibao-enrolment",
    "yibao-benefits",
    "yibao-catastrophic",
    "yibao-filing",
];

/// Every library crate: the vocabulary, the domains, the facade and the batch.
const LIBRARIES: [&str; 7] = [
    CORE,
    "yibao-enrolment",
    "yibao-benefits",
    "yibao-catastrophic",
    "yibao-filing",
    "yibao",
    "yibao-batch",
];

/// Crates of a command line or a terminal, which only front ends (`yibao-cli`) may use.
const FRONT_END_ONLY: [&str; 4] = ["clap", "clap_complete", "comfy-table", "indicatif"];

/// Crates of a language binding, which only the binding (`yibao-py`) may use: the CPython
/// API, its FFI and the Arrow C data interface over it.
const BINDING_ONLY: [&str; 3] = ["pyo3", "pyo3-ffi", "pyo3-arrow"];

/// The crates that are not the binding: the libraries, the CLI and the HTTP service.
const NOT_THE_BINDING: [&str; 9] = [
    CORE,
    "yibao-enrolment",
    "yibao-benefits",
    "yibao-catastrophic",
    "yibao-filing",
    "yibao",
    "yibao-batch",
    "yibao-cli",
    "yibao-server",
];

/// Crates of an HTTP service, which only `yibao-server` and the CLI that starts it may use.
const SERVER_ONLY: [&str; 5] = ["axum", "tokio", "hyper", "tower", "tower-http"];

/// The files of the library crates that may read files, print, read the environment or
/// start a process, each with why. ARCHITECTURE.md ("Invariants of the layout") names the
/// same files: change both together.
const IO_PLACES: [(&str, &str); 6] = [
    (
        "crates/yibao/src/policy/files.rs",
        "the policy loader reads a policy directory, and embeds the shipped one",
    ),
    (
        "crates/yibao-batch/src/first_pass.rs",
        "the batch's first pass opens a claims file in parts",
    ),
    (
        "crates/yibao-batch/src/readers.rs",
        "the batch's readers (the header check of a file)",
    ),
    (
        "crates/yibao-batch/src/persons_table_file.rs",
        "the batch's persons table opened by its path (CSV, Parquet or Arrow IPC)",
    ),
    (
        "crates/yibao-batch/src/summary.rs",
        "the batch's summary reads its own peak memory (/proc/self/status)",
    ),
    (
        "crates/yibao-core/src/strategies.rs",
        "test support behind the `proptest` feature: the case count from PROPTEST_CASES",
    ),
];

/// What a library's source may not use outside [`IO_PLACES`].
const IO_WORDS: [&str; 9] = [
    "std::fs",
    "File::",
    "println!",
    "eprintln!",
    "print!",
    "eprint!",
    "std::env",
    "std::process",
    "env::var",
];

/// Every workspace package by name, with its normal (not dev, not build) dependencies by
/// name, and the normal dependencies of every package of the resolved graph.
struct Graph {
    /// Package id → name.
    names: BTreeMap<String, String>,
    /// Package id → ids of its normal dependencies.
    normal: BTreeMap<String, Vec<String>>,
    /// Workspace package name → id.
    members: BTreeMap<String, String>,
}

fn metadata() -> Graph {
    let cargo = option_env!("CARGO").unwrap_or("cargo");
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(ROOT)
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value: Value = serde_json::from_slice(&output.stdout).expect("cargo metadata is JSON");
    let mut names = BTreeMap::new();
    for package in value["packages"].as_array().expect("packages") {
        names.insert(
            package["id"].as_str().expect("id").to_owned(),
            package["name"].as_str().expect("name").to_owned(),
        );
    }
    let members = value["workspace_members"]
        .as_array()
        .expect("workspace_members")
        .iter()
        .map(|id| {
            let id = id.as_str().expect("member id").to_owned();
            (names[&id].clone(), id)
        })
        .collect();
    let mut normal = BTreeMap::new();
    for node in value["resolve"]["nodes"].as_array().expect("resolve nodes") {
        let deps = node["deps"]
            .as_array()
            .expect("deps")
            .iter()
            .filter(|dep| {
                dep["dep_kinds"]
                    .as_array()
                    .expect("dep_kinds")
                    .iter()
                    .any(|kind| kind["kind"].is_null())
            })
            .map(|dep| dep["pkg"].as_str().expect("pkg").to_owned())
            .collect();
        normal.insert(node["id"].as_str().expect("node id").to_owned(), deps);
    }
    Graph {
        names,
        normal,
        members,
    }
}

impl Graph {
    /// The names of a workspace package's direct normal dependencies.
    fn direct(&self, package: &str) -> BTreeSet<&str> {
        let id = &self.members[package];
        self.normal[id]
            .iter()
            .map(|dep| self.names[dep].as_str())
            .collect()
    }
}

/// The names of every package a workspace package reaches through normal dependencies,
/// with the features that package turns on itself (`cargo tree -p PACKAGE -e normal`): what
/// a downstream project compiles when it depends on it. `cargo metadata` unifies features
/// over the whole workspace, so there a feature one crate asks of a shared dependency (the
/// Python binding's `arrow-cast/prettyprint`, which brings `comfy-table`) would seem to be
/// every crate's.
fn reached(package: &str) -> BTreeSet<String> {
    let cargo = option_env!("CARGO").unwrap_or("cargo");
    let output = Command::new(cargo)
        .args([
            "tree", "--locked", "-e", "normal", "--prefix", "none", "--format", "{p}", "-p",
        ])
        .arg(package)
        .current_dir(ROOT)
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "cargo tree -p {package} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .skip(1)
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// The layering broken by the dependencies, one line each.
fn dependency_violations(graph: &Graph) -> Vec<String> {
    let mut found = Vec::new();
    for dep in graph.direct(CORE) {
        if dep.starts_with("yibao") {
            found.push(format!(
                "{CORE} depends on {dep}: it depends on no yibao crate"
            ));
        }
    }
    for domain in DOMAINS {
        for dep in graph.direct(domain) {
            if dep.starts_with("yibao") && dep != CORE {
                found.push(format!(
                    "{domain} depends on {dep}: a domain crate depends on {CORE} only"
                ));
            }
        }
    }
    for library in LIBRARIES {
        let reached = reached(library);
        for front in FRONT_END_ONLY {
            if reached.contains(front) {
                found.push(format!(
                    "{library} depends on {front}: a library crate compiles without any CLI or terminal crate"
                ));
            }
        }
        for server in SERVER_ONLY {
            if reached.contains(server) {
                found.push(format!(
                    "{library} depends on {server}: only yibao-server and the CLI serve HTTP"
                ));
            }
        }
    }
    for package in NOT_THE_BINDING {
        let reached = reached(package);
        for binding in BINDING_ONLY {
            if reached.contains(binding) {
                found.push(format!(
                    "{package} depends on {binding}: only the Python binding (yibao-py) uses it"
                ));
            }
        }
    }
    found
}

/// The `.rs` files under a directory, sorted.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("a source directory") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The lines of a source that are code: comments and `#[cfg(test)]` items left out (an
/// item's end found by counting braces, which is enough for this workspace's test modules).
/// Also the names of the test modules declared in files of their own (`#[cfg(test)] mod
/// tests;`).
fn code_lines(text: &str) -> (Vec<(usize, &str)>, Vec<&str>) {
    let mut lines = Vec::new();
    let mut test_modules = Vec::new();
    let mut skipping = false;
    let mut depth = 0_i64;
    let mut opened = false;
    for (index, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        if !skipping && code.trim() == "#[cfg(test)]" {
            skipping = true;
            depth = 0;
            opened = false;
            continue;
        }
        if skipping {
            depth += code.matches('{').count() as i64 - code.matches('}').count() as i64;
            opened |= code.contains('{');
            // An item ends at its closing brace, or at a `;` if it has no body.
            if (opened && depth <= 0) || (!opened && code.trim_end().ends_with(';')) {
                skipping = false;
                if let Some(name) = code.trim().strip_prefix("mod ") {
                    test_modules.push(name.trim_end_matches(';').trim());
                }
            }
            continue;
        }
        lines.push((index + 1, code));
    }
    (lines, test_modules)
}

/// Whether `code` uses `word` as a path or macro of its own (`File::` but not
/// `ScenarioFile::`, `print!` but not `eprint!`).
fn uses(code: &str, word: &str) -> bool {
    code.match_indices(word).any(|(at, _)| {
        !code[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// The file of module `name` declared in `file`.
fn module_file(file: &Path, name: &str) -> PathBuf {
    let dir = file.parent().unwrap_or(Path::new(""));
    let stem = file.file_stem().unwrap_or_default();
    if stem == "lib" || stem == "main" || stem == "mod" {
        dir.join(format!("{name}.rs"))
    } else {
        dir.join(stem).join(format!("{name}.rs"))
    }
}

/// The uses of I/O, printing, the environment or processes outside [`IO_PLACES`].
fn io_violations() -> Vec<String> {
    let root = Path::new(ROOT);
    let allowed: BTreeSet<&str> = IO_PLACES.iter().map(|(path, _)| *path).collect();
    let mut found = Vec::new();
    for library in LIBRARIES {
        let dir = root.join("crates").join(library).join("src");
        let texts: Vec<(PathBuf, String)> = sources(&dir)
            .into_iter()
            .map(|file| {
                let text = std::fs::read_to_string(&file).expect("a readable source");
                (file, text)
            })
            .collect();
        // Test modules in files of their own are test code whole.
        let test_files: BTreeSet<PathBuf> = texts
            .iter()
            .flat_map(|(file, text)| {
                code_lines(text)
                    .1
                    .into_iter()
                    .map(|name| module_file(file, name))
            })
            .collect();
        for (file, text) in &texts {
            let relative = file
                .strip_prefix(root)
                .expect("under the root")
                .to_string_lossy()
                .replace('\\', "/");
            if allowed.contains(relative.as_str()) || test_files.contains(file) {
                continue;
            }
            for (line, code) in code_lines(text).0 {
                for word in IO_WORDS {
                    if uses(code, word) {
                        found.push(format!(
                            "{relative}:{line}: `{word}` in a library crate outside the I/O places of ARCHITECTURE.md"
                        ));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn the_crates_keep_their_layers() {
    let found = dependency_violations(&metadata());
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn library_crates_do_io_only_in_the_named_places() {
    let found = io_violations();
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn every_named_io_place_exists_and_is_in_architecture_md() {
    let architecture =
        std::fs::read_to_string(Path::new(ROOT).join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    for (path, why) in IO_PLACES {
        assert!(
            Path::new(ROOT).join(path).is_file(),
            "{path} ({why}) is not a file"
        );
        assert!(
            architecture.contains(&format!("`{path}`")),
            "ARCHITECTURE.md does not name `{path}` ({why})"
        );
    }
}

#[test]
fn test_items_and_comments_are_not_code() {
    let text = "use a;\n// std::fs in a comment\nlet b = 1; // println!\n#[cfg(test)]\nmod tests {\n    fn f() {\n        std::fs::read(\"x\");\n    }\n}\nfn g() {}\n#[cfg(test)]\nmod json_equal;\nfn h() {}\n";
    assert!(uses("let f = File::open(p);", "File::"));
    assert!(!uses("ScenarioFile::parse(f)", "File::"));
    assert!(uses("eprint!(\"x\")", "eprint!"));
    assert!(!uses("eprint!(\"x\")", "print!"));
    let (lines, test_modules) = code_lines(text);
    let lines: Vec<usize> = lines.into_iter().map(|(n, _)| n).collect();
    assert_eq!(lines, [1, 2, 3, 10, 13]);
    assert_eq!(test_modules, ["json_equal"]);
    assert_eq!(
        module_file(Path::new("src/lib.rs"), "tests"),
        Path::new("src/tests.rs")
    );
    assert_eq!(
        module_file(Path::new("src/settle.rs"), "tests"),
        Path::new("src/settle/tests.rs")
    );
}
