//! Reading a claims file without quotes line by line, as the CSV reader would read it.
//!
//! Where a file has no `"` at all, every line break (`\n`, `\r` or both) ends a record, an
//! empty line is no record, and every comma ends a field: a record is found with two byte
//! searches instead of the CSV reader's state machine. The batch's first pass checks the
//! order of persons this way, and the reader of a file known to hold no split person hands
//! whole lines to the workers, which split them into fields themselves. Whatever has a quote
//! is left to the CSV reader.

use std::collections::VecDeque;
use std::io::Read;
use std::ops::Range;

/// The person of one line: its `person_index`-th field, when the line has `width` fields
/// and that field is not empty (as `Layout::key` reads a CSV record).
pub(super) fn line_key(line: &[u8], width: usize, person_index: usize) -> Option<&[u8]> {
    // The field count by counting commas, then the person field. The count adds up bytes
    // in blocks of at most 255 (so that a one-byte sum cannot overflow): a loop the
    // compiler turns into vector instructions.
    let fields = 1 + line
        .chunks(255)
        .map(|block| {
            let commas = block
                .iter()
                .fold(0_u8, |n, &byte| n.wrapping_add(u8::from(byte == b',')));
            usize::from(commas)
        })
        .sum::<usize>();
    if fields != width {
        return None;
    }
    line.split(|&byte| byte == b',')
        .nth(person_index)
        .filter(|key| !key.is_empty())
}

/// Where the first line of `head` ends (at its `\n` or `\r`), when that line has no quote:
/// the header row of a file that can be read line by line. `None` when the line has a quote
/// or does not end within `head`.
pub(super) fn header_end(head: &[u8]) -> Option<usize> {
    let end = memchr::memchr2(b'\n', b'\r', head)?;
    memchr::memchr(b'"', head.get(..end)?)
        .is_none()
        .then_some(end)
}

/// Where to cut `data` (which starts at the start of a line) so that every person's rows
/// stay on one side: the start of the first line of the last person's last run of rows,
/// when another person comes before it. Lines with no person (malformed or empty) stay
/// with the person before them, as the CSV reader's chunks keep them. Only whole lines
/// count: bytes after the last line break may be the start of a longer line. `None` when
/// `data` holds no such boundary (one person only, or no line break).
pub(super) fn person_boundary(data: &[u8], width: usize, person_index: usize) -> Option<usize> {
    let mut end = memchr::memrchr2(b'\n', b'\r', data)?;
    let mut last: Option<&[u8]> = None;
    let mut cut = None;
    loop {
        let start = memchr::memrchr2(b'\n', b'\r', data.get(..end)?).map_or(0, |at| at + 1);
        let line = data.get(start..end)?;
        match (line_key(line, width, person_index), last) {
            (None, _) => {}
            (Some(key), None) => {
                last = Some(key);
                cut = Some(start);
            }
            (Some(key), Some(run)) if key == run => cut = Some(start),
            (Some(_), Some(_)) => return cut,
        }
        if start == 0 {
            return None;
        }
        end = start - 1;
    }
}

/// The line breaks in `data`: every `\n`, and every `\r` not followed by a `\n` (a `\r\n`
/// is one line break). `data` must not end between the two bytes of a `\r\n`.
pub(super) fn line_breaks(data: &[u8]) -> u64 {
    let newlines = memchr::memchr_iter(b'\n', data).count();
    let lone_returns = memchr::memchr_iter(b'\r', data)
        .filter(|&at| data.get(at + 1) != Some(&b'\n'))
        .count();
    (newlines + lone_returns) as u64
}

/// Whether the byte at `at` ends a line: a `\n`, or a `\r` not followed by a `\n`.
fn ends_line(data: &[u8], at: usize) -> bool {
    match data.get(at) {
        Some(b'\n') => true,
        Some(b'\r') => data.get(at + 1) != Some(&b'\n'),
        _ => false,
    }
}

/// A reader that notes where the line breaks are in what it passes on, so that a CSV
/// record can be given the line it starts on as an editor numbers lines (`\n`, `\r\n` and
/// a lone `\r` each end a line; a line break inside a quoted field counts too).
pub(super) struct LineBreaks<R> {
    inner: R,
    /// Bytes passed on so far.
    passed: u64,
    /// The `\r` and `\n` bytes passed on and not yet behind a record: where, whether the
    /// byte is a `\r`, and whether it ends a line (a `\r` before a `\n` does not).
    ahead: VecDeque<(u64, bool, bool)>,
    /// The line breaks behind the last record asked about.
    behind: u64,
}

impl<R> LineBreaks<R> {
    pub(super) fn new(inner: R) -> LineBreaks<R> {
        LineBreaks {
            inner,
            passed: 0,
            ahead: VecDeque::new(),
            behind: 0,
        }
    }

    /// The line a record starts on, from the byte where the CSV reader began reading it
    /// (just past the first byte of the record before's line break: the reader then skips a
    /// `\n` and any empty lines). Records must be asked about in order.
    pub(super) fn line_of_record(&mut self, begun: u64) -> u64 {
        while let Some(&(at, _, ends)) = self.ahead.front() {
            if at >= begun {
                break;
            }
            self.behind += u64::from(ends);
            self.ahead.pop_front();
        }
        // The run of line-break bytes from `begun` on: what the reader skipped.
        let skipped: u64 = (begun..)
            .zip(&self.ahead)
            .take_while(|(next, (at, _, _))| at == next)
            .map(|(_, &(_, _, ends))| u64::from(ends))
            .sum();
        1 + self.behind + skipped
    }
}

impl<R: Read> Read for LineBreaks<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        let data = buf.get(..read).unwrap_or_default();
        for at in memchr::memchr2_iter(b'\n', b'\r', data) {
            let offset = self.passed + at as u64;
            let is_return = data.get(at) == Some(&b'\r');
            if !is_return {
                if let Some(last) = self.ahead.back_mut() {
                    if last.1 && last.0 + 1 == offset {
                        last.2 = false;
                    }
                }
            }
            self.ahead.push_back((offset, is_return, true));
        }
        self.passed += read as u64;
        Ok(read)
    }
}

/// The rows of whole lines: each non-empty line of `data`, with its line number (the first
/// line is `first_line`, and a line ends at a `\n`, a `\r\n` or a lone `\r`) and its
/// fields' byte ranges, appended to `fields`.
pub(super) fn split_rows(
    data: &[u8],
    first_line: u64,
    fields: &mut Vec<Range<usize>>,
    mut row: impl FnMut(u64, Range<usize>, &[Range<usize>]),
) {
    let mut line = first_line;
    // Where the current line, its current field and its first field's range start.
    let (mut line_start, mut field_start, mut first) = (0, 0, fields.len());
    let mut at_byte = |at: usize, fields: &mut Vec<Range<usize>>| {
        match data.get(at) {
            Some(b',') => fields.push(field_start..at),
            Some(b'\n' | b'\r') => {
                if at > line_start {
                    fields.push(field_start..at);
                    row(
                        line,
                        first..fields.len(),
                        fields.get(first..).unwrap_or_default(),
                    );
                }
                if ends_line(data, at) {
                    line += 1;
                }
                line_start = at + 1;
                first = fields.len();
            }
            _ => return,
        }
        field_start = at + 1;
    };
    // Eight bytes at a time: `,`, `\n` and `\r` sort below `-`, and so do few other bytes
    // (space, `!`, `#` … `+`), so a word's candidates are found with four operations and
    // each is then looked at.
    let words = data.chunks_exact(8);
    let tail = words.remainder();
    for (index, word) in words.enumerate() {
        let mut candidates = below_dash(u64::from_le_bytes(
            <[u8; 8]>::try_from(word).unwrap_or_default(),
        ));
        while candidates != 0 {
            let at = index * 8 + (candidates.trailing_zeros() / 8) as usize;
            candidates &= candidates - 1;
            at_byte(at, fields);
        }
    }
    let tail_start = data.len() - tail.len();
    for (offset, &byte) in tail.iter().enumerate() {
        if byte < b'-' {
            at_byte(tail_start + offset, fields);
        }
    }
    if data.len() > line_start {
        fields.push(field_start..data.len());
        row(
            line,
            first..fields.len(),
            fields.get(first..).unwrap_or_default(),
        );
    }
}

/// The high bit of every byte of `word` below `-` (0x2D) is set, and possibly that of a
/// few bytes after such a byte (a borrow carries over): a superset of the bytes below `-`.
/// (For bytes of 0x80 and more the bit is clear: they are never below.)
fn below_dash(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    word.wrapping_sub(ONES * u64::from(b'-')) & !word & HIGH_BITS
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn prop_every_byte_below_the_dash_is_a_candidate(word in any::<u64>()) {
            let candidates = below_dash(word);
            for (i, byte) in word.to_le_bytes().into_iter().enumerate() {
                if byte < b'-' {
                    prop_assert!(candidates & (0x80 << (8 * i)) != 0, "{word:#018x}: byte {i}");
                }
            }
        }

        #[test]
        fn prop_rows_split_eight_bytes_at_a_time_as_byte_by_byte(
            data in prop::collection::vec(
                prop::sample::select(b"a1,,\r\n -+.\xc3\xa9".to_vec()), 0..200),
        ) {
            let mut fields = Vec::new();
            let mut rows = Vec::new();
            split_rows(&data, 1, &mut fields, |line, at, spans| {
                rows.push((line, at, spans.to_vec()));
            });
            // The same by the plain definition: each non-empty line, split at every comma.
            let mut expected = Vec::new();
            let mut expected_fields: Vec<Range<usize>> = Vec::new();
            let (mut line, mut start) = (1, 0);
            for at in 0..=data.len() {
                let ends = at == data.len() || data[at] == b'\n' || data[at] == b'\r';
                if !ends {
                    continue;
                }
                if at > start {
                    let first = expected_fields.len();
                    let mut field_start = start;
                    for (i, &byte) in data[start..at].iter().enumerate() {
                        if byte == b',' {
                            expected_fields.push(field_start..start + i);
                            field_start = start + i + 1;
                        }
                    }
                    expected_fields.push(field_start..at);
                    expected.push((line, first..expected_fields.len(), expected_fields[first..].to_vec()));
                }
                if at < data.len() && ends_line(&data, at) {
                    line += 1;
                }
                start = at + 1;
            }
            prop_assert_eq!(rows, expected);
            prop_assert_eq!(fields, expected_fields);
        }
    }

    #[test]
    fn a_record_is_numbered_by_the_line_it_starts_on() {
        // Where the CSV reader begins each record, and the line it starts on.
        // (where the reader began the record, the line it starts on)
        type Records<'a> = &'a [(u64, u64)];
        let cases: [(&[u8], Records); 4] = [
            (b"h\nA\nB\n", &[(0, 1), (2, 2), (4, 3)]),
            (b"h\r\nA\r\nB", &[(0, 1), (2, 2), (5, 3)]),
            (b"h\n\n\nA", &[(0, 1), (2, 4)]),
            (b"h\rA\r\rB", &[(0, 1), (2, 2), (4, 4)]),
        ];
        for (text, records) in cases {
            let mut breaks = LineBreaks::new(text);
            let mut sink = Vec::new();
            let _ = breaks.read_to_end(&mut sink);
            for &(begun, line) in records {
                assert_eq!(breaks.line_of_record(begun), line, "{text:?} at {begun}");
            }
        }
        assert_eq!(line_breaks(b"a\r\nb\rc\n\n"), 4);
    }

    #[test]
    fn a_line_has_a_person_only_at_the_header_width() {
        assert_eq!(line_key(b"p1,a,b", 3, 0), Some(&b"p1"[..]));
        assert_eq!(line_key(b"a,p1,b", 3, 1), Some(&b"p1"[..]));
        assert_eq!(line_key(b"a,,b", 3, 1), None);
        assert_eq!(line_key(b"p1,a", 3, 0), None);
        assert_eq!(line_key(b"p1,a,b,c", 3, 0), None);
        assert_eq!(line_key(b"", 1, 0), None);
    }

    #[test]
    fn the_header_ends_at_the_first_line_break_unless_quoted() {
        assert_eq!(header_end(b"a,b\r\nx,y"), Some(3));
        assert_eq!(header_end(b"a,b\nx"), Some(3));
        assert_eq!(header_end(b"a,\"b\"\nx"), None);
        assert_eq!(header_end(b"a,b"), None);
        // A quote further down does not matter here.
        assert_eq!(header_end(b"a,b\n\"x\""), Some(3));
    }

    #[test]
    fn a_cut_falls_before_the_last_persons_run_and_after_lines_without_person() {
        let data = b"p1,1\np1,2\nbad\np2,1\n\np2,2\np2";
        // The last line is incomplete; the last whole person is p2, whose run starts at
        // "p2,1"; "bad" (the wrong width) stays with p1.
        let cut = person_boundary(data, 2, 0);
        assert_eq!(cut, Some(14));
        assert_eq!(&data[14..18], b"p2,1");
        // One person only: no cut.
        assert_eq!(person_boundary(b"p1,1\np1,2\n", 2, 0), None);
        // No line break: no cut.
        assert_eq!(person_boundary(b"p1,1", 2, 0), None);
        // A person coming back after another is a new run.
        let back = b"p1,1\np2,1\np1,2\n";
        assert_eq!(person_boundary(back, 2, 0), Some(10));
    }

    #[test]
    fn rows_are_the_non_empty_lines_with_their_numbers_and_fields() {
        let data = b"a,b\r\nc\n\nd,,e\rf";
        let mut fields = Vec::new();
        let mut rows = Vec::new();
        split_rows(data, 2, &mut fields, |line, at, spans| {
            let texts: Vec<&[u8]> = spans.iter().map(|r| &data[r.clone()]).collect();
            rows.push((line, at, texts));
        });
        type Row<'a> = (u64, Range<usize>, Vec<&'a [u8]>);
        let expected: Vec<Row> = vec![
            (2, 0..2, vec![b"a", b"b"]),
            (3, 2..3, vec![b"c"]),
            (5, 3..6, vec![b"d", b"", b"e"]),
            (6, 6..7, vec![b"f"]),
        ];
        assert_eq!(rows, expected);
    }
}
