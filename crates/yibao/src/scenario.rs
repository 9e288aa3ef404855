//! The scenario of one person's policy year: who they are, how they enrolled, their
//! remote-care filings and their claims. Read from TOML or JSON; documented by
//! `yibao schema scenario` and the files under `examples/`.
//!
//! The claim form is flat on purpose (`kind = "inpatient"`, `level = "level_3"`,
//! `amount = "30000"`), so that the same fields serve a scenario file and a CSV row.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use yibao_benefits::{
    Accident, Designation, EmergencyOutcome, FamilyDoctor, HospitalLevel, PersonGroup, Province,
    SpecialDiseaseCatalogue, SpecialDiseaseClass, TwoDiseaseCover,
};
use yibao_catastrophic::PersonClass;
use yibao_core::{KeyPath, Location, NaiveDate, PolicyYear, Rate, Yuan};
use yibao_filing::{Area, Circumstance, Connection, FilingEvent};

/// The JSON Schema of [`Scenario`] (draft 2020-12), as `yibao schema scenario` prints it.
pub const JSON_SCHEMA: &str = include_str!("scenario.schema.json");

/// One person's policy year, as an analyst writes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The insured place, e.g. `huaian`.
    pub jurisdiction: String,
    /// The policy year.
    pub year: PolicyYear,
    /// Who the person is.
    pub person: PersonInput,
    /// The enrolment history (payments, status changes). Empty: cover is assumed for the
    /// whole year and the output says so.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enrolment: Vec<EnrolmentEventInput>,
    /// The incentive history for the catastrophic cap (H7). Absent: computed from the
    /// enrolment history where there is one, else this year counts as the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incentives: Option<IncentiveInput>,
    /// The remote-care filing event log (W3, W4, K6).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filings: Vec<FilingEvent>,
    /// The class B personal share (乙类先行自付比例), which the sources do not publish
    /// (H23); needed only for bills split into classes with a class B part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_b_personal_share: Option<Rate>,
    /// The claims, in any order: they are settled by date.
    #[serde(default)]
    pub claims: Vec<ClaimInput>,
}

/// Who the person is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    /// An identifier for the output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Date of birth; needed with an enrolment history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub born: Option<NaiveDate>,
    /// The enrolment category id of the jurisdiction's data (e.g. `unemployed_resident`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Resident or student, for the benefit tables (K3, K4).
    #[serde(default = "resident")]
    pub group: PersonGroup,
    /// Signed with a family doctor or not (K3, H11).
    #[serde(default = "not_signed")]
    pub family_doctor: FamilyDoctor,
    /// Ordinary insured or medical-aid recipient, for catastrophic insurance (H19). Absent:
    /// the class the `category` selects (H1 Reading: `medical_aid` selects the aid
    /// schedule), else ordinary; given, it must agree with the category's class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catastrophic_class: Option<PersonClass>,
}

impl PersonInput {
    /// The catastrophic class (H19): the explicit one, or the one the category selects
    /// (`of_category`, H1 Reading), or ordinary.
    ///
    /// # Errors
    /// [`ClassConflict`] when the explicit class contradicts the category's.
    pub fn catastrophic_class_with(
        &self,
        of_category: Option<PersonClass>,
    ) -> Result<PersonClass, ClassConflict> {
        match (self.catastrophic_class, of_category, &self.category) {
            (Some(given), Some(selected), Some(category)) if given != selected => {
                Err(ClassConflict {
                    given,
                    category: category.clone(),
                    selected,
                })
            }
            (Some(given), _, _) => Ok(given),
            (None, Some(selected), _) => Ok(selected),
            (None, None, _) => Ok(PersonClass::Ordinary),
        }
    }
}

/// A scenario whose explicit catastrophic class contradicts its enrolment category (H1).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "`person.catastrophic_class = \"{given}\"` contradicts `person.category = \"{category}\"`, which puts the person in the `{selected}` class of catastrophic insurance (H1, H19)"
)]
pub struct ClassConflict {
    /// The class the scenario gives.
    pub given: PersonClass,
    /// The enrolment category the scenario gives.
    pub category: String,
    /// The class that category selects.
    pub selected: PersonClass,
}

fn resident() -> PersonGroup {
    PersonGroup::Resident
}
fn not_signed() -> FamilyDoctor {
    FamilyDoctor::NotSigned
}

/// One dated event of an enrolment history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolmentEventInput {
    /// The day.
    pub on: NaiveDate,
    /// What happened.
    pub event: EnrolmentEventName,
    /// For a payment: the policy year paid for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<PolicyYear>,
    /// For a payment: who funded it (default: the person).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funding: Option<FundingInput>,
    /// For a payment: how the person enrols (default ordinary; K10 treats a transfer from
    /// employee insurance differently).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<RouteInput>,
}

/// How a person comes to enrol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteInput {
    /// An ordinary resident enrolment.
    Ordinary,
    /// A transfer from employee to resident insurance (城转居, K10).
    EmployeeToResidentTransfer,
}

/// The kinds of enrolment event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnrolmentEventName {
    /// A contribution was paid.
    Payment,
    /// Change of status on leaving the armed forces (H4).
    VeteranStatusChange,
    /// Joined employee insurance (H9).
    JoinedEmployeeInsurance,
    /// Left employee insurance.
    LeftEmployeeInsurance,
    /// Graduated (H26).
    Graduated,
}

/// Who funded a payment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FundingInput {
    /// The person or their family.
    Ordinary,
    /// The city, for a newly added medical-aid recipient (H4).
    CityFundedNewAidRecipient,
}

/// The incentive history for the catastrophic cap (H6, H7).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncentiveInput {
    /// Consecutive years counted from 2025, this year included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consecutive_years: Option<u32>,
    /// Re-enrolled this year after a lapse.
    #[serde(default)]
    pub re_enrolled_after_lapse: bool,
    /// Past years with no fund reimbursement.
    #[serde(default)]
    pub zero_reimbursement_years: Vec<PolicyYear>,
    /// Past years whose catastrophic payments used reward quota.
    #[serde(default)]
    pub reward_quota_used_years: Vec<PolicyYear>,
}

/// The kinds of claim, as written in a scenario or a CSV row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKindName {
    /// General outpatient (needs `consultation_fee` in Huai'an, H11).
    OutpatientGeneral,
    /// Hypertension/diabetes drugs (needs `two_disease`, H12).
    TwoDiseaseDrugs,
    /// Outpatient special disease (`disease_class`, `catalogue`; default other, provincial; H13).
    SpecialDisease,
    /// Inpatient admission (H14, K4).
    Inpatient,
    /// Day surgery (H16).
    DaySurgery,
    /// Dual-channel drugs (H17).
    DualChannelDrugs,
    /// Maternity delivery (`province`, default same province; H15).
    MaternityDelivery,
    /// Emergency care (`emergency_outcome`; H20).
    Emergency,
}

/// One claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimInput {
    /// An identifier for the output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The day of care (for an admission, the day of discharge settlement).
    pub date: NaiveDate,
    /// The kind of claim.
    pub kind: ClaimKindName,
    /// The hospital level.
    pub level: HospitalLevel,
    /// The eligible amount (政策范围内费用). Give this, or the class split.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Yuan>,
    /// Class A drugs and items (fully in scope, H23).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_a: Option<Yuan>,
    /// Class B drugs and items (in scope after the personal share, H23).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_b: Option<Yuan>,
    /// Class C (out of catalogue, self-paid, H23).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_c: Option<Yuan>,
    /// General outpatient: the general consultation fee part (一般诊疗费, H11).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consultation_fee: Option<Yuan>,
    /// Two-disease drugs: one disease or both (H12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub two_disease: Option<TwoDiseaseCover>,
    /// Special disease: the class (H13).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disease_class: Option<SpecialDiseaseClass>,
    /// Special disease: provincial or city-retained catalogue (H13).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalogue: Option<SpecialDiseaseCatalogue>,
    /// Maternity: delivered in the same province or another (H15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<Province>,
    /// Emergency: admitted, not admitted or died (H20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emergency_outcome: Option<EmergencyOutcome>,
    /// Designated institution or not (default designated, H22).
    #[serde(default = "designated")]
    pub designation: Designation,
    /// Accident facts (default not an accident, H21).
    #[serde(default = "not_an_accident")]
    pub accident: Accident,
    /// Facts that exclude the claim (work injury, public health, abroad: H22).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclusions: Vec<yibao_benefits::ExclusionFact>,
    /// Where the care took place, as a place path (`shanghai`, `shanghai/qingpu`,
    /// `zhejiang/hangzhou`); absent: at home.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Area>,
    /// The remote-care treatment when it is already known (e.g. from a hospital's
    /// settlement system, or a referral out of the city in a batch file); give this or
    /// `place`, not both. Absent with no `place`: local care.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_care: Option<yibao_core::RemoteCare>,
    /// Planned care or emergency rescue away from home (default planned).
    #[serde(default = "planned")]
    pub circumstance: Circumstance,
    /// Whether the institution settles directly (default networked).
    #[serde(default = "networked")]
    pub connection: Connection,
}

fn designated() -> Designation {
    Designation::Designated
}
fn not_an_accident() -> Accident {
    Accident::NotAnAccident
}
fn planned() -> Circumstance {
    Circumstance::Planned
}
fn networked() -> Connection {
    Connection::Networked
}

/// Why a scenario could not be read: where, what and a hint.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}{}{}", location_prefix(.location), path_suffix(.path), hint_suffix(.hint))]
pub struct ScenarioError {
    /// Where in the file, when known.
    pub location: Option<Location>,
    /// Where in the document.
    pub path: KeyPath,
    /// What is wrong, with the offending value.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

fn location_prefix(location: &Option<Location>) -> String {
    location
        .as_ref()
        .map(|l| format!("{}:{}:{}: ", l.file, l.line, l.column))
        .unwrap_or_default()
}

fn path_suffix(path: &KeyPath) -> String {
    if path.is_root() {
        String::new()
    } else {
        format!(" (at `{path}`)")
    }
}

fn hint_suffix(hint: &Option<String>) -> String {
    hint.as_ref()
        .map(|h| format!("; hint: {h}"))
        .unwrap_or_default()
}

/// The format of a scenario file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScenarioFormat {
    /// TOML.
    Toml,
    /// JSON.
    Json,
}

impl ScenarioFormat {
    /// The format a file name implies: `.json` is JSON, anything else TOML.
    pub fn of_file(name: &str) -> ScenarioFormat {
        if name.to_ascii_lowercase().ends_with(".json") {
            ScenarioFormat::Json
        } else {
            ScenarioFormat::Toml
        }
    }
}

/// Where each key of a scenario file is, so that errors found after parsing can point into
/// the file.
#[derive(Clone, Debug, Default)]
pub struct Positions {
    file: String,
    text: String,
    offsets: BTreeMap<String, usize>,
}

impl Positions {
    /// The location of a key path (its deepest known prefix); the file's start when no key
    /// positions are known (JSON).
    pub fn locate(&self, path: &KeyPath) -> Location {
        let mut segments = path.segments().to_vec();
        loop {
            let key = segments
                .iter()
                .fold(KeyPath::root(), |p, s| match s {
                    yibao_core::KeySegment::Key(k) => p.key(k.clone()),
                    yibao_core::KeySegment::Index(i) => p.index(*i),
                })
                .to_string();
            if let Some(offset) = self.offsets.get(&key) {
                return Location::at_offset(self.file.clone(), &self.text, *offset);
            }
            if segments.pop().is_none() {
                return Location {
                    file: self.file.clone(),
                    line: 1,
                    column: 1,
                };
            }
        }
    }
}

/// A parsed scenario and the positions of its keys.
#[derive(Clone, Debug)]
pub struct ScenarioFile {
    /// The scenario.
    pub scenario: Scenario,
    /// Where its keys are.
    pub positions: Positions,
}

impl ScenarioFile {
    /// Parses a scenario.
    ///
    /// # Errors
    /// [`ScenarioError`] with the file position, the offending value and a hint.
    pub fn parse(
        file: &str,
        text: &str,
        format: ScenarioFormat,
    ) -> Result<ScenarioFile, ScenarioError> {
        match format {
            ScenarioFormat::Toml => parse_toml(file, text),
            ScenarioFormat::Json => parse_json(file, text),
        }
    }
}

fn hint_for(message: &str) -> Option<String> {
    let hint = if message.contains("decimals") || message.contains("amount in yuan") {
        "amounts are yuan as strings with at most 2 decimals, e.g. \"1234.56\""
    } else if message.contains("input contains invalid characters")
        || message.contains("premature end of input")
        || message.contains("trailing input")
        || message.contains("input is out of range")
        || message.contains("input is not enough")
    {
        "dates are written YYYY-MM-DD and must exist in the calendar, e.g. \"2026-02-28\""
    } else if message.starts_with("unknown field") {
        "check the spelling; `yibao schema scenario` lists every field"
    } else if message.starts_with("unknown variant") {
        "use one of the values listed"
    } else if message.starts_with("missing field") {
        "add the field; `yibao schema scenario` marks the required ones"
    } else {
        return None;
    };
    Some(hint.to_owned())
}

fn path_of(path: &serde_path_to_error::Path) -> KeyPath {
    let mut out = KeyPath::root();
    for segment in path.iter() {
        out = match segment {
            serde_path_to_error::Segment::Seq { index } => out.index(*index),
            serde_path_to_error::Segment::Map { key } => out.key(key.clone()),
            serde_path_to_error::Segment::Enum { variant } => out.key(variant.clone()),
            serde_path_to_error::Segment::Unknown => out,
        };
    }
    out
}

fn parse_toml(file: &str, text: &str) -> Result<ScenarioFile, ScenarioError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| ScenarioError {
        location: Some(Location::at_offset(
            file,
            text,
            e.span().map_or(0, |s| s.start),
        )),
        path: KeyPath::root(),
        message: e.message().trim_end_matches('.').to_owned(),
        hint: Some("the file is not valid TOML".to_owned()),
    })?;
    let mut offsets = BTreeMap::new();
    if let Ok(spanned) = toml::de::DeTable::parse(text) {
        toml_offsets(spanned.get_ref(), &KeyPath::root(), &mut offsets);
    }
    let positions = Positions {
        file: file.to_owned(),
        text: text.to_owned(),
        offsets,
    };
    let scenario: Scenario = serde_path_to_error::deserialize(toml::Value::Table(table.clone()))
        .map_err(|e| {
            let path = path_of(e.path());
            let mut message = e.inner().message().trim_end_matches('.').to_owned();
            // chrono's date messages do not name the value: name it.
            if message.starts_with("input ") {
                let whole = toml::Value::Table(table);
                if let Some(toml::Value::String(text)) = value_at(&whole, &path) {
                    message = format!("`{text}` is not a date: {message}");
                }
            }
            ScenarioError {
                location: Some(positions.locate(&path)),
                hint: hint_for(&message),
                path,
                message,
            }
        })?;
    Ok(ScenarioFile {
        scenario,
        positions,
    })
}

fn value_at<'v>(value: &'v toml::Value, path: &KeyPath) -> Option<&'v toml::Value> {
    path.segments()
        .iter()
        .try_fold(value, |v, segment| match segment {
            yibao_core::KeySegment::Key(k) => v.get(k.as_str()),
            yibao_core::KeySegment::Index(i) => v.get(*i),
        })
}

fn toml_offsets(
    table: &toml::de::DeTable<'_>,
    at: &KeyPath,
    offsets: &mut BTreeMap<String, usize>,
) {
    for (key, value) in table {
        let path = at.clone().key(key.get_ref().as_ref());
        offsets.insert(path.to_string(), key.span().start);
        toml_value_offsets(value.get_ref(), &path, offsets);
    }
}

fn toml_value_offsets(
    value: &toml::de::DeValue<'_>,
    at: &KeyPath,
    offsets: &mut BTreeMap<String, usize>,
) {
    match value {
        toml::de::DeValue::Table(table) => toml_offsets(table, at, offsets),
        toml::de::DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let path = at.clone().index(i);
                offsets.insert(path.to_string(), item.span().start);
                toml_value_offsets(item.get_ref(), &path, offsets);
            }
        }
        _ => {}
    }
}

fn parse_json(file: &str, text: &str) -> Result<ScenarioFile, ScenarioError> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let result: Result<Scenario, _> = serde_path_to_error::deserialize(&mut deserializer);
    let scenario = result.map_err(|e| {
        let path = path_of(e.path());
        let inner = e.inner();
        // serde_json appends " at line L column C"; the location says it already.
        let message = inner.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(m, _)| m)
            .to_owned();
        ScenarioError {
            location: Some(Location {
                file: file.to_owned(),
                line: u32::try_from(inner.line()).unwrap_or(0),
                column: u32::try_from(inner.column()).unwrap_or(0),
            }),
            hint: hint_for(&message),
            path,
            message,
        }
    })?;
    // JSON positions of keys are not tracked; later errors point at the file.
    Ok(ScenarioFile {
        scenario,
        positions: Positions {
            file: file.to_owned(),
            text: text.to_owned(),
            offsets: BTreeMap::new(),
        },
    })
}
