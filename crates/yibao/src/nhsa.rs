//! The settlement mapped onto the national medical-insurance platform's settlement fields
//! (the `setlinfo` block of an inpatient or outpatient settlement), so results drop into
//! systems that already speak that format.
//!
//! | field | meaning | from |
//! |---|---|---|
//! | `psn_no` | person number | the scenario's person id |
//! | `insutype` | insurance type | `390`, urban and rural residents' basic medical insurance |
//! | `setl_time` | settlement date | the claim's date |
//! | `medfee_sumamt` | total medical fee | `amount` |
//! | `fulamt_ownpay_amt` | fully self-paid amount | class C items |
//! | `preselfpay_amt` | personal pre-payment of class B items | outside scope − class C |
//! | `inscp_scp_amt` | amount within the policy scope | `eligible` |
//! | `act_pay_dedc` | deductible actually paid | `deductible` |
//! | `hifp_pay` | basic pooled fund | `basic_fund` |
//! | `hifmi_pay` | residents' catastrophic insurance | `catastrophic` |
//! | `maf_pay` | medical aid | `0.00`: the sources name aid classes (H24) but no amounts |
//! | `fund_pay_sumamt` | total fund payment | `hifp_pay + hifmi_pay + maf_pay` |
//! | `oth_pay` | other payments | the maternity fiscal subsidy (H15) |
//! | `acct_pay` | personal account | `0.00`: residents have no personal account |
//! | `psn_part_amt` | personal part | `personal` |
//! | `psn_cash_pay` | personal cash payment | `personal` |
//!
//! Amounts are strings with two decimals, as elsewhere.

use serde::Serialize;
use yibao_core::{NaiveDate, Yuan};

use crate::settle::SettlementReport;

/// One claim's settlement in the platform's field names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Setlinfo {
    /// Person number.
    pub psn_no: String,
    /// Insurance type: 390, residents' basic medical insurance.
    pub insutype: &'static str,
    /// The claim's id in the scenario, if any.
    pub claim_id: Option<String>,
    /// Settlement date.
    pub setl_time: NaiveDate,
    /// Total medical fee.
    pub medfee_sumamt: Yuan,
    /// Fully self-paid amount (class C).
    pub fulamt_ownpay_amt: Yuan,
    /// Personal pre-payment of class B items.
    pub preselfpay_amt: Yuan,
    /// Amount within the policy scope.
    pub inscp_scp_amt: Yuan,
    /// Deductible actually paid.
    pub act_pay_dedc: Yuan,
    /// Basic pooled fund.
    pub hifp_pay: Yuan,
    /// Residents' catastrophic insurance.
    pub hifmi_pay: Yuan,
    /// Medical aid (not modelled: 0).
    pub maf_pay: Yuan,
    /// Total fund payment.
    pub fund_pay_sumamt: Yuan,
    /// Other payments: the maternity fiscal subsidy (H15).
    pub oth_pay: Yuan,
    /// Personal account (residents have none: 0).
    pub acct_pay: Yuan,
    /// Personal part.
    pub psn_part_amt: Yuan,
    /// Personal cash payment.
    pub psn_cash_pay: Yuan,
}

/// The report's claims as platform settlement records, in settlement order.
pub fn setlinfo(report: &SettlementReport) -> Vec<Setlinfo> {
    report
        .claims
        .iter()
        .map(|c| {
            let catastrophic = c.catastrophic.paid();
            // basic + catastrophic <= amount <= Yuan::MAX: the sum cannot fail.
            let fund = c.basic_fund.checked_add(catastrophic).unwrap_or(Yuan::MAX);
            Setlinfo {
                psn_no: report.person.clone().unwrap_or_default(),
                insutype: "390",
                claim_id: c.id.clone(),
                setl_time: c.date,
                medfee_sumamt: c.amount,
                fulamt_ownpay_amt: c.class_c.min(c.outside_scope),
                preselfpay_amt: c.outside_scope.saturating_sub(c.class_c),
                inscp_scp_amt: c.eligible,
                act_pay_dedc: c.deductible,
                hifp_pay: c.basic_fund,
                hifmi_pay: catastrophic,
                maf_pay: Yuan::ZERO,
                fund_pay_sumamt: fund,
                oth_pay: c.fiscal_subsidy,
                acct_pay: Yuan::ZERO,
                psn_part_amt: c.personal,
                psn_cash_pay: c.personal,
            }
        })
        .collect()
}
