//! The batch reader on arbitrary bytes: no panic; every physical line after the header ends
//! in exactly one row of the per-claim output or of the errors output, a blank line in
//! neither; where no person is split the file read as whole lines gives exactly what the CSV
//! reader gives; and a batch presuming ascending persons either stops on a person out of
//! order or gives exactly what the batch after a first pass gives.

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

/// The size of a block of whole lines: a few lines each.
const BLOCK_BYTES: NonZeroUsize = NonZeroUsize::new(256).unwrap();

/// The first run's workers: two, so that the ordering machinery (blocks settled out of order,
/// written in order) runs too. The runs compared with it have one worker each: what they
/// check is the reading, not the ordering.
const TWO_WORKERS: NonZeroUsize = NonZeroUsize::MIN.saturating_add(1);

fuzz_target!(|data: &[u8]| {
    let Ok(year) = PolicyYear::new(2026) else {
        return;
    };
    let mut options = BatchOptions::new("huaian", year);
    // Small blocks: an input of a few lines crosses block boundaries, and no run allocates
    // the 256 KiB blocks of a real file.
    options.block_bytes = BLOCK_BYTES;
    let split = batch::find_split_persons(data);
    let whole_lines = matches!(&split, Ok(split) if split.is_empty());
    let contiguity = match split {
        Ok(split) => Contiguity::Known(split),
        Err(_) => Contiguity::Streaming,
    };
    let lines = physical_lines(data);
    let run = |contiguity: &Contiguity, workers: NonZeroUsize| {
        let mut options = options.clone();
        options.threads = workers;
        let (mut output, mut errors, mut per_claim) = (Vec::new(), Vec::new(), Vec::new());
        let sinks = Sinks {
            output: &mut output,
            errors: &mut errors,
            per_claim: Some(&mut per_claim),
        };
        let summary = batch::run(library(), &options, data, contiguity, sinks, &mut |_| {});
        if summary.is_ok() {
            assert_every_line_accounted_for(&lines, &per_claim, &errors);
        }
        // The per-claim rows settle alike whenever the persons' rows do.
        output.extend_from_slice(&per_claim);
        (summary, output, errors)
    };
    let (summary, output, errors) = run(&contiguity, TWO_WORKERS);
    if let Ok(summary) = &summary {
        assert_eq!(
            summary.rows_in,
            summary.rows_settled + summary.rows_in_error,
            "rows must reconcile"
        );
        assert!(summary.money_reconciles(), "money must reconcile");
        assert!(
            summary.lines_reconcile(),
            "lines must reconcile: {} in, {} settled + {} in error + {} blank",
            summary.lines_in,
            summary.lines_settled,
            summary.lines_in_error,
            summary.lines_blank
        );
    }
    if let Contiguity::Known(_) = &contiguity {
        let (presumed, presumed_output, presumed_errors) = run(&Contiguity::Ascending, NonZeroUsize::MIN);
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
        let (streamed, streamed_output, streamed_errors) = run(&Contiguity::Streaming, NonZeroUsize::MIN);
        assert_eq!(
            summary.is_ok(),
            streamed.is_ok(),
            "both paths must agree to run"
        );
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

/// Whether each physical line of `data` is blank (no byte between its breaks), line 1 first.
/// `\n`, `\r\n` and a lone `\r` each end a line, as the batch numbers lines; the last line
/// needs no break.
fn physical_lines(data: &[u8]) -> Vec<bool> {
    let mut lines = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < data.len() {
        let break_len = match (data[i], data.get(i + 1)) {
            (b'\r', Some(b'\n')) => 2,
            (b'\n' | b'\r', _) => 1,
            _ => {
                i += 1;
                continue;
            }
        };
        lines.push(i == start);
        i += break_len;
        start = i;
    }
    if start < data.len() {
        lines.push(false);
    }
    lines
}

/// The `line` column (the first) of every row of a CSV output after its header.
fn line_column(output: &[u8], what: &str) -> Vec<u64> {
    let mut reader = csv::ReaderBuilder::new().from_reader(output);
    let mut lines = Vec::new();
    for record in reader.byte_records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => panic!("the {what} must be CSV: {e}"),
        };
        let line = record
            .get(0)
            .and_then(|field| std::str::from_utf8(field).ok());
        match line.and_then(|text| text.parse().ok()) {
            Some(line) => lines.push(line),
            None => panic!("a row of the {what} must start with its line: {record:?}"),
        }
    }
    lines
}

/// Every physical line after the header (the first line that is not blank) ends in exactly
/// one row of the per-claim output or of the errors output; a blank line, which the batch
/// skips, in neither.
fn assert_every_line_accounted_for(lines: &[bool], per_claim: &[u8], errors: &[u8]) {
    let mut ends = vec![0u32; lines.len()];
    for (what, output) in [("per-claim output", per_claim), ("errors output", errors)] {
        for line in line_column(output, what) {
            let at = usize::try_from(line).ok().and_then(|l| l.checked_sub(1));
            match at.and_then(|at| ends.get_mut(at)) {
                Some(count) => *count += 1,
                None => panic!(
                    "the {what} names line {line}, but the input has {} lines",
                    lines.len()
                ),
            }
        }
    }
    let header = lines.iter().position(|blank| !blank).unwrap_or(lines.len());
    for (at, (blank, count)) in lines.iter().zip(&ends).enumerate() {
        let line = at + 1;
        let expected = u32::from(at > header && !blank);
        assert_eq!(
            *count,
            expected,
            "line {line} ({}) ends in {count} rows of the outputs, not {expected}",
            if *blank {
                "blank"
            } else if at < header {
                "before the header"
            } else if at == header {
                "the header"
            } else {
                "not blank"
            }
        );
    }
}
