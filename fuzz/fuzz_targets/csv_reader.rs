//! The batch reader on arbitrary bytes: no panic, every row is accounted for, where no
//! person is split the file read as whole lines gives exactly what the CSV reader gives, and
//! a batch presuming ascending persons either stops on a person out of order or gives
//! exactly what the batch after a first pass gives.

#![no_main]

use std::num::NonZeroUsize;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use yibao::batch::{self, BatchError, BatchOptions, Contiguity, Sinks};
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
    let whole_lines = matches!(&split, Ok(split) if split.is_empty());
    let contiguity = match split {
        Ok(split) => Contiguity::Known(split),
        Err(_) => Contiguity::Streaming,
    };
    let run = |contiguity: &Contiguity| {
        let (mut output, mut errors) = (Vec::new(), Vec::new());
        let sinks = Sinks {
            output: &mut output,
            errors: &mut errors,
            per_claim: None,
        };
        let summary = batch::run(library(), &options, data, contiguity, sinks, &mut |_| {});
        (summary, output, errors)
    };
    let (summary, output, errors) = run(&contiguity);
    if let Ok(summary) = &summary {
        assert_eq!(
            summary.rows_in,
            summary.rows_settled + summary.rows_in_error,
            "rows must reconcile"
        );
        assert!(summary.money_reconciles(), "money must reconcile");
    }
    if let Contiguity::Known(_) = &contiguity {
        let (presumed, presumed_output, presumed_errors) = run(&Contiguity::Ascending);
        match (&summary, &presumed) {
            (_, Err(BatchError::NotAscending { .. })) => {}
            (Ok(a), Ok(b)) => {
                assert_eq!(
                    (a.rows_in, a.rows_settled, a.rows_in_error, a.split_persons),
                    (b.rows_in, b.rows_settled, b.rows_in_error, b.split_persons),
                    "a presumption that holds must count the same rows"
                );
                assert_eq!(output, presumed_output, "and settle alike");
                assert_eq!(errors, presumed_errors, "and refuse alike");
            }
            (a, b) => assert_eq!(a.is_ok(), b.is_ok(), "both must agree to run"),
        }
    }
    if whole_lines {
        // No person comes back: the stream, read by the CSV reader, refuses nothing more.
        let (streamed, streamed_output, streamed_errors) = run(&Contiguity::Streaming);
        assert_eq!(summary.is_ok(), streamed.is_ok(), "both paths must agree to run");
        if let (Ok(a), Ok(b)) = (&summary, &streamed) {
            assert_eq!(
                (a.rows_in, a.rows_settled, a.rows_in_error),
                (b.rows_in, b.rows_settled, b.rows_in_error),
                "both paths must count the same rows"
            );
        }
        assert_eq!(output, streamed_output, "both paths must settle alike");
        assert_eq!(errors, streamed_errors, "both paths must refuse alike");
    }
});
