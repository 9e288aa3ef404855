//! One claim as `--format nhsa` writes it: its platform amounts (JSON numbers) and texts by
//! the hand-written JSON of [`json_text`](super::json_text), the rest by `serde_json`; the
//! bytes are those of `serde_json`'s pretty writer for the whole [`NhsaClaim`].

use std::io::{Result, Write};

use crate::core::Yuan;
use crate::nhsa::{NhsaClaim, NotSettled, Setldetail, Setlinfo, Settlement};

use super::indented;
use super::json_text::{key, newline, number, string};

/// The claim as an item of the platform's list (its fields at depth 2).
pub fn claim(w: &mut impl Write, claim: &NhsaClaim) -> Result<()> {
    w.write_all(b"{")?;
    key(w, true, 2, "status")?;
    match claim {
        NhsaClaim::Settled(settlement) => {
            w.write_all(b"\"settled\"")?;
            settled(w, settlement)?;
        }
        NhsaClaim::NotSettled(not) => {
            w.write_all(b"\"not_settled\"")?;
            not_settled(w, not)?;
        }
    }
    newline(w, 1)?;
    w.write_all(b"}")
}

fn settled(w: &mut impl Write, settlement: &Settlement) -> Result<()> {
    let Settlement {
        claim_id,
        setlinfo,
        setldetail,
        absent,
        not_paid,
    } = settlement;
    key(w, false, 2, "claim_id")?;
    optional_string(w, claim_id.as_deref())?;
    key(w, false, 2, "setlinfo")?;
    self::setlinfo(w, setlinfo)?;
    key(w, false, 2, "setldetail")?;
    self::setldetail(w, setldetail)?;
    if !absent.is_empty() {
        key(w, false, 2, "absent")?;
        indented(w, absent, 2)?;
    }
    if let Some(why) = not_paid {
        key(w, false, 2, "not_paid")?;
        indented(w, why, 2)?;
    }
    Ok(())
}

fn not_settled(w: &mut impl Write, not: &NotSettled) -> Result<()> {
    let NotSettled {
        claim_id,
        psn_no,
        date,
        medfee_sumamt,
        code,
        reason,
    } = not;
    key(w, false, 2, "claim_id")?;
    optional_string(w, claim_id.as_deref())?;
    key(w, false, 2, "psn_no")?;
    string(w, psn_no)?;
    key(w, false, 2, "date")?;
    indented(w, date, 2)?;
    key(w, false, 2, "medfee_sumamt")?;
    number(w, *medfee_sumamt)?;
    key(w, false, 2, "code")?;
    string(w, code)?;
    key(w, false, 2, "reason")?;
    string(w, reason)
}

/// `setlinfo`, an object at depth 2 (its fields at depth 3).
fn setlinfo(w: &mut impl Write, info: &Setlinfo) -> Result<()> {
    let Setlinfo {
        psn_no,
        insutype,
        setl_time,
        medfee_sumamt,
        fulamt_ownpay_amt,
        overlmt_selfpay,
        preselfpay_amt,
        inscp_scp_amt,
        act_pay_dedc,
        hifp_pay,
        pool_prop_selfpay,
        cvlserv_pay,
        hifes_pay,
        hifmi_pay,
        hifob_pay,
        maf_pay,
        oth_pay,
        fund_pay_sumamt,
        psn_part_amt,
        acct_pay,
        psn_cash_pay,
    } = info;
    const DEPTH: usize = 3;
    w.write_all(b"{")?;
    key(w, true, DEPTH, "psn_no")?;
    string(w, psn_no)?;
    key(w, false, DEPTH, "insutype")?;
    string(w, insutype)?;
    key(w, false, DEPTH, "setl_time")?;
    indented(w, setl_time, DEPTH)?;
    let amounts = |w: &mut _, fields: &[(&str, Option<Yuan>)]| {
        fields.iter().try_for_each(|(name, value)| {
            key(w, false, DEPTH, name)?;
            optional_number(w, *value)
        })
    };
    amounts(
        w,
        &[
            ("medfee_sumamt", Some(*medfee_sumamt)),
            ("fulamt_ownpay_amt", Some(*fulamt_ownpay_amt)),
            ("overlmt_selfpay", Some(*overlmt_selfpay)),
            ("preselfpay_amt", Some(*preselfpay_amt)),
            ("inscp_scp_amt", Some(*inscp_scp_amt)),
            ("act_pay_dedc", Some(*act_pay_dedc)),
            ("hifp_pay", Some(*hifp_pay)),
        ],
    )?;
    key(w, false, DEPTH, "pool_prop_selfpay")?;
    match pool_prop_selfpay {
        // Its text is a JSON number with four decimals.
        Some(ratio) => write!(w, "{ratio}")?,
        None => w.write_all(b"null")?,
    }
    amounts(
        w,
        &[
            ("cvlserv_pay", Some(*cvlserv_pay)),
            ("hifes_pay", Some(*hifes_pay)),
            ("hifmi_pay", *hifmi_pay),
            ("hifob_pay", Some(*hifob_pay)),
            ("maf_pay", *maf_pay),
            ("oth_pay", Some(*oth_pay)),
            ("fund_pay_sumamt", Some(*fund_pay_sumamt)),
            ("psn_part_amt", Some(*psn_part_amt)),
            ("acct_pay", Some(*acct_pay)),
            ("psn_cash_pay", Some(*psn_cash_pay)),
        ],
    )?;
    newline(w, DEPTH - 1)?;
    w.write_all(b"}")
}

/// `setldetail`, a list at depth 2 (each entry's fields at depth 4).
fn setldetail(w: &mut impl Write, details: &[Setldetail]) -> Result<()> {
    if details.is_empty() {
        return w.write_all(b"[]");
    }
    w.write_all(b"[")?;
    for (n, detail) in details.iter().enumerate() {
        let Setldetail {
            fund_pay_type,
            fund_pay_type_name,
            fund_payamt,
        } = detail;
        if n > 0 {
            w.write_all(b",")?;
        }
        newline(w, 3)?;
        w.write_all(b"{")?;
        key(w, true, 4, "fund_pay_type")?;
        string(w, fund_pay_type.code())?;
        key(w, false, 4, "fund_pay_type_name")?;
        string(w, fund_pay_type_name)?;
        key(w, false, 4, "fund_payamt")?;
        number(w, *fund_payamt)?;
        newline(w, 3)?;
        w.write_all(b"}")?;
    }
    newline(w, 2)?;
    w.write_all(b"]")
}

fn optional_string(w: &mut impl Write, text: Option<&str>) -> Result<()> {
    match text {
        Some(text) => string(w, text),
        None => w.write_all(b"null"),
    }
}

fn optional_number(w: &mut impl Write, amount: Option<Yuan>) -> Result<()> {
    match amount {
        Some(amount) => number(w, amount),
        None => w.write_all(b"null"),
    }
}
