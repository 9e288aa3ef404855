//! The batch reader on arbitrary bytes: no panic, and every row is accounted for.

#![no_main]

use std::num::NonZeroUsize;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use yibao::batch::{self, BatchOptions, Contiguity, Sinks};
use yibao::core::PolicyYear;
use yibao::policy::{PolicyFiles, PolicyLibrary};

fn library() -> &'static PolicyLibrary {
    static LIBRARY: OnceLock<PolicyLibrary> = OnceLock::new();
    LIBRARY.get_or_init(|| match PolicyLibrary::load(&PolicyFiles::embedded()) {
        Ok(library) => library,
        Err(e) => panic!("the embedded policy data must load: {e}"),
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(year) = PolicyYear::new(2026) else {
        return;
    };
    let mut options = BatchOptions::new("huaian", year);
    // Two workers, so that the ordering machinery runs too.
    options.threads = NonZeroUsize::MIN.saturating_add(1);
    let split = batch::find_split_persons(data);
    let contiguity = match split {
        Ok(split) => Contiguity::Known(split),
        Err(_) => Contiguity::Streaming,
    };
    let (mut output, mut errors) = (Vec::new(), Vec::new());
    let sinks = Sinks {
        output: &mut output,
        errors: &mut errors,
        per_claim: None,
    };
    if let Ok(summary) = batch::run(library(), &options, data, &contiguity, sinks, &mut |_| {}) {
        assert_eq!(
            summary.rows_in,
            summary.rows_settled + summary.rows_in_error,
            "rows must reconcile"
        );
        assert!(summary.money_reconciles(), "money must reconcile");
    }
});
