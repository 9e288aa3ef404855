//! How remote care (异地就医) is treated: the link between a filing and a benefit.
//!
//! The filing crate decides, from a person's filings and the place of care, which treatment a
//! claim gets; the benefits crate applies the jurisdiction's ratio cut for it. Neither knows
//! the other: this enum is the vocabulary they share.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The remote-care treatment a claim is settled under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RemoteCare {
    /// Care in the insured place (no remote care).
    Local,
    /// Care at the filed place under a long-term filing: resettled retiree, long-term resident,
    /// stationed worker (H18, W5: same ratio as at home).
    LongTermFiled,
    /// Care under a referral filing (H18: minus 5 points in Huai'an; W5: same ratio in Wujiang).
    Referral,
    /// Care under an "other temporary" filing (H18 via Q54: minus 20 points; W5: × 80%).
    TemporaryFiled,
    /// Remote care with no filing (H18: minus 20 points; W5: × 80%).
    Unfiled,
    /// Emergency rescue away from home, treated as filed (H18 via Q84: no cut).
    EmergencyRescue,
    /// Care in a place that needs no filing and is treated as a referral (W6: Shanghai).
    ExemptAsReferral,
    /// Care in a place that needs no filing and counts as the same city (W6: Qingpu, Jiashan).
    RegionalSameCity,
}

impl RemoteCare {
    /// Every treatment, in declaration order.
    pub const ALL: [RemoteCare; 8] = [
        RemoteCare::Local,
        RemoteCare::LongTermFiled,
        RemoteCare::Referral,
        RemoteCare::TemporaryFiled,
        RemoteCare::Unfiled,
        RemoteCare::EmergencyRescue,
        RemoteCare::ExemptAsReferral,
        RemoteCare::RegionalSameCity,
    ];

    /// The snake_case name used in data and output.
    pub fn as_str(self) -> &'static str {
        match self {
            RemoteCare::Local => "local",
            RemoteCare::LongTermFiled => "long_term_filed",
            RemoteCare::Referral => "referral",
            RemoteCare::TemporaryFiled => "temporary_filed",
            RemoteCare::Unfiled => "unfiled",
            RemoteCare::EmergencyRescue => "emergency_rescue",
            RemoteCare::ExemptAsReferral => "exempt_as_referral",
            RemoteCare::RegionalSameCity => "regional_same_city",
        }
    }
}

impl RemoteCare {
    /// The treatment in English (its snake_case name, as data and output write it) and in
    /// the words of the filing rules (异地长期居住备案, 转诊备案, 其他临时外出就医备案 …).
    pub fn term(self) -> crate::Term {
        let zh = match self {
            RemoteCare::Local => "本地就医",
            RemoteCare::LongTermFiled => "异地长期居住备案",
            RemoteCare::Referral => "转诊备案",
            RemoteCare::TemporaryFiled => "其他临时外出就医备案",
            RemoteCare::Unfiled => "未备案",
            RemoteCare::EmergencyRescue => "急诊抢救",
            RemoteCare::ExemptAsReferral => "免备案（视同转诊）",
            RemoteCare::RegionalSameCity => "免备案（视同同城）",
        };
        crate::Term::new(self.as_str(), zh)
    }
}

impl fmt::Display for RemoteCare {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
