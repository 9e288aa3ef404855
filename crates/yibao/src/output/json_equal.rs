//! The hand-written JSON of a claim ([`claim_json`](super::claim_json),
//! [`nhsa_json`](super::nhsa_json)) against `serde_json`'s, for every claim of every
//! scenario of the test suite and of the examples, explained.

use std::ops::ControlFlow;

use crate::nhsa::MedicalAid;
use crate::policy::{PolicyFiles, PolicyLibrary};
use crate::scenario::Scenario;
use crate::settle::{ClaimReport, ClaimSink, Explain, Head, settle_streamed};

use super::indented;

/// A scenario test file, of which only the scenario is read.
#[derive(serde::Deserialize)]
struct TestFile {
    scenario: Scenario,
}

/// Compares each claim's two texts, in both formats.
struct Compare {
    scenario: String,
    psn_no: String,
    aid: MedicalAid,
    claims: usize,
    mapped: usize,
}

impl ClaimSink for Compare {
    fn head(&mut self, head: &Head<'_>) -> ControlFlow<()> {
        self.psn_no = head.person.unwrap_or_default().to_owned();
        self.aid = MedicalAid::of_class(head.catastrophic_class);
        ControlFlow::Continue(())
    }

    fn claim(&mut self, claim: &ClaimReport) -> ControlFlow<()> {
        let text = |write: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
            let mut out = Vec::new();
            write(&mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            text(&|w| super::claim_json::claim(w, claim)),
            text(&|w| indented(w, claim, 2)),
            "{}: claim {}",
            self.scenario,
            claim.index
        );
        self.claims += 1;
        if let Ok(mapped) = crate::nhsa::settlement(claim, &self.psn_no, self.aid) {
            assert_eq!(
                text(&|w| super::nhsa_json::claim(w, &mapped)),
                text(&|w| indented(w, &mapped, 1)),
                "{}: nhsa claim {}",
                self.scenario,
                claim.index
            );
            self.mapped += 1;
        }
        ControlFlow::Continue(())
    }
}

#[test]
fn every_claim_of_every_scenario_is_written_as_serde_json_writes_it() {
    let library = PolicyLibrary::load(&PolicyFiles::embedded()).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut compare = Compare {
        scenario: String::new(),
        psn_no: String::new(),
        aid: MedicalAid::NotRecipient,
        claims: 0,
        mapped: 0,
    };
    let mut scenarios = 0;
    for dir in ["tests/scenarios", "examples"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let shown = path.display().to_string();
            if !(shown.ends_with(".toml") || shown.ends_with(".json")) {
                continue;
            }
            let scenario = if dir == "examples" {
                crate::scenario::ScenarioFile::parse_owned(
                    &shown,
                    std::fs::read(&path).unwrap(),
                    crate::scenario::ScenarioFormat::of_file(&shown),
                )
                .unwrap()
                .scenario
            } else {
                // A test file: its scenario, beside the figures expected.
                let text = std::fs::read_to_string(&path).unwrap();
                toml::from_str::<TestFile>(&text).unwrap().scenario
            };
            compare.scenario = shown;
            scenarios += 1;
            // A refused scenario is compared up to its refusal.
            let _ = settle_streamed(&library, &scenario, Explain::Steps, &mut compare);
        }
    }
    // Enough claims seen that a mistake in any field would show.
    assert!(scenarios >= 60, "{scenarios} scenarios");
    assert!(compare.claims >= 100, "{} claims", compare.claims);
    assert!(compare.mapped >= 100, "{} claims mapped", compare.mapped);
}
