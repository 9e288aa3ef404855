//! The scenario parser (TOML and JSON) on arbitrary text, then the settlement of whatever
//! parses: no panic.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use yibao::policy::{PolicyFiles, PolicyLibrary};
use yibao::scenario::{ScenarioFile, ScenarioFormat};

fn library() -> &'static PolicyLibrary {
    static LIBRARY: OnceLock<PolicyLibrary> = OnceLock::new();
    LIBRARY.get_or_init(|| match PolicyLibrary::load(&PolicyFiles::embedded()) {
        Ok(library) => library,
        Err(e) => panic!("the embedded policy data must load: {e}"),
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for format in [ScenarioFormat::Toml, ScenarioFormat::Json] {
        if let Ok(file) = ScenarioFile::parse("fuzz", text, format) {
            if let Err(e) = yibao::settle::settle(library(), &file.scenario) {
                // Errors point into the file; locating them must not panic either.
                let _ = file.positions.locate(&e.path());
            }
        }
    }
});
