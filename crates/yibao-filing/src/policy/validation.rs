//! The validation of `[filing]`: every finding in English and in Chinese.

use std::collections::BTreeSet;

use yibao_core::{Diagnostic, KeyPath, RemoteCare, Validate};

use super::{
    ApprovalDeadline, ClaimDeadline, CommitmentLetter, EmergencyWithoutFiling, FilingPolicy,
    LongTermCancellation, LongTermValidity, Materials, TemporaryCancellation, TemporaryValidity,
};

/// Longest filing term a policy may set, in months or days; beyond it a value is a typo.
const MAX_MONTHS: u32 = 120;
const MAX_WORKING_DAYS: u32 = 60;
const MAX_COMMITMENT_DAYS: u32 = 366;

fn err(code: &'static str, path: &str, en: impl Into<String>, zh: impl Into<String>) -> Diagnostic {
    Diagnostic::error(code, KeyPath::parse(path), en, zh)
}

fn check_reading(reading: &Option<String>, path: &str, out: &mut Vec<Diagnostic>) {
    if let Some(text) = reading {
        if text.trim().is_empty() {
            out.push(err(
                "empty-reading",
                path,
                "a `reading` must say what the project decided; it is empty",
                "解读 `reading` 须写明本项目的取舍；现为空",
            ));
        }
    }
}

fn check_note(note: &str, path: &str, out: &mut Vec<Diagnostic>) {
    if note.trim().is_empty() {
        out.push(err(
            "empty-absence-note",
            path,
            "`not_given_by_source` must say what the source leaves out; it is empty",
            "`not_given_by_source` 须写明来源未规定的内容；现为空",
        ));
    }
}

impl Validate for FilingPolicy {
    fn validate(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        self.check_places(&mut out);
        self.check_types(&mut out);
        self.check_channels(&mut out);
        self.check_approval(&mut out);
        self.check_validity(&mut out);
        self.check_commitment(&mut out);
        self.check_the_rest(&mut out);
        out
    }
}

impl FilingPolicy {
    /// The places that need no filing: treated as referral or regional, outside the home
    /// area, each once.
    fn check_places(&self, out: &mut Vec<Diagnostic>) {
        check_reading(&self.places.reading, "places.reading", out);
        let mut seen_areas = BTreeSet::new();
        for (i, exemption) in self.places.exemptions.iter().enumerate() {
            let at = format!("places.exemptions[{i}]");
            if !matches!(
                exemption.treatment,
                RemoteCare::ExemptAsReferral | RemoteCare::RegionalSameCity
            ) {
                out.push(err(
                    "exemption-treatment",
                    &format!("{at}.treatment"),
                    format!(
                        "a place that needs no filing is treated as `exempt_as_referral` or `regional_same_city` (W6), not `{}`",
                        exemption.treatment
                    ),
                    format!(
                        "免于备案的地区按 `exempt_as_referral` 或 `regional_same_city` 处理（W6），而不是 `{}`",
                        exemption.treatment
                    ),
                ));
            }
            if self.places.home_area.contains(&exemption.area) {
                out.push(err(
                    "exemption-inside-home",
                    &format!("{at}.area"),
                    format!(
                        "`{}` lies inside the home area `{}`: care there is local, not exempt",
                        exemption.area, self.places.home_area
                    ),
                    format!(
                        "`{}` 位于参保地 `{}` 之内：在该地就医属于本地就医，而非免于备案",
                        exemption.area, self.places.home_area
                    ),
                ));
            }
            if !seen_areas.insert(exemption.area.clone()) {
                out.push(err(
                    "duplicate-exemption",
                    &format!("{at}.area"),
                    format!("`{}` is listed twice", exemption.area),
                    format!("`{}` 重复列出", exemption.area),
                ));
            }
        }
    }

    /// The filing types: at least one, each once, with their materials.
    fn check_types(&self, out: &mut Vec<Diagnostic>) {
        if self.types.is_empty() {
            out.push(err(
                "no-filing-types",
                "types",
                "no filing type is listed; list the types the source names (W1)",
                "未列出任何备案类型；请列出来源规定的备案类型（W1）",
            ));
        }
        let mut seen_types = BTreeSet::new();
        for (i, t) in self.types.iter().enumerate() {
            let at = format!("types[{i}]");
            if !seen_types.insert(t.filing_type) {
                out.push(err(
                    "duplicate-filing-type",
                    &format!("{at}.type"),
                    format!("`{}` is listed twice", t.filing_type),
                    format!("备案类型 `{}` 重复列出", t.filing_type),
                ));
            }
            check_reading(&t.reading, &format!("{at}.reading"), out);
            match &t.materials {
                Materials::Listed(items) => {
                    if items.is_empty() {
                        out.push(err(
                            "empty-materials",
                            &format!("{at}.materials.listed"),
                            format!(
                                "`{}` lists no materials; write `not_given_by_source` if the source gives none",
                                t.filing_type
                            ),
                            format!(
                                "`{}` 未列出任何备案材料；来源未规定的，请写 `not_given_by_source`",
                                t.filing_type
                            ),
                        ));
                    }
                    for (j, item) in items.iter().enumerate() {
                        if item.one_of.is_empty() || item.one_of.iter().any(|d| d.trim().is_empty())
                        {
                            out.push(err(
                                "empty-material",
                                &format!("{at}.materials.listed[{j}].one_of"),
                                format!(
                                    "an item of `{}`'s materials names no document or an empty one: {:?}",
                                    t.filing_type, item.one_of
                                ),
                                format!(
                                    "`{}` 的备案材料中有一项未写明任何材料，或材料名称为空：`{:?}`",
                                    t.filing_type, item.one_of
                                ),
                            ));
                        }
                    }
                }
                Materials::NotGivenBySource(note) => {
                    check_note(note, &format!("{at}.materials.not_given_by_source"), out);
                }
            }
        }
    }

    /// The filing channels: at least one, each once.
    fn check_channels(&self, out: &mut Vec<Diagnostic>) {
        if self.channels.is_empty() {
            out.push(err(
                "no-filing-channels",
                "channels",
                "no filing channel is listed (W3, K6, H25)",
                "未列出任何备案渠道（W3、K6、H25）",
            ));
        }
        let mut seen_channels = BTreeSet::new();
        for (i, c) in self.channels.iter().enumerate() {
            if !seen_channels.insert(c.name_zh.as_str()) {
                out.push(err(
                    "duplicate-channel",
                    &format!("channels[{i}].name_zh"),
                    format!("the channel `{}` is listed twice", c.name_zh),
                    format!("备案渠道 `{}` 重复列出", c.name_zh),
                ));
            }
        }
    }

    /// The approval deadline.
    fn check_approval(&self, out: &mut Vec<Diagnostic>) {
        check_reading(&self.approval.reading, "approval.reading", out);
        match &self.approval.deadline {
            ApprovalDeadline::WorkingDays(n) if *n == 0 || *n > MAX_WORKING_DAYS => {
                out.push(err(
                    "approval-working-days",
                    "approval.deadline.working_days",
                    format!(
                        "an approval deadline of {n} working days is outside 1..={MAX_WORKING_DAYS}"
                    ),
                    format!("{n} 个工作日的办结时限不在 1 至 {MAX_WORKING_DAYS} 个工作日之间"),
                ));
            }
            ApprovalDeadline::WorkingDays(_) => {}
            ApprovalDeadline::NotGivenBySource(note) => {
                check_note(note, "approval.deadline.not_given_by_source", out);
            }
        }
    }

    /// How long a filing holds, and when it may be cancelled.
    fn check_validity(&self, out: &mut Vec<Diagnostic>) {
        let v = &self.validity;
        check_reading(&v.reading, "validity.reading", out);
        match &v.temporary {
            TemporaryValidity::Months(n) if *n == 0 || *n > MAX_MONTHS => {
                out.push(err(
                    "validity-months",
                    "validity.temporary.months",
                    format!("a validity of {n} months is outside 1..={MAX_MONTHS}"),
                    format!("{n} 个月的备案有效期不在 1 至 {MAX_MONTHS} 个月之间"),
                ));
            }
            TemporaryValidity::Months(_) => {}
            TemporaryValidity::UntilCancelled(note) => {
                check_note(note, "validity.temporary.until_cancelled", out);
            }
            TemporaryValidity::NotGivenBySource(note) => {
                check_note(note, "validity.temporary.not_given_by_source", out);
            }
        }
        match &v.long_term {
            LongTermValidity::SupportingDocument => {}
            LongTermValidity::UntilCancelled(note) => {
                check_note(note, "validity.long_term.until_cancelled", out);
            }
            LongTermValidity::NotGivenBySource(note) => {
                check_note(note, "validity.long_term.not_given_by_source", out);
            }
        }
        if let TemporaryCancellation::NotGivenBySource(note) = &v.cancel_temporary {
            check_note(note, "validity.cancel_temporary.not_given_by_source", out);
        }
        match &v.cancel_long_term {
            LongTermCancellation::FromMonths(n) if *n > MAX_MONTHS => {
                out.push(err(
                    "cancel-months",
                    "validity.cancel_long_term.from_months",
                    format!("a cancellation wait of {n} months is above {MAX_MONTHS}"),
                    format!("{n} 个月的取消备案等待期超过 {MAX_MONTHS} 个月"),
                ));
            }
            LongTermCancellation::FromMonths(_) => {}
            LongTermCancellation::NotGivenBySource(note) => {
                check_note(note, "validity.cancel_long_term.not_given_by_source", out);
            }
        }
    }

    /// The commitment letter's days.
    fn check_commitment(&self, out: &mut Vec<Diagnostic>) {
        check_reading(&self.commitment.reading, "commitment.reading", out);
        match &self.commitment.letter {
            CommitmentLetter::Offered { valid_days, .. }
                if *valid_days == 0 || *valid_days > MAX_COMMITMENT_DAYS =>
            {
                out.push(err(
                    "commitment-days",
                    "commitment.letter.offered.valid_days",
                    format!(
                        "a commitment-letter filing valid {valid_days} days is outside 1..={MAX_COMMITMENT_DAYS}"
                    ),
                    format!(
                        "承诺制备案的有效期 {valid_days} 天不在 1 至 {MAX_COMMITMENT_DAYS} 天之间"
                    ),
                ));
            }
            CommitmentLetter::Offered { .. } => {}
            CommitmentLetter::NotGivenBySource(note) => {
                check_note(note, "commitment.letter.not_given_by_source", out);
            }
        }
    }

    /// Emergency rescue, manual claims and the catalogue: their readings and notes.
    fn check_the_rest(&self, out: &mut Vec<Diagnostic>) {
        check_reading(
            &self.emergency_rescue.reading,
            "emergency_rescue.reading",
            out,
        );
        if let EmergencyWithoutFiling::NotGivenBySource(note) =
            &self.emergency_rescue.without_filing
        {
            check_note(
                note,
                "emergency_rescue.without_filing.not_given_by_source",
                out,
            );
        }
        check_reading(&self.manual_claim.reading, "manual_claim.reading", out);
        if let ClaimDeadline::NotGivenBySource(note) = &self.manual_claim.deadline {
            check_note(note, "manual_claim.deadline.not_given_by_source", out);
        }
        check_reading(&self.catalogue.reading, "catalogue.reading", out);
    }
}
