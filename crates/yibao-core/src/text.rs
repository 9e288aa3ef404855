//! The text of a scenario or policy file: UTF-8 without NUL bytes. A refusal says where the
//! first bad byte is (byte offset, line and column) and whether the file looks like UTF-16,
//! the usual reason (a file saved as "Unicode" by a Windows editor).

use std::fmt;

/// The two byte orders of UTF-16.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Utf16 {
    /// Low byte first (`FF FE`, or `a\0b\0`).
    LittleEndian,
    /// High byte first (`FE FF`, or `\0a\0b`).
    BigEndian,
}

/// What is wrong with the first bad byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadByte {
    /// A byte that is not valid UTF-8 there (e.g. `0xFF`, or a character cut short).
    NotUtf8(u8),
    /// A NUL byte, which no text file holds.
    Nul,
}

/// Why bytes are not the text of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct TextError {
    /// What the first bad byte is.
    pub bad: BadByte,
    /// Its 0-based byte offset.
    pub offset: usize,
    /// Its 1-based line.
    pub line: u32,
    /// Its 1-based column, in characters.
    pub column: u32,
    /// The byte order when the file looks like UTF-16.
    pub utf16: Option<Utf16>,
}

impl TextError {
    fn describe(&self) -> String {
        match self.bad {
            BadByte::NotUtf8(byte) => format!(
                "the file is not UTF-8 text: the byte 0x{byte:02X} at byte offset {} is not valid UTF-8",
                self.offset
            ),
            BadByte::Nul => format!(
                "the file is not text: it holds a NUL byte at byte offset {}",
                self.offset
            ),
        }
    }

    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        match self.bad {
            BadByte::NotUtf8(byte) => format!(
                "该文件不是 UTF-8 文本：字节偏移量 {} 处的字节 0x{byte:02X} 不是有效的 UTF-8",
                self.offset
            ),
            BadByte::Nul => format!(
                "该文件不是文本：字节偏移量 {} 处有一个 NUL 字节",
                self.offset
            ),
        }
    }

    /// [`TextError::hint`] in Chinese.
    pub fn hint_zh(&self) -> Option<String> {
        let order = match self.utf16? {
            Utf16::LittleEndian => "小端序",
            Utf16::BigEndian => "大端序",
        };
        Some(format!("该文件似为 UTF-16（{order}）；请另存为 UTF-8"))
    }

    /// How to fix it: save as UTF-8, when the file looks like UTF-16.
    pub fn hint(&self) -> Option<String> {
        let order = match self.utf16? {
            Utf16::LittleEndian => "little-endian",
            Utf16::BigEndian => "big-endian",
        };
        Some(format!(
            "the file looks like UTF-16 ({order}); save it as UTF-8"
        ))
    }
}

impl fmt::Display for Utf16 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Utf16::LittleEndian => "UTF-16 little-endian",
            Utf16::BigEndian => "UTF-16 big-endian",
        })
    }
}

/// The bytes as text, when they are UTF-8 without a NUL byte.
///
/// ```
/// use yibao_core::{BadByte, Utf16, read_text};
/// assert_eq!(read_text("year = 2026\n".as_bytes()), Ok("year = 2026\n"));
/// let e = read_text(b"a = 1\nb = \xff").unwrap_err();
/// assert_eq!((e.bad, e.offset, e.line, e.column), (BadByte::NotUtf8(0xff), 10, 2, 5));
/// let utf16 = read_text(b"\xff\xfey\0e\0a\0r\0").unwrap_err();
/// assert_eq!(utf16.utf16, Some(Utf16::LittleEndian));
/// ```
///
/// # Errors
/// [`TextError`] at the first byte that is not UTF-8, or the first NUL byte.
pub fn read_text(bytes: &[u8]) -> Result<&str, TextError> {
    let (valid, bad) = match std::str::from_utf8(bytes) {
        Ok(text) => match text.bytes().position(|b| b == 0) {
            None => return Ok(text),
            Some(at) => (at, BadByte::Nul),
        },
        Err(e) => {
            let at = e.valid_up_to();
            (at, BadByte::NotUtf8(bytes.get(at).copied().unwrap_or(0)))
        }
    };
    let before = std::str::from_utf8(bytes.get(..valid).unwrap_or_default()).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    Err(TextError {
        bad,
        offset: valid,
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
        utf16: utf16_guess(bytes),
    })
}

/// Whether bytes look like UTF-16: a byte-order mark, or NULs at most odd positions and no
/// even ones (little-endian text of mostly ASCII characters) or the reverse, in the first
/// 4 KiB.
fn utf16_guess(bytes: &[u8]) -> Option<Utf16> {
    match bytes {
        [0xff, 0xfe, ..] => return Some(Utf16::LittleEndian),
        [0xfe, 0xff, ..] => return Some(Utf16::BigEndian),
        _ => {}
    }
    let head = bytes.get(..4096).unwrap_or(bytes);
    let pairs = head.len() / 2;
    let (mut even, mut odd) = (0, 0);
    for pair in head.chunks_exact(2) {
        even += usize::from(pair.first() == Some(&0));
        odd += usize::from(pair.get(1) == Some(&0));
    }
    let most = |count: usize| pairs > 0 && count * 2 > pairs;
    if most(odd) && even == 0 {
        Some(Utf16::LittleEndian)
    } else if most(even) && odd == 0 {
        Some(Utf16::BigEndian)
    } else {
        None
    }
}

/// The bytes of `word` (eight bytes, little-endian) below `n`, for `n` up to 0x80: the high
/// bit of every such byte is set, and possibly that of a byte after one (a borrow carries
/// over), never in a word that has none. So `bytes_below(word, n) != 0` says exactly whether
/// some byte is below `n`, and the lowest bit set points at the first. Bytes of 0x80 and
/// more are never below. The readers that scan text eight bytes at a time (the batch's
/// line splitter, the identifier check, the JSON writer) build on it.
#[inline]
pub fn bytes_below(word: u64, n: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    word.wrapping_sub(ONES * u64::from(n)) & !word & HIGH_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_below_says_exactly_whether_a_word_has_a_byte_below_n() {
        // Every byte value at every position of a word of otherwise high bytes, against the
        // plain comparison, for the limits the readers use.
        for n in [1_u8, 0x20, b'-', 0x80] {
            for at in 0..8 {
                for byte in 0..=u8::MAX {
                    let mut word = [0xC0_u8; 8];
                    if let Some(b) = word.get_mut(at) {
                        *b = byte;
                    }
                    let mask = bytes_below(u64::from_le_bytes(word), n);
                    assert_eq!(mask != 0, byte < n, "{word:?} below {n}");
                    if byte < n {
                        assert_eq!(mask.trailing_zeros() / 8, at as u32, "{word:?}");
                    }
                }
            }
        }
    }

    fn utf16(text: &str, order: Utf16, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend(match order {
                Utf16::LittleEndian => [0xff, 0xfe],
                Utf16::BigEndian => [0xfe, 0xff],
            });
        }
        for unit in text.encode_utf16() {
            out.extend(match order {
                Utf16::LittleEndian => unit.to_le_bytes(),
                Utf16::BigEndian => unit.to_be_bytes(),
            });
        }
        out
    }

    #[test]
    fn the_first_bad_byte_is_located_by_offset_line_and_column() {
        // "名 = 1\n" is 8 bytes (名 is 3), "ab " 3 more; the bad byte is the 4th character of line 2.
        let mut bytes = "名 = 1\nab ".as_bytes().to_vec();
        bytes.extend([0xc3, b'x']);
        let e = read_text(&bytes).unwrap_err();
        assert_eq!(
            (e.bad, e.offset, e.line, e.column, e.utf16),
            (BadByte::NotUtf8(0xc3), 11, 2, 4, None)
        );
        assert_eq!(
            e.to_string(),
            "the file is not UTF-8 text: the byte 0xC3 at byte offset 11 is not valid UTF-8"
        );
        assert_eq!(e.hint(), None);
        let e = read_text(b"a = 1\0").unwrap_err();
        assert_eq!((e.bad, e.offset, e.line, e.column), (BadByte::Nul, 5, 1, 6));
        // A character cut short at the end of the file.
        let e = read_text("a医".as_bytes().get(..3).unwrap_or_default()).unwrap_err();
        assert_eq!((e.bad, e.offset), (BadByte::NotUtf8(0xe5), 1));
    }

    #[test]
    fn utf16_is_recognised_with_or_without_a_byte_order_mark() {
        let text = "jurisdiction = \"huaian\"\nyear = 2026\n";
        for order in [Utf16::LittleEndian, Utf16::BigEndian] {
            for bom in [true, false] {
                let e = read_text(&utf16(text, order, bom)).unwrap_err();
                assert_eq!(e.utf16, Some(order), "{order} {bom}");
                assert!(e.hint().is_some_and(|h| h.contains("save it as UTF-8")));
            }
        }
        // A stray NUL in UTF-8 text is not UTF-16.
        assert_eq!(read_text(b"year = 2026\n\0").unwrap_err().utf16, None);
    }
}
