//! The policy data's values in Chinese, for `policies show` and `policies diff` with `--lang
//! zh`: a value that is a domain word (`level_1`, `shares_inpatient`, `insured_place`), or a
//! list of them (`[primary_care, level_1]`), is shown in the sources' words (一级医院,
//! 与住院共用, 参保地). A word with its own Chinese in the engine ([`yibao::core::Term`]) takes
//! it; a category id takes the category's `name_zh` from the book; the other words are named
//! in [`VALUES`], one place for each. Rule ids, dates, amounts and rates stay as written.

use std::collections::BTreeMap;

use yibao::benefits::{HospitalLevel, NotPaid};
use yibao::core::{RemoteCare, Word};
use yibao::enrolment::{DocumentHolder, IdentityDocument, RefundReason, Relation};
use yibao::filing::FilingType;
use yibao::policy::Book;

/// The data's value words that are not domain words of the engine, in Chinese.
const VALUES: &[(&str, &str)] = &[
    ("all", "全部"),
    ("annual_fund_payment", "年度基金支付额"),
    ("any_time", "随时"),
    ("at_least", "不低于"),
    ("barred_for_good", "不再享受"),
    ("consultation_fee", "一般诊疗费"),
    ("cross_province", "跨省"),
    ("cumulative_eligible_expense", "年度累计政策范围内费用"),
    (
        "cumulative_excess_over_threshold",
        "年度累计超过起付线的费用",
    ),
    ("email", "电子邮件"),
    ("end_of_next_policy_year", "下一政策年度末"),
    ("exact", "确定金额"),
    ("exempt_as_referral", "免备案，视同转诊"),
    ("full", "全额"),
    ("fully_subsidised", "全额资助"),
    ("half_away_from_zero", "四舍五入（远离零）"),
    ("hospital", "医疗机构"),
    ("insured_place", "参保地"),
    ("jiangsu/huaian", "江苏省淮安市"),
    ("jiangsu/suzhou", "江苏省苏州市"),
    ("jiangsu/suzhou/kunshan", "江苏省苏州市昆山市"),
    ("no_cut", "不降低"),
    ("not_given_by_source", "来源未规定"),
    ("not_signed", "未签约"),
    ("not_stated", "来源未说明"),
    ("offline", "线下"),
    ("online", "线上"),
    ("other", "其他费用"),
    ("patient", "参保人本人"),
    ("regional_same_city", "区域同城"),
    ("resident", "居民"),
    ("self_and_family", "本人及家属"),
    ("self_or_others", "本人或他人代办"),
    ("shanghai", "上海市"),
    ("shanghai/qingpu", "上海市青浦区"),
    ("shares_inpatient", "与住院共用"),
    ("signed", "签约"),
    ("standard", "统一标准"),
    ("student", "学生"),
    ("supporting_document", "与认定材料一致"),
    ("suspension_until_day_after_payment", "停卡至缴费次日"),
    ("treated_as_filed", "视同已备案"),
    ("treatment_place", "就医地"),
    ("university_students", "高等院校、职业院校在校学生"),
    ("waiting_period", "待遇等待期"),
    ("withheld", "不予补助"),
    ("year_processed", "办理年度"),
    ("zhejiang/jiaxing/jiashan", "浙江省嘉兴市嘉善县"),
];

/// The Chinese of one value word: an engine word's own or [`VALUES`]', else the book's
/// category of that id; `None` for a word named nowhere.
fn word_zh(word: &str, categories: &BTreeMap<String, String>) -> Option<String> {
    let filing = FilingType::ALL.into_iter().find(|t| t.as_str() == word);
    let remote = RemoteCare::ALL.into_iter().find(|r| r.as_str() == word);
    HospitalLevel::from_name(word)
        .map(|w| w.term().zh)
        .or_else(|| filing.map(|t| t.term().zh))
        .or_else(|| remote.map(|r| r.term().zh))
        .or_else(|| NotPaid::from_name(word).map(|w| w.term().zh))
        // Before the enrolment words, whose `other` is a relative's (其他亲属), not a part
        // of an outpatient bill's.
        .or_else(|| VALUES.iter().find(|(en, _)| *en == word).map(|(_, zh)| *zh))
        .or_else(|| Relation::from_name(word).map(|w| w.term().zh))
        .or_else(|| RefundReason::from_name(word).map(|w| w.term().zh))
        .or_else(|| IdentityDocument::from_name(word).map(|w| w.term().zh))
        .or_else(|| DocumentHolder::from_name(word).map(|w| w.term().zh))
        .map(str::to_owned)
        .or_else(|| categories.get(word).cloned())
}

/// The book's enrolment categories, id → `name_zh`.
pub(crate) fn categories(book: &Book) -> BTreeMap<String, String> {
    let names: BTreeMap<&str, &str> = book
        .values
        .iter()
        .filter_map(|v| {
            let at = v.key.strip_prefix("enrolment.categories[")?;
            let index = at.strip_suffix("].name_zh")?;
            Some((index, v.value.as_str()))
        })
        .collect();
    book.values
        .iter()
        .filter_map(|v| {
            let at = v.key.strip_prefix("enrolment.categories[")?;
            let index = at.strip_suffix("].id")?;
            let name = names.get(index)?;
            Some((v.value.clone(), (*name).to_owned()))
        })
        .collect()
}

/// A value as a Chinese table shows it: a word, or each word of a list, in Chinese; any
/// other value (an amount, a rate, a date, a rule id, prose) as written.
pub(crate) fn shown(value: &str, categories: &BTreeMap<String, String>) -> String {
    if let Some(items) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
        let words: Option<Vec<String>> = items
            .split(", ")
            .map(|item| word_zh(item, categories))
            .collect();
        if let Some(words) = words.filter(|w| !w.is_empty()) {
            return words.join("、");
        }
        return value.to_owned();
    }
    word_zh(value, categories).unwrap_or_else(|| value.to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    #[test]
    fn the_table_is_sorted_and_names_each_word_once() {
        let names: Vec<&str> = VALUES.iter().map(|(en, _)| *en).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted);
    }

    #[test]
    fn words_and_lists_of_words_are_shown_in_chinese() {
        let categories = BTreeMap::from([("medical_aid".to_owned(), "医疗救助对象".to_owned())]);
        for (value, shown_as) in [
            ("level_1", "一级医院"),
            ("shares_inpatient", "与住院共用"),
            ("[primary_care, level_1]", "基层医疗卫生机构、一级医院"),
            ("[medical_aid]", "医疗救助对象"),
            ("spouse", "配偶"),
            ("85%", "85%"),
            ("H14", "H14"),
            ("2025-10-01", "2025-10-01"),
            ("[a, level_1]", "[a, level_1]"),
        ] {
            assert_eq!(shown(value, &categories), shown_as, "{value}");
        }
    }
}
