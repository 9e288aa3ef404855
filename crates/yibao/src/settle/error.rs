//! Why a scenario could not be settled: what (a domain's own error, wrapped, or the facade's
//! own case), where in the scenario, and how to fix it.
//!
//! The text of every error is one sentence with the offending value; where it is in the
//! scenario is [`SettleError::at`] (a [`KeyPath`] by [`SettleError::path`], or the claim and
//! its field by [`SettleError::claim_at_fault`]), and [`SettleError::hint`] says what to do.

use std::borrow::Cow;

use yibao_benefits::BenefitError;
use yibao_catastrophic::CatastrophicError;
use yibao_core::{KeyPath, Lang, MoneyError, NaiveDate, PolicyYear, Term};
use yibao_enrolment::EnrolmentError;
use yibao_filing::FilingError;

use crate::policy::BookError;
use crate::scenario::ClassConflict;

/// Why a scenario could not be settled: what went wrong ([`SettleErrorKind`]) and where in
/// the scenario ([`At`]). `Display` is the kind's sentence.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct SettleError {
    /// What is wrong, with the value.
    pub kind: SettleErrorKind,
    /// Where in the scenario.
    pub at: At,
}

impl SettleError {
    /// Out of line and cold: an error is the rare path, and its building would otherwise
    /// sit inline in the settlement's loops.
    #[cold]
    #[inline(never)]
    pub(crate) fn new(at: At, kind: SettleErrorKind) -> SettleError {
        SettleError { kind, at }
    }

    /// Where in the scenario, as a key path (e.g. `claims[2].date`).
    pub fn path(&self) -> KeyPath {
        self.at.path()
    }

    /// The claim at fault, when the error is about one: its 0-based position in the
    /// scenario's claim list and, when one field of it is at fault, which.
    pub fn claim_at_fault(&self) -> Option<(usize, Option<ClaimField>)> {
        match self.at {
            At::Claim { index, field } => Some((index, field)),
            _ => None,
        }
    }

    /// How to fix it, when there is something to say.
    pub fn hint(&self) -> Option<Cow<'static, str>> {
        self.hint_in(Lang::En)
    }

    /// [`SettleError::hint`] in Chinese.
    pub fn hint_zh(&self) -> Option<Cow<'static, str>> {
        self.hint_in(Lang::Zh)
    }

    /// The hint in `lang`: each written once in both languages.
    fn hint_in(&self, lang: Lang) -> Option<Cow<'static, str>> {
        let hint = match &self.kind {
            SettleErrorKind::ClaimOutsideYear { .. } => Term::new(
                "settle each policy year in its own scenario",
                "每个政策年度分别用一个场景文件结算",
            ),
            SettleErrorKind::PlaceAndRemoteCare => Term::new(
                "give `place` to have the filings decide, or `remote_care` when the treatment is known",
                "给出 `place` 由备案决定结算方式，或在已知时给出 `remote_care`",
            ),
            SettleErrorKind::NoAmount => Term::new(
                "give `amount`, or the split `class_a`, `class_b`, `class_c`",
                "给出 `amount`，或按 `class_a`、`class_b`、`class_c` 分列",
            ),
            SettleErrorKind::AmountAndSplit => Term::new("give one of them", "二者只给其一"),
            SettleErrorKind::MissingField { field, .. } => {
                return Some(
                    match lang {
                        Lang::En => format!("add `{field}` to the claim"),
                        Lang::Zh => format!("在该笔费用中加上 `{field}`"),
                    }
                    .into(),
                );
            }
            SettleErrorKind::NoBirthDate => Term::new(
                "add `born = \"YYYY-MM-DD\"` to [person]",
                "在 [person] 中加上 `born = \"YYYY-MM-DD\"`",
            ),
            SettleErrorKind::PaymentWithoutYear => Term::new(
                "add `year = 2026` to the payment",
                "在该笔缴费中加上所缴年度，如 `year = 2026`",
            ),
            SettleErrorKind::NoEnrolmentHistory => Term::new(
                "add [[enrolment]] events: on, event = \"payment\", year",
                "加上 [[enrolment]] 参保事件：`on`、`event = \"payment\"`、`year`",
            ),
            SettleErrorKind::NoCategory => Term::new(
                "add `category = \"…\"` to [person], e.g. \"resident\"",
                "在 [person] 中加上参保人员类别 `category = \"…\"`，如 `\"resident\"`",
            ),
            SettleErrorKind::ClassConflict(_) => Term::new(
                "remove `catastrophic_class` to take the category's class, or give the category that matches",
                "删去 `catastrophic_class` 以按参保类别确定大病保险人员类别，或给出与之相符的参保类别",
            ),
            _ => return None,
        };
        Some(hint.text(lang).into())
    }
}

/// Where in the scenario an error is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum At {
    /// `jurisdiction` (and its year): the policy book.
    Jurisdiction,
    /// `person`.
    Person,
    /// `person.category`.
    PersonCategory,
    /// `person.catastrophic_class`.
    PersonCatastrophicClass,
    /// `enrolment`: the history as a whole.
    Enrolment,
    /// `enrolment[i]`: one event.
    EnrolmentEvent(usize),
    /// `filings`.
    Filings,
    /// `claims`: the claims as a whole (their totals).
    Claims,
    /// `claims[i]`, or one of its fields.
    Claim {
        /// The claim's 0-based position in the scenario's claim list.
        index: usize,
        /// The field at fault, when it is one field.
        field: Option<ClaimField>,
    },
}

impl At {
    /// The claim at `index`, as a whole.
    pub(crate) fn claim(index: usize) -> At {
        At::Claim { index, field: None }
    }

    /// A field of the claim at `index`.
    pub(crate) fn claim_field(index: usize, field: ClaimField) -> At {
        At::Claim {
            index,
            field: Some(field),
        }
    }

    /// As a key path (e.g. `claims[2].date`).
    pub fn path(self) -> KeyPath {
        let root = KeyPath::root();
        match self {
            At::Jurisdiction => root.key("jurisdiction"),
            At::Person => root.key("person"),
            At::PersonCategory => root.key("person").key("category"),
            At::PersonCatastrophicClass => root.key("person").key("catastrophic_class"),
            At::Enrolment => root.key("enrolment"),
            At::EnrolmentEvent(i) => root.key("enrolment").index(i),
            At::Filings => root.key("filings"),
            At::Claims => root.key("claims"),
            At::Claim { index, field } => {
                let claim = root.key("claims").index(index);
                match field {
                    None => claim,
                    Some(field) => claim.key(field.key()),
                }
            }
        }
    }
}

/// The field of a claim an error is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClaimField {
    /// `date`.
    Date,
    /// `amount` (or the class split).
    Amount,
    /// `remote_care`.
    RemoteCare,
    /// `place`.
    Place,
}

impl ClaimField {
    /// The scenario's key.
    pub fn key(self) -> &'static str {
        match self {
            ClaimField::Date => "date",
            ClaimField::Amount => "amount",
            ClaimField::RemoteCare => "remote_care",
            ClaimField::Place => "place",
        }
    }
}

/// What went wrong: a domain's error, wrapped, or a case of the facade's own.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SettleErrorKind {
    /// No policy book for the scenario's jurisdiction and year.
    #[error("{0}")]
    Book(BookError),
    /// The enrolment rules refused the history, the category or a payment.
    #[error("{0}")]
    Enrolment(EnrolmentError),
    /// The filing rules refused the filings or a query of care.
    #[error("{0}")]
    Filing(FilingError),
    /// The basic fund's rules refused a claim.
    #[error("{0}")]
    Benefits(BenefitError),
    /// Catastrophic insurance refused a claim.
    #[error("{0}")]
    Catastrophic(CatastrophicError),
    /// An amount out of range (a sum that overflows).
    #[error("{0}")]
    Money(MoneyError),
    /// The scenario's catastrophic class contradicts its category (H1).
    #[error("{0}")]
    ClassConflict(ClassConflict),
    /// The book has no rules of a kind the scenario needs.
    #[error("the policy data gives no {rules} for {jurisdiction} {year}{}", rules.consequence())]
    NoRules {
        /// Which rules.
        rules: MissingRules,
        /// The jurisdiction.
        jurisdiction: String,
        /// The year.
        year: PolicyYear,
    },
    /// The data says why the year has no benefits to settle claims with.
    #[error("cannot settle claims in {jurisdiction} {year}: {reason}")]
    BenefitsAbsent {
        /// The jurisdiction.
        jurisdiction: String,
        /// The year.
        year: PolicyYear,
        /// What the data says.
        reason: String,
    },
    /// The data says why the year has no enrolment rules.
    #[error("{reason}")]
    EnrolmentAbsent {
        /// What the data says.
        reason: String,
    },
    /// A claim dated outside the scenario's policy year.
    #[error("the claim is dated {date} but the scenario settles policy year {year}")]
    ClaimOutsideYear {
        /// The claim's date.
        date: NaiveDate,
        /// The scenario's year.
        year: PolicyYear,
    },
    /// A claim gives both `place` and `remote_care`.
    #[error("the claim gives both `place` and `remote_care`")]
    PlaceAndRemoteCare,
    /// A claim gives neither an amount nor a class split.
    #[error("the claim has no amount")]
    NoAmount,
    /// A claim gives both an amount and a class split.
    #[error("the claim gives both `amount` and a class split")]
    AmountAndSplit,
    /// A claim of a kind lacks a field that kind needs.
    #[error("{} {kind} claim needs `{field}`", article(kind))]
    MissingField {
        /// The kind, in words (`emergency`).
        kind: &'static str,
        /// The field.
        field: &'static str,
    },
    /// An enrolment history without the person's date of birth.
    #[error("an enrolment history needs the person's date of birth")]
    NoBirthDate,
    /// A payment without the year it pays for.
    #[error("a payment needs the policy year it pays for")]
    PaymentWithoutYear,
    /// A question about cover asked of a scenario without an enrolment history.
    #[error("the scenario has no enrolment history")]
    NoEnrolmentHistory,
    /// A question about a contribution asked of a scenario without the person's category.
    #[error("the question needs the person's category")]
    NoCategory,
    /// A claim's parts exceed its bill.
    #[error("the parts do not add up: {0}")]
    PartsDoNotAddUp(MoneyError),
    /// A state the settlement never reaches (a report slot lost …), named rather than
    /// panicked on.
    #[error("{0}")]
    Unreachable(&'static str),
}

/// The rules a book lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MissingRules {
    /// Benefits.
    Benefits,
    /// Enrolment rules, to read an enrolment history.
    EnrolmentForHistory,
    /// Enrolment rules, to answer a question about cover.
    Enrolment,
    /// Filing rules.
    Filing,
    /// Filing rules, to assess care at a place.
    FilingForCare(yibao_filing::Area),
}

impl MissingRules {
    /// What cannot be done without them, after the sentence (empty when nothing is said).
    fn consequence(&self) -> Cow<'static, str> {
        match self {
            MissingRules::EnrolmentForHistory => ", so the enrolment history cannot be read".into(),
            MissingRules::FilingForCare(area) => {
                format!(", so care at `{area}` cannot be assessed").into()
            }
            MissingRules::Benefits | MissingRules::Enrolment | MissingRules::Filing => "".into(),
        }
    }
}

impl std::fmt::Display for MissingRules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MissingRules::Benefits => "benefits",
            MissingRules::EnrolmentForHistory | MissingRules::Enrolment => "enrolment rules",
            MissingRules::Filing | MissingRules::FilingForCare(_) => "filing rules",
        })
    }
}

/// `a` or `an` before a word.
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

impl SettleError {
    /// The sentence in Chinese, beside the English of `Display`.
    pub fn zh(&self) -> String {
        self.kind.zh()
    }
}

impl SettleErrorKind {
    /// The sentence in Chinese, beside the English of `Display`: a domain's error in its
    /// own Chinese.
    pub fn zh(&self) -> String {
        match self {
            SettleErrorKind::Book(e) => e.zh(),
            SettleErrorKind::Enrolment(e) => e.zh(),
            SettleErrorKind::Filing(e) => e.zh(),
            SettleErrorKind::Benefits(e) => e.zh(),
            SettleErrorKind::Catastrophic(e) => e.zh(),
            SettleErrorKind::Money(e) => e.zh(),
            SettleErrorKind::ClassConflict(e) => e.zh(),
            SettleErrorKind::NoRules { rules, year, .. } => {
                format!(
                    "政策资料未给出 {year} 年度的{}{}",
                    rules.zh(),
                    rules.consequence_zh()
                )
            }
            SettleErrorKind::BenefitsAbsent { year, .. } => format!(
                "无法结算 {year} 年度的费用：政策资料未给出该年度的基本医疗保险待遇标准（起付线、支付比例、封顶线）"
            ),
            SettleErrorKind::EnrolmentAbsent { .. } => {
                "政策资料未给出参保缴费的规定（个人缴费标准、集中缴费期）".to_owned()
            }
            SettleErrorKind::ClaimOutsideYear { date, year } => {
                format!("该费用发生于 {date}，而本场景结算的是 {year} 政策年度")
            }
            SettleErrorKind::PlaceAndRemoteCare => {
                "该笔费用同时给出了 `place` 和 `remote_care`".to_owned()
            }
            SettleErrorKind::NoAmount => "该笔费用没有金额".to_owned(),
            SettleErrorKind::AmountAndSplit => {
                "该笔费用同时给出了 `amount` 和按甲、乙、丙类的分列".to_owned()
            }
            SettleErrorKind::MissingField { kind, field } => {
                format!("{}费用须给出 `{field}`", kind_zh(kind))
            }
            SettleErrorKind::NoBirthDate => "参保缴费记录须给出参保人的出生日期".to_owned(),
            SettleErrorKind::PaymentWithoutYear => "缴费须注明所缴的政策年度".to_owned(),
            SettleErrorKind::NoEnrolmentHistory => "本场景没有参保缴费记录".to_owned(),
            SettleErrorKind::NoCategory => "此问须给出参保人员类别".to_owned(),
            SettleErrorKind::PartsDoNotAddUp(e) => format!("各部分之和与总额不符：{}", e.zh()),
            SettleErrorKind::Unreachable(what) => format!("结算进入了不应出现的状态（{what}）"),
        }
    }
}

impl MissingRules {
    /// The rules in Chinese.
    fn zh(&self) -> &'static str {
        match self {
            MissingRules::Benefits => "基本医疗保险待遇标准",
            MissingRules::EnrolmentForHistory | MissingRules::Enrolment => "参保缴费规定",
            MissingRules::Filing | MissingRules::FilingForCare(_) => "异地就医备案规定",
        }
    }

    /// [`MissingRules::consequence`] in Chinese.
    fn consequence_zh(&self) -> Cow<'static, str> {
        match self {
            MissingRules::EnrolmentForHistory => "，无法读取参保缴费记录".into(),
            MissingRules::FilingForCare(area) => {
                format!("，无法判断在 `{area}` 就医的结算方式").into()
            }
            MissingRules::Benefits | MissingRules::Enrolment | MissingRules::Filing => "".into(),
        }
    }
}

/// A claim kind as [`SettleErrorKind::MissingField`] names it, in Chinese.
fn kind_zh(kind: &str) -> &str {
    match kind {
        "two-disease drug" => "“两病”门诊用药",
        "emergency" => "急诊",
        other => other,
    }
}
