//! The settlement mapped onto the national medical-insurance platform's settlement output
//! (国家医保信息平台: transaction 2207 outpatient settlement, 2304 inpatient settlement), so
//! results drop into systems that already speak that format.
//!
//! # Shape
//!
//! One entry per claim, in settlement order, tagged by `status`:
//!
//! - `"settled"`: `claim_id`, the `setlinfo` block (结算信息), the `setldetail` list
//!   (结算基金分项信息, one entry per fund that takes part), `absent`: the fields left
//!   `null`, each with why (omitted when none is), and `not_paid` (`{"code", "reason",
//!   "rule"}`, omitted otherwise) when the basic fund pays nothing for a reason other than
//!   arithmetic (a level its rule does not pay, transfer-out outpatient, an exclusion), so
//!   that a `hifp_pay` of `0.00` always stands beside its reason;
//! - `"not_settled"`: a claim the fund does not settle at all: `claim_id`, `psn_no`, `date`,
//!   `medfee_sumamt`, `code` (`not_covered` outside cover, `basic_fund_not_settled` where the
//!   sources give no rule for the claim, K8) and `reason`, and no fund field: such a claim is
//!   not dressed as a settlement of zeros.
//!
//! Amounts are JSON numbers with exactly two decimals (`18915.00`), the platform's
//! `数值型 16,2`; the ratio `pool_prop_selfpay` has four (`0.6500`, `数值型 5,4`). They are written
//! from the exact decimal amounts, never through a binary float. These types serialise numbers
//! as raw JSON text, so they are meant for `serde_json`.
//!
//! # `setlinfo`, field by field
//!
//! | field | on the platform | here |
//! |---|---|---|
//! | `psn_no` | 人员编号, person number | the scenario's person id |
//! | `insutype` | 险种类型, insurance type | `390`, 城乡居民基本医疗保险 (residents' basic medical insurance) |
//! | `setl_time` | 结算时间, settlement time (date and time) | the claim's date: the engine has no time of day |
//! | `medfee_sumamt` | 医疗费总额, total medical fee | the claim's `amount` |
//! | `fulamt_ownpay_amt` | 全自费金额, fully self-paid items | class C items (H23) |
//! | `overlmt_selfpay` | 超限价自费费用, self-paid part above a price limit | `0.00`: a scenario splits a bill into in-scope, class B share and class C; no part is above a price limit, so the four parts add up to `medfee_sumamt` |
//! | `preselfpay_amt` | 先行自付金额, personal pre-payment (class B share) | outside scope − class C |
//! | `inscp_scp_amt` | 符合政策范围金额, amount within the policy scope | `eligible` |
//! | `act_pay_dedc` | 实际支付起付线, deductible actually borne | `deductible` |
//! | `hifp_pay` | 基本医疗保险统筹基金支出, basic pooled fund | `basic_fund` |
//! | `pool_prop_selfpay` | 基本医疗保险统筹基金支付比例, the pooled fund's payment ratio (despite the name, the fund's share, not the person's) | see below; `null` when no part of the claim was paid at a ratio |
//! | `cvlserv_pay` | 公务员医疗补助资金支出, civil servants' subsidy | `0.00`: an employee-insurance fund; a resident's settlement never draws on it |
//! | `hifes_pay` | 企业补充医疗保险基金支出, enterprise supplementary insurance | `0.00`: likewise |
//! | `hifmi_pay` | 居民大病保险资金支出, residents' catastrophic insurance | the catastrophic part when settled; `null` when not settled or not published (Kunshan 2021), with the reason in `absent` |
//! | `hifob_pay` | 职工大额医疗费用补助基金支出, employees' large-expense subsidy | `0.00`: an employee-insurance fund |
//! | `maf_pay` | 医疗救助基金支出, medical aid | `null` for a medical-aid recipient: aid follows basic and catastrophic insurance but the sources give no formula (H1, H24), reason in `absent`; `0.00` for anyone else (aid goes to recipients only, Q68) |
//! | `oth_pay` | 其他支出, other payments | the maternity fiscal subsidy (H15) |
//! | `fund_pay_sumamt` | 基金支付总额, total paid by funds | `hifp_pay + hifmi_pay + maf_pay + oth_pay` (a `null` counts as nothing): the sum of `setldetail` |
//! | `psn_part_amt` | 个人负担总金额, the person's total share | `personal`, so that `medfee_sumamt = fund_pay_sumamt + psn_part_amt` exactly; when `hifmi_pay` or `maf_pay` is `null`, it is the share before that fund |
//! | `acct_pay` | 个人账户支出, personal account | `0.00`: residents have no personal account |
//! | `psn_cash_pay` | 个人现金支出, paid in cash | `psn_part_amt − acct_pay` = `psn_part_amt` |
//!
//! **`pool_prop_selfpay`** is the ratio the basic fund applied to the claim, before any annual
//! cap: the claim's exact fund shares over the amounts they were computed on, summed over its
//! band lines (`Σ base × rate / Σ base`), rounded half away from zero to four decimals in integer
//! arithmetic. For a claim paid at one ratio that is the ratio itself (after any remote-care cut:
//! `0.6500`, `0.8000` for a referral at 85% − 5 points); for a claim paid at several (H11's
//! consultation fee at 70% and other costs at 50%, a Kunshan admission crossing ladder bands, K4)
//! it is their average weighted by the amounts. A capped claim still reports the ratio, not
//! `hifp_pay / inscp_scp_amt`.
//!
//! # `setldetail`
//!
//! One entry per fund that takes part in the claim's settlement: `fund_pay_type` (基金支付类型),
//! `fund_pay_type_name` (基金支付类型名称) and `fund_payamt` (基金支付金额). The basic pool always;
//! catastrophic insurance when settled (its `0.00` is then a certain answer); the fiscal subsidy
//! for a delivery. Medical aid never appears: it is either not given (recipients) or not due.
//!
//! | `fund_pay_type` | name | fund |
//! |---|---|---|
//! | `390100` | 城乡居民基本医疗保险基金 | the basic pool (`hifp_pay`) |
//! | `390200` | 城乡居民大病医疗保险基金 | residents' catastrophic insurance (`hifmi_pay`) |
//! | `999997` | 其他基金 | the maternity fiscal subsidy (`oth_pay`) |
//!
//! # Where the meanings come from
//!
//! The official interface specification (国家医疗保障信息平台 定点医药机构接口规范) was not at
//! hand. The field names, their Chinese meanings and their types above are as transcribed in
//! public hospital-system integrations of the platform, e.g. `newtouch-cloud/openhis`,
//! `WinServiceAPI/YiBaoInterface/Models/Output/Output_2207.cs` (the 2207 output's `setlinfo`
//! and `setldetail` blocks, with `pool_prop_selfpay` as 基本医疗保险统筹基金支付比例, 5,4) and
//! `wlnsite/hosita-docs`, `entity/setldetail.md`. The `fund_pay_type` codes are as listed in
//! several integrations' copies of the 基金支付类型 dictionary (390100, 390200, 610100 医疗救助基金,
//! 999997 其他基金); at least one regional integration uses other codes for the residents'
//! funds, and none of them could be checked against the official dictionary: treat the codes
//! as unverified. Whether the platform files a provincial maternity fiscal subsidy under 999997
//! is the project's reading, not a published mapping.

use serde::ser::Error as _;
use serde::{Serialize, Serializer};
use yibao_catastrophic::PersonClass;
use yibao_core::{ExactYuan, MoneyError, NaiveDate, Yuan};

use crate::scenario::ClaimKindName;
use crate::settle::{CatastrophicPart, ClaimReport, CoverStatus, NotPaidReason, SettlementReport};

/// Insurance type 390: 城乡居民基本医疗保险, residents' basic medical insurance.
pub const INSUTYPE_RESIDENTS: &str = "390";

/// One claim on the platform: a settlement, or a claim the fund does not settle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum NhsaClaim {
    /// Settled: the platform's settlement output (boxed: it is five times the other's size).
    Settled(Box<Settlement>),
    /// Not settled at all (outside cover), with why.
    NotSettled(NotSettled),
}

/// A settled claim: the platform's `setlinfo` and `setldetail`, and the fields left `null`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Settlement {
    /// The claim's id in the scenario, if any.
    pub claim_id: Option<String>,
    /// The settlement fields.
    pub setlinfo: Setlinfo,
    /// One entry per fund taking part.
    pub setldetail: Vec<Setldetail>,
    /// The `setlinfo` fields left `null`, each with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub absent: Vec<Absent>,
    /// Why the basic fund pays nothing, when that is not arithmetic (a level or place its rule
    /// does not pay, transfer-out outpatient, an exclusion): `hifp_pay` is then a `0.00` with
    /// its reason. Not a platform field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_paid: Option<NotPaidReason>,
}

/// A claim the fund does not settle: no fund field, only the bill and the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotSettled {
    /// The claim's id in the scenario, if any.
    pub claim_id: Option<String>,
    /// Person number.
    pub psn_no: String,
    /// The claim's date.
    pub date: NaiveDate,
    /// Total medical fee.
    #[serde(serialize_with = "number")]
    pub medfee_sumamt: Yuan,
    /// Why the claim is not settled, as a stable machine word (`not_covered`,
    /// `basic_fund_not_settled`).
    pub code: &'static str,
    /// Why the claim is not settled.
    pub reason: String,
}

/// One claim's settlement in the platform's field names (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Setlinfo {
    /// 人员编号: person number.
    pub psn_no: String,
    /// 险种类型: insurance type, [`INSUTYPE_RESIDENTS`].
    pub insutype: &'static str,
    /// 结算时间: the claim's date.
    pub setl_time: NaiveDate,
    /// 医疗费总额: total medical fee.
    #[serde(serialize_with = "number")]
    pub medfee_sumamt: Yuan,
    /// 全自费金额: fully self-paid amount (class C).
    #[serde(serialize_with = "number")]
    pub fulamt_ownpay_amt: Yuan,
    /// 超限价自费费用: self-paid part above a price limit (none in a scenario).
    #[serde(serialize_with = "number")]
    pub overlmt_selfpay: Yuan,
    /// 先行自付金额: personal pre-payment of class B items.
    #[serde(serialize_with = "number")]
    pub preselfpay_amt: Yuan,
    /// 符合政策范围金额: amount within the policy scope.
    #[serde(serialize_with = "number")]
    pub inscp_scp_amt: Yuan,
    /// 实际支付起付线: deductible actually borne.
    #[serde(serialize_with = "number")]
    pub act_pay_dedc: Yuan,
    /// 基本医疗保险统筹基金支出: basic pooled fund.
    #[serde(serialize_with = "number")]
    pub hifp_pay: Yuan,
    /// 基本医疗保险统筹基金支付比例: the ratio the basic fund applied; `None` when no part was
    /// paid at a ratio.
    pub pool_prop_selfpay: Option<PoolRatio>,
    /// 公务员医疗补助资金支出: civil servants' subsidy (an employee fund: 0).
    #[serde(serialize_with = "number")]
    pub cvlserv_pay: Yuan,
    /// 企业补充医疗保险基金支出: enterprise supplementary insurance (an employee fund: 0).
    #[serde(serialize_with = "number")]
    pub hifes_pay: Yuan,
    /// 居民大病保险资金支出: residents' catastrophic insurance; `None` when not settled.
    #[serde(serialize_with = "optional_number")]
    pub hifmi_pay: Option<Yuan>,
    /// 职工大额医疗费用补助基金支出: employees' large-expense subsidy (an employee fund: 0).
    #[serde(serialize_with = "number")]
    pub hifob_pay: Yuan,
    /// 医疗救助基金支出: medical aid; `None` for a recipient (no formula in the sources).
    #[serde(serialize_with = "optional_number")]
    pub maf_pay: Option<Yuan>,
    /// 其他支出: other payments, the maternity fiscal subsidy (H15).
    #[serde(serialize_with = "number")]
    pub oth_pay: Yuan,
    /// 基金支付总额: total fund payment, the sum of `setldetail`.
    #[serde(serialize_with = "number")]
    pub fund_pay_sumamt: Yuan,
    /// 个人负担总金额: the person's total share, `medfee_sumamt − fund_pay_sumamt`.
    #[serde(serialize_with = "number")]
    pub psn_part_amt: Yuan,
    /// 个人账户支出: personal account (residents have none: 0).
    #[serde(serialize_with = "number")]
    pub acct_pay: Yuan,
    /// 个人现金支出: paid in cash.
    #[serde(serialize_with = "number")]
    pub psn_cash_pay: Yuan,
}

/// One fund's payment for a claim (`setldetail`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Setldetail {
    /// 基金支付类型: the fund's code.
    pub fund_pay_type: FundPayType,
    /// 基金支付类型名称: the fund's name.
    pub fund_pay_type_name: &'static str,
    /// 基金支付金额: what it pays.
    #[serde(serialize_with = "number")]
    pub fund_payamt: Yuan,
}

impl Setldetail {
    fn of(fund: FundPayType, paid: Yuan) -> Setldetail {
        Setldetail {
            fund_pay_type: fund,
            fund_pay_type_name: fund.name_zh(),
            fund_payamt: paid,
        }
    }
}

/// The funds a resident's claim draws on, by their platform code (unverified: see the module
/// docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum FundPayType {
    /// 390100 城乡居民基本医疗保险基金: the basic pool.
    #[serde(rename = "390100")]
    ResidentsBasicPool,
    /// 390200 城乡居民大病医疗保险基金: residents' catastrophic insurance.
    #[serde(rename = "390200")]
    ResidentsCatastrophic,
    /// 999997 其他基金: the maternity fiscal subsidy (the project's reading).
    #[serde(rename = "999997")]
    Other,
}

impl FundPayType {
    /// The platform's code.
    pub fn code(self) -> &'static str {
        match self {
            FundPayType::ResidentsBasicPool => "390100",
            FundPayType::ResidentsCatastrophic => "390200",
            FundPayType::Other => "999997",
        }
    }

    /// The fund's Chinese name, as the platform's dictionary gives it.
    pub fn name_zh(self) -> &'static str {
        match self {
            FundPayType::ResidentsBasicPool => "城乡居民基本医疗保险基金",
            FundPayType::ResidentsCatastrophic => "城乡居民大病医疗保险基金",
            FundPayType::Other => "其他基金",
        }
    }
}

/// A `setlinfo` field left `null`, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Absent {
    /// The field.
    pub field: NullField,
    /// Why it has no value.
    pub reason: String,
}

/// The `setlinfo` fields that may be `null`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NullField {
    /// `hifmi_pay`: catastrophic insurance not settled.
    HifmiPay,
    /// `maf_pay`: medical aid not given by the sources.
    MafPay,
    /// `pool_prop_selfpay`: no part of the claim paid at a ratio.
    PoolPropSelfpay,
}

/// The pooled fund's payment ratio in ten-thousandths (the platform's `5,4` number): 6500 is
/// `0.6500`. Serialises as a JSON number with four decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PoolRatio(u32);

impl PoolRatio {
    /// `share / base` rounded half away from zero to four decimals, in integer arithmetic;
    /// `None` for a base of 0 (nothing was paid at a ratio).
    pub fn of(share: ExactYuan, base: Yuan) -> Option<PoolRatio> {
        let base_fen = i128::from(base.to_fen());
        if base_fen == 0 {
            return None;
        }
        // share in units of 10^-8 yuan (ExactYuan keeps scale 8; any smaller scale is raised).
        let decimal = share.as_decimal();
        let units = decimal
            .mantissa()
            .checked_mul(10_i128.checked_pow(8_u32.checked_sub(decimal.scale())?)?)?;
        // ratio × 10^4 = units × 10^-8 × 10^4 / (fen × 10^-2) = units / (fen × 100);
        // (2n + d) / 2d rounds a non-negative n / d half away from zero.
        let divisor = base_fen.checked_mul(100)?;
        let rounded = units.checked_mul(2)?.checked_add(divisor)? / divisor.checked_mul(2)?;
        u32::try_from(rounded).ok().map(PoolRatio)
    }

    /// The ratio in ten-thousandths.
    pub fn ten_thousandths(self) -> u32 {
        self.0
    }
}

impl std::fmt::Display for PoolRatio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:04}", self.0 / 10_000, self.0 % 10_000)
    }
}

impl Serialize for PoolRatio {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        raw_number(self.to_string(), serializer)
    }
}

/// Whether the person is a medical-aid recipient (医疗救助对象, H24), whose medical aid the
/// sources do not give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MedicalAid {
    /// Not a recipient: no medical aid is due.
    NotRecipient,
    /// A recipient: aid follows basic and catastrophic insurance, with no formula given.
    Recipient,
}

impl MedicalAid {
    /// The person's status, from the class the settlement put them in (H1, H19).
    pub fn of(report: &SettlementReport) -> MedicalAid {
        MedicalAid::of_class(report.catastrophic_class)
    }

    /// The person's status, from their class of catastrophic insurance (H1, H19).
    pub fn of_class(class: PersonClass) -> MedicalAid {
        match class {
            PersonClass::MedicalAidRecipient => MedicalAid::Recipient,
            PersonClass::Ordinary => MedicalAid::NotRecipient,
        }
    }
}

/// The report's claims on the platform, in settlement order.
///
/// # Errors
/// [`MoneyError`] if a claim's fund payments sum above [`Yuan::MAX`] (they cannot: they are
/// parts of the claim's amount).
pub fn settlements(report: &SettlementReport) -> Result<Vec<NhsaClaim>, MoneyError> {
    let aid = MedicalAid::of(report);
    let psn_no = report.person.clone().unwrap_or_default();
    report
        .claims
        .iter()
        .map(|claim| nhsa_claim(claim, &psn_no, aid))
        .collect()
}

/// One claim on the platform, for a person `psn_no` of medical-aid status `aid`: what
/// [`settlements`] gives for each claim, for a writer that has the claims one at a time.
///
/// # Errors
/// As [`settlements`].
pub fn settlement(
    claim: &ClaimReport,
    psn_no: &str,
    aid: MedicalAid,
) -> Result<NhsaClaim, MoneyError> {
    nhsa_claim(claim, psn_no, aid)
}

fn nhsa_claim(c: &ClaimReport, psn_no: &str, aid: MedicalAid) -> Result<NhsaClaim, MoneyError> {
    if let Some((code, reason)) = not_settled(c) {
        return Ok(NhsaClaim::NotSettled(NotSettled {
            claim_id: c.id.clone(),
            psn_no: psn_no.to_owned(),
            date: c.date,
            medfee_sumamt: c.amount,
            code,
            reason,
        }));
    }
    let mut absent = Vec::new();
    let hifmi_pay = match catastrophic(&c.catastrophic) {
        Ok(paid) => Some(paid),
        Err(reason) => null(
            &mut absent,
            NullField::HifmiPay,
            format!("catastrophic insurance not settled: {reason}"),
        ),
    };
    let maf_pay = match aid {
        MedicalAid::NotRecipient => Some(Yuan::ZERO),
        MedicalAid::Recipient => null(
            &mut absent,
            NullField::MafPay,
            "medical aid (医疗救助) is paid after basic and catastrophic insurance, but the sources give no formula for it (H1, H24): psn_part_amt is the share before medical aid".to_owned(),
        ),
    };
    let pool_prop_selfpay = match pool_ratio(c)? {
        Some(ratio) => Some(ratio),
        None => null(
            &mut absent,
            NullField::PoolPropSelfpay,
            "no part of the claim was paid at a ratio (nothing eligible above the deductible)"
                .to_owned(),
        ),
    };
    let setldetail = setldetail(c, hifmi_pay);
    let fund_pay_sumamt = Yuan::checked_sum(setldetail.iter().map(|d| d.fund_payamt))?;
    Ok(NhsaClaim::Settled(Box::new(Settlement {
        claim_id: c.id.clone(),
        setlinfo: Setlinfo {
            psn_no: psn_no.to_owned(),
            insutype: INSUTYPE_RESIDENTS,
            setl_time: c.date,
            medfee_sumamt: c.amount,
            fulamt_ownpay_amt: c.class_c.min(c.outside_scope),
            overlmt_selfpay: Yuan::ZERO,
            preselfpay_amt: c.outside_scope.saturating_sub(c.class_c),
            inscp_scp_amt: c.eligible,
            act_pay_dedc: c.deductible,
            hifp_pay: c.basic_fund,
            pool_prop_selfpay,
            cvlserv_pay: Yuan::ZERO,
            hifes_pay: Yuan::ZERO,
            hifmi_pay,
            hifob_pay: Yuan::ZERO,
            maf_pay,
            oth_pay: c.fiscal_subsidy,
            fund_pay_sumamt,
            psn_part_amt: c.personal,
            acct_pay: Yuan::ZERO,
            psn_cash_pay: c.personal,
        },
        setldetail,
        absent,
        not_paid: c.not_paid,
    })))
}

/// A field left `null`: records why, and gives the `None`.
fn null<T>(absent: &mut Vec<Absent>, field: NullField, reason: String) -> Option<T> {
    absent.push(Absent { field, reason });
    None
}

/// Why a claim is not a settlement at all, if it is not: outside cover (`not_covered`), or
/// a claim the sources give no rule for (`basic_fund_not_settled`, K8): its code and reason.
fn not_settled(c: &ClaimReport) -> Option<(&'static str, String)> {
    if let CoverStatus::NotCovered { reason } = c.cover {
        let reason = NotPaidReason::NotCovered(reason);
        return Some((reason.code(), reason.to_string()));
    }
    c.basic_fund_not_settled.as_ref().map(|why| {
        (
            "basic_fund_not_settled",
            format!(
                "the basic fund is not settled ({}): {}",
                why.rule, why.reason
            ),
        )
    })
}

/// The catastrophic payment when settled, else why it is not.
fn catastrophic(part: &CatastrophicPart) -> Result<Yuan, String> {
    match part {
        CatastrophicPart::Settled { paid } => Ok(*paid),
        CatastrophicPart::NotSettled { reason } => Err(format!("[{}] {reason}", reason.code())),
    }
}

/// The funds taking part: the basic pool, catastrophic insurance when settled, the fiscal
/// subsidy for a delivery.
fn setldetail(c: &ClaimReport, hifmi_pay: Option<Yuan>) -> Vec<Setldetail> {
    let mut funds = vec![Setldetail::of(
        FundPayType::ResidentsBasicPool,
        c.basic_fund,
    )];
    if let Some(paid) = hifmi_pay {
        funds.push(Setldetail::of(FundPayType::ResidentsCatastrophic, paid));
    }
    if c.kind == ClaimKindName::MaternityDelivery || !c.fiscal_subsidy.is_zero() {
        funds.push(Setldetail::of(FundPayType::Other, c.fiscal_subsidy));
    }
    funds
}

/// The ratio the basic fund applied to the claim, over its band lines (module docs).
fn pool_ratio(c: &ClaimReport) -> Result<Option<PoolRatio>, MoneyError> {
    let Some(basic) = &c.basic else {
        return Ok(None);
    };
    let share = basic
        .bands
        .iter()
        .try_fold(ExactYuan::ZERO, |sum, line| sum.checked_add(line.share))?;
    let base = Yuan::checked_sum(basic.bands.iter().map(|line| line.base))?;
    Ok(PoolRatio::of(share, base))
}

/// An amount as a JSON number with two decimals.
fn number<S: Serializer>(amount: &Yuan, serializer: S) -> Result<S::Ok, S::Error> {
    raw_number(amount.to_string(), serializer)
}

/// An amount as a JSON number with two decimals, or `null`.
fn optional_number<S: Serializer>(amount: &Option<Yuan>, serializer: S) -> Result<S::Ok, S::Error> {
    match amount {
        Some(amount) => number(amount, serializer),
        None => serializer.serialize_none(),
    }
}

/// Decimal text written as a JSON number, as it is (serde_json's raw values).
fn raw_number<S: Serializer>(text: String, serializer: S) -> Result<S::Ok, S::Error> {
    serde_json::value::RawValue::from_string(text)
        .map_err(S::Error::custom)?
        .serialize(serializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yuan(text: &str) -> Yuan {
        text.parse().unwrap_or(Yuan::MAX)
    }

    fn exact(text: &str, rate_percent: u32) -> ExactYuan {
        yuan(text)
            .times(yibao_core::Rate::from_percent(rate_percent).unwrap_or(yibao_core::Rate::ZERO))
    }

    /// One table: the ratio of exact shares over their bases, to four decimals.
    #[test]
    fn pool_ratio_is_exact_to_four_decimals() {
        let cases: [(&str, ExactYuan, &str, Option<&str>); 5] = [
            // 29,100 × 65% / 29,100 = 0.65 exactly.
            ("one ratio", exact("29100", 65), "29100", Some("0.6500")),
            // H11: 10 × 70% + 190 × 50% = 7 + 95 = 102 over 200 = 0.51.
            (
                "two ratios",
                exact("10", 70)
                    .checked_add(exact("190", 50))
                    .unwrap_or_default(),
                "200",
                Some("0.5100"),
            ),
            // 1 × 70% + 2 × 50% = 1.7 over 3 = 0.56666… → 0.5667.
            (
                "rounded up",
                exact("1", 70)
                    .checked_add(exact("2", 50))
                    .unwrap_or_default(),
                "3",
                Some("0.5667"),
            ),
            // 0.01 × 100% + 3.99 × 50% = 2.005 over 4 = 0.50125 → 0.5013 (half away from zero
            // is what a float could miss: the true value sits exactly on the half).
            (
                "exact half",
                exact("0.01", 100)
                    .checked_add(exact("3.99", 50))
                    .unwrap_or_default(),
                "4.00",
                Some("0.5013"),
            ),
            ("nothing at a ratio", ExactYuan::ZERO, "0", None),
        ];
        for (name, share, base, expected) in cases {
            let got = PoolRatio::of(share, yuan(base)).map(|r| r.to_string());
            assert_eq!(got.as_deref(), expected, "{name}");
        }
    }

    #[test]
    fn amounts_and_ratios_are_json_numbers() {
        #[derive(Serialize)]
        struct Row {
            #[serde(serialize_with = "number")]
            amount: Yuan,
            #[serde(serialize_with = "optional_number")]
            absent: Option<Yuan>,
            ratio: Option<PoolRatio>,
        }
        let row = Row {
            amount: yuan("1234.5"),
            absent: None,
            ratio: Some(PoolRatio(8000)),
        };
        assert_eq!(
            serde_json::to_string(&row).unwrap_or_default(),
            r#"{"amount":1234.50,"absent":null,"ratio":0.8000}"#
        );
    }
}
