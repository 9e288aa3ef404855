//! Settlement (H19): the year's cumulative personal burden → the catastrophic payment, for the
//! whole year or claim by claim.

use serde::Serialize;
use yibao_core::{
    BandShare, ExactYuan, Explain, PolicyYear, QuoteKey, RoundingMode, RuleId, Yuan,
    telescoping_increment,
};

use crate::error::CatastrophicError;
use crate::incentive::{CapInForce, RewardQuota, Step};
use crate::policy::{CatastrophicPolicy, PersonClass};
use crate::quotes;

/// Whether the cap in force limited the payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CapBinding {
    /// The banded amount is within the cap.
    WithinCap,
    /// The banded amount is above the cap: the cap is paid.
    CapReached,
}

/// The catastrophic payment of a whole year for one cumulative personal burden.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AnnualSettlement {
    /// The policy year.
    pub year: PolicyYear,
    /// The person class.
    pub class: PersonClass,
    /// The year's cumulative personal burden after the basic fund (eligible inpatient,
    /// special-disease and day-surgery costs).
    pub burden: Yuan,
    /// The class's threshold.
    pub threshold: Yuan,
    /// `max(0, burden − threshold)`: what the bands apply to.
    pub excess: Yuan,
    /// Each band's part of the excess, exact.
    pub bands: Vec<BandShare>,
    /// The banded amount before the cap, exact.
    pub banded: ExactYuan,
    /// The cap in force.
    pub cap: Yuan,
    /// Whether the cap limited the payment.
    pub cap_binding: CapBinding,
    /// The year's catastrophic payment, rounded once.
    pub payment: Yuan,
    /// Whether the payment went above the original cap (uses reward quota, H7).
    pub reward_quota: RewardQuota,
    /// How it was computed (written `[{"rule": …, "description": …}]`).
    #[serde(serialize_with = "yibao_core::step::described")]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "yibao_core::schema::described_steps")
    )]
    pub trace: Vec<Step>,
}

/// One claim's catastrophic payment: the change of the annual figure as the burden moves from
/// `burden_before` to `burden_after`. A year's claim payments add up to the annual payment
/// exactly, cap included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct ClaimSettlement {
    /// The policy year.
    pub year: PolicyYear,
    /// The person class.
    pub class: PersonClass,
    /// The cumulative personal burden before the claim.
    pub burden_before: Yuan,
    /// The cumulative personal burden after the claim.
    pub burden_after: Yuan,
    /// Each band's part of the claim's movement on the excess, exact (before the cap).
    pub bands: Vec<BandShare>,
    /// The annual payment before the claim (rounded).
    pub paid_before: Yuan,
    /// The annual payment after the claim (rounded).
    pub paid_after: Yuan,
    /// The claim's payment: `paid_after − paid_before`.
    pub payment: Yuan,
    /// The cap in force.
    pub cap: Yuan,
    /// Whether the cap limits the annual figure after the claim.
    pub cap_binding: CapBinding,
    /// Whether the year's payments after the claim went above the original cap (H7).
    pub reward_quota: RewardQuota,
    /// How it was computed (written `[{"rule": …, "description": …}]`).
    #[serde(serialize_with = "yibao_core::step::described")]
    #[cfg_attr(
        feature = "schemars",
        schemars(schema_with = "yibao_core::schema::described_steps")
    )]
    pub trace: Vec<Step>,
}

struct Position {
    excess: Yuan,
    banded: ExactYuan,
    capped: ExactYuan,
    binding: CapBinding,
}

impl CatastrophicPolicy {
    fn check_cap(&self, cap: &CapInForce) -> Result<(), CatastrophicError> {
        if cap.original_cap != self.annual_cap {
            return Err(CatastrophicError::CapFromAnotherSchedule {
                cap_original: cap.original_cap,
                schedule_original: self.annual_cap,
            });
        }
        Ok(())
    }

    fn position(&self, class: PersonClass, burden: Yuan, cap: Yuan) -> Position {
        let schedule = self.class(class);
        let excess = burden.saturating_sub(schedule.threshold);
        let banded = schedule.bands.value_at(excess);
        let capped = banded.min_yuan(cap);
        let binding = if banded > cap.exact() {
            CapBinding::CapReached
        } else {
            CapBinding::WithinCap
        };
        Position {
            excess,
            banded,
            capped,
            binding,
        }
    }

    fn reward_quota(&self, paid: Yuan) -> RewardQuota {
        if paid > self.annual_cap {
            RewardQuota::Used
        } else {
            RewardQuota::NotUsed
        }
    }

    /// The catastrophic payment of a whole year (H19): `round(min(F(max(0, burden −
    /// threshold)), cap))`, with the per-band breakdown.
    ///
    /// # Errors
    /// [`CatastrophicError::CapFromAnotherSchedule`] when `cap` was not computed from this
    /// schedule's original cap.
    pub fn settle_year(
        &self,
        class: PersonClass,
        burden: Yuan,
        cap: &CapInForce,
        mode: RoundingMode,
    ) -> Result<AnnualSettlement, CatastrophicError> {
        self.check_cap(cap)?;
        let h19 = self.rules.first();
        let schedule = self.class(class);
        let at = self.position(class, burden, cap.cap);
        let bands = schedule.bands.breakdown(Yuan::ZERO, at.excess);
        let payment = at.capped.round(mode);
        let mut trace = vec![
            Step::new(
                h19,
                "{class}: burden {burden} − threshold {threshold} = excess {excess}",
            )
            .zh("{class}：个人负担 {burden} − 起付线 {threshold} = 超出部分 {excess}")
            .term("class", class.term())
            .with("burden", burden)
            .with("threshold", schedule.threshold)
            .with("excess", at.excess)
            .quote(quotes::class(class)),
        ];
        trace.extend(bands.iter().map(|part| band_step(h19, class, part)));
        trace.push(cap_step(cap_rule(cap, h19), at.banded, cap.cap, at.binding));
        trace.push(
            Step::new(h19, "catastrophic payment for the year: {payment}")
                .zh("本年度大病保险支付 {payment}")
                .with("payment", payment)
                .quote(quotes::class(class)),
        );
        Ok(AnnualSettlement {
            year: cap.year,
            class,
            burden,
            threshold: schedule.threshold,
            excess: at.excess,
            bands,
            banded: at.banded,
            cap: cap.cap,
            cap_binding: at.binding,
            payment,
            reward_quota: self.reward_quota(payment),
            trace,
        })
    }

    /// One claim's catastrophic payment (H19): the year's cumulative burden moves from
    /// `before` to `after`, and the claim gets `round(G(after)) − round(G(before))` where `G`
    /// is the exact capped annual figure, so a year's claims add up to the annual payment.
    ///
    /// # Errors
    /// [`CatastrophicError::BurdenBackwards`] when `after < before`;
    /// [`CatastrophicError::CapFromAnotherSchedule`] when `cap` was not computed from this
    /// schedule's original cap.
    pub fn settle_claim(
        &self,
        class: PersonClass,
        before: Yuan,
        after: Yuan,
        cap: &CapInForce,
        mode: RoundingMode,
    ) -> Result<ClaimSettlement, CatastrophicError> {
        self.settle_claim_with(class, before, after, cap, mode, Explain::Steps)
    }

    /// [`CatastrophicPolicy::settle_claim`], with or without its explanation: with
    /// [`Explain::FiguresOnly`] the figures are the same and [`ClaimSettlement::trace`] is
    /// empty.
    ///
    /// # Errors
    /// As [`CatastrophicPolicy::settle_claim`].
    pub fn settle_claim_with(
        &self,
        class: PersonClass,
        before: Yuan,
        after: Yuan,
        cap: &CapInForce,
        mode: RoundingMode,
        explain: Explain,
    ) -> Result<ClaimSettlement, CatastrophicError> {
        self.check_cap(cap)?;
        if after < before {
            return Err(CatastrophicError::BurdenBackwards { before, after });
        }
        let schedule = self.class(class);
        let start = self.position(class, before, cap.cap);
        let end = self.position(class, after, cap.cap);
        let bands = schedule.bands.breakdown(start.excess, end.excess);
        let payment = telescoping_increment(start.capped, end.capped, mode);
        let paid_before = start.capped.round(mode);
        let paid_after = end.capped.round(mode);
        let mut settled = ClaimSettlement {
            year: cap.year,
            class,
            burden_before: before,
            burden_after: after,
            bands,
            paid_before,
            paid_after,
            payment,
            cap: cap.cap,
            cap_binding: end.binding,
            reward_quota: self.reward_quota(paid_after),
            trace: Vec::new(),
        };
        // The explanation is built only when asked for, out of line.
        if explain == Explain::Steps {
            settled.trace = self.claim_steps(&settled, cap, [&start, &end]);
        }
        Ok(settled)
    }

    /// The steps of a claim's settlement: the burden against the threshold, each band, the
    /// cap, the payment. Out of the figures' code: a batch settles figures only.
    #[cold]
    #[inline(never)]
    fn claim_steps(
        &self,
        settled: &ClaimSettlement,
        cap: &CapInForce,
        [start, end]: [&Position; 2],
    ) -> Vec<Step> {
        let h19 = self.rules.first();
        let class = settled.class;
        let schedule = self.class(class);
        let mut trace = vec![Step::new(h19, "{class}: cumulative burden {before} → {after}; threshold {threshold}; excess {excess_before} → {excess_after}")
            .zh("{class}：累计个人负担 {before} → {after}；起付线 {threshold}；超出部分 {excess_before} → {excess_after}")
            .term("class", class.term())
            .with("before", settled.burden_before)
            .with("after", settled.burden_after)
            .with("threshold", schedule.threshold)
            .with("excess_before", start.excess)
            .with("excess_after", end.excess)
            .quote(quotes::class(class))];
        trace.extend(settled.bands.iter().map(|part| band_step(h19, class, part)));
        trace.push(cap_step(
            cap_rule(cap, h19),
            end.banded,
            cap.cap,
            end.binding,
        ));
        trace.push(
            Step::new(
                h19,
                "claim payment: {paid_after} − {paid_before} = {payment}",
            )
            .zh("本次大病保险支付：{paid_after} − {paid_before} = {payment}")
            .with("paid_after", settled.paid_after)
            .with("paid_before", settled.paid_before)
            .with("payment", settled.payment)
            .quote(quotes::class(class)),
        );
        trace
    }
}

/// The rule behind the cap in force and its quote: H7's limit when raised or cut, otherwise
/// H19's cap.
fn cap_rule(cap: &CapInForce, h19: RuleId) -> (RuleId, QuoteKey) {
    if cap.cap == cap.original_cap {
        (h19, quotes::CAP)
    } else {
        cap.trace
            .last()
            .map_or((h19, quotes::CAP), |step| (step.rule, quotes::LIMIT))
    }
}

/// The step of one band's share of the excess: the band, its bounds, base × rate = share.
fn band_step(rule: RuleId, class: PersonClass, part: &BandShare) -> Step {
    let bounds = part.bounds;
    let bounds_zh = match bounds.to {
        Some(to) => format!("{}–{} 部分，报销 {}", bounds.from, to, bounds.rate),
        None => format!("{} 以上部分，报销 {}", bounds.from, bounds.rate),
    };
    Step::new(rule, "band {band} ({bounds}): {base} × {rate} = {share}")
        .zh("第 {band} 段（{bounds}）：{base} × {rate} = {share}")
        .with("band", part.band)
        .phrase("bounds", bounds.to_string(), bounds_zh)
        .with("base", part.base)
        .with("rate", part.bounds.rate)
        .with("share", part.share)
        .quote(quotes::class(class))
}

fn cap_step(
    (rule, key): (RuleId, QuoteKey),
    banded: ExactYuan,
    cap: Yuan,
    binding: CapBinding,
) -> Step {
    let step = match binding {
        CapBinding::WithinCap => Step::new(
            rule,
            "banded amount {banded} is within the cap in force {cap}",
        )
        .zh("分段计算金额 {banded} 未超过本年度最高支付限额 {cap}")
        .with("banded", banded)
        .with("cap", cap),
        CapBinding::CapReached => Step::new(
            rule,
            "banded amount {banded} is above the cap in force {cap}: {cap} is paid",
        )
        .zh("分段计算金额 {banded} 超过本年度最高支付限额 {cap}：按 {cap} 支付")
        .with("banded", banded)
        .with("cap", cap),
    };
    step.quote(key)
}
