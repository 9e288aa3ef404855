//! The `[enrolment]` section of a policy file: the parameter types and their validation.

use std::fmt;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Deserializer, Serialize};
use yibao_core::{PolicyYear, QuoteKey, Rules, Yuan};

use crate::quotes;

/// The `[enrolment]` section of one jurisdiction's policy year: windows, contributions,
/// person categories and the rules on late payment, exemptions, continuity and decisions.
///
/// Deserialise it from the `enrolment` table of `policy-data/<place>/<year>.toml`, then call
/// [`Validate::validate`](yibao_core::Validate::validate); an empty list means the data is usable.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolmentSection {
    /// The policy year the section is for (医保年度, the calendar year).
    pub policy_year: PolicyYear,
    /// The rules the section as a whole comes from.
    pub rules: Rules,
    /// The collection window (集中征缴期) for the policy year (K9, H2).
    pub collection_window: CollectionWindow,
    /// The individual contribution and the fiscal subsidy (K2, K10, H1).
    pub contribution: ContributionParams,
    /// The person categories of this jurisdiction (id, Chinese name, what they pay).
    pub categories: Vec<Category>,
    /// What a payment after the window means for cover (K9 suspension, H3 waiting period).
    pub late_payment: LatePayment,
    /// When the payment channels close each day (K11); absent when the source says nothing.
    pub payment_channel: Option<PaymentChannel>,
    /// Newborns (H4, H5); absent when the source says nothing.
    pub newborn: Option<DayLimitRule>,
    /// Veterans enrolling after their change of status (H4, Q92); absent when not given.
    pub veteran: Option<DayLimitRule>,
    /// Newly added aid recipients funded by the city (H4, Q41); absent when not given.
    pub new_aid_recipient: Option<Cited>,
    /// Graduates keep their student cover to 31 December (H26); absent when not given.
    pub graduate: Option<Cited>,
    /// Switching to employee insurance suspends resident cover; no double cover (H9).
    pub double_enrolment: Option<Cited>,
    /// Consecutive years (H6) and the switch tolerance (H4, Q36); absent when not given.
    pub continuity: Option<ContinuityParams>,
    /// Refunds (H8); absent when not given.
    pub refund: Option<RefundParams>,
    /// Paying from an employee's personal account for relatives (H10); absent when not given.
    pub family_payment: Option<FamilyPaymentParams>,
    /// University students' transition period (K1); absent when not given.
    pub university_transition: Option<UniversityTransition>,
    /// Identity documents accepted in place of an ID number (K12, H5).
    #[serde(default)]
    pub identity_documents: Vec<IdentityDocumentRule>,
}

/// An inclusive window of dates in which contributions are collected.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionWindow {
    /// First day, inclusive.
    #[serde(deserialize_with = "yibao_core::deserialize_date")]
    pub start: NaiveDate,
    /// Last day, inclusive.
    #[serde(deserialize_with = "yibao_core::deserialize_date")]
    pub end: NaiveDate,
    /// The rules it comes from.
    pub rules: Rules,
    /// The project's reading, when POLICY-NOTES decides one.
    pub reading: Option<String>,
}

impl CollectionWindow {
    /// Whether `date` is in the window (both ends included).
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

/// The individual contribution and the fiscal subsidy for one person-year.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContributionParams {
    /// The individual contribution (个人缴费) of a category paying the standard amount.
    pub individual: Yuan,
    /// The rules the individual amount comes from.
    pub rules: Rules,
    /// The project's reading, when POLICY-NOTES decides one.
    pub reading: Option<String>,
    /// The fiscal subsidy (财政补助) per person.
    pub subsidy: SubsidyParams,
    /// From which date the subsidy is withheld and the person pays the whole funding (K10).
    pub subsidy_withdrawal: Option<SubsidyWithdrawal>,
    /// The individual contribution of earlier policy years that the section's source gives
    /// (H1: Q14 keeps 2026 equal to 2025), for a newborn's birth-year back payment (H5).
    #[serde(default)]
    pub earlier_years: Vec<EarlierYearContribution>,
}

/// The individual contribution of an earlier policy year, as the section's source gives it
/// (`[[enrolment.contribution.earlier_years]]`). Only the individual amount: the earlier
/// year's window, waiting period and benefits are not in this section.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EarlierYearContribution {
    /// The earlier policy year.
    pub year: PolicyYear,
    /// Its individual contribution of a category paying the standard amount.
    pub individual: Yuan,
    /// The rules it comes from.
    pub rules: Rules,
    /// The project's reading, when POLICY-NOTES decides one.
    pub reading: Option<String>,
}

/// The fiscal subsidy per person, as the source states it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubsidyParams {
    /// The amount stated.
    pub amount: Yuan,
    /// Whether the amount is exact or a minimum ("不低于").
    pub basis: SubsidyBasis,
    /// The year the source states the amount for (Huai'an states 730 for 2025, not 2026).
    pub stated_for: PolicyYear,
    /// The rules it comes from.
    pub rules: Rules,
    /// The project's reading, when POLICY-NOTES decides one.
    pub reading: Option<String>,
}

/// How a subsidy amount is stated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubsidyBasis {
    /// The amount is the subsidy (财政补贴标准：650 元/人).
    Exact,
    /// The subsidy is at least the amount (不低于 730 元).
    AtLeast,
}

yibao_core::words!(SubsidyBasis {
    Exact => "exact",
    AtLeast => "at_least" | "at-least",
});

/// K10: from a date on, and for employee-to-resident transfers, the person pays the whole
/// year's funding (individual part + subsidy) alone.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubsidyWithdrawal {
    /// Payments on or after this date get no subsidy.
    #[serde(deserialize_with = "yibao_core::deserialize_date")]
    pub paid_on_or_after: NaiveDate,
    /// Whether employee-to-resident transfers (城转居) get the subsidy at all.
    pub employee_to_resident_transfer: TransferSubsidy,
    /// The rules it comes from.
    pub rules: Rules,
    /// The project's reading, when POLICY-NOTES decides one.
    pub reading: Option<String>,
}

/// Whether a transfer from employee to resident insurance (城转居) gets the subsidy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransferSubsidy {
    /// Transfers get the subsidy like anyone else.
    Granted,
    /// Transfers pay the whole funding alone (K10: 城转居除外).
    Withheld,
}

yibao_core::words!(TransferSubsidy {
    Granted => "granted",
    Withheld => "withheld",
});

/// A person category of the jurisdiction (未就业居民, 大学生, 医疗救助对象 …).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// A stable id such as `unemployed_resident` (lower case, digits, `_`).
    pub id: CategoryId,
    /// The Chinese name in the source.
    pub name_zh: String,
    /// What this category pays.
    pub contribution: CategoryContribution,
    /// The rules it comes from.
    pub rules: Rules,
    /// The project's reading, when POLICY-NOTES decides one.
    pub reading: Option<String>,
}

/// What a category pays.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum CategoryContribution {
    /// The standard individual contribution of the section, stated by `sentence`.
    Standard {
        /// The source's sentence that states this category's amount (the residents'
        /// standard unless the data names another).
        #[serde(default)]
        sentence: StandardSentence,
    },
    /// Fully subsidised (全额资助): the individual pays nothing (H1).
    #[serde(alias = "fully-subsidised")]
    FullySubsidised,
    /// The sources publish no individual amount for this category.
    #[serde(alias = "not-given-by-source")]
    NotGivenBySource {
        /// What the sources say and do not say.
        note: String,
    },
}

/// Which of the source's sentences states a category's standard amount: Huai'an states the
/// residents' standard in one sentence (2026年居民医保个人缴费标准与2025年持平) and the
/// university students' in another (… 在校学生个人缴费标准确定为 440 元/人).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum StandardSentence {
    /// The residents' standard, the sentence every category pays by unless told otherwise.
    #[default]
    Residents,
    /// The sentence on students of universities and vocational colleges.
    UniversityStudents,
}

impl StandardSentence {
    /// The quote the contribution's step names.
    pub fn quote(self) -> QuoteKey {
        match self {
            StandardSentence::Residents => quotes::CONTRIBUTION,
            StandardSentence::UniversityStudents => quotes::CONTRIBUTION_UNIVERSITY_STUDENTS,
        }
    }
}

/// A person category id, e.g. `university_student`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CategoryId(String);

impl CategoryId {
    /// A category id from text (not checked against the data: lookups report unknown ids).
    pub fn new(id: impl Into<String>) -> CategoryId {
        CategoryId(id.into())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn is_well_formed(&self) -> bool {
        !self.0.is_empty()
            && self.0.starts_with(|c: char| c.is_ascii_lowercase())
            && self
                .0
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    }
}

impl fmt::Display for CategoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a payment outside the collection window means for cover.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum LatePayment {
    /// K9: someone insured the year before who has not paid is suspended (停卡) from
    /// `suspended_from`; paying reopens cover the day after the payment.
    #[serde(alias = "suspension-until-day-after-payment")]
    SuspensionUntilDayAfterPayment {
        /// The first day of suspension (the policy year's 1 January).
        #[serde(deserialize_with = "yibao_core::deserialize_date")]
        suspended_from: NaiveDate,
        /// The rules it comes from.
        rules: Rules,
        /// The project's reading.
        reading: Option<String>,
    },
    /// H3: a fixed waiting period (等待期) of `months` calendar months from the payment date;
    /// also after re-enrolling after a lapse.
    #[serde(alias = "waiting-period")]
    WaitingPeriod {
        /// Calendar months, counted with `yibao_core::add_months`.
        months: u32,
        /// The rules it comes from.
        rules: Rules,
        /// The project's reading.
        reading: Option<String>,
    },
}

/// K11: the daily hours in which payment channels are closed.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentChannel {
    /// Closed from this time (inclusive).
    pub closed_from: ClockTime,
    /// Until this time (exclusive); `24:00` is midnight at the end of the day.
    pub closed_until: ClockTime,
    /// The rules it comes from.
    pub rules: Rules,
}

/// A time of day `HH:MM` from `00:00` to `24:00` (the end of the day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime {
    minutes: u16,
}

impl ClockTime {
    /// Minutes since midnight, 0..=1440.
    pub fn minutes(self) -> u16 {
        self.minutes
    }

    /// The minute of the day of a time (seconds ignored).
    pub fn of(time: NaiveTime) -> ClockTime {
        use chrono::Timelike;
        let minutes = time.hour() * 60 + time.minute();
        ClockTime {
            minutes: u16::try_from(minutes).unwrap_or(1440),
        }
    }
}

impl FromStr for ClockTime {
    type Err = String;
    fn from_str(text: &str) -> Result<ClockTime, String> {
        let bad = || {
            format!(
                "`{}` is not a time of day (expected HH:MM from 00:00 to 24:00)",
                yibao_core::quoted(text)
            )
        };
        let (h, m) = text.split_once(':').ok_or_else(bad)?;
        if h.len() != 2 || m.len() != 2 {
            return Err(bad());
        }
        let h: u16 = h.parse().map_err(|_| bad())?;
        let m: u16 = m.parse().map_err(|_| bad())?;
        if m >= 60 || h > 24 || (h == 24 && m != 0) {
            return Err(bad());
        }
        Ok(ClockTime {
            minutes: h * 60 + m,
        })
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.minutes / 60, self.minutes % 60)
    }
}

impl Serialize for ClockTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Written as its `HH:MM` text.
#[cfg(feature = "schemars")]
impl schemars::JsonSchema for ClockTime {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("ClockTime")
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A time of day, HH:MM from 00:00 to 24:00.",
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$"
        })
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ClockTime, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// An exemption that applies when the person enrols within a number of days of an event
/// (birth, change of status).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayLimitRule {
    /// "Within N days of d" means on or before `d + N days` (POLICY-NOTES, Conventions).
    pub within_days: u32,
    /// The rules it comes from.
    pub rules: Rules,
    /// The project's reading.
    pub reading: Option<String>,
}

/// A rule that carries no number, only its citation (and reading).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cited {
    /// The rules it comes from.
    pub rules: Rules,
    /// The project's reading.
    pub reading: Option<String>,
}

/// H6 and H4 (Q36): how consecutive years are counted.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContinuityParams {
    /// The first policy year that counts; earlier years neither count nor break (H6).
    pub counted_from: PolicyYear,
    /// A switch between employee and resident insurance with a gap of at most this many
    /// months is not a lapse (Q36) …
    pub switch_gap_months: u32,
    /// … for someone already insured at least this many consecutive years.
    pub switch_min_years: u32,
    /// The rules it comes from.
    pub rules: Rules,
    /// The project's reading.
    pub reading: Option<String>,
}

/// H8: which reasons allow a refund before the benefit period starts.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefundParams {
    /// The reasons that allow a refund on application.
    pub reasons: Vec<RefundReason>,
    /// The rules it comes from.
    pub rules: Rules,
    /// The project's reading.
    pub reading: Option<String>,
}

/// Why a refund is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RefundReason {
    /// Paid twice for the same year (重复缴费).
    DuplicatePayment,
    /// Joined employee insurance (参加职工医保).
    JoinedEmployeeInsurance,
    /// Joined another area's resident insurance (其他统筹地区居民医保).
    JoinedOtherAreaResidentInsurance,
    /// Any other reason (changed one's mind …).
    Other,
}

yibao_core::words!(RefundReason {
    DuplicatePayment => "duplicate_payment" | "duplicate-payment",
    JoinedEmployeeInsurance => "joined_employee_insurance" | "joined-employee-insurance",
    JoinedOtherAreaResidentInsurance => "joined_other_area_resident_insurance" | "joined-other-area-resident-insurance",
    Other => "other",
});

/// H10: whose resident contribution an employee's personal account may pay, and whose
/// medical costs it may share.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FamilyPaymentParams {
    /// Relatives whose resident contribution the account may pay (Q30).
    pub contribution_relatives: Vec<Relation>,
    /// Relatives whose medical costs the account may share (家庭共济, Q51).
    pub cost_sharing_relatives: Vec<Relation>,
    /// The rules it comes from.
    pub rules: Rules,
    /// The project's reading.
    pub reading: Option<String>,
}

/// A family relation to the employee who owns the account.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Relation {
    /// 配偶.
    Spouse,
    /// 父母.
    Parent,
    /// 子女.
    Child,
    /// 兄弟姐妹.
    Sibling,
    /// 祖父母 (father's parents).
    PaternalGrandparent,
    /// 外祖父母 (mother's parents).
    MaternalGrandparent,
    /// 孙子女 (son's children).
    Grandchild,
    /// 外孙子女 (daughter's children).
    DaughtersChild,
    /// Anyone else (uncle, cousin, friend …).
    Other,
}

yibao_core::words!(Relation {
    Spouse => "spouse",
    Parent => "parent",
    Child => "child",
    Sibling => "sibling",
    PaternalGrandparent => "paternal_grandparent" | "paternal-grandparent",
    MaternalGrandparent => "maternal_grandparent" | "maternal-grandparent",
    Grandchild => "grandchild",
    DaughtersChild => "daughters_child" | "daughters-child",
    Other => "other",
});

/// K1: university students insured the year before keep cover through a transition period
/// without an extra contribution.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UniversityTransition {
    /// The category it applies to.
    pub category: CategoryId,
    /// First day of the transition, inclusive.
    #[serde(deserialize_with = "yibao_core::deserialize_date")]
    pub start: NaiveDate,
    /// Last day of the transition, inclusive.
    #[serde(deserialize_with = "yibao_core::deserialize_date")]
    pub end: NaiveDate,
    /// The rules it comes from.
    pub rules: Rules,
    /// The project's reading.
    pub reading: Option<String>,
}

/// K12, H5: a document whose number may stand in for an ID-card number when paying.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityDocumentRule {
    /// The document.
    pub document: IdentityDocument,
    /// Who may use it.
    pub holder: DocumentHolder,
    /// The rules it comes from.
    pub rules: Rules,
}

/// A document whose number identifies the insured person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IdentityDocument {
    /// 居民身份证.
    ResidentIdCard,
    /// 港澳台居民居住证 (K12).
    ResidencePermit,
    /// 出生医学证明 (H5).
    BirthCertificate,
}

yibao_core::words!(IdentityDocument {
    ResidentIdCard => "resident_id_card" | "resident-id-card",
    ResidencePermit => "residence_permit" | "residence-permit",
    BirthCertificate => "birth_certificate" | "birth-certificate",
});

/// Who holds a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocumentHolder {
    /// Anyone.
    Anyone,
    /// Students from Hong Kong, Macao or Taiwan (港澳台学生).
    HongKongMacaoTaiwanStudent,
    /// A newborn without an ID number yet.
    Newborn,
}

yibao_core::words!(DocumentHolder {
    Anyone => "anyone",
    HongKongMacaoTaiwanStudent => "hong_kong_macao_taiwan_student" | "hong-kong-macao-taiwan-student",
    Newborn => "newborn",
});

mod validation;
