//! The policy loader with one file of the embedded data replaced by arbitrary text: no
//! panic; a refusal is a report. The first byte chooses the file: the embedded `.toml` and
//! `.json` files in path order, the one at `first byte % count`. The seeds, one per file,
//! are written by `cargo xtask fuzz --write-seeds`, which chooses alike.

#![no_main]

use libfuzzer_sys::fuzz_target;
use yibao::policy::{PolicyFiles, PolicyLibrary};

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut files = PolicyFiles::embedded();
    let paths: Vec<String> = files
        .iter()
        .map(|(path, _)| path.to_owned())
        .filter(|path| path.ends_with(".toml") || path.ends_with(".json"))
        .collect();
    let Some(path) = paths.get(usize::from(choice) % paths.len().max(1)) else {
        return;
    };
    files.insert(path.clone(), text);
    let _ = PolicyLibrary::load(&files);
});
