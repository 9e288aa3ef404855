//! Rule ids (`K4`, `H14`, `W5`) and the citations that tie a number to the rule it comes from.
//!
//! A rule id names one rule of POLICY-NOTES: a capital letter for the source (K = Kunshan 2021,
//! H = Huai'an 2026, W = Wujiang filing) and a number. Whether an id is registered (has a
//! source locator and quote) is checked against the source registry in the policy data, not
//! here; this type only guarantees the shape.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a rule id or a citation was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RuleError {
    /// Occurs when text is not a capital letter followed by a number 1..=999, e.g. `"h14"`.
    #[error("`{text}` is not a rule id (expected a capital letter and a number, e.g. H14)")]
    Malformed {
        /// The text as given.
        text: String,
    },
    /// Occurs when a citation lists no rule.
    #[error("a citation must name at least one rule id")]
    EmptyCitation,
}

impl RuleError {
    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        match self {
            RuleError::Malformed { text } => {
                format!("`{text}` 不是规则编号（应为一个大写字母加数字，如 H14）")
            }
            RuleError::EmptyCitation => "引用依据须至少列出一个规则编号".to_owned(),
        }
    }
}

/// A rule id such as `H14`: which rule of which source a value or a step comes from.
///
/// ```
/// use yibao_core::RuleId;
/// let h14: RuleId = "H14".parse()?;
/// assert_eq!(h14.source_letter(), 'H');
/// assert_eq!(h14.number(), 14);
/// assert!("h14".parse::<RuleId>().is_err());
/// # Ok::<(), yibao_core::RuleError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleId {
    letter: u8,
    number: u16,
}

impl RuleId {
    /// The source letter (`K`, `H`, `W`).
    pub fn source_letter(self) -> char {
        char::from(self.letter)
    }

    /// The rule's number within its source.
    pub fn number(self) -> u16 {
        self.number
    }
}

impl FromStr for RuleId {
    type Err = RuleError;
    fn from_str(text: &str) -> Result<RuleId, RuleError> {
        let malformed = || RuleError::Malformed {
            text: crate::quoted(text).to_string(),
        };
        let bytes = text.as_bytes();
        let (&letter, digits) = bytes.split_first().ok_or_else(malformed)?;
        if !letter.is_ascii_uppercase()
            || digits.is_empty()
            || digits.len() > 3
            || digits[0] == b'0'
            || !digits.iter().all(u8::is_ascii_digit)
        {
            return Err(malformed());
        }
        let number = digits
            .iter()
            .fold(0_u16, |n, d| n * 10 + u16::from(d - b'0'));
        Ok(RuleId { letter, number })
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", char::from(self.letter), self.number)
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RuleId, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Whether a computation records its explanation, step by step with the rule of each step,
/// or gives its figures only (the figures are the same; for batch runs of millions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Explain {
    /// Every step with its rule and figures.
    Steps,
    /// The figures only; traces stay empty.
    FiguresOnly,
}

/// The rules a table of policy numbers comes from: a non-empty list of rule ids.
///
/// Every table of numbers in `policy-data/` carries one as `rules = ["H14"]`; the policy
/// checker resolves each id against the source registry.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Vec<RuleId>", into = "Vec<RuleId>")]
pub struct Rules(Vec<RuleId>);

impl Rules {
    /// A citation of the given rules.
    ///
    /// # Errors
    /// [`RuleError::EmptyCitation`] for an empty list.
    pub fn new(rules: Vec<RuleId>) -> Result<Rules, RuleError> {
        if rules.is_empty() {
            return Err(RuleError::EmptyCitation);
        }
        Ok(Rules(rules))
    }

    /// A citation of one rule.
    pub fn one(rule: RuleId) -> Rules {
        Rules(vec![rule])
    }

    /// The cited rule ids, never empty.
    pub fn ids(&self) -> &[RuleId] {
        &self.0
    }

    /// The first cited rule.
    pub fn first(&self) -> RuleId {
        // Never empty by construction.
        self.0[0]
    }

    /// The last cited rule (the most specific, where a table cites a general rule first).
    pub fn last(&self) -> RuleId {
        self.0.last().copied().unwrap_or_else(|| self.first())
    }
}

impl TryFrom<Vec<RuleId>> for Rules {
    type Error = RuleError;
    fn try_from(rules: Vec<RuleId>) -> Result<Rules, RuleError> {
        Rules::new(rules)
    }
}

impl From<Rules> for Vec<RuleId> {
    fn from(rules: Rules) -> Vec<RuleId> {
        rules.0
    }
}

impl fmt::Display for Rules {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, rule) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{rule}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays() {
        for text in ["K1", "K12", "H27", "W9", "X999"] {
            let id: RuleId = text.parse().unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(id.to_string(), text);
        }
        for bad in [
            "", "H", "14", "h14", "H014", "H1000", "HH1", "H1a", "H 1", "K0",
        ] {
            assert!(bad.parse::<RuleId>().is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn citations_are_never_empty() {
        assert_eq!(Rules::new(vec![]), Err(RuleError::EmptyCitation));
        let parsed: Result<Rules, _> = serde_json::from_str("[]");
        assert!(parsed.is_err());
        let parsed: Rules =
            serde_json::from_str(r#"["H14","H18"]"#).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(parsed.to_string(), "H14, H18");
    }
}
