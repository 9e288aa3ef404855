//! Identifiers given by a user (a person id, a claim id, a filing id): any text but control
//! characters, which would reach the outputs as they are (a NUL in a CSV field, a line break
//! splitting a record, an escape sequence on a terminal).

use crate::diagnostic::quoted;

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
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
