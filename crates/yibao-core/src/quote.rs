//! Quote ids: which sentence of a source a step applies.
//!
//! The source registry (`policy-data/sources.toml`) holds each rule's quotes at the grain of a
//! fact (a table row, a note, a band), each under a key: the quote id `H14.deductible` is the
//! quote keyed `deductible` of rule H14. The code names the key ([`QuoteKey`]); the rule comes
//! with the step (a domain crate serves several sources, so the same step is H14 in Huai'an and
//! K4 in Kunshan, and both rules register a quote under that key).
//!
//! Each crate that makes steps lists the keys it can name in one `quotes` module, with a
//! `const ALL: &[QuoteKey]`, so that the facade's tests can check every key against the
//! registry.
//!
//! ```
//! use yibao_core::{QuoteId, QuoteKey, RuleId};
//!
//! const DEDUCTIBLE: QuoteKey = QuoteKey::new("deductible");
//! let h14: RuleId = "H14".parse().unwrap();
//! assert_eq!(QuoteId::new(h14, DEDUCTIBLE).to_string(), "H14.deductible");
//! ```

use std::fmt;

use crate::RuleId;

/// The key of a quote under its rule: `deductible` in `H14.deductible`.
///
/// Keys are lower-case words joined by `_` and `.` (`note.repeat`), written once as constants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QuoteKey(&'static str);

impl QuoteKey {
    /// The key `key`.
    pub const fn new(key: &'static str) -> QuoteKey {
        QuoteKey(key)
    }

    /// The key as written in the registry.
    pub const fn as_str(self) -> &'static str {
        self.0
    }

    /// Whether `key` is well formed: lower-case ASCII words of letters and digits joined by
    /// `_` or `.`, neither first nor last nor doubled.
    pub fn is_well_formed(key: &str) -> bool {
        !key.is_empty()
            && key.split(['.', '_']).all(|word| {
                !word.is_empty()
                    && word
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
    }
}

impl fmt::Display for QuoteKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A quote id: a rule and the key of one of its quotes, written `H14.deductible`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QuoteId {
    /// The rule.
    pub rule: RuleId,
    /// The key of the quote under the rule.
    pub key: QuoteKey,
}

impl QuoteId {
    /// The quote `key` of `rule`.
    pub const fn new(rule: RuleId, key: QuoteKey) -> QuoteId {
        QuoteId { rule, key }
    }
}

impl fmt::Display for QuoteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.rule, self.key)
    }
}

#[cfg(test)]
mod tests {
    use super::QuoteKey;

    #[test]
    fn well_formed_keys() {
        for (key, ok) in [
            ("deductible", true),
            ("note.repeat", true),
            ("band_2", true),
            ("", false),
            ("Deductible", false),
            (".repeat", false),
            ("note..repeat", false),
            ("note.", false),
            ("起付线", false),
            ("a b", false),
        ] {
            assert_eq!(QuoteKey::is_well_formed(key), ok, "{key:?}");
        }
    }
}
