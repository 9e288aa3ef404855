//! The batch reader on arbitrary bytes: no panic; every physical line after the header ends
//! in exactly one row of the per-claim output or of the errors output, a blank line in
//! neither; where no person is split the file read as whole lines gives exactly what the CSV
//! reader gives; and a batch presuming ascending persons either stops on a person out of
//! order or gives exactly what the batch after a first pass gives.

#![no_main]

use std::cell::RefCell;
use std::num::NonZeroUsize;
use std::sync::OnceLock;

use csv_core::ReadRecordResult;
use libfuzzer_sys::fuzz_target;
use yibao_batch::{self as batch, BatchError, BatchOptions, Contiguity, Sinks};
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

/// The first run's workers when the input is cut into blocks: two, so that the ordering
/// machinery (blocks settled out of order, written in order) runs too. Otherwise, and in the
/// runs compared with the first, one: a second worker would have no block to settle, and
/// what those runs check is the reading, not the ordering.
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
    // Blocks of whole lines are cut only in a file known to hold no split person (otherwise
    // a block holds 1,024 rows, more than an input has).
    let workers = if whole_lines && data.len() > BLOCK_BYTES.get() {
        TWO_WORKERS
    } else {
        NonZeroUsize::MIN
    };
    let (summary, output, errors) = run(&contiguity, workers);
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
        let (presumed, presumed_output, presumed_errors) =
            run(&Contiguity::Ascending, NonZeroUsize::MIN);
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
        let (streamed, streamed_output, streamed_errors) =
            run(&Contiguity::Streaming, NonZeroUsize::MIN);
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

/// The `line` column (the first) of every row of a CSV output after its header; every row
/// has as many fields as the header. The CSV reader (its state machine, long to build) is
/// built once and reset for each output (a copy of it would not do: csv_core copies only
/// part of its state machine).
fn line_column(output: &[u8], what: &str) -> Vec<u64> {
    thread_local! {
        static READER: RefCell<csv_core::Reader> = RefCell::new(csv_core::Reader::new());
    }
    READER.with_borrow_mut(|reader| {
        reader.reset();
        line_column_with(reader, output, what)
    })
}

fn line_column_with(reader: &mut csv_core::Reader, output: &[u8], what: &str) -> Vec<u64> {
    let (mut input, mut record, mut ends) = (output, vec![0; output.len() + 1], vec![0; 16]);
    let (mut record_at, mut ends_at) = (0, 0);
    let (mut header, mut lines) = (None, Vec::new());
    loop {
        let (result, read, wrote, ended) =
            reader.read_record(input, &mut record[record_at..], &mut ends[ends_at..]);
        input = &input[read..];
        record_at += wrote;
        ends_at += ended;
        match result {
            ReadRecordResult::InputEmpty => {}
            ReadRecordResult::OutputFull => record.resize(record.len() * 2, 0),
            ReadRecordResult::OutputEndsFull => ends.resize(ends.len() * 2, 0),
            ReadRecordResult::Record => {
                let fields = std::mem::take(&mut ends_at);
                let first = &record[..ends[0]];
                record_at = 0;
                match header {
                    None => header = Some(fields),
                    Some(width) => {
                        assert_eq!(
                            fields, width,
                            "a row of the {what} must have as many fields as its header"
                        );
                        let line = std::str::from_utf8(first).ok();
                        match line.and_then(|text| text.parse().ok()) {
                            Some(line) => lines.push(line),
                            None => panic!(
                                "a row of the {what} must start with its line: {:?}",
                                String::from_utf8_lossy(first)
                            ),
                        }
                    }
                }
            }
            ReadRecordResult::End => return lines,
        }
    }
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
