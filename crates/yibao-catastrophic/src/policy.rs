//! The `[catastrophic]` section of a jurisdiction's policy year: thresholds, bands, the annual
//! cap and the incentive rules, with their validation.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use yibao_core::{Diagnostic, KeyPath, PolicyYear, Rate, Rules, Schedule, Validate, Word, Yuan};

use crate::error::CatastrophicError;

/// Who the insured person is for catastrophic insurance (H19): the class decides the
/// threshold and the bands.
///
/// Written `ordinary` and `medical_aid_recipient` everywhere (policy data, scenarios, JSON,
/// the batch's `category` column, the command line). Parses from those names and from the
/// older spellings `medical-aid-recipient` and `aid`; any other text is
/// [`CatastrophicError::UnknownClass`].
///
/// ```
/// use yibao_catastrophic::PersonClass;
/// assert_eq!("medical_aid_recipient".parse::<PersonClass>()?, PersonClass::MedicalAidRecipient);
/// assert_eq!("aid".parse::<PersonClass>()?, PersonClass::MedicalAidRecipient);
/// assert_eq!(PersonClass::MedicalAidRecipient.as_str(), "medical_aid_recipient");
/// assert!("vip".parse::<PersonClass>().is_err());
/// # Ok::<(), yibao_catastrophic::CatastrophicError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PersonClass {
    /// 普通参保人员: an ordinary insured person.
    Ordinary,
    /// 医疗救助对象: a medical-aid recipient (lower threshold, higher rates).
    MedicalAidRecipient,
}

impl PersonClass {
    /// The class's name in English (its code, as the steps write it) and Chinese.
    pub fn term(self) -> yibao_core::Term {
        match self {
            PersonClass::Ordinary => yibao_core::Term::new("ordinary", "普通参保人员"),
            PersonClass::MedicalAidRecipient => {
                yibao_core::Term::new("medical_aid_recipient", "医疗救助对象")
            }
        }
    }
}

yibao_core::words!(PersonClass {
    Ordinary => "ordinary",
    MedicalAidRecipient => "medical_aid_recipient" | "medical-aid-recipient" | "aid",
});

impl PersonClass {
    /// Both classes, ordinary first.
    pub const ALL: [PersonClass; 2] = [PersonClass::Ordinary, PersonClass::MedicalAidRecipient];

    /// The class's one name, in the data, the reports, the batch and on the command line
    /// (its [`Word::name`]).
    pub fn as_str(self) -> &'static str {
        self.name()
    }
}

impl FromStr for PersonClass {
    type Err = CatastrophicError;

    fn from_str(text: &str) -> Result<PersonClass, CatastrophicError> {
        PersonClass::from_name(text).ok_or_else(|| CatastrophicError::UnknownClass {
            text: yibao_core::quoted(text).to_string(),
        })
    }
}

impl fmt::Display for PersonClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the bands are measured on. The only reading implemented is the project's (H19): the
/// cumulative excess of the year's personal burden over the threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BandBasis {
    /// The bands apply to `max(0, cumulative burden − threshold)` within the policy year.
    CumulativeExcessOverThreshold,
}

yibao_core::words!(BandBasis {
    CumulativeExcessOverThreshold => "cumulative_excess_over_threshold" | "cumulative-excess-over-threshold",
});

/// One person class's threshold (起付标准) and bands (H19).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassSchedule {
    /// The rules these numbers come from.
    pub rules: Rules,
    /// The threshold (起付标准) on the year's cumulative personal burden.
    pub threshold: Yuan,
    /// The bands on the excess over the threshold.
    pub bands: Schedule,
}

/// What happens to the cap of a person who re-enrolled after a lapse (H7: 可降低, "may be
/// lowered").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum LapseCut {
    /// The sources allow a cut but give no amount; asking for such a cap is an error.
    NotGivenBySource(String),
    /// The cap is lowered by this amount in the year of re-enrolment.
    Reduction(Yuan),
    /// The sources state that there is no cut.
    NoCut(String),
}

/// The incentive raises of the catastrophic cap (H7, with the consecutive count of H6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incentives {
    /// The rules these numbers come from (H7 first).
    pub rules: Rules,
    /// The project's reading of the incentive rule, as written in the data.
    pub reading: String,
    /// The first policy year counted for continuity and zero-reimbursement (2025).
    pub first_counted_year: PolicyYear,
    /// Each raise (每次提高限额), 5,000.
    pub step: Yuan,
    /// All raises together at most this share of the original cap (20%).
    pub limit: Rate,
    /// Full consecutive years before continuity raises begin (满 4 年): in a year with `n`
    /// consecutive years the raise is `step × max(0, n − continuity_after_years)`.
    pub continuity_after_years: u32,
    /// The cut after a lapse.
    pub lapse_cut: LapseCut,
}

/// The `[catastrophic]` section of one jurisdiction's policy year (H19, H7): deserialise it
/// from the policy data, then call [`Validate::validate`] to get every problem the types
/// cannot express.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatastrophicPolicy {
    /// The rules these numbers come from (H19).
    pub rules: Rules,
    /// The project's reading of the band basis, as written in the data.
    pub reading: String,
    /// What the bands are measured on.
    pub band_basis: BandBasis,
    /// The annual (natural-year) limit of catastrophic payments before incentives: the
    /// "original cap" (原封顶线) of H7.
    pub annual_cap: Yuan,
    /// Ordinary insured persons.
    pub ordinary: ClassSchedule,
    /// Medical-aid recipients.
    pub medical_aid_recipient: ClassSchedule,
    /// The incentive raises of the cap.
    pub incentives: Incentives,
    /// Which class each enrolment category selects (H1 Reading); absent: no category decides
    /// a class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_categories: Option<ClassCategories>,
}

/// `[catastrophic.class_categories]`: the enrolment categories (ids of
/// `[[enrolment.categories]]`) whose members are in each class (H1 Reading: a medical-aid
/// recipient's category selects the aid schedule). A category no class lists is ordinary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassCategories {
    /// The rules the link comes from.
    pub rules: Rules,
    /// The project's reading.
    pub reading: Option<String>,
    /// The categories of ordinary insured persons (the default for any other category).
    #[serde(default)]
    pub ordinary: Vec<String>,
    /// The categories of medical-aid recipients.
    #[serde(default)]
    pub medical_aid_recipient: Vec<String>,
}

impl ClassCategories {
    /// The categories listed for a class.
    pub fn of(&self, class: PersonClass) -> &[String] {
        match class {
            PersonClass::Ordinary => &self.ordinary,
            PersonClass::MedicalAidRecipient => &self.medical_aid_recipient,
        }
    }
}

impl CatastrophicPolicy {
    /// The threshold and bands of a class.
    pub fn class(&self, class: PersonClass) -> &ClassSchedule {
        match class {
            PersonClass::Ordinary => &self.ordinary,
            PersonClass::MedicalAidRecipient => &self.medical_aid_recipient,
        }
    }

    /// The class an enrolment category puts a person in (H1 Reading): the class that lists
    /// it, ordinary for a category no class lists; `None` when the data links no category to
    /// a class (`[catastrophic.class_categories]` absent).
    ///
    /// ```
    /// # use yibao_catastrophic::{CatastrophicPolicy, PersonClass};
    /// # fn example(huaian_2026: &CatastrophicPolicy) {
    /// assert_eq!(huaian_2026.class_of_category("medical_aid"), Some(PersonClass::MedicalAidRecipient));
    /// assert_eq!(huaian_2026.class_of_category("resident"), Some(PersonClass::Ordinary));
    /// # }
    /// ```
    pub fn class_of_category(&self, category: &str) -> Option<PersonClass> {
        let links = self.class_categories.as_ref()?;
        let listed = PersonClass::ALL
            .into_iter()
            .find(|class| links.of(*class).iter().any(|c| c == category));
        Some(listed.unwrap_or(PersonClass::Ordinary))
    }
}

/// The key of a class in `[catastrophic.class_categories]`.
fn class_key(class: PersonClass) -> &'static str {
    match class {
        PersonClass::Ordinary => "ordinary",
        PersonClass::MedicalAidRecipient => "medical_aid_recipient",
    }
}

/// An empty reading, in Chinese.
const EMPTY_READING_ZH: &str = "解读 `reading` 为空；请写明数据所依据的 `POLICY-NOTES` 解读";

/// Every problem of `[catastrophic.class_categories]`: an empty reading or id, a category
/// listed twice or for both classes.
fn check_class_categories(links: &ClassCategories, found: &mut Vec<Diagnostic>) {
    if links
        .reading
        .as_deref()
        .is_some_and(|r| r.trim().is_empty())
    {
        found.push(Diagnostic::error(
            "empty-reading",
            KeyPath::parse("class_categories.reading"),
            "the reading is empty; write the POLICY-NOTES reading the data follows",
            EMPTY_READING_ZH,
        ));
    }
    for class in PersonClass::ALL {
        let listed = links.of(class);
        for (i, category) in listed.iter().enumerate() {
            let at = KeyPath::parse(&format!("class_categories.{}[{i}]", class_key(class)));
            let earlier_class = PersonClass::ALL
                .into_iter()
                .find(|c| *c < class && links.of(*c).contains(category));
            if category.trim().is_empty() {
                found.push(Diagnostic::error(
                    "empty-category",
                    at,
                    "an empty category id; name an `[[enrolment.categories]]` id",
                    "人员类别编号为空；请填写 `[[enrolment.categories]]` 中的一个编号",
                ));
            } else if let Some(other) = earlier_class {
                found.push(Diagnostic::error(
                    "category-in-two-classes",
                    at,
                    format!(
                        "the category `{category}` is listed for both `{other}` and `{class}`; a category selects one class (H1)"
                    ),
                    format!(
                        "人员类别 `{category}` 同时列入 `{other}` 和 `{class}`；一个人员类别只对应一类人员（H1）"
                    ),
                ));
            } else if listed[..i].contains(category) {
                found.push(Diagnostic::error(
                    "duplicate-category",
                    at,
                    format!("the category `{category}` is listed twice"),
                    format!("人员类别 `{category}` 重复列出"),
                ));
            }
        }
    }
}

/// Whether `better` pays at least as much as `worse` for every burden: `better`'s threshold is
/// not higher and its excess function is pointwise at least `worse`'s.
/// Why not, in English and in Chinese.
fn at_least_as_generous(
    better: &ClassSchedule,
    worse: &ClassSchedule,
) -> Result<(), (String, String)> {
    if better.threshold > worse.threshold {
        return Err((
            format!(
                "threshold {} is above the ordinary threshold {}",
                better.threshold, worse.threshold
            ),
            format!(
                "其起付线 {} 高于普通参保人员的起付线 {}",
                better.threshold, worse.threshold
            ),
        ));
    }
    // Both functions are piecewise linear from 0: compare them at every breakpoint and
    // compare the slopes beyond the last one.
    let breakpoints = better
        .bands
        .bands()
        .iter()
        .chain(worse.bands.bands())
        .filter_map(|band| band.to);
    for point in breakpoints {
        let (b, w) = (better.bands.value_at(point), worse.bands.value_at(point));
        if b < w {
            return Err((
                format!("on an excess of {point} its bands pay {b}, less than the ordinary {w}"),
                format!("超出起付线的费用为 {point} 时，其分段支付 {b}，少于普通参保人员的 {w}"),
            ));
        }
    }
    let last_rate = |s: &Schedule| s.bands().last().map(|band| band.rate);
    if last_rate(&better.bands) < last_rate(&worse.bands) {
        let (b, w) = (
            last_rate(&better.bands).unwrap_or(Rate::ZERO),
            last_rate(&worse.bands).unwrap_or(Rate::ZERO),
        );
        return Err((
            format!("its top rate {b} is below the ordinary top rate {w}"),
            format!("其最高一段的支付比例 {b} 低于普通参保人员的 {w}"),
        ));
    }
    Ok(())
}

impl Validate for CatastrophicPolicy {
    fn validate(&self) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        if self.reading.trim().is_empty() {
            found.push(Diagnostic::error(
                "empty-reading",
                KeyPath::parse("reading"),
                "the reading is empty; write the POLICY-NOTES reading the data follows",
                EMPTY_READING_ZH,
            ));
        }
        if self.annual_cap.is_zero() {
            found.push(Diagnostic::error(
                "catastrophic-cap-zero",
                KeyPath::parse("annual_cap"),
                format!(
                    "annual_cap is {}; a catastrophic cap of 0 pays nothing (leave the section absent if the sources give none)",
                    self.annual_cap
                ),
                format!(
                    "大病保险年度封顶线 `annual_cap` 为 {}；封顶线为 0 则分文不付（来源未公布大病保险的，请将该部分声明为缺失）",
                    self.annual_cap
                ),
            ));
        }
        if let Some(links) = &self.class_categories {
            check_class_categories(links, &mut found);
        }
        if let Err((why, why_zh)) =
            at_least_as_generous(&self.medical_aid_recipient, &self.ordinary)
        {
            found.push(Diagnostic::error(
                "aid-less-generous-than-ordinary",
                KeyPath::parse("medical_aid_recipient"),
                format!(
                    "medical-aid recipients would get less than ordinary insured persons: {why}"
                ),
                format!("医疗救助对象的待遇将低于普通参保人员：{why_zh}"),
            ));
        }
        self.check_incentives(&mut found);
        found
    }
}

impl CatastrophicPolicy {
    /// The incentives: a reading, a step above 0 and within the limit, a lapse cut with its
    /// note and not above the cap.
    fn check_incentives(&self, found: &mut Vec<Diagnostic>) {
        let incentives = &self.incentives;
        if incentives.reading.trim().is_empty() {
            found.push(Diagnostic::error(
                "empty-reading",
                KeyPath::parse("incentives.reading"),
                "the reading is empty; write the POLICY-NOTES reading the data follows",
                EMPTY_READING_ZH,
            ));
        }
        if incentives.step.is_zero() {
            found.push(Diagnostic::error(
                "incentive-step-zero",
                KeyPath::parse("incentives.step"),
                format!(
                    "step is {}; each incentive raise must be above 0",
                    incentives.step
                ),
                format!(
                    "每次提高额 `step` 为 {}；激励每次提高的最高支付限额须大于 0",
                    incentives.step
                ),
            ));
        }
        let limit = self.annual_cap.times(incentives.limit);
        if !incentives.step.is_zero() && incentives.step.exact() > limit {
            found.push(Diagnostic::error(
                "incentive-step-above-limit",
                KeyPath::parse("incentives.step"),
                format!(
                    "step {} is above the limit of all raises ({} of {} = {limit}): no raise could ever be given",
                    incentives.step, incentives.limit, self.annual_cap
                ),
                format!(
                    "每次提高额 {} 高于累计提高的上限（{} × {} = {limit}）：永远无法给予任何提高",
                    incentives.step, self.annual_cap, incentives.limit
                ),
            ));
        }
        match &incentives.lapse_cut {
            LapseCut::NotGivenBySource(note) | LapseCut::NoCut(note) if note.trim().is_empty() => {
                found.push(Diagnostic::error(
                    "empty-note",
                    KeyPath::parse("incentives.lapse_cut"),
                    "the lapse-cut note is empty; say what the source says (or does not say)",
                    "断保扣减的说明为空；请写明来源的规定（或来源未作规定）",
                ));
            }
            LapseCut::Reduction(amount) if *amount > self.annual_cap => {
                found.push(Diagnostic::error(
                    "lapse-cut-above-cap",
                    KeyPath::parse("incentives.lapse_cut.reduction"),
                    format!(
                        "the lapse reduction {amount} is above the annual cap {}",
                        self.annual_cap
                    ),
                    format!("断保扣减额 {amount} 高于年度封顶线 {}", self.annual_cap),
                ));
            }
            _ => {}
        }
    }
}
