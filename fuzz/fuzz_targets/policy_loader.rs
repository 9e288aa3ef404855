//! The policy loader with one file of the embedded data replaced by arbitrary text: no
//! panic; a refusal is a report. The first byte chooses the file: the embedded `.toml` and
//! `.json` files in path order, the one at `first byte % count`. The seeds, one per file,
//! are written by `cargo xtask fuzz --write-seeds`, which chooses alike.
//!
//! The embedded data is analysed once; each input is the analysis with the one file read
//! again and only what depends on it rebuilt (`PolicyAnalysis::with_file_replaced`, which
//! gives what `PolicyLibrary::load` of the changed files gives: a test of the crate holds it
//! to that for every policy file).

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use yibao::policy::{PolicyAnalysis, PolicyFiles};

/// The analysis of the embedded data, and the files an input may replace.
fn base() -> &'static (PolicyAnalysis, Vec<String>) {
    static BASE: OnceLock<(PolicyAnalysis, Vec<String>)> = OnceLock::new();
    BASE.get_or_init(|| {
        let files = PolicyFiles::embedded();
        let paths = files
            .iter()
            .map(|(path, _)| path.to_owned())
            .filter(|path| path.ends_with(".toml") || path.ends_with(".json"))
            .collect();
        (PolicyAnalysis::new(&files), paths)
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let (analysis, paths) = base();
    let Some(path) = paths.get(usize::from(choice) % paths.len().max(1)) else {
        return;
    };
    let _ = analysis.with_file_replaced(path, text).into_library();
});
