//! The `[filing]` section of the policy data: a jurisdiction's filing rules.
//!
//! Every sub-table is complete at the city level except `[filing.catalogue]`, which the
//! province sets once (K8, W9) and the loader merges in.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use yibao_core::{RemoteCare, Rules};

use crate::machine::FilingType;
use crate::place::Area;

/// A jurisdiction's remote-care filing rules: the `[filing]` section (W1–W9, K6–K8, H18, H25).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FilingPolicy {
    /// The home area and the places that need no filing (W1, W6).
    pub places: PlacePolicy,
    /// The filing types offered and the materials each needs (W1, W2).
    pub types: Vec<TypePolicy>,
    /// Where to file (W3, K6, H25).
    pub channels: Vec<Channel>,
    /// How soon a filing is decided (W3, K6).
    pub approval: ApprovalPolicy,
    /// How long filings last and when they may be cancelled (W4).
    pub validity: ValidityPolicy,
    /// Filing on a personal commitment letter (W4).
    pub commitment: CommitmentPolicy,
    /// Emergency rescue without a filing (H18 via Q84).
    pub emergency_rescue: EmergencyPolicy,
    /// Manual claims (零星报销): deadline and catalogue (W7, W8, K7).
    pub manual_claim: ManualClaimPolicy,
    /// Catalogue and policy in and across provinces (K8, W9), set at province level.
    pub catalogue: CataloguePolicy,
}

/// `[filing.places]`: the insured place's home area and the no-filing places.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlacePolicy {
    /// Citations.
    pub rules: Rules,
    /// The project's reading, where one decides.
    pub reading: Option<String>,
    /// The area care inside of which is not remote (Wujiang: `jiangsu/suzhou`, W1).
    pub home_area: Area,
    /// Places that need no filing and the treatment they get (W6).
    #[serde(default)]
    pub exemptions: Vec<Exemption>,
}

/// A place that needs no filing (W6: 免备案).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exemption {
    /// The area; the most specific matching exemption wins (Qingpu over Shanghai).
    pub area: Area,
    /// Its name in the source, e.g. 上海市青浦区.
    pub name_zh: String,
    /// The treatment: `exempt_as_referral` or `regional_same_city`.
    pub treatment: RemoteCare,
}

/// `[[filing.types]]`: one filing type offered and its materials.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypePolicy {
    /// The type.
    #[serde(rename = "type")]
    pub filing_type: FilingType,
    /// Its name in the source.
    pub name_zh: String,
    /// Citations.
    pub rules: Rules,
    /// The project's reading, where one decides.
    pub reading: Option<String>,
    /// The materials to supply.
    pub materials: Materials,
}

/// The materials a filing type needs (W2), or a note that the source lists none.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Materials {
    /// Every item is needed; each item is one of its alternatives (任选其一).
    Listed(Vec<Material>),
    /// The source lists no materials for this type.
    NotGivenBySource(String),
}

/// One item of the materials: any one of the alternatives.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Material {
    /// What the item proves, e.g. 长期居住认定材料.
    pub purpose: Option<String>,
    /// The documents that serve, any one of them.
    pub one_of: Vec<String>,
}

/// `[[filing.channels]]`: one way to file.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    /// Its name in the source, e.g. “吴江医保”微信公众号.
    pub name_zh: String,
    /// Citations.
    pub rules: Rules,
    /// Online, offline, by e-mail or at the hospital.
    pub kind: ChannelKind,
    /// For whom one may file there.
    pub files_for: FilesFor,
    /// Which filings it takes.
    pub scope: ChannelScope,
}

/// How a channel is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChannelKind {
    /// An app, a WeChat account or a mini-program (不见面).
    Online,
    /// By e-mail (K6).
    Email,
    /// A service window (线下).
    Offline,
    /// A designated hospital files when it refers (K6, H25).
    Hospital,
}

/// For whom a channel lets one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FilesFor {
    /// The source does not say.
    NotStated,
    /// Oneself, and family members bound as a 亲情账户 (W3).
    SelfAndFamily,
    /// Oneself or anyone else (W3: 为自己备案、为他人备案).
    SelfOrOthers,
    /// The hospital files for its patient (K6, H25).
    Patient,
}

/// Which filings a channel takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelScope {
    /// Every filing.
    All,
    /// Only filings for care in another province (H25: 跨省就医备案).
    CrossProvince,
    /// Only referral filings (K6, H25).
    Referral,
}

/// `[filing.approval]`: how soon a filing is decided.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalPolicy {
    /// Citations.
    pub rules: Rules,
    /// The project's reading, where one decides.
    pub reading: Option<String>,
    /// The deadline.
    pub deadline: ApprovalDeadline,
}

/// The approval deadline.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum ApprovalDeadline {
    /// Decided by the N-th working day after submission (W3: 2; K6: 1, the next working day).
    WorkingDays(u32),
    /// The source gives no deadline.
    NotGivenBySource(String),
}

/// `[filing.validity]`: how long filings last and when they may be cancelled (W4).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidityPolicy {
    /// Citations.
    pub rules: Rules,
    /// The project's reading, where one decides.
    pub reading: Option<String>,
    /// Temporary filings (referral, emergency rescue, other temporary).
    pub temporary: TemporaryValidity,
    /// Long-term filings (resettled retiree, long-term resident, stationed worker).
    pub long_term: LongTermValidity,
    /// When a temporary filing may be cancelled.
    pub cancel_temporary: TemporaryCancellation,
    /// When a long-term filing may be cancelled.
    pub cancel_long_term: LongTermCancellation,
}

/// How long a temporary filing lasts.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum TemporaryValidity {
    /// N calendar months: valid to start + N months − 1 day (W4: 12).
    Months(u32),
    /// The source gives no validity (the text says so), and the data reads the filing as in
    /// force from its start until cancelled (K8 Reading, Kunshan); every answer that relies
    /// on it carries the note.
    UntilCancelled(String),
    /// The source does not say, and no reading decides: a question that needs it is refused.
    NotGivenBySource(String),
}

/// How long a long-term filing lasts.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum LongTermValidity {
    /// As long as the supporting document (W4: 与认定材料有效期保持一致).
    SupportingDocument,
    /// The source gives no validity (the text says so), and the data reads the filing as in
    /// force from its start until cancelled (K8 Reading, Kunshan); every answer that relies
    /// on it carries the note.
    UntilCancelled(String),
    /// The source does not say, and no reading decides: a question that needs it is refused.
    NotGivenBySource(String),
}

/// When a temporary filing may be cancelled.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum TemporaryCancellation {
    /// At any time (W4: 可随时取消备案).
    AnyTime,
    /// The source does not say.
    NotGivenBySource(String),
}

/// When a long-term filing may be cancelled.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum LongTermCancellation {
    /// From start + N months on (W4: 6个月内不得取消备案, N = 6).
    FromMonths(u32),
    /// The source does not say.
    NotGivenBySource(String),
}

/// `[filing.commitment]`: filing on a personal commitment letter (个人承诺书, W4).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitmentPolicy {
    /// Citations.
    pub rules: Rules,
    /// The project's reading, where one decides.
    pub reading: Option<String>,
    /// Whether it is offered, and on which terms.
    pub letter: CommitmentLetter,
}

/// The terms of a commitment-letter filing.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum CommitmentLetter {
    /// Offered: valid on days start..=start + valid_days − 1; materials supplied by then make
    /// it a full filing; otherwise void from start + valid_days, and the person is barred.
    Offered {
        /// W4: 15.
        valid_days: u32,
        /// What a lapse costs the person.
        after_lapse: AfterLapse,
    },
    /// The source does not offer or describe it.
    NotGivenBySource(String),
}

/// What a lapsed commitment filing costs the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AfterLapse {
    /// Never again a commitment-letter filing (W4: 不再享受承诺制备案服务).
    BarredForGood,
}

/// `[filing.emergency_rescue]`: emergency rescue away from home without a filing.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmergencyPolicy {
    /// Citations.
    pub rules: Rules,
    /// The project's reading, where one decides.
    pub reading: Option<String>,
    /// The treatment without a filing.
    pub without_filing: EmergencyWithoutFiling,
}

/// The treatment of unfiled emergency rescue.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum EmergencyWithoutFiling {
    /// Treated as filed (H18 via Q84: 异地急诊抢救人员视同已备案).
    TreatedAsFiled,
    /// The source does not say.
    NotGivenBySource(String),
}

/// `[filing.manual_claim]`: manual claims (零星报销) after care not settled directly.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManualClaimPolicy {
    /// Citations.
    pub rules: Rules,
    /// The project's reading, where one decides.
    pub reading: Option<String>,
    /// The deadline.
    pub deadline: ClaimDeadline,
    /// The catalogue a manual claim is settled on, where the source says (W8: Suzhou's).
    pub catalogue: Option<Side>,
}

/// The manual-claim deadline.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum ClaimDeadline {
    /// The year's claims close on a day of the expense's policy year; late claims are taken
    /// to the end of the next policy year and counted in the year processed (W7, K7).
    YearEnd {
        /// The regular closing day, `MM-DD` (K7: `12-30`; W7: `12-31`).
        closes: MonthDay,
        /// How far late claims are taken.
        late_until: LateUntil,
        /// The year a claim counts in.
        counted_in: CountedIn,
    },
    /// The source gives no deadline.
    NotGivenBySource(String),
}

/// How far late claims are taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LateUntil {
    /// The end of the policy year after the expense's (W7: 下一医保年度末; K7: 下一结算年度末).
    EndOfNextPolicyYear,
}

/// The policy year a manual claim counts in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CountedIn {
    /// The year the claim is processed (列入办理报销结付手续的年度累计).
    YearProcessed,
}

/// `[filing.catalogue]`: catalogue and policy in and across provinces (K8, W9).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CataloguePolicy {
    /// Citations.
    pub rules: Rules,
    /// The project's reading, where one decides.
    pub reading: Option<String>,
    /// Elsewhere in the province (省内异地).
    pub in_province: CatalogueAndPolicy,
    /// In another province (跨省异地).
    pub cross_province: CatalogueAndPolicy,
}

/// Whose catalogue and whose policy apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CatalogueAndPolicy {
    /// Whose catalogue (药品目录, 诊疗项目, 耗材) applies.
    pub catalogue: Side,
    /// Whose policy (deductible, ratio, cap) applies.
    pub policy: Side,
}

/// The insured place or the treatment place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The insured place (参保地).
    InsuredPlace,
    /// The treatment place (就医地).
    TreatmentPlace,
}

impl Side {
    /// The side in English and Chinese (参保地, 就医地).
    pub fn term(self) -> yibao_core::Term {
        match self {
            Side::InsuredPlace => yibao_core::Term::new("insured place", "参保地"),
            Side::TreatmentPlace => yibao_core::Term::new("treatment place", "就医地"),
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.term().en)
    }
}

/// A day of the year, `MM-DD` (no 29 February).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthDay {
    month: u32,
    day: u32,
}

impl MonthDay {
    /// The day in `year`.
    pub fn in_year(self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, self.month, self.day)
    }
}

impl FromStr for MonthDay {
    type Err = String;
    fn from_str(text: &str) -> Result<MonthDay, String> {
        let bad = || {
            format!(
                "`{}` is not a day of the year (write MM-DD, e.g. \"12-30\")",
                yibao_core::quoted(text)
            )
        };
        let (m, d) = text.split_once('-').ok_or_else(bad)?;
        if m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let month: u32 = m.parse().map_err(|_| bad())?;
        let day: u32 = d.parse().map_err(|_| bad())?;
        // 2021 is not a leap year: 02-29 is refused, as it is not a day of every year.
        let date = NaiveDate::from_ymd_opt(2021, month, day).ok_or_else(bad)?;
        Ok(MonthDay {
            month: date.month(),
            day: date.day(),
        })
    }
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

impl Serialize for MonthDay {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for MonthDay {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<MonthDay, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl FilingPolicy {
    /// The policy of a filing type, if the jurisdiction offers it.
    pub fn type_policy(&self, filing_type: FilingType) -> Option<&TypePolicy> {
        self.types.iter().find(|t| t.filing_type == filing_type)
    }

    /// The offered types, comma-separated.
    pub fn offered_types(&self) -> String {
        let names: Vec<&str> = self.types.iter().map(|t| t.filing_type.as_str()).collect();
        names.join(", ")
    }
}

mod validation;
