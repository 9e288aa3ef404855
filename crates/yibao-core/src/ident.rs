//! Identifiers given by a user (a person id, a claim id, a filing id): any text but control
//! characters, which would reach the outputs as they are (a NUL in a CSV field, a line break
//! splitting a record, an escape sequence on a terminal).

use crate::diagnostic::quoted;
use crate::text::bytes_below;

/// Why an identifier was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdentifierError {
    /// Occurs when an identifier holds a control character (U+0000..=U+001F, U+007F..=U+009F:
    /// a NUL, a tab, a line break, an escape).
    #[error(
        "`{text}` holds the control character {code} at character {position}; an identifier may not hold control characters"
    )]
    ControlCharacter {
        /// The identifier, as [`quoted`] shows it.
        text: String,
        /// The character, as `U+0000`.
        code: String,
        /// Its 1-based position, in characters.
        position: usize,
    },
}

impl IdentifierError {
    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        match self {
            IdentifierError::ControlCharacter {
                text,
                code,
                position,
            } => {
                format!("`{text}` 的第 {position} 个字符是控制字符 {code}；编号中不得含有控制字符")
            }
        }
    }
}

/// Checks an identifier: refused when it holds a control character.
///
/// ```
/// use yibao_core::check_identifier;
/// assert!(check_identifier("P-0001 张三").is_ok());
/// let e = check_identifier("P\u{0}1").unwrap_err();
/// assert_eq!(
///     e.to_string(),
///     "`P\\01` holds the control character U+0000 at character 2; an identifier may not hold control characters"
/// );
/// ```
///
/// # Errors
/// [`IdentifierError::ControlCharacter`] at the first control character.
pub fn check_identifier(text: &str) -> Result<(), IdentifierError> {
    // Every control character is below U+00A0, so text of bytes all in 0x20..0x7F (the usual
    // id) is accepted without decoding it.
    if printable_ascii(text.as_bytes()) {
        return Ok(());
    }
    match text.chars().enumerate().find(|(_, c)| c.is_control()) {
        None => Ok(()),
        Some((at, c)) => Err(IdentifierError::ControlCharacter {
            text: quoted(text).to_string(),
            code: format!("U+{:04X}", u32::from(c)),
            position: at + 1,
        }),
    }
}

/// Whether every byte is printable ASCII (0x20 to 0x7E), eight bytes at a time: a batch
/// checks the person id of every row.
#[inline]
fn printable_ascii(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    // Some byte's high bit is set in `bytes_below(x, 0x20)` when a byte is below 0x20, in
    // `x + 0x01…` when a byte is 0x7F (it reaches 0x80), and in `x` when a byte is 0x80 or
    // more. A carry between bytes can only flag a word whose fast answer is then "no": the
    // slow path decides.
    let outside = |x: u64| bytes_below(x, 0x20) | ((x.wrapping_add(ONES) | x) & HIGH_BITS);
    let words = bytes.chunks_exact(8);
    let tail = words.remainder();
    let mut word = [0x20_u8; 8];
    if let Some(part) = word.get_mut(..tail.len()) {
        part.copy_from_slice(tail);
    }
    words
        .map(|w| <[u8; 8]>::try_from(w).unwrap_or([0; 8]))
        .chain(std::iter::once(word))
        .all(|w| outside(u64::from_le_bytes(w)) == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_takes_exactly_printable_ascii_words() {
        // Every byte value at every position of ids of 1 to 17 bytes (a whole word, a tail,
        // both), against the plain definition.
        for len in 1..=17 {
            for at in 0..len {
                for byte in 0..=u8::MAX {
                    let mut id = vec![b'P'; len];
                    if let Some(b) = id.get_mut(at) {
                        *b = byte;
                    }
                    let plain = id.iter().all(|b| (0x20..0x7f).contains(b));
                    assert_eq!(printable_ascii(&id), plain, "{id:?}");
                }
            }
        }
        assert!(printable_ascii(b""));
    }

    #[test]
    fn control_characters_are_refused_anywhere_in_an_identifier() {
        for (text, position, code) in [
            ("\u{0}", 1, "U+0000"),
            ("P\u{0}", 2, "U+0000"),
            ("P\t1", 2, "U+0009"),
            ("P1\n", 3, "U+000A"),
            ("P1\r", 3, "U+000D"),
            ("张\u{1b}[31m", 2, "U+001B"),
            ("P\u{7f}", 2, "U+007F"),
            ("P\u{85}", 2, "U+0085"),
        ] {
            match check_identifier(text) {
                Err(IdentifierError::ControlCharacter {
                    position: p,
                    code: c,
                    ..
                }) => assert_eq!((p, c.as_str()), (position, code), "{text:?}"),
                other => panic!("{text:?}: {other:?}"),
            }
        }
        for good in ["", "P1", "P 1", "张三-2026", "a,b\"c", "\u{a0}"] {
            assert_eq!(check_identifier(good), Ok(()), "{good:?}");
        }
    }
}
