//! The policy data's keys in Chinese, for `policies show` and `policies diff` with `--lang
//! zh`: each key's parts (`benefits`, `inpatient`, `annual_fund_cap`) named in the words of
//! the sources (基本医疗保险待遇 · 住院 · 年度基金支付限额), without the key itself (its English
//! words are what `--lang en` shows, the key column of every English table). A part that is a domain word (a hospital
//! level, a remote-care treatment, a catastrophic person class, a special-disease class, a
//! two-disease cover) takes that word's own Chinese ([`yibao::core::Term`]); the other parts
//! are named in [`PARTS`], one place for each.

use yibao::benefits::{HospitalLevel, SpecialDiseaseClass, TwoDiseaseCover};
use yibao::catastrophic::PersonClass;
use yibao::core::{RemoteCare, Term, Word};

/// The parts of the policy files' keys that are not domain words, in Chinese.
const PARTS: &[(&str, &str)] = &[
    ("absent", "来源未规定"),
    ("after_lapse", "失效后"),
    ("amount", "金额"),
    ("annual_cap", "最高支付限额"),
    ("annual_fund_cap", "年度基金支付限额"),
    ("approval", "备案办理"),
    ("area", "地区"),
    ("band_basis", "分段计算口径"),
    ("bands", "费用段"),
    ("basis", "计算口径"),
    ("benefits", "基本医疗保险待遇"),
    ("by_level", "按医院等级"),
    ("cancel_long_term", "取消长期备案"),
    ("cancel_temporary", "取消临时备案"),
    ("cap_basis", "限额计算口径"),
    ("catalogue", "目录"),
    ("catastrophic", "大病保险"),
    ("categories", "参保人员类别"),
    ("category", "参保人员类别"),
    ("channels", "办理渠道"),
    ("city_retained_cap", "我市保留病种限额"),
    ("class_categories", "人员类别对应的参保类别"),
    ("closed_from", "暂停起始时刻"),
    ("closed_until", "暂停结束时刻"),
    ("closes", "截止日"),
    ("collection_window", "集中缴费期"),
    ("commitment", "承诺制"),
    ("continuity", "连续参保"),
    ("continuity_after_years", "连续参保满年数"),
    ("contribution", "缴费标准"),
    ("contribution_relatives", "可代缴居民医保费的亲属"),
    ("cost_sharing_relatives", "可共济支付医疗费用的亲属"),
    ("counted_from", "起算年度"),
    ("counted_in", "计入年度"),
    ("cross_province", "跨省异地就医"),
    ("cut", "降低支付比例"),
    ("day_surgery", "日间手术"),
    ("deadline", "时限"),
    ("deductible", "起付线"),
    ("document", "证件"),
    ("double_enrolment", "重复参保"),
    ("dual_channel_drugs", "“双通道”药品"),
    ("earlier_years", "以往年度"),
    ("emergency", "急诊"),
    ("employee_to_resident_transfer", "职工医保转居民医保"),
    ("end", "结束日"),
    ("enrolment", "参保缴费"),
    ("exclusions", "基金不予支付的费用"),
    ("exemptions", "免备案地区"),
    ("factor", "按原比例的"),
    ("family_doctor", "家庭医生签约"),
    ("family_payment", "亲属共济"),
    ("files_for", "可办理"),
    ("filing", "异地就医备案"),
    ("first_counted_year", "起算年度"),
    ("from", "起点"),
    ("from_months", "满月数"),
    ("general_outpatient", "普通门诊"),
    ("graduate", "应届毕业生"),
    ("group", "保障人群"),
    ("holder", "持证人"),
    ("home_area", "参保地范围"),
    ("id", "编号"),
    ("identity_documents", "有效身份证件"),
    ("in_province", "省内异地就医"),
    ("incentives", "激励"),
    ("individual", "个人缴费"),
    ("inpatient", "住院"),
    ("kind", "类型"),
    ("ladder", "分段比例"),
    ("lapse_cut", "断保再参保降低限额"),
    ("late_payment", "集中缴费期后缴费"),
    ("late_until", "逾期截止日"),
    ("letter", "承诺书"),
    ("level", "医院等级"),
    ("limit", "上限"),
    ("listed", "所列材料"),
    ("long_term", "长期备案"),
    ("manual_claim", "零星报销"),
    ("materials", "所需材料"),
    ("maternity", "生育"),
    ("months", "月数"),
    ("name_zh", "中文名称"),
    ("new_aid_recipient", "新增救助对象"),
    ("newborn", "新生儿"),
    ("not_given_by_source", "来源未规定"),
    ("not_paid", "不予支付"),
    ("not_paid_under", "不予支付的结算方式"),
    ("not_signed", "未签约"),
    ("note", "说明"),
    ("offered", "提供"),
    ("one_of", "其中之一"),
    ("out_of_city_deductible", "市外住院起付线"),
    ("paid_at", "支付的医疗机构等级"),
    ("paid_on_or_after", "缴费日不早于"),
    ("part", "费用部分"),
    ("payment_channel", "缴费渠道"),
    ("places", "地区"),
    ("points", "降低百分点"),
    ("policy", "政策"),
    ("policy_year", "政策年度"),
    ("provincial_cap", "省定病种限额"),
    ("purpose", "用途"),
    ("rate", "比例"),
    ("ratio", "报销比例"),
    ("ratios", "报销比例"),
    ("reading", "解读"),
    ("reasons", "原因"),
    ("refund", "退费"),
    ("remote_care", "异地就医"),
    ("repeat_admissions", "多次住院"),
    ("rounding", "舍入"),
    ("rule", "依据"),
    ("rules", "依据"),
    ("same_province", "省内"),
    ("scope", "范围"),
    ("second", "第二次"),
    ("sentence", "载明标准的原文"),
    ("settlement", "结算"),
    ("share_of_first", "占首次起付线的比例"),
    ("signed", "签约"),
    ("situation", "情形"),
    ("special_disease", "门诊特殊病"),
    ("start", "开始日"),
    ("stated_for", "适用年度"),
    ("step", "每次提高"),
    ("subsidy", "财政补助"),
    ("subsidy_withdrawal", "收回财政补助"),
    ("suspended_from", "停卡起始"),
    ("switch_gap_months", "转换间隔月数"),
    ("switch_min_years", "转换前最少参保年数"),
    ("temporary", "临时备案"),
    ("third_and_later", "第三次及以后"),
    ("threshold", "起付线"),
    ("to", "终点"),
    ("transfer_out", "转外"),
    ("treatment", "结算方式"),
    ("two_disease_drugs", "“两病”门诊用药"),
    ("type", "类型"),
    ("types", "备案类型"),
    ("university_transition", "大学生结算周期过渡"),
    ("until_cancelled", "至取消备案时止"),
    ("valid_days", "有效天数"),
    ("validity", "备案有效期"),
    ("veteran", "退役军人"),
    ("within_days", "天数内"),
    ("without_filing", "未备案"),
    ("working_days", "工作日"),
    ("year", "年度"),
    ("year_end", "年末"),
];

/// A part of a key in Chinese: a domain word's own, else [`PARTS`]'; `None` for a part
/// named nowhere.
fn part_zh(part: &str) -> Option<&'static str> {
    let word = |term: Option<Term>| term.map(|t| t.zh);
    word(HospitalLevel::from_name(part).map(HospitalLevel::term))
        .or_else(|| word(PersonClass::from_name(part).map(PersonClass::term)))
        .or_else(|| word(TwoDiseaseCover::from_name(part).map(TwoDiseaseCover::term)))
        .or_else(|| {
            let treatment = RemoteCare::ALL.into_iter().find(|r| r.as_str() == part);
            word(treatment.map(RemoteCare::term))
        })
        .or_else(|| {
            // The special-disease deductible's keys, one per class.
            let class = match part {
                "severe_mental" => Some(SpecialDiseaseClass::SevereMental),
                "psychiatric" => Some(SpecialDiseaseClass::Psychiatric),
                "other" => Some(SpecialDiseaseClass::Other),
                _ => None,
            };
            word(class.map(SpecialDiseaseClass::term))
        })
        .or_else(|| PARTS.iter().find(|(en, _)| *en == part).map(|(_, zh)| *zh))
}

/// The key's parts in Chinese, joined by ·, an index kept as `[1]` (1-based): `None` when a
/// part is named nowhere.
pub(crate) fn label(key: &str) -> Option<String> {
    let mut parts = Vec::new();
    for part in key.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((name, rest)) => (name, rest.strip_suffix(']')),
            None => (part, None),
        };
        // A prose key's Chinese sibling (`reading_zh`) is named as the prose key it renders.
        let mut zh = part_zh(name)
            .or_else(|| name.strip_suffix("_zh").and_then(part_zh))?
            .to_owned();
        if let Some(index) = index.and_then(|i| i.parse::<usize>().ok()) {
            zh += &format!("第 {} 项", index + 1);
        }
        parts.push(zh);
    }
    Some(parts.join("·"))
}

/// A key as a Chinese table names it: its label; the key itself when a part is named
/// nowhere (never for the shipped data: tested below).
pub(crate) fn shown(key: &str) -> String {
    label(key).unwrap_or_else(|| key.to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    /// Every key of every book of the shipped data has its label: a part missing from
    /// [`PARTS`] (a key added to the data) fails here.
    #[test]
    fn every_key_of_the_shipped_data_has_a_chinese_label() {
        let files = yibao::policy::PolicyFiles::embedded();
        let library = yibao::policy::PolicyLibrary::load(&files).unwrap();
        let mut missing = Vec::new();
        for book in library.books() {
            for value in &book.values {
                if label(&value.key).is_none() {
                    missing.push(value.key.clone());
                }
            }
        }
        assert!(missing.is_empty(), "keys without a label: {missing:?}");
    }

    #[test]
    fn a_label_names_each_part() {
        for (key, shown_as) in [
            (
                "benefits.inpatient.annual_fund_cap",
                "基本医疗保险待遇·住院·年度基金支付限额",
            ),
            (
                "benefits.inpatient.ratio.by_level.level_3",
                "基本医疗保险待遇·住院·报销比例·按医院等级·三级医院",
            ),
            (
                "catastrophic.ordinary.bands[0].rate",
                "大病保险·普通参保人员·费用段第 1 项·比例",
            ),
            (
                "remote_care.cut.temporary_filed.points",
                "异地就医·降低支付比例·其他临时外出就医备案·降低百分点",
            ),
            ("nothing.known", "nothing.known"),
        ] {
            assert_eq!(shown(key), shown_as, "{key}");
        }
    }
}
