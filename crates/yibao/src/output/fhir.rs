//! A settlement as HL7 FHIR R4: each settled claim a `ClaimResponse`, several in a `Bundle`
//! of type `collection` (`yibao settle --format fhir`).
//!
//! One claim is one `item` (`itemSequence` 1) whose `adjudication`s use the categories of
//! FHIR's adjudication code system (`http://terminology.hl7.org/CodeSystem/adjudication`):
//! `submitted` (the whole bill), `eligible` (政策范围内费用), `deductible` (起付线 borne),
//! one `benefit` per fund, its `reason` naming the fund in the code system
//! [`FUND_SYSTEM`] (`basic_fund` 统筹基金, `catastrophic` 大病保险, `fiscal_subsidy` 财政补助
//! for a delivery's costs left to it, H15), and `copay` (what the person pays, 个人负担). A
//! part the engine does not settle (the basic fund where the sources give no rule, K8; a
//! catastrophic part without a schedule) has a `benefit` with no amount, its `reason` text
//! saying why, and makes the `outcome` `partial`. Every step is a `processNote`: its rule id,
//! its text and the sentence of the source the rule quotes.
//!
//! Money is FHIR `Money`: `value` a decimal with two places (written from [`Yuan`]'s text,
//! never through a float), `currency` `CNY`. The claim's person is the `patient`'s
//! identifier (system `urn:yibao:person`), the insured place the `insurer`'s (system
//! `urn:yibao:jurisdiction`); `created` is the day of care.

use serde::Serialize;

use crate::core::Yuan;
use crate::policy::PolicyLibrary;
use crate::scenario::ClaimKindName;
use crate::settle::{CatastrophicPart, ClaimReport, SettlementReport};

/// The code system of the funds named in a `benefit` adjudication's `reason`.
pub const FUND_SYSTEM: &str = "urn:yibao:fund";

const ADJUDICATION_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/adjudication";
const CLAIM_TYPE_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/claim-type";

/// A settlement's claims as FHIR: one `ClaimResponse` alone, or a `Bundle` of type
/// `collection` holding each (none, or several).
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Fhir {
    /// One claim.
    One(Box<ClaimResponse>),
    /// No claim, or several.
    Bundle(Bundle),
}

impl Fhir {
    /// The FHIR form of `report`; the rules' quotes come from `library`'s registry.
    pub fn of(report: &SettlementReport, library: &PolicyLibrary) -> Fhir {
        let mut responses: Vec<ClaimResponse> = report
            .claims
            .iter()
            .map(|claim| ClaimResponse::of(report, claim, library))
            .collect();
        match (responses.pop(), responses.is_empty()) {
            (Some(one), true) => Fhir::One(Box::new(one)),
            (last, _) => {
                responses.extend(last);
                Fhir::Bundle(Bundle {
                    resource_type: "Bundle",
                    kind: "collection",
                    entry: responses
                        .into_iter()
                        .map(|resource| Entry { resource })
                        .collect(),
                })
            }
        }
    }
}

/// A `Bundle` of type `collection`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bundle {
    resource_type: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    entry: Vec<Entry>,
}

/// A `Bundle.entry`.
#[derive(Debug, Serialize)]
pub struct Entry {
    resource: ClaimResponse,
}

/// A `ClaimResponse`: one settled claim.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimResponse {
    resource_type: &'static str,
    id: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    identifier: Vec<Identifier>,
    status: &'static str,
    #[serde(rename = "type")]
    kind: CodeableConcept,
    #[serde(rename = "use")]
    purpose: &'static str,
    patient: Reference,
    created: String,
    insurer: Reference,
    outcome: &'static str,
    item: [Item; 1],
    total: Vec<Total>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    process_note: Vec<ProcessNote>,
}

#[derive(Debug, Serialize)]
struct Identifier {
    system: &'static str,
    value: String,
}

#[derive(Debug, Serialize)]
struct Reference {
    #[serde(skip_serializing_if = "Option::is_none")]
    identifier: Option<Identifier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display: Option<&'static str>,
}

#[derive(Debug, Serialize)]
struct Coding {
    system: &'static str,
    code: &'static str,
}

#[derive(Debug, Serialize)]
struct CodeableConcept {
    coding: [Coding; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

impl CodeableConcept {
    fn code(system: &'static str, code: &'static str) -> CodeableConcept {
        CodeableConcept {
            coding: [Coding { system, code }],
            text: None,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    item_sequence: u32,
    adjudication: Vec<Adjudication>,
}

#[derive(Debug, Serialize)]
struct Adjudication {
    category: CodeableConcept,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<CodeableConcept>,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<Money>,
}

#[derive(Debug, Serialize)]
struct Total {
    category: CodeableConcept,
    amount: Money,
}

/// FHIR `Money`: a decimal with two places and its currency.
#[derive(Debug, Serialize)]
struct Money {
    #[serde(serialize_with = "decimal")]
    value: Yuan,
    currency: &'static str,
}

impl Money {
    fn cny(value: Yuan) -> Money {
        Money {
            value,
            currency: "CNY",
        }
    }
}

/// An amount as a JSON number with two decimals: [`Yuan`]'s text as it is.
fn decimal<S: serde::Serializer>(value: &Yuan, serializer: S) -> Result<S::Ok, S::Error> {
    use serde::ser::Error as _;
    serde_json::value::RawValue::from_string(value.to_string())
        .map_err(S::Error::custom)?
        .serialize(serializer)
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct ProcessNote {
    number: u32,
    #[serde(rename = "type")]
    kind: &'static str,
    text: String,
}

/// A `benefit` adjudication of one fund: its amount, or why it is not settled.
fn benefit(fund: &'static str, paid: Result<Yuan, String>) -> Adjudication {
    let (amount, text) = match paid {
        Ok(amount) => (Some(Money::cny(amount)), None),
        Err(why) => (None, Some(format!("not settled: {why}"))),
    };
    Adjudication {
        category: CodeableConcept::code(ADJUDICATION_SYSTEM, "benefit"),
        reason: Some(CodeableConcept {
            coding: [Coding {
                system: FUND_SYSTEM,
                code: fund,
            }],
            text,
        }),
        amount,
    }
}

fn plain(category: &'static str, amount: Yuan) -> Adjudication {
    Adjudication {
        category: CodeableConcept::code(ADJUDICATION_SYSTEM, category),
        reason: None,
        amount: Some(Money::cny(amount)),
    }
}

impl ClaimResponse {
    fn of(report: &SettlementReport, claim: &ClaimReport, library: &PolicyLibrary) -> Self {
        let basic = match &claim.basic_fund_not_settled {
            None => Ok(claim.basic_fund),
            Some(why) => Err(format!("{} ({})", why.reason, why.rule)),
        };
        let catastrophic = match &claim.catastrophic {
            CatastrophicPart::Settled { paid } => Ok(*paid),
            CatastrophicPart::NotSettled { reason } => Err(reason.to_string()),
        };
        let partial = basic.is_err() || catastrophic.is_err();
        let mut adjudication = vec![
            plain("submitted", claim.amount),
            plain("eligible", claim.eligible),
            plain("deductible", claim.deductible),
            benefit("basic_fund", basic),
            benefit("catastrophic", catastrophic),
        ];
        if claim.fiscal_subsidy > Yuan::ZERO {
            adjudication.push(benefit("fiscal_subsidy", Ok(claim.fiscal_subsidy)));
        }
        adjudication.push(plain("copay", claim.personal));
        let benefits = claim
            .basic_fund
            .checked_add(claim.catastrophic.paid())
            .and_then(|sum| sum.checked_add(claim.fiscal_subsidy));
        let mut total = vec![Total {
            category: CodeableConcept::code(ADJUDICATION_SYSTEM, "submitted"),
            amount: Money::cny(claim.amount),
        }];
        total.extend(benefits.ok().map(|sum| Total {
            category: CodeableConcept::code(ADJUDICATION_SYSTEM, "benefit"),
            amount: Money::cny(sum),
        }));
        ClaimResponse {
            resource_type: "ClaimResponse",
            id: format!("claim-{}", claim.index + 1),
            identifier: claim
                .id
                .iter()
                .map(|id| Identifier {
                    system: "urn:yibao:claim",
                    value: id.clone(),
                })
                .collect(),
            status: "active",
            kind: CodeableConcept::code(CLAIM_TYPE_SYSTEM, claim_type(claim.kind)),
            purpose: "claim",
            patient: match &report.person {
                Some(id) => Reference {
                    identifier: Some(Identifier {
                        system: "urn:yibao:person",
                        value: id.clone(),
                    }),
                    display: None,
                },
                None => Reference {
                    identifier: None,
                    display: Some("the scenario's person (no id given)"),
                },
            },
            created: claim.date.format("%Y-%m-%d").to_string(),
            insurer: Reference {
                identifier: Some(Identifier {
                    system: "urn:yibao:jurisdiction",
                    value: report.jurisdiction.clone(),
                }),
                display: None,
            },
            outcome: if partial { "partial" } else { "complete" },
            item: [Item {
                item_sequence: 1,
                adjudication,
            }],
            total,
            process_note: notes(claim, library),
        }
    }
}

/// FHIR's claim type: an admission, day surgery or a delivery is institutional care, the rest
/// is professional (outpatient) care.
fn claim_type(kind: ClaimKindName) -> &'static str {
    match kind {
        ClaimKindName::Inpatient | ClaimKindName::DaySurgery | ClaimKindName::MaternityDelivery => {
            "institutional"
        }
        ClaimKindName::OutpatientGeneral
        | ClaimKindName::TwoDiseaseDrugs
        | ClaimKindName::SpecialDisease
        | ClaimKindName::DualChannelDrugs
        | ClaimKindName::Emergency => "professional",
    }
}

/// Each step as a note: `RULE: text «the source's sentence»`, the sentence the step names.
fn notes(claim: &ClaimReport, library: &PolicyLibrary) -> Vec<ProcessNote> {
    claim
        .steps
        .iter()
        .zip(1..)
        .map(|(step, number)| {
            let rule = step.rule();
            // The quote `--explain` shows for the step.
            let quote = library
                .registry
                .shown_quote(rule, step.step.quote_id())
                .map(|(_, quote)| format!(" «{}»", quote.text.trim()))
                .unwrap_or_default();
            ProcessNote {
                number,
                kind: "display",
                text: format!("{rule}: {}{quote}", step.render()),
            }
        })
        .collect()
}
