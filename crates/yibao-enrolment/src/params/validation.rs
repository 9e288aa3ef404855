//! The validation of `[enrolment]`: every finding in English and in Chinese.

use yibao_core::{Diagnostic, KeyPath, Validate, Word};

use super::{
    CategoryContribution, EnrolmentSection, LatePayment, RefundReason, Relation, SubsidyBasis,
};

fn err(code: &'static str, path: &str, en: impl Into<String>, zh: impl Into<String>) -> Diagnostic {
    Diagnostic::error(code, KeyPath::parse(path), en, zh)
}

fn check_reading(out: &mut Vec<Diagnostic>, path: &str, reading: Option<&String>) {
    if let Some(text) = reading
        && text.trim().is_empty()
    {
        out.push(err(
            "empty-reading",
            &format!("{path}.reading"),
            "a reading is given but empty; write the reading or remove the key",
            "给出了解读 `reading` 但内容为空；请写明解读，或删去该键",
        ));
    }
}

impl Validate for EnrolmentSection {
    fn validate(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        self.check_window(&mut out);
        self.check_contribution(&mut out);
        self.check_categories(&mut out);
        self.check_late_payment(&mut out);
        self.check_day_limits(&mut out);
        self.check_continuity(&mut out);
        self.check_refund(&mut out);
        self.check_family_payment(&mut out);
        self.check_transition(&mut out);
        out
    }
}

impl EnrolmentSection {
    /// The collection window: in order, and closed before the policy year starts.
    fn check_window(&self, out: &mut Vec<Diagnostic>) {
        let year = self.policy_year;
        let year_start = year.first_day();
        let w = &self.collection_window;
        if w.end < w.start {
            out.push(err(
                "window-ends-before-start",
                "collection_window.end",
                format!(
                    "the collection window ends on {} before it starts on {}",
                    w.end, w.start
                ),
                format!("集中参保缴费期止于 {}，早于其开始日 {}", w.end, w.start),
            ));
        }
        if w.end >= year_start {
            out.push(err(
                "window-not-before-year",
                "collection_window.end",
                format!(
                    "the collection window for {year} ends on {}, not before the policy year starts on {year_start}",
                    w.end
                ),
                format!(
                    "{year} 年度的集中参保缴费期止于 {}，未在医保年度开始日 {year_start} 之前结束",
                    w.end
                ),
            ));
        }
        check_reading(out, "collection_window", w.reading.as_ref());
    }

    /// The contribution: the standard amount, the subsidy, earlier years and a withdrawal.
    fn check_contribution(&self, out: &mut Vec<Diagnostic>) {
        let year = self.policy_year;
        let c = &self.contribution;
        if c.individual.is_zero() {
            out.push(err(
                "zero-contribution",
                "contribution.individual",
                "the standard individual contribution is 0; fully subsidised groups are categories with kind = \"fully_subsidised\"",
                "个人缴费标准为 0；由财政全额资助的人群应写作 `kind = \"fully_subsidised\"` 的人员类别",
            ));
        }
        check_reading(out, "contribution", c.reading.as_ref());
        if c.subsidy.stated_for > year {
            out.push(err(
                "subsidy-stated-for-later-year",
                "contribution.subsidy.stated_for",
                format!(
                    "the subsidy is stated for {} but the section is for {year}",
                    c.subsidy.stated_for
                ),
                format!(
                    "财政补助标准是 {} 年度的，而本部分是 {year} 年度的",
                    c.subsidy.stated_for
                ),
            ));
        }
        check_reading(out, "contribution.subsidy", c.subsidy.reading.as_ref());
        for (i, earlier) in c.earlier_years.iter().enumerate() {
            let path = format!("contribution.earlier_years[{i}]");
            if earlier.year >= year {
                out.push(err(
                    "earlier-year-not-earlier",
                    &format!("{path}.year"),
                    format!(
                        "an earlier year's contribution is for {}, not before the section's year {year}",
                        earlier.year
                    ),
                    format!(
                        "往年缴费标准写的是 {} 年度，并不早于本部分的 {year} 年度",
                        earlier.year
                    ),
                ));
            }
            if c.earlier_years[..i].iter().any(|e| e.year == earlier.year) {
                out.push(err(
                    "duplicate-earlier-year",
                    &format!("{path}.year"),
                    format!("the contribution for {} is given twice", earlier.year),
                    format!("{} 年度的缴费标准重复给出", earlier.year),
                ));
            }
            if earlier.individual.is_zero() {
                out.push(err(
                    "zero-contribution",
                    &format!("{path}.individual"),
                    format!("the individual contribution for {} is 0", earlier.year),
                    format!("{} 年度的个人缴费标准为 0", earlier.year),
                ));
            }
            check_reading(out, &path, earlier.reading.as_ref());
        }
        if let Some(wd) = &c.subsidy_withdrawal {
            if !year.range().contains(wd.paid_on_or_after) {
                out.push(err(
                    "withdrawal-outside-year",
                    "contribution.subsidy_withdrawal.paid_on_or_after",
                    format!(
                        "the subsidy is withdrawn from {}, outside the policy year {year}",
                        wd.paid_on_or_after
                    ),
                    format!(
                        "财政补助自 {} 起不再享受，不在 {year} 医保年度之内",
                        wd.paid_on_or_after
                    ),
                ));
            }
            if c.subsidy.basis != SubsidyBasis::Exact {
                out.push(err(
                    "withdrawal-needs-exact-subsidy",
                    "contribution.subsidy.basis",
                    "paying the whole funding alone needs an exact subsidy amount, but the subsidy is only a minimum (basis = \"at_least\")",
                    "个人全额缴纳筹资标准需要确切的财政补助金额，但补助只给出了下限（`basis = \"at_least\"`）",
                ));
            }
            check_reading(out, "contribution.subsidy_withdrawal", wd.reading.as_ref());
        }
    }

    /// The person categories: at least one, each id well formed, named and listed once.
    fn check_categories(&self, out: &mut Vec<Diagnostic>) {
        if self.categories.is_empty() {
            out.push(err(
                "no-categories",
                "categories",
                "the section lists no person category",
                "本部分未列出任何人员类别",
            ));
        }
        for (i, cat) in self.categories.iter().enumerate() {
            let path = format!("categories[{i}]");
            if !cat.id.is_well_formed() {
                out.push(err(
                    "malformed-category-id",
                    &format!("{path}.id"),
                    format!(
                        "`{}` is not a category id (lower-case letters, digits and `_`, starting with a letter)",
                        cat.id
                    ),
                    format!(
                        "`{}` 不是人员类别编号（由小写字母、数字和 `_` 组成，以字母开头）",
                        cat.id
                    ),
                ));
            }
            if self.categories[..i].iter().any(|other| other.id == cat.id) {
                out.push(err(
                    "duplicate-category",
                    &format!("{path}.id"),
                    format!("the category `{}` is listed twice", cat.id),
                    format!("人员类别 `{}` 重复列出", cat.id),
                ));
            }
            if cat.name_zh.trim().is_empty() {
                out.push(err(
                    "empty-category-name",
                    &format!("{path}.name_zh"),
                    format!("the category `{}` has an empty Chinese name", cat.id),
                    format!("人员类别 `{}` 的中文名称为空", cat.id),
                ));
            }
            if let CategoryContribution::NotGivenBySource { note } = &cat.contribution
                && note.trim().is_empty()
            {
                out.push(err(
                    "empty-note",
                    &format!("{path}.contribution.note"),
                    format!(
                        "the category `{}` has no amount and an empty note; say what the sources do not give",
                        cat.id
                    ),
                    format!(
                        "人员类别 `{}` 没有缴费金额，说明也为空；请写明来源未给出的内容",
                        cat.id
                    ),
                ));
            }
            check_reading(out, &path, cat.reading.as_ref());
        }
    }

    /// Late payment and the payment channel's hours.
    fn check_late_payment(&self, out: &mut Vec<Diagnostic>) {
        let year_start = self.policy_year.first_day();
        match &self.late_payment {
            LatePayment::SuspensionUntilDayAfterPayment {
                suspended_from,
                reading,
                ..
            } => {
                if *suspended_from != year_start {
                    out.push(err(
                        "suspension-not-at-year-start",
                        "late_payment.suspended_from",
                        format!(
                            "suspension starts on {suspended_from}, but a policy year's suspension starts on its first day {year_start}"
                        ),
                        format!(
                            "暂停享受待遇自 {suspended_from} 起，但医保年度的暂停应自其首日 {year_start} 起"
                        ),
                    ));
                }
                check_reading(out, "late_payment", reading.as_ref());
            }
            LatePayment::WaitingPeriod {
                months, reading, ..
            } => {
                if !(1..=12).contains(months) {
                    out.push(err(
                        "waiting-months-out-of-range",
                        "late_payment.months",
                        format!("a waiting period of {months} months is outside 1..=12"),
                        format!("{months} 个月的待遇等待期不在 1 至 12 个月之间"),
                    ));
                }
                check_reading(out, "late_payment", reading.as_ref());
            }
        }
        if let Some(ch) = &self.payment_channel
            && ch.closed_until <= ch.closed_from
        {
            out.push(err(
                "channel-hours-reversed",
                "payment_channel.closed_until",
                format!(
                    "the channel closes at {} and reopens at {}, not later the same day",
                    ch.closed_from, ch.closed_until
                ),
                format!(
                    "缴费渠道 {} 关闭、{} 重新开放：重新开放须晚于当天的关闭时间",
                    ch.closed_from, ch.closed_until
                ),
            ));
        }
    }

    /// The newborn's and the veteran's days.
    fn check_day_limits(&self, out: &mut Vec<Diagnostic>) {
        for (name, rule) in [("newborn", &self.newborn), ("veteran", &self.veteran)] {
            if let Some(rule) = rule {
                if !(1..=366).contains(&rule.within_days) {
                    out.push(err(
                        "days-out-of-range",
                        &format!("{name}.within_days"),
                        format!("{} days is outside 1..=366", rule.within_days),
                        format!("{} 天不在 1 至 366 天之间", rule.within_days),
                    ));
                }
                check_reading(out, name, rule.reading.as_ref());
            }
        }
    }

    /// Continuity: counted from a year not after this one, a switch gap and years in range.
    fn check_continuity(&self, out: &mut Vec<Diagnostic>) {
        let year = self.policy_year;
        let Some(cont) = &self.continuity else {
            return;
        };
        if cont.counted_from > year {
            out.push(err(
                "continuity-starts-later",
                "continuity.counted_from",
                format!(
                    "continuity is counted from {}, after the policy year {year}",
                    cont.counted_from
                ),
                format!(
                    "连续参保自 {} 年度起计算，晚于 {year} 医保年度",
                    cont.counted_from
                ),
            ));
        }
        if !(1..=12).contains(&cont.switch_gap_months) {
            out.push(err(
                "switch-gap-out-of-range",
                "continuity.switch_gap_months",
                format!(
                    "a switch gap of {} months is outside 1..=12",
                    cont.switch_gap_months
                ),
                format!(
                    "{} 个月的转换接续间隔不在 1 至 12 个月之间",
                    cont.switch_gap_months
                ),
            ));
        }
        if cont.switch_min_years == 0 || cont.switch_min_years > 100 {
            out.push(err(
                "switch-years-out-of-range",
                "continuity.switch_min_years",
                format!("{} years is outside 1..=100", cont.switch_min_years),
                format!("{} 年不在 1 至 100 年之间", cont.switch_min_years),
            ));
        }
        check_reading(out, "continuity", cont.reading.as_ref());
    }

    /// The refund's reasons: at least one, each the sources accept, each once.
    fn check_refund(&self, out: &mut Vec<Diagnostic>) {
        let Some(refund) = &self.refund else {
            return;
        };
        if refund.reasons.is_empty() {
            out.push(err(
                "no-refund-reasons",
                "refund.reasons",
                "the refund rule lists no reason",
                "退费规定未列出任何退费情形",
            ));
        }
        if refund.reasons.contains(&RefundReason::Other) {
            out.push(err(
                "refund-for-any-reason",
                "refund.reasons",
                "`other` is not a reason the sources accept for a refund",
                "`other`（其他）不是来源认可的退费情形",
            ));
        }
        for (i, r) in refund.reasons.iter().enumerate() {
            if refund.reasons[..i].contains(r) {
                out.push(err(
                    "duplicate-refund-reason",
                    &format!("refund.reasons[{i}]"),
                    format!("the refund reason `{}` is listed twice", r.name()),
                    format!("退费情形 `{}` 重复列出", r.name()),
                ));
            }
        }
    }

    /// The relatives who may pay: close relatives, each once.
    fn check_family_payment(&self, out: &mut Vec<Diagnostic>) {
        let Some(fam) = &self.family_payment else {
            return;
        };
        for (name, list) in [
            ("contribution_relatives", &fam.contribution_relatives),
            ("cost_sharing_relatives", &fam.cost_sharing_relatives),
        ] {
            if list.is_empty() {
                out.push(err(
                    "no-relatives",
                    &format!("family_payment.{name}"),
                    format!("family_payment.{name} is empty"),
                    format!("`family_payment.{name}` 为空"),
                ));
            }
            for (i, r) in list.iter().enumerate() {
                if *r == Relation::Other {
                    out.push(err(
                        "relative-other",
                        &format!("family_payment.{name}[{i}]"),
                        "`other` is not a close relative",
                        "`other`（其他）不是近亲属",
                    ));
                }
                if list[..i].contains(r) {
                    out.push(err(
                        "duplicate-relative",
                        &format!("family_payment.{name}[{i}]"),
                        format!("the relation `{}` is listed twice", r.name()),
                        format!("亲属关系 `{}` 重复列出", r.name()),
                    ));
                }
            }
        }
    }

    /// The university students' transition: in order, for a listed category.
    fn check_transition(&self, out: &mut Vec<Diagnostic>) {
        let Some(t) = &self.university_transition else {
            return;
        };
        if t.end < t.start {
            out.push(err(
                "transition-ends-before-start",
                "university_transition.end",
                format!(
                    "the transition ends on {} before it starts on {}",
                    t.end, t.start
                ),
                format!("过渡期止于 {}，早于其开始日 {}", t.end, t.start),
            ));
        }
        if !self.categories.iter().any(|c| c.id == t.category) {
            out.push(err(
                "unknown-category",
                "university_transition.category",
                format!("the category `{}` is not listed in categories", t.category),
                format!("人员类别 `{}` 未在 `categories` 中列出", t.category),
            ));
        }
    }
}
