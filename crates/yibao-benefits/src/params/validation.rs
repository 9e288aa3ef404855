//! The validation of `[benefits]` and `[remote_care]`: every finding in English and in
//! Chinese.

use yibao_core::{Diagnostic, KeyPath, RemoteCare, RemoteCut, Validate, Word};

use super::{
    BenefitParams, CapBasis, CutRule, GeneralOutpatientParams, InpatientParams, InpatientRatio,
    OutpatientPart, RemoteCareParams, SharedCap,
};
use crate::claim::{FamilyDoctor, HospitalLevel, PersonGroup};

fn path(text: &str) -> KeyPath {
    KeyPath::parse(text)
}

fn check_reading(reading: &Option<String>, at: &str, out: &mut Vec<Diagnostic>) {
    if reading.as_deref().is_some_and(|r| r.trim().is_empty()) {
        out.push(Diagnostic::error(
            "empty-reading",
            path(&format!("{at}.reading")),
            "`reading` is empty; write the POLICY-NOTES reading or leave the key out",
            "解读 `reading` 为空；请写明 `POLICY-NOTES` 中的解读，或删去该键",
        ));
    }
}

fn check_levels(levels: &[HospitalLevel], at: &str, out: &mut Vec<Diagnostic>) {
    if levels.is_empty() {
        out.push(Diagnostic::error(
            "no-levels",
            path(&format!("{at}.paid_at")),
            "`paid_at` lists no hospital level; list at least one",
            "`paid_at` 未列出任何医院等级；请至少列出一个",
        ));
    }
    for (i, level) in levels.iter().enumerate() {
        if levels.iter().take(i).any(|l| l == level) {
            out.push(Diagnostic::error(
                "duplicate-level",
                path(&format!("{at}.paid_at[{i}]")),
                format!("level `{level}` is listed twice in `paid_at`"),
                format!("`paid_at` 中医院等级 `{level}` 重复列出"),
            ));
        }
    }
}

fn check_shared_cap(cap: &SharedCap, has_inpatient: bool, at: &str, out: &mut Vec<Diagnostic>) {
    match cap {
        SharedCap::SharesInpatient if !has_inpatient => out.push(Diagnostic::error(
            "shared-cap-without-inpatient",
            path(at),
            "the cap is `shares_inpatient` but there is no `[benefits.inpatient]` table to share it with",
            "封顶线为 `shares_inpatient`（与住院共用），但没有可共用的 `[benefits.inpatient]` 表",
        )),
        SharedCap::NotGivenBySource(note) if note.trim().is_empty() => out.push(Diagnostic::error(
            "empty-note",
            path(at),
            "`not_given_by_source` needs a note saying what the source leaves out",
            "`not_given_by_source` 须附说明，写明来源未规定的内容",
        )),
        _ => {}
    }
}

impl GeneralOutpatientParams {
    fn validate_into(&self, out: &mut Vec<Diagnostic>) {
        let at = "general_outpatient";
        check_reading(&self.reading, at, out);
        check_levels(&self.paid_at, at, out);
        for (i, row) in self.ratios.iter().enumerate() {
            if !self.paid_at.contains(&row.level) {
                out.push(Diagnostic::error(
                    "ratio-level-not-paid",
                    path(&format!("{at}.ratios[{i}].level")),
                    format!(
                        "a ratio row is given for `{}` but `paid_at` does not list that level",
                        row.level
                    ),
                    format!(
                        "给出了 `{}` 的报销比例，但 `paid_at` 未列出该医院等级",
                        row.level
                    ),
                ));
            }
        }
        for &level in &self.paid_at {
            for group in PersonGroup::ALL {
                for doctor in FamilyDoctor::ALL {
                    for part in OutpatientPart::ALL {
                        let rows: Vec<usize> = self
                            .ratios
                            .iter()
                            .enumerate()
                            .filter(|(_, r)| r.matches(level, group, doctor, part))
                            .map(|(i, _)| i)
                            .collect();
                        match rows.as_slice() {
                            [] => out.push(Diagnostic::error(
                                "missing-ratio",
                                path(&format!("{at}.ratios")),
                                format!(
                                    "no ratio row covers {level}, {group}, {doctor}, part `{}`",
                                    part.name()
                                ),
                                format!(
                                    "没有报销比例适用于{}、{}、{}的 `{}` 部分",
                                    level.term().zh,
                                    group.term().zh,
                                    doctor.term().zh,
                                    part.name()
                                ),
                            )),
                            [_] => {}
                            [_, second, ..] => out.push(Diagnostic::error(
                                "ambiguous-ratio",
                                path(&format!("{at}.ratios[{second}]")),
                                format!(
                                    "rows {rows:?} all cover {level}, {group}, {doctor}, part `{}`",
                                    part.name()
                                ),
                                format!(
                                    "第 {} 行都适用于{}、{}、{}的 `{}` 部分",
                                    rows_zh(&rows),
                                    level.term().zh,
                                    group.term().zh,
                                    doctor.term().zh,
                                    part.name()
                                ),
                            )),
                        }
                    }
                }
            }
        }
        if let Some(transfer) = &self.transfer_out {
            check_reading(&transfer.reading, &format!("{at}.transfer_out"), out);
            if transfer.not_paid_under.contains(&RemoteCare::Local) {
                out.push(Diagnostic::error(
                    "local-care-not-paid",
                    path(&format!("{at}.transfer_out.not_paid_under")),
                    "`local` care cannot be transfer-out care",
                    "`local`（参保地就医）不能是转外就医",
                ));
            }
        }
    }
}

impl Validate for BenefitParams {
    fn validate(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let has_inpatient = self.inpatient.is_some();
        if let Some(p) = &self.general_outpatient {
            p.validate_into(&mut out);
        }
        if let Some(p) = &self.two_disease_drugs {
            let at = "two_disease_drugs";
            check_reading(&p.reading, at, &mut out);
            check_levels(&p.paid_at, at, &mut out);
            if p.annual_fund_cap.both_diseases < p.annual_fund_cap.one_disease {
                out.push(Diagnostic::error(
                    "cap-order",
                    path(&format!("{at}.annual_fund_cap.both_diseases")),
                    format!(
                        "the cap for both diseases ({}) is below the cap for one disease ({})",
                        p.annual_fund_cap.both_diseases, p.annual_fund_cap.one_disease
                    ),
                    format!(
                        "同时患两种疾病的封顶线（{}）低于患一种疾病的封顶线（{}）",
                        p.annual_fund_cap.both_diseases, p.annual_fund_cap.one_disease
                    ),
                ));
            }
        }
        if let Some(p) = &self.special_disease {
            let at = "special_disease";
            check_reading(&p.reading, at, &mut out);
            check_shared_cap(
                &p.provincial_cap,
                has_inpatient,
                &format!("{at}.provincial_cap"),
                &mut out,
            );
            check_shared_cap(
                &p.city_retained_cap,
                has_inpatient,
                &format!("{at}.city_retained_cap"),
                &mut out,
            );
        }
        if let Some(p) = &self.inpatient {
            validate_inpatient(p, &mut out);
        }
        if let Some(p) = &self.day_surgery {
            let at = "day_surgery";
            check_reading(&p.reading, at, &mut out);
            check_shared_cap(
                &p.annual_fund_cap,
                has_inpatient,
                &format!("{at}.annual_fund_cap"),
                &mut out,
            );
        }
        if let Some(p) = &self.dual_channel_drugs {
            check_reading(&p.reading, "dual_channel_drugs", &mut out);
        }
        if let Some(p) = &self.maternity {
            check_reading(&p.reading, "maternity", &mut out);
            if !has_inpatient {
                out.push(Diagnostic::error(
                    "maternity-without-inpatient",
                    path("maternity"),
                    "a delivery is settled as an admission, but there is no `[benefits.inpatient]` table",
                    "分娩按住院结算，但没有 `[benefits.inpatient]` 表",
                ));
            }
        }
        if let Some(p) = &self.emergency {
            check_reading(&p.reading, "emergency", &mut out);
            for (table, present) in [
                ("general_outpatient", self.general_outpatient.is_some()),
                ("inpatient", has_inpatient),
            ] {
                if !present {
                    out.push(Diagnostic::error(
                        "emergency-without-policy",
                        path("emergency"),
                        format!("emergency care is settled under the outpatient or inpatient policy (H20), but there is no `[benefits.{table}]` table"),
                        format!("急诊按门诊或住院政策结算（H20），但没有 `[benefits.{table}]` 表"),
                    ));
                }
            }
        }
        if let Some(p) = &self.exclusions {
            check_reading(&p.reading, "exclusions", &mut out);
            for (i, item) in p.not_paid.iter().enumerate() {
                if p.not_paid
                    .iter()
                    .take(i)
                    .any(|x| x.situation == item.situation)
                {
                    out.push(Diagnostic::error(
                        "duplicate-exclusion",
                        path(&format!("exclusions.not_paid[{i}].situation")),
                        format!("`{}` is listed twice", item.situation.name()),
                        format!("`{}` 重复列出", item.situation.name()),
                    ));
                }
                if !p.rules.ids().contains(&item.rule) {
                    let cited: Vec<String> =
                        p.rules.ids().iter().map(ToString::to_string).collect();
                    out.push(Diagnostic::error(
                        "exclusion-rule-not-cited",
                        path(&format!("exclusions.not_paid[{i}].rule")),
                        format!(
                            "{} is not among the table's rules ({})",
                            item.rule,
                            cited.join(", ")
                        ),
                        format!(
                            "{} 不在本表引用的规则（{}）之中",
                            item.rule,
                            cited.join("、")
                        ),
                    ));
                }
            }
        }
        out
    }
}

fn validate_inpatient(p: &InpatientParams, out: &mut Vec<Diagnostic>) {
    let at = "inpatient";
    check_reading(&p.reading, at, out);
    if p.annual_fund_cap.is_zero() {
        out.push(Diagnostic::error(
            "cap-not-positive",
            path(&format!("{at}.annual_fund_cap")),
            "the annual cap is 0.00; a cap must be above 0 (leave a value the source does not give absent)",
            "统筹基金年度最高支付限额为 0.00；封顶线须大于 0（来源未给出的数值请不要填写）",
        ));
    }
    let levels: Vec<HospitalLevel> = match &p.ratio {
        InpatientRatio::Ladder(_) => vec![
            HospitalLevel::Level1,
            HospitalLevel::Level2,
            HospitalLevel::Level3,
        ],
        InpatientRatio::ByLevel(rates) => HospitalLevel::ALL
            .into_iter()
            .filter(|l| rates.get(*l).is_some())
            .collect(),
    };
    for level in levels {
        for group in PersonGroup::ALL {
            let rows: Vec<usize> = p
                .deductible
                .iter()
                .enumerate()
                .filter(|(_, r)| r.level == level && r.group.is_none_or(|g| g == group))
                .map(|(i, _)| i)
                .collect();
            match rows.as_slice() {
                [] => out.push(Diagnostic::error(
                    "missing-deductible",
                    path(&format!("{at}.deductible")),
                    format!("no deductible row covers {level}, {group}, but the ratio table pays at {level}"),
                    format!(
                        "报销比例表在{0}支付，但没有起付线适用于{0}的{1}",
                        level.term().zh,
                        group.term().zh
                    ),
                )),
                [_] => {}
                [_, second, ..] => out.push(Diagnostic::error(
                    "ambiguous-deductible",
                    path(&format!("{at}.deductible[{second}]")),
                    format!("rows {rows:?} all cover {level}, {group}"),
                    format!(
                        "第 {} 行起付线都适用于{}的{}",
                        rows_zh(&rows),
                        level.term().zh,
                        group.term().zh
                    ),
                )),
            }
        }
    }
    for (i, row) in p.deductible.iter().enumerate() {
        if row.amount > p.annual_fund_cap {
            out.push(Diagnostic::error(
                "deductible-above-cap",
                path(&format!("{at}.deductible[{i}].amount")),
                format!(
                    "the deductible {} is above the annual cap {}",
                    row.amount, p.annual_fund_cap
                ),
                format!("起付线 {} 高于年度封顶线 {}", row.amount, p.annual_fund_cap),
            ));
        }
    }
    if let (InpatientRatio::ByLevel(_), CapBasis::EligibleExpense) = (&p.ratio, p.cap_basis) {
        out.push(Diagnostic::error(
            "cap-basis-needs-ladder",
            path(&format!("{at}.cap_basis")),
            "`cap_basis = \"eligible_expense\"` limits a ladder position, but this ratio is `by_level`",
            "`cap_basis = \"eligible_expense\"` 限制的是分段累计的位置，但本表的报销比例为 `by_level`（按医院等级）",
        ));
    }
}

impl Validate for RemoteCareParams {
    fn validate(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        check_reading(&self.reading, "", &mut out);
        if self.cut.is_empty() {
            out.push(Diagnostic::error(
                "no-treatments",
                path("cut"),
                "`cut` lists no remote-care treatment",
                "`cut` 未列出任何异地就医情形",
            ));
        }
        for (treatment, note) in &self.not_given_by_source {
            if self.cut.contains_key(treatment) {
                out.push(Diagnostic::error(
                    "cut-and-not-given",
                    path(&format!("not_given_by_source.{treatment}")),
                    format!("`{treatment}` has a cut and is also declared not given by the source; keep one"),
                    format!("`{treatment}` 既规定了降低比例，又声明来源未规定；请只保留其一"),
                ));
            }
            if *treatment == RemoteCare::Local {
                out.push(Diagnostic::error(
                    "local-not-given",
                    path("not_given_by_source.local"),
                    "care at home is never remote care: `local` takes the home ratio".to_owned(),
                    "参保地就医不是异地就医：`local` 按参保地报销比例支付",
                ));
            }
            if note.trim().is_empty() {
                out.push(Diagnostic::error(
                    "empty-absence-note",
                    path(&format!("not_given_by_source.{treatment}")),
                    "the note must say what the source leaves out; it is empty".to_owned(),
                    "说明为空；须写明来源未规定的内容",
                ));
            }
        }
        for (treatment, rule) in &self.cut {
            let no_cut_required =
                matches!(treatment, RemoteCare::Local | RemoteCare::EmergencyRescue);
            if no_cut_required && *rule != CutRule::NoCut {
                out.push(Diagnostic::error(
                    "cut-not-allowed",
                    path(&format!("cut.{treatment}")),
                    format!("`{treatment}` care is never cut (home ratio; H18 reading for emergency rescue), but the data give {}", rule.describe()),
                    format!("`{treatment}` 从不降低报销比例（按参保地比例；急诊抢救依 H18 的解读），但数据给出了{}", cut_zh(rule)),
                ));
            }
        }
        out
    }
}

/// Rows' numbers in Chinese: `1、2`.
fn rows_zh(rows: &[usize]) -> String {
    rows.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("、")
}

/// A cut in Chinese: 不降低, 降低 20 个百分点, × 80%.
fn cut_zh(rule: &CutRule) -> String {
    match rule {
        CutRule::NoCut => "不降低".to_owned(),
        CutRule::Points(points) => RemoteCut::Points(*points).zh(),
        CutRule::Factor(factor) => RemoteCut::Factor(*factor).zh(),
    }
}
