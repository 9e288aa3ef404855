//! What a reform changes of an amount: reform minus baseline, signed, to the fen.

use std::fmt;

use serde::{Serialize, Serializer};
use yibao_core::Yuan;

/// An amount under a reform minus the same amount under the baseline, in fen: negative when
/// the reform pays less. Written as an amount with a leading `-` when negative (`-1773.00`,
/// `455.00`, `0.00`), in text, CSV and JSON (a string, as [`Yuan`] is).
///
/// ```
/// use yibao::core::Yuan;
/// use yibao::policy::YuanDifference;
///
/// let baseline: Yuan = "2151.00".parse().unwrap();
/// let reform: Yuan = "378.00".parse().unwrap();
/// assert_eq!(YuanDifference::between(baseline, reform).to_string(), "-1773.00");
/// assert_eq!(YuanDifference::between(reform, baseline).to_string(), "1773.00");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YuanDifference(i64);

impl YuanDifference {
    /// No difference.
    pub const ZERO: YuanDifference = YuanDifference(0);

    /// `reform - baseline` (both within [`Yuan::MAX`], so the difference cannot overflow).
    pub fn between(baseline: Yuan, reform: Yuan) -> YuanDifference {
        YuanDifference(reform.to_fen() - baseline.to_fen())
    }

    /// The difference in fen.
    pub fn to_fen(self) -> i64 {
        self.0
    }

    /// `self + other`, or `None` past the range of `i64` fen.
    pub fn checked_add(self, other: YuanDifference) -> Option<YuanDifference> {
        self.0.checked_add(other.0).map(YuanDifference)
    }
}

impl fmt::Display for YuanDifference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fen = self.0.unsigned_abs();
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{:02}", fen / 100, fen % 100)
    }
}

impl Serialize for YuanDifference {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Written as its `Display`: a signed amount with two decimal places (`"-1773.00"`).
#[cfg(feature = "schemars")]
impl schemars::JsonSchema for YuanDifference {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("YuanDifference")
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A difference of two amounts in yuan (reform − baseline), with two decimal places.",
            "type": "string",
            "pattern": "^-?[0-9]+\\.[0-9]{2}$"
        })
    }
}
