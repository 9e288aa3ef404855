//! Places of care and of filings: a path from the province-level division down, e.g.
//! `jiangsu/suzhou/wujiang`, `shanghai/qingpu`, `zhejiang/jiaxing/jiashan`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::FilingError;

/// The 31 province-level divisions of the mainland, in pinyin, as the first segment of an
/// [`Area`]. (Care outside the mainland is not remote care: H22 lists care abroad as unpaid.)
pub const PROVINCES: [&str; 31] = [
    "beijing",
    "tianjin",
    "hebei",
    "shanxi",
    "neimenggu",
    "liaoning",
    "jilin",
    "heilongjiang",
    "shanghai",
    "jiangsu",
    "zhejiang",
    "anhui",
    "fujian",
    "jiangxi",
    "shandong",
    "henan",
    "hubei",
    "hunan",
    "guangdong",
    "guangxi",
    "hainan",
    "chongqing",
    "sichuan",
    "guizhou",
    "yunnan",
    "xizang",
    "shaanxi",
    "gansu",
    "qinghai",
    "ningxia",
    "xinjiang",
];

/// An area: a province-level division followed by lower divisions, lowercase pinyin segments
/// joined by `/` (`jiangsu/suzhou/wujiang`). An area contains every area below it: `shanghai`
/// contains `shanghai/qingpu`.
///
/// ```
/// use yibao_filing::Area;
/// let qingpu: Area = "shanghai/qingpu".parse()?;
/// let shanghai: Area = "shanghai".parse()?;
/// assert!(shanghai.contains(&qingpu));
/// assert!(!qingpu.contains(&shanghai));
/// assert!("shangai/qingpu".parse::<Area>().is_err());
/// # Ok::<(), yibao_filing::FilingError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Area(Vec<String>);

impl Area {
    /// The province-level division (the first segment).
    pub fn province(&self) -> &str {
        self.0.first().map_or("", String::as_str)
    }

    /// Whether `other` is this area or lies inside it.
    pub fn contains(&self, other: &Area) -> bool {
        other.0.len() >= self.0.len() && other.0.iter().zip(&self.0).all(|(a, b)| a == b)
    }

    /// Number of segments (1 for a province).
    pub fn depth(&self) -> usize {
        self.0.len()
    }
}

impl FromStr for Area {
    type Err = FilingError;
    fn from_str(text: &str) -> Result<Area, FilingError> {
        let unknown = |why: String| FilingError::UnknownPlace {
            text: yibao_core::quoted(text).to_string(),
            why,
        };
        let segments: Vec<String> = text.split('/').map(str::to_owned).collect();
        for segment in &segments {
            if segment.is_empty()
                || !segment
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                return Err(unknown(format!(
                    "segment `{segment}` is not lowercase pinyin (write e.g. `jiangsu/suzhou/wujiang`)"
                )));
            }
        }
        let first = segments.first().map_or("", String::as_str);
        if !PROVINCES.contains(&first) {
            return Err(unknown(format!(
                "`{first}` is not a province-level division of the mainland (e.g. jiangsu, shanghai, zhejiang)"
            )));
        }
        Ok(Area(segments))
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("/"))
    }
}

impl Serialize for Area {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Area {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Area, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Where care happens relative to the insured place (the geography of W9 and K8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// Inside the insured place's home area: not remote care.
    Home,
    /// Elsewhere in the insured place's province (省内异地).
    InProvince,
    /// In another province (跨省异地).
    CrossProvince,
}

impl Region {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Region::Home => "home",
            Region::InProvince => "in_province",
            Region::CrossProvince => "cross_province",
        }
    }

    /// The region in English (its snake_case name) and in Chinese.
    pub fn term(self) -> yibao_core::Term {
        let zh = match self {
            Region::Home => "参保地就医",
            Region::InProvince => "省内异地就医",
            Region::CrossProvince => "跨省异地就医",
        };
        yibao_core::Term::new(self.as_str(), zh)
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
