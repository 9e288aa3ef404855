//! Reading a claims file line by line: no field of the format may hold a line break, so
//! every physical line is one record.
//!
//! A line ends at a `\n`, a `\r\n` or a lone `\r`; a blank line (no byte between two line
//! breaks) is no record. Fields are separated by commas; a field that starts with `"` is
//! quoted up to the next lone `"` (a doubled `""` inside is one quote), and what follows the
//! closing quote up to the next comma belongs to the field as it is; a `"` anywhere else is
//! an ordinary byte. A quote that opens a field and is not closed on its own line makes the
//! line an error at that column ([`Unclosed`]); the next line is read as usual.
//!
//! The fast path: where a line has no quote opening a field, a record is found with two byte
//! searches, eight bytes at a time. The batch's first pass checks the order of persons this
//! way, and the reader of a file known to hold no split person hands whole lines to the
//! workers, which split them into fields themselves ([`split_rows`]).

use std::borrow::Cow;
use std::io::Read;
use std::num::NonZeroU32;
use std::ops::Range;

/// A quote that opens a field and is not closed on its line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Unclosed {
    /// The column of the quote in its line, in characters from 1 (in bytes where the line
    /// is not UTF-8 before it).
    pub(super) column: NonZeroU32,
    /// The field the quote opens, from 0 (the fields before it are complete).
    pub(super) field: u32,
}

/// Splits one line (without its line break) into fields, with quotes. The fields' ranges are
/// appended to `fields`: an unquoted field as `offset` plus its place in `line`; a quoted
/// field as `base` plus its place in `unquoted`, where its text (quotes removed, `""` made
/// one) is appended. On a quote not closed on the line, the fields before it are appended
/// and the quote's place is returned.
pub(super) fn split_line(
    line: &[u8],
    offset: usize,
    base: usize,
    fields: &mut Vec<Range<usize>>,
    unquoted: &mut Vec<u8>,
) -> Result<(), Unclosed> {
    let mut at = 0;
    let mut field = 0_u32;
    loop {
        let rest = line.get(at..).unwrap_or_default();
        if rest.first() == Some(&b'"') {
            let open = at;
            let start = base + unquoted.len();
            at += 1;
            loop {
                let inside = line.get(at..).unwrap_or_default();
                let Some(quote) = memchr::memchr(b'"', inside) else {
                    unquoted.truncate(start - base);
                    return Err(Unclosed {
                        column: column_of(line, open),
                        field,
                    });
                };
                unquoted.extend_from_slice(inside.get(..quote).unwrap_or_default());
                at += quote + 1;
                if line.get(at) == Some(&b'"') {
                    unquoted.push(b'"');
                    at += 1;
                } else {
                    break;
                }
            }
            let tail = line.get(at..).unwrap_or_default();
            let end = memchr::memchr(b',', tail).map_or(line.len(), |c| at + c);
            unquoted.extend_from_slice(line.get(at..end).unwrap_or_default());
            fields.push(start..base + unquoted.len());
            at = end;
        } else {
            let end = memchr::memchr(b',', rest).map_or(line.len(), |c| at + c);
            fields.push(offset + at..offset + end);
            at = end;
        }
        if at >= line.len() {
            return Ok(());
        }
        at += 1;
        field += 1;
    }
}

/// The column of byte `at` of `line`, in characters from 1 (bytes where the line is not
/// UTF-8 before it).
fn column_of(line: &[u8], at: usize) -> NonZeroU32 {
    let before = line.get(..at).unwrap_or_default();
    let count = std::str::from_utf8(before).map_or(before.len(), |text| text.chars().count());
    NonZeroU32::new(u32::try_from(count + 1).unwrap_or(u32::MAX)).unwrap_or(NonZeroU32::MIN)
}

/// Whether a quote opens a field of `line` (the line needs [`split_line`]).
fn opens_quote(line: &[u8]) -> bool {
    memchr::memchr_iter(b'"', line).any(|at| at == 0 || line.get(at - 1) == Some(&b','))
}

/// The person of one line: its `person_index`-th field, not empty, when the line has
/// `width` fields, or when a quote is not closed on it and the person field comes before
/// that quote. Every reader of the batch finds persons with this one function.
pub(super) fn line_key(line: &[u8], width: usize, person_index: usize) -> Option<Cow<'_, [u8]>> {
    if opens_quote(line) {
        return quoted_line_key(line, width, person_index).map(Cow::Owned);
    }
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
        .map(Cow::Borrowed)
}

fn quoted_line_key(line: &[u8], width: usize, person_index: usize) -> Option<Vec<u8>> {
    let (mut fields, mut unquoted) = (Vec::new(), Vec::new());
    let base = line.len();
    let complete = split_line(line, 0, base, &mut fields, &mut unquoted);
    if complete.is_ok() && fields.len() != width {
        return None;
    }
    let span = fields.get(person_index)?.clone();
    let key = if span.start >= base {
        unquoted.get(span.start - base..span.end - base)?
    } else {
        line.get(span)?
    };
    (!key.is_empty()).then(|| key.to_vec())
}

/// Where the first line of `head` ends and the next begins, when its line break is in
/// `head` whole (a `\r` at the very end may be the first half of a `\r\n`).
pub(super) fn first_line_end(head: &[u8]) -> Option<(usize, usize)> {
    let end = memchr::memchr2(b'\n', b'\r', head)?;
    match (head.get(end), head.get(end + 1)) {
        (Some(b'\r'), Some(b'\n')) => Some((end, end + 2)),
        (Some(b'\r'), None) => None,
        _ => Some((end, end + 1)),
    }
}

/// Where to cut `data` (which starts at the start of a line) so that every person's rows
/// stay on one side: the start of the first line of the last person's last run of rows,
/// when another person comes before it. Lines with no person (malformed or empty) stay
/// with the person before them. Only whole lines count: bytes after the last line break
/// may be the start of a longer line. `None` when `data` holds no such boundary (one person
/// only, or no line break).
pub(super) fn person_boundary(data: &[u8], width: usize, person_index: usize) -> Option<usize> {
    let mut end = memchr::memrchr2(b'\n', b'\r', data)?;
    let mut last: Option<Cow<'_, [u8]>> = None;
    let mut cut = None;
    loop {
        let start = memchr::memrchr2(b'\n', b'\r', data.get(..end)?).map_or(0, |at| at + 1);
        let line = data.get(start..end)?;
        match (line_key(line, width, person_index), &last) {
            (None, _) => {}
            (Some(key), None) => {
                last = Some(key);
                cut = Some(start);
            }
            (Some(key), Some(run)) if key == *run => cut = Some(start),
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

/// The physical lines of `data`: its line breaks, and one more when it ends in a line
/// without a line break.
pub(super) fn physical_lines(data: &[u8]) -> u64 {
    let unterminated = data.last().is_some_and(|&b| b != b'\n' && b != b'\r');
    line_breaks(data) + u64::from(unterminated)
}

/// The physical lines of an input, one after another, each with its line break.
pub(super) struct LineReader<R> {
    inner: R,
    buffer: Vec<u8>,
    start: usize,
    at_end: bool,
    /// Bytes handed out so far.
    consumed: u64,
}

/// The buffer a [`LineReader`] reads into at least.
const LINE_READ: usize = 1 << 18;

impl<R: Read> LineReader<R> {
    /// Reads `inner`, after the bytes of `first` (already read from it).
    pub(super) fn new(first: Vec<u8>, inner: R) -> LineReader<R> {
        LineReader {
            inner,
            buffer: first,
            start: 0,
            at_end: false,
            consumed: 0,
        }
    }

    /// The bytes handed out so far.
    pub(super) fn consumed(&self) -> u64 {
        self.consumed
    }

    /// The next physical line with its line break, and the length of its content (the line
    /// without the break); `None` at the end of the input.
    pub(super) fn next_line(&mut self) -> std::io::Result<Option<(usize, &[u8])>> {
        loop {
            let available = self.buffer.get(self.start..).unwrap_or_default();
            let found = memchr::memchr2(b'\n', b'\r', available).map(|at| {
                (
                    at,
                    available.get(at).copied(),
                    available.get(at + 1).copied(),
                )
            });
            let length = available.len();
            let whole = match found {
                // A `\r` at the end may be the first half of a `\r\n`: read on.
                Some((_, Some(b'\r'), None)) if !self.at_end => None,
                Some((at, Some(b'\r'), Some(b'\n'))) => Some((at, at + 2)),
                Some((at, _, _)) => Some((at, at + 1)),
                None if self.at_end && length > 0 => Some((length, length)),
                None if self.at_end => return Ok(None),
                None => None,
            };
            if let Some((content, taken)) = whole {
                let start = self.start;
                self.start += taken;
                self.consumed += taken as u64;
                let line = self.buffer.get(start..start + taken).unwrap_or_default();
                return Ok(Some((content, line)));
            }
            self.fill()?;
        }
    }

    fn fill(&mut self) -> std::io::Result<()> {
        self.buffer.drain(..self.start.min(self.buffer.len()));
        self.start = 0;
        let want = LINE_READ.max(self.buffer.len());
        let got = (&mut self.inner)
            .take(want as u64)
            .read_to_end(&mut self.buffer)?;
        if got == 0 {
            self.at_end = true;
        }
        Ok(())
    }
}

/// A row found by [`split_rows`].
pub(super) struct SplitRow<'s> {
    /// The line it is on.
    pub(super) line: u64,
    /// Where its fields are in the list of fields.
    pub(super) at: Range<usize>,
    /// Its fields: ranges in the data, or (from the data's length on) in `unquoted`.
    pub(super) spans: &'s [Range<usize>],
    /// The text of its quoted fields, for the ranges from the data's length on.
    pub(super) unquoted: &'s [u8],
    /// A quote not closed on the line.
    pub(super) unclosed: Option<Unclosed>,
}

/// The state of [`split_rows`] between two bytes of interest.
struct Splitter<'d, F> {
    data: &'d [u8],
    line: u64,
    /// Where the current line and its current field start.
    line_start: usize,
    field_start: usize,
    /// Where the current line's first field is in the list of fields.
    first: usize,
    /// Whether a quote opens a field of the current line (it is split again, with quotes).
    quoted: bool,
    blank: u64,
    unquoted: &'d mut Vec<u8>,
    row: F,
}

impl<F: FnMut(SplitRow<'_>)> Splitter<'_, F> {
    #[inline]
    fn byte(&mut self, at: usize, fields: &mut Vec<Range<usize>>) {
        match self.data.get(at) {
            Some(b',') => fields.push(self.field_start..at),
            Some(b'"') => {
                self.quoted |= at == self.field_start;
                return;
            }
            // The `\n` after it ends the line.
            Some(b'\r') if self.data.get(at + 1) == Some(&b'\n') => return,
            Some(b'\n' | b'\r') => {
                let end = if self.data.get(at) == Some(&b'\n')
                    && at > self.line_start
                    && self.data.get(at - 1) == Some(&b'\r')
                {
                    at - 1
                } else {
                    at
                };
                self.end_line(end, fields);
                self.line += 1;
                self.line_start = at + 1;
            }
            _ => return,
        }
        self.field_start = at + 1;
    }

    #[inline]
    fn end_line(&mut self, end: usize, fields: &mut Vec<Range<usize>>) {
        if end <= self.line_start {
            self.blank += 1;
        } else {
            let mut unclosed = None;
            if self.quoted {
                unclosed = self.split_quoted(end, fields);
            } else {
                fields.push(self.field_start..end);
            }
            (self.row)(SplitRow {
                line: self.line,
                at: self.first..fields.len(),
                spans: fields.get(self.first..).unwrap_or_default(),
                unquoted: self.unquoted,
                unclosed,
            });
        }
        self.first = fields.len();
        self.quoted = false;
    }
}

impl<F> Splitter<'_, F> {
    /// Splits the current line again, with quotes, in place of its fields found so far.
    #[cold]
    #[inline(never)]
    fn split_quoted(&mut self, end: usize, fields: &mut Vec<Range<usize>>) -> Option<Unclosed> {
        fields.truncate(self.first);
        let line = self.data.get(self.line_start..end).unwrap_or_default();
        split_line(
            line,
            self.line_start,
            self.data.len(),
            fields,
            self.unquoted,
        )
        .err()
    }
}

/// The rows of whole lines: each non-blank line of `data`, with its line number (the first
/// line is `first_line`, and a line ends at a `\n`, a `\r\n` or a lone `\r`) and its
/// fields' ranges, appended to `fields` (a quoted field's text to `unquoted`, its range
/// from `data.len()` on). Returns the blank lines.
pub(super) fn split_rows(
    data: &[u8],
    first_line: u64,
    fields: &mut Vec<Range<usize>>,
    unquoted: &mut Vec<u8>,
    row: impl FnMut(SplitRow<'_>),
) -> u64 {
    let first = fields.len();
    let mut splitter = Splitter {
        data,
        line: first_line,
        line_start: 0,
        field_start: 0,
        first,
        quoted: false,
        blank: 0,
        unquoted,
        row,
    };
    // Eight bytes at a time: `,`, `"`, `\n` and `\r` sort below `-`, and so do few other
    // bytes (space, `!`, `#` … `+`), so a word's candidates are found with four operations
    // and each is then looked at.
    let words = data.chunks_exact(8);
    let tail = words.remainder();
    for (index, word) in words.enumerate() {
        let mut candidates = below_dash(u64::from_le_bytes(
            <[u8; 8]>::try_from(word).unwrap_or_default(),
        ));
        while candidates != 0 {
            let at = index * 8 + (candidates.trailing_zeros() / 8) as usize;
            candidates &= candidates - 1;
            splitter.byte(at, fields);
        }
    }
    let tail_start = data.len() - tail.len();
    for (offset, &byte) in tail.iter().enumerate() {
        if byte < b'-' {
            splitter.byte(tail_start + offset, fields);
        }
    }
    if data.len() > splitter.line_start {
        splitter.end_line(data.len(), fields);
    }
    splitter.blank
}

/// The high bit of every byte of `word` below `-` (0x2D) is set, and possibly that of a
/// few bytes after such a byte (a borrow carries over): a superset of the bytes below `-`.
/// (For bytes of 0x80 and more the bit is clear: they are never below.)
fn below_dash(word: u64) -> u64 {
    yibao_core::bytes_below(word, b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A row as text: line, fields, unclosed quote.
    type Row = (u64, Vec<Vec<u8>>, Option<Unclosed>);

    fn text_of(data: &[u8], unquoted: &[u8], span: &Range<usize>) -> Vec<u8> {
        let bytes = if span.start >= data.len() {
            unquoted.get(span.start - data.len()..span.end - data.len())
        } else {
            data.get(span.clone())
        };
        bytes.unwrap_or_default().to_vec()
    }

    fn rows_of(data: &[u8], first_line: u64) -> (Vec<Row>, u64) {
        let (mut fields, mut unquoted) = (Vec::new(), Vec::new());
        let mut rows = Vec::new();
        let blank = split_rows(data, first_line, &mut fields, &mut unquoted, |row| {
            let texts = row
                .spans
                .iter()
                .map(|span| text_of(data, row.unquoted, span))
                .collect();
            rows.push((row.line, texts, row.unclosed));
        });
        (rows, blank)
    }

    /// The same by the plain definition: each line on its own, split with quotes.
    fn rows_line_by_line(data: &[u8], first_line: u64) -> (Vec<Row>, u64) {
        let (mut rows, mut blank) = (Vec::new(), 0);
        let mut reader = LineReader::new(data.to_vec(), std::io::empty());
        let mut line = first_line;
        while let Ok(Some((content, whole))) = reader.next_line() {
            let content = whole.get(..content).unwrap_or_default();
            if content.is_empty() {
                blank += 1;
            } else {
                let (mut fields, mut unquoted) = (Vec::new(), Vec::new());
                let unclosed =
                    split_line(content, 0, content.len(), &mut fields, &mut unquoted).err();
                let texts = fields
                    .iter()
                    .map(|s| text_of(content, &unquoted, s))
                    .collect();
                rows.push((line, texts, unclosed));
            }
            line += 1;
        }
        (rows, blank)
    }

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

        // Eight bytes at a time, as line by line: line breaks of every kind, blank lines,
        // quotes anywhere (closed, doubled, not closed), non-ASCII bytes.
        #[test]
        fn prop_rows_split_eight_bytes_at_a_time_as_line_by_line(
            data in prop::collection::vec(
                prop::sample::select(b"a1,,\r\n\" -+.\xc3\xa9".to_vec()), 0..200),
        ) {
            prop_assert_eq!(rows_of(&data, 1), rows_line_by_line(&data, 1));
        }

        // A line reader over an input read in pieces of any size hands out the same lines.
        #[test]
        fn prop_lines_are_the_same_whatever_the_pieces_read(
            data in prop::collection::vec(prop::sample::select(b"ab\r\n".to_vec()), 0..100),
            first in 0_usize..100,
        ) {
            let first = first.min(data.len());
            let mut whole = LineReader::new(data.clone(), std::io::empty());
            let mut pieces = LineReader::new(
                data.get(..first).unwrap_or_default().to_vec(),
                data.get(first..).unwrap_or_default(),
            );
            loop {
                let a = whole.next_line().unwrap().map(|(n, l)| (n, l.to_vec()));
                let b = pieces.next_line().unwrap().map(|(n, l)| (n, l.to_vec()));
                prop_assert_eq!(&a, &b);
                if a.is_none() {
                    break;
                }
            }
            prop_assert_eq!(whole.consumed(), data.len() as u64);
        }
    }

    #[test]
    fn a_quoted_field_is_read_to_its_closing_quote_on_its_line() {
        let unclosed = |column: u32, field: u32| {
            Err(Unclosed {
                column: NonZeroU32::new(column).unwrap(),
                field,
            })
        };
        type Case<'a> = (&'a [u8], Vec<&'a [u8]>, Result<(), Unclosed>);
        let cases: Vec<Case> = vec![
            (b"\"a,b\",c", vec![b"a,b", b"c"], Ok(())),
            (b"\"a\"\"b\"x,y", vec![b"a\"bx", b"y"], Ok(())),
            (b"a\"b,c\"", vec![b"a\"b", b"c\""], Ok(())),
            (b"\"\",", vec![b"", b""], Ok(())),
            (b"x,\"315.98", vec![b"x"], unclosed(3, 1)),
            ("é,\"".as_bytes(), vec!["é".as_bytes()], unclosed(3, 1)),
            (b"\"a\"\"", vec![], unclosed(1, 0)),
        ];
        for (line, expected, result) in cases {
            let (mut fields, mut unquoted) = (Vec::new(), Vec::new());
            let got = split_line(line, 0, line.len(), &mut fields, &mut unquoted);
            let texts: Vec<Vec<u8>> = fields.iter().map(|s| text_of(line, &unquoted, s)).collect();
            let expected: Vec<Vec<u8>> = expected.iter().map(|t| t.to_vec()).collect();
            assert_eq!(
                (texts, got),
                (expected, result),
                "{:?}",
                String::from_utf8_lossy(line)
            );
        }
    }

    #[test]
    fn a_line_has_a_person_at_the_header_width_or_before_an_unclosed_quote() {
        let key = |line: &[u8], width, index| line_key(line, width, index).map(|k| k.to_vec());
        assert_eq!(key(b"p1,a,b", 3, 0), Some(b"p1".to_vec()));
        assert_eq!(key(b"a,p1,b", 3, 1), Some(b"p1".to_vec()));
        assert_eq!(key(b"a,,b", 3, 1), None);
        assert_eq!(key(b"p1,a", 3, 0), None);
        assert_eq!(key(b"p1,a,b,c", 3, 0), None);
        assert_eq!(key(b"", 1, 0), None);
        assert_eq!(key(b"\"p,1\",a,b", 3, 0), Some(b"p,1".to_vec()));
        assert_eq!(key(b"\"p,1\",a", 3, 0), None);
        // A quote not closed: the person before it counts, whatever the width.
        assert_eq!(key(b"p1,\"a,b,c,d", 3, 0), Some(b"p1".to_vec()));
        assert_eq!(key(b"\"p1,a,b", 3, 0), None);
    }

    #[test]
    fn the_first_line_ends_at_its_whole_line_break() {
        assert_eq!(first_line_end(b"a,b\r\nx,y"), Some((3, 5)));
        assert_eq!(first_line_end(b"a,b\nx"), Some((3, 4)));
        assert_eq!(first_line_end(b"a,\"b\"\rx"), Some((5, 6)));
        assert_eq!(first_line_end(b"a,b\r"), None);
        assert_eq!(first_line_end(b"a,b"), None);
        assert_eq!(line_breaks(b"a\r\nb\rc\n\n"), 4);
        assert_eq!(physical_lines(b"a\r\nb\rc\n\nd"), 5);
        assert_eq!(physical_lines(b""), 0);
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
        // A quoted id is the same person as the id unquoted.
        assert_eq!(person_boundary(b"p1,1\n\"p2\",1\np2,2\n", 2, 0), Some(5));
    }

    #[test]
    fn rows_are_the_non_blank_lines_with_their_numbers_and_fields() {
        let (rows, blank) = rows_of(b"a,b\r\nc\n\nd,,e\rf,\"g\n", 2);
        let unclosed = Some(Unclosed {
            column: NonZeroU32::new(3).unwrap(),
            field: 1,
        });
        let text = |t: &[&[u8]]| t.iter().map(|f| f.to_vec()).collect::<Vec<_>>();
        let expected: Vec<Row> = vec![
            (2, text(&[b"a", b"b"]), None),
            (3, text(&[b"c"]), None),
            (5, text(&[b"d", b"", b"e"]), None),
            (6, text(&[b"f"]), unclosed),
        ];
        assert_eq!((rows, blank), (expected, 1));
    }
}
