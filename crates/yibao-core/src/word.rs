//! Domain words: the one spelling of each value of a domain enum, in `snake_case`, the same in
//! TOML, JSON, CSV and on the command line, with the older spellings that still read.
//!
//! An enum declares its words once with [`words!`](crate::words); that gives it [`Word`]
//! (its [`name`](Word::name), [`older_names`](Word::older_names) and
//! [`from_name`](Word::from_name)) and the `Serialize` and `Deserialize` that write the name and
//! read the name or an older spelling. Every front end (the policy loader, the scenario reader,
//! the batch's columns, the command line) reads through [`Word::from_name`], so a value reads
//! the same wherever it is written, and an unknown text names only the current spellings.
//!
//! ```
//! use yibao_core::{RoundingMode, Word};
//!
//! assert_eq!(RoundingMode::HalfAwayFromZero.name(), "half_away_from_zero");
//! // The kebab-case of the first policy data still reads.
//! assert_eq!(RoundingMode::from_name("half-even"), Some(RoundingMode::HalfEven));
//! let mode: RoundingMode = serde_json::from_str(r#""half-away-from-zero""#)?;
//! assert_eq!(serde_json::to_string(&mode)?, r#""half_away_from_zero""#);
//! let wrong = serde_json::from_str::<RoundingMode>(r#""half-up""#).unwrap_err();
//! assert!(wrong.to_string().starts_with(
//!     "unknown variant `half-up`, expected one of `half_away_from_zero`, `half_even`, `down`, `up`"
//! ));
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};

/// A domain enum whose values are written as words: one `snake_case` name each.
pub trait Word: Copy + Sized + 'static {
    /// Every value, in declaration order.
    const ALL: &'static [Self];
    /// The name of each value of [`ALL`](Word::ALL), in the same order.
    const NAMES: &'static [&'static str];

    /// The value's one name, as the engine writes it.
    fn name(self) -> &'static str;

    /// Older spellings of the value that still read (kebab-case, short forms).
    fn older_names(self) -> &'static [&'static str];

    /// The value named `text`, by its name or an older spelling.
    fn from_name(text: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|word| word.name() == text || word.older_names().contains(&text))
    }

    /// The names in words, for a message: `` `a` ``, `` `a` or `b` ``, `` `a`, `b` or `c` ``.
    fn expected() -> String {
        in_words(Self::NAMES)
    }
}

/// Names in words, for a message: `` `a` ``, `` `a` or `b` ``, `` `a`, `b` or `c` ``.
pub fn in_words(names: &[&str]) -> String {
    let names: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Names in Chinese words, for a message: each between backquotes, joined by 、
/// (`` `a`、`b`、`c` ``).
///
/// ```
/// assert_eq!(yibao_core::in_words_zh(&["table", "json"]), "`table`、`json`");
/// assert_eq!(yibao_core::in_words_zh::<&str>(&[]), "");
/// ```
pub fn in_words_zh<S: AsRef<str>>(names: &[S]) -> String {
    names
        .iter()
        .map(|n| format!("`{}`", n.as_ref()))
        .collect::<Vec<_>>()
        .join("、")
}

/// Reads a [`Word`] from a string by [`Word::from_name`]; an unknown text is serde's
/// "unknown variant" error listing the current names only.
///
/// # Errors
/// When the input is not a string or names no value.
pub fn deserialize_word<'de, D: Deserializer<'de>, W: Word>(
    deserializer: D,
) -> Result<W, D::Error> {
    deserializer.deserialize_str(WordVisitor(PhantomData))
}

struct WordVisitor<W>(PhantomData<W>);

impl<W: Word> Visitor<'_> for WordVisitor<W> {
    type Value = W;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "one of {}", W::expected())
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<W, E> {
        W::from_name(text).ok_or_else(|| E::unknown_variant(text, W::NAMES))
    }
}

/// Declares the words of a fieldless enum: each variant's one name and its older spellings.
/// Implements [`Word`], `serde::Serialize` (the name) and `serde::Deserialize` (the name or an
/// older spelling; an unknown text lists the names).
///
/// ```
/// #[derive(Clone, Copy, Debug, PartialEq, Eq)]
/// enum Colour {
///     Red,
///     DarkBlue,
/// }
///
/// yibao_core::words!(Colour {
///     Red => "red",
///     DarkBlue => "dark_blue" | "dark-blue",
/// });
///
/// use yibao_core::Word;
/// assert_eq!(Colour::DarkBlue.name(), "dark_blue");
/// assert_eq!(Colour::from_name("dark-blue"), Some(Colour::DarkBlue));
/// ```
#[macro_export]
macro_rules! words {
    ($ty:ident { $($variant:ident => $name:literal $(| $older:literal)*,)+ }) => {
        impl $crate::Word for $ty {
            const ALL: &'static [Self] = &[$($ty::$variant),+];
            const NAMES: &'static [&'static str] = &[$($name),+];

            fn name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name,)+
                }
            }

            fn older_names(self) -> &'static [&'static str] {
                match self {
                    $($ty::$variant => &[$($older),*],)+
                }
            }

            // One match over every spelling, not a search through each value's names: the
            // batch reads a word of each row this way.
            fn from_name(text: &str) -> Option<Self> {
                match text {
                    $($name $(| $older)* => Some($ty::$variant),)+
                    _ => None,
                }
            }
        }

        impl $crate::__serde::Serialize for $ty {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str($crate::Word::name(*self))
            }
        }

        #[cfg(feature = "schemars")]
        impl $crate::__schemars::JsonSchema for $ty {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(stringify!($ty))
            }

            fn json_schema(
                _: &mut $crate::__schemars::SchemaGenerator,
            ) -> $crate::__schemars::Schema {
                $crate::schema::word_schema(<$ty as $crate::Word>::NAMES)
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $ty {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::deserialize_word(deserializer)
            }
        }
    };
}
