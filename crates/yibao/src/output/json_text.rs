//! JSON text written by hand for the hot parts of a settlement's output: a 100,000-claim
//! year writes a quarter of a gigabyte of it. Every function gives exactly the bytes of
//! `serde_json`'s pretty writer for the same value (tested below against it), only faster:
//! a string's clean runs are found eight bytes at a time and copied in one write, amounts
//! are formatted from their integer fen.

use std::io::{Result, Write};

use crate::core::{NaiveDate, RuleId, Yuan, bytes_below};
use chrono::Datelike;

/// An object's key after a comma, its line break and indent, as one constant:
/// `at!("      ", "date")` is `,\n      "date": `.
macro_rules! at {
    ($indent:literal, $name:literal) => {
        concat!(",\n", $indent, "\"", $name, "\": ").as_bytes()
    };
}
pub(crate) use at;

/// A line break and the indent of `depth` levels (two spaces a level), as one write.
pub fn newline(w: &mut (impl Write + ?Sized), depth: usize) -> Result<()> {
    const LINE: &[u8; 61] = b"\n                                                            ";
    match LINE.get(..1 + 2 * depth) {
        Some(line) => w.write_all(line),
        None => {
            w.write_all(b"\n")?;
            (0..depth).try_for_each(|_| w.write_all(b"  "))
        }
    }
}

/// An object's key at `depth`, after a comma unless `first`: `,\n      "key": `. The key is
/// a field name of the report: plain ASCII, nothing to escape.
pub fn key(w: &mut impl Write, first: bool, depth: usize, key: &str) -> Result<()> {
    if !first {
        w.write_all(b",")?;
    }
    newline(w, depth)?;
    w.write_all(b"\"")?;
    w.write_all(key.as_bytes())?;
    w.write_all(b"\": ")
}

/// A string, quoted and escaped as `serde_json` escapes it: `\"`, `\\`, `\b`, `\f`, `\n`,
/// `\r`, `\t`, any other byte below 0x20 as `\u00XX`; everything else (non-ASCII included)
/// as it is.
pub fn string(w: &mut impl Write, text: &str) -> Result<()> {
    let bytes = text.as_bytes();
    w.write_all(b"\"")?;
    let mut start = 0;
    while let Some(rest) = bytes.get(start..) {
        let Some(at) = first_to_escape(rest) else {
            w.write_all(rest)?;
            break;
        };
        let (clean, escaped) = rest.split_at(at);
        w.write_all(clean)?;
        let Some(&byte) = escaped.first() else {
            break;
        };
        escape(w, byte)?;
        start += at + 1;
    }
    w.write_all(b"\"")
}

/// Whether `serde_json` escapes the byte.
fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// The position of the first byte to escape: eight bytes at a time, then byte by byte in
/// the word that has one and in the tail.
fn first_to_escape(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let has_zero = |v: u64| bytes_below(v, 1) != 0;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // A byte below 0x20, a quote or a backslash somewhere in the word.
        let below = bytes_below(x, 0x20) != 0;
        if below
            || has_zero(x ^ (ONES * u64::from(b'"')))
            || has_zero(x ^ (ONES * u64::from(b'\\')))
        {
            return chunk.iter().position(|&b| needs_escape(b)).map(|i| at + i);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| needs_escape(b))
        .map(|i| at + i)
}

/// One escaped byte, as `serde_json` writes it.
fn escape(w: &mut impl Write, byte: u8) -> Result<()> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match byte {
        b'"' => w.write_all(b"\\\""),
        b'\\' => w.write_all(b"\\\\"),
        0x08 => w.write_all(b"\\b"),
        0x0c => w.write_all(b"\\f"),
        b'\n' => w.write_all(b"\\n"),
        b'\r' => w.write_all(b"\\r"),
        b'\t' => w.write_all(b"\\t"),
        _ => {
            let hex = |nibble: u8| HEX.get(usize::from(nibble & 0xf)).copied().unwrap_or(b'0');
            w.write_all(&[b'\\', b'u', b'0', b'0', hex(byte >> 4), hex(byte)])
        }
    }
}

/// A day as `serde_json` writes a date: `"2026-03-10"` (chrono's ISO 8601 text).
pub fn date(w: &mut impl Write, date: NaiveDate) -> Result<()> {
    let year = date.year();
    if !(0..=9999).contains(&year) {
        // Signed and wider: chrono's own text (nothing in it to escape).
        return write!(w, "\"{date:?}\"");
    }
    let digit = |n: u32| b'0' + (n % 10) as u8;
    let (y, m, d) = (year.unsigned_abs(), date.month(), date.day());
    w.write_all(&[
        b'"',
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(d / 10),
        digit(d),
        b'"',
    ])
}

/// A rule id as its JSON string (`"H14"`): a letter and digits, nothing to escape.
pub fn rule(w: &mut impl Write, rule: RuleId) -> Result<()> {
    let mut letter = [0; 4];
    w.write_all(b"\"")?;
    w.write_all(rule.source_letter().encode_utf8(&mut letter).as_bytes())?;
    w.write_all(itoa::Buffer::new().format(rule.number()).as_bytes())?;
    w.write_all(b"\"")
}

/// An amount as the report writes it: a JSON string with two decimals (`"1234.56"`).
pub fn amount(w: &mut impl Write, amount: Yuan) -> Result<()> {
    w.write_all(b"\"")?;
    number(w, amount)?;
    w.write_all(b"\"")
}

/// An amount as a JSON number with two decimals (`1234.56`), as the platform's output
/// writes it: the text of [`Yuan`]'s `Display`.
pub fn number(w: &mut impl Write, amount: Yuan) -> Result<()> {
    let fen = amount.to_fen().unsigned_abs();
    let mut whole = itoa::Buffer::new();
    let cents = fen % 100;
    // Two digits: the casts keep them.
    let decimals = [b'.', b'0' + (cents / 10) as u8, b'0' + (cents % 10) as u8];
    w.write_all(whole.format(fen / 100).as_bytes())?;
    w.write_all(&decimals)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn written(write: impl FnOnce(&mut Vec<u8>) -> Result<()>) -> String {
        let mut out = Vec::new();
        write(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Strings rich in what must be escaped, next to plain and non-ASCII text.
    fn text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("\"".to_owned()),
            Just("\\".to_owned()),
            Just("起付线 1,000.00 元".to_owned()),
            (0_u8..0x20).prop_map(|b| char::from(b).to_string()),
            "[a-z ]{0,12}",
            any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn prop_a_string_is_written_as_serde_json_writes_it(text in text()) {
            prop_assert_eq!(
                written(|w| string(w, &text)),
                serde_json::to_string(&text).unwrap()
            );
        }

        #[test]
        fn prop_any_string_is_written_as_serde_json_writes_it(text in any::<String>()) {
            prop_assert_eq!(
                written(|w| string(w, &text)),
                serde_json::to_string(&text).unwrap()
            );
        }

        #[test]
        fn prop_a_date_is_written_as_serde_json_writes_it(days in -1_000_000_i32..4_000_000) {
            let day = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
            prop_assert_eq!(written(|w| date(w, day)), serde_json::to_string(&day).unwrap());
        }

        #[test]
        fn prop_a_rule_is_written_as_serde_json_writes_it(letter in b'A'..=b'Z', number in 1_u16..1000) {
            let id: RuleId = format!("{}{number}", char::from(letter)).parse().unwrap();
            prop_assert_eq!(written(|w| rule(w, id)), serde_json::to_string(&id).unwrap());
        }

        #[test]
        fn prop_an_amount_is_written_as_serde_json_writes_it(fen in 0_i64..=99_999_999_999_999) {
            let yuan = Yuan::from_fen(fen).unwrap();
            prop_assert_eq!(written(|w| amount(w, yuan)), serde_json::to_string(&yuan).unwrap());
            prop_assert_eq!(written(|w| number(w, yuan)), yuan.to_string());
        }
    }

    #[test]
    fn every_byte_below_0x80_is_escaped_as_serde_json_escapes_it() {
        for byte in 0_u8..0x80 {
            // In every position of a word and of the tail.
            for at in 0..17 {
                let mut text = "a".repeat(at);
                text.push(char::from(byte));
                text.push_str("bc");
                assert_eq!(
                    written(|w| string(w, &text)),
                    serde_json::to_string(&text).unwrap(),
                    "byte {byte:#04x} at {at}"
                );
            }
        }
    }

    #[test]
    fn a_key_and_its_indent_are_those_of_the_pretty_writer() {
        assert_eq!(written(|w| key(w, true, 3, "steps")), "\n      \"steps\": ");
        assert_eq!(written(|w| key(w, false, 1, "a")), ",\n  \"a\": ");
        assert_eq!(at!("  ", "a"), b",\n  \"a\": ");
    }
}
